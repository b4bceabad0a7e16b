//! Physical lines to records: the part of the analysis that needs no
//! state beyond one block, so blocks can be segmented on any thread.
//!
//! Most of a syslog archive is noise. A block is searched once for the
//! literals the analyser knows (as `grep -F` would), and a line holding none
//! of them is counted and passed over without being decoded or copied.

use crate::engine::{catalog, locate_record, Located};
use crate::header;
use crate::split;
use crate::transcript;
use aho_corasick::{AhoCorasick, Input};
use std::ops::Range;
use std::sync::OnceLock;

/// Most physical lines joined into one record.
const MAX_JOIN: usize = 12;
/// Unrecognised line numbers kept per input.
pub(crate) const MAX_SKIPPED_LINES: usize = 20;

/// One record: a line, a line with its continuations, or one piece of a
/// flattened line.
#[derive(Debug)]
pub(crate) struct Record {
    /// Line number within the block, from 1.
    pub line: u64,
    pub text: String,
    /// Collector host of the first piece of a flattened line.
    pub host: Option<String>,
    /// Whether the record's first line is counted used or skipped by what
    /// the analyser makes of it (pieces of a flattened line are counted
    /// once, as used, here).
    pub counted: bool,
    /// The catalog entry, where in `text` it matched.
    pub class: Option<(Range<usize>, Located)>,
}

/// What a block comes to.
#[derive(Debug, Default)]
pub(crate) struct Segmented {
    pub lines: u64,
    pub ignored: u64,
    pub skipped: u64,
    pub used: u64,
    /// First unrecognised line numbers within the block.
    pub skipped_lines: Vec<u64>,
    pub records: Vec<Record>,
}

#[derive(Debug)]
struct Pending {
    line: u64,
    text: String,
    joined: usize,
}

/// What, besides the catalog's literals, marks a line the analyser can
/// use: transcripts, show counters, routing tables and crypto peers in a
/// console session. The catalog's prefilter holds them too.
pub(crate) const EXTRA_LITERALS: &[&str] = &[
    "isakmp",
    "ipsec",
    "ip = ",
    "group = ",
    "#pkts",
    "#send",
    "#recv",
    "current_peer",
    "peer address",
    "crypto endpt",
    "interface:",
    "crypto map tag",
    "local addr",
    "success rate",
    "clear cry",
    "ike",
    "crypto",
    "directly connected",
    "gateway of last resort",
    "] via ",
    "subnetted",
    "set peer",
    "peer =",
    "current peer:",
];

/// Literals of every line the analyser can use: the catalog's and
/// [`EXTRA_LITERALS`], in the catalog's own automaton.
fn interesting() -> Option<&'static AhoCorasick> {
    Some(catalog().prefilter())
}

/// Access-list entries (`permit ip 10.0.0.0 …`), which the analyser reads
/// for masks typed as wildcards. Case matters: ASA's `Deny tcp src …`
/// syslogs are noise, as are IOS's `permitted`.
fn acl_words() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(["permit ", "permit\t", "deny ", "deny\t"]).ok())
        .as_ref()
}

/// Where the next known literal ends, searching a block once from left to
/// right however many lines ask.
struct Hits<'a> {
    ac: Option<&'a AhoCorasick>,
    hay: &'a [u8],
    /// The earliest-ending match after the last line that asked, as
    /// (start, end).
    next: Option<(usize, usize)>,
    /// No match is left in the block.
    done: bool,
}

impl<'a> Hits<'a> {
    fn new(ac: Option<&'a AhoCorasick>, hay: &'a [u8]) -> Hits<'a> {
        Hits {
            ac,
            hay,
            next: None,
            done: false,
        }
    }

    /// Whether a known literal lies within `line`.
    fn within(&mut self, line: Range<usize>) -> bool {
        let Some(ac) = self.ac else { return true };
        if let Some((s, _)) = self.next {
            if s < line.start {
                self.next = None;
            }
        }
        if self.next.is_none() && !self.done {
            // The match found for an earlier line is used up; search on
            // from this line.
            match ac.find(Input::new(self.hay).span(line.start..self.hay.len())) {
                Some(m) => self.next = Some((m.start(), m.end())),
                None => self.done = true,
            }
        }
        // Literals hold no newline, so a match that starts in the line ends
        // in it; the earliest-ending match is inside the line if any is.
        self.next
            .is_some_and(|(s, e)| s >= line.start && e <= line.end)
    }
}

