//! Configuration texts and the expected fleet rows of a [`Plan`].

use crate::rng::Rng;
use crate::{
    hub_address, spoke_address, Fault, Generated, HubKind, Plan, Side, SpokeKind, TruthRow,
};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// `writeln!` into a `String` (which cannot fail).
macro_rules! w {
    ($s:expr, $($arg:tt)*) => {{
        let _ = writeln!($s, $($arg)*);
    }};
}

/// An IPv4 prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: u32,
    len: u8,
}

impl Net {
    fn mask(self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - self.len)
        }
    }
    fn ip(self) -> Ipv4Addr {
        Ipv4Addr::from(self.addr)
    }
    /// `A WILDCARD` (IOS).
    fn ios(self) -> String {
        format!("{} {}", self.ip(), Ipv4Addr::from(!self.mask()))
    }
    /// `A MASK` (ASA, PIX).
    fn asa(self) -> String {
        format!("{} {}", self.ip(), Ipv4Addr::from(self.mask()))
    }
    fn host(self, n: u32) -> Ipv4Addr {
        Ipv4Addr::from(self.addr + n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enc {
    Aes256,
    Aes128,
    Tdes,
}

/// An ISAKMP policy (pre-share, 86400 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ike {
    enc: Enc,
    md5: bool,
    group: u8,
}

const fn ike(enc: Enc, md5: bool, group: u8) -> Ike {
    Ike { enc, md5, group }
}

/// The hubs' policies, priorities 10, 20, 30.
const HUB_POLICIES: [Ike; 3] = [
    ike(Enc::Aes256, false, 14),
    ike(Enc::Aes256, false, 5),
    ike(Enc::Tdes, false, 2),
];
/// Spoke policies that match none of the hubs'.
const BAD_POLICIES: [Ike; 3] = [
    ike(Enc::Aes256, false, 2),
    ike(Enc::Tdes, true, 2),
    ike(Enc::Aes128, false, 5),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ts {
    Aes256Sha,
    Aes128Sha,
    TdesSha,
    Aes256Sha256,
    /// Only as a fault: no hub has it.
    TdesMd5,
}

const HUB_TS: [Ts; 4] = [Ts::Aes256Sha, Ts::Aes128Sha, Ts::TdesSha, Ts::Aes256Sha256];

impl Ts {
    fn ios(self) -> &'static str {
        match self {
            Ts::Aes256Sha => "esp-aes 256 esp-sha-hmac",
            Ts::Aes128Sha => "esp-aes esp-sha-hmac",
            Ts::TdesSha => "esp-3des esp-sha-hmac",
            Ts::Aes256Sha256 => "esp-aes 256 esp-sha256-hmac",
            Ts::TdesMd5 => "esp-3des esp-md5-hmac",
        }
    }
    fn asa(self) -> &'static str {
        match self {
            Ts::Aes256Sha => "esp-aes-256 esp-sha-hmac",
            Ts::Aes128Sha => "esp-aes esp-sha-hmac",
            Ts::TdesSha => "esp-3des esp-sha-hmac",
            Ts::Aes256Sha256 => "esp-aes-256 esp-sha-256-hmac",
            Ts::TdesMd5 => "esp-3des esp-md5-hmac",
        }
    }
    /// IOS-style name.
    fn ios_name(self) -> &'static str {
        match self {
            Ts::Aes256Sha => "TS-AES256-SHA",
            Ts::Aes128Sha => "TS-AES128-SHA",
            Ts::TdesSha => "TS-3DES-SHA",
            Ts::Aes256Sha256 => "TS-AES256-SHA256",
            Ts::TdesMd5 => "TS-3DES-MD5",
        }
    }
    /// ASA-style name.
    fn asa_name(self) -> &'static str {
        match self {
            Ts::Aes256Sha => "ESP-AES-256-SHA",
            Ts::Aes128Sha => "ESP-AES-128-SHA",
            Ts::TdesSha => "ESP-3DES-SHA",
            Ts::Aes256Sha256 => "ESP-AES-256-SHA256",
            Ts::TdesMd5 => "ESP-3DES-MD5",
        }
    }
}

/// The PFS group of a dynamic hub (one all its spokes must use).
const DYNAMIC_PFS: u8 = 5;

struct Hub {
    name: String,
    kind: HubKind,
    /// IOS-XE syntax (keyring, profile) rather than IOS 15.
    xe: bool,
    addr: Ipv4Addr,
    gw: Ipv4Addr,
    lan: Net,
    /// Dynamic hubs: the key every spoke uses.
    shared_key: String,
    /// Spoke indices, in sequence order.
    spokes: Vec<usize>,
}

/// One spoke and its tunnel as each side writes it.
struct Tun {
    name: String,
    file: String,
    kind: SpokeKind,
    hub: usize,
    seq: u32,
    addr: Ipv4Addr,
    gw: Ipv4Addr,
    lan: Net,
    fault: Option<(Fault, Side)>,
    // The spoke's view.
    s_ike: Ike,
    s_key: Option<String>,
    /// Write the key as type 7 (IOS-XE keyrings).
    s_key7: Option<u8>,
    s_ts: Ts,
    s_pfs: Option<u8>,
    s_dst: Net,
    s_peer: Ipv4Addr,
    s_map_applied: bool,
    // The hub's view (static hubs).
    h_key: Option<String>,
    h_ts: Ts,
    h_pfs: Option<u8>,
    h_dst: Net,
    h_peer: Ipv4Addr,
}

fn hub_lan(h: usize) -> Net {
    Net {
        addr: u32::from(Ipv4Addr::new(172, 16, 0, 0)) + ((h as u32) << 8),
        len: 24,
    }
}

fn spoke_lan(j: usize) -> Net {
    Net {
        addr: u32::from(Ipv4Addr::new(10, 0, 0, 0)) + ((j as u32) << 8),
        len: 24,
    }
}

fn other_group(g: u8) -> u8 {
    match g {
        14 => 5,
        5 => 2,
        _ => 5,
    }
}

