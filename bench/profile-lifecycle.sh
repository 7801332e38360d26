#!/usr/bin/env bash
# Profiles LifecycleBenchmark.nexusRequest with Java Flight Recorder and prints where a round trip spends its CPU and
# its allocations (bench/jfr_breakdown.py). Two recordings: the default Nexus, and one whose duplicate filter keeps
# no answer (-Dbench.nexus.duplicateAnswerCapacity=0), to separate the work of a round trip from the cost of the
# answers the filter keeps. About 2 minutes; uses the jar that bench/run-jmh.sh built. The warm-up is as long as
# run-jmh.sh's, so the recording is of the steady state, not of the JIT compiling the lifecycle.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=bench/target/profile
mkdir -p "$OUT"
JAVA_BIN="$(dirname "$(readlink -f "$(command -v java)")")"
JAVA_HOME_DIR="${JAVA_HOME:-$(dirname "$JAVA_BIN")}"

# The JDK's "profile" settings, sampling Java stacks every 1 ms (not 10) and up to 10000 allocations a second
sed -e 's|method-sampling-java-interval">10 ms<|method-sampling-java-interval">1 ms<|' \
    -e 's|allocation-profiling">300/s<|allocation-profiling">10000/s<|' \
    "$JAVA_HOME_DIR/lib/jfr/profile.jfc" > "$OUT/hot.jfc"

for variant in default keep-none; do
  extra=""
  [[ $variant == keep-none ]] && extra="-Dbench.nexus.duplicateAnswerCapacity=0"
  echo ">> nexusRequest, $variant duplicate filter"
  java -jar bench/target/benchmarks.jar 'LifecycleBenchmark.nexusRequest$' -f 1 -wi 8 -w 2s -i 4 -r 3s -prof gc \
    -jvmArgsAppend "-Xms2g -Xmx2g $extra -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=settings=$OUT/hot.jfc,filename=$OUT/$variant.jfr,stackdepth=128" \
    | tee "$OUT/$variant.txt" | grep -E '^LifecycleBenchmark' | grep -v 'gc.alloc.rate '
  bytes=$(awk '/nexusRequest:gc.alloc.rate.norm/ {gsub(",", "", $4); print $4}' "$OUT/$variant.txt")
  python3 bench/jfr_breakdown.py "$OUT/$variant.jfr" --bytes-per-op "${bytes:-0}" | tee "$OUT/$variant-breakdown.txt"
done
