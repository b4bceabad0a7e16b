//! Tunnel protection: `crypto ipsec profile` blocks and the tunnel
//! interfaces that use them — IOS static VTIs (`tunnel mode ipsec ipv4`)
//! and GRE tunnels with `tunnel protection ipsec profile`, ASA 9.7+ VTIs
//! (`tunnel source interface outside`, `set ikev1 transform-set` / `set
//! ikev2 ipsec-proposal` in the profile).
//!
//! IOS negotiates a protected tunnel as a crypto map entry of its own
//! (`show crypto map` lists it as `Tunnel0-head-0`): peer the tunnel
//! destination, local address the tunnel source, traffic selectors any ↔
//! any for a VTI or the GRE packets between the two endpoints for GRE, and
//! the transform sets, PFS, lifetime and IKEv2 profile of the IPsec
//! profile. That entry is what [`finish`] adds, so the simulator needs no
//! second model of a tunnel.

use crate::build::Builder;
use crate::tree::{Block, Line};
use crate::util::{ipv4, keys, lower, num, origin, spaced_interface};
use ipsec_doctor_model::config::{
    AclEntry, AddrMatch, CryptoMapEntry, DeviceConfig, EntryIsakmpProfile, Ikev2MapEntry,
    IpsecProfile, Origin, PortMatch, SaLifetime, TransformSet, Vti,
};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// A `crypto ipsec profile NAME` block.
#[derive(Debug, Clone, Default)]
pub struct ProfileDraft {
    transform_sets: Vec<String>,
    /// ASA `set ikev2 ipsec-proposal`.
    ikev2_proposals: Vec<String>,
    pfs: Option<u8>,
    ikev2_profile: Option<String>,
    /// `set isakmp-profile NAME` and its line.
    isakmp_profile: Option<(String, Origin)>,
    seconds: Option<u32>,
    kilobytes: Option<u64>,
}

/// The tunnel settings of an interface.
#[derive(Debug, Clone, Default)]
pub struct TunnelDraft {
    /// Interface name.
    name: String,
    /// `tunnel source` (an interface name or an address).
    source: Option<String>,
    /// `tunnel destination`.
    destination: Option<Ipv4Addr>,
    /// `tunnel mode ipsec ipv4`.
    ipsec_mode: bool,
    /// `tunnel protection ipsec profile NAME`.
    profile: Option<String>,
    /// The `tunnel protection` line.
    origin: Origin,
}

/// Where the drafts are kept while the configuration is read.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    profiles: BTreeMap<String, ProfileDraft>,
    tunnels: Vec<TunnelDraft>,
}

