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

mod asp;
mod counters;
mod diagnose;
mod engine;
mod ikev2;
mod ipsec_sa;
mod isakmp;
mod keys;
pub mod mtu;
mod pair;
mod ping;
mod policy;
mod scan;
mod session;
mod text;
mod tunnels;
mod vpn_sessiondb;

pub use asp::AspDrop;
pub use counters::{Counters, OtherCounter};
pub use engine::EngineConnection;
pub use ikev2::{Ikev2Child, Ikev2Format, Ikev2Sa};
pub use ipsec_sa::{Direction, Ident, IpsecSaBlock, IpsecSaCount, Sa, SaProtocol, SaSet};
pub use isakmp::{IsakmpFormat, IsakmpSa, IsakmpSummary};
pub use keys::IsakmpKey;
pub use ping::{mtu_bounds, MtuBounds, PingProbe, SizeSweep};
pub use policy::{CryptoMapEntry, IsakmpPolicy, MapAclLine, MapTransformSet, TransformSet};
pub use session::{CryptoSession, FlowCounters, SessionFlow, SessionIkeSa};
pub use text::Text;
pub use tunnels::tunnels;
pub use vpn_sessiondb::{KeyValue, Quantity, SummaryRow, VpnSession, VpnSubSession, VpnSummary};

use serde::Serialize;
use std::sync::OnceLock;

/// One input line kept for evidence (not serialised: findings carry it).
/// Its text is stored once per output, read with [`ShowOutput::text_of`].
/// Two references are equal when they keep the same line for the same
/// purpose (where the text is stored is not part of it). Sixteen bytes:
/// an output keeps hundreds of thousands of them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LineRef {
    line: u32,
    start: u32,
    len: u32,
    what: What,
}

/// What a kept line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum What {
    Algorithms,
    Child,
    Counters,
    Endpoints,
    Frag,
    Header,
    Ident,
    Mtu,
    Peer,
    Probe,
    Result,
    Row,
    Spi,
    State,
    Status,
}

impl What {
    fn as_str(self) -> &'static str {
        match self {
            What::Algorithms => "algorithms",
            What::Child => "child",
            What::Counters => "counters",
            What::Endpoints => "endpoints",
            What::Frag => "frag",
            What::Header => "header",
            What::Ident => "ident",
            What::Mtu => "mtu",
            What::Peer => "peer",
            What::Probe => "probe",
            What::Result => "result",
            What::Row => "row",
            What::Spi => "spi",
            What::State => "state",
            What::Status => "status",
        }
    }
}

impl PartialEq for LineRef {
    fn eq(&self, o: &LineRef) -> bool {
        self.line == o.line && self.len == o.len && self.what == o.what
    }
}

impl Eq for LineRef {}

/// Bits of a [`LineRef`] start that address a byte of one notes part; the
/// bits above them say which part.
const PART_BITS: u32 = 30;
const PART_MASK: u32 = (1 << PART_BITS) - 1;
/// Parts a start can name (two bits).
const PARTS: usize = 4;

impl LineRef {
    /// 1-based line number.
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    /// What the line shows (`header`, `ident`, `counters`, `endpoints`,
    /// `mtu`, `peer`, `row`, `state`, `spi`, `probe`, `result`, `status`,
    /// `algorithms`, `child`, `frag`).
    pub fn what(&self) -> &'static str {
        self.what.as_str()
    }

    fn part(&self) -> usize {
        (self.start >> PART_BITS) as usize
    }

    /// Moves the reference `by` bytes within its part (the notes it points
    /// into were appended to others); a reference that no longer fits
    /// points nowhere.
    fn shift(&mut self, by: usize) {
        let off = (self.start & PART_MASK) as usize + by;
        match u32::try_from(off) {
            Ok(o) if off + (self.len as usize) <= PART_MASK as usize => {
                self.start = (self.start & !PART_MASK) | o;
            }
            _ => {
                self.start = 0;
                self.len = 0;
            }
        }
    }

    /// Keeps `text` (the logical piece of the line, for flattened text) in
    /// `notes` and refers to it.
    pub(crate) fn new(notes: &mut Notes, line: u64, text: &str, what: What) -> LineRef {
        let (start, len) = match notes.push(text) {
            Some(start) => (start, u32::try_from(text.len()).unwrap_or(0)),
            None => (0, 0),
        };
        LineRef {
            // A show input is parsed in memory: fewer than 4 G lines.
            line: u32::try_from(line).unwrap_or(u32::MAX),
            start,
            len,
            what,
        }
    }
}

