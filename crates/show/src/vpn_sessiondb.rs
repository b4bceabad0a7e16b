//! ASA `show vpn-sessiondb [detail] l2l` and the `show vpn-sessiondb`
//! summary tables.
//!
//! Lines are `Key : value` pairs, often two per line in two columns
//! (`Index : 1     IP Addr : 172.16.0.1`); values may themselves contain
//! colons (`Encryption : IKEv1: (1)AES128  IPsec: (2)AES256`), so the right
//! column is split only at a known right-column key.

use crate::text::Text;
use crate::text::{find, num, trim, words};
use crate::{LineRef, What};
use serde::Serialize;

/// A number with its unit (`86400 Seconds`, `4608000 K-Bytes`, `30 Minutes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quantity {
    /// Value.
    pub value: u64,
    /// Unit as printed.
    pub unit: Text,
}

impl Quantity {
    fn parse(s: &str) -> Option<Quantity> {
        let mut w = words(s);
        let value = num(w.next()?)?;
        Some(Quantity {
            value,
            unit: w.next().unwrap_or("").into(),
        })
    }
}

/// A key/value pair kept as printed (fields without a named slot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    /// Key.
    pub key: Text,
    /// Value.
    pub value: Text,
}

/// One `IKE:` / `IKEv1:` / `IKEv2:` / `IPsec:` / `IPsecOverNatT:` / `NAC:`
/// sub-session of an L2L session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VpnSubSession {
    /// Line of the `IPsec:` header.
    pub line: u64,
    /// Kind as printed (`IKE`, `IKEv1`, `IKEv2`, `IPsec`, `IPsecOverNatT`, `NAC`).
    pub kind: Text,
    /// `Session ID` (8.x) or `Tunnel ID` (8.4+, `382305.2`) as printed.
    pub id: Option<Text>,
    /// `UDP Src Port`.
    pub udp_src_port: Option<u64>,
    /// `UDP Dst Port`.
    pub udp_dst_port: Option<u64>,
    /// `IKE Neg Mode`.
    pub neg_mode: Option<Text>,
    /// `Auth Mode`.
    pub auth_mode: Option<Text>,
    /// `Rem Auth Mode` (IKEv2).
    pub rem_auth_mode: Option<Text>,
    /// `Loc Auth Mode` (IKEv2).
    pub loc_auth_mode: Option<Text>,
    /// `Encryption`.
    pub encryption: Option<Text>,
    /// `Hashing`.
    pub hashing: Option<Text>,
    /// `Rekey Int (T)`.
    pub rekey_int_time: Option<Quantity>,
    /// `Rekey Left(T)`.
    pub rekey_left_time: Option<Quantity>,
    /// `Rekey Int (D)`.
    pub rekey_int_data: Option<Quantity>,
    /// `Rekey Left(D)`.
    pub rekey_left_data: Option<Quantity>,
    /// `D/H Group`.
    pub dh_group: Option<Text>,
    /// `PRF`.
    pub prf: Option<Text>,
    /// `PFS Group`.
    pub pfs_group: Option<Text>,
    /// `Local Addr` as printed (`10.0.0.0/255.255.255.0[/0/0]`).
    pub local_addr: Option<Text>,
    /// `Remote Addr` as printed.
    pub remote_addr: Option<Text>,
    /// `Encapsulation`.
    pub encapsulation: Option<Text>,
    /// `Idle Time Out`.
    pub idle_timeout: Option<Quantity>,
    /// `Idle TO Left`.
    pub idle_left: Option<Quantity>,
    /// `Bytes Tx`.
    pub bytes_tx: Option<u64>,
    /// `Bytes Rx`.
    pub bytes_rx: Option<u64>,
    /// `Pkts Tx`.
    pub pkts_tx: Option<u64>,
    /// `Pkts Rx`.
    pub pkts_rx: Option<u64>,
    /// `Filter Name`.
    pub filter_name: Option<Text>,
    /// `IPv6 Filter`.
    pub ipv6_filter: Option<Text>,
    /// Every other field, as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<KeyValue>,
    /// Header, address and packet lines, for evidence.
    #[serde(skip)]
    pub evidence: smallvec::SmallVec<[LineRef; 6]>,
}

impl VpnSubSession {
    /// The part of `Local Addr` / `Remote Addr` before the mask: (address, mask).
    pub fn split_addr(v: &str) -> (String, Option<String>) {
        let mut it = v.split('/');
        let a = it.next().unwrap_or("").to_string();
        (a, it.next().map(str::to_string))
    }

    /// Whether this is an IPsec (data) sub-session.
    pub fn is_ipsec(&self) -> bool {
        self.kind.to_ascii_lowercase().starts_with("ipsec")
    }
}

