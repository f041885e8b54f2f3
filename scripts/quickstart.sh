#!/usr/bin/env bash
# README command 1: compile and pack this package (without its own test suite: that is scripts/test-all.sh),
# generate ./demo-app from the tarball, build it green.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
npm install --no-audit --no-fund
# jsii compile (lib/ and the .jsii manifest projen new reads), then the tarball in dist/js.
npx projen compile
rm -rf dist/js
npx projen package
bash scripts/generate-project.sh "$root/demo-app" --team=payments --cost-center=cc-1234 --alarm-email=oncall@example.com
cd "$root/demo-app"
env -u CI npx projen build
echo
echo "demo-app is built: cd demo-app && npx projen synth   (README.md there explains every task)"
