#!/usr/bin/env bats
# Every step's SAM template (step-N-*/template.yaml), offline: cfn-lint on each, and
# template_check.py on what the SAM translator makes of it, against the facts the scripts deploy
# by, read from the POMs and common.sh by common.sh itself. Copies of the steps pass, and each
# fault planted in a copy must fail the check that names it, with its own line. No AWS and no
# moto: moto does not run the SAM transform.

# shellcheck disable=SC2154  # status, output and lines are set by bats's run

setup_file() {
  local missing=""
  command -v cfn-lint >/dev/null || missing="no cfn-lint command"
  # Found, not imported: importing cfnlint takes seconds, and template_check.py says what fails to import.
  python3 -c 'import importlib.util as u, sys; sys.exit(not all(map(u.find_spec, ["cfnlint", "samtranslator", "boto3"])))' \
    || missing="${missing:+$missing, and }python3 cannot import cfnlint, samtranslator and boto3"
  if [[ -n "$missing" ]]; then
    echo "templates.bats: $missing: install cfn-lint 1.51.x for python3, which brings aws-sam-translator and boto3 (pip install 'cfn-lint==1.51.*')" >&2
    return 1
  fi
}

setup() {
  ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  CHECK="$BATS_TEST_DIRNAME/template_check.py"
}

# The step modules of the workbook at WORKBOOK, as the scripts list them.
step_modules_of() {
  (
    # shellcheck source=../lib/common.sh
    source "$ROOT/scripts/lib/common.sh"
    WORKBOOK_ROOT="$1"
    step_modules
  )
}

# The arguments of template_check.py for STEP in the workbook at WORKBOOK, one a line: its
# template and the facts the scripts deploy that step by (resolve_step reads the step's POM,
# common.sh holds the rest). Those that may be empty are written --option=VALUE: $(...) drops a
# last empty line.
step_facts() {
  (
    # shellcheck source=../lib/common.sh
    source "$ROOT/scripts/lib/common.sh"
    WORKBOOK_ROOT="$1"
    resolve_step "$2"
    printf '%s\n' "$TEMPLATE" --function-name "$FUNCTION_NAME" --handler "$HANDLER" \
      --runtime "$LAMBDA_RUNTIME" --memory "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT_S" \
      --reads-s3 "$READS_S3" --sample-key "$SAMPLE_KEY" --opentelemetry-layer "$OPENTELEMETRY_LAYER" \
      --snapstart "$SNAPSTART" --alias "$SNAPSTART_ALIAS" --package-path "$PACKAGE" \
      --rest-api-method="$REST_API_METHOD" --rest-api-path="$REST_API_PATH" \
      --queue-function-name="$QUEUE_FUNCTION_NAME" --queue-handler="$QUEUE_HANDLER"
  )
}

# Runs template_check.py once on the templates of STEP... in the workbook at WORKBOOK, or of
# every step module there when no step is named.
check_steps() {
  local workbook="$1" steps step facts line args=()
  shift
  steps="$*"
  [ -n "$steps" ] || steps="$(step_modules_of "$workbook")"
  [ -n "$steps" ] || { echo "no step-N-NAME module in $workbook"; return 1; }
  for step in $steps; do
    facts="$(step_facts "$workbook" "$step")" || return 1
    [ "${#args[@]}" -eq 0 ] || args+=(--and)
    while IFS= read -r line; do
      args+=("$line")
    done <<<"$facts"
  done
  python3 "$CHECK" "${args[@]}"
}

# Copies the POM and template of MODULE into the workbook at WORKBOOK, where their paths differ
# from the checkout's, as CodeUri's folder and the package's path then do too.
copy_module() {
  mkdir -p "$2/$1"
  cp "$ROOT/$1/pom.xml" "$ROOT/$1/template.yaml" "$2/$1/"
}

# Copies step N into the test's planted workbook and replaces OLD with NEW in its FILE (pom.xml or
# template.yaml), failing when OLD is not there. Sets PLANTED, the planted copy's module folder.
plant() {
  local module content
  module="$(basename "$ROOT"/step-"$1"-*)"
  copy_module "$module" "$BATS_TEST_TMPDIR/planted"
  PLANTED="$BATS_TEST_TMPDIR/planted/$module"
  content="$(cat "$PLANTED/$2")"
  [[ "$content" == *"$3"* ]] || { echo "$module/$2 does not hold '$3'"; return 1; }
  printf '%s\n' "${content/"$3"/"$4"}" >"$PLANTED/$2"
}

# The planted copy of step N fails the check with exactly the line MESSAGE (after the template's path).
assert_planted_fails() {
  run check_steps "$BATS_TEST_TMPDIR/planted" "$1"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "${lines[0]}" = "$PLANTED/template.yaml: $2" ]
}

@test "the cfn-lint in use is 1.51.x, the release these tests are written against" {
  local version
  version="$(cfn-lint --version)"
  [[ "$version" == "cfn-lint 1.51."* ]] \
    || { echo "found $version: these tests need cfn-lint 1.51.x, whose offline SAM transform they rely on (pip install 'cfn-lint==1.51.*')"; false; }
}