/// A key with one character changed.
fn altered(key: &str) -> String {
    let mut b = key.as_bytes().to_vec();
    let last = b.len() - 1;
    b[last] = if b[last] == b'x' { b'y' } else { b'x' };
    String::from_utf8(b).unwrap_or_default()
}

/// IOS type 7 encoding of `plain` with salt `seed` (0–15).
fn type7(plain: &str, seed: u8) -> String {
    const XLAT: &[u8] = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";
    let mut out = format!("{seed:02}");
    for (i, b) in plain.bytes().enumerate() {
        let _ = write!(out, "{:02X}", b ^ XLAT[(seed as usize + i) % XLAT.len()]);
    }
    out
}

/// A wrong protected network for a proxy-id fault: the right one as a
/// /25 (a mask typo), or an unrelated 192.168.x.0/24.
fn wrong_net(right: Net, rng: &mut Rng) -> Net {
    if rng.chance(0.5) {
        Net {
            addr: right.addr,
            len: 25,
        }
    } else {
        Net {
            addr: u32::from(Ipv4Addr::new(192, 168, rng.below(256) as u8, 0)),
            len: 24,
        }
    }
}

pub fn render(plan: &Plan) -> Generated {
    let mut rng = Rng::new(plan.seed);
    let hw = plan.hubs.len().saturating_sub(1).to_string().len().max(2);
    let sw = plan.spokes.len().to_string().len().max(5);
    let mut hubs: Vec<Hub> = plan
        .hubs
        .iter()
        .enumerate()
        .map(|(h, &kind)| {
            let addr = hub_address(h);
            Hub {
                name: format!("hub-{h:0hw$}"),
                kind,
                xe: (h / 3) % 2 == 1,
                addr,
                gw: Ipv4Addr::from(u32::from(addr) + 5),
                lan: hub_lan(h),
                shared_key: rng.word(20),
                spokes: Vec::new(),
            }
        })
        .collect();

    let mut tuns: Vec<Tun> = Vec::with_capacity(plan.spokes.len());
    for (j, sp) in plan.spokes.iter().enumerate() {
        let hub = &mut hubs[sp.hub];
        hub.spokes.push(j);
        let seq = 10 * hub.spokes.len() as u32;
        let dynamic = hub.kind.is_dynamic();
        let kind = sp.kind;
        let addr = spoke_address(j);
        let lan = spoke_lan(j);
        let pix = kind == SpokeKind::Pix63;
        let old = matches!(
            kind,
            SpokeKind::Pix63 | SpokeKind::Ios124 | SpokeKind::Asa82
        );
        // Healthy parameters, as both sides would agree on them.
        let ike = if pix {
            rng.pick(&HUB_POLICIES[1..])
        } else {
            rng.weighted(&[
                (HUB_POLICIES[0], 3),
                (HUB_POLICIES[1], 1),
                (HUB_POLICIES[2], 1),
            ])
        };
        let ts = if old {
            rng.pick(&HUB_TS[..3])
        } else {
            rng.pick(&HUB_TS)
        };
        let pfs = if dynamic {
            Some(DYNAMIC_PFS)
        } else if pix {
            rng.pick(&[None, Some(5), Some(2)])
        } else {
            rng.pick(&[None, None, Some(14), Some(14), Some(5), Some(2)])
        };
        let key = if dynamic {
            hub.shared_key.clone()
        } else {
            rng.word(16)
        };
        let key7 = (kind == SpokeKind::IosXe && rng.chance(0.5)).then(|| rng.below(16) as u8);
        let variant = rng.next_u64();
        let mut vr = Rng::new(variant);

        let mut t = Tun {
            name: format!("spoke-{j:0sw$}"),
            file: format!("spoke-{j:0sw$}-{}.cfg", kind.as_str()),
            kind,
            hub: sp.hub,
            seq,
            addr,
            gw: Ipv4Addr::from(u32::from(addr) + 1),
            lan,
            fault: sp.fault,
            s_ike: ike,
            s_key: Some(key.clone()),
            s_key7: key7,
            s_ts: ts,
            s_pfs: pfs,
            s_dst: hub.lan,
            s_peer: hub.addr,
            s_map_applied: true,
            h_key: Some(key),
            h_ts: ts,
            h_pfs: pfs,
            h_dst: lan,
            h_peer: addr,
        };
        if let Some((f, side)) = sp.fault {
            let spoke_side = side == Side::Spoke;
            let pfs_fault = |p: Option<u8>, vr: &mut Rng| match p {
                Some(g) if vr.chance(0.5) => Some(other_group(g)),
                Some(_) => None,
                None => Some(if pix { 5 } else { 14 }),
            };
            match f {
                Fault::PskMismatch if spoke_side => t.s_key = t.s_key.as_deref().map(altered),
                Fault::PskMismatch => t.h_key = t.h_key.as_deref().map(altered),
                Fault::PskMissing if spoke_side => t.s_key = None,
                Fault::PskMissing => t.h_key = None,
                Fault::Phase1PolicyMismatch => t.s_ike = vr.pick(&BAD_POLICIES),
                Fault::TransformSetMismatch if spoke_side => t.s_ts = Ts::TdesMd5,
                Fault::TransformSetMismatch => {
                    let others: Vec<Ts> = HUB_TS.into_iter().filter(|x| *x != ts).collect();
                    t.h_ts = vr.pick(&others);
                }
                Fault::PfsMismatch if spoke_side => t.s_pfs = pfs_fault(t.s_pfs, &mut vr),
                Fault::PfsMismatch => t.h_pfs = pfs_fault(t.h_pfs, &mut vr),
                Fault::ProxyIdMismatch if spoke_side => t.s_dst = wrong_net(t.s_dst, &mut vr),
                Fault::ProxyIdMismatch => t.h_dst = wrong_net(t.h_dst, &mut vr),
                // The address next to the right one: not an interface of any device.
                Fault::PeerAddressMismatch if spoke_side => {
                    t.s_peer = Ipv4Addr::from(u32::from(t.s_peer) + 1)
                }
                Fault::PeerAddressMismatch => t.h_peer = Ipv4Addr::from(u32::from(t.h_peer) + 1),
                Fault::CryptoMapMissing => t.s_map_applied = false,
            }
        }
        tuns.push(t);
    }

    let mut files: Vec<(String, String)> = Vec::with_capacity(hubs.len() + tuns.len());
    for h in &hubs {
        let text = match h.kind {
            HubKind::IosStatic | HubKind::IosDynamic => ios_hub(h, &tuns),
            HubKind::AsaStatic | HubKind::AsaDynamic => asa_hub(h, &tuns),
        };
        files.push((format!("{}.cfg", h.name), text));
    }
    for t in &tuns {
        let h = &hubs[t.hub];
        let text = match t.kind {
            SpokeKind::Ios124 => ios124_spoke(t, h),
            SpokeKind::Ios15 => ios15_spoke(t, h),
            SpokeKind::IosXe => iosxe_spoke(t, h),
            SpokeKind::Asa9 => asa9_spoke(t, h),
            SpokeKind::Asa82 => asa82_spoke(t, h),
            SpokeKind::Pix63 => pix_spoke(t, h),
        };
        files.push((t.file.clone(), text));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));

    let mut tunnels = Vec::with_capacity(tuns.len() + 16);
    for t in &tuns {
        expected_rows(t, &hubs[t.hub], &mut tunnels);
    }
    tunnels.sort();
    let truth = tunnels
        .iter()
        .filter(|r| r.status != "tunnel-up")
        .cloned()
        .collect();
    Generated {
        files,
        truth,
        tunnels,
    }
}

