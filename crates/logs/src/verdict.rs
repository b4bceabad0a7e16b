//! Weighs each tunnel's evidence into ranked findings.

use crate::advice::{advise, Ctx};
use crate::engine::Engine;
use crate::header::Vendor;
use crate::tunnel::{push_evidence, DeviceKey, Tunnel, MAX_EVIDENCE};
use ipsec_doctor_catalog::{state_info, Scope, Step};
use ipsec_doctor_model::{Code, Evidence, Finding, LadderStep, Severity, TunnelSummary};
use std::collections::BTreeMap;

/// How a tunnel's verdict was reached (decides which end explains the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// A message names the cause.
    Explicit,
    /// Symptoms with several possible causes.
    Symptom,
    /// Only the state it stopped in.
    Stuck,
    /// Healthy.
    Up,
    /// Nothing conclusive.
    Nothing,
}

struct Verdict {
    basis: Basis,
    findings: Vec<Finding>,
}

fn device_label(engine: &Engine, d: &DeviceKey, source: usize) -> String {
    match d {
        DeviceKey::Named(n) => n.to_string(),
        DeviceKey::Unnamed(_) => {
            let name = &engine.sources[source].name;
            let file = std::path::Path::new(name)
                .file_name()
                .map_or(name.as_str(), |f| f.to_str().unwrap_or(name));
            format!("this device ({file})")
        }
    }
}

