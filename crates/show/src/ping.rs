//! Path-MTU probes: IOS extended `ping` dialogs, `ping … size N df-bit`,
//! ASA `ping`, with `debug ip icmp` lines (`frag. needed and DF set`)
//! interleaved, and the path-MTU bounds they prove.

use crate::text::Text;
use crate::text::{after, find, num32, trim, words};
use crate::{LineRef, What};
use serde::Serialize;
use std::collections::BTreeSet;
use std::ops::Bound;

/// A size sweep (`Sweep range of sizes [n]: y`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizeSweep {
    /// Smallest size.
    pub min: u32,
    /// Largest size.
    pub max: u32,
    /// Step.
    pub interval: u32,
}

/// One ping run (`Sending 5, 1550-byte ICMP Echos to …` … `Success rate …`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PingProbe {
    /// Line of `Sending …` (or of the ping command when it printed nothing).
    pub line: u64,
    /// Target address.
    pub target: Option<Text>,
    /// Source address or interface.
    pub source: Option<Text>,
    /// Datagram size (whole IP packet, as IOS counts it).
    pub size: Option<u32>,
    /// Size sweep, when one was asked for.
    pub sweep: Option<SizeSweep>,
    /// The DF bit was set.
    pub df: bool,
    /// Packets sent (`Sending N`).
    pub sent: Option<u32>,
    /// Replies received (`Success rate … (a/b)`).
    pub received: Option<u32>,
    /// Success rate in percent.
    pub success_percent: Option<u32>,
    /// `frag. needed and DF set` debug lines and `M` marks seen.
    pub frag_needed: u32,
    /// Next-hop MTU when a `frag. needed` message carried one.
    pub next_hop_mtu: Option<u32>,
    /// Line of the first `frag. needed` message.
    pub frag_line: Option<u64>,
    /// Line of `Success rate …`.
    pub result_line: Option<u64>,
    /// Largest size that got a reply, when the output tells which size
    /// each reply was for (verbose replies `(size N)`, or the marks of a
    /// sweep: IOS sends the whole sweep once per repeat, so the nth mark is
    /// the (n mod sizes)th size). A size passes when any of its packets got
    /// a reply.
    pub largest_ok: Option<u32>,
    /// Smallest size above `largest_ok` that was sent and never got a reply
    /// (the start of the trailing run of failures), on the same condition.
    pub first_failed: Option<u32>,
    /// `Sending …`, first `frag. needed` and `Success rate …` lines.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

impl PingProbe {
    /// The probe has a result and at least one reply.
    pub fn passed(&self) -> bool {
        self.received.is_some_and(|r| r > 0) || self.success_percent.is_some_and(|p| p > 0)
    }

    /// The probe has a result and no reply.
    pub fn failed(&self) -> bool {
        self.result_line.is_some() && !self.passed()
    }
}

/// The order in which a sweep sends its sizes. IOS runs one loop over
/// `repeat × sizes` packets, stepping the size by the interval after each
/// and going back to the minimum past the maximum: the whole sweep is sent
/// once per repeat (min, min + interval, … ≤ max, min, …), not each size
/// `repeat` times in a row.
#[derive(Debug, Clone, Copy)]
struct SweepOrder {
    min: u32,
    step: u32,
    /// Sizes in one sweep.
    sizes: u32,
    /// Packets announced (`Sending N`).
    sent: u32,
}

impl SweepOrder {
    /// `None` when the announced count is not a whole number of sweeps (or
    /// not the repeat count answered times the sizes): the interval or a
    /// bound was not read as the device used it, and marks cannot be placed.
    fn new(sweep: SizeSweep, sent: u32, repeat: Option<u32>) -> Option<SweepOrder> {
        let step = sweep.interval.max(1);
        let sizes = sweep.max.checked_sub(sweep.min)? / step + 1;
        let rounds = sent / sizes;
        let whole = rounds * sizes == sent && repeat.is_none_or(|r| r == rounds);
        whole.then_some(SweepOrder {
            min: sweep.min,
            step,
            sizes,
            sent,
        })
    }

    /// Size of the packet whose mark is the `index`th (from 0) of the probe.
    fn size(&self, index: u32) -> Option<u32> {
        // Never past the maximum: (sizes − 1) × step ≤ max − min.
        (index < self.sent).then(|| self.min + (index % self.sizes) * self.step)
    }
}

