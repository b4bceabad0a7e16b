//! `show crypto ipsec sa [detail | peer A | map M | interface I | vrf V |
//! identity | address]` (IOS, IOS-XE, PIX, ASA).
//!
//! One [`IpsecSaBlock`] per interface / crypto-map entry / identity pair,
//! with every inbound and outbound ESP, AH and PCP SA and every counter;
//! for `address`, one block per `dest address:` with its SAs, whose
//! direction that layout does not print ([`IpsecSaBlock::undirected`]).
//! Fields are recognised by their labels, so the order of lines, optional
//! lines of other versions, and text flattened onto one line all parse.

use crate::counters::Counters;
use crate::text::Text;
use crate::text::{addr_port, after, find, hex32, num, num32, squeeze, strip_punct, trim, words};
use crate::{LineRef, What};
use serde::Serialize;

/// A proxy identity `(addr/mask/prot/port)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// Address (or IPv6 prefix address).
    pub addr: Text,
    /// Mask (or IPv6 prefix length).
    pub mask: Text,
    /// IP protocol number (`0` = any).
    pub prot: Text,
    /// Port (`0` = any).
    pub port: Text,
}

impl Ident {
    /// Parses `(10.1.0.0/255.255.255.0/0/0)`.
    pub fn parse(s: &str) -> Option<Ident> {
        let s = trim(s);
        let inner = s.strip_prefix('(').unwrap_or(s);
        let inner = inner.split(')').next().unwrap_or(inner);
        let mut it = inner.rsplitn(4, '/');
        let port = it.next()?;
        let prot = it.next()?;
        let mask = it.next()?;
        let addr = it.next()?;
        Some(Ident {
            addr: trim(addr).into(),
            mask: trim(mask).into(),
            prot: trim(prot).into(),
            port: trim(port).into(),
        })
    }

    /// A host the identity covers, to send test traffic to: the address
    /// itself for a host identity, else the first address after it (IPv4;
    /// `None` for IPv6 or what does not parse).
    pub fn some_host(&self) -> Option<std::net::Ipv4Addr> {
        let addr: std::net::Ipv4Addr = self.addr.parse().ok()?;
        let mask: std::net::Ipv4Addr = self.mask.parse().ok()?;
        let (a, m) = (u32::from(addr), u32::from(mask));
        if m == u32::MAX {
            return Some(addr);
        }
        let host = (a & m) | 1;
        (host & m == a & m).then(|| std::net::Ipv4Addr::from(host))
    }

    /// `addr/mask/prot/port`, as printed.
    pub fn text(&self) -> String {
        format!("{}/{}/{}/{}", self.addr, self.mask, self.prot, self.port)
    }
}

/// IOS-XE `show crypto ipsec sa count`: `IPsec SA total: 8, active: 8,
/// rekeying: 0, unused: 0, invalid: 0`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpsecSaCount {
    /// Line.
    pub line: u64,
    /// `IPsec SA total:`.
    pub total: Option<u64>,
    /// `active:`.
    pub active: Option<u64>,
    /// `rekeying:`.
    pub rekeying: Option<u64>,
    /// `unused:`.
    pub unused: Option<u64>,
    /// `invalid:`.
    pub invalid: Option<u64>,
    /// Any other `name: N` item of the line, as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<crate::KeyValue>,
}

impl IpsecSaCount {
    /// Reads the line; `None` when it is not one.
    // Once per output: kept out of the per-line code.
    #[inline(never)]
    fn parse(no: u64, s: &str) -> Option<IpsecSaCount> {
        let rest = s.strip_prefix("IPsec SA")?;
        let mut c = IpsecSaCount {
            line: no,
            ..IpsecSaCount::default()
        };
        let mut any = false;
        for item in rest.split(',') {
            let Some((k, v)) = item.split_once(':') else {
                continue;
            };
            let (k, v) = (trim(k), trim(v));
            let n = num(v);
            let slot = match k.to_ascii_lowercase().as_str() {
                "total" => &mut c.total,
                "active" => &mut c.active,
                "rekeying" => &mut c.rekeying,
                "unused" => &mut c.unused,
                "invalid" => &mut c.invalid,
                _ => {
                    c.other.push(crate::KeyValue {
                        key: k.into(),
                        value: v.into(),
                    });
                    continue;
                }
            };
            *slot = n;
            any |= n.is_some();
        }
        any.then_some(c)
    }
}

/// Direction of an SA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Decrypts what the peer sends.
    Inbound,
    /// Encrypts what this device sends.
    Outbound,
    /// Not printed: `show crypto ipsec sa address` lists SAs under their
    /// destination address, which is this device's own (inbound) or a
    /// peer's (outbound) — the output does not say which.
    Unknown,
}

/// IPsec protocol of an SA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SaProtocol {
    /// ESP.
    Esp,
    /// AH.
    Ah,
    /// IPComp (PCP).
    Pcp,
}