/// The rows `ipsec_doctor_sim::fleet` reports for this tunnel, with hub
/// files read before spoke files.
///
/// - Static hub: the hub's entry comes first, so the row is the hub's
///   (peer = the spoke's address). Both directions are negotiated there.
/// - Dynamic hub: only the spoke has a static entry: the spoke's row.
/// - A wrong `set peer` leaves the entry naming an address no device
///   owns (a `peer-config-missing` row of the side that has it), and the
///   other side's entry, whose peer finds the right ACL under another
///   peer address, a `peer-address-mismatch` row.
fn expected_rows(t: &Tun, h: &Hub, out: &mut Vec<TruthRow>) {
    let row = |device: &str, peer: Ipv4Addr, status: &str| TruthRow {
        device: device.to_string(),
        peer_address: peer.to_string(),
        status: status.to_string(),
        fault: t.fault.map(|f| f.0),
        injected_on: t.fault.map(|(_, side)| match side {
            Side::Spoke => t.name.clone(),
            Side::Hub => h.name.clone(),
        }),
    };
    let dynamic = h.kind.is_dynamic();
    match t.fault {
        None if dynamic => out.push(row(&t.name, h.addr, "tunnel-up")),
        None => out.push(row(&h.name, t.addr, "tunnel-up")),
        Some((Fault::PeerAddressMismatch, side)) => match (dynamic, side) {
            (true, _) => out.push(row(&t.name, t.s_peer, "peer-config-missing")),
            (false, Side::Spoke) => {
                out.push(row(&h.name, t.addr, "peer-address-mismatch"));
                out.push(row(&t.name, t.s_peer, "peer-config-missing"));
            }
            (false, Side::Hub) => {
                out.push(row(&h.name, t.h_peer, "peer-config-missing"));
                out.push(row(&t.name, h.addr, "peer-address-mismatch"));
            }
        },
        Some((f, _)) if dynamic => out.push(row(&t.name, h.addr, f.as_str())),
        Some((f, _)) => out.push(row(&h.name, t.addr, f.as_str())),
    }
}

// ---------------------------------------------------------------- IOS

/// ISAKMP policy body as `show running-config` prints it on IOS: values
/// equal to the defaults (SHA, group 1, 86400 s) are not shown.
fn ios_policy(s: &mut String, prio: u32, p: Ike, xe: bool) {
    w!(s, "crypto isakmp policy {prio}");
    let enc = match p.enc {
        Enc::Aes256 => "aes 256",
        Enc::Aes128 => "aes",
        Enc::Tdes => "3des",
    };
    w!(s, " {} {enc}", if xe { "encryption" } else { "encr" });
    if p.md5 {
        w!(s, " hash md5");
    }
    w!(s, " authentication pre-share");
    if p.group != 1 {
        w!(s, " group {}", p.group);
    }
}

fn ios_header(s: &mut String, version: &str, name: &str) {
    w!(s, "Building configuration...");
    w!(s, "");
    w!(s, "Current configuration : 4096 bytes");
    w!(s, "!");
    w!(
        s,
        "! Last configuration change at 09:12:44 UTC Wed Mar 6 2024 by admin"
    );
    w!(s, "!");
    w!(s, "version {version}");
    w!(s, "service timestamps debug datetime msec");
    w!(s, "service timestamps log datetime msec");
    w!(s, "service password-encryption");
    if version.starts_with("17") {
        w!(s, "platform qfp utilization monitor load 80");
        w!(s, "platform punt-keepalive disable-kernel-core");
    }
    w!(s, "!");
    w!(s, "hostname {name}");
    w!(s, "!");
    w!(s, "boot-start-marker");
    w!(s, "boot-end-marker");
    w!(s, "!");
    w!(s, "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0");
    w!(s, "!");
    w!(s, "no aaa new-model");
    w!(s, "ip cef");
    w!(s, "no ip domain lookup");
    w!(s, "!");
}

fn ios_footer(s: &mut String) {
    w!(s, "!");
    w!(s, "control-plane");
    w!(s, "!");
    w!(s, "line con 0");
    w!(s, " stopbits 1");
    w!(s, "line vty 0 4");
    w!(s, " login local");
    w!(s, " transport input ssh");
    w!(s, "!");
    w!(s, "end");
}

