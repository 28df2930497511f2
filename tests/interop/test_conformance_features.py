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
NAMESPACES parameter or the XML request's namespace declarations; what the INSPIRE
download-service validator (ds-wfs-pre-defined) reads to configure itself: the AcceptVersions
of GetCapabilities and output formats listed as they are answered (GML 3.2 also as
`text/xml; subtype=gml/3.2.1`).
FES 2.0 (ISO 19143) Minimum Temporal filter, which INSPIRE direct access requires (ds-wfs-direct):
During, After, Before, TEquals on a Date, a DateTime and a text holding dates (dataset `temps`,
DERIVED) and on the REAL PCRS survey dates, against ISO 19108's relations computed in the test.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse

import pytest

import helpers
from helpers import Server

DEPTS_SRC = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
DEPTS = "admin.departements_centre_val_de_loire"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
SPATIAL_PCRS = ["FacadePCRS", "ArbrePCRS", "AffleurantPointPCRS", "AffleurantSymbolePCRS",
                "EmpriseEchangePCRS", "LimiteVoiriePCRS"]


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    s = helpers.admin_pcrs_server(tmp_path_factory, "conformance-features")
    yield s
    s.stop()


# ----------------------------------------------------------------- sources, with OGR


def lonlat_rows(path, layer):
    """[(properties, geometry in lon/lat x/y or None)] of a source layer, curves linearized."""
    from osgeo import osr
    ds = helpers.ogr().Open(str(path))
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
    return helpers.ogr().CreateGeometryFromWkt(
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


# ----------------------------------------------------------------- OGC API: bbox

def test_a_bbox_across_the_antimeridian_is_the_two_boxes_either_side(srv):
    """`minlon > maxlon` is a box over the antimeridian (/req/core/fc-bbox-definition):
    it selects what either half selects. Picked so that the halves leave out
    part of the data: the features of the strip between the two longitudes."""
    rows = lonlat_rows(DEPTS_SRC, None)
    b = (1.5, 46.0, 1.2, 49.0)  # everything east of 1.5 and west of 1.2
    halves = [(1.5, 46.0, 180.0, 49.0), (-180.0, 46.0, 1.2, 49.0)]
    want = meeting(rows, halves)
    assert 0 < len(want) <= len(rows)
    got = items(srv, DEPTS, bbox=",".join(map(str, b)))
    assert ids_by(got, "code") == want_ids(rows, want, "code")
    # Over a layer stored in EPSG:3946 too: the strip in the middle of the extract.
    prow = lonlat_rows(PCRS_SRC, "FacadePCRS")
    b = (4.88440, 45.0, 4.88430, 46.0)
    want = meeting(prow, [(4.88440, 45.0, 180.0, 46.0), (-180.0, 45.0, 4.88430, 46.0)])
    outside = {i for i, (_, g) in enumerate(prow) if g is not None} - want
    assert want and outside, "the strip must leave some facades out"
    got = items(srv, "pcrs.FacadePCRS", bbox=",".join(map(str, b)))
    assert ids_by(got, "gml_id") == want_ids(prow, want, "gml_id")
    # CITE's own box (the Bering strait): nothing of ours is there, and it is no error.
    for cid in (DEPTS, "pcrs.FacadePCRS"):
        assert items(srv, cid, bbox="177,65,-177,70")["features"] == []


def test_an_inverted_box_in_a_projected_crs_is_refused(srv):
    r = srv.get(f"/ogcapi/collections/{DEPTS}/items",
                params={"bbox": "700000,6600000,600000,6700000", "bbox-crs": EPSG + "2154"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), r.text
    # Latitudes are never inverted.
    r = srv.get(f"/ogcapi/collections/{DEPTS}/items", params={"bbox": "1,48,2,47"})
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("cid,key,src,layer", [
    (DEPTS, "code", DEPTS_SRC, None),
    ("pcrs.FacadePCRS", "gml_id", PCRS_SRC, "FacadePCRS"),
    ("pcrs.ArbrePCRS", "gml_id", PCRS_SRC, "ArbrePCRS"),
])
def test_world_and_polar_boxes(srv, cid, key, src, layer):
    """A polar band holds nothing of the data; the world holds all of it. Taken
    whole into EPSG:3946 (a conic projection) the southern band came out as a
    plane-sized envelope and selected every feature."""
    rows = lonlat_rows(src, layer)
    spatial = {i for i, (_, g) in enumerate(rows) if g is not None}
    for b in ("-180,-90,180,-85", "-180,85,180,90", "-180,-89,180,-85"):
        assert items(srv, cid, bbox=b)["features"] == [], b
    assert ids_by(items(srv, cid, bbox="-180,-90,180,90"), key) == want_ids(rows, spatial, key)
    # The same world box with heights (six numbers) selects the same.
    assert ids_by(items(srv, cid, bbox="-180,-90,-100,180,90,5000"), key) == want_ids(rows, spatial, key)


@pytest.mark.parametrize("name", SPATIAL_PCRS)
def test_the_extent_holds_every_feature_exactly(srv, name):
    """The collection's extent, used as the bbox (as CITE does, and with its 7
    decimals), returns every feature, and every coordinate served lies inside
    it without tolerance."""
    cid = f"pcrs.{name}"
    rows = lonlat_rows(PCRS_SRC, name)
    n = sum(1 for _, g in rows if g is not None)
    ext = srv.get(f"/ogcapi/collections/{cid}").json()["extent"]["spatial"]["bbox"][0]
    doc = items(srv, cid, bbox=",".join(map(repr, ext)))
    assert len(doc["features"]) == n, (cid, ext)
    formatted = ",".join(f"{v:.7f}" for v in ext)
    assert len(items(srv, cid, bbox=formatted)["features"]) == n, (cid, formatted)

    def coords(c):
        if isinstance(c[0], (int, float)):
            yield c
        else:
            for x in c:
                yield from coords(x)

    for f in doc["features"]:
        for p in coords(f["geometry"]["coordinates"]):
            assert ext[0] <= p[0] <= ext[2] and ext[1] <= p[1] <= ext[3], (cid, f["id"], p, ext)


# ----------------------------------------------------------------- OGC API: OpenAPI, datetime

def test_openapi_parameters_of_items(srv):
    api = srv.get("/ogcapi/api").json()
    params = {p["name"]: p for p in api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]}
    for name in ("bbox", "limit", "datetime"):
        p = params.get(name)
        assert p is not None, f"no '{name}' parameter on items: {sorted(params)}"
        assert p["in"] == "query" and p.get("required") is False, p
        assert p.get("style") == "form" and p.get("explode") is False, p
    assert params["bbox"]["schema"]["type"] == "array"
    assert (params["bbox"]["schema"]["minItems"], params["bbox"]["schema"]["maxItems"]) == (4, 6)
    assert params["bbox"]["schema"]["items"]["type"] == "number"
    assert params["datetime"]["schema"]["type"] == "string"
    lim = params["limit"]["schema"]
    assert lim["type"] == "integer" and lim["minimum"] >= 0 and lim["default"] >= 0, lim


def test_datetime_on_a_collection_without_time_keeps_every_feature(srv):
    rows = lonlat_rows(DEPTS_SRC, None)
    every = sorted(p["code"] for p, _ in rows)
    for v in ("2020-01-01", "2018-02-12T00:00:00Z/2018-03-18T12:31:12Z", "../2000-01-01", "2030-01-01/.."):
        assert ids_by(items(srv, DEPTS, datetime=v), "code") == every, v
    # The value is still read: an impossible date or an inverted interval is refused.
    for bad in ("2019-13-45", "2021-01-01/2020-01-01", "../..", "yesterday"):
        r = srv.get(f"/ogcapi/collections/{DEPTS}/items", params={"datetime": bad})
        assert r.status_code == 400, (bad, r.text)


# ----------------------------------------------------------------- OGC API: links, timeStamp, crs

def test_a_feature_links_to_itself_its_encodings_and_its_collection(srv):
    doc = items(srv, DEPTS, whole=False, limit=1)
    fid = doc["features"][0]["id"]
    for params in ({}, {"crs": EPSG + "2154"}):
        r = srv.get(f"/ogcapi/collections/{DEPTS}/items/{fid}", params=params)
        assert r.status_code == 200, r.text
        f = r.json()
        rels = {(lk["rel"], lk.get("type")) for lk in f.get("links", [])}
        assert ("self", "application/geo+json") in rels, f.get("links")
        assert ("alternate", "text/html") in rels, f.get("links")
        assert ("collection", "application/json") in rels, f.get("links")
        for lk in f["links"]:
            g = srv.http.get(lk["href"], timeout=60)
            assert g.status_code == 200, (lk, g.status_code)
            assert g.headers["content-type"].split(";")[0] == lk["type"], (lk, g.headers["content-type"])
            if lk["rel"] == "self":
                assert g.json()["geometry"] == f["geometry"], "self link drops the CRS asked for"
            if lk["rel"] == "collection":
                assert g.json()["id"] == DEPTS


def test_collections_list_their_html_encoding(srv):
    for path in ("/ogcapi/collections", f"/ogcapi/collections/{DEPTS}"):
        doc = srv.get(path).json()
        alt = [lk for lk in doc["links"] if lk["rel"] == "alternate" and lk.get("type") == "text/html"]
        assert alt, (path, doc["links"])
        r = srv.http.get(alt[0]["href"], timeout=60)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (path, r.status_code)


def test_items_carry_the_time_they_were_made(srv):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    doc = items(srv, DEPTS, whole=False, limit=2)
    after = dt.datetime.now(dt.timezone.utc)
    ts = doc.get("timeStamp")
    assert ts, "no timeStamp"
    t = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    assert before <= t <= after, (before, ts, after)


@pytest.mark.parametrize("name", ["AffleurantPCRS", "AffleurantGeometriquePCRS"])
def test_a_collection_without_geometry_offers_only_the_default_crs(srv, name):
    c = srv.get(f"/ogcapi/collections/pcrs.{name}").json()
    assert c["crs"] == [CRS84], c["crs"]
    assert "storageCrs" not in c
    assert srv.get(f"/ogcapi/collections/pcrs.{name}/items", params={"crs": CRS84}).status_code == 200
    r = srv.get(f"/ogcapi/collections/pcrs.{name}/items", params={"crs": EPSG + "2154"})
    assert r.status_code == 400, r.text


# ----------------------------------------------------------------- WFS 2.0: NAMESPACES

def wfs(srv, **params):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    return srv.get("/wfs?" + urllib.parse.urlencode(q))


def feature_ns(srv):
    """The namespace of our feature types, as the capabilities bind `gc`."""
    caps = wfs(srv, REQUEST="GetCapabilities").text
    m = re.search(r'xmlns:gc="([^"]+)"', caps)
    assert m, caps[:500]
    return m.group(1)


def number_matched(r):
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


# ----------------------------------------------------------------- WFS 2.0: what ets-wfs20 found next

def test_wfs20_exception_reports_carry_the_service_version(srv, tmp_path):
    """09-025r2 §7.5: a WFS 2.0 exception report has version="2.0.0" (the OWS 1.1
    report's attribute, which validates); 1.1.0 keeps its OWS 1.0.0 report."""
    for params, want in (({"REQUEST": "DescribeFeatureType", "TYPENAMES": "gc:nope.nope"}, "2.0.0"),
                         ({"REQUEST": "GetFeature"}, "2.0.0"),
                         ({"REQUEST": "GetFeature", "TYPENAMES": "gc:nope.nope", "VERSION": "1.1.0"}, "1.0.0")):
        r = wfs(srv, **params)
        assert r.status_code == 400, r.text[:300]
        assert f'version="{want}"' in r.text.split("<ows:Exception ")[0], (params, r.text[:400])
        if want == "2.0.0":
            ok, out = helpers.validate_xml(r.content, tmp_path, "exc.xml")
            assert ok, out
    # A refused POST body too.
    r = srv.http.post(srv.url("/wfs"), data=b"<GetFeature", timeout=60, headers={"Content-Type": "application/xml"})
    assert r.status_code == 400 and 'version="2.0.0"' in r.text, r.text[:400]


def test_wfs_resolve_local_is_offered_and_accepted(srv):
    caps = wfs(srv, REQUEST="GetCapabilities").text
    for op in ("GetFeature", "GetPropertyValue"):
        block = re.search(rf'<ows:Operation name="{op}">(.*?)</ows:Operation>', caps, re.S).group(1)
        m = re.search(r'<ows:Parameter name="resolve">(.*?)</ows:Parameter>', block, re.S)
        assert m and "<ows:Value>local</ows:Value>" in m.group(1), (op, block[:600])
    tn = "gc:pcrs.FacadePCRS"
    n = number_matched(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn))
    for v in ("local", "none"):
        assert number_matched(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, RESOLVE=v)) == n, v
    # A value outside the advertised AllowedValues is a wrong parameter value
    # (InvalidParameterValue, 400), not an operation this server lacks.
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, RESOLVE="remote")
    assert r.status_code == 400 and 'exceptionCode="InvalidParameterValue"' in r.text, r.text[:400]


