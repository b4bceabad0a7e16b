//! Configurations pasted as the commands someone typed: nothing indented,
//! `exit` between modes, `conf t` at the top, `int` and `ip add`
//! abbreviated. The CLI puts each sub-command into the mode the command
//! above entered; so does the reader, and the pair negotiates as if it
//! were two running configurations.

use ipsec_doctor_model::config::{DeviceConfig, IkeEncryption, IkeHash, Platform};
use ipsec_doctor_model::Code;

/// IOS 15 branch, typed in a console session.
const BRANCH: &str = "conf t
hostname BRANCH-7
int Gi0/1
ip add 198.18.7.2 255.255.255.252
no shutdown
crypto map TO-DC
exit
interface GigabitEthernet0/2
ip address 10.77.0.1 255.255.0.0
exit
crypto isakmp policy 20
encr aes 256
hash sha256
authentication pre-share
group 14
exit
crypto isakmp key Typed-Key-9 address 198.18.9.1
crypto ipsec transform-set T256 esp-aes 256 esp-sha256-hmac
mode tunnel
exit
ip access-list extended DC-TRAFFIC
permit ip 10.77.0.0 0.0.255.255 172.30.0.0 0.0.255.255
exit
crypto map TO-DC 10 ipsec-isakmp
set peer 198.18.9.1
set transform-set T256
match address DC-TRAFFIC
exit
ip route 0.0.0.0 0.0.0.0 198.18.7.1
end
";

/// ASA 9 head-end, typed the same way.
const DC: &str = "configure terminal
hostname dc-fw
interface GigabitEthernet0/0
nameif outside
security-level 0
ip address 198.18.9.1 255.255.255.0
exit
interface GigabitEthernet0/1
nameif inside
security-level 100
ip address 172.30.0.1 255.255.0.0
exit
crypto ikev1 policy 5
authentication pre-share
encryption aes-256
hash sha256
group 14
lifetime 86400
exit
crypto ikev1 enable outside
tunnel-group 198.18.7.2 type ipsec-l2l
tunnel-group 198.18.7.2 ipsec-attributes
ikev1 pre-shared-key Typed-Key-9
exit
crypto ipsec ikev1 transform-set T256 esp-aes-256 esp-sha256-hmac
access-list BR7 extended permit ip 172.30.0.0 255.255.0.0 10.77.0.0 255.255.0.0
crypto map OUT 30 match address BR7
crypto map OUT 30 set peer 198.18.7.2
crypto map OUT 30 set ikev1 transform-set T256
crypto map OUT interface outside
route outside 0.0.0.0 0.0.0.0 198.18.9.254
";

fn parse(name: &str, text: &str) -> DeviceConfig {
    assert!(ipsec_doctor_config::looks_like_config(text), "{name}");
    ipsec_doctor_config::parse(name, text)
}

#[test]
fn typed_sub_commands_join_their_mode() {
    let br = parse("branch.cfg", BRANCH);
    assert_eq!(br.platform, Platform::Ios);
    assert!(br.skipped == 0, "skipped {}", br.skipped);
    let p = br.ike_policies.iter().find(|p| p.priority == 20).unwrap();
    assert_eq!(p.encryption, IkeEncryption::Aes256);
    assert_eq!(p.hash, IkeHash::Sha256);
    assert_eq!(p.group, 14);
    let gi1 = br.interfaces.iter().find(|i| i.name == "Gi0/1").unwrap();
    assert_eq!(
        gi1.address.map(|a| a.0.to_string()).as_deref(),
        Some("198.18.7.2")
    );
    assert_eq!(gi1.crypto_map.as_deref(), Some("TO-DC"));
    let e = &br.crypto_maps[0];
    assert_eq!(e.peers.len(), 1);
    assert!(e.acl.is_some());

    let dc = parse("dc.cfg", DC);
    assert_eq!(dc.platform, Platform::Asa);
    assert!(dc.skipped == 0, "skipped {}", dc.skipped);
    let outside = dc
        .interfaces
        .iter()
        .find(|i| i.name == "GigabitEthernet0/0")
        .unwrap();
    assert_eq!(outside.nameif.as_deref(), Some("outside"));
}

#[test]
fn a_typed_pair_comes_up() {
    let configs = vec![parse("branch.cfg", BRANCH), parse("dc.cfg", DC)];
    for t in ipsec_doctor_sim::simulate(&configs) {
        for o in [Some(t.forward), t.reverse].into_iter().flatten() {
            assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
        }
    }
}

