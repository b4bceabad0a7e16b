//! Hand-written full configurations (tests/data/*.cfg), one test group per
//! platform/version, and cross-device checks (keys, mirrored ACLs).

mod common;

use common::*;
use ipsec_doctor_config::{parse_with_skipped, protocol_number};
use ipsec_doctor_model::config::{
    AddrMatch, IkeAuth, IkeEncryption, IkeHash, Platform, PortMatch, SaLifetime, SecretDigest,
};

const SECRETS: &[&str] = &[
    "Branch-Key-1",
    "0529140E2F4F464432000E5F5A",
    "OtherKey",
    "FLgBaJHXdYY",
    "RemoteSite",
    "Wild-Card",
    "GZcOCDRPhgUb",
    "Whatever",
    "HQ-Key",
    "Default-L2L",
    "RaGroupKey",
    "Legacy-Key",
    "PixKey123",
    "0822455D0A16",
];

#[test]
fn no_secret_reaches_an_origin() {
    for f in [
        "ios124_hq.cfg",
        "iosxe17_branch.cfg",
        "asa98_dc.cfg",
        "asa82_legacy.cfg",
        "pix63_branch.cfg",
    ] {
        let (_, cfg) = load(f);
        for t in origin_texts(&cfg) {
            for s in SECRETS {
                assert!(!t.contains(s), "{f}: {t}");
            }
        }
        let json_like = format!("{cfg:?}");
        for s in SECRETS {
            assert!(!json_like.contains(s), "{f} leaks {s}");
        }
    }
}

mod ios124 {
    use super::*;

    #[test]
    fn device_interfaces_and_routes() {
        let (text, cfg) = load("ios124_hq.cfg");
        assert_eq!(cfg.platform, Platform::Ios);
        assert_eq!(cfg.hostname.as_deref(), Some("HQ-R1"));
        assert_eq!(cfg.lines, text.lines().count() as u64);
        assert_eq!(cfg.ike_enabled, None);
        assert_eq!(cfg.sysopt_permit_ipsec, None);

        let wan = cfg.interface("FastEthernet0/0").unwrap();
        assert_eq!(wan.address, Some((ip("203.0.113.1"), ip("255.255.255.0"))));
        assert_eq!(wan.mtu, Some(1400), "ip mtu wins");
        assert_eq!(wan.adjust_mss, Some(1360));
        assert_eq!(wan.crypto_map.as_deref(), Some("VPNMAP"));
        assert_eq!(wan.nat_inside, Some(false));
        assert!(!wan.shutdown);
        assert_eq!(wan.origin.line, line_no(&text, "interface FastEthernet0/0"));
        let lan = cfg.interface("fastethernet0/1").unwrap();
        assert_eq!(
            lan.address,
            Some((ip("172.21.113.1"), ip("255.255.255.0"))),
            "secondary ignored"
        );
        assert_eq!(lan.mtu, Some(1500));
        assert_eq!(lan.nat_inside, Some(true));
        assert!(cfg.interface("Serial0/0/0").unwrap().shutdown);

        assert_eq!(cfg.routes.len(), 3, "the vrf route is not in the model");
        assert_eq!(cfg.routes[0].next_hop, Some(ip("203.0.113.254")));
        assert_eq!(
            (cfg.routes[0].network, cfg.routes[0].mask),
            (ip("0.0.0.0"), ip("0.0.0.0"))
        );
        assert_eq!(cfg.routes[1].interface.as_deref(), Some("FastEthernet0/1"));
        assert_eq!(cfg.routes[1].next_hop, Some(ip("172.21.113.2")));
        assert_eq!(cfg.routes[2].interface.as_deref(), Some("Null0"));
        assert_eq!(cfg.routes[2].next_hop, None);

        assert_eq!(cfg.pools["dynpool"], (ip("10.99.1.1"), ip("10.99.1.50")));
        assert_eq!(cfg.split_tunnel["RA-USERS"], "199");
    }

