//! `show crypto ipsec sa address` (SAs grouped by destination address, no
//! direction printed) and the `identity` / `map` / `vrf` forms of
//! `show crypto ipsec sa`, and how the diagnosis uses the address layout
//! without raising findings it cannot stand behind.
//!
//! Sources of the data (`tests/data/address/`):
//! * `ios-12.2-address.txt`: the layout of the `show crypto ipsec sa
//!   address` example of the Cisco IOS 12.2 Security Command Reference
//!   (`srfipsec.html`: `dest address:`, `protocol: AH` / `ESP`, the SA lines
//!   of the plain layout), with its SPIs `0x3C50B3AB(1011921835)` and
//!   `0x8A7B02D1(2323317457)`; the stored copy of that page could only be
//!   read from its beginning, so the lines below its first SAs are written
//!   in the same layout, not copied.
//! * `iosxe-16.12-address.txt`: hand-written IOS-XE 16 form (`conn id …,
//!   flow_id CSR:n, sibling_flags …`, `Status: ACTIVE(ACTIVE)`, `Kilobyte
//!   Volume Rekey`, `replay window size`, a `STANDBY` SA of a re-key, several
//!   SAs under one destination, SPIs without a blank line between them).
//! * `paste-no-prompt-crlf.txt`: hand-written IOS 15 paste without the
//!   command, CRLF, with an IPComp (`protocol: PCP`) SA.
//! * `ios-15-identity-map-vrf.txt`: `identity` as a public IOS 15 DMVPN lab
//!   write-up prints it (the root identity `current_peer (none) port 500`,
//!   `DENY, flags={ident_is_root,}`, counters but no SA lists; addresses as
//!   there), then `map NAME` and `vrf NAME`, which print the plain layout.
//! * `pair-*.txt`: two ends of one tunnel, hand-written.

use ipsec_doctor_model::Finding;
use ipsec_doctor_show::{
    diagnose, looks_like_show, parse, tunnels, Direction, IpsecSaBlock, Sa, SaProtocol,
    SectionKind, ShowOutput,
};

fn text(name: &str) -> String {
    let path = format!("{}/tests/data/address/{name}", env!("CARGO_MANIFEST_DIR"));
    String::from_utf8(std::fs::read(&path).unwrap()).unwrap()
}

fn load(name: &str) -> ShowOutput {
    parse(name, &text(name))
}

fn codes(f: &[Finding]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    f.iter()
        .map(|x| (x.code.as_str(), x.device.as_deref(), x.peer.as_deref()))
        .collect()
}

/// Every field of an SA on one line, so that a test compares them all.
fn sa(s: &Sa) -> String {
    let o = |v: Option<&str>| v.unwrap_or("-").to_string();
    let n = |v: Option<u64>| v.map_or("-".into(), |v| v.to_string());
    format!(
        "{:?} {:?} {} {} {} ({}) t={} set={} slot={} conn={} flow={} sib={} map={} life={}/{} kbdis={} iv={} replay={}/{} status={}",
        s.direction,
        s.protocol,
        s.line,
        s.spi_hex,
        n(s.spi.map(u64::from)),
        o(s.spi_dec.as_deref()),
        o(s.transform.as_deref()),
        o(s.settings.as_deref()),
        n(s.slot.map(u64::from)),
        n(s.conn_id),
        o(s.flow_id.as_deref()),
        o(s.sibling_flags.as_deref()),
        o(s.crypto_map.as_deref()),
        n(s.lifetime_kb),
        n(s.lifetime_sec),
        s.kb_rekey_disabled,
        n(s.iv_size.map(u64::from)),
        o(s.replay_detection.as_deref()),
        n(s.replay_window.map(u64::from)),
        o(s.status.as_deref()),
    )
}

/// An address block: its line and destination, and every SA under it.
fn block(b: &IpsecSaBlock) -> (u64, &str, Vec<String>) {
    // Nothing of the plain layout's header, and no directed SA.
    assert!(b.interface.is_none() && b.crypto_map.is_none() && b.current_peer.is_none());
    assert!(b.local_ident.is_none() && b.remote_ident.is_none());
    assert_eq!(b.counters, Default::default());
    assert!(b.inbound.is_empty() && b.outbound.is_empty());
    assert_eq!(b.peer(), None);
    (
        b.line,
        b.dest_address.as_deref().unwrap_or("-"),
        b.undirected.iter().map(sa).collect(),
    )
}

