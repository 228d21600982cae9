#!/usr/bin/env bash
# Backups and restores of a kvsim dual-replica instance, for each size of SIZES (keys of DATA_SIZE bytes):
#   - backup time: POST /api/v1/instances/{id}/backups?wait=true (an RDB read from the replica);
#   - restore time: POST /api/v1/instances/{id}/restore?wait=true, up to Normal again (nodes restarted, the
#     replica synced);
#   - the throughput a client keeps during backups: redis-benchmark SET/GET with -P 16 against the instance,
#     with and without backups running back to back meanwhile, in the same rounds, order rotated.
# Prints a Markdown report on stdout and writes it to bench/results/backup-<date>-<host>.md.
# The benchmark writes into database 9 (--dbnum), emptied after each run: every backup and restore holds SIZES keys.
# Progress goes to stderr. Knobs (environment): see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZES=${SIZES:-100000 1000000}
ROUNDS=${ROUNDS:-3}
DATA_SIZE=${DATA_SIZE:-100}
CLIENTS=${CLIENTS:-50}
LOAD_N=${LOAD_N:-1000000}
KVSIM_CLASS=${KVSIM_CLASS:-redis.master.large.default}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, got '$ROUNDS'"
for n in $SIZES; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "SIZES: '$n' is not a number of keys"; done
need redis-cli redis-benchmark curl jq awk sort java

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# api METHOD PATH: the admin API's answer body; dies on anything but 2xx.
api() {
    local out code
    out=$(curl -sS -m 900 -w '\n%{http_code}' -X "$1" "http://127.0.0.1:$ADMIN$2" -H 'Content-Type: application/json' \
        ${3:+-d "$3"}) || die "the admin API did not answer $1 $2"
    code=${out##*$'\n'}
    [[ "$code" == 2?? ]] || die "$1 $2 answered $code: ${out%$'\n'*}"
    printf '%s\n' "${out%$'\n'*}"
}

# load N: exactly N keys key:0 … key:N-1 of DATA_SIZE bytes, pipelined through the proxy, then WAIT for the replica.
load() {
    local n=$1
    redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" flushall >/dev/null
    awk -v n="$n" -v size="$DATA_SIZE" 'BEGIN {
        v = sprintf("%*s", size, ""); gsub(/ /, "x", v)
        for (i = 0; i < n; i++) { k = "key:" i; printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, size, v }
    }' | redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" --pipe >/dev/null
    [ "$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" dbsize)" = "$n" ] || die "loading $n keys failed"
    redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" wait 1 60000 >/dev/null
}

# backup: one backup job, waited for; prints "ms bytes backupId keys" (keys: what the instance held).
backup() {
    local t0 json keys
    keys=$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" dbsize)
    t0=$(now_ms)
    json=$(api POST "/api/v1/instances/$ID/backups?wait=true")
    [ "$(jq -r .status <<<"$json")" = Success ] || die "backup failed: $json"
    echo "$(($(now_ms) - t0)) $(jq -r '.backups[0].sizeBytes' <<<"$json") $(jq -r '.backups[0].backupId' <<<"$json") $keys"
}

# restore BACKUP_ID KEYS: the instance back to the backup, Normal again; prints ms; checks the key count.
restore() {
    local t0 ms
    redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" set after-backup 1 >/dev/null
    t0=$(now_ms)
    api POST "/api/v1/instances/$ID/restore?wait=true" "{\"backupId\":$1}" >/dev/null
    ms=$(($(now_ms) - t0))
    [ "$(redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" dbsize)" = "$2" ] || die "the restore did not bring back $2 keys"
    echo "$ms"
}

# throughput MODE: redis-benchmark SET/GET -P 16 on the instance; MODE "backups" runs backups back to back meanwhile.
# Prints "set_rps get_rps backups_done".
throughput() {
    local loop="" done_file="$BENCH_TMP/backups-done" stop_file="$BENCH_TMP/backups-stop" out set get
    : >"$done_file"
    rm -f "$stop_file"
    if [ "$1" = backups ]; then
        (while [ ! -e "$stop_file" ]; do api POST "/api/v1/instances/$ID/backups?wait=true" >/dev/null && echo x >>"$done_file"; done) &
        loop=$!
    fi
    out=$(redis-benchmark -h 127.0.0.1 -p "$KVSIM_PORT" -t set,get -P 16 -c "$CLIENTS" -n "$LOAD_N" -d "$DATA_SIZE" \
        -r 100000 --dbnum 9 --csv -q 2>/dev/null)
    if [ -n "$loop" ]; then
        # the backup under way finishes (?wait=true answers when it is done): the next measurement starts without one
        touch "$stop_file"
        wait "$loop" || die "a backup during the load failed"
    fi
    redis-cli -h 127.0.0.1 -p "$KVSIM_PORT" -n 9 flushdb >/dev/null
    set=$(awk -F'","' '/"SET"/ { print $2 }' <<<"$out")
    get=$(awk -F'","' '/"GET"/ { print $2 }' <<<"$out")
    echo "${set:--} ${get:--} $(wc -l <"$done_file")"
}

