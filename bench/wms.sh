#!/usr/bin/env bash
# WMS GetMap benchmark: geocentre, MapServer 8 (FastCGI) and QGIS Server 3.22
# (FastCGI) side by side, same COGs, same request corpus, one run.
# See bench/README.md ("WMS GetMap").  Usage:  bash bench/wms.sh   (or: make bench-wms)
#
# Knobs (environment):
#   DURATION=10s       measured time of each load run (wrk -d)
#   WARMUP=2s          unmeasured wrk run before each measured one
#   ROUNDS=3           load rounds (server order rotates; medians reported)
#   CONCURRENCY="1 4 16"
#   WORKERS=2          FastCGI processes of MapServer = of QGIS Server = TOKIO_WORKER_THREADS
#   NGINX_WORKERS=1    worker_processes of each peer's nginx front
#   CORPUS_N=400 CORPUS_SEED=20240601   GetMap corpus (bench/wms/wms_corpus.py)
#   INSPIRE_RATE=20 INSPIRE_DURATION=30 INSPIRE_WARM=1   open-loop INSPIRE floor
#   COG_COMPRESS=JPEG  COGs for the peers: JPEG (QUALITY=85, YCbCr) or DEFLATE
#   MS_SOURCE=vrt      MapServer reads the VRT (vrt) or a gdaltindex tile index (tindex)
#   GEOCENTRE_BIN=target/release/geocentre
#   OURS_ALT_CONFIG=   a geocentre TOML: also run a second geocentre ("ours_alt", port
#                      18094) with that configuration, e.g. a larger decoded-tile cache
#   BUILD=0            1: cargo build --release first
#   SKIP_INSTALL=0     1: do not apt-get install
#   UPDATE_DOCS=1      regenerate the bench-wms section of docs/benchmarks.md
# All traffic is on 127.0.0.1 (ports 18091 ours, 18092 MapServer, 18093 QGIS Server);
# every load run is bounded by -d, the open-loop run by its duration + timeout.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=${BENCH_WORK:-$BENCH/work}
W=$WORK/wms
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 4 16"}
WORKERS=${WORKERS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
CORPUS_N=${CORPUS_N:-400}
CORPUS_SEED=${CORPUS_SEED:-20240601}
INSPIRE_RATE=${INSPIRE_RATE:-20}
INSPIRE_DURATION=${INSPIRE_DURATION:-30}
INSPIRE_WARM=${INSPIRE_WARM:-1}
COG_COMPRESS=${COG_COMPRESS:-JPEG}
MS_SOURCE=${MS_SOURCE:-vrt}
DALLE_COLS=${DALLE_COLS:-6}
DALLE_ROWS=${DALLE_ROWS:-4}
GEOCENTRE=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
BUILD=${BUILD:-0}
SKIP_INSTALL=${SKIP_INSTALL:-0}
UPDATE_DOCS=${UPDATE_DOCS:-1}
LAYER=ortho
VINTAGE=2024
QUALITY=85   # geocentre's tiles.jpeg_quality default; given to MapServer and QGIS Server too
PORT_OURS=${PORT_OURS:-18091}
PORT_MS=${PORT_MS:-18092}
PORT_QGIS=${PORT_QGIS:-18093}
PORT_OURS_ALT=${PORT_OURS_ALT:-18094}
OURS_ALT_CONFIG=${OURS_ALT_CONFIG:-}
[ -z "$OURS_ALT_CONFIG" ] || [ -f "$OURS_ALT_CONFIG" ] || { echo "OURS_ALT_CONFIG: no file $OURS_ALT_CONFIG" >&2; exit 1; }
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RES=${RESULTS_DIR:-$BENCH/results/$STAMP-wms}
SRC_TIF=${SRC_TIF:-$ROOT/data/ortho/ign-ortho-rvb-0m20-lamb93.tif}
SYSPY=/usr/bin/python3   # Debian python: python3-gdal, python3-numpy, python3-qgis
MAPSERV=/usr/lib/cgi-bin/mapserv
QGISSERV=/usr/lib/cgi-bin/qgis_mapserv.fcgi

BENCH_TAG=bench-wms
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

mkdir -p "$W" "$RES/runs" "$RES/logs" "$RES/raw"
ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------- 1. install
install_deps() {
  local pkgs=(nginx-light wrk gdal-bin python3-gdal python3-numpy cgi-mapserver mapserver-bin
              qgis-server python3-qgis spawn-fcgi curl time procps)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
if [ "$SKIP_INSTALL" != 1 ]; then install_deps; fi
for t in wrk nginx spawn-fcgi gdal_translate gdalbuildvrt gdaltindex; do
  command -v "$t" >/dev/null || die "$t missing"
done
[ -x "$MAPSERV" ] || die "$MAPSERV missing (apt-get install cgi-mapserver)"
[ -x "$QGISSERV" ] || die "$QGISSERV missing (apt-get install qgis-server)"

# ---------------------------------------------------------------- 2. binary
if [ "$BUILD" = 1 ]; then
  log "cargo build --release"
  (cd "$ROOT" && cargo build --release)
fi
[ -x "$GEOCENTRE" ] || die "no geocentre binary at $GEOCENTRE (set GEOCENTRE_BIN, or BUILD=1)"
# a private copy: a rebuild during the run must not change the binary under test
mkdir -p "$W/bin"
cp "$GEOCENTRE" "$W/bin/geocentre.tmp" && mv "$W/bin/geocentre.tmp" "$W/bin/geocentre"
GC=$W/bin/geocentre

# ---------------------------------------------------------------- 3. data: dalles, COGs, VRT, tile index
[ -f "$SRC_TIF" ] || die "source tile missing: $SRC_TIF"
log "deriving dalles under $WORK/dalles (cached)"
$SYSPY "$BENCH/lib/make_dalles.py" "$SRC_TIF" "$WORK/dalles" --cols "$DALLE_COLS" --rows "$DALLE_ROWS" >&2
mapfile -t DALLES < <($SYSPY -c 'import json,sys,os; m=json.load(open(sys.argv[1])); print("\n".join(os.path.join(os.path.dirname(sys.argv[1]),n) for n in m["dalles"]))' "$WORK/dalles/manifest.json")
cp "$WORK/dalles/manifest.json" "$RES/dalles.json"
EXTENT=$($SYSPY -c 'import json,sys; print(" ".join(str(v) for v in json.load(open(sys.argv[1]))["extent"]))' "$WORK/dalles/manifest.json")

case $COG_COMPRESS in
  JPEG) COG_OPTS="-co COMPRESS=JPEG -co QUALITY=$QUALITY -co BLOCKSIZE=256" ;;
  DEFLATE) COG_OPTS="-co COMPRESS=DEFLATE -co PREDICTOR=2 -co BLOCKSIZE=256" ;;
  *) die "COG_COMPRESS must be JPEG or DEFLATE" ;;
