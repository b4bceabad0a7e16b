//! Plain data types shared by every ipsec-doctor crate.
//!
//! A [`Finding`] is the unit of output: analysers (log diagnosis, config
//! simulation, show-output checks) produce findings, renderers format them.
//! [`Code`] is the stable root-cause vocabulary (JSON field `code`).

mod code;
pub mod config;
mod finding;
pub mod prompt;
pub mod redact;
mod report;

pub use code::{Code, ParseCodeError};
pub use finding::{Evidence, Finding, Fix, Severity};
pub use report::{InputSummary, LadderStep, Report, TunnelSummary, SCHEMA_VERSION};
