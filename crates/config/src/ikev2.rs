//! IKEv2 configuration, site-to-site with pre-shared keys: IOS-XE
//! proposals, policies, keyrings and profiles; ASA IKEv2 policies, IPsec
//! proposals and tunnel-group keys; the crypto map lines that make an entry
//! IKEv2 (`set ikev2-profile`, `set ikev2 ipsec-proposal`).

use crate::build::Builder;
use crate::cryptomap::normalise_transforms;
use crate::tree::{Block, Line};
use crate::type7::{key_digest, split_key};
use crate::util::{ipv4, keys, lower, num, origin};
use ipsec_doctor_model::config::{
    IkeEncryption, IkeHash, Ikev2IpsecProposal, Ikev2Key, Ikev2MapEntry, Ikev2Profile,
    Ikev2Proposal, Platform,
};
use std::net::Ipv4Addr;

/// IOS-XE `aes-cbc-256`, ASA `aes-256`, both `3des` / `des`.
pub fn encryption(word: &str) -> Option<IkeEncryption> {
    Some(match word.to_ascii_lowercase().as_str() {
        "des" => IkeEncryption::Des,
        "3des" => IkeEncryption::TripleDes,
        "aes" | "aes-cbc-128" | "aes-128" => IkeEncryption::Aes128,
        "aes-cbc-192" | "aes-192" => IkeEncryption::Aes192,
        "aes-cbc-256" | "aes-256" => IkeEncryption::Aes256,
        _ => return None,
    })
}

/// `sha1`, `sha256`, `sha384`, `sha512`, `md5` (ASA also `sha`).
pub fn integrity(word: &str) -> Option<IkeHash> {
    crate::ike::hash(word)
}

fn proposal(name: &str, line: &Line<'_>) -> Ikev2Proposal {
    Ikev2Proposal {
        name: name.to_string(),
        encryption: Vec::new(),
        integrity: Vec::new(),
        prf: Vec::new(),
        groups: Vec::new(),
        origin: Some(origin(line)),
    }
}

/// One attribute line of an IOS-XE proposal or an ASA IKEv2 policy; false
/// when not understood (an unknown algorithm makes the line skipped).
fn proposal_attr(p: &mut Ikev2Proposal, w: &[&str]) -> bool {
    let Some((attr, args)) = w.split_first() else {
        return false;
    };
    if args.is_empty() {
        return false;
    }
    match attr.to_ascii_lowercase().as_str() {
        "encryption" => collect(args, encryption, &mut p.encryption),
        "integrity" => collect(args, integrity, &mut p.integrity),
        "prf" => collect(args, integrity, &mut p.prf),
        "group" => collect(args, num::<u8>, &mut p.groups),
        "lifetime" => true,
        _ => false,
    }
}

fn collect<T: PartialEq>(args: &[&str], f: impl Fn(&str) -> Option<T>, into: &mut Vec<T>) -> bool {
    let parsed: Option<Vec<T>> = args.iter().map(|a| f(a)).collect();
    match parsed {
        Some(v) => {
            for x in v {
                if !into.contains(&x) {
                    into.push(x);
                }
            }
            true
        }
        None => false,
    }
}

/// IOS-XE `crypto ikev2 proposal NAME` block.
pub fn ios_proposal(b: &mut Builder, block: &Block<'_>, name: &str) {
    let mut p = proposal(name, &block.head);
    for l in &block.body {
        if proposal_attr(&mut p, &l.words()) {
            b.marks.mark(l);
        }
    }
    b.ikev2_named.insert(name.to_string(), p);
}

/// IOS-XE `crypto ikev2 policy NAME` block: the proposals it names are the
/// ones offered and accepted.
pub fn ios_policy(b: &mut Builder, block: &Block<'_>, name: &str) {
    b.cfg.ikev2.policies.push(name.to_string());
    let refs = b.ikev2_policy_refs.get_or_insert_with(Vec::new);
    let mut marked = Vec::new();
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["proposal", ..] if w.len() > 1 => {
                for n in &w[1..] {
                    if !refs.iter().any(|r| r == n) {
                        refs.push(n.to_string());
                    }
                }
                true
            }
            ["match", ..] | ["description", ..] => true,
            _ => false,
        };
        if ok {
            marked.push(*l);
        }
    }
    for l in &marked {
        b.marks.mark(l);
    }
}