    #[test]
    fn isakmp_policies_take_ios_defaults() {
        let (text, cfg) = load("ios124_hq.cfg");
        assert!(cfg.default_ike_policies);
        let p: Vec<_> = cfg
            .ike_policies
            .iter()
            .map(|p| {
                (
                    p.priority,
                    p.encryption,
                    p.hash,
                    p.auth,
                    p.group,
                    p.lifetime,
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (
                    10,
                    IkeEncryption::TripleDes,
                    IkeHash::Md5,
                    IkeAuth::PreShare,
                    2,
                    86_400
                ),
                (
                    20,
                    IkeEncryption::Aes256,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    5,
                    28_800
                ),
                (
                    30,
                    IkeEncryption::Des,
                    IkeHash::Sha1,
                    IkeAuth::RsaSig,
                    1,
                    86_400
                ),
                (
                    40,
                    IkeEncryption::Aes128,
                    IkeHash::Sha512,
                    IkeAuth::RsaEncr,
                    14,
                    86_400
                ),
            ]
        );
        let o = cfg.ike_policies[2].origin.as_ref().unwrap();
        assert_eq!(o.line, line_no(&text, "crypto isakmp policy 30"));
        assert_eq!(o.text, "crypto isakmp policy 30");
        assert_eq!(cfg.ike_identity.as_deref(), Some("address"));
    }

    #[test]
    fn keys_by_address_with_type_7_6_and_wildcards() {
        let (text, cfg) = load("ios124_hq.cfg");
        assert_eq!(
            cfg.keys.len(),
            4,
            "hostname key and banner text are not keys"
        );
        let k = key_for(&cfg, ip("198.51.100.2")).unwrap();
        assert_eq!(k.key, SecretDigest::of("Branch-Key-1"), "type 7 decoded");
        assert_eq!(k.mask, ip("255.255.255.255"));
        assert_eq!(
            k.origin.text,
            "crypto isakmp key 7 <redacted> address 198.51.100.2"
        );
        assert_eq!(k.container, None);
        let other = key_for(&cfg, ip("203.0.113.50")).unwrap();
        assert_eq!(other.key, SecretDigest::of("OtherKey"));
        assert_ne!(other.key, k.key);
        let t6 = key_for(&cfg, ip("192.0.2.200")).unwrap();
        assert_ne!(
            t6.key,
            SecretDigest::of("FLgBaJHXdYY_AcHZZMgQ_RhTDJXHUBAAB"),
            "type 6 is not its text"
        );
        // Anyone else falls back to the wildcard key.
        let wild = key_for(&cfg, ip("192.0.2.77")).unwrap();
        assert_eq!((wild.address, wild.mask), (ip("0.0.0.0"), ip("0.0.0.0")));
        assert_eq!(wild.key, SecretDigest::of("Wild-Card"));
        assert_eq!(
            wild.origin.line,
            line_no(&text, "crypto isakmp key Wild-Card address 0.0.0.0 0.0.0.0")
        );
    }

    #[test]
    fn transform_sets_and_lifetimes() {
        let (_, cfg) = load("ios124_hq.cfg");
        let t = &cfg.transform_sets;
        assert_eq!(
            t["ESP-3DES-MD5"].transforms,
            vec!["esp-3des", "esp-md5-hmac"]
        );
        assert_eq!(
            t["ESP-AES256-SHA"].transforms,
            vec!["esp-aes-256", "esp-sha-hmac"]
        );
        assert!(t["ESP-AES256-SHA"].tunnel_mode);
        assert_eq!(
            t["TS-TRANSPORT"].transforms,
            vec!["esp-aes", "esp-sha-hmac"]
        );
        assert!(!t["TS-TRANSPORT"].tunnel_mode);
        assert_eq!(
            cfg.sa_lifetime,
            SaLifetime {
                seconds: 7200,
                kilobytes: 4_608_000
            }
        );
    }

    #[test]
    fn crypto_map_entries_with_every_field() {
        let (text, cfg) = load("ios124_hq.cfg");
        let seqs: Vec<_> = cfg
            .crypto_maps
            .iter()
            .map(|e| (e.map.as_str(), e.seq))
            .collect();
        assert_eq!(
            seqs,
            vec![("VPNMAP", 10), ("VPNMAP", 20), ("VPNMAP", 65535)],
            "ipsec-manual dropped"
        );
        let e10 = &cfg.crypto_maps[0];
        assert_eq!(e10.peers, vec![ip("198.51.100.2"), ip("198.51.100.3")]);
        assert_eq!(e10.acl.as_deref(), Some("101"));
        assert_eq!(e10.transform_sets, vec!["ESP-AES256-SHA", "ESP-3DES-MD5"]);
        assert_eq!(e10.pfs, Some(1), "`set pfs` alone is group 1 on IOS");
        assert_eq!(
            e10.lifetime,
            Some(SaLifetime {
                seconds: 1800,
                kilobytes: 4_608_000
            })
        );
        assert_eq!(e10.dynamic_ref, None);
        assert_eq!(
            e10.origin.line,
            line_no(&text, "crypto map VPNMAP 10 ipsec-isakmp")
        );
        let e20 = &cfg.crypto_maps[1];
        assert_eq!(e20.peers, vec![ip("203.0.113.50")]);
        assert_eq!(e20.pfs, Some(5));
        assert_eq!(
            e20.lifetime,
            Some(SaLifetime {
                seconds: 7200,
                kilobytes: 100_000
            })
        );
        assert_eq!(e20.acl.as_deref(), Some("VPN-TO-SITE2"));
        assert_eq!(cfg.crypto_maps[2].dynamic_ref.as_deref(), Some("DYN"));
        assert_eq!(cfg.dynamic_maps.len(), 1);
        let d = &cfg.dynamic_maps[0];
        assert_eq!((d.map.as_str(), d.seq, d.pfs), ("DYN", 10, Some(2)));
        assert_eq!(d.transform_sets, vec!["ESP-3DES-MD5"]);
        assert!(d.peers.is_empty() && d.acl.is_none());
        assert_eq!(cfg.map_local_address["VPNMAP"], "FastEthernet0/0");
    }

    #[test]
    fn acls_wildcards_objects_ports() {
        let (text, cfg) = load("ios124_hq.cfg");
        let std10 = &cfg.acls["10"].entries;
        assert_eq!(std10[0].src, AddrMatch::host(ip("10.1.1.1")));
        assert_eq!(std10[1].src, wc("172.21.113.0", "0.0.0.255"));
        assert_eq!(std10[1].dst, AddrMatch::ANY);
        assert_eq!(
            flows(&cfg.acls["101"].entries),
            vec![
                (
                    wc("172.21.113.0", "0.0.0.255"),
                    wc("172.21.114.0", "0.0.0.255")
                ),
                (
                    AddrMatch::host(ip("10.2.0.8")),
                    AddrMatch::host(ip("172.21.114.123"))
                ),
            ]
        );
        let e = &cfg.acls["101"].entries[0];
        assert_eq!(
            e.origin.line,
            line_no(
                &text,
                "access-list 101 permit ip 172.21.113.0 0.0.0.255 172.21.114.0 0.0.0.255"
            )
        );
        let a120 = &cfg.acls["120"].entries;
        let p: Vec<_> = a120
            .iter()
            .map(|e| (e.permit, e.protocol, e.dst_port))
            .collect();
        assert_eq!(
            p,
            vec![
                (true, Some(17), PortMatch::Range(500, 500)),
                (true, Some(17), PortMatch::Range(4500, 4500)),
                (true, Some(50), PortMatch::Any),
                (true, protocol_number("ahp").unwrap(), PortMatch::Any),
                (true, Some(6), PortMatch::Range(80, 80)),
                (true, Some(6), PortMatch::Range(443, 443)),
                (false, None, PortMatch::Any),
            ]
        );
        let odd = cfg.acls["160"].entries[0].src;
        assert!(!odd.is_subnet(), "discontiguous wildcard kept");
        assert!(odd.contains(ip("10.1.2.3")) && !odd.contains(ip("10.1.3.3")));
        // Object-groups expanded: 2 sources x 3 destinations (a 2-address range = 2 hosts), then the deny.
        let site2 = &cfg.acls["VPN-TO-SITE2"].entries;
        assert_eq!(site2.len(), 7);
        assert!(site2[..6].iter().all(|e| e.permit) && !site2[6].permit);
        assert_eq!(site2[0].dst, AddrMatch::host(ip("10.30.0.1")));
        assert_eq!(site2[2].dst, mask("10.20.0.0", "255.255.0.0"));
        assert_eq!(site2[3].src, AddrMatch::host(ip("10.2.0.8")));
    }

    #[test]
    fn route_map_nat_exempts_what_the_acl_denies() {
        let (_, cfg) = load("ios124_hq.cfg");
        assert_eq!(cfg.nat.len(), 2);
        assert!(!cfg.nat[0].exempt && cfg.nat[1].exempt);
        assert!(cfg.nat.iter().all(|r| r.acl.as_deref() == Some("NAT-ACL")));
        let vpn = nat_for(&cfg, ip("172.21.113.10"), ip("172.21.114.5")).unwrap();
        assert!(vpn.exempt);
        let vpn2 = nat_for(&cfg, ip("172.21.113.10"), ip("10.20.1.1")).unwrap();
        assert!(vpn2.exempt);
        let web = nat_for(&cfg, ip("172.21.113.10"), ip("198.51.100.80")).unwrap();
        assert!(!web.exempt);
        assert!(nat_for(&cfg, ip("10.9.9.9"), ip("198.51.100.80")).is_none());
    }

    #[test]
    fn unknown_lines_are_counted_not_fatal() {
        let text = data("ios124_hq.cfg");
        let (cfg, skipped) = parse_with_skipped("hq", &text, Platform::Ios);
        assert_eq!(cfg.skipped, skipped.len() as u64);
        for needle in [
            "crypto isakmp key RemoteSite hostname remote.example.com",
            "set peer site2.example.com",
            "ip route vrf MGMT 10.0.0.0 255.0.0.0 192.0.2.1",
            "duplex auto",
            "service password-encryption",
        ] {
            let n = line_no(&text, needle);
            assert!(skipped.contains(&n), "{needle} should be skipped");
        }
        for needle in [
            "crypto isakmp key NotAKey address 192.0.2.99",
            "Authorized access only.",
            "end",
            "!",
        ] {
            let n = line_no(&text, needle);
            assert!(!skipped.contains(&n), "{needle} is not an unknown command");
        }
        assert!(skipped
            .iter()
            .all(|n| !line(&text, *n).starts_with("crypto ipsec")));
    }

    #[test]
    fn crlf_gives_the_same_result() {
        let text = data("ios124_hq.cfg");
        let crlf = text.replace('\n', "\r\n");
        let a = ipsec_doctor_config::parse("x", &text);
        let b = ipsec_doctor_config::parse("x", &crlf);
        // Digests are salted per process but stable within it.
        assert_eq!(a, b);
    }
}

mod iosxe17 {
    use super::*;

