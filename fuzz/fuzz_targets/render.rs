//! Rendering. The input goes through the same analyses the CLI combines
//! (logs, plus show diagnosis and, for configuration-looking input, a
//! simulation and checks); the resulting report is rendered as text with
//! option combinations (colour, verbose, widths down to 0) and as JSON,
//! which must parse back.
#![no_main]

use ipsec_doctor_logs::LogAnalyzer;
use ipsec_doctor_model::Finding;
use ipsec_doctor_report::{render_json, render_text, TextOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut a = LogAnalyzer::new();
    a.add_text("fuzz.log", &text);
    let mut report = a.finish();
    if ipsec_doctor_config::looks_like_config(&text) {
        let configs = vec![ipsec_doctor_config::parse("fuzz.cfg", &text)];
        let results = ipsec_doctor_sim::simulate(&configs);
        let (rows, findings) = ipsec_doctor_sim::findings(&configs, &results);
        report.tunnels.extend(rows);
        report.findings.extend(findings);
        report.findings.extend(ipsec_doctor_sim::check(&configs[0]));
    }
    if ipsec_doctor_show::looks_like_show(&text) {
        let show = ipsec_doctor_show::parse("fuzz.txt", &text);
        report.findings.extend(ipsec_doctor_show::diagnose(&[show]));
    }
    report.findings.sort_by(Finding::rank_cmp);

    let width = data.first().map_or(100, |&b| b as usize);
    for (color, verbose, width) in [(false, true, 100), (true, false, width), (true, true, 0)] {
        let _ = render_text(
            &report,
            TextOptions {
                color,
                verbose,
                width,
            },
        );
    }
    let _ = render_text(&report, Default::default());
    let json = render_json(&report);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("render_json produced invalid JSON: {e}");
    }
});
