#!/usr/bin/env bash
# From nothing to a traced function in your AWS account: role, bucket, function, one invocation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/deploy.sh step-N [--bucket NAME] [--layer-arn ARN] [--application-signals]
                                [--no-invoke] [--yes]

Deploys a step to the AWS account and region your AWS CLI uses, with Active tracing switched on,
then invokes it once and prints the answer, the log group and the X-Ray console link. Build the
package first with scripts/zip.sh step-N.

It creates, or reuses and updates when run again, everything tagged project=xray-lambda-workbook:
  - the role xray-workbook-lambda-role, trusted by Lambda, with AWSLambdaBasicExecutionRole,
    AWSXRayDaemonWriteAccess and, for the steps that read S3, s3:GetObject on exactly the sample
    object; the role's tag xray-workbook-regions lists every region deployed to, for
    scripts/cleanup.sh;
  - for the steps that read S3: the bucket (public access blocked) holding sample_data.json;
  - the function xray-workbook-step-N (java21, 512 MB, 15 s, Active tracing), and what its POM
    asks for besides:
      workbook.opentelemetry-layer (step 5): AWS's OpenTelemetry Lambda layer for the region
        (AWSOpenTelemetryDistroJava), AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument, and
        OTEL_AWS_APPLICATION_SIGNALS_ENABLED=false for traces only, as AWS's X-Ray migration
        guide describes;
      workbook.snapstart (step 6): SnapStart on published versions; each deploy publishes a
        version and points the alias 'live' at it, which invoke.sh calls.
A step whose POM declares a REST API (workbook.rest-api) or a queue (workbook.queue-handler)
deploys only from its SAM template: scripts/deploy-stack.sh, which this script names when asked
for one. scripts/cleanup.sh removes all of it. The IAM permissions all the scripts need, and no more, are
in scripts/iam/workbook-user-policy.json; when your identity lacks one, the script stops with one
line that names it.

Step 4 sends OpenTelemetry spans over UDP to the X-Ray endpoint that Lambda runs beside the
function (AWS_XRAY_DAEMON_ADDRESS), the way AWS's X-Ray migration guide sets it up, and step 5's
layer does the same. AWS documents no requirement beyond Active tracing for that path
(CloudWatch Transaction Search is required only by the OTLP HTTPS endpoint, which neither uses),
so deploy.sh changes no account setting. Where Transaction Search is on, deploy.sh and trace.sh
say so in one line: then only a sample of the traces (1% by default) can be found by searching.

  --bucket NAME          the bucket for the steps that read S3 (default:
                         xray-workbook-ACCOUNT-REGION, or $XRAY_WORKBOOK_BUCKET); bucket names
                         are global, so the default is unique; the policy in scripts/iam reaches
                         only names that start with xray-workbook-
  --layer-arn ARN        the OpenTelemetry layer's version to use (step 5), instead of the one
                         this script knows for the region; for a region it does not know, or a
                         newer version
  --application-signals  step 5: leave CloudWatch Application Signals on, as the Lambda console
                         does, and attach CloudWatchLambdaApplicationSignalsExecutionRolePolicy
                         to the role. Traces reach X-Ray without Application Signals' one-time
                         discovery, which needs iam:CreateServiceLinkedRole and is not run here:
                         someone with that right runs it once, in the CloudWatch console or with
                         aws application-signals start-discovery
  --no-invoke            deploy only
  --yes                  accepted for symmetry with cleanup.sh; deploy never asks
  --help                 show this help
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

prepare_deploy function "$@"
bucket="${bucket:-$(default_bucket)}"
tags="$(project_tags_json)"
choose_layer_arn "$layer_arn" "$application_signals"
layer_arn="$LAYER_ARN"

ensure_role() {
  local trust
  trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
  if aws_probe ROLE_ARN iam get-role --role-name "$ROLE_NAME" --query Role.Arn --output text; then
    echo "Reusing role $ROLE_NAME"
  else
    aws_read ROLE_ARN iam create-role --role-name "$ROLE_NAME" --assume-role-policy-document "$trust" \
      --tags "Key=$PROJECT_TAG_KEY,Value=$PROJECT_TAG_VALUE" --query Role.Arn --output text
    echo "Created role $ROLE_NAME"
  fi
  record_region
  local policies="service-role/AWSLambdaBasicExecutionRole AWSXRayDaemonWriteAccess"
  [[ "$application_signals" == false ]] || policies="$policies CloudWatchLambdaApplicationSignalsExecutionRolePolicy"
  for policy in $policies; do
    aws_run iam attach-role-policy --role-name "$ROLE_NAME" --policy-arn "arn:aws:iam::aws:policy/$policy"
  done
  # tag::s3-policy[]
  if [[ "$READS_S3" == true ]]; then
    aws_run iam put-role-policy --role-name "$ROLE_NAME" --policy-name "$S3_POLICY_NAME" --policy-document \
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$bucket/$SAMPLE_KEY\"}]}"
  fi
  # end::s3-policy[]
}

# Adds this region to the role's list of regions, which cleanup.sh reads to find every function
# that uses the role before it deletes it.
record_region() {
  local regions
  aws_read regions iam list-role-tags --role-name "$ROLE_NAME" --output text \
    --query "Tags[?Key=='$REGIONS_TAG_KEY'].Value | [0]"
  [[ "$regions" == None ]] && regions=""
  if [[ " $regions " != *" $REGION "* ]]; then
    regions="${regions:+$regions }$REGION"
    aws_run iam tag-role --role-name "$ROLE_NAME" \
      --tags "[{\"Key\":\"$REGIONS_TAG_KEY\",\"Value\":\"$regions\"}]"
  fi
}

