//! Both ends: pairs the IPsec SA blocks of two devices and cross-checks
//! them — one side's outbound SPI is the other's inbound SPI, identities
//! are mirrored, transforms are equal, and what one side encrypted the
//! other decrypted.

use crate::diagnose::{
    block_refs, dedup, evidence, finding, fix, invalid_spi_fixes, nat_exemption, platform_fixes,
    DeviceView, Draft, Platform,
};
use crate::ipsec_sa::{Ident, IpsecSaBlock, SaProtocol};
use crate::ShowOutput;
use ipsec_doctor_model::{Code, Evidence, Finding, Severity};

/// Inbound / outbound ESP and AH SPIs of a block.
fn spis(b: &IpsecSaBlock, outbound: bool) -> Vec<u32> {
    let set = if outbound { &b.outbound } else { &b.inbound };
    set.esp
        .iter()
        .chain(set.ah.iter())
        .filter_map(|s| s.spi)
        .collect()
}

/// Whether a block says anything about its SAs: `show crypto ipsec sa
/// identity` (and `| include` excerpts) print the identities alone, which
/// must not read as "this end has no SA".
fn shows_sas(b: &IpsecSaBlock) -> bool {
    !b.inbound.is_empty()
        || !b.outbound.is_empty()
        || b.current_outbound_spi.is_some()
        || b.counters != crate::counters::Counters::default()
}

/// Whether two blocks are the two ends of one SA pair.
fn same_tunnel(a: &IpsecSaBlock, b: &IpsecSaBlock) -> bool {
    // A `show crypto ipsec sa address` block is one destination's SAs, of
    // every peer and no known direction: not one end of a tunnel
    // (`address_spi_check` compares it).
    if a.dest_address.is_some() || b.dest_address.is_some() {
        return false;
    }
    if !shows_sas(a) || !shows_sas(b) {
        return false;
    }
    if shares_spi(a, b) {
        return true;
    }
    let ends = matches!((a.local(), a.peer(), b.local(), b.peer()),
        (Some(al), Some(ap), Some(bl), Some(bp)) if al == bp && ap == bl);
    ends && mirrored(a, b)
}

fn same_ident(x: Option<&Ident>, y: Option<&Ident>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => {
            x.addr == y.addr && x.mask == y.mask && x.prot == y.prot && x.port == y.port
        }
        _ => true,
    }
}

fn mirrored(a: &IpsecSaBlock, b: &IpsecSaBlock) -> bool {
    same_ident(a.local_ident.as_ref(), b.remote_ident.as_ref())
        && same_ident(a.remote_ident.as_ref(), b.local_ident.as_ref())
}

/// A transform in one spelling for every platform: IOS prints
/// `esp-256-aes esp-sha256-hmac ,` (older trains `esp-aes 256`), the ASA
/// `esp-aes-256 esp-sha-256-hmac no compression`; GCM is `esp-gcm 256` on
/// IOS and `esp-aes-gcm-256 esp-null-hmac` on the ASA. Key sizes printed as
/// a word of their own are joined to their cipher, `esp-null-hmac` and
/// `esp-none` (no integrity) are dropped, the rest is sorted.
pub(crate) fn canonical_transform(t: &str) -> Vec<String> {
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut v: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if !(w.starts_with("esp-") || w.starts_with("ah-") || w.starts_with("comp-")) {
            continue;
        }
        // `esp-aes 256`, `esp-gcm 256`: the key size follows as a word.
        let mut bits = None;
        if let Some(next) = words.get(i) {
            if matches!(next.as_str(), "128" | "192" | "256") {
                bits = Some(next.clone());
                i += 1;
            }
        }
        if let Some(c) = canonical_word(w, bits.as_deref()) {
            v.push(c);
        }
    }
    v.sort();
    v.dedup();
    v
}

