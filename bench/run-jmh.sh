#!/usr/bin/env bash
# Builds the JMH uber-jar, runs the INOS benchmarks and writes their results into docs/benchmarks.md.
#
#   bench/run-jmh.sh                 build, run everything, render
#   bench/run-jmh.sh --no-build      run with the jar already in bench/target
#   bench/run-jmh.sh --render-only   render bench/target/jmh-result.json again, run nothing
#   JMH_OPTS="-i 10" bench/run-jmh.sh   extra JMH options, appended (later options win)
#
# The bench module builds against the inos-eventbus installed in ~/.m2; refresh it first with
#   ./mvnw -q -pl graceful,eventbus install -DskipTests
# The settings are modest on purpose (a 2-core machine; about 6 minutes for the whole run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
RUN=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --render-only) BUILD=0; RUN=0 ;;
    *) echo "unknown option: $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done

JAR=bench/target/benchmarks.jar
RESULT=bench/target/jmh-result.json
FACTS=bench/target/jmh-machine.txt
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ $BUILD == 1 ]]; then
  echo ">> building $JAR"
  ./mvnw -q -pl bench -am package
fi

# Same settings for every benchmark: one fork, 8 x 2 s warm-up, 5 x 2 s measurement, allocation per op (-prof gc),
# and a fixed 2 GiB heap so that heap resizing is not part of any figure. The warm-up is long because the JIT warms
# slowly on 2 cores: the bare round trip is steady after about 5 s, the whole lifecycle (far more code to compile)
# after about 10 s, at 10 to 20 times its steady time before that.
CMD=("$JAVA" -jar "$JAR" 'io.inos.bench.'
  -f 1 -wi 8 -w 2s -i 5 -r 2s
  -prof gc
  -jvmArgsAppend "-Xms2g -Xmx2g"
  -rf json -rff "$RESULT")
# shellcheck disable=SC2206
[[ -n "${JMH_OPTS:-}" ]] && CMD+=(${JMH_OPTS})

# The machine is shared: wait (up to QUIET_WAIT_S seconds, default 300) for the 1-minute load average to drop below
# QUIET_LOAD (default 1.0) before measuring; run anyway after that, and record how it went.
QUIET_LOAD="${QUIET_LOAD:-1.0}"
QUIET_WAIT_S="${QUIET_WAIT_S:-300}"
wait_for_quiet() {
  local waited=0 load
  while true; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v q="$QUIET_LOAD" 'BEGIN { exit !(l < q) }'; then
      echo "quiet=yes (1-minute load $load < $QUIET_LOAD after waiting ${waited} s)"
      return
    fi
    if (( waited >= QUIET_WAIT_S )); then
      echo "quiet=no (1-minute load still $load >= $QUIET_LOAD after waiting ${waited} s; run anyway)"
      return
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

# The command as one would type it: arguments with spaces in single quotes
shown() {
  local out="" arg
  for arg in "$@"; do
    if [[ "$arg" =~ [[:space:]] ]]; then out+=" '$arg'"; else out+=" $arg"; fi
  done
  echo "${out# }"
}

if [[ $RUN == 1 ]]; then
  echo ">> waiting for a quiet machine (1-minute load < $QUIET_LOAD, at most $QUIET_WAIT_S s)"
  QUIET="$(wait_for_quiet)"
  echo ">> ${QUIET#quiet=}"
  {
    echo "$QUIET"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command=cd $ROOT && $(shown "${CMD[@]}")"
  } > "$FACTS"
  echo ">> $(shown "${CMD[@]}")"
  "${CMD[@]}"
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$FACTS"
fi

python3 bench/render_results.py --result "$RESULT" --facts "$FACTS" --java "$JAVA" --doc docs/benchmarks.md
echo ">> wrote docs/benchmarks.md"
