//! The driver: reads the text line by line, recognises prompts and
//! commands (`R1#show crypto ipsec sa`), finds which output a line belongs
//! to (by the command, or by the output's own markers when there is no
//! prompt), splits text flattened onto one line at known field labels, and
//! hands each piece to the parser of its section.

use crate::asp::AspParser;
use crate::engine::EngineParser;
use crate::ikev2::Ikev2Parser;
use crate::ipsec_sa::IpsecParser;
use crate::isakmp::IsakmpParser;
use crate::keys::KeyParser;
use crate::ping::PingParser;
use crate::policy::PolicyParser;
use crate::session::SessionParser;
use crate::text::{find, trim, words, Tokens};
use crate::vpn_sessiondb::SessiondbParser;
use crate::{Section, SectionKind, ShowOutput, Text};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// Lines longer than this are checked for several fields flattened onto
/// one line (copy/paste from web pages).
const SPLIT_MIN: usize = 120;

/// Labels that start a line in real output. In flattened text a new
/// logical line starts at each of them.
const LINE_LABELS: &[&str] = &[
    // show crypto ipsec sa
    "interface:",
    "peer address:",
    "Crypto map tag:",
    "protected vrf:",
    "local ident",
    "local  ident",
    "remote ident",
    "current_peer",
    "dynamic allocated peer ip:",
    "PERMIT, flags",
    "DENY, flags",
    "#pkts encaps",
    "#send errors",
    "#pre-frag",
    "#PMTUs",
    "#TFC",
    "#Valid ICMP",
    "local crypto endpt",
    "plaintext mtu",
    "path mtu",
    "PMTU time remaining",
    "ICMP error validation",
    "current outbound spi",
    "current inbound spi",
    "PFS (Y/N)",
    "inbound esp sas",
    "inbound ah sas",
    "inbound pcp sas",
    "outbound esp sas",
    "outbound ah sas",
    "outbound pcp sas",
    "spi: ",
    "SA State:",
    "transform:",
    "in use settings",
    "slot:",
    "conn id:",
    "sa timing:",
    "Kilobyte Volume Rekey",
    "IV size:",
    "replay detection support",
    "Status:",
    "Anti replay bitmap",
    "access-list ",
    // show crypto ipsec sa address
    "dest address:",
    "protocol: ESP",
    "protocol: AH",
    "protocol: PCP",
    // show crypto isakmp sa
    "dst src state",
    "IPv4 Crypto ISAKMP SA",
    "IPv6 Crypto ISAKMP SA",
    "IKEv1 SAs:",
    "IKEv2 SAs:",
    // show crypto ikev2 sa / session
    "IPv4 Crypto IKEv2",
    "IPv6 Crypto IKEv2",
    "Session-id:",
    "Tunnel-id ",
    "Encr: ",
    "Life/Active Time:",
    "CE id:",
    "Local spi:",
    "Remote spi:",
    "Local req msg id",
    "Remote req msg id",
    "Local next msg id",
    "Remote next msg id",
    "Local req queued",
    "Remote req queued",
    "Local window",
    "Remote window",
    // ASA spells the message ids `mess id`.
    "Local req mess id",
    "Remote req mess id",
    "Local next mess id",
    "Remote next mess id",
    "DPD configured",
    "NAT-T is ",
    // IOS-XE 16+ `detailed` free text (not the legend's `IKE Fragmentation`,
    // `IKE Extended Authentication`, `Dynamic Route Update`).
    "Fragmentation not",
    "Fragmentation configured",
    "Dynamic Route Update:",
    "Extended Authentication not",
    "Extended Authentication configured",
    "Cisco Trust Security",
    "Initiator of SA",
    "Remote subnets:",
    "PEER TYPE:",
    "PQC Key Exchange:",
    "Local Sys Id:",
    "Remote Sys Id:",
    // Child SA detail.
    "AH spi in/out:",
    "CPI in/out:",
    "ah_hmac:",
    "Status Description:",
    "Local id:",
    "Remote id:",
    "Child sa:",
    "remote selector",
    "ESP spi in/out:",
    "Active SA:",
    "Total IKE SA:",
    "There are no",
    // show crypto session
    "Crypto session current status",
    "Code: ",
    "Interface:",
    "Profile:",
    "Uptime:",
    "Username:",
    "Group:",
    "Assigned address:",
    "IKE Peer:",
    "Peer: ",
    "Phase1_id:",
    "Desc:",
    "Session ID:",
    "Capabilities:",
    "Session status:",
    "IKEv1 SA:",
    "IKEv2 SA:",
    "IKE SA:",
    "IPSEC FLOW:",
    "Active SAs:",
    "Inbound:",
    "Outbound:",
    // commands
    "show crypto ",
    "show vpn-sessiondb",
    // ping
    "Protocol [ip]",
    "Target IP address",
    "Repeat count [",
    "Datagram size [",
    "Timeout in seconds [",
    "Extended commands [",
    "Source address or interface",
    "Type of service [",
    "Set DF bit in IP header",
    "Validate reply data",
    "Data pattern [",
    "Loose, Strict, Record",
    "Sweep range of sizes",
    "Sweep min size",
    "Sweep max size",
    "Sweep interval",
    "Type escape sequence",
    "Sending ",
    "Packet sent with",
    "Success rate is",
    "frag. needed",
    "echo reply rcvd",
    // show crypto isakmp policy
    "Global IKE policy",
    "Default IKE policy",
    "Protection suite of priority",
    "Default protection suite",
    "encryption algorithm:",
    "hash algorithm:",
    "authentication method:",
    "Diffie-Hellman group:",
    // show crypto ipsec transform-set
    "Transform set ",
    "will negotiate",
    // show crypto map
    "Crypto Map ",
    "Peer = ",
    "Extended IP access list",
    "No matching address list",
    "Current peer:",
    "Security association lifetime",
    "Responder-Only",
    "Mixed-mode",
    "Transform sets=",
    "Interfaces using crypto map",
];

