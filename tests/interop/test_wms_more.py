"""WMS additions on the session server (`ign`: the REAL IGN RVB tile, vintage 2021):
GetFeatureInfo (4 formats, 1.1.1 X/Y, OWSLib), exception reports for every error
code, EXCEPTIONS=INIMAGE/BLANK, PNG 8-bit, the dalle index layers
(`{view}-dalles`), per-layer resampling (own server: `ortho layer --resampling`),
and the capabilities (MetadataURL + ISO 19139 records, queryable, GetFeatureInfo
formats, exception formats, time dimension, INSPIRE extended capabilities, with
the schema check of the local INSPIRE transcription and its negative controls).

Expected pixels come from the source raster read with GDAL or from another
request to the same server; every image comparison has a control that must fail.
"""
from __future__ import annotations

import html.parser
import json
import math
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import Server, describe_proc, ingest, run_cli

WMS_NS = "http://www.opengis.net/wms"
XLINK = "{http://www.w3.org/1999/xlink}href"
INSPIRE_VS = "http://inspire.ec.europa.eu/schemas/inspire_vs/1.0"
INSPIRE_COMMON = "http://inspire.ec.europa.eu/schemas/common/1.0"
NSX = {"wms": WMS_NS, "inspire_vs": INSPIRE_VS, "inspire_common": INSPIRE_COMMON}
FORMATS = ["text/plain", "text/html", "application/json", "application/vnd.ogc.gml"]


def get(base, query, **kw):
    return helpers.new_http().get(f"{base}/wms", params=query, timeout=60, **kw)


def bbox_s(b):
    return ",".join(repr(round(v, 6)) for v in b)


def gdal_decode(content):
    g = helpers.gdal()
    g.FileFromMemBuffer("/vsimem/wms-more", content)
    ds = g.Open("/vsimem/wms-more")
    arr = ds.ReadAsArray()
    ct = ds.GetRasterBand(1).GetColorTable()
    lut = None if ct is None else np.array([ct.GetColorEntry(i) for i in range(ct.GetCount())], dtype=np.uint8)
    n = ds.RasterCount
    ds = None
    g.Unlink("/vsimem/wms-more")
    if arr.ndim == 2:
        arr = arr[None]
    return arr, lut, n


def getmap_q(bbox, w, h, layer="ign", version="1.3.0", crs="EPSG:2154", fmt="image/png", **extra):
    q = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
         ("CRS" if version == "1.3.0" else "SRS"): crs, "BBOX": bbox_s(bbox), "WIDTH": str(w),
         "HEIGHT": str(h), "FORMAT": fmt}
    q.update(extra)
    return q


def gfi_q(bbox, w, h, i, j, layer="ign", query=None, version="1.3.0", crs="EPSG:2154",
          info_format="application/json", **extra):
    q = getmap_q(bbox, w, h, layer=layer, version=version, crs=crs)
    q.pop("FORMAT")
    q.update({"REQUEST": "GetFeatureInfo", "QUERY_LAYERS": query or layer, "INFO_FORMAT": info_format,
              ("I" if version == "1.3.0" else "X"): str(i), ("J" if version == "1.3.0" else "Y"): str(j)})
    q.update(extra)
    return q


def exception_code(r):
    # WMS exception reports are HTTP 200, typed as the version says
    # (docs/conformance-choices.md): the status alone does not tell them.
    assert r.headers["Content-Type"].split(";")[0] in ("text/xml", "application/vnd.ogc.se_xml"), \
        r.headers["Content-Type"]
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", r.content, count=1))
    codes = [e.get("code") for e in root.iter() if e.tag.endswith("ServiceException")]
    return codes


# ==========================================================================
# GetFeatureInfo on the orthophoto layer
# ==========================================================================

class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag in ("td", "th")
        if self._in:
            self.cells.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def point_in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


