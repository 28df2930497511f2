#!/usr/bin/env bash
# Builds the OGC CITE executable test suites from the sources vendored in
# conformance/cite/vendor (their release tags, see conformance/README.md).
#
# Why from source: the ets-* artifacts are not served by the Maven registry
# this project can reach (their dependencies are), and two of their parents
# (ets-common 15, teamengine-spi-ctl, cite1-utils) are not served either.
# The sources are copied into target/conformance/cite/src, patched with
# conformance/cite/patches/<suite>.patch (pom versions; ets-wfs20: more, see
# conformance/README.md), and compiled
# with their runtime dependencies copied next to them; Maven's downloads stay
# in ~/.m2, so a rerun is offline and quick. A suite is rebuilt only when its
# vendored sources or its patch change (a stamp holds their digest).
#
# Debian's Maven is 3.8.7 and ets-common enforces 3.9: -Denforcer.skip=true.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${CITE_BUILD:-$ROOT/target/conformance/cite}"
mkdir -p "$OUT/src"

MVN=(mvn -B -q -Dmaven.test.skip=true -Denforcer.skip=true -Dspring-javaformat.skip=true
     -Dmaven.javadoc.skip=true -Dmaven.site.skip=true -Dbuildnumber.skip=true -Dstyle.color=never)

digest() { (cd "$HERE" && find "vendor/$1" "patches/$1.patch" -type f 2>/dev/null | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16); }

# prepare NAME: copies vendor/NAME (+ its patch) to $OUT/src/NAME; returns 1 when already built.
prepare() {
  local name=$1 d
  d=$(digest "$name")
  if [[ -f "$OUT/src/$name/.built" && "$(cat "$OUT/src/$name/.built")" == "$d" ]]; then
    return 1
  fi
  rm -rf "$OUT/src/$name"
  cp -r "$HERE/vendor/$name" "$OUT/src/$name"
  if [[ -f "$HERE/patches/$name.patch" ]]; then
    # $OUT is inside this repository by default: without the ceiling, git apply
    # takes the paths of a `git diff` patch (diff --git headers) as relative to
    # the repository's root and skips them all ("Skipped patch", exit 0).
    local applied
    applied=$(cd "$OUT/src/$name" && GIT_CEILING_DIRECTORIES="$OUT/src" \
      git apply -v --unsafe-paths -p1 "$HERE/patches/$name.patch" 2>&1) || { echo "$applied" >&2; exit 1; }
    if grep -q '^Skipped patch' <<<"$applied"; then
      echo "$applied" >&2; echo "conformance: $name.patch was not applied" >&2; exit 1
    fi
  fi
  echo "$d" > "$OUT/src/$name/.digest"
  return 0
}
done_() { mv "$OUT/src/$1/.digest" "$OUT/src/$1/.built"; }

step() {
  local name=$1 dir=$2; shift 2
  if prepare "$name"; then
    echo "conformance: building $name"
    if ! (cd "$OUT/src/$name/$dir" && "${MVN[@]}" "$@") >"$OUT/build-$name.log" 2>&1; then
      tail -40 "$OUT/build-$name.log" >&2
      echo "conformance: building $name failed (log: $OUT/build-$name.log)" >&2
      exit 1
    fi
    done_ "$name"
  fi
}

# Libraries the CTL suites need, not served by the registry: installed in ~/.m2.
step teamengine-spi-ctl-6.0.0-RC2 teamengine-spi-ctl install
step cite1-utils-1.1.1 . install
# The suites: classes + runtime dependencies (the aio assembly needs the site build).
for s in ets-ogcapi-features10-1.9 ets-wms13-1.34 ets-wms11-1.23 ets-wmts10-1.11 ets-csw202-1.19; do
  step "$s" . compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/deps
done
# ets-wfs20 cannot be built as published (Geotk is not on Maven Central): its
# patch replaces the geomatics-geotk classes it calls (Apache SIS + JTS, see
# conformance/README.md) and adds unit tests of those replacements, which run
# here (`test`): a replacement that misjudges geometries fails the build.
step ets-wfs20-1.43 . -Dmaven.test.skip=false -DskipTests=false test \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/deps

# Extras on the suites' classpath: WebP decoding for Java ImageIO (WMTS tiles
# in image/webp), from the registry.
if [[ ! -f "$OUT/extras/.built" || "$HERE/extras/pom.xml" -nt "$OUT/extras/.built" ]]; then
  echo "conformance: fetching the classpath extras"
  rm -rf "$OUT/extras" && mkdir -p "$OUT/extras"
  if ! (cd "$HERE/extras" && "${MVN[@]}" dependency:copy-dependencies -DoutputDirectory="$OUT/extras/jars") >"$OUT/build-extras.log" 2>&1; then
    tail -40 "$OUT/build-extras.log" >&2; exit 1
  fi
  touch "$OUT/extras/.built"
fi

# TEAM Engine loads its CTL parser definitions only from files, not from a
# jar (Misc.getResourceAsFile): unpack teamengine-resources once, first on the
# CTL suites' classpath.
if [[ ! -d "$OUT/te-resources/com" ]]; then
  jar=$(ls "$OUT/src/ets-wms13-1.34/target/deps"/teamengine-resources-*.jar | head -1)
  rm -rf "$OUT/te-resources" && mkdir -p "$OUT/te-resources"
  (cd "$OUT/te-resources" && unzip -q "$jar")
fi
echo "conformance: suites built in $OUT"
