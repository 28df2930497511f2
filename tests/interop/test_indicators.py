"""The coverage indicator (/api/indicators/coverage) and the dalle index as
GeoJSON (/api/ortho/layers/{id}/dalles.geojson), on a module server of their own.

Data:
  * REAL: the region of Centre-Val de Loire (data/admin/region-centre-val-de-loire.geojson,
    IGN ADMIN EXPRESS, WGS84), the indicator's territory, given to the server
    with `--config` ([indicators] region).
  * DERIVED, written here in pytest's tmp dir (derived.relocated_copy): the REAL
    RVB tile's 252 x 252 pixels georeferenced with 20 m pixels (5,040 m dalles) at
    places chosen from the region's geometry at test time:
      layer `cov`, vintage 2021: A (around the region's centroid), B (A moved half
        a dalle east: overlaps A), C (centred on the region's northernmost vertex:
        partly outside), D (30 km north of that vertex: wholly outside);
      layer `cov`, vintage 2024: E (A moved 3/4 of a dalle south: overlaps A),
        F (20 km west of A);
      layer `autre`, vintage 2023: G (20 km east of A).

Expected values are computed here with OGR, not by the server: each dalle's
footprint from `gdalinfo -json` of the file, densified in Lambert-93 and
projected to ETRS89-LAEA (EPSG:3035, equal-area), unioned, intersected with
the region projected from WGS84 to EPSG:3035, area in km².
"""
from __future__ import annotations

import json
import subprocess

import pytest

import derived
import helpers
from helpers import Server, child_env, describe_proc, ingest

REGION = helpers.DATA / "admin" / "region-centre-val-de-loire.geojson"  # REAL
PIXEL = 20.0
SIDE = 252 * PIXEL  # 5,040 m


def ogr():
    from osgeo import ogr as _o
    _o.UseExceptions()
    return _o


def srs(epsg):
    from osgeo import osr
    osr.UseExceptions()
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def transform(geom, src, dst):
    from osgeo import osr
    g = geom.Clone()
    g.Transform(osr.CoordinateTransformation(srs(src), srs(dst)))
    return g


def read_region():
    """(name, union in EPSG:4326) of the REAL region file, read with OGR."""
    ds = ogr().Open(str(REGION))
    lyr = ds.GetLayer(0)
    name, union = None, None
    for f in lyr:
        name = name or f.GetField("nom")
        g = f.GetGeometryRef().Clone()
        union = g if union is None else union.Union(g)
    assert union is not None and name, f"no region read from {REGION}"
    return name, union


def rect(minx, miny, maxx, maxy):
    return ogr().CreateGeometryFromWkt(
        f"POLYGON(({minx} {miny},{maxx} {miny},{maxx} {maxy},{minx} {maxy},{minx} {miny}))")


def footprint(path):
    """Lambert-93 footprint (minx, miny, maxx, maxy), pixel size and driver, by `gdalinfo -json`."""
    r = subprocess.run(["gdalinfo", "-json", str(path)], capture_output=True, text=True, timeout=60,
                       env=child_env())
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    (ulx, uly), (lrx, lry) = info["cornerCoordinates"]["upperLeft"], info["cornerCoordinates"]["lowerRight"]
    return (ulx, lry, lrx, uly), info["geoTransform"][1], info["driverShortName"]


def covered_km2(region_3035, bboxes):
    """Area (km², EPSG:3035) of the union of Lambert-93 rectangles inside the region."""
    union = None
    for b in bboxes:
        g = rect(*b)
        g.Segmentize(50.0)  # edges stay straight in Lambert-93, not in LAEA
        g = transform(g, 2154, 3035)
        union = g if union is None else union.Union(g)
    if union is None:
        return 0.0
    return union.Intersection(region_3035).GetArea() / 1e6


def snap(v):
    return round(v / PIXEL) * PIXEL


@pytest.fixture(scope="module")
def region():
    name, r4326 = read_region()
    r93 = transform(r4326, 4326, 2154)
    r3035 = transform(r4326, 4326, 3035)
    return {"name": name, "l93": r93, "laea": r3035, "km2": r3035.GetArea() / 1e6}


