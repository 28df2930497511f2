#!/usr/bin/env bash
# Installs what geocentre needs on Debian 12, skipping what is already there.
#   scripts/install-deps.sh          build and run (GDAL, SQLite, clang for bindgen)
#   scripts/install-deps.sh --test   plus the test tools (gdal-bin, xmllint, Python venv with OWSLib)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgdal-dev libsqlite3-dev libclang-dev pkg-config gdal-bin curl ca-certificates fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libxml2-utils python3-gdal python3-numpy python3-venv python3-pip python3-qgis chromium)
  # libFuzzer (make fuzz-short, scripts/fuzz.sh) is C++, built by libfuzzer-sys.
  packages+=(g++)
  # The conformance suites (make conformance): the OGC CITE suites are built
  # with Maven and run on Java 17; unzip unpacks TEAM Engine's resources.
  # The INSPIRE service ports parse with lxml (XPath, schema validation).
  packages+=(maven openjdk-17-jdk-headless unzip python3-lxml)
  # The scale-out backends (docs/deployment.md): a throwaway PostgreSQL +
  # PostGIS cluster (scripts/pg-test-cluster.sh) and HAProxy in front of the
  # replicas (tests/interop/cluster.py says why not nginx, which the
  # benchmarks still use).
  packages+=(postgresql-15-postgis-3 postgresql-client-15 haproxy nginx)
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