/// IOS-XE `crypto ikev2 keyring NAME` block with its `peer` sub-blocks
/// (`address A [M]`, `pre-shared-key [local|remote] [TYPE] KEY`).
pub fn ios_keyring(b: &mut Builder, block: &Block<'_>, ring: &str) {
    let mut current: Option<Ikev2Key> = None;
    let place = |b: &Builder, l: &Line<'_>| format!("{}:{}", b.cfg.source, l.no);
    for l in block.lines().skip(1) {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["peer", _] => {
                if let Some(k) = current.take() {
                    b.cfg.ikev2.keys.push(k);
                }
                current = Some(Ikev2Key {
                    address: Ipv4Addr::UNSPECIFIED,
                    mask: Ipv4Addr::BROADCAST,
                    local: None,
                    remote: None,
                    container: Some(ring.to_string()),
                    // As typed: a fix names the block to change.
                    peer: w.get(1).map(|n| n.to_string()),
                    origin: origin(l),
                });
                true
            }
            ["address", a, rest @ ..] => match (current.as_mut(), ipv4(a)) {
                (Some(k), Some(addr)) => {
                    let mask = match rest.first() {
                        Some(m) => ipv4(m),
                        None => Some(Ipv4Addr::BROADCAST),
                    };
                    match mask {
                        Some(m) => {
                            k.address = addr;
                            k.mask = m;
                            true
                        }
                        None => false,
                    }
                }
                _ => false,
            },
            ["pre-shared-key", dir @ ("local" | "remote"), ..] => {
                let dir = *dir;
                let digest =
                    split_key(&w[2..], &[]).map(|(t, key, _)| key_digest(t, key, &place(b, l)));
                match (current.as_mut(), digest) {
                    (Some(k), Some(d)) => {
                        if dir == "local" {
                            k.local = Some(d);
                        } else {
                            k.remote = Some(d);
                        }
                        true
                    }
                    _ => false,
                }
            }
            ["pre-shared-key", ..] => {
                let digest =
                    split_key(&w[1..], &[]).map(|(t, key, _)| key_digest(t, key, &place(b, l)));
                match (current.as_mut(), digest) {
                    (Some(k), Some(d)) => {
                        k.local = Some(d.clone());
                        k.remote = Some(d);
                        true
                    }
                    _ => false,
                }
            }
            ["description", ..] | ["identity", ..] | ["hostname", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
    if let Some(k) = current.take() {
        b.cfg.ikev2.keys.push(k);
    }
}

/// IOS-XE `crypto ikev2 profile NAME` block.
pub fn ios_profile(b: &mut Builder, block: &Block<'_>, name: &str) {
    let mut p = Ikev2Profile {
        name: name.to_string(),
        match_remote: Vec::new(),
        local_identity: None,
        keyring: None,
        origin: origin(&block.head),
    };
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["match", "identity", "remote", "address", a, rest @ ..] => {
                let mask = match rest.first() {
                    Some(m) => ipv4(m),
                    None => Some(Ipv4Addr::BROADCAST),
                };
                match (ipv4(a), mask) {
                    (Some(a), Some(m)) => {
                        p.match_remote.push((a, m));
                        true
                    }
                    _ => false,
                }
            }
            ["identity", "local", "address", a] => match ipv4(a) {
                Some(a) => {
                    p.local_identity = Some(a);
                    true
                }
                None => false,
            },
            ["keyring", "local", _] => {
                p.keyring = Some(w[2].to_string());
                true
            }
            ["authentication", "local" | "remote", "pre-share"] => true,
            ["authentication", "local" | "remote", m, ..] if *m != "pre-share" => {
                b.cfg.ikev2.cert_auth = true;
                true
            }
            ["description", ..] | ["dpd", ..] | ["lifetime", ..] | ["match", "fvrf", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
    b.cfg.ikev2.profiles.push(p);
}

/// ASA `crypto ikev2 policy N` block.
pub fn asa_policy(b: &mut Builder, block: &Block<'_>, prio: u32) {
    let mut p = proposal(&prio.to_string(), &block.head);
    for l in &block.body {
        if proposal_attr(&mut p, &l.words()) {
            b.marks.mark(l);
        }
    }
    b.ikev2_numbered.insert(prio, p);
}

/// ASA ESP names (`aes-256`, `sha-256`) as transform-set transforms.
fn esp_name(word: &str, integrity: bool) -> Option<String> {
    let w = word.to_ascii_lowercase();
    let t = if integrity {
        match w.as_str() {
            "sha-1" | "sha" => "esp-sha-hmac",
            "sha-256" => "esp-sha256-hmac",
            "sha-384" => "esp-sha384-hmac",
            "sha-512" => "esp-sha512-hmac",
            "md5" => "esp-md5-hmac",
            "null" => "null",
            _ => return None,
        }
        .to_string()
    } else {
        match w.as_str() {
            "des" | "3des" | "null" => format!("esp-{w}"),
            "aes" | "aes-192" | "aes-256" | "aes-gcm" | "aes-gcm-192" | "aes-gcm-256" => {
                // ASA `aes-gcm-256` is IOS `esp-gcm 256`.
                let ios = format!("esp-{}", w.replacen("aes-gcm", "gcm", 1));
                normalise_transforms(&[ios.as_str()]).into_iter().next()?
            }
            _ => return None,
        }
    };
    Some(t)
}

/// ASA `crypto ipsec ikev2 ipsec-proposal NAME` block.
pub fn asa_ipsec_proposal(b: &mut Builder, block: &Block<'_>, name: &str) {
    let mut p = Ikev2IpsecProposal {
        name: name.to_string(),
        encryption: Vec::new(),
        integrity: Vec::new(),
        origin: origin(&block.head),
    };
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["protocol", "esp", kind @ ("encryption" | "integrity"), rest @ ..]
                if !rest.is_empty() =>
            {
                let integ = *kind == "integrity";
                let into = if integ {
                    &mut p.integrity
                } else {
                    &mut p.encryption
                };
                collect(rest, |x| esp_name(x, integ), into)
            }
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
    p.integrity.retain(|t| t != "null");
    b.cfg.ikev2.ipsec_proposals.insert(name.to_string(), p);
}

/// ASA tunnel-group `ikev2 remote-authentication pre-shared-key [TYPE] KEY`
/// and `ikev2 local-authentication …` (words after `ikev2`), for the
/// group's address.
pub fn asa_group_key(
    b: &mut Builder,
    l: &Line<'_>,
    w: &[&str],
    group: &str,
    addr: Option<(Ipv4Addr, Ipv4Addr)>,
) -> bool {
    let [dir, psk, rest @ ..] = w else {
        return false;
    };
    if psk.eq_ignore_ascii_case("certificate") {
        // `ikev2 remote-authentication certificate` (and `local-
        // authentication certificate TP`): no key to compare.
        b.cfg.ikev2.cert_auth = true;
        return true;
    }
    if !psk.eq_ignore_ascii_case("pre-shared-key") {
        return false;
    }
    let local = dir.eq_ignore_ascii_case("local-authentication");
    if !local && !dir.eq_ignore_ascii_case("remote-authentication") {
        return false;
    }
    let Some((t, key, _)) = split_key(rest, &[]) else {
        return false;
    };
    let Some((address, mask)) = addr else {
        return false;
    };
    let d = key_digest(t, key, &format!("{}:{}", b.cfg.source, l.no));
    let keys = &mut b.cfg.ikev2.keys;
    let k = match keys
        .iter()
        .position(|k| k.container.as_deref() == Some(group))
    {
        Some(i) => &mut keys[i],
        None => {
            keys.push(Ikev2Key {
                address,
                mask,
                local: None,
                remote: None,
                container: Some(group.to_string()),
                peer: None,
                origin: origin(l),
            });
            let last = keys.len() - 1;
            &mut keys[last]
        }
    };
    if local {
        k.local = Some(d);
    } else {
        k.remote = Some(d);
    }
    true
}

/// A crypto map attribute that makes the entry IKEv2 (`set ikev2-profile
/// P` on IOS-XE, `set ikev2 ipsec-proposal P…` on ASA); false otherwise.
pub fn map_attr(b: &mut Builder, map: &str, seq: u32, w: &[&str], line: &Line<'_>) -> bool {
    let lw = lower(w);
    let (profile, proposals) = match keys(&lw).as_slice() {
        ["set", "ikev2-profile", _] => (Some(w[2].to_string()), Vec::new()),
        ["set", "ikev2", "ipsec-proposal", rest @ ..] if !rest.is_empty() => {
            (None, w[3..].iter().map(|s| s.to_string()).collect())
        }
        _ => return false,
    };
    let entries = &mut b.cfg.ikev2.entries;
    let i = match entries.iter().position(|e| e.map == map && e.seq == seq) {
        Some(i) => i,
        None => {
            entries.push(Ikev2MapEntry {
                map: map.to_string(),
                seq,
                profile: None,
                ipsec_proposals: Vec::new(),
                origin: origin(line),
            });
            entries.len() - 1
        }
    };
    let e = &mut entries[i];
    if profile.is_some() {
        e.profile = profile;
    }
    if !proposals.is_empty() {
        e.ipsec_proposals = proposals;
    }
    true
}

/// Completes the IKEv2 model once every line is read: IOS-XE uses the
/// proposals its policies name (a proposal no policy names is never
/// offered), or the built-in default when no policy is configured; ASA
/// offers its policies in priority order.
pub fn finish(b: &mut Builder) {
    match b.cfg.platform {
        Platform::Ios => match &b.ikev2_policy_refs {
            Some(refs) => {
                b.cfg.ikev2.proposals = refs
                    .iter()
                    .filter_map(|r| b.ikev2_named.get(r).cloned())
                    .collect();
            }
            None => b.cfg.ikev2.default_proposal = true,
        },
        _ => b.cfg.ikev2.proposals = b.ikev2_numbered.values().cloned().collect(),
    }
}
