//! The IPsec side in the formats of versions and labs not covered by
//! `variants.rs`: IOS-XE 16.9 VTI with NAT-T, a rekey overlap and an IPv6
//! tunnel (CRLF, trailing spaces, an IOS `--More--` left in the log), IOS
//! 15.4 `detail` / `identity` / 12.4T-style engine table with a prompt-less
//! paste, ASA 9.16 `detail` with IKEv2 / VTI / `Protected vrf (ivrf)` and
//! `show vpn-sessiondb detail l2l` / summary, ASA 8.2 `detail l2l`, and
//! IOS-XE DF-bit pings (sweeps with marks and verbose replies).

use ipsec_doctor_model::Finding;
use ipsec_doctor_show::{
    diagnose, mtu_bounds, parse, Counters, Ident, IpsecSaBlock, OtherCounter, Sa, SaSet,
    SectionKind, ShowOutput,
};

/// A summary row: name, active, cumulative, peak, inactive.
type Row = (String, Option<u64>, Option<u64>, Option<u64>, Option<u64>);

fn load(name: &str) -> ShowOutput {
    let path = format!("{}/tests/data/variants/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    parse(name, &String::from_utf8(bytes).unwrap())
}

fn codes(f: &[Finding]) -> Vec<(&str, Option<&str>)> {
    f.iter()
        .map(|x| (x.code.as_str(), x.peer.as_deref()))
        .collect()
}

fn kinds(out: &ShowOutput) -> Vec<SectionKind> {
    out.sections.iter().map(|s| s.kind).collect()
}

fn ident(s: &str) -> Option<Ident> {
    Some(Ident::parse(s).unwrap())
}

/// Every field of an SA on one line, so that a test compares them all.
fn sa(s: &Sa) -> String {
    let o = |v: Option<&str>| v.unwrap_or("-").to_string();
    let n = |v: Option<u64>| v.map_or("-".into(), |v| v.to_string());
    format!(
        "{:?} {:?} {} {} ({}) state={} t={} set={} slot={} conn={} flow={} sib={} map={} life={}/{} kbdis={} iv={} replay={}/{} status={} bitmap={}",
        s.direction,
        s.protocol,
        s.line,
        s.spi_hex,
        o(s.spi_dec.as_deref()),
        o(s.state.as_deref()),
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
        o(s.anti_replay_bitmap.as_deref()),
    )
}

fn sas(set: &SaSet) -> Vec<String> {
    set.all().map(sa).collect()
}

/// The header fields of a block (everything but counters and SAs).
fn head(b: &IpsecSaBlock) -> String {
    let o = |v: Option<&str>| v.unwrap_or("-").to_string();
    let n = |v: Option<u64>| v.map_or("-".into(), |v| v.to_string());
    let i = |v: Option<&Ident>| v.map_or("-".into(), Ident::text);
    format!(
        "{} if={} peer_addr={} map={} seq={} laddr={} vrf={} acl={} l={} r={} peer={}:{} dyn={} {} flags={} ep={}:{}->{}:{} mtu pt={} path={} ip={} idb={} media={} ovh={}({}) pmtu={} df={} icmp={} tfc={} out={} in={} pfs={} dh={}",
        b.line,
        o(b.interface.as_deref()),
        o(b.peer_address.as_deref()),
        o(b.crypto_map.as_deref()),
        n(b.seq.map(u64::from)),
        o(b.local_addr.as_deref()),
        o(b.protected_vrf.as_deref()),
        o(b.access_list.as_deref()),
        i(b.local_ident.as_ref()),
        i(b.remote_ident.as_ref()),
        o(b.current_peer.as_deref()),
        n(b.peer_port.map(u64::from)),
        o(b.dynamic_peer.as_deref()),
        o(b.action.as_deref()),
        o(b.flags.as_deref()),
        o(b.local_endpoint.as_deref()),
        n(b.local_endpoint_port.map(u64::from)),
        o(b.remote_endpoint.as_deref()),
        n(b.remote_endpoint_port.map(u64::from)),
        n(b.plaintext_mtu.map(u64::from)),
        n(b.path_mtu.map(u64::from)),
        n(b.ip_mtu.map(u64::from)),
        o(b.ip_mtu_idb.as_deref()),
        n(b.media_mtu.map(u64::from)),
        n(b.ipsec_overhead.map(u64::from)),
        n(b.ipsec_overhead_inner.map(u64::from)),
        n(b.pmtu_time_remaining),
        o(b.df_policy.as_deref()),
        o(b.icmp_error_validation.as_deref()),
        o(b.tfc_packets.as_deref()),
        o(b.current_outbound_spi.as_deref()),
        o(b.current_inbound_spi.as_deref()),
        o(b.pfs.as_deref()),
        o(b.dh_group.as_deref()),
    )
}

/// The IOS counter lines without `detail`.
fn ios_basic(enc: u64, dec: u64) -> Counters {
    Counters {
        encaps: Some(enc),
        encrypt: Some(enc),
        digest: Some(enc),
        decaps: Some(dec),
        decrypt: Some(dec),
        verify: Some(dec),
        compressed: Some(0),
        decompressed: Some(0),
        not_compressed: Some(0),
        compress_failed: Some(0),
        not_decompressed: Some(0),
        decompress_failed: Some(0),
        send_errors: Some(0),
        recv_errors: Some(0),
        ..Counters::default()
    }
}

/// The IOS `detail` counter set, all zero but the packet counts.
fn ios_detail(enc: u64, dec: u64) -> Counters {
    Counters {
        send_errors: None,
        recv_errors: None,
        no_sa_send: Some(0),
        invalid_sa_recv: Some(0),
        encaps_failed_send: Some(0),
        decaps_failed_recv: Some(0),
        invalid_prot_recv: Some(0),
        verify_failed: Some(0),
        invalid_identity_recv: Some(0),
        invalid_len_recv: Some(0),
        replay_rollover_send: Some(0),
        replay_rollover_recv: Some(0),
        replay_failed_recv: Some(0),
        tagged_send: Some(0),
        untagged_recv: Some(0),
        not_tagged_send: Some(0),
        not_untagged_recv: Some(0),
        internal_err_send: Some(0),
        internal_err_recv: Some(0),
        ..ios_basic(enc, dec)
    }
}

/// The ASA 9.x `detail` counter set, all zero but the packet counts.
fn asa_detail(enc: u64, dec: u64) -> Counters {
    Counters {
        encaps: Some(enc),
        encrypt: Some(enc),
        digest: Some(enc),
        decaps: Some(dec),
        decrypt: Some(dec),
        verify: Some(dec),
        compressed: Some(0),
        decompressed: Some(0),
        not_compressed: Some(enc),
        compress_failed: Some(0),
        decompress_failed: Some(0),
        pre_frag_successes: Some(0),
        pre_frag_failures: Some(0),
        fragments_created: Some(0),
        pmtus_sent: Some(0),
        pmtus_rcvd: Some(0),
        decap_frags_needing_reassembly: Some(0),
        tfc_rcvd: Some(0),
        tfc_sent: Some(0),
        valid_icmp_errors_rcvd: Some(0),
        invalid_icmp_errors_rcvd: Some(0),
        no_sa_send: Some(0),
        invalid_sa_recv: Some(0),
        encaps_failed_send: Some(0),
        decaps_failed_recv: Some(0),
        invalid_prot_recv: Some(0),
        verify_failed: Some(0),
        invalid_identity_recv: Some(0),
        invalid_len_recv: Some(0),
        invalid_pad_recv: Some(0),
        invalid_ip_version_recv: Some(0),
        replay_rollover_send: Some(0),
        replay_rollover_recv: Some(0),
        replay_failed_recv: Some(0),
        min_mtu_frag_failed_send: Some(0),
        bad_frag_offset_recv: Some(0),
        internal_err_send: Some(0),
        internal_err_recv: Some(0),
        send_errors: Some(0),
        recv_errors: Some(0),
        other: vec![OtherCounter {
            label: "pkts not offload decrypted".into(),
            value: 0,
        }],
        ..Counters::default()
    }
}

#[test]
fn iosxe_16_9_vti_natt_rekey_and_ipv6() {
    let out = load("iosxe-16.9-ipsec-sa-vti-natt-ipv6.txt");
    // CRLF, trailing spaces and the `--More--` before line 37 all parse.
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("branch-rtr"));
    assert_eq!(
        kinds(&out),
        [SectionKind::Ipsec, SectionKind::Engine, SectionKind::Other]
    );
    assert_eq!(out.ipsec.len(), 2);
    let (a, b) = (&out.ipsec[0], &out.ipsec[1]);
    assert_eq!(
        head(a),
        "3 if=Tunnel0 peer_addr=- map=Tunnel0-head-0 seq=- laddr=10.20.0.2 vrf=(none) acl=- l=0.0.0.0/0.0.0.0/0/0 r=0.0.0.0/0.0.0.0/0/0 peer=203.0.113.50:4500 dyn=- PERMIT flags=origin_is_acl, ep=10.20.0.2:-->203.0.113.50:- mtu pt=1422 path=1500 ip=1500 idb=GigabitEthernet1 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0x9C1F2A77(2619288183) in=- pfs=N dh=none"
    );
    assert_eq!(a.counters, ios_basic(48213, 47990));
    assert!(a.nat_t() && a.tunnel_mode());
    // Rekey overlap: two inbound SAs, the second printed across the pager.
    assert_eq!(
        sas(&a.inbound),
        [
            "Inbound Esp 24 0x3E4D5C6B (1045257323) state=- t=esp-256-aes esp-sha256-hmac set=Tunnel UDP-Encaps slot=- conn=2003 flow=CSR:3 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607680/12 kbdis=true iv=16 replay=Y/1024 status=ACTIVE(ACTIVE) bitmap=-",
            "Inbound Esp 33 0x71A2B3C4 (1906488260) state=- t=esp-256-aes esp-sha256-hmac set=Tunnel UDP-Encaps slot=- conn=2005 flow=CSR:5 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607999/3594 kbdis=true iv=16 replay=Y/1024 status=ACTIVE(ACTIVE) bitmap=-",
        ]
    );
    assert_eq!(
        sas(&a.outbound),
        ["Outbound Esp 48 0x9C1F2A77 (2619288183) state=- t=esp-256-aes esp-sha256-hmac set=Tunnel UDP-Encaps slot=- conn=2006 flow=CSR:6 sib=FFFFFFFF80000048 map=Tunnel0-head-0 life=4607999/3594 kbdis=true iv=16 replay=Y/1024 status=ACTIVE(ACTIVE) bitmap=-"]
    );
    // What IOS prints as plaintext mtu is what the transform gives.
    assert_eq!(
        ipsec_doctor_show::mtu::plaintext_mtu(1500, a.transform().unwrap(), true, true),
        a.plaintext_mtu
    );
    // IPv6 VTI: identities with prefix lengths, endpoints on two lines,
    // `ipv6 mtu`.
    assert_eq!(
        head(b),
        "62 if=Tunnel1 peer_addr=- map=Tunnel1-head-0 seq=- laddr=2001:DB8:A::2 vrf=(none) acl=- l=::/0/0/0 r=2001:DB8:100::/48/0/0 peer=2001:DB8:B::1:500 dyn=- PERMIT flags=origin_is_acl, ep=2001:DB8:A::2:-->2001:DB8:B::1:- mtu pt=1406 path=1500 ip=1500 idb=GigabitEthernet2 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0x5A6B7C8D(1516993677) in=- pfs=Y dh=group19"
    );
    assert_eq!(b.remote_ident, ident("(2001:DB8:100::/48/0/0)"));
    assert_eq!(b.counters, ios_basic(310, 0));
    assert_eq!(
        sas(&b.inbound),
        ["Inbound Esp 84 0x0F1E2D3C (253635900) state=- t=esp-gcm 256 set=Tunnel slot=- conn=2007 flow=CSR:7 sib=FFFFFFFF80004048 map=Tunnel1-head-0 life=4608000/2711 kbdis=true iv=8 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-"]
    );
    assert_eq!(
        sas(&b.outbound),
        ["Outbound Esp 99 0x5A6B7C8D (1516993677) state=- t=esp-gcm 256 set=Tunnel slot=- conn=2008 flow=CSR:8 sib=FFFFFFFF80004048 map=Tunnel1-head-0 life=4607962/2711 kbdis=true iv=8 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-"]
    );
    assert!(a.inbound.ah.is_empty() && a.inbound.pcp.is_empty() && b.outbound.pcp.is_empty());
    // Engine connections numbered by flow id, IPv6 addresses.
    let rows: Vec<_> = out
        .engine_connections
        .iter()
        .map(|e| {
            (
                e.id,
                e.conn_type.as_deref().unwrap(),
                e.algorithm.as_deref().unwrap(),
                e.encrypt,
                e.decrypt,
                e.last_seq,
                e.ip_address.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                3,
                "IPsec",
                "AES256+SHA256",
                Some(0),
                Some(47978),
                Some(47978),
                "10.20.0.2"
            ),
            (
                5,
                "IPsec",
                "AES256+SHA256",
                Some(0),
                Some(12),
                Some(12),
                "10.20.0.2"
            ),
            (
                6,
                "IPsec",
                "AES256+SHA256",
                Some(48213),
                Some(0),
                Some(0),
                "10.20.0.2"
            ),
            (
                7,
                "IPsec",
                "AESGCM256",
                Some(0),
                Some(0),
                Some(0),
                "2001:DB8:A::2"
            ),
            (
                8,
                "IPsec",
                "AESGCM256",
                Some(310),
                Some(0),
                Some(0),
                "2001:DB8:A::2"
            ),
            (
                1001,
                "IKEv2",
                "SHA256+AES256",
                Some(0),
                Some(0),
                Some(0),
                "10.20.0.2"
            ),
            (
                1002,
                "IKEv2",
                "SHA384+AES256",
                Some(0),
                Some(0),
                Some(0),
                "2001:DB8:A::2"
            ),
        ]
    );
    // The IPv6 tunnel is one-way; the engine rows 7/8 are that same tunnel
    // (flow ids), not a second finding.
    let f = diagnose(&[out]);
    assert_eq!(
        codes(&f),
        [
            ("one-way-traffic", Some("2001:DB8:B::1")),
            ("tunnel-up", Some("203.0.113.50")),
        ]
    );
}

