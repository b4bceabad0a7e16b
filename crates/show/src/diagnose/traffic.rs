//! Phase 2 and the data plane: IPsec SA counters (`show crypto ipsec sa`,
//! `show vpn-sessiondb l2l`) → one-way traffic, proxy-id mismatch, HMAC
//! and replay failures, invalid SPI, phase 2 not up.

use super::path_mtu::mtu_from_block;
use super::*;

pub(crate) fn ipsec_counters(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let platform = v.platform;
    let me = v.name.as_str();
    for (o, b) in &v.ipsec {
        let c = &b.counters;
        if *c == crate::counters::Counters::default() {
            continue;
        }
        // Output cut by `| include` names no peer: prose says "the peer",
        // commands a placeholder, and the finding names none.
        let named = b.peer();
        let peer = named.unwrap_or("the peer").to_string();
        let at = named.unwrap_or("<peer-address>").to_string();
        let local_ep = b.local().unwrap_or("<this device's address>").to_string();
        let enc = c.encaps.unwrap_or(0);
        let dec = c.decaps.unwrap_or(0);
        let counters_ev = evidence(o, &block_refs(o, b, &["counters", "header", "peer"]));
        let li = ident_text(b.local_ident.as_ref());
        let ri = ident_text(b.remote_ident.as_ref());
        let mut problem = false;

        // Inner packets outside the SA (ASA 402116).
        let proxy = dec > 0
            && c.decrypt == Some(0)
            && c.recv_errors.unwrap_or(0) >= dec - dec / 10
            && c.verify_failed.unwrap_or(0) == 0;
        if proxy {
            problem = true;
            let mut fixes = Vec::new();
            if let (Some(l), Some(r)) = (&b.local_ident, &b.remote_ident) {
                fixes.extend(platform_fixes(
                    &peer,
                    Platform::Unknown,
                    "make its crypto ACL the mirror image of ours (and exempt that traffic from NAT)",
                    vec![
                        "ip access-list extended <crypto-acl>".into(),
                        format!(" permit ip {} {}", ios_operand(r), ios_operand(l)),
                    ],
                    vec![format!(
                        "access-list <crypto-acl> extended permit ip {} {}",
                        asa_operand(r),
                        asa_operand(l)
                    )],
                ));
            }
            fixes.push(fix(
                me,
                "confirm with the syslog: the packet's inner addresses are named",
                &[
                    "logging buffered debugging".into(),
                    "show logging | include 402116".into(),
                ],
            ));
            out.push(finding(
                Draft {
                    code: Code::ProxyIdMismatch,
                    severity: Severity::Error,
                    confidence: 0.7,
                    title: format!("Packets from {peer} are decapsulated but none decrypted: inner addresses outside the SA"),
                    explanation: format!(
                        "{dec} packets decapsulated, 0 decrypted and {} receive errors: the packets {peer} sends through \
                         the SA carry inner addresses outside the negotiated proxies (local {li}, remote {ri}), so this \
                         device drops them (ASA logs %ASA-4-402116). The peer's crypto ACL is wider than ours or the \
                         peer translates the inner source.",
                        c.recv_errors.unwrap_or(0)
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                fixes,
            ));
        }

        if let Some(vf) = c.verify_failed.filter(|n| *n > 0) {
            problem = true;
            let severe = dec == 0 || vf * 100 >= dec;
            out.push(finding(
                Draft {
                    code: Code::HmacFailure,
                    severity: if severe { Severity::Error } else { Severity::Warning },
                    confidence: 0.65,
                    title: format!("{vf} packets from {peer} failed the integrity check"),
                    explanation: format!(
                        "`#pkts verify failed: {vf}`: ESP packets arrive corrupted (in transit, or by a faulty crypto \
                         accelerator), or the keys went out of step at a rekey."
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                platform_fixes(
                    me,
                    platform,
                    "re-key the SA and look for the source of corruption",
                    vec![format!("clear crypto sa peer {at}"), "show crypto engine accelerator statistic".into()],
                    vec![format!("clear crypto ipsec sa peer {at}"), "show crypto accelerator statistics".into()],
                ),
            ));
        }

        if let Some(rf) = c.replay_failed_recv.filter(|n| *n > 0) {
            problem = true;
            out.push(finding(
                Draft {
                    code: Code::ReplayReordering,
                    severity: Severity::Warning,
                    confidence: 0.6,
                    title: format!("{rf} packets from {peer} failed the anti-replay check"),
                    explanation: "Packets arrive out of order (QoS queues, parallel paths) or duplicated, beyond the \
                                  anti-replay window, and are dropped."
                        .into(),
                },
                v,
                named,
                counters_ev.clone(),
                platform_fixes(
                    me,
                    platform,
                    "widen the anti-replay window (and check QoS / load sharing in the path)",
                    vec![
                        "crypto ipsec security-association replay window-size 1024".into(),
                        "crypto ipsec fragmentation before-encryption".into(),
                    ],
                    vec!["crypto ipsec security-association replay window-size 1024".into()],
                ),
            ));
        }

        if let Some(n) = c.invalid_sa_recv.filter(|n| *n > 0) {
            problem = true;
            out.push(finding(
                Draft {
                    code: Code::InvalidSpi,
                    severity: Severity::Warning,
                    confidence: 0.5,
                    title: format!("{n} packets from {peer} arrived for an SA this device does not have"),
                    explanation: "`#pkts invalid sa (rcv)`: the peer still uses an SA this device deleted (rekey \
                                  timing, a reload or `clear crypto sa` on one side)."
                        .into(),
                },
                v,
                named,
                counters_ev.clone(),
                invalid_spi_fixes(me, platform, &peer),
            ));
        }

        let phase1 = v.phase1.get(peer.as_str()).copied();
        let no_sa_drops = c.send_errors.unwrap_or(0) + c.no_sa_send.unwrap_or(0);
        if enc == 0 && dec == 0 && no_sa_drops > 0 && phase1 != Some(false) {
            problem = true;
            for ((code, why), conf) in QUICK_MODE_CAUSES.into_iter().zip([0.45, 0.35, 0.25]) {
                let fixes = quick_mode_fixes(code, b, &peer, &local_ep);
                out.push(finding(
                    Draft {
                        code,
                        severity: Severity::Error,
                        confidence: conf,
                        title: format!("Phase 2 with {peer} is not up: {no_sa_drops} packets dropped for want of an SA"),
                        explanation: format!(
                            "Nothing was encrypted or decrypted and {no_sa_drops} packets were dropped because no IPsec \
                             SA exists for local {li} ↔ remote {ri}: quick mode fails. Likely: {why}. The responder's \
                             `debug crypto isakmp` names the reason (`phase 2 SA policy not acceptable`, `proxy \
                             identities not supported`, `atts not acceptable`)."
                        ),
                    },
                    v,
                    named,
                    counters_ev.clone(),
                    fixes,
                ));
            }
        }

        // Phase 1 is up, yet this peer has no IPsec SA in any block and
        // nothing was counted: quick mode did not complete. The same
        // picture comes from an idle tunnel whose SAs expired with the
        // ISAKMP SA still up (IOS keeps it for its lifetime), hence a
        // warning; idle ACL lines of a working tunnel (blocks without SAs
        // beside one with SAs) are not this.
        let peer_has_sas = || {
            v.ipsec.iter().any(|(_, x)| {
                x.peer() == Some(peer.as_str()) && !(x.inbound.is_empty() && x.outbound.is_empty())
            })
        };
        if enc == 0
            && dec == 0
            && no_sa_drops == 0
            && phase1 == Some(true)
            && b.inbound.is_empty()
            && b.outbound.is_empty()
            && !peer_has_sas()
        {
            problem = true;
            for ((code, why), conf) in QUICK_MODE_CAUSES.into_iter().zip([0.35, 0.25, 0.2]) {
                let target = b
                    .remote_ident
                    .as_ref()
                    .and_then(|r| r.some_host())
                    .map_or_else(|| "<remote-lan-host>".to_string(), |h| h.to_string());
                let mut fixes = vec![fix(
                    me,
                    &format!("first rule out an idle tunnel: send traffic from {li} to {ri} (it matches the crypto ACL), then look again"),
                    &[
                        format!("ping {target} source <inside-interface>"),
                        format!("show crypto ipsec sa peer {at}"),
                    ],
                )];
                fixes.extend(quick_mode_fixes(code, b, &peer, &local_ep));
                out.push(finding(
                    Draft {
                        code,
                        severity: Severity::Warning,
                        confidence: conf,
                        title: format!("Phase 1 with {peer} is up but no IPsec SA exists"),
                        explanation: format!(
                            "The ISAKMP SA with {peer} is up, but no IPsec SA is installed for local {li} ↔ remote                              {ri} (no inbound or outbound SA, nothing counted): quick mode does not complete. Likely:                              {why}. Or the tunnel is idle: its IPsec SAs expired with no traffic while the ISAKMP SA                              lives on. If traffic to {ri} brings no SA up, the responder's `debug crypto isakmp` names                              the reason (`phase 2 SA policy not acceptable`, `proxy identities not supported`, `atts                              not acceptable`)."
                        ),
                    },
                    v,
                    named,
                    counters_ev.clone(),
                    fixes,
                ));
            }
        }

        // A direction whose counter is not printed (a capture that lost
        // the `#pkts encaps` line) is unknown, not zero: no one-way
        // reading from it.
        if enc > 0 && dec == 0 && c.decaps.is_some() && !proxy {
            problem = true;
            let mut fixes = Vec::new();
            if let (Some(l), Some(r)) = (&b.local_ident, &b.remote_ident) {
                fixes.extend(platform_fixes(
                    &peer,
                    Platform::Unknown,
                    "the remote end must send the replies into the tunnel: mirrored crypto ACL, NAT exemption and a route back to our network",
                    vec![
                        format!("show crypto ipsec sa peer {local_ep}"),
                        "ip access-list extended <crypto-acl>".into(),
                        format!(" permit ip {} {}", ios_operand(r), ios_operand(l)),
                        format!("ip route {} {} {local_ep}", l.addr, l.mask),
                    ],
                    vec![
                        format!("show crypto ipsec sa peer {local_ep}"),
                        format!("access-list <crypto-acl> extended permit ip {} {}", asa_operand(r), asa_operand(l)),
                        format!(
                            "nat (inside,outside) source static <remote-lan-object> <remote-lan-object> destination static <our-lan-object> <our-lan-object> no-proxy-arp route-lookup"
                        ),
                        format!("route outside {} {} <next-hop>", l.addr, l.mask),
                    ],
                ));
            }
            fixes.push(fix(
                "every firewall or ACL between the peers",
                "ESP (IP protocol 50) or UDP 4500 must pass from the peer to us",
                &[
                    format!("permit esp host {at} host {local_ep}"),
                    format!("permit udp host {at} host {local_ep} eq non500-isakmp"),
                ],
            ));
            out.push(finding(
                Draft {
                    code: Code::OneWayTraffic,
                    severity: Severity::Error,
                    confidence: 0.7,
                    title: format!("Traffic to {peer} is encrypted ({enc} packets) but nothing comes back"),
                    explanation: format!(
                        "#pkts encaps {enc}, #pkts decaps 0: this device sends local {li} → remote {ri} into the tunnel \
                         but receives nothing from {peer}. Check on {peer}: (1) its crypto ACL mirrors ours (permit \
                         {ri} → {li}); (2) its NAT exemption for that traffic; (3) a route back to {li} that leads into \
                         the tunnel; (4) `show crypto ipsec sa` there: if its decaps rise, the replies are lost there, if \
                         not, ESP (IP 50) / UDP 4500 is filtered between the peers."
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                fixes,
            ));
        }

        if dec > 0 && enc == 0 && c.encaps.is_some() && !proxy {
            problem = true;
            let (nat_ios, nat_asa, route_ios, route_asa) = match (&b.local_ident, &b.remote_ident) {
                (Some(l), Some(r)) => {
                    let (nat_ios, nat_asa) = nat_exemption(l, r);
                    (
                        nat_ios,
                        nat_asa,
                        vec![format!(
                            "ip route {} {} <next-hop-towards-{peer}>",
                            r.addr, r.mask
                        )],
                        vec![format!(
                            "route outside {} {} <next-hop-towards-{peer}>",
                            r.addr, r.mask
                        )],
                    )
                }
                _ => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
            };
            out.push(finding(
                Draft {
                    code: Code::OneWayTraffic,
                    severity: Severity::Error,
                    confidence: 0.6,
                    title: format!("Traffic from {peer} is decrypted ({dec} packets) but nothing is sent back"),
                    explanation: format!(
                        "#pkts decaps {dec}, #pkts encaps 0: packets from {ri} arrive and are decrypted, but the replies \
                         to {ri} never enter the tunnel here. On this device: the replies are translated by NAT before \
                         the crypto map sees them (NAT exemption missing), or they are routed out another interface than \
                         the one with the crypto map."
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                Vec::new(),
            ));
            out.push(finding(
                Draft {
                    code: Code::NatExemptionMissing,
                    severity: Severity::Error,
                    confidence: 0.45,
                    title: format!("Replies to {ri} may be translated before encryption"),
                    explanation: format!(
                        "Decrypted traffic from {peer} arrives but no reply is encrypted: exempt {li} → {ri} from NAT."
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                platform_fixes(me, platform, "exempt VPN traffic from NAT", nat_ios, nat_asa),
            ));
            out.push(finding(
                Draft {
                    code: Code::RouteMissing,
                    severity: Severity::Error,
                    confidence: 0.4,
                    title: format!(
                        "Replies to {ri} may be routed away from the crypto-map interface"
                    ),
                    explanation: format!(
                        "The route to {ri} must lead out the interface carrying the crypto map{}.",
                        b.interface
                            .as_deref()
                            .map(|i| format!(" ({i})"))
                            .unwrap_or_default()
                    ),
                },
                v,
                named,
                counters_ev.clone(),
                platform_fixes(
                    me,
                    platform,
                    "route the remote network out the crypto-map interface",
                    route_ios,
                    route_asa,
                ),
            ));
        }

        problem |= mtu_from_block(v, o, b, platform, out);

        if enc > 0 && dec > 0 && !problem {
            out.push(finding(
                Draft {
                    code: Code::TunnelUp,
                    severity: Severity::Info,
                    confidence: 0.9,
                    title: format!("Tunnel with {peer} carries traffic both ways"),
                    explanation: format!(
                        "#pkts encaps {enc}, #pkts decaps {dec} for local {li} ↔ remote {ri}."
                    ),
                },
                v,
                named,
                counters_ev,
                Vec::new(),
            ));
        }
    }
}

/// Why quick mode fails, most likely first: the findings of both readings
/// of a quick mode that does not complete, each with its own confidences.
const QUICK_MODE_CAUSES: [(Code, &str); 3] = [
    (
        Code::ProxyIdMismatch,
        "the crypto ACLs are not mirror images (the peer finds no crypto map entry for our proxies)",
    ),
    (Code::TransformSetMismatch, "no common transform set"),
    (
        Code::PfsMismatch,
        "PFS required on one side only, or with another DH group",
    ),
];

/// What to change or compare on the peer for a quick mode that fails for
/// `code` (proxy identities, transform sets or PFS).
fn quick_mode_fixes(code: Code, b: &IpsecSaBlock, peer: &str, local_ep: &str) -> Vec<Fix> {
    match code {
        Code::ProxyIdMismatch => match (&b.local_ident, &b.remote_ident) {
            (Some(l), Some(r)) => platform_fixes(
                peer,
                Platform::Unknown,
                "give it a crypto map entry for us whose ACL mirrors ours",
                vec![
                    "ip access-list extended <crypto-acl>".into(),
                    format!(" permit ip {} {}", ios_operand(r), ios_operand(l)),
                    "crypto map <map> <seq> ipsec-isakmp".into(),
                    format!(" set peer {local_ep}"),
                    " set transform-set <transform-set>".into(),
                    " match address <crypto-acl>".into(),
                ],
                vec![
                    format!(
                        "access-list <crypto-acl> extended permit ip {} {}",
                        asa_operand(r),
                        asa_operand(l)
                    ),
                    "crypto map <map> <seq> match address <crypto-acl>".into(),
                    format!("crypto map <map> <seq> set peer {local_ep}"),
                    "crypto map <map> <seq> set ikev1 transform-set <transform-set>".into(),
                ],
            ),
            _ => Vec::new(),
        },
        Code::TransformSetMismatch => vec![fix(
            peer,
            "compare the transform sets of both ends",
            &["show crypto ipsec transform-set".into()],
        )],
        _ => vec![fix(
            peer,
            "compare `set pfs` of both ends",
            &["show crypto map".into()],
        )],
    }
}

pub(crate) fn invalid_spi_fixes(me: &str, platform: Platform, peer: &str) -> Vec<Fix> {
    platform_fixes(
        me,
        platform,
        "re-negotiate the SAs and let the ends recover by themselves next time",
        vec![
            format!("clear crypto sa peer {peer}"),
            "crypto isakmp invalid-spi-recovery".into(),
            "crypto isakmp keepalive 10 3 periodic".into(),
        ],
        vec![
            format!("clear crypto ipsec sa peer {peer}"),
            format!("tunnel-group {peer} ipsec-attributes"),
            " isakmp keepalive threshold 10 retry 3".into(),
        ],
    )
}

pub(crate) fn vpn_sessions(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    for (o, s) in &v.vpn {
        let peer = s
            .ip_addr
            .clone()
            .or_else(|| s.connection.clone())
            .unwrap_or_else(|| "the peer".into());
        if !s.subs.iter().any(|x| x.is_ipsec()) {
            // `show vpn-sessiondb l2l` (no detail): session byte counts only.
            let (tx, rx) = (s.bytes_tx.unwrap_or(0), s.bytes_rx.unwrap_or(0));
            if tx > 0 && rx == 0 {
                out.push(finding(
                    Draft {
                        code: Code::OneWayTraffic,
                        severity: Severity::Error,
                        confidence: 0.5,
                        title: format!("L2L session with {peer}: {tx} bytes sent, none received"),
                        explanation: format!(
                            "Bytes Tx {tx}, Bytes Rx 0: this device encrypts towards {peer} but nothing comes back. \
                             Check on {peer}: mirrored crypto ACL, NAT exemption, a route back into the tunnel, and \
                             that ESP / UDP 4500 passes. `show vpn-sessiondb detail l2l` shows which SA."
                        ),
                    },
                    v,
                    Some(&peer),
                    evidence(o, &s.evidence.iter().collect::<Vec<_>>()),
                    vec![fix(
                        &peer,
                        "check whether our packets arrive and are answered",
                        &["show crypto ipsec sa".into()],
                    )],
                ));
            }
        }
        for sub in s.subs.iter().filter(|x| x.is_ipsec()) {
            let (tx, rx) = (sub.pkts_tx.unwrap_or(0), sub.pkts_rx.unwrap_or(0));
            let ev = evidence(o, &sub.evidence.iter().collect::<Vec<_>>());
            let sel = format!(
                "{} ↔ {}",
                sub.local_addr.as_deref().unwrap_or("?"),
                sub.remote_addr.as_deref().unwrap_or("?")
            );
            if tx > 0 && rx == 0 {
                out.push(finding(
                    Draft {
                        code: Code::OneWayTraffic,
                        severity: Severity::Error,
                        confidence: 0.6,
                        title: format!("IPsec SA {sel} with {peer}: {tx} packets sent, none received"),
                        explanation: format!(
                            "Pkts Tx {tx}, Pkts Rx 0 for {sel}. Check on {peer}: mirrored crypto ACL, NAT exemption, a \
                             route back into the tunnel, and that ESP / UDP 4500 passes."
                        ),
                    },
                    v,
                    Some(&peer),
                    ev,
                    Vec::new(),
                ));
            } else if rx > 0 && tx == 0 {
                out.push(finding(
                    Draft {
                        code: Code::OneWayTraffic,
                        severity: Severity::Error,
                        confidence: 0.55,
                        title: format!("IPsec SA {sel} with {peer}: {rx} packets received, none sent"),
                        explanation: "Replies are translated before encryption (NAT exemption missing) or routed \
                                      away from the crypto-map interface on this device."
                            .into(),
                    },
                    v,
                    Some(&peer),
                    ev,
                    Vec::new(),
                ));
            }
        }
    }
}
