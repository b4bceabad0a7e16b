//! Closed loop: the debug lines the simulator says each side prints, fed to
//! the log analyser, give back the simulated root cause — over randomly
//! mutated configuration pairs.

use ipsec_doctor_logs::LogAnalyzer;
use ipsec_doctor_model::config::*;
use ipsec_doctor_model::{Code, Severity};
use ipsec_doctor_sim::{observable, simulate, trace};
use proptest::prelude::*;

mod common;
use common::{ip, net, site};

fn mutate(c: &mut [DeviceConfig], m: u8) {
    let b = &mut c[1];
    match m {
        0 => {}
        1 => b.keys[0].key = SecretDigest::of("other"),
        2 => b.keys.clear(),
        3 => b.ike_policies[0].group = 5,
        4 => b.ike_policies[0].encryption = IkeEncryption::TripleDes,
        5 => b.acls.get_mut("VPN-ACL").unwrap().entries[0].src = net("10.99.0.0", 24),
        6 => {
            b.transform_sets.get_mut("TS").unwrap().transforms =
                vec!["esp-3des".into(), "esp-md5-hmac".into()]
        }
        7 => b.crypto_maps[0].pfs = Some(14),
        8 => b.interfaces[0].crypto_map = None,
        9 => b.crypto_maps[0].peers = vec![ip("192.0.2.99")],
        _ => c[0].keys.clear(),
    }
}

fn platform(i: u8) -> Platform {
    match i % 3 {
        0 => Platform::Ios,
        1 => Platform::Asa,
        _ => Platform::Pix,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn trace_diagnoses_to_the_simulated_code(pa in 0u8..3, pb in 0u8..2, m in 0u8..11) {
        let (pa, pb) = (platform(pa), platform(pb));
        let mut c = vec![
            site("A", pa, "198.51.100.1", "10.1.1.0", "203.0.113.1", "10.2.2.0"),
            site("B", pb, "203.0.113.1", "10.2.2.0", "198.51.100.1", "10.1.1.0"),
        ];
        mutate(&mut c, m);
        let results = simulate(&c);
        prop_assert!(!results.is_empty());
        let o = &results[0].forward;
        let lines = trace(&c, o);
        let mut analyzer = LogAnalyzer::new();
        for dev in ["A", "B"] {
            let text: String = lines.iter().filter(|l| l.device == dev).map(|l| format!("{}\n", l.text)).collect();
            analyzer.add_text(&format!("{dev}.log"), &text);
        }
        let report = analyzer.finish();
        let got = report.findings.iter().find(|f| f.severity == Severity::Error).map(|f| f.code).unwrap_or(Code::TunnelUp);
        let want = observable(o.code, o.responder.map(|r| c[r].platform));
        prop_assert_eq!(got, want, "sim {:?} ({}) -> trace {:#?}", o.code, o.detail, lines);
    }
}
