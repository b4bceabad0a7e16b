//! Synthetic hub-and-spoke IPsec fleets for benchmarks and end-to-end tests
//! of `ipsec-doctor fleet`.
//!
//! [`generate`] writes, in memory, N complete device configurations: a few
//! hubs (IOS 15 / IOS-XE and ASA 9.x; most with one static crypto map entry
//! per spoke, sequence 10, 20, …, each with its own ACL; every third hub
//! with a dynamic map instead) and their spokes (IOS 12.4, IOS 15, IOS-XE
//! with keyrings, ASA 9.x, ASA 8.2 and PIX 6.3 syntax), with a set share of
//! spoke tunnels broken by exactly one injected [`Fault`] each. The
//! [`Generated::truth`] rows say which row `ipsec_doctor_sim::fleet` must
//! report for each fault, and with which status.
//!
//! ```
//! use ipsec_doctor_fleetgen::{generate, Spec};
//! let g = generate(&Spec { devices: 40, fault_rate: 0.25, seed: 7, ..Spec::default() });
//! assert_eq!(g.files.len(), 40);
//! assert!(g.files.iter().any(|(name, _)| name.starts_with("hub-")));
//! assert!(!g.truth.is_empty());
//! ```
//!
//! Output is deterministic for a [`Spec`] (xorshift64*, no `rand`).
//!
//! **Row keys depend on input order.** The simulator keys a tunnel row by
//! the device that comes first in the configuration list among those whose
//! static crypto map names the other. The truth assumes the files are read
//! in file-name order, which is the order of [`Generated::files`] and of the
//! CLI's directory walk: hubs (`hub-…`) before spokes (`spoke-…`). So a
//! static hub's tunnels are rows of the hub (peer = the spoke's address),
//! and a dynamic hub's tunnels are rows of the spoke (peer = the hub).
//!
//! Addressing: hub h has outside address 198.18.0.0/15 + 8h + 1 (/29,
//! gateway + 6) and LAN 172.16.0.0/12 + h·256 (/24); spoke j has outside
//! address 100.64.0.0/10 + 4j + 1 (/30, gateway + 1) and LAN 10.0.0.0/8 +
//! j·256 (/24). Up to 4096 hubs and 65536 spokes.

mod render;
mod rng;

pub use rng::Rng;

use std::io::Write;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// One injected fault kind. Its [`Fault::as_str`] is the status the fleet
/// reports (the `ipsec_doctor_model::Code` string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// The two sides hold different pre-shared keys.
    PskMismatch,
    /// One side has no pre-shared key (or tunnel-group) for the other.
    PskMissing,
    /// The spoke's only ISAKMP policy matches none of the hub's.
    Phase1PolicyMismatch,
    /// No common transform set.
    TransformSetMismatch,
    /// The PFS groups differ, or one side requires PFS and the other offers none.
    PfsMismatch,
    /// The crypto ACLs are not mirror images.
    ProxyIdMismatch,
    /// `set peer` names a wrong (unowned) address.
    PeerAddressMismatch,
    /// The spoke's crypto map is not applied to its outside interface.
    CryptoMapMissing,
}

impl Fault {
    /// Every kind.
    pub const ALL: [Fault; 8] = [
        Fault::PskMismatch,
        Fault::PskMissing,
        Fault::Phase1PolicyMismatch,
        Fault::TransformSetMismatch,
        Fault::PfsMismatch,
        Fault::ProxyIdMismatch,
        Fault::PeerAddressMismatch,
        Fault::CryptoMapMissing,
    ];

