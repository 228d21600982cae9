#!/usr/bin/env bash
# Many concurrent connections: CONNECTIONS clients (10,000 by default) connect to an instance of a
# 10,000-connection class (STANDARD_CLASS) and to a cluster instance, each sends PING and keeps its
# connection open. Reports how many were held, what the others read (the engine's
# "-ERR max number of clients reached" when kvsim is short of file descriptors), whether the admin
# API and the instances stayed up meanwhile, and kvsim's memory per connection held (resident, and
# heap after a full collection).
#
# A standard instance costs kvsim two descriptors a client (the client's, and its connection to
# the node); a cluster instance one (its shard connections are shared). The script raises the
# open-file limit to HARD_LIMIT for kvsim and the clients where the machine allows it (root with
# CAP_SYS_RESOURCE, or a hard limit already that high), and otherwise says what limit it ran with.
# Prints a Markdown report on stdout and writes it to bench/results/connections-<date>-<host>.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS=${CONNECTIONS:-10000}
HARD_LIMIT=${HARD_LIMIT:-65536}
STANDARD_CLASS=${STANDARD_CLASS:-redis.master.1g.2017}
CLUSTER_CLASS=${CLUSTER_CLASS:-redis.logic.sharding.2g.8db.0rodb.8proxy.default}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}

[[ "$CONNECTIONS" =~ ^[0-9]+$ ]] || die "CONNECTIONS must be a whole number, got '$CONNECTIONS'"
need java curl jq awk jcmd python3

# The limit kvsim and the clients inherit: as high as HARD_LIMIT if this shell may raise it.
LIMIT_NOTE="raised to $HARD_LIMIT"
if ! ulimit -Hn "$HARD_LIMIT" 2>/dev/null; then
    LIMIT_NOTE="could not be raised above the hard limit $(ulimit -Hn) (raising it needs CAP_SYS_RESOURCE)"
fi
ulimit -Sn "$(ulimit -Hn)"
FD_LIMIT=$(ulimit -n)
log "open-file limit: $FD_LIMIT ($LIMIT_NOTE)"

bench_init
read -r ADMIN < <(free_ports 1)
start_kvsim "$ADMIN"

heap_after_gc() {
    jcmd "$KVSIM_PID" GC.run >/dev/null
    jcmd "$KVSIM_PID" GC.heap_info | awk '/ used / { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.1f", v / 1024; exit } }'
}
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$KVSIM_PID/status"; }
open_fds() { ls "/proc/$KVSIM_PID/fd" | wc -l; }

# The clients: one process that opens the connections one by one, PINGs on each, and keeps the
# ones answered +PONG open until its stdin closes. It prints "held N", then the refusals by text.
cat >"$BENCH_TMP/hold.py" <<'EOF'
import collections, socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
held, refused = [], collections.Counter()
for _ in range(n):
    s = socket.socket()
    s.settimeout(10)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"PING\r\n")
        line = s.recv(256).split(b"\r\n")[0].decode(errors="replace")
    except OSError as e:
        line = "error: " + (e.strerror or type(e).__name__)
    if line == "+PONG":
        held.append(s)
    else:
        refused[line or "closed without a reply"] += 1
        s.close()
print("held", len(held), flush=True)
for text, count in refused.most_common():
    print("refused", count, text, flush=True)
print("end", flush=True)
sys.stdin.read()
EOF

declare -A HELD REFUSALS HEAP RSS FDS STATUS API_MS
HEAP0=$(heap_after_gc); RSS0=$(rss_mb); FDS0=$(open_fds)
for kind in standard cluster; do
    class=$STANDARD_CLASS; overrides='{}'
    [ "$kind" = standard ] || { class=$CLUSTER_CLASS; overrides='{"shardCount":2}'; }
    json=$(curl -sS -X POST "http://127.0.0.1:$ADMIN/api/v1/instances?wait=true" -H 'Content-Type: application/json' \
        -d "{\"instanceClass\":\"$class\",\"name\":\"conns\",\"overrides\":$overrides}")
    [ "$(jq -r .status <<<"$json")" = Normal ] || die "instance not created: $json"
    mapfile -t -O "${#KVSIM_NODE_PIDS[@]}" KVSIM_NODE_PIDS < <(jq -r '.nodes[].pid // empty' <<<"$json")
    id=$(jq -r .instanceId <<<"$json"); port=$(jq -r .port <<<"$json")
    heap_before=$(heap_after_gc); rss_before=$(rss_mb)
    log "$kind ($class, max $(jq -r .limits.maxConnections <<<"$json") connections): opening $CONNECTIONS"
    coproc HOLD { python3 "$BENCH_TMP/hold.py" "$port" "$CONNECTIONS"; }
    hold_pid=$HOLD_PID
    track "$hold_pid" "connection holder"
    REFUSALS[$kind]=""
    while read -r word rest <&"${HOLD[0]}"; do
        case $word in
            held) HELD[$kind]=$rest ;;
            refused) REFUSALS[$kind]+="${rest}; " ;;
            end) break ;;
        esac
    done
    # While they are held: the admin API answers, the instance is Normal, kvsim's memory.
    t0=$(date +%s%N)
    STATUS[$kind]=$(curl -sS -m 10 "http://127.0.0.1:$ADMIN/api/v1/instances/$id" | jq -r .status)
    API_MS[$kind]=$((($(date +%s%N) - t0) / 1000000))
    HEAP[$kind]=$(awk -v a="$(heap_after_gc)" -v b="$heap_before" 'BEGIN { printf "%.1f", a - b }')
    RSS[$kind]=$(awk -v a="$(rss_mb)" -v b="$rss_before" 'BEGIN { printf "%.1f", a - b }')
    FDS[$kind]=$(open_fds)
    log "  held ${HELD[$kind]}; refused: ${REFUSALS[$kind]:-none}; status ${STATUS[$kind]}; heap +${HEAP[$kind]} MB, resident +${RSS[$kind]} MB, $((FDS[$kind])) descriptors open"
    exec {HOLD[1]}>&-
    wait "$hold_pid" 2>/dev/null || true
    untrack "$hold_pid"
    curl -sS -o /dev/null -X DELETE "http://127.0.0.1:$ADMIN/api/v1/instances/$id"
done

describe_build
mkdir -p "$RESULTS_DIR"
REPORT="$RESULTS_DIR/connections-$(date +%Y-%m-%d)-$HOST.md"
per_conn() { awk -v mb="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", mb * 1024 / n; else print "-" }'; }
{
    echo "# $CONNECTIONS concurrent connections ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "kvsim $KVSIM_REV (jar $JAR_TIME), $(nproc) CPUs. Open-file limit $FD_LIMIT ($LIMIT_NOTE); kvsim had $FDS0 descriptors open before the clients, and keeps 256 for the admin API, HA and node starts."
    echo
    echo "| instance | held | refused (what the client read) | status while held | admin API answer (ms) | descriptors open | heap KB per connection | resident KB per connection |"
    echo "|---|--:|---|---|--:|--:|--:|--:|"
    for kind in standard cluster; do
        refusals=${REFUSALS[$kind]%; }
        echo "| $kind | ${HELD[$kind]} | ${refusals:-none} | ${STATUS[$kind]} | ${API_MS[$kind]} | ${FDS[$kind]} | $(per_conn "${HEAP[$kind]}" "${HELD[$kind]}") | $(per_conn "${RSS[$kind]}" "${HELD[$kind]}") |"
    done
} | tee "$REPORT"
log "report: $REPORT"
