//! Small helpers shared by the parsers: keyword matching, numbers,
//! addresses and evidence origins.

use crate::tree::Line;
use ipsec_doctor_model::config::Origin;
use ipsec_doctor_model::redact::redact;
use std::borrow::Cow;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// `word` in lower case. Configurations are mostly lower case: only a word
/// with capitals (an interface name, mostly) is copied.
pub fn lower_word(word: &str) -> Cow<'_, str> {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// The words in lower case, for matching keywords.
pub fn lower<'a>(words: &[&'a str]) -> Vec<Cow<'a, str>> {
    words.iter().map(|w| lower_word(w)).collect()
}

/// Borrowed view of [`lower`]'s result, for slice patterns.
pub fn keys<'a>(lowered: &'a [Cow<'_, str>]) -> Vec<&'a str> {
    lowered.iter().map(|w| w.as_ref()).collect()
}

/// An interface name typed with a space between its type and its number
/// (`interface Tunnel 10`, `tunnel source ethernet 0/0`): the CLI accepts
/// it and the running configuration prints it joined (`Tunnel10`). `None`
/// unless `ty` is letters only and `number` starts with a digit.
pub fn spaced_interface(ty: &str, number: &str) -> Option<String> {
    (!ty.is_empty()
        && ty.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        && number.bytes().next().is_some_and(|b| b.is_ascii_digit()))
    .then(|| format!("{ty}{number}"))
}

/// A dotted-quad IPv4 address.
pub fn ipv4(s: &str) -> Option<Ipv4Addr> {
    s.parse().ok()
}

/// A decimal number of any integer type.
pub fn num<T: FromStr>(s: &str) -> Option<T> {
    if s.starts_with('+') {
        return None;
    }
    s.parse().ok()
}

/// A Diffie-Hellman group written `group5`, `5` or `group 5`.
pub fn dh_group(s: &str) -> Option<u8> {
    let l = s.to_ascii_lowercase();
    num(l.strip_prefix("group").unwrap_or(&l))
}

/// The mask of a prefix length (`/24`, `24`).
pub fn prefix_mask(s: &str) -> Option<Ipv4Addr> {
    let n: u32 = num(s.strip_prefix('/').unwrap_or(s))?;
    match n {
        0 => Some(Ipv4Addr::UNSPECIFIED),
        1..=32 => Some(Ipv4Addr::from(u32::MAX << (32 - n))),
        _ => None,
    }
}

/// Where a line is, with secrets masked.
pub fn origin(line: &Line<'_>) -> Origin {
    Origin {
        line: line.no,
        text: redact(line.text).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_prefixes() {
        assert_eq!(dh_group("group14"), Some(14));
        assert_eq!(dh_group("5"), Some(5));
        assert_eq!(dh_group("groupx"), None);
        assert_eq!(prefix_mask("/24"), ipv4("255.255.255.0"));
        assert_eq!(prefix_mask("0"), ipv4("0.0.0.0"));
        assert_eq!(prefix_mask("33"), None);
        assert_eq!(num::<u8>("+5"), None);
    }
}
