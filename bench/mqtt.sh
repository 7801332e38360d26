#!/usr/bin/env bash
# The MQTT throughput benchmark of issue 4: the same workloads against Mosquitto (Debian's, started here on a free
# port with a generated config) and against INOS (io.inos.server.Main, its MQTT port), one server at a time, each
# driven by MqttLoadGenerator in a JVM of its own with the same flags; then renders the section "## MQTT (issue 4)"
# of docs/benchmarks.md (bench/render_mqtt.py; the rest of the document is kept).
#
#   bench/mqtt.sh                  build, run both servers, render
#   bench/mqtt.sh --no-build       use the jars already built
#   bench/mqtt.sh --render-only    render again from bench/results/mqtt/*.json
#
# Workloads (MQTT_WORKLOADS, "fanin fanout p2p"), each at QoS 0 and 1 (MQTT_QOS, "0 1"):
#   fanin   100 publishers -> one topic -> 1 subscriber
#   fanout  1 publisher -> one topic -> 1,000 subscribers
#   p2p     10 pairs, publisher i -> its own topic -> subscriber i
# Each: a sweep of publish rates (messages/s, all publishers together; MQTT_RATES_FANIN, MQTT_RATES_FANOUT,
# MQTT_RATES_P2P) of MQTT_DURATION_S (3) seconds a step, ending at saturation; then a check step of
# MQTT_CHECK_DURATION_S (6) at half the highest rate Mosquitto sustained, on both servers (the same offered load),
# after MQTT_CHECK_WARMUP_S (5) unmeasured seconds at that rate: the check runs in a generator JVM of its own, and
# without them its p99 was the generator's own start (JIT, first connections), 100 times the sweep's at that rate.
# The checks run with both servers up, in turn, MQTT_CHECK_REPEATS (5) times each; the verdict takes the medians.
# Every loop is bounded (steps, drain, settle). About 20 to 25 minutes on 2 cores. Traffic stays on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh
# shellcheck source=bench/lib-mqtt-servers.sh
source bench/lib-mqtt-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/mqtt
read -r -a WORKLOADS <<<"${MQTT_WORKLOADS:-fanin fanout p2p}"
read -r -a QOS_LEVELS <<<"${MQTT_QOS:-0 1}"
declare -A RATES=(
  [fanin]=${MQTT_RATES_FANIN:-500,1000,2000,4000,8000,16000,32000,64000,128000}
  [fanout]=${MQTT_RATES_FANOUT:-2,5,10,20,40,80,160,320}
  [p2p]=${MQTT_RATES_P2P:-500,1000,2000,4000,8000,16000,32000,64000,128000}
)
DURATION_S=${MQTT_DURATION_S:-3}
CHECK_DURATION_S=${MQTT_CHECK_DURATION_S:-6}
CHECK_WARMUP_S=${MQTT_CHECK_WARMUP_S:-5}
CHECK_REPEATS=${MQTT_CHECK_REPEATS:-5}
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
  cp -p "${INOS_JAR:-verticles/target/inos-server.jar}" "$INOS_JAR_SNAPSHOT"
fi
INOS_JAR=$INOS_JAR_SNAPSHOT
render() {
  python3 bench/render_mqtt.py --doc docs/benchmarks.md --mqtt "$OUT" --memory bench/results/mqtt-memory
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

# generate NAME ARGS...: one generator run against the server started last; writes $OUT/NAME.json
generate() {
  local name=$1
  shift
  local cmd=("$JAVA" "${GENERATOR_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.mqtt.MqttLoadGenerator
    --label "$name" --port "$SERVER_PORT" --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)"
    --duration-s "$DURATION_S" --check-duration-s "$CHECK_DURATION_S" --out "$OUT/$name.json" "$@")
  echo ">> ${cmd[*]}"
  echo "command_$name=${cmd[*]}" >>"$OUT/facts.txt"
  "${cmd[@]}" | grep -v ' t=' || true   # the per-second progress lines stay out of the script's output
  [[ -s "$OUT/$name.json" ]] || echo "!! the generator wrote no $OUT/$name.json" >&2
}

# half the highest sweep rate a run sustained (no loss, >= 95% delivered, p99 under 1 s); at least 1
half_sustained() {
  python3 - "$1" <<'PY'
import json, sys
try:
    steps = json.load(open(sys.argv[1]))["steps"]
except (OSError, ValueError, KeyError):
    steps = []
ok = [s["rate"] for s in steps if s["kind"] == "sweep" and not s["saturated"]]
print(max(1, int(max(ok) / 2)) if ok else 1)
PY
}

echo ">> Mosquitto: sweeps"
start_mosquitto "$OUT/mosquitto-server.log"
declare -A CHECK
for w in "${WORKLOADS[@]}"; do
  for q in "${QOS_LEVELS[@]}"; do
    generate "mosquitto-$w-q$q" --workload "$w" --qos "$q" --rates "${RATES[$w]}"
    CHECK[$w-$q]=$(half_sustained "$OUT/mosquitto-$w-q$q.json")
    echo "check_rate_$w-q$q=${CHECK[$w-$q]}" >>"$OUT/facts.txt"
  done
done
stop_server

echo ">> INOS: sweeps"
start_inos_mqtt "$OUT/inos-server.log"
for w in "${WORKLOADS[@]}"; do
  for q in "${QOS_LEVELS[@]}"; do
    generate "inos-$w-q$q" --workload "$w" --qos "$q" --rates "${RATES[$w]}"
  done
done
INOS_SERVER=("$SERVER_PID" "$SERVER_PORT")

# The checks: both servers up (the one not measured is idle), measured in turn, CHECK_REPEATS times each, so that
# the machine's drift over the run falls on both alike; the verdict takes each server's median p99.
echo ">> checks, the two servers in turn"
start_mosquitto "$OUT/mosquitto-check-server.log"
MOSQUITTO_SERVER=("$SERVER_PID" "$SERVER_PORT")
for w in "${WORKLOADS[@]}"; do
  for q in "${QOS_LEVELS[@]}"; do
    for r in $(seq 1 "$CHECK_REPEATS"); do
      for server in mosquitto inos; do
        if [[ $server == mosquitto ]]; then
          SERVER_PID=${MOSQUITTO_SERVER[0]} SERVER_PORT=${MOSQUITTO_SERVER[1]}
        else
          SERVER_PID=${INOS_SERVER[0]} SERVER_PORT=${INOS_SERVER[1]}
        fi
        generate "$server-$w-q$q-check$r" --workload "$w" --qos "$q" --rates "" --check-rate "${CHECK[$w-$q]}" \
          --warmup-rate "${CHECK[$w-$q]}" --warmup-s "$CHECK_WARMUP_S"
      done
    done
  done
done
SERVER_PID=${MOSQUITTO_SERVER[0]}
stop_server
SERVER_PID=${INOS_SERVER[0]}
stop_server

echo "load_after=$(load_average)" >>"$OUT/facts.txt"
render
echo ">> wrote docs/benchmarks.md"
