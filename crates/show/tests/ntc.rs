//! Proof against ntc-templates (Apache-2.0, files in `tests/data/ntc/`):
//! every `show crypto …` / `show vpn-sessiondb …` raw output parses to the
//! values in the `.yml` beside it — for every record — and keeps the
//! fields and SAs that the TextFSM templates drop.

use ipsec_doctor_show::{parse, IpsecSaBlock, Sa, ShowOutput};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// A reader for the small YAML subset the ntc test files use.

#[derive(Debug, Clone, PartialEq)]
enum Val {
    S(String),
    L(Vec<String>),
}

type Rec = BTreeMap<String, Val>;

fn unquote(s: &str) -> String {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

fn read_yaml(path: &Path) -> Vec<Rec> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut recs: Vec<Rec> = Vec::new();
    let mut list_key: Option<String> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if t.is_empty() || t == "---" || t.starts_with("parsed_sample") {
            continue;
        }
        if indent == 2 && t.starts_with("- ") {
            recs.push(Rec::new());
            list_key = None;
            let kv = &t[2..];
            add_kv(recs.last_mut().unwrap(), kv, &mut list_key);
        } else if let Some(item) = t.strip_prefix("- ") {
            let k = list_key.clone().expect("list item without key");
            if let Some(Val::L(v)) = recs.last_mut().unwrap().get_mut(&k) {
                v.push(unquote(item));
            }
        } else {
            add_kv(recs.last_mut().unwrap(), t, &mut list_key);
        }
    }
    recs
}

fn add_kv(rec: &mut Rec, kv: &str, list_key: &mut Option<String>) {
    let (k, v) = kv.split_once(':').expect("key: value");
    let v = v.trim();
    if v.is_empty() {
        rec.insert(k.to_string(), Val::L(Vec::new()));
        *list_key = Some(k.to_string());
    } else {
        rec.insert(k.to_string(), Val::S(unquote(v)));
        *list_key = None;
    }
}

// ---------------------------------------------------------------------------
// Comparison.

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ntc/tests")
        .join(rel)
}

fn parse_file(raw: &Path) -> ShowOutput {
    let text = std::fs::read_to_string(raw).unwrap();
    parse(&raw.display().to_string(), &text)
}

/// Every key of every expected record must equal ours.
fn assert_same(file: &str, want: &[Rec], got: &[BTreeMap<String, Val>]) {
    assert_eq!(want.len(), got.len(), "{file}: number of records");
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        for (k, wv) in w {
            let gv = g.get(k).cloned().unwrap_or(Val::S(String::new()));
            assert_eq!(&gv, wv, "{file}: record {i}, field `{k}`");
        }
    }
}

fn s<T: ToString>(v: Option<T>) -> Val {
    Val::S(v.map(|x| x.to_string()).unwrap_or_default())
}

fn put(r: &mut BTreeMap<String, Val>, k: &str, v: Val) {
    r.insert(k.to_string(), v);
}

/// `0x1234ABCD(305441741)` → (`0x1234ABCD`, `305441741`).
fn spi_parts(v: Option<&str>) -> (String, String) {
    let v = v.unwrap_or("");
    match v.split_once('(') {
        Some((h, d)) => (h.to_string(), d.trim_end_matches(')').to_string()),
        None => (v.to_string(), String::new()),
    }
}

fn is_addr(v: &str) -> bool {
    v.parse::<std::net::Ipv4Addr>().is_ok()
}

/// ASA `names` aliases: ntc files an alias under `<field>_name`.
fn addr_or_name(r: &mut BTreeMap<String, Val>, field: &str, v: Option<&str>) {
    let v = v.unwrap_or("");
    if v.is_empty() || is_addr(v) {
        put(r, field, Val::S(v.to_string()));
        put(r, &format!("{field}_name"), Val::S(String::new()));
    } else {
        put(r, field, Val::S(String::new()));
        put(r, &format!("{field}_name"), Val::S(v.to_string()));
    }
}

// ---------------------------------------------------------------------------
// IOS `show crypto ipsec sa detail`: one ntc record per SA.

