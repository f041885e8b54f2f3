#!/usr/bin/env bash
# README command 1: build and pack this package, generate ./demo-app from the tarball, build it green.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
npm install --no-audit --no-fund
npx projen build
bash scripts/generate-project.sh "$root/demo-app" --team=payments --cost-center=cc-1234 --alarm-email=oncall@example.com
cd "$root/demo-app"
env -u CI npx projen build
echo
echo "demo-app is built: cd demo-app && npx projen synth   (README.md there explains every task)"
