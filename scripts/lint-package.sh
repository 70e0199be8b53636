#!/usr/bin/env bash
# `npm run lint:package`: packs the package as `npm publish` would (prepack builds it) and lints the tarball:
# publint for package.json and the files it points to, Are the Types Wrong for how TypeScript resolves each
# subpath under every module setting (node10, node16 as CommonJS and as ESM, bundler).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
npm pack --pack-destination "$dir" --loglevel=warn >/dev/null
tarball="$(ls "$dir"/*.tgz)"

npx --no-install publint run "$tarball" --strict
npx --no-install attw "$tarball" --profile strict --no-definitely-typed
