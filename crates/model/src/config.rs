//! The vendor-neutral model of a device's crypto-relevant configuration.
//!
//! IOS, ASA and PIX parsers each read their own syntax and convert to this
//! model; every analysis (negotiation simulation, checks) works on it only.
//! Every item keeps the line it came from, for evidence. Secrets are never
//! stored: a pre-shared key is kept as a [`SecretDigest`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Kind of device the configuration came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// IOS / IOS-XE.
    Ios,
    /// ASA (any version; `legacy` syntax noted on the items).
    Asa,
    /// PIX 6.x.
    Pix,
}

/// Where an item was configured: 1-based line and the line's text
/// (secrets already redacted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// Line number.
    pub line: u64,
    /// The configuration line.
    pub text: String,
}

/// A salted digest of a secret: equal secrets give equal digests within one
/// run, and the secret cannot be read back. `fingerprint` is a short hex
/// form to show when two keys differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SecretDigest {
    /// Short hex fingerprint (salted; differs between runs).
    pub fingerprint: String,
}

impl SecretDigest {
    /// Digests a secret with a per-process random key (keyed SipHash), so
    /// the digest can be compared within a run but reveals nothing stable.
    pub fn of(secret: &str) -> SecretDigest {
        use std::collections::hash_map::RandomState;
        use std::hash::{BuildHasher, Hasher};
        use std::sync::OnceLock;
        static KEY: OnceLock<RandomState> = OnceLock::new();
        let mut h = KEY.get_or_init(RandomState::new).build_hasher();
        h.write(secret.as_bytes());
        let a = h.finish();
        let mut h2 = KEY.get_or_init(RandomState::new).build_hasher();
        h2.write_u64(a);
        h2.write(secret.as_bytes());
        SecretDigest {
            fingerprint: format!("{:016x}{:016x}", a, h2.finish()),
        }
    }

    /// The first 8 hex digits, for display.
    pub fn short(&self) -> &str {
        self.fingerprint.get(..8).unwrap_or(&self.fingerprint)
    }
}

/// An IPv4 match as access lists express it: address and wildcard
/// (bits set in `wildcard` are "don't care"; discontiguous wildcards are legal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddrMatch {
    /// Address bits that matter.
    pub addr: Ipv4Addr,
    /// Don't-care bits.
    pub wildcard: Ipv4Addr,
}

impl AddrMatch {
    /// Matches every address.
    pub const ANY: AddrMatch = AddrMatch {
        addr: Ipv4Addr::UNSPECIFIED,
        wildcard: Ipv4Addr::BROADCAST,
    };

    /// A single host.
    pub fn host(a: Ipv4Addr) -> AddrMatch {
        AddrMatch {
            addr: a,
            wildcard: Ipv4Addr::UNSPECIFIED,
        }
    }

    /// From a network and a subnet mask (`10.1.1.0 255.255.255.0`).
    pub fn from_mask(addr: Ipv4Addr, mask: Ipv4Addr) -> AddrMatch {
        let m = u32::from(mask);
        AddrMatch {
            addr: Ipv4Addr::from(u32::from(addr) & m),
            wildcard: Ipv4Addr::from(!m),
        }
    }

    /// From an address and an IOS wildcard, normalised as IOS does
    /// (address bits under the wildcard cleared).
    pub fn from_wildcard(addr: Ipv4Addr, wildcard: Ipv4Addr) -> AddrMatch {
        let w = u32::from(wildcard);
        AddrMatch {
            addr: Ipv4Addr::from(u32::from(addr) & !w),
            wildcard,
        }
    }

    /// Whether `a` matches.
    pub fn contains(&self, a: Ipv4Addr) -> bool {
        let w = u32::from(self.wildcard);
        (u32::from(a) & !w) == (u32::from(self.addr) & !w)
    }

    /// Whether every address matched by `other` is matched by `self`.
    pub fn covers(&self, other: &AddrMatch) -> bool {
        let w = u32::from(self.wildcard);
        let ow = u32::from(other.wildcard);
        // Every bit self cares about must be fixed in other and equal.
        (!w & ow) == 0 && (u32::from(self.addr) & !w) == (u32::from(other.addr) & !w)
    }

