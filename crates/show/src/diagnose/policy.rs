//! What `show crypto isakmp policy`, `show crypto ipsec transform-set` and
//! `show crypto map` tell. On one device: a crypto map applied to no
//! interface, an incomplete entry. Across the two ends of a tunnel: the
//! negotiation replayed with Cisco's matching rules (the simulator's own
//! functions) — ISAKMP policies, transform sets, PFS, mirrored crypto ACLs,
//! and the peer address each end points at.

use super::{evidence, finding, fix, DeviceView, Draft};
use crate::pair::canonical_transform;
use crate::policy::{CryptoMapEntry, IsakmpPolicy};
use crate::{LineRef, ShowOutput};
use ipsec_doctor_model::config::{
    AclEntry, AddrMatch, IkeAuth, IkeEncryption, IkeHash, IkePolicy, Origin, Platform as Os,
};
use ipsec_doctor_model::{Code, Evidence, Finding, Severity};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------
// One device.

/// Crypto maps applied nowhere and entries IOS ignores as incomplete.
pub(crate) fn crypto_maps(v: &DeviceView<'_>, f: &mut Vec<Finding>) {
    // Maps IOS builds itself for tunnel protection (VTI, DMVPN) hold
    // entries without a peer and list their tunnel interface, or none,
    // in their own way: not configured crypto maps.
    let profile_maps: BTreeSet<&str> = v
        .maps
        .iter()
        .filter(|(_, e)| e.ipsec_profile.is_some() || e.profile_instance)
        .map(|(_, e)| e.map.as_str())
        .collect();
    let mut maps_reported = BTreeSet::new();
    for (out, e) in v
        .maps
        .iter()
        .filter(|(_, e)| !profile_maps.contains(e.map.as_str()))
    {
        if e.interfaces_listed && e.interfaces.is_empty() && maps_reported.insert(e.map.as_str()) {
            let refs: Vec<&LineRef> = v
                .maps
                .iter()
                .filter(|(o, x)| std::ptr::eq(*o, *out) && x.map == e.map)
                .flat_map(|(_, x)| x.evidence.iter())
                .filter(|r| matches!(r.what(), "header" | "row"))
                .collect();
            f.push(finding(
                Draft {
                    code: Code::CryptoMapMissing,
                    severity: Severity::Error,
                    confidence: 0.85,
                    title: format!("crypto map {} is applied to no interface", e.map),
                    explanation: format!(
                        "`show crypto map` lists no interface under \"Interfaces using crypto map {}\": \
                         no traffic is encrypted with it, and IKE from its peers finds no crypto map on the \
                         interface they reach.",
                        e.map
                    ),
                },
                v,
                e.peers.first().map(|p| p.as_str()),
                evidence(out, &refs),
                vec![fix(
                    &v.name,
                    "apply the crypto map to the interface that faces the peer",
                    &[
                        "interface <outside-interface>".to_string(),
                        format!(" crypto map {}", e.map),
                    ],
                )],
            ));
        }
    }
    for (out, e) in v
        .maps
        .iter()
        .filter(|(_, e)| !profile_maps.contains(e.map.as_str()))
    {
        let isakmp = e.kind.as_deref().is_none_or(|k| k == "ipsec-isakmp");
        // A dynamic-map template needs no peer or ACL of its own.
        if !isakmp || (e.dynamic_map.is_some() && e.peers.is_empty()) {
            continue;
        }
        let mut missing = Vec::new();
        let mut commands = vec![format!("crypto map {} {} ipsec-isakmp", e.map, e.seq)];
        if e.peers.is_empty() {
            missing.push("a peer");
            commands.push(" set peer <peer-address>".to_string());
        }
        if e.no_acl || (e.incomplete && e.acl.is_none()) {
            missing.push("a crypto ACL");
            commands.push(" match address <crypto-acl>".to_string());
        }
        if e.incomplete && e.transform_sets.is_empty() {
            missing.push("a transform set");
            commands.push(" set transform-set <transform-set>".to_string());
        }
        if missing.is_empty() && !e.incomplete {
            continue;
        }
        let what = if missing.is_empty() {
            "something IOS requires".to_string()
        } else {
            missing.join(" and ")
        };
        let refs: Vec<&LineRef> = e
            .evidence
            .iter()
            .filter(|r| matches!(r.what(), "header" | "status" | "ident" | "peer"))
            .collect();
        f.push(finding(
            Draft {
                code: Code::CryptoMapMissing,
                severity: Severity::Error,
                confidence: 0.8,
                title: format!("crypto map {} {} lacks {what}", e.map, e.seq),
                explanation: format!(
                    "An entry without {what} is incomplete: IOS leaves it out of the crypto map, so its \
                     traffic is neither encrypted nor accepted from the peer."
                ),
            },
            v,
            e.peers.first().map(|p| p.as_str()),
            evidence(out, &refs),
            vec![fix(&v.name, &format!("complete crypto map {} {}", e.map, e.seq), &commands)],
        ));
    }
}

