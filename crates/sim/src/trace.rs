//! The debug lines each side would print for an outcome, as that kind of
//! device prints them (IOS `debug crypto isakmp`/`ipsec`, ASA syslog at
//! level 7). Every line is one the message catalog recognises, so feeding a
//! trace to the log analyser gives back the outcome's code (see
//! [`observable`] for the codes a log cannot tell apart).

use crate::Outcome;
use ipsec_doctor_model::config::{DeviceConfig, Platform};
use ipsec_doctor_model::Code;

/// One traced line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceLine {
    /// Device that prints it.
    pub device: String,
    /// The line, with a timestamp in the device's style.
    pub text: String,
}

/// The code a log analyser can see for a simulated outcome. A responder
/// that silently ignores IKE (no crypto map on the interface) looks, from
/// the initiator's log, exactly like an unreachable peer; an IOS responder
/// whose entry names another peer prints "peer address … not found", the
/// same message as a shadowing entry.
pub fn observable(code: Code, responder: Option<Platform>) -> Code {
    match (code, responder) {
        (Code::CryptoMapMissing, _) => Code::PeerUnreachable,
        (Code::PeerAddressMismatch, Some(Platform::Ios)) => Code::CryptoMapOrder,
        (c, _) => c,
    }
}

struct Out<'a> {
    lines: Vec<TraceLine>,
    tick: u32,
    init: &'a DeviceConfig,
    resp: Option<&'a DeviceConfig>,
}

impl Out<'_> {
    fn stamp(&mut self, p: Platform) -> String {
        self.tick += 1;
        let (m, s) = (self.tick / 60, self.tick % 60);
        match p {
            Platform::Asa => format!("Mar 01 2024 00:{m:02}:{s:02}: "),
            _ => format!("*Mar  1 00:{m:02}:{s:02}.000: "),
        }
    }
    fn init(&mut self, text: &str) {
        let p = self.init.platform;
        let t = format!("{}{text}", self.stamp(p));
        self.lines.push(TraceLine {
            device: self.init.name().to_string(),
            text: t,
        });
    }
    fn resp(&mut self, text: &str) {
        let Some(r) = self.resp else { return };
        let t = format!("{}{text}", self.stamp(r.platform));
        self.lines.push(TraceLine {
            device: r.name().to_string(),
            text: t,
        });
    }
}

/// The lines both devices print for `o`. IKEv2 negotiations are not
/// traced yet (empty): the catalog's IKEv1 lines would be lines no device
/// prints for them.
pub fn trace(configs: &[DeviceConfig], o: &Outcome) -> Vec<TraceLine> {
    if o.ikev2 {
        return Vec::new();
    }
    let init = &configs[o.initiator];
    let resp = o.responder.map(|r| &configs[r]);
    let mut out = Out {
        lines: Vec::new(),
        tick: 0,
        init,
        resp,
    };
    let peer = o.peer_addr.to_string();
    let me = o
        .initiator_addr
        .map(|a| a.to_string())
        .unwrap_or_else(|| "0.0.0.0".to_string());
    let ia = init.platform == Platform::Asa;
    let ra = resp.is_some_and(|r| r.platform == Platform::Asa);
    let ip_i = |s: &str| format!("IP = {peer}, {s}");
    let grp_r = |s: &str| format!("Group = {me}, IP = {me}, {s}");

    // MM1 leaves the initiator.
    if ia {
        out.init(&format!("%ASA-5-713041: {}", ip_i(&format!("IKE Initiator: New Phase 1, Intf outside, IKE Peer {peer}  local Proxy Address 0.0.0.0, remote Proxy Address 0.0.0.0,  Crypto map (MAP)"))));
        out.init(&format!("%ASA-7-713236: {}", ip_i("IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172")));
    } else if o.code != Code::PskMissing || o.step != "MM1" {
        out.init("ISAKMP:(0): beginning Main Mode exchange");
        out.init(&format!(
            "ISAKMP:(0): sending packet to {peer} my_port 500 peer_port 500 (I) MM_NO_STATE"
        ));
    }

    match o.code {
        Code::PeerUnreachable | Code::CryptoMapMissing => {
            for _ in 0..3 {
                if ia {
                    out.init(&format!("%ASA-7-713236: {}", ip_i("IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + NONE (0) total length : 172")));
                } else {
                    out.init("ISAKMP:(0): retransmitting phase 1 MM_NO_STATE...");
                }
            }
            if ia {
                out.init(&format!(
                    "%ASA-5-713136: {}",
                    ip_i("IKE session establishment timed out [MM_WAIT_MSG2], aborting!")
                ));
            } else {
                out.init(&format!("ISAKMP:(0):deleting SA reason \"Death by retransmission P1\" state (I) MM_NO_STATE (peer {peer})"));
            }
        }
        Code::Phase1PolicyMismatch => {
            if ra {
                out.resp(&format!(
                    "%ASA-3-713902: IP = {me}, All SA proposals found unacceptable"
                ));
                out.resp(&format!(
                    "%ASA-3-713048: IP = {me}, Error processing payload: Payload ID: 1"
                ));
            } else {
                out.resp("ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy");
                out.resp("ISAKMP:(0):atts are not acceptable. Next payload is 0");
                out.resp("ISAKMP:(0):no offers accepted!");
                out.resp(&format!("ISAKMP-ERROR: (0):phase 1 SA policy not acceptable! (local {peer} remote {me})"));
                out.resp(&format!(
                    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at {me}"
                ));
            }
            if ia {
                out.init(&format!(
                    "%ASA-5-713904: {}",
                    ip_i("Received an un-encrypted NO_PROPOSAL_CHOSEN notify message, dropping")
                ));
            } else {
                out.init("ISAKMP:(0): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 1");
            }
        }
        Code::PskMissing if o.step == "MM1" => {
            if ia {
                out.init(&format!("%ASA-3-713138: IP = {peer}, Group {peer} not found and BASE GROUP default preshared key not configured"));
            } else {
                out.init(&format!("ISAKMP-ERROR: (0):No pre-shared key with {peer}!"));
                out.init("ISAKMP-ERROR: (0):No Cert or pre-shared address key.");
            }
        }
        Code::PskMissing => {
            if ra {
                out.resp(&format!("%ASA-3-713138: IP = {me}, Group {me} not found and BASE GROUP default preshared key not configured"));
            } else {
                out.resp(&format!(
                    "ISAKMP: No cert, and no keys (public or pre-shared) with remote peer {me}"
                ));
            }
            if ia {
                out.init(&format!(
                    "%ASA-5-713904: {}",
                    ip_i("Received an un-encrypted INVALID_COOKIE notify message, dropping")
                ));
            }
        }
        Code::PskMismatch => {
            if ra {
                out.resp(&format!("%ASA-3-713902: IP = {me}, ERROR, had problems decrypting packet, probably due to mismatched pre-shared key.  Aborting"));
            } else {
                out.resp(&format!("%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from {me} failed its sanity check or is malformed"));
            }
            if ia {
                out.init(&format!("%ASA-7-713236: {}", ip_i("IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + ID (5) + HASH (8) + NONE (0) total length : 92")));
            } else {
                out.init("ISAKMP:(1001): retransmitting phase 1 MM_KEY_EXCH...");
            }
        }
        code => {
            // Phase 1 completes.
            if ia {
                out.init(&format!(
                    "%ASA-5-713119: Group = {peer}, {}",
                    ip_i("PHASE 1 COMPLETED")
                ));
            } else {
                out.init("ISAKMP:(1001):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE");
                out.init("ISAKMP:(1001):beginning Quick Mode exchange, M-ID of 1000001");
            }
            if ra {
                out.resp(&format!("%ASA-5-713119: {}", grp_r("PHASE 1 COMPLETED")));
            } else {
                out.resp(&format!(
                    "ISAKMP:(1002):SA has been authenticated with {me}"
                ));
            }
            phase2_lines(&mut out, code, ia, ra, &peer, &me);
        }
    }
    out.lines
}

