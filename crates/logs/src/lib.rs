//! Diagnoses IPsec tunnels from Cisco debug and syslog output.
//!
//! ```
//! use ipsec_doctor_logs::LogAnalyzer;
//! let mut a = LogAnalyzer::new();
//! a.add_text("example.log", "%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=5, sequence number=7");
//! let report = a.finish();
//! assert_eq!(report.findings[0].code.as_str(), "replay-reordering");
//! ```
//!
//! Input is read in blocks of whole lines and analysed on every core;
//! memory stays bounded by the number of tunnels, not by the size of the
//! input, and the report does not depend on the number of threads.

mod advice;
mod chunk;
mod counters;
mod engine;
pub mod header;
mod ids;
mod pipeline;
mod routes;
mod segment;
pub mod split;
pub mod tag;
pub mod transcript;
mod tunnel;
mod verdict;

pub use chunk::{Block, BlockReader, MAX_LINE};
pub use engine::SourceStats;

use engine::Engine;
use ipsec_doctor_model::{InputSummary, Report, SCHEMA_VERSION};
use pipeline::Step;
use std::io::{self, BufRead};

/// Streams any number of inputs, then concludes.
pub struct LogAnalyzer {
    engine: Engine,
    workers: usize,
    block: usize,
}

impl Default for LogAnalyzer {
    fn default() -> Self {
        LogAnalyzer::new()
    }
}

impl LogAnalyzer {
    /// A new analyser using every core.
    pub fn new() -> LogAnalyzer {
        LogAnalyzer {
            engine: Engine::new(),
            workers: std::thread::available_parallelism().map_or(1, |n| n.get().min(16)),
            block: chunk::BLOCK,
        }
    }

    /// Uses `n` worker threads (1: the calling thread only). The report is
    /// the same whatever the number.
    pub fn workers(mut self, n: usize) -> LogAnalyzer {
        self.workers = n.max(1);
        self
    }

    /// Cuts inputs into blocks of about `bytes` (default 1 MiB); for tests
    /// of block boundaries. The report is the same whatever the size.
    pub fn block_size(mut self, bytes: usize) -> LogAnalyzer {
        self.block = bytes.max(1);
        self
    }

    /// Reads one input to its end. `name` appears in evidence.
    pub fn add_reader<R: BufRead + Send>(&mut self, name: &str, reader: R) -> io::Result<()> {
        self.add_readers(std::iter::once(Ok((name.to_string(), reader))))
    }

    /// Reads several inputs, one after the other, as if each were given to
    /// [`LogAnalyzer::add_reader`] in turn, but as one stream of blocks: a
    /// directory of small files keeps every core busy as one large file
    /// does. The iterator opens each input when its turn comes; an error
    /// from it stops the reading and is returned (the inputs read before
    /// are kept). An error while reading an input (a truncated `.gz`) ends
    /// that input only: what was read of it is analysed, and its summary
    /// says why it stopped. Reading (and
    /// decompressing) runs on a thread of its own, hence `Send`.
    pub fn add_readers<I, R>(&mut self, inputs: I) -> io::Result<()>
    where
        I: IntoIterator<Item = io::Result<(String, R)>>,
        I::IntoIter: Send,
        R: BufRead + Send,
    {
        let mut feed = pipeline::Feed::new(inputs.into_iter(), self.block);
        let engine = &mut self.engine;
        let mut src = None;
        pipeline::run(&mut feed, self.workers, |step| match step {
            Step::Begin(name) => src = Some(engine.add_source(&name)),
            Step::Block(seg) => {
                if let Some(s) = src {
                    engine.take_block(s, seg);
                }
            }
            Step::End(truncated, stopped) => {
                if let Some(s) = src.take() {
                    engine.finish_source(s, truncated);
                    engine.sources[s].stopped = stopped;
                }
            }
        })
    }

    /// Reads one input held in memory.
    pub fn add_text(&mut self, name: &str, text: &str) {
        // Reading from a byte slice cannot fail.
        let _ = self.add_reader(name, text.as_bytes());
    }

    /// Concludes: tunnels with their status, and ranked findings.
    pub fn finish(mut self) -> Report {
        let (tunnels, findings) = verdict::conclude(&mut self.engine);
        Report {
            version: SCHEMA_VERSION,
            inputs: self
                .engine
                .sources
                .iter()
                .map(|s| InputSummary {
                    source: s.name.clone(),
                    kind: "log".to_string(),
                    lines: s.lines,
                    used: s.used,
                    ignored: s.ignored,
                    skipped: s.skipped,
                    truncated: s.truncated,
                    skipped_lines: s.skipped_lines.clone(),
                    stopped: s.stopped.clone(),
                    not_simulated: None,
                })
                .collect(),
            tunnels,
            findings,
        }
    }
}

/// Diagnoses one text.
pub fn diagnose_text(name: &str, text: &str) -> Report {
    let mut a = LogAnalyzer::new();
    a.add_text(name, text);
    a.finish()
}
