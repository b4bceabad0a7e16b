//! The generated texts are configurations of the intended platform, and
//! the parser understands every line that matters to IPsec in them.

use ipsec_doctor_config::{detect, parse_with_skipped};
use ipsec_doctor_fleetgen::{generate, Spec};
use ipsec_doctor_model::config::Platform;

/// Lines whose meaning the simulator uses.
fn matters(line: &str) -> bool {
    let t = line.trim_start();
    [
        "crypto",
        "isakmp",
        "tunnel-group",
        "access-list",
        "set ",
        "match address",
        "interface",
        "ip address",
        "nameif",
        "pre-shared-key",
        "ikev1 pre-shared-key",
        "permit",
        "deny",
        "10 permit",
        "20 permit",
        "10 deny",
        "encr",
        "hash",
        "group",
        "authentication",
        "lifetime",
        "mode",
        "hostname",
        "subnet",
        "object",
        "nat",
        "route",
        "ip route",
        "ip nat",
        "keyring",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

#[test]
fn platforms_are_detected_and_crypto_lines_understood() {
    let g = generate(&Spec {
        devices: 200,
        spokes_per_hub: 30,
        fault_rate: 0.3,
        seed: 5,
        ..Spec::default()
    });
    let mut problems = Vec::new();
    for (name, text) in &g.files {
        let want =
            if name.contains("-ios") || (name.starts_with("hub-") && text.contains("\nversion ")) {
                Platform::Ios
            } else if name.contains("-pix") {
                Platform::Pix
            } else {
                Platform::Asa
            };
        let got = detect(text);
        if got != Some(want) {
            problems.push(format!("{name}: detected {got:?}, expected {want:?}"));
            continue;
        }
        let (cfg, skipped) = parse_with_skipped(name, text, want);
        assert!(cfg.hostname.is_some(), "{name}");
        let lines: Vec<&str> = text.lines().collect();
        for no in skipped {
            let l = lines[no as usize - 1];
            if matters(l) {
                problems.push(format!("{name}:{no}: skipped `{l}`"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
