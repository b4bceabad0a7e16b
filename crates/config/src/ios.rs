//! IOS / IOS-XE configuration: interfaces, routes, ACLs (wildcards),
//! ISAKMP policies, keys and keyrings, transform sets, crypto maps, NAT
//! (`ip nat inside source` with lists and route-maps), Easy VPN client
//! groups and local pools.

use crate::acl::Syntax;
use crate::build::Builder;
use crate::ike::PolicyDraft;
use crate::nat::{ios_nat, RouteMapEntry};
use crate::tree::{Block, Line, Tree};
use crate::type7::split_key;
use crate::util::{ipv4, keys, lower, num, origin, spaced_interface};
use ipsec_doctor_model::config::{IsakmpProfile, Route};
use std::net::Ipv4Addr;

/// Reads every block of `tree`.
pub fn parse(b: &mut Builder, tree: &Tree<'_>) {
    for block in &tree.blocks {
        if top(b, block) {
            b.marks.mark(&block.head);
        }
    }
}

fn top(b: &mut Builder, block: &Block<'_>) -> bool {
    let h = &block.head;
    let w = h.words();
    let lw = lower(&w);
    let k = keys(&lw);
    match k.as_slice() {
        ["hostname", _] => {
            b.cfg.hostname = Some(w[1].to_string());
            true
        }
        ["banner", ..] | ["crypto", "pki" | "ca", ..] => {
            b.marks.mark_block(block);
            true
        }
        ["version", v] => {
            b.cfg.software_version = Some(v.to_string());
            true
        }
        ["version", ..] | ["building", "configuration..."] | ["current", "configuration", ..] => {
            true
        }
        ["interface", _, ..] => {
            let joined = w.get(2).and_then(|n| spaced_interface(w[1], n));
            interface(b, block, joined.as_deref().unwrap_or(w[1]));
            true
        }
        ["ip", "route", rest @ ..] => route(b, h, &w[w.len() - rest.len()..]),
        ["ip", "access-list", kind @ ("standard" | "extended"), _] => {
            named_acl(b, block, w[3], *kind == "standard");
            true
        }
        ["access-list", num, ..] => numbered_acl(b, h, &w, num),
        ["no", "crypto", "isakmp", "default", "policy"] => {
            b.cfg.default_ike_policies = false;
            true
        }
        ["crypto", "isakmp", "policy", n] => match num::<u32>(n) {
            Some(prio) => {
                policy(b, block, prio);
                true
            }
            None => false,
        },
        ["crypto", "isakmp", "key", ..] => isakmp_key(b, h, &w[3..]),
        ["crypto", "isakmp", "identity", _] => {
            b.cfg.ike_identity = Some(k[3].to_string());
            true
        }
        ["crypto", "isakmp", "profile", _] => {
            profile(b, block, w[3]);
            true
        }
        ["crypto", "isakmp", "client", "configuration", "group", _] => {
            client_group(b, block, w[5]);
            true
        }
        ["crypto", "isakmp", "keepalive"
        | "nat"
        | "nat-traversal"
        | "invalid-spi-recovery"
        | "aggressive-mode"
        | "xauth"
        | "enable"
        | "fragmentation", ..] => true,
        ["crypto", "ikev2", "proposal", _] => {
            crate::ikev2::ios_proposal(b, block, w[3]);
            true
        }
        ["crypto", "ikev2", "policy", _] => {
            crate::ikev2::ios_policy(b, block, w[3]);
            true
        }
        ["crypto", "ikev2", "keyring", _] => {
            crate::ikev2::ios_keyring(b, block, w[3]);
            true
        }
        ["crypto", "ikev2", "profile", _] => {
            crate::ikev2::ios_profile(b, block, w[3]);
            true
        }
        ["crypto", "keyring", _, rest @ ..] => {
            // `crypto keyring NAME [vrf V]`: the keys of a front-door VRF.
            if let ["vrf", _] = rest {
                b.cfg.keyring_vrf.insert(w[2].to_string(), w[4].to_string());
            }
            keyring(b, block, w[2]);
            true
        }
        ["crypto", "ipsec", "profile", _] => {
            crate::vti::profile(b, block, w[3]);
            true
        }
        ["crypto", "ipsec", "transform-set", ..] => {
            let ok = b.transform_set(&w[3..], h);
            if ok {
                transform_set_body(b, block, w[3]);
            }
            ok
        }
        ["crypto", "ipsec", "security-association", "lifetime", ..] => b.sa_lifetime(&w[4..]),
        ["crypto", "ipsec", "security-association", ..]
        | ["crypto", "ipsec", "df-bit" | "fragmentation" | "nat-transparency" | "optional", ..] => {
            true
        }
        ["crypto", "map", _, "local-address", _] => {
            b.cfg
                .map_local_address
                .insert(w[2].to_string(), w[4].to_string());
            true
        }
        ["crypto", "map", _, "client" | "isakmp" | "isakmp-profile" | "redundancy" | "gdoi", ..] => {
            true
        }
        ["crypto", "map", _, seq, ..] => map_block(b, block, false, &w, seq),
        ["crypto", "dynamic-map", _, seq, ..] => map_block(b, block, true, &w, seq),
        ["ip", "nat", "inside", "source", ..] => match ios_nat(&w[4..], &origin(h)) {
            Some(s) => {
                b.nat.extend(s);
                true
            }
            None => false,
        },
        ["ip", "nat", "pool" | "translation", ..] => true,
        ["route-map", _, ..] => route_map(b, block, &w),
        ["ip", "local", "pool", ..] => b.pool(&w[3..]),
        _ => false,
    }
}

