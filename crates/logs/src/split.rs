//! Splits text whose line breaks were lost (pasted into a web page or a
//! ticket) back into records at known record starts.
//!
//! Two kinds of start: *strong* ones (IOS ISAKMP/IPSEC tags, `%FAC-n-MNEM:`
//! tags, uptime and clock stamps, `=Router=` markers) split any long line;
//! *weak* ones (message beginnings such as `processing … payload`) split only
//! long untagged lines that contain several of them. A normal one-message
//! line is never split.

use regex::Regex;
use std::sync::OnceLock;

/// Lines shorter than this are taken as one record.
const MIN_FLAT_LEN: usize = 120;
/// Untagged lines at least this long with several weak starts are split.
const MIN_WEAK_LEN: usize = 240;

fn strong() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:ISAKMP(?:-PAK|-ERROR)?\s*(?:\(\d+(?::\d+)*\)\s*)?[:;]",
            r"|IPSE[Cc]\s*\(\w+\)\s*:?",
            r"|%[A-Z0-9_|]+(?:-[A-Za-z0-9_]+)*-\d-[A-Z0-9_]+:",
            r"|\b\d{1,3}[wdhy]\d{1,2}[dhmw]:\s",
            r"|\b\d{1,2}:\d{2}:\d{2}:\s",
            r"|=[A-Za-z][\w-]*=\s",
            r"|crypto_isakmp_process_block:|oakley_process_quick_mode:|return status is IKMP",
            r"|crypto_engine_select_crypto_engine:",
            r"|[A-Z][a-z]{2} +\d{1,2} +(?:\d{4} +)?\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\S*\s",
            r")"
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

fn weak() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:processing \w+ payload|Checking ISAKMP transform|Checking IPSec proposal|atts (?:are )?(?:not )?acceptable",
            r"|SA has been authenticated|SKEYID state|encryption [A-Z0-9]+-CBC|hash (?:SHA|MD5)\b|default group \d|auth pre-share",
            r"|life type in|life duration|SA life type|SA life duration|HMAC algorithm is|encaps is \d|attributes in transform",
            r"|Invalid attribute combinations|transform \d+, ESP_)"
        ))
        .unwrap_or_else(|_| unreachable!("constant regex compiles"))
    })
}

/// Splits one physical line into records. Returns the line itself when it
/// is not flattened.
pub fn split(line: &str) -> Vec<&str> {
    split_flattened(line).unwrap_or_else(|| vec![line])
}

/// The records of a flattened line, or `None` when the line is one record
/// (the common case, decided without allocating).
pub fn split_flattened(line: &str) -> Option<Vec<&str>> {
    if line.len() < MIN_FLAT_LEN {
        return None;
    }
    // Starts inside the line's own prefix (timestamp, host, tag) never cut;
    // most long lines have no start after it, which is decided here
    // without allocating.
    let body = crate::header::parse(line).body;
    let body_at = body.as_ptr() as usize - line.as_ptr() as usize;
    // Every strong start holds ':' (tags, stamps, `ISAKMP:`), '(' (`IPSEC(`)
    // or '=' (markers); a body with none of them is one record.
    let may_hold_start = memchr::memchr3(b':', b'(', b'=', body.as_bytes()).is_some();
    let strong_later = may_hold_start && strong().find_at(line, body_at + 1).is_some();
    let weak_possible = body.len() >= MIN_WEAK_LEN && weak().find(body).is_some();
    if body_at < line.len() && !strong_later && !weak_possible {
        return None;
    }
    let starts: Vec<usize> = strong().find_iter(line).map(|m| m.start()).collect();
    let tagged = !starts.is_empty();
    let mut cuts: Vec<usize> = starts
        .into_iter()
        .filter(|&p| p > body_at && boundary_before(line, p))
        .collect();
    if !tagged && line.len() >= MIN_WEAK_LEN {
        let weak_cuts: Vec<usize> = weak()
            .find_iter(line)
            .map(|m| m.start())
            .filter(|&p| p > 0 && line[..p].ends_with(' '))
            .collect();
        if weak_cuts.len() >= 3 {
            cuts.extend(weak_cuts);
        }
    }
    if cuts.is_empty() {
        return None;
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for c in cuts {
        let piece = line[start..c].trim();
        // A piece that is only a prefix (collector stamp, sequence number,
        // timestamp) belongs to the record that follows it.
        if crate::header::parse(piece).body.is_empty() {
            continue;
        }
        out.push(piece);
        start = c;
    }
    let last = line[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    (out.len() > 1).then_some(out)
}

/// A start counts when it follows white space, or is an `IPSEC(` tag glued
/// to the end of the previous message (`INITIAL_CONTACTIPSEC(key_engine)`).
fn boundary_before(line: &str, p: usize) -> bool {
    let prev = line[..p].chars().next_back();
    match prev {
        Some(c) if c.is_whitespace() => true,
        Some(c) if c.is_ascii_uppercase() || c == '.' || c == ')' => {
            line[p..].starts_with("IPSEC(")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_normal_lines_are_kept_whole() {
        let l = "%ASA-4-402116: IPSEC: Received an ESP packet (SPI= 0x76F99C4C, sequence number= 0x2D) from 93.184.216.34 (user= 93.184.216.34) to 11.11.11.11.  The decapsulated inner packet doesn't match the negotiated policy in the SA.";
        assert_eq!(split(l), vec![l]);
        assert_eq!(
            split("ISAKMP (0:1): SA not acceptable!"),
            vec!["ISAKMP (0:1): SA not acceptable!"]
        );
    }

    #[test]
    fn seed_main_mode_failure_splits_into_four_records() {
        let l = "1d00h: ISAKMP (0:1): atts are not acceptable. Next payload is 0 1d00h: ISAKMP (0:1); no offers accepted! 1d00h: ISAKMP (0:1): SA not acceptable! 1d00h: %CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode failed with peer at 198.51.100.1";
        let got = split(l);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[3].starts_with("1d00h: %CRYPTO-6-IKMP_MODE_FAILURE"));
    }

    #[test]
    fn glued_ipsec_tag_and_collector_prefixes() {
        let l = "ISAKMP (0): ID_IPV4_ADDR dst 10.1.0.1 prot 0 port 0 INITIAL_CONTACTIPSEC(key_engine): got a queue event... IPSEC(spi_response): getting spi 0xd532efbd(3576885181) for SA";
        let got = split(l);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[1].starts_with("IPSEC(key_engine)"));
        let l = "Sep 22 11:02:39 203.0.113.16 2435: Sep 22 11:02:39: %MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure Sep 22 11:02:39 203.0.113.16 2436: Sep 22 11:02:39: %MOTCR-1-PKTENGRET_ERROR: MOTCR PktEng Return Value = 0x20000, PktEngReturn_MACMiscompare";
        let got = split(l);
        assert!(
            got.iter()
                .any(|p| p.starts_with("Sep 22 11:02:39 203.0.113.16 2436")),
            "{got:#?}"
        );
    }

    #[test]
    fn untagged_debug_paragraph_splits_at_message_starts() {
        let l = "processing SA payload. message ID = 0 Checking ISAKMP transform against priority 1 policy encryption DES-CBC hash SHA default group 2 auth pre-share life type in seconds life duration (basic) of 240 atts are acceptable. Next payload is 0 processing KE payload. message ID = 0 SA has been authenticated";
        let got = split(l);
        assert!(
            got.contains(&"atts are acceptable. Next payload is 0"),
            "{got:#?}"
        );
        assert!(got.contains(&"SA has been authenticated"));
    }
}
