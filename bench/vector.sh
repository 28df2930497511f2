#!/usr/bin/env bash
# Vector benchmark (issue 4): geocentre against MapServer 8 (WFS GetFeature, WMS
# GetMap), pygeoapi (OGC API Features items) and Martin (MVT tiles, PostGIS), side
# by side in one run, on ONE GeoPackage (the file geocentre stores after ingesting
# the benchmark data), with fixed seeded request corpora.
# See bench/README.md ("Vector benchmark").  Usage:  bash bench/vector.sh   (or: make bench-vector)
#
# SOURCE=postgis (make bench-vector-postgis): the PostGIS mode (issue 15).  The same
# GeoPackage is loaded into a private PostgreSQL + PostGIS cluster, and every server
# reads THAT table: ours through `geocentre vector connect` (read in place), MapServer
# through CONNECTIONTYPE POSTGIS (WFS GetFeature and its OGC API Features), tipg
# (PyPI; OGC API Features) instead of pygeoapi, and Martin (MVT).  Its own defaults
# (short run): DURATION=8s ROUNDS=2 CONCURRENCY="1 16" PARTS="wfs oapif mvt"
# PORT_BASE=18120, scratch in work/vector-postgis/, results in <stamp>-vector-postgis/,
# docs section bench-vector-postgis.  See bench/README.md ("PostGIS mode").
#
# Knobs (environment):
#   SOURCE=gpkg        gpkg | postgis
#   DURATION=10s       measured time of each load run (wrk -d)
#   DURATION_BIG=      measured time of the 10,000-feature runs (default: DURATION)
#   WARMUP=2s          unmeasured wrk run before each measured one
#   ROUNDS=3           load rounds (server order alternates; medians reported)
#   CONCURRENCY="1 4 16"
#   WORKERS=2          = TOKIO_WORKER_THREADS = MapServer FastCGI processes = gunicorn
#                      workers (pygeoapi) = Martin worker_processes
#   NGINX_WORKERS=1    worker_processes of MapServer's nginx front
#   PARTS="wfs oapif mvt wms"   CLASSES="1 1000 10000"   (features per request)
#   CORPUS_N=100 MVT_N=1000 WMS_N=400 CORPUS_SEED=20240601  corpora (bench/vector/corpus.py)
#   WMS_CRS="EPSG:2154 EPSG:3857"
#   CHECK_K=10 CHECK_K_BIG=3   requests per part in the response check (BIG: >= 10,000 features)
#   WRK_TIMEOUT=120s   wrk --timeout (a 10,000-feature response can take seconds)
#   GRID_CELL=2000     cell of the DERIVED communes_grid layer, metres
#   MARTIN_VERSIONS="1.14.0"   tried in order by `cargo install martin --locked`
#   MARTIN_BIN=        an existing martin binary instead (skips cargo install)
#   MARTIN_BUILD_JOBS=1
#   GEOCENTRE_BIN=target/release/geocentre   BUILD=0 (1: cargo build --release -p geocentre)
#   SKIP_INSTALL=0     1: no apt-get / pip / cargo install (use what is there)
#   UPDATE_DOCS=1      regenerate the bench-vector section of docs/benchmarks.md
#   RESULTS_DIR=       default bench/results/<UTC stamp>-vector
#   BENCH_LOCK=        a file: each load run holds flock on it (e.g. /tmp/geocentre-bench.lock)
# All traffic is on 127.0.0.1 (ports PORT_BASE+1 ours, +2 MapServer, +3 pygeoapi or
# tipg, +4 Martin, +5 PostgreSQL); every load run is bounded by wrk -d.
#   OAPIF_PEERS="tipg mapserver"   (PostGIS mode) peers of the OGC API Features parts
#   TIPG_VENV=         an existing virtualenv with tipg (default work/vector-postgis/tipg-venv)
#   PORT_BASE=18100    ports PORT_BASE+1 ... +5 (PostGIS mode: 18120)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=${BENCH_WORK:-$BENCH/work}
SOURCE=${SOURCE:-gpkg}
case $SOURCE in
  gpkg)
    W=$WORK/vector
    SUFFIX=vector
    : "${PORT_BASE:=18100}" ;;
  postgis)
    # the issue-15 run: short by default (about 12 minutes)
    W=$WORK/vector-postgis
    SUFFIX=vector-postgis
    : "${DURATION:=8s}" "${WARMUP:=1s}" "${ROUNDS:=2}" "${CONCURRENCY:=1 16}" "${PARTS:=wfs oapif mvt}" "${PORT_BASE:=18120}" ;;
  *) echo "SOURCE must be gpkg or postgis, not $SOURCE" >&2; exit 1 ;;