/// One L2L session (`Connection :` block).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VpnSession {
    /// Line of `Connection :`.
    pub line: u64,
    /// `Session Type:` (`LAN-to-LAN`), without the trailing `Detailed`.
    pub session_type: Option<Text>,
    /// The output was the `detail` form.
    pub detailed: bool,
    /// `Connection` (tunnel-group / peer).
    pub connection: Option<Text>,
    /// `Username` (remote-access sessions, where it opens the session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<Text>,
    /// `Index`.
    pub index: Option<u64>,
    /// `IP Addr` (peer address, or a `names` alias).
    pub ip_addr: Option<Text>,
    /// `Protocol`.
    pub protocol: Option<Text>,
    /// `License`.
    pub license: Option<Text>,
    /// `Encryption` (session summary).
    pub encryption: Option<Text>,
    /// `Hashing` (session summary).
    pub hashing: Option<Text>,
    /// `Bytes Tx`.
    pub bytes_tx: Option<u64>,
    /// `Bytes Rx`.
    pub bytes_rx: Option<u64>,
    /// `Login Time` as printed.
    pub login_time: Option<Text>,
    /// `Duration` as printed.
    pub duration: Option<Text>,
    /// `Filter Name` (session level, 8.x).
    pub filter_name: Option<Text>,
    /// `IKE Sessions: N` / `IKE Tunnels: N` / `IKEv1 Tunnels: N`.
    pub ike_count: Option<u64>,
    /// `IPSec Sessions: N` / `IPsec Tunnels: N` / `IPsecOverNatT Tunnels: N`.
    pub ipsec_count: Option<u64>,
    /// Sub-sessions in order.
    pub subs: Vec<VpnSubSession>,
    /// Every other session-level field, as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<KeyValue>,
    /// Connection and byte-count lines, for evidence.
    #[serde(skip)]
    pub evidence: smallvec::SmallVec<[LineRef; 2]>,
}

/// One row of a `show vpn-sessiondb` summary table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// Line.
    pub line: u64,
    /// The row this one is indented under (`Site-to-Site VPN` for its
    /// `IKEv2 IPsec`); omitted for an outer row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Text>,
    /// Name (`AnyConnect Client`, `IKEv1 IPsec`).
    pub name: Text,
    /// `Active`.
    pub active: Option<u64>,
    /// `Cumulative`.
    pub cumulative: Option<u64>,
    /// `Peak Concur(rent)`.
    pub peak: Option<u64>,
    /// `Inactive` (absent on rows that do not print it).
    pub inactive: Option<u64>,
}

/// `show vpn-sessiondb` (no keyword): session and tunnel summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VpnSummary {
    /// Line of `VPN Session Summary`.
    pub line: u64,
    /// VPN Session Summary rows.
    pub sessions: Vec<SummaryRow>,
    /// `Total Active and Inactive`.
    pub total_active_and_inactive: Option<u64>,
    /// `Total Cumulative`.
    pub total_cumulative: Option<u64>,
    /// `Device Total VPN Capacity`.
    pub capacity: Option<u64>,
    /// `Device Load` in percent.
    pub load_percent: Option<u64>,
    /// Tunnels Summary rows.
    pub tunnels: Vec<SummaryRow>,
    /// `Totals` active.
    pub totals_active: Option<u64>,
    /// `Totals` cumulative.
    pub totals_cumulative: Option<u64>,
}

/// Whether `k` is a key printed in the right-hand column.
fn is_right_key(k: &str) -> bool {
    matches!(
        k,
        "IP Addr"
            | "Encryption"
            | "Hashing"
            | "Bytes Rx"
            | "UDP Dst Port"
            | "Auth Mode"
            | "Rekey Left(T)"
            | "Rekey Left(D)"
            | "PFS Group"
            | "Idle TO Left"
            | "Conn TO Left"
            | "Pkts Rx"
            | "D/H Group"
            | "Reval Left(T)"
            | "EoU Age(T)"
            | "Posture Token"
            | "Tunnel Group"
            | "Group Policy"
            | "Pkts Rx Drop"
            | "Bytes Rx Drop"
            // Remote-access (AnyConnect) sessions: `Username : u  Index : 1`,
            // `Assigned IP : A  Public IP : B`, `VLAN Mapping : N/A  VLAN : none`.
            | "Index"
            | "Public IP"
            | "VLAN"
    )
}

/// The `Key : value` pairs of a line: one, or two in two columns.
type Pairs<'a> = ((&'a str, &'a str), Option<(&'a str, &'a str)>);

/// Splits a `Key : value [  Key2 : value2]` line.
// Per line of `detail l2l` output, a third of whose bytes are the spaces
// that pad the columns: the common shapes are read in one forward pass
// (`kv_pairs_fast`), the rest by the general rule.
#[inline]
fn kv_pairs(s: &str) -> Option<Pairs<'_>> {
    match kv_pairs_fast(s) {
        Fast::Pairs(p) => Some(p),
        Fast::NoColon => None,
        Fast::General => kv_pairs_general(s),
    }
}

/// What the forward pass made of a line.
enum Fast<'a> {
    Pairs(Pairs<'a>),
    NoColon,
    /// A shape the forward pass does not decide (a colon in the left value
    /// after a wide gap, a gap inside a key, a tab …).
    General,
}