    /// Whether some address is matched by both.
    pub fn overlaps(&self, other: &AddrMatch) -> bool {
        let care = !u32::from(self.wildcard) & !u32::from(other.wildcard);
        (u32::from(self.addr) & care) == (u32::from(other.addr) & care)
    }

    /// The wildcard is the inverse of a contiguous mask (a real subnet).
    pub fn is_subnet(&self) -> bool {
        let w = u32::from(self.wildcard);
        w.wrapping_add(1) & w == 0
    }

    /// An IOS entry where a subnet mask was typed as the wildcard: the
    /// wildcard is a contiguous mask (`255.255.255.0`, not all zeros or ones)
    /// and IOS cleared the address bits under it. PIX/ASA netmask syntax
    /// (`10.1.1.0 255.255.255.0`, address bits kept) is not flagged.
    pub fn is_netmask_typed_as_wildcard(&self) -> bool {
        let w = u32::from(self.wildcard);
        let contiguous_mask =
            w != 0 && w != u32::MAX && Some(w) == u32::MAX.checked_shl(32 - w.leading_ones());
        contiguous_mask && u32::from(self.addr) & w == 0
    }

    /// Prefix length when [`AddrMatch::is_subnet`].
    pub fn prefix_len(&self) -> Option<u8> {
        self.is_subnet()
            .then(|| u32::from(self.wildcard).leading_zeros() as u8)
    }
}

/// The netmask of a prefix length (`24` → `0xffffff00`; 32 and more: all
/// ones).
pub fn prefix_mask(len: u8) -> u32 {
    match len {
        0 => 0,
        l if l >= 32 => u32::MAX,
        l => u32::MAX << (32 - u32::from(l)),
    }
}

/// Layer-4 port condition of an ACL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PortMatch {
    /// Any port.
    Any,
    /// Ports in an inclusive range (`eq` gives a range of one).
    Range(u16, u16),
    /// Any port except one (`neq`).
    Not(u16),
}

/// One access-list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AclEntry {
    /// Permit (true) or deny.
    pub permit: bool,
    /// IP protocol number; `None` = any IP.
    pub protocol: Option<u8>,
    /// Source.
    pub src: AddrMatch,
    /// Source ports.
    pub src_port: PortMatch,
    /// Destination.
    pub dst: AddrMatch,
    /// Destination ports.
    pub dst_port: PortMatch,
    /// Where.
    pub origin: Origin,
}

/// A named or numbered access list (object-groups already expanded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acl {
    /// Name or number.
    pub name: String,
    /// Entries in order.
    pub entries: Vec<AclEntry>,
}

/// IKE encryption algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IkeEncryption {
    /// DES.
    Des,
    /// 3DES.
    TripleDes,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
}

/// IKE hash / PRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IkeHash {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// IKE authentication method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IkeAuth {
    /// Pre-shared keys.
    PreShare,
    /// RSA signatures (certificates).
    RsaSig,
    /// RSA encrypted nonces.
    RsaEncr,
}

/// One ISAKMP / IKEv1 policy (all attributes resolved, defaults applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IkePolicy {
    /// Priority (lower is offered / tried first); 65535 = IOS default suite.
    pub priority: u32,
    /// Encryption.
    pub encryption: IkeEncryption,
    /// Hash.
    pub hash: IkeHash,
    /// Authentication.
    pub auth: IkeAuth,
    /// Diffie-Hellman group.
    pub group: u8,
    /// Lifetime in seconds.
    pub lifetime: u32,
    /// Where (the `crypto isakmp policy` line); `None` for built-in defaults.
    pub origin: Option<Origin>,
}

