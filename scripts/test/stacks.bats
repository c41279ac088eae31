#!/usr/bin/env bats
# deploy-stack.sh and cleanup.sh's stacks, against moto_server with CloudFormation's SAM transform
# (moto_sam_server.py runs AWS's open-source SAM translator, as CloudFormation does, since moto
# has no transforms). What moto makes of a stack and checks here: the calls and their order
# (package, deploy, the waiters, delete), the stack's parameters and tags, the function's name,
# handler, runtime, memory, timeout and variables, the role the stack makes with its inline
# policy, SnapStart's version, and deleting it all. What it ignores (tracing, layers, SnapStart,
# managed policies, the alias) the offline tests of the translated templates check
# (templates.bats). States moto cannot reach (a failed first deploy, a stack that fails to
# delete) come from a stand-in for one CLI call (stub_aws_call), named in each test.
# Step 7: moto's CloudFormation makes its queues, event source mapping, permission and REST API
# (with the stand-ins of moto_sam_transform.py for the API's routes, its stage and the stack's
# outputs), but delivers no message and serves no API address: invoke.sh's requests go to a local
# HTTP server (start_api_server) that stands in for the address, through stub_api_url.

load helpers

setup_file() {
  # The tests build on each other's stacks, in order, as a reader's deploys would.
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  use_executables_not_shims
  start_moto "$(moto_python)" "$BATS_TEST_DIRNAME/moto_sam_server.py"
  # Placeholder packages, as in scripts.bats: moto stores a package but never runs it.
  export WORKBOOK="$BATS_FILE_TMPDIR/workbook"
  placeholder_workbook "$WORKBOOK"
  export XRAY_WORKBOOK_BUCKET=xray-workbook-bats-stacks
  start_api_server
  export API_SERVER_URL
}

teardown_file() {
  stop_api_server
  stop_moto
}

# The requests the API stand-in received, one a line: METHOD PATH CONTENT-TYPE TRACE-HEADER BODY.
api_requests() {
  python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["method"], r["path"], r["headers"].get("Content-Type"), r["headers"].get("X-Amzn-Trace-Id"), r["body"].strip())
' "$BATS_FILE_TMPDIR/api-requests"
}

# A stack's value at the JMESPath QUERY of describe-stacks' first stack, as text.
stack_() {
  aws_ cloudformation describe-stacks --stack-name "$1" --query "Stacks[0].$2" --output text
}