/// The first index at or after `i` whose byte is not a space (eight bytes
/// at a time: the column gaps run to twenty spaces and more).
#[inline]
fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ 0x2020_2020_2020_2020;
        if x != 0 {
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// Where a run of text that ends at a colon or at a double space stops.
enum Stop {
    Colon(usize),
    Gap(usize),
    End,
    /// A control byte (tab …): left to the general rule.
    Odd,
}

/// Scans `b` from `i` to the first colon or double space.
#[inline]
fn scan_to_stop(b: &[u8], mut i: usize) -> Stop {
    while let Some(&c) = b.get(i) {
        if c <= b' ' {
            if c != b' ' {
                return Stop::Odd;
            }
            if b.get(i + 1) == Some(&b' ') {
                return Stop::Gap(i);
            }
        } else if c == b':' {
            return Stop::Colon(i);
        }
        i += 1;
    }
    Stop::End
}

/// [`kv_pairs_general`] for the shapes real output has, in one forward pass
/// (its result is the general rule's, a property test holds it to that).
fn kv_pairs_fast(s: &str) -> Fast<'_> {
    let b = s.as_bytes();
    // The first key: up to its colon, or up to a gap that only spaces
    // separate from the colon (`Index        : 1`).
    let colon = match scan_to_stop(b, 0) {
        Stop::Colon(c) => c,
        Stop::Gap(g) => {
            let j = skip_spaces(b, g);
            if b.get(j) != Some(&b':') {
                return Fast::General;
            }
            j
        }
        Stop::End => return Fast::NoColon,
        Stop::Odd => return Fast::General,
    };
    let key = trim(&s[..colon]);
    let rest = &s[colon + 1..];
    let r = rest.as_bytes();
    let vstart = skip_spaces(r, 0);
    // The left value: up to the first double space. A colon inside it is
    // a value's own (`09:32:03`) unless a wide gap opened the value, when
    // the general rule may read what precedes it as a right-column key.
    let mut i = vstart;
    let gap = loop {
        match scan_to_stop(r, i) {
            // ` : ` inside the value: a right-column key after a single
            // space (text whose column gaps were squeezed), for the general
            // rule to find.
            Stop::Colon(c) if c > 0 && r[c - 1] == b' ' => return Fast::General,
            Stop::Colon(c) if vstart < 2 => i = c + 1,
            Stop::Gap(g) => break g,
            Stop::End => return Fast::Pairs(((key, trim(&rest[vstart..])), None)),
            Stop::Colon(_) | Stop::Odd => return Fast::General,
        }
    };
    // The right key: after the gap, up to its colon.
    let kstart = skip_spaces(r, gap);
    let c2 = match scan_to_stop(r, kstart) {
        Stop::Colon(c) => c,
        Stop::Gap(g) => {
            let j = skip_spaces(r, g);
            match r.get(j) {
                Some(b':') => j,
                // No colon after the gap: a one-value line.
                None => return Fast::Pairs(((key, trim(&rest[vstart..])), None)),
                Some(_) => return Fast::General,
            }
        }
        Stop::End => return Fast::Pairs(((key, trim(&rest[vstart..])), None)),
        Stop::Odd => return Fast::General,
    };
    let k = rest[kstart..c2].trim_end_matches(' ');
    if k.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && is_right_key(k) {
        return Fast::Pairs(((key, &rest[vstart..gap]), Some((k, trim(&rest[c2 + 1..])))));
    }
    Fast::General
}

/// Splits a `Key : value [  Key2 : value2]` line: the rule for any text.
fn kv_pairs_general(s: &str) -> Option<Pairs<'_>> {
    let colon = memchr::memchr(b':', s.as_bytes())?;
    let key = trim(&s[..colon]);
    let rest = &s[colon + 1..];
    // The first right-column key: followed by (spaces and) a colon, and
    // preceded by two spaces. Walking from colon to colon (memchr) and
    // looking back for the gap costs less than scanning every byte for
    // double spaces; the key is then looked up once.
    let b = rest.as_bytes();
    let mut from = 0;
    while let Some(off) = memchr::memchr(b':', &b[from..]) {
        let colon = from + off;
        from = colon + 1;
        let head = rest[..colon].trim_end_matches(' ');
        // The key is the text after the last double space.
        let Some(gap) = rfind_gap(head.as_bytes()) else {
            continue;
        };
        let k = &head[gap + 2..];
        if k.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && is_right_key(k) {
            let second = (k, trim(&rest[colon + 1..]));
            return Some(((key, trim(&rest[..gap])), Some(second)));
        }
    }
    Some(squeezed_split(key, rest).unwrap_or(((key, trim(rest)), None)))
}

/// Text whose column gaps were squeezed to one space (`Username : lee
/// Index : 1`, `Bytes Tx : 11079 Bytes Rx : 4942`): the right column starts
/// at the first known right-column key of one to three words that a
/// single space precedes and ` :` follows.
// Only for lines with no double space before a right key: out of line.
#[inline(never)]
fn squeezed_split<'a>(key: &'a str, rest: &'a str) -> Option<Pairs<'a>> {
    let b = rest.as_bytes();
    let mut from = 0;
    while let Some(off) = memchr::memchr(b':', &b[from..]) {
        let colon = from + off;
        from = colon + 1;
        if colon == 0 || b[colon - 1] != b' ' {
            continue;
        }
        let head = rest[..colon].trim_end_matches(' ');
        // The start of each of the last three words.
        let starts = head.rmatch_indices(' ').map(|(i, _)| i + 1).take(3);
        for at in starts {
            let k = &head[at..];
            let left = trim(&head[..at]);
            if !left.is_empty()
                && k.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && is_right_key(k)
            {
                return Some(((key, left), Some((k, trim(&rest[colon + 1..])))));
            }
        }
    }
    None
}

