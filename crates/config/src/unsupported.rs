//! Configuration the simulator does not model yet, named for the user so
//! that "nothing found" is not read as "nothing wrong".
//!
//! Simulated: IKEv1 crypto maps, and IKEv2 crypto maps (and dynamic maps)
//! with pre-shared keys (IOS-XE `set ikev2-profile`, ASA `set ikev2
//! ipsec-proposal`).
//! Simulated too: tunnel protection (IOS and ASA VTIs, GRE with `tunnel
//! protection`), as the crypto map entry each tunnel stands for.
//! Not simulated: the IKEv2 configuration of a file whose crypto maps and
//! IPsec profiles use none of it (remote access), IKEv2 certificate / EAP
//! authentication, and DMVPN (multipoint GRE: its peers come from NHRP).

/// One kind of configuration that is read past, with the lines it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSimulated {
    /// What it is, for the user (`IKEv2`, `IKEv2 certificate/EAP
    /// authentication`).
    pub what: &'static str,
    /// 1-based line numbers.
    pub lines: Vec<u64>,
}

fn is_ikev2(t: &str) -> bool {
    t.starts_with("crypto ikev2 ")
        || t.starts_with("crypto ipsec ikev2 ")
        || t.starts_with("ikev2 remote-authentication")
        || t.starts_with("ikev2 local-authentication")
        || ((t.starts_with("crypto map ") || t.starts_with("crypto dynamic-map "))
            && t.contains(" set ikev2 "))
        || t.starts_with("set ikev2-profile")
}

/// IKEv2 authentication other than pre-shared keys.
fn is_ikev2_non_psk(t: &str) -> bool {
    let auth = t.starts_with("authentication local ") || t.starts_with("authentication remote ");
    (auth && !t.ends_with(" pre-share"))
        || ((t.starts_with("ikev2 remote-authentication")
            || t.starts_with("ikev2 local-authentication"))
            && !t.contains("pre-shared-key"))
}

/// The kinds of configuration in `text` that are not simulated, in the
/// order they first appear.
pub fn not_simulated(text: &str) -> Vec<NotSimulated> {
    // IKEv2 is simulated when a crypto map entry (or a dynamic-map entry)
    // uses it: IOS-XE `set ikev2-profile` inside a `crypto map` block, or
    // ASA `crypto map M N set ikev2 ipsec-proposal`.
    // Tunnel protection is simulated (as the crypto map entry each tunnel
    // stands for): IKEv2 named in an IPsec profile counts as used.
    // Read through the block structure (tab-indented and typed
    // configurations included), not by leading spaces.
    // Every kind below names `ikev2` or `gre multipoint`: without them (most
    // configurations of a fleet) there is nothing to read the blocks for.
    if !text.contains("ikev2") && !text.contains("gre multipoint") {
        return Vec::new();
    }
    let tree = crate::tree::parse_typed(text, true);
    // Every command line with the head of its block and whether it is a
    // sub-command, in line order.
    let mut lines: Vec<(&str, &str, bool, u64)> = tree
        .blocks
        .iter()
        .flat_map(|b| {
            std::iter::once((b.head.text, b.head.text, false, b.head.no))
                .chain(b.body.iter().map(|l| (b.head.text, l.text, true, l.no)))
        })
        .collect();
    lines.sort_by_key(|l| l.3);
    let mut v2_maps = false;
    for &(block, t, _, _) in &lines {
        let map_block = block.starts_with("crypto map ")
            || block.starts_with("crypto dynamic-map ")
            || block.starts_with("crypto ipsec profile ");
        let map_line = t.starts_with("crypto map ") || t.starts_with("crypto dynamic-map ");
        if ((t.starts_with("set ikev2-profile") || t.starts_with("set ikev2 ")) && map_block)
            || (map_line && t.contains(" set ikev2 "))
        {
            v2_maps = true;
        }
    }
    let mut out: Vec<NotSimulated> = Vec::new();
    for &(block, t, sub, no) in &lines {
        let in_ikev2_profile = sub && block.starts_with("crypto ikev2 profile ");
        let what = if !v2_maps && is_ikev2(t) {
            "IKEv2"
        } else if v2_maps && (in_ikev2_profile || t.starts_with("ikev2 ")) && is_ikev2_non_psk(t) {
            "IKEv2 certificate/EAP authentication"
        } else if t.starts_with("tunnel mode gre multipoint") {
            // DMVPN: peers come from NHRP, not from the configuration.
            "DMVPN (mGRE tunnel protection)"
        } else {
            continue;
        };
        match out.iter_mut().find(|n| n.what == what) {
            Some(n) => n.lines.push(no),
            None => out.push(NotSimulated {
                what,
                lines: vec![no],
            }),
        }
    }
    out
}

