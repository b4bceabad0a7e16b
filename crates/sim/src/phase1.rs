//! Phase 1 (main mode): responder reachable with IKE on, policies, keys.

use crate::net;
use crate::{Cite, ConfigFix, Outcome};
use ipsec_doctor_model::config::{
    CryptoMapEntry, DeviceConfig, EntryIsakmpProfile, IkeAuth, IkeEncryption, IkeHash, IkePolicy,
    IsakmpProfile, Platform, PresharedKey,
};
use ipsec_doctor_model::Code;
use std::borrow::Borrow;
use std::net::Ipv4Addr;

/// The IOS default protection suite, tried after the configured policies
/// (negotiation-rules.md: DES, SHA-1, RSA signatures, group 1, 86400 s).
pub const IOS_DEFAULT_POLICY: IkePolicy = IkePolicy {
    priority: 65535,
    encryption: IkeEncryption::Des,
    hash: IkeHash::Sha1,
    auth: IkeAuth::RsaSig,
    group: 1,
    lifetime: 86400,
    origin: None,
};

const fn suite(
    priority: u32,
    encryption: IkeEncryption,
    hash: IkeHash,
    auth: IkeAuth,
    group: u8,
) -> IkePolicy {
    IkePolicy {
        priority,
        encryption,
        hash,
        auth,
        group,
        lifetime: 86400,
        origin: None,
    }
}

/// The eight built-in suites of IOS 12.4(20)T and later (IOS-XE too),
/// priorities 65507–65514, which a router with no `crypto isakmp policy`
/// offers and accepts (Cisco command reference, `show crypto isakmp
/// policy`: "If you have neither manually configured IKE policies … nor
/// disabled the default IKE policies …").
pub const IOS_DEFAULT_SUITES: [IkePolicy; 8] = {
    use IkeAuth::{PreShare, RsaSig};
    use IkeEncryption::{Aes128, TripleDes};
    use IkeHash::{Md5, Sha1};
    [
        suite(65507, Aes128, Sha1, RsaSig, 5),
        suite(65508, Aes128, Sha1, PreShare, 5),
        suite(65509, Aes128, Md5, RsaSig, 5),
        suite(65510, Aes128, Md5, PreShare, 5),
        suite(65511, TripleDes, Sha1, RsaSig, 2),
        suite(65512, TripleDes, Sha1, PreShare, 2),
        suite(65513, TripleDes, Md5, RsaSig, 2),
        suite(65514, TripleDes, Md5, PreShare, 2),
    ]
};

/// First major release known to have [`IOS_DEFAULT_SUITES`]. They came in
/// 12.4(20)T, but a configuration's `version 12.4` line does not tell the
/// T train or its rebuild, so 12.x (and a configuration without a version
/// line) keeps the single suite of the reference rules,
/// [`IOS_DEFAULT_POLICY`].
const DEFAULT_SUITES_SINCE: u32 = 15;

/// Policies a device offers or accepts, in priority order.
pub fn policies(c: &DeviceConfig) -> Vec<IkePolicy> {
    let mut v = c.ike_policies.clone();
    v.sort_by_key(|p| p.priority);
    if c.default_ike_policies {
        let suites = c.platform == Platform::Ios
            && v.is_empty()
            && c.release()
                .is_some_and(|(major, _)| major >= DEFAULT_SUITES_SINCE);
        if suites {
            v.extend(IOS_DEFAULT_SUITES);
        } else {
            v.push(IOS_DEFAULT_POLICY);
        }
    }
    v
}

/// Cisco's match: equal encryption, hash, authentication and group, and
/// the initiator's lifetime not longer than the responder's (the shorter
/// one is then used). IOS and ASA documentation both state the lifetime
/// condition.
pub fn matches(offer: &IkePolicy, local: &IkePolicy) -> bool {
    offer.encryption == local.encryption
        && offer.hash == local.hash
        && offer.auth == local.auth
        && offer.group == local.group
        && offer.lifetime <= local.lifetime
}

/// The attributes in which two policies differ.
pub fn differences(offer: &IkePolicy, local: &IkePolicy) -> Vec<String> {
    let mut d = Vec::new();
    if offer.encryption != local.encryption {
        d.push(format!(
            "encryption ({:?} vs {:?})",
            offer.encryption, local.encryption
        ));
    }
    if offer.hash != local.hash {
        d.push(format!("hash ({:?} vs {:?})", offer.hash, local.hash));
    }
    if offer.auth != local.auth {
        d.push(format!(
            "authentication ({:?} vs {:?})",
            offer.auth, local.auth
        ));
    }
    if offer.group != local.group {
        d.push(format!("DH group ({} vs {})", offer.group, local.group));
    }
    if offer.lifetime > local.lifetime {
        d.push(format!(
            "lifetime (initiator {} s is longer than responder {} s)",
            offer.lifetime, local.lifetime
        ));
    }
    d
}

