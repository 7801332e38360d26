#!/usr/bin/env bash
# Builds INOS and runs the server on a fresh machine: starts (installing if needed) the local PostgreSQL,
# builds the runnable jar and starts it. Configuration: INOS_* environment variables or --conf file.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh postgresql
command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; }
./mvnw -B -ntp -q package -DskipTests
exec java -jar verticles/target/inos-server.jar "$@"
