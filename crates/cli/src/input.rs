//! Turns command-line paths into readable inputs.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// One input to read.
pub struct Input {
    /// Shown in evidence.
    pub display: String,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
}

/// Expands directories (sorted, hidden files skipped) and checks that files exist.
pub fn expand(args: &[String]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input {
                display: "-".to_string(),
                path: None,
            });
            continue;
        }
        let p = Path::new(a);
        let meta = std::fs::metadata(p).map_err(|e| format!("cannot read {a}: {e}"))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).map_err(|e| format!("cannot list {a}: {e}"))?;
            if files.is_empty() {
                return Err(format!("{a}: directory holds no files to read"));
            }
            for f in files {
                out.push(Input {
                    display: f.display().to_string(),
                    path: Some(f),
                });
            }
        } else {
            out.push(Input {
                display: a.clone(),
                path: Some(p.to_path_buf()),
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Inputs from this size on get a progress line on a terminal.
const PROGRESS_FROM: u64 = 64 * 1024 * 1024;

/// Counts the bytes read from a file and reports progress on stderr (the
/// compressed bytes for `.gz`, so the percentage stays true).
struct Progress<R> {
    inner: R,
    name: String,
    total: u64,
    read: u64,
    shown: u64,
    show: bool,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.show
            && (self.read - self.shown >= 16 * 1024 * 1024 || (n == 0 && self.shown < self.total))
        {
            self.shown = self.read;
            let pct = (self.read * 100).checked_div(self.total).unwrap_or(0);
            let mut e = io::stderr().lock();
            let _ = write!(
                e,
                "\rreading {}: {} MB ({pct}%)",
                self.name,
                self.read / 1_000_000
            );
            if n == 0 {
                let _ = writeln!(e);
            }
            let _ = e.flush();
        }
        Ok(n)
    }
}

/// Opens an input for streaming: plain text, gzip (by magic bytes), or stdin.
/// Binary data is refused with a clear message.
pub fn open(inp: &Input) -> Result<Box<dyn BufRead + Send>, String> {
    let Some(path) = &inp.path else {
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, io::stdin())));
    };
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", inp.display))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    // A progress line on a terminal for inputs large enough to wait for.
    let show = total >= PROGRESS_FROM && std::io::stderr().is_terminal();
    let file = Progress {
        inner: file,
        name: inp.display.clone(),
        total,
        read: 0,
        shown: 0,
        show,
    };
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    match Start::of(head(&mut reader, inp)?) {
        Start::Gzip => {
            let gz = flate2::read::MultiGzDecoder::new(reader);
            let mut gz = BufReader::with_capacity(256 * 1024, gz);
            if let Start::Utf16 { big_endian } = Start::of(head(&mut gz, inp)?) {
                gz.consume(2);
                return Ok(Box::new(utf16(gz, big_endian)));
            }
            Ok(Box::new(gz))
        }
        // Windows tools (PowerShell's Out-File, some terminal loggers) write
        // UTF-16 with a byte-order mark: read it as the text it is.
        Start::Utf16 { big_endian } => {
            reader.consume(2);
            Ok(Box::new(utf16(reader, big_endian)))
        }
        Start::Binary => Err(format!(
            "{}: looks like binary data, not text (NUL bytes at the start); give debug/syslog output, show output or a configuration as text (or .gz)",
            inp.display
        )),
        Start::Text => Ok(Box::new(reader)),
    }
}

/// The first bytes of a stream, without consuming them.
fn head<'r, R: BufRead>(r: &'r mut R, inp: &Input) -> Result<&'r [u8], String> {
    r.fill_buf()
        .map_err(|e| format!("cannot read {}: {e}", inp.display))
}

/// What the first bytes of a stream say it is.
enum Start {
    Gzip,
    Utf16 { big_endian: bool },
    Binary,
    Text,
}

impl Start {
    fn of(head: &[u8]) -> Start {
        match head {
            [0x1f, 0x8b, ..] => Start::Gzip,
            [0xff, 0xfe, ..] => Start::Utf16 { big_endian: false },
            [0xfe, 0xff, ..] => Start::Utf16 { big_endian: true },
            _ if looks_binary(head) => Start::Binary,
            _ => Start::Text,
        }
    }
}

fn utf16<R: BufRead + Send>(inner: R, big_endian: bool) -> impl BufRead + Send {
    BufReader::with_capacity(
        256 * 1024,
        Utf16 {
            inner,
            big_endian,
            odd: None,
            high: None,
            out: Vec::new(),
            at: 0,
        },
    )
}

/// UTF-16 in, UTF-8 out, streaming; unpaired surrogates become U+FFFD.
struct Utf16<R> {
    inner: R,
    big_endian: bool,
    /// A byte of a code unit split between reads.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    out: Vec<u8>,
    at: usize,
}

impl<R: BufRead> Utf16<R> {
    fn push(&mut self, c: char) {
        let mut b = [0; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    fn unit(&mut self, u: u16) {
        match u {
            0xd800..=0xdbff => {
                if self.high.replace(u).is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
            }
            0xdc00..=0xdfff => match self.high.take() {
                Some(h) => {
                    let c = 0x10000 + ((u32::from(h) - 0xd800) << 10) + (u32::from(u) - 0xdc00);
                    self.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                None => self.push(char::REPLACEMENT_CHARACTER),
            },
            _ => {
                if self.high.take().is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
                self.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
        }
    }
}

impl<R: BufRead> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.out.len() {
            self.out.clear();
            self.at = 0;
            let data = self.inner.fill_buf()?;
            if data.is_empty() {
                if self.odd.take().is_some() || self.high.take().is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                    continue;
                }
                return Ok(0);
            }
            let data = data.to_vec();
            self.inner.consume(data.len());
            for b in data {
                let Some(first) = self.odd.take() else {
                    self.odd = Some(b);
                    continue;
                };
                let u = if self.big_endian {
                    u16::from_be_bytes([first, b])
                } else {
                    u16::from_le_bytes([first, b])
                };
                self.unit(u);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn looks_binary(head: &[u8]) -> bool {
    let n = head.len().min(8192);
    head[..n].iter().filter(|b| **b == 0).count() > n / 64 + 1
}
