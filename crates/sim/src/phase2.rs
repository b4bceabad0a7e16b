//! Phase 2 (quick mode): proxy identities, crypto map lookup, transforms, PFS.

use crate::net;
use crate::{Cite, ConfigFix, Outcome};
use ipsec_doctor_model::config::{
    prefix_mask, AclEntry, AddrMatch, CryptoMapEntry, DeviceConfig, Platform, PortMatch,
    TransformSet,
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

/// A responder's crypto map: its entries in sequence order (positions in
/// `crypto_maps`), indexed so that a proposal visits only the entries that
/// can take part in the decision.
pub struct ResolvedMap {
    order: Vec<usize>,
    /// Entries (positions in `order`) by the (network, prefix length) of a
    /// permit line's destination: the only entries whose ACL can cover a
    /// proposal from a source inside that network.
    by_prefix: HashMap<(u32, u8), Vec<usize>>,
    /// Entries by peer address.
    by_peer: HashMap<Ipv4Addr, Vec<usize>>,
    /// Entries always visited: dynamic-map references and ACLs whose
    /// destination is no prefix (non-contiguous wildcards).
    always: Vec<usize>,
}

impl ResolvedMap {
    fn new(b: &DeviceConfig, map: &str) -> ResolvedMap {
        let mut order: Vec<usize> = (0..b.crypto_maps.len())
            .filter(|&i| b.crypto_maps[i].map == map)
            .collect();
        order.sort_by_key(|&i| b.crypto_maps[i].seq);
        let mut r = ResolvedMap {
            order: Vec::new(),
            by_prefix: HashMap::new(),
            by_peer: HashMap::new(),
            always: Vec::new(),
        };
        for (i, e) in order.iter().map(|&k| &b.crypto_maps[k]).enumerate() {
            for p in &e.peers {
                r.by_peer.entry(*p).or_default().push(i);
            }
            if e.dynamic_ref.is_some() {
                r.always.push(i);
                continue;
            }
            let acl = e.acl.as_ref().and_then(|n| b.acls.get(n));
            let permits = acl
                .iter()
                .flat_map(|a| a.entries.iter())
                .filter(|l| l.permit);
            for l in permits {
                match l.dst.prefix_len() {
                    Some(len) => {
                        let key = (u32::from(l.dst.addr) & prefix_mask(len), len);
                        let v = r.by_prefix.entry(key).or_default();
                        if v.last() != Some(&i) {
                            v.push(i);
                        }
                    }
                    None => {
                        if r.always.last() != Some(&i) {
                            r.always.push(i);
                        }
                    }
                }
            }
        }
        r.order = order;
        r
    }

    /// Entries (positions in `crypto_maps`), in sequence order, that can
    /// accept a proposal from `src` or are for `local`; no other entry can
    /// change what the responder decides.
    fn candidates(&self, src: &AddrMatch, local: Ipv4Addr) -> Vec<usize> {
        let mut v: Vec<usize> = self.always.clone();
        if let Some(p) = self.by_peer.get(&local) {
            v.extend_from_slice(p);
        }
        // A destination /len covers `src` only if src fixes its top `len`
        // bits and agrees with it there.
        let fixed = u32::from(src.wildcard).leading_zeros().min(32) as u8;
        let addr = u32::from(src.addr);
        for len in 0..=fixed {
            if let Some(p) = self.by_prefix.get(&(addr & prefix_mask(len), len)) {
                v.extend_from_slice(p);
            }
        }
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(|i| self.order[i]).collect()
    }

    /// The highest sequence number below 65000 (where ASA's default
    /// dynamic entries sit), for a new entry to follow.
    fn last_seq(&self, b: &DeviceConfig) -> u32 {
        self.order
            .iter()
            .map(|&i| b.crypto_maps[i].seq)
            .filter(|s| *s < 65000)
            .max()
            .unwrap_or(0)
    }
}

/// What the responder side of every negotiation looks up again: a hub
/// answers thousands of spokes from the same map. Kept for one simulation
/// run, keyed by device index; a negotiation then visits a few entries
/// instead of sorting the whole map and looking each ACL up by name.
#[derive(Default)]
pub struct MapCache {
    maps: RefCell<HashMap<(usize, String), Rc<ResolvedMap>>>,
}

impl MapCache {
    /// The resolved map of device `key` (whose configuration is `b`), or of
    /// a configuration no cache knows (`key` = `None`: a modified copy).
    pub(crate) fn entries(
        cache: Option<(&MapCache, usize)>,
        b: &DeviceConfig,
        map: &str,
    ) -> Rc<ResolvedMap> {
        let Some((cache, dev)) = cache else {
            return Rc::new(ResolvedMap::new(b, map));
        };
        if let Some(r) = cache.maps.borrow().get(&(dev, map.to_string())) {
            return r.clone();
        }
        let r = Rc::new(ResolvedMap::new(b, map));
        cache
            .maps
            .borrow_mut()
            .insert((dev, map.to_string()), r.clone());
        r
    }
}

/// Runs phase 2 for every permit line of the initiator's crypto ACL.
#[allow(clippy::too_many_arguments)]
pub fn run<C: Borrow<DeviceConfig>>(
    configs: &[C],
    cache: Option<(&MapCache, usize)>,
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
    let b_map_index = MapCache::entries(cache, b, b_map);

    for p in proposals {
        o.evidence.push(Cite::of(a, &p.origin));
        // Walk the responder's entries in sequence order.
        let mut shadow: Option<&CryptoMapEntry> = None;
        let mut matched: Option<CryptoMapEntry> = None;
        let mut same_peer: Option<&CryptoMapEntry> = None;
        'entries: for i in b_map_index.candidates(&p.src, local) {
            let e = &b.crypto_maps[i];
            let e_acl = e.acl.as_ref().and_then(|n| b.acls.get(n));
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
            // A tunnel interface's entry is chosen by its peer (the tunnel
            // destination), not by its any-to-any selectors: it stands in
            // for the peer's entry only when it is the device's one tunnel
            // (then its destination is what is wrong).
            let vti_elsewhere = b.vti(&e.map, e.seq).is_some() && b.vtis.len() > 1;
            if accepts && !for_us && shadow.is_none() && !vti_elsewhere {
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
            let seq = b_map_index.last_seq(b) + 10;
            // An IKEv2 tunnel needs an IKEv2 entry: with the responder's
            // own profile (IOS-XE) or IPsec proposals (ASA).
            let ikev2 = if o.ikev2 {
                let (profile, ipsec_proposals) = match b.platform {
                    Platform::Ios => (b.ikev2.profiles.first().map(|p| p.name.clone()), Vec::new()),
                    _ => (None, b.ikev2.ipsec_proposals.keys().cloned().collect()),
                };
                (profile.is_some() || !ipsec_proposals.is_empty()).then(|| {
                    Box::new(crate::fix::Ikev2Fix::SetIkev2 {
                        map: b_map.to_string(),
                        seq,
                        profile,
                        ipsec_proposals,
                    })
                })
            } else {
                None
            };
            // An ASA IKEv2 entry takes IPsec proposals, not a transform set.
            let transform = if ikev2.is_some() && b.platform != Platform::Ios {
                None
            } else {
                entry
                    .transform_sets
                    .first()
                    .and_then(|n| a.transform_sets.get(n))
                    .cloned()
            };
            o.fix = Some(ConfigFix::AddEntry {
                device: resp,
                map: b_map.to_string(),
                seq,
                peer: local,
                acl: format!("VPN-TO-{}", a.name().to_ascii_uppercase()),
                line: mirror(p),
                transform,
                pfs: entry.pfs,
                ikev2,
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

        // IKEv2: the child SA is negotiated in IKE_AUTH; PFS applies only
        // to rekeys (CREATE_CHILD_SA), so the first child SA does not
        // depend on it.
        if o.ikev2 {
            crate::ikev2::child(a, b, resp, entry, &m, o)?;
            continue;
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

#[cfg(test)]
mod tests {
    use super::*;
    use ipsec_doctor_model::config::Acl;

    /// Addresses from a small space so that lines and proposals overlap,
    /// with prefixes, hosts, `any` and non-contiguous wildcards.
    fn addr(r: &mut u64) -> AddrMatch {
        *r ^= *r << 13;
        *r ^= *r >> 7;
        *r ^= *r << 17;
        let net = u32::from_be_bytes([10, (*r >> 8) as u8 % 4, (*r >> 16) as u8 % 4, 0]);
        let wildcard = match *r % 6 {
            0 => 0,
            1 => 0xff,
            2 => 0x3ff,
            3 => 0x00ff_00ff,
            4 => u32::MAX,
            _ => 0xffff,
        };
        AddrMatch {
            addr: Ipv4Addr::from(net | (*r as u32 & wildcard)),
            wildcard: Ipv4Addr::from(wildcard),
        }
    }

    fn line(permit: bool, src: AddrMatch, dst: AddrMatch) -> AclEntry {
        AclEntry {
            permit,
            protocol: None,
            src,
            src_port: PortMatch::Any,
            dst,
            dst_port: PortMatch::Any,
            origin: Default::default(),
        }
    }

    #[test]
    fn the_index_never_leaves_out_an_entry_that_decides() {
        let mut r = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..200 {
            let mut b = DeviceConfig::new("hub", Platform::Ios);
            for i in 0..20u32 {
                let name = format!("A{i}");
                let lines = (0..1 + i % 3)
                    .map(|k| line(k != 1 || i % 5 != 0, addr(&mut r), addr(&mut r)))
                    .collect();
                b.acls.insert(
                    name.clone(),
                    Acl {
                        name: name.clone(),
                        entries: lines,
                    },
                );
                b.crypto_maps.push(CryptoMapEntry {
                    map: "M".into(),
                    seq: 100 - i,
                    dynamic_ref: (i == 7).then(|| "D".to_string()),
                    peers: vec![Ipv4Addr::new(192, 0, 2, (i % 6) as u8)],
                    acl: Some(name),
                    transform_sets: Vec::new(),
                    pfs: None,
                    lifetime: None,
                    origin: Default::default(),
                });
            }
            let map = ResolvedMap::new(&b, "M");
            for _ in 0..20 {
                let p = line(true, addr(&mut r), addr(&mut r));
                let local = Ipv4Addr::new(192, 0, 2, (r % 7) as u8);
                let got = map.candidates(&p.src, local);
                for (i, e) in b.crypto_maps.iter().enumerate() {
                    let acl = e.acl.as_ref().and_then(|n| b.acls.get(n));
                    let decides = e.dynamic_ref.is_some()
                        || e.peers.contains(&local)
                        || acl.is_some_and(|a| acl_accepts(&a.entries, &p));
                    assert!(
                        !decides || got.contains(&i),
                        "round {round}: entry {i} ({:?}) left out for {p:?}",
                        e.seq
                    );
                }
                let seqs: Vec<u32> = got.iter().map(|&i| b.crypto_maps[i].seq).collect();
                assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
            }
        }
    }
}
