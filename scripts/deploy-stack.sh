#!/usr/bin/env bash
# A step deployed from its SAM template as a CloudFormation stack, with the AWS CLI alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
NEEDS_STACK_POLICY=true

usage() {
  cat <<'USAGE'
Usage: scripts/deploy-stack.sh step-N [--bucket NAME] [--layer-arn ARN] [--application-signals]
                                      [--no-invoke] [--yes]

Deploys a step from its SAM template (step-N-NAME/template.yaml) as the CloudFormation stack
xray-workbook-step-N, in the account and region your AWS CLI uses, then invokes it once. It needs
the AWS CLI only: CloudFormation runs the SAM transform. Build the package first with
scripts/zip.sh step-N. The function is the one scripts/deploy.sh makes (same name, settings and
trace), so invoke.sh, trace.sh and cleanup.sh work on it alike; only the role differs: the stack
makes one of its own, xray-workbook-step-N-FunctionRole-..., with the X-Ray policy SAM attaches
for Tracing: Active.

  1. the bucket (default xray-workbook-ACCOUNT-REGION, tagged project=xray-lambda-workbook) as
     deploy.sh makes it, with sample_data.json for the steps that read S3; it holds the package
     too, under stack-packages/step-N/
  2. aws cloudformation package: uploads the package and writes the template with its S3 address
  3. aws cloudformation deploy: creates or updates the stack (CAPABILITY_IAM: it makes a role),
     tagged project=xray-lambda-workbook, with the template's parameters: the bucket, and for
     step 5 the layer's ARN and Application Signals

For a step whose POM declares a REST API and a queue (workbook.rest-api, workbook.queue-handler),
the stack holds them too: the REST API (its stage traced), the queue with its dead-letter queue, and
the second function, xray-workbook-step-N-queue, which the queue feeds; the script prints the
API's address (the stack's output ApiUrl), and its one invocation is a request to that address.

A function of the same name that deploy.sh made is left alone: the stack refuses to take it over,
and this script says so. A stack that cannot be updated (ROLLBACK_COMPLETE after a failed first
deploy, UPDATE_ROLLBACK_FAILED, or busy) is refused with the command to run next.

The IAM permissions are those of scripts/iam/workbook-user-policy.json and, for CloudFormation
and the role the stack makes, scripts/iam/workbook-stack-policy.json. scripts/cleanup.sh deletes
the stack with the rest. With the SAM CLI, sam deploy --guided on the same template does the same.

  --bucket NAME          the bucket (default: xray-workbook-ACCOUNT-REGION, or $XRAY_WORKBOOK_BUCKET)
  --layer-arn ARN        step 5: the OpenTelemetry layer's version, instead of the one this script
                         knows for the region
  --application-signals  step 5: leave CloudWatch Application Signals on (see deploy.sh --help)
  --no-invoke            deploy only
  --yes                  accepted for symmetry with cleanup.sh; deploying never asks
  --help                 show this help
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

prepare_deploy stack "$@"
[[ -f "$TEMPLATE" ]] || die "$MODULE has no SAM template ($MODULE/template.yaml): deploy it with scripts/deploy.sh $STEP"
bucket="${bucket:-$(default_bucket)}"
choose_layer_arn "$layer_arn" "$application_signals"

# The stack's status, or nothing when there is no stack of that name.
stack_status() {
  STACK_STATUS=""
  aws_probe STACK_STATUS cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query 'Stacks[0].StackStatus' --output text && return 0
  [[ "$AWS_ERROR" == *"does not exist"* ]] || die "aws cloudformation describe-stacks failed: $AWS_ERROR"
  STACK_STATUS=""
}

