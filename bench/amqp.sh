#!/usr/bin/env bash
# The AMQP benchmark of issue 4: INOS -> RabbitMQ -> INOS throughput with publisher confirms. One INOS server runs
# the AMQP adapter (INOS_AMQP_URL, INOS_AMQP_BINDINGS) with two bindings on a queue of its own:
#   out: the event type bench:amqp_out:v1:completed -> RabbitMQ's default exchange, routing key = the queue
#        (persistent messages, publisher confirms: an event leaves the adapter only when the broker confirmed it)
#   in:  the queue -> the Nexus address bench:amqp_back (acknowledged once the Nexus took it)
# MqttLoadGenerator publishes the events through INOS's REST door (POST /api/events: the way in is not MQTT, since
# an event that came from MQTT is not sent back to MQTT clients) and receives them as an MQTT subscriber of the topic
# bench/amqp_back, counting every id. A sweep of rates (AMQP_RATES) of AMQP_DURATION_S (3) s a step, to saturation.
# Then renders the section "## AMQP (issue 4)" of docs/benchmarks.md (bench/render_mqtt.py; the rest is kept).
# RabbitMQ: AMQP_URL (amqp://guest:guest@127.0.0.1:5672); the queue (inos_bench_amqp_<time>_<pid>, not durable)
# is deleted at the end (amqp-delete-queue).
#
#   bench/amqp.sh [--no-build | --render-only]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh
# shellcheck source=bench/lib-mqtt-servers.sh
source bench/lib-mqtt-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/amqp
AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}
RATES=${AMQP_RATES:-250,500,1000,2000,4000,8000,16000}
DURATION_S=${AMQP_DURATION_S:-3}
SERVER_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)
GENERATOR_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)
QUEUE="inos_bench_amqp_$(date +%s)_$$"
EVENT_TYPE=bench:amqp_out:v1:completed

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
  python3 bench/render_mqtt.py --doc docs/benchmarks.md --amqp "$OUT"
}
if [[ $RUN == 0 ]]; then
  render
  exit 0
fi

delete_queue() {
  amqp-delete-queue --url="$AMQP_URL" --queue="$QUEUE" >/dev/null 2>&1 || echo "!! could not delete the queue $QUEUE" >&2
}
bridge_servers_init
trap 'bridge_servers_cleanup; delete_queue' EXIT
rm -f "$OUT"/*.json
machine_facts "$OUT/facts.txt"
echo "rabbitmq=$(rabbitmqctl version 2>/dev/null || echo unknown)" >>"$OUT/facts.txt"
echo "load_before=$(load_average)" >>"$OUT/facts.txt"

BINDINGS=$(printf '[{"name":"bench-out","direction":"out","address":"%s","exchange":"","routingKey":"%s"},{"name":"bench-in","direction":"in","exchange":"","queue":"%s","durable":false,"address":"bench:amqp_back"}]' \
  "$EVENT_TYPE" "$QUEUE" "$QUEUE")
echo "bindings=$BINDINGS" >>"$OUT/facts.txt"
INOS_EXTRA_ENV=("INOS_AMQP_URL=$AMQP_URL" "INOS_AMQP_BINDINGS=$BINDINGS")
echo ">> INOS with the AMQP adapter (queue $QUEUE)"
start_inos_mqtt "$OUT/inos-server.log"
cmd=("$JAVA" "${GENERATOR_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.mqtt.MqttLoadGenerator --label inos-amqp
  --port "$SERVER_PORT" --http-port "$INOS_HTTP_LISTEN_PORT" --event-type "$EVENT_TYPE" --workload p2p --publishers 1
  --subscribe-topic bench/amqp_back --qos 1 --rates "$RATES" --duration-s "$DURATION_S" --server-pid "$SERVER_PID"
  --clk-tck "$(getconf CLK_TCK)" --out "$OUT/inos-amqp.json")
echo ">> ${cmd[*]}"
echo "command_inos-amqp=${cmd[*]}" >>"$OUT/facts.txt"
"${cmd[@]}" | grep -v ' t=' || true
stop_server
echo "load_after=$(load_average)" >>"$OUT/facts.txt"
render
echo ">> wrote docs/benchmarks.md"
