//! Checks beyond the negotiation itself, on one configuration at a time:
//! NAT exemption, ACL reuse and overlap, crypto ACLs that match nothing,
//! routing toward the protected networks, split tunnelling, `sysopt`, MTU
//! after IPsec overhead, and weak algorithms.

use crate::net;
use ipsec_doctor_model::config::{
    AclEntry, AddrMatch, DeviceConfig, IkeEncryption, IkeHash, Origin, Platform, TransformSet,
};
use ipsec_doctor_model::redact::redact;
use ipsec_doctor_model::{Code, Evidence, Finding, Fix, Severity};
use std::net::Ipv4Addr;

fn ev(c: &DeviceConfig, o: &Origin) -> Option<Evidence> {
    (o.line > 0).then(|| Evidence {
        source: c.source.clone(),
        line: o.line,
        text: redact(&o.text).into_owned(),
    })
}

#[allow(clippy::too_many_arguments)]
fn finding(
    c: &DeviceConfig,
    code: Code,
    severity: Severity,
    confidence: f32,
    title: String,
    explanation: String,
    evidence: Vec<Evidence>,
    commands: Vec<String>,
    why: &str,
) -> Finding {
    Finding {
        code,
        severity,
        device: Some(c.name().to_string()),
        peer: None,
        title,
        explanation,
        evidence,
        fixes: if commands.is_empty() {
            Vec::new()
        } else {
            vec![Fix {
                device: c.name().to_string(),
                why: why.to_string(),
                commands,
            }]
        },
        confidence,
    }
}

fn show(m: &AddrMatch, p: Platform) -> String {
    if *m == AddrMatch::ANY {
        return "any".into();
    }
    if m.wildcard == Ipv4Addr::UNSPECIFIED {
        return format!("host {}", m.addr);
    }
    match p {
        Platform::Ios => format!("{} {}", m.addr, m.wildcard),
        _ => format!("{} {}", m.addr, Ipv4Addr::from(!u32::from(m.wildcard))),
    }
}

/// First-match evaluation of an ACL over a flow given as an entry:
/// `Some(true)` permitted, `Some(false)` denied, `None` no line covers it.
fn acl_decides(entries: &[AclEntry], flow: &AclEntry) -> Option<bool> {
    for l in entries {
        if l.src.covers(&flow.src)
            && l.dst.covers(&flow.dst)
            && (l.protocol.is_none() || l.protocol == flow.protocol)
        {
            return Some(l.permit);
        }
        // A deny that overlaps part of the flow exempts that part; treat as exempt.
        if !l.permit && l.src.overlaps(&flow.src) && l.dst.overlaps(&flow.dst) {
            return Some(false);
        }
    }
    None
}

/// Runs every check on one configuration.
pub fn check(c: &DeviceConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    // The entries that stand for tunnel interfaces select any ↔ any (or
    // GRE) and their traffic is routed into the tunnel: the crypto ACL,
    // NAT, overlap, route and MTU checks are about crypto map entries.
    let plain_owned;
    let plain = if c.vtis.is_empty() {
        c
    } else {
        let mut p = c.clone();
        p.crypto_maps.retain(|e| c.vti(&e.map, e.seq).is_none());
        plain_owned = p;
        &plain_owned
    };
    crypto_acls(plain, &mut out);
    nat(plain, &mut out);
    overlap(plain, &mut out);
    routes(plain, &mut out);
    sysopt(c, &mut out);
    split_tunnel(c, &mut out);
    mtu(plain, &mut out);
    weak(c, &mut out);
    out
}

