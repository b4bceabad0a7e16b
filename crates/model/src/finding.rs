//! A finding: what is broken, the lines that prove it, and how to fix it.

use crate::Code;
use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Healthy state or background fact.
    Info,
    /// Worth fixing, does not stop traffic now (audit, transient).
    Warning,
    /// Breaks the tunnel or drops traffic.
    Error,
}

impl Severity {
    /// Lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One input line that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The input it came from (a path, or `-` for standard input).
    pub source: String,
    /// 1-based line number in that input.
    pub line: u64,
    /// The line as it was read (secrets already redacted).
    pub text: String,
}

/// Commands that fix the problem, and on which device to type them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// The device to change (host name or address), or a role such as
    /// "the responder" when the logs do not name it.
    pub device: String,
    /// Why this device is the one to change.
    pub why: String,
    /// Configuration or exec commands, in order. Placeholders are written in
    /// angle brackets (`<pre-shared-key>`).
    pub commands: Vec<String>,
}

/// A diagnosed problem (or the healthy verdict) for one tunnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable root-cause code.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// The device that logged the evidence, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// The remote peer's address (or group name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// One-line summary.
    pub title: String,
    /// Why we think so, in plain words.
    pub explanation: String,
    /// The exact lines that prove it.
    pub evidence: Vec<Evidence>,
    /// How to fix it.
    pub fixes: Vec<Fix>,
    /// 0.0 to 1.0: how sure the analysis is that this is the cause.
    pub confidence: f32,
}

impl Finding {
    /// Orders findings most important first: errors before warnings before
    /// info, then the more confident first.
    pub fn rank_cmp(&self, other: &Finding) -> std::cmp::Ordering {
        other
            .severity
            .cmp(&self.severity)
            .then_with(|| other.confidence.total_cmp(&self.confidence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, severity: Severity, confidence: f32) -> Finding {
        Finding {
            code,
            severity,
            device: None,
            peer: None,
            title: String::new(),
            explanation: String::new(),
            evidence: Vec::new(),
            fixes: Vec::new(),
            confidence,
        }
    }

    #[test]
    fn errors_rank_before_warnings_and_confident_before_unsure() {
        let mut v = [
            finding(Code::WeakCrypto, Severity::Warning, 1.0),
            finding(Code::PfsMismatch, Severity::Error, 0.4),
            finding(Code::PskMismatch, Severity::Error, 0.9),
        ];
        v.sort_by(Finding::rank_cmp);
        let codes: Vec<Code> = v.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [Code::PskMismatch, Code::PfsMismatch, Code::WeakCrypto]
        );
    }
}