/// One transform word in its canonical spelling; `None` for words that
/// say "no integrity".
fn canonical_word(w: &str, bits: Option<&str>) -> Option<String> {
    if matches!(w, "esp-null-hmac" | "esp-none") {
        return None;
    }
    if w == "esp-sha1-hmac" {
        return Some("esp-sha-hmac".into());
    }
    // Ciphers with a key size: `esp-aes`, `esp-256-aes`, `esp-aes-256`,
    // `esp-gcm`, `esp-256-gcm`, `esp-aes-gcm-256`, `esp-gmac`, …
    if let Some(body) = w.strip_prefix("esp-") {
        let parts: Vec<&str> = body.split('-').collect();
        let size = parts
            .iter()
            .copied()
            .find(|p| matches!(*p, "128" | "192" | "256"))
            .or(bits);
        let rest: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| !matches!(*p, "128" | "192" | "256"))
            .collect();
        let cipher = match rest.as_slice() {
            ["aes"] => Some("aes"),
            ["gcm"] | ["aes", "gcm"] => Some("aes-gcm"),
            ["gmac"] | ["aes", "gmac"] => Some("aes-gmac"),
            _ => None,
        };
        if let Some(cipher) = cipher {
            return Some(format!("esp-{cipher}-{}", size.unwrap_or("128")));
        }
    }
    // Integrity: `esp-sha256-hmac` (IOS) is `esp-sha-256-hmac` (ASA).
    for size in ["256", "384", "512"] {
        for proto in ["esp", "ah"] {
            if w == format!("{proto}-sha-{size}-hmac") {
                return Some(format!("{proto}-sha{size}-hmac"));
            }
        }
    }
    Some(w.to_string())
}

fn ev(o: &ShowOutput, b: &IpsecSaBlock, kinds: &[&str]) -> Vec<Evidence> {
    evidence(o, &block_refs(o, b, kinds))
}

/// The lines of an IKEv2 SA that name it and its child SPIs.
fn ikev2_rows(o: &ShowOutput, sa: &crate::Ikev2Sa) -> Vec<Evidence> {
    let refs: Vec<_> = sa
        .evidence
        .iter()
        .filter(|r| r.what() == "spi" || r.what() == "row")
        .collect();
    evidence(o, &refs)
}

/// The fixes for SAs `va` sends with and `vb` (at `peer`) does not have:
/// clear them on `va`, and, where `vb`'s platform is unknown, confirm the
/// drops there.
fn spi_fixes(va: &DeviceView<'_>, vb: &DeviceView<'_>, peer: &str) -> Vec<ipsec_doctor_model::Fix> {
    let mut fixes = invalid_spi_fixes(&va.name, va.platform, peer);
    if vb.platform == Platform::Unknown {
        fixes.push(fix(
            &vb.name,
            "confirm the drops",
            &["show crypto ipsec sa".into()],
        ));
    }
    fixes
}

