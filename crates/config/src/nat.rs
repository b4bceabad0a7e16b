//! NAT statements reduced to [`NatRule`]s.
//!
//! A rule's `matches` is read like an ACL: the first entry that matches the
//! traffic decides, and the rule applies when that entry permits. Rules are
//! listed in the order the device evaluates them (first applicable wins):
//!
//! - ASA ≥ 8.3: twice NAT (section 1), object NAT (static, then dynamic),
//!   twice NAT `after-auto` (section 3). Identity twice NAT
//!   (`source static A A destination static B B`) is an exemption.
//! - ASA < 8.3 / PIX: `nat (if) 0 access-list` (exemption), `static`,
//!   then `nat (if) N` (translation).
//! - IOS `ip nat inside source list ACL …` / `route-map RM …`: a
//!   translating rule for what the ACL permits; the traffic the ACL denies
//!   is exempted (an exempt rule with the ACL's actions inverted), listed
//!   after every translating rule. A route-map `deny` sequence exempts what
//!   its ACL permits.

use crate::objects::Objects;
use crate::util::{ipv4, keys, lower, num, prefix_mask};
use ipsec_doctor_model::config::{Acl, AclEntry, AddrMatch, NatRule, Origin, PortMatch};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Evaluation order buckets.
pub mod order {
    /// ASA < 8.3 `nat 0` exemption.
    pub const EXEMPT_FIRST: u8 = 0;
    /// Twice NAT section 1; `static`; IOS static.
    pub const MANUAL: u8 = 1;
    /// Object NAT, static.
    pub const OBJECT_STATIC: u8 = 2;
    /// Object NAT dynamic; `nat N`; IOS dynamic translation.
    pub const DYNAMIC: u8 = 3;
    /// Twice NAT `after-auto`; IOS exemptions by deny lines.
    pub const LAST: u8 = 4;
}

/// What a NAT statement applies to.
#[derive(Debug, Clone)]
pub enum NatSource {
    /// Entries already known.
    Entries(Vec<AclEntry>),
    /// What an ACL permits.
    Acl(String),
    /// IOS `list ACL`: translation of what it permits, exemption of what it denies.
    IosList(String),
    /// IOS `route-map RM`.
    RouteMap(String),
}

/// One NAT statement, resolved once every ACL is known.
#[derive(Debug, Clone)]
pub struct NatStmt {
    /// Evaluation bucket ([`order`]).
    pub order: u8,
    /// Exempts rather than translates.
    pub exempt: bool,
    /// The traffic.
    pub source: NatSource,
    /// The statement's line.
    pub origin: Origin,
}

/// One `route-map NAME permit|deny SEQ` with its `match ip address` ACLs.
#[derive(Debug, Clone)]
pub struct RouteMapEntry {
    /// `permit` (true) or `deny`.
    pub permit: bool,
    /// ACL names matched (any of them); empty = matches everything.
    pub acls: Vec<String>,
}

/// An entry "from `src` to `dst`, any protocol".
pub fn flow(src: AddrMatch, dst: AddrMatch, origin: &Origin) -> AclEntry {
    AclEntry {
        permit: true,
        protocol: None,
        src,
        src_port: PortMatch::Any,
        dst,
        dst_port: PortMatch::Any,
        origin: origin.clone(),
    }
}

fn cross(src: &[AddrMatch], dst: &[AddrMatch], origin: &Origin) -> Vec<AclEntry> {
    let mut out = Vec::new();
    for s in src {
        for d in dst {
            if out.len() >= crate::acl::MAX_EXPANSION {
                return out;
            }
            out.push(flow(*s, *d, origin));
        }
    }
    out
}

/// Addresses of a NAT operand: `any`, an object / object-group, a name or
/// an address.
fn operand(objs: &Objects, tok: &str) -> Option<Vec<AddrMatch>> {
    if tok.eq_ignore_ascii_case("any") || tok.eq_ignore_ascii_case("any4") {
        return Some(vec![AddrMatch::ANY]);
    }
    objs.networks(tok)
        .or_else(|| objs.address(tok).map(|a| vec![AddrMatch::host(a)]))
}

