//! Console transcripts: prompts name the device, typed commands tell what
//! the engineer changed, and ping results tell whether it helped. A change
//! that turns a failing ping into a successful one is the confirmed fix.

use ipsec_doctor_model::config::AddrMatch;
use ipsec_doctor_model::Code;
use regex::Regex;
use std::sync::OnceLock;

/// A console prompt and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt<'a> {
    /// Host name of the prompt, without failover roles (`ASA/pri/act` → `ASA`).
    pub host: &'a str,
    /// Configuration mode (`config`, `config-if`, …) if any.
    pub config: bool,
    /// Text typed (or printed) after the prompt.
    pub rest: &'a str,
}

/// Recognises `Router#`, `Hub-RTR(config)#cmd`, `ASA/pri/act(config)# cmd`,
/// `spoke1>`. Words that are Cisco message prefixes are not hosts.
/// Hand-written: it runs on every unprefixed line.
pub fn prompt(line: &str) -> Option<Prompt<'_>> {
    let b = line.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let host_len = b
        .iter()
        .take(63)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-'))
        .count();
    let host = &line[..host_len];
    let mut i = host_len;
    let mut config = false;
    if b.get(i) == Some(&b'(') {
        let close = line[i..].find(')')? + i;
        let mode = &line[i + 1..close];
        let ok_mode = (mode.starts_with("config") || mode.starts_with("cfg"))
            && mode.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !ok_mode {
            return None;
        }
        config = true;
        i = close + 1;
    }
    if !matches!(b.get(i), Some(b'#' | b'>')) {
        return None;
    }
    if host.len() < 2 || host.starts_with("ISAKMP") || host.starts_with("IPSEC") {
        return None;
    }
    Some(Prompt {
        // `ASA/pri/act` is `ASA`, as in the show parser and the config.
        host: ipsec_doctor_model::prompt::device_of_prompt(host),
        config,
        rest: &line[i + 1..],
    })
}

/// `=RouterA=` markers used in documentation to say which device speaks.
pub fn device_marker(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix('=')?.strip_suffix('=')?;
    (!inner.is_empty()
        && inner
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
    .then_some(inner)
}

/// What a typed command changes, when it is a likely fix.
pub fn fix_kind(command: &str) -> Option<Code> {
    let c = command
        .trim()
        .trim_start_matches("do ")
        .to_ascii_lowercase();
    let starts = |p: &str| c.starts_with(p);
    Some(
        if starts("ip route ") || starts("route ") || starts("ipv6 route ") {
            Code::RouteMissing
        } else if starts("crypto isakmp key")
            || starts("isakmp key")
            || c.contains("pre-shared-key")
        {
            Code::PskMissing
        } else if starts("set pfs") || starts("no set pfs") || c.contains(" set pfs") {
            Code::PfsMismatch
        } else if starts("crypto ipsec transform-set")
            || starts("crypto ipsec ikev1 transform-set")
            || starts("set transform-set")
            || c.contains("set ikev1 transform-set")
        {
            Code::TransformSetMismatch
        } else if starts("crypto isakmp policy")
            || starts("crypto ikev1 policy")
            || starts("encryption ")
            || starts("hash ")
            || starts("group ")
            || starts("authentication ")
        {
            Code::Phase1PolicyMismatch
        } else if starts("match address")
            || starts("permit ip")
            || starts("access-list")
            || c.contains(" match address ")
        {
            Code::ProxyIdMismatch
        } else if starts("set peer") || c.contains(" set peer ") {
            Code::PeerAddressMismatch
        } else if (starts("ip nat ") && c.contains("route-map"))
            || starts("nat (")
            || starts("deny ip")
        {
            Code::NatExemptionMissing
        } else if starts("sysopt connection permit") {
            Code::SysoptPermitIpsecMissing
        } else if starts("ip tcp adjust-mss")
            || starts("ip mtu")
            || starts("sysopt connection tcpmss")
        {
            Code::MtuFragmentation
        } else if starts("crypto map")
            && !c.contains("ipsec-isakmp")
            && c.split_whitespace().count() == 3
        {
            // `crypto map NAME` typed in interface mode, or `crypto map NAME interface IF`
            Code::CryptoMapMissing
        } else if starts("crypto map") && c.contains(" interface ") {
            Code::CryptoMapMissing
        } else {
            return None;
        },
    )
}

/// `clear crypto sa`, `clear cry sa`, `clear crypto session`, `clear crypto isakmp`.
pub fn is_clear(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.len() >= 2
        && "clear".starts_with(words[0])
        && words[0].len() >= 3
        && "crypto".starts_with(words[1])
        && words[1].len() >= 3
}

/// Console output around commands that carries nothing to diagnose
/// (ping banners, progress marks, configuration-mode banners).
pub fn is_console_chatter(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("Type escape sequence")
        || t.starts_with("Packet sent with a source address")
        || t.starts_with("Enter configuration commands")
        || (t.starts_with("Sending ") && t.contains("ICMP Echos"))
        || (!t.is_empty()
            && t.bytes()
                .all(|c| matches!(c, b'!' | b'.' | b'U' | b'#' | b'-' | b'=' | b' ')))
}

/// A syslog that records an SA clear typed by someone (ASA 111008/111009
/// `executed the 'clear crypto …' command`, IOS configuration logger).
pub fn logged_clear(text: &str) -> bool {
    text.contains("executed the 'clear crypto")
        || text.contains("executed the 'clear cry")
        || text.contains("logged command:clear crypto")
        || text.contains("logged command:clear cry")
}

/// The success rate of an IOS ping summary: `Success rate is 80 percent (4/5)`.
pub fn ping_success(text: &str) -> Option<u32> {
    let rest = text.split("Success rate is ").nth(1)?;
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    n.parse().ok()
}

/// An IOS access-list entry whose wildcard is a subnet mask and whose
/// address was zeroed by IOS (`permit ip 0.0.0.0 255.255.255.0 …`): the
/// author typed a netmask where a wildcard belongs. PIX/ASA write netmasks
/// after a network address (`10.1.1.0 255.255.255.0`), which this does not
/// flag, because there the address keeps its bits.
pub fn mask_typed_as_wildcard(text: &str) -> Option<(String, String)> {
    if !(text.contains("permit") || text.contains("deny")) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\b(?:permit|deny)\s+(?:ip|tcp|udp|icmp|esp|gre|\d+)\s+(?P<a>\d+\.\d+\.\d+\.\d+)\s+(?P<aw>\d+\.\d+\.\d+\.\d+)\s+(?P<b>\d+\.\d+\.\d+\.\d+)\s+(?P<bw>\d+\.\d+\.\d+\.\d+)")
            .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    });
    let c = re.captures(text)?;
    let bad = |addr: &str, wc: &str| -> Option<String> {
        let m = AddrMatch {
            addr: addr.parse().ok()?,
            wildcard: wc.parse().ok()?,
        };
        m.is_netmask_typed_as_wildcard()
            .then(|| format!("{addr} {wc}"))
    };
    let first = bad(c.name("a")?.as_str(), c.name("aw")?.as_str());
    let second = bad(c.name("b")?.as_str(), c.name("bw")?.as_str());
    match (first, second) {
        (Some(x), Some(y)) => Some((x, y)),
        (Some(x), None) => Some((x, String::new())),
        (None, Some(y)) => Some((String::new(), y)),
        (None, None) => None,
    }
}