/// The start of the last double space in `b`.
fn rfind_gap(b: &[u8]) -> Option<usize> {
    let mut end = b.len();
    while let Some(i) = memchr::memrchr(b' ', &b[..end]) {
        if i > 0 && b[i - 1] == b' ' {
            return Some(i - 1);
        }
        end = i;
    }
    None
}

/// Whether `k` looks like an ASA field name (`Rekey Int (T)`, `IPv6
/// Filter`), not the start of some other line (`*Oct 25 18`).
fn plausible_key(k: &str) -> bool {
    let b = k.as_bytes();
    if b.is_empty() || b.len() > 24 || !b[0].is_ascii_uppercase() {
        return false;
    }
    // One pass, a table load per byte: allowed characters only, and no
    // word made of digits.
    let (mut len, mut digits) = (0, true);
    for &c in b {
        match KEY_CHAR[usize::from(c)] {
            KeyChar::Space => {
                if len > 0 && digits {
                    return false;
                }
                (len, digits) = (0, true);
            }
            KeyChar::Digit => len += 1,
            KeyChar::Other => {
                len += 1;
                digits = false;
            }
            KeyChar::Bad => return false,
        }
    }
    !(len > 0 && digits)
}

/// The classes of a field name's bytes.
#[derive(Clone, Copy)]
enum KeyChar {
    Bad,
    Space,
    Digit,
    Other,
}

const KEY_CHAR: [KeyChar; 256] = {
    let mut t = [KeyChar::Bad; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b == b' ' {
            KeyChar::Space
        } else if b.is_ascii_digit() {
            KeyChar::Digit
        } else if b.is_ascii_alphabetic() || matches!(b, b'/' | b'(' | b')' | b'-' | b'.') {
            KeyChar::Other
        } else {
            KeyChar::Bad
        };
        c += 1;
    }
    t
};