# Refuses a stack that CloudFormation will not update, and a function the stack cannot take over.
check_stack() {
  local events="aws cloudformation describe-stack-events --stack-name $STACK_NAME"
  stack_status
  case "$STACK_STATUS" in
    "" | REVIEW_IN_PROGRESS) ;;
    ROLLBACK_COMPLETE | ROLLBACK_FAILED)
      die "the stack $STACK_NAME is in $STACK_STATUS: its first deploy failed, and CloudFormation cannot update" \
        "it (why: $events); delete it with aws cloudformation delete-stack --stack-name $STACK_NAME, then run" \
        "scripts/deploy-stack.sh $STEP again" ;;
    UPDATE_ROLLBACK_FAILED)
      die "the stack $STACK_NAME is in UPDATE_ROLLBACK_FAILED (why: $events): run aws cloudformation" \
        "continue-update-rollback --stack-name $STACK_NAME, then scripts/deploy-stack.sh $STEP again" ;;
    DELETE_FAILED)
      die "the stack $STACK_NAME is in DELETE_FAILED (why: $events): run scripts/cleanup.sh --yes, then" \
        "scripts/deploy-stack.sh $STEP again" ;;
    *_IN_PROGRESS)
      die "the stack $STACK_NAME is busy ($STACK_STATUS): wait until aws cloudformation describe-stacks" \
        "--stack-name $STACK_NAME shows it complete, then run scripts/deploy-stack.sh $STEP again" ;;
  esac
  if [[ -z "$STACK_STATUS" || "$STACK_STATUS" == REVIEW_IN_PROGRESS ]] \
      && aws_probe - lambda get-function --function-name "$FUNCTION_NAME"; then
    die "the function $FUNCTION_NAME exists already, made by scripts/deploy.sh, and a stack cannot take it over:" \
      "delete it (aws lambda delete-function --function-name $FUNCTION_NAME), then run" \
      "scripts/deploy-stack.sh $STEP again"
  fi
}

# The template's parameters, as aws cloudformation deploy takes them.
stack_parameters() {
  STACK_PARAMETERS=()
  [[ "$READS_S3" == false ]] || STACK_PARAMETERS+=("BucketName=$bucket")
  if [[ "$OPENTELEMETRY_LAYER" == true ]]; then
    STACK_PARAMETERS+=("OpenTelemetryLayerArn=$LAYER_ARN" "ApplicationSignals=$application_signals")
  fi
}

# The reason of the stack's latest failed resource, for the one line that ends a failed deploy.
stack_failure() {
  local reason=""
  aws_probe reason cloudformation describe-stack-events --stack-name "$STACK_NAME" --output text \
    --query "StackEvents[?ends_with(ResourceStatus, 'FAILED')] | [0].[LogicalResourceId, ResourceStatusReason]" \
    || true
  [[ -n "$reason" && "$reason" != None ]] || reason="$AWS_ERROR"
  echo "$reason" | tr -s '\t\n' '  '
}

echo "Deploying $STEP as the stack $STACK_NAME to account $ACCOUNT_ID in $REGION"
check_stack
ensure_bucket "$bucket"

packaged="$(mktemp)"
trap 'rm -f "$packaged"' EXIT
# tag::package-deploy[]
# (package prints its upload's progress on stderr: a probe keeps it quiet.)
aws_probe - cloudformation package --template-file "$TEMPLATE" --s3-bucket "$bucket" \
  --s3-prefix "stack-packages/$STEP" --output-template-file "$packaged" \
  || die "aws cloudformation package failed: $AWS_ERROR"
stack_parameters
deployed=true
aws_probe - cloudformation deploy --template-file "$packaged" --stack-name "$STACK_NAME" \
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset --tags "$PROJECT_TAG_KEY=$PROJECT_TAG_VALUE" \
  ${STACK_PARAMETERS[@]+--parameter-overrides "${STACK_PARAMETERS[@]}"} || deployed=false
# end::package-deploy[]
echo "Uploaded the package to s3://$bucket/stack-packages/$STEP/"
if ! "$deployed"; then
  deploy_error="$AWS_ERROR"
  stack_status
  if [[ -z "$STACK_STATUS" || "$STACK_STATUS" == REVIEW_IN_PROGRESS ]]; then
    die "CloudFormation refused the template of $MODULE: $deploy_error"
  fi
  die "the stack $STACK_NAME failed ($STACK_STATUS): $(stack_failure); see" \
    "aws cloudformation describe-stack-events --stack-name $STACK_NAME, then run scripts/deploy-stack.sh $STEP again"
fi
stack_status
echo "Stack $STACK_NAME: $STACK_STATUS"
[[ "$OPENTELEMETRY_LAYER" == false ]] || echo "Layer: $LAYER_ARN (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument)"
[[ "$SNAPSTART" == false ]] || echo "SnapStart on published versions; alias $SNAPSTART_ALIAS points to the latest"
if [[ -n "$REST_API_METHOD" ]]; then
  require_api_url
  echo "API:    $REST_API_METHOD $API_URL (scripts/invoke.sh $STEP calls it)"
fi
[[ -z "$QUEUE_FUNCTION_NAME" ]] || echo "Queue:  $FUNCTION_NAME sends to it; Lambda hands its messages to $QUEUE_FUNCTION_NAME"

finish_deploy
