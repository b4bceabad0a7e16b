//! Diagnosis: ISAKMP states per the message catalog, IPsec counters, MTU,
//! and the cross-checks between both ends of a tunnel.

use ipsec_doctor_model::{Finding, Severity};
use ipsec_doctor_show::{diagnose, parse, ShowOutput};

fn load(name: &str) -> ShowOutput {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse(name, &text)
}

fn codes(f: &[Finding]) -> Vec<(&str, f32)> {
    f.iter().map(|x| (x.code.as_str(), x.confidence)).collect()
}

fn find<'a>(f: &'a [Finding], code: &str) -> &'a Finding {
    f.iter()
        .find(|x| x.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(f)))
}

/// An IOS `show crypto isakmp sa` with one SA in `state`.
fn ios_state(state: &str) -> Vec<Finding> {
    let text = format!(
        "R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n\
         192.0.2.2       192.0.2.1       {state:<14}    1001 ACTIVE\n"
    );
    diagnose(&[parse("r1.txt", &text)])
}

#[test]
fn isakmp_states_map_to_the_catalog() {
    let f = ios_state("MM_NO_STATE");
    assert_eq!(
        codes(&f),
        [("phase1-policy-mismatch", 0.55), ("peer-unreachable", 0.5)]
    );
    let f = ios_state("MM_KEY_EXCH");
    assert_eq!(codes(&f)[0], ("psk-mismatch", 0.6));
    assert!(codes(&f).contains(&("peer-address-mismatch", 0.35)));
    assert_eq!(
        codes(&ios_state("MM_WAIT_MSG2"))[0],
        ("peer-unreachable", 0.6)
    );
    assert_eq!(codes(&ios_state("MM_SA_SETUP"))[0].0, "peer-unreachable");
    assert_eq!(codes(&ios_state("MM_WAIT_MSG6")), [("psk-mismatch", 0.65)]);
    assert_eq!(codes(&ios_state("AG_INIT_EXCH"))[0].0, "psk-mismatch");
    // Phase 1 up: nothing to report from ISAKMP alone.
    assert!(ios_state("QM_IDLE").is_empty());
    assert!(ios_state("MM_ACTIVE").is_empty());
    // MM_WAIT_MSG4: the peer has no key for us; the fix is on the peer.
    let f = ios_state("MM_WAIT_MSG4");
    let psk = find(&f, "psk-missing");
    assert_eq!(psk.peer.as_deref(), Some("192.0.2.2"));
    assert!(psk.fixes.iter().all(|x| x.device == "192.0.2.2"));
    assert!(psk.fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c == "crypto isakmp key <pre-shared-key> address 192.0.2.1")));
    assert!(psk.fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c == "tunnel-group 192.0.2.1 type ipsec-l2l")));
    // Evidence: the row, with its line.
    assert_eq!(psk.evidence[0].line, 4);
    assert!(psk.evidence[0].text.contains("MM_WAIT_MSG4"));
    assert_eq!(psk.device.as_deref(), Some("R1"));
}

#[test]
fn asa_states_and_leftovers() {
    let f = diagnose(&[load("variants/asa-9.x.txt")]);
    let psk = find(&f, "psk-missing");
    assert_eq!(psk.peer.as_deref(), Some("192.0.2.44"));
    assert_eq!(psk.severity, Severity::Error);
    // A deleted MM_NO_STATE next to an established SA is only a warning.
    let f = diagnose(&[load("variants/ios-12.4.txt")]);
    let p1 = find(&f, "phase1-policy-mismatch");
    assert_eq!(p1.severity, Severity::Warning);
    assert!(p1.confidence < 0.3);
}

