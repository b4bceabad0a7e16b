//! Small hand-written sessions, one behaviour each.

use ipsec_doctor_logs::diagnose_text;
use ipsec_doctor_model::{Code, Report, Severity};

fn first_error(r: &Report) -> Option<Code> {
    r.findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| f.code)
}

fn status(r: &Report, peer: &str) -> Option<Code> {
    r.tunnels
        .iter()
        .find(|t| t.peer.as_deref() == Some(peer))
        .map(|t| t.status)
}

#[test]
fn refused_offer_followed_by_accepted_one_is_healthy() {
    let log = "\
*Mar  1 00:13:31.891: ISAKMP (0:1): Checking ISAKMP transform 1 against priority 10 policy
*Mar  1 00:13:31.891: ISAKMP (0:1): Encryption algorithm offered does not match policy!
*Mar  1 00:13:31.891: ISAKMP (0:1): atts are not acceptable. Next payload is 3
*Mar  1 00:13:31.891: ISAKMP (0:1): Checking ISAKMP transform 2 against priority 10 policy
*Mar  1 00:13:31.891: ISAKMP (0:1): atts are acceptable. Next payload is 0
*Mar  1 00:13:31.999: ISAKMP (0:1): SA has been authenticated with 198.51.100.9
*Mar  1 00:13:32.100: IPSEC(create_sa): sa created, (sa) sa_dest= 198.51.100.9, sa_prot= 50
";
    let r = diagnose_text("t", log);
    assert_eq!(first_error(&r), None, "{:#?}", r.findings);
    assert_eq!(status(&r, "198.51.100.9"), Some(Code::TunnelUp));
}

#[test]
fn lines_without_a_peer_belong_to_the_peer_named_next() {
    let log = "\
1d00h: ISAKMP (0:1): atts are not acceptable. Next payload is 0
1d00h: ISAKMP (0:1): no offers accepted!
1d00h: %CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main Mode failed with peer at 198.51.100.1
";
    let r = diagnose_text("t", log);
    assert_eq!(r.tunnels.len(), 1, "{:#?}", r.tunnels);
    assert_eq!(status(&r, "198.51.100.1"), Some(Code::Phase1PolicyMismatch));
}

#[test]
fn collector_lines_of_two_devices_are_kept_apart() {
    let log = "\
Sep 22 11:02:39 198.51.100.2 2435: Sep 22 11:02:39: %CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 203.0.113.7 failed its sanity check or is malformed
Sep 22 11:02:40 198.51.100.3 811: Sep 22 11:02:40: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP  .  Peer 203.0.113.8:500       Id: 203.0.113.8
Sep 22 11:02:41 198.51.100.3 812: Sep 22 11:02:41: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up
";
    let r = diagnose_text("t", log);
    assert_eq!(status(&r, "203.0.113.7"), Some(Code::PskMismatch));
    assert_eq!(status(&r, "203.0.113.8"), Some(Code::TunnelUp));
    let bad = r
        .tunnels
        .iter()
        .find(|t| t.peer.as_deref() == Some("203.0.113.7"))
        .unwrap();
    assert_eq!(bad.device.as_deref(), Some("198.51.100.2"));
}

#[test]
fn invalid_spi_after_a_clear_that_recovers_is_not_an_error() {
    let log = "\
HQ#clear crypto sa
*Oct 24 04:31:10.058: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50, spi=0x3EA71AED(1051138797), srcaddr=198.51.100.5, input interface=GigabitEthernet1
ISAKMP: (1003):received packet from 198.51.100.5 dport 500 sport 500 Global (R) MM_NO_STATE
ISAKMP: (1003):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE
";
    let r = diagnose_text("t", log);
    assert_eq!(first_error(&r), None, "{:#?}", r.findings);
    assert!(r
        .findings
        .iter()
        .any(|f| f.code == Code::InvalidSpi && f.severity == Severity::Info));
}

#[test]
fn invalid_spi_that_never_recovers_is_an_error() {
    let log = "\
*Oct 24 04:31:10.058: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50, spi=0x3EA71AED(1051138797), srcaddr=198.51.100.5
*Oct 24 04:32:10.058: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=192.0.2.1, prot=50, spi=0x3EA71AED(1051138797), srcaddr=198.51.100.5
";
    assert_eq!(
        first_error(&diagnose_text("t", log)),
        Some(Code::InvalidSpi)
    );
}