esac
COGDIR=$W/cog-$COG_COMPRESS
mkdir -p "$COGDIR"
if [ "$(cat "$COGDIR/.opts" 2>/dev/null)" != "$COG_OPTS" ]; then rm -f "$COGDIR"/*.tif; fi
log "COGs for the peers: gdal_translate -of COG $COG_OPTS (cached in ${COGDIR#$ROOT/})"
printf '%s\n' "${DALLES[@]}" | xargs -P"$WORKERS" -I{} sh -c \
  'b=$(basename "$1"); [ -s "$2/$b" ] || { gdal_translate -q -of COG $3 "$1" "$2/$b.part" && mv "$2/$b.part" "$2/$b"; }' \
  _ {} "$COGDIR" "$COG_OPTS"
echo "$COG_OPTS" > "$COGDIR/.opts"
COGS=()
for d in "${DALLES[@]}"; do COGS+=("$COGDIR/$(basename "$d")"); done
gdalbuildvrt -q -overwrite "$COGDIR/mosaic.vrt" "${COGS[@]}"
rm -f "$COGDIR"/tindex.{shp,shx,dbf,prj,cpg}
gdaltindex -write_absolute_path "$COGDIR/tindex.shp" "${COGS[@]}" >/dev/null
chmod -R a+rX "$W"

# ---------------------------------------------------------------- 4. corpus
$SYSPY "$BENCH/wms/wms_corpus.py" "$WORK/dalles/manifest.json" "$W/corpus" --seed "$CORPUS_SEED" --n "$CORPUS_N" \
  --inspire-n "$(awk -v r="$INSPIRE_RATE" -v d="$INSPIRE_DURATION" 'BEGIN{printf "%d", r*d}')" --layer "$LAYER" > "$RES/corpus.json"
cp "$W/corpus/getmap.txt" "$W/corpus/inspire.txt" "$RES/raw/"

# ---------------------------------------------------------------- 5. machine notes
{
  echo "{"
  echo "\"stamp\": \"$STAMP\","
  echo "\"knobs\": \"DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS CONCURRENCY='$CONCURRENCY' WORKERS=$WORKERS NGINX_WORKERS=$NGINX_WORKERS CORPUS_N=$CORPUS_N CORPUS_SEED=$CORPUS_SEED INSPIRE_RATE=$INSPIRE_RATE INSPIRE_DURATION=$INSPIRE_DURATION COG_COMPRESS=$COG_COMPRESS MS_SOURCE=$MS_SOURCE${OURS_ALT_CONFIG:+ OURS_ALT_CONFIG=$(basename "$OURS_ALT_CONFIG")}\","
  machine_json_common
  echo "\"mapserver\": \"$(dpkg-query -W -f '${Version}' cgi-mapserver)\","
  echo "\"mapserver_v\": \"$("$MAPSERV" -v 2>/dev/null | head -1 | cut -c1-60)\","
  echo "\"qgis_server\": \"$(dpkg-query -W -f '${Version}' qgis-server-bin 2>/dev/null || dpkg-query -W -f '${Version}' qgis-server)\","
  echo "\"spawn_fcgi\": \"$(dpkg-query -W -f '${Version}' spawn-fcgi)\","
  echo "\"geocentre_bin\": \"$GEOCENTRE\","
  echo "\"geocentre_sha256\": \"$(sha256sum "$GC" | cut -c1-16)\","
  echo "\"geocentre_version\": \"$("$GC" --version 2>/dev/null | head -1)\","
  echo "\"geocentre_git\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)$(cd "$ROOT" && git diff --quiet HEAD -- crates Cargo.toml Cargo.lock 2>/dev/null || echo '+dirty')\""
  echo "}"
} > "$RES/machine.json"

# ---------------------------------------------------------------- helpers
cleanup() {
  local name all=()
  for name in "${!PIDS[@]}"; do all+=(${PIDS[$name]}); done
  [ ${#all[@]} -gt 0 ] && stop_pids "${all[@]}"
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- 6. ours: ingest the same dalles
GC_DATA=$W/gc-data
log "geocentre ortho ingest of the ${#DALLES[@]} dalles into ${GC_DATA#$ROOT/}"
rm -rf "$GC_DATA"
rc=0
/usr/bin/time -v -o "$RES/logs/ingest_ours.time" \
  "$GC" --data-dir "$GC_DATA" ortho ingest --layer "$LAYER" --vintage "$VINTAGE" --json "${DALLES[@]}" \
  > "$RES/logs/ingest_ours.out" 2> "$RES/logs/ingest_ours.err" || rc=$?
[ "$rc" = 0 ] || die "geocentre ingest exited $rc (see $RES/logs/ingest_ours.err)"

# ---------------------------------------------------------------- 7. peers' configuration
MSDIR=$W/mapserver
mkdir -p "$MSDIR"
if [ "$MS_SOURCE" = tindex ]; then
  MS_DATA="    TILEINDEX \"$COGDIR/tindex.shp\"\n    TILEITEM \"location\""
  MS_KIND="gdaltindex tile index of the COGs"
else
  MS_DATA="    DATA \"$COGDIR/mosaic.vrt\""
  MS_KIND="VRT over the COGs"
fi
sed -e "s#@EXTENT@#$EXTENT#; s#@QUALITY@#$QUALITY#g; s#@ERRORFILE@#$MSDIR/ms_error.log#; s#@PORT@#$PORT_MS#; s#@LAYER@#$LAYER#g; s#@DATA_KIND@#$MS_KIND#; s#@DATA@#$MS_DATA#" \
  "$BENCH/wms/mapserver.map.in" > "$MSDIR/bench.map"
sed -e "s#@MAPFILE@#$MSDIR/bench.map#; s#@MAPDIR@#$MSDIR#" "$BENCH/wms/mapserver.conf.in" > "$MSDIR/mapserver.conf"
: > "$MSDIR/ms_error.log"; chmod a+rw "$MSDIR/ms_error.log"
cp "$MSDIR/bench.map" "$MSDIR/mapserver.conf" "$RES/logs/"

QDIR=$W/qgis
rm -rf "$QDIR"; mkdir -p "$QDIR/home"
# shellcheck disable=SC2086
HOME=$QDIR/home QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$QDIR/home \
  $SYSPY "$BENCH/wms/make_qgs.py" "$COGDIR/mosaic.vrt" "$QDIR/bench.qgs" --extent $EXTENT --layer "$LAYER" --quality "$QUALITY" \
  > "$RES/logs/make_qgs.log" 2>&1 || die "make_qgs.py failed (see $RES/logs/make_qgs.log)"
cp "$QDIR/bench.qgs" "$RES/logs/"

# ---------------------------------------------------------------- 8. servers
for p in $PORT_OURS $PORT_MS $PORT_QGIS $PORT_OURS_ALT; do port_free "$p" || die "port $p is busy"; done

log "starting geocentre (TOKIO_WORKER_THREADS=$WORKERS) on :$PORT_OURS"
TOKIO_WORKER_THREADS=$WORKERS "$GC" --data-dir "$GC_DATA" serve --bind "127.0.0.1:$PORT_OURS" \
  > "$RES/logs/geocentre.out" 2> "$RES/logs/geocentre.err" &
PIDS[ours]=$!
for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/geocentre.out" && break; sleep 0.1; done
grep -q 'listening on' "$RES/logs/geocentre.out" || die "geocentre did not print 'listening on' (see $RES/logs/)"
if [ -n "$OURS_ALT_CONFIG" ]; then
  cp "$OURS_ALT_CONFIG" "$RES/logs/ours_alt.toml"
  log "starting geocentre with --config $OURS_ALT_CONFIG on :$PORT_OURS_ALT (ours_alt)"
  TOKIO_WORKER_THREADS=$WORKERS "$GC" --data-dir "$GC_DATA" --config "$RES/logs/ours_alt.toml" serve \
    --bind "127.0.0.1:$PORT_OURS_ALT" > "$RES/logs/geocentre_alt.out" 2> "$RES/logs/geocentre_alt.err" &
  PIDS[ours_alt]=$!
  for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/geocentre_alt.out" && break; sleep 0.1; done
  grep -q 'listening on' "$RES/logs/geocentre_alt.out" || die "geocentre (ours_alt) did not start (see $RES/logs/)"
fi

start_fcgi() {  # name socket pidfile logfile program VAR=value...
  local name=$1 sock=$2 pidf=$3 logf=$4 prog=$5; shift 5
  rm -f "$sock" "$pidf"
  env "$@" spawn-fcgi -s "$sock" -M 0666 -F "$WORKERS" -b 4096 -P "$pidf" -- "$prog" >> "$logf" 2>&1 \
    || die "spawn-fcgi for $name failed (see $logf)"
  PIDS[$name]=$(tr '\n' ' ' < "$pidf")
  [ "$(wc -w <<< "${PIDS[$name]}")" = "$WORKERS" ] || die "spawn-fcgi $name: expected $WORKERS PIDs in $pidf"
}
start_front() {  # name port socket
  local name=$1 port=$2 sock=$3 dir=$W/nginx-$1
  mkdir -p "$dir/tmp"
  sed -e "s#@DIR@#$dir#g; s#@PORT@#$port#g; s#@SOCK@#$sock#g; s#@NGINX_WORKERS@#$NGINX_WORKERS#g" \
    "$BENCH/wms/nginx-fcgi.conf.in" > "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' 2> "$RES/logs/nginx-$name.err" &
  PIDS[${name}_front]=$!
}

log "starting MapServer: spawn-fcgi -F $WORKERS $MAPSERV ($MS_KIND) behind nginx on :$PORT_MS"
start_fcgi mapserver "$W/mapserver.sock" "$W/mapserver.pids" "$RES/logs/mapserver.log" "$MAPSERV" \
  MAPSERVER_CONFIG_FILE="$MSDIR/mapserver.conf" MS_MAPFILE="$MSDIR/bench.map"
start_front mapserver "$PORT_MS" "$W/mapserver.sock"

log "starting QGIS Server: spawn-fcgi -F $WORKERS $QGISSERV behind nginx on :$PORT_QGIS"
start_fcgi qgis "$W/qgis.sock" "$W/qgis.pids" "$RES/logs/qgis.log" "$QGISSERV" \
  HOME="$QDIR/home" XDG_RUNTIME_DIR="$QDIR/home" QT_QPA_PLATFORM=offscreen \
  QGIS_PROJECT_FILE="$QDIR/bench.qgs" QGIS_SERVER_LOG_LEVEL=2 QGIS_SERVER_LOG_STDERR=1 \
  QGIS_SERVER_PARALLEL_RENDERING=false
start_front qgis "$PORT_QGIS" "$W/qgis.sock"

declare -A BASE=([ours]="http://127.0.0.1:$PORT_OURS" [ours_alt]="http://127.0.0.1:$PORT_OURS_ALT" [mapserver]="http://127.0.0.1:$PORT_MS" [qgis]="http://127.0.0.1:$PORT_QGIS")
# a server = its FastCGI workers + its nginx front
PIDS_FCGI_MS=${PIDS[mapserver]}; PIDS_FCGI_QGIS=${PIDS[qgis]}
PIDS[mapserver]="${PIDS[mapserver]} ${PIDS[mapserver_front]}"; unset 'PIDS[mapserver_front]'
PIDS[qgis]="${PIDS[qgis]} ${PIDS[qgis_front]}"; unset 'PIDS[qgis_front]'
SERVERS="ours mapserver qgis"
[ -z "$OURS_ALT_CONFIG" ] || SERVERS="ours ours_alt mapserver qgis"
CAPS="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"
for s in $SERVERS; do
  wait_http "${BASE[$s]}/wms?$CAPS" 60 || die "$s does not answer GetCapabilities (see $RES/logs/)"
  curl -s "${BASE[$s]}/wms?$CAPS" > "$RES/raw/capabilities_$s.xml"
  grep -q "<Name>$LAYER</Name>" "$RES/raw/capabilities_$s.xml" || die "$s: layer $LAYER not in GetCapabilities"
done
log "every server ($SERVERS) answers GetCapabilities with layer '$LAYER'"

# ---------------------------------------------------------------- 9. validation (+ warm-up, per-class c=1 times)
for s in $SERVERS; do
  log "validate $s: every corpus request twice (pass 1 check + warm-up, pass 2 timed, c=1)"
  $SYSPY "$BENCH/wms/wmscheck.py" validate "${BASE[$s]}" "$W/corpus/getmap.jsonl" "$RES/runs/validate_$s.json" \
    --passes 2 --sample 40 --save "$RES/raw/sample_$s" >&2 \
    || die "$s failed the response check (see $RES/runs/validate_$s.json)"
done
log "image comparison (same requests, every pair of servers)"
$SYSPY "$BENCH/wms/wmscheck.py" compare "$RES/runs/compare.json" "$W/corpus/getmap.jsonl" \
  "ours=${BASE[ours]}" "mapserver=${BASE[mapserver]}" "qgis=${BASE[qgis]}" --k 10 --save "$RES/raw/compare" >&2

# ---------------------------------------------------------------- 10. load runs (closed loop, keep-alive)
load_run() {  # round server conc
  local r=$1 srv=$2 c=$3 t out
  t=$(( c < WORKERS ? c : WORKERS ))
  out=$RES/runs/load_${srv}_c${c}_r${r}.json
  CORPUS=$W/corpus/getmap.txt WRK_OUT=/dev/null WRK_THREADS=$t \
    wrk -t"$t" -c"$c" -d"$WARMUP" --timeout 60s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > /dev/null
  local t0 t1 la cc
  la=$(cut -d' ' -f1 /proc/loadavg)
  cc=$(busy_compilers)
  t0=$(cpu_ticks "$srv"); m0=$(machine_ticks)
  CORPUS=$W/corpus/getmap.txt WRK_OUT=$out.wrk WRK_THREADS=$t \
    /usr/bin/time -f '%U %S' -o "$out.wrkcpu" \
    wrk -t"$t" -c"$c" -d"$DURATION" --timeout 60s -s "$BENCH/lib/corpus.lua" "${BASE[$srv]}" > "$out.txt"
  t1=$(cpu_ticks "$srv"); m1=$(machine_ticks)
  read -r wu ws < "$out.wrkcpu"
  printf '{"server":"%s","concurrency":%s,"round":%s,"wrk_threads":%s,"loadavg1":%s,"compilers":%s,"machine_cpu_s":%s,"server_cpu_s":%s,"wrk_cpu_s":%s,"wrk":%s}\n' \
    "$srv" "$c" "$r" "$t" "$la" "$cc" "$(awk -v a="$m0" -v b="$m1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}')" \
    "$(awk -v a="$t0" -v b="$t1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}')" \
    "$(awk -v a="$wu" -v b="$ws" 'BEGIN{printf "%.2f", a+b}')" "$(cat "$out.wrk")" > "$out"
  mv "$out.txt" "$RES/raw/"; rm -f "$out.wrk" "$out.wrkcpu"
  log "  $srv c=$c r=$r: $(sed 's/.*"rps": \([0-9.]*\).*/\1/' "$out") req/s"
}
for ((r = 1; r <= ROUNDS; r++)); do
  log "load round $r/$ROUNDS"
  for c in $CONCURRENCY; do
    for s in $(rotate "$r" $SERVERS); do load_run "$r" "$s" "$c"; done
  done
