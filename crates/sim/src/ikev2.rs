//! IKEv2 site-to-site with pre-shared keys: IKE version, IKE_SA_INIT
//! proposals, IKE_AUTH identities and keys, child SA transforms. Traffic
//! selectors are the crypto ACLs, checked by [`crate::phase2`] as for IKEv1.

use crate::fix::Ikev2Fix;
use crate::net;
use crate::{Cite, ConfigFix, Outcome};
use ipsec_doctor_model::config::{
    CryptoMapEntry, DeviceConfig, IkeEncryption, IkeHash, Ikev2IpsecProposal, Ikev2Key,
    Ikev2Proposal, Platform, TransformSet,
};
use ipsec_doctor_model::Code;
use std::net::Ipv4Addr;

/// The IOS-XE default IKEv2 proposal as IOS-XE 16.x shows it (`show crypto
/// ikev2 proposal default`): AES-CBC-256/192/128, SHA-512/384/256/1, MD5,
/// DH groups 5 and 2. Later releases changed the defaults; it is used only
/// when no `crypto ikev2 policy` is configured.
pub fn ios_default_proposal() -> Ikev2Proposal {
    Ikev2Proposal {
        name: "default".to_string(),
        encryption: vec![
            IkeEncryption::Aes256,
            IkeEncryption::Aes192,
            IkeEncryption::Aes128,
        ],
        integrity: vec![
            IkeHash::Sha512,
            IkeHash::Sha384,
            IkeHash::Sha256,
            IkeHash::Sha1,
            IkeHash::Md5,
        ],
        prf: Vec::new(),
        groups: vec![5, 2],
        origin: None,
    }
}

/// Whether the entry negotiates with IKEv2.
pub fn is_v2(c: &DeviceConfig, e: &CryptoMapEntry) -> bool {
    c.ikev2.entry(&e.map, e.seq).is_some()
}

/// Whether the entry can also negotiate with IKEv1: an IKEv1 entry, or an
/// ASA entry that sets both an IKEv1 transform set and an IKEv2 IPsec
/// proposal (the ASA tries IKEv2 first and falls back to IKEv1, and as a
/// responder answers either). On IOS the transform sets serve both
/// versions, so an IKEv2 entry there is IKEv2 only.
pub fn speaks_v1(c: &DeviceConfig, e: &CryptoMapEntry) -> bool {
    !is_v2(c, e) || (c.platform != Platform::Ios && !e.transform_sets.is_empty())
}

/// Proposals a device offers or accepts, in order.
pub fn proposals(c: &DeviceConfig) -> Vec<Ikev2Proposal> {
    if c.ikev2.default_proposal {
        vec![ios_default_proposal()]
    } else {
        c.ikev2.proposals.clone()
    }
}

fn common<T: PartialEq + Copy>(a: &[T], b: &[T]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// The attribute two proposals share no value of, or `None` when they match.
pub fn no_common(a: &Ikev2Proposal, b: &Ikev2Proposal) -> Option<&'static str> {
    if !common(&a.encryption, &b.encryption) {
        Some("encryption")
    } else if !common(&a.integrity, &b.integrity) {
        Some("integrity")
    } else if !common(a.prfs(), b.prfs()) {
        Some("PRF")
    } else if !common(&a.groups, &b.groups) {
        Some("DH group")
    } else {
        None
    }
}

/// The key a device holds for `addr` in `ring` (any container when `None`):
/// the most specific address/mask match.
pub fn key_for<'c>(
    c: &'c DeviceConfig,
    ring: Option<&str>,
    addr: Ipv4Addr,
) -> Option<&'c Ikev2Key> {
    c.ikev2
        .keys
        .iter()
        .filter(|k| ring.is_none() || k.container.as_deref() == ring)
        .filter(|k| {
            let m = u32::from(k.mask);
            u32::from(addr) & m == u32::from(k.address) & m
        })
        .max_by_key(|k| u32::from(k.mask).count_ones())
}

