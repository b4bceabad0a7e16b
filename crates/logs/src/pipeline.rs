//! Reads blocks on the calling thread, segments them on worker threads,
//! and hands the results back in input order.
//!
//! The engine's state (tunnels, conn-ids, the ladder) follows the input
//! order, so it stays on one thread; what workers do (finding the lines
//! worth reading, joining and classifying them) is most of the cost on a
//! syslog archive that is mostly noise. Several inputs are read as one
//! stream, so a directory of small per-host files keeps every core busy as
//! one large file does.

use crate::chunk::{Block, BlockReader};
use crate::segment::{segment, Segmented};
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Mutex};
use std::thread;

/// Blocks in flight per worker: enough to keep workers busy while the
/// engine catches up, few enough to bound memory (blocks are ~1 MiB).
const IN_FLIGHT_PER_WORKER: usize = 4;

/// What the engine is handed, in input order.
pub(crate) enum Step {
    /// An input begins.
    Begin(String),
    /// A block of the current input, segmented.
    Block(Segmented),
    /// The current input ended; lines cut at the length cap.
    End(u64),
}

/// Where blocks come from: inputs one after the other.
pub(crate) struct Feed<I, R> {
    inputs: I,
    current: Option<BlockReader<R>>,
    /// Name of the input being read, for read errors.
    name: String,
    block: usize,
    spare: Vec<Block>,
}

enum Item {
    Begin(String),
    Block(Block),
    End(u64),
}

impl<I, R> Feed<I, R>
where
    I: Iterator<Item = io::Result<(String, R)>>,
    R: BufRead,
{
    pub(crate) fn new(inputs: I, block: usize) -> Feed<I, R> {
        Feed {
            inputs,
            current: None,
            name: String::new(),
            block,
            spare: Vec::new(),
        }
    }

    fn next(&mut self) -> io::Result<Option<Item>> {
        let Some(reader) = &mut self.current else {
            return match self.inputs.next() {
                None => Ok(None),
                Some(Err(e)) => Err(e),
                Some(Ok((name, r))) => {
                    let mut reader = BlockReader::with_target(r, self.block);
                    for b in self.spare.drain(..) {
                        reader.recycle(b);
                    }
                    self.current = Some(reader);
                    self.name.clone_from(&name);
                    Ok(Some(Item::Begin(name)))
                }
            };
        };
        let block = reader
            .next_block()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", self.name)))?;
        match block {
            Some(b) => Ok(Some(Item::Block(b))),
            None => {
                let truncated = reader.truncated();
                self.current = None;
                Ok(Some(Item::End(truncated)))
            }
        }
    }

    fn recycle(&mut self, b: Block) {
        match &mut self.current {
            Some(r) => r.recycle(b),
            None if self.spare.len() < 16 => self.spare.push(b),
            None => {}
        }
    }
}

fn hand_over_inline<I, R>(feed: &mut Feed<I, R>, item: Item, take: &mut impl FnMut(Step))
where
    I: Iterator<Item = io::Result<(String, R)>>,
    R: BufRead,
{
    match item {
        Item::Begin(name) => take(Step::Begin(name)),
        Item::Block(b) => {
            take(Step::Block(segment(&b.bytes)));
            feed.recycle(b);
        }
        Item::End(t) => take(Step::End(t)),
    }
}

/// An event waiting for its turn: blocks wait for their worker.
enum Pending {
    Begin(String),
    Block(u64),
    End(u64),
}

type Done = (u64, thread::Result<Segmented>, Block);

/// Reads every input of `feed`, segments its blocks on `workers` threads
/// (on the calling thread when `workers` is 1) and passes the steps to
/// `take` in input order. A read error stops the reading; what was read
/// before it is still handed over, then the error is returned.
pub(crate) fn run<I, R>(
    feed: &mut Feed<I, R>,
    workers: usize,
    mut take: impl FnMut(Step),
) -> io::Result<()>
where
    I: Iterator<Item = io::Result<(String, R)>>,
    R: BufRead,
{
    // Inputs of one block (most pasted text) are done on this thread.
    let mut pre: VecDeque<Item> = VecDeque::new();
    let mut pre_error = None;
    if workers > 1 {
        let mut blocks = 0;
        while blocks < 2 {
            match feed.next() {
                Ok(Some(item)) => {
                    blocks += usize::from(matches!(item, Item::Block(_)));
                    pre.push_back(item);
                }
                Ok(None) => break,
                Err(e) => {
                    pre_error = Some(e);
                    break;
                }
            }
        }
        if blocks < 2 {
            for item in pre.drain(..) {
                hand_over_inline(feed, item, &mut take);
            }
            return pre_error.map_or(Ok(()), Err);
        }
    }
    if workers <= 1 {
        while let Some(item) = feed.next()? {
            hand_over_inline(feed, item, &mut take);
        }
        return Ok(());
    }
    let max_in_flight = (workers * IN_FLIGHT_PER_WORKER) as u64;
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Block)>(max_in_flight as usize);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    thread::scope(|s| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            s.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, block)) = job else { return };
                let seg = panic::catch_unwind(AssertUnwindSafe(|| segment(&block.bytes)));
                if done_tx.send((i, seg, block)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);

        let mut order: VecDeque<Pending> = VecDeque::new();
        let mut ready: BTreeMap<u64, Segmented> = BTreeMap::new();
        let (mut sent, mut taken) = (0u64, 0u64);
        let mut eof = false;
        let mut failed: Option<io::Error> = None;
        loop {
            // Read ahead while few blocks are out.
            while !eof && sent - taken < max_in_flight {
                let item = match pre.pop_front() {
                    Some(item) => Ok(Some(item)),
                    None => feed.next(),
                };
                match item {
                    Ok(Some(Item::Begin(name))) => order.push_back(Pending::Begin(name)),
                    Ok(Some(Item::End(t))) => order.push_back(Pending::End(t)),
                    Ok(Some(Item::Block(b))) => {
                        if work_tx.send((sent, b)).is_err() {
                            eof = true;
                            break;
                        }
                        order.push_back(Pending::Block(sent));
                        sent += 1;
                    }
                    Ok(None) => eof = true,
                    Err(e) => {
                        failed = Some(e);
                        eof = true;
                    }
                }
            }
            // Hand over, in order, everything whose turn has come.
            while let Some(front) = order.front() {
                let step = match front {
                    Pending::Block(i) => match ready.remove(i) {
                        Some(seg) => {
                            taken += 1;
                            Step::Block(seg)
                        }
                        None => break,
                    },
                    Pending::Begin(_) | Pending::End(_) => match order.pop_front() {
                        Some(Pending::Begin(name)) => {
                            take(Step::Begin(name));
                            continue;
                        }
                        Some(Pending::End(t)) => {
                            take(Step::End(t));
                            continue;
                        }
                        _ => break,
                    },
                };
                order.pop_front();
                take(step);
            }
            if eof && order.is_empty() {
                break;
            }
            if taken == sent {
                // No block out, so nothing waits: read on.
                continue;
            }
            let Ok((i, seg, block)) = done_rx.recv() else {
                break;
            };
            feed.recycle(block);
            match seg {
                Ok(seg) => {
                    ready.insert(i, seg);
                }
                Err(payload) => {
                    drop(work_tx);
                    panic::resume_unwind(payload);
                }
            }
        }
        drop(work_tx);
        failed.map_or(Ok(()), Err)
    })
}