// ---------------------------------------------------------------------------
// Both ends.

/// One crypto map entry with the output it came from.
type Entry<'a> = (&'a ShowOutput, &'a CryptoMapEntry);

/// Evidence from two entries: their header lines and their lines of kind
/// `what`.
fn entry_lines((oa, ea): Entry<'_>, (ob, eb): Entry<'_>, what: &str) -> Vec<Evidence> {
    let refs = |e: &'_ CryptoMapEntry| -> Vec<LineRef> {
        e.evidence
            .iter()
            .filter(|r| r.what() == "header" || r.what() == what)
            .copied()
            .collect()
    };
    let (ra, rb) = (refs(ea), refs(eb));
    let mut ev = evidence(oa, &ra.iter().collect::<Vec<_>>());
    ev.extend(evidence(ob, &rb.iter().collect::<Vec<_>>()));
    ev
}

/// Cross-checks between every pair of devices that show their policies:
/// the findings, and the (device, peer address) pairs whose printed ISAKMP
/// suites are accepted both ways — a phase 1 stuck between those is not a
/// policy mismatch. Each side names the other by the addresses its entry
/// points at and the other device's own addresses.
pub(crate) fn cross_check(views: &[DeviceView<'_>]) -> (Vec<Finding>, BTreeSet<(String, String)>) {
    let mut out = Vec::new();
    let mut agreeing = BTreeSet::new();
    // Only when the input holds exactly two devices with crypto maps may
    // they be taken for each other's peer without other proof.
    let with_maps = views
        .iter()
        .filter(|v| v.maps.iter().any(|(_, e)| is_static(e)))
        .count();
    for i in 0..views.len() {
        for j in (i + 1)..views.len() {
            let (a, b) = (&views[i], &views[j]);
            let pairs = facing_entries(a, b, with_maps == 2);
            if pairs.is_empty() {
                continue;
            }
            let assumed = pairs.iter().all(|p| p.2);
            let peer_of_b = pairs.first().and_then(|p| p.0 .1.peers.first());
            let before = out.len();
            let suites_agree = phase1(a, b, peer_of_b.map(|p| p.as_str()), assumed, &mut out);
            let phase1_found = out.len() > before;
            for (ea, eb, assumed) in &pairs {
                if suites_agree {
                    for p in
                        ea.1.peers
                            .iter()
                            .map(|p| p.as_str())
                            .chain(b.locals.iter().copied())
                    {
                        agreeing.insert((a.name.clone(), p.to_string()));
                    }
                    for p in
                        eb.1.peers
                            .iter()
                            .map(|p| p.as_str())
                            .chain(a.locals.iter().copied())
                    {
                        agreeing.insert((b.name.clone(), p.to_string()));
                    }
                }
                let before = out.len();
                peer_address(a, *ea, b, *assumed, &mut out);
                peer_address(b, *eb, a, *assumed, &mut out);
                transforms(a, *ea, b, *eb, *assumed, &mut out);
                pfs(a, *ea, b, *eb, *assumed, &mut out);
                proxies(a, *ea, b, *eb, *assumed, &mut out);
                if !phase1_found && out.len() == before && !*assumed {
                    agreement(a, *ea, b, *eb, &mut out);
                }
            }
        }
    }
    (super::dedup(out), agreeing)
}

/// A static entry: one that names a peer.
fn is_static(e: &CryptoMapEntry) -> bool {
    !e.peers.is_empty()
}

/// The entries of `a` and `b` that are the two ends of one tunnel. Each
/// entry must be able to point at the other device (it names one of its
/// addresses, or that device's addresses are unknown), and something must
/// tie them: an address, or crypto ACLs that face each other. Entries that
/// name one common peer are two spokes of a hub, never a pair. An entry
/// whose peer is wrong is still paired with the entry that points back at
/// its device when their ACLs face and no other entry of its device points
/// there (so that the wrong peer is reported). When nothing ties any entry
/// and `may_assume`, two devices with one static entry each are taken as
/// each other's peer (the user gave them together), marked `assumed`.
fn facing_entries<'a>(
    a: &DeviceView<'a>,
    b: &DeviceView<'a>,
    may_assume: bool,
) -> Vec<(Entry<'a>, Entry<'a>, bool)> {
    let points = |e: &CryptoMapEntry, d: &DeviceView<'_>| {
        e.peers.iter().any(|p| d.locals.contains(&p.as_str()))
    };
    let statics = |d: &DeviceView<'a>| -> Vec<Entry<'a>> {
        d.maps
            .iter()
            .copied()
            .filter(|(_, e)| is_static(e))
            .collect()
    };
    let (sa, sb) = (statics(a), statics(b));
    let a_points_somewhere = sa.iter().any(|(_, e)| points(e, b));
    let b_points_somewhere = sb.iter().any(|(_, e)| points(e, a));
    let mut v = Vec::new();
    let mut contradicted = false;
    for &(oa, ea) in &sa {
        for &(ob, eb) in &sb {
            let (a_to_b, b_to_a) = (points(ea, b), points(eb, a));
            let same_peer = ea.peers.iter().any(|p| eb.peers.contains(p));
            let ok_ab = a_to_b || b.locals.is_empty();
            let ok_ba = b_to_a || a.locals.is_empty();
            contradicted |= same_peer || !ok_ab || !ok_ba;
            if same_peer {
                continue;
            }
            let faces = acls_face(ea, eb);
            let paired = (ok_ab && ok_ba && (a_to_b || b_to_a || faces))
                || (b_to_a && !a_points_somewhere && faces)
                || (a_to_b && !b_points_somewhere && faces);
            if paired {
                v.push(((oa, ea), (ob, eb), false));
            }
        }
    }
    if v.is_empty() && may_assume && !contradicted {
        let one = |d: &DeviceView<'a>| {
            let mut s = d.maps.iter().filter(|(_, e)| is_static(e));
            match (s.next(), s.next()) {
                (Some(&x), None) => Some(x),
                _ => None,
            }
        };
        if let (Some(x), Some(y)) = (one(a), one(b)) {
            v.push((x, y, true));
        }
    }
    v
}

