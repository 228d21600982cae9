#!/usr/bin/env bash
# Write downtime during HA events: a client writes SET with an incrementing key every ~1 ms
# (bench/failover_writer.py) while kvsim kills the master (fault kill_node, HA fails over) or
# switches over (AvailablePriority, ReliabilityPriority), with each HA profile (fast, realistic),
# kvsim started once per profile. Downtime: from the first failed write to the next successful one.
# Prints a Markdown report on stdout and writes it to bench/results/failover-<date>-<host>.md.
# Progress goes to stderr. Knobs (environment): see bench/README.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILES=${PROFILES:-fast realistic}
SCENARIOS=${SCENARIOS:-kill available reliable}
ROUNDS_FAST=${ROUNDS_FAST:-5}
ROUNDS_REALISTIC=${ROUNDS_REALISTIC:-3}
KVSIM_CLASS=${KVSIM_CLASS:-redis.master.small.default}
WRITE_INTERVAL_MS=${WRITE_INTERVAL_MS:-1}     # one SET every this many ms
WRITE_TIMEOUT_MS=${WRITE_TIMEOUT_MS:-2000}    # a write not answered within this has failed
PRE_S=${PRE_S:-1}                             # seconds of writes before the action
QUIET_S=${QUIET_S:-2}                         # a round ends after this many seconds without a failed write
ROUND_TIMEOUT=${ROUND_TIMEOUT:-120}           # seconds allowed from the action to the end of a round
HEALTHY_TIMEOUT=${HEALTHY_TIMEOUT:-120}       # seconds allowed for the instance to be healthy between rounds
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
WRITER="$BENCH_DIR/failover_writer.py"

for v in ROUNDS_FAST ROUNDS_REALISTIC WRITE_TIMEOUT_MS PRE_S QUIET_S ROUND_TIMEOUT HEALTHY_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
[[ "$WRITE_INTERVAL_MS" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WRITE_INTERVAL_MS must be a number, got '$WRITE_INTERVAL_MS'"
for p in $PROFILES; do case $p in fast | realistic) ;; *) die "PROFILES: unknown profile '$p' (fast, realistic)" ;; esac; done
for s in $SCENARIOS; do case $s in kill | available | reliable) ;; *) die "SCENARIOS: unknown scenario '$s' (kill, available, reliable)" ;; esac; done
need redis-server redis-cli java curl jq python3 awk sort date
[ -f "$WRITER" ] || die "$WRITER not found"

declare -A SCENARIO_NAME=([kill]="kill master (kill_node)" [available]="switchover AvailablePriority" [reliable]="switchover ReliabilityPriority")
read -r -a FIELDS < <(python3 "$WRITER" fields)
declare -A COL   # column of each field in RESULTS: profile, scenario, round, then FIELDS
for i in "${!FIELDS[@]}"; do COL[${FIELDS[$i]}]=$((i + 4)); done

rounds_of() { if [ "$1" = fast ]; then echo "$ROUNDS_FAST"; else echo "$ROUNDS_REALISTIC"; fi; }

# Every redis-server whose working directory is in our temporary directory: kvsim's nodes.
our_redis_pids() {
    local p
    for p in $(pgrep -x redis-server || true); do
        if in_bench_tmp "$p"; then echo "$p"; fi
    done
}

# node_replication PORT: INFO replication of one of the instance's nodes. The nodes have an
# internal password; it is read from the node's redis.conf in kvsim's data directory.
node_replication() {
    local conf pass
    conf=$(grep -rlx --include=redis.conf "port $1" "$DATA_DIR" 2>/dev/null | head -1 || true)
    [ -n "$conf" ] || return 0
    pass=$(awk '$1 == "requirepass" { gsub(/"/, "", $2); print $2; exit }' "$conf")
    timeout 5 redis-cli --no-auth-warning -p "$1" ${pass:+-a "$pass"} info replication 2>/dev/null | tr -d '\r' || true
}