def vertices(coords):
    """Every (x, y) of a GeoJSON coordinates array, whatever its nesting."""
    if coords and isinstance(coords[0], (int, float)):
        yield coords[0], coords[1]
    else:
        for c in coords:
            yield from vertices(c)


def layout(region):
    """Upper-left corners of the DERIVED dalles, from the region's geometry."""
    r93 = region["l93"]
    c = r93.Centroid()
    cx, cy = snap(c.GetX()), snap(c.GetY())
    ring_pts = list(vertices(json.loads(r93.ExportToJson())["coordinates"]))
    tx, ty = max(ring_pts, key=lambda p: p[1])
    tx, ty = snap(tx), snap(ty)
    h = SIDE / 2
    a = (cx - h, cy + h)
    return {
        "cov-2021": {"A": a, "B": (a[0] + h, a[1]), "C": (tx - h, ty + h), "D": (tx - h, ty + 30000 + h)},
        "cov-2024": {"E": (a[0], a[1] - 0.75 * SIDE), "F": (a[0] - 20000, a[1])},
        "autre-2023": {"G": (a[0] + 20000, a[1])},
    }


@pytest.fixture(scope="module")
def cov(geocentre_bin, rvb, region, tmp_path_factory):
    root = tmp_path_factory.mktemp("indicators")
    data = root / "data"
    files = {}  # view -> [(letter, path, bbox, pixel, driver)]
    for view, places in layout(region).items():
        layer, vintage = view.rsplit("-", 1)
        d = root / "src" / view
        d.mkdir(parents=True)
        files[view] = []
        for letter, (ulx, uly) in places.items():
            p = derived.relocated_copy(rvb["path"], d / f"{view}-{letter}.tif", ulx, uly, PIXEL)
            files[view].append((letter, p, *footprint(p)))
        proc, rep = ingest(data, layer, int(vintage), [d],
                           extra=["--producer", f"Producteur {view}", "--acquired", f"{vintage}-06-01"])
        assert proc.returncode == 0 and rep["status"] == "published", describe_proc(proc, f"ingest of {view}")
    # Preconditions of the layout (checked on the geometry, not assumed).
    fp = {letter: rect(*b) for v in files.values() for letter, _, b, _, _ in v}
    r93 = region["l93"]
    assert r93.Contains(fp["A"]) and r93.Contains(fp["B"]) and r93.Contains(fp["E"]), "A/B/E not inside the region"
    inside_c = fp["C"].Intersection(r93).GetArea() / fp["C"].GetArea()
    assert 0.05 < inside_c < 0.95, f"C does not straddle the region's edge ({inside_c:.2f} inside)"
    assert not fp["D"].Intersects(r93), "D is not outside the region"
    assert fp["A"].Intersects(fp["B"]) and fp["A"].Intersects(fp["E"]), "overlaps missing"
    config = root / "geocentre.toml"
    config.write_text(f"[indicators]\nregion = '{REGION}'\n")
    srv = Server(data_dir=data, log_path=root / "server.log", args=["--config", config]).start()
    yield {"srv": srv, "files": files, "data": data, "root": root}
    srv.stop()


def coverage(srv):
    r = srv.get("/api/indicators/coverage")
    assert r.status_code == 200, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    return r.json()


def close(got_km2, want_km2, what):
    # The server rounds to 0.001 km²; 1e-4 relative is far below the 0.1 %
    # an area measured in Lambert-93 instead of an equal-area CRS would be off
    # by in this region, and far below a missed overlap or a missed clip.
    print(f"{what}: server {got_km2} km², OGR {want_km2:.4f} km²")
    assert abs(got_km2 - want_km2) <= 0.0015 + 1e-4 * want_km2, f"{what}: {got_km2} km², OGR: {want_km2:.4f} km²"


def check_share(share, want_km2, region_km2, what):
    close(share["km2"], want_km2, what)
    pct = 100.0 * want_km2 / region_km2
    assert abs(share["percent"] - pct) <= 0.0001 + 1e-4 * pct, f"{what}: {share['percent']} %, OGR: {pct:.5f} %"