/// The text of the lines kept for evidence: one buffer per part of the
/// input parsed on its own thread, so that joining the parts moves the
/// buffers instead of copying them (and leaves the references as they are).
#[derive(Debug, Clone, Default)]
pub(crate) struct Notes {
    parts: Vec<String>,
    cur: usize,
}

impl Notes {
    /// Notes written to part `part`, with room for `capacity` bytes.
    fn new(part: usize, capacity: usize) -> Notes {
        let mut parts = vec![String::new(); part];
        parts.push(String::with_capacity(capacity));
        Notes { parts, cur: part }
    }

    /// Appends `text`; returns its start, or `None` when it does not fit.
    fn push(&mut self, text: &str) -> Option<u32> {
        let part = u32::try_from(self.cur)
            .ok()
            .filter(|&p| (p as usize) < PARTS)?;
        if self.parts.len() <= self.cur {
            self.parts.resize(self.cur + 1, String::new());
        }
        let buf = self.parts.get_mut(self.cur)?;
        let off = buf.len();
        if off + text.len() > PART_MASK as usize {
            return None;
        }
        buf.push_str(text);
        Some((part << PART_BITS) | u32::try_from(off).ok()?)
    }

    fn get(&self, r: &LineRef) -> &str {
        let off = (r.start & PART_MASK) as usize;
        self.parts
            .get(r.part())
            .and_then(|b| b.get(off..off + r.len as usize))
            .unwrap_or("")
    }
}

impl PartialEq for Notes {
    /// The same text, however it is split into parts.
    fn eq(&self, o: &Notes) -> bool {
        let a = self.parts.iter().flat_map(|p| p.bytes());
        a.eq(o.parts.iter().flat_map(|p| p.bytes()))
    }
}

impl Eq for Notes {}

/// Which command's output a stretch of lines is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// `show crypto isakmp sa` / `show crypto ikev1 sa`.
    Isakmp,
    /// `show crypto ipsec sa`.
    Ipsec,
    /// `show crypto ikev2 sa` / `show crypto ikev2 session`.
    Ikev2,
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
    /// `show crypto isakmp policy` (PIX `show isakmp policy`).
    IsakmpPolicy,
    /// `show crypto ipsec transform-set`.
    TransformSet,
    /// `show crypto map`.
    CryptoMap,
    /// `show crypto isakmp key`.
    IsakmpKey,
    /// ASA `show asp drop`.
    AspDrop,
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
    pub command: Option<Text>,
    /// The device whose prompt preceded it.
    pub device: Option<Text>,
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
    /// IKEv2 SAs (`show crypto ikev2 sa` / `session`, ASA `IKEv2 SAs:`).
    pub ikev2_sas: Vec<Ikev2Sa>,
    /// `show crypto ipsec sa` blocks.
    pub ipsec: Vec<IpsecSaBlock>,
    /// IOS-XE `show crypto ipsec sa count` totals.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ipsec_sa_counts: Vec<IpsecSaCount>,
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
    /// `show crypto isakmp policy` protection suites.
    pub isakmp_policies: Vec<IsakmpPolicy>,
    /// `show crypto ipsec transform-set` sets.
    pub transform_sets: Vec<TransformSet>,
    /// `show crypto map` entries.
    pub crypto_maps: Vec<CryptoMapEntry>,
    /// `show crypto isakmp key` rows (keys as salted digests only).
    pub isakmp_keys: Vec<IsakmpKey>,
    /// ASA `show asp drop` counters.
    pub asp_drops: Vec<AspDrop>,
    /// Lines read.
    pub lines: u64,
    /// Non-blank lines not understood (skipped).
    pub skipped: u64,
    /// Line numbers of the first skipped lines (at most
    /// [`SKIPPED_LINES_KEPT`]), to show the user where to look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_lines: Vec<u64>,
    /// Blank lines (whitespace only).
    pub blank: u64,
    /// The text of the lines kept for evidence ([`LineRef`]).
    #[serde(skip)]
    notes: Notes,
    /// The device of the last prompt (carried into the next part when a
    /// large input is parsed in parts).
    #[serde(skip)]
    last_device: Option<Text>,
    /// The one device the prompts name, when they name exactly one (for
    /// output without a prompt of its own); set when parsing ends.
    #[serde(skip)]
    sole_device: Option<Text>,
}

