//! Configuration the simulator does not model yet, named for the user so
//! that "nothing found" is not read as "nothing wrong": IKEv2 (proposals,
//! policies, keyrings, profiles, ASA IKEv2 proposals and keys) and
//! tunnel-protection VTIs. Only IKEv1 crypto maps are simulated.

/// One kind of configuration that is read past, with the lines it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSimulated {
    /// What it is, for the user (`IKEv2`, `VTI tunnel protection`).
    pub what: &'static str,
    /// 1-based line numbers.
    pub lines: Vec<u64>,
}

/// The kinds of configuration in `text` that are not simulated, in the
/// order they first appear.
pub fn not_simulated(text: &str) -> Vec<NotSimulated> {
    let mut out: Vec<NotSimulated> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let what = if t.starts_with("crypto ikev2 ")
            || t.starts_with("crypto ipsec ikev2 ")
            || t.starts_with("ikev2 remote-authentication")
            || t.starts_with("ikev2 local-authentication")
            || (t.starts_with("crypto map ") && t.contains(" set ikev2 "))
            || t.starts_with("set ikev2-profile")
        {
            "IKEv2"
        } else if t.starts_with("tunnel protection ipsec profile")
            || t.starts_with("crypto ipsec profile ")
        {
            "VTI tunnel protection"
        } else {
            continue;
        };
        let no = i as u64 + 1;
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

/// A line for the input summary: `IKEv2 (lines 3–19), VTI tunnel
/// protection (line 30)` (from the first to the last line that names it),
/// or `None` when everything is simulated.
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
    fn ikev2_and_vti_are_named_with_their_lines() {
        let ios = "hostname R1\ncrypto ikev2 proposal P\n encryption aes-cbc-256\ncrypto ikev2 profile X\n\
                   crypto ipsec profile IPP\n set ikev2-profile X\ninterface Tunnel0\n tunnel protection ipsec profile IPP\n";
        assert_eq!(
            not_simulated_summary(ios).as_deref(),
            Some("IKEv2 (lines 2–6), VTI tunnel protection (lines 5–8)")
        );
        let asa = "crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n\
                   crypto map M 10 set ikev2 ipsec-proposal P\ntunnel-group 1.2.3.4 ipsec-attributes\n \
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
