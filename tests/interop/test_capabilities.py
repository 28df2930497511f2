"""WMTS capabilities (KVP and RESTful) and OWS 1.1 exception reports.

Every document is validated against the official schemas with
tests/tools/validate-xml; content is checked against the REAL tile's
georeferencing and the tile matrix set definitions of the contract.
"""
from __future__ import annotations

import pytest

import helpers
from helpers import L93_TMS, WM_TMS, wmts_kvp

# ---------------------------------------------------------------------------
# Validity
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["kvp", "rest"])
def test_capabilities_validate(request, which, tmp_path):
    r = request.getfixturevalue(f"caps_{which}")
    assert "xml" in r.headers.get("Content-Type", ""), r.headers.get("Content-Type")
    # The official WMTS schema, and the INSPIRE view-service extension
    # (inspire_vs_ows11, in the substitution group of ows:ExtendedCapabilities).
    ok, out = helpers.validate_wmts_capabilities_inspire(r.content, tmp_path, f"caps-{which}.xml")
    assert ok, f"{which} capabilities invalid:\n{out}"


def test_rest_and_kvp_capabilities_agree(caps_rest, caps):
    rest = helpers.parse_caps(caps_rest.content)
    assert set(rest.layers) == set(caps.layers)
    assert set(rest.tms) == set(caps.tms)


# ---------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------


def test_layers_advertised(caps, rvb):
    for name in ("ign", "ign-2021", "gaps", "gaps-2021"):
        assert name in caps.layers, f"layer {name} missing; have {sorted(caps.layers)}"
    for name in ("ign", "ign-2021"):
        L = caps.layers[name]
        assert {"image/jpeg", "image/png", "image/webp"} <= set(L.formats), (name, L.formats)
        assert "default" in L.styles, (name, L.styles)
        assert {L93_TMS, WM_TMS} <= set(L.links), (name, list(L.links))
        # WGS84BoundingBox covers the real tile (and is not the whole world).
        want = helpers.bbox_to_wgs84(rvb["bbox"])
        bb = L.wgs84_bbox
        assert bb is not None, f"{name}: no WGS84BoundingBox"
        eps = 1e-6
        assert bb[0] <= want[0] + eps and bb[1] <= want[1] + eps and bb[2] >= want[2] - eps \
            and bb[3] >= want[3] - eps, f"{name}: WGS84BoundingBox {bb} does not cover {want}"
        assert bb[2] - bb[0] < 0.05 and bb[3] - bb[1] < 0.05, f"{name}: WGS84BoundingBox {bb} too large"


def test_lamb93_tile_matrix_set(caps):
    t = caps.tms.get(L93_TMS)
    assert t is not None, sorted(caps.tms)
    assert "2154" in (t["crs"] or ""), t["crs"]
    levels = []
    for tm in t["matrices"]:
        n = helpers.l93_level_of(tm)
        levels.append(n)
        assert tm.top_left == pytest.approx(helpers.L93_TOP_LEFT, abs=1e-6), (tm.identifier, tm.top_left)
        assert (tm.tile_w, tm.tile_h) == (256, 256), tm
        # the matrix covers Lambert-93's area of use (EPSG:2154: x 99217..1242417, y 6049646..7110480)
        span = 256 * tm.res
        assert tm.matrix_w * span >= 1242417 and helpers.L93_TOP_LEFT[1] - tm.matrix_h * span <= 6049646, \
            (tm, "does not cover Lambert-93's area of use")
    assert levels == sorted(levels), f"levels {levels}"
    assert 20 in levels, f"levels {levels}"


def test_every_matrix_is_advertised_or_unlimited(caps, rvb):
    """Every TileMatrix of the set has limits (levels past the native one
    are served upsampled), but those one tile wide or high: the official
    WMTS 1.0 schema types MaxTileRow/MaxTileCol as positive integers, so
    they are left out, meaning the whole matrix (OGC 07-057r7 Table 10)."""
    for name in ("ign", "ign-2021"):
        for tms in (L93_TMS, WM_TMS):
            lim = caps.layers[name].links[tms]
            for tm in caps.tms[tms]["matrices"]:
                listed = tm.identifier in lim
                assert listed == (tm.matrix_w >= 2 and tm.matrix_h >= 2), (name, tms, tm, listed)
                if listed:
                    r0, r1, c0, c1 = lim[tm.identifier]
                    assert 0 <= r0 <= r1 < tm.matrix_h and 0 <= c0 <= c1 < tm.matrix_w and r1 >= 1 and c1 >= 1, \
                        (name, tms, tm.identifier, lim[tm.identifier])


