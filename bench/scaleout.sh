#!/usr/bin/env bash
# Scale-out benchmark (issue 15): imagery tiles served from object storage and
# by several replicas, side by side in one run, on the same ingest and the same
# fixed, seeded corpora as bench/run.sh.  See bench/README.md ("Scale-out").
# Usage:  bash bench/scaleout.sh   (or: make bench-scaleout)
#
# Contenders (all on 127.0.0.1):
#   ours_local   geocentre serve, SQLite registry, chunk COGs on local files
#   ours_s3      geocentre serve, the SAME ingest copied by `geocentre copy-store`
#                to a PostgreSQL registry and an S3 bucket (SeaweedFS)
#   ours_s3_nc   the same with its tile caches off (NOCACHE=1): a range GET per native tile,
#                every Web Mercator tile reprojected per request
#   titiler      bench/titiler_app.py (uvicorn --workers WORKERS) reading the SAME
#                chunk COGs from the SAME bucket through GDAL's /vsis3/
#   cluster      REPLICAS geocentre replicas (PostgreSQL registry + the bucket)
#                behind HAProxy, all pinned to CLUSTER_CPUS with HAProxy itself
#   single       one replica of the same configuration, pinned to CLUSTER_CPUS
#
# Knobs (environment):
#   DURATION=7s WARMUP=1s ROUNDS=2 CONCURRENCY="1 4 16"
#   WORKERS=2          TOKIO_WORKER_THREADS of ours_local/ours_s3 = uvicorn --workers
#   REPLICAS=3         replicas behind the balancer
#   CLUSTER_CPUS=1     taskset CPU list of the cluster and of the single replica
#                      (replicas, HAProxy), the same for both
#   LB_CPUS=$CLUSTER_CPUS  taskset CPU list of HAProxy (cluster and single_lb): the balancer
#                      on the replicas' CPU by default; LB_CPUS=0 gives it the client's CPU, as
#                      a deployment gives the balancer cores of its own (both contenders alike)
#   REPLICA_THREADS=1  TOKIO_WORKER_THREADS of each replica and of the single one
#                      (default: the number of CPUs in CLUSTER_CPUS)
#   WRK_CPUS=0         taskset CPU list of wrk in the cluster/single runs ("" = unpinned)
#   S3_CPUS=$WRK_CPUS  CPU list SeaweedFS and PostgreSQL are moved to (taskset -a -p) during the
#                      cluster/single runs ("" = left alone): with the defaults, CPU 1 is then the
#                      servers' under test alone, CPU 0 the client's and the stores'. Unpinned
#                      during the other runs (everything shares the machine, as in bench/run.sh)
#   LB1=0              1: also run `single_lb`, the single replica behind its own HAProxy (same
#                      configuration, same CPU): the balancer's share of the cluster's cost
#   LB_BUFSIZE=65536   HAProxy's tune.bufsize: the production configuration's (docs/deployment.md,
#                      "Load balancer"); "" = the test suite's Balancer's, 524288 (raised so that
#                      the replicas answer oversized heads: 2 buffers of it per request cost CPU)
#   ONLY=              a subset of the contenders to check and measure (e.g. "cluster single
#                      single_lb"), for diagnostic runs; "" = all
#   NOCACHE=1          also run ours_s3 with [tiles] decoded/rendered caches off (Web Mercator)
#   WM_LOCAL=0         1: also run ours_local on the Web Mercator corpus
#   CORPUS_N=2000 CORPUS_SEED=20240601
#   DALLES_DIR=        an existing dalle set (manifest.json) to use as is; default:
#                      bench/work/dalles, derived by lib/make_dalles.py if missing
#   GEOCENTRE_BIN=target/release/geocentre   (copied to bench/work/scaleout/bin first)
#   PORT_BASE=19100    ports PORT_BASE .. PORT_BASE+29 (S3: +10..+19, PostgreSQL: +20)
#   BENCH_LOCK=/tmp/geocentre-bench.lock   flock held around each load run ("" = none)
#   SKIP_INSTALL=0 UPDATE_DOCS=1 RESULTS_DIR=   (default bench/results/<UTC stamp>-scaleout)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=${BENCH_WORK:-$BENCH/work}
W=$WORK/scaleout
DURATION=${DURATION:-7s}
WARMUP=${WARMUP:-1s}
ROUNDS=${ROUNDS:-2}
CONCURRENCY=${CONCURRENCY:-"1 4 16"}
WORKERS=${WORKERS:-2}
REPLICAS=${REPLICAS:-3}
CLUSTER_CPUS=${CLUSTER_CPUS:-1}
LB_CPUS=${LB_CPUS:-$CLUSTER_CPUS}
WRK_CPUS=${WRK_CPUS-0}
S3_CPUS=${S3_CPUS-$WRK_CPUS}
NOCACHE=${NOCACHE:-1}
LB1=${LB1:-0}
LB_BUFSIZE=${LB_BUFSIZE-65536}
ONLY=${ONLY:-}
WM_LOCAL=${WM_LOCAL:-0}
CORPUS_N=${CORPUS_N:-2000}
CORPUS_SEED=${CORPUS_SEED:-20240601}
DALLES_DIR=${DALLES_DIR:-}
GEOCENTRE=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
PORT_BASE=${PORT_BASE:-19100}
BENCH_LOCK=${BENCH_LOCK-/tmp/geocentre-bench.lock}
SKIP_INSTALL=${SKIP_INSTALL:-0}
UPDATE_DOCS=${UPDATE_DOCS:-1}
SRC_TIF=${SRC_TIF:-$ROOT/data/ortho/ign-ortho-rvb-0m20-lamb93.tif}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RES=${RESULTS_DIR:-$BENCH/results/$STAMP-scaleout}
PY=$BENCH/.venv/bin/python
SYSPY=/usr/bin/python3   # Debian python: python3-gdal (the bucket listing)
LAYER=ortho
VINTAGE=2024
BUCKET=bench
PREFIX=scaleout

