//! Splits configuration text into numbered lines and groups them by
//! indentation: each top-level command with the indented sub-commands under
//! it (deeper levels are kept flat in the same body, with their indent).
//!
//! Blank lines and comments (`!`, ASA `:`) belong to no block. IOS banners
//! (`banner motd ^C … ^C`) become one block whose body is the banner text,
//! so the text is never read as commands. A uniform indentation of the
//! whole text (a pasted, indented config) is removed first.
//!
//! Configurations are also pasted as the commands someone typed (`conf t`,
//! `crypto isakmp policy 10`, `encr aes`, …, `exit`), with nothing
//! indented: the CLI puts each of those lines into the mode the previous
//! command entered. [`parse_typed`] does the same: a line at the left margin
//! that is one of the sub-commands of the mode opened by the block above
//! (`hash` under `crypto isakmp policy`, `set peer` under `crypto map …
//! ipsec-isakmp`, `ip address` under `interface`) joins that block; any
//! other command, `!`, `exit` or `end` leaves the mode, as on the device.
//! The sub-command lists are strict (a global command never matches one),
//! so a running configuration, whose sub-commands are always indented,
//! reads the same either way.

use std::iter;

/// One configuration line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: u64,
    /// Leading whitespace width (a tab counts as one), after removing the
    /// indentation common to the whole text.
    pub indent: usize,
    /// The line without leading and trailing whitespace.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The line's whitespace-separated words, with the two abbreviations
    /// typed configurations use most spelled out (`int` → `interface` as
    /// the first word, `ip add` → `ip address`): the CLI accepts any
    /// unambiguous prefix of a keyword, and the running configuration
    /// prints it in full.
    pub fn words(&self) -> Vec<&'a str> {
        let mut w: Vec<&'a str> = self.text.split_whitespace().collect();
        if w.len() >= 2 && w[0].eq_ignore_ascii_case("int") {
            w[0] = "interface";
        }
        if w.len() >= 3
            && w[0] == "ip"
            && w[1].len() >= 3
            && "address".starts_with(&w[1].to_ascii_lowercase())
        {
            w[1] = "address";
        }
        w
    }
}

/// A top-level command and the indented lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'a> {
    /// The top-level line.
    pub head: Line<'a>,
    /// Indented lines under it, in order.
    pub body: Vec<Line<'a>>,
}

impl<'a> Block<'a> {
    /// The head followed by the body.
    pub fn lines(&self) -> impl Iterator<Item = &Line<'a>> {
        iter::once(&self.head).chain(self.body.iter())
    }
}

/// A whole configuration as blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree<'a> {
    /// Blocks in order.
    pub blocks: Vec<Block<'a>>,
    /// Number of lines in the text (as [`str::lines`] counts them).
    pub lines: u64,
}

/// Whether a trimmed line is a comment or separator.
pub fn is_comment(text: &str) -> bool {
    text.starts_with('!') || text.starts_with(':')
}

/// The indentation every command line of `lines` shares (a configuration
/// pasted inside a document); 0, found at the first line at the margin,
/// for nearly every configuration.
pub(crate) fn common_indent<'a>(lines: impl Iterator<Item = &'a str>) -> usize {
    let mut base: Option<usize> = None;
    for r in lines {
        let t = r.trim();
        if t.is_empty() || is_comment(t) {
            continue;
        }
        let i = indent_of(r);
        if i == 0 {
            return 0;
        }
        base = Some(base.map_or(i, |b| b.min(i)));
    }
    base.unwrap_or(0)
}

pub(crate) fn indent_of(raw: &str) -> usize {
    // Characters, not bytes: a web page's no-break spaces indent too. The
    // ASCII run is counted by byte (every line goes through here).
    let ascii = raw
        .bytes()
        .take_while(|b| b.is_ascii_whitespace() || *b == 0x0b)
        .count();
    match raw.as_bytes().get(ascii) {
        Some(b) if !b.is_ascii() => {
            ascii
                + raw[ascii..]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .count()
        }
        _ => ascii,
    }
}