@test "deploy-stack step-1 makes the stack, its function as the template says, and a role of its own" {
  run "$WORKBOOK/scripts/deploy-stack.sh" step-1 --no-invoke
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Deploying step-1 as the stack xray-workbook-step-1 to account 123456789012 in eu-west-1" ]]
  [[ "$output" == *"Uploaded the package to s3://xray-workbook-bats-stacks/stack-packages/step-1/"* ]]
  [[ "$output" == *"Stack xray-workbook-step-1: CREATE_COMPLETE"* ]]
  [[ "$output" == *"Traces: "*"scripts/trace.sh step-1" ]]

  [ "$(stack_ xray-workbook-step-1 "Tags[?Key=='project'].Value | [0]")" = xray-lambda-workbook ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-1 \
    --query '[Handler, Runtime, MemorySize, Timeout, Role]' --output text
  [[ "$output" == "io.github.xrayworkbook.step1.HelloHandler::handleRequest	java21	512	15	arn:aws:iam::123456789012:role/xray-workbook-step-1-FunctionRole-"* ]]
  role="${output##*/}"
  # The stack's tags reach its function, with CloudFormation's own.
  run aws_ lambda list-tags --resource arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-1 \
    --query 'Tags.["aws:cloudformation:stack-name", project]' --output text
  [ "$output" = "xray-workbook-step-1	xray-lambda-workbook" ]
  # Step 1 reads nothing: no inline policy, and the package is the only object in the bucket.
  run aws_ iam list-role-policies --role-name "$role" --query 'PolicyNames' --output text
  [ "$output" = "" ]
  run aws_ s3api list-objects-v2 --bucket xray-workbook-bats-stacks --query 'Contents[].Key' --output text
  [[ "$output" == stack-packages/step-1/* ]]
  # The CLI's own role is not made.
  run aws_ iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -ne 0 ]
}

@test "deploy-stack step-2 passes the bucket: BUCKET_NAME, the object, and read access to exactly it" {
  run "$WORKBOOK/scripts/deploy-stack.sh" step-2 --no-invoke
  [ "$status" -eq 0 ]
  [ "$(stack_ xray-workbook-step-2 "Parameters[?ParameterKey=='BucketName'].ParameterValue | [0]")" = xray-workbook-bats-stacks ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-2 \
    --query 'Environment.Variables.BUCKET_NAME' --output text
  [ "$output" = xray-workbook-bats-stacks ]
  run aws_ s3 cp s3://xray-workbook-bats-stacks/sample_data.json -
  [ "$output" = '{"message": "Hello from S3!"}' ]
  role="$(aws_ lambda get-function-configuration --function-name xray-workbook-step-2 --query Role --output text)"
  run aws_ iam get-role-policy --role-name "${role##*/}" --policy-name FunctionRolePolicy0 \
    --query PolicyDocument --output text
  [ "$status" -eq 0 ]
  # moto keeps a stack's inline policy as Python's text of it, not JSON.
  [ "$(python3 -c 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())["Statement"], sort_keys=True))' <<<"$output")" \
    = '[{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::xray-workbook-bats-stacks/sample_data.json"}]' ]
}

@test "a second deploy-stack of the same step updates the stack in place" {
  id="$(stack_ xray-workbook-step-2 StackId)"
  echo changed >>"$WORKBOOK/step-2-s3-patched/target/step-2-s3-patched-lambda.jar"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-2 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Reusing bucket xray-workbook-bats-stacks"* ]]
  [[ "$output" == *"Stack xray-workbook-step-2: UPDATE_COMPLETE"* ]]
  [ "$(stack_ xray-workbook-step-2 StackId)" = "$id" ]
  # Nothing changed: still no failure.
  run "$WORKBOOK/scripts/deploy-stack.sh" step-2 --no-invoke
  [ "$status" -eq 0 ]
}

@test "deploy-stack step-5 passes the region's layer and Application Signals as the template's parameters" {
  layer="$(cd "$WORKBOOK" && bash -c 'source scripts/lib/common.sh; opentelemetry_layer_arn eu-west-1')"
  # moto looks the layer version up when a stack updates the function.
  publish_opentelemetry_layer "${layer##*:}"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-5 --no-invoke
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Layer: $layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument)"* ]]
  [ "$(stack_ xray-workbook-step-5 "Parameters[?ParameterKey=='OpenTelemetryLayerArn'].ParameterValue | [0]")" = "$layer" ]
  [ "$(stack_ xray-workbook-step-5 "Parameters[?ParameterKey=='ApplicationSignals'].ParameterValue | [0]")" = false ]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-5 \
    --query 'Environment.Variables.[AWS_LAMBDA_EXEC_WRAPPER, OTEL_AWS_APPLICATION_SIGNALS_ENABLED]' --output text
  [ "$output" = "/opt/otel-instrument	false" ]

  run "$WORKBOOK/scripts/deploy-stack.sh" step-5 --no-invoke --application-signals --layer-arn "$layer"
  [ "$status" -eq 0 ]
  [ "$(stack_ xray-workbook-step-5 "Parameters[?ParameterKey=='ApplicationSignals'].ParameterValue | [0]")" = true ]
}

@test "deploy-stack step-6 publishes a version through the template's AutoPublishAlias and invokes its alias" {
  record_aws_calls
  run "$WORKBOOK/scripts/deploy-stack.sh" step-6
  [ "$status" -eq 0 ]
  [[ "$output" == *"SnapStart on published versions; alias live points to the latest"* ]]
  [[ "$output" == *"Response: {}"* ]]
  grep -q '^cloudformation package --template-file .*/step-6-snapstart/template.yaml ' "$BATS_TEST_TMPDIR/aws-calls"
  grep -q '^cloudformation deploy .* --capabilities CAPABILITY_IAM ' "$BATS_TEST_TMPDIR/aws-calls"
  grep -q '^lambda invoke --function-name xray-workbook-step-6 --qualifier live ' "$BATS_TEST_TMPDIR/aws-calls"
  run aws_ cloudformation describe-stack-resources --stack-name xray-workbook-step-6 \
    --query 'StackResources[].ResourceType' --output text
  [[ "$output" == *"AWS::Lambda::Version"* ]]
  run aws_ lambda list-versions-by-function --function-name xray-workbook-step-6 --query 'length(Versions)'
  [ "$output" -ge 2 ]
}

@test "deploy-stack step-7 makes the API with its traced stage, both functions, the queues and the mapping, and calls the API" {
  local path="$PATH"
  stub_api_url "$API_SERVER_URL/prod/messages"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-7
  PATH="$path"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Stack xray-workbook-step-7: CREATE_COMPLETE"* ]]
  [[ "$output" == *"API:    POST $API_SERVER_URL/prod/messages (scripts/invoke.sh step-7 calls it)"* ]]
  [[ "$output" == *"Queue:  xray-workbook-step-7 sends to it; Lambda hands its messages to xray-workbook-step-7-queue"* ]]
  [[ "$output" == *"Response: HTTP 202 {\"messageId\": \"m-1\"}"* ]]
  [[ "$output" == *"Logs:   /aws/lambda/xray-workbook-step-7 "* ]]
  [[ "$output" == *"Logs:   /aws/lambda/xray-workbook-step-7-queue "* ]]
  [ "$(api_requests)" = 'POST /prod/messages application/json None {"greeting": "Hello from the X-Ray Lambda Workbook"}' ]

  # What moto made of the stack: the address its output gives, the API's one route and traced stage.
  api="$(aws_ apigateway get-rest-apis --query "items[?name=='xray-workbook-step-7'].id | [0]" --output text)"
  [ "$(stack_ xray-workbook-step-7 "Outputs[?OutputKey=='ApiUrl'].OutputValue | [0]")" = "https://$api.execute-api.eu-west-1.amazonaws.com/prod/messages" ]
  run aws_ apigateway get-resources --rest-api-id "$api" --query "items[?path=='/messages'].keys(resourceMethods)[]" --output text
  [ "$output" = POST ]
  [ "$(aws_ apigateway get-stage --rest-api-id "$api" --stage-name prod --query tracingEnabled)" = true ]
  # Both functions, each with what it needs; the queue feeds the second.
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-7 \
    --query '[Handler, Environment.Variables.QUEUE_URL, Environment.Variables.BUCKET_NAME]' --output text
  [[ "$output" == "io.github.xrayworkbook.step7.ApiHandler::handleRequest	"*"/123456789012/xray-workbook-step-7	None" ]]
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-7-queue \
    --query '[Handler, Environment.Variables.BUCKET_NAME]' --output text
  [ "$output" = "io.github.xrayworkbook.step7.QueueHandler::handleRequest	xray-workbook-bats-stacks" ]
  run aws_ lambda list-event-source-mappings --function-name xray-workbook-step-7-queue \
    --query 'EventSourceMappings[].EventSourceArn' --output text
  [ "$output" = arn:aws:sqs:eu-west-1:123456789012:xray-workbook-step-7 ]
  run aws_ sqs get-queue-attributes --endpoint-url "$AWS_ENDPOINT_URL" --attribute-names RedrivePolicy \
    --queue-url "$AWS_ENDPOINT_URL/123456789012/xray-workbook-step-7" --query Attributes.RedrivePolicy --output text
  [[ "$output" == *'"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:xray-workbook-step-7-dead-letters"'* ]]
  [[ "$output" == *'"maxReceiveCount": 3'* ]]
}

@test "invoke.sh step-7 sends its requests to the stack's API over HTTP(S), and a failure is one line" {
  stub_api_url "$API_SERVER_URL/prod/messages"
  rm -f "$BATS_FILE_TMPDIR/api-requests"
  printf '{"greeting": "from a file"}\n' >"$BATS_TEST_TMPDIR/body.json"
  run "$WORKBOOK/scripts/invoke.sh" step-7 --times 2 --event "$BATS_TEST_TMPDIR/body.json"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'Response: HTTP 202 {"messageId": "m-1"}\nResponse: HTTP 202 {"messageId": "m-2"}')" ]
  [ "$(api_requests | sort -u)" = 'POST /prod/messages application/json None {"greeting": "from a file"}' ]

  # An unsampled request: a new trace id that X-Ray will not record.
  run "$WORKBOOK/scripts/invoke.sh" step-7 --unsampled
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^X-Amzn-Trace-Id:\ Root=1-[0-9a-f]{8}-[0-9a-f]{24}\;Sampled=0$ ]]
  [ "$(api_requests | tail -n 1 | cut -d' ' -f4)" = "${lines[0]#X-Amzn-Trace-Id: }" ]
  run "$WORKBOOK/scripts/invoke.sh" step-2 --unsampled
  assert_one_line_error "invoke.sh: --unsampled is for a step with a REST API"

  echo 502 >"$BATS_FILE_TMPDIR/api-status"
  run "$WORKBOOK/scripts/invoke.sh" step-7
  rm "$BATS_FILE_TMPDIR/api-status"
  assert_one_line_error "invoke.sh: POST $API_SERVER_URL/prod/messages answered HTTP 502: {\"message\": \"Internal server error\"}"

  stub_api_url "http://127.0.0.1:9/prod/messages"
  run "$WORKBOOK/scripts/invoke.sh" step-7
  assert_one_line_error "invoke.sh: no answer from POST http://127.0.0.1:9/prod/messages: curl: (7) "

  AWS_REGION=eu-central-1 run "$WORKBOOK/scripts/invoke.sh" step-7
  assert_one_line_error "invoke.sh: there is no stack xray-workbook-step-7 in eu-central-1, so no API to call: deploy it with scripts/deploy-stack.sh step-7"
}

