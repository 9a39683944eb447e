#!/usr/bin/env bash
# The nightly's memory across nights: every night's suite.json, kept on a
# branch of the repository itself (default nightly-history), one directory
# per night. Uses only git and the repository's own `origin` (in CI, the
# token actions/checkout leaves in the repository's config).
#
#   nightly-history.sh fetch BRANCH DIR   check BRANCH out into DIR (a git worktree);
#                                          an empty one when the branch does not exist yet
#   nightly-history.sh push BRANCH DIR    commit what is new in DIR and push it to BRANCH
set -euo pipefail
cmd="${1:?usage: nightly-history.sh fetch|push BRANCH DIR}"
branch="${2:?branch}"
dir="${3:?directory}"
# In a container the checkout belongs to another user; git refuses it unless told.
if [ -n "${GITHUB_ACTIONS:-}" ]; then git config --global --add safe.directory "$PWD"; fi

case "$cmd" in
  fetch)
    if [ -e "$dir" ]; then git worktree remove --force "$dir" 2>/dev/null || rm -rf "$dir"; fi
    git worktree prune
    mkdir -p "$(dirname "$dir")"
    if git ls-remote --exit-code --heads origin "$branch" >/dev/null 2>&1; then
      git fetch --quiet --depth=1 origin "+refs/heads/$branch:refs/remotes/origin/$branch"
      git worktree add --quiet --force --detach "$dir" "origin/$branch"
      echo "history: $(find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l) earlier night(s) from branch $branch"
    else
      git worktree add --quiet --force --detach "$dir" HEAD
      git -C "$dir" checkout --quiet --orphan "$branch-new"
      git -C "$dir" rm -r -q --cached . >/dev/null
      git -C "$dir" clean -fdxq
      echo "history: branch $branch does not exist yet; this is the first night"
    fi
    ;;
  push)
    git -C "$dir" add -A .
    if git -C "$dir" diff --cached --quiet; then
      echo "history: nothing new to keep"
      exit 0
    fi
    night="$(git -C "$dir" diff --cached --name-only | head -1 | cut -d/ -f1)"
    git -C "$dir" -c user.name="sentinel-chaos nightly" -c user.email="nightly@sentinel-chaos.invalid" \
      commit --quiet -m "nightly history: night $night"
    git -C "$dir" push --quiet origin "HEAD:refs/heads/$branch"
    echo "history: night $night pushed to branch $branch"
    ;;
  *)
    echo "usage: nightly-history.sh fetch|push BRANCH DIR" >&2
    exit 2
    ;;
esac