#[test]
fn encaps_without_decaps_says_what_to_check_on_the_peer() {
    let f = diagnose(&[load(
        "corpus/s07_iosxe_ikev1_success_then_missing_return_route.txt",
    )]);
    let ow = find(&f, "one-way-traffic");
    assert_eq!(ow.severity, Severity::Error);
    assert_eq!(ow.peer.as_deref(), Some("203.0.113.1"));
    for what in ["crypto ACL", "NAT exemption", "route", "ESP"] {
        assert!(ow.explanation.contains(what), "{what}: {}", ow.explanation);
    }
    // The author's fix: a route back to the spoke LAN on the hub.
    let ios = ow
        .fixes
        .iter()
        .find(|x| x.device == "203.0.113.1" && x.why.contains("IOS"))
        .unwrap();
    assert!(ios
        .commands
        .contains(&"ip route 192.168.1.0 255.255.255.0 203.0.113.10".to_string()));
    assert!(ios
        .commands
        .contains(&" permit ip 192.168.0.0 0.0.0.255 192.168.1.0 0.0.0.255".to_string()));
    let lines: Vec<u64> = ow.evidence.iter().map(|e| e.line).collect();
    assert!(lines.contains(&199) && lines.contains(&200), "{lines:?}");
}

#[test]
fn decaps_without_encaps_points_at_local_nat_and_routing() {
    let f = diagnose(&[load("variants/asa-8.2.txt")]);
    let ow = f
        .iter()
        .find(|x| x.code.as_str() == "one-way-traffic")
        .unwrap();
    assert!(ow.title.contains("nothing is sent back"));
    let nat = find(&f, "nat-exemption-missing");
    assert_eq!(nat.fixes[0].device, "ciscoasa");
    assert!(nat.fixes[0]
        .commands
        .iter()
        .any(|c| c.contains("nat (inside,outside) source static")));
    assert!(nat.fixes[0]
        .commands
        .iter()
        .any(|c| c == " subnet 10.20.0.0 255.255.0.0"));
    let rt = find(&f, "route-missing");
    assert!(rt.fixes[0].commands[0].starts_with("route outside 10.20.0.0 255.255.0.0"));
}

#[test]
fn decapsulated_but_not_decrypted_is_a_proxy_id_mismatch() {
    let f = diagnose(&[load(
        "corpus/s04_asa_402116_decapsulated_packet_proxy_mismatch.txt",
    )]);
    let p = &f[0];
    assert_eq!(p.code.as_str(), "proxy-id-mismatch");
    assert!(p.explanation.contains("402116"));
    assert!(p.fixes.iter().any(|x| x.device == "93.184.216.34"
        && x.commands.contains(
            &"access-list <crypto-acl> extended permit ip host 192.168.60.60 host 10.10.10.11"
                .to_string()
        )));
    assert!(!f.iter().any(|x| x.code.as_str() == "one-way-traffic"));
}

#[test]
fn send_errors_without_encaps_mean_phase_2_is_down() {
    let f = diagnose(&[load(
        "corpus/s08_iosxe_ikev1_qm_rejected_policy_error32_proxy_mismatch.txt",
    )]);
    assert_eq!(
        codes(&f),
        [
            ("proxy-id-mismatch", 0.45),
            ("transform-set-mismatch", 0.35),
            ("pfs-mismatch", 0.25)
        ]
    );
    assert!(f[0].title.contains("15 packets"));
}

#[test]
fn integrity_replay_and_invalid_spi_counters() {
    let f = diagnose(&[load("variants/iosxe-17.txt")]);
    let h = find(&f, "hmac-failure");
    assert_eq!(h.severity, Severity::Error, "150 of 4800 is over 1%");
    assert!(h
        .evidence
        .iter()
        .any(|e| e.text.contains("verify failed: 150")));
    let r = find(&f, "replay-reordering");
    assert!(r.fixes[0]
        .commands
        .iter()
        .any(|c| c.contains("replay window-size")));
    // The second SA stuck in MM_WAIT_MSG2, and the DOWN-NEGOTIATING session.
    assert!(f.iter().any(
        |x| x.code.as_str() == "peer-unreachable" && x.peer.as_deref() == Some("198.51.100.7")
    ));
    assert!(f
        .iter()
        .any(|x| x.code.as_str() == "peer-unreachable" && x.peer.as_deref() == Some("192.0.2.99")));
    let f = diagnose(&[load("variants/asa-9.x.txt")]);
    assert_eq!(find(&f, "invalid-spi").severity, Severity::Warning);
    // `show vpn-sessiondb l2l`: bytes out, none in.
    assert!(f
        .iter()
        .any(|x| x.code.as_str() == "one-way-traffic" && x.peer.as_deref() == Some("192.0.2.60")));
    // The corpus session with one replay failure.
    let raw = "tests/data/ntc/tests/cisco_ios/show_crypto_ipsec_sa_detail/cisco_ios_show_crypto_ipsec_sa_detail.raw";
    let f = diagnose(&[load(&raw["tests/data/".len()..])]);
    assert_eq!(
        find(&f, "replay-reordering").peer.as_deref(),
        Some("3.3.3.3")
    );
}