fn crypto_acls(c: &DeviceConfig, out: &mut Vec<Finding>) {
    for e in &c.crypto_maps {
        let Some(name) = &e.acl else { continue };
        let Some(acl) = c.acls.get(name) else {
            out.push(finding(c, Code::CryptoAclInvalid, Severity::Error, 0.9, format!("Crypto map {} {} matches undefined access list {name}", e.map, e.seq), format!("The entry refers to access list {name}, which is not configured, so no traffic is ever encrypted for it."), ev(c, &e.origin).into_iter().collect(), Vec::new(), ""));
            continue;
        };
        for l in &acl.entries {
            // IOS stores a netmask typed as a wildcard with the address
            // bits under it cleared: the entry matches almost nothing.
            let bad =
                |m: &AddrMatch| c.platform == Platform::Ios && m.is_netmask_typed_as_wildcard();
            if l.permit && (bad(&l.src) || bad(&l.dst)) {
                out.push(finding(
                    c,
                    Code::CryptoAclInvalid,
                    Severity::Error,
                    0.85,
                    format!("Crypto ACL {name} has a subnet mask where a wildcard belongs"),
                    format!("`{}` uses {} as a wildcard: IOS cleared the address bits under it, so the entry matches almost nothing real and traffic never triggers the tunnel. Wildcards are inverse masks (0.0.0.255 for a /24).", redact(&l.origin.text), if bad(&l.src) { show(&l.src, c.platform) } else { show(&l.dst, c.platform) }),
                    ev(c, &l.origin).into_iter().collect(),
                    vec![format!("ip access-list extended {name}"), format!(" no {}", l.origin.text.trim()), " permit ip <local-net> <wildcard> <remote-net> <wildcard>".into()],
                    "IOS ACLs take wildcard masks",
                ));
            }
        }
        if !acl.entries.iter().any(|l| l.permit) {
            out.push(finding(c, Code::CryptoAclInvalid, Severity::Error, 0.85, format!("Crypto ACL {name} permits nothing"), "A crypto ACL selects traffic with permit lines; this one has none, so nothing is ever encrypted.".into(), ev(c, &e.origin).into_iter().collect(), Vec::new(), ""));
        }
    }
}

fn nat(c: &DeviceConfig, out: &mut Vec<Finding>) {
    if c.nat.is_empty() {
        return;
    }
    let crypto_acls: Vec<&String> = c
        .crypto_maps
        .iter()
        .filter_map(|e| e.acl.as_ref())
        .collect();
    for r in &c.nat {
        if let Some(a) = &r.acl {
            if crypto_acls.contains(&a) {
                out.push(finding(c, Code::AclReused, Severity::Warning, 0.8, format!("Access list {a} serves both NAT and crypto"), "The same ACL drives NAT and selects VPN traffic. Changing one silently changes the other; use two ACLs even when they list the same traffic.".into(), ev(c, &r.origin).into_iter().collect(), vec![format!("! copy {a} to a new ACL and point the NAT rule at the copy")], "keep NAT and crypto ACLs separate"));
            }
        }
    }
    for e in &c.crypto_maps {
        let Some(acl) = e.acl.as_ref().and_then(|n| c.acls.get(n)) else {
            continue;
        };
        for flow in acl.entries.iter().filter(|l| l.permit) {
            // The first NAT rule that applies decides.
            let mut translated_by = None;
            for r in &c.nat {
                let decision = match r.acl.as_ref().and_then(|n| c.acls.get(n)) {
                    Some(nacl) => acl_decides(&nacl.entries, flow),
                    None => acl_decides(&r.matches, flow),
                };
                match (decision, r.exempt) {
                    (Some(true), true) | (Some(false), false) => break,
                    (Some(true), false) => {
                        translated_by = Some(r);
                        break;
                    }
                    _ => {}
                }
            }
            if let Some(r) = translated_by {
                let mut evd: Vec<Evidence> = ev(c, &flow.origin).into_iter().collect();
                evd.extend(ev(c, &r.origin));
                let cmds = match c.platform {
                    Platform::Ios => vec![
                        format!("! in the NAT access list{} put a deny for VPN traffic before the permits:", r.acl.as_ref().map(|a| format!(" {a}")).unwrap_or_default()),
                        format!(" deny ip {} {}", show(&flow.src, Platform::Ios), show(&flow.dst, Platform::Ios)),
                    ],
                    Platform::Asa => vec![
                        "object network VPN-LOCAL".into(),
                        format!(" subnet {}", show(&flow.src, Platform::Asa)),
                        "object network VPN-REMOTE".into(),
                        format!(" subnet {}", show(&flow.dst, Platform::Asa)),
                        "nat (inside,outside) source static VPN-LOCAL VPN-LOCAL destination static VPN-REMOTE VPN-REMOTE no-proxy-arp route-lookup".into(),
                    ],
                    Platform::Pix => vec![format!("access-list NONAT permit ip {} {}", show(&flow.src, Platform::Pix), show(&flow.dst, Platform::Pix)), "nat (inside) 0 access-list NONAT".into()],
                };
                out.push(finding(c, Code::NatExemptionMissing, Severity::Error, 0.85, format!("VPN traffic {} -> {} is translated before encryption", show(&flow.src, c.platform), show(&flow.dst, c.platform)), "NAT runs before the crypto map: this traffic is translated to the outside address, no longer matches the crypto ACL, and leaves unencrypted (or is dropped). It needs a NAT exemption.".into(), evd, cmds, "exempt VPN traffic from NAT on this device"));
            }
        }
    }
}