# wait_healthy: the instance is Normal, its master is up with one online replica, and the replica's
# link is up with no sync in progress (a ReliabilityPriority switchover needs that). Also notes
# the nodes' pids for the clean-up.
wait_healthy() {
    local deadline=$((SECONDS + HEALTHY_TIMEOUT)) m r mi ri
    while [ "$SECONDS" -lt "$deadline" ]; do
        api GET "/api/v1/instances/$INSTANCE"
        if [ "$API_CODE" = 200 ] && [ "$(jq -r .status <<<"$API_BODY")" = Normal ]; then
            mapfile -t -O "${#KVSIM_NODE_PIDS[@]}" KVSIM_NODE_PIDS < <(jq -r '.nodes[].pid // empty' <<<"$API_BODY")
            m=$(jq -r '.nodes[] | select(.role == "master" and .state == "up") | .port' <<<"$API_BODY" | head -1)
            r=$(jq -r '.nodes[] | select(.role == "replica" and .state == "up") | .port' <<<"$API_BODY" | head -1)
            if [ -n "$m" ] && [ -n "$r" ]; then
                mi=$(node_replication "$m"); ri=$(node_replication "$r")
                if grep -qx 'role:master' <<<"$mi" && grep -q "^slave0:.*port=$r,state=online" <<<"$mi" &&
                    grep -qx 'role:slave' <<<"$ri" && grep -qx 'master_link_status:up' <<<"$ri" &&
                    grep -qx 'master_sync_in_progress:0' <<<"$ri"; then
                    return 0
                fi
            fi
        fi
        sleep 0.2
    done
    die "instance $INSTANCE not healthy within $HEALTHY_TIMEOUT s: $API_BODY"
}

# run_round PROFILE SCENARIO ROUND: one action under the write loop; appends a line to RESULTS.
run_round() {
    local profile=$1 scenario=$2 r=$3 t_req t_resp t0 line
    ROUND_DIR="$BENCH_TMP/rounds/$profile-$scenario-$r"
    mkdir -p "$ROUND_DIR"
    wait_healthy
    start_writer "$KVSIM_PORT" "bench:$profile:$scenario:$r"  # writes must flow before the action
    sleep "$PRE_S"
    [ "$(writer_status fail)" = 0 ] || log "  note: $(writer_status fail) failed write(s) before the action"

    t_req=$(now_ms)
    case $scenario in
        kill) api POST "/api/v1/instances/$INSTANCE/faults" '{"type":"kill_node","target":{"node":"master"}}' ;;
        available) api POST "/api/v1/instances/$INSTANCE/switchover" '{"switchType":"AvailablePriority"}' ;;
        reliable) api POST "/api/v1/instances/$INSTANCE/switchover" '{"switchType":"ReliabilityPriority"}' ;;
    esac
    t_resp=$(now_ms)
    printf '%s\n' "$API_BODY" >"$ROUND_DIR/action.json"
    case $scenario:$API_CODE in
        kill:201 | available:200 | reliable:200) t0=$(jq -r '.startedAt // empty' <<<"$API_BODY") ;;
        *) log "  the action answered HTTP $API_CODE: $API_BODY"; t0="" ;;
    esac
    [ -n "$t0" ] || t0=$(iso_of_ms "$t_req")

    await_round "$t_req" Failover Switchover SwitchoverFailed
    line=$(python3 "$WRITER" analyze --writer "$ROUND_DIR/writer.json" --events "$ROUND_DIR/events.json" \
        --t0 "$t0" --api-ms $((t_resp - t_req)))
    printf '%s\t%s\t%s\t%s\n' "$profile" "$scenario" "$r" "$line" >>"$RESULTS"
    jq -c '.[] | select(.type == "Failover" or .type == "Switchover" or .type == "SwitchoverFailed" or .type == "NodeReplaced")
           | {profile: $p, scenario: $s, round: ($r | tonumber), type, at, details}' \
        --arg p "$profile" --arg s "$scenario" --arg r "$r" "$ROUND_DIR/events.json" >>"$EVENTS" || true
    log "  downtime $(get "$line" downtime_ms) ms, span $(get "$line" span_ms) ms, outages $(get "$line" outages)," \
        "lost $(get "$line" lost), $(get "$line" event) detected/started +$(get "$line" detected_s) s, switched +$(get "$line" switched_s) s"
    [ "$(jq -r .verify_error "$ROUND_DIR/writer.json")" = null ] || log "  verification: $(jq -r .verify_error "$ROUND_DIR/writer.json")"
}

