//! Proof against genieparser (Apache-2.0, files in `tests/data/genie/`):
//! every `show crypto …` / `show vpn-sessiondb …` golden output of its
//! IOS, IOS-XE and ASA tests parses, with no line skipped, to the values
//! its `*_expected.py` holds — for every SA, session and row, not only the
//! first. The expected values were read from those dictionaries and are
//! written out here by hand. Where genieparser keeps less than the output
//! prints (a lifetime spelt `1 hours, 10 mins`, which it files as `mins`),
//! the value the output prints is asserted, and said so.
//!
//! After them, hand-written cases in other versions' spellings for each
//! rule these files brought in.

use ipsec_doctor_show::{parse, IpsecSaBlock, Sa, ShowOutput};
use std::path::Path;

fn load(name: &str) -> ShowOutput {
    load_skipping(name, &[])
}

/// Parses a golden output; exactly the lines `skipped` (1-based) may be
/// left unread.
fn load_skipping(name: &str, skipped: &[u64]) -> ShowOutput {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/genie")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        ipsec_doctor_show::looks_like_show(&text),
        "{name}: not recognised as show output"
    );
    let out = parse(name, &text);
    assert_eq!(out.skipped_lines, skipped, "{name}: lines skipped");
    out
}

fn o(v: &Option<ipsec_doctor_show::Text>) -> Option<&str> {
    v.as_deref()
}

/// An SA in one line: `spi transform {settings} conn flow sibling map
/// kb/sec iv replay status`.
fn sa_line(s: &Sa) -> String {
    format!(
        "{} {} {{{}}} {} {} {} {} {:?}/{:?} iv{} {} {}",
        s.spi_hex,
        o(&s.transform).unwrap_or("-"),
        o(&s.settings).unwrap_or("-"),
        s.conn_id.map_or("-".into(), |c| c.to_string()),
        o(&s.flow_id).unwrap_or("-"),
        o(&s.sibling_flags).unwrap_or("-"),
        o(&s.crypto_map).unwrap_or("-"),
        s.lifetime_kb,
        s.lifetime_sec,
        s.iv_size.map_or("-".into(), |c| c.to_string()),
        o(&s.replay_detection).unwrap_or("-"),
        o(&s.status).unwrap_or("-"),
    )
}

/// A block's header in one line.
fn block_line(b: &IpsecSaBlock) -> String {
    let ident = |i: &Option<ipsec_doctor_show::Ident>| i.as_ref().map_or("-".into(), |i| i.text());
    format!(
        "{} {} {} vrf={} {} -> {} peer={}:{} {} {{{}}} {}->{} mtu {:?}/{:?}/{:?} {} out={} pfs={} dh={}",
        o(&b.interface).unwrap_or("-"),
        o(&b.crypto_map).unwrap_or("-"),
        o(&b.local_addr).unwrap_or("-"),
        o(&b.protected_vrf).unwrap_or("-"),
        ident(&b.local_ident),
        ident(&b.remote_ident),
        o(&b.current_peer).unwrap_or("-"),
        b.peer_port.map_or("-".into(), |p| p.to_string()),
        o(&b.action).unwrap_or("-"),
        o(&b.flags).unwrap_or("-"),
        o(&b.local_endpoint).unwrap_or("-"),
        o(&b.remote_endpoint).unwrap_or("-"),
        b.plaintext_mtu,
        b.path_mtu,
        b.ip_mtu,
        o(&b.ip_mtu_idb).unwrap_or("-"),
        o(&b.current_outbound_spi).unwrap_or("-"),
        o(&b.pfs).unwrap_or("-"),
        o(&b.dh_group).unwrap_or("-"),
    )
}

/// The printed counters (name → value) of a block, in JSON field order.
fn counters(b: &IpsecSaBlock) -> Vec<(String, u64)> {
    let v = serde_json::to_value(&b.counters).unwrap();
    v.as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, v)| v.as_u64().map(|n| (k.clone(), n)))
        .collect()
}

/// Asserts the six packet counters genie names `pkts_encaps` … and that
/// every other printed counter is zero; `n` is how many were printed.
fn assert_counters(b: &IpsecSaBlock, main: [Option<u64>; 6], n: usize) {
    let c = &b.counters;
    assert_eq!(
        [c.encaps, c.encrypt, c.digest, c.decaps, c.decrypt, c.verify],
        main,
        "block at line {}",
        b.line
    );
    let all = counters(b);
    assert_eq!(all.len(), n, "block at line {}: {all:?}", b.line);
    let main_names = ["encaps", "encrypt", "digest", "decaps", "decrypt", "verify"];
    for (k, v) in &all {
        if !main_names.contains(&k.as_str()) {
            assert_eq!(*v, 0, "block at line {}: counter {k}", b.line);
        }
    }
}

fn sas(b: &IpsecSaBlock) -> (Vec<String>, Vec<String>) {
    assert!(b.inbound.ah.is_empty() && b.inbound.pcp.is_empty());
    assert!(b.outbound.ah.is_empty() && b.outbound.pcp.is_empty());
    (
        b.inbound.esp.iter().map(sa_line).collect(),
        b.outbound.esp.iter().map(sa_line).collect(),
    )
}

// ---------------------------------------------------------------------------
// IOS-XE `show crypto ipsec sa [detail | peer A detail]`.

/// The three blocks of `golden_output` (plain and detail): two identity
/// pairs under Gi3's crypto map, one under Tunnel0.
fn assert_three_blocks(out: &ShowOutput, life1: u64, life3: u64, detail: bool) {
    assert_eq!(out.ipsec.len(), 3);
    let b = &out.ipsec;
    assert_eq!(
        block_line(&b[0]),
        "GigabitEthernet3 vpn-crypto-map 1.1.1.2 vrf=(none) 20.20.20.0/255.255.255.0/0/0 -> \
         10.10.10.0/255.255.255.0/0/0 peer=1.1.1.1:500 PERMIT {origin_is_acl,} 1.1.1.2->1.1.1.1 \
         mtu Some(1438)/Some(1500)/Some(1500) GigabitEthernet3 out=0x397C36EE(964441838) pfs=N dh=none"
    );
    assert_eq!(
        block_line(&b[1]),
        "GigabitEthernet3 vpn-crypto-map 1.1.1.2 vrf=(none) 40.40.40.0/255.255.255.0/0/0 -> \
         30.30.30.0/255.255.255.0/0/0 peer=1.1.1.1:500 PERMIT {origin_is_acl,} 1.1.1.2->1.1.1.1 \
         mtu Some(1500)/Some(1500)/Some(1500) GigabitEthernet3 out=0x0(0) pfs=N dh=none"
    );
    assert_eq!(
        block_line(&b[2]),
        "Tunnel0 Tunnel0-head-0 2.2.2.2 vrf=(none) 0.0.0.0/0.0.0.0/0/0 -> 0.0.0.0/0.0.0.0/0/0 \
         peer=2.2.2.1:500 PERMIT {origin_is_acl,} 2.2.2.2->2.2.2.1 \
         mtu Some(1438)/Some(1500)/Some(1500) GigabitEthernet5 out=0x2E8482F8(780436216) pfs=N dh=none"
    );
    // Plain: 14 counters (`#send errors`, `#recv errors` included); detail: 29.
    let n = if detail { 29 } else { 14 };
    let some = |v: [u64; 6]| v.map(Some);
    assert_counters(&b[0], some([4, 4, 4, 4, 4, 4]), n);
    assert_counters(&b[1], some([0; 6]), n);
    assert_counters(&b[2], some([0; 6]), n);
    assert_eq!(
        sas(&b[0]),
        (
            vec![format!(
                "0x658F7C11 esp-256-aes esp-sha256-hmac {{Tunnel}} 2076 CSR:76 FFFFFFFF80000048 \
                 vpn-crypto-map Some(4607999)/Some({life1}) iv16 Y ACTIVE(ACTIVE)"
            )],
            vec![format!(
                "0x397C36EE esp-256-aes esp-sha256-hmac {{Tunnel}} 2075 CSR:75 FFFFFFFF80000048 \
                 vpn-crypto-map Some(4607999)/Some({life1}) iv16 Y ACTIVE(ACTIVE)"
            )]
        )
    );
    assert_eq!(sas(&b[1]), (vec![], vec![]));
    assert_eq!(
        sas(&b[2]),
        (
            vec![format!(
                "0xA54D38A4 esp-256-aes esp-sha256-hmac {{Tunnel}} 2077 CSR:77 FFFFFFFF80004048 \
                 Tunnel0-head-0 Some(4608000)/Some({life3}) iv16 Y ACTIVE(ACTIVE)"
            )],
            vec![format!(
                "0x2E8482F8 esp-256-aes esp-sha256-hmac {{Tunnel}} 2078 CSR:78 FFFFFFFF80004048 \
                 Tunnel0-head-0 Some(4608000)/Some({life3}) iv16 Y ACTIVE(ACTIVE)"
            )]
        )
    );
    assert_eq!(b[0].inbound.esp[0].spi, Some(1_703_902_225));
    assert_eq!(b[2].outbound.esp[0].spi, Some(780_436_216));
}

#[test]
fn iosxe_ipsec_sa() {
    let out = load("iosxe_ShowCryptoIpsecSa_golden_output.txt");
    assert_three_blocks(&out, 83191, 3237, false);
    assert_eq!(out.ipsec[0].counters.send_errors, Some(0));
    assert_eq!(out.ipsec[0].counters.recv_errors, Some(0));
}

#[test]
fn iosxe_ipsec_sa_detail_double_spaced() {
    // Every line followed by a blank one.
    let out = load("iosxe_ShowCryptoIpsecSaDetail_golden_output.txt");
    assert_three_blocks(&out, 83143, 3189, true);
}

#[test]
fn iosxe_ipsec_sa_detail_esn_and_initiator() {
    let out = load("iosxe_ShowCryptoIpsecSaDetail_golden_output_1.txt");
    assert_eq!(out.ipsec.len(), 1);
    let b = &out.ipsec[0];
    assert_eq!(
        block_line(b),
        "Tunnel2 Tunnel2-head-0 70.70.70.70 vrf=(none) 0.0.0.0/0.0.0.0/0/0 -> 0.0.0.0/0.0.0.0/0/0 \
         peer=71.71.71.71:500 PERMIT {origin_is_acl,} 70.70.70.70->71.71.71.71 \
         mtu Some(1446)/Some(1500)/Some(1500) FourHundredGigE1/0/33 out=0xBFD0E7BA(3218139066) pfs=N dh=none"
    );
    assert_counters(b, [4, 4, 4, 12, 915, 915].map(Some), 29);
    assert_eq!(
        sas(b),
        (
            vec![
                "0x50A0FB1C esp-gcm {Tunnel, esn} 2210 CAT9K-BIGBANG:210 FFFFFFFF80004048 \
                  Tunnel2-head-0 Some(3)/Some(92) iv8 Y ACTIVE(ACTIVE)"
                    .to_string()
            ],
            vec![
                "0xBFD0E7BA esp-gcm {Tunnel, esn} 2209 CAT9K-BIGBANG:209 FFFFFFFF80004048 \
                  Tunnel2-head-0 Some(0)/Some(92) iv8 Y ACTIVE(ACTIVE)"
                    .to_string()
            ]
        )
    );
    // `initiator : True` at the end of the `conn id:` line.
    assert_eq!(b.inbound.esp[0].initiator, Some(true));
    assert_eq!(b.outbound.esp[0].initiator, Some(true));
}

#[test]
fn iosxe_ipsec_sa_detail_no_sas() {
    let out = load("iosxe_ShowCryptoIpsecSaDetail_golden_output_2.txt");
    assert_eq!(out.ipsec.len(), 1);
    let b = &out.ipsec[0];
    assert_eq!(
        block_line(b),
        "GigabitEthernet0/0/0 testtag 17.0.0.2 vrf=(none) 15.0.0.5/255.255.255.255/0/0 -> \
         14.0.0.6/255.255.255.255/0/0 peer=17.0.0.1:500 PERMIT {origin_is_acl,} 17.0.0.2->17.0.0.1 \
         mtu Some(1438)/Some(1500)/Some(1500) GigabitEthernet0/0/0 out=0x0(0) pfs=N dh=none"
    );
    assert_counters(b, [Some(0); 6], 29);
    assert_eq!(sas(b), (vec![], vec![]));
}

