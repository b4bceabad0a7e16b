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
    /// The current input ended; lines cut at the length cap, and why it
    /// ended early if it did.
    End(u64, Option<String>),
}

/// Where blocks come from: inputs one after the other.
pub(crate) struct Feed<I, R> {
    inputs: I,
    current: Option<BlockReader<R>>,
    block: usize,
    spare: Vec<Block>,
}

enum Item {
    Begin(String),
    Block(Block),
    End(u64, Option<String>),
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
                    Ok(Some(Item::Begin(name)))
                }
            };
        };
        match reader.next_block() {
            Ok(Some(b)) => Ok(Some(Item::Block(b))),
            Ok(None) => {
                let truncated = reader.truncated();
                self.current = None;
                Ok(Some(Item::End(truncated, None)))
            }
            // What was read stays analysed; the input ends here.
            Err(e) => {
                let truncated = reader.truncated();
                self.current = None;
                Ok(Some(Item::End(truncated, Some(e.to_string()))))
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
        Item::End(t, why) => take(Step::End(t, why)),
    }
}

/// An event waiting for its turn: blocks wait for their worker.
enum Pending {
    Begin(String),
    Block(u64),
    End(u64, Option<String>),
}

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
    I: Iterator<Item = io::Result<(String, R)>> + Send,
    R: BufRead + Send,
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
    let max_in_flight = workers * IN_FLIGHT_PER_WORKER;
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Block)>(max_in_flight);
    let work_rx = Mutex::new(work_rx);
    let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
    // One token per block in flight: the reader waits for one before it
    // reads a block, the engine gives it back once the block is taken.
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(max_in_flight);
    for _ in 0..max_in_flight {
        let _ = token_tx.send(());
    }
    let (spare_tx, spare_rx) = mpsc::channel::<Block>();
    thread::scope(|s| {
        // Owned here, so that if the engine panics the unwinding drops it:
        // the reader then stops, the workers after it, and the panic
        // surfaces instead of a hang.
        let token_tx = token_tx;
        for _ in 0..workers {
            let msg_tx = msg_tx.clone();
            let work_rx = &work_rx;
            s.spawn(move || loop {
                let job = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, block)) = job else { return };
                let seg = panic::catch_unwind(AssertUnwindSafe(|| segment(&block.bytes)));
                if msg_tx.send(Msg::Done(i, seg, block)).is_err() {
                    return;
                }
            });
        }
        // Reading (and decompressing) on a thread of its own keeps it off
        // the engine's thread, which is the one that cannot be shared.
        let reader_tx = msg_tx.clone();
        drop(msg_tx);
        s.spawn(move || {
            read_ahead(feed, pre, &work_tx, &reader_tx, &token_rx, &spare_rx);
        });

        let mut order: VecDeque<Pending> = VecDeque::new();
        let mut ready: BTreeMap<u64, Segmented> = BTreeMap::new();
        let mut read_all = false;
        let mut failed: Option<io::Error> = None;
        loop {
            // Hand over, in order, everything whose turn has come.
            while let Some(front) = order.front() {
                if let Pending::Block(i) = front {
                    let Some(seg) = ready.remove(i) else { break };
                    order.pop_front();
                    take(Step::Block(seg));
                    let _ = token_tx.send(());
                    continue;
                }
                match order.pop_front() {
                    Some(Pending::Begin(name)) => take(Step::Begin(name)),
                    Some(Pending::End(t, why)) => take(Step::End(t, why)),
                    _ => {}
                }
            }
            if read_all && order.is_empty() {
                break;
            }
            let Ok(msg) = msg_rx.recv() else { break };
            match msg {
                Msg::Begin(name) => order.push_back(Pending::Begin(name)),
                Msg::Sent(i) => order.push_back(Pending::Block(i)),
                Msg::End(t, why) => order.push_back(Pending::End(t, why)),
                Msg::Done(i, Ok(seg), block) => {
                    ready.insert(i, seg);
                    let _ = spare_tx.send(block);
                }
                Msg::Done(_, Err(payload), _) => {
                    drop(token_tx);
                    panic::resume_unwind(payload);
                }
                Msg::Failed(e) => failed = Some(e),
                Msg::Eof => read_all = true,
            }
        }
        drop(token_tx);
        failed.map_or(Ok(()), Err)
    })
}

