//! Access-list entries in both Cisco address syntaxes — IOS wildcards
//! (`10.1.1.0 0.0.0.255`, discontiguous ones included) and ASA/PIX subnet
//! masks (`10.1.1.0 255.255.255.0`) — with protocol and port names, and
//! object / object-group references expanded into plain entries.
//!
//! An entry line that expands to more than [`MAX_EXPANSION`] entries
//! (object-groups multiplied together) is cut at that many.

use crate::objects::Objects;
use crate::util::{ipv4, num};
use ipsec_doctor_model::config::{AclEntry, AddrMatch, Origin, PortMatch};
use std::net::Ipv4Addr;

/// Most entries one ACL line (or one object-group) expands to.
pub const MAX_EXPANSION: usize = 4096;

/// How the second address of a pair is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// IOS: a wildcard (bits set = don't care).
    Wildcard,
    /// ASA / PIX: a subnet mask.
    Mask,
}

/// A protocol with port conditions, as a service object describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// IP protocol; `None` = any.
    pub protocol: Option<u8>,
    /// Source ports.
    pub src_port: PortMatch,
    /// Destination ports.
    pub dst_port: PortMatch,
}

impl Service {
    /// A protocol with any ports.
    pub fn proto(protocol: Option<u8>) -> Service {
        Service {
            protocol,
            src_port: PortMatch::Any,
            dst_port: PortMatch::Any,
        }
    }
}

/// The IP protocol an ACL names: `Some(None)` for `ip` (any protocol),
/// `Some(Some(n))` for a named or numbered protocol, `None` when unknown.
pub fn protocol_number(name: &str) -> Option<Option<u8>> {
    let p = match name.to_ascii_lowercase().as_str() {
        "ip" => return Some(None),
        "icmp" => 1,
        "igmp" => 2,
        "ipinip" => 4,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" | "ahp" => 51,
        "icmp6" => 58,
        "eigrp" => 88,
        "ospf" => 89,
        "nos" => 94,
        "pim" => 103,
        "pcp" => 108,
        "snp" => 109,
        "sctp" => 132,
        other => return num::<u8>(other).map(Some),
    };
    Some(Some(p))
}

/// A TCP/UDP port named (IOS / ASA keywords) or numbered.
pub fn port_number(name: &str) -> Option<u16> {
    let p = match name.to_ascii_lowercase().as_str() {
        "echo" => 7,
        "discard" => 9,
        "daytime" => 13,
        "chargen" => 19,
        "ftp-data" => 20,
        "ftp" => 21,
        "ssh" => 22,
        "telnet" => 23,
        "smtp" => 25,
        "time" => 37,
        "nameserver" => 42,
        "whois" => 43,
        "tacacs" => 49,
        "domain" => 53,
        "bootps" => 67,
        "bootpc" => 68,
        "tftp" => 69,
        "gopher" => 70,
        "finger" => 79,
        "www" | "http" => 80,
        "hostname" => 101,
        "pop2" => 109,
        "pop3" => 110,
        "sunrpc" => 111,
        "ident" => 113,
        "nntp" => 119,
        "ntp" => 123,
        "netbios-ns" => 137,
        "netbios-dgm" => 138,
        "netbios-ss" | "netbios-ssn" => 139,
        "imap4" => 143,
        "snmp" => 161,
        "snmptrap" => 162,
        "xdmcp" => 177,
        "bgp" => 179,
        "irc" => 194,
        "dnsix" => 195,
        "ldap" => 389,
        "mobile-ip" => 434,
        "https" => 443,
        "pim-auto-rp" => 496,
        "isakmp" => 500,
        "biff" | "exec" => 512,
        "login" | "who" => 513,
        "cmd" | "rsh" | "syslog" => 514,
        "lpd" => 515,
        "talk" => 517,
        "rip" => 520,
        "uucp" => 540,
        "klogin" => 543,
        "kshell" => 544,
        "rtsp" => 554,
        "ldaps" => 636,
        "kerberos" => 750,
        "lotusnotes" => 1352,
        "citrix-ica" => 1494,
        "sqlnet" => 1521,
        "radius" => 1645,
        "radius-acct" => 1646,
        "h323" => 1720,
        "pptp" => 1723,
        "ctiqbe" => 2748,
        "cifs" => 3020,
        "non500-isakmp" => 4500,
        "vxlan" => 4789,
        "sip" => 5060,
        "aol" => 5190,
        "secureid-udp" => 5510,
        "pcanywhere-data" => 5631,
        "pcanywhere-status" => 5632,
        other => return num(other),
    };
    Some(p)
}

