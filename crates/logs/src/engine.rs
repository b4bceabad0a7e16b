//! The streaming analyser: records in, tunnels out.

use crate::counters::CounterScan;
use crate::header::{self, Vendor};
use crate::routes;
use crate::segment::{Segmented, MAX_SKIPPED_LINES};
use crate::tag;
use crate::transcript;
use crate::tunnel::{push_evidence, AuditRec, DeviceKey, FailureRec, Net, SymptomRec, Tunnel};
pub(crate) use ipsec_doctor_catalog::Located;
use ipsec_doctor_catalog::{state_info, Catalog, Match, Phase, Scope, Signal, Step};
use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Code, Evidence};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Longest evidence text kept, in characters.
const MAX_EVIDENCE_TEXT: usize = 400;
/// Most device names shared at once.
const MAX_NAMES: usize = 65_536;
/// Most IOS conn-id to peer mappings remembered at once.
const MAX_CONN_IDS: usize = 65_536;

/// Line accounting for one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStats {
    /// Name shown in evidence (path or `-`).
    pub name: String,
    /// Physical lines read.
    pub lines: u64,
    /// Lines recognised (catalog message, IKE context, counters, transcript).
    pub used: u64,
    /// Blank lines and annotations (`!`, `# `).
    pub ignored: u64,
    /// Lines not recognised.
    pub skipped: u64,
    /// Lines cut because they were too long.
    pub truncated: u64,
    /// First unrecognised line numbers (bounded).
    pub skipped_lines: Vec<u64>,
    /// Why reading stopped before the end, if it did.
    pub stopped: Option<String>,
}

/// A fix the transcript shows working: a typed change followed by a
/// successful test where the test had failed before.
#[derive(Debug, Clone)]
pub struct ConfirmedFix {
    /// Device the change was typed on.
    pub device: DeviceKey,
    /// What the change addresses.
    pub code: Code,
    /// Peer the change points at (next hop of a route, peer of a key), if any.
    pub peer: Option<String>,
    /// The command, the failed test before, the successful test after.
    pub evidence: Vec<Evidence>,
}

/// What a console session showed of a device's routing.
#[derive(Debug, Clone, Default)]
pub struct Routing {
    /// Input it was read from.
    pub source: usize,
    /// Routes (network, prefix length), the default route as `(0, 0)`.
    pub routes: Vec<(u32, u8)>,
    /// `Gateway of last resort is not set`, when shown.
    pub no_gateway: Option<Evidence>,
    /// Length announced by the last `… is subnetted` header.
    pub subnetted: Option<u8>,
    /// Crypto peers the configuration names, with the line naming each.
    pub peers: Vec<(std::net::Ipv4Addr, Evidence)>,
}

/// Routes kept per device.
const MAX_ROUTES: usize = 4096;

/// A device-level finding that belongs to no tunnel in particular
/// (an ACL typed with subnet masks).
#[derive(Debug, Clone)]
pub struct DeviceIssue {
    /// Device.
    pub device: DeviceKey,
    /// Code.
    pub code: Code,
    /// What was wrong.
    pub detail: String,
    /// Lines.
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Default)]
struct SourceCtx {
    device: Option<Arc<str>>,
    counters: CounterScan,
    /// Lines of this input taken in so far.
    line_base: u64,
    failed_check: Option<Evidence>,
    fixes: Vec<(DeviceKey, Code, Option<String>, Evidence)>,
}

/// Streams records of any number of inputs and builds tunnels.
pub struct Engine {
    catalog: &'static Catalog,
    pub(crate) sources: Vec<SourceStats>,
    pub(crate) tunnels: Vec<Tunnel>,
    index: HashMap<(DeviceKey, Option<String>), usize>,
    conn_peer: HashMap<(DeviceKey, u32), String>,
    /// IKEv2 session ids to peers: IKEv2 debug lines name the peer on the
    /// packet lines only, the session id on all of them.
    v2_session_peer: HashMap<(DeviceKey, u32), String>,
    /// Per device, the peer of the last IKEv2 line that named a peer but no
    /// session (ASA `RECV PKT`, a 750xxx syslog): the negotiation a session
    /// seen for the first time belongs to.
    v2_unclaimed: HashMap<DeviceKey, String>,
    /// IPsec SA connection ids (`sa_conn_id= 5`) to peers: what names the
    /// peer of a data-plane message such as `%CRYPTO-4-PKT_REPLAY_ERR`.
    sa_conn_peer: HashMap<(DeviceKey, u32), String>,
    /// SPIs to peers, learnt from lines that name both.
    spi_peer: HashMap<(DeviceKey, u32), String>,
    /// Per device (and, for messages naming only a packet's end hosts, per
    /// pair of hosts), the tunnel collecting messages whose peer is
    /// unknown. It is never adopted by the next negotiation.
    unattributed: HashMap<(DeviceKey, Option<(u32, u32)>), usize>,
    last_peer: HashMap<DeviceKey, String>,
    /// Per device, the peer last named under IOS conn-id 0 (a phase 1 in
    /// progress).
    last_new_peer: HashMap<DeviceKey, String>,
    locals: HashMap<DeviceKey, Vec<String>>,
    last_touched: HashMap<DeviceKey, usize>,
    pub(crate) vendors: HashMap<DeviceKey, Vendor>,
    pub(crate) cleared: HashMap<DeviceKey, u64>,
    pub(crate) confirmed: Vec<ConfirmedFix>,
    pub(crate) device_issues: Vec<DeviceIssue>,
    /// Per device, the routing table and crypto peers a session showed.
    pub(crate) routing: HashMap<DeviceKey, Routing>,
    ctx: Vec<SourceCtx>,
    source_names: Vec<Arc<str>>,
    names: HashSet<Arc<str>>,
    at: u64,
}

/// The compiled catalog, built once per process.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // One automaton serves the line prefilter too (building it is most of
    // a small input's run time).
    CATALOG.get_or_init(|| Catalog::with_extra_literals(crate::segment::EXTRA_LITERALS))
}

/// Classifies a record as [`Engine`] reads it: the message after the
/// header, a console prompt and the ISAKMP/ASA tags, else the whole body.
/// Pure, so it can run ahead on another thread.
pub(crate) fn locate_record(text: &str) -> Option<(Range<usize>, Located)> {
    let h = header::parse(text);
    let mut body = h.body;
    if !h.prefixed {
        if transcript::device_marker(body).is_some() {
            return None;
        }
        if let Some(p) = transcript::prompt(body.trim()) {
            body = p.rest.trim();
        }
    }
    let t = tag::parse(body);
    let span = |s: &str| {
        let start = s.as_ptr() as usize - text.as_ptr() as usize;
        start..start + s.len()
    };
    if let Some(l) = locate_cached(t.message) {
        return Some((span(t.message), l));
    }
    // The prefix-stripped message failed; try the body only when it
    // differs (ASA / IOS tags were stripped).
    if t.message.len() != body.len() {
        if let Some(l) = locate_cached(body) {
            return Some((span(body), l));
        }
    }
    None
}

/// Messages shorter than this are remembered with their classification.
const CACHED_LEN: usize = 96;
/// Remembered messages per thread, then forgotten all at once.
const CACHED_MAX: usize = 16_384;