fn interface(b: &mut Builder, block: &Block<'_>, name: &str) {
    let (mut mtu, mut ip_mtu) = (None, None);
    let mut marked = Vec::new();
    let mut tunnel_lines = Vec::new();
    {
        let iface = b.interface(name, &block.head);
        for l in &block.body {
            let w = l.words();
            let lw = lower(&w);
            let ok = match keys(&lw).as_slice() {
                ["ip", "address", a, m] => match (ipv4(a), ipv4(m)) {
                    (Some(a), Some(m)) => {
                        iface.address = Some((a, m));
                        true
                    }
                    _ => false,
                },
                ["ip", "address", "dhcp" | "negotiated", ..] => {
                    iface.dynamic_address = true;
                    true
                }
                ["ip", "address", _, _, "secondary"]
                | ["no", "ip", "address"]
                | ["ip", "unnumbered", _]
                | ["no", "shutdown"]
                | ["description", ..] => true,
                ["mtu", n] => {
                    mtu = num::<u16>(n);
                    mtu.is_some()
                }
                ["ip", "mtu", n] => {
                    ip_mtu = num::<u16>(n);
                    ip_mtu.is_some()
                }
                ["ip", "tcp", "adjust-mss", n] => {
                    iface.adjust_mss = num(n);
                    iface.adjust_mss.is_some()
                }
                ["crypto", "map", _] => {
                    iface.crypto_map = Some(w[2].to_string());
                    true
                }
                ["ip", "nat", side @ ("inside" | "outside")] => {
                    iface.nat_inside = Some(*side == "inside");
                    true
                }
                ["shutdown"] => {
                    iface.shutdown = true;
                    true
                }
                ["vrf", "forwarding", _] | ["ip", "vrf", "forwarding", _] => {
                    iface.vrf = w.last().map(|v| v.to_string());
                    true
                }
                ["tunnel", ..] => {
                    tunnel_lines.push(*l);
                    false
                }
                _ => false,
            };
            if ok {
                marked.push(*l);
            }
        }
        // `ip mtu` limits IP packets; the layer-2 `mtu` only when it is absent.
        if let Some(m) = ip_mtu.or(mtu) {
            iface.mtu = Some(m);
        }
    }
    for l in &marked {
        b.marks.mark(l);
    }
    for l in &tunnel_lines {
        if crate::vti::interface_line(b, name, l, &l.words()) {
            b.marks.mark(l);
        }
    }
}

fn route(b: &mut Builder, h: &Line<'_>, w: &[&str]) -> bool {
    // NET MASK {NEXT-HOP | IF [NEXT-HOP]} [distance] [name N] [permanent] [tag T]
    let (Some(network), Some(mask)) = (
        w.first().and_then(|t| ipv4(t)),
        w.get(1).and_then(|t| ipv4(t)),
    ) else {
        return false; // includes `ip route vrf …`: not in the model
    };
    let Some(third) = w.get(2) else {
        return false;
    };
    let (interface, next_hop) = match ipv4(third) {
        Some(nh) => (None, Some(nh)),
        None => (Some(third.to_string()), w.get(3).and_then(|t| ipv4(t))),
    };
    b.cfg.routes.push(Route {
        network,
        mask,
        next_hop,
        interface,
        origin: origin(h),
    });
    true
}

