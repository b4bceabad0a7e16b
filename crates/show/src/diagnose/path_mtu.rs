//! MTU: the path MTU and IPsec overhead of `show crypto ipsec sa`, and the
//! path-MTU bounds of DF-bit ping sweeps, turned into `ip tcp adjust-mss`
//! / `ip mtu` values.

use super::*;

/// The IPsec overhead of a block: as printed (ASA), from IOS's plaintext
/// MTU, or computed from the transform.
pub(crate) fn block_overhead(b: &IpsecSaBlock, path_mtu: u32) -> Option<(u32, &'static str)> {
    if let Some(o) = b.ipsec_overhead {
        return Some((o, "as printed (`ipsec overhead`)"));
    }
    if let (Some(p), Some(pt)) = (b.path_mtu, b.plaintext_mtu) {
        if p == path_mtu && pt < p {
            return Some((p - pt, "from `plaintext mtu`"));
        }
    }
    let t = b.transform()?;
    mtu::overhead(path_mtu, t, b.tunnel_mode(), b.nat_t())
        .map(|o| (o, "computed from the transform"))
}

pub(crate) fn mss_fixes(me: &str, platform: Platform, mss: u32, plaintext: u32) -> Vec<Fix> {
    platform_fixes(
        me,
        platform,
        "clamp TCP MSS so that TCP segments fit the tunnel unfragmented (on the LAN-facing interface)",
        vec![
            "interface <inside-interface>".into(),
            format!(" ip tcp adjust-mss {mss}"),
            "! on a tunnel interface also:".into(),
            format!(" ip mtu {plaintext}"),
        ],
        vec![format!("sysopt connection tcpmss {mss}")],
    )
}

pub(crate) fn mtu_from_block(
    v: &DeviceView<'_>,
    o: &ShowOutput,
    b: &IpsecSaBlock,
    platform: Platform,
    out: &mut Vec<Finding>,
) -> bool {
    let c = &b.counters;
    let Some(path) = b.path_mtu else { return false };
    let lowered = b.media_mtu.is_some_and(|m| path < m);
    let frag_fail = c.pre_frag_failures.unwrap_or(0) + c.min_mtu_frag_failed_send.unwrap_or(0);
    if !lowered && frag_fail == 0 {
        return false;
    }
    let Some((overhead, how)) = block_overhead(b, path) else {
        return false;
    };
    let plaintext = path.saturating_sub(overhead);
    let mss = mtu::adjust_mss(plaintext);
    let peer = b.peer().unwrap_or("the peer");
    let mut why = Vec::new();
    if lowered {
        why.push(format!(
            "path MTU discovery lowered the path MTU to {path} (media MTU {})",
            b.media_mtu.unwrap_or(0)
        ));
    }
    if frag_fail > 0 {
        why.push(format!(
            "{frag_fail} packets could not be fragmented before encryption"
        ));
    }
    let refs = block_refs(o, b, &["mtu", "counters", "header"]);
    out.push(finding(
        Draft {
            code: Code::MtuFragmentation,
            severity: if frag_fail > 0 { Severity::Error } else { Severity::Warning },
            confidence: if frag_fail > 0 { 0.65 } else { 0.55 },
            title: format!("Packets to {peer} exceed the path MTU once IPsec overhead is added"),
            explanation: format!(
                "{}. IPsec adds {overhead} bytes ({how}), so the largest packet the tunnel carries unfragmented is \
                 {path} − {overhead} = {plaintext}; TCP MSS should be {plaintext} − 40 = {mss}.",
                why.join("; ")
            ),
        },
        v,
        Some(peer),
        evidence(o, &refs),
        mss_fixes(&v.name, platform, mss, plaintext),
    ));
    true
}

/// The transform and block to interpret a ping towards `target` with:
/// a block whose remote identity holds the target (inner measurement) first.
pub(crate) fn tunnel_for<'a>(
    v: &DeviceView<'a>,
    outputs: &'a [ShowOutput],
    src: &'a ShowOutput,
    target: Option<&str>,
) -> Option<(&'a IpsecSaBlock, bool)> {
    let inside = |b: &IpsecSaBlock| {
        let (Some(t), Some(r)) = (target.and_then(|t| t.parse().ok()), b.remote_ident.as_ref())
        else {
            return false;
        };
        let (Ok(a), Ok(m)) = (
            r.addr.parse::<std::net::Ipv4Addr>(),
            r.mask.parse::<std::net::Ipv4Addr>(),
        ) else {
            return false;
        };
        let t: std::net::Ipv4Addr = t;
        u32::from(t) & u32::from(m) == u32::from(a) & u32::from(m) && u32::from(m) != 0
    };
    let with_t = |b: &&IpsecSaBlock| b.transform().is_some();
    let own: Vec<&IpsecSaBlock> = v.ipsec.iter().map(|(_, b)| *b).filter(with_t).collect();
    if let Some(b) = own.iter().find(|b| inside(b)) {
        return Some((b, true));
    }
    if let Some(b) = own.first() {
        return Some((b, false));
    }
    let same_src = src
        .ipsec
        .iter()
        .filter(with_t)
        .find(|b| !inside(b))
        .or(src.ipsec.iter().find(with_t));
    if let Some(b) = same_src {
        return Some((b, inside(b)));
    }
    outputs
        .iter()
        .flat_map(|o| o.ipsec.iter())
        .find(with_t)
        .map(|b| (b, inside(b)))
}

