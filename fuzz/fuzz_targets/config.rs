//! Configuration parsing: platform detection and the full parser (which
//! detects, then parses as IOS or ASA/PIX), plus both forced platforms so
//! that each parser sees every input; and the word-level helpers (type 7
//! decoding, port and protocol names) on every word.
#![no_main]

use ipsec_doctor_config::{
    decode_type7, detect, looks_like_config, parse_as, parse_bytes, parse_with_skipped,
    port_number, protocol_number,
};
use ipsec_doctor_model::config::Platform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let platform = detect(&text);
    assert_eq!(platform.is_some(), looks_like_config(&text));

    let cfg = parse_bytes("fuzz.cfg", data);
    assert!(
        cfg.skipped <= cfg.lines,
        "skipped {} > lines {}",
        cfg.skipped,
        cfg.lines
    );

    for p in [Platform::Ios, Platform::Asa, Platform::Pix] {
        let (c, skipped) = parse_with_skipped("fuzz.cfg", &text, p);
        assert_eq!(c.skipped as usize, skipped.len(), "platform {p:?}");
        assert!(
            skipped.windows(2).all(|w| w[0] < w[1]),
            "skipped lines out of order"
        );
        let _ = parse_as("fuzz.cfg", &text, p);
    }

    // The word-level helpers, on every word.
    for w in text.split_whitespace().take(4096) {
        let _ = decode_type7(w);
        let _ = port_number(w);
        let _ = protocol_number(w);
    }
});