fn splitter() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(LINE_LABELS)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(LINE_LABELS)
            })
            .ok()
    })
    .as_ref()
}

/// The characters of a device name in a prompt (`ASA/pri/act(config)`).
const PROMPT_NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'(' | b')');
        c += 1;
    }
    t
};

/// Splits a prompt off a line: `R1#show …` → (`R1`, `show …`).
// On every line: a call here measured 1.5 % of the parse.
#[inline(always)]
fn split_prompt(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    // The name's characters by table (one load per byte): most lines are
    // not prompts, and end their first word at a space.
    let i = b
        .iter()
        .take_while(|&&c| PROMPT_NAME[usize::from(c)])
        .count();
    if !matches!(b.get(i), Some(b'#' | b'>')) {
        return None;
    }
    let rest = trim(s.get(i + 1..).unwrap_or(""));
    // The command must start with a letter (or be empty).
    if rest
        .as_bytes()
        .first()
        .is_some_and(|c| !c.is_ascii_alphabetic())
    {
        return None;
    }
    Some((s.get(..i).unwrap_or(""), rest))
}

/// The device name in a prompt: `ASA/pri/act(config)` → `ASA` (the rule
/// the log analyser uses too).
fn device_name(prompt: &str) -> &str {
    ipsec_doctor_model::prompt::device_of_prompt(prompt)
}

/// Whether `w` is an abbreviation (at least `min` letters) of `keyword`.
fn abbrev(w: &str, keyword: &str, min: usize) -> bool {
    w.len() >= min && keyword.starts_with(w)
}