#[test]
fn path_mtu_below_media_mtu_gives_the_adjust_mss_value() {
    let f = diagnose(&[load("variants/asa-9.x.txt")]);
    let m = find(&f, "mtu-fragmentation");
    // path mtu 1400, ipsec overhead 74: 1400 − 74 − 40 = 1286; 3 pre-frag failures.
    assert_eq!(m.severity, Severity::Error);
    assert!(
        m.explanation.contains("1400 − 74 = 1326"),
        "{}",
        m.explanation
    );
    assert_eq!(m.fixes[0].commands, ["sysopt connection tcpmss 1286"]);
    // IOS: overhead from `plaintext mtu`.
    let text = "R1#show crypto ipsec sa\ninterface: Gi1\n    Crypto map tag: M, local addr 192.0.2.1\n   local  ident (addr/mask/prot/port): (10.1.0.0/255.255.0.0/0/0)\n   remote ident (addr/mask/prot/port): (10.2.0.0/255.255.0.0/0/0)\n   current_peer 192.0.2.2 port 500\n    #pkts encaps: 10, #pkts encrypt: 10, #pkts digest: 10\n    #pkts decaps: 10, #pkts decrypt: 10, #pkts verify: 10\n     local crypto endpt.: 192.0.2.1, remote crypto endpt.: 192.0.2.2\n     plaintext mtu 1338, path mtu 1400, ip mtu 1500, ip mtu idb Gi1\n     media mtu 1500\n";
    let f = diagnose(&[parse("r1", text)]);
    let m = find(&f, "mtu-fragmentation");
    assert!(
        m.fixes[0]
            .commands
            .contains(&" ip tcp adjust-mss 1298".to_string()),
        "{:?}",
        m.fixes
    );
    assert!(!f.iter().any(|x| x.code.as_str() == "tunnel-up"));
}

/// The IOS-XE end of the ASA 9.x tunnel in `variants/asa-9.x.txt`.
const R1: &str = "R1#show crypto ipsec sa
interface: GigabitEthernet1
    Crypto map tag: CMAP, local addr 198.51.100.9
   protected vrf: (none)
   local  ident (addr/mask/prot/port): (10.30.0.0/255.255.255.0/0/0)
   remote ident (addr/mask/prot/port): (10.10.0.0/255.255.0.0/0/0)
   current_peer 203.0.113.5 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 990, #pkts encrypt: 990, #pkts digest: 990
    #pkts decaps: 1000, #pkts decrypt: 1000, #pkts verify: 1000
    #send errors 0, #recv errors 0
     local crypto endpt.: 198.51.100.9, remote crypto endpt.: 203.0.113.5
     plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb GigabitEthernet1
     current outbound spi: 0xC8E3D4A1(3370374305)
     inbound esp sas:
      spi: 0x1F5E5B20(526277408)
        transform: esp-256-aes esp-sha-hmac ,
        in use settings ={Tunnel, }
     outbound esp sas:
      spi: 0xC8E3D4A1(3370374305)
        transform: esp-256-aes esp-sha-hmac ,
        in use settings ={Tunnel, }
";

fn pair(r1: &str) -> Vec<Finding> {
    let asa = load("variants/asa-9.x.txt");
    diagnose(&[parse("r1.txt", r1), asa])
}

fn between<'a>(f: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|x| x.code.as_str() == code && matches!(x.peer.as_deref(), Some("R1" | "asa1")))
        .collect()
}