@pytest.mark.parametrize("fmt", FORMATS)
def test_getfeatureinfo_formats(env, rvb, fmt, tmp_path):
    name = rvb["path"].name
    i, j = 100, 120
    r = get(env.base, gfi_q(rvb["bbox"], 252, 252, i, j, info_format=fmt))
    assert r.status_code == 200, (r.status_code, r.text[:500])
    ctype = r.headers.get("Content-Type", "")
    body = r.text
    if fmt == "text/plain":
        assert ctype.startswith("text/plain"), ctype
        for want in (name, "2021", "0.200", "ign"):
            assert want in body, (want, body)
    elif fmt == "text/html":
        assert ctype.startswith("text/html"), ctype
        p = _Cells()
        p.feed(body)
        cells = [c.strip() for c in p.cells]
        for want in (name, "2021", "0.200"):
            assert want in cells, (want, cells)
    elif fmt == "application/json":
        assert ctype.split(";")[0] in ("application/json", "application/geo+json"), ctype
        doc = r.json()
        assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 1, json.dumps(doc)[:1000]
        f = doc["features"][0]
        props = f["properties"]
        keys = {"dalle", "vintage", "acquired", "producer", "resolution_m", "source", "format", "layer"}
        assert keys <= set(props), props
        assert props["dalle"] == name, props
        assert str(props["vintage"]) == "2021", props
        assert float(props["resolution_m"]) == pytest.approx(0.2, abs=1e-9), props
        assert str(props["resolution_m"]) in ("0.200", "0.2"), props
        assert Path(props["source"]).name == name, props
        assert props["format"] == "GTiff" and props["layer"] == "ign", props
        # Geometry: the footprint, lon/lat (GeoJSON axis order), a closed ring.
        g = f["geometry"]
        assert g["type"] == "Polygon", g["type"]
        ring = g["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 5, ring
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        want = helpers.bbox_to_wgs84(rvb["bbox"])
        got = (min(lons), min(lats), max(lons), max(lats))
        assert got == pytest.approx(want, abs=2e-7), (got, want)  # 2e-7 deg ~ 2 cm
        # The queried pixel's centre lies inside the polygon; a point 5 m west of it does not.
        bx = rvb["bbox"]
        x = bx[0] + (i + 0.5) * (bx[2] - bx[0]) / 252
        y = bx[3] - (j + 0.5) * (bx[3] - bx[1]) / 252
        (lon, lat), = [helpers.bbox_to_wgs84((x, y, x, y))[:2]]
        assert point_in_ring(lon, lat, ring)
        (lon, lat), = [helpers.bbox_to_wgs84((bx[0] - 5, y, bx[0] - 5, y))[:2]]
        assert not point_in_ring(lon, lat, ring)
    else:
        assert ctype.split(";")[0] in ("application/vnd.ogc.gml", "text/xml", "application/xml"), ctype
        root = ET.fromstring(r.content)  # well-formed
        assert root.tag == "msGMLOutput", root.tag
        texts = {(e.tag.split("}")[-1], (e.text or "").strip()) for e in root.iter()}
        assert ("dalle", name) in texts and ("vintage", "2021") in texts, texts
        assert ("resolution_m", "0.200") in texts, texts


@pytest.mark.parametrize("fmt", FORMATS)
def test_getfeatureinfo_outside_data_is_empty(env, rvb, fmt):
    bx = rvb["bbox"]
    frame = (bx[0] - 200, bx[1], bx[2], bx[3])  # the data is the right fifth of the map
    r = get(env.base, gfi_q(frame, 250, 50, 5, 25, info_format=fmt))
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert rvb["path"].name not in r.text, r.text
    if fmt == "application/json":
        assert r.json()["type"] == "FeatureCollection" and r.json()["features"] == [], r.text
    elif fmt == "application/vnd.ogc.gml":
        root = ET.fromstring(r.content)
        assert root.tag == "msGMLOutput", root.tag
        local = [e.tag.split("}")[-1] for e in root.iter()]
        # The queried layer is there (the answer is about it), with no feature in it.
        assert "ign_layer" in local, local
        assert not [t for t in local if t.endswith("_feature")], r.text
    elif fmt == "text/html":
        p = _Cells()
        p.feed(r.text)
        assert p.cells == [], f"table cells in an empty answer: {p.cells}"
        assert "<h2>ign</h2>" in r.text, r.text  # the answer names the queried layer
    elif fmt == "text/plain":
        assert "Feature" not in r.text and "'ign'" in r.text, r.text


def test_getfeatureinfo_pixel_axes(env, rvb):
    """I counts columns from the left, J rows from the top: the tile fills the top-left
    quadrant of a map twice its size."""
    bx = rvb["bbox"]
    w = bx[2] - bx[0]
    frame = (bx[0], bx[1] - w, bx[2] + w, bx[3])
    for (i, j), hit in (((50, 50), True), ((150, 50), False), ((50, 150), False), ((150, 150), False)):
        r = get(env.base, gfi_q(frame, 200, 200, i, j))
        n = len(r.json()["features"])
        assert n == (1 if hit else 0), f"I={i} J={j}: {n} features, expected {int(hit)}"


def test_getfeatureinfo_111_uses_x_y(env, rvb):
    q = gfi_q(rvb["bbox"], 252, 252, 100, 100, version="1.1.1", info_format="text/plain")
    assert "X" in q and "I" not in q and q["SRS"] == "EPSG:2154"
    r = get(env.base, q)
    assert r.status_code == 200 and rvb["path"].name in r.text, (r.status_code, r.text[:300])
    # X beyond WIDTH: InvalidPoint in 1.1.1 too.
    q["X"] = "252"
    r = get(env.base, q)
    assert r.status_code == 200 and "InvalidPoint" in exception_code(r), r.text[:300]


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_getfeatureinfo_owslib(env, rvb, version):
    from owslib.wms import WebMapService
    wms = WebMapService(f"{env.base}/wms", version=version)
    assert wms.contents["ign"].queryable == 1
    assert set(FORMATS) <= set(wms.getOperationByName("GetFeatureInfo").formatOptions)
    r = wms.getfeatureinfo(layers=["ign"], srs="EPSG:2154", bbox=rvb["bbox"], size=(252, 252),
                           format="image/png", query_layers=["ign"], info_format="application/json",
                           xy=(100, 100))
    doc = json.loads(r.read())
    assert [f["properties"]["dalle"] for f in doc["features"]] == [rvb["path"].name], doc


# ==========================================================================
# Exception reports
# ==========================================================================

GFI_ERRORS = [
    ("I=WIDTH", {"I": "252"}, "InvalidPoint"),
    ("J=HEIGHT", {"J": "252"}, "InvalidPoint"),
    ("I not a number", {"I": "abc"}, "InvalidPoint"),
    ("I negative", {"I": "-1"}, "InvalidPoint"),
    ("QUERY_LAYERS not in LAYERS", {"QUERY_LAYERS": "ign-2021"}, "LayerNotQueryable"),
    ("bad INFO_FORMAT", {"INFO_FORMAT": "text/xyz"}, "InvalidFormat"),
    ("bad CRS", {"CRS": "EPSG:32631"}, "InvalidCRS"),
    ("unknown layer", {"LAYERS": "nope", "QUERY_LAYERS": "nope"}, "LayerNotDefined"),
    ("unknown style", {"STYLES": "fancy"}, "StyleNotDefined"),
    ("TIME=1999", {"TIME": "1999"}, "InvalidDimensionValue"),
    ("TIME=abc", {"TIME": "abc"}, "InvalidDimensionValue"),
    ("no I", {"I": None}, "MissingParameterValue"),
    ("no QUERY_LAYERS", {"QUERY_LAYERS": None}, "MissingParameterValue"),
    ("no BBOX", {"BBOX": None}, "MissingParameterValue"),
]
GETMAP_ERRORS = [
    ("bad FORMAT", {"FORMAT": "image/gif"}, "InvalidFormat"),
    ("bad CRS", {"CRS": "EPSG:32631"}, "InvalidCRS"),
    ("unknown layer", {"LAYERS": "nope"}, "LayerNotDefined"),
    ("unknown index layer", {"LAYERS": "nope-dalles"}, "LayerNotDefined"),
    ("unknown style", {"STYLES": "fancy"}, "StyleNotDefined"),
    ("TIME=1999", {"TIME": "1999"}, "InvalidDimensionValue"),
    ("TIME=abc", {"TIME": "abc"}, "InvalidDimensionValue"),
    ("no LAYERS", {"LAYERS": None}, "MissingParameterValue"),
    ("no FORMAT", {"FORMAT": None}, "MissingParameterValue"),
]


def with_changes(q, change):
    q = dict(q)
    for k, v in change.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return q


@pytest.mark.parametrize("request_,why,change,code",
                         [("GetFeatureInfo", *e) for e in GFI_ERRORS] + [("GetMap", *e) for e in GETMAP_ERRORS],
                         ids=[f"GetFeatureInfo-{e[0]}" for e in GFI_ERRORS] + [f"GetMap-{e[0]}" for e in GETMAP_ERRORS])
def test_exception_reports(env, rvb, tmp_path, request_, why, change, code):
    base = gfi_q(rvb["bbox"], 252, 252, 10, 10) if request_ == "GetFeatureInfo" else getmap_q(rvb["bbox"], 64, 64)
    r = get(env.base, with_changes(base, change))
    assert r.status_code == 200, (why, r.status_code, r.text[:300])
    assert code in exception_code(r), (why, r.text[:500])
    ok, out = helpers.validate_xml(r.content, tmp_path, "exc.xml")
    assert ok, out


def advertised_max(env):
    r = get(env.base, {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"})
    root = ET.fromstring(r.content)
    return (int(root.find("wms:Service/wms:MaxWidth", NSX).text), int(root.find("wms:Service/wms:MaxHeight", NSX).text))


@pytest.mark.parametrize("request_", ["GetMap", "GetFeatureInfo"])
def test_size_over_max_refused_quickly(env, rvb, tmp_path, request_):
    mw, mh = advertised_max(env)
    assert (mw, mh) == (4096, 4096)
    for w, h, key in ((mw + 1, 100, "WIDTH"), (100, mh + 1, "HEIGHT"), (100000, 100000, None)):
        q = (getmap_q(rvb["bbox"], w, h) if request_ == "GetMap" else gfi_q(rvb["bbox"], w, h, 1, 1))
        t0 = time.monotonic()
        r = get(env.base, q)
        dt = time.monotonic() - t0
        assert r.status_code == 200 and "InvalidParameterValue" in exception_code(r), (w, h, r.text[:300])
        if key:
            assert f'locator="{key}"' in r.text, r.text[:300]
        assert dt < 1.0, f"{request_} {w}x{h} refused after {dt:.2f}s"
        ok, out = helpers.validate_xml(r.content, tmp_path, "exc-size.xml")
        assert ok, out
    # Exactly MaxWidth is accepted.
    if request_ == "GetMap":
        r = get(env.base, getmap_q(rvb["bbox"], mw, 8))
        assert r.status_code == 200, r.text[:300]


# ==========================================================================
# EXCEPTIONS=INIMAGE / BLANK
# ==========================================================================

def dark_pixels(arr):
    rgb = arr[:3].astype(float)
    lum = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    if arr.shape[0] == 4:
        lum = np.where(arr[3] > 0, lum, 255)
    return int((lum < 100).sum())


@pytest.mark.parametrize("version,mode,fmt,magic", [
    ("1.3.0", "INIMAGE", "image/png", helpers.PNG_MAGIC),
    ("1.3.0", "INIMAGE", "image/jpeg", helpers.JPEG_MAGIC),
    ("1.1.1", "application/vnd.ogc.se_inimage", "image/png", helpers.PNG_MAGIC),
])
@pytest.mark.parametrize("error", [{"LAYERS": "nope"}, {"TIME": "1999"}, {"STYLES": "fancy"}])
def test_exceptions_inimage(env, rvb, version, mode, fmt, magic, error):
    q = with_changes(getmap_q(rvb["bbox"], 300, 120, version=version, fmt=fmt, EXCEPTIONS=mode), error)
    r = get(env.base, q)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert r.headers.get("Content-Type", "").startswith(fmt) and r.content.startswith(magic), \
        (r.headers.get("Content-Type"), r.content[:16])
    arr, _, _ = gdal_decode(r.content)
    assert arr.shape[1:] == (120, 300), arr.shape
    n = dark_pixels(arr)
    assert 100 < n < 0.5 * 300 * 120, f"{n} dark pixels: no readable message in the image"
    # Control: the same request with EXCEPTIONS=BLANK has no dark pixel.
    blank = "BLANK" if version == "1.3.0" else "application/vnd.ogc.se_blank"
    r = get(env.base, dict(q, EXCEPTIONS=blank))
    arr, _, _ = gdal_decode(r.content)
    assert dark_pixels(arr) == 0


@pytest.mark.parametrize("version,mode", [("1.3.0", "BLANK"), ("1.1.1", "application/vnd.ogc.se_blank")])
def test_exceptions_blank(env, rvb, version, mode):
    q = getmap_q(rvb["bbox"], 200, 100, layer="nope", version=version, EXCEPTIONS=mode, BGCOLOR="0x336699")
    r = get(env.base, q)
    assert r.status_code == 200 and r.content.startswith(helpers.PNG_MAGIC), (r.status_code, r.text[:300])
    arr, _, _ = gdal_decode(r.content)
    assert arr.shape[1:] == (100, 200)
    assert (arr[0] == 0x33).all() and (arr[1] == 0x66).all() and (arr[2] == 0x99).all(), \
        [np.unique(arr[b])[:5] for b in range(3)]
    if arr.shape[0] == 4:
        assert (arr[3] == 255).all()
    r = get(env.base, dict(q, TRANSPARENT="TRUE"))
    assert r.status_code == 200
    arr, _, _ = gdal_decode(r.content)
    assert arr.shape[0] == 4 and arr.shape[1:] == (100, 200) and (arr[3] == 0).all(), "not fully transparent"
    # JPEG: the requested size, uniform colour (within JPEG rounding).
    r = get(env.base, dict(q, FORMAT="image/jpeg"))
    assert r.status_code == 200 and r.content.startswith(helpers.JPEG_MAGIC)
    arr, _, _ = gdal_decode(r.content)
    assert arr.shape[1:] == (100, 200)
    assert np.abs(arr[:3].reshape(3, -1).astype(int) - np.array([[0x33], [0x66], [0x99]])).max() <= 3


def test_exceptions_xml_is_the_default(env, rvb, tmp_path):
    for extra in ({}, {"EXCEPTIONS": "XML"}):
        r = get(env.base, getmap_q(rvb["bbox"], 64, 64, layer="nope", **extra))
        assert r.status_code == 200 and "LayerNotDefined" in exception_code(r), r.text[:300]


# ==========================================================================
# PNG 8 bit
# ==========================================================================

def test_png_8bit(env, rvb):
    bbox, w, h = rvb["bbox"], 252, 252
    r8 = get(env.base, getmap_q(bbox, w, h, fmt="image/png; mode=8bit"))
    assert r8.status_code == 200 and r8.content.startswith(helpers.PNG_MAGIC), (r8.status_code, r8.text[:300])
    assert r8.headers["Content-Type"].startswith("image/png"), r8.headers["Content-Type"]
    idx, lut, nbands = gdal_decode(r8.content)
    assert nbands == 1 and lut is not None, "not a palette PNG (GDAL sees no colour table)"
    assert 2 <= len(lut) <= 256
    pal = np.moveaxis(lut[idx[0]], 2, 0)          # (4, h, w) RGBA through the palette
    r24 = get(env.base, getmap_q(bbox, w, h))
    full, _, _ = gdal_decode(r24.content)
    valid = full[3] == 255 if full.shape[0] == 4 else np.ones((h, w), bool)
    mads, corrs = helpers.band_metrics(full[:3], pal[:3], valid)
    assert helpers.passes(mads, corrs), f"8-bit vs 24-bit: MAD {np.round(mads, 2)} r {np.round(corrs, 4)}"
    # Control: against the 24-bit map shifted by one pixel it does not pass.
    m2, c2 = helpers.band_metrics(full[:3, :, 1:], pal[:3, :, :-1], valid[:, 1:] & valid[:, :-1])
    assert not helpers.passes(m2, c2), f"1-px shift passes too: MAD {np.round(m2, 2)} r {np.round(c2, 4)}"
    # The raw, %20-encoded form of the MIME type is the same format.
    raw = (f"{env.base}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=ign&STYLES=&CRS=EPSG:2154"
           f"&BBOX={bbox_s(bbox)}&WIDTH={w}&HEIGHT={h}&FORMAT=image/png;%20mode=8bit")
    r = helpers.new_http().get(raw, timeout=60)
    assert r.status_code == 200 and gdal_decode(r.content)[1] is not None


def test_png_8bit_transparent(env, rvb):
    """TRANSPARENT=TRUE: the palette keeps the 24-bit PNG's transparency, which is
    0 where there is no data and 255 over the photo (partial only along the
    data's edge): no opaque pixel of the photo may become translucent, no
    transparent one visible, through the palette."""
    bx = rvb["bbox"]
    frame = (bx[0], bx[1], bx[2] + (bx[2] - bx[0]), bx[3])   # right half: no data
    q = getmap_q(frame, 200, 100, fmt="image/png; mode=8bit", TRANSPARENT="TRUE")
    r = get(env.base, q)
    assert r.status_code == 200
    idx, lut, _ = gdal_decode(r.content)
    assert lut is not None, "not a palette PNG"
    pal = np.moveaxis(lut[idx[0]], 2, 0)
    full, _, _ = gdal_decode(get(env.base, dict(q, FORMAT="image/png")).content)
    binary = (full[3] == 0) | (full[3] == 255)
    assert binary.mean() > 0.97, np.unique(full[3], return_counts=True)  # partial alpha only at the edge
    assert (pal[3][:, 110:] == 0).all(), "no-data half is not transparent"
    diff = np.where(binary, pal[3].astype(int) - full[3], 0)
    bad = np.argwhere(diff != 0)
    assert not len(bad), (
        f"{len(bad)} of {full[3].size} pixels have another alpha than in the 24-bit PNG "
        f"(alpha values there: {sorted(set(pal[3][diff != 0].tolist()))[:12]}); e.g. (row, col) {bad[:3].tolist()}")
    opaque = full[3] == 255
    mads, corrs = helpers.band_metrics(full[:3], pal[:3], opaque)
    assert helpers.passes(mads, corrs), f"MAD {np.round(mads, 2)} r {np.round(corrs, 4)}"


# ==========================================================================
# Dalle index layers
# ==========================================================================

def transformer(epsg):
    from osgeo import osr
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(2154)
    dst.ImportFromEPSG(epsg)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    return lambda pts: [ct.TransformPoint(x, y)[:2] for x, y in pts]


def footprint_ring(bbox, epsg, n=40):
    minx, miny, maxx, maxy = bbox
    corners = [(minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy), (minx, miny)]
    pts = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        pts += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n)]
    pts.append(corners[0])
    return transformer(epsg)(pts)


def seg_distance(px, py, ring):
    """Distance of points (px, py arrays) to the polyline `ring` (pixel units)."""
    d = np.full(px.shape, np.inf)
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        vx, vy = x1 - x0, y1 - y0
        L2 = vx * vx + vy * vy or 1e-12
        t = np.clip(((px - x0) * vx + (py - y0) * vy) / L2, 0, 1)
        d = np.minimum(d, np.hypot(px - (x0 + t * vx), py - (y0 + t * vy)))
    return d


def outline_report(alpha, ring_px, near=2.0):
    """(fraction of the outline with an opaque pixel within `near` px,
        number of non-transparent pixels farther than 3 px from the outline)."""
    h, w = alpha.shape
    yy, xx = np.mgrid[0:h, 0:w]
    dist = seg_distance(xx + 0.5, yy + 0.5, ring_px)
    stray = int(((alpha > 0) & (dist > 3.0)).sum())
    # Sample the outline every half pixel.
    samples = []
    for (x0, y0), (x1, y1) in zip(ring_px, ring_px[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) * 2))
        samples += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n)]
    opaque = np.argwhere(alpha >= 128)[:, ::-1] + 0.5  # (x, y) of opaque pixel centres
    assert len(opaque), "no opaque pixel at all"
    hit = 0
    for sx, sy in samples:
        if not (0 <= sx < w and 0 <= sy < h):
            continue
        if (np.hypot(opaque[:, 0] - sx, opaque[:, 1] - sy) <= near).any():
            hit += 1
    return hit / len(samples), stray


