"""Tiles: formats, HTTP caching, HEAD, CORS, empty tiles, XYZ/TMS/WMS-C equivalence,
WebMercatorQuad.  Expected pixels come from the REAL RVB tile (read with GDAL) or
from another endpoint of the same server; nothing is hard-coded."""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import helpers
from helpers import L93_TMS, WM_TMS, wmts_kvp

from helpers import CORR_MIN, MAD_MAX  # see test_wmts_gdal.py for how these were chosen
EDGE = 2                         # px kept away from the data edge (lossy codecs ring there)


def _overlap_px(tile_bounds, data_bbox, res, edge=EDGE):
    """Overlap of a tile and the data, shrunk by `edge` px: (bbox, (x0, y0, x1, y1) in tile px)."""
    minx = max(tile_bounds[0], data_bbox[0]) + edge * res
    maxx = min(tile_bounds[2], data_bbox[2]) - edge * res
    miny = max(tile_bounds[1], data_bbox[1]) + edge * res
    maxy = min(tile_bounds[3], data_bbox[3]) - edge * res
    assert maxx > minx and maxy > miny, "tile does not overlap the data"
    x0 = round((minx - tile_bounds[0]) / res)
    x1 = round((maxx - tile_bounds[0]) / res)
    y0 = round((tile_bounds[3] - maxy) / res)
    y1 = round((tile_bounds[3] - miny) / res)
    return (minx, miny, maxx, maxy), (x0, y0, x1, y1)


def _get_tile(env, native_tile, fmt="image/jpeg", layer="ign", headers=None):
    return env.server.get(wmts_kvp(layer, L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"],
                                   fmt=fmt), headers=headers or {})


def _rest_path(native_tile, layer="ign", ext="jpg"):
    return (f"/wmts/1.0.0/{layer}/default/{L93_TMS}/{native_tile['tm']}/"
            f"{native_tile['row']}/{native_tile['col']}.{ext}")


@pytest.fixture(scope="module")
def jpeg_tile(env, native_tile):
    r = _get_tile(env, native_tile)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return r


def _compare_with_source(arr, native_tile, rvb, what):
    bbox, (x0, y0, x1, y1) = _overlap_px(native_tile["bounds"], rvb["bbox"], 0.2)
    ref = helpers.read_window(rvb["path"], bbox, 0.2)
    got = np.moveaxis(arr[y0:y1, x0:x1, :3], 2, 0)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    mask = None
    if arr.shape[2] == 4:
        # The source declares NoData=255: its few pure-white pixels may come out
        # transparent.  Everything else over the data must be opaque.
        mask = arr[y0:y1, x0:x1, 3] == 255
        assert mask.mean() > 0.99, f"{what}: {1 - mask.mean():.1%} transparent pixels over the data"
    mads, corrs = helpers.band_metrics(ref, got, mask=mask)
    assert max(mads) < MAD_MAX and min(corrs) > CORR_MIN, \
        f"{what}: vs source MAD {np.round(mads, 2)} corr {np.round(corrs, 4)}"


def test_jpeg_tile_matches_source(jpeg_tile, native_tile, rvb):
    assert jpeg_tile.headers["Content-Type"].split(";")[0] == "image/jpeg"
    assert jpeg_tile.content[:3] == helpers.JPEG_MAGIC
    mode, arr = helpers.decode(jpeg_tile.content)
    assert arr.shape[:2] == (256, 256) and mode == "RGB", (mode, arr.shape)
    _compare_with_source(arr, native_tile, rvb, "jpeg tile")


def test_format_is_mandatory(env, native_tile, jpeg_tile):
    """FORMAT is a mandatory GetTile parameter (WMTS 1.0 Table 26; the OGC
    CITE suite checks it): without it, MissingParameterValue, not a tile in
    a format the client did not choose."""
    r = _get_tile(env, native_tile, fmt=None)
    assert r.status_code == 400, (r.status_code, r.text[:500])
    _, excs = helpers.parse_exception_report(r.content)
    assert [(e["code"], e["locator"].lower()) for e in excs] == [("MissingParameterValue", "format")], excs


