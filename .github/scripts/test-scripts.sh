#!/usr/bin/env bash
# Tests aws-teardown.sh and compare-with-baseline.sh against stand-ins for the aws, gh and java commands that
# answer from fixtures and log every call, so each decision (what is deleted, kept, compared, reported) is checked
# without AWS or GitHub. Run by .ci/run; prints "N passed, N failed" and exits non-zero on a failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"

cat > "$work/bin/aws" <<'STUB'
#!/usr/bin/env bash
echo "aws $*" >> "$STUB_LOG"
case "$1 $2" in
  "cloudformation describe-stacks") cat "$STUB_DIR/stacks.json" ;;
  "cloudformation delete-stack")
    if [[ "$*" == *initbench-refused* ]]; then echo "An error occurred (AccessDenied)" >&2; exit 254; fi ;;
  "logs describe-log-groups") if [ -f "$STUB_DIR/log-groups.json" ]; then cat "$STUB_DIR/log-groups.json"; else echo '{"logGroups":[]}'; fi ;;
  "logs delete-log-group") ;;
  "cloudformation wait") [[ "$*" != *initbench-stuck* ]] ;;
  "cloudformation describe-stack-events")
    echo '{"StackEvents":[{"LogicalResourceId":"EagerFunction","ResourceType":"AWS::Lambda::Function","ResourceStatus":"DELETE_FAILED","ResourceStatusReason":"denied"}]}' ;;
  "s3api list-buckets") cat "$STUB_DIR/buckets.json" ;;
  "s3api get-bucket-location")
    if [[ "$*" == *other-region* ]]; then echo '{"LocationConstraint":"eu-west-1"}'; else echo '{"LocationConstraint":null}'; fi ;;
  "s3api get-bucket-tagging")
    case "$*" in
      *untagged*) echo "An error occurred (NoSuchTagSet)" >&2; exit 254 ;;
      *foreign*) echo '{"TagSet":[{"Key":"initbench:project","Value":"another-project"}]}' ;;
      *) echo '{"TagSet":[{"Key":"initbench:project","Value":"lambda-init-bench"},{"Key":"initbench:run-id","Value":"r1"}]}' ;;
    esac ;;
  "s3 rb") ;;
  *) echo "unexpected aws call: $*" >&2; exit 99 ;;
esac
STUB

cat > "$work/bin/gh" <<'STUB'
#!/usr/bin/env bash
echo "gh $*" >> "$STUB_LOG"
case "$1 $2" in
  "run list") [ -z "${STUB_BASELINE:-}" ] || echo "$STUB_BASELINE" ;;
  "run download")
    [ "${STUB_DOWNLOAD:-ok}" = ok ] || { echo "no artifact" >&2; exit 1; }
    dir=$(printf '%s\n' "$@" | sed -n '/^--dir$/{n;p;}')
    mkdir -p "$dir" && echo '{}' > "$dir/report.json" ;;
  "label create") ;;
  "issue list") [ -z "${STUB_OPEN_ISSUE:-}" ] || echo "$STUB_OPEN_ISSUE" ;;
  "issue comment" | "issue create")
    file=$(printf '%s\n' "$@" | sed -n '/^--body-file$/{n;p;}')
    cp "$file" "$STUB_DIR/issue-body.md" ;;
  *) echo "unexpected gh call: $*" >&2; exit 99 ;;
esac
STUB

cat > "$work/bin/java" <<'STUB'
#!/usr/bin/env bash
echo "java $*" >> "$STUB_LOG"
markdown=$(printf '%s\n' "$@" | sed -n '/^--markdown$/{n;p;}')
echo "| endpoint | p99 baseline | p99 current | verdict |" > "$markdown"
[ "$STUB_COMPARE_RC" != 2 ] || echo "settings differ: provisionedConcurrency 20 vs 5" >&2
exit "$STUB_COMPARE_RC"
STUB
chmod +x "$work/bin/"*

# Runs one scenario in a fresh fixture folder; the script's exit status and output land in $case_dir.
run_case() {
  local script=$1
  shift
  case_dir=$(mktemp -d "$work/case.XXXX")
  : > "$case_dir/log"
  : > "$case_dir/summary.md"
  set +e
  env PATH="$work/bin:$PATH" STUB_DIR="$case_dir" STUB_LOG="$case_dir/log" GITHUB_STEP_SUMMARY="$case_dir/summary.md" \
    "$@" "$here/$script" > "$case_dir/out" 2>&1
  echo $? > "$case_dir/status"
  set -e
}

expect() {
  local description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $description"
    sed 's/^/    /' "$case_dir/out"
  fi
}
status_is() { [ "$(cat "$case_dir/status")" = "$1" ]; }
logged() { grep -qF -- "$1" "$case_dir/log"; }
not_logged() { ! grep -qF -- "$1" "$case_dir/log"; }
contains() { grep -qF -- "$2" "$case_dir/$1"; }

