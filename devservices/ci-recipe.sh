#!/usr/bin/env bash
# The CI recipe of docs/dev-services.md, run as written: kvsim started with `java -jar` in the background,
# its ready file awaited, a client talking to the default instance, then a graceful stop that leaves no
# redis-server behind. Free ports, so that it runs next to anything else. Needs the packaged kvsim
# (target/quarkus-app) and redis-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "ci-recipe: $jar is missing; run ./mvnw package -DskipTests first" >&2; exit 1; }

work=$(mktemp -d)
kvsim_pid=
stop() {
  if [ -n "$kvsim_pid" ] && kill -0 "$kvsim_pid" 2>/dev/null; then kill "$kvsim_pid"; wait "$kvsim_pid" || true; fi
  rm -rf "$work"
}
trap stop EXIT

# secrets in the environment (only their owner can read it), not on the command line (everyone can)
export KVSIM_API_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
KVSIM_DEFAULT_INSTANCE_PASSWORD='Passw0rd!' \
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
     -Dkvsim.data-dir="$work/kvsim" -Dkvsim.ready-file="$work/kvsim.ready" -Dkvsim.ha.profile=fast \
     -Dquarkus.http.port=0 -Dkvsim.default-instance.port=0 \
     -jar "$jar" > "$work/kvsim.log" 2>&1 &
kvsim_pid=$!
for _ in $(seq 1 600); do [ -f "$work/kvsim.ready" ] && break; kill -0 "$kvsim_pid" || break; sleep 0.1; done
[ -f "$work/kvsim.ready" ] || { echo "ci-recipe: kvsim did not become ready; its log:" >&2; cat "$work/kvsim.log" >&2; exit 1; }

ready=$(cat "$work/kvsim.ready")
admin=$(sed -E 's/.*"adminUrl" *: *"([^"]+)".*/\1/' <<<"$ready")
port=$(sed -E 's/.*"defaultInstance" *: *\{[^}]*"port" *: *([0-9]+).*/\1/' <<<"$ready")
echo "ci-recipe: kvsim ready, admin API $admin, default instance on port $port"

[ "$(redis-cli -p "$port" --no-auth-warning -a 'Passw0rd!' set recipe ok)" = OK ]
[ "$(redis-cli -p "$port" --no-auth-warning -a 'Passw0rd!' get recipe)" = ok ]
[ "$(redis-cli -p "$port" ping)" = "NOAUTH Authentication required." ]
curl -sf -H "Authorization: Bearer $KVSIM_API_TOKEN" "$admin/api/v1/instances" | grep -q '"status":"Normal"'
[ "$(curl -s -o /dev/null -w '%{http_code}' "$admin/api/v1/instances")" = 401 ]

# each node runs under its watchdog, a child of kvsim
watchdogs=$(pgrep -d, -P "$kvsim_pid" -f kvsim-node-watchdog || true)
nodes=$([ -n "$watchdogs" ] && pgrep -P "$watchdogs" redis-server || true)
[ -n "$nodes" ] || { echo "ci-recipe: kvsim runs no redis-server" >&2; exit 1; }
kill "$kvsim_pid"; wait "$kvsim_pid" || true; kvsim_pid=
for pid in $nodes; do
  if kill -0 "$pid" 2>/dev/null; then echo "ci-recipe: redis-server $pid outlived kvsim" >&2; exit 1; fi
done
echo "ci-recipe: passed (the client talked to the default instance; the stop left no redis-server)"
