//! IPsec overhead and the largest packet a tunnel carries unfragmented.
//!
//! The computation is the one IOS prints as `plaintext mtu`: the ESP
//! payload (packet + 2 trailer bytes, padded to the cipher block) plus the
//! ESP header, IV and ICV, the outer IP header (tunnel mode) and the UDP
//! header (NAT-T) must fit the path MTU.

use crate::text::words;
use serde::Serialize;

/// Sizes of one transform (`esp-aes-256 esp-sha-hmac`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TransformSizes {
    /// Cipher block size the payload is padded to.
    pub block: u32,
    /// IV length.
    pub iv: u32,
    /// Integrity check value length.
    pub icv: u32,
    /// AH header (with ICV) when AH is in the transform.
    pub ah: u32,
    /// ESP is in use.
    pub esp: bool,
}

impl TransformSizes {
    /// Reads a transform string as `show crypto ipsec sa` prints it.
    /// Unknown words are ignored; `None` when neither ESP nor AH appears.
    pub fn of(transform: &str) -> Option<TransformSizes> {
        let t = transform.to_ascii_lowercase();
        let mut s = TransformSizes {
            block: 4,
            iv: 0,
            icv: 0,
            ah: 0,
            esp: false,
        };
        let mut any = false;
        // An AEAD cipher carries its own ICV: the `esp-null-hmac` ASA
        // prints next to `esp-aes-gcm-256` adds nothing to it.
        let mut aead = false;
        for w in words(&t) {
            if let Some(alg) = w.strip_prefix("esp-") {
                any = true;
                s.esp = true;
                if alg.contains("gcm") || alg.contains("gmac") {
                    aead = true;
                    s.block = 4;
                    s.iv = 8;
                    s.icv = 16;
                } else if alg.contains("aes") {
                    s.block = 16;
                    s.iv = 16;
                } else if alg.contains("des") {
                    s.block = 8;
                    s.iv = 8;
                } else if alg.contains("seal") {
                    s.block = 4;
                    s.iv = 0;
                } else if alg.ends_with("hmac") && !aead {
                    s.icv = icv_of(alg);
                }
            } else if let Some(alg) = w.strip_prefix("ah-") {
                any = true;
                s.ah = 12 + icv_of(alg);
            }
        }
        any.then_some(s)
    }
}

/// ICV length of an integrity algorithm: IOS spells it `sha256-hmac`, ASA
/// `sha-256-hmac`.
fn icv_of(alg: &str) -> u32 {
    let has = |ios: &str, asa: &str| alg.contains(ios) || alg.contains(asa);
    if has("sha512", "sha-512") {
        32
    } else if has("sha384", "sha-384") {
        24
    } else if has("sha256", "sha-256") {
        16
    } else if alg.contains("null") || alg == "none" {
        0
    } else {
        12
    }
}

/// The largest IP packet that fits through the tunnel unfragmented, as IOS
/// computes `plaintext mtu`.
pub fn plaintext_mtu(
    path_mtu: u32,
    transform: &str,
    tunnel_mode: bool,
    nat_t: bool,
) -> Option<u32> {
    let t = TransformSizes::of(transform)?;
    let outer = 20 + if nat_t { 8 } else { 0 };
    let fixed = outer + t.ah + if t.esp { 8 + t.iv + t.icv } else { 0 };
    let avail = path_mtu.checked_sub(fixed)?;
    let inner = if t.esp {
        (avail / t.block * t.block).checked_sub(2)?
    } else {
        avail
    };
    // In transport mode the original IP header stays outside the ESP
    // payload and the outer header is the original one.
    Some(if tunnel_mode { inner } else { inner + 20 })
}

/// Overhead added to a maximal packet: `path_mtu - plaintext_mtu`.
pub fn overhead(path_mtu: u32, transform: &str, tunnel_mode: bool, nat_t: bool) -> Option<u32> {
    plaintext_mtu(path_mtu, transform, tunnel_mode, nat_t).map(|p| path_mtu.saturating_sub(p))
}

/// The `ip tcp adjust-mss` value for a tunnel: largest packet − 40 (IP and
/// TCP headers).
pub fn adjust_mss(plaintext: u32) -> u32 {
    plaintext.saturating_sub(40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_what_ios_prints() {
        // s07: IOS-XE, esp-256-aes esp-sha-hmac, tunnel, no NAT-T: plaintext mtu 1438.
        assert_eq!(
            plaintext_mtu(1500, "esp-256-aes esp-sha-hmac", true, false),
            Some(1438)
        );
        // ntc IOS-XE: transport + UDP-Encaps: plaintext mtu 1442.
        assert_eq!(
            plaintext_mtu(1500, "esp-256-aes esp-sha-hmac", false, true),
            Some(1442)
        );
        assert_eq!(
            overhead(1500, "esp-256-aes esp-sha-hmac", true, false),
            Some(62)
        );
        assert!(plaintext_mtu(1500, "comp-lzs", true, false).is_none());
        assert_eq!(
            plaintext_mtu(10, "esp-3des esp-md5-hmac", true, false),
            None
        );
        assert_eq!(adjust_mss(1438), 1398);
        // ASA spellings size like the IOS ones.
        for (asa, ios) in [
            (
                "esp-aes-256 esp-sha-256-hmac no compression",
                "esp-256-aes esp-sha256-hmac",
            ),
            (
                "esp-aes-256 esp-sha-512-hmac no compression",
                "esp-256-aes esp-sha512-hmac",
            ),
            (
                "esp-aes-gcm-256 esp-null-hmac no compression",
                "esp-gcm 256",
            ),
        ] {
            assert_eq!(TransformSizes::of(asa), TransformSizes::of(ios), "{asa}");
        }
        assert_eq!(
            TransformSizes::of("esp-aes-256 esp-sha-256-hmac").map(|t| t.icv),
            Some(16)
        );
    }
}
