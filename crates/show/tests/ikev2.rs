//! `show crypto ikev2 sa` / `session` (IOS, IOS-XE) and ASA `show crypto
//! ikev2 sa`: parsing (real layouts in `tests/data/ikev2/`, hand-written
//! variants, flattened text) and diagnosis.

use ipsec_doctor_show::{diagnose, parse, Ikev2Format, SectionKind, ShowOutput};

fn load(name: &str) -> (String, ShowOutput) {
    let path = format!("{}/tests/data/ikev2/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let out = parse(name, &text);
    (text, out)
}

/// The fields that must not depend on the layout of the text.
fn summary(out: &ShowOutput) -> Vec<String> {
    out.ikev2_sas
        .iter()
        .map(|s| {
            format!(
                "{:?} {:?} {:?}/{:?} {:?}/{:?} {:?}/{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                s.format,
                s.tunnel_id,
                s.local,
                s.local_port,
                s.remote,
                s.remote_port,
                s.fvrf,
                s.ivrf,
                s.status,
                s.role,
                (&s.encryption, s.keysize, &s.prf, &s.hash, &s.dh_group),
                (&s.auth_sign, &s.auth_verify),
                (s.lifetime, s.active_time),
                (s.session_id, &s.session_status, s.ike_count, s.child_count),
                s.ce_id,
                (&s.local_spi, &s.remote_spi),
                (&s.local_id, &s.remote_id),
                s.children
                    .iter()
                    .map(|c| (&c.local_selector, &c.remote_selector, c.spi_in, c.spi_out))
                    .collect::<Vec<_>>(),
                s.other,
                s.status_description,
            )
        })
        .collect()
}

#[test]
fn ios_xe_sa_detailed_and_session() {
    let (text, out) = load("iosxe-sa-detailed.txt");
    assert_eq!(out.skipped, 0);
    assert!(out.sections.iter().all(|s| s.kind == SectionKind::Ikev2));
    assert_eq!(out.ikev2_sas.len(), 5);
    let a = &out.ikev2_sas[0];
    assert_eq!(a.format, Ikev2Format::Ios);
    assert_eq!(a.tunnel_id, Some(2));
    assert_eq!(a.local.as_deref(), Some("10.1.10.50"));
    assert_eq!(a.local_port, Some(4500));
    assert_eq!(a.remote.as_deref(), Some("198.51.100.112"));
    assert_eq!(
        (a.fvrf.as_deref(), a.ivrf.as_deref()),
        (Some("none"), Some("none"))
    );
    assert_eq!(a.status.as_deref(), Some("READY"));
    assert_eq!(a.encryption.as_deref(), Some("AES-CBC"));
    assert_eq!(a.keysize, Some(256));
    assert_eq!(a.prf.as_deref(), Some("SHA1"));
    assert_eq!(a.hash.as_deref(), Some("SHA96"));
    assert_eq!(a.dh_group.as_deref(), Some("2"));
    assert_eq!(a.auth_sign.as_deref(), Some("PSK"));
    assert_eq!((a.lifetime, a.active_time), (Some(86400), Some(3277)));
    assert!(!a.lists_children());
    let neg = &out.ikev2_sas[1];
    assert_eq!(neg.status.as_deref(), Some("IN-NEG"));
    assert_eq!(neg.encryption.as_deref(), Some("Unknown - 0"));
    // `detailed`.
    let d = &out.ikev2_sas[2];
    assert_eq!(d.ivrf.as_deref(), Some("OUTSIDE_ONE"));
    assert_eq!((d.ce_id, d.session_id), (Some(1015), Some(5)));
    assert_eq!(d.local_spi.as_deref(), Some("FFA945D98B0C8A2F"));
    assert_eq!(d.remote_spi.as_deref(), Some("535C9117E3DAA3AC"));
    assert_eq!(d.remote_id.as_deref(), Some("203.0.113.80"));
    assert_eq!(d.status_description.as_deref(), Some("Negotiation done"));
    assert_eq!(d.other.len(), 6, "{:?}", d.other);
    // `show crypto ikev2 session`: session line and child SA.
    let s = &out.ikev2_sas[3];
    assert_eq!(s.session_id, Some(1));
    assert_eq!(s.session_status.as_deref(), Some("UP-ACTIVE"));
    assert_eq!((s.ike_count, s.child_count), (Some(1), Some(1)));
    assert_eq!(s.children.len(), 1);
    let c = &s.children[0];
    assert_eq!(
        c.local_selector.as_deref(),
        Some("10.10.100.30/0 - 10.10.100.30/65535")
    );
    assert_eq!(
        c.remote_selector.as_deref(),
        Some("10.10.50.15/0 - 10.10.50.15/65535")
    );
    assert_eq!(c.protocol.as_deref(), Some("ESP"));
    assert_eq!(
        (c.spi_in, c.spi_out),
        (Some(0x0448_C5B0), Some(0x41CC_F09E))
    );
    assert_eq!(out.ikev2_sas[4].child_count, Some(0));

    // The same text flattened onto one line gives the same SAs.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let f = parse("flat", &flat);
    assert_eq!(summary(&f), summary(&out));
}

#[test]
fn asa_ikev2_sa_and_isakmp_sa_sections() {
    let (text, out) = load("asa-9.x-ikev2.txt");
    assert_eq!(out.skipped, 0);
    assert_eq!(out.ikev2_sas.len(), 3);
    let a = &out.ikev2_sas[0];
    assert_eq!(a.format, Ikev2Format::Asa);
    assert_eq!(a.tunnel_id, Some(9_578_947));
    assert_eq!(a.role.as_deref(), Some("INITIATOR"));
    assert_eq!(a.prf, None);
    assert_eq!(a.session_id, Some(57093));
    let c = &a.children[0];
    assert_eq!(c.spi_in_hex.as_deref(), Some("0x527873a4"));
    assert_eq!(
        (c.spi_in, c.spi_out),
        (Some(0x5278_73a4), Some(0xe637_6de9))
    );
    // `Child sa count:0` (another version's spelling of `CHILD count`).
    let b = &out.ikev2_sas[1];
    assert_eq!(b.child_count, Some(0));
    assert!(b.lists_children());
    assert_eq!(b.role.as_deref(), Some("RESPONDER"));
    assert_eq!(out.ikev2_sas[2].status.as_deref(), Some("DELETE"));
    // `show crypto isakmp sa` hands its `IKEv2 SAs:` part over.
    let kinds: Vec<SectionKind> = out.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [SectionKind::Ikev2, SectionKind::Isakmp, SectionKind::Ikev2]
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(summary(&parse("flat", &flat)), summary(&out));
}

#[test]
fn old_header_without_vrf_column() {
    // IOS 15.x session output has no fvrf/ivrf column.
    let text = "R1#show crypto ikev2 session\n IPv4 Crypto IKEv2 Session\n\n\
                Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n\n\
                Tunnel-id Local                 Remote                Status\n\
                1         10.10.10.1/500        10.10.30.2/500        READY\n      \
                Encr: AES-CBC, keysize: 256, PRF: HMAC-SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n\
                Child sa: local selector  10.10.10.1/0 - 10.10.10.1/65535\n          \
                remote selector 10.10.30.2/0 - 10.10.30.2/65535\n          \
                ESP SPI in/out: 0x5A34FC1E/0x3B2A9E7D\n";
    let out = parse("r1", text);
    assert_eq!(out.skipped, 0);
    let sa = &out.ikev2_sas[0];
    assert_eq!(sa.format, Ikev2Format::Ios);
    assert_eq!(sa.fvrf, None);
    assert_eq!(sa.status.as_deref(), Some("READY"));
    assert_eq!(sa.prf.as_deref(), Some("HMAC-SHA256"));
    assert_eq!(sa.children[0].spi_out, Some(0x3B2A_9E7D));
}

fn codes(out: ShowOutput) -> Vec<(String, String, Option<String>)> {
    diagnose(&[out])
        .into_iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                format!("{:?}", f.severity),
                f.peer,
            )
        })
        .collect()
}