/// Parses an ASA/PIX `nat (…) …` line (object NAT when `object` names the
/// enclosing `object network`). `Some(vec![])` for inactive rules.
pub fn asa_nat(
    objs: &Objects,
    w: &[&str],
    origin: &Origin,
    object: Option<&str>,
) -> Option<Vec<NatStmt>> {
    let lw = lower(w);
    let k = keys(&lw);
    let ifs = k.get(1)?;
    if !(ifs.starts_with('(') && ifs.ends_with(')')) {
        return None;
    }
    if k.contains(&"inactive") {
        return Some(Vec::new());
    }
    let stmt = |order, exempt, source| NatStmt {
        order,
        exempt,
        source,
        origin: origin.clone(),
    };
    if !ifs.contains(',') {
        // ASA < 8.3 / PIX: nat (inside) ID access-list ACL | A M
        let id: u32 = num(k.get(2)?)?;
        let (order, exempt) = if id == 0 {
            (order::EXEMPT_FIRST, true)
        } else {
            (order::DYNAMIC, false)
        };
        return match k.get(3..)? {
            ["access-list", _, ..] => {
                Some(vec![stmt(order, exempt, NatSource::Acl(w[4].to_string()))])
            }
            [_, _, ..] => {
                let a = objs.address(w[3])?;
                let m = ipv4(w[4])?;
                let e = flow(AddrMatch::from_mask(a, m), AddrMatch::ANY, origin);
                Some(vec![stmt(order, exempt, NatSource::Entries(vec![e]))])
            }
            _ => None,
        };
    }
    if let Some(obj) = object {
        // Object NAT: nat (in,out) static|dynamic MAPPED …
        let src = objs.networks(obj)?;
        let kind = *k.get(2)?;
        let mapped = *w.get(3)?;
        let (order, exempt) = match kind {
            "static" => (order::OBJECT_STATIC, mapped == obj),
            "dynamic" => (order::DYNAMIC, false),
            _ => return None,
        };
        let e = cross(&src, &[AddrMatch::ANY], origin);
        return Some(vec![stmt(order, exempt, NatSource::Entries(e))]);
    }
    // Twice NAT.
    let mut i = 2;
    let mut bucket = order::MANUAL;
    if matches!(k.get(i), Some(&"after-auto") | Some(&"after-object")) {
        bucket = order::LAST;
        i += 1;
    }
    if k.get(i) == Some(&"line") {
        i += 2;
    } else if k.get(i).and_then(|t| num::<u32>(t)).is_some() {
        i += 1;
    }
    if k.get(i) != Some(&"source") {
        return None;
    }
    let kind = *k.get(i + 1)?;
    let (real, mapped) = (*w.get(i + 2)?, *w.get(i + 3)?);
    i += 4;
    let real_addrs = operand(objs, real)?;
    let mut identity = kind == "static"
        && (real == mapped || operand(objs, mapped).is_some_and(|m| m == real_addrs));
    let mut dst = vec![AddrMatch::ANY];
    if k.get(i) == Some(&"destination") {
        if k.get(i + 1) != Some(&"static") {
            return None;
        }
        let (dmapped, dreal) = (*w.get(i + 2)?, *w.get(i + 3)?);
        dst = operand(objs, dmapped)?;
        identity = identity && (dmapped == dreal || operand(objs, dreal).is_some_and(|d| d == dst));
    }
    let e = cross(&real_addrs, &dst, origin);
    Some(vec![stmt(bucket, identity, NatSource::Entries(e))])
}

/// ASA < 8.3 / PIX `static (real_if,mapped_if) [tcp|udp] MAPPED [port] REAL|access-list ACL [port] [netmask M] …`.
pub fn asa_static(objs: &Objects, w: &[&str], origin: &Origin) -> Option<Vec<NatStmt>> {
    let lw = lower(w);
    let k = keys(&lw);
    let mut i = 2;
    let pat = matches!(k.get(i), Some(&"tcp") | Some(&"udp"));
    if pat {
        i += 1;
    }
    let mapped = *w.get(i)?;
    i += if pat { 2 } else { 1 };
    let stmt = |exempt, source| NatStmt {
        order: order::MANUAL,
        exempt,
        source,
        origin: origin.clone(),
    };
    if k.get(i) == Some(&"access-list") {
        return Some(vec![stmt(false, NatSource::Acl(w.get(i + 1)?.to_string()))]);
    }
    let real = objs.address(w.get(i)?)?;
    i += if pat { 2 } else { 1 };
    let mask = match k.get(i) {
        Some(&"netmask") => ipv4(w.get(i + 1)?)?,
        _ => Ipv4Addr::BROADCAST,
    };
    let exempt = !pat && objs.address(mapped) == Some(real);
    let e = flow(AddrMatch::from_mask(real, mask), AddrMatch::ANY, origin);
    Some(vec![stmt(exempt, NatSource::Entries(vec![e]))])
}

