#!/usr/bin/env bats
# scripts/iam/workbook-user-policy.json against every AWS CLI command the scripts run, read from
# the scripts themselves and looked up in cli-actions.tsv (iam_policy_check.py says how). This
# covers what moto cannot enforce (iam-enforced.bats): conditions, the extra actions AWS checks
# for one call (iam:PassRole, iam:TagRole, lambda:TagResource, lambda:ListTags), and calls moto
# does not implement.

load helpers

setup() {
  CHECK="$BATS_TEST_DIRNAME/iam_policy_check.py"
  TABLE="$BATS_TEST_DIRNAME/cli-actions.tsv"
}

@test "the policy is valid JSON with a readable Sid on every statement" {
  run python3 -c '
import json, re, sys
policy = json.load(open(sys.argv[1]))
assert policy["Version"] == "2012-10-17"
sids = [statement.get("Sid", "") for statement in policy["Statement"]]
assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]+", sid) for sid in sids), sids
assert len(set(sids)) == len(sids), sids
assert all(statement["Effect"] == "Allow" for statement in policy["Statement"])
' "$POLICY"
  [ "$status" -eq 0 ]
}

@test "every AWS command the scripts run is in the table, and the policy allows all it needs and no more" {
  run python3 "$CHECK"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "the reader finds the scripts' calls: direct, through the wrappers, over continuation lines" {
  run python3 -c '
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import iam_policy_check
keys = {key for script in sys.argv[2:] for _, key, _ in iam_policy_check.calls(script)}
print("\n".join(sorted(keys)))
' "$BATS_TEST_DIRNAME" "$ROOT"/scripts/*.sh "$ROOT/scripts/lib/common.sh"
  [ "$status" -eq 0 ]
  # One of each kind: aws directly, aws_run, aws_read, aws_probe, a waiter, after a line break.
  [[ "$output" == *"sts get-caller-identity"* ]]
  [[ "$output" == *"iam attach-role-policy"* ]]
  [[ "$output" == *"iam create-role"* ]]
  [[ "$output" == *"lambda create-function"* ]]
  [[ "$output" == *"lambda wait function-active-v2"* ]]
  [[ "$output" == *"s3 rm"* ]]
  # Not the commands in usage text, messages or comments.
  [[ "$output" != *"update-indexing-rule"* ]]
  [[ "$output" != *"filter-log-events"* ]]
  [ "$(wc -l <<<"$output")" -ge 38 ]
}

@test "a command with no row in the table fails, naming it" {
  cat >"$BATS_TEST_TMPDIR/new.sh" <<'SCRIPT'
#!/usr/bin/env bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
aws_run sns publish --topic-arn "$topic" \
  --message done
echo "aws sqs send-message is only mentioned here"
SCRIPT
  run python3 "$CHECK" "$BATS_TEST_TMPDIR/new.sh" "$ROOT/scripts/deploy.sh" "$ROOT/scripts/cleanup.sh" \
    "$ROOT/scripts/trace.sh" "$ROOT/scripts/lib/common.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"new.sh:3: 'aws sns publish' has no row in $TABLE: add its IAM actions"* ]]
  [[ "$output" != *"sqs"* ]]
}

@test "a policy without an action a command needs fails, naming both" {
  policy_without iam:PassRole >"$BATS_TEST_TMPDIR/policy.json"
  run python3 "$CHECK" --policy "$BATS_TEST_TMPDIR/policy.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no statement allows iam:PassRole, which 'aws lambda create-function' needs"* ]]
  [[ "$output" == *"no statement allows iam:PassRole, which 'aws lambda update-function-configuration' needs"* ]]
}