/// The sizes of the open probe that were sent, and the largest that got a
/// reply: a size passes when any of its packets did, in whatever order
/// (and however many times) the sizes were sent.
#[derive(Debug, Default)]
struct SizeOutcomes {
    sent: BTreeSet<u32>,
    largest_ok: Option<u32>,
}

impl SizeOutcomes {
    /// Records one packet; returns the probe's `largest_ok` and
    /// `first_failed`.
    fn record(&mut self, size: u32, ok: bool) -> (Option<u32>, Option<u32>) {
        self.sent.insert(size);
        if ok && self.largest_ok.is_none_or(|l| size > l) {
            self.largest_ok = Some(size);
        }
        // Every size sent above the largest that passed has failed.
        let above = match self.largest_ok {
            Some(l) => self
                .sent
                .range((Bound::Excluded(l), Bound::Unbounded))
                .next(),
            None => self.sent.first(),
        };
        (self.largest_ok, above.copied())
    }
}

#[derive(Debug, Default, Clone)]
struct Pending {
    target: Option<Text>,
    source: Option<Text>,
    size: Option<u32>,
    df: bool,
    sweep: bool,
    sweep_min: Option<u32>,
    sweep_max: Option<u32>,
    sweep_interval: Option<u32>,
    /// `Repeat count` answered in the dialog.
    repeat: Option<u32>,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct PingParser {
    pending: Pending,
    open: Option<usize>,
    /// Reply marks seen for the open probe (they wrap at 70 a line).
    marks: u32,
    /// Order of the sizes of the open probe, when it is a sweep.
    order: Option<SweepOrder>,
    /// Per-size results of the open probe.
    outcomes: SizeOutcomes,
}

/// The answer of a dialog line `Question [default]: answer` (the default
/// when nothing was typed).
fn answer(v: &str) -> &str {
    let (default, typed) = match v.rfind("]:") {
        Some(i) => (&v[..i], trim(&v[i + 2..])),
        None => ("", trim(v.trim_start_matches(':'))),
    };
    if typed.is_empty() {
        default.rsplit('[').next().unwrap_or("")
    } else {
        typed
    }
}

fn yes(v: &str) -> bool {
    let a = answer(v).to_ascii_lowercase();
    a.starts_with('y')
}

impl PingParser {
    pub(crate) fn reset(&mut self) {
        *self = PingParser::default();
    }

    /// A `ping …` command line (`ping 10.1.1.1 size 1500 df-bit`).
    pub(crate) fn command(&mut self, args: &str) {
        self.pending = Pending::default();
        self.open = None;
        self.order = None;
        let toks: Vec<&str> = words(args).collect();
        let mut k = 0;
        while k < toks.len() {
            match toks[k] {
                "size" => {
                    self.pending.size = toks.get(k + 1).and_then(|v| num32(v));
                    k += 2;
                }
                "df-bit" => {
                    self.pending.df = true;
                    k += 1;
                }
                "source" | "repeat" | "timeout" | "data" | "tos" | "vrf" => {
                    if toks[k] == "source" {
                        self.pending.source = toks.get(k + 1).map(|v| Text::from(*v));
                    }
                    k += 2;
                }
                "ip" => k += 1,
                t => {
                    if crate::text::is_ip(t) && self.pending.target.is_none() {
                        self.pending.target = Some(Text::from(t));
                    }
                    k += 1;
                }
            }
        }
    }

