#!/usr/bin/env bash
# Installs what geocentre needs on Debian 12, skipping what is already there.
#   scripts/install-deps.sh          build and run (GDAL, SQLite, clang for bindgen)
#   scripts/install-deps.sh --test   plus the test tools (gdal-bin, xmllint, Python venv with OWSLib,
#                                    SeaweedFS as the S3 server)
#   scripts/install-deps.sh --cluster   plus the scale-out servers (PostgreSQL + PostGIS, nginx,
#                                    SeaweedFS): make demo-cluster
set -euo pipefail
cd "$(dirname "$0")/.."

# libssl-dev: the S3 client's TLS is the system OpenSSL (geocentre-blob/src/s3.rs).
packages=(libgdal-dev libsqlite3-dev libclang-dev libssl-dev pkg-config gdal-bin curl ca-certificates fonts-dejavu-core)
if [[ "${1:-}" == "--cluster" ]]; then
  packages+=(postgresql-15-postgis-3 postgresql-client-15 nginx)
fi
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libxml2-utils python3-gdal python3-numpy python3-venv python3-pip python3-qgis chromium)
  # libFuzzer (make fuzz-short, scripts/fuzz.sh) is C++, built by libfuzzer-sys.
  packages+=(g++)
  # The conformance suites (make conformance): the OGC CITE suites are built
  # with Maven and run on Java 17; unzip unpacks TEAM Engine's resources.
  # The INSPIRE service ports parse with lxml (XPath, schema validation).
  packages+=(maven openjdk-17-jdk-headless unzip python3-lxml)
  # The scale-out backends (docs/deployment.md): a throwaway PostgreSQL +
  # PostGIS cluster (scripts/pg-test-cluster.sh) and nginx in front of the
  # replicas.
  packages+=(postgresql-15-postgis-3 postgresql-client-15 nginx)
  # Browser tests (tests/browser): Debian's Node.js, unless node and npm are already there.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "error: cargo (Rust 1.94 or newer) is required: install it with rustup (https://rustup.rs)" >&2
  exit 1
fi

# EPCI membership for the demo (the npm package @etalab/decoupage-administratif,
# fetched from the npm registry with curl: no Node.js needed), pinned and checked.
DECOUPAGE_VERSION=6.0.0
DECOUPAGE_SHA256=c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a
DECOUPAGE_DIR=.cache/decoupage-administratif-$DECOUPAGE_VERSION
if [[ ! -f "$DECOUPAGE_DIR/package/data/epci.json" ]]; then
  echo "Fetching @etalab/decoupage-administratif $DECOUPAGE_VERSION (EPCI membership for the demo)"
  mkdir -p "$DECOUPAGE_DIR"
  tgz="$DECOUPAGE_DIR/package.tgz"
  curl -fsSL -o "$tgz" "https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-$DECOUPAGE_VERSION.tgz"
  echo "$DECOUPAGE_SHA256  $tgz" | sha256sum -c --quiet
  tar -xzf "$tgz" -C "$DECOUPAGE_DIR"
fi

if [[ "${1:-}" == "--test" ]]; then
  # Debian's interpreter, so that the venv sees Debian's GDAL bindings.
  if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import osgeo' 2>/dev/null; then
    rm -rf .venv
    /usr/bin/python3 -m venv --system-site-packages .venv
  fi
  if ! cmp -s tests/requirements.txt .venv/.requirements 2>/dev/null; then
    .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
    cp tests/requirements.txt .venv/.requirements
  fi
  # playwright-core and maplibre-gl as locked, for Debian's chromium: never a browser download.
  if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.geocentre-lock 2>/dev/null; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error
    cp tests/browser/package-lock.json tests/browser/node_modules/.geocentre-lock
  fi
fi

if [[ "${1:-}" == "--test" || "${1:-}" == "--cluster" ]]; then
  # The S3-compatible server of the scale-out tests and `make demo-cluster`
  # (scripts/s3-server.sh): SeaweedFS's `weed`, a Go module built from the
  # Go module proxy (docs/deployment.md says why this server). Built once
  # into $(go env GOPATH)/bin (about 7 minutes on 2 cores) and kept there;
  # its 2 GB of module and build caches go to a temporary folder removed
  # afterwards. Its go.mod has replace directives, which `go install
  # module@version` refuses: the module is downloaded and built in place.
  SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
  SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6 # SeaweedFS 4.53
  if ! command -v go >/dev/null; then
    echo "error: go (1.26 or newer) is required to build SeaweedFS for the S3 tests" >&2
    exit 1
  fi
  weed_bin="$(go env GOPATH)/bin/weed"
  if [[ ! -x "$weed_bin" ]] || ! cmp -s <(echo "$SEAWEEDFS_VERSION") "$weed_bin.version" 2>/dev/null; then
    echo "Building SeaweedFS $SEAWEEDFS_VERSION (the S3 server of the tests; a few minutes, once)"
    gotmp=$(mktemp -d)
    status=0
    (
      export GOMODCACHE="$gotmp/mod" GOCACHE="$gotmp/cache" GOFLAGS=-mod=mod
      dir=$(go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
      mkdir -p "$(dirname "$weed_bin")"
      cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$weed_bin.new" ./weed
    ) || status=$?
    chmod -R u+w "$gotmp" && rm -rf "$gotmp"
    [[ $status == 0 ]] || exit $status
    mv "$weed_bin.new" "$weed_bin"
    echo "$SEAWEEDFS_VERSION" >"$weed_bin.version"
  fi
fi
