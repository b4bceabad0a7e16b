//! Blocks of whole lines from any byte stream, in bounded memory, cut where
//! no record can span the cut, so that blocks can be analysed apart.

use std::io::{self, BufRead};

/// Longest line kept, in bytes. Longer lines are cut here (and counted):
/// no Cisco message is anywhere near this, and it bounds memory whatever
/// the input.
pub const MAX_LINE: usize = 256 * 1024;

/// Size a block is filled to before it is cut.
pub const BLOCK: usize = 1 << 20;

/// A block may grow to this size while no safe cut is found (a long run of
/// indented lines); then it is cut at a line end anyway.
const MAX_BLOCK: usize = 16 * BLOCK;

/// Whole lines, each ending with `\n` (one is added to a last line without
/// it, and to a line cut at [`MAX_LINE`]).
#[derive(Debug, Default)]
pub struct Block {
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads a stream into [`Block`]s.
pub struct BlockReader<R> {
    inner: R,
    /// Bytes read past the last cut: whole lines, then the line being read.
    carry: Vec<u8>,
    /// Length of the unterminated line at the end of `carry`.
    open_len: usize,
    /// Inside an overlong line: drop bytes up to the next newline.
    discarding: bool,
    truncated: u64,
    eof: bool,
    target: usize,
    /// Buffers of blocks done with, to fill again: fresh megabyte buffers
    /// cost a page fault per page.
    spare: Vec<Vec<u8>>,
    /// A read error held back until the lines before it are handed over.
    failed: Option<io::Error>,
}

/// Spare buffers kept.
const MAX_SPARE: usize = 64;

impl<R: BufRead> BlockReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        BlockReader::with_target(inner, BLOCK)
    }

    /// Wraps a buffered reader, filling blocks to about `target` bytes.
    pub fn with_target(inner: R, target: usize) -> Self {
        BlockReader {
            inner,
            carry: Vec::new(),
            open_len: 0,
            discarding: false,
            truncated: 0,
            eof: false,
            target: target.max(1),
            spare: Vec::new(),
            failed: None,
        }
    }

    /// Gives back a block done with, so its buffer can be filled again.
    pub fn recycle(&mut self, block: Block) {
        if self.spare.len() < MAX_SPARE {
            self.spare.push(block.bytes);
        }
    }

    /// Number of lines cut at [`MAX_LINE`] so far.
    pub fn truncated(&self) -> u64 {
        self.truncated
    }

    /// The next block, or `None` at the end of the stream.
    /// A read error ends the input: the lines read before it come first as
    /// a last block, the error on the call after.
    pub fn next_block(&mut self) -> io::Result<Option<Block>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut want = self.target;
        loop {
            while buf.len() < want && !self.eof {
                let room = want - buf.len();
                if let Err(e) = self.fill(&mut buf, room) {
                    if buf.is_empty() {
                        return Err(e);
                    }
                    self.failed = Some(e);
                    self.eof = true;
                }
            }
            if self.eof {
                if self.open_len > 0 || self.discarding {
                    buf.push(b'\n');
                    self.open_len = 0;
                    self.discarding = false;
                }
                return Ok((!buf.is_empty()).then_some(Block { bytes: buf }));
            }
            let complete = buf.len() - self.open_len;
            let cut = match safe_cut(&buf[..complete]) {
                Some(c) => c,
                None if buf.len() >= MAX_BLOCK => complete,
                None => {
                    want = buf.len() + self.target;
                    continue;
                }
            };
            if cut == 0 {
                want = buf.len() + self.target;
                continue;
            }
            self.carry.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
            return Ok(Some(Block { bytes: buf }));
        }
    }

    /// Appends what the inner reader has, keeping every line within
    /// [`MAX_LINE`].
    /// Takes at most `limit` bytes (at least one), so that a reader holding
    /// the whole input in memory (a slice) still yields blocks of the
    /// target size.
    fn fill(&mut self, buf: &mut Vec<u8>, limit: usize) -> io::Result<()> {
        let data = loop {
            match self.inner.fill_buf() {
                Ok(d) => break d,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if data.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let data = &data[..data.len().min(limit.max(1))];
        let n = data.len();
        let mut i = 0;
        while i < n {
            let rest = &data[i..];
            if self.discarding {
                match memchr::memchr(b'\n', rest) {
                    Some(k) => {
                        buf.push(b'\n');
                        self.discarding = false;
                        self.open_len = 0;
                        i += k + 1;
                    }
                    None => i = n,
                }
                continue;
            }
            // Fast path: the rest cannot make any line overlong.
            if self.open_len + rest.len() < MAX_LINE {
                buf.extend_from_slice(rest);
                self.open_len = match memchr::memrchr(b'\n', rest) {
                    Some(k) => rest.len() - k - 1,
                    None => self.open_len + rest.len(),
                };
                break;
            }
            match memchr::memchr(b'\n', rest) {
                Some(k) if self.open_len + k < MAX_LINE => {
                    buf.extend_from_slice(&rest[..=k]);
                    self.open_len = 0;
                    i += k + 1;
                }
                _ => {
                    // The line reaches the cap: keep its first MAX_LINE
                    // bytes, drop the rest up to its newline.
                    let keep = MAX_LINE - self.open_len;
                    buf.extend_from_slice(&rest[..keep.min(rest.len())]);
                    self.truncated += 1;
                    self.discarding = true;
                    self.open_len = MAX_LINE;
                    i += keep;
                }
            }
        }
        self.inner.consume(n);
        Ok(())
    }
}

/// Whether a record may go on from the line `prev` into the line `next`
/// (the analyser joins indented lines, wrapped `key=value` fields and lines
/// after one ending in `:` or `,`).
pub fn may_continue(prev: &[u8], next: &[u8]) -> bool {
    let prev = prev.trim_ascii_end();
    // Non-ASCII white space is trimmed by the analyser too: stay on the
    // safe side when either edge is not ASCII, or the line not UTF-8.
    matches!(next.first(), Some(b' ' | b'\t' | 0x80..))
        || matches!(prev.last(), Some(b':' | b',' | 0x80..))
        || std::str::from_utf8(next).map_or(true, |s| crate::segment::is_wrapped_field(s.trim()))
}

/// The start of the last line of `buf` (whole lines) that no record can
/// continue into, if any besides the first.
fn safe_cut(buf: &[u8]) -> Option<usize> {
    // Line starts, scanning backwards.
    let mut end = buf.len();
    let mut start = line_start(buf, end)?;
    while start > 0 {
        let prev_start = line_start(buf, start).unwrap_or(0);
        let line = &buf[start..end];
        let prev = &buf[prev_start..start - 1];
        if !may_continue(strip_cr(prev), strip_cr(line)) {
            match unfinished_before_blank(buf, prev_start, strip_cr(prev)) {
                // No cut inside the blank run after an unfinished record:
                // go on from that record's last line (each line once).
                Some((head_start, head_end)) => {
                    end = head_end;
                    start = head_start;
                    continue;
                }
                None => return Some(start),
            }
        }
        end = start;
        start = prev_start;
    }
    None
}

/// `prev` (starting at `prev_start`) is blank and the last line before the
/// blank run ends in `,`: the analyser keeps that record open across blank
/// lines (a web page's blank line inside a wrapped record), so no cut in
/// the run. Gives that last line's start and end.
fn unfinished_before_blank(buf: &[u8], prev_start: usize, prev: &[u8]) -> Option<(usize, usize)> {
    if !prev.trim_ascii().is_empty() {
        return None;
    }
    let mut end = prev_start;
    while let Some(start) = line_start(buf, end) {
        let t = strip_cr(&buf[start..end]).trim_ascii();
        if !t.is_empty() {
            // Non-ASCII white space is trimmed by the analyser: stay safe.
            return matches!(t.last(), Some(b',' | 0x80..)).then_some((start, end));
        }
        if start == 0 {
            break;
        }
        end = start;
    }
    None
}

/// Start of the line that ends at `end` (exclusive, just after its `\n`).
fn line_start(buf: &[u8], end: usize) -> Option<usize> {
    if end == 0 {
        return None;
    }
    Some(memchr::memrchr(b'\n', &buf[..end - 1]).map_or(0, |k| k + 1))
}

fn strip_cr(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let Some((last, rest)) = l.split_last() {
        if matches!(last, b'\n' | b'\r') {
            l = rest;
        } else {
            break;
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &[u8], target: usize) -> (Vec<Vec<u8>>, u64) {
        let mut r = BlockReader::with_target(input, target);
        let mut out = Vec::new();
        while let Some(b) = r.next_block().unwrap() {
            out.push(b.bytes);
        }
        (out, r.truncated())
    }

    #[test]
    fn every_block_holds_whole_lines_and_nothing_is_lost() {
        let input = b"a\nb\r\n\nc";
        for target in [1, 2, 3, 100] {
            let (bs, _) = blocks(input, target);
            assert!(bs.iter().all(|b| b.ends_with(b"\n")));
            assert_eq!(bs.concat(), b"a\nb\r\n\nc\n");
        }
    }

    #[test]
    fn cuts_never_split_a_record_that_continues() {
        let input = b"one:\n two\nthree,\nfour\n  five\nid=3 x\nsix\n";
        let (bs, _) = blocks(input, 1);
        let firsts: Vec<u8> = bs.iter().map(|b| b[0]).collect();
        // Blocks start where records do (`one`, `three,`, `six`); the other
        // lines continue a record (indented, after `:` or `,`, `key=`).
        assert_eq!(firsts, b"ots");
    }

    #[test]
    fn no_cut_in_the_blank_lines_after_an_unfinished_record() {
        let text = b"a: x,\n\n\n  y=1\n";
        // The only line start that could be a cut is inside the record.
        assert_eq!(safe_cut(text), None);
        assert_eq!(safe_cut(b"a: x\n\nb: y\n"), Some(6));
        // A long blank run after an unfinished record is crossed once.
        let mut long = b"z\na: x,\n".to_vec();
        long.extend(std::iter::repeat_n(b'\n', 200_000));
        long.extend_from_slice(b"b: y\n");
        assert_eq!(safe_cut(&long), Some(2));
    }

    #[test]
    fn overlong_lines_are_cut_and_counted() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\nnext\n");
        let (bs, truncated) = blocks(&input, 8);
        let all = bs.concat();
        assert_eq!(truncated, 1);
        assert_eq!(all.len(), MAX_LINE + 1 + 5);
        assert!(all.ends_with(b"\nnext\n"));
        // An overlong last line without a newline.
        let (bs, truncated) = blocks(&vec![b'y'; MAX_LINE * 2], 8);
        assert_eq!(truncated, 1);
        assert_eq!(bs.concat().len(), MAX_LINE + 1);
    }

    /// Reads `data`, then fails.
    struct Failing<'a>(&'a [u8]);

    impl std::io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("incomplete deflate stream"));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_comes_after_the_lines_read_before_it() {
        let r = io::BufReader::with_capacity(4, Failing(b"one\ntwo\nthr"));
        let mut b = BlockReader::with_target(r, 1 << 20);
        let first = b.next_block().unwrap().unwrap();
        assert_eq!(first.bytes, b"one\ntwo\nthr\n");
        assert!(b.next_block().is_err());
    }

    #[test]
    fn a_line_at_the_cap_is_kept_whole() {
        let mut input = vec![b'x'; MAX_LINE - 1];
        input.push(b'\n');
        let (bs, truncated) = blocks(&input, 8);
        assert_eq!(truncated, 0);
        assert_eq!(bs.concat(), input);
    }
}