thread_local! {
    /// Debug output repeats the same short messages (`Sending an IKE IPv4
    /// Packet.`, `encryption AES-CBC`, …) under different headers: their
    /// classification is looked up, not computed again. The catalog is pure,
    /// so the same text always classifies the same way.
    static LOCATED: std::cell::RefCell<HashMap<Box<str>, Option<Located>>> =
        std::cell::RefCell::new(HashMap::new());
}

fn locate_cached(message: &str) -> Option<Located> {
    if message.len() >= CACHED_LEN {
        return catalog().locate(message);
    }
    LOCATED.with(|cache| {
        if let Some(hit) = cache.borrow().get(message) {
            return hit.clone();
        }
        let located = catalog().locate(message);
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHED_MAX {
            cache.clear();
        }
        cache.insert(message.into(), located.clone());
        located
    })
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// A new engine.
    pub fn new() -> Engine {
        Engine {
            catalog: catalog(),
            sources: Vec::new(),
            tunnels: Vec::new(),
            index: HashMap::new(),
            conn_peer: HashMap::new(),
            v2_session_peer: HashMap::new(),
            v2_unclaimed: HashMap::new(),
            sa_conn_peer: HashMap::new(),
            spi_peer: HashMap::new(),
            unattributed: HashMap::new(),
            last_peer: HashMap::new(),
            last_new_peer: HashMap::new(),
            locals: HashMap::new(),
            last_touched: HashMap::new(),
            vendors: HashMap::new(),
            cleared: HashMap::new(),
            confirmed: Vec::new(),
            device_issues: Vec::new(),
            routing: HashMap::new(),
            ctx: Vec::new(),
            source_names: Vec::new(),
            names: HashSet::new(),
            at: 0,
        }
    }

    /// Registers an input and returns its index.
    pub fn add_source(&mut self, name: &str) -> usize {
        self.sources.push(SourceStats {
            name: name.to_string(),
            ..SourceStats::default()
        });
        self.ctx.push(SourceCtx::default());
        self.source_names.push(Arc::from(name));
        self.sources.len() - 1
    }

    /// Takes in one segmented block of input `src`, in input order.
    pub(crate) fn take_block(&mut self, src: usize, block: Segmented) {
        let base = self.ctx[src].line_base;
        self.ctx[src].line_base += block.lines;
        let st = &mut self.sources[src];
        st.lines += block.lines;
        st.ignored += block.ignored;
        st.skipped += block.skipped;
        st.used += block.used;
        let mut skipped_lines: Vec<u64> = block.skipped_lines.iter().map(|l| base + l).collect();
        for r in block.records {
            let line = base + r.line;
            let used = self.record(src, line, &r.text, r.host.as_deref(), Some(r.class));
            if r.counted {
                let st = &mut self.sources[src];
                if used {
                    st.used += 1;
                } else {
                    st.skipped += 1;
                    skipped_lines.push(line);
                }
            }
        }
        let kept = &mut self.sources[src].skipped_lines;
        if kept.len() < MAX_SKIPPED_LINES {
            kept.extend(skipped_lines);
            kept.sort_unstable();
            kept.truncate(MAX_SKIPPED_LINES);
        }
    }

    /// Ends input `src`: flushes what is pending.
    pub fn finish_source(&mut self, src: usize, truncated: u64) {
        self.sources[src].truncated += truncated;
        self.ctx[src].counters.flush();
        self.take_counters(src);
    }

    fn evidence(&self, src: usize, line: u64, text: &str) -> Evidence {
        let t = redact(text.trim());
        let t: String = if t.chars().count() > MAX_EVIDENCE_TEXT {
            let mut s: String = t.chars().take(MAX_EVIDENCE_TEXT).collect();
            s.push('…');
            s
        } else {
            t.into_owned()
        };
        Evidence {
            source: self.source_names[src].to_string(),
            line,
            text: t,
        }
    }

    /// Handles one record; returns whether it was recognised.
    fn record(
        &mut self,
        src: usize,
        line: u64,
        text: &str,
        inherited_host: Option<&str>,
        class: Option<Option<(Range<usize>, Located)>>,
    ) -> bool {
        self.at += 1;
        let at = self.at;
        let h = header::parse(text);
        let mut body = h.body;
        let mut used = false;

        if !h.prefixed {
            if let Some(name) = transcript::device_marker(body) {
                self.ctx[src].device = Some(self.intern(name));
                return true;
            }
            if let Some(p) = transcript::prompt(body.trim()) {
                self.ctx[src].device = Some(self.intern(p.host));
                self.command(src, line, text, p.rest, at);
                body = p.rest.trim();
                used = true;
            }
        }
        let device = match (h.host.or(inherited_host), &self.ctx[src].device) {
            (Some(host), _) => DeviceKey::Named(self.intern(host)),
            (None, Some(d)) => DeviceKey::Named(d.clone()),
            (None, None) => DeviceKey::Unnamed(src),
        };

        used |= self.ctx[src].counters.feed(line, text, device.name());
        if routes::may_hold(text) {
            used |= self.routing_lines(src, line, text, &device);
        }
        if transcript::logged_clear(body) {
            self.cleared.insert(device.clone(), at);
            used = true;
        }
        self.take_counters(src);
        if let Some(rate) = transcript::ping_success(body) {
            self.ping_result(src, line, text, rate);
            used = true;
        }
        if let Some((a, b)) = transcript::mask_typed_as_wildcard(body) {
            let detail = [a, b]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" and ");
            let ev = self.evidence(src, line, text);
            if let Some(d) = self
                .device_issues
                .iter_mut()
                .find(|d| d.device == device && d.code == Code::CryptoAclInvalid)
            {
                push_evidence(&mut d.evidence, vec![ev]);
            } else {
                self.device_issues.push(DeviceIssue {
                    device: device.clone(),
                    code: Code::CryptoAclInvalid,
                    detail,
                    evidence: vec![ev],
                });
            }
            used = true;
        }

        let t = tag::parse(body);
        if let Some(v) = h.vendor.or(t.ios_ike.then_some(Vendor::Ios)).or(t.ikev2) {
            self.vendors.entry(device.clone()).or_insert(v);
        }
        let class = class.unwrap_or_else(|| locate_record(text));
        let m = class.and_then(|(r, l)| Some(self.catalog.attach(l, text.get(r)?)));
        let Some(m) = m else {
            return used
                || t.ios_ike
                || t.ikev2.is_some()
                || t.ip.is_some()
                || text.contains("#pkts");
        };
        self.apply(src, line, text, at, &device, &t, &m, h.time);
        true
    }

    /// Takes the routing-table entries and crypto peers of a record.
    fn routing_lines(&mut self, src: usize, line: u64, text: &str, device: &DeviceKey) -> bool {
        let subnetted = self.routing.get(device).and_then(|r| r.subnetted);
        let items = routes::scan(text, subnetted);
        if items.is_empty() {
            return false;
        }
        let ev = self.evidence(src, line, text);
        let r = self
            .routing
            .entry(device.clone())
            .or_insert_with(|| Routing {
                source: src,
                ..Routing::default()
            });
        for item in items {
            match item {
                routes::Item::NoGateway => {
                    r.no_gateway.get_or_insert_with(|| ev.clone());
                }
                routes::Item::Route { net, len } => {
                    if r.routes.len() < MAX_ROUTES && !r.routes.contains(&(net, len)) {
                        r.routes.push((net, len));
                    }
                }
                routes::Item::Subnetted(len) => r.subnetted = Some(len),
                routes::Item::Peer(a) => {
                    if r.peers.len() < 64 && !r.peers.iter().any(|(p, _)| *p == a) {
                        r.peers.push((a, ev.clone()));
                    }
                }
            }
        }
        true
    }

    /// The one shared copy of a device name: names are keys of several
    /// maps touched on every record.
    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(n) = self.names.get(name) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(name);
        // Bounded like the other per-device maps: a hostile input naming
        // endless hosts costs a re-allocation per record, not memory.
        if self.names.len() < MAX_NAMES {
            self.names.insert(n.clone());
        }
        n
    }

    fn command(&mut self, src: usize, line: u64, text: &str, cmd: &str, at: u64) {
        let Some(dev) = self.ctx[src].device.clone() else {
            return;
        };
        let device = DeviceKey::Named(dev);
        if transcript::is_clear(cmd) {
            self.cleared.insert(device.clone(), at);
        }
        if self.ctx[src].failed_check.is_some() {
            if let Some(code) = transcript::fix_kind(cmd) {
                let peer = match code {
                    Code::RouteMissing => cmd
                        .split_whitespace()
                        .last()
                        .filter(|w| transcript::ipv4(w).is_some())
                        .map(str::to_string),
                    Code::PskMissing => cmd
                        .split_whitespace()
                        .skip_while(|w| *w != "address")
                        .nth(1)
                        .map(str::to_string),
                    _ => None,
                };
                let ev = self.evidence(src, line, text);
                self.ctx[src].fixes.push((device, code, peer, ev));
            }
        }
    }

    fn ping_result(&mut self, src: usize, line: u64, text: &str, rate: u32) {
        let ev = self.evidence(src, line, text);
        if rate == 0 {
            self.ctx[src].failed_check = Some(ev);
            self.ctx[src].fixes.clear();
            return;
        }
        let ctx = &mut self.ctx[src];
        if let Some(failed) = ctx.failed_check.take() {
            for (device, code, peer, fix_ev) in ctx.fixes.drain(..) {
                self.confirmed.push(ConfirmedFix {
                    device,
                    code,
                    peer,
                    evidence: vec![fix_ev, failed.clone(), ev.clone()],
                });
            }
        }
    }

    fn take_counters(&mut self, src: usize) {
        let blocks = self.ctx[src].counters.take();
        for c in blocks {
            let device = match &c.device {
                Some(d) => DeviceKey::Named(self.intern(d)),
                None => DeviceKey::Unnamed(src),
            };
            let ti = self.tunnel(&device, src, c.peer.clone());
            if let Some(l) = &c.local {
                self.tunnels[ti].local.get_or_insert_with(|| l.clone());
            }
            // The SA's proxies place the messages that name a packet's
            // hosts (`RECVD_PKT_NOT_IPSEC`, 402122) on this tunnel.
            if c.peer.is_some() {
                if let (Some(l), Some(r)) = (
                    c.idents.0.as_deref().and_then(Net::parse),
                    c.idents.1.as_deref().and_then(Net::parse),
                ) {
                    self.tunnels[ti].add_proxies(l, r);
                }
            }
            let counters = &mut self.tunnels[ti].counters;
            if counters.len() >= crate::tunnel::MAX_COUNTER_BLOCKS {
                counters.remove(0);
            }
            counters.push(c);
        }
    }

    /// The peer one of `spis` was negotiated with, if known.
    fn spi_owner(&self, device: &DeviceKey, spis: &[u32]) -> Option<String> {
        spis.iter()
            .find_map(|&spi| self.spi_peer.get(&(device.clone(), spi)).cloned())
    }

    fn unattributed_tunnel(
        &mut self,
        device: &DeviceKey,
        src: usize,
        hosts: Option<(u32, u32)>,
    ) -> usize {
        let key = (device.clone(), hosts);
        if let Some(&i) = self.unattributed.get(&key) {
            return i;
        }
        let i = self.tunnels.len();
        let mut t = Tunnel::new(device.clone(), src, None);
        t.hosts = hosts;
        self.tunnels.push(t);
        self.unattributed.insert(key, i);
        i
    }

    fn tunnel(&mut self, device: &DeviceKey, src: usize, peer: Option<String>) -> usize {
        let key = (device.clone(), peer.clone());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.tunnels.len();
        self.tunnels.push(Tunnel::new(device.clone(), src, peer));
        self.index.insert(key, i);
        i
    }

    /// The peer a record is about; `spis` are the SPIs its message names.
    fn resolve_peer(
        &mut self,
        device: &DeviceKey,
        t: &tag::MsgTag<'_>,
        m: &Match<'_>,
        spis: &[u32],
    ) -> Option<String> {
        let cap = |n: &str| m.name(n).map(str::to_string);
        let mut peer = cap("peer")
            .or_else(|| cap("peer2"))
            .or_else(|| t.ip.map(str::to_string))
            .or_else(|| {
                t.group
                    .filter(|g| transcript::ipv4(g).is_some())
                    .map(str::to_string)
            });
        let locals = self.locals.get(device);
        let is_local = |a: &str| locals.is_some_and(|l| l.iter().any(|x| x == a));
        if peer.is_none() {
            // show crypto isakmp sa rows: `dst src state`; the side that is not ours.
            if let (Some(dst), Some(src)) = (cap("dst"), cap("src")) {
                peer = Some(if is_local(&dst) { src } else { dst });
            // A received packet (`crypto_isakmp_process_block: src …, dest
            // …`): its sender, unless the sender is this device.
            } else if let (Some(from), Some(to)) = (cap("from"), cap("to")) {
                peer = Some(if is_local(&from) { to } else { from });
            }
        }
        if let Some(l) = cap("local").or_else(|| cap("local2")) {
            let v = self.locals.entry(device.clone()).or_default();
            if !v.contains(&l) && v.len() < 16 {
                v.push(l);
            }
        }
        if m.entry.phase == Phase::DataPlane {
            // A data-plane message is not part of the exchange logged around
            // it: only its own addresses or its SA's connection id name the
            // peer, never the last negotiation on the device.
            return peer
                .or_else(|| {
                    let conn = cap("conn")?.parse::<u32>().ok()?;
                    self.sa_conn_peer.get(&(device.clone(), conn)).cloned()
                })
                .or_else(|| self.spi_owner(device, spis));
        }
        if peer.is_none() && m.name("host_src").is_some() {
            // The message names the hosts of a packet, not the peer: it is
            // not about the negotiation logged around it.
            return None;
        }
        if t.ikev2.is_some() || m.entry.id.starts_with("ikev2.") {
            match self.v2_session(device, t.session, &peer) {
                V2Peer::Known(p) => peer = Some(p),
                V2Peer::Unknown => return None,
                V2Peer::NoSession => {}
            }
        }
        match (t.conn, &peer) {
            (Some(c), Some(p)) if c > 0 => {
                // IOS gives every phase-1 negotiation a new conn-id; keep
                // memory bounded on endless logs by forgetting old ones.
                if self.conn_peer.len() >= MAX_CONN_IDS {
                    self.conn_peer.clear();
                }
                self.conn_peer.insert((device.clone(), c), p.clone());
            }
            (Some(c), None) if c > 0 => peer = self.conn_peer.get(&(device.clone(), c)).cloned(),
            _ => {}
        }
        // An SPI names the tunnel it was negotiated for (`IPSEC(create_sa)`
        // lines carry no conn-id); learnt from lines that name the peer.
        match &peer {
            Some(p) => {
                for &spi in spis {
                    if self.spi_peer.len() >= MAX_CONN_IDS {
                        self.spi_peer.clear();
                    }
                    self.spi_peer.insert((device.clone(), spi), p.clone());
                }
            }
            None => peer = self.spi_owner(device, spis),
        }
        // IOS logs a new phase-1 negotiation under conn-id 0 until its SA
        // has one: a (0) line belongs with the last (0) line that named a
        // peer, not with an established SA's traffic logged in between.
        let new_sa = t.conn == Some(0);
        match &peer {
            Some(p) => {
                self.last_peer.insert(device.clone(), p.clone());
                if new_sa {
                    self.last_new_peer.insert(device.clone(), p.clone());
                }
            }
            None if new_sa => {
                peer = self
                    .last_new_peer
                    .get(device)
                    .or_else(|| self.last_peer.get(device))
                    .cloned()
            }
            None => peer = self.last_peer.get(device).cloned(),
        }
        peer
    }

    /// Ties IKEv2 lines to a peer by their session id. A line naming its
    /// peer teaches the session's peer; a line naming none takes it. A
    /// session never seen before belongs to the peer a session-less line
    /// just announced, else its peer is not known yet: never the last peer
    /// of the device, which is another negotiation's.
    fn v2_session(
        &mut self,
        device: &DeviceKey,
        session: Option<u32>,
        peer: &Option<String>,
    ) -> V2Peer {
        let Some(s) = session else {
            if let Some(p) = peer {
                self.v2_unclaimed.insert(device.clone(), p.clone());
            }
            return V2Peer::NoSession;
        };
        let key = (device.clone(), s);
        if let Some(p) = peer {
            if self.v2_session_peer.get(&key) != Some(p) {
                // Bounded like the IKEv1 conn ids: forget all at once.
                if self.v2_session_peer.len() >= MAX_CONN_IDS {
                    self.v2_session_peer.clear();
                }
                self.v2_session_peer.insert(key, p.clone());
            }
            if self.v2_unclaimed.get(device) == Some(p) {
                self.v2_unclaimed.remove(device);
            }
            return V2Peer::Known(p.clone());
        }
        if let Some(p) = self.v2_session_peer.get(&key) {
            return V2Peer::Known(p.clone());
        }
        match self.v2_unclaimed.remove(device) {
            Some(p) => {
                if self.v2_session_peer.len() >= MAX_CONN_IDS {
                    self.v2_session_peer.clear();
                }
                self.v2_session_peer.insert(key, p.clone());
                V2Peer::Known(p)
            }
            None => V2Peer::Unknown,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        src: usize,
        line: u64,
        text: &str,
        at: u64,
        device: &DeviceKey,
        t: &tag::MsgTag<'_>,
        m: &Match<'_>,
        time: Option<&str>,
    ) {
        // Message ids and SPIs, read once: SPIs name the peer, all of them
        // pair the two ends of an exchange.
        let ids = crate::ids::ids(t.message);
        let spis = crate::ids::spis_of(&ids);
        let peer = self.resolve_peer(device, t, m, &spis);
        let hosts = match (m.name("host_src"), m.name("host_dst")) {
            (Some(a), Some(b)) => transcript::ipv4(a).zip(transcript::ipv4(b)),
            _ => None,
        };
        let ti = if peer.is_none() && (m.entry.phase == Phase::DataPlane || hosts.is_some()) {
            self.unattributed_tunnel(device, src, hosts)
        } else {
            if peer.is_some() {
                self.adopt_orphan(device, src, &peer);
            }
            let ti = self.tunnel(device, src, peer.clone());
            self.last_touched.insert(device.clone(), ti);
            ti
        };
        if let (Some(p), Some(conn)) = (&peer, sa_conn_id(t.message)) {
            if self.sa_conn_peer.len() >= MAX_CONN_IDS {
                self.sa_conn_peer.clear();
            }
            self.sa_conn_peer.insert((device.clone(), conn), p.clone());
        }
        // Routine lines (most of a debug) are evidence of nothing.
        let ev = if matches!(
            m.entry.signal,
            Signal::Noise | Signal::Teardown | Signal::Progress { .. } | Signal::Accepted(_)
        ) {
            Evidence {
                source: String::new(),
                line,
                text: String::new(),
            }
        } else {
            self.evidence(src, line, text)
        };
        let vendor = self.vendors.get(device).copied();
        // A message that carries its reason as text (ASA 750003 `… aborted
        // due to ERROR: <reason>`) means what the reason's own entry means;
        // the outer message named the peer.
        let inner = m
            .name("reason")
            .and_then(|r| self.catalog.classify(r.trim()))
            .filter(|i| !std::ptr::eq(i.entry, m.entry) && i.entry.signal != Signal::Noise);
        let sm = inner.as_ref().unwrap_or(m);
        let e = sm.entry;
        let cap = |n: &str| sm.name(n).or_else(|| m.name(n)).map(str::to_string);
        let may_have_ids = [
            "ID", "M-ID", "node", "msgid", "msg id", "mess id", "SPI", "spi",
        ]
        .iter()
        .any(|k| t.message.contains(k));
        if may_have_ids {
            for &id in &ids {
                self.tunnels[ti].add_id(id);
            }
        }
        let tn = &mut self.tunnels[ti];
        tn.touch(at, line);
        if let Some(p) = &peer {
            tn.named_as_peer |= m.name("peer").or_else(|| m.name("peer2")) == Some(p.as_str())
                || t.ip == Some(p.as_str());
            if let (Some(a), Some(b)) = (
                m.name("lnet").and_then(Net::parse),
                m.name("rnet").and_then(Net::parse),
            ) {
                tn.add_proxies(a, b);
            }
            if tn.alt_peer.is_none() {
                tn.alt_peer = match (m.name("from"), m.name("to")) {
                    (Some(f), Some(o)) if f == p => Some(o.to_string()),
                    (Some(f), Some(o)) if o == p => Some(f.to_string()),
                    _ => None,
                };
            }
        }
        match (&mut tn.now, time) {
            (Some(now), Some(t)) => {
                now.clear();
                now.push_str(t);
            }
            (now, t) => *now = t.map(str::to_string),
        }
        tn.vendor = tn.vendor.or(vendor);
        tn.ikev2 |= t.ikev2.is_some() || m.entry.id.starts_with("ikev2.");
        if let Some(g) = t.group {
            tn.group.get_or_insert_with(|| g.to_string());
        }
        if let Some(l) = cap("local").or_else(|| cap("local2")) {
            tn.local.get_or_insert(l);
        }
        // How the peer authenticates: a signature method means certificates.
        if let Some(m) = cap("authm") {
            if is_certificate_method(&m) {
                tn.cert_auth = true;
            }
        }
        if let Some(e) = cap("encaps") {
            tn.offered_encaps = Some(e.to_ascii_lowercase());
        }
        // ASA names the role of this end in words (713049 'Security
        // negotiation complete ... Responder', QM packet and FSM lines).
        match cap("role").as_deref() {
            Some("Initiator") => {
                tn.initiator.get_or_insert(true);
            }
            Some("Responder") => {
                tn.initiator.get_or_insert(false);
            }
            _ => {}
        }
        // Notifies are drawn on the ladder too: received ones name the
        // peer's verdict, sent ones this device's.
        let lower = e.title.to_ascii_lowercase();
        if lower.contains("notify")
            || lower.contains("invalid_cookie")
            || lower.contains("proposal_not_chosen")
            || e.id == "ios.processing-delete"
        {
            let sent = e.id.contains("sending");
            // The packet logged just before was this informational exchange,
            // not the next numbered message.
            let packet_just_before = tn.steps.last().is_some_and(|l| {
                l.sent == sent
                    && l.step != Step::Notify
                    && line.saturating_sub(l.line) <= 4
                    && matches!(l.step, Step::Qm(_))
            });
            if packet_just_before {
                if let Some(l) = tn.steps.last_mut() {
                    l.step = Step::Notify;
                    l.resent = false;
                }
            } else {
                tn.add_step(Step::Notify, sent, false, line);
            }
        }
        if e.id == "ikev2.no-proposal-chosen" && tn.ikev2 {
            // IKEv2 answers NO_PROPOSAL_CHOSEN in whichever exchange was
            // refused: the ladder says which proposal it was.
            let (code, confidence, phase, title) = match tn.steps.last().map(|s| s.step) {
                Some(Step::Init(_)) | None => (
                    Code::Phase1PolicyMismatch,
                    0.8,
                    Phase::Phase1,
                    "IKEv2: IKE_SA_INIT proposal refused (NO_PROPOSAL_CHOSEN)",
                ),
                Some(Step::Child(_)) => (
                    Code::TransformSetMismatch,
                    0.6,
                    Phase::Phase2,
                    "IKEv2: CREATE_CHILD_SA proposal refused (NO_PROPOSAL_CHOSEN)",
                ),
                _ => (
                    Code::TransformSetMismatch,
                    0.75,
                    Phase::Phase2,
                    "IKEv2: child SA proposal refused in IKE_AUTH (NO_PROPOSAL_CHOSEN)",
                ),
            };
            tn.add_failure(failure(
                code,
                confidence,
                Scope::Negotiation,
                phase,
                e.id,
                title,
                None,
                ev,
                at,
            ));
            return;
        }
        match e.signal {
            Signal::Noise | Signal::Teardown => {}
            Signal::Progress { step, sent } => tn.add_step(step, sent, false, line),
            Signal::DerivedProgress => derived_progress(tn, e.id, sm, line, at, ev),
            Signal::Initiating(phase) => {
                tn.initiator.get_or_insert(true);
                tn.context = phase;
                if phase == Phase::Phase2 {
                    // Quick mode runs only under an established ISAKMP SA.
                    tn.p1_done_at.get_or_insert(at);
                    tn.qm_attempts += 1;
                    if tn.qm_attempts > 1 && tn.p2_done_at.is_none() {
                        push_evidence(&mut tn.retransmit_evidence, vec![ev.clone()]);
                    }
                }
                if phase == Phase::Phase1 {
                    let aggressive = e.id.contains("aggressive");
                    tn.aggressive |= aggressive;
                    tn.add_step(
                        if aggressive { Step::Am(1) } else { Step::Mm(1) },
                        true,
                        false,
                        line,
                    );
                }
            }
            Signal::Complete(phase) => {
                if phase == Phase::Phase1 {
                    tn.p1_done_at = Some(at);
                } else {
                    tn.p1_done_at.get_or_insert(at);
                    tn.p2_done_at = Some(at);
                }
                push_evidence(&mut tn.success, vec![ev]);
            }
            Signal::SaCreated => {
                tn.p1_done_at.get_or_insert(at);
                tn.p2_done_at = Some(at);
                push_evidence(&mut tn.success, vec![ev]);
            }
            Signal::Checking(phase) => {
                tn.context = phase;
                tn.checking_at = at;
                if phase == Phase::Phase2 {
                    tn.p1_done_at.get_or_insert(at);
                }
            }
            Signal::Verdict { accepted } => {
                let phase = tn.context;
                if accepted {
                    cancel_offers(tn, phase);
                } else if !explained_since(tn, phase, tn.checking_at) {
                    let (code, title) = match phase {
                        Phase::Phase1 => (
                            Code::Phase1PolicyMismatch,
                            "ISAKMP offer refused (atts not acceptable)",
                        ),
                        _ => (
                            Code::TransformSetMismatch,
                            "IPsec proposal refused (atts not acceptable)",
                        ),
                    };
                    tn.add_failure(failure(
                        code,
                        0.6,
                        Scope::Offer,
                        phase,
                        e.id,
                        title,
                        None,
                        ev,
                        at,
                    ));
                }
            }
            Signal::Accepted(phase) => cancel_offers(tn, phase),
            Signal::PhaseFailed => {
                let phase = tn.context;
                if !explained_since(tn, phase, tn.checking_at.min(at.saturating_sub(64))) {
                    let candidates: &'static [(Code, f32)] = match phase {
                        Phase::Phase1 => {
                            &[(Code::Phase1PolicyMismatch, 0.6), (Code::PskMismatch, 0.3)]
                        }
                        _ => &[
                            (Code::TransformSetMismatch, 0.45),
                            (Code::PfsMismatch, 0.4),
                            (Code::ProxyIdMismatch, 0.4),
                        ],
                    };
                    tn.add_symptom(SymptomRec {
                        candidates,
                        entry: e.id,
                        title: e.title,
                        phase,
                        evidence: vec![ev],
                        count: 1,
                        at,
                    });
                }
            }
            Signal::GaveUp(_) => {
                let state = cap("state").or_else(|| tn.last_state.as_ref().map(|s| s.0.clone()));
                tn.gave_up = state.or(Some(String::new()));
                push_evidence(&mut tn.retransmit_evidence, vec![ev]);
            }
            Signal::Failure {
                code,
                confidence,
                scope,
            } => {
                if matches!(e.phase, Phase::Phase1 | Phase::Phase2) {
                    tn.context = e.phase;
                }
                let attr = cap("attr");
                let mut rec = failure(
                    code, confidence, scope, e.phase, e.id, e.title, attr, ev, at,
                );
                for k in [
                    "remote_proxy",
                    "local_proxy",
                    "src",
                    "dst",
                    "local",
                    "rcv",
                    "cfg",
                    "spi",
                    "group",
                    "conn",
                    "cert",
                    "offered",
                ] {
                    if let Some(v) = cap(k) {
                        rec.detail.push((k.to_string(), v));
                    }
                }
                // The mode of the refused transform, from its attribute lines.
                if code == Code::TransformSetMismatch {
                    if let Some(e) = &tn.offered_encaps {
                        rec.detail.push(("encaps".to_string(), e.clone()));
                    }
                }
                tn.add_failure(rec);
            }
            Signal::Symptom(_)
                if e.id == "ios.duplicate-phase1-packet"
                    || e.id == "asa.duplicate-first-packet" =>
            {
                // The packet just logged as received was a retransmission of
                // an earlier message, not the next one of the exchange.
                if let Some(last) = tn.steps.last_mut() {
                    if !last.sent {
                        if let Step::Mm(n) = last.step {
                            if n > 2 {
                                last.step = Step::Mm(n - 2);
                                last.resent = true;
                            }
                        }
                    }
                }
                if let Signal::Symptom(candidates) = e.signal {
                    tn.add_symptom(SymptomRec {
                        candidates,
                        entry: e.id,
                        title: e.title,
                        phase: e.phase,
                        evidence: vec![ev],
                        count: 1,
                        at,
                    });
                }
            }
            Signal::Symptom(candidates) => {
                tn.add_symptom(SymptomRec {
                    candidates,
                    entry: e.id,
                    title: e.title,
                    phase: e.phase,
                    evidence: vec![ev],
                    count: 1,
                    at,
                });
            }
            Signal::Retransmit => {
                tn.retransmits += 1;
                if e.phase == Phase::Phase2 || cap("p").as_deref() == Some("2") {
                    tn.p2_retries += 1;
                }
                if let Some(s) = cap("state") {
                    tn.last_state = Some((s, ev.clone()));
                }
                push_evidence(&mut tn.retransmit_evidence, vec![ev]);
            }
            Signal::State => {
                if let Some(s) = cap("state") {
                    let info = state_info(&s);
                    if info.is_some_and(|i| i.phase1_up) {
                        tn.p1_done_at.get_or_insert(at);
                        push_evidence(&mut tn.success, vec![ev.clone()]);
                    }
                    tn.last_state = Some((s, ev));
                }
            }
            Signal::Audit(code) => {
                if let Some(a) = tn.audits.iter_mut().find(|a| a.code == code) {
                    a.count += 1;
                    push_evidence(&mut a.evidence, vec![ev]);
                } else {
                    tn.audits.push(AuditRec {
                        code,
                        title: e.title,
                        meaning: e.meaning,
                        evidence: vec![ev],
                        count: 1,
                    });
                }
            }
        }
    }

    /// IOS names the peer only on some lines (`(0)` conn ids before the SA
    /// has one, `Main mode failed with peer at …` after the fact): lines that
    /// named no peer and came just before the first line naming one belong to
    /// that peer's negotiation.
    fn adopt_orphan(&mut self, device: &DeviceKey, src: usize, peer: &Option<String>) {
        let Some(&o) = self.index.get(&(device.clone(), None)) else {
            return;
        };
        if self.last_touched.get(device) != Some(&o) {
            return;
        }
        let orphan =
            std::mem::replace(&mut self.tunnels[o], Tunnel::new(device.clone(), src, None));
        self.index.remove(&(device.clone(), None));
        let ti = self.tunnel(device, src, peer.clone());
        self.tunnels[ti].absorb(orphan);
    }

    /// A tunnel named after a packet's sender that turns out to be this
    /// device (PIX 6 prints some `crypto_isakmp_process_block` lines with
    /// its own address as `src`): its own address by other lines, or the
    /// other address is the one other lines name as the peer. Its lines
    /// are the other address's.
    fn rehome_own_addresses(&mut self) {
        let named: HashSet<(DeviceKey, String)> = self
            .tunnels
            .iter()
            .filter(|t| t.named_as_peer)
            .filter_map(|t| Some((t.device.clone(), t.peer.clone()?)))
            .collect();
        let mut moved = false;
        for t in &mut self.tunnels {
            let (Some(peer), Some(alt)) = (&t.peer, &t.alt_peer) else {
                continue;
            };
            if t.named_as_peer {
                continue;
            }
            let locals = self.locals.get(&t.device);
            let own = |a: &String| locals.is_some_and(|l| l.contains(a));
            // The sender is this device: its own address, or the other end
            // is the one other lines name as the peer.
            if !own(alt) && (own(peer) || named.contains(&(t.device.clone(), alt.clone()))) {
                t.peer = t.alt_peer.take();
                moved = true;
            }
        }
        if moved {
            self.merge_same_peer();
        }
    }

    /// In an input whose lines name one device only (a collector prefix, a
    /// prompt), the lines that name none are that device's too: a syslog
    /// line without a host between debug lines with one is the same box.
    /// Not when the lines' kinds of device disagree (an IOS debug beside an
    /// `%ASA` line), nor when the input names several devices.
    fn adopt_unnamed_lines(&mut self) {
        let mut named: HashMap<usize, Option<DeviceKey>> = HashMap::new();
        for t in &self.tunnels {
            if let DeviceKey::Named(_) = t.device {
                named
                    .entry(t.source)
                    .and_modify(|d| {
                        if d.as_ref() != Some(&t.device) {
                            *d = None;
                        }
                    })
                    .or_insert_with(|| Some(t.device.clone()));
            }
        }
        let mut moved = false;
        for t in &mut self.tunnels {
            let DeviceKey::Unnamed(src) = t.device else {
                continue;
            };
            let Some(Some(d)) = named.get(&src) else {
                continue;
            };
            let (a, b) = (self.vendors.get(&t.device), self.vendors.get(d));
            if matches!((a, b), (Some(x), Some(y)) if x != y) {
                continue;
            }
            if let (Some(&v), None) = (a, b) {
                self.vendors.insert(d.clone(), v);
            }
            t.device = d.clone();
            moved = true;
        }
        if moved {
            self.merge_same_peer();
        }
    }

    /// Tunnels of the same device and peer become one.
    fn merge_same_peer(&mut self) {
        let mut first: HashMap<(DeviceKey, Option<String>), usize> = HashMap::new();
        let mut remove = Vec::new();
        for i in 0..self.tunnels.len() {
            let key = (self.tunnels[i].device.clone(), self.tunnels[i].peer.clone());
            match first.get(&key) {
                Some(&into) => {
                    let t = self.tunnels[i].clone();
                    self.tunnels[into].absorb(t);
                    remove.push(i);
                }
                None => {
                    first.insert(key, i);
                }
            }
        }
        for i in remove.into_iter().rev() {
            self.tunnels.remove(i);
        }
    }

    /// Merges each device's unattributed tunnel (no peer) into its only
    /// attributed one: on a device negotiating with one peer, lines that do
    /// not name the peer are about that peer.
    pub(crate) fn merge_orphans(&mut self) {
        self.tunnels
            .retain(|t| t.lines.1 > 0 || !t.counters.is_empty());
        self.rehome_own_addresses();
        self.adopt_unnamed_lines();
        let mut by_device: HashMap<DeviceKey, Vec<usize>> = HashMap::new();
        for (i, t) in self.tunnels.iter().enumerate() {
            by_device.entry(t.device.clone()).or_default().push(i);
        }
        let mut remove = Vec::new();
        for idx in by_device.values() {
            let (orphans, named): (Vec<usize>, Vec<usize>) = idx
                .iter()
                .copied()
                .partition(|&i| self.tunnels[i].peer.is_none());
            let proxies_known = named.iter().any(|&n| !self.tunnels[n].proxies.is_empty());
            // Messages naming a packet's hosts belong to the one tunnel
            // whose proxies carry that flow. When the device's proxies are
            // known and no tunnel (or several) carries it, its peer stays
            // unknown; when none are known, the rule for lines that name no
            // peer applies.
            let mut old_rule = Vec::new();
            let mut unknown = Vec::new();
            for o in orphans {
                let Some(hosts) = self.tunnels[o].hosts else {
                    old_rule.push(o);
                    continue;
                };
                let carriers: Vec<usize> = named
                    .iter()
                    .copied()
                    .filter(|&n| self.tunnels[n].carries(hosts))
                    .collect();
                match carriers.as_slice() {
                    [n] => {
                        let t = self.tunnels[o].clone();
                        self.tunnels[*n].absorb(t);
                        remove.push(o);
                    }
                    [] if !proxies_known => old_rule.push(o),
                    _ => unknown.push(o),
                }
            }
            // One peer: what named none is about it. No peer: one tunnel
            // of unknown peer.
            let into = match (named.as_slice(), old_rule.as_slice()) {
                ([n], _) => Some(*n),
                ([], [first, ..]) => Some(*first),
                _ => None,
            };
            if let Some(into) = into {
                for &o in old_rule.iter().filter(|&&o| o != into) {
                    let t = self.tunnels[o].clone();
                    self.tunnels[into].absorb(t);
                    remove.push(o);
                }
            }
            // The flows no tunnel carries: one tunnel of unknown peer.
            if let [first, rest @ ..] = unknown.as_slice() {
                for &o in rest {
                    let t = self.tunnels[o].clone();
                    self.tunnels[*first].absorb(t);
                    remove.push(o);
                }
            }
        }
        remove.sort_unstable();
        for i in remove.into_iter().rev() {
            self.tunnels.remove(i);
        }
        self.index.clear();
        self.unattributed.clear();
    }
}