fn phase2_lines(out: &mut Out<'_>, code: Code, ia: bool, ra: bool, peer: &str, me: &str) {
    let g_i = format!("Group = {peer}, IP = {peer}");
    let g_r = format!("Group = {me}, IP = {me}");
    let refused_at_initiator = |out: &mut Out<'_>| {
        if ia {
            out.init(&format!("%ASA-5-713068: {g_i}, Received non-routine Notify message: No proposal chosen (14)"));
        } else {
            out.init("ISAKMP:(1001): processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3");
        }
    };
    match code {
        Code::TunnelUp => {
            if ia {
                out.init(&format!(
                    "%ASA-5-713120: {g_i}, PHASE 2 COMPLETED (msgid=000f4241)"
                ));
            } else {
                out.init("ISAKMP:(1001):Old State = IKE_QM_IPSEC_INSTALL_AWAIT  New State = IKE_QM_PHASE2_COMPLETE");
            }
            if ra {
                out.resp(&format!(
                    "%ASA-5-713120: {g_r}, PHASE 2 COMPLETED (msgid=000f4241)"
                ));
            } else {
                out.resp(
                    "ISAKMP:(1002):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE",
                );
            }
        }
        Code::PeerAddressMismatch if ra => {
            out.resp(&format!("%ASA-7-713187: Tunnel Rejected: IKE peer does not match remote peer as defined in L2L policy IKE peer address: {me}, Remote peer address: 192.0.2.99"));
            refused_at_initiator(out);
        }
        Code::ProxyIdMismatch | Code::CryptoMapMissing => {
            if ra {
                out.resp(&format!("%ASA-3-713061: {g_r}, Rejecting IPSec tunnel: no matching crypto map entry for remote proxy 0.0.0.0/0.0.0.0/0/0 local proxy 0.0.0.0/0.0.0.0/0/0 on interface outside"));
                out.resp(&format!("%ASA-3-713902: {g_r}, QM FSM error (P2 struct &0x00007fff33763a70, mess id 0x000f4241)!"));
            } else {
                out.resp("IPSEC(validate_transform_proposal): proxy identities not supported");
                out.resp("ISAKMP:(1002): IPSec policy invalidated proposal with error 32");
            }
            refused_at_initiator(out);
        }
        Code::CryptoMapOrder | Code::PeerAddressMismatch => {
            out.resp(&format!(
                "IPSEC(validate_transform_proposal): peer address {me} not found"
            ));
            refused_at_initiator(out);
        }
        Code::TransformSetMismatch => {
            if ra {
                out.resp(&format!(
                    "%ASA-3-713902: {g_r}, All IPSec SA proposals found unacceptable!"
                ));
            } else {
                out.resp("ISAKMP:(1002):Checking IPSec proposal 1");
                out.resp("IPSEC(validate_proposal): transform proposal (prot 3, trans 12, hmac_alg 2) not supported for identity");
            }
            refused_at_initiator(out);
        }
        Code::PfsMismatch => {
            if ra {
                out.resp("%ASA-5-713257: Phase 2 failure: Mismatched attribute types for class Group Description: Rcv'd: Unknown Cfg'd: Group 14");
            }
            refused_at_initiator(out);
        }
        _ => refused_at_initiator(out),
    }
}
