#!/usr/bin/env bash
# Deletes everything the workbook created in the account, and nothing else.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/cleanup.sh [--yes]

Deletes, in the region your AWS CLI uses, what scripts/deploy.sh created: functions
xray-workbook-step-N and their log groups, the role xray-workbook-lambda-role with its policies,
and every bucket tagged project=xray-lambda-workbook (emptied first). Anything without the
workbook's tag is left alone. Safe to run twice. Lists what it will delete and asks first.

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

tagged_function() {
  [[ "$(aws lambda list-tags --resource "$1" --query "Tags.$PROJECT_TAG_KEY" --output text 2>/dev/null)" \
    == "$PROJECT_TAG_VALUE" ]]
}

functions=()
for arn in $(aws lambda list-functions --output text \
    --query "Functions[?starts_with(FunctionName, 'xray-workbook-')].FunctionArn"); do
  tagged_function "$arn" && functions+=("${arn##*:}")
done
role=""
if [[ "$(aws iam list-role-tags --role-name "$ROLE_NAME" --output text \
    --query "Tags[?Key=='$PROJECT_TAG_KEY'].Value" 2>/dev/null || true)" == "$PROJECT_TAG_VALUE" ]]; then
  role="$ROLE_NAME"
fi
buckets=()
for name in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
  if [[ "$(aws s3api get-bucket-tagging --bucket "$name" --output text \
      --query "TagSet[?Key=='$PROJECT_TAG_KEY'].Value" 2>/dev/null || true)" == "$PROJECT_TAG_VALUE" ]]; then
    buckets+=("$name")
  fi
done
log_groups=()
for name in $(aws logs describe-log-groups --log-group-name-prefix /aws/lambda/xray-workbook- \
    --query 'logGroups[].logGroupName' --output text); do
  log_groups+=("$name")
done

if ((${#functions[@]} + ${#buckets[@]} + ${#log_groups[@]} == 0)) && [[ -z "$role" ]]; then
  echo "Nothing of the workbook's is left in $REGION."
  exit 0
fi
echo "In account $ACCOUNT_ID, region $REGION, this deletes:"
for f in "${functions[@]}"; do echo "  function  $f"; done
for g in "${log_groups[@]}"; do echo "  log group $g"; done
[[ -n "$role" ]] && echo "  role      $role"
for b in "${buckets[@]}"; do echo "  bucket    $b (and every object in it)"; done
if ! "$yes"; then
  [[ -t 0 ]] || die "not deleting without confirmation: run scripts/cleanup.sh --yes"
  read -r -p "Delete all of this? [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "Nothing deleted."; exit 0; }
fi

for f in "${functions[@]}"; do
  aws lambda delete-function --function-name "$f" >/dev/null
  echo "Deleted function $f"
done
for g in "${log_groups[@]}"; do
  aws logs delete-log-group --log-group-name "$g"
  echo "Deleted log group $g"
done
if [[ -n "$role" ]]; then
  for policy in $(aws iam list-attached-role-policies --role-name "$role" \
      --query 'AttachedPolicies[].PolicyArn' --output text); do
    aws iam detach-role-policy --role-name "$role" --policy-arn "$policy"
  done
  for policy in $(aws iam list-role-policies --role-name "$role" --query 'PolicyNames[]' --output text); do
    aws iam delete-role-policy --role-name "$role" --policy-name "$policy"
  done
  aws iam delete-role --role-name "$role"
  echo "Deleted role $role"
fi
for b in "${buckets[@]}"; do
  aws s3 rm "s3://$b" --recursive >/dev/null
  aws s3api delete-bucket --bucket "$b"
  echo "Deleted bucket $b"
done