/// What an IKEv2 line's session id says about its peer.
enum V2Peer {
    /// The session's peer.
    Known(String),
    /// A session whose peer no line named yet.
    Unknown,
    /// The line names no session.
    NoSession,
}

/// The IPsec SA connection id an IOS line gives (`sa_conn_id= 5`,
/// `conn_id= 3`), when not 0.
fn sa_conn_id(message: &str) -> Option<u32> {
    let at = message.find("conn_id")?;
    let rest = message[at + "conn_id".len()..].trim_start_matches([' ', '=']);
    let end = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[..end].parse().ok().filter(|&c| c > 0)
}

#[allow(clippy::too_many_arguments)]
fn failure(
    code: Code,
    confidence: f32,
    scope: Scope,
    phase: Phase,
    entry: &'static str,
    title: &'static str,
    attr: Option<String>,
    ev: Evidence,
    at: u64,
) -> FailureRec {
    FailureRec {
        code,
        confidence,
        scope,
        phase,
        entry,
        title,
        attr,
        detail: Vec::new(),
        evidence: vec![ev],
        count: 1,
        at,
        first_at: at,
        cancelled: false,
    }
}

/// An authentication method that signs with a certificate's key (RSA,
/// ECDSA, DSS signatures) rather than a pre-shared key or EAP.
fn is_certificate_method(method: &str) -> bool {
    let m = method.to_ascii_lowercase();
    ["rsa", "ecdsa", "dss", "certificate"]
        .iter()
        .any(|k| m.contains(k))
}

