#!/usr/bin/env bash
# Generates a fintech CDK repo from this package's packed tarball, exactly as
# `npx projen new --from fintech-infra-template` does from the registry.
# Usage: scripts/generate-project.sh TARGET_DIR [projen new flags, e.g. --team=payments --cost-center=cc-1234 --alarm-email=oncall@example.com]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:?usage: scripts/generate-project.sh TARGET_DIR [--team=... --cost-center=... --alarm-email=...]}"
shift

shopt -s nullglob
tarballs=("$root"/dist/js/fintech-infra-template@*.jsii.tgz)
if [ "${#tarballs[@]}" -ne 1 ]; then
  echo "generate-project: expected one tarball in $root/dist/js, found ${#tarballs[@]}; run 'npx projen build' (or 'npx projen package') first." >&2
  exit 1
fi
projen_version="$(node -p "require('$root/node_modules/projen/package.json').version")"

rm -rf "$target"
mkdir -p "$target"
cd "$target"
# Under CI=true projen installs with `npm ci`, which fails without a lock file (../shared/design.md);
# NODE_ENV from a test runner must not leak into the new repo's installs either.
env -u CI -u NODE_ENV -u JEST_WORKER_ID \
  "$root/node_modules/.bin/projen" new --from "fintech-infra-template@file:${tarballs[0]}" \
  --projen-version="$projen_version" --no-git "$@"
