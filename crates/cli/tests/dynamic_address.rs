//! Crypto maps on interfaces whose address is assigned at run time (IOS
//! `ip address dhcp` / `negotiated`, ASA `ip address dhcp|pppoe`, PIX `ip
//! address outside dhcp`): the branch negotiates from the address its peer
//! names for it, or from an unknown one that a wildcard key accepts; it is
//! never reported as a crypto map applied nowhere.

use ipsec_doctor_model::Code;
use std::path::Path;

fn config(name: &str) -> ipsec_doctor_model::config::DeviceConfig {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dynamic")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap();
    ipsec_doctor_config::parse(name, &text)
}

/// (initiator's name, code, initiator's address) for every negotiation.
fn outcomes(names: &[&str]) -> Vec<(String, Code, Option<String>)> {
    let configs: Vec<_> = names.iter().map(|n| config(n)).collect();
    outcomes_of(&configs)
}

/// [`outcomes`] of configurations already read.
fn outcomes_of(
    configs: &[ipsec_doctor_model::config::DeviceConfig],
) -> Vec<(String, Code, Option<String>)> {
    let r = ipsec_doctor_sim::simulate(configs);
    r.iter()
        .flat_map(|t| [Some(t.forward.clone()), t.reverse.clone()])
        .flatten()
        .map(|o| {
            (
                configs[o.initiator].name().to_string(),
                o.code,
                o.initiator_addr.map(|a| a.to_string()),
            )
        })
        .collect()
}

/// Both ends come up, each initiating from the address given.
fn both_up(names: &[&str], ends: [(&str, &str); 2]) {
    let want: Vec<(String, Code, Option<String>)> = ends
        .iter()
        .map(|(n, a)| (n.to_string(), Code::TunnelUp, Some(a.to_string())))
        .collect();
    assert_eq!(outcomes(names), want);
}

#[test]
fn a_pppoe_branch_takes_the_address_its_hub_names_both_ways() {
    both_up(
        &["br-pppoe-iosxe.cfg", "hq-asa-static.cfg"],
        [("BR-PPPOE", "203.0.113.66"), ("HQ-ASA", "198.51.100.20")],
    );
}

#[test]
fn two_pppoe_sites_pointing_at_each_other() {
    both_up(
        &["site-a-pppoe-ios15.cfg", "site-b-pppoe-ios15.cfg"],
        [("SITE-A", "203.0.113.101"), ("SITE-B", "203.0.113.201")],
    );
}

#[test]
fn dhcp_spokes_of_every_platform_reach_a_dynamic_map_hub() {
    for spoke in [
        "spoke-dhcp-ios124.cfg",
        "spoke-dhcp-asa.cfg",
        "spoke-dhcp-pix63.cfg",
    ] {
        let got = outcomes(&[spoke, "hub-dynamic-ios15.cfg"]);
        assert_eq!(got.len(), 1, "{spoke}: {got:?}");
        // No peer names the spoke's address: it stays unknown.
        assert_eq!(got[0].1, Code::TunnelUp, "{spoke}: {got:?}");
        assert_eq!(got[0].2, None, "{spoke}");
    }
}

#[test]
fn the_hub_without_a_wildcard_key_is_where_the_key_is_missing() {
    let spoke = config("spoke-dhcp-ios124.cfg");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dynamic/hub-dynamic-ios15.cfg"),
    )
    .unwrap()
    .replace(
        "crypto isakmp key HubWildKey7 address 0.0.0.0 0.0.0.0",
        "crypto isakmp key HubWildKey7 address 203.0.113.5",
    );
    let configs = vec![spoke, ipsec_doctor_config::parse("hub.cfg", &text)];
    let r = ipsec_doctor_sim::simulate(&configs);
    // One host key on the hub, for an address no configuration owns: the
    // spoke's address as the hub knows it.
    assert_eq!(r[0].forward.code, Code::TunnelUp, "{r:?}");
    assert_eq!(
        r[0].forward
            .initiator_addr
            .map(|a| a.to_string())
            .as_deref(),
        Some("203.0.113.5")
    );
}

#[test]
fn an_interface_without_any_address_still_has_no_crypto_map_in_use() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dynamic/spoke-dhcp-ios124.cfg"),
    )
    .unwrap()
    .replace(" ip address dhcp client-id FastEthernet0\n", "");
    let configs = vec![
        ipsec_doctor_config::parse("spoke.cfg", &text),
        config("hub-dynamic-ios15.cfg"),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r[0].forward.code, Code::CryptoMapMissing, "{r:?}");
}

#[test]
fn the_run_time_address_is_read_on_every_platform() {
    for (name, iface) in [
        ("br-pppoe-iosxe.cfg", "Dialer1"),
        ("spoke-dhcp-ios124.cfg", "FastEthernet0"),
        ("spoke-dhcp-asa.cfg", "outside"),
        ("spoke-dhcp-pix63.cfg", "outside"),
    ] {
        let c = config(name);
        let i = c.interface(iface).unwrap();
        assert!(i.dynamic_address && i.address.is_none(), "{name}: {i:?}");
    }
}