/// Cross-checks between every pair of devices.
pub(crate) fn cross_check(views: &[DeviceView<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in 0..views.len() {
        for j in (i + 1)..views.len() {
            check_pair(&views[i], &views[j], &mut out);
        }
    }
    dedup(out)
}

fn check_pair(va: &DeviceView<'_>, vb: &DeviceView<'_>, out: &mut Vec<Finding>) {
    child_spi_check(va, vb, out);
    child_spi_check(vb, va, out);
    address_spi_check(va, vb, out);
    address_spi_check(vb, va, out);
    for (oa, a) in &va.ipsec {
        for (ob, b) in &vb.ipsec {
            if !same_tunnel(a, b) {
                continue;
            }
            let mut bad = false;
            bad |= spi_check(va, oa, a, vb, ob, b, out);
            bad |= spi_check(vb, ob, b, va, oa, a, out);
            if !mirrored(a, b) {
                bad = true;
                let txt = |x: Option<&Ident>| {
                    x.map(|i| format!("{}/{}", i.addr, i.mask))
                        .unwrap_or_default()
                };
                let mut e = ev(oa, a, &["ident"]);
                e.extend(ev(ob, b, &["ident"]));
                out.push(finding(
                    Draft {
                        code: Code::ProxyIdMismatch,
                        severity: Severity::Error,
                        confidence: 0.65,
                        title: format!("{} and {} protect different traffic", va.name, vb.name),
                        explanation: format!(
                            "{} protects {} → {}, {} protects {} → {}: the crypto ACLs are not mirror images, so some \
                             traffic is encrypted by one end and dropped by the other.",
                            va.name,
                            txt(a.local_ident.as_ref()),
                            txt(a.remote_ident.as_ref()),
                            vb.name,
                            txt(b.local_ident.as_ref()),
                            txt(b.remote_ident.as_ref())
                        ),
                    },
                    va,
                    Some(&vb.name),
                    e,
                    vec![
                        fix(&va.name, "make the crypto ACLs mirror images", &["show access-lists".into()]),
                        fix(&vb.name, "make the crypto ACLs mirror images", &["show access-lists".into()]),
                    ],
                ));
            }
            bad |= transform_check(va, oa, a, vb, ob, b, out);
            bad |= counter_check(va, oa, a, vb, ob, b, out);
            bad |= counter_check(vb, ob, b, va, oa, a, out);
            bad |= return_path_check(va, oa, a, vb, ob, b, out);
            bad |= return_path_check(vb, ob, b, va, oa, a, out);
            if !bad {
                let mut e = ev(oa, a, &["counters"]);
                e.extend(ev(ob, b, &["counters"]));
                out.push(finding(
                    Draft {
                        code: Code::TunnelUp,
                        severity: Severity::Info,
                        confidence: 0.95,
                        title: format!("{} and {} agree on the tunnel", va.name, vb.name),
                        explanation: "SPIs, identities and transforms match on both ends and the counters agree."
                            .into(),
                    },
                    va,
                    Some(&vb.name),
                    e,
                    Vec::new(),
                ));
            }
        }
    }
}

/// IKEv2 child SAs: every SPI `va` sends with on an SA to `vb` must be an
/// inbound SPI of `vb` (its own child SAs, or its `show crypto ipsec sa`
/// blocks) when `vb` shows the SA from its side.
fn child_spi_check(va: &DeviceView<'_>, vb: &DeviceView<'_>, out: &mut Vec<Finding>) {
    for (oa, a) in &va.ikev2 {
        let (Some(al), Some(ar)) = (a.local.as_deref(), a.remote.as_deref()) else {
            continue;
        };
        // `vb`'s view of the same tunnel: IKEv2 SAs and IPsec blocks with
        // the ends swapped.
        let b_sas: Vec<_> = vb
            .ikev2
            .iter()
            .filter(|(_, b)| b.local.as_deref() == Some(ar) && b.remote.as_deref() == Some(al))
            .collect();
        let b_blocks: Vec<_> = vb
            .ipsec
            .iter()
            .filter(|(_, b)| b.local() == Some(ar) && b.peer() == Some(al))
            .collect();
        let mut b_in: Vec<u32> = b_sas
            .iter()
            .flat_map(|(_, b)| b.children.iter().filter_map(|c| c.spi_in))
            .collect();
        b_in.extend(b_blocks.iter().flat_map(|(_, b)| spis(b, false)));
        // `show crypto ipsec sa address` of `vb`: what it lists under its
        // own address `ar` is what it receives on. Only when `ar` is known
        // to be `vb`'s: another device may list `ar` as its peer (a hub).
        let b_dest: Vec<_> = if vb.locals.contains(&ar) && !va.locals.contains(&ar) {
            address_blocks(vb, ar).collect()
        } else {
            Vec::new()
        };
        b_in.extend(b_dest.iter().flat_map(|(_, b)| undirected_spis(b)));
        if b_in.is_empty() {
            // Nothing to compare with (the other end shows no SPI).
            continue;
        }
        for c in &a.children {
            let (Some(spi), Some(hex)) = (c.spi_out, c.spi_out_hex.as_deref()) else {
                continue;
            };
            if b_in.contains(&spi) {
                continue;
            }
            let mut e = ikev2_rows(oa, a);
            for (ob, b) in &b_sas {
                e.extend(ikev2_rows(ob, b));
            }
            for (ob, b) in b_blocks.iter().chain(&b_dest) {
                e.extend(ev(ob, b, &["header", "peer"]));
            }
            let mut have: Vec<String> = b_in.iter().map(|s| format!("0x{s:08X}")).collect();
            have.dedup();
            out.push(finding(
                Draft {
                    code: Code::InvalidSpi,
                    severity: Severity::Error,
                    confidence: 0.7,
                    title: format!(
                        "{} sends with child SA SPI {hex} that {} does not have",
                        va.name, vb.name
                    ),
                    explanation: format!(
                        "{}'s IKEv2 child SA with {ar} sends with SPI {hex}; {} has no inbound SA with it (its \
                         inbound SPIs: {}). {} drops these packets as invalid SPI: one end deleted or re-keyed \
                         the child SA and the other did not notice.",
                        va.name,
                        vb.name,
                        have.join(", "),
                        vb.name
                    ),
                },
                va,
                Some(&vb.name),
                e,
                invalid_spi_fixes(&va.name, va.platform, ar),
            ));
        }
    }
}

/// `v`'s `show crypto ipsec sa address` blocks for destination `dest`.
fn address_blocks<'v, 'a>(
    v: &'v DeviceView<'a>,
    dest: &'v str,
) -> impl Iterator<Item = &'v (&'a ShowOutput, &'a IpsecSaBlock)> + 'v {
    v.ipsec
        .iter()
        .filter(move |(_, b)| b.dest_address.as_deref() == Some(dest))
}

/// The ESP and AH SAs a `show crypto ipsec sa address` block lists.
fn undirected_sas(b: &IpsecSaBlock) -> impl Iterator<Item = &crate::Sa> {
    b.undirected
        .iter()
        .filter(|s| matches!(s.protocol, SaProtocol::Esp | SaProtocol::Ah))
}

/// Their SPIs.
fn undirected_spis(b: &IpsecSaBlock) -> impl Iterator<Item = u32> + '_ {
    undirected_sas(b).filter_map(|s| s.spi)
}