#[test]
fn a_global_command_after_a_mode_is_not_swallowed() {
    // `ip route` after an interface, `crypto map … interface` after a map
    // entry, PIX's flat `interface ethernet0 auto` + `ip address outside`.
    let text = "hostname r\ninterface Gi0/0\nip address 192.0.2.1 255.255.255.0\nip route 0.0.0.0 0.0.0.0 192.0.2.254\n";
    let c = parse("r.cfg", text);
    assert_eq!(c.routes.len(), 1);
    let pix = "PIX Version 6.3(5)\ninterface ethernet0 auto\nip address outside 192.0.2.1 255.255.255.0\nnameif ethernet0 outside security0\n";
    let c = parse("pix.cfg", pix);
    assert_eq!(c.platform, Platform::Pix);
    assert!(
        c.interfaces.iter().any(|i| i.address.is_some()),
        "{:?}",
        c.interfaces
    );
}

/// A PIX 6.3 session written up in a document: every line indented by a
/// tab, the commands one more under `conf t`, `wr mem` after each part,
/// ISAKMP attributes abbreviated as typed (`encrypt`).
const PIX_SESSION: &str = "\tPIX Version 6.3(5)
\tconf t
\t hostname pix-east
\t interface ethernet0 auto
\t interface ethernet1 auto
\t nameif ethernet0 outside security0
\t nameif ethernet1 inside security100
\t ip address outside 192.0.2.40 255.255.255.0
\t ip address inside 10.40.0.1 255.255.0.0
\t route outside 0.0.0.0 0.0.0.0 192.0.2.1
\t exit
\twr mem
\tconf t
\t isakmp key Session-Key-5 address 198.51.100.50 netmask 255.255.255.255
\t isakmp policy 10 encrypt aes-256
\t isakmp policy 10 hash sha
\t isakmp policy 10 auth pre-share
\t isakmp policy 10 group 14
\t isakmp enable outside
\t access-list 120 permit ip 10.40.0.0 255.255.0.0 10.50.0.0 255.255.0.0
\t nat (inside) 0 access-list 120
\t crypto ipsec transform-set T256 esp-aes-256 esp-sha-hmac
\t crypto map VPN 10 ipsec-isakmp
\t crypto map VPN 10 match address 120
\t crypto map VPN 10 set peer 198.51.100.50
\t crypto map VPN 10 set transform-set T256
\t crypto map VPN interface outside
\t sysopt connection permit-ipsec
\t exit
\twr mem
";

/// Its IOS peer, a running configuration.
const IOS_WEST: &str = "hostname west
interface GigabitEthernet0/0
 ip address 198.51.100.50 255.255.255.0
 crypto map VPN
interface GigabitEthernet0/1
 ip address 10.50.0.1 255.255.0.0
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key Session-Key-5 address 192.0.2.40
crypto ipsec transform-set T256 esp-aes 256 esp-sha-hmac
access-list 120 permit ip 10.50.0.0 0.0.255.255 10.40.0.0 0.0.255.255
crypto map VPN 10 ipsec-isakmp
 set peer 192.0.2.40
 set transform-set T256
 match address 120
ip route 0.0.0.0 0.0.0.0 198.51.100.1
";

#[test]
fn a_written_up_session_indented_under_conf_t_is_a_configuration() {
    let pix = parse("east.txt", PIX_SESSION);
    assert_eq!(pix.platform, Platform::Pix);
    assert_eq!(pix.hostname.as_deref(), Some("pix-east"));
    assert_eq!(pix.skipped, 0, "{pix:?}");
    let p = pix.ike_policies.iter().find(|p| p.priority == 10).unwrap();
    assert_eq!(p.encryption, IkeEncryption::Aes256);
    let configs = vec![pix, parse("west.cfg", IOS_WEST)];
    let all: Vec<_> = ipsec_doctor_sim::simulate(&configs)
        .into_iter()
        .flat_map(|t| [Some(t.forward), t.reverse])
        .flatten()
        .collect();
    assert_eq!(all.len(), 2);
    for o in &all {
        assert_eq!(o.code, Code::TunnelUp, "{}", o.detail);
    }
}

#[test]
fn weak_crypto_on_a_pix_is_fixed_in_pix_syntax() {
    let text = PIX_SESSION.replace("encrypt aes-256", "encryption 3des");
    let pix = parse("east.txt", &text);
    let f = ipsec_doctor_sim::check(&pix);
    let weak = f.iter().find(|f| f.code == Code::WeakCrypto).unwrap();
    let fix = &weak.fixes[0];
    assert_eq!(fix.commands[0], "isakmp policy 10 encryption aes-256");
    assert!(fix.commands.iter().all(|c| !c.starts_with("crypto ikev1")));
    assert!(fix.why.contains("group 5"), "{}", fix.why);
}
