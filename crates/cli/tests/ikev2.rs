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

/// The outcome with device `initiator` initiating, its fix commands and
/// the name of the device the fix is on.
fn sim_from(a: &str, b: &str, initiator: &str) -> (ipsec_doctor_sim::Outcome, Vec<String>, String) {
    let configs = vec![
        ipsec_doctor_config::parse("a.cfg", a),
        ipsec_doctor_config::parse("b.cfg", b),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r.len(), 1);
    let o = [Some(r[0].forward.clone()), r[0].reverse.clone()]
        .into_iter()
        .flatten()
        .find(|o| configs[o.initiator].name() == initiator)
        .unwrap();
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
    assert!(!format!("{findings:?}{cmds:?}").contains(KEY), "key leaked");
    (o, cmds, dev)
}

fn check_from(a: &str, b: &str, initiator: &str, code: Code, device: &str, command: &str) {
    let (o, cmds, dev) = sim_from(a, b, initiator);
    assert_eq!(o.code, code, "{}", o.detail);
    assert_eq!(dev, device, "{}", o.detail);
    assert!(cmds.iter().any(|c| c.contains(command)), "{cmds:?}");
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{} / {cmds:?}", o.detail);
}

#[test]
fn iosxe_pairs_and_asa_pairs_come_up_both_ways() {
    for (a, b) in [
        ("r1-iosxe.cfg", "hq-iosxe.cfg"),
        ("r1-asa.cfg", "hq-asa.cfg"),
        ("r1-asa.cfg", "hq-iosxe.cfg"),
    ] {
        let configs = vec![
            ipsec_doctor_config::parse("a.cfg", &text(a)),
            ipsec_doctor_config::parse("b.cfg", &text(b)),
        ];
        let r = ipsec_doctor_sim::simulate(&configs);
        assert_eq!(r.len(), 1, "{a}-{b}");
        assert_eq!(
            r[0].forward.code,
            Code::TunnelUp,
            "{a}-{b}: {}",
            r[0].forward.detail
        );
        assert_eq!(
            r[0].reverse.as_ref().map(|o| o.code),
            Some(Code::TunnelUp),
            "{a}-{b}"
        );
        assert!(r[0].forward.ikev2);
    }
}

#[test]
fn iosxe_responder_fixes() {
    let r1 = text("r1-iosxe.cfg");
    let hq = text("hq-iosxe.cfg");
    // IKE_SA_INIT: the proposal is added and named by the existing policy.
    let (o, cmds, _) = sim_from(&r1, &hq.replace(" group 14\n", " group 19\n"), "R1");
    assert!(
        cmds.contains(&"crypto ikev2 policy POL-1".to_string()),
        "{cmds:?}"
    );
    assert!(
        cmds.contains(&" encryption aes-cbc-256".to_string()),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp));
    check_from(
        &r1,
        &hq.replace(" group 14\n", " group 19\n"),
        "R1",
        Code::Phase1PolicyMismatch,
        "HQR",
        " proposal IKEV2-PROP-FIX",
    );
    // IKE_AUTH: the key is fixed in the keyring the profile uses.
    let wrong = hq.replace("pre-shared-key Ikev2SecretR1HQ", "pre-shared-key Other");
    check_from(
        &r1,
        &wrong,
        "R1",
        Code::PskMismatch,
        "HQR",
        "crypto ikev2 keyring KR",
    );
    // Direction-specific keys: remote right, local wrong.
    let split = hq.replace(
        "  pre-shared-key Ikev2SecretR1HQ",
        "  pre-shared-key local Other\n  pre-shared-key remote Ikev2SecretR1HQ",
    );
    let (o, cmds, dev) = sim_from(&r1, &split, "R1");
    assert_eq!(
        (o.code, dev.as_str()),
        (Code::PskMismatch, "HQR"),
        "{}",
        o.detail
    );
    assert!(
        cmds.iter().any(|c| c.contains("pre-shared-key")),
        "{cmds:?}"
    );
    // The keyring's existing peer block for R1 is the one changed.
    assert!(cmds.contains(&" peer R1".to_string()), "{cmds:?}");
    assert_eq!(o.after_fix, Some(Code::TunnelUp));
    // Child SA.
    let ts = hq.replace("esp-aes 256 esp-sha256-hmac", "esp-aes 192 esp-sha256-hmac");
    check_from(
        &r1,
        &ts,
        "R1",
        Code::TransformSetMismatch,
        "HQR",
        " set transform-set TS TS-IKEV2-FIX",
    );
    // IKE version: the entry has no `set ikev2-profile` but the profile exists.
    let v1 = hq.replace(" set ikev2-profile PROF\n", "");
    check_from(
        &r1,
        &v1,
        "R1",
        Code::Phase1PolicyMismatch,
        "HQR",
        " set ikev2-profile PROF",
    );
}