    fn probe<'o>(&self, out: &'o mut [PingProbe]) -> Option<&'o mut PingProbe> {
        match self.open {
            Some(i) => out.get_mut(i),
            None => out.last_mut(),
        }
    }

    /// Handles one segment; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<PingProbe>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        // Most lines inside a ping transcript are debug output: only lines
        // that start like a dialog question, a result or reply marks, or
        // that mention ICMP, can be ours.
        let first = s.as_bytes().first().copied().unwrap_or(b' ');
        let dialog = matches!(
            first,
            b'P' | b'T'
                | b'I'
                | b'N'
                | b'R'
                | b'D'
                | b'E'
                | b'S'
                | b'V'
                | b'L'
                | b'!'
                | b'.'
                | b'M'
                | b'U'
                | b'Q'
                | b'?'
                | b'&'
                | b'C'
                | b'f'
                | b'e'
        );
        if !dialog && find(s, "ICMP").is_none() {
            return false;
        }
        if s.starts_with("Protocol [") {
            self.pending = Pending::default();
            self.open = None;
            self.order = None;
            return true;
        }
        if let Some(v) = after(s, "Target IP address") {
            self.pending.target = Some(Text::from(answer(v))).filter(|t| !t.is_empty());
            return true;
        }
        if let Some(v) = after(s, "Datagram size") {
            self.pending.size = num32(answer(v));
            return true;
        }
        if let Some(v) = after(s, "Source address or interface") {
            self.pending.source = Some(Text::from(answer(v))).filter(|t| !t.is_empty());
            return true;
        }
        if let Some(v) = after(s, "Set DF bit in IP header?") {
            self.pending.df = yes(v);
            return true;
        }
        if let Some(v) = after(s, "Sweep range of sizes") {
            self.pending.sweep = yes(v);
            return true;
        }
        if let Some(v) = after(s, "Sweep min size") {
            self.pending.sweep_min = num32(answer(v));
            return true;
        }
        if let Some(v) = after(s, "Sweep max size") {
            self.pending.sweep_max = num32(answer(v));
            return true;
        }
        if let Some(v) = after(s, "Sweep interval") {
            self.pending.sweep_interval = num32(answer(v));
            return true;
        }
        if let Some(v) = after(s, "Repeat count") {
            self.pending.repeat = num32(answer(v));
            return true;
        }
        for q in [
            "Timeout in seconds",
            "Extended commands",
            "Type of service",
            "Validate reply data?",
            "Data pattern",
            "Loose, Strict, Record",
            "Type escape sequence to abort",
            // IOS 15 / IOS-XE questions.
            "Ingress ping",
            "Ingress interface",
            "DSCP Value",
            "Number of hops",
        ] {
            if s.starts_with(q) {
                return true;
            }
        }
        if let Some(v) = after(s, "Sending") {
            return self.sending(out, notes, no, s, v);
        }
        // Verbose replies: `Reply to request 0 (1 ms) (size 1495)`,
        // `Request 6 timed out (size 1501)`.
        if s.starts_with("Reply to request") || s.starts_with("Request ") {
            let ok = s.starts_with("Reply");
            // A sweep prints the size of each request.
            let size = find(s, "(size ").and_then(|i| {
                let v = &s[i + 6..];
                num32(v.split(')').next().unwrap_or(v).trim())
            });
            if let Some(p) = self.probe(out) {
                if let Some(size) = size.or(p.size) {
                    (p.largest_ok, p.first_failed) = self.outcomes.record(size, ok);
                }
            }
            return ok || find(s, "timed out").is_some();
        }
        if s.starts_with("Packet sent with") {
            let df = find(s, "DF bit set").is_some();
            let src = find(s, "source address of").map(|i| trim(&s[i + 17..]).to_string());
            if let Some(p) = self.probe(out) {
                p.df |= df;
                if let Some(src) = src {
                    p.source = Some(src.into());
                }
            }
            return true;
        }
        if let Some(v) = after(s, "Success rate is") {
            if let Some(p) = self.probe(out) {
                let mut w = words(v);
                p.success_percent = w.next().and_then(num32);
                if let Some(frac) = find(v, "(") {
                    let f = &v[frac + 1..];
                    let f = f.split(')').next().unwrap_or(f);
                    if let Some((a, b)) = f.split_once('/') {
                        p.received = num32(a);
                        if p.sent.is_none() {
                            p.sent = num32(b);
                        }
                    }
                }
                p.result_line = Some(no);
                p.evidence.push(LineRef::new(notes, no, s, What::Result));
            }
            self.open = None;
            return true;
        }
        if let Some(i) = find(s, "frag. needed") {
            if let Some(p) = self.probe(out) {
                p.frag_needed += 1;
                if p.frag_line.is_none() {
                    p.frag_line = Some(no);
                    p.evidence.push(LineRef::new(notes, no, s, What::Frag));
                }
                let tail = &s[i..];
                if let Some(m) = find(tail, "mtu") {
                    let v = tail[m + 3..].trim_start_matches([':', ' ', '=']);
                    if let Some(mtu) = words(v)
                        .next()
                        .and_then(|w| num32(w.trim_end_matches(['.', ')'])))
                    {
                        p.next_hop_mtu = Some(mtu);
                    }
                }
            }
            return true;
        }
        if find(s, "echo reply rcvd").is_some() {
            return true;
        }
        // Reply marks: `!!!!!`, `.....`, `M.M.M`.
        if s.bytes().all(|b| {
            matches!(
                b,
                b'!' | b'.' | b'M' | b'U' | b'Q' | b'?' | b'&' | b'C' | b' '
            )
        }) {
            let marks = s.bytes().filter(|b| *b == b'M').count();
            let mut index = self.marks;
            let order = self.order;
            if let Some(p) = self.probe(out) {
                p.frag_needed += u32::try_from(marks).unwrap_or(u32::MAX);
                if marks > 0 {
                    p.frag_line.get_or_insert(no);
                }
                // One mark per packet, in the order sent, on as many lines
                // as it takes: in a sweep, the nth mark is a known size.
                for b in s.bytes().filter(|b| *b != b' ') {
                    if let Some(size) = order.and_then(|o| o.size(index)) {
                        (p.largest_ok, p.first_failed) = self.outcomes.record(size, b == b'!');
                    }
                    index = index.saturating_add(1);
                }
            }
            self.marks = index;
            return true;
        }
        false
    }

    /// `Sending 5, 1550-byte ICMP Echos to 172.16.1.56, timeout is 2 seconds:`
    /// or `Sending 505, [1400..1500]-byte ICMP Echos to …`.
    fn sending(
        &mut self,
        out: &mut Vec<PingProbe>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        v: &str,
    ) -> bool {
        let toks: Vec<&str> = words(v).collect();
        let Some(sent) = toks.first().and_then(|t| num32(t)) else {
            return false;
        };
        let Some(bytes) = toks.iter().find(|t| t.ends_with("-byte")) else {
            return false;
        };
        let size_text = bytes.trim_end_matches("-byte");
        let mut p = PingProbe {
            line: no,
            sent: Some(sent),
            df: self.pending.df,
            source: self.pending.source.clone(),
            target: self.pending.target.clone(),
            ..PingProbe::default()
        };
        if let Some(range) = size_text.strip_prefix('[') {
            let range = range.trim_end_matches(']');
            if let Some((a, b)) = range.split_once("..") {
                if let (Some(min), Some(max)) = (num32(a), num32(b)) {
                    p.sweep = Some(SizeSweep {
                        min,
                        max,
                        interval: self.pending.sweep_interval.unwrap_or(1),
                    });
                }
            }
        } else {
            p.size = num32(size_text).or(self.pending.size);
        }
        if let Some(k) = toks.iter().position(|t| *t == "to") {
            if let Some(t) = toks.get(k + 1) {
                p.target = Some(t.trim_end_matches(',').into());
            }
        }
        self.order = p
            .sweep
            .and_then(|sw| SweepOrder::new(sw, sent, self.pending.repeat));
        self.outcomes = SizeOutcomes::default();
        p.evidence.push(LineRef::new(notes, no, s, What::Probe));
        out.push(p);
        self.open = Some(out.len() - 1);
        self.marks = 0;
        true
    }
}