/// One unidirectional SA (`spi: 0x…` and the lines under it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sa {
    /// Line of the `spi:` line.
    pub line: u64,
    /// Protocol.
    pub protocol: SaProtocol,
    /// Direction.
    pub direction: Direction,
    /// SPI as printed in hex (`0x136A010F`).
    pub spi_hex: Text,
    /// SPI value (from the hex form), when it is valid hex.
    pub spi: Option<u32>,
    /// The decimal form printed in parentheses, as printed.
    pub spi_dec: Option<Text>,
    /// ASA `SA State:`.
    pub state: Option<Text>,
    /// `transform:` (trailing ` ,` removed; ASA keeps `no compression`).
    pub transform: Option<Text>,
    /// `in use settings ={…}` contents (`Tunnel, ` trailing separators removed).
    pub settings: Option<Text>,
    /// `slot:`.
    pub slot: Option<u32>,
    /// `conn id:` / `conn_id:`.
    pub conn_id: Option<u64>,
    /// `flow_id:` (`1443`, `SW:5`, `Onboard VPN:124`).
    pub flow_id: Option<Text>,
    /// `sibling_flags`.
    pub sibling_flags: Option<Text>,
    /// `crypto map:` / `crypto-map:`.
    pub crypto_map: Option<Text>,
    /// Remaining lifetime in kilobytes.
    pub lifetime_kb: Option<u64>,
    /// Remaining lifetime in seconds.
    pub lifetime_sec: Option<u64>,
    /// IOS-XE `Kilobyte Volume Rekey has been disabled`.
    pub kb_rekey_disabled: bool,
    /// `no sa timing`: a manually keyed SA, which never expires (OSPFv3
    /// authentication or encryption, `ipsec-manual` crypto map entries).
    pub manual: bool,
    /// `IV size:` in bytes.
    pub iv_size: Option<u32>,
    /// `replay detection support:` (`Y` / `N`).
    pub replay_detection: Option<Text>,
    /// `replay window size:`.
    pub replay_window: Option<u32>,
    /// `Status:` (`ACTIVE(ACTIVE)`).
    pub status: Option<Text>,
    /// IOS-XE 17 `initiator : True` / `False` at the end of the `conn id:`
    /// line: whether this end initiated the SA's negotiation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiator: Option<bool>,
    /// ASA `Anti replay bitmap:` words.
    pub anti_replay_bitmap: Option<Text>,
    /// The `spi:` line, for evidence.
    #[serde(skip)]
    pub spi_line: Option<LineRef>,
}

impl Sa {
    fn new(line: u64, protocol: SaProtocol, direction: Direction, value: &str) -> Sa {
        let v = trim(value);
        let (hex_part, rest) = match v.find(['(', ' ']) {
            Some(i) => (&v[..i], &v[i..]),
            None => (v, ""),
        };
        let spi_dec = memchr::memchr(b'(', rest.as_bytes())
            .and_then(|i| rest[i + 1..].split(')').next())
            .map(trim)
            .filter(|d| !d.is_empty());
        Sa {
            line,
            protocol,
            direction,
            spi_hex: hex_part.into(),
            spi: hex32(hex_part),
            spi_dec: spi_dec.map(Text::from),
            state: None,
            transform: None,
            settings: None,
            slot: None,
            conn_id: None,
            flow_id: None,
            sibling_flags: None,
            crypto_map: None,
            lifetime_kb: None,
            lifetime_sec: None,
            kb_rekey_disabled: false,
            manual: false,
            iv_size: None,
            replay_detection: None,
            replay_window: None,
            status: None,
            initiator: None,
            anti_replay_bitmap: None,
            spi_line: None,
        }
    }
}

/// The SAs of one direction, per protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SaSet {
    /// ESP SAs.
    pub esp: Vec<Sa>,
    /// AH SAs.
    pub ah: Vec<Sa>,
    /// PCP (IPComp) SAs.
    pub pcp: Vec<Sa>,
}

impl SaSet {
    fn list(&mut self, p: SaProtocol) -> &mut Vec<Sa> {
        match p {
            SaProtocol::Esp => &mut self.esp,
            SaProtocol::Ah => &mut self.ah,
            SaProtocol::Pcp => &mut self.pcp,
        }
    }

    /// Every SA of this direction (ESP, then AH, then PCP).
    pub fn all(&self) -> impl Iterator<Item = &Sa> {
        self.esp.iter().chain(self.ah.iter()).chain(self.pcp.iter())
    }

    pub(crate) fn all_mut(&mut self) -> impl Iterator<Item = &mut Sa> {
        self.esp
            .iter_mut()
            .chain(self.ah.iter_mut())
            .chain(self.pcp.iter_mut())
    }

    /// No SA at all.
    pub fn is_empty(&self) -> bool {
        self.esp.is_empty() && self.ah.is_empty() && self.pcp.is_empty()
    }
}