#[test]
fn iosxe_without_a_policy_uses_the_default_proposal() {
    let strip = |t: &str| t.replace("crypto ikev2 policy POL-1\n proposal PROP-1\n", "");
    let r1 = ipsec_doctor_config::parse("r1.cfg", &strip(&text("r1-iosxe.cfg")));
    assert!(r1.ikev2.default_proposal);
    // Both on defaults: they match.
    let (o, _, _) = sim_from(
        &strip(&text("r1-iosxe.cfg")),
        &strip(&text("hq-iosxe.cfg")),
        "R1",
    );
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    // Group 14 against the default (groups 5 and 2): a policy is added.
    check_from(
        &text("r1-iosxe.cfg"),
        &strip(&text("hq-iosxe.cfg")),
        "R1",
        Code::Phase1PolicyMismatch,
        "HQR",
        "crypto ikev2 policy IKEV2-POLICY",
    );
}

#[test]
fn asa_pair_failures() {
    let r1 = text("r1-asa.cfg");
    let hq = text("hq-asa.cfg");
    let no_remote = hq.replace(
        " ikev2 remote-authentication pre-shared-key Ikev2SecretR1HQ\n",
        "",
    );
    check_from(
        &r1,
        &no_remote,
        "R1A",
        Code::PskMissing,
        "HQ",
        "ikev2 remote-authentication pre-shared-key <peer's-pre-shared-key>",
    );
    let enc = hq.replace(
        "encryption aes-256\n integrity",
        "encryption 3des\n integrity",
    );
    check_from(
        &r1,
        &enc,
        "R1A",
        Code::Phase1PolicyMismatch,
        "HQ",
        "crypto ikev2 policy 20",
    );
    let (o, _, _) = sim_from(&r1, &enc, "R1A");
    assert!(o.title.unwrap().contains("encryption"));
}

#[test]
fn version_mismatch_without_ikev2_on_the_other_side_moves_back_to_ikev1() {
    let asa = text("hq-asa.cfg")
        .replace("crypto map CMAP 10 set ikev2 ipsec-proposal IPP", "crypto ipsec ikev1 transform-set T1 esp-aes-256 esp-sha256-hmac\ncrypto map CMAP 10 set ikev1 transform-set T1")
        .replace("crypto ipsec ikev2 ipsec-proposal IPP\n protocol esp encryption aes-256 aes\n protocol esp integrity sha-256 sha-1\n", "")
        .replace("crypto ikev2 policy 10\n encryption aes-256\n integrity sha256\n group 14\n prf sha256\n lifetime seconds 86400\n", "");
    let (o, cmds, dev) = sim(&text("r1-iosxe.cfg"), &asa);
    assert_eq!(o.code, Code::Phase1PolicyMismatch, "{}", o.detail);
    assert_eq!(dev, "R1");
    assert!(
        cmds.iter().any(|c| c == " no set ikev2-profile PROF"),
        "{cmds:?}"
    );
}

/// HQ with both an IKEv1 transform set and an IKEv2 IPsec proposal on its
/// entry (common on ASAs migrating to IKEv2).
fn dual_asa() -> String {
    text("hq-asa.cfg")
        .replace(
            "crypto map CMAP 10 set ikev2 ipsec-proposal IPP",
            "crypto ipsec ikev1 transform-set T1 esp-aes-256 esp-sha256-hmac\n\
             crypto map CMAP 10 set ikev1 transform-set T1\n\
             crypto map CMAP 10 set ikev2 ipsec-proposal IPP",
        )
        .replace(
            "crypto ikev2 enable outside",
            "crypto ikev2 enable outside\n\
             crypto ikev1 enable outside\n\
             crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash sha\n group 14\n lifetime 86400",
        )
        .replace(
            " ikev2 remote-authentication pre-shared-key Ikev2SecretR1HQ",
            " ikev1 pre-shared-key Ikev2SecretR1HQ\n ikev2 remote-authentication pre-shared-key Ikev2SecretR1HQ",
        )
}

