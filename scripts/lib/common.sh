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
# The alias a step deployed with SnapStart is invoked through: SnapStart works on published
# versions only, and deploy.sh points this alias at the version it publishes.
SNAPSTART_ALIAS=live
LAMBDA_MEMORY_MB=512
LAMBDA_TIMEOUT_S=15
# A step's second function, which a queue feeds (workbook.queue-handler), is named after the first
# with this suffix: xray-workbook-step-7 and xray-workbook-step-7-queue. Its SAM template says the same.
QUEUE_FUNCTION_SUFFIX=-queue

# The regions where Lambda SnapStart is not available: Asia Pacific (Taipei) and Asia Pacific (New
# Zealand), "all commercial Regions except" these, as
# https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-supported-regions says.
SNAPSTART_UNAVAILABLE_REGIONS="ap-east-2 ap-southeast-6"

# Where AWS lists the ARNs of its OpenTelemetry Lambda layer, region by region.
OPENTELEMETRY_LAYER_TABLE=https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Application-Signals-Enable-LambdaMain.html

# One line on stderr, then exit 1.
die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# --- The steps ----------------------------------------------------------------------------------
# A step is a step-N-NAME module of the workbook whose POM names its handler (lambda.handler) and
# says what the scripts need to know (workbook.reads-s3, workbook.fails-on-purpose,
# workbook.opentelemetry-layer, workbook.snapstart, workbook.rest-api, workbook.queue-handler). The workbench reads the same properties, so
# adding a step means adding a module. The scripts read the modules and the POMs by the
# workbench's rules (its Step class): StepReadersAgreeTest in workbench holds the two to one answer.

# The number of a step-N-NAME module, or nothing for any other name: N has no leading zero and
# NAME is lower-case letters, digits and dashes, as the workbench's step-([1-9][0-9]*)-[a-z0-9-]+.
step_number() {
  _step_number "$1"
  [[ -z "$_STEP_NUMBER" ]] || echo "$_STEP_NUMBER"
}

# step_number into _STEP_NUMBER, without the subshell of $(step_number ...).
_step_number() {
  local rest="${1#step-}"
  _STEP_NUMBER=""
  case "$1" in
    step-[1-9]*-?*) ;;
    *) return 0 ;;
  esac
  case "${rest%%-*}" in
    *[!0123456789]*) return 0 ;;
  esac
  case "${rest#*-}" in
    *[!abcdefghijklmnopqrstuvwxyz0123456789-]*) return 0 ;;
  esac
  _STEP_NUMBER="${rest%%-*}"
}

# The step modules of the workbook, in the order of their numbers, one a line.
step_modules() {
  local pom module
  for pom in "$WORKBOOK_ROOT"/step-*-*/pom.xml; do
    [[ -f "$pom" ]] || continue
    module="${pom%/pom.xml}"
    module="${module##*/}"
    _step_number "$module"
    [[ -z "$_STEP_NUMBER" ]] || echo "$_STEP_NUMBER $module"
  done | sort -n | cut -d' ' -f2
}

# The steps as a reader names them: "step-1, step-2 or step-3".
step_names() {
  local names="" last="" module
  for module in $(step_modules); do
    [[ -z "$last" ]] || names="${names:+$names, }$last"
    _step_number "$module"
    last="step-$_STEP_NUMBER"
  done
  echo "${names:+$names or }${last:-no step: no step-N-NAME module in $WORKBOOK_ROOT}"
}