# get LINE FIELD: a field of an analyze line (without the profile, scenario and round columns).
get() { awk -F'\t' -v c=$((COL[$2] - 3)) '{ print $c }' <<<"$1"; }

# stop_kvsim: stops this profile's kvsim by its pid, then any node of it still running (none expected).
stop_kvsim() {
    local p left
    stop_pid "$KVSIM_PID" "kvsim (java)" 30
    untrack "$KVSIM_PID"
    left=$(our_redis_pids)
    if [ -n "$left" ]; then
        log "redis-server left running after kvsim stopped: $(tr '\n' ' ' <<<"$left")- stopping them"
        ORPHANS+=" $(tr '\n' ' ' <<<"$left")"
        for p in $left; do stop_pid "$p" "kvsim node" 10; done
    fi
    KVSIM_PID=""
}

bench_init
RESULTS="$BENCH_TMP/results.tsv"
EVENTS="$BENCH_TMP/events.jsonl"
: >"$RESULTS"; : >"$EVENTS"
ORPHANS=""
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
REDIS_BEFORE=$(pgrep -ax redis-server || true)
STARTED_AT=$(date '+%Y-%m-%d %H:%M %Z')
T_START=$SECONDS
declare -A PROFILE_ADMIN PROFILE_INSTANCE

for profile in $PROFILES; do
    read -r ADMIN < <(free_ports 1)
    DATA_DIR="$BENCH_TMP/kvsim-$profile"
    KVSIM_DATA_DIR=$DATA_DIR KVSIM_LOG="$BENCH_TMP/kvsim-$profile.log" start_kvsim "$ADMIN" "-Dkvsim.ha.profile=$profile"
    previous=("${KVSIM_NODE_PIDS[@]}")
    kvsim_create_instance "$KVSIM_CLASS" "$ADMIN"
    KVSIM_NODE_PIDS=("${previous[@]}" "${KVSIM_NODE_PIDS[@]}")
    INSTANCE=$(jq -r .instanceId "$BENCH_TMP/kvsim-instance.json")
    cp "$BENCH_TMP/kvsim-instance.json" "$BENCH_TMP/kvsim-instance-$profile.json"
    PROFILE_ADMIN[$profile]=$ADMIN; PROFILE_INSTANCE[$profile]=$INSTANCE
    [ "$(jq '[.nodes[] | select(.role == "replica")] | length' "$BENCH_TMP/kvsim-instance.json")" -ge 1 ] \
        || die "class $KVSIM_CLASS has no replica: HA cannot fail over"
    check_target "kvsim ($profile)" "$KVSIM_PORT"
    rounds=$(rounds_of "$profile")
    for ((r = 1; r <= rounds; r++)); do
        for scenario in $SCENARIOS; do
            log "profile $profile, round $r/$rounds: ${SCENARIO_NAME[$scenario]}"
            run_round "$profile" "$scenario" "$r"
        done
    done
    stop_kvsim
done
REDIS_AFTER=$(pgrep -ax redis-server || true)
OURS_AFTER=$(our_redis_pids | tr '\n' ' ')
ELAPSED=$((SECONDS - T_START))

# ---- report ----
# values PROFILE SCENARIO FIELD: the field over the rounds, one a line.
values() { awk -F'\t' -v p="$1" -v s="$2" -v c="${COL[$3]}" '$1 == p && $2 == s { print $c }' "$RESULTS"; }
# agg median|max|sum: over numbers on stdin; "unrecovered" or "?" wins; "-" when none.
agg() {
    awk -v what="$1" '
        $1 == "unrecovered" || $1 == "?" { bad = $1; next }
        $1 ~ /^-?[0-9.]+$/ { v[++n] = $1 + 0; sum += $1 }
        END {
            if (bad != "" && what != "median") { print bad; exit }
            if (n == 0) { print "-"; exit }
            if (what == "sum") { print sum; exit }
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            if (what == "max") print v[n]; else if (n % 2) print v[(n + 1) / 2]; else print (v[n / 2] + v[n / 2 + 1]) / 2
        }'
}
fmt_ms() { awk -v a="$1" 'BEGIN { if (a !~ /^-?[0-9.]+$/) print a; else if (a < 10) printf "%.1f", a; else printf "%.0f", a }'; }
fmt_s() { awk -v a="$1" 'BEGIN { if (a !~ /^-?[0-9.]+$/) print a; else printf "%.2f", a }'; }
first_line() { "$@" 2>&1 | head -1 || true; }