#[test]
fn iosxe_ipsec_sa_detail_pqc_transport_seconds_only() {
    let out = load("iosxe_ShowCryptoIpsecSaDetail_golden_output_3.txt");
    assert_eq!(out.ipsec.len(), 2);
    let b = &out.ipsec;
    assert_eq!(
        block_line(&b[0]),
        "Tunnel1 Tunnel1-head-0 11.0.10.131 vrf=(none) 11.0.10.131/255.255.255.255/47/0 -> \
         22.51.51.123/255.255.255.255/47/0 peer=22.51.51.123:500 PERMIT {origin_is_acl,} \
         11.0.10.131->22.51.51.123 mtu Some(1458)/Some(1500)/Some(1500) TenGigabitEthernet0/0/1 \
         out=0x746D481C(1953318940) pfs=Y dh=none"
    );
    assert_eq!(
        block_line(&b[1]),
        "Tunnel1 Tunnel1-head-0 11.0.10.131 vrf=(none) 11.0.10.131/255.255.255.255/47/0 -> \
         21.50.50.122/255.255.255.255/47/0 peer=21.50.50.122:500 PERMIT {origin_is_acl,} \
         11.0.10.131->21.50.50.122 mtu Some(1458)/Some(1500)/Some(1500) TenGigabitEthernet0/0/1 \
         out=0x31CA189(52208009) pfs=Y dh=none"
    );
    for blk in b {
        // `PFS (Y/N): Y, DH group: none, PQC Key Exchange: ML-KEM-1024`.
        assert_eq!(o(&blk.pqc_key_exchange), Some("ML-KEM-1024"));
    }
    assert_counters(&b[0], [410, 410, 410, 349, 349, 349].map(Some), 29);
    assert_counters(
        &b[1],
        [39798, 39798, 39798, 76359, 76359, 76359].map(Some),
        29,
    );
    let line = |spi: &str, conn: u64, sec: u64| {
        format!(
            "{spi} esp-256-aes esp-sha256-hmac {{Transport}} {conn} HW:{} FFFFFFFF80000008 \
             Tunnel1-head-0 None/Some({sec}) iv16 Y ACTIVE(ACTIVE)",
            conn - 2000
        )
    };
    assert_eq!(
        sas(&b[0]),
        (
            vec![line("0xAF2C1743", 2049, 94)],
            vec![line("0x746D481C", 2050, 94)]
        )
    );
    assert_eq!(
        sas(&b[1]),
        (
            vec![line("0xD3345E5F", 2051, 100)],
            vec![line("0x31CA189", 2052, 100)]
        )
    );
    for s in b.iter().flat_map(|b| b.sas()) {
        assert!(s.kb_rekey_disabled, "{}", s.spi_hex);
        assert_eq!(s.initiator, Some(false), "{}", s.spi_hex);
    }
}

#[test]
fn iosxe_ipsec_sa_peer_detail_lifetime_in_words() {
    let out = load("iosxe_ShowCryptoIpsecSaPeerDetail_golden_output.txt");
    assert_eq!(out.ipsec.len(), 1);
    let b = &out.ipsec[0];
    assert_eq!(
        block_line(b),
        "Tunnel11 Tunnel11-head-0 14.13.1.1 vrf=VRF_CLOUD_11 14.13.1.1/255.255.255.255/47/0 -> \
         17.0.1.1/255.255.255.255/47/0 peer=17.0.1.1:500 PERMIT {origin_is_acl,} \
         14.13.1.1->17.0.1.1 mtu Some(9130)/Some(9184)/Some(9184) TenGigabitEthernet0/0/9.11 \
         out=0x6DE5239C(1843733404) pfs=Y dh=group20"
    );
    // No `#pkts encaps` line in this output: 26 counters.
    assert_counters(b, [None, None, None, Some(761), Some(761), Some(761)], 26);
    // `sa timing: remaining key lifetime 1 hours, 10 mins` (genie: `mins`).
    assert_eq!(
        sas(b),
        (
            vec![
                "0x46959245 esp-gcm 256 {Tunnel} 18001 HW:16001 FFFFFFFF80000048 \
                  Tunnel11-head-0 None/Some(4200) iv8 N ACTIVE(ACTIVE)"
                    .to_string()
            ],
            vec![
                "0x6DE5239C esp-gcm 256 {Tunnel} 18002 HW:16002 FFFFFFFF80000048 \
                  Tunnel11-head-0 None/Some(4200) iv8 N ACTIVE(ACTIVE)"
                    .to_string()
            ]
        )
    );
    assert!(b.sas().all(|s| s.kb_rekey_disabled));
}

#[test]
fn iosxe_ipsec_sa_count() {
    let out = load("iosxe_ShowCryptoIpsecSaCount_golden_output.txt");
    assert_eq!(out.ipsec_sa_counts.len(), 1);
    let c = &out.ipsec_sa_counts[0];
    assert_eq!(
        [c.total, c.active, c.rekeying, c.unused, c.invalid],
        [Some(8), Some(8), Some(0), Some(0), Some(0)]
    );
}

// ---------------------------------------------------------------------------
// IOS-XE `show crypto isakmp sa [detail]`.

fn isakmp_rows(out: &ShowOutput) -> Vec<String> {
    out.isakmp_sas
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {} {}",
                o(&s.dst).unwrap_or("-"),
                o(&s.src).unwrap_or("-"),
                o(&s.state).unwrap_or("-"),
                s.conn_id.map_or("-".into(), |c| c.to_string()),
                o(&s.status).unwrap_or("-"),
            )
        })
        .collect()
}

const V4_ROWS: [&str; 3] = [
    "100.0.10.2 100.13.220.2 QM_IDLE 29609 ACTIVE",
    "100.0.10.2 100.12.82.2 MM_NO_STATE 29188 ACTIVE (deleted)",
    "100.0.10.2 100.11.106.2 QM_IDLE 29362 ACTIVE",
];
const V6_ROWS: [&str; 3] = [
    "100.0.10::2 100.13.220::2 QM_IDLE 29610 ACTIVE",
    "100.0.10::2 100.12.82::2 MM_NO_STATE 29189 ACTIVE (deleted)",
    "100.0.10::2 100.11.106::2 QM_IDLE 29363 ACTIVE",
];

#[test]
fn iosxe_isakmp_sa() {
    let both = load("iosxe_ShowCryptoIsakmpSa_golden_output_isakmp.txt");
    let want: Vec<&str> = V4_ROWS.iter().chain(&V6_ROWS).copied().collect();
    assert_eq!(isakmp_rows(&both), want);
    let v4 = load("iosxe_ShowCryptoIsakmpSa_golden_output_isakmp_no_ipv6.txt");
    assert_eq!(isakmp_rows(&v4), V4_ROWS);
    // IPv6 rows under an empty IPv4 table: no column header at all.
    let v6 = load("iosxe_ShowCryptoIsakmpSa_golden_output_isakmp_no_ipv4.txt");
    assert_eq!(isakmp_rows(&v6), V6_ROWS);
}

fn isakmp_detail_rows(out: &ShowOutput) -> Vec<String> {
    out.isakmp_sas
        .iter()
        .map(|s| {
            format!(
                "{} {} {} vrf={} {} {} {} {} {} {} {} {}",
                s.conn_id.map_or("-".into(), |c| c.to_string()),
                o(&s.local).unwrap_or("-"),
                o(&s.peer).unwrap_or("-"),
                o(&s.ivrf).unwrap_or("-"),
                o(&s.status).unwrap_or("-"),
                o(&s.encryption).unwrap_or("-"),
                o(&s.hash).unwrap_or("-"),
                o(&s.auth).unwrap_or("-"),
                o(&s.dh_group).unwrap_or("-"),
                o(&s.lifetime).unwrap_or("-"),
                o(&s.capabilities).unwrap_or("-"),
                o(&s.engine_id).unwrap_or("-"),
            )
        })
        .collect()
}

#[test]
fn iosxe_isakmp_sa_detail() {
    let v4 = [
        "29609 100.0.10.2 100.13.220.2 vrf=RED ACTIVE aes sha psk 16 00:01:47 D SW:12609",
        "29493 100.0.10.2 100.12.134.2 vrf=- ACTIVE aes sha psk 16 00:01:12 D SW:12493",
    ];
    let both = load("iosxe_ShowCryptoIsakmpSaDetail_golden_output_isakmp.txt");
    assert_eq!(
        isakmp_detail_rows(&both),
        [
            v4[0],
            v4[1],
            "29610 100.0.10::2 100.13.220::2 vrf=BLUE ACTIVE aes sha psk 16 00:01:47 D SW:12609",
            "29494 100.0.10::2 100.12.134::2 vrf=- ACTIVE aes sha psk 16 00:01:12 D ????",
        ]
    );
    let only_v4 = load("iosxe_ShowCryptoIsakmpSaDetail_golden_output_isakmp_no_ipv6.txt");
    assert_eq!(isakmp_detail_rows(&only_v4), v4);
    // IPv6 detail rows under an empty IPv4 table, without a header.
    let only_v6 = load("iosxe_ShowCryptoIsakmpSaDetail_golden_output_isakmp_no_ipv4.txt");
    assert_eq!(
        isakmp_detail_rows(&only_v6),
        [
            "29610 100.0.10::2 100.13.220::2 vrf=- ACTIVE aes sha psk 16 00:01:47 D SW:12609",
            "29494 100.0.10::2 100.12.134::2 vrf=- ACTIVE aes sha psk 16 00:01:12 D ????",
        ]
    );
}

// ---------------------------------------------------------------------------
// IOS-XE / ASA `show crypto ikev2 sa [detail]`.

fn ikev2_rows(out: &ShowOutput) -> Vec<String> {
    out.ikev2_sas
        .iter()
        .map(|s| {
            format!(
                "{} {}/{} {}/{} {}/{} {} {} {} {} {} {} {} {} {}/{} ce={} sess={} {}/{}",
                s.tunnel_id.map_or("-".into(), |c| c.to_string()),
                o(&s.local).unwrap_or("-"),
                s.local_port.map_or("-".into(), |c| c.to_string()),
                o(&s.remote).unwrap_or("-"),
                s.remote_port.map_or("-".into(), |c| c.to_string()),
                o(&s.fvrf).unwrap_or("-"),
                o(&s.ivrf).unwrap_or("-"),
                o(&s.status).unwrap_or("-"),
                o(&s.encryption).unwrap_or("-"),
                s.keysize.map_or("-".into(), |c| c.to_string()),
                o(&s.prf).unwrap_or("-"),
                o(&s.hash).unwrap_or("-"),
                o(&s.dh_group).unwrap_or("-"),
                o(&s.auth_sign).unwrap_or("-"),
                o(&s.auth_verify).unwrap_or("-"),
                s.lifetime.map_or("-".into(), |c| c.to_string()),
                s.active_time.map_or("-".into(), |c| c.to_string()),
                s.ce_id.map_or("-".into(), |c| c.to_string()),
                s.session_id.map_or("-".into(), |c| c.to_string()),
                o(&s.local_spi).unwrap_or("-"),
                o(&s.remote_spi).unwrap_or("-"),
            )
        })
        .collect()
}

fn other<'a>(s: &'a ipsec_doctor_show::Ikev2Sa, key: &str) -> Option<&'a str> {
    s.other
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.as_str())
}

#[test]
fn iosxe_ikev2_sa() {
    let a = load("iosxe_ShowCryptoIkev2Sa_golden_output.txt");
    assert_eq!(
        ikev2_rows(&a),
        [
            "1 66.66.66.1/500 66.66.66.2/500 none/none READY AES-CBC 128 SHA1 SHA96 16 PSK PSK \
          86400/735 ce=- sess=- -/-"
        ]
    );
    // Squeezed spacing: `Local spi: X Remote spi: Y` with one space.
    let b = load("iosxe_ShowCryptoIkev2Sa_golden_output1.txt");
    assert_eq!(
        ikev2_rows(&b),
        ["3 30.30.30.30/4500 20.20.20.20/4500 none/none READY AES-CBC 128 SHA1 SHA96 16 PSK PSK \
          86400/20942 ce=0 sess=5206 1F7B76961C3A77ED/1298FDE074BD724C"]
    );
    // IPv6: addresses on `Local` / `Remote` lines of their own.
    let c = load("iosxe_ShowCryptoIkev2Sa_golden_output2.txt");
    assert_eq!(
        ikev2_rows(&c),
        [
            "1 2001:DB8:1101::131/500 2001:DB8:1201::122/500 none/none READY AES-CBC 256 SHA512 \
             SHA512 21 PSK PSK 86400/218 ce=0 sess=3 4CF87E32B25302C0/96254131FD306002",
            "2 2001:DB8:1101::131/500 2001:DB8:1202::123/500 none/none READY AES-CBC 256 SHA512 \
             SHA512 21 PSK PSK 86400/207 ce=0 sess=4 DE66CA8E9F3AB6BD/DB3CED85555E739D",
        ]
    );
    for s in &c.ikev2_sas {
        assert_eq!(other(s, "PQC Key Exchange"), Some("ML-KEM-1024"));
    }
}

/// The detail lines genie reads, per SA: local/remote id, status
/// description, message ids, windows, DPD, NAT-T, initiator.
fn ikev2_detail(s: &ipsec_doctor_show::Ikev2Sa) -> String {
    let k = |key: &str| other(s, key).unwrap_or("-").to_string();
    format!(
        "{} | {} | {} | {} {} {} {} {} {} | {} {} | {} | {} | {} | {}",
        o(&s.local_id).unwrap_or("-"),
        o(&s.remote_id).unwrap_or("-"),
        o(&s.status_description).unwrap_or("-"),
        k("Local req msg id"),
        k("Remote req msg id"),
        k("Local next msg id"),
        k("Remote next msg id"),
        k("Local req queued"),
        k("Remote req queued"),
        k("Local window"),
        k("Remote window"),
        k("DPD"),
        k("NAT-T"),
        k("Initiator of SA"),
        k("PEER TYPE"),
    )
}