# The value a module's POM gives a property in its own top-level <properties> (not in a
# <profile>, a plugin's configuration or a comment), without surrounding blanks; nothing if it
# gives none. It reads the POM as XML, as the workbench does: the text of the property's element
# with comments left out, CDATA as written, entities and character references decoded, lines
# kept; when a property is set twice the last one counts. Fails, printing nothing, on a POM
# that is not well-formed (a tag left open, an unknown entity) or that has a DOCTYPE, which the
# workbench refuses too. POSIX awk, so that macOS's awk runs it; C locale, so it counts bytes.
pom_property() {
  LC_ALL=C awk -v wanted="$2" '
function fail() { exit 1 }

# The UTF-8 bytes of a character reference.
function utf8(n) {
  if (n < 128) return sprintf("%c", n)
  if (n < 2048) return sprintf("%c%c", 192 + int(n / 64), 128 + n % 64)
  if (n < 65536) return sprintf("%c%c%c", 224 + int(n / 4096), 128 + int(n / 64) % 64, 128 + n % 64)
  return sprintf("%c%c%c%c", 240 + int(n / 262144), 128 + int(n / 4096) % 64, 128 + int(n / 64) % 64, 128 + n % 64)
}

# Text with its entity and character references decoded.
function decode(t,    out, i, ref, n, k, digit) {
  out = ""
  while ((i = index(t, "&")) > 0) {
    out = out substr(t, 1, i - 1)
    t = substr(t, i)
    if (!match(t, /^&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/)) fail()
    ref = substr(t, 2, RLENGTH - 2)
    t = substr(t, RLENGTH + 1)
    if (ref == "lt") out = out "<"
    else if (ref == "gt") out = out ">"
    else if (ref == "amp") out = out "&"
    else if (ref == "quot") out = out "\""
    else if (ref == "apos") out = out sprintf("%c", 39)
    else {
      n = 0
      if (substr(ref, 2, 1) == "x") {
        for (k = 3; k <= length(ref); k++) {
          digit = index("0123456789abcdef", tolower(substr(ref, k, 1))) - 1
          n = n * 16 + digit
        }
      } else n = substr(ref, 2) + 0
      out = out utf8(n)
    }
  }
  return out t
}

# Text inside the property being read counts; elsewhere it is only checked.
function text(t) {
  t = decode(t)
  if (reading) value = value t
  else if (depth == 0 && t ~ /[^ \t\n]/) fail()
}

function open_element(name) {
  element[++depth] = name
  if (depth == 2 && name == "properties") in_properties = 1
  else if (depth == 3 && in_properties) { reading = 1; property = name; value = "" }
}

function close_element(name) {
  if (depth < 1 || element[depth] != name) fail()
  if (depth == 3 && in_properties) { found[property] = value; reading = 0 }
  else if (depth == 2) in_properties = 0
  depth--
}

{ doc = doc $0 "\n" }

END {
  gsub(/\r\n/, "\n", doc); gsub(/\r/, "\n", doc)
  if (substr(doc, 1, 3) == sprintf("%c%c%c", 239, 187, 191)) doc = substr(doc, 4)
  blank = "[ \t\n]"
  quoted = "(\"[^\"]*\"|" sprintf("%c", 39) "[^" sprintf("%c", 39) "]*" sprintf("%c", 39) ")"
  start_tag = "^<[^ \t\n/>!?]+(" blank "+[^ \t\n=/>]+" blank "*=" blank "*" quoted ")*" blank "*/?>"
  s = doc
  while (s != "") {
    i = index(s, "<")
    if (i == 0) { text(s); break }
    if (i > 1) { text(substr(s, 1, i - 1)); s = substr(s, i) }
    if (substr(s, 1, 4) == "<!--") {
      if (!(i = index(s, "-->"))) fail()
      s = substr(s, i + 3)
    } else if (substr(s, 1, 9) == "<![CDATA[") {
      if (!(i = index(s, "]]>"))) fail()
      if (reading) value = value substr(s, 10, i - 10)
      s = substr(s, i + 3)
    } else if (substr(s, 1, 2) == "<?") {
      if (!(i = index(s, "?>"))) fail()
      s = substr(s, i + 2)
    } else if (substr(s, 1, 2) == "</") {
      if (!match(s, /^<\/[^ \t\n>]+[ \t\n]*>/)) fail()
      name = substr(s, 3, RLENGTH - 3); sub(/[ \t\n]+$/, "", name)
      close_element(name)
      s = substr(s, RLENGTH + 1)
    } else {
      if (!match(s, start_tag)) fail()
      tag = substr(s, 1, RLENGTH)
      s = substr(s, RLENGTH + 1)
      match(tag, /^<[^ \t\n\/>]+/)
      name = substr(tag, 2, RLENGTH - 1)
      if (depth == 0 && root++) fail()
      open_element(name)
      if (tag ~ /\/>$/) close_element(name)
    }
  }
  if (depth != 0 || !root) fail()
  if (wanted in found) {
    value = found[wanted]
    sub(/^[ \t\n\r]+/, "", value); sub(/[ \t\n\r]+$/, "", value)
    print value
  }
}' "$WORKBOOK_ROOT/$1/pom.xml"
}