/// `crypto ipsec profile NAME` and its body; the lines understood are
/// marked.
pub fn profile(b: &mut Builder, block: &Block<'_>, name: &str) {
    let pfs_default = b.pfs_default;
    let mut d = ProfileDraft::default();
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["set", "transform-set", ts @ ..] if !ts.is_empty() => {
                d.transform_sets = w[2..].iter().map(|s| s.to_string()).collect();
                true
            }
            ["set", "ikev1", "transform-set", ts @ ..] if !ts.is_empty() => {
                d.transform_sets = w[3..].iter().map(|s| s.to_string()).collect();
                true
            }
            ["set", "ikev2", "ipsec-proposal", ps @ ..] if !ps.is_empty() => {
                d.ikev2_proposals = w[3..].iter().map(|s| s.to_string()).collect();
                true
            }
            ["set", "pfs"] => {
                d.pfs = Some(pfs_default);
                true
            }
            ["set", "pfs", g] => match g.strip_prefix("group").and_then(num::<u8>) {
                Some(g) => {
                    d.pfs = Some(g);
                    true
                }
                None => false,
            },
            ["set", "ikev2-profile", _] => {
                d.ikev2_profile = Some(w[2].to_string());
                true
            }
            ["set", "security-association", "lifetime", "seconds", n] => {
                d.seconds = num(n);
                d.seconds.is_some()
            }
            ["set", "security-association", "lifetime", "kilobytes", n] => {
                d.kilobytes = num(n);
                d.kilobytes.is_some()
            }
            ["set", "isakmp-profile", _] => {
                d.isakmp_profile = Some((w[2].to_string(), origin(l)));
                true
            }
            ["set", "isakmp-profile" | "security-association", ..] | ["description", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
    b.vti.profiles.insert(name.to_string(), d);
}

/// One line of an interface block, when it is a tunnel setting.
pub fn interface_line(b: &mut Builder, name: &str, l: &Line<'_>, w: &[&str]) -> bool {
    let lw = lower(w);
    let k = keys(&lw);
    if k.first() != Some(&"tunnel") {
        return false;
    }
    let at = match b.vti.tunnels.iter().position(|t| t.name == name) {
        Some(i) => i,
        None => {
            b.vti.tunnels.push(TunnelDraft {
                name: name.to_string(),
                ..TunnelDraft::default()
            });
            b.vti.tunnels.len() - 1
        }
    };
    let t = &mut b.vti.tunnels[at];
    match k.as_slice() {
        ["tunnel", "source", _] => {
            t.source = Some(w[2].to_string());
            true
        }
        // ASA: `tunnel source interface outside` (the nameif).
        ["tunnel", "source", "interface", _] => {
            t.source = Some(w[3].to_string());
            true
        }
        ["tunnel", "source", _, n] if spaced_interface(w[2], n).is_some() => {
            t.source = spaced_interface(w[2], n);
            true
        }
        ["tunnel", "destination", a] => {
            t.destination = ipv4(a);
            t.destination.is_some()
        }
        ["tunnel", "mode", "ipsec", "ipv4"] => {
            t.ipsec_mode = true;
            true
        }
        ["tunnel", "mode", "gre", ..] => {
            t.ipsec_mode = false;
            true
        }
        ["tunnel", "protection", "ipsec", "profile", _, ..] => {
            t.profile = Some(w[4].to_string());
            t.origin = origin(l);
            true
        }
        ["tunnel", "key" | "path-mtu-discovery" | "vrf", ..] => true,
        _ => false,
    }
}

/// IOS's default transform sets, offered by an IPsec profile that names
/// none (IOS 15.2 and later).
fn default_sets(cfg: &mut DeviceConfig) -> Vec<String> {
    let sets = [
        ("#$!default_transform_set_1", ["esp-aes", "esp-sha-hmac"]),
        ("#$!default_transform_set_0", ["esp-3des", "esp-sha-hmac"]),
    ];
    for (name, t) in sets {
        cfg.transform_sets
            .entry(name.to_string())
            .or_insert_with(|| TransformSet {
                name: name.to_string(),
                transforms: t.iter().map(|x| x.to_string()).collect(),
                tunnel_mode: true,
                origin: Origin::default(),
            });
    }
    sets.iter().map(|(n, _)| n.to_string()).collect()
}

/// The interface a tunnel source names (by name or by address) and its
/// address; `None` for an address assigned at run time (`ip address dhcp`,
/// `negotiated`).
fn source_of(cfg: &DeviceConfig, source: &str) -> Option<(String, Option<Ipv4Addr>)> {
    if let Some(a) = ipv4(source) {
        let i = cfg
            .interfaces
            .iter()
            .find(|i| i.address.is_some_and(|(x, _)| x == a))?;
        return Some((i.name.clone(), Some(a)));
    }
    let i = cfg.interface(source)?;
    match i.address {
        Some((a, _)) => Some((i.name.clone(), Some(a))),
        None if i.dynamic_address => Some((i.name.clone(), None)),
        None => None,
    }
}

/// Adds the crypto map entry each protected tunnel stands for (once the
/// interfaces and their addresses are known).
pub fn finish(drafts: &Drafts, cfg: &mut DeviceConfig) {
    for (name, p) in &drafts.profiles {
        cfg.ipsec_profiles.insert(
            name.clone(),
            IpsecProfile {
                name: name.clone(),
                transform_sets: p.transform_sets.clone(),
                pfs: p.pfs,
                isakmp_profile: p.isakmp_profile.as_ref().map(|(n, _)| n.clone()),
                ikev2_profile: p.ikev2_profile.clone(),
                lifetime: (p.seconds, p.kilobytes),
            },
        );
    }
    let global = cfg.sa_lifetime;
    for (n, t) in drafts.tunnels.iter().enumerate() {
        let (Some(profile), Some(dest), Some(source)) = (&t.profile, t.destination, &t.source)
        else {
            continue;
        };
        let Some(p) = drafts.profiles.get(profile) else {
            continue;
        };
        let Some((src_if, src_addr)) = source_of(cfg, source) else {
            continue;
        };
        // A VTI protects any ↔ any, whatever its source address; GRE over
        // IPsec protects GRE from the source address, which a run-time
        // address leaves unknown.
        let src_addr = match (src_addr, t.ipsec_mode) {
            (Some(a), _) => a,
            (None, true) => Ipv4Addr::UNSPECIFIED,
            (None, false) => continue,
        };
        // The entry joins the crypto map already on the source interface
        // (one map per interface), else a map of its own there.
        let Some(src) = cfg.interfaces.iter_mut().find(|i| i.name == src_if) else {
            continue;
        };
        let map = match &src.crypto_map {
            Some(m) => m.clone(),
            None => {
                let m = format!("{}-head-0", t.name);
                src.crypto_map = Some(m.clone());
                m
            }
        };
        // After every configured entry, as IOS numbers them (65536 up).
        let seq = 65536 + u32::try_from(n).unwrap_or(0);
        let acl_name = format!("{}-protection", t.name);
        let entry = if t.ipsec_mode {
            AclEntry {
                permit: true,
                protocol: None,
                src: AddrMatch::ANY,
                src_port: PortMatch::Any,
                dst: AddrMatch::ANY,
                dst_port: PortMatch::Any,
                origin: t.origin.clone(),
            }
        } else {
            AclEntry {
                permit: true,
                protocol: Some(47),
                src: AddrMatch::host(src_addr),
                src_port: PortMatch::Any,
                dst: AddrMatch::host(dest),
                dst_port: PortMatch::Any,
                origin: t.origin.clone(),
            }
        };
        let acl = cfg.acls.entry(acl_name.clone()).or_default();
        acl.name = acl_name.clone();
        acl.entries = vec![entry];
        // IOS offers its default sets when the profile names none; an ASA
        // profile with only IKEv2 proposals has no IKEv1 sets.
        let transform_sets = if !p.transform_sets.is_empty() {
            p.transform_sets.clone()
        } else if cfg.platform == ipsec_doctor_model::config::Platform::Ios {
            default_sets(cfg)
        } else {
            Vec::new()
        };
        let lifetime = (p.seconds.is_some() || p.kilobytes.is_some()).then(|| SaLifetime {
            seconds: p.seconds.unwrap_or(global.seconds),
            kilobytes: p.kilobytes.unwrap_or(global.kilobytes),
        });
        cfg.crypto_maps.push(CryptoMapEntry {
            map: map.clone(),
            seq,
            dynamic_ref: None,
            peers: vec![dest],
            acl: Some(acl_name),
            transform_sets,
            pfs: p.pfs,
            lifetime,
            origin: t.origin.clone(),
        });
        if p.ikev2_profile.is_some() || !p.ikev2_proposals.is_empty() {
            cfg.ikev2.entries.push(Ikev2MapEntry {
                map: map.clone(),
                seq,
                profile: p.ikev2_profile.clone(),
                ipsec_proposals: p.ikev2_proposals.clone(),
                origin: t.origin.clone(),
            });
        }
        if let Some((name, at)) = &p.isakmp_profile {
            cfg.entry_isakmp_profiles.push(EntryIsakmpProfile {
                map: map.clone(),
                seq,
                profile: name.clone(),
                origin: at.clone(),
            });
        }
        cfg.vtis.push(Vti {
            tunnel: t.name.clone(),
            profile: profile.clone(),
            map,
            seq,
            ipsec_mode: t.ipsec_mode,
            origin: t.origin.clone(),
        });
    }
    cfg.crypto_maps
        .sort_by(|a, b| (&a.map, a.seq).cmp(&(&b.map, b.seq)));
}
