#!/usr/bin/env bash
# Engine major version upgrades under a writer: an instance of 4.0 holding KEYS keys is upgraded to 5.0,
# 6.0 and 7.0 (POST /api/v1/instances/{id}/major-version) while a client writes SET with an incrementing key
# every ~1 ms (bench/failover_writer.py). Duration: from the request to the MajorVersionUpgraded event's
# doneAt. Downtime: from the first failed write to the next successful one. One instance per key count.
# Prints a Markdown report on stdout and writes it to bench/results/upgrade-<date>-<host>.md.
# Progress goes to stderr. Knobs (environment): see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEY_COUNTS=${KEY_COUNTS:-100000 1000000}
KVSIM_CLASS=${KVSIM_CLASS:-redis.master.small.default}
WRITE_INTERVAL_MS=${WRITE_INTERVAL_MS:-1}     # one SET every this many ms
WRITE_TIMEOUT_MS=${WRITE_TIMEOUT_MS:-2000}    # a write not answered within this has failed
PRE_S=${PRE_S:-1}                             # seconds of writes before the upgrade
QUIET_S=${QUIET_S:-2}                         # a round ends after this many seconds without a failed write
ROUND_TIMEOUT=${ROUND_TIMEOUT:-120}           # seconds allowed from the request to the end of a round
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
WRITER="$BENCH_DIR/failover_writer.py"
STEPS=(5.0 6.0 7.0)

for v in WRITE_TIMEOUT_MS PRE_S QUIET_S ROUND_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
for k in $KEY_COUNTS; do [[ "$k" =~ ^[0-9]+$ ]] || die "KEY_COUNTS: '$k' is not a whole number"; done
need redis-server redis-cli java curl jq python3 awk date
[ -f "$WRITER" ] || die "$WRITER not found"
read -r -a FIELDS < <(python3 "$WRITER" fields)
declare -A COL   # column of each field in RESULTS: keys, step, then FIELDS
for i in "${!FIELDS[@]}"; do COL[${FIELDS[$i]}]=$((i + 3)); done

# load_keys N: N keys (16-byte values) through the proxy, with redis-cli's pipe mode.
load_keys() {
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$16\r\nvalue-0123456789\r\n", length("key:" i), i }' |
        redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" --pipe >"$BENCH_TMP/load.log" 2>&1 || { cat "$BENCH_TMP/load.log" >&2; die "loading $1 keys failed"; }
    [ "$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" dbsize)" -eq "$1" ] || die "the instance does not hold $1 keys after loading"
}

# run_round KEYS TO: one upgrade under the write loop; appends a line to RESULTS.
run_round() {
    local keys=$1 to=$2 t_req t_resp line
    ROUND_DIR="$BENCH_TMP/rounds/$keys-$to"
    mkdir -p "$ROUND_DIR"
    start_writer "$KVSIM_PORT" "bench:$keys:$to"
    sleep "$PRE_S"
    t_req=$(now_ms)
    api POST "/api/v1/instances/$INSTANCE/major-version" "{\"majorVersion\":\"$to\"}"
    t_resp=$(now_ms)
    [ "$API_CODE" = 200 ] || die "the upgrade to $to answered HTTP $API_CODE: $API_BODY"
    await_round "$t_req" MajorVersionUpgraded MajorVersionUpgradeFailed
    line=$(python3 "$WRITER" analyze --writer "$ROUND_DIR/writer.json" --events "$ROUND_DIR/events.json" \
        --t0 "$(iso_of_ms "$t_req")" --api-ms $((t_resp - t_req)))
    [ "$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" info server | tr -d '\r' | awk -F: '$1 == "redis_version" { print $2 }')" \
        = "$(jq -r '.[] | select(.type == "MajorVersionUpgraded") | .details.release' "$ROUND_DIR/events.json" | tail -1)" ] \
        || die "INFO server does not report the release of $to after the upgrade"
    [ "$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" exists "key:$keys")" = 1 ] || die "key:$keys is gone after the upgrade to $to"
    printf '%s\t%s\t%s\n' "$keys" "$to" "$line" >>"$RESULTS"
    log "  duration $(get "$line" switched_s) s, downtime $(get "$line" downtime_ms) ms, outages $(get "$line" outages), lost $(get "$line" lost)"
}

# get LINE FIELD: a field of an analyze line (without the keys and step columns).
get() { awk -F'\t' -v c=$((COL[$2] - 2)) '{ print $c }' <<<"$1"; }