/// IOS `ip nat inside source …` (words after `source`).
pub fn ios_nat(w: &[&str], origin: &Origin) -> Option<Vec<NatStmt>> {
    let lw = lower(w);
    let k = keys(&lw);
    let stmt = |order, source| NatStmt {
        order,
        exempt: false,
        source,
        origin: origin.clone(),
    };
    match k.as_slice() {
        ["list", _, ..] => Some(vec![stmt(
            order::DYNAMIC,
            NatSource::IosList(w[1].to_string()),
        )]),
        ["route-map", _, ..] => Some(vec![stmt(
            order::DYNAMIC,
            NatSource::RouteMap(w[1].to_string()),
        )]),
        ["static", "network", _, _, m, ..] => {
            let a = ipv4(w[2])?;
            let mask = ipv4(m).or_else(|| prefix_mask(m))?;
            let e = flow(AddrMatch::from_mask(a, mask), AddrMatch::ANY, origin);
            Some(vec![stmt(order::MANUAL, NatSource::Entries(vec![e]))])
        }
        ["static", "tcp" | "udp", _, _, _, _, ..] | ["static", _, _, ..] => {
            let a = if k[1] == "tcp" || k[1] == "udp" {
                ipv4(w[2])?
            } else {
                ipv4(w[1])?
            };
            let e = flow(AddrMatch::host(a), AddrMatch::ANY, origin);
            Some(vec![stmt(order::MANUAL, NatSource::Entries(vec![e]))])
        }
        _ => None,
    }
}

fn inverted(acl: &Acl) -> Option<Vec<AclEntry>> {
    acl.entries.iter().any(|e| !e.permit).then(|| {
        acl.entries
            .iter()
            .map(|e| AclEntry {
                permit: !e.permit,
                ..e.clone()
            })
            .collect()
    })
}

/// Most ACL entries copied into NAT rules for one configuration; rules
/// beyond keep fewer (or no) matches.
pub const MAX_NAT_ENTRIES: usize = 1_000_000;