impl ShowOutput {
    fn empty(source: &str) -> ShowOutput {
        ShowOutput {
            source: source.to_string(),
            device: None,
            sections: Vec::new(),
            isakmp_sas: Vec::new(),
            isakmp_summaries: Vec::new(),
            ikev2_sas: Vec::new(),
            ipsec: Vec::new(),
            ipsec_sa_counts: Vec::new(),
            engine_connections: Vec::new(),
            sessions: Vec::new(),
            vpn_sessions: Vec::new(),
            vpn_summaries: Vec::new(),
            pings: Vec::new(),
            isakmp_policies: Vec::new(),
            isakmp_keys: Vec::new(),
            asp_drops: Vec::new(),
            transform_sets: Vec::new(),
            crypto_maps: Vec::new(),
            lines: 0,
            skipped: 0,
            skipped_lines: Vec::new(),
            blank: 0,
            notes: Notes::default(),
            last_device: None,
            sole_device: None,
        }
    }

    /// Appends the parse of the text that follows this one (line numbers
    /// already continued).
    fn join(mut self, mut next: ShowOutput) -> ShowOutput {
        let parts = std::mem::take(&mut next.notes.parts);
        for (p, text) in parts.into_iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            if self.notes.parts.len() <= p {
                self.notes.parts.resize(p + 1, String::new());
            }
            if self.notes.parts[p].is_empty() {
                // The usual case: the parts were written apart.
                self.notes.parts[p] = text;
            } else {
                let shift = self.notes.parts[p].len();
                next.shift_notes(p, shift);
                self.notes.parts[p].push_str(&text);
            }
        }
        // What a single pass would have carried over the cut: the device
        // of the last prompt, for the sections before the next prompt…
        if let Some(d) = &self.last_device {
            for s in next.sections.iter_mut().take_while(|s| s.device.is_none()) {
                s.device = Some(d.clone());
            }
        }
        if self.device.is_none() {
            self.device = next
                .sections
                .iter()
                .filter(|s| s.kind != SectionKind::Other)
                .find_map(|s| s.device.as_deref().map(str::to_string));
        }
        // …and the section itself, when the cut is not at a command (an
        // `interface:` line inside `show crypto ipsec sa` output).
        if let (Some(last), Some(first)) = (self.sections.last_mut(), next.sections.first()) {
            if first.command.is_none()
                && first.kind == last.kind
                && first.device == last.device
                && first.line == last.end_line + 1
            {
                last.end_line = first.end_line;
                next.sections.remove(0);
            }
        }
        self.last_device = next.last_device.take().or(self.last_device.take());
        self.sections.append(&mut next.sections);
        self.isakmp_sas.append(&mut next.isakmp_sas);
        self.isakmp_summaries.append(&mut next.isakmp_summaries);
        self.ikev2_sas.append(&mut next.ikev2_sas);
        self.ipsec.append(&mut next.ipsec);
        self.ipsec_sa_counts.append(&mut next.ipsec_sa_counts);
        self.engine_connections.append(&mut next.engine_connections);
        self.sessions.append(&mut next.sessions);
        self.vpn_sessions.append(&mut next.vpn_sessions);
        self.vpn_summaries.append(&mut next.vpn_summaries);
        self.pings.append(&mut next.pings);
        self.isakmp_policies.append(&mut next.isakmp_policies);
        self.transform_sets.append(&mut next.transform_sets);
        self.crypto_maps.append(&mut next.crypto_maps);
        self.isakmp_keys.append(&mut next.isakmp_keys);
        self.asp_drops.append(&mut next.asp_drops);
        self.lines = next.lines;
        self.skipped += next.skipped;
        self.blank += next.blank;
        let room = SKIPPED_LINES_KEPT.saturating_sub(self.skipped_lines.len());
        self.skipped_lines
            .extend(next.skipped_lines.iter().take(room).copied());
        self
    }

    /// Reserves room for `factor` times as many records again as there are.
    fn reserve_scaled(&mut self, factor: f64) {
        fn more<T>(v: &mut Vec<T>, factor: f64) {
            // Saturating float-to-int conversion; at most 4× what is there.
            let n = (v.len() as f64 * factor.min(4.0)) as usize;
            v.reserve(n);
        }
        // The evidence text as well (the current part), by the same
        // factor: for a first half that is room for the whole input, more
        // than it writes, but sizing it for the half alone measured slower
        // (uneven halves then grew it by doubling).
        if let Some(buf) = self.notes.parts.get_mut(self.notes.cur) {
            let n = (buf.len() as f64 * factor.min(4.0)) as usize;
            buf.reserve(n);
        }
        more(&mut self.isakmp_sas, factor);
        more(&mut self.ikev2_sas, factor);
        more(&mut self.ipsec, factor);
        more(&mut self.engine_connections, factor);
        more(&mut self.sessions, factor);
        more(&mut self.vpn_sessions, factor);
        more(&mut self.pings, factor);
    }

    /// Makes room for the rest of the input from what the part read so
    /// far produced (`done` of `total` bytes), so that the records vectors
    /// grow once or twice, not by doubling (each growth copies them all).
    pub(crate) fn reserve_ahead(&mut self, done: usize, total: usize) {
        if done == 0 || done >= total {
            return;
        }
        // Expected growth, with a tenth more for unevenness.
        let factor = (total - done) as f64 / done as f64 * 1.1;
        self.reserve_scaled(factor);
    }

    /// Moves every evidence reference into notes part `part` `by` bytes
    /// further.
    fn shift_notes(&mut self, part: usize, by: usize) {
        let mut shift = |r: &mut LineRef| {
            if r.part() == part {
                r.shift(by);
            }
        };
        for sa in &mut self.isakmp_sas {
            sa.evidence.iter_mut().for_each(&mut shift);
        }
        for sa in &mut self.ikev2_sas {
            sa.evidence.iter_mut().for_each(&mut shift);
        }
        for b in &mut self.ipsec {
            b.evidence.iter_mut().for_each(&mut shift);
            for sa in b.sas_mut() {
                sa.spi_line.iter_mut().for_each(&mut shift);
            }
        }
        for c in &mut self.engine_connections {
            c.evidence.iter_mut().for_each(&mut shift);
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
        for p in &mut self.isakmp_policies {
            p.evidence.iter_mut().for_each(&mut shift);
        }
        for s in &mut self.transform_sets {
            s.evidence.iter_mut().for_each(&mut shift);
        }
        for e in &mut self.crypto_maps {
            e.evidence.iter_mut().for_each(&mut shift);
        }
        for k in &mut self.isakmp_keys {
            shift(&mut k.evidence);
        }
        for d in &mut self.asp_drops {
            shift(&mut d.evidence);
        }
    }

    /// Starts the notes in part `part` with room for `n` bytes.
    pub(crate) fn start_notes(&mut self, part: usize, n: usize) {
        self.notes = Notes::new(part, n);
    }

    /// The text of a line kept for evidence.
    pub fn text_of(&self, r: &LineRef) -> &str {
        self.notes.get(r)
    }

    /// The device whose output holds `line`: the device of the prompt
    /// before its section; for output without a prompt, the input's only
    /// device when exactly one appears in it.
    pub fn device_at(&self, line: u64) -> Option<&str> {
        // Sections are in line order: a binary search, not a walk per
        // record (a large input has tens of thousands of sections).
        let after = self.sections.partition_point(|s| s.line <= line);
        let own = after
            .checked_sub(1)
            .and_then(|i| self.sections.get(i))
            .and_then(|s| s.device.as_deref());
        own.or(self.sole_device.as_deref())
    }

    /// Records what is known only once the whole input is parsed.
    fn finish(mut self) -> ShowOutput {
        let mut names = self.sections.iter().filter_map(|s| s.device.as_ref());
        self.sole_device = names
            .next()
            .filter(|first| names.all(|n| n == *first))
            .cloned();
        self
    }

    /// Whether nothing at all was recognised.
    pub fn is_empty(&self) -> bool {
        self.isakmp_sas.is_empty()
            && self.isakmp_summaries.is_empty()
            && self.ikev2_sas.is_empty()
            && self.ipsec.is_empty()
            && self.ipsec_sa_counts.is_empty()
            && self.engine_connections.is_empty()
            && self.sessions.is_empty()
            && self.vpn_sessions.is_empty()
            && self.vpn_summaries.is_empty()
            && self.pings.is_empty()
            && self.isakmp_policies.is_empty()
            && self.transform_sets.is_empty()
            && self.crypto_maps.is_empty()
            && self.isakmp_keys.is_empty()
            && self.asp_drops.is_empty()
    }
}

