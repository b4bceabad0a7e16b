//! What a device is configured to negotiate, as its `show` commands print
//! it: `show crypto isakmp policy` (IOS, IOS-XE, PIX `show isakmp
//! policy`), `show crypto ipsec transform-set` and `show crypto map`.
//!
//! These outputs are the configuration in another form; engineers paste
//! them from both ends when a tunnel does not come up, and the both-ends
//! check (`diagnose/policy.rs`) compares them as the negotiation would.

use crate::text::{after, find, num, trim, words, Text};
use crate::{LineRef, Notes, What};
use serde::Serialize;

/// One protection suite of `show crypto isakmp policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IsakmpPolicy {
    /// Line of `Protection suite of priority N` / `Default protection suite`.
    pub line: u64,
    /// Priority; `None` for the single `Default protection suite` of older
    /// releases (tried after every configured policy).
    pub priority: Option<u32>,
    /// A built-in default suite, not a configured policy.
    pub default: bool,
    /// `encryption algorithm:` as printed (`AES - Advanced Encryption
    /// Standard (256 bit keys).`).
    pub encryption: Option<Text>,
    /// `hash algorithm:` as printed (`Secure Hash Standard 2 (256 bit)`).
    pub hash: Option<Text>,
    /// `authentication method:` as printed (`Pre-Shared Key`).
    pub auth: Option<Text>,
    /// `Diffie-Hellman group:` number (`#14 (2048 bit)` → 14).
    pub dh_group: Option<u32>,
    /// `lifetime:` in seconds.
    pub lifetime: Option<u64>,
    /// The suite's lines, for evidence.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

/// One transform set of `show crypto ipsec transform-set`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TransformSet {
    /// Line of `Transform set NAME: { … }`.
    pub line: u64,
    /// Name (IOS-XE prints its built-in sets as `#$!default_transform_set_1`).
    pub name: Text,
    /// Transforms in order (`esp-aes 256` is one transform: the key size
    /// stays with its cipher).
    pub transforms: Vec<Text>,
    /// `will negotiate = { Tunnel, }` → `Tunnel` / `Transport`.
    pub mode: Option<Text>,
    /// Its lines, for evidence.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

/// A transform set as a crypto map entry lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MapTransformSet {
    /// Name.
    pub name: Text,
    /// Transforms, when the release prints them beside the name.
    pub transforms: Vec<Text>,
}

/// One line of a crypto map entry's access list (`access-list 101 permit
/// ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MapAclLine {
    /// Line.
    pub line: u64,
    /// The entry from `permit`/`deny` on, as printed.
    pub entry: Text,
}

