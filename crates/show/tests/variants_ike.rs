//! The IKE side in layouts of versions not seen elsewhere in the tests:
//! hand-written outputs in `tests/data/variants/` that follow real layouts
//! found in Cisco documentation, forum posts and public parser test data
//! (addresses and names changed). Every record is checked, not only the
//! first; `skipped` is 0 in each file.

use ipsec_doctor_model::{Finding, Severity};
use ipsec_doctor_show::{
    diagnose, parse, Ikev2Format, Ikev2Sa, IsakmpFormat, IsakmpSa, SectionKind, ShowOutput,
};

fn text(name: &str) -> String {
    let path = format!("{}/tests/data/variants/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    String::from_utf8(bytes).unwrap()
}

fn load(name: &str) -> ShowOutput {
    parse(name, &text(name))
}

fn codes(f: &[Finding]) -> Vec<(&str, Option<&str>)> {
    f.iter()
        .map(|x| (x.code.as_str(), x.peer.as_deref()))
        .collect()
}

fn has(f: &[Finding], code: &str, peer: &str) -> bool {
    f.iter()
        .any(|x| x.code.as_str() == code && x.peer.as_deref() == Some(peer))
}

/// `(dst, src, state, conn-id, slot, status)` of an IOS table row.
fn row(sa: &IsakmpSa) -> (&str, &str, &str, Option<i64>, Option<i64>, Option<&str>) {
    (
        sa.dst.as_deref().unwrap_or(""),
        sa.src.as_deref().unwrap_or(""),
        sa.state.as_deref().unwrap_or(""),
        sa.conn_id,
        sa.slot,
        sa.status.as_deref(),
    )
}

/// `(encryption, hash, auth, dh, lifetime, cap, engine)` of a detail row.
fn algos(sa: &IsakmpSa) -> [Option<&str>; 7] {
    [
        sa.encryption.as_deref(),
        sa.hash.as_deref(),
        sa.auth.as_deref(),
        sa.dh_group.as_deref(),
        sa.lifetime.as_deref(),
        sa.capabilities.as_deref(),
        sa.engine_id.as_deref(),
    ]
}

#[test]
fn ios_15_4_table_with_slot_and_stacked_ipv6_rows() {
    // CRLF line endings, trailing spaces, a `>` prompt.
    let out = load("ios-15.4-isakmp-ipv6.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("branch-rtr"));
    assert_eq!(out.sections[0].kind, SectionKind::Isakmp);
    let rows: Vec<_> = out.isakmp_sas.iter().map(row).collect();
    assert_eq!(
        rows,
        [
            (
                "198.51.100.20",
                "192.0.2.10",
                "QM_IDLE",
                Some(1001),
                Some(0),
                Some("ACTIVE")
            ),
            (
                "198.51.100.21",
                "192.0.2.10",
                "MM_KEY_EXCH",
                Some(1002),
                Some(0),
                Some("ACTIVE")
            ),
            (
                "192.0.2.10",
                "198.51.100.22",
                "AG_INIT_EXCH",
                Some(1003),
                Some(0),
                Some("ACTIVE")
            ),
            (
                "198.51.100.23",
                "192.0.2.10",
                "MM_NO_STATE",
                Some(1004),
                Some(0),
                Some("ACTIVE (deleted)")
            ),
            (
                "198.51.100.24",
                "192.0.2.10",
                "MM_SA_SETUP",
                Some(0),
                Some(0),
                Some("DELETED")
            ),
            // IPv6: `dst:` / `src:` / `state: … conn-id: … slot: … status:`.
            (
                "2001:DB8:0:A::1",
                "2001:DB8:0:B::2",
                "QM_IDLE",
                Some(1005),
                Some(0),
                Some("ACTIVE")
            ),
            (
                "2001:DB8:0:C:1234:5678:9ABC:DEF0",
                "2001:DB8:0:B::2",
                "MM_WAIT_MSG2",
                Some(1006),
                Some(0),
                Some("ACTIVE")
            ),
        ]
    );
    assert!(out
        .isakmp_sas
        .iter()
        .all(|s| s.format == IsakmpFormat::IosTable));
    // The stacked SA starts on its `dst:` line.
    assert_eq!(
        out.isakmp_sas[5..]
            .iter()
            .map(|s| s.line)
            .collect::<Vec<_>>(),
        [12, 16]
    );
    let f = diagnose(&[out]);
    assert!(has(&f, "psk-mismatch", "198.51.100.21"), "{:?}", codes(&f));
    assert!(has(&f, "peer-unreachable", "198.51.100.24"));
    // The stuck IPv6 SA is diagnosed like an IPv4 one, with its state line.
    let p = f
        .iter()
        .find(|x| {
            x.code.as_str() == "peer-unreachable"
                && x.peer.as_deref() == Some("2001:DB8:0:C:1234:5678:9ABC:DEF0")
        })
        .unwrap_or_else(|| panic!("{:?}", codes(&f)));
    assert_eq!(p.severity, Severity::Error);
    assert!(p
        .evidence
        .iter()
        .any(|e| e.line == 18 && e.text.contains("MM_WAIT_MSG2")));
    // The deleted MM_NO_STATE is a leftover: a warning only.
    let n = f
        .iter()
        .find(|x| {
            x.code.as_str() == "phase1-policy-mismatch"
                && x.peer.as_deref() == Some("198.51.100.23")
        })
        .unwrap();
    assert_eq!(n.severity, Severity::Warning);
}

#[test]
fn ios_15_detail_tables_and_stacked_ipv6_detail() {
    let out = load("ios-15.x-isakmp-detail.txt");
    // The legend, blank I-VRF, `--More--`, `????` engine id all understood.
    assert_eq!(out.skipped, 0);
    let sas = &out.isakmp_sas;
    assert_eq!(sas.len(), 5);
    assert!(sas.iter().all(|s| s.format == IsakmpFormat::IosDetail));
    let ids: Vec<_> = sas.iter().map(|s| (s.conn_id, s.line)).collect();
    assert_eq!(
        ids,
        [
            (Some(1074), 11),
            (Some(1091), 14),
            (Some(1092), 17),
            (Some(1005), 22),
            (Some(1001), 30)
        ]
    );
    let ends: Vec<_> = sas
        .iter()
        .map(|s| {
            (
                s.local.as_deref(),
                s.peer.as_deref(),
                s.ivrf.as_deref(),
                s.status.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        ends,
        [
            (Some("20.10.20.2"), Some("20.30.10.2"), None, Some("ACTIVE")),
            (
                Some("20.10.20.2"),
                Some("20.30.30.2"),
                Some("CUST-A"),
                Some("ACTIVE")
            ),
            (Some("20.10.20.2"), Some("20.30.40.2"), None, Some("ACTIVE")),
            (None, None, None, Some("ACTIVE")),
            (Some("15.1.1.1"), Some("25.2.2.2"), None, Some("ACTIVE")),
        ]
    );
    assert_eq!(
        algos(&sas[0]),
        [
            Some("aes"),
            Some("sha"),
            Some("rsig"),
            Some("2"),
            Some("23:47:17"),
            None,
            Some("SW:74")
        ]
    );
    assert_eq!(
        algos(&sas[1]),
        [
            Some("aes"),
            Some("sha256"),
            Some("psk"),
            Some("14"),
            Some("23:55:18"),
            Some("DN"),
            Some("SW:91")
        ]
    );
    assert_eq!(
        algos(&sas[2]),
        [
            Some("3des"),
            Some("md5"),
            Some("psk"),
            Some("2"),
            Some("00:00:00"),
            None,
            Some("????")
        ]
    );
    // IPv6 `detail`: `dst:` / `src:` / `conn-id: … I-VRF: (blank) Status: …
    // Encr: … Hash: … Auth: …` / `DH: … Lifetime: … Cap: … Engine-id…`.
    let v6 = &sas[3];
    assert_eq!(
        (v6.dst.as_deref(), v6.src.as_deref(), v6.state.as_deref()),
        (Some("2001:DB8:0:A::1"), Some("2001:DB8:0:B::2"), None)
    );
    assert_eq!(
        algos(v6),
        [
            Some("aes"),
            Some("sha"),
            Some("psk"),
            Some("14"),
            Some("23:45:00"),
            Some("D"),
            Some("SW:5")
        ]
    );
    // A header without `Cap.` (some 15.x trains).
    assert_eq!(
        algos(&sas[4]),
        [
            Some("aes"),
            Some("sha256"),
            Some("psk"),
            Some("5"),
            Some("01:22:30"),
            None,
            Some("SW:1")
        ]
    );
    assert_eq!(out.sections.len(), 3);
    // Only the audit has something to say: 3DES/MD5 and DH 2/5.
    let f = diagnose(&[out]);
    assert_eq!(codes(&f), [("weak-crypto", None)]);
}

#[test]
fn ios_12_2_and_xe_fvrf_detail_pasted_without_prompt() {
    let out = load("ios-12.2-xe-16-isakmp-paste.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device, None);
    let sas = &out.isakmp_sas;
    assert_eq!(sas.len(), 5);
    // 12.2: `dst src state conn-id slot`, no status column.
    let rows: Vec<_> = sas[..3].iter().map(row).collect();
    assert_eq!(
        rows,
        [
            ("10.1.1.2", "10.1.1.1", "QM_IDLE", Some(1), Some(0), None),
            (
                "10.1.1.3",
                "10.1.1.1",
                "MM_KEY_AUTH",
                Some(2),
                Some(0),
                None
            ),
            ("10.1.1.4", "10.1.1.1", "AG_AUTH", Some(3), Some(0), None),
        ]
    );
    // `Conn id … fvrf/ivrf …`: the VRF column is split in its halves.
    let vrfs: Vec<_> = sas[3..]
        .iter()
        .map(|s| {
            (
                s.conn_id,
                s.fvrf.as_deref(),
                s.ivrf.as_deref(),
                s.peer.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        vrfs,
        [
            (Some(4021), Some("none"), Some("none"), Some("172.16.9.9")),
            (Some(4022), Some("INET"), Some("CORP"), Some("172.16.9.10")),
        ]
    );
    assert_eq!(
        algos(&sas[3]),
        [
            Some("aes"),
            Some("sha384"),
            Some("psk"),
            Some("19"),
            Some("11:02:44"),
            Some("D"),
            Some("SW:21")
        ]
    );
    assert_eq!(
        algos(&sas[4]),
        [
            Some("aes"),
            Some("sha"),
            Some("rsig"),
            Some("14"),
            Some("00:12:09"),
            None,
            Some("SW:22")
        ]
    );
    // MM_KEY_AUTH is past authentication: only AG_AUTH is stuck.
    let f = diagnose(&[out]);
    assert!(has(&f, "psk-mismatch", "10.1.1.4"), "{:?}", codes(&f));
    assert!(!f.iter().any(|x| x.peer.as_deref() == Some("10.1.1.3")));
}

#[test]
fn asa_9_12_isakmp_with_ikev2_part_and_ikev2_detail() {
    let out = load("asa-9.12-isakmp-ikev2.txt");
    assert_eq!(out.skipped, 0);
    // The failover suffixes are not part of the name.
    assert_eq!(out.device.as_deref(), Some("HQ-ASA"));
    let kinds: Vec<_> = out.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Isakmp,
            SectionKind::Ikev2,
            SectionKind::Ikev2,
            SectionKind::Isakmp,
            // `There are no IKEv2 SAs` under `show crypto ikev2 sa` stays there.
            SectionKind::Ikev2,
            SectionKind::Isakmp,
            SectionKind::Other,
        ]
    );
    let v1: Vec<_> = out
        .isakmp_sas
        .iter()
        .map(|s| {
            (
                s.index,
                s.peer.as_deref(),
                s.sa_type.as_deref(),
                s.role.as_deref(),
                s.rekey.as_deref(),
                s.state.as_deref(),
                s.ike_version,
            )
        })
        .collect();
    assert_eq!(
        v1,
        [
            (
                Some(1),
                Some("203.0.113.50"),
                Some("L2L"),
                Some("initiator"),
                Some("no"),
                Some("MM_WAIT_MSG2"),
                Some(1)
            ),
            (
                Some(2),
                Some("203.0.113.51"),
                Some("L2L"),
                Some("responder"),
                Some("yes"),
                Some("MM_ACTIVE"),
                Some(1)
            ),
        ]
    );
    let sum = &out.isakmp_summaries;
    assert_eq!(sum.len(), 1);
    assert_eq!(
        (sum[0].active, sum[0].rekey, sum[0].total),
        (Some(2), Some(0), Some(2))
    );

    let v2 = &out.ikev2_sas;
    assert_eq!(v2.len(), 3);
    assert!(v2.iter().all(|s| s.format == Ikev2Format::Asa));
    #[allow(clippy::type_complexity)]
    fn head(
        s: &Ikev2Sa,
    ) -> (
        Option<u64>,
        Option<&str>,
        Option<u64>,
        Option<u64>,
        Option<&str>,
        Option<&str>,
        Option<&str>,
        Option<&str>,
    ) {
        (
            s.session_id,
            s.session_status.as_deref(),
            s.child_count,
            s.tunnel_id,
            s.local.as_deref(),
            s.remote.as_deref(),
            s.status.as_deref(),
            s.role.as_deref(),
        )
    }
    assert_eq!(
        v2.iter().map(head).collect::<Vec<_>>(),
        [
            (
                Some(4711),
                Some("UP-ACTIVE"),
                Some(1),
                Some(1391846781),
                Some("198.51.100.1"),
                Some("203.0.113.60"),
                Some("READY"),
                Some("INITIATOR")
            ),
            (
                Some(4712),
                Some("UP-IN-NEG"),
                Some(0),
                Some(1391846790),
                Some("2001:db8:2:1::1"),
                Some("2001:db8:2:1::2"),
                Some("IN-NEG"),
                Some("RESPONDER")
            ),
            (
                Some(4711),
                Some("UP-ACTIVE"),
                Some(2),
                Some(1391846781),
                Some("198.51.100.1"),
                Some("203.0.113.60"),
                Some("READY"),
                Some("INITIATOR")
            ),
        ]
    );
    // The detail's child lines (`Encr: AES-CBC, keysize: 128, esp_hmac:
    // SHA96`) describe the child, not the IKE SA.
    let d = &v2[2];
    assert_eq!(
        (
            d.encryption.as_deref(),
            d.keysize,
            d.hash.as_deref(),
            d.dh_group.as_deref()
        ),
        (Some("AES-GCM"), Some(256), Some("N/A"), Some("20"))
    );
    assert_eq!((d.lifetime, d.active_time), (Some(86400), Some(200)));
    assert_eq!(
        (
            d.local_spi.as_deref(),
            d.remote_spi.as_deref(),
            d.status_description.as_deref()
        ),
        (
            Some("2D1C0B9A88776655"),
            Some("1122334455667788"),
            Some("Negotiation done")
        )
    );
    assert_eq!(
        (d.local_id.as_deref(), d.remote_id.as_deref()),
        (Some("198.51.100.1"), Some("203.0.113.60"))
    );
    // Two children, not four: `AH spi in/out: 0x0/0x0` is the unused
    // protocol of the same child.
    assert_eq!(d.children.len(), 2);
    let kids: Vec<_> = d
        .children
        .iter()
        .map(|c| {
            (
                c.line,
                c.protocol.as_deref(),
                c.spi_in,
                c.spi_out,
                c.encryption.as_deref(),
                c.keysize,
                c.esp_hmac.as_deref(),
                c.mode.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        kids,
        [
            (
                55,
                Some("ESP"),
                Some(0x9c3e_1a77),
                Some(0x0b1d_2f44),
                Some("AES-GCM"),
                Some(256),
                Some("N/A"),
                Some("tunnel")
            ),
            (
                62,
                Some("ESP"),
                Some(0x7f00_aa01),
                Some(0x7f00_bb02),
                Some("AES-CBC"),
                Some(128),
                Some("SHA96"),
                Some("tunnel")
            ),
        ]
    );
    assert_eq!(
        d.children[1].local_selector.as_deref(),
        Some("10.51.0.0/0 - 10.51.0.255/65535")
    );
    assert_eq!(
        d.children[1].remote_selector.as_deref(),
        Some("10.60.1.0/0 - 10.60.1.255/65535")
    );
    let other: Vec<_> = d.children[0]
        .other
        .iter()
        .map(|kv| (kv.key.as_str(), kv.value.as_str()))
        .collect();
    assert_eq!(
        other,
        [
            ("AH spi in/out", "0x0/0x0"),
            ("CPI in/out", "0x0/0x0"),
            ("ah_hmac", "None"),
            ("comp", "IPCOMP_NONE")
        ]
    );
    // IKE SA `other` keeps the SA's own detail, nothing of the children.
    assert!(d
        .other
        .iter()
        .all(|kv| !kv.key.contains("hmac") && kv.key != "CPI in/out"));
    assert!(d
        .other
        .iter()
        .any(|kv| kv.key == "DPD" && kv.value == "configured for 10 seconds, retry 2"));

    let f = diagnose(&[out]);
    assert!(
        has(&f, "peer-unreachable", "203.0.113.50"),
        "{:?}",
        codes(&f)
    );
    assert!(has(&f, "peer-unreachable", "2001:db8:2:1::2"));
    assert!(has(&f, "phase1-policy-mismatch", "2001:db8:2:1::2"));
    assert!(!f.iter().any(|x| x.peer.as_deref() == Some("203.0.113.60")));
}

#[test]
fn asa_8_0_detail_table_with_pager_and_context_prompt() {
    let out = load("asa-8.0-isakmp-detail-table.txt");
    // `<--- More --->` and the line of spaces that erases it.
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device.as_deref(), Some("fw01/admin"));
    let t: Vec<_> = out
        .isakmp_sas
        .iter()
        .map(|s| {
            (
                s.format,
                s.index,
                s.peer.as_deref(),
                s.sa_type.as_deref(),
                s.role.as_deref(),
                s.rekey.as_deref(),
                s.state.as_deref(),
                s.encryption.as_deref(),
                s.hash.as_deref(),
                s.auth.as_deref(),
                s.lifetime.as_deref(),
            )
        })
        .collect();
    use IsakmpFormat::{AsaBlock, AsaTable};
    assert_eq!(
        t,
        [
            (
                AsaTable,
                Some(1),
                Some("198.51.100.71"),
                Some("L2L"),
                Some("Init"),
                Some("No"),
                Some("MM_ACTIVE"),
                Some("aes-256"),
                Some("SHA"),
                Some("preshrd"),
                Some("86400")
            ),
            (
                AsaTable,
                Some(2),
                Some("198.51.100.72"),
                Some("L2L"),
                Some("Init"),
                Some("Yes"),
                Some("MM_ACTIVE"),
                Some("aes-256"),
                Some("SHA"),
                Some("preshrd"),
                Some("86400")
            ),
            (
                AsaTable,
                Some(3),
                Some("198.51.100.73"),
                Some("L2L"),
                Some("Resp"),
                Some("No"),
                Some("MM_WAIT_MSG5"),
                Some("3des"),
                Some("MD5"),
                Some("preshrd"),
                Some("28800")
            ),
            (
                AsaTable,
                Some(4),
                Some("192.0.2.200"),
                Some("User"),
                Some("Resp"),
                Some("No"),
                Some("AM_ACTIVE"),
                Some("aes"),
                Some("SHA"),
                Some("preshrd"),
                Some("86400")
            ),
            (
                AsaBlock,
                Some(1),
                Some("198.51.100.74"),
                Some("L2L"),
                Some("initiator"),
                Some("no"),
                Some("MM_WAIT_MSG4"),
                Some("aes-192"),
                Some("SHA"),
                Some("preshared"),
                Some("28800")
            ),
        ]
    );
    assert_eq!(out.isakmp_sas[3].line, 13);
    assert_eq!(out.isakmp_sas[4].lifetime_remaining, Some(28100));
    let sums: Vec<_> = out
        .isakmp_summaries
        .iter()
        .map(|s| (s.line, s.active, s.rekey, s.total))
        .collect();
    assert_eq!(
        sums,
        [
            (3, Some(3), Some(1), Some(4)),
            (16, Some(1), Some(0), Some(1))
        ]
    );
    let f = diagnose(&[out]);
    assert!(has(&f, "psk-missing", "198.51.100.74"), "{:?}", codes(&f));
    assert!(has(&f, "psk-mismatch", "198.51.100.73"));
    assert!(f.iter().any(|x| x.code.as_str() == "weak-crypto"));
}

#[test]
fn iosxe_17_ikev2_detailed_ipv4_ipv6_and_session_detail() {
    let out = load("iosxe-17.6-ikev2-detailed.txt");
    assert_eq!(out.skipped, 0);
    let v2 = &out.ikev2_sas;
    assert_eq!(v2.len(), 5);
    assert!(v2.iter().all(|s| s.format == Ikev2Format::Ios));
    let head: Vec<_> = v2
        .iter()
        .map(|s| {
            (
                s.line,
                s.tunnel_id,
                s.local.as_deref(),
                s.local_port,
                s.remote.as_deref(),
                s.remote_port,
                s.fvrf.as_deref(),
                s.ivrf.as_deref(),
                s.status.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        head,
        [
            (
                5,
                Some(1),
                Some("10.146.0.154"),
                Some(500),
                Some("198.51.100.85"),
                Some(500),
                Some("INET"),
                Some("CORP"),
                Some("READY")
            ),
            (
                29,
                Some(2),
                Some("10.146.0.154"),
                Some(500),
                Some("198.51.100.86"),
                Some(500),
                Some("none"),
                Some("none"),
                Some("IN-NEG")
            ),
            (
                49,
                Some(3),
                Some("10.146.0.154"),
                Some(4500),
                Some("198.51.100.87"),
                Some(4500),
                Some("none"),
                Some("none"),
                Some("DELETE")
            ),
            // IPv6: `4  none/none  READY`, then `Local  A/500`, `Remote  B/500`.
            (
                59,
                Some(4),
                Some("2001:DB8:1101::131"),
                Some(500),
                Some("2001:DB8:1201::122"),
                Some(500),
                Some("none"),
                Some("none"),
                Some("READY")
            ),
            (
                79,
                Some(1),
                Some("10.146.0.154"),
                Some(500),
                Some("198.51.100.85"),
                Some(500),
                Some("INET"),
                Some("CORP"),
                Some("READY")
            ),
        ]
    );
    let alg: Vec<_> = v2
        .iter()
        .map(|s| {
            (
                s.encryption.as_deref(),
                s.keysize,
                s.prf.as_deref(),
                s.hash.as_deref(),
                s.dh_group.as_deref(),
                s.auth_sign.as_deref(),
                s.lifetime,
                s.active_time,
            )
        })
        .collect();
    assert_eq!(
        alg,
        [
            (
                Some("AES-GCM"),
                Some(256),
                Some("SHA512"),
                Some("None"),
                Some("21"),
                Some("PSK"),
                Some(86400),
                Some(20635)
            ),
            (
                Some("Unknown - 0"),
                None,
                Some("Unknown - 0"),
                Some("None"),
                Some("0"),
                Some("Unknown - 0"),
                Some(86400),
                Some(0)
            ),
            // Not overwritten by the IPv6 SA's lines.
            (
                Some("AES-CBC"),
                Some(128),
                Some("SHA256"),
                Some("SHA256"),
                Some("19"),
                Some("PSK"),
                Some(86400),
                Some(86390)
            ),
            (
                Some("AES-CBC"),
                Some(256),
                Some("SHA512"),
                Some("SHA512"),
                Some("21"),
                Some("PSK"),
                Some(86400),
                Some(219)
            ),
            (
                Some("AES-GCM"),
                Some(256),
                Some("SHA512"),
                Some("None"),
                Some("21"),
                Some("PSK"),
                Some(86400),
                Some(20635)
            ),
        ]
    );
    let ids: Vec<_> = v2
        .iter()
        .map(|s| {
            (
                s.ce_id,
                s.session_id,
                s.local_spi.as_deref(),
                s.remote_spi.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            (
                Some(53247),
                Some(494),
                Some("26E77925771B44B1"),
                Some("4785C18DB784C439")
            ),
            (
                Some(0),
                Some(0),
                Some("9A8B7C6D5E4F3A2B"),
                Some("0000000000000000")
            ),
            (
                Some(0),
                Some(470),
                Some("B3A917AB8A5F68A9"),
                Some("FBAFD8516EA9D5E8")
            ),
            (
                Some(0),
                Some(3),
                Some("4CF87E32B25302C0"),
                Some("96254131FD306002")
            ),
            (
                Some(53247),
                Some(494),
                Some("26E77925771B44B1"),
                Some("4785C18DB784C439")
            ),
        ]
    );
    // An empty `Remote id:` is no identity.
    assert_eq!(
        (v2[1].local_id.as_deref(), v2[1].remote_id.as_deref()),
        (Some("10.146.0.154"), None)
    );
    assert_eq!(v2[2].status_description.as_deref(), Some("Deleting IKE SA"));
    assert!(v2[2].other.is_empty());
    // Free text and the subnets listed under `Remote subnets:` are kept.
    let kv = |s: &Ikev2Sa, k: &str| {
        s.other
            .iter()
            .find(|x| x.key == k)
            .map(|x| x.value.to_string())
    };
    assert_eq!(
        kv(&v2[0], "Fragmentation").as_deref(),
        Some("not configured.")
    );
    assert_eq!(
        kv(&v2[0], "Extended Authentication").as_deref(),
        Some("not configured.")
    );
    assert_eq!(
        kv(&v2[0], "Cisco Trust Security SGT").as_deref(),
        Some("is disabled")
    );
    assert_eq!(kv(&v2[0], "NAT-T").as_deref(), Some("is not detected"));
    assert_eq!(
        kv(&v2[0], "Remote subnets").as_deref(),
        Some("10.255.1.238 255.255.255.255")
    );
    assert_eq!(kv(&v2[0], "PEER TYPE").as_deref(), Some("IOS-XE"));
    assert_eq!(
        kv(&v2[3], "PQC Key Exchange").as_deref(),
        Some("ML-KEM-1024")
    );
    assert_eq!(kv(&v2[3], "Remote Sys Id").as_deref(), Some("sks2"));
    assert!(v2[3].other.iter().all(|x| !x.key.contains("2001")));
    // Session form: one child, with its detail.
    let s = &v2[4];
    assert_eq!(
        (s.session_status.as_deref(), s.child_count),
        (Some("UP-ACTIVE"), Some(1))
    );
    assert_eq!(s.children.len(), 1);
    let c = &s.children[0];
    assert_eq!(
        (c.spi_in, c.spi_out),
        (Some(0x5BEE_DC6F), Some(0x08CB_4FA8))
    );
    assert_eq!(
        (
            c.encryption.as_deref(),
            c.keysize,
            c.esp_hmac.as_deref(),
            c.mode.as_deref()
        ),
        (Some("AES-GCM"), Some(256), Some("None"), Some("tunnel"))
    );
    assert!(s.other.is_empty());

    let f = diagnose(&[out]);
    assert!(
        has(&f, "peer-unreachable", "198.51.100.86"),
        "{:?}",
        codes(&f)
    );
    assert!(has(&f, "phase1-policy-mismatch", "198.51.100.86"));
    assert!(has(&f, "peer-unreachable", "198.51.100.87"));
    assert!(!f
        .iter()
        .any(|x| x.peer.as_deref() == Some("2001:DB8:1201::122")));
}

#[test]
fn ios_12_4_session_detail_remote_access_and_down() {
    let out = load("ios-12.4-session-detail.txt");
    assert_eq!(out.skipped, 0);
    let s = &out.sessions;
    assert_eq!(s.len(), 4);
    let head: Vec<_> = s
        .iter()
        .map(|x| {
            (
                x.line,
                x.interface.as_deref(),
                x.status.as_deref(),
                x.peer.as_deref(),
                x.peer_port,
                x.ike_sas.len(),
                x.flows.len(),
            )
        })
        .collect();
    assert_eq!(
        head,
        [
            (
                7,
                Some("FastEthernet0/0"),
                Some("UP-ACTIVE"),
                Some("10.0.0.2"),
                Some(500),
                1,
                2
            ),
            (
                23,
                Some("Virtual-Access2"),
                Some("UP-IDLE"),
                Some("203.0.113.99"),
                Some(4500),
                1,
                0
            ),
            (
                35,
                Some("Serial0/0/0"),
                Some("DOWN"),
                Some("10.9.9.9"),
                Some(500),
                0,
                1
            ),
            (
                48,
                Some("FastEthernet0/0"),
                Some("UP-NO-IKE"),
                Some("10.0.0.2"),
                Some(500),
                0,
                1
            ),
        ]
    );
    // 12.4 prints `IKE SA:` (no version).
    let ike = &s[0].ike_sas[0];
    assert_eq!(
        (
            ike.version,
            ike.local.as_deref(),
            ike.remote.as_deref(),
            ike.status.as_deref()
        ),
        (None, Some("10.0.0.1"), Some("10.0.0.2"), Some("Active"))
    );
    assert_eq!(
        (
            ike.capabilities.as_deref(),
            ike.conn_id,
            ike.lifetime.as_deref()
        ),
        (Some("D"), Some(1001), Some("23:59:50"))
    );
    let fl: Vec<_> = s[0]
        .flows
        .iter()
        .map(|f| {
            (
                f.dst.as_deref(),
                f.active_sas,
                f.inbound.as_ref().and_then(|c| c.pkts),
                f.outbound.as_ref().and_then(|c| c.pkts),
                f.outbound.as_ref().and_then(|c| c.life_sec),
            )
        })
        .collect();
    assert_eq!(
        fl,
        [
            (Some("192.168.2.0"), Some(2), Some(0), Some(10), Some(3590)),
            (Some("192.168.3.0"), Some(0), Some(0), Some(0), Some(0)),
        ]
    );
    // Easy VPN server session: user, group, assigned address.
    let ra = &s[1];
    assert_eq!(
        (
            ra.username.as_deref(),
            ra.profile.as_deref(),
            ra.group.as_deref(),
            ra.assigned_address.as_deref()
        ),
        (
            Some("remote1"),
            Some("EZVPN-PROF"),
            Some("SALES"),
            Some("172.20.1.10")
        )
    );
    assert_eq!(ra.ike_sas[0].capabilities.as_deref(), Some("CDNX"));
    assert_eq!(s[2].description.as_deref(), Some("BRANCH-9 backup"));
    assert_eq!(s[2].flows[0].protocol.as_deref(), Some("47"));
    // The brief form has no counters.
    assert!(s[3].flows[0].inbound.is_none() && s[3].flows[0].outbound.is_none());
    assert_eq!(s[3].fvrf, None);
    let f = diagnose(&[out]);
    assert!(has(&f, "one-way-traffic", "10.0.0.2"), "{:?}", codes(&f));
}

#[test]
fn iosxe_17_session_detail_paste_with_pager_and_crlf() {
    let raw = text("iosxe-17.3-session-detail-paste.txt");
    assert!(raw.contains("\r\n") && raw.contains('\u{8}'));
    let out = parse("paste", &raw);
    assert_eq!(out.skipped, 0);
    assert_eq!(out.device, None);
    assert_eq!(out.sections[0].kind, SectionKind::Session);
    let s = &out.sessions;
    // The session after `--More--` and its backspaces (on one line) is
    // its own session, not merged into the one before.
    assert_eq!(s.len(), 3);
    let head: Vec<_> = s
        .iter()
        .map(|x| {
            (
                x.line,
                x.interface.as_deref(),
                x.profile.as_deref(),
                x.uptime.as_deref(),
                x.status.as_deref(),
                x.peer.as_deref(),
                x.fvrf.as_deref(),
                x.ivrf.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        head,
        [
            (
                9,
                Some("Tunnel100"),
                Some("FLEX-IKEV2-PROF"),
                Some("2d04h"),
                Some("UP-ACTIVE"),
                Some("2001:DB8:FFFF::2"),
                Some("INET"),
                Some("CORP")
            ),
            (
                23,
                Some("Tunnel101"),
                Some("FLEX-IKEV2-PROF"),
                None,
                Some("DOWN-NEGOTIATING"),
                Some("198.51.100.150"),
                Some("INET"),
                Some("CORP")
            ),
            (
                37,
                Some("GigabitEthernet0/0/1"),
                None,
                None,
                Some("UP-ACTIVE"),
                Some("198.51.100.160"),
                Some("(none)"),
                Some("(none)")
            ),
        ]
    );
    let ike: Vec<_> = s
        .iter()
        .map(|x| {
            let i = &x.ike_sas[0];
            (
                i.version,
                i.session_id,
                i.local.as_deref(),
                i.remote_port,
                i.status.as_deref(),
                i.conn_id,
            )
        })
        .collect();
    assert_eq!(
        ike,
        [
            (
                Some(2),
                Some(12),
                Some("2001:DB8:FFFF::1"),
                Some(500),
                Some("Active"),
                Some(3)
            ),
            (
                Some(2),
                Some(0),
                Some("198.51.100.1"),
                Some(500),
                Some("Inactive"),
                Some(0)
            ),
            (
                Some(1),
                Some(0),
                Some("198.51.100.1"),
                Some(4500),
                Some("Active"),
                Some(1007)
            ),
        ]
    );
    let out_drop = s[0].flows[0].outbound.as_ref().and_then(|c| c.drop);
    assert_eq!(out_drop, Some(2));
    let f = diagnose(&[out]);
    assert!(
        has(&f, "peer-unreachable", "198.51.100.150"),
        "{:?}",
        codes(&f)
    );
    assert!(has(&f, "one-way-traffic", "198.51.100.160"));
    assert!(!f
        .iter()
        .any(|x| x.peer.as_deref() == Some("2001:DB8:FFFF::2")));
}

#[test]
fn no_sas_is_an_empty_result() {
    for (t, kind) in [
        ("asa# show crypto ikev2 sa\n\nThere are no IKEv2 SAs\n", SectionKind::Ikev2),
        ("asa# show crypto ikev1 sa\nThere are no IKEv1 SAs\n", SectionKind::Isakmp),
        (
            "asa# show crypto isakmp sa\n\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\n",
            SectionKind::Isakmp,
        ),
        ("R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n\nIPv6 Crypto ISAKMP SA\n\n", SectionKind::Isakmp),
        ("R1#show crypto isakmp sa detail\nCodes: C - IKE configuration mode, D - Dead Peer Detection\n       K - Keepalives, N - NAT-traversal\nIPv4 Crypto ISAKMP SA\n\nC-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.\n\nIPv6 Crypto ISAKMP SA\n", SectionKind::Isakmp),
        ("R1#show crypto ikev2 sa\n IPv4 Crypto IKEv2  SA\n\n IPv6 Crypto IKEv2  SA\n\n", SectionKind::Ikev2),
        ("R1#show crypto session\nCrypto session current status\n\n", SectionKind::Session),
        ("R1#show crypto session detail\n", SectionKind::Session),
    ] {
        let out = parse("x", t);
        assert_eq!(out.skipped, 0, "{t}");
        assert!(out.sections.iter().all(|s| s.kind == kind), "{t}: {:?}", out.sections);
        assert!(out.isakmp_sas.is_empty() && out.ikev2_sas.is_empty() && out.sessions.is_empty(), "{t}");
        assert!(diagnose(&[out]).is_empty(), "{t}");
    }
}

/// The records of an output as JSON, without line numbers and with runs of
/// spaces collapsed (as flattening does to values).
fn records(text: &str) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("line");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            serde_json::Value::String(x) => *x = flatten(x),
            _ => {}
        }
    }
    let out = parse("x", text);
    let mut v = serde_json::json!({
        "isakmp_sas": out.isakmp_sas,
        "isakmp_summaries": out.isakmp_summaries,
        "ikev2_sas": out.ikev2_sas,
        "sessions": out.sessions,
    });
    strip(&mut v);
    v
}

fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn flattened_ike_outputs_parse_like_the_originals() {
    for name in [
        "ios-15.4-isakmp-ipv6.txt",
        "ios-12.2-xe-16-isakmp-paste.txt",
        "asa-8.0-isakmp-detail-table.txt",
        "ios-12.4-session-detail.txt",
        "ios-15.x-isakmp-detail.txt",
        "asa-9.12-isakmp-ikev2.txt",
        "iosxe-17.6-ikev2-detailed.txt",
        "iosxe-17.3-session-detail-paste.txt",
    ] {
        let t = text(name);
        let flat = flatten(&t);
        assert_eq!(parse("x", &flat).lines, 1);
        assert_eq!(records(&flat), records(&t), "{name}");
    }
}

/// IOS-XE `show dmvpn detail`'s "Crypto Session Details" part: the
/// session layout with `Session: [0x…]`, `Crypto Session Status:`,
/// `fvrf: X,Phase1_id: Y`, `Outbound SPI : …, transform : …` and
/// `Socket State:` lines.
#[test]
fn iosxe_dmvpn_detail_crypto_session_details() {
    let out = load("iosxe-dmvpn-detail-crypto-session.txt");
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    // `show dmvpn` is no crypto command; its crypto part is recognised.
    assert!(out.sections.iter().any(|x| x.kind == SectionKind::Session));
    let s = &out.sessions;
    assert_eq!(s.len(), 2);
    let head: Vec<_> = s
        .iter()
        .map(|x| {
            (
                x.line,
                x.interface.as_deref(),
                x.status.as_deref(),
                x.peer.as_deref(),
                x.peer_port,
                x.fvrf.as_deref(),
                x.phase1_id.as_deref(),
            )
        })
        .collect();
    // No `Peer:` line: the peer is the IKE SA's remote end.
    assert_eq!(
        head,
        [
            (
                5,
                Some("Tunnel10"),
                Some("UP-ACTIVE"),
                Some("198.18.40.1"),
                Some(4500),
                Some("INET"),
                Some("hub1.example.net")
            ),
            (
                19,
                Some("Tunnel20"),
                Some("UP-ACTIVE"),
                Some("203.0.113.90"),
                Some(500),
                Some("(none)"),
                Some("203.0.113.90")
            ),
        ]
    );
    // The one-way flow is named by its peer.
    let f = diagnose(std::slice::from_ref(&out));
    assert!(
        has(&f, "one-way-traffic", "203.0.113.90"),
        "{:?}",
        codes(&f)
    );
    assert!(
        !has(&f, "one-way-traffic", "198.18.40.1"),
        "{:?}",
        codes(&f)
    );
    let other: Vec<_> = s[0]
        .other
        .iter()
        .map(|kv| (kv.key.as_str(), kv.value.as_str()))
        .collect();
    assert_eq!(
        other,
        [
            ("Session", "[0x7F3A21C0]"),
            ("Outbound SPI", "0x9C04D1E7"),
            ("transform", "esp-256-aes esp-sha384-hmac"),
            ("Socket State", "Open"),
        ]
    );
    let ike = &s[1].ike_sas[0];
    assert_eq!(
        (
            ike.version,
            ike.remote.as_deref(),
            ike.conn_id,
            ike.lifetime.as_deref()
        ),
        (Some(1), Some("203.0.113.90"), Some(1031), Some("07:55:40"))
    );
    let f = &s[1].flows[0];
    assert_eq!(
        (f.protocol.as_deref(), f.dst.as_deref()),
        (Some("47"), Some("203.0.113.90"))
    );
    let (i, o) = (f.inbound.as_ref().unwrap(), f.outbound.as_ref().unwrap());
    assert_eq!((i.pkts, o.pkts, o.drop), (Some(0), Some(37), Some(3)));
    assert_eq!((s[0].flows[0].inbound.as_ref().unwrap().pkts), Some(4411));
}

/// `show crypto session` copied from a web page: blank lines between the
/// lines, no indentation, and an IKE SA's port split off its address
/// (`remote 192.0.2.77 /4500`).
#[test]
fn session_pasted_from_a_web_page_with_split_port() {
    let text = "\
BRANCH9# show crypto session

Crypto session current status

Interface: GigabitEthernet0/2

Session status: UP-ACTIVE

Peer: 192.0.2.77 port 4500

IKE SA: local 198.51.100.40/4500 remote 192.0.2.77 /4500 Active

IPSEC FLOW: permit ip 10.40.0.0/255.255.0.0 10.77.0.0/255.255.0.0

Active SAs: 2, origin: crypto map
";
    let out = parse("web", text);
    assert_eq!(out.skipped, 0, "{:?}", out.skipped_lines);
    let s = &out.sessions;
    assert_eq!(s.len(), 1);
    let ike: Vec<_> = s[0]
        .ike_sas
        .iter()
        .map(|x| {
            (
                x.local.as_deref(),
                x.local_port,
                x.remote.as_deref(),
                x.remote_port,
                x.status.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        ike,
        [(
            Some("198.51.100.40"),
            Some(4500),
            Some("192.0.2.77"),
            Some(4500),
            Some("Active")
        )]
    );
    assert_eq!(s[0].flows[0].active_sas, Some(2));
}
