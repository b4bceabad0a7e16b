//! IOS keyrings bound to a local address (`crypto keyring K` /
//! `local-address IF|A`): their keys answer only IKE terminated on that
//! address. The Batfish networks use the address spelling
//! (`tests/data/batfish`); these hand-written cases use the interface
//! spelling (IOS-XE 16 hub) against an IOS 12.4 branch with a global key.

mod common;

use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::Code;
use std::path::Path;

const SECRETS: [&str; 2] = ["AlphaRingKey1", "BetaRingKey2"];

fn text(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/keyring")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// The HQ–BR tunnel with `initiator` starting: outcome, fix device and
/// commands.
fn sim(hq: &str, br: &str, initiator: &str) -> (ipsec_doctor_sim::Outcome, String, Vec<String>) {
    let configs: Vec<DeviceConfig> = vec![
        ipsec_doctor_config::parse("hq.cfg", hq),
        ipsec_doctor_config::parse("br.cfg", br),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let o = r
        .iter()
        .flat_map(|t| [Some(t.forward.clone()), t.reverse.clone()])
        .flatten()
        .find(|o| configs[o.initiator].name() == initiator && o.responder.is_some())
        .unwrap();
    let (dev, cmds) = common::fix_of(&configs, &o);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    let all = format!("{findings:?}{cmds:?}{}", o.detail);
    for s in SECRETS {
        assert!(!all.contains(s), "key leaked");
    }
    (o, dev, cmds)
}

#[test]
fn the_keyring_bound_to_the_interface_facing_the_peer_is_the_one_used() {
    let hq = ipsec_doctor_config::parse("hq.cfg", &text("hq-xe16.cfg"));
    assert_eq!(hq.skipped, 0);
    assert_eq!(
        hq.keyring_local_address.get("ISP-A").map(String::as_str),
        Some("GigabitEthernet1")
    );
    let [a, b] = hq.keys.as_slice() else {
        panic!("{:?}", hq.keys)
    };
    let own = "198.51.100.1".parse().unwrap();
    assert!(hq.key_serves(a, own));
    assert!(!hq.key_serves(b, own));
    // Both keyrings hold a wildcard key; only ISP-A's serves IKE on
    // GigabitEthernet1, and it is the branch's key.
    for init in ["HQ", "BR"] {
        let (o, _, _) = sim(&text("hq-xe16.cfg"), &text("br-124.cfg"), init);
        assert_eq!(o.code, Code::TunnelUp, "{init}: {}", o.detail);
    }
}

#[test]
fn a_key_only_in_a_keyring_bound_elsewhere_is_missing() {
    // ISP-A's keyring bound to the other uplink: no key serves IKE on
    // GigabitEthernet1.
    let hq = text("hq-xe16.cfg").replace(
        " local-address GigabitEthernet1",
        " local-address GigabitEthernet2",
    );
    let (o, dev, cmds) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(
        o.detail.contains("keyring") && o.detail.contains("local-address GigabitEthernet2"),
        "{}",
        o.detail
    );
    // The fix does not put the key in a keyring that would not be used.
    assert_eq!(dev, "HQ");
    assert_eq!(
        cmds,
        ["crypto isakmp key <pre-shared-key> address 192.0.2.2"],
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));

    // Bound by address (the Batfish spelling) to an address HQ does not
    // negotiate from: same outcome from HQ's side.
    let hq = text("hq-xe16.cfg").replace(
        " local-address GigabitEthernet1",
        " local-address 203.0.113.1",
    );
    let (o, _, _) = sim(&hq, &text("br-124.cfg"), "HQ");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(o.detail.contains("203.0.113.1"), "{}", o.detail);
}

#[test]
fn an_unbound_keyring_and_a_fragment_keep_serving_every_address() {
    // Without `local-address` the keyring serves every address.
    let hq = text("hq-xe16.cfg")
        .replace(" local-address GigabitEthernet1\n", "")
        .replace(" local-address GigabitEthernet2\n", "")
        .replace("key BetaRingKey2", "key AlphaRingKey1");
    let (o, _, _) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    // A keyring bound to an interface the text does not define: taken as
    // serving (a fragment cannot tell).
    let hq = text("hq-xe16.cfg").replace(
        " local-address GigabitEthernet1",
        " local-address Loopback99",
    );
    let (o, _, _) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
}

#[test]
fn an_entry_bound_to_an_isakmp_profile_uses_only_the_profile_keyring() {
    let hq = ipsec_doctor_config::parse("hq.cfg", &text("hq-profile-154.cfg"));
    assert_eq!(hq.skipped, 0);
    let (p, _) = hq.entry_isakmp_profile("VPN", 10).unwrap();
    assert_eq!(p.keyrings, ["BRANCHES"]);
    assert_eq!(
        p.match_addresses,
        [(
            "192.0.2.2".parse().unwrap(),
            "255.255.255.255".parse().unwrap()
        )]
    );
    // The global key for the branch is another one; the profile's keyring
    // holds the branch's key, and HQ initiates with that one.
    let (o, _, _) = sim(&text("hq-profile-154.cfg"), &text("br-124.cfg"), "HQ");
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
}

#[test]
fn a_profile_keyring_without_the_peer_key_is_psk_missing_fixed_in_that_keyring() {
    // The profile's keyring has keys for other branches only; the global
    // key is right but IOS does not look there.
    let hq = text("hq-profile-154.cfg")
        .replace(
            " pre-shared-key address 192.0.2.2 key AlphaRingKey1",
            " pre-shared-key address 192.0.2.50 key BetaRingKey2",
        )
        .replace(
            "crypto isakmp key BetaRingKey2 address 192.0.2.2",
            "crypto isakmp key AlphaRingKey1 address 192.0.2.2",
        );
    let (o, dev, cmds) = sim(&hq, &text("br-124.cfg"), "HQ");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(o.detail.contains("BRANCH-PROF"), "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert_eq!(
        cmds,
        [
            "crypto keyring BRANCHES",
            " pre-shared-key address 192.0.2.2 key <pre-shared-key>"
        ]
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));

    // The same binding written in the IPsec profile of a VTI (IOS-XE
    // spelling): HQ's tunnel initiates under BRANCH-PROF too.
    let vti = hq
        .replace(" crypto map VPN\n", "")
        .replace(
            "crypto map VPN 10 ipsec-isakmp\n set peer 192.0.2.2\n set transform-set TS\n set isakmp-profile BRANCH-PROF\n match address VPN-ACL\n",
            "crypto ipsec profile VTI\n set transform-set TS\n set isakmp-profile BRANCH-PROF\n!\ninterface Tunnel0\n ip unnumbered GigabitEthernet0/1\n tunnel source GigabitEthernet0/0\n tunnel mode ipsec ipv4\n tunnel destination 192.0.2.2\n tunnel protection ipsec profile VTI\n",
        );
    let c = ipsec_doctor_config::parse("hq.cfg", &vti);
    let [v] = c.vtis.as_slice() else {
        panic!("{:?}", c.vtis)
    };
    let (p, _) = c.entry_isakmp_profile(&v.map, v.seq).unwrap();
    assert_eq!(p.name, "BRANCH-PROF");
    assert_eq!(c.skipped, 0);
    let (o, _, cmds) = sim(&vti, &text("br-124.cfg"), "HQ");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(o.detail.contains("tunnel Tunnel0"), "{}", o.detail);
    assert_eq!(
        cmds.first().map(String::as_str),
        Some("crypto keyring BRANCHES")
    );
}