#[test]
fn the_end_that_names_the_cause_explains_the_other() {
    // Initiator only sees PROPOSAL_NOT_CHOSEN; responder logs the transform refusal.
    let log = "\
=BRANCH=
ISAKMP:(2001):beginning Quick Mode exchange, M-ID of 1234567
ISAKMP:(2001): sending packet to 192.0.2.1 my_port 500 peer_port 500 (I) QM_IDLE
ISAKMP:(2001): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3
=HQ=
ISAKMP:(1001): received packet from 198.51.100.20 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):set new node 1234567 to QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
IPSEC(validate_proposal): transform proposal (prot 3, trans 3, hmac_alg 2) not supported for identity
ISAKMP:(1001):atts are not acceptable.
ISAKMP:(1001): IPSec policy invalidated proposal with error 256
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "192.0.2.1"),
        Some(Code::TransformSetMismatch),
        "{:#?}",
        r.tunnels
    );
    assert_eq!(
        status(&r, "198.51.100.20"),
        Some(Code::TransformSetMismatch)
    );
}

#[test]
fn a_change_that_makes_the_ping_succeed_is_the_confirmed_fix() {
    let log = "\
R1#ping 10.2.2.2 source 10.1.1.1
.....
Success rate is 0 percent (0/5)
R2(config)#ip route 10.1.1.0 255.255.255.0 198.51.100.1
R2(config)#do ping 10.1.1.1 source 10.2.2.2
!!!!!
Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms
";
    let r = diagnose_text("t", log);
    let f = &r.findings[0];
    assert_eq!(f.code, Code::RouteMissing);
    assert_eq!(f.device.as_deref(), Some("R2"));
    assert_eq!(f.peer.as_deref(), Some("198.51.100.1"));
    assert!(f.fixes[0].commands[0].starts_with("ip route 10.1.1.0"));
}

#[test]
fn asa_initiator_resending_mm1_until_timeout_is_unreachable_peer() {
    let log = "\
Jan 24 2023 09:02:44: %ASA-7-713236: IP = 198.51.100.30, IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172
Jan 24 2023 09:02:52: %ASA-7-713236: IP = 198.51.100.30, IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172
Jan 24 2023 09:03:00: %ASA-7-713236: IP = 198.51.100.30, IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172
Jan 24 2023 09:03:16: %ASA-5-713136: IP = 198.51.100.30, IKE session establishment timed out [MM_WAIT_MSG2], aborting!
";
    let r = diagnose_text("t", log);
    assert_eq!(
        first_error(&r),
        Some(Code::PeerUnreachable),
        "{:#?}",
        r.findings
    );
    assert_eq!(r.tunnels[0].reached.as_deref(), Some("MM1"));
    assert_eq!(r.tunnels[0].role.as_deref(), Some("initiator"));
}

#[test]
fn mask_typed_as_wildcard_in_an_ios_acl_is_flagged() {
    let log = "\
spoke(config)#do sh ip access-list 110
Extended IP access list 110
    10 permit ip 0.0.0.0 255.255.255.0 0.0.0.0 255.255.255.0
";
    let r = diagnose_text("t", log);
    assert_eq!(first_error(&r), Some(Code::CryptoAclInvalid));
    assert_eq!(r.findings[0].device.as_deref(), Some("spoke"));
}

#[test]
fn pieces_of_a_collector_line_keep_its_device() {
    let log = "\
Sep 22 11:03:16 172.16.81.1 Sep 22 2014 11:03:16: %ASA-7-715047: Group = 203.54.34.38, IP = 203.54.34.38, processing hash payload
*Aug 11 06:02:17.530 198.51.100.3 %IOSXE-3-PLATFORM: F0: cpp_cp: QFP:0.0 Thread:000 TS:00000731904412201931 %IPSEC-3-HMAC_ERROR: IPSec SA receives HMAC error, DP Handle 41, src_addr 198.51.100.71, dest_addr 192.0.2.200, SPI 0x8c3e7a15
";
    let r = diagnose_text("t", log);
    assert!(
        r.tunnels.iter().all(|t| t.device.is_some()),
        "{:#?}",
        r.tunnels
    );
    let hmac = r
        .tunnels
        .iter()
        .find(|t| t.status == Code::HmacFailure)
        .unwrap();
    assert_eq!(hmac.device.as_deref(), Some("198.51.100.3"));
}

