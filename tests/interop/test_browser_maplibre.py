"""MapLibre GL JS, in Debian's headless chromium, draws the REAL PCRS sample from the server's own
style (/styles/pcrs.json), vector tiles and glyphs; the pixels are checked against the source data.

Module server: a fresh data dir where data/pcrs/pcrs-v2-lyon-extract-cc46.gml (a real PCRS v2.0
delivery, Lyon, EPSG:3946, 11 feature classes) is ingested as dataset `pcrs`, with three stored
styles chosen to be recognisable on screen:

  * AffleurantEnveloppePCRS (polygons): a RED fill;
  * LimiteVoiriePCRS (lines): a GREEN line 6 px wide;
  * EmpriseEchangePCRS (the delivery's footprint, one polygon): an orange outline, no fill, and a
    label on `fournisseur` in black with a YELLOW halo;
  * every other layer: its default style.

tests/browser/maplibre_pcrs.mjs opens a MapLibre map on the server's origin with
`http://127.0.0.1:PORT/styles/pcrs.json`, framed here on the TileJSON's bounds (1024 x 1024 px,
64 px margin), waits until idle, writes the screenshot to $GEOCENTRE_ARTIFACTS (default
target/test-artifacts/browser/maplibre-pcrs-styled.png) and projects the probe points with
MapLibre's own `map.project`.

Expectations are INDEPENDENT of the server: the GML is read here with OGR, its geometries
transformed from EPSG:3946 to EPSG:3857, and the probe points chosen from them: inside the red
polygons, on the green lines, and away from every drawn feature (white: the style has no
background layer), each with a clearance of 3 px from anything else drawn there (other layers'
symbols at their documented sizes). The label's text comes from the GML's attribute. The control:
with the red style removed (`vector style --reset`) and the server's poll having picked it up
(/styles/pcrs.json changes), the same probes are no longer red but the default pale-blue fill
rgba(166,206,227,0.588) composited over white (once per polygon covering the probe), while the
green lines and the label stay.

Also checked: the style document against the TileJSON (every source-layer is a vector layer, every
vector layer is drawn, the fields of every vector layer are the source's, validation with
@maplibre/maplibre-gl-style-spec), the tile MapLibre used decoded with GDAL's MVT driver (one layer
per feature class of the GML that has geometries, features at the source's places), the glyph
ranges (requested, served, holding every character of the label), and a clean browser session (no
console error or warning, no failed, refused or HTTP >= 400 request, no MapLibre error event).

Needs chromium, node, tests/browser/node_modules and python3-gdal: scripts/install-deps.sh --test.
A missing one FAILS these tests (never skips them).
"""
from __future__ import annotations

import inspect
import json
import math
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from helpers import (DATA, REPO_ROOT, Server, child_env, describe_proc, parse_single_json,
                     run_cli)

BROWSER = REPO_ROOT / "tests" / "browser"
SCRIPT = BROWSER / "maplibre_pcrs.mjs"
CHROMIUM = os.environ.get("GEOCENTRE_CHROMIUM", "/usr/bin/chromium")
INSTALL = "run scripts/install-deps.sh --test"
GML = DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
DATASET = "pcrs"

# The map: 1024 x 1024 CSS px at device pixel ratio 1, the TileJSON's bounds fitted with a margin
# (so that some background lies outside the delivery's footprint). At that size a 1.4 x 0.75 m
# manhole cover is about 23 x 12 px.
WIDTH = HEIGHT = 1024
MARGIN_PX = 64
CLEAR_PX = 3.0  # clearance of every probe from anything else drawn near it
TOL = 16  # per channel (the harness's default)

RED = (255, 0, 0)
GREEN = (0, 192, 0)
ORANGE = (255, 140, 0)
TEXT = (0, 0, 0)
HALO = (255, 255, 0)
WHITE = (255, 255, 255)  # the harness page; the generated style has no background layer
# The default style of polygons (docs/styles.md, the issue): pale blue fill, blue 1 px outline.
DEFAULT_FILL = ((166, 206, 227), 0.588)

RED_LAYER = "AffleurantEnveloppePCRS"
GREEN_LAYER = "LimiteVoiriePCRS"
LABEL_LAYER = "EmpriseEchangePCRS"
LABEL_FIELD = "fournisseur"
LABEL_SIZE = 16

STYLES = {
    RED_LAYER: f"""\
name = "rouge"
title = "Enveloppes en rouge (test navigateur)"
[[rule]]
title = "Enveloppe"
fill = "#{RED[0]:02x}{RED[1]:02x}{RED[2]:02x}"
""",
    GREEN_LAYER: f"""\
name = "vert"
[[rule]]
title = "Limite de voirie"
stroke = "#{GREEN[0]:02x}{GREEN[1]:02x}{GREEN[2]:02x}"
stroke-width = 6
""",
    LABEL_LAYER: f"""\
name = "emprise"
[[rule]]
title = "Emprise"
stroke = "#{ORANGE[0]:02x}{ORANGE[1]:02x}{ORANGE[2]:02x}"
stroke-width = 2
[[rule]]
title = "Fournisseur"
label = {{ field = "{LABEL_FIELD}", size = {LABEL_SIZE}, color = "#000000", halo = "#ffff00", halo-width = 2 }}
""",
}

