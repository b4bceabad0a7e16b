//! Whatever the bytes, the analyser never panics and always concludes.

use ipsec_doctor_logs::{header, split, tag, LogAnalyzer};
use proptest::prelude::*;

/// Fragments of real lines, so generated input reaches deep paths.
const PIECES: &[&str] = &[
    "ISAKMP (0:1): ",
    "ISAKMP:(1001):",
    "ISAKMP-ERROR: (0):",
    "IPSEC(validate_proposal): ",
    "%CRYPTO-4-PKT_REPLAY_ERR: ",
    "%ASA-3-713902: ",
    "Group = 1.2.3.4, IP = 1.2.3.4, ",
    "[IKEv1]: ",
    "*Mar  1 00:13:31.891: ",
    "<189>12: ",
    "1d00h: ",
    "Sep 22 11:02:39 203.0.113.16 2435: ",
    "atts are not acceptable. ",
    "QM FSM error ",
    "MM_KEY_EXCH ",
    "IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + KE (4)",
    "Old State = IKE_I_MM1  New State = IKE_I_MM2",
    "Router#",
    "Hub(config)#ip route 1.1.1.0 255.255.255.0 2.2.2.2",
    "Success rate is 0 percent (0/5)",
    "Success rate is 100 percent (5/5)",
    "#pkts encaps: 4, #pkts decaps: 0",
    "current_peer 1.1.1.1",
    "permit ip 0.0.0.0 255.255.255.0 0.0.0.0 255.255.255.0",
    "\r",
    "\n",
    "   ",
    "\u{0}",
    "\u{fffd}",
    "=R1= ",
    "(0:4294967296):",
    "spi=0xFFFFFFFFFFFFFFFFFF",
    "message ID = -99999999999999999999",
];

fn mixed() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..40),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        let mut a = LogAnalyzer::new();
        a.add_reader("fuzz", &bytes[..]).unwrap();
        let r = a.finish();
        prop_assert_eq!(r.inputs.len(), 1);
    }

    #[test]
    fn log_shaped_garbage_never_panics(bytes in mixed()) {
        let mut a = LogAnalyzer::new();
        a.add_reader("fuzz", &bytes[..]).unwrap();
        let r = a.finish();
        let i = &r.inputs[0];
        prop_assert_eq!(i.used + i.ignored + i.skipped, i.lines);
    }

    #[test]
    fn blocks_and_threads_do_not_change_the_report(
        bytes in mixed(),
        block in 1usize..400,
        workers in 2usize..5,
    ) {
        let run = |a: LogAnalyzer| {
            let mut a = a;
            a.add_reader("fuzz", &bytes[..]).unwrap();
            a.finish()
        };
        let one = run(LogAnalyzer::new().workers(1).block_size(usize::MAX));
        let many = run(LogAnalyzer::new().workers(workers).block_size(block));
        prop_assert_eq!(one, many);
    }

    #[test]
    fn prefix_parsers_never_panic(s in "\\PC{0,200}") {
        let h = header::parse(&s);
        let _ = tag::parse(h.body);
        for p in split::split(&s) {
            let _ = header::parse(p);
        }
    }
}
