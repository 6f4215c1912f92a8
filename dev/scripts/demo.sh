#!/usr/bin/env bash
# `npm run demo`: from a fresh clone to a `pulumi up` of the root Pulumi.yaml program, in one command.
# Installs what it needs (npm packages, the build, the Pulumi CLI), then runs dev/scripts/demo.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ ! -d node_modules/@pulumi/pulumi ]]; then
    echo "demo: installing npm packages (npm ci)" >&2
    npm ci --no-audit --no-fund >&2
fi
echo "demo: building" >&2
npm run --silent build >&2 && npm run --silent build:dev >&2
echo "demo: preparing the Pulumi CLI (the first time builds it from its Go module: a few minutes)" >&2
bash dev/scripts/setup-pulumi.sh >/dev/null
exec node dist/dev/scripts/demo.js "$@"
