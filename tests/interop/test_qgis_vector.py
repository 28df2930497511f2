"""QGIS (headless) loads the server's WFS 2.0 and OGC API Features layers of the
REAL communes of the repository's data/ and counts the features: every commune, with the
attributes of the source read by OGR, and a rectangle query that QGIS sends to
the server (a bbox in the request URLs) giving the communes whose geometry meets
the rectangle (computed with OGR on the source).

QGIS runs in a subprocess: Debian's /usr/bin/python3 with python3-qgis
(`GEOCENTRE_QGIS_PYTHON` to override), QT_QPA_PLATFORM=offscreen, a fresh HOME
and profile in pytest's tmp dir (no cache from an earlier run)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import helpers
from helpers import Server, describe_proc

HERE = Path(__file__).resolve().parent
QGIS_PYTHON = os.environ.get("GEOCENTRE_QGIS_PYTHON", "/usr/bin/python3")
COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
TYPE = "admin.communes_centre_val_de_loire"
RECT = (1.85, 47.85, 1.95, 47.95)  # lon/lat around Orléans


@pytest.fixture(scope="module")
def qgis_run(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qgis-vector")
    data = tmp / "data"
    p = helpers.run_cli(["vector", "ingest", "--dataset", "admin", str(COMMUNES)], data_dir=data)
    assert p.returncode == 0, describe_proc(p, "vector ingest")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    base = srv.url("")
    job = {"profile": str(tmp / "profile"), "out": str(tmp / "out.json"), "layers": [
        {"name": "wfs", "provider": "WFS",
         "uri": f"url='{base}/wfs' typename='gc:{TYPE}' version='2.0.0' srsname='EPSG:4326'",
         "rect": list(RECT)},  # QGIS works in x/y (lon/lat) whatever the axis order
        {"name": "oapif", "provider": "OAPIF",
         "uri": f"url='{base}/ogcapi' typename='{TYPE}'", "rect": list(RECT)},
    ]}
    (tmp / "job.json").write_text(json.dumps(job))
    env = helpers.child_env({"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp / "home"),
                             "XDG_CACHE_HOME": str(tmp / "cache"), "XDG_CONFIG_HOME": str(tmp / "config")})
    (tmp / "home").mkdir()
    try:
        r = subprocess.run([QGIS_PYTHON, str(HERE / "qgis_vector.py"), str(tmp / "job.json")],
                           capture_output=True, text=True, timeout=600, env=env)
    finally:
        srv.stop()
    if r.returncode == 3:
        pytest.fail(f"python3-qgis missing: {r.stderr}", pytrace=False)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads((tmp / "out.json").read_text())


@pytest.fixture(scope="module")
def source():
    from osgeo import ogr
    ds = ogr.Open(str(COMMUNES))
    lyr = ds.GetLayer(0)
    feats = {f.GetField("code"): (f.GetField("nom"), f.GetGeometryRef().Clone()) for f in lyr}
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((RECT[0], RECT[1]), (RECT[2], RECT[1]), (RECT[2], RECT[3]), (RECT[0], RECT[3]), (RECT[0], RECT[1])):
        ring.AddPoint_2D(x, y)
    box = ogr.Geometry(ogr.wkbPolygon)
    box.AddGeometry(ring)
    inside = sorted(c for c, (_, g) in feats.items() if g.Intersects(box))
    return {c: n for c, (n, _) in feats.items()}, inside


@pytest.mark.parametrize("name", ["wfs", "oapif"])
def test_qgis_reads_every_commune(qgis_run, source, name):
    res = qgis_run["layers"][name]
    assert res["valid"], res["error"]
    names, _ = source
    assert res["count"] == len(names) == 1776
    assert res["features"] == names


@pytest.mark.parametrize("name,marker", [("wfs", "BBOX="), ("oapif", "bbox=")])
def test_qgis_rectangle_queries_go_to_the_server(qgis_run, source, name, marker):
    res = qgis_run["layers"][name]
    _, inside = source
    # QGIS keeps features whose geometry meets the rectangle: the same set.
    assert res["in_rect"] == inside and 5 < len(inside) < 100
    assert any(marker.lower() in u.lower() for u in qgis_run["requests"]), qgis_run["requests"][:10]
