//! Physical lines from any byte stream, in bounded memory.

use std::io::{self, BufRead};

/// Longest line kept, in bytes. Longer lines are cut here (and counted):
/// no Cisco message is anywhere near this, and it bounds memory whatever
/// the input.
pub const MAX_LINE: usize = 256 * 1024;

/// Reads lines as lossy UTF-8 with `\r\n` / `\r` endings removed.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    line_no: u64,
    truncated: u64,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            buf: Vec::with_capacity(256),
            line_no: 0,
            truncated: 0,
        }
    }

    /// Number of lines cut at [`MAX_LINE`] so far.
    pub fn truncated(&self) -> u64 {
        self.truncated
    }

    /// The next line and its 1-based number, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, String)>> {
        self.buf.clear();
        let mut saw_any = false;
        let mut cut = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            let keep = take.min(room);
            if keep < take {
                cut = true;
            }
            self.buf.extend_from_slice(&chunk[..keep]);
            self.inner.consume(take);
            if done {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.line_no += 1;
        if cut {
            self.truncated += 1;
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let text = match std::str::from_utf8(&self.buf) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(&self.buf).into_owned(),
        };
        Ok(Some((self.line_no, text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u64, String)> {
        let mut r = LineReader::new(input);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn crlf_cr_and_missing_final_newline() {
        let got = lines(b"a\r\nb\n\nc");
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["a", "b", "", "c"]);
        assert_eq!(got[3].0, 4);
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let got = lines(b"ok \xff\xfe line\n");
        assert!(got[0].1.starts_with("ok "));
        assert!(got[0].1.contains('\u{fffd}'));
    }

    #[test]
    fn overlong_lines_are_cut_and_counted() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\nnext\n");
        let mut r = LineReader::new(&input[..]);
        let (_, first) = r.next_line().unwrap().unwrap();
        assert_eq!(first.len(), MAX_LINE);
        assert_eq!(r.next_line().unwrap().unwrap().1, "next");
        assert_eq!(r.truncated(), 1);
    }
}