/// The closing delimiter of a multi-line IOS banner starting on `text`,
/// or `None` when the banner fits on this line (or is ASA-style text).
fn banner_delimiter(text: &str) -> Option<&str> {
    let mut words = text.split_whitespace();
    if !words.next()?.eq_ignore_ascii_case("banner") {
        return None;
    }
    let kind = words.next()?;
    // `text` starts with the word `banner` (6 ASCII bytes), then the kind.
    let after_kind = text.get(6..)?.trim_start().get(kind.len()..)?.trim_start();
    let delim = if after_kind.starts_with("^C") {
        "^C"
    } else {
        let c = after_kind.chars().next()?;
        if c.is_alphanumeric() {
            return None;
        }
        &after_kind[..c.len_utf8()]
    };
    let rest = &after_kind[delim.len()..];
    if rest.contains(delim) {
        None
    } else {
        Some(delim)
    }
}

/// Splits `text` into blocks (indentation only).
#[cfg(test)]
pub fn parse(text: &str) -> Tree<'_> {
    parse_typed(text, false)
}

/// The configuration modes whose sub-commands a typed (unindented)
/// configuration leaves at the left margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Interface,
    IkePolicy,
    TransformSet,
    MapEntry,
    IpsecProfile,
    Keyring,
    IsakmpProfile,
    Ikev2Proposal,
    Ikev2Policy,
    Ikev2Keyring,
    Ikev2Profile,
    IpsecProposal,
    TunnelGroupIpsec,
    TunnelGroupGeneral,
    NamedAcl,
    Object,
    ObjectGroup,
}

/// Words read of a line at the left margin. Every pattern of this module
/// has a fixed part of at most six words, so a longer line cut at seven
/// still has a length no exact pattern takes.
const WORDS_READ: usize = 7;