/// A pre-shared key bound to peer addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresharedKey {
    /// Peer address.
    pub address: Ipv4Addr,
    /// Mask (255.255.255.255 for a host; 0.0.0.0 for a wildcard key).
    pub mask: Ipv4Addr,
    /// Digest of the key.
    pub key: SecretDigest,
    /// Keyring or tunnel-group it belongs to, if any.
    pub container: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// ESP/AH transform set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransformSet {
    /// Name.
    pub name: String,
    /// Transforms as configured, normalised lower-case (`esp-aes-256`,
    /// `esp-sha-hmac`, `ah-md5-hmac`, `esp-null`, `comp-lzs`).
    pub transforms: Vec<String>,
    /// Tunnel (true) or transport mode.
    pub tunnel_mode: bool,
    /// Where.
    pub origin: Origin,
}

/// SA lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaLifetime {
    /// Seconds.
    pub seconds: u32,
    /// Kilobytes.
    pub kilobytes: u64,
}

impl Default for SaLifetime {
    fn default() -> Self {
        SaLifetime {
            seconds: 3600,
            kilobytes: 4_608_000,
        }
    }
}

/// One crypto map entry (static, a reference to a dynamic map, or an entry
/// of a dynamic map).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CryptoMapEntry {
    /// Map name.
    pub map: String,
    /// Sequence number.
    pub seq: u32,
    /// For `ipsec-isakmp dynamic NAME`: the dynamic map it points to.
    pub dynamic_ref: Option<String>,
    /// Peers (`set peer`, in order).
    pub peers: Vec<Ipv4Addr>,
    /// Crypto ACL (`match address`).
    pub acl: Option<String>,
    /// Transform sets in order.
    pub transform_sets: Vec<String>,
    /// PFS DH group, when `set pfs` is configured.
    pub pfs: Option<u8>,
    /// Lifetime override.
    pub lifetime: Option<SaLifetime>,
    /// Where.
    pub origin: Origin,
}

/// A tunnel interface protected by an IPsec profile (a static VTI with
/// `tunnel mode ipsec ipv4`, or GRE with `tunnel protection`). IOS
/// negotiates it as a crypto map entry of its own (`Tunnel0-head-0`): the
/// configuration reader adds that entry to `crypto_maps` — peer the tunnel
/// destination, traffic selectors any ↔ any (VTI) or the GRE packets
/// between the tunnel endpoints, transform sets / PFS / lifetime / IKEv2
/// profile from the IPsec profile — and records here which entry it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vti {
    /// Tunnel interface (`Tunnel0`).
    pub tunnel: String,
    /// `crypto ipsec profile` name.
    pub profile: String,
    /// Map of the entry that stands for it.
    pub map: String,
    /// Sequence of that entry.
    pub seq: u32,
    /// `tunnel mode ipsec ipv4` (true) or GRE (false).
    pub ipsec_mode: bool,
    /// The `tunnel protection` line.
    pub origin: Origin,
}

impl DeviceConfig {
    /// The VTI a crypto map entry stands for, when it does.
    pub fn vti(&self, map: &str, seq: u32) -> Option<&Vti> {
        self.vtis.iter().find(|v| v.map == map && v.seq == seq)
    }

    /// Major and minor release numbers of [`DeviceConfig::software_version`]
    /// (`15.4` → (15, 4), `9.8(4)` → (9, 8)); `None` without a version line
    /// or when it does not start with two numbers.
    pub fn release(&self) -> Option<(u32, u32)> {
        let v = self.software_version.as_deref()?;
        let (major, rest) = v.split_once('.')?;
        let minor: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        Some((major.parse().ok()?, minor.parse().ok()?))
    }
}

/// An IOS ISAKMP profile (`crypto isakmp profile NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsakmpProfile {
    /// Name.
    pub name: String,
    /// `keyring K` lines, in order: the keyrings whose keys IKE under this
    /// profile uses (none: the device's keys as without a profile).
    pub keyrings: Vec<String>,
    /// `match identity address A [MASK]` (a VRF name where the mask goes
    /// reads as a host).
    pub match_addresses: Vec<(Ipv4Addr, Ipv4Addr)>,
    /// `local-address A|INTERFACE`, as typed.
    pub local_address: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// An IPsec profile (`crypto ipsec profile NAME`, IOS; ASA the same for