/// Strips an IOS-XE sequence number (`10 permit …`).
fn without_seq<'a, 'b>(w: &'b [&'a str]) -> &'b [&'a str] {
    match w.first() {
        Some(t) if num::<u32>(t).is_some() => &w[1..],
        _ => w,
    }
}

fn named_acl(b: &mut Builder, block: &Block<'_>, name: &str, standard: bool) {
    b.acl(name);
    for l in &block.body {
        let words = l.words();
        let w = without_seq(&words);
        let ok = match w.first().map(|t| t.to_ascii_lowercase()).as_deref() {
            Some("permit" | "deny") => b.acl_entry(name, w, Syntax::Wildcard, standard, l),
            Some("remark") => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
}

fn numbered_acl(b: &mut Builder, h: &Line<'_>, w: &[&str], number: &str) -> bool {
    let Some(n) = num::<u32>(number) else {
        return false;
    };
    let standard = (1..=99).contains(&n) || (1300..=1999).contains(&n);
    let extended = (100..=199).contains(&n) || (2000..=2699).contains(&n);
    if !standard && !extended {
        return false;
    }
    match w.get(2).map(|t| t.to_ascii_lowercase()).as_deref() {
        Some("remark") => {
            b.acl(w[1]);
            true
        }
        Some("permit" | "deny") => b.acl_entry(w[1], &w[2..], Syntax::Wildcard, standard, h),
        _ => false,
    }
}

fn policy(b: &mut Builder, block: &Block<'_>, prio: u32) {
    let draft = b
        .policies
        .entry(prio)
        .or_insert_with(|| PolicyDraft::new(origin(&block.head)));
    let mut marked = Vec::new();
    for l in &block.body {
        if draft.apply(&l.words()) {
            marked.push(*l);
        }
    }
    for l in &marked {
        b.marks.mark(l);
    }
}

/// `[TYPE] KEY address A [MASK] [no-xauth]`; `hostname H` keys cannot be
/// bound to an address and are left unread.
fn isakmp_key(b: &mut Builder, h: &Line<'_>, w: &[&str]) -> bool {
    let Some((t, key, rest)) = split_key(w, &["address", "hostname"]) else {
        return false;
    };
    match rest {
        [kw, a, more @ ..] if kw.eq_ignore_ascii_case("address") => {
            let Some(a) = ipv4(a) else {
                return false; // ipv6
            };
            let mask = more
                .first()
                .and_then(|m| ipv4(m))
                .unwrap_or(default_key_mask(a));
            b.key(a, mask, t, key, None, h);
            true
        }
        _ => false,
    }
}

/// The mask of a pre-shared key whose `address` has none: the host itself,
/// except for 0.0.0.0, the wildcard key ("with a wildcard IP address of
/// 0.0.0.0 … the local router can authenticate the IKE SA with any remote
/// peer", Cisco IOS 12.1(1)T *Wildcard Pre-Shared Key* feature module).
/// The running configuration prints `address 0.0.0.0 0.0.0.0` as
/// `address 0.0.0.0` (the mask as blanks), and DMVPN hubs are commonly
/// configured that way; a host key for 0.0.0.0 would match no peer.
fn default_key_mask(a: Ipv4Addr) -> Ipv4Addr {
    if a.is_unspecified() {
        Ipv4Addr::UNSPECIFIED
    } else {
        Ipv4Addr::BROADCAST
    }
}

fn keyring(b: &mut Builder, block: &Block<'_>, name: &str) {
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["pre-shared-key", "address", ..] => keyring_key(b, l, &w[2..], name),
            ["local-address", _, ..] => {
                // `local-address IF|A [VRF]`: the keyring serves IKE on
                // that address only.
                b.cfg
                    .keyring_local_address
                    .insert(name.to_string(), w[1].to_string());
                true
            }
            ["description", ..] | ["vrf", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
}

/// `A [MASK] key [TYPE] KEY` (words after `pre-shared-key address`).
fn keyring_key(b: &mut Builder, l: &Line<'_>, w: &[&str], ring: &str) -> bool {
    let Some(a) = w.first().and_then(|t| ipv4(t)) else {
        return false;
    };
    let (mask, i) = match w.get(1).and_then(|t| ipv4(t)) {
        Some(m) => (m, 2),
        None => (default_key_mask(a), 1),
    };
    if !w.get(i).is_some_and(|t| t.eq_ignore_ascii_case("key")) {
        return false;
    }
    let Some((t, key, _)) = split_key(&w[i + 1..], &[]) else {
        return false;
    };
    b.key(a, mask, t, key, Some(ring), l);
    true
}

/// An ISAKMP profile: its keyrings, `match identity address` lines and
/// `local-address` are kept; the other settings are recognised.
fn profile(b: &mut Builder, block: &Block<'_>, name: &str) {
    let mut p = IsakmpProfile {
        name: name.to_string(),
        keyrings: Vec::new(),
        match_addresses: Vec::new(),
        local_address: None,
        origin: origin(&block.head),
    };
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        match keys(&lw).as_slice() {
            ["keyring", _] => p.keyrings.push(w[1].to_string()),
            ["match", "identity", "address", a, rest @ ..] => {
                if let Some(a) = ipv4(a) {
                    // `A [MASK] [VRF]`: a word that is not a mask is a VRF.
                    let mask = rest
                        .first()
                        .and_then(|m| ipv4(m))
                        .unwrap_or(Ipv4Addr::BROADCAST);
                    p.match_addresses.push((a, mask));
                }
            }
            ["local-address", _, ..] => p.local_address = Some(w[1].to_string()),
            _ => {}
        }
        let known = matches!(
            w.first().map(|t| t.to_ascii_lowercase()).as_deref(),
            Some(
                "keyring"
                    | "match"
                    | "self-identity"
                    | "keepalive"
                    | "local-address"
                    | "description"
                    | "initiate"
                    | "ca"
                    | "vrf"
                    | "isakmp"
                    | "client"
                    | "virtual-template"
                    | "qos-group"
                    | "accounting"
            )
        );
        if known {
            b.marks.mark(l);
        }
    }
    b.cfg.isakmp_profiles.retain(|x| x.name != name);
    b.cfg.isakmp_profiles.push(p);
}

fn client_group(b: &mut Builder, block: &Block<'_>, group: &str) {
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["acl", _] => {
                b.cfg
                    .split_tunnel
                    .insert(group.to_string(), w[1].to_string());
                true
            }
            ["key" | "pool" | "dns" | "wins" | "domain" | "save-password" | "include-local-lan"
            | "netmask" | "max-users" | "max-logins" | "pfs" | "split-dns" | "backup-gateway"
            | "firewall" | "banner", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
}

fn transform_set_body(b: &mut Builder, block: &Block<'_>, name: &str) {
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let tunnel = match keys(&lw).as_slice() {
            ["mode", "tunnel", ..] => Some(true),
            ["mode", "transport", ..] => Some(false),
            _ => None,
        };
        if let Some(t) = tunnel {
            if let Some(ts) = b.cfg.transform_sets.get_mut(name) {
                ts.tunnel_mode = t;
            }
            b.marks.mark(l);
        }
    }
}

fn map_block(b: &mut Builder, block: &Block<'_>, dynamic: bool, w: &[&str], seq: &str) -> bool {
    let Some(seq) = num::<u32>(seq) else {
        return false;
    };
    let name = w[2];
    let head_ok = b.map_attr(dynamic, name, seq, &w[4..], &block.head) || w.len() == 4;
    for l in &block.body {
        if b.map_attr(dynamic, name, seq, &l.words(), l) {
            b.marks.mark(l);
        }
    }
    head_ok
}

fn route_map(b: &mut Builder, block: &Block<'_>, w: &[&str]) -> bool {
    let name = w[1];
    let permit = !w.get(2).is_some_and(|t| t.eq_ignore_ascii_case("deny"));
    let seq = w.get(3).and_then(|t| num(t)).unwrap_or(10);
    let mut acls = Vec::new();
    for l in &block.body {
        let lw = lower(&l.words());
        let words = l.words();
        let ok = match keys(&lw).as_slice() {
            ["match", "ip", "address", "prefix-list", ..] => false,
            ["match", "ip", "address", ..] => {
                acls.extend(words[3..].iter().map(|a| a.to_string()));
                true
            }
            ["match" | "set" | "description" | "continue", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
    // A repeated `route-map NAME … SEQ` re-enters the same entry.
    let entry = b
        .route_maps
        .entry(name.to_string())
        .or_default()
        .entry(seq)
        .or_insert_with(|| RouteMapEntry {
            permit,
            acls: Vec::new(),
        });
    entry.permit = permit;
    for a in acls {
        if !entry.acls.contains(&a) {
            entry.acls.push(a);
        }
    }
    true
}
