# Sourced by the scripts: starts one dev server and one TypeScript worker for the session, exports
# TEMPORAL_ADDRESS and TEMPORAL_TS_TASK_QUEUE, and stops both on exit.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_logdir="${TEMPORAL_LOG_DIR:-$_root/build/logs}"
mkdir -p "$_logdir"
_pids=()
_cleanup() {
  for p in "${_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap _cleanup EXIT INT TERM

if [[ -z ${TEMPORAL_ADDRESS:-} ]]; then
  _port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  _sa=()
  for a in CppText=Text CppKeyword=Keyword CppInt=Int CppDouble=Double CppBool=Bool CppDatetime=Datetime CppKeywordList=KeywordList; do
    _sa+=(--search-attribute "$a")
  done
  "$_root/.venv/bin/temporal" server start-dev --headless --ip 127.0.0.1 --port "$_port" --log-level warn \
    "${_sa[@]}" \
    --dynamic-config-value frontend.enableUpdateWorkflowExecution=true \
    --dynamic-config-value frontend.enableUpdateWorkflowExecutionAsyncAccepted=true \
    --dynamic-config-value frontend.enableExecuteMultiOperation=true \
    --dynamic-config-value system.enableEagerWorkflowStart=true \
    --dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=true \
    --dynamic-config-value frontend.enableServerVersionCheck=false \
    >"$_logdir/dev-server.log" 2>&1 &
  _pids+=($!)
  export TEMPORAL_ADDRESS="127.0.0.1:$_port"
  for _ in $(seq 1 300); do
    if "$_root/.venv/bin/temporal" operator namespace describe --address "$TEMPORAL_ADDRESS" -n default >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  echo "dev server: $TEMPORAL_ADDRESS (log $_logdir/dev-server.log)"
fi

if [[ -z ${TEMPORAL_TS_TASK_QUEUE:-} ]]; then
  export TEMPORAL_TS_TASK_QUEUE="ts-interop"
  TASK_QUEUE=$TEMPORAL_TS_TASK_QUEUE TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS "$_root/tests/interop/ts/run.sh" \
    >"$_logdir/ts-worker.log" 2>&1 &
  _pids+=($!)
  for _ in $(seq 1 600); do
    grep -q "worker ready" "$_logdir/ts-worker.log" 2>/dev/null && break
    sleep 0.1
  done
  echo "TypeScript worker: task queue $TEMPORAL_TS_TASK_QUEUE (log $_logdir/ts-worker.log)"
fi
