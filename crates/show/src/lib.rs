//! Parses Cisco `show crypto …` and `show vpn-sessiondb …` output (IOS,
//! IOS-XE, PIX, ASA) into structured, line-numbered records, and diagnoses
//! IPsec tunnels from them — per device, and across both ends of a tunnel
//! when both devices' output is given.
//!
//! ```
//! let text = "R1#show crypto isakmp sa\n\
//!             dst             src             state          conn-id status\n\
//!             192.0.2.2       192.0.2.1       MM_WAIT_MSG6      1001 ACTIVE\n";
//! let out = ipsec_doctor_show::parse("r1.txt", text);
//! assert_eq!(out.device.as_deref(), Some("R1"));
//! assert_eq!(out.isakmp_sas[0].state.as_deref(), Some("MM_WAIT_MSG6"));
//! let findings = ipsec_doctor_show::diagnose(&[out]);
//! assert_eq!(findings[0].code.as_str(), "psk-mismatch");
//! ```
//!
//! Parsing never fails: unknown lines are skipped and counted
//! ([`ShowOutput::skipped`]), empty output gives an empty result.

#![warn(missing_docs)]

mod counters;
mod diagnose;
mod engine;
mod ipsec_sa;
mod isakmp;
pub mod mtu;
mod pair;
mod ping;
mod scan;
mod session;
mod text;
mod vpn_sessiondb;

pub use counters::{Counters, OtherCounter};
pub use engine::EngineConnection;
pub use ipsec_sa::{Direction, Ident, IpsecSaBlock, Sa, SaProtocol, SaSet};
pub use isakmp::{IsakmpFormat, IsakmpSa, IsakmpSummary};
pub use ping::{mtu_bounds, MtuBounds, PingProbe, SizeSweep};
pub use session::{CryptoSession, FlowCounters, SessionFlow, SessionIkeSa};
pub use text::Text;
pub use vpn_sessiondb::{KeyValue, Quantity, SummaryRow, VpnSession, VpnSubSession, VpnSummary};

use serde::Serialize;

/// One input line kept for evidence (not serialised: findings carry it).
/// Its text is stored once per output, read with [`ShowOutput::text_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineRef {
    /// 1-based line number.
    pub line: u64,
    start: u32,
    len: u32,
    /// What the line shows (`header`, `ident`, `counters`, `endpoints`,
    /// `mtu`, `peer`, `row`, `state`, `spi`, `probe`, `result`, `status`, …).
    pub what: &'static str,
}

impl LineRef {
    /// Moves the reference `by` bytes (the notes it points into were
    /// appended to others); a reference that no longer fits points nowhere.
    fn shift(&mut self, by: usize) {
        match u32::try_from(self.start as usize + by) {
            Ok(s) if (s as usize) + (self.len as usize) <= u32::MAX as usize => self.start = s,
            _ => {
                self.start = 0;
                self.len = 0;
            }
        }
    }

    /// Keeps `text` (the logical piece of the line, for flattened text) in
    /// `notes` and refers to it.
    pub(crate) fn new(notes: &mut String, line: u64, text: &str, what: &'static str) -> LineRef {
        let start = notes.len();
        let (start, len) = match (u32::try_from(start), u32::try_from(text.len())) {
            (Ok(s), Ok(l)) if start + text.len() <= u32::MAX as usize => {
                notes.push_str(text);
                (s, l)
            }
            _ => (0, 0),
        };
        LineRef {
            line,
            start,
            len,
            what,
        }
    }
}

/// Which command's output a stretch of lines is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// `show crypto isakmp sa` / `show crypto ikev1 sa`.
    Isakmp,
    /// `show crypto ipsec sa`.
    Ipsec,
    /// `show crypto engine connection active`.
    Engine,
    /// `show crypto session`.
    Session,
    /// `show vpn-sessiondb [detail] l2l`.
    Sessiondb,
    /// `show vpn-sessiondb` summary.
    VpnSummary,
    /// `ping` (path-MTU probes).
    Ping,
    /// Anything else (other commands, debug output, prose).
    Other,
}

/// A stretch of the input: one command's output, or output recognised by
/// its own markers when no prompt precedes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// What it holds.
    pub kind: SectionKind,
    /// The command as typed, when a prompt showed it.
    pub command: Option<String>,
    /// The device whose prompt preceded it.
    pub device: Option<String>,
    /// First line.
    pub line: u64,
    /// Last line.
    pub end_line: u64,
}

