//! Every outcome code from a pair of configurations, and the fix proven by
//! re-simulation. Configurations are built directly in the neutral model
//! here; the config crate's tests run the same through real syntax.

use ipsec_doctor_model::config::*;
use ipsec_doctor_model::Code;
use ipsec_doctor_sim::simulate;

mod common;
use common::{ip, net, o, site};

fn pair(pa: Platform, pb: Platform) -> Vec<DeviceConfig> {
    vec![
        site(
            "A",
            pa,
            "198.51.100.1",
            "10.1.1.0",
            "203.0.113.1",
            "10.2.2.0",
        ),
        site(
            "B",
            pb,
            "203.0.113.1",
            "10.2.2.0",
            "198.51.100.1",
            "10.1.1.0",
        ),
    ]
}

fn forward(configs: &[DeviceConfig]) -> ipsec_doctor_sim::Outcome {
    let r = simulate(configs);
    assert!(!r.is_empty(), "no tunnel found");
    r[0].forward.clone()
}

const PLATFORMS: [(Platform, Platform); 4] = [
    (Platform::Ios, Platform::Ios),
    (Platform::Ios, Platform::Asa),
    (Platform::Asa, Platform::Asa),
    (Platform::Pix, Platform::Ios),
];

#[test]
fn healthy_pairs_come_up_both_ways() {
    for (pa, pb) in PLATFORMS {
        let r = simulate(&pair(pa, pb));
        assert_eq!(r.len(), 1, "{pa:?}-{pb:?}: one tunnel, seen from both ends");
        assert_eq!(
            r[0].forward.code,
            Code::TunnelUp,
            "{pa:?}-{pb:?}: {}",
            r[0].forward.detail
        );
        assert_eq!(r[0].reverse.as_ref().map(|o| o.code), Some(Code::TunnelUp));
    }
}

fn check(mutate: impl Fn(&mut Vec<DeviceConfig>), want: Code) {
    for (pa, pb) in PLATFORMS {
        let mut c = pair(pa, pb);
        mutate(&mut c);
        let f = forward(&c);
        assert_eq!(f.code, want, "{pa:?}-{pb:?}: {}", f.detail);
        assert_eq!(
            f.after_fix,
            Some(Code::TunnelUp),
            "{pa:?}-{pb:?}: fix {:?} did not bring it up",
            f.fix
        );
        let cmds = f.fix.as_ref().map(|x| x.commands(&c)).unwrap_or_default();
        assert!(!cmds.is_empty(), "{pa:?}-{pb:?}: no commands");
        assert!(cmds.iter().all(|l| !l.contains("s3cret")));
    }
}

#[test]
fn psk_mismatch() {
    check(
        |c| c[1].keys[0].key = SecretDigest::of("other"),
        Code::PskMismatch,
    );
}

#[test]
fn psk_missing_on_the_responder() {
    check(|c| c[1].keys.clear(), Code::PskMissing);
}

#[test]
fn phase1_policy_mismatch_names_the_attribute() {
    check(
        |c| c[1].ike_policies[0].group = 2,
        Code::Phase1PolicyMismatch,
    );
    let mut c = pair(Platform::Ios, Platform::Asa);
    c[1].ike_policies[0].hash = IkeHash::Sha256;
    assert!(forward(&c).detail.contains("hash"));
}

#[test]
fn lifetime_longer_than_the_responders_is_refused() {
    check(
        |c| c[1].ike_policies[0].lifetime = 3600,
        Code::Phase1PolicyMismatch,
    );
}

#[test]
fn proxy_id_mismatch() {
    check(
        |c| c[1].acls.get_mut("VPN-ACL").unwrap().entries[0].src = net("10.2.3.0", 24),
        Code::ProxyIdMismatch,
    );
}

#[test]
fn transform_set_mismatch() {
    check(
        |c| {
            c[1].transform_sets.get_mut("TS").unwrap().transforms =
                vec!["esp-3des".into(), "esp-md5-hmac".into()]
        },
        Code::TransformSetMismatch,
    );
}

#[test]
fn pfs_mismatch() {
    check(|c| c[1].crypto_maps[0].pfs = Some(14), Code::PfsMismatch);
}

#[test]
fn crypto_map_missing_on_the_responders_interface() {
    check(
        |c| c[1].interfaces[0].crypto_map = None,
        Code::CryptoMapMissing,
    );
}

