# Sourced by bench/fanout.sh and bench/memory.sh: starts and stops the two servers they compare, the same way.
#
#   BENCH_JAR      the bench jar (BareBridgeServer, FanoutLoadGenerator, IdleConnections)
#   INOS_JAR       the INOS server jar (io.inos.server.Main)
#   SERVER_JVM     JVM options of both servers (an array)
# After start_bare / start_inos: SERVER_PID and SERVER_PORT. Every process started here is stopped by
# stop_server or, at the latest, by the EXIT trap that bridge_servers_init installs.

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
STARTED_PIDS=()
INOS_DB=""

# bench_options SCRIPT ARGS...: the options every bench script takes; sets BUILD (build the jars first) and RUN
# (measure; 0 = only render the document again from the results already there)
bench_options() {
  local script=$1 arg
  shift
  BUILD=1
  RUN=1
  for arg in "$@"; do
    case "$arg" in
      --no-build) BUILD=0 ;;
      --render-only) BUILD=0; RUN=0 ;;
      *) echo "unknown option: $arg (see the header of $script)" >&2; exit 2 ;;
    esac
  done
}

# The jar that renders a report: the run's own copy ($1) when a run made one, else the bench module's build (built
# when missing, e.g. for --render-only on a fresh checkout: the results are kept in bench/results, the jars are not).
report_jar() {
  if [[ -f "$1" ]]; then
    echo "$1"
    return
  fi
  [[ -f bench/target/benchmarks.jar ]] || ./mvnw -q -pl bench -am package -DskipTests >&2
  echo bench/target/benchmarks.jar
}

bridge_servers_init() {
  trap bridge_servers_cleanup EXIT
  # each process may hold at most 20,000 open files here (the hard limit): take all of it
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

bridge_servers_cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
  done
  drop_inos_db
}

# wait_gone PID SECONDS: returns 0 once PID has exited, 1 if it is still there after SECONDS
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
  return 0
}

# wait_for_line LOG REGEX SECONDS PID: waits until LOG has a line matching REGEX; fails if PID dies or time runs out
wait_for_line() {
  local log=$1 regex=$2 deadline=$((SECONDS + $3)) pid=$4
  until grep -qE "$regex" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "!! process $pid ended before printing '$regex'; its log ($log):" >&2
      tail -20 "$log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "!! no '$regex' in $log after $3 s" >&2
      tail -20 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# start_bare LOG: the stock vertx-web SockJS bridge, on any free port
start_bare() {
  local log=$1
  "$JAVA" "${SERVER_JVM[@]}" -cp "$BENCH_JAR" io.inos.bench.fanout.BareBridgeServer --port 0 >"$log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_for_line "$log" '^bare-bridge: listening on port [0-9]+' 60 "$SERVER_PID"
  SERVER_PORT=$(sed -n 's/^bare-bridge: listening on port \([0-9]*\).*/\1/p' "$log" | head -1)
}

# start_inos LOG: the whole INOS server (io.inos.server.Main), on any free port, with a throw-away database
start_inos() {
  local log=$1
  INOS_DB="inos_bench_$(date +%s)_$$"
  # the bench's feed is a public address anyone may publish to (the bare bridge permits everything on its
  # address), the idle-connection probe may be posted (it reaches each connection at its own user: address), and
  # the one publishing connection may send more than the default 100 frames per second
  INOS_HTTP_PORT=0 INOS_HTTP_HOST=127.0.0.1 INOS_MQTT_PORT=-1 \
    INOS_PG_URL="postgresql://postgres@127.0.0.1:5432/$INOS_DB" \
    INOS_BRIDGE_RULES='{"inboundPermitteds":[{"address":"feed:tick:v1:completed"},{"address":"bench:probe:v1:completed"}],"publicAddresses":["system","feed:tick:v1:completed","bench:probe:v1:completed"]}' \
    INOS_BRIDGE_MAX_INBOUND_PER_SECOND=1000000 \
    "$JAVA" "${SERVER_JVM[@]}" -jar "$INOS_JAR" >"$log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_for_line "$log" '^inos: listening on port [0-9]+' 120 "$SERVER_PID"
  SERVER_PORT=$(sed -n 's/^inos: listening on port \([0-9]*\).*/\1/p' "$log" | head -1)
  # the server listens before PostgreSQL is migrated; let the migration finish so it is not part of any figure
  local deadline=$((SECONDS + 60))
  until curl -fs "http://127.0.0.1:$SERVER_PORT/ready" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "!! INOS not ready after 60 s (measuring anyway): $(curl -s "http://127.0.0.1:$SERVER_PORT/ready")" >&2
      break
    fi
    sleep 0.5
  done
}

# stop_server: SIGTERM, then SIGKILL after 30 s
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait_gone "$SERVER_PID" 30 || kill -KILL "$SERVER_PID" 2>/dev/null || true
  drop_inos_db
}

drop_inos_db() {
  if [[ -n "$INOS_DB" ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$INOS_DB\" WITH (FORCE)" \
      >/dev/null 2>&1 || echo "!! could not drop the database $INOS_DB" >&2
    INOS_DB=""
  fi
}

# machine_facts FILE: what the report says about the machine and the build
machine_facts() {
  local file=$1
  {
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
    echo "memory=$(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel=$(uname -r)"
    echo "java=$("$JAVA" -version 2>&1 | tail -1)"
    echo "git=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "inos_jar=$(date -u -r "$INOS_JAR" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"
    echo "server_jvm=${SERVER_JVM[*]}"
    echo "open_files=$(ulimit -n)"
  } >"$file"
}

load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}
