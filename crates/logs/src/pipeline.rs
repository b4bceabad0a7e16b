//! Reads blocks on the calling thread, segments them on worker threads,
//! and hands the results back in input order.
//!
//! The engine's state (tunnels, conn-ids, the ladder) follows the input
//! order, so it stays on one thread; what workers do (finding the lines
//! worth reading, joining and classifying them) is most of the cost on a
//! syslog archive that is mostly noise.

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

type Done = (u64, thread::Result<Segmented>, Block);

/// Segments every block of `blocks` and passes the results to `take` in
/// input order, on `workers` threads (none when `workers` is 1 or the input
/// is one block).
pub(crate) fn run<R: BufRead>(
    blocks: &mut BlockReader<R>,
    workers: usize,
    mut take: impl FnMut(Segmented),
) -> io::Result<()> {
    let Some(first) = blocks.next_block()? else {
        return Ok(());
    };
    let second = if workers > 1 {
        blocks.next_block()?
    } else {
        None
    };
    let Some(second) = second else {
        take(segment(&first.bytes));
        blocks.recycle(first);
        while let Some(b) = blocks.next_block()? {
            take(segment(&b.bytes));
            blocks.recycle(b);
        }
        return Ok(());
    };
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

        let mut queued: VecDeque<Block> = VecDeque::from([first, second]);
        let mut ready: BTreeMap<u64, Segmented> = BTreeMap::new();
        let (mut sent, mut taken) = (0u64, 0u64);
        let mut eof = false;
        let mut failed: Option<io::Error> = None;
        loop {
            while sent - taken < max_in_flight {
                let block = match queued.pop_front() {
                    Some(b) => b,
                    None if eof => break,
                    None => match blocks.next_block() {
                        Ok(Some(b)) => b,
                        Ok(None) => {
                            eof = true;
                            break;
                        }
                        Err(e) => {
                            failed = Some(e);
                            eof = true;
                            break;
                        }
                    },
                };
                if work_tx.send((sent, block)).is_err() {
                    eof = true;
                    break;
                }
                sent += 1;
            }
            if taken == sent {
                break;
            }
            let Ok((i, seg, block)) = done_rx.recv() else {
                break;
            };
            blocks.recycle(block);
            match seg {
                Ok(seg) => {
                    ready.insert(i, seg);
                }
                Err(payload) => {
                    drop(work_tx);
                    panic::resume_unwind(payload);
                }
            }
            while let Some(seg) = ready.remove(&taken) {
                take(seg);
                taken += 1;
            }
        }
        drop(work_tx);
        failed.map_or(Ok(()), Err)
    })
}