#[test]
fn iosxe_16_9_df_bit_sweeps() {
    let out = load("iosxe-16.9-ping-df-sweep.txt");
    // `Ingress ping`, `DSCP Value`, `Verbose[V]` and the verbose replies
    // are dialog lines, not noise.
    assert_eq!(out.skipped, 0);
    assert_eq!(out.pings.len(), 4);
    let p: Vec<_> = out
        .pings
        .iter()
        .map(|p| {
            (
                p.line,
                p.target.as_deref().unwrap(),
                p.size,
                p.sweep.map(|s| (s.min, s.max, s.interval)),
                p.df,
                (p.sent, p.received, p.success_percent),
                p.frag_needed,
                (p.largest_ok, p.first_failed),
            )
        })
        .collect();
    assert_eq!(
        p,
        [
            (
                3,
                "172.16.10.20",
                Some(1500),
                None,
                true,
                (Some(5), Some(0), Some(0)),
                3,
                (None, None)
            ),
            (
                9,
                "172.16.10.20",
                Some(1400),
                None,
                true,
                (Some(5), Some(5), Some(100)),
                0,
                (None, None)
            ),
            (
                34,
                "172.16.10.20",
                None,
                Some((1400, 1440, 2)),
                true,
                (Some(21), Some(11), Some(52)),
                5,
                (Some(1420), Some(1422))
            ),
            (
                60,
                "203.0.113.50",
                None,
                Some((1496, 1502, 1)),
                true,
                (Some(7), Some(5), Some(71)),
                0,
                (Some(1500), Some(1501))
            ),
        ]
    );
    assert_eq!(out.pings[1].source.as_deref(), Some("10.20.1.1"));
    assert_eq!(out.pings[3].source.as_deref(), Some("GigabitEthernet1"));
    // The sweep's marks name the sizes: 1400..1420 passed, 1422 did not.
    let b: Vec<_> = mtu_bounds(&out.pings)
        .into_iter()
        .map(|b| {
            (
                b.target.unwrap().to_string(),
                b.lower,
                b.upper,
                b.frag_needed,
            )
        })
        .collect();
    assert_eq!(
        b,
        [
            ("172.16.10.20".into(), Some(1420), Some(1421), true),
            ("203.0.113.50".into(), Some(1500), Some(1500), false),
        ]
    );
    // With the device's tunnel (NAT-T, AES-256 / SHA-256: 78 bytes):
    // 1420 − 78 = 1342, MSS 1302; 1500 − 78 = 1422, MSS 1382.
    let f = diagnose(&[load("iosxe-16.9-ipsec-sa-vti-natt-ipv6.txt"), out]);
    let mtu: Vec<&str> = f
        .iter()
        .filter(|x| x.code.as_str() == "mtu-fragmentation")
        .map(|x| x.title.as_str())
        .collect();
    assert_eq!(
        mtu,
        [
            "Path MTU to 172.16.10.20 is between 1420 and 1421 bytes: set `ip tcp adjust-mss 1302`",
            "Path MTU to 203.0.113.50 is 1500 bytes: set `ip tcp adjust-mss 1382`",
        ]
    );
    let first = f
        .iter()
        .find(|x| x.code.as_str() == "mtu-fragmentation")
        .unwrap();
    assert!(first
        .fixes
        .iter()
        .any(|x| x.commands.iter().any(|c| c == " ip tcp adjust-mss 1302")));
    assert!(first
        .fixes
        .iter()
        .any(|x| x.commands.iter().any(|c| c == " ip mtu 1342")));
}

