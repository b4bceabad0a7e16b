//! Throughput and memory bench for the log analyser (issue 2).
//!
//! Generates a realistic multi-device syslog collector file on the fly (no
//! disk needed): ~100 IOS / IOS-XE routers and ASAs behind an rsyslog
//! collector plus one raw `<PRI>` stream, ~90 % ordinary syslog noise and
//! ~10 % IKE/IPsec debug and syslog lines of several hundred tunnels
//! (healthy negotiations, PSK mismatches, PFS and proxy-id mismatches,
//! replay and invalid-SPI drops, ASA QM FSM errors, …), with message wording
//! copied from `examples/seed/`, `crates/logs/tests/data/variants/` and the
//! shared debug corpus. The stream comes from a deterministic xorshift PRNG,
//! so every run sees the same bytes.
//!
//! It measures (a) the generator alone and (b) generator + `LogAnalyzer`,
//! reports MB/s, lines/s, wall time, tunnels and findings, peak RSS
//! (`VmHWM`) and RSS samples every 10 % of the input.
//!
//! ```text
//! cargo bench -p ipsec-doctor-logs --bench throughput              # 1 GiB
//! BENCH_BYTES=50000000 cargo bench -p ipsec-doctor-logs --bench throughput
//! BENCH_FILE=/tmp/gen.log cargo bench -p ipsec-doctor-logs --bench throughput
//! ```
//!
//! Environment: `BENCH_BYTES` (default 1 GiB), `BENCH_SEED` (default 1),
//! `BENCH_FILE` (write the data to this file and stop),
//! `BENCH_SKIP_GEN=1` (skip the generator-only pass),
//! `BENCH_WORKERS` (analysis threads; default: one per core).
//!
//! `vs_rg.sh` beside this file times the CLI against `rg -F` on the same
//! generated file.

use ipsec_doctor_logs::LogAnalyzer;
use ipsec_doctor_model::Report;
use std::collections::BTreeMap;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::time::{Duration, Instant};

const DEFAULT_BYTES: u64 = 1 << 30;
/// Concurrent negotiations in flight across the fleet.
const ACTIVE_EPISODES: usize = 24;
/// Per mille of lines that are IKE/IPsec.
const VPN_PER_MILLE: u64 = 100;
/// Bytes generated per refill of the reader's internal buffer.
const CHUNK: usize = 64 * 1024;

// ---------------------------------------------------------------------------
// PRNG

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// xorshift64*
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// Clock

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTH_DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Simulated wall clock; the formatted stamps are rebuilt when the second changes.
struct Clock {
    ms: u64,
    shown: u64,
    /// `Sep 22 11:02:39` / `Sep  2 11:02:39` (syslog / IOS style).
    short: String,
    /// `Sep 02 2014 11:02:39` (ASA `logging timestamp` style).
    long: String,
}

impl Clock {
    fn new() -> Clock {
        // Sep 22 2014 11:02:00
        let start = ((MONTH_DAYS[..8].iter().sum::<u64>() + 21) * 86_400 + 11 * 3600 + 120) * 1000;
        let mut c = Clock {
            ms: start,
            shown: u64::MAX,
            short: String::new(),
            long: String::new(),
        };
        c.refresh();
        c
    }

    fn advance(&mut self, ms: u64) {
        self.ms += ms;
        if self.ms / 1000 != self.shown {
            self.refresh();
        }
    }

    fn millis(&self) -> u64 {
        self.ms % 1000
    }

    fn refresh(&mut self) {
        use std::fmt::Write as _;
        let secs = self.ms / 1000;
        self.shown = secs;
        let mut day = (secs / 86_400) % 365;
        let t = secs % 86_400;
        let mut m = 0;
        while day >= MONTH_DAYS[m] {
            day -= MONTH_DAYS[m];
            m += 1;
        }
        let (h, mi, s) = (t / 3600, (t / 60) % 60, t % 60);
        self.short.clear();
        let _ = write!(
            self.short,
            "{} {:>2} {h:02}:{mi:02}:{s:02}",
            MONTHS[m],
            day + 1
        );
        self.long.clear();
        let _ = write!(
            self.long,
            "{} {:02} 2014 {h:02}:{mi:02}:{s:02}",
            MONTHS[m],
            day + 1
        );
    }
}

// ---------------------------------------------------------------------------
// Fleet

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    /// `Sep 22 11:02:39 203.0.113.16 2435: Sep 22 11:02:39.204 UTC: …` (IOS 12.4/15, `ISAKMP:(1001):`)
    IosCollectorIp,
    /// `Sep 22 11:02:39 br-rtr-017 2435: *Sep 22 11:02:39.204: …` (IOS-XE, `ISAKMP: (1001):`)
    IosXeCollectorName,
    /// `<189>2435: *Sep 22 11:02:39.204: …` raw UDP capture, device not named (IOS-XE)
    IosXeRawPri,
    /// `Sep 22 11:02:39 10.9.0.1 Sep 22 2014 11:02:39: %ASA-…`
    AsaCollectorIp,
    /// `Sep 22 11:02:39 fw-dc-02.example.net %ASA-…`
    AsaCollectorName,
}

impl Form {
    fn is_asa(self) -> bool {
        matches!(self, Form::AsaCollectorIp | Form::AsaCollectorName)
    }
    fn style(self) -> Style {
        match self {
            Form::IosCollectorIp => Style::IosClassic,
            Form::IosXeCollectorName | Form::IosXeRawPri => Style::IosXe,
            Form::AsaCollectorIp | Form::AsaCollectorName => Style::Asa,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    IosClassic,
    IosXe,
    Asa,
}

struct Device {
    form: Form,
    host: String,
    local: String,
    lan: String,
    seq: u64,
    conn: u32,
    asa_conn: u64,
}

struct TunnelSpec {
    device: usize,
    peer: String,
    rnet: String,
    scenario: usize,
    busy: bool,
}

struct Scenario {
    name: &'static str,
    style: Style,
    weight: u64,
    /// Pre-split templates: literal pieces and placeholders.
    lines: Vec<Vec<Piece>>,
}

#[derive(Clone, Debug)]
enum Piece {
    Lit(String),
    Peer,
    Local,
    Conn,
    /// The IPsec SA's connection id (`sa_conn_id=`, `connection id=`).
    SaConn,
    Mid,
    /// A second and third message id of the episode (the peer's
    /// informational exchanges).
    Mid2,
    Mid3,
    HexMid,
    Spi,
    Spi2,
    LocalNet,
    RemoteNet,
    SeqNo,
}

fn compile(template: &str, style: Style) -> Vec<Piece> {
    let t = if style == Style::IosClassic {
        // IOS 12.4/15 prints `ISAKMP:(1001):` where IOS-XE prints
        // `ISAKMP: (1001):`, `ISAKMP-PAK: (1001):`, `ISAKMP-ERROR: (1001):`.
        template
            .replace("ISAKMP-PAK: (", "ISAKMP:(")
            .replace("ISAKMP-ERROR: (", "ISAKMP:(")
            .replace("ISAKMP: (", "ISAKMP:(")
    } else {
        template.to_string()
    };
    let mut out = Vec::new();
    let mut rest = t.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        let piece = match key {
            "P" => Piece::Peer,
            "L" => Piece::Local,
            "C" => Piece::Conn,
            "D" => Piece::SaConn,
            "M" => Piece::Mid,
            "N" => Piece::Mid2,
            "O" => Piece::Mid3,
            "X" => Piece::HexMid,
            "S" => Piece::Spi,
            "T" => Piece::Spi2,
            "LN" => Piece::LocalNet,
            "RN" => Piece::RemoteNet,
            "Q" => Piece::SeqNo,
            _ => {
                out.push(Piece::Lit(rest[..open + close + 1].to_string()));
                rest = &rest[open + close + 1..];
                continue;
            }
        };
        if open > 0 {
            out.push(Piece::Lit(rest[..open].to_string()));
        }
        out.push(piece);
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Lit(rest.to_string()));
    }
    out
}

