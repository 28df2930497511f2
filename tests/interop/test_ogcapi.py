"""OGC API – Features at /ogcapi, on a module server with its own data dir.

Data (ingested with `geocentre vector ingest --json` before the server starts):
  * dataset `admin`   REAL: data/admin communes (1776 polygons and
                      multipolygons, WGS84 GeoJSON) and départements;
  * dataset `pcrs`    REAL: the PCRS v2 Lyon extract (GML, EPSG:3946, 3D, curve
                      polygons, geometry-less feature classes), one collection
                      per feature class (`pcrs.FacadePCRS`, ...);
  * dataset `derived` DERIVED, written here at test time: `noms-speciaux.geojson`,
                      29 points whose `nom` is an SQL/LIKE/GLOB/HTML
                      metacharacter string (`O'Brien`, `' OR 1=1 --`, `%`, `_`...).

Expected values always come from the source files read with OGR (or, for the
derived file, from the list written here), never from the server. Clients:
GDAL/OGR's OAPIF driver, OWSLib's `owslib.ogcapi.features.Features`, requests,
Python's html.parser.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

ADMIN_DIR = helpers.DATA / "admin"
COMMUNES_SRC = ADMIN_DIR / "communes-centre-val-de-loire.geojson"
DEPTS_SRC = ADMIN_DIR / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"

COMMUNES = "admin.communes_centre_val_de_loire"
DEPTS = "admin.departements_centre_val_de_loire"
NOMS = "derived.noms_speciaux"
DERIVED_TITLE = '<i>Noms "spéciaux" & Cie</i>'

CONF = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
PROBLEM = "application/problem+json"

# DERIVED: every value must come back alone when used as a `nom=` literal.
# LIKE (`%`, `_`), GLOB (`*`, `?`, `[a]`), quotes, comments, backslashes, case
# (`abc`/`Abc`), percent-encoding (`%25`), `+`, HTML and non-ASCII.
ODD_NAMES = [
    "O'Brien", "O''Brien", "' OR 1=1 --", "' OR '1'='1", "%", "_", "x", "a%", "a_c", "abc", "Abc",
    "\\", "\\'", '"; DROP TABLE x; --', "Robert'); DROP TABLE communes; --", "*", "?", "[a]", "a*",
    "NULL", "a b", "a+b", "%25", "<script>alert(1)</script>", "a&b=c", "Orléans", "日本語", " espace",
    "tiret-",
]

# A bbox in the communes where "feature bbox intersects" and "geometry
# intersects" select different sets (31 vs 30 communes), and one where they agree.
BBOX_AMBIGUOUS = (1.8, 47.8, 2.0, 48.0)
BBOX_CLEAN = (1.85, 47.85, 1.95, 47.95)

DEG_TOL = 1e-7  # ~1 cm


# --------------------------------------------------------------------------
# OGR helpers
# --------------------------------------------------------------------------

def ogr():
    from osgeo import ogr as _o
    _o.UseExceptions()
    return _o


def srs(epsg):
    from osgeo import osr
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def to_wgs84(geom, epsg):
    """Clone of geom (in EPSG:epsg, x/y order) reprojected to lon/lat."""
    from osgeo import osr
    g = geom.Clone()
    if epsg != 4326:
        g.Transform(osr.CoordinateTransformation(srs(epsg), srs(4326)))
    return g


def vertices(geom):
    """2D vertices of a (multi)point/line/polygon, parts in order."""
    out = []
    n = geom.GetGeometryCount()
    if n:
        for i in range(n):
            part = geom.GetGeometryRef(i)
            out.extend(vertices(part))
    else:
        out.extend((p[0], p[1]) for p in (geom.GetPoints() or []))
    return out


def read_source(path):
    """{layer name: [(properties dict, geometry clone or None, fid)]} of a source file."""
    o = ogr()
    ds = o.Open(str(path))
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        rows = []
        for f in lyr:
            g = f.GetGeometryRef()
            rows.append((f.items(), g.Clone() if g is not None else None, f.GetFID()))
        out[lyr.GetName()] = rows
    return out


def env_intersects(env, b):
    """OGR envelope (minx, maxx, miny, maxy) intersects b (minx, miny, maxx, maxy)."""
    return env[0] <= b[2] and env[1] >= b[0] and env[2] <= b[3] and env[3] >= b[1]


def rect(b):
    o = ogr()
    return o.CreateGeometryFromWkt(
        f"POLYGON(({b[0]} {b[1]},{b[2]} {b[1]},{b[2]} {b[3]},{b[0]} {b[3]},{b[0]} {b[1]}))")


def bbox_selections(rows, key, b):
    """(codes whose geometry's bbox intersects b, codes whose geometry intersects b)."""
    r = rect(b)
    by_env, exact = set(), set()
    for props, g, _ in rows:
        if g is None:
            continue
        if env_intersects(g.GetEnvelope(), b):
            by_env.add(props[key])
        if g.Intersects(r):
            exact.add(props[key])
    return by_env, exact


def shrink(b, d):
    return (b[0] + d, b[1] + d, b[2] - d, b[3] - d)


# --------------------------------------------------------------------------
# HTTP helpers
# --------------------------------------------------------------------------

def ctype(r):
    return r.headers.get("Content-Type", "").split(";")[0].strip()


def req_desc(r):
    return f"GET {r.request.url}\n-> HTTP {r.status_code} {r.headers.get('Content-Type')}\n{r.text[:1500]}"


def get_json(srv, path, params=None, want=200, want_type=None, **kw):
    r = srv.get(path, params=params, **kw)
    assert r.status_code == want, req_desc(r)
    if want_type:
        assert ctype(r) == want_type, req_desc(r)
    return r.json()


def assert_problem(r, status):
    assert r.status_code == status, req_desc(r)
    assert ctype(r) == PROBLEM, f"not {PROBLEM}\n{req_desc(r)}"
    doc = r.json()
    assert isinstance(doc, dict) and doc.get("status") == status and doc.get("title"), req_desc(r)
    return doc


def link(doc, rel, type_=None):
    ls = [lk for lk in doc.get("links", []) if lk.get("rel") == rel
          and (type_ is None or lk.get("type") == type_)]
    return ls[0] if ls else None


def qs(href):
    return {k: v[-1] for k, v in parse_qs(urlsplit(href).query, keep_blank_values=True).items()}


def follow_chain(srv, path, params, max_pages=200):
    """All pages of an items query, following `next` links (GeoJSON ones)."""
    first = srv.get(path, params=params)
    assert first.status_code == 200 and ctype(first) == "application/geo+json", req_desc(first)
    pages, seen = [first.json()], {first.url}
    while True:
        nxt = link(pages[-1], "next", "application/geo+json") or link(pages[-1], "next")
        if nxt is None:
            return pages
        p = pages[-1]
        assert nxt["href"] not in seen and len(pages) < max_pages, (
            f"next links loop: page {len(pages)} (self {link(p, 'self')['href']}, numberMatched "
            f"{p['numberMatched']}, numberReturned {p['numberReturned']}) links next to {nxt['href']}, "
            f"already visited")
        seen.add(nxt["href"])
        r = srv.http.get(nxt["href"], timeout=60)
        assert r.status_code == 200, f"following next link\n{req_desc(r)}"
        pages.append(r.json())


def all_items(srv, cid, **params):
    params.setdefault("limit", 10000)
    doc = get_json(srv, f"/ogcapi/collections/{cid}/items", params=params, want_type="application/geo+json")
    assert doc["numberReturned"] == len(doc["features"]) == doc["numberMatched"], \
        f"{cid} {params}: numberMatched {doc['numberMatched']}, numberReturned {doc['numberReturned']}, " \
        f"{len(doc['features'])} features"
    return doc["features"]


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Tag balance, <html lang>, links, table cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags = [], [], Counter()
        self.lang, self.hrefs, self.rows, self.title = None, [], [], ""
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}> "
                               f"at {self.getpos()}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self.stack and self.stack[-1] == "title":
            self.title += data


