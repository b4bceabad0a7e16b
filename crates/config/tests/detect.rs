//! Platform detection and config sniffing.

mod common;

use common::data;
use ipsec_doctor_config::{detect, looks_like_config};
use ipsec_doctor_model::config::Platform;

#[test]
fn configurations_by_platform() {
    for (f, p) in [
        ("ios124_hq.cfg", Platform::Ios),
        ("iosxe17_branch.cfg", Platform::Ios),
        ("asa98_dc.cfg", Platform::Asa),
        ("asa82_legacy.cfg", Platform::Asa),
        ("pix63_branch.cfg", Platform::Pix),
        ("seed/peer_a.cfg", Platform::Ios),
        ("seed/ios_client_group.cfg", Platform::Ios),
        ("seed/pix_vpnclient.cfg", Platform::Pix),
        (
            "ntc/cisco_asa_show_running-config_crypto_ikev1.raw",
            Platform::Asa,
        ),
        ("ntc/cisco_asa_show_running-config_ipsec.raw", Platform::Asa),
    ] {
        let text = data(f);
        assert_eq!(detect(&text), Some(p), "{f}");
        assert!(looks_like_config(&text), "{f}");
        assert_eq!(ipsec_doctor_config::parse(f, &text).platform, p, "{f}");
    }
}

#[test]
fn logs_show_output_and_prose_are_not_configurations() {
    for f in [
        "ios_debug_isakmp.log",
        "asa_syslog.log",
        "show_crypto_ipsec_sa.txt",
        "note.txt",
    ] {
        let text = data(&format!("not_config/{f}"));
        assert_eq!(detect(&text), None, "{f}");
        assert!(!looks_like_config(&text), "{f}");
    }
    assert_eq!(detect(""), None);
    assert_eq!(detect("\n\n  \n"), None);
    assert_eq!(detect("\u{0}\u{1}\u{fffd}garbage\u{7f}"), None);
}

#[test]
fn version_lines_settle_the_platform() {
    // One-line crypto maps alone look like ASA or PIX; the version line decides.
    let body = "crypto map M 10 match address A\ncrypto map M 10 set peer 192.0.2.1\ncrypto map M interface outside\n";
    assert_eq!(detect(body), Some(Platform::Asa));
    assert_eq!(
        detect(&format!("PIX Version 6.3(5)\n{body}")),
        Some(Platform::Pix)
    );
    assert_eq!(
        detect(&format!("PIX Version 7.2(4)\n{body}")),
        Some(Platform::Asa)
    );
    assert_eq!(
        detect(&format!(": Saved\nASA Version 9.12(4)\n{body}")),
        Some(Platform::Asa)
    );
    // PIX-only commands without a version line.
    assert_eq!(
        detect("nameif ethernet0 outside security0\nisakmp enable outside\nisakmp policy 10 hash md5\n"),
        Some(Platform::Pix)
    );
    // IOS block syntax.
    assert_eq!(
        detect("crypto map M 10 ipsec-isakmp\n set peer 192.0.2.1\n match address 101\ncrypto map M local-address Gi0/0\n"),
        Some(Platform::Ios)
    );
}

#[test]
fn a_debug_log_with_a_pasted_config_line_stays_a_log() {
    let mut text = data("not_config/ios_debug_isakmp.log");
    text.push_str("crypto isakmp key cisco address 198.51.100.2\n");
    assert_eq!(detect(&text), None);
}

#[test]
fn object_names_that_read_like_debug_words_do_not_hide_a_configuration() {
    // IOS-XE 17 spelling: IKEv2 objects named after the protocol, an ACL
    // and a keyring with ISAKMP / IPSEC in their names.
    let text = "hostname EDGE\n\
crypto ikev2 proposal IKEv2-PROP\n encryption aes-cbc-256\n integrity sha256\n group 14\n\
crypto ikev2 policy IKEv2-POL\n proposal IKEv2-PROP\n\
crypto ikev2 keyring IKEv2-KEYS\n peer HQ\n  address 192.0.2.1\n  pre-shared-key local s3cret\n\
crypto ikev2 profile IKEv2-PROFILE\n match identity remote address 192.0.2.1 255.255.255.255\n authentication remote pre-share\n authentication local pre-share\n keyring local IKEv2-KEYS\n\
crypto keyring ISAKMP-KEYS\n pre-shared-key address 192.0.2.9 key other\n\
ip access-list extended IPSEC(VPN)-ACL\n permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255\n\
crypto map ISAKMP-MAP 10 ipsec-isakmp\n set peer 192.0.2.1\n set ikev2-profile IKEv2-PROFILE\n match address IPSEC(VPN)-ACL\n";
    assert_eq!(detect(text), Some(Platform::Ios));
    // Debug output with the same words stays a log.
    let log = "ISAKMP-PROFILE: nothing\nIKEv2-PROFILE:(SESSION ID = 1):Sending packet\nISAKMP:(1001): sending packet\n";
    assert_eq!(detect(log), None);
}