/// One entry of `show crypto map`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CryptoMapEntry {
    /// Line of `Crypto Map "NAME" SEQ ipsec-isakmp`.
    pub line: u64,
    /// Map name.
    pub map: Text,
    /// Sequence number.
    pub seq: u32,
    /// `ipsec-isakmp`, `ipsec-manual`, `gdoi` …
    pub kind: Option<Text>,
    /// The dynamic map this entry points to (`Dynamic map template tag:`,
    /// or `ipsec-isakmp dynamic NAME`), or was created from.
    pub dynamic_map: Option<Text>,
    /// `Crypto Map: "NAME" idb: IF local address: A` (printed once per map
    /// by later releases).
    pub local_address: Option<Text>,
    /// The interface of that line.
    pub local_interface: Option<Text>,
    /// `Peer = A` lines (several for backup peers).
    pub peers: Vec<Text>,
    /// `Current peer:`.
    pub current_peer: Option<Text>,
    /// Name or number of the access list (`Extended IP access list 101`).
    pub acl: Option<Text>,
    /// Its lines.
    pub acl_lines: Vec<MapAclLine>,
    /// `No matching address list set.`
    pub no_acl: bool,
    /// `Security association lifetime:` kilobytes.
    pub lifetime_kb: Option<u64>,
    /// `Security association lifetime:` seconds.
    pub lifetime_sec: Option<u64>,
    /// `Responder-Only (Y/N):`.
    pub responder_only: Option<bool>,
    /// `PFS (Y/N):`.
    pub pfs: Option<bool>,
    /// `DH group:` (`group14`).
    pub pfs_group: Option<Text>,
    /// `Transform sets={ … }`.
    pub transform_sets: Vec<MapTransformSet>,
    /// `ISAKMP Profile:`.
    pub isakmp_profile: Option<Text>,
    /// `IKEv2 Profile:`.
    pub ikev2_profile: Option<Text>,
    /// `Profile name:` — the IPsec profile of a map IOS builds for tunnel
    /// protection (VTI, DMVPN, `NAME-head-N`), not a configured crypto map.
    pub ipsec_profile: Option<Text>,
    /// `Map is a PROFILE INSTANCE`.
    pub profile_instance: bool,
    /// `Interfaces using crypto map NAME:` (printed after a map's last
    /// entry; every entry of the map gets the list).
    pub interfaces: Vec<Text>,
    /// Whether the output listed the interfaces at all (a map printed
    /// without the list, as by `show crypto map tag X` on some releases,
    /// says nothing about where it is applied).
    pub interfaces_listed: bool,
    /// `WARNING: This crypto map is in an incomplete state!`
    pub incomplete: bool,
    /// Flags printed as `Key: value` with no field of their own
    /// (`Mixed-mode : Disabled`, IOS-XE 17 `Access-List SS dynamic: False`,
    /// `Dualstack (Y/N): N`), as printed, and the `set ip access-group`
    /// filter (`Extended IP access check IN list A` → `access check IN`: `A`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<crate::KeyValue>,
    /// Its lines, for evidence.
    #[serde(skip)]
    pub evidence: Vec<LineRef>,
}

/// Where in a crypto map entry the parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum MapPart {
    #[default]
    Body,
    /// After `Extended IP access list`: `access-list …` lines.
    Acl,
    /// Inside `Transform sets={`.
    Transforms,
    /// After `Interfaces using crypto map NAME:`.
    Interfaces,
}

/// Parser state for the three outputs.
#[derive(Debug, Default)]
pub(crate) struct PolicyParser {
    /// The map of a `Crypto Map: "NAME" idb: … local address: A` line, and
    /// the address and interface, for the entries that follow.
    map_local: Option<(Text, Option<Text>, Option<Text>)>,
    part: MapPart,
    /// The map whose interfaces are being listed.
    interfaces_of: Option<Text>,
}

impl PolicyParser {
    pub(crate) fn reset(&mut self) {
        *self = PolicyParser::default();
    }