# true if a module's POM sets the property to true (in any case, as Java's Boolean.parseBoolean
# reads it), else false.
pom_flag() {
  case "$(pom_property "$1" "$2")" in
    [Tt][Rr][Uu][Ee]) echo true ;;
    *) echo false ;;
  esac
}

# The ARN of AWS's OpenTelemetry layer for Java in a region, from lib/opentelemetry-layer-arns.tsv;
# nothing for a region the table does not hold. Commercial regions only (see require_region).
opentelemetry_layer_arn() {
  awk -F'\t' -v region="$1" '!/^#/ && $1 == region {
    printf "arn:aws:lambda:%s:%s:layer:AWSOpenTelemetryDistroJava:%s\n", $1, $2, $3 }' \
    "$WORKBOOK_ROOT/scripts/lib/opentelemetry-layer-arns.tsv"
}

# Sets STEP (step-N), MODULE, FUNCTION_NAME, HANDLER, PACKAGE, TEMPLATE, STACK_NAME, READS_S3,
# OPENTELEMETRY_LAYER, SNAPSTART and QUALIFIER (what to invoke: the alias for a step deployed with SnapStart, which runs
# on published versions only) from a step name: step-N, N or the module's name. For a step whose
# function answers a REST API (workbook.rest-api, "METHOD /path") also REST_API_METHOD and
# REST_API_PATH, and for a step with a second function fed by a queue (workbook.queue-handler)
# QUEUE_HANDLER and QUEUE_FUNCTION_NAME; all empty for any other step. With a queue, the second
# function is the one that reads S3 when READS_S3 is true.
resolve_step() {
  local wanted="${1:-}" module number
  [[ -n "$wanted" ]] || die "name a step: $(step_names) (see --help)"
  MODULE=""
  for module in $(step_modules); do
    _step_number "$module"
    number="$_STEP_NUMBER"
    if [[ "$wanted" == "step-$number" || "$wanted" == "$number" || "$wanted" == "$module" ]]; then
      MODULE="$module"
      STEP="step-$number"
    fi
  done
  [[ -n "$MODULE" ]] || die "unknown step '$wanted': choose $(step_names)"
  FUNCTION_NAME="xray-workbook-$STEP"
  HANDLER="$(pom_property "$MODULE" lambda.handler)" || die "$MODULE/pom.xml is not a readable POM"
  READS_S3="$(pom_flag "$MODULE" workbook.reads-s3)"
  OPENTELEMETRY_LAYER="$(pom_flag "$MODULE" workbook.opentelemetry-layer)"
  SNAPSTART="$(pom_flag "$MODULE" workbook.snapstart)"
  QUALIFIER=""
  [[ "$SNAPSTART" == false ]] || QUALIFIER="$SNAPSTART_ALIAS"
  local route re='^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[[:space:]]+(/[A-Za-z0-9._~/-]*)$'
  route="$(pom_property "$MODULE" workbook.rest-api)"
  REST_API_METHOD=""
  REST_API_PATH=""
  if [[ -n "$route" ]]; then
    [[ "$route" =~ $re ]] \
      || die "$MODULE/pom.xml: <workbook.rest-api> must be a method and a path, e.g. POST /messages, not '$route'"
    REST_API_METHOD="${BASH_REMATCH[1]}"
    REST_API_PATH="${BASH_REMATCH[2]}"
  fi
  QUEUE_HANDLER="$(pom_property "$MODULE" workbook.queue-handler)"
  QUEUE_FUNCTION_NAME=""
  [[ -z "$QUEUE_HANDLER" ]] || QUEUE_FUNCTION_NAME="$FUNCTION_NAME$QUEUE_FUNCTION_SUFFIX"
  PACKAGE="$WORKBOOK_ROOT/$MODULE/target/$MODULE-lambda.jar"
  # The step's SAM template, which deploy-stack.sh deploys as the stack STACK_NAME.
  TEMPLATE="$WORKBOOK_ROOT/$MODULE/template.yaml"
  STACK_NAME="xray-workbook-$STEP"
}

