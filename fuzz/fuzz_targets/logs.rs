//! Log analysis: the line-level parsers (`header`, `tag`, `split`) on every
//! line, and the streaming analyser on the whole input, read once from the
//! slice and once through a small `BufReader` so that lines straddle buffer
//! boundaries, cut into small blocks analysed on two threads. Both reads
//! must give the same report.
#![no_main]

use ipsec_doctor_logs::{header, split, tag, LogAnalyzer};
use libfuzzer_sys::fuzz_target;
use std::io::BufReader;

fn analyse<R: std::io::BufRead + Send>(mut a: LogAnalyzer, r: R) -> ipsec_doctor_model::Report {
    a.add_reader("fuzz.log", r)
        .expect("reading from memory cannot fail");
    a.finish()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.split('\n') {
        let h = header::parse(line);
        let _ = tag::parse(h.body);
        for rec in split::split(line) {
            let h = header::parse(rec);
            let _ = tag::parse(h.body);
        }
    }

    let whole = analyse(LogAnalyzer::new().workers(1).block_size(usize::MAX), data);
    // Buffer size 1..=64 picked from the input, so every split of a line
    // over reads is tried somewhere in the corpus.
    let cap = 1 + data.iter().fold(0usize, |a, &b| a.wrapping_add(b as usize)) % 64;
    let chunked = analyse(
        LogAnalyzer::new().workers(2).block_size(cap * 7),
        BufReader::with_capacity(cap, data),
    );
    // Debug text rather than `==`: a NaN confidence would never be equal.
    assert_eq!(
        format!("{whole:?}"),
        format!("{chunked:?}"),
        "report depends on read buffering or blocks (capacity {cap})"
    );
});
