//! `explain`: the catalog's knowledge about a message, code or state.

use ipsec_doctor_catalog::{state_info, Entry, Signal};
use ipsec_doctor_logs::{header, tag};
use ipsec_doctor_model::Code;
use std::fmt::Write;
use std::process::ExitCode;

fn signal_code(e: &Entry) -> Vec<(Code, f32)> {
    match e.signal {
        Signal::Failure {
            code, confidence, ..
        } => vec![(code, confidence)],
        Signal::Symptom(c) => c.to_vec(),
        Signal::Audit(code) => vec![(code, 1.0)],
        _ => Vec::new(),
    }
}

fn entry_text(e: &Entry) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", e.title);
    let platforms: Vec<&str> = e.platforms.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(
        s,
        "  catalog id: {}   platforms: {}   phase: {}",
        e.id,
        platforms.join(", "),
        e.phase.as_str()
    );
    let _ = writeln!(s, "  meaning: {}", e.meaning);
    let codes = signal_code(e);
    if let Signal::Audit(code) = e.signal {
        // Reported as a warning on a tunnel that may well be up.
        let _ = writeln!(s, "  points at: {code} (a warning, not a failure)");
    } else if !codes.is_empty() {
        let c: Vec<String> = codes.iter().map(|(c, w)| format!("{c} ({w:.2})")).collect();
        let _ = writeln!(s, "  points at: {}", c.join(", "));
    }
    if !e.causes.is_empty() {
        let _ = writeln!(s, "  likely causes, most likely first:");
        for (i, c) in e.causes.iter().enumerate() {
            let _ = writeln!(s, "    {}. {c}", i + 1);
        }
    }
    if !e.fixes.is_empty() {
        let _ = writeln!(s, "  what to do:");
        for f in e.fixes {
            let _ = writeln!(s, "    - {f}");
        }
    }
    let _ = writeln!(s, "  example: {}", e.example);
    s
}

/// Runs `explain`.
pub fn run(query: &str) -> ExitCode {
    let catalog = ipsec_doctor_catalog::Catalog::new();
    let q = query.trim();
    // A root-cause code.
    if let Ok(code) = q.parse::<Code>() {
        let mut s = format!("{code}: {}\n", code.summary());
        let entries: Vec<&Entry> = catalog
            .entries()
            .iter()
            .filter(|e| signal_code(e).iter().any(|(c, _)| *c == code))
            .collect();
        if !entries.is_empty() {
            let _ = writeln!(s, "\nMessages that point at it:");
            for e in entries {
                let _ = writeln!(s, "  - {} [{}]", e.title, e.id);
            }
        }
        print!("{s}");
        return ExitCode::SUCCESS;
    }
    // An ISAKMP state name.
    let upper = q.to_ascii_uppercase();
    if let Some(info) = state_info(&upper) {
        let mut s = format!(
            "{upper}: {}\n",
            if info.phase1_up {
                "phase 1 is up"
            } else {
                "phase 1 not complete"
            }
        );
        if let Some(e) = catalog.entries().iter().find(|e| e.literal == upper) {
            s.push_str(&entry_text(e));
        }
        if !info.stuck.is_empty() {
            let c: Vec<String> = info
                .stuck
                .iter()
                .map(|(c, w)| format!("{c} ({w:.2})"))
                .collect();
            let _ = writeln!(s, "  if a tunnel stays here: {}", c.join(", "));
        }
        print!("{s}");
        return ExitCode::SUCCESS;
    }
    // A message as printed: strip prefixes like the analyser does.
    let h = header::parse(q);
    let t = tag::parse(h.body);
    if let Some(m) = catalog
        .classify(t.message)
        .or_else(|| catalog.classify(h.body))
    {
        print!("{}", entry_text(m.entry));
        return ExitCode::SUCCESS;
    }
    let found = catalog.search(q);
    if found.is_empty() {
        eprintln!("ipsec-doctor: no catalog entry matches {q:?}; try a root-cause code (for example psk-mismatch), a state (MM_WAIT_MSG4), or a message as the device prints it");
        return ExitCode::from(2);
    }
    for e in found.iter().take(10) {
        println!("{}", entry_text(e));
    }
    ExitCode::SUCCESS
}
