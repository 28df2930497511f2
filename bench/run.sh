#!/usr/bin/env bash
# geocentre benchmark: our server and its peers side by side, same data, one run.
# See bench/README.md.  Usage:  bash bench/run.sh   (or: make bench)
#
# Knobs (environment):
#   DURATION=10s     measured time of each load run (wrk -d)
#   WARMUP=2s        unmeasured wrk run before each measured one
#   ROUNDS=3         serve rounds (server order rotates; medians reported)
#   INGEST_ROUNDS=3  ingest rounds (median reported)
#   CONCURRENCY="1 4 16"
#   WORKERS=2        nginx worker_processes = uvicorn --workers = TOKIO_WORKER_THREADS
#   CORPUS_N=2000 CORPUS_SEED=20240601   request corpus size and seed
#   DALLE_COLS=6 DALLE_ROWS=4            24 dalles of 4000x4000 RGB = 1.15 GB
#   GEOCENTRE_BIN=target/release/geocentre
#   BUILD=1          run `cargo build --release` first (0: use the binary as is)
#   PEERS_ONLY=0     1: dry run without geocentre (peers serve GDAL-made COGs;
#                    docs/benchmarks.md is not touched)
#   SKIP_INSTALL=0   1: do not apt-get / pip install
#   UPDATE_DOCS=1    regenerate the tables in docs/benchmarks.md
# All traffic is on 127.0.0.1; every load run is bounded by -d.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=${BENCH_WORK:-$BENCH/work}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
INGEST_ROUNDS=${INGEST_ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 4 16"}
WORKERS=${WORKERS:-2}
CORPUS_N=${CORPUS_N:-2000}
CORPUS_SEED=${CORPUS_SEED:-20240601}
DALLE_COLS=${DALLE_COLS:-6}
DALLE_ROWS=${DALLE_ROWS:-4}
GEOCENTRE=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
BUILD=${BUILD:-1}
PEERS_ONLY=${PEERS_ONLY:-0}
SKIP_INSTALL=${SKIP_INSTALL:-0}
if [ "$PEERS_ONLY" = 1 ]; then UPDATE_DOCS=${UPDATE_DOCS:-0}; else UPDATE_DOCS=${UPDATE_DOCS:-1}; fi
LAYER=ortho
VINTAGE=2024
PORT_OURS=${PORT_OURS:-18081}
PORT_NGINX=${PORT_NGINX:-18082}
PORT_TT=${PORT_TT:-18083}
PORT_OURS_NC=${PORT_OURS_NC:-18084}
NOCACHE=${NOCACHE:-1}   # also run a second geocentre with its tile caches off (Web Mercator corpus)
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
[ "$PEERS_ONLY" = 1 ] && STAMP="$STAMP-dryrun"
RES=${RESULTS_DIR:-$BENCH/results/$STAMP}
SRC_TIF=${SRC_TIF:-$ROOT/data/ortho/ign-ortho-rvb-0m20-lamb93.tif}
PY=$BENCH/.venv/bin/python
SYSPY=/usr/bin/python3   # Debian python with python3-gdal

BENCH_TAG=bench
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

mkdir -p "$WORK" "$RES/runs" "$RES/logs"
ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------- 1. install
install_deps() {
  local pkgs=(nginx-light wrk gdal-bin python3-gdal python3-numpy python3-venv curl time procps)
  local missing=()
  for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
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
if [ "$SKIP_INSTALL" != 1 ]; then install_deps; fi
command -v wrk >/dev/null || die "wrk missing"
command -v nginx >/dev/null || die "nginx missing"

# ---------------------------------------------------------------- 2. build
if [ "$PEERS_ONLY" != 1 ]; then
  if [ "$BUILD" = 1 ]; then
    log "cargo build --release"
    (cd "$ROOT" && cargo build --release)
  fi
  [ -x "$GEOCENTRE" ] || die "no geocentre binary at $GEOCENTRE (cargo build --release)"
fi

# ---------------------------------------------------------------- 3. data + corpus
[ -f "$SRC_TIF" ] || die "source tile missing: $SRC_TIF"
log "deriving dalles under $WORK/dalles (cached)"
$SYSPY "$BENCH/lib/make_dalles.py" "$SRC_TIF" "$WORK/dalles" --cols "$DALLE_COLS" --rows "$DALLE_ROWS" >&2
mapfile -t DALLES < <($SYSPY -c 'import json,sys,os; m=json.load(open(sys.argv[1])); print("\n".join(os.path.join(os.path.dirname(sys.argv[1]),n) for n in m["dalles"]))' "$WORK/dalles/manifest.json")
cp "$WORK/dalles/manifest.json" "$RES/dalles.json"
"$PY" "$BENCH/lib/corpus.py" "$WORK/dalles/manifest.json" "$WORK/corpus" --seed "$CORPUS_SEED" --n "$CORPUS_N" --layer "$LAYER" > "$RES/corpus.json"

# ---------------------------------------------------------------- 4. machine notes
{
  echo "{"
  echo "\"stamp\": \"$STAMP\","
  echo "\"command\": \"$(printf '%q ' "$0" | sed 's/ $//; s#'"$ROOT"'/##')\","
  echo "\"knobs\": \"DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS INGEST_ROUNDS=$INGEST_ROUNDS CONCURRENCY='$CONCURRENCY' WORKERS=$WORKERS CORPUS_N=$CORPUS_N CORPUS_SEED=$CORPUS_SEED NOCACHE=$NOCACHE PEERS_ONLY=$PEERS_ONLY\","
  machine_json_common
  echo "\"python_peer\": \"$("$PY" -c 'import importlib.metadata as m; print(" ".join(f"{p}=={m.version(p)}" for p in ["titiler.core","rio-tiler","morecantile","rasterio","uvicorn","fastapi","uvloop","httptools"]))')\","
  echo "\"geocentre_git\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo '+dirty')\""
  echo "}"
} > "$RES/machine.json"

# ---------------------------------------------------------------- helpers
time_kv() {  # parse /usr/bin/time -v output -> "wall_s max_rss_kb"
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
              /Maximum resident set size/{r=$2} END{printf "%s %s\n", w, r}' "$1"
}

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    kill "${PIDS[$name]}" 2>/dev/null || true
  done
  sleep 0.5
}
trap cleanup EXIT

# ---------------------------------------------------------------- 5. ingest
drop_to_cache() { cat "${DALLES[@]}" > /dev/null; }  # same warm page cache for every contender
GDAL_OUT=$WORK/gdalcog
GC_DATA=$WORK/gc-data
ingest_round() {
  local r=$1 order=$2 who
  for who in $order; do
    drop_to_cache
    case $who in
      ours)
        log "ingest round $r: geocentre ortho ingest (${#DALLES[@]} dalles)"
        rm -rf "$GC_DATA"; sync
        local rc=0
        /usr/bin/time -v -o "$RES/logs/ingest_ours_$r.time" \
          "$GEOCENTRE" --data-dir "$GC_DATA" ortho ingest --layer "$LAYER" --vintage "$VINTAGE" --json "${DALLES[@]}" \
          > "$RES/logs/ingest_ours_$r.out" 2> "$RES/logs/ingest_ours_$r.err" || rc=$?
        read -r wall rss < <(time_kv "$RES/logs/ingest_ours_$r.time")
        local bytes files
        bytes=$(du -sb "$GC_DATA/objects" 2>/dev/null | cut -f1); files=$(find "$GC_DATA/objects" -name '*.tif' 2>/dev/null | wc -l)
        printf '{"who":"ours","round":%s,"rc":%s,"wall_s":%s,"peak_rss_kb":%s,"out_bytes":%s,"out_files":%s}\n' \
          "$r" "$rc" "$wall" "$rss" "${bytes:-0}" "$files" > "$RES/runs/ingest_ours_$r.json"
        [ "$rc" = 0 ] || log "WARNING: geocentre ingest exited $rc (see $RES/logs/ingest_ours_$r.err)"
        ;;
      gdal_cog)
        log "ingest round $r: gdal_translate -of COG per dalle, xargs -P$WORKERS"
        rm -rf "$GDAL_OUT"; mkdir -p "$GDAL_OUT" "$RES/logs/gdal_$r"; sync
        local t0 t1
        t0=$(date +%s.%N)
        printf '%s\n' "${DALLES[@]}" | xargs -P"$WORKERS" -I{} sh -c \
          'f="$1"; b=$(basename "$f" .tif); /usr/bin/time -f "%e %M" -o "$2/$b.time" gdal_translate -q -of COG -co COMPRESS=JPEG -co QUALITY=85 -co BLOCKSIZE=256 "$f" "$3/$b.tif"' \
          _ {} "$RES/logs/gdal_$r" "$GDAL_OUT"
        t1=$(date +%s.%N)
        # peak RSS: largest single process, and the sum of the WORKERS largest (upper bound of concurrent use)
        local top topn
        top=$(cat "$RES/logs/gdal_$r"/*.time | awk '{print $2}' | sort -n | tail -1)
        topn=$(cat "$RES/logs/gdal_$r"/*.time | awk '{print $2}' | sort -n | tail -"$WORKERS" | awk '{s+=$1} END{print s}')
        printf '{"who":"gdal_cog","round":%s,"rc":0,"wall_s":%s,"peak_rss_kb":%s,"peak_rss_concurrent_kb":%s,"out_bytes":%s,"out_files":%s}\n' \
          "$r" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" "$top" "$topn" "$(du -sb "$GDAL_OUT" | cut -f1)" "$(ls "$GDAL_OUT" | wc -l)" > "$RES/runs/ingest_gdal_cog_$r.json"
        ;;
      gdal_vrt)
        log "ingest round $r: gdalbuildvrt + gdal_translate -of COG NUM_THREADS=$WORKERS (one mosaic COG)"
        rm -rf "$WORK/gdalvrt"; mkdir -p "$WORK/gdalvrt"; sync
        /usr/bin/time -v -o "$RES/logs/ingest_gdal_vrt_$r.time" sh -c \
          'd=$1; shift; gdalbuildvrt -q "$d/mosaic.vrt" "$@"' _ "$WORK/gdalvrt" "${DALLES[@]}"
        local vt=$RES/logs/ingest_gdal_vrt_$r.time
        read -r w1 r1 < <(time_kv "$vt")
        /usr/bin/time -v -o "$vt.2" gdal_translate -q -of COG -co COMPRESS=JPEG -co QUALITY=85 -co BLOCKSIZE=256 \
          -co NUM_THREADS="$WORKERS" "$WORK/gdalvrt/mosaic.vrt" "$WORK/gdalvrt/mosaic.tif"
        read -r w2 r2 < <(time_kv "$vt.2")
        printf '{"who":"gdal_vrt","round":%s,"rc":0,"wall_s":%s,"peak_rss_kb":%s,"out_bytes":%s,"out_files":1}\n' \
          "$r" "$(awk -v a="$w1" -v b="$w2" 'BEGIN{printf "%.2f", a+b}')" "$(( r1 > r2 ? r1 : r2 ))" "$(stat -c %s "$WORK/gdalvrt/mosaic.tif")" > "$RES/runs/ingest_gdal_vrt_$r.json"
        rm -rf "$WORK/gdalvrt"
        ;;
    esac
  done
}
CONTENDERS="gdal_cog gdal_vrt"
[ "$PEERS_ONLY" = 1 ] || CONTENDERS="ours gdal_cog gdal_vrt"
for ((r = 1; r <= INGEST_ROUNDS; r++)); do
  # rotate the order each round
  set -- $CONTENDERS
  order="$*"
  for ((k = 1; k < r; k++)); do set -- $order; order="${*:2} $1"; done
  ingest_round "$r" "$order"
done

# ---------------------------------------------------------------- 6. servers
for p in $PORT_OURS $PORT_NGINX $PORT_TT $PORT_OURS_NC; do port_free "$p" || die "port $p is busy"; done
if [ "$PEERS_ONLY" = 1 ]; then
  COG_ROOT=$GDAL_OUT
else
  COG_ROOT=$(find "$GC_DATA/objects/ortho/$LAYER/$VINTAGE" -maxdepth 1 -type d -name 'g*' 2>/dev/null | sort | tail -1 || true)
  [ -n "$COG_ROOT" ] || die "no ingest output under $GC_DATA/objects/ortho/$LAYER/$VINTAGE"
  log "starting geocentre (TOKIO_WORKER_THREADS=$WORKERS) on :$PORT_OURS"
  TOKIO_WORKER_THREADS=$WORKERS "$GEOCENTRE" --data-dir "$GC_DATA" serve --bind "127.0.0.1:$PORT_OURS" \
    > "$RES/logs/geocentre.out" 2> "$RES/logs/geocentre.err" &
  PIDS[ours]=$!
  for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/geocentre.out" && break; sleep 0.1; done
  grep -q 'listening on' "$RES/logs/geocentre.out" || die "geocentre did not print 'listening on' (see $RES/logs/)"
  if [ "$NOCACHE" = 1 ]; then
    # same binary and data, decoded/rendered tile caches off: every Web Mercator
    # tile is rendered from the COGs, as TiTiler (which has no tile cache) does.
    printf '[tiles]\ndecoded_cache_mb = 0\nrendered_cache_mb = 0\n' > "$WORK/nocache.toml"
    cp "$WORK/nocache.toml" "$RES/logs/"
    log "starting geocentre with tile caches off on :$PORT_OURS_NC"
    TOKIO_WORKER_THREADS=$WORKERS "$GEOCENTRE" --data-dir "$GC_DATA" --config "$WORK/nocache.toml" serve \
      --bind "127.0.0.1:$PORT_OURS_NC" > "$RES/logs/geocentre_nocache.out" 2> "$RES/logs/geocentre_nocache.err" &
    PIDS[ours_nocache]=$!
    for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/geocentre_nocache.out" && break; sleep 0.1; done
    grep -q 'listening on' "$RES/logs/geocentre_nocache.out" || die "geocentre (caches off) did not start (see $RES/logs/)"
  fi
fi
echo "$COG_ROOT" > "$RES/cog_root.txt"

log "starting TiTiler (uvicorn --workers $WORKERS) on :$PORT_TT over $COG_ROOT"
(cd "$BENCH" && BENCH_COG_ROOT=$COG_ROOT GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR \
  exec "$BENCH/.venv/bin/uvicorn" --app-dir "$BENCH" titiler_app:app --host 127.0.0.1 --port "$PORT_TT" \
  --workers "$WORKERS" --no-access-log --log-level warning > "$RES/logs/titiler.log" 2>&1) &
PIDS[titiler]=$!
wait_http "http://127.0.0.1:$PORT_TT/health" 90 || die "TiTiler did not start (see $RES/logs/titiler.log)"

# static tiles for nginx: every tile of the native corpus, fetched once from our server
# (dry run: from TiTiler), stored under the same URL path as ours.
STATIC=$WORK/static
rm -rf "$STATIC"; mkdir -p "$STATIC"
fetch_static() {
  local base=$1 mapfile_=$2
  awk -v base="$base" -v dir="$STATIC" '{printf "url = \"%s%s\"\noutput = \"%s%s\"\n", base, $1, dir, $2}' "$mapfile_" > "$WORK/static.curlrc"
  curl -s --create-dirs -K "$WORK/static.curlrc" -w '%{http_code}\n' | sort | uniq -c > "$RES/logs/static_fetch_codes.txt"
}
if [ "$PEERS_ONLY" = 1 ]; then
  paste -d' ' "$WORK/corpus/native_titiler.txt" "$WORK/corpus/native_ours.txt" | sort -u > "$WORK/static.map"
  fetch_static "http://127.0.0.1:$PORT_TT" "$WORK/static.map"
else
  paste -d' ' "$WORK/corpus/native_ours.txt" "$WORK/corpus/native_ours.txt" | sort -u > "$WORK/static.map"
  fetch_static "http://127.0.0.1:$PORT_OURS" "$WORK/static.map"
fi
chmod -R a+rX "$STATIC"   # curl --create-dirs makes 0750 dirs; nginx workers run as nobody
log "static tiles: $(find "$STATIC" -type f | wc -l) files, $(du -sh "$STATIC" | cut -f1); codes: $(tr -s ' \n' ' ' < "$RES/logs/static_fetch_codes.txt")"

mkdir -p "$WORK/nginx/tmp"
sed -e "s#@WORK@#$WORK#g; s#@STATIC@#$STATIC#g; s#@PORT@#$PORT_NGINX#g; s#@WORKERS@#$WORKERS#g" \
  "$BENCH/lib/nginx.conf.in" > "$WORK/nginx/nginx.conf"
log "starting nginx (worker_processes $WORKERS) on :$PORT_NGINX"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' 2> "$RES/logs/nginx.err" &
PIDS[nginx]=$!
wait_http "http://127.0.0.1:$PORT_NGINX/" 20 || die "nginx did not start"

# which server answers which corpus
declare -A BASE=([ours]="http://127.0.0.1:$PORT_OURS" [ours_nocache]="http://127.0.0.1:$PORT_OURS_NC" [nginx]="http://127.0.0.1:$PORT_NGINX" [titiler]="http://127.0.0.1:$PORT_TT")
declare -A CORPUS=(
  [native.ours]=native_ours [native.nginx]=native_ours [native.titiler]=native_titiler
  [webmerc.ours]=webmerc_ours [webmerc.ours_nocache]=webmerc_ours [webmerc.titiler]=webmerc_titiler)
if [ "$PEERS_ONLY" = 1 ]; then
  SERVERS_NATIVE="nginx titiler"; SERVERS_WM="titiler"
else
  SERVERS_NATIVE="ours nginx titiler"; SERVERS_WM="ours titiler"
  [ "$NOCACHE" = 1 ] && SERVERS_WM="ours ours_nocache titiler"
fi

# validation + warm-up pass: every unique URL once, status codes and sizes recorded
validate() {  # kind server
  local kind=$1 srv=$2 f=$WORK/corpus/${CORPUS[$1.$2]}.txt
  sort -u "$f" | awk -v base="${BASE[$srv]}" '{printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $1}' > "$WORK/validate.curlrc"
  curl -s -K "$WORK/validate.curlrc" -w '%{http_code} %{size_download} %{content_type}\n' \
    | awk -v k="$kind" -v s="$srv" '{n[$1]++; if ($1 == 200) {b += $2; ok++; if ($3 !~ /image\/jpeg/) nj++}}
        END{printf "{\"corpus\":\"%s\",\"server\":\"%s\",\"codes\":{", k, s; sep="";
            for (c in n) {printf "%s\"%s\":%d", sep, c, n[c]; sep=","}
            printf "},\"mean_bytes_200\":%.0f,\"non_jpeg_200\":%d}\n", (ok ? b/ok : 0), nj+0}' \
    > "$RES/runs/validate_${kind}_$srv.json"
  log "validate $kind/$srv: $(cat "$RES/runs/validate_${kind}_$srv.json")"
}
for s in $SERVERS_NATIVE; do validate native "$s"; done
for s in $SERVERS_WM; do validate webmerc "$s"; done

# ---------------------------------------------------------------- 7. load runs
load_run() {  # round kind server conc
  local r=$1 kind=$2 srv=$3 c=$4 t pid out
  t=$(( c < WORKERS ? c : WORKERS ))
  pid=${PIDS[$srv]}
  out=$RES/runs/load_${kind}_${srv}_c${c}_r${r}.json
  CORPUS=$WORK/corpus/${CORPUS[$kind.$srv]}.txt WRK_OUT=/dev/null WRK_THREADS=$t \
    wrk -t"$t" -c"$c" -d"$WARMUP" --timeout 30s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > /dev/null
  local t0 t1 la
  la=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(cpu_ticks "$srv")
  CORPUS=$WORK/corpus/${CORPUS[$kind.$srv]}.txt WRK_OUT=$out.wrk WRK_THREADS=$t \
    /usr/bin/time -f '%U %S' -o "$out.wrkcpu" \
    wrk -t"$t" -c"$c" -d"$DURATION" --timeout 30s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > "$out.txt"
  t1=$(cpu_ticks "$srv")
  read -r wu ws < "$out.wrkcpu"
  printf '{"corpus":"%s","server":"%s","concurrency":%s,"round":%s,"wrk_threads":%s,"loadavg1":%s,"server_cpu_s":%s,"wrk_cpu_s":%s,"wrk":%s}\n' \
    "$kind" "$srv" "$c" "$r" "$t" "$la" "$(awk -v a="$t0" -v b="$t1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}')" "$(awk -v a="$wu" -v b="$ws" 'BEGIN{printf "%.2f", a+b}')" "$(cat "$out.wrk")" > "$out"
  rm -f "$out.wrk" "$out.wrkcpu"
  log "  $kind $srv c=$c r=$r: $(awk '/Requests\/sec/{print $2}' "$out.txt") req/s"
}
for ((r = 1; r <= ROUNDS; r++)); do
  log "serve round $r/$ROUNDS"
  for c in $CONCURRENCY; do
    for s in $(rotate "$r" $SERVERS_NATIVE); do load_run "$r" native "$s" "$c"; done
    for s in $(rotate "$r" $SERVERS_WM); do load_run "$r" webmerc "$s" "$c"; done
  done
done

# ---------------------------------------------------------------- 8. peak RSS of the servers
{
  echo "{"
  sep=""
  for name in "${!PIDS[@]}"; do
    printf '%s"%s": {"vmhwm_kb": %s, "processes": %s}' "$sep" "$name" "$(hwm_kb "${PIDS[$name]}")" "$(tree_pids "${PIDS[$name]}" | wc -l)"
    sep=$',\n'
  done
  echo; echo "}"
} > "$RES/server_rss.json"
sed -i "s/\"loadavg_start\"/\"loadavg_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\",\n\"loadavg_start\"/" "$RES/machine.json"

cleanup
trap - EXIT
PIDS=()

# ---------------------------------------------------------------- 9. report
args=("$RES")
[ "$UPDATE_DOCS" = 1 ] && args+=(--docs "$ROOT/docs/benchmarks.md")
$SYSPY "$BENCH/lib/report.py" "${args[@]}"
log "results in ${RES#$ROOT/}/ (summary.md)"