@pytest.mark.parametrize("fmt,ext", [("image/png", "png"), ("image/webp", "webp")])
def test_png_webp_tiles(env, native_tile, rvb, fmt, ext):
    r = _get_tile(env, native_tile, fmt=fmt)
    assert r.status_code == 200, (fmt, r.status_code, r.text[:500])
    assert r.headers["Content-Type"].split(";")[0] == fmt, r.headers["Content-Type"]
    if fmt == "image/png":
        assert r.content[:8] == helpers.PNG_MAGIC, r.content[:16]
    else:
        assert helpers.is_webp(r.content), r.content[:16]
    mode, arr = helpers.decode(r.content)
    assert arr.shape[:2] == (256, 256), arr.shape
    _compare_with_source(arr, native_tile, rvb, fmt)
    rest = env.server.get(_rest_path(native_tile, ext=ext))
    assert rest.status_code == 200 and rest.headers["Content-Type"].split(";")[0] == fmt, \
        (rest.status_code, rest.headers.get("Content-Type"))


def test_latest_layer_is_the_vintage(env, native_tile, jpeg_tile):
    r = _get_tile(env, native_tile, layer="ign-2021")
    assert r.status_code == 200
    assert np.array_equal(helpers.decode(r.content)[1], helpers.decode(jpeg_tile.content)[1]), \
        "`ign` (latest) and `ign-2021` tiles differ"


def test_kvp_parameter_names_case_insensitive(env, native_tile, jpeg_tile):
    """OGC KVP parameter names are case-insensitive; OpenLayers sends mixed case."""
    q = (f"/wmts?layer=ign&style=default&tilematrixset={L93_TMS}&Service=WMTS&Request=GetTile"
         f"&Version=1.0.0&Format=image%2Fjpeg&TileMatrix={native_tile['tm']}"
         f"&TileCol={native_tile['col']}&TileRow={native_tile['row']}")
    r = env.server.get(q)
    assert r.status_code == 200, (r.status_code, r.text[:500])
    assert r.content == jpeg_tile.content


def test_rest_tile_equals_kvp_tile(env, native_tile, jpeg_tile):
    r = env.server.get(_rest_path(native_tile))
    assert r.status_code == 200, (r.status_code, r.text[:500])
    assert r.content == jpeg_tile.content, "REST and KVP GetTile return different bytes"