PORT_LOCAL=$PORT_BASE
PORT_S3SRV=$((PORT_BASE + 1))
PORT_TT=$((PORT_BASE + 2))
PORT_LB=$((PORT_BASE + 3))
PORT_SINGLE=$((PORT_BASE + 4))
PORT_NC=$((PORT_BASE + 5))
PORT_LB1=$((PORT_BASE + 21))   # LB1=1: HAProxy in front of the single replica
PORT_R0=$((PORT_BASE + 6))     # replicas: PORT_R0 .. PORT_R0+REPLICAS-1
PORT_S3=$((PORT_BASE + 10))    # SeaweedFS takes PORT_S3 .. PORT_S3+9
PORT_PG=$((PORT_BASE + 20))

BENCH_TAG=bench-scaleout
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

case $GEOCENTRE in /*) ;; *) GEOCENTRE=$ROOT/$GEOCENTRE ;; esac
[ "$REPLICAS" -ge 2 ] && [ "$REPLICAS" -le 4 ] || die "REPLICAS must be 2..4 (ports)"
REPLICA_THREADS=${REPLICA_THREADS:-$(taskset -c "$CLUSTER_CPUS" nproc)}
mkdir -p "$W/bin" "$RES/runs" "$RES/logs" "$RES/raw"
RES=$(cd "$RES" && pwd)   # absolute: some servers start from another directory
ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------- 1. install
install_deps() {
  local pkgs=(wrk haproxy gdal-bin python3-gdal python3-numpy python3-venv postgresql postgresql-15-postgis-3
              util-linux curl time procps)
  local missing=() p
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # TiTiler's stack: the same pinned virtualenv as bench/run.sh
  local want have=""
  want=$(sha256sum "$BENCH/requirements.txt" | cut -d' ' -f1)
  [ -f "$BENCH/.venv/.req-sha" ] && have=$(cat "$BENCH/.venv/.req-sha")
  if [ ! -x "$PY" ] || [ "$want" != "$have" ]; then
    log "creating bench/.venv (titiler.core, morecantile, uvicorn; pinned in bench/requirements.txt)"
    [ -x "$PY" ] || $SYSPY -m venv "$BENCH/.venv"
    "$BENCH/.venv/bin/pip" install -q --upgrade pip
    "$BENCH/.venv/bin/pip" install -q -r "$BENCH/requirements.txt"
    echo "$want" > "$BENCH/.venv/.req-sha"
  fi
}
[ "$SKIP_INSTALL" = 1 ] || install_deps
for t in wrk haproxy taskset flock curl psql /usr/bin/time; do
  command -v "$t" >/dev/null || die "$t missing (apt-get install wrk haproxy util-linux curl postgresql-client time)"
done
WEED=$(bash "$ROOT/scripts/s3-server.sh" bin)
[ -x "$WEED" ] || die "SeaweedFS (weed) missing at $WEED: run scripts/install-deps.sh --test"
[ -x "$GEOCENTRE" ] || die "no geocentre binary at $GEOCENTRE (cargo build --release, or set GEOCENTRE_BIN)"
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || die "DURATION must look like 8s"

# a private copy of the binary: a rebuild during the run cannot change it
cp "$GEOCENTRE" "$W/bin/geocentre.tmp" && mv "$W/bin/geocentre.tmp" "$W/bin/geocentre"
GC=$W/bin/geocentre
GC_SHA=$(sha256sum "$GC" | cut -c1-16)

# ---------------------------------------------------------------- 2. data + corpora
if [ -n "$DALLES_DIR" ]; then
  [ -f "$DALLES_DIR/manifest.json" ] || die "DALLES_DIR=$DALLES_DIR has no manifest.json"
else
  DALLES_DIR=$WORK/dalles
  log "deriving dalles under $DALLES_DIR (cached)"
  $SYSPY "$BENCH/lib/make_dalles.py" "$SRC_TIF" "$DALLES_DIR" >&2
fi
mapfile -t DALLES < <($SYSPY -c 'import json,sys,os; m=json.load(open(sys.argv[1])); print("\n".join(os.path.join(os.path.dirname(sys.argv[1]),n) for n in m["dalles"]))' "$DALLES_DIR/manifest.json")
cp "$DALLES_DIR/manifest.json" "$RES/dalles.json"
"$PY" "$BENCH/lib/corpus.py" "$DALLES_DIR/manifest.json" "$W/corpus" --seed "$CORPUS_SEED" --n "$CORPUS_N" --layer "$LAYER" > "$RES/corpus.json"

# ---------------------------------------------------------------- 3. machine notes
{
  echo "{"
  echo "\"stamp\": \"$STAMP\","
  echo "\"knobs\": \"DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS CONCURRENCY='$CONCURRENCY' WORKERS=$WORKERS REPLICAS=$REPLICAS CLUSTER_CPUS=$CLUSTER_CPUS LB_CPUS=$LB_CPUS REPLICA_THREADS=$REPLICA_THREADS WRK_CPUS=$WRK_CPUS S3_CPUS=$S3_CPUS NOCACHE=$NOCACHE LB1=$LB1${LB_BUFSIZE:+ LB_BUFSIZE=$LB_BUFSIZE}${ONLY:+ ONLY='$ONLY'} WM_LOCAL=$WM_LOCAL CORPUS_N=$CORPUS_N CORPUS_SEED=$CORPUS_SEED\","
  machine_json_common
  echo "\"haproxy\": \"$(haproxy -v 2>/dev/null | head -1 | awk '{print $3}')\","
  echo "\"seaweedfs\": \"$("$WEED" version 2>/dev/null | head -1 | sed 's/"//g')\","
  echo "\"postgresql\": \"$("$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/postgres" --version | awk '{print $3}')\","
  echo "\"python_peer\": \"$("$PY" -c 'import importlib.metadata as m; print(" ".join(f"{p}=={m.version(p)}" for p in ["titiler.core","rio-tiler","rasterio","uvicorn"]))')\","
  echo "\"rasterio_gdal\": \"$("$PY" -c 'import rasterio; print(rasterio.__gdal_version__)')\","
  echo "\"geocentre_sha\": \"$GC_SHA\","
  echo "\"geocentre_built\": \"$(date -u -r "$GEOCENTRE" +%Y-%m-%dT%H:%M:%SZ)\","
  echo "\"geocentre_git\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo '+dirty')\""
  echo "}"
} > "$RES/machine.json"

# ---------------------------------------------------------------- helpers
S3DIR=$W/s3
PGDIR=$W/pg
cleanup() {
  local name
  for name in "${!PIDS[@]}"; do stop_pids ${PIDS[$name]}; done
  bash "$ROOT/scripts/s3-server.sh" stop "$S3DIR" >/dev/null 2>&1 || true
  bash "$ROOT/scripts/pg-test-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT
EMBEDDED=(GEOCENTRE_CATALOG= GEOCENTRE_BLOBS=)
wait_ready() {  # base timeout_s: /readyz answers 200 (the registry is loaded)
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -sf -o /dev/null --max-time 5 "$1/readyz" && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- 4. ingest (local), cached
LOCAL=$W/local
KEY=$(cat "$GC" "$DALLES_DIR/manifest.json" | sha256sum | cut -c1-16)
printf '' > "$W/empty.toml"
if [ "$(cat "$LOCAL/.bench-key" 2>/dev/null)" != "$KEY" ]; then
  log "ingest: geocentre ortho ingest of ${#DALLES[@]} dalles into $LOCAL (local files, SQLite)"
  rm -rf "$LOCAL"
  env "${EMBEDDED[@]}" /usr/bin/time -f '%e %M' -o "$RES/logs/ingest.time" \
    "$GC" --data-dir "$LOCAL" --config "$W/empty.toml" ortho ingest --layer "$LAYER" --vintage "$VINTAGE" --json "${DALLES[@]}" \
    > "$RES/logs/ingest.out" 2> "$RES/logs/ingest.err" || die "ingest failed (see $RES/logs/ingest.err)"
  echo "$KEY" > "$LOCAL/.bench-key"
else
  log "ingest: reusing $LOCAL (same binary and dalles)"
fi
OBJ_BYTES=$(du -sb "$LOCAL/objects" | cut -f1)
OBJ_FILES=$(find "$LOCAL/objects" -name '*.tif' | wc -l)

# ---------------------------------------------------------------- 5. S3 + PostgreSQL, copy-store
for p in $PORT_LOCAL $PORT_S3SRV $PORT_TT $PORT_LB $PORT_SINGLE $PORT_NC $PORT_LB1 $PORT_PG; do
  port_free "$p" || die "port $p is busy"
done
bash "$ROOT/scripts/s3-server.sh" stop "$S3DIR" >/dev/null 2>&1 || true
bash "$ROOT/scripts/pg-test-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
rm -rf "$S3DIR" "$PGDIR" "$W/shared"
log "starting SeaweedFS on :$PORT_S3 (scripts/s3-server.sh)"
S3_BUCKETS=$BUCKET bash "$ROOT/scripts/s3-server.sh" start "$S3DIR" "$PORT_S3" >&2 || die "SeaweedFS did not start"
S3_PID=$(cat "$S3DIR/server.pid")
eval "$(bash "$ROOT/scripts/s3-server.sh" env "$PORT_S3")"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
unset AWS_ENDPOINT_URL   # the endpoint is in the configuration file
log "starting PostgreSQL on :$PORT_PG (scripts/pg-test-cluster.sh)"
PG_ADMIN=$(bash "$ROOT/scripts/pg-test-cluster.sh" start "$PGDIR" "$PORT_PG" $$)
psql "$PG_ADMIN" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench" >/dev/null
PG_URL=${PG_ADMIN%/*}/bench
cat > "$W/s3.toml" <<TOML
# bench/scaleout.sh: objects in the bucket (the registry: GEOCENTRE_CATALOG)
[store]
blobs = "s3://$BUCKET/$PREFIX"

[store.s3]
endpoint = "http://127.0.0.1:$PORT_S3"
region = "$AWS_REGION"
path_style = true
allow_http = true
TOML
# the source of copy-store stays local: only the target's [store.s3]
sed -n '/^\[store.s3\]/,$p' "$W/s3.toml" > "$W/copy.toml"
log "geocentre copy-store: $OBJ_FILES COGs ($((OBJ_BYTES / 1000000)) MB) -> s3://$BUCKET/$PREFIX, registry -> PostgreSQL"
t0=$(date +%s.%N)
env "${EMBEDDED[@]}" "$GC" --data-dir "$LOCAL" --config "$W/copy.toml" copy-store --to-catalog "$PG_URL" \
  --to-blobs "s3://$BUCKET/$PREFIX" --to-data-dir "$W/shared" --json > "$RES/logs/copy-store.json" 2> "$RES/logs/copy-store.err" \
  || die "copy-store failed (see $RES/logs/copy-store.err)"
COPY_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
CLUSTER_ENV=(-u GEOCENTRE_BLOBS GEOCENTRE_CATALOG="$PG_URL")   # blobs: the s3:// of the configuration file (an empty GEOCENTRE_BLOBS would mean <data-dir>/objects)

# TiTiler's index: the bucket listing (GDAL's /vsis3/ directory listing, i.e. ListObjectsV2)
GDAL_S3=(AWS_S3_ENDPOINT="127.0.0.1:$PORT_S3" AWS_VIRTUAL_HOSTING=FALSE AWS_HTTPS=NO)
env "${GDAL_S3[@]}" $SYSPY - "/vsis3/$BUCKET/$PREFIX/ortho/$LAYER/$VINTAGE" > "$W/cogs.txt" <<'EOF'
import sys
from osgeo import gdal
root = sys.argv[1]
names = gdal.ReadDirRecursive(root) or []
gens = sorted({n.split("/")[0] for n in names if n.startswith("g")}, key=lambda g: int(g[1:].rstrip("/")))
if not gens:
    sys.exit(f"nothing listed under {root}")
last = gens[-1].rstrip("/")
for n in sorted(names):
    if n.startswith(last + "/") and n.endswith(".tif"):
        print(f"{root}/{n}")
EOF
[ "$(wc -l < "$W/cogs.txt")" = "$OBJ_FILES" ] || log "WARNING: the bucket lists $(wc -l < "$W/cogs.txt") COGs, the local ingest $OBJ_FILES"
cp "$W/cogs.txt" "$RES/logs/titiler_cogs.txt"
cat > "$RES/setup.json" <<EOF
{"objects": $OBJ_FILES, "object_bytes": $OBJ_BYTES, "copy_store_s": $COPY_S, "listed_cogs": $(wc -l < "$W/cogs.txt"),
 "ingest_time": "$(cat "$RES/logs/ingest.time" 2>/dev/null || echo cached)"}
EOF

# ---------------------------------------------------------------- 6. servers
declare -A BASE=()
start_gc() {  # name port threads cpus datadir config env...   (cpus "" = unpinned)
  local name=$1 port=$2 threads=$3 cpus=$4 data=$5 cfg=$6; shift 6
  local pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  env "$@" TOKIO_WORKER_THREADS="$threads" "${pin[@]}" "$GC" --data-dir "$data" --config "$cfg" serve \
    --bind "127.0.0.1:$port" > "$RES/logs/$name.out" 2> "$RES/logs/$name.err" &
  echo $!
}
log "starting ours_local (TOKIO_WORKER_THREADS=$WORKERS) on :$PORT_LOCAL"
PIDS[ours_local]=$(start_gc ours_local "$PORT_LOCAL" "$WORKERS" "" "$LOCAL" "$W/empty.toml" "${EMBEDDED[@]}")
BASE[ours_local]=http://127.0.0.1:$PORT_LOCAL
log "starting ours_s3 (TOKIO_WORKER_THREADS=$WORKERS, PostgreSQL + S3) on :$PORT_S3SRV"
PIDS[ours_s3]=$(start_gc ours_s3 "$PORT_S3SRV" "$WORKERS" "" "$W/shared" "$W/s3.toml" "${CLUSTER_ENV[@]}")
BASE[ours_s3]=http://127.0.0.1:$PORT_S3SRV
if [ "$NOCACHE" = 1 ]; then
  # like bench/run.sh's ours_nocache: every Web Mercator tile rendered from the COGs, as TiTiler does
  { cat "$W/s3.toml"; printf '\n[tiles]\ndecoded_cache_mb = 0\nrendered_cache_mb = 0\nstored_cache_mb = 0\n'; } > "$W/s3-nocache.toml"
  log "starting ours_s3_nc (tile caches off) on :$PORT_NC"
  PIDS[ours_s3_nc]=$(start_gc ours_s3_nc "$PORT_NC" "$WORKERS" "" "$W/shared" "$W/s3-nocache.toml" "${CLUSTER_ENV[@]}")
  BASE[ours_s3_nc]=http://127.0.0.1:$PORT_NC
fi
log "starting the single replica (TOKIO_WORKER_THREADS=$REPLICA_THREADS, taskset -c $CLUSTER_CPUS) on :$PORT_SINGLE"
PIDS[single]=$(start_gc single "$PORT_SINGLE" "$REPLICA_THREADS" "$CLUSTER_CPUS" "$W/shared" "$W/s3.toml" "${CLUSTER_ENV[@]}")
BASE[single]=http://127.0.0.1:$PORT_SINGLE
REPLICA_PIDS=()
UPSTREAMS=()
for ((i = 0; i < REPLICAS; i++)); do
  port=$((PORT_R0 + i))
  REPLICA_PIDS+=("$(start_gc "replica$i" "$port" "$REPLICA_THREADS" "$CLUSTER_CPUS" "$W/shared" "$W/s3.toml" "${CLUSTER_ENV[@]}")")
  UPSTREAMS+=("127.0.0.1:$port")
done
PIDS[cluster]="${REPLICA_PIDS[*]}"
for s in ours_local ours_s3 ${BASE[ours_s3_nc]:+ours_s3_nc} single; do
  wait_ready "${BASE[$s]}" 120 || die "$s did not become ready (see $RES/logs/$s.err)"
done
for ((i = 0; i < REPLICAS; i++)); do
  wait_ready "http://127.0.0.1:$((PORT_R0 + i))" 120 || die "replica$i did not become ready (see $RES/logs/replica$i.err)"
done

# HAProxy: the configuration of tests/interop/cluster.py (Balancer, the one
# docs/deployment.md gives), with one thread, pinned with the replicas.
start_lb() {  # name port upstream...  -> pid
  local name=$1 port=$2; shift 2
  mkdir -p "$W/$name"
  LB_BUFSIZE=$LB_BUFSIZE PYTHONPATH=$ROOT/tests/interop $SYSPY - "$W/$name/haproxy.cfg" "$port" "$@" <<'PYEOF'
import os
import re
import sys
from pathlib import Path
from cluster import Balancer
out, port, ups = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cfg = Balancer(ups, Path(out).parent, port=port).config()
cfg = cfg.replace("global\n", "global\n    nbthread 1\n", 1)
if os.environ.get("LB_BUFSIZE"):
    cfg = re.sub(r"tune\.bufsize \d+", "tune.bufsize " + os.environ["LB_BUFSIZE"], cfg)
Path(out).write_text(cfg)
PYEOF
  cp "$W/$name/haproxy.cfg" "$RES/logs/$name.cfg"
  taskset -c "$LB_CPUS" haproxy -W -db -f "$W/$name/haproxy.cfg" > "$RES/logs/$name.log" 2>&1 &
  echo $!
}
LB_PID=$(start_lb haproxy "$PORT_LB" "${UPSTREAMS[@]}")
PIDS[cluster]="${PIDS[cluster]} $LB_PID"
BASE[cluster]=http://127.0.0.1:$PORT_LB
wait_ready "${BASE[cluster]}" 20 || die "HAProxy did not start (see $RES/logs/haproxy.log)"
LB1_PID=
if [ "$LB1" = 1 ]; then
  LB1_PID=$(start_lb haproxy1 "$PORT_LB1" "127.0.0.1:$PORT_SINGLE")
  PIDS[single_lb]="${PIDS[single]} $LB1_PID"
  BASE[single_lb]=http://127.0.0.1:$PORT_LB1
  wait_ready "${BASE[single_lb]}" 20 || die "HAProxy (single) did not start (see $RES/logs/haproxy1.log)"
fi
log "cluster: $REPLICAS replicas (TOKIO_WORKER_THREADS=$REPLICA_THREADS) on CPU(s) $CLUSTER_CPUS + HAProxy (nbthread 1) on CPU(s) $LB_CPUS, on :$PORT_LB"

# TiTiler on the bucket, GDAL tuned as TiTiler's documentation advises for COGs on S3
TT_ENV=("${GDAL_S3[@]}" BENCH_COG_LIST="$W/cogs.txt" GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR
        CPL_VSIL_CURL_ALLOWED_EXTENSIONS=.tif GDAL_HTTP_MERGE_CONSECUTIVE_RANGES=YES GDAL_HTTP_MULTIPLEX=YES
        VSI_CACHE=TRUE VSI_CACHE_SIZE=5000000 GDAL_INGESTED_BYTES_AT_OPEN=32768)
printf '%s\n' "${TT_ENV[@]}" > "$RES/logs/titiler_env.txt"
log "starting TiTiler (uvicorn --workers $WORKERS) on :$PORT_TT over /vsis3/$BUCKET/$PREFIX"
(cd "$BENCH" && exec env "${TT_ENV[@]}" "$BENCH/.venv/bin/uvicorn" --app-dir "$BENCH" titiler_app:app --host 127.0.0.1 \
  --port "$PORT_TT" --workers "$WORKERS" --no-access-log --log-level warning > "$RES/logs/titiler.log" 2>&1) &
PIDS[titiler]=$!
BASE[titiler]=http://127.0.0.1:$PORT_TT
wait_http "${BASE[titiler]}/health" 120 || die "TiTiler did not start (see $RES/logs/titiler.log)"
curl -sf "${BASE[titiler]}/health" > "$RES/logs/titiler_health.json" || die "TiTiler /health failed"

# ---------------------------------------------------------------- 7. response check (+ warm-up)
declare -A CORPUS=(
  [native.ours_local]=native_ours [native.ours_s3]=native_ours [native.cluster]=native_ours
  [native.single]=native_ours [native.titiler]=native_titiler
  [webmerc.ours_local]=webmerc_ours [webmerc.ours_s3]=webmerc_ours [webmerc.ours_s3_nc]=webmerc_ours
  [webmerc.cluster]=webmerc_ours [webmerc.single]=webmerc_ours [webmerc.titiler]=webmerc_titiler
  [native.single_lb]=native_ours [webmerc.single_lb]=webmerc_ours [native.ours_s3_nc]=native_ours)
SERVERS_NATIVE="ours_local ours_s3 titiler cluster single"
SERVERS_WM="ours_s3 titiler cluster single"
[ "$NOCACHE" = 1 ] && SERVERS_WM="$SERVERS_WM ours_s3_nc" && SERVERS_NATIVE="$SERVERS_NATIVE ours_s3_nc"
[ "$WM_LOCAL" = 1 ] && SERVERS_WM="ours_local $SERVERS_WM"
if [ "$LB1" = 1 ]; then SERVERS_NATIVE="$SERVERS_NATIVE single_lb"; SERVERS_WM="$SERVERS_WM single_lb"; fi
if [ -n "$ONLY" ]; then
  keep() { local s out=""; for s in "$@"; do case " $ONLY " in *" $s "*) out="$out $s" ;; esac; done; echo "$out"; }
  SERVERS_NATIVE=$(keep $SERVERS_NATIVE); SERVERS_WM=$(keep $SERVERS_WM)
fi
for kind in native webmerc; do
  args=()
  list=$SERVERS_NATIVE; [ "$kind" = webmerc ] && list=$SERVERS_WM
  # ours_local is always checked: it is the reference of the byte comparison
  case " $list " in *" ours_local "*) ;; *) list="ours_local $list" ;; esac
  for s in $list; do args+=(--server "$s=${BASE[$s]}=$W/corpus/${CORPUS[$kind.$s]}.txt"); done
  log "response check, $kind: every distinct tile from $list"
  $SYSPY "$BENCH/scaleout/check.py" "$RES/runs/check_$kind.json" "${args[@]}" \
    --same "ours_local,ours_s3,cluster,single,single_lb${BASE[ours_s3_nc]:+,ours_s3_nc}" >&2 \
    || die "response check failed for $kind (see $RES/runs/check_$kind.json)"
done

# ---------------------------------------------------------------- 8. load runs
if [ -n "$BENCH_LOCK" ]; then exec 9> "$BENCH_LOCK"; fi
ticks_of() { local t=0 p v; for p in "$@"; do for q in $(tree_pids "$p"); do
  v=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$q/stat" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; done; echo "$t"; }
settle() {  # server: wait (<= 15 s) until its processes are idle, so that requests
  # abandoned by wrk at the end of a run do not run into the next measurement
  local a b i
  for ((i = 0; i < 30; i++)); do
    a=$(cpu_ticks "$1"); sleep 0.5; b=$(cpu_ticks "$1")
    [ $((b - a)) -le $((TICK / 20)) ] && return 0
  done
  log "  WARNING: $1 still busy 15 s after its run"
}
ALL_CPUS=$(taskset -pc $$ | awk '{print $NF}')
pin_stores() {  # CPU list: move SeaweedFS and PostgreSQL (every thread, every process) there
  local p pg
  pg=$(head -1 "$PGDIR/data/postmaster.pid" 2>/dev/null || true)
  for p in $(tree_pids "$S3_PID") ${pg:+$(tree_pids "$pg")}; do taskset -a -p -c "$1" "$p" > /dev/null 2>&1 || true; done
}
secs() { awk -v a="$1" -v b="$2" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}'; }
load_run() {  # round kind server conc
  local r=$1 kind=$2 srv=$3 c=$4 t out pin=()
  t=$(( c < WORKERS ? c : WORKERS ))
  local pinned=0
  case $srv in cluster | single | single_lb)
    [ -n "$WRK_CPUS" ] && pin=(taskset -c "$WRK_CPUS")
    if [ -n "$S3_CPUS" ]; then pin_stores "$S3_CPUS"; pinned=1; fi ;;
  esac
  out=$RES/runs/load_${kind}_${srv}_c${c}_r${r}.json
  local corpus=$W/corpus/${CORPUS[$kind.$srv]}.txt
  if [ -n "$BENCH_LOCK" ]; then flock 9; fi
  CORPUS=$corpus WRK_OUT=/dev/null WRK_THREADS=$t \
    "${pin[@]}" wrk -t"$t" -c"$c" -d"$WARMUP" --timeout 30s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > /dev/null
  settle "$srv"
  local la cc t0 t1 m0 m1 s0 s1 l0=0 l1=0
  la=$(cut -d' ' -f1 /proc/loadavg); cc=$(busy_compilers)
  t0=$(cpu_ticks "$srv"); m0=$(machine_ticks); s0=$(ticks_of "$S3_PID")
  if [ "$srv" = cluster ]; then l0=$(ticks_of "$LB_PID"); fi
  if [ "$srv" = single_lb ]; then l0=$(ticks_of "$LB1_PID"); fi
  CORPUS=$corpus WRK_OUT=$out.wrk WRK_THREADS=$t /usr/bin/time -f '%U %S' -o "$out.wrkcpu" \
    "${pin[@]}" wrk -t"$t" -c"$c" -d"$DURATION" --timeout 30s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > "$out.txt"
  t1=$(cpu_ticks "$srv"); m1=$(machine_ticks); s1=$(ticks_of "$S3_PID")
  if [ "$srv" = cluster ]; then l1=$(ticks_of "$LB_PID"); fi
  if [ "$srv" = single_lb ]; then l1=$(ticks_of "$LB1_PID"); fi
  settle "$srv"
  if [ "$pinned" = 1 ]; then pin_stores "$ALL_CPUS"; fi
  if [ -n "$BENCH_LOCK" ]; then flock -u 9; fi
  read -r wu ws < "$out.wrkcpu"
  printf '{"corpus":"%s","server":"%s","concurrency":%s,"round":%s,"wrk_threads":%s,"loadavg1":%s,"compilers":%s,"machine_cpu_s":%s,"server_cpu_s":%s,"lb_cpu_s":%s,"s3_cpu_s":%s,"wrk_cpu_s":%s,"wrk":%s}\n' \
    "$kind" "$srv" "$c" "$r" "$t" "$la" "$cc" "$(secs "$m0" "$m1")" "$(secs "$t0" "$t1")" "$(secs "$l0" "$l1")" \
    "$(secs "$s0" "$s1")" "$(awk -v a="$wu" -v b="$ws" 'BEGIN{printf "%.2f", a+b}')" "$(cat "$out.wrk")" > "$out"
  mv "$out.txt" "$RES/raw/"; rm -f "$out.wrk" "$out.wrkcpu"
  log "  $kind $srv c=$c r=$r: $(sed 's/.*"rps": \([0-9.]*\).*/\1/' "$out") req/s"
}
for ((r = 1; r <= ROUNDS; r++)); do
  log "load round $r/$ROUNDS"
  for c in $CONCURRENCY; do
    for s in $(rotate "$r" $SERVERS_NATIVE); do load_run "$r" native "$s" "$c"; done
    for s in $(rotate "$r" $SERVERS_WM); do load_run "$r" webmerc "$s" "$c"; done
  done
