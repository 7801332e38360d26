#!/usr/bin/env bash
# Builds INOS and runs the server on a fresh machine: starts (installing if needed) the local PostgreSQL,
# builds the runnable jar and starts it. Configuration: INOS_* environment variables or --conf file.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh postgresql
command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; }
./mvnw -B -ntp -q package -DskipTests
# MQTT's standard port is often taken by a local Mosquitto (it is on the development machines): then take 1884,
# unless the operator chose (INOS_MQTT_PORT, or a config file that may name mqtt.port)
if [[ -z "${INOS_MQTT_PORT:-}" && -z "${INOS_CONF:-}" && " $* " != *" --conf"* ]] \
  && (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  export INOS_MQTT_PORT=1884
  echo "run-server: port 1883 is taken (Mosquitto?): INOS's MQTT server takes 1884; set INOS_MQTT_PORT to choose" >&2
fi
exec java -jar verticles/target/inos-server.jar "$@"
