#!/usr/bin/env bash
# Sets up, builds, starts an embedded dev server and runs the main example (a C++ worker and a
# C++ client executing a workflow).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/dev-env.sh
"${BUILD_DIR:-build}/examples/hello_worker"