# What makes a step deployable only from its SAM template, as a stack: "a REST API", "a queue",
# both ("a REST API and a queue"), or nothing. deploy.sh makes one function and its role, no more.
stack_only_reason() {
  local reason=""
  [[ -z "$REST_API_METHOD" ]] || reason="a REST API"
  [[ -z "$QUEUE_HANDLER" ]] || reason="${reason:+$reason and }a queue"
  echo "$reason"
}

require_module() {
  [[ -f "$WORKBOOK_ROOT/$MODULE/pom.xml" ]] || die "$MODULE is not in this checkout ($WORKBOOK_ROOT)"
  [[ -n "$HANDLER" ]] || die "$MODULE/pom.xml names no <lambda.handler>"
}

require_package() {
  require_module
  [[ -f "$PACKAGE" ]] || die "$MODULE has not been built: run scripts/zip.sh $STEP first"
}

# Refuses a step that needs SnapStart in a region that does not offer it, before any call to AWS.
require_step_region() {
  if [[ "$SNAPSTART" == true && " $SNAPSTART_UNAVAILABLE_REGIONS " == *" $REGION "* ]]; then
    die "$STEP runs with Lambda SnapStart, which AWS does not offer in $REGION: deploy $STEP to another" \
      "region (export AWS_REGION=eu-west-1, say)"
  fi
}

# Sets LAYER_ARN for a step whose POM asks for AWS's OpenTelemetry layer: the ARN given (--layer-arn),
# else the one the table knows for the region. Refuses the layer's options for any other step.
# Arguments: the ARN given (or nothing), and whether --application-signals was given.
choose_layer_arn() {
  LAYER_ARN="$1"
  if [[ "$OPENTELEMETRY_LAYER" == true ]]; then
    LAYER_ARN="${LAYER_ARN:-$(opentelemetry_layer_arn "$REGION")}"
    [[ -n "$LAYER_ARN" ]] || die "this script knows no ARN of AWS's OpenTelemetry layer in $REGION: find it in" \
      "the table of $OPENTELEMETRY_LAYER_TABLE and pass it with --layer-arn"
  elif [[ -n "$LAYER_ARN" || "$2" == true ]]; then
    die "$STEP runs without AWS's OpenTelemetry layer: --layer-arn and --application-signals are for a step" \
      "whose POM sets workbook.opentelemetry-layer"
  fi
}

# Checks there is a millisecond clock for now_ms: not date +%s%N, since BSD date (macOS) has no %N
# and prints a literal N. perl ships with macOS and nearly every Linux; python3 comes second, since
# on macOS it may be only a stub that offers to install the developer tools.
require_clock() {
  if command -v perl >/dev/null 2>&1; then
    CLOCK=perl
  elif command -v python3 >/dev/null 2>&1; then
    CLOCK=python3
  else
    die "no millisecond clock: install perl or python3"
  fi
}