fn ios_ipsec_records(out: &ShowOutput) -> Vec<BTreeMap<String, Val>> {
    let mut recs = Vec::new();
    for b in &out.ipsec {
        let sas: Vec<(&str, &str, &Sa)> = [
            ("inbound", "esp", &b.inbound.esp),
            ("inbound", "ah", &b.inbound.ah),
            ("inbound", "pcp", &b.inbound.pcp),
            ("outbound", "esp", &b.outbound.esp),
            ("outbound", "ah", &b.outbound.ah),
            ("outbound", "pcp", &b.outbound.pcp),
        ]
        .into_iter()
        .flat_map(|(d, p, v)| v.iter().map(move |sa| (d, p, sa)))
        .collect();
        for (dir, proto, sa) in sas {
            let mut r = BTreeMap::new();
            ios_block_fields(&mut r, b);
            put(&mut r, "sa_orientation", Val::S(dir.into()));
            put(&mut r, "sa_type", Val::S(proto.into()));
            put(&mut r, "sa_spi_hex", Val::S(sa.spi_hex.to_string()));
            put(&mut r, "sa_spi_dec", s(sa.spi_dec.as_deref()));
            put(&mut r, "sa_transform", s(sa.transform.as_deref()));
            put(&mut r, "sa_in_use_settings", s(sa.settings.as_deref()));
            put(&mut r, "sa_conn_id", s(sa.conn_id));
            put(&mut r, "sa_flow_id", s(sa.flow_id.as_deref()));
            put(&mut r, "sa_sibling_flags", s(sa.sibling_flags.as_deref()));
            put(&mut r, "sa_crypto_map", s(sa.crypto_map.as_deref()));
            put(&mut r, "sa_lifetime_kbytes", s(sa.lifetime_kb));
            put(&mut r, "sa_lifetime_sec", s(sa.lifetime_sec));
            put(&mut r, "sa_iv_size", s(sa.iv_size));
            put(
                &mut r,
                "sa_replay_detection_support",
                s(sa.replay_detection.as_deref()),
            );
            put(&mut r, "sa_replay_window_size", s(sa.replay_window));
            put(&mut r, "sa_status", s(sa.status.as_deref()));
            recs.push(r);
        }
    }
    recs
}

fn ios_block_fields(r: &mut BTreeMap<String, Val>, b: &IpsecSaBlock) {
    let c = &b.counters;
    put(r, "interface", s(b.interface.as_deref()));
    put(r, "crypto_map_tag", s(b.crypto_map.as_deref()));
    put(r, "local_addr", s(b.local_addr.as_deref()));
    put(r, "protected_vrf", s(b.protected_vrf.as_deref()));
    for (pre, id) in [
        ("local_ident", &b.local_ident),
        ("remote_ident", &b.remote_ident),
    ] {
        put(r, &format!("{pre}_addr"), s(id.as_ref().map(|i| &i.addr)));
        put(r, &format!("{pre}_mask"), s(id.as_ref().map(|i| &i.mask)));
        put(r, &format!("{pre}_prot"), s(id.as_ref().map(|i| &i.prot)));
        put(r, &format!("{pre}_port"), s(id.as_ref().map(|i| &i.port)));
    }
    put(r, "current_peer", s(b.current_peer.as_deref()));
    put(r, "port", s(b.peer_port));
    put(r, "action", s(b.action.as_deref()));
    put(r, "flags", s(b.flags.as_deref()));
    for (k, v) in [
        ("pkts_encaps", c.encaps),
        ("pkts_encrypt", c.encrypt),
        ("pkts_digest", c.digest),
        ("pkts_decaps", c.decaps),
        ("pkts_decrypt", c.decrypt),
        ("pkts_verify", c.verify),
        ("pkts_compressed", c.compressed),
        ("pkts_decompressed", c.decompressed),
        ("pkts_not_compressed", c.not_compressed),
        ("pkts_compress_failed", c.compress_failed),
        ("pkts_not_decompressed", c.not_decompressed),
        ("pkts_decompress_failed", c.decompress_failed),
        ("pkts_no_sa", c.no_sa_send),
        ("pkts_invalid_sa", c.invalid_sa_recv),
        ("pkts_encaps_failed", c.encaps_failed_send),
        ("pkts_decaps_failed", c.decaps_failed_recv),
        ("pkts_invalid_prot", c.invalid_prot_recv),
        ("pkts_verify_failed", c.verify_failed),
        ("pkts_invalid_identity", c.invalid_identity_recv),
        ("pkts_invalid_len", c.invalid_len_recv),
        ("pkts_replay_rollover_send", c.replay_rollover_send),
        ("pkts_replay_rollover_recv", c.replay_rollover_recv),
        ("pkts_replay_failed", c.replay_failed_recv),
        ("pkts_tagged", c.tagged_send),
        ("pkts_untagged", c.untagged_recv),
        ("pkts_not_tagged", c.not_tagged_send),
        ("pkts_not_untagged", c.not_untagged_recv),
        ("pkts_internal_err_send", c.internal_err_send),
        ("pkts_internal_err_recv", c.internal_err_recv),
    ] {
        put(r, k, s(v));
    }
    put(r, "local_crypto_endpt", s(b.local_endpoint.as_deref()));
    put(r, "remote_crypto_endpt", s(b.remote_endpoint.as_deref()));
    put(r, "plaintext_mtu", s(b.plaintext_mtu));
    put(r, "path_mtu", s(b.path_mtu));
    put(r, "ip_mtu", s(b.ip_mtu));
    put(r, "ip_mtu_idb", s(b.ip_mtu_idb.as_deref()));
    let (h, d) = spi_parts(b.current_outbound_spi.as_deref());
    put(r, "current_outbound_spi_hex", Val::S(h));
    put(r, "current_outbound_spi_dec", Val::S(d));
    put(r, "pfs", s(b.pfs.as_deref()));
    put(r, "dh_group", s(b.dh_group.as_deref()));
}