# --------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------

def test_region_is_the_configured_territory(cov, region):
    doc = coverage(cov["srv"])
    assert doc["indicator"] == "coverage", doc
    assert doc["region"]["name"] == region["name"], (doc["region"], region["name"])
    assert doc["region"]["source"] == REGION.name, doc["region"]
    close(doc["region"]["area_km2"], region["km2"], "region area")


def test_coverage_per_vintage_and_composite_matches_ogr(cov, region):
    doc = coverage(cov["srv"])
    files = cov["files"]
    by_layer = {l["layer"]: l for l in doc["layers"]}
    assert set(by_layer) == {"cov", "autre"}, sorted(by_layer)
    for layer, views in (("cov", ["cov-2021", "cov-2024"]), ("autre", ["autre-2023"])):
        got = by_layer[layer]
        vintages = {v["vintage"]: v for v in got["vintages"]}
        assert sorted(vintages) == sorted(int(v.rsplit("-", 1)[1]) for v in views), got["vintages"]
        everything = []
        for view in views:
            v = vintages[int(view.rsplit("-", 1)[1])]
            bboxes = [b for _, _, b, _, _ in files[view]]
            everything += bboxes
            assert v["dalles"] == len(bboxes), v
            check_share(v, covered_km2(region["laea"], bboxes), region["km2"], f"{view}")
        check_share(got["composite"], covered_km2(region["laea"], everything), region["km2"], f"{layer} composite")
    # The layout makes every rule count: overlaps once (A, B, E), the part
    # outside the region not at all (C, D). Without them the totals differ by
    # far more than the tolerance.
    naive = sum((b[2] - b[0]) * (b[3] - b[1]) for _, _, b, _, _ in files["cov-2021"]) / 1e6
    got_2021 = [v for v in by_layer["cov"]["vintages"] if v["vintage"] == 2021][0]["km2"]
    assert naive - got_2021 > 20, (naive, got_2021)


def test_coverage_follows_a_new_vintage(geocentre_bin, rvb, region, tmp_path):
    """A server running while a vintage is published reports the new coverage
    (the indicator is not stuck on its first computation)."""
    places = layout(region)
    data = tmp_path / "data"
    config = tmp_path / "geocentre.toml"
    config.write_text(f"[indicators]\nregion = '{REGION}'\n")
    src = {}
    for view in ("cov-2021", "cov-2024"):
        d = tmp_path / view
        d.mkdir()
        src[view] = [derived.relocated_copy(rvb["path"], d / f"{k}.tif", *ul, PIXEL)
                     for k, ul in places[view].items()]
    proc, _ = ingest(data, "cov", 2021, [tmp_path / "cov-2021"])
    assert proc.returncode == 0, describe_proc(proc)
    srv = Server(data_dir=data, log_path=tmp_path / "server.log", args=["--config", config]).start()
    try:
        first = coverage(srv)
        b2021 = [footprint(p)[0] for p in src["cov-2021"]]
        check_share(first["layers"][0]["composite"], covered_km2(region["laea"], b2021), region["km2"], "2021 only")
        proc, _ = ingest(data, "cov", 2024, [tmp_path / "cov-2024"])
        assert proc.returncode == 0, describe_proc(proc)
        import time
        deadline = time.monotonic() + 20
        while True:
            doc = coverage(srv)
            if doc["generation"] != first["generation"] and len(doc["layers"][0]["vintages"]) == 2:
                break
            assert time.monotonic() < deadline, f"the indicator never showed the 2024 vintage: {doc}"
            time.sleep(0.3)
        b2024 = [footprint(p)[0] for p in src["cov-2024"]]
        check_share(doc["layers"][0]["composite"], covered_km2(region["laea"], b2021 + b2024), region["km2"],
                    "2021 + 2024")
    finally:
        srv.stop()


