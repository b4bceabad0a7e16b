//! ASA `show asp drop`: the accelerated security path's drop counters.
//!
//! ```text
//! Frame drop:
//!   Invalid encapsulation (invalid-encap)                                  10
//!   IPSec spoof detected (ipsec-spoof)                                      4
//!   IPSec Clear Pkt w/no Tunnel (ipsec-clearpkt-notun)                     12
//!
//! Last clearing: 10:43:33 EDT Mar 25 2013 by enable_15
//!
//! Flow drop:
//!   NAT failed (nat-failed)                                               528
//! ```
//!
//! Every counter is kept (description, keyword, count); the diagnosis reads
//! the IPsec ones.

use crate::text::{num, trim, Text};
use crate::{LineRef, Notes, What};
use serde::Serialize;

/// One drop counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AspDrop {
    /// Line.
    pub line: u64,
    /// `frame` (packets) or `flow` (connections).
    pub kind: Text,
    /// The drop reason's keyword (`ipsec-spoof`), as `capture … type
    /// asp-drop` takes it.
    pub reason: Text,
    /// The description printed before it (`IPSec spoof detected`).
    pub description: Text,
    /// Packets (frame) or connections (flow) dropped since the last clearing.
    pub count: u64,
    /// The row, for evidence.
    #[serde(skip)]
    pub evidence: LineRef,
}

/// Reads `show asp drop` rows.
#[derive(Debug, Default)]
pub(crate) struct AspParser {
    kind: Option<&'static str>,
}

impl AspParser {
    pub(crate) fn reset(&mut self) {
        self.kind = None;
    }

    /// One line; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<AspDrop>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> bool {
        if s.starts_with("Frame drop") {
            self.kind = Some("frame");
            return true;
        }
        if s.starts_with("Flow drop") {
            self.kind = Some("flow");
            return true;
        }
        if s.starts_with("Last clearing:") {
            return true;
        }
        // `Description (keyword)   count`: the keyword in the last brackets
        // before the count (descriptions hold brackets of their own).
        let Some(kind) = self.kind else {
            return false;
        };
        let Some(close) = s.rfind(')') else {
            return false;
        };
        let Some(count) = num(trim(&s[close + 1..])) else {
            return false;
        };
        let Some(open) = s[..close].rfind('(') else {
            return false;
        };
        let reason = &s[open + 1..close];
        if reason.is_empty()
            || !reason
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return false;
        }
        out.push(AspDrop {
            line: no,
            kind: Text::from(kind),
            reason: Text::from(reason),
            description: Text::from(trim(&s[..open])),
            count,
            evidence: LineRef::new(notes, no, s, What::Counters),
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_line_is_read_without_panic(
            lines in proptest::collection::vec("(\\PC|[()\\[\\] ]){0,60}", 0..8)
        ) {
            let mut notes = Notes::default();
            let mut out = Vec::new();
            let mut p = AspParser::default();
            // Inside a section, where rows are read.
            p.line(&mut out, &mut notes, 0, "Frame drop:");
            for (i, l) in lines.iter().enumerate() {
                p.line(&mut out, &mut notes, i as u64 + 1, l);
            }
        }
    }

    #[test]
    fn frame_and_flow_rows() {
        let mut notes = Notes::default();
        let mut out = Vec::new();
        let mut p = AspParser::default();
        for (i, l) in [
            "Frame drop:",
            "Invalid encapsulation (invalid-encap)                                  10",
            "IPSec spoof detected (ipsec-spoof)                                      4",
            "Slowpath security checks failed (sp-security-failed)                   7",
            "Last clearing: 10:43:33 EDT Mar 25 2013 by enable_15",
            "Flow drop:",
            "NAT failed (nat-failed)                                               528",
            "Tunnel is down (tunnel-down) oops",
        ]
        .iter()
        .enumerate()
        {
            p.line(&mut out, &mut notes, i as u64 + 1, l);
        }
        let got: Vec<(&str, &str, u64)> = out
            .iter()
            .map(|d| (d.kind.as_str(), d.reason.as_str(), d.count))
            .collect();
        assert_eq!(
            got,
            vec![
                ("frame", "invalid-encap", 10),
                ("frame", "ipsec-spoof", 4),
                ("frame", "sp-security-failed", 7),
                ("flow", "nat-failed", 528),
            ]
        );
        assert_eq!(out[1].description.as_str(), "IPSec spoof detected");
    }
}
