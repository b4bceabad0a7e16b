//! The packet counters of one `show crypto ipsec sa` block (`#pkts encaps: …`).
//!
//! Every counter Cisco prints is kept: the known ones in named fields, any
//! other `#label value` pair in [`Counters::other`], so nothing is lost.

use crate::text::{is_space, strip_punct};
use serde::Serialize;

/// A counter whose label is not one of the named fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherCounter {
    /// The label as printed, without the leading `#` and trailing `:`.
    pub label: String,
    /// The value.
    pub value: u64,
}

/// All counters of an IPsec SA block. `None` = not printed by this version.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// `#pkts encaps` — packets encapsulated (sent into the tunnel).
    pub encaps: Option<u64>,
    pub encrypt: Option<u64>,
    pub digest: Option<u64>,
    /// `#pkts decaps` — packets received from the tunnel.
    pub decaps: Option<u64>,
    pub decrypt: Option<u64>,
    pub verify: Option<u64>,
    pub compressed: Option<u64>,
    pub decompressed: Option<u64>,
    pub not_compressed: Option<u64>,
    /// `#pkts compr. failed` (IOS) / `#pkts comp failed` (ASA).
    pub compress_failed: Option<u64>,
    pub not_decompressed: Option<u64>,
    /// `#pkts decompress failed` (IOS) / `#pkts decomp failed` (ASA).
    pub decompress_failed: Option<u64>,
    /// `#send errors`.
    pub send_errors: Option<u64>,
    /// `#recv errors`.
    pub recv_errors: Option<u64>,
    pub no_sa_send: Option<u64>,
    pub invalid_sa_recv: Option<u64>,
    pub encaps_failed_send: Option<u64>,
    pub decaps_failed_recv: Option<u64>,
    pub invalid_prot_recv: Option<u64>,
    /// `#pkts verify failed` — HMAC (integrity) failures.
    pub verify_failed: Option<u64>,
    pub invalid_identity_recv: Option<u64>,
    pub invalid_len_recv: Option<u64>,
    pub invalid_pad_recv: Option<u64>,
    pub invalid_ip_version_recv: Option<u64>,
    pub replay_rollover_send: Option<u64>,
    pub replay_rollover_recv: Option<u64>,
    /// `#pkts replay failed (rcv)` — anti-replay drops.
    pub replay_failed_recv: Option<u64>,
    pub tagged_send: Option<u64>,
    pub untagged_recv: Option<u64>,
    pub not_tagged_send: Option<u64>,
    pub not_untagged_recv: Option<u64>,
    pub internal_err_send: Option<u64>,
    pub internal_err_recv: Option<u64>,
    pub min_mtu_frag_failed_send: Option<u64>,
    pub bad_frag_offset_recv: Option<u64>,
    /// ASA `#pre-frag successes`.
    pub pre_frag_successes: Option<u64>,
    /// ASA `#pre-frag failures`.
    pub pre_frag_failures: Option<u64>,
    pub fragments_created: Option<u64>,
    pub pmtus_sent: Option<u64>,
    pub pmtus_rcvd: Option<u64>,
    /// ASA `#decapsulated frgs needing reassembly` (also spelt `frags`).
    pub decap_frags_needing_reassembly: Option<u64>,
    pub tfc_rcvd: Option<u64>,
    pub tfc_sent: Option<u64>,
    pub valid_icmp_errors_rcvd: Option<u64>,
    pub invalid_icmp_errors_rcvd: Option<u64>,
    /// Counters with any other label, in order of appearance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<OtherCounter>,
}

