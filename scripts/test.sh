#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, integration against a real dev server,
# interop with the TypeScript SDK, the examples and the installed-package consumer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/dev-env.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -j "$(nproc)" "$@"

# The Temporal features suite (features/): one line per official scenario and the summary line;
# fails if any implemented scenario fails.
scripts/features.sh

# The suite again under ASan+UBSan (build-asan/) and under TSan (build-tsan/), with the same dev
# server and worker, then each libFuzzer target for a bounded time (build-fuzz/). See README
# "Sanitizers and fuzzing". TEMPORAL_QUICK=1 skips all three (for a fast local run).
if [[ -z ${TEMPORAL_QUICK:-} ]]; then
  scripts/sanitize.sh asan
  scripts/sanitize.sh tsan
  scripts/fuzz.sh "${TEMPORAL_FUZZ_SECONDS:-30}"
fi
