#!/usr/bin/env bash
# Deletes what a benchmark run of this project may have left in AWS: CloudFormation stacks tagged
# initbench:project=lambda-init-bench, run buckets named initbench-* with the same tag, and the functions' log groups
# /aws/lambda/initbench-* (Lambda recreates them, untagged, when an environment logs after its stack deleted them). A resource is this run's
# when its initbench:run-id tag equals INITBENCH_RUN_ID, or when it was created after JOB_STARTED_AT (the workflow
# allows one benchmark at a time, so nothing else of this project is created meanwhile); a resource older than
# STALE_AFTER_HOURS was left by a killed run and is deleted too. Everything else is left alone.
#
# Inputs (environment): AWS_REGION (required), JOB_STARTED_AT (required, epoch seconds), INITBENCH_RUN_ID
# (optional), STALE_AFTER_HOURS (default 3). Every step is tried even when one fails (a refused delete-stack does
# not skip the waits, the buckets or the log groups). Exit status: 0 when nothing of the project is left, 1 otherwise.
set -euo pipefail

: "${AWS_REGION:?set AWS_REGION to the benchmark region}"
: "${JOB_STARTED_AT:?set JOB_STARTED_AT to the job start time in epoch seconds}"
readonly project=lambda-init-bench
readonly run_id=${INITBENCH_RUN_ID:-}
readonly stale_before=$(( $(date +%s) - ${STALE_AFTER_HOURS:-3} * 3600 ))

# Reads {Tags:[{Key,Value}], created: epoch} objects and keeps those that belong to this run or are stale.
# shellcheck disable=SC2016 # $project, $run, $since and $stale are jq variables, bound in jq_select.
readonly select_own='
  select(any(.Tags[]?; .Key == "initbench:project" and .Value == $project))
  | select(($run != "" and any(.Tags[]?; .Key == "initbench:run-id" and .Value == $run))
           or .created >= $since or .created < $stale)'
jq_select() {
  jq -r --arg project "$project" --arg run "$run_id" \
    --argjson since "$JOB_STARTED_AT" --argjson stale "$stale_before" "$@"
}
# AWS timestamps come with or without fractional seconds and offsets; all are UTC, so keep seconds precision.
readonly to_epoch='(.[0:19] + "Z" | fromdateiso8601)'

leftovers=0

stacks=$(aws cloudformation describe-stacks --region "$AWS_REGION" --output json | jq_select "
  .Stacks[] | select(.StackStatus != \"DELETE_COMPLETE\")
  | . + {created: (.CreationTime | $to_epoch)} | $select_own | .StackName")

deleting=()
for stack in $stacks; do
  echo "Deleting stack $stack ($AWS_REGION)"
  if aws cloudformation delete-stack --region "$AWS_REGION" --stack-name "$stack"; then
    deleting+=("$stack")
  else
    leftovers=$((leftovers + 1))
    echo "::error title=Stack deletion refused::delete-stack of $stack in $AWS_REGION was refused (see above); delete it by hand."
  fi
done
for stack in "${deleting[@]}"; do
  if aws cloudformation wait stack-delete-complete --region "$AWS_REGION" --stack-name "$stack"; then
    echo "Deleted stack $stack"
  else
    leftovers=$((leftovers + 1))
    echo "::error title=Stack not deleted::$stack in $AWS_REGION did not reach DELETE_COMPLETE; delete it by hand."
    aws cloudformation describe-stack-events --region "$AWS_REGION" --stack-name "$stack" --output json \
      | jq -r '.StackEvents[] | select(.ResourceStatus == "DELETE_FAILED")
               | "  \(.LogicalResourceId) (\(.ResourceType)): \(.ResourceStatusReason)"' | head -n 20 || true
  fi
done

buckets=$(aws s3api list-buckets --output json \
  | jq -r '.Buckets[]? | select(.Name | startswith("initbench-")) | "\(.Name) \(.CreationDate)"')
while read -r bucket created; do
  [ -n "$bucket" ] || continue
  location=$(aws s3api get-bucket-location --bucket "$bucket" --output json | jq -r '.LocationConstraint // "" | if . == "" then "us-east-1" else . end')
  [ "$location" = "$AWS_REGION" ] || continue
  # A bucket without tags answers NoSuchTagSet: it is not known to be this project's, so it is kept.
  if ! tags=$(aws s3api get-bucket-tagging --bucket "$bucket" --output json 2>/dev/null); then
    echo "Keeping bucket $bucket: it has no tags (not created by a benchmark run)"
    continue
  fi
  owned=$(jq -n --argjson tags "$tags" --arg created "$created" \
    "{Tags: \$tags.TagSet, created: (\$created | $to_epoch)}" | jq_select "$select_own | \"yes\"")
  [ "$owned" = yes ] || continue
  echo "Deleting bucket $bucket and its objects"
  if ! aws s3 rb "s3://$bucket" --force --region "$AWS_REGION"; then
    leftovers=$((leftovers + 1))
    echo "::error title=Bucket not deleted::s3://$bucket could not be deleted; empty and delete it by hand."
  fi
done <<< "$buckets"

# Log groups carry no tags once Lambda recreates them; like stacks, they are this run's when created after the job
# started (one benchmark at a time) and a killed run's when stale.
if ! groups=$(aws logs describe-log-groups --region "$AWS_REGION" --log-group-name-prefix /aws/lambda/initbench- \
    --output json); then
  leftovers=$((leftovers + 1))
  echo "::error title=Log groups not listed::could not list /aws/lambda/initbench-* log groups in $AWS_REGION."
  groups='{"logGroups":[]}'
fi
for group in $(jq -r --argjson since "$JOB_STARTED_AT" --argjson stale "$stale_before" '.logGroups[]?
    | select((.creationTime / 1000) >= $since or (.creationTime / 1000) < $stale) | .logGroupName' <<< "$groups"); do
  echo "Deleting log group $group"
  if ! aws logs delete-log-group --region "$AWS_REGION" --log-group-name "$group"; then
    leftovers=$((leftovers + 1))
    echo "::error title=Log group not deleted::$group in $AWS_REGION could not be deleted; delete it by hand."
  fi
done

if [ "$leftovers" -gt 0 ]; then
  echo "$leftovers resource(s) of $project are left in AWS (see the errors above)."
  exit 1
fi
echo "Nothing of $project is left from this run in $AWS_REGION."
