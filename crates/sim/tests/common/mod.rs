//! Configurations built directly in the neutral model, shared by the tests.
#![allow(dead_code)]

use ipsec_doctor_model::config::*;
use std::net::Ipv4Addr;

pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

pub fn o(line: u64, text: &str) -> Origin {
    Origin {
        line,
        text: text.to_string(),
    }
}

pub fn net(a: &str, bits: u8) -> AddrMatch {
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    AddrMatch::from_mask(ip(a), Ipv4Addr::from(mask))
}

/// A site: outside address, protected LAN, peer address, peer LAN.
pub fn site(
    name: &str,
    platform: Platform,
    outside: &str,
    lan: &str,
    peer: &str,
    peer_lan: &str,
) -> DeviceConfig {
    let mut c = DeviceConfig::new(&format!("{name}.cfg"), platform);
    c.hostname = Some(name.to_string());
    c.interfaces.push(Interface {
        name: "outside0".into(),
        nameif: (platform != Platform::Ios).then(|| "outside".to_string()),
        address: Some((ip(outside), ip("255.255.255.0"))),
        crypto_map: Some("VPN".into()),
        origin: o(10, "interface outside0"),
        ..Interface::default()
    });
    if platform != Platform::Ios {
        c.ike_enabled = Some(vec!["outside".into()]);
        c.default_ike_policies = false;
    }
    c.ike_policies.push(IkePolicy {
        priority: 10,
        encryption: IkeEncryption::Aes256,
        hash: IkeHash::Sha1,
        auth: IkeAuth::PreShare,
        group: 14,
        lifetime: 86400,
        origin: Some(o(20, "crypto isakmp policy 10")),
    });
    c.keys.push(PresharedKey {
        address: ip(peer),
        mask: ip("255.255.255.255"),
        key: SecretDigest::of("s3cret"),
        container: None,
        origin: o(30, "crypto isakmp key <redacted> address x"),
    });
    c.transform_sets.insert(
        "TS".into(),
        TransformSet {
            name: "TS".into(),
            transforms: vec!["esp-aes-256".into(), "esp-sha-hmac".into()],
            tunnel_mode: true,
            origin: o(40, "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac"),
        },
    );
    c.acls.insert(
        "VPN-ACL".into(),
        Acl {
            name: "VPN-ACL".into(),
            entries: vec![AclEntry {
                permit: true,
                protocol: None,
                src: net(lan, 24),
                src_port: PortMatch::Any,
                dst: net(peer_lan, 24),
                dst_port: PortMatch::Any,
                origin: o(50, "permit ip lan peer-lan"),
            }],
        },
    );
    c.crypto_maps.push(CryptoMapEntry {
        map: "VPN".into(),
        seq: 10,
        dynamic_ref: None,
        peers: vec![ip(peer)],
        acl: Some("VPN-ACL".into()),
        transform_sets: vec!["TS".into()],
        pfs: None,
        lifetime: None,
        origin: o(60, "crypto map VPN 10 ipsec-isakmp"),
    });
    c
}
