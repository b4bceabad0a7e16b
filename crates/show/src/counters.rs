//! The packet counters of one `show crypto ipsec sa` block (`#pkts encaps: …`).
//!
//! Every counter Cisco prints is kept: the known ones in named fields, any
//! other `#label value` pair in [`Counters::other`], so nothing is lost.

use crate::text::{num, strip_punct, Tokens};
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
    /// The slot for a normalised label (no `#`, no trailing `:`).
    fn slot(&mut self, label: &str) -> Option<&mut Option<u64>> {
        Some(match label {
            "pkts encaps" => &mut self.encaps,
            "pkts encrypt" => &mut self.encrypt,
            "pkts digest" => &mut self.digest,
            "pkts decaps" => &mut self.decaps,
            "pkts decrypt" => &mut self.decrypt,
            "pkts verify" => &mut self.verify,
            "pkts compressed" => &mut self.compressed,
            "pkts decompressed" => &mut self.decompressed,
            "pkts not compressed" => &mut self.not_compressed,
            "pkts compr. failed" | "pkts comp failed" | "pkts compress failed" => {
                &mut self.compress_failed
            }
            "pkts not decompressed" => &mut self.not_decompressed,
            "pkts decompress failed" | "pkts decomp failed" => &mut self.decompress_failed,
            "send errors" => &mut self.send_errors,
            "recv errors" | "rcv errors" => &mut self.recv_errors,
            "pkts no sa (send)" => &mut self.no_sa_send,
            "pkts invalid sa (rcv)" | "pkts invalid sa (recv)" => &mut self.invalid_sa_recv,
            "pkts encaps failed (send)" => &mut self.encaps_failed_send,
            "pkts decaps failed (rcv)" | "pkts decaps failed (recv)" => {
                &mut self.decaps_failed_recv
            }
            "pkts invalid prot (recv)" | "pkts invalid prot (rcv)" => &mut self.invalid_prot_recv,
            "pkts verify failed" => &mut self.verify_failed,
            "pkts invalid identity (recv)" | "pkts invalid identity (rcv)" => {
                &mut self.invalid_identity_recv
            }
            "pkts invalid len (rcv)" | "pkts invalid len (recv)" => &mut self.invalid_len_recv,
            "pkts invalid pad (rcv)" | "pkts invalid pad (recv)" => &mut self.invalid_pad_recv,
            "pkts invalid ip version (rcv)" | "pkts invalid ip version (recv)" => {
                &mut self.invalid_ip_version_recv
            }
            "pkts replay rollover (send)" => &mut self.replay_rollover_send,
            "pkts replay rollover (rcv)" | "pkts replay rollover (recv)" => {
                &mut self.replay_rollover_recv
            }
            "pkts replay failed (rcv)" | "pkts replay failed (recv)" | "pkts replay failed" => {
                &mut self.replay_failed_recv
            }
            "pkts tagged (send)" => &mut self.tagged_send,
            "pkts untagged (rcv)" | "pkts untagged (recv)" => &mut self.untagged_recv,
            "pkts not tagged (send)" => &mut self.not_tagged_send,
            "pkts not untagged (rcv)" | "pkts not untagged (recv)" => &mut self.not_untagged_recv,
            "pkts internal err (send)" => &mut self.internal_err_send,
            "pkts internal err (recv)" | "pkts internal err (rcv)" => &mut self.internal_err_recv,
            "pkts min mtu frag failed (send)" => &mut self.min_mtu_frag_failed_send,
            "pkts bad frag offset (rcv)" | "pkts bad frag offset (recv)" => {
                &mut self.bad_frag_offset_recv
            }
            "pre-frag successes" => &mut self.pre_frag_successes,
            "pre-frag failures" => &mut self.pre_frag_failures,
            "fragments created" => &mut self.fragments_created,
            "PMTUs sent" => &mut self.pmtus_sent,
            "PMTUs rcvd" => &mut self.pmtus_rcvd,
            "decapsulated frgs needing reassembly" | "decapsulated frags needing reassembly" => {
                &mut self.decap_frags_needing_reassembly
            }
            "TFC rcvd" => &mut self.tfc_rcvd,
            "TFC sent" => &mut self.tfc_sent,
            "Valid ICMP Errors rcvd" => &mut self.valid_icmp_errors_rcvd,
            "Invalid ICMP Errors rcvd" => &mut self.invalid_icmp_errors_rcvd,
            _ => return None,
        })
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
        let squeezed = crate::text::squeeze(label);
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
                    self.set(label, v);
                    any = true;
                }
                label_start = None;
            } else {
                label_end = at + tok.len();
            }
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
