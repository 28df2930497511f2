"""WFS 1.1.0 at /wfs, beside WFS 2.0, over the REAL admin GeoJSON of the repository's data/
(communes, départements; stored in WGS 84, so the default CRS is EPSG:4326 and
axis order matters) and a DERIVED GeoJSON of points whose names carry SQL and
pattern metacharacters.

Capabilities, DescribeFeatureType, GetFeature GML (results and hits) and the OWS
1.0.0 exception reports validate against the OFFICIAL wfs 1.1.0 / filter 1.1.0 /
GML 3.1.1 / OWS 1.0.0 schemas (plus the served application schema); GDAL's WFS
driver and OWSLib's 1.1.0 client read the features back, and every expected
value is computed from the source read by OGR."""
from __future__ import annotations

import json
import re
import urllib.parse
from xml.sax.saxutils import escape

import pytest

import helpers
from helpers import Server, describe_proc

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
T = "gc:admin.communes_centre_val_de_loire"
D = "gc:admin.departements_centre_val_de_loire"
NOMS = "gc:t.noms"
TRICKY = ["O'Brien", "' OR 1=1 --", "50% off", "a_b", "a*b", "x\"y", "<b>", "Orl*", "plain", "a&b"]
OGC = 'xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml"'
GML31 = "text/xml; subtype=gml/3.1.1"


@pytest.fixture(scope="module")
def wfs(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wfs11")
    pts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": n, "n": i},
         "geometry": {"type": "Point", "coordinates": [1.9 + i * 0.001, 47.9]}}
        for i, n in enumerate(TRICKY)]}
    (tmp / "noms.geojson").write_text(json.dumps(pts))  # DERIVED test data
    data = tmp / "data"
    for args in (["--dataset", "admin", "--title", "Limites administratives", str(COMMUNES), str(DEPARTEMENTS)],
                 ["--dataset", "t", str(tmp / "noms.geojson")]):
        proc = helpers.run_cli(["vector", "ingest", *args], data_dir=data)
        assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "base": srv.url(""), "tmp": tmp}
    srv.stop()


@pytest.fixture(scope="module")
def src():
    """code -> (nom, geometry lon/lat) of the source communes, read by OGR."""
    ds = helpers.gdal().OpenEx(str(COMMUNES))
    return {f.GetField("code"): (f.GetField("nom"), f.GetGeometryRef().Clone()) for f in ds.GetLayer(0)}


def ogr_source_names(where=None, rect=None):
    """Commune names the source layer gives OGR for an attribute filter / a lon/lat rectangle."""
    ds = helpers.gdal().OpenEx(str(COMMUNES))
    lyr = ds.GetLayer(0)
    if where:
        lyr.SetAttributeFilter(where)
    if rect:
        lyr.SetSpatialFilterRect(*rect)
    return sorted(f.GetField("nom") for f in lyr)


def features(lyr):
    """[(attributes, geometry)] of an OGR layer; GDAL's WFS driver adds gml_id."""
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    return [({n: f.GetField(n) for n in names if n != "gml_id"}, f.GetGeometryRef().Clone()) for f in lyr]


def get(w, **params):
    q = {"SERVICE": "WFS", "VERSION": "1.1.0", **params}
    return w["srv"].get("/wfs?" + urllib.parse.urlencode(q))


def post(w, body: str):
    import requests
    return requests.post(w["srv"].url("/wfs"), data=body.encode(), timeout=60,
                         headers={"Content-Type": "text/xml"})


def ogc_filter(body: str) -> str:
    return f"<ogc:Filter {OGC}>{body}</ogc:Filter>"


def equal_to(prop, literal):
    return (f"<ogc:PropertyIsEqualTo><ogc:PropertyName>{prop}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(literal)}</ogc:Literal></ogc:PropertyIsEqualTo>")


def like(prop, pattern):
    return (f'<ogc:PropertyIsLike wildCard="*" singleChar="." escapeChar="!"><ogc:PropertyName>{prop}'
            f"</ogc:PropertyName><ogc:Literal>{escape(pattern)}</ogc:Literal></ogc:PropertyIsLike>")


