//! A generated fleet of ~300 devices through the parser and the fleet
//! simulator: the rows that are not `tunnel-up` are exactly the injected
//! faults, and every other tunnel is up.

mod common;

use common::{diff, expected, rows_of, run_fleet, without_known_gaps};
use ipsec_doctor_fleetgen::{generate, generate_plan, Fault, HubKind, Plan, Spec};

fn spec(seed: u64) -> Spec {
    Spec {
        devices: 300,
        fault_rate: 0.2,
        seed,
        // 6 hubs: every hub kind, both IOS flavours.
        spokes_per_hub: 50,
        ..Spec::default()
    }
}

fn check(plan: &Plan) {
    let g = generate_plan(plan);
    let f = run_fleet(&g);
    assert_eq!(f.devices, g.files.len());
    assert!(f.skipped_files.is_empty());
    let d = diff(&g, &f);
    assert!(d.is_empty(), "{} differences:\n{}", d.len(), d.join("\n"));
    // Non-up rows are exactly the truth; every other row is tunnel-up.
    let not_up: std::collections::BTreeSet<_> = rows_of(&f)
        .into_iter()
        .filter(|r| r.2 != "tunnel-up")
        .collect();
    assert_eq!(not_up, expected(&g.truth));
    assert_eq!(f.tunnels.len(), g.tunnels.len());
    let up = f.tunnels.iter().filter(|r| r.status == "tunnel-up").count();
    assert_eq!(up + g.truth.len(), f.tunnels.len());
}

#[test]
fn the_fleet_has_every_kind_and_fault() {
    let s = spec(1);
    let plan = Plan::from_spec(&s);
    assert_eq!(plan.hubs.len(), 6);
    for k in HubKind::ALL {
        assert!(plan.hubs.contains(&k), "{k:?}");
    }
    let faults: std::collections::BTreeSet<Fault> = plan
        .spokes
        .iter()
        .filter_map(|s| s.fault.map(|f| f.0))
        .collect();
    assert_eq!(faults.len(), Fault::ALL.len(), "{faults:?}");
    assert_eq!(
        plan.spokes.iter().filter(|s| s.fault.is_some()).count(),
        (0.2f64 * 294.0).round() as usize
    );
    let g = generate(&s);
    assert_eq!(g.files.len(), 300);
    // Same spec, same bytes.
    let again = generate(&s);
    assert_eq!(g.files, again.files);
    assert_eq!(g.truth, again.truth);
    assert!(g.truth.len() >= 59, "{}", g.truth.len());
}

#[test]
fn fleet_finds_exactly_the_injected_faults() {
    for seed in [1, 2, 3] {
        check(&without_known_gaps(Plan::from_spec(&spec(seed))));
    }
}

/// The full acceptance test, known gap included.
#[test]
fn fleet_finds_exactly_the_injected_faults_all_combinations() {
    for seed in [1, 2, 3] {
        check(&Plan::from_spec(&spec(seed)));
    }
}

#[test]
fn no_faults_means_every_tunnel_up() {
    let g = generate(&Spec {
        fault_rate: 0.0,
        ..spec(9)
    });
    assert!(g.truth.is_empty());
    let f = run_fleet(&g);
    assert_eq!(f.tunnels.len(), 294);
    assert!(f.tunnels.iter().all(|r| r.status == "tunnel-up"));
}

#[test]
fn write_to_writes_configs_and_truth() {
    let g = generate(&Spec {
        devices: 30,
        spokes_per_hub: 10,
        fault_rate: 0.3,
        ..Spec::default()
    });
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleetgen-write-to");
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = g.write_to(&dir).unwrap();
    assert_eq!(std::fs::read_dir(&cfg).unwrap().count(), 30);
    let truth = std::fs::read_to_string(dir.join("truth.csv")).unwrap();
    assert_eq!(truth.lines().count(), g.truth.len() + 1);
    assert!(truth.starts_with("device,peer_address,status,fault,injected_on\n"));
    let all = std::fs::read_to_string(dir.join("tunnels.csv")).unwrap();
    assert_eq!(all.lines().count(), g.tunnels.len() + 1);
    let _ = std::fs::remove_dir_all(&dir);
}