/// Calls `f` with the first [`WORDS_READ`] words of `text` in lower case,
/// on the stack (this runs for every line at the left margin).
fn with_lower_words<R>(text: &str, f: impl FnOnce(&[&str]) -> R) -> R {
    let lowered: smallvec::SmallVec<[std::borrow::Cow<'_, str>; WORDS_READ]> = text
        .split_whitespace()
        .take(WORDS_READ)
        .map(crate::util::lower_word)
        .collect();
    let w: smallvec::SmallVec<[&str; WORDS_READ]> = lowered.iter().map(|x| x.as_ref()).collect();
    f(&w)
}

/// The first words of the commands [`mode_of`] knows.
const MODE_STARTERS: [&str; 7] = [
    "interface",
    "int",
    "crypto",
    "tunnel-group",
    "ip",
    "object",
    "object-group",
];

/// The mode a command at the left margin enters, if any.
fn mode_of(w: &[&str]) -> Option<Mode> {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    Some(match w {
        ["interface" | "int", _, ..] => Mode::Interface,
        ["crypto", "isakmp" | "ikev1", "policy", _] => Mode::IkePolicy,
        ["crypto", "ipsec", "transform-set", _, _, ..] => Mode::TransformSet,
        ["crypto", "map", _, seq] | ["crypto", "map", _, seq, "ipsec-isakmp"] if numeric(seq) => {
            Mode::MapEntry
        }
        ["crypto", "dynamic-map", _, seq] if numeric(seq) => Mode::MapEntry,
        ["crypto", "ipsec", "profile", _] => Mode::IpsecProfile,
        ["crypto", "keyring", ..] => Mode::Keyring,
        ["crypto", "isakmp", "profile", _] => Mode::IsakmpProfile,
        ["crypto", "ikev2", "proposal", _] => Mode::Ikev2Proposal,
        ["crypto", "ikev2", "policy", _] => Mode::Ikev2Policy,
        ["crypto", "ikev2", "keyring", _] => Mode::Ikev2Keyring,
        ["crypto", "ikev2", "profile", _] => Mode::Ikev2Profile,
        ["crypto", "ipsec", "ikev2", "ipsec-proposal", _] => Mode::IpsecProposal,
        ["tunnel-group", _, "ipsec-attributes"] => Mode::TunnelGroupIpsec,
        ["tunnel-group", _, "general-attributes"] => Mode::TunnelGroupGeneral,
        ["ip", "access-list", "extended" | "standard", _] => Mode::NamedAcl,
        ["object", "network" | "service", _] => Mode::Object,
        ["object-group", _, _, ..] => Mode::ObjectGroup,
        _ => return None,
    })
}

/// Whether `w` (lower-case words) is an interface sub-command. Global
/// commands that share a first word (`ip route`, `ip nat inside source`,
/// `crypto map M 10 …`, ASA `mtu outside 1500`, PIX `ip address outside …`)
/// do not match.
fn interface_command(w: &[&str]) -> bool {
    let addressish = |s: &str| {
        s.parse::<std::net::Ipv4Addr>().is_ok() || matches!(s, "dhcp" | "negotiated" | "pppoe")
    };
    match w {
        ["no", rest @ ..] => !rest.is_empty() && interface_command(rest),
        ["ip", "address" | "add" | "addr", a, ..] => addressish(a),
        ["ip", "nat", "inside" | "outside"] => true,
        ["ip", second, ..] => matches!(
            *second,
            "unnumbered"
                | "mtu"
                | "tcp"
                | "virtual-reassembly"
                | "ospf"
                | "access-group"
                | "vrf"
                | "nhrp"
                | "redirects"
                | "unreachables"
                | "proxy-arp"
                | "helper-address"
                | "policy"
                | "flow"
                | "verify"
                | "pim"
                | "mroute-cache"
                | "route-cache"
                | "directed-broadcast"
        ),
        ["crypto", "map", _] => true,
        ["mtu", _] => true,
        ["vrf", "forwarding", ..] => true,
        [first, ..] => matches!(
            *first,
            "nameif"
                | "security-level"
                | "shutdown"
                | "shut"
                | "description"
                | "tunnel"
                | "duplex"
                | "speed"
                | "encapsulation"
                | "negotiation"
                | "pppoe"
                | "pppoe-client"
                | "dialer"
                | "ppp"
                | "bandwidth"
                | "delay"
                | "clock"
                | "switchport"
                | "vlan"
                | "standby"
                | "zone-member"
                | "keepalive"
                | "management-only"
                | "mop"
                | "cdp"
                | "ipv6"
        ),
        [] => false,
    }
}

/// Whether a line at the left margin is a sub-command of `mode`; for the
/// IKEv2 keyring, `in_peer` says a `peer` sub-mode is open.
fn is_sub_command(mode: Mode, w: &[&str], in_peer: bool) -> bool {
    let Some(first) = w.first().copied() else {
        return false;
    };
    let one_of = |words: &[&str]| words.contains(&first);
    match mode {
        Mode::Interface => interface_command(w),
        Mode::IkePolicy => crate::ike::policy_keyword(first).is_some(),
        Mode::TransformSet => one_of(&["mode"]),
        Mode::MapEntry => one_of(&["set", "match", "reverse-route", "description", "qos"]),
        Mode::IpsecProfile => one_of(&["set", "description", "responder-only"]),
        Mode::Keyring => one_of(&["pre-shared-key", "local-address", "description"]),
        Mode::IsakmpProfile => one_of(&[
            "keyring",
            "match",
            "self-identity",
            "local-address",
            "keepalive",
            "vrf",
            "description",
            "initiate",
            "ca",
        ]),
        Mode::Ikev2Proposal => one_of(&["encryption", "integrity", "group", "prf"]),
        Mode::Ikev2Policy => one_of(&[
            "proposal",
            "match",
            "encryption",
            "integrity",
            "group",
            "prf",
            "lifetime",
        ]),
        Mode::Ikev2Keyring => {
            first == "peer"
                || (in_peer
                    && one_of(&[
                        "address",
                        "pre-shared-key",
                        "identity",
                        "hostname",
                        "description",
                    ]))
        }
        Mode::Ikev2Profile => one_of(&[
            "match",
            "identity",
            "authentication",
            "keyring",
            "lifetime",
            "dpd",
            "description",
            "nat",
        ]),
        Mode::IpsecProposal => one_of(&["protocol"]),
        // `isakmp keepalive` belongs to the tunnel group; PIX-style global
        // `isakmp enable|policy|identity …` lines do not.
        Mode::TunnelGroupIpsec => {
            matches!(w, ["isakmp", "keepalive", ..])
                || one_of(&[
                    "pre-shared-key",
                    "ikev1",
                    "ikev2",
                    "peer-id-validate",
                    "chain",
                    "trust-point",
                ])
        }
        Mode::TunnelGroupGeneral => one_of(&[
            "default-group-policy",
            "address-pool",
            "authentication-server-group",
        ]),
        Mode::NamedAcl => {
            let first = if first.bytes().all(|b| b.is_ascii_digit()) {
                w.get(1).copied().unwrap_or("")
            } else {
                first
            };
            matches!(first, "permit" | "deny" | "remark")
        }
        // Object NAT (`nat (inside,outside) dynamic interface`), not the
        // twice NAT that follows object NAT in an ASA running configuration
        // (`nat (inside,outside) after-auto source …`).
        Mode::Object => match w {
            ["nat", "dynamic" | "static", ..] => true,
            ["nat", ifs, "dynamic" | "static", ..] => ifs.starts_with('('),
            _ => one_of(&["host", "subnet", "range", "fqdn", "description", "service"]),
        },
        Mode::ObjectGroup => one_of(&[
            "network-object",
            "group-object",
            "description",
            "port-object",
            "protocol-object",
            "service-object",
            "icmp-object",
        ]),
    }
}

/// Whether a line enters configuration mode (`conf t`, `configure
/// terminal`), as console sessions pasted with a configuration start.
pub(crate) fn is_configure(text: &str) -> bool {
    // Checked for every line at the left margin: most start otherwise.
    if !text
        .as_bytes()
        .first()
        .is_some_and(|b| b.eq_ignore_ascii_case(&b'c'))
        || text.len() > 24
    {
        return false;
    }
    with_lower_words(text, |w| {
        matches!(
            w,
            ["conf" | "config" | "configure", "t" | "terminal"] | ["configure"]
        )
    })
}

/// Console sessions written up with the commands indented under `conf t`
/// (`conf t` / ` hostname r1` / ` interface …` / `wr mem`): the indentation
/// under `conf t` is the session's, not a sub-command's. After such a line,
/// the next line's extra indentation is taken off every line until one is
/// indented less.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Session {
    pending: bool,
    shift: usize,
}

