//! IOS tunnel protection (static VTI, GRE with `tunnel protection`):
//! negotiated as the crypto map entry each tunnel stands for, fixes written
//! on the IPsec profile or the tunnel interface, keys never printed.

mod common;

use ipsec_doctor_model::Code;
use std::path::Path;

const KEY: &str = "VtiSecretR1HQ";

fn text(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vti")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// Outcome with `initiator` starting, the fix's device and commands.
fn sim(r1: &str, hq: &str, initiator: &str) -> (ipsec_doctor_sim::Outcome, String, Vec<String>) {
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", r1),
        ipsec_doctor_config::parse("hq.cfg", hq),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r.len(), 1, "{r:?}");
    let o = [Some(r[0].forward.clone()), r[0].reverse.clone()]
        .into_iter()
        .flatten()
        .find(|o| configs[o.initiator].name() == initiator)
        .unwrap();
    let (dev, cmds) = common::fix_of(&configs, &o);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    assert!(!format!("{findings:?}{cmds:?}").contains(KEY), "key leaked");
    (o, dev, cmds)
}

#[test]
fn the_tunnel_is_read_as_its_crypto_map_entry() {
    let c = ipsec_doctor_config::parse("r1.cfg", &text("r1-vti.cfg"));
    assert_eq!(c.skipped, 0);
    let [v] = c.vtis.as_slice() else {
        panic!("{:?}", c.vtis)
    };
    assert_eq!(
        (v.tunnel.as_str(), v.profile.as_str(), v.ipsec_mode),
        ("Tunnel0", "VTI-PROF", true)
    );
    let e = c
        .crypto_maps
        .iter()
        .find(|e| e.map == v.map && e.seq == v.seq)
        .unwrap();
    assert_eq!(
        e.peers,
        ["203.0.113.1".parse::<std::net::Ipv4Addr>().unwrap()]
    );
    assert_eq!(e.transform_sets, ["TS"]);
    // Negotiated from the tunnel source's address.
    assert_eq!(
        c.interface("GigabitEthernet1")
            .unwrap()
            .crypto_map
            .as_deref(),
        Some("Tunnel0-head-0")
    );
    assert!(ipsec_doctor_config::not_simulated(&text("r1-vti.cfg")).is_empty());
}

#[test]
fn healthy_vti_pair_is_up_both_ways() {
    for init in ["R1", "HQ"] {
        let (o, _, _) = sim(&text("r1-vti.cfg"), &text("hq-vti.cfg"), init);
        assert_eq!(o.code, Code::TunnelUp, "{init}: {}", o.detail);
    }
    // No crypto-ACL, NAT or MTU findings about the any ↔ any selectors.
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &text("r1-vti.cfg")),
        ipsec_doctor_config::parse("hq.cfg", &text("hq-vti.cfg")),
    ];
    for c in &configs {
        let f = ipsec_doctor_sim::check(c);
        assert!(
            f.iter().all(|x| x.code == Code::WeakCrypto),
            "{:?}",
            f.iter().map(|x| &x.title).collect::<Vec<_>>()
        );
    }
}

