//! The command line as a user meets it: exit codes, formats, messages.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("ipsec-doctor").unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed")
}

#[test]
fn healthy_log_exits_zero() {
    bin()
        .arg("diagnose")
        .arg(examples().join("02-ios-debug-crypto-isakmp-healthy.log"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("tunnel-up"));
}

#[test]
fn problem_exits_one_and_names_the_code() {
    bin()
        .arg("diagnose")
        .arg(examples().join("11-no-cert-no-keys.log"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("psk-missing"));
}

#[test]
fn json_output_is_valid_and_carries_the_code() {
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(examples().join("04-replay-check-failed.log"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"][0]["code"], "replay-reordering");
    assert!(v["findings"][0]["evidence"][0]["line"].as_u64().unwrap() > 0);
    assert!(v["tunnels"].as_array().is_some());
}

#[test]
fn stdin_is_read_with_dash() {
    bin()
        .args(["diagnose", "-"])
        .write_stdin("Dec 04 2014 12:37:51: %ASA-3-713902: Group = 198.51.100.7, IP = 198.51.100.7, QM FSM error (P2 struct &0x00007fff33763a70, mess id 0x2c44baec)!\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("proxy-id-mismatch"));
}

#[test]
fn missing_file_exits_two_with_a_clear_message() {
    bin()
        .args(["diagnose", "/no/such/file.log"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read /no/such/file.log"));
}

#[test]
fn binary_input_exits_two() {
    let dir = tempdir();
    let p = dir.join("blob.bin");
    std::fs::write(&p, [0u8; 4096]).unwrap();
    bin()
        .arg("diagnose")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("binary"));
}

#[test]
fn bad_usage_exits_two() {
    bin().arg("diagnose").assert().code(2);
    bin().arg("frobnicate").assert().code(2);
}

#[test]
fn gzip_input_is_read_directly() {
    let dir = tempdir();
    let p = dir.join("log.gz");
    let f = std::fs::File::create(&p).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::default());
    gz.write_all(b"%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=2989 local=192.0.2.1 remote=198.51.100.7 spi=999CD43B\n").unwrap();
    gz.finish().unwrap();
    bin()
        .arg("diagnose")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("hmac-failure"));
}

#[test]
fn a_directory_is_read_file_by_file() {
    bin()
        .arg("diagnose")
        .arg("--brief")
        .arg(examples())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("crypto-engine-unsupported")
                .and(predicate::str::contains("invalid-local-address")),
        );
}

#[test]
fn secrets_typed_in_a_transcript_never_reach_the_output() {
    let text = "spoke1(config)#crypto isakmp key Sup3rS3cret address 203.0.113.1\nspoke1#\n*Oct 25 18:50:01.497: ISAKMP-ERROR: (0):No pre-shared key with 203.0.113.1!\n";
    for fmt in ["text", "json"] {
        bin()
            .args(["diagnose", "--format", fmt, "-"])
            .write_stdin(text)
            .assert()
            .stdout(predicate::str::contains("Sup3rS3cret").not());
    }
}

#[test]
fn explain_knows_messages_codes_and_states() {
    bin()
        .args([
            "explain",
            "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=#.",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("replay-reordering"));
    bin()
        .args(["explain", "psk-mismatch"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("pre-shared keys"));
    bin()
        .args(["explain", "MM_WAIT_MSG4"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("psk-missing"));
    bin()
        .args(["explain", "QM", "FSM", "error"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("proxy"));
    bin()
        .args(["explain", "zzzz nothing like this"])
        .assert()
        .code(2);
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "ipsec-doctor-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every secret seeded in the test configurations.
const SECRETS: &[&str] = &[
    "hx5rVt7rPNoS4wqbXKX7m0",
    "0822455D0A16",
    "Pub1icC0mm",
    "KeyRingS3cret",
    "IsakmpK3yValue",
    "Gr0upK3yValue",
    "Ena6lePassw0rd",
    "T3lnetPassw0rd",
    "AsaTunnelGr0upK3y",
    "AsaC0mmunity",
];

#[test]
fn no_output_format_carries_a_secret_from_a_configuration() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/secrets");
    let r1 = dir.join("r1.cfg");
    let asa = dir.join("asa.cfg");
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["diagnose".into(), r1.clone().into(), asa.clone().into()],
        vec![
            "diagnose".into(),
            "--format".into(),
            "json".into(),
            r1.clone().into(),
            asa.clone().into(),
        ],
        vec![
            "simulate".into(),
            "--trace".into(),
            r1.clone().into(),
            asa.clone().into(),
        ],
        vec![
            "simulate".into(),
            "--trace".into(),
            "--format".into(),
            "json".into(),
            r1.clone().into(),
            asa.clone().into(),
        ],
        vec!["parse".into(), r1.clone().into()],
        vec!["parse".into(), asa.clone().into()],
    ];
    for args in runs {
        let out = bin().args(&args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?} failed: {all}"
        );
        for s in SECRETS {
            assert!(!all.contains(s), "{args:?} leaked {s}");
        }
    }
}

#[test]
fn simulate_needs_configurations() {
    bin()
        .arg("simulate")
        .arg(examples().join("04-replay-check-failed.log"))
        .arg(examples().join("05-qm-fsm-error.log"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two or more configurations"));
}

#[test]
fn simulate_names_the_cause_and_proves_the_fix() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/configs");
    let out = bin()
        .args(["simulate", "--format", "json"])
        .arg(dir.join("branch-r1-ios.cfg"))
        .arg(dir.join("hq-asa1.cfg"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "pfs-mismatch");
    assert!(f["explanation"]
        .as_str()
        .unwrap()
        .contains("Re-simulated with the fix applied: tunnel-up"));
    assert_eq!(f["fixes"][0]["device"], "ASA1");
}

#[test]
fn a_console_log_opening_with_show_output_is_streamed_however_long() {
    // Show output first (so it sniffs as show), then more than the 64 MiB
    // read whole: the file is analysed as a log, not refused.
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-long-show-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("console.log");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "R1#show crypto isakmp sa\ndst             src             state          conn-id slot status\n203.0.113.1     192.0.2.1       MM_NO_STATE       1001    0 ACTIVE").unwrap();
    let filler = format!("{}\n", "x".repeat(4095));
    for _ in 0..(65 * 256) {
        f.write_all(filler.as_bytes()).unwrap();
    }
    writeln!(
        f,
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=5, sequence number=7"
    )
    .unwrap();
    drop(f);
    let out = bin()
        .args(["diagnose", "--brief"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("replay-reordering"));
    drop(out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn utf16_logs_from_windows_tools_are_read_as_text() {
    // PowerShell's Out-File writes UTF-16LE with a byte-order mark; some
    // tools write big-endian. Both read as the same log, also gzipped.
    let text = std::fs::read_to_string(examples().join("11-no-cert-no-keys.log")).unwrap();
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-utf16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut le = vec![0xff, 0xfe];
    let mut be = vec![0xfe, 0xff];
    // A character outside the BMP (a surrogate pair) must survive too.
    for u in format!("{text}\n! note 𝄞\n").encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&le).unwrap();
    let gz = gz.finish().unwrap();
    for (name, bytes) in [("le.log", &le), ("be.log", &be), ("le.log.gz", &gz)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        bin()
            .arg("diagnose")
            .arg(&path)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("psk-missing"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_gz_is_analysed_as_far_as_it_goes() {
    // A log rotated or copied while being written: the .gz ends early. What
    // it holds is diagnosed, and the summary says reading stopped.
    let mut log = String::new();
    for i in 0..4000 {
        log.push_str(&format!(
            "Oct  3 09:{:02}:{:02} edge-1 {i}: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=5, sequence number={i}\n",
            (i / 60) % 60,
            i % 60
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(log.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cut.log.gz");
    std::fs::write(&path, &gz[..gz.len() * 2 / 3]).unwrap();
    bin().arg("diagnose").arg(&path).assert().code(1).stdout(
        predicate::str::contains("replay-reordering")
            .and(predicate::str::contains("reading stopped early")),
    );
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["inputs"][0]["stopped"].is_string(), "{}", v["inputs"][0]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parse_prints_show_output_as_json_in_schema_order() {
    let show =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../show/tests/data/variants/asa-9.x.txt");
    let out = bin()
        .args(["parse", "--format", "json"])
        .arg(&show)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(!v["ipsec"].as_array().unwrap().is_empty());
    // Fields in the order crates/show/README.md documents them, not sorted.
    let at = |k: &str| text.find(&format!("\n  \"{k}\"")).unwrap();
    assert!(at("source") < at("device") && at("device") < at("sections"));
    assert!(at("sections") < at("isakmp_sas") && at("pings") < at("lines"));
    // The format option knows JSON only.
    bin()
        .args(["parse", "--format", "csv"])
        .arg(&show)
        .assert()
        .code(2);
}

#[test]
fn both_ends_show_output_names_the_end_that_drops_the_replies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/show");
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(&dir)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "one-way-traffic");
    assert_eq!(f["device"], "HQ-ASA");
    // Evidence is the exact lines, one line each (the log analyser's view
    // of the same files joins indented lines; the show parser's is kept).
    for finding in v["findings"].as_array().unwrap() {
        for e in finding["evidence"].as_array().unwrap() {
            let text = e["text"].as_str().unwrap();
            assert!(
                text.matches("#pkts").count() <= 3,
                "joined evidence line: {text}"
            );
        }
    }
    // One tunnel row per end, from the show parser.
    let tunnels = v["tunnels"].as_array().unwrap();
    assert_eq!(tunnels.len(), 2, "{tunnels:?}");
    assert!(tunnels.iter().any(|t| t["device"] == "HQ-ASA"
        && t["peer"] == "203.0.113.2"
        && t["status"] == "one-way-traffic"));
    // Plain show output: every line understood, as the show parser says.
    for i in v["inputs"].as_array().unwrap() {
        assert_eq!(i["kind"], "show");
        assert_eq!(i["skipped"], 0, "{i}");
    }
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "transform-set-mismatch"));
}

#[test]
fn an_asa_block_stuck_in_phase_1_is_reported_once_with_its_peer() {
    let text = "fw01# show crypto isakmp sa\n\n   Active SA: 1\n    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)\nTotal IKE SA: 1\n\n\
                1   IKE Peer: 198.51.100.74\n    Type    : L2L             Role    : initiator\n    Rekey   : no              State   : MM_WAIT_MSG4\n";
    let out = bin()
        .args(["diagnose", "--format", "json", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let psk: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "psk-missing")
        .collect();
    assert_eq!(psk.len(), 1, "{psk:?}");
    assert_eq!(psk[0]["peer"], "198.51.100.74");
    assert_eq!(psk[0]["device"], "fw01");
}

#[test]
fn ikev2_configuration_no_tunnel_uses_is_said_not_simulated() {
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-ikev2-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // IKEv2 for remote access only: no crypto map or IPsec profile uses it.
    let cfg = "ASA Version 9.16(4)\n!\nhostname R1\ncrypto ikev2 policy 10\n encryption aes-256\n integrity sha256\n group 14\n\
               crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n protocol esp integrity sha-256\n\
               crypto ikev2 enable outside client-services port 443\n\
               interface GigabitEthernet0/0\n nameif outside\n ip address 198.51.100.1 255.255.255.0\n!\nend\n";
    let path = dir.join("r1.cfg");
    std::fs::write(&path, cfg).unwrap();
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(&path)
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let note = v["inputs"][0]["not_simulated"].as_str().unwrap_or_default();
    assert_eq!(note, "IKEv2 (lines 4–11)");
    bin()
        .arg("diagnose")
        .arg(&path)
        .assert()
        .stdout(predicate::str::contains("not simulated: IKEv2"));
    // A fleet says how many configurations it could not simulate.
    let out = bin()
        .args(["fleet", "--format", "json"])
        .arg(&dir)
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let ns = v["not_simulated"].as_array().unwrap();
    assert_eq!(ns.len(), 1, "{ns:?}");
    assert!(
        ns[0]
            .as_str()
            .unwrap()
            .ends_with("r1.cfg: IKEv2 (lines 4–11)"),
        "{ns:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_key_kept_in_a_keyring_is_fixed_in_that_keyring() {
    let r1 = r#"hostname R1
!
crypto keyring KR
  pre-shared-key address 203.0.113.2 key Secr3t
!
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp profile PROF
   keyring KR
   match identity address 203.0.113.2 255.255.255.255
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
!
crypto map CMAP 10 ipsec-isakmp
 set peer 203.0.113.2
 set transform-set TS
 set isakmp-profile PROF
 match address VPN
!
interface GigabitEthernet1
 ip address 198.51.100.1 255.255.255.0
 crypto map CMAP
!
ip access-list extended VPN
 permit ip 192.168.1.0 0.0.0.255 192.168.2.0 0.0.0.255
!
ip route 0.0.0.0 0.0.0.0 198.51.100.254
end
"#;
    let r2 = r1
        .replace("hostname R1", "hostname R2")
        .replace("203.0.113.2", "PEER")
        .replace("198.51.100.1", "203.0.113.2")
        .replace("PEER", "198.51.100.1")
        .replace("198.51.100.254", "203.0.113.254")
        .replace(
            "permit ip 192.168.1.0 0.0.0.255 192.168.2.0 0.0.0.255",
            "permit ip 192.168.2.0 0.0.0.255 192.168.1.0 0.0.0.255",
        )
        .replace("key Secr3t", "key Other1");
    let dir = std::env::temp_dir().join(format!("ipsec-doctor-keyring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("r1.cfg"), r1).unwrap();
    std::fs::write(dir.join("r2.cfg"), r2).unwrap();
    let out = bin()
        .args(["simulate", "--format", "json"])
        .arg(dir.join("r1.cfg"))
        .arg(dir.join("r2.cfg"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "psk-mismatch");
    let cmds: Vec<&str> = f["fixes"][0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(cmds[0], "crypto keyring KR", "{cmds:?}");
    assert!(cmds[1].starts_with(" pre-shared-key address "), "{cmds:?}");
    // The keys themselves never appear.
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("Secr3t") && !text.contains("Other1"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_tunnel_in_show_output_is_one_row() {
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(examples().join("25-pix-show-ipsec-sa.log"))
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows: Vec<&serde_json::Value> = v["tunnels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["peer"] == "10.2.1.1")
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
}

#[test]
fn both_ends_policies_are_compared_with_fixes_on_the_right_router() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/policy");
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(&dir)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for i in v["inputs"].as_array().unwrap() {
        assert_eq!(i["kind"], "show", "{i}");
        assert_eq!(i["skipped"], 0, "{i}");
    }
    let findings = v["findings"].as_array().unwrap();
    let codes: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["device"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("proxy-id-mismatch", "HQ-CSR"),
            ("phase1-policy-mismatch", "BR-NYC")
        ]
    );
    // HQ lacks the mirror of the branch's second subnet.
    let fix = &findings[0]["fixes"][0];
    assert_eq!(fix["device"], "HQ-CSR");
    assert_eq!(
        fix["commands"],
        serde_json::json!([
            "ip access-list extended HQ-TO-NYC",
            " permit ip 10.0.0.0 0.0.255.255 10.41.0.0 0.0.0.255"
        ])
    );
    // Lifetimes 86400 / 28800: made equal on the existing policy.
    assert_eq!(
        findings[1]["fixes"][0]["commands"],
        serde_json::json!(["crypto isakmp policy 10", " lifetime 28800"])
    );
    let tunnels = v["tunnels"].as_array().unwrap();
    assert_eq!(tunnels.len(), 2, "{tunnels:?}");
}

#[test]
fn vti_example_comes_up_and_warns_of_the_rekey() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vti");
    let out = bin()
        .args(["diagnose", "--format", "json"])
        .arg(&dir)
        .assert()
        // A warning only: no failure.
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("Dal2DcSharedKey"), "key leaked");
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for i in v["inputs"].as_array().unwrap() {
        assert_eq!(i["kind"], "config", "{i}");
        assert_eq!(i["skipped"], 0, "{i}");
        assert!(i.get("not_simulated").is_none_or(|n| n.is_null()), "{i}");
    }
    let f = &v["findings"][0];
    assert_eq!(f["code"], "pfs-mismatch");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["fixes"][0]["device"], "BR-DAL");
    assert_eq!(
        f["fixes"][0]["commands"],
        serde_json::json!(["crypto ipsec profile VTI-DC", " set pfs group14"])
    );
}

#[test]
fn both_ends_keys_name_the_mismatch_and_never_print_a_key() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys");
    let out = bin()
        .arg("diagnose")
        .arg(dir.join("hq-csr.txt"))
        .arg(dir.join("br-40.txt"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("The pre-shared keys of the two ends differ (show crypto isakmp key)"),
        "{text}"
    );
    assert!(text.contains("crypto keyring SITES"), "{text}");
    for secret in ["Sites2026", "Other!Site"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[test]
fn an_ipv6_sa_read_as_show_and_as_log_is_one_row() {
    // IOS-XE `show crypto ipsec sa interface` (genieparser's capture) holds
    // one OSPFv3 SA to FF02::5: a routing protocol's multicast, no tunnel,
    // in either reading. With a unicast IPv6 peer in its place, the log
    // reading of the same text names the IPv6 peer too, so the two
    // readings are one tunnel.
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../show/tests/data/genie/iosxe_ShowCryptoIpsecSaInterface_golden_output.txt");
    let tunnels_of = |path: &Path| {
        let out = bin()
            .args(["diagnose", "--format", "json"])
            .arg(path)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["tunnels"].as_array().unwrap().clone()
    };
    assert_eq!(tunnels_of(&file), Vec::<serde_json::Value>::new());
    let dir = tempdir();
    let unicast = dir.join("unicast.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&unicast, text.replace("FF02::5", "2001:DB8:77::5")).unwrap();
    let tunnels = tunnels_of(&unicast);
    assert_eq!(tunnels.len(), 1, "{tunnels:#?}");
    assert_eq!(tunnels[0]["peer"], "2001:DB8:77::5");
}