def test_layer_limits_hold_its_data(caps, rvb):
    # the tiles holding the real tile's data are inside the level-20 limits
    lim = caps.layers["ign"].links[L93_TMS]
    tm20 = helpers.matrix_for_level(caps, L93_TMS, 20)
    # The layer covers 50 m of the matrix set's 1,800 km: it must say where its
    # tiles are (TileMatrixSetLimits), down to the native level.
    assert lim, "layer `ign` advertises no TileMatrixSetLimits for LAMB93"
    assert tm20.identifier in lim, f"no TileMatrixLimits for level 20: {list(lim)}"
    r0, r1, c0, c1 = helpers.l93_tile_range(20, rvb["bbox"])
    lr0, lr1, lc0, lc1 = lim[tm20.identifier]
    assert lr0 <= r0 and lr1 >= r1 and lc0 <= c0 and lc1 >= c1, \
        f"limits {lim[tm20.identifier]} do not contain data tiles rows {r0}-{r1} cols {c0}-{c1}"
    assert lr1 - lr0 < 64 and lc1 - lc0 < 64, f"level-20 limits far too large: {lim[tm20.identifier]}"


def test_webmercatorquad(caps):
    t = caps.tms.get(WM_TMS)
    assert t is not None, sorted(caps.tms)
    assert "3857" in (t["crs"] or ""), t["crs"]
    m0 = t["matrices"][0]
    assert m0.scale == pytest.approx(559082264.0287178, rel=1e-9), m0
    assert m0.top_left == pytest.approx((-helpers.WM_HALF, helpers.WM_HALF), abs=0.01), m0
    for z, tm in enumerate(t["matrices"]):
        assert tm.scale == pytest.approx(559082264.0287178 / 2 ** z, rel=1e-9), (z, tm)
        assert (tm.matrix_w, tm.matrix_h) == (2 ** z, 2 ** z), (z, tm)
        assert (tm.tile_w, tm.tile_h) == (256, 256), (z, tm)


