//! The seed document's `show crypto …` and ping examples (flattened onto
//! single lines by copy/paste) parse exactly, and are diagnosed as the
//! document explains.

use ipsec_doctor_show::{diagnose, mtu_bounds, parse, IsakmpFormat, ShowOutput};

fn seed() -> ShowOutput {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/seed/000_0a53f1ff0da6e12d.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    parse("seed.txt", &text)
}

#[test]
fn ios_isakmp_rows_flattened_with_the_next_heading() {
    let out = seed();
    // `dst src state conn-id slot 10.1.0.2 10.1.0.1 QM_IDLE 1 0 show crypto ipsec sa`
    let sa = &out.isakmp_sas[0];
    assert_eq!(sa.line, 51);
    assert_eq!(sa.format, IsakmpFormat::IosTable);
    assert_eq!(sa.dst.as_deref(), Some("10.1.0.2"));
    assert_eq!(sa.src.as_deref(), Some("10.1.0.1"));
    assert_eq!(sa.state.as_deref(), Some("QM_IDLE"));
    assert_eq!((sa.conn_id, sa.slot), (Some(1), Some(0)));
    // The heading glued after the row starts the ipsec section.
    let sec = out
        .sections
        .iter()
        .find(|s| s.line == 51 && s.command.is_some())
        .unwrap();
    assert_eq!(sec.command.as_deref(), Some("show crypto ipsec sa"));
    // Main mode failed: `dst src state conn-id slot 10.1.1.2 10.1.1.1 MM_NO_STATE 1 0`.
    let mm = out.isakmp_sas.iter().find(|s| s.line == 133).unwrap();
    assert_eq!(mm.state.as_deref(), Some("MM_NO_STATE"));
    assert_eq!(mm.dst.as_deref(), Some("10.1.1.2"));
}

#[test]
fn pix_isakmp_total_embryonic_after_the_prompt() {
    let out = seed();
    let sa = out.isakmp_sas.iter().find(|s| s.line == 303).unwrap();
    assert_eq!(sa.format, IsakmpFormat::Pix);
    assert_eq!(sa.dst.as_deref(), Some("192.168.254.250"));
    assert_eq!(sa.src.as_deref(), Some("10.177.243.187"));
    assert_eq!(sa.state.as_deref(), Some("MM_KEY_EXCH"));
    assert_eq!((sa.pending, sa.created), (Some(0), Some(0)));
    let sm = &out.isakmp_summaries[0];
    assert_eq!((sm.total, sm.embryonic), (Some(2), Some(1)));
    assert_eq!(out.device_at(303), Some("PIX"));
}

