# Shared helpers for the bench/*.sh scripts. Sourced, not run.
# Every process started here is recorded in STARTED_PIDS and stopped by bench_cleanup.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"

STARTED_PIDS=()      # "pid:name", in start order
KVSIM_NODE_PIDS=()   # redis-server nodes that kvsim started (children of the JVM)
KVSIM_PID=""
BENCH_TMP=""

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "'$c' not found on PATH (see bench/README.md, Requirements)"
    done
}

# free_ports N: prints N distinct free TCP ports on 127.0.0.1, space-separated.
free_ports() {
    local n=$1
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$n" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
        return 0
    fi
    # Fallback: random ports that nothing answers on.
    local out=() p tries=0
    while [ "${#out[@]}" -lt "$n" ]; do
        tries=$((tries + 1)); [ "$tries" -lt 1000 ] || die "no free port found"
        p=$((20000 + RANDOM % 40000))
        case " ${out[*]} " in *" $p "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then out+=("$p"); fi
    done
    echo "${out[*]}"
}

# wait_port PORT PID WHAT: waits until 127.0.0.1:PORT accepts connections (60 s), and PID lives.
wait_port() {
    local port=$1 pid=$2 what=$3 deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
        alive "$pid" || die "$what (pid $pid) exited during start-up"
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "$what did not listen on 127.0.0.1:$port within 60 s"
}

# alive PID: the process runs (a zombie child counts as gone). No bare "return" in these helpers:
# inside the EXIT trap it returns the status of the command run before the trap.
alive() {
    local st
    if [ ! -r "/proc/$1/stat" ]; then
        if kill -0 "$1" 2>/dev/null; then return 0; else return 1; fi
    fi
    st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# stop_pid PID NAME [GRACE_S]: SIGTERM, then SIGKILL after GRACE_S (default 15), then reap.
stop_pid() {
    local pid=$1 name=$2 grace=${3:-15} i
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace * 10; i++)); do alive "$pid" || break; sleep 0.1; done
        if alive "$pid"; then
            log "$name (pid $pid) still running after ${grace}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

track() { STARTED_PIDS+=("$1:$2"); }

# untrack PID: forgets a process that the script has stopped and reaped itself.
untrack() {
    local keep=() entry
    for entry in "${STARTED_PIDS[@]}"; do [ "${entry%%:*}" = "$1" ] || keep+=("$entry"); done
    STARTED_PIDS=("${keep[@]}")
}

