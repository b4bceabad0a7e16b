//! Message-level prefixes that name the exchange: IOS ISAKMP conn tags in
//! all their generations, IKEv2 debug prefixes with their session ids, and
//! the ASA `Group = …, Username = …, IP = …,` peer prefix.

use crate::header::Vendor;

/// What the message prefix said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsgTag<'a> {
    /// IOS ISAKMP connection id (0 = no SA id yet).
    pub conn: Option<u32>,
    /// `ISAKMP-ERROR:` prefix.
    pub error: bool,
    /// ISAKMP / IPSEC prefix seen: the line is IOS IKE debug output.
    pub ios_ike: bool,
    /// An IKEv2 debug prefix was seen, and the kind of device that prints
    /// it: ASA `IKEv2-PROTO-n:` / `IKEv2-PLAT-n:`, IOS-XE `IKEv2:` /
    /// `IKEv2-ERROR:` / `IKEv2-INTERNAL:` / `IKEv2-PAK:`.
    pub ikev2: Option<Vendor>,
    /// IKEv2 session id: IOS-XE `(SESSION ID = n,SA ID = m)`, ASA `(n)`.
    /// It ties the lines of one negotiation together.
    pub session: Option<u32>,
    /// ASA `Group = ` value.
    pub group: Option<&'a str>,
    /// ASA `IP = ` value.
    pub ip: Option<&'a str>,
    /// The message without these prefixes.
    pub message: &'a str,
}

/// Parses `ISAKMP (0:1):`, `ISAKMP:(1001):`, `ISAKMP: (1001):`,
/// `ISAKMP-PAK: (1001):`, `ISAKMP-ERROR: (1001):`, `ISAKMP:(0:1:SW:1):`,
/// plain `ISAKMP:`, and the ASA `Group = g, Username = u, IP = a,` prefix.
pub fn parse(body: &str) -> MsgTag<'_> {
    let mut t = MsgTag {
        message: body,
        ..MsgTag::default()
    };
    if let Some(rest) = body.strip_prefix("ISAKMP") {
        t.ios_ike = true;
        let mut r = rest;
        if let Some(x) = r.strip_prefix("-PAK") {
            r = x;
        } else if let Some(x) = r.strip_prefix("-ERROR") {
            r = x;
            t.error = true;
        }
        let r2 = r.trim_start_matches(' ');
        let r2 = r2.strip_prefix(':').unwrap_or(r2).trim_start_matches(' ');
        if let Some(inner) = r2.strip_prefix('(') {
            if let Some(end) = inner.find(')') {
                let ids = &inner[..end];
                if ids.bytes().all(|c| c.is_ascii_alphanumeric() || c == b':') && !ids.is_empty() {
                    // (conn) | (0:conn) | (0:conn:SW:1)
                    let mut parts = ids.split(':');
                    let first = parts.next().unwrap_or("");
                    let second = parts.next();
                    let id = match second {
                        Some(s) if s.bytes().all(|c| c.is_ascii_digit()) && !s.is_empty() => s,
                        _ => first,
                    };
                    t.conn = id.parse().ok();
                    let after = inner[end + 1..].trim_start_matches(' ');
                    let after = after
                        .strip_prefix(':')
                        .or_else(|| after.strip_prefix(';'))
                        .unwrap_or(after);
                    // IOS-XE prints a second bracket for policy numbers: `(0):(65514):`
                    t.message = after.trim_start_matches(' ');
                    return t;
                }
            }
        }
        if r.trim_start().starts_with(':') || r.starts_with(' ') {
            t.message = r2;
        }
        return t;
    }
    if let Some(rest) = body.strip_prefix("IKEv2") {
        ikev2_tag(rest, &mut t);
        return t;
    }
    if body.starts_with("IPSEC") || body.starts_with("IPSec") {
        t.ios_ike = true;
        return t;
    }
    // ASA: `Group = g, Username = u, IP = a, message`. PIX 7 sometimes
    // omits the comma after the address.
    let mut r = body;
    loop {
        let (key, val_start) = if let Some(x) = r.strip_prefix("Group = ") {
            ("group", x)
        } else if let Some(x) = r.strip_prefix("Username = ") {
            ("user", x)
        } else if let Some(x) = r.strip_prefix("IP = ") {
            ("ip", x)
        } else {
            break;
        };
        let end = val_start.find([',', ' ']).unwrap_or(val_start.len());
        let val = &val_start[..end];
        match key {
            "group" => t.group = Some(val),
            "ip" => t.ip = Some(val),
            _ => {}
        }
        r = val_start[end..]
            .trim_start_matches(',')
            .trim_start_matches(' ');
    }
    t.message = r;
    t
}