fn ctx_for(engine: &Engine, t: &Tunnel) -> Ctx {
    Ctx {
        device: device_label(engine, &t.device, t.source),
        vendor: t.vendor.or_else(|| engine.vendors.get(&t.device).copied()),
        peer: t.peer.clone(),
        local: t.local.clone(),
        attr: None,
        key_missing_here: true,
        detail: Vec::new(),
        ikev2: t.ikev2,
        v2_init_done: t
            .steps
            .iter()
            .any(|s| s.step == ipsec_doctor_catalog::Step::Init(2)),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    code: Code,
    severity: Severity,
    confidence: f32,
    title: String,
    explanation: String,
    evidence: Vec<Evidence>,
    fixes: Vec<ipsec_doctor_model::Fix>,
    t: &Tunnel,
) -> Finding {
    Finding {
        code,
        severity,
        device: t.device.name().map(str::to_string),
        peer: t.peer.clone(),
        title: capitalise(&title),
        explanation: capitalise(&explanation),
        evidence,
        fixes,
        confidence: (confidence * 100.0).round() / 100.0,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Entries whose failure means the key is missing on the *peer*.
fn key_missing_on_peer(entry: &str) -> bool {
    matches!(entry, "asa.invalid-cookie") || entry.starts_with("state.") || entry.is_empty()
}

/// Entries every failed IKEv2 IKE_AUTH ends with, whatever its cause: the
/// state machine's "Auth exchange failed" / "Verify auth failed" and the
/// failed lookup of the peer's configuration.
const GENERIC_AUTH_FAILURES: [&str; 2] = ["ikev2.auth-failed", "ikev2.item-not-found"];

type ByCode<'a> = BTreeMap<Code, (f32, Vec<Evidence>, Vec<&'a crate::tunnel::FailureRec>)>;

/// When a message of the negotiation names why IKE_AUTH failed (the peer's
/// identity did not check out, its certificate did not validate), the
/// generic IKE_AUTH failures that follow are that cause's consequence, not
/// causes of their own (a key mismatch, a missing key): their lines become
/// evidence of the named cause.
fn fold_generic_auth_failures(by_code: &mut ByCode<'_>) {
    let generic = |recs: &[&crate::tunnel::FailureRec]| {
        recs.iter()
            .all(|r| GENERIC_AUTH_FAILURES.contains(&r.entry))
    };
    let Some(named) = by_code
        .iter()
        .filter(|(c, v)| {
            matches!(c, Code::PeerAddressMismatch | Code::CertificateInvalid) && !generic(&v.2)
        })
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
        .map(|(c, _)| *c)
    else {
        return;
    };
    let folded: Vec<Code> = by_code
        .iter()
        .filter(|(c, v)| **c != named && generic(&v.2))
        .map(|(c, _)| *c)
        .collect();
    for code in folded {
        if let Some((_, evidence, _)) = by_code.remove(&code) {
            if let Some(target) = by_code.get_mut(&named) {
                push_evidence(&mut target.1, evidence);
            }
        }
    }
}

fn tunnel_verdict(engine: &Engine, t: &Tunnel) -> Verdict {
    let base = ctx_for(engine, t);
    let mut findings = Vec::new();
    let up = t.p2_done_at.is_some()
        || t.counters
            .iter()
            .any(|c| c.encaps.unwrap_or(0) > 0 && c.decaps.unwrap_or(0) > 0);
    let cleared = engine.cleared.get(&t.device).copied();

    // 1. Explicit failures.
    let mut by_code: ByCode<'_> = BTreeMap::new();
    // Certificates authenticate the peer when it says so, or when a
    // certificate of this negotiation failed validation.
    let cert_auth = t.cert_auth
        || t.failures
            .iter()
            .any(|f| !f.cancelled && f.code == Code::CertificateInvalid);
    for f in &t.failures {
        if f.cancelled {
            continue;
        }
        // With certificate authentication no pre-shared key takes part: a
        // failed authentication is the certificate's (or its chain's).
        let code = if cert_auth && f.code == Code::PskMismatch {
            Code::CertificateInvalid
        } else {
            f.code
        };
        let recovered = match f.scope {
            Scope::Offer | Scope::Negotiation => t.completed_after(f.phase, f.at),
            Scope::Transient => {
                t.p2_done_at.is_some_and(|p| p > f.at)
                    || (up && cleared.is_some_and(|c| c < f.first_at))
            }
            Scope::Traffic => false,
        };
        if recovered {
            let mut ctx = base.clone();
            ctx.attr = f.attr.clone();
            let (expl, _) = advise(code, &ctx);
            let why = if cleared.is_some_and(|c| c < f.first_at) {
                "SAs were cleared on this device just before; the tunnel renegotiated afterwards."
            } else {
                "The negotiation succeeded afterwards."
            };
            findings.push(finding(
                code,
                Severity::Info,
                f.confidence * 0.5,
                format!("{} (recovered)", f.title),
                format!("Seen {} time(s), then recovered: {why} {expl}", f.count),
                f.evidence.clone(),
                Vec::new(),
                t,
            ));
            continue;
        }
        let e = by_code.entry(code).or_insert((0.0, Vec::new(), Vec::new()));
        let boost = if f.count > 1 { 0.03 } else { 0.0 };
        e.0 = e.0.max((f.confidence + boost).min(0.98));
        push_evidence(&mut e.1, f.evidence.clone());
        e.2.push(f);
    }
    fold_generic_auth_failures(&mut by_code);
    let mut basis = Basis::Nothing;
    if !by_code.is_empty() {
        basis = Basis::Explicit;
        // Several explicit codes agreeing with each other raise confidence.
        for (code, (conf, evidence, recs)) in &mut by_code {
            // The most telling message first: its title, then its lines.
            recs.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
            let mut ordered = Vec::new();
            for r in recs.iter() {
                push_evidence(&mut ordered, r.evidence.clone());
            }
            push_evidence(&mut ordered, std::mem::take(evidence));
            *evidence = ordered;
            let mut ctx = base.clone();
            ctx.attr = recs.iter().find_map(|r| r.attr.clone());
            ctx.key_missing_here = !recs.iter().all(|r| key_missing_on_peer(r.entry));
            for r in recs.iter() {
                ctx.detail.extend(r.detail.iter().cloned());
            }
            let (mut expl, fixes) = advise(*code, &ctx);
            if t.peer.is_none() {
                expl.push_str(&which_sa(&ctx.detail));
            }
            let titles: Vec<&str> = recs.iter().map(|r| r.title).collect();
            let title = match (&ctx.attr, code) {
                (Some(a), Code::Phase1PolicyMismatch) => {
                    format!("{}: {} differs", code.summary(), a.to_ascii_lowercase())
                }
                _ => titles[0].to_string(),
            };
            let mut ev = evidence.clone();
            push_evidence(&mut ev, t.retransmit_evidence.clone());
            if let Some((_, e)) = &t.last_state {
                push_evidence(&mut ev, vec![e.clone()]);
            }
            findings.push(finding(
                *code,
                Severity::Error,
                *conf,
                title,
                expl,
                ev,
                fixes,
                t,
            ));
        }
    }

    // 2. Symptoms and where the negotiation stopped, when nothing explicit
    //    explains the tunnel. Both feed one ranking: a retransmission means
    //    different things in different states.
    if basis == Basis::Nothing {
        let mut scores: BTreeMap<Code, (f32, Vec<Evidence>, Vec<String>)> = BTreeMap::new();
        let mut add = |code: Code, c: f32, ev: &[Evidence], why: String| {
            let e = scores.entry(code).or_insert((0.0, Vec::new(), Vec::new()));
            e.0 = if e.0 == 0.0 {
                c
            } else {
                (e.0.max(c) + 0.05).min(0.9)
            };
            push_evidence(&mut e.1, ev.to_vec());
            if !e.2.contains(&why) {
                e.2.push(why);
            }
        };
        let mut from_symptoms = false;
        for s in &t.symptoms {
            if t.completed_after(s.phase, s.at) {
                continue;
            }
            from_symptoms = true;
            for (code, c) in s.candidates {
                add(*code, *c, &s.evidence, s.title.to_string());
            }
        }
        let mut stuck_in = None;
        // Phase 1 up, quick mode retried and never completed: phase 2 is refused.
        let qm_stuck = !up && t.p1_done_at.is_some() && (t.p2_retries > 0 || t.qm_attempts > 1);
        if qm_stuck {
            let ev = t.retransmit_evidence.clone();
            for (code, c) in [
                (Code::PfsMismatch, 0.4),
                (Code::TransformSetMismatch, 0.35),
                (Code::ProxyIdMismatch, 0.35),
            ] {
                add(
                    code,
                    c,
                    &ev,
                    "quick mode retried without completing".to_string(),
                );
            }
            stuck_in = Some("quick mode (QM1 sent, no SA)".to_string());
        }
        if !up && !qm_stuck {
            let state = t
                .gave_up
                .clone()
                .filter(|s| !s.is_empty())
                .or_else(|| t.last_state.as_ref().map(|s| s.0.clone()));
            let abandoned = t.gave_up.is_some() || t.retransmits > 0;
            let shown_stuck =
                t.p1_done_at.is_none() && t.steps.is_empty() && t.last_state.is_some();
            if let (Some(state), true) = (state, abandoned || shown_stuck) {
                if let Some(info) = state_info(&state) {
                    let stuck: &[(Code, f32)] = if info.phase1_up {
                        if abandoned {
                            &[
                                (Code::PfsMismatch, 0.4),
                                (Code::TransformSetMismatch, 0.35),
                                (Code::ProxyIdMismatch, 0.35),
                            ]
                        } else {
                            &[]
                        }
                    } else {
                        info.stuck
                    };
                    let mut ev = t.retransmit_evidence.clone();
                    if let Some((_, e)) = &t.last_state {
                        push_evidence(&mut ev, vec![e.clone()]);
                    }
                    // Retransmitting the first message means no answer at all.
                    let first_message = matches!(info.step, Some(Step::Mm(1) | Step::Am(1)));
                    for (code, c) in stuck {
                        let c =
                            if *code == Code::PeerUnreachable && first_message && t.retransmits > 0
                            {
                                c + 0.15
                            } else {
                                *c
                            };
                        add(*code, c, &ev, format!("stopped in {state}"));
                    }
                    if !stuck.is_empty() {
                        stuck_in = Some(state);
                    }
                }
            }
        }
        if !scores.is_empty() {
            basis = if from_symptoms {
                Basis::Symptom
            } else {
                Basis::Stuck
            };
            let mut ranked: Vec<_> = scores.into_iter().collect();
            ranked.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then(a.0.cmp(&b.0)));
            let alternatives: Vec<String> = ranked
                .iter()
                .skip(1)
                .map(|(c, _)| c.as_str().to_string())
                .collect();
            for (i, (code, (conf, ev, whys))) in ranked.into_iter().take(3).enumerate() {
                let mut ctx = base.clone();
                ctx.key_missing_here = false;
                let (expl, fixes) = advise(code, &ctx);
                let lead = match (&stuck_in, i) {
                    (Some(s), 0) => format!("The negotiation stopped in {s}. "),
                    _ => String::new(),
                };
                let note = if i == 0 && !alternatives.is_empty() {
                    format!(
                        " What was seen ({}) does not name the cause by itself; less likely: {}.",
                        whys.join("; "),
                        alternatives.join(", ")
                    )
                } else {
                    String::new()
                };
                let title = match &stuck_in {
                    Some(s) => format!("{} (inferred; stopped in {s})", code.summary()),
                    None => format!("{} (inferred)", code.summary()),
                };
                findings.push(finding(
                    code,
                    Severity::Error,
                    conf,
                    title,
                    format!("{lead}{expl}{note}"),
                    ev,
                    fixes,
                    t,
                ));
            }
        }
    }

    // 4. Counters of show crypto ipsec sa.
    for c in &t.counters {
        let (enc, dec) = (c.encaps.unwrap_or(0), c.decaps.unwrap_or(0));
        let ev: Vec<Evidence> = c
            .lines
            .iter()
            .take(MAX_EVIDENCE)
            .map(|(l, text)| Evidence {
                source: engine.sources[t.source].name.clone(),
                line: *l,
                text: ipsec_doctor_model::redact::redact(text.trim()).into_owned(),
            })
            .collect();
        let mut ctx = base.clone();
        if ctx.peer.is_none() {
            ctx.peer = c.peer.clone();
        }
        if enc > 0 && dec == 0 {
            let (expl, fixes) = advise(Code::OneWayTraffic, &ctx);
            findings.push(finding(
                Code::OneWayTraffic,
                Severity::Error,
                0.7,
                format!("Encrypts ({enc} packets) but decrypts nothing"),
                expl,
                ev,
                fixes,
                t,
            ));
        } else if dec > 0 && enc == 0 {
            let decrypt_failed =
                c.decrypt == Some(0) || c.recv_errors.is_some_and(|r| r * 2 >= dec);
            if decrypt_failed {
                let (expl, fixes) = advise(Code::ProxyIdMismatch, &ctx);
                findings.push(finding(Code::ProxyIdMismatch, Severity::Error, 0.55, format!("{dec} packets received, none accepted (#recv errors)"), format!("Every received packet is dropped after decapsulation, which is what happens when the inner addresses fall outside the SA's proxies (or fail integrity). {expl}"), ev, fixes, t));
            } else {
                let (_, fixes) = advise(Code::OneWayTraffic, &ctx);
                findings.push(finding(Code::OneWayTraffic, Severity::Error, 0.6, format!("Decrypts ({dec} packets) but encrypts nothing"), format!("Traffic from {} arrives and is decrypted, but nothing is sent back into the tunnel: on this device the replies are routed elsewhere or translated (NAT) before they reach the crypto map.", ctx.peer.clone().unwrap_or_else(|| "the peer".into())), ev, fixes, t));
            }
        }
    }

    // 5. Healthy.
    let has_error = findings.iter().any(|f| f.severity == Severity::Error);
    if basis == Basis::Nothing && !has_error && (up || t.p1_done_at.is_some()) {
        basis = Basis::Up;
        let (expl, _) = advise(Code::TunnelUp, &base);
        let (conf, expl) = if up {
            (0.9, expl)
        } else if t.ikev2 {
            // IKE_AUTH negotiates the first child SA with the IKE SA: an IKE
            // SA up without a refused child is a working tunnel.
            (
                0.85,
                "IKE_SA_INIT and IKE_AUTH completed: the IKEv2 SA and its first child SA are up; no failure was seen."
                    .to_string(),
            )
        } else {
            (
                0.6,
                "Phase 1 is up (QM_IDLE / MM_ACTIVE / authenticated); no phase-2 failure was seen."
                    .to_string(),
            )
        };
        let mut ev = t.success.clone();
        for c in &t.counters {
            for (l, text) in c.lines.iter().take(2) {
                push_evidence(
                    &mut ev,
                    vec![Evidence {
                        source: engine.sources[t.source].name.clone(),
                        line: *l,
                        text: text.trim().to_string(),
                    }],
                );
            }
        }
        findings.push(finding(
            Code::TunnelUp,
            Severity::Info,
            conf,
            "Tunnel up".to_string(),
            expl,
            ev,
            Vec::new(),
            t,
        ));
    }

    // 6. Audit.
    for a in &t.audits {
        let (mut expl, fixes) = advise(a.code, &base);
        if a.code != Code::WeakCrypto {
            // The code's own explanation describes the failure; the message
            // says what happened instead.
            expl = a.meaning.to_string();
        }
        let lines = if a.count == 1 { "line" } else { "lines" };
        findings.push(finding(
            a.code,
            Severity::Warning,
            0.9,
            format!("{} ({} {lines})", a.title, a.count),
            expl,
            a.evidence.clone(),
            fixes,
            t,
        ));
    }
    findings.sort_by(Finding::rank_cmp);
    Verdict { basis, findings }
}

/// For a drop whose peer the log does not tell: how to find the SA it
/// names on the device.
fn which_sa(detail: &[(String, String)]) -> String {
    let get = |k: &str| detail.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    match (get("conn"), get("spi")) {
        (Some(c), _) if c.bytes().all(|b| b.is_ascii_digit()) => format!(
            " The log names no peer, only the SA's connection id {c}: on the device, `show crypto ipsec sa` gives each SA's `conn id:` under its `current_peer`, and `show crypto engine connection active` lists connection {c} with its address."
        ),
        (_, Some(spi))
            if !spi.is_empty()
                && spi
                    .trim_start_matches("0x")
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit()) =>
        {
            format!(
            " The log names no peer, only SPI {spi}: `show crypto ipsec sa | include peer|spi` on the device shows which peer's SA it is."
        )
        }
        _ => String::new(),
    }
}

