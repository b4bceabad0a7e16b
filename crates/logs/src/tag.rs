//! Message-level prefixes that name the exchange: IOS ISAKMP conn tags in
//! all their generations, and the ASA `Group = …, Username = …, IP = …,`
//! peer prefix.

/// What the message prefix said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsgTag<'a> {
    /// IOS ISAKMP connection id (0 = no SA id yet).
    pub conn: Option<u32>,
    /// `ISAKMP-ERROR:` prefix.
    pub error: bool,
    /// ISAKMP / IPSEC prefix seen: the line is IOS IKE debug output.
    pub ios_ike: bool,
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