/// Turns the statements into rules, in evaluation order. A later IOS
/// statement for the same list or route-map replaces an earlier one, as on
/// the router.
pub fn resolve(
    stmts: &[NatStmt],
    acls: &BTreeMap<String, Acl>,
    route_maps: &BTreeMap<String, BTreeMap<u32, RouteMapEntry>>,
) -> Vec<NatRule> {
    let mut out: Vec<(u8, NatRule)> = Vec::new();
    let budget = std::cell::Cell::new(MAX_NAT_ENTRIES);
    let rule = |exempt, mut matches: Vec<AclEntry>, acl: Option<&str>, origin: &Origin| {
        matches.truncate(budget.get());
        budget.set(budget.get() - matches.len());
        NatRule {
            exempt,
            matches,
            acl: acl.map(str::to_string),
            origin: origin.clone(),
        }
    };
    let entries = |name: &str| {
        acls.get(name)
            .map(|a| a.entries[..a.entries.len().min(budget.get())].to_vec())
            .unwrap_or_default()
    };
    let mut replaced = vec![false; stmts.len()];
    let mut seen = std::collections::HashSet::new();
    for (i, s) in stmts.iter().enumerate().rev() {
        let key = match &s.source {
            NatSource::IosList(n) => (0, n.as_str()),
            NatSource::RouteMap(n) => (1, n.as_str()),
            _ => continue,
        };
        replaced[i] = !seen.insert(key);
    }
    for (s, _) in stmts.iter().zip(&replaced).filter(|(_, r)| !**r) {
        match &s.source {
            NatSource::Entries(e) => {
                out.push((s.order, rule(s.exempt, e.clone(), None, &s.origin)))
            }
            NatSource::Acl(name) => out.push((
                s.order,
                rule(s.exempt, entries(name), Some(name), &s.origin),
            )),
            NatSource::IosList(name) => {
                out.push((
                    order::DYNAMIC,
                    rule(false, entries(name), Some(name), &s.origin),
                ));
                if let Some(inv) = acls.get(name).and_then(inverted) {
                    out.push((order::LAST, rule(true, inv, Some(name), &s.origin)));
                }
            }
            NatSource::RouteMap(rm) => {
                let Some(seqs) = route_maps.get(rm) else {
                    out.push((order::DYNAMIC, rule(false, Vec::new(), None, &s.origin)));
                    continue;
                };
                for e in seqs.values() {
                    if e.acls.is_empty() {
                        let all = vec![flow(AddrMatch::ANY, AddrMatch::ANY, &s.origin)];
                        let o = if e.permit {
                            order::DYNAMIC
                        } else {
                            order::LAST
                        };
                        out.push((o, rule(!e.permit, all, None, &s.origin)));
                    }
                    for name in &e.acls {
                        if e.permit {
                            out.push((
                                order::DYNAMIC,
                                rule(false, entries(name), Some(name), &s.origin),
                            ));
                            if let Some(inv) = acls.get(name).and_then(inverted) {
                                out.push((order::LAST, rule(true, inv, Some(name), &s.origin)));
                            }
                        } else {
                            out.push((
                                order::LAST,
                                rule(true, entries(name), Some(name), &s.origin),
                            ));
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|(o, _)| *o);
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn legacy_and_twice_nat() {
        let o = Objects::default();
        let org = Origin::default();
        let s = asa_nat(&o, &words("nat (inside) 0 access-list NONAT"), &org, None).unwrap();
        assert!(s[0].exempt && s[0].order == order::EXEMPT_FIRST);
        let s = asa_nat(&o, &words("nat (inside) 1 10.0.0.0 255.0.0.0"), &org, None).unwrap();
        assert!(!s[0].exempt);
        let s = asa_nat(&o, &words("nat (inside,outside) source static any any destination static 10.2.0.1 10.2.0.1 no-proxy-arp"), &org, None).unwrap();
        assert!(s[0].exempt);
        let s = asa_nat(
            &o,
            &words("nat (inside,outside) after-auto source dynamic any interface"),
            &org,
            None,
        )
        .unwrap();
        assert!(!s[0].exempt && s[0].order == order::LAST);
        assert!(asa_nat(
            &o,
            &words("nat (inside,outside) source static UNKNOWN UNKNOWN"),
            &org,
            None
        )
        .is_none());
        assert!(asa_nat(
            &o,
            &words("nat (inside,outside) source static any any inactive"),
            &org,
            None
        )
        .unwrap()
        .is_empty());
        let s = asa_static(
            &o,
            &words("static (inside,outside) 10.1.1.0 10.1.1.0 netmask 255.255.255.0"),
            &org,
        )
        .unwrap();
        assert!(s[0].exempt);
        let s = asa_static(
            &o,
            &words("static (inside,outside) 203.0.113.9 10.1.1.9 netmask 255.255.255.255"),
            &org,
        )
        .unwrap();
        assert!(!s[0].exempt);
    }

    #[test]
    fn ios_list_splits_into_translation_and_exemption() {
        let org = Origin::default();
        let mut acls = BTreeMap::new();
        let any = AddrMatch::ANY;
        let net =
            AddrMatch::from_wildcard("10.2.0.0".parse().unwrap(), "0.0.255.255".parse().unwrap());
        acls.insert(
            "101".to_string(),
            Acl {
                name: "101".into(),
                entries: vec![
                    AclEntry {
                        permit: false,
                        ..flow(any, net, &org)
                    },
                    flow(any, any, &org),
                ],
            },
        );
        let s = ios_nat(&words("list 101 interface Gi0/0 overload"), &org).unwrap();
        let rules = resolve(&s, &acls, &BTreeMap::new());
        assert_eq!(rules.len(), 2);
        assert!(!rules[0].exempt && rules[1].exempt);
        assert!(rules[1].matches[0].permit && !rules[1].matches[1].permit);
        assert_eq!(rules[1].acl.as_deref(), Some("101"));
    }
}