/// The responder's entry for `local`: a static entry naming it, else the
/// first entry of a dynamic map its crypto maps point to (a dynamic map
/// answers any peer; its crypto ACL is checked in phase 2).
pub(crate) fn responder_entry(b: &DeviceConfig, local: Ipv4Addr) -> Option<&CryptoMapEntry> {
    b.crypto_maps
        .iter()
        .find(|e| e.dynamic_ref.is_none() && e.peers.contains(&local))
        .or_else(|| {
            b.crypto_maps
                .iter()
                .filter_map(|e| e.dynamic_ref.as_deref())
                .find_map(|d| b.dynamic_maps.iter().find(|x| x.map == d))
        })
}

/// The version check: the version the tunnel is negotiated with (`true`
/// for IKEv2), or `Err` when one end speaks only IKEv1 and the other only
/// IKEv2 for this tunnel.
pub fn version(
    a: &DeviceConfig,
    b: &DeviceConfig,
    init: usize,
    resp: usize,
    entry: &CryptoMapEntry,
    local: Ipv4Addr,
    o: &mut Outcome,
) -> Result<bool, Code> {
    let Some(be) = responder_entry(b, local) else {
        return Ok(is_v2(a, entry));
    };
    let (av2, bv2) = (is_v2(a, entry), is_v2(b, be));
    if av2 && bv2 {
        return Ok(true);
    }
    if speaks_v1(a, entry) && speaks_v1(b, be) {
        return Ok(false);
    }
    let v = |x: bool| if x { "IKEv2" } else { "IKEv1" };
    o.step = if av2 { "IKE_SA_INIT" } else { "MM1" };
    o.title = Some(format!(
        "IKE versions differ: {} uses {}, {} uses {}",
        a.name(),
        v(av2),
        b.name(),
        v(bv2)
    ));
    o.detail = format!(
        "{}'s crypto map entry {} {} negotiates with {}, but {}'s entry {} {} for it uses {}: the responder drops the other version's packets",
        a.name(), entry.map, entry.seq, v(av2), b.name(), be.map, be.seq, v(bv2)
    );
    o.evidence.push(Cite::of(a, &entry.origin));
    o.evidence.push(Cite::of(b, &be.origin));
    for (c, e) in [(a, entry), (b, be)] {
        if let Some(x) = c.ikev2.entry(&e.map, e.seq) {
            o.evidence.push(Cite::of(c, &x.origin));
        }
    }
    // Move the IKEv1 side to IKEv2 when it already holds what IKEv2 needs
    // (a profile / an IPsec proposal), else the IKEv2 side back to IKEv1.
    let (v1dev, v1, v1e, v2dev, v2e) = if av2 {
        (resp, b, be, init, entry)
    } else {
        (init, a, entry, resp, be)
    };
    let upgrade = match v1.platform {
        Platform::Ios => v1
            .ikev2
            .profiles
            .first()
            .map(|p| (Some(p.name.clone()), Vec::new())),
        _ => {
            let names: Vec<String> = v1.ikev2.ipsec_proposals.keys().cloned().collect();
            (!names.is_empty() && !v1.ikev2.proposals.is_empty()).then_some((None, names))
        }
    };
    o.fix = Some(match upgrade {
        Some((profile, ipsec_proposals)) => ConfigFix::Ikev2 {
            device: v1dev,
            change: Ikev2Fix::SetIkev2 {
                map: v1e.map.clone(),
                seq: v1e.seq,
                profile,
                ipsec_proposals,
            },
        },
        None => ConfigFix::Ikev2 {
            device: v2dev,
            change: Ikev2Fix::UnsetIkev2 {
                map: v2e.map.clone(),
                seq: v2e.seq,
            },
        },
    });
    Err(Code::Phase1PolicyMismatch)
}

