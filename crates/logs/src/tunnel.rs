//! Everything learned about one tunnel, as seen by one device.

use crate::counters::Counters;
use crate::header::Vendor;
use ipsec_doctor_catalog::{Phase, Scope, Step};
use ipsec_doctor_model::{Code, Evidence};
use std::sync::Arc;

/// Most evidence lines kept per failure or symptom; repeats are counted.
pub const MAX_EVIDENCE: usize = 6;
/// Most message ids / SPIs remembered per tunnel for pairing the two ends.
const MAX_IDS: usize = 64;
/// Most ladder steps remembered per tunnel.
const MAX_STEPS: usize = 64;
/// Most `show crypto ipsec sa` blocks kept per tunnel (the latest win).
pub const MAX_COUNTER_BLOCKS: usize = 16;
/// Most proxy-identity pairs remembered per tunnel.
const MAX_PROXIES: usize = 16;

/// A proxy identity: network address and mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    /// Network address.
    pub addr: u32,
    /// Mask (all ones for a host).
    pub mask: u32,
}

impl Net {
    /// Reads `address/mask[/protocol/port]` as IOS and ASA print proxies
    /// (`10.1.1.0/255.255.255.0/0/0`). IOS prints hosts with a zero mask
    /// (`10.1.0.1/0.0.0.0/0/0 (type=1)`): a zero mask on a non-zero
    /// address is a host, on 0.0.0.0 it is any address.
    pub fn parse(text: &str) -> Option<Net> {
        let mut parts = text.split('/');
        let addr: std::net::Ipv4Addr = parts.next()?.trim().parse().ok()?;
        let mask: std::net::Ipv4Addr = parts.next()?.trim().parse().ok()?;
        let (addr, mask) = (u32::from(addr), u32::from(mask));
        let mask = if mask == 0 && addr != 0 {
            u32::MAX
        } else {
            mask
        };
        Some(Net {
            addr: addr & mask,
            mask,
        })
    }

    /// Whether `host` lies within.
    pub fn holds(self, host: u32) -> bool {
        host & self.mask == self.addr
    }
}

/// Which device logged the events: a named device, or an unnamed one
/// identified by the input it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceKey {
    /// Named by a prompt, a collector prefix or a `=Router=` marker.
    Named(Arc<str>),
    /// Not named; one per input source.
    Unnamed(usize),
}

impl DeviceKey {
    /// The device's name, if known.
    pub fn name(&self) -> Option<&str> {
        match self {
            DeviceKey::Named(n) => Some(n),
            DeviceKey::Unnamed(_) => None,
        }
    }
}

/// A failure signal as it happened on this tunnel.
#[derive(Debug, Clone)]
pub struct FailureRec {
    /// Root cause pointed at.
    pub code: Code,
    /// Confidence of one occurrence.
    pub confidence: f32,
    /// Reach.
    pub scope: Scope,
    /// Phase the failure belongs to.
    pub phase: Phase,
    /// Catalog entry id.
    pub entry: &'static str,
    /// Catalog title.
    pub title: &'static str,
    /// Attribute named by the message, if any (phase-1 mismatches).
    pub attr: Option<String>,
    /// Extra detail captured (proxies, states).
    pub detail: Vec<(String, String)>,
    /// Lines.
    pub evidence: Vec<Evidence>,
    /// Occurrences.
    pub count: u64,
    /// Order of the last occurrence.
    pub at: u64,
    /// Order of the first occurrence.
    pub first_at: u64,
    /// An acceptance later in the same phase cancelled this offer failure.
    pub cancelled: bool,
}

/// A message that flags a setting without failing the tunnel.
#[derive(Debug, Clone)]
pub struct AuditRec {
    /// The code it is reported under (as a warning).
    pub code: Code,
    /// Title of the catalog entry.
    pub title: &'static str,
    /// What the message means (the catalog entry's text).
    pub meaning: &'static str,
    /// The lines that said so.
    pub evidence: Vec<Evidence>,
    /// How many lines said so.
    pub count: u64,
}

