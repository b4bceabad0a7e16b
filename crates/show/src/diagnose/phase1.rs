//! Phase 1: what `show crypto isakmp sa` states and the `show crypto
//! session` status say (message catalog §1), with fixes.

use super::*;

pub(crate) fn isakmp_states(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let locals = &v.locals;
    let platform = v.platform;
    for (o, sa) in &v.isakmp {
        let Some(state) = sa.state_upper() else {
            continue;
        };
        let peer = sa.peer_of(locals).unwrap_or("the peer").to_string();
        let local = sa.local_of(locals).map(str::to_string);
        let ev = evidence(o, &sa.evidence.iter().collect::<Vec<_>>());
        // `ACTIVE (deleted)` (IOS 12.x), `DELETED` (12.4T/15.x status column).
        let deleted = sa
            .status
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("deleted"));
        let other_up = v.phase1.get(peer.as_str()).copied() == Some(true) && !is_up_state(&state);
        // A leftover (deleted) negotiation next to an established SA.
        let weak = deleted || other_up;
        let scale = |c: f32| if weak { c * 0.5 } else { c };
        let sev = if weak {
            Severity::Warning
        } else {
            Severity::Error
        };
        let me = v.name.as_str();
        let local_txt = local
            .clone()
            .unwrap_or_else(|| "<this device's address>".to_string());
        let stuck = format!("Phase 1 with {peer} is stuck in {state}");
        let drafts: Vec<(Draft, Vec<Fix>)> = match state.as_str() {
            "MM_NO_STATE" | "AG_NO_STATE" => vec![
                (
                    Draft {
                        code: Code::Phase1PolicyMismatch,
                        severity: sev,
                        confidence: scale(0.55),
                        title: format!("{stuck}: no ISAKMP policy agreed"),
                        explanation: format!(
                            "{state} means the ISAKMP SA exists but no proposal was agreed with {peer}. When the peer \
                             answers, it rejected every policy (encryption, hash, authentication, DH group, lifetime) — \
                             compare `show crypto isakmp policy` on both ends; run `debug crypto isakmp` on the responder \
                             to see which attribute differs."
                        ),
                    },
                    platform_fixes(
                        me,
                        platform,
                        "define one ISAKMP policy identical on both ends (do the same on the peer)",
                        vec![
                            "crypto isakmp policy 10".into(),
                            " encryption aes 256".into(),
                            " hash sha256".into(),
                            " authentication pre-share".into(),
                            " group 14".into(),
                        ],
                        vec![
                            "crypto ikev1 policy 10".into(),
                            " authentication pre-share".into(),
                            " encryption aes-256".into(),
                            " hash sha".into(),
                            " group 14".into(),
                            " lifetime 86400".into(),
                        ],
                    ),
                ),
                (
                    Draft {
                        code: Code::PeerUnreachable,
                        severity: sev,
                        confidence: scale(0.5),
                        title: format!("{stuck}: the peer may not be answering"),
                        explanation: format!(
                            "{state} also appears when {peer} never answers the first main-mode message: UDP 500 \
                             (and 4500) filtered in the path, no route to {peer}, or the peer has no crypto map / IKE \
                             enabled on the interface facing us."
                        ),
                    },
                    peer_reachability_fixes(me, platform, &peer, &local_txt),
                ),
            ],
            "MM_SA_SETUP" => vec![(
                Draft {
                    code: Code::PeerUnreachable,
                    severity: sev,
                    confidence: scale(0.45),
                    title: format!("{stuck}: key exchange messages are lost"),
                    explanation: format!(
                        "{state}: the proposal was agreed but the Diffie-Hellman exchange (MM3/MM4) does not complete. \
                         Usually one direction of UDP 500 is filtered or translated by a device in the path, or the \
                         large KE payloads are fragmented and dropped."
                    ),
                },
                peer_reachability_fixes(me, platform, &peer, &local_txt),
            )],
            "MM_KEY_EXCH" | "AG_INIT_EXCH" | "AG_AUTH" | "AM_WAIT_MSG3" => vec![
                (
                    Draft {
                        code: Code::PskMismatch,
                        severity: sev,
                        confidence: scale(0.6),
                        title: format!("{stuck}: the pre-shared keys probably differ"),
                        explanation: format!(
                            "{state}: Diffie-Hellman is done but the peers cannot authenticate each other. The usual \
                             cause is a pre-shared key that differs between the two ends (or a key configured for \
                             another address)."
                        ),
                    },
                    psk_fixes(me, platform, &peer, Platform::Unknown, &local_txt),
                ),
                (
                    Draft {
                        code: Code::PeerAddressMismatch,
                        severity: sev,
                        confidence: scale(0.35),
                        title: format!("{stuck}: or the peer knows us by another address"),
                        explanation: format!(
                            "With {state} the key looked up for the peer may be the wrong one because the peer's \
                             address differs from the one configured (NAT in the path, several WAN links)."
                        ),
                    },
                    vec![fix(
                        me,
                        "check that the key and `set peer` use the address the peer really uses",
                        &[format!("show crypto isakmp sa | include {peer}"), "show crypto map".into()],
                    )],
                ),
            ],
            "MM_WAIT_MSG2" | "AM_WAIT_MSG2" => vec![
                (
                    Draft {
                        code: Code::PeerUnreachable,
                        severity: sev,
                        confidence: scale(0.6),
                        title: format!("{stuck}: no answer from the peer"),
                        explanation: format!(
                            "{state}: we sent the first main-mode message to {peer} and never got an answer: the \
                             peer is unreachable, UDP 500 is filtered, IKE is not enabled on the peer's interface, or \
                             the peer has no crypto map entry for us."
                        ),
                    },
                    peer_reachability_fixes(me, platform, &peer, &local_txt),
                ),
                (
                    Draft {
                        code: Code::Phase1PolicyMismatch,
                        severity: sev,
                        confidence: scale(0.3),
                        title: format!("{stuck}: or the peer rejects every proposal"),
                        explanation: "If the peer answers with NO_PROPOSAL_CHOSEN, no ISAKMP policy matches.".into(),
                    },
                    vec![fix(
                        me,
                        "compare the ISAKMP policies of both ends",
                        &["show crypto isakmp policy".into()],
                    )],
                ),
            ],
            "MM_WAIT_MSG3" => vec![(
                Draft {
                    code: Code::PeerUnreachable,
                    severity: sev,
                    confidence: scale(0.5),
                    title: format!("{stuck}: our answer does not reach the initiator"),
                    explanation: format!(
                        "{state} (responder): we answered {peer}'s first message but the next one never came — our \
                         reply is lost on the way back (return route, filtering or NAT of UDP 500)."
                    ),
                },
                peer_reachability_fixes(me, platform, &peer, &local_txt),
            )],
            "MM_WAIT_MSG4" => vec![
                (
                    Draft {
                        code: Code::PskMissing,
                        severity: sev,
                        confidence: scale(0.6),
                        title: format!("{stuck}: the peer has no key for us"),
                        explanation: format!(
                            "{state}: we sent our key-exchange message and {peer} stopped answering. The peer has no \
                             tunnel-group / pre-shared key for our address {local_txt} (or sees us behind NAT under \
                             another address)."
                        ),
                    },
                    platform_fixes(
                        &peer,
                        Platform::Unknown,
                        &format!("give {peer} a key for this device's address"),
                        vec![format!("crypto isakmp key <pre-shared-key> address {local_txt}")],
                        vec![
                            format!("tunnel-group {local_txt} type ipsec-l2l"),
                            format!("tunnel-group {local_txt} ipsec-attributes"),
                            " ikev1 pre-shared-key <pre-shared-key>".into(),
                        ],
                    ),
                ),
                (
                    Draft {
                        code: Code::PeerAddressMismatch,
                        severity: sev,
                        confidence: scale(0.3),
                        title: format!("{stuck}: or the peer expects another address"),
                        explanation: "A device translating our outside address makes the peer look up the wrong key.".into(),
                    },
                    vec![fix(&peer, "check which address it sees us as", &["show crypto isakmp sa".into()])],
                ),
            ],
            "MM_WAIT_MSG5" => vec![
                (
                    Draft {
                        code: Code::PskMismatch,
                        severity: sev,
                        confidence: scale(0.45),
                        title: format!("{stuck}: authentication does not complete"),
                        explanation: format!(
                            "{state} (responder): the initiator {peer} did not send its identity message — it could \
                             not decrypt ours (pre-shared keys differ) or the message went to UDP 4500 and is filtered."
                        ),
                    },
                    psk_fixes(me, platform, &peer, Platform::Unknown, &local_txt),
                ),
                (
                    Draft {
                        code: Code::PeerUnreachable,
                        severity: sev,
                        confidence: scale(0.3),
                        title: format!("{stuck}: or UDP 4500 is filtered"),
                        explanation: "After NAT-T moves the exchange to UDP 4500, a filter that allows only UDP 500 stops it.".into(),
                    },
                    peer_reachability_fixes(me, platform, &peer, &local_txt),
                ),
            ],
            "MM_WAIT_MSG6" => vec![(
                Draft {
                    code: Code::PskMismatch,
                    severity: sev,
                    confidence: scale(0.65),
                    title: format!("{stuck}: the pre-shared keys differ"),
                    explanation: format!(
                        "{state}: we sent our identity and hash (MM5) and {peer} never accepted it: it could not \
                         verify our hash, which means the pre-shared keys differ (or UDP 4500 is filtered)."
                    ),
                },
                psk_fixes(me, platform, &peer, Platform::Unknown, &local_txt),
            )],
            _ => Vec::new(),
        };
        for (d, fixes) in drafts {
            out.push(finding(d, v, Some(&peer), ev.clone(), fixes));
        }
    }
}

