//! `fleet DIR`: every configuration under a directory, every tunnel's status.

use crate::input;
use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_sim::Fleet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one configuration file gave: the parsed configuration (or `None`
/// when it is not one) and what it holds that is not simulated.
type Loaded = (Option<DeviceConfig>, Option<String>);

/// Everything read under the fleet's paths.
pub struct Read {
    /// The configurations.
    pub configs: Vec<DeviceConfig>,
    /// Files that were not configurations.
    pub skipped: Vec<String>,
    /// `path: what` for each configuration holding what is not simulated
    /// (IKEv2, VTI tunnel protection).
    pub not_simulated: Vec<String>,
}

/// Reads every configuration under `paths` with all cores.
pub fn load(paths: &[String]) -> Result<Read, String> {
    let inputs = input::expand(paths)?;
    let files: Vec<PathBuf> = inputs.iter().filter_map(|i| i.path.clone()).collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = std::io::stderr().is_terminal() && files.len() > 200;
    let mut slots: Vec<Option<Result<Loaded, String>>> = Vec::new();
    slots.resize_with(files.len(), || None);
    let results = std::sync::Mutex::new(slots);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let r = std::fs::read(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))
                    .map(|bytes| {
                        let text = String::from_utf8_lossy(&bytes);
                        // One sniff tells both "is it a configuration" and
                        // the platform (`parse` would sniff the text again).
                        let config = ipsec_doctor_config::detect(&text).map(|platform| {
                            ipsec_doctor_config::parse_as(
                                &path.display().to_string(),
                                &text,
                                platform,
                            )
                        });
                        let not_simulated = config
                            .as_ref()
                            .and_then(|_| ipsec_doctor_config::not_simulated_summary(&text));
                        (config, not_simulated)
                    });
                if let Ok(mut g) = results.lock() {
                    g[i] = Some(r);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if progress && (n.is_multiple_of(100) || n == files.len()) {
                    let mut e = std::io::stderr().lock();
                    let _ = write!(e, "\rreading configurations: {n}/{}", files.len());
                    let _ = e.flush();
                }
            });
        }
    });
    if progress {
        eprintln!();
    }
    let mut configs = Vec::new();
    let mut skipped = Vec::new();
    let slots = results
        .into_inner()
        .map_err(|_| "a worker thread panicked".to_string())?;
    let mut not_simulated = Vec::new();
    for (slot, path) in slots.into_iter().zip(&files) {
        match slot {
            Some(Ok((Some(c), ns))) => {
                if let Some(what) = ns {
                    not_simulated.push(format!("{}: {what}", path.display()));
                }
                configs.push(c);
            }
            Some(Ok((None, _))) => skipped.push(path.display().to_string()),
            Some(Err(e)) => return Err(e),
            None => return Err(format!("{} was not read", path.display())),
        }
    }
    ipsec_doctor_model::config::disambiguate_names(&mut configs);
    Ok(Read {
        configs,
        skipped,
        not_simulated,
    })
}

/// Text table.
pub fn text(f: &Fleet) -> String {
    let mut out = format!(
        "ipsec-doctor fleet: {} device(s), {} tunnel(s)\n",
        f.devices,
        f.tunnels.len()
    );
    for (k, v) in &f.summary {
        out.push_str(&format!("  {k}: {v}\n"));
    }
    if !f.skipped_files.is_empty() {
        out.push_str(&format!(
            "  {} file(s) were not configurations\n",
            f.skipped_files.len()
        ));
    }
    if !f.not_simulated.is_empty() {
        out.push_str(&format!(
            "  {} configuration(s) hold VTI tunnels, IKEv2 outside crypto maps or IKEv2 certificate authentication, which are not simulated (only crypto maps with IKEv1 or IKEv2 pre-shared keys are), e.g. {}\n",
            f.not_simulated.len(),
            f.not_simulated[0]
        ));
    }
    out.push('\n');
    let w0 = f
        .tunnels
        .iter()
        .map(|r| r.device.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let w2 = f
        .tunnels
        .iter()
        .map(|r| r.peer_device.as_deref().unwrap_or("-").len())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "{:w0$}  {:15}  {:w2$}  {:15}  {:22}  REASON\n",
        "DEVICE", "ADDRESS", "PEER", "PEER ADDRESS", "STATUS"
    ));
    for r in &f.tunnels {
        out.push_str(&format!(
            "{:w0$}  {:15}  {:w2$}  {:15}  {:22}  {}\n",
            r.device,
            r.address.as_deref().unwrap_or("-"),
            r.peer_device.as_deref().unwrap_or("-"),
            r.peer_address,
            r.status,
            r.reason
        ));
    }
    out
}

/// CSV with a header row.
pub fn csv(f: &Fleet) -> String {
    let q = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("device,address,peer_device,peer_address,status,reason\n");
    for r in &f.tunnels {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            q(&r.device),
            q(r.address.as_deref().unwrap_or("")),
            q(r.peer_device.as_deref().unwrap_or("")),
            q(&r.peer_address),
            q(&r.status),
            q(&r.reason)
        ));
    }
    out
}