/// The entry's crypto ACL, when every line of it can be read.
fn acl_of(e: &CryptoMapEntry) -> Option<Vec<AclEntry>> {
    if e.acl_lines.is_empty() {
        return None;
    }
    let mut v = Vec::new();
    for l in &e.acl_lines {
        let origin = Origin {
            line: l.line,
            text: l.entry.to_string(),
        };
        v.extend(ipsec_doctor_config::parse_acl_entry(
            &l.entry,
            Os::Ios,
            origin,
        )?);
    }
    Some(v)
}

/// Whether some flow one entry protects is protected, mirrored, by the other.
fn acls_face(a: &CryptoMapEntry, b: &CryptoMapEntry) -> bool {
    let (Some(la), Some(lb)) = (acl_of(a), acl_of(b)) else {
        return false;
    };
    la.iter().filter(|x| x.permit).any(|x| {
        lb.iter()
            .filter(|y| y.permit)
            .any(|y| x.src.overlaps(&y.dst) && x.dst.overlaps(&y.src))
    })
}

/// How sure a finding is when the two ends were paired only because they
/// were given together.
fn scaled(confidence: f32, assumed: bool) -> f32 {
    if assumed {
        confidence * 0.8
    } else {
        confidence
    }
}

fn assumed_note(a: &DeviceView<'_>, b: &DeviceView<'_>, assumed: bool) -> String {
    if assumed {
        format!(
            " ({} and {} were taken as the two ends of this tunnel: each has one crypto map entry and \
             nothing in their output contradicts it.)",
            a.name, b.name
        )
    } else {
        String::new()
    }
}

/// Two facing entries whose proposals agree: what was compared, and what
/// this output cannot tell.
fn agreement(
    a: &DeviceView<'_>,
    (oa, ea): Entry<'_>,
    b: &DeviceView<'_>,
    (ob, eb): Entry<'_>,
    out: &mut Vec<Finding>,
) {
    let mut compared = Vec::new();
    if suites(a).is_some() && suites(b).is_some() {
        compared.push("ISAKMP policies");
    }
    if offered_sets(a, ea).is_some() && offered_sets(b, eb).is_some() {
        compared.push("transform sets");
    }
    if pfs_group(ea).is_some() && pfs_group(eb).is_some() {
        compared.push("PFS");
    }
    if acl_of(ea).is_some() && acl_of(eb).is_some() {
        compared.push("crypto ACLs");
    }
    // Nothing but the addresses agree: nothing worth saying.
    if compared.len() < 2 {
        return;
    }
    let ev = entry_lines((oa, ea), (ob, eb), "peer");
    out.push(finding(
        Draft {
            code: Code::TunnelUp,
            severity: Severity::Info,
            confidence: 0.5,
            title: format!(
                "crypto map {} {} on {} and {} {} on {} agree",
                ea.map, ea.seq, a.name, eb.map, eb.seq, b.name
            ),
            explanation: format!(
                "The two ends point at each other and their {} match as Cisco negotiates them. Not in this \
                 output: the pre-shared keys, and whether IKE and ESP get through between the peers \
                 (`show crypto isakmp sa`, `show crypto ipsec sa` or `debug crypto isakmp` tell).",
                compared.join(", ")
            ),
        },
        a,
        ea.peers.first().map(|p| p.as_str()),
        ev,
        Vec::new(),
    ));
}

// --- Phase 1 ----------------------------------------------------------------

