#!/usr/bin/env bash
# Measures the workbench: local.sh against the function's own cold start, cold starts of tuned
# against naive packages and of every step against step 3, and warm invocations.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/bench-workbench.sh [--runs N] [--warm N] [--concurrency C] [--help]

Builds everything (with the naive baselines), then prints, all from this one run:
  1. the wall time of 'scripts/local.sh step-3' with everything already built, the function's
     cold start that the same run reports, and their ratio (target <= 1.5): what the workbench
     costs around the function;
  2. the cold start (the function's init plus its handling of the event) of each step that has a
     naive build under benchmarks/, for the tuned package and for the naive one, alternating;
  3. the cold start of every step, the steps alternating, with its two parts apart: the init
     phase (Restore for a step with SnapStart, whose init happens at publish time in AWS) and the
     first invocation, and the ratio of each to step 3's (the X-Ray SDK with a subsegment). No
     target: the numbers are the lesson of chapters 7 and 8;
  4. N warm invocations of step 2 in a row: invocations per second and traces missing documents;
  5. the same N invocations of step 2 sent at once to one environment that runs C at a time, as
     on Lambda Managed Instances (workbench run --max-concurrency C), beside 4's rate;
  6. what step 8's ways of reading at once cost: 200 invocations in a row of each handler, the
     handlers alternating, their warm mean latency and its ratio to ThreadPerInvocationHandler's
     (the step's own, which makes its threads in each invocation); EntityPassingHandler does the
     same traced work on a pool made once, so their ratio is the price of the threads.

  --runs N          runs per measurement in 1, 2, 3 and 6 (default 3)
  --warm N          invocations in 4 and 5 (default 1000)
  --concurrency C   invocations at a time in 5 (default 8)
  --only N          run measurement N alone (1 to 6)
  --help            show this help
USAGE
}

runs=3
warm=1000
concurrency=8
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --warm) warm="${2:?--warm needs a number}"; shift 2 ;;
    --concurrency) concurrency="${2:?--concurrency needs a number}"; shift 2 ;;
    --only) only="${2:?--only needs a number}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-workbench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] \
  || { echo "bench-workbench.sh: --runs takes a whole number from 1, not '$runs'" >&2; exit 2; }
[[ "$warm" =~ ^[1-9][0-9]*$ ]] \
  || { echo "bench-workbench.sh: --warm takes a whole number from 1, not '$warm'" >&2; exit 2; }
if ! [[ "$concurrency" =~ ^[1-9][0-9]*$ ]] || ((concurrency > 1600)); then
  echo "bench-workbench.sh: --concurrency takes a whole number from 1 to 1600, not '$concurrency'" >&2
  exit 2
fi

[[ -z "$only" || "$only" =~ ^[1-6]$ ]] \
  || { echo "bench-workbench.sh: --only takes a measurement from 1 to 6, not '$only'" >&2; exit 2; }

# True when measurement $1 is to run.
want() {
  [[ -z "$only" || "$only" == "$1" ]]
}

require_clock

root="$WORKBOOK_ROOT"
cd "$root"
./mvnw -B -q -Pbenchmarks package -DskipTests
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# One run of local.sh first, so that its build check and its Class Data Sharing archive are done.
scripts/local.sh step-3 --quiet --color never --out "$out" >/dev/null 2>&1

workbench() {
  java -XX:TieredStopAtLevel=1 -jar workbench/target/xray-workbench.jar run --root "$root" --out "$out" \
    --color never --quiet "$@" 2>/dev/null
}


cold_ms() {
  sed -n 's/.*cold start \([0-9]*\) ms.*/\1/p'
}

# Prints "label: A (mean) B (mean) ratio" from two lists of numbers. The counts come from split,
# not length(array), which not every awk has.
compare() {
  awk -v label="$1" -v a="$2" -v b="$3" -v names="$4" 'BEGIN {
    na = split(a, x, " "); nb = split(b, y, " "); split(names, n, " "); sa = 0; sb = 0
    for (i in x) sa += x[i]; for (i in y) sb += y[i]
    printf "   %s: %s %s (mean %.0f)  %s %s (mean %.0f)  ratio %.2f\n",
      label, n[1], a, sa / na, n[2], b, sb / nb, (sa / na) / (sb / nb) }'
}

if want 1; then
  echo "1. scripts/local.sh step-3: wall time / the function's cold start (target <= 1.5)"
  walls=()
  colds=()
  for ((i = 1; i <= runs; i++)); do
    start=$(now_ms)
    cold="$(scripts/local.sh step-3 --quiet --color never --out "$out" 2>/dev/null | cold_ms)"
    end=$(now_ms)
    wall=$((end - start))
    walls+=("$wall")
    colds+=("$cold")
    awk -v i="$i" -v w="$wall" -v c="$cold" 'BEGIN { printf "   run %d: wall %d ms, cold start %d ms, ratio %.2f\n", i, w, c, w / c }'
  done
  # bash32: non-empty: --runs is at least 1, so each loop above added to both lists
  compare "step-3" "${walls[*]}" "${colds[*]}" "wall cold-start"