#[test]
fn a_replay_drop_names_its_peer_only_through_its_sa() {
    // IOS 15 through a collector: two tunnels on one router. The replay
    // syslogs name only the SA's connection id; `debug crypto ipsec` tied
    // 2001 to 203.0.113.1 earlier. Connection id 2999 was never seen.
    let log = "\
Oct  3 09:00:01 edge-1 101: Oct  3 09:00:01.100 CET: ISAKMP:(1001):SA has been authenticated with 203.0.113.1
Oct  3 09:00:02 edge-1 102: Oct  3 09:00:02.100 CET: ISAKMP:(1001):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
Oct  3 09:00:02 edge-1 103: Oct  3 09:00:02.200 CET: IPSEC(create_sa): sa created, (sa) sa_dest= 192.0.2.10, sa_prot= 50, sa_spi= 0x1A2B3C4D(439041101), sa_trans= esp-aes 256 esp-sha-hmac , sa_conn_id= 2001
Oct  3 09:05:01 edge-1 104: Oct  3 09:05:01.100 CET: ISAKMP:(1002):SA has been authenticated with 198.51.100.7
Oct  3 09:05:02 edge-1 105: Oct  3 09:05:02.100 CET: ISAKMP:(1002):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
Oct  3 09:07:00 edge-1 106: Oct  3 09:07:00.000 CET: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2001, sequence number=77
Oct  3 09:07:05 edge-1 107: Oct  3 09:07:05.000 CET: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2999, sequence number=12
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "203.0.113.1"),
        Some(Code::ReplayReordering),
        "{:#?}",
        r.tunnels
    );
    // Not pinned on the negotiation logged last.
    assert_eq!(status(&r, "198.51.100.7"), Some(Code::TunnelUp));
    let unknown: Vec<_> = r.tunnels.iter().filter(|t| t.peer.is_none()).collect();
    assert_eq!(unknown.len(), 1, "{:#?}", r.tunnels);
    assert_eq!(unknown[0].status, Code::ReplayReordering);
    // It says how to find the SA on the router.
    assert!(r.findings.iter().any(|f| f.peer.is_none()
        && f.code == Code::ReplayReordering
        && f.explanation.contains("connection id 2999")));
}

#[test]
fn a_replay_drop_on_a_router_with_one_tunnel_is_that_tunnels() {
    let log = "\
Oct  3 09:00:01 edge-2 101: Oct  3 09:00:01.100 CET: ISAKMP:(1001):SA has been authenticated with 203.0.113.9
Oct  3 09:00:02 edge-2 102: Oct  3 09:00:02.100 CET: ISAKMP:(1001):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
Oct  3 09:07:00 edge-2 106: Oct  3 09:07:00.000 CET: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2001, sequence number=77
";
    let r = diagnose_text("t", log);
    assert_eq!(r.tunnels.len(), 1, "{:#?}", r.tunnels);
    assert_eq!(status(&r, "203.0.113.9"), Some(Code::ReplayReordering));
}

#[test]
fn two_branches_of_one_hub_are_not_taken_for_the_two_ends() {
    // Both branches talk to the hub 192.0.2.1 and happen to log the same
    // message id; the hub's own log is not here. The second branch's cause
    // must not be lent to the first.
    let log = "\
=BRANCH-A=
ISAKMP:(2001):beginning Quick Mode exchange, M-ID of 1234567
ISAKMP:(2001): sending packet to 192.0.2.1 my_port 500 peer_port 500 (I) QM_IDLE
ISAKMP:(2001): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3
=BRANCH-B=
ISAKMP:(1001): received packet from 192.0.2.1 dport 500 sport 500 Global (R) QM_IDLE
ISAKMP:(1001):set new node 1234567 to QM_IDLE
ISAKMP:(1001):Checking IPSec proposal 1
IPSEC(validate_proposal): transform proposal (prot 3, trans 3, hmac_alg 2) not supported for identity
ISAKMP:(1001):atts are not acceptable.
ISAKMP:(1001): IPSec policy invalidated proposal with error 256
";
    let r = diagnose_text("t", log);
    let borrowed = r.findings.iter().any(|f| {
        f.device.as_deref() == Some("BRANCH-A") && f.explanation.contains("the peer's own log")
    });
    assert!(!borrowed, "{:#?}", r.findings);
}

