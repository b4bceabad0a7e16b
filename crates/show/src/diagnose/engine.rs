//! `show crypto engine connection active`: encrypt / decrypt counters per
//! connection. Each IPsec SA is one connection and one direction (the
//! outbound SA encrypts, the inbound one decrypts), so a tunnel is a pair
//! of connections: the `conn id`s of a `show crypto ipsec sa` block when
//! that output is there, else two consecutive ids on the same address
//! (IOS allocates them in pairs: 2001 inbound, 2002 outbound).

use super::*;
use crate::engine::EngineConnection;

/// One tunnel as the engine sees it.
struct Pair<'a> {
    out: &'a ShowOutput,
    conns: Vec<&'a EngineConnection>,
    /// The peer, when a `show crypto ipsec sa` block names it.
    peer: Option<&'a str>,
}

impl Pair<'_> {
    fn encrypted(&self) -> u64 {
        self.conns.iter().filter_map(|c| c.encrypt).sum()
    }

    fn decrypted(&self) -> u64 {
        self.conns.iter().filter_map(|c| c.decrypt).sum()
    }

    fn ids(&self) -> String {
        let ids: Vec<String> = self.conns.iter().map(|c| c.id.to_string()).collect();
        ids.join("/")
    }
}

fn is_ike(c: &EngineConnection) -> bool {
    c.conn_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("IKE"))
}

/// Groups the device's IPsec engine connections into tunnels.
fn pairs<'a>(v: &DeviceView<'a>) -> Vec<Pair<'a>> {
    let mut used: BTreeSet<(usize, u64)> = BTreeSet::new();
    let mut pairs = Vec::new();
    // By the conn ids of `show crypto ipsec sa` blocks. Blocks that print
    // their own counters are diagnosed from those (traffic.rs); the engine
    // rows only stand in for blocks without counters (`| include`). The
    // SAs of `show crypto ipsec sa address` are left out: a destination's
    // SAs belong to as many tunnels as there are peers (every inbound SA
    // is under the device's own address), so their conn ids are no pair.
    for (o, b) in &v.ipsec {
        let ids: Vec<u64> = b
            .inbound
            .all()
            .chain(b.outbound.all())
            .filter_map(|s| s.conn_id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let matching = |ids: &[u64]| -> Vec<&EngineConnection> {
            v.engine
                .iter()
                .filter(|(eo, c)| std::ptr::eq(*eo, *o) && ids.contains(&c.id))
                .map(|(_, c)| *c)
                .collect()
        };
        let mut conns = matching(&ids);
        if conns.is_empty() {
            // IOS-XE numbers its engine connections by the flow id
            // (`conn id: 2003, flow_id: CSR:3` is connection 3). Only when
            // no conn id matches: on IOS the flow ids are small numbers that
            // may be the ids of other (IKE) connections.
            let flows: Vec<u64> = b
                .inbound
                .all()
                .chain(b.outbound.all())
                .filter_map(|s| s.flow_id.as_deref())
                .filter_map(|f| f.rsplit(':').next().and_then(|n| n.trim().parse().ok()))
                .collect();
            conns = matching(&flows);
        }
        let key = |c: &EngineConnection| (*o as *const ShowOutput as usize, c.id);
        used.extend(conns.iter().map(|c| key(c)));
        let counted = b.counters.encaps.is_some() || b.counters.decaps.is_some();
        if !counted && !conns.is_empty() {
            pairs.push(Pair {
                out: o,
                conns,
                peer: b.peer(),
            });
        }
    }
    // The rest: consecutive ids on the same address.
    let mut rest: Vec<(&ShowOutput, &EngineConnection)> = v
        .engine
        .iter()
        .filter(|(o, c)| !is_ike(c) && !used.contains(&(*o as *const ShowOutput as usize, c.id)))
        .copied()
        .collect();
    rest.sort_by_key(|(o, c)| (*o as *const ShowOutput as usize, c.id));
    let mut i = 0;
    while i < rest.len() {
        let (o, a) = rest[i];
        let partner = rest.get(i + 1).filter(|(ob, b)| {
            std::ptr::eq(*ob, o) && b.id == a.id + 1 && b.ip_address == a.ip_address
        });
        let mut conns = vec![a];
        if let Some((_, b)) = partner {
            conns.push(b);
            i += 1;
        }
        i += 1;
        pairs.push(Pair {
            out: o,
            conns,
            peer: None,
        });
    }
    pairs
}

