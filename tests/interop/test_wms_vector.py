"""WMS rendering of vector layers, on the REAL admin GeoJSON of the repository's data/
(communes and départements of Centre-Val de Loire) and the REAL IGN RVB tile.

Styles are stored with the CLI (`geocentre vector style`, text format or SLD);
every expected colour and feature comes from the source read with OGR: a
point well inside a real commune (its polygon shrunk by a few pixels) is
converted to pixel coordinates of the requested map, and must carry the
style's colour there, the colour of its own category and not another's;
outside the region the map is transparent. Labels are compared with the
same map without labels; two labels that would overlap leave one, also
when they belong to two layers of one GetMap (checked against the same
layers drawn by separate GetMaps, whose labels collide).

DERIVED data, made here and labelled so: a small polygon inside the ortho
tile (`derived.patch`), to check that vector layers draw over the imagery in
LAYERS order.
"""
from __future__ import annotations

import html
import json
import time
import urllib.parse
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import helpers
from helpers import Server, describe_proc, ingest, run_cli

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
COMMUNES_L = "admin.communes_centre_val_de_loire"
DEPS_L = "admin.departements_centre_val_de_loire"
PATCH_L = "derived.patch"
WMS_NS = "http://www.opengis.net/wms"
NSX = {"wms": WMS_NS}
XLINK = "{http://www.w3.org/1999/xlink}href"
# Pixels a sample point keeps from its commune's edges (anti-aliasing).
INSET_PX = 3

DEP_COLOURS = {"18": (228, 26, 28), "28": (55, 126, 184), "36": (77, 175, 74),
               "37": (152, 78, 163), "41": (255, 127, 0), "45": (166, 86, 40)}


def osr():
    from osgeo import osr as _osr
    _osr.UseExceptions()
    return _osr


def ogr():
    from osgeo import ogr as _ogr
    _ogr.UseExceptions()
    return _ogr


def transform_to(epsg):
    o = osr()
    src, dst = o.SpatialReference(), o.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(epsg)
    for s in (src, dst):
        s.SetAxisMappingStrategy(o.OAMS_TRADITIONAL_GIS_ORDER)
    return o.CoordinateTransformation(src, dst)


def read_source(path):
    """code -> (nom, geometry in WGS 84, x/y), from the REAL file."""
    ds = ogr().Open(str(path))
    lyr = ds.GetLayer(0)
    out = {}
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        g.AssignSpatialReference(None)
        out[f.GetField("code")] = (f.GetField("nom"), g)
    return out


@pytest.fixture(scope="module")
def source():
    return {"communes": read_source(COMMUNES), "deps": read_source(DEPARTEMENTS)}


