//! Parses Cisco IOS / IOS-XE, ASA and PIX configurations into the
//! vendor-neutral model ([`DeviceConfig`]).
//!
//! ```
//! use ipsec_doctor_config::{detect, parse};
//! use ipsec_doctor_model::config::Platform;
//!
//! let text = "hostname r1\n\
//! crypto isakmp policy 10\n encr aes 256\n authentication pre-share\n\
//! crypto isakmp key 0 s3cret address 192.0.2.2\n";
//! assert_eq!(detect(text), Some(Platform::Ios));
//! let cfg = parse("r1.cfg", text);
//! assert_eq!(cfg.ike_policies[0].group, 1); // IOS default
//! assert!(!cfg.keys[0].origin.text.contains("s3cret"));
//! ```
//!
//! - The platform is detected from the text ([`detect`]); [`parse_as`]
//!   forces one.
//! - Each platform's syntax is read by its own module (`ios`, `asa`,
//!   `pix`) over an indentation tree of numbered lines (`tree`); all of
//!   them fill the same neutral model, completing what the configuration
//!   leaves out with the platform's defaults (ISAKMP policy attributes,
//!   `set pfs` group, SA lifetime).
//! - Every item keeps its line; [`Origin`](ipsec_doctor_model::config::Origin)
//!   texts are redacted. Keys are stored as digests only (type 7 decoded
//!   first, so equal keys compare equal whatever their encoding).
//! - Lines not understood (or whose content the model cannot hold, such
//!   as keys and peers given by host name) are skipped and counted
//!   ([`DeviceConfig::skipped`]; [`parse_with_skipped`] lists them); no input
//!   makes parsing fail or panic.
//!
//! Conventions the analysers rely on:
//!
//! - `NatRule::matches` is read like an ACL: the first entry matching the
//!   traffic decides, and the rule applies when that entry permits.
//!   `DeviceConfig::nat` is in evaluation order (first applicable rule
//!   wins): ASA twice NAT, object NAT (static, then dynamic), `after-auto`;
//!   ASA < 8.3 / PIX `nat 0` exemption, `static`, `nat N`; IOS translating
//!   rules (what the NAT ACL permits), then exemptions (what it denies, the
//!   ACL's actions inverted; a route-map `deny` sequence exempts what its
//!   ACL permits).
//! - Defaults applied: ISAKMP policies IOS/PIX DES, SHA-1, RSA signatures,
//!   group 1, 86400 s; ASA 3DES, SHA-1, pre-share, group 2, 86400 s. Bare
//!   `set pfs`: group 1 (IOS, PIX), group 2 (ASA). Global SA lifetime 3600 s
//!   (IOS), 28800 s (ASA, PIX), 4 608 000 KB; an entry lifetime that sets one
//!   of the two takes the other from the global one. PIX without
//!   `sysopt connection permit-ipsec`: `Some(false)`.
//! - Transforms are lower-case, one word each: `esp-aes 256` →
//!   `esp-aes-256`; AES-128 is `esp-aes` whatever the spelling.
//! - ACL entries keep the syntax's meaning: IOS wildcards as typed
//!   (normalised, discontiguous kept), ASA/PIX masks turned into wildcards;
//!   object-groups expanded (at most 4096 entries per line, 1 000 000 per
//!   configuration). Standard ACLs hold their one address as the source.
//! - Keys: digests only. Type 7 is decoded first; type 6/8/9 digest their
//!   encrypted text under a prefix (equal only to the same text); masked
//!   keys (`*****`) equal nothing. ASA tunnel-group keys are bound to the
//!   group's address (`DefaultL2LGroup` = 0.0.0.0/0); an IOS keyring's
//!   `local-address` is kept (`keyring_local_address`) so that its keys
//!   serve only IKE on that address; a crypto map bound to
//!   an interface never defined (a fragment) creates that interface.

mod acl;
mod asa;
mod build;
mod cryptomap;
mod detect;
mod ike;
mod ikev2;
mod ios;
mod nat;
mod objects;
mod pix;
mod tree;
mod type7;
mod unsupported;
mod util;
mod vti;

pub use acl::{port_number, protocol_number};
pub use type7::decode_type7;
pub use unsupported::{not_simulated, not_simulated_summary, NotSimulated};

use ipsec_doctor_model::config::{AclEntry, DeviceConfig, Origin, Platform};

/// Reads one access-list entry as `show` output prints it, from `permit` /
/// `deny` on (`permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255`), in the
/// platform's address syntax (IOS wildcards, PIX/ASA masks). Object groups
/// cannot be resolved outside a configuration: such entries give `None`,
/// as do entries that cannot be read. `Some(vec![])` for entries that
/// match nothing representable (IPv6).
pub fn parse_acl_entry(text: &str, platform: Platform, origin: Origin) -> Option<Vec<AclEntry>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let syntax = match platform {
        Platform::Ios => acl::Syntax::Wildcard,
        _ => acl::Syntax::Mask,
    };
    acl::parse_entry(&objects::Objects::default(), &words, syntax, false, &origin)
}

/// The platform of a configuration, or `None` when `text` is not a
/// configuration (a debug log, syslog, `show` output, prose).
pub fn detect(text: &str) -> Option<Platform> {
    let s = detect::sniff(text);
    s.is_config().then(|| s.platform())
}

/// Whether `text` looks like a configuration (of any platform).
pub fn looks_like_config(text: &str) -> bool {
    detect::sniff(text).is_config()
}

/// Parses a configuration, detecting its platform (IOS when nothing tells).
/// `source_name` is the input's name, kept in the result for evidence.
pub fn parse(source_name: &str, text: &str) -> DeviceConfig {
    parse_as(source_name, text, detect::sniff(text).platform())
}

/// Parses raw bytes (invalid UTF-8 replaced), detecting the platform.
pub fn parse_bytes(source_name: &str, bytes: &[u8]) -> DeviceConfig {
    parse(source_name, &String::from_utf8_lossy(bytes))
}

/// Parses a configuration of a known platform.
pub fn parse_as(source_name: &str, text: &str, platform: Platform) -> DeviceConfig {
    parse_with_skipped(source_name, text, platform).0
}

/// Parses a configuration of a known platform and also returns the
/// numbers of the lines it skipped (not understood), in order — what
/// [`DeviceConfig::skipped`] counts.
pub fn parse_with_skipped(
    source_name: &str,
    text: &str,
    platform: Platform,
) -> (DeviceConfig, Vec<u64>) {
    // PIX 6.x configurations are flat: nothing there enters a mode.
    let tree = tree::parse_typed(text, platform != Platform::Pix);
    let mut b = build::Builder::new(source_name, platform, &tree);
    match platform {
        Platform::Ios => ios::parse(&mut b, &tree),
        Platform::Asa | Platform::Pix => asa::parse(&mut b, &tree),
    }
    b.finish(&tree)
}
