//! Per-device diagnosis: ISAKMP states, IPsec counters, MTU, path-MTU
//! probes, sessions and weak algorithms → findings with evidence and fixes.

mod asp;
mod engine;
mod ikev2;
pub(crate) mod keys;
mod path_mtu;
mod phase1;
pub(crate) mod policy;
mod traffic;
mod weak;

use crate::ikev2::{Ikev2Format, Ikev2Sa};
pub(crate) use crate::ipsec_sa::{Ident, IpsecSaBlock};
use crate::isakmp::{IsakmpFormat, IsakmpSa};
use crate::mtu;
use crate::ping::{mtu_bounds, PingProbe};
use crate::session::CryptoSession;
use crate::vpn_sessiondb::VpnSession;
use crate::{LineRef, ShowOutput};
use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Code, Evidence, Finding, Fix, Severity};
use std::collections::BTreeSet;

/// Platform of a device, as far as its output tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Platform {
    Ios,
    Asa,
    Pix,
    Unknown,
}

/// Everything one device printed, across inputs.
pub(crate) struct DeviceView<'a> {
    /// Device name (prompt), or the input's name.
    pub name: String,
    pub isakmp: Vec<(&'a ShowOutput, &'a IsakmpSa)>,
    pub ikev2: Vec<(&'a ShowOutput, &'a Ikev2Sa)>,
    pub engine: Vec<(&'a ShowOutput, &'a crate::engine::EngineConnection)>,
    pub ipsec: Vec<(&'a ShowOutput, &'a IpsecSaBlock)>,
    pub sessions: Vec<(&'a ShowOutput, &'a CryptoSession)>,
    pub vpn: Vec<(&'a ShowOutput, &'a VpnSession)>,
    pub pings: Vec<(&'a ShowOutput, &'a PingProbe)>,
    /// `show crypto isakmp policy` suites.
    pub policies: Vec<(&'a ShowOutput, &'a crate::policy::IsakmpPolicy)>,
    /// `show crypto ipsec transform-set` sets.
    pub transform_sets: Vec<(&'a ShowOutput, &'a crate::policy::TransformSet)>,
    /// `show crypto map` entries.
    pub maps: Vec<(&'a ShowOutput, &'a crate::policy::CryptoMapEntry)>,
    /// `show crypto isakmp key` rows.
    pub keys: Vec<(&'a ShowOutput, &'a crate::IsakmpKey)>,
    /// ASA `show asp drop` counters.
    pub asp: Vec<(&'a ShowOutput, &'a crate::AspDrop)>,
    /// This device's own addresses (crypto endpoints, local addresses).
    pub locals: Vec<&'a str>,
    /// Platform, as far as the output tells.
    pub platform: Platform,
    /// Phase 1 up (true) or not, per peer, from `show crypto isakmp sa`.
    pub phase1: std::collections::BTreeMap<&'a str, bool>,
    /// Peers that `show crypto isakmp sa` / `ipsec sa` already speak about.
    pub covered: BTreeSet<&'a str>,
}