# Milliseconds since the epoch (after require_clock).
now_ms() {
  if [[ "$CLOCK" == perl ]]; then
    perl -MTime::HiRes=time -e 'printf("%d\n", time() * 1000)'
  else
    python3 -c 'import time; print(int(time.time() * 1000))'
  fi
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

# Sets REGION from AWS_REGION, AWS_DEFAULT_REGION or the CLI's configuration, and refuses a
# region outside AWS's commercial partition before any call to AWS: the scripts write every ARN,
# the role's managed policies and the policy in scripts/iam as arn:aws:..., which the other
# partitions do not accept. Their regions, by the region patterns of the AWS SDKs' endpoint data
# (partitions in botocore's data/endpoints.json): China cn-* (aws-cn), AWS GovCloud (US)
# us-gov-* (aws-us-gov), the isolated regions us-iso-*, us-isob-*, us-isof-*, eu-isoe-*
# (aws-iso, aws-iso-b, aws-iso-f, aws-iso-e) and the AWS European Sovereign Cloud eusc-*
# (aws-eusc).
require_region() {
  REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
  if [[ -z "$REGION" ]]; then
    REGION="$(aws configure get region 2>/dev/null || true)"
  fi
  [[ -n "$REGION" ]] || die "no AWS region: export AWS_REGION=eu-west-1 (or your region), or run aws configure"
  case "$REGION" in
    cn-* | us-gov-* | *-iso*-* | eusc-*)
      die "$REGION is not a commercial AWS region, and these scripts support commercial regions only" \
        "(ARNs arn:aws:...): export AWS_REGION=eu-west-1 (or another commercial region)" ;;
  esac
  export AWS_DEFAULT_REGION="$REGION"
}

# --- AWS calls -----------------------------------------------------------------------------------
# The calls whose failure stops a script go through these three, which turn a refusal for lack of
# permission into one line naming the IAM action (or, where AWS does not name it, the command) and
# the policy that grants everything the scripts do, and any other failure into one line with the
# CLI's own message. Each returns the CLI's exit status. Call them directly, not inside $(...):
# a refusal must end the script, and inside $(...) it ends only the subshell (trace.sh's
# find_trace runs in one, and returns its failure for the caller to stop on).
#   aws_run ARGS...        runs 'aws ARGS', its output to stdout
#   aws_read VAR ARGS...   runs 'aws ARGS' and stores its output in VAR
#   aws_probe VAR ARGS...  like aws_read, but says nothing when the call fails for any other reason
#                          than a refusal (for calls that test whether something exists); the
#                          CLI's message is then in AWS_ERROR
# VAR - drops the output.
# Calls that may be refused on purpose (reading the tags of someone else's bucket, an account
# setting, the list of regions) call aws directly and handle the failure themselves.
POLICY_FILE=scripts/iam/workbook-user-policy.json
# What deploying a step as a CloudFormation stack needs besides (deploy-stack.sh, which sets
# NEEDS_STACK_POLICY=true so that a refusal names both).
STACK_POLICY_FILE=scripts/iam/workbook-stack-policy.json
AWS_ERROR=""

aws_run() {
  _aws_call run "" "$@"
}

aws_read() {
  _aws_call read "$@"
}

aws_probe() {
  _aws_call probe "$@"
}

_aws_call() {
  local _aws_mode="$1" _aws_var="$2" _aws_errors _aws_output="" _aws_status=0
  shift 2
  _aws_errors="$(mktemp)" || die "cannot create a temporary file (mktemp failed)"
  if [[ "$_aws_mode" == run ]]; then
    aws "$@" 2>"$_aws_errors" || _aws_status=$?
  else
    _aws_output="$(aws "$@" 2>"$_aws_errors")" || _aws_status=$?
  fi
  # The CLI's message as one line: it starts with an empty line and may run over several.
  AWS_ERROR="$(tr -s '\n\t ' '   ' <"$_aws_errors" | sed 's/^ //; s/ $//')"
  if ((_aws_status == 0)); then
    # Warnings of a call that worked stay visible, except for probes, which were silent before.
    [[ "$_aws_mode" == probe ]] || cat "$_aws_errors" >&2
    AWS_ERROR=""
  elif aws_refused; then
    rm -f "$_aws_errors"
    die "$(aws_refusal "$@")"
  elif [[ "$_aws_mode" != probe ]]; then
    echo "$(basename "$0"): aws $1 $2 failed: $AWS_ERROR" >&2
  fi
  rm -f "$_aws_errors"
  [[ "$_aws_mode" == run || "$_aws_var" == - ]] || printf -v "$_aws_var" '%s' "$_aws_output"
  return "$_aws_status"
}

