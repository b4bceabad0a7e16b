//! `show crypto isakmp sa [detail]` (IOS/IOS-XE, PIX 6.x, ASA 7.x–9.x) and
//! ASA `show crypto ikev1 sa [detail]`.
//!
//! Parsed token by token rather than line by line: a header such as
//! `dst src state conn-id slot` followed by rows parses the same whether
//! the rows are on their own lines or flattened onto the header's line.

use crate::text::Text;
use crate::text::{is_ip, is_state_word, num, num32};
use crate::{LineRef, What};
use serde::Serialize;

/// Which layout the SA was printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IsakmpFormat {
    /// IOS table `dst src state conn-id slot [status]` (12.x, 15.x, IOS-XE);
    /// also its IPv6 rows, printed stacked (`dst: A` / `src: B` / `state:
    /// QM_IDLE conn-id: 1001 slot: 0 status: ACTIVE`) since the addresses do
    /// not fit the columns.
    IosTable,
    /// IOS `detail` table `C-id Local Remote I-VRF Status Encr Hash Auth DH
    /// Lifetime Cap.` (IOS-XE: `Conn id … fvrf/ivrf …`); also its stacked
    /// IPv6 rows (`dst:` / `src:` / `conn-id: … Encr: …` / `DH: … Cap: …`).
    IosDetail,
    /// PIX 6.x `Total/Embryonic` table `dst src state pending created`.
    Pix,
    /// ASA 7.x–9.x numbered `IKE Peer:` blocks with `Key : value` pairs.
    AsaBlock,
    /// ASA `show crypto ikev1 sa detail` table `IKE Peer Type Dir Rky State …`.
    AsaTable,
}

/// One ISAKMP (IKEv1) SA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsakmpSa {
    /// Line the SA starts on.
    pub line: u64,
    /// Layout it was printed in.
    pub format: IsakmpFormat,
    /// IKE version when the output says (`IKEv1 SAs:` sections).
    pub ike_version: Option<u8>,
    /// ASA block / row number.
    pub index: Option<u32>,
    /// IOS/PIX `dst`.
    pub dst: Option<Text>,
    /// IOS/PIX `src`.
    pub src: Option<Text>,
    /// IOS detail `Local`.
    pub local: Option<Text>,
    /// IOS detail `Remote`; ASA `IKE Peer`.
    pub peer: Option<Text>,
    /// State (`QM_IDLE`, `MM_NO_STATE`, `MM_WAIT_MSG2`, `AM_ACTIVE`, …).
    pub state: Option<Text>,
    /// IOS `conn-id` / detail `C-id`.
    pub conn_id: Option<i64>,
    /// IOS `slot`.
    pub slot: Option<i64>,
    /// IOS `status` (`ACTIVE`, `ACTIVE (deleted)`).
    pub status: Option<Text>,
    /// PIX `pending`.
    pub pending: Option<u64>,
    /// PIX `created`.
    pub created: Option<u64>,
    /// IOS detail `I-VRF` (the `ivrf` half of a `fvrf/ivrf` column).
    pub ivrf: Option<Text>,
    /// IOS-XE detail `fvrf` (the `fvrf` half of a `fvrf/ivrf` column).
    pub fvrf: Option<Text>,
    /// Encryption (`3des`, `aes`, …).
    pub encryption: Option<Text>,
    /// Hash (`sha`, `SHA`, `md5`).
    pub hash: Option<Text>,
    /// Authentication (`psk`, `preshared`, `preshrd`, `rsig`).
    pub auth: Option<Text>,
    /// DH group.
    pub dh_group: Option<Text>,
    /// Lifetime as printed (`23:59:48`, `86400`).
    pub lifetime: Option<Text>,
    /// ASA `Lifetime Remaining:`.
    pub lifetime_remaining: Option<u64>,
    /// IOS detail `Cap.` letters.
    pub capabilities: Option<Text>,
    /// IOS detail `Engine-id:Conn-id = SW:1`.
    pub engine_id: Option<Text>,
    /// ASA `Type` (`L2L`, `User`).
    pub sa_type: Option<Text>,
    /// ASA `Role` (`initiator`/`responder`) or table `Dir` (`Init`/`Resp`).
    pub role: Option<Text>,
    /// ASA `Rekey` / `Rky` (`no`, `yes`).
    pub rekey: Option<Text>,
    /// The row (or `IKE Peer:` and `State` lines), for evidence.
    #[serde(skip)]
    pub evidence: smallvec::SmallVec<[LineRef; 2]>,
}

