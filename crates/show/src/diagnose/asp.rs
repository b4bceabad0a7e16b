//! ASA `show asp drop`: the IPsec drop reasons. The counters run since the
//! last `clear asp drop`, so they say what happened, not that it still
//! does: each finding is a warning that says how to see it live.

use super::*;

/// What an IPsec drop reason points at: (code, confidence, title, why).
fn reading(reason: &str) -> Option<(Code, f32, &'static str, &'static str)> {
    Some(match reason {
        "ipsec-spoof" | "ipsec-selector-failure" => (
            Code::ProxyIdMismatch,
            0.5,
            "Decrypted packets outside their SA's proxy identities (asp-drop {reason})",
            "Packets came out of a tunnel with inner addresses its SA does not cover: the peer sends traffic its crypto ACL and ours do not agree on (not mirror images, or a network added on one end only), or routes other networks into the tunnel.",
        ),
        "ipsec-clearpkt-notun" => (
            Code::OneWayTraffic,
            0.5,
            "Clear-text packets that an established tunnel should carry (asp-drop {reason})",
            "Packets arrived unencrypted that match the selectors of an established tunnel: the peer sends that traffic in clear text instead of into the tunnel. On the peer its crypto ACL does not cover it, NAT translates it before encryption (no NAT exemption), or a route sends it another way.",
        ),
        "ipsec-need-sa" | "ipsec-tun-down" => (
            Code::PeerUnreachable,
            0.3,
            "Packets for a tunnel that has no IPsec SA (asp-drop {reason})",
            "Packets matched a crypto map entry but found no IPsec SA (or the tunnel down). The first packets of a tunnel always do, while IKE negotiates; if the counter keeps growing, the negotiation never completes: the IKE syslog or debug of the same minutes says why (no answer from the peer, a proposal or proxy identities refused).",
        ),
        _ => return None,
    })
}

/// Findings from the device's IPsec drop counters.
pub(crate) fn drops(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    for (o, d) in &v.asp {
        if d.count == 0 {
            continue;
        }
        let Some((code, confidence, title, why)) = reading(d.reason.as_str()) else {
            continue;
        };
        let reason = d.reason.as_str();
        let explanation = format!(
            "{why} {count} {what} dropped since the counters were last cleared; to see whether it still happens and which flows: `clear asp drop`, reproduce, `show asp drop frame {reason}`, and capture the dropped packets.",
            count = d.count,
            what = if d.kind.as_str() == "flow" {
                "connections"
            } else {
                "packets"
            },
        );
        let fixes = vec![fix(
            &v.name,
            "see the dropped flows live",
            &[
                format!("capture ASP-{reason} type asp-drop {reason}"),
                format!("show capture ASP-{reason}"),
                "show crypto ipsec sa".to_string(),
            ],
        )];
        out.push(finding(
            Draft {
                code,
                severity: Severity::Warning,
                confidence,
                title: title.replace("{reason}", reason),
                explanation,
            },
            v,
            None,
            evidence(o, &[&d.evidence]),
            fixes,
        ));
    }
}
