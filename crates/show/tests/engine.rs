//! `show crypto engine connection active` in the diagnosis: a tunnel is a
//! pair of connections (inbound decrypts, outbound encrypts).

use ipsec_doctor_show::{diagnose, parse};

fn findings(text: &str) -> Vec<(String, String, Option<String>, usize)> {
    diagnose(&[parse("r1", text)])
        .into_iter()
        .map(|f| {
            (
                f.code.as_str().to_string(),
                f.title,
                f.peer,
                f.evidence.len(),
            )
        })
        .collect()
}

const IOS12: &str = "R1#show crypto engine connections active\n\n  \
    ID Interface            IP-Address      State  Algorithm           Encrypt  Decrypt\n   \
     1 FastEthernet0/0      192.168.12.1    set    HMAC_SHA+AES_CBC          0        0\n\
    2001 FastEthernet0/0      192.168.12.1    set    AES+SHA                   0        0\n\
    2002 FastEthernet0/0      192.168.12.1    set    AES+SHA                 124        0\n\
    2003 FastEthernet0/0      192.168.12.1    set    AES+SHA                   0       50\n\
    2004 FastEthernet0/0      192.168.12.1    set    AES+SHA                  48        0\n";

const IOSXE: &str = "CSR1#show crypto engine connections active\nCrypto Engine Connections\n\n   \
    ID  Type    Algorithm           Encrypt  Decrypt LastSeqN IP-Address\n \
    2001  IPsec   AES256+SHA                0     4800     4840 203.0.113.10\n \
    2002  IPsec   AES256+SHA                0        0        0 203.0.113.10\n \
    1001  IKE     SHA+AES                   0        0        0 203.0.113.10\n";

#[test]
fn encrypts_without_decrypts_is_one_way() {
    let f = findings(IOS12);
    let one_way: Vec<_> = f.iter().filter(|x| x.0 == "one-way-traffic").collect();
    assert_eq!(one_way.len(), 1, "{f:?}");
    assert!(one_way[0].1.contains("2001/2002"), "{f:?}");
    assert!(one_way[0].1.contains("encrypt (124 packets)"));
    assert_eq!(one_way[0].3, 2, "both rows as evidence");
    // 2003/2004 carry traffic both ways; connection 1 is alone (IKE).
    assert!(!f.iter().any(|x| x.1.contains("2003")));
}

#[test]
fn decrypts_without_encrypts_is_local_nat_or_routing() {
    let f = findings(IOSXE);
    let codes: Vec<&str> = f
        .iter()
        .filter(|x| x.1.contains("2001/2002"))
        .map(|x| x.0.as_str())
        .collect();
    assert_eq!(
        codes,
        ["one-way-traffic", "nat-exemption-missing", "route-missing"],
        "{f:?}"
    );
    // The IKE connection is not a tunnel.
    assert!(!f.iter().any(|x| x.1.contains("1001")));
}

#[test]
fn flattened_engine_table_gives_the_same_findings() {
    for text in [IOS12, IOSXE] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let strip = |v: Vec<(String, String, Option<String>, usize)>| -> Vec<(String, String)> {
            v.into_iter().map(|x| (x.0, x.1)).collect()
        };
        assert_eq!(strip(findings(&flat)), strip(findings(text)));
    }
}

#[test]
fn ipsec_sa_conn_ids_name_the_peer_and_avoid_double_counting() {
    // `show crypto ipsec sa | include …` left no counters: the engine rows
    // of its conn ids stand in, and the block names the peer.
    let partial = "R1#show crypto ipsec sa | include peer|conn id|spi|bound\n\
        interface: FastEthernet0/0\n   \
        current_peer 192.0.2.2 port 500\n     \
        inbound esp sas:\n      spi: 0x1A2B3C4D(439041101)\n        \
        conn id: 2001, flow_id: SW:1, sibling_flags 80000046, crypto map: MAP\n     \
        outbound esp sas:\n      spi: 0x5E6F7081(1584361601)\n        \
        conn id: 2002, flow_id: SW:2, sibling_flags 80000046, crypto map: MAP\n";
    let text = format!("{partial}{IOS12}");
    let f = findings(&text);
    let one_way: Vec<_> = f.iter().filter(|x| x.0 == "one-way-traffic").collect();
    assert_eq!(one_way.len(), 1, "{f:?}");
    assert_eq!(one_way[0].2.as_deref(), Some("192.0.2.2"));
    // With the block's own counters, they are diagnosed once (from the
    // counters), not again from the engine rows.
    let full = partial.replace(
        "     inbound esp sas:",
        "    #pkts encaps: 124, #pkts encrypt: 124, #pkts digest: 124\n    \
         #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0\n     inbound esp sas:",
    );
    let f = findings(&format!("{full}{IOS12}"));
    let one_way: Vec<_> = f.iter().filter(|x| x.0 == "one-way-traffic").collect();
    assert_eq!(one_way.len(), 1, "{f:?}");
    assert!(one_way[0].1.starts_with("Traffic to 192.0.2.2"), "{f:?}");
}
