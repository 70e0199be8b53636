#!/usr/bin/env bash
# `npm run lint:package [-- path/to/keyturn.tgz]`: lints the package as `npm publish` would ship it: packs it
# (prepack builds) unless given a tarball, then runs publint on package.json and the files it points to, and
# Are the Types Wrong on how TypeScript resolves each subpath under every module setting (node10, node16 as
# CommonJS and as ESM, bundler).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
  tarball="$1"
else
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
  npm pack --pack-destination "$dir" --loglevel=warn >/dev/null
  tarball="$(ls "$dir"/*.tgz)"
fi

npx --no-install publint run "$tarball" --strict
npx --no-install attw "$tarball" --profile strict --no-definitely-typed
