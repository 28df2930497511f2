"""WMS 1.3.0 / 1.1.1 GetCapabilities and GetMap of the REAL IGN tile (`ign`).

Pixels are checked against the source at the same ground coordinates: in
Lambert-93 exactly (the same thresholds and shift controls as the WMTS test),
in Web Mercator and WGS 84 against GDAL's own reprojection of the source onto
the requested grid.
"""
from __future__ import annotations

import io

import numpy as np
import pytest

import helpers

MARGIN = 10


def get(env, query, **kw):
    s = helpers.new_http()
    return s.get(f"{env.base}/wms", params=query, timeout=60, **kw)


def decode(content):
    g = helpers.gdal()
    g.FileFromMemBuffer("/vsimem/wms-test", content)
    arr = g.Open("/vsimem/wms-test").ReadAsArray()
    g.Unlink("/vsimem/wms-test")
    return arr


def getmap(env, crs, bbox, w, h, version="1.3.0", fmt="image/png", layer="ign", **extra):
    q = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
         ("CRS" if version == "1.3.0" else "SRS"): crs, "BBOX": ",".join(repr(v) for v in bbox),
         "WIDTH": str(w), "HEIGHT": str(h), "FORMAT": fmt, **extra}
    return get(env, q)


def test_capabilities_130_validate_and_list_layers(env, tmp_path):
    r = get(env, {"SERVICE": "WMS", "REQUEST": "GetCapabilities"})
    assert r.status_code == 200
    # The official WMS 1.3.0 schema validates the whole document; its
    # inspire_vs:ExtendedCapabilities is checked against the local transcription of
    # the INSPIRE schemas (tests/fixtures/inspire: the official ones are not
    # reachable offline). Negative controls: test_wms_more.py.
    ok, out = helpers.validate_wms_capabilities_inspire(r.content, tmp_path, "wms-caps.xml")
    assert ok, out
    text = r.text
    for name in ("<Name>ign</Name>", "<Name>ign-2021</Name>", "<MaxWidth>", "EX_GeographicBoundingBox",
                 'CRS="EPSG:2154"', "<CRS>EPSG:3946</CRS>", "<CRS>CRS:84</CRS>"):
        assert name in text, name


def test_capabilities_111_negotiated(env):
    r = get(env, {"SERVICE": "WMS", "VERSION": "1.1.1", "REQUEST": "GetCapabilities"})
    assert r.status_code == 200 and "<WMT_MS_Capabilities" in r.text and "<SRS>EPSG:2154</SRS>" in r.text


def test_getmap_lambert93_matches_source(env, rvb):
    bbox = helpers.inner_bbox(rvb, MARGIN)
    w = rvb["width"] - 2 * MARGIN
    h = rvb["height"] - 2 * MARGIN
    r = getmap(env, "EPSG:2154", bbox, w, h)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    got = decode(r.content)[:3]
    src = helpers.gdal().Open(str(rvb["path"])).ReadAsArray()
    problems, report = helpers.check_alignment(got, src, MARGIN)
    assert not problems, "\n".join(problems) + "\n" + report


def reprojected_source(rvb, epsg, bbox, w, h):
    """GDAL's reprojection of the source onto the requested grid (bilinear)."""
    g = helpers.gdal()
    ds = g.Warp("", str(rvb["path"]), format="MEM", dstSRS=f"EPSG:{epsg}", outputBounds=bbox,
                width=w, height=h, resampleAlg="bilinear", srcSRS="EPSG:2154", dstAlpha=True)
    return ds.ReadAsArray()


@pytest.mark.parametrize("crs,epsg,swap", [("EPSG:3857", 3857, False), ("EPSG:4326", 4326, True),
                                           ("CRS:84", 4326, False), ("EPSG:3946", 3946, False)])