    /// One line of `show crypto isakmp policy`; returns whether it was
    /// recognised and where flattened text goes on.
    pub(crate) fn isakmp_line(
        &mut self,
        out: &mut Vec<IsakmpPolicy>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        if s.starts_with("Global IKE policy") || s.starts_with("Default IKE policy") {
            let head = if s.starts_with("Global") {
                "Global IKE policy"
            } else {
                "Default IKE policy"
            };
            return (true, rest_at(s, head.len()));
        }
        let default = s.starts_with("Default protection suite");
        if default || s.starts_with("Protection suite") {
            // `Protection suite of priority 10`, `Default protection suite
            // of priority 65507`, `Default protection suite`.
            let mut w = words(s);
            let mut priority = None;
            let mut used = 0;
            let mut prev = "";
            for t in w.by_ref() {
                if prev == "priority" {
                    priority = num(t).and_then(|v| u32::try_from(v).ok());
                    used = end_of(s, t);
                    break;
                }
                prev = t;
            }
            if used == 0 {
                used = find(s, "suite").map_or(s.len(), |i| i + "suite".len());
            }
            out.push(IsakmpPolicy {
                line: no,
                priority,
                default,
                evidence: vec![LineRef::new(notes, no, s, What::Header)],
                ..IsakmpPolicy::default()
            });
            return (true, rest_at(s, used));
        }
        let Some(p) = out.last_mut() else {
            return (false, None);
        };
        // `field:   value` — in flattened text the next field follows on
        // the same line; it is cut off here and handed back.
        const FIELDS: [&str; 5] = [
            "encryption algorithm:",
            "hash algorithm:",
            "authentication method:",
            "Diffie-Hellman group:",
            "lifetime:",
        ];
        let Some(field) = FIELDS.iter().position(|f| s.starts_with(f)) else {
            return (false, None);
        };
        let value_start = FIELDS[field].len();
        let rest = &s[value_start..];
        let next = FIELDS
            .iter()
            .filter_map(|f| find(rest, f).map(|i| value_start + i))
            .chain(find(rest, "Protection suite").map(|i| value_start + i))
            .chain(find(rest, "Default protection").map(|i| value_start + i))
            .min();
        let value = trim(&s[value_start..next.unwrap_or(s.len())]);
        let line_text = trim(&s[..next.unwrap_or(s.len())]);
        match field {
            0 => p.encryption = Some(Text::from(value)),
            1 => p.hash = Some(Text::from(value)),
            2 => p.auth = Some(Text::from(value)),
            3 => {
                p.dh_group = value
                    .trim_start_matches('#')
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|d| d.parse().ok());
            }
            _ => p.lifetime = words(value).next().and_then(num),
        }
        p.evidence
            .push(LineRef::new(notes, no, line_text, What::Algorithms));
        (true, next)
    }

    /// One line of `show crypto ipsec transform-set`.
    pub(crate) fn transform_set_line(
        &mut self,
        out: &mut Vec<TransformSet>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        if let Some(rest) = s.strip_prefix("Transform set ") {
            // `Transform set NAME: { esp-aes 256 esp-sha-hmac  }`; a name
            // may hold `:`-free punctuation (`#$!default_transform_set_1`).
            let Some(colon) = rest.find(": {").or_else(|| rest.find(':')) else {
                return (false, None);
            };
            let name = trim(&rest[..colon]);
            let body = &rest[colon + 1..];
            let (transforms, used) = braced(body);
            let start = s.len() - rest.len() + colon + 1;
            out.push(TransformSet {
                line: no,
                name: Text::from(name),
                transforms,
                mode: None,
                evidence: vec![LineRef::new(
                    notes,
                    no,
                    trim(&s[..start + used]),
                    What::Header,
                )],
            });
            let more = self.transform_tail(out, &s[start + used..]);
            return (true, more.map(|m| start + used + m));
        }
        let Some(set) = out.last_mut() else {
            return (false, None);
        };
        if let Some(v) = after(s, "will negotiate") {
            set.mode = mode_of(v);
            let used = s.find('}').map_or(s.len(), |i| i + 1);
            return (
                true,
                rest_at(s, used + usize::from(s[used..].starts_with(','))),
            );
        }
        // A second group of an AH + ESP set: `{ esp-des  }`.
        if s.starts_with('{') {
            let (t, used) = braced(s);
            set.transforms.extend(t);
            set.evidence
                .push(LineRef::new(notes, no, trim(&s[..used]), What::Algorithms));
            return (true, rest_at(s, used));
        }
        (false, None)
    }

    /// What follows a transform set's braces on its own line (flattened
    /// text): `will negotiate = { Tunnel, },` then maybe the next set.
    fn transform_tail(&mut self, out: &mut [TransformSet], tail: &str) -> Option<usize> {
        let t = tail.trim_start();
        let skipped = tail.len() - t.len();
        if t.is_empty() {
            return None;
        }
        if let (Some(v), Some(set)) = (after(t, "will negotiate"), out.last_mut()) {
            set.mode = mode_of(v);
            let used = t.find('}').map_or(t.len(), |i| i + 1);
            let used = used + usize::from(t[used..].starts_with(','));
            return rest_at(t, used).map(|r| skipped + r);
        }
        Some(skipped)
    }

    /// One line of `show crypto map`.
    pub(crate) fn map_line(
        &mut self,
        out: &mut Vec<CryptoMapEntry>,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        // `Crypto Map: "VPN" idb: GigabitEthernet0/0 local address: 192.0.2.1`
        if let Some(rest) = s.strip_prefix("Crypto Map:") {
            let name = quoted_or_word(trim(rest)).0;
            let interface = after_word(rest, "idb:").map(Text::from);
            let addr = after_word(rest, "address:").map(Text::from);
            self.map_local = Some((Text::from(name), addr, interface));
            self.part = MapPart::Body;
            return (true, None);
        }
        if let Some(rest) = s.strip_prefix("Crypto Map ") {
            return (self.map_header(out, notes, no, s, rest), None);
        }
        if let Some(rest) = s.strip_prefix("Interfaces using crypto map") {
            // `Interfaces using crypto map VPN:` then one interface per
            // line (or on the same line, in flattened text).
            let rest = trim(rest);
            let (name, used) = match rest.find(':') {
                Some(i) => (trim(&rest[..i]), i + 1),
                None => (rest, rest.len()),
            };
            let name = name.trim_matches('"');
            self.interfaces_of = Some(Text::from(name));
            self.part = MapPart::Interfaces;
            for e in out.iter_mut().filter(|e| e.map.as_str() == name) {
                e.interfaces_listed = true;
                e.evidence.push(LineRef::new(notes, no, s, What::Row));
            }
            let more = trim(&rest[used..]);
            for w in words(more) {
                self.add_interface(out, notes, no, s, w);
            }
            return (true, None);
        }
        let Some(e) = out.last_mut() else {
            return (false, None);
        };
        if self.part == MapPart::Interfaces {
            // Interface names: one word, no colon, no `=`.
            let mut w = words(s);
            if let (Some(i), None) = (w.next(), w.next()) {
                if !i.contains(':') && !i.contains('=') {
                    self.add_interface(out, notes, no, s, i);
                    return (true, None);
                }
            }
            self.part = MapPart::Body;
        }
        if self.part == MapPart::Transforms {
            if s.starts_with('}') {
                self.part = MapPart::Body;
                return (true, None);
            }
            // `TS:  { esp-aes esp-sha-hmac  } ,` or `TS,` (names only).
            let (name, body) = match s.find(':') {
                Some(i) => (trim(&s[..i]), &s[i + 1..]),
                None => (trim(s.trim_end_matches(',')), ""),
            };
            if !name.is_empty() && !name.contains(' ') {
                let (transforms, _) = braced(body);
                e.transform_sets.push(MapTransformSet {
                    name: Text::from(name.trim_end_matches(',')),
                    transforms,
                });
                e.evidence
                    .push(LineRef::new(notes, no, s, What::Algorithms));
                return (true, None);
            }
            self.part = MapPart::Body;
        }
        if self.part == MapPart::Acl {
            if let Some(rest) = s.strip_prefix("access-list") {
                // `access-list 101 permit ip …` (the name is left out for
                // the unnamed lists of dynamic entries: `access-list permit
                // ip …`).
                let rest = trim(rest);
                let entry = match rest.split_once(' ') {
                    Some((first, tail)) if !matches!(first, "permit" | "deny") => trim(tail),
                    _ => rest,
                };
                // A sequence number some releases print (`… 10 permit ip …`),
                // PIX's `line N`, and the hit count after the entry.
                let entry = entry.strip_prefix("line ").unwrap_or(entry);
                let entry = match entry.split_once(' ') {
                    Some((n, tail)) if n.bytes().all(|b| b.is_ascii_digit()) => trim(tail),
                    _ => entry,
                };
                let entry = match entry.find(" (hitcnt") {
                    Some(i) => trim(&entry[..i]),
                    None => entry,
                };
                e.acl_lines.push(MapAclLine {
                    line: no,
                    entry: Text::from(entry),
                });
                e.evidence.push(LineRef::new(notes, no, s, What::Ident));
                return (true, None);
            }
            self.part = MapPart::Body;
        }
        self.map_field(e, notes, no, s)
    }

    fn add_interface(
        &mut self,
        out: &mut [CryptoMapEntry],
        notes: &mut Notes,
        no: u64,
        s: &str,
        interface: &str,
    ) {
        let Some(map) = self.interfaces_of.as_deref() else {
            return;
        };
        for e in out.iter_mut().filter(|e| e.map.as_str() == map) {
            e.interfaces.push(Text::from(interface));
            e.evidence.push(LineRef::new(notes, no, s, What::Row));
        }
    }

    /// `Crypto Map [IPv4|IPv6] "NAME" SEQ ipsec-isakmp [dynamic DYN]`.
    fn map_header(
        &mut self,
        out: &mut Vec<CryptoMapEntry>,
        notes: &mut Notes,
        no: u64,
        s: &str,
        rest: &str,
    ) -> bool {
        let rest = trim(rest);
        let rest = rest
            .strip_prefix("IPv4 ")
            .or_else(|| rest.strip_prefix("IPv6 "))
            .unwrap_or(rest);
        let (name, tail) = quoted_or_word(trim(rest));
        let mut w = words(tail);
        let Some(seq) = w.next().and_then(num).and_then(|v| u32::try_from(v).ok()) else {
            return false;
        };
        let kind = w.next().map(Text::from);
        let dynamic_map = match (w.next(), w.next()) {
            (Some("dynamic"), Some(d)) => Some(Text::from(d)),
            _ => None,
        };
        let (local_address, local_interface) = match &self.map_local {
            Some((m, a, i)) if m.as_str() == name => (a.clone(), i.clone()),
            _ => (None, None),
        };
        self.part = MapPart::Body;
        self.interfaces_of = None;
        out.push(CryptoMapEntry {
            line: no,
            map: Text::from(name),
            seq,
            kind,
            dynamic_map,
            local_address,
            local_interface,
            evidence: vec![LineRef::new(notes, no, s, What::Header)],
            ..CryptoMapEntry::default()
        });
        true
    }

    /// The `Key: value` / `Key = value` lines of an entry.
    fn map_field(
        &mut self,
        e: &mut CryptoMapEntry,
        notes: &mut Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        let lower_peer = s.strip_prefix("Peer").or_else(|| s.strip_prefix("peer"));
        if let Some(v) = lower_peer.and_then(|r| trim(r).strip_prefix('=')) {
            if let Some(p) = words(v).next() {
                e.peers.push(Text::from(p.trim_end_matches(',')));
                e.evidence.push(LineRef::new(notes, no, s, What::Peer));
            }
            return (true, None);
        }
        if let Some(v) = after(s, "Current peer:") {
            e.current_peer = words(v).next().map(Text::from);
            return (true, None);
        }
        for head in [
            "Extended IP access list",
            "Standard IP access list",
            "IPv6 access list",
            "Extended IPv6 access list",
        ] {
            if let Some(v) = after(s, head) {
                e.acl = words(v).next().map(Text::from);
                self.part = MapPart::Acl;
                e.evidence.push(LineRef::new(notes, no, s, What::Ident));
                return (true, None);
            }
        }
        if s.starts_with("No matching address list set") {
            e.no_acl = true;
            e.evidence.push(LineRef::new(notes, no, s, What::Ident));
            return (true, None);
        }
        // The entry IOS made from a dynamic map for a peer (printed after
        // its ACL lines, or where they would be).
        if let Some(from) = after(s, "dynamic (created from dynamic map") {
            let name = from.trim_end_matches(')');
            let name = name.split('/').next().unwrap_or(name);
            e.dynamic_map = Some(Text::from(trim(name)));
            return (true, None);
        }
        if let Some(v) = after(s, "Dynamic map template tag:") {
            e.dynamic_map = words(v).next().map(Text::from);
            return (true, None);
        }
        // IOS-XE prints `Security association lifetime; …` on some builds.
        if let Some(v) = after(s, "Security association lifetime") {
            // `: 4608000 kilobytes/3600 seconds`
            let v = v.trim_start_matches([':', ';', ' ']);
            let mut parts = v.split('/');
            e.lifetime_kb = parts.next().and_then(|p| words(p).next()).and_then(num);
            e.lifetime_sec = parts.next().and_then(|p| words(p).next()).and_then(num);
            return (true, None);
        }
        if let Some(v) = after(s, "Responder-Only (Y/N):") {
            e.responder_only = yes_no(v);
            return (true, None);
        }
        if let Some(v) = after(s, "PFS (Y/N):") {
            // `PFS (Y/N): N` (IOS also prints `, DH group: none` on one
            // line in `show crypto ipsec sa`, not here).
            e.pfs = yes_no(v);
            e.evidence.push(LineRef::new(notes, no, s, What::State));
            return (true, None);
        }
        if let Some(v) = after(s, "DH group:") {
            e.pfs_group = words(v).next().map(Text::from);
            e.evidence.push(LineRef::new(notes, no, s, What::State));
            return (true, None);
        }
        if let Some(v) = after(s, "ISAKMP Profile:") {
            e.isakmp_profile = words(v).next().map(Text::from);
            return (true, None);
        }
        if let Some(v) = after(s, "IKEv2 Profile:").or_else(|| after(s, "IKEv2 profile:")) {
            e.ikev2_profile = words(v).next().map(Text::from);
            return (true, None);
        }
        // `Transform sets={`, IOS-XE's `Transfor set = {` (sic), and the
        // one-line `Transform sets={ TS, }`.
        if s.starts_with("Transform sets") || s.starts_with("Transfor set") {
            let body = s.find('{').map_or("", |i| &s[i + 1..]);
            e.evidence
                .push(LineRef::new(notes, no, s, What::Algorithms));
            if let Some(close) = last_close(body) {
                // All on one line: `{ TS: { esp-des } , TS2, }`.
                for (name, transforms) in inline_sets(&body[..close]) {
                    e.transform_sets.push(MapTransformSet { name, transforms });
                }
            } else {
                self.part = MapPart::Transforms;
            }
            return (true, None);
        }
        if let Some(v) = after(s, "Profile name:") {
            e.ipsec_profile = words(v).next().map(Text::from);
            return (true, None);
        }
        if s.starts_with("Map is a PROFILE INSTANCE") {
            e.profile_instance = true;
            return (true, None);
        }
        if s.starts_with("WARNING: This crypto map is") {
            e.incomplete = true;
            e.evidence.push(LineRef::new(notes, no, s, What::Status));
            return (true, None);
        }
        // Flags kept as printed.
        for label in ["Mixed-mode", "Access-List SS dynamic", "Dualstack (Y/N)"] {
            if let Some(v) = s.strip_prefix(label) {
                let v = trim(v.trim_start().trim_start_matches(':'));
                e.other.push(crate::KeyValue {
                    key: label.into(),
                    value: v.into(),
                });
                return (true, None);
            }
        }
        // `set ip access-group ACL in|out`: `Extended IP access check IN
        // list ACL` (the filter applied to the decrypted traffic).
        if let Some(v) = s.strip_prefix("Extended IP access check") {
            let (dir, acl) = match v.split_once(" list ") {
                Some((d, a)) => (trim(d), trim(a)),
                None => ("", trim(v)),
            };
            e.other.push(crate::KeyValue {
                key: format!("access check {dir}").trim_end().into(),
                value: acl.into(),
            });
            return (true, None);
        }
        // Lines kept without a field: descriptions and flags.
        const KNOWN: [&str; 7] = [
            "Description:",
            "Always create SAs",
            "Reverse Route Injection",
            "QOS pre-classification",
            "(missing peer",
            "To remedy",
            "Interfaces using",
        ];
        (KNOWN.iter().any(|k| s.starts_with(k)), None)
    }
}

