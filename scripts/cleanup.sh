#!/usr/bin/env bash
# Deletes everything the workbook created in the account, in every region it was deployed to,
# and nothing else.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/cleanup.sh [--yes]

Deletes what scripts/deploy.sh and scripts/deploy-stack.sh created in the account, in every region
they used, whatever region your AWS CLI is set to: the stacks xray-workbook-step-N (tagged
project=xray-lambda-workbook) with all they made (functions, roles, and a step's REST API, queues
and event source mapping), first, then the functions xray-workbook-step-N (tagged
project=xray-lambda-workbook) and the log groups /aws/lambda/xray-workbook-step-N..., every
bucket tagged project=xray-lambda-workbook (emptied first), and the role xray-workbook-lambda-role
with its policies. Lists what it deletes and what it leaves, then asks first. When a stack cannot
be deleted, it stops there and deletes nothing else.

Where it looks: the regions deploy.sh noted on the role (tag xray-workbook-regions), the regions
of the tagged buckets (deploy-stack.sh always makes one), and the current region. A role without that note (made by an older
deploy.sh) makes it look in every region your account has enabled. It never deletes the role or
a bucket while a function might still use it: if a region cannot be read, or a function without
the workbook's tag uses the role, it keeps them and says why.

It leaves: anything without the workbook's tag or name; a function a stack made, unless it deletes
that stack; stacks, when your identity may not list them (scripts/iam/workbook-stack-policy.json); X-Ray traces (they cannot be deleted and
expire after 30 days); account settings such as CloudWatch Transaction Search, which it never
changes. Safe to run twice.

  --yes    delete without asking (required when there is no terminal to ask on)
  --help   show this help
USAGE
}

yes=false
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --yes|-y) yes=true ;;
    *) die "unknown option '$arg' (see --help)" ;;
  esac
done
require_aws_cli
require_region
require_credentials

# --- What there is ------------------------------------------------------------------------------

role=""
role_arn=""
recorded_regions=""
# A role that does not exist (NoSuchEntity) is not the workbook's; a refusal ends the script.
role_tag=""
aws_probe role_tag iam list-role-tags --role-name "$ROLE_NAME" --output text \
  --query "Tags[?Key=='$PROJECT_TAG_KEY'].Value" || true
if [[ "$role_tag" == "$PROJECT_TAG_VALUE" ]]; then
  role="$ROLE_NAME"
  aws_read role_arn iam get-role --role-name "$role" --query Role.Arn --output text
  aws_read recorded_regions iam list-role-tags --role-name "$role" --output text \
    --query "Tags[?Key=='$REGIONS_TAG_KEY'].Value | [0]"
  [[ "$recorded_regions" == None ]] && recorded_regions=""
fi

buckets=()
bucket_regions=()
bucket_names=""
aws_read bucket_names s3api list-buckets --query 'Buckets[].Name' --output text
for name in $bucket_names; do
  # Another bucket's tags may be refused (the workbook's policy reaches only xray-workbook-*
  # buckets), or it may have none: either way it is not the workbook's.
  if [[ "$(aws s3api get-bucket-tagging --bucket "$name" --output text \
      --query "TagSet[?Key=='$PROJECT_TAG_KEY'].Value" 2>/dev/null || true)" == "$PROJECT_TAG_VALUE" ]]; then
    buckets+=("$name")
    aws_read location s3api get-bucket-location --bucket "$name" --query LocationConstraint --output text
    case "$location" in
      None|"") location=us-east-1 ;;
      EU) location=eu-west-1 ;;
    esac
    bucket_regions+=("$location")
  fi
done

# The regions to look in, the current one first.
regions=("$REGION")
if [[ -n "$role" && -z "$recorded_regions" ]]; then
  echo "The role carries no list of regions: looking for the workbook's functions in every enabled region..." >&2
  if all_regions="$(aws ec2 describe-regions --query 'Regions[].RegionName' --output text 2>/dev/null)"; then
    read -r -a more <<<"$all_regions"
  else
    more=()
    unreadable_regions="every other region (ec2 describe-regions was refused)"
  fi
else
  read -r -a more <<<"$recorded_regions"
fi
for r in ${more[@]+"${more[@]}"} ${bucket_regions[@]+"${bucket_regions[@]}"}; do
  # bash32: non-empty: regions starts with the current region
  [[ " ${regions[*]} " == *" $r "* ]] || regions+=("$r")
done

