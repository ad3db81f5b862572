#!/usr/bin/env bash
# CI: when the knowledge base changed since the merge base with main, run `thighdx kb impact` against
# that base (cases, blind sets, a simulated population; fails on new under-triage, a lost emergency
# or a broken safety property). Missing history never fails CI: it is fetched if it can be, and
# otherwise the check is skipped with a message saying why.
# THIGHDX_KB_IMPACT_DRY_RUN=1 prints the command instead of running it.
set -uo pipefail
cd "$(dirname "$0")/.."
DATA=src/thighdx/knowledge/data
THIGHDX=${THIGHDX:-.venv/bin/thighdx}
skip() { echo "kb impact: skipped: $*"; exit 0; }

git rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
if git remote get-url origin >/dev/null 2>&1; then
  git fetch --quiet origin main 2>/dev/null || echo "kb impact: could not fetch origin/main; using the copy at hand"
  if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    echo "kb impact: the clone is shallow; fetching the history needed for the merge base"
    git fetch --quiet --unshallow origin 2>/dev/null || git fetch --quiet --deepen=500 origin 2>/dev/null \
      || echo "kb impact: could not deepen the shallow clone"
  fi
  git rev-parse --verify --quiet origin/main >/dev/null || skip "origin has no main branch to compare with"
  base=$(git merge-base HEAD origin/main 2>/dev/null) \
    || skip "no merge base of HEAD and origin/main in this (shallow?) history"
else
  skip "no origin remote: nothing to compare the knowledge base with"
fi

if git diff --quiet "$base" -- "$DATA" && [ -z "$(git ls-files --others --exclude-standard -- "$DATA")" ]; then
  echo "kb impact: $DATA unchanged since the merge base ${base:0:12}; nothing to check"
  exit 0
fi
echo "kb impact: $DATA changed since the merge base ${base:0:12}"
if [ "${THIGHDX_KB_IMPACT_DRY_RUN:-}" = 1 ]; then
  echo "$THIGHDX kb impact $base"
  exit 0
fi
exec "$THIGHDX" kb impact "$base"