/// R1 speaking IKEv1 only, with what HQ's IKEv1 side accepts.
fn ikev1_router(transform: &str) -> String {
    format!(
        "hostname R1\n!\ncrypto isakmp policy 10\n encryption aes 256\n hash sha\n authentication pre-share\n group 14\n!\n\
         crypto isakmp key Ikev2SecretR1HQ address 203.0.113.1\n!\n\
         crypto ipsec transform-set TS {transform}\n!\n\
         crypto map CMAP 10 ipsec-isakmp\n set peer 203.0.113.1\n set transform-set TS\n match address VPN\n!\n\
         interface GigabitEthernet1\n ip address 198.51.100.1 255.255.255.0\n crypto map CMAP\n!\n\
         interface GigabitEthernet2\n ip address 10.1.1.1 255.255.255.0\n!\n\
         ip access-list extended VPN\n permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255\n!\n\
         ip route 0.0.0.0 0.0.0.0 198.51.100.254\n"
    )
}

#[test]
fn an_asa_entry_with_both_versions_falls_back_to_ikev1() {
    // Against an IKEv1-only router: no version mismatch, IKEv1 both ways.
    let ios = ikev1_router("esp-aes 256 esp-sha256-hmac");
    let (o, _, _) = sim(&ios, &dual_asa());
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    assert!(!o.ikev2);
    let (o, _, _) = sim_from(&ios, &dual_asa(), "HQ");
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    assert!(!o.ikev2);
    // The IKEv1 side is what is checked: its transform set must match.
    let (o, _, _) = sim(&ikev1_router("esp-3des esp-md5-hmac"), &dual_asa());
    assert_eq!(o.code, Code::TransformSetMismatch, "{}", o.detail);
    // Against an IKEv2 router the same entry negotiates IKEv2.
    let (o, _, _) = sim(&text("r1-iosxe.cfg"), &dual_asa());
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    assert!(o.ikev2);
}

#[test]
fn pfs_on_one_end_only_is_a_rekey_warning_for_ikev2() {
    // HQ sets PFS, R1 does not: the first child SA (in IKE_AUTH) comes up,
    // the rekey (CREATE_CHILD_SA) would be refused.
    let asa = text("hq-asa.cfg").replace(
        "crypto map CMAP 10 set ikev2 ipsec-proposal IPP",
        "crypto map CMAP 10 set ikev2 ipsec-proposal IPP\ncrypto map CMAP 10 set pfs group14",
    );
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &text("r1-iosxe.cfg")),
        ipsec_doctor_config::parse("hq.cfg", &asa),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    assert_eq!(r[0].forward.code, Code::TunnelUp, "{}", r[0].forward.detail);
    let (rows, findings) = ipsec_doctor_sim::findings(&configs, &r);
    let w: Vec<_> = findings
        .iter()
        .filter(|f| f.code == Code::PfsMismatch)
        .collect();
    assert_eq!(w.len(), 1, "{findings:?}");
    assert_eq!(w[0].severity, ipsec_doctor_model::Severity::Warning);
    assert!(w[0].title.contains("rekeys will fail"), "{}", w[0].title);
    assert_eq!(w[0].fixes[0].device, "R1");
    assert_eq!(
        w[0].fixes[0].commands,
        ["crypto map CMAP 10 ipsec-isakmp", " set pfs group14"]
    );
    assert!(rows.iter().all(|row| row.status == Code::PfsMismatch));
    // The fleet table says so too, not "tunnel-up".
    let f = ipsec_doctor_sim::fleet(&configs, Vec::new());
    assert_eq!(f.tunnels.len(), 1);
    assert_eq!(f.tunnels[0].status, "pfs-mismatch");
    // The same PFS on both ends: no warning.
    let ios = text("r1-iosxe.cfg").replace(
        " set ikev2-profile PROF",
        " set ikev2-profile PROF\n set pfs group14",
    );
    let configs = vec![
        ipsec_doctor_config::parse("r1.cfg", &ios),
        ipsec_doctor_config::parse("hq.cfg", &asa),
    ];
    let r = ipsec_doctor_sim::simulate(&configs);
    let (_, findings) = ipsec_doctor_sim::findings(&configs, &r);
    assert!(
        findings.iter().all(|f| f.code == Code::TunnelUp),
        "{findings:?}"
    );
}