// ---------------------------------------------------------------------------
// Episode templates. {P} peer, {L} local address, {C} ISAKMP conn-id,
// {M} quick-mode message id (decimal), {X} message id (hex), {S}/{T} SPIs,
// {LN}/{RN} local/remote protected networks, {Q} ESP sequence number.

const IOS_P1_START: &[&str] = &[
    "ISAKMP: (0):SA request profile is (NULL)",
    "ISAKMP: (0):Created a peer struct for {P}, peer port 500",
    "ISAKMP: (0):New peer created peer = 0x8000730939973C58 peer_handle = 0x8000000040000004",
    "ISAKMP: (0):Locking peer struct 0x8000730939973C58, refcount 1 for isakmp_initiator",
    "ISAKMP: (0):local port 500, remote port 500",
    "ISAKMP: (0):set new node 0 to QM_IDLE      ",
    "ISAKMP: (0):insert sa successfully sa = 8000730939974E40",
    "ISAKMP: (0):Can not start Aggressive mode, trying Main mode.",
    "ISAKMP: (0):found peer pre-shared key matching {P}",
    "ISAKMP: (0):constructed NAT-T vendor-rfc3947 ID",
    "ISAKMP: (0):constructed NAT-T vendor-07 ID",
    "ISAKMP: (0):Input = IKE_MESG_FROM_IPSEC, IKE_SA_REQ_MM",
    "ISAKMP: (0):Old State = IKE_READY  New State = IKE_I_MM1 ",
    "ISAKMP: (0):beginning Main Mode exchange",
    "ISAKMP-PAK: (0):sending packet to {P} my_port 500 peer_port 500 (I) MM_NO_STATE",
    "ISAKMP: (0):Sending an IKE IPv4 Packet.",
    "ISAKMP-PAK: (0):received packet from {P} dport 500 sport 500 Global (I) MM_NO_STATE",
    "ISAKMP: (0):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH",
    "ISAKMP: (0):Old State = IKE_I_MM1  New State = IKE_I_MM2 ",
    "ISAKMP: (0):processing SA payload. message ID = 0",
    "ISAKMP: (0):processing vendor id payload",
    "ISAKMP: (0):vendor ID seems Unity/DPD but major 69 mismatch",
    "ISAKMP: (0):vendor ID is NAT-T RFC 3947",
    "ISAKMP: (0):found peer pre-shared key matching {P}",
    "ISAKMP: (0):local preshared key found",
    "ISAKMP: (0):Scanning profiles for xauth ...",
    "ISAKMP: (0):Checking ISAKMP transform 1 against priority 5 policy",
    "ISAKMP: (0):      encryption AES-CBC",
    "ISAKMP: (0):      keylength of 256",
    "ISAKMP: (0):      hash SHA256",
    "ISAKMP: (0):      default group 14",
    "ISAKMP: (0):      auth pre-share",
    "ISAKMP: (0):      life type in seconds",
    "ISAKMP: (0):Hash algorithm offered does not match policy!",
    "ISAKMP: (0):atts are not acceptable. Next payload is 0",
    "ISAKMP: (0):Checking ISAKMP transform 1 against priority 10 policy",
    "ISAKMP: (0):      encryption AES-CBC",
    "ISAKMP: (0):      keylength of 256",
    "ISAKMP: (0):      hash SHA",
    "ISAKMP: (0):      default group 14",
    "ISAKMP: (0):      auth pre-share",
    "ISAKMP: (0):      life type in seconds",
    "ISAKMP: (0):atts are acceptable. Next payload is 0",
    "ISAKMP: (0):Acceptable atts:actual life: 0",
    "ISAKMP: (0):Fill atts in sa vpi_length:4",
    "ISAKMP: (0):Fill atts in sa life_in_seconds:86400",
    "ISAKMP: (0):Returning Actual lifetime: 86400",
    "ISAKMP: (0):Started lifetime timer: 86400.",
    "ISAKMP: (0):Old State = IKE_I_MM2  New State = IKE_I_MM2 ",
    "ISAKMP-PAK: (0):sending packet to {P} my_port 500 peer_port 500 (I) MM_SA_SETUP",
    "ISAKMP: (0):Sending an IKE IPv4 Packet.",
    "ISAKMP: (0):Old State = IKE_I_MM2  New State = IKE_I_MM3 ",
    "ISAKMP-PAK: (0):received packet from {P} dport 500 sport 500 Global (I) MM_SA_SETUP",
    "ISAKMP: (0):Old State = IKE_I_MM3  New State = IKE_I_MM4 ",
    "ISAKMP: (0):processing KE payload. message ID = 0",
    "ISAKMP: (0):processing NONCE payload. message ID = 0",
    "ISAKMP: (0):found peer pre-shared key matching {P}",
    "ISAKMP: ({C}):speaking to another IOS box!",
    "ISAKMP: ({C}):received payload type 20",
    "ISAKMP: ({C}):His hash no match - this node outside NAT",
    "ISAKMP: ({C}):received payload type 20",
    "ISAKMP: ({C}):No NAT Found for self or peer",
    "ISAKMP: ({C}):Old State = IKE_I_MM4  New State = IKE_I_MM4 ",
    "ISAKMP: ({C}):Send initial contact",
    "ISAKMP: ({C}):SA is doing pre-shared key authentication using id type ID_IPV4_ADDR",
    "ISAKMP: ({C}):Total payload length: 12",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (I) MM_KEY_EXCH",
    "ISAKMP: ({C}):Sending an IKE IPv4 Packet.",
    "ISAKMP: ({C}):Old State = IKE_I_MM4  New State = IKE_I_MM5 ",
];

const IOS_P1_FINISH_AND_QM: &[&str] = &[
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (I) MM_KEY_EXCH",
    "ISAKMP: ({C}):processing ID payload. message ID = 0",
    "ISAKMP: (0):peer matches *none* of the profiles",
    "ISAKMP: ({C}):processing HASH payload. message ID = 0",
    "ISAKMP: ({C}):SA authentication status: authenticated",
    "ISAKMP: ({C}):SA has been authenticated with {P}",
    "ISAKMP: (0):Trying to insert a peer {L}/{P}/500/, and inserted successfully 8000730939973C58.",
    "ISAKMP: ({C}):Old State = IKE_I_MM5  New State = IKE_I_MM6 ",
    "ISAKMP: ({C}):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE ",
    "ISAKMP: ({C}):beginning Quick Mode exchange, M-ID of {M}",
    "ISAKMP: ({C}):QM Initiator gets spi",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (I) QM_IDLE      ",
    "ISAKMP: ({C}):Sending an IKE IPv4 Packet.",
    "ISAKMP: ({C}):Old State = IKE_QM_READY  New State = IKE_QM_I_QM1",
];

const IOS_QM_OK: &[&str] = &[
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (I) QM_IDLE      ",
    "ISAKMP: ({C}):processing HASH payload. message ID = {M}",
    "ISAKMP: ({C}):processing SA payload. message ID = {M}",
    "ISAKMP: ({C}):Checking IPSec proposal 1",
    "ISAKMP: ({C}):transform 1, ESP_AES ",
    "ISAKMP: ({C}):   attributes in transform:",
    "ISAKMP: ({C}):      encaps is 1 (Tunnel)",
    "ISAKMP: ({C}):      SA life type in seconds",
    "ISAKMP: ({C}):      SA life duration (basic) of 3600",
    "ISAKMP: ({C}):      authenticator is HMAC-SHA",
    "ISAKMP: ({C}):      key length is 256",
    "ISAKMP: ({C}):atts are acceptable.",
    "ISAKMP: ({C}):processing NONCE payload. message ID = {M}",
    "ISAKMP: ({C}):processing ID payload. message ID = {M}",
    "ISAKMP: ({C}):processing ID payload. message ID = {M}",
    "ISAKMP: ({C}):Old State = IKE_QM_I_QM1  New State = IKE_QM_IPSEC_INSTALL_AWAIT",
    "ISAKMP-ERROR: (0):Failed to find peer index node to update peer_info_list",
    "ISAKMP: ({C}):Received IPSec Install callback... proceeding with the negotiation",
    "ISAKMP: ({C}):Successfully installed IPSEC SA (SPI:0x{S}) on GigabitEthernet0/0",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (I) QM_IDLE      ",
    "ISAKMP: ({C}):Sending an IKE IPv4 Packet.",
    "ISAKMP: ({C}):deleting node {M} error FALSE reason \"No Error\"",
    "ISAKMP: ({C}):Old State = IKE_QM_IPSEC_INSTALL_AWAIT  New State = IKE_QM_PHASE2_COMPLETE",
    "%CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP  .  Peer {P}:500       Id: {P}",
];