    /// The code string (`psk-mismatch`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::PskMismatch => "psk-mismatch",
            Fault::PskMissing => "psk-missing",
            Fault::Phase1PolicyMismatch => "phase1-policy-mismatch",
            Fault::TransformSetMismatch => "transform-set-mismatch",
            Fault::PfsMismatch => "pfs-mismatch",
            Fault::ProxyIdMismatch => "proxy-id-mismatch",
            Fault::PeerAddressMismatch => "peer-address-mismatch",
            Fault::CryptoMapMissing => "crypto-map-missing",
        }
    }

    /// The kind named by [`Fault::as_str`].
    pub fn parse(s: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether the fault can be injected on `side` of a tunnel to a hub of
    /// `hub` kind. A dynamic hub's configuration is shared by all its
    /// spokes, so its faults are injected on the spoke; and a dynamic map
    /// without `match address` accepts any proxy pair, so a non-mirrored
    /// spoke ACL is not a failure there (no proxy-id-mismatch). Phase-1
    /// policies and the interface's crypto map are shared by all of a
    /// hub's tunnels: always injected on the spoke.
    pub fn applies(self, hub: HubKind, side: Side) -> bool {
        match (hub.is_dynamic(), side) {
            (true, Side::Hub) => false,
            (true, Side::Spoke) => self != Fault::ProxyIdMismatch,
            (false, Side::Spoke) => true,
            (false, Side::Hub) => {
                !matches!(self, Fault::Phase1PolicyMismatch | Fault::CryptoMapMissing)
            }
        }
    }
}

/// Which configuration of a tunnel the fault is written into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The spoke's.
    Spoke,
    /// The hub's (its entry, ACL or key for this spoke).
    Hub,
}

/// A hub's platform and crypto map style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HubKind {
    /// IOS 15 / IOS-XE, one static entry per spoke.
    IosStatic,
    /// ASA 9.x, one static entry per spoke, a tunnel-group per spoke.
    AsaStatic,
    /// IOS with a dynamic map and a wildcard key.
    IosDynamic,
    /// ASA 9.x with a dynamic map and the `DefaultL2LGroup` key.
    AsaDynamic,
}

impl HubKind {
    /// Every kind, in the default cycle order's first appearance.
    pub const ALL: [HubKind; 4] = [
        HubKind::IosStatic,
        HubKind::AsaStatic,
        HubKind::IosDynamic,
        HubKind::AsaDynamic,
    ];

    /// Dynamic map hub.
    pub fn is_dynamic(self) -> bool {
        matches!(self, HubKind::IosDynamic | HubKind::AsaDynamic)
    }

    /// Short name.
    pub fn as_str(self) -> &'static str {
        match self {
            HubKind::IosStatic => "ios-static",
            HubKind::AsaStatic => "asa-static",
            HubKind::IosDynamic => "ios-dynamic",
            HubKind::AsaDynamic => "asa-dynamic",
        }
    }
}

/// A spoke's platform and syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpokeKind {
    /// IOS 12.4: numbered ACLs, `crypto isakmp key 0 …`.
    Ios124,
    /// IOS 15: named ACLs, route-map NAT.
    Ios15,
    /// IOS-XE 16/17: keyring (some keys type 7), ISAKMP profile, sequenced ACLs.
    IosXe,
    /// ASA 9.x: `crypto ikev1`, objects, twice NAT.
    Asa9,
    /// ASA 8.2: `crypto isakmp`, `nat (inside) 0`.
    Asa82,
    /// PIX 6.3.
    Pix63,
}

impl SpokeKind {
    /// Every kind.
    pub const ALL: [SpokeKind; 6] = [
        SpokeKind::Ios124,
        SpokeKind::Ios15,
        SpokeKind::IosXe,
        SpokeKind::Asa9,
        SpokeKind::Asa82,
        SpokeKind::Pix63,
    ];

    /// Short name (also in the file name).
    pub fn as_str(self) -> &'static str {
        match self {
            SpokeKind::Ios124 => "ios124",
            SpokeKind::Ios15 => "ios15",
            SpokeKind::IosXe => "iosxe",
            SpokeKind::Asa9 => "asa9",
            SpokeKind::Asa82 => "asa82",
            SpokeKind::Pix63 => "pix63",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Devices in all (hubs and spokes).
    pub devices: usize,
    /// Share of spoke tunnels that get one fault (0.0–1.0); the number of
    /// faulty tunnels is `round(fault_rate × spokes)`.
    pub fault_rate: f64,
    /// PRNG seed.
    pub seed: u64,
    /// Spokes per hub: the number of hubs is `ceil(devices / (spokes_per_hub + 1))`.
    pub spokes_per_hub: usize,
    /// Hub kinds, used in turn (hub h gets `hub_kinds[h % len]`).
    pub hub_kinds: Vec<HubKind>,
    /// Spoke kinds with weights.
    pub spoke_kinds: Vec<(SpokeKind, u32)>,
    /// Fault kinds drawn (uniformly among those that apply to the tunnel's hub).
    pub faults: Vec<Fault>,
    /// Share of the faults that can be injected on either side that go on the hub side.
    pub hub_side_share: f64,
}

/// The default hub cycle: two of three hubs static, IOS and ASA alternating.
pub const DEFAULT_HUB_CYCLE: [HubKind; 6] = [
    HubKind::IosStatic,
    HubKind::AsaStatic,
    HubKind::IosDynamic,
    HubKind::AsaDynamic,
    HubKind::IosStatic,
    HubKind::AsaStatic,
];

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            devices: 1000,
            fault_rate: 0.1,
            seed: 1,
            spokes_per_hub: 250,
            hub_kinds: DEFAULT_HUB_CYCLE.to_vec(),
            spoke_kinds: vec![
                (SpokeKind::Ios124, 15),
                (SpokeKind::Ios15, 20),
                (SpokeKind::IosXe, 25),
                (SpokeKind::Asa9, 20),
                (SpokeKind::Asa82, 8),
                (SpokeKind::Pix63, 12),
            ],
            faults: Fault::ALL.to_vec(),
            hub_side_share: 0.3,
        }
    }
}