def names(r):
    assert r.status_code == 200, r.text[:400]
    return sorted(f["properties"]["nom"] for f in r.json()["features"])


def app_schema(w, tmp, typename=T):
    r = get(w, REQUEST="DescribeFeatureType", TYPENAME=typename)
    assert r.status_code == 200, r.text[:300]
    return helpers.wfs11_schema(tmp, describe_xml=r.text)


def first_pair(gml_text):
    m = re.search(r"<gml:posList[^>]*>\s*(\S+) (\S+)", gml_text)
    return float(m.group(1)), float(m.group(2))


def orleans_fid(w):
    d = get(w, REQUEST="GetFeature", TYPENAME=T, OUTPUTFORMAT="application/json",
            FILTER=ogc_filter(equal_to("code", "45234"))).json()
    assert [f["properties"]["nom"] for f in d["features"]] == ["Orléans"]
    return d["features"][0]["id"]


# ---------------------------------------------------------------- capabilities and versions

def test_capabilities_validate_with_inspire_and_list_the_types(wfs, tmp_path):
    r = get(wfs, REQUEST="GetCapabilities")
    assert r.status_code == 200
    assert '<wfs:WFS_Capabilities version="1.1.0"' in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "caps11.xml",
                                   schema=helpers.wfs11_schema(tmp_path, inspire=True))
    assert ok, out
    for t in (T, D, NOMS):
        assert f"<wfs:Name>{t}</wfs:Name>" in r.text
    assert "<wfs:DefaultSRS>urn:x-ogc:def:crs:EPSG:4326</wfs:DefaultSRS>" in r.text
    assert "<wfs:OtherSRS>urn:x-ogc:def:crs:EPSG:2154</wfs:OtherSRS>" in r.text
    assert f"<wfs:Format>{GML31}</wfs:Format>" in r.text
    assert "<ogc:ComparisonOperator>Like</ogc:ComparisonOperator>" in r.text
    assert re.findall(r"<inspire_common:Code>([^<]+)</inspire_common:Code>", r.text) == ["admin", "t"]
    # The check can fail: a 2.0 element name in a 1.1 document is refused.
    broken = r.content.replace(b"wfs:DefaultSRS>", b"wfs:DefaultCRS>")
    ok, _ = helpers.validate_xml(broken, tmp_path, "caps11-broken.xml",
                                 schema=helpers.wfs11_schema(tmp_path, inspire=True))
    assert not ok


@pytest.mark.parametrize("params,version", [
    ({"ACCEPTVERSIONS": "1.1.0"}, "1.1.0"),
    ({"ACCEPTVERSIONS": "3.0.0,1.1.0,1.0.0"}, "1.1.0"),
    ({"ACCEPTVERSIONS": "2.0.0,1.1.0"}, "2.0.0"),
    ({"VERSION": "1.1.0"}, "1.1.0"),
    ({}, "2.0.0"),
])
def test_version_negotiation(wfs, params, version):
    r = wfs["srv"].get("/wfs?" + urllib.parse.urlencode({"SERVICE": "WFS", "REQUEST": "GetCapabilities", **params}))
    assert r.status_code == 200, r.text[:300]
    assert re.search(r'<wfs:WFS_Capabilities version="([^"]+)"', r.text).group(1) == version


@pytest.mark.parametrize("params,locator", [
    ({"ACCEPTVERSIONS": "1.0.0,3.0.0"}, "AcceptVersions"),
    ({"VERSION": "1.0.0"}, "VERSION"),
])
def test_unsupported_versions_fail_negotiation(wfs, tmp_path, params, locator):
    r = wfs["srv"].get("/wfs?" + urllib.parse.urlencode({"SERVICE": "WFS", "REQUEST": "GetCapabilities", **params}))
    assert r.status_code == 400
    assert 'exceptionCode="VersionNegotiationFailed"' in r.text and f'locator="{locator}"' in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "neg.xml")
    assert ok, out
    # Other requests name their version; an unknown one is an invalid value, as in 2.0.
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, VERSION="1.5.0")
    assert r.status_code == 400 and 'locator="VERSION"' in r.text