done

# ---------------------------------------------------------------- 9. peak RSS, per process
hwm1() { awk '/VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
{
  echo "{"
  sep=""
  for name in ours_local ours_s3 ours_s3_nc titiler single; do
    [ -n "${PIDS[$name]:-}" ] || continue
    printf '%s"%s": {"vmhwm_kb": %s, "processes": %s}' "$sep" "$name" "$(hwm_kb ${PIDS[$name]})" "$(tree_pids ${PIDS[$name]} | wc -l)"
    sep=$',\n'
  done
  for ((i = 0; i < REPLICAS; i++)); do
    printf '%s"replica%s": {"vmhwm_kb": %s, "processes": 1}' "$sep" "$i" "$(hwm1 "${REPLICA_PIDS[$i]}")"
  done
  printf '%s"haproxy": {"vmhwm_kb": %s, "processes": %s}' "$sep" "$(hwm_kb "$LB_PID")" "$(tree_pids "$LB_PID" | wc -l)"
  if [ -n "$LB1_PID" ]; then
    printf '%s"haproxy1": {"vmhwm_kb": %s, "processes": %s}' "$sep" "$(hwm_kb "$LB1_PID")" "$(tree_pids "$LB1_PID" | wc -l)"
  fi
  printf '%s"seaweedfs": {"vmhwm_kb": %s, "processes": %s}' "$sep" "$(hwm_kb "$S3_PID")" "$(tree_pids "$S3_PID" | wc -l)"
  echo; echo "}"
} > "$RES/server_rss.json"
# the replicas' object-store traffic, from their /metrics (S3 GETs per tile)
for s in ours_s3 single; do
  curl -sf "${BASE[$s]}/metrics" | grep -E '^geocentre_object_store_(requests_total|read_bytes_total)' > "$RES/logs/metrics_$s.txt" || true
done
sed -i "s/\"loadavg_start\"/\"loadavg_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\",\n\"loadavg_start\"/" "$RES/machine.json"
# ERROR lines and panics in our servers' logs (a correct run has none)
for f in "$RES"/logs/{ours_local,ours_s3,ours_s3_nc,single,replica*}.{out,err}; do
  [ -f "$f" ] || continue
  printf '%s %s %s\n' "${f##*/}" "$(grep -c '"level":"ERROR"' "$f" || true)" "$(grep -c 'panicked' "$f" || true)"
done > "$RES/logs/server_errors.txt"
# the servers' access logs (one line per request, hundreds of MB): kept, compressed
for f in "$RES"/logs/*.err "$RES"/logs/*.out; do
  if [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 1000000 ]; then gzip -f "$f"; fi
done

cleanup
trap - EXIT
PIDS=()
rm -rf "$S3DIR" "$PGDIR" "$W/shared"

# ---------------------------------------------------------------- 10. report
args=("$RES")
[ "$UPDATE_DOCS" = 1 ] && args+=(--docs "$ROOT/docs/benchmarks.md")
$SYSPY "$BENCH/scaleout/report.py" "${args[@]}"
log "results in ${RES#"$ROOT"/}/ (summary.md)"