#[test]
fn a_new_phase_one_under_conn_zero_is_kept_apart_from_an_established_sa() {
    // IOS-XE: 198.51.100.7 has its ISAKMP SA (1001) and runs quick mode;
    // meanwhile 203.0.113.50 starts main mode, logged under (0), and its
    // offer is refused. The (0) lines are 203.0.113.50's.
    let log = "\
*Oct  3 09:00:01.100: ISAKMP-PAK: (0):received packet from 203.0.113.50 dport 500 sport 500 Global (N) NEW SA
*Oct  3 09:00:01.200: ISAKMP: (1001):beginning Quick Mode exchange, M-ID of 1111111
*Oct  3 09:00:01.300: ISAKMP: (0):Checking ISAKMP transform 1 against priority 10 policy
*Oct  3 09:00:01.310: ISAKMP: (1001):sending packet to 198.51.100.7 my_port 500 peer_port 500 (I) QM_IDLE
*Oct  3 09:00:01.400: ISAKMP: (0):Hash algorithm offered does not match policy!
*Oct  3 09:00:01.410: ISAKMP: (0):atts are not acceptable. Next payload is 0
*Oct  3 09:00:01.500: ISAKMP: (1001):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
*Oct  3 09:00:01.600: ISAKMP: (0):no offers accepted!
*Oct  3 09:00:01.700: ISAKMP-ERROR: (0):phase 1 SA policy not acceptable! (local 192.0.2.10 remote 203.0.113.50)
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "203.0.113.50"),
        Some(Code::Phase1PolicyMismatch),
        "{:#?}",
        r.tunnels
    );
    assert_eq!(
        status(&r, "198.51.100.7"),
        Some(Code::TunnelUp),
        "{:#?}",
        r.findings
    );
}

#[test]
fn an_sa_created_while_another_peer_negotiates_keeps_its_own_peer() {
    // IOS 15.x console: the SA for 203.0.113.1 is installed (conn 1001
    // names the peer, and the SPI), then 198.51.100.7 speaks, then
    // IPSEC(create_sa) for that SPI: it is 203.0.113.1's, and so are the
    // replay drops on its connection id.
    let log = "\
*Oct  3 09:00:01.100: ISAKMP:(1001):SA has been authenticated with 203.0.113.1
*Oct  3 09:00:01.200: ISAKMP:(1001):Successfully installed IPSEC SA (SPI:0x5A5A1234) on GigabitEthernet0/1
*Oct  3 09:00:01.300: ISAKMP:(1002):SA has been authenticated with 198.51.100.7
*Oct  3 09:00:01.400: IPSEC(create_sa): sa created, (sa) sa_dest= 192.0.2.10, sa_prot= 50, sa_spi= 0x5A5A1234(1515852340), sa_trans= esp-aes 256 esp-sha-hmac , sa_conn_id= 2003
*Oct  3 09:00:02.500: ISAKMP:(1002):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
*Oct  3 09:00:02.600: ISAKMP:(1001):Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE
*Oct  3 09:05:00.000: %CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2003, sequence number=5
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "203.0.113.1"),
        Some(Code::ReplayReordering),
        "{:#?}",
        r.tunnels
    );
    assert_eq!(status(&r, "198.51.100.7"), Some(Code::TunnelUp));
}

#[test]
fn a_crypto_peer_missing_from_the_routing_table_is_route_missing() {
    // IOS 12.4 console: classful table (lines without a length under an
    // `is subnetted` header), no default route, no route to the peer.
    let log = "\
branch#show running-config | include peer
 set peer 198.51.100.20
branch#show ip route
Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP
Gateway of last resort is not set

     172.16.0.0/24 is subnetted, 2 subnets
C       172.16.5.0 is directly connected, Serial0/0
C       172.16.9.0 is directly connected, FastEthernet0/1
C    192.168.1.0/24 is directly connected, FastEthernet0/0
branch#
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "198.51.100.20"),
        Some(Code::RouteMissing),
        "{:#?}",
        r.findings
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::RouteMissing)
        .unwrap();
    assert!(f.fixes[0].commands[0].starts_with("ip route 198.51.100.20 255.255.255.255"));
}

