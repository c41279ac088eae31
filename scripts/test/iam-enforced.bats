#!/usr/bin/env bats
# The scripts run by an IAM user that holds only scripts/iam/workbook-user-policy.json, against a
# moto_server of its own that enforces IAM (moto_iam_server.py says what moto checks and what it
# cannot). An admin user, created before enforcement is switched on, sets the stage: it changes
# the user's policy and reads back what the scripts did.

bats_require_minimum_version 1.5.0

setup_file() {
  export ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  # moto_iam_server.py runs moto's server in the Python that has moto: python3, or the one that
  # runs moto_server (a pipx install, say).
  local python="" candidate
  for candidate in python3 "$(sed -n '1s/^#! *//p' "$(command -v moto_server)" 2>/dev/null)"; do
    if [[ "$candidate" == *python* ]] && $candidate -c 'import moto' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  [[ -n "$python" ]] || { echo "no Python here imports moto: the test needs moto 5 with its server" >&2; return 1; }
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  MOTO_IAM_LOAD_MANAGED_POLICIES=true $python "$BATS_TEST_DIRNAME/moto_iam_server.py" -H 127.0.0.1 -p "$port" \
    >"$BATS_FILE_TMPDIR/moto.log" 2>&1 &
  echo "$!" >"$BATS_FILE_TMPDIR/moto.pid"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fs "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  export AWS_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true XRAY_WORKBOOK_ROLE_RETRY_SECONDS=1
  export HOME="$BATS_FILE_TMPDIR/home"
  mkdir -p "$HOME"
  unset AWS_DEFAULT_REGION AWS_PROFILE XRAY_WORKBOOK_BUCKET

  # The stage, before enforcement: an admin, the workbook user with the policy, and a user
  # with no policy at all.
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
  aws_ iam create-user --user-name admin >/dev/null
  aws_ iam attach-user-policy --user-name admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
  aws_ iam create-access-key --user-name admin --output text \
    --query 'AccessKey.[AccessKeyId, SecretAccessKey]' >"$BATS_FILE_TMPDIR/admin.keys"
  aws_ iam create-user --user-name workbook-user >/dev/null
  aws_ iam put-user-policy --user-name workbook-user --policy-name workbook \
    --policy-document "file://$ROOT/scripts/iam/workbook-user-policy.json"
  aws_ iam create-access-key --user-name workbook-user --output text \
    --query 'AccessKey.[AccessKeyId, SecretAccessKey]' >"$BATS_FILE_TMPDIR/user.keys"
  # AWS's OpenTelemetry layer, which step 5's function uses: moto finds a layer version by its
  # name and number, whatever the account in the ARN (eu-west-1's is version 16).
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("layer.txt", "moto never runs this\n")' \
    "$BATS_FILE_TMPDIR/layer.zip"
  for _ in $(seq 1 16); do
    aws_ lambda publish-layer-version --layer-name AWSOpenTelemetryDistroJava \
      --zip-file "fileb://$BATS_FILE_TMPDIR/layer.zip" >/dev/null
  done
  aws_ iam create-user --user-name nobody >/dev/null
  aws_ iam create-access-key --user-name nobody --output text \
    --query 'AccessKey.[AccessKeyId, SecretAccessKey]' >"$BATS_FILE_TMPDIR/nobody.keys"
  # From here on moto checks every request against the caller's policies.
  curl -fs -X POST -H 'Content-Type: text/plain' --data-binary 0 "$AWS_ENDPOINT_URL/moto-api/reset-auth" >/dev/null

  read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY <"$BATS_FILE_TMPDIR/user.keys"
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

  # The scripts run from a copy of the workbook whose step packages are placeholders: moto stores
  # functions but never runs them, and the copy does not depend on what has been built.
  local workbook="$BATS_FILE_TMPDIR/workbook" module pom
  mkdir -p "$workbook"
  cp -r "$ROOT/scripts" "$workbook/"
  for pom in "$ROOT"/step-*-*/pom.xml; do
    module="$(basename "$(dirname "$pom")")"
    mkdir -p "$workbook/$module/target"
    cp "$ROOT/$module/pom.xml" "$workbook/$module/"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("placeholder.txt", "moto never runs this\n")' \
      "$workbook/$module/target/$module-lambda.jar"
  done
  # trace.sh renders with the workbench, which the scripts module's build provides.
  mkdir -p "$workbook/workbench/target"
  ln -s "$ROOT/workbench/target/xray-workbench.jar" "$workbook/workbench/target/xray-workbench.jar"
  export WORKBOOK="$workbook"
}

