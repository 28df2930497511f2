"""The OpenLayers viewer (`/`) in Debian's chromium, on the demo region (issue 12, section 5).

`geocentre demo --no-serve` builds the demo region in a tmp data dir (layer `ortho-hr`: vintage
2021 DERIVED from the real IGN IRC tile over an 8x8 grid of 200 m dalles around Orléans, vintage
2024 DERIVED from the real RVB tile over the western columns only; `ign_echantillon`, the real
tile near Montpellier; vector dataset `admin`...), `geocentre serve` serves it on 127.0.0.1:0,
and tests/browser/viewer.mjs (playwright-core + /usr/bin/chromium) opens the viewer, switches the
vintage, switches `admin.communes` on and off, clicks the map, and reports what it measured with
screenshots of the map (artefacts in $GEOCENTRE_ARTIFACTS, default target/test-artifacts/browser).

Every expectation comes from outside the viewer:

* dalle footprints and file names: the derived dalle files themselves, read with GDAL (and
  matched against `ortho list --json` and the server's dalles.geojson);
* what a dalle looks like on screen: the same files resampled by GDAL to the box's Lambert-93
  bounds at the view's resolution, and the IRC / RVB signature (correlation of the red and green
  bands) of the real tiles in data/ortho;
* the commune boundary: data/admin/communes-centre-val-de-loire.geojson (INSEE 45234, Orléans)
  reprojected to EPSG:2154 with OGR; its outline colour: `vector style --show` of the data dir.

Needs chromium, node and tests/browser/node_modules (scripts/install-deps.sh --test): a missing
one FAILS these tests, it never skips them.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

import cluster
from helpers import (REPO_ROOT, Server, child_env, describe_proc, ortho_list, parse_single_json, raster_info,
                     run_cli)

BROWSER = REPO_ROOT / "tests" / "browser"
SCRIPT = BROWSER / "viewer.mjs"
CHROMIUM = os.environ.get("GEOCENTRE_CHROMIUM", "/usr/bin/chromium")
INSTALL = "run scripts/install-deps.sh --test"
COMMUNES = REPO_ROOT / "data" / "admin" / "communes-centre-val-de-loire.geojson"
REGION = REPO_ROOT / "data" / "admin" / "region-centre-val-de-loire.geojson"
ORLEANS = "45234"
IRC_TILE = REPO_ROOT / "data" / "ortho" / "ign-ortho-irc-0m20-lamb93.tif"
RVB_TILE = REPO_ROOT / "data" / "ortho" / "ign-ortho-rvb-0m20-lamb93.tif"
VECTOR = ("admin", "communes")
BOX = 32            # px, side of the measured boxes around the probes
VIEWPORT = (1280, 800)

# Pixel tolerances, measured on this demo (chromium 156, SwiftShader, OpenLayers 10). The viewer
# shows whole grid levels, the pyramid's own overview tiles (JPEG, drawn at their size, without the
# browser's smoothing): a box of the displayed vintage differs from GDAL's average resampling of its
# dalles by a mean of ~10-16 per channel (correlation 0.85-0.95); from the other vintage at the same
# place by ~26-27 (0.67).
MATCH_MAD, MATCH_CORR, OTHER_RATIO = 20.0, 0.80, 0.7
OUTLINE_RESIDUAL = 6.0  # per channel, see _outline_measure


def _require_tools():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"chromium not found at {CHROMIUM} (Debian package `chromium`): {INSTALL}", pytrace=False)
    if shutil.which("node") is None:
        pytest.fail(f"node not found on PATH (Debian packages `nodejs npm`): {INSTALL}", pytrace=False)
    if not (BROWSER / "node_modules" / "playwright-core" / "package.json").is_file():
        pytest.fail(f"tests/browser/node_modules/playwright-core missing (npm ci --prefix tests/browser): {INSTALL}",
                    pytrace=False)


# --------------------------------------------------------------------------
# Data read without the viewer
# --------------------------------------------------------------------------

@dataclass
class Dalle:
    vintage: int
    name: str
    path: Path
    bbox: tuple  # Lambert-93 minx, miny, maxx, maxy

    def contains(self, x, y, margin=0.0):
        return (self.bbox[0] + margin <= x <= self.bbox[2] - margin
                and self.bbox[1] + margin <= y <= self.bbox[3] - margin)

    @property
    def centre(self):
        return ((self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2)


def _gdal():
    from osgeo import gdal
    gdal.UseExceptions()
    return gdal


def derived_dalles(data_dir):
    """The demo's derived dalles, read with GDAL: {vintage: [Dalle]} from DIR/demo-derived/<year>-*/."""
    gdal = _gdal()
    out = {}
    root = Path(data_dir) / "demo-derived"
    for d in sorted(root.iterdir()):
        m = re.match(r"^(\d{4})-", d.name)
        if not (d.is_dir() and m):
            continue
        year = int(m.group(1))
        for f in sorted(d.iterdir()):
            if f.suffix.lower() not in (".tif", ".tiff", ".jp2"):
                continue
            ds = gdal.Open(str(f))
            gt = ds.GetGeoTransform()
            w, h = ds.RasterXSize, ds.RasterYSize
            bbox = (gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3])
            out.setdefault(year, []).append(Dalle(year, f.name, f, tuple(round(v, 6) for v in bbox)))
    return out


