#!/usr/bin/env bash
# README command 2 (and .ci/run): the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

npm install --no-audit --no-fund
# jsii compile, type-check, unit tests (src, rules, blueprints), lint, and the tarball in dist/js.
npx projen build 2>&1 | tee -a "$log"
# A repo generated from that tarball with non-default options, built and synthesized.
npx projen test:e2e 2>&1 | tee -a "$log"

# One plain closing line over both jest runs, e.g. "suite: 380 passed, 0 failed".
node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf-8");
  let passed = 0, failed = 0;
  for (const m of text.matchAll(/^Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(\d+) passed, \d+ total/gm)) {
    failed += Number(m[1] ?? 0);
    passed += Number(m[2]);
  }
  console.log(`suite: ${passed} passed, ${failed} failed`);
' "$log"
