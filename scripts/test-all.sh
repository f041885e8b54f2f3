#!/usr/bin/env bash
# README command 2 (and .ci/run): the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
npm install --no-audit --no-fund
# jsii compile, type-check, unit tests (src, rules, blueprints), lint, and the tarball in dist/js.
npx projen build
# A repo generated from that tarball with non-default options, built and synthesized.
npx projen test:e2e