def rg_correlation(rgb):
    """Correlation of the first two bands over the pixels (IRC: NIR vs red; RVB: red vs green)."""
    a = np.asarray(rgb, dtype=float).reshape(-1, rgb.shape[-1])
    return float(np.corrcoef(a[:, 0], a[:, 1])[0, 1])


def tile_signature(path):
    a = _gdal().Open(str(path)).ReadAsArray()
    return rg_correlation(np.moveaxis(a, 0, -1))


def _l93_geometry(path, where=None):
    """The features of a vector file (optionally filtered), unioned, in EPSG:2154 (OGR); and the layer."""
    from osgeo import ogr, osr
    ogr.UseExceptions()
    ds = ogr.Open(str(path))
    lyr = ds.GetLayer(0)
    if where:
        lyr.SetAttributeFilter(where)
    feats = list(lyr)
    assert feats, f"{path}: no feature ({where})"
    src = lyr.GetSpatialRef().Clone()
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(2154)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    geoms = []
    for f in feats:
        g = f.GetGeometryRef().Clone()
        g.Transform(ct)
        geoms.append(g)
    union = geoms[0]
    for g in geoms[1:]:
        union = union.Union(g)
    return union, feats, ds


def box_geometry(b):
    from osgeo import ogr
    return ogr.CreateGeometryFromWkt(
        f"POLYGON(({b[0]} {b[1]},{b[2]} {b[1]},{b[2]} {b[3]},{b[0]} {b[3]},{b[0]} {b[1]}))")