/// IKE_SA_INIT and IKE_AUTH.
#[allow(clippy::too_many_arguments)]
pub fn run(
    a: &DeviceConfig,
    b: &DeviceConfig,
    init: usize,
    resp: usize,
    entry: &CryptoMapEntry,
    local: Ipv4Addr,
    peer: Ipv4Addr,
    o: &mut Outcome,
) -> Result<(), Code> {
    o.step = "IKE_SA_INIT";
    let Some(b_if) = net::interface_with(b, peer) else {
        return Err(Code::PeerUnreachable);
    };
    if b_if.crypto_map.is_none() {
        o.detail = format!(
            "{} has no crypto map on {} ({peer}), so it ignores IKE_SA_INIT from {local}",
            b.name(),
            b_if.name
        );
        o.evidence.push(Cite::of(b, &b_if.origin));
        if let Some(map) = b.crypto_maps.first().map(|e| e.map.clone()) {
            o.fix = Some(ConfigFix::ApplyMap {
                device: resp,
                map,
                interface: Some(b_if.nameif.clone().unwrap_or_else(|| b_if.name.clone())),
            });
        }
        return Err(Code::CryptoMapMissing);
    }

    // IKE_SA_INIT: the responder takes the first offer it shares an
    // encryption, integrity, PRF and group with.
    let offers = proposals(a);
    let locals = proposals(b);
    let matched = offers
        .iter()
        .any(|x| locals.iter().any(|l| no_common(x, l).is_none()));
    if !matched {
        let Some(first) = offers.first() else {
            o.detail = format!("{} has no IKEv2 proposal to offer", a.name());
            return Err(Code::Phase1PolicyMismatch);
        };
        let attr = locals
            .first()
            .and_then(|l| no_common(first, l))
            .unwrap_or("proposal");
        o.title = Some(format!("No common IKEv2 {attr}"));
        o.detail = format!(
            "no IKEv2 proposal of {} shares an encryption, integrity, PRF and DH group with one of {}'s; {} offers {}, {} accepts {} (no common {attr}); {} answers NO_PROPOSAL_CHOSEN",
            a.name(),
            b.name(),
            a.name(),
            describe(&offers),
            b.name(),
            describe(&locals),
            b.name()
        );
        for (c, ps) in [(a, &offers), (b, &locals)] {
            for p in ps.iter() {
                if let Some(org) = &p.origin {
                    o.evidence.push(Cite::of(c, org));
                }
            }
        }
        let mut p = first.clone();
        p.origin = None;
        p.name = match b.platform {
            Platform::Ios => "IKEV2-PROP-FIX".to_string(),
            _ => (1..65535u32)
                .map(|n| n * 10)
                .find(|n| !b.ikev2.proposals.iter().any(|x| x.name == n.to_string()))
                .unwrap_or(1)
                .to_string(),
        };
        o.fix = Some(ConfigFix::Ikev2 {
            device: resp,
            change: Ikev2Fix::AddProposal { proposal: p },
        });
        return Err(Code::Phase1PolicyMismatch);
    }

    // IKE_AUTH: the initiator's identity picks the responder's profile
    // (IOS-XE) and key.
    o.step = "IKE_AUTH";
    // Certificates or EAP are not simulated: nothing to say about identities
    // matched by certificate or about keys.
    if a.ikev2.cert_auth || b.ikev2.cert_auth {
        return Ok(());
    }
    let a_profile = a
        .ikev2
        .entry(&entry.map, entry.seq)
        .and_then(|e| e.profile.as_deref())
        .and_then(|n| a.ikev2.profile(n));
    let identity = a_profile.and_then(|p| p.local_identity).unwrap_or(local);
    let a_ring = a_profile.and_then(|p| p.keyring.as_deref());
    let b_ring = if b.platform == Platform::Ios {
        let found = b.ikev2.profiles.iter().find(|p| {
            p.match_remote.iter().any(|(addr, m)| {
                u32::from(identity) & u32::from(*m) == u32::from(*addr) & u32::from(*m)
            })
        });
        let Some(p) = found else {
            o.detail = format!(
                "{} authenticates as address {identity}, but no IKEv2 profile of {} has `match identity remote address` covering it, so {} rejects IKE_AUTH (AUTHENTICATION_FAILED)",
                a.name(),
                b.name(),
                b.name()
            );
            if let Some(p) = a_profile {
                o.evidence.push(Cite::of(a, &p.origin));
            }
            for p in &b.ikev2.profiles {
                o.evidence.push(Cite::of(b, &p.origin));
            }
            let target = responder_entry(b, local)
                .and_then(|e| b.ikev2.entry(&e.map, e.seq))
                .and_then(|e| e.profile.clone())
                .or_else(|| b.ikev2.profiles.first().map(|p| p.name.clone()));
            if let Some(profile) = target {
                o.fix = Some(ConfigFix::Ikev2 {
                    device: resp,
                    change: Ikev2Fix::MatchIdentity {
                        profile,
                        address: identity,
                    },
                });
            }
            return Err(Code::PeerAddressMismatch);
        };
        p.keyring.clone()
    } else {
        None
    };
    let a_key = key_for(a, a_ring, peer);
    let b_key = key_for(b, b_ring.as_deref(), local);
    let cite = |o: &mut Outcome| {
        if let Some(k) = a_key {
            o.evidence.push(Cite::of(a, &k.origin));
        }
        if let Some(k) = b_key {
            o.evidence.push(Cite::of(b, &k.origin));
        }
    };
    let Some(a_local) = a_key.and_then(|k| k.local.clone()) else {
        o.detail = format!(
            "{} has no IKEv2 local pre-shared key for {peer}, so it cannot send IKE_AUTH",
            a.name()
        );
        cite(o);
        o.fix = Some(ConfigFix::Ikev2 {
            device: init,
            change: Ikev2Fix::SetKey {
                keyring: a_ring.map(str::to_string),
                address: peer,
                local: Some(b_key.and_then(|k| k.remote.clone()).unwrap_or_else(new_key)),
                remote: None,
            },
        });
        return Err(Code::PskMissing);
    };
    let a_remote = a_key.and_then(|k| k.remote.clone());
    let b_remote = b_key.and_then(|k| k.remote.clone());
    let b_local = b_key.and_then(|k| k.local.clone());
    let (code, what) = match (&b_remote, &b_local) {
        (None, _) => (Code::PskMissing, format!("{} has no IKEv2 remote pre-shared key for {local} ({}'s address), so it cannot verify IKE_AUTH", b.name(), a.name())),
        (Some(r), _) if *r != a_local => (Code::PskMismatch, format!("{} signs IKE_AUTH with key {} but {} expects key {} for {local} (salted fingerprints): AUTHENTICATION_FAILED", a.name(), a_local.short(), b.name(), r.short())),
        (_, None) => (Code::PskMissing, format!("{} has no IKEv2 local pre-shared key for {local}, so it cannot answer IKE_AUTH", b.name())),
        (_, Some(l)) if Some(l) != a_remote.as_ref() => (Code::PskMismatch, format!("{} answers IKE_AUTH with key {} but {} expects {} for {peer} (salted fingerprints): {} rejects the response", b.name(), l.short(), a.name(), a_remote.as_ref().map(|k| k.short().to_string()).unwrap_or_else(|| "no key".to_string()), a.name())),
        _ => return Ok(()),
    };
    o.detail = what;
    cite(o);
    o.fix = Some(ConfigFix::Ikev2 {
        device: resp,
        change: Ikev2Fix::SetKey {
            keyring: b_ring,
            address: local,
            local: Some(a_remote.unwrap_or_else(new_key)),
            remote: Some(a_local),
        },
    });
    Err(code)
}