/// VTIs), whether or not a tunnel uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpsecProfile {
    /// Name.
    pub name: String,
    /// `set transform-set` (ASA `set ikev1 transform-set`), in order.
    pub transform_sets: Vec<String>,
    /// `set pfs` group.
    pub pfs: Option<u8>,
    /// `set isakmp-profile`.
    pub isakmp_profile: Option<String>,
    /// `set ikev2-profile`.
    pub ikev2_profile: Option<String>,
    /// `set security-association lifetime` (seconds, kilobytes) as set.
    pub lifetime: (Option<u32>, Option<u64>),
}

/// A crypto map entry bound to an ISAKMP profile: `set isakmp-profile P`
/// in the entry, or in the IPsec profile of the tunnel the entry stands
/// for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryIsakmpProfile {
    /// Map of the entry.
    pub map: String,
    /// Sequence of the entry.
    pub seq: u32,
    /// Profile name.
    pub profile: String,
    /// The `set isakmp-profile` line.
    pub origin: Origin,
}

/// An interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    /// Name (`GigabitEthernet0/0`; ASA: the physical name).
    pub name: String,
    /// ASA/PIX `nameif` (the name used by `crypto map … interface`, routes, NAT).
    pub nameif: Option<String>,
    /// Primary address and mask.
    pub address: Option<(Ipv4Addr, Ipv4Addr)>,
    /// The address is assigned at run time (`ip address dhcp`, IOS `ip
    /// address negotiated` on a PPP dialer, ASA `ip address pppoe`), so the
    /// configuration does not hold it.
    #[serde(default)]
    pub dynamic_address: bool,
    /// MTU (`mtu`, `ip mtu`, ASA `mtu IF N`).
    pub mtu: Option<u16>,
    /// `ip tcp adjust-mss`.
    pub adjust_mss: Option<u16>,
    /// Crypto map applied.
    pub crypto_map: Option<String>,
    /// IOS `ip nat inside` (Some(true)) / `ip nat outside` (Some(false)).
    pub nat_inside: Option<bool>,
    /// `shutdown`.
    pub shutdown: bool,
    /// IOS VRF the interface is in (`vrf forwarding V`, `ip vrf forwarding
    /// V`); `None`: the global table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vrf: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// A static route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Destination network.
    pub network: Ipv4Addr,
    /// Mask.
    pub mask: Ipv4Addr,
    /// Next hop, if given.
    pub next_hop: Option<Ipv4Addr>,
    /// Outgoing interface (IOS name or ASA nameif), if given.
    pub interface: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// A NAT rule reduced to what VPN analysis needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatRule {
    /// The rule exempts traffic (identity / `nat 0` / route-map deny) rather than translating it.
    pub exempt: bool,
    /// Traffic the rule applies to, as ACL-style entries (source, destination).
    pub matches: Vec<AclEntry>,
    /// ACL name the rule refers to, if any.
    pub acl: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// An IKEv2 IKE_SA_INIT proposal: every algorithm listed is acceptable, any
/// combination of one encryption, one integrity, one PRF and one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2Proposal {
    /// IOS-XE proposal name or ASA policy priority.
    pub name: String,
    /// Encryption algorithms (CBC; AEAD proposals are not modelled yet).
    pub encryption: Vec<IkeEncryption>,
    /// Integrity algorithms.
    pub integrity: Vec<IkeHash>,
    /// PRF algorithms; empty = the integrity algorithms (both platforms
    /// derive the PRF from the integrity algorithm when none is set).
    pub prf: Vec<IkeHash>,
    /// Diffie-Hellman groups.
    pub groups: Vec<u8>,
    /// Where; `None` for a built-in default proposal.
    pub origin: Option<Origin>,
}

impl Ikev2Proposal {
    /// The PRFs offered: the configured ones, else the integrity algorithms.
    pub fn prfs(&self) -> &[IkeHash] {
        if self.prf.is_empty() {
            &self.integrity
        } else {
            &self.prf
        }
    }
}