#[test]
fn ios_12_2_address_layout() {
    let out = load("ios-12.2-address.txt");
    assert_eq!((out.lines, out.skipped, out.blank), (37, 0, 3));
    assert_eq!(out.sections[0].kind, SectionKind::Ipsec);
    assert_eq!(
        out.sections[0].command.as_deref(),
        Some("show crypto ipsec sa address")
    );
    assert_eq!(out.device.as_deref(), Some("Router"));
    let blocks: Vec<_> = out.ipsec.iter().map(block).collect();
    assert_eq!(
        blocks,
        [
            (
                3,
                "10.1.1.1",
                vec![
                    "Unknown Ah 5 0x3C50B3AB 1011921835 (1011921835) t=ah-md5-hmac set=Tunnel slot=0 conn=2 flow=- sib=- map=my-map life=4607998/3582 kbdis=false iv=- replay=Y/- status=-".to_string(),
                    "Unknown Esp 12 0x8A7B02D1 2323317457 (2323317457) t=esp-des esp-md5-hmac set=Tunnel slot=0 conn=3 flow=- sib=- map=my-map life=4607996/3582 kbdis=false iv=8 replay=Y/- status=-".to_string(),
                ]
            ),
            (
                20,
                "10.1.1.2",
                vec![
                    "Unknown Ah 22 0x257A1039 628756537 (628756537) t=ah-md5-hmac set=Tunnel slot=0 conn=4 flow=- sib=- map=my-map life=4607999/3582 kbdis=false iv=- replay=Y/- status=-".to_string(),
                    "Unknown Esp 29 0x20890A6F 545852015 (545852015) t=esp-des esp-md5-hmac set=Tunnel slot=0 conn=5 flow=- sib=- map=my-map life=4607999/3582 kbdis=false iv=8 replay=Y/- status=-".to_string(),
                ]
            ),
        ]
    );
    let b = &out.ipsec[0];
    assert_eq!(b.transform(), Some("esp-des esp-md5-hmac"));
    assert!(b.tunnel_mode() && !b.nat_t());
    // The header and SPI lines are kept for evidence.
    let kept: Vec<_> = b
        .evidence
        .iter()
        .map(|r| (r.line(), out.text_of(r)))
        .collect();
    assert_eq!(kept, [(3, "dest address: 10.1.1.1")]);
    let spi = b.undirected[0].spi_line.as_ref().unwrap();
    assert_eq!(out.text_of(spi), "spi: 0x3C50B3AB(1011921835)");

    // Alone, the layout says nothing about a tunnel (no peer, no
    // direction, no counters): only the weak algorithms it shows.
    let f = diagnose(&[out]);
    assert_eq!(codes(&f), [("weak-crypto", Some("Router"), None)]);
    assert_eq!(
        f[0].title,
        "Weak algorithms in use: ah-md5-hmac, esp-des, esp-md5-hmac"
    );
    let out = load("ios-12.2-address.txt");
    assert!(tunnels(&[out], &f).is_empty());
}