esac
OAPIF_PEERS=${OAPIF_PEERS:-"tipg mapserver"}
DURATION=${DURATION:-10s}
DURATION_BIG=${DURATION_BIG:-$DURATION}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 4 16"}
WORKERS=${WORKERS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PARTS=${PARTS:-"wfs oapif mvt wms"}
CLASSES=${CLASSES:-"1 1000 10000"}
CORPUS_N=${CORPUS_N:-100}
MVT_N=${MVT_N:-1000}
WMS_N=${WMS_N:-400}
CORPUS_SEED=${CORPUS_SEED:-20240601}
WMS_CRS=${WMS_CRS:-"EPSG:2154 EPSG:3857"}
CHECK_K=${CHECK_K:-10}
CHECK_K_BIG=${CHECK_K_BIG:-3}
WRK_TIMEOUT=${WRK_TIMEOUT:-120s}
GRID_CELL=${GRID_CELL:-2000}
MARTIN_VERSIONS=${MARTIN_VERSIONS:-"1.14.0"}
MARTIN_BIN=${MARTIN_BIN:-}
MARTIN_BUILD_JOBS=${MARTIN_BUILD_JOBS:-1}
GEOCENTRE=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
BENCH_LOCK=${BENCH_LOCK:-}   # a file: each load run (warm-up + measure) holds flock on it (shared machine)
BUILD=${BUILD:-0}
SKIP_INSTALL=${SKIP_INSTALL:-0}
UPDATE_DOCS=${UPDATE_DOCS:-1}
DATASET=bench
MAX_ITEMS=10000   # geocentre's MAX_LIMIT; pygeoapi's max_items and MapServer's wfs_maxfeatures
PORT_OURS=${PORT_OURS:-$((PORT_BASE + 1))}
PORT_MS=${PORT_MS:-$((PORT_BASE + 2))}
PORT_PYGEOAPI=${PORT_PYGEOAPI:-$((PORT_BASE + 3))}   # tipg's in the PostGIS mode
PORT_MARTIN=${PORT_MARTIN:-$((PORT_BASE + 4))}
PORT_PG=${PORT_PG:-$((PORT_BASE + 5))}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RES=${RESULTS_DIR:-$BENCH/results/$STAMP-$SUFFIX}
SRC_GEOJSON=${SRC_GEOJSON:-$ROOT/data/admin/communes-centre-val-de-loire.geojson}
SYSPY=/usr/bin/python3   # Debian python: python3-gdal, python3-numpy
MAPSERV=/usr/lib/cgi-bin/mapserv
PYVENV=$W/pygeoapi-venv
TIPG_VENV=${TIPG_VENV:-$W/tipg-venv}
CARGO_ROOT=$WORK/cargo

BENCH_TAG=bench-$SUFFIX
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

mkdir -p "$W" "$RES/runs" "$RES/logs" "$RES/raw"
ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------- 1. install
pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}
install_deps() {
  local pkgs=(nginx-light wrk gdal-bin python3-gdal python3-numpy python3-venv cgi-mapserver mapserver-bin
              spawn-fcgi postgresql curl time procps)
  local missing=() p bindir
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # PostGIS for the installed PostgreSQL major version (no system service is used:
  # the script runs its own cluster under bench/work/vector/pg)
  bindir=$(pg_bindir || true)
  [ -n "$bindir" ] || return 0
  p=postgresql-$(basename "$(dirname "$bindir")")-postgis-3
  if ! dpkg -s "$p" >/dev/null 2>&1; then
    log "apt-get install $p"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$p" >/dev/null
  fi
}
install_pygeoapi() {
  local want
  want=$(sha256sum "$BENCH/vector/requirements-pygeoapi.txt" | cut -c1-16)
  if [ -x "$PYVENV/bin/gunicorn" ] && [ "$(cat "$PYVENV/.req" 2>/dev/null)" = "$want" ]; then return 0; fi
  log "pygeoapi virtualenv in ${PYVENV#$ROOT/} ($(grep -E '^[a-z]' "$BENCH/vector/requirements-pygeoapi.txt" | tr '\n' ' '))"
  rm -rf "$PYVENV"
  $SYSPY -m venv --system-site-packages "$PYVENV"
  "$PYVENV/bin/pip" install -q --disable-pip-version-check -r "$BENCH/vector/requirements-pygeoapi.txt"
  echo "$want" > "$PYVENV/.req"
}
install_tipg() {  # PostGIS mode: tipg + asyncpg + uvicorn, pinned (vector/requirements-tipg.txt)
  local want
  want=$(sha256sum "$BENCH/vector/requirements-tipg.txt" | cut -c1-16)
  if [ -x "$TIPG_VENV/bin/uvicorn" ] && [ "$(cat "$TIPG_VENV/.req" 2>/dev/null)" = "$want" ]; then return 0; fi
  log "tipg virtualenv in ${TIPG_VENV#$ROOT/} ($(grep -E '^[a-z]' "$BENCH/vector/requirements-tipg.txt" | tr '\n' ' '))"
  rm -rf "$TIPG_VENV"
  $SYSPY -m venv "$TIPG_VENV"
  "$TIPG_VENV/bin/pip" install -q --disable-pip-version-check -r "$BENCH/vector/requirements-tipg.txt"
  echo "$want" > "$TIPG_VENV/.req"
}
install_martin() {  # cargo install martin into bench/work/cargo (first version that builds)
  local v
  for v in $MARTIN_VERSIONS; do
    if [ -x "$CARGO_ROOT/bin/martin" ] && "$CARGO_ROOT/bin/martin" --version 2>/dev/null | grep -q " $v\$"; then
      MARTIN_BIN=$CARGO_ROOT/bin/martin; return 0
    fi
  done
  command -v cargo >/dev/null || { log "WARNING: no cargo: Martin cannot be built"; return 1; }
  for v in $MARTIN_VERSIONS; do
    log "cargo install martin --version $v (postgres feature only, CARGO_BUILD_JOBS=$MARTIN_BUILD_JOBS; long the first time)"
    if CARGO_BUILD_JOBS=$MARTIN_BUILD_JOBS CARGO_TARGET_DIR=$CARGO_ROOT/target \
        cargo install martin --locked --version "$v" --no-default-features --features postgres \
        --root "$CARGO_ROOT" > "$CARGO_ROOT/install-$v.log" 2>&1; then
      rm -rf "$CARGO_ROOT/target"   # ~800 MB of build products; the binary is in $CARGO_ROOT/bin
      MARTIN_BIN=$CARGO_ROOT/bin/martin; return 0
    fi
    log "martin $v did not build (see ${CARGO_ROOT#$ROOT/}/install-$v.log)"
  done
  return 1
}
if [ "$SKIP_INSTALL" != 1 ]; then install_deps; fi
for t in wrk nginx spawn-fcgi ogr2ogr ogrinfo curl; do command -v "$t" >/dev/null || die "$t missing"; done
[ -x "$MAPSERV" ] || die "$MAPSERV missing (apt-get install cgi-mapserver)"
PG_BIN=$(pg_bindir || true)
PG_VER=$( [ -n "$PG_BIN" ] && basename "$(dirname "$PG_BIN")" || echo "")
# peers that PARTS does not need are neither installed nor started
HAVE_PYGEOAPI=0 HAVE_MARTIN=0 HAVE_TIPG=0 HAVE_MS_OGCAPI=0
case " $PARTS " in *" oapif "*)
  if [ "$SOURCE" = gpkg ]; then HAVE_PYGEOAPI=1; else
    case " $OAPIF_PEERS " in *" tipg "*) HAVE_TIPG=1 ;; esac
    case " $OAPIF_PEERS " in *" mapserver "*) HAVE_MS_OGCAPI=1 ;; esac
  fi ;;
esac
case " $PARTS " in *" mvt "*) HAVE_MARTIN=1 ;; esac
HAVE_POSTGIS=$( [ -n "$PG_BIN" ] && ls "/usr/share/postgresql/$PG_VER/extension/postgis.control" >/dev/null 2>&1 && echo 1 || echo 0)
if [ "$SOURCE" = postgis ]; then
  [ "$HAVE_POSTGIS" = 1 ] || die "PostGIS mode without PostgreSQL/PostGIS (apt-get install postgresql postgresql-$PG_VER-postgis-3)"
  if [ "$HAVE_TIPG" = 1 ]; then
    if [ "$SKIP_INSTALL" != 1 ]; then install_tipg || HAVE_TIPG=0; fi
    [ -x "$TIPG_VENV/bin/uvicorn" ] || { HAVE_TIPG=0; log "WARNING: no tipg virtualenv: tipg left out of the OGC API Features parts"; }
  fi
fi
if [ "$HAVE_PYGEOAPI" = 1 ]; then
  if [ "$SKIP_INSTALL" != 1 ]; then install_pygeoapi || HAVE_PYGEOAPI=0; fi
  [ -x "$PYVENV/bin/gunicorn" ] || { HAVE_PYGEOAPI=0; log "WARNING: no pygeoapi virtualenv: OGC API Features part skipped"; }