/// Default assumption when no transform is known.
const ASSUMED_TRANSFORM: &str = "esp-aes esp-sha-hmac";

pub(crate) fn pings<'a>(v: &DeviceView<'a>, outputs: &'a [ShowOutput], out: &mut Vec<Finding>) {
    let Some((src, _)) = v.pings.first() else {
        return;
    };
    let probes: Vec<PingProbe> = v.pings.iter().map(|(_, p)| (*p).clone()).collect();
    for bound in mtu_bounds(&probes) {
        let target = bound.target.as_deref();
        let refs: Vec<&LineRef> = v
            .pings
            .iter()
            .filter(|(_, p)| p.target.as_deref() == target)
            .flat_map(|(_, p)| p.evidence.iter())
            .collect();
        let ev = evidence(src, &refs);
        let t = target.unwrap_or("the target");
        let range = match (bound.lower, bound.upper) {
            (Some(l), Some(u)) if l == u => format!("{l} bytes"),
            (Some(l), Some(u)) if l < u => format!("between {l} and {u} bytes"),
            (Some(l), Some(_)) | (Some(l), None) => format!("at least {l} bytes"),
            (None, Some(u)) => format!("at most {u} bytes"),
            (None, None) => continue,
        };
        // The largest size known to pass; else the upper bound.
        let Some(path) = bound.lower.or(bound.upper) else {
            continue;
        };
        let tunnel = tunnel_for(v, outputs, src, target);
        let (plaintext, how) = match tunnel {
            Some((_, true)) => (
                path,
                format!("the probes crossed the tunnel (the target is inside the remote identity), so {path} is the tunnel's own MTU"),
            ),
            Some((b, false)) => {
                let tr = b.transform().unwrap_or(ASSUMED_TRANSFORM);
                let mode = if b.tunnel_mode() { "tunnel mode" } else { "transport mode" };
                let natt = if b.nat_t() { ", NAT-T" } else { "" };
                match mtu::plaintext_mtu(path, tr, b.tunnel_mode(), b.nat_t()) {
                    Some(p) => (
                        p,
                        format!("with `{tr}` ({mode}{natt}) IPsec adds {} bytes, leaving {p}", path - p),
                    ),
                    None => continue,
                }
            }
            None => match mtu::plaintext_mtu(path, ASSUMED_TRANSFORM, true, false) {
                Some(p) => (
                    p,
                    format!(
                        "no `show crypto ipsec sa` output gives the transform; assuming `{ASSUMED_TRANSFORM}` in tunnel \
                         mode, IPsec adds {} bytes, leaving {p}",
                        path - p
                    ),
                ),
                None => continue,
            },
        };
        let mss = mtu::adjust_mss(plaintext);
        let below = bound.upper.is_some_and(|u| u < 1500);
        let confidence = if below {
            0.7
        } else if bound.frag_needed {
            0.6
        } else {
            0.45
        };
        let peer = tunnel.and_then(|(b, _)| b.peer());
        let mut fixes = mss_fixes(&v.name, v.platform, mss, plaintext);
        if let Some(p) = peer {
            fixes.push(fix(
                p,
                "clamp the MSS on the other end too",
                &[format!("ip tcp adjust-mss {mss}")],
            ));
        }
        out.push(finding(
            Draft {
                code: Code::MtuFragmentation,
                severity: Severity::Warning,
                confidence,
                title: format!("Path MTU to {t} is {range}: set `ip tcp adjust-mss {mss}`"),
                explanation: format!(
                    "DF-bit pings to {t} show the path MTU is {range}{}. Taking {path}: {how}. Packets larger than \
                     {plaintext} bytes are fragmented after encryption or dropped when DF is set; set `ip tcp \
                     adjust-mss {mss}` ({plaintext} − 40) on the LAN-facing interfaces (and `ip mtu {plaintext}` on a \
                     tunnel interface).",
                    if bound.frag_needed {
                        " (larger probes got `frag. needed and DF set`)"
                    } else {
                        ""
                    }
                ),
            },
            v,
            peer,
            ev,
            fixes,
        ));
    }
}