#[test]
fn ios_show_crypto_ipsec_sa_detail_every_sa() {
    for name in ["", "_2", "_3"] {
        let dir = data("cisco_ios/show_crypto_ipsec_sa_detail");
        let raw = dir.join(format!("cisco_ios_show_crypto_ipsec_sa_detail{name}.raw"));
        let yml = dir.join(format!("cisco_ios_show_crypto_ipsec_sa_detail{name}.yml"));
        let out = parse_file(&raw);
        assert_eq!(out.skipped, 0, "{name}: nothing skipped");
        assert_same(
            &raw.display().to_string(),
            &read_yaml(&yml),
            &ios_ipsec_records(&out),
        );
    }
}

// ---------------------------------------------------------------------------
// ASA `show crypto ipsec sa`: ntc keeps one record per block with only the
// first inbound and outbound SA; we check those and that every SA is kept.

fn asa_sa_fields(r: &mut BTreeMap<String, Val>, pre: &str, sa: Option<&Sa>) {
    let t = sa.and_then(|x| x.transform.as_deref()).unwrap_or("");
    let mut tw = t.split_whitespace();
    put(
        r,
        &format!("{pre}_spi_hex"),
        s(sa.map(|x| x.spi_hex.clone())),
    );
    put(
        r,
        &format!("{pre}_spi_integer"),
        s(sa.and_then(|x| x.spi_dec.clone())),
    );
    put(r, &format!("{pre}_encryption"), s(tw.next()));
    put(r, &format!("{pre}_authentication"), s(tw.next()));
    put(
        r,
        &format!("{pre}_settings_in_use"),
        s(sa.and_then(|x| x.settings.clone())),
    );
    put(r, &format!("{pre}_slot"), s(sa.and_then(|x| x.slot)));
    put(
        r,
        &format!("{pre}_connection_id"),
        s(sa.and_then(|x| x.conn_id)),
    );
    put(
        r,
        &format!("{pre}_crypto_map"),
        s(sa.and_then(|x| x.crypto_map.clone())),
    );
    put(
        r,
        &format!("{pre}_remaining_lifetime"),
        s(sa.and_then(|x| x.lifetime_sec)),
    );
    put(
        r,
        &format!("{pre}_remaining_lifetime_kilobytes"),
        s(sa.and_then(|x| x.lifetime_kb)),
    );
    put(
        r,
        &format!("{pre}_iv_size"),
        s(sa.and_then(|x| x.iv_size).map(|v| format!("{v} bytes"))),
    );
    put(
        r,
        &format!("{pre}_replay_detection"),
        s(sa.and_then(|x| x.replay_detection.clone())),
    );
}