/// PSK mismatch seen from the initiator: MM5 is never answered.
const IOS_MM5_RETRANSMIT: &[&str] = &[
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):incrementing error counter on sa, attempt 1 of 5: retransmit phase 1",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (I) MM_KEY_EXCH",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):incrementing error counter on sa, attempt 2 of 5: retransmit phase 1",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (I) MM_KEY_EXCH",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):incrementing error counter on sa, attempt 3 of 5: retransmit phase 1",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):incrementing error counter on sa, attempt 4 of 5: retransmit phase 1",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):incrementing error counter on sa, attempt 5 of 5: retransmit phase 1",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):deleting SA reason \"Death by retransmission P1\" state (I) MM_KEY_EXCH (peer {P})",
    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at {P}",
];

/// PSK mismatch seen from the responder: MM5 does not decrypt.
const IOS_PSK_RESPONDER: &[&str] = &[
    "ISAKMP-PAK: (0):received packet from {P} dport 500 sport 500 Global (N) NEW SA",
    "ISAKMP: (0):Created a peer struct for {P}, peer port 500",
    "ISAKMP: (0):Old State = IKE_READY  New State = IKE_R_MM1 ",
    "ISAKMP: (0):processing SA payload. message ID = 0",
    "ISAKMP: (0):found peer pre-shared key matching {P}",
    "ISAKMP: (0):Checking ISAKMP transform 1 against priority 10 policy",
    "ISAKMP: (0):atts are acceptable. Next payload is 0",
    "ISAKMP-PAK: (0):sending packet to {P} my_port 500 peer_port 500 (R) MM_SA_SETUP",
    "ISAKMP-PAK: (0):received packet from {P} dport 500 sport 500 Global (R) MM_SA_SETUP",
    "ISAKMP: (0):processing KE payload. message ID = 0",
    "ISAKMP: (0):processing NONCE payload. message ID = 0",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (R) MM_KEY_EXCH",
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (R) MM_KEY_EXCH",
    "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from {P} failed its sanity check or is malformed",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (R) MM_KEY_EXCH",
    "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from {P} failed its sanity check or is malformed",
    "ISAKMP: ({C}): retransmitting phase 1 MM_KEY_EXCH...",
    "ISAKMP: ({C}):deleting SA reason \"Death by retransmission P1\" state (R) MM_KEY_EXCH (peer {P})",
];

/// PFS on one side only: the peer refuses quick mode (corpus s02).
const IOS_QM_PFS: &[&str] = &[
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (I) QM_IDLE      ",
    "ISAKMP: ({C}):set new node {N} to QM_IDLE      ",
    "ISAKMP: ({C}):processing HASH payload. message ID = {N}",
    "ISAKMP: ({C}):processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3",
    "ISAKMP: ({C}):deleting spi {O} message ID = {M}",
    "ISAKMP-ERROR: ({C}):deleting node {M} error TRUE reason \"Delete Larval\"",
    "ISAKMP: ({C}):deleting node {N} error FALSE reason \"Informational (in) state 1\"",
    "ISAKMP: ({C}):Input = IKE_MESG_FROM_PEER, IKE_INFO_NOTIFY",
    "ISAKMP: ({C}):Old State = IKE_P1_COMPLETE  New State = IKE_P1_COMPLETE ",
    "ISAKMP: ({C}):processing DELETE payload. message ID = {O}",
    "ISAKMP: ({C}):peer does not do paranoid keepalives.",
    "ISAKMP: ({C}):deleting SA reason \"No reason\" state (I) QM_IDLE       (peer {P})",
];

/// Responder whose crypto ACL does not mirror the peer's (corpus s08).
const IOS_QM_PROXY_RESPONDER: &[&str] = &[
    "ISAKMP-PAK: ({C}):received packet from {P} dport 500 sport 500 Global (R) QM_IDLE      ",
    "ISAKMP: ({C}):set new node {M} to QM_IDLE      ",
    "ISAKMP: ({C}):processing HASH payload. message ID = {M}",
    "ISAKMP: ({C}):processing SA payload. message ID = {M}",
    "ISAKMP: ({C}):Checking IPSec proposal 1",
    "ISAKMP: ({C}):transform 1, ESP_GCM ",
    "ISAKMP: ({C}):   attributes in transform:",
    "ISAKMP: ({C}):      encaps is 1 (Tunnel)",
    "ISAKMP: ({C}):      key length is 256",
    "ISAKMP: ({C}):atts are acceptable.",
    "ISAKMP-ERROR: ({C}):IPSec policy invalidated proposal with error 32",
    "ISAKMP-ERROR: ({C}):phase 2 SA policy not acceptable! (local {L} remote {P})",
    "ISAKMP: ({C}):Sending NOTIFY PROPOSAL_NOT_CHOSEN protocol 3",
    "ISAKMP-PAK: ({C}):sending packet to {P} my_port 500 peer_port 500 (R) QM_IDLE      ",
    "ISAKMP: ({C}):Sending an IKE IPv4 Packet.",
    "ISAKMP-ERROR: ({C}):deleting node {M} error TRUE reason \"QM rejected\"",
    "ISAKMP: ({C}):Old State = IKE_QM_READY  New State = IKE_QM_READY",
];

/// Responder with no matching ISAKMP policy.
const IOS_P1_POLICY: &[&str] = &[
    "ISAKMP-PAK: (0):received packet from {P} dport 500 sport 500 Global (N) NEW SA",
    "ISAKMP: (0):Created a peer struct for {P}, peer port 500",
    "ISAKMP: (0):Old State = IKE_READY  New State = IKE_R_MM1 ",
    "ISAKMP: (0):processing SA payload. message ID = 0",
    "ISAKMP: (0):found peer pre-shared key matching {P}",
    "ISAKMP: (0):Checking ISAKMP transform 1 against priority 10 policy",
    "ISAKMP: (0):      encryption DES-CBC",
    "ISAKMP: (0):      hash MD5",
    "ISAKMP: (0):      default group 1",
    "ISAKMP: (0):Encryption algorithm offered does not match policy!",
    "ISAKMP: (0):atts are not acceptable. Next payload is 0",
    "ISAKMP: (0):Checking ISAKMP transform 1 against priority 65535 policy",
    "ISAKMP: (0):Hash algorithm offered does not match policy!",
    "ISAKMP: (0):atts are not acceptable. Next payload is 0",
    "ISAKMP: (0):no offers accepted!",
    "ISAKMP: (0): phase 1 SA policy not acceptable! (local {L} remote {P})",
    "ISAKMP-PAK: (0):sending packet to {P} my_port 500 peer_port 500 (R) MM_NO_STATE",
    "ISAKMP: (0):deleting SA reason \"Phase1 SA policy proposal not accepted\" state (R) MM_NO_STATE (peer {P})",
    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at {P}",
];

/// `debug crypto ipsec` shows the SA and its connection id; the replay
/// syslogs name only that id.
const IOS_REPLAY: &[&str] = &[
    "IPSEC(create_sa): sa created, (sa) sa_dest= {L}, sa_prot= 50, sa_spi= 0x{S}(0), sa_trans= esp-256-aes esp-sha-hmac , sa_conn_id= {D}",
    "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id={D}, sequence number={Q}",
    "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id={D}, sequence number={Q}",
    "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id={D}, sequence number={Q}",
];