impl IsakmpSa {
    fn new(line: u64, format: IsakmpFormat) -> IsakmpSa {
        IsakmpSa {
            line,
            format,
            ike_version: None,
            index: None,
            dst: None,
            src: None,
            local: None,
            peer: None,
            state: None,
            conn_id: None,
            slot: None,
            status: None,
            pending: None,
            created: None,
            ivrf: None,
            fvrf: None,
            encryption: None,
            hash: None,
            auth: None,
            dh_group: None,
            lifetime: None,
            lifetime_remaining: None,
            capabilities: None,
            engine_id: None,
            sa_type: None,
            role: None,
            rekey: None,
            evidence: smallvec::SmallVec::new(),
        }
    }

    /// The remote peer of the SA. For the IOS/PIX table (which prints
    /// `dst src` of the first packet), the side that is not one of
    /// `local_addrs`; `dst` when neither is known.
    pub fn peer_of(&self, local_addrs: &[&str]) -> Option<&str> {
        if let Some(p) = self.peer.as_deref() {
            return Some(p);
        }
        match (self.dst.as_deref(), self.src.as_deref()) {
            (Some(d), Some(s)) if local_addrs.contains(&d) && !local_addrs.contains(&s) => Some(s),
            (Some(d), _) => Some(d),
            (None, s) => s,
        }
    }

    /// The local address, when the output says (IOS detail `Local`, or the
    /// table side found in `local_addrs`).
    pub fn local_of(&self, local_addrs: &[&str]) -> Option<&str> {
        if let Some(l) = self.local.as_deref() {
            return Some(l);
        }
        let peer = self.peer_of(local_addrs)?;
        [self.dst.as_deref(), self.src.as_deref()]
            .into_iter()
            .flatten()
            .find(|a| *a != peer)
    }

    /// State in upper case (`AM_Active` → `AM_ACTIVE`); `ACTIVE` for an IOS
    /// detail row (which prints a status only).
    pub fn state_upper(&self) -> Option<String> {
        self.state
            .as_deref()
            .or(self.status.as_deref())
            .map(|s| s.to_ascii_uppercase())
    }
}

/// ASA header counters (`Active SA: 1`, `Rekey SA: 0`, `Total IKE SA: 1`),
/// PIX `Total : 2 Embryonic : 1`, and IOS-XE `show crypto isakmp sa count`
/// (`Active ISAKMP SA's: 0`, `Standby …`, `Currently being negotiated …`,
/// `Dead …`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IsakmpSummary {
    /// Line.
    pub line: u64,
    /// IKE version of the section, when said.
    pub ike_version: Option<u8>,
    /// ASA `Active SA`.
    pub active: Option<u64>,
    /// ASA `Rekey SA`.
    pub rekey: Option<u64>,
    /// ASA `Total IKE SA` / PIX `Total`.
    pub total: Option<u64>,
    /// PIX `Embryonic`.
    pub embryonic: Option<u64>,
    /// IOS-XE `Standby ISAKMP SA's` (stateful HA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standby: Option<u64>,
    /// IOS-XE `Currently being negotiated ISAKMP SA's`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negotiating: Option<u64>,
    /// IOS-XE `Dead ISAKMP SA's`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    ConnId,
    Slot,
    Status,
    Pending,
    Created,
}

#[derive(Debug, Clone, Default)]
enum Table {
    #[default]
    None,
    Ios(Vec<Col>),
    /// `fvrf`: the VRF column is `fvrf/ivrf` (IOS-XE), not `I-VRF`.
    Detail {
        fvrf: bool,
    },
    Asa,
    /// After an `IPv4 Crypto ISAKMP SA` / `IPv6 Crypto ISAKMP SA` banner
    /// with no column header yet: IOS-XE prints the header once, so IPv6
    /// rows under an empty IPv4 table come without one. The first row's
    /// shape picks the table.
    Unheaded,
}

/// The tokens of a segment, as byte ranges (the buffer is reused).
#[derive(Clone, Copy)]
struct Toks<'a> {
    s: &'a str,
    r: &'a [(usize, usize)],
}

