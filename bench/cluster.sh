#!/usr/bin/env bash
# The cross-node benchmark of issue 5: event-bus publish throughput and latency when publisher and subscribers sit on
# different INOS nodes of one Hazelcast cluster (2 and 3 nodes), beside the single-node figure and the single node
# with Redis history on the feed (the history append's cost), all in one run; then renders the section
# "## Cross-node publish and history (issue 5)" of docs/benchmarks.md (the rest of the document is kept).
#
#   bench/cluster.sh                 build, run the four configurations, render
#   bench/cluster.sh --no-build      use the jars already built
#   bench/cluster.sh --render-only   render again from bench/results/cluster/*.json
#
# Each configuration: N INOS server JVMs on loopback (one shared throw-away database), the fan-out load generator in
# another JVM publishing event-bus frames over WebSocket to node 1 while its subscribers are connected to the other
# nodes (node 1 itself when N = 1), sweeping the publish rate until deliveries stop growing.
# Settings (environment): CLUSTER_SUBSCRIBERS (200), CLUSTER_RATES (50,100,200,400,800,1600,3200),
# CLUSTER_DURATION_S (6 per step). About 6 to 10 minutes on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=bench/lib-bridge-servers.sh
source bench/lib-bridge-servers.sh

bench_options "$0" "$@"   # sets BUILD and RUN

OUT=bench/results/cluster
SUBSCRIBERS=${CLUSTER_SUBSCRIBERS:-200}
RATES=${CLUSTER_RATES:-50,100,200,400,800,1600,3200}
DURATION_S=${CLUSTER_DURATION_S:-6}
FEED=feed:tick:v1:completed
SERVER_JVM=(-Xms512m -Xmx512m -XX:+UseG1GC)
GENERATOR_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC)
RULES='{"inboundPermitteds":[{"address":"feed:tick:v1:completed"}],"publicAddresses":["system","feed:tick:v1:completed"]}'

mkdir -p "$OUT"
if [[ $BUILD == 1 ]]; then
  echo ">> building the bench jar and the INOS server jar"
  ./mvnw -q -pl bench -am package -DskipTests
  ./mvnw -q -pl verticles -am package -DskipTests
fi
BENCH_JAR=$OUT/bench.jar
INOS_JAR=$OUT/inos-server.jar
if [[ $RUN == 1 ]]; then
  cp bench/target/benchmarks.jar "$BENCH_JAR"
  cp -p verticles/target/inos-server.jar "$INOS_JAR"
fi
render() {
  python3 bench/render_cluster.py --doc docs/benchmarks.md --dir "$OUT"
}
if [[ $RUN == 0 ]]; then
  render
  exit 0
fi

