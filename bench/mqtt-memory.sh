#!/usr/bin/env bash
# The idle-connection memory benchmark of issue 4: 15,000 idle MQTT connections to INOS (used heap after full
# collections, with jcmd) and to Mosquitto (resident memory; it has no heap), one server at a time; then renders the
# section "## MQTT (issue 4)" of docs/benchmarks.md (bench/render_mqtt.py; the rest is kept).
#
#   bench/mqtt-memory.sh                  build, measure both servers, render
#   bench/mqtt-memory.sh --no-build       use the jars already built
#   bench/mqtt-memory.sh --render-only    render again from bench/results/mqtt-memory/*.json
#
# Settings (environment): MQTT_IDLE_CONNECTIONS (15000), MQTT_IDLE_PROCESSES (2: a process may hold at most 20,000
# open files here, so the connections are spread over several MqttIdleConnections processes; the server holds them
# all, which caps the count below 20,000), MQTT_IDLE_MODES ("none own": connected only, or each also subscribed to a
# topic of its own, as a device waiting for commands). About 3 to 5 minutes. Traffic stays on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh
# shellcheck source=bench/lib-mqtt-servers.sh
source bench/lib-mqtt-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/mqtt-memory
CONNECTIONS=${MQTT_IDLE_CONNECTIONS:-15000}
PROCESSES=${MQTT_IDLE_PROCESSES:-2}
read -r -a MODES <<<"${MQTT_IDLE_MODES:-none own}"
WARMUP_CONNECTIONS=300
SERVER_JVM=(-Xms2g -Xmx2g -XX:+UseG1GC)
CLIENT_JVM=(-Xms768m -Xmx768m -XX:+UseG1GC)

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
  cp -p "${INOS_JAR:-verticles/target/inos-server.jar}" "$INOS_JAR_SNAPSHOT"
fi
INOS_JAR=$INOS_JAR_SNAPSHOT
render() {
  python3 bench/render_mqtt.py --doc docs/benchmarks.md --mqtt bench/results/mqtt --memory "$OUT"
}
if [[ $RUN == 0 ]]; then
  render
  exit 0
fi

bridge_servers_init
rm -f "$OUT"/*.json
machine_facts "$OUT/facts.txt"
echo "mosquitto=$("$MOSQUITTO" -h 2>&1 | head -1)" >>"$OUT/facts.txt"
echo "load_before=$(load_average)" >>"$OUT/facts.txt"

# used heap in KiB after two full collections (INOS); 0 for Mosquitto
heap_used_k() {
  [[ $SERVER_KIND == inos ]] || { echo 0; return; }
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.heap_info | sed -n 's/.*garbage-first heap.*used \([0-9]*\)K.*/\1/p' | head -1
}

rss_k() {
  awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"
}

# idle N MODE LOGBASE: starts the connections over $PROCESSES processes and waits until all are ready
IDLE_PIDS=()
idle() {
  local n=$1 mode=$2 base=$3 p
  IDLE_PIDS=()
  local per=$(( (n + PROCESSES - 1) / PROCESSES )) left=$n
  for ((p = 0; p < PROCESSES && left > 0; p++)); do
    local k=$(( left < per ? left : per ))
    left=$((left - k))
    local cmd=("$JAVA" "${CLIENT_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.mqtt.MqttIdleConnections
      --port "$SERVER_PORT" --connections "$k" --subscribe "$mode" --prefix "g$p" --hold-s 900)
    [[ $n == "$CONNECTIONS" ]] && echo "command_${SERVER_KIND}_${mode}_$p=${cmd[*]}" >>"$OUT/facts.txt"
    "${cmd[@]}" >"$base-$p.log" 2>&1 &
    IDLE_PIDS+=("$!")
    STARTED_PIDS+=("$!")
  done
  for ((p = 0; p < ${#IDLE_PIDS[@]}; p++)); do
    wait_for_line "$base-$p.log" '^idle: ready ' 420 "${IDLE_PIDS[$p]}"
    sed -n 's/^idle: //p' "$base-$p.log" | head -1 | sed 's/^/   /'
  done
}

stop_idle() {
  local pid
  for pid in "${IDLE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${IDLE_PIDS[@]}"; do wait_gone "$pid" 60 || kill -KILL "$pid" 2>/dev/null || true; done
}

# measure MODE: one server already started; writes $OUT/$SERVER_KIND-$MODE.json
measure() {
  local mode=$1 base="$OUT/$SERVER_KIND-$1"
  echo ">> $SERVER_KIND, $mode: warm-up with $WARMUP_CONNECTIONS connections"
  idle "$WARMUP_CONNECTIONS" "$mode" "$base-warmup"
  stop_idle
  sleep 2 # let the server notice the closes (on loopback, well within this)
  local heap_before rss_before heap_after rss_after heap_closed t0 open_s
  heap_before=$(heap_used_k)
  rss_before=$(rss_k)
  echo ">> $SERVER_KIND, $mode: $CONNECTIONS connections over $PROCESSES processes (heap before: ${heap_before}K)"
  t0=$SECONDS
  idle "$CONNECTIONS" "$mode" "$base-idle"
  open_s=$((SECONDS - t0))
  heap_after=$(heap_used_k)
  rss_after=$(rss_k)
  local fds
  fds=$(ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l)
  echo "   heap ${heap_after}K, RSS ${rss_after}K with the connections ($fds open files in the server)"
  stop_idle
  sleep 3
  heap_closed=$(heap_used_k)
  printf '{"server":"%s","mode":"%s","connections":%d,"processes":%d,"heapBeforeK":%d,"heapAfterK":%d,"heapClosedK":%d,"rssBeforeK":%d,"rssAfterK":%d,"serverOpenFiles":%d,"openS":%d,"load":"%s"}\n' \
    "$SERVER_KIND" "$mode" "$CONNECTIONS" "$PROCESSES" "$heap_before" "$heap_after" "$heap_closed" \
    "$rss_before" "$rss_after" "$fds" "$open_s" "$(load_average)" >"$base.json"
}

for mode in "${MODES[@]}"; do
  start_mosquitto "$OUT/mosquitto-$mode-server.log"
  measure "$mode"
  stop_server
  start_inos_mqtt "$OUT/inos-$mode-server.log"
  measure "$mode"
  stop_server
done

echo "load_after=$(load_average)" >>"$OUT/facts.txt"
render
echo ">> wrote docs/benchmarks.md"
