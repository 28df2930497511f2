"""QGIS (headless) loads the server's WMS and WMTS layers and renders maps of the
REAL IGN tile (`ign`) that match the source raster at the same ground coordinates.

QGIS runs in a subprocess: Debian's /usr/bin/python3 with python3-qgis
(`GEOCENTRE_QGIS_PYTHON` to override), QT_QPA_PLATFORM=offscreen, and a fresh
HOME / XDG dirs in pytest's tmp dir so that QGIS's settings and its network
disk cache (which would otherwise answer tiles of an earlier run) never touch
the user's home. The script, qgis_render.py, loads each layer with the "wms"
provider (which also does WMTS), renders it with QgsMapSettings +
QgsMapRendererSequentialJob onto a transparent image, and records the URLs
QGIS requested, so the tests also check that QGIS really used GetMap / GetTile
of the expected tile matrix set and level.

Maps, each inside the real tile:
  * Lambert-93 (EPSG:2154) at the native 0.2 m: WMS GetMap and WMTS
    LAMB93_5cm_EPSG level 20. Compared with the source pixels by
    helpers.check_alignment: the thresholds of the GDAL WMTS test (MAD < 6,
    r > 0.98 per band) and its controls (every 1-pixel shift of the source
    window must FAIL, the best match within 2 pixels is at zero shift).
  * Resampled, compared with GDAL's bilinear warp of the source onto the same
    grid, thresholds of test_wms.py (MAD < 8, r > 0.95 per band), controls: a
    3-pixel shift of the reference must FAIL, the best match within 2 pixels is
    at zero shift:
      - Web Mercator (EPSG:3857) at WebMercatorQuad level 20's resolution, on
        its pixel grid: WMS GetMap in EPSG:3857 and WMTS WebMercatorQuad;
      - Lambert-93 zoomed in past the native resolution (0.1 m): WMS, and WMTS
        (QGIS asks for level 21: served upsampled past the finest level).
Measured (QGIS 3.22.16): MAD 2.1..2.4 / r >= 0.992 in Lambert-93 (JPEG tiles),
MAD 1.3..1.8 / r >= 0.999 resampled; the shifted controls give MAD 9..12.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import L93_TMS, WM_TMS

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "qgis_render.py"
QGIS_PYTHON = os.environ.get("GEOCENTRE_QGIS_PYTHON", "/usr/bin/python3")

MARGIN = 10            # source pixels kept out of the Lambert-93 maps (room for the shift controls)
L93_LEVEL = 20         # 0.2 m, the tile's native resolution
WM_LEVEL = 20          # WebMercatorQuad level whose resolution (~0.149 m) the Web Mercator maps use
WM_SIZE = 200          # px
ZOOM_RES = 0.1         # m, a Lambert-93 map zoomed in 2x past the native resolution
RS_MAD_MAX, RS_CORR_MIN = 8.0, 0.95  # resampled maps, as test_wms.py's reprojected GetMap
STD_MIN = 20.0         # per band; the source has 46..62
COLOURS_MIN = 1000     # distinct RGB colours in a map (the source window has tens of thousands)
COVER_MIN = 0.99       # opaque fraction of a map inside the tile (the source has 0.04 % nodata)


def wms_uri(base, layer, crs):
    return f"crs={crs}&format=image/png&layers={layer}&styles=&url={base}/wms"


def wmts_uri(base, layer, tms, crs):
    # The "url" value is the capabilities URL, percent-encoded: the data source URI is itself
    # an &-separated list, and QGIS's own source dialog writes it this way. QGIS knows it is
    # WMTS from "tileMatrixSet" and from SERVICE=WMTS in the URL (it then requests it as is).
    caps = urllib.parse.quote(f"{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", safe=":/?")
    return (f"crs={crs}&format=image/png&layers={layer}&styles=default&tileMatrixSet={tms}"
            f"&url={caps}")


def wm_extent(rvb):
    """A WM_SIZE-px square in EPSG:3857 at WebMercatorQuad level WM_LEVEL, on that level's
    pixel grid, centred in the real tile (and well inside it)."""
    from osgeo import osr
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(2154)
    dst.ImportFromEPSG(3857)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    minx, miny, maxx, maxy = rvb["bbox"]
    cx, cy = ct.TransformPoint((minx + maxx) / 2, (miny + maxy) / 2)[:2]
    res = helpers.wm_res(WM_LEVEL)
    x0 = -helpers.WM_HALF + round((cx + helpers.WM_HALF) / res - WM_SIZE / 2) * res
    y1 = helpers.WM_HALF - round((helpers.WM_HALF - cy) / res - WM_SIZE / 2) * res
    ext = (x0, y1 - WM_SIZE * res, x0 + WM_SIZE * res, y1)
    # Inside the tile, with a margin: the four corners back in Lambert-93.
    back = osr.CoordinateTransformation(dst, src)
    for x in (ext[0], ext[2]):
        for y in (ext[1], ext[3]):
            bx, by = back.TransformPoint(x, y)[:2]
            assert minx + 2 < bx < maxx - 2 and miny + 2 < by < maxy - 2, \
                f"Web Mercator map {ext} is not inside the real tile {rvb['bbox']}"
    return ext


def qgis_env(tmp):
    home = tmp / "home"
    extra = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
             "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
             "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_RUNTIME_DIR": str(tmp / "xdg-runtime")}
    for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
        Path(extra[k]).mkdir(parents=True, exist_ok=True)
    os.chmod(extra["XDG_RUNTIME_DIR"], 0o700)  # Qt ignores a runtime dir readable by others
    env = helpers.child_env(extra)
    for k in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_PREFIX_PATH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(k, None)
    return env


@pytest.fixture(scope="module")
def qgis(env, rvb, caps, tmp_path_factory):
    """Runs qgis_render.py once for all the maps; returns the job, QGIS's result and the dir."""
    tmp = tmp_path_factory.mktemp("qgis")
    out = tmp / "out"
    out.mkdir()
    l93 = helpers.inner_bbox(rvb, MARGIN)
    lw, lh = rvb["width"] - 2 * MARGIN, rvb["height"] - 2 * MARGIN
    wm = wm_extent(rvb)
    cx, cy = (l93[0] + l93[2]) / 2, (l93[1] + l93[3]) / 2
    zoom = (cx - lw * ZOOM_RES / 2, cy - lh * ZOOM_RES / 2, cx + lw * ZOOM_RES / 2, cy + lh * ZOOM_RES / 2)
    renders = [
        {"name": "wms_l93", "uri": wms_uri(env.base, "ign", "EPSG:2154"),
         "crs": "EPSG:2154", "extent": l93, "width": lw, "height": lh},
        {"name": "wmts_l93", "uri": wmts_uri(env.base, "ign", L93_TMS, "EPSG:2154"),
         "crs": "EPSG:2154", "extent": l93, "width": lw, "height": lh},
        {"name": "wms_3857", "uri": wms_uri(env.base, "ign", "EPSG:3857"),
         "crs": "EPSG:3857", "extent": wm, "width": WM_SIZE, "height": WM_SIZE},
        {"name": "wmts_3857", "uri": wmts_uri(env.base, "ign", WM_TMS, "EPSG:3857"),
         "crs": "EPSG:3857", "extent": wm, "width": WM_SIZE, "height": WM_SIZE},
        {"name": "wms_l93_zoom", "uri": wms_uri(env.base, "ign", "EPSG:2154"),
         "crs": "EPSG:2154", "extent": zoom, "width": lw, "height": lh},
        {"name": "wmts_l93_zoom", "uri": wmts_uri(env.base, "ign", L93_TMS, "EPSG:2154"),
         "crs": "EPSG:2154", "extent": zoom, "width": lw, "height": lh},
    ]
    for r in renders:
        r["provider"] = "wms"
    job = {"profile": str(tmp / "profile"), "out": str(out), "renders": renders}
    (tmp / "profile").mkdir()
    job_path = tmp / "job.json"
    job_path.write_text(json.dumps(job, indent=1))
    cmd = [QGIS_PYTHON, str(SCRIPT), str(job_path)]
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=qgis_env(tmp), cwd=tmp)
    except FileNotFoundError:
        pytest.fail(f"{QGIS_PYTHON} not found: QGIS tests need Debian's python3 with python3-qgis "
                    f"(scripts/install-deps.sh --test), or set GEOCENTRE_QGIS_PYTHON", pytrace=False)
    if proc.returncode == 3:
        pytest.fail(f"QGIS is not importable: {proc.stderr.strip()}\nInstall Debian's python3-qgis "
                    f"(scripts/install-deps.sh --test installs it), or set GEOCENTRE_QGIS_PYTHON.",
                    pytrace=False)
    result_path = out / "result.json"
    assert proc.returncode == 0 and result_path.is_file(), helpers.describe_proc(proc, "QGIS render script failed")
    result = json.loads(result_path.read_text())
    return {"job": {r["name"]: r for r in renders}, "result": result, "dir": tmp,
            "seconds": time.time() - t0, "stderr": proc.stderr,
            "l93_tm": helpers.matrix_for_level(caps, L93_TMS, L93_LEVEL).identifier,
            "wm_tm": helpers.matrix_for_level(caps, WM_TMS, WM_LEVEL).identifier}