/// The rest of an IKEv2 prefix, after `IKEv2`: `-PROTO-1: (22): m`,
/// `-PLAT-4: m`, `:(SESSION ID = 1,SA ID = 1):m`, `-ERROR:(SESSION ID = 1,SA
/// ID = 1):: m`, `:(SA ID = 1):m`, `:% m`. Anything else (`IKEv2 SA UP` of an
/// ASA syslog, `IKEv2 IKE_AUTH Exchange REQUEST`) is left whole.
fn ikev2_tag<'a>(rest: &'a str, t: &mut MsgTag<'a>) {
    let (vendor, r) = if let Some(r) = rest
        .strip_prefix("-PROTO-")
        .or_else(|| rest.strip_prefix("-PLAT-"))
    {
        // The internal debug level: one or two digits.
        (
            Vendor::Asa,
            r.trim_start_matches(|c: char| c.is_ascii_digit()),
        )
    } else if let Some(r) = ["-ERROR", "-INTERNAL", "-PAK", "-EVENT"]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
    {
        (Vendor::Ios, r)
    } else if rest.starts_with(':') {
        (Vendor::Ios, rest)
    } else {
        return;
    };
    let Some(r) = r.strip_prefix(':') else { return };
    t.ikev2 = Some(vendor);
    let r = r.trim_start_matches(' ');
    let mut msg = r;
    if let Some(inner) = r.strip_prefix('(') {
        if let Some(end) = inner.find(')') {
            let ids = &inner[..end];
            t.session = if let Some(s) = ids.strip_prefix("SESSION ID = ") {
                s.split(',').next().and_then(|n| n.trim().parse().ok())
            } else if ids.bytes().all(|c| c.is_ascii_digit()) {
                ids.parse().ok()
            } else {
                // `(SA ID = 1)`: the crypto engine's SA, not the session.
                None
            };
            msg = inner[end + 1..].trim_start_matches([':', ' ']);
        }
    }
    t.message = msg.strip_prefix('%').unwrap_or(msg).trim_start_matches(' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ios_tag_generations() {
        let cases = [
            (
                "ISAKMP (0:1): atts are not acceptable.",
                Some(1),
                "atts are not acceptable.",
            ),
            (
                "ISAKMP (0:1); no offers accepted!",
                Some(1),
                "no offers accepted!",
            ),
            (
                "ISAKMP:(1001):Old State = IKE_I_MM1",
                Some(1001),
                "Old State = IKE_I_MM1",
            ),
            (
                "ISAKMP: (1001):processing SA payload",
                Some(1001),
                "processing SA payload",
            ),
            (
                "ISAKMP-PAK: (0):sending packet to 1.1.1.1",
                Some(0),
                "sending packet to 1.1.1.1",
            ),
            (
                "ISAKMP:(0:1:SW:1):atts are acceptable.",
                Some(1),
                "atts are acceptable.",
            ),
            (
                "ISAKMP (0): processing KE payload.",
                Some(0),
                "processing KE payload.",
            ),
            (
                "ISAKMP:      encryption 3DES-CBC",
                None,
                "encryption 3DES-CBC",
            ),
        ];
        for (line, conn, msg) in cases {
            let t = parse(line);
            assert_eq!(t.conn, conn, "{line}");
            assert_eq!(t.message, msg, "{line}");
            assert!(t.ios_ike);
        }
        assert!(parse("ISAKMP-ERROR: (0):No pre-shared key with 1.2.3.4!").error);
    }

    #[test]
    fn ikev2_prefixes_and_session_ids() {
        let cases = [
            (
                "IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 10.0.0.2:500/From 10.0.0.1:500/VRF i0:f0]",
                Some(Vendor::Ios),
                Some(31),
                "Sending Packet [To 10.0.0.2:500/From 10.0.0.1:500/VRF i0:f0]",
            ),
            (
                "IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):: Failed to find a matching policy",
                Some(Vendor::Ios),
                Some(1),
                "Failed to find a matching policy",
            ),
            (
                "IKEv2:(SA ID = 1):[IKEv2 -> Crypto Engine] Computing DH secret key",
                Some(Vendor::Ios),
                None,
                "[IKEv2 -> Crypto Engine] Computing DH secret key",
            ),
            (
                "IKEv2:% IKEv2 profile not found",
                Some(Vendor::Ios),
                None,
                "IKEv2 profile not found",
            ),
            (
                "IKEv2-PROTO-1: (22): Failed to find a matching policy",
                Some(Vendor::Asa),
                Some(22),
                "Failed to find a matching policy",
            ),
            (
                "IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [203.0.113.9]:500->[198.51.100.1]:500",
                Some(Vendor::Asa),
                None,
                "RECV PKT [IKE_SA_INIT] [203.0.113.9]:500->[198.51.100.1]:500",
            ),
            (
                "IKEv2 IKE_AUTH Exchange REQUEST",
                None,
                None,
                "IKEv2 IKE_AUTH Exchange REQUEST",
            ),
        ];
        for (line, vendor, session, msg) in cases {
            let t = parse(line);
            assert_eq!(t.ikev2, vendor, "{line}");
            assert_eq!(t.session, session, "{line}");
            assert_eq!(t.message, msg, "{line}");
            assert!(!t.ios_ike, "{line}");
        }
    }

    #[test]
    fn asa_group_user_ip_prefix() {
        let t = parse("Group = 77.88.99.100, Username = 77.88.99.100, IP = 77.88.99.100, Session disconnected.");
        assert_eq!(t.group, Some("77.88.99.100"));
        assert_eq!(t.ip, Some("77.88.99.100"));
        assert_eq!(t.message, "Session disconnected.");
        let t = parse("IP = 233.22.22.233, Information Exchange processing failed");
        assert_eq!(t.ip, Some("233.22.22.233"));
        let t = parse("IP = 198.51.100.7 Duplicate first packet detected.");
        assert_eq!(t.ip, Some("198.51.100.7"));
        assert_eq!(t.message, "Duplicate first packet detected.");
    }
}
