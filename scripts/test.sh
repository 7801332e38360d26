#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs and starts the servers the tests use, then runs every
# module's tests through the Maven wrapper (which fetches Maven 3.9 itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
e2e/setup.sh   # Chromium (Debian) and the npm clients of the browser test
command -v java >/dev/null || { echo "[test] installing a JDK"; apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; }
# the churn test holds 10,000 WebSocket clients in the test JVM: take every open file the machine allows
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "[test] ./mvnw -B verify"
exec ./mvnw -B -ntp verify "$@"
