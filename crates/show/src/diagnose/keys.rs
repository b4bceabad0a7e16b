//! Both ends' `show crypto isakmp key`: the key each end uses for the
//! other, compared by salted digest (the keys themselves are never kept).

use super::{evidence, finding, fix, DeviceView, Draft};
use crate::IsakmpKey;
use ipsec_doctor_model::{Code, Finding, Severity};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// The key `keys` uses for `addr`: IOS takes the most specific one (a host
/// key before a network key before the wildcard).
fn key_for<'a>(keys: &[&'a IsakmpKey], addr: Ipv4Addr) -> Option<&'a IsakmpKey> {
    keys.iter()
        .copied()
        .filter(|k| k.covers(addr))
        .max_by_key(|k| {
            k.mask
                .as_deref()
                .and_then(|m| m.parse::<Ipv4Addr>().ok())
                .map_or(32, |m| u32::from(m).count_ones())
        })
}

/// The address of `v` the other end's keys (`theirs`) are checked for, and
/// whether it is assumed: `v`'s own addresses as its output tells them
/// (crypto endpoints, local addresses, the end of an ISAKMP row its keys
/// are not for), the one the other end's keys cover first; without any,
/// and with two devices only, the other end's one host key (confirmed when
/// `v`'s own SAs name it).
fn address(
    v: &DeviceView<'_>,
    theirs: &[&IsakmpKey],
    assume_pair: bool,
) -> Option<(Ipv4Addr, bool)> {
    let mut addrs: Vec<Ipv4Addr> = v.locals.iter().filter_map(|a| a.parse().ok()).collect();
    let mut assumed = false;
    if assume_pair && addrs.is_empty() {
        addrs.extend(sole_host(theirs));
        assumed = !addrs.iter().any(|x| mentions(v, *x));
    }
    let ip = addrs
        .iter()
        .find(|x| key_for(theirs, **x).is_some())
        .or(addrs.first())?;
    Some((*ip, assumed))
}

/// Whether the device's SA output names `ip` as one end of an SA.
fn mentions(v: &DeviceView<'_>, ip: Ipv4Addr) -> bool {
    let is = |t: Option<&str>| t.and_then(|t| t.parse::<Ipv4Addr>().ok()) == Some(ip);
    v.isakmp
        .iter()
        .any(|(_, sa)| is(sa.dst.as_deref()) || is(sa.src.as_deref()) || is(sa.local.as_deref()))
        || v.ikev2
            .iter()
            .any(|(_, sa)| is(sa.local.as_deref()) || is(sa.remote.as_deref()))
        || v.ipsec.iter().any(|(_, b)| is(b.local()) || is(b.peer()))
}

/// The one host key of a device, when it has exactly one.
fn sole_host(keys: &[&IsakmpKey]) -> Option<Ipv4Addr> {
    let mut hosts = keys.iter().filter(|k| k.is_host());
    let first = hosts.next()?;
    if hosts.next().is_some() {
        return None;
    }
    first.peer.parse().ok()
}

