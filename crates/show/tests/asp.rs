//! ASA `show asp drop`: every counter kept; the IPsec drop reasons read as
//! warnings (the counters run since the last clearing), in ASA 9.x and the
//! older 8.x layout (no `Last clearing` lines, other spacing).

use ipsec_doctor_model::{Code, Severity};
use ipsec_doctor_show::{diagnose, parse, SectionKind};

fn load(name: &str) -> String {
    let path = format!("{}/tests/data/asp/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_counter_of_frame_and_flow_drops_is_kept() {
    let o = parse("asa98.txt", &load("asa98-asp-drop.txt"));
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert!(o.sections.iter().any(|s| s.kind == SectionKind::AspDrop));
    let got: Vec<(&str, &str, u64)> = o
        .asp_drops
        .iter()
        .map(|d| (d.kind.as_str(), d.reason.as_str(), d.count))
        .collect();
    assert_eq!(
        got,
        vec![
            ("frame", "invalid-encap", 3),
            ("frame", "no-route", 41),
            ("frame", "acl-drop", 1204),
            ("frame", "ipsec-spoof", 17),
            ("frame", "ipsec-clearpkt-notun", 88),
            ("frame", "ipsec-need-sa", 0),
            ("frame", "sp-security-failed", 12),
            ("frame", "l2_acl", 6),
            ("flow", "nat-failed", 5),
            ("flow", "tunnel-down", 2),
        ]
    );
    assert_eq!(
        o.asp_drops[4].description.as_str(),
        "IPSec Clear Pkt w/no Tunnel"
    );
}

#[test]
fn ipsec_reasons_are_warnings_with_the_capture_to_take() {
    let f = diagnose(&[parse("asa98.txt", &load("asa98-asp-drop.txt"))]);
    let got: Vec<(Code, Severity, Option<&str>)> = f
        .iter()
        .map(|x| (x.code, x.severity, x.device.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Code::ProxyIdMismatch, Severity::Warning, Some("fw-hq")),
            (Code::OneWayTraffic, Severity::Warning, Some("fw-hq")),
        ]
    );
    assert!(f[0].fixes[0].commands[0].contains("type asp-drop ipsec-spoof"));
    // A zero counter (`ipsec-need-sa 0`) says nothing.
    assert!(f.iter().all(|x| x.code != Code::PeerUnreachable));
}

#[test]
fn asa_82_layout_without_a_prompt() {
    let text = "Frame drop:\n\
                \x20 Invalid TCP Length (invalid-tcp-hdr-length)                     2\n\
                \x20 IPSec SA Not negotiated yet (ipsec-need-sa)                   311\n\
                \x20 IPSec tunnel is down (ipsec-tun-down)                           9\n\
                \n\
                Flow drop:\n\
                \x20 Inspection failure (inspect-fail)                               1\n";
    let o = parse("asa82.txt", text);
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert_eq!(o.asp_drops.len(), 4);
    assert!(!o.is_empty());
    let f = diagnose(&[o]);
    let codes: Vec<Code> = f.iter().map(|x| x.code).collect();
    assert_eq!(codes, vec![Code::PeerUnreachable, Code::PeerUnreachable]);
    assert!(f.iter().all(|x| x.severity == Severity::Warning));
}
