//! Strips what devices, relays and collectors put in front of a message:
//! syslog PRI, collector timestamp and host, sequence numbers, device
//! timestamps in every form, uptime stamps, then the `%FAC-SEV-MNEMONIC:`
//! tag or an ASA console `[IKEv1]` bracket.
//!
//! Hand-written rather than one big regex: the forms overlap (a time zone
//! glued to the seconds looks like a host name to a regex), and this runs
//! on every line of multi-gigabyte files.

/// The kind of device a line's tag says printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// IOS / IOS-XE (CRYPTO-, ISAKMP tags).
    Ios,
    /// ASA (or PIX 7+).
    Asa,
    /// PIX 6.x and older.
    Pix,
}

/// What the prefix of one line said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header<'a> {
    /// Host named by a collector or relay prefix.
    pub host: Option<&'a str>,
    /// Device timestamp as printed (collector time when there is none).
    pub time: Option<&'a str>,
    /// `%FAC-SEV-MNEMONIC` tag without `%` and `:`.
    pub tag: Option<&'a str>,
    /// Vendor implied by the tag or bracket.
    pub vendor: Option<Vendor>,
    /// The message after all prefixes.
    pub body: &'a str,
    /// The physical line started with white space (a continuation candidate).
    pub indented: bool,
    /// A known prefix (timestamp, tag, PRI, bracket) was found.
    pub prefixed: bool,
}

/// Splits a line into its prefixes and message body.
pub fn parse(line: &str) -> Header<'_> {
    let indented = line.starts_with([' ', '\t']);
    let mut h = Header {
        indented,
        ..Header::default()
    };
    let mut s = line.trim_start_matches([' ', '\t']);

    // <PRI>
    if let Some(rest) = s.strip_prefix('<') {
        let d = digits(rest);
        if (1..=3).contains(&d) && rest[d..].starts_with('>') {
            s = &rest[d + 1..];
            h.prefixed = true;
        }
    }

    // Relay prefix: `172.16.200.253:514 : local7.warning `.
    if let Some((host, rest)) = relay_prefix(s) {
        h.host = Some(host);
        s = rest;
        h.prefixed = true;
    }

    // Up to three rounds of: collector ts + host, sequence number, device ts, uptime.
    for _ in 0..4 {
        let before = s.len();
        if let Some(n) = timestamp_len(s) {
            let ts = &s[..n];
            let rest = &s[n..];
            let after = rest.trim_start_matches(' ');
            if let Some(r) = after.strip_prefix(':') {
                h.time = Some(ts.trim_start_matches(['*', '.']));
                s = r.trim_start_matches(' ');
            } else if let Some((host, r)) = collector_host(after) {
                h.time.get_or_insert(ts);
                h.host = Some(host);
                s = r;
            } else {
                h.time = Some(ts.trim_start_matches(['*', '.']));
                s = after;
            }
            h.prefixed = true;
        } else if let Some(n) = uptime_len(s) {
            h.time.get_or_insert(&s[..n]);
            s = s[n + 1..].trim_start_matches(' ');
            h.prefixed = true;
        } else if let Some(n) = sequence_len(s) {
            s = s.get(n + 1..).unwrap_or("").trim_start_matches(' ');
            h.prefixed = true;
        }
        if s.len() == before {
            break;
        }
    }

    // %FAC-SEV-MNEMONIC: tag (also with a lower-case segment, and the
    // odd `%PIX|ASA-4-402101:` of documentation).
    if let Some(rest) = s.strip_prefix('%') {
        if let Some((tag, body)) = syslog_tag(rest) {
            h.tag = Some(tag);
            h.vendor = Some(vendor_of_tag(tag));
            s = body.trim_start_matches(' ');
            h.prefixed = true;
        }
    } else if let Some(rest) = s.strip_prefix('[') {
        // ASA console: `[IKEv1]:`, `[IKEv1 DEBUG]`, `[IKEv2]` (colon optional).
        if let Some(end) = rest.find(']') {
            let inner = &rest[..end];
            if inner.starts_with("IKEv1") || inner.starts_with("IKEv2") || inner.starts_with("IKE")
            {
                h.vendor = Some(Vendor::Asa);
                let r = &rest[end + 1..];
                s = r.strip_prefix(':').unwrap_or(r).trim_start_matches(' ');
                h.prefixed = true;
            }
        }
    }
    h.body = s.trim_end();
    h
}

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Length of a timestamp at the start of `s`: `[*.]Mon dd [yyyy] hh:mm:ss[.fff][TZ]`
/// (TZ glued, or spaced when followed by `:`), or ISO 8601.
fn timestamp_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'*' | b'.')) {
        i = 1;
    }
    if let Some(n) = iso_len(&s[i..]) {
        return Some(i + n);
    }
    let m = s.get(i..i + 3)?;
    if !MONTHS.contains(&m) {
        return None;
    }
    i += 3;
    let sp = spaces(&b[i..]);
    if sp == 0 {
        return None;
    }
    i += sp;
    let d = digits(&s[i..]);
    if !(1..=2).contains(&d) {
        return None;
    }
    i += d;
    let sp = spaces(&b[i..]);
    if sp == 0 {
        return None;
    }
    i += sp;
    // optional year
    if digits(&s[i..]) == 4 && b.get(i + 4) == Some(&b' ') {
        i += 4 + spaces(&b[i + 4..]);
    }
    i += clock_len(&s[i..])?;
    // fractional seconds
    if b.get(i) == Some(&b'.') && digits(&s[i + 1..]) > 0 {
        i += 1 + digits(&s[i + 1..]);
    }
    // time zone glued (`11:39:59KST`) or spaced (`20:56:50 KST:`)
    let tz = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    if (2..=5).contains(&tz) {
        i += tz;
    } else if b.get(i) == Some(&b' ') {
        let tz = b[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if (2..=5).contains(&tz) && b.get(i + 1 + tz) == Some(&b':') {
            i += 1 + tz;
        }
    }
    Some(i)
}