#[test]
fn iosxe_ikev2_sa_detail() {
    let first_row =
        "973 92.1.121.1/500 22.1.1.2/500 none/121 READY AES-CBC 256 SHA256 SHA256 19 PSK PSK \
                     86400/12689 ce=76468 sess=17155 000D3669857A0F82/E0419B1DB02DE6AE";
    let first_detail =
        "user2621@cisco.com | 22.1.1.2 | Negotiation done | 214 6 214 6 214 6 | 5 5 | \
                        configured for 60 seconds, retry 3 | is not detected | Yes | -";
    let a = load("iosxe_ShowCryptoIkev2SaDetail_golden_output.txt");
    assert_eq!(ikev2_rows(&a), [first_row]);
    assert_eq!(ikev2_detail(&a.ikev2_sas[0]), first_detail);
    assert_eq!(other(&a.ikev2_sas[0], "Pushed IP address"), Some("8.1.9.4"));
    assert_eq!(
        other(&a.ikev2_sas[0], "Remote subnets"),
        Some("10.0.0.0 255.0.0.0, 13.0.0.0 255.0.0.0, 17.0.0.0 255.0.0.0, 23.0.0.0 255.0.0.0, 19.0.0.0 255.0.0.0")
    );

    let b = load("iosxe_ShowCryptoIkev2SaDetail_golden_output2.txt");
    assert_eq!(
        ikev2_rows(&b),
        [
            first_row,
            "4 10.1.1.2/4500 10.1.1.1/4500 none/none READY AES-GCM 256 SHA384 None 20 PSK PSK \
             86400/4006 ce=0 sess=59 5D4519820D6B9F4A/65D3D6F7D18D5A47",
        ]
    );
    assert_eq!(ikev2_detail(&b.ikev2_sas[0]), first_detail);
    assert_eq!(
        ikev2_detail(&b.ikev2_sas[1]),
        "10.1.1.2 | 10.1.1.1 | Negotiation done | 402 400 402 400 402 400 | 5 5 | \
         configured for 10 seconds, retry 2 | is detected inside | Yes | -"
    );
    assert_eq!(
        other(&b.ikev2_sas[1], "Pushed IP address"),
        Some("66.6.6.11")
    );

    let c = load("iosxe_ShowCryptoIkev2SaDetail_golden_output3.txt");
    assert_eq!(
        ikev2_rows(&c),
        [
            "1 10.146.0.154/500 107.90.29.85/500 gre/gre READY AES-GCM 256 SHA512 None 21 PSK PSK \
             86400/20635 ce=53247 sess=494 26E77925771B44B1/4785C18DB784C439",
            "8 10.146.0.154/4500 3.130.109.2/4500 gre/gre READY AES-CBC 128 SHA256 SHA256 19 PSK PSK \
             86400/16301 ce=0 sess=470 B3A917AB8A5F68A9/FBAFD8516EA9D5E8",
            "9 10.146.0.154/500 65.27.58.179/500 gre/gre READY AES-CBC 256 SHA512 SHA512 19 PSK PSK \
             86400/16298 ce=0 sess=471 EA7CC2DFCC83A760/E4D5BDA3B19BBD80",
        ]
    );
    let details: Vec<String> = c.ikev2_sas.iter().map(ikev2_detail).collect();
    assert_eq!(
        details,
        [
            "cedar.flex.example.com | example-r46.flex.example.com | Negotiation done | 3 5 3 5 3 5 | \
             5 5 | configured for 10 seconds, retry 2 | is not detected | No | IOS-XE",
            "cedar.flex.example.com | test-r1.flex.example.com | Negotiation done | 0 16 0 16 0 16 | \
             5 5 | configured for 10 seconds, retry 2 | is detected outside | No | Other",
            "cedar.flex.example.com | test2-r1.split.flex.example.com | Negotiation done | 0 15 0 15 0 15 | \
             5 5 | configured for 10 seconds, retry 2 | is not detected | No | Other",
        ]
    );
    let subnets: Vec<_> = c
        .ikev2_sas
        .iter()
        .map(|s| other(s, "Remote subnets").unwrap_or("-"))
        .collect();
    assert_eq!(
        subnets,
        [
            "10.255.1.238 255.255.255.255",
            "172.31.0.4 255.255.255.255",
            "10.255.3.229 255.255.255.255"
        ]
    );

    let d = load("iosxe_ShowCryptoIkev2SaDetail_golden_output6.txt");
    assert_eq!(
        ikev2_rows(&d),
        [
            "5 2.2.2.2/500 1.1.1.2/500 none/none READY AES-CBC 256 SHA256 SHA256 14 PSK PSK \
          86400/60467 ce=0 sess=22 B10AA51B227B62AB/98184FF7319BFC85"
        ]
    );
    assert_eq!(
        ikev2_detail(&d.ikev2_sas[0]),
        "branch.cisco.com | central.cisco.com | Negotiation done | 0 40 0 40 0 40 | 5 5 | \
         configured for 0 seconds, retry 0 | is not detected | No | Other"
    );

    let e = load("iosxe_ShowCryptoIkev2SaDetail_golden_output7.txt");
    assert_eq!(
        ikev2_rows(&e),
        [
            "1 2001:DB8:1101::131/500 2001:DB8:1201::122/500 none/none READY AES-CBC 256 SHA512 \
             SHA512 21 PSK PSK 86400/219 ce=0 sess=3 4CF87E32B25302C0/96254131FD306002",
            "2 2001:DB8:1101::131/500 2001:DB8:1202::123/500 none/none READY AES-CBC 256 SHA512 \
             SHA512 21 PSK PSK 86400/208 ce=0 sess=4 DE66CA8E9F3AB6BD/DB3CED85555E739D",
        ]
    );
    let details: Vec<String> = e.ikev2_sas.iter().map(ikev2_detail).collect();
    assert_eq!(
        details,
        [
            "2001:DB8:1101::131 | 2001:DB8:1201::122 | Negotiation done | 0 3 0 3 0 3 | 20 20 | \
             configured for 0 seconds, retry 0 | is not detected | No | IOS-XE",
            "2001:DB8:1101::131 | 2001:DB8:1202::123 | Negotiation done | 0 3 0 3 0 3 | 20 20 | \
             configured for 0 seconds, retry 0 | is not detected | No | IOS-XE",
        ]
    );
}

#[test]
fn asa_ikev2_sa() {
    let out = load("asa_ShowCryptoIkev2Sa_golden_output1.txt");
    assert_eq!(out.ikev2_sas.len(), 1);
    let s = &out.ikev2_sas[0];
    assert_eq!(
        (
            s.session_id,
            o(&s.session_status),
            s.ike_count,
            s.child_count
        ),
        (Some(1), Some("UP-ACTIVE"), Some(1), Some(2))
    );
    assert_eq!(
        (
            s.tunnel_id,
            o(&s.local),
            s.local_port,
            o(&s.remote),
            s.remote_port,
            o(&s.status),
            o(&s.role)
        ),
        (
            Some(3_686_011),
            Some("2001:db8:2:1::1"),
            Some(500),
            Some("2001:db8:2:1::2"),
            Some(500),
            Some("READY"),
            Some("INITIATOR")
        )
    );
    assert_eq!(
        (
            o(&s.encryption),
            o(&s.hash),
            o(&s.dh_group),
            o(&s.auth_sign),
            o(&s.auth_verify),
            s.lifetime,
            s.active_time
        ),
        (
            Some("3DES"),
            Some("SHA96"),
            Some("2"),
            Some("PSK"),
            Some("PSK"),
            Some(43200),
            Some(880)
        )
    );
    let children: Vec<_> = s
        .children
        .iter()
        .map(|c| {
            format!(
                "{} | {} | {} {}/{}",
                o(&c.local_selector).unwrap_or("-"),
                o(&c.remote_selector).unwrap_or("-"),
                o(&c.protocol).unwrap_or("-"),
                o(&c.spi_in_hex).unwrap_or("-"),
                o(&c.spi_out_hex).unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        children,
        [
            "2001:db8:1:2::/0 - 2001:db8:1:2:ffff:ffff:ffff:ffff/65535 | \
             2001:db8:3:2::/0 - 2001:db8:3:2:ffff:ffff:ffff:ffff/65535 | ESP 0xbe064bdc/0x5db6eff3",
            "2001:db8:1:1::/0 - 2001:db8:1:1:ffff:ffff:ffff:ffff/65535 | \
             2001:db8:3:1::/0 - 2001:db8:3:1:ffff:ffff:ffff:ffff/65535 | ESP 0x69b865f8/0x978dbbe5",
        ]
    );
    // `There are no IKEv2 SAs` alone is still show output, with nothing in it.
    let none = load("asa_ShowCryptoIkev2Sa_golden_output2.txt");
    assert!(none.ikev2_sas.is_empty() && none.isakmp_sas.is_empty());
    assert_eq!(none.sections.len(), 1);
    assert_eq!(none.sections[0].kind, ipsec_doctor_show::SectionKind::Ikev2);
}

// ---------------------------------------------------------------------------
// IOS / IOS-XE `show crypto session [detail]`.

fn session_lines(out: &ShowOutput) -> Vec<String> {
    let mut v = Vec::new();
    for s in &out.sessions {
        v.push(format!(
            "session {} profile={} user={} group={} addr={} up={} {} peer={}:{} vrf={}/{} p1={} desc={}",
            o(&s.interface).unwrap_or("-"),
            o(&s.profile).unwrap_or("-"),
            o(&s.username).unwrap_or("-"),
            o(&s.group).unwrap_or("-"),
            o(&s.assigned_address).unwrap_or("-"),
            o(&s.uptime).unwrap_or("-"),
            o(&s.status).unwrap_or("-"),
            o(&s.peer).unwrap_or("-"),
            s.peer_port.map_or("-".into(), |c| c.to_string()),
            o(&s.fvrf).unwrap_or("-"),
            o(&s.ivrf).unwrap_or("-"),
            o(&s.phase1_id).unwrap_or("-"),
            o(&s.description).unwrap_or("-"),
        ));
        for i in &s.ike_sas {
            v.push(format!(
                "  ike v{} id={} {}/{} {}/{} {} cap={} conn={} life={}",
                i.version.map_or("-".into(), |c| c.to_string()),
                i.session_id.map_or("-".into(), |c| c.to_string()),
                o(&i.local).unwrap_or("-"),
                i.local_port.map_or("-".into(), |c| c.to_string()),
                o(&i.remote).unwrap_or("-"),
                i.remote_port.map_or("-".into(), |c| c.to_string()),
                o(&i.status).unwrap_or("-"),
                o(&i.capabilities).unwrap_or("-"),
                i.conn_id.map_or("-".into(), |c| c.to_string()),
                o(&i.lifetime).unwrap_or("-"),
            ));
        }
        for f in &s.flows {
            let c = |c: &Option<ipsec_doctor_show::FlowCounters>| match c {
                Some(c) => format!(
                    "{:?} {:?} {:?}/{:?}{}",
                    c.pkts,
                    c.drop,
                    c.life_kb,
                    c.life_sec,
                    if c.kb_rekey_disabled { " kb-off" } else { "" }
                ),
                None => "-".into(),
            };
            v.push(format!(
                "  flow {} sas={} origin={} in={} out={}",
                f.spec,
                f.active_sas.map_or("-".into(), |c| c.to_string()),
                o(&f.origin).unwrap_or("-"),
                c(&f.inbound),
                c(&f.outbound),
            ));
        }
    }
    v
}

const EASY_VPN: [&str; 4] = [
    "session Virtual-Access2 profile=prof user=cisco group=easy addr=10.3.3.4 up=- UP-ACTIVE \
     peer=10.1.1.2:500 vrf=-/- p1=- desc=-",
    "  ike v- id=- 10.1.1.1/500 10.1.1.2/500 Active cap=- conn=- life=-",
    "  ike v- id=- 10.1.1.1/500 10.1.1.2/500 Inactive cap=- conn=- life=-",
    "  flow permit ip 0.0.0.0/0.0.0.0 host 3.3.3.4 sas=2 origin=crypto map in=- out=-",
];

const TUNNEL0_DETAIL: [&str; 4] = [
    "session Tunnel0 profile=- user=- group=- addr=- up=- UP-ACTIVE peer=10.1.1.3:500 \
     vrf=(none)/(none) p1=10.1.1.3 desc=this is my peer at 10.1.1.3:500 Green",
    "  ike v- id=- 10.1.1.4/500 10.1.1.3/500 Active cap=(none) conn=3 life=22:03:24",
    "  flow permit 47 host 10.1.1.4 host 10.1.1.3 sas=0 origin=crypto map \
     in=Some(0) Some(0) Some(0)/Some(0) out=Some(0) Some(0) Some(0)/Some(0)",
    "  flow permit ip host 10.1.1.4 host 10.1.1.3 sas=4 origin=crypto map \
     in=Some(4) Some(0) Some(4605665)/Some(2949) out=Some(4) Some(1) Some(4605665)/Some(2949)",
];

#[test]
fn iosxe_crypto_session() {
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSession_golden_output.txt")),
        EASY_VPN
    );
    // Without the `Crypto session current status` banner.
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSession_golden_output1.txt")),
        TUNNEL0_DETAIL
    );
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSession_golden_output2.txt")),
        [
            "session Tunnel0 profile=polaris-test user=- group=- addr=- up=- UP-ACTIVE \
             peer=1.1.1.1:500 vrf=-/- p1=- desc=-",
            "  ike v2 id=3 2.2.2.2/500 1.1.1.1/500 Active cap=- conn=- life=-",
            "  flow permit 47 host 2.2.2.2 host 1.1.1.1 sas=2 origin=crypto map in=- out=-",
        ]
    );
    // IPv6: the IKEv2 SA line wraps before `remote`; SD-WAN `System IP:`.
    let v6 = load("iosxe_ShowCryptoSession_golden_output3.txt");
    assert_eq!(
        session_lines(&v6),
        [
            "session Tunnel1 profile=CLIV6-IKEV2-PROFILE user=- group=- addr=- up=- UP-ACTIVE \
             peer=2001:DB8:ACAD:1::2:500 vrf=-/- p1=- desc=-",
            "  ike v2 id=15 2001:DB8:ACAD:1::1/500 2001:DB8:ACAD:1::2/500 Active cap=- conn=- life=-",
            "  flow permit ipv6 ::/0 ::/0 sas=2 origin=crypto map in=- out=-",
        ]
    );
    let kv: Vec<_> = v6.sessions[0]
        .other
        .iter()
        .map(|kv| format!("{}={}", kv.key, kv.value))
        .collect();
    assert_eq!(kv, ["System IP=13.13.13.11", "Interface=Tu1"]);
}