#[test]
fn transform_and_pfs_fixes_go_to_the_ipsec_profile() {
    let hq = text("hq-vti.cfg").replace(
        "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",
        "crypto ipsec transform-set TS esp-3des esp-md5-hmac",
    );
    let (o, dev, cmds) = sim(&text("r1-vti.cfg"), &hq, "R1");
    assert_eq!(o.code, Code::TransformSetMismatch, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert!(
        cmds.contains(&"crypto ipsec profile VTI-PROF".to_string()),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.starts_with("crypto map")),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{cmds:?}");

    let hq = text("hq-vti.cfg").replace(
        " set transform-set TS",
        " set transform-set TS\n set pfs group14",
    );
    let (o, dev, cmds) = sim(&text("r1-vti.cfg"), &hq, "R1");
    assert_eq!(o.code, Code::PfsMismatch, "{}", o.detail);
    // The responder's setting is the one enforced.
    assert_eq!(dev, "HQ");
    assert_eq!(
        cmds.first().map(String::as_str),
        Some("crypto ipsec profile VTI-PROF"),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{cmds:?}");
}

#[test]
fn a_wrong_tunnel_destination_is_fixed_on_the_tunnel() {
    // R1 points its tunnel at the wrong address: HQ's negotiation reaches
    // R1, whose only entry names another peer.
    let r1 = text("r1-vti.cfg").replace(
        "tunnel destination 203.0.113.1",
        "tunnel destination 203.0.113.9",
    );
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &r1),
        ipsec_doctor_config::parse("hq.cfg", &text("hq-vti.cfg")),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let from_hq = r
        .iter()
        .flat_map(|t| [Some(&t.forward), t.reverse.as_ref()])
        .flatten()
        .find(|o| configs[o.initiator].name() == "HQ")
        .unwrap();
    assert_eq!(
        from_hq.code,
        Code::PeerAddressMismatch,
        "{}",
        from_hq.detail
    );
    let cmds = from_hq.fix.as_ref().unwrap().commands(&configs);
    assert_eq!(
        cmds,
        ["interface Tunnel0", " tunnel destination 203.0.113.1"]
    );
}

#[test]
fn a_vti_against_a_crypto_map_is_a_proxy_mismatch() {
    // HQ keeps a classic crypto map with a specific ACL: R1's VTI proposes
    // any ↔ any, which HQ's ACL read mirrored does not cover.
    let hq = "hostname HQ\n\
crypto isakmp policy 10\n encryption aes 256\n hash sha256\n authentication pre-share\n group 14\n\
crypto isakmp key VtiSecretR1HQ address 198.51.100.1\n\
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n mode tunnel\n\
crypto map CMAP 10 ipsec-isakmp\n set peer 198.51.100.1\n set transform-set TS\n match address VPN\n\
interface GigabitEthernet1\n ip address 203.0.113.1 255.255.255.0\n crypto map CMAP\n\
interface GigabitEthernet2\n ip address 10.2.2.1 255.255.255.0\n\
ip access-list extended VPN\n permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255\n\
ip route 0.0.0.0 0.0.0.0 203.0.113.254\n";
    let (o, dev, cmds) = sim(&text("r1-vti.cfg"), hq, "R1");
    assert_eq!(o.code, Code::ProxyIdMismatch, "{}", o.detail);
    assert_eq!(dev, "HQ");
    // Not `permit ip any any` in HQ's crypto ACL (that would encrypt all
    // of HQ's traffic to R1): the advice is to match the tunnel's kind.
    assert!(
        !cmds.iter().any(|c| c.contains("permit ip any any")),
        "{cmds:?}"
    );
    assert!(cmds.iter().any(|c| c.contains("tunnel")), "{cmds:?}");
}

/// The IOS-XE IKEv2 pair of `tests/data/ikev2`, its crypto map replaced by
/// a VTI whose IPsec profile names the IKEv2 profile.
fn ikev2_vti(file: &str, peer: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ikev2")
        .join(file);
    let t = std::fs::read_to_string(p).unwrap();
    let start = t.find("crypto map CMAP 10 ipsec-isakmp").unwrap();
    let end = t[start..].find("!\n").unwrap() + start;
    let t = format!(
        "{}crypto ipsec profile V2\n set transform-set TS\n set ikev2-profile PROF\n!\n\
         interface Tunnel0\n ip unnumbered GigabitEthernet2\n tunnel source GigabitEthernet1\n \
         tunnel mode ipsec ipv4\n tunnel destination {peer}\n tunnel protection ipsec profile V2\n{}",
        &t[..start],
        &t[end..]
    );
    t.replace(" crypto map CMAP\n", "\n")
}

#[test]
fn ikev2_vtis_negotiate_with_their_ikev2_profile() {
    let r1 = ikev2_vti("r1-iosxe.cfg", "203.0.113.1");
    let hq = ikev2_vti("hq-iosxe.cfg", "198.51.100.1");
    assert!(ipsec_doctor_config::not_simulated(&r1).is_empty(), "{r1}");
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &r1),
        ipsec_doctor_config::parse("hq.cfg", &hq),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].forward.code, Code::TunnelUp, "{}", r[0].forward.detail);
    assert!(r[0].forward.ikev2);
    // A wrong key on one end: found in IKE_AUTH, fixed in the keyring.
    let hq_bad = hq.replace(
        "pre-shared-key Ikev2SecretR1HQ",
        "pre-shared-key OtherSecret9",
    );
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &r1),
        ipsec_doctor_config::parse("hq.cfg", &hq_bad),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(
        r[0].forward.code,
        Code::PskMismatch,
        "{}",
        r[0].forward.detail
    );
}