fn iso_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 19
        || digits(s) != 4
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
    {
        return None;
    }
    if digits(&s[5..]) != 2 || digits(&s[8..]) != 2 {
        return None;
    }
    let mut i = 11 + clock_len(&s[11..])?;
    if b.get(i) == Some(&b'.') {
        i += 1 + digits(&s[i + 1..]);
    }
    if b.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(b.get(i), Some(b'+' | b'-')) && digits(&s[i + 1..]) >= 2 {
        i += 1 + digits(&s[i + 1..]);
        if b.get(i) == Some(&b':') && digits(&s[i + 1..]) == 2 {
            i += 3;
        }
    }
    Some(i)
}

/// `hh:mm:ss`
fn clock_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let h = digits(s);
    if !(1..=2).contains(&h) || b.get(h) != Some(&b':') {
        return None;
    }
    if digits(&s[h + 1..]) != 2 || b.get(h + 3) != Some(&b':') || digits(&s[h + 4..]) != 2 {
        return None;
    }
    Some(h + 6)
}

fn spaces(b: &[u8]) -> usize {
    b.iter().take_while(|c| **c == b' ').count()
}

/// Uptime stamp followed by `:` — `1d00h`, `2w5d`, `42w2d`, `00:27:07`.
fn uptime_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if let Some(n) = clock_len(s) {
        if b.get(n) == Some(&b':') {
            return Some(n);
        }
        return None;
    }
    let d1 = digits(s);
    if d1 == 0 || d1 > 3 {
        return None;
    }
    let u1 = *b.get(d1)?;
    if !matches!(u1.to_ascii_lowercase(), b'y' | b'w' | b'd' | b'h') {
        return None;
    }
    let d2 = digits(&s[d1 + 1..]);
    if d2 == 0 || d2 > 2 {
        return None;
    }
    let u2 = *b.get(d1 + 1 + d2)?;
    if !matches!(u2.to_ascii_lowercase(), b'w' | b'd' | b'h' | b'm') {
        return None;
    }
    let n = d1 + 2 + d2;
    (b.get(n) == Some(&b':')).then_some(n)
}

/// Device sequence number `123456:` followed by a space.
fn sequence_len(s: &str) -> Option<usize> {
    let d = digits(s);
    let b = s.as_bytes();
    ((1..=12).contains(&d)
        && b.get(d) == Some(&b':')
        && matches!(b.get(d + 1), None | Some(b' ' | b'*' | b'.')))
    .then_some(d)
}

