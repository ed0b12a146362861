#!/usr/bin/env bash
# Compares this benchmark run's report.json with the one of the last successful run of the same workflow on the
# default branch, writes the comparison to the job summary and, on a regression, opens (or comments on the open)
# issue labelled performance-regression and exits 1. No baseline yet, or a baseline whose artifact has expired,
# is not an error: this run becomes the baseline. A baseline that `compare` refuses (exit 2: other settings, an
# older report schema, a corrupt file) is reported as a warning, because the current run's own suite already
# passed or failed on its budgets.
#
# Inputs (environment): CURRENT_REPORT, INITBENCH_JAR, WORKFLOW_FILE, DEFAULT_BRANCH, BASELINE_ARTIFACT,
# REGRESSION_THRESHOLD (optional, e.g. 0.10), GH_TOKEN, and GitHub's GITHUB_REPOSITORY, GITHUB_SERVER_URL,
# GITHUB_RUN_ID, GITHUB_STEP_SUMMARY. Exit status: 0 no regression (or nothing to compare), 1 regression,
# anything else a failure of this script or of `compare`.
set -euo pipefail

: "${CURRENT_REPORT:?set CURRENT_REPORT to the report.json of this run}"
: "${INITBENCH_JAR:?set INITBENCH_JAR to the lambda-init-bench jar}"
: "${WORKFLOW_FILE:?set WORKFLOW_FILE to the workflow file name, e.g. benchmark.yml}"
: "${DEFAULT_BRANCH:?set DEFAULT_BRANCH to the repository default branch}"
: "${BASELINE_ARTIFACT:?set BASELINE_ARTIFACT to the artifact name holding report.json}"
: "${GITHUB_STEP_SUMMARY:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_SERVER_URL:?}" "${GITHUB_RUN_ID:?}"
readonly label=performance-regression
readonly current_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

summary() { printf '%s\n' "$@" >> "$GITHUB_STEP_SUMMARY"; }

baseline=$(gh run list --workflow "$WORKFLOW_FILE" --branch "$DEFAULT_BRANCH" --status success --limit 1 \
  --json databaseId,url --jq ".[] | select(.databaseId != $GITHUB_RUN_ID) | \"\(.databaseId) \(.url)\"")
if [ -z "$baseline" ]; then
  summary "### Baseline comparison" "" "No successful run of $WORKFLOW_FILE on $DEFAULT_BRANCH yet: this run becomes the baseline."
  echo "No baseline run found; this run becomes the baseline."
  exit 0
fi
read -r baseline_id baseline_url <<< "$baseline"

if ! gh run download "$baseline_id" --name "$BASELINE_ARTIFACT" --dir "$work/baseline" \
    || [ ! -f "$work/baseline/report.json" ]; then
  summary "### Baseline comparison" "" \
    "The baseline run [$baseline_id]($baseline_url) has no \`$BASELINE_ARTIFACT\` artifact with a report.json" \
    "(expired or never uploaded): nothing compared; this run becomes the baseline."
  echo "::warning title=No baseline report::run $baseline_id has no $BASELINE_ARTIFACT artifact with report.json"
  exit 0
fi

compare_args=(compare "$work/baseline/report.json" "$CURRENT_REPORT" --markdown "$work/compare.md")
if [ -n "${REGRESSION_THRESHOLD:-}" ]; then
  compare_args+=(--threshold "$REGRESSION_THRESHOLD")
fi
set +e
java -jar "$INITBENCH_JAR" "${compare_args[@]}" 2> "$work/compare.err"
status=$?
set -e
cat "$work/compare.err" >&2

summary "### Baseline comparison" "" "Baseline: run [$baseline_id]($baseline_url). Current: run [$GITHUB_RUN_ID]($current_url)." ""
case "$status" in
  0)
    cat "$work/compare.md" >> "$GITHUB_STEP_SUMMARY"
    echo "No regression against run $baseline_id."
    exit 0
    ;;
  2)
    summary "Not compared: \`compare\` refused the input:" "" '```' "$(cat "$work/compare.err")" '```'
    echo "::warning title=Baseline not comparable::$(head -n 1 "$work/compare.err")"
    exit 0
    ;;
  1) ;;
  *)
    echo "::error title=compare failed::java -jar $INITBENCH_JAR compare exited with $status"
    exit "$status"
    ;;
esac

cat "$work/compare.md" >> "$GITHUB_STEP_SUMMARY"
{
  echo "The AWS benchmark run [$GITHUB_RUN_ID]($current_url) regressed against the baseline run [$baseline_id]($baseline_url)."
  echo
  cat "$work/compare.md"
  echo
  echo "Both runs' reports (report.html, summary.md, .hgrm histograms) are in their \`$BASELINE_ARTIFACT\` artifacts."
} > "$work/issue.md"

gh label create "$label" --color D93F0B --force \
  --description "A benchmark run's latency regressed against the baseline run" > /dev/null
issue=$(gh issue list --label "$label" --state open --limit 1 --json number --jq '.[0].number // empty')
if [ -n "$issue" ]; then
  gh issue comment "$issue" --body-file "$work/issue.md"
  echo "::error title=Performance regression::see issue #$issue (commented)"
else
  gh issue create --title "Performance regression in the AWS benchmark" --label "$label" --body-file "$work/issue.md"
  echo "::error title=Performance regression::an issue labelled $label was opened"
fi
exit 1
