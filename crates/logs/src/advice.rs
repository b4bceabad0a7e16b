//! What each root cause means for this tunnel, and the commands that fix
//! it on the right device. Placeholders the logs cannot know are written
//! in angle brackets.

use crate::header::Vendor;
use ipsec_doctor_model::{Code, Fix};

/// What the advice can use about the tunnel.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    /// Logging device name, or a description of it.
    pub device: String,
    /// Vendor of the logging device.
    pub vendor: Option<Vendor>,
    /// Remote peer address.
    pub peer: Option<String>,
    /// Local address.
    pub local: Option<String>,
    /// Attribute named by a phase-1 mismatch.
    pub attr: Option<String>,
    /// The evidence came from the device that lacks the key (true), or the
    /// key is missing on the peer (false: INVALID_COOKIE / MM_WAIT_MSG4).
    pub key_missing_here: bool,
    /// Captured details (proxies, received/configured values).
    pub detail: Vec<(String, String)>,
    /// The negotiation is IKEv2: the fixes are `crypto ikev2` ones.
    pub ikev2: bool,
    /// IKEv2: IKE_SA_INIT completed (its response was seen), so what went
    /// unanswered was IKE_AUTH.
    pub v2_init_done: bool,
}

impl Ctx {
    fn peer(&self) -> String {
        self.peer
            .clone()
            .unwrap_or_else(|| "<peer-address>".to_string())
    }
    fn local(&self) -> String {
        self.local
            .clone()
            .unwrap_or_else(|| "<this-device's-address>".to_string())
    }
    fn peer_device(&self) -> String {
        match &self.peer {
            Some(p) => format!("the peer {p}"),
            None => "the peer".to_string(),
        }
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.detail
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    /// The message named a certificate (a `cert` capture).
    fn cert_named(&self) -> bool {
        self.get("cert").is_some()
    }
    fn is_asa(&self) -> bool {
        matches!(self.vendor, Some(Vendor::Asa))
    }
    fn is_pix(&self) -> bool {
        matches!(self.vendor, Some(Vendor::Pix))
    }
}

fn fix(device: String, why: &str, commands: &[&str]) -> Fix {
    Fix {
        device,
        why: why.to_string(),
        commands: commands.iter().map(|s| s.to_string()).collect(),
    }
}

fn fix_owned(device: String, why: &str, commands: Vec<String>) -> Fix {
    Fix {
        device,
        why: why.to_string(),
        commands,
    }
}

fn key_commands(vendor_asa: bool, vendor_pix: bool, address: &str) -> Vec<String> {
    if vendor_asa {
        vec![
            format!("tunnel-group {address} type ipsec-l2l"),
            format!("tunnel-group {address} ipsec-attributes"),
            " ikev1 pre-shared-key <pre-shared-key>".to_string(),
        ]
    } else if vendor_pix {
        vec![format!(
            "isakmp key <pre-shared-key> address {address} netmask 255.255.255.255"
        )]
    } else {
        vec![format!(
            "crypto isakmp key <pre-shared-key> address {address}"
        )]
    }
}

/// Converts `a.b.c.d/m.m.m.m/p/port` (a proxy) to `address mask`, ASA style
/// (`any4` for 0.0.0.0/0), and IOS style with a wildcard.
fn proxy_net(proxy: &str) -> Option<(String, String)> {
    let mut parts = proxy.split('/');
    let addr = parts.next()?;
    let mask = parts.next().unwrap_or("255.255.255.255");
    let m = crate::transcript::ipv4(mask)?;
    crate::transcript::ipv4(addr)?;
    if addr == "0.0.0.0" && mask == "0.0.0.0" {
        return Some(("any4".to_string(), "any".to_string()));
    }
    let wc = std::net::Ipv4Addr::from(!m);
    if m == u32::MAX {
        return Some((format!("host {addr}"), format!("host {addr}")));
    }
    Some((format!("{addr} {mask}"), format!("{addr} {wc}")))
}

/// Explanation and fixes for `code` on this tunnel.
pub fn advise(code: Code, c: &Ctx) -> (String, Vec<Fix>) {
    if c.ikev2 {
        if let Some(a) = advise_ikev2(code, c) {
            return a;
        }
    }
    let here = c.device.clone();
    let peer = c.peer();
    let there = c.peer_device();
    match code {
        Code::TunnelUp => (
            "Both phases completed: the ISAKMP SA is up and IPsec SAs were created.".to_string(),
            Vec::new(),
        ),
        // A certificate missing (no router certificate, no trustpoint):
        // "no key or certificate", fixed with certificates.
        Code::PskMissing if c.cert_named() => certificate_advice(c),
        Code::PskMissing if !c.key_missing_here => (
            format!("{there} dropped our ISAKMP SA after the proposal exchange and answers with INVALID_COOKIE (or never answers MM3): it has no pre-shared key for the address {here} negotiates from. Usually its tunnel-group / key points at a wrong peer address, or NAT changes our address on the way."),
            vec![
                fix_owned(there.clone(), "the responder must have a key for the initiator's public address", {
                    let mut v = vec![format!("! ASA/PIX 7+ (or IOS: crypto isakmp key <pre-shared-key> address {})", c.local())];
                    v.extend(key_commands(true, false, &c.local()));
                    v
                }),
                fix(here, "confirm which address the peer sees", &["show nat detail | include <this-device's-outside-address>", "show crypto isakmp sa"]),
            ],
        ),
        Code::PskMissing => (
            format!("{here} has no pre-shared key (and no certificate) for {peer}, so main mode cannot proceed. Either the key was never configured, it is configured for another address, or it sits in a keyring of another VRF."),
            vec![fix_owned(here, "the key must exist on the device that looks it up", key_commands(c.is_asa(), c.is_pix(), &peer))],
        ),
        Code::PskMismatch => (
            format!("The pre-shared keys of {here} and {there} differ: the encrypted main-mode messages (MM5/MM6) decrypt to garbage or their hash does not verify. Re-enter the same key on both ends (watch for trailing spaces, and for a key configured for another address)."),
            vec![
                fix_owned(here.clone(), "re-enter the key", key_commands(c.is_asa(), c.is_pix(), &peer)),
                fix_owned(there.clone(), "the same key on the other end", {
                    let mut v = vec!["! IOS peer:".to_string(), format!("crypto isakmp key <pre-shared-key> address {}", c.local()), "! ASA peer:".to_string()];
                    v.extend(key_commands(true, false, &c.local()));
                    v
                }),
            ],
        ),
        Code::Phase1PolicyMismatch => {
            let attr = c.attr.as_deref().map(|a| a.to_ascii_lowercase());
            let what = match &attr {
                Some(a) => format!(" The attribute that differs: {a}."),
                None => String::new(),
            };
            let rcv = match (c.get("rcv"), c.get("cfg")) {
                (Some(r), Some(g)) => format!(" Received {r}, configured {g}."),
                _ => String::new(),
            };
            (
                format!("No ISAKMP policy of the responder matches any proposal of the initiator (encryption, hash, authentication method, DH group; the responder's lifetime must be at least the initiator's). Each side tries all its policies, then the default policy 65535.{what}{rcv}"),
                vec![
                    fix(here.clone(), "compare the policies of both ends", &["show crypto isakmp policy"]),
                    fix_owned(format!("{here} and {there}"), "one policy with identical attributes on both ends", if c.is_asa() {
                        vec!["crypto ikev1 policy 10".into(), " authentication pre-share".into(), " encryption aes-256".into(), " hash sha".into(), " group 14".into(), " lifetime 86400".into(), "! IOS peer: crypto isakmp policy 10 / encryption aes 256 / hash sha / authentication pre-share / group 14".into()]
                    } else {
                        vec!["crypto isakmp policy 10".into(), " encryption aes 256".into(), " hash sha".into(), " authentication pre-share".into(), " group 14".into(), " lifetime 86400".into(), "! ASA peer: crypto ikev1 policy 10 / encryption aes-256 / hash sha / authentication pre-share / group 14".into()]
                    }),
                ],
            )
        }
        Code::PeerUnreachable => (
            format!("{here} sent its IKE message to {peer} and got no answer (retransmissions, then the SA was dropped). UDP 500/4500 may be filtered in the path, the peer address may be wrong, there may be no route, or the peer has no crypto map / IKE enabled on the interface it is reached on."),
            vec![
                fix_owned(here.clone(), "check reachability from the crypto interface", vec![format!("ping {peer} source <outside-interface>"), format!("show ip route {peer}")]),
                fix_owned("the firewalls and ACLs in the path".to_string(), "IKE and ESP must pass both ways", vec![
                    format!("permit udp host {peer} host {} eq isakmp", c.local()),
                    format!("permit udp host {peer} host {} eq non500-isakmp", c.local()),
                    format!("permit esp host {peer} host {}", c.local()),
                ]),
                fix(there, "IKE must be enabled and a crypto map applied on the interface facing us", &["! ASA: crypto ikev1 enable outside / crypto map <map> interface outside", "! IOS: interface <outside-interface> / crypto map <map>"]),
            ],
        ),
        Code::InvalidLocalAddress => (
            format!("The peer addressed its IPsec proposal to an address of {here} that carries no crypto map. Either the crypto map is applied to another interface (or to none), or `crypto map <map> local-address <interface>` forces an identity the peer does not use."),
            vec![fix(here, "terminate the tunnel on the address the peer uses", &["show crypto map", "interface <interface-owning-that-address>", " crypto map <map>", "! or remove a wrong forced identity: no crypto map <map> local-address <interface>"])],
        ),
        Code::CryptoMapMissing => (
            format!("{here} has no complete crypto map entry for this traffic or peer (missing `match address`, `set peer` or transform set, or the map is not applied to the interface)."),
            vec![fix_owned(here, "complete the crypto map entry and apply it", if c.is_asa() {
                vec!["crypto map <map> <seq> match address <crypto-acl>".into(), format!("crypto map <map> <seq> set peer {peer}"), "crypto map <map> <seq> set ikev1 transform-set <transform-set>".into(), "crypto map <map> interface outside".into()]
            } else {
                vec!["crypto map <map> <seq> ipsec-isakmp".into(), format!(" set peer {peer}"), " set transform-set <transform-set>".into(), " match address <crypto-acl>".into(), "interface <outside-interface>".into(), " crypto map <map>".into()]
            })],
        ),
        Code::ProxyIdMismatch => {
            let mut cmds = Vec::new();
            let mut extra = String::new();
            if let (Some(r), Some(l)) = (c.get("remote_proxy"), c.get("local_proxy")) {
                extra = format!(" The peer proposed local {l} and remote {r} (from its point of view: its own network is {r}).");
                if let (Some((la, li)), Some((ra, ri))) = (proxy_net(l), proxy_net(r)) {
                    if c.is_asa() {
                        cmds.push(format!("access-list <crypto-acl> extended permit ip {la} {ra}"));
                    } else {
                        cmds.push("ip access-list extended <crypto-acl>".to_string());
                        cmds.push(format!(" permit ip {li} {ri}"));
                    }
                }
            }
            if cmds.is_empty() {
                if c.is_asa() {
                    cmds.push("access-list <crypto-acl> extended permit ip <local-net> <mask> <remote-net> <mask>".into());
                } else {
                    cmds.push("ip access-list extended <crypto-acl>".into());
                    cmds.push(" permit ip <local-net> <wildcard> <remote-net> <wildcard>".into());
                }
            }
            (
                format!("The proxy identities (the networks each crypto ACL protects) are not mirror images: the responder has no crypto map entry for this peer whose ACL covers the networks the initiator proposes. Host vs network, a different mask, a missing line, or a route-based peer proposing any/any all cause this.{extra}"),
                vec![
                    fix(here.clone(), "compare the crypto ACLs of both ends", &["show crypto map", "show access-lists <crypto-acl>"]),
                    fix_owned(format!("{here} (and the mirror on {there})"), "each side's crypto ACL must be the exact mirror of the other's", cmds),
                ],
            )
        }
        // The refused proposal is named (IOS `transform proposal not
        // supported for identity: {esp-aes 256 esp-sha512-hmac }`): the
        // transform set to add is that one, in the mode it was offered in.
        Code::TransformSetMismatch if c.get("offered").is_some_and(|o| !o.trim().is_empty()) && !c.is_asa() => {
            let offered = c.get("offered").unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
            let mode = match c.get("encaps") {
                Some("transport") => "transport",
                Some("tunnel") => "tunnel",
                _ => "<tunnel|transport, as the peer offers>",
            };
            let shown_mode = if mode.starts_with('<') { String::new() } else { format!(" in {mode} mode") };
            (
                format!("The peer {peer} proposed {offered}{shown_mode} for phase 2. No transform set of the crypto map entry (or dynamic map) that matched the peer holds that combination, so {here} refused the quick mode. Add the proposal to that entry's transform sets, or make the peer offer one of them."),
                vec![
                    fix(here.clone(), "compare the transform sets", &["show crypto ipsec transform-set", "show crypto map", "show crypto dynamic-map"]),
                    fix_owned(here.clone(), "accept what the peer proposes", vec![
                        format!("crypto ipsec transform-set TS-PEER {offered}"),
                        format!(" mode {mode}"),
                        "crypto map <map> <seq> ipsec-isakmp".into(),
                        " set transform-set TS-PEER <the transform sets already there>".into(),
                        "! a dynamic map instead: crypto dynamic-map <dynamic-map> <seq> / set transform-set TS-PEER <the transform sets already there>".into(),
                    ].into_iter().chain(weak_transform(&offered).then(|| "! DES, 3DES and MD5 are weak: better make the peer offer AES with SHA-256 or stronger".to_string())).collect()),
                ],
            )
        }
        Code::TransformSetMismatch => (
            "No phase-2 transform set of the responder matches the initiator's proposal (ESP cipher and key length, HMAC, AH vs ESP, tunnel vs transport mode).".to_string(),
            vec![
                fix(here.clone(), "compare the transform sets", &["show crypto ipsec transform-set", "show crypto map"]),
                fix_owned(format!("{here} and {there}"), "one identical transform set on both ends", if c.is_asa() {
                    vec!["crypto ipsec ikev1 transform-set TS-AES256-SHA esp-aes-256 esp-sha-hmac".into(), "crypto map <map> <seq> set ikev1 transform-set TS-AES256-SHA".into(), "! IOS peer: crypto ipsec transform-set TS-AES256-SHA esp-aes 256 esp-sha-hmac / mode tunnel".into()]
                } else {
                    vec!["crypto ipsec transform-set TS-AES256-SHA esp-aes 256 esp-sha-hmac".into(), " mode tunnel".into(), "crypto map <map> <seq> ipsec-isakmp".into(), " set transform-set TS-AES256-SHA".into(), "! ASA peer: crypto ipsec ikev1 transform-set TS-AES256-SHA esp-aes-256 esp-sha-hmac".into()]
                }),
            ],
        ),
        Code::PfsMismatch => (
            "Perfect forward secrecy is set on one end only, or with different DH groups, so the responder refuses the quick mode.".to_string(),
            vec![
                fix(format!("{here} and {there}"), "compare PFS on both crypto map entries", &["show crypto map | include PFS|Transform|Extended IP"]),
                fix_owned(format!("{here} and {there}"), "the same PFS group on both ends, or none on both", if c.is_asa() {
                    vec!["crypto map <map> <seq> set pfs group14".into(), "! or on both: no crypto map <map> <seq> set pfs".into(), "! IOS peer: crypto map <map> <seq> ipsec-isakmp / set pfs group14".into()]
                } else {
                    vec!["crypto map <map> <seq> ipsec-isakmp".into(), " set pfs group14".into(), "! or on both: no set pfs".into(), "! ASA peer: crypto map <map> <seq> set pfs group14".into()]
                }),
            ],
        ),
        Code::PeerAddressMismatch => (
            format!("The address {peer} negotiates from is not the one configured for it (crypto map `set peer`, tunnel-group name, or key address). NAT in front of the peer or a second WAN link are the usual reasons."),
            vec![fix_owned(here, "point the configuration at the address the peer really uses", if c.is_asa() {
                vec![format!("crypto map <map> <seq> set peer {peer}"), format!("tunnel-group {peer} type ipsec-l2l"), format!("tunnel-group {peer} ipsec-attributes"), " ikev1 pre-shared-key <pre-shared-key>".into()]
            } else {
                vec!["crypto map <map> <seq> ipsec-isakmp".into(), format!(" set peer {peer}"), format!("crypto isakmp key <pre-shared-key> address {peer}")]
            })],
        ),
        Code::CryptoMapOrder => (
            format!("{here} matched the proposal against its crypto map entries by ACL, not by peer: an earlier, broader entry (a network that contains the proposed hosts) belongs to another peer, so {peer} is not found there. Crypto map entries are evaluated in sequence order."),
            vec![fix(here, "the specific entry must come before the broader one", &["show crypto map", "! re-create the specific (host-to-host) entry with a lower sequence number than the broader entry:", "crypto map <map> <lower-seq> ipsec-isakmp", " set peer <peer>", " set transform-set <transform-set>", " match address <specific-acl>"])],
        ),
        Code::CryptoAclOverlap => (
            "Crypto ACLs of different crypto map entries overlap, so a negotiation for the same proxies is already in progress with another peer.".to_string(),
            vec![fix(here, "make each peer's protected networks unique", &["show crypto map", "show access-lists"])],
        ),
        Code::CryptoAclInvalid => {
            let d = c.get("acl").unwrap_or("");
            (
                format!("An access-list entry on {here} has a subnet mask where IOS expects a wildcard ({d}). IOS zeroed the address bits under the mask, so the entry matches almost nothing real and no interesting traffic ever triggers the tunnel."),
                vec![fix(here, "IOS ACLs take wildcards: the inverse of the mask (255.255.255.0 -> 0.0.0.255)", &["ip access-list extended <crypto-acl>", " no <sequence-of-the-bad-entry>", " permit ip <local-net> 0.0.0.255 <remote-net> 0.0.0.255"])],
            )
        }
        Code::AclReused => (
            "The same ACL serves NAT exemption and crypto; use two ACLs even when they list the same traffic.".to_string(),
            vec![fix(here, "separate the ACLs", &["show running-config | include access-list|match address|nat"])],
        ),
        Code::NatExemptionMissing => (
            "VPN traffic is translated before encryption, so it no longer matches the crypto ACL.".to_string(),
            vec![fix(here, "exempt VPN traffic from NAT", &["! IOS: ip access-list extended NAT / deny ip <local-net> <wc> <remote-net> <wc> / permit ip <local-net> <wc> any", "! ASA 8.3+: nat (inside,outside) source static <local-obj> <local-obj> destination static <remote-obj> <remote-obj> no-proxy-arp route-lookup"])],
        ),
        Code::RouteMissing => (
            "Traffic for the tunnel is not routed where it must go: without a route to the remote protected network via the crypto interface (or back to the client pool), packets are sent elsewhere and never enter the tunnel.".to_string(),
            vec![fix(here, "the route that fixed it (keep it in the saved configuration)", &["show ip route", "write memory"])],
        ),
        Code::SplitTunnel => ("Remote-access clients tunnel all traffic, or the split-tunnel ACL is wrong.".to_string(), vec![fix(here, "configure split tunnelling", &["! IOS: crypto isakmp client configuration group <g> / acl <split-acl>", "! PIX: vpngroup <g> split-tunnel <acl>"])]),
        Code::SysoptPermitIpsecMissing => ("The PIX/ASA drops decrypted traffic because it is not permitted past the interface ACL.".to_string(), vec![fix(here, "let decrypted traffic bypass the interface ACL", &["! PIX: sysopt connection permit-ipsec", "! ASA: sysopt connection permit-vpn"])]),
        Code::MtuFragmentation => (
            "Packets exceed the path MTU once IPsec overhead is added; fragments are dropped or reordered.".to_string(),
            vec![fix(here, "keep packets small enough before encryption", &["interface <inside-interface>", " ip tcp adjust-mss 1360", "crypto ipsec df-bit clear"])],
        ),
        Code::ReplayReordering => (
            "ESP packets arrive out of order beyond the anti-replay window (64 packets by default on IOS) and are dropped. Reordering in the path (parallel links, QoS after encryption, late reassembly of fragments) is the usual cause, not an attack.".to_string(),
            vec![fix(here, "widen the replay window and avoid fragmentation", &["crypto ipsec security-association replay window-size 1024", "interface <inside-interface>", " ip tcp adjust-mss 1360", "! if QoS reorders after encryption: qos pre-classify on the tunnel/crypto map"])],
        ),
        Code::InvalidSpi => (
            format!("ESP arrives for an SA {here} does not have: SAs were cleared or a device reloaded on one side only, or lifetimes aged differently. It recovers when the sender renegotiates; dead peer detection and invalid-SPI recovery make that quick."),
            vec![fix_owned(here, "let the peers notice lost SAs", if c.is_asa() {
                vec![format!("tunnel-group {peer} ipsec-attributes"), " isakmp keepalive threshold 10 retry 3".into(), format!("clear crypto ipsec sa peer {peer}")]
            } else {
                vec!["crypto isakmp keepalive 10 3 periodic".into(), "crypto isakmp invalid-spi-recovery".into(), format!("clear crypto sa peer {peer}")]
            })],
        ),
        Code::HmacFailure => (
            "ESP packets fail their integrity check: they were altered after the peer encrypted them (carrier or middlebox corruption), or a crypto engine or rekey defect corrupts them. A rare occurrence is harmless; a steady rate is not.".to_string(),
            vec![fix_owned(here, "find where packets change", vec![format!("show crypto ipsec sa peer {peer} | include verify|recv errors"), "! capture ESP on both ends (monitor capture / capture) and compare".into(), "! test without the hardware accelerator; upgrade if a known defect applies".into()])],
        ),
        Code::CryptoEngineUnsupported => (
            format!("{here} has no crypto engine able to terminate the tunnel: Catalyst 6500 / 7600 routers do no software IPsec and need an IPsec SPA or VPN service module."),
            vec![fix(here, "check for an IPsec-capable module", &["show crypto engine brief", "show module", "! install an IPsec SPA / VPN SPA and bind the crypto map to it, or terminate the tunnel on another device"])],
        ),
        Code::OneWayTraffic => (
            format!("{here} encrypts packets toward {peer} but nothing comes back decrypted (or the reverse). The tunnel itself is up; the other direction fails: check on {there} the route back to our protected network, its NAT exemption, its crypto ACL, and whether ESP (or UDP 4500) is filtered on the way back."),
            vec![
                fix_owned(there.clone(), "the return direction starts at the peer", vec!["show crypto ipsec sa".into(), "show ip route <our-protected-network>".into(), "show running-config | include nat|access-list".into()]),
                fix_owned(here, "watch the counters while testing", vec![format!("show crypto ipsec sa peer {peer} | include encaps|decaps")]),
            ],
        ),
        Code::WeakCrypto => (
            "Weak algorithms (DES, 3DES, MD5, or DH group 1/2/5) are configured or offered; newer images refuse them and they no longer protect traffic adequately.".to_string(),
            vec![fix(here, "use current algorithms on both ends", &["crypto isakmp policy 10", " encryption aes 256", " hash sha256", " authentication pre-share", " group 14", "no crypto isakmp default policy"])],
        ),
        Code::XauthFailed => ("The remote-access user's credentials or group authorisation were rejected.".to_string(), vec![fix(here, "check the user and the AAA server", &["test aaa-server authentication <server> host <ip> username <user> password <password>"])]),
        Code::AddressPoolExhausted => ("No address could be assigned to the remote-access client.".to_string(), vec![fix(here, "extend or assign the pool", &["ip local pool <pool> <first>-<last> mask <mask>", "tunnel-group <group> general-attributes", " address-pool <pool>"])]),
        Code::TunnelLimit => ("The device refuses more IKE negotiations or tunnels (license or platform limit, or a flood of attempts).".to_string(), vec![fix(here, "check limits and the source of the attempts", &["show vpn-sessiondb summary", "show crypto isakmp stats"])]),
        Code::CertificateInvalid => certificate_advice(c),
    }
}

/// A transform (IOS names) with DES, 3DES or MD5.
fn weak_transform(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    t.split_whitespace()
        .any(|w| w == "esp-des" || w == "esp-3des" || w.contains("md5"))
}

/// Certificate authentication that fails: the checks and fixes on the
/// device that logged it, and the HTTP-URL case of an IOS peer.
fn certificate_advice(c: &Ctx) -> (String, Vec<Fix>) {
    let here = c.device.clone();
    let peer = c.peer();
    let asa = c.is_asa();
    if c.get("cert")
        .is_some_and(|v| v.to_ascii_lowercase().contains("http"))
    {
        return (
            format!("The peer {peer} asked to send its certificate as an HTTP URL (hash and URL encoding) but {here} never announced HTTP_LOOKUP_SUPPORTED, or cannot use that encoding: IKE_AUTH fails. IOS routers send HTTP-URL certificates by default when the peer's CA allows it; ASA releases without the fix for CSCul48246 cannot take them."),
            vec![
                fix(c.peer_device(), "on the IOS router: send certificates inline", &["no crypto ikev2 http-url cert"]),
                fix(here, "or upgrade this ASA to a release with the fix for CSCul48246", &["show version"]),
            ],
        );
    }
    let checks: &[&str] = if asa {
        &[
            "show crypto ca certificates",
            "show clock",
            "show running-config crypto ca trustpoint",
            "show running-config tunnel-group",
        ]
    } else {
        &[
            "show crypto pki certificates",
            "show clock detail",
            "show crypto pki trustpoints status",
        ]
    };
    let repair: Vec<String> = if asa {
        let mut v = vec![
            "! a trustpoint with this device's identity certificate, bound to the tunnel".into(),
            format!("tunnel-group {peer} ipsec-attributes"),
        ];
        if c.ikev2 {
            v.push(" ikev2 local-authentication certificate <trustpoint>".into());
            v.push(" ikev2 remote-authentication certificate".into());
            v.push("crypto map <map> <seq> set trustpoint <trustpoint>".into());
        } else {
            v.push(" ikev1 trust-point <trustpoint>".into());
        }
        v.extend([
            "crypto ca authenticate <trustpoint>".into(),
            "crypto ca enroll <trustpoint>".into(),
            "ntp server <ntp-server>".into(),
        ]);
        v
    } else {
        vec![
            "crypto pki trustpoint <trustpoint>".into(),
            " revocation-check none".into(),
            "! (or make the CRL reachable instead of turning the check off)".into(),
            "crypto pki authenticate <trustpoint>".into(),
            "crypto pki enroll <trustpoint>".into(),
            "ntp server <ntp-server>".into(),
        ]
    };
    let mut fixes = vec![
        fix(here.clone(), "check the certificates, the trustpoints and the clock", checks),
        fix_owned(here.clone(), "a valid identity certificate, the issuing CA trusted, and the clock right on both ends", repair),
    ];
    // No trustpoint holds the issuer of the peer's certificate: either the
    // CA is not authenticated here, or the peer leaves its intermediate CA
    // out (an ASA sends the chain only with `set trustpoint … chain`).
    let issuer_untrusted = c.detail.iter().any(|(k, v)| {
        let v = v.to_ascii_lowercase();
        k == "cert" && (v.contains("trust point") || v.contains("trustpoints"))
    });
    let mut expl = format!("Certificate authentication between {here} and {peer} fails: this end has no usable identity certificate, or the certificate it received is expired or not yet valid (often a wrong clock), signed by a CA it does not trust, or revoked or unverifiable because the CRL cannot be fetched. Pre-shared keys play no part here.");
    if issuer_untrusted {
        expl.push_str(&format!(" Here no trustpoint of {here} holds the issuer of {peer}'s certificate: its CA (or intermediate CA) is not authenticated on {here}, or {peer} sends its certificate without the intermediate CA."));
        fixes.push(fix(
            c.peer_device(),
            "send the whole certificate chain, intermediate CA included",
            &[
                "! ASA peer: crypto map <map> <seq> set trustpoint <trustpoint> chain",
                "! or authenticate the intermediate CA on this device: crypto pki authenticate <intermediate-trustpoint>",
            ],
        ));
    }
    (expl, fixes)
}

/// IOS-XE IKEv2 keyring and profile for `peer`, keys in both directions.
fn iosxe_ikev2_psk(peer: &str, local: &str) -> Vec<String> {
    vec![
        "crypto ikev2 keyring KR-IKEV2".into(),
        format!(" peer {peer}"),
        format!("  address {peer}"),
        "  pre-shared-key local <key-this-device-sends>".into(),
        "  pre-shared-key remote <key-the-peer-sends>".into(),
        "crypto ikev2 profile PROF-IKEV2".into(),
        format!(" match identity remote address {peer} 255.255.255.255"),
        format!(" identity local address {local}"),
        " authentication remote pre-share".into(),
        " authentication local pre-share".into(),
        " keyring local KR-IKEV2".into(),
        "crypto map <map> <seq> ipsec-isakmp".into(),
        " set ikev2-profile PROF-IKEV2".into(),
    ]
}

/// ASA IKEv2 keys for `peer` (tunnel-group named by its address), both
/// directions.
fn asa_ikev2_psk(peer: &str) -> Vec<String> {
    vec![
        format!("tunnel-group {peer} type ipsec-l2l"),
        format!("tunnel-group {peer} ipsec-attributes"),
        " ikev2 remote-authentication pre-shared-key <key-the-peer-sends>".into(),
        " ikev2 local-authentication pre-shared-key <key-this-device-sends>".into(),
    ]
}

/// The IKEv2 form of the advice, where it differs from IKEv1's: IKEv2 has
/// proposals and policies instead of ISAKMP policies, separate local and
/// remote keys, identities matched by profiles, and IPsec proposals on the
/// ASA. `None` where the IKEv1 advice holds as it is.
fn advise_ikev2(code: Code, c: &Ctx) -> Option<(String, Vec<Fix>)> {
    let here = c.device.clone();
    let peer = c.peer();
    let there = c.peer_device();
    let asa = c.is_asa();
    let both = format!("{here} and {there}");
    Some(match code {
        Code::Phase1PolicyMismatch => (
            "No IKEv2 proposal of the responder matches the initiator's IKE_SA_INIT offer (encryption, integrity, PRF, DH group). The responder answers NO_PROPOSAL_CHOSEN and IKE_SA_INIT fails; cloud and third-party peers often offer only DH group 14/19/20/24 or AES-GCM.".to_string(),
            vec![
                fix(here.clone(), "compare the IKEv2 proposals of both ends", if asa { &["show running-config crypto ikev2", "show crypto ikev2 sa detail"] } else { &["show crypto ikev2 proposal", "show crypto ikev2 policy"] }),
                fix_owned(both, "one IKEv2 proposal with identical algorithms on both ends", if asa {
                    vec!["crypto ikev2 policy 10".into(), " encryption aes-256".into(), " integrity sha256".into(), " group 14".into(), " prf sha256".into(), " lifetime seconds 86400".into(), "crypto ikev2 enable outside".into(), "! IOS-XE peer: crypto ikev2 proposal PROP-AES256 / encryption aes-cbc-256 / integrity sha256 / group 14, then crypto ikev2 policy POL-IKEV2 / proposal PROP-AES256".into()]
                } else {
                    vec!["crypto ikev2 proposal PROP-AES256".into(), " encryption aes-cbc-256".into(), " integrity sha256".into(), " group 14".into(), "crypto ikev2 policy POL-IKEV2".into(), " proposal PROP-AES256".into(), "! ASA peer: crypto ikev2 policy 10 / encryption aes-256 / integrity sha256 / group 14 / prf sha256 / lifetime seconds 86400".into()]
                }),
            ],
        ),
        Code::PskMismatch => (
            format!("IKE_AUTH failed: the AUTH payload did not verify. In IKEv2 each side signs with its own local key and checks the peer's with its remote key, so the key {here} sends must equal the key {there} expects, and the other way round (watch trailing spaces and a key configured for another address)."),
            vec![
                fix_owned(here.clone(), "set both IKEv2 keys for the peer", if asa { asa_ikev2_psk(&peer) } else { iosxe_ikev2_psk(&peer, &c.local()) }),
                fix_owned(there, "the mirror on the other end: its remote key is our local key and its local key our remote key", {
                    let mut v = vec!["! ASA peer:".to_string()];
                    v.extend(asa_ikev2_psk(&c.local()));
                    v.push("! IOS-XE peer:".to_string());
                    v.extend(iosxe_ikev2_psk(&c.local(), &peer));
                    v
                }),
            ],
        ),
        Code::PskMissing => (
            format!("{here} has no IKEv2 configuration for {peer}: no tunnel-group (ASA) or keyring peer / ikev2 profile (IOS-XE) matches the peer's address or identity, so there is no key to authenticate IKE_AUTH with. The entry may exist for another address (the peer is behind NAT) or in another VRF."),
            vec![fix_owned(here, "add the peer with both IKEv2 keys", if asa { asa_ikev2_psk(&peer) } else { iosxe_ikev2_psk(&peer, &c.local()) })],
        ),
        Code::PeerAddressMismatch => (
            format!("The identity {peer} sends in IKE_AUTH is not the one {here} expects for it: the peer sends an FQDN, a DN or a private address (behind NAT) while the configuration matches its public address, or the other way round."),
            vec![fix_owned(here, "match the identity the peer really sends, and send ours as an address", if asa {
                vec![format!("tunnel-group {peer} ipsec-attributes"), " peer-id-validate nocheck".into(), "! or make the peer send its address as its identity".into()]
            } else {
                vec!["crypto ikev2 profile PROF-IKEV2".into(), format!(" match identity remote address {peer} 255.255.255.255"), format!(" identity local address {}", c.local()), "! or match the identity the peer sends: match identity remote fqdn <name> / key-id <id>".into(), "show crypto ikev2 profile".into()]
            })],
        ),
        Code::ProxyIdMismatch => {
            let (mut expl, mut fixes) = advise(Code::ProxyIdMismatch, &Ctx { ikev2: false, ..c.clone() });
            expl = expl.replace("The proxy identities (the networks each crypto ACL protects)", "The IKEv2 traffic selectors (TSi/TSr: the networks each crypto ACL protects)");
            expl.push_str(" The responder answers TS_UNACCEPTABLE; a route-based peer (VTI) offering 0.0.0.0/0 needs a VTI on this end too.");
            fixes.push(fix(here, "for a route-based peer, terminate on a VTI instead", if asa { &["interface Tunnel1", " tunnel mode ipsec ipv4", " tunnel protection ipsec profile <ipsec-profile>"] } else { &["interface Tunnel1", " tunnel mode ipsec ipv4", " tunnel protection ipsec profile <ipsec-profile>", "crypto ipsec profile <ipsec-profile>", " set ikev2-profile PROF-IKEV2"] }));
            (expl, fixes)
        }
        Code::TransformSetMismatch => (
            "The child SA proposal (ESP encryption, integrity, mode) carried in IKE_AUTH or CREATE_CHILD_SA matches nothing on the responder, which answers NO_PROPOSAL_CHOSEN: the IKE SA may be up but no IPsec SA is.".to_string(),
            vec![
                fix(here.clone(), "compare the IPsec proposals", if asa { &["show running-config crypto ipsec", "show running-config crypto map"] } else { &["show crypto ipsec transform-set", "show crypto map"] }),
                fix_owned(both, "one identical IPsec proposal on both ends", if asa {
                    vec!["crypto ipsec ikev2 ipsec-proposal PROP-AES256".into(), " protocol esp encryption aes-256".into(), " protocol esp integrity sha-256".into(), "crypto map <map> <seq> set ikev2 ipsec-proposal PROP-AES256".into(), "! IOS-XE peer: crypto ipsec transform-set TS-AES256-SHA256 esp-aes 256 esp-sha256-hmac / mode tunnel".into()]
                } else {
                    vec!["crypto ipsec transform-set TS-AES256-SHA256 esp-aes 256 esp-sha256-hmac".into(), " mode tunnel".into(), "crypto map <map> <seq> ipsec-isakmp".into(), " set transform-set TS-AES256-SHA256".into(), " set ikev2-profile PROF-IKEV2".into(), "! on a tunnel interface (VTI) instead: crypto ipsec profile <ipsec-profile> / set transform-set TS-AES256-SHA256".into(), "! ASA peer: crypto ipsec ikev2 ipsec-proposal PROP-AES256 / protocol esp encryption aes-256 / protocol esp integrity sha-256".into()]
                }),
            ],
        ),
        Code::PfsMismatch => (
            "PFS is set on one end only, or with different DH groups. IKEv2 applies PFS to CREATE_CHILD_SA (rekeys and further child SAs), not to the first child SA, so the tunnel comes up and fails at the first rekey.".to_string(),
            vec![fix_owned(both, "the same PFS group on both ends, or none on both", if asa {
                vec!["crypto map <map> <seq> set pfs group14".into(), "! IOS-XE peer: crypto map <map> <seq> ipsec-isakmp / set pfs group14".into()]
            } else {
vec!["crypto map <map> <seq> ipsec-isakmp".into(), " set pfs group14".into(), "! on a tunnel interface (VTI) instead: crypto ipsec profile <ipsec-profile> / set pfs group14".into(), "! ASA peer: crypto map <map> <seq> set pfs group14".into()]
            })],
        ),
        Code::PeerUnreachable if c.v2_init_done => (
            format!(
                "IKE_SA_INIT completed — {peer} answers on UDP 500 — then IKE_AUTH got no answer. Usually: (1) NAT was \
                 detected in IKE_SA_INIT, so IKE_AUTH moved to UDP 4500, which is filtered in the path; (2) IKE_AUTH \
                 is large (certificates) and its IP fragments are dropped — IKEv2 fragmentation avoids them; (3) the \
                 peer drops our IKE_AUTH without a notify because nothing in its configuration matches our identity \
                 (no profile / keyring / tunnel-group for {}).",
                c.local()
            ),
            vec![
                fix_owned("the firewalls and ACLs in the path".to_string(), "NAT-T (UDP 4500) must pass both ways, and IP fragments", vec![
                    format!("permit udp host {peer} host {} eq non500-isakmp", c.local()),
                    format!("permit udp host {} host {peer} eq non500-isakmp", c.local()),
                ]),
                fix_owned(here.clone(), "let IKEv2 fragment its own messages", vec![
                    "crypto ikev2 fragmentation mtu 1360".into(),
                    if asa { "show crypto ikev2 sa detail".into() } else { "show crypto ikev2 sa detailed".into() },
                ]),
                fix_owned(there, "match our identity to a profile and key", vec![
                    format!("! IOS-XE: crypto ikev2 profile <profile> / match identity remote address {} 255.255.255.255 / authentication remote pre-share", c.local()),
                    format!("! ASA: tunnel-group {0} type ipsec-l2l / tunnel-group {0} ipsec-attributes / ikev2 remote-authentication pre-shared-key <pre-shared-key>", c.local()),
                ]),
            ],
        ),
        Code::PeerUnreachable => {
            let (expl, mut fixes) = advise(Code::PeerUnreachable, &Ctx { ikev2: false, ..c.clone() });
            if let Some(last) = fixes.last_mut() {
                last.why = "IKEv2 must be enabled and a crypto map (or VTI) applied on the interface facing us".to_string();
                last.commands = vec!["! ASA: crypto ikev2 enable outside / crypto map <map> interface outside".into(), "! IOS-XE: interface <outside-interface> / crypto map <map> (with set ikev2-profile)".into()];
            }
            (expl.replace("IKE message", "IKE_SA_INIT request"), fixes)
        }
        Code::InvalidSpi if !asa => {
            let (expl, _) = advise(Code::InvalidSpi, &Ctx { ikev2: false, ..c.clone() });
            (expl, vec![fix_owned(here, "let the peers notice lost SAs", vec!["crypto ikev2 dpd 10 3 periodic".into(), format!("clear crypto sa peer {peer}")])])
        }
        Code::CryptoMapMissing => (
            format!("{here} has no complete crypto map entry for this traffic or peer (missing `match address`, `set peer`, IKEv2 proposal or profile, or the map is not applied to the interface)."),
            vec![fix_owned(here, "complete the crypto map entry and apply it", if asa {
                vec!["crypto map <map> <seq> match address <crypto-acl>".into(), format!("crypto map <map> <seq> set peer {peer}"), "crypto map <map> <seq> set ikev2 ipsec-proposal <ipsec-proposal>".into(), "crypto map <map> interface outside".into(), "crypto ikev2 enable outside".into()]
            } else {
                vec!["crypto map <map> <seq> ipsec-isakmp".into(), format!(" set peer {peer}"), " set transform-set <transform-set>".into(), " set ikev2-profile <ikev2-profile>".into(), " match address <crypto-acl>".into(), "interface <outside-interface>".into(), " crypto map <map>".into()]
            })],
        ),
        _ => return None,
    })
}