/// Port operator and its operands starting at `w[i]` (`eq 80 443`,
/// `range 1 2`, `lt`, `gt`, `neq`): the ports and the words used, or
/// `None` when `w[i]` is not a port operator or an operand is invalid.
pub fn parse_ports(w: &[&str], i: usize) -> Option<(Vec<PortMatch>, usize)> {
    let op = w.get(i)?.to_ascii_lowercase();
    let first = || w.get(i + 1).and_then(|p| port_number(p));
    match op.as_str() {
        "eq" => {
            let mut out = vec![PortMatch::Range(first()?, first()?)];
            // IOS accepts several ports after `eq`.
            let mut j = i + 2;
            while let Some(p) = w.get(j).and_then(|t| port_number(t)) {
                out.push(PortMatch::Range(p, p));
                j += 1;
            }
            Some((out, j - i))
        }
        "neq" => Some((vec![PortMatch::Not(first()?)], 2)),
        "lt" => {
            let p = first()?.checked_sub(1)?;
            Some((vec![PortMatch::Range(0, p)], 2))
        }
        "gt" => {
            let p = first()?.checked_add(1)?;
            Some((vec![PortMatch::Range(p, u16::MAX)], 2))
        }
        "range" => {
            let a = first()?;
            let b = w.get(i + 2).and_then(|p| port_number(p))?;
            Some((vec![PortMatch::Range(a.min(b), a.max(b))], 3))
        }
        _ => None,
    }
}

/// The smallest list of prefixes covering exactly `a..=b`.
pub fn range_to_matches(a: Ipv4Addr, b: Ipv4Addr) -> Vec<AddrMatch> {
    let (x, y) = (u64::from(u32::from(a)), u64::from(u32::from(b)));
    let (mut lo, hi) = (x.min(y), x.max(y));
    let mut out = Vec::new();
    while lo <= hi {
        let mut size: u64 = if lo == 0 {
            1 << 32
        } else {
            1 << lo.trailing_zeros().min(32)
        };
        while lo + size - 1 > hi {
            size >>= 1;
        }
        out.push(AddrMatch {
            addr: Ipv4Addr::from(lo as u32),
            wildcard: Ipv4Addr::from((size - 1) as u32),
        });
        lo += size;
    }
    out
}

fn pair(a: Ipv4Addr, m: Ipv4Addr, syntax: Syntax) -> AddrMatch {
    match syntax {
        Syntax::Wildcard => AddrMatch::from_wildcard(a, m),
        Syntax::Mask => AddrMatch::from_mask(a, m),
    }
}

/// An address specification starting at `w[i]`: `any`/`any4`, `host A`,
/// `A M` (wildcard or mask per `syntax`), `object X`, `object-group X`, or
/// a bare address when `bare_host` (IOS standard ACLs). Returns the matches
/// (empty for IPv6) and the words used; `None` when it cannot be read
/// (unknown object, `interface X`, malformed).
pub fn parse_addr(
    objs: &Objects,
    w: &[&str],
    i: usize,
    syntax: Syntax,
    bare_host: bool,
) -> Option<(Vec<AddrMatch>, usize)> {
    let t = *w.get(i)?;
    match t.to_ascii_lowercase().as_str() {
        "any" | "any4" => Some((vec![AddrMatch::ANY], 1)),
        "any6" => Some((Vec::new(), 1)),
        "host" => {
            let a = *w.get(i + 1)?;
            if a.contains(':') {
                return Some((Vec::new(), 2));
            }
            Some((vec![AddrMatch::host(objs.address(a)?)], 2))
        }
        "object" | "object-group" => Some((objs.networks(w.get(i + 1)?)?, 2)),
        "interface" => None,
        _ if t.contains(':') => Some((Vec::new(), 1)),
        _ => {
            let a = objs.address(t)?;
            match w.get(i + 1).and_then(|m| ipv4(m)) {
                Some(m) => Some((vec![pair(a, m, syntax)], 2)),
                None if bare_host => Some((vec![AddrMatch::host(a)], 1)),
                None => None,
            }
        }
    }
}

