# Sourced by scripts/demo-cluster.sh: starts the object store (SeaweedFS,
# scripts/s3-server.sh) with its data in $1, and points geocentre at it:
# AWS_* credentials in the environment, and a geocentre.toml (in $1) whose
# [store] names the bucket and the endpoint, passed with GEOCENTRE_CONFIG.
# Defines s3_stop, which the caller runs when it stops.
s3_dir=${1:?DIR}
S3_PORT=${S3_PORT:-25450}
mkdir -p "$s3_dir"
bash scripts/s3-server.sh start "$s3_dir" "$S3_PORT"
eval "$(bash scripts/s3-server.sh env "$S3_PORT")"
cat >"$s3_dir/geocentre.toml" <<TOML
# Written by scripts/demo-cluster.sh: the scale-out stores of the demo.
[store]
blobs = "s3://geocentre/demo"

[store.s3]
endpoint = "http://127.0.0.1:$S3_PORT"
path_style = true
allow_http = true
TOML
export GEOCENTRE_CONFIG="$s3_dir/geocentre.toml"
echo "objects: s3://geocentre/demo on http://127.0.0.1:$S3_PORT"
s3_stop() { bash scripts/s3-server.sh stop "$s3_dir" || true; }