impl Counters {
    /// Every known label (normalised: no `#`, no trailing `:`) with the
    /// index of its field; kept sorted so that duplicates show (a test
    /// checks). Looked up through a hash table ([`label_index`]).
    const LABELS: &'static [(&'static str, u8)] = &[
        ("Invalid ICMP Errors rcvd", 44),
        ("PMTUs rcvd", 39),
        ("PMTUs sent", 38),
        ("TFC rcvd", 41),
        ("TFC sent", 42),
        ("Valid ICMP Errors rcvd", 43),
        ("decapsulated frags needing reassembly", 40),
        ("decapsulated frgs needing reassembly", 40),
        ("fragments created", 37),
        ("pkts bad frag offset (rcv)", 34),
        ("pkts bad frag offset (recv)", 34),
        ("pkts comp failed", 9),
        ("pkts compr. failed", 9),
        ("pkts compress failed", 9),
        ("pkts compressed", 6),
        ("pkts decaps", 3),
        ("pkts decaps failed (rcv)", 17),
        ("pkts decaps failed (recv)", 17),
        ("pkts decomp failed", 11),
        ("pkts decompress failed", 11),
        ("pkts decompressed", 7),
        ("pkts decrypt", 4),
        ("pkts digest", 2),
        ("pkts encaps", 0),
        ("pkts encaps failed (send)", 16),
        ("pkts encrypt", 1),
        ("pkts internal err (rcv)", 32),
        ("pkts internal err (recv)", 32),
        ("pkts internal err (send)", 31),
        ("pkts invalid identity (rcv)", 20),
        ("pkts invalid identity (recv)", 20),
        ("pkts invalid ip version (rcv)", 23),
        ("pkts invalid ip version (recv)", 23),
        ("pkts invalid len (rcv)", 21),
        ("pkts invalid len (recv)", 21),
        ("pkts invalid pad (rcv)", 22),
        ("pkts invalid pad (recv)", 22),
        ("pkts invalid prot (rcv)", 18),
        ("pkts invalid prot (recv)", 18),
        ("pkts invalid sa (rcv)", 15),
        ("pkts invalid sa (recv)", 15),
        ("pkts min mtu frag failed (send)", 33),
        ("pkts no sa (send)", 14),
        ("pkts not compressed", 8),
        ("pkts not decompressed", 10),
        ("pkts not tagged (send)", 29),
        ("pkts not untagged (rcv)", 30),
        ("pkts not untagged (recv)", 30),
        ("pkts replay failed", 26),
        ("pkts replay failed (rcv)", 26),
        ("pkts replay failed (recv)", 26),
        ("pkts replay rollover (rcv)", 25),
        ("pkts replay rollover (recv)", 25),
        ("pkts replay rollover (send)", 24),
        ("pkts tagged (send)", 27),
        ("pkts untagged (rcv)", 28),
        ("pkts untagged (recv)", 28),
        ("pkts verify", 5),
        ("pkts verify failed", 19),
        ("pre-frag failures", 36),
        ("pre-frag successes", 35),
        ("rcv errors", 13),
        ("recv errors", 13),
        ("send errors", 12),
    ];

    fn field(&mut self, k: u8) -> Option<&mut Option<u64>> {
        Some(match k {
            0 => &mut self.encaps,
            1 => &mut self.encrypt,
            2 => &mut self.digest,
            3 => &mut self.decaps,
            4 => &mut self.decrypt,
            5 => &mut self.verify,
            6 => &mut self.compressed,
            7 => &mut self.decompressed,
            8 => &mut self.not_compressed,
            9 => &mut self.compress_failed,
            10 => &mut self.not_decompressed,
            11 => &mut self.decompress_failed,
            12 => &mut self.send_errors,
            13 => &mut self.recv_errors,
            14 => &mut self.no_sa_send,
            15 => &mut self.invalid_sa_recv,
            16 => &mut self.encaps_failed_send,
            17 => &mut self.decaps_failed_recv,
            18 => &mut self.invalid_prot_recv,
            19 => &mut self.verify_failed,
            20 => &mut self.invalid_identity_recv,
            21 => &mut self.invalid_len_recv,
            22 => &mut self.invalid_pad_recv,
            23 => &mut self.invalid_ip_version_recv,
            24 => &mut self.replay_rollover_send,
            25 => &mut self.replay_rollover_recv,
            26 => &mut self.replay_failed_recv,
            27 => &mut self.tagged_send,
            28 => &mut self.untagged_recv,
            29 => &mut self.not_tagged_send,
            30 => &mut self.not_untagged_recv,
            31 => &mut self.internal_err_send,
            32 => &mut self.internal_err_recv,
            33 => &mut self.min_mtu_frag_failed_send,
            34 => &mut self.bad_frag_offset_recv,
            35 => &mut self.pre_frag_successes,
            36 => &mut self.pre_frag_failures,
            37 => &mut self.fragments_created,
            38 => &mut self.pmtus_sent,
            39 => &mut self.pmtus_rcvd,
            40 => &mut self.decap_frags_needing_reassembly,
            41 => &mut self.tfc_rcvd,
            42 => &mut self.tfc_sent,
            43 => &mut self.valid_icmp_errors_rcvd,
            44 => &mut self.invalid_icmp_errors_rcvd,
            _ => return None,
        })
    }

    /// The slot for a normalised label (no `#`, no trailing `:`).
    fn slot(&mut self, label: &str) -> Option<&mut Option<u64>> {
        self.field(label_index(label.as_bytes())?)
    }

    /// Records one `label value` pair (label as printed, possibly with `#`s
    /// and a trailing colon).
    fn set(&mut self, raw_label: &str, value: u64) {
        let label = strip_punct(raw_label.trim_start_matches('#')).trim_end();
        if let Some(slot) = self.slot(label) {
            *slot = Some(value);
            return;
        }
        // Unusual spacing: normalise and retry before giving up.
        let squeezed = crate::text::squeeze_string(label);
        if let Some(slot) = self.slot(&squeezed) {
            *slot = Some(value);
            return;
        }
        self.other.push(OtherCounter {
            label: squeezed,
            value,
        });
    }

    /// Parses every `#label value` pair in `s`, whatever the separators
    /// (commas, line breaks, or none at all in flattened text). Returns
    /// whether at least one counter was read.
    pub(crate) fn parse_into(&mut self, s: &str) -> bool {
        // A walk over the bytes with the token rule of `text::Tokens`: a
        // token that starts with `#` opens a label, the words after it
        // extend it, and the first number closes it. Between counters the
        // walk jumps to the next `#` (a counter line is mostly labels and
        // numbers; a `&str` per token cost a third of the counter time).
        let b = s.as_bytes();
        let n = b.len();
        let mut label: Option<(usize, usize)> = None;
        let mut any = false;
        let mut i = 0;
        while i < n {
            if is_space(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            if label.is_none() && b[i] != b'#' {
                // No label open: only a token that starts with `#` counts.
                match memchr::memchr(b'#', &b[i..]) {
                    Some(k) => {
                        i += k;
                        if !is_space(b[i - 1]) {
                            // Inside a word: not a label, nor is any `#`
                            // after it in the same word (`encaps##pkts`).
                            while i < n && !is_space(b[i]) {
                                i += 1;
                            }
                        }
                        continue;
                    }
                    None => break,
                }
            }
            while i < n && !is_space(b[i]) {
                i += 1;
            }
            let tok = &b[start..i];
            if tok[0] == b'#' && tok.len() > 1 {
                label = Some((start, i));
                continue;
            }
            let Some((from, _)) = label else { continue };
            match number(tok) {
                Some(v) => {
                    if let Some(l) = s.get(from..label.map_or(from, |l| l.1)) {
                        self.set(l, v);
                        any = true;
                    }
                    label = None;
                }
                None => label = Some((from, i)),
            }
        }
        any
    }
}

