#!/usr/bin/env bash
# Throughput of a kvsim cluster instance (SHARDS shards behind kvsim's proxy), side by side with
# nutcracker over SHARDS redis-servers of our own: redis-benchmark -t set,get -d 128 -c 50 -r 100000
# with -P 1 and -P 16. Prints a Markdown report on stdout and writes it to
# bench/results/cluster-<date>-<host>.md. Progress goes to stderr. Knobs: see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N_P1=${N_P1:-50000}
N_P16=${N_P16:-500000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
DATA_SIZE=${DATA_SIZE:-128}
TESTS=${TESTS:-set,get}
KEYSPACE=${KEYSPACE:-100000}              # -r: keys spread over the shards (without it: one key, one shard)
SHARDS=${SHARDS:-4}
WARMUP_N=${WARMUP_N:-200000}              # per target, with -P 16 (a tenth of it with -P 1); 0 = none
KVSIM_CLASS=${KVSIM_CLASS:-redis.logic.sharding.2g.8db.0rodb.8proxy.default}
NC_HASH=${NC_HASH:-}                      # empty: crc16 if this nutcracker accepts it, else fnv1a_64
NC_DISTRIBUTION=${NC_DISTRIBUTION:-modula}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}       # seconds, per redis-benchmark run
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}

for v in N_P1 N_P16 ROUNDS CLIENTS DATA_SIZE KEYSPACE SHARDS WARMUP_N BENCH_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
[ "$ROUNDS" -ge 1 ] || die "ROUNDS must be at least 1"
[ "$KEYSPACE" -ge 1 ] || die "KEYSPACE must be at least 1 (without -r every request hits one key on one shard)"
[ "$SHARDS" -ge 2 ] || die "SHARDS must be at least 2"
case "$NC_DISTRIBUTION" in modula | ketama | random) ;; *) die "NC_DISTRIBUTION must be modula, ketama or random" ;; esac
need redis-server redis-benchmark redis-cli nutcracker java curl jq timeout awk sort

TARGETS=(nutcracker kvsim)
PIPELINES=(1 16)
declare -A PORT
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

bench_init
read -r -a ports < <(free_ports $((SHARDS + 3)))
PORT[nutcracker]=${ports[0]}; NC_STATS=${ports[1]}; ADMIN=${ports[2]}
SHARD_PORTS=("${ports[@]:3}")

# ---- kvsim: a cluster instance of SHARDS shards ----
start_kvsim "$ADMIN"
kvsim_create_instance "$KVSIM_CLASS" "$ADMIN" "{\"shardCount\":$SHARDS,\"bandwidthMBps\":100000}"
PORT[kvsim]=$KVSIM_PORT
INSTANCE_JSON="$BENCH_TMP/kvsim-instance.json"

# What kvsim actually runs, from the instance's JSON: shards, and the role of every node.
KV_ARCH=$(jq -r '.architecture // "?"' "$INSTANCE_JSON")
KV_NODETYPE=$(jq -r '.nodeType // "?"' "$INSTANCE_JSON")
KV_MEMORY=$(jq -r '.limits.memoryMb' "$INSTANCE_JSON")
KV_SHARDS=$(jq '[.nodes[].shard] | unique | length' "$INSTANCE_JSON")
KV_LAYOUT=$(jq -r '.nodes | group_by(.shard)[] | "shard \(.[0].shard): " + ([.[] | .role] | sort | join(" + "))' "$INSTANCE_JSON")
KV_PAIRS=$(jq '[.nodes | group_by(.shard)[] | select(([.[] | .role] | sort) == ["master", "replica"])] | length' "$INSTANCE_JSON")
log "kvsim instance: architecture $KV_ARCH, node type $KV_NODETYPE, $KV_SHARDS shard(s), memory ${KV_MEMORY} MB"
while read -r line; do log "  $line"; done <<<"$KV_LAYOUT"
[ "$KV_SHARDS" -eq "$SHARDS" ] \
    || die "the kvsim instance has $KV_SHARDS shard(s), not $SHARDS (is the jar built with cluster support?): $(cat "$INSTANCE_JSON")"