# FUNCTION_TAG and FUNCTION_STACK for the function ARN $2 in region $1: its project tag, and the
# stack that made it (CloudFormation's aws:cloudformation:stack-name tag), or None.
function_tags() {
  local tags=""
  aws_probe tags lambda list-tags --region "$1" --resource "$2" --output text \
    --query "[Tags.$PROJECT_TAG_KEY, Tags.\"aws:cloudformation:stack-name\"]" || true
  read -r FUNCTION_TAG FUNCTION_STACK <<<"${tags:-None None}"
}

# The workbook's stacks in region $1, one name a line, in STACK_LISTING; fails when the stacks
# cannot be listed. A refusal is no reason to stop: an identity without the stack policy has made
# no stack (see the help).
list_stacks() {
  local name tag names=""
  STACK_LISTING=""
  names="$(aws cloudformation list-stacks --region "$1" --output text \
    --query "StackSummaries[?StackStatus!='DELETE_COMPLETE' && starts_with(StackName, 'xray-workbook-')].StackName" \
    2>/dev/null)" || return 1
  for name in $names; do
    tag=""
    aws_probe tag cloudformation describe-stacks --region "$1" --stack-name "$name" --output text \
      --query "Stacks[0].Tags[?Key=='$PROJECT_TAG_KEY'].Value | [0]" || true
    [[ "$tag" != "$PROJECT_TAG_VALUE" ]] || STACK_LISTING="${STACK_LISTING:+$STACK_LISTING }$name"
  done
}

stacks=()           # region:name, to delete first
stack_functions=()  # region:stack:name of functions stacks made, deleted with their stacks or left
unlisted_stacks=""  # regions whose stacks could not be listed
functions=()        # region:name, to delete
log_groups=()       # region:name, to delete
foreign_users=()    # region:name of functions without the workbook's tag that use the role
unreadable_regions="${unreadable_regions:-}"
# bash32: non-empty: regions starts with the current region
for r in "${regions[@]}"; do
  # A region that cannot be read (not enabled for the account, say) keeps the role and the
  # buckets; a refusal ends the script.
  listing=""
  if ! aws_probe listing lambda list-functions --region "$r" --output text \
      --query "Functions[?starts_with(FunctionName, 'xray-workbook-') || Role=='$role_arn'].[FunctionArn, FunctionName]"; then
    unreadable_regions="${unreadable_regions:+$unreadable_regions, }$r"
    continue
  fi
  if list_stacks "$r"; then
    for name in $STACK_LISTING; do
      stacks+=("$r:$name")
    done
  else
    unlisted_stacks="${unlisted_stacks:+$unlisted_stacks, }$r"
  fi
  while read -r arn name; do
    [[ -n "$arn" ]] || continue
    function_tags "$r" "$arn"
    if [[ "$FUNCTION_STACK" != None ]]; then
      stack_functions+=("$r:$FUNCTION_STACK:$name")
    elif [[ "$name" == xray-workbook-* && "$FUNCTION_TAG" == "$PROJECT_TAG_VALUE" ]]; then
      functions+=("$r:$name")
    else
      foreign_users+=("$r:$name")
    fi
  done <<<"$listing"
  group_names=""
  aws_probe group_names logs describe-log-groups --region "$r" --log-group-name-prefix /aws/lambda/xray-workbook- \
    --query 'logGroups[].logGroupName' --output text || true
  for name in $group_names; do
    log_groups+=("$r:$name")
  done
done

# The role and the buckets go only when no function can be left behind using them.
# Functions of stacks that stay (stacks it may not list, or without the workbook's tag).
left_stack_functions=()
for f in ${stack_functions[@]+"${stack_functions[@]}"}; do
  # region:stack:function
  region="${f%%:*}" stack="${f#*:}"
  stack="${stack%%:*}"
  [[ " ${stacks[*]:-} " == *" $region:$stack "* ]] \
    || left_stack_functions+=("${f##*:} in $region, which the stack $stack owns")
done

keep_reason=""
if [[ -n "$unreadable_regions" ]]; then
  keep_reason="could not list the functions in $unreadable_regions"