#[test]
fn both_ends_agree() {
    let f = pair(R1);
    let up = between(&f, "tunnel-up");
    assert_eq!(up.len(), 1, "{:?}", codes(&f));
    assert!(up[0].evidence.iter().any(|e| e.source == "r1.txt"));
    assert!(up[0]
        .evidence
        .iter()
        .any(|e| e.source == "variants/asa-9.x.txt"));
    assert!(between(&f, "invalid-spi").is_empty());
    assert!(
        between(&f, "transform-set-mismatch").is_empty(),
        "esp-256-aes is esp-aes-256"
    );
}

#[test]
fn an_spi_known_on_one_side_only_is_invalid_spi() {
    let f = pair(&R1.replace("0xC8E3D4A1(3370374305)", "0xC8E3D4A2(3370374306)"));
    let bad = between(&f, "invalid-spi");
    assert_eq!(bad.len(), 1, "{:?}", codes(&f));
    assert_eq!(bad[0].device.as_deref(), Some("R1"));
    assert!(bad[0].title.contains("0xC8E3D4A2"));
    assert!(bad[0].fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c == "clear crypto sa peer 203.0.113.5")));
}

#[test]
fn identities_must_be_mirrored() {
    let f = pair(&R1.replace(
        "(10.10.0.0/255.255.0.0/0/0)",
        "(10.10.0.0/255.255.255.0/0/0)",
    ));
    let p = between(&f, "proxy-id-mismatch");
    assert_eq!(p.len(), 1, "{:?}", codes(&f));
    assert!(p[0].explanation.contains("10.10.0.0/255.255.255.0"));
}

#[test]
fn what_one_end_encrypts_the_other_decrypts() {
    let f = pair(&R1.replace(
        "#pkts decaps: 1000, #pkts decrypt: 1000",
        "#pkts decaps: 0, #pkts decrypt: 0",
    ));
    let ow = between(&f, "one-way-traffic");
    assert!(
        ow.iter()
            .any(|x| x.device.as_deref() == Some("asa1") && x.title.contains("R1 decrypted 0")),
        "{:?}",
        codes(&f)
    );
    assert!(ow.iter().any(|x| x
        .fixes
        .iter()
        .any(|fx| fx.commands.iter().any(|c| c.starts_with("permit esp")))));
}