#[test]
fn in_neg_before_and_after_init() {
    let text = "R1#show crypto ikev2 sa\n IPv4 Crypto IKEv2  SA\n\n\
        Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
        1         192.0.2.1/500         198.51.100.7/500      none/none            IN-NEG\n      \
        Encr: Unknown - 0, PRF: Unknown - 0, Hash: None, DH Grp:0, Auth sign: Unknown - 0, Auth verify: Unknown - 0\n\
        Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
        2         192.0.2.1/500         198.51.100.8/500      none/none            IN-NEG\n      \
        Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n";
    let c = codes(parse("r1", text));
    let for_peer = |p: &str| -> Vec<&str> {
        c.iter()
            .filter(|x| x.2.as_deref() == Some(p))
            .map(|x| x.0.as_str())
            .collect()
    };
    // No algorithm yet: IKE_SA_INIT unanswered or refused.
    let first = for_peer("198.51.100.7");
    assert_eq!(first[0], "peer-unreachable", "{c:?}");
    assert!(first.contains(&"phase1-policy-mismatch"));
    // Algorithms agreed: IKE_AUTH fails.
    let second = for_peer("198.51.100.8");
    assert_eq!(second[0], "psk-mismatch", "{c:?}");
    assert!(second.contains(&"peer-address-mismatch"));
}

