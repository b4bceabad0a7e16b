//! Stable root-cause codes. Existing codes keep their meaning forever; new
//! ones may be added.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A root cause (or the healthy outcome) of an IPsec tunnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// Both phases succeed.
    TunnelUp,
    /// No ISAKMP policy matches (encryption, hash, authentication, group, lifetime).
    Phase1PolicyMismatch,
    /// The pre-shared keys differ.
    PskMismatch,
    /// No key (or certificate) for the peer's address.
    PskMissing,
    /// `set peer` / tunnel-group / key address does not match the other end.
    PeerAddressMismatch,
    /// No answer from the peer.
    PeerUnreachable,
    /// Crypto map on the wrong interface, or `local-address` forces a wrong identity.
    InvalidLocalAddress,
    /// No crypto map applied, or no entry for this peer.
    CryptoMapMissing,
    /// Crypto ACLs are not mirror images.
    ProxyIdMismatch,
    /// No common phase-2 transform.
    TransformSetMismatch,
    /// PFS required on one side only, or different groups.
    PfsMismatch,
    /// A broader crypto map entry shadows a more specific one.
    CryptoMapOrder,
    /// Crypto ACLs of different entries overlap.
    CryptoAclOverlap,
    /// The crypto ACL matches no real traffic.
    CryptoAclInvalid,
    /// The same ACL serves NAT exemption and crypto.
    AclReused,
    /// VPN traffic is translated before encryption.
    NatExemptionMissing,
    /// No route to the remote network or back to the client pool.
    RouteMissing,
    /// Remote access: all traffic tunnelled, or split ACL wrong.
    SplitTunnel,
    /// PIX/ASA drops decrypted traffic.
    SysoptPermitIpsecMissing,
    /// Oversized packets after IPsec overhead.
    MtuFragmentation,
    /// Replay / ESP sequence failures from reordering.
    ReplayReordering,
    /// Packets for an SA the receiver does not have.
    InvalidSpi,
    /// Packets corrupted in transit or by a crypto accelerator.
    HmacFailure,
    /// The platform cannot do the crypto it is asked to.
    CryptoEngineUnsupported,
    /// Encrypts but never decrypts (or the reverse).
    OneWayTraffic,
    /// Weak algorithms in use (an audit finding, not a failure).
    WeakCrypto,
    /// Remote access: extended authentication (XAUTH) or group authorisation failed.
    XauthFailed,
    /// Remote access: no address left (or no pool) to give the client.
    AddressPoolExhausted,
    /// The device refuses more tunnels or negotiations (license or platform limit).
    TunnelLimit,
    /// Certificate authentication fails: the peer's certificate is invalid
    /// (expired, untrusted, revoked or unverifiable) or in a form this end
    /// cannot use. (A certificate that is missing is `PskMissing`.)
    CertificateInvalid,
}

impl Code {
    /// Every code, in table order.
    pub const ALL: [Code; 30] = [
        Code::TunnelUp,
        Code::Phase1PolicyMismatch,
        Code::PskMismatch,
        Code::PskMissing,
        Code::PeerAddressMismatch,
        Code::PeerUnreachable,
        Code::InvalidLocalAddress,
        Code::CryptoMapMissing,
        Code::ProxyIdMismatch,
        Code::TransformSetMismatch,
        Code::PfsMismatch,
        Code::CryptoMapOrder,
        Code::CryptoAclOverlap,
        Code::CryptoAclInvalid,
        Code::AclReused,
        Code::NatExemptionMissing,
        Code::RouteMissing,
        Code::SplitTunnel,
        Code::SysoptPermitIpsecMissing,
        Code::MtuFragmentation,
        Code::ReplayReordering,
        Code::InvalidSpi,
        Code::HmacFailure,
        Code::CryptoEngineUnsupported,
        Code::OneWayTraffic,
        Code::WeakCrypto,
        Code::XauthFailed,
        Code::AddressPoolExhausted,
        Code::TunnelLimit,
        Code::CertificateInvalid,
    ];