fn asa_ipsec_records(out: &ShowOutput) -> Vec<BTreeMap<String, Val>> {
    out.ipsec
        .iter()
        .map(|b| {
            let c = &b.counters;
            let mut r = BTreeMap::new();
            put(&mut r, "interface", s(b.interface.as_deref()));
            put(&mut r, "crypto_map_tag", s(b.crypto_map.as_deref()));
            put(&mut r, "sequence_number", s(b.seq));
            addr_or_name(&mut r, "local_address", b.local_addr.as_deref());
            for (pre, id) in [
                ("local_identity", &b.local_ident),
                ("remote_identity", &b.remote_ident),
            ] {
                put(
                    &mut r,
                    &format!("{pre}_addr"),
                    s(id.as_ref().map(|i| &i.addr)),
                );
                put(
                    &mut r,
                    &format!("{pre}_mask"),
                    s(id.as_ref().map(|i| &i.mask)),
                );
                put(
                    &mut r,
                    &format!("{pre}_protocol"),
                    s(id.as_ref().map(|i| &i.prot)),
                );
                put(
                    &mut r,
                    &format!("{pre}_port"),
                    s(id.as_ref().map(|i| &i.port)),
                );
            }
            addr_or_name(&mut r, "current_peer", b.current_peer.as_deref());
            addr_or_name(&mut r, "dynamic_peer", b.dynamic_peer.as_deref());
            for (k, v) in [
                ("packets_encapsulated", c.encaps),
                ("packets_encrypted", c.encrypt),
                ("packets_digested", c.digest),
                ("packets_decapsulated", c.decaps),
                ("packets_decrypted", c.decrypt),
                ("packets_verified", c.verify),
                ("packets_compressed", c.compressed),
                ("packets_decompressed", c.decompressed),
                ("packets_not_compressed", c.not_compressed),
                ("packets_compress_failed", c.compress_failed),
                ("packets_decompress_failed", c.decompress_failed),
                ("pre_fragment_success", c.pre_frag_successes),
                ("pre_fragment_failures", c.pre_frag_failures),
                ("fragments_created", c.fragments_created),
                ("pmtus_sent", c.pmtus_sent),
                ("pmtus_received", c.pmtus_rcvd),
                (
                    "decap_frags_needing_reassembly",
                    c.decap_frags_needing_reassembly,
                ),
                ("send_errors", c.send_errors),
                ("receive_errors", c.recv_errors),
            ] {
                put(&mut r, k, s(v));
            }
            addr_or_name(&mut r, "local_crypto_endpoint", b.local_endpoint.as_deref());
            addr_or_name(
                &mut r,
                "remote_crypto_endpoint",
                b.remote_endpoint.as_deref(),
            );
            put(&mut r, "path_mtu", s(b.path_mtu));
            put(&mut r, "ipsec_overhead", s(b.ipsec_overhead));
            put(&mut r, "media_mtu", s(b.media_mtu));
            put(
                &mut r,
                "current_inbound_spi",
                s(b.current_inbound_spi.as_deref()),
            );
            put(
                &mut r,
                "current_outbound_spi",
                s(b.current_outbound_spi.as_deref()),
            );
            asa_sa_fields(&mut r, "inbound", b.inbound.esp.first());
            asa_sa_fields(&mut r, "outbound", b.outbound.esp.first());
            r
        })
        .collect()
}

#[test]
fn asa_show_crypto_ipsec_sa() {
    let dir = data("cisco_asa/show_crypto_ipsec_sa");
    let raw = dir.join("cisco_asa_show_crypto_ipsec_sa.raw");
    let out = parse_file(&raw);
    assert_eq!(out.skipped, 0);
    let want = read_yaml(&dir.join("cisco_asa_show_crypto_ipsec_sa.yml"));
    assert_same("asa ipsec", &want, &asa_ipsec_records(&out));
    // What ntc drops: NAT-T ports, the ACL line, TFC/ICMP counters, the
    // overhead in parentheses, DF policy, SA state and anti-replay bitmaps.
    let colo = &out.ipsec[1];
    assert_eq!(colo.local_endpoint_port, Some(4500));
    assert_eq!(colo.remote_endpoint_port, Some(4500));
    assert_eq!(
        colo.access_list.as_deref(),
        Some("access-list 2 extended permit ip 172.16.122.32 255.255.255.240 host 172.30.1.153")
    );
    assert_eq!(colo.counters.tfc_rcvd, Some(0));
    assert_eq!(colo.counters.invalid_icmp_errors_rcvd, Some(0));
    assert_eq!(colo.ipsec_overhead_inner, Some(52));
    assert_eq!(colo.df_policy.as_deref(), Some("copy-df"));
    assert_eq!(colo.icmp_error_validation.as_deref(), Some("disabled"));
    assert_eq!(colo.inbound.esp[0].state.as_deref(), Some("active"));
    assert_eq!(
        colo.inbound.esp[0].anti_replay_bitmap.as_deref(),
        Some("0xFFFFFFFF 0xFFFFFFFF")
    );
    assert_eq!(colo.inbound.esp[0].spi, Some(0x32F7_52FF));
}