fn overlap(c: &DeviceConfig, out: &mut Vec<Finding>) {
    let entries: Vec<_> = c
        .crypto_maps
        .iter()
        .filter(|e| e.dynamic_ref.is_none())
        .collect();
    for (i, a) in entries.iter().enumerate() {
        for b in entries.iter().skip(i + 1) {
            if a.map != b.map || a.peers == b.peers {
                continue;
            }
            let (Some(la), Some(lb)) = (
                a.acl.as_ref().and_then(|n| c.acls.get(n)),
                b.acl.as_ref().and_then(|n| c.acls.get(n)),
            ) else {
                continue;
            };
            let hit = la.entries.iter().filter(|x| x.permit).find_map(|x| {
                lb.entries
                    .iter()
                    .filter(|y| y.permit)
                    .find(|y| x.src.overlaps(&y.src) && x.dst.overlaps(&y.dst))
                    .map(|y| (x, y))
            });
            if let Some((x, y)) = hit {
                let mut evd: Vec<Evidence> = ev(c, &x.origin).into_iter().collect();
                evd.extend(ev(c, &y.origin));
                out.push(finding(c, Code::CryptoAclOverlap, Severity::Warning, 0.8, format!("Crypto ACLs of entries {} and {} overlap", a.seq, b.seq), format!("Entries {} {} and {} {} go to different peers but their ACLs select overlapping traffic; the earlier entry captures it, and responders may report \"peer address not found\".", a.map, a.seq, b.map, b.seq), evd, vec!["! make each peer's protected networks unique, or order the more specific entry first".into()], "crypto ACLs must not overlap across peers"));
            }
        }
    }
}

fn route_egress(c: &DeviceConfig, dst: Ipv4Addr) -> Option<(u8, Option<String>, Option<Ipv4Addr>)> {
    let mut best: Option<(u8, Option<String>, Option<Ipv4Addr>)> = None;
    for i in &c.interfaces {
        if let Some((a, m)) = i.address {
            let mb = u32::from(m);
            if u32::from(dst) & mb == u32::from(a) & mb {
                let len = mb.count_ones() as u8;
                if best.as_ref().is_none_or(|b| len > b.0) {
                    best = Some((
                        len,
                        Some(i.nameif.clone().unwrap_or_else(|| i.name.clone())),
                        None,
                    ));
                }
            }
        }
    }
    for r in &c.routes {
        let mb = u32::from(r.mask);
        if u32::from(dst) & mb == u32::from(r.network) & mb {
            let len = mb.count_ones() as u8;
            if best.as_ref().is_none_or(|b| len > b.0) {
                best = Some((len, r.interface.clone(), r.next_hop));
            }
        }
    }
    best
}