teardown_file() {
  kill "$(cat "$BATS_FILE_TMPDIR/moto.pid")" 2>/dev/null || true
}

aws_() {
  AWS_DEFAULT_REGION="$AWS_REGION" aws "$@"
}

as_admin() {
  local key secret
  read -r key secret <"$BATS_FILE_TMPDIR/admin.keys"
  AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" aws_ "$@"
}

# Gives the workbook user the policy without ACTION (or the whole policy, without arguments).
give_policy_without() {
  python3 - "$ROOT/scripts/iam/workbook-user-policy.json" "${1:-}" >"$BATS_TEST_TMPDIR/policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
for statement in policy["Statement"]:
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    statement["Action"] = [action for action in actions if action != sys.argv[2]]
policy["Statement"] = [statement for statement in policy["Statement"] if statement["Action"]]
print(json.dumps(policy))
PY
  as_admin iam put-user-policy --user-name workbook-user --policy-name workbook \
    --policy-document "file://$BATS_TEST_TMPDIR/policy.json"
}

# Writes a two-segment trace of FUNCTION as the admin (xray:PutTraceSegments is Lambda's to call,
# not the user's) and prints its id.
put_lambda_trace() {
  local function="$1" now trace
  now="$(date +%s)"
  trace="$(printf '1-%08x-%08x%08x%08x' "$now" "$RANDOM" "$RANDOM" "$RANDOM")"
  as_admin xray put-trace-segments --trace-segment-documents \
    "{\"name\":\"$function\",\"id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.1,\"end_time\":$now.5,\"origin\":\"AWS::Lambda\"}" \
    "{\"name\":\"$function\",\"id\":\"2222222222222222\",\"parent_id\":\"1111111111111111\",\"trace_id\":\"$trace\",\"start_time\":$now.2,\"end_time\":$now.45,\"origin\":\"AWS::Lambda::Function\"}" \
    >/dev/null
  echo "$trace"
}

# One line on stderr, naming the refused ACTION and the policy, and a non-zero exit.
assert_refused() {
  local script="$1" refused="$2"
  [ "$status" -ne 0 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "${stderr_lines[0]}" == "$script: AWS refused $refused ("*"): your AWS identity needs the policy in scripts/iam/workbook-user-policy.json; attach it, or ask your AWS administrator to" ]]
}

@test "moto enforces IAM here: an identity without the policy is refused, an unknown key too" {
  local key secret
  read -r key secret <"$BATS_FILE_TMPDIR/nobody.keys"
  AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" run aws_ lambda list-functions
  [ "$status" -ne 0 ]
  [[ "$output" == *"is not authorized to perform: lambda:ListFunctions"* ]]
  AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" run aws_ s3api list-buckets
  [ "$status" -ne 0 ]
  [[ "$output" == *"AccessDenied"* ]]
  AWS_ACCESS_KEY_ID=AKIAUNKNOWN0000000000 AWS_SECRET_ACCESS_KEY=unknown run aws_ iam get-user
  [ "$status" -ne 0 ]
  [[ "$output" == *"InvalidClientTokenId"* ]]
  # The workbook user may list functions, and nothing the policy does not name.
  run aws_ lambda list-functions
  [ "$status" -eq 0 ]
  run aws_ iam list-users
  [[ "$output" == *"is not authorized to perform: iam:ListUsers"* ]]
}