#[test]
fn delete_next_to_ready_is_only_a_warning() {
    let text = "R1#show crypto ikev2 sa\n\
        Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
        1         192.0.2.1/500         198.51.100.7/500      none/none            READY\n\
        2         192.0.2.1/500         198.51.100.7/500      none/none            DELETE\n\
        3         192.0.2.1/500         198.51.100.9/500      none/none            DELETE\n";
    let c = codes(parse("r1", text));
    assert!(c.contains(&(
        "peer-unreachable".into(),
        "Warning".into(),
        Some("198.51.100.7".into())
    )));
    assert!(c.contains(&(
        "peer-unreachable".into(),
        "Error".into(),
        Some("198.51.100.9".into())
    )));
}

#[test]
fn ready_without_child_is_phase_2() {
    let (_, out) = load("asa-9.x-ikev2.txt");
    let c = codes(out);
    let peer2: Vec<&str> = c
        .iter()
        .filter(|x| x.2.as_deref() == Some("10.0.0.2"))
        .map(|x| x.0.as_str())
        .collect();
    assert_eq!(
        peer2,
        [
            "proxy-id-mismatch",
            "transform-set-mismatch",
            "pfs-mismatch"
        ]
    );
    // The SA with a child and the IOS table without child lines say nothing
    // about phase 2.
    assert!(!c.iter().any(|x| x.2.as_deref() == Some("172.16.0.2")));
    let (_, ios) = load("iosxe-sa-detailed.txt");
    let c = codes(ios);
    assert!(!c
        .iter()
        .any(|x| x.0 == "proxy-id-mismatch" && x.2.as_deref() == Some("198.51.100.112")));
    assert!(c.iter().any(|x| x.0 == "weak-crypto"), "DH group 2: {c:?}");
}

#[test]
fn child_spis_pair_across_the_two_ends() {
    let r1 = "R1#show crypto ikev2 session\n\
        Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n\
        Tunnel-id Local                 Remote                fvrf/ivrf            Status\n\
        1         192.0.2.1/500         198.51.100.7/500      none/none            READY\n\
        Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n\
        Child sa: local selector  10.1.0.0/0 - 10.1.0.255/65535\n\
        remote selector 10.2.0.0/0 - 10.2.0.255/65535\n\
        ESP spi in/out: 0xAAAA0001/0xBBBB0001\n";
    let asa_ok = "ASA# show crypto ikev2 sa\nIKEv2 SAs:\n\
        Session-id:9, Status:UP-ACTIVE, IKE count:1, CHILD count:1\n\
        Tunnel-id Local Remote Status Role\n\
        77 198.51.100.7/500 192.0.2.1/500 READY RESPONDER\n\
        Encr: AES-CBC, keysize: 256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth verify: PSK\n\
        Child sa: local selector 10.2.0.0/0 - 10.2.0.255/65535\n\
        remote selector 10.1.0.0/0 - 10.1.0.255/65535\n\
        ESP spi in/out: 0xbbbb0001/0xaaaa0001\n";
    let f = diagnose(&[parse("r1", r1), parse("asa", asa_ok)]);
    assert!(!f.iter().any(|f| f.code.as_str() == "invalid-spi"), "{f:?}");
    // The ASA re-keyed; R1 still sends with the old SPI.
    let asa_new = asa_ok.replace("0xbbbb0001/0xaaaa0001", "0xbbbb0002/0xaaaa0002");
    let f = diagnose(&[parse("r1", r1), parse("asa", &asa_new)]);
    let bad: Vec<_> = f
        .iter()
        .filter(|f| f.code.as_str() == "invalid-spi")
        .collect();
    assert_eq!(bad.len(), 2, "{f:?}");
    assert!(bad[0].title.contains("0xBBBB0001") || bad[1].title.contains("0xBBBB0001"));
    assert!(bad.iter().all(|f| !f.evidence.is_empty()));
}