def render(qgis, name):
    """(job entry, result entry, image as (4, h, w) uint8) of one map; asserts QGIS rendered it."""
    job, res = qgis["job"][name], qgis["result"]["renders"][name]
    where = f"\n(QGIS {qgis['result']['qgis_version']}, files in {qgis['dir']}, QGIS log: " \
            f"{json.dumps(qgis['result']['log'])[:2000]})"
    assert res["valid"], f"QGIS could not load {name}: {res.get('error')}\n" \
                         f"uri: {res['uri']}\nrequests: {res['requests']}{where}"
    assert not res["render_errors"], f"{name}: render errors {res['render_errors']}{where}"
    assert res["saved"] and res["image_size"] == [job["width"], job["height"]], res
    for a, b in zip(res["visible_extent"], job["extent"]):
        assert abs(a - b) < 1e-3, f"{name}: QGIS rendered {res['visible_extent']}, asked {job['extent']}"
    img = helpers.gdal().Open(res["png"]).ReadAsArray()
    assert img.shape == (4, job["height"], job["width"]), img.shape
    return job, res, img


def assert_not_blank(name, img):
    rgb = img[:3].reshape(3, -1)
    opaque = img[3] == 255
    assert opaque.mean() > COVER_MIN, f"{name}: only {opaque.mean():.3f} of the map inside the tile is drawn"
    stds = rgb[:, opaque.ravel()].std(axis=1)
    assert stds.min() > STD_MIN, f"{name}: blank-looking map, per band std {np.round(stds, 1)}"
    colours = len(np.unique(rgb[:, opaque.ravel()].T, axis=0))
    assert colours > COLOURS_MIN, f"{name}: only {colours} distinct colours"