/// How many skipped line numbers an output keeps.
pub const SKIPPED_LINES_KEPT: usize = 20;

/// Outputs with more records than this are freed on two threads.
const PARALLEL_DROP_MIN: usize = 4_000;

impl Drop for ShowOutput {
    /// A large output holds hundreds of thousands of allocations, and
    /// freeing them on one thread took as long as a quarter of the parse
    /// that made them on two. The records are emptied in two halves at
    /// once, the second on the thread that parsed (and so allocated) the
    /// second half of the input; what is left is then freed cheaply.
    fn drop(&mut self) {
        let records = self.ipsec.len()
            + self.vpn_sessions.len()
            + self.sessions.len()
            + self.isakmp_sas.len()
            + self.ikev2_sas.len();
        if records < PARALLEL_DROP_MIN {
            return;
        }
        let Some(pool) = second_half_pool() else {
            return;
        };
        let (ipsec_a, ipsec_b) = halves(&mut self.ipsec);
        let (vpn_a, vpn_b) = halves(&mut self.vpn_sessions);
        let (sess_a, sess_b) = halves(&mut self.sessions);
        let (isakmp_a, isakmp_b) = halves(&mut self.isakmp_sas);
        let (ikev2_a, ikev2_b) = halves(&mut self.ikev2_sas);
        let empty_all = |ipsec: &mut [IpsecSaBlock],
                         vpn: &mut [VpnSession],
                         sess: &mut [CryptoSession],
                         isakmp: &mut [IsakmpSa],
                         ikev2: &mut [Ikev2Sa]| {
            ipsec.iter_mut().for_each(|r| drop(std::mem::take(r)));
            vpn.iter_mut().for_each(|r| drop(std::mem::take(r)));
            sess.iter_mut().for_each(|r| drop(std::mem::take(r)));
            // No `Default` for these: their evidence is most of what they
            // hold on the heap.
            isakmp
                .iter_mut()
                .for_each(|r| drop(std::mem::take(&mut r.evidence)));
            ikev2.iter_mut().for_each(|r| {
                drop(std::mem::take(&mut r.evidence));
                drop(std::mem::take(&mut r.children));
            });
        };
        pool.in_place_scope(|s| {
            s.spawn(|_| empty_all(ipsec_b, vpn_b, sess_b, isakmp_b, ikev2_b));
            empty_all(ipsec_a, vpn_a, sess_a, isakmp_a, ikev2_a);
        });
    }
}

