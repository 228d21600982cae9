#!/usr/bin/env bash
# Throughput of kvsim's proxy, side by side with a direct redis-server and with nutcracker in front
# of that same redis-server: redis-benchmark -t set,get -d 128 -c 50 with -P 1 and -P 16.
# Prints a Markdown report on stdout and writes it to bench/results/<date>-<host>.md.
# Progress goes to stderr. Knobs (environment): see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N_P1=${N_P1:-200000}
N_P16=${N_P16:-2000000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
DATA_SIZE=${DATA_SIZE:-128}
TESTS=${TESTS:-set,get}
KEYSPACE=${KEYSPACE:-}                    # empty: redis-benchmark's default (one key per test)
WARMUP_N=${WARMUP_N:-200000}              # per target, with -P 16 (a tenth of it with -P 1); 0 = none
KVSIM_CLASS=${KVSIM_CLASS:-redis.basic.small.default}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}       # seconds, per redis-benchmark run
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
BASELINE_JAR=${BASELINE_JAR:-}            # another kvsim build, run as a fourth target in the same rounds
BASELINE_JAVA_OPTS=${BASELINE_JAVA_OPTS:-}  # its JVM options, e.g. -Dkvsim.metrics.enabled=false (same jar, monitoring off)
IDLE_MS=${IDLE_MS:-0}                     # > 0: each proxy's idle CPU over this long before each run, subtracted
OLDER_VERSION=${OLDER_VERSION:-}          # e.g. 5.0: a second instance of this kvsim, of that engine major version

for v in N_P1 N_P16 ROUNDS CLIENTS DATA_SIZE WARMUP_N BENCH_TIMEOUT IDLE_MS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
[ "$ROUNDS" -ge 1 ] || die "ROUNDS must be at least 1"
need redis-server redis-benchmark redis-cli nutcracker java curl timeout awk sort

TARGETS=(direct nutcracker kvsim)
[ -z "$BASELINE_JAR" ] || TARGETS+=(baseline)
[ -z "$OLDER_VERSION" ] || TARGETS+=(older)
PIPELINES=(1 16)
declare -A PORT

bench_init
read -r "PORT[direct]" "PORT[nutcracker]" NC_STATS ADMIN BASE_ADMIN < <(free_ports 5)

start_redis direct "${PORT[direct]}"
start_nutcracker "${PORT[nutcracker]}" "$NC_STATS" "${PORT[direct]}"
if [ -n "$BASELINE_JAR" ]; then
    [ -f "$BASELINE_JAR" ] || die "BASELINE_JAR $BASELINE_JAR not found"
    KVSIM_JAR=$BASELINE_JAR KVSIM_DATA_DIR=$BENCH_TMP/kvsim-baseline KVSIM_LOG=$BENCH_TMP/kvsim-baseline.log \
        KVSIM_JAVA_OPTS="${KVSIM_JAVA_OPTS:-} $BASELINE_JAVA_OPTS" start_kvsim "$BASE_ADMIN"
    BASE_PID=$KVSIM_PID
    kvsim_create_instance "$KVSIM_CLASS" "$BASE_ADMIN"
    PORT[baseline]=$KVSIM_PORT
    BASE_NODE_PIDS=("${KVSIM_NODE_PIDS[@]}")
fi
start_kvsim "$ADMIN"
if [ -n "$OLDER_VERSION" ]; then
    kvsim_create_instance "$KVSIM_CLASS" "$ADMIN" '{"bandwidthMBps":100000}' "$OLDER_VERSION"
    PORT[older]=$KVSIM_PORT
    OLDER_NODE_PIDS=("${KVSIM_NODE_PIDS[@]}")
fi
kvsim_create_instance "$KVSIM_CLASS" "$ADMIN"
PORT[kvsim]=$KVSIM_PORT
for t in "${TARGETS[@]}"; do check_target "$t" "${PORT[$t]}"; done