impl<'a> DeviceView<'a> {
    fn new(name: String) -> DeviceView<'a> {
        DeviceView {
            name,
            isakmp: Vec::new(),
            ikev2: Vec::new(),
            engine: Vec::new(),
            ipsec: Vec::new(),
            sessions: Vec::new(),
            vpn: Vec::new(),
            pings: Vec::new(),
            policies: Vec::new(),
            transform_sets: Vec::new(),
            maps: Vec::new(),
            keys: Vec::new(),
            asp: Vec::new(),
            locals: Vec::new(),
            platform: Platform::Unknown,
            phase1: std::collections::BTreeMap::new(),
            covered: BTreeSet::new(),
        }
    }

    /// Computes the derived facts once all records are in.
    fn finish(&mut self) {
        self.locals = self.compute_locals();
        self.platform = self.compute_platform();
        for (_, sa) in &self.isakmp {
            let Some(peer) = sa.peer_of(&self.locals) else {
                continue;
            };
            let up = sa.state_upper().is_some_and(|s| is_up_state(&s));
            *self.phase1.entry(peer).or_insert(false) |= up;
            self.covered.insert(peer);
        }
        for (_, sa) in &self.ikev2 {
            let Some(peer) = sa.remote.as_deref() else {
                continue;
            };
            let up = sa.status.as_deref() == Some("READY");
            *self.phase1.entry(peer).or_insert(false) |= up;
            self.covered.insert(peer);
        }
        for (_, b) in &self.ipsec {
            self.covered.extend(b.peer());
        }
    }

    /// This device's own addresses (crypto endpoints, local addresses).
    fn compute_locals(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = Vec::new();
        for (_, b) in &self.ipsec {
            v.extend(b.local_endpoint.as_deref());
            v.extend(b.local_addr.as_deref());
        }
        for (_, s) in &self.sessions {
            for ike in &s.ike_sas {
                v.extend(ike.local.as_deref());
            }
        }
        for (_, sa) in &self.isakmp {
            v.extend(sa.local.as_deref());
        }
        for (_, sa) in &self.ikev2 {
            v.extend(sa.local.as_deref());
        }
        for (_, e) in &self.maps {
            v.extend(e.local_address.as_deref());
        }
        // IPv4 and IPv6 rows apart: a dual-stack device has one address
        // of each family in its rows.
        for v6 in [false, true] {
            v.extend(self.table_local(v6));
        }
        v.extend(self.keyed_local());
        v.sort_unstable();
        v.dedup();
        v
    }

    /// This device's address from its `dst src` rows and its pre-shared
    /// keys (`show crypto isakmp key`): keys are for peers, so of a row's
    /// two ends the one a host or network key covers is the peer and the
    /// other is this device (a wildcard key says nothing).
    fn keyed_local(&self) -> Vec<&'a str> {
        if self.keys.is_empty() {
            return Vec::new();
        }
        let specific = |a: &str| {
            a.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| {
                self.keys
                    .iter()
                    .any(|(_, k)| k.mask.as_deref() != Some("0.0.0.0") && k.covers(ip))
            })
        };
        let mut out = Vec::new();
        for (_, sa) in &self.isakmp {
            let (Some(d), Some(s)) = (sa.dst.as_deref(), sa.src.as_deref()) else {
                continue;
            };
            match (specific(d), specific(s)) {
                (true, false) => out.push(s),
                (false, true) => out.push(d),
                _ => {}
            }
        }
        out
    }

    /// This device's address from `dst src` table rows of one address
    /// family alone: the address every such row has, when the rows name
    /// more than one other address (a table row does not say which side is
    /// ours; with one peer either could be).
    fn table_local(&self, v6: bool) -> Option<&'a str> {
        let rows: Vec<(&str, &str)> = self
            .isakmp
            .iter()
            .filter_map(|(_, sa)| Some((sa.dst.as_deref()?, sa.src.as_deref()?)))
            .filter(|(d, _)| d.contains(':') == v6)
            .collect();
        let &(d0, s0) = rows.first()?;
        [d0, s0].into_iter().find(|&a| {
            let mut others = rows.iter().map(|&(d, s)| {
                if d == a {
                    Some(s)
                } else if s == a {
                    Some(d)
                } else {
                    None
                }
            });
            let Some(Some(first)) = others.next() else {
                return false;
            };
            let mut distinct = false;
            for o in others {
                match o {
                    None => return false,
                    Some(o) if o != first => distinct = true,
                    Some(_) => {}
                }
            }
            distinct
        })
    }

    fn compute_platform(&self) -> Platform {
        if self
            .isakmp
            .iter()
            .any(|(_, s)| s.format == IsakmpFormat::Pix)
        {
            return Platform::Pix;
        }
        let asa = self
            .isakmp
            .iter()
            .any(|(_, s)| matches!(s.format, IsakmpFormat::AsaBlock | IsakmpFormat::AsaTable))
            || self.ikev2.iter().any(|(_, s)| s.format == Ikev2Format::Asa)
            || !self.vpn.is_empty()
            || self.ipsec.iter().any(|(_, b)| {
                b.seq.is_some()
                    || b.peer_address.is_some()
                    || b.counters.pre_frag_failures.is_some()
            });
        if asa {
            return Platform::Asa;
        }
        let ios = self
            .isakmp
            .iter()
            .any(|(_, s)| matches!(s.format, IsakmpFormat::IosTable | IsakmpFormat::IosDetail))
            || self.ikev2.iter().any(|(_, s)| s.format == Ikev2Format::Ios)
            || !self.sessions.is_empty()
            || self
                .ipsec
                .iter()
                .any(|(_, b)| b.protected_vrf.is_some() || b.flags.is_some())
            // `show crypto map` and `show crypto ipsec transform-set` are
            // IOS commands (PIX 6 shares the policy output, and says so in
            // its ISAKMP table above).
            || !self.maps.is_empty()
            || !self.transform_sets.is_empty();
        if ios {
            Platform::Ios
        } else {
            Platform::Unknown
        }
    }
}

