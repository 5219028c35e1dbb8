#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) in build-fuzz/ and runs each one for
# SECONDS (default 60) on its seed corpus fuzz/corpus/<target>/ (fuzz_history_replay: tests/replay/histories/):
#   scripts/fuzz.sh [SECONDS]
# New inputs go to build-fuzz/fuzz/corpus/<target>/ and crashing ones to build-fuzz/fuzz/artifacts/;
# reproduce a crash with build-fuzz/fuzz/<target> <file>. Fails if any target finds a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
cxx=${FUZZ_CXX:-clang++-14}
targets=(fuzz_payload_decode fuzz_failure_convert fuzz_search_attributes fuzz_history_replay fuzz_connection_options)

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found; scripts/setup.sh installs clang-14 and libclang-rt-14-dev" >&2
  exit 1
fi
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=1
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DTEMPORAL_SANITIZE=address,undefined \
  -DTEMPORAL_BUILD_FUZZERS=ON -DTEMPORAL_BUILD_TESTS=OFF -DTEMPORAL_BUILD_EXAMPLES=OFF -DTEMPORAL_BUILD_BENCH=OFF \
  >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for t in "${targets[@]}"; do
  corpus=$build_dir/fuzz/corpus/$t
  artifacts=$build_dir/fuzz/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $t for ${seconds}s"
  seeds=()
  [[ -d fuzz/corpus/$t ]] && seeds+=("fuzz/corpus/$t")
  [[ $t == fuzz_history_replay ]] && seeds+=(tests/replay/histories)  # the recorded histories
  if ! "$build_dir/fuzz/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
      -dict="fuzz/dict/$t.dict" -artifact_prefix="$artifacts/" "$corpus" "${seeds[@]}" \
      >"$build_dir/fuzz/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 60 "$build_dir/fuzz/$t.log"
  fi
  grep -E '^(stat::number_of_executed_runs|stat::new_units_added)|^Done ' "$build_dir/fuzz/$t.log" || true
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]} (inputs in $build_dir/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ok"