def parse_html(r):
    assert r.status_code == 200, req_desc(r)
    assert ctype(r) == "text/html", f"not text/html\n{req_desc(r)}"
    p = Page()
    p.feed(r.text)
    p.close()
    where = r.request.url
    assert not p.errors, f"{where}: unbalanced tags: {p.errors[:5]}"
    assert not p.stack, f"{where}: unclosed elements {p.stack}"
    assert p.tags["html"] == 1 and p.tags["head"] == 1 and p.tags["body"] == 1, f"{where}: {dict(p.tags)}"
    assert p.lang == "fr", f"{where}: <html lang={p.lang!r}>"
    assert p.title.strip(), f"{where}: empty <title>"
    return p


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------

def vector_ingest(data_dir, dataset, paths, extra=()):
    proc = run_cli(["vector", "ingest", "--dataset", dataset, *extra, "--json", *paths],
                   data_dir=data_dir, timeout=300)
    assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {dataset} failed")
    rep = parse_single_json(proc)
    assert rep.get("status") == "published", describe_proc(proc, "dataset not published")
    return rep


@pytest.fixture(scope="module")
def oapif(geocentre_bin, tmp_path_factory):
    for p in (COMMUNES_SRC, DEPTS_SRC, PCRS_SRC):
        if not p.is_file():
            pytest.fail(f"real data not found at {p} (the repository carries it under data/)", pytrace=False)
    root = tmp_path_factory.mktemp("ogcapi")
    data = root / "data"
    data.mkdir()
    # DERIVED: points named with metacharacters, `n` = 1-based position.
    derived = root / "noms-speciaux.geojson"
    derived.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": n, "n": i + 1},
         "geometry": {"type": "Point", "coordinates": [1.9 + 0.001 * i, 47.9]}}
        for i, n in enumerate(ODD_NAMES)]}, ensure_ascii=False), encoding="utf-8")
    reports = {
        "admin": vector_ingest(data, "admin", [COMMUNES_SRC, DEPTS_SRC]),
        "pcrs": vector_ingest(data, "pcrs", [PCRS_SRC]),
        "derived": vector_ingest(data, "derived", [derived], extra=["--title", DERIVED_TITLE]),
    }
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield SimpleNamespace(srv=srv, base=srv.base_url + "/ogcapi", reports=reports, root=root)
    srv.stop()


@pytest.fixture(scope="module")
def src():
    """REAL sources read with OGR."""
    s = SimpleNamespace()
    s.communes = read_source(COMMUNES_SRC)["communes-centre-val-de-loire"]
    s.depts = read_source(DEPTS_SRC)["departements-centre-val-de-loire"]
    s.pcrs = read_source(PCRS_SRC)
    return s


@pytest.fixture(scope="module")
def oapif_ds(oapif):
    from osgeo import gdal
    gdal.UseExceptions()
    # 250 per page: the 1776 communes come back through 8 `next` links.
    ds = gdal.OpenEx(f"OAPIF:{oapif.base}", gdal.OF_VECTOR, open_options=["PAGE_SIZE=250"])
    assert ds is not None, f"GDAL OAPIF cannot open {oapif.base}"
    return ds


# --------------------------------------------------------------------------
# Landing page, conformance, collections
# --------------------------------------------------------------------------