/// `show crypto ipsec sa address` on either end. An SA is known by its
/// destination, protocol and SPI: it is outbound on the device that sends
/// to the destination and inbound on the device that owns it, so where
/// `vb` is known to own `dest` (its crypto endpoints and IKE local
/// addresses) and `va` is not, every SPI `va` has towards `dest` must be
/// one `vb` receives on there. Without that knowledge nothing is compared:
/// two devices that both list a destination may both send to it (two
/// spokes of one hub), and their SPIs then differ rightly.
fn address_spi_check(va: &DeviceView<'_>, vb: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let has_address = |v: &DeviceView<'_>| v.ipsec.iter().any(|(_, b)| b.dest_address.is_some());
    if !has_address(va) && !has_address(vb) {
        // The usual case: the plain layout on both ends (`spi_check`).
        return;
    }
    for (oa, a) in &va.ipsec {
        // What `va` sends towards `dest`: an address block's SAs, or a
        // plain block's outbound SAs to that peer.
        let (dest, sent): (&str, Vec<&crate::Sa>) = match a.dest_address.as_deref() {
            Some(d) => (d, undirected_sas(a).collect()),
            None => match a.peer() {
                Some(p) => (
                    p,
                    a.outbound.esp.iter().chain(a.outbound.ah.iter()).collect(),
                ),
                None => continue,
            },
        };
        if sent.is_empty() || !vb.locals.contains(&dest) || va.locals.contains(&dest) {
            continue;
        }
        let b_dest: Vec<_> = address_blocks(vb, dest).collect();
        // Two plain blocks are compared by `spi_check`.
        if a.dest_address.is_none() && b_dest.is_empty() {
            continue;
        }
        // What `vb` receives on at `dest`: its address blocks, its plain
        // blocks' inbound SAs there, its IKEv2 child SAs there.
        let mut b_in: Vec<u32> = b_dest
            .iter()
            .flat_map(|(_, b)| undirected_spis(b))
            .collect();
        b_in.extend(
            vb.ipsec
                .iter()
                .filter(|(_, b)| b.dest_address.is_none() && b.local() == Some(dest))
                .flat_map(|(_, b)| spis(b, false)),
        );
        b_in.extend(
            vb.ikev2
                .iter()
                .filter(|(_, s)| s.local.as_deref() == Some(dest))
                .flat_map(|(_, s)| s.children.iter().filter_map(|c| c.spi_in)),
        );
        if b_in.is_empty() {
            // `vb` shows nothing it receives there: nothing to compare.
            continue;
        }
        for sa in sent {
            let Some(spi) = sa.spi else { continue };
            if b_in.contains(&spi) {
                continue;
            }
            let mut refs: Vec<_> = sa.spi_line.iter().collect();
            refs.extend(block_refs(oa, a, &["header"]));
            let mut e = evidence(oa, &refs);
            for (ob, b) in &b_dest {
                e.extend(ev(ob, b, &["header"]));
            }
            let mut have: Vec<String> = b_in.iter().map(|s| format!("0x{s:08X}")).collect();
            have.sort();
            have.dedup();
            let fixes = spi_fixes(va, vb, dest);
            out.push(finding(
                Draft {
                    code: Code::InvalidSpi,
                    severity: Severity::Error,
                    confidence: 0.7,
                    title: format!(
                        "{} sends with SPI {} that {} does not have",
                        va.name, sa.spi_hex, vb.name
                    ),
                    explanation: format!(
                        "{} has SA {} towards {dest}, {}'s address, so it sends with it; {} has no SA with that \
                         SPI at {dest} (its SPIs there: {}). {} drops these packets as invalid SPI \
                         (%CRYPTO-4-RECVD_PKT_INV_SPI, %ASA-4-402114): one end cleared or re-keyed its SAs and \
                         the other did not notice.",
                        va.name,
                        sa.spi_hex,
                        vb.name,
                        vb.name,
                        have.join(", "),
                        vb.name
                    ),
                },
                va,
                Some(&vb.name),
                e,
                fixes,
            ));
        }
    }
}