/// Largest hub count (hub LANs are /24s of 172.16.0.0/12).
pub const MAX_HUBS: usize = 4096;
/// Largest spoke count (spoke LANs are /24s of 10.0.0.0/8).
pub const MAX_SPOKES: usize = 65_536;
/// Largest static hub fan-out (sequence numbers 10 … 65530).
pub const MAX_SPOKES_PER_STATIC_HUB: usize = 6553;

impl Spec {
    /// Why the spec cannot be generated, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.devices < 2 {
            return Err("at least 2 devices (a hub and a spoke)".into());
        }
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err(format!("fault rate {} is not in 0..1", self.fault_rate));
        }
        if self.spokes_per_hub == 0 || self.spokes_per_hub > MAX_SPOKES_PER_STATIC_HUB {
            return Err(format!(
                "spokes per hub must be 1..={MAX_SPOKES_PER_STATIC_HUB}"
            ));
        }
        if self.hub_kinds.is_empty() || self.spoke_kinds.iter().all(|(_, w)| *w == 0) {
            return Err("no hub or spoke kind".into());
        }
        let hubs = self.devices.div_ceil(self.spokes_per_hub + 1);
        if hubs > MAX_HUBS || self.devices - hubs > MAX_SPOKES {
            return Err(format!(
                "too many devices: at most {MAX_HUBS} hubs and {MAX_SPOKES} spokes"
            ));
        }
        Ok(())
    }
}

/// One spoke of a [`Plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpokePlan {
    /// Index of its hub in [`Plan::hubs`].
    pub hub: usize,
    /// Platform.
    pub kind: SpokeKind,
    /// The fault on its tunnel, and where it is written.
    pub fault: Option<(Fault, Side)>,
}

/// An explicit fleet: hub kinds and spokes (used by [`generate`], and by
/// tests that want one particular combination).
#[derive(Debug, Clone)]
pub struct Plan {
    /// Hubs.
    pub hubs: Vec<HubKind>,
    /// Spokes.
    pub spokes: Vec<SpokePlan>,
    /// Seed for everything else (keys, policies, transform sets, PFS, fault variants).
    pub seed: u64,
}

impl Plan {
    /// The plan [`generate`] uses for `spec`.
    pub fn from_spec(spec: &Spec) -> Plan {
        if let Err(e) = spec.check() {
            panic!("invalid fleet spec: {e}");
        }
        let mut rng = Rng::new(spec.seed ^ 0x5EED_F1EE_7000_0001);
        let n_hubs = spec.devices.div_ceil(spec.spokes_per_hub + 1);
        let n_spokes = spec.devices - n_hubs;
        let hubs: Vec<HubKind> = (0..n_hubs)
            .map(|h| spec.hub_kinds[h % spec.hub_kinds.len()])
            .collect();
        let mut spokes: Vec<SpokePlan> = (0..n_spokes)
            .map(|j| SpokePlan {
                hub: j % n_hubs,
                kind: rng.weighted(&spec.spoke_kinds),
                fault: None,
            })
            .collect();
        // A random subset of round(rate × spokes) tunnels (partial Fisher–Yates).
        let n_faulty = ((spec.fault_rate * n_spokes as f64).round() as usize).min(n_spokes);
        let mut order: Vec<usize> = (0..n_spokes).collect();
        for i in 0..n_faulty {
            let k = i + rng.below(n_spokes - i);
            order.swap(i, k);
        }
        for &j in &order[..n_faulty] {
            let hub = hubs[spokes[j].hub];
            let kinds: Vec<Fault> = spec
                .faults
                .iter()
                .copied()
                .filter(|f| f.applies(hub, Side::Spoke) || f.applies(hub, Side::Hub))
                .collect();
            if kinds.is_empty() {
                continue;
            }
            let f = rng.pick(&kinds);
            let hub_ok = f.applies(hub, Side::Hub);
            let spoke_ok = f.applies(hub, Side::Spoke);
            let side = if hub_ok && (!spoke_ok || rng.chance(spec.hub_side_share)) {
                Side::Hub
            } else {
                Side::Spoke
            };
            spokes[j].fault = Some((f, side));
        }
        Plan {
            hubs,
            spokes,
            seed: spec.seed,
        }
    }
}