def test_unreadable_territory_is_a_503_problem(geocentre_bin, rvb, tmp_path):
    data = tmp_path / "data"
    proc, _ = ingest(data, "cov", 2021, [rvb["path"]])
    assert proc.returncode == 0, describe_proc(proc)
    missing = tmp_path / "absent" / "region.geojson"
    config = tmp_path / "geocentre.toml"
    config.write_text(f"[indicators]\nregion = '{missing}'\n")
    srv = Server(data_dir=data, log_path=tmp_path / "server.log", args=["--config", config]).start()
    try:
        r = srv.get("/api/indicators/coverage")
        assert r.status_code == 503, (r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
        # The path is for the operator (the log), not for visitors.
        assert "indicators.region" in r.json()["detail"], r.json()
        assert str(missing) not in r.text and "absent" not in r.text, r.json()
        assert str(missing) in srv.log(), srv.log()
    finally:
        srv.stop()


# --------------------------------------------------------------------------
# Dalle index as GeoJSON
# --------------------------------------------------------------------------

def dalles_geojson(srv, view):
    r = srv.get(f"/api/ortho/layers/{view}/dalles.geojson")
    assert r.status_code == 200, (view, r.status_code, r.text[:300])
    assert r.headers["content-type"].split(";")[0] == "application/geo+json", r.headers["content-type"]
    return r.json()


def on_rectangle_boundary(x, y, b, tol=0.01):
    minx, miny, maxx, maxy = b
    inside = minx - tol <= x <= maxx + tol and miny - tol <= y <= maxy + tol
    return inside and min(abs(x - minx), abs(x - maxx), abs(y - miny), abs(y - maxy)) <= tol


@pytest.mark.parametrize("view,sources", [
    ("cov-2021", ["cov-2021"]), ("cov-2024", ["cov-2024"]), ("cov", ["cov-2021", "cov-2024"]),
    ("autre", ["autre-2023"]),
])
def test_dalles_geojson_lists_the_ingested_files(cov, view, sources):
    from osgeo import osr
    doc = dalles_geojson(cov["srv"], view)
    assert doc["type"] == "FeatureCollection", doc.get("type")
    want = {p.name: (v, p, b, px, drv) for v in sources for _, p, b, px, drv in cov["files"][v]}
    feats = {f["properties"]["dalle"]: f for f in doc["features"]}
    assert len(feats) == len(doc["features"]) and set(feats) == set(want), (sorted(feats), sorted(want))
    to_l93 = osr.CoordinateTransformation(srs(4326), srs(2154))
    for name, (src_view, path, b, px, drv) in want.items():
        f = feats[name]
        layer, vintage = src_view.rsplit("-", 1)
        p = f["properties"]
        assert f["type"] == "Feature" and f["id"] == f"{layer}-{vintage}/{name}", f["id"]
        assert p["vintage"] == int(vintage), p
        assert p["producer"] == f"Producteur {src_view}" and p["acquired"] == f"{vintage}-06-01", p
        assert p["bbox_l93"] == pytest.approx(list(b), abs=1e-6), (p["bbox_l93"], b)
        assert p["resolution_m"] == pytest.approx(px, abs=1e-9), p
        assert p["format"] == drv, p
        assert p["source"] == f"{path.parent.name}/{path.name}", p  # folder/name, not the ingest machine's path
        # The outline, read back to Lambert-93 with OSR: on the footprint's edges, through its corners.
        assert f["geometry"]["type"] == "Polygon", f["geometry"]
        ring = f["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 5, ring
        pts = [to_l93.TransformPoint(lon, lat)[:2] for lon, lat in ring]
        off = [pt for pt in pts if not on_rectangle_boundary(*pt, b)]
        assert not off, f"{name}: outline points off the footprint {b}: {off[:3]}"
        for corner in ((b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3])):
            assert min(abs(x - corner[0]) + abs(y - corner[1]) for x, y in pts) < 0.02, (name, corner)


def test_dalles_geojson_of_unknown_layer_is_404(cov):
    for view in ("nope", "cov-1999", "cov-dalles"):
        r = cov["srv"].get(f"/api/ortho/layers/{view}/dalles.geojson")
        assert r.status_code == 404, (view, r.status_code, r.text[:200])