def orleans_rings_l93():
    """Exterior rings of commune 45234 (Orléans), reprojected to EPSG:2154 with OGR."""
    from osgeo import ogr
    g, feats, _ds = _l93_geometry(COMMUNES, f"code = '{ORLEANS}'")
    assert len(feats) == 1, f"{COMMUNES}: {len(feats)} features with code {ORLEANS}"
    polys = [g] if g.GetGeometryType() in (ogr.wkbPolygon, ogr.wkbPolygon25D) else \
        [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
    return feats[0].GetField("nom"), [[list(p[:2]) for p in poly.GetGeometryRef(0).GetPoints()] for poly in polys]


def stored_outline(data_dir):
    """(stroke colour, width, the style text) of the stored style of admin.communes (CLI)."""
    proc = run_cli(["vector", "style", "--dataset", VECTOR[0], "--layer", VECTOR[1], "--show"], data_dir=data_dir,
                   timeout=60)
    assert proc.returncode == 0, describe_proc(proc, "vector style --show failed")
    style = tomllib.loads(proc.stdout)
    strokes = [r for r in style.get("rule", []) if "stroke" in r and "filter" not in r]
    assert strokes, f"no unfiltered stroke rule in the stored style of {VECTOR}:\n{proc.stdout}"
    return strokes[0]["stroke"], float(strokes[0].get("stroke-width", 1)), proc.stdout


def hex_rgb(c):
    c = c.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def css_rgb(s):
    return np.array([float(v) for v in re.findall(r"[\d.]+", s)[:3]])


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------

@dataclass
class Run:
    data_dir: Path
    base: str
    layers_api: dict
    listing: dict
    dalles: dict           # {vintage: [Dalle]}
    top: int               # vintage painted on top in the mosaic (the most recent)
    under: int
    composite: str         # the regional composite layer
    extent: tuple          # union of the derived dalles
    probes: dict           # name -> (x, y), Lambert-93
    probe_dalles: dict     # name -> {vintage: Dalle}
    actions: list
    expected_clicks: dict  # action name -> {vintage: int, dalle: Dalle}
    commune: str
    rings: list
    outline: tuple         # (colour, width, style text)
    signatures: dict       # {'irc': r, 'rvb': r}
    ring_lengths: list = field(default_factory=list)
    proc: subprocess.CompletedProcess = None
    result: dict = field(default_factory=dict)
    seconds: float = 0.0


def _start_server(data_dir, tmp, composite, timeout=60):
    """helpers.Server with the demo's territory (`geocentre demo` serves with <source>/admin/region-*;
    `serve` reads indicators.region relative to its working directory, an empty one here), up once
    /api/ortho/layers lists `composite`: servers with /readyz answer 503 on data routes until their
    first snapshot is loaded, older ones have no /readyz (hence ready=False and this wait)."""
    config = tmp / "geocentre.toml"
    config.write_text(f"[indicators]\nregion = {json.dumps(str(REGION))}\n")
    server = Server(data_dir, tmp / "server.log")
    try:
        server.start(ready=False, config=config)
    except BaseException:
        server.stop()  # start() can give up on a process that still runs
        raise
    deadline = time.monotonic() + timeout
    while True:
        r = server.get("/api/ortho/layers")
        if r.status_code == 200 and any(l.get("name") == composite for l in r.json().get("layers", [])):
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"/api/ortho/layers never listed {composite}: HTTP {r.status_code} {r.text[:500]}\n"
                                 f"log:\n{server.log()}")
        time.sleep(0.2)


def _dalle_at(dalles, x, y):
    found = [d for d in dalles if d.contains(x, y)]
    assert len(found) == 1, f"{len(found)} dalles contain ({x}, {y}): {[d.name for d in found]}"
    return found[0]


