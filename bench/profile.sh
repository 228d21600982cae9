#!/usr/bin/env bash
# Profiles kvsim's proxy under redis-benchmark (-t set,get -d 128 -c 50 -P 16 by default).
# With async-profiler (ASYNC_PROFILER_DIR set, or asprof on PATH): a CPU flame graph.
# Otherwise: a JFR recording and the hottest methods from its jdk.ExecutionSample events.
# Output in bench/results/profile-<date>-<host>/. Knobs: N (requests, default 2000000), P (16),
# CLIENTS (50), DATA_SIZE (128), TESTS (set,get), WARMUP_N (200000), KVSIM_CLASS, KVSIM_JAVA_OPTS, TOP (25).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${N:-2000000}; P=${P:-16}; CLIENTS=${CLIENTS:-50}; DATA_SIZE=${DATA_SIZE:-128}; TESTS=${TESTS:-set,get}
WARMUP_N=${WARMUP_N:-200000}; TOP=${TOP:-25}
KVSIM_CLASS=${KVSIM_CLASS:-redis.basic.small.default}
need redis-server redis-benchmark redis-cli java curl awk sort

ASPROF=""
if [ -n "${ASYNC_PROFILER_DIR:-}" ] && [ -x "$ASYNC_PROFILER_DIR/bin/asprof" ]; then ASPROF=$ASYNC_PROFILER_DIR/bin/asprof
elif command -v asprof >/dev/null 2>&1; then ASPROF=$(command -v asprof); fi
[ -n "$ASPROF" ] || need jcmd jfr

OUT="${RESULTS_DIR:-$BENCH_DIR/results}/profile-$(date +%F-%H%M%S)-$(hostname -s 2>/dev/null || hostname)"
mkdir -p "$OUT"

bench_init
read -r ADMIN < <(free_ports 1)
start_kvsim "$ADMIN"
kvsim_create_instance "$KVSIM_CLASS" "$ADMIN"
check_target kvsim "$KVSIM_PORT"

bench() { redis-benchmark -h 127.0.0.1 -p "$KVSIM_PORT" -t "$TESTS" -d "$DATA_SIZE" -c "$CLIENTS" -P "$P" -n "$1" --csv; }
if [ "$WARMUP_N" -gt 0 ]; then log "warm-up: $WARMUP_N requests"; bench "$WARMUP_N" >/dev/null 2>&1; fi

if [ -n "$ASPROF" ]; then
    "$ASPROF" start -e cpu "$KVSIM_PID" >&2
    log "profiling (async-profiler): -P $P -n $N"
    bench "$N" | tee "$OUT/redis-benchmark.csv" >&2
    "$ASPROF" stop -f "$OUT/flamegraph.html" "$KVSIM_PID" >&2
    log "flame graph: $OUT/flamegraph.html"
    exit 0
fi

jcmd "$KVSIM_PID" JFR.start name=bench settings=profile >/dev/null
log "profiling (JFR): -P $P -n $N"
bench "$N" | tee "$OUT/redis-benchmark.csv" >&2
jcmd "$KVSIM_PID" JFR.dump name=bench filename="$OUT/kvsim.jfr" >/dev/null
jcmd "$KVSIM_PID" JFR.stop name=bench >/dev/null

# Each sample has its stack, innermost frame first. self: the innermost frame; total: every method
# on the stack, once per sample. jdk.ExecutionSample = threads running Java code;
# jdk.NativeMethodSample = threads inside native methods (socket I/O, and idle waits in epoll).
hot() { # EVENT WITH_TOTAL
    jfr print --events "$1" --stack-depth 128 "$OUT/kvsim.jfr" | awk -v top="$TOP" -v ev="$1" -v with_total="$2" '
        function name(f) { sub(/^[ \t]+/, "", f); sub(/\(.*$/, "", f); sub(/[ \t]+line:.*$/, "", f); return f }
        /stackTrace = \[/ { inside = 1; first = 1; n++; delete seen; next }
        inside && /^[ \t]*\]/ { inside = 0; next }
        inside && !/^[ \t]*\.\.\.$/ {
            m = name($0); if (m == "") next
            if (first) { self[m]++; first = 0 }
            if (!(m in seen)) { seen[m] = 1; total[m]++ }
        }
        END {
            cmd = "sort -k2,2nr | head -" top
            printf "\n== %s: %d samples; top %d methods, self (innermost frame) ==\n", ev, n, top; fflush()
            for (m in self) printf "%6.2f%%  %7d  %s\n", 100 * self[m] / n, self[m], m | cmd
            close(cmd)
            if (!with_total) exit
            printf "\n== %s: top %d dev.kvsim methods, total (anywhere on the stack) ==\n", ev, top; fflush()
            for (m in total) if (m ~ /^dev\.kvsim\./) printf "%6.2f%%  %7d  %s\n", 100 * total[m] / n, total[m], m | cmd
            close(cmd)
        }'
}
{ hot jdk.ExecutionSample 1; hot jdk.NativeMethodSample 0; } | tee "$OUT/hot-methods.txt"
log "recording: $OUT/kvsim.jfr (open it with: jfr print / jfr summary); summary: $OUT/hot-methods.txt"
