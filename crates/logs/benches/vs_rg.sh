#!/bin/sh
# Times `ipsec-doctor diagnose` against `rg -F` finding the catalog's message
# literals in the same generated syslog archive (issue 6: at most 2x rg).
#
#   sh crates/logs/benches/vs_rg.sh            # 1 GiB, 3 runs each
#   BENCH_BYTES=200000000 RUNS=5 sh crates/logs/benches/vs_rg.sh
#
# Needs rg (Debian: ripgrep). The file goes to $TMPDIR (default /tmp) and
# is removed at the end; a .gz copy is timed too when gzip is present.
set -eu
cd "$(dirname "$0")/../../.."
BYTES=${BENCH_BYTES:-1073741824}
RUNS=${RUNS:-3}
DIR=${TMPDIR:-/tmp}
LOG="$DIR/ipsec-doctor-vs-rg.log"
LITS="$DIR/ipsec-doctor-literals.txt"
trap 'rm -f "$LOG" "$LOG.gz" "$LITS"' EXIT

cargo build -q --release -p ipsec-doctor
cargo run -q --release -p ipsec-doctor-catalog --example literals > "$LITS"
BENCH_BYTES=$BYTES BENCH_FILE=$LOG cargo bench -q -p ipsec-doctor-logs --bench throughput
echo "literals: $(wc -l < "$LITS"); file: $(wc -c < "$LOG") bytes; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$LOG" > /dev/null # into the page cache for both

time_it() {
    label=$1
    shift
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -f "$label: %e s wall, %U s user, %M KB max RSS" "$@" > /dev/null || true
        i=$((i + 1))
    done
}
time_it "rg -F -i -f literals" rg -F -i -f "$LITS" "$LOG"
time_it "ipsec-doctor diagnose" ./target/release/ipsec-doctor diagnose "$LOG" --format json
if command -v gzip > /dev/null; then
    gzip -6 -c "$LOG" > "$LOG.gz"
    time_it "zcat | rg -F -i -f literals" sh -c "zcat '$LOG.gz' | rg -F -i -f '$LITS'"
    time_it "ipsec-doctor diagnose .gz" ./target/release/ipsec-doctor diagnose "$LOG.gz" --format json
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