# Whether AWS_ERROR is a refusal for lack of permission: the codes IAM, Lambda, S3, CloudWatch
# Logs, X-Ray and EC2 answer with (moto_server's too, which wraps some of them in XML).
aws_refused() {
  case "$AWS_ERROR" in
    *"(AccessDenied)"* | *"(AccessDeniedException)"* | *"(UnauthorizedOperation)"* \
      | *"<Code>AccessDenied</Code>"* | *"is not authorized to perform"*) return 0 ;;
  esac
  return 1
}

# The one line for a refusal in AWS_ERROR, of the call 'aws ARGS'.
aws_refusal() {
  local action="" code="" re
  re='not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9]+)'
  if [[ "$AWS_ERROR" =~ $re ]]; then
    action="${BASH_REMATCH[1]}"
  fi
  re='<Code>([A-Za-z]+)</Code>'
  if [[ "$AWS_ERROR" =~ $re ]]; then
    code="${BASH_REMATCH[1]}"
  else
    re='An error occurred \(([A-Za-z]+)\)'
    if [[ "$AWS_ERROR" =~ $re ]]; then
      code="${BASH_REMATCH[1]}"
    fi
  fi
  code="${code:-AccessDenied}"
  if [[ -n "$action" ]]; then
    printf 'AWS refused %s (%s, aws %s %s)' "$action" "$code" "$1" "$2"
  else
    printf 'AWS refused aws %s %s (%s)' "$1" "$2" "$code"
  fi
  if [[ "${NEEDS_STACK_POLICY:-false}" == true ]]; then
    printf ': your AWS identity needs the policies in %s and %s: attach them, or ask your AWS administrator to' \
      "$POLICY_FILE" "$STACK_POLICY_FILE"
    printf ' attach them for you\n'
  else
    printf ': your AWS identity needs the policy in %s: attach it, or ask your AWS administrator to attach it for you\n' \
      "$POLICY_FILE"
  fi
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

# --- Deploying -----------------------------------------------------------------------------------
# What deploy.sh and deploy-stack.sh share: their options, and how they end.

# Sets step_arg, bucket, layer_arn, application_signals and invoke from the options of both deploy
# scripts (--help calls the script's own usage), then checks, in this order, what a deploy needs
# before it calls AWS: the step (for a deploy of one function, not a stack: a step that has more),
# the CLI, the region (and SnapStart's regions), the credentials and the built package.
# Arguments: function (deploy.sh) or stack (deploy-stack.sh), then the script's own.
prepare_deploy() {
  local kind="$1" reason
  shift
  step_arg=""
  bucket=""
  layer_arn=""
  application_signals=false
  invoke=true
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      --bucket) bucket="${2:?--bucket needs a name}"; shift 2 ;;
      --layer-arn) layer_arn="${2:?--layer-arn needs an ARN}"; shift 2 ;;
      --application-signals) application_signals=true; shift ;;
      --no-invoke) invoke=false; shift ;;
      --yes) shift ;;
      -*) die "unknown option '$1' (see --help)" ;;
      *) step_arg="$1"; shift ;;
    esac
  done
  resolve_step "$step_arg"
  reason="$(stack_only_reason)"
  if [[ "$kind" == function && -n "$reason" ]]; then
    die "$STEP has $reason: deploy it with scripts/deploy-stack.sh $STEP"
  fi
  require_aws_cli
  require_region
  require_step_region
  require_credentials
  require_package
}

# The end of a deploy: one invocation unless --no-invoke (a request to the API, for a step that
# has one), the Transaction Search note, and where to find the logs and the traces.
finish_deploy() {
  if "$invoke"; then
    local event
    event="$(mktemp)"
    if [[ -n "$REST_API_METHOD" ]]; then
      printf '%s\n' "$API_REQUEST_BODY" >"$event"
      require_api_url
      invoke_api_once "$event"
    else
      echo '{}' >"$event"
      invoke_once "$event"
    fi
    rm -f "$event"
  fi
  transaction_search_note
  local name
  for name in "$FUNCTION_NAME" $QUEUE_FUNCTION_NAME; do
    echo "Logs:   /aws/lambda/$name (aws logs filter-log-events --log-group-name /aws/lambda/$name)"
  done
  echo "Traces: $(console_link)   or: scripts/trace.sh $STEP"
}