def test_landing_and_conformance(oapif):
    srv = oapif.srv
    doc = get_json(srv, "/ogcapi", want_type="application/json")
    rels = {lk["rel"] for lk in doc["links"]}
    assert {"self", "alternate", "conformance", "data"} <= rels, doc["links"]
    for lk in doc["links"]:
        r = srv.http.get(lk["href"], timeout=60)
        assert r.status_code == 200, f"landing link {lk}\n{req_desc(r)}"
        if lk.get("type"):
            assert ctype(r) == lk["type"].split(";")[0].strip(), f"landing link {lk}: served as {ctype(r)}"
    assert link(doc, "data")["href"].rstrip("/").endswith("/ogcapi/collections"), doc["links"]
    conf = get_json(srv, "/ogcapi/conformance", want_type="application/json")
    assert {CONF + "core", CONF + "geojson", CONF + "html"} <= set(conf["conformsTo"]), conf


def expected_collections(oapif):
    return {f"{ds}.{lyr['name']}": lyr for ds, rep in oapif.reports.items() for lyr in rep["layers"]}


def test_layer_names_follow_file_stems_and_feature_classes(oapif, src):
    want = {COMMUNES, DEPTS, NOMS} | {f"pcrs.{name}" for name in src.pcrs}
    assert set(expected_collections(oapif)) == want, sorted(expected_collections(oapif))


def test_collections_list_and_metadata(oapif, src):
    srv = oapif.srv
    want = expected_collections(oapif)
    doc = get_json(srv, "/ogcapi/collections", want_type="application/json")
    got = {c["id"]: c for c in doc["collections"]}
    assert set(got) == set(want), f"collections {sorted(got)} != ingested layers {sorted(want)}"
    assert link(doc, "self"), doc.get("links")
    for cid, lyr in want.items():
        one = get_json(srv, f"/ogcapi/collections/{cid}", want_type="application/json")
        assert one["id"] == cid, one
        assert one.get("itemType", "feature") == "feature", one
        assert link(one, "self") and link(one, "items"), one["links"]
        items_href = link(one, "items", "application/geo+json") or link(one, "items")
        assert urlsplit(items_href["href"]).path.endswith(f"/ogcapi/collections/{cid}/items"), items_href
        # Layers with geometry carry their CRS; geometry-less feature classes
        # (srid 0 in the ingest report; the PCRS has some) have no spatial extent.
        if lyr["srid"]:
            assert one["storageCrs"].rstrip("/").endswith(f"/EPSG/0/{lyr['srid']}"), (cid, one["storageCrs"])
            assert one["extent"]["spatial"]["bbox"], (cid, one["extent"])
        else:
            assert "spatial" not in one.get("extent", {}), (cid, one["extent"])
            assert "storageCrs" not in one, (cid, one["storageCrs"])
    # Both kinds are present, so both branches above ran.
    kinds = {bool(lyr["srid"]) for lyr in want.values()}
    assert kinds == {True, False}, {cid: lyr["srid"] for cid, lyr in want.items()}
    # storage CRS from the sources themselves
    assert got[COMMUNES]["storageCrs"].endswith("/EPSG/0/4326"), got[COMMUNES]
    assert got["pcrs.FacadePCRS"]["storageCrs"].endswith("/EPSG/0/3946"), got["pcrs.FacadePCRS"]


@pytest.mark.parametrize("cid", [COMMUNES, DEPTS, "pcrs.FacadePCRS", "pcrs.AffleurantEnveloppePCRS",
                                 "pcrs.ArbrePCRS", "pcrs.EmpriseEchangePCRS"])
def test_collection_extent_is_the_source_extent_in_crs84(oapif, src, cid):
    """extent.spatial.bbox contains the source geometries (curves linearized, then
    reprojected to lon/lat with OGR) and is no more than a few metres larger (reprojecting
    the EPSG:3946 bbox instead of the geometries adds ~1 m on the 50 m PCRS extract:
    the grid is rotated by ~1.35 degrees there)."""
    if cid.startswith("pcrs."):
        rows, epsg = src.pcrs[cid.split(".", 1)[1]], 3946
    else:
        rows, epsg = (src.communes if cid == COMMUNES else src.depts), 4326
    xs, ys = [], []
    for _, g, _ in rows:
        if g is None:
            continue
        lin = to_wgs84(g.GetLinearGeometry() if g.HasCurveGeometry() else g, epsg)
        for x, y in vertices(lin):
            xs.append(x)
            ys.append(y)
    want = (min(xs), min(ys), max(xs), max(ys))
    doc = get_json(oapif.srv, f"/ogcapi/collections/{cid}")
    sp = doc["extent"]["spatial"]
    assert sp.get("crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84").endswith("/OGC/1.3/CRS84"), sp
    bb = sp["bbox"][0]
    e = 1e-9
    assert bb[0] <= want[0] + e and bb[1] <= want[1] + e and bb[2] >= want[2] - e and bb[3] >= want[3] - e, \
        f"{cid}: extent {bb} does not contain the data {want}"
    assert all(abs(a - b) < 4e-5 for a, b in zip(bb, want)), f"{cid}: extent {bb} far from the data {want}"


@pytest.mark.parametrize("name", ["AffleurantPCRS", "AffleurantGeometriquePCRS"])
def test_geometryless_collection_does_not_claim_null_island(oapif, src, name):
    """These PCRS feature classes have no geometry at all (checked on the source):
    a spatial extent, if any, must not be the point (0, 0) - clients zoom there."""
    assert all(g is None for _, g, _ in src.pcrs[name]), f"{name} has geometries in the source"
    doc = get_json(oapif.srv, f"/ogcapi/collections/pcrs.{name}")
    bboxes = ((doc.get("extent") or {}).get("spatial") or {}).get("bbox") or []
    assert not any(list(b) == [0, 0, 0, 0] for b in bboxes), \
        f"GET /ogcapi/collections/pcrs.{name} -> extent.spatial.bbox {bboxes} for a layer without geometries"
    # and its items come back, without geometry
    feats = all_items(oapif.srv, f"pcrs.{name}")
    assert len(feats) == len(src.pcrs[name]) and all(f["geometry"] is None for f in feats)