fn ios_hub(h: &Hub, tuns: &[Tun]) -> String {
    let mut s = String::with_capacity(2048 + h.spokes.len() * 400);
    let (wan, lan_if) = if h.xe {
        ("GigabitEthernet1", "GigabitEthernet2")
    } else {
        ("GigabitEthernet0/0", "GigabitEthernet0/1")
    };
    ios_header(&mut s, if h.xe { "17.3" } else { "15.4" }, &h.name);
    if h.xe {
        w!(s, "crypto keyring KR-SPOKES");
        w!(s, "  description branch keys");
        if h.kind.is_dynamic() {
            w!(
                s,
                "  pre-shared-key address 0.0.0.0 0.0.0.0 key {}",
                h.shared_key
            );
        } else {
            for &j in &h.spokes {
                let t = &tuns[j];
                if let Some(k) = &t.h_key {
                    w!(s, "  pre-shared-key address {} key {k}", t.addr);
                }
            }
        }
        w!(s, "!");
    }
    for (i, p) in HUB_POLICIES.iter().enumerate() {
        ios_policy(&mut s, 10 * (i as u32 + 1), *p, h.xe);
        w!(s, "!");
    }
    if h.xe {
        w!(s, "crypto isakmp profile PROF-SPOKES");
        w!(s, "   keyring KR-SPOKES");
        w!(s, "   self-identity address");
        w!(s, "   match identity address 100.64.0.0 255.192.0.0 ");
        w!(s, "   keepalive 10 retry 3");
    } else if h.kind.is_dynamic() {
        w!(
            s,
            "crypto isakmp key {} address 0.0.0.0 0.0.0.0",
            h.shared_key
        );
    } else {
        for &j in &h.spokes {
            let t = &tuns[j];
            if let Some(k) = &t.h_key {
                w!(s, "crypto isakmp key {k} address {} no-xauth", t.addr);
            }
        }
    }
    w!(s, "crypto isakmp keepalive 10 3");
    w!(s, "!");
    for ts in HUB_TS {
        w!(
            s,
            "crypto ipsec transform-set {} {}",
            ts.ios_name(),
            ts.ios()
        );
        w!(s, " mode tunnel");
    }
    w!(s, "!");
    if h.kind.is_dynamic() {
        w!(s, "crypto dynamic-map DYN-SPOKES 10");
        w!(
            s,
            " set transform-set {}",
            HUB_TS.map(Ts::ios_name).join(" ")
        );
        w!(s, " set pfs group{DYNAMIC_PFS}");
        w!(s, " reverse-route");
        w!(s, "!");
        w!(s, "crypto map VPNMAP 65535 ipsec-isakmp dynamic DYN-SPOKES");
    } else {
        for &j in &h.spokes {
            let t = &tuns[j];
            w!(s, "crypto map VPNMAP {} ipsec-isakmp", t.seq);
            w!(s, " description {}", t.name);
            w!(s, " set peer {}", t.h_peer);
            w!(s, " set transform-set {}", t.h_ts.ios_name());
            if let Some(g) = t.h_pfs {
                w!(s, " set pfs group{g}");
            }
            if h.xe {
                w!(s, " set isakmp-profile PROF-SPOKES");
            }
            w!(s, " match address VPN-{}", t.name.to_ascii_uppercase());
        }
    }
    w!(s, "!");
    w!(s, "interface {wan}");
    w!(s, " description Internet");
    w!(s, " ip address {} 255.255.255.248", h.addr);
    w!(s, " ip nat outside");
    w!(s, " crypto map VPNMAP");
    w!(s, "!");
    w!(s, "interface {lan_if}");
    w!(s, " description LAN");
    w!(s, " ip address {} 255.255.255.0", h.lan.host(1));
    w!(s, " ip nat inside");
    w!(s, " ip tcp adjust-mss 1360");
    w!(s, "!");
    w!(s, "ip forward-protocol nd");
    w!(s, "no ip http server");
    w!(
        s,
        "ip nat inside source route-map NAT interface {wan} overload"
    );
    w!(s, "ip route 0.0.0.0 0.0.0.0 {}", h.gw);
    w!(s, "!");
    w!(s, "ip access-list extended NAT-ACL");
    w!(s, " deny   ip {} 10.0.0.0 0.255.255.255", h.lan.ios());
    w!(s, " permit ip {} any", h.lan.ios());
    if !h.kind.is_dynamic() {
        for &j in &h.spokes {
            let t = &tuns[j];
            w!(
                s,
                "ip access-list extended VPN-{}",
                t.name.to_ascii_uppercase()
            );
            w!(s, " permit ip {} {}", h.lan.ios(), t.h_dst.ios());
        }
    }
    w!(s, "!");
    w!(s, "route-map NAT permit 10");
    w!(s, " match ip address NAT-ACL");
    ios_footer(&mut s);
    s
}

/// The spoke's crypto map entry body (IOS block form).
fn ios_entry(s: &mut String, t: &Tun, h: &Hub, map: &str, ts_name: &str, acl: &str, prof: bool) {
    w!(s, "crypto map {map} 10 ipsec-isakmp");
    w!(s, " description Tunnel to {}", h.name);
    w!(s, " set peer {}", t.s_peer);
    w!(s, " set transform-set {ts_name}");
    if let Some(g) = t.s_pfs {
        w!(s, " set pfs group{g}");
    }
    if prof {
        w!(s, " set isakmp-profile PROF-HUB");
    }
    w!(s, " match address {acl}");
    w!(s, "!");
}