/// The two halves of `v`.
fn halves<T>(v: &mut [T]) -> (&mut [T], &mut [T]) {
    let mid = v.len() / 2;
    v.split_at_mut(mid)
}

/// Markers that only `show crypto` / `show vpn-sessiondb` output (or a
/// transcript with such commands) contains.
const MARKERS: &[&str] = &[
    "show crypto isakmp sa",
    "show crypto ikev1 sa",
    "show crypto ikev2 s",
    "IPv4 Crypto IKEv2",
    "Tunnel-id Local",
    "show crypto ipsec sa",
    "show crypto session",
    "show crypto engine",
    "show crypto isakmp key",
    "show asp drop",
    "Frame drop:",
    "Hostname/Address",
    "show vpn-sessiondb",
    "Crypto map tag:",
    "#pkts encaps",
    "inbound esp sas:",
    // Under every SA, also in `show crypto ipsec sa address` (no counters).
    "in use settings ={",
    "IPv4 Crypto ISAKMP SA",
    "dst             src             state",
    "dst src state",
    "IKE Peer:",
    "Total IKE SA:",
    "Active ISAKMP SA's:",
    "Crypto session current status",
    // `show crypto session [detail]` captured without its banner.
    "Session status: UP",
    "Session status: DOWN",
    "IPSEC FLOW: ",
    // Outputs that say there is nothing (ASA `show crypto ikev2 sa`).
    "There are no IKEv1 SAs",
    "There are no IKEv2 SAs",
    "There are no ipsec sas",
    "IPsec SA total:",
    "Session Type: LAN-to-LAN",
    "Session Type: AnyConnect",
    "Session Type: WebVPN",
    "Session Type: IKEv1 IPsec",
    "Session Type: IKEv2 IPsec",
    "Session Type: Generic Remote-Access",
    "VPN Session Summary",
    "Crypto Engine Connections",
    "Set DF bit in IP header?",
    "Protection suite of priority",
    "Default protection suite",
    "Crypto Map \"",
    "Crypto Map IPv4 \"",
    "Crypto Map IPv6 \"",
    "will negotiate = {",
];