def requested(res, kind):
    return [u for u in res["requests"] if f"REQUEST={kind}".lower() in u.lower()]


def test_qgis_loads_the_layers(qgis, rvb):
    for name in qgis["job"]:
        res = qgis["result"]["renders"][name]
        assert res["valid"], f"{name}: {res.get('error')}\nuri: {res['uri']}"
        want = qgis["job"][name]["crs"]
        assert res["layer_crs"] == want, f"{name}: layer CRS {res['layer_crs']}, expected {want}"
        assert res["band_count"] >= 1
    # In Lambert-93 QGIS reports the layer's extent from the capabilities: the real tile's footprint.
    for name in ("wms_l93", "wmts_l93"):
        ext = qgis["result"]["renders"][name]["layer_extent"]
        assert all(abs(a - b) < 0.01 for a, b in zip(ext, rvb["bbox"])), \
            f"{name}: QGIS layer extent {ext}, source footprint {rvb['bbox']}"
    # The WMTS layer is tiled: its native resolutions are the tile matrix set's.
    res_l93 = qgis["result"]["renders"]["wmts_l93"]["native_resolutions"]
    assert any(abs(r - helpers.l93_res(L93_LEVEL)) < 1e-6 for r in res_l93), res_l93
    assert all(any(abs(r - helpers.l93_res(n)) < 1e-6 * r for n in range(0, 30)) for r in res_l93), res_l93
    res_wm = qgis["result"]["renders"]["wmts_3857"]["native_resolutions"]
    assert any(abs(r - helpers.wm_res(WM_LEVEL)) < 1e-6 for r in res_wm), res_wm


@pytest.mark.parametrize("name", ["wms_l93", "wmts_l93"])
def test_qgis_lambert93_map_matches_source(qgis, rvb, name):
    job, res, img = render(qgis, name)
    assert abs(res["map_units_per_pixel"] - helpers.l93_res(L93_LEVEL)) < 1e-6, res["map_units_per_pixel"]
    if name.startswith("wms"):
        gm = requested(res, "GetMap")
        assert len(gm) == 1 and "CRS=EPSG:2154" in gm[0] and f"WIDTH={job['width']}" in gm[0], res["requests"]
    else:
        gt = requested(res, "GetTile")
        assert gt, f"QGIS made no GetTile request: {res['requests']}"
        for u in gt:
            assert f"TILEMATRIXSET={L93_TMS}" in u and f"TILEMATRIX={qgis['l93_tm']}&" in u, \
                f"QGIS did not use {L93_TMS} level {L93_LEVEL} for a 0.2 m map: {u}"
    assert_not_blank(name, img)
    src = helpers.gdal().Open(str(rvb["path"])).ReadAsArray()
    problems, report = helpers.check_alignment(img[:3], src, MARGIN)
    assert not problems, f"{name}: " + "\n".join(problems) + "\n" + report


