#!/usr/bin/env bash
# `make demo-cluster`: the reference scale-out deployment (docs/deployment.md)
# on one machine, from Debian and registry packages: PostgreSQL + PostGIS,
# the S3-compatible object store, REPLICAS `geocentre serve` replicas and
# nginx in front of them on BIND. Loads the demo region into the shared
# stores, then serves until Ctrl-C, which stops everything it started.
#
#   BIND=127.0.0.1:8080 REPLICAS=3 DIR=./geocentre-cluster scripts/demo-cluster.sh
#
# Everything lives under DIR (the database cluster, the bucket's files, the
# logs); a second run reuses it (the demo is loaded once).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIND=${BIND:-127.0.0.1:8080}
REPLICAS=${REPLICAS:-3}
DIR=${DIR:-$ROOT/geocentre-cluster}
BIN=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
PG_PORT=${PG_PORT:-25440}
FIRST_PORT=${FIRST_PORT:-18180}
mkdir -p "$DIR/logs" "$DIR/nginx"
DIR=$(cd "$DIR" && pwd)

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo "stopping the cluster"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if declare -F s3_stop >/dev/null; then s3_stop; fi
  bash scripts/pg-test-cluster.sh stop "$DIR/pg" || true
  echo "stopped"

}
trap cleanup EXIT INT TERM

# 1. PostgreSQL + PostGIS: the registry (and connected vector tables).
admin=$(bash scripts/pg-test-cluster.sh start "$DIR/pg" "$PG_PORT")
if ! psql "$admin" -qAtc "SELECT 1 FROM pg_database WHERE datname = 'geocentre'" | grep -q 1; then
  psql "$admin" -qc "CREATE DATABASE geocentre"
fi
export GEOCENTRE_CATALOG=${admin%/*}/geocentre
echo "registry: $GEOCENTRE_CATALOG"

# 2. The object store (scripts/s3-server.sh), when this checkout has it.
if [[ -x scripts/s3-server.sh ]]; then
  # shellcheck source=/dev/null
  . scripts/s3-cluster-env.sh "$DIR/s3"
fi

# 3. The shared stores hold the demo once.
"$BIN" --data-dir "$DIR/data" migrate
if ! "$BIN" --data-dir "$DIR/data" ortho list --json | grep -q '"ortho-hr"'; then
  echo "loading the demo region into the shared stores"
  "$BIN" --data-dir "$DIR/data" demo --no-serve --source "$ROOT/data"
fi

# 4. The replicas, then nginx in front of them.
upstreams=""
for i in $(seq 1 "$REPLICAS"); do
  port=$((FIRST_PORT + i))
  "$BIN" --data-dir "$DIR/data" serve --bind "127.0.0.1:$port" >"$DIR/logs/replica-$i.out" 2>"$DIR/logs/replica-$i.log" &
  pids+=($!)
  upstreams+="    server 127.0.0.1:$port max_fails=0;"$'\n'
done
for i in $(seq 1 "$REPLICAS"); do
  port=$((FIRST_PORT + i))
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
  done
done
while IFS= read -r line; do
  if [[ $line == *@UPSTREAMS@* ]]; then
    printf '%s' "$upstreams"
  else
    line=${line//@DIR@/$DIR/nginx}
    printf '%s\n' "${line//@BIND@/$BIND}"
  fi
done <scripts/nginx-cluster.conf.in >"$DIR/nginx/nginx.conf"
nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" &
pids+=($!)
echo "geocentre: $REPLICAS replicas behind nginx on http://$BIND (Ctrl-C stops everything)"
wait -n "${pids[@]}"