/// IKEv2 pre-shared keys for a peer address range: IKEv2 keys may differ
/// per direction (`local` signs what we send, `remote` checks what we get).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2Key {
    /// Peer address.
    pub address: Ipv4Addr,
    /// Mask (255.255.255.255 for a host).
    pub mask: Ipv4Addr,
    /// Key this device authenticates itself with.
    pub local: Option<SecretDigest>,
    /// Key this device expects from the peer.
    pub remote: Option<SecretDigest>,
    /// IOS keyring or ASA tunnel-group.
    pub container: Option<String>,
    /// IOS-XE: the keyring's `peer NAME` block it is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// Where (the line of the first key).
    pub origin: Origin,
}

/// An IOS-XE `crypto ikev2 profile` (pre-shared-key site-to-site subset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2Profile {
    /// Name.
    pub name: String,
    /// `match identity remote address A [M]`.
    pub match_remote: Vec<(Ipv4Addr, Ipv4Addr)>,
    /// `identity local address A` (default: the address negotiated from).
    pub local_identity: Option<Ipv4Addr>,
    /// `keyring local NAME`.
    pub keyring: Option<String>,
    /// Where.
    pub origin: Origin,
}

/// An ASA `crypto ipsec ikev2 ipsec-proposal`: any encryption with any
/// integrity listed. Names are normalised as transform-set transforms
/// (`esp-aes-256`, `esp-sha256-hmac`) so they compare with IOS sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2IpsecProposal {
    /// Name.
    pub name: String,
    /// ESP encryptions.
    pub encryption: Vec<String>,
    /// ESP integrity algorithms (empty for AEAD or none).
    pub integrity: Vec<String>,
    /// Where.
    pub origin: Origin,
}

/// What makes a crypto map entry IKEv2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2MapEntry {
    /// Map name.
    pub map: String,
    /// Sequence.
    pub seq: u32,
    /// IOS-XE `set ikev2-profile`.
    pub profile: Option<String>,
    /// ASA `set ikev2 ipsec-proposal …`.
    pub ipsec_proposals: Vec<String>,
    /// Where (the line that made the entry IKEv2).
    pub origin: Origin,
}

/// The IKEv2 part of a device's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ikev2Config {
    /// Proposals in use (IOS-XE: those named by a `crypto ikev2 policy`;
    /// ASA: the `crypto ikev2 policy` entries in priority order).
    pub proposals: Vec<Ikev2Proposal>,
    /// IOS-XE with no `crypto ikev2 policy`: the built-in default policy
    /// and proposal are used (configured proposals are then ignored).
    pub default_proposal: bool,
    /// IOS-XE `crypto ikev2 policy` names, in order.
    #[serde(default)]
    pub policies: Vec<String>,
    /// Keys (IOS keyrings, ASA tunnel-groups).
    pub keys: Vec<Ikev2Key>,
    /// IOS-XE profiles.
    pub profiles: Vec<Ikev2Profile>,
    /// ASA IPsec proposals by name.
    pub ipsec_proposals: BTreeMap<String, Ikev2IpsecProposal>,
    /// IKEv2 crypto map entries.
    pub entries: Vec<Ikev2MapEntry>,
    /// ASA `crypto ikev2 enable IF` interfaces; `None` on IOS.
    pub enabled: Option<Vec<String>>,
    /// Some IKEv2 authentication here uses certificates or EAP (IOS-XE
    /// `authentication local|remote rsa-sig|ecdsa-sig|eap`, ASA `ikev2
    /// remote-authentication certificate`): IKE_AUTH is then not judged by
    /// pre-shared keys.
    #[serde(default)]
    pub cert_auth: bool,
}

