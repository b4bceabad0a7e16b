//! Tells configurations from other text (debug logs, syslog, `show`
//! output, prose) and IOS from ASA from PIX.
//!
//! Each line is weighed: log lines (timestamps, `%FAC-N-MNEMONIC`,
//! `ISAKMP`/`IPSEC(` debug text, `show` counters) count against; lines that
//! start with a configuration command (or are indented under one) count
//! for; commands only one platform has vote for that platform, and an
//! `ASA Version` / `PIX Version` line settles it. Text is a configuration
//! when it has configuration commands, at least 60 % of its lines look like
//! configuration, and at most 10 % look like log output.

use ipsec_doctor_model::config::Platform;
use regex::Regex;
use std::sync::OnceLock;

/// Lines examined.
pub const SNIFF_LINES: usize = 20_000;

/// What the text looks like.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sniff {
    /// Non-blank lines examined.
    pub lines: u32,
    /// Lines that look like configuration.
    pub config_like: u32,
    /// Lines that are known configuration commands.
    pub commands: u32,
    /// Lines that look like log or `show` output.
    pub log_like: u32,
    /// Votes for IOS, ASA, PIX.
    pub votes: [u32; 3],
    /// Platform stated by a version line.
    pub stated: Option<Platform>,
}

impl Sniff {
    /// Whether the text is a configuration.
    pub fn is_config(&self) -> bool {
        self.commands >= 1
            && (self.commands >= 2 || self.lines <= 3)
            && self.log_like * 10 <= self.lines
            && self.config_like * 10 >= self.lines * 6
    }

    /// The most likely platform (IOS when nothing says otherwise).
    pub fn platform(&self) -> Platform {
        if let Some(p) = self.stated {
            return p;
        }
        let [ios, asa, pix] = self.votes;
        if ios >= asa.max(pix) {
            Platform::Ios
        } else if pix > asa {
            Platform::Pix
        } else {
            Platform::Asa
        }
    }
}

fn log_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:<\d+>",
            r"|\*?[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{4}\s+)?\d{1,2}:\d{2}:\d{2}",
            r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}",
            r"|\d{1,2}:\d{2}:\d{2}",
            r"|\d+[ywd]\d+[wdh]:",
            r"|\d+:\s",
            r")",
            r"|%[A-Z][A-Z0-9_]*-\d-[A-Z0-9_]+",
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// Words debug and `show` output print anywhere in a line. Configuration
/// object names use them too (`crypto isakmp profile ISAKMP-PROFILE`,
/// `set ikev2-profile IKEv2-PROF`), so they only count on lines that do
/// not read as a configuration command ([`command_like`]).
fn log_word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"ISAKMP|IPSEC\(|IPSec\(|IKEv[12]|crypto_isakmp|Crypto map tag|#pkts|local ident|remote ident|return status is",
        )
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// A line typed as a command: a top-level line whose first word is a
/// configuration verb as configurations spell it (lower case), or a line
/// indented under such a command that starts with a lower-case keyword.
fn command_like(raw: &str, t: &str, under_command: bool) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    let keyword = !first.is_empty()
        && first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if raw.starts_with([' ', '\t']) {
        under_command && keyword
    } else {
        keyword && VERBS.contains(&first)
    }
}

/// First words of top-level configuration commands (any platform).
const VERBS: &[&str] = &[
    "aaa",
    "aaa-server",
    "access-group",
    "access-list",
    "alias",
    "arp",
    "asa",
    "asdm",
    "archive",
    "auth-prompt",
    "banner",
    "boot",
    "building",
    "call-home",
    "cdp",
    "class-map",
    "clock",
    "conduit",
    "config-register",
    "console",
    "control-plane",
    "crypto",
    "current",
    "dhcpd",
    "dhcprelay",
    "dns",
    "dns-guard",
    "domain-name",
    "dynamic-access-policy-record",
    "enable",
    "end",
    "established",
    "failover",
    "fixup",
    "flow-export",
    "floodguard",
    "ftp",
    "global",
    "group-policy",
    "hardware",
    "hostname",
    "hpm",
    "http",
    "icmp",
    "interface",
    "ip",
    "ipv6",
    "isakmp",
    "key",
    "license",
    "line",
    "logging",
    "mac-address",
    "management-access",
    "memory-size",
    "monitor-interface",
    "mtu",
    "multilayer",
    "name",
    "nameif",
    "names",
    "nat",
    "no",
    "ntp",
    "object",
    "object-group",
    "pager",
    "passwd",
    "pdm",
    "pix",
    "platform",
    "policy-map",
    "prompt",
    "redundancy",
    "route",
    "route-map",
    "router",
    "same-security-traffic",
    "service",
    "service-policy",
    "snmp-server",
    "spanning-tree",
    "ssh",
    "ssl",
    "static",
    "subscriber",
    "sysopt",
    "telnet",
    "terminal",
    "tftp-server",
    "threat-detection",
    "timeout",
    "tls-proxy",
    "track",
    "tunnel-group",
    "url-server",
    "user-identity",
    "username",
    "version",
    "vpdn",
    "vpngroup",
    "vpn",
    "vrf",
    "vtp",
    "wccp",
    "webvpn",
    "xlate",
    "cryptochecksum:",
];