# What is drawn, as this test expects it (the stored styles above, the documented defaults for
# the rest): half the width of each layer's symbol in px, bottom to top as the style lists the
# layers (checked in test_style_document: by layer name).
HALF_PX = {
    "points": 3.5 + 1.0,  # default circle: radius 3.5 + 1 px white outline
    "default_line": 0.75,  # default line 1.5 px
    "green": 3.0,
    "outline": 1.0,  # the footprint's 2 px orange outline
    "default_outline": 0.5,  # the default polygon outline (control)
}
# The label's box around the footprint's interior point: "Métropole de Lyon" at 16 px is ~150 x 20 px.
LABEL_BOX_HALF = (130, 24)

# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------


def _require_tools():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"chromium not found at {CHROMIUM} (Debian package `chromium`): {INSTALL}", pytrace=False)
    if shutil.which("node") is None:
        pytest.fail(f"node not found on PATH (Debian packages `nodejs npm`): {INSTALL}", pytrace=False)
    for pkg in ("playwright-core", "maplibre-gl", "@maplibre/maplibre-gl-style-spec"):
        if not (BROWSER / "node_modules" / pkg / "package.json").is_file():
            pytest.fail(f"tests/browser/node_modules/{pkg} missing (npm ci --prefix tests/browser): {INSTALL}",
                        pytrace=False)
    try:
        from osgeo import ogr, osr  # noqa: F401
    except ImportError as e:
        pytest.fail(f"python3-gdal (osgeo.ogr) not importable ({e}): {INSTALL}", pytrace=False)
    if not GML.is_file():
        pytest.fail(f"real data not found at {GML} (the repository carries it under data/)", pytrace=False)


# --------------------------------------------------------------------------
# Web Mercator (EPSG:3857), MapLibre's 512-px tiles
# --------------------------------------------------------------------------

R = 6378137.0
WORLD = 2 * math.pi * R


def to_merc(lon, lat):
    return R * math.radians(lon), R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def to_lonlat(x, y):
    return math.degrees(x / R), math.degrees(2 * math.atan(math.exp(y / R)) - math.pi / 2)


@dataclass
class View:
    center: tuple  # lon, lat
    zoom: float
    cx: float  # centre in EPSG:3857
    cy: float
    res: float  # EPSG:3857 metres per px

    def px(self, x, y):
        """Screen pixel (x right, y down, from the map's top-left corner) of an EPSG:3857 point."""
        return WIDTH / 2 + (x - self.cx) / self.res, HEIGHT / 2 - (y - self.cy) / self.res

    def merc(self, px, py):
        return self.cx + (px - WIDTH / 2) * self.res, self.cy - (py - HEIGHT / 2) * self.res


def frame(bounds):
    """Centre and zoom that fit lon/lat bounds [w, s, e, n] in the map with MARGIN_PX on each side."""
    x0, y0 = to_merc(bounds[0], bounds[1])
    x1, y1 = to_merc(bounds[2], bounds[3])
    res = max((x1 - x0) / (WIDTH - 2 * MARGIN_PX), (y1 - y0) / (HEIGHT - 2 * MARGIN_PX))
    zoom = math.log2(WORLD / (512 * res))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return View(center=to_lonlat(cx, cy), zoom=zoom, cx=cx, cy=cy, res=res)


# --------------------------------------------------------------------------
# The source, read with OGR
# --------------------------------------------------------------------------

OGR_TO_TILEJSON = {"Integer": "Number", "Integer64": "Number", "Real": "Number", "String": "String"}


@dataclass
class SourceLayer:
    name: str
    geom_type: str  # OGR's name, "None" without geometry
    fields: dict  # name -> OGR type name
    features: list = field(default_factory=list)  # {"gml_id", "props", "geom" (2D, linear, EPSG:3857)}

    @property
    def has_geometry(self):
        return self.geom_type != "None"


def read_source():
    """Every feature class of the GML: fields, and features with 2D linear geometries in EPSG:3857."""
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ds = gdal.OpenEx(str(GML), gdal.OF_VECTOR, open_options=["WRITE_GFS=NO"])
    src = osr.SpatialReference()
    src.ImportFromEPSG(3946)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(3857)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    layers = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        defn = lyr.GetLayerDefn()
        fields = {defn.GetFieldDefn(j).GetName(): defn.GetFieldDefn(j).GetFieldTypeName(defn.GetFieldDefn(j).GetType())
                  for j in range(defn.GetFieldCount())}
        gt = lyr.GetGeomType()
        sl = SourceLayer(lyr.GetName(), "None" if gt == ogr.wkbNone else ogr.GeometryTypeToName(gt), fields)
        for f in lyr:
            g = f.GetGeometryRef()
            geom = None
            if g is not None:
                geom = g.GetLinearGeometry() if g.HasCurveGeometry() else g.Clone()
                geom.FlattenTo2D()
                geom.Transform(ct)
            sl.features.append({"gml_id": f.GetField("gml_id") if "gml_id" in fields else None,
                                "props": {k: f.GetField(k) for k in fields}, "geom": geom})
        layers[sl.name] = sl
    return layers


def union(polygons):
    """The union of (multi)polygons, as one geometry."""
    from osgeo import ogr
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    for g in polygons:
        if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPolygon:
            for k in range(g.GetGeometryCount()):
                out.AddGeometry(g.GetGeometryRef(k))
        elif not g.IsEmpty():
            out.AddGeometry(g)
    u = out.UnionCascaded()
    assert u is not None, "OGR could not union the probes' obstacles"
    return u


