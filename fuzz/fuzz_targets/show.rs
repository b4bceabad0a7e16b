//! `show` output: the parser on the whole input, the diagnosis of that
//! output alone, and of it paired with a second device's output (the input
//! split at its middle), which drives the cross-device checks.
#![no_main]

use ipsec_doctor_show::{diagnose, looks_like_show, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = looks_like_show(&text);
    let whole = parse("fuzz.txt", &text);
    let _ = whole.device_at(0);
    let _ = whole.device_at(whole.lines / 2 + 1);
    let _ = whole.is_empty();
    let _ = diagnose(std::slice::from_ref(&whole));

    let (a, b) = data.split_at(data.len() / 2);
    let a = parse("a.txt", &String::from_utf8_lossy(a));
    let b = parse("b.txt", &String::from_utf8_lossy(b));
    let _ = diagnose(&[a, b]);
});