done

# ---------------------------------------------------------------- 11. INSPIRE floor (open loop, 800x600)
for s in $(rotate 2 $SERVERS); do
  if [ "$INSPIRE_WARM" = 1 ]; then
    log "INSPIRE corpus check + warm-up on $s (sequential)"
    $SYSPY "$BENCH/wms/wmscheck.py" validate "${BASE[$s]}" "$W/corpus/inspire.jsonl" "$RES/runs/validate_inspire_$s.json" \
      --passes 1 --sample 20 >&2 || log "WARNING: $s failed the INSPIRE corpus check"
  fi
  log "INSPIRE floor on $s: ${INSPIRE_RATE} req/s for ${INSPIRE_DURATION}s, open loop"
  t0=$(cpu_ticks "$s"); m0=$(machine_ticks)
  $SYSPY "$BENCH/wms/openloop.py" "${BASE[$s]}" "$W/corpus/inspire.txt" "$RES/runs/inspire_$s.json" \
    --rate "$INSPIRE_RATE" --duration "$INSPIRE_DURATION" --timeout 30 > /dev/null
  t1=$(cpu_ticks "$s"); m1=$(machine_ticks)
  $SYSPY -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["server"]=sys.argv[2]; t=int(sys.argv[5]); d["server_cpu_s"]=round((int(sys.argv[4])-int(sys.argv[3]))/t,2); d["machine_cpu_s"]=round((int(sys.argv[7])-int(sys.argv[6]))/t,2); json.dump(d,open(p,"w"),indent=1); print(d["server"], d["codes"], "ttfb ms", d["ttfb_ms"])' \
    "$RES/runs/inspire_$s.json" "$s" "$t0" "$t1" "$TICK" "$m0" "$m1" >&2