fn ios124_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(2048);
    ios_header(&mut s, "12.4", &t.name);
    ios_policy(&mut s, 10, t.s_ike, false);
    if let Some(k) = &t.s_key {
        w!(s, "crypto isakmp key {k} address {}", h.addr);
    }
    w!(s, "crypto isakmp keepalive 10");
    w!(s, "!");
    w!(
        s,
        "crypto ipsec transform-set ESP-{} {} ",
        &t.s_ts.ios_name()[3..],
        t.s_ts.ios()
    );
    w!(s, "!");
    let ts_name = format!("ESP-{}", &t.s_ts.ios_name()[3..]);
    ios_entry(&mut s, t, h, "VPNMAP", &ts_name, "101", false);
    w!(s, "interface FastEthernet0/0");
    w!(s, " description WAN");
    w!(s, " ip address {} 255.255.255.252", t.addr);
    w!(s, " ip nat outside");
    w!(s, " ip virtual-reassembly");
    w!(s, " duplex auto");
    w!(s, " speed auto");
    if t.s_map_applied {
        w!(s, " crypto map VPNMAP");
    }
    w!(s, "!");
    w!(s, "interface FastEthernet0/1");
    w!(s, " description LAN");
    w!(s, " ip address {} 255.255.255.0", t.lan.host(1));
    w!(s, " ip nat inside");
    w!(s, " ip virtual-reassembly");
    w!(s, " duplex auto");
    w!(s, " speed auto");
    w!(s, "!");
    w!(s, "ip forward-protocol nd");
    w!(s, "ip route 0.0.0.0 0.0.0.0 {}", t.gw);
    w!(s, "!");
    w!(s, "no ip http server");
    w!(
        s,
        "ip nat inside source list 120 interface FastEthernet0/0 overload"
    );
    w!(s, "!");
    w!(s, "access-list 101 remark crypto ACL to {}", h.name);
    w!(
        s,
        "access-list 101 permit ip {} {}",
        t.lan.ios(),
        t.s_dst.ios()
    );
    w!(
        s,
        "access-list 120 deny   ip {} {}",
        t.lan.ios(),
        h.lan.ios()
    );
    w!(s, "access-list 120 permit ip {} any", t.lan.ios());
    ios_footer(&mut s);
    s
}

fn ios15_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(2048);
    ios_header(&mut s, "15.4", &t.name);
    ios_policy(&mut s, 10, t.s_ike, false);
    if let Some(k) = &t.s_key {
        w!(s, "crypto isakmp key {k} address {} no-xauth", h.addr);
    }
    w!(s, "crypto isakmp keepalive 10 3");
    w!(s, "!");
    w!(
        s,
        "crypto ipsec transform-set {} {}",
        t.s_ts.ios_name(),
        t.s_ts.ios()
    );
    w!(s, " mode tunnel");
    w!(s, "!");
    ios_entry(&mut s, t, h, "VPN", t.s_ts.ios_name(), "VPN-TO-HUB", false);
    w!(s, "interface GigabitEthernet0/0");
    w!(s, " description Internet");
    w!(s, " ip address {} 255.255.255.252", t.addr);
    w!(s, " ip nat outside");
    w!(s, " duplex auto");
    w!(s, " speed auto");
    if t.s_map_applied {
        w!(s, " crypto map VPN");
    }
    w!(s, "!");
    w!(s, "interface GigabitEthernet0/1");
    w!(s, " description LAN");
    w!(s, " ip address {} 255.255.255.0", t.lan.host(1));
    w!(s, " ip nat inside");
    w!(s, " ip tcp adjust-mss 1360");
    w!(s, "!");
    w!(s, "ip forward-protocol nd");
    w!(s, "no ip http server");
    w!(
        s,
        "ip nat inside source route-map NAT interface GigabitEthernet0/0 overload"
    );
    w!(s, "ip route 0.0.0.0 0.0.0.0 {}", t.gw);
    w!(s, "!");
    w!(s, "ip access-list extended NAT-ACL");
    w!(s, " deny   ip {} {}", t.lan.ios(), h.lan.ios());
    w!(s, " permit ip {} any", t.lan.ios());
    w!(s, "ip access-list extended VPN-TO-HUB");
    w!(s, " remark traffic to the hub LAN");
    w!(s, " permit ip {} {}", t.lan.ios(), t.s_dst.ios());
    w!(s, "!");
    w!(s, "route-map NAT permit 10");
    w!(s, " match ip address NAT-ACL");
    ios_footer(&mut s);
    s
}

fn iosxe_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(2560);
    ios_header(&mut s, "17.3", &t.name);
    w!(s, "vrf definition Mgmt-intf");
    w!(s, " !");
    w!(s, " address-family ipv4");
    w!(s, " exit-address-family");
    w!(s, "!");
    w!(s, "crypto keyring KR-HUB");
    w!(s, "  description key for {}", h.name);
    if let Some(k) = &t.s_key {
        match t.s_key7 {
            Some(salt) => w!(
                s,
                "  pre-shared-key address {} key 7 {}",
                h.addr,
                type7(k, salt)
            ),
            None => w!(s, "  pre-shared-key address {} key {k}", h.addr),
        }
    }
    w!(s, "!");
    ios_policy(&mut s, 10, t.s_ike, true);
    w!(s, "no crypto isakmp default policy");
    w!(s, "crypto isakmp profile PROF-HUB");
    w!(s, "   keyring KR-HUB");
    w!(s, "   self-identity address");
    w!(s, "   match identity address {} 255.255.255.255 ", h.addr);
    w!(s, "   keepalive 10 retry 3");
    w!(s, "!");
    w!(
        s,
        "crypto ipsec transform-set {} {}",
        t.s_ts.ios_name(),
        t.s_ts.ios()
    );
    w!(s, " mode tunnel");
    w!(
        s,
        "crypto ipsec security-association replay window-size 1024"
    );
    w!(s, "!");
    ios_entry(&mut s, t, h, "CMAP", t.s_ts.ios_name(), "ACL-VPN-HUB", true);
    w!(s, "interface GigabitEthernet1");
    w!(s, " description Internet");
    w!(s, " ip address {} 255.255.255.252", t.addr);
    w!(s, " ip nat outside");
    w!(s, " negotiation auto");
    if t.s_map_applied {
        w!(s, " crypto map CMAP");
    }
    w!(s, "!");
    w!(s, "interface GigabitEthernet2");
    w!(s, " description LAN");
    w!(s, " ip address {} 255.255.255.0", t.lan.host(1));
    w!(s, " ip nat inside");
    w!(s, " ip tcp adjust-mss 1350");
    w!(s, " negotiation auto");
    w!(s, "!");
    w!(s, "interface GigabitEthernet3");
    w!(s, " no ip address");
    w!(s, " shutdown");
    w!(s, " negotiation auto");
    w!(s, "!");
    w!(s, "ip forward-protocol nd");
    w!(s, "no ip http server");
    w!(s, "ip http secure-server");
    w!(
        s,
        "ip nat inside source list NAT interface GigabitEthernet1 overload"
    );
    w!(s, "ip route 0.0.0.0 0.0.0.0 {}", t.gw);
    w!(s, "ip ssh version 2");
    w!(s, "!");
    w!(s, "ip access-list extended ACL-VPN-HUB");
    w!(s, " 10 permit ip {} {}", t.lan.ios(), t.s_dst.ios());
    w!(s, "ip access-list extended NAT");
    w!(s, " 10 deny   ip {} {}", t.lan.ios(), h.lan.ios());
    w!(s, " 20 permit ip {} any", t.lan.ios());
    ios_footer(&mut s);
    s
}