# verdict PROFILE SCENARIO: fast: every round healthy again (last outage over) within 1 s of the
# first failure; realistic: the switch (switchedAt) within 30 s of the action, and writes back within 30 s.
verdict() {
    local p=$1 s=$2 span sw
    span=$(values "$p" "$s" span_ms | agg max)
    sw=$(values "$p" "$s" switched_s | agg max)
    if [ "$p" = fast ]; then
        awk -v a="$span" 'BEGIN { print (a ~ /^[0-9.]+$/ && a <= 1000) ? "met" : "missed" }'
    else
        awk -v a="$span" -v b="$sw" 'BEGIN { print (a ~ /^[0-9.]+$/ && a <= 30000 && b ~ /^-?[0-9.]+$/ && b <= 30) ? "met" : "missed" }'
    fi
}

describe_build

report() {
    local p s n
    echo "# kvsim failover benchmark: $STARTED_AT, $HOST"
    echo
    echo "A client (bench/failover_writer.py, one raw socket) writes \`SET <prefix>:<n> <32 bytes>\`, n = 1, 2, …,"
    echo "one at a time, one every ${WRITE_INTERVAL_MS} ms, and reconnects after a connection error, while kvsim"
    echo "kills the master (\`kill_node\`) or switches over. A write fails on an error reply, a dropped"
    echo "connection, no reply within ${WRITE_TIMEOUT_MS} ms, or a failed connect. **Downtime**: from the first failed write"
    echo "(sent) to the next successful write (answered). **Span**: from the first failed write to the end of the"
    echo "last outage of the round (the same unless writes failed, succeeded, then failed again)."
    echo "Class \`$KVSIM_CLASS\`; kvsim started once per HA profile; rounds: fast $ROUNDS_FAST, realistic $ROUNDS_REALISTIC."
    echo
    echo "| profile | scenario | rounds | downtime median ms | downtime max ms | span median ms | span max ms | switched after (median / max s) | lost acked writes | target |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
    for p in $PROFILES; do
        for s in $SCENARIOS; do
            n=$(values "$p" "$s" downtime_ms | wc -l)
            echo "| $p | ${SCENARIO_NAME[$s]} | $n | $(fmt_ms "$(values "$p" "$s" downtime_ms | agg median)") | $(fmt_ms "$(values "$p" "$s" downtime_ms | agg max)") | $(fmt_ms "$(values "$p" "$s" span_ms | agg median)") | $(fmt_ms "$(values "$p" "$s" span_ms | agg max)") | $(fmt_s "$(values "$p" "$s" switched_s | agg median)") / $(fmt_s "$(values "$p" "$s" switched_s | agg max)") | $(values "$p" "$s" lost | agg sum) of $(values "$p" "$s" acked | agg sum) | $(verdict "$p" "$s") |"
        done
    done
    echo
    echo "Targets (profiles/ha.yaml): fast, healthy again within 1 s: every round's span ≤ 1000 ms;"
    echo "realistic, detection and switch within 30 s: every round's switchedAt ≤ 30 s after the action, and span ≤ 30 s."
    echo "\"switched after\": the event's switchedAt, counted from kvsim's start of the action (the fault's"
    echo "\`startedAt\`, the switchover's \`startedAt\`)."
    echo
    echo "## Every round"
    echo
    echo "Times in s are counted from the action's start (t0, kvsim's clock). ok between: writes acknowledged"
    echo "between the first failed write and the start of the round's last outage (0 with one outage)."
    echo "detected: the Failover event's"
    echo "\`detectedAt\`, or the Switchover event's \`startedAt\`. API: how long the admin call took. lost: acknowledged"
    echo "writes whose key was gone at the end; applied: failed writes whose key exists (the write was done"
    echo "but the client saw an error); lostBytes: the event's figure."
    echo
    echo "| profile | scenario | # | downtime ms | span ms | outages | ok between | failed | first failure s | recovered s | detected s | switched s | API s | max write ms | acked | lost | applied | lostBytes | event | errors seen by the client |"
    echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|"
    awk -F'\t' -v OFS=' | ' -v c="$(for f in downtime_ms span_ms outages ok_between failed first_fail_s recovered_s detected_s switched_s api_s max_lat_ms acked lost applied_failed lost_bytes; do printf '%s ' "${COL[$f]}"; done)" \
        -v ev="${COL[event]}" -v oe="${COL[other_events]}" -v er="${COL[errors]}" '{
            n = split(c, cols, " "); row = "| " $1 OFS $2 OFS $3
            for (i = 1; i <= n; i++) row = row OFS $(cols[i])
            e = $(ev); if ($(oe) != "-") e = e " (+ " $(oe) ")"
            print row OFS e OFS $(er) " |"
        }' "$RESULTS"
    echo
    echo "### HA events (as \`GET /api/v1/instances/{id}/events\` lists them)"
    echo
    echo "| profile | scenario | # | t0 | type | detectedAt / startedAt | switchedAt |"
    echo "|---|---|--:|---|---|---|---|"
    awk -F'\t' -v OFS=' | ' -v a="${COL[t0]}" -v b="${COL[event]}" -v d="${COL[detected_at]}" -v e="${COL[switched_at]}" \
        '{ print "| " $1, $2, $3, $(a), $(b), $(d), $(e) " |" }' "$RESULTS"
    echo
    echo "<details><summary>Event details, one JSON object per event</summary>"
    echo
    echo '```'
    cat "$EVENTS"
    echo '```'
    echo
    echo "</details>"
    echo
    echo "## Set-up"
    echo
    for p in $PROFILES; do
        echo "- $p: kvsim with \`-Dkvsim.ha.profile=$p\` on admin port ${PROFILE_ADMIN[$p]}, instance ${PROFILE_INSTANCE[$p]}"
        echo "  ($(jq -r '"\(.architecture), \(.nodeType), RESP port \(.port)"' "$BENCH_TMP/kvsim-instance-$p.json"), password-free, bandwidth cap lifted)."
    done
    echo "- HA profiles (profiles/ha.yaml):"
    awk '/^ *(realistic|fast):/ { p = $1; sub(/:/, "", p); line = "" ; next }
         p != "" && /^ *[a-z-]+: / { line = line ($1 " " $2 " ") ; out[p] = line }
         END { for (k in out) print "  - " k ": " out[k] }' "$REPO_DIR/profiles/ha.yaml" | sort
    echo "- Writer: interval ${WRITE_INTERVAL_MS} ms, reply timeout ${WRITE_TIMEOUT_MS} ms; ${PRE_S} s of writes before each action;"
    echo "  a round ends when the event is recorded, the instance is Normal and no write has failed for ${QUIET_S} s."
    echo "  Before each round the script waits until the replica is in sync (INFO replication of the nodes)."
    echo "  After each round the writer checks every acknowledged key with EXISTS (one per key, pipelined)."
    echo "- Processes: kvsim, its redis-server nodes and the writer share this machine's CPUs."
    echo "- redis-server processes before the run: $(grep -c . <<<"$REDIS_BEFORE" || true); after: $(grep -c . <<<"$REDIS_AFTER" || true);"
    echo "  ours still running after kvsim stopped: ${ORPHANS:-none}; ours at the end: ${OURS_AFTER:-none}."
    echo "- Run time: ${ELAPSED} s."
    echo
    echo "## Machine"
    echo
    describe_machine
    echo "- python3: $(first_line python3 --version)"
    echo "- kvsim: commit $KVSIM_REV; jar $JAR ($JAR_TIME)"
    echo "- JVM options: ${KVSIM_JAVA_OPTS:-(none)}"
}

write_report failover-
for p in $PROFILES; do for s in $SCENARIOS; do
    log "$p, ${SCENARIO_NAME[$s]}: downtime median $(fmt_ms "$(values "$p" "$s" downtime_ms | agg median)") ms, max $(fmt_ms "$(values "$p" "$s" downtime_ms | agg max)") ms; target $(verdict "$p" "$s")"
done; done
[ -z "$OURS_AFTER" ] || die "redis-server processes of this run still running: $OURS_AFTER"