pub(crate) fn is_up_state(s: &str) -> bool {
    matches!(
        s,
        "QM_IDLE" | "MM_ACTIVE" | "AM_ACTIVE" | "ACTIVE" | "MM_KEY_AUTH" | "READY"
    )
}

/// Groups every record by the device that printed it.
pub(crate) fn views(outputs: &[ShowOutput]) -> Vec<DeviceView<'_>> {
    let mut views: Vec<DeviceView<'_>> = Vec::new();
    fn idx<'a>(views: &mut Vec<DeviceView<'a>>, out: &'a ShowOutput, line: u64) -> usize {
        let name = match out.device_at(line) {
            Some(d) => d.to_string(),
            None => out.source.clone(),
        };
        match views.iter().position(|v| v.name == name) {
            Some(i) => i,
            None => {
                views.push(DeviceView::new(name));
                views.len() - 1
            }
        }
    }
    for out in outputs {
        for sa in &out.isakmp_sas {
            let i = idx(&mut views, out, sa.line);
            views[i].isakmp.push((out, sa));
        }
        for sa in &out.ikev2_sas {
            let i = idx(&mut views, out, sa.line);
            views[i].ikev2.push((out, sa));
        }
        for c in &out.engine_connections {
            let i = idx(&mut views, out, c.line);
            views[i].engine.push((out, c));
        }
        // Routing-protocol SAs to a multicast group are no tunnel (see
        // `is_multicast`): no diagnosis, pairing or tunnel row.
        for b in out.ipsec.iter().filter(|b| !b.is_multicast()) {
            let i = idx(&mut views, out, b.line);
            views[i].ipsec.push((out, b));
        }
        for s in &out.sessions {
            let i = idx(&mut views, out, s.line);
            views[i].sessions.push((out, s));
        }
        for s in &out.vpn_sessions {
            let i = idx(&mut views, out, s.line);
            views[i].vpn.push((out, s));
        }
        for p in &out.pings {
            let i = idx(&mut views, out, p.line);
            views[i].pings.push((out, p));
        }
        for p in &out.isakmp_policies {
            let i = idx(&mut views, out, p.line);
            views[i].policies.push((out, p));
        }
        for s in &out.transform_sets {
            let i = idx(&mut views, out, s.line);
            views[i].transform_sets.push((out, s));
        }
        for e in &out.crypto_maps {
            let i = idx(&mut views, out, e.line);
            views[i].maps.push((out, e));
        }
        for k in &out.isakmp_keys {
            let i = idx(&mut views, out, k.line);
            views[i].keys.push((out, k));
        }
        for d in &out.asp_drops {
            let i = idx(&mut views, out, d.line);
            views[i].asp.push((out, d));
        }
    }
    for v in &mut views {
        v.finish();
    }
    views
}

