#!/usr/bin/env bats
# The scripts run by an IAM user that holds only scripts/iam/workbook-user-policy.json, against a
# moto_server of its own that enforces IAM (moto_iam_server.py says what moto checks and what it
# cannot). An admin user, created before enforcement is switched on, sets the stage: it changes
# the user's policy and reads back what the scripts did.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
  # The tests build on each other's deployments, in order.
  export BATS_NO_PARALLELIZE_WITHIN_FILE=true
  use_executables_not_shims
  local python
  python="$(moto_python)"
  [[ -n "$python" ]] || { echo "no Python here imports moto: the test needs moto 5 with its server" >&2; return 1; }
  start_moto "$python" "$BATS_TEST_DIRNAME/moto_iam_server.py"

  # The stage, before enforcement, in one Python process: an admin, the workbook user with the
  # policy, and a user with no policy at all, each with an access key in FILE_TMPDIR/NAME.keys.
  "$python" - "$POLICY" "$BATS_FILE_TMPDIR" <<'PY'
import os, sys
import boto3
iam = boto3.client("iam", region_name=os.environ["AWS_REGION"], endpoint_url=os.environ["AWS_ENDPOINT_URL"])
def user(name):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    with open(os.path.join(sys.argv[2], name + ".keys"), "w") as out:
        out.write(f"{key['AccessKeyId']} {key['SecretAccessKey']}\n")
user("admin")
iam.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
user("workbook-user")
iam.put_user_policy(UserName="workbook-user", PolicyName="workbook", PolicyDocument=open(sys.argv[1]).read())
user("nobody")
PY
  # AWS's OpenTelemetry layer, which step 5's function uses (eu-west-1's is version 16).
  publish_opentelemetry_layer 16
  # From here on moto checks every request against the caller's policies.
  curl -fs -X POST -H 'Content-Type: text/plain' --data-binary 0 "$AWS_ENDPOINT_URL/moto-api/reset-auth" >/dev/null

  read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY <"$BATS_FILE_TMPDIR/workbook-user.keys"
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

  # The scripts run from a copy of the workbook whose step packages are placeholders, which does
  # not depend on what has been built.
  export WORKBOOK="$BATS_FILE_TMPDIR/workbook"
  placeholder_workbook "$WORKBOOK"
}

teardown_file() {
  stop_moto
}

# Each test starts with the workbook user holding the whole policy and leaves it so, whether it
# passes or fails: a test that took an action away (give_policy_without) gets it back here.
teardown() {
  if [[ -e "$BATS_FILE_TMPDIR/policy-changed" ]]; then
    as_admin aws_ iam put-user-policy --user-name workbook-user --policy-name workbook \
      --policy-document "file://$POLICY"
    rm "$BATS_FILE_TMPDIR/policy-changed"
  fi
}

# Runs a command (aws_, or a helper that calls it) with the admin's keys.
as_admin() {
  local key secret
  read -r key secret <"$BATS_FILE_TMPDIR/admin.keys"
  AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" "$@"
}

# Gives the workbook user the policy without ACTION, until the end of the test.
give_policy_without() {
  touch "$BATS_FILE_TMPDIR/policy-changed"
  policy_without "$1" >"$BATS_TEST_TMPDIR/policy.json"
  as_admin aws_ iam put-user-policy --user-name workbook-user --policy-name workbook \
    --policy-document "file://$BATS_TEST_TMPDIR/policy.json"
}

# A script stopped by a refusal: a non-zero exit and one line on stderr, the whole of it
# "SCRIPT: AWS refused REFUSED: " and the advice.
assert_refused() {
  [ "$status" -ne 0 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "${stderr_lines[0]}" = "$1: AWS refused $2: your AWS identity needs the policy in scripts/iam/workbook-user-policy.json: attach it, or ask your AWS administrator to attach it for you" ]
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
  # Lambda, like IAM, CloudWatch Logs and X-Ray, names the action it refused. (moto's code is
  # AccessDenied where AWS's Lambda and X-Ray answer AccessDeniedException.)
  give_policy_without lambda:CreateFunction
  run --separate-stderr "$WORKBOOK/scripts/deploy.sh" step-1 --no-invoke
  assert_refused deploy.sh "lambda:CreateFunction (AccessDenied, aws lambda create-function)"
  run as_admin aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]

  give_policy_without xray:GetTraceSummaries
  run --separate-stderr "$WORKBOOK/scripts/trace.sh" step-1 --wait 0
  assert_refused trace.sh "xray:GetTraceSummaries (AccessDenied, aws xray get-trace-summaries)"

  # S3 does not name the action it refused: the line names the command.
  give_policy_without s3:ListAllMyBuckets
  run --separate-stderr "$WORKBOOK/scripts/cleanup.sh" --yes
  assert_refused cleanup.sh "aws s3api list-buckets (AccessDenied)"
  # It stopped before deleting anything.
  run as_admin aws_ iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -eq 0 ]
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

  run as_admin aws_ lambda list-functions --output text \
    --query 'sort_by(Functions, &FunctionName)[].[FunctionName, TracingConfig.Mode]'
  [ "$output" = "$(printf 'xray-workbook-step-%s\tActive\n' 1 2 3 4 5 6)" ]
  run as_admin aws_ s3 cp s3://xray-workbook-123456789012-eu-west-1/sample_data.json -
  [ "$output" = '{"message": "Hello from S3!"}' ]
}