#[test]
fn both_ends_in_one_file() {
    let asa = std::fs::read_to_string(format!(
        "{}/tests/data/variants/asa-9.x.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let one = parse("both.txt", &format!("{R1}{asa}"));
    assert_eq!(one.device_at(2), Some("R1"));
    assert_eq!(one.device_at(60), Some("asa1"));
    let f = diagnose(&[one]);
    assert_eq!(between(&f, "tunnel-up").len(), 1, "{:?}", codes(&f));
}

#[test]
fn findings_are_ranked_and_serialisable() {
    let f = diagnose(&[load("variants/iosxe-17.txt"), load("variants/asa-8.2.txt")]);
    assert!(f
        .windows(2)
        .all(|w| w[0].rank_cmp(&w[1]) != std::cmp::Ordering::Greater));
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("\"code\":\"hmac-failure\""));
    assert!(diagnose(&[]).is_empty());
}

/// The bundled two-end example (`examples/show/`): IOS-XE branch and ASA
/// head-end, the ASA decrypts everything and sends nothing back.
fn example_pair() -> (String, String) {
    let dir = format!("{}/../../examples/show", env!("CARGO_MANIFEST_DIR"));
    (
        std::fs::read_to_string(format!("{dir}/br1-iosxe-show.txt")).unwrap(),
        std::fs::read_to_string(format!("{dir}/hq-asa-show.txt")).unwrap(),
    )
}

#[test]
fn both_ends_counters_place_a_one_way_fault_on_the_end_that_does_not_answer() {
    let (br1, asa) = example_pair();
    let f = diagnose(&[parse("br1", &br1), parse("asa", &asa)]);
    let top = &f[0];
    assert_eq!(top.code.as_str(), "one-way-traffic", "{:?}", codes(&f));
    assert_eq!(top.device.as_deref(), Some("HQ-ASA"));
    assert_eq!(top.peer.as_deref(), Some("203.0.113.2"));
    assert!(top.title.contains("1843 of 1843"), "{}", top.title);
    assert!(!top.explanation.contains("  "), "{}", top.explanation);
    assert!(top.evidence.iter().any(|e| e.source == "br1"));
    assert!(top.evidence.iter().any(|e| e.source == "asa"));
    // The ASA's commands, for the ASA.
    assert!(top.fixes.iter().all(|x| x.device == "HQ-ASA"));
    assert!(top.fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c.starts_with("nat (inside,outside) source static LOCAL-VPN-NET"))));
    assert!(top.fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c == "show nat 10.10.0.0 255.255.0.0 detail")));
    // BR1's own finding sends its fix to the peer by name, ASA form only:
    // the peer's output is here and says it is an ASA.
    let br1_own = f
        .iter()
        .find(|x| x.device.as_deref() == Some("BR1") && x.code.as_str() == "one-way-traffic")
        .unwrap();
    let to_peer: Vec<_> = br1_own
        .fixes
        .iter()
        .filter(|x| x.device == "HQ-ASA")
        .collect();
    assert_eq!(to_peer.len(), 1, "{:?}", br1_own.fixes);
    assert!(!to_peer[0].why.contains("(if"), "{}", to_peer[0].why);
    assert!(to_peer[0]
        .commands
        .iter()
        .any(|c| c.starts_with("access-list <crypto-acl> extended permit ip")));
    assert!(br1_own.fixes.iter().all(|x| x.device != "198.51.100.1"));
    // IOS `esp-256-aes esp-sha256-hmac` is ASA `esp-aes-256 esp-sha-256-hmac`.
    assert!(
        !codes(&f).iter().any(|c| c.0 == "transform-set-mismatch"),
        "{:?}",
        codes(&f)
    );

    // Both directions working: no one-way conclusion.
    let healthy = asa.replace(
        "#pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0",
        "#pkts encaps: 1790, #pkts encrypt: 1790, #pkts digest: 1790",
    );
    let br1_ok = br1.replace(
        "#pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0",
        "#pkts decaps: 1790, #pkts decrypt: 1790, #pkts verify: 1790",
    );
    let f = diagnose(&[parse("br1", &br1_ok), parse("asa", &healthy)]);
    assert!(
        !codes(&f).iter().any(|c| c.0 == "one-way-traffic"),
        "{:?}",
        codes(&f)
    );
    assert!(
        codes(&f).iter().any(|c| c.0 == "tunnel-up"),
        "{:?}",
        codes(&f)
    );

    // Most of it lost on the way: that is the path, not the far end.
    let lossy = asa.replace(
        "#pkts decaps: 1843, #pkts decrypt: 1843",
        "#pkts decaps: 12, #pkts decrypt: 12",
    );
    let f = diagnose(&[parse("br1", &br1), parse("asa", &lossy)]);
    assert!(
        !f.iter().any(|x| x.title.contains("sends nothing back")),
        "{:?}",
        codes(&f)
    );
}

#[test]
fn a_transform_difference_is_reported_only_between_unpaired_spis() {
    let (br1, asa) = example_pair();
    // The same SA (shared SPIs) cannot carry two transforms: a spelling
    // this check does not know is not a mismatch.
    let odd = br1.replace("esp-sha256-hmac", "esp-sha-hmac-odd");
    let f = diagnose(&[parse("br1", &odd), parse("asa", &asa)]);
    assert!(
        !codes(&f).iter().any(|c| c.0 == "transform-set-mismatch"),
        "{:?}",
        codes(&f)
    );
    // Stale SAs on one end (other SPIs), other transform: reported.
    let stale = br1
        .replace("0x5E1C0A77(1578896503)", "0x11111111(286331153)")
        .replace("0xC1D2E3F4(3251823604)", "0x22222222(572662306)")
        .replace("esp-256-aes esp-sha256-hmac", "esp-3des esp-md5-hmac");
    let f = diagnose(&[parse("br1", &stale), parse("asa", &asa)]);
    assert!(
        codes(&f).iter().any(|c| c.0 == "transform-set-mismatch"),
        "{:?}",
        codes(&f)
    );
}