def test_rest_resource_urls_work(env, caps_rest, native_tile):
    rest = helpers.parse_caps(caps_rest.content)
    http = helpers.new_http()
    for name in ("ign", "ign-2021"):
        urls = {f: t for f, typ, t in rest.layers[name].resource_urls if typ == "tile"}
        assert {"image/jpeg", "image/png", "image/webp"} <= set(urls), (name, urls)
        for fmt, tmpl in urls.items():
            url = helpers.fill_template(tmpl, L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"])
            r = http.get(url, timeout=60)
            assert r.status_code == 200, (url, r.status_code, r.text[:300])
            assert r.headers.get("Content-Type", "").split(";")[0] == fmt, (url, r.headers.get("Content-Type"))


def test_kvp_gettile_href_works(env, caps, native_tile):
    assert caps.gettile_kvp, "no GetTile DCP Get href with GetEncoding KVP in OperationsMetadata"
    # KVP first, RESTful last (docs/conformance-choices.md).
    gets = caps.root.findall("ows:OperationsMetadata/ows:Operation[@name='GetTile']/ows:DCP/ows:HTTP/ows:Get",
                             helpers.NS)
    assert gets[0].get("{http://www.w3.org/1999/xlink}href") == caps.gettile_kvp[0]
    href = caps.gettile_kvp[0]
    sep = "" if href.endswith(("?", "&")) else ("&" if "?" in href else "?")
    q = wmts_kvp("ign", L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"])
    url = href + sep + q.split("?", 1)[1]
    r = helpers.new_http().get(url, timeout=60)
    assert r.status_code == 200 and r.content[:3] == helpers.JPEG_MAGIC, (url, r.status_code, r.text[:300])


# ---------------------------------------------------------------------------
# Exception reports
# ---------------------------------------------------------------------------

def _cases(caps, native_tile, rvb):
    tm, row, col = native_tile["tm"], native_tile["row"], native_tile["col"]
    tm20 = helpers.matrix_for_level(caps, L93_TMS, 20)
    r0, r1, c0, c1 = helpers.l93_tile_range(20, rvb["bbox"])
    base = "/wmts?SERVICE=WMTS&VERSION=1.0.0"
    gt = f"{base}&REQUEST=GetTile&LAYER=ign&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET={L93_TMS}"
    return {
        "missing-request": (f"{base}", "MissingParameterValue", "request"),
        "missing-tilerow": (f"{gt}&TILEMATRIX={tm}&TILECOL={col}", "MissingParameterValue", "TileRow"),
        "missing-layer": (f"{base}&REQUEST=GetTile&STYLE=default&FORMAT=image/jpeg&TILEMATRIXSET={L93_TMS}"
                          f"&TILEMATRIX={tm}&TILEROW={row}&TILECOL={col}", "MissingParameterValue", "Layer"),
        "unknown-layer": (wmts_kvp("nosuchlayer", L93_TMS, tm, row, col), "InvalidParameterValue", "Layer"),
        "unknown-tms": (wmts_kvp("ign", "NoSuchTMS", tm, row, col), "InvalidParameterValue", "TileMatrixSet"),
        "bad-format": (wmts_kvp("ign", L93_TMS, tm, row, col, fmt="image/gif"), "InvalidParameterValue", "Format"),
        "unknown-tilematrix": (wmts_kvp("ign", L93_TMS, "nosuchmatrix", row, col),
                               "InvalidParameterValue", "TileMatrix"),
        "non-integer-row": (wmts_kvp("ign", L93_TMS, tm, "abc", col), "InvalidParameterValue", "TileRow"),
        "col-beyond-matrix": (wmts_kvp("ign", L93_TMS, tm, row, tm20.matrix_w + 5), "TileOutOfRange", "TileCol"),
        "row-outside-limits": (wmts_kvp("ign", L93_TMS, tm, r1 + 100, col), "TileOutOfRange", "TileRow"),
        "rest-col-beyond-matrix": (f"/wmts/1.0.0/ign/default/{L93_TMS}/{tm}/{row}/{tm20.matrix_w + 5}.jpg",
                                   "TileOutOfRange", "TileCol"),
    }


CASES = ["missing-request", "missing-tilerow", "missing-layer", "unknown-layer", "unknown-tms", "bad-format",
         "unknown-tilematrix", "non-integer-row", "col-beyond-matrix", "row-outside-limits",
         "rest-col-beyond-matrix"]


@pytest.mark.parametrize("case", CASES)
def test_exception_report(env, caps, native_tile, rvb, case, tmp_path):
    path, code, locator = _cases(caps, native_tile, rvb)[case]
    r = env.server.get(path)
    assert r.status_code == 400, f"{path}: HTTP {r.status_code} (expected 400)\n{r.text[:500]}"
    assert "xml" in r.headers.get("Content-Type", ""), f"{path}: Content-Type {r.headers.get('Content-Type')}"
    root, excs = helpers.parse_exception_report(r.content)
    assert excs, f"{path}: ExceptionReport without Exception\n{r.text}"
    got = [(e["code"], (e["locator"] or "")) for e in excs]
    assert any(c == code and loc.lower() == locator.lower() for c, loc in got), \
        f"{path}: expected {code} with locator {locator}, got {got}\n{r.text}"
    ok, out = helpers.validate_xml(r.content, tmp_path, f"exc-{case}.xml")
    assert ok, f"{path}: exception report invalid:\n{out}\n{r.text}"


def test_row_outside_limits_case_is_outside_advertised_limits(caps, rvb):
    """Precondition of `row-outside-limits`: that row is outside what the server
    advertises (the layer must advertise level-20 limits)."""
    lim = caps.layers["ign"].links[L93_TMS]
    tm20 = helpers.matrix_for_level(caps, L93_TMS, 20)
    r0, r1, c0, c1 = helpers.l93_tile_range(20, rvb["bbox"])
    assert lim and tm20.identifier in lim, f"no level-20 TileMatrixLimits for `ign`: {list(lim or {})}"
    assert lim[tm20.identifier][1] < r1 + 100, lim[tm20.identifier]