/// After a collector timestamp: `host : `, `host seq: `, `host %TAG`, `host message`.
fn collector_host(s: &str) -> Option<(&str, &str)> {
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b':')))
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let mut host = &s[..end];
    let rest = &s[end..];
    // A host never ends with ':' (that is a glued separator: `INT-FW01:`).
    let glued = host.ends_with(':');
    host = host.trim_end_matches(':');
    if host.is_empty() || host.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Cisco message words that can follow a bare device timestamp.
    if matches!(
        host,
        "ISAKMP" | "IPSEC" | "IPSec" | "IKEv2" | "CRYPTO" | "ICMP"
    ) {
        return None;
    }
    if !rest.starts_with(' ') && !glued {
        return None;
    }
    let mut r = rest.trim_start_matches(' ');
    // A time zone after the host: `INT-FW01 EDT: %ASA-…`.
    let tz = r.bytes().take_while(u8::is_ascii_uppercase).count();
    if (2..=5).contains(&tz) && r.as_bytes().get(tz) == Some(&b':') {
        r = &r[tz..];
    }
    let r = r
        .strip_prefix(": ")
        .or_else(|| r.strip_prefix(':'))
        .unwrap_or(r);
    Some((host, r.trim_start_matches(' ')))
}

/// `172.16.200.253:514 : local7.warning ` (syslog relay).
fn relay_prefix(s: &str) -> Option<(&str, &str)> {
    let end = s.find(' ')?;
    let host = &s[..end];
    if !host.contains(':') || !host.bytes().next()?.is_ascii_digit() {
        return None;
    }
    let rest = s[end..].trim_start().strip_prefix(':')?.trim_start();
    let fac_end = rest.find(' ')?;
    let fac = &rest[..fac_end];
    if !(fac.starts_with("local")
        || fac.starts_with("user")
        || fac.starts_with("daemon")
        || fac.starts_with("auth"))
        || !fac.contains('.')
    {
        return None;
    }
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    Some((host, rest[fac_end..].trim_start()))
}

/// `FAC-SEV-MNEMONIC:` (after the `%`).
fn syslog_tag(s: &str) -> Option<(&str, &str)> {
    let end = s.find(':')?;
    let tag = &s[..end];
    if tag.len() < 5 || tag.contains(' ') {
        return None;
    }
    let parts: Vec<&str> = tag.split('-').collect();
    if parts.len() < 3 {
        return None;
    }
    // the severity is the single digit segment before the mnemonic
    let sev_ok =
        parts[parts.len() - 2].len() == 1 && parts[parts.len() - 2].as_bytes()[0].is_ascii_digit();
    if !sev_ok
        || !parts[0]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'|')
    {
        return None;
    }
    Some((tag, &s[end + 1..]))
}