/// Every SPI `a` sends with must be one `b` receives on.
fn spi_check(
    va: &DeviceView<'_>,
    oa: &ShowOutput,
    a: &IpsecSaBlock,
    vb: &DeviceView<'_>,
    ob: &ShowOutput,
    b: &IpsecSaBlock,
    out: &mut Vec<Finding>,
) -> bool {
    let b_in = spis(b, false);
    let mut bad = false;
    for sa in a.outbound.esp.iter().chain(a.outbound.ah.iter()) {
        let Some(spi) = sa.spi else { continue };
        if b_in.contains(&spi) {
            continue;
        }
        bad = true;
        let mut e = evidence(oa, &sa.spi_line.iter().collect::<Vec<_>>());
        e.extend(ev(ob, b, &["header", "peer"]));
        let have: Vec<String> = b
            .inbound
            .esp
            .iter()
            .map(|s| s.spi_hex.to_string())
            .collect();
        let fixes = spi_fixes(va, vb, a.peer().unwrap_or(&vb.name));
        out.push(finding(
            Draft {
                code: Code::InvalidSpi,
                severity: Severity::Error,
                confidence: 0.7,
                title: format!(
                    "{} sends with SPI {} that {} does not have",
                    va.name, sa.spi_hex, vb.name
                ),
                explanation: format!(
                    "{}'s outbound SA {} has no inbound counterpart on {} (its inbound SPIs: {}). {} drops these packets \
                     as invalid SPI (%CRYPTO-4-RECVD_PKT_INV_SPI, %ASA-4-402114): one end cleared or re-keyed its SAs \
                     and the other did not notice.",
                    va.name,
                    sa.spi_hex,
                    vb.name,
                    if have.is_empty() { "none".into() } else { have.join(", ") },
                    vb.name
                ),
            },
            va,
            Some(&vb.name),
            e,
            fixes,
        ));
    }
    bad
}

fn transform_check(
    va: &DeviceView<'_>,
    oa: &ShowOutput,
    a: &IpsecSaBlock,
    vb: &DeviceView<'_>,
    ob: &ShowOutput,
    b: &IpsecSaBlock,
    out: &mut Vec<Finding>,
) -> bool {
    let (Some(ta), Some(tb)) = (a.transform(), b.transform()) else {
        return false;
    };
    if canonical_transform(ta) == canonical_transform(tb) {
        return false;
    }
    // One SA is negotiated once, with one transform for both ends: when
    // the blocks share an SPI, a difference is only a spelling this
    // check does not know, not a mismatch.
    if shares_spi(a, b) {
        return false;
    }
    let mut e = Vec::new();
    if let Some(sa) = a.outbound.all().next() {
        e.extend(evidence(oa, &sa.spi_line.iter().collect::<Vec<_>>()));
    }
    if let Some(sa) = b.outbound.all().next() {
        e.extend(evidence(ob, &sa.spi_line.iter().collect::<Vec<_>>()));
    }
    out.push(finding(
        Draft {
            code: Code::TransformSetMismatch,
            severity: Severity::Warning,
            confidence: 0.5,
            title: format!("{} uses `{ta}`, {} uses `{tb}`", va.name, vb.name),
            explanation: "The two ends report different transforms for the same tunnel.".into(),
        },
        va,
        Some(&vb.name),
        e,
        vec![
            fix(
                &va.name,
                "use one transform set on both ends",
                &["show crypto ipsec transform-set".into()],
            ),
            fix(
                &vb.name,
                "use one transform set on both ends",
                &["show crypto ipsec transform-set".into()],
            ),
        ],
    ));
    true
}

/// Whether `a` sends with an SPI `b` receives on, or the reverse.
fn shares_spi(a: &IpsecSaBlock, b: &IpsecSaBlock) -> bool {
    let (a_out, a_in) = (spis(a, true), spis(a, false));
    spis(b, false).iter().any(|x| a_out.contains(x))
        || spis(b, true).iter().any(|x| a_in.contains(x))
}