@test "a policy that allows more than the commands need fails, naming the extra action" {
  python3 - "$POLICY" >"$BATS_TEST_TMPDIR/policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
policy["Statement"][0]["Action"].append("iam:CreateUser")
policy["Statement"].append({"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})
policy["Statement"].append({"Sid": "TooWide", "Effect": "Allow", "Action": "lambda:DeleteFunction", "Resource": "*"})
print(json.dumps(policy))
PY
  run python3 "$CHECK" --policy "$BATS_TEST_TMPDIR/policy.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"statement WorkbookRole allows iam:CreateUser, which no command in $TABLE needs"* ]]
  [[ "$output" == *"statement Everything allows the pattern s3:*: name each action"* ]]
  [[ "$output" == *"statement TooWide allows lambda:DeleteFunction on every resource: name the workbook's"* ]]
}

@test "a table row that no script uses fails, unless the scripts print the command for the reader" {
  cp "$TABLE" "$BATS_TEST_TMPDIR/table.tsv"
  printf 'sns publish\tsns:Publish\tSAR\n' >>"$BATS_TEST_TMPDIR/table.tsv"
  run python3 "$CHECK" --table "$BATS_TEST_TMPDIR/table.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"table.tsv:"*": no script runs 'aws sns publish': remove the row"* ]]
  [[ "$output" != *"filter-log-events"* ]]
}

@test "the statements that name no resource hold only actions AWS cannot scope" {
  run python3 -c '
import json, sys
policy = json.load(open(sys.argv[1]))
for statement in policy["Statement"]:
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    print(statement["Sid"], " ".join(resources), " ".join(sorted(actions)))
' "$POLICY"
  [ "$status" -eq 0 ]
  [[ "$output" == *"ListFunctions * lambda:ListFunctions"* ]]
  [[ "$output" == *"ReadTraces * xray:BatchGetTraces xray:GetTraceSegmentDestination xray:GetTraceSummaries"* ]]
  [[ "$output" == *"WorkbookFunctions arn:aws:lambda:*:*:function:xray-workbook-* "* ]]
  [[ "$output" == *"WorkbookBucketObjects arn:aws:s3:::xray-workbook-*/* s3:DeleteObject s3:PutObject"* ]]
  [[ "$output" == *"PassWorkbookRoleToLambda arn:aws:iam::*:role/xray-workbook-lambda-role iam:PassRole"* ]]
  [[ "$output" == *"AwsOpenTelemetryLayer arn:aws:lambda:*:*:layer:AWSOpenTelemetryDistroJava:* lambda:GetLayerVersion"* ]]
  run python3 -c '
import json, sys
policy = json.load(open(sys.argv[1]))
by_sid = {statement["Sid"]: statement for statement in policy["Statement"]}
print(json.dumps(by_sid["PassWorkbookRoleToLambda"]["Condition"], sort_keys=True))
print(json.dumps(by_sid["WorkbookRoleManagedPolicies"]["Condition"], sort_keys=True))
' "$POLICY"
  [ "${lines[0]}" = '{"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}' ]
  [ "${lines[1]}" = '{"ArnEquals": {"iam:PolicyARN": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", "arn:aws:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy"]}}' ]
}

@test "the stack policy is valid JSON with a readable Sid on every statement, none of the first policy's" {
  run python3 -c '
import json, re, sys
first, stacks = (json.load(open(path)) for path in sys.argv[1:3])
sids = [statement.get("Sid", "") for statement in stacks["Statement"]]
assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]+", sid) for sid in sids), sids
assert not set(sids) & {statement["Sid"] for statement in first["Statement"]}, sids
assert all(statement["Effect"] == "Allow" for statement in stacks["Statement"])
' "$POLICY" "$STACK_POLICY"
  [ "$status" -eq 0 ]
}

@test "every resource type of every step's translated template has its CloudFormation actions in the table" {
  run python3 -c '
import json, pathlib, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import cfnlint.decode, iam_policy_check, template_check
known = {row[0] for row in iam_policy_check.read_stack_table(sys.argv[2])}
made = set()
for path in sorted(pathlib.Path(sys.argv[3]).glob("step-*-*/template.yaml")):
    template, _ = cfnlint.decode.decode(str(path))
    template = json.loads(json.dumps(template))
    for _, holder in template_check.code_uris(template):
        holder["CodeUri"] = "s3://xray-workbook-package/key"
    problems = []
    translated = template_check.translate(template, problems)
    assert translated is not None, (path, problems)
    made |= {resource["Type"] for resource in translated["Resources"].values()}
print(" ".join(sorted(made)))
print(" ".join(sorted(made - known)))
' "$BATS_TEST_DIRNAME" "$BATS_TEST_DIRNAME/stack-resource-actions.tsv" "$ROOT"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "AWS::ApiGateway::Deployment AWS::ApiGateway::RestApi AWS::ApiGateway::Stage AWS::IAM::Role AWS::Lambda::Alias AWS::Lambda::EventSourceMapping AWS::Lambda::Function AWS::Lambda::Permission AWS::Lambda::Version AWS::SQS::Queue" ]
  [ "${#lines[@]}" -eq 1 ]
}

@test "a stack policy without what CloudFormation needs on the stack's role fails, naming the action and the resource" {
  python3 - "$STACK_POLICY" >"$BATS_TEST_TMPDIR/stack-policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
policy["Statement"] = [statement for statement in policy["Statement"] if statement["Sid"] != "PassStackRolesToLambda"]
print(json.dumps(policy))
PY
  run python3 "$CHECK" --stack-policy "$BATS_TEST_TMPDIR/stack-policy.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no statement allows iam:PassRole on arn:aws:iam::123456789012:role/xray-workbook-step-2-FunctionRole-ABCDEFGHIJKL, which CloudFormation needs for AWS::Lambda::Function"* ]]
  # deploy.sh's role, which the first policy lets it pass, is not the stack's.
  [ "${#lines[@]}" -eq 1 ]
}

