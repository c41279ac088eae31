#!/usr/bin/env bats
# The account scripts against moto_server, a local AWS API endpoint on 127.0.0.1. moto stores
# roles, buckets, functions and traces but cannot run Java, so invocations are not tested here.

load helpers

setup_file() {
  # The tests build on each other's deployments, in order.
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  use_executables_not_shims
  start_moto moto_server
  # Step 1 deploys its real package (10 KB) from this checkout, where the build made it; the other
  # steps deploy from a copy of the workbook with placeholder packages: moto stores a function's
  # package but never runs it, and uploading a real one (11 MB) costs a second or more each time.
  export WORKBOOK="$BATS_FILE_TMPDIR/workbook"
  placeholder_workbook "$WORKBOOK"
}

teardown_file() {
  stop_moto
}

# The steps of this workbook, as the scripts' own reader (common.sh) lists them.
module_steps() {
  (
    # shellcheck source=../lib/common.sh
    source "$1/scripts/lib/common.sh"
    WORKBOOK_ROOT="$1"
    for module in $(step_modules); do
      echo "step-$(step_number "$module")"
    done
  )
}

# What makes STEP of the workbook at WORKBOOK deployable only as a stack, as common.sh reads its POM.
stack_only() {
  (
    # shellcheck source=../lib/common.sh
    source "$1/scripts/lib/common.sh"
    WORKBOOK_ROOT="$1"
    resolve_step "$2"
    stack_only_reason
  )
}

@test "the warm CLI the suites run answers as the plain aws does: output, errors, exit codes, stdin" {
  [ -f "$BATS_FILE_TMPDIR/warm-cli.plain" ] || skip "the aws on PATH is not AWS CLI v1: the suites run it plain"
  local plain call warm_output warm_status
  plain="$(cat "$BATS_FILE_TMPDIR/warm-cli.plain")"
  printf '{"message": "through stdin"}\n' >"$BATS_TEST_TMPDIR/stdin.json"
  # The later tests count the buckets: this one goes at the end.
  aws_ s3api create-bucket --bucket xray-workbook-warm-cli \
    --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
  for call in "sts get-caller-identity" "s3api list-buckets --query Buckets[].Name --output text" \
      "lambda get-function --function-name no-such-function" "no-such-command" \
      "s3api put-object --bucket xray-workbook-warm-cli --key k --body /dev/stdin --output text --query ETag"; do
    # shellcheck disable=SC2086  # each call is its words
    run aws_ $call <"$BATS_TEST_TMPDIR/stdin.json"
    warm_output="$output" warm_status="$status"
    # shellcheck disable=SC2086
    AWS_DEFAULT_REGION="$AWS_REGION" run "$plain" $call <"$BATS_TEST_TMPDIR/stdin.json"
    [ "$status" -eq "$warm_status" ] || { echo "$call: exit $warm_status warm, $status plain"; false; }
    [ "$output" = "$warm_output" ] || { echo "$call: '$warm_output' warm, '$output' plain"; false; }
  done
  aws_ s3 rb s3://xray-workbook-warm-cli --force >/dev/null
}