/// Sniffing: whether `text` looks like `show crypto …` / `show
/// vpn-sessiondb …` output (looks at the first 256 KiB).
pub fn looks_like_show(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(256 * 1024)];
    MARKERS
        .iter()
        .any(|m| memchr::memmem::find_iter(head, m.as_bytes()).any(|at| !inside_syslog(head, at)))
}

/// Whether the marker at `at` sits in a PIX/ASA/FTD syslog message
/// (`%ASA-4-113019: … Session disconnected. Session Type: LAN-to-LAN, …`),
/// which is log text, not `show` output.
fn inside_syslog(text: &[u8], at: usize) -> bool {
    let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
    let line = &text[start..at];
    [&b"%ASA-"[..], b"%PIX-", b"%FTD-"]
        .iter()
        .any(|tag| memchr::memmem::find(line, tag).is_some())
}

/// Parses every section found in `text` (a file may hold several
/// commands' output, with prompts like `R1#show crypto ipsec sa`, or raw
/// output without prompts, or text flattened onto one line). `source`
/// names the input in evidence. Never fails and never panics.
pub fn parse(source: &str, text: &str) -> ShowOutput {
    /// Below this, handing half the input to the kept thread gains too
    /// little to measure (512 KiB take ~2 ms on one thread; from 1 to 8 MB
    /// two threads measured 1.4-1.8 times faster once the thread is
    /// warm, and no slower in a fresh process).
    const PARALLEL_MIN: usize = 512 << 10;
    if text.len() >= PARALLEL_MIN && cores() > 1 {
        if let Some(cut) = scan::split_point(text) {
            return parse_in_two(source, text, cut).finish();
        }
    }
    parse_one_thread(source, text)
}

/// [`parse`] on the calling thread only, whatever the input's size: the
/// one-thread figure of the benchmark, and the same result.
#[doc(hidden)]
pub fn parse_one_thread(source: &str, text: &str) -> ShowOutput {
    scan::Parser::new(source).run(text).finish()
}

