"""Bad input on the paths issue 12 added gets a clear error: web map styles,
sprites and glyph ranges (problem+json naming what is wrong), vector tiles
of an unknown dataset, `geocentre demo --source` on a folder that is not the
demo data, and a `[log]` section with an unknown format.

Data: the REAL départements GeoJSON (dataset `deps`).
"""
from __future__ import annotations

import pytest

import helpers
from helpers import Server, describe_proc, run_cli

DEPARTEMENTS = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    root = tmp_path_factory.mktemp("inputs")
    data = root / "data"
    p = run_cli(["vector", "ingest", "--dataset", "deps", "--json", DEPARTEMENTS], data_dir=data)
    assert p.returncode == 0, describe_proc(p)
    s = Server(data_dir=data, log_path=root / "server.log").start()
    yield s
    s.stop()


def problem(r, status, *words):
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"] == "application/problem+json", r.headers
    body = r.json()
    assert body["status"] == status, body
    for w in words:
        assert w in body["detail"], body
    return body


@pytest.mark.parametrize("path,status,words", [
    ("/styles/nope.json", 404, ["unknown layer", "nope"]),
    ("/styles/deps", 404, [".json"]),
    ("/styles/deps/sprite.gif", 404, ["sprite.gif"]),
    ("/styles/nope/sprite.json", 404, ["nope"]),
    ("/fonts/DejaVu%20Sans/1-256.pbf", 404, ["1-256.pbf", "multiple of 256"]),
    ("/fonts/DejaVu%20Sans/0-255.png", 404, ["0-255.png"]),
    ("/fonts/DejaVu%20Sans/65536-65791.pbf", 404, ["65536-65791.pbf"]),
    ("/fonts/" + "x" * 300 + "/0-255.pbf", 400, ["font stack"]),
    ("/tiles/nope/WebMercatorQuad/0/0/0.mvt", 404, ["unknown layer", "nope"]),
    ("/tiles/deps/NoSuchGrid/0/0/0.mvt", 404, ["NoSuchGrid"]),
    ("/tiles/deps/WebMercatorQuad/x/0/0.mvt", 400, ["zoom level"]),
])
def test_web_map_paths_refuse_bad_input(srv, path, status, words):
    problem(srv.get(path), status, *words)


def test_good_requests_beside_them_answer(srv):
    """Control: the same routes with good input answer 200."""
    assert srv.get("/styles/deps.json").status_code == 200
    assert srv.get("/fonts/DejaVu%20Sans/0-255.pbf").status_code == 200
    assert srv.get("/tiles/deps/WebMercatorQuad/tilejson.json").status_code == 200


def test_demo_source_that_is_not_the_demo_data(tmp_path):
    wrong = tmp_path / "pas-les-donnees"
    wrong.mkdir()
    p = run_cli(["demo", "--no-serve", "--source", wrong], data_dir=tmp_path / "data")
    assert p.returncode == 1, describe_proc(p)
    assert str(wrong) in p.stderr and "--source" in p.stderr, describe_proc(p)


def test_log_format_must_be_text_or_json(tmp_path):
    cfg = tmp_path / "geocentre.toml"
    cfg.write_text('[log]\nformat = "xml"\n')
    p = run_cli(["--config", cfg, "ortho", "list"], data_dir=tmp_path / "data")
    assert p.returncode == 1, describe_proc(p)
    assert str(cfg) in p.stderr and "xml" in p.stderr and "text" in p.stderr, describe_proc(p)