#[test]
fn a_routed_or_defaulted_peer_is_not_route_missing() {
    // ASA `show route` with a default route, and an IOS table whose
    // specific route covers the peer.
    let asa = "\
fw1# show run crypto map | include peer
crypto map outside_map 10 set peer 198.51.100.20
fw1# show route
Gateway of last resort is 203.0.113.1 to network 0.0.0.0

S*   0.0.0.0 0.0.0.0 [1/0] via 203.0.113.1, outside
C    10.1.1.0 255.255.255.0 is directly connected, inside
";
    let ios = "\
R1#show crypto map | include Peer
        Peer = 198.51.100.20
R1#show ip route
Gateway of last resort is not set

      198.51.100.0/24 is variably subnetted, 1 subnets, 1 masks
S        198.51.100.0/24 [1/0] via 15.1.1.5
C        15.1.1.0/24 is directly connected, GigabitEthernet0/1
";
    // Without prompts the table and the peer may belong to two devices.
    let unnamed = "\
 set peer 198.51.100.20
Gateway of last resort is not set
C        15.1.1.0/24 is directly connected, GigabitEthernet0/1
";
    for log in [asa, ios, unnamed] {
        let r = diagnose_text("t", log);
        assert!(
            r.findings.iter().all(|f| f.code != Code::RouteMissing),
            "{:#?}",
            r.findings
        );
    }
}

/// Every fix command of every finding.
fn commands(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .flat_map(|f| f.fixes.iter().flat_map(|x| x.commands.clone()))
        .collect()
}

#[test]
fn an_ikev2_policy_failure_is_one_asa_tunnel_with_ikev2_fixes() {
    let log = "\
Dec 07 10:00:01 vpn-gw: IKEv2-PROTO-1: (22): Received Policies:
Dec 07 10:00:01 vpn-gw: IKEv2-PROTO-1: (22): Failed to find a matching policy
%ASA-4-750003: Local:198.51.100.1:500 Remote:203.0.113.9:500 Username:203.0.113.9 IKEv2 Negotiation aborted due to ERROR: Failed to find a matching policy
";
    let r = diagnose_text("t", log);
    assert_eq!(r.tunnels.len(), 1, "{:#?}", r.tunnels);
    let t = &r.tunnels[0];
    assert_eq!(t.peer.as_deref(), Some("203.0.113.9"));
    assert_eq!(t.device.as_deref(), Some("vpn-gw"));
    assert_eq!(t.platform.as_deref(), Some("asa"));
    assert_eq!(t.status, Code::Phase1PolicyMismatch);
    let cmds = commands(&r);
    assert!(
        cmds.iter().any(|c| c == "crypto ikev2 policy 10"),
        "{cmds:?}"
    );
    assert!(cmds.iter().any(|c| c.contains("prf")), "{cmds:?}");
    assert!(
        !cmds
            .iter()
            .any(|c| c.contains("isakmp") || c.contains("ikev1")),
        "{cmds:?}"
    );
}

#[test]
fn ikev2_session_ids_keep_two_interleaved_negotiations_apart() {
    let log = "\
IKEv2:(SESSION ID = 1,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
IKEv2:(SESSION ID = 2,SA ID = 2):Sending Packet [To 192.0.2.77:500/From 198.51.100.1:500/VRF i0:f0]
IKEv2:(SESSION ID = 2,SA ID = 2):Session with IKE ID PAIR (192.0.2.77, 198.51.100.1) is UP
IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):: Auth exchange failed
";
    let r = diagnose_text("t", log);
    assert_eq!(r.tunnels.len(), 2, "{:#?}", r.tunnels);
    assert_eq!(status(&r, "203.0.113.9"), Some(Code::PskMismatch));
    assert_eq!(status(&r, "192.0.2.77"), Some(Code::TunnelUp));
    let cmds = commands(&r);
    // IOS-XE IKEv2 keys live in a keyring, one per direction.
    assert!(
        cmds.iter().any(|c| c.contains("pre-shared-key local")),
        "{cmds:?}"
    );
    assert!(
        cmds.iter().any(|c| c.contains("pre-shared-key remote")),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.contains("crypto isakmp")),
        "{cmds:?}"
    );
}

