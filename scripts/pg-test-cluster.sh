#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster for the tests (and make
# demo-cluster): Debian's server binaries, a data folder of our own, no
# system service touched.
#
#   scripts/pg-test-cluster.sh start DIR PORT [OWNER_PID]
#       initialises DIR (if empty), starts the server on 127.0.0.1:PORT and
#       prints its admin URL (postgres://geocentre@127.0.0.1:PORT/postgres).
#       With OWNER_PID, a watchdog stops the server when that process ends,
#       so a test run that is killed leaves no server behind.
#   scripts/pg-test-cluster.sh stop DIR
#
# Durability is off (fsync, synchronous_commit, full_page_writes): a test
# cluster is thrown away, and these make it several times faster.
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR PORT [OWNER_PID] | stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "error: PostgreSQL server binaries not found (apt install postgresql-15-postgis-3; scripts/install-deps.sh --test does)" >&2; exit 1; }
# initdb and postgres refuse to run as root: run them as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  port=${3:?port}; owner=${4:-}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U geocentre --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  # Already running (a previous run that was not stopped): reused.
  if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "postgres://geocentre@127.0.0.1:$port/postgres"
    exit 0
  fi
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  # Every database created from template1 has PostGIS.
  as_pg "$bin/psql" -q -h 127.0.0.1 -p "$port" -U geocentre -d template1 \
    -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  if [ -n "$owner" ]; then
    # Detached from our stdout, so the caller reading the URL is not kept waiting.
    nohup bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; \
      $(declare -f as_pg); as_pg '$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 &
  fi
  echo "postgres://geocentre@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  ;;
*) echo "usage: $0 start DIR PORT [OWNER_PID] | stop DIR" >&2; exit 2 ;;
esac