impl<'a> Toks<'a> {
    fn get(&self, i: usize) -> &'a str {
        self.r
            .get(i)
            .and_then(|&(a, b)| self.s.get(a..b))
            .unwrap_or("")
    }

    fn start(&self, i: usize) -> Option<usize> {
        self.r.get(i).map(|x| x.0)
    }

    fn len(&self) -> usize {
        self.r.len()
    }
}

/// Parser state for ISAKMP SA output.
#[derive(Debug, Default)]
pub(crate) struct IsakmpParser {
    buf: Vec<(usize, usize)>,
    table: Table,
    version: Option<u8>,
    cur: Option<usize>,
    summary: Option<usize>,
}

impl IsakmpParser {
    pub(crate) fn reset(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        *self = IsakmpParser {
            buf,
            ..IsakmpParser::default()
        };
    }

    fn summary<'o>(&mut self, out: &'o mut Vec<IsakmpSummary>, no: u64) -> &'o mut IsakmpSummary {
        let i = match self.summary {
            Some(i) if i < out.len() => i,
            _ => {
                out.push(IsakmpSummary {
                    line: no,
                    ike_version: self.version,
                    ..IsakmpSummary::default()
                });
                out.len() - 1
            }
        };
        self.summary = Some(i);
        &mut out[i]
    }

    /// Handles one segment. Returns `(recognised, rest)`: `rest` is the byte
    /// offset of trailing text that is not ISAKMP output (for example the
    /// next command in flattened text), to be handled by the caller.
    pub(crate) fn segment(
        &mut self,
        sas: &mut Vec<IsakmpSa>,
        sums: &mut Vec<IsakmpSummary>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
    ) -> (bool, Option<usize>) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        crate::text::token_ranges(s, &mut buf);
        let toks = Toks { s, r: &buf };
        let result = self.segment_tokens(sas, sums, notes, no, s, toks);
        self.buf = buf;
        result
    }

    fn segment_tokens(
        &mut self,
        sas: &mut Vec<IsakmpSa>,
        sums: &mut Vec<IsakmpSummary>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        toks: Toks<'_>,
    ) -> (bool, Option<usize>) {
        let n = toks.len();
        let t = |i: usize| toks.get(i);
        let mut i = 0;
        let mut any = false;
        // Legend lines: `Codes: C - IKE configuration mode, …`, `psk - Preshared key, …`.
        if t(0) == "Codes:" || (t(1) == "-" && n >= 3 && !is_ip(t(0))) {
            return (true, None);
        }
        while i < n {
            let w = t(i);
            // Parenthesised remark: `(A tunnel will report 1 Active and 1 Rekey SA during rekey)`.
            if w.starts_with('(') && !w.ends_with(')') {
                let mut j = i + 1;
                while j < n && !t(j).ends_with(')') {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            if w == "dst" && t(i + 1) == "src" && t(i + 2) == "state" {
                let mut cols = Vec::new();
                let mut j = i + 3;
                loop {
                    let c = match t(j) {
                        "conn-id" => Col::ConnId,
                        "slot" => Col::Slot,
                        "status" => Col::Status,
                        "pending" => Col::Pending,
                        "created" => Col::Created,
                        _ => break,
                    };
                    cols.push(c);
                    j += 1;
                }
                self.table = Table::Ios(cols);
                any = true;
                i = j;
                continue;
            }
            if (w == "IPv4" || w == "IPv6") && t(i + 1) == "Crypto" && t(i + 2) == "ISAKMP" {
                any = true;
                if matches!(self.table, Table::None) {
                    self.table = Table::Unheaded;
                }
                i += 3;
                if t(i) == "SA" {
                    i += 1;
                }
                continue;
            }
            if (w == "C-id" && t(i + 1) == "Local")
                || (w == "Conn" && t(i + 1) == "id" && t(i + 2) == "Local")
            {
                any = true;
                // Skip the rest of the header words: up to `Cap.`, or
                // `Lifetime` when the header has no `Cap.` column (some
                // 15.x trains), but not past a row flattened onto it.
                let mut fvrf = false;
                let mut j = i + 1;
                while j < n && !t(j).starts_with("Cap") {
                    fvrf |= t(j) == "fvrf/ivrf";
                    if t(j) == "Lifetime" && !t(j + 1).starts_with("Cap") {
                        break;
                    }
                    j += 1;
                }
                self.table = Table::Detail { fvrf };
                i = j + 1;
                continue;
            }
            // IPv6 SAs, stacked: `dst: A`, `src: B`, then `state: … conn-id:
            // … slot: … status: …` or, in `detail`, `conn-id: … I-VRF: …
            // Status: … Encr: … Hash: … Auth: …` and `DH: … Lifetime: …
            // Cap: …`. (`Hash:`, `Auth:`, `Lifetime:` are read below.)
            if let Some(key) = w.strip_suffix(':').filter(|k| stacked_key(k)) {
                if let Some(next) = self.stacked(sas, notes, no, s, toks, i, key) {
                    any = true;
                    i = next;
                    continue;
                }
            }
            if w == "IKE" && t(i + 1) == "Peer" && t(i + 2) == "Type" {
                self.table = Table::Asa;
                any = true;
                let mut j = i + 2;
                while j < n && t(j) != "Lifetime" {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            if (w == "IKEv1" || w == "IKEv2") && t(i + 1) == "SAs:" {
                self.version = Some(if w == "IKEv1" { 1 } else { 2 });
                self.summary = None;
                any = true;
                i += 2;
                continue;
            }
            if w == "There" && t(i + 1) == "are" && t(i + 2) == "no" {
                any = true;
                i += 3;
                while i < n
                    && !t(i).eq_ignore_ascii_case("SAs")
                    && !t(i).eq_ignore_ascii_case("sas")
                {
                    i += 1;
                }
                i += 1;
                continue;
            }
            // IOS-XE `show crypto isakmp sa count`: `<Kind> ISAKMP SA's: N`.
            if matches!(w, "Active" | "Standby" | "Currently" | "Dead")
                && (t(i + 1) == "ISAKMP" || w == "Currently")
            {
                let mut j = i;
                while j < n && t(j) != "ISAKMP" {
                    j += 1;
                }
                if j < n && j - i <= 4 && t(j + 1).starts_with("SA") && t(j + 1).ends_with(':') {
                    if let Some(next) = self.sa_count(sums, no, toks, j) {
                        any = true;
                        i = next;
                        continue;
                    }
                }
            }
            // ASA header counters and PIX Total/Embryonic.
            if (w == "Active" || w == "Rekey") && t(i + 1) == "SA:" {
                if let Some(v) = num(t(i + 2)) {
                    let sm = self.summary(sums, no);
                    if w == "Active" {
                        sm.active = Some(v);
                    } else {
                        sm.rekey = Some(v);
                    }
                    any = true;
                    i += 3;
                    continue;
                }
            }
            if w == "Total" && t(i + 1) == "IKE" && t(i + 2) == "SA:" {
                if let Some(v) = num(t(i + 3)) {
                    self.summary(sums, no).total = Some(v);
                    any = true;
                    i += 4;
                    continue;
                }
            }
            if (w == "Total" || w == "Embryonic") && t(i + 1) == ":" {
                if let Some(v) = num(t(i + 2)) {
                    let sm = self.summary(sums, no);
                    if w == "Total" {
                        sm.total = Some(v);
                    } else {
                        sm.embryonic = Some(v);
                    }
                    any = true;
                    i += 3;
                    continue;
                }
            }
            // ASA block: `[N] IKE Peer: A` (the number is read below).
            if num32(w).is_some() && t(i + 1) == "IKE" && t(i + 2) == "Peer:" {
                i += 1;
                continue;
            }
            if w == "IKE" && t(i + 1) == "Peer:" {
                let mut sa = IsakmpSa::new(no, IsakmpFormat::AsaBlock);
                sa.ike_version = self.version;
                if i > 0 {
                    sa.index = num32(t(i - 1));
                }
                sa.peer = Some(Text::from(t(i + 2))).filter(|p| !p.is_empty());
                sa.evidence.push(LineRef::new(notes, no, s, What::Peer));
                sas.push(sa);
                self.cur = Some(sas.len() - 1);
                self.table = Table::None;
                any = true;
                i += 3;
                continue;
            }
            // ASA `Key : value` pairs of the current block.
            if let Some((key, vi)) = asa_key(toks, i) {
                if let Some(sa) = self.cur.and_then(|c| sas.get_mut(c)) {
                    let v = Text::from(t(vi));
                    match key {
                        "Type" => sa.sa_type = Some(v),
                        "Role" => sa.role = Some(v),
                        "Rekey" => sa.rekey = Some(v),
                        "State" => {
                            sa.state = Some(v);
                            sa.evidence.push(LineRef::new(notes, no, s, What::State));
                        }
                        "Encrypt" => sa.encryption = Some(v),
                        "Hash" => sa.hash = Some(v),
                        "Auth" => sa.auth = Some(v),
                        "Lifetime" => sa.lifetime = Some(v),
                        _ => sa.lifetime_remaining = num(&v),
                    }
                    any = true;
                    i = vi + 1;
                    continue;
                }
            }
            if w.starts_with("Engine-id:Conn-id") {
                let mut j = i + 1;
                if t(j) == "=" {
                    j += 1;
                }
                if let Some(sa) = self.cur.and_then(|c| sas.get_mut(c)) {
                    sa.engine_id = Some(Text::from(t(j))).filter(|v| !v.is_empty());
                }
                any = true;
                i = j + 1;
                continue;
            }
            // Table rows.
            if let Some(next) = self.row(sas, no, toks, i) {
                if let Some(sa) = sas.last_mut() {
                    sa.evidence.push(LineRef::new(notes, no, s, What::Row));
                }
                any = true;
                i = next;
                continue;
            }
            // A pager prompt left in text flattened from a terminal log.
            if w == "--More--" {
                i += 1;
                continue;
            }
            if w == "<---" && t(i + 1) == "More" && t(i + 2) == "--->" {
                i += 3;
                continue;
            }
            // Not ISAKMP output.
            if any {
                return (true, toks.start(i));
            }
            return (false, None);
        }
        (any, None)
    }

    /// `<Kind> ISAKMP SA's: N` with `ISAKMP` at token `i` (`show crypto
    /// isakmp sa count`); the kind is the word before `ISAKMP` (`Active`,
    /// `Standby`, `negotiated`, `Dead`). Returns the index after the figure.
    // Once per output: kept out of the per-line code.
    #[inline(never)]
    fn sa_count(
        &mut self,
        sums: &mut Vec<IsakmpSummary>,
        no: u64,
        toks: Toks<'_>,
        i: usize,
    ) -> Option<usize> {
        let v = num(toks.get(i + 2))?;
        let kind = i.checked_sub(1).map(|k| toks.get(k)).unwrap_or("");
        let sm = self.summary(sums, no);
        match kind {
            "Active" => sm.active = Some(v),
            "Standby" => sm.standby = Some(v),
            "negotiated" | "negotiating" => sm.negotiating = Some(v),
            "Dead" => sm.dead = Some(v),
            _ => return None,
        }
        Some(i + 3)
    }

    /// One `key: value` of a stacked (IPv6) row at token `i`; returns the
    /// index after it, or `None` when it is not one.
    #[allow(clippy::too_many_arguments)]
    fn stacked(
        &mut self,
        sas: &mut Vec<IsakmpSa>,
        notes: &mut crate::Notes,
        no: u64,
        s: &str,
        toks: Toks<'_>,
        i: usize,
        key: &str,
    ) -> Option<usize> {
        let t = |k: usize| toks.get(k);
        // A blank value (`I-VRF:       Status: ACTIVE`, `Cap:` with no
        // capability) is followed directly by the next key.
        let v = t(i + 1);
        let (v, next) = if v.is_empty() || (v.ends_with(':') && v.len() > 1 && !is_ip(v)) {
            ("", i + 1)
        } else {
            (v, i + 2)
        };
        if key == "dst" {
            if !is_ip(v) {
                return None;
            }
            sas.push(IsakmpSa::new(no, IsakmpFormat::IosTable));
            let sa = sas.last_mut()?;
            sa.ike_version = self.version;
            sa.dst = Some(v.into());
            sa.evidence.push(LineRef::new(notes, no, s, What::Peer));
            self.cur = Some(sas.len() - 1);
            self.table = Table::None;
            return Some(next);
        }
        // The other keys belong to the SA a `dst:` line started.
        let sa = self
            .cur
            .and_then(|c| sas.get_mut(c))
            .filter(|sa| sa.dst.is_some() && sa.local.is_none())?;
        match key {
            "src" => sa.src = field(v).filter(|v| is_ip(v)),
            "state" => {
                sa.state = field(v);
                sa.evidence.push(LineRef::new(notes, no, s, What::State));
            }
            "conn-id" => {
                sa.conn_id = v.parse().ok();
                // `conn-id` first is the `detail` form.
                if sa.state.is_none() {
                    sa.format = IsakmpFormat::IosDetail;
                }
            }
            "slot" => sa.slot = v.parse().ok(),
            "I-VRF" => sa.ivrf = field(v),
            "Encr" => {
                sa.encryption = field(v);
                sa.format = IsakmpFormat::IosDetail;
            }
            "DH" => sa.dh_group = field(v),
            "Cap" => sa.capabilities = field(v),
            _ => {
                // `status: ACTIVE` / `Status: ACTIVE (deleted)`.
                let mut st = v.to_string();
                let mut next = next;
                if next > i + 1 && t(next).starts_with('(') && t(next).ends_with(')') {
                    st.push(' ');
                    st.push_str(t(next));
                    next += 1;
                }
                sa.status = field(&st);
                if sa.state.is_none() {
                    sa.evidence.push(LineRef::new(notes, no, s, What::State));
                }
                return Some(next);
            }
        }
        Some(next)
    }

    /// Tries to read a table row starting at token `i`; returns the index
    /// after it.
    fn row(&mut self, sas: &mut Vec<IsakmpSa>, no: u64, toks: Toks<'_>, i: usize) -> Option<usize> {
        let t = |k: usize| toks.get(k);
        match &self.table {
            Table::Ios(cols) => {
                if !(is_ip(t(i)) && is_ip(t(i + 1)) && is_state_word(t(i + 2))) {
                    return None;
                }
                let pix = cols.contains(&Col::Pending);
                let format = if pix {
                    IsakmpFormat::Pix
                } else {
                    IsakmpFormat::IosTable
                };
                // Built in place: the record is large, moving it costs.
                sas.push(IsakmpSa::new(no, format));
                let sa = sas.last_mut()?;
                sa.ike_version = self.version;
                sa.dst = Some(t(i).into());
                sa.src = Some(t(i + 1).into());
                sa.state = Some(t(i + 2).into());
                let mut j = i + 3;
                for &c in cols {
                    let v = t(j);
                    match c {
                        Col::ConnId => match v.parse::<i64>() {
                            Ok(x) => sa.conn_id = Some(x),
                            Err(_) => break,
                        },
                        Col::Slot => match v.parse::<i64>() {
                            Ok(x) => sa.slot = Some(x),
                            Err(_) => break,
                        },
                        Col::Pending => match num(v) {
                            Some(x) => sa.pending = Some(x),
                            None => break,
                        },
                        Col::Created => match num(v) {
                            Some(x) => sa.created = Some(x),
                            None => break,
                        },
                        Col::Status => {
                            if v.is_empty()
                                || is_ip(v)
                                || !v.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
                            {
                                break;
                            }
                            let mut st = v.to_string();
                            if t(j + 1).starts_with('(') && t(j + 1).ends_with(')') {
                                j += 1;
                                st.push(' ');
                                st.push_str(t(j));
                            }
                            sa.status = Some(st.into());
                        }
                    }
                    j += 1;
                }
                self.cur = Some(sas.len() - 1);
                Some(j)
            }
            &Table::Detail { fvrf } => {
                let conn = t(i).parse::<i64>().ok()?;
                if !(is_ip(t(i + 1)) && is_ip(t(i + 2))) {
                    return None;
                }
                // `[I-VRF] Status Encr Hash Auth DH Lifetime [Cap.]`: the
                // lifetime (`23:59:48`) anchors the columns, since I-VRF is
                // often blank.
                let life = (i + 3..toks.len().min(i + 12)).find(|&k| {
                    let w = t(k);
                    w.contains(':') && w.bytes().all(|b| b.is_ascii_digit() || b == b':')
                })?;
                let status_at = life.checked_sub(5).filter(|&k| k >= i + 3)?;
                // Built in place: the record is large, moving it costs.
                sas.push(IsakmpSa::new(no, IsakmpFormat::IosDetail));
                let sa = sas.last_mut()?;
                sa.ike_version = self.version;
                sa.conn_id = Some(conn);
                sa.local = Some(t(i + 1).into());
                sa.peer = Some(t(i + 2).into());
                if status_at > i + 3 {
                    let vrf: Vec<&str> = (i + 3..status_at).map(t).collect();
                    let vrf = vrf.join(" ");
                    match vrf.split_once('/').filter(|_| fvrf) {
                        Some((f, iv)) => {
                            sa.fvrf = field(f);
                            sa.ivrf = field(iv);
                        }
                        None => sa.ivrf = Some(vrf.into()),
                    }
                }
                sa.status = field(t(status_at));
                sa.encryption = field(t(life - 4));
                sa.hash = field(t(life - 3));
                sa.auth = field(t(life - 2));
                sa.dh_group = field(t(life - 1));
                sa.lifetime = field(t(life));
                let mut j = life + 1;
                let cap = t(j);
                if !cap.is_empty() && cap.len() <= 8 && cap.bytes().all(|b| b.is_ascii_uppercase())
                {
                    sa.capabilities = Some(cap.into());
                    j += 1;
                }
                self.cur = Some(sas.len() - 1);
                Some(j.min(toks.len()))
            }
            Table::Asa => {
                let idx = num32(t(i))?;
                if !is_ip(t(i + 1)) {
                    return None;
                }
                sas.push(IsakmpSa::new(no, IsakmpFormat::AsaTable));
                let sa = sas.last_mut()?;
                sa.ike_version = self.version.or(Some(1));
                sa.index = Some(idx);
                sa.peer = Some(t(i + 1).into());
                sa.sa_type = field(t(i + 2));
                sa.role = field(t(i + 3));
                sa.rekey = field(t(i + 4));
                sa.state = field(t(i + 5));
                sa.encryption = field(t(i + 6));
                sa.hash = field(t(i + 7));
                sa.auth = field(t(i + 8));
                let life = t(i + 9);
                sa.lifetime = (!life.is_empty()).then(|| Text::from(life.trim_end_matches('-')));
                self.cur = Some(sas.len() - 1);
                Some((i + 10).min(toks.len()))
            }
            Table::Unheaded => {
                self.table = unheaded_table(toks, i)?;
                self.row(sas, no, toks, i)
            }
            Table::None => None,
        }
    }
}

/// The table a row printed without its column header belongs to, from
/// its shape: `dst src STATE conn-id [slot] status` (the plain table) or
/// `conn-id local remote … Lifetime [Cap.]` (`detail`).
// Once per table: kept out of the per-row code.
#[inline(never)]
fn unheaded_table(toks: Toks<'_>, i: usize) -> Option<Table> {
    let t = |k: usize| toks.get(k);
    let is_num = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    if is_ip(t(i)) && is_ip(t(i + 1)) && is_state_word(t(i + 2)) {
        let mut cols = vec![Col::ConnId];
        if is_num(t(i + 4)) {
            cols.push(Col::Slot);
        }
        cols.push(Col::Status);
        return Some(Table::Ios(cols));
    }
    if is_num(t(i)) && is_ip(t(i + 1)) && is_ip(t(i + 2)) {
        return Some(Table::Detail { fvrf: false });
    }
    None
}

/// Keys of the stacked (IPv6) rows, without their colon.
fn stacked_key(k: &str) -> bool {
    matches!(
        k,
        "dst"
            | "src"
            | "state"
            | "conn-id"
            | "slot"
            | "status"
            | "Status"
            | "I-VRF"
            | "Encr"
            | "DH"
            | "Cap"
    )
}

/// A column value; a missing column (no token) is `None`.
fn field(v: &str) -> Option<Text> {
    (!v.is_empty()).then(|| Text::from(v))
}

/// Recognises an ASA `Key : value` / `Key: value` pair at token `i`;
/// returns the canonical key and the index of the value token.
fn asa_key(toks: Toks<'_>, i: usize) -> Option<(&'static str, usize)> {
    let t = |k: usize| toks.get(k);
    let w = t(i);
    let (name, next) = match w.strip_suffix(':') {
        Some(name) => (name, i + 1),
        None if t(i + 1) == ":" => (w, i + 2),
        None if w == "Lifetime"
            && (t(i + 1) == "Remaining:" || (t(i + 1) == "Remaining" && t(i + 2) == ":")) =>
        {
            let vi = if t(i + 1) == "Remaining:" {
                i + 2
            } else {
                i + 3
            };
            return Some(("Lifetime Remaining", vi));
        }
        None => return None,
    };
    let key = match name {
        "Type" => "Type",
        "Role" => "Role",
        "Rekey" => "Rekey",
        "State" => "State",
        "Encrypt" => "Encrypt",
        "Hash" => "Hash",
        "Auth" => "Auth",
        "Lifetime" => "Lifetime",
        _ => return None,
    };
    if t(next).is_empty() {
        return None;
    }
    Some((key, next))
}
