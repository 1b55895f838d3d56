#!/usr/bin/env bash
# Runs .ci/run in a fresh clone, as CI does: what works only thanks to an uncommitted or ignored
# file, or to something installed by hand into this checkout, fails here. After the run the clone
# must still be clean (a run that rewrites tracked files, e.g. stale generated files, fails).
#
# Usage: scripts/fresh-clone-check.sh [REPO] [REF]
#   REPO  path or URL to clone (default: the repository holding this script)
#   REF   branch, tag or commit to check out (default: the clone's default branch)
# Environment:
#   CI_RUN_UNTIL=<phase>  passed to .ci/run (e.g. install: set up only, run no checks)
#   FRESH_STORE=1         use an empty pnpm store, as a new machine has (downloads everything)
#   KEEP=1                keep the clone even when the run passes (it is kept when it fails)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=${1:-$(git -C "$here" rev-parse --show-toplevel)}
ref=${2:-}
dir=$(mktemp -d /tmp/agentplane-fresh.XXXXXX)
store=''

cleanup() {
  local rc=$?
  [[ -n $store ]] && rm -rf "$store"
  if [[ $rc -eq 0 && -z ${KEEP:-} ]]; then
    rm -rf "$dir"
  else
    echo "fresh-clone-check: clone kept in $dir" >&2
  fi
}
trap cleanup EXIT

echo "fresh-clone-check: cloning $repo${ref:+ at $ref} into $dir" >&2
git clone --quiet "$repo" "$dir"
if [[ -n $ref ]]; then
  git -C "$dir" checkout --quiet "$ref"
fi
echo "fresh-clone-check: at $(git -C "$dir" log -1 --format='%h %s')" >&2

if [[ -n ${FRESH_STORE:-} ]]; then
  store=$(mktemp -d /tmp/agentplane-store.XXXXXX)
  export npm_config_store_dir="$store"
fi

# CI runs `bash .ci/run` with no standard input; so does this.
(cd "$dir" && bash .ci/run </dev/null)

dirty=$(git -C "$dir" status --porcelain)
if [[ -n $dirty ]]; then
  echo "fresh-clone-check: .ci/run left the clone dirty:" >&2
  echo "$dirty" >&2
  exit 1
fi
echo "fresh-clone-check: passed; the clone is clean" >&2