/// Whether two tunnels can be the two ends of one: not two devices that
/// both talk to the same peer (a hub's two branches that happen to share
/// an id). Addresses are not compared otherwise: behind NAT, an end's peer
/// is the other end's public address, not the one it logs as its own.
fn may_face(a: &Tunnel, b: &Tunnel) -> bool {
    !matches!((&a.peer, &b.peer), (Some(x), Some(y)) if x == y)
}

/// Builds every finding and tunnel summary.
pub fn conclude(engine: &mut Engine) -> (Vec<TunnelSummary>, Vec<Finding>) {
    engine.merge_orphans();
    let engine = &*engine;
    let mut verdicts: Vec<Verdict> = engine
        .tunnels
        .iter()
        .map(|t| tunnel_verdict(engine, t))
        .collect();

    // Both ends in the input: the end that names the cause explains the one
    // that only saw a symptom. Ends are paired by shared message ids / SPIs.
    let n = engine.tunnels.len();
    for a in 0..n {
        if !matches!(verdicts[a].basis, Basis::Symptom | Basis::Stuck) {
            continue;
        }
        let partner = (0..n).find(|&b| {
            b != a
                && engine.tunnels[b].device != engine.tunnels[a].device
                && verdicts[b].basis == Basis::Explicit
                && may_face(&engine.tunnels[a], &engine.tunnels[b])
                && engine.tunnels[a]
                    .ids
                    .iter()
                    .any(|id| engine.tunnels[b].ids.contains(id))
        });
        if let Some(b) = partner {
            let Some(top) = verdicts[b]
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .cloned()
            else {
                continue;
            };
            let ta = &engine.tunnels[a];
            let mut ev: Vec<Evidence> = verdicts[a]
                .findings
                .first()
                .map(|f| f.evidence.clone())
                .unwrap_or_default();
            push_evidence(&mut ev, top.evidence.clone());
            let other = device_label(engine, &engine.tunnels[b].device, engine.tunnels[b].source);
            let f = finding(
                top.code,
                Severity::Error,
                top.confidence.min(0.9),
                top.title.clone(),
                format!("This end only saw the peer refuse or abandon the exchange; the peer's own log ({other}) names the cause. {}", top.explanation),
                ev,
                top.fixes.clone(),
                ta,
            );
            let rest: Vec<Finding> = verdicts[a]
                .findings
                .iter()
                .filter(|x| {
                    x.severity != Severity::Error
                        || !matches!(verdicts[a].basis, Basis::Symptom | Basis::Stuck)
                })
                .cloned()
                .collect();
            verdicts[a].findings = std::iter::once(f).chain(rest).collect();
        }
    }

    let mut summaries = Vec::new();
    let mut all = Vec::new();
    for (t, v) in engine.tunnels.iter().zip(verdicts) {
        let Some(top) = v.findings.first() else {
            continue;
        };
        summaries.push(summary(engine, t, top));
        all.extend(v.findings);
    }

    // Confirmed fixes from the transcript.
    for cf in &engine.confirmed {
        let mut t = Tunnel::new(cf.device.clone(), 0, cf.peer.clone());
        t.vendor = engine.vendors.get(&cf.device).copied();
        let ctx = Ctx {
            device: cf.device.name().unwrap_or("this device").to_string(),
            vendor: t.vendor,
            peer: cf.peer.clone(),
            ..Ctx::default()
        };
        let (expl, mut fixes) = advise(cf.code, &ctx);
        let cmd = cf
            .evidence
            .first()
            .map(|e| e.text.clone())
            .unwrap_or_default();
        if let Some(f) = fixes.first_mut() {
            f.commands.insert(0, strip_prompt(&cmd).to_string());
            f.why = "this change made the failing test succeed".to_string();
        }
        let f = finding(cf.code, Severity::Error, 0.9, format!("{} (confirmed by the transcript)", cf.code.summary()), format!("The test failed, then `{}` was entered on {} and the same kind of test succeeded. {expl}", strip_prompt(&cmd), ctx.device), cf.evidence.clone(), fixes, &t);
        summaries.push(summary(engine, &t, &f));
        all.push(f);
    }
    for d in &engine.device_issues {
        let t = Tunnel::new(d.device.clone(), 0, None);
        let ctx = Ctx {
            device: d.device.name().unwrap_or("this device").to_string(),
            detail: vec![("acl".to_string(), d.detail.clone())],
            ..Ctx::default()
        };
        let (expl, fixes) = advise(d.code, &ctx);
        let f = finding(
            d.code,
            Severity::Error,
            0.8,
            "Access-list entry with a subnet mask where a wildcard belongs".to_string(),
            expl,
            d.evidence.clone(),
            fixes,
            &t,
        );
        all.push(f);
    }
    for (t, f) in unrouted_peers(engine) {
        summaries.push(summary(engine, &t, &f));
        all.push(f);
    }
    all.sort_by(Finding::rank_cmp);
    summaries.sort_by_key(|s| status_rank(s.status));
    (summaries, all)
}

