#!/usr/bin/env bash
# Runs every bats suite of scripts/test, as ./mvnw verify does: two files at a time where GNU
# parallel is installed (bats needs it for --jobs), one after another where it is not.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/test/run-all.sh [bats options]

Runs every *.bats file in scripts/test with bats, the longest first. Where GNU parallel is
installed, two files run at a time (XRAY_WORKBOOK_TEST_JOBS sets how many); the tests of one
file always run in order, since they build on each other. Options go to bats, for example
--timing or --filter NAME. To run one file: bats scripts/test/FILE.bats
USAGE
}

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
command -v bats >/dev/null || { echo "run-all.sh: bats is not installed: install bats (bats-core)" >&2; exit 1; }

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The ones that take longest start first, so that they run side by side.
files=("$dir/scripts.bats" "$dir/iam-enforced.bats" "$dir/stacks.bats" "$dir/cleanup-regions.bats")
for file in "$dir"/*.bats; do
  # bash32: non-empty: files holds the suites set above
  [[ " ${files[*]} " == *" $file "* ]] || files+=("$file")
done

jobs="${XRAY_WORKBOOK_TEST_JOBS:-2}"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run-all.sh: XRAY_WORKBOOK_TEST_JOBS takes a whole number from 1, not '$jobs'" >&2; exit 1; }
if ((jobs > 1)) && command -v parallel >/dev/null; then
  # bash32: non-empty: files holds the suites set above
  exec bats --jobs "$jobs" --no-parallelize-within-files "$@" "${files[@]}"
fi
# bash32: non-empty: files holds the suites set above
exec bats "$@" "${files[@]}"