/// One block of `show crypto ipsec sa`: an interface / crypto-map entry /
/// identity pair with its counters and SAs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IpsecSaBlock {
    /// First line of the block.
    pub line: u64,
    /// `interface:`.
    pub interface: Option<Text>,
    /// ASA `show crypto ipsec sa peer`: the `peer address:` header.
    pub peer_address: Option<Text>,
    /// `Crypto map tag:`.
    pub crypto_map: Option<Text>,
    /// ASA `seq num:`.
    pub seq: Option<u32>,
    /// `local addr` (ASA may print a `names` alias instead of an address).
    pub local_addr: Option<Text>,
    /// IOS `protected vrf:`, ASA 9.x `Protected vrf (ivrf):`.
    pub protected_vrf: Option<Text>,
    /// ASA: the crypto ACL line of the entry.
    pub access_list: Option<Text>,
    /// `local ident (addr/mask/prot/port)`.
    pub local_ident: Option<Ident>,
    /// `remote ident (addr/mask/prot/port)`.
    pub remote_ident: Option<Ident>,
    /// `current_peer`.
    pub current_peer: Option<Text>,
    /// IOS `current_peer A port N`.
    pub peer_port: Option<u16>,
    /// `dynamic allocated peer ip:` (remote access).
    pub dynamic_peer: Option<Text>,
    /// `PERMIT` / `DENY`.
    pub action: Option<Text>,
    /// `flags={…}` contents.
    pub flags: Option<Text>,
    /// Every counter.
    pub counters: Counters,
    /// `local crypto endpt.`.
    pub local_endpoint: Option<Text>,
    /// ASA `local crypto endpt.: A/port`.
    pub local_endpoint_port: Option<u16>,
    /// `remote crypto endpt.`.
    pub remote_endpoint: Option<Text>,
    /// ASA `remote crypto endpt.: A/port`.
    pub remote_endpoint_port: Option<u16>,
    /// IOS-XE `plaintext mtu`.
    pub plaintext_mtu: Option<u32>,
    /// `path mtu`.
    pub path_mtu: Option<u32>,
    /// IOS `ip mtu` (`ipv6 mtu` for an IPv6 tunnel).
    pub ip_mtu: Option<u32>,
    /// IOS `ip mtu idb` (`ipv6 mtu idb`).
    pub ip_mtu_idb: Option<Text>,
    /// `media mtu`.
    pub media_mtu: Option<u32>,
    /// ASA/PIX `ipsec overhead N`.
    pub ipsec_overhead: Option<u32>,
    /// ASA `ipsec overhead N(M)`: the figure in parentheses.
    pub ipsec_overhead_inner: Option<u32>,
    /// ASA `PMTU time remaining (sec):`.
    pub pmtu_time_remaining: Option<u64>,
    /// ASA `DF policy:`.
    pub df_policy: Option<Text>,
    /// ASA `ICMP error validation:`.
    pub icmp_error_validation: Option<Text>,
    /// ASA `TFC packets:`.
    pub tfc_packets: Option<Text>,
    /// `current outbound spi:` as printed.
    pub current_outbound_spi: Option<Text>,
    /// ASA `current inbound spi :` as printed.
    pub current_inbound_spi: Option<Text>,
    /// IOS `PFS (Y/N):`.
    pub pfs: Option<Text>,
    /// IOS `DH group:`.
    pub dh_group: Option<Text>,
    /// The post-quantum key exchange added to the SA's keying, printed
    /// after the DH group: IOS-XE 17 `PQC Key Exchange: ML-KEM-1024` or
    /// `AKE group: AKE1: MLKEM512` (as printed after the label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pqc_key_exchange: Option<Text>,
    /// IOS-XE `IPsecv6 policy name:` (OSPFv3 authentication / encryption
    /// policies: `OSPFv3-2552`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipsec_policy: Option<Text>,
    /// Inbound SAs.
    pub inbound: SaSet,
    /// Outbound SAs.
    pub outbound: SaSet,
    /// `show crypto ipsec sa address`: the `dest address:` the block lists
    /// SAs for (a header of its own: no interface, identities or counters).
    pub dest_address: Option<Text>,
    /// `show crypto ipsec sa address`: the SAs under `dest address:`, in
    /// the order printed, of [`Direction::Unknown`] (each has its
    /// protocol). They are inbound if the address is this device's,
    /// outbound if it is a peer's; only the diagnosis, knowing the devices'
    /// addresses, can tell. One list, not an [`SaSet`]: every block of the
    /// other layouts carries it empty, and three more vectors per block
    /// measured in the parse.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undirected: Vec<Sa>,
    /// Key lines of the block (header, identities, counters, endpoints,
    /// MTU), for evidence.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

impl IpsecSaBlock {
    /// The SAs protect a routing protocol's multicast to a group address
    /// (OSPFv3 authentication or encryption: `current_peer FF02::5`, manual
    /// keys), not a tunnel to a peer: nothing answers in kind, so the
    /// counters say nothing about a tunnel.
    pub fn is_multicast(&self) -> bool {
        self.peer()
            .is_some_and(ipsec_doctor_model::is_group_address)
    }

    /// The remote peer: `current_peer`, else the remote endpoint, else the
    /// `peer address:` header.
    pub fn peer(&self) -> Option<&str> {
        self.current_peer
            .as_deref()
            .or(self.remote_endpoint.as_deref())
            .or(self.peer_address.as_deref())
    }

    /// The local crypto endpoint: `local crypto endpt.`, else `local addr`.
    pub fn local(&self) -> Option<&str> {
        self.local_endpoint
            .as_deref()
            .or(self.local_addr.as_deref())
    }

    /// Every SA of the block: outbound, inbound, then those of unknown
    /// direction (`show crypto ipsec sa address`).
    pub fn sas(&self) -> impl Iterator<Item = &Sa> {
        self.outbound
            .all()
            .chain(self.inbound.all())
            .chain(self.undirected.iter())
    }

    pub(crate) fn sas_mut(&mut self) -> impl Iterator<Item = &mut Sa> {
        self.outbound
            .all_mut()
            .chain(self.inbound.all_mut())
            .chain(self.undirected.iter_mut())
    }

    /// The transform of the first ESP SA that prints one (outbound first),
    /// else the first transform seen: with an AH + ESP bundle the ESP SA's
    /// (`esp-des esp-md5-hmac`) tells the cipher, the AH SA's only the
    /// hash, and `show crypto ipsec sa address` prints AH first.
    pub fn transform(&self) -> Option<&str> {
        self.sas()
            .filter(|s| s.protocol == SaProtocol::Esp)
            .find_map(|s| s.transform.as_deref())
            .or_else(|| self.sas().find_map(|s| s.transform.as_deref()))
    }

    /// Whether the SAs run in tunnel mode (false when every SA says Transport).
    pub fn tunnel_mode(&self) -> bool {
        !self
            .sas()
            .filter_map(|s| s.settings.as_deref())
            .any(|s| s.contains("Transport"))
    }

    /// Whether the SAs use NAT-T (UDP encapsulation).
    pub fn nat_t(&self) -> bool {
        self.local_endpoint_port == Some(4500)
            || self.peer_port == Some(4500)
            || self
                .sas()
                .filter_map(|s| s.settings.as_deref())
                .any(|s| s.contains("UDP-Encaps") || s.contains("NAT-T"))
    }

    /// The SAs of one direction and protocol (every protocol in one list
    /// when the direction is not printed).
    fn list_mut(&mut self, dir: Direction, proto: SaProtocol) -> &mut Vec<Sa> {
        match dir {
            Direction::Inbound => self.inbound.list(proto),
            Direction::Outbound => self.outbound.list(proto),
            Direction::Unknown => &mut self.undirected,
        }
    }

