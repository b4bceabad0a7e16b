//! Packet counters from `show crypto ipsec sa` output embedded in a log or
//! transcript (IOS and ASA forms, one field per line or flattened). The full
//! show parser lives elsewhere; this reads what diagnosis needs.

use regex::Regex;
use std::sync::OnceLock;

/// Counters of one SA block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Remote peer (`current_peer`, `peer address:`, `remote crypto endpt.`).
    pub peer: Option<String>,
    /// Local address (`local addr`, `local crypto endpt.`).
    pub local: Option<String>,
    /// `#pkts encaps`.
    pub encaps: Option<u64>,
    /// `#pkts decaps`.
    pub decaps: Option<u64>,
    /// `#pkts decrypt`.
    pub decrypt: Option<u64>,
    /// `local ident (addr/mask/prot/port): (A/M/P/P)` and the `remote
    /// ident` that follows: the SA's proxy identities.
    pub idents: (Option<String>, Option<String>),
    /// `#send errors`.
    pub send_errors: Option<u64>,
    /// `#recv errors`.
    pub recv_errors: Option<u64>,
    /// Line numbers and texts the values came from.
    pub lines: Vec<(u64, String)>,
    /// Device whose prompt preceded the output, when known.
    pub device: Option<String>,
}

impl Counters {
    fn is_empty(&self) -> bool {
        self.encaps.is_none()
            && self.decaps.is_none()
            && self.send_errors.is_none()
            && self.recv_errors.is_none()
    }
}

fn field_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:#pkts (?P<k>encaps|decaps|decrypt):\s*(?P<v>\d+)",
            r"|#(?P<ek>send|recv) errors:?\s*(?P<ev>\d+)",
            // IPv4 or IPv6 (`current_peer FF02::5 port 500`).
            r"|(?:current_peer:?|peer address:)\s*(?P<peer>\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])",
            r"|remote crypto endpt\.:\s*(?P<rpeer>\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])",
            r"|local (?:addr\.?:?|crypto endpt\.:)\s*(?P<local>\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*[0-9A-Fa-f])",
            r"|(?P<side>local|remote)\s+ident\s*\(addr/mask/prot/port\):\s*\((?P<ident>[^)]*)\)",
            r"|(?P<start>\binterface:\s*\S+|Crypto map tag:))"
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// Collects counters block by block.
#[derive(Debug, Default)]
pub struct CounterScan {
    current: Counters,
    done: Vec<Counters>,
}

impl CounterScan {
    /// Feeds one record printed by `device` (when known). Returns whether
    /// the record carried any of the fields read.
    pub fn feed(&mut self, line_no: u64, text: &str, device: Option<&str>) -> bool {
        if !(text.contains('#')
            || text.contains("peer")
            || text.contains("interface:")
            || text.contains("Crypto map tag")
            || text.contains("local ")
            || text.contains("ident"))
        {
            return false;
        }
        let mut used = false;
        for c in field_re().captures_iter(text) {
            if c.name("start").is_some() {
                // A new block starts when the current one already has counters.
                if !self.current.is_empty() {
                    self.flush();
                }
                used = true;
                continue;
            }
            if let (Some(k), Some(v)) = (c.name("k"), c.name("v")) {
                let v = v.as_str().parse().ok();
                match k.as_str() {
                    "encaps" => self.current.encaps = v,
                    "decaps" => self.current.decaps = v,
                    _ => self.current.decrypt = v,
                }
                used = true;
            } else if let (Some(k), Some(v)) = (c.name("ek"), c.name("ev")) {
                let v = v.as_str().parse().ok();
                if k.as_str() == "send" {
                    self.current.send_errors = v;
                } else {
                    self.current.recv_errors = v;
                }
                used = true;
            } else if let Some(p) = c.name("peer").or_else(|| c.name("rpeer")) {
                if self.current.peer.is_some()
                    && !self.current.is_empty()
                    && self.current.peer.as_deref() != Some(p.as_str())
                {
                    self.flush();
                }
                self.current.peer = Some(p.as_str().to_string());
                used = true;
            } else if let Some(l) = c.name("local") {
                self.current.local = Some(l.as_str().to_string());
                used = true;
            } else if let (Some(side), Some(id)) = (c.name("side"), c.name("ident")) {
                // IOS starts the next SA set of an interface at its idents,
                // before its peer: the counters read so far are the last
                // set's.
                if side.as_str() == "local" && !self.current.is_empty() {
                    self.flush();
                }
                let id = Some(id.as_str().trim().to_string());
                if side.as_str() == "local" {
                    self.current.idents.0 = id;
                } else {
                    self.current.idents.1 = id;
                }
                used = true;
            }
        }
        if used && self.current.device.is_none() {
            self.current.device = device.map(str::to_string);
        }
        if used && self.current.lines.len() < 8 {
            self.current.lines.push((line_no, text.to_string()));
        }
        used
    }