/// Everything found in one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowOutput {
    /// The input's name (path, or `-`).
    pub source: String,
    /// The device (from the first prompt that introduced show output).
    pub device: Option<String>,
    /// The sections in order, with the device of each (a file may hold
    /// several devices' output).
    pub sections: Vec<Section>,
    /// ISAKMP / IKEv1 SAs.
    pub isakmp_sas: Vec<IsakmpSa>,
    /// ASA `Active SA` / PIX `Total / Embryonic` counters.
    pub isakmp_summaries: Vec<IsakmpSummary>,
    /// `show crypto ipsec sa` blocks.
    pub ipsec: Vec<IpsecSaBlock>,
    /// `show crypto engine connection active` rows.
    pub engine_connections: Vec<EngineConnection>,
    /// `show crypto session` sessions.
    pub sessions: Vec<CryptoSession>,
    /// `show vpn-sessiondb [detail] l2l` sessions.
    pub vpn_sessions: Vec<VpnSession>,
    /// `show vpn-sessiondb` summaries.
    pub vpn_summaries: Vec<VpnSummary>,
    /// Ping runs (path-MTU probes).
    pub pings: Vec<PingProbe>,
    /// Lines read.
    pub lines: u64,
    /// Non-blank lines not understood (skipped).
    pub skipped: u64,
    /// The text of the lines kept for evidence ([`LineRef`]).
    #[serde(skip)]
    notes: String,
}

impl ShowOutput {
    fn empty(source: &str) -> ShowOutput {
        ShowOutput {
            source: source.to_string(),
            device: None,
            sections: Vec::new(),
            isakmp_sas: Vec::new(),
            isakmp_summaries: Vec::new(),
            ipsec: Vec::new(),
            engine_connections: Vec::new(),
            sessions: Vec::new(),
            vpn_sessions: Vec::new(),
            vpn_summaries: Vec::new(),
            pings: Vec::new(),
            lines: 0,
            skipped: 0,
            notes: String::new(),
        }
    }

    /// Appends the parse of the text that follows this one (line numbers
    /// already continued).
    fn join(mut self, mut next: ShowOutput) -> ShowOutput {
        let shift = self.notes.len();
        next.shift_notes(shift);
        self.notes.push_str(&next.notes);
        if self.device.is_none() {
            self.device = next.device;
        }
        self.sections.append(&mut next.sections);
        self.isakmp_sas.append(&mut next.isakmp_sas);
        self.isakmp_summaries.append(&mut next.isakmp_summaries);
        self.ipsec.append(&mut next.ipsec);
        self.engine_connections.append(&mut next.engine_connections);
        self.sessions.append(&mut next.sessions);
        self.vpn_sessions.append(&mut next.vpn_sessions);
        self.vpn_summaries.append(&mut next.vpn_summaries);
        self.pings.append(&mut next.pings);
        self.lines = next.lines;
        self.skipped += next.skipped;
        self
    }

    /// Moves every evidence reference `by` bytes further into the notes.
    fn shift_notes(&mut self, by: usize) {
        let mut shift = |r: &mut LineRef| r.shift(by);
        for sa in &mut self.isakmp_sas {
            sa.evidence.iter_mut().for_each(&mut shift);
        }
        for b in &mut self.ipsec {
            b.evidence.iter_mut().for_each(&mut shift);
            for sa in b.inbound.all_mut().chain(b.outbound.all_mut()) {
                sa.spi_line.iter_mut().for_each(&mut shift);
            }
        }
        for s in &mut self.sessions {
            s.evidence.iter_mut().for_each(&mut shift);
        }
        for v in &mut self.vpn_sessions {
            v.evidence.iter_mut().for_each(&mut shift);
            for sub in &mut v.subs {
                sub.evidence.iter_mut().for_each(&mut shift);
            }
        }
        for p in &mut self.pings {
            p.evidence.iter_mut().for_each(&mut shift);
        }
    }

    pub(crate) fn reserve_notes(&mut self, n: usize) {
        self.notes.reserve(n);
    }

    /// The text of a line kept for evidence.
    pub fn text_of(&self, r: &LineRef) -> &str {
        let start = r.start as usize;
        self.notes.get(start..start + r.len as usize).unwrap_or("")
    }

    /// The device whose output holds `line`: the device of the prompt
    /// before its section; for output without a prompt, the input's only
    /// device when exactly one appears in it.
    pub fn device_at(&self, line: u64) -> Option<&str> {
        let own = self
            .sections
            .iter()
            .rev()
            .find(|s| s.line <= line)
            .and_then(|s| s.device.as_deref());
        own.or_else(|| {
            let mut names = self.sections.iter().filter_map(|s| s.device.as_deref());
            let first = names.next()?;
            names.all(|n| n == first).then_some(first)
        })
    }

