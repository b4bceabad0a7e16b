//! `show crypto ikev2 sa [detailed]` and `show crypto ikev2 session
//! [detail]` (IOS / IOS-XE), and ASA `show crypto ikev2 sa [detail]` (also
//! the `IKEv2 SAs:` part of ASA `show crypto isakmp sa`).
//!
//! IOS prints a `Tunnel-id Local Remote fvrf/ivrf Status` table, one SA
//! per row, with `Encr: …` and `Life/Active Time: …` (and, in `detailed`,
//! `CE id`, SPIs, identities …) under each row; the session form and ASA
//! add `Session-id:N, Status:UP-ACTIVE, IKE count:1, CHILD count:1` before
//! and `Child sa: local selector … / remote selector … / ESP spi in/out:`
//! after. ASA replaces the `fvrf/ivrf` column by `Role`. Rows are read by
//! their shape (id, two `addr/port`, status), so both layouts and text
//! flattened onto the header's line parse.

use crate::text::Text;
use crate::text::{addr_port, after, find, hex32, is_ip, num, num32, strip_punct, trim, words};
use crate::vpn_sessiondb::KeyValue;
use crate::{LineRef, What};
use serde::Serialize;

/// Which layout the SA was printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ikev2Format {
    /// IOS / IOS-XE (`fvrf/ivrf` column).
    Ios,
    /// ASA (`Role` column).
    Asa,
}

/// One child SA (IPsec SA pair) of an IKEv2 SA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ikev2Child {
    /// Line of `Child sa:`.
    pub line: u64,
    /// `local selector` as printed (`10.1.0.0/0 - 10.1.0.255/65535`).
    pub local_selector: Option<Text>,
    /// `remote selector` as printed.
    pub remote_selector: Option<Text>,
    /// Every `local selector` of the child when it prints more than one
    /// (the first is also `local_selector`); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub local_selectors: Vec<Text>,
    /// Every `remote selector` when more than one is printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remote_selectors: Vec<Text>,
    /// Protocol of the SPIs (`ESP`, `AH`).
    pub protocol: Option<Text>,
    /// Inbound SPI as printed (`0x527873a4`).
    pub spi_in_hex: Option<Text>,
    /// Outbound SPI as printed.
    pub spi_out_hex: Option<Text>,
    /// Inbound SPI value.
    pub spi_in: Option<u32>,
    /// Outbound SPI value.
    pub spi_out: Option<u32>,
    /// Detail `Encr:` of the child SA (`AES-CBC`, `AES-GCM`).
    pub encryption: Option<Text>,
    /// Detail `keysize:`.
    pub keysize: Option<u32>,
    /// Detail `esp_hmac:` (`SHA256`, `SHA96`, `None`).
    pub esp_hmac: Option<Text>,
    /// Detail `mode` (`tunnel`, `transport`).
    pub mode: Option<Text>,
    /// Every other detail item of the child (`AH spi in/out` of an ESP
    /// child, `CPI in/out`, `ah_hmac`, `comp`), as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<KeyValue>,
}

