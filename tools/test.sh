#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: tools, types, lint, format, tests, and the service's
# tests again under the Node.js major of its Docker image.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "tools (PostgreSQL, Prometheus, Alertmanager, buildah and podman)"
bash tools/ensure-tools.sh
# The service's metrics test calls `promtool` by name: let that be the tested one too.
PATH="$PWD/$(node -p 'require("./tools/monitoring-tools.json").dir')/usr/bin:$PATH"
export PATH

step "build the packages: the service's contract, then the components (tsc: dist/ as npm consumers load them)"
npm run --silent build

step "type-check (tsc --noEmit)"
npm run --silent typecheck

step "lint (eslint) and format (prettier --check)"
npx eslint --max-warnings 0 .
npx prettier --check .

step "tests (vitest)"
npx vitest run

image_node=$(sed -n 's/^ARG NODE_VERSION=//p' service/Dockerfile)
step "service tests under Node.js ${image_node} (the Docker image's version, from the npm package 'node')"
npm exec --yes --package="node@${image_node}" -- node node_modules/vitest/vitest.mjs run --project service
