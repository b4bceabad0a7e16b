//! IKEv2 SA states (message catalog ST15, E110–E117): `IN-NEG` that does
//! not finish, `DELETE`, and an IKE SA up without any child SA.

use super::phase1::peer_reachability_fixes;
use super::*;
use crate::ikev2::Ikev2Sa;

/// IKE_SA_INIT finished: the algorithms are known (`Encr: Unknown - 0`
/// while the first exchange is still pending).
fn init_done(sa: &Ikev2Sa) -> bool {
    sa.encryption
        .as_deref()
        .is_some_and(|e| !e.starts_with("Unknown") && !e.is_empty())
}

fn ikev2_debug(me: &str, platform: Platform, peer: &str) -> Vec<Fix> {
    platform_fixes(
        me,
        platform,
        &format!("see which exchange with {peer} fails and why"),
        vec![
            "debug crypto ikev2".into(),
            "debug crypto ikev2 error".into(),
            format!("show crypto ikev2 sa remote {peer} detailed"),
        ],
        vec![
            "debug crypto ikev2 protocol 64".into(),
            "debug crypto ikev2 platform 64".into(),
            format!("show crypto ikev2 sa | begin {peer}"),
        ],
    )
}

pub(crate) fn ikev2_states(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let platform = v.platform;
    let me = v.name.as_str();
    for (o, sa) in &v.ikev2 {
        let Some(status) = sa.status.as_deref() else {
            continue;
        };
        let peer = sa.remote.as_deref().unwrap_or("the peer");
        let local = sa.local.as_deref().unwrap_or("<this device's address>");
        let ev = evidence(o, &sa.evidence.iter().collect::<Vec<_>>());
        // Another SA with the same peer is up: this one is a leftover
        // (a rekey or a collision), worth a warning at most.
        let other_up = v.phase1.get(peer).copied() == Some(true) && status != "READY";
        let (sev, scale) = if other_up {
            (Severity::Warning, 0.5)
        } else {
            (Severity::Error, 1.0)
        };
        let mut push = |code, confidence: f32, title: String, explanation: String, fixes| {
            out.push(finding(
                Draft {
                    code,
                    severity: sev,
                    confidence: confidence * scale,
                    title,
                    explanation,
                },
                v,
                Some(peer),
                ev.clone(),
                fixes,
            ));
        };
        match status {
            "IN-NEG" if init_done(sa) => {
                push(
                    Code::PskMismatch,
                    0.55,
                    format!("IKEv2 SA with {peer} is stuck in IN-NEG after IKE_SA_INIT: authentication fails"),
                    format!(
                        "The algorithms are agreed ({}), so IKE_SA_INIT completed; IKE_AUTH does not. IKEv2 keeps \
                         separate keys per direction: the local key here must be the remote key on {peer} and vice \
                         versa. Identities (address vs FQDN/DN) and certificates fail the same way.",
                        sa.encryption.as_deref().unwrap_or("?")
                    ),
                    platform_fixes(
                        me,
                        platform,
                        &format!("enter the keys for {peer} (and the mirror keys on {peer})"),
                        vec![
                            "crypto ikev2 keyring <keyring>".into(),
                            format!(" peer {peer}"),
                            format!("  address {peer}"),
                            "  pre-shared-key local <key-this-side>".into(),
                            "  pre-shared-key remote <key-peer-side>".into(),
                        ],
                        vec![
                            format!("tunnel-group {peer} ipsec-attributes"),
                            " ikev2 local-authentication pre-shared-key <key-this-side>".into(),
                            " ikev2 remote-authentication pre-shared-key <key-peer-side>".into(),
                        ],
                    ),
                );
                push(
                    Code::PeerAddressMismatch,
                    0.3,
                    format!("IKEv2 SA with {peer} is stuck in IN-NEG: or the identity does not match"),
                    format!(
                        "IKE_AUTH also fails when no IKEv2 profile / tunnel group matches the identity {peer} sends \
                         (address behind NAT, FQDN or DN instead of an address)."
                    ),
                    ikev2_debug(me, platform, peer),
                );
            }
            "IN-NEG" => {
                push(
                    Code::PeerUnreachable,
                    0.45,
                    format!("IKEv2 SA with {peer} is stuck in IN-NEG: IKE_SA_INIT gets no usable answer"),
                    format!(
                        "No algorithm is agreed yet: {peer} does not answer IKE_SA_INIT (UDP 500/4500 filtered, no \
                         route, IKEv2 not enabled on its interface), or answers NO_PROPOSAL_CHOSEN."
                    ),
                    peer_reachability_fixes(me, platform, peer, local),
                );
                let mut fixes = platform_fixes(
                    me,
                    platform,
                    "offer a proposal the peer accepts (the same on both ends)",
                    vec![
                        "crypto ikev2 proposal P1".into(),
                        " encryption aes-cbc-256".into(),
                        " integrity sha256".into(),
                        " group 14".into(),
                        "crypto ikev2 policy P1".into(),
                        " proposal P1".into(),
                    ],
                    vec![
                        "crypto ikev2 policy 10".into(),
                        " encryption aes-256".into(),
                        " integrity sha256".into(),
                        " group 14".into(),
                        " prf sha256".into(),
                        " lifetime seconds 86400".into(),
                    ],
                );
                fixes.extend(ikev2_debug(me, platform, peer));
                push(
                    Code::Phase1PolicyMismatch,
                    0.4,
                    format!("IKEv2 SA with {peer} is stuck in IN-NEG: or no IKEv2 proposal is common"),
                    "When the peer answers with NO_PROPOSAL_CHOSEN, no encryption / integrity / PRF / DH group \
                     combination of `crypto ikev2 proposal` (ASA `crypto ikev2 policy`) matches the peer's."
                        .into(),
                    fixes,
                );
            }
            "DELETE" => {
                push(
                    Code::PeerUnreachable,
                    0.35,
                    format!("IKEv2 SA with {peer} is being deleted"),
                    format!(
                        "DELETE: the SA is torn down — dead-peer detection got no answer from {peer}, the peer sent \
                         a DELETE, or authentication failed after the exchange. If it comes back in IN-NEG, look at \
                         that state; if the peer is silent, at the path."
                    ),
                    peer_reachability_fixes(me, platform, peer, local),
                );
            }
            "READY"
                if sa.lists_children()
                    && sa.children.is_empty()
                    && sa.child_count.unwrap_or(0) == 0 =>
            {
                let mut fixes = ikev2_debug(me, platform, peer);
                fixes.extend(platform_fixes(
                    me,
                    platform,
                    "mirror the protected networks and the transform (and PFS) on both ends",
                    vec![
                        "show crypto map".into(),
                        "show crypto ipsec transform-set".into(),
                        "show crypto ipsec profile".into(),
                    ],
                    vec![
                        "show running-config crypto map".into(),
                        "show running-config crypto ipsec".into(),
                    ],
                ));
                push(
                    Code::ProxyIdMismatch,
                    0.45,
                    format!("IKEv2 SA with {peer} is up but has no child SA"),
                    "The IKE SA is READY but no IPsec (child) SA was installed: the peer answered the child \
                     request with TS_UNACCEPTABLE (traffic selectors, i.e. crypto ACLs, not mirrored) or \
                     NO_PROPOSAL_CHOSEN (IPsec proposal / transform or PFS group differ)."
                        .into(),
                    fixes.clone(),
                );
                push(
                    Code::TransformSetMismatch,
                    0.35,
                    format!("IKEv2 SA with {peer} has no child SA: or the IPsec proposals differ"),
                    "NO_PROPOSAL_CHOSEN on IKE_AUTH / CREATE_CHILD_SA means no common ESP encryption / integrity: \
                     compare `crypto ipsec transform-set` (ASA `crypto ipsec ikev2 ipsec-proposal`)."
                        .into(),
                    fixes.clone(),
                );
                push(
                    Code::PfsMismatch,
                    0.2,
                    format!("IKEv2 SA with {peer} has no child SA: or PFS differs"),
                    "A PFS group set on one end only fails the CREATE_CHILD_SA (rekeys), and on some versions the \
                     first child too."
                        .into(),
                    fixes,
                );
            }
            _ => {}
        }
    }
}
