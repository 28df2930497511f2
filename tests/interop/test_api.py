"""/healthz and /api/ortho/layers on the session server (layer `ign` = REAL tile)."""
from __future__ import annotations

import pytest

import helpers


def test_healthz(env):
    assert env.server.get("/healthz").status_code == 200


def test_api_ortho_layers(env, rvb, caps):
    r = env.server.get("/api/ortho/layers")
    assert r.status_code == 200, r.text[:500]
    assert r.headers.get("Content-Type", "").split(";")[0] == "application/json", r.headers.get("Content-Type")
    doc = r.json()
    layers = {l["name"]: l for l in doc["layers"]}
    assert "ign" in layers, doc
    ign = layers["ign"]
    assert isinstance(ign["title"], str) and ign["title"], ign
    assert ign["wmts_layer"] == "ign", ign
    assert ign["latest"] == 2021, ign
    vs = {v["vintage"]: v for v in ign["vintages"]}
    assert set(vs) == {2021}, ign
    v = vs[2021]
    assert v["wmts_layer"] == "ign-2021", v
    assert v["native_level"] == 20, v
    assert v["resolution_m"] == pytest.approx(0.2, abs=1e-9), v

    sb = rvb["bbox"]
    bb = v["bbox_l93"]
    eps = 1e-3
    assert bb[0] <= sb[0] + eps and bb[1] <= sb[1] + eps and bb[2] >= sb[2] - eps and bb[3] >= sb[3] - eps, \
        f"bbox_l93 {bb} does not contain the data {sb}"
    assert all(abs(a - b) <= 51.2 for a, b in zip(bb, sb)), f"bbox_l93 {bb} much larger than the data {sb}"

    want = helpers.bbox_to_wgs84(sb)
    wb = v["bbox_wgs84"]
    e = 1e-6
    assert wb[0] <= want[0] + e and wb[1] <= want[1] + e and wb[2] >= want[2] - e and wb[3] >= want[3] - e, \
        f"bbox_wgs84 {wb} does not contain the data {want}"
    assert all(abs(a - b) < 0.001 for a, b in zip(wb, want)), f"bbox_wgs84 {wb} far from {want}"

    # the advertised WMTS layer names exist in the capabilities
    assert {ign["wmts_layer"], v["wmts_layer"]} <= set(caps.layers)


def test_title_from_ingest(env, caps):
    """`gaps` was ingested with --title GAPS_TITLE: the API and the WMTS layer show it."""
    doc = env.server.get("/api/ortho/layers").json()
    gaps = [l for l in doc["layers"] if l["name"] == "gaps"]
    assert gaps and gaps[0]["title"] == helpers.GAPS_TITLE, gaps
    assert helpers.GAPS_TITLE in (caps.layers["gaps"].title or ""), caps.layers["gaps"].title
