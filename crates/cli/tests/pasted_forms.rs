//! Forms public configurations take that the running configuration does
//! not print, and a leftover crypto map: `interface Tunnel 7` typed with a
//! space, a wildcard key written `address 0.0.0.0` (no mask), a crypto map
//! left unapplied beside the tunnel that really protects the traffic.

use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::Code;
use std::net::Ipv4Addr;

fn outcomes(configs: &[DeviceConfig]) -> Vec<ipsec_doctor_sim::Outcome> {
    ipsec_doctor_sim::simulate(configs)
        .into_iter()
        .flat_map(|t| [Some(t.forward), t.reverse])
        .flatten()
        .collect()
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// IOS-XE IKEv1 VTI; the tunnel and its source typed with a space.
fn vti_end(name: &str, me: &str, other: &str) -> String {
    format!(
        "hostname {name}
interface GigabitEthernet2
 ip address {me} 255.255.255.0
crypto isakmp policy 30
 encryption aes 256
 hash sha384
 authentication pre-share
 group 20
crypto isakmp key Spaced-Out-4 address {other}
crypto ipsec transform-set TS-GCM esp-gcm 256
 mode tunnel
crypto ipsec profile PROT
 set transform-set TS-GCM
interface Tunnel 7
 ip address 169.254.7.1 255.255.255.252
 tunnel source gigabitethernet 2
 tunnel mode ipsec ipv4
 tunnel destination {other}
 tunnel protection ipsec profile PROT
"
    )
}

#[test]
fn interfaces_typed_with_a_space_are_the_joined_interface() {
    let a = ipsec_doctor_config::parse("a.cfg", &vti_end("EAST", "198.51.100.7", "203.0.113.70"));
    let b = ipsec_doctor_config::parse("b.cfg", &vti_end("WEST", "203.0.113.70", "198.51.100.7"));
    assert_eq!(a.skipped, 0);
    assert!(
        a.interfaces.iter().any(|i| i.name == "Tunnel7"),
        "{:?}",
        a.interfaces
    );
    assert_eq!(a.vtis.len(), 1);
    assert_eq!(a.vtis[0].tunnel, "Tunnel7");
    let all = outcomes(&[a, b]);
    assert_eq!(all.len(), 2);
    for o in &all {
        assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    }
    // ASA: `interface GigabitEthernet 0/3`.
    let asa = ipsec_doctor_config::parse(
        "fw.cfg",
        "ASA Version 9.12(4)\nhostname fw\ninterface GigabitEthernet 0/3\n nameif outside\n security-level 0\n ip address 192.0.2.5 255.255.255.0\n",
    );
    let i = asa.interface("outside").unwrap();
    assert_eq!(i.name, "GigabitEthernet0/3");
}

#[test]
fn a_key_for_address_0_0_0_0_without_a_mask_is_the_wildcard() {
    let hub = "hostname HUB
interface GigabitEthernet0/0
 ip address 192.0.2.10 255.255.255.0
crypto isakmp policy 10
 encr aes
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key Any-Branch-1 address 0.0.0.0
crypto keyring BRANCH-RING
  pre-shared-key address 0.0.0.0 key Any-Branch-1
crypto ipsec transform-set TS esp-aes esp-sha256-hmac
crypto dynamic-map BRANCHES 10
 set transform-set TS
crypto map WAN 100 ipsec-isakmp dynamic BRANCHES
interface GigabitEthernet0/0
 crypto map WAN
";
    let branch = "hostname BR3
interface FastEthernet4
 ip address 198.18.3.2 255.255.255.0
 crypto map WAN
crypto isakmp policy 10
 encr aes
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key Any-Branch-1 address 192.0.2.10
crypto ipsec transform-set TS esp-aes esp-sha256-hmac
access-list 110 permit ip 10.3.0.0 0.0.255.255 10.0.0.0 0.0.255.255
crypto map WAN 10 ipsec-isakmp
 set peer 192.0.2.10
 set transform-set TS
 match address 110
";
    let h = ipsec_doctor_config::parse("hub.cfg", hub);
    for k in &h.keys {
        assert_eq!(
            (k.address, k.mask),
            (Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED)
        );
    }
    assert_eq!(h.keys.len(), 2);
    // A host key keeps its host mask.
    let b = ipsec_doctor_config::parse("br.cfg", branch);
    assert_eq!(b.keys[0].mask, ip("255.255.255.255"));
    let all = outcomes(&[h, b]);
    assert!(!all.is_empty());
    for o in &all {
        assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    }
}

/// GRE over IPsec protected by `tunnel protection`; the crypto map that
/// protected the GRE before is still configured but applied nowhere.
fn gre_end(name: &str, me: &str, other: &str) -> String {
    format!(
        "hostname {name}
interface Loopback9
 ip address {me} 255.255.255.255
crypto isakmp policy 7
 encr aes 192
 hash sha256
 authentication pre-share
 group 15
crypto isakmp key Left-Over-3 address {other}
crypto ipsec transform-set GRE-TS esp-aes 192 esp-sha256-hmac
 mode transport
crypto ipsec profile GRE-PROT
 set transform-set GRE-TS
crypto map OLD-MAP 20 ipsec-isakmp
 set peer {other}
 set transform-set GRE-TS
 match address GRE-ONLY
ip access-list extended GRE-ONLY
 permit gre host {me} host {other}
interface Tunnel40
 ip address 10.255.40.1 255.255.255.252
 tunnel source Loopback9
 tunnel destination {other}
 tunnel protection ipsec profile GRE-PROT
"
    )
}

#[test]
fn an_unapplied_map_beside_tunnel_protection_is_not_the_tunnel() {
    let a = ipsec_doctor_config::parse("a.cfg", &gre_end("NORTH", "100.64.1.1", "100.64.2.2"));
    let b = ipsec_doctor_config::parse("b.cfg", &gre_end("SOUTH", "100.64.2.2", "100.64.1.1"));
    let all = outcomes(&[a.clone(), b]);
    assert_eq!(all.len(), 2);
    for o in &all {
        assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    }
    // With nothing else toward the peer, the unapplied map is still the
    // finding it was.
    let mut only_map = a;
    only_map.vtis.clear();
    only_map.crypto_maps.retain(|e| e.map == "OLD-MAP");
    let b = ipsec_doctor_config::parse("b.cfg", &gre_end("SOUTH", "100.64.2.2", "100.64.1.1"));
    let all = outcomes(&[only_map, b]);
    let from_north = all.iter().find(|o| o.initiator == 0).unwrap();
    assert_eq!(
        from_north.code,
        Code::CryptoMapMissing,
        "{}",
        from_north.detail
    );
}