@pytest.mark.parametrize("layer", ["ign-dalles", "ign-2021-dalles"])
@pytest.mark.parametrize("epsg", [2154, 3857])
def test_dalle_index_draws_outlines(env, rvb, layer, epsg):
    ring = footprint_ring(rvb["bbox"], epsg)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    mx, my = 0.35 * (maxx - minx), 0.35 * (maxy - miny)
    frame = (minx - mx, miny - my, maxx + mx, maxy + my)
    w = 240
    h = int(round(w * (frame[3] - frame[1]) / (frame[2] - frame[0])))
    r = get(env.base, getmap_q(frame, w, h, layer=layer, crs=f"EPSG:{epsg}", TRANSPARENT="TRUE"))
    assert r.status_code == 200, (r.status_code, r.text[:300])
    arr, _, _ = gdal_decode(r.content)
    assert arr.shape == (4, h, w), arr.shape
    alpha = arr[3]
    sx, sy = w / (frame[2] - frame[0]), h / (frame[3] - frame[1])
    ring_px = [((x - frame[0]) * sx, (frame[3] - y) * sy) for x, y in ring]
    cover, stray = outline_report(alpha, ring_px)
    assert cover > 0.95, f"only {cover:.0%} of the footprint's outline is drawn"
    assert stray == 0, f"{stray} non-transparent pixels away from the outline (fill inside or marks outside)"
    # Inside and outside, well away from the edges: fully transparent.
    assert (alpha[int(h * 0.45):int(h * 0.55), int(w * 0.45):int(w * 0.55)] == 0).all()
    assert (alpha[:5, :] == 0).all() and (alpha[:, :5] == 0).all()
    # Control: the outline shifted by 6 px is not what is drawn.
    shifted = [(x + 6, y) for x, y in ring_px]
    cover_s, _ = outline_report(alpha, shifted)
    assert cover_s < 0.6, f"a 6-px shifted outline is {cover_s:.0%} covered: the check does not discriminate"


