#!/usr/bin/env bash
# The Debian packages made by CPack, used as a user would use them:
#  1. `cpack -G DEB`: temporal-cpp_<version>_<arch>.deb and temporal-cpp-testing_<version>_<arch>.deb;
#  2. both unpacked (dpkg -x) into a scratch root: no installed file names the source or build
#     directory;
#  3. tests/consumer built against that root with CMake (find_package) and with pkg-config, and run;
#  4. as root (CI), the real thing: `apt-get install ./temporal-cpp_*.deb ./temporal-cpp-testing_*.deb`,
#     the consumer built against /usr and run, then both packages removed again, so that the rest
#     of the suite builds as before. Skipped if temporal-cpp was already installed (it is not
#     ours to remove) or TEMPORAL_CONSUMER_APT=0.
set -euo pipefail
build_dir=$(cd "$1" && pwd)
src_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$src_dir/../.." && pwd)
work="$build_dir/consumer-test"
rm -rf "$work"
mkdir -p "$work/pkg" "$work/root"
step() { echo "consumer: $*"; }
quiet() {  # runs a command with its output in a log, shown if it fails
  local log="$work/$1.log"
  shift
  "$@" >"$log" 2>&1 || { echo "consumer: failed: $*"; cat "$log"; exit 1; }
}

step "cpack -G DEB"
quiet cpack bash -c "cd '$build_dir' && cpack -G DEB -B '$work/pkg'"
lib_deb=$(ls "$work"/pkg/temporal-cpp_*.deb)
testing_deb=$(ls "$work"/pkg/temporal-cpp-testing_*.deb)
for deb in "$lib_deb" "$testing_deb"; do
  step "$(basename "$deb"): $(dpkg-deb -f "$deb" Package) depends on $(dpkg-deb -f "$deb" Depends)"
  dpkg -x "$deb" "$work/root"
done

step "no installed file names $repo_dir"
if leaks=$(grep -rlF -e "$repo_dir" -e "$build_dir" "$work/root"); then
  echo "consumer: failed: these installed files name build-machine paths:"
  echo "$leaks"
  exit 1
fi

step "the production library holds no testing code (temporal::testing is its own package)"
# (Symbol lists go to variables first: `nm | grep -q` fails under pipefail when grep exits early.)
symbols=$(nm -C --defined-only "$work/root/usr/lib/libtemporal.a" 2>/dev/null)
if [[ $symbols == *"temporal::testing::"* ]]; then
  echo "consumer: failed: libtemporal.a defines temporal::testing symbols"
  exit 1
fi
symbols=$(nm -C --defined-only "$work/root/usr/lib/libtemporal_testing.a" 2>/dev/null)
[[ $symbols == *"temporal::testing::DevServer::start"* ]] ||
  { echo "consumer: failed: libtemporal_testing.a lacks DevServer"; exit 1; }

step "CMake project against the unpacked packages"
quiet cmake-configure cmake -S "$src_dir" -B "$work/build-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$work/root/usr"
quiet cmake-build cmake --build "$work/build-cmake"
"$work/build-cmake/consumer"

step "pkg-config build against the unpacked packages"
pc_dir=$(dirname "$(find "$work/root" -name temporal-cpp.pc)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs temporal-cpp-testing)
quiet pkg-config-build c++ -std=c++20 "$src_dir/main.cpp" -o "$work/consumer-pc" $flags
"$work/consumer-pc"

if [[ $(id -u) -ne 0 || ${TEMPORAL_CONSUMER_APT:-1} == 0 ]] || ! command -v apt-get >/dev/null; then
  step "skipping the apt-get install check (it needs root and apt-get; TEMPORAL_CONSUMER_APT=0 turns it off)"
  exit 0
fi
status=$(dpkg-query -W -f='${Status}' temporal-cpp 2>/dev/null || true)
if [[ $status == *"ok installed"* ]]; then
  step "skipping the apt-get install check: temporal-cpp is already installed on this machine"
  exit 0
fi
remove_packages() {
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -q temporal-cpp-testing temporal-cpp >"$work/apt-remove.log" 2>&1 || true
}
trap remove_packages EXIT
step "apt-get install $(basename "$lib_deb") $(basename "$testing_deb")"
quiet apt-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$lib_deb" "$testing_deb"
quiet cmake-configure-apt cmake -S "$src_dir" -B "$work/build-apt" -G Ninja
grep -q "temporal-cpp_DIR:PATH=/usr/" "$work/build-apt/CMakeCache.txt" ||
  { echo "consumer: failed: CMake did not find the installed package under /usr"; exit 1; }
quiet cmake-build-apt cmake --build "$work/build-apt"
"$work/build-apt/consumer"
remove_packages
trap - EXIT
status=$(dpkg-query -W -f='${Status}' temporal-cpp 2>/dev/null || true)
[[ $status != *"ok installed"* ]] || { echo "consumer: failed: temporal-cpp is still installed"; exit 1; }
step "apt-get install check done; packages removed"