#[test]
fn entry_names_another_peer() {
    check(
        |c| c[1].crypto_maps[0].peers = vec![ip("192.0.2.99")],
        Code::PeerAddressMismatch,
    );
}

#[test]
fn no_entry_for_the_peer() {
    check(
        |c| {
            c[1].crypto_maps[0].peers = vec![ip("192.0.2.99")];
            c[1].acls.get_mut("VPN-ACL").unwrap().entries[0].dst = net("10.9.9.0", 24);
        },
        Code::CryptoMapMissing,
    );
}

#[test]
fn ike_not_enabled_on_asa() {
    let mut c = pair(Platform::Ios, Platform::Asa);
    c[1].ike_enabled = Some(vec![]);
    let f = forward(&c);
    assert_eq!(f.code, Code::PeerUnreachable);
    assert_eq!(f.after_fix, Some(Code::TunnelUp));
    assert_eq!(
        f.fix.unwrap().commands(&c),
        vec!["crypto ikev1 enable outside".to_string()]
    );
}

#[test]
fn broader_entry_first_shadows_the_specific_one_on_ios() {
    let mut c = pair(Platform::Ios, Platform::Ios);
    // B: entry 5 for another peer whose ACL covers 10.2.0.0/16 -> 10.1.0.0/16.
    c[1].acls.insert(
        "BROAD".into(),
        Acl {
            name: "BROAD".into(),
            entries: vec![AclEntry {
                permit: true,
                protocol: None,
                src: net("10.2.0.0", 16),
                src_port: PortMatch::Any,
                dst: net("10.1.0.0", 16),
                dst_port: PortMatch::Any,
                origin: o(70, "permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255"),
            }],
        },
    );
    c[1].crypto_maps.insert(
        0,
        CryptoMapEntry {
            map: "VPN".into(),
            seq: 5,
            dynamic_ref: None,
            peers: vec![ip("192.0.2.50")],
            acl: Some("BROAD".into()),
            transform_sets: vec!["TS".into()],
            pfs: None,
            lifetime: None,
            origin: o(80, "crypto map VPN 5 ipsec-isakmp"),
        },
    );
    let f = forward(&c);
    assert_eq!(f.code, Code::CryptoMapOrder, "{}", f.detail);
    assert_eq!(f.after_fix, Some(Code::TunnelUp));
}

#[test]
fn dynamic_map_accepts_any_peer_with_a_key() {
    let mut c = pair(Platform::Ios, Platform::Asa);
    c[1].crypto_maps[0] = CryptoMapEntry {
        map: "VPN".into(),
        seq: 65535,
        dynamic_ref: Some("DYN".into()),
        peers: vec![],
        acl: None,
        transform_sets: vec![],
        pfs: None,
        lifetime: None,
        origin: o(90, "crypto map VPN 65535 ipsec-isakmp dynamic DYN"),
    };
    c[1].dynamic_maps.push(CryptoMapEntry {
        map: "DYN".into(),
        seq: 10,
        dynamic_ref: None,
        peers: vec![],
        acl: None,
        transform_sets: vec!["TS".into()],
        pfs: None,
        lifetime: None,
        origin: o(91, "crypto dynamic-map DYN 10 set ikev1 transform-set TS"),
    });
    assert_eq!(forward(&c).code, Code::TunnelUp);
}

#[test]
fn an_address_two_configurations_own_is_answered_by_the_one_pointing_back() {
    // A copy of B kept its outside address but serves another peer (an
    // ASA 9 unit here, IOS for the real B); it comes first in the list.
    let mut copy = site(
        "B-OLD",
        Platform::Asa,
        "203.0.113.1",
        "10.2.2.0",
        "192.0.2.99",
        "10.9.9.0",
    );
    copy.hostname = Some("B-OLD".into());
    let mut v = vec![copy];
    v.extend(pair(Platform::Ios, Platform::Ios));
    let r = simulate(&v);
    let from_a = r
        .iter()
        .flat_map(|t| [Some(t.forward.clone()), t.reverse.clone()])
        .flatten()
        .find(|o| o.initiator == 1)
        .expect("A negotiates");
    assert_eq!(from_a.responder, Some(2), "{}", from_a.detail);
    assert_eq!(from_a.code, Code::TunnelUp, "{}", from_a.detail);
}