fn vendor_of_tag(tag: &str) -> Vendor {
    let fac = tag.split('-').next().unwrap_or("");
    if fac.contains("ASA") || fac.contains("FWSM") || fac.contains("FTD") {
        Vendor::Asa
    } else if fac.contains("PIX") {
        Vendor::Pix
    } else {
        Vendor::Ios
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ios_debug_timestamp_with_star_and_ms() {
        let h = parse("*Oct 25 18:53:16.485: ISAKMP: (0):beginning Main Mode exchange");
        assert_eq!(h.time, Some("Oct 25 18:53:16.485"));
        assert_eq!(h.body, "ISAKMP: (0):beginning Main Mode exchange");
        assert_eq!(h.host, None);
    }

    #[test]
    fn two_spaces_before_single_digit_day() {
        let h = parse("*Mar  1 00:13:31.891: ISAKMP (0:1): SA not acceptable!");
        assert_eq!(h.time, Some("Mar  1 00:13:31.891"));
        assert_eq!(h.body, "ISAKMP (0:1): SA not acceptable!");
    }

    #[test]
    fn syslog_pri_sequence_and_glued_time_zone() {
        let h =
            parse("<188>989474: *Feb  2 11:39:59KST: %CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet");
        assert_eq!(h.tag, Some("CRYPTO-4-RECVD_PKT_NOT_IPSEC"));
        assert_eq!(h.vendor, Some(Vendor::Ios));
        assert_eq!(h.body, "Rec'd packet");
        let h = parse(".Mar 26 20:56:50 KST:%CDP-4-NATIVE_VLAN_MISMATCH: x");
        assert_eq!(h.tag, Some("CDP-4-NATIVE_VLAN_MISMATCH"));
    }

    #[test]
    fn collector_prefix_then_device_sequence_and_time() {
        let h = parse("Sep 22 11:02:39 203.0.113.16 2435: Sep 22 11:02:39: %MOTCR-1-ERROR:motcr_crypto_callback() motcr return failure");
        assert_eq!(h.host, Some("203.0.113.16"));
        assert_eq!(h.tag, Some("MOTCR-1-ERROR"));
        assert_eq!(h.body, "motcr_crypto_callback() motcr return failure");
    }

    #[test]
    fn asa_buffered_syslog_with_year_and_hostname_forms() {
        let h = parse("May 23 2010 13:15:25: %ASA-7-713236: IP = 22.22.22.22, IKE_DECODE SENDING");
        assert_eq!(h.vendor, Some(Vendor::Asa));
        assert_eq!(h.host, None);
        assert_eq!(h.body, "IP = 22.22.22.22, IKE_DECODE SENDING");
        let h = parse("Apr 24 2013 16:00:28 INT-FW01 : %ASA-6-302013: Built");
        assert_eq!(h.host, Some("INT-FW01"));
        assert_eq!(h.tag, Some("ASA-6-302013"));
        let h = parse("Apr 24 2013 16:00:28 INT-FW01 EDT: %ASA-session-5-106100: x");
        assert_eq!(h.tag, Some("ASA-session-5-106100"));
    }

    #[test]
    fn asa_console_brackets() {
        let h = parse(
            "Jun 10 17:36:13 [IKEv1]: IP = 233.22.22.233, Information Exchange processing failed",
        );
        assert_eq!(h.vendor, Some(Vendor::Asa));
        assert_eq!(
            h.body,
            "IP = 233.22.22.233, Information Exchange processing failed"
        );
        let h = parse("Nov 08 07:10:05 [IKEv1]Group = 172.16.0.2, IP = 172.16.0.2, QM FSM error");
        assert_eq!(h.body, "Group = 172.16.0.2, IP = 172.16.0.2, QM FSM error");
        let h = parse("Jan 24 09:02:44 [IKEv1 DEBUG]: IP = 10.0.0.1, processing SA payload");
        assert_eq!(h.body, "IP = 10.0.0.1, processing SA payload");
    }

    #[test]
    fn pix_relay_and_uptime_stamps() {
        let h = parse("172.16.200.253:514 : local7.warning %PIX-4-713903: IP = 88.250.172.55, Information Exchange processing failed");
        assert_eq!(h.host, Some("172.16.200.253"));
        assert_eq!(h.vendor, Some(Vendor::Pix));
        let h = parse("1d00h: ISAKMP (0:1): atts are not acceptable.");
        assert_eq!(h.time, Some("1d00h"));
        assert_eq!(h.body, "ISAKMP (0:1): atts are not acceptable.");
        let h = parse("00:27:07: ISAKMP:(1001):Old State = IKE_I_MM1");
        assert_eq!(h.body, "ISAKMP:(1001):Old State = IKE_I_MM1");
        let h = parse("1d00H:%CRPTO-4-IKMP_BAD_MESSAGE: IKE message");
        assert_eq!(h.tag, Some("CRPTO-4-IKMP_BAD_MESSAGE"));
    }

    #[test]
    fn iso_timestamps_and_plain_lines() {
        let h = parse("2024-06-21T23:13:01.123+08:00 vpn-gw1 %ASA-3-713902: Group = 1.2.3.4, IP = 1.2.3.4, QM FSM error");
        assert_eq!(h.host, Some("vpn-gw1"));
        assert_eq!(h.tag, Some("ASA-3-713902"));
        let h = parse("   next-payload : 8");
        assert!(h.indented && !h.prefixed);
        let h = parse("Oct 25 18:53:16.485 UTC: ISAKMP: (0):x");
        assert_eq!(h.host, None);
        assert_eq!(h.body, "ISAKMP: (0):x");
    }
}