def test_post_get_capabilities_accept_versions(wfs):
    r = post(wfs, '<GetCapabilities xmlns="http://www.opengis.net/wfs" xmlns:ows="http://www.opengis.net/ows">'
                  "<ows:AcceptVersions><ows:Version>1.1.0</ows:Version></ows:AcceptVersions></GetCapabilities>")
    assert r.status_code == 200 and '<wfs:WFS_Capabilities version="1.1.0"' in r.text


# ---------------------------------------------------------------- DescribeFeatureType, GetFeature GML

def test_describe_feature_type_is_gml311(wfs, tmp_path):
    r = get(wfs, REQUEST="DescribeFeatureType", TYPENAME=T)
    assert r.status_code == 200 and r.headers["content-type"].startswith(GML31)
    assert 'schemaLocation="http://schemas.opengis.net/gml/3.1.1/base/gml.xsd"' in r.text
    assert 'substitutionGroup="gml:_Feature"' in r.text and 'base="gml:AbstractFeatureType"' in r.text
    # Both types at once, as GDAL asks.
    r2 = get(wfs, REQUEST="DescribeFeatureType", TYPENAME=f"{T},{D}")
    assert r2.status_code == 200 and r2.text.count("<xsd:complexType") == 2


def test_getfeature_gml_validates_against_the_described_schema(wfs, tmp_path):
    schema = app_schema(wfs, tmp_path, D)
    r = get(wfs, REQUEST="GetFeature", TYPENAME=D, MAXFEATURES="2")
    assert r.status_code == 200 and r.headers["content-type"].startswith(GML31)
    assert 'numberOfFeatures="2"' in r.text and r.text.count("<gml:featureMember>") == 2
    assert len(re.findall(r'gml:id="admin\.departements_centre_val_de_loire\.\d+"', r.text)) == 2
    ok, out = helpers.validate_xml(r.content, tmp_path, "gf11.xml", schema=schema)
    assert ok, out
    # The check can fail: a property the schema does not declare.
    broken = r.content.replace(b"<gc:nom>", b"<gc:nomm>").replace(b"</gc:nom>", b"</gc:nomm>")
    ok, _ = helpers.validate_xml(broken, tmp_path, "gf11-broken.xml", schema=schema)
    assert not ok
    # ... and a schema written for GML 3.2 does not compile against GML 3.1.1.
    d = get(wfs, REQUEST="DescribeFeatureType", TYPENAME=D).text.replace("gml:_Feature", "gml:AbstractFeature")
    ok, _ = helpers.validate_xml(r.content, tmp_path, "gf11-b.xml", schema=helpers.wfs11_schema(tmp_path, d))
    assert not ok


def test_resulttype_hits(wfs, src, tmp_path):
    schema = app_schema(wfs, tmp_path)
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, RESULTTYPE="hits")
    assert r.status_code == 200
    assert f'numberOfFeatures="{len(src)}"' in r.text and "featureMember" not in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "hits11.xml", schema=schema)
    assert ok, out
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, RESULTTYPE="hits", FILTER=ogc_filter(like("code", "45*")))
    assert f'numberOfFeatures="{sum(1 for c in src if c.startswith("45"))}"' in r.text


def test_featureid_unknown_is_an_empty_collection(wfs, tmp_path):
    schema = app_schema(wfs, tmp_path)
    fid = orleans_fid(wfs)
    r = get(wfs, REQUEST="GetFeature", FEATUREID=f"admin.communes_centre_val_de_loire.{fid}")
    assert r.status_code == 200 and "<gc:nom>Orléans</gc:nom>" in r.text and 'numberOfFeatures="1"' in r.text
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, FEATUREID="admin.communes_centre_val_de_loire.999999")
    assert r.status_code == 200 and 'numberOfFeatures="0"' in r.text and "featureMember" not in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "empty11.xml", schema=schema)
    assert ok, out
    # Identifiers in a filter (FES 1.1 GmlObjectId / FeatureId) select the same way.
    f = ogc_filter(f'<ogc:GmlObjectId gml:id="admin.communes_centre_val_de_loire.{fid}"/>'
                   '<ogc:FeatureId fid="admin.communes_centre_val_de_loire.999999"/>')
    assert names(get(wfs, REQUEST="GetFeature", TYPENAME=T, FILTER=f, OUTPUTFORMAT="application/json")) \
        == ["Orléans"]


