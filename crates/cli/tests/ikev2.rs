//! IKEv2 site-to-site simulation from real IOS-XE 17 and ASA 9.x syntax:
//! each failure named with the fix on the right device, proven by
//! re-simulation; keys never printed.

use assert_cmd::Command;
use ipsec_doctor_model::Code;
use std::path::{Path, PathBuf};

const KEY: &str = "Ikev2SecretR1HQ";

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ikev2")
}

fn text(name: &str) -> String {
    std::fs::read_to_string(data().join(name)).unwrap()
}

/// Simulates R1 (IOS-XE) and HQ (ASA) after text edits; returns the
/// outcome with R1 initiating, and the fix commands.
fn sim(ios: &str, asa: &str) -> (ipsec_doctor_sim::Outcome, Vec<String>, String) {
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", ios),
        ipsec_doctor_config::parse("hq.cfg", asa),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r.len(), 1);
    let o = if configs[r[0].a].name() == "R1" {
        r[0].forward.clone()
    } else {
        r[0].reverse.clone().unwrap()
    };
    let cmds = o
        .fix
        .as_ref()
        .map(|f| f.commands(&configs))
        .unwrap_or_default();
    let dev = o
        .fix
        .as_ref()
        .map(|f| configs[f.device()].name().to_string())
        .unwrap_or_default();
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    let all = format!("{findings:?}{cmds:?}");
    assert!(!all.contains(KEY), "key leaked");
    (o, cmds, dev)
}

fn check(ios: &str, asa: &str, code: Code, device: &str, command: &str) {
    let (o, cmds, dev) = sim(ios, asa);
    assert_eq!(o.code, code, "{}", o.detail);
    assert_eq!(dev, device, "{}", o.detail);
    assert!(cmds.iter().any(|c| c.contains(command)), "{cmds:?}");
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{} / {cmds:?}", o.detail);
}

#[test]
fn parser_reads_ikev2_and_keeps_keys_secret() {
    let r1 = ipsec_doctor_config::parse("r1.cfg", &text("r1-iosxe.cfg"));
    assert_eq!(r1.skipped, 0);
    assert_eq!(r1.ikev2.proposals.len(), 1);
    assert!(!r1.ikev2.default_proposal);
    assert_eq!(r1.ikev2.keys.len(), 1);
    assert!(r1.ikev2.keys[0].local.is_some() && r1.ikev2.keys[0].local == r1.ikev2.keys[0].remote);
    assert_eq!(r1.ikev2.profiles[0].keyring.as_deref(), Some("KR"));
    assert_eq!(
        r1.ikev2
            .entry("CMAP", 10)
            .and_then(|e| e.profile.as_deref()),
        Some("PROF")
    );
    let hq = ipsec_doctor_config::parse("hq.cfg", &text("hq-asa.cfg"));
    assert_eq!(hq.skipped, 0);
    assert_eq!(hq.ikev2.proposals[0].groups, vec![14]);
    assert_eq!(
        hq.ikev2.ipsec_proposals["IPP"].encryption,
        vec!["esp-aes-256", "esp-aes"]
    );
    assert_eq!(
        hq.ikev2.ipsec_proposals["IPP"].integrity,
        vec!["esp-sha256-hmac", "esp-sha-hmac"]
    );
    assert_eq!(
        hq.ikev2.enabled.as_deref(),
        Some(&["outside".to_string()][..])
    );
    let json = serde_json::to_string(&(r1, hq)).unwrap();
    assert!(!json.contains(KEY));
}

#[test]
fn healthy_pair_is_up() {
    let (o, _, _) = sim(&text("r1-iosxe.cfg"), &text("hq-asa.cfg"));
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
}

#[test]
fn proposal_mismatch_is_fixed_on_the_responder() {
    let asa = text("hq-asa.cfg").replace(" group 14\n", " group 19\n");
    check(
        &text("r1-iosxe.cfg"),
        &asa,
        Code::Phase1PolicyMismatch,
        "HQ",
        " group 14",
    );
    let (o, _, _) = sim(&text("r1-iosxe.cfg"), &asa);
    assert!(o.title.unwrap().contains("DH group"));
}

