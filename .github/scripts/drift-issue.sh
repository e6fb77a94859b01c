#!/usr/bin/env bash
# After a drift check of one stack: opens the stack's `drift` issue (or comments on the open one)
# when the check failed, and closes it when the check passed.
# usage: drift-issue.sh <stack> <outcome>   (the check step's outcome: success, failure, cancelled, skipped)
# Environment: GH_TOKEN and GH_REPO for the GitHub CLI, RUN_URL of the workflow run.
set -euo pipefail

stack=${1:?usage: drift-issue.sh <stack> <outcome>}
outcome=${2:?usage: drift-issue.sh <stack> <outcome>}
title="Drift detected on the ${stack} stack"
open=$(gh issue list --label drift --state open --search "\"${title}\" in:title" \
  --json number,title --jq ".[] | select(.title == \"${title}\") | .number" | head -n 1)

case "$outcome" in
  failure)
    body="\`pulumi preview --refresh --expect-no-changes\` of ${stack} failed: the stack's resources no longer match its code and state (changed outside Pulumi), or the check itself could not run. The run's log shows which: ${RUN_URL}"
    if [ -n "$open" ]; then
      gh issue comment "$open" --body "$body"
    else
      gh label create drift --color B60205 --description "A stack differs from its code" --force
      gh issue create --title "$title" --label drift --body "$body"
    fi
    ;;
  success)
    if [ -n "$open" ]; then
      gh issue close "$open" --comment "The ${stack} stack matches its code again: ${RUN_URL}"
    fi
    ;;
  cancelled | skipped)
    echo "drift-issue: the check of ${stack} was ${outcome}; nothing to report"
    ;;
  *)
    echo "drift-issue: unknown outcome '${outcome}' (expected success, failure, cancelled or skipped)" >&2
    exit 2
    ;;
esac