/// A line for the input summary: `IKEv2 (lines 3–19), IKEv2
/// certificate/EAP authentication (line 30)` (from the first to the last
/// line that names it), or `None` when everything is simulated.
pub fn not_simulated_summary(text: &str) -> Option<String> {
    let parts: Vec<String> = not_simulated(text)
        .iter()
        .map(|n| {
            let (first, last) = (n.lines[0], n.lines[n.lines.len() - 1]);
            if first == last {
                format!("{} (line {first})", n.what)
            } else {
                format!("{} (lines {first}–{last})", n.what)
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ikev2_crypto_maps_are_simulated_certificates_are_not() {
        let ios = "crypto ikev2 proposal P\n encryption aes-cbc-256\ncrypto ikev2 profile X\n \
                   authentication remote rsa-sig\n authentication local pre-share\n\
                   crypto map M 10 ipsec-isakmp\n set ikev2-profile X\n";
        assert_eq!(
            not_simulated_summary(ios).as_deref(),
            Some("IKEv2 certificate/EAP authentication (line 4)")
        );
        let asa = "crypto ikev2 policy 10\n encryption aes-256\ncrypto map M 10 set ikev2 ipsec-proposal P\n\
                   tunnel-group 1.2.3.4 ipsec-attributes\n ikev2 remote-authentication pre-shared-key *****\n";
        assert_eq!(not_simulated_summary(asa), None);
        // `set ikev2-profile` in an IOS IPsec profile (VTI) is simulated.
        let vti = "crypto ikev2 profile X\ncrypto ipsec profile IPP\n set ikev2-profile X\n";
        assert_eq!(not_simulated_summary(vti), None);
    }

    #[test]
    fn tab_indented_and_typed_vtis_are_simulated() {
        // Sub-commands indented with tabs, and typed at the left margin.
        let tabs =
            "crypto ikev2 profile X\n\tmatch identity remote address 192.0.2.1 255.255.255.255\n\
                    crypto ipsec profile IPP\n\tset ikev2-profile X\ninterface Tunnel 3\n\
                    \ttunnel protection ipsec profile IPP\n";
        assert_eq!(not_simulated_summary(tabs), None);
        let typed = "crypto ikev2 profile X\nauthentication remote pre-share\nexit\n\
                     crypto ipsec profile IPP\nset ikev2-profile X\nexit\n";
        assert_eq!(not_simulated_summary(typed), None);
        let certs = "crypto ikev2 profile X\nauthentication remote rsa-sig\nexit\n\
                     crypto ipsec profile IPP\nset ikev2-profile X\nexit\n";
        assert!(not_simulated_summary(certs).is_some_and(|s| s.contains("certificate")));
    }

    #[test]
    fn ikev2_no_entry_uses_is_named_with_its_lines() {
        let ios = "hostname R1\ncrypto ikev2 proposal P\n encryption aes-cbc-256\ncrypto ikev2 profile X\n\
                   crypto ipsec profile IPP\n set ikev2-profile X\ninterface Tunnel0\n tunnel protection ipsec profile IPP\n";
        // IOS tunnel protection is simulated, IKEv2 profiles and all.
        assert_eq!(not_simulated_summary(ios), None);
        // DMVPN is not: its peers are learnt at run time.
        let dmvpn = "crypto ipsec profile P\n set transform-set T\ninterface Tunnel0\n \
                     tunnel source Gi1\n tunnel mode gre multipoint\n tunnel protection ipsec profile P\n";
        assert_eq!(
            not_simulated_summary(dmvpn).as_deref(),
            Some("DMVPN (mGRE tunnel protection) (line 5)")
        );
        // An ASA VTI is simulated too.
        let asa_vti = "ASA Version 9.16(4)\nhostname HQ\ncrypto ipsec ikev2 ipsec-proposal X\n\
                       crypto ipsec profile P\n set ikev2 ipsec-proposal X\n\
                       interface Tunnel1\n nameif vti\n tunnel protection ipsec profile P\n";
        assert_eq!(not_simulated_summary(asa_vti), None);
        // ASA IKEv2 configuration no crypto map uses (remote access).
        let asa = "crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n\
                   crypto ikev2 enable outside\ntunnel-group RA ipsec-attributes\n \
                   ikev2 remote-authentication pre-shared-key *****\n";
        assert_eq!(
            not_simulated_summary(asa).as_deref(),
            Some("IKEv2 (lines 1–5)")
        );
        assert_eq!(
            not_simulated_summary("crypto isakmp policy 10\ncrypto map M 10 ipsec-isakmp\n"),
            None
        );
    }
}