@pytest.fixture(scope="module")
def vw(geocentre_bin, rvb, tmp_path_factory):
    """Own server: `admin` (REAL communes and départements), `ign` (the REAL
    RVB tile), `derived.patch` (DERIVED: a rectangle inside the tile)."""
    tmp = tmp_path_factory.mktemp("wms-vector")
    data = tmp / "data"
    proc = run_cli(["vector", "ingest", "--dataset", "admin", "--json", str(COMMUNES), str(DEPARTEMENTS)],
                   data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the real admin layers")
    proc, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert proc.returncode == 0, describe_proc(proc, "ortho ingest of the real tile")
    minx, miny, maxx, maxy = rvb["bbox"]
    patch = (minx + 10.0, miny + 12.0, minx + 30.0, maxy - 8.0)
    gpkg = tmp / "patch.gpkg"
    drv = ogr().GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(gpkg))
    srs = osr().SpatialReference()
    srs.ImportFromEPSG(2154)
    lyr = ds.CreateLayer("patch", srs, ogr().wkbPolygon)
    lyr.CreateField(ogr().FieldDefn("nom", ogr().OFTString))
    f = ogr().Feature(lyr.GetLayerDefn())
    f.SetField("nom", "DERIVED patch")
    x0, y0, x1, y1 = patch
    f.SetGeometry(ogr().CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
    lyr.CreateFeature(f)
    ds = None
    proc = run_cli(["vector", "ingest", "--dataset", "derived", "--json", str(gpkg)], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the derived patch")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "base": srv.base_url, "data": data, "tmp": tmp, "patch": patch}
    srv.stop()


def wms(vw, **params):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", **params}
    return helpers.new_http().get(f"{vw['base']}/wms", params=q, timeout=120)


def caps(vw, version="1.3.0"):
    r = wms(vw, REQUEST="GetCapabilities", VERSION=version)
    assert r.status_code == 200, r.text[:500]
    return r


def layer_el(root, name):
    for L in root.iter(f"{{{WMS_NS}}}Layer"):
        n = L.find("wms:Name", NSX)
        if n is not None and n.text == name:
            return L
    return None


def set_style(vw, layer, text, ext="toml", sld=False, expect_name=None):
    """Stores a style with the CLI and waits until the server serves it."""
    dataset, lname = layer.split(".", 1)
    p = vw["tmp"] / f"style-{lname}-{time.monotonic_ns()}.{ext}"
    p.write_text(text)
    proc = run_cli(["vector", "style", "--dataset", dataset, "--layer", lname, "--sld" if sld else "--file", str(p)],
                   data_dir=vw["data"])
    assert proc.returncode == 0, describe_proc(proc, "vector style")
    if expect_name:
        wait_style(vw, layer, expect_name)
    return proc


def wait_style(vw, layer, name, timeout=20):
    deadline = time.time() + timeout
    while True:
        L = layer_el(ET.fromstring(caps(vw).content), layer)
        if L is not None and L.find("wms:Style/wms:Name", NSX).text == name:
            return L
        assert time.time() < deadline, f"the server never served style {name!r} for {layer}"
        time.sleep(0.3)


def getmap(vw, layers, crs, bbox, w, h, fmt="image/png", styles="", version="1.3.0", **extra):
    key = "CRS" if version == "1.3.0" else "SRS"
    return wms(vw, VERSION=version, REQUEST="GetMap", LAYERS=layers, STYLES=styles, **{key: crs},
               BBOX=",".join(repr(v) for v in bbox), WIDTH=str(w), HEIGHT=str(h), FORMAT=fmt, **extra)


def image(r):
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/"), (r.status_code, r.text[:500])
    mode, arr = helpers.decode(r.content)
    if arr.shape[2] == 3:
        arr = np.concatenate([arr, np.full(arr.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return arr


class Frame:
    """A map of the region in one CRS: its box (x/y), size, and the source
    geometries converted to it."""

    def __init__(self, source, epsg, width=900, bbox=None):
        self.epsg = epsg
        self.ct = transform_to(epsg)
        if bbox is None:
            region = self.geom(self.region(source))
            minx, maxx, miny, maxy = region.GetEnvelope()
            pad = 0.04 * (maxx - minx)
            bbox = (minx - pad, miny - pad, maxx + pad, maxy + pad)
        self.bbox = bbox
        self.w = width
        self.h = int(round(width * (bbox[3] - bbox[1]) / (bbox[2] - bbox[0])))
        self.res = (bbox[2] - bbox[0]) / self.w

    @staticmethod
    def region(source):
        u = None
        for _, g in source["deps"].values():
            u = g.Clone() if u is None else u.Union(g)
        return u

    def geom(self, g):
        g = g.Clone()
        g.Transform(self.ct)
        return g

    def px(self, x, y):
        b = self.bbox
        return ((x - b[0]) / self.res, (b[3] - y) / ((b[3] - b[1]) / self.h))

    def map_point(self, i, j):
        """The centre of pixel (i, j) in map coordinates."""
        b = self.bbox
        return (b[0] + (i + 0.5) * self.res, b[3] - (j + 0.5) * (b[3] - b[1]) / self.h)

    def inside_pixel(self, g):
        """A pixel well inside `g` (WGS 84): its polygon shrunk by INSET_PX pixels."""
        inner = self.geom(g).Buffer(-INSET_PX * self.res)
        if inner is None or inner.IsEmpty():
            return None
        p = inner.PointOnSurface()
        i, j = self.px(p.GetX(), p.GetY())
        return int(i), int(j)

    def request_bbox(self, swap):
        b = self.bbox
        return (b[1], b[0], b[3], b[2]) if swap else b


def largest(source, n=10, prefix=None):
    items = [(c, v) for c, v in source["communes"].items() if prefix is None or c.startswith(prefix)]
    ct = transform_to(2154)

    def area(g):
        g = g.Clone()
        g.Transform(ct)
        return g.GetArea()
    return [c for c, _ in sorted(items, key=lambda kv: -area(kv[1][1]))[:n]]


def samples(source):
    """The 2 largest communes of each département, and Orléans."""
    if "_samples" not in source:
        codes = ["45234"]
        for dep in DEP_COLOURS:
            codes += [c for c in largest(source, 2, dep) if c not in codes]
        source["_samples"] = codes
    return source["_samples"]


def outside_pixels(frame, source):
    region = frame.geom(Frame.region(source))
    out = []
    for i, j in ((3, 3), (frame.w - 4, 3), (3, frame.h - 4), (frame.w - 4, frame.h - 4)):
        x, y = frame.map_point(i, j)
        pt = ogr().CreateGeometryFromWkt(f"POINT({x} {y})")
        if pt.Distance(region) > 6 * frame.res:
            out.append((i, j))
    assert out, "no map corner lies outside the region: the control has nothing to test"
    return out


FILL = (215, 25, 28)
FILL_STYLE = """name = "fill-red"
title = "Communes en rouge"
[[rule]]
title = "Commune"
fill = "#d7191c"
"""

CRSS = [("EPSG:2154", 2154, False), ("EPSG:3857", 3857, False), ("EPSG:4326", 4326, True),
        ("CRS:84", 4326, False), ("EPSG:3946", 3946, False)]


# ==========================================================================
# Capabilities
# ==========================================================================

def test_capabilities_list_vector_layers_and_validate(vw, tmp_path):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    r = caps(vw)
    ok, out = helpers.validate_wms_capabilities_inspire(r.content, tmp_path, "wms-caps-vector.xml")
    assert ok, out
    root = ET.fromstring(r.content)
    group = layer_el(root, "admin")
    assert group is not None, "the dataset is not a group layer"
    children = [L.find("wms:Name", NSX).text for L in group.findall("wms:Layer", NSX)]
    assert children == [COMMUNES_L, DEPS_L], children
    for name in (COMMUNES_L, DEPS_L, PATCH_L, "ign"):
        assert layer_el(root, name) is not None, name
    L = layer_el(root, COMMUNES_L)
    assert L.get("queryable") == "1"
    for el in (L, group):
        md = el.find("wms:MetadataURL", NSX)
        assert md is not None and md.get("type") == "ISO19115:2003"
        href = md.find("wms:OnlineResource", NSX).get(XLINK)
        assert href == f"{vw['base']}/api/vector/datasets/admin/metadata.xml", href
    rec = helpers.new_http().get(href, timeout=60)
    assert rec.status_code == 200 and ET.fromstring(rec.content).tag == "{http://www.isotc211.org/2005/gmd}MD_Metadata"
    assert L.find("wms:Title", NSX).text == "communes-centre-val-de-loire"
    crs = {b.get("CRS"): b for b in L.findall("wms:BoundingBox", NSX)}
    assert {"EPSG:2154", "EPSG:3857", "EPSG:4326"} <= set(crs)
    # EPSG:4326 is latitude first in 1.3.0; the REAL extent of the communes.
    src_ds = ogr().Open(str(COMMUNES))
    ext = src_ds.GetLayer(0).GetExtent()
    b = crs["EPSG:4326"]
    assert float(b.get("minx")) == pytest.approx(ext[2], abs=1e-6) and float(b.get("miny")) == pytest.approx(ext[0], abs=1e-6)
    style = L.find("wms:Style", NSX)
    assert style.find("wms:Name", NSX).text == "fill-red"
    assert style.find("wms:Title", NSX).text == "Communes en rouge"
    lg = style.find("wms:LegendURL", NSX)
    href = lg.find("wms:OnlineResource", NSX).get(XLINK)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))
    assert q["REQUEST"] == "GetLegendGraphic" and q["LAYER"] == COMMUNES_L and q["STYLE"] == "fill-red"
    legend = helpers.new_http().get(href, timeout=60)
    assert legend.status_code == 200 and legend.content.startswith(helpers.PNG_MAGIC)
    _, arr = helpers.decode(legend.content)
    assert (arr.shape[1], arr.shape[0]) == (int(lg.get("width")), int(lg.get("height")))
    # 1.1.1 lists them too.
    r = caps(vw, "1.1.1")
    assert f"<Name>{COMMUNES_L}</Name>" in r.text and "<LegendURL" in r.text


# ==========================================================================
# GetMap
# ==========================================================================

@pytest.mark.parametrize("crs,epsg,swap", CRSS, ids=[c[0] for c in CRSS])
def test_getmap_fill_inside_communes_transparent_outside(vw, source, crs, epsg, swap):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    f = Frame(source, epsg)
    img = image(getmap(vw, COMMUNES_L, crs, f.request_bbox(swap), f.w, f.h, TRANSPARENT="TRUE"))
    assert img.shape[:2] == (f.h, f.w)
    bad = []
    for code in samples(source):
        nom, g = source["communes"][code]
        p = f.inside_pixel(g)
        if p is None:
            continue
        got = tuple(int(v) for v in img[p[1], p[0]])
        if got != FILL + (255,):
            bad.append((code, nom, p, got))
    assert not bad, f"{crs}: pixels inside communes are not the fill colour: {bad}"
    for i, j in outside_pixels(f, source):
        assert img[j, i, 3] == 0, f"{crs}: pixel ({i}, {j}) outside the region is not transparent: {img[j, i]}"
    # Control: the fill is where the communes are, not everywhere.
    filled = (img[..., 3] == 255).mean()
    assert 0.3 < filled < 0.9, filled


def test_getmap_formats_and_background(vw, source):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    f = Frame(source, 2154, width=400)
    p = next(q for q in (f.inside_pixel(source["communes"][c][1]) for c in samples(source)) if q)
    corner = outside_pixels(f, source)[0]
    for fmt, tol in (("image/png", 0), ("image/png; mode=8bit", 4), ("image/jpeg", 12), ("image/webp", 12)):
        r = getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, f.w, f.h, fmt=fmt)
        assert r.status_code == 200, (fmt, r.text[:300])
        _, img = helpers.decode(r.content)
        arr = np.moveaxis(img, -1, 0)
        px = arr[:3, p[1], p[0]].astype(int)
        assert np.abs(px - np.array(FILL)).max() <= tol, (fmt, px)
        # Opaque formats: the white background outside the region.
        bg = arr[:3, corner[1], corner[0]].astype(int)
        assert bg.min() >= 255 - tol, (fmt, bg)


def test_categorized_by_departement_code(vw, source):
    cats = ", ".join(f'{{ value = "{c}", fill = "#{r:02x}{g:02x}{b:02x}" }}' for c, (r, g, b) in DEP_COLOURS.items())
    set_style(vw, DEPS_L, f'name = "deps"\n[categorized]\nproperty = "code"\ncategories = [{cats}]\n',
              expect_name="deps")
    f = Frame(source, 2154)
    img = image(getmap(vw, DEPS_L, "EPSG:2154", f.bbox, f.w, f.h, TRANSPARENT="TRUE"))
    checked = 0
    for code in samples(source):
        p = f.inside_pixel(source["communes"][code][1])
        if p is None:
            continue
        got = tuple(int(v) for v in img[p[1], p[0], :3])
        want = DEP_COLOURS[code[:2]]
        assert got == want, f"commune {code}: {got}, expected the colour of département {code[:2]} {want}"
        # Control: any other département's colour would fail.
        for other, colour in DEP_COLOURS.items():
            if other != code[:2]:
                assert got != colour
        checked += 1
    assert checked >= 10, checked


def test_scale_range_hides_the_layer_out_of_range(vw, source):
    set_style(vw, COMMUNES_L, 'name = "near"\n[[rule]]\nfill = "#d7191c"\nmax-scale = 500000\n', expect_name="near")
    L = layer_el(ET.fromstring(caps(vw).content), COMMUNES_L)
    assert float(L.find("wms:MaxScaleDenominator", NSX).text) == 500000
    assert L.find("wms:MinScaleDenominator", NSX) is None
    region = Frame(source, 2154)
    # The whole region at 900 px: about 1:1 300 000, out of range.
    assert region.res / 0.00028 > 500000
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", region.bbox, region.w, region.h, TRANSPARENT="TRUE"))
    assert (img[..., 3] == 0).all(), "the layer is drawn beyond its MaxScaleDenominator"
    # 30 km around Orléans at 600 px: 1:178 571, in range.
    c = Frame(source, 2154).geom(source["communes"]["45234"][1]).Centroid()
    near = Frame(source, 2154, width=600, bbox=(c.GetX() - 15000, c.GetY() - 10000, c.GetX() + 15000, c.GetY() + 10000))
    assert near.res / 0.00028 < 500000
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", near.bbox, near.w, near.h, TRANSPARENT="TRUE"))
    p = near.inside_pixel(source["communes"]["45234"][1])
    assert tuple(img[p[1], p[0]]) == FILL + (255,)
    # And the other way round: a minimum scale hides it near, shows it far.
    set_style(vw, COMMUNES_L, 'name = "far"\n[[rule]]\nfill = "#d7191c"\nmin-scale = 500000\n', expect_name="far")
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", near.bbox, near.w, near.h, TRANSPARENT="TRUE"))
    assert (img[..., 3] == 0).all()
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", region.bbox, region.w, region.h, TRANSPARENT="TRUE"))
    assert img[..., 3].max() == 255


# ==========================================================================
# Labels
# ==========================================================================

def label_style(name, codes, size):
    where = ", ".join(f'{{ property = "code", equals = "{c}" }}' for c in codes)
    return f"""name = "{name}"
[[rule]]
fill = "#ffcc00"
[[rule]]
where = {{ any = [{where}] }}
label = {{ field = "nom", size = {size}, color = "#000000", halo = "#ffffff", halo-width = 2 }}
"""


def map_with(vw, name, text, frame):
    set_style(vw, COMMUNES_L, text, expect_name=name)
    return image(getmap(vw, COMMUNES_L, "EPSG:2154", frame.bbox, frame.w, frame.h, TRANSPARENT="TRUE"))


def test_labels_sit_on_their_commune_and_colliding_labels_leave_one(vw, source):
    orleans, sjb = "45234", "45284"  # Orléans and its neighbour Saint-Jean-de-Braye
    assert source["communes"][sjb][0] == "Saint-Jean-de-Braye"
    base = Frame(source, 2154)
    a, b = (base.geom(source["communes"][c][1]) for c in (orleans, sjb))
    assert a.Touches(b) or a.Intersects(b), "the two communes are not neighbours"
    mid = a.Union(b).Centroid()
    # 200 m per pixel: their label points are a few dozen pixels apart.
    far = Frame(source, 2154, width=800,
                bbox=(mid.GetX() - 80000, mid.GetY() - 60000, mid.GetX() + 80000, mid.GetY() + 60000))
    plain = map_with(vw, "plain", 'name = "plain"\n[[rule]]\nfill = "#ffcc00"\n', far)
    only_a = map_with(vw, "only-orleans", label_style("only-orleans", [orleans], 30), far)
    only_b = map_with(vw, "only-sjb", label_style("only-sjb", [sjb], 30), far)
    both = map_with(vw, "both", label_style("both", [orleans, sjb], 30), far)

    for code, img in ((orleans, only_a), (sjb, only_b)):
        diff = (img != plain).any(axis=2)
        assert diff.any(), f"no label drawn for {code}"
        ys, xs = np.nonzero(diff)
        # The label differs from the plain map only around it: one box of
        # the text's height, centred in its commune.
        assert ys.max() - ys.min() < 30 * 1.6, (code, ys.min(), ys.max())
        nom = source["communes"][code][0]
        assert 30 * 0.35 * len(nom) < xs.max() - xs.min() < 30 * 0.9 * len(nom), (code, xs.min(), xs.max())
        cx, cy = far.map_point((xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2)
        centre = ogr().CreateGeometryFromWkt(f"POINT({cx} {cy})")
        assert far.geom(source["communes"][code][1]).Distance(centre) < 3 * far.res, \
            f"the label of {nom} is not centred in its commune"
        # Black text with a white halo.
        changed = img[diff]
        assert (changed[:, :3] < 60).all(axis=1).sum() > 50, "no dark text"
        assert (changed[:, :3] > 230).all(axis=1).sum() > 50, "no halo"
    overlap = ((only_a != plain).any(axis=2) & (only_b != plain).any(axis=2)).any()
    assert overlap, "the test is not discriminating: the two labels would not overlap"
    # Colliding: one label is placed, the larger commune's, exactly as alone.
    assert np.array_equal(both, only_a), "the labels of Orléans and Saint-Jean-de-Braye were not resolved to one"
    assert not np.array_equal(both, only_b)

    # Control: closer in, with a smaller font, both fit and both are drawn.
    near = Frame(source, 2154, width=800,
                 bbox=(mid.GetX() - 8000, mid.GetY() - 6000, mid.GetX() + 8000, mid.GetY() + 6000))
    plain = map_with(vw, "plain2", 'name = "plain2"\n[[rule]]\nfill = "#ffcc00"\n', near)
    only_a = map_with(vw, "near-orleans", label_style("near-orleans", [orleans], 11), near)
    only_b = map_with(vw, "near-sjb", label_style("near-sjb", [sjb], 11), near)
    both = map_with(vw, "near-both", label_style("near-both", [orleans, sjb], 11), near)
    da, db, dboth = ((x != plain).any(axis=2) for x in (only_a, only_b, both))
    assert da.any() and db.any() and not (da & db).any()
    assert np.array_equal(dboth, da | db), "two labels that do not overlap were not both drawn"


# ==========================================================================
# GetFeatureInfo
# ==========================================================================

def gfi(vw, frame, i, j, fmt, count=None, layers=COMMUNES_L):
    q = dict(REQUEST="GetFeatureInfo", LAYERS=layers, QUERY_LAYERS=layers, STYLES="", CRS=f"EPSG:{frame.epsg}",
             BBOX=",".join(repr(v) for v in frame.bbox), WIDTH=str(frame.w), HEIGHT=str(frame.h),
             I=str(i), J=str(j), INFO_FORMAT=fmt)
    if count:
        q["FEATURE_COUNT"] = str(count)
    r = wms(vw, **q)
    assert r.status_code == 200, r.text[:500]
    return r


def test_getfeatureinfo_returns_the_commune_under_the_point(vw, source):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    f = Frame(source, 2154)
    for code in samples(source)[:6]:
        nom, g = source["communes"][code]
        i, j = f.inside_pixel(g)
        doc = gfi(vw, f, i, j, "application/json").json()
        assert [ft["properties"]["code"] for ft in doc["features"]] == [code], (code, doc)
        ft = doc["features"][0]
        assert ft["properties"]["nom"] == nom
        # The geometry is the commune's, lon/lat.
        got = ogr().CreateGeometryFromJson(json.dumps(ft["geometry"]))
        assert abs(got.GetArea() - g.GetArea()) < 1e-6 * g.GetArea()
        assert f"<td>{nom}</td>" in html.unescape(gfi(vw, f, i, j, "text/html").text)
        gml = ET.fromstring(gfi(vw, f, i, j, "application/vnd.ogc.gml").content)
        texts = {(e.tag, (e.text or "").strip()) for e in gml.iter()}
        assert ("code", code) in texts and ("nom", nom) in texts, texts
        assert f"code = '{code}'" in gfi(vw, f, i, j, "text/plain").text
    corner = outside_pixels(f, source)[0]
    assert gfi(vw, f, *corner, "application/json").json()["features"] == []
    assert "Aucun objet" in gfi(vw, f, *corner, "text/html").text


def test_getfeatureinfo_feature_count_at_a_shared_boundary(vw, source):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    c = Frame(source, 2154).geom(source["communes"]["45234"][1]).Centroid()
    f = Frame(source, 2154, width=600, bbox=(c.GetX() - 15000, c.GetY() - 10000, c.GetX() + 15000, c.GetY() + 10000))
    ring = f.geom(source["communes"]["45234"][1])
    while ring.GetGeometryCount() > 0:
        ring = ring.GetGeometryRef(0).Clone()
    vx, vy = ring.GetX(0), ring.GetY(0)
    i, j = (int(v) for v in f.px(vx, vy))
    x, y = f.map_point(i, j)
    pt = ogr().CreateGeometryFromWkt(f"POINT({x} {y})")
    dist = {code: f.geom(g).Distance(pt) / f.res for code, (_, g) in source["communes"].items()
            if code.startswith("45")}
    near = {c for c, d in dist.items() if d < 3.5}
    assert len(near) >= 2, f"the vertex is not shared: {near}"
    doc = gfi(vw, f, i, j, "application/json", count=10).json()
    got = [ft["properties"]["code"] for ft in doc["features"]]
    assert near <= set(got), (near, got)
    assert all(dist.get(c, 99) <= 4.5 for c in got), (got, dist)
    # FEATURE_COUNT defaults to 1: the nearest.
    one = gfi(vw, f, i, j, "application/json").json()["features"]
    assert len(one) == 1 and one[0]["properties"]["code"] == min(got, key=lambda c: dist[c])


# ==========================================================================
# GetLegendGraphic
# ==========================================================================

def test_getlegendgraphic_shows_each_rule(vw, tmp_path):
    cats = ", ".join(f'{{ value = "{c}", title = "Dép. {c}", fill = "#{r:02x}{g:02x}{b:02x}" }}'
                     for c, (r, g, b) in DEP_COLOURS.items())
    set_style(vw, DEPS_L, f'name = "deps-legend"\n[categorized]\nproperty = "code"\nstroke = "#000000"\n'
                          f'categories = [{cats}]\n[[rule]]\ntitle = "Noms"\nmax-scale = 100000\n'
                          f'label = {{ field = "nom" }}\n', expect_name="deps-legend")
    r = wms(vw, REQUEST="GetLegendGraphic", LAYER=DEPS_L, FORMAT="image/png")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text[:300]
    _, img = helpers.decode(r.content)
    rgb = img[..., :3].reshape(-1, 3)
    for code, colour in DEP_COLOURS.items():
        n = (rgb == colour).all(axis=1).sum()
        assert n > 150, f"swatch of {code} missing ({n} px of {colour})"
    # Titles are written beside the swatches: dark pixels right of them.
    assert (img[:, 30:, :3] < 80).all(axis=2).sum() > 100
    h_all = img.shape[0]
    # SCALE: the label rule drops out at 1:1 000 000.
    _, small = helpers.decode(wms(vw, REQUEST="GetLegendGraphic", LAYER=DEPS_L, FORMAT="image/png",
                                  SCALE="1000000").content)
    assert small.shape[0] < h_all
    # RULE with WIDTH/HEIGHT: that rule's swatch alone.
    r = wms(vw, REQUEST="GetLegendGraphic", LAYER=DEPS_L, FORMAT="image/png", RULE="code-5", WIDTH="40", HEIGHT="30")
    _, sw = helpers.decode(r.content)
    assert sw.shape[:2] == (30, 40) and tuple(sw[15, 20, :3]) == DEP_COLOURS["45"]
    # Errors: OGC service exception reports that validate.
    for params, code in (({"LAYER": "nope.nothing"}, "LayerNotDefined"),
                         ({"LAYER": DEPS_L, "STYLE": "fancy"}, "StyleNotDefined"),
                         ({"LAYER": DEPS_L, "FORMAT": "image/gif"}, "InvalidFormat"),
                         ({"LAYER": DEPS_L, "RULE": "nope"}, "InvalidParameterValue")):
        r = wms(vw, REQUEST="GetLegendGraphic", **{"FORMAT": "image/png", **params})
        assert r.status_code == 200 and f'code="{code}"' in r.text, (params, r.text[:300])
        ok, out = helpers.validate_xml(r.content, tmp_path, "legend-exc.xml")
        assert ok, out


# ==========================================================================
# SLD import
# ==========================================================================

SLD = """<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:se="http://www.opengis.net/se" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1.0">
  <NamedLayer>
    <se:Name>communes</se:Name>
    <UserStyle>
      <se:Name>communes-sld</se:Name>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>loiret</se:Name>
          <se:Description><se:Title>Loiret</se:Title></se:Description>
          <ogc:Filter><ogc:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">
            <ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>45*</ogc:Literal>
          </ogc:PropertyIsLike></ogc:Filter>
          <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter></se:Fill></se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>cher</se:Name>
          <ogc:Filter><ogc:And>
            <ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>18000</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>
            <ogc:PropertyIsLessThan><ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>19000</ogc:Literal></ogc:PropertyIsLessThan>
          </ogc:And></ogc:Filter>
          <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter></se:Fill></se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>autres</se:Name>
          <se:ElseFilter/>
          <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter></se:Fill></se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>noms</se:Name>
          <se:MaxScaleDenominator>50000</se:MaxScaleDenominator>
          <se:TextSymbolizer>
            <se:Label><ogc:PropertyName>nom</ogc:PropertyName></se:Label>
            <se:Font><se:SvgParameter name="font-family">Open Sans</se:SvgParameter><se:SvgParameter name="font-size">12</se:SvgParameter></se:Font>
          </se:TextSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
"""


def test_sld_import_then_getmap_colours_match(vw, source):
    proc = set_style(vw, COMMUNES_L, SLD, ext="sld", sld=True, expect_name="communes-sld")
    assert "font-family" in proc.stderr, proc.stderr
    f = Frame(source, 2154)
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, f.w, f.h, TRANSPARENT="TRUE"))
    want = {"45": (26, 150, 65), "18": (43, 131, 186)}
    for code in samples(source):
        p = f.inside_pixel(source["communes"][code][1])
        if p is None:
            continue
        got = tuple(int(v) for v in img[p[1], p[0], :3])
        assert got == want.get(code[:2], (253, 174, 97)), (code, got)
    # STYLES= the imported style's name selects it; an unknown one is an error.
    r = getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, 64, 64, styles="communes-sld")
    assert r.status_code == 200


