"""Named layer groups (`geocentre group set|list|remove`) in the WMS: one
name in LAYERS for several layers, drawn in order with their styles.

Data: the REAL communes and départements of Centre-Val de Loire (dataset
`admin`, the repository's data/); DERIVED, made here and labelled so: the REAL IGN RVB
tile's pixels georeferenced over Orléans (`derived.shifted_copy`, layer
`ortho`), so that imagery and communes share a map, and a rectangle inside
that tile (dataset `secret`, made members-only for the authorization test).

What is checked: the CLI and its refusals (each naming the input and the
reason, nothing stored); capabilities that validate (1.3.0 against the
official schema, 1.1.1 against its DTD) with the group as one named Layer
that does not list its members again (every Name unique); GetMap of a group byte-equal to GetMap of its members
listed (and mixed with other layers); a member the caller may not read left
out exactly as if it had not been listed (and a group of nothing readable
answering like an unknown layer); GetFeatureInfo and GetLegendGraphic
through a group.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import cluster
import derived
import helpers
from helpers import Server, describe_proc, ingest, run_cli

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
COMMUNES_L = "admin.communes_centre_val_de_loire"
DEPS_L = "admin.departements_centre_val_de_loire"
SECRET_L = "secret.patch"
WMS_NS = "http://www.opengis.net/wms"
NSX = {"wms": WMS_NS}
XLINK = "{http://www.w3.org/1999/xlink}href"
LEGEND_GAP = 8  # pixels between stacked legends (docs/configuration.md)

COMMUNES_STYLE = """name = "noms"
title = "Contours et noms"
[[rule]]
title = "Commune"
stroke = "#303030"
stroke-width = 1
[[rule]]
title = "Nom"
label = { field = "nom", size = 12, color = "#000000", halo = "#ffffff", halo-width = 1.5 }
"""
DEPS_STYLE = """name = "limites-dep"
[[rule]]
title = "Département"
stroke = "#d7191c"
stroke-width = 3
"""
SECRET_STYLE = 'name = "magenta"\n[[rule]]\ntitle = "Secret"\nfill = "#ff00ff"\n'


def ogr():
    from osgeo import ogr as _ogr
    _ogr.UseExceptions()
    return _ogr


def osr():
    from osgeo import osr as _osr
    _osr.UseExceptions()
    return _osr


def orleans_l93():
    """A point inside Orléans (REAL commune 45234), in Lambert-93."""
    ds = ogr().Open(str(COMMUNES))
    lyr = ds.GetLayer(0)
    lyr.SetAttributeFilter("code = '45234'")
    feat = lyr.GetNextFeature()  # kept: the geometry belongs to it
    g = feat.GetGeometryRef().Clone()
    src, dst = osr().SpatialReference(), osr().SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(2154)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr().OAMS_TRADITIONAL_GIS_ORDER)
    g.Transform(osr().CoordinateTransformation(src, dst))
    p = g.PointOnSurface()
    return p.GetX(), p.GetY()


def cli(gw, *args):
    return run_cli(list(args), data_dir=gw["data"])


def set_group(gw, name, *layers, title="Groupe"):
    proc = cli(gw, "group", "set", name, "--title", title, *layers)
    assert proc.returncode == 0, describe_proc(proc, f"group set {name}")
    return proc


def set_style(gw, layer, text):
    dataset, lname = layer.split(".", 1)
    p = gw["tmp"] / f"{lname}-{time.monotonic_ns()}.toml"
    p.write_text(text)
    proc = cli(gw, "vector", "style", "--dataset", dataset, "--layer", lname, "--file", p)
    assert proc.returncode == 0, describe_proc(proc, "vector style")


@pytest.fixture(scope="module")
def gw(geocentre_bin, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wms-groups")
    data = tmp / "data"
    x, y = orleans_l93()
    minx, miny, maxx, maxy = rvb["bbox"]
    # Whole metres keep the DERIVED copy on the 20 cm grid.
    dx, dy = round(x - minx), round(y - miny)
    tile = (minx + dx, miny + dy, maxx + dx, maxy + dy)
    src = tmp / "ortho-orleans.tif"
    derived.shifted_copy(rvb["path"], src, dx, dy)
    proc, _ = ingest(data, "ortho", 2021, [src])
    assert proc.returncode == 0, describe_proc(proc, "ortho ingest of the derived tile")
    proc = run_cli(["vector", "ingest", "--dataset", "admin", "--json", COMMUNES, DEPARTEMENTS], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the real admin layers")
    # DERIVED: a rectangle inside the tile.
    patch = (tile[0] + 10.0, tile[1] + 12.0, tile[0] + 30.0, tile[3] - 8.0)
    gpkg = tmp / "patch.gpkg"
    ds = ogr().GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    srs = osr().SpatialReference()
    srs.ImportFromEPSG(2154)
    lyr = ds.CreateLayer("patch", srs, ogr().wkbPolygon)
    lyr.CreateField(ogr().FieldDefn("nom", ogr().OFTString))
    f = ogr().Feature(lyr.GetLayerDefn())
    f.SetField("nom", "DERIVED secret patch")
    x0, y0, x1, y1 = patch
    f.SetGeometry(ogr().CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
    lyr.CreateFeature(f)
    ds = None
    proc = run_cli(["vector", "ingest", "--dataset", "secret", "--json", gpkg], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the derived patch")
    g = {"data": data, "tmp": tmp, "tile": tile, "patch": patch}
    set_style(g, COMMUNES_L, COMMUNES_STYLE)
    set_style(g, DEPS_L, DEPS_STYLE)
    set_style(g, SECRET_L, SECRET_STYLE)
    set_group(g, "plan", "ortho", COMMUNES_L, title="Plan de situation")
    set_group(g, "limites", COMMUNES_L, f"{DEPS_L}:limites-dep", title="Limites administratives")
    set_group(g, "imagerie", "ortho-2021", "ortho-dalles", title="Imagerie seule")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    g.update(srv=srv, base=srv.base_url)
    yield g
    srv.stop()


def wms(gw, **params):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", **params}
    return helpers.new_http().get(f"{gw['base']}/wms", params=q, timeout=120)


def getmap(gw, layers, bbox, w, h, styles="", **extra):
    return wms(gw, REQUEST="GetMap", LAYERS=layers, STYLES=styles, CRS="EPSG:2154",
               BBOX=",".join(repr(v) for v in bbox), WIDTH=str(w), HEIGHT=str(h),
               FORMAT=extra.pop("FORMAT", "image/png"), **extra)


def png(r):
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", (r.status_code, r.text[:500])
    return r.content


def pixels(content):
    return helpers.decode(content)[1]


def exception_code(r):
    # WMS exception reports are HTTP 200 (docs/conformance-choices.md).
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/xml"), \
        (r.status_code, r.text[:300])
    el = ET.fromstring(r.content).find("{http://www.opengis.net/ogc}ServiceException")
    return el.get("code"), el.text


def caps(gw, version="1.3.0"):
    r = wms(gw, REQUEST="GetCapabilities", VERSION=version)
    assert r.status_code == 200, r.text[:300]
    return r


def layer_el(root, name, ns=NSX):
    tag = "{%s}Layer" % WMS_NS if ns else "Layer"
    for L in root.iter(tag):
        n = L.find("wms:Name", ns) if ns else L.find("Name")
        if n is not None and n.text == name:
            return L
    return None


def children(L, ns=NSX):
    if ns:
        return [c.find("wms:Name", ns).text for c in L.findall("wms:Layer", ns)]
    return [c.find("Name").text for c in L.findall("Layer")]


def wait_caps(gw, pred, what, timeout=20):
    """Waits until the server (polling the catalog) serves capabilities
    for which pred(root) holds: every process of it, asked directly (with
    replicas, the next request may go to any of them)."""
    deadline = time.time() + timeout
    for p in gw["srv"].processes():
        while True:
            root = ET.fromstring(caps({**gw, "base": p.base_url}).content)
            if pred(root):
                break
            assert time.time() < deadline, f"the server never showed {what}"
            time.sleep(0.3)
    return root


def near(gw, margin=150.0):
    """A map around the DERIVED tile: imagery, the patch and commune edges."""
    t = gw["tile"]
    return (t[0] - margin, t[1] - margin, t[2] + margin, t[3] + margin), 500, 500


def around_orleans(gw):
    """30 km around the tile: commune outlines and names."""
    t = gw["tile"]
    cx, cy = (t[0] + t[2]) / 2, (t[1] + t[3]) / 2
    return (cx - 15000, cy - 10000, cx + 15000, cy + 10000), 600, 400


# ==========================================================================
# CLI
# ==========================================================================

def listed(gw):
    proc = cli(gw, "group", "list", "--json")
    assert proc.returncode == 0, describe_proc(proc)
    return {g["name"]: g for g in json.loads(proc.stdout)}


@pytest.fixture(autouse=True)
def groups_restored(gw):
    """Every test leaves the stored groups as it found them (the module's
    server is shared): groups a test added are removed, groups it changed or
    removed are set back, and the server is seen to drop the added ones."""
    before = listed(gw)
    yield
    after = listed(gw)
    added = sorted(set(after) - set(before))
    for name in added:
        proc = cli(gw, "group", "remove", name)
        assert proc.returncode == 0, describe_proc(proc, f"cleanup: group remove {name}")
    for name, g in before.items():
        if after.get(name) != g:
            members = [m["layer"] + (f":{m['style']}" if m["style"] else "") for m in g["members"]]
            extra = ["--abstract", g["abstract"]] if g.get("abstract") else []
            proc = cli(gw, "group", "set", name, "--title", g["title"], *extra, *members)
            assert proc.returncode == 0, describe_proc(proc, f"cleanup: group set {name}")
    assert listed(gw) == before, "cleanup did not restore the stored groups"
    if added:
        wait_caps(gw, lambda r: all(layer_el(r, n) is None for n in added), f"groups {added} removed")


def test_cli_set_list_replace_remove_and_refusals(gw):
    groups = listed(gw)
    assert [(m["layer"], m["style"]) for m in groups["limites"]["members"]] == \
        [(COMMUNES_L, None), (DEPS_L, "limites-dep")]
    assert groups["plan"]["title"] == "Plan de situation"
    text = cli(gw, "group", "list").stdout
    assert "plan — Plan de situation" in text and f"2. {DEPS_L} (style limites-dep)" in text, text

    # Replaced whole, atomically; then removed.
    set_group(gw, "essai", "ortho", DEPS_L, "--abstract", "Pour voir.")
    set_group(gw, "essai", DEPS_L)
    g = listed(gw)["essai"]
    assert [m["layer"] for m in g["members"]] == [DEPS_L] and g["abstract"] == ""
    proc = cli(gw, "group", "remove", "essai")
    assert proc.returncode == 0, describe_proc(proc)
    assert "essai" not in listed(gw)
    proc = cli(gw, "group", "remove", "essai")
    assert proc.returncode == 1 and "group 'essai': no such group" in proc.stderr, describe_proc(proc)

    before = listed(gw)
    refusals = [
        (["plan", COMMUNES_L, "admin.nope"], "member 'admin.nope': no such published layer"),
        (["plan", "ortho-1999"], "member 'ortho-1999': no such published layer"),
        (["ortho", COMMUNES_L], "group 'ortho': the name is taken by the orthophoto layer 'ortho'"),
        (["admin", "ortho"], "group 'admin': the name is taken by the vector dataset 'admin'"),
        (["double", "plan"], "member 'plan': it is a group, and groups do not nest"),
        (["plan", f"{COMMUNES_L}:fancy"], f"layer '{COMMUNES_L}' has no style 'fancy' (styles: default, noms)"),
        (["plan", "ortho:fancy"], "style 'fancy': orthophoto layers and dalle indexes have only the default style"),
        (["a.b", "ortho"], "group 'a.b': a name is made of letters"),
        (["plan-2024", "ortho"], "group 'plan-2024': a name is made of letters"),
        (["plan", "ortho:"], "'ortho:': give LAYER or LAYER:STYLE"),
    ]
    for args, reason in refusals:
        proc = cli(gw, "group", "set", args[0], "--title", "X", *args[1:])
        assert proc.returncode == 1, describe_proc(proc, f"{args} was accepted")
        assert reason in proc.stderr, describe_proc(proc, f"expected '{reason}'")
    # clap's own refusals: no title, no layer.
    for args in (["plan", "--title", "X"], ["plan", "ortho"]):
        proc = cli(gw, "group", "set", *args)
        assert proc.returncode == 2, describe_proc(proc, "clap should refuse a missing title or layer")
    assert listed(gw) == before, "a refused command changed the stored groups"


# ==========================================================================
# Capabilities
# ==========================================================================

def all_names(root, ns=NSX):
    tag = "{%s}Layer" % WMS_NS if ns else "Layer"
    found = [L.find("wms:Name", ns) if ns else L.find("Name") for L in root.iter(tag)]
    return [n.text for n in found if n is not None]


def test_capabilities_list_each_group_once_and_validate(gw, tmp_path):
    """A group is one named Layer without nested Layers (GeoServer's
    "single" groups): its members stay listed once, where they belong, so
    every Name is unique (WMS 1.3.0 §7.2.4.6.3) and no layer redeclares a
    style it inherits (§7.2.4.6.5)."""
    r = caps(gw)
    ok, out = helpers.validate_wms_capabilities_inspire(r.content, tmp_path, "caps-groups.xml")
    assert ok, out
    root = ET.fromstring(r.content)
    names = all_names(root)
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    plan, limites = layer_el(root, "plan"), layer_el(root, "limites")
    assert plan is not None and limites is not None
    assert plan.find("wms:Title", NSX).text == "Plan de situation"
    for g in ("plan", "limites", "imagerie"):
        assert children(layer_el(root, g)) == [], f"group {g} nests layers"
    # Its members, listed once elsewhere; the abstract names them in order.
    assert names.count(COMMUNES_L) == 1 and names.count("ortho") == 1
    assert f"{COMMUNES_L}, {DEPS_L}" in limites.find("wms:Abstract", NSX).text
    assert plan.get("queryable") == "1"
    # The group's box holds its members'.
    box = lambda L: [float(L.find(f"wms:EX_GeographicBoundingBox/wms:{k}", NSX).text)  # noqa: E731
                     for k in ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]
    g = box(limites)
    for m in (COMMUNES_L, DEPS_L):
        b = box(layer_el(root, m))
        assert g[0] <= b[0] and g[1] <= b[1] and g[2] >= b[2] and g[3] >= b[3]
    assert {b.get("CRS") for b in limites.findall("wms:BoundingBox", NSX)} >= {"EPSG:2154", "EPSG:3857", "EPSG:4326"}
    # The member keeps its own style where it is listed; the dataset above
    # it declares none, so nothing is redeclared.
    assert layer_el(root, DEPS_L).find("wms:Style/wms:Name", NSX).text == "limites-dep"
    assert layer_el(root, "admin").find("wms:Style", NSX) is None
    assert_no_style_redeclared(root)
    # A legend for the group: its vector layers' legends stacked.
    lg = limites.find("wms:Style/wms:LegendURL", NSX)
    assert lg is not None and "LAYER=limites" in lg.find("wms:OnlineResource", NSX).get(XLINK)
    assert layer_el(root, "imagerie").find("wms:Style/wms:LegendURL", NSX) is None

    # 1.1.1 against its DTD (the catalog maps the DTD's address to the local copy).
    r = caps(gw, "1.1.1")
    p = tmp_path / "caps111.xml"
    p.write_bytes(r.content)
    env = helpers.child_env({"XML_CATALOG_FILES": str(helpers.SCHEMAS / "catalog.xml")})
    v = subprocess.run(["xmllint", "--noout", "--valid", "--nonet", str(p)], capture_output=True, text=True,
                       env=env, timeout=60)
    assert v.returncode == 0, v.stderr[:3000]
    root = ET.fromstring(r.content)
    assert children(layer_el(root, "plan", ns=None), ns=None) == []
    names = all_names(root, ns=None)
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def assert_no_style_redeclared(root):
    """No Layer declares a Style name one of its ancestors declares."""
    def walk(L, inherited):
        own = [s.text for s in L.findall("wms:Style/wms:Name", NSX)]
        again = set(own) & inherited
        name = L.find("wms:Name", NSX)
        assert not again, f"layer {name.text if name is not None else '(root)'} redeclares {again}"
        for c in L.findall("wms:Layer", NSX):
            walk(c, inherited | set(own))
    walk(root.find("wms:Capability/wms:Layer", NSX), set())


# ==========================================================================
# GetMap
# ==========================================================================

def test_getmap_of_a_group_is_the_getmap_of_its_members(gw):
    for bbox, w, h in (near(gw), around_orleans(gw)):
        group = png(getmap(gw, "plan", bbox, w, h))
        members = png(getmap(gw, f"ortho,{COMMUNES_L}", bbox, w, h))
        assert group == members, f"LAYERS=plan differs from LAYERS=ortho,{COMMUNES_L} at {bbox}"
        # Control: both members draw something there.
        assert group != png(getmap(gw, "ortho", bbox, w, h))
        assert group != png(getmap(gw, COMMUNES_L, bbox, w, h))
    # Member styles, mixed with other layers, STYLES=default for the group,
    # TIME passed to the imagery, transparency: as if listed.
    bbox, w, h = around_orleans(gw)
    mixed = png(getmap(gw, "ortho,limites", bbox, w, h, styles=",default", TRANSPARENT="TRUE"))
    assert mixed == png(getmap(gw, f"ortho,{COMMUNES_L},{DEPS_L}", bbox, w, h, styles=",,limites-dep",
                               TRANSPARENT="TRUE"))
    bbox, w, h = near(gw)
    assert png(getmap(gw, "plan", bbox, w, h, TIME="2021")) == \
        png(getmap(gw, f"ortho,{COMMUNES_L}", bbox, w, h, TIME="2021"))
    assert png(getmap(gw, "imagerie", bbox, w, h)) == png(getmap(gw, "ortho-2021,ortho-dalles", bbox, w, h))
    # Labels of the group's layers are placed once, above all of them.
    bbox, w, h = around_orleans(gw)
    img = pixels(png(getmap(gw, "limites", bbox, w, h, TRANSPARENT="TRUE")))
    assert ((img[..., :3] < 40).all(axis=2) & (img[..., 3] > 200)).sum() > 200, "no commune name drawn"

    code, msg = exception_code(getmap(gw, "plan", *near(gw), styles="fancy"))
    assert code == "StyleNotDefined" and "layer group 'plan' has no style 'fancy'" in msg, msg
    code, msg = exception_code(getmap(gw, "plan", *near(gw), TIME="1999"))
    assert code == "InvalidDimensionValue", msg
    code, msg = exception_code(getmap(gw, "nope", *near(gw)))
    assert code == "LayerNotDefined", msg


def test_groups_follow_the_catalog(gw):
    """A group set while the server runs is served at the next poll; a
    removed one is an unknown layer."""
    bbox, w, h = near(gw)
    set_group(gw, "passager", DEPS_L, "ortho")
    wait_caps(gw, lambda r: layer_el(r, "passager") is not None, "group passager")
    assert png(getmap(gw, "passager", bbox, w, h)) == png(getmap(gw, f"{DEPS_L},ortho", bbox, w, h))
    assert cli(gw, "group", "remove", "passager").returncode == 0
    wait_caps(gw, lambda r: layer_el(r, "passager") is None, "group passager removed")
    assert exception_code(getmap(gw, "passager", bbox, w, h))[0] == "LayerNotDefined"


# ==========================================================================
# GetFeatureInfo and GetLegendGraphic
# ==========================================================================

def gfi(gw, layers, query, bbox, w, h, i, j, count=5):
    r = wms(gw, REQUEST="GetFeatureInfo", LAYERS=layers, QUERY_LAYERS=query, STYLES="", CRS="EPSG:2154",
            BBOX=",".join(repr(v) for v in bbox), WIDTH=str(w), HEIGHT=str(h), I=str(i), J=str(j),
            INFO_FORMAT="application/json", FEATURE_COUNT=str(count))
    assert r.status_code == 200, r.text[:500]
    return r.json()


def test_getfeatureinfo_through_a_group(gw):
    bbox, w, h = around_orleans(gw)
    # The centre: inside the DERIVED tile, inside Orléans, in the Loiret.
    i, j = w // 2, h // 2
    got = gfi(gw, "limites", "limites", bbox, w, h, i, j)
    codes = sorted(f["properties"]["code"] for f in got["features"])
    assert codes == ["45", "45234"], codes
    assert got == gfi(gw, f"{COMMUNES_L},{DEPS_L}", f"{COMMUNES_L},{DEPS_L}", bbox, w, h, i, j)
    # Imagery and vector members together: the dalle and the commune.
    bbox, w, h = near(gw)
    got = gfi(gw, "plan", "plan", bbox, w, h, w // 2, h // 2)
    ids = [f["id"] for f in got["features"]]
    assert any("ortho-orleans.tif" in i for i in ids) and any(i.startswith(COMMUNES_L) for i in ids), ids
    # A member queried by its own name within the group's map; the group
    # queried without being drawn is refused.
    assert gfi(gw, "plan", COMMUNES_L, bbox, w, h, w // 2, h // 2)["features"]
    r = wms(gw, REQUEST="GetFeatureInfo", LAYERS=DEPS_L, QUERY_LAYERS="plan", STYLES="", CRS="EPSG:2154",
            BBOX=",".join(repr(v) for v in bbox), WIDTH=str(w), HEIGHT=str(h), I="1", J="1",
            INFO_FORMAT="application/json")
    assert exception_code(r)[0] == "LayerNotQueryable"


def test_legend_of_a_group_stacks_its_layers_legends(gw, tmp_path):
    def legend(layer, **extra):
        r = wms(gw, REQUEST="GetLegendGraphic", LAYER=layer, FORMAT="image/png", **extra)
        return pixels(png(r))

    group = legend("limites")
    a, b = legend(COMMUNES_L), legend(DEPS_L)
    assert group.shape[0] == a.shape[0] + LEGEND_GAP + b.shape[0]
    assert group.shape[1] == max(a.shape[1], b.shape[1])
    assert np.array_equal(group[:a.shape[0], :a.shape[1]], a)
    assert np.array_equal(group[a.shape[0] + LEGEND_GAP:, :b.shape[1]], b)
    assert (group[a.shape[0]:a.shape[0] + LEGEND_GAP, :, :3] == 255).all(), "the gap is the background"
    # The capabilities announce that size; the imagery adds nothing.
    lg = layer_el(ET.fromstring(caps(gw).content), "limites").find("wms:Style/wms:LegendURL", NSX)
    assert (int(lg.get("width")), int(lg.get("height"))) == (group.shape[1], group.shape[0])
    assert np.array_equal(legend("plan"), a)
    # SCALE and the swatch size apply to every layer's legend.
    small = legend("limites", WIDTH="40", HEIGHT="30")
    assert small.shape[0] > group.shape[0]
    for params, code in (({"LAYER": "limites", "RULE": "x"}, "InvalidParameterValue"),
                         ({"LAYER": "limites", "STYLE": "fancy"}, "StyleNotDefined"),
                         ({"LAYER": "imagerie"}, "LayerNotDefined")):
        r = wms(gw, REQUEST="GetLegendGraphic", FORMAT="image/png", **params)
        assert exception_code(r)[0] == code, (params, r.text[:300])
        ok, out = helpers.validate_xml(r.content, tmp_path, "legend-exc.xml")
        assert ok, out


# ==========================================================================
# Authorization
# ==========================================================================

def set_access(gw, dataset, access):
    """Sets a dataset's access level in the catalog (no command sets it yet)
    and bumps the generation so that the server reloads its snapshot."""
    assert re.fullmatch(r"[a-z_]+", access) and re.fullmatch(r"[a-z_]+", dataset), (access, dataset)
    n = len(cluster.catalog_query(gw["data"], f"UPDATE vector_datasets SET access = '{access}' "
                                              f"WHERE name = '{dataset}' RETURNING name"))
    cluster.catalog_query(gw["data"], "UPDATE catalog_state SET generation = generation + 1 WHERE id = 1")
    assert n == 1


def test_a_member_the_caller_may_not_read_is_left_out(gw):
    bbox, w, h = near(gw)
    set_group(gw, "avec-secret", "ortho", SECRET_L, COMMUNES_L)
    set_group(gw, "que-secret", SECRET_L)
    wait_caps(gw, lambda r: layer_el(r, "que-secret") is not None, "the new groups")
    public = png(getmap(gw, "avec-secret", bbox, w, h))
    # Control: while public, the patch is drawn (magenta), as listed.
    assert public == png(getmap(gw, f"ortho,{SECRET_L},{COMMUNES_L}", bbox, w, h))
    assert public != png(getmap(gw, f"ortho,{COMMUNES_L}", bbox, w, h))
    assert ((pixels(public)[..., :3] == (255, 0, 255)).all(axis=2)).sum() > 500
    try:
        set_access(gw, "secret", "members")
        wait_caps(gw, lambda r: layer_el(r, SECRET_L) is None, "secret.patch hidden")
        # Listed directly, the anonymous caller is told it does not exist...
        code, msg = exception_code(getmap(gw, SECRET_L, bbox, w, h))
        assert code == "LayerNotDefined", msg
        # ...and through the group it is left out, exactly as if not listed.
        hidden = png(getmap(gw, "avec-secret", bbox, w, h))
        assert hidden == png(getmap(gw, f"ortho,{COMMUNES_L}", bbox, w, h))
        assert ((pixels(hidden)[..., :3] == (255, 0, 255)).all(axis=2)).sum() == 0
        # A group of nothing readable answers like an unknown name.
        code, msg = exception_code(getmap(gw, "que-secret", bbox, w, h))
        assert (code, msg) == ("LayerNotDefined", "unknown layer 'que-secret'"), msg
        root = ET.fromstring(caps(gw).content)
        assert "ortho, admin.communes_centre_val_de_loire." in \
            layer_el(root, "avec-secret").find("wms:Abstract", NSX).text
        assert layer_el(root, "que-secret") is None
        assert SECRET_L not in caps(gw).text and SECRET_L not in caps(gw, "1.1.1").text
        got = gfi(gw, "avec-secret", "avec-secret", bbox, w, h, w // 2, h // 2, count=50)
        assert not any(f["id"].startswith("secret.") for f in got["features"]), got
        # The administrator may still put a members-only layer in a group.
        set_group(gw, "que-secret", SECRET_L, title="Toujours accepté")
    finally:
        set_access(gw, "secret", "public")