def test_get_feature_by_id_of_nothing_is_not_found(srv):
    for rid in ("test-3f2a9c1e-0000-4000-8000-000000000000", "pcrs.FacadePCRS.999999", "nope.nope.1", "x"):
        r = wfs(srv, REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById", ID=rid)
        assert r.status_code == 404 and 'exceptionCode="NotFound"' in r.text, (rid, r.status_code, r.text[:300])


def gml_ids(text, tn):
    return re.findall(rf'<gc:{re.escape(tn)} gml:id="([^"]+)"', text)


def test_resource_ids_against_typenames(srv):
    """Table 8 / §7.9.2.4.1: an identifier that names nothing selects nothing (200,
    empty); one of another type than TYPENAMES is InvalidParameterValue on RESOURCEID."""
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.FacadePCRS", RESOURCEID="test-0f1e2d3c")
    assert number_matched(r) == 0 and "<wfs:FeatureCollection" in r.text
    other = gml_ids(wfs(srv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.ArbrePCRS", COUNT="1").text,
                    "pcrs.ArbrePCRS")[0]
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.FacadePCRS", RESOURCEID=other)
    assert_exception(r, "InvalidParameterValue", "RESOURCEID")
    # The same identifier with its own type is served.
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.ArbrePCRS", RESOURCEID=other)
    assert gml_ids(r.text, "pcrs.ArbrePCRS") == [other]
    # In a POST filter as well.
    body = ('<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="gc:pcrs.FacadePCRS"><fes:Filter>'
            f'<fes:ResourceId rid="{other}"/></fes:Filter></wfs:Query></wfs:GetFeature>')
    r = srv.http.post(srv.url("/wfs"), data=body.encode(), timeout=60, headers={"Content-Type": "application/xml"})
    assert_exception(r, "InvalidParameterValue", "RESOURCEID")


def test_get_property_value_of_gml_id_and_an_empty_reference(srv):
    tn = "pcrs.ArbrePCRS"
    ids = gml_ids(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{tn}").text, tn)
    assert ids
    r = wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=f"gc:{tn}", VALUEREFERENCE="@gml:id")
    assert r.status_code == 200, r.text[:400]
    assert re.findall(r"<wfs:member>([^<]+)</wfs:member>", r.text) == ids, r.text[:600]
    r = wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=f"gc:{tn}", VALUEREFERENCE="")
    assert_exception(r, "InvalidParameterValue", "VALUEREFERENCE")


def fes_get(srv, tn, predicate):
    f = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">'
         f'{predicate}</fes:Filter>')
    return wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{tn}", FILTER=f)