pub(crate) fn peer_reachability_fixes(
    me: &str,
    platform: Platform,
    peer: &str,
    local: &str,
) -> Vec<Fix> {
    let mut f = platform_fixes(
        me,
        platform,
        &format!("check that {peer} answers on UDP 500/4500"),
        vec![
            format!("ping {peer} source <outside-interface>"),
            format!("traceroute {peer}"),
            "debug crypto isakmp".into(),
        ],
        vec![
            format!("ping outside {peer}"),
            format!("capture ike interface outside match udp host {peer} host {local} eq 500"),
            "debug crypto ikev1 127".into(),
        ],
    );
    f.push(fix(
        "every firewall or ACL between the peers",
        "IKE and ESP must pass both ways",
        &[
            format!("permit udp host {peer} host {local} eq isakmp"),
            format!("permit udp host {peer} host {local} eq non500-isakmp"),
            format!("permit esp host {peer} host {local}"),
        ],
    ));
    f
}

pub(crate) fn psk_fixes(
    me: &str,
    platform: Platform,
    peer: &str,
    peer_platform: Platform,
    local: &str,
) -> Vec<Fix> {
    let mut f = platform_fixes(
        me,
        platform,
        &format!("re-enter the pre-shared key for {peer}"),
        vec![format!("crypto isakmp key <pre-shared-key> address {peer}")],
        vec![
            format!("tunnel-group {peer} ipsec-attributes"),
            " ikev1 pre-shared-key <pre-shared-key>".into(),
        ],
    );
    f.extend(platform_fixes(
        peer,
        peer_platform,
        "enter the same key on the other end",
        vec![format!(
            "crypto isakmp key <pre-shared-key> address {local}"
        )],
        vec![
            format!("tunnel-group {local} ipsec-attributes"),
            " ikev1 pre-shared-key <pre-shared-key>".into(),
        ],
    ));
    f
}