/// Segments a block of whole lines (as [`crate::chunk::BlockReader`] cuts
/// them) and classifies each record.
pub(crate) fn segment(block: &[u8]) -> Segmented {
    let mut out = Segmented::default();
    let mut pending: Option<Pending> = None;
    let mut hits = Hits::new(interesting(), block);
    let mut acl = Hits::new(acl_words(), block);
    let mut at = 0;
    while at < block.len() {
        let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |k| at + k);
        let range = at..end;
        at = end + 1;
        out.lines += 1;
        let line_no = out.lines;
        let mut bytes = &block[range.clone()];
        while let Some((b'\r', rest)) = bytes.split_last() {
            bytes = rest;
        }
        let known = hits.within(range.clone()) || acl.within(range);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let raw: &str = strip_markdown(&text);
        let trimmed = raw.trim();
        if trimmed.is_empty()
            || trimmed.starts_with("# ")
            || trimmed == "#"
            || trimmed.starts_with('!')
            || transcript::is_console_chatter(trimmed)
        {
            // A record that ends in `,` is not finished (`IPSEC(sa_request): ,`,
            // `(key eng. msg.) INBOUND local= …,`): a blank line that a web
            // page or note put between it and its continuation does not end
            // it (the block reader does not cut there either).
            let unfinished = trimmed.is_empty()
                && pending
                    .as_ref()
                    .is_some_and(|p| p.text.trim_end().ends_with(','));
            if !unfinished {
                flush(&mut out, &mut pending);
            }
            out.ignored += 1;
            continue;
        }
        let maybe_continuation = raw.starts_with([' ', '\t'])
            || pending
                .as_ref()
                .is_some_and(|p| p.text.trim_end().ends_with([':', ',']))
            || is_wrapped_field(trimmed);
        if !known
            && !maybe_continuation
            && !trimmed.starts_with('=')
            && transcript::prompt(trimmed).is_none()
        {
            flush(&mut out, &mut pending);
            out.skipped += 1;
            if out.skipped_lines.len() < MAX_SKIPPED_LINES {
                out.skipped_lines.push(line_no);
            }
            continue;
        }
        if let Some(pieces) = split::split_flattened(raw) {
            flush(&mut out, &mut pending);
            // Pieces of a flattened line keep the collector host of the first.
            let host = pieces
                .first()
                .and_then(|p| header::parse(p).host)
                .map(str::to_string);
            for p in pieces {
                out.records.push(Record {
                    line: line_no,
                    text: p.to_string(),
                    host: host.clone(),
                    counted: false,
                    class: None,
                });
            }
            out.used += 1;
            continue;
        }
        if let Some(p) = &mut pending {
            let prev = p.text.trim_end();
            let candidate = raw.starts_with([' ', '\t'])
                || prev.ends_with(':')
                || prev.ends_with(',')
                || is_wrapped_field(trimmed);
            // A line that opens a message of its own (a prefix, a prompt,
            // a bare debug tag) is never a continuation, even after a line
            // that ends in `:` such as a reason-less `IKEv2-ERROR:(…):`.
            let cont = candidate
                && p.joined < MAX_JOIN
                && !header::parse(raw).prefixed
                && transcript::prompt(trimmed).is_none()
                && !opens_debug_message(trimmed);
            if cont {
                p.text.push(' ');
                p.text.push_str(trimmed);
                p.joined += 1;
                out.used += 1;
                continue;
            }
        }
        flush(&mut out, &mut pending);
        pending = Some(Pending {
            line: line_no,
            text: raw.trim_end().to_string(),
            joined: 1,
        });
    }
    flush(&mut out, &mut pending);
    for r in &mut out.records {
        r.class = locate_record(&r.text);
    }
    out
}

fn flush(out: &mut Segmented, pending: &mut Option<Pending>) {
    if let Some(p) = pending.take() {
        out.records.push(Record {
            line: p.line,
            text: p.text,
            host: None,
            counted: true,
            class: None,
        });
    }
}

/// Whether an unprefixed line opens an IOS debug message: the facility
/// tags printed without a timestamp (`no service timestamps`, or a
/// console capture): `IKEv2:`, `IKEv2-ERROR:`, `IKEv2-PROTO-1:`, `ISAKMP:`,
/// `ISAKMP (0:1):`, `ISAKMP-ERROR:`, `IPSEC(sa_request):`. Wrapped text
/// does not begin like this, so such a line is a record of its own.
fn opens_debug_message(line: &str) -> bool {
    if let Some(r) = line.strip_prefix("IKEv2") {
        return r.starts_with([':', '-']);
    }
    if let Some(r) = line.strip_prefix("ISAKMP") {
        return r.starts_with([':', '-']) || r.trim_start_matches(' ').starts_with('(');
    }
    line.strip_prefix("IPSEC")
        .or_else(|| line.strip_prefix("IPSec"))
        .is_some_and(|r| r.starts_with(['(', ':']))
}