def test_dalle_index_getfeatureinfo(env, rvb):
    for layer in ("ign-dalles", "ign-2021-dalles"):
        r = get(env.base, gfi_q(rvb["bbox"], 252, 252, 100, 100, layer=layer))
        assert r.status_code == 200, (layer, r.text[:300])
        feats = r.json()["features"]
        assert [f["properties"]["dalle"] for f in feats] == [rvb["path"].name], (layer, feats)
        assert str(feats[0]["properties"]["vintage"]) == "2021"
    bx = rvb["bbox"]
    r = get(env.base, gfi_q((bx[0] - 200, bx[1], bx[2], bx[3]), 250, 50, 5, 25, layer="ign-dalles"))
    assert r.json()["features"] == []


# ==========================================================================
# Per-layer resampling (own data dir and server)
# ==========================================================================

@pytest.fixture(scope="module")
def resampling_server(geocentre_bin, rvb, tmp_path_factory):
    """Layers `near` and `bil`: the REAL RVB tile each, with `ortho layer --resampling
    nearest` and `bilinear` set before the server starts."""
    root = tmp_path_factory.mktemp("resampling")
    data = root / "data"
    data.mkdir()
    for layer, mode in (("near", "nearest"), ("bil", "bilinear")):
        p, _ = ingest(data, layer, 2021, [rvb["path"]])
        assert p.returncode == 0, describe_proc(p, f"ingest of {layer}")
        p = run_cli(["ortho", "layer", "--name", layer, "--resampling", mode], data_dir=data, timeout=60)
        assert p.returncode == 0, describe_proc(
            p, "`geocentre ortho layer --name L --resampling nearest|bilinear` failed "
               "(per-layer resampling command missing or broken)")
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield srv
    srv.stop()


