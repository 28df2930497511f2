"""Conformance of OGC API – Features and WFS 2.0 on the points where the OGC
CITE suites (ets-ogcapi-features10 1.9, ets-wfs20) found geocentre wrong,
each checked here against the standard's text and the REAL source data read
with OGR, on a module server with its own data dir:

  * dataset `admin`  REAL: data/admin départements (WGS84 GeoJSON, no date field);
  * dataset `pcrs`   REAL: the PCRS v2 Lyon extract (GML, EPSG:3946, 3D points,
                     curve polygons, feature classes without geometry).

OGC API – Features Part 1 (OGC 17-069r4):
  * /req/core/fc-bbox-definition: a box whose first longitude exceeds the third
    crosses the antimeridian and is answered (was a 400); six numbers are a 3D box;
  * /req/core/fc-bbox-response: only features meeting the box; a world-wide or polar
    box on a layer stored in a conic projection selected every feature;
  * the published extent holds every feature, to the last digit (a PCRS point lay
    6e-14 degrees outside it);
  * the OpenAPI definition of bbox / limit / datetime (style form, explode false,
    bbox of 4 to 6 numbers), and `datetime` accepted on every collection
    (/req/core/fc-time-response: it filters a collection that has temporal
    information; the others keep every feature);
  * /req/core/f-links (self, alternate, collection on a feature), the alternate
    encodings of /collections, and the optional `timeStamp` of items.
WFS 2.0 (OGC 09-025r2): type and property names are QNames, resolved through the KVP
NAMESPACES parameter or the XML request's namespace declarations.
"""
from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

DEPTS_SRC = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
DEPTS = "admin.departements_centre_val_de_loire"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
SPATIAL_PCRS = ["FacadePCRS", "ArbrePCRS", "AffleurantPointPCRS", "AffleurantSymbolePCRS",
                "EmpriseEchangePCRS", "LimiteVoiriePCRS"]


def ingest(data_dir, dataset, paths):
    proc = run_cli(["vector", "ingest", "--dataset", dataset, "--json", *map(str, paths)],
                   data_dir=data_dir, timeout=300)
    assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {dataset}")
    rep = parse_single_json(proc)
    assert rep.get("status") == "published", describe_proc(proc, "dataset not published")


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("conformance-features")
    data = root / "data"
    data.mkdir()
    ingest(data, "admin", [DEPTS_SRC])
    ingest(data, "pcrs", [PCRS_SRC])
    s = Server(data_dir=data, log_path=root / "server.log").start()
    yield s
    s.stop()


# ----------------------------------------------------------------- sources, with OGR

def ogr():
    from osgeo import ogr as o
    o.UseExceptions()
    return o


def lonlat_rows(path, layer):
    """[(properties, geometry in lon/lat x/y or None)] of a source layer, curves linearized."""
    from osgeo import osr
    ds = ogr().Open(str(path))
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    to = osr.SpatialReference()
    to.ImportFromEPSG(4326)
    to.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src = lyr.GetSpatialRef()
    ct = None
    if src is not None:
        src = src.Clone()
        src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ct = osr.CoordinateTransformation(src, to)
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        if g is not None:
            g = g.GetLinearGeometry() if g.HasCurveGeometry() else g.Clone()
            g.FlattenTo2D()
            g.Transform(ct)
        rows.append((f.items(), g))
    return rows


def rect(b):
    return ogr().CreateGeometryFromWkt(
        f"POLYGON(({b[0]} {b[1]},{b[2]} {b[1]},{b[2]} {b[3]},{b[0]} {b[3]},{b[0]} {b[1]}))")


def meeting(rows, boxes):
    """Indices of the rows whose geometry intersects one of the boxes (lon/lat)."""
    rs = [rect(b) for b in boxes]
    return {i for i, (_, g) in enumerate(rows) if g is not None and any(g.Intersects(r) for r in rs)}


# ----------------------------------------------------------------- HTTP helpers

def items(srv, cid, whole=True, **params):
    """An items page; with `whole`, one that holds every feature matched."""
    params.setdefault("limit", 10000)
    r = srv.get(f"/ogcapi/collections/{cid}/items", params=params)
    assert r.status_code == 200, f"GET {r.url} -> {r.status_code}\n{r.text[:800]}"
    doc = r.json()
    assert doc["numberReturned"] == len(doc["features"]), r.url
    if whole:
        assert doc["numberMatched"] == doc["numberReturned"], (r.url, doc["numberMatched"])
    return doc


def ids_by(doc, key):
    return sorted(f["properties"][key] for f in doc["features"])


