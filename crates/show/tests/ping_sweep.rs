//! DF-bit ping sweeps with a repeat count above 1. IOS sends the whole
//! sweep once per repeat (min, min + interval, … ≤ max, then min again: one
//! loop over repeat × sizes packets in the IOS ping code), so the nth reply
//! mark is the (n mod sizes)th size. A size passes when any of its packets
//! got a reply.

use ipsec_doctor_show::{mtu_bounds, parse, PingProbe};

/// What a test compares of a probe.
type Seen = (
    Option<(u32, u32, u32)>,
    (Option<u32>, Option<u32>, Option<u32>),
    u32,
    (Option<u32>, Option<u32>),
);

fn seen(p: &PingProbe) -> Seen {
    (
        p.sweep.map(|s| (s.min, s.max, s.interval)),
        (p.sent, p.received, p.success_percent),
        p.frag_needed,
        (p.largest_ok, p.first_failed),
    )
}

/// (lower, upper, frag_needed) of the one target.
fn bounds(text: &str) -> (Option<u32>, Option<u32>, bool) {
    let b = mtu_bounds(&parse("t", text).pings);
    assert_eq!(b.len(), 1, "{b:#?}");
    (b[0].lower, b[0].upper, b[0].frag_needed)
}

/// IOS 12.4: no `Ingress ping` / `DSCP` questions, `0xABCD` pattern, no
/// `Packet sent with the DF bit set` line.
const IOS124_REPEAT3: &str = "\
R1#ping
Protocol [ip]:
Target IP address: 172.16.1.56
Repeat count [5]: 3
Datagram size [100]:
Timeout in seconds [2]:
Extended commands [n]: y
Source address or interface: 10.1.1.2
Type of service [0]:
Set DF bit in IP header? [no]: y
Validate reply data? [no]:
Data pattern [0xABCD]:
Loose, Strict, Record, Timestamp, Verbose[none]:
Sweep range of sizes [n]: y
Sweep min size [36]: 1496
Sweep max size [18024]: 1502
Sweep interval [1]:
Type escape sequence to abort.
Sending 21, [1496..1502]-byte ICMP Echos to 172.16.1.56, timeout is 2 seconds:
!!!!!MM!!!!!MM!!!!!MM
Success rate is 71 percent (15/21), round-trip min/avg/max = 1/2/4 ms
R1#
";

#[test]
fn ios124_repeat_3_marks_cycle_through_the_sweep() {
    let out = parse("t", IOS124_REPEAT3);
    assert_eq!(out.pings.len(), 1);
    let p = &out.pings[0];
    assert_eq!(p.line, 19);
    assert_eq!(p.target.as_deref(), Some("172.16.1.56"));
    assert_eq!(p.source.as_deref(), Some("10.1.1.2"));
    assert!(p.df);
    // 1496..1500 answered in every round, 1501 and 1502 never: had the
    // marks been three per size, 1497 would have failed first.
    assert_eq!(
        seen(p),
        (
            Some((1496, 1502, 1)),
            (Some(21), Some(15), Some(71)),
            6,
            (Some(1500), Some(1501))
        )
    );
    assert_eq!(bounds(IOS124_REPEAT3), (Some(1500), Some(1500), true));
}

#[test]
fn ios124_a_size_lost_once_still_passes() {
    // Sizes 1400, 1402 … 1410 twice; 1404 lost in the first round.
    let text = "\
R1#ping
Protocol [ip]:
Target IP address: 172.16.1.56
Repeat count [5]: 2
Datagram size [100]:
Timeout in seconds [2]: 1
Extended commands [n]: y
Source address or interface:
Type of service [0]:
Set DF bit in IP header? [no]: yes
Validate reply data? [no]:
Data pattern [0xABCD]:
Loose, Strict, Record, Timestamp, Verbose[none]:
Sweep range of sizes [n]: y
Sweep min size [36]: 1400
Sweep max size [18024]: 1410
Sweep interval [1]: 2
Type escape sequence to abort.
Sending 12, [1400..1410]-byte ICMP Echos to 172.16.1.56, timeout is 1 seconds:
!!.!..!!!!..
Success rate is 58 percent (7/12), round-trip min/avg/max = 1/1/4 ms
";
    let out = parse("t", text);
    assert_eq!(
        seen(&out.pings[0]),
        (
            Some((1400, 1410, 2)),
            (Some(12), Some(7), Some(58)),
            0,
            (Some(1406), Some(1408))
        )
    );
    // Silence, not `M`: the bound holds, but nothing says it is the MTU.
    assert_eq!(bounds(text), (Some(1406), Some(1407), false));
}

/// IOS 15 / IOS-XE: `Ingress ping`, `DSCP Value`, `0x0000ABCD`, and the
/// marks wrapped at 70 a line.
const IOSXE_REPEAT3_WRAPPED: &str = "\
branch-rtr#ping
Protocol [ip]:
Target IP address: 172.16.10.20
Repeat count [5]: 3
Datagram size [100]:
Timeout in seconds [2]:
Extended commands [n]: y
Ingress ping [n]:
Source address or interface: GigabitEthernet2
DSCP Value [0]:
Type of service [0]:
Set DF bit in IP header? [no]: y
Validate reply data? [no]:
Data pattern [0x0000ABCD]:
Loose, Strict, Record, Timestamp, Verbose[none]:
Sweep range of sizes [n]: y
Sweep min size [36]: 1400
Sweep max size [18024]: 1500
Sweep interval [1]: 4
Type escape sequence to abort.
Sending 78, [1400..1500]-byte ICMP Echos to 172.16.10.20, timeout is 2 seconds:
Packet sent with a source address of 10.20.1.1
Packet sent with the DF bit set
!!!!!!!!!!!!!!!!!!!.MMMMMM!!!!!!!!!!!!!!!!!!!!M.MMMM!!!!!!!!!!!!!!!!!!
!!MMMMMM
Success rate is 75 percent (59/78), round-trip min/avg/max = 20/21/24 ms
branch-rtr#
";

