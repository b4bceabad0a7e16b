//! Parse throughput of `ipsec_doctor_show::parse` (issue: ≥ 500 MB/s).
//!
//! Builds a large input by repeating the raw `show crypto …` /
//! `show vpn-sessiondb …` outputs of `tests/data/ntc/` (IOS, IOS-XE and
//! ASA; with a prompt line before each, as a transcript would have them),
//! then parses it several times and reports the best MB/s (each round
//! timing the parse and the drop of its result), also the first round
//! (fresh memory: the figure a one-off run sees) and the parse alone; at
//! 16 MB, at 64 MiB (the largest show input the CLI parses whole) and at
//! `BENCH_BYTES`; also per command, plus `looks_like_show` and `diagnose`
//! on the result. Inputs of 512 KiB and more are parsed on two threads (cut
//! at a prompt line, else at a bare command or an `interface:` line); the
//! "one thread" line parses a 7.5 MB piece on the calling thread only
//! (`parse_one_thread`), and 1 MB / 4 MB show the sizes of real pastes.
//!
//! ```text
//! cargo bench -p ipsec-doctor-show --bench parse
//! BENCH_BYTES=500000000 BENCH_ROUNDS=5 cargo bench -p ipsec-doctor-show --bench parse
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// (command, raw output) pairs from the corpus.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ntc/tests");
    let mut v = Vec::new();
    let Ok(platforms) = std::fs::read_dir(&root) else {
        return v;
    };
    let mut files = Vec::new();
    for p in platforms.flatten() {
        for c in std::fs::read_dir(p.path()).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(c.path()).into_iter().flatten().flatten() {
                if f.path().extension().is_some_and(|e| e == "raw") {
                    files.push((c.file_name().to_string_lossy().replace('_', " "), f.path()));
                }
            }
        }
    }
    files.sort();
    for (cmd, path) in files {
        if let Ok(text) = std::fs::read_to_string(&path) {
            v.push((cmd, text));
        }
    }
    v
}

fn build(parts: &[(String, String)], bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 16 * 1024);
    let mut i = 0;
    while s.len() < bytes && !parts.is_empty() {
        let (cmd, text) = &parts[i % parts.len()];
        s.push_str("R1#");
        s.push_str(cmd);
        s.push('\n');
        s.push_str(text);
        if !text.ends_with('\n') {
            s.push('\n');
        }
        i += 1;
    }
    s
}

fn best_of<F: FnMut() -> usize>(rounds: usize, mut f: F) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed());
    }
    (best, n)
}

/// Parse timings of one input: the first round (fresh memory), the best
/// round, both including the drop of the result, and the best parse alone.
struct Timing {
    first: Duration,
    best: Duration,
    parse_alone: Duration,
    records: usize,
}

fn time_parse(text: &str, rounds: usize) -> Timing {
    time_parse_with(text, rounds, ipsec_doctor_show::parse)
}