impl Ikev2Config {
    /// The IKEv2 settings of crypto map entry (map, seq), when it is IKEv2.
    pub fn entry(&self, map: &str, seq: u32) -> Option<&Ikev2MapEntry> {
        self.entries.iter().find(|e| e.map == map && e.seq == seq)
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Ikev2Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}

/// Everything crypto-relevant about one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConfig {
    /// Input it came from.
    pub source: String,
    /// Platform.
    pub platform: Platform,
    /// `hostname`.
    pub hostname: Option<String>,
    /// Interfaces.
    pub interfaces: Vec<Interface>,
    /// Static routes.
    pub routes: Vec<Route>,
    /// Access lists by name.
    pub acls: BTreeMap<String, Acl>,
    /// ISAKMP policies, configured ones, sorted by priority.
    pub ike_policies: Vec<IkePolicy>,
    /// IOS default protection suites are active (no `no crypto isakmp default policy`).
    pub default_ike_policies: bool,
    /// The software release the configuration states (IOS `version 15.4`,
    /// ASA `ASA Version 9.8(4)`), as typed; `None` when it has no such line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
    /// Interfaces (IOS name or ASA nameif) IKE is enabled on; `None` when the
    /// platform enables IKE wherever a crypto map is applied (IOS).
    pub ike_enabled: Option<Vec<String>>,
    /// Pre-shared keys.
    pub keys: Vec<PresharedKey>,
    /// `crypto isakmp identity` (`address`, `hostname`, `dn`).
    pub ike_identity: Option<String>,
    /// Transform sets by name.
    pub transform_sets: BTreeMap<String, TransformSet>,
    /// Global IPsec SA lifetime.
    pub sa_lifetime: SaLifetime,
    /// Static crypto map entries, sorted by (map, seq).
    pub crypto_maps: Vec<CryptoMapEntry>,
    /// Dynamic map entries, sorted by (map, seq).
    pub dynamic_maps: Vec<CryptoMapEntry>,
    /// `crypto map NAME local-address IF`.
    pub map_local_address: BTreeMap<String, String>,
    /// NAT rules.
    pub nat: Vec<NatRule>,
    /// PIX `sysopt connection permit-ipsec` / ASA `permit-vpn` (None = platform default).
    pub sysopt_permit_ipsec: Option<bool>,
    /// Address pools: name → (first, last).
    pub pools: BTreeMap<String, (Ipv4Addr, Ipv4Addr)>,
    /// Remote-access split-tunnel ACL per group.
    pub split_tunnel: BTreeMap<String, String>,
    /// IKEv2 configuration.
    #[serde(default)]
    pub ikev2: Ikev2Config,
    /// IPsec-protected tunnel interfaces (IOS `tunnel protection ipsec
    /// profile`), each negotiated as the crypto map entry it stands for.
    #[serde(default)]
    pub vtis: Vec<Vti>,
    /// IOS keyrings bound to a local termination address
    /// (`crypto keyring NAME` / `local-address A|INTERFACE`): keyring name →
    /// the address or interface as typed. See [`DeviceConfig::key_serves`].
    #[serde(default)]
    pub keyring_local_address: BTreeMap<String, String>,
    /// IOS keyrings of a front-door VRF (`crypto keyring NAME vrf V`):
    /// keyring name → VRF. See [`DeviceConfig::key_serves`].
    #[serde(default)]
    pub keyring_vrf: BTreeMap<String, String>,
    /// The name reports use when the hostname alone does not tell this
    /// device from another one read with it (set by
    /// [`disambiguate_names`]); `None`: the hostname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// IOS ISAKMP profiles.
    #[serde(default)]
    pub isakmp_profiles: Vec<IsakmpProfile>,
    /// IPsec profiles by name (those tunnels use also stand as crypto map
    /// entries, see [`Vti`]).
    #[serde(default)]
    pub ipsec_profiles: BTreeMap<String, IpsecProfile>,
    /// Crypto map entries bound to an ISAKMP profile.
    #[serde(default)]
    pub entry_isakmp_profiles: Vec<EntryIsakmpProfile>,
    /// Lines read.
    pub lines: u64,
    /// Lines not understood (skipped, counted).
    pub skipped: u64,
}

