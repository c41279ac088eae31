# shellcheck shell=bash
# What the bats suites in scripts/test share, each defined only here; a suite loads it with
# `load helpers`. The suites run the account scripts against moto_server, a local AWS API
# endpoint on 127.0.0.1, and read back with the AWS CLI what the scripts did.
# shellcheck disable=SC2154  # status, output and lines are set by bats's run

ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
POLICY="$ROOT/scripts/iam/workbook-user-policy.json"
# shellcheck disable=SC2034  # read by the suites that load this file
STACK_POLICY="$ROOT/scripts/iam/workbook-stack-policy.json"

# --- The AWS endpoint and the CLI ---------------------------------------------------------------

# Puts the executables of aws and python3 themselves first on PATH when they are pyenv shims:
# a shim runs pyenv's own bash scripts to find the same executable on every call, which costs
# more than many a call to moto. The same CLI and Python run, so nothing else changes.
use_executables_not_shims() {
  local command executable
  mkdir -p "$BATS_FILE_TMPDIR/executables"
  for command in aws python3; do
    executable="$(command -v "$command" || true)"
    if [[ "$executable" == */shims/* ]] && command -v pyenv >/dev/null \
        && executable="$(pyenv which "$command" 2>/dev/null)"; then
      ln -sf "$executable" "$BATS_FILE_TMPDIR/executables/$command"
    fi
  done
  export PATH="$BATS_FILE_TMPDIR/executables:$PATH"
  use_warm_cli
}

# Where the CLI on PATH is AWS CLI v1 (a Python script), puts an `aws` first on PATH that runs it
# through warm_cli.py: the same CLI, its imports loaded once per file instead of once per call.
# XRAY_WORKBOOK_TEST_COLD_CLI=1 keeps the plain `aws`. stop_warm_cli ends the server.
use_warm_cli() {
  local aws python socket_dir
  [[ "${XRAY_WORKBOOK_TEST_COLD_CLI:-}" != 1 ]] || return 0
  aws="$(command -v aws)" || return 0
  python="$(sed -n '1s/^#! *//p' "$aws" 2>/dev/null)"
  [[ "$python" == /*python* ]] && "$python" -c 'import awscli.clidriver' 2>/dev/null || return 0
  # A Unix socket's path has room for about 100 bytes: bats's folders can be longer.
  socket_dir="$(mktemp -d /tmp/xray-workbook-cli.XXXXXX)"
  echo "$socket_dir" >"$BATS_FILE_TMPDIR/warm-cli.dir"
  "$python" "$BATS_TEST_DIRNAME/warm_cli.py" serve "$socket_dir/cli.sock" >"$socket_dir/server.log" 2>&1 &
  echo "$!" >"$BATS_FILE_TMPDIR/warm-cli.pid"
  local _
  for _ in $(seq 1 100); do
    grep -q ready "$socket_dir/server.log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q ready "$socket_dir/server.log" || { echo "warm_cli.py did not start: see $socket_dir/server.log" >&2; return 1; }
  # The plain CLI, for the test that compares the two. The link to it goes first: writing
  # through the link would overwrite the CLI itself.
  [[ ! -L "$aws" ]] || aws="$(readlink "$aws")"
  echo "$aws" >"$BATS_FILE_TMPDIR/warm-cli.plain"
  rm -f "$BATS_FILE_TMPDIR/executables/aws"
  printf '#!/bin/sh\nexec %s -S %s call %s "$@"\n' "$python" "$BATS_TEST_DIRNAME/warm_cli.py" \
    "$socket_dir/cli.sock" >"$BATS_FILE_TMPDIR/executables/aws"
  chmod +x "$BATS_FILE_TMPDIR/executables/aws"
}

stop_warm_cli() {
  [[ -f "$BATS_FILE_TMPDIR/warm-cli.pid" ]] || return 0
  kill "$(cat "$BATS_FILE_TMPDIR/warm-cli.pid")" 2>/dev/null || true
  rm -rf "$(cat "$BATS_FILE_TMPDIR/warm-cli.dir")"
}

# A Python that imports moto (and boto3, which moto needs): python3, or the one that runs
# moto_server (a pipx install, say). Nothing when there is none.
moto_python() {
  local candidate
  for candidate in python3 "$(sed -n '1s/^#! *//p' "$(command -v moto_server)" 2>/dev/null)"; do
    if [[ "$candidate" == *python* ]] && $candidate -c 'import moto, boto3' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
}

# Starts COMMAND (moto_server, or a Python running moto_iam_server.py) on a free port of
# 127.0.0.1 for the file's tests, waits until it answers, and points the AWS CLI at it with a
# test account: region eu-west-1, keys "testing", a HOME of its own, no profile. stop_moto ends it.
start_moto() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  MOTO_IAM_LOAD_MANAGED_POLICIES=true "$@" -H 127.0.0.1 -p "$port" >"$BATS_FILE_TMPDIR/moto.log" 2>&1 &
  echo "$!" >"$BATS_FILE_TMPDIR/moto.pid"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-west-1
  # No instance metadata to look for; deploy.sh's wait for a new role (moto has none) is short.
  export AWS_EC2_METADATA_DISABLED=true XRAY_WORKBOOK_ROLE_RETRY_SECONDS=1
  export HOME="$BATS_FILE_TMPDIR/home"
  mkdir -p "$HOME"
  unset AWS_DEFAULT_REGION AWS_PROFILE XRAY_WORKBOOK_BUCKET
  local _
  for _ in $(seq 1 300); do
    curl -fs "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "moto did not answer on $AWS_ENDPOINT_URL within a minute: see $BATS_FILE_TMPDIR/moto.log" >&2
  return 1
}

stop_moto() {
  kill "$(cat "$BATS_FILE_TMPDIR/moto.pid")" 2>/dev/null || true
  stop_warm_cli
}

# The AWS CLI in the test's region, as the scripts call it.
aws_() {
  AWS_DEFAULT_REGION="$AWS_REGION" aws "$@"
}

# Publishes COUNT versions of AWS's OpenTelemetry layer (AWSOpenTelemetryDistroJava), the one
# step 5's function uses, with a placeholder for content, in one Python process rather than
# COUNT CLI calls: moto finds a layer version by its name and number, whatever the account in
# the ARN.
publish_opentelemetry_layer() {
  local layer
  layer="$(mktemp -d "$BATS_FILE_TMPDIR/layer.XXXXXX")/layer.zip"
  placeholder_zip "$layer"
  "$(moto_python)" - "$1" "$layer" <<'PY'
import os, sys
import boto3
client = boto3.client("lambda", region_name=os.environ["AWS_REGION"],
                      endpoint_url=os.environ["AWS_ENDPOINT_URL"])
content = open(sys.argv[2], "rb").read()
for _ in range(int(sys.argv[1])):
    client.publish_layer_version(LayerName="AWSOpenTelemetryDistroJava", Content={"ZipFile": content})
PY
}

# --- Assertions ---------------------------------------------------------------------------------

# One line (on stdout and stderr together), naming the script, and a non-zero exit.
assert_one_line_error() {
  [ "$status" -ne 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "$1"* ]]
}

# --- The workbook and its packages --------------------------------------------------------------

# A minimal deployment package in FILE, for functions moto stores but never runs.
placeholder_zip() {
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("placeholder.txt", "moto never runs this\n")' "$1"
}

# A copy of the workbook's scripts in DIR with the POMs and SAM templates of MODULE... (and no
# packages).
copy_workbook() {
  local dir="$1" module
  shift
  mkdir -p "$dir"
  [ -d "$dir/scripts" ] || cp -r "$ROOT/scripts" "$dir/"
  for module in "$@"; do
    mkdir -p "$dir/$module"
    cp "$ROOT/$module/pom.xml" "$dir/$module/"
    [ ! -f "$ROOT/$module/template.yaml" ] || cp "$ROOT/$module/template.yaml" "$dir/$module/"
  done
}

# A placeholder package for MODULE in the workbook DIR, where its build would put the package.
placeholder_package() {
  mkdir -p "$1/$2/target"
  placeholder_zip "$1/$2/target/$2-lambda.jar"
}

# A copy of the workbook in DIR whose every step has a placeholder package, for moto, which stores
# functions but never runs them; trace.sh renders with the workbench of this checkout, which the
# scripts module's build provides.
placeholder_workbook() {
  local pom module
  for pom in "$ROOT"/step-*-*/pom.xml; do
    module="$(basename "$(dirname "$pom")")"
    copy_workbook "$1" "$module"
    placeholder_package "$1" "$module"
  done
  mkdir -p "$1/workbench/target"
  ln -s "$ROOT/workbench/target/xray-workbench.jar" "$1/workbench/target/xray-workbench.jar"
}

# The policy in scripts/iam without ACTION in any statement (a statement left with no action
# goes), as JSON on stdout.
policy_without() {
  python3 - "$POLICY" "$1" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
for statement in policy["Statement"]:
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    statement["Action"] = [action for action in actions if action != sys.argv[2]]
policy["Statement"] = [statement for statement in policy["Statement"] if statement["Action"]]
print(json.dumps(policy, indent=2))
PY
}

# --- Traces and stand-ins for the CLI -----------------------------------------------------------

# Writes a two-segment trace of FUNCTION, as Lambda records one, and prints its id. The trace
# starts at NOW (epoch seconds, default: now) plus 0.1 s and ends at NOW plus 0.5 s. Runs aws_
# with the caller's credentials (iam-enforced.bats's admin writes it: xray:PutTraceSegments is
# Lambda's to call, not the workbook user's).
put_lambda_trace() {
  local function="$1" now="${2:-$(date +%s)}" trace
  # 96 random bits, written as hex from three decimal numbers (a leading 0 would read as octal).
  trace="$(printf '1-%08x-%08x%08x%08x' "$now" "$RANDOM" "$RANDOM" "$RANDOM")"
  aws_ xray put-trace-segments --trace-segment-documents \
    "{\"name\":\"$function\",\"id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.1,\"end_time\":$now.5,\"origin\":\"AWS::Lambda\"}" \
    "{\"name\":\"$function\",\"id\":\"2222222222222222\",\"parent_id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.2,\"end_time\":$now.45,\"origin\":\"AWS::Lambda::Function\",\"subsegments\":[{\"name\":\"Invocation\",\"id\":\"3333333333333333\",\"start_time\":$now.25,\"end_time\":$now.4}]}" \
    >/dev/null
  echo "$trace"
}

# An `aws` earlier on PATH for the rest of the test that answers 'aws SERVICE OPERATION ...'
# with the line ANSWER, as the real call would print it with the scripts' --query and --output,
# and hands every other call to the CLI that was first on PATH before it.
stub_aws_call() {
  local service="$1" operation="$2" answer="$3" real dir
  real="$(command -v aws)"
  dir="$(mktemp -d "$BATS_TEST_TMPDIR/stub.XXXXXX")"
  cat >"$dir/aws" <<STUB
#!/usr/bin/env bash
if [[ "\$1 \$2" == "$service $operation" ]]; then
  printf '%s\n' '$answer'
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$dir/aws"
  export PATH="$dir:$PATH"
}

# An `aws` earlier on PATH for the rest of the test that writes the arguments of each call, one
# call a line, to $BATS_TEST_TMPDIR/aws-calls and hands the call to the CLI that was first on
# PATH before it; except 'lambda invoke', which moto cannot run for Java: it answers as a
# function that returned {}.
record_aws_calls() {
  local real dir
  real="$(command -v aws)"
  dir="$(mktemp -d "$BATS_TEST_TMPDIR/stub.XXXXXX")"
  cat >"$dir/aws" <<STUB
#!/usr/bin/env bash
echo "\$*" >>"$BATS_TEST_TMPDIR/aws-calls"
if [[ "\$1 \$2" == "lambda invoke" ]]; then
  for last in "\$@"; do :; done
  echo '{}' >"\$last"
  echo None
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$dir/aws"
  export PATH="$dir:$PATH"
}

# --- A stand-in for a step's REST API ------------------------------------------------------------

# Starts an HTTP server on a free port of 127.0.0.1 for the file's tests, standing in for the
# address a step's REST API has in AWS (moto stores the API but serves no such address). It writes
# each request but a GET as one JSON line (method, path, headers, body) to $BATS_FILE_TMPDIR/api-requests,
# and answers with the status in $BATS_FILE_TMPDIR/api-status (default 202) and
# {"messageId":"m-N"}, as step 7's function does. Sets API_SERVER_URL; stop_api_server ends it.
start_api_server() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 - "$port" "$BATS_FILE_TMPDIR" >"$BATS_FILE_TMPDIR/api-server.log" 2>&1 <<'PY' &
import http.server, json, os, sys
port, folder = int(sys.argv[1]), sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        with open(os.path.join(folder, "api-requests"), "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                  "body": body}) + "\n")
        with open(os.path.join(folder, "api-requests")) as log:
            count = sum(1 for _ in log)
        try:
            status = int(open(os.path.join(folder, "api-status")).read())
        except OSError:
            status = 202
        text = json.dumps({"messageId": f"m-{count}"} if status < 300 else {"message": "Internal server error"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    do_POST = do_PUT = do_DELETE = answer

    def do_GET(self):
        """start_api_server's check that the server answers; not a request of the tests."""
        self.send_response(204)
        self.end_headers()

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
  echo "$!" >"$BATS_FILE_TMPDIR/api-server.pid"
  API_SERVER_URL="http://127.0.0.1:$port"
  local _
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "$API_SERVER_URL/" && return 0
    sleep 0.1
  done
  echo "the API stand-in did not start: see $BATS_FILE_TMPDIR/api-server.log" >&2
  return 1
}

stop_api_server() {
  [[ -f "$BATS_FILE_TMPDIR/api-server.pid" ]] || return 0
  kill "$(cat "$BATS_FILE_TMPDIR/api-server.pid")" 2>/dev/null || true
}

# An `aws` earlier on PATH for the rest of the test that answers the scripts' question for a
# stack's ApiUrl output with URL, and hands every other call to the CLI that was first on PATH
# before it: moto's stack gives https://ID.execute-api.REGION.amazonaws.com/..., which nothing here
# answers.
stub_api_url() {
  local real dir
  real="$(command -v aws)"
  dir="$(mktemp -d "$BATS_TEST_TMPDIR/stub.XXXXXX")"
  cat >"$dir/aws" <<STUB
#!/usr/bin/env bash
if [[ "\$1 \$2" == "cloudformation describe-stacks" && "\$*" == *"OutputKey=='ApiUrl'"* ]]; then
  "$real" "\$@" >/dev/null || exit \$?
  echo '$1'
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$dir/aws"
  export PATH="$dir:$PATH"
}