def test_resampling_command_errors(resampling_server):
    data = resampling_server.data_dir
    p = run_cli(["ortho", "layer", "--name", "nope", "--resampling", "nearest"], data_dir=data, timeout=60)
    assert p.returncode == 1 and "'nope'" in p.stderr, describe_proc(p, "unknown layer accepted, or not named")
    p = run_cli(["ortho", "layer", "--name", "near", "--resampling", "cubic"], data_dir=data, timeout=60)
    # Refused by the argument parser (clap: exit status 2), naming the value and what is allowed.
    assert p.returncode == 2, describe_proc(p, "unknown resampling accepted, or not refused as a usage error")
    assert "'cubic'" in p.stderr and "--resampling" in p.stderr, describe_proc(p, "the error does not name the value")
    assert "nearest" in p.stderr and "bilinear" in p.stderr, describe_proc(p, "the error does not list the choices")


def two_x(srv, layer, rvb, x0=20, y0=30, n=100):
    """The 1:1 map of an n×n source window at (x0, y0) and the same window at twice the size."""
    minx, maxy = rvb["bbox"][0] + x0 * 0.2, rvb["bbox"][3] - y0 * 0.2
    frame = (minx, maxy - n * 0.2, minx + n * 0.2, maxy)
    one, _, _ = gdal_decode(get(srv.base_url, getmap_q(frame, n, n, layer=layer)).content)
    two, _, _ = gdal_decode(get(srv.base_url, getmap_q(frame, 2 * n, 2 * n, layer=layer)).content)
    src = helpers.gdal().Open(str(rvb["path"])).ReadAsArray()[:, y0 - 2:y0 + n + 2, x0 - 2:x0 + n + 2]
    return one[:3].astype(int), two[:3].astype(int), src