#[test]
fn a_table_alone_tells_which_address_is_ours_when_it_has_several_peers() {
    // 192.0.2.10 is in every row, with two different peers: it is ours,
    // whichever column it is in (initiator or responder).
    let text = "branch-rtr#show crypto isakmp sa\n\
        dst             src             state          conn-id slot status\n\
        192.0.2.10      198.51.100.22   AG_INIT_EXCH      1003    0 ACTIVE\n\
        198.51.100.24   192.0.2.10      MM_SA_SETUP          0    0 DELETED\n";
    let f = diagnose(&[parse("t", text)]);
    assert!(
        f.iter().all(|x| x.peer.as_deref() != Some("192.0.2.10")),
        "{f:?}"
    );
    assert!(f.iter().any(|x| x.peer.as_deref() == Some("198.51.100.22")));
    // `DELETED` in capitals is a leftover as much as `ACTIVE (deleted)`.
    let left = f
        .iter()
        .filter(|x| x.peer.as_deref() == Some("198.51.100.24"))
        .collect::<Vec<_>>();
    assert!(!left.is_empty(), "{:?}", codes(&f));
    assert!(
        left.iter().all(|x| x.severity != Severity::Error),
        "{left:?}"
    );
}

#[test]
fn one_tunnel_row_per_device_and_peer_with_its_worst_finding() {
    let (br1, asa) = example_pair();
    let outs = [parse("br1", &br1), parse("asa", &asa)];
    let f = diagnose(&outs);
    let rows = ipsec_doctor_show::tunnels(&outs, &f);
    let row = |dev: &str| {
        rows.iter()
            .find(|r| r.device.as_deref() == Some(dev))
            .unwrap_or_else(|| panic!("no row for {dev} in {rows:?}"))
    };
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(row("BR1").peer.as_deref(), Some("198.51.100.1"));
    assert_eq!(row("BR1").status.as_str(), "one-way-traffic");
    // The cross-check (peer named by device) applies to the ASA's row.
    let hq = row("HQ-ASA");
    assert_eq!(hq.peer.as_deref(), Some("203.0.113.2"));
    assert!(hq.reason.contains("sends nothing back"), "{}", hq.reason);
    assert_eq!(hq.platform.as_deref(), Some("asa"));
    assert_eq!(hq.role.as_deref(), Some("responder"));

    // A leftover negotiation beside an SA that is up: the tunnel is up.
    let text = "R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\n\
        dst             src             state          conn-id status\n\
        192.0.2.2       192.0.2.1       QM_IDLE           1001 ACTIVE\n\
        192.0.2.2       192.0.2.1       MM_NO_STATE       1002 ACTIVE (deleted)\n\
        192.0.2.3       192.0.2.1       MM_WAIT_MSG2      1003 ACTIVE\n";
    let outs = [parse("r1", text)];
    let f = diagnose(&outs);
    let rows = ipsec_doctor_show::tunnels(&outs, &f);
    let peer = |p: &str| rows.iter().find(|r| r.peer.as_deref() == Some(p)).unwrap();
    assert_eq!(peer("192.0.2.2").status.as_str(), "tunnel-up", "{rows:?}");
    assert_eq!(
        peer("192.0.2.3").status.as_str(),
        "peer-unreachable",
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r.peer.as_deref() != Some("192.0.2.1")));
}

/// IOS-XE `show crypto ipsec sa` on a router running OSPFv3 with IPsec
/// authentication on one link (manual SAs to `FF02::5`, `no sa timing`)
/// and a crypto-map tunnel on another whose peer never answers.
const OSPFV3_AND_TUNNEL: &str = "edge-2#show crypto ipsec sa

