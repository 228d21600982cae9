#!/usr/bin/env bash
# Measures how closely kvsim holds an instance to its bandwidth cap: a client writes as fast as it
# can through an instance capped at RATE MB/s (inbound + outbound, the default mode); after one
# second's burst is spent, the sustained throughput over a 5 s window is compared with the cap.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RATES=${RATES:-"1 48"}          # caps to measure, MB/s (1 MB = 1,048,576 bytes)
WINDOW=${WINDOW:-5}             # seconds measured after the burst
CLIENTS_BW=${CLIENTS_BW:-4}     # redis-benchmark -c
ROUNDS=${ROUNDS:-3}

need java curl redis-benchmark redis-cli
bench_init
read -r ADMIN < <(free_ports 1)
start_kvsim "$ADMIN"

# bytes of one "SET key:__rand_int__ <d bytes>" request plus its "+OK" reply
request_bytes() {
    local d=$1
    echo $((4 + 9 + 23 + 1 + ${#d} + 2 + d + 2 + 5))
}

report="| cap MB/s | value bytes | round | bytes in the window | seconds | measured MB/s | measured / cap |
|--:|--:|--:|--:|--:|--:|--:|"
summary=""
for rate in $RATES; do
    kvsim_create_instance redis.basic.small.default "$ADMIN" "{\"bandwidthMBps\":$rate,\"maxConnections\":100}"
    port=$KVSIM_PORT
    cap=$((rate * 1048576))
    d=$(( rate >= 16 ? 65536 : 16384 ))
    per=$(request_bytes "$d")
    ratios=()
    for round in $(seq 1 "$ROUNDS"); do
        # spend the burst (and more): about 1.5 s of traffic at the cap
        burst_n=$(( cap * 3 / 2 / per + CLIENTS_BW ))
        redis-benchmark -h 127.0.0.1 -p "$port" -t set -d "$d" -c "$CLIENTS_BW" -n "$burst_n" -q >/dev/null
        n=$(( cap * WINDOW / per ))
        start=$(date +%s.%N)
        redis-benchmark -h 127.0.0.1 -p "$port" -t set -d "$d" -c "$CLIENTS_BW" -n "$n" -q >/dev/null
        end=$(date +%s.%N)
        bytes=$((n * per))
        read -r secs mbps ratio < <(awk -v b="$bytes" -v s="$start" -v e="$end" -v c="$cap" \
            'BEGIN { t = e - s; printf "%.2f %.2f %.3f\n", t, b / t / 1048576, (b / t) / c }')
        log "cap $rate MB/s round $round: $mbps MB/s over $secs s (x$ratio)"
        report+=$'\n'"| $rate | $d | $round | $bytes | $secs | $mbps | $ratio |"
        ratios+=("$ratio")
    done
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    verdict=$(awk -v r="$median" 'BEGIN { print (r >= 0.9 && r <= 1.1) ? "within ±10 %" : "OUTSIDE ±10 %" }')
    summary+="- cap $rate MB/s: median measured / cap $median, $verdict"$'\n'
    curl -fsS -X DELETE "http://127.0.0.1:$ADMIN/api/v1/instances/$(grep -o '"instanceId":"[^"]*"' "$BENCH_TMP/kvsim-instance.json" | cut -d'"' -f4)" >/dev/null
done

out="# kvsim bandwidth cap: $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname)

redis-benchmark \`-t set -c $CLIENTS_BW\` through an instance whose \`overrides.bandwidthMBps\` is the cap
(mode \`combined\`: request and reply bytes count together). Before each measured window, about
1.5 s of traffic spends the one-second burst; the window then carries $WINDOW s worth of traffic
at the cap, and its wall-clock time gives the sustained rate.

$report

$summary
Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)."
mkdir -p "${RESULTS_DIR:-$BENCH_DIR/results}"
file="${RESULTS_DIR:-$BENCH_DIR/results}/bandwidth-$(date -u +%Y-%m-%d)-$(hostname).md"
printf '%s\n' "$out" | tee "$file"
log "report written to $file"