# --------------------------------------------------------------------------
# GDAL/OGR OAPIF round trip
# --------------------------------------------------------------------------

def served_by_key(ds, cid, key):
    lyr = ds.GetLayerByName(cid)
    assert lyr is not None, f"OAPIF driver does not list {cid}"
    out = {}
    for f in lyr:
        g = f.GetGeometryRef()
        k = f[key]
        assert k not in out, f"{cid}: {key}={k} served twice"
        out[k] = (f.items(), g.Clone() if g is not None else None, lyr.GetLayerDefn())
    return lyr, out


@pytest.mark.parametrize("cid,which", [(COMMUNES, "communes"), (DEPTS, "depts")])
def test_gdal_oapif_round_trip_admin(oapif_ds, src, cid, which):
    rows = getattr(src, which)
    lyr, served = served_by_key(oapif_ds, cid, "code")
    assert len(served) == len(rows), f"{cid}: {len(served)} features through OAPIF, source has {len(rows)}"
    assert lyr.GetFeatureCount() == len(rows)
    problems = []
    for props, g, _ in rows:
        code = props["code"]
        if code not in served:
            problems.append(f"code {code} missing")
            continue
        sp, sg, _ = served[code]
        if sp != props:
            problems.append(f"code {code}: properties {sp} != source {props}")
        if sg is None:
            problems.append(f"code {code}: no geometry")
            continue
        # A layer mixing polygons and multipolygons is stored (and served)
        # as multipolygons: a one-part multipolygon is the source polygon.
        promoted = ("MULTI" + g.GetGeometryName() == sg.GetGeometryName()
                    and sg.GetGeometryCount() == 1)
        if sg.GetGeometryType() != g.GetGeometryType() and not promoted:
            problems.append(f"code {code}: {sg.GetGeometryName()} != source {g.GetGeometryName()}")
        area = g.GetArea()
        sym = g.SymDifference(sg).GetArea()
        if sym > 1e-9 * area:
            problems.append(f"code {code}: symmetric difference {sym / area:.2e} of the area")
        c0, c1 = g.Centroid(), sg.Centroid()
        if c0.Distance(c1) > DEG_TOL:
            problems.append(f"code {code}: centroid moved by {c0.Distance(c1):.2e} deg")
    assert not problems, f"{len(problems)} problem(s): " + "\n".join(problems[:15])


def norm_served_value(defn, name, value):
    # GDAL's GeoJSON reader types "2019-12-31" as a Date and returns "2019/12/31".
    i = defn.GetFieldIndex(name)
    if value is not None and i >= 0 and defn.GetFieldDefn(i).GetTypeName() == "Date":
        return value.replace("/", "-")
    return value


def curve_mismatch(curved, epsg, served):
    """None if the served (lon/lat, linear) polygon follows the source curve polygon
    (in EPSG:epsg): its vertices on the curve, the curve's own points (arc control
    points included) on it, within DEG_TOL, same area. The arcs are circles in the
    source's projected CRS: they are linearized there (OGR) and then reprojected;
    an arc linearized after reprojection to degrees is another curve (up to 12 %
    of the area on these manholes)."""
    o = ogr()
    if o.GT_Flatten(served.GetGeometryType()) not in (o.wkbPolygon, o.wkbCurvePolygon):
        return f"curve polygon served as {served.GetGeometryName()}"
    lin = to_wgs84(curved.GetLinearGeometry(), epsg)
    lin.FlattenTo2D()
    curved = to_wgs84(curved, epsg)
    sg = served.GetLinearGeometry() if served.HasCurveGeometry() else served.Clone()
    sg.FlattenTo2D()
    lin_b, sg_b = lin.Boundary(), sg.Boundary()
    far = max(lin_b.Distance(o.CreateGeometryFromWkt(f"POINT({x} {y})")) for x, y in vertices(sg))
    back = max(sg_b.Distance(o.CreateGeometryFromWkt(f"POINT({x} {y})")) for x, y in vertices(curved))
    rel = abs(sg.GetArea() - lin.GetArea()) / lin.GetArea()
    if far > DEG_TOL or back > DEG_TOL or rel > 1e-3:
        return (f"curve polygon served as {served.GetGeometryName()}: a vertex {far:.1e} deg off the curve, "
                f"a source point {back:.1e} deg off the polygon, area differs by {rel:.1e}")
    return None


def test_gdal_oapif_round_trip_pcrs(oapif_ds, src):
    """Per feature class: counts, attributes by gml_id, and 2D vertices of the
    source reprojected from EPSG:3946 to lon/lat by OGR within 1e-7 degrees.
    Curve polygons (arcs): the served polygon must follow the arcs (its vertices
    on the source curve, the source's arc points on it, same area)."""
    counts_src = {name: len(rows) for name, rows in src.pcrs.items()}
    counts_got, problems = {}, []
    for name, rows in src.pcrs.items():
        cid = f"pcrs.{name}"
        _, served = served_by_key(oapif_ds, cid, "gml_id")
        counts_got[name] = len(served)
        for props, g, _ in rows:
            gid = props["gml_id"]
            if gid not in served:
                problems.append(f"{cid} {gid}: missing")
                continue
            sp, sg, defn = served[gid]
            sp = {k: norm_served_value(defn, k, v) for k, v in sp.items()}
            if sp != props:
                diff = {k: (props.get(k), sp.get(k)) for k in set(props) | set(sp) if props.get(k) != sp.get(k)}
                problems.append(f"{cid} {gid}: attributes differ (source, served) {diff}")
            if g is None:
                if sg is not None:
                    problems.append(f"{cid} {gid}: geometry {sg.GetGeometryName()} where the source has none")
                continue
            if sg is None:
                problems.append(f"{cid} {gid}: served without geometry (source {g.GetGeometryName()})")
                continue
            if g.HasCurveGeometry():
                bad = curve_mismatch(g, 3946, sg)
                if bad:
                    problems.append(f"{cid} {gid}: {bad}")
                continue
            w = to_wgs84(g, 3946)
            a, b = vertices(w), vertices(sg)
            if ogr().GT_Flatten(w.GetGeometryType()) != ogr().GT_Flatten(sg.GetGeometryType()):
                problems.append(f"{cid} {gid}: {sg.GetGeometryName()} != source {w.GetGeometryName()}")
            elif len(a) != len(b):
                problems.append(f"{cid} {gid}: {len(b)} vertices != source {len(a)}")
            else:
                d = max(max(abs(p[0] - q[0]), abs(p[1] - q[1])) for p, q in zip(a, b))
                if d > DEG_TOL:
                    problems.append(f"{cid} {gid}: vertices off by {d:.1e} deg")
    assert counts_got == counts_src, f"feature counts per class: served {counts_got}, source {counts_src}"
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:20])


