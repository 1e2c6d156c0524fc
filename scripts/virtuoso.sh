#!/usr/bin/env bash
# Start or stop a private Virtuoso Open Source instance for tests and benchmarks, bound to 127.0.0.1 only.
#
#   scripts/virtuoso.sh start DIR HTTP_PORT ISQL_PORT   # install if missing, create DIR/virtuoso.ini, start, wait
#   scripts/virtuoso.sh stop DIR                        # stop the instance started in DIR
#
# When `start` returns, http://127.0.0.1:HTTP_PORT/sparql answers queries. Updates go to the
# authenticated endpoint http://127.0.0.1:HTTP_PORT/sparql-auth (HTTP digest, user dba, password dba
# of the fresh database: the instance is private and reachable from this machine only), the Graph
# Store Protocol to /sparql-graph-crud-auth. The anonymous /sparql endpoint stays read-only: granting
# SPARQL_UPDATE to user SPARQL would let anyone on the machine write without a password.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR HTTP_PORT ISQL_PORT | stop DIR" >&2
  exit 2
}

install_if_missing() {
  command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "virtuoso: installing Debian package virtuoso-opensource" >&2
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null
}

write_ini() {
  local dir=$1 http=$2 isql=$3
  local vad=/usr/share/virtuoso-opensource-7/vad
  local vsp=/var/lib/virtuoso-opensource-7/vsp
  cat >"$dir/virtuoso.ini" <<EOF
; Written by scripts/virtuoso.sh: a private instance, bound to 127.0.0.1 only.
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$isql
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
AllowOSCalls             = 0
DirsAllowed              = ., $dir, $vad
VADInstallDir            = $vad/
NumberOfBuffers          = 60000
MaxDirtyBuffers          = 45000
MaxQueryMem              = 1G
; HCKG swaps a write in with one update (MOVE of every staged graph): at 1M triples its log entry went over
; the 50 MB default and Virtuoso refused the transaction (SR325).
TransactionAfterImageLimit = 1500000000
ThreadsPerQuery          = 2

[HTTPServer]
ServerPort                  = 127.0.0.1:$http
ServerRoot                  = $vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
; 0: no limit. With a limit Virtuoso answers "anytime" with partial results, which HCKG would take for whole.
MaxQueryExecutionTime      = 0
DefaultGraph               =
DeferInferenceRulesInit    = 0
EOF
}

wait_until_ready() {
  local dir=$1 http=$2
  local url="http://127.0.0.1:$http/sparql?query=ASK%7B%7D"
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$(cat "$dir/virtuoso.pid" 2>/dev/null)" 2>/dev/null; then
      echo "virtuoso: the server stopped while starting; see $dir/virtuoso.log:" >&2
      tail -n 20 "$dir/virtuoso.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  echo "virtuoso: no answer from $url after 120 s; see $dir/virtuoso.log" >&2
  return 1
}

start() {
  [ $# = 3 ] || usage
  local dir http=$2 isql=$3
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  install_if_missing
  if [ -f "$dir/virtuoso.pid" ] && kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; then
    echo "virtuoso: already running in $dir (pid $(cat "$dir/virtuoso.pid"))" >&2
    wait_until_ready "$dir" "$http"
    return
  fi
  # Another server on the port (another worktree's `make test-virtuoso`, same default port) would answer the
  # readiness check below, and the tests would run against its database: refuse instead.
  if curl -fsS -o /dev/null "http://127.0.0.1:$http/sparql?query=ASK%7B%7D" 2>/dev/null \
      || (exec 3<>"/dev/tcp/127.0.0.1/$isql") 2>/dev/null; then
    echo "virtuoso: port $http or $isql on 127.0.0.1 is already in use by another server; choose others" \
         "(make test-virtuoso VIRTUOSO_HTTP_PORT=... VIRTUOSO_ISQL_PORT=...)" >&2
    return 1
  fi
  write_ini "$dir" "$http" "$isql"
  # +foreground keeps the process ours to stop by its pid; its output goes to the log.
  (cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >>"$dir/virtuoso.out" 2>&1) &
  echo $! >"$dir/virtuoso.pid"
  wait_until_ready "$dir" "$http"
  echo "virtuoso: ready, SPARQL at http://127.0.0.1:$http/sparql (pid $(cat "$dir/virtuoso.pid"))" >&2
}

stop() {
  [ $# = 1 ] || usage
  local dir=$1 pid
  [ -f "$dir/virtuoso.pid" ] || { echo "virtuoso: no pid file in $dir, nothing to stop" >&2; return 0; }
  pid=$(cat "$dir/virtuoso.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$dir/virtuoso.pid"
  echo "virtuoso: stopped (pid $pid)" >&2
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) usage ;;
esac
