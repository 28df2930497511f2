"""A SYNTHETIC catalog of a region's size, scaled down to run in the suite.

`geocentre synth-region` fills an empty registry with a grid of dalles (two
vintages), their chunk rows and the composite's, every composite chunk
pointing at a real chunk COG of the session's REAL `ign` layer (docs/
benchmarks.md measures the full size: 10^6 dalles a vintage). Here the grid
is 230 x 230 dalles a vintage (105 800 in all): past the dalle index's
100 000-dalle bound for one GeoJSON document, and big enough that a scan
where an index should answer would show.

Expected answers come from the grid's own arithmetic (corner + i x 200 m),
never from the server.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import cluster
import helpers
from helpers import Server, run_cli

SIDE = 230
X0, Y0, STEP = 520_000.0, 6_590_000.0, 200.0


@pytest.fixture(scope="module")
def synth(env, tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    data = root / "data"
    # The source's own stores (PostgreSQL and S3 in the scale-out configuration).
    source = cluster.store_env(env.data_dir)
    stores = [a for k, opt in (("GEOCENTRE_CATALOG", "--from-catalog"), ("GEOCENTRE_BLOBS", "--from-blobs"))
              if source.get(k) for a in (opt, source[k])]
    proc = run_cli(["synth-region", "--from-data-dir", env.data_dir, *stores, "--layer", "ign", "--side", SIDE,
                    "--x0", X0, "--y0", Y0], data_dir=data, timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc, "synth-region failed")
    rep = json.loads(proc.stdout)
    srv = Server(data_dir=data, log_path=root / "server.log").start(timeout=300)
    yield {"data": data, "server": srv, "report": rep}
    srv.stop()


def test_the_catalog_has_the_size_asked_and_says_it_is_synthetic(synth):
    rep = synth["report"]
    assert rep["synthetic"] is True
    assert rep["dalles"] == 2 * SIDE * SIDE
    assert rep["composite_chunks"] > 0 and rep["vintage_chunks"] == 2 * rep["composite_chunks"]
    r = synth["server"].get("/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0")
    assert r.status_code == 200
    assert "SYNTHÉTIQUE" in r.text


def test_the_dalle_index_is_bounded_and_narrowed_by_bbox(synth):
    srv = synth["server"]
    r = srv.get("/api/ortho/layers/ign/dalles.geojson")
    assert r.status_code == 413, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "bbox=" in r.json()["detail"]
    # A small box: the dalles it meets, from the grid's arithmetic.
    lon_lat = helpers.bbox_to_wgs84((X0 + 1010, Y0 + 1010, X0 + 1390, Y0 + 1390))
    r = srv.get("/api/ortho/layers/ign/dalles.geojson?bbox=" + ",".join(f"{v:.7f}" for v in lon_lat))
    assert r.status_code == 200, r.text[:500]
    names = {f["properties"]["dalle"] for f in r.json()["features"]}
    # The box reprojected grows a little: it meets columns/rows 5-6, maybe 4 or 7.
    want = {f"SYNTH_{v}_{int(X0 + c * STEP)}_{int(Y0 + (row + 1) * STEP)}_5cm.jp2"
            for v in (2021, 2024) for c in (5, 6) for row in (5, 6)}
    assert want <= names, sorted(want - names)
    assert len(names) <= 2 * 16
    r = srv.get("/api/ortho/layers/ign/dalles.geojson?bbox=1,2,3")
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")


def test_getfeatureinfo_finds_the_dalle_under_the_point(synth):
    srv = synth["server"]
    c, row = 117, 41
    x, y = X0 + c * STEP + 73.0, Y0 + row * STEP + 121.0
    half = 50.0
    r = srv.get("/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetFeatureInfo", "LAYERS": "ign",
        "QUERY_LAYERS": "ign", "STYLES": "", "CRS": "EPSG:2154",
        "BBOX": f"{x - half},{y - half},{x + half},{y + half}", "WIDTH": 101, "HEIGHT": 101,
        "I": 50, "J": 50, "INFO_FORMAT": "application/json", "FORMAT": "image/png"})
    assert r.status_code == 200, r.text[:500]
    # The composite paints 2024 over 2021: the 2024 dalle answers.
    want = f"SYNTH_2024_{int(X0 + c * STEP)}_{int(Y0 + (row + 1) * STEP)}_5cm.jp2"
    assert want in r.text, r.text[:1000]


def test_a_native_tile_is_served_from_the_composite(synth):
    srv = synth["server"]
    level = 22
    row, col = helpers.l93_tile_of(level, X0 + 20_000.0, Y0 + 20_000.0)
    r = srv.get(f"/wmts/1.0.0/ign/default/{helpers.L93_TMS}/{level}/{row}/{col}.jpg")
    assert r.status_code == 200, r.text[:300]
    assert r.content[:2] == b"\xff\xd8"


def test_a_change_elsewhere_is_applied_without_reloading_the_pyramids(synth):
    srv = synth["server"]
    before = srv.get("/readyz").text
    t0 = time.time()
    proc = run_cli(["group", "set", "plan", "--title", "Plan", "ign"], data_dir=synth["data"])
    assert proc.returncode == 0, helpers.describe_proc(proc)
    while srv.get("/readyz").text == before:
        assert time.time() - t0 < 5, "the change was not seen within 5 s"
        time.sleep(0.02)
    # The logs say how long each load took: the second kept the pyramids.
    logs = [r.log_path for r in srv.replicas] if srv.replicas else [srv.log_path]
    for path in logs:
        ms = [int(line.split("load_ms=")[1].split()[0].strip('",}'))
              for line in Path(path).read_text(errors="replace").splitlines()
              if "snapshot loaded" in line and "load_ms=" in line]
        assert len(ms) >= 2, (path, ms)
        assert ms[-1] * 5 < ms[0] and ms[-1] < 1000, f"{path}: first load {ms[0]} ms, the change {ms[-1]} ms"