/// Reads a command; returns its section and the byte offset where the
/// command ends (the rest of the line is output, in flattened text).
// Once per command: kept out of the per-line code.
#[inline(never)]
fn parse_command(cmd: &str) -> (SectionKind, usize) {
    // The words that matter are the first dozen; an array spares an
    // allocation per command (prompts repeat before every command).
    let mut toks: [(usize, &str); 16] = [(0, ""); 16];
    let mut count = 0;
    for (slot, t) in toks.iter_mut().zip(Tokens::new(cmd)) {
        *slot = t;
        count += 1;
    }
    let toks = &toks[..count];
    let t = |i: usize| toks.get(i).map(|x| x.1).unwrap_or("");
    let end_of = |i: usize| toks.get(i).map(|x| x.0 + x.1.len()).unwrap_or(cmd.len());
    let first = t(0);
    let (first, base) = if first == "do" { (t(1), 1) } else { (first, 0) };
    if first == "ping" {
        return (SectionKind::Ping, cmd.len());
    }
    if !abbrev(first, "show", 2) {
        return (SectionKind::Other, cmd.len());
    }
    let w1 = t(base + 1);
    let w2 = t(base + 2);
    let w3 = t(base + 3);
    let (kind, mut i) = if abbrev(w1, "crypto", 3) {
        if (abbrev(w2, "isakmp", 3) || w2 == "ikev1") && w3 == "sa" {
            (SectionKind::Isakmp, base + 4)
        } else if abbrev(w2, "isakmp", 3) && abbrev(w3, "policy", 3) {
            (SectionKind::IsakmpPolicy, base + 4)
        } else if abbrev(w2, "isakmp", 3) && w3 == "key" {
            (SectionKind::IsakmpKey, base + 4)
        } else if abbrev(w2, "ipsec", 3) && abbrev(w3, "transform-set", 3) {
            (SectionKind::TransformSet, base + 4)
        } else if w2 == "map" {
            (SectionKind::CryptoMap, base + 3)
        } else if w2 == "ikev2" && (w3 == "sa" || abbrev(w3, "session", 4)) {
            (SectionKind::Ikev2, base + 4)
        } else if abbrev(w2, "ipsec", 3) && w3 == "sa" {
            (SectionKind::Ipsec, base + 4)
        } else if abbrev(w2, "engine", 3) && (abbrev(w3, "connections", 4)) {
            (SectionKind::Engine, base + 4)
        } else if abbrev(w2, "session", 2) {
            // `sh cry se br` is accepted by IOS.
            (SectionKind::Session, base + 3)
        } else {
            return (SectionKind::Other, cmd.len());
        }
    } else if abbrev(w1, "isakmp", 3) && abbrev(w2, "policy", 3) {
        // PIX 6.x `show isakmp policy`.
        (SectionKind::IsakmpPolicy, base + 3)
    } else if w1 == "asp" && abbrev(w2, "drop", 2) {
        // ASA `show asp drop [frame|flow [reason]]`.
        return (SectionKind::AspDrop, cmd.len());
    } else if abbrev(w1, "vpn-sessiondb", 5) {
        let mut j = base + 2;
        let mut detail_or_l2l = false;
        while let Some(w) = toks.get(j).map(|x| x.1) {
            // Every session filter (`l2l`, `anyconnect`, `webvpn`, `remote`,
            // `ra-ikev2-ipsec`, `email-proxy`, …) lists sessions.
            if abbrev(w, "detail", 3)
                || w == "l2l"
                || abbrev(w, "ra-ikev1-ipsec", 4)
                || abbrev(w, "ra-ikev2-ipsec", 4)
                || abbrev(w, "anyconnect", 3)
                || abbrev(w, "webvpn", 3)
                || abbrev(w, "remote", 3)
                || abbrev(w, "email-proxy", 3)
                || abbrev(w, "full", 4)
            {
                detail_or_l2l = true;
                j += 1;
            } else if abbrev(w, "summary", 3) {
                j += 1;
            } else {
                break;
            }
        }
        let kind = if detail_or_l2l {
            SectionKind::Sessiondb
        } else {
            SectionKind::VpnSummary
        };
        return (kind, end_of(j.saturating_sub(1)).min(cmd.len()));
    } else {
        return (SectionKind::Other, cmd.len());
    };
    // Options after the command words.
    loop {
        let w = t(i);
        if w.is_empty() {
            break;
        }
        if w == "|" {
            return (kind, cmd.len());
        }
        let with_arg = ["peer", "map", "interface", "vrf", "remote", "local", "tag"];
        // `show crypto ipsec sa address` takes no argument (it sorts every
        // SA by destination); nor does ASA `entry` (sorted by peer).
        let alone = [
            "detail",
            "detailed",
            "active",
            "brief",
            "identity",
            "address",
            "entry",
            "ipv6",
            "nat",
            "dropped-packet",
            "count",
            "spi-lookup",
            "platform",
        ];
        if alone.iter().any(|a| abbrev(w, a, 3)) || w == "br" {
            i += 1;
        } else if with_arg.contains(&w) {
            i += 2;
        } else {
            break;
        }
    }
    (kind, end_of(i.saturating_sub(1)).min(cmd.len()))
}

