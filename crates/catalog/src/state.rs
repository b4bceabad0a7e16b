//! What an ISAKMP state means when a tunnel is stuck in it.

use crate::entry::Step;
use ipsec_doctor_model::Code;

/// Facts about one ISAKMP/IKE state name.
#[derive(Debug, Clone, Copy)]
pub struct StateInfo {
    /// Phase 1 is complete in this state.
    pub phase1_up: bool,
    /// The last message the device handled in this state, when the state
    /// name implies one (IOS FSM names, ASA wait states).
    pub step: Option<Step>,
    /// Whether the logging device is the initiator (`Some(true)`), the
    /// responder (`Some(false)`), or the state does not say.
    pub initiator: Option<bool>,
    /// Root causes when a negotiation ends in this state, ranked.
    pub stuck: &'static [(Code, f32)],
}

const NONE: &[(Code, f32)] = &[];
/// Stuck before the first answer. Cisco's debug note reads MM_NO_STATE as
/// "main mode failed: check that the phase-1 policies match"; when the
/// device is seen retransmitting MM1, the analyser raises peer-unreachable.
const NO_ANSWER_MM1: &[(Code, f32)] = &[
    (Code::Phase1PolicyMismatch, 0.55),
    (Code::PeerUnreachable, 0.5),
];
/// An ASA initiator waiting for MM2 (or AM2). Unlike IOS MM_NO_STATE, the
/// ASA logs a responder's refusal as its own message (un-encrypted
/// NO_PROPOSAL_CHOSEN notify), and it only leaves this state through the
/// reaper after resending MM1: no answer is the first cause (catalog ST07).
const ASA_NO_ANSWER_MSG1: &[(Code, f32)] = &[
    (Code::PeerUnreachable, 0.6),
    (Code::Phase1PolicyMismatch, 0.45),
];
const NO_ANSWER_MM3: &[(Code, f32)] = &[(Code::PeerUnreachable, 0.5), (Code::PskMissing, 0.35)];
const KEY_EXCH: &[(Code, f32)] = &[(Code::PskMismatch, 0.7), (Code::PeerAddressMismatch, 0.3)];
const WAIT_MSG4: &[(Code, f32)] = &[(Code::PskMissing, 0.6), (Code::PeerAddressMismatch, 0.35)];
const WAIT_MSG5: &[(Code, f32)] = &[(Code::PskMismatch, 0.5), (Code::PeerUnreachable, 0.4)];
const WAIT_MSG6: &[(Code, f32)] = &[(Code::PskMismatch, 0.7), (Code::PeerUnreachable, 0.3)];
const QM_WAIT: &[(Code, f32)] = &[
    (Code::PfsMismatch, 0.4),
    (Code::TransformSetMismatch, 0.35),
    (Code::ProxyIdMismatch, 0.35),
];