// ---------------------------------------------------------------------------
// Building findings.

pub(crate) fn evidence(out: &ShowOutput, refs: &[&LineRef]) -> Vec<Evidence> {
    let mut v: Vec<Evidence> = refs
        .iter()
        .map(|r| Evidence {
            source: out.source.clone(),
            line: r.line(),
            text: redact(out.text_of(r)).into_owned(),
        })
        .collect();
    v.sort_by_key(|e| e.line);
    v.dedup_by(|a, b| a.line == b.line && a.text == b.text);
    v
}

/// The block's evidence lines of the given kinds.
pub(crate) fn block_refs<'a>(
    out: &ShowOutput,
    b: &'a IpsecSaBlock,
    kinds: &[&str],
) -> Vec<&'a LineRef> {
    const TELLING: &[&str] = &[
        "encaps",
        "decaps",
        "errors",
        "verify failed",
        "replay",
        "invalid",
        "pre-frag",
        "PMTU",
        "no sa",
    ];
    b.evidence
        .iter()
        .filter(|r| kinds.contains(&r.what()))
        .filter(|r| r.what() != "counters" || TELLING.iter().any(|t| out.text_of(r).contains(t)))
        .collect()
}

pub(crate) struct Draft {
    pub code: Code,
    pub severity: Severity,
    pub confidence: f32,
    pub title: String,
    pub explanation: String,
}

pub(crate) fn finding(
    d: Draft,
    device: &DeviceView<'_>,
    peer: Option<&str>,
    evidence: Vec<Evidence>,
    fixes: Vec<Fix>,
) -> Finding {
    Finding {
        code: d.code,
        severity: d.severity,
        device: Some(device.name.clone()),
        peer: peer.map(str::to_string),
        title: d.title,
        explanation: d.explanation,
        evidence,
        fixes,
        confidence: d.confidence,
    }
}

pub(crate) fn fix(device: &str, why: &str, commands: &[String]) -> Fix {
    Fix {
        device: device.to_string(),
        why: why.to_string(),
        commands: commands.to_vec(),
    }
}

/// Fixes for a device of known or unknown platform: the IOS and ASA forms
/// (both when the platform is unknown).
pub(crate) fn platform_fixes(
    device: &str,
    platform: Platform,
    why: &str,
    ios: Vec<String>,
    asa: Vec<String>,
) -> Vec<Fix> {
    match platform {
        Platform::Ios => vec![fix(device, why, &ios)],
        Platform::Asa | Platform::Pix => vec![fix(device, why, &asa)],
        Platform::Unknown => vec![
            fix(device, &format!("{why}{IF_IOS}"), &ios),
            fix(device, &format!("{why}{IF_ASA}"), &asa),
        ],
    }
}

/// How [`platform_fixes`] marks the two forms for a device of unknown
/// platform.
const IF_IOS: &str = " (if it runs IOS)";
const IF_ASA: &str = " (if it is an ASA)";

