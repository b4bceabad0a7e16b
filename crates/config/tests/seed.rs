//! The configuration fragments of the seed note (tests/data/seed), put back
//! on separate lines.

mod common;

use common::*;
use ipsec_doctor_model::config::{AddrMatch, Platform};

#[test]
fn peer_a_and_peer_b_acls_are_mirror_images() {
    let (_, a) = load("seed/peer_a.cfg");
    let (_, b) = load("seed/peer_b.cfg");
    assert_eq!(a.platform, Platform::Ios);
    let fa = flows(&a.acls["150"].entries);
    let fb = flows(&b.acls["150"].entries);
    assert_eq!(fa.len(), 2);
    assert_eq!(
        fa[0],
        (
            wc("172.21.113.0", "0.0.0.255"),
            wc("172.21.114.0", "0.0.0.255")
        )
    );
    assert_eq!(
        fa[1],
        (
            AddrMatch::host(ip("10.2.0.8")),
            AddrMatch::host(ip("172.21.114.123"))
        )
    );
    let mirrored: Vec<_> = fb.iter().map(|(s, d)| (*d, *s)).collect();
    assert_eq!(fa, mirrored);
    assert!(a.acls["150"]
        .entries
        .iter()
        .all(|e| e.permit && e.protocol.is_none()));
    assert_eq!(a.skipped + b.skipped, 0);
}

#[test]
fn ios_client_group_split_tunnel() {
    let (text, cfg) = load("seed/ios_client_group.cfg");
    assert_eq!(ipsec_doctor_config::detect(&text), Some(Platform::Ios));
    assert_eq!(cfg.split_tunnel["hw-client-groupname"], "150");
    let e = &cfg.acls["150"].entries[0];
    // `192.0.2.18 0.0.0.127`: host bits under the wildcard cleared, as IOS does.
    assert_eq!(e.src, wc("192.0.2.0", "0.0.0.127"));
    assert_eq!(e.src.addr, ip("192.0.2.0"));
    assert_eq!(e.dst, AddrMatch::ANY);
    assert!(cfg.keys.is_empty(), "a group key is not a peer key");
    assert_eq!(cfg.skipped, 0);
}

#[test]
fn pix_vpn_client_fragment() {
    let (text, cfg) = load("seed/pix_vpnclient.cfg");
    assert_eq!(ipsec_doctor_config::detect(&text), Some(Platform::Pix));
    let inside = cfg.interface("inside").unwrap();
    assert_eq!(
        inside.address,
        Some((ip("10.1.1.1"), ip("255.255.255.240")))
    );
    let r = &cfg.routes[0];
    assert_eq!(
        (r.network, r.mask, r.next_hop),
        (ip("172.16.0.0"), ip("255.255.0.0"), Some(ip("10.1.1.2")))
    );
    assert_eq!(r.interface.as_deref(), Some("inside"));
    assert_eq!(cfg.pools["mypool"], (ip("10.1.2.1"), ip("10.1.2.254")));
    assert_eq!(cfg.split_tunnel["vpn3000"], "90");
    assert_eq!(
        flows(&cfg.acls["90"].entries),
        vec![
            (
                mask("10.1.1.0", "255.255.255.0"),
                mask("10.1.2.0", "255.255.255.0")
            ),
            (
                mask("172.16.0.0", "255.255.0.0"),
                mask("10.1.2.0", "255.255.255.0")
            ),
        ]
    );
    // No `sysopt connection permit-ipsec` on a PIX: decrypted traffic is not let through.
    assert_eq!(cfg.sysopt_permit_ipsec, Some(false));
    assert_eq!(cfg.skipped, 0);
}

#[test]
fn inside_router_route_back_to_the_pool() {
    let (_, cfg) = load("seed/inside_router.cfg");
    let r = &cfg.routes[0];
    assert_eq!(
        (r.network, r.mask, r.next_hop),
        (ip("10.1.2.0"), ip("255.255.255.0"), Some(ip("10.1.1.1")))
    );
}