impl Session {
    /// The indentation of a line (`indent`, common indentation already
    /// removed) once the session's is taken off.
    pub(crate) fn rebase(&mut self, indent: usize, text: &str) -> usize {
        if self.pending {
            self.pending = false;
            self.shift = indent;
        }
        if indent < self.shift {
            self.shift = 0;
        }
        let out = indent - self.shift;
        if out == 0 && is_configure(text) {
            self.pending = true;
            self.shift = 0;
        }
        out
    }
}

/// How a line at the left margin of a typed configuration reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typed {
    /// A sub-command of the open mode, at this depth (1, or 2 under an
    /// IKEv2 keyring's `peer`).
    Sub(usize),
    /// `exit`: leaves the innermost open mode.
    Exit,
    /// A global command (it may enter a mode of its own).
    Top,
}

/// The modes open while reading a typed configuration line by line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Modes {
    mode: Option<Mode>,
    in_peer: bool,
}

impl Modes {
    /// Leaves every mode (`!`, `end`).
    pub(crate) fn leave(&mut self) {
        *self = Modes::default();
    }

    /// Reads one line found at the left margin.
    pub(crate) fn feed(&mut self, text: &str) -> Typed {
        // Most lines at the left margin of a running configuration (ASA
        // access lists, routes, names) open no mode and follow none: a look
        // at the first word settles them without splitting the line.
        if self.mode.is_none() {
            let first = text.split_ascii_whitespace().next().unwrap_or("");
            if !MODE_STARTERS.iter().any(|m| m.eq_ignore_ascii_case(first)) {
                return Typed::Top;
            }
        }
        with_lower_words(text, |w| self.feed_words(text, w))
    }

