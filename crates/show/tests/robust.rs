//! Robustness: empty and "no SAs" output, unknown lines, text flattened
//! onto one line, sniffing, and arbitrary bytes (proptest).

use ipsec_doctor_show::{diagnose, looks_like_show, parse};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn empty_or_no_sa_output_is_an_empty_result() {
    for text in [
        "",
        "\n\n   \n",
        "R1#show crypto isakmp sa\nIPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n\nIPv6 Crypto ISAKMP SA\n\nR1#",
        "asa# show crypto isakmp sa\n\nThere are no IKEv1 SAs\n\nThere are no IKEv2 SAs\nasa#",
        "asa# show crypto ipsec sa\n\nThere are no ipsec sas\nasa#",
        "pix# show crypto isakmp sa\nTotal     : 0\nEmbryonic : 0\n        dst               src        state     pending     created\n",
        "R1#show crypto engine connections active\nCrypto Engine Connections\n\n   ID  Type    Algorithm           Encrypt  Decrypt LastSeqN IP-Address\n",
        "R1#show crypto session\nCrypto session current status\n\nR1#",
    ] {
        let out = parse("x", text);
        assert!(out.isakmp_sas.is_empty() && out.ipsec.is_empty() && out.engine_connections.is_empty(), "{text:?}");
        assert!(out.sessions.is_empty() && out.vpn_sessions.is_empty(), "{text:?}");
        assert_eq!(out.skipped, 0, "{text:?}");
        assert!(diagnose(&[out]).is_empty(), "{text:?}");
    }
}

#[test]
fn unknown_lines_are_skipped_and_counted() {
    let text = "R1#show crypto ipsec sa\n\
                interface: Gi1\n    Crypto map tag: M, local addr 192.0.2.1\n\
                some line a future IOS prints\n\
                   local  ident (addr/mask/prot/port): (10.1.0.0/255.255.0.0/0/0)\n\
                %SYS-5-CONFIG_I: Configured from console\n\
                   remote ident (addr/mask/prot/port): (10.2.0.0/255.255.0.0/0/0)\n\
                    #pkts encaps: 10, #pkts encrypt: 10, #pkts digest: 10, #pkts brand new: 4\n";
    let out = parse("x", text);
    assert_eq!(out.lines, 8);
    assert_eq!(out.skipped, 2);
    let b = &out.ipsec[0];
    assert_eq!(b.remote_ident.as_ref().unwrap().addr, "10.2.0.0");
    assert_eq!(b.counters.encaps, Some(10));
    // An unknown counter is kept, not dropped.
    assert_eq!(b.counters.other[0].label, "pkts brand new");
    assert_eq!(b.counters.other[0].value, 4);
}

/// The records of an output as JSON, without line numbers.
fn records(text: &str) -> Value {
    let out = parse("x", text);
    let mut v = serde_json::json!({
        "isakmp_sas": out.isakmp_sas,
        "isakmp_summaries": out.isakmp_summaries,
        "ikev2_sas": out.ikev2_sas,
        "ipsec": out.ipsec,
        "engine_connections": out.engine_connections,
        "sessions": out.sessions,
        "vpn_sessions": out.vpn_sessions,
        "vpn_summaries": out.vpn_summaries,
        "pings": out.pings,
    });
    strip_lines(&mut v);
    v
}

fn strip_lines(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("line");
            m.remove("frag_line");
            m.remove("result_line");
            // Read from indentation (VPN summary rows), which flattening
            // removes.
            m.remove("parent");
            m.values_mut().for_each(strip_lines);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_lines),
        // Flattening collapses runs of spaces inside values too.
        Value::String(x) => *x = flatten(x),
        _ => {}
    }
}

fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn flattened_text_parses_like_the_original() {
    let dir = env!("CARGO_MANIFEST_DIR");
    for name in [
        "variants/iosxe-17.txt",
        "variants/asa-8.2.txt",
        "variants/pix-6.3.txt",
        "ntc/tests/cisco_ios/show_crypto_ipsec_sa_detail/cisco_ios_show_crypto_ipsec_sa_detail_2.raw",
        "ntc/tests/cisco_asa/show_crypto_ipsec_sa/cisco_asa_show_crypto_ipsec_sa.raw",
        "ntc/tests/cisco_ios/show_crypto_session_detail/cisco_ios_show_crypto_session_detail.raw",
        "variants/ios-12.4.txt",
        "variants/asa-9.x.txt",
        "ikev2/asa-9.x-ikev2.txt",
        "ikev2/iosxe-sa-detailed.txt",
        "ntc/tests/cisco_asa/show_vpn-sessiondb/cisco_asa_show_vpn-sessiondb.raw",
        "ntc/tests/cisco_asa/show_vpn-sessiondb/cisco_asa_show_vpn-sessiondb2.raw",
        "ntc/tests/cisco_asa/show_vpn-sessiondb_detail_l2l/cisco_asa_show_vpn-sessiondb_detail_l2l.raw",
        "ntc/tests/cisco_asa/show_vpn-sessiondb_detail_l2l/cisco_asa_show_vpn-sessiondb_detail_l2l2.raw",
        "ntc/tests/cisco_asa/show_vpn-sessiondb_detail_l2l/cisco_asa_show_vpn-sessiondb_detail_l2l4.raw",
        "ntc/tests/cisco_asa/show_vpn-sessiondb_detail_l2l/cisco_asa_show_vpn-sessiondb_detail_l2l_obj.raw",
    ] {
        let mut text = std::fs::read_to_string(format!("{dir}/tests/data/{name}")).unwrap();
        // Raw ntc outputs have no prompt: say which command they are (as a
        // ticket would), so that the flattened line is recognised.
        if name.contains("show_vpn-sessiondb_detail") {
            text = format!("asa# show vpn-sessiondb detail l2l\n{text}");
        } else if name.contains("show_vpn-sessiondb") {
            text = format!("asa# show vpn-sessiondb\n{text}");
        }
        let flat = flatten(&text);
        assert_eq!(parse("x", &flat).lines, 1);
        assert_eq!(records(&flat), records(&text), "{name}");
        assert!(records(&text).as_object().unwrap().values().any(|v| v.as_array().is_some_and(|a| !a.is_empty())), "{name}");
    }
}

#[test]
fn sniffing() {
    assert!(looks_like_show("R1#show crypto ipsec sa\n"));
    assert!(looks_like_show(
        "interface: outside\n    Crypto map tag: m, seq num: 1, local addr: 1.1.1.1\n"
    ));
    assert!(looks_like_show("Session Type: LAN-to-LAN Detailed\n"));
    assert!(looks_like_show(
        "dst src state conn-id slot 10.1.0.2 10.1.0.1 QM_IDLE 1 0"
    ));
    assert!(!looks_like_show(
        "hostname R1\ninterface Gi1\n ip address 10.0.0.1 255.255.255.0\n"
    ));
    assert!(!looks_like_show(
        "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=5"
    ));
    assert!(!looks_like_show(""));
    // ASA 113019 names the session type: syslog, not show output.
    assert!(!looks_like_show(
        "Sep 22 11:02:34 fw-1 %ASA-4-113019: Group = 203.0.113.5, Username = 203.0.113.5, IP = 203.0.113.5, Session disconnected. Session Type: LAN-to-LAN, Duration: 0h:00m:00s\n"
    ));
    // The same words in show output after such a line still count.
    assert!(looks_like_show(
        "Sep 22 11:02:34 fw-1 %ASA-4-113019: Session disconnected. Session Type: LAN-to-LAN, Duration: 0h\nfw-1# show vpn-sessiondb detail l2l\nSession Type: LAN-to-LAN Detailed\n"
    ));
}

