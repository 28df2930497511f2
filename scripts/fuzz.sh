#!/usr/bin/env bash
# Fuzzing of every parser a client or a delivered file reaches (issue 13
# §5), with cargo-fuzz (libFuzzer) over the targets of fuzz/.
#
#   scripts/fuzz.sh short          CI: replays every kept reproducer, then
#                                  fuzzes each target for SHORT_SECONDS
#                                  (default 20) from its corpus; fails on
#                                  any crash, hang or out-of-memory.
#   scripts/fuzz.sh long [runs] [target…]
#                                  `runs` executions per target (default
#                                  1000000) added to fuzz/corpus/<target>,
#                                  then the corpus minimised (cmin); prints
#                                  executions, time, exec/s and corpus size.
#
# The stable toolchain is enough: cargo-fuzz passes nightly `-Z` flags
# (sanitizer, coverage), which RUSTC_BOOTSTRAP=1 lets stable rustc take;
# its sysroot ships the AddressSanitizer runtime, so the targets are built
# with ASan (fuzz/README.md). cargo-fuzz itself is installed from
# crates.io into .tools/ (ignored by git) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CARGO_FUZZ_VERSION=0.13.2
TARGETS=(kvp fes11 fes20 cql2_text cql2_json sld cog_header wfs_post)
export PATH="$ROOT/.tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1

# A URL (KVP) is bounded well below 8 KiB by the HTTP layer; documents
# (filters, bodies, styles) and COG headers get 64 KiB, room for every
# structure the parsers know without slowing each run.
max_len() {
  case $1 in
    kvp) echo 8192 ;;
    *) echo 65536 ;;
  esac
}

# No panic (a crash), no hang (-timeout, seconds per input), no OOM
# (-rss_limit_mb; a single allocation above it is one too).
fuzz_flags() {
  echo "-timeout=10 -rss_limit_mb=2048 -max_len=$(max_len "$1") -print_final_stats=1"
}

install() {
  # libFuzzer itself is C++, built by libfuzzer-sys (g++ is on our machines).
  if ! command -v c++ >/dev/null; then
    echo "error: a C++ compiler (c++, e.g. Debian's g++) is needed to build libFuzzer" >&2
    exit 1
  fi
  if [[ "$(cargo-fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/"
    cargo install --locked --root "$ROOT/.tools" cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
}

build() {
  echo "== building the fuzz targets (ASan, libFuzzer)"
  (cd fuzz && cargo fuzz build --sanitizer address)
}

# Runs one target; its output goes to $log. Extra arguments are corpus
# folders or input files, then libFuzzer flags after `--`.
run() {
  local t=$1 log=$2
  shift 2
  (cd fuzz && cargo fuzz run --sanitizer address "$t" "$@") >"$log" 2>&1
}

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

now() { date +%s%N; }
# Seconds between two `now`s (awk: bc is not on every machine).
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

corpus_size() {
  local d=fuzz/corpus/$1
  echo "$(find "$d" -type f | wc -l) files, $(cat "$d"/* 2>/dev/null | wc -c) bytes"
}

failed() {
  local t=$1 log=$2
  echo "FAIL: $t" >&2
  grep -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY|Test unit written" "$log" >&2 || true
  tail -n 40 "$log" >&2
  # The reproducer itself, so that CI's log is enough to rebuild it.
  local a
  a=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
  if [[ -n "$a" && -f "$a" ]]; then
    echo "reproducer ($a), base64:" >&2
    base64 -w0 "$a" >&2
    echo >&2
  fi
}

short() {
  local secs=${SHORT_SECONDS:-20} work status=0
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # the folder is known now
  trap "rm -rf '$work'" EXIT
  for t in "${TARGETS[@]}"; do
    # Every reproducer kept stays fixed.
    local reps=(fuzz/artifacts/"$t"/*)
    if [[ -e "${reps[0]}" ]]; then
      if ! run "$t" "$work/$t-replay.log" "${reps[@]#fuzz/}" -- $(fuzz_flags "$t"); then
        failed "$t (a kept reproducer)" "$work/$t-replay.log"
        status=1
        continue
      fi
    fi
    # New inputs go to a scratch folder (the first one named): the kept
    # corpus only seeds the run, and CI leaves the clone as it was.
    mkdir -p "$work/$t"
    local start end
    start=$(now)
    if run "$t" "$work/$t.log" "$work/$t" "corpus/$t" -- $(fuzz_flags "$t") -max_total_time="$secs"; then
      end=$(now)
      printf '%-11s ok  %9s runs in %5s s  (%s exec/s, peak RSS %s MB)\n' "$t" \
        "$(stat_of number_of_executed_units "$work/$t.log")" "$(seconds "$start" "$end")" \
        "$(stat_of average_exec_per_sec "$work/$t.log")" "$(stat_of peak_rss_mb "$work/$t.log")"
    else
      failed "$t" "$work/$t.log"
      status=1
    fi
  done
  return $status
}

long() {
  local runs=$1 logs=fuzz/target/logs
  shift
  local targets=("$@")
  [[ ${#targets[@]} -gt 0 ]] || targets=("${TARGETS[@]}")
  mkdir -p "$logs"
  printf '| target | executions | wall time (s) | exec/s | peak RSS (MB) | corpus before cmin | corpus after cmin |\n'
  printf '|---|---:|---:|---:|---:|---|---|\n'
  for t in "${targets[@]}"; do
    local start end before
    start=$(now)
    # One process, one thread: libFuzzer's default (-jobs/-workers unset).
    if ! run "$t" "$logs/$t.log" "corpus/$t" -- $(fuzz_flags "$t") -runs="$runs"; then
      failed "$t" "$logs/$t.log"
      return 1
    fi
    end=$(now)
    before=$(corpus_size "$t")
    # The kept corpus reaches every edge the run reached; the inputs that
    # only reach one more often (-use_counters) are left out: they would
    # make it several times larger, and a run finds them again at once.
    (cd fuzz && cargo fuzz cmin --sanitizer address "$t" -- -max_len="$(max_len "$t")" -use_counters=0) \
      >"$logs/$t-cmin.log" 2>&1
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" \
      "$(stat_of number_of_executed_units "$logs/$t.log")" "$(seconds "$start" "$end")" \
      "$(stat_of average_exec_per_sec "$logs/$t.log")" "$(stat_of peak_rss_mb "$logs/$t.log")" \
      "$before" "$(corpus_size "$t")"
  done
}

mode=${1:-short}
case $mode in
  short)
    install
    build
    short
    ;;
  long)
    install
    build
    long "${2:-1000000}" "${@:3}"
    ;;
  *)
    echo "usage: $0 short | long [runs] [target…]" >&2
    exit 2
    ;;
esac