    #[test]
    fn keyrings_and_policies_without_the_default_suite() {
        let (text, cfg) = load("iosxe17_branch.cfg");
        assert_eq!(cfg.platform, Platform::Ios);
        assert_eq!(cfg.hostname.as_deref(), Some("BR-XE1"));
        assert!(!cfg.default_ike_policies);
        let p: Vec<_> = cfg
            .ike_policies
            .iter()
            .map(|p| {
                (
                    p.priority,
                    p.encryption,
                    p.hash,
                    p.auth,
                    p.group,
                    p.lifetime,
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (
                    10,
                    IkeEncryption::Aes256,
                    IkeHash::Sha256,
                    IkeAuth::PreShare,
                    14,
                    86_400
                ),
                (
                    20,
                    IkeEncryption::Aes128,
                    IkeHash::Sha512,
                    IkeAuth::RsaSig,
                    19,
                    3600
                ),
            ]
        );
        assert_eq!(
            cfg.keys.len(),
            3,
            "the hostname entry is not a key by address"
        );
        let hq = key_for(&cfg, ip("203.0.113.1")).unwrap();
        assert_eq!(hq.container.as_deref(), Some("KR-HQ"));
        assert_eq!(hq.key, SecretDigest::of("Branch-Key-1"));
        assert_eq!(
            hq.origin.text,
            "pre-shared-key address 203.0.113.1 key <redacted>"
        );
        assert_eq!(
            hq.origin.line,
            line_no(&text, "pre-shared-key address 203.0.113.1 key Branch-Key-1")
        );
        let lab = key_for(&cfg, ip("192.0.2.44")).unwrap();
        assert_eq!(lab.mask, ip("255.255.255.0"));
        assert_ne!(lab.key, hq.key);
        let dr = key_for(&cfg, ip("203.0.113.77")).unwrap();
        assert_eq!(dr.container.as_deref(), Some("KR-DR"));
        assert_eq!(dr.key, SecretDigest::of("cisco"), "type 7 in a keyring");
        assert!(key_for(&cfg, ip("198.51.100.99")).is_none());
    }

    #[test]
    fn transform_sets_maps_and_interfaces() {
        let (_, cfg) = load("iosxe17_branch.cfg");
        let t = &cfg.transform_sets;
        assert_eq!(t["TS-GCM"].transforms, vec!["esp-gcm-256"]);
        assert_eq!(
            t["TS-AES"].transforms,
            vec!["esp-aes-256", "esp-sha256-hmac"]
        );
        assert!(t["TS-AES"].tunnel_mode && !t["TS-TRANSPORT"].tunnel_mode);
        assert_eq!(
            cfg.sa_lifetime,
            SaLifetime {
                seconds: 3600,
                kilobytes: 102_400_000
            }
        );
        let e10 = &cfg.crypto_maps[0];
        assert_eq!((e10.map.as_str(), e10.seq), ("CMAP", 10));
        assert_eq!(e10.peers, vec![ip("203.0.113.1")]);
        assert_eq!(e10.transform_sets, vec!["TS-AES", "TS-GCM"]);
        assert_eq!(e10.pfs, Some(14));
        assert_eq!(e10.lifetime, None);
        assert_eq!(e10.acl.as_deref(), Some("ACL-VPN-HQ"));
        let e20 = &cfg.crypto_maps[1];
        assert_eq!(e20.pfs, None);
        assert_eq!(
            e20.lifetime,
            Some(SaLifetime {
                seconds: 900,
                kilobytes: 102_400_000
            })
        );
        let g1 = cfg.interface("GigabitEthernet1").unwrap();
        assert_eq!(g1.crypto_map.as_deref(), Some("CMAP"));
        assert_eq!(
            g1.address,
            Some((ip("198.51.100.2"), ip("255.255.255.252")))
        );
        let g2 = cfg.interface("GigabitEthernet2").unwrap();
        assert_eq!(
            (g2.mtu, g2.adjust_mss, g2.nat_inside),
            (Some(1600), Some(1350), Some(true))
        );
        assert!(cfg.interface("GigabitEthernet3").unwrap().shutdown);
        assert_eq!(cfg.routes.len(), 1);
    }

    #[test]
    fn sequenced_named_acls_service_groups_and_nat_list() {
        let (_, cfg) = load("iosxe17_branch.cfg");
        assert_eq!(
            cfg.acls["MGMT"].entries[0].src,
            wc("192.0.2.0", "0.0.0.255")
        );
        let wan: Vec<_> = cfg.acls["WAN-IN"]
            .entries
            .iter()
            .map(|e| (e.protocol, e.dst_port))
            .collect();
        assert_eq!(
            wan,
            vec![
                (Some(17), PortMatch::Range(500, 500)),
                (Some(17), PortMatch::Range(4500, 4500)),
                (Some(50), PortMatch::Any),
                (Some(6), PortMatch::Range(22, 22)),
                (None, PortMatch::Any),
            ]
        );
        assert!(
            nat_for(&cfg, ip("172.21.114.9"), ip("172.21.113.9"))
                .unwrap()
                .exempt
        );
        assert!(
            nat_for(&cfg, ip("172.21.114.9"), ip("10.70.3.3"))
                .unwrap()
                .exempt
        );
        assert!(
            !nat_for(&cfg, ip("172.21.114.9"), ip("192.0.2.1"))
                .unwrap()
                .exempt
        );
    }
}

mod asa9 {
    use super::*;