/// Parses dotted IPv4.
pub fn ipv4(s: &str) -> Option<u32> {
    let addr: std::net::Ipv4Addr = s.parse().ok()?;
    Some(u32::from(addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_name_devices() {
        let p = prompt("Hub-RTR(config)#ip route 192.168.1.0 255.255.255.0 203.0.113.10").unwrap();
        assert_eq!(p.host, "Hub-RTR");
        assert!(p.config);
        assert_eq!(p.rest, "ip route 192.168.1.0 255.255.255.0 203.0.113.10");
        assert_eq!(
            prompt("ASA/pri/act(config)# show crypto ipsec sa")
                .unwrap()
                .host,
            "ASA"
        );
        assert_eq!(prompt("SITE-A#IPv4 Packet.").unwrap().host, "SITE-A");
        assert!(prompt("ISAKMP:(0):x#").is_none());
        assert!(
            prompt("%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=#.")
                .is_none()
        );
    }

    #[test]
    fn commands_and_results() {
        assert_eq!(
            fix_kind("ip route 192.168.1.0 255.255.255.0 203.0.113.10"),
            Some(Code::RouteMissing)
        );
        assert_eq!(fix_kind("set pfs group14"), Some(Code::PfsMismatch));
        assert_eq!(fix_kind("show crypto ipsec sa"), None);
        assert!(is_clear("clear cry sa"));
        assert!(is_clear("clear crypto session"));
        assert!(!is_clear("clea"));
        assert_eq!(
            ping_success("Success rate is 100 percent (5/5), round-trip"),
            Some(100)
        );
        assert_eq!(ping_success("Success rate is 0 percent (0/5)"), Some(0));
    }

    #[test]
    fn netmask_typed_as_wildcard() {
        assert!(mask_typed_as_wildcard(
            "    10 permit ip 0.0.0.0 255.255.255.0 0.0.0.0 255.255.255.0"
        )
        .is_some());
        assert!(
            mask_typed_as_wildcard("permit ip 192.168.3.0 0.0.0.255 192.168.0.0 0.0.0.255")
                .is_none()
        );
        // PIX/ASA netmask syntax is fine
        assert!(mask_typed_as_wildcard(
            "access-list 90 permit ip 10.1.1.0 255.255.255.0 10.1.2.0 255.255.255.0"
        )
        .is_none());
        assert!(mask_typed_as_wildcard(
            "access-list 101 permit ip 10.1.1.0 0.0.0.255 host 10.2.2.2"
        )
        .is_none());
    }
}
