//! Crypto map entries (static and dynamic) and transform sets.
//!
//! IOS writes an entry as a block (`crypto map M 10 ipsec-isakmp` then
//! ` set peer …`); ASA and PIX write one line per attribute
//! (`crypto map M 10 set peer …`). Both feed the same [`MapDraft`].

use crate::objects::Objects;
use crate::util::{dh_group, num};
use ipsec_doctor_model::config::{CryptoMapEntry, Origin, SaLifetime};
use std::net::Ipv4Addr;

/// `kilobytes unlimited` / `disable`: no volume limit.
pub const KILOBYTES_UNLIMITED: u64 = u64::MAX;

/// A crypto map entry while its lines are read.
#[derive(Debug, Clone)]
pub struct MapDraft {
    origin: Origin,
    /// `ipsec-manual` / `gdoi` entries are not IKE entries: dropped.
    pub manual: bool,
    dynamic_ref: Option<String>,
    peers: Vec<Ipv4Addr>,
    acl: Option<String>,
    transform_sets: Vec<String>,
    pfs: Option<u8>,
    seconds: Option<u32>,
    kilobytes: Option<u64>,
}

/// Reads `seconds N` / `kilobytes N|unlimited|disable` pairs.
pub fn lifetime_pairs(w: &[&str]) -> Option<(Option<u32>, Option<u64>)> {
    let (mut s, mut k) = (None, None);
    for pair in w.chunks(2) {
        let [what, value] = pair else {
            return None;
        };
        match what.to_ascii_lowercase().as_str() {
            "seconds" => s = Some(num(value)?),
            "kilobytes" => {
                k = Some(match value.to_ascii_lowercase().as_str() {
                    "unlimited" | "disable" => KILOBYTES_UNLIMITED,
                    v => num(v)?,
                })
            }
            _ => return None,
        }
    }
    (s.is_some() || k.is_some()).then_some((s, k))
}

impl MapDraft {
    /// An entry first seen at `origin`.
    pub fn new(origin: Origin) -> MapDraft {
        MapDraft {
            origin,
            manual: false,
            dynamic_ref: None,
            peers: Vec::new(),
            acl: None,
            transform_sets: Vec::new(),
            pfs: None,
            seconds: None,
            kilobytes: None,
        }
    }

    /// Applies one attribute, written after `crypto map NAME SEQ` (ASA) or
    /// as a sub-command (IOS): `set peer …`, `match address …`,
    /// `set [ikev1] transform-set …`, `set pfs [groupN]`,
    /// `set security-association lifetime …`, `ipsec-isakmp [dynamic D]`.
    /// `pfs_default` is the group `set pfs` alone means. False when not
    /// understood (or, for `set peer`, when a peer is a host name).
    pub fn apply(&mut self, w: &[&str], objs: &Objects, pfs_default: u8) -> bool {
        let lw = crate::util::lower(w);
        let k = crate::util::keys(&lw);
        match k.as_slice() {
            ["ipsec-isakmp", "dynamic", _, ..] => {
                self.dynamic_ref = Some(w[2].to_string());
                true
            }
            ["ipsec-isakmp", ..] => true,
            ["ipsec-manual"] | ["gdoi"] => {
                self.manual = true;
                true
            }
            ["match", "address", _] => {
                self.acl = Some(w[2].to_string());
                true
            }
            ["set", "peer", peers @ ..] if !peers.is_empty() => {
                let mut all = true;
                for p in &w[2..] {
                    if p.eq_ignore_ascii_case("default") || p.eq_ignore_ascii_case("dynamic") {
                        continue;
                    }
                    match objs.address(p) {
                        Some(a) if !self.peers.contains(&a) => self.peers.push(a),
                        Some(_) => {}
                        None => all = false,
                    }
                }
                all
            }
            ["set", "transform-set", ts @ ..] | ["set", "ikev1", "transform-set", ts @ ..]
                if !ts.is_empty() =>
            {
                let n = ts.len();
                self.transform_sets = w[w.len() - n..].iter().map(|t| t.to_string()).collect();
                true
            }
            ["set", "pfs"] => {
                self.pfs = Some(pfs_default);
                true
            }
            ["set", "pfs", g] => match dh_group(g) {
                Some(g) => {
                    self.pfs = Some(g);
                    true
                }
                None => false,
            },
            ["set", "security-association", "lifetime", rest @ ..] => match lifetime_pairs(rest) {
                Some((s, kb)) => {
                    self.seconds = s.or(self.seconds);
                    self.kilobytes = kb.or(self.kilobytes);
                    true
                }
                None => false,
            },
            ["set", "security-association", ..]
            | ["set", "isakmp-profile"
            | "connection-type"
            | "ikev1"
            | "ikev2"
            | "nat-t-disable"
            | "reverse-route"
            | "phase1-mode"
            | "inheritance"
            | "trustpoint"
            | "tfc-packets"
            | "df-bit"
            | "validate-icmp-errors"
            | "nat", ..]
            | ["description" | "reverse-route" | "qos", ..] => true,
            _ => false,
        }
    }