    #[test]
    fn interfaces_nameif_mtu_and_crypto_map_binding() {
        let (_, cfg) = load("asa98_dc.cfg");
        assert_eq!(cfg.platform, Platform::Asa);
        assert_eq!(cfg.hostname.as_deref(), Some("ASA-DC"));
        let out = cfg.interface("outside").unwrap();
        assert_eq!(out.name, "GigabitEthernet1/1");
        assert_eq!(out.address, Some((ip("203.0.113.20"), ip("255.255.255.0"))));
        assert_eq!(out.mtu, Some(1500));
        assert_eq!(out.crypto_map.as_deref(), Some("OUTSIDE-MAP"));
        let unused = cfg.interface("GigabitEthernet1/3").unwrap();
        assert!(unused.shutdown && unused.nameif.is_none() && unused.address.is_none());
        assert_eq!(cfg.interfaces.len(), 4);
        assert_eq!(cfg.ike_enabled, Some(vec!["outside".to_string()]));
        assert_eq!(cfg.sysopt_permit_ipsec, Some(false));
        assert_eq!(cfg.routes[0].interface.as_deref(), Some("outside"));
        assert_eq!(cfg.routes[1].network, ip("10.50.0.0"));
        assert_eq!(cfg.split_tunnel["GP-RA"], "SPLIT");
        assert_eq!(cfg.pools["RA-POOL"], (ip("10.99.2.1"), ip("10.99.2.254")));
    }