/// Text pasted into a Markdown page or note keeps its quote markers (`> `,
/// nested `> > `) and list bullets (`- `, `* `, `+ `) in front of each line
/// (a blank quoted line is a bare `>`). No device output starts with `>`,
/// so quote markers are dropped; a bullet is dropped only before what opens
/// a message (a timestamp, a tag, a debug facility), where it cannot be
/// part of the message.
fn strip_markdown(line: &str) -> &str {
    let mut s = line.trim_start_matches([' ', '\t']);
    if !s.starts_with('>') {
        return line;
    }
    while let Some(r) = s.strip_prefix('>') {
        s = r.trim_start_matches([' ', '\t']);
    }
    if let Some(r) = s
        .strip_prefix("- ")
        .or_else(|| s.strip_prefix("* "))
        .or_else(|| s.strip_prefix("+ "))
    {
        let r = r.trim_start_matches(' ');
        if crate::header::parse(r).prefixed || opens_debug_message(r) {
            return r;
        }
    }
    s
}

/// A syslog message wrapped by the device or collector continues with
/// `key=value` fields (`id=2989 local=…`, `seqno=…`) or an ASA proxy block.
pub(crate) fn is_wrapped_field(line: &str) -> bool {
    let key: String = line
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ' ')
        .collect();
    let keyed = !key.trim().is_empty() && key.len() <= 20 && line[key.len()..].starts_with('=');
    keyed || line.starts_with("Local subnet:") || line.starts_with("Remote subnet:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_line_inside_an_unfinished_record_does_not_end_it() {
        let s = segment(
            b"*Jul  4 10:00:02.300: IPSEC(validate_proposal_request): proposal part #1,\n\n  (key eng. msg.) INBOUND local= 192.0.2.1, remote= 192.0.2.200,\n\n    local_proxy= 10.9.0.0/255.255.0.0/0/0 (type=4),\n\n*Jul  4 10:00:02.301: ISAKMP (0:7): processing NONCE payload. message ID = 0\n",
        );
        assert_eq!(s.records.len(), 2, "{:#?}", s.records);
        assert!(
            s.records[0].text.ends_with("(type=4),"),
            "{}",
            s.records[0].text
        );
        assert_eq!((s.ignored, s.skipped), (3, 0));
    }

    #[test]
    fn markdown_quote_and_bullet_are_dropped_before_a_message() {
        assert_eq!(
            strip_markdown("> - Jul 4 10:00:01.100: ISAKMP (0:7): beginning Main Mode exchange"),
            "Jul 4 10:00:01.100: ISAKMP (0:7): beginning Main Mode exchange"
        );
        assert_eq!(
            strip_markdown("> > * ISAKMP:(1004):atts are acceptable."),
            "ISAKMP:(1004):atts are acceptable."
        );
        assert_eq!(strip_markdown(">"), "");
        assert_eq!(strip_markdown("> "), "");
        // A bullet before prose stays (it is an annotation, not a message).
        assert_eq!(strip_markdown("> - the peer answers"), "- the peer answers");
        // Lines without a quote marker are untouched, bullets included.
        assert_eq!(strip_markdown("- ISAKMP:(0):x"), "- ISAKMP:(0):x");
        assert_eq!(strip_markdown("  next-payload : 8"), "  next-payload : 8");
    }

    #[test]
    fn noise_is_counted_and_records_are_joined() {
        let s = segment(
            b"%LINK-3-UPDOWN: Interface Gi0/1, changed state to up\n\
              \n\
              ISAKMP:(1001):Old State = IKE_I_MM1  New State = IKE_I_MM2\n\
              %CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.1.1.1 failed its sanity check or is malformed\n \
              continued here\n",
        );
        assert_eq!(s.lines, 5);
        assert_eq!(s.ignored, 1);
        assert_eq!(s.skipped, 1);
        assert_eq!(s.skipped_lines, [1]);
        assert_eq!(s.used, 1);
        let lines: Vec<u64> = s.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(s.records[1].text.ends_with("malformed continued here"));
        assert!(s.records.iter().all(|r| r.class.is_some()));
    }

    /// Records of `text` as (line, text).
    fn records(text: &str) -> Vec<(u64, String)> {
        segment(text.as_bytes())
            .records
            .into_iter()
            .map(|r| (r.line, r.text))
            .collect()
    }

    const BARE_ERROR: &str = "IKEv2-ERROR:(SESSION ID = 31,SA ID = 1):";

    #[test]
    fn a_bare_ikev2_error_does_not_take_a_timestamped_line() {
        let got = records(&format!(
            "{BARE_ERROR}\n*Dec  7 10:00:00.123: IKEv2:(SESSION ID = 31,SA ID = 1):Verify peer's policy\n"
        ));
        assert_eq!(
            got,
            [
                (1, BARE_ERROR.to_string()),
                (
                    2,
                    "*Dec  7 10:00:00.123: IKEv2:(SESSION ID = 31,SA ID = 1):Verify peer's policy"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_bare_ikev2_error_does_not_take_the_next_ikev2_line() {
        // As IOS-XE 16.7 prints it after a NO_PROPOSAL_CHOSEN notify.
        let got = records(&format!(
            "IKEv2:(SESSION ID = 31,SA ID = 1):Process auth response notify\n\
             {BARE_ERROR}\n\
             IKEv2:(SESSION ID = 31,SA ID = 1):Searching policy based on peer's identity 'FC00:123:123:123::1' of type 'IPv6 address'\n\
             IKEv2:Searching Policy with fvrf 0, local address FC00:123:123:123::2\n"
        ));
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 3, 4], "{got:#?}");
        assert_eq!(got[1].1, BARE_ERROR);
        assert!(got[2]
            .1
            .starts_with("IKEv2:(SESSION ID = 31,SA ID = 1):Searching policy"));
    }

    #[test]
    fn a_bare_ikev2_error_does_not_take_another_error_or_a_syslog() {
        let got = records(&format!(
            "{BARE_ERROR}\n\
             IKEv2-ERROR:(SESSION ID = 12,SA ID = 1):: Failed to find a matching policy\n\
             {BARE_ERROR}\n\
             %ASA-4-750003: Local:198.51.100.1:500 Remote:203.0.113.9:500 Username:203.0.113.9 IKEv2 Negotiation aborted due to ERROR: Failed to find a matching policy\n\
             {BARE_ERROR}\n\
             ISAKMP-ERROR: (1001):deleting SA reason \"Death by retransmission P1\" state (I) MM_NO_STATE (peer 203.0.113.9)\n\
             {BARE_ERROR}\n\
             IPSEC(validate_proposal_request): proposal part #1\n"
        ));
        let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8], "{got:#?}");
        assert_eq!(got[0].1, BARE_ERROR);
        assert!(got[1].1.ends_with(":: Failed to find a matching policy"));
        assert!(got[3].1.starts_with("%ASA-4-750003:"));
        assert!(got[5].1.starts_with("ISAKMP-ERROR: (1001):deleting SA"));
        assert!(got[7].1.starts_with("IPSEC(validate_proposal_request)"));
    }

    #[test]
    fn a_bare_ikev2_error_at_the_end_is_a_record_of_its_own() {
        let got = records(&format!(
            "IKEv2:(SESSION ID = 31,SA ID = 1):Deleting SA\n{BARE_ERROR}\n"
        ));
        assert_eq!(
            got,
            [
                (
                    1,
                    "IKEv2:(SESSION ID = 31,SA ID = 1):Deleting SA".to_string()
                ),
                (2, BARE_ERROR.to_string()),
            ]
        );
        // Without a final newline too.
        let got = records(BARE_ERROR);
        assert_eq!(got, [(1, BARE_ERROR.to_string())]);
    }

    #[test]
    fn a_reason_wrapped_onto_the_next_line_is_still_joined() {
        let got = records(&format!(
            "{BARE_ERROR}\n\
             Failed to verify the proposed policies\n\
             IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]\n"
        ));
        assert_eq!(
            got,
            [
                (1, format!("{BARE_ERROR} Failed to verify the proposed policies")),
                (
                    3,
                    "IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_literal_is_found_in_its_own_line_only() {
        let block = b"aaaa\nbbb isakmp\ncccc\nISAKMP x\nzzz\n";
        let mut h = Hits::new(interesting(), block);
        let lines = [0..4, 5..15, 16..20, 21..29, 30..33];
        let got: Vec<bool> = lines.iter().map(|r| h.within(r.clone())).collect();
        assert_eq!(got, [false, true, false, true, false]);
    }
}