#[test]
fn ios_ipsec_sa_flattened_onto_one_line() {
    let out = seed();
    let b = out.ipsec.iter().find(|b| b.line == 59).unwrap();
    assert_eq!(b.interface.as_deref(), Some("FastEthernet0"));
    assert_eq!(b.crypto_map.as_deref(), Some("test"));
    assert_eq!(b.local_addr.as_deref(), Some("10.1.0.1"));
    assert_eq!(
        b.local_ident.as_ref().unwrap().text(),
        "10.1.0.0/255.255.255.0/0/0"
    );
    assert_eq!(
        b.remote_ident.as_ref().unwrap().text(),
        "10.1.1.0/255.255.255.0/0/0"
    );
    assert_eq!(b.current_peer.as_deref(), Some("10.1.0.2"));
    assert_eq!(b.action.as_deref(), Some("PERMIT"));
    assert_eq!(b.flags.as_deref(), Some("origin_is_acl,"));
    let c = &b.counters;
    assert_eq!(
        (c.encaps, c.encrypt, c.digest),
        (Some(7_767_918), Some(7_767_918), Some(7_767_918))
    );
    assert_eq!(
        (c.decaps, c.decrypt, c.verify),
        (Some(7_760_382), Some(7_760_382), Some(7_760_382))
    );
    assert_eq!(
        (c.compressed, c.decompressed, c.not_compressed),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!((c.compress_failed, c.decompress_failed), (Some(0), Some(0)));
    assert_eq!((c.send_errors, c.recv_errors), (Some(1), Some(0)));
    assert_eq!(b.local_endpoint.as_deref(), Some("10.1.0.1"));
    assert_eq!(b.remote_endpoint.as_deref(), Some("10.1.0.2"));
    assert_eq!((b.path_mtu, b.media_mtu), (Some(1500), Some(1500)));
    assert_eq!(b.current_outbound_spi.as_deref(), Some("3D3"));
    assert_eq!(b.inbound.esp.len(), 1);
    assert!(b.inbound.ah.is_empty() && b.inbound.pcp.is_empty());
    let i = &b.inbound.esp[0];
    assert_eq!(i.spi_hex, "0x136A010F");
    assert_eq!(i.spi, Some(325_714_191));
    assert_eq!(i.spi_dec.as_deref(), Some("325714191"));
    assert_eq!(i.transform.as_deref(), Some("esp-3des esp-md5-hmac"));
    assert_eq!(i.settings.as_deref(), Some("Tunnel"));
    assert_eq!((i.slot, i.conn_id), (Some(0), Some(3442)));
    assert_eq!(i.flow_id.as_deref(), Some("1443"));
    assert_eq!(i.crypto_map.as_deref(), Some("test"));
    assert_eq!((i.lifetime_kb, i.lifetime_sec), (Some(4_608_000), Some(52)));
    assert_eq!(i.iv_size, Some(8));
    assert_eq!(i.replay_detection.as_deref(), Some("Y"));
    let o = &b.outbound.esp[0];
    assert_eq!(
        (o.spi, o.conn_id, o.flow_id.as_deref()),
        (Some(0x3D3), Some(3443), Some("1444"))
    );
    assert_eq!(b.outbound.esp.len(), 1);
}

#[test]
fn pix_ipsec_sa_flattened_onto_one_line() {
    let out = seed();
    let b = out.ipsec.iter().find(|b| b.line == 315).unwrap();
    assert_eq!(b.interface.as_deref(), Some("outside"));
    assert_eq!(b.crypto_map.as_deref(), Some("vpn"));
    assert_eq!(
        b.remote_ident.as_ref().unwrap().text(),
        "10.1.0.2/255.255.255.255/0/0"
    );
    assert_eq!(b.current_peer.as_deref(), Some("10.2.1.1"));
    assert_eq!(b.dynamic_peer.as_deref(), Some("10.1.0.2"));
    assert_eq!(b.flags.as_deref(), Some(""));
    assert_eq!(
        (b.counters.encaps, b.counters.decaps),
        (Some(345), Some(366))
    );
    assert_eq!((b.counters.digest, b.counters.verify), (Some(0), Some(0)));
    assert_eq!(b.ipsec_overhead, Some(56));
    assert_eq!(b.current_outbound_spi.as_deref(), Some("9a46ecae"));
    assert_eq!(b.inbound.esp[0].spi, Some(0x050b_98b5));
    assert_eq!(b.inbound.esp[0].spi_dec.as_deref(), Some("84646069"));
    assert_eq!(b.outbound.esp[0].spi, Some(0x9a46_ecae));
    assert_eq!(
        (
            b.outbound.esp[0].lifetime_kb,
            b.outbound.esp[0].lifetime_sec
        ),
        (Some(460_800), Some(21))
    );
    // The prose after the output makes no block of its own.
    assert_eq!(out.ipsec.len(), 2);
}

#[test]
fn df_ping_sweep_gives_path_mtu_bounds() {
    let out = seed();
    assert_eq!(out.pings.len(), 2);
    let (big, ok) = (&out.pings[0], &out.pings[1]);
    assert_eq!(big.target.as_deref(), Some("172.16.1.56"));
    assert_eq!(big.source.as_deref(), Some("10.1.1.2"));
    assert!(big.df && ok.df);
    assert_eq!(
        (big.size, big.sent, big.received),
        (Some(1550), Some(5), Some(0))
    );
    assert_eq!(big.frag_needed, 5);
    assert_eq!(
        (ok.size, ok.received, ok.success_percent),
        (Some(1500), Some(5), Some(100))
    );
    let b = mtu_bounds(&out.pings);
    assert_eq!(b.len(), 1);
    assert_eq!(
        (b[0].lower, b[0].upper, b[0].frag_needed),
        (Some(1500), Some(1549), true)
    );
}

#[test]
fn diagnosis_follows_the_document() {
    let out = seed();
    let f = diagnose(&[out]);
    let has = |code: &str, conf: f32| {
        f.iter()
            .any(|x| x.code.as_str() == code && (x.confidence - conf).abs() < 1e-6)
    };
    // "MM_KEY_EXCH: the pre-shared key is wrong or the peer's address differs".
    assert!(has("psk-mismatch", 0.6));
    assert!(has("peer-address-mismatch", 0.35));
    // "MM_NO_STATE: main mode failed — check the phase 1 policies".
    assert!(has("phase1-policy-mismatch", 0.55));
    assert!(has("peer-unreachable", 0.5));
    // Path MTU 1500 with esp-3des esp-md5-hmac: 1500 − 54 − 40 = 1406.
    let mtu = f
        .iter()
        .find(|x| x.code.as_str() == "mtu-fragmentation")
        .unwrap();
    assert!(mtu.title.contains("adjust-mss 1406"), "{}", mtu.title);
    assert!(mtu.fixes[0]
        .commands
        .iter()
        .any(|c| c.contains("ip tcp adjust-mss 1406")));
    assert!(mtu
        .evidence
        .iter()
        .all(|e| e.line == 387 && e.source == "seed.txt"));
    assert!(f.iter().any(|x| x.code.as_str() == "weak-crypto"));
    assert!(f.iter().any(|x| x.code.as_str() == "tunnel-up"));
    // Every finding carries evidence and (for problems) a fix.
    for x in &f {
        assert!(!x.evidence.is_empty(), "{}", x.title);
        if x.code.is_failure() {
            assert!(!x.fixes.is_empty(), "{}", x.title);
        }
    }
}

#[test]
fn repository_seed_examples_parse() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seed");
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let out = parse(&name, &text);
        let f = diagnose(std::slice::from_ref(&out));
        let codes: Vec<&str> = f.iter().map(|x| x.code.as_str()).collect();
        if name.starts_with("01-") || name.starts_with("25-") {
            assert_eq!(out.ipsec.len(), 1, "{name}");
            assert!(codes.contains(&"tunnel-up"), "{name}: {codes:?}");
        }
        if name.starts_with("24-") {
            assert!(codes.first() == Some(&"psk-mismatch"), "{name}: {codes:?}");
        }
        if name.starts_with("08-") {
            assert!(
                codes.contains(&"phase1-policy-mismatch"),
                "{name}: {codes:?}"
            );
        }
    }
}