/// The offset after `used` bytes when text follows (flattened input).
fn rest_at(s: &str, used: usize) -> Option<usize> {
    let rest = s.get(used..)?;
    (!trim(rest).is_empty()).then_some(used)
}

/// The end offset of token `t` (a sub-slice of `s`) in `s`.
fn end_of(s: &str, t: &str) -> usize {
    (t.as_ptr() as usize).saturating_sub(s.as_ptr() as usize) + t.len()
}

/// `{ esp-aes 256 esp-sha-hmac  }` → the transforms, and the bytes used
/// (up to the closing brace).
fn braced(s: &str) -> (Vec<Text>, usize) {
    let Some(open) = s.find('{') else {
        return (Vec::new(), 0);
    };
    let close = s[open..].find('}').map_or(s.len(), |i| open + i);
    let inner = &s[open + 1..close];
    (transforms_of(inner), (close + 1).min(s.len()))
}

/// Transform words, a key size kept with its cipher (`esp-aes 256`).
fn transforms_of(inner: &str) -> Vec<Text> {
    let mut v: Vec<String> = Vec::new();
    for w in words(inner) {
        let w = w.trim_end_matches(',');
        if w.is_empty() {
            continue;
        }
        match v.last_mut() {
            Some(prev) if w.bytes().all(|b| b.is_ascii_digit()) => {
                prev.push(' ');
                prev.push_str(w);
            }
            _ => v.push(w.to_string()),
        }
    }
    v.into_iter().map(Text::from).collect()
}