/// Votes of one top-level line (`[ios, asa, pix]`), or `None` when it is
/// not a command that tells configurations apart.
fn votes(k: &[&str]) -> Option<[u32; 3]> {
    let ip = |s: &str| s.parse::<std::net::Ipv4Addr>().is_ok();
    Some(match k {
        ["hostname", _] | ["object-group", ..] | ["crypto", "ipsec", "transform-set", ..] => {
            [0, 0, 0]
        }
        ["interface", n, speed, ..]
            if n.starts_with("ethernet")
                && !speed.starts_with("point")
                && !speed.starts_with("multi") =>
        {
            [0, 0, 2]
        }
        ["interface", _, ..] => [0, 0, 0],
        ["ip", "route", ..] | ["ip", "access-list", ..] | ["ip", "nat", ..] => [2, 0, 0],
        ["ip", "address", n, a, _, ..] if !ip(n) && ip(a) => [0, 0, 2],
        ["ip", "local", "pool", _, r, ..] => {
            if r.contains('-') {
                [0, 1, 1]
            } else {
                [1, 0, 0]
            }
        }
        ["crypto", "isakmp", "policy", _] => [1, 1, 0],
        ["crypto", "isakmp", "key" | "profile" | "client", ..] | ["crypto", "keyring", ..] => {
            [2, 0, 0]
        }
        ["crypto", "isakmp", "enable", _] => [0, 2, 0],
        ["crypto", "isakmp", ..] => [1, 1, 0],
        ["crypto", "ikev1", ..] | ["crypto", "ipsec", "ikev1", ..] => [0, 3, 0],
        ["crypto", "map", _, _, "match" | "set", ..] | ["crypto", "map", _, "interface", _] => {
            [0, 1, 1]
        }
        ["crypto", "map", _, "local-address", _] => [2, 0, 0],
        ["crypto", "map", ..] => [0, 0, 0],
        ["crypto", "dynamic-map", _, _] => [1, 0, 0],
        ["crypto", "dynamic-map", ..] => [0, 1, 1],
        ["crypto", "pki", ..] => [1, 0, 0],
        ["crypto", ..] => [0, 0, 0],
        ["tunnel-group", ..] | ["group-policy", ..] => [0, 3, 0],
        ["object", "network" | "service", _] => [0, 2, 0],
        ["access-list", _, "extended" | "standard" | "line" | "remark", ..] => [0, 2, 0],
        ["access-list", n, "permit" | "deny", ..] => {
            if n.parse::<u32>().is_ok() {
                [0, 0, 0]
            } else {
                [0, 0, 1]
            }
        }
        ["access-list", ..] => [0, 0, 0],
        ["nat", ifs, ..] if ifs.starts_with('(') => {
            if ifs.contains(',') {
                [0, 2, 0]
            } else {
                [0, 1, 1]
            }
        }
        ["global" | "static", ifs, ..] if ifs.starts_with('(') => [0, 1, 1],
        ["route", n, a, m, ..] if !ip(n) && ip(a) && ip(m) => [0, 1, 1],
        ["mtu", n, v] if !ip(n) && v.parse::<u32>().is_ok() => [0, 1, 1],
        ["sysopt", "connection", "permit-ipsec"] => [0, 0, 3],
        ["sysopt", "connection", "permit-vpn"] | ["no", "sysopt", ..] => [0, 3, 0],
        ["nameif", _, _, ..] | ["isakmp", ..] | ["vpngroup", ..] => [0, 0, 3],
        ["fixup", ..] | ["conduit", ..] => [0, 0, 2],
        ["same-security-traffic", ..] | ["dynamic-access-policy-record", ..] => [0, 2, 0],
        ["names"] | ["name", _, _, ..] => [0, 1, 1],
        ["router", ..] | ["line", ..] | ["boot", ..] | ["ip", "cef"] | ["version", _] => [1, 0, 0],
        ["service", "timestamps" | "password-encryption", ..] => [1, 0, 0],
        _ => return None,
    })
}

/// `raw` without the first `base` characters of its leading whitespace.
fn strip_indent(raw: &str, base: usize) -> &str {
    let cut = raw
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .take(base)
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    &raw[cut..]
}