/// The policy of `ps` that differs from `offer` in the fewest attributes.
fn nearest<'p>(
    offer: &IkePolicy,
    ps: impl Iterator<Item = &'p IkePolicy>,
) -> Option<&'p IkePolicy> {
    ps.min_by_key(|l| differences(offer, l).len())
}

/// Says that `c` negotiates with built-in suites only, when it does.
fn built_in_note(c: &DeviceConfig, ps: &[IkePolicy]) -> Option<String> {
    if ps.is_empty() || ps.iter().any(|p| p.origin.is_some()) {
        return None;
    }
    Some(if ps.len() == 1 {
        format!(
            "{} configures no ISAKMP policy and so has only the default suite {} (DES, SHA-1, RSA signatures, group 1)",
            c.name(),
            ps[0].priority
        )
    } else {
        format!(
            "{} configures no ISAKMP policy and so has only the built-in suites {}-{} (AES-128 or 3DES, SHA-1 or MD5, pre-shared keys or RSA signatures, group 5 or 2)",
            c.name(),
            ps[0].priority,
            ps[ps.len() - 1].priority
        )
    })
}

fn covers(k: &PresharedKey, addr: Ipv4Addr) -> bool {
    let m = u32::from(k.mask);
    u32::from(addr) & m == u32::from(k.address) & m
}

/// The key a device uses for `addr` in IKE terminated on its own address
/// `own`: the most specific address/mask match among the keys that serve
/// `own` ([`DeviceConfig::key_serves`]: a keyring bound to another
/// `local-address`, or of another front-door VRF than `own`'s interface,
/// is not consulted).
pub fn key_for(c: &DeviceConfig, addr: Ipv4Addr, own: Ipv4Addr) -> Option<&PresharedKey> {
    c.keys
        .iter()
        .filter(|k| covers(k, addr) && c.key_serves(k, own))
        .max_by_key(|k| u32::from(k.mask).count_ones())
}

/// The keyrings an initiating entry is limited to: those of the ISAKMP
/// profile it initiates under (`set isakmp-profile P`, with `keyring K`
/// lines in P), with the binding; `None` when no such profile limits it.
fn entry_keyrings<'c>(
    c: &'c DeviceConfig,
    entry: &CryptoMapEntry,
) -> Option<(&'c IsakmpProfile, &'c EntryIsakmpProfile)> {
    c.entry_isakmp_profile(&entry.map, entry.seq)
        .filter(|(p, _)| !p.keyrings.is_empty())
}

/// [`key_for`] for an initiating entry: only the keys of the keyrings of
/// the ISAKMP profile the entry initiates under, when it names one that
/// lists keyrings (IOS then looks nowhere else).
fn initiator_key<'c>(
    c: &'c DeviceConfig,
    entry: &CryptoMapEntry,
    addr: Ipv4Addr,
    own: Ipv4Addr,
) -> Option<&'c PresharedKey> {
    match entry_keyrings(c, entry) {
        Some((p, _)) => c
            .keys
            .iter()
            .filter(|k| {
                covers(k, addr)
                    && c.key_serves(k, own)
                    && k.container.as_ref().is_some_and(|r| p.keyrings.contains(r))
            })
            .max_by_key(|k| u32::from(k.mask).count_ones()),
        None => key_for(c, addr, own),
    }
}

/// A key for `addr` the device holds that does not serve IKE on its
/// address `own` (the first of the most specific, in configuration order),
/// with why: why [`key_for`] found nothing although a key is configured.
fn key_not_serving(
    c: &DeviceConfig,
    addr: Ipv4Addr,
    own: Ipv4Addr,
) -> Option<(&PresharedKey, String)> {
    let k = c
        .keys
        .iter()
        .filter(|k| covers(k, addr) && !c.key_serves(k, own))
        .rev()
        .max_by_key(|k| u32::from(k.mask).count_ones())?;
    let ring = k.container.as_deref();
    let key_vrf = ring.and_then(|r| c.keyring_vrf.get(r));
    let ifc = c
        .interfaces
        .iter()
        .find(|i| i.address.is_some_and(|(a, _)| a == own));
    let where_ = match ring {
        Some(r) => format!("keyring {r}"),
        None => "the global keys (crypto isakmp key)".to_string(),
    };
    if let Some(ifc) = ifc.filter(|i| i.vrf.as_ref() != key_vrf) {
        let table = |v: Option<&String>| match v {
            Some(v) => format!("VRF {v}"),
            None => "the global table".to_string(),
        };
        return Some((
            k,
            format!(
                "its key for {addr} is in {where_}, which serves {}, but IKE arrives on {} ({own}) in {}",
                table(key_vrf),
                ifc.name,
                table(ifc.vrf.as_ref())
            ),
        ));
    }
    let bound = c.keyring_local_address.get(ring?)?;
    Some((
        k,
        format!("its key for {addr} is in {where_}, which `local-address {bound}` limits to IKE on {bound}, not {own}"),
    ))
}