# Creates the bucket NAME, or reuses it when this account owns it: public access blocked, tagged
# with the project's tag, and for the steps that read S3 holding the sample object.
ensure_bucket() {
  local bucket="$1"
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
  [[ "$READS_S3" == true ]] || return 0
  local sample
  sample="$(mktemp)"
  printf '%s\n' "$SAMPLE_DATA" >"$sample"
  aws_run s3api put-object --bucket "$bucket" --key "$SAMPLE_KEY" --body "$sample" \
    --content-type application/json >/dev/null
  rm -f "$sample"
  echo "Uploaded s3://$bucket/$SAMPLE_KEY"
}

# --- A step's REST API ----------------------------------------------------------------------------
# The body invoke.sh and the deploys send to a step's REST API unless told otherwise.
API_REQUEST_BODY='{"greeting": "Hello from the X-Ray Lambda Workbook"}'

# Sets API_URL: the stack's output ApiUrl, the HTTPS address of the step's route, which its SAM
# template gives every step with a REST API.
require_api_url() {
  NEEDS_STACK_POLICY=true
  API_URL=""
  if ! aws_probe API_URL cloudformation describe-stacks --stack-name "$STACK_NAME" --output text \
      --query "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue | [0]"; then
    [[ "$AWS_ERROR" == *"does not exist"* ]] || die "aws cloudformation describe-stacks failed: $AWS_ERROR"
    die "there is no stack $STACK_NAME in $REGION, so no API to call: deploy it with scripts/deploy-stack.sh $STEP"
  fi
  [[ -n "$API_URL" && "$API_URL" != None ]] \
    || die "the stack $STACK_NAME has no output ApiUrl: deploy it again with scripts/deploy-stack.sh $STEP"
}

# Sends the JSON file $1 to API_URL with the route's method, and any further arguments to curl
# (headers); prints the HTTP status and the answer on one line, or fails in one line when there is
# no answer or its status is not 2xx. curl's own --fail-with-body needs curl 7.76 (older macOS
# ships older): the status is read with -w instead.
invoke_api_once() {
  local body="$1" answer errors status
  shift
  answer="$(mktemp)"
  errors="$(mktemp)"
  status="$(curl -sS --max-time 30 -o "$answer" -w '%{http_code}' -X "$REST_API_METHOD" \
    -H 'Content-Type: application/json' --data-binary "@$body" "$@" "$API_URL" 2>"$errors")" || status=000
  local text
  text="$(tr -s '\r\n\t ' '    ' <"$answer" | sed 's/^ //; s/ $//')"
  if [[ "$status" == 000 ]]; then
    text="$(tr -s '\r\n' '  ' <"$errors")"
    rm -f "$answer" "$errors"
    die "no answer from $REST_API_METHOD $API_URL: ${text:-curl failed}"
  fi
  rm -f "$answer" "$errors"
  [[ "$status" == 2?? ]] || die "$REST_API_METHOD $API_URL answered HTTP $status: ${text:-(no body)}"
  echo "Response: HTTP $status $text"
}

# Invokes the function once with an event file; prints the answer, or the function's error.
invoke_once() {
  local event="$1" answer
  answer="$(mktemp)"
  local error
  aws_read error lambda invoke --function-name "$FUNCTION_NAME" ${QUALIFIER:+--qualifier "$QUALIFIER"} \
    --payload "fileb://$event" --query FunctionError --output text "$answer"
  if [[ "$error" != "None" && -n "$error" ]]; then
    echo "Function error ($error): $(cat "$answer")"
  else
    echo "Response: $(cat "$answer")"
  fi
  rm -f "$answer"
}