/// What the engine's thread hears, from the reader and the workers.
enum Msg {
    Begin(String),
    /// Block `i` went to the workers.
    Sent(u64),
    End(u64, Option<String>),
    Done(u64, thread::Result<Segmented>, Block),
    Failed(io::Error),
    Eof,
}

/// The reader thread: items of `feed` (after those read already), blocks to
/// the workers, the order of things to the engine.
fn read_ahead<I, R>(
    feed: &mut Feed<I, R>,
    mut pre: VecDeque<Item>,
    work_tx: &mpsc::SyncSender<(u64, Block)>,
    msg_tx: &mpsc::Sender<Msg>,
    token_rx: &mpsc::Receiver<()>,
    spare_rx: &mpsc::Receiver<Block>,
) where
    I: Iterator<Item = io::Result<(String, R)>>,
    R: BufRead,
{
    let mut sent = 0u64;
    let mut token = false;
    loop {
        while let Ok(b) = spare_rx.try_recv() {
            feed.recycle(b);
        }
        if !token {
            if token_rx.recv().is_err() {
                return;
            }
            token = true;
        }
        let item = match pre.pop_front() {
            Some(item) => Ok(Some(item)),
            None => feed.next(),
        };
        let msg = match item {
            Ok(Some(Item::Begin(name))) => Msg::Begin(name),
            Ok(Some(Item::End(t, why))) => Msg::End(t, why),
            Ok(Some(Item::Block(b))) => {
                if work_tx.send((sent, b)).is_err() {
                    return;
                }
                token = false;
                sent += 1;
                Msg::Sent(sent - 1)
            }
            Ok(None) => {
                let _ = msg_tx.send(Msg::Eof);
                return;
            }
            Err(e) => {
                let _ = msg_tx.send(Msg::Failed(e));
                let _ = msg_tx.send(Msg::Eof);
                return;
            }
        };
        if msg_tx.send(msg).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn input(lines: usize) -> Vec<u8> {
        "ISAKMP:(1001):Old State = IKE_I_MM1  New State = IKE_I_MM2\n"
            .repeat(lines)
            .into_bytes()
    }

    #[test]
    fn steps_come_in_input_order() {
        let a = input(2000);
        let b = input(10);
        let inputs = vec![Ok(("a".to_string(), &a[..])), Ok(("b".to_string(), &b[..]))];
        let mut feed = Feed::new(inputs.into_iter(), 512);
        let mut seen = Vec::new();
        let mut lines = 0;
        run(&mut feed, 3, |step| match step {
            Step::Begin(n) => seen.push(format!("begin {n}")),
            Step::Block(seg) => lines += seg.lines,
            Step::End(..) => seen.push(format!("end {lines}")),
        })
        .unwrap();
        assert_eq!(seen, ["begin a", "end 2000", "begin b", "end 2010"]);
    }

    #[test]
    fn a_panic_in_the_engine_surfaces_instead_of_hanging() {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let a = input(5000);
            let inputs = vec![Ok(("a".to_string(), &a[..]))];
            let mut feed = Feed::new(inputs.into_iter(), 256);
            let mut n = 0;
            let r = panic::catch_unwind(AssertUnwindSafe(|| {
                run(&mut feed, 2, |step| {
                    if matches!(step, Step::Block(_)) {
                        n += 1;
                        assert!(n < 3, "engine fault");
                    }
                })
            }));
            let _ = tx.send(r.is_err());
        });
        let panicked = rx.recv_timeout(Duration::from_secs(30));
        assert_eq!(panicked, Ok(true));
    }
}