/// Both ends' counters place a one-way fault: what `a` encrypted reached
/// `b` and was decrypted there, and `b` sent nothing back. Then the path
/// and the SA work from `a` to `b`, and the replies are lost on `b`
/// (NAT before encryption, a route away from the crypto-map interface, or
/// hosts behind `b` that do not answer) — not on `a`, and not in between.
fn return_path_check(
    va: &DeviceView<'_>,
    oa: &ShowOutput,
    a: &IpsecSaBlock,
    vb: &DeviceView<'_>,
    ob: &ShowOutput,
    b: &IpsecSaBlock,
    out: &mut Vec<Finding>,
) -> bool {
    let (ca, cb) = (&a.counters, &b.counters);
    let (Some(sent), Some(arrived), Some(back)) = (ca.encaps, cb.decaps, cb.encaps) else {
        return false;
    };
    // Counters are read at different moments: most of it must have arrived.
    if sent == 0 || back != 0 || ca.decaps.unwrap_or(0) != 0 || arrived < sent / 2 {
        return false;
    }
    let mut e = ev(oa, a, &["counters"]);
    e.extend(ev(ob, b, &["counters"]));
    let ident = |i: Option<&Ident>| i.map(|i| format!("{}/{}", i.addr, i.mask));
    let theirs = ident(b.remote_ident.as_ref()).unwrap_or_else(|| format!("{}'s network", va.name));
    let ours = ident(b.local_ident.as_ref()).unwrap_or_else(|| format!("{}'s network", vb.name));
    let peer = b.peer().unwrap_or(&va.name).to_string();
    let mut fixes = match (&b.local_ident, &b.remote_ident) {
        (Some(l), Some(r)) => {
            let mut f = platform_fixes(
                &vb.name,
                vb.platform,
                "find where the replies leave: route, NAT, then the crypto map",
                vec![
                    format!("show ip route {}", r.addr),
                    format!("show ip nat translations | include {}", l.addr),
                ],
                vec![
                    format!("show route {}", r.addr),
                    format!("show nat {} {} detail", l.addr, l.mask),
                    format!(
                        "packet-tracer input inside icmp <host-in-{}> 8 0 <host-in-{}> detailed",
                        l.addr, r.addr
                    ),
                ],
            );
            let (nat_ios, nat_asa) = nat_exemption(l, r);
            f.extend(platform_fixes(
                &vb.name,
                vb.platform,
                "if the replies are translated: exempt the VPN traffic from NAT",
                nat_ios,
                nat_asa,
            ));
            f
        }
        _ => platform_fixes(
            &vb.name,
            vb.platform,
            "find where the replies leave: route, NAT, then the crypto map",
            vec!["show ip route".into(), "show ip nat translations".into()],
            vec!["show route".into(), "show nat detail".into()],
        ),
    };
    fixes.dedup();
    out.push(finding(
        Draft {
            code: Code::OneWayTraffic,
            severity: Severity::Error,
            confidence: 0.85,
            title: format!(
                "{} decrypts what {} sends ({arrived} of {sent} packets) and sends nothing back",
                vb.name, va.name
            ),
            explanation: format!(
                "Both ends' counters agree on where the traffic stops: {} encrypted {sent} packets toward {peer}, \
                 {} decrypted {arrived} of them, so the SA and the path from {} to {} work. {} encrypted nothing \
                 back and {} decrypted nothing: the replies from {ours} to {theirs} never reach {}'s crypto map. \
                 Check on {}: NAT exemption for {ours} → {theirs} (a translated reply no longer matches the \
                 crypto ACL), the route to {theirs} (it must leave by the interface with the crypto map), and \
                 that the hosts in {ours} answer (their gateway, their firewall).",
                va.name, vb.name, va.name, vb.name, vb.name, va.name, vb.name, vb.name
            ),
        },
        vb,
        // By address, as `b`'s own findings and its tunnel row name it.
        Some(&peer),
        e,
        fixes,
    ));
    true
}