@test "a stack policy that allows more, or a CloudFormation action in the first policy, fails" {
  python3 - "$STACK_POLICY" >"$BATS_TEST_TMPDIR/stack-policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
policy["Statement"][0]["Action"].append("cloudformation:UpdateTerminationProtection")
policy["Statement"].append({"Sid": "AnyRole", "Effect": "Allow", "Action": "iam:CreateRole", "Resource": "arn:aws:iam::*:role/*"})
policy["Statement"].append({"Sid": "AnyStack", "Effect": "Allow", "Action": "cloudformation:DeleteStack", "Resource": "*"})
print(json.dumps(policy))
PY
  run python3 "$CHECK" --stack-policy "$BATS_TEST_TMPDIR/stack-policy.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"statement WorkbookStacks allows cloudformation:UpdateTerminationProtection, which neither the scripts' CloudFormation calls nor the stacks' resources need there"* ]]
  [[ "$output" == *"statement AnyRole names arn:aws:iam::*:role/*, which is not the workbook's"* ]]
  [[ "$output" == *"statement AnyStack allows cloudformation:DeleteStack on every resource: name the workbook's"* ]]

  python3 - "$POLICY" >"$BATS_TEST_TMPDIR/policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
policy["Statement"].append({"Sid": "Stacks", "Effect": "Allow", "Action": "cloudformation:DescribeStacks",
                            "Resource": "arn:aws:cloudformation:*:*:stack/xray-workbook-step-*/*"})
print(json.dumps(policy))
PY
  run python3 "$CHECK" --policy "$BATS_TEST_TMPDIR/policy.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"statement Stacks allows cloudformation:DescribeStacks, which no command in $TABLE needs"* ]]
}

@test "a stack policy that lets the queue's mapping reach any function, or misses what a queue needs, fails" {
  python3 - "$STACK_POLICY" >"$BATS_TEST_TMPDIR/stack-policy.json" <<'PY'
import json, sys
policy = json.load(open(sys.argv[1]))
by_sid = {statement["Sid"]: statement for statement in policy["Statement"]}
del by_sid["CreateStackEventSourceMappings"]["Condition"]
by_sid["StackQueues"]["Action"].remove("sqs:TagQueue")
print(json.dumps(policy))
PY
  run python3 "$CHECK" --stack-policy "$BATS_TEST_TMPDIR/stack-policy.json"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"statement CreateStackEventSourceMappings allows lambda:CreateEventSourceMapping with no condition on lambda:FunctionArn naming the workbook's"* ]]
  [[ "$output" == *"no statement allows sqs:TagQueue on arn:aws:sqs:eu-west-1:123456789012:xray-workbook-step-7, which CloudFormation needs for AWS::SQS::Queue"* ]]
  [ "${#lines[@]}" -eq 3 ]
}