fn routes(c: &DeviceConfig, out: &mut Vec<Finding>) {
    for e in &c.crypto_maps {
        let Some(iface) = net::map_interface(c, &e.map) else {
            continue;
        };
        if iface.address.is_none() {
            continue;
        }
        let Some(acl) = e.acl.as_ref().and_then(|n| c.acls.get(n)) else {
            continue;
        };
        for l in acl.entries.iter().filter(|l| l.permit) {
            if l.dst == AddrMatch::ANY || !l.dst.is_subnet() {
                continue;
            }
            let target = l.dst.addr;
            let egress = route_egress(c, target);
            // Any interface the map is applied to will do (one map may
            // serve several uplinks).
            let via = |i: &ipsec_doctor_model::config::Interface| match &egress {
                None => false,
                Some((_, Some(ifn), _)) => {
                    i.name.eq_ignore_ascii_case(ifn)
                        || i.nameif
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(ifn))
                }
                Some((_, None, Some(nh))) => i.address.is_some_and(|(a, m)| {
                    u32::from(*nh) & u32::from(m) == u32::from(a) & u32::from(m)
                }),
                Some((_, None, None)) => false,
            };
            let via_crypto = via(iface) || net::map_interfaces(c, &e.map).any(via);
            // No routes at all in the configuration: routing is dynamic, don't guess.
            if !via_crypto && !c.routes.is_empty() {
                let gw = e
                    .peers
                    .first()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "<next-hop>".into());
                let mask = Ipv4Addr::from(!u32::from(l.dst.wildcard));
                let cmd = match c.platform {
                    Platform::Ios => format!("ip route {} {mask} <outside-next-hop>", l.dst.addr),
                    _ => format!(
                        "route {} {} {mask} <outside-next-hop>",
                        iface.nameif.clone().unwrap_or_else(|| "outside".into()),
                        l.dst.addr
                    ),
                };
                let mut evd: Vec<Evidence> = ev(c, &l.origin).into_iter().collect();
                evd.extend(ev(c, &iface.origin));
                out.push(finding(c, Code::RouteMissing, Severity::Error, 0.75, format!("No route to {} out of the crypto interface {}", show(&l.dst, c.platform), iface.name), format!("Traffic for the remote protected network {} is routed {} instead of out of {}, where crypto map {} is applied (peer {gw}), so it is never encrypted.", show(&l.dst, c.platform), match &egress { None => "nowhere".to_string(), Some((_, Some(i), _)) => format!("via {i}"), Some((_, _, Some(nh))) => format!("via {nh}"), _ => "elsewhere".into() }, iface.name, e.map), evd, vec![cmd], "the remote network must be routed out of the interface that carries the crypto map"));
            }
        }
    }
}

fn sysopt(c: &DeviceConfig, out: &mut Vec<Finding>) {
    if c.crypto_maps.is_empty() {
        return;
    }
    match (c.platform, c.sysopt_permit_ipsec) {
        (Platform::Pix, Some(false)) => out.push(finding(c, Code::SysoptPermitIpsecMissing, Severity::Error, 0.8, "sysopt connection permit-ipsec is not configured".into(), "Without it the PIX checks decrypted traffic against the outside interface's access list/conduits and drops it unless explicitly permitted.".into(), Vec::new(), vec!["sysopt connection permit-ipsec".into()], "let decrypted traffic bypass the interface ACL")),
        (Platform::Asa, Some(false)) => out.push(finding(c, Code::SysoptPermitIpsecMissing, Severity::Warning, 0.6, "sysopt connection permit-vpn is disabled".into(), "Decrypted traffic must now be permitted by the outside interface ACL (or a vpn-filter); otherwise it is dropped after decryption.".into(), Vec::new(), vec!["sysopt connection permit-vpn".into()], "or permit the decrypted traffic in the outside ACL")),
        _ => {}
    }
}

fn split_tunnel(c: &DeviceConfig, out: &mut Vec<Finding>) {
    if !c.pools.is_empty() && c.split_tunnel.is_empty() {
        out.push(finding(c, Code::SplitTunnel, Severity::Warning, 0.6, "Remote-access clients get no split-tunnel list".into(), "An address pool for remote-access clients exists but no split-tunnel ACL: clients send all traffic into the tunnel, and internet access breaks unless the head-end hairpins it.".into(), Vec::new(), match c.platform {
            Platform::Ios => vec!["crypto isakmp client configuration group <group>".into(), " acl <split-acl>".into()],
            Platform::Pix => vec!["vpngroup <group> split-tunnel <split-acl>".into()],
            Platform::Asa => vec!["group-policy <policy> attributes".into(), " split-tunnel-policy tunnelspecified".into(), " split-tunnel-network-list value <split-acl>".into()],
        }, "tunnel only the networks behind the head-end"));
    }
}