def test_gml_standard_properties_in_filters(srv):
    """Every feature type inherits gml:name, gml:description, gml:boundedBy... from
    gml:AbstractFeatureType; no geocentre feature carries them: PropertyIsNull on them
    holds for every feature, a comparison for none, and comparing the geometry-valued
    gml:boundedBy is OperationProcessingFailed (09-025r2 Table 3), HTTP 403 (Table D.2;
    ets-wfs20#147)."""
    tn = "pcrs.FacadePCRS"
    n = number_matched(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{tn}"))
    vr = "<fes:ValueReference>{}</fes:ValueReference>"
    r = fes_get(srv, tn, f"<fes:PropertyIsNull>{vr.format('gml:name')}</fes:PropertyIsNull>")
    assert number_matched(r) == n and "<gml:name" not in r.text
    r = fes_get(srv, tn, "<fes:PropertyIsEqualTo>" + vr.format("gml:description")
                + "<fes:Literal>x</fes:Literal></fes:PropertyIsEqualTo>")
    assert number_matched(r) == 0
    r = fes_get(srv, tn, "<fes:Not><fes:PropertyIsNull>" + vr.format("gml:name") + "</fes:PropertyIsNull></fes:Not>")
    assert number_matched(r) == 0
    r = fes_get(srv, tn, "<fes:PropertyIsLessThanOrEqualTo>" + vr.format("gml:boundedBy")
                + "<fes:Literal><gml:Envelope><gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1 1"
                "</gml:upperCorner></gml:Envelope></fes:Literal></fes:PropertyIsLessThanOrEqualTo>")
    assert r.status_code == 403 and 'exceptionCode="OperationProcessingFailed"' in r.text, r.text[:400]


def test_curve_polygons_are_valid_gml(srv, tmp_path):
    """OGR writes a ring of several curves as gml:CompositeCurve straight under
    gml:exterior, and no gml:id on the curves: both invalid GML 3.2. The PCRS
    'affleurants' have such rings (read from the source)."""
    ds = helpers.ogr().Open(str(PCRS_SRC))
    lyr = ds.GetLayerByName("AffleurantEnveloppePCRS")
    curved = sum(1 for f in lyr if f.GetGeometryRef() is not None and f.GetGeometryRef().HasCurveGeometry())
    assert curved > 0, "the extract no longer holds curve polygons"
    tn = "pcrs.AffleurantEnveloppePCRS"
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{tn}")
    assert r.status_code == 200
    assert "<gml:exterior><gml:CompositeCurve" not in r.text and "<gml:Ring>" in r.text
    d = wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES=f"gc:{tn}")
    schema = helpers.wfs_app_schema(d.text, tmp_path)
    ok, out = helpers.validate_xml(r.content, tmp_path, "curves.xml", schema=schema)
    assert ok, out