# The nodes' redis.conf, in kvsim's data directory, found by the node's port.
node_conf() {
    grep -rlx --include=redis.conf "port $1" "$BENCH_TMP/kvsim" 2>/dev/null | head -1
}
conf_value() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); gsub(/"/, ""); print; exit }' "$1"; }
KV_AOF_NODES=0
KV_NODES=0
while read -r role port; do
    KV_NODES=$((KV_NODES + 1))
    f=$(node_conf "$port")
    [ -n "$f" ] || die "no redis.conf for kvsim node on port $port under $BENCH_TMP/kvsim"
    [ "$(conf_value "$f" appendonly)" != yes ] || KV_AOF_NODES=$((KV_AOF_NODES + 1))
    [ "$role" != master ] || [ -n "${KV_MASTER_CONF:-}" ] || KV_MASTER_CONF=$f
done < <(jq -r '.nodes[] | "\(.role) \(.port)"' "$INSTANCE_JSON")
[ -n "${KV_MASTER_CONF:-}" ] || die "the kvsim instance has no master node: $(cat "$INSTANCE_JSON")"
SHARD_MAXMEMORY=$(conf_value "$KV_MASTER_CONF" maxmemory | tr -dc 0-9)
SHARD_MAXCLIENTS=$(conf_value "$KV_MASTER_CONF" maxclients | tr -dc 0-9)
[ -n "$SHARD_MAXMEMORY" ] || SHARD_MAXMEMORY=$((KV_MEMORY / SHARDS))
[ -n "$SHARD_MAXCLIENTS" ] || SHARD_MAXCLIENTS=10000
log "kvsim nodes: $KV_NODES, of which $KV_AOF_NODES with appendonly yes; shard maxmemory ${SHARD_MAXMEMORY} MB, maxclients $SHARD_MAXCLIENTS"

# ---- nutcracker over SHARDS redis-servers of our own, configured like kvsim's nodes ----
# Every directive of kvsim's master node (its engine parameters included) is copied into our
# shards' redis.conf, except paths and port, the password, AOF and replication.
SHARD_EXTRA=$(grep -v '^[[:space:]]*#' "$KV_MASTER_CONF" | grep -v '^[[:space:]]*$' |
    awk '$1 !~ /^(port|dir|pidfile|logfile|requirepass|masterauth|user|appendonly|appendfsync|replicaof|slaveof|replica-read-only|repl-diskless-sync-delay)$/' || true)
# NC_SHARDS=pairs (default): each nutcracker shard is, like kvsim's, a master + replica pair with
# AOF (everysec) on both, so that both sides do the same engine work per write; NC_SHARDS=single: one
# node per shard without persistence.
NC_SHARDS=${NC_SHARDS:-pairs}
AOF_LINES=$'appendonly yes\nappendfsync everysec\nrepl-diskless-sync-delay 0'
for ((s = 0; s < SHARDS; s++)); do
    if [ "$NC_SHARDS" = pairs ]; then
        start_redis "shard$s" "${SHARD_PORTS[$s]}" "$SHARD_MAXMEMORY" "$SHARD_MAXCLIENTS" "$SHARD_EXTRA"$'\n'"$AOF_LINES"
        read -r replica_port < <(free_ports 1)
        start_redis "shard$s-replica" "$replica_port" "$SHARD_MAXMEMORY" "$SHARD_MAXCLIENTS" \
            "$SHARD_EXTRA"$'\n'"$AOF_LINES"$'\n'"replicaof 127.0.0.1 ${SHARD_PORTS[$s]}"
    else
        start_redis "shard$s" "${SHARD_PORTS[$s]}" "$SHARD_MAXMEMORY" "$SHARD_MAXCLIENTS" "$SHARD_EXTRA"
    fi
done

# Directives of kvsim's master node that our shards do not have, and the reverse (paths and ports
# left out, the password's value hidden); expected: the password, AOF and replication settings.
conf_norm() {
    grep -v '^[[:space:]]*#' "$1" | grep -v '^[[:space:]]*$' | sed 's/"//g' |
        awk '$1 !~ /^(port|dir|pidfile|logfile)$/ {
                 if ($1 == "requirepass" || $1 == "masterauth") $2 = "(internal)"
                 if ($1 == "user") $0 = "user (ACL users)"
                 if (!($1 in last)) keys[++n] = $1
                 last[$1] = $0     # the last occurrence of a directive is the one redis-server keeps
             }
             END { for (i = 1; i <= n; i++) print last[keys[i]] }' |
        sort
}
CONF_ONLY_KVSIM=$(comm -23 <(conf_norm "$KV_MASTER_CONF") <(conf_norm "$BENCH_TMP/shard0/redis.conf") | paste -sd';' | sed 's/;/; /g')
CONF_ONLY_OURS=$(comm -13 <(conf_norm "$KV_MASTER_CONF") <(conf_norm "$BENCH_TMP/shard0/redis.conf") | paste -sd';' | sed 's/;/; /g')
log "only in kvsim's master config: ${CONF_ONLY_KVSIM:-(nothing)}"
log "only in our shards' config: ${CONF_ONLY_OURS:-(nothing)}"