/// A symptom: several possible causes.
#[derive(Debug, Clone)]
pub struct SymptomRec {
    /// Candidates, ranked.
    pub candidates: &'static [(Code, f32)],
    /// Catalog entry id.
    pub entry: &'static str,
    /// Catalog title.
    pub title: &'static str,
    /// Phase.
    pub phase: Phase,
    /// Lines.
    pub evidence: Vec<Evidence>,
    /// Occurrences.
    pub count: u64,
    /// Order of the last occurrence.
    pub at: u64,
}

/// One step of the negotiation ladder.
#[derive(Debug, Clone)]
pub struct StepRec {
    /// Which message.
    pub step: Step,
    /// Sent by this device.
    pub sent: bool,
    /// A retransmission.
    pub resent: bool,
    /// Where it was seen.
    pub line: u64,
    /// Timestamp of that line, if any.
    pub time: Option<String>,
}

/// A tunnel between the logging device and one peer.
#[derive(Debug, Clone)]
pub struct Tunnel {
    /// The device that logged it.
    pub device: DeviceKey,
    /// The input the device's lines came from (for unnamed devices).
    pub source: usize,
    /// Vendor of the logging device, when known.
    pub vendor: Option<Vendor>,
    /// Remote peer address (or ASA group name when no address is known).
    pub peer: Option<String>,
    /// ASA tunnel-group.
    pub group: Option<String>,
    /// Local address used toward the peer.
    pub local: Option<String>,
    /// This device initiated.
    pub initiator: Option<bool>,
    /// Aggressive mode seen.
    pub aggressive: bool,
    /// Ladder.
    pub steps: Vec<StepRec>,
    /// Last state name seen (IOS state, FSM state, ASA wait state).
    pub last_state: Option<(String, Evidence)>,
    /// Phase 1 completed (order of the last completion).
    pub p1_done_at: Option<u64>,
    /// Phase 2 completed or SAs created (order of the last one).
    pub p2_done_at: Option<u64>,
    /// Evidence of success.
    pub success: Vec<Evidence>,
    /// Current phase context (from the last `Checking` line or event).
    pub context: Phase,
    /// Order of the last `Checking` line.
    pub checking_at: u64,
    /// Failures.
    pub failures: Vec<FailureRec>,
    /// Symptoms.
    pub symptoms: Vec<SymptomRec>,
    /// Audit findings (weak crypto, settings that differ without failing).
    pub audits: Vec<AuditRec>,
    /// Retransmissions seen.
    pub retransmits: u64,
    /// Retransmissions or repeated requests during phase 2.
    pub p2_retries: u64,
    /// Quick modes started by this device.
    pub qm_attempts: u64,
    /// Evidence of retransmission or giving up.
    pub retransmit_evidence: Vec<Evidence>,
    /// Gave up in this state.
    pub gave_up: Option<String>,
    /// `show crypto ipsec sa` counters.
    pub counters: Vec<Counters>,
    /// An SA clear was typed on this device before the failures.
    pub cleared_at: Option<u64>,
    /// Message ids and SPIs, to pair with the other end's log.
    pub ids: Vec<u64>,
    /// Order of the last event.
    pub last_at: u64,
    /// First and last line seen.
    pub lines: (u64, u64),
    /// Timestamp of the line being handled (for ladder steps).
    pub now: Option<String>,
    /// The negotiation is IKEv2: its ladder counts exchanges, and its fixes
    /// are `crypto ikev2 …` commands, never IKEv1 ones.
    pub ikev2: bool,
    /// Direction of the IKEv2 packet just logged (sent: true), whose
    /// exchange the next line names.
    pub v2_sent: Option<bool>,
    /// The other address of the packet line that named the peer, when the
    /// peer was told from a sender/receiver pair: if the peer turns out to
    /// be this device's own address, this one is the peer.
    pub alt_peer: Option<String>,
    /// Proxy identity pairs negotiated with the peer (either order).
    pub proxies: Vec<(Net, Net)>,
    /// For a tunnel of unknown peer collecting the messages about one
    /// packet flow: its two end hosts (source, destination).
    pub hosts: Option<(u32, u32)>,
    /// A line named the peer as such (not only as one end of a packet).
    pub named_as_peer: bool,
    /// The peer authenticates with a certificate (IKEv2 `Peer's
    /// authentication method is 'RSA'`, IKEv1 `SA is doing RSA signature
    /// authentication`): no pre-shared key is involved, so a failed
    /// authentication is a certificate problem, never a key mismatch.
    pub cert_auth: bool,
    /// Encapsulation of the last IPsec transform offered (`tunnel` or
    /// `transport`, from `encaps is 1 (Tunnel)` / `4 (Transport-UDP)`).
    pub offered_encaps: Option<String>,
}