fn new_key() -> ipsec_doctor_model::config::SecretDigest {
    ipsec_doctor_model::config::SecretDigest::of("\u{0}new ikev2 key")
}

fn describe(ps: &[Ikev2Proposal]) -> String {
    fn list<T: std::fmt::Debug>(v: &[T]) -> String {
        v.iter()
            .map(|x| format!("{x:?}").to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    }
    if ps.is_empty() {
        return "no proposal".to_string();
    }
    ps.iter()
        .map(|p| {
            format!(
                "{} (encryption {}, integrity {}, prf {}, group {})",
                p.name,
                list(&p.encryption),
                list(&p.integrity),
                list(p.prfs()),
                list(&p.groups)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// (encryption, integrity) pairs an entry offers or accepts for the child SA.
pub fn child_pairs(c: &DeviceConfig, e: &CryptoMapEntry) -> Vec<(String, Option<String>)> {
    let mut v = Vec::new();
    match c.platform {
        Platform::Ios => {
            for t in e
                .transform_sets
                .iter()
                .filter_map(|n| c.transform_sets.get(n))
            {
                let enc = t
                    .transforms
                    .iter()
                    .find(|x| !x.ends_with("-hmac") && x.starts_with("esp-"));
                let integ = t
                    .transforms
                    .iter()
                    .find(|x| x.starts_with("esp-") && x.ends_with("-hmac"));
                if let Some(enc) = enc {
                    v.push((enc.clone(), integ.cloned()));
                }
            }
        }
        _ => {
            let names = c
                .ikev2
                .entry(&e.map, e.seq)
                .map(|x| x.ipsec_proposals.clone())
                .unwrap_or_default();
            for p in names.iter().filter_map(|n| c.ikev2.ipsec_proposals.get(n)) {
                for enc in &p.encryption {
                    if p.integrity.is_empty() {
                        v.push((enc.clone(), None));
                    }
                    for i in &p.integrity {
                        v.push((enc.clone(), Some(i.clone())));
                    }
                }
            }
        }
    }
    v
}

/// Child SA (in IKE_AUTH): some transform pair in common.
pub fn child(
    a: &DeviceConfig,
    b: &DeviceConfig,
    resp: usize,
    entry: &CryptoMapEntry,
    m: &CryptoMapEntry,
    o: &mut Outcome,
) -> Result<(), Code> {
    let offers = child_pairs(a, entry);
    let accepts = child_pairs(b, m);
    if offers.iter().any(|x| accepts.contains(x)) {
        return Ok(());
    }
    let show = |v: &[(String, Option<String>)]| {
        if v.is_empty() {
            return "none".to_string();
        }
        v.iter()
            .map(|(e, i)| {
                format!("{e} {}", i.as_deref().unwrap_or(""))
                    .trim()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    o.detail = format!(
        "no common IPsec transform for the child SA: {} proposes {}; {} accepts {} (NO_PROPOSAL_CHOSEN in IKE_AUTH)",
        a.name(),
        show(&offers),
        b.name(),
        show(&accepts)
    );
    o.evidence.push(Cite::of(a, &entry.origin));
    o.evidence.push(Cite::of(b, &m.origin));
    for (c, e) in [(a, entry), (b, m)] {
        for t in e
            .transform_sets
            .iter()
            .filter_map(|n| c.transform_sets.get(n))
        {
            o.evidence.push(Cite::of(c, &t.origin));
        }
        if let Some(x) = c.ikev2.entry(&e.map, e.seq) {
            for p in x
                .ipsec_proposals
                .iter()
                .filter_map(|n| c.ikev2.ipsec_proposals.get(n))
            {
                o.evidence.push(Cite::of(c, &p.origin));
            }
        }
    }
    let Some((enc, integ)) = offers.first().cloned() else {
        return Err(Code::TransformSetMismatch);
    };
    o.fix = Some(match b.platform {
        Platform::Ios => ConfigFix::AddTransformSet {
            device: resp,
            map: m.map.clone(),
            seq: m.seq,
            ts: TransformSet {
                name: "TS-IKEV2-FIX".to_string(),
                transforms: std::iter::once(enc).chain(integ).collect(),
                tunnel_mode: true,
                origin: Default::default(),
            },
        },
        _ => ConfigFix::Ikev2 {
            device: resp,
            change: Ikev2Fix::AddIpsecProposal {
                map: m.map.clone(),
                seq: m.seq,
                proposal: Ikev2IpsecProposal {
                    name: "IPSEC-PROP-FIX".to_string(),
                    encryption: vec![enc],
                    integrity: integ.into_iter().collect(),
                    origin: Default::default(),
                },
            },
        },
    });
    Err(Code::TransformSetMismatch)
}