def test_paging_links_both_ways_and_from_hits(srv):
    """§7.7.4.4: a hits answer's `next` opens the first page of results; a page after
    the first links `previous` back to the one before."""
    tn = "gc:pcrs.FacadePCRS"
    every = gml_ids(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn).text, "pcrs.FacadePCRS")
    assert len(every) > 4
    hits = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, RESULTTYPE="hits", COUNT="2")
    assert 'numberReturned="0"' in hits.text
    nxt = re.search(r'\snext="([^"]+)"', hits.text)
    assert nxt, hits.text[:500]
    first = srv.http.get(html.unescape(nxt.group(1)), timeout=60)
    assert gml_ids(first.text, "pcrs.FacadePCRS") == every[:2], first.text[:300]
    second = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, COUNT="2", STARTINDEX="2")
    assert gml_ids(second.text, "pcrs.FacadePCRS") == every[2:4]
    prev = re.search(r'\sprevious="([^"]+)"', second.text)
    assert prev, second.text[:500]
    back = srv.http.get(html.unescape(prev.group(1)), timeout=60)
    assert gml_ids(back.text, "pcrs.FacadePCRS") == every[:2]
    assert " previous=" not in first.text.split(">")[1]


# ----------------------------------------------------------------- WFS 2.0: INSPIRE pre-defined download

GSD = "http://inspire.ec.europa.eu/operation/download/GetSpatialDataSet"
DLS = "http://inspire.ec.europa.eu/schemas/inspire_dls/1.0"
COMMON = "http://inspire.ec.europa.eu/schemas/common/1.0"


def caps_tree(srv, **params):
    import xml.etree.ElementTree as ET
    r = wfs(srv, REQUEST="GetCapabilities", **params)
    assert r.status_code == 200, r.text[:400]
    return r, ET.fromstring(r.content)


def test_inspire_capabilities_name_their_schema_and_languages(srv, tmp_path):
    """TG Download Services: the capabilities' xsi:schemaLocation names inspire_dls.xsd;
    ResponseLanguage is the requested language when supported, the default otherwise
    (requirements 55-59); only French is claimed, as only French is served."""
    r, root = caps_tree(srv)
    loc = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    pairs = dict(zip(loc[::2], loc[1::2]))
    assert pairs.get(DLS, "").endswith("/inspire_dls/1.0/inspire_dls.xsd"), loc
    ok, out = helpers.validate_wfs_capabilities_inspire(r.content, tmp_path)
    assert ok, out
    ext = f"{{{DLS}}}ExtendedCapabilities"
    default = root.find(f".//{ext}/{{{COMMON}}}SupportedLanguages/{{{COMMON}}}DefaultLanguage/{{{COMMON}}}Language")
    supported = [default.text] + [e.text for e in root.findall(
        f".//{ext}/{{{COMMON}}}SupportedLanguages/{{{COMMON}}}SupportedLanguage/{{{COMMON}}}Language")]
    assert supported == ["fre"], supported
    title = root.find("{http://www.opengis.net/ows/1.1}ServiceIdentification/{http://www.opengis.net/ows/1.1}Title").text
    for asked, want in [(lang, lang) for lang in supported] + [("chi", default.text), ("eng", default.text)]:
        _, t = caps_tree(srv, LANGUAGE=asked)
        got = t.find(f".//{ext}/{{{COMMON}}}ResponseLanguage/{{{COMMON}}}Language").text
        assert got == want, (asked, got)
        assert t.find("{http://www.opengis.net/ows/1.1}ServiceIdentification/"
                      "{http://www.opengis.net/ows/1.1}Title").text == title


def test_get_spatial_dataset_is_described(srv):
    import xml.etree.ElementTree as ET
    r = wfs(srv, REQUEST="DescribeStoredQueries")
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    d = root.find(f"{{http://www.opengis.net/wfs/2.0}}StoredQueryDescription[@id='{GSD}']")
    assert d is not None, r.text[:800]
    params = {p.get("name") for p in d.findall("{http://www.opengis.net/wfs/2.0}Parameter")}
    assert {"CRS", "DataSetIdCode", "DataSetIdNamespace", "Language"} <= params, params
    r = wfs(srv, REQUEST="DescribeStoredQueries", STOREDQUERY_ID=GSD)
    assert r.status_code == 200 and r.text.count("<wfs:StoredQueryDescription") == 1
    assert GSD in wfs(srv, REQUEST="ListStoredQueries").text


