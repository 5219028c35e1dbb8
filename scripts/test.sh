#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, integration against a real dev server,
# interop with the TypeScript SDK, the examples and the installed-package consumer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/dev-env.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -j "$(nproc)" "$@"