#[test]
fn iosxe_crypto_session_detail() {
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionDetail_golden_output.txt")),
        [
            "session Tunnel13 profile=- user=- group=- addr=- up=6d00h UP-ACTIVE peer=11.0.1.1:500 \
             vrf=(none)/(none) p1=11.0.1.1 desc=(none)",
            "  ike v1 id=0 11.0.1.2/500 11.0.1.1/500 Active cap=(none) conn=1002 life=23:39:38",
            "  ike v1 id=0 11.0.1.2/500 11.0.1.1/500 Active cap=(none) conn=1001 life=23:39:32",
            "  flow permit 47 host 11.0.1.2 host 11.0.1.1 sas=4 origin=crypto map \
             in=Some(46) Some(0) Some(4607999)/Some(3544) out=Some(36933108) Some(0) Some(3934761)/Some(3544)",
        ]
    );
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionDetail_golden_output2.txt")),
        [
            "session Tunnel0 profile=polaris-test user=- group=- addr=- up=00:27:42 UP-ACTIVE \
             peer=1.1.1.1:500 vrf=myf-vrf/myi-vrf p1=polaris-test.polaris-test desc=(none)",
            "  ike v2 id=3 2.2.2.2/500 1.1.1.1/500 Active cap=U conn=1 life=23:32:18",
            "  flow permit 47 host 2.2.2.2 host 1.1.1.1 sas=2 origin=crypto map \
             in=Some(0) Some(0) Some(4319919)/Some(1937) out=Some(0) Some(0) Some(4319919)/Some(1937)",
        ]
    );
    let zero = "in=Some(0) Some(0) Some(0)/Some(0) out=Some(0) Some(0) Some(0)/Some(0)";
    let mut want = vec![
        "session Tunnel3111 profile=- user=- group=- addr=- up=- DOWN peer=192.168.1.1:500 \
                         vrf=(none)/inner p1=(none) desc=(none)"
            .to_string(),
    ];
    for spec in [
        "permit ip 100.75.0.0/255.255.255.192 192.168.25.0/255.255.255.128",
        "permit ip host 100.74.10.1 192.168.25.0/255.255.255.128",
        "permit ip 100.75.0.0/255.255.255.192 192.168.26.0/255.255.255.0",
        "permit ip host 100.74.10.1 192.168.26.0/255.255.255.0",
        "permit ip 100.75.0.0/255.255.255.192 192.168.25.0/255.255.255.0",
        "permit ip host 100.74.10.1 192.168.25.0/255.255.255.0",
    ] {
        want.push(format!("  flow {spec} sas=0 origin=crypto map {zero}"));
    }
    want.push(
        "session Tunnel3111 profile=ISAKMP-inner-LOC_A user=- group=- addr=- up=- DOWN-NEGOTIATING \
         peer=192.168.1.1:500 vrf=(none)/(none) p1=(none) desc=(none)"
            .into(),
    );
    for _ in 0..2 {
        want.push(
            "  ike v1 id=0 94.140.184.80/500 192.168.1.1/500 Inactive cap=(none) conn=0 life=0"
                .into(),
        );
    }
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionDetail_golden_output3.txt")),
        want
    );
}

#[test]
fn ios_crypto_session() {
    assert_eq!(
        session_lines(&load("ios_ShowCryptoSession_golden_output.txt")),
        [
            "session Tunnel13 profile=- user=- group=- addr=- up=- UP-ACTIVE peer=11.0.1.1:500 \
             vrf=-/- p1=- desc=-",
            "  ike v1 id=0 11.0.1.2/500 11.0.1.1/500 Active cap=- conn=- life=-",
            "  flow permit 47 host 11.0.1.2 host 11.0.1.1 sas=2 origin=crypto map in=- out=-",
        ]
    );
    assert_eq!(
        session_lines(&load("ios_ShowCryptoSession_golden_output1.txt")),
        EASY_VPN
    );
}

#[test]
fn ios_crypto_session_detail() {
    // `life (KB/Sec) KB Vol Rekey Disabled/3060`.
    assert_eq!(
        session_lines(&load("ios_ShowCryptoSessionDetail_golden_output.txt")),
        [
            "session Tunnel13 profile=GS-GRE:ISAKMP user=- group=- addr=- up=3d18h UP-ACTIVE \
             peer=11.0.2.1:500 vrf=(none)/(none) p1=11.0.2.1 desc=(none)",
            "  ike v1 id=0 11.0.2.2/500 11.0.2.1/500 Active cap=D conn=1042 life=05:50:03",
            "  flow permit 47 host 11.0.2.2 host 11.0.2.1 sas=2 origin=crypto map \
             in=Some(449282) Some(0) None/Some(3060) kb-off out=Some(772730) Some(0) None/Some(3060) kb-off",
        ]
    );
    assert_eq!(
        session_lines(&load("ios_ShowCryptoSessionDetail_golden_output1.txt")),
        TUNNEL0_DETAIL
    );
}

// ---------------------------------------------------------------------------
// ASA `show vpn-sessiondb` summary.

fn summary_rows(rows: &[ipsec_doctor_show::SummaryRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{}{} {:?} {:?} {:?} {:?}",
                r.parent
                    .as_deref()
                    .map_or(String::new(), |p| format!("{p} > ")),
                r.name,
                r.active,
                r.cumulative,
                r.peak,
                r.inactive
            )
        })
        .collect()
}

fn totals(s: &ipsec_doctor_show::VpnSummary) -> [Option<u64>; 6] {
    [
        s.total_active_and_inactive,
        s.total_cumulative,
        s.capacity,
        s.load_percent,
        s.totals_active,
        s.totals_cumulative,
    ]
}

#[test]
fn asa_vpn_sessiondb_summary() {
    let a = load("asa_ShowVPNSessionDBSummary_golden_output.txt");
    assert_eq!(a.vpn_summaries.len(), 1);
    let s = &a.vpn_summaries[0];
    assert_eq!(
        summary_rows(&s.sessions),
        [
            "IKEv1 IPsec/L2TP IPsec Some(2) Some(2) Some(2) None",
            "Load Balancing(Encryption) Some(0) Some(6) Some(1) None",
        ]
    );
    assert!(s.tunnels.is_empty());
    assert_eq!(
        totals(s),
        [Some(2), Some(8), Some(250), Some(1), None, None]
    );

    let b = load("asa_ShowVPNSessionDBSummary_golden_output_2.txt");
    assert_eq!(b.vpn_summaries.len(), 1);
    let s = &b.vpn_summaries[0];
    assert_eq!(
        summary_rows(&s.sessions),
        [
            "AnyConnect Client Some(127) Some(432) Some(205) Some(0)",
            "AnyConnect Client > SSL/TLS/DTLS Some(127) Some(432) Some(205) Some(0)",
            "AnyConnect Client > IKEv2 IPsec Some(8) Some(17) Some(8) Some(0)",
            "Clientless VPN Some(0) Some(1) Some(1) None",
            "Clientless VPN > Browser Some(0) Some(1) Some(1) None",
            "Site-to-Site VPN Some(29) Some(59) Some(29) None",
            "Site-to-Site VPN > IKEv2 IPsec Some(29) Some(59) Some(29) None",
        ]
    );
    assert_eq!(
        summary_rows(&s.tunnels),
        [
            "Clientless Some(0) Some(1) Some(1) None",
            "AnyConnect-Parent Some(127) Some(432) Some(205) None",
            "SSL-Tunnel Some(125) Some(1577) Some(204) None",
            "DTLS-Tunnel Some(124) Some(1508) Some(202) None",
        ]
    );
    assert_eq!(
        totals(s),
        [
            Some(127),
            Some(432),
            Some(5000),
            Some(0),
            Some(376),
            Some(3518)
        ]
    );

    let c = load("asa_ShowVPNSessionDBSummary_golden_output_3.txt");
    let s = &c.vpn_summaries[0];
    assert_eq!(
        summary_rows(&s.sessions),
        [
            "AnyConnect Client Some(1672) Some(140011) Some(2219) Some(355)",
            "AnyConnect Client > SSL/TLS/DTLS Some(1672) Some(140011) Some(2219) Some(355)",
            "Clientless VPN Some(2) Some(125) Some(6) None",
            "Clientless VPN > Browser Some(2) Some(125) Some(6) None",
        ]
    );
    assert_eq!(
        totals(s),
        [
            Some(2029),
            Some(1_140_136),
            Some(5000),
            Some(41),
            None,
            None
        ]
    );

    // Double-spaced, with its command.
    let d = load("asa_ShowVPNSessionDBSummary_golden_output_4.txt");
    assert_eq!(d.vpn_summaries.len(), 1);
    let s = &d.vpn_summaries[0];
    assert_eq!(
        summary_rows(&s.sessions),
        [
            "Clientless VPN Some(0) Some(1) Some(1) None",
            "Clientless VPN > Browser Some(0) Some(1) Some(1) None",
        ]
    );
    assert_eq!(
        summary_rows(&s.tunnels),
        ["Clientless Some(0) Some(1) Some(1) None"]
    );
    assert_eq!(
        totals(s),
        [Some(0), Some(1), Some(250), Some(0), Some(0), Some(1)]
    );
}

// ---------------------------------------------------------------------------
// The rules these files brought in, in other versions' spellings.

#[test]
fn variant_ipsec_lifetime_words_initiator_pqc() {
    let text = "R1#show crypto ipsec sa\n\ninterface: Tunnel5\n    Crypto map tag: Tunnel5-head-0, local addr 192.0.2.1\n\n   \
                protected vrf: (none)\n   local  ident (addr/mask/prot/port): (192.0.2.1/255.255.255.255/47/0)\n   \
                remote ident (addr/mask/prot/port): (198.51.100.7/255.255.255.255/47/0)\n   \
                current_peer 198.51.100.7 port 4500\n     PERMIT, flags={origin_is_acl,}\n    \
                #pkts encaps: 7, #pkts encrypt: 7, #pkts digest: 7\n    #pkts decaps: 9, #pkts decrypt: 9, #pkts verify: 9\n\n     \
                local crypto endpt.: 192.0.2.1, remote crypto endpt.: 198.51.100.7\n     \
                current outbound spi: 0x1234(4660)\n     PFS (Y/N): Y, DH group: group19, PQC Key Exchange: ML-KEM-768\n\n     \
                inbound esp sas:\n      spi: 0xABCD(43981)\n        transform: esp-gcm 256 ,\n        \
                in use settings ={Tunnel UDP-Encaps, }\n        \
                conn id: 3001, flow_id: SW:1, sibling_flags 80000040, crypto map: Tunnel5-head-0, initiator: Yes\n        \
                sa timing: remaining key lifetime 2 days, 3 hours, 5 mins\n        Status: ACTIVE(ACTIVE)\n\n     \
                outbound esp sas:\n      spi: 0x1234(4660)\n        transform: esp-gcm 256 ,\n        \
                conn id: 3002, flow_id: SW:2, crypto map: Tunnel5-head-0, initiator : no\n        \
                sa timing: remaining key lifetime 45 secs\n        Status: ACTIVE(ACTIVE)\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    let b = &out.ipsec[0];
    assert_eq!(o(&b.dh_group), Some("group19"));
    assert_eq!(o(&b.pqc_key_exchange), Some("ML-KEM-768"));
    let i = &b.inbound.esp[0];
    assert_eq!(
        (i.initiator, i.lifetime_sec),
        (Some(true), Some(2 * 86400 + 3 * 3600 + 300))
    );
    let x = &b.outbound.esp[0];
    assert_eq!((x.initiator, x.lifetime_sec), (Some(false), Some(45)));
    assert_eq!(o(&x.crypto_map), Some("Tunnel5-head-0"));
}

