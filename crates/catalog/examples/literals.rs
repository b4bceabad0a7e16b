//! Prints the catalog's message literals, one per line, for
//! `rg -F -i -f literals.txt` baselines in BENCHMARKS.md.

fn main() {
    let catalog = ipsec_doctor_catalog::Catalog::new();
    for lit in catalog.literals() {
        println!("{lit}");
    }
}
