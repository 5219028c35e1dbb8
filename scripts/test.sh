#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, integration against a real dev server,
# interop with the TypeScript SDK, the examples and the installed-package consumer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/dev-env.sh
# The cluster fault test (label `cluster`) runs below, against a cluster started for it.
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -j "$(nproc)" -LE cluster "$@"

# The Temporal features suite (features/): one line per official scenario and the summary line;
# fails if any implemented scenario fails.
scripts/features.sh

# Issue 16: the short fault test against a multi-service Temporal cluster on PostgreSQL
# (scripts/cluster.sh; the first run builds the server from its Go module and caches it): one pass
# of each scenario (SIGKILL of a frontend, of history, of matching; a rolling restart), one table
# line of counts per scenario. TEMPORAL_SKIP_CLUSTER=1 skips it.
if [[ -z ${TEMPORAL_SKIP_CLUSTER:-} ]]; then
  trap '_cleanup; scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT
  trap 'exit 1' INT TERM
  scripts/cluster.sh up
  scripts/cluster.sh faults
  scripts/cluster.sh down
  trap _cleanup EXIT INT TERM
fi

# The suite again under ASan+UBSan (build-asan/) and under TSan (build-tsan/), with the same dev
# server and worker, then each libFuzzer target for a bounded time (build-fuzz/). See README
# "Sanitizers and fuzzing". TEMPORAL_QUICK=1 skips all three (for a fast local run).
if [[ -z ${TEMPORAL_QUICK:-} ]]; then
  scripts/sanitize.sh asan
  scripts/sanitize.sh tsan
  scripts/fuzz.sh "${TEMPORAL_FUZZ_SECONDS:-30}"
fi
