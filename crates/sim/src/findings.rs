//! Simulation outcomes as findings and tunnel summaries.

use crate::{Outcome, TunnelResult};
use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Code, Evidence, Finding, Fix, Severity, TunnelSummary};

fn platform(c: &DeviceConfig) -> String {
    format!("{:?}", c.platform).to_ascii_lowercase()
}

fn outcome_finding(configs: &[DeviceConfig], o: &Outcome, direction: &str) -> Finding {
    let init = &configs[o.initiator];
    let resp = o.responder.map(|r| configs[r].name().to_string());
    let mut evidence: Vec<Evidence> = Vec::new();
    for c in &o.evidence {
        if c.origin.line == 0 {
            continue;
        }
        let e = Evidence {
            source: c.source.clone(),
            line: c.origin.line,
            text: redact(&c.origin.text).into_owned(),
        };
        if !evidence.contains(&e) {
            evidence.push(e);
        }
    }
    let mut fixes = Vec::new();
    if let Some(f) = &o.fix {
        let dev = configs
            .get(f.device())
            .map(|c| c.name().to_string())
            .unwrap_or_default();
        fixes.push(Fix {
            device: dev,
            why: f.why().to_string(),
            commands: f.commands(configs),
        });
    }
    let after = match o.after_fix {
        Some(Code::TunnelUp) => " Re-simulated with the fix applied: tunnel-up.".to_string(),
        Some(c) => format!(" Re-simulated with the fix applied: the next failure is {c}."),
        None => String::new(),
    };
    let (severity, confidence) = if o.code == Code::TunnelUp {
        (Severity::Info, 0.95)
    } else if o.responder.is_none() && o.code == Code::PeerUnreachable {
        // The peer's configuration was not given: nothing says it would
        // not answer (Batfish: MISSING_END_POINT, not a failure).
        (Severity::Warning, 0.3)
    } else {
        (Severity::Error, 0.95)
    };
    let title = if o.code == Code::TunnelUp {
        format!("Tunnel up ({direction})")
    } else if let Some(t) = &o.title {
        format!("{t} at {} ({direction})", o.step)
    } else {
        format!("{} at {} ({direction})", o.code.summary(), o.step)
    };
    let detail = if o.code == Code::TunnelUp && o.ikev2 {
        format!(
            "{} and {} agree on IKEv2: IKE_SA_INIT (proposal), IKE_AUTH (identity, pre-shared keys both ways) and the child SA (traffic selectors, transforms).",
            init.name(),
            resp.clone().unwrap_or_default()
        )
    } else if o.code == Code::TunnelUp {
        format!(
            "{} and {} agree on phase 1 (policy, keys) and phase 2 (proxies, transform set, PFS).",
            init.name(),
            resp.clone().unwrap_or_default()
        )
    } else {
        format!("{}.{after}", o.detail)
    };
    Finding {
        code: o.code,
        severity,
        device: Some(init.name().to_string()),
        peer: Some(o.peer_addr.to_string()),
        title,
        explanation: detail,
        evidence,
        fixes,
        confidence,
    }
}

/// Findings and tunnel rows for simulation results.
pub fn findings(
    configs: &[DeviceConfig],
    results: &[TunnelResult],
) -> (Vec<TunnelSummary>, Vec<Finding>) {
    let mut rows = Vec::new();
    let mut all = Vec::new();
    for t in results {
        let a = &configs[t.a];
        let label = |o: &Outcome| {
            let to = o
                .responder
                .map(|r| configs[r].name().to_string())
                .unwrap_or_else(|| o.peer_addr.to_string());
            format!("{} initiates toward {to}", configs[o.initiator].name())
        };
        let mut outcomes = vec![&t.forward];
        if let Some(r) = &t.reverse {
            if r.code != t.forward.code || r.code != Code::TunnelUp {
                outcomes.push(r);
            }
        }
        let mut worst: Option<Finding> = None;
        for o in outcomes {
            let f = outcome_finding(configs, o, &label(o));
            if worst.as_ref().is_none_or(|w| f.severity > w.severity) {
                worst = Some(f.clone());
            }
            if !all
                .iter()
                .any(|x: &Finding| x.code == f.code && x.explanation == f.explanation)
            {
                all.push(f);
            }
        }
        if let Some(f) = rekey_pfs(configs, t) {
            if worst.as_ref().is_none_or(|w| f.severity > w.severity) {
                worst = Some(f.clone());
            }
            all.push(f);
        }
        if let Some(w) = worst {
            rows.push(TunnelSummary {
                device: Some(a.name().to_string()),
                source: a.source.clone(),
                peer: Some(t.peer.to_string()),
                local: t.forward.initiator_addr.map(|x| x.to_string()),
                platform: Some(platform(a)),
                role: None,
                status: w.code,
                reason: w.title.clone(),
                reached: Some(t.forward.step.to_string()),
                ladder: Vec::new(),
                lines: [0, 0],
            });
        }
    }
    all.sort_by(Finding::rank_cmp);
    (rows, all)
}