# run_bench TARGET PIPELINE N OUT: one redis-benchmark run; OUT gets "TEST RPS P50_MS" lines.
run_bench() {
    local target=$1 p=$2 n=$3 out=$4 raw="$BENCH_TMP/rb.csv" err="$BENCH_TMP/rb.err"
    local args=(-h 127.0.0.1 -p "${PORT[$target]}" -t "$TESTS" -d "$DATA_SIZE" -c "$CLIENTS" -n "$n" -P "$p" --csv)
    [ -z "$KEYSPACE" ] || args+=(-r "$KEYSPACE")
    if ! timeout --foreground "$BENCH_TIMEOUT" redis-benchmark "${args[@]}" >"$raw" 2>"$err"; then
        tail -c 2000 "$err" >&2
        die "redis-benchmark failed against $target (-P $p)"
    fi
    # --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",... (header line first)
    awk -F, '{ gsub(/"/, "") } $1 != "test" && NF >= 2 { print $1, $2, (NF >= 5 ? $5 : "-") }' "$raw" >"$out"
    [ "$(wc -l <"$out")" -eq "$(tr ',' '\n' <<<"$TESTS" | wc -l)" ] \
        || { cat "$raw" >&2; die "unexpected redis-benchmark output against $target (-P $p)"; }
}

# role_pids TARGET ROLE: the processes whose CPU time counts as the target's proxy or engine.
role_pids() {
    case "$1:$2" in
        nutcracker:proxy) tracked_pids nutcracker ;;
        kvsim:proxy | older:proxy) echo "$KVSIM_PID" ;;
        older:engine) echo "${OLDER_NODE_PIDS[@]}" ;;
        kvsim:engine) echo "${KVSIM_NODE_PIDS[@]}" ;;
        baseline:proxy) echo "$BASE_PID" ;;
        baseline:engine) echo "${BASE_NODE_PIDS[@]}" ;;
        *:engine) tracked_pids 'redis-server direct' ;;
    esac
}

run_rounds

# ---- report ----

TEST_NAMES=$(tr ',' '\n' <<<"$TESTS" | tr '[:lower:]' '[:upper:]')
describe_build

# report_against REF TARGET: TARGET's throughput and proxy CPU per request against REF's, run side by side
# in the same rounds (after a line saying what the two are).
report_against() {
    local ref=$1 target=$2 x p a b
    echo
    echo "| test | -P | $ref rps | $target rps | $target / $ref |"
    echo "|---|--:|--:|--:|--:|"
    for x in $TEST_NAMES; do
        for p in "${PIPELINES[@]}"; do
            a=$(median 5 "$ref" "$p" "$x"); b=$(median 5 "$target" "$p" "$x")
            echo "| $x | $p | $(fmt_rps "$a") | $(fmt_rps "$b") | $(ratio "$b" "$a") |"
        done
    done
    echo
    echo "| -P | $ref proxy CPU µs/request | $target proxy CPU µs/request | $target / $ref |"
    echo "|--:|--:|--:|--:|"
    for p in "${PIPELINES[@]}"; do
        a=$(cpu_median "$ref" "$p" 5); b=$(cpu_median "$target" "$p" 5)
        echo "| $p | $a | $b | $(ratio "$b" "$a") |"
    done
    echo
    [ "$IDLE_MS" -gt 0 ] || return 0
    echo "Less each proxy's background work (its CPU over $IDLE_MS ms idle just before each run, scaled to the run's"
    echo "wall time): the CPU the requests themselves cost."
    echo
    echo "| -P | $ref proxy CPU µs/request | $target proxy CPU µs/request | $target / $ref |"
    echo "|--:|--:|--:|--:|"
    for p in "${PIPELINES[@]}"; do
        a=$(cpu_median "$ref" "$p" 8); b=$(cpu_median "$target" "$p" 8)
        echo "| $p | $a | $b | $(ratio "$b" "$a") |"
    done
    echo
}