def test_json_csv_sortby_propertyname(wfs, src):
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, OUTPUTFORMAT="text/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    # No paging in 1.1: one answer holds every commune.
    assert len(r.text.strip().splitlines()) == len(src) + 1
    d = get(wfs, REQUEST="GetFeature", TYPENAME=T, OUTPUTFORMAT="application/json", SORTBY="nom D",
            PROPERTYNAME="nom", FILTER=ogc_filter(like("code", "45*"))).json()
    want = sorted((n for c, (n, _) in src.items() if c.startswith("45")), reverse=True)
    assert [f["properties"]["nom"] for f in d["features"]] == want
    assert all(set(f["properties"]) == {"nom"} for f in d["features"])
    # STARTINDEX (GDAL's paging option) is zero-based, as in 2.0.
    d2 = get(wfs, REQUEST="GetFeature", TYPENAME=T, OUTPUTFORMAT="application/json", SORTBY="nom D",
             MAXFEATURES="5", STARTINDEX="3", FILTER=ogc_filter(like("code", "45*"))).json()
    assert [f["properties"]["nom"] for f in d2["features"]] == want[3:8]


# ---------------------------------------------------------------- exceptions

@pytest.mark.parametrize("params,code,locator,status", [
    ({"REQUEST": "GetFeature"}, "MissingParameterValue", "TYPENAME", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": "gc:nope.nothing"}, "InvalidParameterValue", "TYPENAME", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": T, "MAXFEATURES": "0"}, "InvalidParameterValue", "MAXFEATURES", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": T, "SRSNAME": "EPSG:27700"}, "InvalidParameterValue", "SRSNAME", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": T, "BBOX": "1,2,3"}, "InvalidParameterValue", "BBOX", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": T, "OUTPUTFORMAT": "application/gml+xml; version=3.2"},
     "InvalidParameterValue", "OUTPUTFORMAT", 400),
    ({"REQUEST": "GetFeature", "TYPENAME": T, "SORTBY": "exec(1) A"}, "InvalidParameterValue", "SORTBY", 400),
    ({"REQUEST": "Transaction"}, "OperationNotSupported", "REQUEST", 501),
    ({"REQUEST": "LockFeature"}, "OperationNotSupported", "REQUEST", 501),
    ({"REQUEST": "GetPropertyValue", "TYPENAME": T, "VALUEREFERENCE": "nom"},
     "OperationNotSupported", "REQUEST", 501),
])
def test_errors_are_ows10_exception_reports(wfs, tmp_path, params, code, locator, status):
    r = get(wfs, **params)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert 'xmlns:ows="http://www.opengis.net/ows"' in r.text and 'version="1.0.0"' in r.text
    assert f'exceptionCode="{code}"' in r.text and f'locator="{locator}"' in r.text, r.text[:400]
    ok, out = helpers.validate_ows10_exception(r.content, tmp_path)
    assert ok, out


def test_exception_report_check_can_fail(wfs, tmp_path):
    r = get(wfs, REQUEST="GetFeature", TYPENAME="gc:nope.nothing")
    broken = r.content.replace(b'version="1.0.0"', b"")
    ok, _ = helpers.validate_ows10_exception(broken, tmp_path, "exc-broken.xml")
    assert not ok
    # The OWS 1.1 report (2.0's) is not a 1.0.0 one.
    r2 = wfs["srv"].get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:nope.nothing")
    ok, _ = helpers.validate_ows10_exception(r2.content, tmp_path, "exc-20.xml")
    assert not ok


# ---------------------------------------------------------------- FES 1.1 safety

@pytest.mark.parametrize("prop", ["population", "exec(x)", "../nom", "nom/text()", "@id"])
def test_unknown_property_names_are_exceptions(wfs, tmp_path, prop):
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, FILTER=ogc_filter(equal_to(prop, "1")))
    assert r.status_code == 400 and 'locator="FILTER"' in r.text and "InvalidParameterValue" in r.text
    ok, out = helpers.validate_ows10_exception(r.content, tmp_path)
    assert ok, out


