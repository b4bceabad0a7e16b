//! `show crypto session brief`: the one-row-per-peer table of IOS 12.4T to
//! IOS-XE, left- or right-aligned, with and without a username, down rows
//! without an uptime. Layouts as public lab write-ups show them (an IOS 15
//! DMVPN lab; an Easy VPN lab whose columns are right-aligned); the
//! addresses are ours.

use ipsec_doctor_show::{diagnose, parse, tunnels, CryptoSession, SectionKind};

fn rows(s: &[CryptoSession]) -> Vec<[Option<&str>; 7]> {
    s.iter()
        .map(|x| {
            [
                x.peer.as_deref(),
                x.interface.as_deref(),
                x.username.as_deref(),
                x.phase1_id.as_deref(),
                x.uptime.as_deref(),
                x.status.as_deref(),
                x.status_code.as_deref(),
            ]
        })
        .collect()
}

#[test]
fn left_aligned_rows_with_a_down_peer() {
    let text = "\
R1#show crypto session brief
Status: A- Active, U - Up, D - Down, I - Idle, S - Standby, N - Negotiating
        K - No IKE
ivrf = (none)
 Peer            I/F          Username        Group/Phase1_id          Uptime   Status
203.0.113.2     Gi0/0                         203.0.113.2              1d02h    UA
198.51.100.7    Gi0/0                         198.51.100.7                      D
192.0.2.9       Tu10                          HUB-1                    00:05:12 UA
R1#
";
    let o = parse("r1", text);
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    assert_eq!(o.sections[0].kind, SectionKind::Session);
    assert_eq!(
        rows(&o.sessions),
        [
            [
                Some("203.0.113.2"),
                Some("Gi0/0"),
                None,
                Some("203.0.113.2"),
                Some("1d02h"),
                Some("UP-ACTIVE"),
                Some("UA")
            ],
            [
                Some("198.51.100.7"),
                Some("Gi0/0"),
                None,
                Some("198.51.100.7"),
                None,
                Some("DOWN"),
                Some("D")
            ],
            [
                Some("192.0.2.9"),
                Some("Tu10"),
                None,
                Some("HUB-1"),
                Some("00:05:12"),
                Some("UP-ACTIVE"),
                Some("UA")
            ],
        ]
    );
    assert!(o
        .sessions
        .iter()
        .all(|s| s.ivrf.as_deref() == Some("(none)")));
    assert_eq!(o.sessions[1].line, 7);
    // The up rows are tunnels that work; the down one is named by nothing.
    let outputs = [o];
    let f = diagnose(&outputs);
    let t = tunnels(&outputs, &f);
    let up: Vec<_> = t
        .iter()
        .map(|r| (r.peer.as_deref(), r.status.as_str()))
        .collect();
    assert_eq!(
        up,
        [
            (Some("203.0.113.2"), "tunnel-up"),
            (Some("192.0.2.9"), "tunnel-up")
        ]
    );
}

#[test]
fn right_aligned_rows_with_usernames_and_other_codes() {
    // Abbreviated command, right-aligned columns, Easy VPN users, and the
    // codes for negotiating, idle and IKE-less sessions.
    let text = "\
main#sh cry se br
Status: A- Active, U - Up, D - Down, I - Idle, S - Standby, N - Negotiating
        K - No IKE
ivrf = (none)
           Peer     I/F        Username          Group/Phase1_id   Uptime Status
       10.3.3.1   Fa0/1             ra1                   ra1grp 00:17:31    UA
       10.2.2.1   Fa0/1                                 10.2.2.1            DN
       10.4.4.1   Fa0/1                                 10.4.4.1 2w3d       UI
       10.5.5.1   Fa0/1                                 10.5.5.1 00:01:02   UK
ivrf = CUST-A
       10.6.6.1   Fa0/1.20                              10.6.6.1 00:00:40   UA
main#
";
    let o = parse("main", text);
    assert_eq!(o.skipped, 0, "{:?}", o.skipped_lines);
    let got: Vec<_> = o
        .sessions
        .iter()
        .map(|s| {
            (
                s.peer.as_deref(),
                s.username.as_deref(),
                s.phase1_id.as_deref(),
                s.uptime.as_deref(),
                s.status.as_deref(),
                s.ivrf.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Some("10.3.3.1"),
                Some("ra1"),
                Some("ra1grp"),
                Some("00:17:31"),
                Some("UP-ACTIVE"),
                Some("(none)")
            ),
            (
                Some("10.2.2.1"),
                None,
                Some("10.2.2.1"),
                None,
                Some("DOWN-NEGOTIATING"),
                Some("(none)")
            ),
            (
                Some("10.4.4.1"),
                None,
                Some("10.4.4.1"),
                Some("2w3d"),
                Some("UP-IDLE"),
                Some("(none)")
            ),
            (
                Some("10.5.5.1"),
                None,
                Some("10.5.5.1"),
                Some("00:01:02"),
                Some("UP-NO-IKE"),
                Some("(none)")
            ),
            (
                Some("10.6.6.1"),
                None,
                Some("10.6.6.1"),
                Some("00:00:40"),
                Some("UP-ACTIVE"),
                Some("CUST-A")
            ),
        ]
    );
    // DOWN-NEGOTIATING: phase 1 does not complete with that peer.
    let f = diagnose(&[o]);
    assert!(
        f.iter()
            .any(|x| x.code.as_str() == "peer-unreachable" && x.peer.as_deref() == Some("10.2.2.1")),
        "{f:?}"
    );
}

#[test]
fn brief_rows_never_read_elsewhere() {
    // Without the table header, a line that ends like a status code is not
    // a session (here: a detail-form session and a stray line).
    let text = "\
R1#show crypto session
Crypto session current status

Interface: GigabitEthernet0/0
Session status: UP-ACTIVE
Peer: 203.0.113.2 port 500
  IKEv1 SA: local 198.51.100.1/500 remote 203.0.113.2/500 Active
10.9.9.9 x UA
";
    let o = parse("r1", text);
    assert_eq!(o.sessions.len(), 1);
    assert_eq!(o.sessions[0].status_code, None);
    assert_eq!(o.skipped, 1);
}