pub(crate) fn engine_connections(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let me = v.name.as_str();
    let platform = v.platform;
    for p in pairs(v) {
        // A lone connection is one direction only: its zero in the other
        // column says nothing.
        if p.conns.len() < 2 {
            continue;
        }
        let (enc, dec) = (p.encrypted(), p.decrypted());
        let ids = p.ids();
        let local = p
            .conns
            .iter()
            .find_map(|c| c.ip_address.as_deref())
            .unwrap_or("this device");
        let peer_txt = p.peer.unwrap_or("the peer");
        let refs: Vec<&LineRef> = p.conns.iter().filter_map(|c| c.evidence.as_ref()).collect();
        let ev = evidence(p.out, &refs);
        if enc > 0 && dec == 0 {
            let mut fixes = vec![fix(
                peer_txt,
                "the remote end must send the replies into the tunnel: mirrored crypto ACL, NAT exemption and a route back",
                &[
                    format!("show crypto ipsec sa peer {local}"),
                    "show crypto map".into(),
                    "show ip nat translations".into(),
                ],
            )];
            fixes.push(fix(
                "every firewall or ACL between the peers",
                "ESP (IP protocol 50) or UDP 4500 must pass from the peer to us",
                &[
                    format!("permit esp any host {local}"),
                    format!("permit udp any host {local} eq non500-isakmp"),
                ],
            ));
            out.push(finding(
                Draft {
                    code: Code::OneWayTraffic,
                    severity: Severity::Error,
                    confidence: 0.6,
                    title: format!(
                        "Crypto engine connections {ids} encrypt ({enc} packets) but decrypt nothing"
                    ),
                    explanation: format!(
                        "`show crypto engine connection active`: connections {ids} ({local}) encrypted {enc} \
                         packets and decrypted none, so nothing comes back from {peer_txt}. Check on {peer_txt}: its \
                         crypto ACL mirrors ours, its NAT exemption, a route back into the tunnel, and `show crypto \
                         ipsec sa` there (decaps rising: replies lost there; not rising: ESP / UDP 4500 filtered \
                         between the peers)."
                    ),
                },
                v,
                p.peer,
                ev,
                fixes,
            ));
        } else if dec > 0 && enc == 0 {
            out.push(finding(
                Draft {
                    code: Code::OneWayTraffic,
                    severity: Severity::Error,
                    confidence: 0.55,
                    title: format!(
                        "Crypto engine connections {ids} decrypt ({dec} packets) but encrypt nothing"
                    ),
                    explanation: format!(
                        "`show crypto engine connection active`: connections {ids} ({local}) decrypted {dec} \
                         packets from {peer_txt} but encrypted none: the replies never enter the tunnel here — \
                         translated by NAT before the crypto map (NAT exemption missing) or routed out another \
                         interface."
                    ),
                },
                v,
                p.peer,
                ev.clone(),
                Vec::new(),
            ));
            out.push(finding(
                Draft {
                    code: Code::NatExemptionMissing,
                    severity: Severity::Error,
                    confidence: 0.4,
                    title: format!("Replies through connections {ids} may be translated before encryption"),
                    explanation: "Decrypted traffic arrives but no reply is encrypted: exempt the protected \
                                  networks from NAT."
                        .into(),
                },
                v,
                p.peer,
                ev.clone(),
                platform_fixes(
                    me,
                    platform,
                    "exempt VPN traffic from NAT",
                    vec![
                        "ip access-list extended <nat-acl>".into(),
                        " deny ip <local-lan> <wildcard> <remote-lan> <wildcard>".into(),
                        " permit ip <local-lan> <wildcard> any".into(),
                    ],
                    vec![
                        "nat (inside,outside) source static <local-lan> <local-lan> destination static <remote-lan> <remote-lan> no-proxy-arp route-lookup".into(),
                    ],
                ),
            ));
            out.push(finding(
                Draft {
                    code: Code::RouteMissing,
                    severity: Severity::Error,
                    confidence: 0.35,
                    title: format!("Replies through connections {ids} may be routed away from the crypto-map interface"),
                    explanation: "The route to the remote network must point out of the interface that carries \
                                  the crypto map."
                        .into(),
                },
                v,
                p.peer,
                ev,
                platform_fixes(
                    me,
                    platform,
                    "route the remote network out of the crypto-map interface",
                    vec!["show ip route <remote-lan>".into()],
                    vec!["show route <remote-lan>".into()],
                ),
            ));
        }
    }
}