/// A token as a number: digits, then only `,` `;` `:` (as [`num`]).
#[inline]
fn number(tok: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    let mut digits = 0;
    let mut punct = false;
    for &c in tok {
        if c.is_ascii_digit() && !punct {
            if digits == 20 {
                return None;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            digits += 1;
        } else if digits > 0 && matches!(c, b',' | b';' | b':') {
            // Trailing punctuation: nothing but more of it may follow.
            punct = true;
        } else {
            return None;
        }
    }
    (digits > 0).then_some(v)
}

/// A cheap hash of a label: its length and its first and last eight bytes
/// (labels are 8–40 bytes and differ at one end or the other). A few
/// instructions, against a binary search with a string compare per step.
fn label_hash(b: &[u8]) -> usize {
    let word = |s: &[u8]| {
        let mut w = [0u8; 8];
        let n = s.len().min(8);
        w[..n].copy_from_slice(&s[..n]);
        u64::from_le_bytes(w)
    };
    let head = word(b);
    let tail = word(&b[b.len().saturating_sub(8)..]);
    let h = (head ^ tail.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 56) as usize
}

/// Slots of the open-addressed label table (a power of two, well above
/// the number of labels so that probes are short).
const TABLE: usize = 256;

/// The field index of a normalised label.
fn label_index(label: &[u8]) -> Option<u8> {
    static T: std::sync::OnceLock<Vec<Option<(&'static str, u8)>>> = std::sync::OnceLock::new();
    let table = T.get_or_init(|| {
        let mut t = vec![None; TABLE];
        for &(l, k) in Counters::LABELS {
            let mut i = label_hash(l.as_bytes()) % TABLE;
            while t[i].is_some() {
                i = (i + 1) % TABLE;
            }
            t[i] = Some((l, k));
        }
        t
    });
    let mut i = label_hash(label) % TABLE;
    loop {
        let (l, k) = table.get(i).copied().flatten()?;
        if l.as_bytes() == label {
            return Some(k);
        }
        i = (i + 1) % TABLE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{num, Tokens};
    use proptest::prelude::*;

    /// The token-by-token rule that `parse_into` walks bytes for.
    fn parse_by_tokens(c: &mut Counters, s: &str) -> bool {
        let mut label_start: Option<usize> = None;
        let mut label_end = 0;
        let mut any = false;
        for (at, tok) in Tokens::new(s) {
            if tok.starts_with('#') && tok.len() > 1 {
                label_start = Some(at);
                label_end = at + tok.len();
                continue;
            }
            let Some(start) = label_start else { continue };
            if let Some(v) = num(tok) {
                if let Some(label) = s.get(start..label_end) {
                    c.set(label, v);
                    any = true;
                }
                label_start = None;
            } else {
                label_end = at + tok.len();
            }
        }
        any
    }

    proptest! {
        #[test]
        fn byte_walk_reads_what_tokens_read(
            s in "([#a-z() ,;:0-9\\t]|#pkts|encaps|99999999999999999999|18446744073709551616|é){0,40}"
        ) {
            let (mut a, mut b) = (Counters::default(), Counters::default());
            prop_assert_eq!(a.parse_into(&s), parse_by_tokens(&mut b, &s));
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn numbers_as_num_reads_them() {
        for t in [
            "5",
            "5,",
            "5,;:",
            "5,6",
            ",5",
            "",
            ",",
            "12a",
            "0",
            "00012:",
            "18446744073709551615",
            "18446744073709551616",
            "000000000000000000001",
        ] {
            assert_eq!(number(t.as_bytes()), num(t), "{t}");
        }
    }

    #[test]
    fn label_table_is_sorted_for_binary_search() {
        assert!(Counters::LABELS.windows(2).all(|w| w[0].0 < w[1].0));
        let mut c = Counters::default();
        for (label, _) in Counters::LABELS {
            assert!(c.slot(label).is_some(), "{label}");
        }
    }

    #[test]
    fn every_style_of_counter_line() {
        let mut c = Counters::default();
        assert!(c.parse_into("#pkts encaps: 7767918, #pkts encrypt: 7767918, #pkts digest 7767918 #pkts decaps: 7760382"));
        assert!(c.parse_into("##pkts replay failed (rcv): 3"));
        assert!(c.parse_into("#send errors 15, #recv errors 0 <-- 15 send errors"));
        assert!(c.parse_into("#pkts no sa (send) 0, #pkts invalid sa (rcv) 2"));
        assert!(c.parse_into(
            "#PMTUs sent: 5, #PMTUs rcvd: 2, #decapsulated frgs needing reassembly: 1"
        ));
        assert!(c.parse_into("#pkts brand new  counter: 9"));
        assert_eq!(c.encaps, Some(7_767_918));
        assert_eq!(c.digest, Some(7_767_918));
        assert_eq!(c.decaps, Some(7_760_382));
        assert_eq!(c.replay_failed_recv, Some(3));
        assert_eq!(c.send_errors, Some(15));
        assert_eq!(c.recv_errors, Some(0));
        assert_eq!(c.invalid_sa_recv, Some(2));
        assert_eq!(c.decap_frags_needing_reassembly, Some(1));
        assert_eq!(
            c.other,
            vec![OtherCounter {
                label: "pkts brand new counter".into(),
                value: 9
            }]
        );
        assert!(!c.parse_into("no counters here 5"));
    }
}