/// One IKEv2 SA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ikev2Sa {
    /// Line of the row.
    pub line: u64,
    /// Layout.
    pub format: Ikev2Format,
    /// `Session-id` of the `Session-id:` line before it (session form, ASA).
    pub session_id: Option<u64>,
    /// Session `Status:` (`UP-ACTIVE`, `DOWN-NEGOTIATING`, …).
    pub session_status: Option<Text>,
    /// Session `IKE count`.
    pub ike_count: Option<u64>,
    /// Session `CHILD count` / `Child sa count`.
    pub child_count: Option<u64>,
    /// `Tunnel-id`.
    pub tunnel_id: Option<u64>,
    /// Local address.
    pub local: Option<Text>,
    /// Local port.
    pub local_port: Option<u16>,
    /// Remote address (the peer).
    pub remote: Option<Text>,
    /// Remote port.
    pub remote_port: Option<u16>,
    /// IOS front-door VRF (`none`).
    pub fvrf: Option<Text>,
    /// IOS inside VRF.
    pub ivrf: Option<Text>,
    /// `READY`, `IN-NEG`, `DELETE`, …
    pub status: Option<Text>,
    /// ASA `Role` (`INITIATOR` / `RESPONDER`).
    pub role: Option<Text>,
    /// `Encr:` (`AES-CBC`, `AES-GCM`, `3DES`).
    pub encryption: Option<Text>,
    /// `keysize:`.
    pub keysize: Option<u32>,
    /// `PRF:`.
    pub prf: Option<Text>,
    /// `Hash:`.
    pub hash: Option<Text>,
    /// `DH Grp:`.
    pub dh_group: Option<Text>,
    /// `Auth sign:` (`PSK`, `RSA`).
    pub auth_sign: Option<Text>,
    /// `Auth verify:`.
    pub auth_verify: Option<Text>,
    /// `Life/Active Time:` lifetime, seconds.
    pub lifetime: Option<u64>,
    /// `Life/Active Time:` time active, seconds.
    pub active_time: Option<u64>,
    /// `CE id:`.
    pub ce_id: Option<u64>,
    /// `Local spi:` (IKE SPI, hex as printed).
    pub local_spi: Option<Text>,
    /// `Remote spi:`.
    pub remote_spi: Option<Text>,
    /// `Status Description:` (`Negotiation done`).
    pub status_description: Option<Text>,
    /// `Local id:`.
    pub local_id: Option<Text>,
    /// `Remote id:`.
    pub remote_id: Option<Text>,
    /// Child SAs (session form and ASA).
    pub children: Vec<Ikev2Child>,
    /// Every other `Key: value` of the SA, as printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<KeyValue>,
    /// Row, session, algorithm and child lines, for evidence.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

impl Ikev2Sa {
    fn new(line: u64, format: Ikev2Format) -> Ikev2Sa {
        Ikev2Sa {
            line,
            format,
            session_id: None,
            session_status: None,
            ike_count: None,
            child_count: None,
            tunnel_id: None,
            local: None,
            local_port: None,
            remote: None,
            remote_port: None,
            fvrf: None,
            ivrf: None,
            status: None,
            role: None,
            encryption: None,
            keysize: None,
            prf: None,
            hash: None,
            dh_group: None,
            auth_sign: None,
            auth_verify: None,
            lifetime: None,
            active_time: None,
            ce_id: None,
            local_spi: None,
            remote_spi: None,
            status_description: None,
            local_id: None,
            remote_id: None,
            children: Vec::new(),
            other: Vec::new(),
            evidence: Vec::new(),
        }
    }

    /// Whether the output lists child SAs for this SA (the session form and
    /// ASA do; IOS `show crypto ikev2 sa` never does, so no child there
    /// means nothing).
    pub fn lists_children(&self) -> bool {
        self.format == Ikev2Format::Asa || self.child_count.is_some() || !self.children.is_empty()
    }
}

/// `Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:1`.
#[derive(Debug, Clone, Default)]
struct SessionLine {
    id: Option<u64>,
    status: Option<Text>,
    ike: Option<u64>,
    child: Option<u64>,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct Ikev2Parser {
    /// The header said `Role` (ASA) rather than `fvrf/ivrf`.
    asa: bool,
    session: Option<SessionLine>,
    cur: Option<usize>,
    /// The lines now describe the last child SA of the current SA (after
    /// `Child sa:` or its SPIs): `Encr:` there is the child's.
    child: bool,
}

impl Ikev2Parser {
    pub(crate) fn reset(&mut self) {
        *self = Ikev2Parser::default();
    }