/// A printed protection suite in the simulator's terms; `None` when an
/// algorithm is not one it knows.
fn resolve(p: &IsakmpPolicy) -> Option<IkePolicy> {
    let enc = p.encryption.as_deref()?.to_ascii_lowercase();
    let encryption = if enc.contains("aes") {
        if enc.contains("256") {
            IkeEncryption::Aes256
        } else if enc.contains("192") {
            IkeEncryption::Aes192
        } else {
            IkeEncryption::Aes128
        }
    } else if enc.contains("triple") || enc.contains("3des") {
        IkeEncryption::TripleDes
    } else if enc.starts_with("des") {
        IkeEncryption::Des
    } else {
        return None;
    };
    let hash = p.hash.as_deref()?.to_ascii_lowercase();
    let hash = if hash.contains("message digest") || hash.contains("md5") {
        IkeHash::Md5
    } else if hash.contains("512") {
        IkeHash::Sha512
    } else if hash.contains("384") {
        IkeHash::Sha384
    } else if hash.contains("256") {
        IkeHash::Sha256
    } else if hash.contains("secure hash") || hash.contains("sha") {
        IkeHash::Sha1
    } else {
        return None;
    };
    let auth = p.auth.as_deref()?.to_ascii_lowercase();
    let auth = if auth.contains("pre-shared") {
        IkeAuth::PreShare
    } else if auth.contains("signature") {
        IkeAuth::RsaSig
    } else if auth.contains("encryption") {
        IkeAuth::RsaEncr
    } else {
        return None;
    };
    Some(IkePolicy {
        priority: p.priority.unwrap_or(65535),
        encryption,
        hash,
        auth,
        group: u8::try_from(p.dh_group?).ok()?,
        lifetime: u32::try_from(p.lifetime.unwrap_or(86400)).unwrap_or(u32::MAX),
        origin: None,
    })
}

/// A device's suites in the order they are offered and tried, when all of
/// them can be read.
fn suites<'a>(v: &DeviceView<'a>) -> Option<Vec<(&'a ShowOutput, &'a IsakmpPolicy, IkePolicy)>> {
    if v.policies.is_empty() {
        return None;
    }
    let mut s = Vec::new();
    for &(o, p) in &v.policies {
        s.push((o, p, resolve(p)?));
    }
    s.sort_by_key(|x| x.2.priority);
    Some(s)
}

/// Whether `init`'s offers find a suite of `resp`'s.
fn accepted(
    init: &[(&ShowOutput, &IsakmpPolicy, IkePolicy)],
    resp: &[(&ShowOutput, &IsakmpPolicy, IkePolicy)],
) -> bool {
    init.iter().any(|o| {
        resp.iter()
            .any(|l| ipsec_doctor_sim::ike_policy_matches(&o.2, &l.2))
    })
}

/// The commands that give `on` a suite equal to `p` (at a priority after
/// its own configured ones).
fn policy_commands(on: &[(&ShowOutput, &IsakmpPolicy, IkePolicy)], p: &IkePolicy) -> Vec<String> {
    let last = on
        .iter()
        .filter(|s| !s.1.default)
        .map(|s| s.2.priority)
        .max()
        .unwrap_or(0);
    let mut p = p.clone();
    p.priority = (last + 10).min(10_000);
    ipsec_doctor_sim::ike_policy_commands(Os::Ios, &p)
}