# --------------------------------------------------------------------------
# OWSLib
# --------------------------------------------------------------------------

def test_owslib_features(oapif, src):
    from owslib.ogcapi.features import Features
    w = Features(oapif.base)
    assert set(w.feature_collections()) == set(expected_collections(oapif))
    assert CONF + "core" in w.conformance()["conformsTo"]
    assert w.collection(COMMUNES)["id"] == COMMUNES

    # property filter: Orléans, and a name several communes share (from the source)
    by_nom = Counter(p["nom"] for p, _, _ in src.communes)
    orleans = [p["code"] for p, _, _ in src.communes if p["nom"] == "Orléans"]
    assert len(orleans) == 1
    r = w.collection_items(COMMUNES, nom="Orléans")
    assert r["numberMatched"] == 1 and [f["properties"]["code"] for f in r["features"]] == orleans, r
    shared, n = by_nom.most_common(1)[0]
    assert n > 1
    r = w.collection_items(COMMUNES, nom=shared, limit=100)
    want = sorted(p["code"] for p, _, _ in src.communes if p["nom"] == shared)
    assert r["numberMatched"] == n and sorted(f["properties"]["code"] for f in r["features"]) == want, r

    # bbox (a box where bbox-intersection and geometry intersection agree)
    env_set, exact = bbox_selections(src.communes, "code", BBOX_CLEAN)
    assert env_set == exact
    r = w.collection_items(COMMUNES, bbox=list(BBOX_CLEAN), limit=100)
    assert r["numberMatched"] == len(env_set), r["numberMatched"]
    assert {f["properties"]["code"] for f in r["features"]} == env_set

    # limit
    r = w.collection_items(COMMUNES, limit=5)
    assert r["numberReturned"] == 5 and len(r["features"]) == 5 and r["numberMatched"] == len(src.communes)

    # one item
    fid = r["features"][0]["id"]
    one = w.collection_item(COMMUNES, fid)
    assert one["id"] == fid and one["properties"] == r["features"][0]["properties"], one


# --------------------------------------------------------------------------
# bbox, numberMatched, paging
# --------------------------------------------------------------------------

def test_bbox_number_matched_is_what_paging_returns(oapif, src):
    """numberMatched of a bbox query equals the features the query actually returns
    (one page, and through `next` links), and the set is either the features whose
    bbox intersects the query bbox (the R-tree) or those whose geometry does (OGC's
    wording). In BBOX_AMBIGUOUS the two differ (31 / 30 communes)."""
    by_env, exact = bbox_selections(src.communes, "code", BBOX_AMBIGUOUS)
    assert by_env != exact, "test bbox no longer tells the two semantics apart"
    for d in (1e-6, -1e-6):  # neither set is on a knife edge
        assert bbox_selections(src.communes, "code", shrink(BBOX_AMBIGUOUS, d)) == (by_env, exact)
    path = f"/ogcapi/collections/{COMMUNES}/items"
    bbox = ",".join(map(str, BBOX_AMBIGUOUS))
    one = get_json(oapif.srv, path, params={"bbox": bbox, "limit": 1000})
    got = [f["properties"]["code"] for f in one["features"]]
    pages = follow_chain(oapif.srv, path, {"bbox": bbox, "limit": 7})
    chained = [f["properties"]["code"] for p in pages for f in p["features"]]
    report = (f"GET {path}?bbox={bbox}&limit=1000 -> numberMatched {one['numberMatched']}, "
              f"numberReturned {one['numberReturned']}, {len(got)} features; through next links (limit=7) "
              f"{len(chained)} features; source: {len(by_env)} by bbox, {len(exact)} by geometry; "
              f"by bbox only: {sorted(by_env - exact)}")
    assert len(set(got)) == len(got) and len(set(chained)) == len(chained), report
    assert set(chained) == set(got), report
    assert set(got) in (by_env, exact), report
    assert one["numberMatched"] == len(got) == one["numberReturned"], report
    assert all(p["numberMatched"] == len(chained) for p in pages), report