#[test]
fn a_missing_responder_entry_is_added_as_an_ikev2_entry() {
    // HQ applies CMAP but has no entry for R1: the entry the fix adds
    // must be IKEv2 (an IKEv1 entry would only trade this failure for
    // "IKE versions differ").
    let asa: String = text("hq-asa.cfg")
        .lines()
        .filter(|l| !l.starts_with("crypto map CMAP 10 "))
        .map(|l| format!("{l}\n"))
        .collect();
    let (o, cmds, dev) = sim(&text("r1-iosxe.cfg"), &asa);
    assert_eq!(o.code, Code::CryptoMapMissing, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert!(
        cmds.iter()
            .any(|c| c.ends_with("set ikev2 ipsec-proposal IPP")),
        "{cmds:?}"
    );
    assert!(!cmds.iter().any(|c| c.contains("ikev1")), "{cmds:?}");
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{} / {cmds:?}", o.detail);
}

/// HQ answering R1 through a dynamic map (no `set peer`), IKEv2.
fn dynamic_asa() -> String {
    text("hq-asa.cfg")
        .replace(
            "crypto map CMAP 10 match address VPN",
            "crypto dynamic-map DYN 10 match address VPN",
        )
        .replace("crypto map CMAP 10 set peer 198.51.100.1\n", "")
        .replace(
            "crypto map CMAP 10 set ikev2 ipsec-proposal IPP",
            "crypto dynamic-map DYN 10 set ikev2 ipsec-proposal IPP\ncrypto map CMAP 65535 ipsec-isakmp dynamic DYN",
        )
}

#[test]
fn ikev2_responder_with_a_dynamic_map() {
    let asa = dynamic_asa();
    assert!(asa.contains("crypto dynamic-map DYN 10 set ikev2"));
    // Read as IKEv2 (not "not simulated"), and up.
    assert!(ipsec_doctor_config::not_simulated(&asa).is_empty());
    let (o, _, _) = sim(&text("r1-iosxe.cfg"), &asa);
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    assert!(o.ikev2);
    // A child transform the dynamic entry lacks: fixed on the dynamic map,
    // in its own syntax, and proven.
    let ios = text("r1-iosxe.cfg").replace(
        "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",
        "crypto ipsec transform-set TS esp-3des esp-md5-hmac",
    );
    let (o, cmds, dev) = sim(&ios, &asa);
    assert_eq!(o.code, Code::TransformSetMismatch, "{}", o.detail);
    assert_eq!(dev, "HQ");
    assert!(
        cmds.iter()
            .any(|c| c.starts_with("crypto dynamic-map DYN 10 set ikev2 ipsec-proposal")),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.starts_with("crypto map DYN")),
        "{cmds:?}"
    );
    assert_eq!(o.after_fix, Some(Code::TunnelUp), "{cmds:?}");
    // An IKEv1-only router against the IKEv2-only dynamic entry.
    let (o, _, _) = sim(&ikev1_router("esp-aes 256 esp-sha256-hmac"), &asa);
    assert_eq!(o.code, Code::Phase1PolicyMismatch, "{}", o.detail);
    assert!(o.title.unwrap_or_default().contains("IKE versions differ"));
}

#[test]
fn certificate_authentication_is_not_judged_by_keys() {
    // R1 authenticates with a certificate and has no keyring: no
    // psk-missing / identity finding (certificates are not simulated, and
    // the input summary says so).
    let full = text("r1-iosxe.cfg");
    let start = full.find("crypto ikev2 keyring KR").unwrap();
    let end = start + full[start..].find("!\n").unwrap();
    let ios = format!("{}{}", &full[..start], &full[end..])
        .replace(
            " authentication local pre-share",
            " authentication local rsa-sig\n pki trustpoint TP",
        )
        .replace(" keyring local KR\n", "");
    assert!(!ios.contains(KEY));
    assert!(ipsec_doctor_config::not_simulated(&ios)
        .iter()
        .any(|n| n.what == "IKEv2 certificate/EAP authentication"));
    let (o, _, _) = sim(&ios, &text("hq-asa.cfg"));
    assert_ne!(o.code, Code::PskMissing, "{}", o.detail);
    assert_ne!(o.code, Code::PeerAddressMismatch, "{}", o.detail);
    assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
}
