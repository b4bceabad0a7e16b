//! Named things ACLs and NAT rules refer to: ASA/PIX `name` aliases,
//! `object network` / `object service`, and `object-group network |
//! service | protocol` (IOS and ASA forms). They are collected in a first
//! pass over the whole configuration, so references work in any order, and
//! resolved on use (nested groups followed up to [`MAX_DEPTH`] levels).

use crate::acl::{parse_ports, protocol_number, range_to_matches, Service, MAX_EXPANSION};
use crate::tree::{Block, Marks, Tree};
use crate::util::{ipv4, keys, lower, prefix_mask};
use ipsec_doctor_model::config::{AddrMatch, PortMatch};
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Deepest nesting of group references followed.
pub const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone)]
enum Item<T> {
    Values(Vec<T>),
    Ref(String),
}

/// Everything defined by name.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    names: HashMap<String, Ipv4Addr>,
    networks: HashMap<String, Vec<Item<AddrMatch>>>,
    services: HashMap<String, Vec<Item<Service>>>,
    ports: HashMap<String, Vec<Item<PortMatch>>>,
}

fn resolve<T: Clone>(
    map: &HashMap<String, Vec<Item<T>>>,
    name: &str,
    depth: usize,
) -> Option<Vec<T>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut out = Vec::new();
    for item in map.get(name)? {
        match item {
            Item::Values(v) => out.extend(v.iter().cloned()),
            Item::Ref(r) => out.extend(resolve(map, r, depth + 1)?),
        }
        if out.len() >= MAX_EXPANSION {
            out.truncate(MAX_EXPANSION);
            break;
        }
    }
    Some(out)
}

impl Objects {
    /// An address literal or a `name` alias.
    pub fn address(&self, token: &str) -> Option<Ipv4Addr> {
        ipv4(token).or_else(|| self.names.get(token).copied())
    }

    /// Defines a `name` alias.
    pub fn add_name(&mut self, name: &str, addr: Ipv4Addr) {
        self.names.insert(name.to_string(), addr);
    }

    /// The addresses of a network object or object-group.
    pub fn networks(&self, name: &str) -> Option<Vec<AddrMatch>> {
        resolve(&self.networks, name, 0)
    }

    /// The services of a service object/group or protocol group.
    pub fn services(&self, name: &str) -> Option<Vec<Service>> {
        resolve(&self.services, name, 0)
    }

    /// The ports of an ASA port group (`object-group service X tcp`).
    pub fn ports(&self, name: &str) -> Option<Vec<PortMatch>> {
        resolve(&self.ports, name, 0)
    }

    /// Reads every `name`, object and object-group definition of `tree`,
    /// marking the lines understood.
    pub fn collect(tree: &Tree<'_>, marks: &mut Marks) -> Objects {
        let mut objs = Objects::default();
        // Names first: object bodies may use them.
        for b in &tree.blocks {
            let w = b.head.words();
            let lw = lower(&w);
            match keys(&lw).as_slice() {
                ["name", a, _, ..] => {
                    if let Some(a) = ipv4(a) {
                        objs.add_name(w[2], a);
                        marks.mark(&b.head);
                    }
                }
                ["names"] => marks.mark(&b.head),
                _ => {}
            }
        }
        for b in &tree.blocks {
            objs.define(b, marks);
        }
        objs
    }