#[test]
fn iosxe_16_address_layout_with_rekey_and_nat_t() {
    let out = load("iosxe-16.12-address.txt");
    assert_eq!((out.lines, out.skipped), (55, 0));
    let blocks: Vec<_> = out.ipsec.iter().map(block).collect();
    assert_eq!(
        blocks,
        [
            (
                2,
                "198.51.100.1",
                vec![
                    "Unknown Esp 4 0x9A3C11E2 2587628002 (2587628002) t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2005 flow=CSR:5 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607958/3014 kbdis=false iv=16 replay=Y/- status=ACTIVE(ACTIVE)".to_string(),
                    "Unknown Esp 13 0x7E21D0A5 2116145317 (2116145317) t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2007 flow=CSR:7 sib=FFFFFFFF80000048 map=Tunnel1-head-0 life=4608000/1187 kbdis=true iv=16 replay=Y/- status=ACTIVE(ACTIVE)".to_string(),
                ]
            ),
            (
                23,
                "203.0.113.9",
                vec![
                    "Unknown Esp 25 0x4F2D7A10 1328380432 (1328380432) t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2006 flow=CSR:6 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607961/3014 kbdis=false iv=16 replay=Y/- status=ACTIVE(ACTIVE)".to_string(),
                    "Unknown Esp 34 0x1B0E5C33 453925939 (453925939) t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2004 flow=CSR:4 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607990/21 kbdis=false iv=16 replay=Y/- status=STANDBY(STANDBY)".to_string(),
                ]
            ),
            (
                43,
                "192.0.2.77",
                vec![
                    "Unknown Esp 45 0x52AB9C07 1386978311 (1386978311) t=esp-gcm 256 set=Transport UDP-Encaps slot=- conn=2008 flow=CSR:8 sib=FFFFFFFF80000008 map=Tunnel1-head-0 life=4608000/1187 kbdis=true iv=8 replay=Y/1024 status=ACTIVE(ACTIVE)".to_string(),
                ]
            ),
        ]
    );
    assert!(out.ipsec[2].nat_t() && !out.ipsec[2].tunnel_mode());
    // Strong algorithms, no counters, no peer: nothing to say.
    assert!(diagnose(&[out]).is_empty());

    // JSON: the direction is `unknown`, the SAs under `undirected`; other
    // layouts' blocks have no `undirected` key.
    let v = serde_json::to_value(&load("iosxe-16.12-address.txt").ipsec[0]).unwrap();
    assert_eq!(v["dest_address"], "198.51.100.1");
    assert_eq!(v["undirected"][0]["direction"], "unknown");
    assert_eq!(v["undirected"][1]["spi"], 2116145317u32);
    assert_eq!(v["inbound"]["esp"].as_array().map(Vec::len), Some(0));
    let plain = parse("p", &text("pair-r2-plain.txt"));
    let v = serde_json::to_value(&plain.ipsec[0]).unwrap();
    assert!(v.get("undirected").is_none());
    assert_eq!(v["dest_address"], serde_json::Value::Null);
}

#[test]
fn a_promptless_crlf_paste_is_sniffed() {
    let t = text("paste-no-prompt-crlf.txt");
    assert!(looks_like_show(&t));
    let out = parse("paste", &t);
    assert_eq!((out.lines, out.skipped), (18, 0));
    assert_eq!(out.sections.len(), 1);
    assert_eq!(out.sections[0].kind, SectionKind::Ipsec);
    assert_eq!(out.sections[0].command, None);
    let blocks: Vec<_> = out.ipsec.iter().map(block).collect();
    assert_eq!(
        blocks,
        [(
            1,
            "172.16.0.1",
            vec![
                "Unknown Esp 3 0xE1F0A3B2 3790644146 (3790644146) t=esp-aes esp-sha-hmac set=Tunnel slot=- conn=2001 flow=SW:1 sib=- map=VPN life=4525504/2961 kbdis=false iv=16 replay=Y/- status=ACTIVE".to_string(),
                "Unknown Pcp 12 0x3D4C 15692 (15692) t=comp-lzs set=Tunnel slot=- conn=2003 flow=SW:3 sib=- map=VPN life=4525504/2961 kbdis=false iv=- replay=N/- status=ACTIVE".to_string(),
            ]
        )]
    );
    assert_eq!(out.ipsec[0].undirected[1].protocol, SaProtocol::Pcp);
    assert_eq!(out.ipsec[0].undirected[0].direction, Direction::Unknown);
}

