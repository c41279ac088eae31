#!/usr/bin/env bash
# Invokes a deployed step and prints each answer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/invoke.sh step-N [--event FILE] [--times N] [--unsampled]

Invokes the deployed function of a step and prints its answer, or its error (steps 3 and 4 fail
on purpose); a step deployed with SnapStart is invoked through its alias 'live'. Each invocation
is a new trace, but Lambda records only a sample: the first request each second and 5% of the
rest, so --times 3 may record fewer than 3.

A step whose POM declares a REST API (workbook.rest-api) is called as its callers call it: an
HTTPS request with curl to the address its stack gives (the output ApiUrl of the stack
xray-workbook-step-N, which scripts/deploy-stack.sh makes), with the route's method and a JSON body.
It prints the HTTP status and the answer on one line; any status but 2xx fails in one line. API
Gateway samples as Lambda does, unless the request's X-Amzn-Trace-Id header has decided already.

  --event FILE   the event to send, a JSON file (default: {}); for a step with a REST API, the
                 request's body (default: {"greeting": "Hello from the X-Ray Lambda Workbook"})
  --times N      invoke N times in a row (default: 1)
  --unsampled    a step with a REST API: send each request with a new trace id, marked not
                 sampled (X-Amzn-Trace-Id: Root=...;Sampled=0), as a caller that decided so
                 would; X-Ray then records no trace of it
  --help         show this help
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

step_arg=""
event=""
times=1
unsampled=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --event) event="${2:?--event needs a file}"; shift 2 ;;
    --times) times="${2:?--times needs a number}"; shift 2 ;;
    --unsampled) unsampled=true; shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) step_arg="$1"; shift ;;
  esac
done
resolve_step "$step_arg"
[[ "$times" =~ ^[1-9][0-9]*$ ]] || die "--times takes a whole number from 1, not '$times'"
[[ "$unsampled" == false || -n "$REST_API_METHOD" ]] \
  || die "--unsampled is for a step with a REST API, whose callers send the trace header; $STEP is invoked directly"
if [[ -z "$event" ]]; then
  event="$(mktemp)"
  trap 'rm -f "$event"' EXIT
  if [[ -n "$REST_API_METHOD" ]]; then
    printf '%s\n' "$API_REQUEST_BODY" >"$event"
  else
    echo '{}' >"$event"
  fi
fi
[[ -f "$event" ]] || die "the event file $event does not exist"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$event" 2>/dev/null \
  || die "the event file $event is not valid JSON"
require_aws_cli
require_region
require_credentials
if [[ -z "$REST_API_METHOD" ]]; then
  for ((i = 1; i <= times; i++)); do
    invoke_once "$event"
  done
  exit 0
fi
require_api_url
for ((i = 1; i <= times; i++)); do
  if "$unsampled"; then
    # An X-Ray trace id: 1-, the time in hex seconds, 96 random bits.
    header="Root=1-$(printf '%08x' "$(date +%s)")-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n');Sampled=0"
    echo "X-Amzn-Trace-Id: $header"
    invoke_api_once "$event" -H "X-Amzn-Trace-Id: $header"
  else
    invoke_api_once "$event"
  fi
done
