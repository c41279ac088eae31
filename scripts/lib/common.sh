# shellcheck shell=bash
# Shared by the scripts that talk to a real AWS account: step names, resource names, checks.
# Sourced, never run.
# shellcheck disable=SC2034  # the variables set here are read by the scripts that source this file

WORKBOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROJECT_TAG_KEY=project
PROJECT_TAG_VALUE=xray-lambda-workbook
ROLE_NAME=xray-workbook-lambda-role
# The role is global, the functions are regional: deploy.sh notes on the role every region it
# deployed to, so that cleanup.sh knows where to look for functions that still use the role.
REGIONS_TAG_KEY=xray-workbook-regions
S3_POLICY_NAME=xray-workbook-read-sample-data
SAMPLE_KEY=sample_data.json
SAMPLE_DATA='{"message": "Hello from S3!"}'
LAMBDA_RUNTIME=java21
LAMBDA_MEMORY_MB=512
LAMBDA_TIMEOUT_S=15

# One line on stderr, then exit 1.
die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Sets STEP (step-N), MODULE, FUNCTION_NAME, HANDLER, PACKAGE and READS_S3 from a step name.
resolve_step() {
  case "${1:-}" in
    step-1|1|step-1-blank) STEP=step-1; MODULE=step-1-blank; READS_S3=false ;;
    step-2|2|step-2-s3-patched) STEP=step-2; MODULE=step-2-s3-patched; READS_S3=true ;;
    step-3|3|step-3-subsegments) STEP=step-3; MODULE=step-3-subsegments; READS_S3=true ;;
    step-4|4|step-4-opentelemetry) STEP=step-4; MODULE=step-4-opentelemetry; READS_S3=true ;;
    "") die "name a step: step-1, step-2, step-3 or step-4 (see --help)" ;;
    *) die "unknown step '$1': choose step-1, step-2, step-3 or step-4" ;;
  esac
  FUNCTION_NAME="xray-workbook-$STEP"
  # The handler is written once, in the step's POM.
  HANDLER=""
  if [[ -f "$WORKBOOK_ROOT/$MODULE/pom.xml" ]]; then
    HANDLER="$(sed -n 's:.*<lambda.handler>\(.*\)</lambda.handler>.*:\1:p' "$WORKBOOK_ROOT/$MODULE/pom.xml")"
  fi
  PACKAGE="$WORKBOOK_ROOT/$MODULE/target/$MODULE-lambda.jar"
}

require_module() {
  [[ -f "$WORKBOOK_ROOT/$MODULE/pom.xml" ]] || die "$MODULE is not in this checkout ($WORKBOOK_ROOT)"
  [[ -n "$HANDLER" ]] || die "$MODULE/pom.xml names no <lambda.handler>"
}

require_package() {
  require_module
  [[ -f "$PACKAGE" ]] || die "$MODULE has not been built: run scripts/zip.sh $STEP first"
}

# Runs the workbench's command line (view, run, ...), building the workbench first if needed.
workbench() {
  local jar="$WORKBOOK_ROOT/workbench/target/xray-workbench.jar"
  if [[ ! -f "$jar" ]]; then
    (cd "$WORKBOOK_ROOT" && ./mvnw -B -q -pl workbench -am package -DskipTests >&2)
  fi
  java -jar "$jar" "$@"
}

require_aws_cli() {
  command -v aws >/dev/null || die "the AWS CLI is not installed: install it (v1 or v2) and run aws configure"
}

# Sets REGION from AWS_REGION, AWS_DEFAULT_REGION or the CLI's configuration.
require_region() {
  REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
  if [[ -z "$REGION" ]]; then
    REGION="$(aws configure get region 2>/dev/null || true)"
  fi
  [[ -n "$REGION" ]] || die "no AWS region: export AWS_REGION=eu-west-1 (or your region), or run aws configure"
  export AWS_DEFAULT_REGION="$REGION"
}

# Sets ACCOUNT_ID, proving the credentials work.
require_credentials() {
  ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" \
    || die "no usable AWS credentials: run aws configure (or set AWS_PROFILE), then try again"
}

# The bucket: --bucket, else XRAY_WORKBOOK_BUCKET, else one name unique to the account and region.
default_bucket() {
  echo "${XRAY_WORKBOOK_BUCKET:-xray-workbook-$ACCOUNT_ID-$REGION}"
}

project_tags_json() {
  printf '{"%s":"%s"}' "$PROJECT_TAG_KEY" "$PROJECT_TAG_VALUE"
}

console_link() {
  echo "https://$REGION.console.aws.amazon.com/cloudwatch/home?region=$REGION#xray:traces/query"
}

# One line on stderr when CloudWatch Transaction Search is on in this region, since then
# X-Ray's trace summaries hold only a sample of the traces. Says nothing when it is off, or when
# the call is refused or unknown (an older CLI, an endpoint that does not have it).
transaction_search_note() {
  local destination
  destination="$(aws xray get-trace-segment-destination --query Destination --output text 2>/dev/null)" \
    || return 0
  [[ "$destination" == CloudWatchLogs ]] || return 0
  echo "Transaction Search is on in $REGION: spans go to CloudWatch Logs (log group aws/spans) and only" \
    "1% are indexed as trace summaries by default, so a search can miss a trace that exists; find it in" \
    "the CloudWatch console under Transaction Search or Traces, or index more with" \
    "aws xray update-indexing-rule --name Default --rule '{\"Probabilistic\":{\"DesiredSamplingPercentage\":100}}'" >&2
}

# Invokes the function once with an event file; prints the answer, or the function's error.
invoke_once() {
  local event="$1" answer
  answer="$(mktemp)"
  local error
  error="$(aws lambda invoke --function-name "$FUNCTION_NAME" --payload "fileb://$event" \
    --query FunctionError --output text "$answer")"
  if [[ "$error" != "None" && -n "$error" ]]; then
    echo "Function error ($error): $(cat "$answer")"
  else
    echo "Response: $(cat "$answer")"
  fi
  rm -f "$answer"
}