# --- aws-teardown.sh ---------------------------------------------------------------------------------------------
now=$(date -u +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.123000+00:00; }
stack() { # name status created-epoch tags-json
  printf '{"StackName":"%s","StackStatus":"%s","CreationTime":"%s","Tags":%s}' "$1" "$2" "$(iso "$3")" "$4"
}
project_tag='{"Key":"initbench:project","Value":"lambda-init-bench"}'
teardown_fixtures() { # stacks-json-array buckets-json-array
  echo "{\"Stacks\":$1}" > "$case_dir/stacks.json"
  echo "{\"Buckets\":$2}" > "$case_dir/buckets.json"
}
# Runs aws-teardown.sh as run 1 of a job that started 10 minutes ago, against the given stacks and buckets.
teardown_case() { # stacks-json-array buckets-json-array
  case_dir=$(mktemp -d "$work/case.XXXX")
  : > "$case_dir/log"
  : > "$case_dir/summary.md"
  teardown_fixtures "$1" "$2"
  set +e
  env PATH="$work/bin:$PATH" STUB_DIR="$case_dir" STUB_LOG="$case_dir/log" AWS_REGION=us-east-1 \
    JOB_STARTED_AT=$((now - 600)) INITBENCH_RUN_ID=r1 "$here/aws-teardown.sh" > "$case_dir/out" 2>&1
  echo $? > "$case_dir/status"
  set -e
}