def want_ids(rows, idx, key):
    return sorted(rows[i][0][key] for i in idx)


# ----------------------------------------------------------------- WFS 2.0: NAMESPACES

def wfs(srv, **params):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    return srv.get("/wfs?" + urllib.parse.urlencode(q))


def feature_ns(srv):
    """The namespace of our feature types, as the capabilities bind `gc`."""
    import re
    caps = wfs(srv, REQUEST="GetCapabilities").text
    m = re.search(r'xmlns:gc="([^"]+)"', caps)
    assert m, caps[:500]
    return m.group(1)


def number_matched(r):
    import re
    assert r.status_code == 200, r.text[:600]
    m = re.search(r'numberMatched="(\d+)"', r.text)
    assert m, r.text[:600]
    return int(m.group(1))


def assert_exception(r, code, locator):
    assert r.status_code == 400, r.text[:600]
    assert f'exceptionCode="{code}"' in r.text and f'locator="{locator}"' in r.text, r.text[:600]


def test_wfs_type_names_resolve_through_namespaces(srv):
    """CITE's ets-wfs20 names types `ns82:{type}` with NAMESPACES=xmlns(ns82,<our ns>):
    the prefix is the client's to choose. Unprefixed and `gc:` names keep working;
    a prefix bound elsewhere, or not bound, names no type of ours."""
    ns = feature_ns(srv)
    tn = "pcrs.FacadePCRS"
    n = sum(1 for _, g in lonlat_rows(PCRS_SRC, "FacadePCRS"))
    decl = f"xmlns(xml,http://www.w3.org/XML/1998/namespace),xmlns(ns82,{ns}),xmlns(wfs,http://www.opengis.net/wfs/2.0)"
    for names, extra in ((f"ns82:{tn}", {"NAMESPACES": decl}), (f"gc:{tn}", {}), (tn, {}),
                         (f"p:{tn}", {"NAMESPACES": f"xmlns(p,{ns})"})):
        assert number_matched(wfs(srv, REQUEST="GetFeature", TYPENAMES=names, **extra)) == n, names
        r = wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES=names, **extra)
        assert r.status_code == 200 and "FacadePCRS" in r.text, (names, r.text[:400])
    # Property names are QNames too.
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=f"ns82:{tn}", NAMESPACES=decl, PROPERTYNAME="ns82:gml_id",
            COUNT="1")
    assert r.status_code == 200 and "<gc:gml_id>" in r.text, r.text[:600]
    r = wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=f"ns82:{tn}", NAMESPACES=decl,
            VALUEREFERENCE="ns82:gml_id", COUNT="1")
    assert r.status_code == 200 and "ValueCollection" in r.text, r.text[:600]
    # Refusals: a foreign namespace, an unbound prefix, a broken NAMESPACES.
    assert_exception(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"ns82:{tn}",
                         NAMESPACES="xmlns(ns82,http://example.org/other)"), "InvalidParameterValue", "TYPENAMES")
    assert_exception(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"ns82:{tn}"), "InvalidParameterValue", "TYPENAMES")
    assert_exception(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{tn}",
                         NAMESPACES="xmlns(gc,http://example.org/other)"), "InvalidParameterValue", "TYPENAMES")
    assert_exception(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, NAMESPACES="ns82=x"),
                     "InvalidParameterValue", "NAMESPACES")


def test_wfs_xml_requests_resolve_prefixes_in_scope(srv):
    ns = feature_ns(srv)
    tn = "pcrs.FacadePCRS"
    n = sum(1 for _, g in lonlat_rows(PCRS_SRC, "FacadePCRS"))

    def post(uri):
        body = (f'<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
                f'xmlns:x="{uri}"><wfs:Query typeNames="x:{tn}"/></wfs:GetFeature>')
        return srv.http.post(srv.url("/wfs"), data=body.encode(), timeout=60,
                             headers={"Content-Type": "application/xml"})

    assert number_matched(post(ns)) == n
    assert_exception(post("http://example.org/other"), "InvalidParameterValue", "TYPENAMES")
    # Declared on the query itself, with the WFS namespace as the default.
    body = (f'<GetFeature service="WFS" version="2.0.0" xmlns="http://www.opengis.net/wfs/2.0">'
            f'<Query xmlns:y="{ns}" typeNames="y:{tn}"/></GetFeature>')
    r = srv.http.post(srv.url("/wfs"), data=body.encode(), timeout=60, headers={"Content-Type": "application/xml"})
    assert number_matched(r) == n