/// An IKEv2 tunnel that comes up can still fail at its first rekey: the
/// first child SA is made in IKE_AUTH without a DH exchange, so PFS is not
/// negotiated until CREATE_CHILD_SA, where a KE payload one end requires
/// and the other does not send (or another group) gives
/// NO_PROPOSAL_CHOSEN and the tunnel drops at every lifetime.
pub(crate) fn rekey_pfs(configs: &[DeviceConfig], t: &TunnelResult) -> Option<Finding> {
    let o = &t.forward;
    if o.code != Code::TunnelUp || !o.ikev2 {
        return None;
    }
    let a = configs.get(t.a)?;
    let b = configs.get(o.responder?)?;
    let ea = a
        .crypto_maps
        .iter()
        .find(|e| e.dynamic_ref.is_none() && e.peers.contains(&t.peer))?;
    let eb = crate::ikev2::responder_entry(b, o.initiator_addr?)?;
    if ea.pfs == eb.pfs {
        return None;
    }
    let text = |g: Option<u8>| g.map_or("no PFS".to_string(), |g| format!("PFS group {g}"));
    // Give the end without PFS the other's group; with two groups, the
    // responder's (`b`) is set to the initiator's.
    let (dev, e, group) = match (ea.pfs, eb.pfs) {
        (None, Some(g)) => (o.initiator, ea, g),
        (Some(g), _) => (o.responder?, eb, g),
        (None, None) => return None,
    };
    let fix = crate::ConfigFix::SetPfs {
        device: dev,
        map: e.map.clone(),
        seq: e.seq,
        group: Some(group),
    };
    let evidence = [(a, ea), (b, eb)]
        .iter()
        .filter(|(_, e)| e.origin.line != 0)
        .map(|(c, e)| Evidence {
            source: c.source.clone(),
            line: e.origin.line,
            text: redact(&e.origin.text).into_owned(),
        })
        .collect();
    // The shorter lifetime of the two ends (entry, else global) rekeys first.
    let seconds = |c: &DeviceConfig, e: &ipsec_doctor_model::config::CryptoMapEntry| {
        e.lifetime.as_ref().unwrap_or(&c.sa_lifetime).seconds
    };
    let when = format!(
        "at the first rekey (about {} s after it is built)",
        seconds(a, ea).min(seconds(b, eb))
    );
    Some(Finding {
        code: Code::PfsMismatch,
        severity: Severity::Warning,
        device: Some(a.name().to_string()),
        peer: Some(t.peer.to_string()),
        title: format!(
            "IKEv2 child SA rekeys will fail: {} uses {}, {} uses {}",
            a.name(),
            text(ea.pfs),
            b.name(),
            text(eb.pfs)
        ),
        explanation: format!(
            "The tunnel comes up — the first child SA is negotiated in IKE_AUTH, without PFS — but \
             {when} CREATE_CHILD_SA carries a Diffie-Hellman exchange only the end with PFS expects, \
             so the rekey is refused (NO_PROPOSAL_CHOSEN) and traffic stops until the tunnel is built \
             anew. Set the same PFS group on both ends."
        ),
        evidence,
        fixes: vec![Fix {
            device: configs.get(dev).map(|c| c.name().to_string()).unwrap_or_default(),
            why: fix.why().to_string(),
            commands: fix.commands(configs),
        }],
        confidence: 0.75,
    })
}