    #[test]
    fn ikev1_policies_take_asa_defaults() {
        let (_, cfg) = load("asa98_dc.cfg");
        assert!(!cfg.default_ike_policies);
        let p: Vec<_> = cfg
            .ike_policies
            .iter()
            .map(|p| {
                (
                    p.priority,
                    p.encryption,
                    p.hash,
                    p.auth,
                    p.group,
                    p.lifetime,
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (
                    10,
                    IkeEncryption::Aes256,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    14,
                    86_400
                ),
                (
                    20,
                    IkeEncryption::Aes192,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    2,
                    86_400
                ),
                (
                    65535,
                    IkeEncryption::TripleDes,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    2,
                    86_400
                ),
            ]
        );
    }

    #[test]
    fn tunnel_group_keys() {
        let (text, cfg) = load("asa98_dc.cfg");
        assert_eq!(
            cfg.keys.len(),
            3,
            "remote-access group keys have no address"
        );
        let br = key_for(&cfg, ip("198.51.100.2")).unwrap();
        assert_eq!(br.container.as_deref(), Some("198.51.100.2"));
        assert_eq!(br.mask, ip("255.255.255.255"));
        assert_eq!(br.key, SecretDigest::of("Branch-Key-1"));
        assert_eq!(br.origin.text, "ikev1 pre-shared-key <redacted>");
        assert_eq!(
            br.origin.line,
            line_no(&text, "ikev1 pre-shared-key Branch-Key-1")
        );
        let def = key_for(&cfg, ip("192.0.2.1")).unwrap();
        assert_eq!((def.address, def.mask), (ip("0.0.0.0"), ip("0.0.0.0")));
        assert_eq!(def.container.as_deref(), Some("DefaultL2LGroup"));
        assert_eq!(
            key_for(&cfg, ip("203.0.113.1")).unwrap().key,
            SecretDigest::of("HQ-Key")
        );
    }

    #[test]
    fn transform_sets_and_one_line_crypto_maps() {
        let (text, cfg) = load("asa98_dc.cfg");
        assert_eq!(
            cfg.transform_sets.len(),
            3,
            "IKEv2 proposals are not transform sets"
        );
        assert_eq!(
            cfg.transform_sets["ESP-AES-256-SHA"].transforms,
            vec!["esp-aes-256", "esp-sha-hmac"]
        );
        assert!(!cfg.transform_sets["TS-TRANSPORT"].tunnel_mode);
        assert!(cfg.transform_sets["ESP-3DES-MD5"].tunnel_mode);
        assert_eq!(
            cfg.sa_lifetime,
            SaLifetime {
                seconds: 28_800,
                kilobytes: 4_608_000
            }
        );
        let m: Vec<_> = cfg.crypto_maps.iter().map(|e| e.seq).collect();
        assert_eq!(m, vec![10, 20, 65535]);
        let e10 = &cfg.crypto_maps[0];
        assert_eq!(e10.peers, vec![ip("198.51.100.2")], "peer given by `name`");
        assert_eq!(e10.acl.as_deref(), Some("VPN-BRANCH"));
        assert_eq!(e10.pfs, Some(14));
        assert_eq!(e10.transform_sets, vec!["ESP-AES-256-SHA"]);
        assert_eq!(
            e10.lifetime,
            Some(SaLifetime {
                seconds: 3600,
                kilobytes: 4_608_000
            })
        );
        assert_eq!(
            e10.origin.line,
            line_no(&text, "crypto map OUTSIDE-MAP 10 match address VPN-BRANCH")
        );
        let e20 = &cfg.crypto_maps[1];
        assert_eq!(e20.peers, vec![ip("203.0.113.1"), ip("203.0.113.2")]);
        assert_eq!(e20.pfs, Some(2), "`set pfs` alone is group 2 on ASA");
        assert_eq!(e20.transform_sets, vec!["ESP-3DES-MD5", "ESP-AES-256-SHA"]);
        assert_eq!(cfg.crypto_maps[2].dynamic_ref.as_deref(), Some("DYN-RA"));
        let d = &cfg.dynamic_maps[0];
        assert_eq!((d.map.as_str(), d.seq, d.pfs), ("DYN-RA", 10, Some(2)));
        assert_eq!(d.transform_sets, vec!["ESP-AES-256-SHA", "ESP-3DES-MD5"]);
    }

    #[test]
    fn acls_with_masks_objects_and_port_groups() {
        let (_, cfg) = load("asa98_dc.cfg");
        assert_eq!(
            flows(&cfg.acls["VPN-BRANCH"].entries),
            vec![(
                mask("10.10.0.0", "255.255.0.0"),
                mask("172.21.114.0", "255.255.255.0")
            )]
        );
        assert_eq!(cfg.acls["VPN-HQ"].entries.len(), 2);
        assert_eq!(
            cfg.acls["VPN-HQ"].entries[0].src.wildcard,
            ip("0.0.255.255")
        );
        let web: Vec<_> = cfg.acls["OUTSIDE-IN"]
            .entries
            .iter()
            .map(|e| (e.protocol, e.dst, e.dst_port))
            .collect();
        assert_eq!(
            web,
            vec![
                (
                    Some(6),
                    AddrMatch::host(ip("10.10.5.5")),
                    PortMatch::Range(80, 80)
                ),
                (
                    Some(6),
                    AddrMatch::host(ip("10.10.5.5")),
                    PortMatch::Range(443, 443)
                ),
                (Some(1), AddrMatch::ANY, PortMatch::Any),
            ]
        );
        assert_eq!(
            cfg.acls["SPLIT"].entries[0].src,
            mask("10.10.0.0", "255.255.0.0")
        );
        assert!(cfg.acls["OLD"].entries.is_empty(), "inactive");
        assert!(cfg.acls["V6"].entries.is_empty(), "IPv6");
    }

    #[test]
    fn identity_twice_nat_exempts_vpn_traffic() {
        let (_, cfg) = load("asa98_dc.cfg");
        assert_eq!(cfg.nat.len(), 5);
        let exempt: Vec<bool> = cfg.nat.iter().map(|r| r.exempt).collect();
        assert_eq!(exempt, vec![true, true, false, false, false]);
        // Destination group expanded: branch, HQ, 10.20/16.
        assert_eq!(cfg.nat[0].matches.len(), 3);
        for dst in ["172.21.114.5", "172.21.113.5", "10.20.9.9", "10.99.2.7"] {
            assert!(
                nat_for(&cfg, ip("10.10.3.3"), ip(dst)).unwrap().exempt,
                "{dst}"
            );
        }
        // Object NAT: static (OBJ-WEB) before dynamic (OBJ-DC-LAN), then after-auto.
        let web = nat_for(&cfg, ip("10.10.5.5"), ip("192.0.2.1")).unwrap();
        assert_eq!(web.matches[0].src, AddrMatch::host(ip("10.10.5.5")));
        let pat = nat_for(&cfg, ip("10.10.3.3"), ip("192.0.2.1")).unwrap();
        assert!(!pat.exempt);
        assert_eq!(pat.matches[0].src, mask("10.10.0.0", "255.255.0.0"));
        let any = nat_for(&cfg, ip("10.50.1.1"), ip("192.0.2.1")).unwrap();
        assert_eq!(any.matches[0].src, AddrMatch::ANY);
    }
}

mod asa82 {
    use super::*;