fn opt(v: &str) -> Option<Text> {
    Some(Text::from(v))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum SummaryPart {
    #[default]
    Sessions,
    Tunnels,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct SessiondbParser {
    session_type: Option<(Text, bool)>,
    cur: Option<usize>,
    sub: bool,
    summary: Option<usize>,
    part: SummaryPart,
    /// The last outer summary row (its indentation and name).
    parent: Option<(usize, Text)>,
}

impl SessiondbParser {
    pub(crate) fn reset(&mut self) {
        *self = SessiondbParser::default();
    }

    fn session<'o>(&mut self, out: &'o mut Vec<VpnSession>, no: u64) -> &'o mut VpnSession {
        let i = match self.cur {
            Some(i) if i < out.len() => i,
            _ => {
                self.new_session(out, no);
                out.len() - 1
            }
        };
        &mut out[i]
    }

    fn new_session(&mut self, out: &mut Vec<VpnSession>, no: u64) {
        let (session_type, detailed) = match &self.session_type {
            Some((t, d)) => (Some(t.clone()), *d),
            None => (None, false),
        };
        out.push(VpnSession {
            line: no,
            session_type,
            detailed,
            ..VpnSession::default()
        });
        self.cur = Some(out.len() - 1);
        self.sub = false;
    }

    /// Handles one line of `show vpn-sessiondb … l2l`.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<VpnSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        if s.bytes().all(|b| b == b'-') {
            return true;
        }
        if s.len() > FLAT_MIN {
            if let Some(pieces) = flat_pieces(s) {
                let mut any = false;
                for p in pieces {
                    any |= self.line(out, notes, no, p);
                }
                return any;
            }
        }
        if s.starts_with("INFO:") {
            // `INFO: There are presently no active sessions` (of that type):
            // no session, and none to make up from the line.
            return find(s, "no active sessions").is_some();
        }
        if let Some(v) = s.strip_prefix("Session Type:") {
            let v = trim(v);
            let detailed = v.ends_with("Detailed");
            let t = trim(v.trim_end_matches("Detailed"));
            self.session_type = Some((Text::from(t), detailed));
            self.cur = None;
            self.sub = false;
            return true;
        }
        // Sub-session header: `IPsec:` alone on its line.
        if let Some(kind) = s.strip_suffix(':') {
            if !kind.is_empty() && !kind.contains(' ') && self.cur.is_some() {
                let sess = self.session(out, no);
                // The header, then the address and packet lines that
                // follow: within the six kept inline.
                let mut evidence = smallvec::SmallVec::new();
                evidence.push(LineRef::new(notes, no, s, What::Header));
                if sess.subs.is_empty() {
                    // Most L2L sessions have two: IKE and IPsec.
                    sess.subs.reserve_exact(2);
                }
                sess.subs.push(VpnSubSession {
                    line: no,
                    kind: kind.into(),
                    evidence,
                    ..VpnSubSession::default()
                });
                self.sub = true;
                return true;
            }
        }
        // `IKE Sessions: 1 IPSec Sessions: 2`, `IKEv1 Tunnels: 1`, `IPsec Tunnels: 5`.
        if s.as_bytes().first() == Some(&b'I')
            && matches!(words(s).nth(1), Some("Sessions:" | "Tunnels:"))
        {
            let mut any = false;
            let mut prev = ("", "");
            for w in words(s) {
                if prev.1 == "Sessions:" || prev.1 == "Tunnels:" {
                    if let Some(v) = num(w) {
                        let sess = self.session(out, no);
                        let kind = prev.0.as_bytes();
                        if kind.len() >= 3 && kind[..3].eq_ignore_ascii_case(b"ike") {
                            sess.ike_count = Some(v);
                        } else {
                            sess.ipsec_count = Some(v);
                        }
                        any = true;
                    }
                }
                prev = (prev.1, w);
            }
            if any {
                self.sub = false;
                return true;
            }
        }
        let Some((first, second)) = kv_pairs(s) else {
            return false;
        };
        // Right-column keys are known names; only the left one can be
        // some other line's text.
        if !plausible_key(first.0) {
            return false;
        }
        self.pair(out, notes, no, s, first.0, first.1);
        if let Some((k, v)) = second {
            self.pair(out, notes, no, s, k, v);
        }
        true
    }

    /// Stores one `Key : value` pair of line `s`.
    fn pair(
        &mut self,
        out: &mut Vec<VpnSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        k: &str,
        v: &str,
    ) {
        if k == "Username" {
            self.username(out, notes, no, s, v);
            return;
        }
        if k == "Connection" {
            self.new_session(out, no);
            let sess = self.session(out, no);
            sess.connection = Some(v.into());
            sess.evidence.push(LineRef::new(notes, no, s, What::Header));
            return;
        }
        if self.sub {
            let sess = self.session(out, no);
            if let Some(sub) = sess.subs.last_mut() {
                if matches!(
                    k,
                    "Pkts Tx" | "Pkts Rx" | "Local Addr" | "Remote Addr" | "Bytes Tx"
                ) && sub.evidence.last().map(LineRef::line) != Some(no)
                {
                    sub.evidence
                        .push(LineRef::new(notes, no, s, What::Counters));
                }
                set_sub(sub, k, v);
                return;
            }
        }
        let sess = self.session(out, no);
        if k == "Bytes Tx" {
            sess.evidence
                .push(LineRef::new(notes, no, s, What::Counters));
        }
        set_session(sess, k, v);
    }

    /// `Username : u` — remote-access sessions (`show vpn-sessiondb
    /// anyconnect`) start at it; in a session that `Connection` opened it is
    /// a field of that session.
    // Once per session: kept out of the per-pair code.
    #[inline(never)]
    fn username(
        &mut self,
        out: &mut Vec<VpnSession>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        v: &str,
    ) {
        let opened = matches!(self.cur.and_then(|i| out.get(i)),
            Some(s) if s.connection.is_some() && s.username.is_none());
        if !opened {
            self.new_session(out, no);
        }
        let sess = self.session(out, no);
        sess.username = Some(v.into());
        sess.evidence.push(LineRef::new(notes, no, s, What::Header));
    }

    /// Handles one line of the `show vpn-sessiondb` summary.
    pub(crate) fn summary_line(
        &mut self,
        out: &mut Vec<VpnSummary>,
        no: u64,
        s: &str,
        indent: usize,
    ) -> bool {
        if s.bytes().all(|b| b == b'-') {
            return true;
        }
        if s.len() > FLAT_MIN {
            let pieces = flat_summary_pieces(s);
            if pieces.len() > 1 {
                let mut any = false;
                for p in pieces {
                    any |= self.summary_line(out, no, p, indent);
                }
                return any;
            }
        }
        if s.starts_with("VPN Session Summary") {
            out.push(VpnSummary {
                line: no,
                ..VpnSummary::default()
            });
            self.summary = Some(out.len() - 1);
            self.part = SummaryPart::Sessions;
            self.parent = None;
            return true;
        }
        if s.starts_with("INFO:") {
            return find(s, "no active sessions").is_some();
        }
        if s.starts_with("Tunnels Summary") {
            self.summary_at(out, no);
            self.part = SummaryPart::Tunnels;
            self.parent = None;
            return true;
        }
        if s.starts_with("Active :") || s.starts_with("Active:") {
            return true;
        }
        // A name and at most four figures are read; the cells are kept on
        // the stack (a row is one of thousands), the rest only checked.
        let mut cell_buf = [""; 6];
        let mut n_cells = 0;
        let mut figures = true;
        for c in s.split(':') {
            let c = trim(c);
            if n_cells > 0 {
                figures &= num(c).is_some();
            }
            if let Some(slot) = cell_buf.get_mut(n_cells) {
                *slot = c;
            }
            n_cells += 1;
        }
        let cells = &cell_buf[..n_cells.min(cell_buf.len())];
        let name = cells.first().copied().unwrap_or("");
        let known = matches!(
            name,
            "Total Active and Inactive"
                | "Total Cumulative"
                | "Device Total VPN Capacity"
                | "Device Load"
                | "Totals"
        );
        let row = n_cells >= 3 && figures;
        if !known && !row {
            // Not summary output: no record made for it.
            return false;
        }
        let i = self.summary_at(out, no);
        let sm = &mut out[i];
        if name == "Total Active and Inactive" {
            // `Total Active and Inactive : 38   Total Cumulative : 331391`
            let mut w = words(cells.get(1).copied().unwrap_or(""));
            sm.total_active_and_inactive = w.next().and_then(num);
            sm.total_cumulative = cells.get(2).and_then(|c| num(c));
            return true;
        }
        if name == "Total Cumulative" {
            // Its own piece in flattened text.
            sm.total_cumulative = cells.get(1).and_then(|c| num(c));
            return true;
        }
        if name == "Device Total VPN Capacity" {
            sm.capacity = cells.get(1).and_then(|c| num(c));
            return true;
        }
        if name == "Device Load" {
            sm.load_percent = cells.get(1).and_then(|c| num(c.trim_end_matches('%')));
            return true;
        }
        if name == "Totals" {
            sm.totals_active = cells.get(1).and_then(|c| num(c));
            sm.totals_cumulative = cells.get(2).and_then(|c| num(c));
            return true;
        }
        {
            // A row indented deeper than the last outer one is one of its
            // parts (`  IKEv2 IPsec` under `Site-to-Site VPN`).
            let parent = match &self.parent {
                Some((at, p)) if indent > *at => Some(p.clone()),
                _ => {
                    self.parent = Some((indent, Text::from(name)));
                    None
                }
            };
            let row = SummaryRow {
                line: no,
                parent,
                name: name.into(),
                active: cells.get(1).and_then(|c| num(c)),
                cumulative: cells.get(2).and_then(|c| num(c)),
                peak: cells.get(3).and_then(|c| num(c)),
                inactive: cells.get(4).and_then(|c| num(c)),
            };
            match self.part {
                SummaryPart::Sessions => sm.sessions.push(row),
                SummaryPart::Tunnels => sm.tunnels.push(row),
            }
            true
        }
    }

    /// The summary the lines fill, made at its first line when the output
    /// has no `VPN Session Summary` title.
    fn summary_at(&mut self, out: &mut Vec<VpnSummary>, no: u64) -> usize {
        let i = match self.summary {
            Some(i) if i < out.len() => i,
            _ => {
                out.push(VpnSummary {
                    line: no,
                    ..VpnSummary::default()
                });
                out.len() - 1
            }
        };
        self.summary = Some(i);
        i
    }
}