impl Tunnel {
    /// A new, empty tunnel.
    pub fn new(device: DeviceKey, source: usize, peer: Option<String>) -> Tunnel {
        Tunnel {
            device,
            source,
            vendor: None,
            peer,
            group: None,
            local: None,
            initiator: None,
            aggressive: false,
            steps: Vec::new(),
            last_state: None,
            p1_done_at: None,
            p2_done_at: None,
            success: Vec::new(),
            context: Phase::Phase1,
            checking_at: 0,
            failures: Vec::new(),
            symptoms: Vec::new(),
            audits: Vec::new(),
            retransmits: 0,
            p2_retries: 0,
            qm_attempts: 0,
            retransmit_evidence: Vec::new(),
            gave_up: None,
            counters: Vec::new(),
            cleared_at: None,
            ids: Vec::new(),
            last_at: 0,
            lines: (u64::MAX, 0),
            now: None,
            ikev2: false,
            v2_sent: None,
            alt_peer: None,
            proxies: Vec::new(),
            hosts: None,
            named_as_peer: false,
            cert_auth: false,
            offered_encaps: None,
        }
    }

    /// Remembers a pair of proxy identities (bounded).
    pub fn add_proxies(&mut self, a: Net, b: Net) {
        let known = self
            .proxies
            .iter()
            .any(|&(x, y)| (x, y) == (a, b) || (x, y) == (b, a));
        if !known && self.proxies.len() < MAX_PROXIES {
            self.proxies.push((a, b));
        }
    }

    /// Whether a flow between hosts `a` and `b` falls within one of the
    /// proxy pairs (in either direction).
    pub fn carries(&self, (a, b): (u32, u32)) -> bool {
        self.proxies
            .iter()
            .any(|&(x, y)| (x.holds(a) && y.holds(b)) || (x.holds(b) && y.holds(a)))
    }

    /// Records that a line belonged to this tunnel.
    pub fn touch(&mut self, at: u64, line: u64) {
        self.last_at = at;
        self.lines.0 = self.lines.0.min(line);
        self.lines.1 = self.lines.1.max(line);
    }

    /// Remembers a message id or SPI (bounded).
    pub fn add_id(&mut self, id: u64) {
        if id != 0 && self.ids.len() < MAX_IDS && !self.ids.contains(&id) {
            self.ids.push(id);
        }
    }

    /// Adds a ladder step (bounded).
    pub fn add_step(&mut self, step: Step, sent: bool, resent: bool, line: u64) {
        if let Some(last) = self.steps.last() {
            if last.step == step && last.sent == sent && !resent {
                return;
            }
            // Several lines report the same exchange; a step behind the
            // last one is a repeat, unless a new negotiation starts.
            let restart = matches!(step, Step::Mm(1) | Step::Am(1) | Step::Init(1));
            let out_of_band = step == Step::Notify || last.step == Step::Notify;
            if step < last.step && !restart && !resent && !out_of_band {
                return;
            }
        }
        // The same message again within the last few steps is a retransmission.
        let recent = self
            .steps
            .iter()
            .rev()
            .take(3)
            .any(|s| s.step == step && s.sent == sent);
        if self.steps.len() < MAX_STEPS {
            self.steps.push(StepRec {
                step,
                sent,
                resent: resent || recent,
                line,
                time: self.now.clone(),
            });
        }
    }