/// What `a` encrypted, `b` should have decrypted.
fn counter_check(
    va: &DeviceView<'_>,
    oa: &ShowOutput,
    a: &IpsecSaBlock,
    vb: &DeviceView<'_>,
    ob: &ShowOutput,
    b: &IpsecSaBlock,
    out: &mut Vec<Finding>,
) -> bool {
    let (Some(enc), Some(dec)) = (a.counters.encaps, b.counters.decaps) else {
        return false;
    };
    if enc == 0 {
        return false;
    }
    // Counters are read at different moments: only a clear gap counts.
    let lost_all = dec == 0;
    let lost_many = enc >= 100 && dec < enc / 2;
    if !lost_all && !lost_many {
        return false;
    }
    let mut e = ev(oa, a, &["counters"]);
    e.extend(ev(ob, b, &["counters"]));
    let a_ep = a.local().unwrap_or(&va.name).to_string();
    let b_ep = b.local().unwrap_or(&vb.name).to_string();
    out.push(finding(
        Draft {
            code: Code::OneWayTraffic,
            severity: if lost_all { Severity::Error } else { Severity::Warning },
            confidence: if lost_all { 0.75 } else { 0.45 },
            title: format!("{} encrypted {enc} packets, {} decrypted {dec}", va.name, vb.name),
            explanation: format!(
                "{}'s #pkts encaps is {enc} on this SA but {}'s #pkts decaps is {dec}: the ESP packets are lost \
                 between the two (ESP / UDP 4500 filtered, or dropped on {} — see its recv errors and logs).",
                va.name, vb.name, vb.name
            ),
        },
        va,
        Some(&vb.name),
        e,
        vec![fix(
            "every firewall or ACL between the peers",
            "ESP (IP protocol 50) and UDP 4500 must pass",
            &[
                format!("permit esp host {a_ep} host {b_ep}"),
                format!("permit udp host {a_ep} host {b_ep} eq non500-isakmp"),
            ],
        )],
    ));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_compare_across_platform_spellings() {
        assert_eq!(
            canonical_transform("esp-256-aes esp-sha-hmac ,"),
            canonical_transform("esp-aes-256 esp-sha-hmac no compression")
        );
        assert_ne!(
            canonical_transform("esp-3des esp-md5-hmac"),
            canonical_transform("esp-3des esp-sha-hmac")
        );
        // IOS-XE against ASA 9.x, SHA-2.
        assert_eq!(
            canonical_transform("esp-256-aes esp-sha256-hmac ,"),
            canonical_transform("esp-aes-256 esp-sha-256-hmac no compression")
        );
        // Older IOS prints the key size as a word of its own.
        assert_eq!(canonical_transform("ah-é esp-é"), ["ah-é", "esp-é"]);
        assert_eq!(
            canonical_transform("esp-aes 256 esp-sha-hmac ,"),
            canonical_transform("esp-aes-256 esp-sha-hmac no compression")
        );
        assert_ne!(
            canonical_transform("esp-aes 256 esp-sha-hmac ,"),
            canonical_transform("esp-aes esp-sha-hmac ,")
        );
        assert_eq!(
            canonical_transform("esp-aes esp-sha-hmac ,"),
            canonical_transform("esp-aes-128 esp-sha-hmac")
        );
        // GCM: no separate integrity on IOS, `esp-null-hmac` on the ASA.
        assert_eq!(
            canonical_transform("esp-gcm 256 ,"),
            canonical_transform("esp-aes-gcm-256 esp-null-hmac no compression")
        );
        assert_ne!(
            canonical_transform("esp-gcm 256 ,"),
            canonical_transform("esp-gcm 128 ,")
        );
        assert_ne!(
            canonical_transform("esp-256-aes esp-sha256-hmac ,"),
            canonical_transform("esp-aes-256 esp-sha-384-hmac no compression")
        );
        for (ios, asa) in [
            (
                "esp-256-aes esp-sha256-hmac ,",
                "esp-aes-256 esp-sha-256-hmac no compression",
            ),
            (
                "esp-aes 256 esp-sha512-hmac",
                "esp-aes-256 esp-sha-512-hmac",
            ),
            (
                "esp-gcm 256 ,",
                "esp-aes-gcm-256 esp-null-hmac no compression",
            ),
            (
                "esp-aes esp-sha-hmac",
                "esp-aes esp-sha-hmac no compression",
            ),
        ] {
            assert_eq!(canonical_transform(ios), canonical_transform(asa), "{ios}");
        }
        assert_ne!(
            canonical_transform("esp-gcm 128"),
            canonical_transform("esp-gcm 256")
        );
        assert_ne!(
            canonical_transform("esp-aes-256 esp-sha-256-hmac"),
            canonical_transform("esp-aes-256 esp-sha-hmac")
        );
    }
}
