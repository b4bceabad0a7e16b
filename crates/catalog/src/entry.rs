//! What one catalog entry holds.

use ipsec_doctor_model::Code;

/// The kind of device that prints a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// IOS and IOS-XE routers.
    Ios,
    /// ASA (and PIX 7+, which share the syslog ids).
    Asa,
    /// PIX 6.x and older.
    Pix,
}

impl Platform {
    /// Name as shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Ios => "IOS/IOS-XE",
            Platform::Asa => "ASA/PIX 7+",
            Platform::Pix => "PIX 6.x",
        }
    }
}

/// The part of the negotiation a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// IKE phase 1 (main or aggressive mode).
    Phase1,
    /// IKE phase 2 (quick mode).
    Phase2,
    /// ESP/AH traffic once SAs exist.
    DataPlane,
    /// Keepalives, rekeys, teardown.
    Live,
    /// Platform or configuration, outside any exchange.
    Platform,
}

impl Phase {
    /// Name as shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Phase1 => "phase 1 (ISAKMP SA)",
            Phase::Phase2 => "phase 2 (quick mode)",
            Phase::DataPlane => "data plane (ESP)",
            Phase::Live => "established tunnel (keepalive, rekey, teardown)",
            Phase::Platform => "platform / configuration",
        }
    }
}

/// One message of an IKEv1 exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Main mode messages 1 to 6.
    Mm(u8),
    /// Aggressive mode messages 1 to 3.
    Am(u8),
    /// Quick mode messages 1 to 3.
    Qm(u8),
    /// IKEv2 IKE_SA_INIT: 1 the request, 2 the response.
    Init(u8),
    /// IKEv2 IKE_AUTH (which also negotiates the first child SA): 1 the
    /// request, 2 the response.
    Auth(u8),
    /// IKEv2 CREATE_CHILD_SA (further child SAs, rekeys): 1 the request, 2
    /// the response.
    Child(u8),
    /// An informational exchange (NOTIFY or DELETE), outside the numbered messages.
    Notify,
}

impl Step {
    /// A step of an IKEv2 exchange.
    pub fn is_ikev2(self) -> bool {
        matches!(self, Step::Init(_) | Step::Auth(_) | Step::Child(_))
    }

    /// Short label: `MM3`, `AM1`, `QM2`, `IKE_SA_INIT req`, `IKE_AUTH resp`.
    pub fn label(self) -> String {
        // IKEv2 exchanges are request/response pairs, named as the RFC does.
        let rr = |n: u8| if n <= 1 { "req" } else { "resp" };
        match self {
            Step::Mm(n) => format!("MM{n}"),
            Step::Am(n) => format!("AM{n}"),
            Step::Qm(n) => format!("QM{n}"),
            Step::Init(n) => format!("IKE_SA_INIT {}", rr(n)),
            Step::Auth(n) => format!("IKE_AUTH {}", rr(n)),
            Step::Child(n) => format!("CREATE_CHILD_SA {}", rr(n)),
            Step::Notify => "INFO".to_string(),
        }
    }

    /// The phase the step belongs to.
    pub fn phase(self) -> Phase {
        match self {
            Step::Mm(_) | Step::Am(_) | Step::Init(_) | Step::Auth(_) => Phase::Phase1,
            Step::Qm(_) | Step::Child(_) => Phase::Phase2,
            Step::Notify => Phase::Live,
        }
    }
}

/// How far a failure reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One offer was refused; normal when a later offer in the same phase is
    /// accepted (Cisco prints these while walking proposals).
    Offer,
    /// The negotiation of this phase failed.
    Negotiation,
    /// Traffic is being dropped on an SA; stands even when the tunnel is up.
    Traffic,
    /// Packets for an SA the receiver lost; harmless when new SAs follow.
    Transient,
}

/// What a message tells the analyser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// Recognised, carries no diagnostic weight (known red herrings).
    Noise,
    /// The exchange reached a step. `sent` is from the logging device's view.
    Progress {
        /// Which message.
        step: Step,
        /// Sent by the logging device (true) or received (false).
        sent: bool,
    },
    /// A progress line whose step comes from captures (`state`, `role`,
    /// `dir`, `payloads`): IOS FSM transitions, packet lines, ASA decode lines.
    DerivedProgress,
    /// The logging device started a negotiation (it is the initiator).
    Initiating(Phase),
    /// A phase completed.
    Complete(Phase),
    /// An IPsec SA was installed.
    SaCreated,
    /// The device starts checking offers of this phase (gives context to
    /// [`Signal::Verdict`] and [`Signal::PhaseFailed`] lines that follow).
    Checking(Phase),
    /// The offer just checked was accepted or refused. The phase is the
    /// context's; an acceptance cancels earlier [`Scope::Offer`] failures.
    Verdict {
        /// Accepted (true) or refused (false).
        accepted: bool,
    },
    /// A verdict whose phase is fixed by the message itself.
    Accepted(Phase),
    /// The current phase failed as a whole ("SA not acceptable"); the cause is
    /// in the lines before it.
    PhaseFailed,
    /// The device gave up after retransmissions or a timeout; the state it
    /// was in (captured as `state`, else the last one seen) tells why.
    GaveUp(Phase),
    /// An audit finding (weak algorithms), not a failure of the tunnel.
    Audit(Code),
    /// A failure pointing at a root cause.
    Failure {
        /// The root cause it points at.
        code: Code,
        /// How sure a lone occurrence of this message makes us (0..1).
        confidence: f32,
        /// How far the failure reaches.
        scope: Scope,
    },
    /// A symptom that several causes produce; used only when no explicit
    /// failure explains the tunnel. Candidates are ranked.
    Symptom(&'static [(Code, f32)]),
    /// The message retransmits or repeats a packet: the peer did not answer.
    Retransmit,
    /// An ISAKMP SA state as shown by `show crypto isakmp sa` or a state tag
    /// (captured as `state`).
    State,
    /// The peer (or we) deleted SAs.
    Teardown,
}

/// One catalog entry.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Stable identifier, e.g. `ios.replay-check-failed`.
    pub id: &'static str,
    /// Devices that print it.
    pub platforms: &'static [Platform],
    /// The phase it belongs to.
    pub phase: Phase,
    /// Literals, separated by `|`, one of which every occurrence contains
    /// (ASCII case-insensitive); they drive the prefilter.
    pub literal: &'static str,
    /// Regex over the message body (header stripped). Named captures the
    /// analyser understands: `peer`, `local`, `state`, `role`, `dir`, `attr`,
    /// `spi`, `payloads`, `group`, `src`, `dst` (the two ends of a `show`
    /// row: the one that is not this device's is the peer), `from`, `to` (a
    /// received IKE packet: the sender is the peer unless it is this
    /// device's own address), `host_src`, `host_dst` (end hosts of a
    /// packet, never a peer: they tie the message to the tunnel whose
    /// proxies hold them), `lnet`, `rnet` (the two proxy identities of an
    /// SA, `address/mask/…`, in either order).
    pub regex: &'static str,
    /// What it tells the analyser.
    pub signal: Signal,
    /// Short title.
    pub title: &'static str,
    /// What the message means, in plain words.
    pub meaning: &'static str,
    /// Likely causes, most likely first.
    pub causes: &'static [&'static str],
    /// What to check or change, in order.
    pub fixes: &'static [&'static str],
    /// A line as a device prints it (header included or not); tests check
    /// that it is recognised as this entry.
    pub example: &'static str,
}
