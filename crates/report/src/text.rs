//! Text output for people.

use anstyle::{AnsiColor, Effects, Style};
use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Finding, Report, Severity};
use std::fmt::Write;

/// How to render text.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// Show info findings (healthy tunnels, recovered transients).
    pub verbose: bool,
    /// Wrap prose at this width.
    pub width: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            color: false,
            verbose: true,
            width: 100,
        }
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => Style::new()
            .fg_color(Some(AnsiColor::Red.into()))
            .effects(Effects::BOLD),
        Severity::Warning => Style::new()
            .fg_color(Some(AnsiColor::Yellow.into()))
            .effects(Effects::BOLD),
        Severity::Info => Style::new()
            .fg_color(Some(AnsiColor::Green.into()))
            .effects(Effects::BOLD),
    }
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

/// The report as text.
pub fn render_text(report: &Report, opts: TextOptions) -> String {
    let p = Paint { on: opts.color };
    let bold = Style::new().effects(Effects::BOLD);
    let dim = Style::new().effects(Effects::DIMMED);
    let mut out = String::new();

    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let verdict = if errors > 0 {
        p.paint(
            severity_style(Severity::Error),
            &format!("{errors} problem(s) found"),
        )
    } else if warnings > 0 {
        p.paint(
            severity_style(Severity::Warning),
            &format!("no failure, {warnings} warning(s)"),
        )
    } else if report.findings.is_empty() && report.tunnels.is_empty() {
        "no IPsec negotiation or error recognised".to_string()
    } else {
        p.paint(severity_style(Severity::Info), "healthy")
    };
    let _ = writeln!(
        out,
        "{} {} tunnel(s), {verdict}",
        p.paint(bold, "ipsec-doctor:"),
        report.tunnels.len()
    );
    for i in &report.inputs {
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                dim,
                &format!(
                    "  read {}: {} lines ({} used, {} blank/annotation, {} not recognised{}){}",
                    i.source,
                    i.lines,
                    i.used,
                    i.ignored,
                    i.skipped,
                    if i.truncated > 0 {
                        format!(", {} cut at the length limit", i.truncated)
                    } else {
                        String::new()
                    },
                    match (&i.stopped, &i.not_simulated) {
                        (Some(why), _) => format!(
                            " — reading stopped early ({why}); what came before is analysed"
                        ),
                        (None, Some(what)) =>
                            format!(" — not simulated: {what}; only crypto maps (IKEv1, IKEv2 with pre-shared keys) are"),
                        (None, None) => String::new(),
                    }
                )
            )
        );
    }

    if !report.tunnels.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(bold, "Tunnels"));
        let rows: Vec<[String; 6]> = report
            .tunnels
            .iter()
            .map(|t| {
                [
                    t.device.clone().unwrap_or_else(|| "-".into()),
                    t.peer.clone().unwrap_or_else(|| "-".into()),
                    t.role.clone().unwrap_or_else(|| "-".into()),
                    t.reached.clone().unwrap_or_else(|| "-".into()),
                    t.status.as_str().to_string(),
                    t.reason.clone(),
                ]
            })
            .collect();
        let head = ["DEVICE", "PEER", "ROLE", "REACHED", "STATUS", "REASON"];
        let mut w = [0usize; 5];
        for r in rows.iter().map(|r| r[..5].to_vec()).chain(std::iter::once(
            head[..5].iter().map(|s| s.to_string()).collect(),
        )) {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let _ = writeln!(
            out,
            "  {:w0$}  {:w1$}  {:w2$}  {:w3$}  {:w4$}  {}",
            head[0],
            head[1],
            head[2],
            head[3],
            head[4],
            head[5],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
            w4 = w[4]
        );
        for (r, t) in rows.iter().zip(&report.tunnels) {
            let status = format!("{:w$}", r[4], w = w[4]);
            let sev = if t.status.is_failure() {
                Severity::Error
            } else if t.status.as_str() == "weak-crypto" {
                Severity::Warning
            } else {
                Severity::Info
            };
            let _ = writeln!(
                out,
                "  {:w0$}  {:w1$}  {:w2$}  {:w3$}  {}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                p.paint(severity_style(sev), &status),
                r[5],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3]
            );
        }
    }

    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.verbose || f.severity != Severity::Info)
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(bold, "Findings (most likely cause first)")
        );
    }
    for (n, f) in shown.iter().enumerate() {
        let where_ = match (&f.device, &f.peer) {
            (Some(d), Some(pe)) => format!("on {d}, peer {pe}"),
            (Some(d), None) => format!("on {d}"),
            (None, Some(pe)) => format!("peer {pe}"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "\n{}. {} {}  {}",
            n + 1,
            p.paint(severity_style(f.severity), f.code.as_str()),
            p.paint(
                dim,
                &format!("[{}, confidence {:.2}]", f.severity.as_str(), f.confidence)
            ),
            where_
        );
        out.push_str(&wrap(&f.title, opts.width, "   "));
        out.push_str(&wrap(&redact(&f.explanation), opts.width, "   "));
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "   {}", p.paint(bold, "Evidence:"));
            for e in &f.evidence {
                let _ = writeln!(
                    out,
                    "     {} {}",
                    p.paint(dim, &format!("{}:{}", e.source, e.line)),
                    redact(&e.text)
                );
            }
        }
        for fix in &f.fixes {
            let _ = writeln!(
                out,
                "   {} {} {}",
                p.paint(bold, "Fix on"),
                p.paint(bold, &fix.device),
                p.paint(dim, &format!("({})", fix.why))
            );
            for c in &fix.commands {
                let _ = writeln!(out, "       {}", redact(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipsec_doctor_model::{Code, Evidence, Fix, InputSummary, TunnelSummary};

    fn sample() -> Report {
        Report {
            version: 1,
            inputs: vec![InputSummary {
                source: "a.log".into(),
                kind: "log".into(),
                lines: 3,
                used: 2,
                ignored: 1,
                skipped: 0,
                truncated: 0,
                skipped_lines: vec![],
                stopped: None,
                not_simulated: None,
            }],
            tunnels: vec![TunnelSummary {
                device: Some("spoke1".into()),
                source: "a.log".into(),
                peer: Some("203.0.113.1".into()),
                local: None,
                platform: Some("ios".into()),
                role: Some("initiator".into()),
                status: Code::PskMissing,
                reason: "No pre-shared key for the peer".into(),
                reached: None,
                ladder: vec![],
                lines: [1, 2],
            }],
            findings: vec![Finding {
                code: Code::PskMissing,
                severity: Severity::Error,
                device: Some("spoke1".into()),
                peer: Some("203.0.113.1".into()),
                title: "No pre-shared key for the peer".into(),
                explanation: "spoke1 has no key.".into(),
                evidence: vec![Evidence {
                    source: "a.log".into(),
                    line: 2,
                    text: "spoke1(config)#crypto isakmp key s3cr3t address 203.0.113.1".into(),
                }],
                fixes: vec![Fix {
                    device: "spoke1".into(),
                    why: "add it".into(),
                    commands: vec!["crypto isakmp key <pre-shared-key> address 203.0.113.1".into()],
                }],
                confidence: 0.95,
            }],
        }
    }

    #[test]
    fn text_report_snapshot() {
        insta::assert_snapshot!(render_text(&sample(), TextOptions::default()));
    }

    #[test]
    fn json_report_snapshot_and_no_secret() {
        let j = crate::render_json(&sample());
        assert!(!j.contains("s3cr3t"));
        insta::assert_snapshot!(j);
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = render_text(&sample(), TextOptions::default());
        assert!(!plain.contains('\u{1b}'));
        let coloured = render_text(
            &sample(),
            TextOptions {
                color: true,
                ..TextOptions::default()
            },
        );
        assert!(coloured.contains('\u{1b}'));
        assert!(!coloured.contains("s3cr3t") && !plain.contains("s3cr3t"));
    }
}