@test "a refused call stops each script with one line naming what was refused" {
  # Lambda, like IAM, CloudWatch Logs and X-Ray, names the action it refused.
  give_policy_without lambda:CreateFunction
  run --separate-stderr "$WORKBOOK/scripts/deploy.sh" step-1 --no-invoke
  assert_refused deploy.sh lambda:CreateFunction
  run as_admin lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]

  give_policy_without xray:GetTraceSummaries
  run --separate-stderr "$WORKBOOK/scripts/trace.sh" step-1 --wait 0
  assert_refused trace.sh xray:GetTraceSummaries

  # S3 does not name the action it refused: the line names the command.
  give_policy_without s3:ListAllMyBuckets
  run --separate-stderr "$WORKBOOK/scripts/cleanup.sh" --yes
  assert_refused cleanup.sh "aws s3api list-buckets"
  # It stopped before deleting anything.
  run as_admin iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -eq 0 ]

  give_policy_without
}

@test "with the policy, deploy.sh deploys every step, and updates a function deployed before" {
  local step
  for step in step-1 step-2 step-3 step-4 step-5 step-6; do
    run "$WORKBOOK/scripts/deploy.sh" "$step" --no-invoke
    [ "$status" -eq 0 ]
    [[ "$output" == *"Created function xray-workbook-$step"* ]]
  done
  [[ "$output" == *"Published version 1 with SnapStart; alias live points to it"* ]]
  run "$WORKBOOK/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Updated function xray-workbook-step-1"* ]]
  run "$WORKBOOK/scripts/deploy.sh" step-6 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Published version 2 with SnapStart; alias live points to it"* ]]

  run as_admin lambda list-functions --output text \
    --query 'sort_by(Functions, &FunctionName)[].[FunctionName, TracingConfig.Mode]'
  [ "$output" = "$(printf 'xray-workbook-step-%s\tActive\n' 1 2 3 4 5 6)" ]
  run as_admin s3 cp s3://xray-workbook-123456789012-eu-west-1/sample_data.json -
  [ "$output" = '{"message": "Hello from S3!"}' ]
}

@test "with the policy, trace.sh finds the function's trace" {
  local trace
  trace="$(put_lambda_trace xray-workbook-step-3)"
  run "$WORKBOOK/scripts/trace.sh" step-3 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
}

@test "with the policy, the calls the other tests do not reach are allowed too" {
  # cleanup.sh lists the regions only for a role made by an older deploy.sh.
  run aws_ ec2 describe-regions --query 'length(Regions)'
  [ "$status" -eq 0 ]
  # deploy.sh prints this command for reading the function's log; cleanup.sh deletes the group.
  as_admin logs create-log-group --log-group-name /aws/lambda/xray-workbook-step-1
  run aws_ logs filter-log-events --log-group-name /aws/lambda/xray-workbook-step-1
  [ "$status" -eq 0 ]
}

@test "the policy reaches only the workbook's buckets, and moto enforces that" {
  as_admin s3api create-bucket --bucket someone-elses-bucket \
    --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
  run aws_ s3api put-bucket-tagging --bucket someone-elses-bucket \
    --tagging 'TagSet=[{Key=project,Value=xray-lambda-workbook}]'
  [ "$status" -ne 0 ]
  [[ "$output" == *"AccessDenied"* ]]
  run --separate-stderr "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke --bucket someone-elses-bucket
  [ "$status" -ne 0 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "${stderr_lines[0]}" == "deploy.sh: the bucket someone-elses-bucket answered 403 Forbidden: "*"s3:ListBucket"* ]]
}

@test "with the policy, cleanup.sh --yes deletes everything of the workbook's and leaves the rest" {
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted function xray-workbook-step-4 in eu-west-1"* ]]
  [[ "$output" == *"Deleted log group /aws/lambda/xray-workbook-step-1 in eu-west-1"* ]]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Deleted bucket xray-workbook-123456789012-eu-west-1"* ]]

  run as_admin lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]
  run as_admin iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -ne 0 ]
  run as_admin s3api list-buckets --query 'Buckets[].Name' --output text
  [ "$output" = someone-elses-bucket ]
}
