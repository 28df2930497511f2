#!/usr/bin/env bash
# Installs what geocentre needs on Debian 12, skipping what is already there.
#   scripts/install-deps.sh          build and run (GDAL, SQLite, clang for bindgen)
#   scripts/install-deps.sh --test   plus the test tools (gdal-bin, xmllint, Python venv with OWSLib)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgdal-dev libsqlite3-dev libclang-dev pkg-config gdal-bin)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libxml2-utils python3-gdal python3-numpy python3-venv python3-pip python3-qgis)
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
fi
