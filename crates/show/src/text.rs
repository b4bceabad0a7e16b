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
    // Every other byte of a token is above the space: one compare for them.
    b <= b' ' && (b == b' ' || matches!(b, b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c' | 0))
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
        let Some((start, end)) = next_token(self.s.as_bytes(), self.pos) else {
            self.pos = self.s.len();
            return None;
        };
        self.pos = end;
        self.s.get(start..end).map(|t| (start, t))
    }
}

/// The byte range of the first whitespace-separated token of `b` at or
/// after `from`.
#[inline]
fn next_token(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let start = i;
    while i < b.len() && !is_space(b[i]) {
        i += 1;
    }
    Some((start, i))
}

/// Appends the byte ranges of the whitespace-separated tokens of `s` to
/// `out`: [`Tokens`] without building a `&str` per token (which checks
/// both ends for a char boundary), for parsers that keep ranges.
pub(crate) fn token_ranges(s: &str, out: &mut Vec<(usize, usize)>) {
    let b = s.as_bytes();
    let mut at = 0;
    while let Some((start, end)) = next_token(b, at) {
        out.push((start, end));
        at = end;
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
#[inline]
pub(crate) fn strip_punct(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b',' | b';' | b':') {
        end -= 1;
    }
    // Only ASCII bytes were removed.
    s.get(..end).unwrap_or("")
}

/// Parses an unsigned decimal number, ignoring trailing `,`/`;`/`:`.
// In the counter loop: a call per token cost 2 % of an `ipsec sa` parse.
#[inline]
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
pub(crate) fn addr_port(s: &str) -> (Text, Option<u16>) {
    let s = strip_punct(s);
    if let Some(i) = memchr::memrchr(b'/', s.as_bytes()) {
        if let Some(port) = num(&s[i + 1..]).and_then(|v| u16::try_from(v).ok()) {
            return (Text::new(&s[..i]), Some(port));
        }
    }
    (Text::new(s), None)
}

/// Collapses runs of whitespace to one space.
pub(crate) fn squeeze(s: &str) -> Text {
    let t = trim(s);
    let b = t.as_bytes();
    // Most values are clean: stored as they are, without a copy to build.
    let clean = b.windows(2).all(|w| !(is_space(w[0]) && is_space(w[1])))
        && !b.iter().any(|&c| c != b' ' && is_space(c));
    if clean {
        return Text::new(t);
    }
    Text::from(squeeze_string(t))
}

/// [`squeeze`] into a `String`.
pub(crate) fn squeeze_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Finds `needle` in `hay`. Lines are short, so a `memchr` on the first
/// byte and a compare beats building a substring searcher per call.
#[inline]
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let (&first, rest) = n.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, h.get(from..)?) {
        let at = from + i;
        if h.get(at + 1..at + n.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
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
            (Text::new("172.16.248.119"), Some(4500))
        );
        assert_eq!(squeeze(" a   b\tc "), "a b c");
        let t: Vec<_> = Tokens::new(" ab  c").collect();
        assert_eq!(t, vec![(1, "ab"), (5, "c")]);
        for s in [" ab  c", "", "   ", "x", "é \t\x0b ü ", "a\x01b c"] {
            let mut r = Vec::new();
            token_ranges(s, &mut r);
            let from_tokens: Vec<(usize, usize)> =
                Tokens::new(s).map(|(a, w)| (a, a + w.len())).collect();
            assert_eq!(r, from_tokens, "{s:?}");
        }
        assert!(is_state_word("MM_NO_STATE"));
        assert!(is_state_word("AM_Active"));
        assert!(!is_state_word("ACTIVE"));
    }
}

/// A string value from the output. Up to 22 bytes it is stored inline (no
/// allocation: most Cisco values — addresses, SPIs, names, states — are
/// that short); longer ones on the heap. Derefs to `str`; serialises as a
/// plain JSON string.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<str>),
}

const INLINE: usize = 22;

impl Text {
    /// Stores `s`.
    pub fn new(s: &str) -> Text {
        if s.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            // `s.len() <= 22` fits a u8.
            Text(Repr::Inline {
                len: s.len() as u8,
                buf,
            })
        } else {
            Text(Repr::Heap(s.into()))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, buf } => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(b) => b,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::new("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl From<String> for Text {
    /// Keeps the string's own buffer when it is too long to be inline.
    fn from(s: String) -> Text {
        if s.len() <= INLINE {
            Text::new(&s)
        } else {
            Text(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, o: &Text) -> bool {
        self.as_str() == o.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, o: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Text {
    fn cmp(&self, o: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(o.as_str())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod text_tests {
    use super::Text;

    #[test]
    fn inline_and_heap() {
        let a = Text::new("10.1.0.2");
        let b = Text::new("esp-aes-256 esp-md5-hmac no compression");
        assert_eq!(a, "10.1.0.2");
        assert_eq!(&*b, "esp-aes-256 esp-md5-hmac no compression");
        assert_eq!(Text::new("ünïcödé-ünïcödé-x").as_str(), "ünïcödé-ünïcödé-x");
        assert_eq!(std::mem::size_of::<Text>(), 24);
        assert_eq!(std::mem::size_of::<Option<Text>>(), 24);
        assert_eq!(Text::default(), "");
    }
}
