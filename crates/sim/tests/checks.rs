//! Checks beyond negotiation, one configuration at a time.

use ipsec_doctor_model::config::*;
use ipsec_doctor_model::Code;

mod common;
use common::{ip, net, o, site};

use ipsec_doctor_sim::check;

fn codes(c: &DeviceConfig) -> Vec<Code> {
    check(c).into_iter().map(|f| f.code).collect()
}

fn ios() -> DeviceConfig {
    let mut c = site(
        "A",
        Platform::Ios,
        "198.51.100.1",
        "10.1.1.0",
        "203.0.113.1",
        "10.2.2.0",
    );
    c.ike_policies[0].encryption = IkeEncryption::Aes256;
    c.interfaces.push(Interface {
        name: "inside0".into(),
        address: Some((ip("10.1.1.1"), ip("255.255.255.0"))),
        adjust_mss: Some(1360),
        origin: o(11, "interface inside0"),
        ..Interface::default()
    });
    c.routes.push(Route {
        network: ip("0.0.0.0"),
        mask: ip("0.0.0.0"),
        next_hop: Some(ip("198.51.100.254")),
        interface: None,
        origin: o(90, "ip route 0.0.0.0 0.0.0.0 198.51.100.254"),
    });
    c
}

#[test]
fn a_clean_configuration_has_no_check_findings() {
    assert!(codes(&ios()).is_empty(), "{:#?}", check(&ios()));
}

#[test]
fn nat_without_exemption_translates_vpn_traffic() {
    let mut c = ios();
    c.acls.insert(
        "NAT".into(),
        Acl {
            name: "NAT".into(),
            entries: vec![AclEntry {
                permit: true,
                protocol: None,
                src: net("10.1.1.0", 24),
                src_port: PortMatch::Any,
                dst: AddrMatch::ANY,
                dst_port: PortMatch::Any,
                origin: o(100, "permit ip 10.1.1.0 0.0.0.255 any"),
            }],
        },
    );
    c.nat.push(NatRule {
        exempt: false,
        matches: vec![],
        acl: Some("NAT".into()),
        origin: o(
            101,
            "ip nat inside source list NAT interface outside0 overload",
        ),
    });
    assert!(codes(&c).contains(&Code::NatExemptionMissing));
    // a deny for VPN traffic first exempts it
    c.acls.get_mut("NAT").unwrap().entries.insert(
        0,
        AclEntry {
            permit: false,
            protocol: None,
            src: net("10.1.1.0", 24),
            src_port: PortMatch::Any,
            dst: net("10.2.2.0", 24),
            dst_port: PortMatch::Any,
            origin: o(99, "deny ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255"),
        },
    );
    assert!(!codes(&c).contains(&Code::NatExemptionMissing));
}

#[test]
fn the_same_acl_for_nat_and_crypto_is_flagged() {
    let mut c = ios();
    c.nat.push(NatRule {
        exempt: true,
        matches: vec![],
        acl: Some("VPN-ACL".into()),
        origin: o(101, "nat (inside) 0 access-list VPN-ACL"),
    });
    assert!(codes(&c).contains(&Code::AclReused));
}

#[test]
fn overlapping_crypto_acls_of_two_peers() {
    let mut c = ios();
    c.acls.insert(
        "B".into(),
        Acl {
            name: "B".into(),
            entries: vec![AclEntry {
                permit: true,
                protocol: None,
                src: net("10.1.0.0", 16),
                src_port: PortMatch::Any,
                dst: net("10.2.0.0", 16),
                dst_port: PortMatch::Any,
                origin: o(110, "permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255"),
            }],
        },
    );
    c.crypto_maps.push(CryptoMapEntry {
        map: "VPN".into(),
        seq: 20,
        dynamic_ref: None,
        peers: vec![ip("192.0.2.7")],
        acl: Some("B".into()),
        transform_sets: vec!["TS".into()],
        pfs: None,
        lifetime: None,
        origin: o(111, "crypto map VPN 20 ipsec-isakmp"),
    });
    assert!(codes(&c).contains(&Code::CryptoAclOverlap));
}

#[test]
fn remote_network_routed_out_of_the_inside_interface() {
    let mut c = ios();
    c.routes.push(Route {
        network: ip("10.2.2.0"),
        mask: ip("255.255.255.0"),
        next_hop: Some(ip("10.1.1.254")),
        interface: None,
        origin: o(91, "ip route 10.2.2.0 255.255.255.0 10.1.1.254"),
    });
    assert!(codes(&c).contains(&Code::RouteMissing));
}

#[test]
fn mask_typed_as_wildcard_in_a_crypto_acl() {
    let mut c = ios();
    c.acls.get_mut("VPN-ACL").unwrap().entries[0].src =
        AddrMatch::from_wildcard(ip("10.1.1.0"), ip("255.255.255.0"));
    assert!(codes(&c).contains(&Code::CryptoAclInvalid));
}

#[test]
fn weak_algorithms_and_unclamped_mss() {
    let mut c = ios();
    c.ike_policies[0].encryption = IkeEncryption::TripleDes;
    c.ike_policies[0].group = 2;
    c.interfaces[1].adjust_mss = None;
    let got = codes(&c);
    assert!(
        got.contains(&Code::WeakCrypto) && got.contains(&Code::MtuFragmentation),
        "{got:?}"
    );
    let f = check(&c)
        .into_iter()
        .find(|f| f.code == Code::MtuFragmentation)
        .unwrap();
    assert!(
        f.fixes[0]
            .commands
            .iter()
            .any(|l| l.contains("ip tcp adjust-mss 1384")),
        "{:?}",
        f.fixes
    );
}

#[test]
fn an_mss_clamp_on_the_crypto_interface_counts_and_one_set_too_high_is_named() {
    // A PPPoE branch: the clamp sits on the dialer that carries the map.
    let mut c = ios();
    c.interfaces[1].adjust_mss = None;
    c.interfaces[0].adjust_mss = Some(1360);
    assert!(!codes(&c).contains(&Code::MtuFragmentation));
    // The usual PPPoE value, 1452, leaves no room for ESP.
    c.interfaces[0].adjust_mss = Some(1452);
    let f = check(&c)
        .into_iter()
        .find(|f| f.code == Code::MtuFragmentation)
        .unwrap();
    assert!(
        f.title.contains("too high") && f.title.contains("1452 > 1384"),
        "{}",
        f.title
    );
    assert!(
        f.explanation.contains("1452 on outside0"),
        "{}",
        f.explanation
    );
    assert_eq!(
        f.fixes[0].commands,
        ["interface outside0", " ip tcp adjust-mss 1384"]
    );
}

#[test]
fn pix_without_sysopt_drops_decrypted_traffic() {
    let mut c = site(
        "P",
        Platform::Pix,
        "198.51.100.1",
        "10.1.1.0",
        "203.0.113.1",
        "10.2.2.0",
    );
    c.sysopt_permit_ipsec = Some(false);
    assert!(codes(&c).contains(&Code::SysoptPermitIpsecMissing));
}