/// One row the fleet is expected to report.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TruthRow {
    /// The device whose crypto map entry defines the row.
    pub device: String,
    /// The peer address that entry names.
    pub peer_address: String,
    /// Expected status (`tunnel-up`, a code, or `peer-config-missing`).
    pub status: String,
    /// The fault behind it (None for healthy tunnels).
    pub fault: Option<Fault>,
    /// The device the fault was written into.
    pub injected_on: Option<String>,
}

/// A generated fleet.
#[derive(Debug, Clone)]
pub struct Generated {
    /// (file name, configuration text), sorted by file name.
    pub files: Vec<(String, String)>,
    /// The rows that must not be `tunnel-up`, sorted by (device, peer).
    pub truth: Vec<TruthRow>,
    /// Every row the fleet must report (healthy ones too), sorted.
    pub tunnels: Vec<TruthRow>,
}

/// Generates the fleet `spec` describes (panics when [`Spec::check`] fails).
pub fn generate(spec: &Spec) -> Generated {
    generate_plan(&Plan::from_spec(spec))
}

/// Generates an explicit plan.
pub fn generate_plan(plan: &Plan) -> Generated {
    assert!(
        !plan.hubs.is_empty() && plan.hubs.len() <= MAX_HUBS,
        "1..={MAX_HUBS} hubs"
    );
    assert!(
        plan.spokes.len() <= MAX_SPOKES,
        "at most {MAX_SPOKES} spokes"
    );
    render::render(plan)
}

impl Generated {
    /// The ground truth as CSV (`device,peer_address,status,fault,injected_on`).
    pub fn truth_csv(&self) -> String {
        csv(&self.truth)
    }

    /// Every expected row as CSV, same columns.
    pub fn tunnels_csv(&self) -> String {
        csv(&self.tunnels)
    }

    /// Writes the configurations to `dir/configs/` and the ground truth to
    /// `dir/truth.csv` (and every expected row to `dir/tunnels.csv`);
    /// returns the configuration directory, the one to give
    /// `ipsec-doctor fleet`. Files already in `dir/configs/` are left alone.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let cfg_dir = dir.join("configs");
        std::fs::create_dir_all(&cfg_dir)?;
        for (name, text) in &self.files {
            std::fs::write(cfg_dir.join(name), text)?;
        }
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.csv"))?);
        f.write_all(self.truth_csv().as_bytes())?;
        f.flush()?;
        std::fs::write(dir.join("tunnels.csv"), self.tunnels_csv())?;
        Ok(cfg_dir)
    }

    /// Total size of the configuration texts, bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }
}

fn csv(rows: &[TruthRow]) -> String {
    let mut out = String::from("device,peer_address,status,fault,injected_on\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            r.device,
            r.peer_address,
            r.status,
            r.fault.map(Fault::as_str).unwrap_or(""),
            r.injected_on.as_deref().unwrap_or("")
        ));
    }
    out
}

/// Hub h's outside address.
pub fn hub_address(h: usize) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(Ipv4Addr::new(198, 18, 0, 0)) + 8 * h as u32 + 1)
}

/// Spoke j's outside address.
pub fn spoke_address(j: usize) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(Ipv4Addr::new(100, 64, 0, 0)) + 4 * j as u32 + 1)
}