def test_bbox_on_a_reprojected_layer(oapif, src):
    """PCRS is stored in EPSG:3946: a lon/lat bbox selects the features whose
    bbox or geometry meets it in lon/lat, or (R-tree in the storage CRS) whose
    EPSG:3946 bbox meets the EPSG:3946 envelope of the densified query bbox;
    numberMatched is the number of features returned."""
    from osgeo import osr
    rows3946 = [r for r in src.pcrs["FacadePCRS"] if r[1] is not None]
    rows = [(p, to_wgs84(g, 3946), f) for p, g, f in rows3946]
    b = (4.8842, 45.8186, 4.8845, 45.8189)
    by_env, exact = bbox_selections(rows, "gml_id", b)
    assert 0 < len(exact) < len(rows)
    for d in (2e-7, -2e-7):
        assert bbox_selections(rows, "gml_id", shrink(b, d)) == (by_env, exact), "knife-edge test bbox"
    ct = osr.CoordinateTransformation(srs(4326), srs(3946))
    b3946 = ct.TransformBounds(*b, 21)
    by_env_3946, _ = bbox_selections(rows3946, "gml_id", b3946)
    doc = get_json(oapif.srv, "/ogcapi/collections/pcrs.FacadePCRS/items",
                   params={"bbox": ",".join(map(str, b)), "limit": 100})
    got = {f["properties"]["gml_id"] for f in doc["features"]}
    report = (f"GET /ogcapi/collections/pcrs.FacadePCRS/items?bbox={','.join(map(str, b))}&limit=100 -> "
              f"numberMatched {doc['numberMatched']}, {len(got)} features; source: {len(by_env)} by bbox, "
              f"{len(exact)} by geometry, {len(by_env_3946)} by bbox in EPSG:3946")
    assert got in (by_env, exact, by_env_3946), \
        f"{report}\nserved {sorted(got)}\nby bbox {sorted(by_env)}\nby geometry {sorted(exact)}"
    assert doc["numberMatched"] == len(got), report


def test_paging_chain(oapif, src):
    by_env, exact = bbox_selections(src.communes, "code", BBOX_CLEAN)
    assert by_env == exact and len(by_env) == 15
    path = f"/ogcapi/collections/{COMMUNES}/items"
    bbox = ",".join(map(str, BBOX_CLEAN))
    limit = 4
    pages = follow_chain(oapif.srv, path, {"bbox": bbox, "limit": limit})
    assert [p["numberReturned"] for p in pages] == [4, 4, 4, 3], [p["numberReturned"] for p in pages]
    codes, fids = [], []
    for i, p in enumerate(pages):
        assert p["type"] == "FeatureCollection"
        assert p["numberMatched"] == 15 and p["numberReturned"] == len(p["features"]), (i, p["numberMatched"])
        codes += [f["properties"]["code"] for f in p["features"]]
        fids += [f["id"] for f in p["features"]]
        self_ = link(p, "self")
        assert self_ and int(qs(self_["href"]).get("offset", 0)) == i * limit, (i, self_)
        nxt, prev = link(p, "next"), link(p, "prev")
        if i + 1 < len(pages):
            q = qs(nxt["href"])
            assert q.get("bbox") == bbox and int(q["limit"]) == limit and int(q["offset"]) == (i + 1) * limit, nxt
        else:
            assert nxt is None, f"last page has a next link {nxt}"
        if i == 0:
            assert prev is None, f"first page has a prev link {prev}"
        else:
            assert prev is not None, f"page {i} (offset {i * limit}) has no prev link: {p['links']}"
            q = qs(prev["href"])
            assert int(q["offset"]) == (i - 1) * limit and q.get("bbox") == bbox, prev
            back = get_json(oapif.srv, urlsplit(prev["href"]).path, params=q)
            assert [f["id"] for f in back["features"]] == fids[(i - 1) * limit: i * limit]
    assert len(set(codes)) == len(codes), f"duplicates across pages: {[c for c, n in Counter(codes).items() if n > 1]}"
    assert set(codes) == by_env, f"missing {by_env - set(codes)}, extra {set(codes) - by_env}"


def test_paging_whole_layer_and_filter(oapif, src):
    path = f"/ogcapi/collections/{COMMUNES}/items"
    pages = follow_chain(oapif.srv, path, {"limit": 500})
    codes = [f["properties"]["code"] for p in pages for f in p["features"]]
    assert len(pages) == 4 and len(codes) == len(set(codes)) == len(src.communes)
    assert set(codes) == {p["code"] for p, _, _ in src.communes}
    # default limit is 10
    first = get_json(oapif.srv, path)
    assert first["numberReturned"] == 10 and first["numberMatched"] == len(src.communes)
    # filter + paging, one feature a page
    shared, n = Counter(p["nom"] for p, _, _ in src.communes).most_common(1)[0]
    pages = follow_chain(oapif.srv, path, {"nom": shared, "limit": 1})
    got = [f["properties"]["code"] for p in pages for f in p["features"]]
    assert sorted(got) == sorted(p["code"] for p, _, _ in src.communes if p["nom"] == shared)
    assert len(pages) == n and all(qs(link(p, "self")["href"]).get("nom") == shared for p in pages)


def test_single_item(oapif, src):
    feats = all_items(oapif.srv, COMMUNES, nom="Orléans")
    assert len(feats) == 1
    f = feats[0]
    one = get_json(oapif.srv, f"/ogcapi/collections/{COMMUNES}/items/{f['id']}", want_type="application/geo+json")
    assert one["type"] == "Feature" and one["id"] == f["id"]
    assert one["properties"] == f["properties"] and one["geometry"] == f["geometry"]


# --------------------------------------------------------------------------
# properties=
# --------------------------------------------------------------------------

def test_properties_selects_properties(oapif, src):
    srv = oapif.srv
    for cid, props in [(COMMUNES, ["nom"]), (COMMUNES, ["code", "nom"]), (COMMUNES, ["code"]),
                       ("pcrs.FacadePCRS", ["thematique", "producteur"])]:
        doc = get_json(srv, f"/ogcapi/collections/{cid}/items",
                       params={"properties": ",".join(props), "limit": 50})
        assert doc["features"], doc
        for f in doc["features"]:
            assert set(f["properties"]) == set(props), (cid, props, f["properties"])
            assert f["geometry"] is not None
    # the values are those of the source
    doc = get_json(srv, f"/ogcapi/collections/{COMMUNES}/items", params={"properties": "nom", "code": "45234"})
    want = [p["nom"] for p, _, _ in src.communes if p["code"] == "45234"]
    assert [f["properties"] for f in doc["features"]] == [{"nom": want[0]}]