impl DeviceConfig {
    /// An empty configuration.
    pub fn new(source: &str, platform: Platform) -> DeviceConfig {
        DeviceConfig {
            source: source.to_string(),
            platform,
            hostname: None,
            interfaces: Vec::new(),
            routes: Vec::new(),
            acls: BTreeMap::new(),
            ike_policies: Vec::new(),
            default_ike_policies: platform == Platform::Ios,
            software_version: None,
            ike_enabled: None,
            keys: Vec::new(),
            ike_identity: None,
            transform_sets: BTreeMap::new(),
            sa_lifetime: SaLifetime::default(),
            crypto_maps: Vec::new(),
            dynamic_maps: Vec::new(),
            map_local_address: BTreeMap::new(),
            nat: Vec::new(),
            sysopt_permit_ipsec: None,
            pools: BTreeMap::new(),
            split_tunnel: BTreeMap::new(),
            ikev2: Ikev2Config {
                enabled: (platform != Platform::Ios).then(Vec::new),
                ..Ikev2Config::default()
            },
            vtis: Vec::new(),
            keyring_local_address: BTreeMap::new(),
            keyring_vrf: BTreeMap::new(),
            display_name: None,
            isakmp_profiles: Vec::new(),
            ipsec_profiles: BTreeMap::new(),
            entry_isakmp_profiles: Vec::new(),
            lines: 0,
            skipped: 0,
        }
    }

    /// Whether pre-shared key `k` serves IKE terminated on this device's
    /// address `local`. IOS: `local-address` "limits the scope of an IKE
    /// keyring to a local termination address or interface", so a key of
    /// such a keyring answers only IKE on that address (an interface: its
    /// primary address); keys of other keyrings, global keys and ASA/PIX
    /// keys serve every address. A keyring bound to an interface the
    /// configuration does not define, or to something that is neither, is
    /// taken as serving (a fragment cannot tell).
    ///
    /// VRF-aware IPsec: a keyring of VRF V (`crypto keyring K vrf V`)
    /// serves only IKE arriving on an interface in V, and keys outside
    /// such keyrings (global `crypto isakmp key`, keyrings without `vrf`)
    /// only interfaces in the global table. When no interface of the
    /// configuration has `local`, the VRF is not judged.
    pub fn key_serves(&self, k: &PresharedKey, local: Ipv4Addr) -> bool {
        if let Some(ifc) = self
            .interfaces
            .iter()
            .find(|i| i.address.is_some_and(|(a, _)| a == local))
        {
            let key_vrf = k
                .container
                .as_deref()
                .and_then(|ring| self.keyring_vrf.get(ring));
            if key_vrf != ifc.vrf.as_ref() {
                return false;
            }
        }
        let Some(bound) = k
            .container
            .as_deref()
            .and_then(|ring| self.keyring_local_address.get(ring))
        else {
            return true;
        };
        if let Ok(a) = bound.parse::<Ipv4Addr>() {
            return a == local;
        }
        match self.interface(bound).and_then(|i| i.address) {
            Some((a, _)) => a == local,
            None => true,
        }
    }

    /// The ISAKMP profile crypto map entry (map, seq) initiates under,
    /// with the binding, when the entry names one that is configured.
    pub fn entry_isakmp_profile(
        &self,
        map: &str,
        seq: u32,
    ) -> Option<(&IsakmpProfile, &EntryIsakmpProfile)> {
        let b = self
            .entry_isakmp_profiles
            .iter()
            .find(|b| b.map == map && b.seq == seq)?;
        let p = self.isakmp_profiles.iter().find(|p| p.name == b.profile)?;
        Some((p, b))
    }

    /// The device's name for reports: hostname, else the input name (with
    /// the input name added when another device read with it has the same
    /// hostname, see [`disambiguate_names`]).
    pub fn name(&self) -> &str {
        self.display_name
            .as_deref()
            .or(self.hostname.as_deref())
            .unwrap_or(&self.source)
    }

