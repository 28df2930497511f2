# Shell helpers shared by bench/run.sh, bench/wms.sh and bench/vector.sh.
# Source it after setting BENCH_TAG (the log prefix) and ROOT:
#     BENCH_TAG=bench-wms; . "$BENCH/lib/common.sh"
# Servers' processes are recorded in PIDS (server name -> "pid pid ..."); a
# server's CPU and memory are those of these processes and their children.

log() { printf '[%s %s] %s\n' "${BENCH_TAG:-bench}" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

declare -A PIDS=()
TICK=$(getconf CLK_TCK)

tree_pids() {  # PID and all its descendants
  local p=$1 c
  [ -d "/proc/$p" ] || return 0
  echo "$p"
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do tree_pids "$c"; done
}
server_pids() { local p; for p in ${PIDS[$1]:-}; do tree_pids "$p"; done; }
cpu_ticks() {  # user+system ticks of a server's live processes and of their reaped children
  # (cutime+cstime: a process that ends during a run, e.g. a PostgreSQL backend whose client
  # closed its connection, moves its ticks to its parent instead of taking them out of the sum)
  local t=0 p v
  for p in $(server_pids "$1"); do
    v=$(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
hwm_kb() {  # sum of VmHWM over PIDs and their children
  local t=0 p q v
  for p in "$@"; do
    for q in $(tree_pids "$p"); do
      v=$(awk '/VmHWM/{print $2}' "/proc/$q/status" 2>/dev/null || echo 0)
      t=$((t + ${v:-0}))
    done
  done
  echo "$t"
}
machine_ticks() {  # busy ticks of the whole machine (all cores): user+nice+system+irq+softirq+steal
  awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}
busy_compilers() { { ps -C rustc,cargo,cc1,cc1plus,ld,ld.lld,ld.gold --no-headers 2>/dev/null || true; } | wc -l; }
port_free() { ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }
wait_http() {  # url timeout_s
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -s -o /dev/null --max-time 5 "$1" && return 0
    sleep 0.1
  done
  return 1
}
stop_pids() {  # TERM, then KILL what is left (mapserv ignores TERM while idle in accept())
  local p left=()
  for p in "$@"; do kill "$p" 2>/dev/null && left+=("$p"); done
  [ ${#left[@]} -gt 0 ] || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    sleep 0.2
    local alive=0
    for p in "${left[@]}"; do [ -d "/proc/$p" ] && alive=1; done
    [ "$alive" = 0 ] && return 0
  done
  for p in "${left[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
rotate() {  # round list... -> list rotated by round-1 (each server takes each slot in turn)
  local r=$1; shift
  local a=("$@") n=$# i
  for ((i = 0; i < n; i++)); do printf '%s ' "${a[$(( (i + r - 1) % n ))]}"; done
}
machine_json_common() {  # the machine.json members every benchmark records, each line ending in ","
  echo "\"cpu\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')\","
  echo "\"nproc\": $(nproc),"
  echo "\"mem_gib\": $(awk '/MemTotal/{printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo "\"kernel\": \"$(uname -r)\","
  echo "\"os\": \"$(. /etc/os-release; echo "$PRETTY_NAME")\","
  echo "\"loadavg_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
  echo "\"compilers_start\": $(busy_compilers),"
  echo "\"nginx\": \"$(nginx -v 2>&1 | sed 's/.*nginx\///')\","
  echo "\"wrk\": \"$(wrk -v 2>&1 | head -1 | awk '{print $2}')\","
  echo "\"gdal\": \"$(gdal-config --version 2>/dev/null || gdalinfo --version | awk '{print $2}' | tr -d ,)\","
}
