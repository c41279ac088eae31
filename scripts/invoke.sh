#!/usr/bin/env bash
# Invokes a deployed step and prints each answer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/invoke.sh step-N [--event FILE] [--times N]

Invokes the deployed function of a step and prints its answer, or its error (steps 3 and 4 fail
on purpose); a step deployed with SnapStart is invoked through its alias 'live'. Each invocation
is a new trace, but Lambda records only a sample: the first request each second and 5% of the
rest, so --times 3 may record fewer than 3.

  --event FILE   the event to send, a JSON file (default: {})
  --times N      invoke N times in a row (default: 1)
  --help         show this help
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

step_arg=""
event=""
times=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --event) event="${2:?--event needs a file}"; shift 2 ;;
    --times) times="${2:?--times needs a number}"; shift 2 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) step_arg="$1"; shift ;;
  esac
done
resolve_step "$step_arg"
[[ "$times" =~ ^[1-9][0-9]*$ ]] || die "--times takes a whole number from 1, not '$times'"
if [[ -z "$event" ]]; then
  event="$(mktemp)"
  trap 'rm -f "$event"' EXIT
  echo '{}' >"$event"
fi
[[ -f "$event" ]] || die "the event file $event does not exist"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$event" 2>/dev/null \
  || die "the event file $event is not valid JSON"
require_aws_cli
require_region
require_credentials
for ((i = 1; i <= times; i++)); do
  invoke_once "$event"
done