median_of() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_init
describe_build
read -r ADMIN < <(free_ports 1)
start_kvsim "$ADMIN"
kvsim_create_instance "$KVSIM_CLASS" "$ADMIN"
ID=$(jq -r .instanceId "$BENCH_TMP/kvsim-instance.json")
STARTED_AT=$(date '+%Y-%m-%d %H:%M')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
TIMES="$BENCH_TMP/times.txt"      # "keys round backup_ms bytes restore_ms"
LOADS="$BENCH_TMP/loads.txt"      # "keys round mode set_rps get_rps backups"
: >"$TIMES"
: >"$LOADS"

for n in $SIZES; do
    log "loading $n keys of $DATA_SIZE bytes"
    load "$n"
    for ((r = 1; r <= ROUNDS; r++)); do
        read -r ms bytes bid keys < <(backup)
        [ "$keys" = "$n" ] || die "the instance holds $keys keys instead of $n"
        log "$n keys, round $r: backup $ms ms ($bytes bytes, $keys keys)"
        rms=$(restore "$bid" "$keys")
        log "$n keys, round $r: restore $rms ms"
        echo "$n $r $ms $bytes $rms" >>"$TIMES"
        modes=(idle backups)
        [ $((r % 2)) = 1 ] || modes=(backups idle)
        for m in "${modes[@]}"; do
            read -r s g b < <(throughput "$m")
            log "$n keys, round $r, $m: SET $s rps, GET $g rps, $b backup(s) done meanwhile"
            echo "$n $r $m $s $g $b" >>"$LOADS"
        done
    done
done

REPORT="$BENCH_TMP/report.md"
{
    echo "# kvsim backup and restore benchmark"
    echo
    echo "Run $STARTED_AT on $HOST ($(nproc) CPUs, $CPU), load average at start $LOAD_START."
    echo "kvsim $KVSIM_REV (jar $JAR_TIME), $(first_line redis-server --version), $(first_line java -version)."
    echo "Instance class $KVSIM_CLASS (dual replica, AOF on both nodes); keys of $DATA_SIZE bytes; $ROUNDS round(s) per size."
    echo
    echo "## Backup and restore (median of the rounds)"
    echo
    echo "| keys | backup ms | RDB bytes | restore ms (to Normal, replica synced) |"
    echo "|--:|--:|--:|--:|"
    for n in $SIZES; do
        echo "| $n | $(awk -v n="$n" '$1 == n { print $3 }' "$TIMES" | median_of) | $(awk -v n="$n" '$1 == n { print $4 }' "$TIMES" | median_of) | $(awk -v n="$n" '$1 == n { print $5 }' "$TIMES" | median_of) |"
    done
    echo
    echo "## Throughput a client keeps during backups (redis-benchmark -P 16 -c $CLIENTS, median of the rounds)"
    echo
    echo "| keys | SET rps idle | SET rps during backups | ratio | GET rps idle | GET rps during backups | ratio | backups during the runs |"
    echo "|--:|--:|--:|--:|--:|--:|--:|--:|"
    for n in $SIZES; do
        si=$(awk -v n="$n" '$1 == n && $3 == "idle" { print $4 }' "$LOADS" | median_of)
        sb=$(awk -v n="$n" '$1 == n && $3 == "backups" { print $4 }' "$LOADS" | median_of)
        gi=$(awk -v n="$n" '$1 == n && $3 == "idle" { print $5 }' "$LOADS" | median_of)
        gb=$(awk -v n="$n" '$1 == n && $3 == "backups" { print $5 }' "$LOADS" | median_of)
        bk=$(awk -v n="$n" '$1 == n && $3 == "backups" { s += $6 } END { print s + 0 }' "$LOADS")
        echo "| $n | $(fmt_rps "$si") | $(fmt_rps "$sb") | $(ratio "$sb" "$si") | $(fmt_rps "$gi") | $(fmt_rps "$gb") | $(ratio "$gb" "$gi") | $bk |"
    done
    echo
    echo "## Every run"
    echo
    echo "| keys | round | backup ms | RDB bytes | restore ms |"
    echo "|--:|--:|--:|--:|--:|"
    awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$TIMES"
    echo
    echo "| keys | round | mode | SET rps | GET rps | backups meanwhile |"
    echo "|--:|--:|---|--:|--:|--:|"
    awk '{ printf "| %s | %s | %s | %.0f | %.0f | %s |\n", $1, $2, $3, $4, $5, $6 }' "$LOADS"
} >"$REPORT"

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/backup-$(date +%Y-%m-%d)-$HOST.md"
cp "$REPORT" "$OUT"
cat "$REPORT"
log "report written to $OUT"