/// Lines longer than this may be several lines flattened into one (two
/// columns of real output stay well below).
const FLAT_MIN: usize = 120;

/// Keys that start a logical line of `show vpn-sessiondb detail l2l` in
/// flattened text (left and right column alike).
const FLAT_KEYS: &[&str] = &[
    "Session Type",
    "Connection",
    "Index",
    "IP Addr",
    "Protocol",
    "License",
    "Encryption",
    "Hashing",
    "Bytes Tx",
    "Bytes Rx",
    "Pkts Tx",
    "Pkts Rx",
    "Login Time",
    "Duration",
    "Filter Name",
    "IPv6 Filter",
    "Session ID",
    "Tunnel ID",
    "UDP Src Port",
    "UDP Dst Port",
    "IKE Neg Mode",
    "Auth Mode",
    "Rem Auth Mode",
    "Loc Auth Mode",
    "Rekey Int (T)",
    "Rekey Left(T)",
    "Rekey Int (D)",
    "Rekey Left(D)",
    "D/H Group",
    "PRF",
    "PFS Group",
    "Local Addr",
    "Remote Addr",
    "Encapsulation",
    "Idle Time Out",
    "Idle TO Left",
    "Conn Time Out",
    "Conn TO Left",
    "Tunnel Zone",
    "Reval Int (T)",
    "Reval Left(T)",
    "SQ Int (T)",
    "EoU Age(T)",
    "Hold Left (T)",
    "Posture Token",
    "Redirect URL",
    "Tunnel Group",
    "Group Policy",
    "Pkts Tx Drop",
    "Pkts Rx Drop",
    "Bytes Tx Drop",
    "Bytes Rx Drop",
    "IKE Sessions",
    "IPSec Sessions",
    "IKE Tunnels",
    "IKEv1 Tunnels",
    "IKEv2 Tunnels",
    "IPsec Tunnels",
    "IPsecOverNatT Tunnels",
    "NAC Tunnels",
];

/// Sub-session headers (`IPsec:` alone on its line).
const SUB_KINDS: &[&str] = &[
    "IKE:",
    "IKEv1:",
    "IKEv2:",
    "IPsec:",
    "IPSec:",
    "IPsecOverNatT:",
    "IPSecOverNatT:",
    "NAC:",
];

