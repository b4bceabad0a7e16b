//! One crypto map applied to several interfaces: IOS negotiates from the
//! interface packets to the peer leave by, and an interface without an
//! address (Batfish's `ios-crypto-map` applies its map to one) does not
//! hide the one that has one.

use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::Code;
use std::path::Path;

/// IOS-XE 17 hub: map VPN on both uplinks; the branch is reached over
/// the second (a host route), and the branch knows the hub by that address.
const HQ: &str = "hostname HQ
interface GigabitEthernet1
 ip address 198.51.100.1 255.255.255.0
 crypto map VPN
interface GigabitEthernet2
 ip address 203.0.113.1 255.255.255.0
 crypto map VPN
interface GigabitEthernet3
 ip address 10.1.0.1 255.255.0.0
crypto isakmp policy 10
 encryption aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key UplinkKey77 address 192.0.2.2
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
ip access-list extended VPN-ACL
 10 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
crypto map VPN 10 ipsec-isakmp
 set peer 192.0.2.2
 set transform-set TS
 match address VPN-ACL
ip route 0.0.0.0 0.0.0.0 198.51.100.254
ip route 192.0.2.2 255.255.255.255 203.0.113.254
ip route 10.2.0.0 255.255.0.0 203.0.113.254
";

/// IOS 12.4 branch.
const BR: &str = "hostname BR
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key UplinkKey77 address 203.0.113.1
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
crypto map VPN 10 ipsec-isakmp
 set peer 203.0.113.1
 set transform-set TS
 match address 101
interface FastEthernet0/0
 ip address 192.0.2.2 255.255.255.0
 crypto map VPN
interface FastEthernet0/1
 ip address 10.2.0.1 255.255.0.0
access-list 101 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255
ip route 0.0.0.0 0.0.0.0 192.0.2.254
";

fn outcomes(configs: &[DeviceConfig]) -> Vec<ipsec_doctor_sim::Outcome> {
    ipsec_doctor_sim::simulate(configs)
        .into_iter()
        .flat_map(|t| [Some(t.forward), t.reverse])
        .flatten()
        .collect()
}

#[test]
fn the_hub_negotiates_from_the_uplink_that_faces_the_branch() {
    let configs = vec![
        ipsec_doctor_config::parse("hq.cfg", HQ),
        ipsec_doctor_config::parse("br.cfg", BR),
    ];
    let all = outcomes(&configs);
    let from_hq = all.iter().find(|o| o.initiator == 0).unwrap();
    assert_eq!(
        from_hq.initiator_addr,
        Some("203.0.113.1".parse().unwrap()),
        "{}",
        from_hq.detail
    );
    for o in &all {
        assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    }
    // The protected network is routed out of GigabitEthernet2, which also
    // carries the map: no route finding.
    let f = ipsec_doctor_sim::check(&configs[0]);
    assert!(
        !f.iter().any(|x| x.code == Code::RouteMissing),
        "{:?}",
        f.iter().map(|x| &x.title).collect::<Vec<_>>()
    );
}

#[test]
fn an_interface_without_an_address_carrying_the_map_does_not_hide_the_other() {
    // Batfish's ios-crypto-map with the address-less interface first.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/batfish/testconfigs/ios-crypto-map"),
    )
    .unwrap();
    let te0 = "interface TenGigabitEthernet0/0\n ip address 2.3.4.6 255.255.255.0\n crypto map mymap\n!\n";
    assert!(text.contains(te0));
    let swapped = text.replace(te0, "") + "!\n" + te0;
    let c = ipsec_doctor_config::parse("ios-crypto-map", &swapped);
    assert_eq!(
        c.interfaces.first().map(|i| i.name.as_str()),
        Some("TenGigabitEthernet0/1")
    );
    let f = ipsec_doctor_sim::fleet(&[c], Vec::new());
    for r in &f.tunnels {
        assert_eq!(r.address.as_deref(), Some("2.3.4.6"), "{r:?}");
        assert_eq!(r.status, "peer-config-missing", "{r:?}");
    }
}

#[test]
fn a_peer_whose_configuration_was_not_given_is_not_a_failure() {
    // IOS 12.4 branch alone: its hub is not among the inputs.
    let configs = vec![ipsec_doctor_config::parse("br.cfg", BR)];
    let r = ipsec_doctor_sim::simulate(&configs);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    let f = findings
        .iter()
        .find(|f| f.code == Code::PeerUnreachable)
        .unwrap();
    assert_eq!(f.severity, ipsec_doctor_model::Severity::Warning);
    assert!(f.confidence < 0.5);
    assert!(
        f.title.contains("not among the configurations given"),
        "{}",
        f.title
    );
    // With the hub given, an unreachable hub stays an error: HQ's address
    // facing the branch is not the one the branch names.
    let br = BR.replace("203.0.113.1", "198.51.100.1");
    let configs = vec![
        ipsec_doctor_config::parse("hq.cfg", HQ),
        ipsec_doctor_config::parse("br.cfg", &br),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    assert!(
        findings
            .iter()
            .any(|f| f.severity == ipsec_doctor_model::Severity::Error),
        "{:?}",
        findings
            .iter()
            .map(|f| (&f.code, &f.title))
            .collect::<Vec<_>>()
    );
}
