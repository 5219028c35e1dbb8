#!/usr/bin/env bash
# Builds temporal-cpp with sanitizers and runs the test suite under them:
#   scripts/sanitize.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer, in build-asan/
#   scripts/sanitize.sh tsan   ThreadSanitizer, in build-tsan/, compiled with clang (clang++-14)
# The plain and the ASan builds use the default compiler (GCC 12 on Debian 12), the TSan build
# clang: so CI builds and runs the whole suite with both compilers. SANITIZE_CXX overrides.
# Extra arguments go to ctest (e.g. -R unit). The `temporal` library, the tests and the examples are
# instrumented; the generated temporal_api and the Debian gRPC/protobuf are not. The benchmark and the
# installed-package consumer are left out. Suppressions (third-party frames only): tests/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=${1:-asan}
(($#)) && shift
case $mode in
  asan) sanitize=address,undefined cxx=${SANITIZE_CXX:-} ;;
  tsan) sanitize=thread cxx=${SANITIZE_CXX:-clang++-14} ;;
  *) echo "usage: $0 [asan|tsan] [ctest arguments...]" >&2; exit 2 ;;
esac
build_dir=${SANITIZE_BUILD_DIR:-build-$mode}

# Relative paths in ccache keys, so that sanitizer builds in other checkouts and build dirs share objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=1

compiler=()
[[ -n $cxx ]] && compiler=(-DCMAKE_CXX_COMPILER="$cxx")
cmake -S . -B "$build_dir" -G Ninja "${compiler[@]}" -DTEMPORAL_SANITIZE=$sanitize -DTEMPORAL_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"

supp=$root/tests/sanitizers
export ASAN_OPTIONS=detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=1:check_initialization_order=1
export LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [[ $mode == tsan ]]; then
  # tsan.supp plus a called_from_lib line for each uninstrumented gRPC/abseil/protobuf library the
  # tests load (see tsan.supp), found with ldd so that it follows the installed versions.
  tsan_supp=$(realpath "$build_dir")/tsan.supp
  {
    cat "$supp/tsan.supp"
    ldd "$build_dir"/tests/*_tests | awk '{print $1}' |
      grep -E '^lib(grpc|gpr|upb|address_sorting|absl_|protobuf|re2|cares|ssl|crypto)' | sed 's/\.so.*/.so/' | sort -u |
      sed 's/^/called_from_lib:/'
  } >"$tsan_supp"
  export TSAN_OPTIONS="suppressions=$tsan_supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
fi
export TEMPORAL_CLI=${TEMPORAL_CLI:-$root/.venv/bin/temporal}

export TEMPORAL_LOG_DIR=${TEMPORAL_LOG_DIR:-$root/$build_dir/logs}
source scripts/dev-env.sh
ctest --test-dir "$build_dir" --output-on-failure --timeout 600 -j "$(nproc)" -LE 'bench|consumer|cluster' "$@"