/// Cuts a flattened `show vpn-sessiondb detail l2l` line into its logical
/// lines: at every known key followed by a colon, and at sub-session
/// headers (`IPsec:` not followed by a `(n)` value, as in `Encryption :
/// IKEv1: (1)AES128 IPsec: (2)AES256`). `None` when it is not flattened
/// output (fewer than three keys).
fn flat_pieces(s: &str) -> Option<Vec<&str>> {
    static KEYS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    // One pass over the line finds every key (longest first: `Pkts Tx
    // Drop` over `Pkts Tx`); each is then checked for a colon after it.
    let keys = KEYS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(FLAT_KEYS.iter().chain(SUB_KINDS))
                .ok()
        })
        .as_ref()?;
    let b = s.as_bytes();
    let mut cuts: Vec<usize> = Vec::new();
    for m in keys.find_iter(s) {
        let at = m.start();
        if at > 0 && b[at - 1] != b' ' {
            continue;
        }
        let after = &s[m.end()..];
        let ok = if m.pattern().as_usize() < FLAT_KEYS.len() {
            after.trim_start_matches(' ').starts_with(':')
        } else {
            // A sub-session header is a word of its own, not followed by
            // a `(n)` value.
            after.starts_with(' ') && !after.trim_start_matches(' ').starts_with('(')
        };
        if ok {
            cuts.push(at);
        }
    }
    cuts.sort_unstable();
    if cuts.len() < 3 {
        return None;
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for c in cuts.into_iter().chain(std::iter::once(s.len())) {
        let p = trim(&s[from..c]);
        if !p.is_empty() {
            pieces.push(p);
        }
        from = c;
    }
    Some(pieces)
}

/// Cuts a flattened `show vpn-sessiondb` summary into its logical lines:
/// titles, rulers, the `Active : Cumulative : …` headers, and rows `Name :
/// n : n …` (a row ends at the first value not followed by a colon).
fn flat_summary_pieces(s: &str) -> Vec<&str> {
    let toks: Vec<(usize, &str)> = crate::text::Tokens::new(s).collect();
    let header_word = |w: &str| {
        matches!(
            w,
            "Active" | "Cumulative" | "Peak" | "Concur" | "Concurrent" | "Inactive" | ":"
        )
    };
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let start = toks[i].0;
        let w = toks[i].1;
        let end = if w.bytes().all(|c| c == b'-' || c == b'=') {
            i + 1
        } else if w == "VPN" && toks.get(i + 2).map(|t| t.1) == Some("Summary") {
            i + 3
        } else if w == "Tunnels" && toks.get(i + 1).map(|t| t.1) == Some("Summary") {
            i + 2
        } else if w == "Active"
            && toks.get(i + 1).map(|t| t.1) == Some(":")
            && toks
                .get(i + 2)
                .is_some_and(|t| !t.1.as_bytes().first().is_some_and(u8::is_ascii_digit))
        {
            let mut j = i;
            while j < toks.len() && header_word(toks[j].1) {
                j += 1;
            }
            j
        } else {
            // Name words up to a colon, then `value [: value]…`.
            let mut j = i;
            while j < toks.len() && toks[j].1 != ":" && !toks[j].1.bytes().all(|c| c == b'-') {
                j += 1;
            }
            while toks.get(j).map(|t| t.1) == Some(":") && toks.get(j + 1).is_some() {
                j += 2;
            }
            j.max(i + 1)
        };
        let stop = toks.get(end).map_or(s.len(), |t| t.0);
        pieces.push(trim(&s[start..stop]));
        i = end;
    }
    pieces
}

fn set_session(sess: &mut VpnSession, k: &str, v: &str) {
    match k {
        "Index" => sess.index = num(v),
        "IP Addr" => sess.ip_addr = opt(v),
        "Protocol" => sess.protocol = opt(v),
        "License" => sess.license = opt(v),
        "Encryption" => sess.encryption = opt(v),
        "Hashing" => sess.hashing = opt(v),
        "Bytes Tx" => sess.bytes_tx = num(v),
        "Bytes Rx" => sess.bytes_rx = num(v),
        "Login Time" => sess.login_time = opt(v),
        "Duration" => sess.duration = opt(v),
        "Filter Name" => sess.filter_name = opt(v),
        _ => sess.other.push(KeyValue {
            key: k.into(),
            value: v.into(),
        }),
    }
}