@test "a function deploy.sh made and a stack's function are each refused by the other script, in one line" {
  "$WORKBOOK/scripts/deploy.sh" step-3 --no-invoke >/dev/null
  run "$WORKBOOK/scripts/deploy-stack.sh" step-3 --no-invoke
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "deploy-stack.sh: the function xray-workbook-step-3 exists already, made by scripts/deploy.sh, and a stack cannot take it over: delete it (aws lambda delete-function --function-name xray-workbook-step-3), then run scripts/deploy-stack.sh step-3 again" ]

  run "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "deploy.sh: the function xray-workbook-step-2 belongs to the stack xray-workbook-step-2 (scripts/deploy-stack.sh made it): deploy with scripts/deploy-stack.sh step-2, or delete the stack with scripts/cleanup.sh --yes first" ]
  # Refused before anything was changed.
  run aws_ lambda get-function-configuration --function-name xray-workbook-step-2 --query Role --output text
  [[ "$output" == */xray-workbook-step-2-FunctionRole-* ]]
}

@test "a stack CloudFormation cannot update is refused in one line that names the command to run next" {
  # A stand-in for describe-stacks: moto has no failed deploys.
  stub_aws_call cloudformation describe-stacks ROLLBACK_COMPLETE
  run "$WORKBOOK/scripts/deploy-stack.sh" step-4 --no-invoke
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "deploy-stack.sh: the stack xray-workbook-step-4 is in ROLLBACK_COMPLETE: its first deploy failed, and CloudFormation cannot update it (why: aws cloudformation describe-stack-events --stack-name xray-workbook-step-4); delete it with aws cloudformation delete-stack --stack-name xray-workbook-step-4, then run scripts/deploy-stack.sh step-4 again" ]
  stub_aws_call cloudformation describe-stacks UPDATE_ROLLBACK_FAILED
  run "$WORKBOOK/scripts/deploy-stack.sh" step-4 --no-invoke
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "deploy-stack.sh: the stack xray-workbook-step-4 is in UPDATE_ROLLBACK_FAILED (why: aws cloudformation describe-stack-events --stack-name xray-workbook-step-4): run aws cloudformation continue-update-rollback --stack-name xray-workbook-step-4, then scripts/deploy-stack.sh step-4 again" ]
  stub_aws_call cloudformation describe-stacks UPDATE_IN_PROGRESS
  run "$WORKBOOK/scripts/deploy-stack.sh" step-4 --no-invoke
  [ "$status" -eq 1 ]
  [[ "${lines[-1]}" == "deploy-stack.sh: the stack xray-workbook-step-4 is busy (UPDATE_IN_PROGRESS): wait until"* ]]
  # Refused before the package went up.
  run aws_ s3api list-objects-v2 --bucket xray-workbook-bats-stacks --prefix stack-packages/step-4/ \
    --query 'Contents[].Key' --output text
  [[ "$output" == None || -z "$output" ]]
}