fn time_parse_with(
    text: &str,
    rounds: usize,
    parse: fn(&str, &str) -> ipsec_doctor_show::ShowOutput,
) -> Timing {
    let mut t = Timing {
        first: Duration::MAX,
        best: Duration::MAX,
        parse_alone: Duration::MAX,
        records: 0,
    };
    for round in 0..rounds.max(1) {
        let start = Instant::now();
        let out = parse("bench", text);
        let parsed = start.elapsed();
        t.records = out.ipsec.len()
            + out.isakmp_sas.len()
            + out.sessions.len()
            + out.vpn_sessions.len()
            + out.vpn_summaries.len();
        drop(out);
        let total = start.elapsed();
        if round == 0 {
            t.first = total;
        }
        t.best = t.best.min(total);
        t.parse_alone = t.parse_alone.min(parsed);
    }
    t
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn main() {
    let bytes = env_num("BENCH_BYTES", 200_000_000);
    let rounds = env_num("BENCH_ROUNDS", 5);
    let parts = corpus();
    if parts.is_empty() {
        eprintln!("no corpus found under tests/data/ntc");
        return;
    }
    let text = build(&parts, bytes);
    println!(
        "input: {:.1} MB, {} lines, built from {} corpus outputs; parse + drop of the result, \
         best of {rounds} rounds (10 or more below 100 MB)",
        text.len() as f64 / 1e6,
        bytecount_lines(&text),
        parts.len()
    );

    // The mixed corpus at three sizes: 64 MiB is the largest show input
    // the CLI parses whole (larger ones are streamed as logs).
    for size in [1_000_000, 4_000_000, 16_000_000, 64 << 20, bytes] {
        let piece = prefix(&text, size);
        let r = if piece.len() < 10_000_000 {
            rounds.max(50)
        } else if piece.len() < 100_000_000 {
            rounds.max(10)
        } else {
            rounds
        };
        let t = time_parse(piece, r);
        println!(
            "parse (mixed, {:>5.1} MB)    {:>8.1} MB/s  parse alone {:>6.1}, first round {:>6.1}  {} records",
            piece.len() as f64 / 1e6,
            mbps(piece.len(), t.best),
            mbps(piece.len(), t.parse_alone),
            mbps(piece.len(), t.first),
            t.records
        );
    }

    // On the calling thread only.
    let piece = prefix(&text, 7_500_000);
    let t = time_parse_with(piece, rounds * 5, ipsec_doctor_show::parse_one_thread);
    println!(
        "parse (mixed, one thread)   {:>8.1} MB/s  parse alone {:>6.1}  ({:.1} MB)",
        mbps(piece.len(), t.best),
        mbps(piece.len(), t.parse_alone),
        piece.len() as f64 / 1e6
    );

    // Without prompts the input is cut at a bare command instead.
    let bare = text.replace("R1#", "");
    let (d, _) = best_of(rounds, || {
        ipsec_doctor_show::parse("bench", &bare).lines as usize
    });
    println!(
        "parse (no prompts)          {:>8.1} MB/s",
        mbps(bare.len(), d)
    );

    // Per command.
    let mut kinds: Vec<&str> = parts.iter().map(|(c, _)| c.as_str()).collect();
    kinds.dedup();
    for kind in kinds {
        let sub: Vec<(String, String)> = parts.iter().filter(|(c, _)| c == kind).cloned().collect();
        let t = build(&sub, (64 << 20).min(bytes).max(1_000_000));
        let d = time_parse(&t, rounds.max(10)).best;
        println!("parse {kind:<34} {:>8.1} MB/s", mbps(t.len(), d));
    }

    // Flattened (copy/pasted onto one line per command output).
    let flat: String = text
        .split("R1#")
        .take(20_000)
        .map(|chunk| chunk.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    let (d, _) = best_of(rounds, || {
        ipsec_doctor_show::parse("bench", &flat).ipsec.len()
    });
    println!(
        "parse flattened text        {:>8.1} MB/s  ({:.1} MB)",
        mbps(flat.len(), d),
        flat.len() as f64 / 1e6
    );

    let (d, _) = best_of(rounds, || {
        usize::from(ipsec_doctor_show::looks_like_show(&text))
    });
    println!(
        "looks_like_show             {:>8.1} µs",
        d.as_secs_f64() * 1e6
    );

    let small = build(&parts, 20_000_000);
    let out = ipsec_doctor_show::parse("bench", &small);
    let (d, n) = best_of(rounds, || {
        ipsec_doctor_show::diagnose(std::slice::from_ref(&out)).len()
    });
    println!(
        "diagnose ({:.0} MB parsed)     {:>8.3} s  {n} findings",
        small.len() as f64 / 1e6,
        d.as_secs_f64()
    );
}

/// The whole lines of `text` within its first `size` bytes.
fn prefix(text: &str, size: usize) -> &str {
    if size >= text.len() {
        return text;
    }
    let end = text.as_bytes()[..size]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    &text[..end]
}

fn bytecount_lines(s: &str) -> usize {
    memchr_count(s.as_bytes())
}

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