    /// Records a failure, merging repeats of the same entry.
    pub fn add_failure(&mut self, rec: FailureRec) {
        // Repeats merge into one record, also when the earlier one was
        // cancelled by an acceptance: a long log of healthy negotiations
        // that each refuse a first offer must not grow memory.
        if let Some(f) = self
            .failures
            .iter_mut()
            .find(|f| f.entry == rec.entry && f.attr == rec.attr)
        {
            f.count += 1;
            f.at = rec.at;
            f.cancelled = false;
            push_evidence(&mut f.evidence, rec.evidence);
            return;
        }
        self.failures.push(rec);
    }

    /// Records a symptom, merging repeats.
    pub fn add_symptom(&mut self, rec: SymptomRec) {
        if let Some(s) = self.symptoms.iter_mut().find(|s| s.entry == rec.entry) {
            s.count += 1;
            s.at = rec.at;
            push_evidence(&mut s.evidence, rec.evidence);
            return;
        }
        self.symptoms.push(rec);
    }

    /// Merges another tunnel's knowledge into this one (same device; the
    /// other had no peer address).
    pub fn absorb(&mut self, other: Tunnel) {
        self.vendor = self.vendor.or(other.vendor);
        self.group = self.group.take().or(other.group);
        self.local = self.local.take().or(other.local);
        self.initiator = self.initiator.or(other.initiator);
        self.aggressive |= other.aggressive;
        self.ikev2 |= other.ikev2;
        self.alt_peer = self.alt_peer.take().or(other.alt_peer);
        self.named_as_peer |= other.named_as_peer;
        self.cert_auth |= other.cert_auth;
        self.offered_encaps = self.offered_encaps.take().or(other.offered_encaps);
        for (a, b) in other.proxies {
            self.add_proxies(a, b);
        }
        self.steps.extend(other.steps);
        self.steps.sort_by_key(|s| s.line);
        self.steps.truncate(MAX_STEPS);
        if self.last_state.is_none() {
            self.last_state = other.last_state;
        }
        self.p1_done_at = self.p1_done_at.max(other.p1_done_at);
        self.p2_done_at = self.p2_done_at.max(other.p2_done_at);
        push_evidence(&mut self.success, other.success);
        for f in other.failures {
            self.add_failure(f);
        }
        for s in other.symptoms {
            self.add_symptom(s);
        }
        self.audits.extend(other.audits);
        self.retransmits += other.retransmits;
        self.p2_retries += other.p2_retries;
        self.qm_attempts += other.qm_attempts;
        push_evidence(&mut self.retransmit_evidence, other.retransmit_evidence);
        self.gave_up = self.gave_up.take().or(other.gave_up);
        self.counters.extend(other.counters);
        self.cleared_at = self.cleared_at.max(other.cleared_at);
        for id in other.ids {
            self.add_id(id);
        }
        self.last_at = self.last_at.max(other.last_at);
        self.lines = (
            self.lines.0.min(other.lines.0),
            self.lines.1.max(other.lines.1),
        );
    }

    /// Phase 1 or 2 came up after order `at`.
    pub fn completed_after(&self, phase: Phase, at: u64) -> bool {
        let p2 = self.p2_done_at.is_some_and(|t| t > at);
        match phase {
            Phase::Phase1 => p2 || self.p1_done_at.is_some_and(|t| t > at),
            Phase::Phase2 | Phase::Live | Phase::DataPlane | Phase::Platform => p2,
        }
    }
}

/// Appends evidence, keeping the first lines and bounded size.
pub fn push_evidence(into: &mut Vec<Evidence>, from: Vec<Evidence>) {
    for e in from {
        if into.len() >= MAX_EVIDENCE {
            break;
        }
        if !into
            .iter()
            .any(|x| x.line == e.line && x.source == e.source)
        {
            into.push(e);
        }
    }
}