#[test]
fn a_reasonless_ikev2_error_keeps_the_next_error_as_evidence() {
    // IOS-XE prints a bare `IKEv2-ERROR:(…):` with nothing after it; the
    // error that follows is its own line, and the evidence names it.
    let log = "\
IKEv2:(SESSION ID = 1,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):
IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):: Auth exchange failed
IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):
IKEv2:(SESSION ID = 1,SA ID = 1):Deleting SA
";
    let r = diagnose_text("t", log);
    assert_eq!(status(&r, "203.0.113.9"), Some(Code::PskMismatch));
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::PskMismatch)
        .expect("a psk-mismatch finding");
    let auth: Vec<(u64, &str)> = f
        .evidence
        .iter()
        .filter(|e| e.text.contains("Auth exchange failed"))
        .map(|e| (e.line, e.text.as_str()))
        .collect();
    assert_eq!(
        auth,
        [(
            3,
            "IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):: Auth exchange failed"
        )]
    );
    assert_eq!(r.inputs[0].lines, 5);
}

#[test]
fn ikev2_no_proposal_chosen_in_ike_auth_is_the_child_sa_proposal() {
    let log = "\
IKEv2:(SESSION ID = 4,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
IKEv2 IKE_SA_INIT Exchange REQUEST
IKEv2:(SESSION ID = 4,SA ID = 1):Received Packet [From 203.0.113.9:500/To 198.51.100.1:500/VRF i0:f0]
IKEv2 IKE_SA_INIT Exchange RESPONSE
IKEv2:(SESSION ID = 4,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
IKEv2 IKE_AUTH Exchange REQUEST
IKEv2:(SESSION ID = 4,SA ID = 1):Received Packet [From 203.0.113.9:500/To 198.51.100.1:500/VRF i0:f0]
IKEv2 IKE_AUTH Exchange RESPONSE
Payload contents:
 VID IDr AUTH NOTIFY(NO_PROPOSAL_CHOSEN)
";
    let r = diagnose_text("t", log);
    assert_eq!(status(&r, "203.0.113.9"), Some(Code::TransformSetMismatch));
    let cmds = commands(&r);
    assert!(
        cmds.iter().any(|c| c.contains("set ikev2-profile")),
        "{cmds:?}"
    );
    assert!(
        cmds.iter()
            .any(|c| c.starts_with("crypto ipsec transform-set")),
        "{cmds:?}"
    );
    assert_eq!(r.tunnels[0].reached.as_deref(), Some("IKE_AUTH resp"));
}

#[test]
fn an_asa_ikev2_peer_id_failure_asks_for_peer_id_validate() {
    let log = "\
%ASA-6-750002: Local:198.51.100.1:500 Remote:203.0.113.9:500 Username:Unknown Received a IKE_INIT_SA request
IKEv2-PLAT-1: (31): Peer ID check failed
";
    let r = diagnose_text("t", log);
    assert_eq!(r.tunnels.len(), 1, "{:#?}", r.tunnels);
    assert_eq!(status(&r, "203.0.113.9"), Some(Code::PeerAddressMismatch));
    let cmds = commands(&r);
    assert!(
        cmds.iter().any(|c| c.contains("peer-id-validate")),
        "{cmds:?}"
    );
}

#[test]
fn ikev2_auth_unanswered_after_sa_init_points_at_nat_t_and_fragments() {
    let init = "\
IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
Initiator SPI : 1A2B3C4D5E6F7081 - Responder SPI : 0000000000000000 Message id: 0
IKEv2 IKE_SA_INIT Exchange REQUEST
IKEv2:(SESSION ID = 31,SA ID = 1):Received Packet [From 203.0.113.9:500/To 198.51.100.1:500/VRF i0:f0]
Initiator SPI : 1A2B3C4D5E6F7081 - Responder SPI : 99AABBCCDDEEFF00 Message id: 0
IKEv2 IKE_SA_INIT Exchange RESPONSE
IKEv2:(SESSION ID = 31,SA ID = 1):Sending Packet [To 203.0.113.9:4500/From 198.51.100.1:4500/VRF i0:f0]
Initiator SPI : 1A2B3C4D5E6F7081 - Responder SPI : 99AABBCCDDEEFF00 Message id: 1
IKEv2 IKE_AUTH Exchange REQUEST
";
    let give_up = "\
IKEv2:(SESSION ID = 31,SA ID = 1):Retransmitting packet
IKEv2:(SESSION ID = 31,SA ID = 1):Retransmitting packet
IKEv2:(SESSION ID = 31,SA ID = 1):Maximum number of retransmissions reached
";
    let r = diagnose_text("t", &format!("{init}{give_up}"));
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::PeerUnreachable)
        .unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert!(
        f.explanation.contains("IKE_AUTH got no answer"),
        "{}",
        f.explanation
    );
    let cmds: Vec<&str> = f
        .fixes
        .iter()
        .flat_map(|x| x.commands.iter().map(String::as_str))
        .collect();
    assert!(
        cmds.contains(&"crypto ikev2 fragmentation mtu 1360"),
        "{cmds:?}"
    );
    assert!(
        cmds.iter().any(|c| c.contains("eq non500-isakmp")),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.contains("crypto isakmp")),
        "{cmds:?}"
    );

    // No answer to IKE_SA_INIT at all: the peer is not reached on UDP 500.
    let lone = "\
IKEv2:(SESSION ID = 32,SA ID = 1):Sending Packet [To 203.0.113.9:500/From 198.51.100.1:500/VRF i0:f0]
Initiator SPI : 1A2B3C4D5E6F7082 - Responder SPI : 0000000000000000 Message id: 0
IKEv2 IKE_SA_INIT Exchange REQUEST
";
    let r = diagnose_text("t", &format!("{lone}{}", give_up.replace("= 31", "= 32")));
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::PeerUnreachable)
        .unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert!(
        !f.explanation.contains("IKE_AUTH got no answer"),
        "{}",
        f.explanation
    );
    assert!(
        f.explanation.contains("IKE_SA_INIT request"),
        "{}",
        f.explanation
    );
}

