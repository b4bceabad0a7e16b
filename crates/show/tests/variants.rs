//! Hand-written outputs in the formats of other versions (IOS 12.4,
//! IOS-XE 17, ASA 8.2, ASA 9.x, PIX 6.3) in `tests/data/variants/`, and the
//! corpus transcripts in `tests/data/corpus/`.

use ipsec_doctor_show::{parse, IsakmpFormat, SectionKind, ShowOutput};

fn load(name: &str) -> ShowOutput {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse(name, &text)
}

#[test]
fn ios_12_4() {
    let out = load("variants/ios-12.4.txt");
    assert_eq!(out.device.as_deref(), Some("R1"));
    assert_eq!(out.skipped, 0);
    let kinds: Vec<SectionKind> = out.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds[..3],
        [SectionKind::Isakmp, SectionKind::Ipsec, SectionKind::Engine]
    );
    // `dst src state conn-id slot status` with a two-word status.
    let sa = &out.isakmp_sas[1];
    assert_eq!(sa.state.as_deref(), Some("MM_NO_STATE"));
    assert_eq!(sa.status.as_deref(), Some("ACTIVE (deleted)"));
    assert_eq!((sa.conn_id, sa.slot), (Some(2), Some(0)));
    // Two identity sets under one interface / crypto map: two blocks.
    assert_eq!(out.ipsec.len(), 2);
    let (a, b) = (&out.ipsec[0], &out.ipsec[1]);
    assert_eq!(a.interface.as_deref(), Some("FastEthernet0/0"));
    assert_eq!(b.interface.as_deref(), Some("FastEthernet0/0"));
    assert_eq!(b.crypto_map.as_deref(), Some("MYMAP"));
    assert_eq!(b.local_ident.as_ref().unwrap().addr, "10.1.3.0");
    assert_eq!(a.peer_port, Some(500));
    assert_eq!(a.counters.send_errors, Some(3));
    assert_eq!(a.ip_mtu_idb.as_deref(), Some("FastEthernet0/0"));
    assert_eq!(a.inbound.esp[0].flow_id.as_deref(), Some("SW:1"));
    assert_eq!(a.inbound.esp[0].status.as_deref(), Some("ACTIVE"));
    assert_eq!(a.outbound.esp[0].spi, Some(0x8E2E_2DC4));
    assert!(b.inbound.is_empty() && b.outbound.is_empty());
    assert_eq!(b.current_outbound_spi.as_deref(), Some("0x0(0)"));
    // Engine connections, 12.x layout.
    assert_eq!(out.engine_connections.len(), 3);
    let e = &out.engine_connections[2];
    assert_eq!((e.id, e.encrypt, e.decrypt), (2002, Some(124), Some(0)));
    assert_eq!(e.interface.as_deref(), Some("FastEthernet0/0"));
    assert_eq!(e.state.as_deref(), Some("set"));
    assert_eq!(e.algorithm.as_deref(), Some("AES+SHA"));
}