bridge_servers_init
machine_facts "$OUT/facts.txt"
echo "load_before=$(load_average)" >>"$OUT/facts.txt"
rm -f "$OUT"/*.json

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

NODE_PIDS=()
NODE_PORTS=()
# start_nodes N [EXTRA_ENV...]: N nodes (clustered when N > 1) sharing one database; fills NODE_PIDS and NODE_PORTS
start_nodes() {
  local n=$1
  shift
  NODE_PIDS=()
  NODE_PORTS=()
  INOS_DB="inos_bench_cluster_$(date +%s)_$$"
  local cluster="inos-bench-$RANDOM$RANDOM" members="" ports=() i
  for ((i = 0; i < n; i++)); do
    ports+=("$(free_port)")
    members+="${members:+,}127.0.0.1:${ports[$i]}"
  done
  for ((i = 0; i < n; i++)); do
    local log="$OUT/node-$n-$i.log"
    local cluster_env=(INOS_CLUSTER=false)
    if ((n > 1)); then
      cluster_env=(INOS_CLUSTER=true INOS_CLUSTER_NAME="$cluster" INOS_CLUSTER_HOST=127.0.0.1
        INOS_CLUSTER_PORT="${ports[$i]}" INOS_CLUSTER_MEMBERS="$members")
    fi
    env "${cluster_env[@]}" "$@" INOS_HTTP_PORT=0 INOS_HTTP_HOST=127.0.0.1 INOS_MQTT_PORT=-1 \
      INOS_PG_URL="postgresql://postgres@127.0.0.1:5432/$INOS_DB" INOS_PG_POOL_SIZE=2 \
      INOS_BRIDGE_RULES="$RULES" INOS_BRIDGE_MAX_INBOUND_PER_SECOND=1000000 \
      "$JAVA" "${SERVER_JVM[@]}" -jar "$INOS_JAR" >"$log" 2>&1 &
    NODE_PIDS+=($!)
    STARTED_PIDS+=($!)
    wait_for_line "$log" '^inos: listening on port [0-9]+' 180 "$!"
    NODE_PORTS+=("$(sed -n 's/^inos: listening on port \([0-9]*\).*/\1/p' "$log" | head -1)")
    if ((i == 0)); then
      # the first node creates and migrates the database before the others come
      local deadline=$((SECONDS + 60))
      until curl -fs "http://127.0.0.1:${NODE_PORTS[0]}/ready" >/dev/null 2>&1 || ((SECONDS >= deadline)); do
        sleep 0.5
      done
    fi
  done
  if ((n > 1)); then
    local deadline=$((SECONDS + 60))
    until [[ "$(curl -fs "http://127.0.0.1:${NODE_PORTS[0]}/health" | python3 -c \
      'import json,sys; print(len(json.load(sys.stdin)["cluster"]["members"]))' 2>/dev/null)" == "$n" ]]; do
      ((SECONDS < deadline)) || { echo "!! the cluster did not form" >&2; return 1; }
      sleep 0.5
    done
  fi
  echo "   $n node(s) on ports ${NODE_PORTS[*]}"
}

stop_nodes() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${NODE_PIDS[@]}"; do
    wait_gone "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
  done
  drop_inos_db
}

# measure LABEL: one generator sweep, publishing to node 1, subscribers on the other nodes (node 1 when alone)
measure() {
  local label=$1 subs
  if ((${#NODE_PORTS[@]} == 1)); then
    subs=${NODE_PORTS[0]}
  else
    subs=$(IFS=,; echo "${NODE_PORTS[*]:1}")
  fi
  local cmd=("$JAVA" "${GENERATOR_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.fanout.FanoutLoadGenerator
    --label "$label" --port "${NODE_PORTS[0]}" --subscriber-ports "$subs" --subscribers "$SUBSCRIBERS"
    --duration-s "$DURATION_S" --drain-s 4 --warmup-s 6 --warmup-rate 50 --rates "$RATES"
    --address "$FEED" --publisher ws --body envelope --event-type "$FEED" --server-pid "${NODE_PIDS[0]}"
    --clk-tck "$(getconf CLK_TCK)" --out "$OUT/$label.json")
  echo ">> ${cmd[*]}"
  echo "command_$label=${cmd[*]}" >>"$OUT/facts.txt"
  "${cmd[@]}" | grep -v ' t=' || true
  [[ -s "$OUT/$label.json" ]] || { echo "!! the generator wrote no $OUT/$label.json" >&2; return 1; }
}

echo ">> single node"
start_nodes 1
measure single
stop_nodes

echo ">> single node, Redis history on the feed"
PREFIX="inos-bench-$RANDOM$RANDOM:"
start_nodes 1 INOS_REDIS_URL=redis://127.0.0.1:6379 \
  INOS_REDIS_EXTENSION="{\"keyPrefix\":\"$PREFIX\",\"historyScopes\":[{\"pattern\":\"feed:*\",\"maxLength\":10000}]}"
measure single-history
stream_len=$(redis-cli --scan --pattern "$PREFIX*" | head -5 | tr '\n' ' ')
echo "history_keys=$stream_len" >>"$OUT/facts.txt"
stop_nodes
redis-cli --scan --pattern "$PREFIX*" | xargs -r redis-cli del >/dev/null

echo ">> two nodes"
start_nodes 2
measure two-nodes
stop_nodes

echo ">> three nodes"
start_nodes 3
measure three-nodes
stop_nodes

echo "load_after=$(load_average)" >>"$OUT/facts.txt"
render