def test_getmap_reprojected_matches_gdal(env, rvb, crs, epsg, swap):
    g = helpers.gdal()
    osr = __import__("osgeo.osr", fromlist=["osr"])
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(2154)
    dst.ImportFromEPSG(epsg)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    minx, miny, maxx, maxy = helpers.inner_bbox(rvb, 40)
    pts = [ct.TransformPoint(x, y) for x in (minx, maxx) for y in (miny, maxy)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    bbox = (min(xs), min(ys), max(xs), max(ys))
    w, h = 200, 200
    req = (bbox[1], bbox[0], bbox[3], bbox[2]) if swap else bbox
    r = getmap(env, crs, req, w, h, TRANSPARENT="TRUE")
    assert r.status_code == 200, r.text[:300]
    got = decode(r.content).astype(float)
    ref = reprojected_source(rvb, epsg, bbox, w, h).astype(float)
    valid = (got[3] == 255) & (ref[3] == 255)
    assert valid.mean() > 0.9, f"only {valid.mean():.2f} of the map is covered"
    for b in range(3):
        mad = np.abs(got[b][valid] - ref[b][valid]).mean()
        corr = np.corrcoef(got[b][valid], ref[b][valid])[0, 1]
        assert mad < 8 and corr > 0.95, f"band {b}: MAD {mad:.2f}, r {corr:.3f}"
    # Control: the same comparison against a grid shifted by 3 pixels fails.
    shifted = np.roll(ref, 3, axis=2)
    corr_shift = np.corrcoef(got[0][valid], shifted[0][valid])[0, 1]
    assert corr_shift < np.corrcoef(got[0][valid], ref[0][valid])[0, 1] - 0.02


def test_getmap_background_and_formats(env, rvb):
    minx, miny, maxx, maxy = rvb["bbox"]
    # Twice the tile's width: the right half has no data.
    bbox = (minx, miny, maxx + (maxx - minx), maxy)
    r = getmap(env, "EPSG:2154", bbox, 200, 100, fmt="image/png", BGCOLOR="0xFF0000")
    img = decode(r.content)
    assert img[0, 50, 190] == 255 and img[1, 50, 190] == 0, "BGCOLOR not painted where there is no data"
    r = getmap(env, "EPSG:2154", bbox, 200, 100, fmt="image/png", TRANSPARENT="TRUE")
    assert decode(r.content)[3, 50, 190] == 0
    for fmt, magic in (("image/jpeg", b"\xff\xd8"), ("image/webp", b"RIFF")):
        r = getmap(env, "EPSG:2154", bbox, 200, 100, fmt=fmt)
        assert r.status_code == 200 and r.content.startswith(magic), fmt


@pytest.mark.parametrize("change,code", [
    ({"LAYERS": "nope"}, "LayerNotDefined"),
    ({"CRS": "EPSG:32631"}, "InvalidCRS"),
    ({"FORMAT": "image/gif"}, "InvalidFormat"),
    ({"STYLES": "fancy"}, "StyleNotDefined"),
    ({"WIDTH": None}, "MissingParameterValue"),
    ({"WIDTH": "100000"}, "InvalidParameterValue"),
    ({"BBOX": "3,2,1"}, "InvalidParameterValue"),
    ({"REQUEST": "GetSomething"}, "OperationNotSupported"),
])
def test_getmap_errors(env, rvb, tmp_path, change, code):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "ign", "STYLES": "",
         "CRS": "EPSG:2154", "BBOX": ",".join(repr(v) for v in rvb["bbox"]), "WIDTH": "100",
         "HEIGHT": "100", "FORMAT": "image/png"}
    for k, v in change.items():
        if v is None:
            q.pop(k)
        else:
            q[k] = v
    r = get(env, q)
    # A WMS exception report is HTTP 200 (docs/conformance-choices.md).
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/xml"), (r.status_code, r.text[:300])
    assert f'code="{code}"' in r.text, r.text[:500]
    ok, out = helpers.validate_xml(r.content, tmp_path, "wms-exc.xml")
    assert ok, out


def test_owslib_wms(env, rvb):
    from owslib.wms import WebMapService
    wms = WebMapService(f"{env.base}/wms", version="1.3.0")
    assert "ign" in wms.contents and "ign-2021" in wms.contents
    img = wms.getmap(layers=["ign"], styles=[""], srs="EPSG:2154", bbox=rvb["bbox"], size=(128, 128),
                     format="image/png")
    arr = decode(img.read())
    assert arr.shape[1:] == (128, 128) and arr[:3].std() > 10


def test_time_dimension(env, rvb, tmp_path):
    caps = get(env, {"SERVICE": "WMS", "REQUEST": "GetCapabilities"}).text
    # The bare name is the composite ("current"); TIME picks a vintage.
    assert '<Dimension name="time" units="ISO8601" default="current" nearestValue="0" current="1">2021</Dimension>' in caps
    bbox = rvb["bbox"]
    plain = getmap(env, "EPSG:2154", bbox, 64, 64)
    timed = getmap(env, "EPSG:2154", bbox, 64, 64, TIME="2021")
    assert plain.status_code == 200 and timed.status_code == 200
    assert np.array_equal(decode(plain.content), decode(timed.content))
    assert getmap(env, "EPSG:2154", bbox, 64, 64, TIME="2021-06-01").status_code == 200
    for bad in ("1999", "yesterday"):
        r = getmap(env, "EPSG:2154", bbox, 64, 64, TIME=bad)
        assert r.status_code == 200 and 'code="InvalidDimensionValue"' in r.text, (bad, r.text[:300])
        ok, out = helpers.validate_xml(r.content, tmp_path, "wms-time-exc.xml")
        assert ok, out