    fn sa<'o>(&self, out: &'o mut [Ikev2Sa]) -> Option<&'o mut Ikev2Sa> {
        out.get_mut(self.cur?)
    }

    /// Handles one (logical) line; returns whether it was recognised.
    pub(crate) fn line(
        &mut self,
        out: &mut Vec<Ikev2Sa>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        let b = s.as_bytes();
        let Some(&first) = b.first() else {
            return false;
        };
        match first {
            b'I' if s.starts_with("IPv4 Crypto IKEv2") || s.starts_with("IPv6 Crypto IKEv2") => {
                // A new table: what follows belongs to no SA before it.
                self.cur = None;
                self.session = None;
                self.child = false;
                true
            }
            b'I' if s.starts_with("IKEv2 SAs:") => {
                self.asa = true;
                true
            }
            b'T' if s.starts_with("Tunnel-id") => self.header(out, notes, no, s),
            b'T' if s.starts_with("There are no IKEv2") => true,
            b'S' if s.starts_with("Session-id:") => {
                // `Session-id:1, Status:…, IKE count:1, CHILD count:1`
                // starts a session; IOS `detailed` prints `CE id: 1015,
                // Session-id: 5` under an SA, which flattened text cuts
                // before `Session-id:` — a lone `Session-id: 5` (no comma
                // after the number, nothing else) belongs to that SA.
                let lone =
                    !s.ends_with(',') && find(s, "count").is_none() && find(s, "Status").is_none();
                match self.sa(out) {
                    Some(sa) if lone => {
                        sa.session_id = words(&s["Session-id:".len()..]).next().and_then(num);
                    }
                    _ => {
                        let mut l = SessionLine::default();
                        session_items(&mut l, s);
                        self.session = Some(l);
                        self.cur = None;
                        self.child = false;
                    }
                }
                true
            }
            b'S' if s.starts_with("Status:") && self.cur.is_none() && self.session.is_some() => {
                // The rest of a session line cut at `Status:` (flattened).
                if let Some(l) = &mut self.session {
                    session_items(l, s);
                }
                true
            }
            b'S' if s.starts_with("Status Description:") => {
                let v = after(s, "Status Description:").unwrap_or("");
                match self.sa(out) {
                    Some(sa) => {
                        sa.status_description = Some(v.into());
                        true
                    }
                    None => false,
                }
            }
            b'E' | b'H' if s.starts_with("Encr:") || s.starts_with("Hash:") => match self.sa(out) {
                Some(sa) if self.child => match sa.children.last_mut() {
                    Some(c) => {
                        child_items(c, s);
                        true
                    }
                    None => false,
                },
                Some(sa) => {
                    algorithms(sa, s);
                    sa.evidence
                        .push(LineRef::new(notes, no, s, What::Algorithms));
                    true
                }
                None => false,
            },
            b'E' | b'A' if find(s, "spi in/out:").is_some() || find(s, "SPI in/out:").is_some() => {
                self.spis(out, notes, no, s)
            }
            b'L' if s.starts_with("Life/Active Time:") => match self.sa(out) {
                Some(sa) => {
                    let v = after(s, "Life/Active Time:").unwrap_or("");
                    let w = words(v).next().unwrap_or("");
                    let (l, a) = w.split_once('/').unwrap_or((w, ""));
                    sa.lifetime = num(l);
                    sa.active_time = num(a);
                    true
                }
                None => false,
            },
            b'C' if s.starts_with("Child sa:") => match self.sa(out) {
                Some(sa) => {
                    let v = after(s, "Child sa:").unwrap_or("");
                    sa.children.push(Ikev2Child {
                        line: no,
                        local_selector: after(v, "local selector").map(Text::from),
                        ..Ikev2Child::default()
                    });
                    sa.evidence.push(LineRef::new(notes, no, s, What::Child));
                    self.child = true;
                    true
                }
                None => false,
            },
            // Child detail: `CPI in/out: 0x0/0x0`, `ah_hmac: None, comp:
            // IPCOMP_NONE, mode tunnel`.
            b'C' | b'a' if self.child && (s.starts_with("CPI ") || s.starts_with("ah_hmac")) => {
                match self.sa(out).and_then(|sa| sa.children.last_mut()) {
                    Some(c) => {
                        child_items(c, s);
                        true
                    }
                    None => false,
                }
            }
            b'C' if s.starts_with("CE id:") => match self.sa(out) {
                Some(sa) => {
                    for item in s.split(',') {
                        let item = trim(item);
                        if let Some(v) = after(item, "CE id:") {
                            sa.ce_id = num(v);
                        } else if let Some(v) = after(item, "Session-id:") {
                            sa.session_id = sa.session_id.or(num(v));
                        }
                    }
                    true
                }
                None => false,
            },
            b'r' if s.starts_with("remote selector") => {
                let v = after(s, "remote selector").unwrap_or("");
                match self.sa(out).and_then(|sa| sa.children.last_mut()) {
                    Some(c) => {
                        add_selector(c, false, v);
                        true
                    }
                    None => false,
                }
            }
            // More local selectors of a child, or the first one under an
            // empty `Child sa:` line; IOS-XE 17's `local selector -> remote_selector`
            // header of a two-column selector row.
            b'l' if self.child && s.starts_with("local selector") => {
                match self.sa(out).and_then(|sa| sa.children.last_mut()) {
                    Some(c) => {
                        if find(s, "->").is_none() {
                            add_selector(c, true, after(s, "local selector").unwrap_or(""));
                        }
                        true
                    }
                    None => false,
                }
            }
            _ if self.child && find(s, " -> ").is_some() => {
                // `A/0 - B/65535    ->    C/0 - D/65535` under that header.
                match self.sa(out).and_then(|sa| sa.children.last_mut()) {
                    Some(c) => {
                        let (l, r) = s.split_once("->").unwrap_or((s, ""));
                        add_selector(c, true, trim(l));
                        add_selector(c, false, trim(r));
                        true
                    }
                    None => false,
                }
            }
            _ => {
                // A row on its own line (after the header).
                if b[0].is_ascii_digit() && self.row(out, notes, no, s) {
                    return true;
                }
                // IOS-XE IPv6 SAs print the endpoints under the row, which
                // has no room for them: `Local  2001:DB8::1/500`.
                if (first == b'L' || first == b'R') && self.endpoint(out, s) {
                    return true;
                }
                if memchr::memchr(b':', b).is_none() {
                    return self.free_text(out, s);
                }
                self.key_values(out, s)
            }
        }
    }

    /// `Tunnel-id Local Remote fvrf/ivrf Status` / `… Status Role`, and in
    /// flattened text the row that follows on the same line.
    fn header(
        &mut self,
        out: &mut Vec<Ikev2Sa>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> bool {
        // A new table: lines before its first row belong to no SA.
        self.cur = None;
        self.child = false;
        let mut rest = s;
        for (i, w) in crate::text::Tokens::new(s) {
            match w {
                "fvrf/ivrf" => self.asa = false,
                "Role" => self.asa = true,
                "Tunnel-id" | "Local" | "Remote" | "Status" => {}
                _ => {
                    rest = &s[i..];
                    break;
                }
            }
            rest = &s[i + w.len()..];
        }
        let rest = trim(rest);
        if !rest.is_empty() {
            self.row(out, notes, no, rest);
        }
        true
    }

    /// `1  10.0.0.1/500  10.0.0.2/500  none/none  READY` (IOS) or
    /// `1234  10.0.0.1/500  10.0.0.2/500  READY  INITIATOR` (ASA).
    fn row(&mut self, out: &mut Vec<Ikev2Sa>, notes: &mut crate::Notes, no: u64, s: &str) -> bool {
        let mut toks = words(s);
        let (Some(id), Some(local)) = (toks.next(), toks.next()) else {
            return false;
        };
        let Some(id) = num(id) else {
            return false;
        };
        let (la, lp) = addr_port(local);
        // IOS-XE IPv6 rows have no address columns: `1  none/none  READY`,
        // the endpoints follow on `Local` / `Remote` lines.
        let split = !is_ip(&la);
        let endpoints = if split {
            let vrf_then_status = local.contains('/')
                && words(s).nth(2).is_some_and(is_status_word)
                && matches!(words(s).nth(3), None | Some("Local"));
            if !vrf_then_status {
                return false;
            }
            None
        } else {
            let Some(remote) = toks.next() else {
                return false;
            };
            let (ra, rp) = addr_port(remote);
            if !is_ip(&ra) {
                return false;
            }
            Some(((la, lp), (ra, rp)))
        };
        let format = if self.asa {
            Ikev2Format::Asa
        } else {
            Ikev2Format::Ios
        };
        out.push(Ikev2Sa::new(no, format));
        let i = out.len() - 1;
        self.cur = Some(i);
        self.child = false;
        let sa = &mut out[i];
        sa.tunnel_id = Some(id);
        let mut next = Some(local);
        if let Some(((la, lp), (ra, rp))) = endpoints {
            sa.local = Some(la);
            sa.local_port = lp;
            sa.remote = Some(ra);
            sa.remote_port = rp;
            next = toks.next();
        }
        if let Some((f, iv)) = next.and_then(|w| w.split_once('/')) {
            sa.fvrf = Some(f.into());
            sa.ivrf = Some(iv.into());
            next = toks.next();
        }
        if let Some(st) = next.filter(|w| is_status_word(w)) {
            sa.status = Some(st.into());
            if split {
                // Flattened text: `… READY Local A/500 Remote B/500`.
                while let (Some(k @ ("Local" | "Remote")), Some(a)) = (toks.next(), toks.next()) {
                    let (addr, port) = addr_port(a);
                    if !is_ip(&addr) {
                        break;
                    }
                    if k == "Local" {
                        (sa.local, sa.local_port) = (Some(addr), port);
                    } else {
                        (sa.remote, sa.remote_port) = (Some(addr), port);
                    }
                }
            } else if let Some(role) = toks.next().filter(|w| is_status_word(w)) {
                sa.role = Some(role.into());
            }
        }
        if let Some(sess) = &self.session {
            sa.session_id = sess.id;
            sa.session_status = sess.status.clone();
            sa.ike_count = sess.ike;
            sa.child_count = sess.child;
        }
        sa.evidence.push(LineRef::new(notes, no, s, What::Row));
        true
    }

    /// `ESP spi in/out: 0x527873a4/0xe6376de9`.
    fn spis(&mut self, out: &mut [Ikev2Sa], notes: &mut crate::Notes, no: u64, s: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        let protocol = words(s).next().unwrap_or("");
        let v = s.split_once("in/out:").map(|x| trim(x.1)).unwrap_or("");
        let w = words(v).next().unwrap_or("");
        let (i, o) = w.split_once('/').unwrap_or((w, ""));
        self.child = true;
        // Detail prints `ESP spi in/out:` and `AH spi in/out:` for one
        // child, the unused protocol with zero SPIs: kept aside, unless it
        // is the one in use.
        if let Some(c) = sa
            .children
            .last_mut()
            .filter(|c| c.spi_in_hex.is_some() && c.protocol.as_deref() != Some(protocol))
        {
            let zero = |x: Option<u32>| !matches!(x, Some(v) if v != 0);
            let (old_zero, new_zero) = (
                zero(c.spi_in) && zero(c.spi_out),
                zero(hex32(i)) && zero(hex32(o)),
            );
            if new_zero || !old_zero {
                c.other.push(KeyValue {
                    key: format!("{protocol} spi in/out").into(),
                    value: w.into(),
                });
                return true;
            }
            // The first protocol was the unused one.
            let old = format!(
                "{}/{}",
                c.spi_in_hex.as_deref().unwrap_or(""),
                c.spi_out_hex.as_deref().unwrap_or("")
            );
            let key = format!("{} spi in/out", c.protocol.as_deref().unwrap_or(""));
            c.other.push(KeyValue {
                key: key.into(),
                value: old.into(),
            });
            c.spi_in_hex = None;
        }
        if !matches!(sa.children.last(), Some(c) if c.spi_in_hex.is_none()) {
            // SPIs without a `Child sa:` line: a child of their own.
            sa.children.push(Ikev2Child {
                line: no,
                ..Ikev2Child::default()
            });
        }
        if let Some(c) = sa.children.last_mut() {
            c.protocol = Some(protocol.into());
            c.spi_in_hex = (!i.is_empty()).then(|| Text::from(i));
            c.spi_out_hex = (!o.is_empty()).then(|| Text::from(o));
            c.spi_in = hex32(i);
            c.spi_out = hex32(o);
        }
        sa.evidence.push(LineRef::new(notes, no, s, What::Spi));
        true
    }

    /// `Local  2001:DB8::1/500` / `Remote  2001:DB8::2/500` under an IPv6
    /// row that had no room for the addresses.
    fn endpoint(&mut self, out: &mut [Ikev2Sa], s: &str) -> bool {
        let mut w = words(s);
        let (Some(k), Some(a), None) = (w.next(), w.next(), w.next()) else {
            return false;
        };
        let (addr, port) = addr_port(a);
        if !is_ip(&addr) {
            return false;
        }
        let Some(sa) = self.sa(out) else {
            return false;
        };
        match k {
            "Local" if sa.local.is_none() => {
                sa.local = Some(addr);
                sa.local_port = port;
            }
            "Remote" if sa.remote.is_none() => {
                sa.remote = Some(addr);
                sa.remote_port = port;
            }
            _ => return false,
        }
        true
    }

    /// A line without a colon under a detailed SA: free text (`DPD
    /// configured for 10 seconds, retry 3`, `NAT-T is detected inside`,
    /// `Fragmentation not  configured.`, `Cisco Trust Security SGT is
    /// disabled`), kept as subject and predicate; or the addresses listed
    /// under an empty `Remote subnets:`.
    fn free_text(&mut self, out: &mut [Ikev2Sa], s: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        let b = s.as_bytes();
        if b[0].is_ascii_digit() {
            // `10.255.1.238 255.255.255.255` under `Remote subnets:`.
            let list = sa.other.last_mut().filter(|kv| kv.key.ends_with("subnets"));
            return match list {
                Some(kv) if words(s).all(is_ip) => {
                    let v = crate::text::squeeze(s);
                    kv.value = if kv.value.is_empty() {
                        v
                    } else {
                        format!("{}, {v}", kv.value).into()
                    };
                    true
                }
                _ => false,
            };
        }
        if !b[0].is_ascii_uppercase() || !b.contains(&b' ') {
            return false;
        }
        let cut = [" is ", " not "]
            .iter()
            .filter_map(|p| find(s, p))
            .min()
            .or_else(|| memchr::memchr(b' ', b))
            .unwrap_or(s.len());
        sa.other.push(KeyValue {
            key: trim(&s[..cut]).into(),
            value: crate::text::squeeze(&s[cut..]),
        });
        true
    }

    /// Detail lines: `Local spi: X   Remote spi: Y`, `Local id: A`,
    /// `Remote id: B`, and any other `Key: value [  Key2: value2]`.
    fn key_values(&mut self, out: &mut [Ikev2Sa], s: &str) -> bool {
        let Some(sa) = self.sa(out) else {
            return false;
        };
        if memchr::memchr(b':', s.as_bytes()).is_none()
            || !s.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        {
            return false;
        }
        // Two columns: the right one starts at a run of spaces before
        // `Remote ` — or, in text whose runs of spaces were squeezed
        // (`Local spi: 1F7B… Remote spi: 1298…`), at a single space before
        // a `Remote …:` key once the left column has its colon.
        let (left, right) = match find(s, "  Remote ").or_else(|| squeezed_right(s)) {
            Some(i) => (trim(&s[..i]), Some(trim(&s[i..]))),
            None => (s, None),
        };
        for part in std::iter::once(left).chain(right) {
            let Some((k, v)) = part.split_once(':') else {
                continue;
            };
            let (k, v) = (trim(k), trim(v));
            match k {
                "Local spi" => sa.local_spi = words(v).next().map(Text::from),
                "Remote spi" => sa.remote_spi = words(v).next().map(Text::from),
                "Local id" => sa.local_id = (!v.is_empty()).then(|| v.into()),
                "Remote id" => sa.remote_id = (!v.is_empty()).then(|| v.into()),
                _ => sa.other.push(KeyValue {
                    key: k.into(),
                    value: v.into(),
                }),
            }
        }
        true
    }
}