@test "every script is shellcheck-clean" {
  run shellcheck -x "$ROOT"/scripts/*.sh "$ROOT"/scripts/lib/common.sh "$ROOT"/scripts/test/*.sh \
    "$ROOT"/scripts/test/helpers.bash "$ROOT"/.ci/run
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
  run "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats
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

@test "a second deploy updates the function instead of failing, and says when Transaction Search is on" {
  # An account with Transaction Search on (moto does not have that setting).
  stub_aws_call xray get-trace-segment-destination CloudWatchLogs
  run "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Reusing role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Reusing bucket xray-workbook-bats"* ]]
  [[ "$output" == *"Updated function xray-workbook-step-2"* ]]
  [[ "$output" == *"Transaction Search is on in eu-west-1"* ]]
}

@test "deploy step-4 creates the bucket, the function with Active tracing, its handler and BUCKET_NAME" {
  local handler
  handler="$(sed -n 's:.*<lambda.handler>\(.*\)</lambda.handler>.*:\1:p' "$WORKBOOK/step-4-opentelemetry/pom.xml")"
  [[ "$handler" == io.github.xrayworkbook.step4.OpenTelemetryHandler::* ]]

  run "$WORKBOOK/scripts/deploy.sh" step-4 --no-invoke --bucket xray-workbook-bats
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
  local arn=arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJava:16
  publish_opentelemetry_layer 16
  record_aws_calls

  run "$WORKBOOK/scripts/deploy.sh" step-5 --no-invoke --bucket xray-workbook-bats
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
  run "$WORKBOOK/scripts/deploy.sh" step-5 --no-invoke --bucket xray-workbook-bats --layer-arn "$arn" --application-signals
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
  run "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke --layer-arn arn:aws:lambda:eu-west-1:1:layer:x:1
  assert_one_line_error "deploy.sh: step-2 runs without AWS's OpenTelemetry layer: --layer-arn and"
  # A commercial region the table does not hold.
  run grep -c '^me-south-1	' "$ROOT/scripts/lib/opentelemetry-layer-arns.tsv"
  [ "$output" = 0 ]
  AWS_REGION=me-south-1 run "$WORKBOOK/scripts/deploy.sh" step-5 --no-invoke
  assert_one_line_error "deploy.sh: this script knows no ARN of AWS's OpenTelemetry layer in me-south-1: find it in"
}

@test "the scripts refuse a region outside AWS's commercial partition before any call to AWS" {
  local region script
  record_aws_calls
  # China, AWS GovCloud (US), the isolated regions and the AWS European Sovereign Cloud, two
  # regions for each script.
  set -- deploy.sh cn-north-1 invoke.sh cn-northwest-1 trace.sh us-gov-west-1 cleanup.sh us-iso-east-1 \
    deploy.sh us-isob-east-1 invoke.sh us-isof-south-1 trace.sh eu-isoe-west-1 cleanup.sh eusc-de-east-1
  while [ $# -gt 0 ]; do
    script="$1" region="$2"
    shift 2
    if [ "$script" = cleanup.sh ]; then
      AWS_REGION="$region" run "$ROOT/scripts/$script" --yes
    else
      AWS_REGION="$region" run "$ROOT/scripts/$script" step-1
    fi
    assert_one_line_error "$script: $region is not a commercial AWS region, and these scripts support commercial regions only (ARNs arn:aws:...): export AWS_REGION=eu-west-1 (or another commercial region)"
  done
  [ ! -e "$BATS_TEST_TMPDIR/aws-calls" ]
  # Nothing in the scripts writes an ARN of another partition.
  run grep -rlE 'arn:aws-|^cn-' "$ROOT/scripts/lib" "$ROOT/scripts/iam" "$ROOT"/scripts/*.sh
  [ "$output" = "" ]
}

@test "deploy.sh refuses a step with SnapStart where AWS does not offer it, before any call to AWS" {
  local region
  record_aws_calls
  # Asia Pacific (Taipei) and Asia Pacific (New Zealand).
  for region in ap-east-2 ap-southeast-6; do
    AWS_REGION="$region" run "$WORKBOOK/scripts/deploy.sh" step-6 --no-invoke
    assert_one_line_error "deploy.sh: step-6 runs with Lambda SnapStart, which AWS does not offer in $region: deploy step-6 to another region (export AWS_REGION=eu-west-1, say)"
  done
  [ ! -e "$BATS_TEST_TMPDIR/aws-calls" ]

  # The step's POM says so, not its name: a new step with SnapStart is refused, one without is not.
  local copy="$BATS_TEST_TMPDIR/copy"
  copy_workbook "$copy" step-1-blank
  mkdir -p "$copy/step-12-demo"
  printf '<project><properties><lambda.handler>demo.Handler::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.snapstart>true</workbook.snapstart>' >"$copy/step-12-demo/pom.xml"
  AWS_REGION=ap-southeast-6 run "$copy/scripts/deploy.sh" step-12 --no-invoke
  assert_one_line_error "deploy.sh: step-12 runs with Lambda SnapStart, which AWS does not offer in ap-southeast-6"
  AWS_REGION=ap-southeast-6 run "$copy/scripts/deploy.sh" step-1 --no-invoke
  assert_one_line_error "deploy.sh: step-1-blank has not been built: run scripts/zip.sh step-1 first"
}

@test "deploy step-6 turns SnapStart on, publishes a version and points the alias live at it" {
  record_aws_calls

  run "$WORKBOOK/scripts/deploy.sh" step-6 --no-invoke --bucket xray-workbook-bats
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
  run "$WORKBOOK/scripts/deploy.sh" step-6 --no-invoke --bucket xray-workbook-bats
  [ "$status" -eq 0 ]
  [[ "$output" == *"Published version 2 with SnapStart; alias live points to it"* ]]
  grep -q -- "^lambda update-function-configuration .* --snap-start ApplyOn=PublishedVersions" "$BATS_TEST_TMPDIR/aws-calls"
  run aws_ lambda get-alias --function-name xray-workbook-step-6 --name live --query FunctionVersion --output text
  [ "$output" = 2 ]

  # invoke.sh calls the alias: SnapStart restores published versions only.
  run "$WORKBOOK/scripts/invoke.sh" step-6
  [ "$status" -eq 0 ]
  [ "$output" = "Response: {}" ]
  grep -q -- "^lambda invoke --function-name xray-workbook-step-6 --qualifier live " "$BATS_TEST_TMPDIR/aws-calls"
}

@test "every step-N module is a step of deploy.sh, local.sh and the other scripts, and a new one would be too" {
  local steps expected script
  steps="$(module_steps "$ROOT" | tr '\n' ' ')"
  [[ "$steps" == "step-1 step-2 step-3 step-4 step-5 step-6 "* ]]
  expected="$(module_steps "$ROOT" | sed '$!s/$/,/' | tr '\n' ' ' | sed 's/, \([^ ]*\) $/ or \1/')"
  for script in deploy deploy-stack invoke trace zip local; do
    run "$ROOT/scripts/$script.sh" --help
    [ "${lines[-1]}" = "The steps in this checkout: $expected" ]
  done
  # Each is known: deploy.sh gets past the step to the region it lacks, or refuses a step that
  # only a stack can deploy (its POM says which, as the next test shows).
  for step in $steps; do
    run env -u AWS_REGION -u AWS_DEFAULT_REGION "$ROOT/scripts/deploy.sh" "$step" --no-invoke
    if [[ -n "$(stack_only "$ROOT" "$step")" ]]; then
      assert_one_line_error "deploy.sh: $step has a "
    else
      assert_one_line_error "deploy.sh: no AWS region: export AWS_REGION="
    fi
  done

  # A workbook with one more module: every script knows it, with no other change.
  local copy="$BATS_TEST_TMPDIR/workbook"
  copy_workbook "$copy" step-1-blank
  mkdir -p "$copy/step-12-demo"
  printf '<project><properties><lambda.handler>demo.Handler::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.reads-s3>true</workbook.reads-s3><workbook.snapstart>true</workbook.snapstart>' >"$copy/step-12-demo/pom.xml"
  for script in deploy deploy-stack invoke trace zip local; do
    run "$copy/scripts/$script.sh" --help
    [ "${lines[-1]}" = "The steps in this checkout: step-1 or step-12" ]
    run "$copy/scripts/$script.sh" step-9
    assert_one_line_error "$script.sh: unknown step 'step-9': choose step-1 or step-12"
  done
  run "$copy/scripts/deploy.sh" step-12 --no-invoke
  assert_one_line_error "deploy.sh: step-12-demo has not been built: run scripts/zip.sh step-12 first"
}

@test "deploy.sh refuses a step with a REST API or a queue in one line, before any call to AWS, as its POM says" {
  record_aws_calls
  run "$WORKBOOK/scripts/deploy.sh" step-7
  assert_one_line_error "deploy.sh: step-7 has a REST API and a queue: deploy it with scripts/deploy-stack.sh step-7"
  [ "${#lines[@]}" -eq 1 ]

  # A new step with either is refused the same way, with no other change; a bad route is one line.
  local copy="$BATS_TEST_TMPDIR/copy"
  copy_workbook "$copy" step-1-blank
  mkdir -p "$copy/step-12-api" "$copy/step-13-queue" "$copy/step-14-bad"
  printf '<project><properties><lambda.handler>demo.Api::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.rest-api> GET /items </workbook.rest-api>' >"$copy/step-12-api/pom.xml"
  printf '<project><properties><lambda.handler>demo.Send::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.queue-handler>demo.Receive::handleRequest</workbook.queue-handler>' >"$copy/step-13-queue/pom.xml"
  printf '<project><properties><lambda.handler>demo.Api::handleRequest</lambda.handler>%s</properties></project>\n' \
    '<workbook.rest-api>/items</workbook.rest-api>' >"$copy/step-14-bad/pom.xml"
  run "$copy/scripts/deploy.sh" step-12
  assert_one_line_error "deploy.sh: step-12 has a REST API: deploy it with scripts/deploy-stack.sh step-12"
  run "$copy/scripts/deploy.sh" step-13 --no-invoke
  assert_one_line_error "deploy.sh: step-13 has a queue: deploy it with scripts/deploy-stack.sh step-13"
  run "$copy/scripts/deploy.sh" step-14
  assert_one_line_error "deploy.sh: step-14-bad/pom.xml: <workbook.rest-api> must be a method and a path, e.g. POST /messages, not '/items'"
  [ ! -e "$BATS_TEST_TMPDIR/aws-calls" ]
  # A step with neither goes on to deploy.
  run "$copy/scripts/deploy.sh" step-1
  assert_one_line_error "deploy.sh: step-1-blank has not been built"
}

@test "trace.sh finds the function's newest trace, saves it and renders it" {
  local trace
  trace="$(put_lambda_trace xray-workbook-step-1)"

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
  stub_aws_call xray get-trace-segment-destination CloudWatchLogs

  run "$ROOT/scripts/trace.sh" step-4 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Transaction Search is on in eu-west-1: spans go to CloudWatch Logs"*"1% are indexed as trace summaries by default"*"CloudWatch console under Transaction Search or Traces"*"aws xray update-indexing-rule"* ]]
  [ "$(grep -c 'Transaction Search is on' <<<"$output")" -eq 1 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
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

# A new trace id at the epoch second $1.
trace_id_at() {
  printf '1-%08x-%08x%08x%08x' "$1" "$RANDOM" "$RANDOM" "$RANDOM"
}

# Writes a trace of the function $1 with the id $2 at the epoch second $3, as Lambda records one
# today (its AWS::Lambda segment, then its AWS::Lambda::Function segment), and the JSON $4
# (default: nothing), such as a links member, on the segment $5 (lambda or function, default:
# function).
put_step7_trace() {
  local lambda_extra="" function_extra=""
  if [ "${5:-function}" = lambda ]; then lambda_extra="${4:+,$4}"; else function_extra="${4:+,$4}"; fi
  aws_ xray put-trace-segments --trace-segment-documents \
    "{\"name\":\"$1\",\"id\":\"1111111111111111\",\"trace_id\":\"$2\",\"start_time\":$3.1,\"end_time\":$3.9,\"origin\":\"AWS::Lambda\"$lambda_extra}" \
    "{\"name\":\"$1\",\"id\":\"2222222222222222\",\"parent_id\":\"1111111111111111\",\"trace_id\":\"$2\",\"start_time\":$3.2,\"end_time\":$3.8,\"origin\":\"AWS::Lambda::Function\"$function_extra}" \
    >/dev/null
}

@test "trace.sh step-7 finds the API function's newest trace, then the queue function's trace it links to, and shows both" {
  local now producer consumer unlinked link
  now=$(($(date +%s) - 30))
  producer="$(trace_id_at "$now")" consumer="$(trace_id_at $((now + 1)))" unlinked="$(trace_id_at $((now + 2)))"
  # The link as a stored trace of an SQS producer holds it: on the producer's side, naming the consumer's trace.
  link="\"links\":[{\"trace_id\":\"$consumer\",\"id\":\"1111111111111111\",\"attributes\":{\"aws.xray.reserved.type\":\"AWS::Lambda\",\"aws.xray.reserved.names\":[\"xray-workbook-step-7-queue\"],\"aws.xray.reserved.reference_type\":\"child\"}}]"
  put_step7_trace xray-workbook-step-7 "$producer" "$now" "$link"
  put_step7_trace xray-workbook-step-7-queue "$consumer" $((now + 1))
  # A newer trace of the consumer, of another message.
  put_step7_trace xray-workbook-step-7-queue "$unlinked" $((now + 2))

  run "$ROOT/scripts/trace.sh" step-7 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Linked: the queue's message started the trace $consumer of xray-workbook-step-7-queue, linked to $producer"* ]]
  [[ "$output" == *"Saved trace $producer $consumer to $BATS_TEST_TMPDIR/trace.json"* ]]
  # Both traces rendered: each map.
  [[ "$output" == *"xray-workbook-step-7 (AWS::Lambda) -> xray-workbook-step-7 (AWS::Lambda::Function)  1 call  OK"* ]]
  [[ "$output" == *"xray-workbook-step-7-queue (AWS::Lambda) -> xray-workbook-step-7-queue (AWS::Lambda::Function)  1 call  OK"* ]]
  [ -f "$BATS_TEST_TMPDIR/trace.html" ]
  run python3 -c 'import json, sys; print(" ".join(sorted(t["Id"] for t in json.load(open(sys.argv[1]))["Traces"])))' "$BATS_TEST_TMPDIR/trace.json"
  [ "$output" = "$producer $consumer" ]
}

@test "trace.sh step-7 also finds a queue function's trace that names the first trace itself, and says so when there is none" {
  local now producer consumer
  now=$(($(date +%s) - 20))
  producer="$(trace_id_at "$now")" consumer="$(trace_id_at $((now + 1)))"
  put_step7_trace xray-workbook-step-7 "$producer" "$now"
  # A link on the consumer's side, a form no stored trace found shows (see trace.sh).
  put_step7_trace xray-workbook-step-7-queue "$consumer" $((now + 1)) \
    "\"links\":[{\"trace_id\":\"$producer\",\"id\":\"2222222222222222\"}]" lambda
  run "$ROOT/scripts/trace.sh" step-7 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $producer $consumer to $BATS_TEST_TMPDIR/trace.json"* ]]

  # A newer trace of the API function with no linked trace: it is shown, then one line says what is missing.
  producer="$(trace_id_at $((now + 5)))"
  put_step7_trace xray-workbook-step-7 "$producer" $((now + 5))
  run "$ROOT/scripts/trace.sh" step-7 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"Saved trace $producer to $BATS_TEST_TMPDIR/trace.json"* ]]
  [ "${lines[-1]}" = "trace.sh: no trace of xray-workbook-step-7-queue linked to $producer yet: the message may still be on its way, or its invocation was not sampled; run scripts/trace.sh step-7 again, with --wait 120 to wait longer" ]
  [ "$(grep -c '^trace.sh:' <<<"$output")" -eq 1 ]
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

@test "an unknown step is one line and a non-zero exit, for every script that takes one" {
  for script in deploy deploy-stack invoke trace zip local; do
    run "$ROOT/scripts/$script.sh" step-99
    assert_one_line_error "$script.sh: unknown step 'step-99': choose step-1, step-2, step-3, step-4, step-5"
  done
}

@test "a missing region is one line" {
  for script in deploy deploy-stack; do
    run env -u AWS_REGION -u AWS_DEFAULT_REGION "$ROOT/scripts/$script.sh" step-1
    assert_one_line_error "$script.sh: no AWS region: export AWS_REGION="
  done
}

@test "missing credentials are one line" {
  for script in deploy deploy-stack; do
    run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$ROOT/scripts/$script.sh" step-1
    assert_one_line_error "$script.sh: no usable AWS credentials: run aws configure"
  done
}

@test "an unbuilt package is one line that says how to build it" {
  local copy="$BATS_TEST_TMPDIR/workbook"
  copy_workbook "$copy" step-1-blank
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

@test "bench-workbench.sh refuses a bad count in one line, before it builds anything" {
  run "$ROOT/scripts/bench-workbench.sh" --runs 0
  assert_one_line_error "bench-workbench.sh: --runs takes a whole number from 1, not '0'"
  run "$ROOT/scripts/bench-workbench.sh" --warm x
  assert_one_line_error "bench-workbench.sh: --warm takes a whole number from 1, not 'x'"
  run "$ROOT/scripts/bench-workbench.sh" --concurrency 1601
  assert_one_line_error "bench-workbench.sh: --concurrency takes a whole number from 1 to 1600, not '1601'"
  run "$ROOT/scripts/bench-workbench.sh" --only 7
  assert_one_line_error "bench-workbench.sh: --only takes a measurement from 1 to 6, not '7'"
}
