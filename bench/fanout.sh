#!/usr/bin/env bash
# The bridge fan-out benchmark of issue 3: the same workload against the bare Vert.x 5 SockJS bridge
# (io.inos.bench.fanout.BareBridgeServer) and against INOS (io.inos.server.Main), one after the other, each in its
# own JVM with the same flags, driven by FanoutLoadGenerator in a third JVM; then renders the section
# "## Bridge fan-out and idle connections (issue 3)" of docs/benchmarks.md (the rest of the document is kept).
#
#   bench/fanout.sh                  build, run both servers, render
#   bench/fanout.sh --no-build       use the jars already built (bench/target/benchmarks.jar, verticles/target/inos-server.jar)
#   bench/fanout.sh --render-only    render again from bench/results/fanout/*.json, run nothing
#
# Settings (environment): FANOUT_SUBSCRIBERS (1000), FANOUT_RATES (10,20,40,...,1280 messages/s),
# FANOUT_DURATION_S (8 per step), FANOUT_CHECK_DURATION_S (10), INOS_PUBLISHER (ws, the default: event-bus publish
# frames over WebSocket, as to the bare bridge; http: POST /api/events), INOS_FEED_ADDRESS (http:
# campaign:bench_feed; ws: the event type feed:tick:v1:completed), INOS_JAR (a prebuilt INOS server jar).
# Every loop is bounded: each step publishes rate x duration messages and waits at most FANOUT_DRAIN_S for
# stragglers; the sweep ends at saturation. About 6 to 9 minutes on 2 cores. Traffic stays on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/fanout
SUBSCRIBERS=${FANOUT_SUBSCRIBERS:-1000}
RATES=${FANOUT_RATES:-10,20,40,80,160,320,640,1280}
DURATION_S=${FANOUT_DURATION_S:-8}
DRAIN_S=${FANOUT_DRAIN_S:-5}
CHECK_DURATION_S=${FANOUT_CHECK_DURATION_S:-10}
INOS_PUBLISHER=${INOS_PUBLISHER:-ws}
SERVER_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)
GENERATOR_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)

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
  # copies, so that a build by someone else during the run changes nothing measured
  cp bench/target/benchmarks.jar "$BENCH_JAR"
  cp -p "${INOS_JAR:-verticles/target/inos-server.jar}" "$INOS_JAR_SNAPSHOT"   # -p: keeps the build time
fi
INOS_JAR=$INOS_JAR_SNAPSHOT
render() {
  "$JAVA" -cp "$(report_jar "$BENCH_JAR")" io.inos.bench.fanout.BridgeBenchReport --doc docs/benchmarks.md \
    --fanout "$OUT" --memory bench/results/memory
}
if [[ $RUN == 0 ]]; then
  render
  exit 0
fi

bridge_servers_init
machine_facts "$OUT/facts.txt"
echo "load_before=$(load_average)" >>"$OUT/facts.txt"
rm -f "$OUT"/{bare,inos}-{sweep,check}.json

# generate LABEL OUTFILE ARGS...: one generator run against the server started last
generate() {
  local label=$1 out=$2
  shift 2
  local cmd=("$JAVA" "${GENERATOR_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.fanout.FanoutLoadGenerator
    --label "$label" --port "$SERVER_PORT" --subscribers "$SUBSCRIBERS" --duration-s "$DURATION_S"
    --drain-s "$DRAIN_S" --check-duration-s "$CHECK_DURATION_S" --server-pid "$SERVER_PID"
    --clk-tck "$(getconf CLK_TCK)" --out "$out" "$@")
  echo ">> ${cmd[*]}"
  echo "command_${label}_$(basename "$out" .json | sed 's/.*-//')=${cmd[*]}" >>"$OUT/facts.txt"
  "${cmd[@]}" | grep -v ' t=' || true   # the per-second progress lines stay out of the script's output
  [[ -s "$out" ]] || { echo "!! the generator wrote no $out" >&2; return 1; }
}

BARE_ARGS=(--address feed.bench --publisher ws --body plain)
if [[ $INOS_PUBLISHER == ws ]]; then
  # the bridge publishes an event to its type (and to the sender's own user: scope), so publisher and subscribers
  # meet at the event type: the rules must permit publishing to it and registering at it
  INOS_FEED_ADDRESS=${INOS_FEED_ADDRESS:-feed:tick:v1:completed}
  INOS_ARGS=(--address "$INOS_FEED_ADDRESS" --publisher ws --body envelope --event-type "$INOS_FEED_ADDRESS")
else
  # POST /api/events: the Nexus publishes the event to its type and to campaign:{campaign_id}, where the default
  # outbound rules let guests register
  INOS_FEED_ADDRESS=${INOS_FEED_ADDRESS:-campaign:bench_feed}
  INOS_ARGS=(--address "$INOS_FEED_ADDRESS" --publisher http --body envelope --event-type feed:tick:v1:completed
    --campaign "${INOS_FEED_ADDRESS#campaign:}")
fi

echo ">> bare Vert.x SockJS bridge: sweep"
start_bare "$OUT/bare-server.log"
echo "bare_port=$SERVER_PORT" >>"$OUT/facts.txt"
generate bare "$OUT/bare-sweep.json" "${BARE_ARGS[@]}" --rates "$RATES"
HALF=$("$JAVA" -cp "$BENCH_JAR" io.inos.bench.fanout.BridgeBenchReport --half-rate "$OUT/bare-sweep.json")
echo ">> half the bare bridge's saturation rate: $HALF messages/s"
echo "half_rate=$HALF" >>"$OUT/facts.txt"
# the check runs warm up at the check rate or 25 msg/s, whichever is lower: below saturation either way
WARMUP_RATE=$(( ${HALF%.*} < 25 ? (${HALF%.*} > 0 ? ${HALF%.*} : 1) : 25 ))
generate bare "$OUT/bare-check.json" "${BARE_ARGS[@]}" --rates "" --check-rate "$HALF" --warmup-rate "$WARMUP_RATE"
stop_server

echo ">> INOS: sweep"
start_inos "$OUT/inos-server.log"
echo "inos_port=$SERVER_PORT" >>"$OUT/facts.txt"
generate inos "$OUT/inos-sweep.json" "${INOS_ARGS[@]}" --rates "$RATES"
generate inos "$OUT/inos-check.json" "${INOS_ARGS[@]}" --rates "" --check-rate "$HALF" --warmup-rate "$WARMUP_RATE"
stop_server

echo "load_after=$(load_average)" >>"$OUT/facts.txt"
"$JAVA" -cp "$BENCH_JAR" io.inos.bench.fanout.BridgeBenchReport --append-history "$OUT"
render
echo ">> wrote docs/benchmarks.md"
