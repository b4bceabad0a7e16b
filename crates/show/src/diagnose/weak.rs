//! Audit: weak algorithms (DES, 3DES, MD5, DH groups 1/2/5) in use.

use super::*;

pub(crate) fn weak_crypto(v: &DeviceView<'_>, out: &mut Vec<Finding>) {
    let mut weak: BTreeSet<String> = BTreeSet::new();
    let mut ev: Vec<Evidence> = Vec::new();
    let mut note = |o: &ShowOutput, what: String, r: Option<&LineRef>, ev: &mut Vec<Evidence>| {
        if weak.insert(what) {
            if let Some(r) = r {
                ev.extend(evidence(o, &[r]));
            }
        }
    };
    for (o, b) in &v.ipsec {
        // Every SA, also those `show crypto ipsec sa address` lists without
        // a direction: a weak transform is weak whichever way it runs.
        for sa in b.sas() {
            let Some(t) = sa.transform.as_deref() else {
                continue;
            };
            let r = sa.spi_line;
            for w in t.split_whitespace() {
                let lw = w.to_ascii_lowercase();
                if matches!(
                    lw.as_str(),
                    "esp-des" | "esp-3des" | "esp-md5-hmac" | "ah-md5-hmac"
                ) {
                    note(o, lw, r.as_ref(), &mut ev);
                }
            }
        }
    }
    for (o, sa) in &v.isakmp {
        let r = sa.evidence.first();
        if let Some(e) = sa.encryption.as_deref().map(str::to_ascii_lowercase) {
            if e == "des" || e == "3des" {
                note(o, format!("IKE {e}"), r, &mut ev);
            }
        }
        if sa
            .hash
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case("md5"))
        {
            note(o, "IKE md5".into(), r, &mut ev);
        }
        if let Some(g) = sa
            .dh_group
            .as_deref()
            .filter(|g| matches!(*g, "1" | "2" | "5"))
        {
            note(o, format!("DH group {g}"), r, &mut ev);
        }
    }
    for (o, sa) in &v.ikev2 {
        // The `Encr:` line is the one that names the algorithms.
        let r = sa
            .evidence
            .iter()
            .find(|r| r.what() == "algorithms")
            .or(sa.evidence.first());
        if let Some(e) = sa.encryption.as_deref().map(str::to_ascii_uppercase) {
            if e == "DES" || e == "3DES" {
                note(o, format!("IKEv2 {e}"), r, &mut ev);
            }
        }
        for h in [sa.hash.as_deref(), sa.prf.as_deref()]
            .into_iter()
            .flatten()
        {
            if h.to_ascii_uppercase().starts_with("MD5") {
                note(o, "IKEv2 MD5".into(), r, &mut ev);
            }
        }
        if let Some(g) = sa
            .dh_group
            .as_deref()
            .filter(|g| matches!(*g, "1" | "2" | "5"))
        {
            note(o, format!("DH group {g}"), r, &mut ev);
        }
    }
    for (o, s) in &v.vpn {
        for sub in &s.subs {
            let r = sub.evidence.first();
            for alg in [sub.encryption.as_deref(), sub.hashing.as_deref()]
                .into_iter()
                .flatten()
            {
                let a = alg.to_ascii_uppercase();
                if matches!(a.as_str(), "DES" | "3DES" | "MD5") {
                    note(o, format!("{} {a}", sub.kind), r, &mut ev);
                }
            }
            for g in [sub.dh_group.as_deref(), sub.pfs_group.as_deref()]
                .into_iter()
                .flatten()
            {
                if matches!(g, "1" | "2" | "5") {
                    note(o, format!("DH group {g}"), r, &mut ev);
                }
            }
        }
    }
    // Configured, so offered: ISAKMP suites (not the built-in defaults,
    // which only answer peers that offer them) and the transform sets and
    // PFS groups of crypto map entries.
    for (o, p) in v.policies.iter().filter(|(_, p)| !p.default) {
        let line = |prefix: &str| p.evidence.iter().find(|r| o.text_of(r).starts_with(prefix));
        let enc = p.encryption.as_deref().unwrap_or("").to_ascii_lowercase();
        if enc.contains("triple") || enc.contains("3des") {
            note(o, "IKE 3des".into(), line("encryption"), &mut ev);
        } else if enc.starts_with("des") {
            note(o, "IKE des".into(), line("encryption"), &mut ev);
        }
        let hash = p.hash.as_deref().unwrap_or("").to_ascii_lowercase();
        if hash.contains("message digest") || hash.contains("md5") {
            note(o, "IKE md5".into(), line("hash"), &mut ev);
        }
        if let Some(g) = p.dh_group.filter(|g| matches!(g, 1 | 2 | 5)) {
            note(o, format!("DH group {g}"), line("Diffie-Hellman"), &mut ev);
        }
    }
    for (o, e) in &v.maps {
        for set in &e.transform_sets {
            // The line that names the set (`3DES-MD5,` or `TS: { … }`).
            let r = e
                .evidence
                .iter()
                .filter(|r| r.what() == "algorithms")
                .find(|r| o.text_of(r).contains(set.name.as_str()));
            let inline: Vec<&str> = set.transforms.iter().map(|t| t.as_str()).collect();
            let named: Vec<&str> = v
                .transform_sets
                .iter()
                .filter(|(_, t)| t.name == set.name)
                .flat_map(|(_, t)| t.transforms.iter().map(|x| x.as_str()))
                .collect();
            for w in inline
                .iter()
                .chain(named.iter())
                .flat_map(|t| t.split_whitespace())
            {
                let lw = w.to_ascii_lowercase();
                if matches!(
                    lw.as_str(),
                    "esp-des" | "esp-3des" | "esp-md5-hmac" | "ah-md5-hmac"
                ) {
                    note(o, lw, r, &mut ev);
                }
            }
        }
        if let Some(g) = e.pfs_group.as_deref() {
            let n = g.trim_start_matches(|c: char| !c.is_ascii_digit());
            if matches!(n, "1" | "2" | "5") {
                let r = e.evidence.iter().rfind(|r| r.what() == "state");
                note(o, format!("DH group {n}"), r, &mut ev);
            }
        }
    }
    if weak.is_empty() {
        return;
    }
    let list: Vec<String> = weak.into_iter().collect();
    ev.sort_by_key(|e| e.line);
    ev.dedup();
    ev.truncate(8);
    out.push(finding(
        Draft {
            code: Code::WeakCrypto,
            severity: Severity::Warning,
            confidence: 0.9,
            title: format!("Weak algorithms in use: {}", list.join(", ")),
            explanation: "DES, 3DES, MD5 and DH groups 1, 2 and 5 are deprecated; move both ends to AES (or AES-GCM), \
                          SHA-256 or better, and DH group 14 or higher."
                .into(),
        },
        v,
        None,
        ev,
        platform_fixes(
            &v.name,
            v.platform,
            "use strong algorithms (change both ends together)",
            vec![
                "crypto ipsec transform-set TS-AES256-SHA256 esp-aes 256 esp-sha256-hmac".into(),
                "crypto isakmp policy 10".into(),
                " encryption aes 256".into(),
                " hash sha256".into(),
                " group 14".into(),
            ],
            vec![
                "crypto ipsec ikev1 transform-set TS-AES256-SHA esp-aes-256 esp-sha-hmac".into(),
                "crypto ikev1 policy 10".into(),
                " encryption aes-256".into(),
                " hash sha".into(),
                " group 14".into(),
            ],
        ),
    ));
}
