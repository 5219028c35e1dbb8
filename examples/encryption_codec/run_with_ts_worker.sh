#!/bin/sh
# Runs the encryption_codec example against a TypeScript worker that has the same codec
# (tests/interop/ts/lib/client.js worker), on its own task queue; stops the worker afterwards.
#   run_with_ts_worker.sh <path-to-encryption_codec-binary>
# Needs TEMPORAL_ADDRESS (scripts/dev-env.sh sets it) and the built TypeScript project.
set -eu
example="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must be set}"
export TEMPORAL_ENCRYPTION_KEY="${TEMPORAL_ENCRYPTION_KEY:-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}"
export TEMPORAL_ENCRYPTION_KEY_ID="${TEMPORAL_ENCRYPTION_KEY_ID:-example-key}"
queue="encryption-example-$$"
log="$(mktemp)"
node "$root/tests/interop/ts/lib/client.js" worker "$queue" >"$log" 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null; rm -f "$log"' EXIT
i=0
until grep -q "worker ready" "$log"; do
  i=$((i + 1))
  if [ "$i" -gt 600 ] || ! kill -0 "$worker" 2>/dev/null; then
    echo "the TypeScript codec worker did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
"$example" "$queue"
