#!/usr/bin/env bash
# From nothing to a traced function in your AWS account: role, bucket, function, one invocation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/deploy.sh step-N [--bucket NAME] [--no-invoke] [--yes]

Deploys step-1, step-2, step-3 or step-4 to the AWS account and region your AWS CLI uses, with
Active tracing switched on, then invokes it once and prints the answer, the log group and the
X-Ray console link. Build the package first with scripts/zip.sh step-N.

It creates, or reuses and updates when run again, everything tagged project=xray-lambda-workbook:
  - the role xray-workbook-lambda-role, trusted by Lambda, with AWSLambdaBasicExecutionRole,
    AWSXRayDaemonWriteAccess and (steps 2 to 4) s3:GetObject on exactly the sample object; the
    role's tag xray-workbook-regions lists every region deployed to, for scripts/cleanup.sh;
  - steps 2 to 4: the bucket (public access blocked) holding sample_data.json;
  - the function xray-workbook-step-N (java21, 512 MB, 15 s, Active tracing).
scripts/cleanup.sh removes all of it. The IAM permissions all the scripts need, and no more, are
in scripts/iam/workbook-user-policy.json; when your identity lacks one, the script stops with one
line that names it.

Step 4 sends OpenTelemetry spans over UDP to the X-Ray endpoint that Lambda runs beside the
function (AWS_XRAY_DAEMON_ADDRESS), the way AWS's X-Ray migration guide sets it up. AWS documents
no requirement beyond Active tracing for that path (CloudWatch Transaction Search is required
only by the OTLP HTTPS endpoint, which step 4 does not use), so deploy.sh changes no account
setting. Where Transaction Search is on, deploy.sh and trace.sh say so in one line: then only a
sample of the traces (1% by default) can be found by searching.

  --bucket NAME  the bucket for steps 2 to 4 (default: xray-workbook-ACCOUNT-REGION, or
                 $XRAY_WORKBOOK_BUCKET); bucket names are global, so the default is unique;
                 the policy in scripts/iam reaches only names that start with xray-workbook-
  --no-invoke    deploy only
  --yes          accepted for symmetry with cleanup.sh; deploy never asks
  --help         show this help
USAGE
}

step_arg=""
bucket=""
invoke=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --bucket) bucket="${2:?--bucket needs a name}"; shift 2 ;;
    --no-invoke) invoke=false; shift ;;
    --yes) shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) step_arg="$1"; shift ;;
  esac
done

resolve_step "$step_arg"
require_aws_cli
require_region
require_credentials
require_package
bucket="${bucket:-$(default_bucket)}"
tags="$(project_tags_json)"

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
  for policy in service-role/AWSLambdaBasicExecutionRole AWSXRayDaemonWriteAccess; do
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

ensure_bucket() {
  # head-bucket prints the bucket's region as JSON on newer CLIs: only its success counts here.
  if aws_probe - s3api head-bucket --bucket "$bucket"; then
    echo "Reusing bucket $bucket"
  else
    # S3 answers HeadBucket with a bare 403 both to a bucket of another account and to one this
    # identity may not list, and says no more.
    [[ "$AWS_ERROR" != *"(403)"* ]] \
      || die "the bucket $bucket answered 403 Forbidden: it belongs to another account (choose another name" \
        "with --bucket), or your AWS identity lacks s3:ListBucket on it (see $POLICY_FILE)"
    if [[ "$REGION" == us-east-1 ]]; then
      aws_run s3api create-bucket --bucket "$bucket" >/dev/null
    else
      aws_run s3api create-bucket --bucket "$bucket" \
        --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
    fi
    echo "Created bucket $bucket"
  fi
  aws_run s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  aws_run s3api put-bucket-tagging --bucket "$bucket" \
    --tagging "TagSet=[{Key=$PROJECT_TAG_KEY,Value=$PROJECT_TAG_VALUE}]"
  local sample
  sample="$(mktemp)"
  printf '%s\n' "$SAMPLE_DATA" >"$sample"
  aws_run s3api put-object --bucket "$bucket" --key "$SAMPLE_KEY" --body "$sample" \
    --content-type application/json >/dev/null
  rm -f "$sample"
  echo "Uploaded s3://$bucket/$SAMPLE_KEY"
}

function_environment() {
  if [[ "$READS_S3" == true ]]; then
    echo "Variables={BUCKET_NAME=$bucket}"
  else
    echo "Variables={}"
  fi
}

ensure_function() {
  local environment
  environment="$(function_environment)"
  if aws_probe - lambda get-function --function-name "$FUNCTION_NAME"; then
    aws_run lambda update-function-code --function-name "$FUNCTION_NAME" \
      --zip-file "fileb://$PACKAGE" >/dev/null
    aws_run lambda wait function-updated --function-name "$FUNCTION_NAME"
    # tag::tracing-config[]
    aws_run lambda update-function-configuration --function-name "$FUNCTION_NAME" \
      --runtime "$LAMBDA_RUNTIME" --handler "$HANDLER" --role "$ROLE_ARN" \
      --memory-size "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT_S" \
      --tracing-config Mode=Active --environment "$environment" >/dev/null
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
        --zip-file "fileb://$PACKAGE" --tags "$tags"; then
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

echo "Deploying $STEP to account $ACCOUNT_ID in $REGION"
ensure_role
[[ "$READS_S3" == true ]] && ensure_bucket
ensure_function

if "$invoke"; then
  event="$(mktemp)"
  echo '{}' >"$event"
  invoke_once "$event"
  rm -f "$event"
fi
transaction_search_note
echo "Logs:   /aws/lambda/$FUNCTION_NAME (aws logs filter-log-events --log-group-name /aws/lambda/$FUNCTION_NAME)"
echo "Traces: $(console_link)   or: scripts/trace.sh $STEP"