nc_config() {   # nc_config HASH FILE
    {
        echo "bench:"
        echo "  listen: 127.0.0.1:${PORT[nutcracker]}"
        echo "  hash: $1"
        echo "  distribution: $NC_DISTRIBUTION"
        echo "  redis: true"
        echo "  auto_eject_hosts: false"
        echo "  servers:"
        for ((s = 0; s < SHARDS; s++)); do echo "    - 127.0.0.1:${SHARD_PORTS[$s]}:1 shard$s"; done
    } >"$2"
}
mkdir -p "$BENCH_TMP/nutcracker"
NC_CONF="$BENCH_TMP/nutcracker/nutcracker.yml"
if [ -z "$NC_HASH" ]; then
    nc_config crc16 "$NC_CONF"
    if nutcracker -t -c "$NC_CONF" >/dev/null 2>&1; then NC_HASH=crc16; else NC_HASH=fnv1a_64; fi
fi
nc_config "$NC_HASH" "$NC_CONF"
nutcracker -t -c "$NC_CONF" >"$BENCH_TMP/nutcracker/check.log" 2>&1 \
    || { cat "$BENCH_TMP/nutcracker/check.log" >&2; die "nutcracker config invalid"; }
nutcracker -c "$NC_CONF" -a 127.0.0.1 -s "$NC_STATS" -o "$BENCH_TMP/nutcracker/nutcracker.log" \
    >"$BENCH_TMP/nutcracker/stdout.log" 2>&1 &
NC_PID=$!
track "$NC_PID" nutcracker
wait_port "${PORT[nutcracker]}" "$NC_PID" nutcracker
log "nutcracker: 127.0.0.1:${PORT[nutcracker]} -> ${SHARDS} shards (hash $NC_HASH, $NC_DISTRIBUTION; pid $NC_PID)"

for t in "${TARGETS[@]}"; do check_target "$t" "${PORT[$t]}"; done

