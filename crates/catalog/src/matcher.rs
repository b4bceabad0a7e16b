//! Compiles the table once and classifies message bodies.

use crate::entry::Entry;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{CaptureLocations, Regex, RegexBuilder};
use std::sync::OnceLock;

/// A compiled catalog.
pub struct Catalog {
    entries: &'static [Entry],
    prefilter: AhoCorasick,
    /// For each prefilter pattern, the entries whose literal it is.
    by_literal: Vec<Vec<usize>>,
    /// Compiled on first use: most inputs touch a small part of the table.
    regexes: Vec<OnceLock<Regex>>,
}

/// A body recognised as one entry.
#[derive(Debug)]
pub struct Match<'t> {
    /// Index into [`crate::entries`].
    pub index: usize,
    /// The entry.
    pub entry: &'static Entry,
    text: &'t str,
    regex: &'t Regex,
    locs: Option<CaptureLocations>,
}

impl<'t> Match<'t> {
    /// The text of the named capture group, when it took part in the match.
    pub fn name(&self, group: &str) -> Option<&'t str> {
        let i = self.regex.capture_names().position(|n| n == Some(group))?;
        let (start, end) = self.locs.as_ref()?.get(i)?;
        self.text.get(start..end)
    }
}

/// A classification that borrows nothing: the entry and where its capture
/// groups lie. It can be computed on one thread and turned back into a
/// [`Match`] on another ([`Catalog::attach`]) over the same text.
#[derive(Debug, Clone)]
pub struct Located {
    index: usize,
    /// `None` for an entry whose regex has no groups.
    locs: Option<CaptureLocations>,
}

impl Located {
    /// Index into [`crate::entries`].
    pub fn index(&self) -> usize {
        self.index
    }
}

impl Catalog {
    /// Builds the catalog. The table is static and tested, so a pattern that
    /// fails to compile is a programming error caught by the unit tests; such
    /// an entry is left out (never matches) rather than aborting the program.
    pub fn new() -> Catalog {
        Catalog::with_extra_literals(&[])
    }

    /// [`Catalog::new`] whose prefilter ([`Catalog::prefilter`]) also
    /// finds `extra` (matched case-insensitively; they point at no entry),
    /// so that a caller who needs those too builds no automaton of its own.
    pub fn with_extra_literals(extra: &[&str]) -> Catalog {
        let entries = crate::entries();
        let mut literals: Vec<String> = Vec::new();
        let mut by_literal: Vec<Vec<usize>> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for lit in e.literal.split('|').map(str::to_ascii_lowercase) {
                match literals.iter().position(|l| *l == lit) {
                    Some(p) => by_literal[p].push(i),
                    None => {
                        literals.push(lit);
                        by_literal.push(vec![i]);
                    }
                }
            }
        }
        for lit in extra.iter().map(|l| l.to_ascii_lowercase()) {
            if !literals.contains(&lit) {
                literals.push(lit);
                by_literal.push(Vec::new());
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .unwrap_or_else(|_| empty_automaton());
        let regexes = entries.iter().map(|_| OnceLock::new()).collect();
        Catalog {
            entries,
            prefilter,
            by_literal,
            regexes,
        }
    }

    /// The entries.
    pub fn entries(&self) -> &'static [Entry] {
        self.entries
    }

    fn regex(&self, i: usize) -> &Regex {
        self.regexes[i].get_or_init(|| {
            RegexBuilder::new(self.entries[i].regex)
                .case_insensitive(true)
                .build()
                .unwrap_or_else(|_| never_regex())
        })
    }

    /// Classifies a message body: the first entry (in table order) whose
    /// literal occurs and whose regex matches.
    pub fn classify<'t>(&'t self, body: &'t str) -> Option<Match<'t>> {
        let located = self.locate(body)?;
        Some(self.attach(located, body))
    }

