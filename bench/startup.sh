#!/usr/bin/env bash
# Start-up time of kvsim, from the launch of the JVM:
#   (a) to the first PONG of the default instance (dual replica, on a free port);
#   (b) to a dual-replica instance created through the admin API being Normal (no default instance).
# Every variant (a JVM and its options) is launched ROUNDS times per metric, interleaved, the order
# rotating each round, each launch with a fresh data directory and free ports.
# Prints a Markdown report on stdout and writes it to bench/results/startup-<date>-<host>.md.
# Progress goes to stderr. Knobs (environment): see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${ROUNDS:-5}
METRICS=${METRICS:-a b}
KVSIM_CLASS=${KVSIM_CLASS:-redis.master.small.default}
START_TIMEOUT=${START_TIMEOUT:-120}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
APP_DIR=${APP_DIR:-$REPO_DIR/target/quarkus-app}
# One variant a line: name|java binary|application directory (empty: APP_DIR)|JVM options. {CDS} in the options stands for a dynamic CDS
# archive: made by one training launch (-XX:ArchiveClassesAtExit), used by the measured ones
# (-XX:SharedArchiveFile). {AOT} likewise for JDK 25's AOT cache (-XX:AOTCacheOutput, -XX:AOTCache).
DEFAULT_VARIANTS="plain|java||
recommended|java||-XX:TieredStopAtLevel=1 -XX:+UseSerialGC {CDS}"
VARIANTS=${VARIANTS:-$DEFAULT_VARIANTS}

[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, got '$ROUNDS'"
for m in $METRICS; do case $m in a | b) ;; *) die "METRICS: unknown metric '$m' (a, b)" ;; esac; done
need redis-cli curl awk sort date java

NAMES=()
declare -A JAVA_OF APP_OF OPTS_OF
while IFS='|' read -r name jvm app opts; do
    [ -n "$name" ] || continue
    NAMES+=("$name"); JAVA_OF[$name]=$jvm; APP_OF[$name]=${app:-$APP_DIR}; OPTS_OF[$name]=$opts
    [ -f "${APP_OF[$name]}/quarkus-run.jar" ] || die "${APP_OF[$name]}/quarkus-run.jar not found; build it first: ./mvnw package -DskipTests"
done <<<"$VARIANTS"
[ "${#NAMES[@]}" -gt 0 ] || die "VARIANTS lists no variant"

now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }

# opts_for NAME MODE: the variant's options with {CDS}/{AOT} resolved for MODE (train or use).
opts_for() {
    local o=${OPTS_OF[$1]} archive="$BENCH_TMP/$1"
    if [ "$2" = train ]; then
        o=${o//\{CDS\}/-XX:ArchiveClassesAtExit=$archive.jsa}
        o=${o//\{AOT\}/-XX:AOTCacheOutput=$archive.aot}
    else
        o=${o//\{CDS\}/-XX:SharedArchiveFile=$archive.jsa}
        o=${o//\{AOT\}/-XX:AOTCache=$archive.aot}
    fi
    echo "$o"
}

# launch NAME MODE METRIC LOGFILE: starts kvsim (fresh data dir, free ports); sets PID, ADMIN, PORT, T0.
launch() {
    local name=$1 mode=$2 metric=$3 klog=$4 data default_opts
    data=$(mktemp -d "$BENCH_TMP/data.XXXXXX")
    read -r ADMIN PORT < <(free_ports 2)
    if [ "$metric" = a ]; then
        default_opts="-Dkvsim.default-instance.port=$PORT"
    else
        default_opts="-Dkvsim.default-instance.enabled=false"
    fi
    T0=$(now_ns)
    # shellcheck disable=SC2046,SC2086
    "${JAVA_OF[$name]}" $(opts_for "$name" "$mode") -Dkvsim.data-dir="$data" -Dquarkus.http.port="$ADMIN" \
        $default_opts -jar "${APP_OF[$name]}/quarkus-run.jar" >"$klog" 2>&1 &
    PID=$!
    track "$PID" "kvsim $name"
    LAST_DATA=$data
}

# await_metric METRIC LOGFILE: waits for (a) PONG on PORT or (b) the created instance Normal; prints ms.
await_metric() {
    local metric=$1 klog=$2 deadline=$((SECONDS + START_TIMEOUT)) out code
    while [ "$SECONDS" -lt "$deadline" ]; do
        alive "$PID" || { tail -20 "$klog" >&2; die "kvsim exited during start-up (log: $klog)"; }
        if [ "$metric" = a ]; then
            if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ]; then ms_since "$T0"; return 0; fi
        else
            out=$(curl -s -m 60 -w '\n%{http_code}' -X POST "http://127.0.0.1:$ADMIN/api/v1/instances?wait=true" \
                -H 'Content-Type: application/json' -d "{\"instanceClass\":\"$KVSIM_CLASS\"}" 2>/dev/null) || out=$'\n000'
            code=${out##*$'\n'}
            if [ "$code" = 201 ]; then
                grep -q '"status":"Normal"' <<<"$out" || die "the created instance is not Normal: ${out%$'\n'*}"
                ms_since "$T0"
                return 0
            fi
            [ "$code" = 000 ] || [ "$code" = 503 ] || die "POST /api/v1/instances answered $code: ${out%$'\n'*}"
        fi
        sleep 0.01
    done
    die "no ${metric} within $START_TIMEOUT s (log: $klog)"
}

# stop_kvsim: SIGTERM (kvsim stops its nodes), then checks that no node of the launch is left.
stop_kvsim() {
    local p
    stop_pid "$PID" kvsim 30
    untrack "$PID"
    for p in $(pgrep -x redis-server || true); do
        if [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$LAST_DATA"/* ]]; then die "node $p left running by kvsim"; fi
    done
    rm -rf "$LAST_DATA"
}

bench_init
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
STARTED_AT=$(date '+%Y-%m-%d %H:%M')
RESULTS="$BENCH_TMP/results.txt"   # "round variant metric ms quarkus_boot_s"
: >"$RESULTS"

for name in "${NAMES[@]}"; do
    if [[ "${OPTS_OF[$name]}" == *"{CDS}"* || "${OPTS_OF[$name]}" == *"{AOT}"* ]]; then
        log "training launch of $name (archive in $BENCH_TMP)"
        launch "$name" train a "$BENCH_TMP/train-$name.log"
        await_metric a "$BENCH_TMP/train-$name.log" >/dev/null
        stop_kvsim
    fi
done

for ((r = 1; r <= ROUNDS; r++)); do
    for ((i = 0; i < ${#NAMES[@]}; i++)); do
        name=${NAMES[$(((i + r - 1) % ${#NAMES[@]}))]}
        for m in $METRICS; do
            klog="$BENCH_TMP/r$r-$name-$m.log"
            launch "$name" use "$m" "$klog"
            ms=$(await_metric "$m" "$klog")
            boot=$(grep -o 'started in [0-9.]*s' "$klog" | grep -o '[0-9.]*' || echo -)
            stop_kvsim
            echo "$r $name $m $ms $boot" >>"$RESULTS"
            log "round $r/$ROUNDS: $name ($m) $ms ms (Quarkus: started in ${boot} s)"
        done
    done
done

# stat FIELD NAME METRIC WHAT: median, min or max of field 4 (ms) or 5 (Quarkus boot, s).
stat() {
    awk -v n="$2" -v m="$3" -v f="$1" '$2 == n && $3 == m && $f != "-" { print $f }' "$RESULTS" | sort -g |
        awk -v w="$4" '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (w == "min") print v[1]; else if (w == "max") print v[NR];
            else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

KVSIM_JAR="$APP_DIR/quarkus-run.jar" describe_build
METRIC_NAME_a="start → first PONG of the default instance"
METRIC_NAME_b="start → API-created \`$KVSIM_CLASS\` instance Normal"

report() {
    local name m v
    echo "# kvsim start-up time: $STARTED_AT, $HOST"
    echo
    echo "From the launch of \`java … -jar quarkus-run.jar\` (fresh data directory, free ports) to: (a) the first"
    echo "PONG of the default instance (\`redis.master.small.default\`, master + replica); (b) with no default"
    echo "instance, \`POST /api/v1/instances?wait=true\` {\"instanceClass\":\"$KVSIM_CLASS\"} answering Normal (the"
    echo "POST is retried until the admin API answers). $ROUNDS rounds, variants interleaved, order rotating."
    echo
    echo "| variant | JVM options (java) | metric | median ms | min ms | max ms | Quarkus \"started in\" median s |"
    echo "|---|---|---|--:|--:|--:|--:|"
    for name in "${NAMES[@]}"; do
        for m in $METRICS; do
            v="METRIC_NAME_$m"
            echo "| $name | \`${OPTS_OF[$name]:-(none)}\` ($("${JAVA_OF[$name]}" -version 2>&1 | head -1 | tr -d '"'))$([ "${APP_OF[$name]}" = "$APP_DIR" ] || echo ", app ${APP_OF[$name]}") | ($m) ${!v} | $(stat 4 "$name" "$m" median) | $(stat 4 "$name" "$m" min) | $(stat 4 "$name" "$m" max) | $(stat 5 "$name" "$m" median) |"
        done
    done
    echo
    echo "{CDS}: a dynamic AppCDS archive, made by one training launch with \`-XX:ArchiveClassesAtExit\`, used"
    echo "with \`-XX:SharedArchiveFile\`. {AOT}: JDK 25's AOT cache (\`-XX:AOTCacheOutput\`, then \`-XX:AOTCache\`)."
    echo
    echo "## Every launch"
    echo
    echo "| round | variant | metric | ms | Quarkus started in (s) |"
    echo "|--:|---|---|--:|--:|"
    awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$RESULTS"
    echo
    echo "## Machine"
    echo
    describe_machine
    echo "- kvsim: commit $KVSIM_REV; app $APP_DIR ($JAR_TIME)"
    echo "- redis-server used by kvsim: the first on PATH ($(command -v redis-server || echo none))"
}

write_report startup-