    #[test]
    fn legacy_syntax() {
        let (_, cfg) = load("asa82_legacy.cfg");
        assert_eq!(cfg.platform, Platform::Asa);
        assert_eq!(cfg.ike_enabled, Some(vec!["outside".to_string()]));
        assert_eq!(cfg.sysopt_permit_ipsec, Some(true));
        let p: Vec<_> = cfg
            .ike_policies
            .iter()
            .map(|p| (p.priority, p.encryption, p.hash, p.auth, p.group))
            .collect();
        assert_eq!(
            p,
            vec![
                (
                    10,
                    IkeEncryption::TripleDes,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    2
                ),
                (
                    20,
                    IkeEncryption::TripleDes,
                    IkeHash::Md5,
                    IkeAuth::PreShare,
                    2
                ),
            ]
        );
        assert_eq!(
            cfg.transform_sets["ESP-AES-128-SHA"].transforms,
            vec!["esp-aes", "esp-sha-hmac"]
        );
        let e = &cfg.crypto_maps[0];
        assert_eq!(e.transform_sets, vec!["ESP-3DES-SHA"]);
        assert_eq!(e.peers, vec![ip("198.51.100.40")]);
        assert_eq!(e.pfs, Some(2));
        assert_eq!(cfg.crypto_maps[1].dynamic_ref.as_deref(), Some("DYNMAP"));
        assert_eq!(cfg.dynamic_maps[0].transform_sets, vec!["ESP-AES-128-SHA"]);
        assert_eq!(cfg.interface("inside").unwrap().mtu, Some(1400));
        assert_eq!(
            cfg.interface("outside").unwrap().crypto_map.as_deref(),
            Some("OUTMAP")
        );
        assert_eq!(
            cfg.keys.len(),
            1,
            "the masked remote-access key is not bound to an address"
        );
        assert_eq!(
            key_for(&cfg, ip("198.51.100.40")).unwrap().key,
            SecretDigest::of("Legacy-Key")
        );
        assert_eq!(cfg.split_tunnel["RA-GP"], "SPLIT");
        assert_eq!(cfg.pools["RAPOOL"], (ip("10.99.3.1"), ip("10.99.3.100")));
    }

