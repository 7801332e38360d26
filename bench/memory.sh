#!/usr/bin/env bash
# The idle-connection memory benchmark of issue 3: how much server heap 10,000 idle event-bus WebSocket connections
# take, on INOS and on the bare Vert.x 5 SockJS bridge, measured after full collections with jcmd; then renders the
# section "## Bridge fan-out and idle connections (issue 3)" of docs/benchmarks.md (the rest is kept).
#
#   bench/memory.sh                  build, measure both servers, render
#   bench/memory.sh --no-build       use the jars already built
#   bench/memory.sh --render-only    render again from bench/results/memory/*.json
#
# Settings (environment): IDLE_CONNECTIONS (10000; the server and the generator each hold that many sockets, and a
# process may have 20,000 open files here), IDLE_MODES ("own shared": one address per connection, or one for all),
# IDLE_AUTH (jwt, the default: INOS gets a generated INOS_JWT_KEY and each connection signs in as a user with an
# HS256 token in its frames' Authorization header; guest: anonymous guests, each proposing its guest id — on INOS
# only with IDLE_MODES=shared, since a guest's own address cannot be probed through the secured REST door), INOS_JAR (a prebuilt INOS server jar). About 3 to 5 minutes. Traffic stays on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/memory
CONNECTIONS=${IDLE_CONNECTIONS:-10000}
WARMUP_CONNECTIONS=300
read -r -a MODES <<<"${IDLE_MODES:-own shared}"
AUTH=${IDLE_AUTH:-jwt}
case "$AUTH" in
  guest) ;;
  jwt) INOS_JWT_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"; export INOS_JWT_KEY ;;
  *) echo "IDLE_AUTH is guest or jwt, not $AUTH" >&2; exit 2 ;;
esac
SERVER_JVM=(-Xms2g -Xmx2g -XX:+UseG1GC)
CLIENT_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)

mkdir -p "$OUT"
BENCH_JAR=$OUT/bench.jar
INOS_JAR_SNAPSHOT=$OUT/inos-server.jar
if [[ $BUILD == 1 ]]; then
  echo ">> building the bench jar and the INOS server jar"
  ./mvnw -q -pl bench -am package -DskipTests
  if [[ -z "${INOS_JAR:-}" ]]; then
    ./mvnw -q -pl verticles -am package -DskipTests
  fi
fi
if [[ $RUN == 1 ]]; then
  cp bench/target/benchmarks.jar "$BENCH_JAR"
  cp -p "${INOS_JAR:-verticles/target/inos-server.jar}" "$INOS_JAR_SNAPSHOT"   # -p: keeps the build time
fi
INOS_JAR=$INOS_JAR_SNAPSHOT
render() {
  "$JAVA" -cp "$(report_jar "$BENCH_JAR")" io.inos.bench.fanout.BridgeBenchReport --doc docs/benchmarks.md \
    --fanout bench/results/fanout --memory "$OUT"
}
if [[ $RUN == 0 ]]; then
  render
  exit 0
fi

bridge_servers_init
rm -f "$OUT"/*.json "$OUT"/*.histo
machine_facts "$OUT/facts.txt"
echo "load_before=$(load_average)" >>"$OUT/facts.txt"

# used heap in KiB after two full collections
heap_used_k() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.heap_info | sed -n 's/.*garbage-first heap.*used \([0-9]*\)K.*/\1/p' | head -1
}

# histogram FILE: the live objects by class (GC.class_histogram collects first); prints their total bytes
histogram() {
  jcmd "$SERVER_PID" GC.class_histogram >"$1"
  awk '/^Total/ {print $3}' "$1"
}

rss_k() {
  awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"
}

# idle N MODE LOG: starts IdleConnections in the background and waits until its connections are ready
idle() {
  local n=$1 mode=$2 log=$3
  local cmd=("$JAVA" "${CLIENT_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.memory.IdleConnections --port "$SERVER_PORT"
    --server "$SERVER_KIND" --connections "$n" --addresses "$mode" --hold-s 600)
  if [[ $AUTH == jwt && $SERVER_KIND == inos ]]; then
    cmd+=(--token-secret "$INOS_JWT_KEY")
  fi
  if [[ $n == "$CONNECTIONS" ]]; then
    local shown="${cmd[*]}"
    [[ -n "${INOS_JWT_KEY:-}" ]] && shown=${shown//$INOS_JWT_KEY/KEY}   # no secret in the report
    echo "command_${SERVER_KIND}_$mode=$shown" >>"$OUT/facts.txt"
  fi
  "${cmd[@]}" >"$log" 2>&1 &
  IDLE_PID=$!
  STARTED_PIDS+=("$IDLE_PID")
  wait_for_line "$log" '^idle: ready ' 420 "$IDLE_PID"
  sed -n 's/^idle: //p' "$log" | head -2 | sed 's/^/   /'
}

stop_idle() {
  kill -TERM "$IDLE_PID" 2>/dev/null || true
  wait_gone "$IDLE_PID" 60 || kill -KILL "$IDLE_PID" 2>/dev/null || true
}

# measure MODE: one server already started; writes $OUT/$SERVER_KIND-$MODE.json
measure() {
  local mode=$1 base="$OUT/$SERVER_KIND-$1"
  echo ">> $SERVER_KIND, $mode addresses: warm-up with $WARMUP_CONNECTIONS connections"
  idle "$WARMUP_CONNECTIONS" "$mode" "$base-warmup.log"
  stop_idle
  sleep 2 # let the server notice the closes (on loopback, well within this)
  local heap_before live_before rss_before heap_after live_after rss_after heap_closed live_closed
  heap_before=$(heap_used_k)
  live_before=$(histogram "$base-before.histo")
  rss_before=$(rss_k)
  echo ">> $SERVER_KIND, $mode addresses: $CONNECTIONS connections (heap before: ${heap_before}K used)"
  idle "$CONNECTIONS" "$mode" "$base-idle.log"
  heap_after=$(heap_used_k)
  live_after=$(histogram "$base-after.histo")
  rss_after=$(rss_k)
  echo "   heap with the connections: ${heap_after}K used; $(( (heap_after - heap_before) * 1024 / CONNECTIONS )) B each"
  stop_idle
  sleep 3
  heap_closed=$(heap_used_k)
  live_closed=$(histogram "$base-closed.histo")
  local auth=none
  [[ $SERVER_KIND == inos ]] && auth=$AUTH
  printf '{"server":"%s","addresses":"%s","auth":"%s","connections":%d,"heapBeforeK":%d,"heapAfterK":%d,"heapClosedK":%d,
"liveBefore":%d,"liveAfter":%d,"liveClosed":%d,"rssBeforeK":%d,"rssAfterK":%d,
"histogramBefore":"%s","histogramAfter":"%s","load":"%s"}\n' \
    "$SERVER_KIND" "$mode" "$auth" "$CONNECTIONS" "$heap_before" "$heap_after" "$heap_closed" \
    "$live_before" "$live_after" "$live_closed" "$rss_before" "$rss_after" \
    "$(basename "$base-before.histo")" "$(basename "$base-after.histo")" "$(load_average)" >"$base.json"
}

for mode in "${MODES[@]}"; do
  SERVER_KIND=bare
  start_bare "$OUT/bare-$mode-server.log"
  measure "$mode"
  stop_server
  SERVER_KIND=inos
  start_inos "$OUT/inos-$mode-server.log"
  measure "$mode"
  stop_server
done

echo "load_after=$(load_average)" >>"$OUT/facts.txt"
render
echo ">> wrote docs/benchmarks.md"