@pytest.mark.parametrize("query", [
    {"properties": "zz"}, {"properties": "nom,zz"}, {"properties": "NOM"},
    {"zz": "1"}, {"Nom": "Orléans"}, {"nom ": "Orléans"},
])
def test_unknown_property_is_400(oapif, query):
    assert_problem(oapif.srv.get(f"/ogcapi/collections/{COMMUNES}/items", params=query), 400)


# --------------------------------------------------------------------------
# Safety
# --------------------------------------------------------------------------

def test_sql_metacharacters_are_literals(oapif):
    """Each DERIVED name, as `nom=<name>`, returns exactly its own feature."""
    path = f"/ogcapi/collections/{NOMS}/items"
    everything = all_items(oapif.srv, NOMS)
    assert sorted(f["properties"]["nom"] for f in everything) == sorted(ODD_NAMES)
    problems = []
    for i, name in enumerate(ODD_NAMES):
        r = oapif.srv.get(path, params={"nom": name})
        if r.status_code != 200:
            problems.append(f"nom={name!r}: {req_desc(r)}")
            continue
        d = r.json()
        got = [(f["properties"]["nom"], f["properties"]["n"]) for f in d["features"]]
        if got != [(name, i + 1)] or d["numberMatched"] != 1:
            problems.append(f"nom={name!r} ({r.request.url}): numberMatched {d['numberMatched']}, got {got}")
    # with a second condition, still literal
    for q, want in [({"nom": "' OR 1=1 --", "n": "3"}, [3]), ({"nom": "' OR 1=1 --", "n": "4"}, []),
                    ({"nom": "O'Brien", "n": "1"}, [1])]:
        d = get_json(oapif.srv, path, params=q)
        if [f["properties"]["n"] for f in d["features"]] != want:
            problems.append(f"{q}: got {[f['properties'] for f in d['features']]}")
    # on an Integer field: an expression is not a number
    for v in ["1 OR 1=1", "1) OR (1=1", "0 OR n>0", "n"]:
        r = oapif.srv.get(path, params={"n": v})
        if r.status_code == 200:
            if r.json()["features"]:
                problems.append(f"n={v!r}: {len(r.json()['features'])} feature(s)")
        elif r.status_code != 400 or ctype(r) != PROBLEM:
            problems.append(f"n={v!r}: {req_desc(r)}")
    assert not problems, "\n".join(problems)
    # nothing was altered
    assert len(all_items(oapif.srv, NOMS)) == len(ODD_NAMES)


@pytest.mark.parametrize("raw", [
    "exec(1)=2", "..%2Fx=1", "../x=1", "foo=1", "nom%27%20OR%201=1=1", "%3Bdrop=1", "=x",
    "limit=0", "limit=10001", "limit=abc", "limit=-1", "limit=1.5", "offset=-1", "offset=abc",
    "bbox=1,47,2", "bbox=1,47,2,48,3", "bbox=a,b,c,d", "bbox=2,48,1,47", "bbox=", "bbox=nan,nan,nan,nan",
])
def test_bad_parameters_are_400_problem_json(oapif, raw):
    r = oapif.srv.get(f"/ogcapi/collections/{COMMUNES}/items?{raw}")
    assert_problem(r, 400)


@pytest.mark.parametrize("path", [
    "/ogcapi/collections/nope", "/ogcapi/collections/nope/items", "/ogcapi/collections/nope/items/1",
    "/ogcapi/collections/admin", "/ogcapi/collections/admin.", "/ogcapi/collections/.communes_centre_val_de_loire",
    "/ogcapi/collections/pcrs.facadepcrs", "/ogcapi/collections/admin.communes_centre_val_de_loire.x/items",
])
def test_unknown_collection_is_404_problem_json(oapif, path):
    assert_problem(oapif.srv.get(path), 404)


def test_unknown_feature_is_404(oapif, src):
    base = f"/ogcapi/collections/{COMMUNES}/items"
    for fid in [len(src.communes) + 1, 99999, 0, "99999999999999999999999"]:
        assert_problem(oapif.srv.get(f"{base}/{fid}"), 404)
    # An identifier that is not one of the collection's names no feature: 404,
    # whatever it looks like (OGC API - Features 1, 7.16.2: "no feature with the id").
    for fid in ["abc", "-1", "1.0", "1%20OR%201=1"]:
        assert_problem(oapif.srv.get(f"{base}/{fid}"), 404)


ODD_REQUESTS = [
    f"/ogcapi/collections/{NOMS}/items?nom=%00",
    f"/ogcapi/collections/{NOMS}/items?nom=a%00b",
    f"/ogcapi/collections/{NOMS}/items?nom=%FF%FE",
    f"/ogcapi/collections/{NOMS}/items?nom=%",
    f"/ogcapi/collections/{NOMS}/items?nom=%G1",
    f"/ogcapi/collections/{NOMS}/items?nom=%F0%9F%97%BA%E2%80%AE%EF%BB%BF",
    f"/ogcapi/collections/{NOMS}/items?nom=" + "a" * 6000,
    f"/ogcapi/collections/{NOMS}/items?f=html&nom=%3Cscript%3E%22%27%26%00",
    f"/ogcapi/collections/{NOMS}/items?%00=1",
    f"/ogcapi/collections/{NOMS}/items?properties=%00",
    f"/ogcapi/collections/{NOMS}/items/%00",
    f"/ogcapi/collections/{NOMS}%00/items",
    "/ogcapi/collections/%FF/items",
    "/ogcapi/collections/%3Cscript%3E?f=html",
    f"/ogcapi/collections/{NOMS}/items?bbox=1e308,1e308,1e309,1e309",
    f"/ogcapi/collections/{NOMS}/items?offset=18446744073709551615",
    f"/ogcapi/collections/{NOMS}/items?limit=18446744073709551616",
]


