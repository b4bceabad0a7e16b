//! Splits configuration text into numbered lines and groups them by
//! indentation: each top-level command with the indented sub-commands under
//! it (deeper levels are kept flat in the same body, with their indent).
//!
//! Blank lines and comments (`!`, ASA `:`) belong to no block. IOS banners
//! (`banner motd ^C … ^C`) become one block whose body is the banner text,
//! so the text is never read as commands. A uniform indentation of the
//! whole text (a pasted, indented config) is removed first.

use std::iter;

/// One configuration line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: u64,
    /// Leading whitespace width (a tab counts as one), after removing the
    /// indentation common to the whole text.
    pub indent: usize,
    /// The line without leading and trailing whitespace.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The line's whitespace-separated words.
    pub fn words(&self) -> Vec<&'a str> {
        self.text.split_whitespace().collect()
    }
}

/// A top-level command and the indented lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'a> {
    /// The top-level line.
    pub head: Line<'a>,
    /// Indented lines under it, in order.
    pub body: Vec<Line<'a>>,
}

impl<'a> Block<'a> {
    /// The head followed by the body.
    pub fn lines(&self) -> impl Iterator<Item = &Line<'a>> {
        iter::once(&self.head).chain(self.body.iter())
    }
}

/// A whole configuration as blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree<'a> {
    /// Blocks in order.
    pub blocks: Vec<Block<'a>>,
    /// Number of lines in the text (as [`str::lines`] counts them).
    pub lines: u64,
}

/// Whether a trimmed line is a comment or separator.
pub fn is_comment(text: &str) -> bool {
    text.starts_with('!') || text.starts_with(':')
}

fn indent_of(raw: &str) -> usize {
    raw.chars().take_while(|c| c.is_whitespace()).count()
}

/// The closing delimiter of a multi-line IOS banner starting on `text`,
/// or `None` when the banner fits on this line (or is ASA-style text).
fn banner_delimiter(text: &str) -> Option<&str> {
    let mut words = text.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("banner") {
        return None;
    }
    let kind = words.next()?;
    // `text` starts with the word `banner` (6 ASCII bytes), then the kind.
    let after_kind = text.get(6..)?.trim_start().get(kind.len()..)?.trim_start();
    let delim = if after_kind.starts_with("^C") {
        "^C"
    } else {
        let c = after_kind.chars().next()?;
        if c.is_alphanumeric() {
            return None;
        }
        &after_kind[..c.len_utf8()]
    };
    let rest = &after_kind[delim.len()..];
    if rest.contains(delim) {
        None
    } else {
        Some(delim)
    }
}

/// Splits `text` into blocks.
pub fn parse(text: &str) -> Tree<'_> {
    let raw: Vec<&str> = text.lines().collect();
    let lines = raw.len() as u64;
    let base = raw
        .iter()
        .filter(|r| {
            let t = r.trim();
            !t.is_empty() && !is_comment(t)
        })
        .map(|r| indent_of(r))
        .min()
        .unwrap_or(0);

    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let r = raw[i];
        let text = r.trim();
        let no = i as u64 + 1;
        i += 1;
        if text.is_empty() || is_comment(text) {
            continue;
        }
        let line = Line {
            no,
            indent: indent_of(r).saturating_sub(base),
            text,
        };
        if line.indent == 0 {
            if let Some(delim) = banner_delimiter(text) {
                // Multi-line banner: only when it is closed somewhere.
                if let Some(off) = raw[i..].iter().position(|l| l.contains(delim)) {
                    let body = raw[i..=i + off]
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| !l.trim().is_empty())
                        .map(|(j, l)| Line {
                            no: (i + j) as u64 + 1,
                            indent: 1,
                            text: l.trim(),
                        })
                        .collect();
                    blocks.push(Block { head: line, body });
                    i += off + 1;
                    continue;
                }
            }
            blocks.push(Block {
                head: line,
                body: Vec::new(),
            });
        } else if let Some(b) = blocks.last_mut() {
            b.body.push(line);
        } else {
            blocks.push(Block {
                head: line,
                body: Vec::new(),
            });
        }
    }
    Tree { blocks, lines }
}

/// Which lines a parser understood; the rest are counted as skipped.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    used: Vec<bool>,
}

impl Marks {
    /// Room for `lines` lines.
    pub fn new(lines: u64) -> Marks {
        Marks {
            used: vec![false; usize::try_from(lines).unwrap_or(0).saturating_add(1)],
        }
    }

    /// Marks a line as understood.
    pub fn mark(&mut self, line: &Line<'_>) {
        if let Some(u) = usize::try_from(line.no)
            .ok()
            .and_then(|n| self.used.get_mut(n))
        {
            *u = true;
        }
    }

    /// Marks a whole block as understood.
    pub fn mark_block(&mut self, block: &Block<'_>) {
        for l in block.lines() {
            self.mark(l);
        }
    }

    /// Numbers of the lines of `tree` (outside comments and blank lines)
    /// not marked, in order.
    pub fn unmarked(&self, tree: &Tree<'_>) -> Vec<u64> {
        let used = |l: &Line<'_>| {
            usize::try_from(l.no)
                .ok()
                .and_then(|n| self.used.get(n))
                .copied()
                .unwrap_or(false)
        };
        let mut out: Vec<u64> = tree
            .blocks
            .iter()
            .flat_map(|b| b.lines())
            .filter(|l| !used(l) && !is_noise(l.text))
            .map(|l| l.no)
            .collect();
        out.sort_unstable();
        out
    }
}

/// Mode-leaving and terminator lines carry no meaning.
fn is_noise(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "end" | "exit" | "quit" | "exit-address-family"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_line_numbers_and_skip_comments() {
        let t = parse("hostname r1\n!\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n\n shutdown\nend\n");
        assert_eq!(t.lines, 7);
        assert_eq!(t.blocks.len(), 3);
        assert_eq!(t.blocks[1].head.no, 3);
        let body: Vec<u64> = t.blocks[1].body.iter().map(|l| l.no).collect();
        assert_eq!(body, vec![4, 6]);
    }

    #[test]
    fn banners_are_one_block() {
        let t = parse("banner motd ^C\ncrypto isakmp key x address 1.1.1.1\n^C\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
        assert_eq!(t.blocks[0].body.len(), 2);
        assert_eq!(t.blocks[1].head.text, "hostname r");
        // unclosed: a single line
        let t = parse("banner motd ^C never closed\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
        // ASA style
        let t = parse("banner motd Authorized only\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
    }

    #[test]
    fn common_indentation_is_removed() {
        let t = parse("  crypto isakmp policy 10\n   hash md5\n  hostname x\n");
        assert_eq!(t.blocks.len(), 2);
        assert_eq!(t.blocks[0].body.len(), 1);
    }

    #[test]
    fn orphan_indented_lines_become_blocks() {
        let t = parse("\n\n set peer 1.1.1.1\nhostname a\n");
        assert_eq!(t.blocks.len(), 2);
    }
}