// ---------------------------------------------------------------------------
// ASA `show crypto ikev1 sa detail`.

#[test]
fn asa_show_crypto_ikev1_sa_detail() {
    let dir = data("cisco_asa/show_crypto_ikev1_sa_detail");
    let out = parse_file(&dir.join("cisco_asa_show_crypto_ikev1_sa_detail.raw"));
    assert_eq!(out.skipped, 0);
    let got: Vec<_> = out
        .isakmp_sas
        .iter()
        .map(|sa| {
            let mut r = BTreeMap::new();
            put(&mut r, "sequence", s(sa.index));
            put(&mut r, "peer", s(sa.peer.as_deref()));
            put(&mut r, "type", s(sa.sa_type.as_deref()));
            put(&mut r, "dir", s(sa.role.as_deref()));
            put(&mut r, "rekey", s(sa.rekey.as_deref()));
            put(&mut r, "state", s(sa.state.as_deref()));
            put(&mut r, "encryption", s(sa.encryption.as_deref()));
            put(&mut r, "hash", s(sa.hash.as_deref()));
            put(&mut r, "authentication", s(sa.auth.as_deref()));
            put(&mut r, "lifetime", s(sa.lifetime.as_deref()));
            r
        })
        .collect();
    assert_same(
        "ikev1 sa detail",
        &read_yaml(&dir.join("cisco_asa_show_crypto_ikev1_sa_detail.yml")),
        &got,
    );
}

// ---------------------------------------------------------------------------
// IOS `show crypto session detail`: one ntc record per session (first IKE
// SA, first flow); we also keep every IKE SA and the flow counters.

fn session_records(out: &ShowOutput) -> Vec<BTreeMap<String, Val>> {
    out.sessions
        .iter()
        .map(|x| {
            let mut r = BTreeMap::new();
            let ike = x.ike_sas.first();
            let flow = x.flows.first();
            put(&mut r, "interface", s(x.interface.as_deref()));
            put(&mut r, "profile", s(x.profile.as_deref()));
            put(&mut r, "uptime", s(x.uptime.as_deref()));
            put(&mut r, "session_status", s(x.status.as_deref()));
            put(&mut r, "peer", s(x.peer.as_deref()));
            put(&mut r, "port", s(x.peer_port));
            put(&mut r, "fvrf", s(x.fvrf.as_deref()));
            put(&mut r, "ivrf", s(x.ivrf.as_deref()));
            put(&mut r, "phase1_id", s(x.phase1_id.as_deref()));
            put(&mut r, "description", s(x.description.as_deref()));
            put(&mut r, "session_id", s(ike.and_then(|i| i.session_id)));
            put(&mut r, "local_ip", s(ike.and_then(|i| i.local.clone())));
            put(&mut r, "local_port", s(ike.and_then(|i| i.local_port)));
            put(&mut r, "remote_ip", s(ike.and_then(|i| i.remote.clone())));
            put(&mut r, "remote_port", s(ike.and_then(|i| i.remote_port)));
            put(
                &mut r,
                "ikev1_status",
                s(ike.and_then(|i| i.status.clone())),
            );
            put(
                &mut r,
                "capabilities",
                s(ike.and_then(|i| i.capabilities.clone())),
            );
            put(&mut r, "conn_id", s(ike.and_then(|i| i.conn_id)));
            put(&mut r, "lifetime", s(ike.and_then(|i| i.lifetime.clone())));
            put(&mut r, "permit", s(flow.and_then(|f| f.protocol.clone())));
            put(&mut r, "src_host", s(flow.and_then(|f| f.src.clone())));
            put(&mut r, "src_mask", s(flow.and_then(|f| f.src_mask.clone())));
            put(&mut r, "dst_host", s(flow.and_then(|f| f.dst.clone())));
            put(&mut r, "dst_mask", s(flow.and_then(|f| f.dst_mask.clone())));
            put(&mut r, "active_sa", s(flow.and_then(|f| f.active_sas)));
            put(&mut r, "origin", s(flow.and_then(|f| f.origin.clone())));
            r
        })
        .collect()
}

