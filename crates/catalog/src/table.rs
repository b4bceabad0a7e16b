//! The catalog table. Entries are tried in this order, so a specific
//! message comes before a general one that shares its literal.

mod asa;
mod dataplane;
mod ios_phase1;
mod ios_phase2;
mod progress;
mod states;

use crate::entry::{Entry, Scope, Signal};
use ipsec_doctor_model::Code;

/// A failure signal.
pub(crate) const fn fail(code: Code, confidence: f32, scope: Scope) -> Signal {
    Signal::Failure {
        code,
        confidence,
        scope,
    }
}

/// Builds an [`Entry`] from positional parts; keeps the tables readable.
macro_rules! entry {
    (
        $id:literal, [$($platform:ident),+], $phase:ident,
        lit: $literal:expr, re: $regex:expr,
        $signal:expr,
        title: $title:literal,
        meaning: $meaning:literal,
        causes: [$($cause:literal),* $(,)?],
        fixes: [$($fix:literal),* $(,)?],
        ex: $example:literal $(,)?
    ) => {
        $crate::entry::Entry {
            id: $id,
            platforms: &[$($crate::entry::Platform::$platform),+],
            phase: $crate::entry::Phase::$phase,
            literal: $literal,
            regex: $regex,
            signal: $signal,
            title: $title,
            meaning: $meaning,
            causes: &[$($cause),*],
            fixes: &[$($fix),*],
            example: $example,
        }
    };
}
pub(crate) use entry;

/// All entries, concatenated in priority order.
pub(crate) static ENTRIES: &[Entry] = &concat_tables();

const TABLES: [&[Entry]; 6] = [
    dataplane::ENTRIES,
    ios_phase2::ENTRIES,
    ios_phase1::ENTRIES,
    asa::ENTRIES,
    states::ENTRIES,
    progress::ENTRIES,
];

const TOTAL: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < TABLES.len() {
        n += TABLES[i].len();
        i += 1;
    }
    n
};

const fn concat_tables() -> [Entry; TOTAL] {
    let mut out = [TABLES[0][0]; TOTAL];
    let mut k = 0;
    let mut t = 0;
    while t < TABLES.len() {
        let mut i = 0;
        while i < TABLES[t].len() {
            out[k] = TABLES[t][i];
            k += 1;
            i += 1;
        }
        t += 1;
    }
    out
}
