#!/usr/bin/env bash
# Writes API.md with jsii-docgen from this package's .jsii only. jsii-docgen gathers every .jsii under its working
# directory, so run in the repo it would also read ./demo-app's installed (older) copy of this package, which
# scripts/quickstart.sh leaves there, and document that one. A directory with the manifest, the assembly and a link
# to node_modules (the dependencies' assemblies) holds nothing else.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$root/package.json" "$root/.jsii" "$stage/"
ln -s "$root/node_modules" "$stage/node_modules"
(cd "$stage" && "$root/node_modules/.bin/jsii-docgen" -o API.md)
cp "$stage/API.md" "$root/API.md"