    fn has_ident(&self) -> bool {
        self.local_ident.is_some() || self.remote_ident.is_some()
    }
}

/// Parser state for `show crypto ipsec sa`.
#[derive(Debug, Default)]
pub(crate) struct IpsecParser {
    cur: Option<usize>,
    interface: Option<Text>,
    peer_address: Option<Text>,
    map: Option<(Text, Option<u32>, Option<Text>)>,
    list: Option<(Direction, SaProtocol)>,
    expect_bitmap: bool,
}

impl IpsecParser {
    /// Forgets the current block (a new command or section started).
    pub(crate) fn reset(&mut self) {
        *self = IpsecParser::default();
    }

    fn new_block(&mut self, out: &mut Vec<IpsecSaBlock>, line: u64) -> usize {
        let mut b = IpsecSaBlock {
            line,
            interface: self.interface.clone(),
            peer_address: self.peer_address.clone(),
            // Key lines of a block: 9 to 27 in the corpus, 21 for most ASA blocks.
            evidence: Vec::with_capacity(24),
            ..IpsecSaBlock::default()
        };
        if let Some((m, seq, addr)) = &self.map {
            b.crypto_map = Some(m.clone());
            b.seq = *seq;
            b.local_addr = addr.clone();
        }
        out.push(b);
        self.list = None;
        self.expect_bitmap = false;
        let i = out.len() - 1;
        self.cur = Some(i);
        i
    }

