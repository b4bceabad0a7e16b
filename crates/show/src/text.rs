//! Small, allocation-free text helpers shared by the section parsers.

/// Trims ASCII whitespace (and NUL) on both ends; faster than `str::trim`
/// and never splits a UTF-8 sequence (only ASCII bytes are removed).
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    let mut end = b.len();
    while start < end && is_space(b[start]) {
        start += 1;
    }
    while end > start && is_space(b[end - 1]) {
        end -= 1;
    }
    // Only ASCII bytes were skipped, so both ends are char boundaries.
    s.get(start..end).unwrap_or("")
}

/// ASCII whitespace as Cisco output uses it.
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c' | 0)
}

/// Whitespace-separated tokens with their byte offsets.
pub(crate) struct Tokens<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(s: &'a str) -> Tokens<'a> {
        Tokens { s, pos: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let b = self.s.as_bytes();
        let mut i = self.pos;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        while i < b.len() && !is_space(b[i]) {
            i += 1;
        }
        self.pos = i;
        self.s.get(start..i).map(|t| (start, t))
    }
}

/// The tokens of `s` (no offsets).
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    Tokens::new(s).map(|(_, t)| t)
}

/// If `s` starts with `label`, the rest (trimmed).
#[inline]
pub(crate) fn after<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    s.strip_prefix(label).map(trim)
}

/// Strips trailing punctuation that Cisco glues to values (`,` `;` `.` `:`).
pub(crate) fn strip_punct(s: &str) -> &str {
    s.trim_end_matches([',', ';', ':'])
}

/// Parses an unsigned decimal number, ignoring trailing `,`/`;`/`:`.
pub(crate) fn num(s: &str) -> Option<u64> {
    let s = strip_punct(s);
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s.as_bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// `num` narrowed to u32.
pub(crate) fn num32(s: &str) -> Option<u32> {
    num(s).and_then(|v| u32::try_from(v).ok())
}

/// Whether `s` is a dotted-quad IPv4 address.
pub(crate) fn is_ipv4(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 7 || b.len() > 15 {
        return false;
    }
    let mut parts = 0;
    let mut digits = 0;
    let mut val: u32 = 0;
    for &c in b {
        if c == b'.' {
            if digits == 0 {
                return false;
            }
            parts += 1;
            digits = 0;
            val = 0;
        } else if c.is_ascii_digit() {
            digits += 1;
            val = val * 10 + u32::from(c - b'0');
            if digits > 3 || val > 255 {
                return false;
            }
        } else {
            return false;
        }
    }
    parts == 3 && digits > 0
}

/// Whether `s` looks like an IPv4 or IPv6 address.
pub(crate) fn is_ip(s: &str) -> bool {
    is_ipv4(s)
        || (s.len() >= 2
            && s.contains(':')
            && s.bytes()
                .all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.'))
}

/// Parses a hexadecimal SPI with or without `0x`.
pub(crate) fn hex32(s: &str) -> Option<u32> {
    let s = s.trim_start_matches("0x").trim_start_matches("0X");
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Splits `addr/port` (`172.16.248.119/4500`) into its parts.
pub(crate) fn addr_port(s: &str) -> (String, Option<u16>) {
    let s = strip_punct(s);
    if let Some((a, p)) = s.rsplit_once('/') {
        if let Some(port) = num(p).and_then(|v| u16::try_from(v).ok()) {
            return (a.to_string(), Some(port));
        }
    }
    (s.to_string(), None)
}

/// Collapses runs of whitespace to one space.
pub(crate) fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Finds `needle` in `hay` (memchr's SIMD substring search).
#[inline]
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// The state-machine word of an ISAKMP state (`MM_NO_STATE`, `AM_Active`).
pub(crate) fn is_state_word(s: &str) -> bool {
    s.len() >= 4
        && s.contains('_')
        && s.as_bytes()[0].is_ascii_alphabetic()
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(trim("  a b \r"), "a b");
        assert_eq!(trim("   "), "");
        assert_eq!(num("123,"), Some(123));
        assert_eq!(num("12a"), None);
        assert_eq!(num("99999999999999999999999"), None);
        assert!(is_ipv4("10.1.0.2"));
        assert!(!is_ipv4("10.1.0"));
        assert!(!is_ipv4("256.1.1.1"));
        assert!(!is_ipv4("1.2.3.4."));
        assert_eq!(hex32("0x3D3"), Some(0x3d3));
        assert_eq!(hex32("DC15BF68"), Some(0xDC15_BF68));
        assert_eq!(hex32("123456789"), None);
        assert_eq!(
            addr_port("172.16.248.119/4500,"),
            ("172.16.248.119".to_string(), Some(4500))
        );
        assert_eq!(squeeze(" a   b\tc "), "a b c");
        let t: Vec<_> = Tokens::new(" ab  c").collect();
        assert_eq!(t, vec![(1, "ab"), (5, "c")]);
        assert!(is_state_word("MM_NO_STATE"));
        assert!(is_state_word("AM_Active"));
        assert!(!is_state_word("ACTIVE"));
    }
}