fi
if [ "$HAVE_MARTIN" = 1 ]; then
  mkdir -p "$CARGO_ROOT"
  if [ -z "$MARTIN_BIN" ]; then
    if [ "$SKIP_INSTALL" != 1 ]; then install_martin || true; fi
    [ -n "$MARTIN_BIN" ] || { [ -x "$CARGO_ROOT/bin/martin" ] && MARTIN_BIN=$CARGO_ROOT/bin/martin; } || true
  fi
  [ -n "$MARTIN_BIN" ] && [ -x "$MARTIN_BIN" ] || { HAVE_MARTIN=0; log "WARNING: no martin binary: MVT part skipped"; }
  [ "$HAVE_POSTGIS" = 1 ] || { HAVE_MARTIN=0; log "WARNING: no PostgreSQL/PostGIS: MVT part skipped"; }
fi
NEED_PG=$( [ "$SOURCE" = postgis ] || [ "$HAVE_MARTIN" = 1 ] && echo 1 || echo 0)

# ---------------------------------------------------------------- 2. binary
if [ "$BUILD" = 1 ]; then
  log "cargo build --release -p geocentre"
  (cd "$ROOT" && cargo build --release -p geocentre)
fi
[ -x "$GEOCENTRE" ] || die "no geocentre binary at $GEOCENTRE (set GEOCENTRE_BIN, or BUILD=1)"
mkdir -p "$W/bin"   # a private copy: a rebuild during the run must not change the binary under test
cp "$GEOCENTRE" "$W/bin/geocentre.tmp" && mv "$W/bin/geocentre.tmp" "$W/bin/geocentre"
GC=$W/bin/geocentre

# ---------------------------------------------------------------- 3. data: one GeoPackage
[ -f "$SRC_GEOJSON" ] || die "source missing: $SRC_GEOJSON"
log "benchmark GeoPackage (communes in Lambert-93 + DERIVED communes_grid), cached in ${W#$ROOT/}/data/"
mkdir -p "$W/data"
$SYSPY "$BENCH/vector/make_data.py" "$SRC_GEOJSON" "$W/data/centre-vector.gpkg" --cell "$GRID_CELL" 2> "$RES/logs/make_data.log" \
  || { cat "$RES/logs/make_data.log" >&2; die "make_data.py failed"; }
cp "$W/data/centre-vector.json" "$RES/data.json"

GC_DATA=$W/gc-data
log "geocentre vector ingest --dataset $DATASET into ${GC_DATA#$ROOT/}"
rm -rf "$GC_DATA"
"$GC" --data-dir "$GC_DATA" vector ingest --dataset "$DATASET" --json "$W/data/centre-vector.gpkg" \
  > "$RES/logs/ingest_ours.json" 2> "$RES/logs/ingest_ours.err" || die "geocentre vector ingest failed (see $RES/logs/)"
