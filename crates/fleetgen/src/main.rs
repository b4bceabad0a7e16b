//! `fleetgen --devices N [--fault-rate R] [--seed S] [--spokes-per-hub K]
//! [--faults a,b,…] --out DIR`: writes a synthetic hub-and-spoke fleet to
//! `DIR/configs/` and its ground truth to `DIR/truth.csv` (every expected
//! row in `DIR/tunnels.csv`). Then run `ipsec-doctor fleet DIR/configs`.

use ipsec_doctor_fleetgen::{generate, Fault, Spec};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: fleetgen --devices N [--fault-rate 0.1] [--seed 1] [--spokes-per-hub 250] [--faults psk-mismatch,pfs-mismatch,...] --out DIR";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fleetgen: {e}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut spec = Spec::default();
    let mut out: Option<PathBuf> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let bad = |v: &str| format!("bad value for {flag}: {v}");
        match flag.as_str() {
            "--devices" => {
                let v = value()?;
                spec.devices = v.replace('_', "").parse().map_err(|_| bad(&v))?;
            }
            "--fault-rate" => {
                let v = value()?;
                spec.fault_rate = v.parse().map_err(|_| bad(&v))?;
            }
            "--seed" => {
                let v = value()?;
                spec.seed = v.parse().map_err(|_| bad(&v))?;
            }
            "--spokes-per-hub" => {
                let v = value()?;
                spec.spokes_per_hub = v.parse().map_err(|_| bad(&v))?;
            }
            "--faults" => {
                let v = value()?;
                spec.faults = v
                    .split(',')
                    .map(|f| Fault::parse(f.trim()).ok_or_else(|| bad(f)))
                    .collect::<Result<_, _>>()?;
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    spec.check()?;
    let t0 = Instant::now();
    let g = generate(&spec);
    let t1 = Instant::now();
    let cfg_dir = g
        .write_to(&out)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!(
        "fleetgen: {} devices ({:.1} MB), {} tunnels, {} faulty rows; generated in {:.2} s, written in {:.2} s to {}",
        g.files.len(),
        g.bytes() as f64 / 1e6,
        g.tunnels.len(),
        g.truth.len(),
        (t1 - t0).as_secs_f64(),
        t1.elapsed().as_secs_f64(),
        cfg_dir.display()
    );
    Ok(())
}