#[test]
fn ios_15_4_detail_identity_engine_and_a_promptless_paste() {
    let out = load("ios-15.4-ipsec-sa-detail-identity-engine.txt");
    // One line is not ours: the `show clock` output (line 187).
    assert_eq!(out.skipped, 1);
    assert_eq!(
        kinds(&out),
        [
            SectionKind::Ipsec,
            SectionKind::Ipsec,
            SectionKind::Engine,
            SectionKind::Other,
            SectionKind::Ipsec,
        ]
    );
    assert_eq!(
        out.sections[1].command.as_deref(),
        Some("do show crypto ipsec sa identity")
    );
    // The paste after the bare prompt is sniffed and keeps the device.
    assert_eq!(out.device_at(200), Some("vpn-gw"));
    assert_eq!(out.ipsec.len(), 7);
    let b = &out.ipsec;
    assert_eq!(
        head(&b[0]),
        "3 if=Tunnel5 peer_addr=- map=Tunnel5-head-0 seq=- laddr=198.51.100.200 vrf=(none) acl=- l=0.0.0.0/0.0.0.0/0/0 r=0.0.0.0/0.0.0.0/0/0 peer=192.0.2.10:500 dyn=- PERMIT flags=origin_is_acl, ep=198.51.100.200:-->192.0.2.10:- mtu pt=1438 path=1500 ip=1500 idb=GigabitEthernet0/0 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0xD4E5F607(3571840519) in=- pfs=N dh=none"
    );
    assert_eq!(b[0].counters, ios_detail(64898, 66021));
    assert_eq!(
        sas(&b[0].inbound)
            .into_iter()
            .chain(sas(&b[0].outbound))
            .collect::<Vec<_>>(),
        [
            "Inbound Esp 32 0x6F708192 (1869644178) state=- t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2011 flow=Onboard VPN:11 sib=80004040 map=Tunnel5-head-0 life=4389108/20160 kbdis=false iv=16 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-",
            "Outbound Esp 46 0xD4E5F607 (3571840519) state=- t=esp-256-aes esp-sha256-hmac set=Tunnel slot=- conn=2012 flow=Onboard VPN:12 sib=80004040 map=Tunnel5-head-0 life=4392961/20160 kbdis=false iv=16 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-",
        ]
    );
    // An entry with no SA: drops for want of one.
    assert_eq!(
        head(&b[1]),
        "59 if=GigabitEthernet0/0 peer_addr=- map=VPNMAP seq=- laddr=198.51.100.200 vrf=(none) acl=- l=10.50.0.0/255.255.255.0/0/0 r=10.60.0.0/255.255.255.0/0/0 peer=203.0.113.2:500 dyn=- PERMIT flags=origin_is_acl, ep=198.51.100.200:-->203.0.113.2:- mtu pt=1500 path=1500 ip=1500 idb=GigabitEthernet0/0 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0x0(0) in=- pfs=N dh=none"
    );
    assert_eq!(
        b[1].counters,
        Counters {
            no_sa_send: Some(37),
            ..ios_detail(0, 0)
        }
    );
    assert!(b[1].inbound.is_empty() && b[1].outbound.is_empty());
    // Second identity set of the same crypto map: integrity failures.
    assert_eq!(
        head(&b[2]),
        "99 if=GigabitEthernet0/0 peer_addr=- map=VPNMAP seq=- laddr=198.51.100.200 vrf=(none) acl=- l=10.50.1.0/255.255.255.0/0/0 r=10.70.0.0/255.255.0.0/0/0 peer=203.0.113.3:500 dyn=- PERMIT flags=origin_is_acl, ep=198.51.100.200:-->203.0.113.3:- mtu pt=1446 path=1500 ip=1500 idb=GigabitEthernet0/0 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0x4A5B6C7D(1247505533) in=- pfs=Y dh=group14"
    );
    assert_eq!(
        b[2].counters,
        Counters {
            decrypt: Some(8788),
            verify: Some(8788),
            verify_failed: Some(212),
            ..ios_detail(9100, 9000)
        }
    );
    assert_eq!(
        sas(&b[2].inbound)
            .into_iter()
            .chain(sas(&b[2].outbound))
            .collect::<Vec<_>>(),
        [
            "Inbound Esp 125 0x3B2A1908 (992614664) state=- t=esp-3des esp-md5-hmac set=Tunnel slot=- conn=2013 flow=Onboard VPN:13 sib=80000046 map=VPNMAP life=4600000/1250 kbdis=false iv=8 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-",
            "Outbound Esp 139 0x4A5B6C7D (1247505533) state=- t=esp-3des esp-md5-hmac set=Tunnel slot=- conn=2014 flow=Onboard VPN:14 sib=80000046 map=VPNMAP life=4599500/1250 kbdis=false iv=8 replay=Y/64 status=ACTIVE(ACTIVE) bitmap=-",
        ]
    );
    // `identity`: the same three entries, identities only.
    for (i, (line, l, peer)) in [
        (153, "0.0.0.0/0.0.0.0/0/0", "192.0.2.10"),
        (162, "10.50.0.0/255.255.255.0/0/0", "203.0.113.2"),
        (171, "10.50.1.0/255.255.255.0/0/0", "203.0.113.3"),
    ]
    .into_iter()
    .enumerate()
    {
        let x = &b[3 + i];
        assert_eq!(x.line, line);
        assert_eq!(x.local_ident.as_ref().unwrap().text(), l);
        assert_eq!(x.current_peer.as_deref(), Some(peer));
        assert_eq!(x.counters, Counters::default());
        assert!(x.inbound.is_empty() && x.outbound.is_empty());
        assert_eq!(x.flags.as_deref(), Some("origin_is_acl,"));
    }
    // The prompt-less paste: no SA lists printed (truncated copy).
    assert_eq!(
        head(&b[6]),
        "189 if=Tunnel9 peer_addr=- map=Tunnel9-head-0 seq=- laddr=198.51.100.200 vrf=IOT acl=- l=0.0.0.0/0.0.0.0/0/0 r=0.0.0.0/0.0.0.0/0/0 peer=203.0.113.99:500 dyn=- PERMIT flags=origin_is_acl, ep=198.51.100.200:-->203.0.113.99:- mtu pt=1438 path=1500 ip=1500 idb=GigabitEthernet0/0 media=- ovh=-(-) pmtu=- df=- icmp=- tfc=- out=0xE1D2C3B4(3788686260) in=- pfs=N dh=none"
    );
    assert_eq!(b[6].counters, ios_basic(0, 420));
    // 12.4T-style engine table: `ID Interface Type Algorithm … IP-Address`.
    let rows: Vec<_> = out
        .engine_connections
        .iter()
        .map(|e| {
            (
                e.id,
                e.interface.as_deref().unwrap(),
                e.conn_type.as_deref().unwrap(),
                e.algorithm.as_deref().unwrap(),
                e.encrypt,
                e.decrypt,
                e.ip_address.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                11,
                "Tu5",
                "IPsec",
                "AES256+SHA256",
                Some(0),
                Some(66021),
                "198.51.100.200"
            ),
            (
                12,
                "Tu5",
                "IPsec",
                "AES256+SHA256",
                Some(64898),
                Some(0),
                "198.51.100.200"
            ),
            (
                13,
                "Gi0/0",
                "IPsec",
                "3DES+MD5",
                Some(0),
                Some(8788),
                "198.51.100.200"
            ),
            (
                14,
                "Gi0/0",
                "IPsec",
                "3DES+MD5",
                Some(9100),
                Some(0),
                "198.51.100.200"
            ),
            (
                1001,
                "Gi0/0",
                "IKE",
                "SHA256+AES256",
                Some(0),
                Some(0),
                "198.51.100.200"
            ),
            (
                1002,
                "Gi0/0",
                "IKE",
                "SHA+3DES",
                Some(0),
                Some(0),
                "198.51.100.200"
            ),
        ]
    );
    assert!(out.engine_connections.iter().all(|e| e.last_seq.is_none()));
    let f = diagnose(&[out]);
    assert_eq!(
        codes(&f),
        [
            ("hmac-failure", Some("203.0.113.3")),
            ("one-way-traffic", Some("203.0.113.99")),
            ("proxy-id-mismatch", Some("203.0.113.2")),
            ("nat-exemption-missing", Some("203.0.113.99")),
            ("route-missing", Some("203.0.113.99")),
            ("transform-set-mismatch", Some("203.0.113.2")),
            ("pfs-mismatch", Some("203.0.113.2")),
            ("weak-crypto", None),
            ("tunnel-up", Some("192.0.2.10")),
        ]
    );
}