/// The fix for a hub that holds keys only for other, named addresses.
fn hub_fix(hub: &str) -> (Code, String, Vec<String>, Option<Code>) {
    let configs = vec![config("spoke-dhcp-ios124.cfg"), config(hub)];
    let r = ipsec_doctor_sim::simulate(&configs);
    let o = &r[0].forward;
    let fix = o.fix.as_ref().unwrap();
    (
        o.code,
        configs[fix.device()].name().to_string(),
        fix.commands(&configs),
        o.after_fix,
    )
}

#[test]
fn a_hub_with_host_keys_for_other_addresses_needs_a_wildcard_key() {
    // Two host keys for addresses no configuration owns: which one (if
    // any) is the spoke's cannot be told, so the spoke's address stays
    // unknown and only a wildcard key is sure to serve it.
    let (code, device, commands, after) = hub_fix("hub-dynamic-asa.cfg");
    assert_eq!(code, Code::PskMissing);
    assert_eq!(device, "HUB-ASA");
    assert_eq!(
        commands,
        vec![
            "tunnel-group DefaultL2LGroup ipsec-attributes".to_string(),
            " ikev1 pre-shared-key <pre-shared-key>".to_string(),
        ]
    );
    assert_eq!(after, Some(Code::TunnelUp));

    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dynamic/hub-dynamic-ios15.cfg"),
    )
    .unwrap()
    .replace(
        "crypto isakmp key HubWildKey7 address 0.0.0.0 0.0.0.0",
        "crypto isakmp key HubWildKey7 address 203.0.113.5\ncrypto isakmp key Other9 address 203.0.113.6",
    );
    let configs = vec![
        config("spoke-dhcp-ios124.cfg"),
        ipsec_doctor_config::parse("hub.cfg", &text),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let o = &r[0].forward;
    assert_eq!(o.code, Code::PskMissing, "{o:?}");
    assert!(o.detail.contains("at run time"), "{}", o.detail);
    let cmds = o.fix.as_ref().unwrap().commands(&configs);
    assert_eq!(
        cmds,
        vec!["crypto isakmp key <pre-shared-key> address 0.0.0.0 0.0.0.0".to_string()]
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));
}

#[test]
fn a_vti_sourced_from_a_pppoe_dialer_is_simulated() {
    both_up(
        &["br-vti-pppoe.cfg", "hq-vti-static.cfg"],
        [("BR-VTI", "198.51.100.77"), ("HQ-VTI", "203.0.113.1")],
    );
    // GRE over IPsec protects GRE from the source address: with a
    // run-time source it is not simulated (no entry stands for it).
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dynamic/br-vti-pppoe.cfg"),
    )
    .unwrap()
    .replace(" tunnel mode ipsec ipv4\n", "");
    let c = ipsec_doctor_config::parse("gre.cfg", &text);
    assert!(c.vtis.is_empty(), "{:?}", c.vtis);
}

/// An IOS 15 spoke on DHCP toward 192.0.2.10, protecting `lan`.
fn dhcp_spoke(name: &str, lan: &str) -> String {
    format!(
        "hostname {name}
crypto isakmp policy 10
 encr aes 256
 hash sha
 authentication pre-share
 group 5
crypto isakmp key HubWildKey7 address 192.0.2.10
crypto ipsec transform-set T1 esp-aes 256 esp-sha-hmac
crypto map CM 10 ipsec-isakmp
 set peer 192.0.2.10
 set transform-set T1
 match address 120
interface GigabitEthernet0/0
 ip address dhcp
 crypto map CM
interface GigabitEthernet0/1
 ip address {lan}.1 255.255.255.0
access-list 120 permit ip {lan}.0 0.0.0.255 10.0.0.0 0.255.255.255
"
    )
}

#[test]
fn a_static_hub_names_each_dhcp_spoke_by_the_entry_facing_its_acl() {
    let hub = "hostname HUB-STATIC
crypto isakmp policy 10
 encr aes 256
 hash sha
 authentication pre-share
 group 5
crypto isakmp key HubWildKey7 address 203.0.113.21
crypto isakmp key HubWildKey7 address 203.0.113.22
crypto ipsec transform-set T1 esp-aes 256 esp-sha-hmac
crypto map CM 10 ipsec-isakmp
 set peer 203.0.113.21
 set transform-set T1
 match address SPOKE-A
crypto map CM 20 ipsec-isakmp
 set peer 203.0.113.22
 set transform-set T1
 match address SPOKE-B
interface GigabitEthernet0/0
 ip address 192.0.2.10 255.255.255.0
 crypto map CM
ip access-list extended SPOKE-A
 permit ip 10.0.0.0 0.255.255.255 192.168.81.0 0.0.0.255
ip access-list extended SPOKE-B
 permit ip 10.0.0.0 0.255.255.255 192.168.82.0 0.0.0.255
";
    let configs = vec![
        ipsec_doctor_config::parse("hub.cfg", hub),
        ipsec_doctor_config::parse("a.cfg", &dhcp_spoke("SPOKE-A", "192.168.81")),
        ipsec_doctor_config::parse("b.cfg", &dhcp_spoke("SPOKE-B", "192.168.82")),
    ];
    let got = outcomes_of(&configs);
    for (spoke, addr) in [("SPOKE-A", "203.0.113.21"), ("SPOKE-B", "203.0.113.22")] {
        assert!(
            got.contains(&(spoke.to_string(), Code::TunnelUp, Some(addr.to_string()))),
            "{got:?}"
        );
    }
    assert!(got.iter().all(|(_, c, _)| *c == Code::TunnelUp), "{got:?}");
}
