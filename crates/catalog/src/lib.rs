//! The one catalog of Cisco IKE/IPsec messages.
//!
//! [`entries`] is the table; [`Catalog`] compiles it once into a literal
//! prefilter plus per-entry regexes and classifies a message body.

mod entry;
mod matcher;
mod state;
mod table;

pub use entry::{Entry, Phase, Platform, Scope, Signal, Step};
pub use matcher::{Catalog, Located, Match};
pub use state::{state_info, StateInfo};

/// Every catalog entry, in the order they are tried.
pub fn entries() -> &'static [Entry] {
    table::ENTRIES
}