/// Words and lines of real output, to build plausible-looking garbage.
const FRAGMENTS: &[&str] = &[
    "interface:",
    "Crypto map tag:",
    "local ident (addr/mask/prot/port):",
    "(10.1.0.0/255.255.255.0/0/0)",
    "remote ident",
    "current_peer",
    "#pkts encaps:",
    "#pkts decaps:",
    "#send errors",
    "spi:",
    "0x3D3(979)",
    "transform:",
    "esp-3des",
    "inbound esp sas:",
    "outbound ah sas:",
    "sa timing:",
    "(k/sec):",
    "(4608000/52)",
    "dst src state",
    "conn-id",
    "slot",
    "status",
    "QM_IDLE",
    "MM_WAIT_MSG4",
    "10.1.0.2",
    "1",
    "0",
    ":",
    "(",
    ")",
    ",",
    "IKE Peer:",
    "Type",
    "State",
    "Total",
    "Embryonic",
    "C-id",
    "Local",
    "Remote",
    "23:59:48",
    "Connection",
    "IPsec:",
    "Tunnel ID",
    "Rekey Int (T):",
    "Pkts Tx",
    "Session Type:",
    "Interface:",
    "Peer:",
    "IKEv1 SA:",
    "IPSEC FLOW:",
    "Inbound:",
    "R1#show crypto ipsec sa",
    "show vpn-sessiondb",
    "ping",
    "Sending 5, 1550-byte ICMP Echos to",
    "frag. needed and DF set",
    "Success rate is",
    "percent",
    "(0/5)",
    "ID Interface IP-Address State Algorithm Encrypt Decrypt",
    "VPN Session Summary",
    "Totals",
    "\n",
    "\n",
    "18446744073709551616",
    "-",
    "==",
    "ünïcödé",
    "\t",
    "peer address:",
    "Anti replay bitmap:",
    "0xFFFFFFFF",
    // Policy outputs and the session brief table.
    "R1#show crypto map",
    "R2#show crypto isakmp policy",
    "R1#show crypto ipsec transform-set",
    "R1#show crypto session brief",
    "Crypto Map IPv4 \"VPN\" 10 ipsec-isakmp",
    "Crypto Map: \"VPN\" idb: Gi0/0 local address: 10.1.0.1",
    "Peer = 10.1.0.2",
    "Extended IP access list 101",
    "access-list 101 permit ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255",
    "access-list 101 permit tcp host 10.1.0.5 eq 443 any",
    "No matching address list set.",
    "PFS (Y/N): Y",
    "DH group:  group14",
    "Transform sets={",
    "TS:  { esp-aes 256 esp-sha-hmac  } ,",
    "}",
    "{",
    "Interfaces using crypto map VPN:",
    "WARNING: This crypto map is in an incomplete state!",
    "Protection suite of priority 10",
    "Default protection suite",
    "encryption algorithm:   AES - Advanced Encryption Standard (256 bit keys).",
    "hash algorithm:         Secure Hash Standard",
    "authentication method:  Pre-Shared Key",
    "Diffie-Hellman group:   #14 (2048 bit)",
    "lifetime:               86400 seconds, no volume limit",
    "Transform set TS: { esp-3des esp-md5-hmac  }",
    "will negotiate = { Tunnel,  },",
    "Peer            I/F          Username        Group/Phase1_id          Uptime   Status",
    "ivrf = (none)",
    "UA",
    "DN",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let out = parse("fuzz", &text);
        prop_assert!(out.skipped <= out.lines);
        let _ = diagnose(&[out.clone(), out]);
        let _ = looks_like_show(&text);
    }

    #[test]
    fn output_shaped_garbage_never_panics(idx in proptest::collection::vec(0..FRAGMENTS.len(), 0..400)) {
        let mut text = String::new();
        for (k, i) in idx.iter().enumerate() {
            text.push_str(FRAGMENTS[*i]);
            text.push(if k % 7 == 0 { '\n' } else { ' ' });
        }
        let out = parse("fuzz", &text);
        let flat = parse("fuzz", &flatten(&text));
        let _ = diagnose(&[out, flat]);
    }
}