interface: GigabitEthernet0/0/2
    Crypto map tag: (none), local addr FE80::2CA:E5FF:FE10:2

   protected vrf: (none)
   local  ident (addr/mask/prot/port): (FE80::/10/89/0)
   remote ident (addr/mask/prot/port): (::/0/89/0)
   current_peer FF02::5 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 980, #pkts encrypt: 0, #pkts digest: 980
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
    #send errors 0, #recv errors 0

     local crypto endpt.: FE80::2CA:E5FF:FE10:2,
     remote crypto endpt.: FF02::5
     plaintext mtu 1500, path mtu 1500, ipv6 mtu 1500, ipv6 mtu idb GigabitEthernet0/0/2
     current outbound spi: 0x7D0(2000)
     PFS (Y/N): N, DH group: none

     inbound ah sas:
      spi: 0x7D0(2000)
        transform: ah-sha-hmac ,
        in use settings ={Transport, }
        conn id: 2003, flow_id: ESG:3, sibling_flags FFFFFFFF80000008, crypto map: (none)
        no sa timing
        replay detection support: N
        Status: ACTIVE(ACTIVE)

     outbound ah sas:
      spi: 0x7D0(2000)
        transform: ah-sha-hmac ,
        in use settings ={Transport, }
        conn id: 2004, flow_id: ESG:4, sibling_flags FFFFFFFF80000008, crypto map: (none)
        no sa timing
        replay detection support: N
        Status: ACTIVE(ACTIVE)

interface: GigabitEthernet0/0/0
    Crypto map tag: CMAP, local addr 192.0.2.34

   protected vrf: (none)
   local  ident (addr/mask/prot/port): (10.34.0.0/255.255.0.0/0/0)
   remote ident (addr/mask/prot/port): (10.99.0.0/255.255.0.0/0/0)
   current_peer 198.51.100.99 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 77, #pkts encrypt: 77, #pkts digest: 77
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
    #send errors 0, #recv errors 0

     local crypto endpt.: 192.0.2.34, remote crypto endpt.: 198.51.100.99
     current outbound spi: 0x9A3C11E0(2587627872)
";

#[test]
fn routing_protocol_sas_to_a_multicast_group_are_no_tunnel() {
    let out = parse("edge-2.txt", OSPFV3_AND_TUNNEL);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(out.ipsec.len(), 2);
    let ospf = &out.ipsec[0];
    assert!(ospf.is_multicast() && !out.ipsec[1].is_multicast());
    assert!(ospf
        .inbound
        .ah
        .iter()
        .chain(&ospf.outbound.ah)
        .all(|sa| sa.manual));
    assert!(out.ipsec[1].inbound.esp.iter().all(|sa| !sa.manual));
    // Only the crypto-map tunnel is diagnosed and listed.
    let f = diagnose(std::slice::from_ref(&out));
    let one_way: Vec<_> = f
        .iter()
        .filter(|x| x.code.as_str() == "one-way-traffic")
        .map(|x| x.peer.as_deref())
        .collect();
    assert_eq!(one_way, [Some("198.51.100.99")]);
    assert!(f.iter().all(|x| x.peer.as_deref() != Some("FF02::5")));
    let rows = ipsec_doctor_show::tunnels(std::slice::from_ref(&out), &f);
    let peers: Vec<Option<&str>> = rows.iter().map(|r| r.peer.as_deref()).collect();
    assert_eq!(peers, [Some("198.51.100.99")]);
}

/// IOS 12.4 `show crypto isakmp sa` and `show crypto ipsec sa` of a spoke
/// whose ISAKMP SA with the hub is up; the block for `{IDENT}` holds `{SAS}`.
const PHASE1_ONLY: &str = "spoke-7#show crypto isakmp sa
dst             src             state          conn-id slot status
172.16.9.1      172.16.77.2     QM_IDLE              3    0 ACTIVE

spoke-7#show crypto ipsec sa

interface: Dialer1
    Crypto map tag: HUB, local addr 172.16.77.2

   protected vrf: (none)
   local  ident (addr/mask/prot/port): (10.77.0.0/255.255.255.0/0/0)
   remote ident (addr/mask/prot/port): (10.9.0.0/255.255.0.0/0/0)
   current_peer 172.16.9.1 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
    #pkts compressed: 0, #pkts decompressed: 0
    #pkts not compressed: 0, #pkts compr. failed: 0
    #pkts not decompressed: 0, #pkts decompress failed: 0
    #send errors 0, #recv errors 0

     local crypto endpt.: 172.16.77.2, remote crypto endpt.: 172.16.9.1
     path mtu 1492, ip mtu 1492, ip mtu idb Dialer1
     current outbound spi: 0x0(0)

     inbound esp sas:

     inbound ah sas:

     inbound pcp sas:

     outbound esp sas:

     outbound ah sas:

     outbound pcp sas:
{SECOND}";