    /// The code as printed and as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TunnelUp => "tunnel-up",
            Code::Phase1PolicyMismatch => "phase1-policy-mismatch",
            Code::PskMismatch => "psk-mismatch",
            Code::PskMissing => "psk-missing",
            Code::PeerAddressMismatch => "peer-address-mismatch",
            Code::PeerUnreachable => "peer-unreachable",
            Code::InvalidLocalAddress => "invalid-local-address",
            Code::CryptoMapMissing => "crypto-map-missing",
            Code::ProxyIdMismatch => "proxy-id-mismatch",
            Code::TransformSetMismatch => "transform-set-mismatch",
            Code::PfsMismatch => "pfs-mismatch",
            Code::CryptoMapOrder => "crypto-map-order",
            Code::CryptoAclOverlap => "crypto-acl-overlap",
            Code::CryptoAclInvalid => "crypto-acl-invalid",
            Code::AclReused => "acl-reused",
            Code::NatExemptionMissing => "nat-exemption-missing",
            Code::RouteMissing => "route-missing",
            Code::SplitTunnel => "split-tunnel",
            Code::SysoptPermitIpsecMissing => "sysopt-permit-ipsec-missing",
            Code::MtuFragmentation => "mtu-fragmentation",
            Code::ReplayReordering => "replay-reordering",
            Code::InvalidSpi => "invalid-spi",
            Code::HmacFailure => "hmac-failure",
            Code::CryptoEngineUnsupported => "crypto-engine-unsupported",
            Code::OneWayTraffic => "one-way-traffic",
            Code::WeakCrypto => "weak-crypto",
            Code::XauthFailed => "xauth-failed",
            Code::AddressPoolExhausted => "address-pool-exhausted",
            Code::TunnelLimit => "tunnel-limit",
            Code::CertificateInvalid => "certificate-invalid",
        }
    }

    /// One line saying what the code means.
    pub fn summary(self) -> &'static str {
        match self {
            Code::TunnelUp => "both phases succeed; the tunnel is healthy",
            Code::Phase1PolicyMismatch => "no ISAKMP policy matches (encryption, hash, authentication, DH group or lifetime)",
            Code::PskMismatch => "the pre-shared keys on the two ends differ",
            Code::PskMissing => "no pre-shared key (or certificate) for the peer's address",
            Code::PeerAddressMismatch => "the peer address configured (set peer, tunnel-group, key) is not the address the other end uses",
            Code::PeerUnreachable => "no answer from the peer (UDP 500/4500 blocked, wrong address, no route)",
            Code::InvalidLocalAddress => "the crypto map is on the wrong interface, or local-address forces a wrong identity",
            Code::CryptoMapMissing => "no crypto map applied, or no crypto map entry for this peer",
            Code::ProxyIdMismatch => "the crypto ACLs (proxy identities) are not mirror images",
            Code::TransformSetMismatch => "no common phase-2 transform set",
            Code::PfsMismatch => "PFS is required on one side only, or with different DH groups",
            Code::CryptoMapOrder => "a broader crypto map entry shadows a more specific one",
            Code::CryptoAclOverlap => "crypto ACLs of different crypto map entries overlap",
            Code::CryptoAclInvalid => "the crypto ACL matches no real traffic, so nothing ever triggers the tunnel",
            Code::AclReused => "the same ACL serves both NAT exemption and crypto",
            Code::NatExemptionMissing => "VPN traffic is translated before it is encrypted",
            Code::RouteMissing => "no route to the remote protected network, or back to the client pool",
            Code::SplitTunnel => "remote access tunnels all traffic, or the split-tunnel ACL is wrong",
            Code::SysoptPermitIpsecMissing => "the PIX/ASA drops decrypted traffic",
            Code::MtuFragmentation => "packets grow beyond the path MTU once IPsec overhead is added",
            Code::ReplayReordering => "replay / ESP sequence failures caused by packet reordering",
            Code::InvalidSpi => "packets arrive for an SA the receiver does not have",
            Code::HmacFailure => "ESP packets fail their integrity check (corruption in transit or in a crypto engine)",
            Code::CryptoEngineUnsupported => "the platform cannot do the crypto it is asked to do",
            Code::OneWayTraffic => "traffic is encrypted but nothing comes back decrypted (or the reverse)",
            Code::WeakCrypto => "weak algorithms in use (DES, 3DES, MD5, DH group 1/2/5)",
            Code::XauthFailed => "remote-access user authentication (XAUTH) or group authorisation failed",
            Code::AddressPoolExhausted => "no address could be assigned to the remote-access client",
            Code::TunnelLimit => "the device refuses more tunnels or negotiations (license or platform limit)",
            Code::CertificateInvalid => "certificate authentication fails: the peer's certificate is invalid, untrusted or in a form this end cannot use",
        }
    }

    /// Whether this code describes a failure (everything except `tunnel-up`
    /// and the audit-only `weak-crypto`).
    pub fn is_failure(self) -> bool {
        !matches!(self, Code::TunnelUp | Code::WeakCrypto)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text given to [`Code::from_str`] names no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseCodeError(pub String);

impl fmt::Display for ParseCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown root-cause code `{}`", self.0)
    }
}

impl std::error::Error for ParseCodeError {}

impl FromStr for Code {
    type Err = ParseCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == wanted)
            .ok_or_else(|| ParseCodeError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_text_and_json() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn unknown_code_is_an_error() {
        assert!("no-such-code".parse::<Code>().is_err());
        assert_eq!("PSK_MISMATCH".parse::<Code>(), Ok(Code::PskMismatch));
    }
}
