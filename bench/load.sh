#!/usr/bin/env bash
# Load benchmark (issue 13 §5 "Load"): one geocentre server, default configuration,
# under CONNS keep-alive connections for DURATION on a fixed, seeded, mixed corpus
# (stored tiles, WMS GetMap incl. a few 2048-4096 px maps, WFS GetFeature, OGC API
# items), on loopback.  Records every response: per class 2xx / 503 (admission
# refusal, by design) / other non-2xx / socket errors and timeouts, p50/p99 per
# class, req/s, and the server's peak RSS (VmHWM; RSS sampled every second).
# Exits non-zero if any answer other than 2xx or 503 occurred, if the server died,
# or if its peak RSS reached RSS_LIMIT_MB.
# See bench/README.md ("Load benchmark").  Usage:  bash bench/load.sh   (or: make bench-load)
#
# Knobs (environment):
#   CONNS=256          keep-alive connections (= wrk threads: one connection per thread,
#                      so every request's latency is known, see load/load.lua)
#   DURATION=60s       load time (wrk -d)
#   TIMEOUT=60         seconds: a response slower than this, or a request still
#                      running that long when the load stops, counts as a timeout (error)
#   CORPUS_N=4000 CORPUS_SEED=20240601
#   SHARES="tiles=50,getmap=20,wfs=15,ogcapi=15"   request mix (percent of the corpus)
#   ORTHO=dalles       dalles: the derived 5 cm dalle set of bench/lib/make_dalles.py
#                      (bench/work/dalles/, made if missing); repo: the real 252x252 px
#                      tile data/ortho/ign-ortho-rvb-0m20-lamb93.tif alone
#   WORKERS=2          TOKIO_WORKER_THREADS of the server
#   PORT=18111         127.0.0.1 only
#   CHECK_K=2          requests per sub-class in the response check before the load
#   DRAIN_MAX=120      seconds to wait, after the load, for the requests still queued
#                      in the server to finish (peak RSS is read after that)
#   RSS_LIMIT_MB=1500  peak RSS must stay under this (MB = 10^6 bytes: 1.5 GB)
#   GEOCENTRE_BIN=target/release/geocentre   (copied to bench/work/load/bin first)
#   UPDATE_DOCS=1      regenerate the bench-load section of docs/benchmarks.md
#   RESULTS_DIR=       default bench/results/<UTC stamp>-load
# The server runs with an empty configuration file (all defaults: [limits]
# render_concurrency 0 = 2 x cores, render_queue 32, render_queue_wait_ms 10000,
# max_connections_per_client 512, ...).  Data are ingested into
# bench/work/load/data (kept while the binary and the sources are unchanged).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=${BENCH_WORK:-$BENCH/work}
W=$WORK/load
CONNS=${CONNS:-256}
DURATION=${DURATION:-60s}
TIMEOUT=${TIMEOUT:-60}
CORPUS_N=${CORPUS_N:-4000}
CORPUS_SEED=${CORPUS_SEED:-20240601}
SHARES=${SHARES:-"tiles=50,getmap=20,wfs=15,ogcapi=15"}
ORTHO=${ORTHO:-dalles}
WORKERS=${WORKERS:-2}
PORT=${PORT:-18111}
CHECK_K=${CHECK_K:-2}
DRAIN_MAX=${DRAIN_MAX:-120}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-1500}
GEOCENTRE=${GEOCENTRE_BIN:-$ROOT/target/release/geocentre}
UPDATE_DOCS=${UPDATE_DOCS:-1}
DALLE_COLS=${DALLE_COLS:-6}
DALLE_ROWS=${DALLE_ROWS:-4}
SRC_TIF=${SRC_TIF:-$ROOT/data/ortho/ign-ortho-rvb-0m20-lamb93.tif}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RES=${RESULTS_DIR:-$BENCH/results/$STAMP-load}
SYSPY=/usr/bin/python3   # Debian python: python3-gdal (osr/ogr) for the corpus
BASE=http://127.0.0.1:$PORT

BENCH_TAG=bench-load
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"