/// What a line's own text says about which output it belongs to.
fn sniff(s: &str, current: SectionKind) -> Option<SectionKind> {
    let b = s.as_bytes();
    let k = match b.first()? {
        b'i' if s.starts_with("interface:") => SectionKind::Ipsec,
        b'p' if s.starts_with("peer address:") => SectionKind::Ipsec,
        b'C' => {
            if s.starts_with("Crypto map tag:") {
                SectionKind::Ipsec
            } else if s.starts_with("Crypto Map ") || s.starts_with("Crypto Map:") {
                SectionKind::CryptoMap
            } else if s.starts_with("Crypto session current status")
                || s.starts_with("Code: C - IKE")
                || s.starts_with("Crypto Session Details")
            {
                // The legend opens `show crypto session detail` output
                // captured without its banner.
                SectionKind::Session
            } else if s.starts_with("Crypto Engine Connections") {
                SectionKind::Engine
            } else if s.starts_with("C-id ") && find(s, "Remote").is_some() {
                SectionKind::Isakmp
            } else if s.starts_with("Connection")
                && trim(s["Connection".len()..].trim_start()).starts_with(':')
            {
                SectionKind::Sessiondb
            } else {
                return None;
            }
        }
        b'I' => {
            if s.starts_with("IPv4 Crypto ISAKMP SA")
                || s.starts_with("IPv6 Crypto ISAKMP SA")
                || s.starts_with("IKEv1 SAs:")
                || s.starts_with("IKE Peer")
            {
                SectionKind::Isakmp
            } else if s.starts_with("IKEv2 SAs:")
                || s.starts_with("IPv4 Crypto IKEv2")
                || s.starts_with("IPv6 Crypto IKEv2")
            {
                SectionKind::Ikev2
            } else if s.starts_with("IPsec SA total") {
                SectionKind::Ipsec
            } else if s.starts_with("Interface:") && current != SectionKind::Sessiondb {
                SectionKind::Session
            } else if s.starts_with("ID ") && find(s, "Algorithm").is_some() {
                SectionKind::Engine
            } else {
                return None;
            }
        }
        // `show crypto ipsec sa address` without its command.
        b'd' if s.starts_with("dest address:") => SectionKind::Ipsec,
        b'd' if s.starts_with("dst") && {
            let mut w = words(s);
            w.next() == Some("dst") && w.next() == Some("src")
        } =>
        {
            SectionKind::Isakmp
        }
        b'A' if s.starts_with("Active SA:") || s.starts_with("Active ISAKMP SA") => {
            SectionKind::Isakmp
        }
        b'T' => {
            if s.starts_with("Total IKE SA:")
                || (s.starts_with("Total") && find(s, "Embryonic").is_some())
                || s.starts_with("There are no IKE")
            {
                // ASA `show crypto ikev2 sa` with no SA is IKEv2 output
                // (also alone, without its command); after IKEv1 output
                // (`show crypto isakmp sa`) it is that.
                if s.starts_with("There are no IKEv2") {
                    match current {
                        SectionKind::Ikev2 | SectionKind::Isakmp => return None,
                        _ => return Some(SectionKind::Ikev2),
                    }
                }
                SectionKind::Isakmp
            } else if s.starts_with("There are no ipsec") {
                SectionKind::Ipsec
            } else if s.starts_with("Tunnel-id ") && find(s, "Remote").is_some() {
                SectionKind::Ikev2
            } else if s.starts_with("Target IP address") || s.starts_with("Type escape sequence") {
                SectionKind::Ping
            } else if s.starts_with("Transform set ") && find(s, ": {").is_some() {
                SectionKind::TransformSet
            } else if s.starts_with("Tunnels Summary") && current == SectionKind::VpnSummary {
                SectionKind::VpnSummary
            } else {
                return None;
            }
        }
        b'S' => {
            if s.starts_with("Session Type:") {
                SectionKind::Sessiondb
            } else if s.starts_with("Session-id:") && find(s, "IKE count").is_some() {
                SectionKind::Ikev2
            } else if s.starts_with("Success rate is")
                || (s.starts_with("Sending ") && find(s, "-byte ICMP").is_some())
            {
                SectionKind::Ping
            } else {
                return None;
            }
        }
        b'V' if s.starts_with("VPN Session Summary") => SectionKind::VpnSummary,
        b'K' if s.starts_with("Keyring") && find(s, "Hostname/Address").is_some() => {
            SectionKind::IsakmpKey
        }
        b'F' if s.starts_with("Frame drop:") || s.starts_with("Flow drop:") => SectionKind::AspDrop,
        b'G' if s.starts_with("Global IKE policy") => SectionKind::IsakmpPolicy,
        b'D' if s.starts_with("Default IKE policy")
            || s.starts_with("Default protection suite") =>
        {
            SectionKind::IsakmpPolicy
        }
        b'P' if s.starts_with("Protocol [ip]") => SectionKind::Ping,
        b'P' if s.starts_with("Protection suite of priority") => SectionKind::IsakmpPolicy,
        _ => return None,
    };
    Some(k)
}

/// Removes a leading pager prompt and the backspaces and spaces that erase
/// it; returns what follows (the next output line, or nothing).
// Rare lines only: kept out of the per-line code.
#[inline(never)]
fn strip_pager(s: &str) -> &str {
    let rest = s
        .strip_prefix("--More--")
        .or_else(|| s.strip_prefix("<--- More --->"))
        .unwrap_or(s);
    // Only ASCII bytes are skipped, so the rest starts at a char boundary.
    let skip = rest
        .bytes()
        .take_while(|&b| b == 0x08 || crate::text::is_space(b))
        .count();
    rest.get(skip..).unwrap_or("")
}