@test "a template CloudFormation's SAM transform refuses is one line with the transform's reason" {
  cp "$WORKBOOK/step-4-opentelemetry/template.yaml" "$BATS_TEST_TMPDIR/template.yaml"
  printf '      Events:\n        Nightly:\n          Type: Nope\n' >>"$WORKBOOK/step-4-opentelemetry/template.yaml"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-4 --no-invoke
  cp "$BATS_TEST_TMPDIR/template.yaml" "$WORKBOOK/step-4-opentelemetry/template.yaml"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "${lines[-1]}" == "deploy-stack.sh: CloudFormation refused the template of step-4-opentelemetry: "*"Transform AWS::Serverless-2016-10-31 failed with: "*"Event with id [Nightly] is invalid"* ]]
  run aws_ lambda get-function --function-name xray-workbook-step-4
  [ "$status" -ne 0 ]
}

@test "a step without a built package or a template, or with SnapStart where AWS has none, is one line" {
  mv "$WORKBOOK/step-1-blank/target/step-1-blank-lambda.jar" "$BATS_TEST_TMPDIR/"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-1 --no-invoke
  mv "$BATS_TEST_TMPDIR/step-1-blank-lambda.jar" "$WORKBOOK/step-1-blank/target/"
  assert_one_line_error "deploy-stack.sh: step-1-blank has not been built: run scripts/zip.sh step-1 first"

  mv "$WORKBOOK/step-1-blank/template.yaml" "$BATS_TEST_TMPDIR/"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-1 --no-invoke
  mv "$BATS_TEST_TMPDIR/template.yaml" "$WORKBOOK/step-1-blank/"
  assert_one_line_error "deploy-stack.sh: step-1-blank has no SAM template (step-1-blank/template.yaml): deploy it with scripts/deploy.sh step-1"

  AWS_REGION=ap-east-2 run "$WORKBOOK/scripts/deploy-stack.sh" step-6 --no-invoke
  assert_one_line_error "deploy-stack.sh: step-6 runs with Lambda SnapStart, which AWS does not offer in ap-east-2"
}