/// Looks up a state name as printed (`MM_KEY_EXCH`, `MM_WAIT_MSG4`,
/// `IKE_I_MM3`, `IKE_QM_I_QM1`, ...). Unknown names give `None`.
pub fn state_info(name: &str) -> Option<StateInfo> {
    let info = |phase1_up, step, initiator, stuck| StateInfo {
        phase1_up,
        step,
        initiator,
        stuck,
    };
    let s = name.trim().trim_start_matches('.');
    Some(match s {
        "MM_NO_STATE" => info(false, Some(Step::Mm(1)), None, NO_ANSWER_MM1),
        "MM_SA_SETUP" => info(false, Some(Step::Mm(3)), None, NO_ANSWER_MM3),
        "MM_KEY_EXCH" => info(false, Some(Step::Mm(5)), None, KEY_EXCH),
        "MM_KEY_AUTH" => info(true, Some(Step::Mm(6)), None, NONE),
        "AG_NO_STATE" => info(false, Some(Step::Am(1)), None, NO_ANSWER_MM1),
        "AG_INIT_EXCH" => info(false, Some(Step::Am(2)), None, KEY_EXCH),
        "AG_AUTH" => info(true, Some(Step::Am(3)), None, NONE),
        "QM_IDLE" => info(true, None, None, NONE),
        "MM_WAIT_MSG2" => info(false, Some(Step::Mm(1)), Some(true), ASA_NO_ANSWER_MSG1),
        "MM_WAIT_MSG3" => info(
            false,
            Some(Step::Mm(2)),
            Some(false),
            &[(Code::PeerUnreachable, 0.6)],
        ),
        "MM_WAIT_MSG4" => info(false, Some(Step::Mm(3)), Some(true), WAIT_MSG4),
        "MM_WAIT_MSG5" => info(false, Some(Step::Mm(4)), Some(false), WAIT_MSG5),
        "MM_WAIT_MSG6" => info(false, Some(Step::Mm(5)), Some(true), WAIT_MSG6),
        "MM_ACTIVE" | "AM_ACTIVE" => info(true, None, None, NONE),
        "AM_WAIT_MSG2" => info(false, Some(Step::Am(1)), Some(true), ASA_NO_ANSWER_MSG1),
        "AM_WAIT_MSG3" => info(false, Some(Step::Am(2)), Some(false), KEY_EXCH),
        // IOS FSM names (debug "New State = ...").
        "IKE_READY" => info(false, None, None, NONE),
        "IKE_I_MM1" => info(false, Some(Step::Mm(1)), Some(true), NO_ANSWER_MM1),
        "IKE_I_MM2" => info(false, Some(Step::Mm(2)), Some(true), NONE),
        "IKE_I_MM3" => info(false, Some(Step::Mm(3)), Some(true), NO_ANSWER_MM3),
        "IKE_I_MM4" => info(false, Some(Step::Mm(4)), Some(true), NONE),
        "IKE_I_MM5" => info(false, Some(Step::Mm(5)), Some(true), KEY_EXCH),
        "IKE_I_MM6" => info(false, Some(Step::Mm(6)), Some(true), NONE),
        "IKE_R_MM1" => info(false, Some(Step::Mm(1)), Some(false), NONE),
        "IKE_R_MM2" => info(
            false,
            Some(Step::Mm(2)),
            Some(false),
            &[(Code::PeerUnreachable, 0.55)],
        ),
        "IKE_R_MM3" => info(false, Some(Step::Mm(3)), Some(false), NONE),
        "IKE_R_MM4" => info(false, Some(Step::Mm(4)), Some(false), WAIT_MSG5),
        "IKE_R_MM5" => info(false, Some(Step::Mm(5)), Some(false), KEY_EXCH),
        "IKE_I_AM1" => info(false, Some(Step::Am(1)), Some(true), NO_ANSWER_MM1),
        "IKE_R_AM2" => info(false, Some(Step::Am(2)), Some(false), KEY_EXCH),
        "IKE_P1_COMPLETE" => info(true, Some(Step::Mm(6)), None, NONE),
        "IKE_QM_READY" => info(true, None, None, NONE),
        "IKE_QM_I_QM1" => info(true, Some(Step::Qm(1)), Some(true), QM_WAIT),
        "IKE_QM_R_QM2" => info(true, Some(Step::Qm(2)), Some(false), NONE),
        "IKE_QM_SPI_STARVE" => info(true, Some(Step::Qm(1)), Some(false), NONE),
        "IKE_QM_IPSEC_INSTALL_AWAIT" => info(true, Some(Step::Qm(2)), None, NONE),
        "IKE_QM_PHASE2_COMPLETE" => info(true, Some(Step::Qm(3)), None, NONE),
        "IKE_DEST_SA" => info(false, None, None, NONE),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stuck_states_point_at_the_documented_causes() {
        let first = |s: &str| state_info(s).and_then(|i| i.stuck.first().map(|c| c.0));
        assert_eq!(first("MM_KEY_EXCH"), Some(Code::PskMismatch));
        assert_eq!(first("MM_WAIT_MSG4"), Some(Code::PskMissing));
        assert_eq!(first("MM_WAIT_MSG6"), Some(Code::PskMismatch));
        assert_eq!(first("MM_NO_STATE"), Some(Code::Phase1PolicyMismatch));
        assert_eq!(first("MM_WAIT_MSG2"), Some(Code::PeerUnreachable));
        assert_eq!(first("AM_WAIT_MSG2"), Some(Code::PeerUnreachable));
        assert_eq!(first("QM_IDLE"), None);
        assert!(state_info("QM_IDLE").is_some_and(|i| i.phase1_up));
        assert!(state_info("NOT_A_STATE").is_none());
        assert!(state_info(".IKE_I_MM2").is_some());
    }
}