/// `aes 256 / sha256 / pre-share / group 14 / 86400 s`: the values of the
/// commands that configure it.
fn suite_text(p: &IkePolicy) -> String {
    let values: Vec<String> = ipsec_doctor_sim::ike_policy_commands(Os::Ios, p)
        .iter()
        .skip(1)
        .filter_map(|c| {
            c.trim()
                .split_once(' ')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .map(|(k, v)| match k.as_str() {
            "group" => format!("group {v}"),
            "lifetime" => format!("{v} s"),
            _ => v,
        })
        .collect();
    values.join(" / ")
}

/// The ISAKMP suites of the two ends, each as initiator; whether both
/// ends print suites that are accepted both ways.
fn phase1(
    a: &DeviceView<'_>,
    b: &DeviceView<'_>,
    peer: Option<&str>,
    assumed: bool,
    out: &mut Vec<Finding>,
) -> bool {
    let (Some(sa), Some(sb)) = (suites(a), suites(b)) else {
        return false;
    };
    let a_ok = accepted(&sa, &sb);
    let b_ok = accepted(&sb, &sa);
    if a_ok && b_ok {
        return true;
    }
    let mut refs_a: Vec<&LineRef> = Vec::new();
    let mut ev: Vec<Evidence> = Vec::new();
    if let Some((o, _, _)) = sa.first() {
        for (_, p, _) in sa.iter().filter(|s| std::ptr::eq(s.0, *o)).take(2) {
            refs_a.extend(p.evidence.iter());
        }
        ev.extend(evidence(o, &refs_a));
    }
    if let Some((o, _, _)) = sb.first() {
        let refs: Vec<&LineRef> = sb
            .iter()
            .filter(|s| std::ptr::eq(s.0, *o))
            .take(2)
            .flat_map(|s| s.1.evidence.iter())
            .collect();
        ev.extend(evidence(o, &refs));
    }
    let first = |s: &[(&ShowOutput, &IsakmpPolicy, IkePolicy)]| {
        s.iter()
            .find(|x| !x.1.default)
            .or(s.first())
            .map(|x| x.2.clone())
    };
    let (severity, confidence, title, why, fixes) = if !a_ok && !b_ok {
        let mut fixes = Vec::new();
        if let Some(p) = first(&sa) {
            fixes.push(fix(
                &b.name,
                &format!("accept {}'s preferred ISAKMP policy", a.name),
                &policy_commands(&sb, &p),
            ));
        }
        if let Some(p) = first(&sb) {
            fixes.push(fix(
                &a.name,
                &format!("or accept {}'s preferred ISAKMP policy", b.name),
                &policy_commands(&sa, &p),
            ));
        }
        (
            Severity::Error,
            0.9,
            format!("{} and {} have no ISAKMP policy in common", a.name, b.name),
            format!(
                "No suite of either end has the encryption, hash, authentication and DH group of one of the \
                 other's with a lifetime the responder accepts, so main mode stops at its first exchange \
                 (MM_NO_STATE, \"atts are not acceptable\"). {} offers {}; {} offers {}.",
                a.name,
                list(&sa),
                b.name,
                list(&sb)
            ),
            fixes,
        )
    } else {
        // One way only: suites equal but for the lifetime. Equal lifetimes
        // are right whichever rule a release applies.
        let (init, si, resp, sr) = if a_ok {
            (b, &sb, a, &sa)
        } else {
            (a, &sa, b, &sb)
        };
        let same_but_lifetime = si.iter().find_map(|o| {
            sr.iter()
                .find(|l| {
                    o.2.encryption == l.2.encryption
                        && o.2.hash == l.2.hash
                        && o.2.auth == l.2.auth
                        && o.2.group == l.2.group
                })
                .map(|l| (o, l))
        });
        let mut fixes = Vec::new();
        let mut lifetimes = String::new();
        if let Some((o, l)) = same_but_lifetime {
            lifetimes = format!(
                " {}: {} s, {}: {} s.",
                init.name, o.2.lifetime, resp.name, l.2.lifetime
            );
            for (dev, own, other, why) in [
                (init, o, l, "make the lifetimes equal"),
                (resp, l, o, "or make the lifetimes equal here"),
            ] {
                if let Some(prio) = own.1.priority.filter(|_| !own.1.default) {
                    fixes.push(fix(
                        &dev.name,
                        why,
                        &[
                            format!("crypto isakmp policy {prio}"),
                            format!(" lifetime {}", other.2.lifetime),
                        ],
                    ));
                }
            }
        }
        (
            Severity::Warning,
            0.5,
            format!(
                "ISAKMP lifetimes of {} and {} differ: phase 1 may fail in one direction",
                init.name, resp.name
            ),
            format!(
                "The suites agree but for the lifetime. Cisco documents a lifetime condition for a match \
                 (the shorter lifetime is then used), and releases differ in which end's lifetime must be \
                 the shorter; some accept any. Where it applies, the tunnel comes up only when one of the \
                 two ends starts it, which looks like an intermittent tunnel. Equal lifetimes are right \
                 under every reading.{lifetimes}"
            ),
            fixes,
        )
    };
    out.push(finding(
        Draft {
            code: Code::Phase1PolicyMismatch,
            severity,
            confidence: scaled(confidence, assumed),
            title,
            explanation: format!("{why}{}", assumed_note(a, b, assumed)),
        },
        a,
        peer,
        ev,
        fixes,
    ));
    false
}

fn list(s: &[(&ShowOutput, &IsakmpPolicy, IkePolicy)]) -> String {
    s.iter()
        .map(|x| suite_text(&x.2))
        .collect::<Vec<_>>()
        .join(", ")
}

// --- Peer address ------------------------------------------------------------

/// `a`'s entry must point at one of `b`'s addresses, when `b`'s output
/// tells them.
fn peer_address(
    a: &DeviceView<'_>,
    (oa, ea): Entry<'_>,
    b: &DeviceView<'_>,
    assumed: bool,
    out: &mut Vec<Finding>,
) {
    if b.locals.is_empty() || ea.peers.iter().any(|p| b.locals.contains(&p.as_str())) {
        return;
    }
    let refs: Vec<&LineRef> = ea
        .evidence
        .iter()
        .filter(|r| matches!(r.what(), "header" | "peer"))
        .collect();
    let right = b.locals[0];
    let mut commands = vec![format!("crypto map {} {} ipsec-isakmp", ea.map, ea.seq)];
    commands.extend(ea.peers.iter().map(|p| format!(" no set peer {p}")));
    commands.push(format!(" set peer {right}"));
    out.push(finding(
        Draft {
            code: Code::PeerAddressMismatch,
            severity: Severity::Error,
            confidence: scaled(0.7, assumed),
            title: format!(
                "crypto map {} {} on {} points at {}, not at {}",
                ea.map,
                ea.seq,
                a.name,
                ea.peers
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                b.name
            ),
            explanation: format!(
                "{}'s own output gives its address as {}; {} sends IKE elsewhere and refuses {}'s \
                 proposals for this entry.{}",
                b.name,
                b.locals.join(", "),
                a.name,
                b.name,
                assumed_note(a, b, assumed)
            ),
        },
        a,
        Some(right),
        evidence(oa, &refs),
        vec![fix(
            &a.name,
            &format!("point the entry at {}", b.name),
            &commands,
        )],
    ));
}

// --- Transform sets ----------------------------------------------------------

/// The transforms of each set an entry offers, in one spelling; `None`
/// when some set's transforms are not in the output.
fn offered_sets(v: &DeviceView<'_>, e: &CryptoMapEntry) -> Option<Vec<(String, Vec<String>)>> {
    if e.transform_sets.is_empty() {
        return None;
    }
    let mut sets = Vec::new();
    for s in &e.transform_sets {
        let words: Vec<String> = if s.transforms.is_empty() {
            let (_, t) = v.transform_sets.iter().find(|(_, t)| t.name == s.name)?;
            t.transforms.iter().map(|x| x.to_string()).collect()
        } else {
            s.transforms.iter().map(|x| x.to_string()).collect()
        };
        let canonical = canonical_transform(&words.join(" "));
        if canonical.is_empty() {
            return None;
        }
        sets.push((s.name.to_string(), canonical));
    }
    Some(sets)
}

/// The transforms of a set as IOS configures them.
fn set_commands(v: &DeviceView<'_>, e: &CryptoMapEntry, name: &str) -> Option<String> {
    let words: Vec<String> = match e.transform_sets.iter().find(|s| s.name == name) {
        Some(s) if !s.transforms.is_empty() => s.transforms.iter().map(|x| x.to_string()).collect(),
        _ => v
            .transform_sets
            .iter()
            .find(|(_, t)| t.name == name)?
            .1
            .transforms
            .iter()
            .map(|x| x.to_string())
            .collect(),
    };
    Some(words.join(" "))
}

fn transforms(
    a: &DeviceView<'_>,
    (oa, ea): Entry<'_>,
    b: &DeviceView<'_>,
    (ob, eb): Entry<'_>,
    assumed: bool,
    out: &mut Vec<Finding>,
) {
    let (Some(sa), Some(sb)) = (offered_sets(a, ea), offered_sets(b, eb)) else {
        return;
    };
    if sa.iter().any(|x| sb.iter().any(|y| x.1 == y.1)) {
        return;
    }
    let ev = entry_lines((oa, ea), (ob, eb), "algorithms");
    let mut fixes = Vec::new();
    if let Some((name, _)) = sa.first() {
        if let Some(t) = set_commands(a, ea, name) {
            let mut sets: Vec<String> = eb
                .transform_sets
                .iter()
                .map(|s| s.name.to_string())
                .collect();
            sets.push(name.clone());
            fixes.push(fix(
                &b.name,
                &format!("offer {}'s transform set too", a.name),
                &[
                    format!("crypto ipsec transform-set {name} {t}"),
                    format!("crypto map {} {} ipsec-isakmp", eb.map, eb.seq),
                    format!(" set transform-set {}", sets.join(" ")),
                ],
            ));
        }
    }
    let show = |s: &[(String, Vec<String>)]| {
        s.iter()
            .map(|(n, t)| format!("{n} ({})", t.join(" ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push(finding(
        Draft {
            code: Code::TransformSetMismatch,
            severity: Severity::Error,
            confidence: scaled(0.9, assumed),
            title: format!(
                "crypto map {} {} on {} and {} {} on {} share no transform set",
                ea.map, ea.seq, a.name, eb.map, eb.seq, b.name
            ),
            explanation: format!(
                "Quick mode needs one transform set with the same ESP/AH algorithms on both ends \
                 (\"atts not acceptable\", \"transform proposal not supported\"). {} offers {}; {} offers {}.{}",
                a.name,
                show(&sa),
                b.name,
                show(&sb),
                assumed_note(a, b, assumed)
            ),
        },
        a,
        ea.peers.first().map(|p| p.as_str()),
        ev,
        fixes,
    ));
}

// --- PFS ---------------------------------------------------------------------

/// The PFS group an entry requires (`None`: no PFS); IOS's `set pfs`
/// without a group is group 1.
fn pfs_group(e: &CryptoMapEntry) -> Option<Option<u32>> {
    let on = e.pfs?;
    if !on {
        return Some(None);
    }
    let g = e
        .pfs_group
        .as_deref()
        .map(|g| g.trim_start_matches(|c: char| !c.is_ascii_digit()))
        .and_then(|d| d.parse().ok())
        .unwrap_or(1);
    Some(Some(g))
}

fn pfs(
    a: &DeviceView<'_>,
    (oa, ea): Entry<'_>,
    b: &DeviceView<'_>,
    (ob, eb): Entry<'_>,
    assumed: bool,
    out: &mut Vec<Finding>,
) {
    let (Some(ga), Some(gb)) = (pfs_group(ea), pfs_group(eb)) else {
        return;
    };
    // A responder that sets PFS needs the initiator to offer its group; one
    // that sets none accepts whatever is offered.
    let refused = |init: Option<u32>, resp: Option<u32>| resp.is_some() && init != resp;
    let a_fails = refused(ga, gb);
    let b_fails = refused(gb, ga);
    if !a_fails && !b_fails {
        return;
    }
    let text = |g: Option<u32>| g.map_or("no PFS".to_string(), |g| format!("PFS group {g}"));
    let ev = entry_lines((oa, ea), (ob, eb), "state");
    // Make the end without PFS (or, with two groups, `b`) use the other's.
    let (fix_on, fix_entry, group) = match (ga, gb) {
        (None, Some(g)) => (a, ea, g),
        (Some(g), _) => (b, eb, g),
        (None, None) => return,
    };
    let fixes = vec![fix(
        &fix_on.name,
        "require the same PFS group on both ends",
        &[
            format!(
                "crypto map {} {} ipsec-isakmp",
                fix_entry.map, fix_entry.seq
            ),
            format!(" set pfs group{group}"),
        ],
    )];
    let (severity, title) = if a_fails && b_fails {
        (
            Severity::Error,
            format!("{} and {} require different PFS groups", a.name, b.name),
        )
    } else {
        let init = if a_fails { a } else { b };
        (
            Severity::Warning,
            format!("quick mode fails when {} initiates (PFS)", init.name),
        )
    };
    out.push(finding(
        Draft {
            code: Code::PfsMismatch,
            severity,
            confidence: scaled(0.85, assumed),
            title,
            explanation: format!(
                "{} uses {}, {} uses {}. A responder that requires PFS refuses a proposal without its \
                 group (\"PROPOSAL_NOT_CHOSEN\", phase 2 deleted); one without PFS accepts any.{}",
                a.name,
                text(ga),
                b.name,
                text(gb),
                assumed_note(a, b, assumed)
            ),
        },
        a,
        ea.peers.first().map(|p| p.as_str()),
        ev,
        fixes,
    ));
}

// --- Proxy identities --------------------------------------------------------

/// An address as an IOS ACL operand.
fn operand(m: &AddrMatch) -> String {
    if *m == AddrMatch::ANY {
        "any".to_string()
    } else if m.wildcard.is_unspecified() {
        format!("host {}", m.addr)
    } else {
        format!("{} {}", m.addr, m.wildcard)
    }
}

/// An ACL entry as IOS prints it.
fn entry_text(p: &AclEntry) -> String {
    let proto = p.protocol.map_or("ip".to_string(), |n| match n {
        6 => "tcp".to_string(),
        17 => "udp".to_string(),
        1 => "icmp".to_string(),
        47 => "gre".to_string(),
        50 => "esp".to_string(),
        n => n.to_string(),
    });
    format!(
        "{} {proto} {} {}",
        if p.permit { "permit" } else { "deny" },
        operand(&p.src),
        operand(&p.dst)
    )
}

/// The flows of `init`'s ACL that `resp`'s ACL, mirrored, refuses.
fn refused_flows<'e>(init: &'e [AclEntry], resp: &[AclEntry]) -> Vec<&'e AclEntry> {
    init.iter()
        .filter(|p| p.permit && !ipsec_doctor_sim::acl_accepts(resp, p))
        .collect()
}

/// The commands that make `acl` accept `missing` (mirrored) and drop the
/// lines listed in `drop` (the IOS ACL editor works on numbered lists too).
fn mirror_commands(acl: &str, missing: &[&AclEntry], drop: &[&AclEntry]) -> Vec<String> {
    let mut commands = vec![format!("ip access-list extended {acl}")];
    commands.extend(drop.iter().map(|p| format!(" no {}", entry_text(p))));
    for p in missing {
        let m = ipsec_doctor_sim::mirror(p);
        commands.push(format!(" {}", entry_text(&m)));
    }
    commands
}

fn flows_text(v: &[&AclEntry]) -> String {
    v.iter()
        .map(|p| format!("{} → {}", operand(&p.src), operand(&p.dst)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The crypto ACLs of two facing entries, each end as initiator.
fn proxies(
    a: &DeviceView<'_>,
    (oa, ea): Entry<'_>,
    b: &DeviceView<'_>,
    (ob, eb): Entry<'_>,
    assumed: bool,
    out: &mut Vec<Finding>,
) {
    let (Some(la), Some(lb)) = (acl_of(ea), acl_of(eb)) else {
        return;
    };
    let a_refused = refused_flows(&la, &lb);
    let b_refused = refused_flows(&lb, &la);
    if a_refused.is_empty() && b_refused.is_empty() {
        return;
    }
    let refs = |e: &'_ CryptoMapEntry, refused: &[&AclEntry]| -> Vec<LineRef> {
        let lines: BTreeSet<u64> = refused.iter().map(|p| p.origin.line).collect();
        e.evidence
            .iter()
            .filter(|r| {
                r.what() == "header"
                    || (r.what() == "ident" && (refused.is_empty() || lines.contains(&r.line())))
            })
            .copied()
            .collect()
    };
    let (ra, rb) = (refs(ea, &a_refused), refs(eb, &b_refused));
    let mut ev = evidence(oa, &ra.iter().collect::<Vec<_>>());
    ev.extend(evidence(ob, &rb.iter().collect::<Vec<_>>()));
    let acl_a = ea.acl.as_deref().unwrap_or("<crypto-acl>");
    let acl_b = eb.acl.as_deref().unwrap_or("<crypto-acl>");
    let why = "(\"proxy identities not supported\", ASA \"no matching crypto map entry\")";
    let (device, peer, title, explanation, fixes) = match (a_refused.is_empty(), b_refused.is_empty()) {
        // One direction: the refusing end lacks the mirror of some lines.
        (false, true) | (true, false) => {
            let (init, ei, li, refused, resp, er, lr, acl, init_acl) = if b_refused.is_empty() {
                (a, ea, &la, &a_refused, b, eb, &lb, acl_b, acl_a)
            } else {
                (b, eb, &lb, &b_refused, a, ea, &la, acl_a, acl_b)
            };
            let flows = flows_text(refused);
            // Or the initiator proposes only what the responder protects:
            // its refused lines out, the responder's lines mirrored in
            // (those it does not have already).
            let missing_mirrors: Vec<&AclEntry> = lr
                .iter()
                .filter(|r| r.permit)
                .filter(|r| {
                    let m = ipsec_doctor_sim::mirror(r);
                    !li.iter().any(|l| {
                        l.permit
                            && l.protocol == m.protocol
                            && l.src == m.src
                            && l.dst == m.dst
                            && l.src_port == m.src_port
                            && l.dst_port == m.dst_port
                    })
                })
                .collect();
            (
                resp,
                er.peers.first().map(|p| p.as_str()),
                format!("{} refuses {}'s proxy identities ({flows})", resp.name, init.name),
                format!(
                    "{} proposes {flows} (crypto map {} {}); {}'s crypto ACL {acl} read mirrored does not \
                     cover it, so quick mode fails when {} initiates {why}.",
                    init.name, ei.map, ei.seq, resp.name, init.name
                ),
                vec![
                    fix(
                        &resp.name,
                        &format!("mirror {}'s crypto ACL", init.name),
                        &mirror_commands(acl, refused, &[]),
                    ),
                    fix(
                        &init.name,
                        &format!("or propose only what {} protects", resp.name),
                        &mirror_commands(init_acl, &missing_mirrors, refused),
                    ),
                ],
            )
        }
        // Both directions: the two lists differ; either end can be made
        // the other's mirror image.
        _ => (
            b,
            eb.peers.first().map(|p| p.as_str()),
            format!("the crypto ACLs of {} and {} are not mirror images", a.name, b.name),
            format!(
                "{} protects {}, {} protects {}: each end refuses what the other proposes, so quick mode \
                 fails whichever end initiates {why}.",
                a.name,
                flows_text(&la.iter().filter(|p| p.permit).collect::<Vec<_>>()),
                b.name,
                flows_text(&lb.iter().filter(|p| p.permit).collect::<Vec<_>>()),
            ),
            vec![
                fix(
                    &b.name,
                    &format!("make ACL {acl_b} the mirror image of {}'s", a.name),
                    &mirror_commands(acl_b, &a_refused, &b_refused),
                ),
                fix(
                    &a.name,
                    &format!("or make ACL {acl_a} the mirror image of {}'s", b.name),
                    &mirror_commands(acl_a, &b_refused, &a_refused),
                ),
            ],
        ),
    };
    out.push(finding(
        Draft {
            code: Code::ProxyIdMismatch,
            severity: Severity::Error,
            confidence: scaled(0.85, assumed),
            title,
            explanation: format!("{explanation}{}", assumed_note(a, b, assumed)),
        },
        device,
        peer,
        ev,
        fixes,
    ));
}