"$GC" --data-dir "$GC_DATA" vector list --json > "$RES/logs/vector_list.json"
# THE file: the GeoPackage geocentre stores; every peer reads it (PostGIS: a copy loaded from it)
GPKG_REL=$($SYSPY -c '
import json, sys
ds = [d for d in json.load(open(sys.argv[1])) if d["name"] == sys.argv[2]][0]
files = {l["file"] for l in ds["layers"]}
assert len(files) == 1, files
print(files.pop())' "$RES/logs/vector_list.json" "$DATASET")
GPKG=$GC_DATA/$GPKG_REL
[ -f "$GPKG" ] || die "stored GeoPackage not found: $GPKG"
log "the one GeoPackage: ${GPKG#$ROOT/} ($(du -h "$GPKG" | cut -f1)); tables: $(ogrinfo -q "$GPKG" | awk '{print $2}' | tr '\n' ' ')"
$SYSPY - "$GPKG" "$RES/gpkg.json" <<'EOF'
import hashlib, json, os, sys
from osgeo import ogr
p = sys.argv[1]
ds = ogr.Open(p)
out = {"path": p, "bytes": os.path.getsize(p), "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest(), "layers": {}}
for i in range(ds.GetLayerCount()):
    l = ds.GetLayer(i)
    x0, x1, y0, y1 = l.GetExtent()
    out["layers"][l.GetName()] = {"features": l.GetFeatureCount(), "extent": [x0, y0, x1, y1],
                                   "geometry": ogr.GeometryTypeToName(l.GetGeomType()),
                                   "fields": [l.GetLayerDefn().GetFieldDefn(k).GetName() for k in range(l.GetLayerDefn().GetFieldCount())]}
json.dump(out, open(sys.argv[2], "w"), indent=1)
EOF
ro_sha() { sha256sum "$GPKG" | cut -c1-16; }
GPKG_SHA0=$(ro_sha)

# ---------------------------------------------------------------- 4. corpus
log "corpora (seed $CORPUS_SEED): $CORPUS_N requests per feature class ($CLASSES), $MVT_N tiles, $WMS_N GetMaps"
$SYSPY "$BENCH/vector/corpus.py" "$GPKG" "$W/corpus" --dataset "$DATASET" --seed "$CORPUS_SEED" --n "$CORPUS_N" \
  --mvt-n "$MVT_N" --wms-n "$WMS_N" --classes "$CLASSES" --wms-crs "$WMS_CRS" \
  --oapif-peers "$( [ "$SOURCE" = postgis ] && echo "$OAPIF_PEERS" || echo pygeoapi)" > "$RES/corpus.json"
cp "$W/corpus/"*.txt "$W/corpus/corpus.jsonl" "$RES/raw/"

# ---------------------------------------------------------------- 5. machine notes
pyver() { "$PYVENV/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || echo none; }
{
  echo "{"
  echo "\"stamp\": \"$STAMP\","
  echo "\"source\": \"$SOURCE\","
  echo "\"knobs\": \"SOURCE=$SOURCE$( [ "$SOURCE" = postgis ] && echo " OAPIF_PEERS='$OAPIF_PEERS'") DURATION=$DURATION DURATION_BIG=$DURATION_BIG WARMUP=$WARMUP ROUNDS=$ROUNDS CONCURRENCY='$CONCURRENCY' WORKERS=$WORKERS NGINX_WORKERS=$NGINX_WORKERS PARTS='$PARTS' CLASSES='$CLASSES' CORPUS_N=$CORPUS_N MVT_N=$MVT_N WMS_N=$WMS_N CORPUS_SEED=$CORPUS_SEED WMS_CRS='$WMS_CRS' CHECK_K=$CHECK_K CHECK_K_BIG=$CHECK_K_BIG WRK_TIMEOUT=$WRK_TIMEOUT GRID_CELL=$GRID_CELL\","
  machine_json_common
  echo "\"mapserver\": \"$(dpkg-query -W -f '${Version}' cgi-mapserver)\","
  echo "\"spawn_fcgi\": \"$(dpkg-query -W -f '${Version}' spawn-fcgi)\","
  echo "\"pygeoapi\": \"$(pyver pygeoapi)\","
  echo "\"gunicorn\": \"$(pyver gunicorn)\","
  echo "\"python_pygeoapi\": \"$([ -x "$PYVENV/bin/python" ] && "$PYVENV/bin/python" -V 2>&1 | awk '{print $2}' || echo none)\","
  if [ "$SOURCE" = postgis ]; then
    tipgver() { "$TIPG_VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || echo none; }
    echo "\"tipg\": \"$(tipgver tipg)\","
    echo "\"uvicorn\": \"$(tipgver uvicorn)\","
    echo "\"asyncpg\": \"$(tipgver asyncpg)\","
    echo "\"python_tipg\": \"$([ -x "$TIPG_VENV/bin/python" ] && "$TIPG_VENV/bin/python" -V 2>&1 | awk '{print $2}' || echo none)\","
    echo "\"oapif_peers\": \"$OAPIF_PEERS\","
  fi
  echo "\"martin\": \"$([ "$HAVE_MARTIN" = 1 ] && "$MARTIN_BIN" --version 2>/dev/null | awk '{print $2}' || echo none)\","
  echo "\"postgresql\": \"$([ -n "$PG_BIN" ] && "$PG_BIN/postgres" --version | awk '{print $3}' || echo none)\","
  echo "\"postgis\": \"$(dpkg-query -W -f '${Version}' "postgresql-$PG_VER-postgis-3" 2>/dev/null || echo none)\","
  echo "\"gpkg\": \"${GPKG#$ROOT/}\","
  echo "\"gpkg_sha256\": \"$GPKG_SHA0\","
  echo "\"geocentre_bin\": \"$GEOCENTRE\","
  echo "\"geocentre_sha256\": \"$(sha256sum "$GC" | cut -c1-16)\","
  echo "\"geocentre_version\": \"$("$GC" --version 2>/dev/null | head -1)\","
  echo "\"geocentre_git\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)$(cd "$ROOT" && git diff --quiet HEAD -- crates Cargo.toml Cargo.lock 2>/dev/null || echo '+dirty')\""
  echo "}"
} > "$RES/machine.json"
"$PYVENV/bin/pip" freeze --disable-pip-version-check > "$RES/logs/pip-freeze.txt" 2>/dev/null || true

# ---------------------------------------------------------------- helpers (the shared ones are in lib/common.sh)
as_pg() {  # PostgreSQL refuses to run as root: run its tools as the postgres user then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
PG_DATA=$W/pg/data
PG_SOCK=$W/pg/sock
PG_STARTED=0
cleanup() {
  local name p all=()
  for name in "${!PIDS[@]}"; do   # PostgreSQL is stopped by pg_ctl below
    for p in ${PIDS[$name]}; do [ "$p" = "${PIDS[postgres]:-}" ] || all+=("$p"); done
  done
  [ ${#all[@]} -gt 0 ] && stop_pids "${all[@]}"
  if [ "$PG_STARTED" = 1 ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    PG_STARTED=0
  fi
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_idle() {  # server: wait (<= 120 s) until its processes stop using CPU (abandoned requests done)
  local a b i
  for ((i = 0; i < 240; i++)); do
    a=$(cpu_ticks "$1"); sleep 0.5; b=$(cpu_ticks "$1")
    [ $((b - a)) -le $((TICK / 25)) ] && return 0
  done
  log "WARNING: $1 still busy after 120 s"
}

# ---------------------------------------------------------------- 6. peers' configuration
for p in $PORT_OURS $PORT_MS $PORT_PYGEOAPI $PORT_MARTIN; do port_free "$p" || die "port $p is busy"; done
EXTENT=$($SYSPY -c 'import json,sys; e=json.load(open(sys.argv[1]))["layers"]["communes"]["extent"]; print(" ".join(f"{v:.2f}" for v in e))' "$RES/gpkg.json")
TABLES=$($SYSPY -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["layers"]))' "$RES/gpkg.json")
# polygon style = geocentre's default polygon style (crates/geocentre-vector/src/style.rs):
# fill rgb(166,206,227) at alpha 150/255, outline rgb(31,120,180) 1 px
MS_FILL=${MS_FILL:-"#a6cee396"}; MS_STROKE=${MS_STROKE:-"#1f78b4"}; MS_STROKE_WIDTH=${MS_STROKE_WIDTH:-1}

MSDIR=$W/mapserver
mkdir -p "$MSDIR"
PGUSER_NAME=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
PG_SCHEMA=public
ms_layers=""
for t in $TABLES; do
  if [ "$SOURCE" = postgis ]; then
    lext=$($SYSPY -c 'import json,sys; e=json.load(open(sys.argv[1]))["layers"][sys.argv[2]]["extent"]; print(" ".join(f"{v:.2f}" for v in e))' "$RES/gpkg.json" "$t")
    ms_layers+=$(sed -e "s|@NAME@|$DATASET.$t|g; s|@PGCONN@|host=127.0.0.1 port=$PORT_PG dbname=bench user=$PGUSER_NAME|; s|@SCHEMA@|$PG_SCHEMA|; s|@TABLE@|$t|; s|@LAYER_EXTENT@|$lext|g; s|@FILL@|$MS_FILL|; s|@STROKE@|$MS_STROKE|; s|@STROKE_WIDTH@|$MS_STROKE_WIDTH|" \
      "$BENCH/vector/mapserver-layer-postgis.in")$'\n'
  else
    ms_layers+=$(sed -e "s|@NAME@|$DATASET.$t|g; s|@GPKG@|$GPKG|; s|@TABLE@|$t|; s|@FILL@|$MS_FILL|; s|@STROKE@|$MS_STROKE|; s|@STROKE_WIDTH@|$MS_STROKE_WIDTH|" \
      "$BENCH/vector/mapserver-layer.in")$'\n'
  fi
done
$SYSPY - "$BENCH/vector/mapserver.map.in" "$MSDIR/bench.map" "$ms_layers" "$EXTENT" "$MSDIR/ms_error.log" "$PORT_MS" "$MAX_ITEMS" "$DATASET" <<'EOF'
import sys
t = open(sys.argv[1]).read()
for k, v in (("@LAYERS@", sys.argv[3].rstrip("\n")), ("@EXTENT@", sys.argv[4]), ("@ERRORFILE@", sys.argv[5]),
             ("@PORT@", sys.argv[6]), ("@MAX_FEATURES@", sys.argv[7]), ("@MAPKEY@", sys.argv[8])):
    t = t.replace(k, v)
open(sys.argv[2], "w").write(t)
EOF
if [ "$SOURCE" = postgis ]; then  # + the map key of MapServer's OGC API (/mapserv/$DATASET/ogcapi/...)
  sed -e "s#@MAPFILE@#$MSDIR/bench.map#g; s#@MAPDIR@#$MSDIR#; s#@MAPKEY@#$DATASET#" "$BENCH/vector/mapserver-postgis.conf.in" > "$MSDIR/mapserver.conf"
else  # the MapServer 8 config file of the WMS benchmark (MS_MAPFILE fixed, no MAP= in requests)
  sed -e "s#@MAPFILE@#$MSDIR/bench.map#; s#@MAPDIR@#$MSDIR#" "$BENCH/wms/mapserver.conf.in" > "$MSDIR/mapserver.conf"
fi
: > "$MSDIR/ms_error.log"; chmod a+rw "$MSDIR/ms_error.log"
cp "$MSDIR/bench.map" "$MSDIR/mapserver.conf" "$RES/logs/"

PGDIR=$W/pygeoapi
mkdir -p "$PGDIR"
if [ "$HAVE_PYGEOAPI" = 1 ]; then
  res_yaml=""
  for t in $TABLES; do
    bb=$($SYSPY -c 'import json,sys; d=[d for d in json.load(open(sys.argv[1])) if d["name"]==sys.argv[2]][0]; l=[l for l in d["layers"] if l["table_name"]==sys.argv[3]][0]; print(", ".join(str(round(v, 5)) for v in l["bbox_wgs84"]))' \
      "$RES/logs/vector_list.json" "$DATASET" "$t")
    res_yaml+=$(sed -e "s#@ID@#$t#g; s#@TABLE@#$t#g; s#@GPKG@#$GPKG#; s#@BBOX_WGS84@#$bb#" "$BENCH/vector/pygeoapi-resource.yml.in")$'\n'
  done
  $SYSPY - "$BENCH/vector/pygeoapi.config.yml.in" "$PGDIR/config.yml" "$res_yaml" "$PORT_PYGEOAPI" "$MAX_ITEMS" <<'EOF'
import sys
t = open(sys.argv[1]).read()
for k, v in (("@RESOURCES@", sys.argv[3].rstrip("\n")), ("@PORT@", sys.argv[4]), ("@MAX_ITEMS@", sys.argv[5])):
    t = t.replace(k, v)
open(sys.argv[2], "w").write(t)
EOF
  PYGEOAPI_CONFIG=$PGDIR/config.yml "$PYVENV/bin/pygeoapi" openapi generate "$PGDIR/config.yml" \
    --output-file "$PGDIR/openapi.yml" > "$RES/logs/pygeoapi-openapi.log" 2>&1 \
    || { HAVE_PYGEOAPI=0; log "WARNING: pygeoapi openapi generate failed (see $RES/logs/pygeoapi-openapi.log): OGC API Features part skipped"; }
  cp "$PGDIR/config.yml" "$RES/logs/pygeoapi.config.yml"
fi

# ---------------------------------------------------------------- 7. PostgreSQL + PostGIS (Martin; every server in the PostGIS mode)
if [ "$NEED_PG" = 1 ]; then
  mkdir -p "$W/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$W/pg"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb of a private PostgreSQL $PG_VER cluster in ${PG_DATA#$ROOT/}"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PGUSER_NAME" --auth=trust -E UTF8 --locale=C.UTF-8 > "$RES/logs/initdb.log" 2>&1 \
      || die "initdb failed (see $RES/logs/initdb.log)"
  fi
  as_pg mkdir -p "$PG_SOCK"
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running in ${PG_DATA#$ROOT/} (left over): restarting it"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
  # defaults but fsync (the data is reloaded at every run) and no listening beyond loopback
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$W/pg/postgres.log" \
    -o "-p $PORT_PG -k $PG_SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start > /dev/null \
    || die "PostgreSQL did not start (see $W/pg/postgres.log)"
  PG_STARTED=1
  PIDS[postgres]=$(head -1 "$PG_DATA/postmaster.pid")
  export PGOPTIONS="-c client_min_messages=warning"
  PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT_PG" -U "$PGUSER_NAME")
  "${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bench'" | grep -q 1 \
    || "${PSQL[@]}" -d postgres -c "CREATE DATABASE bench"
  "${PSQL[@]}" -d bench -c "CREATE EXTENSION IF NOT EXISTS postgis"
  log "loading ${GPKG#$ROOT/} into PostGIS (ogr2ogr, same tables, EPSG:2154, GiST index)"
  PG_CONN="PG:host=127.0.0.1 port=$PORT_PG user=$PGUSER_NAME dbname=bench"
  ogr2ogr -f PostgreSQL "$PG_CONN" "$GPKG" -overwrite -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST \
    -nlt MULTIPOLYGON $TABLES > "$RES/logs/ogr2ogr-postgis.log" 2>&1 || die "ogr2ogr into PostGIS failed (see $RES/logs/)"
  "${PSQL[@]}" -d bench -c "VACUUM ANALYZE"
  "${PSQL[@]}" -d bench -tAc "SELECT postgis_full_version()" > "$RES/logs/postgis_version.txt"
  for t in $TABLES; do
    n=$("${PSQL[@]}" -d bench -tAc "SELECT count(*) FROM public.$t")
    log "  PostGIS $t: $n features"
  done
fi
if [ "$SOURCE" = postgis ]; then
  # ours: the dataset connected in place to the very tables the peers read.  No password
  # anywhere: the private cluster trusts loopback; with a password, PGPASSWORD or a
  # PGPASSFILE would supply it (geocentre never stores one).
  GC_DATA=$W/gc-data-postgis
  PG_URL="postgres://$PGUSER_NAME@127.0.0.1:$PORT_PG/bench?sslmode=disable"
  log "geocentre vector connect --dataset $DATASET --postgres $PG_URL$(printf ' --table %s.%s' $(for t in $TABLES; do echo "$PG_SCHEMA $t"; done))"
  rm -rf "$GC_DATA"
  targs=()
  for t in $TABLES; do targs+=(--table "$PG_SCHEMA.$t"); done
  "$GC" --data-dir "$GC_DATA" vector connect --dataset "$DATASET" --postgres "$PG_URL" "${targs[@]}" --json \
    > "$RES/logs/connect_ours.json" 2> "$RES/logs/connect_ours.err" || die "geocentre vector connect failed (see $RES/logs/)"
  "$GC" --data-dir "$GC_DATA" vector list --json > "$RES/logs/vector_list_postgis.json"
fi
if [ "$HAVE_MARTIN" = 1 ]; then
  # Martin configuration: every table, its text columns as properties
  mt=""
  for t in $TABLES; do
    props=$("${PSQL[@]}" -d bench -tAc "SELECT string_agg('        ' || column_name || ': ' || data_type, E'\n' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema='public' AND table_name='$t' AND column_name NOT IN ('fid','geom')")
    mt+=$(sed -e "s#@TABLE@#$t#g" "$BENCH/vector/martin-table.yaml.in" | $SYSPY -c 'import sys; print(sys.stdin.read().replace("@PROPERTIES@", sys.argv[1]).rstrip("\n"))' "$props")$'\n'
  done
  $SYSPY - "$BENCH/vector/martin.yaml.in" "$W/martin.yaml" "$mt" "$PORT_MARTIN" "$WORKERS" "$PGUSER_NAME" "$PORT_PG" <<'EOF'
import sys
t = open(sys.argv[1]).read()
for k, v in (("@TABLES@", sys.argv[3].rstrip("\n")), ("@PORT@", sys.argv[4]), ("@WORKERS@", sys.argv[5]),
             ("@PGUSER@", sys.argv[6]), ("@PGPORT@", sys.argv[7]), ("@PGDB@", "bench"), ("@POOL@", "20")):
    t = t.replace(k, v)
open(sys.argv[2], "w").write(t)
EOF
  cp "$W/martin.yaml" "$RES/logs/martin.yaml"
fi

# ---------------------------------------------------------------- 8. servers
log "starting geocentre (TOKIO_WORKER_THREADS=$WORKERS) on :$PORT_OURS"
TOKIO_WORKER_THREADS=$WORKERS "$GC" --data-dir "$GC_DATA" serve --bind "127.0.0.1:$PORT_OURS" \
  > "$RES/logs/geocentre.out" 2> "$RES/logs/geocentre.err" &
PIDS[ours]=$!
for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/geocentre.out" && break; sleep 0.1; done
grep -q 'listening on' "$RES/logs/geocentre.out" || die "geocentre did not print 'listening on' (see $RES/logs/)"

log "starting MapServer: spawn-fcgi -F $WORKERS $MAPSERV behind nginx on :$PORT_MS"
rm -f "$W/mapserver.sock" "$W/mapserver.pids"
env MAPSERVER_CONFIG_FILE="$MSDIR/mapserver.conf" MS_MAPFILE="$MSDIR/bench.map" \
  spawn-fcgi -s "$W/mapserver.sock" -M 0666 -F "$WORKERS" -b 4096 -P "$W/mapserver.pids" -- "$MAPSERV" \
  >> "$RES/logs/mapserver.log" 2>&1 || die "spawn-fcgi failed (see $RES/logs/mapserver.log)"
PIDS_FCGI_MS=$(tr '\n' ' ' < "$W/mapserver.pids")
[ "$(wc -w <<< "$PIDS_FCGI_MS")" = "$WORKERS" ] || die "spawn-fcgi: expected $WORKERS PIDs"
NGDIR=$W/nginx-mapserver
mkdir -p "$NGDIR/tmp"
sed -e "s#@DIR@#$NGDIR#g; s#@PORT@#$PORT_MS#g; s#@SOCK@#$W/mapserver.sock#g; s#@NGINX_WORKERS@#$NGINX_WORKERS#g" \
  "$BENCH/vector/nginx-fcgi.conf.in" > "$NGDIR/nginx.conf"
nginx -p "$NGDIR" -c "$NGDIR/nginx.conf" -e "$NGDIR/error.log" -g 'daemon off;' 2> "$RES/logs/nginx-mapserver.err" &
PIDS[mapserver]="$PIDS_FCGI_MS $!"

if [ "$HAVE_PYGEOAPI" = 1 ]; then
  log "starting pygeoapi: gunicorn -w $WORKERS -k gthread --threads 1 (keep-alive) on :$PORT_PYGEOAPI"
  (cd "$PGDIR" && PYGEOAPI_CONFIG=$PGDIR/config.yml PYGEOAPI_OPENAPI=$PGDIR/openapi.yml \
    exec "$PYVENV/bin/gunicorn" -w "$WORKERS" -k gthread --threads 1 --keep-alive 75 --timeout 600 --backlog 4096 \
    -b "127.0.0.1:$PORT_PYGEOAPI" pygeoapi.flask_app:APP) > "$RES/logs/pygeoapi.out" 2> "$RES/logs/pygeoapi.err" &
  PIDS[pygeoapi]=$!
fi
if [ "$HAVE_TIPG" = 1 ]; then
  # tipg's defaults but the limit cap (10,000 like the others) and the schema; uvicorn with
  # WORKERS processes (uvloop + httptools from uvicorn[standard]), no access log (ours
  # logs no request either); tipg's pool: 1-10 connections per worker (its default)
  log "starting tipg $("$TIPG_VENV/bin/python" -c 'import tipg; print(tipg.__version__)'): uvicorn --workers $WORKERS on :$PORT_PYGEOAPI"
  (cd "$W" && DATABASE_URL="postgresql://$PGUSER_NAME@127.0.0.1:$PORT_PG/bench" TIPG_DB_SCHEMAS="[\"$PG_SCHEMA\"]" \
    TIPG_MAX_FEATURES_PER_QUERY=$MAX_ITEMS TIPG_DEBUG=false \
    exec "$TIPG_VENV/bin/uvicorn" tipg.main:app --host 127.0.0.1 --port "$PORT_PYGEOAPI" --workers "$WORKERS" \
    --no-access-log --log-level warning --backlog 4096 --timeout-keep-alive 75) \
    > "$RES/logs/tipg.out" 2> "$RES/logs/tipg.err" &
  PIDS[tipg]=$!
fi
if [ "$HAVE_MARTIN" = 1 ]; then
  log "starting Martin $("$MARTIN_BIN" --version | awk '{print $2}') (worker_processes $WORKERS, cache off) on :$PORT_MARTIN"
  RUST_LOG=${MARTIN_LOG:-info} "$MARTIN_BIN" --config "$W/martin.yaml" > "$RES/logs/martin.out" 2> "$RES/logs/martin.err" &
  PIDS[martin]="$! ${PIDS[postgres]}"   # Martin's work is done by PostgreSQL backends: counted with it
fi

# a server's own processes (peak RSS); in the PostGIS mode its CPU also counts the PostgreSQL
# cluster, where its queries run (one server is loaded at a time, the others' backends idle)
declare -A OWN=()
for s in "${!PIDS[@]}"; do OWN[$s]=${PIDS[$s]}; done
OWN[martin]=${PIDS[martin]:-}; OWN[martin]=${OWN[martin]%% *}
if [ "$SOURCE" = postgis ]; then
  for s in ours mapserver tipg; do [ -n "${PIDS[$s]:-}" ] && PIDS[$s]+=" ${PIDS[postgres]}"; done
fi
declare -A BASE=([ours]="http://127.0.0.1:$PORT_OURS" [mapserver]="http://127.0.0.1:$PORT_MS"
                 [pygeoapi]="http://127.0.0.1:$PORT_PYGEOAPI" [tipg]="http://127.0.0.1:$PORT_PYGEOAPI"
                 [martin]="http://127.0.0.1:$PORT_MARTIN")
wait_http "${BASE[ours]}/ogcapi/collections" 60 || die "geocentre does not answer"
wait_http "${BASE[mapserver]}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities" 60 || die "MapServer does not answer"
curl -s "${BASE[mapserver]}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities" > "$RES/raw/capabilities_mapserver_wfs.xml"
grep -q "$DATASET.communes" "$RES/raw/capabilities_mapserver_wfs.xml" || die "MapServer WFS does not list $DATASET.communes (see $RES/raw/)"
if [ "$HAVE_PYGEOAPI" = 1 ] && ! wait_http "${BASE[pygeoapi]}/collections?f=json" 90; then
  HAVE_PYGEOAPI=0; log "WARNING: pygeoapi does not answer (see $RES/logs/pygeoapi.err): OGC API Features part skipped"
fi
if [ "$HAVE_TIPG" = 1 ]; then
  if wait_http "${BASE[tipg]}/collections?f=json" 90; then
    curl -s "${BASE[tipg]}/collections?f=json" > "$RES/raw/tipg_collections.json"
    grep -q "\"$PG_SCHEMA.communes\"" "$RES/raw/tipg_collections.json" \
      || { HAVE_TIPG=0; log "WARNING: tipg does not publish $PG_SCHEMA.communes: left out"; }
  else
    HAVE_TIPG=0; log "WARNING: tipg does not answer (see $RES/logs/tipg.err): left out"
  fi
fi
if [ "$HAVE_MS_OGCAPI" = 1 ]; then
  curl -s "${BASE[mapserver]}/mapserv/$DATASET/ogcapi/collections?f=json" > "$RES/raw/mapserver_ogcapi_collections.json" || true
  grep -q "\"$DATASET.communes\"" "$RES/raw/mapserver_ogcapi_collections.json" \
    || { HAVE_MS_OGCAPI=0; log "WARNING: MapServer's OGC API does not list $DATASET.communes (see raw/mapserver_ogcapi_collections.json): left out"; }
fi
if [ "$HAVE_MARTIN" = 1 ]; then
  if wait_http "${BASE[martin]}/catalog" 90; then
    curl -s "${BASE[martin]}/catalog" > "$RES/raw/martin_catalog.json"
    grep -q '"communes"' "$RES/raw/martin_catalog.json" || { HAVE_MARTIN=0; log "WARNING: Martin does not publish communes: MVT part skipped"; }
    grep -qi "caching is disabled" "$RES/logs/martin.err" "$RES/logs/martin.out" \
      || log "WARNING: Martin's log does not say 'Tile caching is disabled'"
  else
    HAVE_MARTIN=0; log "WARNING: Martin does not answer (see $RES/logs/martin.err): MVT part skipped"
  fi
fi

# ---------------------------------------------------------------- 9. what is measured: parts, skip rules, response check
# peers of a part (the PostGIS mode has two for OGC API Features: tipg and MapServer's OGC API)
OAPIF_ACTIVE=""
[ "$HAVE_TIPG" = 1 ] && OAPIF_ACTIVE+="tipg "
[ "$HAVE_MS_OGCAPI" = 1 ] && OAPIF_ACTIVE+="mapserver "
peers_of() {
  case $1 in
    wfs*|wms) echo mapserver ;;
    oapif*) if [ "$SOURCE" = gpkg ]; then echo pygeoapi; else echo "$OAPIF_ACTIVE"; fi ;;
    mvt) echo martin ;;
  esac
}
ACTIVE=()
declare -A PART_PEERS=()
: > "$RES/skipped.jsonl"
skip() {  # part reason
  log "SKIP $1: $2"
  printf '{"part": "%s", "reason": "%s"}\n' "$1" "$(sed 's/"/\\"/g' <<< "$2")" >> "$RES/skipped.jsonl"
}
probe() {  # server part -> HTTP code of the first corpus request
  curl -s -o /dev/null -w '%{http_code}' --max-time 300 "${BASE[$1]}$(head -1 "$W/corpus/$2_$1.txt")" || echo 000
}
for P in $PARTS; do
  case $P in wfs|oapif) subs=$(for c in $CLASSES; do printf '%s%s ' "$P" "$c"; done) ;; *) subs=$P ;; esac
  for part in $subs; do
    peers=$(peers_of "$part")
    if [ -z "${peers// /}" ]; then skip "$part" "no OGC API Features peer available (tipg, MapServer)"; continue; fi
    if [ "$peers" = pygeoapi ] && [ "$HAVE_PYGEOAPI" != 1 ]; then skip "$part" "pygeoapi unavailable"; continue; fi
    if [ "$peers" = martin ] && [ "$HAVE_MARTIN" != 1 ]; then skip "$part" "Martin unavailable"; continue; fi
    code=$(probe ours "$part")
    if [ "$code" != 200 ]; then
      skip "$part" "geocentre answers HTTP $code to the first request of the corpus ($(head -1 "$W/corpus/${part}_ours.txt" | cut -c1-90)...): route not served by this build"
      continue
    fi
    k=$CHECK_K
    case $part in *10000) k=$CHECK_K_BIG ;; esac
    ok=""
    for peer in $peers; do   # each peer checked against ours: one failing peer does not drop the others
      cf=check_$part.json
      [ "$SOURCE" = postgis ] && cf=check_${part}_$peer.json
      log "response check $part: $k requests on ours and $peer (same features / tiles / extent?)"
      if $SYSPY "$BENCH/vector/check.py" "$W/corpus/corpus.jsonl" "$part" "$RES/runs/$cf" \
          "ours=${BASE[ours]}" "$peer=${BASE[$peer]}" --k "$k" --timeout 600; then
        ok+="$peer "
      else
        skip "$part" "response check against $peer failed (see runs/$cf): the servers would not do the same work"
      fi
    done
    if [ -n "$ok" ]; then ACTIVE+=("$part"); PART_PEERS[$part]=$ok; fi
  done
done
[ ${#ACTIVE[@]} -gt 0 ] || log "WARNING: nothing to measure"
for part in "${ACTIVE[@]}"; do echo "$part ${PART_PEERS[$part]}"; done > "$RES/active.txt"

# ---------------------------------------------------------------- 10. load runs (closed loop, keep-alive)
load_run() {  # round part server conc
  local r=$1 part=$2 srv=$3 c=$4 t out dur=$DURATION corpus
  case $part in *10000) dur=$DURATION_BIG ;; esac
  t=$(( c < WORKERS ? c : WORKERS ))
  corpus=$W/corpus/${part}_${srv}.txt
  out=$RES/runs/load_${part}_${srv}_c${c}_r${r}.json
  if [ -n "$BENCH_LOCK" ]; then exec {lockfd}>"$BENCH_LOCK"; flock "$lockfd"; fi
  CORPUS=$corpus WRK_OUT=/dev/null WRK_THREADS=$t \
    wrk -t"$t" -c"$c" -d"$WARMUP" --timeout "$WRK_TIMEOUT" -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > /dev/null
  wait_idle "$srv"
  local t0 t1 m0 m1 la cc wu ws
  la=$(cut -d' ' -f1 /proc/loadavg)
  cc=$(busy_compilers)
  t0=$(cpu_ticks "$srv"); m0=$(machine_ticks)
  CORPUS=$corpus WRK_OUT=$out.wrk WRK_THREADS=$t \
    /usr/bin/time -f '%U %S' -o "$out.wrkcpu" \
    wrk -t"$t" -c"$c" -d"$dur" --timeout "$WRK_TIMEOUT" -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > "$out.txt"
  t1=$(cpu_ticks "$srv"); m1=$(machine_ticks)
  read -r wu ws < "$out.wrkcpu"
  printf '{"part":"%s","server":"%s","concurrency":%s,"round":%s,"wrk_threads":%s,"loadavg1":%s,"compilers":%s,"machine_cpu_s":%s,"server_cpu_s":%s,"wrk_cpu_s":%s,"wrk":%s}\n' \
    "$part" "$srv" "$c" "$r" "$t" "$la" "$cc" "$(awk -v a="$m0" -v b="$m1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}')" \
    "$(awk -v a="$t0" -v b="$t1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}')" \
    "$(awk -v a="$wu" -v b="$ws" 'BEGIN{printf "%.2f", a+b}')" "$(cat "$out.wrk")" > "$out"
  mv "$out.txt" "$RES/raw/"; rm -f "$out.wrk" "$out.wrkcpu"
  # requests abandoned when wrk stopped must not run into the next measurement
  wait_idle "$srv"
  if [ -n "$BENCH_LOCK" ]; then exec {lockfd}>&-; fi
  log "  $part $srv c=$c r=$r: $(sed 's/.*"rps": \([0-9.]*\).*/\1/' "$out") req/s"
}
for ((r = 1; r <= ROUNDS; r++)); do
  log "load round $r/$ROUNDS"
  for part in "${ACTIVE[@]}"; do
    for c in $CONCURRENCY; do
      # each server takes each slot in turn (2 servers: the order alternates)
      for s in $(rotate "$r" ours ${PART_PEERS[$part]}); do load_run "$r" "$part" "$s" "$c"; done
    done
  done
done

# ---------------------------------------------------------------- 11. peak RSS (VmHWM, whole run)
if [ "$SOURCE" = postgis ]; then
  # every server's own processes; the PostgreSQL cluster, shared by all, on its own line
  {
    echo "{"
    printf '"ours": {"vmhwm_kb": %s, "processes": %s, "detail": "geocentre serve"}' \
      "$(hwm_kb ${OWN[ours]})" "$(for p in ${OWN[ours]}; do tree_pids "$p"; done | wc -l)"
    ms_all=$(hwm_kb ${OWN[mapserver]}); ms_w=$(hwm_kb $PIDS_FCGI_MS)
    printf ',\n"mapserver": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": %s, "detail": "mapserv FastCGI + nginx"}' \
      "$ms_all" "$(for p in ${OWN[mapserver]}; do tree_pids "$p"; done | wc -l)" "$ms_w" "$((ms_all - ms_w))"
    if [ -n "${OWN[tipg]:-}" ]; then
      printf ',\n"tipg": {"vmhwm_kb": %s, "processes": %s, "detail": "uvicorn supervisor + workers"}' \
        "$(hwm_kb ${OWN[tipg]})" "$(tree_pids "${OWN[tipg]}" | wc -l)"
    fi
    if [ -n "${OWN[martin]:-}" ]; then
      printf ',\n"martin": {"vmhwm_kb": %s, "processes": 1, "martin_kb": %s, "postgres_kb": 0, "detail": "martin"}' \
        "$(hwm_kb "${OWN[martin]}")" "$(hwm_kb "${OWN[martin]}")"
    fi
    printf ',\n"postgres": {"vmhwm_kb": %s, "processes": %s, "detail": "PostgreSQL cluster shared by all servers (postmaster, every backend)"}' \
      "$(hwm_kb ${PIDS[postgres]})" "$(tree_pids "${PIDS[postgres]}" | wc -l)"
    echo
    echo "}"
  } > "$RES/server_rss.json"
  # connections to the cluster at the end, by application_name (where the client sets one)
  "${PSQL[@]}" -d bench -tAc "SELECT coalesce(nullif(application_name, ''), '?') || ' ' || count(*) FROM pg_stat_activity WHERE datname = 'bench' GROUP BY 1" \
    > "$RES/logs/pg_connections.txt" 2>&1 || true
else
{
  echo "{"
  printf '"ours": {"vmhwm_kb": %s, "processes": %s, "detail": "geocentre serve"}' \
    "$(hwm_kb ${PIDS[ours]})" "$(server_pids ours | wc -l)"
  ms_all=$(hwm_kb ${PIDS[mapserver]}); ms_w=$(hwm_kb $PIDS_FCGI_MS)
  printf ',\n"mapserver": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": %s, "detail": "mapserv FastCGI + nginx"}' \
    "$ms_all" "$(server_pids mapserver | wc -l)" "$ms_w" "$((ms_all - ms_w))"
  if [ -n "${PIDS[pygeoapi]:-}" ]; then
    printf ',\n"pygeoapi": {"vmhwm_kb": %s, "processes": %s, "detail": "gunicorn master + workers"}' \
      "$(hwm_kb ${PIDS[pygeoapi]})" "$(server_pids pygeoapi | wc -l)"
  fi
  if [ -n "${PIDS[martin]:-}" ]; then
    m_only=$(hwm_kb "${PIDS[martin]%% *}"); pg_only=$(hwm_kb ${PIDS[postgres]})
    printf ',\n"martin": {"vmhwm_kb": %s, "processes": %s, "martin_kb": %s, "postgres_kb": %s, "detail": "martin + PostgreSQL cluster (postmaster, backends)"}' \
      "$((m_only + pg_only))" "$(server_pids martin | wc -l)" "$m_only" "$pg_only"
  fi
  echo
  echo "}"
} > "$RES/server_rss.json"
fi
for s in ours mapserver pygeoapi tipg martin; do
  for p in ${PIDS[$s]:-}; do [ -d "/proc/$p" ] || log "WARNING: $s process $p died during the run"; done
done
[ "$(ro_sha)" = "$GPKG_SHA0" ] || log "WARNING: the GeoPackage changed during the run"
sed -i "s/\"loadavg_start\"/\"loadavg_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\",\n\"compilers_end\": $(busy_compilers),\n\"loadavg_start\"/" "$RES/machine.json"
cp "$MSDIR/ms_error.log" "$RES/logs/" 2>/dev/null || true
cp "$NGDIR/error.log" "$RES/logs/nginx-mapserver.error.log" 2>/dev/null || true
cp "$W/pg/postgres.log" "$RES/logs/postgres.log" 2>/dev/null || true

cleanup
trap - EXIT

# ---------------------------------------------------------------- 12. report
args=("$RES")
[ "$UPDATE_DOCS" = 1 ] && args+=(--docs "$ROOT/docs/benchmarks.md")
$SYSPY "$BENCH/vector/report.py" "${args[@]}"
log "results in ${RES#$ROOT/}/ (summary.md)"
