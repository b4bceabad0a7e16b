//! Prints the parse of a file as JSON: `cargo run -p ipsec-doctor-show --example dump -- FILE`.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read(&path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let out = ipsec_doctor_show::parse(&path, &text);
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        for f in ipsec_doctor_show::diagnose(&[out]) {
            println!("{}", serde_json::to_string_pretty(&f).unwrap_or_default());
        }
    }
}