#[test]
fn variant_ipsec_sa_count() {
    let text = "R2#show crypto ipsec sa count\nIPsec SA total: 0, active: 0, rekeying: 0, unused: 0, invalid: 0\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0);
    assert_eq!(
        out.sections[0].command.as_deref(),
        Some("show crypto ipsec sa count")
    );
    let c = &out.ipsec_sa_counts[0];
    assert_eq!([c.total, c.active, c.invalid], [Some(0); 3]);
    // A field another release may add is kept, not lost.
    let out = parse(
        "variant",
        "IPsec SA total: 12, active: 10, rekeying: 2, unused: 0, invalid: 0, standby: 4\n",
    );
    let c = &out.ipsec_sa_counts[0];
    assert_eq!((c.total, c.rekeying), (Some(12), Some(2)));
    assert_eq!(c.other.len(), 1);
    assert_eq!(
        (c.other[0].key.as_str(), c.other[0].value.as_str()),
        ("standby", "4")
    );
}

#[test]
fn variant_isakmp_rows_without_header() {
    // IOS 15 `dst src state conn-id slot status` spelling, IPv6 rows under
    // an empty IPv4 table (real addresses).
    let text = "R3#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\n\nIPv6 Crypto ISAKMP SA\n\n\
                2001:db8:12::2  2001:db8:12::1  QM_IDLE           1005    0 ACTIVE\n\
                2001:db8:13::2  2001:db8:13::1  MM_KEY_EXCH       1006    0 ACTIVE\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(
        isakmp_rows(&out),
        [
            "2001:db8:12::2 2001:db8:12::1 QM_IDLE 1005 ACTIVE",
            "2001:db8:13::2 2001:db8:13::1 MM_KEY_EXCH 1006 ACTIVE",
        ]
    );
    assert!(out.isakmp_sas.iter().all(|s| s.slot == Some(0)));
}

#[test]
fn variant_ikev2_squeezed_columns() {
    let text = "R4#show crypto ikev2 sa detailed\nIPv4 Crypto IKEv2 SA\n\nTunnel-id Local Remote fvrf/ivrf Status\n\
                2 192.0.2.1/500 198.51.100.9/500 none/none READY\n\
                Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n\
                Life/Active Time: 86400/10 sec\nLocal spi: 0011223344556677 Remote spi: 8899AABBCCDDEEFF\n\
                Local id: 192.0.2.1\nRemote id: 198.51.100.9\nLocal req msg id: 2 Remote req msg id: 4\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    let s = &out.ikev2_sas[0];
    assert_eq!(o(&s.local_spi), Some("0011223344556677"));
    assert_eq!(o(&s.remote_spi), Some("8899AABBCCDDEEFF"));
    assert_eq!(o(&s.remote_id), Some("198.51.100.9"));
    assert_eq!(other(s, "Local req msg id"), Some("2"));
    assert_eq!(other(s, "Remote req msg id"), Some("4"));
}

#[test]
fn variant_session_wrap_kb_off_no_banner() {
    // No banner, an IKEv1 SA wrapped the same way, volume rekey off on
    // one direction only.
    let text = "Interface: Tunnel9\nSession status: UP-ACTIVE\nPeer: 2001:db8:99::2 port 500\n  \
                IKEv1 SA: local 2001:db8:99::1/500\n          remote 2001:db8:99::2/500 Active\n  \
                IPSEC FLOW: permit ipv6 ::/0 ::/0\n        Active SAs: 2, origin: crypto map\n        \
                Inbound:  #pkts dec'ed 10 drop 0 life (KB/Sec) KB Vol Rekey Disabled/120\n        \
                Outbound: #pkts enc'ed 11 drop 2 life (KB/Sec) 4000/120\n";
    assert!(ipsec_doctor_show::looks_like_show(text));
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(
        session_lines(&out),
        [
            "session Tunnel9 profile=- user=- group=- addr=- up=- UP-ACTIVE peer=2001:db8:99::2:500 \
             vrf=-/- p1=- desc=-",
            "  ike v1 id=- 2001:db8:99::1/500 2001:db8:99::2/500 Active cap=- conn=- life=-",
            "  flow permit ipv6 ::/0 ::/0 sas=2 origin=crypto map in=Some(10) Some(0) None/Some(120) kb-off \
             out=Some(11) Some(2) Some(4000)/Some(120)",
        ]
    );
    // A `remote` line with no IKE SA waiting for it is not taken.
    let out = parse(
        "variant",
        "Crypto session current status\nInterface: Tunnel1\n  remote 192.0.2.9/500 Active\n",
    );
    assert_eq!(out.skipped, 1);
}

#[test]
fn diagnosis_does_not_read_an_unprinted_counter_as_zero() {
    // The peer-detail capture has no `#pkts encaps` line: how much this
    // end sent is unknown, so no one-way traffic is claimed.
    let out = load("iosxe_ShowCryptoIpsecSaPeerDetail_golden_output.txt");
    let codes: Vec<_> = ipsec_doctor_show::diagnose(&[out])
        .into_iter()
        .map(|f| f.code.as_str().to_string())
        .collect();
    assert!(!codes.iter().any(|c| c == "one-way-traffic"), "{codes:?}");
    // Printed as 0, it is one-way traffic.
    let text = "R1#show crypto ipsec sa\ninterface: Tunnel11\n    Crypto map tag: Tunnel11-head-0, local addr 14.13.1.1\n   \
                local  ident (addr/mask/prot/port): (14.13.1.1/255.255.255.255/47/0)\n   \
                remote ident (addr/mask/prot/port): (17.0.1.1/255.255.255.255/47/0)\n   current_peer 17.0.1.1 port 500\n    \
                #pkts encaps: 0, #pkts encrypt: 0, #pkts digest: 0\n    #pkts decaps: 761, #pkts decrypt: 761, #pkts verify: 761\n";
    let codes: Vec<_> = ipsec_doctor_show::diagnose(&[parse("r1", text)])
        .into_iter()
        .map(|f| f.code.as_str().to_string())
        .collect();
    assert!(codes.iter().any(|c| c == "one-way-traffic"), "{codes:?}");
}

// ---------------------------------------------------------------------------
// The `local A` / `remote A` / `peer A` forms of the same commands.

#[test]
fn iosxe_ipsec_sa_peer() {
    let out = load("iosxe_ShowCryptoIpsecSaPeer_golden_output.txt");
    assert_eq!(out.ipsec.len(), 1);
    let b = &out.ipsec[0];
    assert_eq!(
        block_line(b),
        "Tunnel11 Tunnel11-head-0 14.13.1.1 vrf=VRF_CLOUD_11 14.13.1.1/255.255.255.255/47/0 -> \
         17.0.1.1/255.255.255.255/47/0 peer=17.0.1.1:500 PERMIT {origin_is_acl,} \
         14.13.1.1->17.0.1.1 mtu Some(9130)/Some(9184)/Some(9184) TenGigabitEthernet0/0/9.11 \
         out=0x6DE5239C(1843733404) pfs=Y dh=group20"
    );
    // No `#pkts encaps` line; `#send errors 0, #recv errors 0`.
    assert_counters(b, [None, None, None, Some(768), Some(768), Some(768)], 11);
    assert_eq!(
        sas(b),
        (
            vec![
                "0x46959245 esp-gcm 256 {Tunnel} 18001 HW:16001 FFFFFFFF80000048 \
                  Tunnel11-head-0 None/Some(4200) iv8 N ACTIVE(ACTIVE)"
                    .to_string()
            ],
            vec![
                "0x6DE5239C esp-gcm 256 {Tunnel} 18002 HW:16002 FFFFFFFF80000048 \
                  Tunnel11-head-0 None/Some(4200) iv8 N ACTIVE(ACTIVE)"
                    .to_string()
            ]
        )
    );
}

#[test]
fn iosxe_ikev2_sa_local_remote() {
    let local_row =
        "1 4.4.4.1/4500 10.1.1.1/4500 none/none READY AES-GCM 256 SHA384 None 20 PSK PSK \
                     86400/{t} ce=1406 sess=60 409A5870608E1C87/20858C98BE7EE1A9";
    let remote_row =
        "1184 101.0.10.2/500 100.201.33.252/500 none/none READY AES-CBC 192 SHA512 SHA512 16 \
                      PSK PSK 86400/{t} ce=76998 sess=1790326 39125EA1EB1B358D/29C6416947D54ECA";
    let l = load("iosxe_ShowCryptoIkev2SaLocal_golden_output.txt");
    assert_eq!(ikev2_rows(&l), [local_row.replace("{t}", "2854")]);
    let r = load("iosxe_ShowCryptoIkev2SaRemote_golden_output.txt");
    assert_eq!(ikev2_rows(&r), [remote_row.replace("{t}", "19")]);
    let ld = load("iosxe_ShowCryptoIkev2SaLocalDetail_golden_output.txt");
    assert_eq!(ikev2_rows(&ld), [local_row.replace("{t}", "2856")]);
    assert_eq!(
        ikev2_detail(&ld.ikev2_sas[0]),
        "4.4.4.1 | 10.1.1.1 | Negotiation done | 288 285 288 285 288 285 | 5 5 | \
         configured for 10 seconds, retry 2 | is detected inside | Yes | -"
    );
    assert_eq!(
        other(&ld.ikev2_sas[0], "Pushed IP address"),
        Some("66.6.6.4")
    );
    let rd = load("iosxe_ShowCryptoIkev2SaRemoteDetail_golden_output.txt");
    assert_eq!(ikev2_rows(&rd), [remote_row.replace("{t}", "23")]);
    assert_eq!(
        ikev2_detail(&rd.ikev2_sas[0]),
        "101.0.10.2 | 100.201.33.252 | Negotiation done | 0 4 0 4 0 4 | 5 5 | \
         configured for 0 seconds, retry 0 | is not detected | No | IOS-XE"
    );
}

#[test]
fn iosxe_crypto_session_local_remote() {
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionLocal_golden_output.txt")),
        [
            "session Tunnel1 profile=IKEV2_PROFILE user=- group=- addr=- up=- UP-ACTIVE \
             peer=10.1.1.1:4500 vrf=-/- p1=- desc=-",
            "  ike v2 id=78 4.4.4.1/4500 10.1.1.1/4500 Active cap=- conn=- life=-",
            "  flow permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0 sas=2 origin=crypto map in=- out=-",
        ]
    );
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionLocalDetail_golden_output.txt")),
        [
            "session Tunnel1 profile=IKEV2_PROFILE user=- group=- addr=- up=00:00:31 UP-ACTIVE \
             peer=10.1.1.1:4500 vrf=(none)/(none) p1=10.1.1.1 desc=(none)",
            "  ike v2 id=78 4.4.4.1/4500 10.1.1.1/4500 Active cap=DNU conn=1 life=23:59:29",
            "  flow permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0 sas=2 origin=crypto map \
             in=Some(2) Some(0) Some(4607999)/Some(3569) out=Some(0) Some(0) Some(4608000)/Some(3569)",
        ]
    );
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionRemote_golden_output_csr8kv_flow.txt")),
        [
            "session GigabitEthernet3 profile=ASM-PROFILE user=- group=- addr=- up=- UP-ACTIVE \
             peer=1.1.1.1:500 vrf=-/- p1=- desc=-",
            "  ike v2 id=1 1.1.1.2/500 1.1.1.1/500 Active cap=- conn=- life=-",
            "  flow permit ip 20.20.20.0/255.255.255.0 10.10.10.0/255.255.255.0 sas=2 origin=crypto map in=- out=-",
            "  flow permit ip 40.40.40.0/255.255.255.0 30.30.30.0/255.255.255.0 sas=0 origin=crypto map in=- out=-",
        ]
    );
}