/// Crypto peers a device has no route to, by the routing table a session
/// showed (complete: `Gateway of last resort is not set`, no default
/// route). IKE never starts, so the debug is silent; a peer the device did
/// negotiate with in the same input is left alone.
fn unrouted_peers(engine: &Engine) -> Vec<(Tunnel, Finding)> {
    let mut out = Vec::new();
    let mut devices: Vec<_> = engine.routing.iter().collect();
    devices.sort_by_key(|(d, _)| d.name().map(str::to_string));
    for (device, r) in devices {
        // Only a device a prompt named: in text without prompts, a table
        // and a configuration may come from two different devices.
        if device.name().is_none() {
            continue;
        }
        let Some(gw) = &r.no_gateway else { continue };
        if r.routes.iter().any(|&(_, len)| len == 0) {
            continue;
        }
        for (peer, peer_ev) in &r.peers {
            let p = peer.to_string();
            let negotiated = engine.tunnels.iter().any(|t| {
                t.device == *device && t.peer.as_deref() == Some(p.as_str()) && !t.steps.is_empty()
            });
            if negotiated || crate::routes::covered(&r.routes, *peer) {
                continue;
            }
            let name = device.name().unwrap_or("this device").to_string();
            let asa = engine.vendors.get(device) == Some(&Vendor::Asa);
            let cmd = if asa {
                format!("route <outside-interface> {p} 255.255.255.255 <next-hop>")
            } else {
                format!("ip route {p} 255.255.255.255 <next-hop>")
            };
            let fixes = vec![ipsec_doctor_model::Fix {
                device: name.clone(),
                why: format!("{name} needs a route to its crypto peer (and to the remote network) through the crypto-map interface"),
                commands: vec![
                    cmd,
                    "! or a default route: ip route 0.0.0.0 0.0.0.0 <next-hop> (ASA: route outside 0.0.0.0 0.0.0.0 <next-hop>)".to_string(),
                    "show ip route".to_string(),
                ],
            }];
            let t = Tunnel::new(device.clone(), r.source, Some(p.clone()));
            let f = finding(
                Code::RouteMissing,
                Severity::Error,
                0.8,
                format!("No route to the crypto peer {p}"),
                format!("The routing table shown for {name} has no route to its crypto peer {p} and no default route (gateway of last resort not set): the first IKE packet cannot be sent, so no negotiation starts and `debug crypto isakmp` stays silent."),
                vec![peer_ev.clone(), gw.clone()],
                fixes,
                &t,
            );
            out.push((t, f));
        }
    }
    out
}

