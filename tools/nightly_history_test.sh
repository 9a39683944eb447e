#!/usr/bin/env bash
# CTest `nightly_history`: the history branch round trip of tools/nightly-history.sh
# against a local bare repository standing in for GitHub: the first night
# finds no branch and pushes one; the next night, in a fresh clone, finds it.
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/nightly-history.sh"
tmp="$(mktemp -d /tmp/sc-nightly-history-test.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_GLOBAL="$tmp/gitconfig" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
unset GITHUB_ACTIONS
git init -q --bare -b main "$tmp/origin.git"
git init -q -b main "$tmp/seed" && echo code > "$tmp/seed/README" && echo /nightly/ > "$tmp/seed/.gitignore" && git -C "$tmp/seed" add README .gitignore &&
  git -C "$tmp/seed" commit -q -m code && git -C "$tmp/seed" push -q "$tmp/origin.git" main

night() {  # night CLONE LABEL
  git clone -q "$tmp/origin.git" "$tmp/$1"
  (cd "$tmp/$1" && "$script" fetch nightly-history nightly/history)
  mkdir -p "$tmp/$1/nightly/history/$2"
  echo "{\"night\": \"$2\"}" > "$tmp/$1/nightly/history/$2/suite.json"
  (cd "$tmp/$1" && "$script" push nightly-history nightly/history)
}
night c1 n1
night c2 n2
night c3 n3
git clone -q -b nightly-history "$tmp/origin.git" "$tmp/check"
found="$(cd "$tmp/check" && ls -d n* | tr '\n' ' ')"
[ "$found" = "n1 n2 n3 " ] || { echo "FAIL: the branch holds '$found', wanted n1 n2 n3"; exit 1; }
[ ! -e "$tmp/check/README" ] && [ ! -e "$tmp/check/.gitignore" ] || { echo "FAIL: the history branch carries the code"; exit 1; }
git -C "$tmp/c3" status --porcelain | grep -q . && { echo "FAIL: the history left the checkout dirty"; git -C "$tmp/c3" status --porcelain; exit 1; }
# A second push of the same night has nothing new.
(cd "$tmp/c3" && "$script" push nightly-history nightly/history) | grep -q "nothing new"
echo "nightly history: 3 nights kept on the branch, each found by the next"
echo "1 passed, 0 failed"
