#!/usr/bin/env bash
# Prints each step's deployment-package size, next to a naive build of the same step where there
# is one, and against step 3's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/bench-size.sh [--no-build] [--help]

Builds every step's deployment package and, in the same run, the naive packages under benchmarks/
(naive-step-N: the step's own code with every default dependency, nothing excluded), then prints,
for every step: its package's size, the naive package's size and the ratio of the two where there
is a naive one, and the ratio to step 3's package (the X-Ray SDK with a subsegment: what steps 4
and 5 move away from). The targets: step 1 at most 50000 bytes, a step with a naive build at most
0.60 of it.

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

cd "$WORKBOOK_ROOT"

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

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

resolve_step step-3
three=$(size_of "$PACKAGE")
printf '%-22s %14s %14s %12s %10s %10s\n' "step" "package" "naive" "/ naive" "/ step-3" "target"
for module in $(step_modules); do
  resolve_step "$module"
  size=$(size_of "$PACKAGE")
  naive_jar="benchmarks/naive-$STEP/target/naive-$STEP-lambda.jar"
  naive="-"
  against_naive="-"
  target="-"
  if [[ -f "benchmarks/naive-$STEP/pom.xml" ]]; then
    naive=$(size_of "$naive_jar")
    against_naive=$(ratio "$size" "$naive")
    target="<= 0.60"
  fi
  [[ "$STEP" != step-1 ]] || target="<= 50000"
  printf '%-22s %14s %14s %12s %10s %10s\n' "$MODULE" "$size" "$naive" "$against_naive" \
    "$(ratio "$size" "$three")" "$target"
done