function_environment() {
  local variables=""
  [[ "$READS_S3" == false ]] || variables="BUCKET_NAME=$bucket"
  if [[ "$OPENTELEMETRY_LAYER" == true ]]; then
    # tag::layer-environment[]
    variables="${variables:+$variables,}AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument"
    variables="$variables,OTEL_AWS_APPLICATION_SIGNALS_ENABLED=$application_signals"
    # end::layer-environment[]
  fi
  echo "Variables={$variables}"
}

# The options that differ from step to step, for create-function and update-function-configuration:
# AWS's OpenTelemetry layer, SnapStart.
function_extras() {
  FUNCTION_EXTRAS=()
  if [[ "$OPENTELEMETRY_LAYER" == true ]]; then
    FUNCTION_EXTRAS+=(--layers "$layer_arn")
  fi
  if [[ "$SNAPSTART" == true ]]; then
    FUNCTION_EXTRAS+=(--snap-start ApplyOn=PublishedVersions)
  fi
}

ensure_function() {
  local environment
  environment="$(function_environment)"
  function_extras
  if aws_probe - lambda get-function --function-name "$FUNCTION_NAME"; then
    aws_run lambda update-function-code --function-name "$FUNCTION_NAME" \
      --zip-file "fileb://$PACKAGE" >/dev/null
    aws_run lambda wait function-updated --function-name "$FUNCTION_NAME"
    # tag::tracing-config[]
    aws_run lambda update-function-configuration --function-name "$FUNCTION_NAME" \
      --runtime "$LAMBDA_RUNTIME" --handler "$HANDLER" --role "$ROLE_ARN" \
      --memory-size "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT_S" \
      --tracing-config Mode=Active --environment "$environment" ${FUNCTION_EXTRAS[@]+"${FUNCTION_EXTRAS[@]}"} >/dev/null
    # end::tracing-config[]
    aws_run lambda wait function-updated --function-name "$FUNCTION_NAME"
    echo "Updated function $FUNCTION_NAME"
    return
  fi
  # A role created seconds ago cannot be assumed by Lambda yet: retry for a while.
  local attempt
  for attempt in $(seq 1 12); do
    if aws_probe - lambda create-function --function-name "$FUNCTION_NAME" \
        --runtime "$LAMBDA_RUNTIME" --handler "$HANDLER" --role "$ROLE_ARN" \
        --memory-size "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT_S" \
        --tracing-config Mode=Active --environment "$environment" \
        ${FUNCTION_EXTRAS[@]+"${FUNCTION_EXTRAS[@]}"} --zip-file "fileb://$PACKAGE" --tags "$tags"; then
      aws_run lambda wait function-active-v2 --function-name "$FUNCTION_NAME"
      echo "Created function $FUNCTION_NAME"
      return
    fi
    if [[ "$AWS_ERROR" != *"cannot be assumed"* ]]; then
      die "creating $FUNCTION_NAME failed: $AWS_ERROR"
    fi
    echo "Waiting for the new role to reach Lambda (attempt $attempt of 12)..."
    sleep "${XRAY_WORKBOOK_ROLE_RETRY_SECONDS:-5}"
  done
  die "Lambda still cannot assume $ROLE_NAME after a minute: run scripts/deploy.sh $STEP again"
}

# SnapStart applies to published versions: publish one, wait until its snapshot is ready, and
# point the alias that invoke.sh calls at it.
publish_for_snapstart() {
  local version
  # tag::snapstart-publish[]
  aws_read version lambda publish-version --function-name "$FUNCTION_NAME" --query Version --output text
  aws_run lambda wait published-version-active --function-name "$FUNCTION_NAME" --qualifier "$version"
  if aws_probe - lambda get-alias --function-name "$FUNCTION_NAME" --name "$SNAPSTART_ALIAS"; then
    aws_run lambda update-alias --function-name "$FUNCTION_NAME" --name "$SNAPSTART_ALIAS" \
      --function-version "$version" >/dev/null
  else
    aws_run lambda create-alias --function-name "$FUNCTION_NAME" --name "$SNAPSTART_ALIAS" \
      --function-version "$version" >/dev/null
  fi
  # end::snapstart-publish[]
  echo "Published version $version with SnapStart; alias $SNAPSTART_ALIAS points to it"
}

# A function that a stack made is the stack's to change.
refuse_stack_function() {
  local stack=""
  aws_probe stack lambda get-function --function-name "$FUNCTION_NAME" --output text \
    --query 'Tags."aws:cloudformation:stack-name"' || return 0
  [[ "$stack" == None || -z "$stack" ]] \
    || die "the function $FUNCTION_NAME belongs to the stack $stack (scripts/deploy-stack.sh made it): deploy" \
      "with scripts/deploy-stack.sh $STEP, or delete the stack with scripts/cleanup.sh --yes first"
}

echo "Deploying $STEP to account $ACCOUNT_ID in $REGION"
refuse_stack_function
ensure_role
[[ "$READS_S3" == false ]] || ensure_bucket "$bucket"
ensure_function
[[ "$OPENTELEMETRY_LAYER" == false ]] || echo "Layer: $layer_arn (AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument)"
[[ "$SNAPSTART" == false ]] || publish_for_snapstart

finish_deploy