/// Examines `text`. An indentation common to every line (a configuration
/// pasted inside a document or a code block) is not indentation under a
/// command: it is removed first, as the reader does.
pub fn sniff(text: &str) -> Sniff {
    let base = crate::tree::common_indent(text.lines().take(SNIFF_LINES));
    let mut s = Sniff::default();
    let mut under_command = false;
    // Sub-commands typed at the left margin (a configuration pasted as
    // the commands someone typed) belong to the mode above them.
    let mut modes = crate::tree::Modes::default();
    let mut session = crate::tree::Session::default();
    for raw in text.lines().take(SNIFF_LINES) {
        let raw = strip_indent(raw, base);
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        // Commands indented under `conf t` in a written-up session.
        let raw = if crate::tree::is_comment(t) {
            raw
        } else {
            let indent = crate::tree::indent_of(raw);
            let rebased = session.rebase(indent, t);
            strip_indent(raw, indent.saturating_sub(rebased))
        };
        s.lines += 1;
        if log_re().is_match(t)
            || (log_word_re().is_match(t) && !command_like(raw, t, under_command))
        {
            s.log_like += 1;
            under_command = false;
            continue;
        }
        if t.starts_with('!') || t.starts_with(':') {
            s.config_like += 1;
            modes.leave();
            continue;
        }
        // `show crypto map` prints `Crypto Map "NAME" 10 ipsec-isakmp`:
        // output, not the `crypto map` command (always lower case).
        if t.starts_with("Crypto Map") {
            under_command = false;
            continue;
        }
        let w: smallvec::SmallVec<[std::borrow::Cow<'_, str>; 6]> = t
            .split_whitespace()
            .take(6)
            .map(crate::util::lower_word)
            .collect();
        let k: smallvec::SmallVec<[&str; 6]> = w.iter().map(|x| x.as_ref()).collect();
        if !raw.starts_with([' ', '\t']) {
            match modes.feed(t) {
                crate::tree::Typed::Sub(_) | crate::tree::Typed::Exit => {
                    s.config_like += 1;
                    under_command = true;
                    continue;
                }
                crate::tree::Typed::Top => {}
            }
            if matches!(
                k.as_slice(),
                ["conf" | "config", "t"]
                    | ["configure", "terminal"]
                    | ["end"]
                    | ["exit"]
                    | ["wr", "mem"]
            ) {
                s.config_like += 1;
                continue;
            }
        }
        if raw.starts_with([' ', '\t']) {
            if under_command {
                s.config_like += 1;
                if matches!(k.as_slice(), ["nameif", _] | ["security-level", _]) {
                    s.votes[1] += 2;
                }
            }
            continue;
        }
        match k.as_slice() {
            ["asa", "version", ..] => s.stated = s.stated.or(Some(Platform::Asa)),
            ["pix", "version", v, ..] => {
                // PIX 7 and later run the ASA code base and syntax.
                let major: u32 = v
                    .split('.')
                    .next()
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(6);
                let p = if major >= 7 {
                    Platform::Asa
                } else {
                    Platform::Pix
                };
                s.stated = s.stated.or(Some(p));
            }
            _ => {}
        }
        under_command = k.first().is_some_and(|f| VERBS.contains(f));
        if under_command {
            s.config_like += 1;
        }
        if let Some(v) = votes(&k) {
            s.commands += 1;
            for (acc, x) in s.votes.iter_mut().zip(v) {
                *acc += x;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_recognised() {
        for l in [
            "*Oct 25 18:50:01.497: ISAKMP: (0):SA request profile is (NULL)",
            "Sep 22 11:02:39 203.0.113.16 2435: Sep 22 11:02:39: %MOTCR-1-ERROR:x",
            "1d00h: ISAKMP (0:1): atts are not acceptable.",
            "%ASA-4-402101: decaps: recd IPSEC packet has invalid spi",
            "<166>Oct 10 2024 10:00:00: %ASA-6-302013: Built",
            "21:57:57: IPSEC(initialize_sas): invalid proxy IDs",
            "2024-01-01T10:00:00Z host msg",
        ] {
            assert!(log_re().is_match(l), "{l}");
        }
        for l in [
            "ISAKMP: (0):SA request profile is (NULL)",
            "IKEv2:(SESSION ID = 1,SA ID = 1):Received Packet",
            "Crypto map tag: M, local addr 192.0.2.1",
        ] {
            assert!(
                log_word_re().is_match(l) && !command_like(l, l, false),
                "{l}"
            );
        }
        for (raw, under) in [
            ("crypto isakmp profile ISAKMP-PROFILE", false),
            (" set isakmp-profile ISAKMP-PROFILE", true),
            ("   keyring ISAKMP-KEYRING", true),
            ("crypto ikev2 profile IKEv2-PROF", false),
        ] {
            assert!(command_like(raw, raw.trim(), under), "{raw}");
        }
        for l in [
            "crypto isakmp policy 10",
            "access-list 101 permit ip any any",
            "route outside 0.0.0.0 0.0.0.0 1.1.1.1 1",
        ] {
            assert!(!log_re().is_match(l), "{l}");
        }
    }

    #[test]
    fn typed_configurations_are_configs() {
        let text = "conf t\nhostname R\ncrypto isakmp policy 10\nencr aes\nhash sha\n\
                    authentication pre-share\ngroup 14\nexit\ncrypto map M 10 ipsec-isakmp\n\
                    set peer 192.0.2.1\nset transform-set T\nmatch address 101\nexit\nend\n";
        let s = sniff(text);
        assert!(s.is_config(), "{s:?}");
        assert_eq!(s.platform(), Platform::Ios);
    }

    #[test]
    fn single_command_fragments_are_configs() {
        assert!(sniff("crypto isakmp key abc address 192.0.2.1\n").is_config());
        assert!(!sniff("hello world\n").is_config());
        assert!(!sniff("").is_config());
    }
}