/// The sentence saying a key is configured but does not serve IKE on
/// `own`, with its evidence.
fn bound_elsewhere_note(
    c: &DeviceConfig,
    addr: Ipv4Addr,
    own: Ipv4Addr,
    o: &mut Outcome,
) -> String {
    match key_not_serving(c, addr, own) {
        Some((k, why)) => {
            o.evidence.push(Cite::of(c, &k.origin));
            format!(" ({why})")
        }
        None => String::new(),
    }
}

/// Runs phase 1; `Err(code)` on the first failing step.
pub fn run<C: Borrow<DeviceConfig>>(
    configs: &[C],
    init: usize,
    resp: usize,
    entry: &CryptoMapEntry,
    local: Ipv4Addr,
    peer: Ipv4Addr,
    o: &mut Outcome,
) -> Result<(), Code> {
    let a = configs[init].borrow();
    let b = configs[resp].borrow();
    // MM1 reaches the responder's interface: it needs a crypto map there
    // and, on ASA/PIX, IKE enabled.
    let Some(b_if) = net::interface_with(b, peer) else {
        return Err(Code::PeerUnreachable);
    };
    if b_if.crypto_map.is_none() {
        o.detail = format!("{} has no crypto map on {} ({peer}), the interface {} negotiates with, so it ignores IKE from {local}", b.name(), b_if.name, a.name());
        o.evidence.push(Cite::of(b, &b_if.origin));
        let map = b.crypto_maps.first().map(|e| e.map.clone());
        if let Some(map) = map {
            o.fix = Some(ConfigFix::ApplyMap {
                device: resp,
                map,
                interface: Some(b_if.nameif.clone().unwrap_or_else(|| b_if.name.clone())),
            });
        }
        return Err(Code::CryptoMapMissing);
    }
    if let Some(enabled) = &b.ike_enabled {
        let name = b_if.nameif.as_deref().unwrap_or(&b_if.name);
        if !enabled.iter().any(|e| e.eq_ignore_ascii_case(name)) {
            o.detail = format!(
                "IKE is not enabled on {}'s interface {name}, so MM1 from {} gets no answer",
                b.name(),
                a.name()
            );
            o.evidence.push(Cite::of(b, &b_if.origin));
            o.fix = Some(ConfigFix::EnableIke {
                device: resp,
                interface: name.to_string(),
            });
            return Err(Code::PeerUnreachable);
        }
    }

    // MM1/MM2: the responder walks the initiator's offers in order, and
    // for each its own policies in priority order.
    o.step = "MM2";
    let offers = policies(a);
    let locals = policies(b);
    // A match on a built-in default suite that authenticates with RSA
    // signatures needs certificates nobody configured: it fails too (IOS
    // logs "No cert, and no keys"), so the configured policies must match.
    let usable = |off: &IkePolicy, l: &IkePolicy| {
        off.auth == IkeAuth::PreShare || (off.origin.is_some() && l.origin.is_some())
    };
    let chosen = offers.iter().find_map(|off| {
        locals
            .iter()
            .find(|l| matches(off, l) && usable(off, l))
            .map(|l| (off.clone(), l.clone()))
    });
    let Some((offer, _accepted)) = chosen else {
        let Some(first) = offers.first() else {
            o.detail = format!("{} has no ISAKMP policy to offer", a.name());
            return Err(Code::Phase1PolicyMismatch);
        };
        // A configured policy stands for the initiator's intent; failing
        // that, a built-in suite that needs no certificate.
        let first = offers
            .iter()
            .find(|p| p.origin.is_some())
            .or_else(|| offers.iter().find(|p| p.auth == IkeAuth::PreShare))
            .unwrap_or(first);
        let closest = nearest(first, locals.iter().filter(|l| l.origin.is_some()))
            .or_else(|| nearest(first, locals.iter().filter(|l| l.auth == IkeAuth::PreShare)))
            .or_else(|| locals.first());
        let diff = closest.map(|l| differences(first, l)).unwrap_or_default();
        let notes: String = [(a, &offers), (b, &locals)]
            .into_iter()
            .filter_map(|(c, ps)| built_in_note(c, ps))
            .map(|n| format!("; {n}"))
            .collect();
        o.detail = format!(
            "none of {}'s ISAKMP policies matches any of {}'s; closest pair differs in {}{notes}",
            a.name(),
            b.name(),
            if diff.is_empty() {
                "everything".to_string()
            } else {
                diff.join(", ")
            }
        );
        for p in offers.iter().chain(locals.iter()) {
            if let Some(origin) = &p.origin {
                let dev = if offers.iter().any(|x| std::ptr::eq(x, p)) {
                    a
                } else {
                    b
                };
                o.evidence.push(Cite::of(dev, origin));
            }
        }
        // An initiator with only built-in suites is better given the
        // responder's policy than the responder one of those suites (the
        // newest of which are already weak).
        let own_none = offers.iter().all(|p| p.origin.is_none());
        let (device, target, mut pol) = match closest.filter(|l| own_none && l.origin.is_some()) {
            Some(theirs) => (init, a, theirs.clone()),
            None => (resp, b, first.clone()),
        };
        pol.priority = (1..65000)
            .map(|n| n * 10)
            .find(|n| !target.ike_policies.iter().any(|p| p.priority == *n))
            .unwrap_or(5);
        pol.origin = None;
        o.fix = Some(ConfigFix::AddPolicy {
            device,
            policy: pol,
            instead_of_built_in: device == init,
        });
        return Err(Code::Phase1PolicyMismatch);
    };

    // MM3/MM4: keys are looked up by the peer's address.
    if offer.auth == IkeAuth::PreShare {
        let Some(a_key) = initiator_key(a, entry, peer, local) else {
            o.step = "MM1";
            let mut note = bound_elsewhere_note(a, peer, local, o);
            let ring = match entry_keyrings(a, entry) {
                Some((p, bind)) => {
                    o.evidence.push(Cite::of(a, &bind.origin));
                    o.evidence.push(Cite::of(a, &p.origin));
                    let what = match a.vti(&entry.map, entry.seq) {
                        Some(v) => format!("tunnel {}", v.tunnel),
                        None => format!("entry {} {}", entry.map, entry.seq),
                    };
                    note = format!(
                        "{note} in keyring {} of ISAKMP profile {}, which {what} initiates under (IOS looks in no other keyring)",
                        p.keyrings.join(", "),
                        p.name,
                    );
                    p.keyrings.first().cloned()
                }
                None => None,
            };
            o.detail = format!(
                "{} has no pre-shared key for {peer}{note}, so it cannot start main mode",
                a.name()
            );
            o.fix = Some(ConfigFix::AddKey {
                device: init,
                address: peer,
                like: key_for(b, local, peer).map(|k| k.key.clone()),
                own: Some(local),
                ring,
            });
            return Err(Code::PskMissing);
        };
        o.step = "MM4";
        let Some(b_key) = key_for(b, local, peer) else {
            o.evidence.push(Cite::of(a, &a_key.origin));
            let note = bound_elsewhere_note(b, local, peer, o);
            o.detail = if local.is_unspecified() {
                // A branch on DHCP / PPPoE that no configuration names.
                format!("{} has no pre-shared key that covers {}'s address, which {} gets at run time (DHCP / PPPoE) and these configurations do not name: only a wildcard key serves it{note}, so it drops the SA after MM2 (INVALID_COOKIE / MM_WAIT_MSG4 on an ASA initiator)", b.name(), a.name(), a.name())
            } else {
                format!("{} has no pre-shared key for {local} ({}'s address){note}, so it drops the SA after MM2 (INVALID_COOKIE / MM_WAIT_MSG4 on an ASA initiator)", b.name(), a.name())
            };
            o.fix = Some(ConfigFix::AddKey {
                device: resp,
                address: local,
                like: Some(a_key.key.clone()),
                own: Some(peer),
                ring: None,
            });
            return Err(Code::PskMissing);
        };
        o.step = "MM5";
        if a_key.key != b_key.key {
            o.detail = format!(
                "the pre-shared keys differ: {} uses key {} for {peer}, {} uses key {} for {local} (salted fingerprints); MM5 fails to decrypt",
                a.name(),
                a_key.key.short(),
                b.name(),
                b_key.key.short()
            );
            o.evidence.push(Cite::of(a, &a_key.origin));
            o.evidence.push(Cite::of(b, &b_key.origin));
            o.fix = Some(ConfigFix::AddKey {
                device: resp,
                address: local,
                like: Some(a_key.key.clone()),
                own: Some(peer),
                ring: None,
            });
            return Err(Code::PskMismatch);
        }
    }
    o.step = "MM6";
    Ok(())
}