case $GEOCENTRE in /*) ;; *) GEOCENTRE=$ROOT/$GEOCENTRE ;; esac
for t in wrk curl /usr/bin/time; do command -v "$t" >/dev/null || die "$t missing (apt-get install wrk curl time)"; done
$SYSPY -c 'from osgeo import ogr, osr' 2>/dev/null || die "Debian python3-gdal missing (apt-get install python3-gdal)"
[ -x "$GEOCENTRE" ] || die "no geocentre binary at $GEOCENTRE (set GEOCENTRE_BIN)"
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || die "DURATION must look like 60s, 2m"
mkdir -p "$W/bin" "$RES/logs" "$RES/raw"
ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------- 1. binary (a private copy)
cp "$GEOCENTRE" "$W/bin/geocentre.tmp" && mv "$W/bin/geocentre.tmp" "$W/bin/geocentre"
GC=$W/bin/geocentre
GC_SHA=$(sha256sum "$GC" | cut -c1-16)
# every command gets the same, empty, configuration file (all defaults), whatever
# ./geocentre.toml or GEOCENTRE_CONFIG the caller has
CFG=$W/geocentre.toml
printf '# bench/load.sh: empty on purpose, every setting at its default ([limits] included)\n' > "$CFG"
gc() { (cd "$ROOT" && exec env -u GEOCENTRE_CONFIG -u GEOCENTRE_DATA_DIR "$GC" --config "$CFG" "$@"); }

# ---------------------------------------------------------------- 2. data
case $ORTHO in
  dalles)
    log "derived dalle set (bench/lib/make_dalles.py, cached in ${WORK#$ROOT/}/dalles/)"
    $SYSPY "$BENCH/lib/make_dalles.py" "$SRC_TIF" "$WORK/dalles" --cols "$DALLE_COLS" --rows "$DALLE_ROWS" >&2
    ORTHO_FILES=("$WORK"/dalles/*.tif); VINTAGE=2024 ;;
  repo) ORTHO_FILES=("$SRC_TIF"); VINTAGE=2021 ;;
  *) die "ORTHO must be dalles or repo" ;;
esac
VECTOR_FILES=("$ROOT"/data/admin/*.geojson)
DATA=$W/data
KEY="$GC_SHA $ORTHO $VINTAGE $(for f in "${ORTHO_FILES[@]}" "${VECTOR_FILES[@]}"; do stat -c '%n %s %Y' "$f"; done \
  | sha256sum | cut -c1-16)"
if [ -f "$DATA/.bench-load-key" ] && [ "$(cat "$DATA/.bench-load-key")" = "$KEY" ] \
   && [ -s "$W/ortho-ingest.json" ] && [ -s "$W/vector-list.json" ]; then
  log "data: reusing ${DATA#$ROOT/} (same binary, same sources)"
else
  log "data: geocentre ortho ingest ($ORTHO, ${#ORTHO_FILES[@]} files) + vector ingest --dataset admin (${#VECTOR_FILES[@]} files) into ${DATA#$ROOT/}"
  rm -rf "$DATA"
  (cd "$ROOT" && exec /usr/bin/time -f '%e %M' -o "$W/ortho-ingest.time" env -u GEOCENTRE_CONFIG -u GEOCENTRE_DATA_DIR \
    "$GC" --config "$CFG" --data-dir "$DATA" ortho ingest --layer ortho --vintage "$VINTAGE" --json "${ORTHO_FILES[@]}") \
    > "$W/ortho-ingest.json" 2> "$W/ortho-ingest.err" || die "ortho ingest failed (see $W/ortho-ingest.err)"
  gc --data-dir "$DATA" vector ingest --dataset admin --json "${VECTOR_FILES[@]}" \
    > "$W/vector-ingest.json" 2> "$W/vector-ingest.err" || die "vector ingest failed (see $W/vector-ingest.err)"
  gc --data-dir "$DATA" vector list --json > "$W/vector-list.json"
  echo "$KEY" > "$DATA/.bench-load-key"
fi
cp "$W/ortho-ingest.json" "$W/vector-list.json" "$RES/raw/"
cp "$W/ortho-ingest.time" "$RES/raw/" 2>/dev/null || true

# ---------------------------------------------------------------- 3. corpus
log "corpus (seed $CORPUS_SEED, $CORPUS_N requests, $SHARES)"
$SYSPY "$BENCH/load/corpus.py" "$W/ortho-ingest.json" "$W/vector-list.json" "$W/corpus" \
  --seed "$CORPUS_SEED" --n "$CORPUS_N" --shares "$SHARES" > "$RES/logs/corpus.out"
cp "$W/corpus/corpus.json" "$RES/corpus.json"
cp "$W/corpus/corpus.txt" "$W/corpus/corpus.jsonl" "$RES/raw/"

# ---------------------------------------------------------------- 4. machine notes
# the command that reproduces this run: the knobs that differ from their defaults
declare -A DEFAULTS=([CONNS]=256 [DURATION]=60s [TIMEOUT]=60 [CORPUS_N]=4000 [CORPUS_SEED]=20240601
  [SHARES]="tiles=50,getmap=20,wfs=15,ogcapi=15" [ORTHO]=dalles [WORKERS]=2 [CHECK_K]=2 [RSS_LIMIT_MB]=1500)
CMD=""
for k in CONNS DURATION TIMEOUT CORPUS_N CORPUS_SEED SHARES ORTHO WORKERS CHECK_K RSS_LIMIT_MB; do
  [ "${!k}" = "${DEFAULTS[$k]}" ] || CMD+="$k=${!k} "
done
[ "$GEOCENTRE" = "$ROOT/target/release/geocentre" ] || CMD+="GEOCENTRE_BIN=${GEOCENTRE#$ROOT/} "
CMD+="bash bench/load.sh"
{
  echo "{"
  echo "\"stamp\": \"$STAMP\","
  echo "\"command\": \"$CMD\","
  echo "\"knobs\": \"CONNS=$CONNS DURATION=$DURATION TIMEOUT=$TIMEOUT CORPUS_N=$CORPUS_N CORPUS_SEED=$CORPUS_SEED SHARES=$SHARES ORTHO=$ORTHO WORKERS=$WORKERS CHECK_K=$CHECK_K RSS_LIMIT_MB=$RSS_LIMIT_MB\","
  echo "\"conns\": $CONNS, \"duration\": \"$DURATION\", \"timeout_s\": $TIMEOUT, \"workers\": $WORKERS,"
  echo "\"rss_limit_mb\": $RSS_LIMIT_MB, \"ortho\": \"$ORTHO\","
  machine_json_common
  echo "\"geocentre_bin\": \"${GEOCENTRE#$ROOT/}\","
  echo "\"geocentre_bin_mtime\": \"$(date -u -r "$GEOCENTRE" +%Y-%m-%dT%H:%M:%SZ)\","
  echo "\"geocentre_sha256\": \"$GC_SHA\","
  echo "\"geocentre_version\": \"$("$GC" --version 2>/dev/null | head -1)\","
  echo "\"geocentre_git\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)$(cd "$ROOT" && git diff --quiet HEAD -- crates Cargo.toml Cargo.lock 2>/dev/null || echo '+dirty')\""
  echo "}"
} > "$RES/machine.json"

# ---------------------------------------------------------------- 5. server (default configuration)
port_free "$PORT" || die "port $PORT is busy"
cleanup() {
  [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null || true
  local p all=()
  for p in ${PIDS[ours]:-}; do all+=("$p"); done
  [ ${#all[@]} -gt 0 ] && stop_pids "${all[@]}"
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log "starting geocentre serve (TOKIO_WORKER_THREADS=$WORKERS, default configuration) on 127.0.0.1:$PORT"
(cd "$ROOT" && exec env -u GEOCENTRE_CONFIG -u GEOCENTRE_DATA_DIR TOKIO_WORKER_THREADS="$WORKERS" \
  "$GC" --config "$CFG" --data-dir "$DATA" serve --bind "127.0.0.1:$PORT") \
  > "$RES/logs/server.out" 2> "$RES/logs/server.err" &   # $! is geocentre itself (exec)
PIDS[ours]=$!
SPID=${PIDS[ours]}
for ((i = 0; i < 600; i++)); do grep -q 'listening on' "$RES/logs/server.out" && break; sleep 0.1; done
grep -q 'listening on' "$RES/logs/server.out" || die "geocentre did not print 'listening on' (see $RES/logs/)"
wait_http "$BASE/healthz" 30 || die "geocentre does not answer /healthz"

# ---------------------------------------------------------------- 6. response check
log "response check: the first $CHECK_K requests of every sub-class, one at a time"
$SYSPY "$BENCH/load/check.py" "$W/corpus/corpus.jsonl" "$BASE" "$RES/check.json" --k "$CHECK_K" >&2 \
  || die "response check failed (see $RES/check.json): the load would measure error answers"

# ---------------------------------------------------------------- 7. load
rss_sampler() {  # every second: unix ms, RSS kB (ps), VmHWM kB, threads, open fds, CPU ticks
  local hwm fds ticks rss nlwp
  while [ -d "/proc/$SPID" ]; do
    read -r rss nlwp < <(ps -o rss=,nlwp= -p "$SPID" 2>/dev/null || echo "0 0")
    hwm=$(awk '/VmHWM/{print $2}' "/proc/$SPID/status" 2>/dev/null || echo 0)
    fds=$(ls "/proc/$SPID/fd" 2>/dev/null | wc -l)
    ticks=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$SPID/stat" 2>/dev/null || echo 0)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s%3N)" "${rss:-0}" "${hwm:-0}" "${nlwp:-0}" "$fds" "$ticks"
    sleep 1
  done
}
printf 'unix_ms\trss_kb\thwm_kb\tthreads\tfds\tcpu_ticks\n' > "$RES/raw/rss.tsv"
rss_sampler >> "$RES/raw/rss.tsv" &
SAMPLER=$!
sleep 2   # idle baseline samples
la0=$(cut -d' ' -f1-3 /proc/loadavg); cc0=$(busy_compilers)
t0=$(cpu_ticks ours); m0=$(machine_ticks); w0=$(date +%s%3N)
log "load: $CONNS connections (one per wrk thread), $DURATION, corpus of $CORPUS_N requests"
CORPUS=$W/corpus/corpus.txt RECORDS=$RES/raw/records.tsv WRK_OUT=$RES/raw/wrk.json WRK_THREADS=$CONNS \
  /usr/bin/time -f '%U %S %M' -o "$RES/raw/wrk.time" \
  wrk -t"$CONNS" -c"$CONNS" -d"$DURATION" --timeout "${TIMEOUT}s" -s "$BENCH/load/load.lua" "$BASE" \
  > "$RES/raw/wrk.txt" 2>&1 || { cat "$RES/raw/wrk.txt" >&2; die "wrk failed"; }
w1=$(date +%s%3N); t1=$(cpu_ticks ours); m1=$(machine_ticks)
la1=$(cut -d' ' -f1-3 /proc/loadavg); cc1=$(busy_compilers)
log "load done: $(grep -E 'Requests/sec' "$RES/raw/wrk.txt" | tr -s ' ')"

# requests the server still holds (queued or rendering) finish before the peak RSS is read
drain0=$(date +%s%3N)
for ((i = 0; i < DRAIN_MAX * 2; i++)); do
  a=$(cpu_ticks ours); sleep 0.5; b=$(cpu_ticks ours)
  [ $((b - a)) -le $((TICK / 25)) ] && break
done
drain1=$(date +%s%3N)
ALIVE=0; [ -d "/proc/$SPID" ] && ALIVE=1
HWM=$(awk '/VmHWM/{print $2}' "/proc/$SPID/status" 2>/dev/null || echo 0)
RSS_END=$(awk '/VmRSS/{print $2}' "/proc/$SPID/status" 2>/dev/null || echo 0)
AFTER_HEALTH=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/healthz" || true)
AFTER_TILE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$(grep -m1 -P '^[01]\t' "$W/corpus/corpus.txt" | cut -f2)" || true)
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
read -r wu ws wm < "$RES/raw/wrk.time"
cat > "$RES/run.json" <<EOF
{"server_alive": $ALIVE, "vmhwm_kb": ${HWM:-0}, "vmrss_end_kb": ${RSS_END:-0},
 "after_healthz": "$AFTER_HEALTH", "after_tile": "$AFTER_TILE",
 "load_start_unix_ms": $w0, "load_end_unix_ms": $w1, "drain_s": $(awk -v a="$drain0" -v b="$drain1" 'BEGIN{printf "%.1f", (b-a)/1000}'),
 "server_cpu_s": $(awk -v a="$t0" -v b="$t1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}'),
 "machine_cpu_s": $(awk -v a="$m0" -v b="$m1" -v t="$TICK" 'BEGIN{printf "%.2f", (b-a)/t}'),
 "wrk_cpu_s": $(awk -v a="$wu" -v b="$ws" 'BEGIN{printf "%.2f", a+b}'), "wrk_maxrss_kb": ${wm:-0},
 "loadavg_start": "$la0", "loadavg_end": "$la1", "compilers_start": $cc0, "compilers_end": $cc1}
EOF
cleanup
trap - EXIT
cp "$CFG" "$RES/logs/geocentre.toml"

# ---------------------------------------------------------------- 8. report (exit status: the verdict)
args=("$RES")
[ "$UPDATE_DOCS" = 1 ] && args+=(--docs "$ROOT/docs/benchmarks.md")
rc=0
$SYSPY "$BENCH/load/report.py" "${args[@]}" || rc=$?
log "results in ${RES#$ROOT/}/ (summary.md)"
[ "$rc" = 0 ] && log "PASS: no answer other than 2xx and 503, peak RSS under ${RSS_LIMIT_MB} MB" \
  || log "FAIL (see the verdict in ${RES#$ROOT/}/summary.md)"
exit "$rc"