    fn define(&mut self, b: &Block<'_>, marks: &mut Marks) {
        let w = b.head.words();
        let lw = lower(&w);
        let k = keys(&lw);
        match k.as_slice() {
            ["object", "network", _] | ["object-group", "network", _] => {
                marks.mark(&b.head);
                let mut items = Vec::new();
                for l in &b.body {
                    let lw2 = lower(&l.words());
                    let lk = keys(&lw2);
                    if lk.first() == Some(&"nat") {
                        continue; // object NAT: read with the NAT rules
                    }
                    match self.net_item(&l.words(), &lk) {
                        Some(Some(item)) => {
                            items.push(item);
                            marks.mark(l);
                        }
                        Some(None) => marks.mark(l),
                        None => {}
                    }
                }
                self.networks
                    .entry(w[2].to_string())
                    .or_default()
                    .extend(items);
            }
            ["object-group", "service", _, "tcp" | "udp" | "tcp-udp"] => {
                marks.mark(&b.head);
                let mut items = Vec::new();
                for l in &b.body {
                    let lw2 = lower(&l.words());
                    let lk = keys(&lw2);
                    let words = l.words();
                    let item = match lk.as_slice() {
                        ["port-object", ..] => parse_ports(&words, 1)
                            .filter(|(_, n)| n + 1 == words.len())
                            .map(|(p, _)| Some(Item::Values(p))),
                        ["group-object", _] => Some(Some(Item::Ref(words[1].to_string()))),
                        ["description", ..] => Some(None),
                        _ => None,
                    };
                    if let Some(i) = item {
                        items.extend(i);
                        marks.mark(l);
                    }
                }
                self.ports
                    .entry(w[2].to_string())
                    .or_default()
                    .extend(items);
            }
            ["object", "service", _]
            | ["object-group", "service", _]
            | ["object-group", "protocol", _] => {
                marks.mark(&b.head);
                let mut items = Vec::new();
                for l in &b.body {
                    let words = l.words();
                    let lw2 = lower(&words);
                    let lk = keys(&lw2);
                    let item = match lk.as_slice() {
                        ["service-object", "object", _] | ["group-object", _] => {
                            Some(Some(Item::Ref(words[words.len() - 1].to_string())))
                        }
                        ["service-object", ..] | ["service", ..] | ["protocol-object", ..] => {
                            service_spec(&words[1..]).map(|s| Some(Item::Values(s)))
                        }
                        ["description", ..] => Some(None),
                        // IOS form: the protocol first.
                        _ => service_spec(&words).map(|s| Some(Item::Values(s))),
                    };
                    if let Some(i) = item {
                        items.extend(i);
                        marks.mark(l);
                    }
                }
                self.services
                    .entry(w[2].to_string())
                    .or_default()
                    .extend(items);
            }
            ["object-group", "icmp-type", _] => marks.mark_block(b),
            _ => {}
        }
    }

    /// One line of a network object/group: `Some(Some(item))`, `Some(None)`
    /// for a line with nothing to keep (`description`), `None` if unknown.
    fn net_item(&self, w: &[&str], k: &[&str]) -> Option<Option<Item<AddrMatch>>> {
        let k = match k.first() {
            Some(&"network-object") if k.get(1) != Some(&"object") => &k[1..],
            _ => k,
        };
        let w = &w[w.len() - k.len()..];
        let values = |v: Vec<AddrMatch>| Some(Some(Item::Values(v)));
        match k {
            ["description", ..] => Some(None),
            ["host", _] => {
                if w[1].contains(':') {
                    return values(Vec::new());
                }
                values(vec![AddrMatch::host(self.address(w[1])?)])
            }
            ["network-object", "object", _] | ["group-object", _] => {
                Some(Some(Item::Ref(w[w.len() - 1].to_string())))
            }
            ["subnet", _, _] | [_, _] => {
                let (a, m) = (w[w.len() - 2], w[w.len() - 1]);
                if a.contains(':') {
                    return values(Vec::new());
                }
                let a = self.address(a)?;
                let m = ipv4(m).or_else(|| prefix_mask(m))?;
                values(vec![AddrMatch::from_mask(a, m)])
            }
            ["range", _, _] => {
                let (a, b) = (self.address(w[1])?, self.address(w[2])?);
                values(range_to_matches(a, b))
            }
            [one] => {
                if one.contains(':') {
                    return values(Vec::new());
                }
                let (a, len) = one.split_once('/')?;
                values(vec![AddrMatch::from_mask(ipv4(a)?, prefix_mask(len)?)])
            }
            _ => None,
        }
    }
}

