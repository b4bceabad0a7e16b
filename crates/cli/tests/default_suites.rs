//! IOS 15 and later (IOS-XE too) with no `crypto isakmp policy` offer and
//! accept eight built-in suites (priorities 65507–65514: AES-128 or 3DES,
//! SHA-1 or MD5, RSA signatures or pre-shared keys, group 5 or 2); older
//! releases and configurations without a version line keep the one
//! DES / SHA-1 / RSA-signature / group 1 suite of the reference rules.

mod common;

use common::fix_of;
use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::Code;

/// An IOS branch with keys, a transform set and a map, but no ISAKMP
/// policy; `{VERSION}` and `{EXTRA}` are filled in by the tests.
const BRANCH: &str = "!
version {VERSION}
hostname BRANCH
{EXTRA}
crypto isakmp key Br4nchKey address 198.51.100.10
crypto ipsec transform-set TS esp-3des esp-sha-hmac
 mode tunnel
ip access-list extended TO-HQ
 permit ip 10.20.0.0 0.0.255.255 10.10.0.0 0.0.255.255
crypto map CM 10 ipsec-isakmp
 set peer 198.51.100.10
 set transform-set TS
 match address TO-HQ
interface GigabitEthernet0/0
 ip address 203.0.113.20 255.255.255.0
 crypto map CM
interface GigabitEthernet0/1
 ip address 10.20.0.1 255.255.0.0
ip route 0.0.0.0 0.0.0.0 203.0.113.1
";

/// An ASA 9 head-end whose one IKEv1 policy is `{POLICY}`.
const HQ: &str = "ASA Version 9.12(4)
hostname HQ
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.10 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.10.0.1 255.255.0.0
access-list TO-BRANCH extended permit ip 10.10.0.0 255.255.0.0 10.20.0.0 255.255.0.0
crypto ipsec ikev1 transform-set TS esp-3des esp-sha-hmac
crypto map OUT 10 match address TO-BRANCH
crypto map OUT 10 set peer 203.0.113.20
crypto map OUT 10 set ikev1 transform-set TS
crypto map OUT interface outside
crypto ikev1 enable outside
crypto ikev1 policy 10
{POLICY}
tunnel-group 203.0.113.20 type ipsec-l2l
tunnel-group 203.0.113.20 ipsec-attributes
 ikev1 pre-shared-key Br4nchKey
route outside 0.0.0.0 0.0.0.0 198.51.100.1 1
";

const HQ_3DES_SHA_G2: &str = " authentication pre-share
 encryption 3des
 hash sha
 group 2
 lifetime 86400";

const HQ_AES256_G14: &str = " authentication pre-share
 encryption aes-256
 hash sha
 group 14
 lifetime 86400";

fn configs(version: &str, extra: &str, policy: &str) -> Vec<DeviceConfig> {
    let branch = BRANCH
        .replace("{VERSION}", version)
        .replace("{EXTRA}", extra);
    vec![
        ipsec_doctor_config::parse("branch.cfg", &branch),
        ipsec_doctor_config::parse("hq.cfg", &HQ.replace("{POLICY}", policy)),
    ]
}

fn outcomes(configs: &[DeviceConfig]) -> Vec<ipsec_doctor_sim::Outcome> {
    ipsec_doctor_sim::simulate(configs)
        .into_iter()
        .flat_map(|t| [Some(t.forward), t.reverse])
        .flatten()
        .collect()
}

#[test]
fn the_version_line_is_kept() {
    let c = configs("15.7", "", HQ_3DES_SHA_G2);
    assert_eq!(c[0].software_version.as_deref(), Some("15.7"));
    assert_eq!(c[1].software_version.as_deref(), Some("9.12(4)"));
    assert_eq!(c[0].release(), Some((15, 7)));
}

#[test]
fn an_ios_15_router_without_policies_meets_a_3des_sha_group_2_peer_with_a_built_in_suite() {
    for version in ["15.4", "16.12", "17.9"] {
        let c = configs(version, "", HQ_3DES_SHA_G2);
        let all = outcomes(&c);
        assert_eq!(all.len(), 2, "{version}: both directions simulated");
        for o in &all {
            assert_eq!(o.code, Code::TunnelUp, "{version}: {}", o.detail);
        }
    }
}