def test_get_spatial_dataset_for_every_crs_language_and_dataset(srv, tmp_path):
    """The INSPIRE validator's loop (ds-wfs-pre-defined, 'Predefined Stored Query'): for
    every CRS of the capabilities (DefaultCRS, OtherCRS), every language and every
    SpatialDataSetIdentifier, the stored query answers a schema-valid FeatureCollection
    in that CRS holding the dataset's features (counted in the sources with OGR): any
    CRS the capabilities list, whichever type lists it."""
    import xml.etree.ElementTree as ET
    _, root = caps_tree(srv)
    ext = f"{{{DLS}}}ExtendedCapabilities"
    ids = [(e.find(f"{{{COMMON}}}Code").text, e.find(f"{{{COMMON}}}Namespace").text)
           for e in root.findall(f".//{ext}/{{{DLS}}}SpatialDataSetIdentifier")]
    assert {c for c, _ in ids} == {"admin", "pcrs"}, ids
    crss = sorted({e.text for e in root.iter() if e.tag in ("{http://www.opengis.net/wfs/2.0}DefaultCRS",
                                                           "{http://www.opengis.net/wfs/2.0}OtherCRS")})
    assert crss
    want = {"admin": len(lonlat_rows(DEPTS_SRC, None))}
    ds = helpers.ogr().Open(str(PCRS_SRC))
    want["pcrs"] = sum(ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount()))
    schemas = {}
    for code, ns in ids:
        for crs in crss:
            r = wfs(srv, REQUEST="GetFeature", STOREDQUERY_ID=GSD, CRS=crs, DataSetIdCode=code,
                    DataSetIdNamespace=ns, Language="fre", COUNT="10000")
            assert r.status_code == 200, (code, crs, r.text[:500])
            root = ET.fromstring(r.content)
            assert root.tag == "{http://www.opengis.net/wfs/2.0}FeatureCollection"
            assert int(root.get("numberMatched")) == int(root.get("numberReturned")) == want[code], (code, crs)
            srs = {e.get("srsName") for e in root.iter() if e.get("srsName")}
            assert srs <= {crs}, (code, crs, srs)
            loc = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
            app = dict(zip(loc[::2], loc[1::2]))["urn:x-geocentre:features"]
            if app not in schemas:
                d = srv.http.get(app, timeout=60)
                assert d.status_code == 200, app
                schemas[app] = helpers.wfs_app_schema(d.text, tmp_path)
            ok, out = helpers.validate_xml(r.content, tmp_path, f"gsd-{code}.xml", schema=schemas[app])
            assert ok, out
    # Paged like GetFeature: the pages make the whole.
    code, ns = ids[0]
    seen, url = [], None
    r = wfs(srv, REQUEST="GetFeature", STOREDQUERY_ID=GSD, DataSetIdCode=code, DataSetIdNamespace=ns, COUNT="2")
    while True:
        assert r.status_code == 200, r.text[:400]
        seen += re.findall(r'<wfs:member><gc:[^ ]+ gml:id="([^"]+)"', r.text)
        m = re.search(r'\snext="([^"]+)"', r.text)
        if not m:
            break
        url = html.unescape(m.group(1))
        r = srv.http.get(url, timeout=60)
    assert len(seen) == len(set(seen)) == want[code]


def test_get_spatial_dataset_refusals(srv):
    base = dict(REQUEST="GetFeature", STOREDQUERY_ID=GSD)
    ns = srv.base_url + "/api/vector/datasets"
    assert_exception(wfs(srv, **base, DataSetIdCode="nope", DataSetIdNamespace=ns), "InvalidParameterValue",
                     "DataSetIdCode")
    assert_exception(wfs(srv, **base, DataSetIdCode="admin", DataSetIdNamespace="http://example.org/x"),
                     "InvalidParameterValue", "DataSetIdNamespace")
    assert_exception(wfs(srv, **base, DataSetIdCode="admin", CRS="urn:ogc:def:crs:EPSG::32631"),
                     "InvalidParameterValue", "CRS")
    assert_exception(wfs(srv, **base), "MissingParameterValue", "DATASETIDCODE")


# ----------------------------------------------------------------- WFS 2.0: what the INSPIRE auto-configuration reads

OWS = "{http://www.opengis.net/ows/1.1}"
GML32_NAMES = ["application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2", "text/xml; subtype=gml/3.2.1"]


def allowed_values(root, op, param):
    """The values an operation's ows:Parameter allows (None: no such parameter)."""
    for o in root.iter(f"{OWS}Operation"):
        if o.get("name") == op:
            for p in o.findall(f"{OWS}Parameter"):
                if p.get("name") == param:
                    return [v.text for v in p.findall(f"{OWS}AllowedValues/{OWS}Value")]
    return None


def test_capabilities_list_the_versions_get_capabilities_negotiates(srv):
    """OWS 1.1 §7.3.2 / ISO 19142 §8: the AcceptVersions values of GetCapabilities. The
    INSPIRE validator's auto-configuration (ds-wfs-pre-defined, xtf Capabilities) stops with
    'Failed to initialize Executable Test Suite' when there are none. Each value listed is
    negotiated: asked alone, the capabilities come in that version; asked first of two, too."""
    _, root = caps_tree(srv)
    versions = allowed_values(root, "GetCapabilities", "AcceptVersions")
    assert versions == ["2.0.0", "1.1.0"], versions
    for v in versions:
        for accept in (v, ",".join([v] + [o for o in versions if o != v])):
            r = srv.get("/wfs?" + urllib.parse.urlencode({"SERVICE": "WFS", "REQUEST": "GetCapabilities",
                                                          "ACCEPTVERSIONS": accept}))
            assert r.status_code == 200, r.text[:400]
            assert re.search(rf'<wfs:WFS_Capabilities[^>]*\sversion="{re.escape(v)}"', r.text), (accept, r.text[:400])
    assert_exception(srv.get("/wfs?SERVICE=WFS&REQUEST=GetCapabilities&ACCEPTVERSIONS=3.0.0"),
                     "VersionNegotiationFailed", "AcceptVersions")