@pytest.mark.parametrize("value", TRICKY)
def test_sql_metacharacters_in_literals_match_exactly(wfs, value):
    r = get(wfs, REQUEST="GetFeature", TYPENAME=NOMS, OUTPUTFORMAT="application/json",
            FILTER=ogc_filter(equal_to("nom", value)))
    assert names(r) == [value]


def test_like_marks_are_the_clients_own(wfs):
    for pattern, want in (("a!*b", ["a*b"]), ("50%*", ["50% off"]), ("a.b", ["a&b", "a*b", "a_b"]),
                          ("Orl!*", ["Orl*"]), ("*1=1*", ["' OR 1=1 --"])):
        r = get(wfs, REQUEST="GetFeature", TYPENAME=NOMS, OUTPUTFORMAT="application/json",
                FILTER=ogc_filter(like("nom", pattern)))
        assert names(r) == want, pattern
    # FES 1.0's `escape` attribute, still written by 1.1 clients.
    f = ogc_filter('<ogc:PropertyIsLike wildCard="*" singleChar="." escape="!"><ogc:PropertyName>nom'
                   "</ogc:PropertyName><ogc:Literal>a!*b</ogc:Literal></ogc:PropertyIsLike>")
    assert names(get(wfs, REQUEST="GetFeature", TYPENAME=NOMS, OUTPUTFORMAT="application/json", FILTER=f)) \
        == ["a*b"]


# ---------------------------------------------------------------- axis order

def test_urn_and_short_epsg_4326_are_swapped(wfs, tmp_path):
    schema = app_schema(wfs, tmp_path)
    fid = f"admin.communes_centre_val_de_loire.{orleans_fid(wfs)}"
    docs = {}
    for srs in ("urn:ogc:def:crs:EPSG::4326", "urn:x-ogc:def:crs:EPSG:4326", "EPSG:4326", None):
        params = {"REQUEST": "GetFeature", "FEATUREID": fid}
        if srs:
            params["SRSNAME"] = srs
        r = get(wfs, **params)
        assert r.status_code == 200, r.text[:300]
        ok, out = helpers.validate_xml(r.content, tmp_path, "axis.xml", schema=schema)
        assert ok, out
        docs[srs] = r.text
    lat, lon = first_pair(docs["urn:ogc:def:crs:EPSG::4326"])
    assert 47.7 < lat < 48.0 and 1.8 < lon < 2.0  # Orléans, latitude first
    assert first_pair(docs["urn:x-ogc:def:crs:EPSG:4326"]) == (lat, lon)
    assert first_pair(docs[None]) == (lat, lon)  # the default SRS is the URN
    assert first_pair(docs["EPSG:4326"]) == (lon, lat)
    assert 'srsName="EPSG:4326"' in docs["EPSG:4326"] and 'srsName="urn:' not in docs["EPSG:4326"]
    # Lambert-93 is x/y whatever its name.
    x, y = first_pair(get(wfs, REQUEST="GetFeature", FEATUREID=fid, SRSNAME="EPSG:2154").text)
    assert 600_000 < x < 640_000 and 6_700_000 < y < 6_800_000


def test_bbox_axis_order_follows_the_crs_name(wfs):
    want = ogr_source_names(rect=(1.899, 47.899, 1.901, 47.901))
    assert want == ["Orléans"]
    for bbox in ("47.899,1.899,47.901,1.901,urn:ogc:def:crs:EPSG::4326",
                 "47.899,1.899,47.901,1.901",  # no CRS: the default SRS, a URN
                 "1.899,47.899,1.901,47.901,EPSG:4326"):
        r = get(wfs, REQUEST="GetFeature", TYPENAME=T, BBOX=bbox, OUTPUTFORMAT="application/json")
        assert names(r) == want, bbox
    # The short form is x/y: latitude first there finds nothing.
    r = get(wfs, REQUEST="GetFeature", TYPENAME=T, BBOX="47.899,1.899,47.901,1.901,EPSG:4326",
            OUTPUTFORMAT="application/json")
    assert names(r) == []


# ---------------------------------------------------------------- XML POST