# in_bench_tmp PID: the process's working directory is inside BENCH_TMP (kvsim runs each node in
# its node directory, under its data directory).
in_bench_tmp() {
    local cwd
    [ -n "$BENCH_TMP" ] || return 1
    cwd=$(readlink "/proc/$1/cwd" 2>/dev/null) || return 1
    [[ "$cwd" == "$BENCH_TMP"/* ]]
}

bench_cleanup() {
    local rc=$? i entry pid
    trap - EXIT INT TERM
    set +e
    # Stop in reverse start order: the JVM first stops its own nodes on SIGTERM.
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        entry=${STARTED_PIDS[$i]}
        stop_pid "${entry%%:*}" "${entry#*:}" 20
    done
    # Nodes kvsim started, should the JVM not have stopped them (e.g. it was killed). Only a
    # redis-server whose working directory is in our temporary directory: a node that HA replaced
    # may have left its pid to another program's process.
    for pid in "${KVSIM_NODE_PIDS[@]}"; do
        if alive "$pid" && grep -qa redis-server "/proc/$pid/cmdline" 2>/dev/null && in_bench_tmp "$pid"; then
            log "kvsim node pid $pid still running: stopping it"
            stop_pid "$pid" "kvsim node" 10
        fi
    done
    if [ -n "$BENCH_TMP" ] && [ -d "$BENCH_TMP" ]; then
        if [ "${KEEP_TMP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
            log "logs and data kept in $BENCH_TMP"
        else
            rm -rf "$BENCH_TMP"
        fi
    fi
    exit "$rc"
}

bench_init() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kvsim-bench.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# start_redis NAME PORT [MAXMEMORY_MB] [MAXCLIENTS] [EXTRA_CONF]: a redis-server on 127.0.0.1:PORT
# configured like a kvsim single-replica node (no persistence, 256 databases, maxmemory of
# redis.basic.small.default by default, kvsim's default parameters), minus the password.
# EXTRA_CONF: more redis.conf lines, appended (a later directive wins).
start_redis() {
    local name=$1 port=$2 maxmemory=${3:-1024} maxclients=${4:-10000} extra=${5:-} dir="$BENCH_TMP/$1" pid
    mkdir -p "$dir"
    cat >"$dir/redis.conf" <<EOF
bind 127.0.0.1
port $port
protected-mode yes
daemonize no
dir "$dir"
logfile "$dir/redis.log"
databases 256
maxmemory ${maxmemory}mb
maxmemory-policy volatile-lru
maxclients $maxclients
timeout 0
hz 10
slowlog-log-slower-than 20000
slowlog-max-len 1024
save ""
appendonly no
EOF
    [ -z "$extra" ] || printf '%s\n' "$extra" >>"$dir/redis.conf"
    redis-server "$dir/redis.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    track "$pid" "redis-server $name"
    wait_port "$port" "$pid" "redis-server $name"
    log "redis-server $name: 127.0.0.1:$port (pid $pid)"
}

# start_nutcracker PORT STATS_PORT NODE_PORT
start_nutcracker() {
    local port=$1 stats=$2 node=$3 dir="$BENCH_TMP/nutcracker" pid
    mkdir -p "$dir"
    cat >"$dir/nutcracker.yml" <<EOF
bench:
  listen: 127.0.0.1:$port
  hash: fnv1a_64
  distribution: ketama
  redis: true
  auto_eject_hosts: false
  servers:
    - 127.0.0.1:$node:1
EOF
    nutcracker -t -c "$dir/nutcracker.yml" >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; die "nutcracker config invalid"; }
    nutcracker -c "$dir/nutcracker.yml" -a 127.0.0.1 -s "$stats" -o "$dir/nutcracker.log" >"$dir/stdout.log" 2>&1 &
    pid=$!
    track "$pid" nutcracker
    wait_port "$port" "$pid" nutcracker
    log "nutcracker: 127.0.0.1:$port -> 127.0.0.1:$node (pid $pid)"
}

# start_kvsim ADMIN_PORT [JVM options...]: kvsim from the jar with its own data dir, no default
# instance, the same redis-server binary as the direct node. Waits for /q/health/ready.
# KVSIM_DATA_DIR and KVSIM_LOG, when set, replace $BENCH_TMP/kvsim and $BENCH_TMP/kvsim.log
# (a script that starts kvsim more than once).
start_kvsim() {
    local admin=$1; shift
    local jar=${KVSIM_JAR:-$REPO_DIR/target/quarkus-app/quarkus-run.jar}
    local data=${KVSIM_DATA_DIR:-$BENCH_TMP/kvsim} klog=${KVSIM_LOG:-$BENCH_TMP/kvsim.log}
    [ -f "$jar" ] || die "$jar not found; build it first: ./mvnw package -DskipTests"
    # shellcheck disable=SC2086
    java ${KVSIM_JAVA_OPTS:-} "$@" \
        -Dkvsim.data-dir="$data" \
        -Dkvsim.engine.path="$(command -v redis-server)" \
        -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.http.port="$admin" \
        -Dkvsim.default-instance.enabled=false \
        -jar "$jar" >"$klog" 2>&1 &
    KVSIM_PID=$!
    track "$KVSIM_PID" "kvsim (java)"
    local deadline=$((SECONDS + ${KVSIM_START_TIMEOUT:-180}))
    while [ "$SECONDS" -lt "$deadline" ]; do
        alive "$KVSIM_PID" || { tail -20 "$klog" >&2; die "kvsim exited during start-up"; }
        if curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$admin/q/health/ready" 2>/dev/null; then
            log "kvsim: admin API 127.0.0.1:$admin (pid $KVSIM_PID)"
            return 0
        fi
        sleep 0.1
    done
    die "kvsim not ready within ${KVSIM_START_TIMEOUT:-180} s (log: $klog)"
}

# kvsim_create_instance CLASS ADMIN_PORT [OVERRIDES_JSON] [MAJOR_VERSION]: creates a password-free
# instance (of that engine major version, else the engine's own), waits until Normal, sets KVSIM_PORT
# and KVSIM_NODE_PIDS. By default the bandwidth cap is lifted: it must not be what the proxy benchmark
# measures.
kvsim_create_instance() {
    local class=$1 admin=$2 overrides=${3:-'{"bandwidthMBps":100000}'} major=${4:-} body json code
    body="{\"instanceClass\":\"$class\",\"name\":\"bench\",\"overrides\":$overrides"
    [ -z "$major" ] || body+=",\"majorVersion\":\"$major\""
    body+="}"
    json=$(curl -sS -w '\n%{http_code}' -X POST "http://127.0.0.1:$admin/api/v1/instances?wait=true" \
        -H 'Content-Type: application/json' -d "$body") || die "the admin API did not answer"
    code=${json##*$'\n'}; json=${json%$'\n'*}
    [ "$code" = 201 ] || die "creating the kvsim instance failed: HTTP $code $json"
    printf '%s\n' "$json" >"$BENCH_TMP/kvsim-instance.json"
    if command -v jq >/dev/null 2>&1; then
        KVSIM_PORT=$(jq -r .port <<<"$json")
        mapfile -t KVSIM_NODE_PIDS < <(jq -r '.nodes[].pid // empty' <<<"$json")
        [ "$(jq -r .status <<<"$json")" = Normal ] || die "instance not Normal: $json"
        [ "$(jq -r .limits.maxConnections <<<"$json")" -ge "${CLIENTS:-50}" ] \
            || die "class $class allows fewer than ${CLIENTS:-50} connections"
    else
        KVSIM_PORT=$(grep -o '"port":[0-9]*' <<<"$json" | head -1 | cut -d: -f2)
        mapfile -t KVSIM_NODE_PIDS < <(grep -o '"pid":[0-9]*' <<<"$json" | cut -d: -f2)
    fi
    [[ "$KVSIM_PORT" =~ ^[0-9]+$ ]] || die "no port in the create answer: $json"
    log "kvsim instance ($class): 127.0.0.1:$KVSIM_PORT, node pid(s) ${KVSIM_NODE_PIDS[*]}"
}

# api METHOD PATH [JSON]: kvsim's admin API on 127.0.0.1:$ADMIN; sets API_CODE and API_BODY (API_CODE
# 000: no answer).
api() {
    local args=(-sS -m 120 -w '\n%{http_code}' -X "$1" "http://127.0.0.1:$ADMIN$2") out
    [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' -d "$3")
    if out=$(curl "${args[@]}" 2>&1); then
        API_CODE=${out##*$'\n'}; API_BODY=${out%$'\n'*}
    else
        API_CODE=000; API_BODY=$out
    fi
}

now_ms() { date +%s%3N; }
iso_of_ms() { date -u -d "@$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ; }

# start_writer PORT PREFIX: bench/failover_writer.py's write loop into $ROUND_DIR, in the background
# (WRITER_PID); returns once it has 100 acknowledged writes. Needs WRITE_INTERVAL_MS and WRITE_TIMEOUT_MS.
start_writer() {
    python3 "$BENCH_DIR/failover_writer.py" write --port "$1" --prefix "$2" \
        --interval-ms "$WRITE_INTERVAL_MS" --timeout-ms "$WRITE_TIMEOUT_MS" \
        --out "$ROUND_DIR/writer.json" --status "$ROUND_DIR/status.json" >"$ROUND_DIR/writer.log" 2>&1 &
    WRITER_PID=$!
    track "$WRITER_PID" "writer"
    local i
    for ((i = 0; i < 300; i++)); do
        writer_alive
        [ "$(writer_status ok)" -ge 100 ] 2>/dev/null && return 0
        sleep 0.1
    done
    die "the writer made no progress: $(cat "$ROUND_DIR/status.json" 2>/dev/null)"
}

# writer_status FIELD: a field of the running writer's status file ("null" when unset).
writer_status() { jq -r ".$1" "$ROUND_DIR/status.json" 2>/dev/null || echo null; }

# writer_alive: dies with the writer's log when it has exited.
writer_alive() { alive "$WRITER_PID" || { cat "$ROUND_DIR/writer.log" >&2; die "the writer exited"; }; }

# writer_quiet SINCE_MS: 1 when the writer is writing and no write has failed since SINCE_MS, or not for
# QUIET_S seconds; else 0.
writer_quiet() {
    jq -r --argjson q "$QUIET_S" --argjson t "$1" \
        'if (.now - .last_ok) < 500 and (.last_fail == null or .last_fail < $t or (.now - .last_fail) >= $q * 1000) then 1 else 0 end' \
        "$ROUND_DIR/status.json" 2>/dev/null || echo 0
}

# stop_writer: ends the write loop, which then checks every acknowledged key and writes writer.json.
stop_writer() {
    kill -TERM "$WRITER_PID" 2>/dev/null || true
    wait "$WRITER_PID" || { cat "$ROUND_DIR/writer.log" >&2; die "the writer failed"; }
    untrack "$WRITER_PID"
}

# await_round T_REQ TYPE...: waits until an event of one of the TYPEs is recorded since T_REQ (ms), the
# instance $INSTANCE is Normal and the writer has been without a failure for QUIET_S seconds (at most
# ROUND_TIMEOUT seconds); then stops the writer and saves the round's events in $ROUND_DIR/events.json.
await_round() {
    local t_req=$1 types ev status deadline=$((SECONDS + ROUND_TIMEOUT))
    shift
    types=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
    while :; do
        api GET "/api/v1/instances/$INSTANCE/events?since=$(iso_of_ms $((t_req - 1000)))"
        ev=$([ "$API_CODE" = 200 ] && jq --argjson t "$types" '[.[] | select(.type | IN($t[]))] | length' <<<"$API_BODY" || echo 0)
        api GET "/api/v1/instances/$INSTANCE"
        status=$(jq -r '.status // "?"' <<<"$API_BODY" 2>/dev/null || echo '?')
        if [ "$ev" -gt 0 ] && [ "$status" = Normal ] && [ "$(writer_quiet "$t_req")" = 1 ]; then break; fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "  round not over after $ROUND_TIMEOUT s (events $ev, status $status, writer $(cat "$ROUND_DIR/status.json"))"
            break
        fi
        writer_alive
        sleep 0.2
    done
    stop_writer
    api GET "/api/v1/instances/$INSTANCE/events?since=$(iso_of_ms $((t_req - 1000)))"
    printf '%s\n' "$API_BODY" >"$ROUND_DIR/events.json"
}

# check_target NAME PORT: SET/GET round trip through the target.
check_target() {
    local name=$1 port=$2 v
    redis-cli -h 127.0.0.1 -p "$port" set bench:check ok >/dev/null || die "$name: SET failed"
    v=$(redis-cli -h 127.0.0.1 -p "$port" get bench:check) || die "$name: GET failed"
    [ "$v" = ok ] || die "$name: GET answered '$v'"
}

# run_rounds: warm-up of every target, then ROUNDS rounds of every target and pipeline depth, the
# target order rotated each round. Needs TARGETS, PIPELINES, N_P1, N_P16, WARMUP_N, ROUNDS and a
# run_bench TARGET PIPELINE N OUT function; writes "round target pipeline test rps p50" lines to
# RESULTS, the order of each round to ORDERS, and "round target pipeline client_ms proxy_ms engine_ms
# requests" lines to CPU_RESULTS (CPU time of each role during the run, see cpu_mark).
run_rounds() {
    local t p r i n order test rps p50 started wall
    if [ "$WARMUP_N" -gt 0 ]; then
        for t in "${TARGETS[@]}"; do
            log "warm-up: $t"
            run_bench "$t" 16 "$WARMUP_N" "$BENCH_TMP/warmup.txt"
            run_bench "$t" 1 $((WARMUP_N / 10 > 1000 ? WARMUP_N / 10 : 1000)) "$BENCH_TMP/warmup.txt"
        done
    fi
    RESULTS="$BENCH_TMP/results.txt"
    CPU_RESULTS="$BENCH_TMP/cpu.txt"
    ORDERS=()
    : >"$RESULTS"
    : >"$CPU_RESULTS"
    for ((r = 1; r <= ROUNDS; r++)); do
        order=()
        for ((i = 0; i < ${#TARGETS[@]}; i++)); do order+=("${TARGETS[$(((i + r - 1) % ${#TARGETS[@]}))]}"); done
        ORDERS+=("${order[*]}")
        for t in "${order[@]}"; do
            for p in "${PIPELINES[@]}"; do
                n=$N_P1; [ "$p" = 1 ] || n=$N_P16
                log "round $r/$ROUNDS: $t -P $p -n $n"
                idle_proxy_ms "$t"
                cpu_mark "$t"
                started=$(date +%s%3N)
                run_bench "$t" "$p" "$n" "$BENCH_TMP/one.txt"
                cpu_spent "$t"
                wall=$(($(date +%s%3N) - started))
                # field 8: the proxy's CPU less what its background work (health probes, SLA probes, log
                # collection) would have spent idle over the same wall time; "-" without IDLE_MS
                echo "$r $t $p $CPU_SPENT $((n * $(wc -l <"$BENCH_TMP/one.txt"))) $(idle_adjusted "$CPU_SPENT" "$wall")" >>"$CPU_RESULTS"
                while read -r test rps p50; do
                    echo "$r $t $p $test $rps $p50" >>"$RESULTS"
                    log "  $test $rps rps, p50 $p50 ms"
                done <"$BENCH_TMP/one.txt"
            done
        done
    done
}

# report_every_run: the Markdown table of every round, target and pipeline depth (rps per test),
# from RESULTS, ORDERS, ROUNDS, PIPELINES and TEST_NAMES.
report_every_run() {
    echo "## Every run"
    echo
    echo "| round | order | target | -P | $(sed 's/$/ rps/' <<<"$TEST_NAMES" | paste -sd'|' | sed 's/|/ | /g') |"
    echo "|--:|---|---|--:|$(for _ in $TEST_NAMES; do printf -- '--:|'; done)"
    local t row r p x
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in ${ORDERS[$((r - 1))]}; do
            for p in "${PIPELINES[@]}"; do
                row="| $r | ${ORDERS[$((r - 1))]// /, } | $t | $p |"
                for x in $TEST_NAMES; do
                    row+=" $(awk -v r="$r" -v t="$t" -v p="$p" -v x="$x" '$1 == r && $2 == t && $3 == p && $4 == x { printf "%.0f", $5 }' "$RESULTS") |"
                done
                echo "$row"
            done
        done
    done
}

# Sets HOST, CPU, KVSIM_REV, JAR and JAR_TIME for a report's machine and build lines.
describe_build() {
    HOST=$(hostname -s 2>/dev/null || hostname)
    CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
    KVSIM_REV=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$REPO_DIR" status --porcelain -- src pom.xml profiles 2>/dev/null)" ]; then
        KVSIM_REV="$KVSIM_REV + uncommitted changes"
    fi
    JAR=${KVSIM_JAR:-$REPO_DIR/target/quarkus-app/quarkus-run.jar}
    JAR_TIME=$(date -r "$JAR" '+%Y-%m-%d %H:%M' 2>/dev/null || echo '?')
    local app_jar
    app_jar=$(ls "$(dirname "$JAR")"/app/*.jar 2>/dev/null | head -1 || true)
    [ -z "$app_jar" ] || JAR_TIME="$JAR_TIME; app $(date -r "$app_jar" '+%Y-%m-%d %H:%M')"
}

# median FIELD TARGET PIPELINE TEST: median over the rounds of field 5 (rps) or 6 (p50).
median() {
    awk -v t="$2" -v p="$3" -v x="$4" -v f="$1" '$2 == t && $3 == p && $4 == x && $f != "-" { print $f }' "$RESULTS" |
        sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
fmt_rps() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.0f", a }'; }
first_line() { "$@" 2>&1 | head -1 || true; }

# write_report PREFIX: runs the script's report function, to stdout and to
# $RESULTS_DIR/<PREFIX><date>-<host>.md (with the time in the name when that file exists).
write_report() {
    mkdir -p "$RESULTS_DIR"
    local out="$RESULTS_DIR/$1$(date +%F)-$HOST.md"
    [ ! -e "$out" ] || out="$RESULTS_DIR/$1$(date +%F-%H%M%S)-$HOST.md"
    report | tee "$out"
    log "report written to $out"
}

# describe_machine: the report's lines on the host, kernel, load, java and redis-server (LOAD_START, when set,
# is the load average the script saw at its start).
describe_machine() {
    echo "- host: $HOST; CPUs (nproc): $(nproc); CPU: ${CPU:-unknown}"
    echo "- kernel: $(uname -srm)"
    echo "- load average${LOAD_START:+ at the start: $LOAD_START;} at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
    echo "- java: $(java -version 2>&1 | head -1) / $(java -version 2>&1 | sed -n 3p)"
    echo "- redis-server: $(first_line redis-server --version)"
}

# ---- CPU time per role (client, proxy, engine) during one redis-benchmark run ----
# On a 2-CPU machine a proxy competes with the client and the engine for the same CPUs, so the
# CPU each spends per request says more than the throughput alone. A script that wants these
# figures defines role_pids TARGET ROLE (ROLE proxy or engine; prints pids, none for no such role).

# tracked_pids GLOB: pids of the processes started here whose name matches GLOB.
tracked_pids() {
    local entry
    for entry in "${STARTED_PIDS[@]}"; do
        # shellcheck disable=SC2053
        [[ "${entry#*:}" == $1 ]] && echo "${entry%%:*}"
    done
    true
}

# cpu_ms PID...: user + system CPU time of the processes, in ms (0 for one that is gone).
cpu_ms() {
    local pid ticks total=0 hz
    hz=$(getconf CLK_TCK)
    for pid in "$@"; do
        ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null) || ticks=0
        total=$((total + ${ticks:-0}))
    done
    echo $((total * 1000 / hz))
}

# children_ms: sets CHILD_MS to the CPU time of this shell's waited-for children (redis-benchmark
# among them), in ms. Not through $(...): a subshell starts with no children's time.
children_ms() {
    times >"$BENCH_TMP/times.txt"
    CHILD_MS=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t * 1000 }' "$BENCH_TMP/times.txt")
}

role_ms() {
    declare -F role_pids >/dev/null || { echo 0; return 0; }
    # shellcheck disable=SC2046
    cpu_ms $(role_pids "$1" "$2")
}

# cpu_mark TARGET: notes the CPU time of every role before a run; cpu_spent TARGET sets CPU_SPENT
# to "client_ms proxy_ms engine_ms" spent since then.
cpu_mark() {
    children_ms
    CPU_MARK=("$CHILD_MS" "$(role_ms "$1" proxy)" "$(role_ms "$1" engine)")
}
cpu_spent() {
    children_ms
    CPU_SPENT="$((CHILD_MS - CPU_MARK[0])) $(($(role_ms "$1" proxy) - CPU_MARK[1])) $(($(role_ms "$1" engine) - CPU_MARK[2]))"
}

# idle_proxy_ms TARGET: with IDLE_MS > 0, sets IDLE_PROXY_MS to the CPU time the target's proxy spends
# over IDLE_MS while no client sends anything (its background work), measured just before a run.
idle_proxy_ms() {
    IDLE_PROXY_MS=""
    [ "${IDLE_MS:-0}" -gt 0 ] || return 0
    local before
    before=$(role_ms "$1" proxy)
    sleep "$(awk -v ms="$IDLE_MS" 'BEGIN { printf "%.3f", ms / 1000 }')"
    IDLE_PROXY_MS=$(($(role_ms "$1" proxy) - before))
}

# idle_adjusted "CLIENT PROXY ENGINE" WALL_MS: the proxy's ms less its idle rate over WALL_MS, or "-".
idle_adjusted() {
    [ -n "$IDLE_PROXY_MS" ] || { echo "-"; return 0; }
    awk -v spent="$1" -v wall="$2" -v idle="$IDLE_PROXY_MS" -v span="$IDLE_MS" \
        'BEGIN { split(spent, f, " "); v = f[2] - idle * wall / span; printf "%.0f", (v < 0 ? 0 : v) }'
}

# cpu_median TARGET PIPELINE FIELD: median over the rounds of CPU µs per request of FIELD (4 client,
# 5 proxy, 6 engine, 8 proxy less its idle background, 0 their sum).
cpu_median() {
    awk -v t="$1" -v p="$2" -v f="$3" '$2 == t && $3 == p && $7 > 0 && (f != 8 || $8 != "-") {
            ms = (f == 0) ? $4 + $5 + $6 : $f; printf "%.2f\n", ms * 1000 / $7 }' "$CPU_RESULTS" |
        sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report_cpu: the Markdown table of CPU µs per request per role, and the throughput two CPUs
# could carry at that cost (2 CPU-seconds per second divided by the sum).
report_cpu() {
    echo "CPU time per request, µs (user + system, median over rounds; client = redis-benchmark):"
    echo
    echo "| target | -P | client | proxy | engine | sum | 2 CPUs / sum, rps |"
    echo "|---|--:|--:|--:|--:|--:|--:|"
    local t p sum
    for p in "${PIPELINES[@]}"; do
        for t in "${TARGETS[@]}"; do
            sum=$(cpu_median "$t" "$p" 0)
            echo "| $t | $p | $(cpu_median "$t" "$p" 4) | $(cpu_median "$t" "$p" 5) | $(cpu_median "$t" "$p" 6) | $sum | $(awk -v s="$sum" 'BEGIN { if (s + 0 > 0) printf "%.0f", 2e6 / s; else print "-" }') |"
        done
    done
}