    /// The finished entry; a lifetime that sets only one of seconds and
    /// kilobytes takes the other from the global lifetime.
    pub fn finish(&self, map: &str, seq: u32, global: &SaLifetime) -> CryptoMapEntry {
        let lifetime = (self.seconds.is_some() || self.kilobytes.is_some()).then(|| SaLifetime {
            seconds: self.seconds.unwrap_or(global.seconds),
            kilobytes: self.kilobytes.unwrap_or(global.kilobytes),
        });
        CryptoMapEntry {
            map: map.to_string(),
            seq,
            dynamic_ref: self.dynamic_ref.clone(),
            peers: self.peers.clone(),
            acl: self.acl.clone(),
            transform_sets: self.transform_sets.clone(),
            pfs: self.pfs,
            lifetime,
            origin: self.origin.clone(),
        }
    }
}

/// Transforms normalised lower-case, one name per transform: IOS
/// `esp-aes 256` → `esp-aes-256`, `esp-aes` / `esp-aes 128` / `esp-aes-128`
/// → `esp-aes` (the ASA name of AES-128), same for `esp-gcm`/`esp-gmac`,
/// `esp-sha-256-hmac` → `esp-sha256-hmac`.
pub fn normalise_transforms(words: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let t = w.to_ascii_lowercase();
        if t.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(last) = out.last_mut() {
                if matches!(last.as_str(), "esp-aes" | "esp-gcm" | "esp-gmac") {
                    if t != "128" {
                        last.push('-');
                        last.push_str(&t);
                    }
                    continue;
                }
            }
        }
        let t = match t.as_str() {
            "esp-aes-128" => "esp-aes".to_string(),
            "esp-gcm-128" => "esp-gcm".to_string(),
            "esp-gmac-128" => "esp-gmac".to_string(),
            "esp-sha-256-hmac" => "esp-sha256-hmac".to_string(),
            "esp-sha-384-hmac" => "esp-sha384-hmac".to_string(),
            "esp-sha-512-hmac" => "esp-sha512-hmac".to_string(),
            _ => t,
        };
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_are_normalised() {
        assert_eq!(
            normalise_transforms(&["esp-aes", "256", "esp-sha-hmac"]),
            vec!["esp-aes-256", "esp-sha-hmac"]
        );
        assert_eq!(normalise_transforms(&["esp-aes", "128"]), vec!["esp-aes"]);
        assert_eq!(
            normalise_transforms(&["ESP-AES-128", "esp-sha-256-hmac"]),
            vec!["esp-aes", "esp-sha256-hmac"]
        );
        assert_eq!(
            normalise_transforms(&["esp-gcm", "256"]),
            vec!["esp-gcm-256"]
        );
        assert_eq!(
            normalise_transforms(&["esp-3des", "esp-md5-hmac", "comp-lzs"]).len(),
            3
        );
    }

    #[test]
    fn entry_attributes() {
        let o = Objects::default();
        let mut d = MapDraft::new(Origin::default());
        assert!(d.apply(&["set", "peer", "192.0.2.1", "192.0.2.2"], &o, 2));
        assert!(d.apply(&["set", "peer", "192.0.2.1"], &o, 2));
        assert!(!d.apply(&["set", "peer", "vpn.example.com"], &o, 2));
        assert!(d.apply(&["set", "pfs"], &o, 2));
        assert!(d.apply(&["set", "ikev1", "transform-set", "A", "B"], &o, 2));
        assert!(d.apply(
            &[
                "set",
                "security-association",
                "lifetime",
                "seconds",
                "3600",
                "kilobytes",
                "100000"
            ],
            &o,
            2
        ));
        assert!(!d.apply(
            &["set", "security-association", "lifetime", "seconds"],
            &o,
            2
        ));
        assert!(d.apply(&["ipsec-isakmp", "dynamic", "DYN"], &o, 2));
        let e = d.finish("M", 10, &SaLifetime::default());
        assert_eq!(e.peers.len(), 2);
        assert_eq!(e.pfs, Some(2));
        assert_eq!(e.transform_sets, vec!["A", "B"]);
        assert_eq!(
            e.lifetime,
            Some(SaLifetime {
                seconds: 3600,
                kilobytes: 100_000
            })
        );
        assert_eq!(e.dynamic_ref.as_deref(), Some("DYN"));
        let mut d = MapDraft::new(Origin::default());
        assert!(d.apply(
            &[
                "set",
                "security-association",
                "lifetime",
                "kilobytes",
                "5000"
            ],
            &o,
            1
        ));
        let g = SaLifetime {
            seconds: 28_800,
            kilobytes: 1,
        };
        assert_eq!(
            d.finish("M", 1, &g).lifetime,
            Some(SaLifetime {
                seconds: 28_800,
                kilobytes: 5000
            })
        );
    }
}
