//! Batfish's IPsec test networks (`tests/data/batfish`, see its README):
//! what ipsec-doctor reads from them and the status of each tunnel, held
//! against what Batfish's own tests state (and, where Batfish is coarser,
//! against Cisco's rules).

use assert_cmd::Command;
use ipsec_doctor_model::config::{DeviceConfig, IkeAuth, IkeEncryption, IkeHash};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/batfish")
        .join(sub)
}

fn text(sub: &str) -> String {
    std::fs::read_to_string(dir(sub)).unwrap()
}

fn cfg(sub: &str) -> DeviceConfig {
    ipsec_doctor_config::parse(sub, &text(sub))
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// Fleet rows of a network as (device, peer address, status).
fn fleet_rows(net: &str) -> Vec<(String, String, String)> {
    let configs: Vec<DeviceConfig> = ["r1", "r2", "r3"]
        .iter()
        .map(|r| cfg(&format!("{net}/{r}")))
        .collect();
    let f = ipsec_doctor_sim::fleet(&configs, Vec::new());
    let mut v: Vec<_> = f
        .tunnels
        .iter()
        .map(|r| (r.device.clone(), r.peer_address.clone(), r.status.clone()))
        .collect();
    v.sort();
    v
}

fn row(d: &str, p: &str, s: &str) -> (String, String, String) {
    (d.to_string(), p.to_string(), s.to_string())
}

#[test]
fn every_batfish_file_is_read_as_an_ios_configuration_with_nothing_skipped() {
    for f in [
        "ios-crypto-ipsec/r1",
        "ios-crypto-ipsec/r2",
        "ios-crypto-ipsec/r3",
        "ipsec-vpn-ios/r1",
        "ipsec-vpn-ios/r2",
        "ipsec-vpn-ios/r3",
        "testconfigs/ios-crypto",
        "testconfigs/ios-crypto-map",
        "testconfigs/ios-crypto-transform-set",
        "testconfigs/ios-crypto-ipsec-profile",
        "testconfigs/ios-crypto-map-pfs-dh-group",
        "testconfigs/crypto-vrf",
        "hybrid-cloud-aws/lhr-border-02.cfg",
    ] {
        let t = text(f);
        // Object names such as ISAKMP-PROFILE must not make the text look
        // like debug output.
        assert_eq!(
            ipsec_doctor_config::detect(&t),
            Some(ipsec_doctor_model::config::Platform::Ios),
            "{f}"
        );
        let c = cfg(f);
        // The hybrid-cloud border router also holds BGP, OSPF, lines…
        if !f.starts_with("hybrid") {
            assert_eq!(c.skipped, 0, "{f}");
        }
    }
}

#[test]
fn ipsec_vpn_ios_two_tunnels_up_r1_r3_key_mismatch() {
    // Batfish: 6 peer ends, each with a remote end; r1-r3 fails on the key
    // (IKE_PHASE1_KEY_MISMATCH), 4 tunnel interfaces up.
    let r1 = cfg("ipsec-vpn-ios/r1");
    assert_eq!(r1.vtis.len(), 2);
    // Each keyring is bound to the address its tunnel negotiates from.
    assert_eq!(
        r1.keyring_local_address
            .get("keyring13")
            .map(String::as_str),
        Some("10.13.0.1")
    );
    assert_eq!(r1.keys.len(), 2);
    assert!(r1
        .keys
        .iter()
        .all(|k| !k.origin.text.contains("keyring1") && k.origin.text.contains("<redacted>")));
    assert_eq!(
        fleet_rows("ipsec-vpn-ios"),
        vec![
            row("r1", "10.12.0.2", "tunnel-up"),
            row("r1", "10.13.0.3", "psk-mismatch"),
            row("r2", "10.23.0.3", "tunnel-up"),
        ]
    );
}

#[test]
fn ios_crypto_ipsec_statuses() {
    // Batfish: r1 -> r2 established (it does not compare crypto ACLs); the
    // other entries have no end (MISSING_END_POINT). Both ACLs permit
    // 1.1.1.1 -> 2.2.2.2, so neither end's ACL mirrors the other's
    // proposal: IOS answers "proxy identities not supported".
    let rows = fleet_rows("ios-crypto-ipsec");
    assert!(
        rows.contains(&row("r1", "2.3.4.8", "proxy-id-mismatch")),
        "{rows:?}"
    );
    for peer in ["2.3.4.11", "3.4.5.6"] {
        assert!(
            rows.iter()
                .any(|(_, p, s)| p == peer && s == "peer-config-missing"),
            "{rows:?}"
        );
    }
    // r1 offers ts1 then ts2, r2 accepts ts2: phase 2 transforms agree.
    let r1 = cfg("ios-crypto-ipsec/r1");
    let e = r1
        .crypto_maps
        .iter()
        .find(|e| e.map == "mymap" && e.seq == 20)
        .unwrap();
    assert_eq!(e.transform_sets, ["ts1", "ts2"]);
    assert_eq!(e.pfs, Some(2));
    assert_eq!(e.peers, [ip("2.3.4.8")]);
    // r2's tunnel interface is read as its own entry toward 2.3.4.11.
    let r2 = cfg("ios-crypto-ipsec/r2");
    let [v] = r2.vtis.as_slice() else {
        panic!("{:?}", r2.vtis)
    };
    assert_eq!(
        (v.tunnel.as_str(), v.profile.as_str()),
        ("Tunnel23", "ipsec-profile")
    );
}

#[test]
fn ios_crypto_policies_keyrings_and_the_ios_default_attributes() {
    let c = cfg("testconfigs/ios-crypto");
    let p10 = c.ike_policies.iter().find(|p| p.priority == 10).unwrap();
    assert_eq!(
        (p10.encryption, p10.hash, p10.auth, p10.group, p10.lifetime),
        (
            IkeEncryption::Aes128,
            IkeHash::Md5,
            IkeAuth::RsaSig,
            1,
            14400
        )
    );
    // An empty policy takes IOS's defaults (DES, SHA-1, RSA signatures,
    // group 1, 86400 s). Batfish's test expects ASA's (3DES, pre-share,
    // group 2) there; IOS documents these.
    let p20 = c.ike_policies.iter().find(|p| p.priority == 20).unwrap();
    assert_eq!(
        (p20.encryption, p20.hash, p20.auth, p20.group, p20.lifetime),
        (IkeEncryption::Des, IkeHash::Sha1, IkeAuth::RsaSig, 1, 86400)
    );
    let rings: Vec<_> = c.keys.iter().map(|k| k.container.as_deref()).collect();
    assert_eq!(
        rings,
        [
            Some("ISAKMP-KEYRING-ADDRESS"),
            Some("ISAKMP-KEYRING-INTERFACE")
        ]
    );
}

#[test]
fn ios_crypto_map_entries_dynamic_map_and_tunnel_protection() {
    let c = cfg("testconfigs/ios-crypto-map");
    let get = |m: &str, s: u32| {
        c.crypto_maps
            .iter()
            .chain(c.dynamic_maps.iter())
            .find(|e| e.map == m && e.seq == s)
            .unwrap_or_else(|| panic!("{m} {s}"))
    };
    // Batfish: mymap:10 → ts1, PFS group 14; mymap:30:5 → ts1; mymap:30:15 → ts2.
    assert_eq!(get("mymap", 10).transform_sets, ["ts1"]);
    assert_eq!(get("mymap", 10).pfs, Some(14));
    assert_eq!(
        get("mymap", 30).dynamic_ref.as_deref(),
        Some("mydynamicmap")
    );
    assert_eq!(get("mydynamicmap", 5).transform_sets, ["ts1"]);
    assert_eq!(get("mydynamicmap", 5).pfs, Some(2));
    assert_eq!(get("mydynamicmap", 15).transform_sets, ["ts2"]);
    // Tunnel1 (source given as an interface) stands for an entry toward
    // 1.2.3.4 with IPSEC-PROFILE1's transform sets and PFS.
    let [v] = c.vtis.as_slice() else {
        panic!("{:?}", c.vtis)
    };
    let e = get(&v.map, v.seq);
    assert_eq!(e.peers, [ip("1.2.3.4")]);
    assert_eq!(e.transform_sets, ["ts1", "ts2"]);
    assert_eq!(e.pfs, Some(14));
}

#[test]
fn transform_sets_and_pfs_groups() {
    let c = cfg("testconfigs/ios-crypto-transform-set");
    assert_eq!(
        c.transform_sets["ts1"].transforms,
        ["esp-aes-256", "esp-md5-hmac"]
    );
    assert_eq!(
        c.transform_sets["ts2"].transforms,
        ["esp-3des", "ah-sha-hmac"]
    );
    // Each `set pfs` replaces the previous one: the last (group5) stays.
    let c = cfg("testconfigs/ios-crypto-map-pfs-dh-group");
    assert_eq!(c.crypto_maps[0].pfs, Some(5));
    for g in [1u8, 2, 5, 14, 15, 16, 19, 20, 21, 24] {
        let t = format!("crypto map M 10 ipsec-isakmp\n set peer 192.0.2.1\n set pfs group{g}\n");
        let c = ipsec_doctor_config::parse("x.cfg", &t);
        assert_eq!(c.crypto_maps[0].pfs, Some(g), "group{g}");
        assert_eq!(c.skipped, 0, "group{g}");
    }
}

#[test]
fn cli_fleet_on_the_batfish_networks() {
    let out = Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .args(["fleet", "--format", "json"])
        .arg(dir("ipsec-vpn-ios"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    for secret in [
        "keyring12password",
        "keyring13password",
        "keyring23password",
    ] {
        assert!(!s.contains(secret), "key leaked");
    }
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["summary"]["tunnel-up"], 2);
    assert_eq!(v["summary"]["psk-mismatch"], 1);
}

#[test]
fn devices_sharing_a_hostname_are_told_apart() {
    // Batfish's ios-crypto-ipsec r3 says `hostname r1`.
    let out = Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .args(["fleet", "--format", "json"])
        .arg(dir("ios-crypto-ipsec"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let devices: Vec<String> = v["tunnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["device"].as_str().unwrap().to_string())
        .collect();
    assert!(
        devices
            .iter()
            .any(|d| d.starts_with("r1 (") && d.ends_with("r1)")),
        "{devices:?}"
    );
    assert!(
        devices
            .iter()
            .any(|d| d.starts_with("r1 (") && d.ends_with("r3)")),
        "{devices:?}"
    );
    assert!(devices.contains(&"r2".to_string()), "{devices:?}");
}

#[test]
fn two_lab_routers_left_with_the_default_hostname() {
    // IOS 12.4 lab pair, both still `hostname Router`; R-B's key differs.
    let a = "hostname Router\ncrypto isakmp policy 10\n encr 3des\n hash md5\n authentication pre-share\n group 2\ncrypto isakmp key LabKeyOne address 10.0.0.2\ncrypto ipsec transform-set T esp-3des esp-md5-hmac\ncrypto map M 10 ipsec-isakmp\n set peer 10.0.0.2\n set transform-set T\n match address 101\ninterface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n crypto map M\naccess-list 101 permit ip 192.168.1.0 0.0.0.255 192.168.2.0 0.0.0.255\n";
    let b = a
        .replace("10.0.0.2", "10.0.0.9")
        .replace("ip address 10.0.0.1", "ip address 10.0.0.2")
        .replace("10.0.0.9", "10.0.0.1")
        .replace("LabKeyOne", "LabKeyTwo")
        .replace(
            "permit ip 192.168.1.0 0.0.0.255 192.168.2.0 0.0.0.255",
            "permit ip 192.168.2.0 0.0.0.255 192.168.1.0 0.0.0.255",
        );
    let d = tempdir();
    std::fs::write(d.join("ra.cfg"), a).unwrap();
    std::fs::write(d.join("rb.cfg"), &b).unwrap();
    let out = Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .args(["simulate", "--format", "json"])
        .arg(d.join("ra.cfg"))
        .arg(d.join("rb.cfg"))
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        !s.contains("LabKeyOne") && !s.contains("LabKeyTwo"),
        "key leaked"
    );
    assert!(s.contains("psk-mismatch"), "{s}");
    assert!(
        s.contains("Router (") && s.contains("ra.cfg)") && s.contains("rb.cfg)"),
        "{s}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "ipsec-doctor-batfish-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|t| t.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn isakmp_profiles_keyring_bindings_and_entries_bound_to_them() {
    // ios-crypto: Batfish maps both profiles (local-address given as an
    // address and as an interface) to local IP 2.3.4.6 with key psk1.
    let c = cfg("testconfigs/ios-crypto");
    let own = ip("2.3.4.6");
    assert!(c.keys.iter().all(|k| c.key_serves(k, own)));
    assert!(c.keys.iter().all(|k| !c.key_serves(k, ip("9.9.9.9"))));
    let names: Vec<_> = c
        .isakmp_profiles
        .iter()
        .map(|p| (p.name.as_str(), p.local_address.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("ISAKMP-PROFILE-ADDRESS", Some("2.3.4.6")),
            ("ISAKMP-PROFILE-INTERFACE", Some("TenGigabitEthernet0/0"))
        ]
    );
    // ios-crypto-map: Batfish's mymap:10 uses IKE gateway ISAKMP-PROFILE;
    // Tunnel1's IPsec profile names it too.
    let c = cfg("testconfigs/ios-crypto-map");
    let (p, _) = c.entry_isakmp_profile("mymap", 10).unwrap();
    assert_eq!(p.name, "ISAKMP-PROFILE");
    assert_eq!(p.keyrings, ["KEYRING"]);
    assert_eq!(p.match_addresses, [(ip("1.2.3.4"), ip("255.255.255.255"))]);
    assert!(c.entry_isakmp_profile("mymap", 20).is_none());
    let [v] = c.vtis.as_slice() else {
        panic!("{:?}", c.vtis)
    };
    assert_eq!(
        c.entry_isakmp_profile(&v.map, v.seq).unwrap().0.name,
        "ISAKMP-PROFILE"
    );
    // crypto-vrf: `match identity address A VRF` (a VRF where the mask
    // goes) is a host.
    let c = cfg("testconfigs/crypto-vrf");
    assert_eq!(
        c.keyring_vrf.get("Keyring-Sales").map(String::as_str),
        Some("Internet")
    );
    let (p, _) = c.entry_isakmp_profile("Sales-VPN", 10).unwrap();
    assert_eq!(p.keyrings, ["Keyring-Sales"]);
    assert_eq!(p.match_addresses.len(), 4);
    assert!(p
        .match_addresses
        .iter()
        .all(|(_, m)| *m == ip("255.255.255.255")));
}

#[test]
fn aws_customer_gateway_vtis_keyrings_and_profiles() {
    let c = cfg("hybrid-cloud-aws/lhr-border-02.cfg");
    let own = ip("172.16.1.2");
    let peers: Vec<_> = c
        .vtis
        .iter()
        .map(|v| {
            let e = c
                .crypto_maps
                .iter()
                .find(|e| e.map == v.map && e.seq == v.seq)
                .unwrap();
            (v.tunnel.as_str(), e.peers.clone(), e.pfs)
        })
        .collect();
    assert_eq!(
        peers,
        [
            ("Tunnel1", vec![ip("52.27.166.152")], Some(2)),
            ("Tunnel2", vec![ip("52.39.121.126")], Some(2))
        ]
    );
    assert_eq!(c.keys.len(), 2);
    assert!(c.keys.iter().all(|k| c.key_serves(k, own)));
    assert_eq!(c.isakmp_profiles.len(), 2);
    // The AWS ends are not Cisco configurations: no end in the fleet.
    let out = Command::cargo_bin("ipsec-doctor")
        .unwrap()
        .args(["diagnose", "--format", "json"])
        .arg(dir("hybrid-cloud-aws/lhr-border-02.cfg"))
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    for secret in ["QMP5tKPP5qk95Y1Eee9c", "tYrysT4iT0", "Ledl3D"] {
        assert!(!s.contains(secret), "secret leaked");
    }
    assert!(s.contains("52.27.166.152") && s.contains("52.39.121.126"));
    // Batfish: MISSING_END_POINT — not a failure: nothing is known of the
    // AWS ends. A warning of low confidence, and exit 0 when nothing else
    // is wrong.
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let missing: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "peer-unreachable")
        .collect();
    assert_eq!(missing.len(), 2, "{s}");
    for f in missing {
        assert_eq!(f["severity"], "warning", "{f}");
        assert!(f["confidence"].as_f64().unwrap() < 0.5, "{f}");
    }
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn r2_pairs_with_the_r1_that_points_back_whatever_the_order() {
    // r1 and r3 both own 2.3.4.6; only r1's entry names r2 (2.3.4.8).
    let configs: Vec<DeviceConfig> = ["r3", "r2", "r1"]
        .iter()
        .map(|r| cfg(&format!("ios-crypto-ipsec/{r}")))
        .collect();
    let r = ipsec_doctor_sim::simulate(&configs);
    let from_r2 = r
        .iter()
        .flat_map(|t| [Some(t.forward.clone()), t.reverse.clone()])
        .flatten()
        .find(|o| o.initiator == 1 && o.peer_addr == ip("2.3.4.6"))
        .unwrap();
    assert_eq!(from_r2.responder, Some(2));
    assert_eq!(from_r2.code, ipsec_doctor_model::Code::ProxyIdMismatch);
}

#[test]
fn ipsec_profiles_are_read_whether_or_not_a_tunnel_uses_them() {
    // Batfish testIpsecProfile: transform sets aes-256/md5 then
    // aes-256/sha1, PFS group 14, ISAKMP profile; no tunnel uses it here.
    let c = cfg("testconfigs/ios-crypto-ipsec-profile");
    let p = &c.ipsec_profiles["IPSEC-PROFILE"];
    assert_eq!(p.transform_sets, ["TRANSFORM-SET1", "TRANSFORM-SET2"]);
    assert_eq!(p.pfs, Some(14));
    assert_eq!(p.isakmp_profile.as_deref(), Some("ISAKMP-PROFILE"));
    assert_eq!(
        c.transform_sets["TRANSFORM-SET2"].transforms,
        ["esp-aes-256", "esp-sha-hmac"]
    );
    assert!(c.vtis.is_empty());
    // ASA 9.x spelling of a VTI's IPsec profile.
    let asa = "ASA Version 9.8(4)\nhostname fw\ncrypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\ncrypto ipsec profile PROF\n set ikev1 transform-set TS\n set pfs group19\n set security-association lifetime seconds 7200\n";
    let c = ipsec_doctor_config::parse("fw.cfg", asa);
    let p = &c.ipsec_profiles["PROF"];
    assert_eq!(
        (p.transform_sets.as_slice(), p.pfs, p.lifetime),
        (&["TS".to_string()][..], Some(19), (Some(7200), None))
    );
}