/// What the DF-bit probes towards one target prove about the path MTU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MtuBounds {
    /// Target address.
    pub target: Option<Text>,
    /// Largest size that passed with DF set: path MTU ≥ this.
    pub lower: Option<u32>,
    /// Largest size that can pass: path MTU ≤ this (smallest failed size
    /// − 1, or the next-hop MTU a `frag. needed` message reported).
    pub upper: Option<u32>,
    /// A `frag. needed and DF set` (or `M` mark) was seen: the failures are
    /// MTU failures, not loss.
    pub frag_needed: bool,
    /// Lines of the probes used (`Sending …` / `Success rate …` / `frag. needed`).
    pub lines: Vec<u64>,
}

/// Path-MTU bounds per target from the DF-bit probes.
pub fn mtu_bounds(probes: &[PingProbe]) -> Vec<MtuBounds> {
    let mut out: Vec<MtuBounds> = Vec::new();
    for p in probes.iter().filter(|p| p.df || p.frag_needed > 0) {
        let idx = match out.iter().position(|b| b.target == p.target) {
            Some(i) => i,
            None => {
                out.push(MtuBounds {
                    target: p.target.clone(),
                    lower: None,
                    upper: None,
                    frag_needed: false,
                    lines: Vec::new(),
                });
                out.len() - 1
            }
        };
        let b = &mut out[idx];
        let (lo_size, hi_size) = match (p.size, p.sweep) {
            (Some(s), _) => (s, s),
            (None, Some(sw)) => (sw.min, sw.max),
            (None, None) => continue,
        };
        b.lines.push(p.line);
        if let Some(l) = p.frag_line {
            b.lines.push(l);
        }
        if let Some(l) = p.result_line {
            b.lines.push(l);
        }
        b.frag_needed |= p.frag_needed > 0;
        let full = p.success_percent == Some(100);
        if p.largest_ok.is_some() || p.first_failed.is_some() {
            // The sizes of the replies are known: the largest that passed
            // and the first of the sizes that failed after it.
            if let Some(ok) = p.largest_ok {
                b.lower = Some(b.lower.map_or(ok, |l| l.max(ok)));
            }
            if let Some(f) = p.first_failed {
                let up = f.saturating_sub(1);
                b.upper = Some(b.upper.map_or(up, |u| u.min(up)));
            }
        } else if p.passed() {
            // A sweep that did not fully pass proves only its smallest size.
            let ok = if full { hi_size } else { lo_size };
            b.lower = Some(b.lower.map_or(ok, |l| l.max(ok)));
            if !full && p.sweep.is_some() {
                let up = hi_size.saturating_sub(1);
                b.upper = Some(b.upper.map_or(up, |u| u.min(up)));
            }
        } else if p.failed() || p.frag_needed > 0 {
            let up = lo_size.saturating_sub(1);
            b.upper = Some(b.upper.map_or(up, |u| u.min(up)));
        }
        if let Some(m) = p.next_hop_mtu {
            b.upper = Some(b.upper.map_or(m, |u| u.min(m)));
        }
    }
    out.retain(|b| b.lower.is_some() || b.upper.is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(min: u32, max: u32, interval: u32) -> SizeSweep {
        SizeSweep { min, max, interval }
    }

    #[test]
    fn a_repeated_sweep_starts_again_from_the_minimum() {
        // 1400, 1404, 1408 (1410 is not reached), three times.
        let o = SweepOrder::new(sweep(1400, 1410, 4), 9, Some(3)).unwrap();
        let sizes: Vec<Option<u32>> = (0..10).map(|i| o.size(i)).collect();
        assert_eq!(
            sizes,
            [
                Some(1400),
                Some(1404),
                Some(1408),
                Some(1400),
                Some(1404),
                Some(1408),
                Some(1400),
                Some(1404),
                Some(1408),
                None
            ]
        );
    }

    #[test]
    fn a_count_that_is_not_whole_sweeps_places_no_mark() {
        // 41 sizes at the default interval: 63 packets are not whole sweeps.
        assert!(SweepOrder::new(sweep(1400, 1440, 1), 63, None).is_none());
        // Whole sweeps, but not the repeat count answered.
        assert!(SweepOrder::new(sweep(1496, 1502, 1), 21, Some(2)).is_none());
        assert!(SweepOrder::new(sweep(1496, 1502, 1), 21, Some(3)).is_some());
        assert!(SweepOrder::new(sweep(1502, 1496, 1), 7, None).is_none());
    }

    #[test]
    fn a_size_passes_when_any_of_its_packets_does() {
        let mut o = SizeOutcomes::default();
        assert_eq!(o.record(1500, false), (None, Some(1500)));
        assert_eq!(o.record(1400, false), (None, Some(1400)));
        assert_eq!(o.record(1500, true), (Some(1500), None));
        assert_eq!(o.record(1400, true), (Some(1500), None));
        assert_eq!(o.record(1504, false), (Some(1500), Some(1504)));
        assert_eq!(o.record(1502, false), (Some(1500), Some(1502)));
        assert_eq!(o.record(1500, false), (Some(1500), Some(1502)));
    }

    #[test]
    fn dialog_answers() {
        assert_eq!(answer(" [100]: 1550"), "1550");
        assert_eq!(answer(" [5]: "), "5");
        assert!(yes(" [no]: y"));
        assert!(!yes(" [no]: "));
    }
}
