"""OWSLib's WebMapTileService against the session server (layer `ign`, REAL tile)."""
from __future__ import annotations

import pytest
from owslib.wmts import WebMapTileService

import helpers


@pytest.fixture(scope="module")
def wmts(env):
    return WebMapTileService(env.base + "/wmts", version="1.0.0", timeout=60)


def test_owslib_lists_layers_and_matrix_sets(wmts):
    layers = set(wmts.contents)
    assert {"ign", "ign-2021"} <= layers, f"OWSLib sees layers {sorted(layers)}"
    assert {helpers.L93_TMS, helpers.WM_TMS} <= set(wmts.tilematrixsets), sorted(wmts.tilematrixsets)
    for name in ("ign", "ign-2021"):
        lyr = wmts[name]
        assert helpers.L93_TMS in lyr.tilematrixsetlinks, (name, list(lyr.tilematrixsetlinks))
        assert "image/jpeg" in lyr.formats, (name, lyr.formats)


def _check_jpeg_tile(data, ctype):
    assert ctype.split(";")[0].strip() == "image/jpeg", ctype
    assert data[:3] == helpers.JPEG_MAGIC, data[:16]
    mode, arr = helpers.decode(data)
    assert arr.shape[:2] == (256, 256), arr.shape
    assert mode == "RGB", mode


# OWSLib (0.35) reads every child of ows:OperationsMetadata but
# ows:ExtendedCapabilities as an Operation; the INSPIRE view-service
# extension (inspire_vs_ows11:ExtendedCapabilities, in the substitution group
# of ows:ExtendedCapabilities, where the INSPIRE WMTS ETS reads it) becomes a
# nameless "operation", and gettile() fails in its `restonly` check
# (geopython/OWSLib#965, fixed there for the ows:ExtendedCapabilities wrapper
# only). Strict: the day OWSLib reads it, this fails and is made a plain test.
@pytest.mark.xfail(strict=True, raises=AttributeError,
                   reason="OWSLib treats inspire_vs_ows11:ExtendedCapabilities as an Operation "
                          "(geopython/OWSLib#965); docs/conformance-choices.md")
def test_owslib_gettile_kvp(wmts, native_tile):
    for name in ("ign", "ign-2021"):
        resp = wmts.gettile(layer=name, tilematrixset=helpers.L93_TMS, tilematrix=native_tile["tm"],
                            row=native_tile["row"], column=native_tile["col"], format="image/jpeg",
                            style="default")
        _check_jpeg_tile(resp.read(), resp.info()["Content-Type"])


def test_owslib_kvp_request_and_href(wmts, native_tile):
    """What OWSLib's gettile() would send, built by OWSLib itself: its KVP
    GetTile parameters, to the GetTile href whose GetEncoding is KVP."""
    gets = [m for m in wmts.getOperationByName("GetTile").methods if m["type"].lower() == "get"]
    kvp = [m["url"] for m in gets if any("kvp" in [v.lower() for v in c.values] for c in m["constraints"])]
    assert len(kvp) == 1, gets
    for name in ("ign", "ign-2021"):
        data = wmts.buildTileRequest(layer=name, tilematrixset=helpers.L93_TMS, tilematrix=native_tile["tm"],
                                     row=native_tile["row"], column=native_tile["col"], format="image/jpeg",
                                     style="default")
        r = helpers.new_http().get(kvp[0] + ("" if kvp[0].endswith("?") else "?") + data, timeout=60)
        assert r.status_code == 200, (r.status_code, r.text[:300])
        _check_jpeg_tile(r.content, r.headers["Content-Type"])


def test_owslib_rest_resource_url(env, native_tile):
    """OWSLib on the RESTful capabilities, filling the layer's ResourceURL template."""
    w = WebMapTileService(env.base + "/wmts/1.0.0/WMTSCapabilities.xml", version="1.0.0", timeout=60)
    assert "ign" in w.contents, sorted(w.contents)
    # (OWSLib's own buildTileResource picks a random template whatever the
    # format and does not fill {TileMatrixSet}, so the template is filled here.)
    tmpl = [u["template"] for u in w["ign"].resourceURLs
            if u.get("resourceType") == "tile" and u.get("format") == "image/jpeg"]
    assert tmpl, f"no image/jpeg tile ResourceURL for ign: {w['ign'].resourceURLs}"
    url = helpers.fill_template(tmpl[0], tms=helpers.L93_TMS, tm=native_tile["tm"],
                                row=native_tile["row"], col=native_tile["col"])
    r = helpers.new_http().get(url, timeout=60)
    assert r.status_code == 200, (url, r.status_code, r.text[:500])
    _check_jpeg_tile(r.content, r.headers.get("Content-Type", ""))