def test_bad_sld_and_style_files_are_refused_by_name_and_reason(vw, tmp_path):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    cases = [
        ("bbox.sld", SLD.replace('<ogc:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">\n            '
                                 '<ogc:PropertyName>code</ogc:PropertyName><ogc:Literal>45*</ogc:Literal>\n          '
                                 '</ogc:PropertyIsLike>', "<ogc:BBOX><ogc:PropertyName>geom</ogc:PropertyName></ogc:BBOX>"),
         "BBOX"),
        ("broken.sld", SLD[:400], "not well-formed"),
        ("unclosed.sld", SLD[:SLD.index("<se:FeatureTypeStyle>")], "document ends inside"),
        ("xxe.sld", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    '<StyledLayerDescriptor>&e;</StyledLayerDescriptor>', "DOCTYPE"),
        ("unknown-field.sld", SLD.replace("<ogc:PropertyName>nom</ogc:PropertyName>",
                                          "<ogc:PropertyName>population</ogc:PropertyName>"), "unknown property 'population'"),
    ]
    assert "BBOX" in cases[0][1]
    for name, text, reason in cases:
        p = tmp_path / name
        p.write_text(text)
        proc = run_cli(["vector", "style", "--dataset", "admin", "--layer", "communes_centre_val_de_loire",
                        "--sld", str(p)], data_dir=vw["data"])
        assert proc.returncode != 0, describe_proc(proc, f"{name} was accepted")
        assert name in proc.stderr and reason in proc.stderr, describe_proc(proc, f"{name}: expected '{reason}'")
    p = tmp_path / "typo.toml"
    p.write_text('[[rule]]\nfil = "#ff0000"\n')
    proc = run_cli(["vector", "style", "--dataset", "admin", "--layer", "communes_centre_val_de_loire",
                    "--file", str(p)], data_dir=vw["data"])
    assert proc.returncode != 0 and "typo.toml" in proc.stderr and "rule[0].fil: unknown key" in proc.stderr, \
        describe_proc(proc)
    proc = run_cli(["vector", "style", "--dataset", "admin", "--layer", "nope", "--file", str(p)], data_dir=vw["data"])
    assert proc.returncode != 0 and "no published layer 'nope'" in proc.stderr, describe_proc(proc)
    # Nothing was stored: the layer keeps its style.
    time.sleep(1.5)
    L = layer_el(ET.fromstring(caps(vw).content), COMMUNES_L)
    assert L.find("wms:Style/wms:Name", NSX).text == "fill-red"


