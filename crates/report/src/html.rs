//! One self-contained HTML file: summary first, then per tunnel an SVG
//! ladder of the negotiation, the evidence lines and copyable fixes. No
//! external requests; every piece of device text is escaped (it is
//! untrusted) and redacted.

use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Finding, Report, Severity, TunnelSummary};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn safe(s: &str) -> String {
    escape(&redact(s))
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d1d1f;max-width:1100px}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eee;vertical-align:top}\
.error{color:#b00020;font-weight:600}.warning{color:#a15c00;font-weight:600}.info{color:#1b7f3b;font-weight:600}\
pre{background:#f5f5f7;padding:.6rem;overflow-x:auto;border-radius:4px;font-size:.85rem}\
code{font-family:ui-monospace,Menlo,Consolas,monospace}.ev{font-size:.85rem}.src{color:#666}\
.finding{margin:1rem 0;padding:.6rem 1rem;border-left:4px solid #ccc}.finding.error{border-color:#b00020;color:inherit;font-weight:normal}\
.finding.warning{border-color:#a15c00;color:inherit;font-weight:normal}.finding.info{border-color:#1b7f3b;color:inherit;font-weight:normal}\
svg text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}";

fn sev_class(s: Severity) -> &'static str {
    s.as_str()
}

/// The SVG ladder of one tunnel: the logging device on the left, the peer
/// on the right, one arrow per message; the last step is marked when the
/// tunnel failed.
pub fn ladder_svg(t: &TunnelSummary) -> String {
    let left = t
        .device
        .clone()
        .unwrap_or_else(|| "this device".to_string());
    let right = t.peer.clone().unwrap_or_else(|| "peer".to_string());
    let failed = t.status.is_failure();
    let steps = &t.ladder;
    let row = 34;
    let top = 50;
    let height = top + row * (steps.len() as i64 + 1) + 30;
    let (lx, rx) = (120, 520);
    let mut s = String::new();
    let _ = write!(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"ladder\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\" aria-label=\"negotiation ladder {} to {}\">", escape(&left), escape(&right));
    let _ = write!(
        s,
        "<text x=\"{lx}\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        escape(&left)
    );
    let _ = write!(
        s,
        "<text x=\"{rx}\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        escape(&right)
    );
    let _ = write!(s, "<line x1=\"{lx}\" y1=\"30\" x2=\"{lx}\" y2=\"{}\" stroke=\"#888\"/><line x1=\"{rx}\" y1=\"30\" x2=\"{rx}\" y2=\"{}\" stroke=\"#888\"/>", height - 10, height - 10);
    s.push_str("<defs><marker id=\"arrow\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#333\"/></marker><marker id=\"arrowbad\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#b00020\"/></marker></defs>");
    for (i, st) in steps.iter().enumerate() {
        let y = top + row * i as i64;
        let last = i + 1 == steps.len();
        let bad = failed && last;
        let (x1, x2) = if st.direction == "sent" {
            (lx, rx)
        } else {
            (rx, lx)
        };
        let colour = if bad { "#b00020" } else { "#333" };
        let dash = if st.retransmitted {
            " stroke-dasharray=\"6,4\""
        } else {
            ""
        };
        let marker = if bad { "arrowbad" } else { "arrow" };
        let _ = write!(s, "<line class=\"step{}\" x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"{}\"{dash} marker-end=\"url(#{marker})\"/>", if bad { " failing" } else { "" }, if bad { 2.5 } else { 1.5 });
        let label = format!(
            "{}{}",
            st.message,
            if st.retransmitted { " (resent)" } else { "" }
        );
        let when = st
            .time
            .as_deref()
            .map(|t| format!(" · {}", escape(t)))
            .unwrap_or_default();
        let _ = write!(s, "<text x=\"320\" y=\"{}\" text-anchor=\"middle\" fill=\"{colour}\">{} <tspan fill=\"#888\">line {}{when}</tspan></text>", y - 6, escape(&label), st.line);
    }
    let end_y = top + row * steps.len() as i64;
    if failed {
        let _ = write!(s, "<text class=\"verdict\" x=\"320\" y=\"{end_y}\" text-anchor=\"middle\" fill=\"#b00020\" font-weight=\"bold\">✗ {}</text>", escape(t.status.as_str()));
    } else {
        let _ = write!(s, "<text class=\"verdict\" x=\"320\" y=\"{end_y}\" text-anchor=\"middle\" fill=\"#1b7f3b\" font-weight=\"bold\">✓ {}</text>", escape(t.status.as_str()));
    }
    s.push_str("</svg>");
    s
}

fn finding_html(f: &Finding) -> String {
    let mut s = String::new();
    let _ = write!(s, "<div class=\"finding {}\"><div><span class=\"{}\">{}</span> <span class=\"src\">[{}, confidence {:.2}]</span></div>", sev_class(f.severity), sev_class(f.severity), escape(f.code.as_str()), f.severity.as_str(), f.confidence);
    let _ = write!(
        s,
        "<p><strong>{}</strong></p><p>{}</p>",
        safe(&f.title),
        safe(&f.explanation)
    );
    if !f.evidence.is_empty() {
        s.push_str("<div class=\"ev\"><strong>Evidence</strong><pre><code>");
        for e in &f.evidence {
            let _ = writeln!(
                s,
                "<span class=\"src\">{}:{}</span>  {}",
                escape(&e.source),
                e.line,
                safe(&e.text)
            );
        }
        s.push_str("</code></pre></div>");
    }
    for fix in &f.fixes {
        let _ = write!(
            s,
            "<div><strong>Fix on {}</strong> <span class=\"src\">({})</span><pre><code>",
            safe(&fix.device),
            safe(&fix.why)
        );
        for c in &fix.commands {
            let _ = writeln!(s, "{}", safe(c));
        }
        s.push_str("</code></pre></div>");
    }
    s.push_str("</div>");
    s
}

/// The report as one self-contained HTML document.
pub fn render_html(report: &Report) -> String {
    let mut s = String::new();
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let _ = write!(s, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>ipsec-doctor report</title><style>{STYLE}</style></head><body>");
    let _ = write!(
        s,
        "<h1>ipsec-doctor: {} tunnel(s), {}</h1>",
        report.tunnels.len(),
        if errors > 0 {
            format!("<span class=\"error\">{errors} problem(s)</span>")
        } else {
            "<span class=\"info\">no failure</span>".to_string()
        }
    );
    s.push_str("<h2>Summary</h2><table><thead><tr><th>Device</th><th>Peer</th><th>Role</th><th>Reached</th><th>Status</th><th>Cause</th><th>Fix on</th></tr></thead><tbody>");
    for (i, t) in report.tunnels.iter().enumerate() {
        let cls = if t.status.is_failure() {
            "error"
        } else if t.status.as_str() == "weak-crypto" {
            "warning"
        } else {
            "info"
        };
        let fix_on = tunnel_findings(report, t)
            .into_iter()
            .find(|f| f.severity == Severity::Error)
            .and_then(|f| f.fixes.first())
            .map(|x| safe(&x.device))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td><a href=\"#t{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{cls}\">{}</td><td>{}</td><td>{fix_on}</td></tr>",
            safe(t.device.as_deref().unwrap_or("-")),
            safe(t.peer.as_deref().unwrap_or("-")),
            safe(t.role.as_deref().unwrap_or("-")),
            safe(t.reached.as_deref().unwrap_or("-")),
            escape(t.status.as_str()),
            safe(&t.reason)
        );
    }
    s.push_str("</tbody></table>");
    for (i, t) in report.tunnels.iter().enumerate() {
        let _ = write!(
            s,
            "<h2 id=\"t{i}\">{} ↔ {} <span class=\"{}\">{}</span></h2>",
            safe(t.device.as_deref().unwrap_or("this device")),
            safe(t.peer.as_deref().unwrap_or("peer")),
            if t.status.is_failure() {
                "error"
            } else {
                "info"
            },
            escape(t.status.as_str())
        );
        let _ = write!(
            s,
            "<p class=\"src\">from {} (lines {}–{})</p>",
            safe(&t.source),
            t.lines[0],
            t.lines[1]
        );
        if !t.ladder.is_empty() {
            s.push_str(&ladder_svg(t));
        }
        for f in tunnel_findings(report, t) {
            s.push_str(&finding_html(f));
        }
    }
    let others: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !report.tunnels.iter().any(|t| belongs(f, t)))
        .collect();
    if !others.is_empty() {
        s.push_str("<h2>Other findings</h2>");
        for f in others {
            s.push_str(&finding_html(f));
        }
    }
    s.push_str("<h2>Inputs</h2><table><thead><tr><th>Input</th><th>Kind</th><th>Lines</th><th>Used</th><th>Not recognised</th></tr></thead><tbody>");
    for i in &report.inputs {
        let _ = write!(
            s,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            safe(&i.source),
            match (&i.stopped, &i.not_simulated) {
                (Some(why), _) => format!(" (reading stopped early: {})", escape(why)),
                (None, Some(what)) => format!(" (not simulated: {})", escape(what)),
                (None, None) => String::new(),
            },
            escape(&i.kind),
            i.lines,
            i.used,
            i.skipped
        );
    }
    s.push_str("</tbody></table></body></html>\n");
    s
}

fn belongs(f: &Finding, t: &TunnelSummary) -> bool {
    f.device == t.device && f.peer == t.peer
}

fn tunnel_findings<'r>(r: &'r Report, t: &TunnelSummary) -> Vec<&'r Finding> {
    r.findings.iter().filter(|f| belongs(f, t)).collect()
}

