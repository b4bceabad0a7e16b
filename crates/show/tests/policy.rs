//! `show crypto isakmp policy`, `show crypto ipsec transform-set` and
//! `show crypto map`: parsed exactly, in IOS 12.4 and IOS 15 / IOS-XE
//! forms (the DMVPN spoke's map is modelled on the Cisco DMVPN
//! configuration guide's `show crypto map` example), and both ends
//! compared as Cisco negotiates.

use ipsec_doctor_model::Finding;
use ipsec_doctor_show::{diagnose, parse, tunnels, SectionKind, ShowOutput};

fn load(name: &str) -> ShowOutput {
    let path = format!("{}/tests/data/policy/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    parse(name, &String::from_utf8(bytes).unwrap())
}

fn codes(f: &[Finding]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    f.iter()
        .map(|x| (x.code.as_str(), x.device.as_deref(), x.peer.as_deref()))
        .collect()
}

fn strings<T: AsRef<str>>(v: &[T]) -> Vec<&str> {
    v.iter().map(AsRef::as_ref).collect()
}

#[test]
fn ios15_policy_transform_set_and_map_parse_exactly() {
    let o = load("ios15-hq.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    let kinds: Vec<SectionKind> = o.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::IsakmpPolicy,
            SectionKind::TransformSet,
            SectionKind::CryptoMap,
            SectionKind::Other
        ]
    );
    let p: Vec<_> = o
        .isakmp_policies
        .iter()
        .map(|p| {
            (
                p.line,
                p.priority,
                p.default,
                p.encryption.as_deref(),
                p.hash.as_deref(),
                p.auth.as_deref(),
                p.dh_group,
                p.lifetime,
            )
        })
        .collect();
    assert_eq!(
        p,
        [
            (
                4,
                Some(10),
                false,
                Some("AES - Advanced Encryption Standard (256 bit keys)."),
                Some("Secure Hash Standard 2 (256 bit)"),
                Some("Pre-Shared Key"),
                Some(14),
                Some(86400)
            ),
            (
                10,
                None,
                true,
                Some("DES - Data Encryption Standard (56 bit keys)."),
                Some("Secure Hash Standard"),
                Some("Rivest-Shamir-Adleman Signature"),
                Some(1),
                Some(86400)
            ),
        ]
    );
    let sets: Vec<_> = o
        .transform_sets
        .iter()
        .map(|t| {
            (
                t.line,
                t.name.as_str(),
                strings(&t.transforms),
                t.mode.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        sets,
        [
            (
                17,
                "TS",
                vec!["esp-256-aes", "esp-sha256-hmac"],
                Some("Tunnel")
            ),
            (
                20,
                "#$!default_transform_set_1",
                vec!["esp-aes", "esp-sha-hmac"],
                Some("Transport")
            ),
            // AH and ESP in two groups of braces.
            (22, "t2", vec!["ah-sha-hmac", "esp-des"], Some("Tunnel")),
        ]
    );
    let [e] = o.crypto_maps.as_slice() else {
        panic!("{:?}", o.crypto_maps)
    };
    assert_eq!((e.line, e.map.as_str(), e.seq), (28, "VPN", 10));
    assert_eq!(e.kind.as_deref(), Some("ipsec-isakmp"));
    assert_eq!(strings(&e.peers), ["203.0.113.2"]);
    assert_eq!(e.current_peer.as_deref(), Some("203.0.113.2"));
    assert_eq!(e.acl.as_deref(), Some("101"));
    let acl: Vec<_> = e
        .acl_lines
        .iter()
        .map(|l| (l.line, l.entry.as_str()))
        .collect();
    assert_eq!(
        acl,
        [(31, "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255")]
    );
    assert_eq!(
        (e.lifetime_kb, e.lifetime_sec),
        (Some(4_608_000), Some(3600))
    );
    assert_eq!((e.responder_only, e.pfs), (Some(false), Some(true)));
    assert_eq!(e.pfs_group.as_deref(), Some("group14"));
    let ts: Vec<_> = e
        .transform_sets
        .iter()
        .map(|t| (t.name.as_str(), strings(&t.transforms)))
        .collect();
    assert_eq!(ts, [("TS", vec!["esp-256-aes", "esp-sha256-hmac"])]);
    assert_eq!(strings(&e.interfaces), ["GigabitEthernet0/0"]);
    assert!(e.interfaces_listed && !e.incomplete && !e.no_acl);
}

#[test]
fn ios124_map_with_local_address_and_set_names_only() {
    let o = load("ios124-a.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert_eq!(
        o.isakmp_policies
            .iter()
            .map(|p| (p.priority, p.dh_group, p.lifetime))
            .collect::<Vec<_>>(),
        [
            (Some(10), Some(2), Some(28800)),
            (Some(20), Some(5), Some(86400)),
            (None, Some(1), Some(86400))
        ]
    );
    let [e] = o.crypto_maps.as_slice() else {
        panic!("{:?}", o.crypto_maps)
    };
    assert_eq!(e.local_address.as_deref(), Some("192.0.2.1"));
    assert_eq!(e.local_interface.as_deref(), Some("FastEthernet0/0"));
    assert_eq!(e.acl.as_deref(), Some("VPN-ACL"));
    assert_eq!(e.acl_lines.len(), 2);
    assert_eq!(
        e.acl_lines[1].entry.as_str(),
        "permit tcp host 172.16.10.5 host 172.16.30.9 eq 443"
    );
    let names: Vec<&str> = e.transform_sets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["3DES-MD5", "AES-SHA"]);
    assert!(e.transform_sets.iter().all(|t| t.transforms.is_empty()));
    // Abbreviated commands (`sh cry isa pol`, `… transform-set tag X`).
    let b = load("ios124-b.txt");
    assert_eq!(b.skipped, 0, "{:?}", b.skipped_lines);
    assert_eq!(b.isakmp_policies.len(), 2);
    assert_eq!(b.transform_sets.len(), 1);
    assert_eq!(b.crypto_maps.len(), 1);
}

#[test]
fn ends_that_agree_give_one_informational_finding() {
    let a = load("ios124-a.txt");
    let b = load("ios124-b.txt");
    let outputs = [a, b];
    let all = diagnose(&outputs);
    // 3DES, MD5 and DH 2/5 are configured on these old routers.
    let weak: Vec<_> = all
        .iter()
        .filter(|x| x.code.as_str() == "weak-crypto")
        .map(|x| (x.device.as_deref(), x.title.as_str()))
        .collect();
    assert_eq!(
        weak,
        [
            (
                Some("rtrA"),
                "Weak algorithms in use: DH group 2, DH group 5, IKE 3des, IKE md5, esp-3des, esp-md5-hmac"
            ),
            (Some("rtrB"), "Weak algorithms in use: DH group 2, DH group 5"),
        ]
    );
    let f: Vec<Finding> = all
        .into_iter()
        .filter(|x| x.code.as_str() != "weak-crypto")
        .collect();
    assert_eq!(codes(&f), [("tunnel-up", Some("rtrA"), Some("192.0.2.2"))]);
    // The set names resolve through `show crypto ipsec transform-set`;
    // the PFS groups, the policies (A's second suite matches B's first)
    // and the mirrored ACL with ports were all compared.
    assert!(f[0]
        .explanation
        .contains("ISAKMP policies, transform sets, PFS, crypto ACLs"));
    let rows = tunnels(&outputs, &f);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status.as_str(), "tunnel-up");
}