fi

if want 2; then
  echo "2. Cold start, ms (tuned against naive)"
  for module in $(step_modules); do
    resolve_step "$module"
    [[ -f "benchmarks/naive-$STEP/pom.xml" ]] || continue
    tuned=()
    naive=()
    for ((i = 1; i <= runs; i++)); do
      tuned+=("$(workbench "$STEP" | cold_ms)")
      naive+=("$(workbench "$STEP" --package "benchmarks/naive-$STEP/target/naive-$STEP-lambda.jar" | cold_ms)")
    done
    # bash32: non-empty: --runs is at least 1, so the loop above added to both lists
    compare "$STEP" "${tuned[*]}" "${naive[*]}" "tuned naive"
  done
fi

if want 3; then
  echo "3. Cold start of every step, alternating, ms: its init (or restore) and first invocation, ratio to step 3"
  # One line a run in out/STEP.runs: init-or-restore, first invocation, cold start.
  for ((i = 1; i <= runs; i++)); do
    for module in $(step_modules); do
      resolve_step "$module"
      workbench "$STEP" | awk '
        /^(Init|Restore): [0-9]+ ms/ { phase = $2 }
        /^First invocation handler: [0-9]+ ms/ { first = $4 }
        /cold start [0-9]+ ms/ { sub(/.*cold start /, ""); sub(/ ms.*/, ""); total = $0 }
        END { print phase, first, total }' >>"$out/$STEP.runs"
    done
  done
  resolve_step step-3
  baseline="$(awk '{ p += $1; f += $2; t += $3; n++ } END { printf "%f %f %f", p / n, f / n, t / n }' "$out/$STEP.runs")"
  for module in $(step_modules); do
    resolve_step "$module"
    phase=Init
    [[ "$SNAPSTART" == false ]] || phase=Restore
    awk -v step="$STEP" -v phase="$phase" -v base="$baseline" '
      { p += $1; f += $2; t += $3; n++ }
      END {
        split(base, b, " ")
        printf "   %-7s %-7s %6.0f (%4.2f)  first invocation %6.0f (%4.2f)  cold start %6.0f (%4.2f)\n",
          step, phase, p / n, (p / n) / b[1], f / n, (f / n) / b[2], t / n, (t / n) / b[3] }' "$out/$STEP.runs"
  done
  echo "   (means of $runs runs each; step 3 is the baseline of every ratio)"
fi

if want 4 || want 5; then
  echo "4. $warm invocations of step-2 in a row (target: 0 traces missing documents)"
  one_at_a_time="$(workbench step-2 --invocations "$warm" | grep 'invocation(s)')"
  echo "   $one_at_a_time"

  echo "5. The same $warm invocations of step-2 sent at once, $concurrency at a time (Lambda Managed Instances)"
  at_once="$(workbench step-2 --invocations "$warm" --max-concurrency "$concurrency" | grep 'invocation(s)')"
  echo "   $at_once"
  rate() {
    sed -n 's/.*; \([0-9.]*\) invocations\/s.*/\1/p'
  }
  awk -v a="$(rate <<<"$at_once")" -v b="$(rate <<<"$one_at_a_time")" \
    'BEGIN { printf "   %s invocations/s at once against %s one at a time: ratio %.2f\n", a, b, a / b }'
fi

if want 6; then
  echo "6. Step 8's handlers, 200 invocations in a row each, alternating: warm mean latency, ms"
  handlers="ThreadPerInvocationHandler EntityPassingHandler SharedPoolHandler"
  for ((i = 1; i <= runs; i++)); do
    for handler in $handlers; do
      workbench step-8 --no-compare --invocations 200 --handler "io.github.xrayworkbook.step8.$handler::handleRequest" \
        | sed -n 's/.*warm mean \([0-9.]*\) ms.*/\1/p' >>"$out/$handler.warm"
    done
  done
  base="$(awk '{ s += $1; n++ } END { printf "%f", s / n }' "$out/ThreadPerInvocationHandler.warm")"
  for handler in $handlers; do
    awk -v name="$handler" -v base="$base" '{ s += $1; n++; all = all " " $1 }
      END { printf "   %-27s%s (mean %.1f)  ratio %.2f\n", name, all, s / n, (s / n) / base }' "$out/$handler.warm"
  done
  echo "   (ratios to ThreadPerInvocationHandler, the step's own; one S3 read is about a third of the work)"
fi
