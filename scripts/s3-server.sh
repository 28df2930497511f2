#!/usr/bin/env bash
# A throwaway S3-compatible server for the tests and `make demo-cluster`:
# SeaweedFS (`weed mini`: master, volume server, filer and S3 gateway in one
# process), installed by
# `scripts/install-deps.sh --test` (docs/deployment.md says why this one).
#
#   scripts/s3-server.sh start DIR PORT   start it: data in DIR, S3 on 127.0.0.1:PORT; waits until it answers
#   scripts/s3-server.sh stop DIR         stop it (SIGTERM, then SIGKILL after 5 s); the data stays in DIR
#   scripts/s3-server.sh kill DIR         SIGKILL it (a crash); the data stays in DIR
#   scripts/s3-server.sh env PORT         the AWS_* variables a client needs (to eval)
#   scripts/s3-server.sh bin              the path of the weed binary
#
# Started again on the same DIR and PORT, it serves the data it had (the
# fault tests stop and restart it). SeaweedFS also listens on PORT+1 to
# PORT+9 (master, volume, filer, admin and their gRPC ports): keep
# PORT..PORT+9 free. Credentials are fixed test values (S3_TEST_ACCESS_KEY /
# S3_TEST_SECRET_KEY below) and every request must be signed (SigV4).
# Buckets are created on demand: the first upload to a bucket creates it
# (SeaweedFS's -s3.autoCreateBucket, for our admin identity); `start` also
# creates those named in S3_BUCKETS (space-separated), if set. `start`
# returns once an object can be written and read back (bucket
# s3-server-probe), which after a restart also means the old data is served.
set -euo pipefail

S3_TEST_ACCESS_KEY=geocentre-test
S3_TEST_SECRET_KEY=geocentre-test-secret
S3_TEST_REGION=us-east-1

weed_bin() {
  if [[ -n "${GEOCENTRE_WEED:-}" ]]; then
    echo "$GEOCENTRE_WEED"
  elif command -v weed >/dev/null 2>&1; then
    command -v weed
  else
    echo "$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin/weed"
  fi
}

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd=${1:-}
case "$cmd" in
  bin)
    weed_bin
    ;;
  env)
    port=${2:?PORT}
    echo "export AWS_ACCESS_KEY_ID=$S3_TEST_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_TEST_SECRET_KEY" \
      "AWS_REGION=$S3_TEST_REGION AWS_ENDPOINT_URL=http://127.0.0.1:$port"
    ;;
  start)
    dir=${2:?DIR}
    port=${3:?PORT}
    bin=$(weed_bin)
    if [[ ! -x "$bin" ]]; then
      echo "error: SeaweedFS's weed not found at $bin: run scripts/install-deps.sh --test" >&2
      exit 1
    fi
    mkdir -p "$dir/data"
    dir=$(cd "$dir" && pwd)
    if [[ -f "$dir/server.pid" ]] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
      echo "error: a server already runs on $dir (pid $(cat "$dir/server.pid"))" >&2
      exit 1
    fi
    for p in $(seq "$port" $((port + 9))); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "error: port $p is taken (SeaweedFS needs $port to $((port + 9)))" >&2
        exit 1
      fi
    done
    cat >"$dir/s3.json" <<EOF
{"identities": [{"name": "geocentre", "credentials": [{"accessKey": "$S3_TEST_ACCESS_KEY", "secretKey": "$S3_TEST_SECRET_KEY"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF
    # `weed mini`: master, volume server, filer and S3 gateway in one
    # process, made for a single machine (it lifts the volume-allocation
    # hold `weed server` keeps after start-up: 5 s to the first write
    # instead of 11). Everything on loopback, every port named (none of
    # SeaweedFS's defaults, so that parallel test servers do not collide),
    # no telemetry, no admin UI, no extra gateways (WebDAV, Iceberg,
    # Lance). Small volumes, so that a test server does not preallocate
    # gigabytes.
    setsid "$bin" mini \
      -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port=$((port + 1)) -master.port.grpc=$((port + 2)) \
      -volume.port=$((port + 3)) -volume.port.grpc=$((port + 4)) \
      -filer.port=$((port + 5)) -filer.port.grpc=$((port + 6)) \
      -s3.port="$port" -s3.port.grpc=$((port + 7)) \
      -admin.ui=false -admin.port=$((port + 8)) -admin.port.grpc=$((port + 9)) -admin.port.legacy=0 \
      -s3.port.iceberg=0 -s3.port.lance=0 -webdav=false \
      -s3.config="$dir/s3.json" -master.telemetry=false -master.volumeSizeLimitMB=64 \
      >>"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/server.pid"
    # Ready when the whole path works (gateway, filer, master, volume
    # server): an unsigned request refused by the gateway is not enough,
    # the volume server registers with the master later. The first start
    # writes a probe object and reads it back; a restart reads back the
    # probe written before (SeaweedFS then holds new writes for about 15 s
    # while it waits for its volume servers; they succeed, late).
    signed=(--noproxy '*' --aws-sigv4 "aws:amz:$S3_TEST_REGION:s3" --user "$S3_TEST_ACCESS_KEY:$S3_TEST_SECRET_KEY")
    probe="$dir/probe.bin"
    fresh=0
    if [[ ! -s "$probe" ]]; then
      head -c 65536 /dev/urandom >"$probe"
      fresh=1
    fi
    for _ in $(seq 1 600); do
      if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
        echo "error: SeaweedFS exited; its log ($dir/server.log) ends with:" >&2
        tail -n 20 "$dir/server.log" >&2
        exit 1
      fi
      code=200
      if [[ $fresh == 1 ]]; then
        # curl signs no body: the payload is declared unsigned (S3 allows it).
        code=$(curl -s -o /dev/null -w '%{http_code}' "${signed[@]}" -X PUT \
          -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --data-binary @"$probe" \
          "http://127.0.0.1:$port/s3-server-probe/probe" || true)
      fi
      if [[ "$code" == 200 ]] && curl -s -f -o "$dir/probe.back" "${signed[@]}" \
        "http://127.0.0.1:$port/s3-server-probe/probe" && cmp -s "$probe" "$dir/probe.back"; then
        fresh=0
        ok=1
        for b in ${S3_BUCKETS:-}; do
          code=$(curl -s -o /dev/null -w '%{http_code}' "${signed[@]}" -X PUT \
            "http://127.0.0.1:$port/$b" || true)
          [[ "$code" == 200 || "$code" == 409 ]] || ok=0
        done
        if [[ $ok == 1 ]]; then
          rm -f "$dir/probe.back"
          exit 0
        fi
      fi
      sleep 0.2
    done
    echo "error: SeaweedFS did not take a write on 127.0.0.1:$port within 120 s; see $dir/server.log" >&2
    exit 1
    ;;
  stop | kill)
    # stop: SIGTERM, and SIGKILL after 5 s (SeaweedFS's own shutdown can
    # take half a minute); kill: SIGKILL at once, a crash. Returns once the
    # process is gone and its ports are free.
    dir=${2:?DIR}
    [[ -f "$dir/server.pid" ]] || exit 0
    pid=$(cat "$dir/server.pid")
    if kill -0 "$pid" 2>/dev/null; then
      if [[ "$cmd" == stop ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 25); do
          kill -0 "$pid" 2>/dev/null || break
          sleep 0.2
        done
      fi
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$dir/server.pid"
    ;;
  *)
    usage
    ;;
esac