    /// The interface a name refers to (IOS name or ASA nameif, case-insensitive).
    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| {
            i.name.eq_ignore_ascii_case(name)
                || i.nameif
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn wildcard_matching_covering_and_overlap() {
        let net = AddrMatch::from_wildcard(ip("10.1.1.0"), ip("0.0.0.255"));
        assert!(net.contains(ip("10.1.1.77")) && !net.contains(ip("10.1.2.1")));
        assert!(net.covers(&AddrMatch::host(ip("10.1.1.5"))));
        assert!(!AddrMatch::host(ip("10.1.1.5")).covers(&net));
        assert!(AddrMatch::ANY.covers(&net));
        assert!(net.overlaps(&AddrMatch::from_mask(ip("10.1.0.0"), ip("255.255.0.0"))));
        assert!(!net.overlaps(&AddrMatch::host(ip("10.9.9.9"))));
        // discontiguous wildcard: every even third octet
        let odd = AddrMatch::from_wildcard(ip("10.1.0.0"), ip("0.0.254.255"));
        assert!(odd.contains(ip("10.1.2.9")) && !odd.contains(ip("10.1.3.9")));
        assert!(!odd.is_subnet() && net.is_subnet());
        assert_eq!(net.prefix_len(), Some(24));
    }

    #[test]
    fn release_numbers_from_the_version_line() {
        let mut c = DeviceConfig::new("t", Platform::Ios);
        assert_eq!(c.release(), None);
        for (typed, want) in [
            ("15.4", Some((15, 4))),
            ("12.4", Some((12, 4))),
            ("17.12", Some((17, 12))),
            ("9.8(4)", Some((9, 8))),
            ("8.2(5)59", Some((8, 2))),
            ("x.1", None),
            ("15", None),
        ] {
            c.software_version = Some(typed.to_string());
            assert_eq!(c.release(), want, "{typed}");
        }
    }

    #[test]
    fn secret_digests_compare_without_revealing() {
        let a = SecretDigest::of("cisco123");
        assert_eq!(a, SecretDigest::of("cisco123"));
        assert_ne!(a, SecretDigest::of("cisco124"));
        assert!(!a.fingerprint.contains("cisco"));
        assert_eq!(a.short().len(), 8);
    }

    #[test]
    fn ios_normalises_addresses_under_the_wildcard() {
        // `permit ip 192.168.3.0 255.255.255.0 ...` typed on IOS
        let m = AddrMatch::from_wildcard(ip("192.168.3.0"), ip("255.255.255.0"));
        assert_eq!(m.addr, ip("0.0.0.0"));
    }
}

/// Gives devices that share a hostname (lab routers all called `Router`,
/// a configuration copied from another and not renamed) names that tell
/// them apart in reports: `HOSTNAME (INPUT)`. Hostnames are compared
/// without regard to case; devices with a unique hostname keep it.
pub fn disambiguate_names(configs: &mut [DeviceConfig]) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for c in configs.iter() {
        if let Some(h) = &c.hostname {
            *count.entry(h.to_ascii_lowercase()).or_insert(0) += 1;
        }
    }
    for c in configs.iter_mut() {
        c.display_name = match &c.hostname {
            Some(h) if count.get(&h.to_ascii_lowercase()).copied().unwrap_or(0) > 1 => {
                Some(format!("{h} ({})", c.source))
            }
            _ => None,
        };
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn shared_hostnames_get_the_input_name() {
        let mk = |src: &str, host: Option<&str>| {
            let mut c = DeviceConfig::new(src, Platform::Ios);
            c.hostname = host.map(str::to_string);
            c
        };
        let mut v = vec![
            mk("a.cfg", Some("Router")),
            mk("b.cfg", Some("router")),
            mk("c.cfg", Some("HQ")),
            mk("d.cfg", None),
        ];
        disambiguate_names(&mut v);
        let names: Vec<&str> = v.iter().map(DeviceConfig::name).collect();
        assert_eq!(names, ["Router (a.cfg)", "router (b.cfg)", "HQ", "d.cfg"]);
        // Run again after a rename: names follow.
        v[1].hostname = Some("BR".into());
        disambiguate_names(&mut v);
        assert_eq!(v[0].name(), "Router");
    }
}
