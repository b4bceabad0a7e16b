//! End to end over configurations: the input is cut in two halves (at the
//! first `\0` byte if there is one, else at the middle), each half parsed as
//! one device's configuration; then simulate, check each, trace every
//! outcome and turn the results into findings. The whole input is also fed
//! to all three parsers (logs, config, show), as the CLI may do with any
//! file.
#![no_main]

use ipsec_doctor_logs::LogAnalyzer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = data.split_at(cut);
    let b = b.strip_prefix(b"\0").unwrap_or(b);
    let configs = vec![
        ipsec_doctor_config::parse_bytes("a.cfg", a),
        ipsec_doctor_config::parse_bytes("b.cfg", b),
    ];
    let results = ipsec_doctor_sim::simulate(&configs);
    for c in &configs {
        let _ = ipsec_doctor_sim::check(c);
    }
    for r in &results {
        let _ = ipsec_doctor_sim::trace(&configs, &r.forward);
        if let Some(rev) = &r.reverse {
            let _ = ipsec_doctor_sim::trace(&configs, rev);
        }
    }
    let _ = ipsec_doctor_sim::findings(&configs, &results);

    // Every parser on the whole input.
    let text = String::from_utf8_lossy(data);
    let _ = ipsec_doctor_config::parse("all.cfg", &text);
    let show = ipsec_doctor_show::parse("all.txt", &text);
    let _ = ipsec_doctor_show::diagnose(&[show]);
    let mut logs = LogAnalyzer::new();
    let _ = logs.add_reader("all.log", data);
    let _ = logs.finish();
});