    /// Whether nothing at all was recognised.
    pub fn is_empty(&self) -> bool {
        self.isakmp_sas.is_empty()
            && self.isakmp_summaries.is_empty()
            && self.ipsec.is_empty()
            && self.engine_connections.is_empty()
            && self.sessions.is_empty()
            && self.vpn_sessions.is_empty()
            && self.vpn_summaries.is_empty()
            && self.pings.is_empty()
    }
}

/// Markers that only `show crypto` / `show vpn-sessiondb` output (or a
/// transcript with such commands) contains.
const MARKERS: &[&str] = &[
    "show crypto isakmp sa",
    "show crypto ikev1 sa",
    "show crypto ipsec sa",
    "show crypto session",
    "show crypto engine",
    "show vpn-sessiondb",
    "Crypto map tag:",
    "#pkts encaps",
    "inbound esp sas:",
    "IPv4 Crypto ISAKMP SA",
    "dst             src             state",
    "dst src state",
    "IKE Peer:",
    "Total IKE SA:",
    "Crypto session current status",
    "Session Type: LAN-to-LAN",
    "VPN Session Summary",
    "Crypto Engine Connections",
    "Set DF bit in IP header?",
];

/// Sniffing: whether `text` looks like `show crypto …` / `show
/// vpn-sessiondb …` output (looks at the first 256 KiB).
pub fn looks_like_show(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(256 * 1024)];
    MARKERS
        .iter()
        .any(|m| memchr::memmem::find(head, m.as_bytes()).is_some())
}

/// Parses every section found in `text` (a file may hold several
/// commands' output, with prompts like `R1#show crypto ipsec sa`, or raw
/// output without prompts, or text flattened onto one line). `source`
/// names the input in evidence. Never fails and never panics.
pub fn parse(source: &str, text: &str) -> ShowOutput {
    /// Below this, one thread is faster than two.
    const PARALLEL_MIN: usize = 8 << 20;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if text.len() >= PARALLEL_MIN && threads > 1 {
        if let Some(cut) = scan::split_point(text) {
            return parse_in_two(source, text, cut);
        }
    }
    scan::Parser::new(source).run(text)
}

/// Parses `text[..cut]` and `text[cut..]` (which starts with a prompt line)
/// on two threads and joins the results as one parse would have made them.
fn parse_in_two(source: &str, text: &str, cut: usize) -> ShowOutput {
    let (a, b) = text.split_at(cut);
    let first_lines = memchr::memchr_iter(b'\n', a.as_bytes()).count() as u64;
    let joined = std::thread::scope(|s| {
        let right = std::thread::Builder::new()
            .spawn_scoped(s, || scan::Parser::new(source).run_from(b, first_lines))
            .ok()?;
        let left = scan::Parser::new(source).run(a);
        right.join().ok().map(|right| left.join(right))
    });
    // No thread to be had (or it failed): parse in one go.
    joined.unwrap_or_else(|| scan::Parser::new(source).run(text))
}

/// Diagnoses the parsed outputs: per-device findings (ISAKMP states,
/// counters, MTU, path-MTU probes, weak algorithms) plus cross-checks
/// between devices when both ends of a tunnel are present. Findings are
/// sorted most important first.
pub fn diagnose(outputs: &[ShowOutput]) -> Vec<ipsec_doctor_model::Finding> {
    let mut findings = diagnose::per_device(outputs);
    findings.extend(pair::cross_check(outputs));
    findings.sort_by(ipsec_doctor_model::Finding::rank_cmp);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_in_two_gives_what_one_pass_gives() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
        let mut text = String::new();
        for name in [
            "variants/ios-12.4.txt",
            "variants/asa-9.x.txt",
            "variants/iosxe-17.txt",
            "seed/000_0a53f1ff0da6e12d.txt",
            "variants/pix-6.3.txt",
            "variants/asa-8.2.txt",
        ] {
            text.push_str(&std::fs::read_to_string(format!("{dir}{name}")).unwrap_or_default());
            text.push('\n');
        }
        let cut = scan::split_point(&text).unwrap();
        assert!(cut > text.len() / 2);
        let two = parse_in_two("x", &text, cut);
        let one = scan::Parser::new("x").run(&text);
        assert_eq!(two, one);
        let r = &two.ipsec.last().unwrap().evidence[0];
        assert_eq!(two.text_of(r), one.text_of(r));
        assert!(!two.text_of(r).is_empty());
        assert_eq!(scan::split_point("no prompts here\n"), None);
    }
}