/// The parser: one per input.
pub(crate) struct Parser {
    pub(crate) out: ShowOutput,
    kind: SectionKind,
    device: Option<Text>,
    isakmp: IsakmpParser,
    ikev2: Ikev2Parser,
    ipsec: IpsecParser,
    engine: EngineParser,
    session: SessionParser,
    sessiondb: SessiondbParser,
    ping: PingParser,
    policy: PolicyParser,
    keys: KeyParser,
    asp: AspParser,
    /// Leading blanks of the current line (the `show vpn-sessiondb` summary
    /// nests a row under the one above by indenting it).
    indent: usize,
}

impl Parser {
    pub(crate) fn new(source: &str) -> Parser {
        Parser {
            out: ShowOutput::empty(source),
            kind: SectionKind::Other,
            device: None,
            isakmp: IsakmpParser::default(),
            ikev2: Ikev2Parser::default(),
            ipsec: IpsecParser::default(),
            engine: EngineParser::default(),
            session: SessionParser::default(),
            sessiondb: SessiondbParser::default(),
            ping: PingParser::default(),
            policy: PolicyParser::default(),
            keys: KeyParser,
            asp: AspParser::default(),
            indent: 0,
        }
    }

    /// Parses the whole text, numbering its lines from `first_line + 1`.
    pub(crate) fn run(self, text: &str) -> ShowOutput {
        self.run_from(text, 0, 0, text.len())
    }

