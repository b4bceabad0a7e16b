//! IOS `show crypto isakmp key`: the pre-shared keys by keyring and peer.
//!
//! ```text
//! Keyring      Hostname/Address                            Preshared Key
//!
//! default      10.10.10.2                                  cisco
//! default      0.0.0.0        [0.0.0.0        ]            Cisco!23
//! VPN-KR       192.0.2.0      [255.255.255.0  ]            other
//! ```
//!
//! The key itself is never kept: only a salted digest that compares equal
//! for equal keys within one run, and evidence lines with the key blanked.

use crate::text::{trim, words, Text};
use crate::{LineRef, Notes, What};
use ipsec_doctor_model::config::SecretDigest;
use serde::Serialize;
use std::net::Ipv4Addr;

/// One row of `show crypto isakmp key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsakmpKey {
    /// Line of the row.
    pub line: u64,
    /// Keyring (`default` for `crypto isakmp key`).
    pub keyring: Text,
    /// The peer as printed: an address, a network, or a hostname.
    pub peer: Text,
    /// The mask printed in brackets after a network key (`[0.0.0.0 ]` for a
    /// wildcard key); none for a host key.
    pub mask: Option<Text>,
    /// Salted digest of the key (the key is never kept).
    pub key: SecretDigest,
    /// The row with its key blanked, for evidence.
    #[serde(skip)]
    pub evidence: LineRef,
}

impl IsakmpKey {
    /// Whether this key is used for `addr` (a host key for it, or a network
    /// or wildcard key that covers it).
    pub fn covers(&self, addr: Ipv4Addr) -> bool {
        let Ok(peer) = self.peer.parse::<Ipv4Addr>() else {
            return false;
        };
        let mask = match self.mask.as_deref() {
            None => Ipv4Addr::BROADCAST,
            Some(m) => match m.parse::<Ipv4Addr>() {
                Ok(m) => m,
                Err(_) => return false,
            },
        };
        let m = u32::from(mask);
        u32::from(peer) & m == u32::from(addr) & m
    }

    /// Whether this is a host key (one address), not a network or wildcard.
    pub fn is_host(&self) -> bool {
        self.peer.parse::<Ipv4Addr>().is_ok()
            && self
                .mask
                .as_deref()
                .is_none_or(|m| m.parse::<Ipv4Addr>() == Ok(Ipv4Addr::BROADCAST))
    }
}

/// Reads the rows of `show crypto isakmp key`.
#[derive(Debug, Default)]
pub(crate) struct KeyParser;

impl KeyParser {
    pub(crate) fn reset(&mut self) {}

    /// One line; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<IsakmpKey>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> bool {
        if s.starts_with("Keyring") && s.contains("Hostname/Address") {
            return true;
        }
        // `KEYRING  PEER [ [MASK ] ]  KEY`: the bracketed mask may hold
        // the padding spaces IOS puts before its closing bracket.
        let (head, mask, key_part) = match (s.find('['), s.find(']')) {
            (Some(open), Some(close)) if open < close => {
                (&s[..open], Some(trim(&s[open + 1..close])), &s[close + 1..])
            }
            _ => (s, None, ""),
        };
        let mut w = words(head);
        let (Some(keyring), Some(peer)) = (w.next(), w.next()) else {
            return false;
        };
        let key = match mask {
            Some(_) => {
                if w.next().is_some() {
                    return false;
                }
                let mut k = words(key_part);
                match (k.next(), k.next()) {
                    (Some(key), None) => key,
                    _ => return false,
                }
            }
            None => match (w.next(), w.next()) {
                (Some(key), None) => key,
                _ => return false,
            },
        };
        if !plausible_peer(peer) || mask.is_some_and(|m| m.parse::<Ipv4Addr>().is_err()) {
            return false;
        }
        // The evidence keeps the row's shape without the key.
        let at = key.as_ptr() as usize - s.as_ptr() as usize;
        let shown = format!("{}<redacted>", &s[..at]);
        out.push(IsakmpKey {
            line: no,
            keyring: Text::from(keyring),
            peer: Text::from(peer),
            mask: mask.map(Text::from),
            key: SecretDigest::of(key),
            evidence: LineRef::new(notes, no, &shown, What::Row),
        });
        true
    }
}

/// An address, an IPv6 address or prefix, or a hostname.
fn plausible_peer(p: &str) -> bool {
    p.parse::<Ipv4Addr>().is_ok()
        || (p.contains(':')
            && p.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'/'))
        || (p.contains('.')
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_line_is_read_without_panic(
            lines in proptest::collection::vec("(\\PC|[()\\[\\] ]){0,60}", 0..8)
        ) {
            let mut notes = Notes::default();
            let mut out = Vec::new();
            let mut p = KeyParser;
            for (i, l) in lines.iter().enumerate() {
                p.line(&mut out, &mut notes, i as u64 + 1, l);
            }
        }
    }

    fn parse(lines: &[&str]) -> Vec<IsakmpKey> {
        let mut notes = Notes::default();
        let mut out = Vec::new();
        let mut p = KeyParser;
        for (i, l) in lines.iter().enumerate() {
            p.line(&mut out, &mut notes, i as u64 + 1, l);
        }
        out
    }

    #[test]
    fn host_wildcard_and_network_rows() {
        let k = parse(&[
            "Keyring      Hostname/Address                            Preshared Key",
            "default      10.10.10.2                                  cisco",
            "default      0.0.0.0        [0.0.0.0        ]            Cisco!23",
            "VPN-KR       192.0.2.0      [255.255.255.0  ]            other",
            "default      peer1.example.net                           fqdnkey",
        ]);
        assert_eq!(k.len(), 4);
        assert!(k[0].is_host() && k[0].covers("10.10.10.2".parse().unwrap()));
        assert!(!k[0].covers("10.10.10.3".parse().unwrap()));
        assert!(k[1].covers("198.51.100.7".parse().unwrap()) && !k[1].is_host());
        assert_eq!(k[2].keyring.as_str(), "VPN-KR");
        assert!(k[2].covers("192.0.2.77".parse().unwrap()));
        assert!(!k[2].covers("192.0.3.1".parse().unwrap()));
        assert_eq!(k[3].peer.as_str(), "peer1.example.net");
        assert!(!k[3].covers("10.10.10.2".parse().unwrap()));
        assert_eq!(k[0].key, SecretDigest::of("cisco"));
        assert_ne!(k[0].key, k[1].key);
    }

    #[test]
    fn other_lines_are_not_keys() {
        assert!(parse(&[
            "IPv4 Crypto ISAKMP SA",
            "dst             src             state          conn-id status",
            "Success rate is 100 percent (5/5)",
            "default",
        ])
        .is_empty());
    }
}