const IOSXE_REPLAY: &[&str] = &[
    "%IOSXE-3-PLATFORM: F0: cpp_cp: QFP:0.0 Thread:035 TS:00000093264418384903 %IPSEC-3-REPLAY_ERROR: IPSec SA receives anti-replay error, DP Handle 19, src_addr {P}, dest_addr {L}, SPI 0x{S}",
    "%IOSXE-3-PLATFORM: F0: cpp_cp: QFP:0.0 Thread:035 TS:00000093264418390117 %IPSEC-3-REPLAY_ERROR: IPSec SA receives anti-replay error, DP Handle 19, src_addr {P}, dest_addr {L}, SPI 0x{S}",
];

const IOS_INV_SPI: &[&str] = &[
    "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr={L}, prot=50, spi=0x{S}(2654609159), srcaddr={P}, input interface=GigabitEthernet0/0",
    "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr={L}, prot=50, spi=0x{S}(2654609159), srcaddr={P}, input interface=GigabitEthernet0/0",
];

const ASA_P1_START: &[&str] = &[
    "%ASA-7-715077: Pitcher: received a key acquire message, spi 0x0",
    "%ASA-5-713041: IP = {P}, IKE Initiator: New Phase 1, Intf inside, IKE Peer {P}  local Proxy Address {LN}, remote Proxy Address {RN},  Crypto map (outside_map)",
    "%ASA-7-715046: IP = {P}, constructing ISAKMP SA payload",
    "%ASA-7-715046: IP = {P}, constructing NAT-Traversal VID ver 02 payload",
    "%ASA-7-715046: IP = {P}, constructing NAT-Traversal VID ver RFC payload",
    "%ASA-7-715046: IP = {P}, constructing Fragmentation VID + extended capabilities payload",
    "%ASA-7-713236: IP = {P}, IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + SA (1) + VENDOR (13) + VENDOR (13) + VENDOR (13) + VENDOR (13) + NONE (0) total length : 172",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + SA (1) + NONE (0) total length : 88",
    "%ASA-7-715047: IP = {P}, processing SA payload",
    "%ASA-7-713906: IP = {P}, Oakley proposal is acceptable",
    "%ASA-7-715046: IP = {P}, constructing ke payload",
    "%ASA-7-715046: IP = {P}, constructing nonce payload",
    "%ASA-7-715046: IP = {P}, constructing Cisco Unity VID payload",
    "%ASA-7-715048: IP = {P}, Send IOS VID",
    "%ASA-7-713236: IP = {P}, IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + KE (4) + NONCE (10) + VENDOR (13) + VENDOR (13) + VENDOR (13) + VENDOR (13) + NONE (0) total length : 256",
];

const ASA_P1_MM4: &[&str] = &[
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + KE (4) + NONCE (10) + VENDOR (13) + VENDOR (13) + VENDOR (13) + VENDOR (13) + NONE (0) total length : 256",
    "%ASA-7-715047: IP = {P}, processing ke payload",
    "%ASA-7-715047: IP = {P}, processing ISA_KE payload",
    "%ASA-7-715047: IP = {P}, processing nonce payload",
    "%ASA-7-715047: IP = {P}, processing VID payload",
    "%ASA-7-715049: IP = {P}, Received DPD VID",
    "%ASA-7-713906: IP = {P}, Connection landed on tunnel_group {P}",
    "%ASA-7-713906: Group = {P}, IP = {P}, Generating keys for Initiator...",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing ID payload",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing hash payload",
    "%ASA-7-715076: Group = {P}, IP = {P}, Computing hash for ISAKMP",
    "%ASA-7-713236: IP = {P}, IKE_DECODE SENDING Message (msgid=0) with payloads : HDR + ID (5) + HASH (8) + IOS KEEPALIVE (128) + VENDOR (13) + NONE (0) total length : 96",
];

const ASA_P1_OK_AND_QM: &[&str] = &[
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + ID (5) + HASH (8) + NONE (0) total length : 84",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing ID payload",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing hash payload",
    "%ASA-7-715076: Group = {P}, IP = {P}, Computing hash for ISAKMP",
    "%ASA-6-113009: AAA retrieved default group policy (DfltGrpPolicy) for user = {P}",
    "%ASA-7-713906: Group = {P}, IP = {P}, Oakley begin quick mode",
    "%ASA-7-714002: Group = {P}, IP = {P}, IKE Initiator starting QM: msg id = {X}",
    "%ASA-5-713119: Group = {P}, IP = {P}, PHASE 1 COMPLETED",
    "%ASA-7-713121: IP = {P}, Keep-alive type for this connection: DPD",
    "%ASA-7-715080: Group = {P}, IP = {P}, Starting P1 rekey timer: 82080 seconds.",
    "%ASA-7-715006: Group = {P}, IP = {P}, IKE got SPI from key engine: SPI = 0x{S}",
    "%ASA-7-713906: Group = {P}, IP = {P}, oakley constucting quick mode",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing blank hash payload",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing IPSec SA payload",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing IPSec nonce payload",
    "%ASA-7-714004: Group = {P}, IP = {P}, IKE Initiator sending 1st QM pkt: msg id = {X}",
    "%ASA-7-713236: IP = {P}, IKE_DECODE SENDING Message (msgid={X}) with payloads : HDR + HASH (8) + SA (1) + NONCE (10) + ID (5) + ID (5) + NONE (0) total length : 200",
];

const ASA_QM_OK: &[&str] = &[
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid={X}) with payloads : HDR + HASH (8) + SA (1) + NONCE (10) + ID (5) + ID (5) + NONE (0) total length : 172",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing hash payload",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing SA payload",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing nonce payload",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing ID payload",
    "%ASA-7-714011: Group = {P}, IP = {P}, ID_IPV4_ADDR_SUBNET ID received--{RN}--255.255.255.0",
    "%ASA-7-715046: Group = {P}, IP = {P}, constructing blank hash payload",
    "%ASA-7-714004: Group = {P}, IP = {P}, IKE Initiator sending 3rd QM pkt: msg id = {X}",
    "%ASA-7-713236: IP = {P}, IKE_DECODE SENDING Message (msgid={X}) with payloads : HDR + HASH (8) + NONE (0) total length : 76",
    "%ASA-5-713049: Group = {P}, IP = {P}, Security negotiation complete for LAN-to-LAN Group ({P})  Initiator, Inbound SPI = 0x{S}, Outbound SPI = 0x{T}",
    "%ASA-6-602303: IPSEC: An outbound LAN-to-LAN SA (SPI= 0x{T}) between {L} and {P} (user= {P}) has been created.",
    "%ASA-6-602303: IPSEC: An inbound LAN-to-LAN SA (SPI= 0x{S}) between {L} and {P} (user= {P}) has been created.",
    "%ASA-5-713120: Group = {P}, IP = {P}, PHASE 2 COMPLETED (msgid={X})",
];

/// Responder whose crypto map ACL does not match the peer's proxies (seed 05).
const ASA_QM_FSM_PROXY: &[&str] = &[
    "%ASA-5-713119: Group = {P}, IP = {P}, PHASE 1 COMPLETED",
    "%ASA-7-714003: IP = {P}, IKE Responder starting QM: msg id = {X}",
    "%ASA-7-713221: Group = {P}, IP = {P}, Static Crypto Map check, checking map = outside_map, seq = 10...",
    "%ASA-7-713222: Group = {P}, IP = {P}, Static Crypto Map check, map = outside_map, seq = 10, ACL does not match proxy IDs src:{RN} dst:{LN}",
    "%ASA-3-713061: Group = {P}, IP = {P}, Rejecting IPSec tunnel: no matching crypto map entry for remote proxy {RN}/255.255.255.0/0/0 local proxy {LN}/255.255.255.0/0/0 on interface outside",
    "%ASA-3-713902: Group = {P}, IP = {P}, QM FSM error (P2 struct &0xad5b3f20, mess id 0x{X})!",
    "%ASA-3-713902: Group = {P}, IP = {P}, Removing peer from correlator table failed, no match!",
    "%ASA-5-713259: Group = {P}, IP = {P}, Session is being torn down. Reason: crypto map policy not found",
    "%ASA-4-113019: Group = {P}, Username = {P}, IP = {P}, Session disconnected. Session Type: LAN-to-LAN, Duration: 0h:00m:00s, Bytes xmt: 0, Bytes rcv: 0, Reason: crypto map policy not found",
];