#[test]
fn mismatched_ends_give_each_cause_with_its_fix() {
    let outputs = [load("ios15-hq.txt"), load("ios15-branch.txt")];
    let f = diagnose(&outputs);
    let mut got = codes(&f);
    got.sort();
    assert_eq!(
        got,
        [
            ("crypto-map-missing", Some("R2"), Some("198.51.100.1")),
            ("pfs-mismatch", Some("R1"), Some("203.0.113.2")),
            ("phase1-policy-mismatch", Some("R1"), Some("203.0.113.2")),
            ("proxy-id-mismatch", Some("R2"), Some("198.51.100.1")),
            ("transform-set-mismatch", Some("R1"), Some("203.0.113.2")),
            // R2's 3DES / group 2 suite.
            ("weak-crypto", Some("R2"), None),
        ]
    );
    let by = |code: &str| f.iter().find(|x| x.code.as_str() == code).unwrap();
    // Phase 1: no suite in common; the fix gives R2 R1's preferred suite.
    let p1 = by("phase1-policy-mismatch");
    assert_eq!(p1.fixes[0].device, "R2");
    assert_eq!(
        p1.fixes[0].commands,
        [
            "crypto isakmp policy 20",
            " encryption aes 256",
            " hash sha256",
            " authentication pre-share",
            " group 14",
            " lifetime 86400"
        ]
    );
    // Transforms compared across spellings, the fix names R1's set.
    let ts = by("transform-set-mismatch");
    assert_eq!(
        ts.fixes[0].commands,
        [
            "crypto ipsec transform-set TS esp-256-aes esp-sha256-hmac",
            "crypto map VPN 10 ipsec-isakmp",
            " set transform-set TS2 TS"
        ]
    );
    // R2's ACL names 10.1.0.0/24 where R1 protects 10.1.1.0/24: both
    // directions fail, one finding, either end can be mirrored.
    let px = by("proxy-id-mismatch");
    assert_eq!(px.fixes.len(), 2);
    assert_eq!(
        px.fixes[0].commands,
        [
            "ip access-list extended 110",
            " no permit ip 10.2.2.0 0.0.0.255 10.1.0.0 0.0.0.255",
            " permit ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"
        ]
    );
    // PFS on R1 only: fails only when R2 initiates, a warning.
    let pfs = by("pfs-mismatch");
    assert_eq!(pfs.severity.as_str(), "warning");
    assert_eq!(pfs.fixes[0].device, "R2");
    assert_eq!(pfs.fixes[0].commands[1], " set pfs group14");
    // The map applied nowhere, with the line that shows it.
    let cm = by("crypto-map-missing");
    assert!(cm.evidence.iter().any(|e| e.line == 23));
    // Paired only because they were given together: said, and less sure.
    assert!(p1.explanation.contains("were taken as the two ends"));
    assert!(p1.confidence < 0.8);
}