def test_odd_characters_do_not_crash(oapif):
    bad = []
    for path in ODD_REQUESTS:
        r = oapif.srv.get(path)
        if r.status_code >= 500:
            bad.append(f"GET {path[:120]}\n-> HTTP {r.status_code} {r.headers.get('Content-Type')} {r.text[:300]}")
    assert oapif.srv.get("/healthz").status_code == 200
    assert oapif.srv.proc.poll() is None, "server exited"
    assert not bad, "server errors:\n" + "\n".join(bad)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/ogcapi", "/ogcapi/conformance", "/ogcapi/collections",
                                  f"/ogcapi/collections/{COMMUNES}", f"/ogcapi/collections/{COMMUNES}/items"])
@pytest.mark.parametrize("how", ["f=html", "Accept"])
def test_html_pages(oapif, path, how):
    if how == "f=html":
        r = oapif.srv.get(path, params={"f": "html"})
    else:
        r = oapif.srv.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    parse_html(r)


def test_html_item_page(oapif):
    """The server declares the HTML conformance class: every resource, a single
    feature included, has an HTML representation."""
    fid = all_items(oapif.srv, COMMUNES, nom="Orléans")[0]["id"]
    p = parse_html(oapif.srv.get(f"/ogcapi/collections/{COMMUNES}/items/{fid}", params={"f": "html"}))
    assert "Orléans" in "".join("".join(row) for row in p.rows) + p.title


def test_html_default_is_json(oapif):
    for path in ["/ogcapi", "/ogcapi/collections", f"/ogcapi/collections/{COMMUNES}/items"]:
        r = oapif.srv.get(path, headers={"Accept": "application/json"})
        assert r.status_code == 200 and ctype(r) in ("application/json", "application/geo+json"), req_desc(r)


def test_html_landing_and_collections_link_on(oapif):
    p = parse_html(oapif.srv.get("/ogcapi", params={"f": "html"}))
    paths = {urlsplit(h).path for h in p.hrefs}
    assert {"/ogcapi/collections", "/ogcapi/conformance"} <= paths, p.hrefs
    p = parse_html(oapif.srv.get("/ogcapi/collections", params={"f": "html"}))
    linked = {urlsplit(h).path for h in p.hrefs}
    for cid in expected_collections(oapif):
        assert any(path.startswith(f"/ogcapi/collections/{cid}") for path in linked), f"{cid} not linked"
    r = oapif.srv.get("/ogcapi/conformance", params={"f": "html"})
    parse_html(r)
    # The page lists exactly the classes the JSON document declares.
    shown = set(re.findall(r"https?://www\.opengis\.net/spec/[^\s<>\"']+", html.unescape(r.text)))
    declared = set(get_json(oapif.srv, "/ogcapi/conformance", want_type="application/json")["conformsTo"])
    assert len(declared) >= 3 and shown == declared, (sorted(shown ^ declared), sorted(declared))


def test_html_items_next_link(oapif, src):
    srv = oapif.srv
    path = f"/ogcapi/collections/{COMMUNES}/items"
    p1 = parse_html(srv.get(path, params={"f": "html", "limit": 3}))
    nexts = [h for h in p1.hrefs if urlsplit(h).path == path and qs(h).get("offset") == "3"]
    assert nexts, f"no link to offset=3 on the first HTML page: {p1.hrefs}"
    r2 = srv.http.get(nexts[0], timeout=60)
    p2 = parse_html(r2)
    assert "f=html" in nexts[0] or ctype(r2) == "text/html"
    # the pages show the features of the GeoJSON pages, by code
    codes = {c for c in (p["code"] for p, _, _ in src.communes)}
    cells1 = {c for row in p1.rows for c in row if c in codes}
    cells2 = {c for row in p2.rows for c in row if c in codes}
    j1 = {f["properties"]["code"] for f in get_json(srv, path, params={"limit": 3})["features"]}
    j2 = {f["properties"]["code"] for f in get_json(srv, path, params={"limit": 3, "offset": 3})["features"]}
    assert cells1 == j1 and cells2 == j2 and not (cells1 & cells2), (cells1, cells2, j1, j2)
    prevs = [h for h in p2.hrefs if urlsplit(h).path == path and qs(h).get("offset") == "0"]
    assert prevs, f"no link back to offset=0 on the second HTML page: {p2.hrefs}"


def test_html_escapes_odd_values(oapif):
    """Values and query strings with markup are text, not markup."""
    srv = oapif.srv
    p = parse_html(srv.get(f"/ogcapi/collections/{NOMS}/items", params={"f": "html", "limit": 100}))
    cells = [c for row in p.rows for c in row]
    missing = [n for n in ODD_NAMES if n not in cells]
    assert not missing, f"values not shown verbatim in the HTML table: {missing}"
    assert p.tags["script"] == 0 and p.tags["i"] == 0, dict(p.tags)
    p = parse_html(srv.get(f"/ogcapi/collections/{NOMS}/items",
                           params={"f": "html", "nom": "<script>alert(1)</script>\"'&<b>"}))
    assert p.tags["script"] == 0 and p.tags["b"] == 0, dict(p.tags)
    for path in ["/ogcapi/collections", f"/ogcapi/collections/{NOMS}"]:
        p = parse_html(srv.get(path, params={"f": "html"}))
        assert p.tags["i"] == 0, f"{path}: the dataset title {DERIVED_TITLE!r} became markup"
    # the JSON title carries the --title text verbatim
    doc = get_json(srv, f"/ogcapi/collections/{NOMS}")
    assert DERIVED_TITLE in doc.get("title", "") or DERIVED_TITLE in doc.get("description", ""), doc.get("title")