def blocks_repeated(two):
    """Fraction of 2×2 blocks whose 4 pixels are identical."""
    a = two[:, ::2, ::2]
    same = (a == two[:, 1::2, ::2]) & (a == two[:, ::2, 1::2]) & (a == two[:, 1::2, 1::2])
    return same.all(axis=0).mean()


def test_resampling_nearest_repeats_source_pixels(resampling_server, rvb):
    one, two, src = two_x(resampling_server, "near", rvb)
    # The 1:1 map is the source (stored as JPEG: within JPEG tolerance, at the right place).
    problems, report = helpers.check_alignment(one, src, 2)
    assert not problems, "\n".join(problems) + "\n" + report
    # Nearest: every source pixel (as served at 1:1) repeated 2×2, exactly.
    assert blocks_repeated(two) == 1.0, f"only {blocks_repeated(two):.1%} of the 2x2 blocks are uniform"
    assert np.array_equal(two[:, ::2, ::2], one), \
        f"2x map differs from the 1:1 map repeated: {(two[:, ::2, ::2] != one).any(axis=0).mean():.1%} of pixels"


def test_resampling_bilinear_interpolates(resampling_server, rvb):
    one, two, src = two_x(resampling_server, "bil", rvb)
    problems, report = helpers.check_alignment(one, src, 2)
    assert not problems, "\n".join(problems) + "\n" + report
    frac = blocks_repeated(two)
    assert frac < 0.2, f"bilinear: {frac:.1%} of the 2x2 blocks are uniform (looks like nearest)"


