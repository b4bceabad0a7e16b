//! IKEv1 / IPsec negotiation simulation over vendor-neutral configurations.
//!
//! [`simulate`] takes every configuration given, pairs the crypto map entries
//! that point at each other, and negotiates each tunnel with each side as
//! initiator. A failure names the first failing step, with the lines of both
//! configurations; [`Outcome::fix`] is the change that repairs it, and
//! [`Outcome::after_fix`] the code the re-simulation gives with it applied.

mod checks;
pub mod dynamic;
mod findings;
mod fix;
mod fleet;
mod ikev2;
mod net;
mod phase1;
mod phase2;
mod trace;

pub use checks::{check, esp_overhead};
pub use findings::findings;
pub use fix::{ike_policy_commands, ConfigFix, Ikev2Fix};
pub use fleet::{fleet, Fleet, FleetRow};
pub use net::AddressIndex;
pub use phase1::{matches as ike_policy_matches, IOS_DEFAULT_POLICY};
pub use phase2::{acl_accepts, mirror};
pub use trace::{observable, trace, TraceLine};

use ipsec_doctor_model::config::{DeviceConfig, Origin};
use ipsec_doctor_model::Code;
use std::borrow::{Borrow, Cow};
use std::net::Ipv4Addr;

/// A configuration line as evidence: which device, which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// Device name.
    pub device: String,
    /// Input the configuration came from.
    pub source: String,
    /// The line.
    pub origin: Origin,
}

impl Cite {
    /// Line `origin` of configuration `c`.
    pub fn of(c: &DeviceConfig, origin: &Origin) -> Cite {
        Cite {
            device: c.name().to_string(),
            source: c.source.clone(),
            origin: origin.clone(),
        }
    }
}

/// The result of negotiating one tunnel in one direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Root cause, or `tunnel-up`.
    pub code: Code,
    /// Index of the initiating configuration.
    pub initiator: usize,
    /// Index of the responding configuration (None: no device owns the peer address).
    pub responder: Option<usize>,
    /// Initiator's address toward the peer.
    pub initiator_addr: Option<Ipv4Addr>,
    /// The peer address the initiator uses.
    pub peer_addr: Ipv4Addr,
    /// The step that failed or the last one reached (`MM1`…`QM3`).
    pub step: &'static str,
    /// What happened, in plain words.
    pub detail: String,
    /// The initiator negotiated with IKEv2.
    pub ikev2: bool,
    /// A title more precise than the code's summary, when there is one
    /// (IKE versions differ, the IKEv2 attribute with no common value).
    pub title: Option<String>,
    /// Configuration lines of both sides that prove it.
    pub evidence: Vec<Cite>,
    /// The change that repairs it, on the device that should change.
    pub fix: Option<ConfigFix>,
    /// The code the negotiation gives once the fix is applied.
    pub after_fix: Option<Code>,
}

/// Everything learned about one pair of devices.
#[derive(Debug, Clone, PartialEq)]
pub struct TunnelResult {
    /// Device index and crypto map entry (map, seq) that defines the tunnel.
    pub a: usize,
    /// The peer address the entry names.
    pub peer: Ipv4Addr,
    /// Outcome with `a` initiating.
    pub forward: Outcome,
    /// Outcome with the other side initiating, when it has an entry of its own for `a`.
    pub reverse: Option<Outcome>,
}

/// Simulates every tunnel the configurations define.
pub fn simulate(configs: &[DeviceConfig]) -> Vec<TunnelResult> {
    // Crypto maps on interfaces with run-time addresses (DHCP, PPPoE):
    // negotiate from the address the peers name, when they name one. Only
    // those configurations are copied.
    let inferred = dynamic::infer(configs);
    if inferred.is_empty() {
        return simulate_resolved(configs);
    }
    let mut resolved: Vec<Cow<'_, DeviceConfig>> = configs.iter().map(Cow::Borrowed).collect();
    for f in &inferred {
        if let Some(ifc) = resolved[f.device].to_mut().interfaces.get_mut(f.interface) {
            ifc.address = Some((f.address, Ipv4Addr::BROADCAST));
        }
    }
    simulate_resolved(&resolved)
}