    fn block<'o>(&mut self, out: &'o mut Vec<IpsecSaBlock>, line: u64) -> &'o mut IpsecSaBlock {
        let i = match self.cur {
            Some(i) if i < out.len() => i,
            _ => self.new_block(out, line),
        };
        &mut out[i]
    }

    /// The block that a new identity set belongs to: the current one while
    /// it has no identity yet, else a new one in the same context.
    fn ident_block<'o>(
        &mut self,
        out: &'o mut Vec<IpsecSaBlock>,
        line: u64,
    ) -> &'o mut IpsecSaBlock {
        let fresh = matches!(self.cur, Some(i) if i < out.len() && !out[i].has_ident()
            && out[i].counters == Counters::default() && out[i].inbound.is_empty() && out[i].outbound.is_empty());
        let i = match self.cur {
            Some(i) if fresh => i,
            _ => self.new_block(out, line),
        };
        &mut out[i]
    }

    fn sa<'o>(&self, out: &'o mut [IpsecSaBlock]) -> Option<&'o mut Sa> {
        let (dir, proto) = self.list?;
        let b = out.get_mut(self.cur?)?;
        b.list_mut(dir, proto).last_mut()
    }

    /// Handles one (logical) line; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<IpsecSaBlock>,
        counts: &mut Vec<IpsecSaCount>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        let ok = self.dispatch(out, counts, notes, no, s);
        if ok {
            if let Some(what) = evidence_kind(s) {
                if let Some(b) = self.cur.and_then(|i| out.get_mut(i)) {
                    b.evidence.push(LineRef::new(notes, no, s, what));
                }
            }
        }
        ok
    }

    fn dispatch(
        &mut self,
        out: &mut Vec<IpsecSaBlock>,
        counts: &mut Vec<IpsecSaCount>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        let b = s.as_bytes();
        if b.is_empty() {
            return false;
        }
        if self.expect_bitmap && b[0] == b'0' {
            if let Some(sa) = self.sa(out) {
                let words = squeeze(s);
                sa.anti_replay_bitmap = Some(match sa.anti_replay_bitmap.take() {
                    Some(prev) if !prev.is_empty() => format!("{prev} {words}").into(),
                    _ => words,
                });
                return true;
            }
        }
        self.expect_bitmap = false;
        match b[0] {
            b'#' => {
                // `| include encaps|decaps` keeps only the counter lines of
                // every block, one block after the other: a counter line the
                // current block already has starts the next block.
                if let Some(c) = self.cur.and_then(|i| out.get(i)).map(|b| &b.counters) {
                    if (c.encaps.is_some() && s.starts_with("#pkts encaps:"))
                        || (c.decaps.is_some() && s.starts_with("#pkts decaps:"))
                    {
                        self.new_block(out, no);
                    }
                }
                let blk = self.block(out, no);
                blk.counters.parse_into(s)
            }
            b'i' => {
                if let Some(v) = after(s, "interface:") {
                    self.interface = words(v).next().map(Text::from);
                    self.peer_address = None;
                    self.map = None;
                    self.new_block(out, no);
                    true
                } else if let Some(rest) = s.strip_prefix("inbound ") {
                    self.sa_list(out, no, Direction::Inbound, rest)
                } else if let Some(v) = after(s, "in use settings") {
                    let v = v.trim_start_matches('=').trim_start();
                    let inner = v.trim_start_matches('{');
                    let inner = inner.split('}').next().unwrap_or(inner);
                    let inner = trim(inner).trim_end_matches(',').trim_end();
                    match self.sa(out) {
                        Some(sa) => {
                            sa.settings = Some(inner.into());
                            true
                        }
                        None => false,
                    }
                } else {
                    false
                }
            }
            b'o' => match s.strip_prefix("outbound ") {
                Some(rest) => self.sa_list(out, no, Direction::Outbound, rest),
                None => false,
            },
            b'p' => {
                if let Some(v) = after(s, "peer address:") {
                    self.peer_address = words(v).next().map(Text::from);
                    self.interface = None;
                    self.map = None;
                    self.new_block(out, no);
                    true
                } else if let Some(v) = after(s, "protected vrf:") {
                    let blk = self.ident_block(out, no);
                    blk.protected_vrf = Some(v.into());
                    true
                } else if s.starts_with("path mtu") || s.starts_with("plaintext mtu") {
                    self.mtu_items(out, no, s)
                } else if let Some(v) = after(s, "protocol:") {
                    self.address_protocol(out, v)
                } else {
                    false
                }
            }
            b'm' if s.starts_with("media mtu") => self.mtu_items(out, no, s),
            b'C' => match after(s, "Crypto map tag:") {
                Some(v) => {
                    self.crypto_map_tag(out, no, v);
                    true
                }
                None => false,
            },
            b'l' => {
                if s.starts_with("local ident") || s.starts_with("local  ident") {
                    let v = find(s, "):").map(|i| &s[i + 2..]).unwrap_or("");
                    let blk = self.ident_block(out, no);
                    blk.local_ident = Ident::parse(v);
                    true
                } else if s.starts_with("local crypto endpt") {
                    self.endpoints(out, no, s);
                    true
                } else {
                    false
                }
            }
            b'r' => {
                if s.starts_with("remote ident") {
                    let v = find(s, "):").map(|i| &s[i + 2..]).unwrap_or("");
                    let blk = self.block(out, no);
                    if blk.remote_ident.is_some() {
                        // Two remote idents in a row: a new set.
                        let blk = self.new_block(out, no);
                        out[blk].remote_ident = Ident::parse(v);
                    } else {
                        blk.remote_ident = Ident::parse(v);
                    }
                    true
                } else if s.starts_with("remote crypto endpt") {
                    self.endpoints(out, no, s);
                    true
                } else if let Some(v) = after(s, "replay detection support:") {
                    self.replay(out, v)
                } else {
                    false
                }
            }
            b'c' => {
                if let Some(v) = s.strip_prefix("current_peer") {
                    let v = trim(v.trim_start_matches(':'));
                    let mut it = words(v);
                    let blk = self.block(out, no);
                    let peer = it.next().map(strip_punct).unwrap_or("");
                    // PIX 6.x prints `current_peer: 192.168.1.2:500`.
                    match peer.split_once(':') {
                        Some((a, p)) if crate::text::is_ipv4(a) => {
                            blk.current_peer = Some(a.into());
                            blk.peer_port = num(p).and_then(|p| u16::try_from(p).ok());
                        }
                        // `current_peer (none) port 500`: the root identity
                        // of a tunnel interface (`DENY, flags={ident_is_root,}`)
                        // has no peer.
                        _ => {
                            blk.current_peer = Some(peer.into())
                                .filter(|p: &Text| !p.is_empty() && p.as_str() != "(none)")
                        }
                    }
                    if it.next() == Some("port") {
                        blk.peer_port = it.next().and_then(num).and_then(|p| u16::try_from(p).ok());
                    }
                    true
                } else if let Some(v) = after(s, "current outbound spi") {
                    let v = trim(v.trim_start_matches(':'));
                    let blk = self.block(out, no);
                    blk.current_outbound_spi = words(v).next().map(Text::from);
                    true
                } else if let Some(v) = after(s, "current inbound spi") {
                    let v = trim(v.trim_start_matches(':'));
                    let blk = self.block(out, no);
                    blk.current_inbound_spi = words(v).next().map(Text::from);
                    true
                } else if s.starts_with("conn id:") || s.starts_with("conn_id:") {
                    self.sa_items(out, s)
                } else {
                    false
                }
            }
            b'd' => {
                if let Some(v) = after(s, "dynamic allocated peer ip:") {
                    let blk = self.block(out, no);
                    blk.dynamic_peer = words(v).next().map(Text::from);
                    true
                } else if let Some(v) = after(s, "dest address:") {
                    self.dest_address(out, no, v);
                    true
                } else {
                    false
                }
            }
            b'P' | b'D' => {
                if s.starts_with("PERMIT") || s.starts_with("DENY") {
                    let blk = self.block(out, no);
                    let action = s.split([',', ' ']).next().unwrap_or("");
                    blk.action = Some(action.into());
                    if let Some(i) = find(s, "flags={") {
                        let f = &s[i + 7..];
                        blk.flags = Some(f.split('}').next().unwrap_or(f).into());
                    }
                    true
                } else if let Some(v) = after(s, "PFS (Y/N):") {
                    pfs_items(self.block(out, no), v);
                    true
                } else if s.starts_with("PMTU time remaining") {
                    self.asa_items(out, no, s)
                } else if let Some(v) = after(s, "Protected vrf (ivrf):") {
                    // ASA 9.x: the inside VRF of the entry (`Global`), where
                    // IOS prints `protected vrf:`; it follows the ACL line,
                    // in the block the crypto map tag opened.
                    let blk = self.ident_block(out, no);
                    blk.protected_vrf = Some(v.into());
                    true
                } else {
                    false
                }
            }
            b'I' => {
                if s.starts_with("ICMP error validation") {
                    self.asa_items(out, no, s)
                } else if s.starts_with("IPsec") {
                    self.ipsec_lines(out, counts, no, s)
                } else if let Some(v) = after(s, "IV size:") {
                    match self.sa(out) {
                        Some(sa) => {
                            sa.iv_size = words(v).next().and_then(num32);
                            true
                        }
                        None => false,
                    }
                } else {
                    false
                }
            }
            b's' => {
                if let Some(v) = after(s, "spi:") {
                    self.new_sa(out, notes, no, s, v)
                } else if s.starts_with("slot:") {
                    self.sa_items(out, s)
                } else if let Some(v) = after(s, "sa timing:") {
                    self.timing(out, v)
                } else if s.starts_with("sibling_flags") {
                    self.sa_items(out, s)
                } else {
                    false
                }
            }
            b'f' if s.starts_with("flow_id") => self.sa_items(out, s),
            b't' => match after(s, "transform:") {
                Some(v) => match self.sa(out) {
                    Some(sa) => {
                        let t = trim(v.trim_end_matches(',').trim_end());
                        sa.transform = Some(squeeze(t));
                        true
                    }
                    None => false,
                },
                None => false,
            },
            b'S' => {
                if let Some(v) = after(s, "SA State:") {
                    match self.sa(out) {
                        Some(sa) => {
                            sa.state = Some(v.into());
                            true
                        }
                        None => false,
                    }
                } else if let Some(v) = after(s, "Status:") {
                    match self.sa(out) {
                        Some(sa) => {
                            sa.status = words(v).next().map(Text::from);
                            true
                        }
                        None => false,
                    }
                } else {
                    false
                }
            }
            b'T' if s.starts_with("There are no ipsec sas") => true,
            b'n' if s.starts_with("no sa timing") => match self.sa(out) {
                Some(sa) => {
                    sa.manual = true;
                    true
                }
                None => false,
            },
            b'K' if s.starts_with("Kilobyte Volume Rekey") => match self.sa(out) {
                Some(sa) => {
                    sa.kb_rekey_disabled = find(s, "disabled").is_some();
                    true
                }
                None => false,
            },
            b'A' if s.starts_with("Anti replay bitmap") => match self.sa(out) {
                Some(sa) => {
                    let v = s.split_once(':').map(|(_, v)| trim(v)).unwrap_or("");
                    sa.anti_replay_bitmap = Some(squeeze(v));
                    self.expect_bitmap = true;
                    true
                }
                None => false,
            },
            b'a' if s.starts_with("access-list ")
                && (find(s, " extended ").is_some()
                    || matches!(words(s).nth(2), Some("permit" | "deny" | "standard"))) =>
            {
                // ASA prints the crypto ACL between `Crypto map tag:` and
                // the identities; anywhere else it is not part of the output.
                match self.cur.and_then(|i| out.get_mut(i)) {
                    Some(blk)
                        if blk.access_list.is_none()
                            && !blk.has_ident()
                            && blk.counters == Counters::default() =>
                    {
                        blk.access_list = Some(squeeze(s));
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// IOS-XE `IPsecv6 policy name: P` and `show crypto ipsec sa count`'s
    /// `IPsec SA total: N, …`.
    // Rare: kept out of the per-line dispatch.
    #[inline(never)]
    fn ipsec_lines(
        &mut self,
        out: &mut Vec<IpsecSaBlock>,
        counts: &mut Vec<IpsecSaCount>,
        no: u64,
        s: &str,
    ) -> bool {
        if let Some(v) = after(s, "IPsecv6 policy name:") {
            self.block(out, no).ipsec_policy = Some(v.into());
            return true;
        }
        match IpsecSaCount::parse(no, s) {
            Some(c) => {
                counts.push(c);
                true
            }
            None => false,
        }
    }

    fn crypto_map_tag(&mut self, out: &mut Vec<IpsecSaBlock>, no: u64, v: &str) {
        let mut map = Text::default();
        let mut seq = None;
        let mut addr = None;
        for (i, item) in v.split(',').enumerate() {
            let item = trim(item);
            if i == 0 {
                map = Text::from(item);
            } else if let Some(n) = after(item, "seq num:") {
                seq = num32(n);
            } else if let Some(a) = item.strip_prefix("local addr") {
                let a = trim(a.trim_start_matches(['.', ':']));
                addr = words(a).next().map(|a| Text::from(strip_punct(a)));
            }
        }
        self.map = Some((map.clone(), seq, addr.clone()));
        let fresh = matches!(self.cur, Some(i) if i < out.len() && out[i].crypto_map.is_none() && !out[i].has_ident());
        let i = match self.cur {
            Some(i) if fresh => i,
            _ => self.new_block(out, no),
        };
        let blk = &mut out[i];
        blk.crypto_map = Some(map);
        blk.seq = seq;
        blk.local_addr = addr;
    }

    fn sa_list(
        &mut self,
        out: &mut Vec<IpsecSaBlock>,
        no: u64,
        dir: Direction,
        rest: &str,
    ) -> bool {
        let proto = if rest.starts_with("esp sas") {
            SaProtocol::Esp
        } else if rest.starts_with("ah sas") {
            SaProtocol::Ah
        } else if rest.starts_with("pcp sas") {
            SaProtocol::Pcp
        } else {
            return false;
        };
        self.block(out, no);
        self.list = Some((dir, proto));
        true
    }

    fn new_sa(
        &mut self,
        out: &mut Vec<IpsecSaBlock>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        v: &str,
    ) -> bool {
        let Some((dir, proto)) = self.list else {
            return false;
        };
        let list = self.block(out, no).list_mut(dir, proto);
        let mut sa = Sa::new(no, proto, dir, v);
        sa.spi_line = Some(LineRef::new(notes, no, s, What::Spi));
        // Usually one SA per list (two during a rekey): no room for four.
        if list.is_empty() {
            list.reserve_exact(1);
        }
        list.push(sa);
        true
    }

    /// `dest address: A` (`show crypto ipsec sa address`): a block per
    /// destination, outside any interface or crypto map.
    // Rare: kept out of the per-line dispatch.
    #[inline(never)]
    fn dest_address(&mut self, out: &mut Vec<IpsecSaBlock>, no: u64, v: &str) {
        self.interface = None;
        self.peer_address = None;
        self.map = None;
        let i = self.new_block(out, no);
        out[i].dest_address = words(v).next().map(Text::from);
    }

    /// `   protocol: ESP` under `dest address:`: the SAs that follow are of
    /// that protocol, their direction not printed.
    // Rare: kept out of the per-line dispatch.
    #[inline(never)]
    fn address_protocol(&mut self, out: &[IpsecSaBlock], v: &str) -> bool {
        // Only an address block has protocol lines; elsewhere the line is
        // not understood.
        if !matches!(self.cur.and_then(|i| out.get(i)), Some(b) if b.dest_address.is_some()) {
            return false;
        }
        let proto = match words(v).next() {
            Some(p) if p.eq_ignore_ascii_case("ESP") => Some(SaProtocol::Esp),
            Some(p) if p.eq_ignore_ascii_case("AH") => Some(SaProtocol::Ah),
            Some(p) if p.eq_ignore_ascii_case("PCP") => Some(SaProtocol::Pcp),
            // A protocol this parser does not know: its SAs are not filed
            // under the previous one.
            _ => None,
        };
        self.list = proto.map(|p| (Direction::Unknown, p));
        self.list.is_some()
    }

    /// `slot: 0, conn id: 3442, flow_id: 1443, crypto map: test` and the
    /// IOS-XE / ASA variants (any subset, any order).
    fn sa_items(&mut self, out: &mut [IpsecSaBlock], s: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        // Items are separated by ", " (a comma inside an item, as in
        // `crypto map: a,b`, is not followed by a space).
        let b = s.as_bytes();
        let mut from = 0;
        while from < b.len() {
            let end = (from..b.len())
                .find(|&k| b[k] == b',' && b.get(k + 1) == Some(&b' '))
                .unwrap_or(b.len());
            let item = trim(s.get(from..end).unwrap_or(""));
            from = end + 2;
            if let Some(v) = after(item, "slot:") {
                sa.slot = num32(v);
            } else if let Some(v) = after(item, "conn id:").or_else(|| after(item, "conn_id:")) {
                sa.conn_id = words(v).next().and_then(num);
            } else if let Some(v) = after(item, "flow_id:").or_else(|| after(item, "flow id:")) {
                sa.flow_id = Some(strip_punct(v).into());
            } else if let Some(v) = after(item, "sibling_flags") {
                sa.sibling_flags = Some(strip_punct(v).into());
            } else if let Some(v) =
                after(item, "crypto map:").or_else(|| after(item, "crypto-map:"))
            {
                sa.crypto_map = words(v).next().map(|m| strip_punct(m).into());
            } else if let Some(v) = item.strip_prefix("initiator") {
                sa.initiator = initiator(v);
            }
        }
        true
    }

    /// `sa timing: remaining key lifetime (k/sec): (4608000/52)` and the
    /// ASA forms `(kB/sec): (a/b)` and `(sec): 548`.
    fn timing(&mut self, out: &mut [IpsecSaBlock], v: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        let (unit, value) = match memchr::memmem::rfind(v.as_bytes(), b"):") {
            Some(i) => (&v[..i], trim(&v[i + 2..])),
            None => ("", v),
        };
        let value = value.trim_start_matches('(');
        let value = value.split(')').next().unwrap_or(value);
        if let Some((a, b)) = value.split_once('/') {
            sa.lifetime_kb = num(trim(a));
            sa.lifetime_sec = num(trim(b));
        } else if unit.ends_with("(sec") {
            sa.lifetime_sec = words(value).next().and_then(num);
        } else if unit.ends_with("(k") || unit.ends_with("(kB") {
            sa.lifetime_kb = words(value).next().and_then(num);
        } else if unit.is_empty() {
            // No `(unit):` label: `remaining key lifetime 1 hours, 10 mins`
            // (IOS-XE with volume rekey disabled), or a bare figure.
            sa.lifetime_sec = spelt_duration(value);
        } else {
            sa.lifetime_sec = words(value).next().and_then(num);
        }
        true
    }

    fn replay(&mut self, out: &mut [IpsecSaBlock], v: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        sa.replay_detection = words(v).next().map(Text::from);
        if let Some(i) = find(v, "window size:") {
            sa.replay_window = words(&v[i + 12..]).next().and_then(num32);
        }
        true
    }

    /// `local crypto endpt.: A, remote crypto endpt.: B` (ASA adds `/port`).
    fn endpoints(&mut self, out: &mut Vec<IpsecSaBlock>, no: u64, s: &str) {
        let blk = self.block(out, no);
        for item in s.split(',') {
            let item = trim(item);
            let (is_local, rest) = if let Some(r) = item.strip_prefix("local crypto endpt") {
                (true, r)
            } else if let Some(r) = item.strip_prefix("remote crypto endpt") {
                (false, r)
            } else {
                continue;
            };
            let v = trim(rest.trim_start_matches(['.', ':']));
            let Some(w) = words(v).next() else { continue };
            let (a, p) = addr_port(w);
            if is_local {
                blk.local_endpoint = Some(a);
                blk.local_endpoint_port = p;
            } else {
                blk.remote_endpoint = Some(a);
                blk.remote_endpoint_port = p;
            }
        }
    }

    /// `plaintext mtu 1438, path mtu 1500, ip mtu 1500, ip mtu idb Eth0/0`,
    /// `path mtu 1500, ipsec overhead 82(52), media mtu 1500`.
    fn mtu_items(&mut self, out: &mut Vec<IpsecSaBlock>, no: u64, s: &str) -> bool {
        let blk = self.block(out, no);
        for item in s.split(',') {
            let item = trim(item);
            if let Some(v) = after(item, "plaintext mtu") {
                blk.plaintext_mtu = num32(v);
            } else if let Some(v) = after(item, "path mtu") {
                blk.path_mtu = words(v).next().and_then(num32);
            } else if let Some(v) =
                after(item, "ip mtu idb").or_else(|| after(item, "ipv6 mtu idb"))
            {
                blk.ip_mtu_idb = Some(v.into());
            } else if let Some(v) = after(item, "ip mtu").or_else(|| after(item, "ipv6 mtu")) {
                // An IPv6 tunnel prints its interface's `ipv6 mtu` in the same place.
                blk.ip_mtu = num32(v);
            } else if let Some(v) = after(item, "media mtu") {
                blk.media_mtu = words(v).next().and_then(num32);
            } else if let Some(v) = after(item, "ipsec overhead") {
                let w = words(v).next().unwrap_or("");
                let (a, b) = match w.split_once('(') {
                    Some((a, b)) => (a, Some(b.trim_end_matches(')'))),
                    None => (w, None),
                };
                blk.ipsec_overhead = num32(a);
                blk.ipsec_overhead_inner = b.and_then(num32);
            }
        }
        true
    }

    /// ASA `PMTU time remaining (sec): 0, DF policy: copy-df` and
    /// `ICMP error validation: disabled, TFC packets: disabled`.
    fn asa_items(&mut self, out: &mut Vec<IpsecSaBlock>, no: u64, s: &str) -> bool {
        let blk = self.block(out, no);
        for item in s.split(',') {
            let item = trim(item);
            if let Some(v) = after(item, "PMTU time remaining (sec):") {
                blk.pmtu_time_remaining = num(v);
            } else if let Some(v) = after(item, "DF policy:") {
                blk.df_policy = Some(v.into());
            } else if let Some(v) = after(item, "ICMP error validation:") {
                blk.icmp_error_validation = Some(v.into());
            } else if let Some(v) = after(item, "TFC packets:") {
                blk.tfc_packets = Some(v.into());
            }
        }
        true
    }
}

/// `PFS (Y/N):` items: `N, DH group: none[, PQC Key Exchange: ML-KEM-1024]`,
/// `Y, DH group: group14, AKE group: AKE1: MLKEM512`.
// Once per block: kept out of the per-line dispatch.
#[inline(never)]
fn pfs_items(blk: &mut IpsecSaBlock, v: &str) {
    let mut parts = v.split(',');
    blk.pfs = parts.next().map(|p| trim(p).into());
    for item in parts {
        let item = trim(item);
        if let Some(dh) = after(item, "DH group:") {
            blk.dh_group = Some(dh.into());
        } else if let Some(k) =
            after(item, "PQC Key Exchange:").or_else(|| after(item, "AKE group:"))
        {
            blk.pqc_key_exchange = Some(k.into());
        }
    }
}

/// `initiator : True` (IOS-XE 17) after `initiator`, any spacing round the
/// colon.
#[inline(never)]
fn initiator(v: &str) -> Option<bool> {
    let v = trim(trim(v).trim_start_matches(':'));
    if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") || v.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// Seconds in a lifetime spelt out in words: `1 hours, 10 mins`, `45
/// secs`, `2 days 3 hours` (any text before the first figure, such as
/// `remaining key lifetime`, is passed over); a lone figure is seconds.
/// `None` when no figure is found or a unit is not one of time.
// Rare (one IOS-XE form): kept out of the per-line code.
#[inline(never)]
fn spelt_duration(v: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut pending: Option<u64> = None;
    let mut seen = false;
    for w in words(v) {
        let w = w.trim_end_matches([',', '.']);
        if let Some(n) = num(w) {
            if let Some(p) = pending.replace(n) {
                // Two figures in a row: the first had no unit.
                total = total.checked_add(p)?;
            }
            seen = true;
            continue;
        }
        let Some(n) = pending.take() else {
            // Words before the first figure (`remaining key lifetime`).
            if seen {
                return None;
            }
            continue;
        };
        let unit = w.to_ascii_lowercase();
        let mult = match unit.trim_end_matches('s') {
            "day" => 86_400,
            "hour" | "hr" | "h" => 3_600,
            "min" | "minute" | "m" => 60,
            "sec" | "second" | "" => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(mult)?)?;
    }
    if let Some(p) = pending {
        total = total.checked_add(p)?;
    }
    seen.then_some(total)
}

/// Which key lines of a block are kept for evidence.
fn evidence_kind(s: &str) -> Option<What> {
    let b = s.as_bytes();
    Some(match b.first()? {
        b'#' => What::Counters,
        b'i' if s.starts_with("interface:") => What::Header,
        b'd' if s.starts_with("dest address:") => What::Header,
        b'p' if s.starts_with("peer address:") => What::Header,
        b'C' => What::Header,
        b'l' if s.starts_with("local crypto") => What::Endpoints,
        b'l' => What::Ident,
        b'r' if s.starts_with("remote ident") => What::Ident,
        b'c' if s.starts_with("current_peer") => What::Peer,
        b'p' | b'm' if find(s, "mtu").is_some() => What::Mtu,
        b'a' => What::Ident,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_and_spi_forms() {
        let i = Ident::parse(" (10.1.0.0/255.255.255.0/0/0)").unwrap();
        assert_eq!(i.addr, "10.1.0.0");
        assert_eq!(i.text(), "10.1.0.0/255.255.255.0/0/0");
        assert!(Ident::parse("(garbage)").is_none());
        let sa = Sa::new(
            1,
            SaProtocol::Esp,
            Direction::Inbound,
            "0x1E8246FC (511854332)",
        );
        assert_eq!(sa.spi_hex, "0x1E8246FC");
        assert_eq!(sa.spi, Some(0x1E82_46FC));
        assert_eq!(sa.spi_dec.as_deref(), Some("511854332"));
        let sa = Sa::new(1, SaProtocol::Esp, Direction::Inbound, "0x3D3(979)");
        assert_eq!(sa.spi, Some(979));
    }

    #[test]
    fn lifetimes_spelt_in_words() {
        assert_eq!(
            spelt_duration("remaining key lifetime 1 hours, 10 mins"),
            Some(4200)
        );
        assert_eq!(
            spelt_duration("remaining key lifetime 2 days 1 hour 5 secs"),
            Some(176_405)
        );
        assert_eq!(
            spelt_duration("remaining key lifetime 59 mins."),
            Some(3540)
        );
        assert_eq!(spelt_duration("3600"), Some(3600));
        assert_eq!(spelt_duration("remaining key lifetime"), None);
        assert_eq!(spelt_duration("1 hours, 10 kilobytes"), None);
    }
}
