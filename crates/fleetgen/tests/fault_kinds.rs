//! Every fault kind, on each side it can be injected on, for every hub kind
//! and spoke platform: a hub with the faulty spoke and two healthy ones.

mod common;

use common::{diff, known_gap, run_fleet};
use ipsec_doctor_fleetgen::{generate_plan, Fault, HubKind, Plan, Side, SpokeKind, SpokePlan};

/// Runs every applicable (hub, spoke, fault, side) combination selected by
/// `keep`; returns the failures.
fn run(keep: impl Fn(HubKind, SpokeKind, Fault, Side) -> bool) -> (usize, Vec<String>) {
    let mut runs = 0;
    let mut failures = Vec::new();
    for hub in HubKind::ALL {
        for (i, spoke) in SpokeKind::ALL.into_iter().enumerate() {
            for fault in Fault::ALL {
                for side in [Side::Spoke, Side::Hub] {
                    if !fault.applies(hub, side) || !keep(hub, spoke, fault, side) {
                        continue;
                    }
                    // Seeds vary keys, policies, transform sets, PFS and
                    // the fault's variant (e.g. which wrong group or net).
                    for seed in 1..=4u64 {
                        let neighbour = |k: usize| SpokeKind::ALL[(i + k) % SpokeKind::ALL.len()];
                        let plan = Plan {
                            hubs: vec![hub],
                            spokes: vec![
                                SpokePlan {
                                    hub: 0,
                                    kind: neighbour(1),
                                    fault: None,
                                },
                                SpokePlan {
                                    hub: 0,
                                    kind: spoke,
                                    fault: Some((fault, side)),
                                },
                                SpokePlan {
                                    hub: 0,
                                    kind: neighbour(3),
                                    fault: None,
                                },
                            ],
                            seed: seed * 7919 + i as u64,
                        };
                        let g = generate_plan(&plan);
                        assert!(!g.truth.is_empty());
                        let f = run_fleet(&g);
                        runs += 1;
                        let d = diff(&g, &f);
                        if !d.is_empty() {
                            failures.push(format!(
                                "{} hub, {} spoke, {} on {side:?} side, seed {}: {}",
                                hub.as_str(),
                                spoke.as_str(),
                                fault.as_str(),
                                plan.seed,
                                d.join("; ")
                            ));
                        }
                    }
                }
            }
        }
    }
    (runs, failures)
}

#[test]
fn every_fault_on_every_platform_pair() {
    let (runs, failures) = run(|hub, _, fault, _| !known_gap(hub, fault));
    assert!(runs > 500, "{runs}");
    assert!(
        failures.is_empty(),
        "{} of {runs} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn crypto_map_missing_behind_a_dynamic_hub() {
    let (runs, failures) = run(|hub, _, fault, _| known_gap(hub, fault));
    assert!(runs > 0);
    assert!(
        failures.is_empty(),
        "{} of {runs} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