def test_xml_post_equals_kvp(wfs):
    query = f"""<wfs:Query typeName="{T}">
    <wfs:PropertyName>nom</wfs:PropertyName><wfs:PropertyName>code</wfs:PropertyName>
    <ogc:Filter>{like("code", "45*")}</ogc:Filter>
    <ogc:SortBy><ogc:SortProperty><ogc:PropertyName>nom</ogc:PropertyName>
      <ogc:SortOrder>DESC</ogc:SortOrder></ogc:SortProperty></ogc:SortBy>
  </wfs:Query>"""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<wfs:GetFeature service="WFS" version="1.1.0" '
            'xmlns:wfs="http://www.opengis.net/wfs" xmlns:ogc="http://www.opengis.net/ogc" '
            'xmlns:gml="http://www.opengis.net/gml" xmlns:gc="urn:x-geocentre:features"')
    kvp = dict(REQUEST="GetFeature", TYPENAME=T, FILTER=ogc_filter(like("code", "45*")), SORTBY="nom D",
               PROPERTYNAME="nom,code", MAXFEATURES="10")
    for fmt in ("application/json", None):
        attrs = ' maxFeatures="10"' + (f' outputFormat="{fmt}"' if fmt else "")
        r = post(wfs, f"{head}{attrs}>{query}</wfs:GetFeature>")
        k = get(wfs, **kvp, **({"OUTPUTFORMAT": fmt} if fmt else {}))
        assert r.status_code == 200 and k.status_code == 200, r.text[:400]
        if fmt:
            assert r.json()["features"] == k.json()["features"] and len(r.json()["features"]) == 10
        else:
            ids = re.findall(r'gml:id="([^"]+)"', r.text)
            assert ids == re.findall(r'gml:id="([^"]+)"', k.text) and len(ids) == 10
            strip = lambda t: re.sub(r'timeStamp="[^"]*"', "", t)  # noqa: E731
            assert strip(r.text) == strip(k.text)
    r = post(wfs, f'{head} resultType="hits">{query}</wfs:GetFeature>')
    n = get(wfs, REQUEST="GetFeature", TYPENAME=T, RESULTTYPE="hits", FILTER=ogc_filter(like("code", "45*")))
    assert re.search(r'numberOfFeatures="\d+"', r.text).group(0) == \
        re.search(r'numberOfFeatures="\d+"', n.text).group(0)
    r = post(wfs, f'<wfs:DescribeFeatureType version="1.1.0" service="WFS" xmlns:wfs="http://www.opengis.net/wfs">'
                  f"<wfs:TypeName>{T}</wfs:TypeName></wfs:DescribeFeatureType>")
    assert r.status_code == 200 and r.text == get(wfs, REQUEST="DescribeFeatureType", TYPENAME=T).text


def test_xml_post_refuses_dtds_and_transactions(wfs, tmp_path):
    entity = ('<ogc:PropertyIsEqualTo><ogc:PropertyName>nom</ogc:PropertyName><ogc:Literal>&x;</ogc:Literal>'
              "</ogc:PropertyIsEqualTo>")
    query = f'<wfs:Query typeName="{T}"><ogc:Filter {OGC}>{entity}</ogc:Filter></wfs:Query>'
    root = '<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs" service="WFS" version="1.1.0">'
    xxe = f'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>{root}{query}</wfs:GetFeature>'
    # Refused, with or without the DTD. The report is in the version the root
    # declares (OWS 1.0.0 for 1.1.0), read apart from the body that does not parse;
    # but nothing past a DOCTYPE is read, so that body gets the default version's
    # report (OWS 1.1).
    r = post(wfs, xxe)
    assert r.status_code == 400 and "root:" not in r.text and "DOCTYPE" in r.text, r.text[:300]
    ok, out = helpers.validate_xml(r.content, tmp_path, "xxe.xml")
    assert ok, out
    r = post(wfs, f"{root}{query}</wfs:GetFeature>")
    assert r.status_code == 400 and "root:" not in r.text, r.text[:300]
    ok, out = helpers.validate_ows10_exception(r.content, tmp_path, "entity.xml")
    assert ok, out
    r = post(wfs, '<wfs:Transaction service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"/>')
    assert r.status_code == 501 and 'exceptionCode="OperationNotSupported"' in r.text
    ok, out = helpers.validate_ows10_exception(r.content, tmp_path, "tx.xml")
    assert ok, out


