#!/usr/bin/env bash
# Measures what priming and SnapStart do to the first invocation of step 2's function, locally.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/bench-snapstart.sh [--runs N] [--no-build] [--help]

Runs step 2's function three ways, alternating, N times each, all in this one run:
  step-2        step 2 as it is: the first S3 read happens in the first invocation;
  constructor   step 6's ConstructorPrimedHandler without SnapStart: the constructor reads the
                object once, so that read moves into Init;
  snapstart     step 6 with SnapStart: the beforeCheckpoint hook reads the object before the
                checkpoint, and the cold start is the restore (the afterRestore hook) plus the
                invocation.
For each it prints the first invocation's handler time, Init or Restore, the cold start (the
two together, as Lambda counts it), the checkpoint (SnapStart only: in AWS it runs when a version
is published, in no request), and the wall time of the whole 'workbench run'; then the means and
their ratio to step 2. The numbers are the ones 'workbench run' prints.

  --runs N     runs of each (default 5)
  --no-build   use the packages and workbench already built (default: ./mvnw package first)
  --help       show this help
USAGE
}

runs=5
build=yes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --no-build) build=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-snapstart.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] \
  || { echo "bench-snapstart.sh: --runs takes a whole number from 1, not '$runs'" >&2; exit 2; }

require_clock

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "$build" == yes ]]; then
  ./mvnw -B -q package -DskipTests
fi
jar=workbench/target/xray-workbench.jar
for built in "$jar" step-2-s3-patched/target/step-2-s3-patched-lambda.jar \
             step-6-snapstart/target/step-6-snapstart-lambda.jar; do
  [[ -f "$built" ]] || { echo "bench-snapstart.sh: $built is missing: run without --no-build" >&2; exit 1; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT


# The number on the line "NAME: N ms" of the workbench's output ($2), or "-" when there is none.
field() {
  local value
  value="$(printf '%s\n' "$2" | sed -n "s/^$1: \([0-9][0-9]*\) ms\$/\1/p")"
  printf '%s\n' "${value:--}"
}

results="$out/results"
: >"$results"

# measure VARIANT RUN WORKBENCH-ARGS...: runs the workbench once, prints its numbers and keeps them
# in $results as "VARIANT QUANTITY MS" lines.
measure() {
  local variant="$1" run="$2" output start end handler phase phase_name cold checkpoint
  shift 2
  start=$(now_ms)
  if ! output="$(java -jar "$jar" run "$@" --root "$root" --out "$out/$variant" --color never --quiet 2>&1)"; then
    echo "bench-snapstart.sh: 'workbench run $*' failed:" >&2
    printf '%s\n' "$output" >&2
    exit 1
  fi
  end=$(now_ms)
  handler="$(field 'First invocation handler' "$output")"
  phase_name=Init
  phase="$(field Init "$output")"
  if [[ "$phase" == - ]]; then
    phase_name=Restore
    phase="$(field Restore "$output")"
  fi
  cold="$(printf '%s\n' "$output" | sed -n 's/.* cold start \([0-9][0-9]*\) ms.*/\1/p')"
  checkpoint="$(field 'Checkpoint (at publish time in AWS)' "$output")"
  if [[ "$handler" == - || "$phase" == - || -z "$cold" ]]; then
    echo "bench-snapstart.sh: no timings in the output of 'workbench run $*':" >&2
    printf '%s\n' "$output" >&2
    exit 1
  fi
  printf '   run %d  %-11s  handler %5d  %-7s %5d  cold start %5d  wall %5d  checkpoint %s\n' \
    "$run" "$variant" "$handler" "$phase_name" "$phase" "$cold" "$((end - start))" "$checkpoint"
  {
    echo "$variant handler $handler"
    echo "$variant start $phase"
    echo "$variant cold $cold"
    echo "$variant wall $((end - start))"
    [[ "$checkpoint" == - ]] || echo "$variant checkpoint $checkpoint"
  } >>"$results"
}

# Prints, for one quantity, each variant's numbers, their mean and the ratio of means to step-2's.
summary() {
  awk -v quantity="$1" '
    $2 == quantity { values[$1] = values[$1] " " $3; sum[$1] += $3; n[$1]++ }
    END {
      split("step-2 constructor snapstart", order, " ")
      for (i = 1; i <= 3; i++) {
        v = order[i]
        if (!(v in n)) continue
        line = sprintf("   %-11s %s (mean %.0f", v, values[v], sum[v] / n[v])
        if (v != "step-2" && ("step-2" in n) && sum["step-2"] > 0)
          line = line sprintf("; ratio to step-2 %.2f", (sum[v] / n[v]) / (sum["step-2"] / n["step-2"]))
        print line ")"
      }
    }' "$results"
}

echo "Step 2's function, first invocation, $runs alternating runs (ms)"
for ((i = 1; i <= runs; i++)); do
  measure step-2 "$i" step-2 --no-snapstart
  measure constructor "$i" step-6 --no-snapstart \
    --handler io.github.xrayworkbook.step6.ConstructorPrimedHandler::handleRequest
  measure snapstart "$i" step-6 --snapstart
done

echo "First invocation's handler (ms)"
summary handler
echo "Init (step-2, constructor) or Restore (snapstart) (ms)"
summary start
echo "Cold start: Init or Restore, plus the handler (ms)"
summary cold
echo "Checkpoint: init and beforeCheckpoint, at publish time in AWS, in no cold start (ms)"
summary checkpoint
echo "Wall time of the whole 'workbench run', the checkpoint included (ms)"
summary wall
