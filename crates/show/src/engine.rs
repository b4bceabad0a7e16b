//! `show crypto engine connection(s) active` (IOS 12.x and 15.x/IOS-XE).
//!
//! The header names the columns; rows are read by those names, so both
//! layouts (`ID Interface IP-Address State Algorithm Encrypt Decrypt` and
//! `ID Type Algorithm Encrypt Decrypt LastSeqN IP-Address`) parse.

use crate::text::Text;
use crate::text::{num, trim, Tokens};
use crate::{LineRef, Notes, What};
use serde::Serialize;

/// One crypto engine connection (one SA or IKE SA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineConnection {
    /// Line.
    pub line: u64,
    /// Connection id (matches the `conn id` of `show crypto ipsec sa`).
    pub id: u64,
    /// `Interface` (12.x).
    pub interface: Option<Text>,
    /// `IP-Address`.
    pub ip_address: Option<Text>,
    /// `State` (`set`, `alloc`).
    pub state: Option<Text>,
    /// `Type` (`IPsec`, `IKE`) (15.x).
    pub conn_type: Option<Text>,
    /// `Algorithm` (`HMAC_MD5+3DES_56_C`, `AES256+SHA`).
    pub algorithm: Option<Text>,
    /// Packets encrypted.
    pub encrypt: Option<u64>,
    /// Packets decrypted.
    pub decrypt: Option<u64>,
    /// `LastSeqN`.
    pub last_seq: Option<u64>,
    /// The row, for evidence.
    #[serde(skip)]
    pub evidence: Option<LineRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Interface,
    Ip,
    State,
    Type,
    Algorithm,
    Encrypt,
    Decrypt,
    LastSeq,
    Other,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct EngineParser {
    cols: Vec<Col>,
}

/// The words of one line, inline up to a row's width.
type Words<T> = smallvec::SmallVec<[T; 16]>;

impl EngineParser {
    pub(crate) fn reset(&mut self) {
        self.cols.clear();
    }

    /// Handles one line: returns whether it was recognised, and the offset
    /// of text after the table (flattened text goes on with other output).
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<EngineConnection>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        for title in ["Crypto Engine Connections", "Crypto adjacency"] {
            if let Some(rest) = s.strip_prefix(title) {
                // Flattened text goes on after the title.
                let at = s.len() - rest.len();
                let more = title == "Crypto Engine Connections" && !trim(rest).is_empty();
                return (true, more.then_some(at));
            }
        }
        // Rows are a dozen words at most: no allocation per line.
        let toks: Words<(usize, &str)> = Tokens::new(s).collect();
        let mut i = 0;
        if toks.first().map(|t| t.1) == Some("ID") && toks.iter().any(|t| t.1 == "Algorithm") {
            self.cols.clear();
            // The header runs up to the first number (a row's id).
            while let Some(&(_, w)) = toks.get(i).filter(|t| num(t.1).is_none()) {
                self.cols.push(column(w));
                i += 1;
            }
            if i == toks.len() {
                return (true, None);
            }
            // The rows follow on the same line (flattened text).
        }
        if self.cols.is_empty() {
            return (false, None);
        }
        let words: Words<&str> = toks.iter().map(|t| t.1).collect();
        if i == 0 && toks.len() <= self.cols.len() + 1 {
            // One row on its own line: any width (blank columns).
            return (self.row(out, notes, no, s, &words), None);
        }
        // Several rows on one line: each starts with a numeric id and is
        // as wide as the header (or one or two narrower, for blank
        // columns), followed by the next id or the end.
        let n = self.cols.len();
        let mut any = i > 0;
        while i < words.len() {
            let width = [n, n.saturating_sub(1), n.saturating_sub(2)]
                .into_iter()
                .filter(|&w| w >= 2 && i + w <= words.len())
                .find(|&w| {
                    // A full-width row may be followed by anything (the
                    // end of the table); a narrower one only by a row.
                    let next_ok =
                        w == n || !matches!(words.get(i + w), Some(x) if num(x).is_none());
                    next_ok && self.plausible(&words[i..i + w])
                });
            let Some(w) = width else { break };
            let (from, last) = (toks[i], toks[i + w - 1]);
            let text = s.get(from.0..last.0 + last.1.len()).unwrap_or("");
            self.row(out, notes, no, text, &words[i..i + w]);
            any = true;
            i += w;
        }
        let rest = toks.get(i).map(|t| t.0);
        (any, if any { rest } else { None })
    }

    /// Whether `toks` reads as a row: numeric id and numeric counters.
    fn plausible(&self, toks: &[&str]) -> bool {
        let Some(first) = toks.first() else {
            return false;
        };
        if num(first).is_none() {
            return false;
        }
        self.assign(toks).iter().all(|(c, v)| {
            !matches!(c, Col::Encrypt | Col::Decrypt | Col::LastSeq) || num(v).is_some()
        })
    }

    /// Pairs the row's words with the header's columns. They line up one
    /// to one when the row has as many words as the header; otherwise the
    /// leading text columns are read from the front and the trailing
    /// numeric ones from the back.
    fn assign<'t>(&self, toks: &[&'t str]) -> Words<(Col, &'t str)> {
        if toks.len() == self.cols.len() {
            return self
                .cols
                .iter()
                .copied()
                .zip(toks.iter().copied())
                .collect();
        }
        let numeric = |c: &Col| matches!(c, Col::Encrypt | Col::Decrypt | Col::LastSeq);
        let tail: Words<Col> = self
            .cols
            .iter()
            .rev()
            .take_while(|c| numeric(c))
            .copied()
            .collect();
        let head = &self.cols[..self.cols.len() - tail.len()];
        let body = toks.len().saturating_sub(tail.len());
        let mut v: Words<(Col, &str)> = head
            .iter()
            .copied()
            .zip(toks[..body].iter().copied())
            .collect();
        v.extend(tail.iter().copied().zip(toks.iter().rev().copied()));
        v
    }

    /// Stores one row; false if it is not one.
    fn row(
        &self,
        out: &mut Vec<EngineConnection>,
        notes: &mut Notes,
        no: u64,
        text: &str,
        toks: &[&str],
    ) -> bool {
        let Some(id) = toks.first().and_then(|t| num(t)) else {
            return false;
        };
        let mut c = EngineConnection {
            line: no,
            id,
            interface: None,
            ip_address: None,
            state: None,
            conn_type: None,
            algorithm: None,
            encrypt: None,
            decrypt: None,
            last_seq: None,
            evidence: Some(LineRef::new(notes, no, text, What::Row)),
        };
        for (col, v) in self.assign(toks) {
            match col {
                Col::Interface => c.interface = Some(v.into()),
                Col::Ip => c.ip_address = Some(v.into()),
                Col::State => c.state = Some(v.into()),
                Col::Type => c.conn_type = Some(v.into()),
                Col::Algorithm => c.algorithm = Some(v.into()),
                Col::Encrypt => c.encrypt = num(v),
                Col::Decrypt => c.decrypt = num(v),
                Col::LastSeq => c.last_seq = num(v),
                Col::Id | Col::Other => {}
            }
        }
        out.push(c);
        true
    }
}

/// A header word.
fn column(w: &str) -> Col {
    match w {
        "ID" => Col::Id,
        "Interface" => Col::Interface,
        "IP-Address" => Col::Ip,
        "State" => Col::State,
        "Type" => Col::Type,
        "Algorithm" => Col::Algorithm,
        "Encrypt" => Col::Encrypt,
        "Decrypt" => Col::Decrypt,
        "LastSeqN" => Col::LastSeq,
        _ => Col::Other,
    }
}
