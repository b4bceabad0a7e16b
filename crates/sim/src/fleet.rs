//! Fleet view: one row per tunnel of many devices, with its status.

use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::Code;
use serde::Serialize;

/// One tunnel of the fleet.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRow {
    /// Device whose crypto map defines the tunnel.
    pub device: String,
    /// Its address toward the peer.
    pub address: Option<String>,
    /// The peer device (hostname), when its configuration was given.
    pub peer_device: Option<String>,
    /// The peer address the crypto map names.
    pub peer_address: String,
    /// Root-cause code, `tunnel-up`, or `peer-config-missing`.
    pub status: String,
    /// One line.
    pub reason: String,
}

/// The fleet answer.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    /// Configurations read.
    pub devices: usize,
    /// Files that were not configurations.
    pub skipped_files: Vec<String>,
    /// Tunnels, failing ones first.
    pub tunnels: Vec<FleetRow>,
    /// Count per status.
    pub summary: std::collections::BTreeMap<String, usize>,
    /// Configurations that hold what is not simulated (IKEv2, VTI tunnel
    /// protection): `path: what (lines)`. Filled by the caller, which has
    /// the texts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_simulated: Vec<String>,
}

fn rank(status: &str) -> u8 {
    match status {
        "tunnel-up" => 3,
        "peer-config-missing" => 2,
        "weak-crypto" => 1,
        _ => 0,
    }
}

/// Simulates every tunnel of the fleet.
pub fn fleet(configs: &[DeviceConfig], skipped: Vec<String>) -> Fleet {
    let results = crate::simulate(configs);
    let mut rows = Vec::with_capacity(results.len());
    for t in &results {
        let a = &configs[t.a];
        let worst = match &t.reverse {
            Some(r) if r.code != Code::TunnelUp && t.forward.code == Code::TunnelUp => r,
            _ => &t.forward,
        };
        let (status, reason) = match worst.responder {
            None => (
                "peer-config-missing".to_string(),
                format!("no configuration given owns {}", t.peer),
            ),
            Some(_) if worst.code == Code::TunnelUp => {
                // Up, but an IKEv2 rekey that would fail is worth the row.
                match crate::findings::rekey_pfs(configs, t) {
                    Some(f) => (f.code.as_str().to_string(), f.title),
                    None => ("tunnel-up".to_string(), "both phases agree".to_string()),
                }
            }
            Some(_) => {
                let who = configs[worst.initiator].name();
                (
                    worst.code.as_str().to_string(),
                    format!("{} (when {who} initiates, at {})", worst.detail, worst.step),
                )
            }
        };
        rows.push(FleetRow {
            device: a.name().to_string(),
            address: t.forward.initiator_addr.map(|x| x.to_string()),
            peer_device: t.forward.responder.map(|r| configs[r].name().to_string()),
            peer_address: t.peer.to_string(),
            status,
            reason,
        });
    }
    rows.sort_by(|x, y| {
        rank(&x.status)
            .cmp(&rank(&y.status))
            .then_with(|| x.device.cmp(&y.device))
    });
    let mut summary = std::collections::BTreeMap::new();
    for r in &rows {
        *summary.entry(r.status.clone()).or_insert(0) += 1;
    }
    Fleet {
        devices: configs.len(),
        skipped_files: skipped,
        tunnels: rows,
        summary,
        not_simulated: Vec::new(),
    }
}