#[test]
fn address_layout_flattened_parses_like_the_original() {
    for name in ["ios-12.2-address.txt", "iosxe-16.12-address.txt"] {
        let t = text(name);
        let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let (a, b) = (parse("x", &t), parse("x", &flat));
        assert_eq!(b.lines, 1);
        assert_eq!(b.skipped, 0, "{name}");
        assert_eq!(a.ipsec.len(), b.ipsec.len(), "{name}");
        for (x, y) in a.ipsec.iter().zip(&b.ipsec) {
            assert_eq!(x.dest_address, y.dest_address, "{name}");
            let spis = |b: &IpsecSaBlock| {
                b.undirected
                    .iter()
                    .map(|s| {
                        (
                            s.protocol,
                            s.spi,
                            s.transform.clone(),
                            s.conn_id,
                            s.status.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(spis(x), spis(y), "{name}");
        }
    }
}

#[test]
fn protocol_lines_outside_an_address_block_are_not_understood() {
    // `protocol:` only means something under `dest address:`; an SA line
    // without a list header is not understood either.
    let out = parse(
        "x",
        "R1#show crypto ipsec sa\ninterface: Gi1\n   protocol: ESP\n      spi: 0x1(1)\n",
    );
    assert_eq!(out.skipped, 2);
    assert_eq!(out.skipped_lines, [3, 4]);
    assert!(out.ipsec[0].undirected.is_empty());
    // An unknown protocol under an address block is skipped, and its SAs
    // are not filed under the previous protocol.
    let out = parse(
        "x",
        "dest address: 10.0.0.1\n   protocol: ESP\n      spi: 0x10(16)\n   protocol: XYZ\n      spi: 0x20(32)\n",
    );
    assert_eq!(out.skipped_lines, [4, 5]);
    let spis: Vec<_> = out.ipsec[0].undirected.iter().map(|s| s.spi).collect();
    assert_eq!(spis, [Some(16)]);
}

#[test]
fn identity_map_and_vrf_forms() {
    let out = load("ios-15-identity-map-vrf.txt");
    assert_eq!(out.skipped, 0);
    let cmds: Vec<_> = out
        .sections
        .iter()
        .map(|s| (s.kind, s.command.as_deref()))
        .collect();
    assert_eq!(
        cmds,
        [
            (SectionKind::Ipsec, Some("show crypto ipsec sa identity")),
            (
                SectionKind::Ipsec,
                Some("show crypto ipsec sa map Tunnel200-head-0")
            ),
            (SectionKind::Ipsec, Some("show crypto ipsec sa vrf CUST-A")),
            (SectionKind::Other, None),
        ]
    );
    let rows: Vec<_> = out
        .ipsec
        .iter()
        .map(|b| {
            (
                b.line,
                b.interface.as_deref(),
                b.local_ident.as_ref().map(|i| i.text()),
                b.peer(),
                b.peer_port,
                b.action.as_deref(),
                b.flags.as_deref(),
                b.protected_vrf.as_deref(),
                b.counters.encaps,
                b.counters.decaps,
                b.inbound.esp.len() + b.outbound.esp.len(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // `identity`: the root identity has no peer.
            (
                3,
                Some("Tunnel200"),
                Some("0.0.0.0/0.0.0.0/0/0".to_string()),
                None,
                Some(500),
                Some("DENY"),
                Some("ident_is_root,"),
                Some("(none)"),
                Some(0),
                Some(0),
                0
            ),
            (
                18,
                Some("Tunnel200"),
                Some("10.10.0.29/255.255.255.255/47/0".to_string()),
                Some("10.10.0.89"),
                Some(500),
                Some("PERMIT"),
                Some("origin_is_acl,"),
                Some("(none)"),
                Some(93),
                Some(99),
                0
            ),
            // `map`: the plain layout, SAs included.
            (
                32,
                Some("Tunnel200"),
                Some("10.10.0.29/255.255.255.255/47/0".to_string()),
                Some("10.10.0.89"),
                Some(500),
                Some("PERMIT"),
                Some("origin_is_acl,"),
                Some("(none)"),
                Some(93),
                Some(99),
                2
            ),
            // `vrf`: likewise.
            (
                81,
                Some("Tunnel300"),
                Some("0.0.0.0/0.0.0.0/0/0".to_string()),
                Some("12.10.0.2"),
                Some(500),
                Some("PERMIT"),
                Some("origin_is_acl,"),
                Some("CUST-A"),
                Some(18),
                Some(18),
                2
            ),
        ]
    );
    assert_eq!(out.ipsec[2].inbound.esp[0].spi, Some(0x0A1B_2C3D));
    assert_eq!(out.ipsec[2].inbound.esp[0].direction, Direction::Inbound);
    assert_eq!(out.ipsec[3].outbound.esp[0].spi, Some(0x8F9E_7D6C));
    let f = diagnose(&[out]);
    assert_eq!(
        codes(&f),
        [
            ("weak-crypto", Some("hub"), None),
            ("tunnel-up", Some("hub"), Some("10.10.0.89")),
            ("tunnel-up", Some("hub"), Some("12.10.0.2")),
        ]
    );
    // The root identity is no tunnel: no row for a peer named `(none)`.
    let out = load("ios-15-identity-map-vrf.txt");
    let rows = tunnels(&[out], &f);
    let peers: Vec<_> = rows.iter().map(|r| r.peer.as_deref()).collect();
    assert_eq!(peers, [Some("10.10.0.89"), Some("12.10.0.2")]);
}

/// R1 (IKEv2 table + `address`) and R2 (plain layout) agree.
#[test]
fn both_ends_agree_across_layouts() {
    let r1 = load("pair-r1-ikev2-address.txt");
    let r2 = load("pair-r2-plain.txt");
    let f = diagnose(&[r1, r2]);
    assert_eq!(codes(&f), [("tunnel-up", Some("R2"), Some("198.51.100.1"))]);
}

/// R2 lost the inbound SA R1 sends with: R1's `address` output lists it
/// under R2's address (known from R2's crypto endpoint), so R1 sends with it.
#[test]
fn an_spi_sent_to_the_other_ends_address_must_be_one_it_has() {
    let r1 = load("pair-r1-ikev2-address.txt");
    let r2 = parse(
        "r2",
        &text("pair-r2-plain.txt").replace(
            "      spi: 0x4F2D7A10(1328380432)",
            "      spi: 0x0A1B2C3D(169552957)",
        ),
    );
    let f = diagnose(&[r1, r2]);
    assert_eq!(
        codes(&f),
        [
            ("invalid-spi", Some("R1"), Some("R2")),
            ("tunnel-up", Some("R2"), Some("198.51.100.1")),
        ]
    );
    assert_eq!(
        f[0].title,
        "R1 sends with SPI 0x4F2D7A10 that R2 does not have"
    );
    assert!(f[0].explanation.contains("its SPIs there: 0x0A1B2C3D"));
    let ev: Vec<_> = f[0]
        .evidence
        .iter()
        .map(|e| (e.line, e.text.as_str()))
        .collect();
    assert_eq!(
        ev,
        [
            (23, "dest address: 203.0.113.9"),
            (25, "spi: 0x4F2D7A10(1328380432)")
        ]
    );

    // The other way: R2 (plain layout) sends with an SPI that R1's
    // `address` output does not list under R1's own address (known from
    // its IKEv2 SA).
    let r1 = load("pair-r1-ikev2-address.txt");
    let r2 = parse(
        "r2",
        &text("pair-r2-plain.txt").replace(
            "      spi: 0x9A3C11E2(2587628002)",
            "      spi: 0x7E21D0A5(2116145317)",
        ),
    );
    let f = diagnose(&[r1, r2]);
    assert_eq!(
        codes(&f),
        [
            ("invalid-spi", Some("R2"), Some("R1")),
            ("tunnel-up", Some("R2"), Some("198.51.100.1")),
        ]
    );
    assert_eq!(
        f[0].title,
        "R2 sends with SPI 0x7E21D0A5 that R1 does not have"
    );
}

/// R3 shows the tunnel as an IKEv2 session with its child SA: the SPI it
/// sends with must be one R1 lists under R1's own address, and the SPI R1
/// lists under R3's address must be R3's inbound child SPI.
#[test]
fn ikev2_child_spis_against_the_address_layout() {
    let session = |spi_in: &str, spi_out: &str| {
        format!(
            "R3#show crypto ikev2 session\n IPv4 Crypto IKEv2 Session\n\n\
             Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n\n\
             Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
             1         203.0.113.9/500       198.51.100.1/500      none/none            READY\n\
             \x20     Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n\
             \x20     Life/Active Time: 86400/1200 sec\n\
             Child sa: local selector  0.0.0.0/0 - 255.255.255.255/65535\n\
             \x20         remote selector 0.0.0.0/0 - 255.255.255.255/65535\n\
             \x20         ESP spi in/out: {spi_in}/{spi_out}\n"
        )
    };
    let run = |spi_in: &str, spi_out: &str| {
        let r1 = load("pair-r1-ikev2-address.txt");
        let r3 = parse("r3", &session(spi_in, spi_out));
        assert_eq!(r3.ikev2_sas[0].children.len(), 1);
        diagnose(&[r1, r3])
    };
    assert!(run("0x4F2D7A10", "0x9A3C11E2").is_empty());
    let f = run("0x4F2D7A10", "0x11112222");
    assert_eq!(codes(&f), [("invalid-spi", Some("R3"), Some("R1"))]);
    assert_eq!(
        f[0].title,
        "R3 sends with child SA SPI 0x11112222 that R1 does not have"
    );
    assert!(f[0].explanation.contains("inbound SPIs: 0x9A3C11E2"));
    let f = run("0x33334444", "0x9A3C11E2");
    assert_eq!(codes(&f), [("invalid-spi", Some("R1"), Some("R3"))]);
    assert_eq!(
        f[0].title,
        "R1 sends with SPI 0x4F2D7A10 that R3 does not have"
    );
}

/// Only the address layout on both ends: whose address a destination is
/// cannot be told, so nothing is compared.
#[test]
fn address_layout_alone_on_both_ends_raises_nothing() {
    let r1 = text("pair-r1-ikev2-address.txt");
    let r1_address = &r1[r1.find("R1#show crypto ipsec sa address").unwrap()..];
    // R2's view of the same SAs, one of them different.
    let r2 = "R2#show crypto ipsec sa address\n\
              dest address: 198.51.100.1\n   protocol: ESP\n      spi: 0x9A3C11E2(2587628002)\n\
              \x20       transform: esp-256-aes esp-sha256-hmac ,\n\
              dest address: 203.0.113.9\n   protocol: ESP\n      spi: 0x0A1B2C3D(169552957)\n\
              \x20       transform: esp-256-aes esp-sha256-hmac ,\n";
    let outs = [parse("r1", r1_address), parse("r2", r2)];
    assert_eq!(outs[0].ipsec.len(), 2);
    assert_eq!(outs[1].ipsec.len(), 2);
    let f = diagnose(&outs);
    assert!(f.is_empty(), "{:?}", codes(&f));
    assert!(tunnels(&outs, &f).is_empty());
}

/// Two spokes of one hub both list the hub's address as a destination,
/// with different SPIs (each its own SA to the hub): no finding between
/// the spokes, though each one's own address is known.
#[test]
fn two_spokes_of_one_hub_are_not_compared() {
    let spoke = |name: &str, me: &str, spi_to_hub: &str, spi_from_hub: &str| {
        format!(
            "{name}#show crypto ikev2 sa\n IPv4 Crypto IKEv2  SA\n\n\
             Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
             1         {me}/500      198.51.100.1/500      none/none            READY\n\n\
             {name}#show crypto ipsec sa address\n\
             dest address: 198.51.100.1\n   protocol: ESP\n      spi: {spi_to_hub}\n\
             dest address: {me}\n   protocol: ESP\n      spi: {spi_from_hub}\n"
        )
    };
    let s1 = parse(
        "s1",
        &spoke(
            "S1",
            "203.0.113.21",
            "0x11110001(286326785)",
            "0x22220001(572653569)",
        ),
    );
    let s2 = parse(
        "s2",
        &spoke(
            "S2",
            "203.0.113.22",
            "0x11110002(286326786)",
            "0x22220002(572653570)",
        ),
    );
    assert_eq!(s1.ikev2_sas.len(), 1);
    assert_eq!(s2.ipsec.len(), 2);
    assert_eq!(s2.ipsec[0].undirected[0].spi, Some(0x1111_0002));
    let f = diagnose(&[s1, s2]);
    assert!(f.is_empty(), "{:?}", codes(&f));
}
