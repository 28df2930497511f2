#!/usr/bin/env bash
# Backups of a scale-out installation (docs/deployment.md, "Backups and
# restore"; tested by tests/interop/test_restore.py): the registry
# (PostgreSQL, pg_dump in custom format), the objects (an S3 bucket with
# versioning: a manifest of the versions current at the dump's time) and
# the published GeoPackages (the data directory's vector/ folder).
#
#   scripts/backup.sh versioning          turn the bucket's versioning on (once, before the first ingest)
#   scripts/backup.sh backup DIR          write DIR/registry.dump, DIR/objects.json, DIR/vector.tar
#   scripts/backup.sh restore DIR URL     restore DIR: the registry into the NEW database URL (created
#                                         here, from template0), the objects of the manifest back in
#                                         the bucket (and nothing else under the prefix), vector/ into
#                                         the data directory
#
# The stores come from the environment, as for geocentre itself:
#   GEOCENTRE_CATALOG   postgres://… of the registry (backup)
#   GEOCENTRE_BLOBS     s3://bucket/prefix
#   GEOCENTRE_DATA_DIR  the data directory (its vector/ folder); optional
#   AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
# Needs the PostgreSQL client (pg_dump, pg_restore, createdb, psql; Debian's
# postgresql-client) and python3 (scripts/s3-versions.py: standard library).
#
# Order matters: the time is taken, then the registry dumped, then the
# manifest written *as of that time*. The dump references only objects
# recorded complete before it started, and every one of them has a version
# at or before that time, even one GC deleted since (versioning keeps it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
versions() { python3 "$here/s3-versions.py" "$@"; }

cmd=${1:-}
case "$cmd" in
  versioning)
    versions versioning
    ;;
  backup)
    out=${2:?DIR}
    url=${GEOCENTRE_CATALOG:?GEOCENTRE_CATALOG (postgres://…) is needed}
    mkdir -p "$out"
    at=$(date +%s)
    pg_dump --format=custom --file="$out/registry.dump.part" "$url"
    mv "$out/registry.dump.part" "$out/registry.dump"
    versions manifest --at "$at" >"$out/objects.json.part"
    mv "$out/objects.json.part" "$out/objects.json"
    if [[ -n "${GEOCENTRE_DATA_DIR:-}" && -d "$GEOCENTRE_DATA_DIR/vector" ]]; then
      tar -C "$GEOCENTRE_DATA_DIR" -cf "$out/vector.tar.part" vector
      mv "$out/vector.tar.part" "$out/vector.tar"
    fi
    echo "backup in $out: registry.dump, objects.json ($(grep -c '"key"' "$out/objects.json") objects)$([[ -f "$out/vector.tar" ]] && echo ', vector.tar')"
    ;;
  restore)
    in=${2:?DIR}
    url=${3:?URL of the new registry database}
    # postgres://user@host:port/NAME?options → NAME, and the server's
    # maintenance database `postgres` with the same options.
    base=${url%%\?*}
    opts=${url#"$base"}
    name=${base##*/}
    admin="${base%/*}/postgres$opts"
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "error: '$name' is not a plain database name" >&2; exit 2; }
    # A new, empty database: template0 has nothing of the server's
    # template1 (the dump creates the extensions it needs).
    createdb --maintenance-db="$admin" --template=template0 --encoding=UTF8 "$name"
    pg_restore --exit-on-error --no-owner --dbname="$url" "$in/registry.dump"
    versions restore "$in/objects.json"
    if [[ -f "$in/vector.tar" ]]; then
      dir=${GEOCENTRE_DATA_DIR:?GEOCENTRE_DATA_DIR (where vector/ goes) is needed to restore vector.tar}
      mkdir -p "$dir"
      rm -rf "$dir/vector"
      tar -C "$dir" -xf "$in/vector.tar"
    fi
    echo "restored $in: registry into $name, objects under $GEOCENTRE_BLOBS"
    ;;
  *)
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