    #[test]
    fn nat_zero_access_list_is_the_exemption() {
        let (text, cfg) = load("asa82_legacy.cfg");
        assert_eq!(cfg.nat.len(), 3);
        let nonat = &cfg.nat[0];
        assert!(nonat.exempt);
        assert_eq!(nonat.acl.as_deref(), Some("NONAT"));
        assert_eq!(
            nonat.origin.line,
            line_no(&text, "nat (inside) 0 access-list NONAT")
        );
        assert_eq!(nonat.matches.len(), 2);
        assert!(
            nat_for(&cfg, ip("10.30.0.5"), ip("10.40.0.5"))
                .unwrap()
                .exempt
        );
        assert!(
            nat_for(&cfg, ip("10.30.0.5"), ip("10.99.3.5"))
                .unwrap()
                .exempt
        );
        let st = nat_for(&cfg, ip("10.30.0.25"), ip("192.0.2.200")).unwrap();
        assert!(!st.exempt && st.origin.text.starts_with("static"));
        let dynamic = nat_for(&cfg, ip("10.30.0.6"), ip("192.0.2.200")).unwrap();
        assert_eq!(dynamic.origin.text, "nat (inside) 1 0.0.0.0 0.0.0.0");
    }
}

mod pix63 {
    use super::*;

    #[test]
    fn interfaces_from_nameif_and_ip_address() {
        let (_, cfg) = load("pix63_branch.cfg");
        assert_eq!(cfg.platform, Platform::Pix);
        assert_eq!(cfg.hostname.as_deref(), Some("PIX-BR"));
        let out = cfg.interface("outside").unwrap();
        assert_eq!(out.name, "ethernet0");
        assert_eq!(
            out.address,
            Some((ip("198.51.100.60"), ip("255.255.255.0")))
        );
        assert_eq!(out.crypto_map.as_deref(), Some("mymap"));
        assert_eq!(out.mtu, Some(1500));
        assert_eq!(
            cfg.interface("inside").unwrap().address,
            Some((ip("10.1.1.1"), ip("255.255.255.240")))
        );
        assert!(cfg.interface("intf2").unwrap().shutdown);
        assert_eq!(cfg.ike_enabled, Some(vec!["outside".to_string()]));
        assert_eq!(cfg.ike_identity.as_deref(), Some("address"));
        assert_eq!(cfg.sysopt_permit_ipsec, Some(true));
        assert_eq!(
            cfg.routes[1].next_hop,
            Some(ip("10.1.1.2")),
            "`name` resolved"
        );
        assert_eq!(cfg.routes[1].interface.as_deref(), Some("inside"));
    }