# ---------------------------------------------------------------- GDAL

class GdalLog:
    """GDAL's debug messages while active (the WFS driver logs every URL it fetches)."""

    def __enter__(self):
        g = helpers.gdal()
        self.g, self.lines = g, []
        self.old = g.GetConfigOption("CPL_DEBUG")
        g.SetConfigOption("CPL_DEBUG", "ON")
        g.PushErrorHandler(lambda cls, no, msg: self.lines.append(msg))
        return self

    def __exit__(self, *exc):
        self.g.PopErrorHandler()
        self.g.SetConfigOption("CPL_DEBUG", self.old)

    def urls(self, needle):
        """The URLs logged that contain needle, decoded."""
        decoded = (urllib.parse.unquote(m) for m in self.lines if "/wfs?" in m)
        return [u for u in decoded if needle in u]


def test_gdal_wfs_driver_reads_every_commune(wfs, src):
    g = helpers.gdal()
    ds = g.OpenEx(f"WFS:{wfs['base']}/wfs?VERSION=1.1.0", g.OF_VECTOR)
    assert ds is not None
    lyr = ds.GetLayerByName(T)
    assert lyr.GetFeatureCount() == len(src) == 1776  # RESULTTYPE=hits
    got = {a["code"]: (a, g) for a, g in features(lyr)}
    src_ds = helpers.gdal().OpenEx(str(COMMUNES))  # kept alive while its layer is read
    want = {a["code"]: (a, g) for a, g in features(src_ds.GetLayer(0))}
    assert len(got) == len(want)
    bad = []
    for code, (attrs, geom) in want.items():
        a2, g2 = got[code]
        # Every source attribute, as OGR reads it from the source.
        if any(a2.get(k) != v for k, v in attrs.items()):
            bad.append((code, attrs, a2))
            continue
        # GDAL reads the URN's latitude-first order back to lon/lat: no swap allowed here.
        c1, c2 = geom.Centroid(), g2.Centroid()
        if abs(geom.GetArea() - g2.GetArea()) > 1e-6 * geom.GetArea() \
                or abs(c1.GetX() - c2.GetX()) > 1e-7 or abs(c1.GetY() - c2.GetY()) > 1e-7:
            bad.append((code, "geometry"))
    assert not bad, bad[:10]


def test_gdal_attribute_and_spatial_filters_are_pushed(wfs):
    g = helpers.gdal()
    ds = g.OpenEx(f"WFS:{wfs['base']}/wfs?VERSION=1.1.0", g.OF_VECTOR)
    lyr = ds.GetLayerByName(T)
    for where in ("code = '45234'", "nom LIKE 'Saint-%'", "code >= '45000' AND code < '46000'"):
        with GdalLog() as log:
            lyr.SetAttributeFilter(where)
            got = sorted(f.GetField("nom") for f in lyr)
        assert got == ogr_source_names(where=where), where
        pushed = log.urls("REQUEST=GetFeature")
        assert pushed and all("FILTER=<Filter" in u and "http://www.opengis.net/ogc" in u for u in pushed), \
            (where, log.lines[-5:])
    lyr.SetAttributeFilter(None)
    rect = (1.85, 47.85, 1.95, 47.95)
    with GdalLog() as log:
        lyr.SetSpatialFilterRect(*rect)
        got = sorted(f.GetField("nom") for f in lyr)
    # GDAL writes a GML 2 Box, latitude first, without naming the CRS.
    assert any("<BBOX>" in u for u in log.urls("REQUEST=GetFeature")), log.lines[-5:]
    assert got == ogr_source_names(rect=rect) and "Orléans" in got