fn set_sub(sub: &mut VpnSubSession, k: &str, v: &str) {
    match k {
        "Session ID" | "Tunnel ID" => sub.id = opt(v),
        "UDP Src Port" => sub.udp_src_port = num(v),
        "UDP Dst Port" => sub.udp_dst_port = num(v),
        "IKE Neg Mode" => sub.neg_mode = opt(v),
        "Auth Mode" => sub.auth_mode = opt(v),
        "Rem Auth Mode" => sub.rem_auth_mode = opt(v),
        "Loc Auth Mode" => sub.loc_auth_mode = opt(v),
        "Encryption" => sub.encryption = opt(v),
        "Hashing" => sub.hashing = opt(v),
        "Rekey Int (T)" => sub.rekey_int_time = Quantity::parse(v),
        "Rekey Left(T)" => sub.rekey_left_time = Quantity::parse(v),
        "Rekey Int (D)" => sub.rekey_int_data = Quantity::parse(v),
        "Rekey Left(D)" => sub.rekey_left_data = Quantity::parse(v),
        "D/H Group" => sub.dh_group = opt(v),
        "PRF" => sub.prf = opt(v),
        "PFS Group" => sub.pfs_group = opt(v),
        "Local Addr" => sub.local_addr = opt(v),
        "Remote Addr" => sub.remote_addr = opt(v),
        "Encapsulation" => sub.encapsulation = opt(v),
        "Idle Time Out" => sub.idle_timeout = Quantity::parse(v),
        "Idle TO Left" => sub.idle_left = Quantity::parse(v),
        "Bytes Tx" => sub.bytes_tx = num(v),
        "Bytes Rx" => sub.bytes_rx = num(v),
        "Pkts Tx" => sub.pkts_tx = num(v),
        "Pkts Rx" => sub.pkts_rx = num(v),
        "Filter Name" => sub.filter_name = opt(v),
        "IPv6 Filter" => sub.ipv6_filter = opt(v),
        _ => sub.other.push(KeyValue {
            key: k.into(),
            value: v.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezed_columns_split_at_known_keys() {
        assert_eq!(
            kv_pairs("Username : lee Index : 1"),
            Some((("Username", "lee"), Some(("Index", "1"))))
        );
        assert_eq!(
            kv_pairs("Assigned IP : 192.168.246.1 Public IP : 10.139.1.2"),
            Some((
                ("Assigned IP", "192.168.246.1"),
                Some(("Public IP", "10.139.1.2"))
            ))
        );
        assert_eq!(
            kv_pairs("Encryption : RC4 AES128 Hashing : SHA1"),
            Some((("Encryption", "RC4 AES128"), Some(("Hashing", "SHA1"))))
        );
        // ` : ` after a word that is no known key stays in the value.
        assert_eq!(
            kv_pairs("Desc : a b Foo : c"),
            Some((("Desc", "a b Foo : c"), None))
        );
        for s in [
            "Username : lee Index : 1",
            "Desc : a b Foo : c",
            "Index : 7 IP Addr : 10.0.0.2",
        ] {
            assert_eq!(kv_pairs(s), kv_pairs_general(s), "{s:?}");
        }
    }

    #[test]
    fn two_column_split_only_at_known_keys() {
        assert_eq!(
            kv_pairs("Index        : 1                      IP Addr      : 172.16.0.1"),
            Some((("Index", "1"), Some(("IP Addr", "172.16.0.1"))))
        );
        assert_eq!(
            kv_pairs("Encryption   : IKEv1: (1)AES128  IPsec: (2)AES256"),
            Some((("Encryption", "IKEv1: (1)AES128  IPsec: (2)AES256"), None))
        );
        assert_eq!(
            kv_pairs("Login Time   : 09:32:03 est Mon Aug 2 2004"),
            Some((("Login Time", "09:32:03 est Mon Aug 2 2004"), None))
        );
        assert_eq!(
            kv_pairs("Encapsulation: Tunnel                 PFS Group    : 5"),
            Some((("Encapsulation", "Tunnel"), Some(("PFS Group", "5"))))
        );
        assert_eq!(
            kv_pairs("Filter Name  :"),
            Some((("Filter Name", ""), None))
        );
        assert_eq!(kv_pairs("no colon"), None);
    }

    #[test]
    fn forward_pass_agrees_on_hand_picked_lines() {
        for s in [
            "Index        : 1                      IP Addr      : 172.16.0.1",
            "Rekey Int (T): 86400 Seconds          Rekey Left(T): 63814 Seconds",
            "Encryption   : AES128 AES256          Hashing      : SHA1",
            "Connection   :",
            "Connection   : ",
            "Foo:  IP Addr: x  Bytes Rx : 1",
            "Key:  09:30  Bytes Rx : 1",
            "Key: 09:30  Bytes Rx : 1",
            "Key : a  b  Bytes Rx : 1",
            "Key : a  Not A Key : b  Bytes Rx : 2",
            "Key  Other : v",
            "Key\t: v",
            "Key : v\t  Bytes Rx : 1",
            "Key : v  Bytes  Rx : 1",
            "Key : v  Bytes Rx  ",
            "Key : v  Bytes Rx  : 9",
            ":",
            "  : x",
        ] {
            assert_eq!(kv_pairs(s), kv_pairs_general(s), "{s:?}");
        }
    }

    proptest::proptest! {
        /// The forward pass gives the general rule's answer on any text made
        /// of the pieces these lines are made of.
        #[test]
        fn forward_pass_agrees_with_general_rule(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                " ", "  ", "          ", ":", " : ", "IP Addr", "Bytes Rx", "Index",
                "Pkts Rx", "value", "09:32:03", "\t", "x", "Login Time", "Foo Bar", "1",
                "IKEv1:", "(2)AES256", "é",
            ]),
            0..14,
        )) {
            let s = pieces.concat();
            proptest::prop_assert_eq!(kv_pairs(&s), kv_pairs_general(&s));
        }

        #[test]
        fn forward_pass_agrees_on_any_text(s in "[ :A-Za-z0-9\t()]{0,60}") {
            proptest::prop_assert_eq!(kv_pairs(&s), kv_pairs_general(&s));
        }
    }
}
