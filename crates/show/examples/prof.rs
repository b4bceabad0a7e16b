//! Profiling helper: parses FILE N times, prints the best round (parse and
//! drop of the result timed apart).
//! `cargo run --release -p ipsec-doctor-show --example prof -- FILE N [one]`
//! (`one`: on the calling thread only, for instruction-count profiles).
fn main() {
    let mut a = std::env::args().skip(1);
    let path = a.next().unwrap_or_default();
    let n: usize = a.next().and_then(|v| v.parse().ok()).unwrap_or(1);
    let one = a.next().as_deref() == Some("one");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut best = f64::MAX;
    let mut best_parse = f64::MAX;
    let mut recs = 0;
    for _ in 0..n {
        let t = std::time::Instant::now();
        let o = if one {
            ipsec_doctor_show::parse_one_thread("p", &text)
        } else {
            ipsec_doctor_show::parse("p", &text)
        };
        let p = t.elapsed().as_secs_f64();
        recs = o.ipsec.len() + o.vpn_sessions.len() + o.isakmp_sas.len();
        drop(o);
        best = best.min(t.elapsed().as_secs_f64());
        best_parse = best_parse.min(p);
    }
    let mb = text.len() as f64 / 1e6;
    println!(
        "{:.1} MB/s best of {n} ({recs} records); parse alone {:.1} MB/s",
        mb / best,
        mb / best_parse
    );
}
