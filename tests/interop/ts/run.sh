#!/usr/bin/env bash
# Starts the TypeScript interop worker (installing deps / building as needed).
# Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TASK_QUEUE, LOG_LEVEL (see src/worker.ts).
# Prints `worker ready` on stdout once polling has started; install/build
# output goes to stderr so stdout stays clean.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund 1>&2
fi

need_build=0
if [ ! -d lib ] || [ ! -f lib/worker.js ]; then
  need_build=1
elif [ -n "$(find src tsconfig.json package.json -newer lib/worker.js -print -quit 2>/dev/null)" ]; then
  need_build=1
else
  for f in src/*.ts; do
    out="lib/$(basename "${f%.ts}").js"
    if [ ! -f "$out" ] || [ "$f" -nt "$out" ]; then need_build=1; break; fi
  done
fi
if [ "$need_build" = 1 ]; then
  npm run --silent build 1>&2
  touch lib/worker.js
fi

exec node lib/worker.js