/// ESP tunnel-mode overhead in bytes for a transform set (worst-case padding),
/// without NAT-T (add 8 when NAT-T is in use).
pub fn esp_overhead(ts: &TransformSet) -> u32 {
    let t = |s: &str| ts.transforms.iter().any(|x| x.starts_with(s));
    let (iv, block) = if t("esp-aes") {
        (16, 16)
    } else if t("esp-gcm") || t("esp-gmac") {
        (8, 4)
    } else if t("esp-des") || t("esp-3des") {
        (8, 8)
    } else {
        (0, 4)
    };
    let icv = if t("esp-sha256") || t("esp-gcm") || t("esp-gmac") {
        16
    } else if t("esp-sha384") {
        24
    } else if t("esp-sha512") {
        32
    } else if t("esp-md5") || t("esp-sha") {
        12
    } else {
        0
    };
    let outer = if ts.tunnel_mode { 20 } else { 0 };
    outer + 8 + iv + (block - 1) + 2 + icv
}

fn mtu(c: &DeviceConfig, out: &mut Vec<Finding>) {
    if c.platform != Platform::Ios {
        return;
    }
    for e in &c.crypto_maps {
        let Some(iface) = net::map_interface(c, &e.map) else {
            continue;
        };
        let Some(ts) = e
            .transform_sets
            .first()
            .and_then(|n| c.transform_sets.get(n))
        else {
            continue;
        };
        let mtu = u32::from(iface.mtu.unwrap_or(1500));
        let overhead = esp_overhead(ts);
        // MSS = MTU - IPsec overhead - 40 (IP + TCP headers), rounded down to 8.
        let mss = (mtu.saturating_sub(overhead).saturating_sub(40)) / 8 * 8;
        let inside: Vec<_> = c
            .interfaces
            .iter()
            .filter(|i| i.crypto_map.is_none() && i.address.is_some() && !i.shutdown)
            .collect();
        // `ip tcp adjust-mss` rewrites the SYNs crossing its interface in
        // both directions, so a clamp on the crypto interface serves as
        // well as one on the inside.
        let clamped = |i: &&ipsec_doctor_model::config::Interface| {
            i.adjust_mss.is_some_and(|m| u32::from(m) <= mss)
        };
        if inside.is_empty() || inside.iter().any(clamped) || clamped(&iface) {
            continue;
        }
        // Clamps already set, but above what this overhead leaves.
        let high: Vec<(&str, u16)> = std::iter::once(iface)
            .chain(inside.iter().copied())
            .filter_map(|i| i.adjust_mss.map(|m| (i.name.as_str(), m)))
            .collect();
        let mut cmds = Vec::new();
        let targets: Vec<&str> = if high.is_empty() {
            inside.iter().map(|i| i.name.as_str()).collect()
        } else {
            high.iter().map(|(n, _)| *n).collect()
        };
        for name in targets {
            cmds.push(format!("interface {name}"));
            cmds.push(format!(" ip tcp adjust-mss {mss}"));
        }
        let (title, advice) = match high.as_slice() {
            [] => (
                format!("TCP MSS not clamped for {overhead} bytes of IPsec overhead"),
                format!("Clamp the MSS to {mss} on the inside interfaces."),
            ),
            set => {
                let list: Vec<String> = set.iter().map(|(n, m)| format!("{m} on {n}")).collect();
                (
                    format!(
                        "TCP MSS clamp too high for {overhead} bytes of IPsec overhead ({} > {mss})",
                        set.iter().map(|(_, m)| *m).min().unwrap_or_default()
                    ),
                    format!(
                        "The clamp set ({}) still lets segments through that need fragmenting after encryption: lower it to {mss}.",
                        list.join(", ")
                    ),
                )
            }
        };
        out.push(finding(c, Code::MtuFragmentation, Severity::Warning, 0.6, title, format!("Transform set {} adds up to {overhead} bytes (ESP tunnel mode, worst-case padding; 8 more with NAT-T) to each packet leaving {} (MTU {mtu}). Full-size TCP segments then need fragmentation after encryption, which costs performance and breaks where fragments are dropped. {advice}", ts.name, iface.name), ev(c, &ts.origin).into_iter().collect(), cmds, "clamp TCP MSS before packets reach the crypto map"));
        break;
    }
}