@pytest.fixture(scope="module")
def run(geocentre_bin, tmp_path_factory):
    _require_tools()
    tmp = tmp_path_factory.mktemp("viewer")
    data_dir = tmp / "data"
    # The demo reads data/ and .cache/ relative to its working directory: the repository root.
    proc = subprocess.run([str(geocentre_bin), "--data-dir", str(data_dir), "demo", "--no-serve"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300, env=child_env(cluster.store_env(data_dir)))
    assert proc.returncode == 0, describe_proc(proc, "geocentre demo --no-serve failed")

    dalles = derived_dalles(data_dir)
    years = sorted(dalles)
    assert len(years) == 2, f"expected two derived vintages under {data_dir}/demo-derived, got {years}"
    under, top = years
    listing = ortho_list(data_dir)
    composites = [l for l in listing["layers"] if sorted(v["vintage"] for v in l["vintages"]) == years]
    assert len(composites) == 1, f"no single layer with vintages {years} in ortho list: {listing}"
    composite = composites[0]["name"]
    for v in composites[0]["vintages"]:
        assert v["state"] == "published" and v["files"] == len(dalles[v["vintage"]]), \
            f"ortho list says {v}, GDAL reads {len(dalles[v['vintage']])} derived files for {v['vintage']}"
    allb = [d.bbox for ds in dalles.values() for d in ds]
    extent = (min(b[0] for b in allb), min(b[1] for b in allb), max(b[2] for b in allb), max(b[3] for b in allb))

    server = _start_server(data_dir, tmp, composite)
    try:
        layers_api = server.get("/api/ortho/layers").json()
        # The server's dalle index agrees with the files (names, vintages, footprints).
        gj = server.get(f"/api/ortho/layers/{composite}/dalles.geojson").json()
        served = sorted((f["properties"]["vintage"], f["properties"]["dalle"], tuple(f["properties"]["bbox_l93"]))
                        for f in gj["features"])
        ours = sorted((d.vintage, d.name, d.bbox) for ds in dalles.values() for d in ds)
        assert served == ours, f"dalles.geojson of {composite} differs from the derived files:\n" \
                               f"served {served[:3]}...\nfiles  {ours[:3]}..."

        # Probes: centres of dalles of the middle row; east = a column only the under vintage covers,
        # west = a column both cover.
        cols_top = sorted({d.bbox[0] for d in dalles[top]})
        cols_under = sorted({d.bbox[0] for d in dalles[under]})
        rows = sorted({d.bbox[1] for d in dalles[under]})
        east_cols = [c for c in cols_under if c not in cols_top]
        both_cols = [c for c in cols_under if c in cols_top]
        assert east_cols and len(both_cols) >= 3, f"columns: {top} {cols_top}, {under} {cols_under}"
        assert min(east_cols) > max(both_cols), "the top vintage should cover the WEST columns"
        row = rows[len(rows) // 2]

        def cell(vintage, col, r):
            return next(d for d in dalles[vintage] if d.bbox[0] == col and d.bbox[1] == r)

        east = cell(under, east_cols[-1], row)
        west = cell(under, both_cols[1], row)
        probes = {"east": east.centre, "west": west.centre}
        probe_dalles = {"east": {under: east}, "west": {under: west, top: cell(top, both_cols[1], row)}}

        # Clicks: off-centre points of known dalles; then the other vintage at the same point.
        wc = cell(top, both_cols[2], rows[2])
        wpt = (wc.bbox[0] + 0.3 * (wc.bbox[2] - wc.bbox[0]), wc.bbox[1] + 0.7 * (wc.bbox[3] - wc.bbox[1]))
        ec = cell(under, east_cols[-1], rows[1])
        ept = (ec.bbox[0] + 0.65 * (ec.bbox[2] - ec.bbox[0]), ec.bbox[1] + 0.35 * (ec.bbox[3] - ec.bbox[1]))
        actions = [
            {"name": "west-mosaic", "click": list(wpt)},
            {"name": "west-under", "vintage": str(under)},
            {"name": "west-mosaic-again", "vintage": "latest"},
            {"name": "east-mosaic", "click": list(ept)},
        ]
        # What each fiche must show: the dalle (GDAL footprint) under the point, of the vintage on
        # top there; the WMS layer queried: the bare name for the mosaic, `{name}-{year}` otherwise.
        expected_clicks = {
            "west-mosaic": {"point": wpt, "layer": composite, "vintage": top, "dalle": _dalle_at(dalles[top], *wpt)},
            "west-under": {"point": wpt, "layer": f"{composite}-{under}", "vintage": under,
                           "dalle": _dalle_at(dalles[under], *wpt)},
            "west-mosaic-again": {"point": wpt, "layer": composite, "vintage": top,
                                  "dalle": _dalle_at(dalles[top], *wpt)},
            "east-mosaic": {"point": ept, "layer": composite, "vintage": under,
                            "dalle": _dalle_at(dalles[under], *ept)},
        }
        assert not any(d.contains(*ept) for d in dalles[top]), "the east click point must not be in the top vintage"

        commune, rings = orleans_rings_l93()
        r = Run(data_dir=data_dir, base=server.base_url, layers_api=layers_api, listing=listing, dalles=dalles,
                top=top, under=under, composite=composite, extent=extent, probes=probes,
                probe_dalles=probe_dalles, actions=actions, expected_clicks=expected_clicks, commune=commune,
                rings=rings, outline=stored_outline(data_dir),
                signatures={"irc": tile_signature(IRC_TILE), "rvb": tile_signature(RVB_TILE)})

        spec = {
            "prefix": "viewer",
            "width": VIEWPORT[0], "height": VIEWPORT[1],
            "probes": {k: list(v) for k, v in probes.items()},
            "box": BOX,
            "vintages": [str(top), str(under)],
            "vector": {"checkbox": f"vector-{VECTOR[0]}.{VECTOR[1]}", "ring": [p for ring in rings for p in ring]},
            "actions": actions,
        }
        spec_path = tmp / "spec.json"
        spec_path.write_text(json.dumps(spec))
        t0 = time.monotonic()
        r.proc = subprocess.run(["node", str(SCRIPT), "--json", "--base", server.base_url, "--spec", str(spec_path),
                                 "--timeout", "150"], capture_output=True, text=True, timeout=180, cwd=REPO_ROOT,
                                env=child_env())
        r.seconds = time.monotonic() - t0
        r.result = parse_single_json(r.proc)
        r.ring_lengths = [len(ring) for ring in rings]
        yield r
    finally:
        server.stop()


def _ok(run):
    res = run.result
    assert res.get("ok") is True and "error" not in res, describe_proc(
        run.proc, f"viewer.mjs failed: {res.get('error')}\nfailure screenshot: {res.get('failure_screenshot')}")
    return res


def _image(path):
    from PIL import Image
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(float)


def _crop(img, rect):
    return img[rect["y"]:rect["y"] + rect["height"], rect["x"]:rect["x"] + rect["width"]]


def _expected(dalles, bounds, size):
    """GDAL's rendering of `dalles` over Lambert-93 `bounds` at size x size px (average resampling)."""
    gdal = _gdal()
    minx, miny, maxx, maxy = bounds
    srcs = [str(d.path) for d in dalles
            if d.bbox[0] < maxx and d.bbox[2] > minx and d.bbox[1] < maxy and d.bbox[3] > miny]
    assert srcs, f"no dalle under {bounds}"
    ds = gdal.Warp("/vsimem/viewer-expected.tif", srcs, outputBounds=bounds, width=size, height=size,
                   resampleAlg="average", format="GTiff")
    a = np.moveaxis(ds.ReadAsArray().astype(float), 0, -1)[..., :3]
    ds = None
    gdal.Unlink("/vsimem/viewer-expected.tif")
    return a


def _compare(crop, expected):
    mad = float(np.abs(crop - expected).mean())
    corr = float(np.corrcoef(crop.ravel(), expected.ravel())[0, 1])
    return {"mad": round(mad, 2), "corr": round(corr, 4)}


def _state(res, label):
    for s in res["states"]:
        if s["label"] == label:
            return s
    raise AssertionError(f"no state {label!r} in {[s['label'] for s in res['states']]}")


# --------------------------------------------------------------------------
# 1. Opening view
# --------------------------------------------------------------------------

def test_script_ran(run):
    res = _ok(run)
    print(f"viewer.mjs: {run.seconds:.1f} s, steps {res['steps']}")


def test_opens_on_the_regional_composite(run):
    res = _ok(run)
    ini = res["initial"]
    assert ini["layerSelect"] == run.composite, \
        f"#layer-select opens on {ini['layerSelect']!r}, not the regional composite {run.composite!r} " \
        f"(options {ini['layerOptions']})"
    assert ini["vintageSelect"] == "latest", f"#vintage-select opens on {ini['vintageSelect']!r}, not the mosaic"
    cx, cy = ini["center"]
    minx, miny, maxx, maxy = run.extent
    assert minx <= cx <= maxx and miny <= cy <= maxy, \
        f"view centre ({cx}, {cy}) outside the composite's extent {run.extent} (GDAL footprints of its dalles)"
    vx0, vy0, vx1, vy1 = ini["extent"]
    assert vx0 <= minx and vy0 <= miny and vx1 >= maxx and vy1 >= maxy, \
        f"the view {ini['extent']} does not show the whole composite {run.extent}"
    assert (vx1 - vx0) < 4 * (maxx - minx), f"the view {ini['extent']} is not framed on the composite {run.extent}"
    # "Regional": the composite lies in the territory (OGR), the real IGN sample (Montpellier) does not.
    region = _l93_geometry(REGION)[0]
    sample = raster_info(RVB_TILE)[2]
    assert region.Intersects(box_geometry(run.extent)) and not region.Intersects(box_geometry(sample)), \
        f"expected the composite {run.extent} inside {REGION.name} and the IGN sample {sample} outside"


def test_no_console_or_http_error(run):
    d = _ok(run)["diagnostics"]
    for k in ("consoleErrors", "consoleWarnings", "pageErrors", "failedRequests", "httpErrors", "blockedRequests"):
        assert not d[k], f"{k}: {json.dumps(d[k])[:2000]}"


# --------------------------------------------------------------------------
# 2. Vintages: pixels against GDAL's rendering of the dalles
# --------------------------------------------------------------------------

def _box(run, state, name):
    box = state["boxes"][name]
    rect, bounds = box["rect"], box["bounds_l93"]
    size = _ok(run)["initial"]["mapSize"]
    assert 0 <= rect["x"] and rect["x"] + rect["width"] <= size[0] and 0 <= rect["y"] \
        and rect["y"] + rect["height"] <= size[1], f"box {name} {rect} outside the map {size}"
    for d in run.probe_dalles[name].values():
        assert d.contains(bounds[0], bounds[1]) and d.contains(bounds[2], bounds[3]), \
            f"box {name} {bounds} is not inside dalle {d.name} {d.bbox}: zoomed out too far?"
    return _crop(_image(state["screenshot"]), rect), box


def _shows(run, state, name, vintage):
    """Asserts that box `name` of `state` shows `vintage` (GDAL rendering of its dalles), and not the other."""
    crop, box = _box(run, state, name)
    got = {v: _compare(crop, _expected(run.dalles[v], box["bounds_l93"], BOX)) for v in run.probe_dalles[name]}
    want = got[vintage]
    where = (f"{state['label']}, {name} box {box['rect']} = {[round(v) for v in box['bounds_l93']]} "
             f"({state['screenshot']})")
    assert want["mad"] <= MATCH_MAD and want["corr"] >= MATCH_CORR, \
        f"{where}: does not look like vintage {vintage} as GDAL renders its dalles: {got}"
    for v, other in got.items():
        if v != vintage:
            assert want["mad"] <= OTHER_RATIO * other["mad"], \
                f"{where}: closer to vintage {v} than expected for {vintage}: {got}"
    assert box["alpha"] and box["alpha"].get("min") == 255, f"{where}: ortho canvas alpha {box['alpha']}"
    print(f"{state['label']} {name}: shows {vintage}; vs GDAL rendering {got}; r/g correlation "
          f"{rg_correlation(crop):.3f}")
    return crop, got


def _signature(run, crop):
    """'irc' or 'rvb': the real tile whose red/green correlation the pixels are closer to."""
    r = rg_correlation(crop)
    return min(run.signatures, key=lambda k: abs(run.signatures[k] - r)), round(r, 3)


def test_mosaic_east_is_under_vintage_irc(run):
    """Mosaic: the EAST box (a column only the 2021 IRC vintage covers) shows the 2021 dalle, IRC-like."""
    st = _state(_ok(run), "mosaic")
    assert st["vintageSelect"] == "latest"
    crop, got = _shows(run, st, "east", run.under)
    sig = _signature(run, crop)
    assert sig[0] == "irc", f"east box red/green correlation {sig[1]} is closer to the RVB tile's " \
                            f"({run.signatures}) than to the IRC tile's: {got}"


def test_mosaic_west_is_top_vintage_rvb(run):
    """Mosaic: the WEST box (covered by both vintages) shows the top one, 2024 RVB, not 2021 under it."""
    st = _state(_ok(run), "mosaic")
    crop, got = _shows(run, st, "west", run.top)
    sig = _signature(run, crop)
    assert sig[0] == "rvb", f"west box red/green correlation {sig[1]} is closer to the IRC tile's " \
                            f"({run.signatures}): {got}"


def test_top_vintage_alone_leaves_the_east_empty(run):
    res = _ok(run)
    st = _state(res, f"vintage-{run.top}")
    assert st["vintageSelect"] == str(run.top)
    crop, box = _box(run, st, "east")
    bg = css_rgb(res["initial"]["mapBackground"])
    diff = float(np.abs(crop - bg).max())
    assert box["alpha"].get("max") == 0 and diff <= 3, \
        f"vintage {run.top} alone: the east box ({box['bounds_l93']}, no {run.top} dalle there) is not empty: " \
        f"ortho canvas alpha {box['alpha']}, max difference {diff} from the map background {bg} " \
        f"(mean colour {crop.mean((0, 1)).round(1)}; {st['screenshot']})"
    _shows(run, st, "west", run.top)


def test_under_vintage_alone_covers_both(run):
    st = _state(_ok(run), f"vintage-{run.under}")
    assert st["vintageSelect"] == str(run.under)
    _shows(run, st, "east", run.under)
    crop, _ = _shows(run, st, "west", run.under)   # the west now shows what was under the top vintage
    assert _signature(run, crop)[0] == "irc"


def test_back_to_the_mosaic(run):
    res = _ok(run)
    a, b = _state(res, "mosaic"), _state(res, "mosaic-again")
    for name in run.probes:
        ca, _ = _box(run, a, name)
        cb, _ = _box(run, b, name)
        assert a["boxes"][name]["rect"] == b["boxes"][name]["rect"], "the view moved between vintage switches"
        d = float(np.abs(ca - cb).mean())
        assert d <= 2, f"{name} box: the mosaic again differs from the first mosaic by {d:.1f} on average"


# --------------------------------------------------------------------------
# 3. A vector layer: the commune boundary in the stored outline colour
# --------------------------------------------------------------------------

def _samples(ring_px, size, obstacles, step=3.0, margin=6):
    """Points every `step` px along the projected ring, inside the map and off its controls."""
    out = []
    for (x0, y0), (x1, y1) in zip(ring_px, ring_px[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        for k in range(n):
            x, y = x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n
            if not (margin <= x < size[0] - margin and margin <= y < size[1] - margin):
                continue
            if any(o["x"] - 4 <= x <= o["x"] + o["width"] + 4 and o["y"] - 4 <= y <= o["y"] + o["height"] + 4
                   for o in obstacles):
                continue
            out.append((x, y))
    return out


def _outline_measure(before, on, pts, colour):
    """Per point: the largest share of `colour` blended over the `before` pixel (least squares),
    among the 3x3 pixels around it whose change is exactly towards that colour: the antialiased
    stroke is a linear blend, whose residual is < 1 with the stored colour (measured), 10-25 with
    a nearby gold (#ffd700, #e6b800, the viewer's own highlight #f2a900)."""
    shares, gold_before = [], []
    for x, y in pts:
        i, j = int(math.floor(y)), int(math.floor(x))
        b = before[i - 1:i + 2, j - 1:j + 2].reshape(-1, 3)
        o = on[i - 1:i + 2, j - 1:j + 2].reshape(-1, 3)
        d = colour - b
        a = np.einsum("ij,ij->i", o - b, d) / np.maximum(np.einsum("ij,ij->i", d, d), 1.0)
        resid = np.abs(o - (b + a[:, None] * d)).max(axis=1)
        ok = resid <= OUTLINE_RESIDUAL
        shares.append(float(a[ok].max()) if ok.any() else 0.0)
        gold_before.append(bool((np.abs(b - colour).max(axis=1) <= 48).any()))
    return np.array(shares), np.array(gold_before)


def test_communes_outline(run):
    res = _ok(run)
    vec = res["vector"]
    colour_hex, width, style_text = run.outline
    colour = hex_rgb(colour_hex)
    assert vec["checked"] and vec["unchecked"], f"checkbox states: {vec}"
    assert any(f"LAYERS={VECTOR[0]}.{VECTOR[1]}" in u for u in vec["wms_requests"]), \
        f"no WMS request for {VECTOR[0]}.{VECTOR[1]}: {vec['wms_requests']}"
    # The ring's projected vertices, split back into rings.
    px, rings_px, k = vec["ring_px"], [], 0
    for n in run.ring_lengths:
        rings_px.append(px[k:k + n])
        k += n
    size = res["initial"]["mapSize"]
    pts = [p for rp in rings_px for p in _samples(rp, size, res["obstacles"])]
    assert len(pts) >= 50, f"only {len(pts)} points of {run.commune}'s boundary are on the map ({size})"
    before, on, off = _image(vec["before"]), _image(vec["on"]), _image(vec["off"])
    shares, gold_before = _outline_measure(before, on, pts, colour)
    outlined = float((shares >= 0.5).mean())
    detail = (f"{len(pts)} points along {run.commune} ({ORLEANS}); stored stroke {colour_hex} width {width}; "
              f"share of the stroke colour: median {np.median(shares):.2f}, points >= 0.5: {outlined:.2%}; "
              f"screenshots {vec['before']} / {vec['on']}")
    print(detail + f"; before: {gold_before.mean():.1%} {colour_hex}-like")
    assert outlined >= 0.8, f"the boundary is not drawn in the stored outline colour: {detail}\n{style_text}"
    assert gold_before.mean() <= 0.02, \
        f"{gold_before.mean():.1%} of the boundary points were already {colour_hex}-like before: {detail}"
    back = np.abs(off - before).max(axis=2)
    assert float((back > 8).mean()) <= 0.001, \
        f"unchecked: {float((back > 8).mean()):.2%} of the map still differs from before (max {back.max()}): " \
        f"{vec['off']} vs {vec['before']}"


# --------------------------------------------------------------------------
# 4. A click: the fiche names the dalle under the point
# --------------------------------------------------------------------------

def _gfi_point(url):
    q = {k.upper(): v[0] for k, v in parse_qs(urlparse(url).query).items()}
    minx, miny, maxx, maxy = map(float, q["BBOX"].split(","))
    return q["LAYERS"], ((minx + maxx) / 2, (miny + maxy) / 2)


@pytest.mark.parametrize("name", ["west-mosaic", "west-under", "west-mosaic-again", "east-mosaic"])
def test_click_shows_the_dalle(run, name):
    """west-mosaic: a click in the west shows the top vintage's dalle; west-under: switching to the
    under vintage re-queries the same point; west-mosaic-again: back to the mosaic; east-mosaic: a
    click where only the under vintage exists."""
    res = _ok(run)
    rec = next((c for c in res["clicks"] if c["name"] == name), None)
    assert rec, f"no action {name} in {[c['name'] for c in res['clicks']]}"
    want = run.expected_clicks[name]
    dalle = want["dalle"]
    fiche = rec["fiche"]
    assert fiche["visible"], f"{name}: #feature-info not shown: {fiche}"
    assert rec["gfi_requests"], f"{name}: no GetFeatureInfo request"
    layer, (qx, qy) = _gfi_point(rec["gfi_requests"][-1])
    assert layer == want["layer"], f"{name}: GetFeatureInfo on {layer!r}, want {want['layer']!r}"
    px = rec["view"]["resolution"]
    cx, cy = want["point"]
    assert abs(qx - cx) <= px and abs(qy - cy) <= px, \
        f"{name}: the viewer queried ({qx}, {qy}), clicked ({cx}, {cy}) (resolution {px} m)"
    assert dalle.contains(qx, qy, margin=2 * px), f"{name}: queried point too close to {dalle.name}'s edge"
    assert len(fiche["features"]) == 1, f"{name}: {len(fiche['features'])} dalles in the fiche: {fiche['text']}"
    f = fiche["features"][0]
    assert f.get("Dalle") == dalle.name, \
        f"{name}: the fiche names {f.get('Dalle')!r}; the {want['vintage']} dalle whose footprint (GDAL) contains " \
        f"({cx:.1f}, {cy:.1f}) is {dalle.name} {dalle.bbox}\nfiche: {fiche['text']}"
    assert f.get("Millésime") == str(want["vintage"]), \
        f"{name}: vintage {f.get('Millésime')!r}, want {want['vintage']}"
    rel = dalle.path.relative_to(run.data_dir / "demo-derived").as_posix()
    assert f.get("Fichier source") == rel, f"{name}: source {f.get('Fichier source')!r}, file {rel}"


# --------------------------------------------------------------------------
# 5. Artefacts
# --------------------------------------------------------------------------

def test_screenshots_are_kept(run):
    from PIL import Image
    res = _ok(run)
    shots = {"initial (full page)": res["initial"]["fullpage"], "communes on (full page)": res["vector"]["on_page"],
             "communes on (map)": res["vector"]["on"]}
    shots.update({f"state {s['label']}": s["screenshot"] for s in res["states"]})
    shots.update({f"click {c['name']}": c["screenshot"] for c in res["clicks"]})
    art = Path(res["artifacts"])
    for what, p in shots.items():
        p = Path(p)
        assert p.parent == art and p.is_file(), f"{what}: {p} is not a file in {art}"
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{what}: {p} is not a PNG"
        with Image.open(p) as im:
            if "full page" in what:
                assert im.size[0] == VIEWPORT[0], f"{what}: {im.size}"
    print("artefacts:\n" + "\n".join(f"  {k}: {v}" for k, v in shots.items()))