fn cancel_offers(tn: &mut Tunnel, phase: Phase) {
    for f in &mut tn.failures {
        if f.phase == phase && f.scope == Scope::Offer {
            f.cancelled = true;
        }
    }
}

/// A specific failure of this phase was recorded after order `since`.
fn explained_since(tn: &Tunnel, phase: Phase, since: u64) -> bool {
    tn.failures
        .iter()
        .any(|f| f.phase == phase && f.at >= since && !f.cancelled)
        || tn
            .symptoms
            .iter()
            .any(|s| s.phase == phase && s.at >= since)
}

fn derived_progress(tn: &mut Tunnel, id: &str, m: &Match<'_>, line: u64, at: u64, ev: Evidence) {
    let cap = |n: &str| m.name(n).map(str::to_string);
    match id {
        "ios.fsm-transition" => {
            let Some(state) = cap("state") else { return };
            if let Some(info) = state_info(&state) {
                if let Some(i) = info.initiator {
                    tn.initiator.get_or_insert(i);
                }
                let qm_seen = tn.steps.iter().any(|s| matches!(s.step, Step::Qm(_)));
                if let Some(step) = info
                    .step
                    .filter(|st| !(qm_seen && matches!(st, Step::Mm(_) | Step::Am(_))))
                {
                    // The initiator sends the odd messages, the responder the even ones.
                    let n = match step {
                        Step::Mm(n)
                        | Step::Am(n)
                        | Step::Qm(n)
                        | Step::Init(n)
                        | Step::Auth(n)
                        | Step::Child(n) => n,
                        Step::Notify => 0,
                    };
                    let init = info.initiator.or(tn.initiator).unwrap_or(true);
                    tn.add_step(step, (n % 2 == 1) == init, false, line);
                }
            }
            match state.as_str() {
                "IKE_P1_COMPLETE" => {
                    tn.p1_done_at = Some(at);
                    push_evidence(&mut tn.success, vec![ev.clone()]);
                }
                "IKE_QM_PHASE2_COMPLETE" => {
                    tn.p2_done_at = Some(at);
                    push_evidence(&mut tn.success, vec![ev.clone()]);
                }
                _ => {}
            }
            if state != "IKE_DEST_SA" {
                tn.last_state = Some((state, ev));
            }
        }
        "ios.packet" => {
            let sent = cap("dir").as_deref() == Some("sending");
            let role = cap("role");
            match role.as_deref() {
                Some("I") => {
                    tn.initiator.get_or_insert(true);
                }
                Some("R") => {
                    tn.initiator.get_or_insert(false);
                }
                _ => {}
            }
            let Some(state) = cap("state") else { return };
            let init = role.as_deref() == Some("I");
            let step = match (state.as_str(), init, sent) {
                ("MM_NO_STATE", true, true) => Some(Step::Mm(1)),
                ("MM_NO_STATE", true, false) => Some(Step::Mm(2)),
                ("MM_SA_SETUP", true, true) => Some(Step::Mm(3)),
                ("MM_SA_SETUP", true, false) => Some(Step::Mm(4)),
                ("MM_KEY_EXCH", true, true) => Some(Step::Mm(5)),
                ("MM_KEY_EXCH", true, false) => Some(Step::Mm(6)),
                ("MM_NO_STATE", false, false) => Some(Step::Mm(1)),
                ("MM_SA_SETUP", false, true) => Some(Step::Mm(2)),
                ("MM_SA_SETUP", false, false) => Some(Step::Mm(3)),
                ("MM_KEY_EXCH", false, true) => Some(Step::Mm(4)),
                ("MM_KEY_EXCH", false, false) => Some(Step::Mm(5)),
                // In quick mode the initiator sends QM1 then QM3.
                ("QM_IDLE", true, true) | ("QM_IDLE", false, false) => {
                    let after_qm2 = tn.steps.last().is_some_and(|l| l.step >= Step::Qm(2));
                    Some(Step::Qm(if after_qm2 { 3 } else { 1 }))
                }
                ("QM_IDLE", false, true) | ("QM_IDLE", true, false) => Some(Step::Qm(2)),
                _ => None,
            };
            if let Some(s) = step {
                tn.add_step(s, sent, false, line);
            }
            if state == "QM_IDLE" {
                tn.p1_done_at.get_or_insert(at);
            } else if state.starts_with("MM_") || state.starts_with("AG_") {
                tn.last_state = Some((state, ev));
            }
        }
        "asa.ike-decode" => {
            let dir = cap("dir").unwrap_or_default();
            let payloads = cap("payloads").unwrap_or_default();
            let msgid = cap("msgid").unwrap_or_default();
            let sent = dir != "RECEIVED";
            let resent = dir == "RESENDING";
            if dir == "SENDING"
                && msgid == "0"
                && payloads.contains("SA (1)")
                && !payloads.contains("KE (4)")
            {
                tn.initiator.get_or_insert(true);
            }
            if dir == "RECEIVED"
                && msgid == "0"
                && payloads.contains("SA (1)")
                && tn.steps.is_empty()
            {
                tn.initiator.get_or_insert(false);
            }
            let init = tn.initiator.unwrap_or(true);
            let phase1 = msgid == "0";
            let base = if payloads.contains("KE (4)") {
                Some(3)
            } else if payloads.contains("ID (5)") && payloads.contains("HASH (8)") && phase1 {
                Some(5)
            } else if payloads.contains("SA (1)") {
                Some(1)
            } else {
                None
            };
            let step = match (base, phase1) {
                (Some(b), true) => {
                    // initiator sends odd messages, responder even ones
                    let n = if sent == init { b } else { b + 1 };
                    Some(Step::Mm(n))
                }
                (Some(_), false) => Some(Step::Qm(if sent == init { 1 } else { 2 })),
                (None, false)
                    if payloads
                        .trim_start_matches("HDR + ")
                        .starts_with("HASH (8) + NONE") =>
                {
                    Some(Step::Qm(3))
                }
                _ => None,
            };
            if let Some(s) = step {
                tn.add_step(s, sent, resent, line);
                if let Step::Mm(n) = s {
                    if sent && n < 6 {
                        // The ASA waits for the next message: MM_WAIT_MSG<n+1>.
                        tn.last_state = Some((format!("MM_WAIT_MSG{}", n + 1), ev.clone()));
                    }
                }
            }
            if resent {
                tn.retransmits += 1;
                push_evidence(&mut tn.retransmit_evidence, vec![ev]);
            }
        }
        "ikev2.sending-packet" | "ikev2.received-packet" => {
            tn.v2_sent = Some(id == "ikev2.sending-packet");
        }
        "ikev2.exchange" => {
            // The packet line just before said which way it went.
            if let (Some(sent), Some(x)) = (tn.v2_sent.take(), cap("xchg")) {
                let request = cap("rr").as_deref() == Some("REQUEST");
                v2_step(tn, &x, request, sent, line);
            }
        }
        "ikev2.exchange-type" => {
            if let (Some(sent), Some(x)) = (tn.v2_sent.take(), cap("xchg")) {
                let request = !cap("flags").is_some_and(|f| f.contains("RESPONSE"));
                v2_step(tn, &x, request, sent, line);
            }
        }
        "ikev2.asa-sent-pkt" | "ikev2.asa-recv-pkt" => {
            let sent = id == "ikev2.asa-sent-pkt";
            let Some(x) = cap("xchg") else { return };
            // The platform line names no request or response: in IKE_SA_INIT
            // and IKE_AUTH the initiator sends the requests, and the first
            // IKE_SA_INIT packet says who initiated.
            let first_init = x == "IKE_SA_INIT" && !tn.steps.iter().any(|s| s.step.is_ikev2());
            let init = if first_init {
                sent
            } else {
                tn.initiator.unwrap_or(sent)
            };
            v2_step(tn, &x, sent == init, sent, line);
        }
        "asa.qm-pkt" => {
            let n = match cap("n").as_deref() {
                Some("1st") => 1,
                Some("2nd") => 2,
                _ => 3,
            };
            tn.add_step(Step::Qm(n), true, false, line);
        }
        _ => {
            if let Some(mode) = cap("mode") {
                match mode.as_str() {
                    "OAK_AG" => tn.aggressive = true,
                    "OAK_QM" => {
                        tn.context = Phase::Phase2;
                        tn.p1_done_at.get_or_insert(at);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Draws one IKEv2 message on the ladder; the IKE_SA_INIT request tells
/// who initiated.
fn v2_step(tn: &mut Tunnel, exchange: &str, request: bool, sent: bool, line: u64) {
    let n = if request { 1 } else { 2 };
    let step = match exchange {
        "IKE_SA_INIT" => Step::Init(n),
        "IKE_AUTH" => Step::Auth(n),
        "CREATE_CHILD_SA" => Step::Child(n),
        _ => return,
    };
    if step == Step::Init(1) {
        tn.initiator.get_or_insert(sent);
    }
    tn.add_step(step, sent, false, line);
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_catalog_example_is_located_under_a_device_header() {
        // The header reader strips `%FAC-SEV-MNEMONIC:` tags, so an entry
        // that matched only its mnemonic was never found in a real log.
        let cat = super::catalog();
        let mut wrong = Vec::new();
        for e in cat.entries() {
            for prefix in ["", "*Dec  7 10:01:02.123: ", "Dec 07 2026 10:01:02 fw1 : "] {
                let line = format!("{prefix}{}", e.example);
                let got = super::locate_record(&line).map(|(_, l)| cat.entries()[l.index()].id);
                if got != Some(e.id) {
                    wrong.push(format!("{prefix:?} {} -> {got:?}", e.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    use super::*;

    #[test]
    fn state_stays_bounded_over_endless_healthy_negotiations() {
        let mut e = Engine::new();
        let src = e.add_source("t");
        for n in 0..5000u32 {
            let conn = 1000 + n;
            for text in [
                format!("ISAKMP:({conn}):Checking ISAKMP transform 1 against priority 10 policy"),
                format!("ISAKMP:({conn}):Encryption algorithm offered does not match policy!"),
                format!("ISAKMP:({conn}):atts are not acceptable. Next payload is 3"),
                format!("ISAKMP:({conn}):atts are acceptable. Next payload is 0"),
                format!("ISAKMP:({conn}):SA has been authenticated with 198.51.100.9"),
                format!(
                    "ISAKMP:({conn}):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE"
                ),
            ] {
                let block = crate::segment::segment(format!("{text}\n").as_bytes());
                e.take_block(src, block);
            }
        }
        e.finish_source(src, 0);
        e.merge_orphans();
        assert_eq!(e.tunnels.len(), 1);
        assert!(
            e.tunnels[0].failures.len() <= 2,
            "{}",
            e.tunnels[0].failures.len()
        );
        assert!(e.tunnels[0]
            .failures
            .iter()
            .all(|f| f.evidence.len() <= crate::tunnel::MAX_EVIDENCE));
        assert!(e.conn_peer.len() <= MAX_CONN_IDS);
    }
}