def point(x, y):
    from osgeo import ogr
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(x, y)
    return p


def rect(x0, y0, x1, y1):
    from osgeo import ogr
    return ogr.CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))")


def rasterize(geom, view, all_touched=True):
    """A WIDTH x HEIGHT mask of the map's pixels that `geom` (EPSG:3857) covers (or touches)."""
    from osgeo import gdal, ogr, osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    ds = gdal.GetDriverByName("MEM").Create("", WIDTH, HEIGHT, 1, gdal.GDT_Byte)
    x0, y0 = view.merc(0, 0)
    ds.SetGeoTransform((x0, view.res, 0, y0, 0, -view.res))
    ds.SetProjection(srs.ExportToWkt())
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")
    lyr = vds.CreateLayer("g", srs=srs)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(geom)
    lyr.CreateFeature(f)
    gdal.RasterizeLayer(ds, [1], lyr, burn_values=[1], options=[f"ALL_TOUCHED={'TRUE' if all_touched else 'FALSE'}"])
    return ds.GetRasterBand(1).ReadAsArray() > 0


def composite(colour_alpha, times, under=WHITE):
    """A translucent fill drawn `times` times over `under`."""
    (c, a), out = colour_alpha, list(under)
    for _ in range(times):
        out = [o * (1 - a) + ci * a for o, ci in zip(out, c)]
    return tuple(round(v) for v in out)


@dataclass
class Probes:
    view: View
    label_anchor: tuple  # EPSG:3857 interior point of the footprint (centre of the label box)
    label_text: str
    red: dict  # id -> {"merc", "gml_id", "covering"}
    green: dict
    background: dict  # id -> {"merc", "inside_footprint"}

    def lonlats(self):
        out = {"label_anchor": to_lonlat(*self.label_anchor)}
        for group in (self.red, self.green, self.background):
            out.update({k: to_lonlat(*v["merc"]) for k, v in group.items()})
        return out


