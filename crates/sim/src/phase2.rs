//! Phase 2 (quick mode): proxy identities, crypto map lookup, transforms, PFS.

use crate::net;
use crate::{Cite, ConfigFix, Outcome};
use ipsec_doctor_model::config::{
    Acl, AclEntry, CryptoMapEntry, DeviceConfig, Platform, PortMatch, TransformSet,
};
use ipsec_doctor_model::Code;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::rc::Rc;

/// Whether the responder's ACL, read mirrored, covers the proposal: the
/// first line that touches the mirrored flow decides (a deny before the
/// covering permit refuses it).
pub fn acl_accepts(acl: &[AclEntry], p: &AclEntry) -> bool {
    for l in acl {
        let proto_ok = l.protocol.is_none() || l.protocol == p.protocol;
        let covers = proto_ok
            && l.src.covers(&p.dst)
            && l.dst.covers(&p.src)
            && ports_cover(l.src_port, p.dst_port)
            && ports_cover(l.dst_port, p.src_port);
        let touches = (l.protocol.is_none() || p.protocol.is_none() || l.protocol == p.protocol)
            && l.src.overlaps(&p.dst)
            && l.dst.overlaps(&p.src);
        if l.permit && covers {
            return true;
        }
        if !l.permit && touches {
            return false;
        }
    }
    false
}

fn ports_cover(outer: PortMatch, inner: PortMatch) -> bool {
    match (outer, inner) {
        (PortMatch::Any, _) => true,
        (PortMatch::Range(a, b), PortMatch::Range(c, d)) => a <= c && d <= b,
        (PortMatch::Not(x), PortMatch::Range(c, d)) => x < c || x > d,
        (PortMatch::Not(x), PortMatch::Not(y)) => x == y,
        _ => false,
    }
}

/// The mirror image of an ACL line (source and destination swapped).
pub fn mirror(l: &AclEntry) -> AclEntry {
    AclEntry {
        permit: true,
        protocol: l.protocol,
        src: l.dst,
        src_port: l.dst_port,
        dst: l.src,
        dst_port: l.src_port,
        origin: Default::default(),
    }
}

fn transform_key(t: &TransformSet) -> (Vec<String>, bool) {
    let mut v = t.transforms.clone();
    v.sort();
    (v, t.tunnel_mode)
}

/// A responder's crypto map, in sequence order, with each entry's ACL
/// looked up.
type Resolved<'c> = Rc<Vec<(&'c CryptoMapEntry, Option<&'c Acl>)>>;

/// What the responder side of every negotiation looks up again: a hub
/// answers thousands of spokes from the same map. Kept for one simulation
/// run, so a negotiation walks resolved entries instead of sorting the map
/// and looking each ACL up by name.
#[derive(Default)]
pub struct MapCache<'c> {
    maps: RefCell<HashMap<(usize, &'c str), Resolved<'c>>>,
}

impl<'c> MapCache<'c> {
    fn entries(&self, dev: usize, b: &'c DeviceConfig, map: &'c str) -> Resolved<'c> {
        if let Some(r) = self.maps.borrow().get(&(dev, map)) {
            return r.clone();
        }
        let mut v: Vec<(&CryptoMapEntry, Option<&Acl>)> = b
            .crypto_maps
            .iter()
            .filter(|e| e.map == map)
            .map(|e| (e, e.acl.as_ref().and_then(|n| b.acls.get(n))))
            .collect();
        v.sort_by_key(|(e, _)| e.seq);
        let r = Rc::new(v);
        self.maps.borrow_mut().insert((dev, map), r.clone());
        r
    }
}