#[test]
fn front_door_vrf_keys_come_from_the_vrf_keyring() {
    let hq = ipsec_doctor_config::parse("hq.cfg", &text("hq-fvrf-15.cfg"));
    assert_eq!(
        hq.keyring_vrf.get("INET-KEYS").map(String::as_str),
        Some("INET")
    );
    assert_eq!(
        hq.interface("GigabitEthernet0/0")
            .and_then(|i| i.vrf.as_deref()),
        Some("INET")
    );
    for init in ["HQ", "BR"] {
        let (o, _, _) = sim(&text("hq-fvrf-15.cfg"), &text("br-124.cfg"), init);
        assert_eq!(o.code, Code::TunnelUp, "{init}: {}", o.detail);
    }
}

#[test]
fn a_global_key_or_keyring_does_not_serve_a_front_door_vrf() {
    // The keyring without `vrf INET`: it serves the global table only.
    let hq = text("hq-fvrf-15.cfg").replace(
        "crypto keyring INET-KEYS vrf INET",
        "crypto keyring INET-KEYS",
    );
    let (o, dev, cmds) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(
        o.detail.contains("VRF INET") && o.detail.contains("global table"),
        "{}",
        o.detail
    );
    assert_eq!(dev, "HQ");
    assert_eq!(
        cmds,
        [
            "crypto keyring KEYRING-INET vrf INET",
            " pre-shared-key address 192.0.2.2 key <pre-shared-key>"
        ]
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));

    // Only a global key (IOS 12.4 habit) on a front-door VRF interface.
    let hq = text("hq-fvrf-15.cfg")
        .replace(
            "crypto keyring INET-KEYS vrf INET\n pre-shared-key address 192.0.2.2 key AlphaRingKey1\n",
            "crypto isakmp key AlphaRingKey1 address 192.0.2.2\n",
        )
        .replace(" keyring INET-KEYS\n", "");
    let (o, _, cmds) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::PskMissing, "{}", o.detail);
    assert!(o.detail.contains("crypto isakmp key"), "{}", o.detail);
    assert_eq!(
        cmds.first().map(String::as_str),
        Some("crypto keyring KEYRING-INET vrf INET")
    );
}

#[test]
fn a_wrong_key_in_a_vrf_keyring_is_fixed_in_that_keyring_with_its_vrf() {
    let hq = text("hq-fvrf-15.cfg").replace("key AlphaRingKey1", "key BetaRingKey2");
    let (o, dev, cmds) = sim(&hq, &text("br-124.cfg"), "BR");
    assert_eq!(o.code, Code::PskMismatch, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert_eq!(
        cmds,
        [
            "crypto keyring INET-KEYS vrf INET",
            " pre-shared-key address 192.0.2.2 key <pre-shared-key>"
        ]
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));
}