def warped_source(rvb, crs, extent, w, h):
    """GDAL's bilinear warp of the source onto the map's grid, (4, h, w) with alpha."""
    ds = helpers.gdal().Warp("", str(rvb["path"]), format="MEM", srcSRS="EPSG:2154", dstSRS=crs,
                             outputBounds=extent, width=w, height=h, resampleAlg="bilinear", dstAlpha=True)
    return ds.ReadAsArray()


def compare_resampled(name, img, ref):
    """Problems (empty = match) and a report: `img` against the warped source `ref`, both
    (4, h, w), over pixels opaque in both, 2 px of border left out for the shifted controls."""
    def metrics(dx, dy):
        r = np.roll(ref, (dy, dx), axis=(1, 2))[:, 2:-2, 2:-2]
        g = img[:, 2:-2, 2:-2]
        valid = (g[3] == 255) & (r[3] == 255)
        return helpers.band_metrics(r[:3], g[:3], mask=valid), valid.mean()

    def ok(m):
        return max(m[0]) < RS_MAD_MAX and min(m[1]) > RS_CORR_MIN

    (m0, cover) = metrics(0, 0)
    ctl, _ = metrics(3, 0)
    report = (f"{name}: MAD {np.round(m0[0], 2)} r {np.round(m0[1], 4)} over {cover:.3f} of the map; "
              f"control (3 px shift): MAD {np.round(ctl[0], 2)} r {np.round(ctl[1], 4)}")
    problems = []
    if cover < COVER_MIN:
        problems.append(f"only {cover:.3f} of the map is comparable")
    if not ok(m0):
        problems.append("map does not match the source at the same coordinates")
    if ok(ctl):
        problems.append("thresholds do not reject a 3-pixel shift: test not discriminating")
    best = min(((dx, dy) for dx in range(-2, 3) for dy in range(-2, 3)),
               key=lambda d: float(np.mean(metrics(*d)[0][0])))
    if best != (0, 0):
        problems.append(f"best alignment is at a shift of {best} map pixels")
    return problems, report


# QGIS 3.22 picks the tile matrix nearest the map resolution and ignores
# TileMatrixSetLimits (qgis/QGIS#57133): at 0.1 m it asks LAMB93_5cm_EPSG
# level 21, past this layer's finest level 20. The server serves a few
# levels past the finest by upsampling, so the zoomed-in WMTS map is drawn.


@pytest.mark.parametrize("name", ["wms_3857", "wmts_3857", "wms_l93_zoom",
                                  "wmts_l93_zoom"])
def test_qgis_resampled_map_matches_source(qgis, rvb, name):
    job, res, img = render(qgis, name)
    want_res = helpers.wm_res(WM_LEVEL) if job["crs"] == "EPSG:3857" else ZOOM_RES
    assert abs(res["map_units_per_pixel"] - want_res) < 1e-6, res["map_units_per_pixel"]
    if name.startswith("wms"):
        gm = requested(res, "GetMap")
        assert len(gm) == 1 and f"CRS={job['crs']}&" in gm[0] and f"WIDTH={job['width']}&" in gm[0], \
            f"QGIS did not ask the server for the map in {job['crs']} (reprojected itself?): {res['requests']}"
    elif name == "wmts_3857":
        gt = requested(res, "GetTile")
        assert gt, f"QGIS made no GetTile request: {res['requests']}"
        for u in gt:
            assert f"TILEMATRIXSET={WM_TMS}" in u and f"TILEMATRIX={qgis['wm_tm']}&" in u, \
                f"QGIS did not use {WM_TMS} level {WM_LEVEL} for a map at its resolution: {u}"
    assert_not_blank(name, img)
    ref = warped_source(rvb, job["crs"], job["extent"], job["width"], job["height"])
    problems, report = compare_resampled(name, img, ref)
    assert not problems, "\n".join(problems) + "\n" + report