def test_output_formats_are_listed_and_each_one_answers(srv, tmp_path):
    """The formats each operation lists are the formats it answers in, and those only:
    GetFeature GML 3.2 under its three names (ISO 19142's media type, `text/xml;
    subtype=gml/3.2` and `text/xml; subtype=gml/3.2.1`, the INSPIRE validator's default
    and deegree's), GeoJSON and CSV; GetPropertyValue and DescribeFeatureType GML only
    (a value collection, an XML Schema). Every GML name gives the same document; a
    format not listed is InvalidParameterValue."""
    _, root = caps_tree(srv)
    gf = allowed_values(root, "GetFeature", "outputFormat")
    assert gf == GML32_NAMES + ["application/json", "text/csv"], gf
    assert allowed_values(root, "GetPropertyValue", "outputFormat") == GML32_NAMES
    assert allowed_values(root, "DescribeFeatureType", "outputFormat") == GML32_NAMES
    tn = f"gc:{DEPTS}"
    want = len(lonlat_rows(DEPTS_SRC, None))
    stamp = re.compile(r'timeStamp="[^"]+"')
    docs = set()
    for f in GML32_NAMES + ["TEXT/XML;SUBTYPE=GML/3.2.1"]:
        r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, OUTPUTFORMAT=f)
        assert r.status_code == 200, (f, r.text[:400])
        assert r.headers["content-type"].startswith("application/gml+xml; version=3.2"), r.headers["content-type"]
        assert r.text.count("<wfs:member>") == want, f
        docs.add(stamp.sub("", r.text))
        assert number_matched(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, OUTPUTFORMAT=f,
                                  RESULTTYPE="hits")) == want
        v = wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="nom", OUTPUTFORMAT=f)
        assert v.status_code == 200 and v.text.count("<wfs:member>") == want, (f, v.text[:400])
        d = wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES=tn, OUTPUTFORMAT=f)
        assert d.status_code == 200 and ":schema " in d.text[:600], (f, d.text[:400])
        helpers.wfs_app_schema(d.text, tmp_path)  # a schema that compiles
    assert len(docs) == 1, "the GML names give different documents"
    assert wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, OUTPUTFORMAT="application/json").json()["features"]
    for op, extra in (("GetPropertyValue", {"VALUEREFERENCE": "nom"}), ("DescribeFeatureType", {})):
        for f in ("application/json", "text/xml; subtype=gml/3.1.1", "image/png"):
            assert_exception(wfs(srv, REQUEST=op, TYPENAMES=tn, OUTPUTFORMAT=f, **extra),
                             "InvalidParameterValue", "OUTPUTFORMAT")
    assert_exception(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, OUTPUTFORMAT="text/xml; subtype=gml/3.1.1"),
                     "InvalidParameterValue", "OUTPUTFORMAT")
    # WFS 1.1.0 keeps its own GML: 3.1.1 schemas only.
    r = srv.get(f"/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=DescribeFeatureType&TYPENAME={tn}"
                "&OUTPUTFORMAT=" + urllib.parse.quote("text/xml; subtype=gml/3.1.1"))
    assert r.status_code == 200 and "gml/3.1.1" in r.text, r.text[:400]
    r = srv.get(f"/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=DescribeFeatureType&TYPENAME={tn}"
                "&OUTPUTFORMAT=" + urllib.parse.quote("application/gml+xml; version=3.2"))
    assert r.status_code == 400 and 'locator="OUTPUTFORMAT"' in r.text, r.text[:400]


def test_inspire_auto_configuration_requests(srv, tmp_path):
    """What the INSPIRE validator's 'AutoConfigure WFS' asks, from the capabilities alone:
    the schema in every DescribeFeatureType format listed (blacklisting GML 3.1.1), then for
    every FeatureType the hits of a GetFeature in the last of those formats (sorted, as the
    ETS keeps them), with the type's prefix bound through NAMESPACES to the namespace the
    capabilities declare for it: each answers a FeatureCollection with numberMatched, the
    count of the source."""
    import xml.etree.ElementTree as ET
    r, root = caps_tree(srv)
    formats = sorted(f for f in allowed_values(root, "DescribeFeatureType", "outputFormat")
                     if f not in ("text/xml; subtype=gml/3.1.1", "application/gml+xml; version=3.1"))
    assert formats
    for f in formats:
        d = wfs(srv, REQUEST="DescribeFeatureType", OUTPUTFORMAT=f)
        assert d.status_code == 200 and ET.fromstring(d.content).tag == "{http://www.w3.org/2001/XMLSchema}schema"
    names = [e.text for e in root.iter("{http://www.opengis.net/wfs/2.0}Name")]
    bound = dict(re.findall(r'xmlns:(\w+)="([^"]+)"', r.text))
    ds = helpers.ogr().Open(str(PCRS_SRC))
    pcrs_counts = {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount())}
    checked = 0
    for name in names:
        prefix, local = name.split(":", 1)
        h = wfs(srv, REQUEST="GetFeature", RESULTTYPE="hits", TYPENAMES=name, OUTPUTFORMAT=formats[-1],
                NAMESPACES=f"xmlns({prefix},{bound[prefix]})")
        assert h.status_code == 200, (name, h.text[:400])
        fc = ET.fromstring(h.content)
        assert fc.tag == "{http://www.opengis.net/wfs/2.0}FeatureCollection" and fc.get("numberMatched"), name
        dataset, layer = local.split(".", 1)
        if dataset == "pcrs":
            assert int(fc.get("numberMatched")) == pcrs_counts[layer], name
            checked += 1
        elif local == DEPTS:
            assert int(fc.get("numberMatched")) == len(lonlat_rows(DEPTS_SRC, None))
            checked += 1
    assert checked == len(names), (checked, names)


# ----------------------------------------------------------------- FES 2.0: Minimum Temporal filter

FES = "http://www.opengis.net/fes/2.0"
GML = "http://www.opengis.net/gml/3.2"
# DERIVED: points with a Date (`jour`), a DateTime with UTC offsets (`instant`) and a text that holds
# dates but once not (`texte`, a String field as PCRS's dateLeve is); `n` is a number. Days on and
# around the ends of May 2021, instants either side of midnight in other offsets.
EVENTS = [
    ("a", "2021-04-30", "2021-04-30T23:59:59Z", "2021-04-30", 1),
    ("b", "2021-05-01", "2021-05-01T00:30:00+02:00", "2021-05-01", 2),   # 2021-04-30T22:30Z
    ("c", "2021-05-02", "2021-05-01T00:00:00Z", "2021-05-02", 3),
    ("d", "2021-05-15", "2021-05-15T12:00:00+02:00", "inconnue", 4),     # 10:00Z
    ("e", "2021-05-15", "2021-05-15T10:00:00Z", "2021-05-15T10:00:00Z", 5),
    ("f", "2021-05-30", "2021-05-31T23:59:00Z", "2021-05", 6),
    ("g", "2021-05-31", "2021-06-01T01:00:00+02:00", "2021-05-31", 7),   # 2021-05-31T23:00Z
    ("h", "2021-06-01", "2021-06-01T00:00:00Z", "2021-06-01", 8),
    ("i", "2022-01-01", "2022-01-01T00:00:00-05:00", "2022", 9),
]