/// HQ as an ASA 9.x with a VTI (IKEv2) towards R1.
fn asa_vti(pfs: &str) -> String {
    format!(
        "ASA Version 9.16(4)\n!\nhostname HQ\n!\n\
interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.1 255.255.255.0\n!\n\
interface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.2.2.1 255.255.255.0\n!\n\
interface Tunnel1\n nameif vti-r1\n ip address 169.254.10.2 255.255.255.252\n tunnel source interface outside\n \
tunnel destination 198.51.100.1\n tunnel mode ipsec ipv4\n tunnel protection ipsec profile VTI-PROF\n!\n\
route outside 0.0.0.0 0.0.0.0 203.0.113.254 1\n\
crypto ipsec ikev2 ipsec-proposal IPP\n protocol esp encryption aes-256\n protocol esp integrity sha-256\n\
crypto ipsec profile VTI-PROF\n set ikev2 ipsec-proposal IPP\n{pfs}\
crypto ikev2 policy 10\n encryption aes-256\n integrity sha256\n group 14\n prf sha256\n lifetime seconds 86400\n\
crypto ikev2 enable outside\n\
tunnel-group 198.51.100.1 type ipsec-l2l\n\
tunnel-group 198.51.100.1 ipsec-attributes\n ikev2 remote-authentication pre-shared-key Ikev2SecretR1HQ\n \
ikev2 local-authentication pre-shared-key Ikev2SecretR1HQ\n"
    )
}

#[test]
fn an_asa_vti_against_an_iosxe_vti() {
    let r1 = ikev2_vti("r1-iosxe.cfg", "203.0.113.1");
    let hq = asa_vti("");
    let c = ipsec_doctor_config::parse("hq.cfg", &hq);
    assert_eq!(c.skipped, 0, "{hq}");
    assert_eq!(c.vtis.len(), 1);
    assert!(ipsec_doctor_config::not_simulated(&hq).is_empty());
    let (o, _, _) = sim(&r1, &hq, "R1");
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    assert!(o.ikev2);
    // PFS on the ASA only: up, but a rekey warning; its fix goes on R1's
    // IPsec profile.
    let hq = asa_vti(" set pfs group14\n");
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &r1),
        ipsec_doctor_config::parse("hq.cfg", &hq),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    let w = findings
        .iter()
        .find(|f| f.code == Code::PfsMismatch)
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(w.fixes[0].device, "R1");
    assert_eq!(
        w.fixes[0].commands,
        ["crypto ipsec profile V2", " set pfs group14"]
    );
    // A child transform R1 lacks: fixed in the ASA's IPsec profile, in the
    // ASA's one-line form turned into the profile's block.
    let r1_3des = r1.replace(
        "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",
        "crypto ipsec transform-set TS esp-3des esp-md5-hmac",
    );
    let (o, dev, cmds) = sim(&r1_3des, &asa_vti(""), "R1");
    assert_eq!(o.code, Code::TransformSetMismatch, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert!(
        cmds.contains(&"crypto ipsec profile VTI-PROF".to_string()),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.starts_with("crypto map")),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{cmds:?}");
}

#[test]
fn a_hub_of_tunnels_without_one_for_the_caller_gets_a_tunnel() {
    // HQ has tunnels to two other branches, none to R1: R1's negotiation
    // finds no tunnel for it (not "the wrong peer" of another branch's
    // tunnel), and the fix is one more tunnel interface on HQ.
    let hq = text("hq-vti.cfg").replace(
        "interface Tunnel0\n",
        "interface Tunnel5\n ip address 172.16.5.1 255.255.255.252\n tunnel source GigabitEthernet1\n \
         tunnel mode ipsec ipv4\n tunnel destination 192.0.2.5\n tunnel protection ipsec profile VTI-PROF\n!\n\
         interface Tunnel0\n",
    )
    .replace("tunnel destination 198.51.100.1", "tunnel destination 192.0.2.6");
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &text("r1-vti.cfg")),
        ipsec_doctor_config::parse("hq.cfg", &hq),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    // R1's tunnel, and HQ's two to branches not given here.
    assert_eq!(r.len(), 3);
    let o = r
        .iter()
        .map(|t| &t.forward)
        .find(|o| configs[o.initiator].name() == "R1")
        .unwrap();
    let fix = o.fix.as_ref().unwrap();
    let (dev, cmds) = (configs[fix.device()].name(), fix.commands(&configs));
    assert!(!format!("{cmds:?}").contains(KEY));
    assert_eq!(o.code, Code::CryptoMapMissing, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert!(
        cmds.contains(&" tunnel destination 198.51.100.1".to_string()),
        "{cmds:?}"
    );
    assert!(
        cmds.contains(&" tunnel protection ipsec profile VTI-PROF".to_string()),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.starts_with("crypto map")),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{cmds:?}");
}