#[test]
fn psk_mismatch_and_missing() {
    let asa = text("hq-asa.cfg").replacen(
        "remote-authentication pre-shared-key Ikev2SecretR1HQ",
        "remote-authentication pre-shared-key Other",
        1,
    );
    check(
        &text("r1-iosxe.cfg"),
        &asa,
        Code::PskMismatch,
        "HQ",
        "ikev2 remote-authentication pre-shared-key",
    );
    let asa = text("hq-asa.cfg").replace(
        " ikev2 local-authentication pre-shared-key Ikev2SecretR1HQ\n",
        "",
    );
    check(
        &text("r1-iosxe.cfg"),
        &asa,
        Code::PskMissing,
        "HQ",
        "ikev2 local-authentication",
    );
}

#[test]
fn identity_not_matched_by_the_profile() {
    // HQ initiates toward R1, whose profile matches another address.
    let ios = text("r1-iosxe.cfg").replace(
        "match identity remote address 203.0.113.1 255.255.255.255",
        "match identity remote address 203.0.113.9 255.255.255.255",
    );
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &ios),
        ipsec_doctor_config::parse("hq.cfg", &text("hq-asa.cfg")),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let o = [Some(r[0].forward.clone()), r[0].reverse.clone()]
        .into_iter()
        .flatten()
        .find(|o| configs[o.initiator].name() == "HQ")
        .unwrap();
    assert_eq!(o.code, Code::PeerAddressMismatch, "{}", o.detail);
    let f = o.fix.unwrap();
    assert_eq!(configs[f.device()].name(), "R1");
    assert!(f
        .commands(&configs)
        .iter()
        .any(|c| c.contains("match identity remote address 203.0.113.1")));
    assert_eq!(o.after_fix, Some(Code::TunnelUp));
}

#[test]
fn child_sa_transform_mismatch() {
    let asa = text("hq-asa.cfg").replace("encryption aes-256 aes\n", "encryption aes-192\n");
    check(
        &text("r1-iosxe.cfg"),
        &asa,
        Code::TransformSetMismatch,
        "HQ",
        "set ikev2 ipsec-proposal IPP IPSEC-PROP-FIX",
    );
}

#[test]
fn ike_versions_differ() {
    let asa = text("hq-asa.cfg").replace(
        "crypto map CMAP 10 set ikev2 ipsec-proposal IPP",
        "crypto ipsec ikev1 transform-set T1 esp-aes-256 esp-sha256-hmac\ncrypto map CMAP 10 set ikev1 transform-set T1",
    );
    let (o, cmds, dev) = sim(&text("r1-iosxe.cfg"), &asa);
    assert_eq!(o.code, Code::Phase1PolicyMismatch);
    assert!(o.title.unwrap().contains("IKE versions differ"));
    assert_eq!(dev, "HQ");
    assert!(
        cmds.iter()
            .any(|c| c == "crypto map CMAP 10 set ikev2 ipsec-proposal IPP"),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{}", o.detail);
}

#[test]
fn proxy_mismatch_is_reported_for_ikev2() {
    let asa = text("hq-asa.cfg").replace(
        "permit ip 10.2.2.0 255.255.255.0 10.1.1.0 255.255.255.0",
        "permit ip 10.2.2.0 255.255.255.0 10.1.9.0 255.255.255.0",
    );
    check(
        &text("r1-iosxe.cfg"),
        &asa,
        Code::ProxyIdMismatch,
        "HQ",
        "access-list VPN",
    );
}

#[test]
fn cli_names_the_cause_and_exits_one() {
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-ikev2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("r1.cfg"), text("r1-iosxe.cfg")).unwrap();
    std::fs::write(
        dir.join("hq.cfg"),
        text("hq-asa.cfg").replace(" group 14\n", " group 19\n"),
    )
    .unwrap();
    let out = Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .arg("simulate")
        .arg(dir.join("r1.cfg"))
        .arg(dir.join("hq.cfg"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(
        s.contains("phase1-policy-mismatch")
            && s.contains("Re-simulated with the fix applied: tunnel-up"),
        "{s}"
    );
    assert!(!s.contains(KEY));
    Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .arg("simulate")
        .arg(data().join("r1-iosxe.cfg"))
        .arg(data().join("hq-asa.cfg"))
        .assert()
        .code(0);
    let _ = std::fs::remove_dir_all(&dir);
}
