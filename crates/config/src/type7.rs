//! Pre-shared keys as they appear in configurations, turned into
//! [`SecretDigest`]s that compare equal exactly when the keys are equal.
//!
//! - type 0 (or no type): the key itself;
//! - type 7: Cisco's reversible Vigenère obfuscation, decoded first, so
//!   `key 7 0822455D0A16` and `key cisco` compare equal;
//! - type 6 / 8 / 9 (and type 7 text that does not decode): cannot be read
//!   back; the encrypted text is digested under a prefix so it only ever
//!   equals the same encrypted text;
//! - masked keys (`*****`, as `show running-config` prints them on ASA and
//!   PIX): unknown; each gets a digest of its own place, equal to nothing else.

use ipsec_doctor_model::config::SecretDigest;

/// The translation string of IOS type 7 passwords.
const XLAT: &[u8] = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/// Decodes an IOS type 7 string (`0822455D0A16` → `cisco`); `None` when
/// it is not valid type 7 text.
pub fn decode_type7(encoded: &str) -> Option<String> {
    let e = encoded.as_bytes();
    if e.len() < 2 || e.len() % 2 != 0 {
        return None;
    }
    let seed: usize = std::str::from_utf8(&e[..2]).ok()?.parse().ok()?;
    let mut out = Vec::with_capacity(e.len() / 2 - 1);
    for (i, pair) in e[2..].chunks(2).enumerate() {
        let hex = std::str::from_utf8(pair).ok()?;
        let b = u8::from_str_radix(hex, 16).ok()?;
        out.push(b ^ XLAT[(seed + i) % XLAT.len()]);
    }
    Some(match String::from_utf8(out) {
        Ok(s) => s,
        // Keep every byte distinct (Latin-1), so different keys stay different.
        Err(e) => e.into_bytes().into_iter().map(char::from).collect(),
    })
}

/// Whether a key was printed masked (`*****`, `<redacted>`).
pub fn is_masked(key: &str) -> bool {
    (!key.is_empty() && key.chars().all(|c| c == '*'))
        || (key.starts_with('<') && key.ends_with('>'))
}

/// The digest of a key written with an optional encryption type digit.
/// `place` identifies where the key was read (used only for masked keys).
pub fn key_digest(key_type: Option<u8>, key: &str, place: &str) -> SecretDigest {
    if is_masked(key) {
        return SecretDigest::of(&format!("\u{0}masked\u{0}{place}"));
    }
    match key_type {
        None | Some(0) => SecretDigest::of(key),
        Some(7) => match decode_type7(key) {
            Some(plain) => SecretDigest::of(&plain),
            None => SecretDigest::of(&format!("\u{0}type7-invalid\u{0}{key}")),
        },
        Some(t) => SecretDigest::of(&format!("\u{0}type{t}\u{0}{key}")),
    }
}

/// Splits `[TYPE] KEY rest…` where a type is a single digit followed by
/// the key and then `next` (the word that must follow the key, when known).
pub fn split_key<'a, 'b>(
    w: &'b [&'a str],
    next: &[&str],
) -> Option<(Option<u8>, &'a str, &'b [&'a str])> {
    let is_type = |t: &str| t.len() == 1 && t.as_bytes()[0].is_ascii_digit();
    let follows = |i: usize| match w.get(i) {
        None => next.is_empty(),
        Some(t) => next.is_empty() || next.iter().any(|n| t.eq_ignore_ascii_case(n)),
    };
    if w.len() >= 2 && is_type(w[0]) && follows(2) {
        let t = w[0].parse().ok();
        return Some((t, w[1], &w[2..]));
    }
    let key = *w.first()?;
    Some((None, key, &w[1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_decodes_known_values() {
        assert_eq!(decode_type7("0822455D0A16").as_deref(), Some("cisco"));
        assert_eq!(decode_type7("121A0C041104").as_deref(), Some("cisco"));
        assert_eq!(decode_type7("08"), Some(String::new()));
        assert_eq!(decode_type7("0822455D0A1"), None);
        assert_eq!(decode_type7("XX22455D0A16"), None);
        assert_eq!(decode_type7("0822455D0AZZ"), None);
        assert_eq!(decode_type7("08é1"), None);
    }

    #[test]
    fn digests_compare_like_the_keys() {
        let plain = key_digest(None, "cisco", "a:1");
        assert_eq!(plain, key_digest(Some(0), "cisco", "b:2"));
        assert_eq!(plain, key_digest(Some(7), "0822455D0A16", "c:3"));
        assert_ne!(plain, key_digest(Some(6), "cisco", "d:4"));
        assert_eq!(
            key_digest(Some(6), "ABC", "x"),
            key_digest(Some(6), "ABC", "y")
        );
        assert_ne!(
            key_digest(Some(6), "ABC", "x"),
            key_digest(Some(8), "ABC", "x")
        );
        assert_ne!(key_digest(Some(7), "zz", "x"), key_digest(None, "zz", "x"));
        let m1 = key_digest(None, "*****", "asa:10");
        assert_ne!(m1, key_digest(None, "*****", "asa:11"));
        assert_ne!(m1, key_digest(None, "*****", "other:10"));
    }

    #[test]
    fn key_type_digits_are_told_from_keys() {
        let w = ["7", "0822455D0A16", "address", "1.1.1.1"];
        assert_eq!(
            split_key(&w, &["address"]).map(|(t, k, _)| (t, k)),
            Some((Some(7), "0822455D0A16"))
        );
        let w = ["7", "address", "1.1.1.1"];
        assert_eq!(
            split_key(&w, &["address"]).map(|(t, k, _)| (t, k)),
            Some((None, "7"))
        );
        let w = ["s3cret"];
        assert_eq!(
            split_key(&w, &[]).map(|(t, k, _)| (t, k)),
            Some((None, "s3cret"))
        );
        let w = ["8", "ENCRYPTED"];
        assert_eq!(
            split_key(&w, &[]).map(|(t, k, _)| (t, k)),
            Some((Some(8), "ENCRYPTED"))
        );
        let w = ["5"];
        assert_eq!(
            split_key(&w, &[]).map(|(t, k, _)| (t, k)),
            Some((None, "5"))
        );
    }
}
