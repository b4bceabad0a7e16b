//! PIX 6.x commands that differ from ASA: `nameif ethernet0 outside
//! security0`, one-line `interface ethernet0 auto`, `ip address outside A
//! M`, `isakmp policy|key|enable|identity …` without `crypto`, and
//! `vpngroup`. Everything else (ACLs with masks, `nat (inside) 0`,
//! one-line crypto maps, routes, pools) is shared with [`crate::asa`].

use crate::build::{Binding, Builder};
use crate::ike::PolicyDraft;
use crate::tree::Block;
use crate::util::{ipv4, keys, lower, num, origin};
use std::net::Ipv4Addr;

/// Reads a PIX-only top-level command; false when it is not one.
pub fn top(b: &mut Builder, block: &Block<'_>) -> bool {
    let h = &block.head;
    let w = h.words();
    let lw = lower(&w);
    let k = keys(&lw);
    match k.as_slice() {
        ["nameif", _, _, ..] => {
            let nameif = w[2].to_string();
            b.interface(w[1], h).nameif = Some(nameif);
            true
        }
        // `interface ethernet0 auto [shutdown]` (the ASA form has a body).
        ["interface", _, _, ..] if block.body.is_empty() => {
            let down = k.contains(&"shutdown");
            b.interface(w[1], h).shutdown = down;
            true
        }
        ["ip", "address", _, "dhcp" | "pppoe", ..] => {
            b.bindings
                .push((Binding::DynamicAddress(w[2].to_string()), origin(h)));
            true
        }
        ["ip", "address", _, a, m, ..] => match (ipv4(a), ipv4(m)) {
            (Some(a), Some(m)) => {
                b.bindings
                    .push((Binding::Address(w[2].to_string(), a, m), origin(h)));
                true
            }
            _ => false,
        },
        ["isakmp", "policy", n, ..] => {
            let Some(prio) = num::<u32>(n) else {
                return false;
            };
            let draft = b
                .policies
                .entry(prio)
                .or_insert_with(|| PolicyDraft::new(origin(h)));
            draft.apply(&w[3..])
        }
        // isakmp key KEY address A [netmask M] [no-xauth] [no-config-mode]
        ["isakmp", "key", _, "address", a, rest @ ..] => {
            let Some(a) = ipv4(a) else {
                return false;
            };
            let mask = match rest {
                ["netmask", m, ..] => ipv4(m),
                _ => Some(Ipv4Addr::BROADCAST),
            };
            let Some(mask) = mask else {
                return false;
            };
            b.key(a, mask, None, w[2], None, h);
            true
        }
        ["isakmp", "enable", _] => {
            b.ike_enabled.push(w[2].to_string());
            true
        }
        ["isakmp", "identity", _] => {
            b.cfg.ike_identity = Some(k[2].to_string());
            true
        }
        ["isakmp", "nat-traversal" | "keepalive" | "client" | "peer" | "am-disable", ..] => true,
        ["vpngroup", _, "split-tunnel", _] => {
            b.cfg
                .split_tunnel
                .insert(w[1].to_string(), w[3].to_string());
            true
        }
        ["vpngroup", _, _, ..] => true,
        ["fixup", ..] => true,
        _ => false,
    }
}
