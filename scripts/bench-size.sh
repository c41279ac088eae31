#!/usr/bin/env bash
# Prints each step's deployment-package size next to a naive build of the same step.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench-size.sh [--no-build] [--help]

Builds every step's deployment package and, in the same run, a naive package of steps 2 and 3
(every default dependency, nothing excluded), then prints their sizes side by side with the
target: step 1 at most 50000 bytes, steps 2 and 3 at most 0.60 of their naive package, and step
4's package at most 1.00 of step 3's.

  --no-build   measure the jars already in */target instead of building them
  --help       show this help
USAGE
}

build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-size.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if "$build"; then
  ./mvnw -B -q -Pbenchmarks package -DskipTests
fi

size_of() {
  if [[ ! -f "$1" ]]; then
    echo "bench-size.sh: $1 is missing: run without --no-build" >&2
    exit 1
  fi
  # wc -c, not stat: stat's options differ between GNU and BSD. BSD wc pads the count with spaces.
  wc -c <"$1" | tr -d ' \t'
}

printf '%-20s %14s %14s %8s %12s\n' "step" "tuned (bytes)" "naive (bytes)" "ratio" "target"
row() {
  local step="$1" tuned="$2" naive="$3" target="$4" tuned_size naive_size ratio
  tuned_size=$(size_of "$tuned")
  if [[ -n "$naive" ]]; then
    naive_size=$(size_of "$naive")
    ratio=$(awk -v t="$tuned_size" -v n="$naive_size" 'BEGIN { printf "%.2f", t / n }')
  else
    naive_size="-"
    ratio="-"
  fi
  printf '%-20s %14s %14s %8s %12s\n' "$step" "$tuned_size" "$naive_size" "$ratio" "$target"
}
# The targets: step 1 in bytes; steps 2 and 3 as the ratio of the tuned package to the naive one.
row step-1-blank step-1-blank/target/step-1-blank-lambda.jar "" "<= 50000"
row step-2-s3-patched step-2-s3-patched/target/step-2-s3-patched-lambda.jar \
  benchmarks/naive-step-2/target/naive-step-2-lambda.jar "<= 0.60"
row step-3-subsegments step-3-subsegments/target/step-3-subsegments-lambda.jar \
  benchmarks/naive-step-3/target/naive-step-3-lambda.jar "<= 0.60"

# Step 4 against step 3 (issue target: at most 1.0): what moving from the X-Ray SDK to
# OpenTelemetry costs in package size, measured on the two packages this run built.
four=$(size_of step-4-opentelemetry/target/step-4-opentelemetry-lambda.jar)
three=$(size_of step-3-subsegments/target/step-3-subsegments-lambda.jar)
awk -v f="$four" -v t="$three" \
  'BEGIN { printf "%-20s %14s %14s %8.2f %12s\n", "step-4 / step-3", f, t, f / t, "<= 1.00" }'