#[test]
fn rsa_signature_phase1_failure_is_a_certificate_problem_not_a_key_mismatch() {
    // IKEv1 with RSA signatures: the peer refuses our MM5 with a notify
    // that, under pre-shared keys, would mean a key mismatch.
    let log = "\
*Apr  9 07:41:10.220: ISAKMP:(1006):SA is doing RSA signature authentication using id type ID_FQDN
*Apr  9 07:41:10.221: ISAKMP:(1006): sending packet to 203.0.113.52 my_port 500 peer_port 500 (I) MM_KEY_EXCH
*Apr  9 07:41:10.260: ISAKMP (1006): received packet from 203.0.113.52 dport 500 sport 500 Global (I) MM_KEY_EXCH
*Apr  9 07:41:10.260: ISAKMP:(1006): processing NOTIFY INVALID_HASH_INFO protocol 1
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "203.0.113.52"),
        Some(Code::CertificateInvalid),
        "{:#?}",
        r.findings
    );
    assert!(
        !r.findings.iter().any(|f| f.code == Code::PskMismatch),
        "{:#?}",
        r.findings
    );
}

#[test]
fn pre_shared_key_phase1_failure_stays_a_key_mismatch() {
    let log = "\
*Apr  9 07:41:10.220: ISAKMP:(1006):SA is doing pre-shared key authentication using id type ID_IPV4_ADDR
*Apr  9 07:41:10.221: ISAKMP:(1006): sending packet to 203.0.113.52 my_port 500 peer_port 500 (I) MM_KEY_EXCH
*Apr  9 07:41:10.260: ISAKMP (1006): received packet from 203.0.113.52 dport 500 sport 500 Global (I) MM_KEY_EXCH
*Apr  9 07:41:10.260: ISAKMP:(1006): processing NOTIFY INVALID_HASH_INFO protocol 1
";
    let r = diagnose_text("t", log);
    assert_eq!(status(&r, "203.0.113.52"), Some(Code::PskMismatch));
}

#[test]
fn generic_ikev2_auth_failures_after_a_named_cause_are_its_consequence() {
    // ASA initiator: the peer's identity does not check out against its
    // certificate; the state machine then logs the generic IKE_AUTH
    // failures, which name no cause of their own.
    let log = "\
Feb 11 2022 06:40:01: %ASA-5-750001: Local:192.0.2.33:500 Remote:198.51.100.250:500 Username:198.51.100.250 Received request to establish an IPsec tunnel
IKEv2-PLAT-3: Peer ID check started, received ID type: Distinguished Name
IKEv2-PLAT-1: Peer ID check failed
IKEv2-PROTO-1: (88): Failed to locate an item in the database
IKEv2-PROTO-3: (88): Verify auth failed
IKEv2-PROTO-1: (88): Auth exchange failed
";
    let r = diagnose_text("t", log);
    let errors: Vec<Code> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect();
    assert_eq!(errors, vec![Code::PeerAddressMismatch], "{:#?}", r.findings);
    // The generic lines stay as evidence of the named cause.
    assert!(r.findings[0].evidence.len() >= 3, "{:#?}", r.findings[0]);
}