#[test]
fn wrong_peer_and_different_pfs_groups() {
    let outputs = [load("peer-wrong-a.txt"), load("peer-wrong-b.txt")];
    let f = diagnose(&outputs);
    let mut got = codes(&f);
    got.sort();
    assert_eq!(
        got,
        [
            ("peer-address-mismatch", Some("East"), Some("198.51.100.20")),
            ("pfs-mismatch", Some("East"), Some("198.51.100.99")),
        ]
    );
    let peer = f
        .iter()
        .find(|x| x.code.as_str() == "peer-address-mismatch")
        .unwrap();
    assert_eq!(
        peer.fixes[0].commands,
        [
            "crypto map M 10 ipsec-isakmp",
            " no set peer 198.51.100.99",
            " set peer 198.51.100.20"
        ]
    );
    // Both ends require PFS with different groups: an error either way.
    let pfs = f
        .iter()
        .find(|x| x.code.as_str() == "pfs-mismatch")
        .unwrap();
    assert_eq!(pfs.severity.as_str(), "error");
    // `esp-gcm 256` and `esp-256-gcm` are one transform: no mismatch.
    assert!(!f
        .iter()
        .any(|x| x.code.as_str() == "transform-set-mismatch"));
}

#[test]
fn incomplete_entry_is_reported_with_what_it_lacks() {
    let o = load("ios15-incomplete.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert_eq!(o.crypto_maps.len(), 2);
    let e = &o.crypto_maps[1];
    assert!(e.incomplete && e.no_acl && e.peers.is_empty() && e.transform_sets.is_empty());
    assert_eq!(e.current_peer.as_deref(), Some("0.0.0.0"));
    // The interface list after the last entry belongs to every entry.
    assert!(o
        .crypto_maps
        .iter()
        .all(|e| strings(&e.interfaces) == ["GigabitEthernet0/1"]));
    let f = diagnose(&[o]);
    assert_eq!(codes(&f), [("crypto-map-missing", Some("BR7"), None)]);
    assert_eq!(
        f[0].title,
        "crypto map OUTSIDE_MAP 20 lacks a peer and a crypto ACL and a transform set"
    );
}

#[test]
fn tunnel_protection_maps_are_not_configured_maps() {
    // IOS builds `NAME-head-N` maps for DMVPN / VTI: a template entry
    // without a peer, a profile instance with an unnamed ACL.
    let o = load("iosxe-dmvpn-spoke.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    let e: Vec<_> = o
        .crypto_maps
        .iter()
        .map(|e| {
            (
                e.seq,
                e.ipsec_profile.as_deref(),
                e.profile_instance,
                e.acl_lines.len(),
            )
        })
        .collect();
    assert_eq!(
        e,
        [(65536, Some("vpnprof"), false, 0), (65537, None, true, 1)]
    );
    assert_eq!(
        o.crypto_maps[1].acl_lines[0].entry.as_str(),
        "permit gre host 172.17.0.11 host 172.17.0.1"
    );
    assert_eq!(
        o.crypto_maps[1].local_address.as_deref(),
        Some("172.17.0.11")
    );
    assert!(diagnose(&[o]).is_empty());
}

#[test]
fn output_without_prompts_is_recognised() {
    let text = "\
Crypto Map IPv4 \"VPN\" 10 ipsec-isakmp
        Peer = 203.0.113.2
        Extended IP access list 101
            access-list 101 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
        Transform sets={ TS:  { esp-aes esp-sha-hmac  } , }
        Interfaces using crypto map VPN:
                GigabitEthernet0/0
Protection suite of priority 10
        encryption algorithm:   AES - Advanced Encryption Standard (128 bit keys).
Transform set TS: { esp-aes esp-sha-hmac  }
   will negotiate = { Tunnel,  },
";
    assert!(ipsec_doctor_show::looks_like_show(text));
    let o = parse("paste", text);
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert_eq!(o.crypto_maps.len(), 1);
    let ts = &o.crypto_maps[0].transform_sets;
    assert_eq!(ts.len(), 1);
    assert_eq!(strings(&ts[0].transforms), ["esp-aes", "esp-sha-hmac"]);
    assert_eq!(o.isakmp_policies.len(), 1);
    assert_eq!(o.transform_sets.len(), 1);
    assert_eq!(o.transform_sets[0].mode.as_deref(), Some("Tunnel"));
}

#[test]
fn policy_fields_flattened_onto_one_line() {
    let text = "R1#show crypto isakmp policy Global IKE policy Protection suite of priority 10 \
encryption algorithm: Three key triple DES hash algorithm: Message Digest 5 authentication method: \
Pre-Shared Key Diffie-Hellman group: #2 (1024 bit) lifetime: 3600 seconds, no volume limit";
    let o = parse("flat", text);
    let [p] = o.isakmp_policies.as_slice() else {
        panic!("{:?}", o.isakmp_policies)
    };
    assert_eq!(p.priority, Some(10));
    assert_eq!(p.encryption.as_deref(), Some("Three key triple DES"));
    assert_eq!(p.hash.as_deref(), Some("Message Digest 5"));
    assert_eq!(p.auth.as_deref(), Some("Pre-Shared Key"));
    assert_eq!((p.dh_group, p.lifetime), (Some(2), Some(3600)));
}

#[test]
fn hub_entries_pair_with_their_own_spoke_only() {
    // One file, three devices: two spokes that both point at the hub are
    // not each other's peer, and each hub entry pairs with the spoke it
    // names (the spokes' `local address` lines tell which is which).
    let o = load("hub-and-spokes.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    let f = diagnose(&[o]);
    assert_eq!(
        codes(&f),
        [
            ("proxy-id-mismatch", Some("HUB"), Some("198.51.100.11")),
            ("tunnel-up", Some("HUB"), Some("198.51.100.12")),
        ]
    );
    // SPOKE11 proposes `10.11.0.0/16 → any`, which the hub's narrower ACL
    // refuses: widen the hub or narrow the spoke.
    let px = &f[0];
    assert_eq!(px.fixes[0].device, "HUB");
    assert_eq!(
        px.fixes[0].commands,
        [
            "ip access-list extended SPOKE11",
            " permit ip any 10.11.0.0 0.0.255.255"
        ]
    );
    assert_eq!(px.fixes[1].device, "SPOKE11");
    assert_eq!(
        px.fixes[1].commands,
        [
            "ip access-list extended 100",
            " no permit ip 10.11.0.0 0.0.255.255 any",
            " permit ip 10.11.0.0 0.0.255.255 10.0.0.0 0.0.255.255"
        ]
    );
    // Transforms `esp-256-aes` and `esp-aes 256` are one.
    assert!(f[1]
        .explanation
        .contains("transform sets, PFS, crypto ACLs"));
}

#[test]
fn acl_lines_with_sequence_numbers_and_hit_counts() {
    let text = "\
R1#show crypto map
Crypto Map IPv4 \"VPN\" 10 ipsec-isakmp
        Peer = 203.0.113.2
        Extended IP access list VPN-ACL
            access-list VPN-ACL 10 permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255
            access-list VPN-ACL 20 permit tcp host 10.1.1.5 any eq 22 (hitcnt=12)
        Transform sets={
                TS,
        }
";
    let o = parse("r1", text);
    let e = &o.crypto_maps[0];
    let lines: Vec<&str> = e.acl_lines.iter().map(|l| l.entry.as_str()).collect();
    assert_eq!(
        lines,
        [
            "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
            "permit tcp host 10.1.1.5 any eq 22"
        ]
    );
}

#[test]
fn iosxe_spellings_and_dynamic_instances() {
    // IOS-XE 17 prints `Security association lifetime;` and `Transfor set
    // = {`; a dynamic map's template entry and the instance made from it
    // for a peer (`dynamic (created from dynamic map DMAP/10)`).
    let o = load("iosxe17-profile-and-dynamic.txt");
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    let got: Vec<_> = o
        .crypto_maps
        .iter()
        .map(|e| {
            (
                e.map.as_str(),
                e.seq,
                e.lifetime_sec,
                e.transform_sets.first().map(|t| t.name.as_str()),
                e.dynamic_map.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Tunnel0-head-0", 65536, Some(3600), Some("Demo-Set"), None),
            ("Tunnel0-head-0", 65537, Some(3600), Some("Demo-Set"), None),
            ("Demo-MAP", 10, Some(3600), Some("Demo-SET"), None),
            ("VPN", 10, None, None, Some("DMAP")),
            ("VPN", 65536, Some(3600), Some("PHASE2"), Some("DMAP")),
        ]
    );
    assert_eq!(
        o.crypto_maps[1].ikev2_profile.as_deref(),
        Some("Demo-v2-Profile")
    );
    assert_eq!(
        o.crypto_maps[1].acl_lines[0].entry.as_str(),
        "permit ip any any"
    );
    // Three devices' maps, none applied nowhere or incomplete (the
    // tunnel-protection map lists no interface, the dynamic template has
    // no peer): nothing to report.
    assert!(diagnose(&[o]).is_empty());
}

#[test]
fn a_stuck_phase1_between_agreeing_policies_is_not_read_as_a_policy_mismatch() {
    let path = format!(
        "{}/tests/data/policy/ios124-a.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let a = std::fs::read_to_string(path).unwrap()
        + "rtrA#show crypto isakmp sa\n\
           dst             src             state          conn-id slot status\n\
           192.0.2.2       192.0.2.1       MM_NO_STATE          1    0 ACTIVE\n";
    let outputs = [parse("a", &a), load("ios124-b.txt")];
    let f = diagnose(&outputs);
    let p1: Vec<_> = f
        .iter()
        .filter(|x| x.code.as_str() == "phase1-policy-mismatch")
        .collect();
    assert!(!p1.is_empty(), "{f:?}");
    for x in &p1 {
        assert!(x.confidence <= 0.15, "{x:?}");
        assert!(x.explanation.contains("do match"), "{}", x.explanation);
    }
    // The reachability reading now comes first for that peer.
    let first = f
        .iter()
        .find(|x| x.peer.as_deref() == Some("192.0.2.2") && x.code.as_str() != "weak-crypto")
        .unwrap();
    assert_eq!(first.code.as_str(), "peer-unreachable", "{f:?}");
    // Without the other end's policies nothing is lowered.
    let alone = diagnose(&[parse("a", &a)]);
    assert!(alone
        .iter()
        .filter(|x| x.code.as_str() == "phase1-policy-mismatch")
        .all(|x| x.confidence > 0.15));
}