/// The cores this process may use, asked once (the standard library reads
/// the scheduler's affinity and cgroup limits each time).
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The threads that parse the second halves of large inputs (the caller's
/// thread parses the first). Kept for the life of the process: a thread
/// spawned per call starts each time with an empty allocator arena and
/// spends its time faulting in fresh pages (measured: its half took
/// twice as long as the caller's). One per core but the caller's, so that
/// callers parsing at once do not all wait on one thread.
fn second_half_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores().saturating_sub(1).max(1))
            .thread_name(|i| format!("show-parse-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Parses `text[..cut]` and `text[cut..]` (which starts with a prompt line)
/// on two threads and joins the results as one parse would have made them.
fn parse_in_two(source: &str, text: &str, cut: usize) -> ShowOutput {
    let Some(pool) = second_half_pool() else {
        // No thread to be had: parse in one go.
        return scan::Parser::new(source).run(text);
    };
    let (a, b) = text.split_at(cut);
    let first_lines = memchr::memchr_iter(b'\n', a.as_bytes()).count() as u64;
    let mut right = None;
    // The first half sizes its records for the whole input as it goes, so
    // that the join copies the second half's once, without growing them.
    let left = pool.in_place_scope(|s| {
        s.spawn(|_| right = Some(scan::Parser::new(source).run_from(b, first_lines, 1, b.len())));
        scan::Parser::new(source).run_from(a, 0, 0, text.len())
    });
    // The scope has run the task (a panic in it would have surfaced).
    let right =
        right.unwrap_or_else(|| scan::Parser::new(source).run_from(b, first_lines, 1, b.len()));
    left.join(right)
}

/// Diagnoses the parsed outputs: per-device findings (ISAKMP states,
/// counters, MTU, path-MTU probes, weak algorithms) plus cross-checks
/// between devices when both ends of a tunnel are present. Findings are
/// sorted most important first.
pub fn diagnose(outputs: &[ShowOutput]) -> Vec<ipsec_doctor_model::Finding> {
    // Every record grouped by device once, for all the checks.
    let views = diagnose::views(outputs);
    let mut findings = diagnose::per_device(&views, outputs);
    findings.extend(pair::cross_check(&views));
    let (policy_findings, agreeing) = diagnose::policy::cross_check(&views);
    findings.extend(policy_findings);
    // A phase 1 stuck between two ends whose printed ISAKMP policies agree
    // is not a policy mismatch: say so, and rank that reading last.
    unlikely(
        &mut findings,
        ipsec_doctor_model::Code::Phase1PolicyMismatch,
        &agreeing,
        "The ISAKMP policies both ends print (`show crypto isakmp policy`) do match",
    );
    // Both ends' `show crypto isakmp key`: a key mismatch is read off the
    // keys themselves; keys that agree make a state's key reading unlikely.
    let (key_findings, same_keys) = diagnose::keys::cross_check(&views);
    findings.extend(key_findings);
    unlikely(
        &mut findings,
        ipsec_doctor_model::Code::PskMismatch,
        &same_keys,
        "The keys both ends print (`show crypto isakmp key`) are the same",
    );
    diagnose::name_peers_in_fixes(&views, &mut findings);
    findings.sort_by(ipsec_doctor_model::Finding::rank_cmp);
    findings
}

/// Lowers the `code` findings of the (device, peer) pairs in `pairs` to
/// 0.15 and says why (`because`): what both ends print contradicts that
/// reading.
fn unlikely(
    findings: &mut [ipsec_doctor_model::Finding],
    code: ipsec_doctor_model::Code,
    pairs: &std::collections::BTreeSet<(String, String)>,
    because: &str,
) {
    if pairs.is_empty() {
        return;
    }
    for f in findings.iter_mut().filter(|f| f.code == code) {
        let key = (
            f.device.clone().unwrap_or_default(),
            f.peer.clone().unwrap_or_default(),
        );
        if pairs.contains(&key) {
            f.confidence = f.confidence.min(0.15);
            f.explanation
                .push_str(&format!(" {because}, so this reading is unlikely here."));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_parsing_at_once_share_the_kept_threads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
        let one_input = ["variants/ios-12.4.txt", "variants/asa-9.x.txt"]
            .iter()
            .map(|n| std::fs::read_to_string(format!("{dir}{n}")).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let text = one_input.repeat(8);
        let cut = scan::split_point(&text).unwrap();
        let one = scan::Parser::new("x").run(&text);
        std::thread::scope(|s| {
            let callers: Vec<_> = (0..4)
                .map(|_| s.spawn(|| parse_in_two("x", &text, cut)))
                .collect();
            for c in callers {
                assert_eq!(c.join().unwrap(), one);
            }
        });
    }

    #[test]
    fn a_large_output_is_freed_on_two_threads() {
        // Enough rows for the two-thread drop, small enough for one parse.
        let mut text =
            String::from("R1#show crypto isakmp sa\ndst src state conn-id slot status\n");
        for i in 0..PARALLEL_DROP_MIN + 10 {
            text.push_str(&format!(
                "10.{}.{}.1 192.0.2.1 QM_IDLE {} 0 ACTIVE\n",
                i / 250,
                i % 250,
                i + 1
            ));
        }
        let out = parse("x", &text);
        assert_eq!(out.isakmp_sas.len(), PARALLEL_DROP_MIN + 10);
        let copy = out.clone();
        assert_eq!(
            copy.text_of(&copy.isakmp_sas[5].evidence[0]),
            out.text_of(&out.isakmp_sas[5].evidence[0])
        );
        drop(out);
        // The clone is untouched by the other's drop, and drops the same way.
        assert_eq!(copy.isakmp_sas[4000].conn_id, Some(4001));
        drop(copy);
    }

    #[test]
    fn parts_joined_into_one_notes_part_keep_every_evidence_line() {
        // Both parts write notes part 0: the second's references are
        // shifted past the first's text when joined.
        let a = "R1#show crypto isakmp key\n\
                 Keyring      Hostname/Address                            Preshared Key\n\
                 default      10.0.0.1                                    k1\n";
        let b = "R1#show asp drop\n\
                 Frame drop:\n\
                 \x20 IPSec spoof detected (ipsec-spoof)                 4\n";
        let part = |text: &str, first_line: u64| {
            scan::Parser::new("x").run_from(text, first_line, 0, text.len())
        };
        let joined = part(a, 0).join(part(b, 3));
        assert_eq!(
            joined.text_of(&joined.asp_drops[0].evidence),
            "IPSec spoof detected (ipsec-spoof)                 4"
        );
        let keys = part(b, 0).join(part(a, 3));
        assert_eq!(
            keys.text_of(&keys.isakmp_keys[0].evidence),
            "default      10.0.0.1                                    <redacted>"
        );
    }

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
        // Every piece of evidence reads the same text from either result
        // (each reads its own notes: the two-thread one keeps two parts).
        let texts = |o: &ShowOutput| -> Vec<String> {
            o.ipsec
                .iter()
                .flat_map(|b| b.evidence.iter())
                .chain(o.isakmp_sas.iter().flat_map(|s| s.evidence.iter()))
                .chain(o.vpn_sessions.iter().flat_map(|s| s.evidence.iter()))
                .map(|r| o.text_of(r).to_string())
                .collect()
        };
        assert_eq!(texts(&two), texts(&one));
        let r = &two.ipsec.last().unwrap().evidence[0];
        assert_eq!(r.part(), 1, "the second half keeps its own notes");
        assert!(!two.text_of(r).is_empty());
        assert_eq!(scan::split_point("no prompts here\n"), None);
    }

    #[test]
    fn parsing_in_two_without_prompts_gives_what_one_pass_gives() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap_or_default();
        // Prompt lines removed: output recognised by its own markers.
        let bare: String = [
            "variants/ios-12.4.txt",
            "variants/asa-9.x.txt",
            "variants/iosxe-17.txt",
            "ikev2/asa-9.x-ikev2.txt",
            "variants/asa-8.2.txt",
            "ntc/tests/cisco_ios/show_crypto_ipsec_sa_detail/cisco_ios_show_crypto_ipsec_sa_detail.raw",
        ]
        .iter()
        .map(|n| read(n))
        .collect::<Vec<_>>()
        .join("\n")
        .lines()
        .filter(|l| !l.contains('#') || l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
        // A prompt in the first half only: its device carries over.
        let with_device = format!("R9#show clock\n10:00:00.000 UTC\n{bare}");
        for text in [bare, with_device] {
            let cut = scan::split_point(&text).unwrap();
            assert!(cut > text.len() / 2 && cut < text.len());
            let two = parse_in_two("x", &text, cut);
            let one = scan::Parser::new("x").run(&text);
            assert_eq!(two, one);
            assert!(!one.ipsec.is_empty());
        }
        // Flattened commands, one per line, no prompt.
        let flat: String = read("variants/iosxe-17.txt")
            .split("CSR1#")
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
            .repeat(3);
        let cut = scan::split_point(&flat).unwrap();
        assert_eq!(
            parse_in_two("x", &flat, cut),
            scan::Parser::new("x").run(&flat)
        );
    }
}