def span(text):
    """The (first, last) nanoseconds a date, month, year or date-time names, from Python's own
    calendar: the oracle the server's answers are checked against."""
    t = text.strip()
    ns = 1_000_000_000
    if "T" in t:
        d = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
        x = int(d.timestamp()) * ns + d.microsecond * 1000
        return x, x
    parts = [int(p) for p in t.split("-")]
    start = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if len(parts) == 3:
        end = start + dt.timedelta(days=1)
    elif len(parts) == 2:
        end = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    else:
        end = dt.date(start.year + 1, 1, 1)
    epoch = dt.date(1970, 1, 1)
    return (start - epoch).days * 86400 * ns, (end - epoch).days * 86400 * ns - 1


def relation(op, v, o):
    """ISO 19108 on closed spans (FES 2.0 §7.14)."""
    return {"After": v[0] > o[1], "Before": v[1] < o[0], "During": o[0] < v[0] and v[1] < o[1],
            "TEquals": v == o}[op]


def expected(field, op, operand):
    col = {"jour": 1, "instant": 2, "texte": 3}[field]
    out = []
    for row in EVENTS:
        try:
            v = span(row[col])
        except ValueError:
            continue  # not a date: no relation holds
        if relation(op, v, operand):
            out.append(row[0])
    return sorted(out)


@pytest.fixture(scope="module")
def tsrv(geocentre_bin, tmp_path_factory):
    import json
    root = tmp_path_factory.mktemp("conformance-temporal")
    src = root / "evenements.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": nom, "jour": jour, "instant": inst, "texte": texte, "n": n},
         "geometry": {"type": "Point", "coordinates": [1.9 + n / 100, 47.9]}}
        for nom, jour, inst, texte, n in EVENTS]}))
    ds = helpers.ogr().Open(str(src))
    d = ds.GetLayer(0).GetLayerDefn()
    kinds = {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName() for i in range(d.GetFieldCount())}
    assert kinds == {"nom": "String", "jour": "Date", "instant": "DateTime", "texte": "String", "n": "Integer"}
    data = root / "data"
    data.mkdir()
    helpers.ingest_vector(data, "temps", [src])
    helpers.ingest_vector(data, "pcrs", [PCRS_SRC])
    s = Server(data_dir=data, log_path=root / "server.log").start()
    yield s
    s.stop()


TEMPS = "gc:temps.evenements"


def time_xml(operand):
    """A gml:TimeInstant or gml:TimePeriod (a pair) of `operand`."""
    if isinstance(operand, tuple):
        return (f'<gml:TimePeriod gml:id="p"><gml:beginPosition>{operand[0]}</gml:beginPosition>'
                f'<gml:endPosition>{operand[1]}</gml:endPosition></gml:TimePeriod>')
    return f'<gml:TimeInstant gml:id="i"><gml:timePosition>{operand}</gml:timePosition></gml:TimeInstant>'


def temporal_filter(op, field, operand, prefix="gc:"):
    return (f'<fes:Filter xmlns:fes="{FES}" xmlns:gml="{GML}" xmlns:gc="urn:x-geocentre:features">'
            f'<fes:{op}><fes:ValueReference>{prefix}{field}</fes:ValueReference>{time_xml(operand)}</fes:{op}>'
            f'</fes:Filter>')


def names_of(r):
    assert r.status_code == 200, r.text[:600]
    return sorted(f["properties"]["nom"] for f in r.json()["features"])


def operand_span(operand):
    if isinstance(operand, tuple):
        return span(operand[0])[0], span(operand[1])[1]
    return span(operand)


CASES = [
    ("During", ("2021-05-01", "2021-05-31")),
    ("During", ("2021-05-01T00:00:00Z", "2021-06-01T00:00:00Z")),
    ("During", ("2021-04-30T22:30:00Z", "2021-05-31T23:00:00Z")),
    ("During", ("2021-05", "2021")),
    ("After", "2021-05-31"),
    ("After", "2021-05-31T23:00:00Z"),
    ("After", "2021-06-01T01:00:00+02:00"),
    ("Before", "2021-05-01"),
    ("Before", "2021-05-01T00:00:00Z"),
    ("TEquals", "2021-05-15"),
    ("TEquals", "2021-05-15T10:00:00Z"),
    ("TEquals", "2021-05-15T12:00:00+02:00"),
    ("TEquals", "2021-05"),
]


def test_temporal_capabilities(tsrv, tmp_path):
    """FES 2.0 conformance class Minimum Temporal filter claimed (ISO 19143 Table 1; INSPIRE direct
    access download, ds-wfs-direct 'Conformance Classes'), the operators and operands read listed in
    fes:Temporal_Capabilities, and the capabilities still schema-valid."""
    import xml.etree.ElementTree as ET
    r = wfs(tsrv, REQUEST="GetCapabilities")
    root = ET.fromstring(r.content)
    conf = {c.get("name"): c.find(f"{OWS}DefaultValue").text
            for c in root.iter(f"{{{FES}}}Constraint")}
    assert conf["ImplementsMinTemporalFilter"] == "TRUE", conf
    tc = root.find(f"{{{FES}}}Filter_Capabilities/{{{FES}}}Temporal_Capabilities")
    assert tc is not None
    assert [o.get("name") for o in tc.iter(f"{{{FES}}}TemporalOperator")] == ["After", "Before", "During", "TEquals"]
    assert [o.get("name") for o in tc.iter(f"{{{FES}}}TemporalOperand")] == ["gml:TimeInstant", "gml:TimePeriod"]
    ok, out = helpers.validate_wfs_capabilities_inspire(r.content, tmp_path)
    assert ok, out