@test "cleanup stops at a stack that cannot be deleted and deletes nothing after it" {
  # A stand-in for the waiter: moto deletes every stack it is asked to.
  stub_aws_call cloudformation wait "Waiter StackDeleteComplete failed: DELETE_FAILED"
  sed -i.bak 's/^  exit 0$/  exit 255/' "$(command -v aws)"
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "cleanup.sh: the stack xray-workbook-step-1 in eu-west-1 could not be deleted, so nothing after it was: see why with aws cloudformation describe-stack-events --region eu-west-1 --stack-name xray-workbook-step-1, then run scripts/cleanup.sh --yes again" ]
  run aws_ lambda get-function --function-name xray-workbook-step-3
  [ "$status" -eq 0 ]
  run aws_ iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -eq 0 ]
  run aws_ s3api head-bucket --bucket xray-workbook-bats-stacks
  [ "$status" -eq 0 ]
}

@test "cleanup by an identity that may not list stacks says so, and keeps what the stacks' functions may use" {
  # A stand-in for a refused list-stacks.
  stub_aws_call cloudformation list-stacks "AccessDenied"
  sed -i.bak 's/^  exit 0$/  exit 254/' "$(command -v aws)"
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"  function  xray-workbook-step-2 in eu-west-1, which the stack xray-workbook-step-2 owns"* ]]
  [[ "$output" == *"  any stacks in eu-west-1: your identity may not list stacks (scripts/iam/workbook-stack-policy.json)"* ]]
  [[ "$output" == *"  bucket    xray-workbook-bats-stacks, because functions of stacks it does not delete may use them: xray-workbook-step-2 in eu-west-1, which the stack xray-workbook-step-2 owns"* ]]
  [[ "$output" == *"Deleted function xray-workbook-step-3 in eu-west-1"* ]]
  run aws_ lambda get-function --function-name xray-workbook-step-2
  [ "$status" -eq 0 ]
  run aws_ s3api head-bucket --bucket xray-workbook-bats-stacks
  [ "$status" -eq 0 ]
}