#[test]
fn ios_12_and_configurations_without_a_version_keep_the_single_des_suite() {
    for version in ["12.4", ""] {
        let c = configs(version, "", HQ_3DES_SHA_G2);
        let all = outcomes(&c);
        assert!(!all.is_empty());
        for o in &all {
            assert_eq!(
                o.code,
                Code::Phase1PolicyMismatch,
                "{version:?}: {}",
                o.detail
            );
        }
    }
}

#[test]
fn a_configured_policy_replaces_the_built_in_suites() {
    // One configured policy (AES-256 / group 14) that the peer lacks: the
    // 3DES / group 2 suite no longer exists, so the peers do not agree.
    let policy = "crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n group 14";
    let c = configs("15.4", policy, HQ_3DES_SHA_G2);
    for o in outcomes(&c) {
        assert_eq!(o.code, Code::Phase1PolicyMismatch, "{}", o.detail);
    }
}

#[test]
fn no_crypto_isakmp_default_policy_leaves_nothing_to_offer() {
    let c = configs("15.4", "no crypto isakmp default policy", HQ_3DES_SHA_G2);
    let all = outcomes(&c);
    let from_branch = all.iter().find(|o| o.initiator == 0).unwrap();
    assert_eq!(from_branch.code, Code::Phase1PolicyMismatch);
    assert!(
        from_branch.detail.contains("no ISAKMP policy to offer"),
        "{}",
        from_branch.detail
    );
}

#[test]
fn a_router_with_only_built_in_suites_is_given_the_peers_policy() {
    let c = configs("15.4", "", HQ_AES256_G14);
    let all = outcomes(&c);
    assert_eq!(all.len(), 2);
    for o in &all {
        assert_eq!(o.code, Code::Phase1PolicyMismatch);
        assert!(
            o.detail.contains("built-in suites 65507-65514"),
            "{}",
            o.detail
        );
        // Whoever initiates, the router that configures no policy takes
        // the head-end's (not the head-end a weak built-in suite), and the
        // re-simulation agrees.
        let (device, commands) = fix_of(&c, o);
        assert_eq!(device, "BRANCH", "{}", o.initiator);
        let text = commands.join("\n");
        assert!(text.contains("crypto isakmp policy 10"), "{text}");
        assert!(
            text.contains("aes 256") && text.contains("group 14"),
            "{text}"
        );
        assert_eq!(o.after_fix, Some(Code::TunnelUp));
    }
}

#[test]
fn between_two_routers_the_one_without_policies_takes_the_others() {
    // An IOS-XE hub with one AES-256 / group 14 policy and the branch with
    // none: whichever initiates, the branch is given the hub's policy.
    let branch = BRANCH.replace("{VERSION}", "15.4").replace("{EXTRA}", "");
    let hub = BRANCH
        .replace("{VERSION}", "17.3")
        .replace(
            "{EXTRA}",
            "crypto isakmp policy 5\n encr aes 256\n authentication pre-share\n group 14",
        )
        .replace("hostname BRANCH", "hostname HUB")
        .replace("198.51.100.10", "203.0.113.99")
        .replace("203.0.113.20 255", "198.51.100.10 255")
        .replace("203.0.113.99", "203.0.113.20")
        .replace(
            "10.20.0.0 0.0.255.255 10.10.0.0",
            "10.10.0.0 0.0.255.255 10.20.0.0",
        )
        .replace("10.20.0.1", "10.10.0.1")
        .replace("0.0.0.0 203.0.113.1", "0.0.0.0 198.51.100.1");
    let c = vec![
        ipsec_doctor_config::parse("branch.cfg", &branch),
        ipsec_doctor_config::parse("hub.cfg", &hub),
    ];
    let all = outcomes(&c);
    let from_branch = all.iter().find(|o| o.initiator == 0).unwrap();
    assert_eq!(
        from_branch.code,
        Code::Phase1PolicyMismatch,
        "{}",
        from_branch.detail
    );
    let (device, commands) = fix_of(&c, from_branch);
    assert_eq!(
        device, "BRANCH",
        "the branch configures none: it takes the hub's"
    );
    assert!(commands.join("\n").contains("group 14"), "{commands:?}");
    let from_hub = all.iter().find(|o| o.initiator == 1).unwrap();
    assert_eq!(
        from_hub.code,
        Code::Phase1PolicyMismatch,
        "{}",
        from_hub.detail
    );
    let (device, commands) = fix_of(&c, from_hub);
    assert_eq!(device, "BRANCH");
    assert!(commands.join("\n").contains("group 14"), "{commands:?}");
}