#[test]
fn iosxe_repeat_3_sweep_wrapped_over_two_lines() {
    // 26 sizes (1400, 1404 … 1500) three times: 1476 (the 20th) is lost in
    // the first round and answered in the next two; 1480 and up never are.
    let out = parse("t", IOSXE_REPEAT3_WRAPPED);
    assert_eq!(out.pings.len(), 1);
    let p = &out.pings[0];
    assert_eq!(p.source.as_deref(), Some("10.20.1.1"));
    assert_eq!(
        seen(p),
        (
            Some((1400, 1500, 4)),
            (Some(78), Some(59), Some(75)),
            17,
            (Some(1476), Some(1480))
        )
    );
    assert_eq!(
        bounds(IOSXE_REPEAT3_WRAPPED),
        (Some(1476), Some(1479), true)
    );
}

#[test]
fn iosxe_sweep_cut_short() {
    let dialog = "\
R2#ping
Protocol [ip]:
Target IP address: 203.0.113.50
Repeat count [5]:
Datagram size [100]:
Timeout in seconds [2]:
Extended commands [n]: y
Ingress ping [n]:
Source address or interface:
DSCP Value [0]:
Type of service [0]:
Set DF bit in IP header? [no]: y
Validate reply data? [no]:
Data pattern [0x0000ABCD]:
Loose, Strict, Record, Timestamp, Verbose[none]:
Sweep range of sizes [n]: y
Sweep min size [36]: 1496
Sweep max size [18024]: 1502
Sweep interval [1]:
Type escape sequence to abort.
Sending 35, [1496..1502]-byte ICMP Echos to 203.0.113.50, timeout is 2 seconds:
Packet sent with the DF bit set
";
    // Stopped in the second round (the default repeat count is 5).
    let text = format!("{dialog}!!!!!..!!!\nSuccess rate is 80 percent (8/10), round-trip min/avg/max = 12/12/13 ms\n");
    let out = parse("t", &text);
    assert_eq!(
        seen(&out.pings[0]),
        (
            Some((1496, 1502, 1)),
            (Some(35), Some(8), Some(80)),
            0,
            (Some(1500), Some(1501))
        )
    );
    // Stopped in the first round, before any size failed: the sizes not
    // sent prove nothing.
    let text = format!(
        "{dialog}!!!!\nSuccess rate is 100 percent (4/4), round-trip min/avg/max = 12/12/13 ms\n"
    );
    let out = parse("t", &text);
    assert_eq!(
        seen(&out.pings[0]),
        (
            Some((1496, 1502, 1)),
            (Some(35), Some(4), Some(100)),
            0,
            (Some(1499), None)
        )
    );
    assert_eq!(bounds(&text), (Some(1499), None, false));
}

#[test]
fn iosxe_verbose_sweep_repeated() {
    // The second round loses 1500; it passed in the first.
    let text = "\
R2#ping
Protocol [ip]:
Target IP address: 203.0.113.50
Repeat count [5]: 2
Datagram size [100]:
Timeout in seconds [2]:
Extended commands [n]: y
Ingress ping [n]:
Source address or interface: GigabitEthernet1
DSCP Value [0]:
Type of service [0]:
Set DF bit in IP header? [no]: y
Validate reply data? [no]:
Data pattern [0x0000ABCD]:
Loose, Strict, Record, Timestamp, Verbose[none]: v
Loose, Strict, Record, Timestamp, Verbose[V]:
Sweep range of sizes [n]: y
Sweep min size [36]: 1499
Sweep max size [18024]: 1501
Sweep interval [1]:
Type escape sequence to abort.
Sending 6, [1499..1501]-byte ICMP Echos to 203.0.113.50, timeout is 2 seconds:
Packet sent with the DF bit set
Reply to request 0 (12 ms) (size 1499)
Reply to request 1 (12 ms) (size 1500)
Request 2 timed out (size 1501)
Reply to request 3 (13 ms) (size 1499)
Request 4 timed out (size 1500)
Request 5 timed out (size 1501)
Success rate is 50 percent (3/6), round-trip min/avg/max = 12/12/13 ms
";
    let out = parse("t", text);
    assert_eq!(out.skipped, 0);
    assert_eq!(
        seen(&out.pings[0]),
        (
            Some((1499, 1501, 1)),
            (Some(6), Some(3), Some(50)),
            0,
            (Some(1500), Some(1501))
        )
    );
    assert_eq!(bounds(text), (Some(1500), Some(1500), false));
}

#[test]
fn marks_are_not_placed_when_the_interval_is_unknown() {
    // The dialog was not captured: at the default interval, 63 packets are
    // not a whole number of sweeps of 1400..1440, so no size is named and
    // only the loose bounds of a partly failed sweep remain.
    let text = "\
Sending 63, [1400..1440]-byte ICMP Echos to 172.16.10.20, timeout is 2 seconds:
Packet sent with the DF bit set
!!!!!!!!!!!MMMMMMMMMM!!!!!!!!!!!MMMMMMMMMM!!!!!!!!!!!MMMMMMMMMM
Success rate is 52 percent (33/63), round-trip min/avg/max = 20/21/24 ms
";
    let out = parse("t", text);
    assert_eq!(
        seen(&out.pings[0]),
        (
            Some((1400, 1440, 1)),
            (Some(63), Some(33), Some(52)),
            30,
            (None, None)
        )
    );
    assert_eq!(bounds(text), (Some(1400), Some(1439), true));
}