/// The sets of a one-line `Transform sets={ … }` body.
fn inline_sets(body: &str) -> Vec<(Text, Vec<Text>)> {
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let r = rest.trim_start_matches([' ', ',']);
        if r.is_empty() {
            break;
        }
        // A name runs to `:` (transforms follow in braces) or `,`.
        let end = r.find([':', ',', ' ']).unwrap_or(r.len());
        let name = &r[..end];
        let after_name = &r[end..];
        let t = after_name.trim_start();
        if let Some(t) = t.strip_prefix(':') {
            let (transforms, used) = braced(t);
            out.push((Text::from(name), transforms));
            rest = &t[used..];
        } else {
            if !name.is_empty() {
                out.push((Text::from(name), Vec::new()));
            }
            rest = after_name;
            if rest.len() == r.len() {
                break;
            }
        }
    }
    out
}

/// The offset of the brace that closes a `{ … }` opened before `s`.
fn last_close(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `"NAME" rest` or `NAME rest` → (NAME, rest).
fn quoted_or_word(s: &str) -> (&str, &str) {
    if let Some(q) = s.strip_prefix('"') {
        if let Some(end) = q.find('"') {
            return (&q[..end], &q[end + 1..]);
        }
    }
    match s.split_once(' ') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    }
}

/// The word after `label` anywhere in `s`.
fn after_word<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let i = find(s, label)?;
    words(&s[i + label.len()..]).next()
}

