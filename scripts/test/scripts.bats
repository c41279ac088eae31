#!/usr/bin/env bats
# The account scripts against moto_server, a local AWS API endpoint on 127.0.0.1. moto stores
# roles, buckets, functions and traces but cannot run Java, so invocations are not tested here.

setup_file() {
  export ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p "$port" >"$BATS_FILE_TMPDIR/moto.log" 2>&1 &
  echo "$!" >"$BATS_FILE_TMPDIR/moto.pid"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fs "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-west-1
  export AWS_EC2_METADATA_DISABLED=true XRAY_WORKBOOK_ROLE_RETRY_SECONDS=1
  export HOME="$BATS_FILE_TMPDIR/home"
  mkdir -p "$HOME"
  unset AWS_DEFAULT_REGION AWS_PROFILE XRAY_WORKBOOK_BUCKET
}

teardown_file() {
  kill "$(cat "$BATS_FILE_TMPDIR/moto.pid")" 2>/dev/null || true
}

aws_() {
  AWS_DEFAULT_REGION="$AWS_REGION" aws "$@"
}

# One line on stderr, naming the script, and a non-zero exit.
assert_one_line_error() {
  [ "$status" -ne 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "$1"* ]]
}

# An `aws` earlier on PATH that answers `xray get-trace-segment-destination` as an account with
# Transaction Search on (moto does not have that call) and hands every other call to the real CLI.
stub_transaction_search_on() {
  local real
  real="$(command -v aws)"
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/aws" <<STUB
#!/usr/bin/env bash
if [[ "\$1 \$2" == "xray get-trace-segment-destination" ]]; then
  # What '--query Destination --output text' prints for {"Destination": "CloudWatchLogs", "Status": "ACTIVE"}
  echo CloudWatchLogs
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/aws"
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

# Writes a two-segment trace of FUNCTION, as Lambda records one, and prints its id. The trace
# starts at NOW (epoch seconds, default: now) plus 0.1 s and ends at NOW plus 0.5 s.
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

# The functions in REGION that name a role that does not exist: there must never be any.
functions_without_their_role() {
  local name role
  while read -r name role; do
    [[ -n "$name" ]] || continue
    aws_ iam get-role --role-name "${role##*/}" >/dev/null 2>&1 || echo "$name in $1"
  done <<<"$(AWS_REGION="$1" aws_ lambda list-functions --query 'Functions[].[FunctionName, Role]' --output text)"
}

# A minimal deployment package, for functions moto stores but never runs.
placeholder_zip() {
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("placeholder.txt", "moto never runs this\n")' "$1"
}

# The workbook the scripts run from for MODULE: this one where the module is built, else a copy
# of the scripts and the module's POM with a placeholder package.
root_with_package() {
  local module="$1" root="$ROOT"
  if [ ! -f "$ROOT/$module/target/$module-lambda.jar" ]; then
    root="$BATS_TEST_TMPDIR/workbook"
    mkdir -p "$root/$module/target"
    [ -d "$root/scripts" ] || cp -r "$ROOT/scripts" "$root/"
    cp "$ROOT/$module/pom.xml" "$root/$module/"
    placeholder_zip "$root/$module/target/$module-lambda.jar"
  fi
  echo "$root"
}

# An `aws` earlier on PATH that writes the arguments of each call, one call a line, to
# $BATS_TEST_TMPDIR/aws-calls and hands the call to the real CLI; except 'lambda invoke', which
# moto cannot run for Java: it answers as a function that returned {}.
record_aws_calls() {
  local real
  real="$(command -v aws)"
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/aws" <<STUB
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
  chmod +x "$BATS_TEST_TMPDIR/bin/aws"
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

# The steps of this workbook, as the step-N-NAME modules with a POM name them.
module_steps() {
  local pom module
  for pom in "$1"/step-*-*/pom.xml; do
    module="$(basename "$(dirname "$pom")")"
    echo "$module" | sed -n 's/^step-\([0-9][0-9]*\)-.*/\1/p'
  done | sort -n | sed 's/^/step-/'
}

@test "every script is shellcheck-clean" {
  run shellcheck -x "$ROOT"/scripts/*.sh "$ROOT"/scripts/lib/common.sh "$ROOT"/scripts/test/*.sh "$ROOT"/.ci/run
  [ "$status" -eq 0 ]
}

@test "every script answers --help" {
  for script in "$ROOT"/scripts/*.sh; do
    run "$script" --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == Usage:* ]]
  done
}

@test "deploy step-1 creates a role Lambda can assume and a function with Active tracing" {
  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Created role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Created function xray-workbook-step-1"* ]]

  run aws_ iam get-role --role-name xray-workbook-lambda-role \
    --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' --output text
  [ "$output" = lambda.amazonaws.com ]
  run aws_ iam list-attached-role-policies --role-name xray-workbook-lambda-role \
    --query 'sort(AttachedPolicies[].PolicyName)' --output text
  [ "$output" = "$(printf 'AWSLambdaBasicExecutionRole\tAWSXRayDaemonWriteAccess')" ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-1 \
    --query '[TracingConfig.Mode, Runtime, Handler, MemorySize, Timeout]' --output text
  [ "$output" = "$(printf 'Active\tjava21\tio.github.xrayworkbook.step1.HelloHandler::handleRequest\t512\t15')" ]
  run aws_ lambda list-tags --resource "arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-1" \
    --query Tags.project --output text
  [ "$output" = xray-lambda-workbook ]
  run aws_ iam list-role-tags --role-name xray-workbook-lambda-role \
    --query "Tags[?Key=='xray-workbook-regions'].Value | [0]" --output text
  [ "$output" = eu-west-1 ]
}

@test "deploy step-2 creates the bucket, the object, read access to exactly it, and BUCKET_NAME" {
  run "$ROOT/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Uploaded s3://xray-workbook-bats/sample_data.json"* ]]

  run aws_ s3 cp s3://xray-workbook-bats/sample_data.json -
  [ "$output" = '{"message": "Hello from S3!"}' ]
  run aws_ s3api get-public-access-block --bucket xray-workbook-bats --output text \
    --query 'PublicAccessBlockConfiguration.[BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets]'
  [ "$output" = "$(printf 'True\tTrue\tTrue\tTrue')" ]
  run aws_ iam get-role-policy --role-name xray-workbook-lambda-role --policy-name xray-workbook-read-sample-data \
    --query 'PolicyDocument.Statement[0].[Action, Resource]' --output text
  [ "$output" = "$(printf 's3:GetObject\tarn:aws:s3:::xray-workbook-bats/sample_data.json')" ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-2 \
    --query '[Environment.Variables.BUCKET_NAME, TracingConfig.Mode]' --output text
  [ "$output" = "$(printf 'xray-workbook-bats\tActive')" ]
}

@test "a second deploy updates the function instead of failing" {
  run "$ROOT/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Reusing role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Reusing bucket xray-workbook-bats"* ]]
  [[ "$output" == *"Updated function xray-workbook-step-2"* ]]
}

@test "deploy step-4 creates the bucket, the function with Active tracing, its handler and BUCKET_NAME" {
  local root="$ROOT" module=step-4-opentelemetry
  if [ ! -f "$ROOT/$module/target/$module-lambda.jar" ]; then
    # Step 4 is not built here: the scripts run from a copy that holds a placeholder package.
    root="$BATS_TEST_TMPDIR/workbook"
    mkdir -p "$root/$module/target"
    cp -r "$ROOT/scripts" "$root/"
    if [ -f "$ROOT/$module/pom.xml" ]; then
      cp "$ROOT/$module/pom.xml" "$root/$module/"
    else
      printf '<project><properties><lambda.handler>%s</lambda.handler></properties></project>\n' \
        io.github.xrayworkbook.step4.OpenTelemetryHandler::handleRequest >"$root/$module/pom.xml"
    fi
    placeholder_zip "$root/$module/target/$module-lambda.jar"
  fi
  local handler
  handler="$(sed -n 's:.*<lambda.handler>\(.*\)</lambda.handler>.*:\1:p' "$root/$module/pom.xml")"
  [[ "$handler" == io.github.xrayworkbook.step4.OpenTelemetryHandler::* ]]

  run "$root/scripts/deploy.sh" step-4 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Reusing role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Uploaded s3://xray-workbook-bats/sample_data.json"* ]]
  [[ "$output" == *"Created function xray-workbook-step-4"* ]]
  [[ "$output" != *"Transaction Search"* ]]

  run aws_ lambda get-function-configuration --function-name xray-workbook-step-4 \
    --query '[TracingConfig.Mode, Runtime, Handler, Environment.Variables.BUCKET_NAME]' --output text
  [ "$output" = "$(printf 'Active\tjava21\t%s\txray-workbook-bats' "$handler")" ]
  run aws_ lambda list-tags --resource "arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-4" \
    --query Tags.project --output text
  [ "$output" = xray-lambda-workbook ]
}

@test "deploy step-5 adds AWS's OpenTelemetry layer for the region, the wrapper, and traces only" {
  local root arn=arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJava:16
  root="$(root_with_package step-5-zero-code)"
  # moto finds a layer version by its name and number, whatever the account in the ARN.
  placeholder_zip "$BATS_TEST_TMPDIR/layer.zip"
  for _ in $(seq 1 16); do
    aws_ lambda publish-layer-version --layer-name AWSOpenTelemetryDistroJava \
      --zip-file "fileb://$BATS_TEST_TMPDIR/layer.zip" >/dev/null
  done
  record_aws_calls

  run "$root/scripts/deploy.sh" step-5 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Created function xray-workbook-step-5"* ]]
  [[ "$output" == *"Layer: $arn (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument)"* ]]
  grep -q -- "^lambda create-function .* --layers $arn " "$BATS_TEST_TMPDIR/aws-calls"
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-5 --output text --query \
    '[TracingConfig.Mode, Handler, Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER, Environment.Variables.OTEL_AWS_APPLICATION_SIGNALS_ENABLED, Environment.Variables.BUCKET_NAME, Layers[0].Arn]'
  [ "$output" = "$(printf 'Active\tio.github.xrayworkbook.step2.S3MessageHandler::handleRequest\t/opt/otel-instrument\tfalse\txray-workbook-bats\t%s' \
    arn:aws:lambda:eu-west-1:123456789012:layer:AWSOpenTelemetryDistroJava:16)" ]
  run aws_ iam list-attached-role-policies --role-name xray-workbook-lambda-role \
    --query 'AttachedPolicies[].PolicyName' --output text
  [[ "$output" != *CloudWatchLambdaApplicationSignals* ]]

  # Another version of the layer, and Application Signals on, as the console sets it up.
  arn=arn:aws:lambda:eu-west-1:123456789012:layer:AWSOpenTelemetryDistroJava:3
  run "$root/scripts/deploy.sh" step-5 --no-invoke --bucket xray-workbook-bats --layer-arn "$arn" --application-signals
  [ "$status" -eq 0 ]
  [[ "$output" == *"Updated function xray-workbook-step-5"* ]]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-5 --output text \
    --query '[Environment.Variables.OTEL_AWS_APPLICATION_SIGNALS_ENABLED, Layers[0].Arn]'
  [ "$output" = "$(printf 'true\t%s' "$arn")" ]
  run aws_ iam list-attached-role-policies --role-name xray-workbook-lambda-role \
    --query 'AttachedPolicies[].PolicyName' --output text
  [[ "$output" == *CloudWatchLambdaApplicationSignalsExecutionRolePolicy* ]]
}

@test "deploy.sh refuses a layer for a step without one, and a region whose layer it does not know" {
  run "$ROOT/scripts/deploy.sh" step-2 --no-invoke --layer-arn arn:aws:lambda:eu-west-1:1:layer:x:1
  assert_one_line_error "deploy.sh: step-2 runs without AWS's OpenTelemetry layer: --layer-arn and"
  local root
  root="$(root_with_package step-5-zero-code)"
  AWS_REGION=us-gov-west-1 run "$root/scripts/deploy.sh" step-5 --no-invoke
  assert_one_line_error "deploy.sh: this script knows no ARN of AWS's OpenTelemetry layer in us-gov-west-1: find it in"
}

@test "deploy step-6 turns SnapStart on, publishes a version and points the alias live at it" {
  local root
  root="$(root_with_package step-6-snapstart)"
  record_aws_calls

  run "$root/scripts/deploy.sh" step-6 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Created function xray-workbook-step-6"* ]]
  [[ "$output" == *"Published version 1 with SnapStart; alias live points to it"* ]]
  # moto accepts the setting but does not keep it: what the CLI sent is the proof.
  grep -q -- "^lambda create-function .* --snap-start ApplyOn=PublishedVersions " "$BATS_TEST_TMPDIR/aws-calls"
  run aws_ lambda get-alias --function-name xray-workbook-step-6 --name live --query FunctionVersion --output text
  [ "$output" = 1 ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-6 --qualifier live \
    --query '[TracingConfig.Mode, Environment.Variables.BUCKET_NAME]' --output text
  [ "$output" = "$(printf 'Active\txray-workbook-bats')" ]

  # A second deploy publishes the new code as a new version and moves the alias to it.
  run "$root/scripts/deploy.sh" step-6 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Published version 2 with SnapStart; alias live points to it"* ]]
  grep -q -- "^lambda update-function-configuration .* --snap-start ApplyOn=PublishedVersions" "$BATS_TEST_TMPDIR/aws-calls"
  run aws_ lambda get-alias --function-name xray-workbook-step-6 --name live --query FunctionVersion --output text
  [ "$output" = 2 ]

  # invoke.sh calls the alias: SnapStart restores published versions only.
  run "$root/scripts/invoke.sh" step-6
  [ "$status" -eq 0 ]
  [ "$output" = "Response: {}" ]
  grep -q -- "^lambda invoke --function-name xray-workbook-step-6 --qualifier live " "$BATS_TEST_TMPDIR/aws-calls"
}

@test "every step-N module is a step of deploy.sh, local.sh and the other scripts, and a new one would be too" {
  local steps expected script
  steps="$(module_steps "$ROOT" | tr '\n' ' ')"
  [[ "$steps" == "step-1 step-2 step-3 step-4 step-5 step-6 "* ]]
  expected="$(module_steps "$ROOT" | sed '$!s/$/,/' | tr '\n' ' ' | sed 's/, \([^ ]*\) $/ or \1/')"
  for script in deploy invoke trace zip local; do
    run "$ROOT/scripts/$script.sh" --help
    [ "${lines[-1]}" = "The steps in this checkout: $expected" ]
  done
  # Each is known: deploy.sh gets past the step to the region it lacks.
  for step in $steps; do
    run env -u AWS_REGION -u AWS_DEFAULT_REGION "$ROOT/scripts/deploy.sh" "$step" --no-invoke
    assert_one_line_error "deploy.sh: no AWS region: export AWS_REGION="
  done

  # A workbook with one more module: every script knows it, with no other change.
  local copy="$BATS_TEST_TMPDIR/workbook"
  mkdir -p "$copy/step-12-demo"
  cp -r "$ROOT/scripts" "$copy/"
  mkdir -p "$copy/step-1-blank" && cp "$ROOT/step-1-blank/pom.xml" "$copy/step-1-blank/"
  printf '<project><properties><lambda.handler>demo.Handler::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.reads-s3>true</workbook.reads-s3><workbook.snapstart>true</workbook.snapstart>' >"$copy/step-12-demo/pom.xml"
  for script in deploy invoke trace zip local; do
    run "$copy/scripts/$script.sh" --help
    [ "${lines[-1]}" = "The steps in this checkout: step-1 or step-12" ]
    run "$copy/scripts/$script.sh" step-9
    assert_one_line_error "$script.sh: unknown step 'step-9': choose step-1 or step-12"
  done
  run "$copy/scripts/deploy.sh" step-12 --no-invoke
  assert_one_line_error "deploy.sh: step-12-demo has not been built: run scripts/zip.sh step-12 first"
}

@test "trace.sh finds the function's newest trace, saves it and renders it" {
  local now trace
  now="$(date +%s)"
  trace="$(printf '1-%08x-0123456789abcdef01234567' "$now")"
  aws_ xray put-trace-segments --trace-segment-documents \
    "{\"name\":\"xray-workbook-step-1\",\"id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.1,\"end_time\":$now.5,\"origin\":\"AWS::Lambda\"}" \
    "{\"name\":\"xray-workbook-step-1\",\"id\":\"2222222222222222\",\"parent_id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.2,\"end_time\":$now.45,\"origin\":\"AWS::Lambda::Function\",\"subsegments\":[{\"name\":\"Invocation\",\"id\":\"3333333333333333\",\"start_time\":$now.25,\"end_time\":$now.4}]}" \
    >/dev/null

  run "$ROOT/scripts/trace.sh" step-1 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
  [[ "$output" == *"xray-workbook-step-1 AWS::Lambda::Function"* ]]
  [[ "$output" == *"    Invocation "* ]]
  [[ "$output" == *"Client -> xray-workbook-step-1 (AWS::Lambda)  1 call  OK"* ]]
  [[ "$output" != *"Transaction Search"* ]]
  [ -f "$BATS_TEST_TMPDIR/trace.html" ]
  run python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Traces"][0]["Id"])' "$BATS_TEST_TMPDIR/trace.json"
  [ "$output" = "$trace" ]
}

@test "trace.sh saves JSON that view reads when the CLI's default output is a table" {
  local trace
  trace="$(put_lambda_trace xray-workbook-step-2)"

  AWS_DEFAULT_OUTPUT=table run "$ROOT/scripts/trace.sh" step-2 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
  [[ "$output" == *"xray-workbook-step-2 AWS::Lambda::Function"* ]]
  [[ "$output" == *"    Invocation "* ]]
  [[ "$output" == *"Client -> xray-workbook-step-2 (AWS::Lambda)  1 call  OK"* ]]
  run python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Traces"][0]["Id"])' "$BATS_TEST_TMPDIR/trace.json"
  [ "$output" = "$trace" ]

  # The workbench's view reads the saved file on its own, as a reader would run it.
  run java -jar "$ROOT/workbench/target/xray-workbench.jar" view "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"xray-workbook-step-2 AWS::Lambda::Function"* ]]
}

@test "trace.sh says in one line when Transaction Search is on, and still finds the trace" {
  local trace
  trace="$(put_lambda_trace xray-workbook-step-4)"
  stub_transaction_search_on

  run "$ROOT/scripts/trace.sh" step-4 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Transaction Search is on in eu-west-1: spans go to CloudWatch Logs"*"1% are indexed as trace summaries by default"*"CloudWatch console under Transaction Search or Traces"*"aws xray update-indexing-rule"* ]]
  [ "$(grep -c 'Transaction Search is on' <<<"$output")" -eq 1 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]

  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Transaction Search is on in eu-west-1"* ]]
}

@test "trace.sh finds a trace that ended within the current second" {
  # Trace times are whole seconds in the search. trace.sh's clock (date +%s) is pinned to the
  # second in which the trace ends, as when it runs right after an invocation: a search window
  # that ended at the start of that second would miss the trace. The second lies ahead of every
  # other trace of step-1 here, so that this one is the newest.
  local second trace real
  second=$(($(date +%s) + 5))
  trace="$(put_lambda_trace xray-workbook-step-1 "$second")"
  real="$(command -v date)"
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/date" <<STUB
#!/usr/bin/env bash
if [[ "\$*" == "+%s" ]]; then
  echo $second
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/date"

  PATH="$BATS_TEST_TMPDIR/bin:$PATH" run "$ROOT/scripts/trace.sh" step-1 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
}

@test "trace.sh with no trace to find says so in one line" {
  run "$ROOT/scripts/trace.sh" step-3 --wait 0
  assert_one_line_error "trace.sh: no trace of xray-workbook-step-3 in the last 30 minutes"
}

@test "cleanup refuses to delete without --yes when there is no terminal" {
  run "$ROOT/scripts/cleanup.sh" </dev/null
  [ "$status" -eq 1 ]
  [[ "${lines[-1]}" == "cleanup.sh: not deleting without confirmation: run scripts/cleanup.sh --yes" ]]
  run aws_ lambda get-function --function-name xray-workbook-step-1
  [ "$status" -eq 0 ]
}

@test "cleanup --yes removes everything tagged, leaves the rest, and is safe to run twice" {
  aws_ s3api create-bucket --bucket not-the-workbooks --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null

  run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted function xray-workbook-step-1 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-2 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-4 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-5 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-6 in eu-west-1"* ]]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Deleted bucket xray-workbook-bats"* ]]

  run aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]
  # Deleting a function deletes its versions and aliases: step 6's alias went with it.
  run aws_ lambda get-alias --function-name xray-workbook-step-6 --name live
  [ "$status" -ne 0 ]
  run aws_ iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -ne 0 ]
  run aws_ s3api list-buckets --query 'Buckets[].Name' --output text
  [ "$output" = not-the-workbooks ]

  run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [ "$output" = "Nothing of the workbook's is left (looked in eu-west-1)." ]
}

@test "cleanup run from another region finds the functions in every region deploy used" {
  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  AWS_REGION=us-west-2 run "$ROOT/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats-west
  [ "$status" -eq 0 ]
  run aws_ iam list-role-tags --role-name xray-workbook-lambda-role \
    --query "Tags[?Key=='xray-workbook-regions'].Value | [0]" --output text
  [ "$output" = "eu-west-1 us-west-2" ]

  AWS_REGION=ap-southeast-2 run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"looked in ap-southeast-2 eu-west-1 us-west-2"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-1 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-2 in us-west-2"* ]]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Deleted bucket xray-workbook-bats-west"* ]]

  for region in eu-west-1 us-west-2 ap-southeast-2; do
    run functions_without_their_role "$region"
    [ "$output" = "" ]
    AWS_REGION="$region" run aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
    [ "$output" = "" ]
  done
}

@test "cleanup keeps the role while a function it may not delete still uses it" {
  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  local role_arn
  role_arn="$(aws_ iam get-role --role-name xray-workbook-lambda-role --query Role.Arn --output text)"
  placeholder_zip "$BATS_TEST_TMPDIR/other.zip"
  AWS_REGION=us-west-2 aws_ lambda create-function --function-name someone-elses-function \
    --runtime java21 --handler example.Handler --role "$role_arn" \
    --zip-file "fileb://$BATS_TEST_TMPDIR/other.zip" >/dev/null
  # That region is on the role's list only because the reader deployed there once.
  aws_ iam tag-role --role-name xray-workbook-lambda-role \
    --tags '[{"Key":"xray-workbook-regions","Value":"eu-west-1 us-west-2"}]'

  AWS_REGION=us-east-2 run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted function xray-workbook-step-1 in eu-west-1"* ]]
  [[ "$output" != *"Deleted role"* ]]
  [[ "$output" == *"  role      xray-workbook-lambda-role, because functions without the workbook's tag use the role: us-west-2:someone-elses-function"* ]]
  [[ "${lines[-1]}" == "Kept the role and the buckets: "* ]]
  for region in eu-west-1 us-west-2; do
    run functions_without_their_role "$region"
    [ "$output" = "" ]
  done

  AWS_REGION=us-west-2 aws_ lambda delete-function --function-name someone-elses-function
  run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
}

@test "cleanup looks in every enabled region when the role has no list of regions" {
  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  AWS_REGION=us-west-2 run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  # As an older deploy.sh left it.
  aws_ iam untag-role --role-name xray-workbook-lambda-role --tag-keys xray-workbook-regions
  # moto lists 38 regions; three keep the test short.
  local real
  real="$(command -v aws)"
  mkdir -p "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/aws" <<STUB
#!/usr/bin/env bash
if [[ "\$1 \$2" == "ec2 describe-regions" ]]; then
  printf 'eu-west-1\tus-east-1\tus-west-2\n'
  exit 0
fi
exec "$real" "\$@"
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/aws"

  PATH="$BATS_TEST_TMPDIR/bin:$PATH" AWS_REGION=eu-west-1 run "$ROOT/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "The role carries no list of regions: looking for the workbook's functions in every enabled region..." ]]
  [[ "$output" == *"Deleted function xray-workbook-step-1 in eu-west-1"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-1 in us-west-2"* ]]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
  for region in eu-west-1 us-west-2; do
    run functions_without_their_role "$region"
    [ "$output" = "" ]
  done
}

@test "an unknown step is one line and a non-zero exit, for every script that takes one" {
  for script in deploy invoke trace zip local; do
    run "$ROOT/scripts/$script.sh" step-99
    assert_one_line_error "$script.sh: unknown step 'step-99': choose step-1, step-2, step-3, step-4, step-5"
  done
}

@test "a missing region is one line" {
  run env -u AWS_REGION -u AWS_DEFAULT_REGION "$ROOT/scripts/deploy.sh" step-1
  assert_one_line_error "deploy.sh: no AWS region: export AWS_REGION="
}

@test "missing credentials are one line" {
  run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$ROOT/scripts/deploy.sh" step-1
  assert_one_line_error "deploy.sh: no usable AWS credentials: run aws configure"
}

@test "an unbuilt package is one line that says how to build it" {
  local copy="$BATS_TEST_TMPDIR/workbook"
  mkdir -p "$copy/step-1-blank"
  cp -r "$ROOT/scripts" "$copy/"
  cp "$ROOT/step-1-blank/pom.xml" "$copy/step-1-blank/"
  run "$copy/scripts/deploy.sh" step-1
  assert_one_line_error "deploy.sh: step-1-blank has not been built: run scripts/zip.sh step-1 first"
}

@test "a malformed event or a bad count is one line" {
  echo '{"broken": ' >"$BATS_TEST_TMPDIR/event.json"
  run "$ROOT/scripts/invoke.sh" step-1 --event "$BATS_TEST_TMPDIR/event.json"
  assert_one_line_error "invoke.sh: the event file $BATS_TEST_TMPDIR/event.json is not valid JSON"
  run "$ROOT/scripts/invoke.sh" step-1 --times 0
  assert_one_line_error "invoke.sh: --times takes a whole number from 1, not '0'"
}