#[test]
fn iosxe_crypto_session_remote_detail() {
    let va1325 = |v: u8| {
        vec![
            "session Virtual-Access1325 profile=IKEV2_PROFILE user=- group=- addr=- up=13:17:14 UP-ACTIVE \
             peer=17.27.1.11:38452 vrf=(none)/10 p1=scale desc=(none)"
                .to_string(),
            format!("  ike v{v} id=22000 1.1.1.1/4500 17.27.1.11/38452 Active cap=DN conn=276 life=10:42:46"),
            "  flow permit ip 0.0.0.0/0.0.0.0 host 7.1.2.40 sas=2 origin=crypto map \
             in=Some(47673) Some(0) Some(4607772)/Some(1874) out=Some(47672) Some(0) Some(4607812)/Some(1874)"
                .to_string(),
        ]
    };
    let va929 = |v: u8| {
        vec![
            "session Virtual-Access929 profile=IKEV2_PROFILE user=- group=- addr=- up=13:16:53 UP-ACTIVE \
             peer=17.27.1.11:55411 vrf=(none)/10 p1=scale desc=(none)"
                .to_string(),
            format!("  ike v{v} id=22062 1.1.1.1/4500 17.27.1.11/55411 Active cap=DN conn=323 life=10:43:07"),
            "  flow permit ip 0.0.0.0/0.0.0.0 host 7.1.2.88 sas=2 origin=crypto map \
             in=Some(47668) Some(0) Some(4607746)/Some(1687) out=Some(47694) Some(0) Some(4607791)/Some(1687)"
                .to_string(),
        ]
    };
    let extra = "  flow permit ip 1.0.0.0/0.0.0.0 host 7.1.2.40 sas=2 origin=crypto map \
                 in=Some(47673) Some(0) Some(4607772)/Some(1874) out=Some(47672) Some(0) Some(4607812)/Some(1874)"
        .to_string();
    let full: Vec<String> = va1325(2).into_iter().chain(va929(2)).collect();
    assert_eq!(
        session_lines(&load(
            "iosxe_ShowCryptoSessionRemoteDetail_golden_output_csr8kv_full.txt"
        )),
        full
    );
    for (file, v) in [
        (
            "iosxe_ShowCryptoSessionRemoteDetail_golden_output_csr8kv_flow.txt",
            2,
        ),
        (
            "iosxe_ShowCryptoSessionRemoteDetail_golden_output_csr8kv_ikev1.txt",
            1,
        ),
    ] {
        let mut want = va1325(v);
        want.push(extra.clone());
        want.extend(va929(v));
        want.push(extra.clone());
        assert_eq!(session_lines(&load(file)), want, "{file}");
    }
    // A newer legend (`S - SIP VPN, E - Stronger IKE Encryption Enforced`)
    // and volume rekey off on both directions.
    assert_eq!(
        session_lines(&load("iosxe_ShowCryptoSessionRemoteDetail_golden_output_new.txt")),
        [
            "session Virtual-Access1 profile=IKEV2_PROFILE user=- group=- addr=- up=00:00:10 UP-ACTIVE \
             peer=27.27.27.2:500 vrf=(none)/(none) p1=27.27.27.2 desc=(none)",
            "  ike v2 id=1 17.17.17.2/500 27.27.27.2/500 Active cap=DU conn=1 life=00:08:10",
            "  flow permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0 sas=2 origin=crypto map \
             in=Some(6) Some(0) None/Some(239) kb-off out=Some(6) Some(0) None/Some(239) kb-off",
        ]
    );
}

// ---------------------------------------------------------------------------
// ASA `show vpn-sessiondb anyconnect` (remote access): one session per
// `Username`, two columns whether padded or squeezed to one space.

fn ra_sessions(out: &ShowOutput) -> Vec<String> {
    out.vpn_sessions
        .iter()
        .map(|s| {
            let other = |k: &str| {
                s.other
                    .iter()
                    .find(|kv| kv.key.as_str() == k)
                    .map_or("-", |kv| kv.value.as_str())
            };
            format!(
                "{} #{} {} -> {} | {} | {} | {} | {} | {}/{} | {} / {} | {} | {} | {} | {}",
                o(&s.username).unwrap_or("-"),
                s.index.map_or("-".into(), |c| c.to_string()),
                other("Public IP"),
                other("Assigned IP"),
                o(&s.protocol).unwrap_or("-"),
                o(&s.license).unwrap_or("-"),
                o(&s.encryption).unwrap_or("-"),
                o(&s.hashing).unwrap_or("-"),
                s.bytes_tx.map_or("-".into(), |c| c.to_string()),
                s.bytes_rx.map_or("-".into(), |c| c.to_string()),
                other("Group Policy"),
                other("Tunnel Group"),
                o(&s.login_time).unwrap_or("-"),
                o(&s.duration).unwrap_or("-"),
                other("Inactivity"),
                other("VLAN"),
            )
        })
        .collect()
}

#[test]
fn asa_vpn_sessiondb_anyconnect() {
    let a = load("asa_ShowVpnSessiondbAnyconnect_golden_output_2.txt");
    assert_eq!(
        ra_sessions(&a),
        [
            "lee #1 10.139.1.2 -> 192.168.246.1 | AnyConnect-Parent SSL-Tunnel DTLS-Tunnel | AnyConnect Premium | \
             RC4 AES128 | SHA1 | 11079/4942 | EngPolicy / EngGroup | 15:25:13 EST Fri Jan 28 2011 | 0h:00m:15s | \
             0h:00m:00s | none",
            "yumi #2 10.139.1.3 -> 192.168.246.2 | AnyConnect-Parent SSL-Tunnel DTLS-Tunnel | AnyConnect Premium | \
             RC4 AES128 | SHA1 | 11055/6942 | EngPolicy / EngGroup | 15:25:13 EST Fri Jan 29 2011 | 0h:05m:15s | \
             0h:00m:00s | none",
        ]
    );
    assert!(a
        .vpn_sessions
        .iter()
        .all(|s| o(&s.session_type) == Some("AnyConnect")));

    let b = load("asa_ShowVpnSessiondbAnyconnect_golden_output_3.txt");
    assert_eq!(
        ra_sessions(&b),
        [
            "user1 #37670 10.66.2.2 -> 10.10.10.80 | AnyConnect-Parent | AnyConnect Premium | \
             AnyConnect-Parent: (1)none | AnyConnect-Parent: (1)none | 92531620/38126521 | \
             GroupPolicy_Employee / Employee | 15:56:33 CDT Fri Mar 13 2020 | 2d 4h:21m:44s | 1d 9h:13m:24s | none",
            "user1 #56867 10.4.1.1 -> 10.10.10.213 | AnyConnect-Parent | AnyConnect Premium | \
             AnyConnect-Parent: (1)none | AnyConnect-Parent: (1)none | 18318907/5297986 | \
             GroupPolicy_Employee / Employee | 08:36:57 CDT Sat Mar 14 2020 | 1d 11h:41m:20s | 1d 9h:04m:29s | none",
        ]
    );

    // Padded columns, a blank line between every line.
    let c = load("asa_ShowVpnSessiondbAnyconnect_golden_output_4.txt");
    assert_eq!(
        ra_sessions(&c),
        [
            "xxxxxxxx #1917 x.x.x.x -> x.x.x.x | AnyConnect-Parent SSL-Tunnel | \
             AnyConnect Premium, AnyConnect for Mobile | AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES256 | \
             AnyConnect-Parent: (1)none  SSL-Tunnel: (1)SHA1 | 8360206/7533909 | GroupPolicy_Employee / Employee | \
             13:50:15 CDT Thu Mar 19 2020 | 2h:26m:41s | 0h:00m:00s | none",
            "xxxxxxxx #18594 x.x.x.x -> x.x.x.x | AnyConnect-Parent SSL-Tunnel DTLS-Tunnel | AnyConnect Premium | \
             AnyConnect-Parent: (1)none  SSL-Tunnel: (1)AES256  DTLS-Tunnel: (1)AES256 | \
             AnyConnect-Parent: (1)none  SSL-Tunnel: (1)SHA1  DTLS-Tunnel: (1)SHA1 | 26059343/12795265 | \
             GroupPolicy_Employee / Employee | 09:48:37 CDT Thu Mar 19 2020 | 6h:28m:19s | 0h:00m:00s | none",
        ]
    );

    let d = load("asa_ShowVpnSessiondbAnyconnect_golden_output_5.txt");
    assert_eq!(
        ra_sessions(&d),
        ["tpet2195 #5097 172.16.4.118 -> 10.97.140.229 | AnyConnect-Parent DTLS-Tunnel | AnyConnect Premium | \
          AnyConnect-Parent: (1)none  DTLS-Tunnel: (1)AES256 | AnyConnect-Parent: (1)none  DTLS-Tunnel: (1)SHA1 | \
          694074707/257924006 | GroupPolicy_Employee_US_Z / Employee_US_Z | 13:45:06 CDT Tue Mar 17 2020 | \
          6d 21h:39m:09s | 0h:09m:00s | none"]
    );

    // `Index` on a line of its own.
    let e = load("asa_ShowVpnSessiondbAnyconnect_golden_output_6.txt");
    assert_eq!(
        ra_sessions(&e),
        ["XXX #62535 10.69.27.37 -> 10.25.112.2 | AnyConnect-Parent SSL-Tunnel DTLS-Tunnel | AnyConnect Premium | \
          AnyConnect-Parent: (1)none SSL-Tunnel: (1)AES256 DTLS-Tunnel: (1)AES256 | \
          AnyConnect-Parent: (1)none SSL-Tunnel: (1)SHA1 DTLS-Tunnel: (1)SHA1 | 355483199/187465614 | \
          GroupPolicy_RSM_Auto_VPN_UserCert / RSM_Auto_VPN_UserCert | 13:47:22 UTC Wed Mar 25 2020 | \
          1d 1h:36m:09s | 0h:00m:00s | none"]
    );
    // Remote-access sessions are not site-to-site tunnels.
    for out in [a, b, c, d, e] {
        let f = ipsec_doctor_show::diagnose(&[out]);
        assert!(f.is_empty(), "{f:?}");
    }
}

#[test]
fn variant_sessiondb_l2l_squeezed_columns() {
    // A `detail l2l` session whose column gaps were squeezed to one space,
    // and a `Username` inside a session `Connection` opened.
    let text = "asa# show vpn-sessiondb l2l\n\nSession Type: LAN-to-LAN\n\n\
                Connection : 192.0.2.7\nIndex : 12 IP Addr : 192.0.2.7\n\
                Protocol : IKEv2 IPsec\nEncryption : IKEv2: (1)AES256 IPsec: (1)AES256\n\
                Hashing : IKEv2: (1)SHA256 IPsec: (1)SHA256\nBytes Tx : 100 Bytes Rx : 200\n\
                Username : 192.0.2.7\nLogin Time : 10:00:00 UTC Mon Jan 1 2024\nDuration : 0h:10m:00s\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(out.vpn_sessions.len(), 1);
    let s = &out.vpn_sessions[0];
    assert_eq!(
        (
            o(&s.connection),
            s.index,
            o(&s.ip_addr),
            s.bytes_tx,
            s.bytes_rx,
            o(&s.username)
        ),
        (
            Some("192.0.2.7"),
            Some(12),
            Some("192.0.2.7"),
            Some(100),
            Some(200),
            Some("192.0.2.7")
        )
    );
    assert_eq!(o(&s.encryption), Some("IKEv2: (1)AES256 IPsec: (1)AES256"));
    assert_eq!(o(&s.login_time), Some("10:00:00 UTC Mon Jan 1 2024"));
}

#[test]
fn iosxe_isakmp_sa_count() {
    let out = load("iosxe_ShowCryptoIsakmpSaCount_golden_output.txt");
    assert_eq!(out.isakmp_summaries.len(), 1);
    let s = &out.isakmp_summaries[0];
    assert_eq!(
        [s.active, s.standby, s.negotiating, s.dead],
        [Some(0), Some(0), Some(0), Some(450)]
    );
    assert!(out.isakmp_sas.is_empty());
}

#[test]
fn iosxe_ikev2_sa_detail_squeezed_with_qr() {
    // Every column gap squeezed to one space; `…, Auth verify: PSK, QR`.
    let out = load("iosxe_ShowCryptoIkev2SaDetail_golden_output5.txt");
    assert_eq!(
        ikev2_rows(&out),
        [
            "6 1.1.1.2/500 2.2.2.2/500 none/none READY AES-CBC 256 SHA256 SHA256 14 PSK PSK \
          86400/1757 ce=0 sess=74 4924FD2741CC90FD/601ED2AB91327DAE"
        ]
    );
    let s = &out.ikev2_sas[0];
    assert_eq!(
        ikev2_detail(s),
        "1.1.1.2 | 2.2.2.2 | Negotiation done | 0 0 0 0 0 0 | 5 5 | \
         configured for 0 seconds, retry 0 | is not detected | No | Other"
    );
    assert_eq!(other(s, "QR"), Some(""));
    assert_eq!(other(s, "Local Sys Id"), Some("sks1"));
    assert_eq!(other(s, "Remote Sys Id"), Some("sks2"));
    assert_eq!(
        other(s, "Quantum-Safe Encryption using PPK"),
        Some("is enabled")
    );
}

#[test]
fn variant_isakmp_sa_count() {
    let text = "R5#show crypto isakmp sa count\nActive ISAKMP SA's: 12\nStandby ISAKMP SA's: 2\n\
                Currently being negotiated ISAKMP SA's: 1\nDead ISAKMP SA's: 0\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    let s = &out.isakmp_summaries[0];
    assert_eq!(
        [s.active, s.standby, s.negotiating, s.dead],
        [Some(12), Some(2), Some(1), Some(0)]
    );
    // A kind this parser does not know is not read as one it does.
    let out = parse(
        "variant",
        "R5#show crypto isakmp sa count\nPending ISAKMP SA's: 4\n",
    );
    assert_eq!(out.skipped, 1);
}