def choose_probes(source, view):
    """Probe points from the SOURCE geometries (EPSG:3857), each CLEAR_PX from anything else drawn."""
    px = view.res
    feats = {name: [f for f in sl.features if f["geom"] is not None] for name, sl in source.items()}
    footprint = feats[LABEL_LAYER][0]["geom"]
    anchor = footprint.PointOnSurface()  # a square: its centre, where MapLibre puts a polygon's label
    ax, ay = anchor.GetX(), anchor.GetY()
    hw, hh = LABEL_BOX_HALF
    label_box = rect(ax - hw * px, ay - hh * px, ax + hw * px, ay + hh * px)
    label_text = feats[LABEL_LAYER][0]["props"][LABEL_FIELD]

    points = [f["geom"] for n in ("AffleurantPointPCRS", "AffleurantSymbolePCRS", "ArbrePCRS") for f in feats[n]]
    thin_lines = [f["geom"] for n in ("FacadePCRS", "HabillageLignesPCRS", "SeuilPCRS") for f in feats[n]]
    green_lines = [f["geom"] for f in feats[GREEN_LAYER]]
    red_polys = [f["geom"] for f in feats[RED_LAYER]]
    c = CLEAR_PX * px

    def buffered(geoms, half):
        return [g.Buffer((half + CLEAR_PX) * px, 4) for g in geoms]

    # Red: inside each polygon, clear of its edges and of every layer the style draws above it
    # (points, the footprint's outline, all lines, the label).
    above_red = union(buffered(points, HALF_PX["points"]) + buffered(thin_lines, HALF_PX["default_line"])
                      + buffered(green_lines, HALF_PX["green"])
                      + [footprint.GetBoundary().Buffer((HALF_PX["outline"] + CLEAR_PX) * px, 4),
                         label_box.Buffer(c, 4)])
    red = {}
    for i, f in enumerate(feats[RED_LAYER]):
        region = f["geom"].Buffer(-(c + HALF_PX["default_outline"] * px), 4)
        if region.IsEmpty():
            continue
        region = region.Difference(above_red)
        if region is None or region.IsEmpty() or region.GetArea() <= 0:
            continue
        p = region.PointOnSurface()
        covering = sum(1 for g in red_polys if g.Contains(p))
        red[f"red-{i}"] = {"merc": (p.GetX(), p.GetY()), "gml_id": f["gml_id"], "covering": covering}

    # Green: along each line, every 8 px, clear of what is drawn above it (thin SeuilPCRS lines are
    # above, the others below, but keep clear of every thin line: their joins, the label).
    above_green = union(buffered(thin_lines, HALF_PX["default_line"]) + [label_box.Buffer(c, 4)])
    green = {}
    for i, f in enumerate(feats[GREEN_LAYER]):
        g = f["geom"]
        kept = []
        for part in ([g] if g.GetGeometryCount() == 0 else [g.GetGeometryRef(k) for k in range(g.GetGeometryCount())]):
            pts = part.GetPoints()
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                seg = math.hypot(x1 - x0, y1 - y0)
                n = int(seg / (8 * px))
                for k in range(1, n):
                    t = k / n
                    p = point(x0 + t * (x1 - x0), y0 + t * (y1 - y0))
                    if not above_green.Intersects(p):
                        kept.append((p.GetX(), p.GetY()))
        for j, m in enumerate(sorted({0, len(kept) // 2, len(kept) - 1}) if kept else []):
            green[f"green-{i}-{j}"] = {"merc": kept[m], "gml_id": f["gml_id"]}

    # Background: a 16-px grid, clear of everything drawn (the footprint is an outline only).
    everything = union(buffered(points, HALF_PX["points"]) + buffered(thin_lines, HALF_PX["default_line"])
                       + buffered(green_lines, HALF_PX["green"]) + buffered(red_polys, HALF_PX["default_outline"])
                       + [footprint.GetBoundary().Buffer((HALF_PX["outline"] + CLEAR_PX) * px, 4),
                          label_box.Buffer(c, 4)])
    blocked = rasterize(everything, view)  # pixels touching `everything` (faster than a point test each)
    inside = rasterize(footprint, view, all_touched=False)
    background = {}
    for gy in range(8, HEIGHT - 8, 16):
        for gx in range(8, WIDTH - 8, 16):
            if not blocked[gy, gx]:
                background[f"bg-{gx}-{gy}"] = {"merc": view.merc(gx + 0.5, gy + 0.5),
                                               "inside_footprint": bool(inside[gy, gx])}
    return Probes(view=view, label_anchor=(ax, ay), label_text=label_text, red=red, green=green,
                  background=background)


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@dataclass
class PcrsEnv:
    root: Path
    data_dir: Path
    server: Server
    report: dict
    tilejson: dict
    style_text: str  # /styles/pcrs.json as served with the three stored styles


@pytest.fixture(scope="module")
def pcrs(geocentre_bin, tmp_path_factory):
    _require_tools()
    root = tmp_path_factory.mktemp("maplibre-pcrs")
    data = root / "data"
    data.mkdir()
    proc = run_cli(["vector", "ingest", "--dataset", DATASET, "--json", GML], data_dir=data, timeout=300)
    assert proc.returncode == 0, describe_proc(proc, "ingest of the PCRS sample failed")
    report = parse_single_json(proc)
    for layer, text in STYLES.items():
        f = root / f"{layer}.toml"
        f.write_text(text)
        p = run_cli(["vector", "style", "--dataset", DATASET, "--layer", layer, "--file", f], data_dir=data, timeout=60)
        assert p.returncode == 0, describe_proc(p, f"storing the style of {layer} failed")
    # Ready for this module = the dataset's style is served (whether or not the binary has /readyz).
    srv = Server(data_dir=data, log_path=root / "server.log")
    srv.start(**({"ready": False} if "ready" in inspect.signature(Server.start).parameters else {}))
    try:
        deadline = time.time() + 30
        while (st := srv.get(f"/styles/{DATASET}.json")).status_code != 200:
            assert time.time() < deadline, f"/styles/{DATASET}.json: HTTP {st.status_code} for 30 s\n{st.text[:2000]}" \
                                           f"\nserver log:\n{srv.log()}"
            time.sleep(0.1)
        tj = srv.get(f"/tiles/{DATASET}/WebMercatorQuad/tilejson.json")
        assert tj.status_code == 200, f"TileJSON: HTTP {tj.status_code}\n{tj.text[:2000]}"
        yield PcrsEnv(root=root, data_dir=data, server=srv, report=report, tilejson=tj.json(), style_text=st.text)
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def source():
    _require_tools()
    return read_source()


@pytest.fixture(scope="module")
def probes(pcrs, source):
    bounds = pcrs.tilejson.get("bounds")
    assert isinstance(bounds, list) and len(bounds) == 4, f"TileJSON has no bounds: {pcrs.tilejson}"
    return choose_probes(source, frame(bounds))


def run_map(pcrs, probes, name):
    spec = {"name": name, "style": pcrs.server.url(f"/styles/{DATASET}.json"), "width": WIDTH, "height": HEIGHT,
            "center": list(probes.view.center), "zoom": probes.view.zoom, "probes": probes.lonlats()}
    spec_file = pcrs.root / f"spec-{name}.json"
    spec_file.write_text(json.dumps(spec))
    proc = subprocess.run(["node", str(SCRIPT), "--json", "--spec", str(spec_file), "--timeout", "100"],
                          capture_output=True, text=True, timeout=130, cwd=REPO_ROOT, env=child_env())
    result = parse_single_json(proc)
    assert result.get("ok") is True and proc.returncode == 0, describe_proc(
        proc, f"maplibre_pcrs.mjs ({name}) failed: {result.get('error')}\n"
              f"failure screenshot: {result.get('failure_screenshot')}\nserver log:\n{pcrs.server.log()}")
    from PIL import Image
    with Image.open(result["screenshot"]) as im:  # Pillow, not the harness's PNG decoder
        result["_image"] = np.asarray(im.convert("RGB")).astype(int)
    return result


@pytest.fixture(scope="module")
def styled(pcrs, probes):
    return run_map(pcrs, probes, "styled")


@pytest.fixture(scope="module")
def control(pcrs, probes, styled):
    """The red style removed; once /styles/pcrs.json has changed, the same map again."""
    before = pcrs.server.get(f"/styles/{DATASET}.json").text
    p = run_cli(["vector", "style", "--dataset", DATASET, "--layer", RED_LAYER, "--reset"], data_dir=pcrs.data_dir,
                timeout=60)
    assert p.returncode == 0, describe_proc(p, "vector style --reset failed")
    deadline = time.time() + 15
    while pcrs.server.get(f"/styles/{DATASET}.json").text == before:
        assert time.time() < deadline, "/styles/pcrs.json unchanged 15 s after `vector style --reset` " \
                                       "(the server polls its registry every second)"
        time.sleep(0.2)
    return run_map(pcrs, probes, "control")


# --------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------


def window(result, pid):
    """The 3 x 3 screenshot pixels around where MapLibre projects probe `pid`."""
    p = result["projected"][pid]
    im = result["_image"]
    x, y = math.floor(p["x"]), math.floor(p["y"])
    h, w = im.shape[:2]
    assert 1 <= x < w - 1 and 1 <= y < h - 1, f"probe {pid} at ({p['x']:.1f}, {p['y']:.1f}) off the map"
    return [tuple(int(v) for v in im[y + dy, x + dx]) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def near(c, want, tol=TOL):
    return all(abs(a - b) <= tol for a, b in zip(c, want))


def check_colour(result, group, want, what):
    """Every pixel of every probe's 3 x 3 window is within TOL of its expected colour."""
    bad = []
    for pid, probe in group.items():
        exp = want(probe) if callable(want) else want
        px = window(result, pid)
        if not all(near(c, exp) for c in px):
            p = result["projected"][pid]
            bad.append(f"{pid} ({probe.get('gml_id') or ''}) at ({p['x']:.1f}, {p['y']:.1f}): expected {exp}, got {px}")
    assert not bad, (f"{len(bad)} of {len(group)} {what} probes wrong in {result['screenshot']}:\n"
                     + "\n".join(bad[:15]))


def classify(result, mask_of):
    ys, xs = np.nonzero(mask_of(result["_image"]))
    return list(zip(xs.tolist(), ys.tolist()))


def is_text(im):
    return im.max(axis=2) <= 80


def is_halo(im):
    return (im[..., 0] >= 200) & (im[..., 1] >= 200) & (im[..., 2] <= 80)


def label_box_px(result):
    a = result["projected"]["label_anchor"]
    hw, hh = LABEL_BOX_HALF
    return a["x"] - hw, a["y"] - hh, a["x"] + hw, a["y"] + hh


def check_label_pixels(result):
    """Black text pixels with a yellow halo around them, only in the box around the footprint's interior point."""
    text = classify(result, is_text)
    halo = classify(result, is_halo)
    x0, y0, x1, y1 = label_box_px(result)
    a = result["projected"]["label_anchor"]
    outside = [p for p in text + halo if not (x0 <= p[0] <= x1 and y0 <= p[1] <= y1)]
    assert len(text) >= 150, f"only {len(text)} text-dark pixels in {result['screenshot']} (label missing?)"
    assert len(halo) >= 150, f"only {len(halo)} halo-yellow pixels in {result['screenshot']} (halo missing?)"
    assert not outside, (f"{len(outside)} text/halo pixels outside the label box {(x0, y0, x1, y1)} around the "
                         f"footprint's interior point in {result['screenshot']}: {outside[:10]}")
    tx = [p[0] for p in text]
    ty = [p[1] for p in text]
    hx = [p[0] for p in halo]
    hy = [p[1] for p in halo]
    centre = ((min(tx) + max(tx)) / 2, (min(ty) + max(ty)) / 2)
    assert abs(centre[0] - a["x"]) <= 12 and abs(centre[1] - a["y"]) <= 12, \
        f"label text centred at {centre}, the footprint's interior point is at ({a['x']:.1f}, {a['y']:.1f})"
    assert min(hx) < min(tx) and max(hx) > max(tx) and min(hy) < min(ty) and max(hy) > max(ty), \
        f"the halo (x {min(hx)}..{max(hx)}, y {min(hy)}..{max(hy)}) does not surround the text " \
        f"(x {min(tx)}..{max(tx)}, y {min(ty)}..{max(ty)})"
    return {"text_px": len(text), "halo_px": len(halo), "text_bbox": (min(tx), min(ty), max(tx), max(ty))}


# --------------------------------------------------------------------------
# The ingest, the TileJSON and the style document
# --------------------------------------------------------------------------


def test_ingest_lists_every_feature_class(pcrs, source):
    assert len(source) == 11, f"OGR reads {len(source)} feature classes in {GML.name}, expected 11: {list(source)}"
    got = [l["name"] for l in pcrs.report.get("layers", [])]
    assert pcrs.report.get("status") == "published", f"ingest report: {json.dumps(pcrs.report)[:2000]}"
    assert sorted(got) == sorted(source), f"ingest report lists {got}, OGR reads {list(source)}"


# The footprint's stored style labels it: its tiles carry one label point
# per polygon in a layer of their own, so that a web map writes the label
# once, not once per tile the polygon crosses.
LABEL_POINTS = f"{LABEL_LAYER}:label"


def test_tilejson_vector_layers_are_the_source_classes_with_their_fields(pcrs, source):
    vl = {v["id"]: v for v in pcrs.tilejson.get("vector_layers", [])}
    with_geom = {n for n, sl in source.items() if sl.has_geometry}
    assert set(vl) == with_geom | {LABEL_POINTS}, (
        f"TileJSON vector_layers {sorted(vl)}; OGR feature classes with geometry "
        f"{sorted(with_geom)} (without: {sorted(set(source) - with_geom)}) and {LABEL_POINTS}")
    assert vl[LABEL_POINTS]["fields"] == vl[LABEL_LAYER]["fields"]
    for name in sorted(with_geom):
        want = {k: OGR_TO_TILEJSON.get(t, "String") for k, t in source[name].fields.items()}
        assert vl[name].get("fields") == want, f"vector_layers[{name}].fields = {vl[name].get('fields')}, OGR: {want}"


def test_tilejson_bounds_hold_the_source(pcrs, source):
    xs, ys = [], []
    for sl in source.values():
        for f in sl.features:
            if f["geom"] is not None:
                e = f["geom"].GetEnvelope()
                xs += [e[0], e[1]]
                ys += [e[2], e[3]]
    w, s = to_lonlat(min(xs), min(ys))
    e, n = to_lonlat(max(xs), max(ys))
    b = pcrs.tilejson["bounds"]
    eps = 1e-7
    assert b[0] <= w + eps and b[1] <= s + eps and b[2] >= e - eps and b[3] >= n - eps, \
        f"TileJSON bounds {b} do not hold the source's extent {[w, s, e, n]}"
    assert max(w - b[0], s - b[1], b[2] - e, b[3] - n) < 5e-5, \
        f"TileJSON bounds {b} exceed the source's extent {[w, s, e, n]} by more than ~4 m"


def test_style_document(pcrs, source, styled):
    style = json.loads(pcrs.style_text)
    base = pcrs.server.base_url
    assert style.get("version") == 8, f"style version {style.get('version')}"
    assert styled["validation"]["errors"] == [], f"style-spec validation: {styled['validation']['errors']}"
    sources = style.get("sources", {})
    assert len(sources) == 1, f"sources: {sources}"
    (sid, src), = sources.items()
    assert src == {"type": "vector", "url": f"{base}/tiles/{DATASET}/WebMercatorQuad/tilejson.json"}, f"source: {src}"
    glyphs = style.get("glyphs", "")
    assert glyphs.startswith(base + "/") and "{fontstack}" in glyphs and "{range}" in glyphs, f"glyphs: {glyphs!r}"
    assert "sprite" not in style, f"a sprite without non-circle markers: {style.get('sprite')}"
    vl = {v["id"] for v in pcrs.tilejson["vector_layers"]}
    layers = style.get("layers", [])
    bad = [(l.get("id"), l.get("source"), l.get("source-layer")) for l in layers
           if l.get("source") != sid or l.get("source-layer") not in vl]
    assert not bad, f"style layers whose source-layer is not a TileJSON vector layer: {bad} (vector layers {sorted(vl)})"
    drawn = {l["source-layer"] for l in layers}
    assert drawn == vl, f"vector layers no style layer draws: {sorted(vl - drawn)}"
    # MapLibre holds the same layers as served.
    assert [(l["id"], l["type"], l["sourceLayer"]) for l in styled["style_layers"]] == \
        [(l["id"], l["type"], l.get("source-layer")) for l in layers], "MapLibre's layers differ from the served style"
    # The stored styles' kinds of drawing are there (what the pixel checks rely on).
    kinds = {(l["source-layer"], l["type"]) for l in layers}
    for want in ((RED_LAYER, "fill"), (GREEN_LAYER, "line"), (LABEL_LAYER, "line"), (LABEL_POINTS, "symbol")):
        assert want in kinds, f"no {want[1]} layer for {want[0]}: {sorted(kinds)}"
    assert (LABEL_LAYER, "fill") not in kinds, "the footprint's style has no fill, the style draws one"


# --------------------------------------------------------------------------
# The tile MapLibre drew, decoded with GDAL's MVT driver
# --------------------------------------------------------------------------


def test_tile_holds_one_layer_per_feature_class(pcrs, source, styled):
    """Every tile MapLibre drew, decoded with GDAL's MVT driver: together they
    hold one MVT layer per feature class with geometry (plus the footprint's
    label points, in exactly one tile), every feature of the GML, each piece
    where its source is."""
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    tiles = [r for r in styled["responses"] if "/tiles/" in r["url"] and r["url"].endswith(".mvt")]
    assert tiles, f"MapLibre requested no tile: {[r['url'] for r in styled['responses']]}"
    bad = [r for r in tiles if r["status"] != 200 or r["contentType"] != "application/vnd.mapbox-vector-tile"]
    assert not bad, f"tiles not served as MVT: {bad}"
    zooms = {int(r["url"][:-len(".mvt")].rsplit("/", 3)[1]) for r in tiles}
    assert len(zooms) == 1 and max(zooms) <= pcrs.tilejson["maxzoom"], (zooms, pcrs.tilejson["maxzoom"])
    layers, ids, far, label_points = set(), {}, [], 0
    for t in tiles:
        url = t["url"]
        z, x, y = (int(v) for v in url[:-len(".mvt")].rsplit("/", 3)[1:])
        r = pcrs.server.get(url[len(pcrs.server.base_url):])
        assert r.status_code == 200, f"{url}: HTTP {r.status_code}"
        path = f"/vsimem/maplibre-pcrs/{z}/{x}/{y}.mvt"  # the z/x/y path georeferences the tile for GDAL
        gdal.FileFromMemBuffer(path, r.content)
        try:
            ds = gdal.OpenEx(path, gdal.OF_VECTOR, allowed_drivers=["MVT"], open_options=["CLIP=NO"])
            assert ds is not None, f"GDAL's MVT driver cannot open {url}"
            for i in range(ds.GetLayerCount()):
                lyr = ds.GetLayer(i)
                name = lyr.GetName()
                layers.add(name)
                for f in lyr:
                    gid, g = f.GetField("gml_id"), f.GetGeometryRef().Clone()
                    if name == LABEL_POINTS:
                        label_points += 1
                        src = {x["gml_id"]: x["geom"] for x in source[LABEL_LAYER].features}
                        assert gid in src, f"label point of {gid}, not in the GML"
                        assert src[gid].Contains(g), f"label point {g.ExportToWkt()} outside its polygon {gid}"
                        continue
                    src = {x["gml_id"]: x["geom"] for x in source[name].features}
                    assert gid in src, f"MVT layer {name}: feature {gid} not in the GML"
                    ids.setdefault(name, set()).add(gid)
                    d = g.Distance(src[gid])
                    if d > 0.15:  # metres (EPSG:3857); a z19 tile unit is 0.019 m
                        far.append(f"{name} {gid} in {z}/{x}/{y}: {d:.3f} m")
            ds = None
        finally:
            gdal.Unlink(path)
    with_geom = {n for n, sl in source.items() if sl.has_geometry}
    assert layers == with_geom | {LABEL_POINTS}, (
        f"the tiles hold MVT layers {sorted(layers)}; OGR's feature classes with geometry are {sorted(with_geom)}")
    # One polygon in the footprint class: one label point, in one tile.
    assert label_points == len(source[LABEL_LAYER].features) == 1, label_points
    missing = {n: sorted({f["gml_id"] for f in source[n].features} - ids.get(n, set()))[:5]
               for n in with_geom if {f["gml_id"] for f in source[n].features} - ids.get(n, set())}
    assert not missing, f"GML features in no tile MapLibre drew: {missing}"
    assert not far, f"MVT features away from their source (EPSG:3857): {far[:10]}"


# --------------------------------------------------------------------------
# Glyphs
# --------------------------------------------------------------------------


def _pb(buf):
    """(field, wire type, value) of a protobuf message: varints as int, length-delimited as bytes."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        fno, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(buf, i)
        elif wt == 2:
            n, i = _varint(buf, i)
            v, i = buf[i:i + n], i + n
        elif wt == 1:
            v, i = buf[i:i + 8], i + 8
        elif wt == 5:
            v, i = buf[i:i + 4], i + 4
        else:
            raise AssertionError(f"protobuf wire type {wt} at byte {i}")
        yield fno, wt, v


def _varint(buf, i):
    shift = out = 0
    while True:
        b = buf[i]
        i += 1
        out |= (b & 0x7F) << shift
        if not b & 0x80:
            return out, i
        shift += 7


def glyphs_of(pbf):
    """{codepoint: {width, height, advance, bitmap_len}} of a glyph PBF (fontstack name -> glyphs)."""
    out = {}
    for fno, _, stack in _pb(pbf):
        if fno != 1:
            continue
        for sf, _, g in _pb(stack):
            if sf == 3:
                d = {gf: v for gf, _, v in _pb(g)}
                out[d.get(1)] = {"width": d.get(3, 0), "height": d.get(4, 0), "advance": d.get(7, 0),
                                 "bitmap_len": len(d.get(2, b""))}
    return out


def test_glyph_ranges_served_and_hold_the_label(pcrs, probes, styled):
    style = json.loads(pcrs.style_text)
    fonts = {tuple(l["layout"]["text-font"]) for l in style["layers"] if l["type"] == "symbol"}
    assert len(fonts) == 1, f"text-font stacks: {fonts}"
    stack = ",".join(fonts.pop())
    got = [r for r in styled["responses"] if "/fonts/" in r["url"]]
    bad = [r for r in got if r["status"] != 200 or r["contentType"] != "application/x-protobuf" or not r["bytes"]]
    assert got and not bad, f"glyph requests: {got}"
    text = probes.label_text
    need = {f"{cp // 256 * 256}-{cp // 256 * 256 + 255}" for cp in map(ord, text)}
    from urllib.parse import unquote
    requested = {unquote(r["url"]).rsplit("/", 2)[-2]: r for r in got}
    ranges = {unquote(r["url"]).rsplit("/", 1)[-1][:-len(".pbf")] for r in got}
    assert set(requested) == {stack}, f"fontstacks requested {sorted(requested)}, the style says {stack!r}"
    assert need <= ranges, f"label {text!r} needs ranges {sorted(need)}, MapLibre requested {sorted(ranges)}"
    for rng in sorted(need):
        r = pcrs.server.get(f"/fonts/{stack}/{rng}.pbf")
        assert r.status_code == 200, f"/fonts/{stack}/{rng}.pbf: HTTP {r.status_code}"
        glyphs = glyphs_of(r.content)
        lo = int(rng.split("-")[0])
        for ch in {c for c in text if lo <= ord(c) <= lo + 255}:
            g = glyphs.get(ord(ch))
            assert g is not None, f"glyph {ch!r} (U+{ord(ch):04X}) missing from {stack} {rng}"
            assert g["advance"] > 0, f"glyph {ch!r}: advance {g['advance']}"
            if not ch.isspace():
                # SDF bitmaps carry a 3-px border (fontnik, MapLibre).
                assert g["width"] > 0 and g["bitmap_len"] == (g["width"] + 6) * (g["height"] + 6), \
                    f"glyph {ch!r} (U+{ord(ch):04X}) in {stack} {rng}: {g}"


# --------------------------------------------------------------------------
# The browser session
# --------------------------------------------------------------------------


def test_browser_session_is_clean(pcrs, styled):
    d = styled["diagnostics"]
    problems = {k: v for k, v in d.items() if v}
    assert not problems, f"browser diagnostics: {json.dumps(problems)[:3000]}"
    assert styled["map_errors"] == [], f"MapLibre error events: {styled['map_errors']}"
    bad = [r for r in styled["responses"] if r["status"] != 200]
    assert not bad, f"responses from the server other than 200: {bad}"
    urls = [r["url"] for r in styled["responses"]]
    for p in (f"/styles/{DATASET}.json", f"/tiles/{DATASET}/WebMercatorQuad/tilejson.json"):
        assert pcrs.server.url(p) in urls, f"MapLibre never fetched {p}: {urls}"
    assert "SwiftShader" in (styled.get("webgl") or {}).get("webgl", ""), f"WebGL: {styled.get('webgl')}"


def test_map_is_framed_as_computed_from_the_source(probes, styled):
    """MapLibre's own projection of every probe agrees with the Web Mercator arithmetic done here."""
    v = styled["view"]
    assert v["canvas"] == [WIDTH, HEIGHT] and v["devicePixelRatio"] == 1, f"view: {v}"
    assert abs(v["zoom"] - probes.view.zoom) < 1e-9, f"zoom {v['zoom']}, asked {probes.view.zoom}"
    far = []
    for pid, ll in probes.lonlats().items():
        want = probes.view.px(*to_merc(*ll))
        got = styled["projected"][pid]
        if abs(got["x"] - want[0]) > 0.5 or abs(got["y"] - want[1]) > 0.5:
            far.append(f"{pid}: map.project ({got['x']:.2f}, {got['y']:.2f}), expected ({want[0]:.2f}, {want[1]:.2f})")
    assert not far, "map.project disagrees with the framing:\n" + "\n".join(far[:10])


# --------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------


def test_enough_probes(probes):
    """The source gives enough probe points for the pixel checks below to mean something."""
    inside = sum(1 for b in probes.background.values() if b["inside_footprint"])
    outside = len(probes.background) - inside
    assert len(probes.red) >= 6, f"only {len(probes.red)} red probes"
    assert len({p['gml_id'] for p in probes.green.values()}) >= 5, f"green probes on too few lines: {probes.green}"
    assert inside >= 50 and outside >= 50, f"background probes: {inside} inside the footprint, {outside} outside"


def test_red_inside_the_red_polygons(probes, styled):
    check_colour(styled, probes.red, RED, f"{RED_LAYER} (red fill)")


def test_green_on_the_green_lines(probes, styled):
    check_colour(styled, probes.green, GREEN, f"{GREEN_LAYER} (green 6 px line)")


def test_background_away_from_every_feature(probes, styled):
    check_colour(styled, probes.background, WHITE, "background (no feature within 3 px)")


def test_label_text_with_its_halo_at_the_footprint(probes, styled):
    """The label is drawn: black text in a yellow halo around the footprint's interior point, nowhere
    else; MapLibre placed it for the footprint, with the GML's attribute as its text."""
    check_label_pixels(styled)
    # Read from the footprint's label points: written once, not per tile.
    placed = [l for l in styled["labels"] if l["sourceLayer"] == LABEL_POINTS]
    assert len(placed) == 1, f"labels placed: {styled['labels']}"
    assert placed[0]["properties"].get(LABEL_FIELD) == probes.label_text, \
        f"label feature {placed[0]['properties']}, GML {LABEL_FIELD} = {probes.label_text!r}"
    sections = (placed[0].get("textField") or {}).get("sections") or [{}]
    assert "".join(s.get("text", "") for s in sections) == probes.label_text, f"text-field {placed[0]['textField']}"


# --------------------------------------------------------------------------
# Control: the red style removed
# --------------------------------------------------------------------------


def test_control_red_gone_after_reset(probes, control):
    """Same probes: no longer red, but the default fill (composited once per polygon covering the probe)."""
    not_red = [pid for pid in probes.red if any(near(c, RED) for c in window(control, pid))]
    assert not not_red, f"still red after `vector style --reset` in {control['screenshot']}: {not_red}"
    check_colour(control, probes.red, lambda p: composite(DEFAULT_FILL, p["covering"]),
                 f"{RED_LAYER} (default fill, control)")


def test_control_keeps_the_other_styles(probes, control):
    check_colour(control, probes.green, GREEN, f"{GREEN_LAYER} (control)")
    check_colour(control, probes.background, WHITE, "background (control)")
    check_label_pixels(control)
    d = control["diagnostics"]
    assert not any(d.values()) and control["map_errors"] == [], f"control diagnostics: {d} {control['map_errors']}"