/// Mermaid `sequenceDiagram` text, one diagram per tunnel, to paste into wikis.
pub fn render_mermaid(report: &Report) -> String {
    let mut s = String::new();
    for t in &report.tunnels {
        let clean = |x: &str| {
            x.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
                .collect::<String>()
        };
        let left = clean(t.device.as_deref().unwrap_or("this device"));
        let right = clean(t.peer.as_deref().unwrap_or("peer"));
        let _ = writeln!(s, "sequenceDiagram");
        let _ = writeln!(s, "    participant A as {left}");
        let _ = writeln!(s, "    participant B as {right}");
        for st in &t.ladder {
            let arrow = if st.retransmitted { "--)" } else { "->>" };
            let (from, to) = if st.direction == "sent" {
                ("A", "B")
            } else {
                ("B", "A")
            };
            let _ = writeln!(
                s,
                "    {from}{arrow}{to}: {}{} (line {})",
                st.message,
                if st.retransmitted { " resent" } else { "" },
                st.line
            );
        }
        let _ = writeln!(
            s,
            "    Note over A,B: {} - {}",
            t.status.as_str(),
            clean(&t.reason)
        );
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipsec_doctor_model::{Code, Evidence, LadderStep};

    fn sample() -> Report {
        let step = |m: &str, d: &str, line| LadderStep {
            message: m.into(),
            direction: d.into(),
            retransmitted: false,
            line,
            time: Some("00:27:07".to_string()),
        };
        Report {
            version: 1,
            inputs: vec![],
            tunnels: vec![TunnelSummary {
                device: Some("R1<script>".into()),
                source: "a.log".into(),
                peer: Some("198.51.100.2".into()),
                local: None,
                platform: Some("ios".into()),
                role: Some("initiator".into()),
                status: Code::PskMismatch,
                reason: "keys differ".into(),
                reached: Some("MM5".into()),
                ladder: vec![
                    step("MM1", "sent", 1),
                    step("MM2", "received", 2),
                    step("MM3", "sent", 3),
                    step("MM4", "received", 4),
                    step("MM5", "sent", 5),
                ],
                lines: [1, 9],
            }],
            findings: vec![Finding {
                code: Code::PskMismatch,
                severity: Severity::Error,
                device: Some("R1<script>".into()),
                peer: Some("198.51.100.2".into()),
                title: "keys differ".into(),
                explanation: "<img src=x onerror=alert(1)>".into(),
                evidence: vec![Evidence {
                    source: "a.log".into(),
                    line: 7,
                    text: "crypto isakmp key hunter2 address 198.51.100.2".into(),
                }],
                fixes: vec![],
                confidence: 0.9,
            }],
        }
    }

    #[test]
    fn html_is_escaped_redacted_and_self_contained() {
        let h = render_html(&sample());
        assert!(!h.contains("<script>") && !h.contains("<img"));
        assert!(h.contains("&lt;script&gt;"));
        assert!(!h.contains("hunter2"));
        assert!(
            !h.contains("http://")
                || h.matches("http://")
                    .all(|_| h.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        );
        assert!(!h.contains("src=\"http") && !h.contains("href=\"http"));
        assert!(h.contains("class=\"step failing\""));
    }

    #[test]
    fn html_snapshot() {
        insta::assert_snapshot!(render_html(&sample()));
    }

    #[test]
    fn mermaid_snapshot() {
        insta::assert_snapshot!(render_mermaid(&sample()));
    }
}
