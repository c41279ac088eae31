#!/usr/bin/env bash
# Fetches the latest trace of a deployed step and shows it the way the workbench shows local runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/trace.sh step-N [--wait SECONDS] [--since MINUTES] [--out FILE]

Finds the newest X-Ray trace of the deployed function of a step, saves it as
'aws xray batch-get-traces' returns it (always JSON, whatever your CLI's default output), renders
it to HTML beside it, and prints its timeline and trace map. X-Ray needs a few seconds
after an invocation before the trace appears, so this looks again every 5 seconds until it does.
Where CloudWatch Transaction Search is on, only 1% of spans are indexed for search by default,
so this can miss a trace that exists: it says so in one line and where to look instead.

  --wait SECONDS   how long to wait for a trace (default: 60)
  --since MINUTES  how far back to look (default: 30)
  --out FILE       where to save the trace (default: target/aws-traces/step-N.json under the
                   workbook's root; the HTML page goes beside it, FILE with .html for .json)
  --help           show this help
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

step_arg=""
wait_seconds=60
since_minutes=30
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --wait) wait_seconds="${2:?--wait needs seconds}"; shift 2 ;;
    --since) since_minutes="${2:?--since needs minutes}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) step_arg="$1"; shift ;;
  esac
done
resolve_step "$step_arg"
[[ "$wait_seconds" =~ ^[0-9]+$ ]] || die "--wait takes whole seconds, not '$wait_seconds'"
[[ "$since_minutes" =~ ^[1-9][0-9]*$ ]] || die "--since takes whole minutes, not '$since_minutes'"
out="${out:-$WORKBOOK_ROOT/target/aws-traces/$STEP.json}"
require_aws_cli
require_region
require_credentials
transaction_search_note

# The newest trace holding a segment named after the function. Summaries are narrowed by time
# only, and the match is made on the segment documents themselves. The window ends a second from
# now: the times are whole seconds, and a trace that ended within the current second must count.
# Runs in $(...), where set -e does not hold: every failure returns explicitly.
find_trace() {
  local now summaries="" ids batch found=""
  now="$(date +%s)"
  aws_read summaries xray get-trace-summaries --start-time $((now - since_minutes * 60)) \
    --end-time $((now + 1)) --query 'reverse(sort_by(TraceSummaries, &Id))[:50].Id' --output text \
    || return 1
  read -r -a ids <<<"$summaries"
  while ((${#ids[@]} > 0)) && [[ "${ids[0]}" != None ]]; do
    # bash32: non-empty: the loop runs only while ids has elements
    batch=("${ids[@]:0:5}")
    # bash32: non-empty: the loop runs only while ids has elements
    ids=("${ids[@]:5}")
    # bash32: non-empty: batch holds the first of ids, which has elements
    aws_read found xray batch-get-traces --trace-ids "${batch[@]}" --output text \
      --query "reverse(sort_by(Traces[?Segments[?contains(Document, '\"name\":\"$FUNCTION_NAME\"')]], &Id))[0].Id" \
      || return 1
    if [[ -n "$found" && "$found" != None ]]; then
      echo "$found"
      return
    fi
  done
}

deadline=$(($(date +%s) + wait_seconds))
trace_id=""
while true; do
  trace_id="$(find_trace)"
  [[ -n "$trace_id" ]] && break
  (($(date +%s) < deadline)) \
    || die "no trace of $FUNCTION_NAME in the last $since_minutes minutes: invoke it (scripts/invoke.sh $STEP), then try again"
  echo "Waiting for X-Ray to publish the trace of $FUNCTION_NAME..." >&2
  sleep 5
done

mkdir -p "$(dirname "$out")"
aws_run xray batch-get-traces --trace-ids "$trace_id" --output json >"$out"
echo "Saved trace $trace_id to $out"
echo "Console: $(console_link)"

workbench view "$out" --html "${out%.json}.html"