def test_unknown_style_and_reset(vw, source, tmp_path):
    set_style(vw, COMMUNES_L, FILL_STYLE, expect_name="fill-red")
    f = Frame(source, 2154, width=300)
    for styles in ("fancy", "default,extra"):
        r = getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, f.w, f.h, styles=styles)
        assert r.status_code == 200 and 'code="StyleNotDefined"' in r.text, (styles, r.text[:300])
        ok, out = helpers.validate_xml(r.content, tmp_path, "style-exc.xml")
        assert ok, out
    for styles in ("", "default", "fill-red"):
        assert getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, f.w, f.h, styles=styles).status_code == 200
    proc = run_cli(["vector", "style", "--dataset", "admin", "--layer", "communes_centre_val_de_loire", "--reset"],
                   data_dir=vw["data"])
    assert proc.returncode == 0, describe_proc(proc)
    wait_style(vw, COMMUNES_L, "default")
    # The default style of a polygon layer still draws every commune.
    img = image(getmap(vw, COMMUNES_L, "EPSG:2154", f.bbox, f.w, f.h, TRANSPARENT="TRUE"))
    p = next(q for q in (f.inside_pixel(source["communes"][c][1]) for c in samples(source)) if q)
    assert img[p[1], p[0], 3] > 0 and tuple(img[p[1], p[0], :3]) != FILL