    /// [`Parser::run`] for a part of an input that starts after
    /// `first_line` lines; its evidence goes to notes part `part`. The
    /// records vectors are sized for `room_for` bytes of input (the whole
    /// input, for the first part: the parts after it are appended to it).
    pub(crate) fn run_from(
        mut self,
        text: &str,
        first_line: u64,
        part: usize,
        room_for: usize,
    ) -> ShowOutput {
        // The evidence text grows as it is written: reserving a share of
        // the input up front measured slower (the allocator then hands out
        // fresh pages to the small records parsed next).
        self.out.start_notes(part, 0);
        let room_for = room_for.max(text.len());
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut no: u64 = first_line;
        let marks = [room_for / 64, room_for / 16, room_for / 4];
        let mut checkpoints: &[usize] = if bytes.len() >= 1 << 20 { &marks } else { &[] };
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            no += 1;
            // `end` is at a '\n' (ASCII) or the end: both are char boundaries.
            let line = text.get(start..end).unwrap_or("");
            self.line(no, line);
            start = end + 1;
            // At 1/64, 1/16 and 1/4 of the input they are sized for, size
            // the outputs for the rest.
            if checkpoints.first().is_some_and(|&c| start >= c) {
                checkpoints = &checkpoints[1..];
                self.out.reserve_ahead(start, room_for);
            }
        }
        self.out.lines = no;
        if let Some(last) = self.out.sections.last_mut() {
            last.end_line = no;
        }
        self.out.last_device = self.device;
        self.out
    }

    fn line(&mut self, no: u64, raw: &str) {
        let mut s = trim(raw);
        // A pager prompt (` --More-- `, ASA `<--- More --->`) captured in a
        // terminal log, often followed on the same line by the backspaces
        // that erase it and then the next line of output. Only lines that
        // start with `-`, `<` or a backspace pay for the check.
        if matches!(s.as_bytes().first(), Some(b'-' | b'<' | 0x08)) {
            s = strip_pager(s);
        }
        if s.is_empty() {
            self.out.blank += 1;
            return;
        }
        self.indent = (s.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize);
        let recognised = if s.len() > SPLIT_MIN {
            self.split_line(no, s)
        } else {
            self.segment(no, s)
        };
        if !recognised {
            self.skip(no);
        }
    }

    // Rare: kept out of the per-line code.
    #[cold]
    fn skip(&mut self, no: u64) {
        self.out.skipped += 1;
        if self.out.skipped_lines.len() < crate::SKIPPED_LINES_KEPT {
            self.out.skipped_lines.push(no);
        }
    }

    /// A long line: split at known labels and parse each piece.
    // Rare (flattened text): kept out of the per-line code.
    #[inline(never)]
    fn split_line(&mut self, no: u64, s: &str) -> bool {
        let Some(ac) = splitter() else {
            return self.segment(no, s);
        };
        let mut cuts: Vec<usize> = Vec::new();
        let b = s.as_bytes();
        let mut from = 0;
        while let Some(m) = ac.find(aho_corasick::Input::new(s).span(from..s.len())) {
            // A label starts a word: `UP-NO-IKE Peer: A` holds `Peer:`, not
            // `IKE Peer:` (an ASA block). Inside a word, look again from
            // the next byte, for a label that starts later.
            if m.start() > 0 && {
                let p = b[m.start() - 1];
                p.is_ascii_alphanumeric() || p == b'-' || p == b'_'
            } {
                from = m.start() + 1;
                continue;
            }
            from = m.end();
            let mut at = m.start();
            // ASA numbers its SAs: `1   IKE Peer: A` — keep the number.
            if s[at..].starts_with("IKE Peer:") {
                let mut k = at;
                while k > 0 && b[k - 1] == b' ' {
                    k -= 1;
                }
                let digits_end = k;
                while k > 0 && b[k - 1].is_ascii_digit() {
                    k -= 1;
                }
                if k < digits_end && (k == 0 || b[k - 1] == b' ') {
                    at = k;
                }
            }
            // A command stays with its prompt (`PIX(config)#show crypto …`).
            if s[at..].starts_with("show ") {
                let before = s[..at].trim_end_matches(' ');
                if before.ends_with('#') || before.ends_with('>') {
                    // Cut before the prompt instead, so that the output
                    // before it does not swallow the command.
                    let p = before.rfind(' ').map_or(0, |i| i + 1);
                    if p > 0
                        && !matches!(cuts.last(), Some(&c) if c >= p)
                        && split_prompt(&s[p..]).is_some()
                    {
                        cuts.push(p);
                    }
                    continue;
                }
            }
            if at > 0 {
                cuts.push(at);
            }
        }
        // A bare prompt closing the text (`… origin: crypto map CSR1#`) is
        // not part of the last value.
        if let Some(p) = s.rfind(' ').map(|i| i + 1) {
            if !matches!(cuts.last(), Some(&c) if c >= p)
                && matches!(split_prompt(&s[p..]), Some((_, "")))
            {
                cuts.push(p);
            }
        }
        if cuts.is_empty() {
            return self.segment(no, s);
        }
        let mut any = false;
        let mut from = 0;
        for cut in cuts.into_iter().chain(std::iter::once(s.len())) {
            if let Some(piece) = s.get(from..cut) {
                let piece = trim(piece);
                if !piece.is_empty() {
                    any |= self.segment(no, piece);
                }
            }
            from = cut;
        }
        any
    }

    /// Parses one logical line (and whatever it leaves over).
    // On every line: left out of line, its call measured 2 % of the parse.
    #[inline(always)]
    fn segment(&mut self, no: u64, seg: &str) -> bool {
        let mut s = seg;
        let mut any = false;
        loop {
            let (ok, rest) = self.one(no, s);
            any |= ok;
            match rest {
                Some(r) if r > 0 && r < s.len() => {
                    let next = trim(s.get(r..).unwrap_or(""));
                    if next.is_empty() {
                        break;
                    }
                    s = next;
                }
                _ => break,
            }
        }
        any
    }

    // Once per section: kept out of the per-line code.
    #[inline(never)]
    fn start_section(&mut self, no: u64, kind: SectionKind, command: Option<Text>) {
        if let Some(last) = self.out.sections.last_mut() {
            last.end_line = no.saturating_sub(1).max(last.line);
        }
        if kind != SectionKind::Other && self.out.device.is_none() {
            self.out.device = self.device.as_deref().map(str::to_string);
        }
        self.out.sections.push(Section {
            kind,
            command,
            device: self.device.clone(),
            line: no,
            end_line: no,
        });
        self.kind = kind;
    }

    /// One piece: returns (recognised, offset of left-over text).
    // Not inlined into `segment`: there the compiler worked out the
    // address of every parser's output ahead of its loop, some forty
    // instructions per line for the one a line needs (2 % of the parse).
    #[inline(never)]
    fn one(&mut self, no: u64, s: &str) -> (bool, Option<usize>) {
        // Prompt and command.
        if let Some((prompt, cmd)) = split_prompt(s) {
            // Prompts repeat before every command: allocate only when the
            // device changes.
            let name = device_name(prompt);
            if self.device.as_deref() != Some(name) {
                self.device = Some(Text::new(name));
            }
            if cmd.is_empty() {
                if self.kind != SectionKind::Other {
                    self.start_section(no, SectionKind::Other, None);
                }
                return (true, None);
            }
            let (kind, end) = parse_command(cmd);
            let command = crate::text::squeeze(cmd.get(..end).unwrap_or(cmd));
            self.reset(kind);
            if kind == SectionKind::Ping {
                let args = cmd.split_once("ping").map(|x| x.1).unwrap_or("");
                self.ping.command(args);
            }
            self.start_section(no, kind, Some(command));
            let offset = cmd.as_ptr() as usize - s.as_ptr() as usize + end;
            return (true, (offset < s.len()).then_some(offset));
        }
        // A bare command in flattened text (`… show crypto ipsec sa`).
        if s.starts_with("show ") {
            let (kind, end) = parse_command(s);
            if kind != SectionKind::Other {
                self.reset(kind);
                let command = crate::text::squeeze(s.get(..end).unwrap_or(s));
                self.start_section(no, kind, Some(command));
                return (true, (end < s.len()).then_some(end));
            }
        }
        // Rulers (`-----`, `=====`) belong to every table.
        if s.len() >= 3 && s.bytes().all(|b| b == b'-' || b == b'=') {
            return (true, None);
        }
        if let Some(k) = sniff(s, self.kind) {
            if k != self.kind {
                self.start_section(no, k, None);
            }
        }
        match self.kind {
            SectionKind::Ipsec => (
                self.ipsec.line(
                    &mut self.out.ipsec,
                    &mut self.out.ipsec_sa_counts,
                    &mut self.out.notes,
                    no,
                    s,
                ),
                None,
            ),
            SectionKind::Isakmp => self.isakmp.segment(
                &mut self.out.isakmp_sas,
                &mut self.out.isakmp_summaries,
                &mut self.out.notes,
                no,
                s,
            ),
            SectionKind::Ikev2 => (
                self.ikev2
                    .line(&mut self.out.ikev2_sas, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::Engine => {
                self.engine
                    .line(&mut self.out.engine_connections, &mut self.out.notes, no, s)
            }
            SectionKind::Session => (
                self.session
                    .line(&mut self.out.sessions, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::Sessiondb => (
                self.sessiondb
                    .line(&mut self.out.vpn_sessions, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::VpnSummary => (
                self.sessiondb
                    .summary_line(&mut self.out.vpn_summaries, no, s, self.indent),
                None,
            ),
            SectionKind::Ping => (
                self.ping
                    .line(&mut self.out.pings, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::IsakmpPolicy => {
                self.policy
                    .isakmp_line(&mut self.out.isakmp_policies, &mut self.out.notes, no, s)
            }
            SectionKind::TransformSet => self.policy.transform_set_line(
                &mut self.out.transform_sets,
                &mut self.out.notes,
                no,
                s,
            ),
            SectionKind::CryptoMap => {
                self.policy
                    .map_line(&mut self.out.crypto_maps, &mut self.out.notes, no, s)
            }
            SectionKind::IsakmpKey => (
                self.keys
                    .line(&mut self.out.isakmp_keys, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::AspDrop => (
                self.asp
                    .line(&mut self.out.asp_drops, &mut self.out.notes, no, s),
                None,
            ),
            SectionKind::Other => (false, None),
        }
    }

    // Once per command: kept out of the per-line code.
    #[inline(never)]
    fn reset(&mut self, kind: SectionKind) {
        match kind {
            SectionKind::Ipsec => self.ipsec.reset(),
            SectionKind::Isakmp => self.isakmp.reset(),
            SectionKind::Ikev2 => self.ikev2.reset(),
            SectionKind::Engine => self.engine.reset(),
            SectionKind::Session => self.session.reset(),
            SectionKind::Sessiondb | SectionKind::VpnSummary => self.sessiondb.reset(),
            SectionKind::Ping => self.ping.reset(),
            SectionKind::IsakmpPolicy | SectionKind::TransformSet | SectionKind::CryptoMap => {
                self.policy.reset()
            }
            SectionKind::IsakmpKey => self.keys.reset(),
            SectionKind::AspDrop => self.asp.reset(),
            SectionKind::Other => {}
        }
    }
}

/// Where a large input can be cut in two for parsing in parallel: the start
/// of a prompt line (`R1#show …`) after the middle, so that the second part
/// starts with a command and owes nothing to the first; without one, the
/// start of a line that resets every parser state it relies on (a bare
/// `show crypto …` / `show vpn-sessiondb …` command, an `interface:` or
/// `dest address:` block header) — the device of the last prompt and the section it continues
/// are carried over when the parts are joined ([`crate::ShowOutput`]).
pub(crate) fn split_point(text: &str) -> Option<usize> {
    prompt_split(text).or_else(|| bare_split(text))
}

fn prompt_split(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = b.len() / 2;
    let finder = memchr::memmem::Finder::new(b"#show ");
    while let Some(off) = finder.find(&b[from..]) {
        let hash = from + off;
        let line_start = memchr::memrchr(b'\n', &b[..hash]).map_or(0, |i| i + 1);
        if line_start > 0 {
            if let Some(line) = text.get(line_start..hash + 6) {
                if split_prompt(line).is_some() {
                    return Some(line_start);
                }
            }
        }
        from = hash + 1;
    }
    None
}

fn bare_split(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mid = b.len() / 2;
    // Looked for up to three quarters in: further, the halves are too
    // unequal to gain much.
    let limit = mid + (b.len() - mid) / 2;
    let mut pos = mid + memchr::memchr(b'\n', &b[mid..])? + 1;
    while pos < limit {
        let rest = &b[pos..];
        if rest.starts_with(b"show crypto ")
            || rest.starts_with(b"show vpn-sessiondb")
            || rest.starts_with(b"interface: ")
            || rest.starts_with(b"dest address: ")
        {
            return Some(pos);
        }
        pos += memchr::memchr(b'\n', rest)? + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_and_commands() {
        assert_eq!(
            split_prompt("R1#show crypto isakmp sa"),
            Some(("R1", "show crypto isakmp sa"))
        );
        assert_eq!(
            split_prompt("ASA/pri/act(config)# show crypto ipsec sa peer 1.2.3.4"),
            Some(("ASA/pri/act(config)", "show crypto ipsec sa peer 1.2.3.4"))
        );
        assert_eq!(split_prompt("#pkts encaps: 4"), None);
        assert_eq!(split_prompt("2w5d: ICMP: dst"), None);
        assert_eq!(device_name("ASA/pri/act(config)"), "ASA");
        assert_eq!(device_name("hostname1/pri/act"), "hostname1");
        assert_eq!(device_name("asa/ctx1"), "asa/ctx1");
        assert_eq!(
            parse_command("show crypto isakmp sa Total : 2").0,
            SectionKind::Isakmp
        );
        assert_eq!(
            parse_command("show crypto isakmp sa Total : 2").1,
            "show crypto isakmp sa".len()
        );
        assert_eq!(
            parse_command("sh cry ips sa peer 1.2.3.4 det"),
            (SectionKind::Ipsec, 30)
        );
        assert_eq!(
            parse_command("show crypto engine connection active").0,
            SectionKind::Engine
        );
        assert_eq!(
            parse_command("show crypto session detail").0,
            SectionKind::Session
        );
        assert_eq!(
            parse_command("show vpn-sessiondb detail l2l").0,
            SectionKind::Sessiondb
        );
        assert_eq!(
            parse_command("show vpn-sessiondb").0,
            SectionKind::VpnSummary
        );
        // `address` and `entry` take no argument: the output that follows
        // a flattened command is not swallowed.
        assert_eq!(
            parse_command("show crypto ipsec sa address dest address: 10.1.1.1"),
            (SectionKind::Ipsec, "show crypto ipsec sa address".len())
        );
        assert_eq!(
            parse_command("sh cry ips sa addr"),
            (SectionKind::Ipsec, "sh cry ips sa addr".len())
        );
        assert_eq!(
            parse_command("show crypto ipsec sa entry detail"),
            (
                SectionKind::Ipsec,
                "show crypto ipsec sa entry detail".len()
            )
        );
        for cmd in [
            "show crypto ipsec sa map VPNMAP",
            "show crypto ipsec sa interface GigabitEthernet0/0",
            "show crypto ipsec sa vrf CUST-A detail",
            "show crypto ipsec sa identity detail",
            "show crypto ipsec sa ipv6 detail",
        ] {
            assert_eq!(parse_command(cmd), (SectionKind::Ipsec, cmd.len()), "{cmd}");
        }
        assert_eq!(
            parse_command("show crypto ipsec sa map VPNMAP interface: Gi1").1,
            "show crypto ipsec sa map VPNMAP".len()
        );
        assert_eq!(
            sniff("dest address: 10.1.1.1", SectionKind::Other),
            Some(SectionKind::Ipsec)
        );
        assert_eq!(sniff("destination unreachable", SectionKind::Other), None);
        assert_eq!(parse_command("debug crypto isakmp").0, SectionKind::Other);
        assert_eq!(
            parse_command("ping 1.1.1.1 size 1500 df-bit").0,
            SectionKind::Ping
        );
    }
}
