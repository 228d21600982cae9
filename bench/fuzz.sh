#!/usr/bin/env bash
# Hostile frames against kvsim's proxy: FRAMES malformed, oversized, half-sent and unread frames
# (dev.kvsim.fuzz.FuzzRun, seeded) over many connections to a standard and a cluster instance with a
# password, while a well-behaved client checks every answer. kvsim runs with a capped heap
# (KVSIM_JAVA_OPTS, -Xmx256m by default): a run that ends with kvsim alive, its instances Normal,
# 0 wrong answers and 0 refused connections shows the heap stayed within the cap; the report adds
# kvsim's peak resident memory and its heap after a full collection, before and after.
# Prints a Markdown report on stdout and writes it to bench/results/fuzz-<date>-<host>.md.
# Needs the packaged kvsim and the compiled tests: ./mvnw package -DskipTests (or test-compile).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FRAMES=${FRAMES:-1000000}           # per instance
THREADS=${THREADS:-16}              # hostile connections at once, per instance
SEED=${SEED:-1}
MAX_SECONDS=${MAX_SECONDS:-1800}    # per instance
REFUSED_ADDRESS=${REFUSED_ADDRESS:-127.0.0.2}   # a local address outside the instances' whitelist; empty: none
KVSIM_JAVA_OPTS=${KVSIM_JAVA_OPTS:--Xmx256m}
CLUSTER_CLASS=${CLUSTER_CLASS:-redis.logic.sharding.2g.8db.0rodb.8proxy.default}
STANDARD_CLASS=${STANDARD_CLASS:-redis.master.small.default}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
PASSWORD='Fuzz3r!pass'
TEST_CLASSES=${TEST_CLASSES:-$REPO_DIR/target/test-classes}   # where dev.kvsim.fuzz.FuzzRun is compiled

for v in FRAMES THREADS SEED MAX_SECONDS; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
[ -f "$TEST_CLASSES/dev/kvsim/fuzz/FuzzRun.class" ] || die "no $TEST_CLASSES/dev/kvsim/fuzz/FuzzRun.class; build it: ./mvnw test-compile"
need java curl jq awk jcmd
export KVSIM_JAVA_OPTS

bench_init
read -r ADMIN < <(free_ports 1)
start_kvsim "$ADMIN"

# create_password_instance CLASS OVERRIDES: a Normal instance with PASSWORD; sets INST_ID and INST_PORT.
create_password_instance() {
    local json
    json=$(curl -sS -X POST "http://127.0.0.1:$ADMIN/api/v1/instances?wait=true" -H 'Content-Type: application/json' \
        -d "{\"instanceClass\":\"$1\",\"name\":\"fuzz\",\"password\":\"$PASSWORD\",\"overrides\":$2}")
    [ "$(jq -r .status <<<"$json")" = Normal ] || die "instance not created: $json"
    mapfile -t -O "${#KVSIM_NODE_PIDS[@]}" KVSIM_NODE_PIDS < <(jq -r '.nodes[].pid // empty' <<<"$json")
    INST_ID=$(jq -r .instanceId <<<"$json")
    INST_PORT=$(jq -r .port <<<"$json")
}
create_password_instance "$STANDARD_CLASS" '{"bandwidthMBps":100000}'
STD_ID=$INST_ID; STD_PORT=$INST_PORT
create_password_instance "$CLUSTER_CLASS" '{"shardCount":2,"bandwidthMBps":100000}'
CL_ID=$INST_ID; CL_PORT=$INST_PORT
log "standard $STD_ID on $STD_PORT, cluster $CL_ID on $CL_PORT"

# heap_after_gc: kvsim's heap in use after a full collection, in MB.
heap_after_gc() {
    jcmd "$KVSIM_PID" GC.run >/dev/null
    jcmd "$KVSIM_PID" GC.heap_info | awk '/ used / { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.1f", v / 1024; exit } }'
}
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$KVSIM_PID/status"; }
peak_mb() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$KVSIM_PID/status"; }

HEAP_START=$(heap_after_gc)
RSS_START=$(rss_mb)
declare -A OUT SECS STATUS
RC=0
for kind in standard cluster; do
    port=$STD_PORT; id=$STD_ID
    [ "$kind" = standard ] || { port=$CL_PORT; id=$CL_ID; }
    log "fuzz $kind: $FRAMES frames, $THREADS connections at once, seed $SEED"
    start=$SECONDS
    set +e
    OUT[$kind]=$(java -cp "$TEST_CLASSES" dev.kvsim.fuzz.FuzzRun "$port" "$PASSWORD" "$FRAMES" "$SEED" "$THREADS" \
        "$REFUSED_ADDRESS" "$MAX_SECONDS" 2>&1)
    rc=$?
    set -e
    SECS[$kind]=$((SECONDS - start))
    [ "$rc" -eq 0 ] || RC=1
    alive "$KVSIM_PID" || die "kvsim died during the $kind run: $(tail -20 "$BENCH_TMP/kvsim.log")"
    STATUS[$kind]=$(curl -sS "http://127.0.0.1:$ADMIN/api/v1/instances/$id" | jq -r .status)
    [ "${STATUS[$kind]}" = Normal ] || RC=1
    log "  ${OUT[$kind]}"
done
HEAP_END=$(heap_after_gc)
RSS_END=$(rss_mb)
PEAK=$(peak_mb)
OOM=$(grep -c OutOfMemoryError "$BENCH_TMP/kvsim.log" || true)
[ "$OOM" -eq 0 ] || RC=1

describe_build
mkdir -p "$RESULTS_DIR"
REPORT="$RESULTS_DIR/fuzz-$(date +%Y-%m-%d)-$HOST.md"
{
    echo "# Hostile-frame fuzz ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "kvsim $KVSIM_REV (jar $JAR_TIME), JVM options \`$KVSIM_JAVA_OPTS\`, $(nproc) CPUs ($CPU), load at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "$FRAMES frames per instance, $THREADS hostile connections at once, seed $SEED, refused address ${REFUSED_ADDRESS:-none}."
    echo
    echo "| instance | seconds | result | status after |"
    echo "|---|--:|---|---|"
    for kind in standard cluster; do
        echo "| $kind | ${SECS[$kind]} | ${OUT[$kind]//|/\\|} | ${STATUS[$kind]} |"
    done
    echo
    echo "| kvsim | start | end |"
    echo "|---|--:|--:|"
    echo "| heap after a full GC (MB) | $HEAP_START | $HEAP_END |"
    echo "| resident memory (MB) | $RSS_START | $RSS_END (peak $PEAK) |"
    echo "| OutOfMemoryError in its log | | $OOM |"
    echo
    [ "$RC" -eq 0 ] && echo "Verdict: clean." || echo "Verdict: **problems** (see the results above)."
} | tee "$REPORT"
log "report: $REPORT"
exit "$RC"