@pytest.mark.parametrize("field", ["jour", "instant", "texte"])
def test_temporal_operators_select_what_iso_19108_relates(tsrv, field):
    """During (strict at both ends), After, Before and TEquals, as KVP FILTER, on a Date, a DateTime
    (offsets other than UTC) and a text holding dates: a date is its whole day (a month, a year
    their whole span), a date-time its instant; a value that is no date matches nothing. Checked
    against the relations computed here on the source values."""
    for op, operand in CASES:
        r = wfs(tsrv, REQUEST="GetFeature", TYPENAMES=TEMPS, OUTPUTFORMAT="application/json",
                FILTER=temporal_filter(op, field, operand))
        want = expected(field, op, operand_span(operand))
        assert names_of(r) == want, (field, op, operand)
    # The relations are not all empty or all full: the cases discriminate.
    results = {tuple(expected(field, op, operand_span(o))) for op, o in CASES}
    assert len(results) > 6, results


def test_temporal_filters_in_xml_requests_and_with_other_operators(tsrv):
    """The same operators in a GetFeature POST (the filter inside the Query), with the property
    named through a prefix bound on the request, combined with a comparison, and in the
    fes:Literal forms (a gml:TimeInstant or a date inside)."""
    op, operand = "During", ("2021-05-01", "2021-05-31")
    body = (f'<wfs:GetFeature service="WFS" version="2.0.0" outputFormat="application/json" '
            f'xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="{FES}" xmlns:gml="{GML}" '
            f'xmlns:t="urn:x-geocentre:features"><wfs:Query typeNames="t:temps.evenements"><fes:Filter><fes:And>'
            f'<fes:{op}><fes:ValueReference>t:jour</fes:ValueReference>{time_xml(operand)}</fes:{op}>'
            f'<fes:PropertyIsGreaterThan><fes:ValueReference>t:n</fes:ValueReference><fes:Literal>3</fes:Literal>'
            f'</fes:PropertyIsGreaterThan></fes:And></fes:Filter></wfs:Query></wfs:GetFeature>')
    r = tsrv.http.post(tsrv.url("/wfs"), data=body.encode(), timeout=60, headers={"Content-Type": "application/xml"})
    want = [n for n in expected("jour", op, operand_span(operand)) if dict((e[0], e[4]) for e in EVENTS)[n] > 3]
    assert want and names_of(r) == sorted(want)
    for literal in ('<fes:Literal>2021-05-15</fes:Literal>',
                    '<fes:Literal><gml:TimeInstant gml:id="i"><gml:timePosition>2021-05-15</gml:timePosition>'
                    '</gml:TimeInstant></fes:Literal>'):
        f = (f'<fes:Filter xmlns:fes="{FES}" xmlns:gml="{GML}"><fes:TEquals><fes:ValueReference>jour'
             f'</fes:ValueReference>{literal}</fes:TEquals></fes:Filter>')
        r = wfs(tsrv, REQUEST="GetFeature", TYPENAMES=TEMPS, OUTPUTFORMAT="application/json", FILTER=f)
        assert names_of(r) == expected("jour", "TEquals", span("2021-05-15")) == ["d", "e"]
    # An open end: everything from June 2021 on.
    f = (f'<fes:Filter xmlns:fes="{FES}" xmlns:gml="{GML}"><fes:During><fes:ValueReference>instant'
         f'</fes:ValueReference><gml:TimePeriod gml:id="p"><gml:beginPosition>2021-05-31T23:30:00Z</gml:beginPosition>'
         f'<gml:endPosition indeterminatePosition="unknown"/></gml:TimePeriod></fes:During></fes:Filter>')
    r = wfs(tsrv, REQUEST="GetFeature", TYPENAMES=TEMPS, OUTPUTFORMAT="application/json", FILTER=f)
    assert names_of(r) == ["f", "h", "i"]


def test_temporal_filters_on_the_real_pcrs_survey_dates(tsrv):
    """REAL data: PCRS's dateLeve (the survey date, a text GDAL reads from the GML) on FacadePCRS,
    counted with OGR in the source for each relation to the dates it holds."""
    ds = helpers.ogr().Open(str(PCRS_SRC))
    values = [f.GetField("dateLeve") for f in ds.GetLayerByName("FacadePCRS")]
    assert values and all(values)
    for op, operand in [("During", ("2019-12-01", "2020-01-31")), ("During", ("2019-12-31", "2020-01-31")),
                        ("TEquals", values[0]), ("After", "2019-12-30"), ("Before", "2019-12-31"),
                        ("Before", "2020-01-01T00:00:00Z")]:
        want = sum(relation(op, span(v), operand_span(operand)) for v in values)
        r = wfs(tsrv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.FacadePCRS", RESULTTYPE="hits",
                FILTER=temporal_filter(op, "dateLeve", operand))
        assert number_matched(r) == want, (op, operand)
    assert number_matched(wfs(tsrv, REQUEST="GetFeature", TYPENAMES="gc:pcrs.FacadePCRS", RESULTTYPE="hits",
                              FILTER=temporal_filter("TEquals", "dateLeve", values[0]))) == len(values)


def test_temporal_filter_refusals(tsrv):
    """InvalidParameterValue on FILTER: a temporal operator on a number, a date that does not exist,
    a period that ends before it begins, a geometry where a time belongs, an unknown property."""
    for f in (temporal_filter("After", "n", "2021-05-01"),
              temporal_filter("After", "jour", "2021-02-29"),
              temporal_filter("During", "jour", ("2021-06-01", "2021-05-01")),
              temporal_filter("During", "jour", "2021-05-01").replace(
                  '<gml:TimeInstant gml:id="i"><gml:timePosition>2021-05-01</gml:timePosition></gml:TimeInstant>',
                  '<gml:Point gml:id="x"><gml:pos>1 2</gml:pos></gml:Point>'),
              temporal_filter("After", "nope", "2021-05-01")):
        assert_exception(wfs(tsrv, REQUEST="GetFeature", TYPENAMES=TEMPS, FILTER=f), "InvalidParameterValue",
                         "FILTER")