/// Optional port condition at `w[i]`: an operator, or (ASA) a port
/// object-group. `Some((None, 0))` when there is none.
fn parse_port_spec(
    objs: &Objects,
    w: &[&str],
    i: usize,
) -> Option<(Option<Vec<PortMatch>>, usize)> {
    let Some(t) = w.get(i) else {
        return Some((None, 0));
    };
    match t.to_ascii_lowercase().as_str() {
        "eq" | "neq" | "lt" | "gt" | "range" => {
            let (p, n) = parse_ports(w, i)?;
            Some((Some(p), n))
        }
        "object-group" => match w.get(i + 1).and_then(|g| objs.ports(g)) {
            Some(p) => Some((Some(p), 2)),
            None => Some((None, 0)),
        },
        _ => Some((None, 0)),
    }
}

/// Parses one ACL entry whose words start at `permit`/`deny` and expands
/// it into entries. `standard` entries hold one address (kept as the
/// source). `Some(vec![])` for entries that match nothing representable
/// (IPv6, `inactive`); `None` when the line cannot be read.
pub fn parse_entry(
    objs: &Objects,
    w: &[&str],
    syntax: Syntax,
    standard: bool,
    origin: &Origin,
) -> Option<Vec<AclEntry>> {
    let permit = match w.first()?.to_ascii_lowercase().as_str() {
        "permit" => true,
        "deny" => false,
        _ => return None,
    };
    let entry = |svc: &Service, src: AddrMatch, sp, dst: AddrMatch, dp| AclEntry {
        permit,
        protocol: svc.protocol,
        src,
        src_port: sp,
        dst,
        dst_port: dp,
        origin: origin.clone(),
    };
    if standard {
        let (src, _) = parse_addr(objs, w, 1, syntax, true)?;
        let any = Service::proto(None);
        return Some(
            src.into_iter()
                .map(|s| entry(&any, s, PortMatch::Any, AddrMatch::ANY, PortMatch::Any))
                .collect(),
        );
    }
    let (services, mut i) = match w.get(1)?.to_ascii_lowercase().as_str() {
        "object-group" | "object" => (objs.services(w.get(2)?)?, 3),
        p => (vec![Service::proto(protocol_number(p)?)], 2),
    };
    let (src, n) = parse_addr(objs, w, i, syntax, false)?;
    i += n;
    let (src_ports, n) = parse_port_spec(objs, w, i)?;
    i += n;
    let (dst, n) = parse_addr(objs, w, i, syntax, false)?;
    i += n;
    let (dst_ports, n) = parse_port_spec(objs, w, i)?;
    i += n;
    if w.get(i..)
        .unwrap_or_default()
        .iter()
        .any(|t| t.eq_ignore_ascii_case("inactive"))
    {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    'all: for svc in &services {
        let sps = src_ports.clone().unwrap_or_else(|| vec![svc.src_port]);
        let dps = dst_ports.clone().unwrap_or_else(|| vec![svc.dst_port]);
        for s in &src {
            for sp in &sps {
                for d in &dst {
                    for dp in &dps {
                        if out.len() >= MAX_EXPANSION {
                            break 'all;
                        }
                        out.push(entry(svc, *s, *sp, *d, *dp));
                    }
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn o() -> Origin {
        Origin::default()
    }

    fn entry(line: &str, syntax: Syntax) -> Vec<AclEntry> {
        let w: Vec<&str> = line.split_whitespace().collect();
        parse_entry(&Objects::default(), &w, syntax, false, &o()).unwrap()
    }

    #[test]
    fn protocols_and_ports_by_name() {
        assert_eq!(protocol_number("ip"), Some(None));
        assert_eq!(protocol_number("esp"), Some(Some(50)));
        assert_eq!(protocol_number("ahp"), Some(Some(51)));
        assert_eq!(protocol_number("AH"), Some(Some(51)));
        assert_eq!(protocol_number("gre"), Some(Some(47)));
        assert_eq!(protocol_number("112"), Some(Some(112)));
        assert_eq!(protocol_number("bogus"), None);
        assert_eq!(port_number("isakmp"), Some(500));
        assert_eq!(port_number("non500-isakmp"), Some(4500));
        assert_eq!(port_number("www"), Some(80));
        assert_eq!(port_number("65536"), None);
    }

    #[test]
    fn wildcard_entries_normalise_and_keep_discontiguous() {
        let e = entry(
            "permit ip 172.21.113.7 0.0.0.255 10.0.0.0 0.0.254.255",
            Syntax::Wildcard,
        );
        assert_eq!(
            e[0].src,
            AddrMatch::from_wildcard(ip("172.21.113.0"), ip("0.0.0.255"))
        );
        assert_eq!(e[0].src.addr, ip("172.21.113.0"));
        assert!(!e[0].dst.is_subnet());
        assert!(e[0].dst.contains(ip("10.0.2.1")) && !e[0].dst.contains(ip("10.0.3.1")));
        assert_eq!(e[0].protocol, None);
    }

    #[test]
    fn mask_entries_and_ports() {
        let e = entry(
            "permit udp 10.1.1.0 255.255.255.0 host 192.0.2.1 eq isakmp",
            Syntax::Mask,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].src.wildcard, ip("0.0.0.255"));
        assert_eq!(e[0].dst, AddrMatch::host(ip("192.0.2.1")));
        assert_eq!(e[0].dst_port, PortMatch::Range(500, 500));
        let e = entry(
            "deny tcp any eq 80 443 any range 1000 1010 log",
            Syntax::Wildcard,
        );
        assert_eq!(e.len(), 2);
        assert!(!e[0].permit);
        assert_eq!(e[1].src_port, PortMatch::Range(443, 443));
        assert_eq!(e[1].dst_port, PortMatch::Range(1000, 1010));
        let e = entry("permit tcp any any gt 1023", Syntax::Wildcard);
        assert_eq!(e[0].dst_port, PortMatch::Range(1024, 65535));
        let e = entry("permit tcp any any lt 1024", Syntax::Wildcard);
        assert_eq!(e[0].dst_port, PortMatch::Range(0, 1023));
        let e = entry("permit tcp any any neq 23", Syntax::Wildcard);
        assert_eq!(e[0].dst_port, PortMatch::Not(23));
    }

    #[test]
    fn inactive_and_ipv6_match_nothing_and_garbage_is_refused() {
        assert!(entry("permit ip any4 any4 inactive", Syntax::Mask).is_empty());
        assert!(entry("permit ip any6 any6", Syntax::Mask).is_empty());
        let w: Vec<&str> = "permit ip 10.0.0.0 any".split_whitespace().collect();
        assert!(parse_entry(&Objects::default(), &w, Syntax::Wildcard, false, &o()).is_none());
        let w: Vec<&str> = "permit tcp any any eq".split_whitespace().collect();
        assert!(parse_entry(&Objects::default(), &w, Syntax::Wildcard, false, &o()).is_none());
    }

    #[test]
    fn standard_entries_hold_one_address() {
        let w: Vec<&str> = "permit 10.1.1.1".split_whitespace().collect();
        let e = parse_entry(&Objects::default(), &w, Syntax::Wildcard, true, &o()).unwrap();
        assert_eq!(e[0].src, AddrMatch::host(ip("10.1.1.1")));
        assert_eq!(e[0].dst, AddrMatch::ANY);
    }

    #[test]
    fn ranges_become_exact_prefixes() {
        let r = range_to_matches(ip("10.0.0.1"), ip("10.0.0.6"));
        let n: u32 = r.iter().map(|m| u32::from(m.wildcard) + 1).sum();
        assert_eq!(n, 6);
        assert!(r.iter().all(|m| m.is_subnet()));
        assert_eq!(
            range_to_matches(ip("0.0.0.0"), ip("255.255.255.255")),
            vec![AddrMatch::ANY]
        );
        assert_eq!(range_to_matches(ip("10.0.0.9"), ip("10.0.0.9")).len(), 1);
    }
}