# run_bench TARGET PIPELINE N OUT: one redis-benchmark run; OUT gets "TEST RPS P50_MS" lines.
# -e prints the server's error replies; any error stops the benchmark with its exact text.
run_bench() {
    local target=$1 p=$2 n=$3 out=$4 raw="$BENCH_TMP/rb.csv" err="$BENCH_TMP/rb.err"
    local args=(-h 127.0.0.1 -p "${PORT[$target]}" -t "$TESTS" -d "$DATA_SIZE" -c "$CLIENTS" -n "$n" -P "$p"
        -r "$KEYSPACE" -e --csv)
    if ! timeout --foreground "$BENCH_TIMEOUT" redis-benchmark "${args[@]}" >"$raw" 2>"$err"; then
        tail -c 2000 "$err" >&2
        die "redis-benchmark failed against $target (-P $p)"
    fi
    if grep -q '^Error from server' "$raw" "$err"; then
        grep -h '^Error from server' "$raw" "$err" | sort | uniq -c >&2
        die "$target answered errors to redis-benchmark (-P $p); see above"
    fi
    # --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",... (header line first)
    awk -F, '{ gsub(/"/, "") } $1 != "test" && NF >= 2 { print $1, $2, (NF >= 5 ? $5 : "-") }' "$raw" >"$out"
    [ "$(wc -l <"$out")" -eq "$(tr ',' '\n' <<<"$TESTS" | wc -l)" ] \
        || { cat "$raw" >&2; die "unexpected redis-benchmark output against $target (-P $p)"; }
    if awk '$2 + 0 <= 0 { bad = 1 } END { exit !bad }' "$out"; then
        cat "$raw" "$err" >&2
        die "0 requests per second against $target (-P $p)"
    fi
}

# role_pids TARGET ROLE: the processes whose CPU time counts as the target's proxy or engine.
role_pids() {
    case "$1:$2" in
        nutcracker:proxy) echo "$NC_PID" ;;
        nutcracker:engine) tracked_pids 'redis-server shard*' ;;
        kvsim:proxy) echo "$KVSIM_PID" ;;
        kvsim:engine) echo "${KVSIM_NODE_PIDS[@]}" ;;
    esac
}

run_rounds

# Keys per shard behind nutcracker (the spread -r gives), and what kvsim's endpoint counts.
SPREAD=""
for ((s = 0; s < SHARDS; s++)); do
    SPREAD+="shard$s $(redis-cli -h 127.0.0.1 -p "${SHARD_PORTS[$s]}" dbsize 2>&1 | head -1), "
done
SPREAD=${SPREAD%, }
KV_DBSIZE=$(redis-cli -h 127.0.0.1 -p "${PORT[kvsim]}" dbsize 2>&1 | head -1)
log "keys behind nutcracker: $SPREAD; DBSIZE through kvsim: $KV_DBSIZE"

# ---- report ----

TEST_NAMES=$(tr ',' '\n' <<<"$TESTS" | tr '[:lower:]' '[:upper:]')
describe_build

VERDICTS=""
for x in $TEST_NAMES; do
    rn=$(ratio "$(median 5 kvsim 16 "$x")" "$(median 5 nutcracker 16 "$x")")
    verdict=$(awk -v b="$rn" 'BEGIN { print (b != "-" && b + 0 >= 1.0) ? "met" : "missed" }')
    VERDICTS+="- $x -P 16: $verdict (kvsim / nutcracker $rn)"$'\n'
done