pub(crate) fn sessions(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let platform = v.platform;
    for (o, s) in &v.sessions {
        let peer = s.peer.clone().unwrap_or_else(|| "the peer".into());
        let covered = v.covered.contains(peer.as_str());
        if covered {
            continue;
        }
        let ev = evidence(o, &s.evidence.iter().collect::<Vec<_>>());
        let status = s.status.as_deref().unwrap_or("");
        if status.starts_with("DOWN-NEGOTIATING") {
            let local = s
                .ike_sas
                .iter()
                .find_map(|i| i.local.clone())
                .unwrap_or_else(|| "<this device's address>".into());
            out.push(finding(
                Draft {
                    code: Code::PeerUnreachable,
                    severity: Severity::Error,
                    confidence: 0.4,
                    title: format!("Session with {peer} is {status}: phase 1 does not complete"),
                    explanation: "The IKE SA stays inactive: the peer does not answer, or rejects the proposal or \
                                  the key. `show crypto isakmp sa` shows the state it is stuck in."
                        .into(),
                },
                v,
                Some(&peer),
                ev.clone(),
                peer_reachability_fixes(&v.name, platform, &peer, &local),
            ));
            continue;
        }
        for f in &s.flows {
            let enc = f.outbound.as_ref().and_then(|c| c.pkts).unwrap_or(0);
            let dec = f.inbound.as_ref().and_then(|c| c.pkts).unwrap_or(0);
            if enc > 0 && dec == 0 {
                out.push(finding(
                    Draft {
                        code: Code::OneWayTraffic,
                        severity: Severity::Error,
                        confidence: 0.6,
                        title: format!("Flow to {peer} is encrypted ({enc} packets) but nothing comes back"),
                        explanation: format!(
                            "`{}`: enc'ed {enc}, dec'ed 0. Check on {peer}: mirrored crypto ACL, NAT exemption, a \
                             route back into the tunnel, and that ESP / UDP 4500 passes.",
                            f.spec
                        ),
                    },
                    v,
                    Some(&peer),
                    ev.clone(),
                    Vec::new(),
                ));
            } else if dec > 0 && enc == 0 {
                out.push(finding(
                    Draft {
                        code: Code::OneWayTraffic,
                        severity: Severity::Error,
                        confidence: 0.55,
                        title: format!("Flow from {peer} is decrypted ({dec} packets) but nothing is sent back"),
                        explanation: format!(
                            "`{}`: dec'ed {dec}, enc'ed 0. On this device the replies are translated (NAT exemption \
                             missing) or routed away from the crypto-map interface.",
                            f.spec
                        ),
                    },
                    v,
                    Some(&peer),
                    ev.clone(),
                    Vec::new(),
                ));
            }
        }
    }
}