/// Compares the keys of every two devices that printed them. Returns the
/// findings and the (device, peer) pairs whose keys agree.
pub(crate) fn cross_check(views: &[DeviceView<'_>]) -> (Vec<Finding>, BTreeSet<(String, String)>) {
    let mut out = Vec::new();
    let mut agree = BTreeSet::new();
    let with_keys: Vec<(&DeviceView<'_>, Vec<&IsakmpKey>)> = views
        .iter()
        .map(|v| (v, v.keys.iter().map(|(_, k)| *k).collect::<Vec<_>>()))
        .filter(|(_, k)| !k.is_empty())
        .collect();
    // Without printed addresses, two devices that each hold one host key
    // are taken to hold it for each other.
    let assume_pair = with_keys.len() == 2;
    for (i, (a, ka)) in with_keys.iter().enumerate() {
        for (b, kb) in with_keys.iter().skip(i + 1) {
            let (Some((a_ip, a_assumed)), Some((b_ip, b_assumed))) =
                (address(a, kb, assume_pair), address(b, ka, assume_pair))
            else {
                continue;
            };
            let assumed = a_assumed || b_assumed;
            // Two devices that are not each other's peers say nothing.
            let (a_key, b_key) = (key_for(ka, b_ip), key_for(kb, a_ip));
            if a_key.is_none() && b_key.is_none() {
                continue;
            }
            out.extend(compare(a, b, a_ip, b_ip, a_key, b_key, assumed, &mut agree));
        }
    }
    (out, agree)
}

#[allow(clippy::too_many_arguments)]
fn compare(
    a: &DeviceView<'_>,
    b: &DeviceView<'_>,
    a_ip: Ipv4Addr,
    b_ip: Ipv4Addr,
    a_key: Option<&IsakmpKey>,
    b_key: Option<&IsakmpKey>,
    assumed: bool,
    agree: &mut BTreeSet<(String, String)>,
) -> Option<Finding> {
    let ev = |v: &DeviceView<'_>, k: &IsakmpKey| {
        v.keys
            .iter()
            .find(|(_, x)| std::ptr::eq(*x, k))
            .map(|(o, _)| evidence(o, &[&k.evidence]))
            .unwrap_or_default()
    };
    let caveat = if assumed {
        " (The output does not print the devices' own addresses: each device's one host key is taken to be for the other.)"
    } else {
        ""
    };
    let confidence = if assumed { 0.6 } else { 0.85 };
    match (a_key, b_key) {
        (Some(x), Some(y)) if x.key == y.key => {
            // A one-row ISAKMP table does not say which end is ours: a
            // finding may name either address as the peer.
            for v in [a, b] {
                for ip in [a_ip, b_ip] {
                    agree.insert((v.name.clone(), ip.to_string()));
                }
            }
            None
        }
        (Some(x), Some(y)) => {
            let mut e = ev(a, x);
            e.extend(ev(b, y));
            Some(finding(
                Draft {
                    code: Code::PskMismatch,
                    severity: Severity::Error,
                    confidence,
                    title: "The pre-shared keys of the two ends differ (show crypto isakmp key)".into(),
                    explanation: format!(
                        "{} uses keyring {} for {b_ip} and {} uses keyring {} for {a_ip}, and the two keys are not the same (compared by digest; neither is printed). Main mode then fails at MM5/MM6: the peer cannot decrypt or verify the ID payload.{caveat}",
                        a.name, x.keyring, b.name, y.keyring
                    ),
                },
                a,
                Some(&b_ip.to_string()),
                e,
                vec![
                    fix(&a.name, "re-enter the key, the same on both ends", &key_commands(x, b_ip)),
                    fix(&b.name, "the same key on the other end", &key_commands(y, a_ip)),
                ],
            ))
        }
        (Some(x), None) => missing(b, a, a_ip, x, confidence, caveat, ev(a, x)),
        (None, Some(y)) => missing(a, b, b_ip, y, confidence, caveat, ev(b, y)),
        (None, None) => None,
    }
}

/// `lacks` has no key for `addr`, the address of `has`, which holds one.
fn missing(
    lacks: &DeviceView<'_>,
    has: &DeviceView<'_>,
    addr: Ipv4Addr,
    theirs: &IsakmpKey,
    confidence: f32,
    caveat: &str,
    e: Vec<ipsec_doctor_model::Evidence>,
) -> Option<Finding> {
    let commands = vec![format!("crypto isakmp key <pre-shared-key> address {addr}")];
    Some(finding(
        Draft {
            code: Code::PskMissing,
            severity: Severity::Error,
            confidence: confidence - 0.1,
            title: "No pre-shared key for the peer's address (show crypto isakmp key)".into(),
            explanation: format!(
                "{} holds a key for its peer (keyring {}), but no key {} prints covers {addr}, the address {} negotiates from: main mode stops after MM2/MM3 there.{caveat}",
                has.name, theirs.keyring, lacks.name, has.name
            ),
        },
        lacks,
        Some(&addr.to_string()),
        e,
        vec![fix(&lacks.name, "a key for the peer's address, the same as the peer's", &commands)],
    ))
}

/// The commands that set key `k`'s entry again (in its keyring).
fn key_commands(k: &IsakmpKey, peer: Ipv4Addr) -> Vec<String> {
    let target = if k.is_host() {
        peer.to_string()
    } else {
        format!(
            "{} {}",
            k.peer,
            k.mask.as_deref().unwrap_or("255.255.255.255")
        )
    };
    if k.keyring.as_str() == "default" {
        vec![format!(
            "crypto isakmp key <pre-shared-key> address {target}"
        )]
    } else {
        vec![
            format!("crypto keyring {}", k.keyring),
            format!(" pre-shared-key address {target} key <pre-shared-key>"),
        ]
    }
}
