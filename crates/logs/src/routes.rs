//! Routing tables shown in a console session (IOS `show ip route`, ASA
//! `show route`) and the crypto peers its configuration names: a device
//! with no route to its peer never sends the first IKE packet, so its debug
//! stays silent.

use ipsec_doctor_model::config::prefix_mask;
use regex::Regex;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

/// What one record says about routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    /// A route to `net/len` (the default route is `0.0.0.0/0`).
    Route { net: u32, len: u8 },
    /// `Gateway of last resort is not set`: the table has no default route.
    NoGateway,
    /// `10.0.0.0/24 is subnetted`: classful lines below carry no length.
    Subnetted(u8),
    /// A crypto peer the configuration names (`set peer`, `Peer =`).
    Peer(Ipv4Addr),
}

/// Whether `text` may hold routing-table or crypto-peer lines (cheap).
pub(crate) fn may_hold(text: &str) -> bool {
    [
        "directly connected",
        "Gateway of last resort",
        "] via ",
        "subnetted",
        "set peer",
        "Peer =",
        "Current peer:",
    ]
    .iter()
    .any(|k| text.contains(k))
}

fn route_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<gw>Gateway of last resort is not set)",
            r"|Gateway of last resort is (?:\d+\.\d+\.\d+\.\d+) to network 0\.0\.0\.0",
            r"|(?P<sn>\d+\.\d+\.\d+\.\d+)/(?P<snl>\d+) is subnetted",
            r"|(?P<net>\d+\.\d+\.\d+\.\d+)(?:/(?P<len>\d+)|\s+(?P<mask>(?:255|254|252|248|240|224|192|128|0)\.\d+\.\d+\.\d+))?\s+(?:\[\d+/\d+\]\s+via|is directly connected)",
            r"|(?:set peer|Peer =|Current peer:)\s*(?P<peer>\d+\.\d+\.\d+\.\d+)",
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// The items of one record (continuation lines may have been joined into
/// it, so it is scanned as text, not line by line). `subnetted` is the
/// length a classful header announced for lines without one.
pub(crate) fn scan(text: &str, subnetted: Option<u8>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut classful = subnetted;
    for c in route_re().captures_iter(text) {
        if c.name("gw").is_some() {
            out.push(Item::NoGateway);
        } else if let (Some(n), Some(l)) = (c.name("sn"), c.name("snl")) {
            if let (Some(_), Ok(len)) = (addr(n.as_str()), l.as_str().parse::<u8>()) {
                if len <= 32 {
                    classful = Some(len);
                    out.push(Item::Subnetted(len));
                }
            }
        } else if let Some(n) = c.name("net") {
            let Some(net) = addr(n.as_str()) else {
                continue;
            };
            let len = match (c.name("len"), c.name("mask")) {
                (Some(l), _) => l.as_str().parse::<u8>().ok().filter(|l| *l <= 32),
                (None, Some(m)) => addr(m.as_str()).and_then(mask_len),
                (None, None) => classful.or_else(|| Some(class_len(net))),
            };
            if let Some(len) = len {
                out.push(Item::Route {
                    net: net & prefix_mask(len),
                    len,
                });
            }
        } else if let Some(p) = c.name("peer") {
            if let Ok(a) = p.as_str().parse::<Ipv4Addr>() {
                out.push(Item::Peer(a));
            }
        } else {
            // `Gateway of last resort is X to network 0.0.0.0`.
            out.push(Item::Route { net: 0, len: 0 });
        }
    }
    out
}

/// Whether a route of `routes` covers `a`.
pub(crate) fn covered(routes: &[(u32, u8)], a: Ipv4Addr) -> bool {
    let a = u32::from(a);
    routes.iter().any(|&(net, len)| a & prefix_mask(len) == net)
}

fn addr(s: &str) -> Option<u32> {
    s.parse::<Ipv4Addr>().ok().map(u32::from)
}

/// The prefix length of a contiguous netmask.
fn mask_len(m: u32) -> Option<u8> {
    let len = m.leading_ones() as u8;
    (prefix_mask(len) == m).then_some(len)
}

/// The classful length of a network (IOS prints classful lines without one).
fn class_len(net: u32) -> u8 {
    match net >> 24 {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(items: &[Item]) -> Vec<(u32, u8)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Route { net, len } => Some((*net, *len)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn ios_15_table_with_lengths() {
        let t = "Gateway of last resort is not set 10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks";
        assert_eq!(scan(t, None), [Item::NoGateway]);
        let r = scan(
            "C        10.1.0.0/24 is directly connected, GigabitEthernet0/3",
            None,
        );
        assert_eq!(routes(&r), [(0x0a01_0000, 24)]);
        let r = scan(
            "O IA     10.2.0.0/16 [110/2] via 15.1.1.5, 00:01:02, Gi0/1",
            None,
        );
        assert!(covered(&routes(&r), Ipv4Addr::new(10, 2, 9, 9)));
        let r = scan("S*    0.0.0.0/0 [1/0] via 15.1.1.5", None);
        assert_eq!(routes(&r), [(0, 0)]);
    }

    #[test]
    fn ios_12_classful_and_asa_masks() {
        let r = scan("     172.16.0.0/24 is subnetted, 2 subnets", None);
        assert_eq!(r, [Item::Subnetted(24)]);
        let r = scan(
            "C       172.16.5.0 is directly connected, Serial0/0",
            Some(24),
        );
        assert_eq!(routes(&r), [(0xac10_0500, 24)]);
        let r = scan(
            "C    192.168.1.0 is directly connected, FastEthernet0/0",
            None,
        );
        assert_eq!(routes(&r), [(0xc0a8_0100, 24)]);
        let r = scan(
            "S    10.9.0.0 255.255.0.0 [1/0] via 203.0.113.1, outside",
            None,
        );
        assert_eq!(routes(&r), [(0x0a09_0000, 16)]);
        let r = scan(
            "Gateway of last resort is 203.0.113.1 to network 0.0.0.0",
            None,
        );
        assert_eq!(routes(&r), [(0, 0)]);
    }

    #[test]
    fn crypto_peers() {
        let r = scan(" set peer 25.2.2.2", None);
        assert_eq!(r, [Item::Peer(Ipv4Addr::new(25, 2, 2, 2))]);
        let r = scan("crypto map outside_map 10 set peer 198.51.100.9", None);
        assert_eq!(r, [Item::Peer(Ipv4Addr::new(198, 51, 100, 9))]);
        assert!(may_hold("      Peer = 25.2.2.2"));
    }
}