fn simulate_resolved<C: Borrow<DeviceConfig>>(configs: &[C]) -> Vec<TunnelResult> {
    let index = AddressIndex::build(configs);
    let cache = phase2::MapCache::default();
    let mut out: Vec<TunnelResult> = Vec::new();
    // (device, peer address) pairs already negotiated from that device.
    let mut done: std::collections::HashSet<(usize, Ipv4Addr)> = std::collections::HashSet::new();
    for (ai, a) in configs.iter().map(Borrow::borrow).enumerate() {
        for entry in in_use_first(a) {
            if entry.dynamic_ref.is_some() {
                continue;
            }
            for &peer in &entry.peers {
                if !done.insert((ai, peer)) {
                    continue;
                }
                let mine = net::local_address_toward(a, &entry.map, peer);
                let owner = index.owner_for(configs, peer, mine);
                // Each physical tunnel once: the other side already
                // negotiated it (and us back) when it came first.
                if let (Some(bi), Some(m)) = (owner, mine) {
                    if bi < ai && done.contains(&(bi, m)) {
                        continue;
                    }
                }
                let forward = negotiate(
                    configs, &index, &cache, ai, &entry.map, entry.seq, peer, true,
                );
                let reverse = owner.and_then(|bi| {
                    let mine = mine?;
                    let b = configs[bi].borrow();
                    let back = in_use_first(b)
                        .into_iter()
                        .find(|e| e.dynamic_ref.is_none() && e.peers.contains(&mine))?;
                    done.insert((bi, mine));
                    Some(negotiate(
                        configs, &index, &cache, bi, &back.map, back.seq, mine, true,
                    ))
                });
                out.push(TunnelResult {
                    a: ai,
                    peer,
                    forward,
                    reverse,
                });
            }
        }
    }
    out
}

/// The device's crypto map entries, those of maps in use first: applied
/// to an interface (or standing for a protected tunnel), in their order,
/// then the rest. IOS and ASA evaluate traffic only against a crypto map
/// set applied to the interface it leaves by (Cisco IOS Security
/// Configuration Guide, *Applying Crypto Map Sets to Interfaces*), so a map left
/// unapplied beside a tunnel or map that does reach the same peer (a GRE
/// tunnel first protected by a map, then by `tunnel protection`) is dead
/// configuration, not the tunnel's definition; it is only reported as
/// `crypto-map-missing` when nothing else reaches that peer.
fn in_use_first(a: &DeviceConfig) -> Vec<&ipsec_doctor_model::config::CryptoMapEntry> {
    let in_use = |e: &&ipsec_doctor_model::config::CryptoMapEntry| {
        dynamic::unknown_local(a, &e.map)
            || e.peers
                .iter()
                .any(|&p| net::local_address_toward(a, &e.map, p).is_some())
    };
    let (mut used, rest): (Vec<_>, Vec<_>) = a.crypto_maps.iter().partition(in_use);
    used.extend(rest);
    used
}

/// Negotiates from `configs[init]`'s entry (map, seq) toward `peer`. With
/// `try_fix`, also applies the repair to copies of the two devices and
/// negotiates again.
#[allow(clippy::too_many_arguments)]
pub fn negotiate<C: Borrow<DeviceConfig>>(
    configs: &[C],
    index: &AddressIndex,
    cache: &phase2::MapCache,
    init: usize,
    map: &str,
    seq: u32,
    peer: Ipv4Addr,
    try_fix: bool,
) -> Outcome {
    let mut o = run(configs, index, &|d| Some((cache, d)), init, map, seq, peer);
    if try_fix && o.code != Code::TunnelUp {
        if let Some(fix) = &o.fix {
            // Only the two ends matter: copy them, not the whole fleet.
            let mut ids = vec![init];
            if let Some(r) = o.responder {
                if r != init {
                    ids.push(r);
                }
            }
            // Only the end the fix changes is copied; a hub's configuration
            // with thousands of entries is not, when the fix is the spoke's.
            let changed = fix.device();
            if ids.contains(&changed) {
                let mut fixed = vec![configs[changed].borrow().clone()];
                if fix.on_device(0).apply(&mut fixed) {
                    let pair: Vec<&DeviceConfig> = ids
                        .iter()
                        .map(|&i| {
                            if i == changed {
                                &fixed[0]
                            } else {
                                configs[i].borrow()
                            }
                        })
                        .collect();
                    let pair_index = AddressIndex::build(&pair);
                    // The unchanged end keeps its resolved maps; the copy
                    // is resolved afresh.
                    let key = |d: usize| {
                        let global = ids.get(d).copied()?;
                        (global != changed).then_some((cache, global))
                    };
                    let again = run(&pair, &pair_index, &key, 0, map, seq, peer);
                    o.after_fix = Some(again.code);
                }
            }
        }
    }
    o
}