/// A second ACL line's block, for the same hub, that carries traffic.
const SECOND_WITH_SAS: &str = "
   protected vrf: (none)
   local  ident (addr/mask/prot/port): (10.77.1.0/255.255.255.0/0/0)
   remote ident (addr/mask/prot/port): (10.9.0.0/255.255.0.0/0/0)
   current_peer 172.16.9.1 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 40, #pkts encrypt: 40, #pkts digest: 40
    #pkts decaps: 40, #pkts decrypt: 40, #pkts verify: 40
    #send errors 0, #recv errors 0

     local crypto endpt.: 172.16.77.2, remote crypto endpt.: 172.16.9.1
     current outbound spi: 0x5D1E22A7(1562255015)

     inbound esp sas:
      spi: 0x41C2A9E0(1103276512)
        transform: esp-aes esp-sha-hmac ,
        in use settings ={Tunnel, }
        conn id: 2003, flow_id: FPGA:3, crypto map: HUB
        sa timing: remaining key lifetime (k/sec): (4562291/3320)
        IV size: 16 bytes
        replay detection support: Y
        Status: ACTIVE

     outbound esp sas:
      spi: 0x5D1E22A7(1562255015)
        transform: esp-aes esp-sha-hmac ,
        in use settings ={Tunnel, }
        conn id: 2004, flow_id: FPGA:4, crypto map: HUB
        sa timing: remaining key lifetime (k/sec): (4562291/3320)
        IV size: 16 bytes
        replay detection support: Y
        Status: ACTIVE
";

#[test]
fn phase_1_up_without_any_ipsec_sa_is_a_quick_mode_warning() {
    let out = parse("spoke-7.txt", &PHASE1_ONLY.replace("{SECOND}", ""));
    let f = diagnose(std::slice::from_ref(&out));
    let qm: Vec<(&str, f32)> = f
        .iter()
        .filter(|x| x.title.contains("no IPsec SA exists"))
        .map(|x| (x.code.as_str(), x.confidence))
        .collect();
    assert_eq!(
        qm,
        [
            ("proxy-id-mismatch", 0.35),
            ("transform-set-mismatch", 0.25),
            ("pfs-mismatch", 0.2)
        ],
        "{:?}",
        codes(&f)
    );
    let proxy = find(&f, "proxy-id-mismatch");
    assert_eq!(proxy.severity, Severity::Warning);
    assert!(proxy.explanation.contains("idle"));
    // The first fix sends traffic the crypto ACL matches (a host of the
    // remote identity), the next mirrors our ACL on the hub.
    assert_eq!(
        proxy.fixes[0].commands[0],
        "ping 10.9.0.1 source <inside-interface>"
    );
    assert!(proxy.fixes[1]
        .commands
        .contains(&" permit ip 10.9.0.0 0.0.255.255 10.77.0.0 0.0.0.255".to_string()));
    let rows = ipsec_doctor_show::tunnels(std::slice::from_ref(&out), &f);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status.as_str(), "proxy-id-mismatch");
}

#[test]
fn an_idle_acl_line_beside_one_with_sas_is_not_a_quick_mode_failure() {
    let out = parse(
        "spoke-7.txt",
        &PHASE1_ONLY.replace("{SECOND}", SECOND_WITH_SAS),
    );
    assert_eq!(out.ipsec.len(), 2);
    let f = diagnose(std::slice::from_ref(&out));
    assert!(
        f.iter().all(|x| !x.title.contains("no IPsec SA exists")),
        "{:?}",
        codes(&f)
    );
    let rows = ipsec_doctor_show::tunnels(std::slice::from_ref(&out), &f);
    assert_eq!(rows[0].status.as_str(), "tunnel-up");
}

#[test]
fn no_quick_mode_reading_while_phase_1_is_down() {
    let text = PHASE1_ONLY
        .replace("{SECOND}", "")
        .replace("QM_IDLE   ", "MM_NO_STATE");
    let f = diagnose(&[parse("spoke-7.txt", &text)]);
    assert!(
        f.iter().all(|x| !x.title.contains("no IPsec SA exists")),
        "{:?}",
        codes(&f)
    );
}
