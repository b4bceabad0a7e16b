//! JSON output.

use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::Report;

/// The report as pretty-printed JSON (schema in the README), secrets masked.
pub fn render_json(report: &Report) -> String {
    let mut r = report.clone();
    for f in &mut r.findings {
        for e in &mut f.evidence {
            e.text = redact(&e.text).into_owned();
        }
        for fix in &mut f.fixes {
            for c in &mut fix.commands {
                *c = redact(c).into_owned();
            }
        }
    }
    let mut s =
        serde_json::to_string_pretty(&r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