    fn feed_words(&mut self, text: &str, w: &[&str]) -> Typed {
        if let Some(m) = self.mode {
            if text.eq_ignore_ascii_case("exit") {
                if self.in_peer {
                    self.in_peer = false;
                } else {
                    self.mode = None;
                }
                return Typed::Exit;
            }
            if is_sub_command(m, w, self.in_peer) {
                let peer_line = m == Mode::Ikev2Keyring && w.first() == Some(&"peer");
                let depth = if self.in_peer && !peer_line { 2 } else { 1 };
                if peer_line {
                    self.in_peer = true;
                }
                return Typed::Sub(depth);
            }
        }
        self.mode = mode_of(w);
        // `feed` passes over lines whose first word is no mode starter.
        debug_assert!(
            self.mode.is_none() || w.first().is_some_and(|f| MODE_STARTERS.contains(f)),
            "{w:?} opens a mode: its first word belongs in MODE_STARTERS"
        );
        self.in_peer = false;
        Typed::Top
    }
}

/// Splits `text` into blocks; with `typed`, lines at the left margin that
/// are sub-commands of the mode the block above entered join that block
/// (see the module documentation). Not for PIX 6.x, whose configuration
/// is flat and whose `interface ethernet0 auto` enters no mode.
pub fn parse_typed(text: &str, typed: bool) -> Tree<'_> {
    let raw: Vec<&str> = text.lines().collect();
    let lines = raw.len() as u64;
    let base = common_indent(raw.iter().copied());

    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut modes = Modes::default();
    let mut session = Session::default();
    let mut i = 0;
    while i < raw.len() {
        let r = raw[i];
        let text = r.trim();
        let no = i as u64 + 1;
        i += 1;
        if text.is_empty() {
            continue;
        }
        if is_comment(text) {
            if text.starts_with('!') && indent_of(r) <= base {
                modes.leave();
            }
            continue;
        }
        let line = Line {
            no,
            indent: session.rebase(indent_of(r).saturating_sub(base), text),
            text,
        };
        if typed && line.indent == 0 {
            match modes.feed(text) {
                Typed::Exit => continue,
                Typed::Sub(indent) => {
                    if let Some(b) = blocks.last_mut() {
                        b.body.push(Line { indent, ..line });
                        continue;
                    }
                }
                Typed::Top => {}
            }
        }
        if line.indent == 0 {
            if let Some(delim) = banner_delimiter(text) {
                // Multi-line banner: only when it is closed somewhere.
                if let Some(off) = raw[i..].iter().position(|l| l.contains(delim)) {
                    let body = raw[i..=i + off]
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| !l.trim().is_empty())
                        .map(|(j, l)| Line {
                            no: (i + j) as u64 + 1,
                            indent: 1,
                            text: l.trim(),
                        })
                        .collect();
                    blocks.push(Block { head: line, body });
                    i += off + 1;
                    continue;
                }
            }
            blocks.push(Block {
                head: line,
                body: Vec::new(),
            });
        } else if let Some(b) = blocks.last_mut() {
            b.body.push(line);
        } else {
            blocks.push(Block {
                head: line,
                body: Vec::new(),
            });
        }
    }
    Tree { blocks, lines }
}

/// Which lines a parser understood; the rest are counted as skipped.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    used: Vec<bool>,
}

impl Marks {
    /// Room for `lines` lines.
    pub fn new(lines: u64) -> Marks {
        Marks {
            used: vec![false; usize::try_from(lines).unwrap_or(0).saturating_add(1)],
        }
    }