def test_gdal_spatial_filter_in_wfs_2_0_too(wfs):
    """WFS 2.0 advertises the default CRS as a URN as well: GDAL's 2.0 driver
    writes its filter geometry in that CRS's order (latitude first for the
    communes, stored in EPSG:4326) without an srsName."""
    g = helpers.gdal()
    ds = g.OpenEx(f"WFS:{wfs['base']}/wfs?VERSION=2.0.0", g.OF_VECTOR)
    lyr = ds.GetLayerByName(T)
    rect = (1.85, 47.85, 1.95, 47.95)
    with GdalLog() as log:
        lyr.SetSpatialFilterRect(*rect)
        got = sorted(f.GetField("nom") for f in lyr)
    pushed = log.urls("REQUEST=GetFeature")
    assert pushed and any("FILTER=" in u for u in pushed), log.lines[-5:]
    assert got == ogr_source_names(rect=rect) and "Orléans" in got, (got, pushed[-1:])


def test_gdal_paging_option_reads_every_commune_once(wfs, src):
    g = helpers.gdal()
    g.SetConfigOption("OGR_WFS_PAGING_ALLOWED", "ON")
    g.SetConfigOption("OGR_WFS_PAGE_SIZE", "500")
    try:
        with GdalLog() as log:
            ds = g.OpenEx(f"WFS:{wfs['base']}/wfs?VERSION=1.1.0", g.OF_VECTOR)
            lyr = ds.GetLayerByName(T)
            ids = [f.GetField("gml_id") for f in lyr]
    finally:
        g.SetConfigOption("OGR_WFS_PAGING_ALLOWED", None)
        g.SetConfigOption("OGR_WFS_PAGE_SIZE", None)
    assert len(ids) == len(set(ids)) == len(src)
    assert any("STARTINDEX=1500" in u and "MAXFEATURES=500" in u for u in log.urls("REQUEST=GetFeature"))


# ---------------------------------------------------------------- OWSLib

def test_owslib_contents_bbox_and_filters(wfs, src):
    from owslib.etree import etree
    from owslib.fes import PropertyIsEqualTo, PropertyIsLike
    from owslib.wfs import WebFeatureService
    w = WebFeatureService(f"{wfs['base']}/wfs", version="1.1.0")
    assert w.version == "1.1.0" and {T, D, NOMS} <= set(w.contents)
    assert w.contents[T].crsOptions[0].getcode() == "EPSG:4326"
    # A Lambert-93 box named by URN; OGR on the source: the box's lon/lat envelope.
    from osgeo import ogr, osr
    l93 = (617000, 6752000, 619000, 6754000)
    box = ogr.CreateGeometryFromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(*l93))
    box.Segmentize(50)
    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromEPSG(2154)
    b.ImportFromEPSG(4326)
    b.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    box.Transform(osr.CoordinateTransformation(a, b))
    e = box.GetEnvelope()
    want = ogr_source_names(rect=(e[0], e[2], e[1], e[3]))
    assert want == ["Olivet", "Orléans"]
    r = w.getfeature(typename=[T], bbox=(*l93, "urn:ogc:def:crs:EPSG::2154"), outputFormat="application/json")
    assert sorted(f["properties"]["nom"] for f in json.loads(r.read())["features"]) == want
    # A lon/lat box in the default SRS: OWSLib writes it latitude first, with the URN.
    rect = (1.85, 47.85, 1.95, 47.95)
    r = w.getfeature(typename=[T], bbox=rect, outputFormat="application/json")
    assert sorted(f["properties"]["nom"] for f in json.loads(r.read())["features"]) == ogr_source_names(rect=rect)
    # FES 1.1 filters from owslib.fes, by GET and by POST.
    for flt, where in ((PropertyIsLike(propertyname="nom", literal="Saint-*", wildCard="*"), "nom LIKE 'Saint-%'"),
                       (PropertyIsEqualTo(propertyname="code", literal="45234"), "code = '45234'")):
        body = f'<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">{etree.tostring(flt.toXML()).decode()}</ogc:Filter>'
        want = ogr_source_names(where=where)
        assert want
        for method in ("Get", "Post"):
            # OWSLib's POST takes the ogc:Filter from inside a wrapper element.
            f = body if method == "Get" else f"<w>{body}</w>"
            r = w.getfeature(typename=[T], filter=f, outputFormat="application/json", maxfeatures=2000,
                             method=method)
            got = sorted(x["properties"]["nom"] for x in json.loads(r.read())["features"])
            assert got == want, (where, method)
