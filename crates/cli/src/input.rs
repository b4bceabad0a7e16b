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
    let head = reader
        .fill_buf()
        .map_err(|e| format!("cannot read {}: {e}", inp.display))?
        .to_vec();
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::read::MultiGzDecoder::new(reader);
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, gz)));
    }
    if looks_binary(&head) {
        return Err(format!(
            "{}: looks like binary data, not text (NUL bytes at the start); give debug/syslog output, show output or a configuration as text (or .gz)",
            inp.display
        ));
    }
    Ok(Box::new(reader))
}

fn looks_binary(head: &[u8]) -> bool {
    let n = head.len().min(8192);
    head[..n].iter().filter(|b| **b == 0).count() > n / 64 + 1
}