@test "cleanup --yes deletes the stacks first, with what they made, then the rest, and is safe to run twice" {
  "$WORKBOOK/scripts/deploy.sh" step-3 --no-invoke >/dev/null
  # What Lambda writes for step 7's second function, which no stack owns.
  aws_ logs create-log-group --log-group-name /aws/lambda/xray-workbook-step-7-queue
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"  stack     xray-workbook-step-2 in eu-west-1, with all it made (functions, roles, and any API and queues)"* ]]
  [[ "$output" != *"  function  xray-workbook-step-2"* ]]
  [ "$(grep -n 'Deleted stack xray-workbook-step-2' <<<"$output" | cut -d: -f1)" -lt \
    "$(grep -n 'Deleted function xray-workbook-step-3' <<<"$output" | cut -d: -f1)" ]
  [[ "$output" == *"Deleted stack xray-workbook-step-6 in eu-west-1"* ]]
  [[ "$output" == *"Deleted stack xray-workbook-step-7 in eu-west-1"* ]]
  [[ "$output" == *"Deleted log group /aws/lambda/xray-workbook-step-7-queue in eu-west-1"* ]]
  [[ "$output" == *"Deleted bucket xray-workbook-bats-stacks"* ]]

  run aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]
  run aws_ iam list-roles --query "Roles[?starts_with(RoleName, 'xray-workbook-')].RoleName" --output text
  [ "$output" = "" ]
  run aws_ cloudformation list-stacks --query "StackSummaries[?StackStatus!='DELETE_COMPLETE'].StackName" --output text
  [ "$output" = "" ]
  # Step 7's stack took its API, queues and event source mapping with it.
  run aws_ apigateway get-rest-apis --query 'items[].name' --output text
  [ "$output" = "" ]
  [ "$(aws_ sqs list-queues --endpoint-url "$AWS_ENDPOINT_URL" --query 'length(QueueUrls || `[]`)')" = 0 ]
  run aws_ lambda list-event-source-mappings --query 'EventSourceMappings[].UUID' --output text
  [ "$output" = "" ]

  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [ "$output" = "Nothing of the workbook's is left (looked in eu-west-1)." ]
}