#[test]
fn generic_ikev2_auth_failure_alone_is_still_a_key_mismatch() {
    let log = "\
Feb 11 2022 06:40:01: %ASA-5-750001: Local:192.0.2.33:500 Remote:198.51.100.250:500 Username:198.51.100.250 Received request to establish an IPsec tunnel
IKEv2-PROTO-3: (88): Verify auth failed
IKEv2-PROTO-1: (88): Auth exchange failed
";
    let r = diagnose_text("t", log);
    assert_eq!(
        first_error(&r),
        Some(Code::PskMismatch),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_debug_pasted_as_a_markdown_quoted_list_keeps_its_timestamps_and_accounting() {
    let log = "\
> - Jul  4 10:00:01.100: ISAKMP (0:7): beginning Main Mode exchange
> - Jul  4 10:00:01.100: ISAKMP (0:7): sending packet to 192.0.2.200 my_port 500 peer_port 500 (I) MM_NO_STATE
> 
> - Jul  4 10:00:01.180: ISAKMP (0:7): received packet from 192.0.2.200 dport 500 sport 500 Global (I) MM_NO_STATE
>
> - Jul  4 10:00:01.400: ISAKMP (0:7): SA has been authenticated with 192.0.2.200
> - Jul  4 10:00:01.600: IPSEC(create_sa): sa created, (sa) sa_dest= 192.0.2.200, sa_prot= 50
";
    let r = diagnose_text("t", log);
    let t = r
        .tunnels
        .iter()
        .find(|t| t.peer.as_deref() == Some("192.0.2.200"))
        .expect("the tunnel to 192.0.2.200");
    assert_eq!(
        t.ladder.first().and_then(|s| s.time.as_deref()),
        Some("Jul  4 10:00:01.100"),
        "{:#?}",
        t.ladder
    );
    let input = &r.inputs[0];
    assert_eq!(
        (input.used, input.ignored, input.skipped),
        (5, 2, 0),
        "{input:#?}"
    );
}

#[test]
fn asa_names_its_role_in_words_in_the_quick_mode_summary() {
    // ASA 9.x syslog of a tunnel the peer started: only 713049 says which
    // end this ASA was.
    let log = "\
Mar 02 2023 07:15:09 edge-asa : %ASA-5-713119: Group = 198.51.100.160, IP = 198.51.100.160, PHASE 1 COMPLETED
Mar 02 2023 07:15:09 edge-asa : %ASA-5-713049: Group = 198.51.100.160, IP = 198.51.100.160, Security negotiation complete for LAN-to-LAN Group (198.51.100.160)  Responder, Inbound SPI = 0x5f20a1c3, Outbound SPI = 0x0c9d7e42
Mar 02 2023 07:15:09 edge-asa : %ASA-5-713120: Group = 198.51.100.160, IP = 198.51.100.160, PHASE 2 COMPLETED (msgid=7a1c03d2)
";
    let r = diagnose_text("t", log);
    let t = r
        .tunnels
        .iter()
        .find(|t| t.peer.as_deref() == Some("198.51.100.160"))
        .expect("the tunnel to 198.51.100.160");
    assert_eq!(t.status, Code::TunnelUp);
    assert_eq!(t.role.as_deref(), Some("responder"), "{t:#?}");
}

#[test]
fn a_record_split_by_blank_lines_of_a_web_page_keeps_its_peer() {
    // IOS 12.4 responder, copied from a web page that put a blank line
    // after every physical line: the peer is named only in the wrapped
    // part of the proposal record.
    let log = "\
3d04h: IPSEC(validate_proposal_request): proposal part #1,

  (key eng. msg.) INBOUND local= 192.0.2.61, remote= 203.0.113.19,

    local_proxy= 172.20.0.0/255.255.0.0/0/0 (type=4),

    remote_proxy= 172.21.4.0/255.255.255.0/0/0 (type=4),

3d04h: IPSEC(validate_transform_proposal): proxy identities not supported
";
    let r = diagnose_text("t", log);
    assert_eq!(
        status(&r, "203.0.113.19"),
        Some(Code::ProxyIdMismatch),
        "{:#?}",
        r.tunnels
    );
    assert_eq!(r.inputs[0].skipped, 0, "{:#?}", r.inputs);
}