    #[test]
    fn isakmp_one_liners_keys_and_maps() {
        let (_, cfg) = load("pix63_branch.cfg");
        let p: Vec<_> = cfg
            .ike_policies
            .iter()
            .map(|p| {
                (
                    p.priority,
                    p.encryption,
                    p.hash,
                    p.auth,
                    p.group,
                    p.lifetime,
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (
                    10,
                    IkeEncryption::TripleDes,
                    IkeHash::Md5,
                    IkeAuth::PreShare,
                    2,
                    86_400
                ),
                (
                    20,
                    IkeEncryption::Des,
                    IkeHash::Sha1,
                    IkeAuth::PreShare,
                    1,
                    86_400
                ),
            ]
        );
        let k = key_for(&cfg, ip("203.0.113.70")).unwrap();
        assert_eq!(k.key, SecretDigest::of("PixKey123"));
        let masked = key_for(&cfg, ip("192.0.2.1")).unwrap();
        assert_eq!(masked.mask, ip("0.0.0.0"));
        assert_ne!(
            masked.key,
            SecretDigest::of("********"),
            "a masked key equals no key"
        );
        let e = &cfg.crypto_maps[0];
        assert_eq!((e.seq, e.pfs, e.acl.as_deref()), (10, Some(2), Some("101")));
        assert_eq!(e.peers, vec![ip("203.0.113.70")]);
        assert_eq!(e.transform_sets, vec!["myset"]);
        assert_eq!(cfg.crypto_maps[1].dynamic_ref.as_deref(), Some("dynmap"));
        assert_eq!(cfg.dynamic_maps[0].transform_sets, vec!["rasset"]);
        assert_eq!(
            cfg.transform_sets["rasset"].transforms,
            vec!["esp-des", "esp-md5-hmac"]
        );
    }

    #[test]
    fn nat0_split_tunnel_and_pool() {
        let (_, cfg) = load("pix63_branch.cfg");
        assert!(cfg.nat[0].exempt);
        assert_eq!(cfg.nat[0].acl.as_deref(), Some("nonat"));
        assert!(
            nat_for(&cfg, ip("10.1.1.5"), ip("10.1.2.9"))
                .unwrap()
                .exempt
        );
        assert!(
            !nat_for(&cfg, ip("10.1.1.5"), ip("192.0.2.9"))
                .unwrap()
                .exempt
        );
        assert_eq!(cfg.split_tunnel["vpn3000"], "90");
        assert_eq!(cfg.pools["mypool"], (ip("10.1.2.1"), ip("10.1.2.254")));
        assert_eq!(
            flows(&cfg.acls["90"].entries),
            vec![
                (
                    mask("10.1.1.0", "255.255.255.0"),
                    mask("10.1.2.0", "255.255.255.0")
                ),
                (
                    mask("172.16.0.0", "255.255.0.0"),
                    mask("10.1.2.0", "255.255.255.0")
                ),
            ]
        );
    }
}

mod across_devices {
    use super::*;

    #[test]
    fn keys_compare_equal_across_encodings_and_platforms() {
        let (_, hq) = load("ios124_hq.cfg");
        let (_, br) = load("iosxe17_branch.cfg");
        let (_, asa) = load("asa98_dc.cfg");
        // HQ (type 7) for the branch, branch keyring (type 0) for HQ, ASA tunnel-group for the branch.
        let a = &key_for(&hq, ip("198.51.100.2")).unwrap().key;
        let b = &key_for(&br, ip("203.0.113.1")).unwrap().key;
        let c = &key_for(&asa, ip("198.51.100.2")).unwrap().key;
        assert_eq!(a, b);
        assert_eq!(a, c);
        // The ASA's key for HQ differs from HQ's catch-all key.
        let d = &key_for(&asa, ip("203.0.113.1")).unwrap().key;
        let e = &key_for(&hq, ip("203.0.113.20")).unwrap().key;
        assert_ne!(d, e);
        assert_ne!(d.short(), e.short());
    }

    #[test]
    fn hq_and_branch_crypto_acls_are_mirror_images() {
        let (_, hq) = load("ios124_hq.cfg");
        let (_, br) = load("iosxe17_branch.cfg");
        let a = flows(&hq.acls["101"].entries);
        let b: Vec<_> = flows(&br.acls["ACL-VPN-HQ"].entries)
            .into_iter()
            .map(|(s, d)| (d, s))
            .collect();
        assert_eq!(a, b);
    }
}
