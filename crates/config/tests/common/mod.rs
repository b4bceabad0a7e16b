//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ipsec_doctor_model::config::{AclEntry, AddrMatch, DeviceConfig, NatRule, PresharedKey};
use std::net::Ipv4Addr;

pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

pub fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a test data file (platform detected).
pub fn load(name: &str) -> (String, DeviceConfig) {
    let text = data(name);
    let cfg = ipsec_doctor_config::parse(name, &text);
    (text, cfg)
}

/// The text of 1-based line `n`.
pub fn line(text: &str, n: u64) -> &str {
    text.lines().nth(n as usize - 1).unwrap().trim()
}

/// The key used for a peer: the most specific address/mask that covers it.
pub fn key_for(cfg: &DeviceConfig, peer: Ipv4Addr) -> Option<&PresharedKey> {
    cfg.keys
        .iter()
        .filter(|k| AddrMatch::from_mask(k.address, k.mask).contains(peer))
        .max_by_key(|k| u32::from(k.mask).count_ones())
}

/// `addr wildcard`.
pub fn wc(a: &str, w: &str) -> AddrMatch {
    AddrMatch::from_wildcard(ip(a), ip(w))
}

/// `addr mask`.
pub fn mask(a: &str, m: &str) -> AddrMatch {
    AddrMatch::from_mask(ip(a), ip(m))
}

/// (src, dst) of ACL entries.
pub fn flows(entries: &[AclEntry]) -> Vec<(AddrMatch, AddrMatch)> {
    entries.iter().map(|e| (e.src, e.dst)).collect()
}

/// Whether a NAT rule applies to IP traffic from `src` to `dst`: its
/// matches are read like an ACL (first match decides).
pub fn applies(rule: &NatRule, src: Ipv4Addr, dst: Ipv4Addr) -> bool {
    rule.matches
        .iter()
        .find(|e| e.src.contains(src) && e.dst.contains(dst))
        .is_some_and(|e| e.permit)
}

/// The first NAT rule that applies (the device's evaluation order).
pub fn nat_for(cfg: &DeviceConfig, src: Ipv4Addr, dst: Ipv4Addr) -> Option<&NatRule> {
    cfg.nat.iter().find(|r| applies(r, src, dst))
}

/// Every origin text of a configuration.
pub fn origin_texts(cfg: &DeviceConfig) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(cfg.keys.iter().map(|k| k.origin.text.clone()));
    out.extend(cfg.interfaces.iter().map(|i| i.origin.text.clone()));
    out.extend(cfg.routes.iter().map(|r| r.origin.text.clone()));
    out.extend(
        cfg.ike_policies
            .iter()
            .filter_map(|p| p.origin.as_ref().map(|o| o.text.clone())),
    );
    out.extend(cfg.transform_sets.values().map(|t| t.origin.text.clone()));
    out.extend(
        cfg.crypto_maps
            .iter()
            .chain(&cfg.dynamic_maps)
            .map(|e| e.origin.text.clone()),
    );
    for a in cfg.acls.values() {
        out.extend(a.entries.iter().map(|e| e.origin.text.clone()));
    }
    for n in &cfg.nat {
        out.push(n.origin.text.clone());
        out.extend(n.matches.iter().map(|e| e.origin.text.clone()));
    }
    out
}

/// The number of the first line whose trimmed text is `needle`.
pub fn line_no(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.trim() == needle)
        .unwrap_or_else(|| panic!("no line {needle:?}")) as u64
        + 1
}
