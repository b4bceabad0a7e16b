//! Helpers shared by the CLI crate's simulator tests.

use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_sim::Outcome;

/// The device an outcome's fix changes (its name) and the fix's commands;
/// empty when there is no fix.
pub fn fix_of(configs: &[DeviceConfig], o: &Outcome) -> (String, Vec<String>) {
    match &o.fix {
        Some(f) => (configs[f.device()].name().to_string(), f.commands(configs)),
        None => (String::new(), Vec::new()),
    }
}
