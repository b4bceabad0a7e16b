//! IOS / IOS-XE `show crypto session [detail]`.

use crate::text::Text;
use crate::text::{addr_port, after, find, num, trim, words};
use crate::{LineRef, What};
use serde::Serialize;

/// One IKE SA line of a session (`IKEv1 SA: local A/500 remote B/500 Active`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionIkeSa {
    /// Line.
    pub line: u64,
    /// IKE version (`IKE SA` = unknown, `IKEv1 SA`, `IKEv2 SA`).
    pub version: Option<u8>,
    /// `Session ID:` printed before it.
    pub session_id: Option<u64>,
    /// Local address.
    pub local: Option<Text>,
    /// Local port.
    pub local_port: Option<u16>,
    /// Remote address.
    pub remote: Option<Text>,
    /// Remote port.
    pub remote_port: Option<u16>,
    /// `Active` / `Inactive`.
    pub status: Option<Text>,
    /// `Capabilities:` letters.
    pub capabilities: Option<Text>,
    /// `connid:`.
    pub conn_id: Option<u64>,
    /// `lifetime:` as printed.
    pub lifetime: Option<Text>,
}

/// Packet counters of one direction of an `IPSEC FLOW`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlowCounters {
    /// `#pkts dec'ed` / `#pkts enc'ed`.
    pub pkts: Option<u64>,
    /// `drop`.
    pub drop: Option<u64>,
    /// Remaining lifetime, kilobytes.
    pub life_kb: Option<u64>,
    /// Remaining lifetime, seconds.
    pub life_sec: Option<u64>,
    /// `life (KB/Sec) KB Vol Rekey Disabled/3060`: no volume lifetime.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub kb_rekey_disabled: bool,
}

/// One `IPSEC FLOW:` of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionFlow {
    /// Line.
    pub line: u64,
    /// The flow as printed (`permit 47 host A host B`).
    pub spec: Text,
    /// `permit` / `deny`.
    pub action: Option<Text>,
    /// Protocol (`ip`, `47`).
    pub protocol: Option<Text>,
    /// Source address.
    pub src: Option<Text>,
    /// Source mask (absent for `host`).
    pub src_mask: Option<Text>,
    /// Destination address.
    pub dst: Option<Text>,
    /// Destination mask (absent for `host`).
    pub dst_mask: Option<Text>,
    /// `Active SAs:`.
    pub active_sas: Option<u64>,
    /// `origin:` (`crypto map`).
    pub origin: Option<Text>,
    /// `Inbound:` counters (decrypted).
    pub inbound: Option<FlowCounters>,
    /// `Outbound:` counters (encrypted).
    pub outbound: Option<FlowCounters>,
}

/// One session (`Interface:` block).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CryptoSession {
    /// Line of `Interface:`.
    pub line: u64,
    /// `Interface:`.
    pub interface: Option<Text>,
    /// `Profile:`.
    pub profile: Option<Text>,
    /// `Uptime:`.
    pub uptime: Option<Text>,
    /// `Username:` (remote-access / Easy VPN sessions).
    pub username: Option<Text>,
    /// `Group:` (Easy VPN client group).
    pub group: Option<Text>,
    /// `Assigned address:` (address given to the remote-access client).
    pub assigned_address: Option<Text>,
    /// `Session status:` (`UP-ACTIVE`, `DOWN-NEGOTIATING`, `UP-NO-IKE`, `DOWN`);
    /// for a `brief` row, its code spelt out the same way (`UA` → `UP-ACTIVE`).
    pub status: Option<Text>,
    /// The status code of a `show crypto session brief` row as printed
    /// (`UA`, `D`, `DN`, `UK`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<Text>,
    /// `Peer:` address (`show dmvpn detail`, which prints no `Peer:` line:
    /// the remote end of the session's IKE SA).
    pub peer: Option<Text>,
    /// `Peer: … port N` (`show dmvpn detail`: the IKE SA's remote port).
    pub peer_port: Option<u16>,
    /// `fvrf:`.
    pub fvrf: Option<Text>,
    /// `ivrf:`.
    pub ivrf: Option<Text>,
    /// `Phase1_id:`.
    pub phase1_id: Option<Text>,
    /// `Desc:`.
    pub description: Option<Text>,
    /// IKE SAs (every one; `detail` may list the same pair twice).
    pub ike_sas: Vec<SessionIkeSa>,
    /// IPsec flows.
    pub flows: Vec<SessionFlow>,
    /// Other `Key: value` items of the session (SD-WAN `System IP: A
    /// Interface: Tu1` under the peer), as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<crate::KeyValue>,
    /// Status, peer and counter lines, for evidence.
    #[serde(skip)]
    pub evidence: smallvec::SmallVec<[LineRef; 2]>,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct SessionParser {
    cur: Option<usize>,
    session_id: Option<u64>,
    /// Inside the `show crypto session brief` table (after its header).
    brief: bool,
    /// `ivrf = NAME` above the brief rows.
    brief_ivrf: Option<Text>,
}