#[test]
fn ios_xe_17() {
    let out = load("variants/iosxe-17.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("CSR1"));
    // `IPv4 Crypto ISAKMP SA` table (no slot column) and the detail table.
    let t = &out.isakmp_sas[1];
    assert_eq!(
        (t.state.as_deref(), t.conn_id, t.slot),
        (Some("MM_WAIT_MSG2"), Some(1003), None)
    );
    assert_eq!(t.status.as_deref(), Some("ACTIVE"));
    let d = &out.isakmp_sas[2];
    assert_eq!(d.format, IsakmpFormat::IosDetail);
    assert_eq!(
        (d.local.as_deref(), d.peer.as_deref()),
        (Some("203.0.113.10"), Some("203.0.113.1"))
    );
    assert_eq!(
        (
            d.encryption.as_deref(),
            d.hash.as_deref(),
            d.auth.as_deref()
        ),
        (Some("aes"), Some("sha"), Some("psk"))
    );
    assert_eq!(
        (d.dh_group.as_deref(), d.lifetime.as_deref()),
        (Some("14"), Some("23:59:48"))
    );
    assert_eq!(
        (d.capabilities.as_deref(), d.engine_id.as_deref()),
        (Some("D"), Some("SW:1"))
    );
    let v = &out.isakmp_sas[3];
    assert_eq!(
        (
            v.ivrf.as_deref(),
            v.status.as_deref(),
            v.encryption.as_deref()
        ),
        (Some("INET"), Some("ACTIVE"), Some("3des"))
    );
    // IPsec detail: every counter, PFS, plaintext MTU, per-SA detail.
    let b = &out.ipsec[0];
    assert_eq!(b.counters.verify_failed, Some(150));
    assert_eq!(b.counters.replay_failed_recv, Some(40));
    assert_eq!(b.counters.internal_err_recv, Some(0));
    assert_eq!(
        (b.plaintext_mtu, b.path_mtu, b.ip_mtu),
        (Some(1438), Some(1500), Some(1500))
    );
    assert_eq!(
        (b.pfs.as_deref(), b.dh_group.as_deref()),
        (Some("Y"), Some("group14"))
    );
    let sa = &b.inbound.esp[0];
    assert!(sa.kb_rekey_disabled);
    assert_eq!(
        (sa.replay_detection.as_deref(), sa.replay_window),
        (Some("Y"), Some(64))
    );
    assert_eq!(sa.sibling_flags.as_deref(), Some("FFFFFFFF80000048"));
    assert_eq!(sa.status.as_deref(), Some("ACTIVE(ACTIVE)"));
    // The plaintext MTU IOS prints is what the transform gives.
    assert_eq!(
        ipsec_doctor_show::mtu::plaintext_mtu(
            1500,
            sa.transform.as_deref().unwrap(),
            b.tunnel_mode(),
            b.nat_t()
        ),
        b.plaintext_mtu
    );
    // Engine connections, 15.x layout.
    let e = &out.engine_connections[1];
    assert_eq!(
        (e.id, e.encrypt, e.decrypt, e.last_seq),
        (2002, Some(5000), Some(0), Some(0))
    );
    assert_eq!(
        (e.conn_type.as_deref(), e.ip_address.as_deref()),
        (Some("IPsec"), Some("203.0.113.10"))
    );
    // `show crypto session` (no detail).
    assert_eq!(out.sessions.len(), 2);
    let s = &out.sessions[1];
    assert_eq!(s.status.as_deref(), Some("DOWN-NEGOTIATING"));
    assert_eq!(s.ike_sas[0].status.as_deref(), Some("Inactive"));
    assert_eq!(s.flows[0].dst_mask.as_deref(), Some("255.255.0.0"));
}

#[test]
fn asa_8_2() {
    let out = load("variants/asa-8.2.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.isakmp_sas.len(), 2);
    let sa = &out.isakmp_sas[0];
    assert_eq!(sa.format, IsakmpFormat::AsaBlock);
    assert_eq!(
        (sa.index, sa.peer.as_deref()),
        (Some(1), Some("198.51.100.2"))
    );
    assert_eq!(
        (
            sa.sa_type.as_deref(),
            sa.role.as_deref(),
            sa.rekey.as_deref()
        ),
        (Some("L2L"), Some("initiator"), Some("no"))
    );
    assert_eq!(sa.state.as_deref(), Some("MM_WAIT_MSG2"));
    let sm = &out.isakmp_summaries[0];
    assert_eq!((sm.active, sm.rekey, sm.total), (Some(2), Some(0), Some(2)));
    let b = &out.ipsec[0];
    assert_eq!(
        (b.crypto_map.as_deref(), b.seq),
        (Some("outside_map"), Some(20))
    );
    assert_eq!(b.access_list.as_deref(), Some("access-list outside_20_cryptomap permit ip 10.10.0.0 255.255.0.0 10.20.0.0 255.255.0.0"));
    assert_eq!(b.ipsec_overhead, Some(58));
    assert_eq!(
        b.inbound.esp[0].settings.as_deref(),
        Some("L2L, Tunnel, PFS Group 2")
    );
    assert_eq!(
        b.inbound.esp[0].transform.as_deref(),
        Some("esp-3des esp-sha-hmac none")
    );
    assert_eq!(b.inbound.esp[0].conn_id, Some(8192));
}

#[test]
fn asa_9_x() {
    let out = load("variants/asa-9.x.txt");
    assert_eq!(out.skipped, 0);
    let sa = &out.isakmp_sas[0];
    assert_eq!(
        (sa.ike_version, sa.state.as_deref()),
        (Some(1), Some("MM_WAIT_MSG4"))
    );
    let d = &out.isakmp_sas[1];
    assert_eq!(
        (
            d.encryption.as_deref(),
            d.hash.as_deref(),
            d.auth.as_deref()
        ),
        (Some("aes-256"), Some("SHA"), Some("preshared"))
    );
    assert_eq!(
        (d.lifetime.as_deref(), d.lifetime_remaining),
        (Some("86400"), Some(86231))
    );
    // `show crypto ipsec sa peer … detail`.
    let b = &out.ipsec[0];
    assert_eq!(b.peer_address.as_deref(), Some("198.51.100.9"));
    assert_eq!(b.interface, None);
    let c = &b.counters;
    assert_eq!(
        (c.pre_frag_failures, c.invalid_sa_recv, c.invalid_pad_recv),
        (Some(3), Some(7), Some(0))
    );
    assert_eq!(
        (c.min_mtu_frag_failed_send, c.bad_frag_offset_recv),
        (Some(0), Some(0))
    );
    assert_eq!((c.valid_icmp_errors_rcvd, c.tfc_sent), (Some(0), Some(0)));
    assert!(c.other.is_empty(), "{:?}", c.other);
    assert_eq!(
        (b.local_endpoint_port, b.remote_endpoint_port),
        (Some(0), Some(0))
    );
    assert_eq!(
        (
            b.path_mtu,
            b.ipsec_overhead,
            b.ipsec_overhead_inner,
            b.media_mtu
        ),
        (Some(1400), Some(74), Some(44), Some(1500))
    );
    assert_eq!(b.pmtu_time_remaining, Some(512));
    assert_eq!(
        b.outbound.esp[0].anti_replay_bitmap.as_deref(),
        Some("0x00000000 0x00000001")
    );
    // `show vpn-sessiondb l2l` without detail.
    assert_eq!(out.vpn_sessions.len(), 2);
    let v = &out.vpn_sessions[1];
    assert_eq!(v.session_type.as_deref(), Some("LAN-to-LAN"));
    assert!(!v.detailed);
    assert_eq!(
        (v.index, v.ip_addr.as_deref()),
        (Some(13), Some("192.0.2.60"))
    );
    assert_eq!((v.bytes_tx, v.bytes_rx), (Some(88000), Some(0)));
    assert_eq!(
        v.encryption.as_deref(),
        Some("IKEv1: (1)AES256  IPsec: (1)AES256")
    );
}

#[test]
fn pix_6_3() {
    let out = load("variants/pix-6.3.txt");
    assert_eq!(out.skipped, 0);
    let sm = &out.isakmp_summaries[0];
    assert_eq!((sm.total, sm.embryonic), (Some(2), Some(1)));
    assert_eq!(out.isakmp_sas.len(), 2);
    assert_eq!(out.isakmp_sas[0].format, IsakmpFormat::Pix);
    assert_eq!(
        (out.isakmp_sas[0].pending, out.isakmp_sas[0].created),
        (Some(0), Some(1))
    );
    let b = &out.ipsec[0];
    // `current_peer: 192.168.1.2:500`.
    assert_eq!(
        (b.current_peer.as_deref(), b.peer_port),
        (Some("192.168.1.2"), Some(500))
    );
    assert_eq!(b.local_addr.as_deref(), Some("192.168.2.2"));
    assert_eq!(b.inbound.esp[0].spi, Some(0x1d2e_3f4a));
    assert_eq!(b.outbound.esp[0].conn_id, Some(1));
}

#[test]
fn corpus_transcripts_with_debug_around_the_show_output() {
    // s04: ASA `show crypto ipsec sa peer` after an `ASA/pri/act(config)#` prompt.
    let out = load("corpus/s04_asa_402116_decapsulated_packet_proxy_mismatch.txt");
    assert_eq!(out.device.as_deref(), Some("ASA"));
    let b = &out.ipsec[0];
    assert_eq!(b.peer_address.as_deref(), Some("93.184.216.34"));
    assert_eq!(
        (
            b.counters.decaps,
            b.counters.decrypt,
            b.counters.recv_errors
        ),
        (Some(105), Some(0), Some(105))
    );
    assert_eq!(b.current_inbound_spi.as_deref(), Some("76F99C4C"));
    assert_eq!(
        out.ipsec.len(),
        1,
        "the ACL line after the output makes no block"
    );
    // s07: IOS-XE debug, then `show crypto isakmp sa` and a truncated `show crypto ipsec sa`.
    let out = load("corpus/s07_iosxe_ikev1_success_then_missing_return_route.txt");
    assert_eq!(out.device_at(190), Some("spoke1"));
    let sa = &out.isakmp_sas[0];
    assert_eq!(
        (sa.dst.as_deref(), sa.state.as_deref(), sa.conn_id),
        (Some("203.0.113.1"), Some("QM_IDLE"), Some(1001))
    );
    let b = &out.ipsec[0];
    assert_eq!((b.counters.encaps, b.counters.decaps), (Some(4), Some(0)));
    assert_eq!(b.plaintext_mtu, Some(1438));
    assert_eq!(b.inbound.esp[0].spi, Some(0xDA9E_8DCA));
    assert!(out.skipped > 100, "the debug lines are skipped and counted");
    let ping = &out.pings[0];
    assert_eq!(
        (ping.size, ping.df, ping.received),
        (Some(100), false, Some(0))
    );
    // s08: `#send errors 15, #recv errors 0 <-- 15 send errors`.
    let out = load("corpus/s08_iosxe_ikev1_qm_rejected_policy_error32_proxy_mismatch.txt");
    assert_eq!(out.ipsec[0].counters.send_errors, Some(15));
    assert_eq!(out.device_at(54), Some("spoke2"));
}
