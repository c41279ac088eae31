#!/usr/bin/env bash
# Measures the workbench: local.sh wall time, cold starts (tuned against naive), warm invocations.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench-workbench.sh [--runs N] [--warm N] [--help]

Builds everything (with the naive baselines), then prints:
  1. the wall time of 'scripts/local.sh step-3' with everything already built;
  2. the cold start of steps 2 and 3 (the function's JVM launch to its answer) for the tuned
     package and for the naive one, alternating, in this same run;
  3. N warm invocations of step 2 in a row: invocations per second and traces missing documents.

  --runs N   runs per measurement in 1 and 2 (default 3)
  --warm N   invocations in 3 (default 1000)
  --help     show this help
USAGE
}

runs=3
warm=1000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --warm) warm="${2:?--warm needs a number}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-workbench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -Pbenchmarks package -DskipTests
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

workbench() {
  java -cp "workbench/target/classes:$(cat workbench/target/workbench.classpath)" \
    io.github.xrayworkbook.workbench.cli.WorkbenchCommand run --root "$root" --out "$out" --color never --quiet "$@" 2>/dev/null
}

cold_ms() {
  workbench "$@" | sed -n 's/.*cold start \([0-9]*\) ms.*/\1/p'
}

echo "1. scripts/local.sh step-3, wall time (target <= 4 s)"
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  scripts/local.sh step-3 --quiet --color never >/dev/null 2>&1
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v i="$i" 'BEGIN { printf "   run %d: %.2f s\n", i, ns / 1e9 }'
done

echo "2. Cold start, JVM launch to answer, ms (target: tuned <= 0.75 x naive)"
for n in 2 3; do
  tuned=()
  naive=()
  for ((i = 1; i <= runs; i++)); do
    tuned+=("$(cold_ms "step-$n")")
    naive+=("$(cold_ms "step-$n" --package "benchmarks/naive-step-$n/target/naive-step-$n-lambda.jar")")
  done
  awk -v step="$n" -v t="${tuned[*]}" -v n="${naive[*]}" 'BEGIN {
    split(t, a, " "); split(n, b, " "); st = 0; sn = 0
    for (i in a) st += a[i]; for (i in b) sn += b[i]
    printf "   step-%d: tuned %s (mean %.0f)  naive %s (mean %.0f)  ratio %.2f\n",
      step, t, st / length(a), n, sn / length(b), (st / length(a)) / (sn / length(b)) }'
done

echo "3. $warm invocations of step-2 in a row (target: 0 traces missing documents)"
echo "   $(workbench step-2 --invocations "$warm")"
