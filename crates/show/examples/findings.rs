//! Prints the findings for files given together (both ends of a tunnel may
//! be in different files): `cargo run -p ipsec-doctor-show --example findings -- A B`.
fn main() {
    let outs: Vec<_> = std::env::args()
        .skip(1)
        .map(|p| {
            let text = std::fs::read(&p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            ipsec_doctor_show::parse(&p, &text)
        })
        .collect();
    for f in ipsec_doctor_show::diagnose(&outs) {
        println!(
            "[{}] {} {:.2} device={:?} peer={:?}\n  {}\n  {}",
            f.severity.as_str(),
            f.code,
            f.confidence,
            f.device,
            f.peer,
            f.title,
            f.explanation
        );
        for e in &f.evidence {
            println!(
                "    {}:{}: {}",
                e.source,
                e.line,
                e.text.chars().take(110).collect::<String>()
            );
        }
        for x in &f.fixes {
            println!(
                "    fix on {} ({}): {}",
                x.device,
                x.why,
                x.commands.join(" | ")
            );
        }
    }
}