/// Peer has no PSK for us: only an un-encrypted INVALID_COOKIE comes back (corpus s03).
const ASA_MM4_INVALID_COOKIE: &[&str] = &[
    "%ASA-7-715077: Pitcher: received a key acquire message, spi 0x0",
    "%ASA-6-713219: IP = {P}, Queuing KEY-ACQUIRE messages to be processed when P1 SA is complete.",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + KE (4) + NONCE (10) + VENDOR (13) + VENDOR (13) + VENDOR (13) + VENDOR (13) + NONE (0) total length : 256",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + NOTIFY (11) + NONE (0) total length :68",
    "%ASA-5-713904: IP = {P}, Received an un-encrypted INVALID_COOKIE notify message, dropping",
    "%ASA-4-713903: IP = {P}, Information Exchange processing failed",
];

/// PSK mismatch from the initiator: INVALID_HASH_INFO after MM5.
const ASA_PSK_MISMATCH: &[&str] = &[
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + NOTIFY (11) + NONE (0) total length : 68",
    "%ASA-5-713904: IP = {P}, Received an un-encrypted INVALID_HASH_INFO notify message, dropping",
    "%ASA-4-713903: IP = {P}, Information Exchange processing failed",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RESENDING Message (msgid=0) with payloads : HDR + ID (5) + HASH (8) + IOS KEEPALIVE (128) + VENDOR (13) + NONE (0) total length : 96",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid=0) with payloads : HDR + NOTIFY (11) + NONE (0) total length : 68",
    "%ASA-5-713904: IP = {P}, Received an un-encrypted INVALID_HASH_INFO notify message, dropping",
    "%ASA-4-713903: IP = {P}, Information Exchange processing failed",
    "%ASA-5-713136: Group = {P}, IP = {P}, IKE session establishment timed out [MM_WAIT_MSG6], aborting!",
    "%ASA-3-713902: Group = {P}, IP = {P}, Removing peer from peer table failed, no match!",
    "%ASA-4-713903: Group = {P}, IP = {P}, Error: Unable to remove PeerTblEntry",
];

/// Responder: initiator proposes PFS group 2, crypto map wants group 5.
const ASA_PFS_RESPONDER: &[&str] = &[
    "%ASA-5-713119: Group = {P}, IP = {P}, PHASE 1 COMPLETED",
    "%ASA-7-714003: IP = {P}, IKE Responder starting QM: msg id = {X}",
    "%ASA-7-713236: IP = {P}, IKE_DECODE RECEIVED Message (msgid={X}) with payloads : HDR + HASH (8) + SA (1) + NONCE (10) + KE (4) + ID (5) + ID (5) + NONE (0) total length : 300",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing SA payload",
    "%ASA-7-715047: Group = {P}, IP = {P}, processing ke payload",
    "%ASA-7-713221: Group = {P}, IP = {P}, Static Crypto Map check, checking map = outside_map, seq = 30...",
    "%ASA-7-713225: Group = {P}, IP = {P}, Static Crypto Map check, map outside_map, seq = 30 is a successful match",
    "%ASA-5-713257: Phase 2 failure: Mismatched attribute types for class Group Description: Rcv'd: Group 2 Cfg'd: Group 5",
    "%ASA-3-713902: Group = {P}, IP = {P}, All IPSec SA proposals found unacceptable!",
    "%ASA-3-713902: Group = {P}, IP = {P}, QM FSM error (P2 struct &0x00007f6b1e2c4a10, mess id 0x{X})!",
    "%ASA-3-713902: Group = {P}, IP = {P}, Removing peer from correlator table failed, no match!",
];

const ASA_REPLAY: &[&str] = &[
    "%ASA-4-402119: IPSEC: Received an ESP packet (SPI= 0x{S}, sequence number= 0x{Q}) from {P} (user= {P}) to {L} that failed anti-replay checking.",
    "%ASA-4-402119: IPSEC: Received an ESP packet (SPI= 0x{S}, sequence number= 0x{Q}) from {P} (user= {P}) to {L} that failed anti-replay checking.",
];

