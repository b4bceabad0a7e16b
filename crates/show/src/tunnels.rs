//! The tunnel table from show output: one row per device and peer that
//! the records name, with the most important finding about that tunnel as
//! its status (or `tunnel-up` when the records show it working and nothing
//! is wrong with it).

use crate::diagnose::{views, DeviceView, Platform};
use crate::ShowOutput;
use ipsec_doctor_model::{Code, Finding, Severity, TunnelSummary};
use std::collections::HashMap;

/// One device's tunnel to one peer, as the records name it.
struct Row<'a> {
    device: String,
    source: &'a str,
    peer: &'a str,
    local: Option<&'a str>,
    role: Option<&'a str>,
    platform: Platform,
    lines: [u64; 2],
    /// Some record shows it working (phase 1 up, SAs, an active session).
    up: bool,
}

/// Every tunnel the outputs name, with its status taken from `findings`
/// (the result of [`crate::diagnose`] on the same outputs). A finding
/// applies to a row when it is on the row's device and names its peer,
/// by address or, for the cross-checks of both ends, by the other
/// device's name.
pub fn tunnels(outputs: &[ShowOutput], findings: &[Finding]) -> Vec<TunnelSummary> {
    let views = views(outputs);
    let mut rows: Vec<Row<'_>> = Vec::new();
    // Thousands of peers on a head-end: rows and findings are looked up
    // by key, not by a scan each.
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut worst: HashMap<(&str, &str), (usize, &Finding)> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let (Some(d), Some(p)) = (f.device.as_deref(), f.peer.as_deref()) {
            // The first of equally important findings, as a scan would.
            let w = worst.entry((d, p)).or_insert((i, f));
            if f.rank_cmp(w.1).is_lt() {
                *w = (i, f);
            }
        }
    }
    for v in &views {
        for (o, sa) in &v.isakmp {
            let up = sa
                .state_upper()
                .is_some_and(|s| crate::diagnose::is_up_state(&s));
            add(
                &mut rows,
                &mut index,
                v,
                o,
                sa.peer_of(&v.locals),
                sa.local_of(&v.locals),
                sa.role.as_deref(),
                sa.line,
                up,
            );
        }
        for (o, sa) in &v.ikev2 {
            let up = sa.status.as_deref() == Some("READY");
            add(
                &mut rows,
                &mut index,
                v,
                o,
                sa.remote.as_deref(),
                sa.local.as_deref(),
                None,
                sa.line,
                up,
            );
        }
        for (o, b) in &v.ipsec {
            let up = !b.inbound.is_empty() && !b.outbound.is_empty();
            add(
                &mut rows,
                &mut index,
                v,
                o,
                b.peer(),
                b.local(),
                None,
                b.line,
                up,
            );
        }
        for (o, s) in &v.sessions {
            let up = s
                .status
                .as_deref()
                .is_some_and(|st| st.starts_with("UP-ACTIVE"));
            add(
                &mut rows,
                &mut index,
                v,
                o,
                s.peer.as_deref(),
                None,
                None,
                s.line,
                up,
            );
        }
        for (o, e) in &v.maps {
            let peer = e
                .current_peer
                .as_deref()
                .or(e.peers.first().map(|p| p.as_str()));
            add(
                &mut rows,
                &mut index,
                v,
                o,
                peer,
                e.local_address.as_deref(),
                None,
                e.line,
                false,
            );
        }
        for (o, s) in &v.vpn {
            let peer = s.ip_addr.as_deref().or(s.connection.as_deref());
            add(&mut rows, &mut index, v, o, peer, None, None, s.line, true);
        }
    }
    rows.into_iter()
        .filter_map(|r| summary(r, &views, &worst))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn add<'a>(
    rows: &mut Vec<Row<'a>>,
    index: &mut HashMap<(&'a str, &'a str), usize>,
    v: &'a DeviceView<'a>,
    o: &'a ShowOutput,
    peer: Option<&'a str>,
    local: Option<&'a str>,
    role: Option<&'a str>,
    line: u64,
    up: bool,
) {
    let Some(peer) = peer.filter(|p| !p.is_empty() && !v.locals.contains(p)) else {
        return;
    };
    if let Some(r) = index
        .get(&(v.name.as_str(), peer))
        .and_then(|&i| rows.get_mut(i))
    {
        r.local = r.local.or(local);
        r.role = r.role.or(role);
        r.up |= up;
        if r.source == o.source {
            r.lines = [r.lines[0].min(line), r.lines[1].max(line)];
        }
        return;
    }
    index.insert((v.name.as_str(), peer), rows.len());
    rows.push(Row {
        device: v.name.clone(),
        source: &o.source,
        peer,
        local,
        role,
        platform: v.platform,
        lines: [line, line],
        up,
    });
}

/// The row's status from the most important finding on its device that
/// names its peer (`worst`: per device and peer).
fn summary(
    r: Row<'_>,
    views: &[DeviceView<'_>],
    worst: &HashMap<(&str, &str), (usize, &Finding)>,
) -> Option<TunnelSummary> {
    // The other device that owns the peer address, when its output is here.
    let peer_device = views
        .iter()
        .find(|v| v.name != r.device && v.locals.contains(&r.peer))
        .map(|v| v.name.as_str());
    let by_address = worst.get(&(r.device.as_str(), r.peer)).copied();
    let by_name = peer_device.and_then(|p| worst.get(&(r.device.as_str(), p)).copied());
    let worst = match (by_address, by_name) {
        (Some(a), Some(b)) => Some(if b.1.rank_cmp(a.1).then(b.0.cmp(&a.0)).is_lt() {
            b.1
        } else {
            a.1
        }),
        (a, b) => a.or(b).map(|w| w.1),
    };
    let (status, reason) = match worst {
        // Phase 1 findings are warnings only for a leftover negotiation
        // beside an SA that is up: the tunnel itself works.
        Some(f) if r.up && f.severity != Severity::Error && is_phase1(f.code) => (
            Code::TunnelUp,
            format!("Up (beside it a leftover: {})", f.title),
        ),
        Some(f) => (f.code, f.title.clone()),
        None if r.up => (Code::TunnelUp, "Up; nothing wrong seen".to_string()),
        // Not shown working and nothing found: no status to claim.
        None => return None,
    };
    Some(TunnelSummary {
        device: Some(r.device),
        source: r.source.to_string(),
        peer: Some(r.peer.to_string()),
        local: r.local.map(str::to_string),
        platform: match r.platform {
            Platform::Ios => Some("ios".into()),
            Platform::Asa => Some("asa".into()),
            Platform::Pix => Some("pix".into()),
            Platform::Unknown => None,
        },
        role: r.role.map(str::to_ascii_lowercase),
        status,
        reason,
        reached: None,
        ladder: Vec::new(),
        lines: r.lines,
    })
}

/// Codes of a phase 1 negotiation that does not complete.
fn is_phase1(c: Code) -> bool {
    matches!(
        c,
        Code::PeerUnreachable
            | Code::PskMismatch
            | Code::PskMissing
            | Code::Phase1PolicyMismatch
            | Code::PeerAddressMismatch
    )
}