fn status_rank(c: Code) -> u8 {
    match c {
        Code::TunnelUp => 2,
        Code::WeakCrypto => 1,
        _ => 0,
    }
}

fn strip_prompt(cmd: &str) -> &str {
    match crate::transcript::prompt(cmd.trim()) {
        Some(p) => p.rest.trim(),
        None => cmd.trim(),
    }
}

fn summary(engine: &Engine, t: &Tunnel, top: &Finding) -> TunnelSummary {
    let reached = t
        .steps
        .iter()
        .map(|s| s.step)
        .filter(|s| *s != Step::Notify)
        .max_by_key(|s| match s {
            Step::Mm(n) | Step::Am(n) => u32::from(*n),
            Step::Qm(n) => 10 + u32::from(*n),
            Step::Init(n) => 20 + u32::from(*n),
            Step::Auth(n) => 22 + u32::from(*n),
            Step::Child(n) => 24 + u32::from(*n),
            Step::Notify => 0,
        });
    TunnelSummary {
        device: t.device.name().map(str::to_string),
        source: engine
            .sources
            .get(t.source)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        peer: t.peer.clone(),
        local: t.local.clone(),
        platform: t
            .vendor
            .or_else(|| engine.vendors.get(&t.device).copied())
            .map(|v| match v {
                Vendor::Ios => "ios".to_string(),
                Vendor::Asa => "asa".to_string(),
                Vendor::Pix => "pix".to_string(),
            }),
        role: t.initiator.map(|i| {
            if i {
                "initiator".to_string()
            } else {
                "responder".to_string()
            }
        }),
        status: top.code,
        reason: top.title.clone(),
        reached: reached.map(|s| s.label()),
        ladder: t
            .steps
            .iter()
            .map(|s| LadderStep {
                message: s.step.label(),
                direction: if s.sent {
                    "sent".to_string()
                } else {
                    "received".to_string()
                },
                retransmitted: s.resent,
                line: s.line,
                time: s.time.clone(),
            })
            .collect(),
        lines: [if t.lines.0 == u64::MAX { 0 } else { t.lines.0 }, t.lines.1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(k: &str, v: &str) -> Vec<(String, String)> {
        vec![(k.to_string(), v.to_string())]
    }

    #[test]
    fn which_sa_names_only_real_ids() {
        assert!(which_sa(&d("conn", "2999")).contains("connection id 2999"));
        assert!(which_sa(&d("spi", "0x1A2B3C4D")).contains("SPI 0x1A2B3C4D"));
        // Placeholders of documentation templates (`id=#`, `spi=<number>`).
        assert_eq!(which_sa(&d("conn", "#")), "");
        assert_eq!(which_sa(&d("spi", "number")), "");
        assert_eq!(which_sa(&[]), "");
    }
}
