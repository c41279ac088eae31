#!/usr/bin/env bats
# cleanup.sh across regions, against moto_server as in scripts.bats: each test deploys what it
# cleans up, from an account that moto empties before every test, so that this file can run
# beside the others.

load helpers

setup_file() {
  use_executables_not_shims
  start_moto moto_server
  # Step 2 deploys from a copy of the workbook with placeholder packages (see scripts.bats).
  export WORKBOOK="$BATS_FILE_TMPDIR/workbook"
  placeholder_workbook "$WORKBOOK"
}

teardown_file() {
  stop_moto
}

# Each test starts from an empty account, whatever the test before it left.
setup() {
  curl -fs -X POST "$AWS_ENDPOINT_URL/moto-api/reset" >/dev/null
}

# The functions in REGION that name a role that does not exist: there must never be any.
functions_without_their_role() {
  local name role
  while read -r name role; do
    [[ -n "$name" ]] || continue
    aws_ iam get-role --role-name "${role##*/}" >/dev/null 2>&1 || echo "$name in $1"
  done <<<"$(AWS_REGION="$1" aws_ lambda list-functions --query 'Functions[].[FunctionName, Role]' --output text)"
}

@test "cleanup run from another region finds the functions in every region deploy used" {
  run "$ROOT/scripts/deploy.sh" step-1 --no-invoke
  [ "$status" -eq 0 ]
  AWS_REGION=us-west-2 run "$WORKBOOK/scripts/deploy.sh" step-2 --no-invoke --bucket xray-workbook-bats-west
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
  stub_aws_call ec2 describe-regions "$(printf 'eu-west-1\tus-east-1\tus-west-2')"

  AWS_REGION=eu-west-1 run "$ROOT/scripts/cleanup.sh" --yes
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