impl SessionParser {
    pub(crate) fn reset(&mut self) {
        *self = SessionParser::default();
    }

    fn session<'o>(&mut self, out: &'o mut Vec<CryptoSession>, no: u64) -> &'o mut CryptoSession {
        let i = match self.cur {
            Some(i) if i < out.len() => i,
            _ => {
                out.push(CryptoSession {
                    line: no,
                    ..CryptoSession::default()
                });
                out.len() - 1
            }
        };
        self.cur = Some(i);
        &mut out[i]
    }

    /// Handles one line; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<CryptoSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        if self.brief || s.starts_with("ivrf =") {
            if let Some(done) = self.brief_line(out, notes, no, s) {
                return done;
            }
        }
        // Every line of this output starts with a capital letter; the
        // first byte picks the few labels worth trying.
        let Some(&first) = s.as_bytes().first().filter(|b| b.is_ascii_uppercase()) else {
            if s.starts_with("fvrf:") {
                self.vrf_phase1(out, no, s);
                return true;
            }
            return s.starts_with("remote ") && self.wrapped_remote(out, s);
        };
        // The `brief` table's header (the detail form's `Peer:` has a colon).
        if first == b'P' && s.starts_with("Peer ") && find(s, "I/F").is_some() {
            self.brief = true;
            return true;
        }
        let done = match first {
            b'I' => self.i_line(out, notes, no, s),
            b'P' => self.p_line(out, no, s),
            b'S' => self.s_line(out, notes, no, s),
            b'C' => {
                if s.starts_with("Crypto session current status")
                    || s.starts_with("Code:")
                    || s.starts_with("Crypto Session Details")
                {
                    Some(true)
                } else if let Some(v) = after(s, "Crypto Session Status:") {
                    // `show dmvpn detail` spells `Session status:` so, after
                    // the IKE SAs, and prints no `Peer:` line: the peer is
                    // their remote end.
                    let sess = self.session(out, no);
                    sess.status = Some(v.into());
                    if sess.peer.is_none() {
                        if let Some(sa) = sess.ike_sas.iter().find(|sa| sa.remote.is_some()) {
                            sess.peer = sa.remote.clone();
                            sess.peer_port = sa.remote_port;
                        }
                    }
                    sess.evidence.push(LineRef::new(notes, no, s, What::Status));
                    Some(true)
                } else if s.starts_with("Capabilities:") {
                    let sess = self.session(out, no);
                    if let Some(sa) = sess.ike_sas.last_mut() {
                        for item in words(s) {
                            if let Some(v) = item.strip_prefix("Capabilities:") {
                                sa.capabilities = Some(v.into());
                            } else if let Some(v) = item.strip_prefix("connid:") {
                                sa.conn_id = num(v);
                            } else if let Some(v) = item.strip_prefix("lifetime:") {
                                sa.lifetime = Some(v.into());
                            }
                        }
                    }
                    Some(true)
                } else {
                    None
                }
            }
            b'U' => {
                if let Some(v) = after(s, "Uptime:") {
                    self.session(out, no).uptime = Some(v.into());
                    Some(true)
                } else {
                    after(s, "Username:").map(|v| {
                        self.session(out, no).username = Some(v.into());
                        true
                    })
                }
            }
            b'G' => after(s, "Group:").map(|v| {
                self.session(out, no).group = Some(v.into());
                true
            }),
            b'D' => after(s, "Desc:").map(|v| {
                self.session(out, no).description = Some(v.into());
                true
            }),
            b'A' if s.starts_with("Assigned address:") => {
                let v = after(s, "Assigned address:").unwrap_or("");
                self.session(out, no).assigned_address = Some(v.into());
                Some(true)
            }
            b'A' => after(s, "Active SAs:").map(|v| {
                let sess = self.session(out, no);
                if let Some(f) = sess.flows.last_mut() {
                    let mut parts = v.splitn(2, ',');
                    f.active_sas = parts.next().and_then(|p| num(trim(p)));
                    if let Some(o) = parts.next().and_then(|p| after(trim(p), "origin:")) {
                        f.origin = Some(o.into());
                    }
                }
                true
            }),
            b'O' => match after(s, "Outbound:") {
                Some(v) => Some(self.counters(out, notes, no, s, v, false)),
                // `show dmvpn detail`: `Outbound SPI : 0x…, transform : …`.
                None if s.starts_with("Outbound SPI") => {
                    self.key_values(out, no, s);
                    Some(true)
                }
                None => None,
            },
            _ => None,
        };
        if let Some(done) = done {
            return done;
        }
        // Legend continuation: `K - Keepalives, N - NAT-traversal, …`.
        let mut w = words(s);
        let (w0, w1) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
        w1 == "-" && w0.len() <= 2 && w0.bytes().all(|b| b.is_ascii_uppercase())
    }

    /// `show crypto session brief`: `ivrf = X`, then rows `Peer I/F
    /// [Username] Group/Phase1_id [Uptime] Status` (columns may be blank;
    /// some releases right-align them). `None` when the line is not one.
    fn brief_line(
        &mut self,
        out: &mut Vec<CryptoSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> Option<bool> {
        if let Some(v) = after(s, "ivrf =") {
            self.brief_ivrf = words(v).next().map(Text::from);
            return Some(true);
        }
        let toks: smallvec::SmallVec<[&str; 8]> = words(s).collect();
        let (&peer, &code) = (toks.first()?, toks.last()?);
        let status = brief_status(code)?;
        // A peer is an address (or a name): not a legend or a label.
        if toks.len() < 3
            || peer.ends_with(':')
            || !peer.bytes().any(|b| b.is_ascii_digit() || b == b'.')
        {
            return None;
        }
        let mut middle = &toks[2..toks.len() - 1];
        let mut uptime = None;
        if let Some((&last, rest)) = middle.split_last() {
            if is_uptime(last) {
                uptime = Some(Text::from(last));
                middle = rest;
            }
        }
        let (username, phase1_id) = match middle {
            [u, g] => (Some(Text::from(*u)), Some(Text::from(*g))),
            [g] => (None, Some(Text::from(*g))),
            [] => (None, None),
            _ => return None,
        };
        out.push(CryptoSession {
            line: no,
            interface: Some(Text::from(toks[1])),
            uptime,
            username,
            phase1_id,
            status: Some(Text::from(status)),
            status_code: Some(Text::from(code)),
            peer: Some(Text::from(peer)),
            ivrf: self.brief_ivrf.clone(),
            evidence: smallvec::smallvec![LineRef::new(notes, no, s, What::Status)],
            ..CryptoSession::default()
        });
        // A brief row stands alone: later detail lines start their own.
        self.cur = None;
        Some(true)
    }

    /// `Interface:`, `IKEv1 SA:` / `IKEv2 SA:` / `IKE SA:`, `IPSEC FLOW:`,
    /// `Inbound:`.
    fn i_line(
        &mut self,
        out: &mut Vec<CryptoSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> Option<bool> {
        if let Some(v) = after(s, "Interface:") {
            out.push(CryptoSession {
                line: no,
                interface: Some(v.into()),
                ..CryptoSession::default()
            });
            self.cur = Some(out.len() - 1);
            self.session_id = None;
            return Some(true);
        }
        for (label, version) in [
            ("IKEv1 SA:", Some(1)),
            ("IKEv2 SA:", Some(2)),
            ("IKE SA:", None),
        ] {
            if let Some(v) = after(s, label) {
                let session_id = self.session_id.take();
                let sess = self.session(out, no);
                let mut sa = SessionIkeSa {
                    line: no,
                    version,
                    session_id,
                    ..SessionIkeSa::default()
                };
                let mut toks = words(v).peekable();
                while let Some(t) = toks.next() {
                    match t {
                        "local" | "remote" => {
                            if let Some(a) = toks.next() {
                                let (a, mut p) = addr_port(a);
                                // `remote 192.0.2.7 /500`: the port split off
                                // its address (copied from a web page).
                                if p.is_none() {
                                    if let Some(port) = toks
                                        .peek()
                                        .and_then(|n| n.strip_prefix('/'))
                                        .and_then(num)
                                        .and_then(|v| u16::try_from(v).ok())
                                    {
                                        p = Some(port);
                                        toks.next();
                                    }
                                }
                                if t == "local" {
                                    sa.local = Some(a);
                                    sa.local_port = p;
                                } else {
                                    sa.remote = Some(a);
                                    sa.remote_port = p;
                                }
                            }
                        }
                        other => sa.status = Some(other.into()),
                    }
                }
                // Usually one IKE SA and one flow per session: no room
                // for four of each.
                if sess.ike_sas.is_empty() {
                    sess.ike_sas.reserve_exact(1);
                }
                sess.ike_sas.push(sa);
                return Some(true);
            }
        }
        if let Some(v) = after(s, "IPSEC FLOW:") {
            let flow = parse_flow(no, v);
            let flows = &mut self.session(out, no).flows;
            if flows.is_empty() {
                flows.reserve_exact(1);
            }
            flows.push(flow);
            return Some(true);
        }
        after(s, "Inbound:").map(|v| self.counters(out, notes, no, s, v, true))
    }

    /// `          remote 2001:DB8:ACAD:1::2/500 Active`: the rest of an
    /// `IKEv2 SA: local A/500` line that long (IPv6) addresses wrapped.
    // Rare: kept out of the per-line code.
    #[inline(never)]
    fn wrapped_remote(&mut self, out: &mut [CryptoSession], s: &str) -> bool {
        let Some(sa) = self
            .cur
            .and_then(|i| out.get_mut(i))
            .and_then(|sess| sess.ike_sas.last_mut())
            .filter(|sa| sa.remote.is_none() && sa.status.is_none())
        else {
            return false;
        };
        let mut toks = words(s).skip(1);
        if let Some(a) = toks.next() {
            let (a, p) = addr_port(a);
            sa.remote = Some(a);
            sa.remote_port = p;
        }
        if let Some(st) = toks.next() {
            sa.status = Some(st.into());
        }
        true
    }

    /// An `Inbound:` / `Outbound:` line: the last flow's counters.
    fn counters(
        &mut self,
        out: &mut Vec<CryptoSession>,
        notes: &mut crate::Notes,
        no: u64,
        line: &str,
        value: &str,
        inbound: bool,
    ) -> bool {
        let c = flow_counters(value);
        let sess = self.session(out, no);
        sess.evidence
            .push(LineRef::new(notes, no, line, What::Counters));
        if let Some(f) = sess.flows.last_mut() {
            if inbound {
                f.inbound = Some(c);
            } else {
                f.outbound = Some(c);
            }
        }
        true
    }

    /// `Profile:`, `Peer: A port N fvrf: X ivrf: Y`, `Phase1_id:`.
    fn p_line(&mut self, out: &mut Vec<CryptoSession>, no: u64, s: &str) -> Option<bool> {
        if let Some(v) = after(s, "Profile:") {
            self.session(out, no).profile = Some(v.into());
            return Some(true);
        }
        if let Some(v) = after(s, "Peer:") {
            let sess = self.session(out, no);
            let mut toks = words(v);
            sess.peer = toks.next().map(Text::from);
            while let Some(t) = toks.next() {
                match t {
                    "port" => {
                        sess.peer_port = toks
                            .next()
                            .and_then(num)
                            .and_then(|p| u16::try_from(p).ok())
                    }
                    "fvrf:" => sess.fvrf = toks.next().map(Text::from),
                    "ivrf:" => sess.ivrf = toks.next().map(Text::from),
                    _ => {}
                }
            }
            return Some(true);
        }
        after(s, "Phase1_id:").map(|v| {
            self.session(out, no).phase1_id = Some(v.into());
            true
        })
    }

    /// `Session status:`, `Session ID:`.
    fn s_line(
        &mut self,
        out: &mut Vec<CryptoSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> Option<bool> {
        if let Some(v) = after(s, "Session status:") {
            let sess = self.session(out, no);
            sess.status = Some(v.into());
            sess.evidence.push(LineRef::new(notes, no, s, What::Status));
            return Some(true);
        }
        // The `brief` legend: `Status: A- Active, U - Up, D - Down, …`.
        if s.starts_with("Status:") && find(s, "- Up").is_some() {
            return Some(true);
        }
        if s.starts_with("System IP:") {
            self.system_ip(out, no, s);
            return Some(true);
        }
        // `show dmvpn detail`: `Session: [0x0CBF2718]`, `Socket State: Open`.
        if s.starts_with("Session: [") || s.starts_with("Socket State:") {
            self.key_values(out, no, s);
            return Some(true);
        }
        after(s, "Session ID:").map(|v| {
            self.session_id = num(trim(v));
            true
        })
    }

    /// `show dmvpn detail`'s `fvrf: (none),Phase1_id: A` (`ivrf:` too).
    // Rare: kept out of the per-line code.
    #[inline(never)]
    fn vrf_phase1(&mut self, out: &mut Vec<CryptoSession>, no: u64, s: &str) {
        let sess = self.session(out, no);
        for item in s.split(',') {
            let Some((k, v)) = item.split_once(':') else {
                continue;
            };
            let v = Text::from(trim(v));
            match trim(k) {
                "fvrf" => sess.fvrf = Some(v),
                "ivrf" => sess.ivrf = Some(v),
                "Phase1_id" => sess.phase1_id = Some(v),
                k => sess.other.push(crate::KeyValue {
                    key: k.into(),
                    value: v,
                }),
            }
        }
    }

    /// `Key : value[, key : value]` items (`show dmvpn detail`'s `Session:
    /// [0x…]`, `Outbound SPI : 0x…, transform : esp-aes …`, `Socket
    /// State: Open`), kept in `other` as printed.
    // Rare: kept out of the per-line code.
    #[inline(never)]
    fn key_values(&mut self, out: &mut Vec<CryptoSession>, no: u64, s: &str) {
        let sess = self.session(out, no);
        for item in s.split(", ") {
            if let Some((k, v)) = item.split_once(':') {
                sess.other.push(crate::KeyValue {
                    key: trim(k).into(),
                    value: trim(v).into(),
                });
            }
        }
    }

    /// SD-WAN `System IP: 13.13.13.11  Interface: Tu1` under `Peer:`: each
    /// `Key: value` item kept as printed.
    // Rare: kept out of the per-line code.
    #[inline(never)]
    fn system_ip(&mut self, out: &mut Vec<CryptoSession>, no: u64, s: &str) {
        let sess = self.session(out, no);
        let mut rest = s;
        while let Some((k, v)) = rest.split_once(':') {
            let v = v.trim_start();
            // The value is one word; the next key follows it.
            let (val, next) = match v.find(' ') {
                Some(i) => (&v[..i], &v[i..]),
                None => (v, ""),
            };
            sess.other.push(crate::KeyValue {
                key: trim(k).into(),
                value: val.into(),
            });
            rest = next;
        }
    }
}

/// `permit 47 host A host B` / `permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0`.
fn parse_flow(no: u64, v: &str) -> SessionFlow {
    let mut toks = words(v);
    let mut f = SessionFlow {
        line: no,
        spec: crate::text::squeeze(v),
        ..SessionFlow::default()
    };
    f.action = toks.next().map(Text::from);
    f.protocol = toks.next().map(Text::from);
    // Source, then destination: `host A`, `any`, or `addr/mask`.
    let mut end = || -> Option<(Text, Option<Text>)> {
        Some(match toks.next()? {
            "host" => (Text::from(toks.next()?), None),
            t => match t.split_once('/') {
                Some((a, m)) => (Text::from(a), Some(Text::from(m))),
                None => (Text::from(t), None),
            },
        })
    };
    if let Some((a, m)) = end() {
        f.src = Some(a);
        f.src_mask = m;
    }
    if let Some((a, m)) = end() {
        f.dst = Some(a);
        f.dst_mask = m;
    }
    f
}

/// `#pkts dec'ed 0 drop 0 life (KB/Sec) 0/0`.
fn flow_counters(v: &str) -> FlowCounters {
    let mut c = FlowCounters::default();
    let mut toks = words(v).peekable();
    while let Some(t) = toks.next() {
        match t {
            "dec'ed" | "enc'ed" => c.pkts = toks.peek().and_then(|x| num(x)),
            "drop" => c.drop = toks.peek().and_then(|x| num(x)),
            _ => {}
        }
    }
    if let Some(i) = find(v, "(KB/Sec)") {
        // `4605665/2949`, or `KB Vol Rekey Disabled/3060` when volume
        // rekeying is off (the seconds after the last slash either way).
        let life = trim(&v[i + 8..]);
        if let Some((a, b)) = life.rsplit_once('/') {
            c.life_kb = num(trim(a));
            c.life_sec = words(b).next().and_then(num);
            c.kb_rekey_disabled = c.life_kb.is_none() && find(a, "Disabled").is_some();
        }
    }
    c
}

/// A `brief` status code spelt out as the detail form prints it:
/// `U`/`D` (up, down) then `A` active, `I` idle, `N` negotiating, `S`
/// standby, `K` no IKE — `UA` → `UP-ACTIVE`, `DN` → `DOWN-NEGOTIATING`.
fn brief_status(code: &str) -> Option<String> {
    let mut chars = code.chars();
    let mut v = vec![match chars.next()? {
        'U' => "UP",
        'D' => "DOWN",
        _ => return None,
    }];
    for c in chars {
        v.push(match c {
            'A' => "ACTIVE",
            'I' => "IDLE",
            'N' => "NEGOTIATING",
            'S' => "STANDBY",
            'K' => "NO-IKE",
            _ => return None,
        });
    }
    Some(v.join("-"))
}

/// An uptime as IOS prints it: `00:10:53`, `1d02h`, `2w3d`.
fn is_uptime(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit)
        && b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'd' | b'h' | b'w' | b'm' | b'y'))
        && b.iter().any(|c| !c.is_ascii_digit())
}