# ==========================================================================
# Layers mixed with the orthophoto
# ==========================================================================

def test_ortho_and_vector_in_one_getmap(vw, rvb):
    set_style(vw, PATCH_L, 'name = "magenta"\n[[rule]]\nfill = "#ff00ff"\n', expect_name="magenta")
    bbox = rvb["bbox"]
    w = h = 252
    ortho = image(getmap(vw, "ign", "EPSG:2154", bbox, w, h))
    mixed = image(getmap(vw, f"ign,{PATCH_L}", "EPSG:2154", bbox, w, h))
    under = image(getmap(vw, f"{PATCH_L},ign", "EPSG:2154", bbox, w, h))
    x0, y0, x1, y1 = vw["patch"]
    cols = np.arange(w) * 0.2 + bbox[0] + 0.1
    rows = bbox[3] - (np.arange(h) * 0.2 + 0.1)
    X, Y = np.meshgrid(cols, rows)
    inside = (X > x0 + 0.5) & (X < x1 - 0.5) & (Y > y0 + 0.5) & (Y < y1 - 0.5)
    outside = (X < x0 - 0.5) | (X > x1 + 0.5) | (Y < y0 - 0.5) | (Y > y1 + 0.5)
    assert inside.sum() > 1000 and outside.sum() > 1000
    assert (mixed[inside][:, :3] == (255, 0, 255)).all(), "the vector fill is not drawn over the imagery"
    assert np.array_equal(mixed[outside], ortho[outside]), "the imagery changed where the vector layer is transparent"
    assert ortho[inside][:, :3].std() > 10, "control: the imagery under the patch is not uniform"
    # In the other order the opaque imagery covers the patch.
    # (Where the imagery itself is transparent, what is under shows.)
    opaque = image(getmap(vw, "ign", "EPSG:2154", bbox, w, h, TRANSPARENT="TRUE"))[..., 3] == 255
    assert (inside & opaque).sum() > 1000
    assert np.array_equal(under[inside & opaque], ortho[inside & opaque]), "the patch shows through the imagery"
    assert (under[inside & ~opaque][:, :3] == (255, 0, 255)).all()


