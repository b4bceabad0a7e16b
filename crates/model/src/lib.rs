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

/// Whether `peer`, an address as a device prints it, is a multicast group.
/// IPsec SAs to a group protect a routing protocol's multicast (OSPFv3
/// authentication or encryption: `current_peer FF02::5`, manual keys), not
/// a tunnel to a peer, so neither the log nor the show reading makes one of
/// them.
pub fn is_group_address(peer: &str) -> bool {
    peer.parse::<std::net::IpAddr>()
        .is_ok_and(|a| a.is_multicast())
}