// ---------------------------------------------------------------- ASA / PIX

fn asa_policy(s: &mut String, prio: u32, p: Ike, legacy: bool) {
    w!(
        s,
        "crypto {} policy {prio}",
        if legacy { "isakmp" } else { "ikev1" }
    );
    w!(s, " authentication pre-share");
    let enc = match p.enc {
        Enc::Aes256 => "aes-256",
        Enc::Aes128 => "aes",
        Enc::Tdes => "3des",
    };
    w!(s, " encryption {enc}");
    w!(s, " hash {}", if p.md5 { "md5" } else { "sha" });
    w!(s, " group {}", p.group);
    w!(s, " lifetime 86400");
}

fn asa_header(s: &mut String, version: &str, name: &str) {
    w!(s, ": Saved");
    w!(s, ":");
    w!(s, ": Serial Number: JAD{:08}", name.len() * 7919);
    w!(
        s,
        ": Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)"
    );
    w!(s, ":");
    w!(s, "ASA Version {version} ");
    w!(s, "!");
    w!(s, "hostname {name}");
    w!(s, "domain-name example.net");
    w!(
        s,
        "enable password $sha512$5000$abcdefghijklmnop$qrstuvwxyz pbkdf2"
    );
    w!(s, "names");
    w!(s, "no mac-address auto");
    w!(s, "!");
}

fn asa_interfaces(s: &mut String, legacy: bool, addr: Ipv4Addr, mask: &str, lan: Net) {
    let (o, i) = if legacy {
        ("Ethernet0/0", "Ethernet0/1")
    } else {
        ("GigabitEthernet1/1", "GigabitEthernet1/2")
    };
    w!(s, "interface {o}");
    w!(s, " nameif outside");
    w!(s, " security-level 0");
    w!(s, " ip address {addr} {mask} ");
    w!(s, "!");
    w!(s, "interface {i}");
    w!(s, " nameif inside");
    w!(s, " security-level 100");
    w!(s, " ip address {} 255.255.255.0 ", lan.host(1));
    w!(s, "!");
    w!(s, "ftp mode passive");
}

fn asa_footer(s: &mut String) {
    w!(s, "telnet timeout 5");
    w!(s, "ssh stricthostkeycheck");
    w!(s, "ssh timeout 5");
    w!(s, "console timeout 0");
    w!(s, "threat-detection basic-threat");
}

fn asa_tail(s: &mut String) {
    w!(s, "!");
    w!(s, "class-map inspection_default");
    w!(s, " match default-inspection-traffic");
    w!(s, "!");
    w!(s, "policy-map global_policy");
    w!(s, " class inspection_default");
    w!(s, "  inspect ftp ");
    w!(s, "  inspect icmp ");
    w!(s, "!");
    w!(s, "service-policy global_policy global");
    w!(s, "prompt hostname context ");
    w!(s, "Cryptochecksum:3b9e4f1c2a6d5e8f7a0b1c2d3e4f5a6b");
    w!(s, ": end");
}

fn asa_hub(h: &Hub, tuns: &[Tun]) -> String {
    let mut s = String::with_capacity(2048 + h.spokes.len() * 450);
    asa_header(&mut s, "9.12(4)", &h.name);
    asa_interfaces(&mut s, false, h.addr, "255.255.255.248", h.lan);
    w!(s, "object network HUB-LAN");
    w!(s, " subnet {}", h.lan.asa());
    w!(s, "object network SPOKE-LANS");
    w!(s, " subnet 10.0.0.0 255.0.0.0");
    if !h.kind.is_dynamic() {
        for &j in &h.spokes {
            let t = &tuns[j];
            w!(
                s,
                "access-list VPN-{} extended permit ip object HUB-LAN {} ",
                t.name.to_ascii_uppercase(),
                t.h_dst.asa()
            );
        }
    }
    w!(s, "pager lines 24");
    w!(s, "logging enable");
    w!(s, "mtu outside 1500");
    w!(s, "mtu inside 1500");
    w!(s, "no failover");
    w!(s, "icmp unreachable rate-limit 1 burst-size 1");
    w!(s, "arp timeout 14400");
    w!(
        s,
        "nat (inside,outside) source static HUB-LAN HUB-LAN destination static SPOKE-LANS SPOKE-LANS no-proxy-arp route-lookup"
    );
    w!(s, "!");
    w!(s, "object network HUB-LAN");
    w!(s, " nat (inside,outside) dynamic interface");
    w!(s, "route outside 0.0.0.0 0.0.0.0 {} 1", h.gw);
    w!(s, "timeout xlate 3:00:00");
    w!(s, "http server enable");
    w!(s, "no snmp-server location");
    for ts in HUB_TS {
        w!(
            s,
            "crypto ipsec ikev1 transform-set {} {} ",
            ts.asa_name(),
            ts.asa()
        );
    }
    w!(s, "crypto ipsec security-association pmtu-aging infinite");
    if h.kind.is_dynamic() {
        w!(
            s,
            "crypto dynamic-map DYN-SPOKES 10 set pfs group{DYNAMIC_PFS}"
        );
        w!(
            s,
            "crypto dynamic-map DYN-SPOKES 10 set ikev1 transform-set {}",
            HUB_TS.map(Ts::asa_name).join(" ")
        );
        w!(s, "crypto dynamic-map DYN-SPOKES 10 set reverse-route");
        w!(
            s,
            "crypto map OUTSIDE-MAP 65535 ipsec-isakmp dynamic DYN-SPOKES"
        );
    } else {
        for &j in &h.spokes {
            let t = &tuns[j];
            let m = format!("crypto map OUTSIDE-MAP {}", t.seq);
            w!(s, "{m} match address VPN-{}", t.name.to_ascii_uppercase());
            if let Some(g) = t.h_pfs {
                w!(s, "{m} set pfs group{g}");
            }
            w!(s, "{m} set peer {} ", t.h_peer);
            w!(s, "{m} set ikev1 transform-set {}", t.h_ts.asa_name());
        }
    }
    w!(s, "crypto map OUTSIDE-MAP interface outside");
    w!(s, "crypto ikev1 enable outside");
    for (i, p) in HUB_POLICIES.iter().enumerate() {
        asa_policy(&mut s, 10 * (i as u32 + 1), *p, false);
    }
    asa_footer(&mut s);
    if h.kind.is_dynamic() {
        w!(s, "tunnel-group DefaultL2LGroup ipsec-attributes");
        w!(s, " ikev1 pre-shared-key {}", h.shared_key);
    } else {
        for &j in &h.spokes {
            let t = &tuns[j];
            if let Some(k) = &t.h_key {
                w!(s, "tunnel-group {} type ipsec-l2l", t.addr);
                w!(s, "tunnel-group {} ipsec-attributes", t.addr);
                w!(s, " ikev1 pre-shared-key {k}");
                w!(s, " isakmp keepalive threshold 10 retry 2");
            }
        }
    }
    asa_tail(&mut s);
    s
}