// ---------------------------------------------------------------------------
// IOS-XE `show crypto ipsec sa interface I`.

#[test]
fn iosxe_ipsec_sa_interface_ospfv3() {
    // OSPFv3 authentication SAs: `IPsecv6 policy name:`, the remote
    // endpoint on a line of its own, `ipv6 mtu`, ESP in one, AH in the other.
    let a = load("iosxe_ShowCryptoIpsecSaInterface_golden_output.txt");
    assert_eq!(a.ipsec.len(), 1);
    let b = &a.ipsec[0];
    assert_eq!(o(&b.ipsec_policy), Some("OSPFv3-2552"));
    assert_eq!(
        block_line(b),
        "FiveGigabitEthernet3/0/16 FiveGigabitEthernet3/0/16-OSPF-MAP FE80::B28B:D0FF:FE8D:BA75 vrf=(none) \
         FE80::/10/89/0 -> ::/0/89/0 peer=FF02::5:500 PERMIT {origin_is_acl,} FE80::B28B:D0FF:FE8D:BA75->FF02::5 \
         mtu Some(1470)/Some(1500)/Some(1500) FiveGigabitEthernet3/0/16 out=0x9F8(2552) pfs=N dh=none"
    );
    assert_counters(b, [703, 703, 703, 682, 682, 682].map(Some), 14);
    let esp = |conn: u64| {
        format!(
            "0x9F8 esp-3des esp-md5-hmac {{Transport}} {conn} SW:{conn} FFFFFFFF80000009 \
             FiveGigabitEthernet3/0/16-OSPF-MAP None/Some(0) iv8 N ACTIVE(ACTIVE)"
        )
    };
    assert_eq!(sas(b), (vec![esp(73)], vec![esp(74)]));

    let c = load("iosxe_ShowCryptoIpsecSaInterface_golden_output_1.txt");
    let b = &c.ipsec[0];
    assert_eq!(o(&b.ipsec_policy), Some("OSPFv3-256"));
    assert_eq!(
        (o(&b.local_endpoint), o(&b.remote_endpoint)),
        (Some("FE80::B28B:D0FF:FE8D:BA49"), Some("FF02::5"))
    );
    assert_counters(b, [4312, 4312, 4312, 4291, 4291, 4291].map(Some), 14);
    assert!(b.inbound.esp.is_empty() && b.outbound.esp.is_empty());
    let ah: Vec<String> = b
        .inbound
        .ah
        .iter()
        .chain(&b.outbound.ah)
        .map(sa_line)
        .collect();
    assert_eq!(
        ah,
        [71, 72].map(|conn| format!(
            "0x100 ah-md5-hmac {{Transport}} {conn} SW:{conn} FFFFFFFF80000019 \
             FiveGigabitEthernet3/0/15-OSPF-MAP None/Some(0) iv- N ACTIVE(ACTIVE)"
        ))
    );
}

#[test]
fn iosxe_ipsec_sa_interface_tunnel() {
    // Line 26, `ekey has been disabled`, is a line cut short in the capture
    // (its `Kilobyte Volume R` lost): not read.
    let a = load_skipping(
        "iosxe_ShowCryptoIpsecSaInterface_golden_output_2.txt",
        &[26],
    );
    let b = &a.ipsec[0];
    assert_eq!(
        block_line(b),
        "Tunnel10 Tunnel10-head-0 101.1.1.1 vrf=(none) 0.0.0.0/0.0.0.0/0/0 -> 0.0.0.0/0.0.0.0/0/0 \
         peer=101.1.1.2:500 PERMIT {origin_is_acl,} 101.1.1.1->101.1.1.2 \
         mtu Some(1446)/Some(1500)/Some(1500) FiveGigabitEthernet3/0/15 out=0x6976013A(1769341242) pfs=N dh=none"
    );
    assert_counters(b, [144, 144, 144, 131, 131, 131].map(Some), 14);
    assert_eq!(
        sas(b),
        (
            vec![
                "0x76DC8A9A esp-gcm 256 {Tunnel} 2093 CAT9K:93 FFFFFFFF80000048 Tunnel10-head-0 \
                  None/None iv8 Y ACTIVE(ACTIVE)"
                    .to_string()
            ],
            // `remaining key lifetime 4 hours, 2 mins`.
            vec![
                "0x6976013A esp-gcm 256 {Tunnel} 2094 CAT9K:94 FFFFFFFF80000048 Tunnel10-head-0 \
                  None/Some(14520) iv8 Y ACTIVE(ACTIVE)"
                    .to_string()
            ]
        )
    );

    // `PFS (Y/N): Y, DH group: group14, AKE group: AKE1: MLKEM512`.
    let c = load("iosxe_ShowCryptoIpsecSaInterface_golden_output_3.txt");
    let b = &c.ipsec[0];
    assert_eq!(
        block_line(b),
        "Virtual-Access1 Virtual-Access1-head-0 17.17.17.2 vrf=(none) 0.0.0.0/0.0.0.0/0/0 -> 0.0.0.0/0.0.0.0/0/0 \
         peer=27.27.27.2:500 PERMIT {origin_is_acl,} 17.17.17.2->27.27.27.2 \
         mtu Some(1438)/Some(1500)/Some(1500) GigabitEthernet2 out=0xC5F471E5(3321131493) pfs=Y dh=group14"
    );
    assert_eq!(o(&b.pqc_key_exchange), Some("AKE1: MLKEM512"));
    assert_counters(b, [5490, 5490, 5490, 5481, 5481, 5481].map(Some), 14);
    let sa = |spi: &str, conn: u64| {
        format!(
            "{spi} esp-aes esp-sha-hmac {{Tunnel}} {conn} CSR:{} FFFFFFFF80004048 Virtual-Access1-head-0 \
             Some(4607998)/Some(153) iv16 Y ACTIVE(ACTIVE)",
            conn - 2000
        )
    };
    assert_eq!(
        sas(b),
        (vec![sa("0x59B12F13", 6316)], vec![sa("0xC5F471E5", 6315)])
    );
    assert!(b.sas().all(|s| s.initiator == Some(true)));
}

#[test]
fn variant_ipsec_policy_name_and_ake_group() {
    let text = "R6#show crypto ipsec sa interface GigabitEthernet0/1\n\ninterface: GigabitEthernet0/1\n    \
                Crypto map tag: GigabitEthernet0/1-OSPF-MAP, local addr FE80::1\n   IPsecv6 policy name: OSPFv3-1000\n   \
                local  ident (addr/mask/prot/port): (FE80::/10/89/0)\n   remote ident (addr/mask/prot/port): (::/0/89/0)\n   \
                current_peer FF02::5 port 500\n     PFS (Y/N): Y, DH group: group21, AKE group: AKE1: MLKEM1024\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(out.ipsec.len(), 1);
    let b = &out.ipsec[0];
    assert_eq!(o(&b.ipsec_policy), Some("OSPFv3-1000"));
    assert_eq!(
        (o(&b.dh_group), o(&b.pqc_key_exchange)),
        (Some("group21"), Some("AKE1: MLKEM1024"))
    );
    assert_eq!(o(&b.interface), Some("GigabitEthernet0/1"));
}

// ---------------------------------------------------------------------------
// IOS-XE `show crypto map` (tab-indented).

fn map_line(m: &ipsec_doctor_show::CryptoMapEntry) -> String {
    let sets: Vec<String> = m
        .transform_sets
        .iter()
        .map(|t| {
            let tr: Vec<&str> = t.transforms.iter().map(|x| x.as_str()).collect();
            format!("{}={}", t.name, tr.join("+"))
        })
        .collect();
    let list =
        |v: &[ipsec_doctor_show::Text]| v.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",");
    let other: Vec<String> = m
        .other
        .iter()
        .map(|kv| format!("{}={}", kv.key, kv.value))
        .collect();
    format!(
        "{} {} {} peers={} current={} acl={} no_acl={} life={:?}/{:?} pfs={:?} resp={:?} sets={} ikev2={} \
         ifs={} listed={} incomplete={} other={}",
        m.map,
        m.seq,
        o(&m.kind).unwrap_or("-"),
        list(&m.peers),
        o(&m.current_peer).unwrap_or("-"),
        o(&m.acl).unwrap_or("-"),
        m.no_acl,
        m.lifetime_kb,
        m.lifetime_sec,
        m.pfs,
        m.responder_only,
        sets.join(","),
        o(&m.ikev2_profile).unwrap_or("-"),
        list(&m.interfaces),
        m.interfaces_listed,
        m.incomplete,
        other.join(";"),
    )
}

#[test]
fn iosxe_crypto_map() {
    let maps = |f: &str| -> Vec<String> { load(f).crypto_maps.iter().map(map_line).collect() };
    assert_eq!(
        maps("iosxe_ShowCryptoMap_golden_output_1.txt"),
        ["VPN_To_Switch2 1 ipsec-isakmp peers=172.20.249.12 current=- acl=101 no_acl=false \
          life=Some(4608000)/Some(3600) pfs=Some(false) resp=Some(false) sets=default=esp-aes+esp-sha-hmac \
          ikev2=- ifs= listed=true incomplete=true \
          other=Access-List SS dynamic=False;Dualstack (Y/N)=N;Mixed-mode=Disabled"]
    );
    assert_eq!(
        maps("iosxe_ShowCryptoMap_golden_output_2.txt"),
        ["ikev2-cryptomap 1 ipsec-isakmp peers=172.20.249.12,172.20.249.3 current=172.20.249.12 acl=102 \
          no_acl=false life=Some(4608000)/Some(3600) pfs=Some(false) resp=Some(false) \
          sets=aes256-sha1=esp-aes+esp-sha-hmac ikev2=ikev2profile ifs=Vlan1 listed=true incomplete=false \
          other=Access-List SS dynamic=False;Dualstack (Y/N)=N;Mixed-mode=Disabled"]
    );
    // IPv6 map (`Crypto Map IPv6 "…"`) with a `set ip access-group … in`.
    let v6 = "sdsd 3 ipsec-manual peers=2001::1 current=- acl=- no_acl=true life=None/None pfs=None resp=None \
              sets=default=esp-aes+esp-sha-hmac ikev2=- ifs={ifs} listed=true incomplete=true \
              other=Access-List SS dynamic=False;access check IN=sds";
    assert_eq!(
        maps("iosxe_ShowCryptoMap_golden_output_3.txt"),
        [v6.replace("{ifs}", "")]
    );
    assert_eq!(
        maps("iosxe_ShowCryptoMap_golden_output_4.txt"),
        [v6.replace("{ifs}", "TwoGigabitEthernet2/0/17,TwoGigabitEthernet2/0/19")]
    );
}

#[test]
fn variant_crypto_map_flags() {
    let text = "R7#show crypto map\nCrypto Map IPv4 \"CM\" 10 ipsec-isakmp\n        Peer = 198.51.100.2\n        \
                Access-List SS dynamic: True\n        Extended IP access list VPN\n            \
                access-list VPN permit ip 10.0.0.0 0.0.0.255 10.1.0.0 0.0.0.255\n        \
                Extended IP access check OUT list FILTER\n        Dualstack (Y/N): Y\n        \
                Transform sets={\n                TS:  { esp-256-aes esp-sha256-hmac  } ,\n        }\n        \
                Interfaces using crypto map CM:\n                GigabitEthernet1\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    let m = &out.crypto_maps[0];
    assert_eq!(o(&m.acl), Some("VPN"));
    assert_eq!(m.acl_lines.len(), 1);
    let other: Vec<String> = m
        .other
        .iter()
        .map(|kv| format!("{}={}", kv.key, kv.value))
        .collect();
    assert_eq!(
        other,
        [
            "Access-List SS dynamic=True",
            "access check OUT=FILTER",
            "Dualstack (Y/N)=Y"
        ]
    );
}

// ---------------------------------------------------------------------------
// IOS-XE `show crypto ikev2 session [detailed]`: child SAs with several
// selectors, selectors under an empty `Child sa:` line, and IOS-XE 17's
// `local selector -> remote_selector` rows.

