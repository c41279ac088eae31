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

For a step with a second function fed by a queue (workbook.queue-handler), the message starts a
new trace there, which X-Ray links to the first: this finds the first function's newest trace,
then the second function's trace linked to it, and saves and shows both, in one file. X-Ray shows
the second some seconds after the first, and only if the consumer's invocation was sampled; when
it has none in time, this saves and shows the first, then says so.

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

# A JMESPath test of a trace's documents: one of them is a segment named $1 (the documents are
# JSON as X-Ray stores them, with no blank after a colon).
has_segment() {
  echo "Segments[?contains(Document, '\"name\":\"$1\"')]"
}

# The newest trace that passes the JMESPath test $1 (default: it holds a segment named after the
# function). Summaries are narrowed by time only, and the match is made on the segment documents
# themselves. The window ends a second from now: the times are whole seconds, and a trace that
# ended within the current second must count.
# Runs in $(...), where set -e does not hold: every failure returns explicitly.
find_trace() {
  local test="${1:-$(has_segment "$FUNCTION_NAME")}" now summaries="" ids batch found=""
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
      --query "reverse(sort_by(Traces[?$test], &Id))[0].Id" || return 1
    if [[ -n "$found" && "$found" != None ]]; then
      echo "$found"
      return
    fi
  done
}

# The trace of the queue's function that X-Ray links to the trace $1. The evidence found
# (a stored trace of an SQS producer and its Lambda consumer) holds the link on the producer's
# side: links[].trace_id, in the producer's function segment, names the consumer's trace. How the
# consumer's side records it is not known, so a consumer's trace that names $1 anywhere in its
# documents (a link, or the AWSTraceHeader root of the message) counts too. Runs in $(...).
find_linked_trace() {
  local documents="" linked="" ids found=""
  aws_read documents xray batch-get-traces --trace-ids "$1" --query 'Traces[].Segments[].Document' \
    --output text || return 1
  linked="$(grep -oE '1-[0-9a-f]{8}-[0-9a-f]{24}' <<<"$documents" | sort -u | grep -vx "$1" || true)"
  read -r -a ids <<<"$(tr '\n' ' ' <<<"$linked")"
  while ((${#ids[@]} > 0)); do
    # bash32: non-empty: the loop runs only while ids has elements
    aws_read found xray batch-get-traces --trace-ids "${ids[@]:0:5}" --output text \
      --query "reverse(sort_by(Traces[?$(has_segment "$QUEUE_FUNCTION_NAME")], &Id))[0].Id" || return 1
    if [[ -n "$found" && "$found" != None ]]; then
      echo "$found"
      return
    fi
    # bash32: non-empty: the loop runs only while ids has elements
    ids=("${ids[@]:5}")
  done
  find_trace "$(has_segment "$QUEUE_FUNCTION_NAME") && Segments[?contains(Document, '$1')]"
}

# Sets FOUND to what the command $2... prints, the trace of the function $1, looking again every
# 5 seconds until the deadline; returns 1 when it is past with nothing found.
wait_for() {
  local name="$1" found
  shift
  while true; do
    found="$("$@")" || exit 1
    [[ -n "$found" ]] && { FOUND="$found"; return 0; }
    (($(date +%s) < deadline)) || return 1
    echo "Waiting for X-Ray to publish the trace of $name..." >&2
    sleep 5
  done
}

# Saves the traces $1... as JSON in out, renders them to HTML beside it, and shows them.
show_traces() {
  mkdir -p "$(dirname "$out")"
  aws_run xray batch-get-traces --trace-ids "$@" --output json >"$out"
  echo "Saved trace $* to $out"
  echo "Console: $(console_link)"
  workbench view "$out" --html "${out%.json}.html"
}

deadline=$(($(date +%s) + wait_seconds))
wait_for "$FUNCTION_NAME" find_trace \
  || die "no trace of $FUNCTION_NAME in the last $since_minutes minutes: invoke it (scripts/invoke.sh $STEP), then try again"
trace_id="$FOUND"
if [[ -z "$QUEUE_FUNCTION_NAME" ]]; then
  show_traces "$trace_id"
  exit 0
fi
if ! wait_for "$QUEUE_FUNCTION_NAME" find_linked_trace "$trace_id"; then
  show_traces "$trace_id"
  die "no trace of $QUEUE_FUNCTION_NAME linked to $trace_id yet: the message may still be on its way, or its" \
    "invocation was not sampled; run scripts/trace.sh $STEP again, with --wait 120 to wait longer"
fi
echo "Linked: the queue's message started the trace $FOUND of $QUEUE_FUNCTION_NAME, linked to $trace_id"
show_traces "$trace_id" "$FOUND"