bench_init
RESULTS="$BENCH_TMP/results.tsv"
: >"$RESULTS"
STARTED_AT=$(date '+%Y-%m-%d %H:%M %Z')
T_START=$SECONDS
read -r ADMIN < <(free_ports 1)
KVSIM_DATA_DIR="$BENCH_TMP/kvsim" start_kvsim "$ADMIN" "-Dkvsim.ha.profile=fast"
for keys in $KEY_COUNTS; do
    previous=("${KVSIM_NODE_PIDS[@]}")
    kvsim_create_instance "$KVSIM_CLASS" "$ADMIN" '{"bandwidthMBps":100000}' 4.0
    KVSIM_NODE_PIDS=("${previous[@]}" "${KVSIM_NODE_PIDS[@]}")
    INSTANCE=$(jq -r .instanceId "$BENCH_TMP/kvsim-instance.json")
    log "instance $INSTANCE (4.0): loading $keys keys"
    load_keys "$keys"
    for to in "${STEPS[@]}"; do
        log "$keys keys: upgrade to $to"
        run_round "$keys" "$to"
    done
    api DELETE "/api/v1/instances/$INSTANCE"
done
ELAPSED=$((SECONDS - T_START))

values() { awk -F'\t' -v k="$1" -v s="$2" -v c="${COL[$3]}" '$1 == k && $2 == s { print $c }' "$RESULTS"; }
describe_build

report() {
    local k s
    echo "# kvsim engine major version upgrade benchmark: $STARTED_AT, $HOST"
    echo
    echo "An instance of class \`$KVSIM_CLASS\` created as 4.0 and loaded with N keys is upgraded to 5.0, 6.0 and 7.0"
    echo "(\`POST /api/v1/instances/{id}/major-version\`, \`Immediately\`) while a client (bench/failover_writer.py, one raw"
    echo "socket) writes \`SET <prefix>:<n> <32 bytes>\` one at a time, one every ${WRITE_INTERVAL_MS} ms, and reconnects after a"
    echo "connection error. **Duration**: from the request to the MajorVersionUpgraded event's \`doneAt\` (status"
    echo "\`Normal\` again). **Downtime**: from the first failed write (sent) to the next successful write (answered)."
    echo "**Switch**: the event's \`switchMs\`, kvsim's own time to store the version, apply it and drop the connections."
    echo
    echo "| keys | upgrade | duration s | switch ms | downtime ms | outages | failed writes | lost acked writes | errors seen by the client |"
    echo "|--:|---|--:|--:|--:|--:|--:|--:|---|"
    for k in $KEY_COUNTS; do
        for s in "${STEPS[@]}"; do
            echo "| $k | → $s | $(values "$k" "$s" switched_s) | $(jq -r '.[] | select(.type == "MajorVersionUpgraded") | .details.switchMs' "$BENCH_TMP/rounds/$k-$s/events.json" | tail -1) | $(values "$k" "$s" downtime_ms) | $(values "$k" "$s" outages) | $(values "$k" "$s" failed) | $(values "$k" "$s" lost) of $(values "$k" "$s" acked) | $(values "$k" "$s" errors) |"
        done
    done
    echo
    echo "The data stays on its nodes: an upgrade costs the same whatever the number of keys. After each upgrade"
    echo "the script checks that \`INFO server\` reports the new release and that the last loaded key is there;"
    echo "the writer checks every acknowledged key with EXISTS."
    echo
    echo "## Set-up"
    echo
    echo "- kvsim with \`-Dkvsim.ha.profile=fast\`, one instance per key count, password-free, bandwidth cap lifted;"
    echo "  keys \`key:1\` … \`key:N\` with 16-byte values, loaded through the proxy with \`redis-cli --pipe\`."
    echo "- Writer: interval ${WRITE_INTERVAL_MS} ms, reply timeout ${WRITE_TIMEOUT_MS} ms; ${PRE_S} s of writes before each upgrade;"
    echo "  a round ends when the event is recorded, the instance is Normal and no write has failed for ${QUIET_S} s."
    echo "- Processes: kvsim, its redis-server nodes and the writer share this machine's CPUs."
    echo "- Run time: ${ELAPSED} s."
    echo
    echo "## Machine"
    echo
    describe_machine
    echo "- kvsim: commit $KVSIM_REV; jar $JAR ($JAR_TIME)"
}

write_report upgrade-
