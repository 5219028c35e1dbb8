#!/usr/bin/env bash
# Runs the C++ implementations of the Temporal features suite (features/, see its README section
# "Conformance"): one line per scenario of the official suite and a summary line
# "features: N passed, N failed, ...". Uses the server in TEMPORAL_ADDRESS, or starts a dev server
# (scripts/dev-env.sh). Arguments go to features_runner (--filter area/name, -j N,
# --record-histories features, TLS flags...). Exit status 1 if a scenario failed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
runner="$BUILD_DIR/features/features_runner"
if [[ ! -x $runner ]]; then
  echo "features: $runner is missing; build it with: cmake --build $BUILD_DIR --target features_runner" >&2
  exit 2
fi
if [[ -z ${TEMPORAL_ADDRESS:-} ]]; then
  # The suite needs no TypeScript worker.
  export TEMPORAL_TS_TASK_QUEUE="${TEMPORAL_TS_TASK_QUEUE:-none}"
  source scripts/dev-env.sh
fi
# Not exec: dev-env.sh stops the server it started when this script exits.
"$runner" --server "$TEMPORAL_ADDRESS" -j "${TEMPORAL_FEATURES_JOBS:-6}" "$@"