#[test]
fn asa_9_16_detail_ikev2_vti_and_sessiondb() {
    let out = load("asa-9.16-ipsec-sa-detail-sessiondb.txt");
    // `Protected vrf (ivrf):` and the `<--- More --->` pager parse.
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("HQ-ASA"));
    assert_eq!(
        kinds(&out),
        [
            SectionKind::Ipsec,
            SectionKind::Sessiondb,
            SectionKind::VpnSummary,
            SectionKind::Ping,
            SectionKind::Other,
        ]
    );
    assert_eq!(out.ipsec.len(), 3);
    let b = &out.ipsec;
    assert_eq!(
        head(&b[0]),
        "2 if=outside peer_addr=- map=outside_map seq=10 laddr=192.0.2.10 vrf=Global acl=access-list outside_cryptomap_10 extended permit ip 10.10.0.0 255.255.0.0 172.16.10.0 255.255.255.0 l=10.10.0.0/255.255.0.0/0/0 r=172.16.10.0/255.255.255.0/0/0 peer=203.0.113.9:- dyn=- - flags=- ep=192.0.2.10:4500->203.0.113.9:4500 mtu pt=- path=1500 ip=- idb=- media=1500 ovh=102(52) pmtu=0 df=copy-df icmp=disabled tfc=disabled out=7B2D4E1F in=C3D4E5F6 pfs=- dh=-"
    );
    assert_eq!(b[0].counters, asa_detail(88412, 90233));
    assert!(b[0].nat_t());
    // Rekey overlap: the old inbound SA (`Rekeyed`, seconds only) and the
    // new one with an eight-word bitmap over two lines.
    assert_eq!(
        sas(&b[0].inbound),
        [
            "Inbound Esp 41 0xA1B2C3D4 (2712847316) state=active t=esp-aes-256 esp-sha-512-hmac no compression set=L2L, Tunnel,  NAT-T-Encaps, PFS Group 21, IKEv2, Rekeyed slot=0 conn=311296 flow=- sib=- map=outside_map life=-/41 kbdis=false iv=16 replay=Y/- status=- bitmap=0xFFFFFFFF 0xFFFFFFFF",
            "Inbound Esp 51 0xC3D4E5F6 (3285509622) state=active t=esp-aes-256 esp-sha-512-hmac no compression set=L2L, Tunnel,  NAT-T-Encaps, PFS Group 21, IKEv2 slot=0 conn=311296 flow=- sib=- map=outside_map life=4331519/28777 kbdis=false iv=16 replay=Y/- status=- bitmap=0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000 0x0000003F",
        ]
    );
    assert_eq!(
        sas(&b[0].outbound),
        ["Outbound Esp 63 0x7B2D4E1F (2066566687) state=active t=esp-aes-256 esp-sha-512-hmac no compression set=L2L, Tunnel,  NAT-T-Encaps, PFS Group 21, IKEv2 slot=0 conn=311296 flow=- sib=- map=outside_map life=4285434/28777 kbdis=false iv=16 replay=Y/- status=- bitmap=0x00000000 0x00000001"]
    );
    // Second entry of the map: a TCP ACL with a port range, one-way
    // traffic, PMTU lowered to 1380 and pre-fragmentation failures.
    assert_eq!(
        head(&b[1]),
        "74 if=outside peer_addr=- map=outside_map seq=20 laddr=192.0.2.10 vrf=Global acl=access-list outside_cryptomap_20 extended permit tcp 10.10.20.0 255.255.255.0 any eq https l=10.10.20.0/255.255.255.0/6/0 - 65535 r=0.0.0.0/0.0.0.0/6/443 peer=198.51.100.77:- dyn=- - flags=- ep=192.0.2.10:500->198.51.100.77:500 mtu pt=- path=1380 ip=- idb=- media=1500 ovh=74(44) pmtu=512 df=copy-df icmp=enabled tfc=disabled out=2C3D4E5F in=8E9FA0B1 pfs=- dh=-"
    );
    assert_eq!(
        b[1].counters,
        Counters {
            pre_frag_successes: Some(310),
            pre_frag_failures: Some(14),
            fragments_created: Some(620),
            pmtus_sent: Some(14),
            pmtus_rcvd: Some(3),
            valid_icmp_errors_rcvd: Some(3),
            ..asa_detail(5120, 0)
        }
    );
    assert_eq!(
        sas(&b[1].inbound)
            .into_iter()
            .chain(sas(&b[1].outbound))
            .collect::<Vec<_>>(),
        [
            "Inbound Esp 112 0x8E9FA0B1 (2392826033) state=active t=esp-aes-256 esp-sha-hmac no compression set=L2L, Tunnel, IKEv2 slot=0 conn=315392 flow=- sib=- map=outside_map life=4608000/27112 kbdis=false iv=16 replay=Y/- status=- bitmap=0x00000000 0x00000000",
            "Outbound Esp 123 0x2C3D4E5F (742215263) state=active t=esp-aes-256 esp-sha-hmac no compression set=L2L, Tunnel, IKEv2 slot=0 conn=315392 flow=- sib=- map=outside_map life=4602879/27112 kbdis=false iv=16 replay=Y/- status=- bitmap=0x00000000 0x00000001",
        ]
    );
    // VTI: replay failures and invalid SPIs.
    assert_eq!(
        head(&b[2]),
        "134 if=vti-branch peer_addr=- map=__vti-crypto-map-Tunnel5-0-5 seq=65280 laddr=192.0.2.10 vrf=Global acl=- l=0.0.0.0/0.0.0.0/0/0 r=0.0.0.0/0.0.0.0/0/0 peer=198.51.100.200:- dyn=- - flags=- ep=192.0.2.10:500->198.51.100.200:500 mtu pt=- path=1500 ip=- idb=- media=1500 ovh=78(44) pmtu=0 df=copy-df icmp=disabled tfc=disabled out=6F708192 in=D4E5F607 pfs=- dh=-"
    );
    assert_eq!(
        b[2].counters,
        Counters {
            invalid_sa_recv: Some(5),
            replay_failed_recv: Some(23),
            recv_errors: Some(28),
            ..asa_detail(66021, 64870)
        }
    );
    assert_eq!(
        sas(&b[2].inbound)
            .into_iter()
            .chain(sas(&b[2].outbound))
            .collect::<Vec<_>>(),
        [
            "Inbound Esp 172 0xD4E5F607 (3571840519) state=active t=esp-aes-256 esp-sha-256-hmac no compression set=L2L, Tunnel, IKEv2, VTI slot=0 conn=319488 flow=- sib=- map=__vti-crypto-map-Tunnel5-0-5 life=4593407/20157 kbdis=false iv=16 replay=Y/- status=- bitmap=0xFFFFFFFF 0xFFFFFBFF",
            "Outbound Esp 183 0x6F708192 (1869644178) state=active t=esp-aes-256 esp-sha-256-hmac no compression set=L2L, Tunnel, IKEv2, VTI slot=0 conn=319488 flow=- sib=- map=__vti-crypto-map-Tunnel5-0-5 life=4589311/20157 kbdis=false iv=16 replay=Y/- status=- bitmap=0x00000000 0x00000001",
        ]
    );

    // show vpn-sessiondb detail l2l (9.x, IKEv2, NAT-T).
    assert_eq!(out.vpn_sessions.len(), 2);
    let s = &out.vpn_sessions[0];
    assert_eq!(
        (s.line, s.session_type.as_deref(), s.detailed),
        (200, Some("LAN-to-LAN"), true)
    );
    assert_eq!(
        (
            s.connection.as_deref(),
            s.index,
            s.ip_addr.as_deref(),
            s.protocol.as_deref()
        ),
        (
            Some("203.0.113.9"),
            Some(7),
            Some("203.0.113.9"),
            Some("IKEv2 IPsecOverNatT")
        )
    );
    assert_eq!(
        s.encryption.as_deref(),
        Some("IKEv2: (1)AES256  IPsecOverNatT: (1)AES256")
    );
    assert_eq!(
        s.hashing.as_deref(),
        Some("IKEv2: (1)SHA512  IPsecOverNatT: (1)SHA512")
    );
    assert_eq!(
        (s.bytes_tx, s.bytes_rx),
        (Some(19_893_120), Some(64_511_874))
    );
    assert_eq!(
        (s.login_time.as_deref(), s.duration.as_deref()),
        (Some("07:02:11 UTC Wed Jun 12 2024"), Some("1h:54m:49s"))
    );
    assert_eq!((s.ike_count, s.ipsec_count), (Some(1), Some(1)));
    assert_eq!(s.other.len(), 1);
    assert_eq!((&*s.other[0].key, &*s.other[0].value), ("Tunnel Zone", "0"));
    assert_eq!(s.subs.len(), 2);
    let ike = &s.subs[0];
    assert_eq!(
        (
            &*ike.kind,
            ike.id.as_deref(),
            ike.udp_src_port,
            ike.udp_dst_port
        ),
        ("IKEv2", Some("7.1"), Some(4500), Some(4500))
    );
    assert_eq!(
        (
            ike.rem_auth_mode.as_deref(),
            ike.loc_auth_mode.as_deref(),
            ike.encryption.as_deref(),
            ike.hashing.as_deref(),
            ike.prf.as_deref(),
            ike.dh_group.as_deref(),
            ike.filter_name.as_deref()
        ),
        (
            Some("preSharedKeys"),
            Some("preSharedKeys"),
            Some("AES256"),
            Some("SHA512"),
            Some("SHA512"),
            Some("21"),
            Some("")
        )
    );
    let q =
        |x: &Option<ipsec_doctor_show::Quantity>| x.as_ref().map(|q| (q.value, q.unit.to_string()));
    assert_eq!(
        (q(&ike.rekey_int_time), q(&ike.rekey_left_time)),
        (
            Some((86400, "Seconds".into())),
            Some((79511, "Seconds".into()))
        )
    );
    let ips = &s.subs[1];
    assert!(ips.is_ipsec());
    assert_eq!(
        (
            &*ips.kind,
            ips.id.as_deref(),
            ips.local_addr.as_deref(),
            ips.remote_addr.as_deref()
        ),
        (
            "IPsecOverNatT",
            Some("7.2"),
            Some("10.10.0.0/255.255.0.0/0/0"),
            Some("172.16.10.0/255.255.255.0/0/0")
        )
    );
    assert_eq!(
        (
            ips.encryption.as_deref(),
            ips.hashing.as_deref(),
            ips.encapsulation.as_deref(),
            ips.pfs_group.as_deref()
        ),
        (Some("AES256"), Some("SHA512"), Some("Tunnel"), Some("21"))
    );
    assert_eq!(
        (
            q(&ips.rekey_int_time),
            q(&ips.rekey_left_time),
            q(&ips.rekey_int_data),
            q(&ips.rekey_left_data),
            q(&ips.idle_timeout),
            q(&ips.idle_left)
        ),
        (
            Some((28800, "Seconds".into())),
            Some((28777, "Seconds".into())),
            Some((4_608_000, "K-Bytes".into())),
            Some((4_331_519, "K-Bytes".into())),
            Some((30, "Minutes".into())),
            Some((29, "Minutes".into()))
        )
    );
    // `Conn Time Out` and `Conn TO Left` are two fields, not one value.
    let other: Vec<(&str, &str)> = ips.other.iter().map(|kv| (&*kv.key, &*kv.value)).collect();
    assert_eq!(
        other,
        [
            ("Conn Time Out", "1440 Minutes"),
            ("Conn TO Left", "1326 Minutes")
        ]
    );
    assert_eq!(
        (ips.bytes_tx, ips.bytes_rx, ips.pkts_tx, ips.pkts_rx),
        (Some(19_893_120), Some(64_511_874), Some(88412), Some(90233))
    );
    let s = &out.vpn_sessions[1];
    assert_eq!(
        (
            s.line,
            s.connection.as_deref(),
            s.index,
            s.protocol.as_deref()
        ),
        (236, Some("198.51.100.77"), Some(9), Some("IKEv2 IPsec"))
    );
    assert_eq!((s.bytes_tx, s.bytes_rx), (Some(7_372_800), Some(0)));
    let ips = &s.subs[1];
    assert_eq!(
        (
            &*ips.kind,
            ips.id.as_deref(),
            ips.pfs_group.as_deref(),
            ips.other.len()
        ),
        ("IPsec", Some("9.2"), None, 0)
    );
    assert_eq!(
        (ips.local_addr.as_deref(), ips.remote_addr.as_deref()),
        (
            Some("10.10.20.0/255.255.255.0/6/0"),
            Some("0.0.0.0/0.0.0.0/6/443")
        )
    );
    assert_eq!((ips.pkts_tx, ips.pkts_rx), (Some(5120), Some(0)));

    // `sh vpn-sessiondb summary`.
    let sm = &out.vpn_summaries[0];
    let rows = |r: &[ipsec_doctor_show::SummaryRow]| -> Vec<Row> {
        r.iter()
            .map(|r| {
                (
                    r.name.to_string(),
                    r.active,
                    r.cumulative,
                    r.peak,
                    r.inactive,
                )
            })
            .collect()
    };
    assert_eq!(
        rows(&sm.sessions),
        [
            ("Site-to-Site VPN".into(), Some(3), Some(41), Some(4), None),
            ("IKEv2 IPsec".into(), Some(3), Some(38), Some(4), None),
            ("IKEv1 IPsec".into(), Some(0), Some(3), Some(1), None),
        ]
    );
    assert_eq!(
        (
            sm.total_active_and_inactive,
            sm.total_cumulative,
            sm.capacity,
            sm.load_percent
        ),
        (Some(3), Some(41), Some(250), Some(1))
    );
    assert_eq!(
        rows(&sm.tunnels),
        [
            ("IKEv1".into(), Some(0), Some(3), Some(1), None),
            ("IKEv2".into(), Some(3), Some(38), Some(4), None),
            ("IPsec".into(), Some(2), Some(29), Some(3), None),
            ("IPsecOverNatT".into(), Some(1), Some(9), Some(1), None),
        ]
    );
    assert_eq!(
        (sm.totals_active, sm.totals_cumulative),
        (Some(6), Some(79))
    );

    // ASA ping: `?` marks, no DF bit, so no MTU bound.
    let p = &out.pings[0];
    assert_eq!(
        (p.target.as_deref(), p.size, p.df, p.sent, p.received),
        (Some("172.16.10.20"), Some(1500), false, Some(5), Some(0))
    );
    assert!(mtu_bounds(&out.pings).is_empty());

    let f = diagnose(&[out]);
    assert_eq!(
        codes(&f),
        [
            ("one-way-traffic", Some("198.51.100.77")),
            ("mtu-fragmentation", Some("198.51.100.77")),
            ("one-way-traffic", Some("198.51.100.77")),
            ("replay-reordering", Some("198.51.100.200")),
            ("invalid-spi", Some("198.51.100.200")),
            ("tunnel-up", Some("203.0.113.9")),
        ]
    );
    // Overhead as printed: 1380 − 74 = 1306, MSS 1266.
    let mtu = f
        .iter()
        .find(|x| x.code.as_str() == "mtu-fragmentation")
        .unwrap();
    assert!(
        mtu.explanation.contains("1380 − 74 = 1306"),
        "{}",
        mtu.explanation
    );
    assert!(mtu.fixes.iter().any(|x| x
        .commands
        .iter()
        .any(|c| c == "sysopt connection tcpmss 1266")));
}