/// Where the right column of a squeezed two-column line starts: ` Remote `
/// after the left key's colon and value, followed by a key of at most
/// three words and its colon (`Remote spi:`, `Remote req msg id:`).
// Only for lines without a double space: kept out of the common path.
#[inline(never)]
fn squeezed_right(s: &str) -> Option<usize> {
    let colon = memchr::memchr(b':', s.as_bytes())?;
    let i = colon + find(&s[colon..], " Remote ")?;
    let key = s[i + 1..].split(':').next()?;
    let ok = s[i + 1..].contains(':') && key.split(' ').count() <= 4;
    ok.then_some(i)
}

/// Records a selector of a child SA: the first in `local_selector` /
/// `remote_selector`; from the second on, all of them in the list.
fn add_selector(c: &mut Ikev2Child, local: bool, v: &str) {
    let v = trim(v);
    if v.is_empty() {
        return;
    }
    let (first, all) = if local {
        (&mut c.local_selector, &mut c.local_selectors)
    } else {
        (&mut c.remote_selector, &mut c.remote_selectors)
    };
    match first {
        None => *first = Some(v.into()),
        Some(f) => {
            if all.is_empty() {
                all.push(f.clone());
            }
            all.push(v.into());
        }
    }
}

/// `READY`, `IN-NEG`, `DELETE`, `INITIATOR`: capitals and dashes.
fn is_status_word(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
}

