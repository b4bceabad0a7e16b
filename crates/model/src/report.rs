//! The whole answer for a set of inputs: what was read, every tunnel's
//! status, and the findings.

use crate::{Code, Finding};
use serde::{Deserialize, Serialize};

/// Version of the JSON document layout.
pub const SCHEMA_VERSION: u32 = 1;

/// What was read from one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    /// Path, or `-` for standard input.
    pub source: String,
    /// What the input was taken for (`log`, later `config`, `show`).
    pub kind: String,
    /// Physical lines read.
    pub lines: u64,
    /// Lines recognised and used.
    pub used: u64,
    /// Blank lines and annotations.
    pub ignored: u64,
    /// Lines not recognised (skipped, not fatal).
    pub skipped: u64,
    /// Lines cut at the length limit.
    pub truncated: u64,
    /// Line numbers of the first lines not recognised (at most 20), to look at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_lines: Vec<u64>,
    /// Why reading stopped before the end (a truncated `.gz`, a read
    /// error): what came before was analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Configuration read past because the simulator does not model it
    /// (IKEv2, VTI tunnel protection), with its lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_simulated: Option<String>,
}

/// One step of a negotiation ladder, as seen by the logging device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderStep {
    /// `MM1`…`MM6`, `AM1`…`AM3`, `QM1`…`QM3`.
    pub message: String,
    /// `sent` or `received`, from the logging device's view.
    pub direction: String,
    /// A retransmission.
    pub retransmitted: bool,
    /// Line where it was seen.
    pub line: u64,
    /// The device's timestamp of that line, when it printed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// One tunnel as seen by one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TunnelSummary {
    /// Device that logged it, when named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Input its lines came from.
    pub source: String,
    /// Remote peer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// Local address toward the peer, when seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
    /// `ios`, `asa` or `pix`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// `initiator` or `responder`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The tunnel's status: its most likely root cause, or `tunnel-up`.
    pub status: Code,
    /// One-line reason.
    pub reason: String,
    /// The furthest exchange message reached (`MM4`, `QM1`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached: Option<String>,
    /// The negotiation ladder.
    pub ladder: Vec<LadderStep>,
    /// First and last line of the input that concern this tunnel.
    pub lines: [u64; 2],
}

/// Everything `diagnose` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// JSON layout version.
    pub version: u32,
    /// What was read.
    pub inputs: Vec<InputSummary>,
    /// Every tunnel found, most severe first.
    pub tunnels: Vec<TunnelSummary>,
    /// Every finding, most likely cause first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether any finding is an error (exit status 1).
    pub fn has_problem(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == crate::Severity::Error)
    }
}