#[test]
fn asa_vti_and_ios_vti_pair_across_transform_spellings() {
    // The ASA's VTI to 198.51.100.200 and the IOS end's Tunnel5: SPIs
    // mirrored, `esp-aes-256 esp-sha-256-hmac` = `esp-256-aes
    // esp-sha256-hmac`, and the IOS `identity` blocks (no SA shown) do not
    // read as an end without inbound SAs.
    let asa = load("asa-9.16-ipsec-sa-detail-sessiondb.txt");
    let ios = load("ios-15.4-ipsec-sa-detail-identity-engine.txt");
    let f = diagnose(&[asa, ios]);
    let cross: Vec<_> = f
        .iter()
        .filter(|x| x.device.as_deref() == Some("HQ-ASA") && x.peer.as_deref() == Some("vpn-gw"))
        .map(|x| x.code.as_str())
        .collect();
    assert_eq!(cross, ["tunnel-up"]);
    assert!(!f.iter().any(
        |x| x.code.as_str() == "transform-set-mismatch" && x.peer.as_deref() == Some("vpn-gw")
    ));
}

#[test]
fn asa_8_2_sessiondb_detail_decrypts_without_encrypts() {
    let out = load("asa-8.2-sessiondb-detail-l2l.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("ciscoasa-dr"));
    let s = &out.vpn_sessions[0];
    assert_eq!(
        (
            s.line,
            s.connection.as_deref(),
            s.index,
            s.ip_addr.as_deref(),
            s.protocol.as_deref(),
            s.encryption.as_deref(),
            s.hashing.as_deref()
        ),
        (
            5,
            Some("209.165.201.30"),
            Some(3),
            Some("209.165.201.30"),
            Some("IKE IPSec"),
            Some("3DES"),
            Some("SHA1")
        )
    );
    assert_eq!(
        (
            s.bytes_tx,
            s.bytes_rx,
            s.filter_name.as_deref(),
            s.ike_count,
            s.ipsec_count
        ),
        (Some(0), Some(4200), Some(""), Some(1), Some(1))
    );
    assert_eq!(s.duration.as_deref(), Some("0h:03m:12s"));
    let kinds: Vec<(&str, Option<&str>)> =
        s.subs.iter().map(|x| (&*x.kind, x.id.as_deref())).collect();
    assert_eq!(kinds, [("IKE", Some("1")), ("IPSec", Some("2"))]);
    let ike = &s.subs[0];
    assert_eq!(
        (
            ike.neg_mode.as_deref(),
            ike.auth_mode.as_deref(),
            ike.dh_group.as_deref()
        ),
        (Some("Main"), Some("preSharedKeys"), Some("2"))
    );
    let ips = &s.subs[1];
    assert_eq!(
        (
            ips.local_addr.as_deref(),
            ips.remote_addr.as_deref(),
            ips.encapsulation.as_deref()
        ),
        (
            Some("10.20.0.0/255.255.255.0"),
            Some("10.30.0.0/255.255.255.0"),
            Some("Tunnel")
        )
    );
    assert_eq!(
        (ips.bytes_tx, ips.bytes_rx, ips.pkts_tx, ips.pkts_rx),
        (Some(0), Some(4200), Some(0), Some(50))
    );
    assert_eq!(ips.idle_left.as_ref().map(|q| q.value), Some(26));
    let f = diagnose(&[out]);
    assert_eq!(
        codes(&f),
        [
            ("one-way-traffic", Some("209.165.201.30")),
            ("weak-crypto", None)
        ]
    );
}

#[test]
fn pager_prompts_do_not_hide_the_line_they_precede() {
    // The same SA with and without an IOS / ASA pager remnant before its
    // lifetime line: identical records, nothing skipped.
    let plain = "R1#show crypto ipsec sa\ninterface: Gi1\n    Crypto map tag: M, local addr 192.0.2.1\n   current_peer 192.0.2.2 port 500\n     inbound esp sas:\n      spi: 0x10(16)\n        sa timing: remaining key lifetime (k/sec): (4607999/3594)\n";
    for pager in [" --More-- \u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}          \u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}", "<--- More --->\r              \r"] {
        let paged = plain.replace("        sa timing", &format!("{pager}        sa timing"));
        let (a, b) = (parse("a", plain), parse("b", &paged));
        assert_eq!(b.skipped, 0, "{pager:?}");
        assert_eq!(a.ipsec, b.ipsec, "{pager:?}");
        assert_eq!(b.ipsec[0].inbound.esp[0].lifetime_sec, Some(3594));
    }
}

/// `show crypto ipsec sa | include encaps|decaps` (and `| include decaps`)
/// keeps only the counter lines, block after block: each block's counters
/// stay its own instead of the last block overwriting the others.
#[test]
fn include_filtered_counter_lines_are_one_block_each() {
    let text = "\
edge-rtr3#show crypto ipsec sa | include encaps|decaps
    #pkts encaps: 4120, #pkts encrypt: 4120, #pkts digest: 4120
    #pkts decaps: 3987, #pkts decrypt: 3987, #pkts verify: 3987
    #pkts encaps: 61, #pkts encrypt: 61, #pkts digest: 61
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
    #pkts encaps: 9, #pkts encrypt: 9, #pkts digest: 9
    #pkts decaps: 12, #pkts decrypt: 12, #pkts verify: 12
edge-rtr3#show crypto ipsec sa | include decaps
    #pkts decaps: 3990, #pkts decrypt: 3990, #pkts verify: 3990
    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0
";
    let out = parse("inc", text);
    assert_eq!(out.skipped, 0);
    let rows: Vec<_> = out
        .ipsec
        .iter()
        .map(|b| {
            (
                b.line,
                b.counters.encaps,
                b.counters.decaps,
                b.counters.verify,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (2, Some(4120), Some(3987), Some(3987)),
            (4, Some(61), Some(0), Some(0)),
            (6, Some(9), Some(12), Some(12)),
            (9, None, Some(3990), Some(3990)),
            (10, None, Some(0), Some(0)),
        ]
    );
    // The one-way block is no longer hidden behind the last one.
    let f = diagnose(&[out]);
    let one_way = f
        .iter()
        .find(|x| x.code.as_str() == "one-way-traffic")
        .unwrap_or_else(|| panic!("{:?}", codes(&f)));
    // The filtered output names no peer: the finding names none, and the
    // commands hold a placeholder, not the prose "the peer".
    assert_eq!(one_way.peer, None);
    let commands: Vec<&String> = one_way.fixes.iter().flat_map(|x| &x.commands).collect();
    assert!(
        commands.iter().any(|c| c.contains("host <peer-address>")),
        "{commands:?}"
    );
    assert!(
        commands.iter().all(|c| !c.contains("the peer")),
        "{commands:?}"
    );
}