fn yes_no(v: &str) -> Option<bool> {
    match v.as_bytes().first() {
        Some(b'Y' | b'y') => Some(true),
        Some(b'N' | b'n') => Some(false),
        _ => None,
    }
}

/// `= { Tunnel,  },` → `Tunnel`.
fn mode_of(v: &str) -> Option<Text> {
    let inner = v.split('{').nth(1)?;
    let inner = inner.split('}').next()?;
    words(inner)
        .map(|w| w.trim_end_matches(','))
        .find(|w| !w.is_empty())
        .map(Text::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_keep_key_sizes_with_their_cipher() {
        let t: Vec<String> = transforms_of(" esp-aes 256 esp-sha-hmac  ")
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(t, ["esp-aes 256", "esp-sha-hmac"]);
    }

    #[test]
    fn one_line_transform_set_lists() {
        let sets = inline_sets(" TS-GCM:  { esp-gcm 256  } , OLD,  ");
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0].0.as_str(), "TS-GCM");
        assert_eq!(sets[0].1[0].as_str(), "esp-gcm 256");
        assert_eq!(sets[1].0.as_str(), "OLD");
        assert!(sets[1].1.is_empty());
    }

    #[test]
    fn quoted_names() {
        assert_eq!(
            quoted_or_word("\"my map\" 10 ipsec-isakmp"),
            ("my map", " 10 ipsec-isakmp")
        );
        assert_eq!(quoted_or_word("VPN 10"), ("VPN", "10"));
    }
}