/// Which resolved-map cache entry belongs to a device of `configs`.
type CacheKey<'a> = dyn Fn(usize) -> Option<(&'a phase2::MapCache, usize)> + 'a;

fn run<C: Borrow<DeviceConfig>>(
    configs: &[C],
    index: &AddressIndex,
    cache: &CacheKey<'_>,
    init: usize,
    map: &str,
    seq: u32,
    peer: Ipv4Addr,
) -> Outcome {
    let a = configs[init].borrow();
    let mut o = Outcome {
        code: Code::TunnelUp,
        initiator: init,
        responder: index.owner(peer),
        initiator_addr: net::local_address_toward(a, map, peer),
        peer_addr: peer,
        step: "MM1",
        detail: String::new(),
        title: None,
        ikev2: false,
        evidence: Vec::new(),
        fix: None,
        after_fix: None,
    };
    let Some(entry) = a.crypto_maps.iter().find(|e| e.map == map && e.seq == seq) else {
        o.code = Code::CryptoMapMissing;
        o.detail = format!("{} has no crypto map entry {map} {seq}", a.name());
        return o;
    };
    o.evidence.push(Cite::of(a, &entry.origin));
    o.ikev2 = ikev2::is_v2(a, entry);

    // The initiator must apply the map to an interface with an address.
    let local = match o.initiator_addr {
        Some(l) => l,
        // A branch on DHCP / PPPoE whose address no peer names: it
        // negotiates all the same, from an address nobody configured
        // (what a wildcard key or a dynamic map on the other end accepts).
        None if dynamic::unknown_local(a, map) => Ipv4Addr::UNSPECIFIED,
        None => {
            o.code = Code::CryptoMapMissing;
            o.detail = format!("crypto map {map} is not applied to any interface of {} with an address, so no traffic is ever encrypted", a.name());
            // The interface traffic to the peer leaves by is where the map belongs.
            let egress = net::egress_interface(a, peer)
                .map(|i| i.nameif.clone().unwrap_or_else(|| i.name.clone()));
            o.fix = Some(ConfigFix::ApplyMap {
                device: init,
                map: map.to_string(),
                interface: egress,
            });
            return o;
        }
    };
    let Some(resp) = index.owner_for(configs, peer, Some(local)) else {
        // Batfish's MISSING_END_POINT: nothing is known of the other end,
        // which the initiator can only see as silence.
        o.code = Code::PeerUnreachable;
        o.title = Some(format!(
            "{peer} is not among the configurations given: the other end could not be simulated"
        ));
        o.detail =
            format!("no configuration given owns {peer}; the responder could not be simulated");
        return o;
    };
    o.responder = Some(resp);
    let b = configs[resp].borrow();
    let v2 = match ikev2::version(a, b, init, resp, entry, local, &mut o) {
        Ok(v2) => v2,
        Err(f) => {
            o.code = f;
            return o;
        }
    };
    o.ikev2 = v2;
    let first = if v2 {
        ikev2::run(a, b, init, resp, entry, local, peer, &mut o)
    } else {
        phase1::run(configs, init, resp, entry, local, peer, &mut o)
    };
    if let Err(f) = first {
        o.code = f;
        return o;
    }
    o.step = if v2 { "IKE_AUTH" } else { "QM1" };
    if let Err(f) = phase2::run(configs, cache(resp), init, resp, entry, local, peer, &mut o) {
        o.code = f;
        return o;
    }
    o.step = if v2 { "IKE_AUTH" } else { "QM3" };
    o.code = Code::TunnelUp;
    o
}