/// Fixes addressed to a peer by its address, when that peer's own output
/// is among the inputs: addressed to it by name, in the form for its
/// platform only.
pub(crate) fn name_peers_in_fixes(views: &[DeviceView<'_>], findings: &mut [Finding]) {
    if views.len() < 2 {
        return;
    }
    let owner = |addr: &str| views.iter().find(|v| v.locals.contains(&addr));
    for f in findings.iter_mut() {
        let mut fixes = Vec::with_capacity(f.fixes.len());
        for mut fx in std::mem::take(&mut f.fixes) {
            if let Some(v) = owner(&fx.device) {
                let keep = match v.platform {
                    Platform::Ios => !fx.why.ends_with(IF_ASA),
                    Platform::Asa | Platform::Pix => !fx.why.ends_with(IF_IOS),
                    Platform::Unknown => true,
                };
                if !keep {
                    continue;
                }
                if v.platform != Platform::Unknown {
                    for suffix in [IF_IOS, IF_ASA] {
                        if let Some(w) = fx.why.strip_suffix(suffix) {
                            fx.why = w.to_string();
                        }
                    }
                }
                fx.device = v.name.clone();
            }
            fixes.push(fx);
        }
        f.fixes = fixes;
    }
}

/// `255.255.255.0` → `0.0.0.255`.
pub(crate) fn wildcard(mask: &str) -> String {
    match mask.parse::<std::net::Ipv4Addr>() {
        Ok(m) => std::net::Ipv4Addr::from(!u32::from(m)).to_string(),
        Err(_) => mask.to_string(),
    }
}

/// An identity as an IOS ACL operand (`host A` / `A W`).
pub(crate) fn ios_operand(id: &Ident) -> String {
    if id.mask == "255.255.255.255" {
        format!("host {}", id.addr)
    } else if id.mask == "0.0.0.0" {
        "any".to_string()
    } else {
        format!("{} {}", id.addr, wildcard(&id.mask))
    }
}

/// The NAT exemption for `local` → `remote`: the IOS form (a deny in the
/// NAT ACL) and the ASA 8.3+ form (twice NAT, identity).
pub(crate) fn nat_exemption(local: &Ident, remote: &Ident) -> (Vec<String>, Vec<String>) {
    (
        vec![
            "ip access-list extended <nat-acl>".into(),
            format!(" deny ip {} {}", ios_operand(local), ios_operand(remote)),
            format!(" permit ip {} any", ios_operand(local)),
            "ip nat inside source list <nat-acl> interface <outside-interface> overload".into(),
        ],
        vec![
            "object network LOCAL-VPN-NET".into(),
            format!(" subnet {} {}", local.addr, local.mask),
            "object network REMOTE-VPN-NET".into(),
            format!(" subnet {} {}", remote.addr, remote.mask),
            "nat (inside,outside) source static LOCAL-VPN-NET LOCAL-VPN-NET destination static REMOTE-VPN-NET REMOTE-VPN-NET no-proxy-arp route-lookup".into(),
        ],
    )
}

/// An identity as an ASA ACL operand (`host A` / `A M`).
pub(crate) fn asa_operand(id: &Ident) -> String {
    if id.mask == "255.255.255.255" {
        format!("host {}", id.addr)
    } else if id.mask == "0.0.0.0" {
        "any".to_string()
    } else {
        format!("{} {}", id.addr, id.mask)
    }
}

fn ident_text(id: Option<&Ident>) -> String {
    id.map(|i| format!("{}/{}", i.addr, i.mask))
        .unwrap_or_else(|| "?".to_string())
}

pub(crate) use traffic::invalid_spi_fixes;

/// Per-device findings for every device in `outputs`.
pub(crate) fn per_device(views: &[DeviceView<'_>], outputs: &[ShowOutput]) -> Vec<Finding> {
    let mut all = Vec::new();
    for v in views {
        let mut f = Vec::new();
        phase1::isakmp_states(v, &mut f);
        ikev2::ikev2_states(v, &mut f);
        traffic::ipsec_counters(v, &mut f);
        engine::engine_connections(v, &mut f);
        phase1::sessions(v, &mut f);
        traffic::vpn_sessions(v, &mut f);
        path_mtu::pings(v, outputs, &mut f);
        weak::weak_crypto(v, &mut f);
        policy::crypto_maps(v, &mut f);
        asp::drops(v, &mut f);
        all.extend(f);
    }
    dedup(all)
}

/// Drops repeated findings (same code, device, peer and title).
pub(crate) fn dedup(v: Vec<Finding>) -> Vec<Finding> {
    let mut seen = BTreeSet::new();
    v.into_iter()
        .filter(|f| seen.insert((f.code, f.device.clone(), f.peer.clone(), f.title.clone())))
        .collect()
}
