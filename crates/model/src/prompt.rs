//! Device names from CLI prompts, one rule for every reader (show parser,
//! log analyser), so that the same device is one name in every finding.

/// The device a prompt names: `ASA/pri/act(config)` → `ASA`,
/// `R1(config-if)` → `R1`, `ASA/ctx1` → `ASA/ctx1` (a security context is
/// a device of its own). The failover suffixes (`/pri`, `/sec`, `/act`,
/// `/stby`) are the unit's role, not its name: the configuration's
/// `hostname` has none of them.
pub fn device_of_prompt(prompt: &str) -> &str {
    let mut p = prompt.split('(').next().unwrap_or(prompt);
    while let Some((head, last)) = p.rsplit_once('/') {
        if matches!(last, "pri" | "sec" | "act" | "stby") && !head.is_empty() {
            p = head;
        } else {
            break;
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failover_roles_and_modes_are_not_part_of_the_name() {
        assert_eq!(device_of_prompt("ASA/pri/act(config)"), "ASA");
        assert_eq!(device_of_prompt("fw-1/sec/stby"), "fw-1");
        assert_eq!(device_of_prompt("R1(config-if)"), "R1");
        assert_eq!(device_of_prompt("ASA/ctx1"), "ASA/ctx1");
        assert_eq!(device_of_prompt("ASA/admin/act"), "ASA/admin");
        assert_eq!(device_of_prompt("/act"), "/act");
        assert_eq!(device_of_prompt(""), "");
    }
}
