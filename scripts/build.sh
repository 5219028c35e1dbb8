#!/usr/bin/env bash
# Configures and builds temporal-cpp into build/ (override with BUILD_DIR, extra CMake args in CMAKE_ARGS).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
