//! Whatever the text, parsing never panics, counts every line, and keeps
//! every origin inside the text.

use ipsec_doctor_config::{detect, parse_as, parse_bytes, parse_with_skipped};
use ipsec_doctor_model::config::{DeviceConfig, Platform};
use proptest::prelude::*;

/// Command words, so generated lines reach the parsers' deep paths.
const WORDS: &[&str] = &[
    "crypto",
    "isakmp",
    "ikev1",
    "ipsec",
    "policy",
    "key",
    "map",
    "dynamic-map",
    "transform-set",
    "set",
    "peer",
    "pfs",
    "group2",
    "group",
    "match",
    "address",
    "security-association",
    "lifetime",
    "seconds",
    "kilobytes",
    "unlimited",
    "ipsec-isakmp",
    "dynamic",
    "interface",
    "local-address",
    "keyring",
    "pre-shared-key",
    "ikev1",
    "tunnel-group",
    "ipsec-attributes",
    "type",
    "ipsec-l2l",
    "DefaultL2LGroup",
    "access-list",
    "extended",
    "standard",
    "permit",
    "deny",
    "ip",
    "tcp",
    "udp",
    "esp",
    "host",
    "any",
    "any4",
    "object",
    "object-group",
    "network",
    "service",
    "network-object",
    "port-object",
    "service-object",
    "group-object",
    "range",
    "subnet",
    "eq",
    "lt",
    "gt",
    "neq",
    "nat",
    "(inside)",
    "(inside,outside)",
    "source",
    "static",
    "destination",
    "route-map",
    "list",
    "ip",
    "route",
    "mtu",
    "nameif",
    "isakmp",
    "vpngroup",
    "split-tunnel",
    "sysopt",
    "connection",
    "permit-ipsec",
    "name",
    "names",
    "hostname",
    "encr",
    "encryption",
    "aes",
    "256",
    "3des",
    "hash",
    "sha",
    "md5",
    "authentication",
    "pre-share",
    "lifetime",
    "mode",
    "transport",
    "0",
    "6",
    "7",
    "65535",
    "4294967296",
    "-1",
    "banner",
    "motd",
    "^C",
    "#",
    "!",
    ":",
    "ip",
    "local",
    "pool",
    "acl",
    "split-tunnel-network-list",
    "value",
    "attributes",
    "group-policy",
    "shutdown",
    "no",
    "0822455D0A16",
    "*****",
    "inactive",
    "after-auto",
    "line",
    "netmask",
    "esp-aes",
    "esp-sha-hmac",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(WORDS).prop_map(str::to_string),
        2 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        1 => prop::sample::select(&["255.255.255.0", "0.0.0.255", "0.0.0.0", "255.255.255.255"][..])
            .prop_map(str::to_string),
        1 => any::<u32>().prop_map(|n| n.to_string()),
        1 => "[ -~]{0,12}",
        1 => any::<String>(),
    ]
}

fn line() -> impl Strategy<Value = String> {
    (0usize..3, prop::collection::vec(word(), 0..9))
        .prop_map(|(indent, w)| format!("{}{}", " ".repeat(indent), w.join(" ")))
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..80),
        prop::sample::select(&["\n", "\r\n", "\r", "\n\n"][..]),
    )
        .prop_map(|(lines, eol)| lines.join(eol))
}

fn check(cfg: &DeviceConfig, text: &str) {
    let n = text.lines().count() as u64;
    assert_eq!(cfg.lines, n);
    assert!(cfg.skipped <= n);
    let mut origins = Vec::new();
    origins.extend(cfg.keys.iter().map(|k| k.origin.line));
    origins.extend(cfg.interfaces.iter().map(|i| i.origin.line));
    origins.extend(cfg.routes.iter().map(|r| r.origin.line));
    origins.extend(
        cfg.crypto_maps
            .iter()
            .chain(&cfg.dynamic_maps)
            .map(|e| e.origin.line),
    );
    origins.extend(cfg.transform_sets.values().map(|t| t.origin.line));
    origins.extend(
        cfg.ike_policies
            .iter()
            .filter_map(|p| p.origin.as_ref().map(|o| o.line)),
    );
    origins.extend(cfg.nat.iter().map(|r| r.origin.line));
    for a in cfg.acls.values() {
        origins.extend(a.entries.iter().map(|e| e.origin.line));
    }
    assert!(
        origins.iter().all(|l| (1..=n).contains(l)),
        "{origins:?} outside 1..={n}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let cfg = parse_bytes("fuzz", &bytes);
        check(&cfg, &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn config_shaped_text_never_panics(t in text()) {
        let _ = detect(&t);
        for p in [Platform::Ios, Platform::Asa, Platform::Pix] {
            let (cfg, skipped) = parse_with_skipped("fuzz", &t, p);
            check(&cfg, &t);
            prop_assert_eq!(cfg.skipped, skipped.len() as u64);
            prop_assert_eq!(&cfg, &parse_as("fuzz", &t, p));
        }
    }
}