fn weak(c: &DeviceConfig, out: &mut Vec<Finding>) {
    let mut lines = Vec::new();
    let mut what = Vec::new();
    for p in &c.ike_policies {
        let mut w = Vec::new();
        if matches!(p.encryption, IkeEncryption::Des | IkeEncryption::TripleDes) {
            w.push(format!("{:?}", p.encryption));
        }
        if p.hash == IkeHash::Md5 {
            w.push("MD5".into());
        }
        if matches!(p.group, 1 | 2 | 5) {
            w.push(format!("DH group {}", p.group));
        }
        if !w.is_empty() {
            what.push(format!("ISAKMP policy {}: {}", p.priority, w.join(", ")));
            if let Some(o) = &p.origin {
                lines.extend(ev(c, o));
            }
        }
    }
    for t in c.transform_sets.values() {
        let w: Vec<&String> = t
            .transforms
            .iter()
            .filter(|x| x.starts_with("esp-des") || x.starts_with("esp-3des") || x.contains("md5"))
            .collect();
        if !w.is_empty() {
            what.push(format!(
                "transform set {}: {}",
                t.name,
                w.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
            ));
            lines.extend(ev(c, &t.origin));
        }
    }
    if !what.is_empty() {
        // PIX 6.3 has its own syntax (`isakmp policy N encryption …`) and
        // no DH group above 5 (PIX 6.3 command reference, `isakmp policy`:
        // group 1, 2, 5 or 7): AES is what it can do; group 14 needs an ASA.
        let (commands, why): (Vec<String>, &str) = match c.platform {
            Platform::Ios => (
                vec![
                    "crypto isakmp policy 10".into(),
                    " encryption aes 256".into(),
                    " hash sha256".into(),
                    " group 14".into(),
                    "crypto ipsec transform-set TS-AES256-SHA esp-aes 256 esp-sha256-hmac".into(),
                ],
                "move both ends to AES and DH group 14 or higher together",
            ),
            Platform::Asa => (
                vec![
                    "crypto ikev1 policy 10".into(),
                    " encryption aes-256".into(),
                    " hash sha".into(),
                    " group 14".into(),
                    "crypto ipsec ikev1 transform-set TS-AES256-SHA esp-aes-256 esp-sha-hmac"
                        .into(),
                ],
                "move both ends to AES and DH group 14 or higher together",
            ),
            Platform::Pix => (
                vec![
                    "isakmp policy 10 encryption aes-256".into(),
                    "isakmp policy 10 hash sha".into(),
                    "isakmp policy 10 group 5".into(),
                    "crypto ipsec transform-set TS-AES256-SHA esp-aes-256 esp-sha-hmac".into(),
                ],
                "move both ends to AES; PIX 6.3 offers DH group 5 at most, group 14 needs an ASA",
            ),
        };
        out.push(finding(c, Code::WeakCrypto, Severity::Warning, 0.95, "Weak algorithms configured".into(), format!("{}. DES, 3DES, MD5 and DH groups 1/2/5 no longer give adequate protection, and newer images refuse them.", what.join("; ")), lines, commands, why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esp_overhead_matches_the_documented_sizes() {
        let ts = |t: &[&str]| TransformSet {
            name: "T".into(),
            transforms: t.iter().map(|s| s.to_string()).collect(),
            tunnel_mode: true,
            origin: Origin::default(),
        };
        // 20 outer + 8 ESP + 16 IV + 15 pad + 2 + 12 ICV
        assert_eq!(esp_overhead(&ts(&["esp-aes-256", "esp-sha-hmac"])), 73);
        // 20 + 8 + 8 + 7 + 2 + 12
        assert_eq!(esp_overhead(&ts(&["esp-3des", "esp-md5-hmac"])), 57);
    }
}