# ==========================================================================
# Labels across layers: one placer per map, labels drawn above every layer
# ==========================================================================

COMMUNE_NAMES = ('name = "{name}"\n[[rule]]\ntitle = "Nom"\n'
                 'label = {{ field = "nom", size = 11, color = "#ff0000" }}\n')
DEPS_OPAQUE = ('name = "{name}"\n[[rule]]\ntitle = "Département"\nfill = "#c0c0c0"\n'
               '[[rule]]\ntitle = "Nom"\nlabel = {{ field = "nom", size = 40, color = "#0000ff" }}\n')


def dominant(img, channel):
    """Pixels where one colour channel outweighs both others by far: the
    text of a label written in that pure colour (red 0, blue 2), not the
    grey fill, not the transparent outside."""
    rgb = img[..., :3].astype(int)
    others = np.delete(rgb, channel, axis=2).max(axis=2)
    return (rgb[..., channel] - others > 100) & (img[..., 3] > 0)


def grown(mask, px=1):
    """`mask` dilated by `px` pixels (8-connected)."""
    h, w = mask.shape
    pad = np.pad(mask, px)
    out = np.zeros_like(mask)
    for dy in range(2 * px + 1):
        for dx in range(2 * px + 1):
            out |= pad[dy:dy + h, dx:dx + w]
    return out


