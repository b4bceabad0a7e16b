//! ASA configuration, 8.4+/9.x syntax (`crypto ikev1 …`, objects, twice
//! and object NAT) and the older 7.x/8.0–8.3 syntax (`crypto isakmp …`,
//! `nat (inside) 0 access-list`, `static`), which both appear in the wild
//! and are accepted in any ASA file. ACL addresses use subnet masks. PIX 6
//! commands are read by [`crate::pix`] through the same entry point.

use crate::acl::Syntax;
use crate::build::{Binding, Builder};
use crate::ike::PolicyDraft;
use crate::nat::{asa_nat, asa_static};
use crate::tree::{Block, Line, Tree};
use crate::type7::split_key;
use crate::util::{ipv4, keys, lower, num, origin, spaced_interface};
use ipsec_doctor_model::config::Route;
use std::net::Ipv4Addr;

/// The tunnel-group that holds the catch-all LAN-to-LAN key.
pub const DEFAULT_L2L_GROUP: &str = "DefaultL2LGroup";

/// Reads every block of `tree` (ASA, or PIX when `b` is for PIX).
pub fn parse(b: &mut Builder, tree: &Tree<'_>) {
    for block in &tree.blocks {
        let ok = top(b, block) || crate::pix::top(b, block);
        if ok {
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
        ["asa" | "pix" | "fwsm", "version", ..] => {
            b.cfg.software_version = w.get(2).map(|v| v.to_string());
            true
        }
        [c, ..] if c.starts_with("cryptochecksum") => true,
        ["hostname", _] => {
            b.cfg.hostname = Some(w[1].to_string());
            true
        }
        ["banner", ..] | ["crypto", "ca" | "pki", ..] => {
            b.marks.mark_block(block);
            true
        }
        ["interface", _] => {
            interface(b, block, w[1]);
            true
        }
        ["interface", _, n] if spaced_interface(w[1], n).is_some() => {
            let name = format!("{}{}", w[1], w[2]);
            interface(b, block, &name);
            true
        }
        ["mtu", _, n] => match num::<u16>(n) {
            Some(n) => {
                b.bindings
                    .push((Binding::Mtu(w[1].to_string(), n), origin(h)));
                true
            }
            None => false,
        },
        ["object", "network", _] => {
            object_nat(b, block, w[2]);
            true
        }
        ["access-list", _, ..] => access_list(b, h, &w),
        ["nat", ..] => match asa_nat(&b.objs, &w, &origin(h), None) {
            Some(s) => {
                b.nat.extend(s);
                true
            }
            None => false,
        },
        ["static", ..] => match asa_static(&b.objs, &w, &origin(h)) {
            Some(s) => {
                b.nat.extend(s);
                true
            }
            None => false,
        },
        ["global", ..] => true,
        ["route", _, _, _, _, ..] => route(b, h, &w),
        ["crypto", "ikev1" | "isakmp", "policy", n] => match num::<u32>(n) {
            Some(prio) => {
                policy_block(b, block, prio);
                true
            }
            None => false,
        },
        ["crypto", "ikev2", "policy", n] => match num::<u32>(n) {
            Some(prio) => {
                crate::ikev2::asa_policy(b, block, prio);
                true
            }
            None => false,
        },
        ["crypto", "ikev2", "enable", _, ..] => {
            if let Some(e) = b.cfg.ikev2.enabled.as_mut() {
                e.push(w[3].to_string());
            }
            true
        }
        ["crypto", "ipsec", "profile", _] => {
            crate::vti::profile(b, block, w[3]);
            true
        }
        ["crypto", "ipsec", "ikev2", "ipsec-proposal", _] => {
            crate::ikev2::asa_ipsec_proposal(b, block, w[4]);
            true
        }
        ["crypto", "ikev1" | "isakmp", "enable", _] => {
            b.ike_enabled.push(w[3].to_string());
            true
        }
        ["crypto", "ikev1" | "isakmp", "identity", _] => {
            b.cfg.ike_identity = Some(k[3].to_string());
            true
        }
        ["crypto", "ikev1" | "isakmp", "am-disable"
        | "nat-traversal"
        | "ipsec-over-tcp"
        | "reload-wait"
        | "disconnect-notify"
        | "keepalive"
        | "limit-max-in-negotiation-sa", ..] => true,
        ["crypto", "ipsec", "ikev1", "transform-set", ..] => b.transform_set(&w[4..], h),
        ["crypto", "ipsec", "transform-set", ..] => b.transform_set(&w[3..], h),
        ["crypto", "ipsec", "security-association", "lifetime", ..] => b.sa_lifetime(&w[4..]),
        ["crypto", "ipsec", "security-association", ..]
        | ["crypto", "ipsec", "df-bit" | "fragmentation", ..] => true,
        ["crypto", "map", _, "interface", _] => {
            b.bindings.push((
                Binding::CryptoMap(w[4].to_string(), w[2].to_string()),
                origin(h),
            ));
            true
        }
        ["crypto", "map", _, "client" | "isakmp" | "redundancy", ..] => true,
        ["crypto", "map", _, seq, _, ..] => one_line_map(b, h, false, &w, seq),
        ["crypto", "dynamic-map", _, seq, _, ..] => one_line_map(b, h, true, &w, seq),
        ["no", "crypto", "map" | "dynamic-map", ..] => true,
        ["tunnel-group", _, "type", ..] => true,
        ["tunnel-group", _, "ipsec-attributes"] => {
            tunnel_group_ipsec(b, block, w[1]);
            true
        }
        ["tunnel-group", _, "general-attributes"] => {
            mark_known(
                b,
                block,
                &[
                    "address-pool",
                    "default-group-policy",
                    "authentication-server-group",
                    "authorization-server-group",
                    "accounting-server-group",
                ],
            );
            true
        }
        ["group-policy", _, "internal" | "external", ..] => true,
        ["group-policy", _, "attributes"] => {
            group_policy(b, block, w[1]);
            true
        }
        ["sysopt", "connection", "permit-vpn" | "permit-ipsec"] => {
            b.cfg.sysopt_permit_ipsec = Some(true);
            true
        }
        ["no", "sysopt", "connection", "permit-vpn" | "permit-ipsec"] => {
            b.cfg.sysopt_permit_ipsec = Some(false);
            true
        }
        ["ip", "local", "pool", ..] => b.pool(&w[3..]),
        _ => false,
    }
}

fn interface(b: &mut Builder, block: &Block<'_>, name: &str) {
    let mut marked = Vec::new();
    let mut tunnel_lines = Vec::new();
    {
        let iface = b.interface(name, &block.head);
        for l in &block.body {
            let w = l.words();
            let lw = lower(&w);
            let ok = match keys(&lw).as_slice() {
                ["nameif", _] => {
                    iface.nameif = Some(w[1].to_string());
                    true
                }
                ["ip", "address", a, m, ..] if ipv4(a).is_some() => match (ipv4(a), ipv4(m)) {
                    (Some(a), Some(m)) => {
                        iface.address = Some((a, m));
                        true
                    }
                    _ => false,
                },
                ["shutdown"] => {
                    iface.shutdown = true;
                    true
                }
                // security-level is not in the model; recognised.
                ["security-level", _]
                | ["no", "nameif" | "security-level" | "shutdown"]
                | ["no", "ip", "address"]
                | ["description" | "vlan" | "management-only" | "speed" | "duplex", ..] => true,
                ["ip", "address", "dhcp" | "pppoe", ..] => {
                    iface.dynamic_address = true;
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

/// The `nat` lines of an `object network` block (its addresses were read
/// with the objects).
fn object_nat(b: &mut Builder, block: &Block<'_>, name: &str) {
    for l in &block.body {
        let w = l.words();
        if !w.first().is_some_and(|t| t.eq_ignore_ascii_case("nat")) {
            continue;
        }
        if let Some(s) = asa_nat(&b.objs, &w, &origin(l), Some(name)) {
            b.nat.extend(s);
            b.marks.mark(l);
        }
    }
}

/// `access-list NAME [line N] extended|standard|remark … | permit|deny …`.
fn access_list(b: &mut Builder, h: &Line<'_>, w: &[&str]) -> bool {
    let name = w[1];
    let mut rest = &w[2..];
    if rest.first().is_some_and(|t| t.eq_ignore_ascii_case("line")) {
        rest = rest.get(2..).unwrap_or_default();
    }
    let Some(first) = rest.first() else {
        return false;
    };
    match first.to_ascii_lowercase().as_str() {
        "remark" => {
            b.acl(name);
            true
        }
        "extended" => b.acl_entry(name, &rest[1..], Syntax::Mask, false, h),
        "standard" => b.acl_entry(name, &rest[1..], Syntax::Mask, true, h),
        "permit" | "deny" => b.acl_entry(name, rest, Syntax::Mask, false, h),
        _ => false,
    }
}

/// `route IF NET MASK GW [metric] …`.
fn route(b: &mut Builder, h: &Line<'_>, w: &[&str]) -> bool {
    let (Some(network), Some(mask), Some(gw)) =
        (b.objs.address(w[2]), ipv4(w[3]), b.objs.address(w[4]))
    else {
        return false;
    };
    b.cfg.routes.push(Route {
        network,
        mask,
        next_hop: Some(gw),
        interface: Some(w[1].to_string()),
        origin: origin(h),
    });
    true
}

pub(crate) fn policy_block(b: &mut Builder, block: &Block<'_>, prio: u32) {
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

fn one_line_map(b: &mut Builder, h: &Line<'_>, dynamic: bool, w: &[&str], seq: &str) -> bool {
    match num::<u32>(seq) {
        Some(seq) => b.map_attr(dynamic, w[2], seq, &w[4..], h),
        None => false,
    }
}

/// The peer address a tunnel-group name stands for.
fn group_address(b: &Builder, name: &str) -> Option<(Ipv4Addr, Ipv4Addr)> {
    if name == DEFAULT_L2L_GROUP {
        return Some((Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED));
    }
    b.objs.address(name).map(|a| (a, Ipv4Addr::BROADCAST))
}

fn tunnel_group_ipsec(b: &mut Builder, block: &Block<'_>, name: &str) {
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["ikev1", "pre-shared-key", ..] => group_key(b, l, &w[2..], name),
            ["pre-shared-key", ..] => group_key(b, l, &w[1..], name),
            ["ikev2", "remote-authentication" | "local-authentication", "pre-shared-key", ..] => {
                let addr = group_address(b, name);
                crate::ikev2::asa_group_key(b, l, &w[1..], name, addr)
            }
            ["ikev2", ..]
            | ["isakmp", ..]
            | ["peer-id-validate", ..]
            | ["chain"]
            | ["trust-point" | "ikev1", ..]
            | ["radius-sdi-xauth"] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
}

/// A tunnel-group key: bound to the group's address (remote-access groups,
/// named rather than addressed, are not in the model).
fn group_key(b: &mut Builder, l: &Line<'_>, w: &[&str], group: &str) -> bool {
    let Some((t, key, _)) = split_key(w, &[]) else {
        return false;
    };
    let Some((a, m)) = group_address(b, group) else {
        return false;
    };
    b.key(a, m, t, key, Some(group), l);
    true
}

fn group_policy(b: &mut Builder, block: &Block<'_>, name: &str) {
    for l in &block.body {
        let w = l.words();
        let lw = lower(&w);
        let ok = match keys(&lw).as_slice() {
            ["split-tunnel-network-list", "value", _] => {
                b.cfg
                    .split_tunnel
                    .insert(name.to_string(), w[2].to_string());
                true
            }
            ["split-tunnel-network-list"
            | "split-tunnel-policy"
            | "vpn-tunnel-protocol"
            | "dns-server"
            | "default-domain"
            | "address-pools"
            | "wins-server"
            | "vpn-filter"
            | "vpn-idle-timeout"
            | "vpn-session-timeout"
            | "split-dns"
            | "banner"
            | "password-storage"
            | "ipv6-split-tunnel-policy"
            | "vpn-simultaneous-logins"
            | "webvpn"
            | "intercept-dhcp"
            | "client-bypass-protocol", ..] => true,
            _ => false,
        };
        if ok {
            b.marks.mark(l);
        }
    }
}

fn mark_known(b: &mut Builder, block: &Block<'_>, known: &[&str]) {
    for l in &block.body {
        if l.words()
            .first()
            .is_some_and(|t| known.iter().any(|k| t.eq_ignore_ascii_case(k)))
        {
            b.marks.mark(l);
        }
    }
}