fn concat(parts: &[&[&'static str]]) -> Vec<&'static str> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

fn scenarios() -> Vec<Scenario> {
    let mut out = Vec::new();
    for style in [Style::IosClassic, Style::IosXe] {
        let replay = if style == Style::IosXe {
            IOSXE_REPLAY
        } else {
            IOS_REPLAY
        };
        let set: Vec<(&'static str, u64, Vec<&'static str>)> = vec![
            (
                "healthy",
                60,
                concat(&[IOS_P1_START, IOS_P1_FINISH_AND_QM, IOS_QM_OK]),
            ),
            (
                "psk-mismatch-initiator",
                8,
                concat(&[IOS_P1_START, IOS_MM5_RETRANSMIT]),
            ),
            ("psk-mismatch-responder", 5, IOS_PSK_RESPONDER.to_vec()),
            (
                "pfs-mismatch",
                7,
                concat(&[IOS_P1_START, IOS_P1_FINISH_AND_QM, IOS_QM_PFS]),
            ),
            (
                "proxy-mismatch-responder",
                7,
                IOS_QM_PROXY_RESPONDER.to_vec(),
            ),
            ("phase1-policy-mismatch", 5, IOS_P1_POLICY.to_vec()),
            (
                "replay",
                5,
                concat(&[IOS_P1_START, IOS_P1_FINISH_AND_QM, IOS_QM_OK, replay]),
            ),
            ("invalid-spi", 3, IOS_INV_SPI.to_vec()),
        ];
        for (name, weight, lines) in set {
            out.push(Scenario {
                name,
                style,
                weight,
                lines: lines.iter().map(|l| compile(l, style)).collect(),
            });
        }
    }
    let set: Vec<(&'static str, u64, Vec<&'static str>)> = vec![
        (
            "healthy",
            65,
            concat(&[ASA_P1_START, ASA_P1_MM4, ASA_P1_OK_AND_QM, ASA_QM_OK]),
        ),
        ("qm-fsm-proxy-mismatch", 10, ASA_QM_FSM_PROXY.to_vec()),
        (
            "mm-wait-msg4-invalid-cookie",
            8,
            concat(&[ASA_P1_START, ASA_MM4_INVALID_COOKIE]),
        ),
        (
            "psk-mismatch",
            7,
            concat(&[ASA_P1_START, ASA_P1_MM4, ASA_PSK_MISMATCH]),
        ),
        ("pfs-mismatch-responder", 5, ASA_PFS_RESPONDER.to_vec()),
        ("anti-replay", 5, ASA_REPLAY.to_vec()),
    ];
    for (name, weight, lines) in set {
        out.push(Scenario {
            name,
            style: Style::Asa,
            weight,
            lines: lines.iter().map(|l| compile(l, Style::Asa)).collect(),
        });
    }
    out
}

// ---------------------------------------------------------------------------
// Noise

const IOS_USERS: [&str; 4] = ["admin", "netops", "jdoe", "backup-svc"];
const ASA_PORTS: [u16; 8] = [443, 80, 53, 22, 25, 3389, 8443, 123];

fn ios_noise(rng: &mut Rng, dev: &Device, clock: &Clock, out: &mut Vec<u8>) {
    let gi = rng.below(4);
    let r = rng.below(100);
    let _ = if r < 22 {
        let st = if rng.below(2) == 0 { "down" } else { "up" };
        write!(out, "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/{gi}, changed state to {st}")
    } else if r < 40 {
        let st = if rng.below(2) == 0 { "down" } else { "up" };
        write!(
            out,
            "%LINK-3-UPDOWN: Interface GigabitEthernet0/{gi}, changed state to {st}"
        )
    } else if r < 70 {
        let proto = if rng.below(3) == 0 { "udp" } else { "tcp" };
        write!(
            out,
            "%SEC-6-IPACCESSLOGP: list OUTSIDE-IN denied {proto} {}.{}.{}.{}({}) -> {}({}), {}",
            rng.below(223) + 1,
            rng.below(256),
            rng.below(256),
            rng.below(254) + 1,
            rng.below(60_000) + 1024,
            dev.local,
            rng.pick(&[22u16, 23, 161, 445, 3389]),
            rng.pick(&["1 packet", "1 packet", "3 packets", "12 packets"])
        )
    } else if r < 78 {
        write!(
            out,
            "%SYS-5-CONFIG_I: Configured from console by {} on vty0 (10.0.0.{})",
            rng.pick(&IOS_USERS),
            rng.below(250) + 2
        )
    } else if r < 85 {
        write!(
            out,
            "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: {}] [Source: 10.0.0.{}] [localport: 22] at {}.{:03} UTC Mon Sep 22 2014",
            rng.pick(&IOS_USERS),
            rng.below(250) + 2,
            &clock.short[7..],
            clock.millis()
        )
    } else if r < 91 {
        let (from, to) = *rng.pick(&[
            ("LOADING", "FULL, Loading Done"),
            ("FULL", "DOWN, Neighbor Down: Dead timer expired"),
            ("INIT", "2WAY, 2-Way Received"),
        ]);
        write!(out, "%OSPF-5-ADJCHG: Process 1, Nbr 10.255.{}.{} on GigabitEthernet0/{gi} from {from} to {to}", rng.below(32), rng.below(254) + 1)
    } else if r < 95 {
        let st = if rng.below(2) == 0 {
            "Up"
        } else {
            "Down BGP Notification sent"
        };
        write!(
            out,
            "%BGP-5-ADJCHANGE: neighbor 192.0.2.{} {st}",
            rng.below(254) + 1
        )
    } else if r < 98 {
        write!(
            out,
            "%SSH-5-SSH2_SESSION: SSH2 Session request from 10.0.0.{} (tty = 0) using crypto cipher 'aes256-ctr', hmac 'hmac-sha2-256' Succeeded",
            rng.below(250) + 2
        )
    } else {
        write!(
            out,
            "%CDP-4-NATIVE_VLAN_MISMATCH: Native VLAN mismatch discovered on GigabitEthernet0/{gi} (1), with sw-access-{:02} GigabitEthernet1/0/{} (10).",
            rng.below(40),
            rng.below(48) + 1
        )
    };
}

fn asa_noise(rng: &mut Rng, dev: &mut Device, out: &mut Vec<u8>) {
    let r = rng.below(100);
    let ext = |rng: &mut Rng| {
        format!(
            "{}.{}.{}.{}",
            rng.below(223) + 1,
            rng.below(256),
            rng.below(256),
            rng.below(254) + 1
        )
    };
    let _ = if r < 30 {
        dev.asa_conn += 1 + rng.below(3);
        let port = *rng.pick(&ASA_PORTS);
        let cport = rng.below(60_000) + 1024;
        let host = rng.below(250) + 2;
        write!(
            out,
            "%ASA-6-302013: Built outbound TCP connection {} for outside:{}/{port} ({}/{port}) to inside:{}.{host}/{cport} ({}/{cport})",
            dev.asa_conn,
            ext(rng),
            ext(rng),
            dev.lan,
            dev.local
        )
    } else if r < 58 {
        let port = *rng.pick(&ASA_PORTS);
        write!(
            out,
            "%ASA-6-302014: Teardown TCP connection {} for outside:{}/{port} to inside:{}.{}/{} duration 0:{:02}:{:02} bytes {} {}",
            dev.asa_conn.saturating_sub(rng.below(2000)),
            ext(rng),
            dev.lan,
            rng.below(250) + 2,
            rng.below(60_000) + 1024,
            rng.below(60),
            rng.below(60),
            rng.below(2_000_000),
            rng.pick(&["TCP FINs", "TCP Reset-I", "TCP Reset-O", "SYN Timeout"])
        )
    } else if r < 70 {
        dev.asa_conn += 1;
        let cport = rng.below(60_000) + 1024;
        write!(
            out,
            "%ASA-6-302015: Built outbound UDP connection {} for outside:{}/53 ({}/53) to inside:{}.{}/{cport} ({}/{cport})",
            dev.asa_conn,
            rng.pick(&["8.8.8.8", "1.1.1.1", "9.9.9.9"]),
            rng.pick(&["8.8.8.8", "1.1.1.1", "9.9.9.9"]),
            dev.lan,
            rng.below(250) + 2,
            dev.local
        )
    } else if r < 80 {
        write!(
            out,
            "%ASA-6-302016: Teardown UDP connection {} for outside:8.8.8.8/53 to inside:{}.{}/{} duration 0:00:00 bytes {}",
            dev.asa_conn.saturating_sub(rng.below(500)),
            dev.lan,
            rng.below(250) + 2,
            rng.below(60_000) + 1024,
            rng.below(600) + 40
        )
    } else if r < 90 {
        write!(
            out,
            "%ASA-4-106023: Deny tcp src outside:{}/{} dst inside:{}.{}/{} by access-group \"OUTSIDE_IN\" [0x0, 0x0]",
            ext(rng),
            rng.below(60_000) + 1024,
            dev.lan,
            rng.below(250) + 2,
            rng.pick(&[445u16, 23, 3389, 1433])
        )
    } else if r < 95 {
        let cport = rng.below(60_000) + 1024;
        write!(
            out,
            "%ASA-6-305011: Built dynamic TCP translation from inside:{}.{}/{cport} to outside:{}/{cport}",
            dev.lan,
            rng.below(250) + 2,
            dev.local
        )
    } else if r < 98 {
        write!(
            out,
            "%ASA-6-106015: Deny TCP (no connection) from {}.{}/443 to {}/{} flags RST  on interface inside",
            dev.lan,
            rng.below(250) + 2,
            ext(rng),
            rng.below(60_000) + 1024
        )
    } else {
        write!(
            out,
            "%ASA-5-111008: User 'enable_15' executed the 'write memory' command."
        )
    };
}

// ---------------------------------------------------------------------------
// Generator

struct Episode {
    tunnel: usize,
    pos: usize,
    conn: u32,
    mid: i32,
    mid2: i32,
    mid3: i32,
    xmid: u32,
    spi: u32,
    spi2: u32,
}

/// Progress points (fractions of the input) at which RSS is sampled.
const SAMPLE_POINTS: usize = 10;

/// The generated syslog as a `Read` stream.
pub struct Generator {
    rng: Rng,
    clock: Clock,
    devices: Vec<Device>,
    /// Cumulative weights for picking the device of a noise line.
    noise_weights: Vec<u64>,
    tunnels: Vec<TunnelSpec>,
    scenarios: Vec<Scenario>,
    active: Vec<Episode>,
    buf: Vec<u8>,
    pos: usize,
    limit: u64,
    produced: u64,
    lines: u64,
    vpn_lines: u64,
    episodes: u64,
    /// (percent, VmRSS kB) samples taken while producing.
    samples: Vec<(u32, u64)>,
    sample_rss: bool,
}

impl Generator {
    fn new(limit: u64, seed: u64, sample_rss: bool) -> Generator {
        let mut rng = Rng::new(seed);
        let scenarios = scenarios();
        let mut devices = Vec::new();
        let mut plan: Vec<Form> = Vec::new();
        plan.extend(std::iter::repeat_n(Form::IosCollectorIp, 48));
        plan.extend(std::iter::repeat_n(Form::IosXeCollectorName, 32));
        plan.extend(std::iter::repeat_n(Form::AsaCollectorIp, 16));
        plan.extend(std::iter::repeat_n(Form::AsaCollectorName, 8));
        plan.push(Form::IosXeRawPri);
        for (i, form) in plan.into_iter().enumerate() {
            let host = match form {
                Form::IosCollectorIp => {
                    format!("10.{}.{}.{}", 20 + i / 200, (i * 7) % 250, 1 + i % 250)
                }
                Form::IosXeCollectorName => format!("br-rtr-{i:03}"),
                Form::AsaCollectorIp => format!("172.16.{}.1", i),
                Form::AsaCollectorName => format!("fw-dc-{i:02}.example.net"),
                Form::IosXeRawPri => String::new(),
            };
            devices.push(Device {
                form,
                host,
                local: format!("192.0.{}.{}", 2 + i / 250, 1 + i % 250),
                lan: format!("10.{}.{}", 100 + i / 250, i % 250),
                seq: rng.below(90_000) + 1000,
                conn: 1000 + rng.below(8000) as u32,
                asa_conn: rng.below(5_000_000),
            });
        }
        // Firewalls are chattier than routers.
        let mut noise_weights = Vec::new();
        let mut acc = 0;
        for d in &devices {
            acc += if d.form.is_asa() { 4 } else { 1 };
            noise_weights.push(acc);
        }
        // Tunnels: a fixed population, each with a fixed scenario.
        let mut tunnels = Vec::new();
        for (di, d) in devices.iter().enumerate() {
            let style = d.form.style();
            let n = if d.form.is_asa() {
                4 + rng.below(13)
            } else {
                1 + rng.below(6)
            };
            let choices: Vec<usize> = (0..scenarios.len())
                .filter(|&s| scenarios[s].style == style)
                .collect();
            let total: u64 = choices.iter().map(|&s| scenarios[s].weight).sum();
            for k in 0..n {
                let mut w = rng.below(total);
                let mut scenario = choices[0];
                for &s in &choices {
                    if w < scenarios[s].weight {
                        scenario = s;
                        break;
                    }
                    w -= scenarios[s].weight;
                }
                tunnels.push(TunnelSpec {
                    device: di,
                    peer: format!(
                        "{}.{}.{}.{}",
                        rng.pick(&[198u64, 203, 100, 45]),
                        rng.below(256),
                        (di * 13 + k as usize) % 256,
                        1 + rng.below(254)
                    ),
                    rnet: format!("10.{}.{}.0", 200 + rng.below(50), rng.below(256)),
                    scenario,
                    busy: false,
                });
            }
        }
        let mut g = Generator {
            rng,
            clock: Clock::new(),
            devices,
            noise_weights,
            tunnels,
            scenarios,
            active: Vec::new(),
            buf: Vec::with_capacity(CHUNK + 1024),
            pos: 0,
            limit,
            produced: 0,
            lines: 0,
            vpn_lines: 0,
            episodes: 0,
            samples: Vec::new(),
            sample_rss,
        };
        while g.active.len() < ACTIVE_EPISODES {
            g.start_episode();
        }
        g
    }

    fn start_episode(&mut self) {
        let t = loop {
            let t = self.rng.below(self.tunnels.len() as u64) as usize;
            if !self.tunnels[t].busy {
                break t;
            }
        };
        self.tunnels[t].busy = true;
        let d = &mut self.devices[self.tunnels[t].device];
        d.conn = if d.conn >= 32_000 { 1001 } else { d.conn + 1 };
        let conn = d.conn;
        let ep = Episode {
            tunnel: t,
            pos: 0,
            conn,
            mid: self.rng.next() as i32,
            mid2: self.rng.next() as i32,
            mid3: self.rng.next() as i32,
            xmid: self.rng.next() as u32,
            spi: self.rng.next() as u32 | 0x1000_0000,
            spi2: self.rng.next() as u32 | 0x1000_0000,
        };
        self.episodes += 1;
        self.active.push(ep);
    }

    fn prefix(&mut self, dev: usize) {
        let d = &mut self.devices[dev];
        d.seq += 1;
        let c = &self.clock;
        let ms = c.millis();
        let out = &mut self.buf;
        let _ = match d.form {
            Form::IosCollectorIp => write!(
                out,
                "{} {} {}: {}.{ms:03} UTC: ",
                c.short, d.host, d.seq, c.short
            ),
            Form::IosXeCollectorName => write!(
                out,
                "{} {} {}: *{}.{ms:03}: ",
                c.short, d.host, d.seq, c.short
            ),
            Form::IosXeRawPri => write!(out, "<189>{}: *{}.{ms:03}: ", d.seq, c.short),
            Form::AsaCollectorIp => write!(out, "{} {} {}: ", c.short, d.host, c.long),
            Form::AsaCollectorName => write!(out, "{} {} ", c.short, d.host),
        };
    }

    fn noise_line(&mut self) {
        let top = *self.noise_weights.last().unwrap_or(&1);
        let w = self.rng.below(top);
        let dev = self.noise_weights.partition_point(|&c| c <= w);
        self.prefix(dev);
        let d = &mut self.devices[dev];
        if d.form.is_asa() {
            asa_noise(&mut self.rng, d, &mut self.buf);
        } else {
            ios_noise(&mut self.rng, d, &self.clock, &mut self.buf);
        }
        self.buf.push(b'\n');
    }

    fn vpn_line(&mut self) {
        let i = self.rng.below(self.active.len() as u64) as usize;
        let (tunnel, pos) = (self.active[i].tunnel, self.active[i].pos);
        let spec = &self.tunnels[tunnel];
        let dev = spec.device;
        self.prefix(dev);
        let ep = &self.active[i];
        let spec = &self.tunnels[tunnel];
        let d = &self.devices[dev];
        let sc = &self.scenarios[spec.scenario];
        let out = &mut self.buf;
        for piece in &sc.lines[pos] {
            let _ = match piece {
                Piece::Lit(s) => {
                    out.extend_from_slice(s.as_bytes());
                    Ok(())
                }
                Piece::Peer => {
                    out.extend_from_slice(spec.peer.as_bytes());
                    Ok(())
                }
                Piece::Local => {
                    out.extend_from_slice(d.local.as_bytes());
                    Ok(())
                }
                Piece::LocalNet => write!(out, "{}.0", d.lan),
                Piece::RemoteNet => {
                    out.extend_from_slice(spec.rnet.as_bytes());
                    Ok(())
                }
                Piece::Conn => write!(out, "{}", ep.conn),
                // IOS numbers IPsec SAs apart from ISAKMP SAs (1001 / 2001).
                Piece::SaConn => write!(out, "{}", u64::from(ep.conn) + 1000),
                Piece::Mid => write!(out, "{}", ep.mid),
                Piece::Mid2 => write!(out, "{}", ep.mid2),
                Piece::Mid3 => write!(out, "{}", ep.mid3),
                Piece::HexMid => write!(out, "{:08x}", ep.xmid),
                Piece::Spi => write!(out, "{:08X}", ep.spi),
                Piece::Spi2 => write!(out, "{:08X}", ep.spi2),
                Piece::SeqNo => write!(out, "{}", 1000 + (self.rng.next() % 90_000)),
            };
        }
        out.push(b'\n');
        self.vpn_lines += 1;
        let done = pos + 1 >= sc.lines.len();
        if done {
            self.tunnels[tunnel].busy = false;
            self.active.swap_remove(i);
            self.start_episode();
        } else {
            self.active[i].pos += 1;
        }
    }

    fn refill(&mut self) {
        self.buf.clear();
        self.pos = 0;
        while self.buf.len() < CHUNK && self.produced + (self.buf.len() as u64) < self.limit {
            self.clock.advance(self.rng.below(25));
            if self.rng.below(1000) < VPN_PER_MILLE {
                self.vpn_line();
            } else {
                self.noise_line();
            }
            self.lines += 1;
        }
        let before = self.produced;
        self.produced += self.buf.len() as u64;
        if self.sample_rss && self.limit > 0 {
            let step = self.limit / SAMPLE_POINTS as u64;
            for k in 1..=SAMPLE_POINTS as u64 {
                let at = step * k;
                if before < at && self.produced >= at {
                    self.samples.push((
                        (k * 100 / SAMPLE_POINTS as u64) as u32,
                        status_kb("VmRSS").unwrap_or(0),
                    ));
                }
            }
        }
    }
}

impl Read for Generator {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.buf.len() {
            if self.produced >= self.limit {
                return Ok(0);
            }
            self.refill();
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------
// Measurement

fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find_map(|l| {
        let rest = l.strip_prefix(key)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn mb_s(bytes: u64, d: Duration) -> f64 {
    mb(bytes) / d.as_secs_f64()
}

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The root cause each generated scenario should be diagnosed as.
fn expected_code(scenario: &str) -> &'static str {
    match scenario {
        "healthy" => "tunnel-up",
        "psk-mismatch" | "psk-mismatch-initiator" | "psk-mismatch-responder" => "psk-mismatch",
        "pfs-mismatch" | "pfs-mismatch-responder" => "pfs-mismatch",
        "proxy-mismatch-responder" | "qm-fsm-proxy-mismatch" => "proxy-id-mismatch",
        "phase1-policy-mismatch" => "phase1-policy-mismatch",
        "replay" | "anti-replay" => "replay-reordering",
        "invalid-spi" => "invalid-spi",
        // MM_WAIT_MSG4 with INVALID_COOKIE: the peer has no key for us.
        "mm-wait-msg4-invalid-cookie" => "psk-missing",
        _ => "?",
    }
}

/// Compares each generated tunnel's status in the report with its
/// scenario's root cause.
fn accuracy(report: &Report, g: &Generator) {
    let mut right = 0;
    let mut wrong: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing = 0;
    for t in &g.tunnels {
        let d = &g.devices[t.device];
        let want = expected_code(g.scenarios[t.scenario].name);
        let raw = d.form == Form::IosXeRawPri;
        let got = report.tunnels.iter().find(|r| {
            r.peer.as_deref() == Some(t.peer.as_str())
                && (r.device.as_deref() == Some(d.host.as_str()) || (raw && r.device.is_none()))
        });
        match got {
            Some(r) if r.status.as_str() == want => right += 1,
            Some(r) => {
                if std::env::var_os("BENCH_SHOW_WRONG").is_some() {
                    println!(
                        "      {} {} {} -> {}",
                        d.host,
                        t.peer,
                        g.scenarios[t.scenario].name,
                        r.status.as_str()
                    );
                }
                *wrong
                    .entry(format!(
                        "{:?}/{} as {}",
                        d.form,
                        g.scenarios[t.scenario].name,
                        r.status.as_str()
                    ))
                    .or_default() += 1
            }
            None => {
                if std::env::var_os("BENCH_SHOW_WRONG").is_some() {
                    println!(
                        "      {} {} {} -> not found",
                        d.host, t.peer, g.scenarios[t.scenario].name
                    );
                }
                missing += 1
            }
        }
    }
    println!(
        "    accuracy: {right} of {} generated tunnels diagnosed as their scenario's cause, {missing} not found",
        g.tunnels.len()
    );
    for (k, n) in &wrong {
        println!("      {n} × {k}");
    }
}

fn main() -> io::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let bytes = env_u64("BENCH_BYTES", DEFAULT_BYTES);
    let seed = env_u64("BENCH_SEED", 1);

    if let Ok(path) = std::env::var("BENCH_FILE") {
        let mut g = Generator::new(bytes, seed, false);
        let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        let t = Instant::now();
        io::copy(&mut g, &mut w)?;
        w.flush()?;
        println!(
            "wrote {path}: {} bytes, {} lines ({} IKE/IPsec), {} tunnels, {:.1} s",
            g.produced,
            g.lines,
            g.vpn_lines,
            g.tunnels.len(),
            t.elapsed().as_secs_f64()
        );
        return Ok(());
    }

    let rss_start = status_kb("VmRSS").unwrap_or(0);
    println!("ipsec-doctor throughput bench: BENCH_BYTES={bytes} BENCH_SEED={seed}");

    // (a) generator alone
    let gen_only = if std::env::var_os("BENCH_SKIP_GEN").is_none() {
        let mut g = BufReader::with_capacity(64 * 1024, Generator::new(bytes, seed, false));
        let t = Instant::now();
        let n = io::copy(&mut g, &mut io::sink())?;
        let el = t.elapsed();
        let lines = g.get_ref().lines;
        println!(
            "(a) generator only: {} bytes, {lines} lines in {:.2} s = {:.1} MB/s",
            n,
            el.as_secs_f64(),
            mb_s(n, el)
        );
        Some((n, el))
    } else {
        None
    };
    let hwm_after_gen = status_kb("VmHWM").unwrap_or(0);

    // (b) generator + analysis
    let catalog_t = Instant::now();
    let mut a = LogAnalyzer::new();
    if let Ok(n) = std::env::var("BENCH_WORKERS") {
        a = a.workers(n.parse().unwrap_or(1));
    }
    let catalog_el = catalog_t.elapsed();
    let rss_before = status_kb("VmRSS").unwrap_or(0);
    let gen = Generator::new(bytes, seed, true);
    let expected_tunnels = gen.tunnels.len();
    let mut reader = BufReader::with_capacity(64 * 1024, gen);
    let t = Instant::now();
    a.add_reader("generated.log", &mut reader)?;
    let feed_el = t.elapsed();
    let rss_after_feed = status_kb("VmRSS").unwrap_or(0);
    let t2 = Instant::now();
    let report: Report = a.finish();
    let finish_el = t2.elapsed();
    let total = feed_el + finish_el;
    let g = reader.get_ref();
    let (n, lines) = (g.produced, g.lines);
    let hwm = status_kb("VmHWM").unwrap_or(0);
    let rss_end = status_kb("VmRSS").unwrap_or(0);

    println!(
        "(b) generator + analysis: {} bytes, {lines} lines ({} IKE/IPsec, {:.1} %), {} negotiations",
        n,
        g.vpn_lines,
        100.0 * g.vpn_lines as f64 / lines.max(1) as f64,
        g.episodes
    );
    println!(
        "    LogAnalyzer::new (catalog compile): {:.3} s",
        catalog_el.as_secs_f64()
    );
    println!(
        "    add_reader: {:.2} s, finish: {:.3} s, total: {:.2} s",
        feed_el.as_secs_f64(),
        finish_el.as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "    throughput (incl. generator): {:.1} MB/s, {:.0} lines/s",
        mb_s(n, total),
        lines as f64 / total.as_secs_f64()
    );
    if let Some((gn, gel)) = gen_only {
        if gn == n && total > gel {
            let net = total - gel;
            println!(
                "    throughput (generator time subtracted): {:.1} MB/s, {:.0} lines/s",
                mb_s(n, net),
                lines as f64 / net.as_secs_f64()
            );
        }
    }
    let inp = &report.inputs[0];
    println!(
        "    report: {} tunnels (generator has {expected_tunnels}), {} findings; lines used {} / ignored {} / skipped {} / truncated {}",
        report.tunnels.len(),
        report.findings.len(),
        inp.used,
        inp.ignored,
        inp.skipped,
        inp.truncated
    );
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *codes.entry(f.code.as_str()).or_default() += 1;
    }
    let mut codes: Vec<_> = codes.into_iter().collect();
    codes.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    println!(
        "    findings by code: {}",
        codes
            .iter()
            .map(|(c, k)| format!("{c} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut scen: BTreeMap<String, usize> = BTreeMap::new();
    for t in &g.tunnels {
        let s = &g.scenarios[t.scenario];
        *scen.entry(format!("{:?}/{}", s.style, s.name)).or_default() += 1;
    }
    println!(
        "    generated tunnels by scenario: {}",
        scen.iter()
            .map(|(c, k)| format!("{c} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    accuracy(&report, g);
    println!("memory (kB): VmRSS at start {rss_start}, after generator-only pass VmHWM {hwm_after_gen}, before analysis VmRSS {rss_before}");
    println!(
        "    VmRSS during analysis: {}",
        g.samples
            .iter()
            .map(|(p, kb)| format!("{p}%={kb}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "    VmRSS after add_reader {rss_after_feed}, after finish {rss_end}; peak VmHWM {hwm}"
    );
    Ok(())
}