#[test]
fn ios_show_crypto_session_detail() {
    let dir = data("cisco_ios/show_crypto_session_detail");
    for name in [
        "cisco_ios_show_crypto_session_detail",
        "cisco_ios_show_crypto_session_detail_ikev2",
    ] {
        let out = parse_file(&dir.join(format!("{name}.raw")));
        assert_eq!(out.skipped, 0, "{name}");
        assert_same(
            name,
            &read_yaml(&dir.join(format!("{name}.yml"))),
            &session_records(&out),
        );
    }
    let out = parse_file(&dir.join("cisco_ios_show_crypto_session_detail.raw"));
    // ntc keeps one IKE SA per session; the first session has two.
    assert_eq!(out.sessions[0].ike_sas.len(), 2);
    let up = &out.sessions[1].flows[0];
    assert_eq!(up.inbound.as_ref().and_then(|c| c.pkts), Some(15_344_097));
    assert_eq!(up.outbound.as_ref().and_then(|c| c.pkts), Some(18_074_395));
    assert_eq!(up.inbound.as_ref().and_then(|c| c.life_kb), Some(4_236_992));
    let out = parse_file(&dir.join("cisco_ios_show_crypto_session_detail_ikev2.raw"));
    assert_eq!(out.sessions[0].ike_sas[0].version, Some(2));
    assert_eq!(
        out.sessions[0].flows[0]
            .inbound
            .as_ref()
            .and_then(|c| c.drop),
        Some(33_920)
    );
}

// ---------------------------------------------------------------------------
// ASA `show vpn-sessiondb detail l2l`: one ntc record per sub-session.

fn quantity(
    r: &mut BTreeMap<String, Val>,
    k: &str,
    unit_key: &str,
    q: Option<&ipsec_doctor_show::Quantity>,
) {
    put(r, k, s(q.map(|q| q.value)));
    put(r, unit_key, s(q.map(|q| q.unit.clone())));
}

fn other<'a>(sub: &'a ipsec_doctor_show::VpnSubSession, key: &str) -> Option<&'a str> {
    sub.other
        .iter()
        .find(|kv| kv.key == key)
        .map(|kv| kv.value.as_str())
}