# ==========================================================================
# Capabilities
# ==========================================================================

@pytest.fixture(scope="module")
def caps130(env):
    r = get(env.base, {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"})
    assert r.status_code == 200
    return r


def named_layers(root):
    return {L.find("wms:Name", NSX).text: L for L in root.iter(f"{{{WMS_NS}}}Layer")
            if L.find("wms:Name", NSX) is not None}


def test_capabilities_layers_metadata_and_queryable(env, caps130, tmp_path):
    root = ET.fromstring(caps130.content)
    layers = named_layers(root)
    for want in ("ign", "ign-2021", "ign-dalles", "ign-2021-dalles"):
        assert want in layers, sorted(layers)
    fetched = {}
    for name, L in layers.items():
        assert L.get("queryable") == "1", (name, L.attrib)
        mds = L.findall("wms:MetadataURL", NSX)
        assert len(mds) >= 1, f"{name}: no MetadataURL"
        iso = [m for m in mds if m.get("type") == "ISO19115:2003"]
        assert iso, f"{name}: no MetadataURL of type ISO19115:2003: {[m.attrib for m in mds]}"
        view = name[:-len("-dalles")] if name.endswith("-dalles") else name
        href = iso[0].find("wms:OnlineResource", NSX).get(XLINK)
        assert href == f"{env.base}/api/ortho/layers/{view}/metadata.xml", (name, href)
        assert iso[0].find("wms:Format", NSX).text in ("text/xml", "application/xml"), name
        fetched.setdefault(href, view)
    for href, view in fetched.items():
        r = helpers.new_http().get(href, timeout=60)
        assert r.status_code == 200, f"{href}: HTTP {r.status_code} (ISO 19139 record of layer {view} missing)"
        root_md = ET.fromstring(r.content)
        assert root_md.tag == "{http://www.isotc211.org/2005/gmd}MD_Metadata", root_md.tag
        ok, out = helpers.validate_iso19139(r.content, tmp_path, f"md-{view}.xml")
        assert ok, f"{href}:\n{out}"
        assert view in r.text, f"{href} does not mention the layer {view}"


def test_capabilities_operations_and_exceptions(caps130):
    root = ET.fromstring(caps130.content)
    gfi = root.find("wms:Capability/wms:Request/wms:GetFeatureInfo", NSX)
    assert gfi is not None, "no GetFeatureInfo operation"
    assert [f.text for f in gfi.findall("wms:Format", NSX)] == FORMATS or \
        set(FORMATS) <= {f.text for f in gfi.findall("wms:Format", NSX)}
    gm = {f.text for f in root.findall("wms:Capability/wms:Request/wms:GetMap/wms:Format", NSX)}
    assert {"image/png", "image/jpeg", "image/png; mode=8bit"} <= gm, gm
    exc = {f.text for f in root.findall("wms:Capability/wms:Exception/wms:Format", NSX)}
    assert {"XML", "INIMAGE", "BLANK"} <= exc, exc


def test_capabilities_time_dimension(env, caps130, rvb):
    layers = named_layers(ET.fromstring(caps130.content))
    dims = [d for d in layers["ign"].findall("wms:Dimension", NSX) if d.get("name") == "time"]
    assert len(dims) == 1, "composite `ign`: no time Dimension"
    d = dims[0]
    assert d.get("units") == "ISO8601" and d.get("default") == "current", d.attrib
    assert d.text.strip() == "2021", d.text
    # TIME=current is the default (the composite); TIME=2021 the vintage.
    plain = get(env.base, getmap_q(rvb["bbox"], 64, 64))
    cur = get(env.base, getmap_q(rvb["bbox"], 64, 64, TIME="current"))
    assert cur.status_code == 200 and gdal_decode(cur.content)[0].tobytes() == gdal_decode(plain.content)[0].tobytes()


def test_capabilities_time_dimension_declares_current(caps130):
    """WMS 1.3.0 Annex C (Table C.1): the keyword "current" is a valid TIME value only
    where the Dimension says current="1" (or "true"). The composite's default is
    "current", so the Dimension must declare it."""
    layers = named_layers(ET.fromstring(caps130.content))
    d = [d for d in layers["ign"].findall("wms:Dimension", NSX) if d.get("name") == "time"][0]
    assert d.get("current") in ("1", "true"), f'default="current" without current="1": {d.attrib}'


def test_capabilities_inspire_extended(env, caps130, tmp_path):
    root = ET.fromstring(caps130.content)
    cap = root.find("wms:Capability", NSX)
    ext = cap.find("inspire_vs:ExtendedCapabilities", NSX)
    assert ext is not None, "no inspire_vs:ExtendedCapabilities in Capability"
    children = [c.tag for c in cap]
    assert children.index(ext.tag) < children.index(f"{{{WMS_NS}}}Layer"), children
    url = ext.find("inspire_common:MetadataUrl/inspire_common:URL", NSX)
    assert url is not None and url.text == f"{env.base}/api/services/wms/metadata.xml", \
        None if url is None else url.text
    assert ext.find("inspire_common:SupportedLanguages/inspire_common:DefaultLanguage/inspire_common:Language",
                    NSX).text == "fre"
    sup = [l.text for l in ext.findall(
        "inspire_common:SupportedLanguages/inspire_common:SupportedLanguage/inspire_common:Language", NSX)]
    assert "eng" in sup, sup
    assert ext.find("inspire_common:ResponseLanguage/inspire_common:Language", NSX).text == "fre"
    # The service metadata record it points to.
    r = helpers.new_http().get(url.text, timeout=60)
    assert r.status_code == 200, f"{url.text}: HTTP {r.status_code}"
    ok, out = helpers.validate_iso19139(r.content, tmp_path, "wms-service-md.xml")
    assert ok, out
    assert b"SV_ServiceIdentification" in r.content, "the service record is not a service identification"


def test_iso19139_wrapper_rejects_a_broken_record(env, tmp_path):
    """Control for validate_iso19139: a record without its identification fails."""
    r = helpers.new_http().get(f"{env.base}/api/services/wms/metadata.xml", timeout=60)
    assert r.status_code == 200
    doc = ET.fromstring(r.content)
    gmd = "{http://www.isotc211.org/2005/gmd}"
    for el in doc.findall(f"{gmd}identificationInfo"):
        doc.remove(el)
    for el in doc.findall(f"{gmd}dateStamp"):
        doc.remove(el)
    ok, out = helpers.validate_iso19139(ET.tostring(doc), tmp_path, "broken-md.xml")
    assert not ok, "a record without dateStamp and identificationInfo validates"


# Mutations of the server's own capabilities: each must make the validation fail.
def _drop(xpath):
    def f(root):
        parent_path, _, leaf = xpath.rpartition("/")
        parent = root.find(parent_path, NSX)
        el = parent.find(leaf, NSX)
        assert el is not None, xpath
        parent.remove(el)
    return f


def _set_text(xpath, text):
    def f(root):
        el = root.find(xpath, NSX)
        assert el is not None, xpath
        el.text = text
    return f


def _ext_after_layer(root):
    cap = root.find("wms:Capability", NSX)
    ext = cap.find("inspire_vs:ExtendedCapabilities", NSX)
    cap.remove(ext)
    cap.append(ext)


EXT = "wms:Capability/inspire_vs:ExtendedCapabilities"
# name -> (mutation, a text the validation error must contain)
MUTATIONS = {
    "no ResponseLanguage": (_drop(f"{EXT}/inspire_common:ResponseLanguage"), "ResponseLanguage"),
    "no SupportedLanguages": (_drop(f"{EXT}/inspire_common:SupportedLanguages"), "SupportedLanguages"),
    "no MetadataUrl URL": (_drop(f"{EXT}/inspire_common:MetadataUrl/inspire_common:URL"), "URL"),
    "2-letter language": (_set_text(f"{EXT}/inspire_common:ResponseLanguage/inspire_common:Language", "fr"),
                          "'fr'"),
    "unknown media type": (_set_text(f"{EXT}/inspire_common:MetadataUrl/inspire_common:MediaType", "foo/bar"),
                           "'foo/bar'"),
    "ExtendedCapabilities after Layer": (_ext_after_layer, "ExtendedCapabilities"),
    "no Service/Title (WMS part)": (_drop("wms:Service/wms:Title"), "Title"),
}


def test_capabilities_inspire_schema_check_is_strict(caps130, tmp_path):
    ok, out = helpers.validate_wms_capabilities_inspire(caps130.content, tmp_path, "caps-ok.xml")
    assert ok, out
    # Keep the prefixes on re-serialisation (xsi:type="inspire_common:..." names one).
    for prefix, uri in (("", WMS_NS), ("xlink", "http://www.w3.org/1999/xlink"),
                        ("inspire_vs", INSPIRE_VS), ("inspire_common", INSPIRE_COMMON),
                        ("xsi", "http://www.w3.org/2001/XMLSchema-instance")):
        ET.register_namespace(prefix, uri)
    for name, (mutate, why) in MUTATIONS.items():
        root = ET.fromstring(caps130.content)
        mutate(root)
        data = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
        ok, out = helpers.validate_wms_capabilities_inspire(data, tmp_path, "caps-mutated.xml")
        assert not ok, f"capabilities with '{name}' still validate:\n{out}"
        assert why in out, f"capabilities with '{name}' fail for another reason:\n{out}"
    # And the unmutated document survives the same serialisation round trip.
    root = ET.fromstring(caps130.content)
    ok, out = helpers.validate_wms_capabilities_inspire(
        ET.tostring(root, xml_declaration=True, encoding="UTF-8"), tmp_path, "caps-roundtrip.xml")
    assert ok, out
