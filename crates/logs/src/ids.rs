//! Message ids and SPIs a line names: what ties the two ends of one
//! exchange together, and an SA to its tunnel.
//!
//! One aho-corasick search for the markers, then the number after each is
//! read by hand: this runs on most IKE lines, where a regex with capture
//! groups cost a third of the engine's time.

use aho_corasick::{AhoCorasick, Input, MatchKind};
use std::sync::OnceLock;

/// Set on an id that is an SPI, so that it never equals a message id.
pub(crate) const SPI_TAG: u64 = 1 << 40;

#[derive(Clone, Copy)]
enum Tail {
    /// `-?[0-9]+`, a signed decimal message id.
    Decimal,
    /// `[0-9a-f]+`.
    Hex,
    /// `[:=]?\s*0x[0-9a-f]+`.
    Spi,
}

const MARKERS: [(&str, Tail); 9] = [
    ("message id = ", Tail::Decimal),
    ("m-id of ", Tail::Decimal),
    ("new node ", Tail::Decimal),
    ("node ", Tail::Decimal),
    ("deleting spi ", Tail::Decimal),
    ("msgid=", Tail::Hex),
    ("msg id = ", Tail::Hex),
    ("mess id 0x", Tail::Hex),
    ("spi", Tail::Spi),
];

fn markers() -> &'static Option<AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(MARKERS.iter().map(|(m, _)| m))
            .ok()
    })
}

/// The ids `message` names, in order: message ids as their 32-bit value,
/// SPIs as their value with [`SPI_TAG`]. A marker whose number does not
/// parse is passed over, as is a number too large for its kind.
pub(crate) fn ids(message: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let Some(ac) = markers() else { return out };
    let b = message.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let Some(m) = ac.find(Input::new(b).span(at..b.len())) else {
            break;
        };
        let tail = MARKERS[m.pattern().as_usize()].1;
        match read_tail(b, m.end(), tail) {
            Some((end, value)) => {
                out.extend(value);
                at = end;
            }
            None => at = m.start() + 1,
        }
    }
    out
}

/// The SPIs among `ids` (as [`ids`] returns them).
pub(crate) fn spis_of(ids: &[u64]) -> Vec<u32> {
    ids.iter()
        .filter(|&&id| id & SPI_TAG != 0)
        .map(|&id| (id & 0xffff_ffff) as u32)
        .filter(|&s| s != 0)
        .collect()
}

/// Reads the number after a marker: where it ends and its id, or `None`
/// when the text there is not that kind of number.
fn read_tail(b: &[u8], from: usize, tail: Tail) -> Option<(usize, Option<u64>)> {
    match tail {
        Tail::Decimal => {
            let neg = usize::from(b.get(from) == Some(&b'-'));
            let digits = count(b, from + neg, |c| c.is_ascii_digit());
            (digits > 0).then(|| {
                let end = from + neg + digits;
                let text = std::str::from_utf8(&b[from..end]).ok();
                let id = text
                    .and_then(|t| t.parse::<i64>().ok())
                    .map(|v| u64::from(v as u32));
                (end, id)
            })
        }
        Tail::Hex => {
            let digits = count(b, from, |c| c.is_ascii_hexdigit());
            (digits > 0).then(|| {
                (
                    from + digits,
                    hex(&b[from..from + digits]).map(|v| v & 0xffff_ffff),
                )
            })
        }
        Tail::Spi => {
            let mut i = from;
            if matches!(b.get(i), Some(b':' | b'=')) {
                i += 1;
            }
            i += count(b, i, |c| {
                matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
            });
            if !(b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X'))) {
                return None;
            }
            i += 2;
            let digits = count(b, i, |c| c.is_ascii_hexdigit());
            (digits > 0).then(|| {
                let id = hex(&b[i..i + digits]).map(|v| (v & 0xffff_ffff) | SPI_TAG);
                (i + digits, id)
            })
        }
    }
}

fn count(b: &[u8], from: usize, f: impl Fn(u8) -> bool) -> usize {
    b.get(from..)
        .map_or(0, |s| s.iter().take_while(|&&c| f(c)).count())
}

fn hex(digits: &[u8]) -> Option<u64> {
    u64::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// What the engine used before: the same grammar as one regex.
    fn oracle(message: &str) -> Vec<u64> {
        let re = Regex::new(r"(?i-u)(?:(?P<dec>message ID = |M-ID of |new node |node |deleting spi )(?P<d>-?[0-9]+)|(?P<hex>msgid=|msg id = |mess id 0x)(?P<h>[0-9a-f]+)|SPI[:=]?\s*0x(?P<spi>[0-9a-f]+))").unwrap();
        re.captures_iter(message)
            .filter_map(|c| {
                if let Some(d) = c.name("d") {
                    d.as_str().parse::<i64>().ok().map(|v| u64::from(v as u32))
                } else if let Some(h) = c.name("h") {
                    u64::from_str_radix(h.as_str(), 16)
                        .ok()
                        .map(|v| v & 0xffff_ffff)
                } else {
                    c.name("spi")
                        .and_then(|s| u64::from_str_radix(s.as_str(), 16).ok())
                        .map(|v| (v & 0xffff_ffff) | SPI_TAG)
                }
            })
            .collect()
    }

    #[test]
    fn real_lines() {
        for line in [
            "processing HASH payload. message ID = -1042074812",
            "beginning Quick Mode exchange, M-ID of 1234567",
            "deleting spi 101951630 message ID = 99",
            "IKE_DECODE SENDING Message (msgid=acd003ce) with payloads : HDR + HASH (8)",
            "IKE Responder starting QM: msg id = acd003ce",
            "Successfully installed IPSEC SA (SPI:0x5A5A1234) on GigabitEthernet0/1",
            "IPSEC(create_sa): sa created, (sa) sa_dest= 10.1.0.2, sa_prot= 50, sa_spi= 0xB9D0109(194838793), sa_conn_id= 5",
            "Received an ESP packet (SPI= 0x92D401FC, sequence number= 0x70448)",
            "set new node 0 to QM_IDLE",
            "deleting spi 0x12",
            "SPI:0x",
            "spispi=0xff node node 12",
        ] {
            assert_eq!(ids(line), oracle(line), "{line}");
        }
        assert_eq!(
            ids("Successfully installed IPSEC SA (SPI:0x5A5A1234) on Gi0/1"),
            [0x5A5A_1234 | SPI_TAG]
        );
    }

    fn pieces() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "message ID = ",
                    "M-ID of ",
                    "new node ",
                    "node ",
                    "deleting spi ",
                    "msgid=",
                    "msg id = ",
                    "mess id 0x",
                    "SPI",
                    "spi",
                    "Spi:",
                    "SPI=",
                    " ",
                    "\t",
                    "\u{b}",
                    "0x",
                    "0X",
                    "-",
                    "=",
                    ":",
                    "99",
                    "0",
                    "ffFF",
                    "18446744073709551616",
                    "abc",
                    "ſ",
                    "K",
                ])
                .prop_map(str::to_string),
                "[0-9a-fx -]{0,6}",
                "\\PC{0,4}",
            ],
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn the_scanner_reads_what_the_regex_read(s in pieces()) {
            prop_assert_eq!(ids(&s), oracle(&s));
        }
    }
}