report() {
    echo "# kvsim cluster benchmark: $(date '+%Y-%m-%d %H:%M %Z'), $HOST"
    echo
    echo "redis-benchmark \`-t $TESTS -d $DATA_SIZE -c $CLIENTS -r $KEYSPACE\`, \`-P 1 -n $N_P1\` and \`-P 16 -n $N_P16\`;"
    echo "median of $ROUNDS round(s), target order rotated every round; warm-up $WARMUP_N requests per target."
    echo "Both targets spread the keys over $SHARDS shards."
    echo
    echo "| test | -P | nutcracker rps | kvsim rps | kvsim / nutcracker |"
    echo "|---|--:|--:|--:|--:|"
    local x p n k
    for x in $TEST_NAMES; do
        for p in "${PIPELINES[@]}"; do
            n=$(median 5 nutcracker "$p" "$x"); k=$(median 5 kvsim "$p" "$x")
            echo "| $x | $p | $(fmt_rps "$n") | $(fmt_rps "$k") | $(ratio "$k" "$n") |"
        done
    done
    echo
    echo "Target with -P 16: kvsim ≥ 1.00 × nutcracker."
    echo
    printf '%s' "$VERDICTS"
    echo
    report_cpu
    echo
    echo "p50 latency, ms (median over rounds):"
    echo
    echo "| test | -P | nutcracker | kvsim |"
    echo "|---|--:|--:|--:|"
    for x in $TEST_NAMES; do
        for p in "${PIPELINES[@]}"; do
            echo "| $x | $p | $(median 6 nutcracker "$p" "$x") | $(median 6 kvsim "$p" "$x") |"
        done
    done
    echo
    echo "## Set-up"
    echo
    echo "- kvsim: instance of class \`$KVSIM_CLASS\` with \`overrides.shardCount\` $SHARDS (architecture"
    echo "  $KV_ARCH, node type $KV_NODETYPE, $KV_MEMORY MB), no password, bandwidth cap lifted with an"
    echo "  override, behind kvsim's proxy, which routes every key by its hash slot. Its nodes, as the"
    echo "  instance's JSON lists them:"
    while read -r line; do echo "  - $line"; done <<<"$KV_LAYOUT"
    echo "  So $KV_PAIRS of $KV_SHARDS shards are master + replica pairs; $KV_AOF_NODES of $KV_NODES nodes"
    echo "  run with \`appendonly yes\` (their redis.conf in kvsim's data directory). Every write is"
    echo "  appended to the master's AOF and replicated to the replica, which appends it to its own AOF:"
    if [ "$NC_SHARDS" = pairs ]; then
        echo "  the nutcracker side's shards do the same."
    else
        echo "  kvsim does more work per write than the nutcracker side."
    fi
    echo "- nutcracker: one pool (\`hash: $NC_HASH\`, \`distribution: $NC_DISTRIBUTION\`, \`redis: true\`,"
    echo "  \`auto_eject_hosts: false\`) over $SHARDS separate redis-server processes started by"
    echo "  bench/cluster.sh, configured like kvsim's nodes (every directive of kvsim's master node's"
    echo "  redis.conf is copied: 256 databases, \`maxmemory ${SHARD_MAXMEMORY}mb\`, \`maxclients $SHARD_MAXCLIENTS\`,"
    if [ "$NC_SHARDS" = pairs ]; then
        echo "  the instance's engine parameters), each a master + replica pair with AOF everysec on both"
        echo "  (\`NC_SHARDS=pairs\`), like kvsim's shards, without a password."
    else
        echo "  the instance's engine parameters), but single (no replica), without persistence and without"
        echo "  a password (\`NC_SHARDS=single\`)."
    fi
    echo "  - directives of kvsim's master node that these shards do not have: ${CONF_ONLY_KVSIM:-(none)}"
    echo "  - directives of these shards that kvsim's master node does not have: ${CONF_ONLY_OURS:-(none)}"
    echo "- keys at the end: behind nutcracker $SPREAD; \`DBSIZE\` through kvsim: $KV_DBSIZE."
    echo "- redis-benchmark, nutcracker, kvsim and all $((SHARDS + KV_NODES)) redis-server processes share"
    echo "  this machine's CPUs."
    echo
    echo "## Machine"
    echo
    describe_machine
    echo "- redis-benchmark: $(first_line redis-benchmark --version)"
    echo "- nutcracker: $(first_line nutcracker --version)"
    echo "- kvsim: commit $KVSIM_REV; jar $JAR ($JAR_TIME)"
    echo "- JVM options: ${KVSIM_JAVA_OPTS:-(none)}"
    echo
    report_every_run
}

write_report cluster-
printf '%s' "$VERDICTS" | sed 's/^- /verdict: /' >&2
