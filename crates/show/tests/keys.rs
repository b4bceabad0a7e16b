//! `show crypto isakmp key` from both ends: each end's key for the other
//! compared by salted digest, never printed; rows in the IOS 12.4 / 15
//! (`default` keyring) and IOS-XE keyring forms.

use ipsec_doctor_model::{Code, Finding};
use ipsec_doctor_show::{diagnose, parse, SectionKind};

const HQ: &str = "HQ-R1#show crypto isakmp sa
IPv4 Crypto ISAKMP SA
dst             src             state          conn-id status
198.51.100.2    203.0.113.6     MM_KEY_EXCH       1004 ACTIVE

HQ-R1#show crypto isakmp key
Keyring      Hostname/Address                            Preshared Key

default      203.0.113.6                                 Hq2Branch!Key
default      0.0.0.0        [0.0.0.0        ]            WildSpokes#1
";

const BRANCH: &str = "BR-7#sh cry isa key
Keyring      Hostname/Address                            Preshared Key

default      198.51.100.2                                Hq2Branch!Kez
BR-7#sh cry isa sa
IPv4 Crypto ISAKMP SA
dst             src             state          conn-id status
198.51.100.2    203.0.113.6     MM_KEY_EXCH       1001 ACTIVE
";

fn run(a: &str, b: &str) -> Vec<Finding> {
    diagnose(&[parse("hq.txt", a), parse("br.txt", b)])
}

fn errors(f: &[Finding]) -> Vec<(Code, Option<&str>, f32)> {
    f.iter()
        .filter(|x| x.severity == ipsec_doctor_model::Severity::Error)
        .map(|x| (x.code, x.device.as_deref(), x.confidence))
        .collect()
}

#[test]
fn rows_of_every_form_parse_and_keep_no_key() {
    let o = parse("hq.txt", HQ);
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert!(o.sections.iter().any(|s| s.kind == SectionKind::IsakmpKey));
    let peers: Vec<(&str, &str, Option<&str>)> = o
        .isakmp_keys
        .iter()
        .map(|k| (k.keyring.as_str(), k.peer.as_str(), k.mask.as_deref()))
        .collect();
    assert_eq!(
        peers,
        vec![
            ("default", "203.0.113.6", None),
            ("default", "0.0.0.0", Some("0.0.0.0")),
        ]
    );
    let json = serde_json::to_string(&o).unwrap();
    assert!(
        !json.contains("Hq2Branch") && !json.contains("WildSpokes"),
        "{json}"
    );
    // An IOS-XE keyring with a network key, without its banner.
    let xe = parse(
        "xe.txt",
        "Keyring      Hostname/Address                            Preshared Key\n\
         VPN-KR       192.0.2.0      [255.255.255.0  ]            NetKey-77\n",
    );
    assert_eq!(xe.isakmp_keys.len(), 1);
    assert_eq!(xe.isakmp_keys[0].keyring.as_str(), "VPN-KR");
    assert!(xe.isakmp_keys[0].covers("192.0.2.200".parse().unwrap()));
}

#[test]
fn keys_that_differ_are_a_key_mismatch_with_both_rows_and_no_key() {
    let f = run(HQ, BRANCH);
    let top = &f[0];
    assert_eq!(top.code, Code::PskMismatch, "{f:#?}");
    assert!(top.confidence >= 0.85, "{top:#?}");
    let rows: Vec<&str> = top.evidence.iter().map(|e| e.text.as_str()).collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("203.0.113.6") && r.contains("<redacted>")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("198.51.100.2") && r.contains("<redacted>")),
        "{rows:?}"
    );
    let all = format!("{f:?}");
    assert!(!all.contains("Hq2Branch") && !all.contains("WildSpokes"));
    let devices: Vec<&str> = top.fixes.iter().map(|x| x.device.as_str()).collect();
    assert_eq!(devices.len(), 2, "{:?}", top.fixes);
    // A one-row ISAKMP table does not say which end is the device; its key
    // does: the branch's stuck SA is with the head-end, not with itself.
    for x in f.iter().filter(|x| x.device.as_deref() == Some("BR-7")) {
        assert_eq!(x.peer.as_deref(), Some("198.51.100.2"), "{x:#?}");
    }
    for x in f.iter().filter(|x| x.device.as_deref() == Some("HQ-R1")) {
        assert_eq!(x.peer.as_deref(), Some("203.0.113.6"), "{x:#?}");
    }
}

#[test]
fn keys_that_agree_make_the_state_reading_unlikely() {
    let same = BRANCH.replace("Hq2Branch!Kez", "Hq2Branch!Key");
    let f = run(HQ, &same);
    assert!(
        errors(&f)
            .iter()
            .filter(|(c, _, _)| *c == Code::PskMismatch)
            .all(|(_, _, conf)| *conf <= 0.15),
        "{:?}",
        errors(&f)
    );
}

#[test]
fn a_missing_key_is_reported_on_the_end_that_lacks_it() {
    // The branch keeps its key in a keyring for another address.
    let other = BRANCH.replace(
        "default      198.51.100.2                                Hq2Branch!Kez",
        "BR-KR        198.51.100.99                               Hq2Branch!Key",
    );
    let f = run(HQ, &other);
    let missing: Vec<_> = f.iter().filter(|x| x.code == Code::PskMissing).collect();
    assert_eq!(missing.len(), 1, "{f:#?}");
    assert_eq!(missing[0].device.as_deref(), Some("BR-7"));
    assert!(missing[0].fixes[0].commands[0].contains("address 198.51.100.2"));
}