fn sessiondb_records(out: &ShowOutput) -> Vec<BTreeMap<String, Val>> {
    let mut recs = Vec::new();
    for x in &out.vpn_sessions {
        let mut base = BTreeMap::new();
        put(&mut base, "session_type", s(x.session_type.as_deref()));
        put(&mut base, "connection", s(x.connection.as_deref()));
        put(&mut base, "index", s(x.index));
        put(&mut base, "ip_address", s(x.ip_addr.as_deref()));
        put(&mut base, "protocol", s(x.protocol.as_deref()));
        put(&mut base, "encryption", s(x.encryption.as_deref()));
        put(&mut base, "hashing", s(x.hashing.as_deref()));
        put(&mut base, "total_bytes_transmitted", s(x.bytes_tx));
        put(&mut base, "total_bytes_received", s(x.bytes_rx));
        let lt: Vec<&str> = x
            .login_time
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        for (i, k) in [
            "login_time",
            "login_time_zone",
            "login_weekday",
            "login_month",
            "login_day",
            "login_year",
        ]
        .iter()
        .enumerate()
        {
            put(&mut base, k, s(lt.get(i)));
        }
        put(&mut base, "duration", s(x.duration.as_deref()));
        put(&mut base, "total_ike_sessions", s(x.ike_count));
        put(&mut base, "total_ipsec_sessions", s(x.ipsec_count));
        put(&mut base, "filter_name", s(x.filter_name.as_deref()));
        if x.subs.is_empty() {
            recs.push(base.clone());
        }
        for sub in &x.subs {
            let mut r = base.clone();
            put(&mut r, "connection_type", Val::S(sub.kind.to_string()));
            let id = sub.id.as_deref().unwrap_or("");
            put(
                &mut r,
                "session_id",
                Val::S(id.rsplit('.').next().unwrap_or(id).to_string()),
            );
            put(&mut r, "udp_src_port", s(sub.udp_src_port));
            put(&mut r, "udp_dst_port", s(sub.udp_dst_port));
            put(&mut r, "negotiaion_mode", s(sub.neg_mode.as_deref()));
            put(&mut r, "authentication_mode", s(sub.auth_mode.as_deref()));
            put(
                &mut r,
                "remote_authentication_mode",
                s(sub.rem_auth_mode.as_deref()),
            );
            put(
                &mut r,
                "local_authentication_mode",
                s(sub.loc_auth_mode.as_deref()),
            );
            put(&mut r, "encryption_method", s(sub.encryption.as_deref()));
            put(&mut r, "hash_method", s(sub.hashing.as_deref()));
            quantity(
                &mut r,
                "rekey_interval",
                "rekey_interval_unit",
                sub.rekey_int_time.as_ref(),
            );
            quantity(
                &mut r,
                "rekey_time_left",
                "rekey_time_left_unit",
                sub.rekey_left_time.as_ref(),
            );
            quantity(
                &mut r,
                "rekey_data_interval",
                "rekey_data_interval_unit",
                sub.rekey_int_data.as_ref(),
            );
            quantity(
                &mut r,
                "rekey_data_remaining",
                "rekey_data_remaining_unit",
                sub.rekey_left_data.as_ref(),
            );
            quantity(
                &mut r,
                "idle_timeout_interval",
                "idle_timeout_interval_unit",
                sub.idle_timeout.as_ref(),
            );
            quantity(
                &mut r,
                "idle_timeout_remaining",
                "idle_timeout_remaining_unit",
                sub.idle_left.as_ref(),
            );
            put(&mut r, "dh_group", s(sub.dh_group.as_deref()));
            put(&mut r, "prf", s(sub.prf.as_deref()));
            put(&mut r, "pfs_group", s(sub.pfs_group.as_deref()));
            put(&mut r, "encapsulation", s(sub.encapsulation.as_deref()));
            for (k, v) in [
                ("local_address", &sub.local_addr),
                ("remote_address", &sub.remote_addr),
            ] {
                let (a, m) = v
                    .as_deref()
                    .map(ipsec_doctor_show::VpnSubSession::split_addr)
                    .unwrap_or_default();
                put(&mut r, &format!("{k}_network"), Val::S(a));
                put(&mut r, &format!("{k}_mask"), s(m));
            }
            put(&mut r, "bytes_transmitted", s(sub.bytes_tx));
            put(&mut r, "bytes_received", s(sub.bytes_rx));
            put(&mut r, "packets_transmitted", s(sub.pkts_tx));
            put(&mut r, "packets_received", s(sub.pkts_rx));
            put(&mut r, "ipv6_filter_name", s(sub.ipv6_filter.as_deref()));
            // ntc fills the filter name down from the IKE sub-session.
            if let Some(f) = &sub.filter_name {
                put(&mut base, "filter_name", Val::S(f.to_string()));
                put(&mut r, "filter_name", Val::S(f.to_string()));
            }
            let q = |k: &str| {
                other(sub, k).map(|v| {
                    let mut w = v.split_whitespace();
                    (
                        w.next().unwrap_or("").to_string(),
                        w.next().unwrap_or("").to_string(),
                    )
                })
            };
            for (key, val_k, unit_k) in [
                ("Reval Int (T)", "reval_timeout", "reval_timout_unit"),
                (
                    "Reval Left(T)",
                    "reval_timeout_remaining",
                    "reval_timeout_remaining_unit",
                ),
                (
                    "SQ Int (T)",
                    "status_query_interval",
                    "status_query_interval_unit",
                ),
                (
                    "EoU Age(T)",
                    "eap_over_udp_timer",
                    "eap_over_udp_timer_unit",
                ),
                (
                    "Hold Left (T)",
                    "posture_holdtime_remaining",
                    "posture_holdtime_remaining_unit",
                ),
            ] {
                let (v, u) = q(key).unwrap_or_default();
                put(&mut r, val_k, Val::S(v));
                put(&mut r, unit_k, Val::S(u));
            }
            put(&mut r, "posture_token", s(other(sub, "Posture Token")));
            put(&mut r, "redirect_url", s(other(sub, "Redirect URL")));
            recs.push(r);
        }
    }
    recs
}