fn children(out: &ShowOutput) -> Vec<String> {
    let all = |first: &Option<ipsec_doctor_show::Text>, all: &[ipsec_doctor_show::Text]| {
        if all.is_empty() {
            o(first).unwrap_or("-").to_string()
        } else {
            all.iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    out.ikev2_sas
        .iter()
        .flat_map(|s| {
            s.children.iter().map(move |c| {
                format!(
                    "sess {} | {} | {} | {}/{}",
                    s.session_id.map_or("-".into(), |x| x.to_string()),
                    all(&c.local_selector, &c.local_selectors),
                    all(&c.remote_selector, &c.remote_selectors),
                    o(&c.spi_in_hex).unwrap_or("-"),
                    o(&c.spi_out_hex).unwrap_or("-"),
                )
            })
        })
        .collect()
}

fn session_heads(out: &ShowOutput) -> Vec<String> {
    out.ikev2_sas
        .iter()
        .map(|s| {
            format!(
                "{} {} ike={} child={} | {}",
                s.session_id.map_or("-".into(), |x| x.to_string()),
                o(&s.session_status).unwrap_or("-"),
                s.ike_count.map_or("-".into(), |x| x.to_string()),
                s.child_count.map_or("-".into(), |x| x.to_string()),
                ikev2_rows_one(s),
            )
        })
        .collect()
}

fn ikev2_rows_one(s: &ipsec_doctor_show::Ikev2Sa) -> String {
    format!(
        "{} {}/{} {}/{} {} {} {}/{}",
        s.tunnel_id.map_or("-".into(), |c| c.to_string()),
        o(&s.local).unwrap_or("-"),
        s.local_port.map_or("-".into(), |c| c.to_string()),
        o(&s.remote).unwrap_or("-"),
        s.remote_port.map_or("-".into(), |c| c.to_string()),
        o(&s.status).unwrap_or("-"),
        o(&s.encryption).unwrap_or("-"),
        s.lifetime.map_or("-".into(), |c| c.to_string()),
        s.active_time.map_or("-".into(), |c| c.to_string()),
    )
}

#[test]
fn iosxe_ikev2_session() {
    let v4 = [
        "sess 3 | 30.10.10.0/0 - 50.10.10.255/65535, 20.10.10.0/0 - 40.10.10.255/65535 | \
         172.17.2.0/0 - 172.17.2.255/65535, 172.17.2.0/0 - 172.17.3.255/65535 | 0x232CB82D/0x30767B6E",
        "sess 3 | 20.10.10.0/0 - 40.10.10.255/65535 | 50.20.20.0/0 - 60.20.20.255/65535 | 0x232CB82D/0x30767B6E",
    ];
    let v6 = [
        "sess 5 | 30.10.10::0/0 - 50.10.10::255/65535, 20.10.10::0/0 - 40.10.10::255/65535 | \
         172.17.2::0/0 - 172.17.2::255/65535, 172.17.2::0/0 - 172.17.3::255/65535 | 0x232CB82D/0x30767B6E",
        "sess 5 | 20.10.10::0/0 - 40.10.10::255/65535 | 50.20.20::0/0 - 60.20.20::255/65535 | 0x232CB82D/0x30767B6E",
    ];
    let heads = [
        "3 UP-ACTIVE ike=1 child=1 | 1 1.1.1.1/500 1.1.1.2/500 READY AES-CBC 86400/38157",
        "5 UP-ACTIVE ike=1 child=1 | 1 1.1.1::1/500 1.1.1::2/500 READY AES-CBC 86400/38157",
    ];
    let want: Vec<&str> = v4.iter().chain(&v6).copied().collect();
    for f in [
        "iosxe_ShowCryptoIkev2Session_golden_output_csr8kv_full.txt",
        "iosxe_ShowCryptoIkev2Session_golden_output_csr8kv_old.txt",
        "iosxe_ShowCryptoIkev2Session_golden_output_csr8kv_detailed.txt",
    ] {
        let out = load(f);
        assert_eq!(session_heads(&out), heads, "{f}");
        assert_eq!(children(&out), want, "{f}");
    }
    let d = load("iosxe_ShowCryptoIkev2Session_golden_output_csr8kv_detailed.txt");
    let spis: Vec<_> = d
        .ikev2_sas
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                o(&s.local_spi).unwrap_or("-"),
                o(&s.remote_spi).unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        spis,
        [
            "6F86196AB2C574E3/74AD695CF23C4805",
            "6F86196AB2C574E5/74AD695CF23C4806"
        ]
    );
    for c in d.ikev2_sas.iter().flat_map(|s| &s.children) {
        assert_eq!(
            (o(&c.encryption), c.keysize, o(&c.esp_hmac), o(&c.mode)),
            (Some("AES-CBC"), Some(256), Some("SHA256"), Some("tunnel"))
        );
    }

    let m = load("iosxe_ShowCryptoIkev2Session_golden_output_mklm_v6.txt");
    assert_eq!(
        session_heads(&m),
        [
            "3 UP-ACTIVE ike=1 child=1 | 1 2001:DB8:1101::131/500 2001:DB8:1201::122/500 READY AES-CBC 86400/223",
            "4 UP-ACTIVE ike=1 child=1 | 2 2001:DB8:1101::131/500 2001:DB8:1202::123/500 READY AES-CBC 86400/212",
        ]
    );
    assert_eq!(
        children(&m),
        [
            "sess 3 | 2001:DB8:1101::131/0 - 2001:DB8:1101::131/65535 | \
             2001:DB8:1201::122/0 - 2001:DB8:1201::122/65535 | 0x5CFCE807/0x34A549BD",
            "sess 4 | 2001:DB8:1101::131/0 - 2001:DB8:1101::131/65535 | \
             2001:DB8:1202::123/0 - 2001:DB8:1202::123/65535 | 0x5CFCE807/0x34A549BD",
        ]
    );
}

#[test]
fn variant_ikev2_child_selectors() {
    // ASA-style child with two selector pairs, then an arrow row.
    let text = "asa# show crypto ikev2 sa\n\nIKEv2 SAs:\n\nSession-id:7, Status:UP-ACTIVE, IKE count:1, CHILD count:2\n\n\
                Tunnel-id Local                 Remote                Status         Role\n\
                  1234 192.0.2.1/500           198.51.100.1/500      READY    RESPONDER\n      \
                Encr: AES256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n      \
                Life/Active Time: 86400/60 sec\n\
                Child sa: local selector  10.0.1.0/0 - 10.0.1.255/65535\n          \
                local selector  10.0.2.0/0 - 10.0.2.255/65535\n          \
                remote selector 10.9.1.0/0 - 10.9.1.255/65535\n          \
                ESP spi in/out: 0x11111111/0x22222222\n\
                Child sa:\n          local selector       ->      remote_selector\n          \
                10.0.3.0/0 - 10.0.3.255/65535    ->    10.9.3.0/0 - 10.9.3.255/65535\n          \
                ESP spi in/out: 0x33333333/0x44444444\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(
        children(&out),
        [
            "sess 7 | 10.0.1.0/0 - 10.0.1.255/65535, 10.0.2.0/0 - 10.0.2.255/65535 | \
             10.9.1.0/0 - 10.9.1.255/65535 | 0x11111111/0x22222222",
            "sess 7 | 10.0.3.0/0 - 10.0.3.255/65535 | 10.9.3.0/0 - 10.9.3.255/65535 | 0x33333333/0x44444444",
        ]
    );
}

#[test]
fn iosxe_crypto_session_interface_detail() {
    // Starts at the legend (no banner); the IPv6 one wraps its IKEv2 SA line.
    let line = |peer: &str, local: &str, port: u16| {
        vec![
            format!(
                "session Tunnel2 profile=nil_ike_prof user=- group=- addr=- up=00:30:25 UP-ACTIVE \
                 peer={peer}:{port} vrf=(none)/(none) p1={peer} desc=(none)"
            ),
            format!(
                "  ike v2 id=395 {local}/{port} {peer}/{port} Active cap=NU conn=1 life=23:29:35"
            ),
            "  flow permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0 sas=2 origin=crypto map \
             in=Some(47) Some(0) Some(7)/Some(233) out=Some(12) Some(0) Some(3)/Some(233)"
                .to_string(),
        ]
    };
    assert_eq!(
        session_lines(&load(
            "iosxe_ShowCryptoSessionInterfaceDetail_golden_output.txt"
        )),
        line("70.70.70.70", "71.71.71.71", 4500)
    );
    assert_eq!(
        session_lines(&load(
            "iosxe_ShowCryptoSessionInterfaceDetail_golden_output_1.txt"
        )),
        line("2001:101:0:1::2", "2001:101:0:1::1", 500)
    );
}

#[test]
fn variant_vpn_summary_nesting() {
    // ASA 9.x spelling: an IKEv1 site-to-site row under its group, then a
    // flattened summary (one line: no nesting can be read, none is made up).
    let text = "asa# show vpn-sessiondb\n---------------------------------------------------------------------------\n\
                VPN Session Summary\n---------------------------------------------------------------------------\n\
                                               Active : Cumulative : Peak Concur : Inactive\n\
                                             ----------------------------------------------\n\
                Site-to-Site VPN             :      3 :         10 :           4\n  \
                IKEv1 IPsec                :      2 :          6 :           3\n  \
                IKEv2 IPsec                :      1 :          4 :           1\n\
                Email Proxy                  :      0 :          0 :           0\n";
    let out = parse("variant", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    assert_eq!(
        summary_rows(&out.vpn_summaries[0].sessions),
        [
            "Site-to-Site VPN Some(3) Some(10) Some(4) None",
            "Site-to-Site VPN > IKEv1 IPsec Some(2) Some(6) Some(3) None",
            "Site-to-Site VPN > IKEv2 IPsec Some(1) Some(4) Some(1) None",
            "Email Proxy Some(0) Some(0) Some(0) None",
        ]
    );
}

#[test]
fn diagnosis_finds_this_device_per_address_family() {
    // IPv4 and IPv6 rows: this device is the address every row of its
    // family has (100.0.10.2, 100.0.10::2); the stuck SAs' peers are the
    // other side.
    let out = load("iosxe_ShowCryptoIsakmpSa_golden_output_isakmp.txt");
    let mut peers: Vec<String> = ipsec_doctor_show::diagnose(&[out])
        .into_iter()
        .filter_map(|f| f.peer)
        .collect();
    peers.sort();
    peers.dedup();
    assert_eq!(peers, ["100.12.82.2", "100.12.82::2"]);
    // The same with real addresses, the stuck SA in the IPv6 table.
    let text = "R8#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n\
                192.0.2.1       198.51.100.1    QM_IDLE           1001 ACTIVE\n\
                192.0.2.1       198.51.100.2    QM_IDLE           1002 ACTIVE\n\n\
                IPv6 Crypto ISAKMP SA\n\
                2001:db8::1     2001:db8:1::5   QM_IDLE           1003 ACTIVE\n\
                2001:db8::1     2001:db8:2::5   MM_NO_STATE       1004 ACTIVE\n";
    let peers: Vec<String> = ipsec_doctor_show::diagnose(&[parse("r8", text)])
        .into_iter()
        .filter(|f| f.code.as_str() != "tunnel-up")
        .filter_map(|f| f.peer)
        .collect();
    assert!(!peers.is_empty());
    assert!(peers.iter().all(|p| p == "2001:db8:2::5"), "{peers:?}");
}

#[test]
fn asa_vpn_sessiondb_webvpn() {
    let out = load("asa_ShowVpnSessiondbWebvpn_golden_output_4.txt");
    assert_eq!(
        ra_sessions(&out),
        ["admin #3 10.229.20.77 -> - | Clientless | AnyConnect Premium | Clientless: (1)AES128 | \
          Clientless: (1)SHA256 | 72214/270241 | WEBVPN_Group_Policy / DefaultWEBVPNGroup | \
          10:40:04 UTC Tue May 26 2015 | 0h:05m:21s | 0h:00m:00s | none"]
    );
    assert_eq!(o(&out.vpn_sessions[0].session_type), Some("WebVPN"));
    assert!(out.vpn_summaries.is_empty());
}

#[test]
fn variant_sessiondb_filters_list_sessions() {
    // With its command: `webvpn` / `remote` list sessions, not a summary.
    for cmd in [
        "show vpn-sessiondb webvpn",
        "show vpn-sessiondb remote",
        "sh vpn-sessiondb ra-ikev2-ipsec",
    ] {
        let text = format!(
            "asa# {cmd}\n\nSession Type: IKEv2 IPsec\n\n\
             Username     : bob                    Index        : 44\n\
             Assigned IP  : 10.8.0.5               Public IP    : 203.0.113.9\n\
             Bytes Tx     : 10                     Bytes Rx     : 20\n"
        );
        let out = parse("variant", &text);
        assert_eq!(out.skipped, 0, "{cmd}: {:?}", out.skipped_lines);
        assert!(out.vpn_summaries.is_empty(), "{cmd}");
        assert_eq!(out.sections.len(), 1, "{cmd}");
        assert_eq!(
            out.sections[0].kind,
            ipsec_doctor_show::SectionKind::Sessiondb,
            "{cmd}"
        );
        assert_eq!(
            ra_sessions(&out),
            ["bob #44 203.0.113.9 -> 10.8.0.5 | - | - | - | - | 10/20 | - / - | - | - | - | -"],
            "{cmd}"
        );
    }
}

#[test]
fn variant_sessiondb_no_sessions() {
    // ASA says there is nothing: no session and no summary made up.
    let text = "asa# show vpn-sessiondb l2l\nINFO: There are presently no active sessions\n\
                asa# show vpn-sessiondb\nINFO: There are presently no active sessions\n\
                asa# show vpn-sessiondb\nsome unrelated line\n";
    let out = parse("variant", text);
    assert!(out.vpn_sessions.is_empty(), "{:?}", out.vpn_sessions);
    assert!(out.vpn_summaries.is_empty(), "{:?}", out.vpn_summaries);
    assert_eq!(out.skipped_lines, [6]);
}