/// A child SA's detail items: `Encr: AES-CBC, keysize: 256, esp_hmac:
/// SHA256`, `ah_hmac: None, comp: IPCOMP_NONE, mode tunnel`, `CPI in/out:
/// 0x0/0x0`.
fn child_items(c: &mut Ikev2Child, s: &str) {
    for item in s.split(',') {
        let item = trim(item);
        let (k, v) = match item.split_once(':') {
            Some((k, v)) => (trim(k), strip_punct(trim(v))),
            // `mode tunnel`
            None => item.split_once(' ').unwrap_or((item, "")),
        };
        let val = || (!v.is_empty()).then(|| Text::from(v));
        match k {
            "" => {}
            "Encr" => c.encryption = val(),
            "keysize" => c.keysize = num32(v),
            "esp_hmac" => c.esp_hmac = val(),
            "mode" => c.mode = val(),
            k => c.other.push(KeyValue {
                key: k.into(),
                value: v.into(),
            }),
        }
    }
}

/// Reads the items of a session line into `l`.
fn session_items(l: &mut SessionLine, s: &str) {
    for item in s.split(',') {
        let Some((k, v)) = item.split_once(':') else {
            continue;
        };
        let (k, v) = (trim(k), trim(v));
        if k.eq_ignore_ascii_case("Session-id") {
            l.id = num(v);
        } else if k == "Status" {
            l.status = Some(v.into());
        } else if k == "IKE count" {
            l.ike = num(v);
        } else if k.eq_ignore_ascii_case("CHILD count") || k.eq_ignore_ascii_case("Child sa count")
        {
            l.child = num(v);
        }
    }
}

/// `Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14,
/// Auth sign: PSK, Auth verify: PSK` (possibly wrapped after any item).
fn algorithms(sa: &mut Ikev2Sa, s: &str) {
    for item in s.split(',') {
        let Some((k, v)) = item.split_once(':') else {
            // A flag without a value (`…, Auth verify: PSK, QR`: IOS-XE 17
            // quantum-resistant keying) is kept as printed.
            let flag = trim(item);
            if !flag.is_empty() {
                sa.other.push(KeyValue {
                    key: flag.into(),
                    value: Text::default(),
                });
            }
            continue;
        };
        let v = strip_punct(trim(v));
        let val = || (!v.is_empty()).then(|| Text::from(v));
        match trim(k) {
            "Encr" => sa.encryption = val(),
            "keysize" => sa.keysize = num32(v),
            "PRF" => sa.prf = val(),
            "Hash" => sa.hash = val(),
            "DH Grp" => sa.dh_group = val(),
            "Auth sign" => sa.auth_sign = val(),
            "Auth verify" => sa.auth_verify = val(),
            k => sa.other.push(KeyValue {
                key: k.into(),
                value: v.into(),
            }),
        }
    }
}