teardown_case "[
  $(stack initbench-r1 CREATE_COMPLETE $((now - 3000)) "[$project_tag,{\"Key\":\"initbench:run-id\",\"Value\":\"r1\"}]"),
  $(stack initbench-new CREATE_IN_PROGRESS $((now - 60)) "[$project_tag]"),
  $(stack initbench-stale DELETE_FAILED $((now - 5 * 3600)) "[$project_tag,{\"Key\":\"initbench:run-id\",\"Value\":\"old\"}]"),
  $(stack initbench-colleague CREATE_COMPLETE $((now - 3000)) "[$project_tag,{\"Key\":\"initbench:run-id\",\"Value\":\"dev\"}]"),
  $(stack unrelated CREATE_COMPLETE $((now - 60)) "[]"),
  $(stack initbench-gone DELETE_COMPLETE $((now - 60)) "[$project_tag]")
]" "[
  {\"Name\":\"initbench-r1-artifacts\",\"CreationDate\":\"$(iso $((now - 3000)))\"},
  {\"Name\":\"initbench-untagged\",\"CreationDate\":\"$(iso $((now - 60)))\"},
  {\"Name\":\"initbench-foreign\",\"CreationDate\":\"$(iso $((now - 60)))\"},
  {\"Name\":\"initbench-other-region\",\"CreationDate\":\"$(iso $((now - 60)))\"},
  {\"Name\":\"my-bucket\",\"CreationDate\":\"$(iso $((now - 60)))\"}
]"
expect "teardown succeeds when every owned stack is deleted" status_is 0
expect "deletes the stack tagged with this run id" logged "delete-stack --region us-east-1 --stack-name initbench-r1"
expect "deletes a project stack created after the job started" logged "--stack-name initbench-new"
expect "deletes a stale project stack left by a killed run" logged "--stack-name initbench-stale"
expect "keeps another run's recent stack" not_logged "initbench-colleague"
expect "keeps stacks of other projects" not_logged "--stack-name unrelated"
expect "ignores deleted stacks" not_logged "initbench-gone"
expect "deletes this run's bucket" logged "s3 rb s3://initbench-r1-artifacts --force --region us-east-1"
expect "keeps an untagged initbench- bucket" not_logged "rb s3://initbench-untagged"
expect "keeps a bucket tagged for another project" not_logged "rb s3://initbench-foreign"
expect "keeps a bucket in another region" not_logged "rb s3://initbench-other-region"

teardown_case "[$(stack initbench-stuck DELETE_FAILED $((now - 60)) "[$project_tag]")]" "[]"
expect "teardown fails when a stack is left" status_is 1
expect "names the stack left behind" contains out "initbench-stuck in us-east-1 did not reach DELETE_COMPLETE"
expect "shows why its resources failed to delete" contains out "EagerFunction (AWS::Lambda::Function): denied"

teardown_case "[
  $(stack initbench-refused CREATE_COMPLETE $((now - 60)) "[$project_tag]"),
  $(stack initbench-r1 CREATE_COMPLETE $((now - 60)) "[$project_tag]")
]" "[{\"Name\":\"initbench-r1-artifacts\",\"CreationDate\":\"$(iso $((now - 60)))\"}]"
expect "a refused delete-stack fails the teardown" status_is 1
expect "names the stack whose deletion was refused" contains out "delete-stack of initbench-refused in us-east-1 was refused"
expect "still deletes the next stack after a refusal" logged "delete-stack --region us-east-1 --stack-name initbench-r1"
expect "still waits for the stacks being deleted" logged "wait stack-delete-complete --region us-east-1 --stack-name initbench-r1"
expect "does not wait for the refused stack" not_logged "wait stack-delete-complete --region us-east-1 --stack-name initbench-refused"
expect "still deletes the buckets after a refusal" logged "s3 rb s3://initbench-r1-artifacts"

teardown_case "[]" "[]"
echo "{\"logGroups\":[
  {\"logGroupName\":\"/aws/lambda/initbench-r1-EagerFunction-AB\",\"creationTime\":$(( (now - 60) * 1000 ))},
  {\"logGroupName\":\"/aws/lambda/initbench-old-LazyFunction-CD\",\"creationTime\":$(( (now - 5 * 3600) * 1000 ))},
  {\"logGroupName\":\"/aws/lambda/initbench-dev-EagerFunction-EF\",\"creationTime\":$(( (now - 3000) * 1000 ))}
]}" > "$case_dir/log-groups.json"
set +e
env PATH="$work/bin:$PATH" STUB_DIR="$case_dir" STUB_LOG="$case_dir/log" AWS_REGION=us-east-1 \
  JOB_STARTED_AT=$((now - 600)) INITBENCH_RUN_ID=r1 "$here/aws-teardown.sh" > "$case_dir/out" 2>&1
echo $? > "$case_dir/status"
set -e
expect "sweeps a function log group recreated after the stack was deleted" logged "delete-log-group --region us-east-1 --log-group-name /aws/lambda/initbench-r1-EagerFunction-AB"
expect "sweeps a stale function log group" logged "--log-group-name /aws/lambda/initbench-old-LazyFunction-CD"
expect "keeps another run's recent log group" not_logged "initbench-dev-EagerFunction-EF"

# --- compare-with-baseline.sh ------------------------------------------------------------------------------------
compare_env=(CURRENT_REPORT=/tmp/current/report.json INITBENCH_JAR=target/lambda-init-bench.jar
  WORKFLOW_FILE=benchmark.yml DEFAULT_BRANCH=main BASELINE_ARTIFACT=benchmark-report GH_TOKEN=t
  GITHUB_REPOSITORY=acme/lambda-init-bench GITHUB_SERVER_URL=https://github.example GITHUB_RUN_ID=200)
baseline="100 https://github.example/acme/lambda-init-bench/actions/runs/100"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE= STUB_COMPARE_RC=0
expect "no baseline run is not an error" status_is 0
expect "says the run becomes the baseline" contains summary.md "this run becomes the baseline"
expect "does not compare without a baseline" not_logged "java "

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_DOWNLOAD=expired STUB_COMPARE_RC=0
expect "an expired baseline artifact is not an error" status_is 0
expect "says why nothing was compared" contains summary.md "has no \`benchmark-report\` artifact"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=0
expect "no regression passes" status_is 0
expect "downloads the baseline run's report" logged "gh run download 100 --name benchmark-report"
expect "compares the baseline report with the current one" logged "/baseline/report.json /tmp/current/report.json --markdown"
expect "writes the table to the summary" contains summary.md "| endpoint | p99 baseline"
expect "opens no issue without a regression" not_logged "gh issue"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=0 REGRESSION_THRESHOLD=0.2
expect "passes the configured threshold" logged "--threshold 0.2"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=2
expect "an incomparable baseline is a warning" status_is 0
expect "shows compare's reason" contains summary.md "settings differ: provisionedConcurrency 20 vs 5"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=1 STUB_OPEN_ISSUE=
expect "a regression fails" status_is 1
expect "creates the label if missing" logged "gh label create performance-regression"
expect "opens an issue labelled performance-regression" logged "gh issue create --title Performance regression in the AWS benchmark --label performance-regression"
expect "the issue links the current run" contains issue-body.md "https://github.example/acme/lambda-init-bench/actions/runs/200"
expect "the issue links the baseline run" contains issue-body.md "https://github.example/acme/lambda-init-bench/actions/runs/100"
expect "the issue carries the table" contains issue-body.md "| endpoint | p99 baseline"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=1 STUB_OPEN_ISSUE=7
expect "a regression with an open issue fails" status_is 1
expect "comments on the open issue" logged "gh issue comment 7 --body-file"
expect "opens no second issue" not_logged "gh issue create"

run_case compare-with-baseline.sh "${compare_env[@]}" STUB_BASELINE="$baseline" STUB_COMPARE_RC=3
expect "an unexpected compare failure fails with its status" status_is 3

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