@test "cfn-lint passes every step's template" {
  local modules module templates=()
  modules="$(step_modules_of "$ROOT")"
  [ -n "$modules" ]
  for module in $modules; do
    templates+=("$ROOT/$module/template.yaml")
  done
  run cfn-lint "${templates[@]}"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "every step's template, translated, deploys what the scripts deploy for its POM" {
  run check_steps "$ROOT"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "copies of the steps elsewhere pass too, as the planted copies below start out" {
  local module
  for module in $(step_modules_of "$ROOT"); do
    copy_module "$module" "$BATS_TEST_TMPDIR/unchanged"
  done
  run check_steps "$BATS_TEST_TMPDIR/unchanged"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "a misspelt Tracing fails cfn-lint and the translated check" {
  local unchanged
  plant 1 template.yaml "Tracing: Active" "Tracing: Activ"
  unchanged="$BATS_TEST_TMPDIR/unchanged/$(basename "$PLANTED")"
  copy_module "$(basename "$PLANTED")" "$BATS_TEST_TMPDIR/unchanged"
  run cfn-lint "$unchanged/template.yaml" "$PLANTED/template.yaml"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"E3030 'Activ' is not one of ['Active', 'PassThrough']"* ]]
  [[ "$output" == *"$PLANTED/template.yaml:"* ]]
  [[ "$output" != *"$unchanged"* ]]
  assert_planted_fails 1 "Function: TracingConfig.Mode is 'Activ', expected 'Active'"
}

@test "a POM whose handler differs from the template's fails the check" {
  plant 3 pom.xml "<lambda.handler>io.github.xrayworkbook.step3.SubsegmentHandler::handleRequest<" \
    "<lambda.handler>io.github.xrayworkbook.step3.Renamed::handleRequest<"
  assert_planted_fails 3 "Function: Handler is 'io.github.xrayworkbook.step3.SubsegmentHandler::handleRequest', expected 'io.github.xrayworkbook.step3.Renamed::handleRequest'"
}

@test "step 6's template without SnapStart fails the check" {
  plant 6 template.yaml "      SnapStart:
        ApplyOn: PublishedVersions
" ""
  assert_planted_fails 6 "Function: SnapStart is missing, expected ApplyOn PublishedVersions"
}

@test "step 2's template with a layer fails the check" {
  plant 2 template.yaml "      Tracing: Active
" "      Tracing: Active
      Layers:
        - arn:aws:lambda:us-east-1:123456789012:layer:extra:1
"
  assert_planted_fails 2 "Function: has Layers, expected none of the layer's settings (--opentelemetry-layer false)"
}

@test "an S3 policy that allows s3:* fails the check" {
  plant 4 template.yaml "Action: s3:GetObject" "Action: 's3:*'"
  assert_planted_fails 4 "Function's role: the inline statement is Allow s3:* on arn:\${AWS::Partition}:s3:::\${BucketName}/sample_data.json, expected exactly Allow s3:GetObject on arn:\${AWS::Partition}:s3:::\${BucketName}/sample_data.json"
}

@test "step 7's API stage without TracingEnabled, or with SAM's second untraced stage, fails the check" {
  plant 7 template.yaml "      TracingEnabled: true
" ""
  assert_planted_fails 7 "ApiprodStage: TracingEnabled is missing, expected true"
  plant 7 template.yaml "      OpenApiVersion: '3.0.1'
" ""
  run check_steps "$BATS_TEST_TMPDIR/planted" 7
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *": makes the stage 'Stage' too, without tracing (set OpenApiVersion: '3.0.1' on the API)"* ]]
}

@test "a POM whose route or queue handler differs from step 7's template fails the check" {
  plant 7 pom.xml "<workbook.rest-api>POST /messages<" "<workbook.rest-api>POST /notes<"
  run check_steps "$BATS_TEST_TMPDIR/planted" 7
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$PLANTED/template.yaml: Api: the routes are POST /messages, expected POST /notes"* ]]
  [[ "$output" == *"$PLANTED/template.yaml: Outputs: ApiUrl is "*", expected Fn::Sub https://\${Api}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/prod/notes"* ]]
  [[ "$output" == *"$PLANTED/template.yaml: ApiFunctionMessagesPermissionprod: is "*"for POST /notes"* ]]

  plant 7 pom.xml "<workbook.queue-handler>io.github.xrayworkbook.step7.QueueHandler::handleRequest<" \
    "<workbook.queue-handler>io.github.xrayworkbook.step7.Renamed::handleRequest<"
  assert_planted_fails 7 "QueueFunction: Handler is 'io.github.xrayworkbook.step7.QueueHandler::handleRequest', expected 'io.github.xrayworkbook.step7.Renamed::handleRequest'"
}

@test "step 7 with Tracing off on a function, or the S3 and queue rights on the wrong function, fails the check" {
  plant 7 template.yaml "      Handler: io.github.xrayworkbook.step7.QueueHandler::handleRequest
" "      Handler: io.github.xrayworkbook.step7.QueueHandler::handleRequest
      Tracing: PassThrough
"
  assert_planted_fails 7 "QueueFunction: TracingConfig.Mode is 'PassThrough', expected 'Active'"

  # The consumer's S3 statement given to the API function as well.
  plant 7 template.yaml "      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Queue.QueueName
" "      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Queue.QueueName
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub 'arn:\${AWS::Partition}:s3:::\${BucketName}/sample_data.json'
"
  assert_planted_fails 7 "ApiFunction's role: the inline policies hold 2 statements, expected 1 (Allow sqs:SendMessage* on arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${queueName} with {\"queueName\": {\"Fn::GetAtt\": [\"Queue\", \"QueueName\"]}})"

  # The send permission given to the consumer as well.
  plant 7 template.yaml "      Policies:
        - Statement:
" "      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Queue.QueueName
        - Statement:
"
  assert_planted_fails 7 "QueueFunction's role: the inline policies hold 2 statements, expected 1 (Allow s3:GetObject on arn:\${AWS::Partition}:s3:::\${BucketName}/sample_data.json)"
}