    /// Ends the current block. A block whose peer is a multicast group
    /// (OSPFv3 authentication SAs: `current_peer FF02::5`, manual keys)
    /// is no tunnel, and is dropped.
    pub fn flush(&mut self) {
        let c = std::mem::take(&mut self.current);
        let multicast = c
            .peer
            .as_deref()
            .is_some_and(ipsec_doctor_model::is_group_address);
        if !c.is_empty() && !multicast {
            self.done.push(c);
        }
    }

    /// Takes the finished blocks.
    pub fn take(&mut self) -> Vec<Counters> {
        std::mem::take(&mut self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_protocol_sas_to_a_multicast_group_are_no_tunnel() {
        let mut s = CounterScan::default();
        for (i, l) in [
            "interface: Serial0/1/0",
            "    Crypto map tag: (none), local addr FE80::C801:1EFF:FE44:8",
            "   current_peer FF02::6 port 500",
            "    #pkts encaps: 31, #pkts encrypt: 31, #pkts digest: 31",
            "    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0",
            "interface: Serial0/1/0",
            "    Crypto map tag: VPN, local addr 192.0.2.9",
            "   current_peer 198.51.100.77 port 500",
            "    #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5",
            "    #pkts decaps: 4, #pkts decrypt: 4, #pkts verify: 4",
        ]
        .iter()
        .enumerate()
        {
            s.feed(i as u64 + 1, l, None);
        }
        s.flush();
        let done = s.take();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].peer.as_deref(), Some("198.51.100.77"));
    }

    #[test]
    fn ipv6_peers_and_idents_are_read() {
        let mut s = CounterScan::default();
        for (i, l) in [
            "interface: Tunnel6",
            "    Crypto map tag: Tunnel6-head-0, local addr 2001:DB8:0:1::1",
            "   local  ident (addr/mask/prot/port): (2001:DB8:10::/48/0/0)",
            "   remote ident (addr/mask/prot/port): (2001:DB8:20::/48/0/0)",
            "   current_peer 2001:DB8:0:2::1 port 500",
            "    #pkts encaps: 12, #pkts encrypt: 12, #pkts digest: 12",
            "    #pkts decaps: 11, #pkts decrypt: 11, #pkts verify: 11",
            "     remote crypto endpt.: 2001:DB8:0:2::1,",
        ]
        .iter()
        .enumerate()
        {
            s.feed(i as u64 + 1, l, None);
        }
        s.flush();
        let got = s.take();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].peer.as_deref(), Some("2001:DB8:0:2::1"));
        assert_eq!(got[0].local.as_deref(), Some("2001:DB8:0:1::1"));
        assert_eq!(got[0].idents.1.as_deref(), Some("2001:DB8:20::/48/0/0"));
    }

    #[test]
    fn ios_block_one_field_per_line() {
        let mut s = CounterScan::default();
        for (i, l) in [
            "interface: Ethernet0/0",
            "   current_peer 203.0.113.1 port 500",
            "    #pkts encaps: 4, #pkts encrypt: 4, #pkts digest: 4",
            "    #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0",
            "    #send errors 0, #recv errors 0",
        ]
        .iter()
        .enumerate()
        {
            s.feed(i as u64 + 1, l, None);
        }
        s.flush();
        let got = s.take();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].peer.as_deref(), Some("203.0.113.1"));
        assert_eq!((got[0].encaps, got[0].decaps), (Some(4), Some(0)));
    }

    #[test]
    fn flattened_seed_block() {
        let mut s = CounterScan::default();
        s.feed(1, "interface: FastEthernet0 Crypto map tag: test, local addr. 10.1.0.1 local ident (addr/mask/prot/port): (10.1.0.0/255.255.255.0/0/0) current_peer: 10.1.0.2 PERMIT, flags={origin_is_acl,} #pkts encaps: 7767918, #pkts encrypt: 7767918, #pkts digest 7767918 #pkts decaps: 7760382, #pkts decrypt: 7760382, #pkts verify 7760382 #send errors 1, #recv errors 0 local crypto endpt.: 10.1.0.1, remote crypto endpt.: 10.1.0.2", None);
        s.flush();
        let got = s.take();
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].peer.as_deref(), Some("10.1.0.2"));
        assert_eq!(got[0].decaps, Some(7760382));
        assert_eq!(got[0].send_errors, Some(1));
    }
}
