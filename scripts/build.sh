#!/usr/bin/env bash
# Configures and builds temporal-cpp into build/ (override with BUILD_DIR, extra CMake args in CMAKE_ARGS).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
# Relative paths in ccache keys (as in sanitize.sh and fuzz.sh): the generated Temporal API, which
# no build instruments, is then compiled once for the plain and the ASan build.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=1
cmake -S . -B "$BUILD_DIR" -G Ninja ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