# ---------------------------------------------------------------------------
# HTTP: ETag / 304, Cache-Control, HEAD, CORS
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["kvp", "rest"])
def test_etag_and_304(env, native_tile, kind):
    path = _rest_path(native_tile) if kind == "rest" else wmts_kvp(
        "ign", L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"])
    r = env.server.get(path)
    assert r.status_code == 200
    etag = r.headers.get("ETag")
    assert etag, f"no ETag on {path}: {dict(r.headers)}"
    assert r.headers.get("Cache-Control", "").strip(), f"no Cache-Control on {path}: {dict(r.headers)}"
    r2 = env.server.get(path, headers={"If-None-Match": etag})
    assert r2.status_code == 304, f"If-None-Match {etag}: HTTP {r2.status_code}"
    assert r2.content == b"", "304 with a body"
    r3 = env.server.get(path, headers={"If-None-Match": '"definitely-not-the-etag"'})
    assert r3.status_code == 200 and r3.content == r.content


def test_etag_differs_between_formats(env, native_tile):
    tags = {fmt: _get_tile(env, native_tile, fmt=fmt).headers.get("ETag")
            for fmt in ("image/jpeg", "image/png", "image/webp")}
    assert len(set(tags.values())) == 3, f"same ETag for different representations: {tags}"


@pytest.mark.parametrize("kind", ["kvp", "rest"])
def test_head(env, native_tile, kind):
    path = _rest_path(native_tile) if kind == "rest" else wmts_kvp(
        "ign", L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"])
    g = env.server.get(path)
    h = env.server.head(path)
    assert h.status_code == 200, f"HEAD {path}: HTTP {h.status_code}"
    assert h.content == b""
    assert h.headers.get("Content-Type") == g.headers.get("Content-Type")
    assert h.headers.get("ETag") == g.headers.get("ETag")
    # HEAD announces the size GET sends (RFC 9110 §9.3.2, §8.6).
    assert "Content-Length" in h.headers, dict(h.headers)
    assert int(h.headers["Content-Length"]) == len(g.content) > 0, (h.headers["Content-Length"], len(g.content))


def test_cors_on_ogc_endpoints(env, native_tile):
    b = native_tile["bounds"]
    paths = {
        "wmts kvp capabilities": "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
        "wmts rest capabilities": "/wmts/1.0.0/WMTSCapabilities.xml",
        "wmts kvp tile": wmts_kvp("ign", L93_TMS, native_tile["tm"], native_tile["row"], native_tile["col"]),
        "wmts rest tile": _rest_path(native_tile),
        "wms-c getmap": _wmsc_path("ign", b),
    }
    origin = "https://viewer.example.org"
    missing = []
    for what, p in paths.items():
        r = env.server.get(p, headers={"Origin": origin})
        v = r.headers.get("Access-Control-Allow-Origin")
        if r.status_code != 200 or v not in ("*", origin):
            missing.append(f"{what} ({p}): HTTP {r.status_code}, Access-Control-Allow-Origin={v!r}")
    assert not missing, "\n".join(missing)


# ---------------------------------------------------------------------------
# Empty tile inside the limits (layer `gaps`: DERIVED, two dalles 512 m apart)
# ---------------------------------------------------------------------------

def test_empty_tile_inside_limits(env, caps):
    """A tile inside the advertised limits without data: WMTS answers a
    blank tile of the format asked (GetTile returns an image for a tile its
    capabilities promise: OGC CITE GetTile.Mandatory), transparent in PNG
    and WebP, black in JPEG; XYZ and TMS answer 204 (MapLibre, OpenLayers
    and GDAL read it as empty)."""
    level = 20
    tm = helpers.matrix_for_level(caps, L93_TMS, level)
    a, b = env.gaps_bboxes
    # a point halfway between the two dalles: far from both
    x = (a[0] + b[2]) / 2
    y = (a[3] + b[1]) / 2
    row, col = helpers.l93_tile_of(level, x, y)
    tb = helpers.l93_tile_bounds(level, row, col)
    for d in (a, b):
        assert tb[2] <= d[0] or tb[0] >= d[2] or tb[3] <= d[1] or tb[1] >= d[3], "chosen tile touches data"
    lim = caps.layers["gaps"].links.get(L93_TMS, {})
    assert tm.identifier in lim, f"`gaps` advertises no level-{level} limits: {list(lim)}"
    r0, r1, c0, c1 = lim[tm.identifier]
    assert r0 <= row <= r1 and c0 <= col <= c1, \
        f"tile {row}/{col} not inside advertised limits {lim[tm.identifier]} (bbox of both dalles)"
    for fmt, ext in (("image/jpeg", "jpg"), ("image/png", "png"), ("image/webp", "webp")):
        for path in (wmts_kvp("gaps", L93_TMS, tm.identifier, row, col, fmt=fmt),
                     f"/wmts/1.0.0/gaps/default/{L93_TMS}/{tm.identifier}/{row}/{col}.{ext}"):
            r = env.server.get(path)
            assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == fmt, \
                f"{path}: HTTP {r.status_code}, {r.headers.get('Content-Type')}"
            assert r.headers.get("ETag") and "max-age" in r.headers.get("Cache-Control", ""), r.headers
            bands, px = helpers.decode(r.content)
            assert px.shape[:2] == (256, 256), px.shape
            if fmt == "image/jpeg":
                assert px[..., :3].max() <= 8, "blank JPEG tile is not black"
            else:
                assert px.shape[2] == 4 and px[..., 3].max() == 0, "blank tile is not transparent"
            again = env.server.get(path, headers={"If-None-Match": r.headers["ETag"]})
            assert again.status_code == 304, again.status_code
    for path in (f"/tiles/gaps/{L93_TMS}/{level}/{col}/{row}.jpg",
                 f"/tms/1.0.0/gaps/{L93_TMS}/{level}/{col}/{2 ** level - 1 - row}.jpg"):
        r = env.server.get(path)
        assert r.status_code == 204 and r.content == b"", f"{path}: HTTP {r.status_code}, {len(r.content)} bytes"
    # and a data tile of the same layer is there
    row2, col2 = helpers.l93_tile_of(level, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    r = env.server.get(wmts_kvp("gaps", L93_TMS, tm.identifier, row2, col2))
    assert r.status_code == 200, f"data tile of `gaps`: HTTP {r.status_code}"


# ---------------------------------------------------------------------------
# XYZ, TMS, WMS-C
# ---------------------------------------------------------------------------

def test_xyz_tile_same_image(env, native_tile, jpeg_tile):
    z, row, col = native_tile["level"], native_tile["row"], native_tile["col"]
    r = env.server.get(f"/tiles/ign/{L93_TMS}/{z}/{col}/{row}.jpg")
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"].split(";")[0] == "image/jpeg"
    a, b = helpers.decode(r.content)[1], helpers.decode(jpeg_tile.content)[1]
    assert np.array_equal(a, b), f"XYZ and WMTS tiles differ (max diff {np.abs(a.astype(int) - b).max()})"


def test_tms_tile_same_image(env, native_tile, jpeg_tile):
    z, row, col = native_tile["level"], native_tile["row"], native_tile["col"]
    y = 2 ** z - 1 - row
    r = env.server.get(f"/tms/1.0.0/ign/{L93_TMS}/{z}/{col}/{y}.jpg")
    assert r.status_code == 200, (r.status_code, r.text[:300])
    a, b = helpers.decode(r.content)[1], helpers.decode(jpeg_tile.content)[1]
    assert np.array_equal(a, b), f"TMS (y={y}) and WMTS (row={row}) tiles differ"
    # and the un-flipped row is NOT that tile (the flip really happens)
    r2 = env.server.get(f"/tms/1.0.0/ign/{L93_TMS}/{z}/{col}/{row}.jpg")
    assert r2.status_code != 200 or r2.content != r.content


def test_tms_documents(env, native_tile, rvb, jpeg_tile):
    r = env.server.get("/tms/1.0.0/")
    assert r.status_code == 200, (r.status_code, r.text[:300])
    root = ET.fromstring(r.content)
    assert root.tag.endswith("TileMapService"), root.tag
    hrefs = [tm.get("href") for tm in root.iter() if tm.tag.endswith("TileMap") and tm.get("href")]
    mine = [h for h in hrefs if h.rstrip("/").endswith(f"/tms/1.0.0/ign/{L93_TMS}")]
    assert mine, f"TileMapService lists no TileMap for ign/{L93_TMS}: {hrefs}"

    tmr = helpers.new_http().get(mine[0], timeout=60)
    assert tmr.status_code == 200, (mine[0], tmr.status_code)
    tm = ET.fromstring(tmr.content)
    assert tm.tag.endswith("TileMap"), tm.tag

    def child(el, name):
        for c in el:
            if c.tag.split("}")[-1] == name:
                return c
        raise AssertionError(f"TileMap has no {name}: {tmr.text[:1500]}")

    assert "2154" in (child(tm, "SRS").text or "")
    o = child(tm, "Origin")
    assert float(o.get("x")) == pytest.approx(0.0, abs=1e-3)
    # y counted from the bottom of the 2^z grid: origin = top - 256 * res0
    assert float(o.get("y")) == pytest.approx(12000000 - 256 * helpers.L93_RES0, abs=1e-3), o.attrib
    fmt = child(tm, "TileFormat")
    assert (fmt.get("width"), fmt.get("height")) == ("256", "256"), fmt.attrib
    bb = child(tm, "BoundingBox")
    got = [float(bb.get(k)) for k in ("minx", "miny", "maxx", "maxy")]
    sb = rvb["bbox"]
    assert got[0] <= sb[0] + 1e-3 and got[1] <= sb[1] + 1e-3 and got[2] >= sb[2] - 1e-3 \
        and got[3] >= sb[3] - 1e-3, f"TileMap BoundingBox {got} does not contain the data {sb}"
    sets = {int(ts.get("order")): ts for ts in child(tm, "TileSets")}
    z = native_tile["level"]
    assert z in sets and max(sets) == z, f"TileSets orders {sorted(sets)}"
    assert float(sets[z].get("units-per-pixel")) == pytest.approx(0.2, rel=1e-9)
    href = sets[z].get("href").rstrip("/")
    y = 2 ** z - 1 - native_tile["row"]
    t = helpers.new_http().get(f"{href}/{native_tile['col']}/{y}.{fmt.get('extension', 'jpg')}", timeout=60)
    assert t.status_code == 200, (href, t.status_code)
    assert np.array_equal(helpers.decode(t.content)[1], helpers.decode(jpeg_tile.content)[1])


@pytest.mark.parametrize("path_kind", ["xyz-beyond-matrix", "xyz-outside-limits", "xyz-bad-zoom",
                                       "tms-beyond-matrix", "tms-outside-limits"])
def test_xyz_tms_out_of_range_404_problem_json(env, native_tile, path_kind):
    z, row, col = native_tile["level"], native_tile["row"], native_tile["col"]
    n = 2 ** z
    paths = {
        "xyz-beyond-matrix": f"/tiles/ign/{L93_TMS}/{z}/{n + 3}/{row}.jpg",
        "xyz-outside-limits": f"/tiles/ign/{L93_TMS}/{z}/{col}/{row + 100}.jpg",
        "xyz-bad-zoom": f"/tiles/ign/{L93_TMS}/40/{col}/{row}.jpg",
        "tms-beyond-matrix": f"/tms/1.0.0/ign/{L93_TMS}/{z}/{n + 3}/0.jpg",
        "tms-outside-limits": f"/tms/1.0.0/ign/{L93_TMS}/{z}/{col}/{n - 1 - row - 100}.jpg",
    }
    p = paths[path_kind]
    r = env.server.get(p)
    assert r.status_code == 404, f"{p}: HTTP {r.status_code}"
    assert r.headers.get("Content-Type", "").split(";")[0] == "application/problem+json", \
        f"{p}: Content-Type {r.headers.get('Content-Type')}"
    body = json.loads(r.content)
    assert isinstance(body, dict), body
    assert body.get("status") == 404 and body.get("title"), body


def _fmt(v):
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return s


def _wmsc_path(layer, b, fmt="image/jpeg"):
    bbox = ",".join(_fmt(v) for v in b)
    return (f"/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&TILED=true&LAYERS={layer}&SRS=EPSG:2154"
            f"&BBOX={bbox}&WIDTH=256&HEIGHT=256&FORMAT={fmt}&STYLES=")


def test_wmsc_same_bytes_as_tile(env, native_tile, jpeg_tile):
    p = _wmsc_path("ign", native_tile["bounds"])
    r = env.server.get(p)
    assert r.status_code == 200, f"{p}: HTTP {r.status_code}\n{r.text[:500]}"
    assert r.headers.get("Content-Type", "").split(";")[0] == "image/jpeg"
    assert r.content == jpeg_tile.content, \
        f"WMS-C GetMap ({len(r.content)} bytes) and WMTS tile ({len(jpeg_tile.content)} bytes) differ"


# ---------------------------------------------------------------------------
# WebMercatorQuad
# ---------------------------------------------------------------------------

def test_webmercator_tile_shows_imagery(env, caps, rvb, tmp_path):
    lim = caps.layers["ign"].links[WM_TMS]
    mats = caps.tms[WM_TMS]["matrices"]
    zmax = max(int(round(math.log2(mats[0].scale / caps.tms[WM_TMS]["matrices"][i].scale)))
               for i, m in enumerate(mats) if (not lim or m.identifier in lim))
    z = min(zmax, 18)
    tm = mats[z]
    minlon, minlat, maxlon, maxlat = helpers.bbox_to_wgs84(rvb["bbox"])
    x, y = helpers.wm_tile_of(z, (minlon + maxlon) / 2, (minlat + maxlat) / 2)
    r = env.server.get(f"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=ign&STYLE=default"
                       f"&FORMAT=image/jpeg&TILEMATRIXSET={WM_TMS}&TILEMATRIX={tm.identifier}&TILEROW={y}&TILECOL={x}")
    assert r.status_code == 200, (z, x, y, r.status_code, r.text[:300])
    mode, arr = helpers.decode(r.content)
    assert arr.shape[:2] == (256, 256)

    # Reference: the REAL tile warped by GDAL onto the same WebMercator tile.
    tb = helpers.wm_tile_bounds(z, x, y)
    g = helpers.gdal()
    ref_ds = g.Warp("/vsimem/wm-ref.tif", str(rvb["path"]), srcSRS="EPSG:2154", dstSRS="EPSG:3857",
                    outputBounds=tb, width=256, height=256, resampleAlg="bilinear", dstAlpha=True)
    ref = ref_ds.ReadAsArray()
    ref_ds = None
    g.Unlink("/vsimem/wm-ref.tif")
    # pixels well inside the source area (alpha 255 after a 3-px erosion)
    inside = ref[3] == 255
    for _ in range(3):
        inside = inside & np.roll(inside, 1, 0) & np.roll(inside, -1, 0) & np.roll(inside, 1, 1) & np.roll(inside, -1, 1)
    assert inside.sum() > 500, f"source covers only {inside.sum()} px of WM tile z{z}/{x}/{y}"
    got = np.moveaxis(arr[:, :, :3], 2, 0)
    nonblack = (got.max(axis=0)[inside] > 10).mean()
    assert nonblack > 0.95, f"WebMercator tile z{z}/{x}/{y}: only {nonblack:.1%} non-black px over the source area"
    mads, corrs = helpers.band_metrics(ref[:3], got, mask=inside)
    assert min(corrs) > 0.8 and max(mads) < 20, \
        f"WebMercator tile z{z}/{x}/{y} vs GDAL-warped source: MAD {np.round(mads, 2)} corr {np.round(corrs, 3)}"