#[test]
fn asa_show_vpn_sessiondb_detail_l2l() {
    let dir = data("cisco_asa/show_vpn-sessiondb_detail_l2l");
    for name in [
        "cisco_asa_show_vpn-sessiondb_detail_l2l",
        "cisco_asa_show_vpn-sessiondb_detail_l2l2",
        "cisco_asa_show_vpn-sessiondb_detail_l2l4",
        "cisco_asa_show_vpn-sessiondb_detail_l2l_obj",
    ] {
        let out = parse_file(&dir.join(format!("{name}.raw")));
        assert_eq!(out.skipped, 0, "{name}");
        assert_same(
            name,
            &read_yaml(&dir.join(format!("{name}.yml"))),
            &sessiondb_records(&out),
        );
    }
}

// ---------------------------------------------------------------------------
// ASA `show vpn-sessiondb` summary.

#[test]
fn asa_show_vpn_sessiondb_summary() {
    let dir = data("cisco_asa/show_vpn-sessiondb");
    for name in [
        "cisco_asa_show_vpn-sessiondb",
        "cisco_asa_show_vpn-sessiondb2",
    ] {
        let out = parse_file(&dir.join(format!("{name}.raw")));
        assert_eq!(out.skipped, 0, "{name}");
        let got: Vec<_> = out
            .vpn_summaries
            .iter()
            .map(|sm| {
                let mut r = BTreeMap::new();
                let col =
                    |v: &[ipsec_doctor_show::SummaryRow],
                     f: &dyn Fn(&ipsec_doctor_show::SummaryRow) -> String| {
                        Val::L(v.iter().map(f).collect())
                    };
                let n = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_else(|| "None".into());
                put(
                    &mut r,
                    "vpn_session_name",
                    col(&sm.sessions, &|x| x.name.to_string()),
                );
                put(
                    &mut r,
                    "vpn_session_active",
                    col(&sm.sessions, &|x| n(x.active)),
                );
                put(
                    &mut r,
                    "vpn_session_cumulative",
                    col(&sm.sessions, &|x| n(x.cumulative)),
                );
                put(
                    &mut r,
                    "vpn_session_peak_concurrent",
                    col(&sm.sessions, &|x| n(x.peak)),
                );
                put(
                    &mut r,
                    "vpn_session_inactive",
                    col(&sm.sessions, &|x| n(x.inactive)),
                );
                put(
                    &mut r,
                    "total_active_and_inactive",
                    s(sm.total_active_and_inactive),
                );
                put(&mut r, "total_cumulative", s(sm.total_cumulative));
                put(&mut r, "device_total_vpn_capacity", s(sm.capacity));
                put(&mut r, "device_load_percent", s(sm.load_percent));
                put(
                    &mut r,
                    "tunnels_summary_name",
                    col(&sm.tunnels, &|x| x.name.to_string()),
                );
                put(
                    &mut r,
                    "tunnels_summary_active",
                    col(&sm.tunnels, &|x| n(x.active)),
                );
                put(
                    &mut r,
                    "tunnels_summary_cumulative",
                    col(&sm.tunnels, &|x| n(x.cumulative)),
                );
                put(
                    &mut r,
                    "tunnels_summary_peak_concurrent",
                    col(&sm.tunnels, &|x| n(x.peak)),
                );
                put(&mut r, "totals_active", s(sm.totals_active));
                put(&mut r, "totals_cumulative", s(sm.totals_cumulative));
                r
            })
            .collect();
        assert_same(name, &read_yaml(&dir.join(format!("{name}.yml"))), &got);
    }
    let out = parse_file(&dir.join("cisco_asa_show_vpn-sessiondb2.raw"));
    assert_eq!(out.device.as_deref(), Some("hostname1"));
}

/// Every raw `show crypto` / `show vpn-sessiondb` file copied here is
/// covered by one of the tests above.
#[test]
fn every_copied_raw_file_is_covered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ntc/tests");
    let mut n = 0;
    for platform in std::fs::read_dir(&root).unwrap() {
        for cmd in std::fs::read_dir(platform.unwrap().path()).unwrap() {
            for f in std::fs::read_dir(cmd.unwrap().path()).unwrap() {
                let p = f.unwrap().path();
                if p.extension().is_some_and(|e| e == "raw") {
                    assert!(p.with_extension("yml").exists(), "{}", p.display());
                    let out = parse_file(&p);
                    assert!(!out.is_empty(), "{} parsed to nothing", p.display());
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 13);
}