@test "with the policy, trace.sh finds the function's trace" {
  local trace
  trace="$(as_admin put_lambda_trace xray-workbook-step-3)"
  run "$WORKBOOK/scripts/trace.sh" step-3 --wait 0 --out "$BATS_TEST_TMPDIR/trace.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Saved trace $trace to $BATS_TEST_TMPDIR/trace.json"* ]]
}

@test "with the policy, the calls the other tests do not reach are allowed too" {
  # cleanup.sh lists the regions only for a role made by an older deploy.sh.
  run aws_ ec2 describe-regions --query 'length(Regions)'
  [ "$status" -eq 0 ]
  # deploy.sh prints this command for reading the function's log; cleanup.sh deletes the group.
  as_admin aws_ logs create-log-group --log-group-name /aws/lambda/xray-workbook-step-1
  run aws_ logs filter-log-events --log-group-name /aws/lambda/xray-workbook-step-1
  [ "$status" -eq 0 ]
}

@test "the policy reaches only the workbook's buckets, and moto enforces that" {
  as_admin aws_ s3api create-bucket --bucket someone-elses-bucket \
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
  # Besides what the deploys left: a bucket that is not the workbook's (the test above may have
  # made it already) and the log group of a function.
  as_admin aws_ s3api create-bucket --bucket someone-elses-bucket \
    --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null 2>&1 || true
  as_admin aws_ logs create-log-group --log-group-name /aws/lambda/xray-workbook-step-4
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted function xray-workbook-step-4 in eu-west-1"* ]]
  [[ "$output" == *"Deleted log group /aws/lambda/xray-workbook-step-4 in eu-west-1"* ]]
  [[ "$output" == *"Deleted role xray-workbook-lambda-role"* ]]
  [[ "$output" == *"Deleted bucket xray-workbook-123456789012-eu-west-1"* ]]

  run as_admin aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]
  run as_admin aws_ iam get-role --role-name xray-workbook-lambda-role
  [ "$status" -ne 0 ]
  run as_admin aws_ s3api list-buckets --query 'Buckets[].Name' --output text
  [ "$output" = someone-elses-bucket ]
}

@test "without the stack policy, deploy-stack.sh stops at its first CloudFormation call, naming both policies" {
  run --separate-stderr "$WORKBOOK/scripts/deploy-stack.sh" step-2 --no-invoke
  [ "$status" -ne 0 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "${stderr_lines[0]}" = "deploy-stack.sh: AWS refused cloudformation:DescribeStacks (AccessDenied, aws cloudformation describe-stacks): your AWS identity needs the policies in scripts/iam/workbook-user-policy.json and scripts/iam/workbook-stack-policy.json: attach them, or ask your AWS administrator to attach them for you" ]
  # cleanup.sh goes on without stacks it may not list, and says so.
  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"any stacks in eu-west-1: your identity may not list stacks (scripts/iam/workbook-stack-policy.json)"* ]]
}

@test "with both policies, deploy-stack.sh deploys steps as stacks, updates one, and cleanup.sh deletes them" {
  touch "$BATS_FILE_TMPDIR/policy-changed"
  as_admin aws_ iam put-user-policy --user-name workbook-user --policy-name workbook-stacks \
    --policy-document "file://$STACK_POLICY"
  # Every step makes the same calls; these three pass every parameter a template has (the bucket,
  # the layer, Application Signals) and make every resource type (a version and an alias too, a
  # REST API and a queue), and step 7's prints its API's address (moto checks the CLI's calls, not
  # what its CloudFormation does in the caller's name: see moto_iam_server.py).
  local step
  for step in step-5 step-6 step-7; do
    run "$WORKBOOK/scripts/deploy-stack.sh" "$step" --no-invoke
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Stack xray-workbook-$step: CREATE_COMPLETE"* ]]
  done
  # An update takes GetTemplateSummary besides.
  echo changed >>"$WORKBOOK/step-6-snapstart/target/step-6-snapstart-lambda.jar"
  run "$WORKBOOK/scripts/deploy-stack.sh" step-6 --no-invoke
  [ "$status" -eq 0 ]
  [[ "$output" == *"Stack xray-workbook-step-6: UPDATE_COMPLETE"* ]]

  run "$WORKBOOK/scripts/cleanup.sh" --yes
  [ "$status" -eq 0 ]
  [[ "$output" == *"Deleted stack xray-workbook-step-6 in eu-west-1"* ]]
  run as_admin aws_ cloudformation list-stacks --output text \
    --query "StackSummaries[?StackStatus!='DELETE_COMPLETE'].StackName"
  [ "$output" = "" ]
  run as_admin aws_ lambda list-functions --query 'Functions[].FunctionName' --output text
  [ "$output" = "" ]
  as_admin aws_ iam delete-user-policy --user-name workbook-user --policy-name workbook-stacks
}