    /// Marks a line as understood.
    pub fn mark(&mut self, line: &Line<'_>) {
        if let Some(u) = usize::try_from(line.no)
            .ok()
            .and_then(|n| self.used.get_mut(n))
        {
            *u = true;
        }
    }

    /// Marks a whole block as understood.
    pub fn mark_block(&mut self, block: &Block<'_>) {
        for l in block.lines() {
            self.mark(l);
        }
    }

    /// Numbers of the lines of `tree` (outside comments and blank lines)
    /// not marked, in order.
    pub fn unmarked(&self, tree: &Tree<'_>) -> Vec<u64> {
        let used = |l: &Line<'_>| {
            usize::try_from(l.no)
                .ok()
                .and_then(|n| self.used.get(n))
                .copied()
                .unwrap_or(false)
        };
        let mut out: Vec<u64> = tree
            .blocks
            .iter()
            .flat_map(|b| b.lines())
            .filter(|l| !used(l) && !is_noise(l.text))
            .map(|l| l.no)
            .collect();
        out.sort_unstable();
        out
    }
}

/// Mode-leaving and terminator lines carry no meaning.
fn is_noise(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "end"
            | "exit"
            | "quit"
            | "exit-address-family"
            | "conf t"
            | "config t"
            | "configure terminal"
            | "write memory"
            | "wr mem"
            | "wr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_line_numbers_and_skip_comments() {
        let t = parse("hostname r1\n!\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n\n shutdown\nend\n");
        assert_eq!(t.lines, 7);
        assert_eq!(t.blocks.len(), 3);
        assert_eq!(t.blocks[1].head.no, 3);
        let body: Vec<u64> = t.blocks[1].body.iter().map(|l| l.no).collect();
        assert_eq!(body, vec![4, 6]);
    }

    #[test]
    fn banners_are_one_block() {
        let t = parse("banner motd ^C\ncrypto isakmp key x address 1.1.1.1\n^C\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
        assert_eq!(t.blocks[0].body.len(), 2);
        assert_eq!(t.blocks[1].head.text, "hostname r");
        // unclosed: a single line
        let t = parse("banner motd ^C never closed\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
        // ASA style
        let t = parse("banner motd Authorized only\nhostname r\n");
        assert_eq!(t.blocks.len(), 2);
    }

    #[test]
    fn common_indentation_is_removed() {
        let t = parse("  crypto isakmp policy 10\n   hash md5\n  hostname x\n");
        assert_eq!(t.blocks.len(), 2);
        assert_eq!(t.blocks[0].body.len(), 1);
    }

    #[test]
    fn typed_modes_read_upper_case_and_long_lines() {
        let mut m = Modes::default();
        // Upper case opens a mode too; a long global line after it does
        // not join it, and a map line longer than the entry form opens none.
        assert_eq!(m.feed("Interface GigabitEthernet0/1"), Typed::Top);
        assert_eq!(m.feed("IP Address 192.0.2.1 255.255.255.0"), Typed::Sub(1));
        assert_eq!(
            m.feed("access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255 log"),
            Typed::Top
        );
        assert_eq!(
            m.feed("crypto map CM 10 ipsec-isakmp dynamic DYN discover"),
            Typed::Top
        );
        assert_eq!(m.feed("set peer 192.0.2.9"), Typed::Top);
        assert_eq!(m.feed("crypto map CM 20 ipsec-isakmp"), Typed::Top);
        assert_eq!(m.feed("set peer 192.0.2.9"), Typed::Sub(1));
        assert_eq!(m.feed("exit"), Typed::Exit);
        assert_eq!(m.feed("set peer 192.0.2.9"), Typed::Top);
    }

    #[test]
    fn typed_sub_commands_join_the_mode_above() {
        let text = "crypto ikev2 keyring KR\npeer far\naddress 192.0.2.9\npre-shared-key k\nexit\nexit\n\
                    crypto ikev2 profile P\nmatch identity remote address 192.0.2.9 255.255.255.255\n\
                    ip route 0.0.0.0 0.0.0.0 192.0.2.1\nset peer 192.0.2.9\n";
        let t = parse_typed(text, true);
        let heads: Vec<&str> = t.blocks.iter().map(|b| b.head.text).collect();
        assert_eq!(
            heads,
            [
                "crypto ikev2 keyring KR",
                "crypto ikev2 profile P",
                "ip route 0.0.0.0 0.0.0.0 192.0.2.1",
                "set peer 192.0.2.9"
            ]
        );
        let depths: Vec<usize> = t.blocks[0].body.iter().map(|l| l.indent).collect();
        assert_eq!(depths, [1, 2, 2]);
        assert_eq!(t.blocks[1].body.len(), 1);
        // `!` leaves the mode; without `typed` nothing is regrouped.
        let t = parse_typed("crypto isakmp policy 1\n!\nhash md5\n", true);
        assert_eq!(t.blocks.len(), 2);
        let t = parse_typed("crypto isakmp policy 1\nhash md5\n", false);
        assert_eq!(t.blocks.len(), 2);
        let t = parse_typed("crypto isakmp policy 1\nhash md5\n", true);
        assert_eq!(t.blocks.len(), 1);
    }

    #[test]
    fn commands_indented_under_conf_t_are_top_level() {
        let t = parse_typed(
            "\tconf t\n\t hostname a\n\t interface Gi0/0\n\t  ip address 192.0.2.1 255.255.255.0\n\
             \t exit\n\twr mem\n\t hostname b\n",
            true,
        );
        let heads: Vec<&str> = t.blocks.iter().map(|b| b.head.text).collect();
        assert_eq!(
            heads,
            ["conf t", "hostname a", "interface Gi0/0", "wr mem"],
            "{t:?}"
        );
        // After `wr mem` the session indentation is gone: ` hostname b` is
        // indented under `wr mem` again, as in any other text.
        assert_eq!(t.blocks[3].body.len(), 1);
    }

    #[test]
    fn global_commands_sharing_a_sub_command_word_stay_global() {
        // ASA: twice NAT after an object NAT block; global `isakmp` after a
        // tunnel group.
        let t = parse_typed(
            "object network obj_any\n nat (inside,outside) dynamic interface\n\
             nat (inside,outside) after-auto source dynamic any interface\n\
             tunnel-group 192.0.2.1 ipsec-attributes\n ikev1 pre-shared-key k\n\
             isakmp enable outside\n",
            true,
        );
        let heads: Vec<&str> = t.blocks.iter().map(|b| b.head.text).collect();
        assert_eq!(
            heads,
            [
                "object network obj_any",
                "nat (inside,outside) after-auto source dynamic any interface",
                "tunnel-group 192.0.2.1 ipsec-attributes",
                "isakmp enable outside"
            ]
        );
        // Typed object NAT still joins its object.
        let t = parse_typed(
            "object network web\nhost 10.0.0.5\nnat (dmz,outside) static 192.0.2.80\n",
            true,
        );
        assert_eq!(t.blocks.len(), 1);
        assert_eq!(t.blocks[0].body.len(), 2);
    }

    #[test]
    fn abbreviated_interface_keywords_are_spelled_out() {
        let t = parse_typed("int Gi0/0\nip add 192.0.2.1 255.255.255.0\n", true);
        assert_eq!(t.blocks.len(), 1);
        assert_eq!(t.blocks[0].head.words()[0], "interface");
        assert_eq!(t.blocks[0].body[0].words()[1], "address");
        // not a prefix of `address`
        let t = parse_typed("ip access-list extended A\n", true);
        assert_eq!(t.blocks[0].head.words()[1], "access-list");
    }

    #[test]
    fn orphan_indented_lines_become_blocks() {
        let t = parse("\n\n set peer 1.1.1.1\nhostname a\n");
        assert_eq!(t.blocks.len(), 2);
    }
}