    /// [`Catalog::classify`] without borrowing `body`.
    pub fn locate(&self, body: &str) -> Option<Located> {
        let mut candidates: Vec<usize> = Vec::new();
        for m in self.prefilter.find_overlapping_iter(body) {
            candidates.extend_from_slice(&self.by_literal[m.pattern().as_usize()]);
        }
        if candidates.is_empty() {
            return None;
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.into_iter().find_map(|i| {
            let re = self.regex(i);
            // Most entries name no group: whether they match is all there
            // is to know, and that is a cheaper search than finding where.
            let locs = if re.captures_len() > 1 {
                let mut locs = re.capture_locations();
                re.captures_read(&mut locs, body)?;
                Some(locs)
            } else if re.is_match(body) {
                None
            } else {
                return None;
            };
            Some(Located { index: i, locs })
        })
    }

    /// Turns a classification of `body` back into a [`Match`]. `body` must be
    /// the text that was located; a capture outside it reads as absent.
    pub fn attach<'t>(&'t self, located: Located, body: &'t str) -> Match<'t> {
        // `Located` is only made by `locate`, over the same static table.
        let i = located.index;
        Match {
            index: i,
            entry: &self.entries[i],
            text: body,
            regex: self.regex(i),
            locs: located.locs,
        }
    }

    /// The automaton of every entry literal and the extra ones
    /// (case-insensitive, standard match semantics).
    pub fn prefilter(&self) -> &AhoCorasick {
        &self.prefilter
    }

    /// Whether any entry's literal occurs in `text` (cheap pre-check).
    pub fn may_match(&self, text: &str) -> bool {
        self.prefilter.is_match(text)
    }

    /// Every entry literal, lower-cased (for callers building a wider
    /// prefilter of their own).
    pub fn literals(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| e.literal.split('|').map(str::to_ascii_lowercase))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Entries whose id, title or literal contains `query`, or whose regex
    /// matches it (for `explain`).
    pub fn search(&self, query: &str) -> Vec<&'static Entry> {
        let q = query.trim();
        if let Some(m) = self.classify(q) {
            return vec![m.entry];
        }
        let ql = q.to_ascii_lowercase();
        self.entries
            .iter()
            .filter(|e| {
                e.id.eq_ignore_ascii_case(q)
                    || e.title.to_ascii_lowercase().contains(&ql)
                    || (ql.len() >= 4
                        && e.literal
                            .split('|')
                            .any(|l| l.to_ascii_lowercase().contains(&ql)))
            })
            .collect()
    }
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::new()
    }
}

fn never_regex() -> Regex {
    // `[^\s\S]` matches nothing; it always compiles.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("constant regex compiles"))
}

fn empty_automaton() -> AhoCorasick {
    AhoCorasick::new(["\u{0}never\u{0}"])
        .unwrap_or_else(|_| unreachable!("constant automaton builds"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn every_regex_compiles_and_every_literal_is_inside_its_example() {
        for e in crate::entries() {
            assert!(
                Regex::new(e.regex).is_ok(),
                "{}: regex does not compile",
                e.id
            );
            assert!(
                e.literal.split('|').all(|l| !l.is_empty()),
                "{}: empty literal",
                e.id
            );
            let example = e.example.to_ascii_lowercase();
            assert!(
                e.literal
                    .split('|')
                    .any(|l| example.contains(&l.to_ascii_lowercase())),
                "{}: no literal of {:?} in example",
                e.id,
                e.literal
            );
        }
    }

    #[test]
    fn every_example_is_recognised_as_its_own_entry() {
        let cat = Catalog::new();
        let mut wrong = Vec::new();
        for e in crate::entries() {
            let got = cat.classify(e.example).map(|m| m.entry.id);
            if got != Some(e.id) {
                wrong.push(format!("{} -> {:?}", e.id, got));
            }
        }
        assert!(
            wrong.is_empty(),
            "misclassified examples:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn ids_are_unique_and_entries_are_documented() {
        let mut seen = std::collections::HashSet::new();
        for e in crate::entries() {
            assert!(seen.insert(e.id), "duplicate id {}", e.id);
            assert!(!e.title.is_empty() && !e.meaning.is_empty(), "{}", e.id);
            assert!(!e.platforms.is_empty(), "{}", e.id);
        }
        assert!(
            crate::entries().len() >= 100,
            "catalog has {} entries",
            crate::entries().len()
        );
    }
}