def test_labels_of_two_layers_avoid_each_other_and_lie_above_an_opaque_upper_layer(vw, source):
    """Communes (names in red, no fill) under départements (opaque grey
    fill, names in blue, large). One GetMap of both must place the labels
    of both layers together: no red text touches blue text, the upper
    layer's labels are exactly those it has alone (it wins collisions, as
    in MapServer and GeoServer), and the red names show above the opaque
    grey. Control: the two layers drawn by separate GetMaps (the old
    behaviour, each layer placing and drawing its own labels) overlap, and
    composited in LAYERS order the grey fill hides the commune names."""
    set_style(vw, COMMUNES_L, COMMUNE_NAMES.format(name="names-red"), expect_name="names-red")
    set_style(vw, DEPS_L, DEPS_OPAQUE.format(name="grey-blue"), expect_name="grey-blue")
    f = Frame(source, 2154)
    args = ("EPSG:2154", f.bbox, f.w, f.h)
    communes = image(getmap(vw, COMMUNES_L, *args, TRANSPARENT="TRUE"))
    deps = image(getmap(vw, DEPS_L, *args, TRANSPARENT="TRUE"))
    both = image(getmap(vw, f"{COMMUNES_L},{DEPS_L}", *args, TRANSPARENT="TRUE"))

    red_alone, blue_alone = dominant(communes, 0), dominant(deps, 2)
    assert red_alone.sum() > 2000 and blue_alone.sum() > 2000, (red_alone.sum(), blue_alone.sum())
    # Control 1: placed separately, the two layers' labels collide.
    assert (red_alone & blue_alone).sum() > 50, "control: the labels of the two layers would not overlap"
    # Control 2: the upper layer's opaque fill covers nearly every commune name.
    covered = deps[..., 3] == 255
    assert (red_alone & covered).sum() > 0.9 * red_alone.sum()
    # (The communes layer draws nothing but names: over it, the départements'
    # image wins wherever it has paint.)
    layered = np.where(deps[..., 3:4] > 0, deps, communes)
    assert dominant(layered, 0).sum() < 0.1 * red_alone.sum(), "control: composited layer by layer, names stay visible"

    red, blue = dominant(both, 0), dominant(both, 2)
    assert not (grown(red) & blue).any(), "labels of the two layers overlap in one GetMap"
    assert np.array_equal(blue, blue_alone), "the upper layer's labels are not those it has alone"
    # The commune names are drawn above the opaque grey, fewer of them
    # (those colliding with a département's name are dropped).
    assert (red & covered).sum() > 1000, (red & covered).sum()
    assert red.sum() < red_alone.sum()
    # Where no label is, the map is the two layers composited.
    quiet = ~grown(red | blue | red_alone | blue_alone, 4)
    assert quiet.mean() > 0.5
    assert np.array_equal(both[quiet], layered[quiet])