fn asa9_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(3072);
    asa_header(&mut s, "9.8(4)20", &t.name);
    asa_interfaces(&mut s, false, t.addr, "255.255.255.252", t.lan);
    w!(s, "object network LOCAL-LAN");
    w!(s, " subnet {}", t.lan.asa());
    w!(s, "object network HUB-LAN");
    w!(s, " subnet {}", h.lan.asa());
    let dst = if t.s_dst == h.lan {
        "object HUB-LAN".to_string()
    } else {
        t.s_dst.asa()
    };
    w!(
        s,
        "access-list VPN-TO-HUB extended permit ip object LOCAL-LAN {dst} "
    );
    w!(s, "pager lines 24");
    w!(s, "logging enable");
    w!(s, "mtu outside 1500");
    w!(s, "mtu inside 1500");
    w!(s, "no failover");
    w!(s, "icmp unreachable rate-limit 1 burst-size 1");
    w!(s, "arp timeout 14400");
    w!(
        s,
        "nat (inside,outside) source static LOCAL-LAN LOCAL-LAN destination static HUB-LAN HUB-LAN no-proxy-arp route-lookup"
    );
    w!(s, "!");
    w!(s, "object network LOCAL-LAN");
    w!(s, " nat (inside,outside) dynamic interface");
    w!(s, "route outside 0.0.0.0 0.0.0.0 {} 1", t.gw);
    w!(s, "timeout xlate 3:00:00");
    w!(s, "http server enable");
    w!(s, "no snmp-server location");
    w!(
        s,
        "crypto ipsec ikev1 transform-set {} {} ",
        t.s_ts.asa_name(),
        t.s_ts.asa()
    );
    w!(s, "crypto ipsec security-association pmtu-aging infinite");
    w!(s, "crypto map OUTSIDE-MAP 10 match address VPN-TO-HUB");
    if let Some(g) = t.s_pfs {
        w!(s, "crypto map OUTSIDE-MAP 10 set pfs group{g}");
    }
    w!(s, "crypto map OUTSIDE-MAP 10 set peer {} ", t.s_peer);
    w!(
        s,
        "crypto map OUTSIDE-MAP 10 set ikev1 transform-set {}",
        t.s_ts.asa_name()
    );
    if t.s_map_applied {
        w!(s, "crypto map OUTSIDE-MAP interface outside");
    }
    w!(s, "crypto ikev1 enable outside");
    asa_policy(&mut s, 10, t.s_ike, false);
    asa_footer(&mut s);
    if let Some(k) = &t.s_key {
        w!(s, "tunnel-group {} type ipsec-l2l", h.addr);
        w!(s, "tunnel-group {} ipsec-attributes", h.addr);
        w!(s, " ikev1 pre-shared-key {k}");
    }
    asa_tail(&mut s);
    s
}