report() {
    echo "# kvsim proxy benchmark: $(date '+%Y-%m-%d %H:%M %Z'), $HOST"
    echo
    echo "redis-benchmark \`-t $TESTS -d $DATA_SIZE -c $CLIENTS\`$([ -z "$KEYSPACE" ] || echo " \`-r $KEYSPACE\`"), \`-P 1 -n $N_P1\` and \`-P 16 -n $N_P16\`;"
    echo "median of $ROUNDS round(s), target order rotated every round; warm-up $WARMUP_N requests per target."
    echo
    echo "| test | -P | direct rps | nutcracker rps | kvsim rps | kvsim / direct | kvsim / nutcracker |"
    echo "|---|--:|--:|--:|--:|--:|--:|"
    local x p d n k
    for x in $TEST_NAMES; do
        for p in "${PIPELINES[@]}"; do
            d=$(median 5 direct "$p" "$x"); n=$(median 5 nutcracker "$p" "$x"); k=$(median 5 kvsim "$p" "$x")
            echo "| $x | $p | $(fmt_rps "$d") | $(fmt_rps "$n") | $(fmt_rps "$k") | $(ratio "$k" "$d") | $(ratio "$k" "$n") |"
        done
    done
    echo
    echo "Target with -P 16: kvsim ≥ 0.80 × direct and ≥ 1.00 × nutcracker."
    echo
    local rd rn verdict
    for x in $TEST_NAMES; do
        rd=$(ratio "$(median 5 kvsim 16 "$x")" "$(median 5 direct 16 "$x")")
        rn=$(ratio "$(median 5 kvsim 16 "$x")" "$(median 5 nutcracker 16 "$x")")
        verdict=$(awk -v a="$rd" -v b="$rn" 'BEGIN { print (a != "-" && b != "-" && a + 0 >= 0.8 && b + 0 >= 1.0) ? "met" : "missed" }')
        echo "- $x -P 16: $verdict (kvsim / direct $rd, kvsim / nutcracker $rn)"
    done
    echo
    if [ -n "$BASELINE_JAR" ]; then
        echo "This build against the baseline build \`$BASELINE_JAR\`${BASELINE_JAVA_OPTS:+ run with \`$BASELINE_JAVA_OPTS\`} (a fourth target in the same rounds):"
        report_against baseline kvsim
    fi
    if [ -n "$OLDER_VERSION" ]; then
        echo "An instance of engine major version $OLDER_VERSION (\`older\`: the proxy checks every command against"
        echo "what that version has) against one of the engine's own version (\`kvsim\`: no check), in the same kvsim:"
        report_against kvsim older
    fi
    report_cpu
    echo
    echo "p50 latency, ms (median over rounds):"
    echo
    echo "| test | -P | direct | nutcracker | kvsim |"
    echo "|---|--:|--:|--:|--:|"
    for x in $TEST_NAMES; do
        for p in "${PIPELINES[@]}"; do
            echo "| $x | $p | $(median 6 direct "$p" "$x") | $(median 6 nutcracker "$p" "$x") | $(median 6 kvsim "$p" "$x") |"
        done
    done
    echo
    echo "## Set-up"
    echo
    echo "- direct: a redis-server started by bench/run.sh on 127.0.0.1, configured like a kvsim"
    echo "  single-replica node (no persistence, 256 databases, maxmemory 1024mb), without a password."
    echo "- nutcracker: in front of that same redis-server (fnv1a_64, ketama, one server)."
    echo "- kvsim: instance of class \`$KVSIM_CLASS\` (single replica, no password) behind kvsim's proxy."
    echo "  Its node is another redis-server process (same binary, started by kvsim, with kvsim's"
    echo "  internal password); the bandwidth cap is lifted with an override."
    echo "- redis-benchmark, the proxies and the nodes all share this machine's CPUs."
    echo
    echo "## Machine"
    echo
    describe_machine
    echo "- redis-benchmark: $(first_line redis-benchmark --version)"
    echo "- nutcracker: $(first_line nutcracker --version)"
    echo "- kvsim: commit $KVSIM_REV; jar $JAR ($(date -r "$JAR" '+%Y-%m-%d %H:%M' 2>/dev/null || echo '?'))"
    echo "- JVM options: ${KVSIM_JAVA_OPTS:-(none)}"
    echo
    report_every_run
}

write_report ""
