//! `show crypto engine connection(s) active` (IOS 12.x and 15.x/IOS-XE).
//!
//! The header names the columns; rows are read by those names, so both
//! layouts (`ID Interface IP-Address State Algorithm Encrypt Decrypt` and
//! `ID Type Algorithm Encrypt Decrypt LastSeqN IP-Address`) parse.

use crate::text::Text;
use crate::text::{num, words};
use serde::Serialize;

/// One crypto engine connection (one SA or IKE SA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineConnection {
    /// Line.
    pub line: u64,
    /// Connection id (matches the `conn id` of `show crypto ipsec sa`).
    pub id: u64,
    /// `Interface` (12.x).
    pub interface: Option<Text>,
    /// `IP-Address`.
    pub ip_address: Option<Text>,
    /// `State` (`set`, `alloc`).
    pub state: Option<Text>,
    /// `Type` (`IPsec`, `IKE`) (15.x).
    pub conn_type: Option<Text>,
    /// `Algorithm` (`HMAC_MD5+3DES_56_C`, `AES256+SHA`).
    pub algorithm: Option<Text>,
    /// Packets encrypted.
    pub encrypt: Option<u64>,
    /// Packets decrypted.
    pub decrypt: Option<u64>,
    /// `LastSeqN`.
    pub last_seq: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Interface,
    Ip,
    State,
    Type,
    Algorithm,
    Encrypt,
    Decrypt,
    LastSeq,
    Other,
}

/// Parser state.
#[derive(Debug, Default)]
pub(crate) struct EngineParser {
    cols: Vec<Col>,
}

impl EngineParser {
    pub(crate) fn reset(&mut self) {
        self.cols.clear();
    }

    /// Handles one line; returns whether it was recognised.
    pub(crate) fn line(&mut self, out: &mut Vec<EngineConnection>, no: u64, s: &str) -> bool {
        if s.starts_with("Crypto Engine Connections") || s.starts_with("Crypto adjacency") {
            return true;
        }
        let toks: Vec<&str> = words(s).collect();
        if toks.first() == Some(&"ID") && toks.contains(&"Algorithm") {
            self.cols = toks
                .iter()
                .map(|t| match *t {
                    "ID" => Col::Id,
                    "Interface" => Col::Interface,
                    "IP-Address" => Col::Ip,
                    "State" => Col::State,
                    "Type" => Col::Type,
                    "Algorithm" => Col::Algorithm,
                    "Encrypt" => Col::Encrypt,
                    "Decrypt" => Col::Decrypt,
                    "LastSeqN" => Col::LastSeq,
                    _ => Col::Other,
                })
                .collect();
            return true;
        }
        if self.cols.is_empty() {
            return false;
        }
        let Some(id) = toks.first().and_then(|t| num(t)) else {
            return false;
        };
        let mut c = EngineConnection {
            line: no,
            id,
            interface: None,
            ip_address: None,
            state: None,
            conn_type: None,
            algorithm: None,
            encrypt: None,
            decrypt: None,
            last_seq: None,
        };
        // Columns line up one to one when the row has as many words as the
        // header; otherwise the leading text columns are read from the
        // front and the trailing numeric ones from the back.
        let pairs: Vec<(Col, &str)> = if toks.len() == self.cols.len() {
            self.cols
                .iter()
                .copied()
                .zip(toks.iter().copied())
                .collect()
        } else {
            let mut v = Vec::new();
            let numeric = |c: &Col| matches!(c, Col::Encrypt | Col::Decrypt | Col::LastSeq);
            let tail: Vec<Col> = self
                .cols
                .iter()
                .rev()
                .take_while(|c| numeric(c))
                .copied()
                .collect();
            let head = &self.cols[..self.cols.len() - tail.len()];
            let body = toks.len().saturating_sub(tail.len());
            for (c, t) in head.iter().zip(toks[..body].iter()) {
                v.push((*c, *t));
            }
            for (c, t) in tail.iter().zip(toks.iter().rev()) {
                v.push((*c, *t));
            }
            v
        };
        for (col, v) in pairs {
            match col {
                Col::Interface => c.interface = Some(v.into()),
                Col::Ip => c.ip_address = Some(v.into()),
                Col::State => c.state = Some(v.into()),
                Col::Type => c.conn_type = Some(v.into()),
                Col::Algorithm => c.algorithm = Some(v.into()),
                Col::Encrypt => c.encrypt = num(v),
                Col::Decrypt => c.decrypt = num(v),
                Col::LastSeq => c.last_seq = num(v),
                Col::Id | Col::Other => {}
            }
        }
        out.push(c);
        true
    }
}