/// `PROTO [source OP P..] [destination OP P..]` or `PROTO [OP P..]`
/// (destination), `tcp-udp` giving both protocols. ICMP types and other
/// trailing words are ignored.
pub fn service_spec(w: &[&str]) -> Option<Vec<Service>> {
    let p = w.first()?.to_ascii_lowercase();
    let protocols = if p == "tcp-udp" {
        vec![Some(6), Some(17)]
    } else {
        vec![protocol_number(&p)?]
    };
    let mut src = vec![PortMatch::Any];
    let mut dst = vec![PortMatch::Any];
    let mut i = 1;
    while i < w.len() {
        match w[i].to_ascii_lowercase().as_str() {
            "source" => {
                let (ports, n) = parse_ports(w, i + 1)?;
                src = ports;
                i += n + 1;
            }
            "destination" => {
                let (ports, n) = parse_ports(w, i + 1)?;
                dst = ports;
                i += n + 1;
            }
            _ => match parse_ports(w, i) {
                Some((ports, n)) => {
                    dst = ports;
                    i += n;
                }
                None => break,
            },
        }
    }
    let mut out = Vec::new();
    for protocol in &protocols {
        for s in &src {
            for d in &dst {
                out.push(Service {
                    protocol: *protocol,
                    src_port: *s,
                    dst_port: *d,
                });
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn groups_nest_and_cycles_stop() {
        let text = "name 192.0.2.7 web-srv\n\
object network LAN\n subnet 10.1.0.0 255.255.0.0\n\
object-group network BOTH\n network-object object LAN\n network-object host web-srv\n group-object IOSG\n\
object-group network IOSG\n host 10.9.9.9\n 10.8.0.0 255.255.0.0\n range 10.7.0.1 10.7.0.2\n 10.6.0.0 /16\n\
object-group network LOOP\n group-object LOOP\n";
        let t = tree::parse(text);
        let mut marks = Marks::new(t.lines);
        let o = Objects::collect(&t, &mut marks);
        let both = o.networks("BOTH").unwrap();
        assert_eq!(both.len(), 7);
        assert_eq!(both[1], AddrMatch::host(ip("192.0.2.7")));
        assert!(both.contains(&AddrMatch::from_mask(ip("10.6.0.0"), ip("255.255.0.0"))));
        assert!(o.networks("LOOP").is_none());
        assert!(o.networks("NOPE").is_none());
        assert!(marks.unmarked(&t).is_empty());
    }

    #[test]
    fn services_ports_and_protocols() {
        let text = "object-group service WEB tcp\n port-object eq www\n port-object range 8000 8080\n\
object-group service SVC\n service-object tcp destination eq https\n service-object esp\n service-object udp source eq 500 destination eq isakmp\n\
object-group service IOS-SVC\n tcp-udp eq 53\n esp\n group-object SVC\n\
object-group protocol P\n protocol-object gre\n\
object service S1\n service udp destination eq 4500\n";
        let t = tree::parse(text);
        let mut marks = Marks::new(t.lines);
        let o = Objects::collect(&t, &mut marks);
        assert_eq!(
            o.ports("WEB").unwrap(),
            vec![PortMatch::Range(80, 80), PortMatch::Range(8000, 8080)]
        );
        let svc = o.services("SVC").unwrap();
        assert_eq!(svc.len(), 3);
        assert_eq!(svc[2].src_port, PortMatch::Range(500, 500));
        assert_eq!(o.services("IOS-SVC").unwrap().len(), 6);
        assert_eq!(o.services("P").unwrap()[0].protocol, Some(47));
        assert_eq!(
            o.services("S1").unwrap()[0].dst_port,
            PortMatch::Range(4500, 4500)
        );
        assert!(marks.unmarked(&t).is_empty());
    }
}
