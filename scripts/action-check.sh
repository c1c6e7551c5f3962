#!/usr/bin/env bash
# The depverify GitHub Action's check step (action.yml). Inputs arrive as environment variables:
# DV_DIRECTORY, DV_FORMAT, DV_FAIL_ON, DV_CHANGED_SINCE, DV_SARIF, DV_TYPES, DV_ARGS, and
# DV_PR_BASE (the pull request's base commit, empty on other events). Writes the report in
# DV_FORMAT to the log, a Markdown summary to GITHUB_STEP_SUMMARY, SARIF to DV_SARIF_FILE when
# asked, and `exit-code` to GITHUB_OUTPUT. Exits with depverify's exit code.
set -uo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/bin/depverify.js"
dir="${DV_DIRECTORY:-.}"
args=(--fail-on "${DV_FAIL_ON:-error}" --quiet)
[[ "${DV_TYPES:-true}" == "false" ]] && args+=(--no-types)

ref="${DV_CHANGED_SINCE:-}"
[[ -z "$ref" ]] && ref="${DV_PR_BASE:-}"
if [[ -n "$ref" && "$ref" != "all" ]]; then
  # A shallow checkout lacks the base commit: fetch just that one.
  if ! git -C "$dir" cat-file -e "${ref}^{commit}" 2>/dev/null; then
    git -C "$dir" fetch --quiet --depth=1 origin "$ref" 2>/dev/null || echo "::warning::depverify: could not fetch $ref; checking everything"
  fi
  git -C "$dir" cat-file -e "${ref}^{commit}" 2>/dev/null && args+=(--changed-since "$ref")
fi
# Extra arguments, split as words (no globbing).
read -r -a extra <<< "${DV_ARGS:-}"

status=0
node "$bin" "$dir" "${args[@]}" "${extra[@]}" --format "${DV_FORMAT:-github}" || status=$?
# The same run again for the summary and SARIF: answered from the cache the first run filled.
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  node "$bin" "$dir" "${args[@]}" "${extra[@]}" --format markdown >> "$GITHUB_STEP_SUMMARY" || true
fi
if [[ "${DV_SARIF:-false}" == "true" && -n "${DV_SARIF_FILE:-}" ]]; then
  node "$bin" "$dir" "${args[@]}" "${extra[@]}" --format sarif --output "$DV_SARIF_FILE" || true
fi
[[ -n "${GITHUB_OUTPUT:-}" ]] && echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit "$status"