done

# ---------------------------------------------------------------- 12. peak RSS (VmHWM, whole run)
{
  echo "{"
  printf '"ours": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": 0},\n' \
    "$(hwm_kb ${PIDS[ours]})" "$(server_pids ours | wc -l)" "$(hwm_kb ${PIDS[ours]})"
  if [ -n "${PIDS[ours_alt]:-}" ]; then
    printf '"ours_alt": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": 0},\n' \
      "$(hwm_kb ${PIDS[ours_alt]})" "$(server_pids ours_alt | wc -l)" "$(hwm_kb ${PIDS[ours_alt]})"
  fi
  ms_w=$(hwm_kb $PIDS_FCGI_MS); ms_all=$(hwm_kb ${PIDS[mapserver]})
  printf '"mapserver": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": %s},\n' \
    "$ms_all" "$(server_pids mapserver | wc -l)" "$ms_w" "$((ms_all - ms_w))"
  q_w=$(hwm_kb $PIDS_FCGI_QGIS); q_all=$(hwm_kb ${PIDS[qgis]})
  printf '"qgis": {"vmhwm_kb": %s, "processes": %s, "workers_kb": %s, "front_kb": %s}\n' \
    "$q_all" "$(server_pids qgis | wc -l)" "$q_w" "$((q_all - q_w))"
  echo "}"
} > "$RES/server_rss.json"
# did every server survive the run? (a FastCGI worker that died would be respawned by nobody)
for s in $SERVERS; do
  for p in ${PIDS[$s]}; do [ -d "/proc/$p" ] || log "WARNING: $s process $p died during the run"; done
done
sed -i "s/\"loadavg_start\"/\"loadavg_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\",\n\"compilers_end\": $(busy_compilers),\n\"loadavg_start\"/" "$RES/machine.json"
cp "$MSDIR/ms_error.log" "$RES/logs/" 2>/dev/null || true
cp "$W/nginx-mapserver/error.log" "$RES/logs/nginx-mapserver.error.log" 2>/dev/null || true
cp "$W/nginx-qgis/error.log" "$RES/logs/nginx-qgis.error.log" 2>/dev/null || true

cleanup
trap - EXIT

# ---------------------------------------------------------------- 13. report
args=("$RES")
[ "$UPDATE_DOCS" = 1 ] && args+=(--docs "$ROOT/docs/benchmarks.md")
$SYSPY "$BENCH/wms/report.py" "${args[@]}"
log "results in ${RES#$ROOT/}/ (summary.md)"