fn asa82_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(2560);
    w!(s, ": Saved");
    w!(s, ":");
    w!(s, "ASA Version 8.2(5) ");
    w!(s, "!");
    w!(s, "hostname {}", t.name);
    w!(s, "enable password 8Ry2YjIyt7RRXU24 encrypted");
    w!(s, "passwd 2KFQnbNIdI.2KYOU encrypted");
    w!(s, "names");
    w!(s, "!");
    asa_interfaces(&mut s, true, t.addr, "255.255.255.252", t.lan);
    w!(
        s,
        "access-list NONAT extended permit ip {} {} ",
        t.lan.asa(),
        h.lan.asa()
    );
    w!(
        s,
        "access-list VPN-ACL extended permit ip {} {} ",
        t.lan.asa(),
        t.s_dst.asa()
    );
    w!(s, "pager lines 24");
    w!(s, "mtu outside 1500");
    w!(s, "mtu inside 1500");
    w!(s, "no failover");
    w!(s, "icmp unreachable rate-limit 1 burst-size 1");
    w!(s, "arp timeout 14400");
    w!(s, "global (outside) 1 interface");
    w!(s, "nat (inside) 0 access-list NONAT");
    w!(s, "nat (inside) 1 0.0.0.0 0.0.0.0");
    w!(s, "route outside 0.0.0.0 0.0.0.0 {} 1", t.gw);
    w!(s, "timeout xlate 3:00:00");
    w!(s, "http server enable");
    w!(s, "no snmp-server location");
    w!(s, "sysopt connection permit-vpn");
    w!(
        s,
        "crypto ipsec transform-set {} {} ",
        t.s_ts.asa_name(),
        t.s_ts.asa()
    );
    w!(
        s,
        "crypto ipsec security-association lifetime seconds 28800"
    );
    w!(s, "crypto map OUTMAP 10 match address VPN-ACL");
    if let Some(g) = t.s_pfs {
        w!(s, "crypto map OUTMAP 10 set pfs group{g}");
    }
    w!(s, "crypto map OUTMAP 10 set peer {} ", t.s_peer);
    w!(
        s,
        "crypto map OUTMAP 10 set transform-set {}",
        t.s_ts.asa_name()
    );
    if t.s_map_applied {
        w!(s, "crypto map OUTMAP interface outside");
    }
    w!(s, "crypto isakmp enable outside");
    asa_policy(&mut s, 10, t.s_ike, true);
    w!(s, "telnet timeout 5");
    w!(s, "ssh timeout 5");
    w!(s, "console timeout 0");
    w!(s, "threat-detection basic-threat");
    if let Some(k) = &t.s_key {
        w!(s, "tunnel-group {} type ipsec-l2l", h.addr);
        w!(s, "tunnel-group {} ipsec-attributes", h.addr);
        w!(s, " pre-shared-key {k}");
    }
    w!(s, "!");
    w!(s, "class-map inspection_default");
    w!(s, " match default-inspection-traffic");
    w!(s, "!");
    w!(s, "prompt hostname context ");
    w!(s, "Cryptochecksum:8f1e2d3c4b5a69788796a5b4c3d2e1f0");
    w!(s, ": end");
    s
}

fn pix_spoke(t: &Tun, h: &Hub) -> String {
    let mut s = String::with_capacity(2048);
    w!(s, "PIX Version 6.3(5)");
    w!(s, "interface ethernet0 auto");
    w!(s, "interface ethernet1 100full");
    w!(s, "nameif ethernet0 outside security0");
    w!(s, "nameif ethernet1 inside security100");
    w!(s, "enable password 8Ry2YjIyt7RRXU24 encrypted");
    w!(s, "passwd 2KFQnbNIdI.2KYOU encrypted");
    w!(s, "hostname {}", t.name);
    w!(s, "domain-name example.net");
    w!(s, "fixup protocol dns maximum-length 512");
    w!(s, "fixup protocol ftp 21");
    w!(s, "fixup protocol http 80");
    w!(s, "names");
    w!(
        s,
        "access-list 101 permit ip {} {} ",
        t.lan.asa(),
        t.s_dst.asa()
    );
    w!(
        s,
        "access-list nonat permit ip {} {} ",
        t.lan.asa(),
        h.lan.asa()
    );
    w!(s, "pager lines 24");
    w!(s, "mtu outside 1500");
    w!(s, "mtu inside 1500");
    w!(s, "ip address outside {} 255.255.255.252", t.addr);
    w!(s, "ip address inside {} 255.255.255.0", t.lan.host(1));
    w!(s, "ip audit info action alarm");
    w!(s, "ip audit attack action alarm");
    w!(s, "pdm history enable");
    w!(s, "arp timeout 14400");
    w!(s, "global (outside) 1 interface");
    w!(s, "nat (inside) 0 access-list nonat");
    w!(s, "nat (inside) 1 0.0.0.0 0.0.0.0 0 0");
    w!(s, "route outside 0.0.0.0 0.0.0.0 {} 1", t.gw);
    w!(s, "timeout xlate 3:00:00");
    w!(s, "no snmp-server location");
    w!(s, "floodguard enable");
    w!(s, "sysopt connection permit-ipsec");
    w!(s, "crypto ipsec transform-set strongset {}", t.s_ts.asa());
    w!(s, "crypto map mymap 10 ipsec-isakmp");
    w!(s, "crypto map mymap 10 match address 101");
    w!(s, "crypto map mymap 10 set peer {}", t.s_peer);
    w!(s, "crypto map mymap 10 set transform-set strongset");
    if let Some(g) = t.s_pfs {
        w!(s, "crypto map mymap 10 set pfs group{g}");
    }
    if t.s_map_applied {
        w!(s, "crypto map mymap interface outside");
    }
    w!(s, "isakmp enable outside");
    if let Some(k) = &t.s_key {
        w!(
            s,
            "isakmp key {k} address {} netmask 255.255.255.255 no-xauth no-config-mode",
            h.addr
        );
    }
    w!(s, "isakmp identity address");
    w!(s, "isakmp nat-traversal 20");
    let p = t.s_ike;
    let enc = match p.enc {
        Enc::Aes256 => "aes-256",
        Enc::Aes128 => "aes",
        Enc::Tdes => "3des",
    };
    w!(s, "isakmp policy 10 authentication pre-share");
    w!(s, "isakmp policy 10 encryption {enc}");
    w!(
        s,
        "isakmp policy 10 hash {}",
        if p.md5 { "md5" } else { "sha" }
    );
    w!(s, "isakmp policy 10 group {}", p.group);
    w!(s, "isakmp policy 10 lifetime 86400");
    w!(s, "telnet timeout 5");
    w!(s, "ssh timeout 5");
    w!(s, "console timeout 0");
    w!(s, "terminal width 80");
    w!(s, "Cryptochecksum:0123456789abcdef0123456789abcdef");
    w!(s, ": end");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_round_trips_known_value() {
        // `cisco` with salt 08 is the classic 0822455D0A16.
        assert_eq!(type7("cisco", 8), "0822455D0A16");
    }

    #[test]
    fn nets_print_both_syntaxes() {
        let n = Net {
            addr: u32::from(Ipv4Addr::new(10, 1, 2, 0)),
            len: 25,
        };
        assert_eq!(n.ios(), "10.1.2.0 0.0.0.127");
        assert_eq!(n.asa(), "10.1.2.0 255.255.255.128");
    }
}