elif ((${#foreign_users[@]} > 0)); then
  # bash32: non-empty: the length was just checked
  keep_reason="functions without the workbook's tag use the role: ${foreign_users[*]}"
elif ((${#left_stack_functions[@]} > 0)); then
  # bash32: non-empty: the length was just checked
  keep_reason="functions of stacks it does not delete may use them: ${left_stack_functions[*]}"
fi
kept_role=""
kept_buckets=()
if [[ -n "$keep_reason" ]]; then
  kept_role="$role"
  role=""
  kept_buckets=(${buckets[@]+"${buckets[@]}"})
  buckets=()
fi

# --- What it does -------------------------------------------------------------------------------

if ((${#stacks[@]} + ${#functions[@]} + ${#buckets[@]} + ${#log_groups[@]} == 0)) && [[ -z "$role" ]]; then
  if [[ -n "$keep_reason" ]]; then
    die "nothing deleted: keeping the role and buckets, because $keep_reason"
  fi
  # bash32: non-empty: regions starts with the current region
  echo "Nothing of the workbook's is left (looked in ${regions[*]})."
  [[ -z "$unlisted_stacks" ]] \
    || echo "Not looked at: any stacks in $unlisted_stacks: your identity may not list stacks ($STACK_POLICY_FILE)"
  exit 0
fi
# bash32: non-empty: regions starts with the current region
echo "In account $ACCOUNT_ID (looked in ${regions[*]}), this deletes:"
for s in ${stacks[@]+"${stacks[@]}"}; do echo "  stack     ${s#*:} in ${s%%:*}, with all it made (functions, roles, and any API and queues)"; done
for f in ${functions[@]+"${functions[@]}"}; do echo "  function  ${f#*:} in ${f%%:*}"; done
for g in ${log_groups[@]+"${log_groups[@]}"}; do echo "  log group ${g#*:} in ${g%%:*}"; done
[[ -n "$role" ]] && echo "  role      $role"
for b in ${buckets[@]+"${buckets[@]}"}; do echo "  bucket    $b (and every object in it)"; done
echo "It leaves:"
if [[ -n "$keep_reason" ]]; then
  [[ -n "$kept_role" ]] && echo "  role      $kept_role, because $keep_reason"
  for b in ${kept_buckets[@]+"${kept_buckets[@]}"}; do echo "  bucket    $b, because $keep_reason"; done
fi
for f in ${left_stack_functions[@]+"${left_stack_functions[@]}"}; do echo "  function  $f"; done
[[ -z "$unlisted_stacks" ]] \
  || echo "  any stacks in $unlisted_stacks: your identity may not list stacks ($STACK_POLICY_FILE)"
echo "  X-Ray traces (they expire after 30 days), account settings such as Transaction Search,"
echo "  and anything without the workbook's tag"
if ! "$yes"; then
  [[ -t 0 ]] || die "not deleting without confirmation: run scripts/cleanup.sh --yes"
  read -r -p "Delete all of this? [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "Nothing deleted."; exit 0; }
fi

# Stacks first: when one cannot be deleted, nothing else has been.
for s in ${stacks[@]+"${stacks[@]}"}; do
  aws_run cloudformation delete-stack --region "${s%%:*}" --stack-name "${s#*:}"
  if ! aws_probe - cloudformation wait stack-delete-complete --region "${s%%:*}" --stack-name "${s#*:}"; then
    die "the stack ${s#*:} in ${s%%:*} could not be deleted, so nothing after it was: see why with aws" \
      "cloudformation describe-stack-events --region ${s%%:*} --stack-name ${s#*:}, then run scripts/cleanup.sh --yes again"
  fi
  echo "Deleted stack ${s#*:} in ${s%%:*}"
done
for f in ${functions[@]+"${functions[@]}"}; do
  aws_run lambda delete-function --region "${f%%:*}" --function-name "${f#*:}" >/dev/null
  echo "Deleted function ${f#*:} in ${f%%:*}"
done
for g in ${log_groups[@]+"${log_groups[@]}"}; do
  aws_run logs delete-log-group --region "${g%%:*}" --log-group-name "${g#*:}"
  echo "Deleted log group ${g#*:} in ${g%%:*}"
done
if [[ -n "$role" ]]; then
  attached=""
  aws_read attached iam list-attached-role-policies --role-name "$role" \
    --query 'AttachedPolicies[].PolicyArn' --output text
  for policy in $attached; do
    aws_run iam detach-role-policy --role-name "$role" --policy-arn "$policy"
  done
  inline=""
  aws_read inline iam list-role-policies --role-name "$role" --query 'PolicyNames[]' --output text
  for policy in $inline; do
    aws_run iam delete-role-policy --role-name "$role" --policy-name "$policy"
  done
  aws_run iam delete-role --role-name "$role"
  echo "Deleted role $role"
fi
for b in ${buckets[@]+"${buckets[@]}"}; do
  aws_run s3 rm "s3://$b" --recursive >/dev/null
  aws_run s3api delete-bucket --bucket "$b"
  echo "Deleted bucket $b"
done
if [[ -n "$keep_reason" ]]; then
  echo "Kept the role and the buckets: $keep_reason. Run scripts/cleanup.sh again once that is resolved."
fi