/// Runs phase 2 for every permit line of the initiator's crypto ACL.
#[allow(clippy::too_many_arguments)]
pub fn run<'c, C: Borrow<DeviceConfig>>(
    configs: &'c [C],
    cache: &MapCache<'c>,
    init: usize,
    resp: usize,
    entry: &CryptoMapEntry,
    local: Ipv4Addr,
    peer: Ipv4Addr,
    o: &mut Outcome,
) -> Result<(), Code> {
    let a = configs[init].borrow();
    let b = configs[resp].borrow();
    let Some(acl_name) = &entry.acl else {
        o.detail = format!(
            "crypto map {} {} on {} has no `match address`: the entry is incomplete and never used",
            entry.map,
            entry.seq,
            a.name()
        );
        return Err(Code::CryptoMapMissing);
    };
    let Some(acl) = a.acls.get(acl_name) else {
        o.detail = format!(
            "crypto map {} {} on {} matches access list {acl_name}, which is not defined",
            entry.map,
            entry.seq,
            a.name()
        );
        return Err(Code::CryptoAclInvalid);
    };
    let proposals: Vec<&AclEntry> = acl.entries.iter().filter(|e| e.permit).collect();
    if proposals.is_empty() {
        o.detail = format!(
            "crypto ACL {acl_name} on {} permits nothing, so no traffic ever triggers the tunnel",
            a.name()
        );
        return Err(Code::CryptoAclInvalid);
    }
    let Some(b_if) = net::interface_with(b, peer) else {
        return Err(Code::PeerUnreachable);
    };
    let Some(b_map) = b_if.crypto_map.as_deref() else {
        return Err(Code::CryptoMapMissing);
    };
    let b_entries = cache.entries(resp, b, b_map);

    for p in proposals {
        o.evidence.push(Cite::of(a, &p.origin));
        // Walk the responder's entries in sequence order.
        let mut shadow: Option<&CryptoMapEntry> = None;
        let mut matched: Option<CryptoMapEntry> = None;
        let mut same_peer: Option<&CryptoMapEntry> = None;
        'entries: for &(e, e_acl) in b_entries.iter() {
            if let Some(dynmap) = &e.dynamic_ref {
                let mut dyns: Vec<&CryptoMapEntry> =
                    b.dynamic_maps.iter().filter(|d| &d.map == dynmap).collect();
                dyns.sort_by_key(|d| d.seq);
                for d in dyns {
                    let ok = match &d.acl {
                        None => true,
                        Some(n) => b
                            .acls
                            .get(n)
                            .is_some_and(|acl| acl_accepts(&acl.entries, p)),
                    };
                    if ok {
                        matched = Some((*d).clone());
                        break 'entries;
                    }
                }
                continue;
            }
            let accepts = e_acl.is_some_and(|acl| acl_accepts(&acl.entries, p));
            let for_us = e.peers.contains(&local);
            if for_us && same_peer.is_none() {
                same_peer = Some(e);
            }
            if accepts && for_us {
                matched = Some(e.clone());
                break;
            }
            // IOS picks the entry by ACL first, then checks the peer: an
            // earlier entry for another peer whose ACL covers the proposal
            // wins ("peer address not found").
            if accepts && !for_us && shadow.is_none() {
                shadow = Some(e);
            }
        }
        let Some(m) = matched else {
            if let Some(e) = same_peer {
                o.detail = format!(
                    "{} proposes {} but {}'s crypto ACL {} (entry {} {}) does not cover its mirror image: the crypto ACLs are not mirror images",
                    a.name(),
                    describe(p),
                    b.name(),
                    e.acl.clone().unwrap_or_default(),
                    e.map,
                    e.seq
                );
                o.evidence.push(Cite::of(b, &e.origin));
                if let Some(acl) = e.acl.as_ref().and_then(|n| b.acls.get(n)) {
                    for l in &acl.entries {
                        o.evidence.push(Cite::of(b, &l.origin));
                    }
                }
                o.fix = Some(ConfigFix::AddAclLine {
                    device: resp,
                    acl: e.acl.clone().unwrap_or_default(),
                    line: mirror(p),
                });
                return Err(Code::ProxyIdMismatch);
            }
            if let Some(e) = shadow {
                o.detail = format!(
                    "{}'s crypto map entry {} {} covers {} but names peer {} instead of {local}, the address {} negotiates from",
                    b.name(),
                    e.map,
                    e.seq,
                    describe(p),
                    e.peers.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "),
                    a.name()
                );
                o.evidence.push(Cite::of(b, &e.origin));
                o.fix = Some(ConfigFix::SetPeer {
                    device: resp,
                    map: e.map.clone(),
                    seq: e.seq,
                    peer: local,
                });
                return Err(Code::PeerAddressMismatch);
            }
            o.detail = format!("{} has no crypto map entry on {} for peer {local} (and no dynamic map) covering {}", b.name(), b_map, describe(p));
            o.fix = Some(ConfigFix::AddEntry {
                device: resp,
                map: b_map.to_string(),
                seq: b_entries
                    .iter()
                    .map(|(e, _)| e.seq)
                    .filter(|s| *s < 65000)
                    .max()
                    .unwrap_or(0)
                    + 10,
                peer: local,
                acl: format!("VPN-TO-{}", a.name().to_ascii_uppercase()),
                line: mirror(p),
                transform: entry
                    .transform_sets
                    .first()
                    .and_then(|n| a.transform_sets.get(n))
                    .cloned(),
                pfs: entry.pfs,
            });
            return Err(Code::CryptoMapMissing);
        };
        if let Some(s) = shadow.filter(|_| b.platform == Platform::Ios) {
            if s.seq < m.seq {
                o.detail = format!(
                    "{}'s crypto map entry {} {} (peer {}) comes before entry {} and its ACL also covers {}: IOS selects it by ACL and then reports \"peer address {local} not found\"",
                    b.name(),
                    s.map,
                    s.seq,
                    s.peers.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
                    m.seq,
                    describe(p)
                );
                o.evidence.push(Cite::of(b, &s.origin));
                o.evidence.push(Cite::of(b, &m.origin));
                o.fix = Some(ConfigFix::MoveEntry {
                    device: resp,
                    map: m.map.clone(),
                    seq: m.seq,
                    before: s.seq,
                });
                return Err(Code::CryptoMapOrder);
            }
        }

        // QM1/QM2: transform sets, then PFS.
        o.step = "QM2";
        let a_ts: Vec<&TransformSet> = entry
            .transform_sets
            .iter()
            .filter_map(|n| a.transform_sets.get(n))
            .collect();
        let b_ts: Vec<&TransformSet> = m
            .transform_sets
            .iter()
            .filter_map(|n| b.transform_sets.get(n))
            .collect();
        if a_ts.is_empty() {
            o.detail = format!(
                "crypto map {} {} on {} names no defined transform set",
                entry.map,
                entry.seq,
                a.name()
            );
            return Err(Code::CryptoMapMissing);
        }
        let common = a_ts
            .iter()
            .any(|x| b_ts.iter().any(|y| transform_key(x) == transform_key(y)));
        if !common {
            o.detail = format!(
                "no common transform set: {} proposes {}; {} accepts {}",
                a.name(),
                a_ts.iter()
                    .map(|t| format!(
                        "{} ({}{})",
                        t.name,
                        t.transforms.join(" "),
                        if t.tunnel_mode { "" } else { ", transport" }
                    ))
                    .collect::<Vec<_>>()
                    .join(", "),
                b.name(),
                if b_ts.is_empty() {
                    "none".to_string()
                } else {
                    b_ts.iter()
                        .map(|t| {
                            format!(
                                "{} ({}{})",
                                t.name,
                                t.transforms.join(" "),
                                if t.tunnel_mode { "" } else { ", transport" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
            for t in &a_ts {
                o.evidence.push(Cite::of(a, &t.origin));
            }
            for t in &b_ts {
                o.evidence.push(Cite::of(b, &t.origin));
            }
            o.evidence.push(Cite::of(b, &m.origin));
            o.fix = Some(ConfigFix::AddTransformSet {
                device: resp,
                map: m.map.clone(),
                seq: m.seq,
                ts: a_ts[0].clone(),
            });
            return Err(Code::TransformSetMismatch);
        }
        if let Some(g) = m.pfs {
            if entry.pfs != Some(g) {
                o.detail = match entry.pfs {
                    None => format!(
                        "{} requires PFS group {g} on entry {} {}; {} offers no PFS",
                        b.name(),
                        m.map,
                        m.seq,
                        a.name()
                    ),
                    Some(x) => format!(
                        "{} requires PFS group {g}; {} offers group {x}",
                        b.name(),
                        a.name()
                    ),
                };
                o.evidence.push(Cite::of(a, &entry.origin));
                o.evidence.push(Cite::of(b, &m.origin));
                o.fix = Some(ConfigFix::SetPfs {
                    device: resp,
                    map: m.map.clone(),
                    seq: m.seq,
                    group: entry.pfs,
                });
                return Err(Code::PfsMismatch);
            }
        }
    }
    Ok(())
}

/// `10.1.1.0/24 -> 10.2.2.0/24` style text of a proxy pair.
pub fn describe(p: &AclEntry) -> String {
    let one = |m: &ipsec_doctor_model::config::AddrMatch| match m.prefix_len() {
        Some(0) => "any".to_string(),
        Some(n) => format!("{}/{n}", m.addr),
        None => format!("{} wildcard {}", m.addr, m.wildcard),
    };
    format!("{} -> {}", one(&p.src), one(&p.dst))
}
