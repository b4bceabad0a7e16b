//! Removes secrets (pre-shared keys, passwords, secrets, SNMP communities)
//! from any text before it is shown. Every renderer and every evidence
//! line goes through [`redact`].

use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// What a secret is replaced with.
pub const MASK: &str = "<redacted>";

fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Each alternative ends with the secret in group `s` (or `s2`..).
        Regex::new(concat!(
            r"(?i)(?:",
            r"\bcrypto isakmp key\s+(?:[0-9]\s+)?(?P<s1>\S+)",
            r"|\bisakmp key\s+(?P<s2>\S+)",
            // IOS-XE IKEv2 keyrings name the direction first:
            // `pre-shared-key local <key>` / `pre-shared-key remote 6 <key>`.
            r"|\bpre-shared-key\s+(?:(?:address|hostname)\s+\S+(?:\s+(?:\d+\.){3}\d+)?\s+key\s+)?(?:(?:local|remote)\s+)?(?:[0-9]\s+)?(?P<s3>\S+)",
            r"|\bkey-string\s+(?:[0-9]\s+)?(?P<s4>\S+)",
            r"|\b(?:password|secret)\s+(?:[0-9]\s+)?(?P<s5>\S+)",
            r"|\bsnmp-server community\s+(?P<s6>\S+)",
            r"|\bconfiguration group\s+\S+\s+key\s+(?P<s7>\S+)",
            r"|^\s*key\s+(?:[0-9]\s+)?(?P<s8>\S+)",
            r"|\bpre-shared key\s+(?:is\s+)?(?P<s9>[^\s!.,]+)\s*$",
            r")"
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// Returns `text` with every secret value replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    // Cheap pre-check: every pattern names one of these words.
    static WORDS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["key", "password", "secret", "community"])
            .ok()
    });
    if let Some(w) = words {
        if !w.is_match(text) {
            return Cow::Borrowed(text);
        }
    }
    let re = patterns();
    if !re.is_match(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let secret = (1..=9).find_map(|i| caps.name(&format!("s{i}")));
        if let Some(m) = secret {
            let v = m.as_str();
            // Already masked, or a placeholder such as `<pre-shared-key>`.
            if v == MASK || v.chars().all(|c| c == '*') || (v.starts_with('<') && v.ends_with('>'))
            {
                continue;
            }
            out.push_str(&text[last..m.start()]);
            out.push_str(MASK);
            last = m.end();
        }
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_passwords_and_communities_are_masked() {
        let cases = [
            (
                "  pre-shared-key local Secr3t-L",
                "  pre-shared-key local <redacted>",
            ),
            (
                " pre-shared-key remote 6 Secr3t-R",
                " pre-shared-key remote 6 <redacted>",
            ),
            (
                " ikev2 remote-authentication pre-shared-key Secr3t",
                " ikev2 remote-authentication pre-shared-key <redacted>",
            ),
            (
                "crypto isakmp key cisco123  address 203.0.113.1",
                "crypto isakmp key <redacted>  address 203.0.113.1",
            ),
            (
                "spoke1(config)#crypto isakmp key 6 Fr0g address 1.1.1.1",
                "spoke1(config)#crypto isakmp key 6 <redacted> address 1.1.1.1",
            ),
            (
                " ikev1 pre-shared-key S3cret!",
                " ikev1 pre-shared-key <redacted>",
            ),
            (
                "  pre-shared-key address 10.0.0.1 key k3y",
                "  pre-shared-key address 10.0.0.1 key <redacted>",
            ),
            (
                "isakmp key abc address 1.2.3.4 netmask 255.255.255.255",
                "isakmp key <redacted> address 1.2.3.4 netmask 255.255.255.255",
            ),
            ("enable secret 5 $1$abcd$xyz", "enable secret 5 <redacted>"),
            (
                "username admin password 7 0822455D0A16",
                "username admin password 7 <redacted>",
            ),
            (
                "snmp-server community public RO",
                "snmp-server community <redacted> RO",
            ),
            (
                "crypto isakmp client configuration group hw key hw-pass dns 1.1.1.1",
                "crypto isakmp client configuration group hw key <redacted> dns 1.1.1.1",
            ),
            (" key hw-client-password", " key <redacted>"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    #[test]
    fn diagnostic_text_about_keys_is_left_alone() {
        for s in [
            "ISAKMP-ERROR: (0):No pre-shared key with 203.0.113.1!",
            "ISAKMP:(0):found peer pre-shared key matching 77.77.77.77",
            "ISAKMP: (0):local preshared key found",
            "had problems decrypting packet, probably due to mismatched pre-shared key.  Aborting",
        ] {
            assert_eq!(redact(s), s);
        }
    }
}
