"""WFS 2.0 beyond the basics, over the REAL admin GeoJSON of the repository's data/ (communes,
départements): SORTBY, PROPERTYNAME, RESULTTYPE=hits, CSV output, GetPropertyValue,
stored queries (GetFeatureById), XML POST, the INSPIRE download-service extended
capabilities and the ISO 19139 records they point to, and OWSLib's WFS 2.0 client
with a filter. Every expected value is computed from the source read by OGR."""
from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
T = "gc:admin.communes_centre_val_de_loire"
WFS_XSD = str(helpers.SCHEMAS / "ogc/wfs/2.0/wfs.xsd")
LOIRET_FILTER = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsLike '
                 'wildCard="*" singleChar="." escapeChar="!"><fes:ValueReference>code</fes:ValueReference>'
                 '<fes:Literal>45*</fes:Literal></fes:PropertyIsLike></fes:Filter>')


@pytest.fixture(scope="module")
def wfs(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wfs-more")
    data = tmp / "data"
    proc = helpers.run_cli(["vector", "ingest", "--dataset", "admin", "--title", "Limites administratives",
                            str(COMMUNES), str(DEPARTEMENTS)], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "base": srv.url(""), "tmp": tmp}
    srv.stop()


@pytest.fixture(scope="module")
def src():
    ds = helpers.gdal().OpenEx(str(COMMUNES))
    lyr = ds.GetLayer(0)
    return {f.GetField("code"): {"nom": f.GetField("nom"), "geom": f.GetGeometryRef().Clone()} for f in lyr}


def get(w, **params):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    return w["srv"].get("/wfs?" + urllib.parse.urlencode(q))


def post(w, body: str):
    import requests
    return requests.post(w["srv"].url("/wfs"), data=body.encode(), timeout=60,
                         headers={"Content-Type": "application/xml"})


def app_schema(w, tmp):
    """The served DescribeFeatureType beside the official wfs.xsd."""
    r = get(w, REQUEST="DescribeFeatureType", TYPENAMES=T)
    assert r.status_code == 200, r.text[:300]
    return helpers.wfs_app_schema(r.text, tmp)


def geojson(r):
    assert r.status_code == 200, r.text[:400]
    return r.json()


# ---------------------------------------------------------------- INSPIRE

def test_capabilities_carry_inspire_download_identifiers(wfs, tmp_path):
    r = get(wfs, REQUEST="GetCapabilities")
    assert r.status_code == 200
    ok, out = helpers.validate_wfs_capabilities_inspire(r.content, tmp_path)
    assert ok, out
    assert re.findall(r"<inspire_common:Code>([^<]+)</inspire_common:Code>", r.text) == ["admin"]
    # The check can fail: an identifier without its code is invalid.
    broken = re.sub(rb"<inspire_common:Code>[^<]+</inspire_common:Code>", b"", r.content)
    ok, _ = helpers.validate_wfs_capabilities_inspire(broken, tmp_path, "broken.xml")
    assert not ok
    for op in ("GetPropertyValue", "ListStoredQueries", "DescribeStoredQueries"):
        assert f'<ows:Operation name="{op}">' in r.text
    assert "<fes:SpatialOperator name=\"Intersects\"/>" in r.text


def test_service_and_dataset_records_validate(wfs, tmp_path):
    caps = get(wfs, REQUEST="GetCapabilities").text
    url = re.search(r"<inspire_common:URL>([^<]+)</inspire_common:URL>", caps).group(1)
    svc = wfs["srv"].get(url.replace(wfs["base"], ""))
    assert svc.status_code == 200
    ok, out = helpers.validate_iso19139(svc.content, tmp_path, "svc.xml")
    assert ok, out
    assert "<gco:LocalName>download</gco:LocalName>" in svc.text
    hrefs = re.findall(r'operatesOn xlink:href="([^"]+)"', svc.text)
    assert len(hrefs) == 1 and hrefs[0].endswith("/api/vector/datasets/admin/metadata.xml")
    ds = wfs["srv"].get(hrefs[0].replace(wfs["base"], ""))
    assert ds.status_code == 200
    ok, out = helpers.validate_iso19139(ds.content, tmp_path, "ds.xml")
    assert ok, out
    assert "Limites administratives" in ds.text and "vector" in ds.text
    assert wfs["srv"].get("/api/vector/datasets/nope/metadata.xml").status_code == 404


# ---------------------------------------------------------------- SORTBY

@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_sortby_orders_like_python_and_pages_chain(wfs, src, order):
    want = sorted((v["nom"] for v in src.values()), reverse=order == "DESC")
    got = []
    for start in (0, 700, 1400):
        d = geojson(get(wfs, REQUEST="GetFeature", TYPENAMES=T, SORTBY=f"nom {order}", COUNT="700",
                        STARTINDEX=str(start), OUTPUTFORMAT="application/json"))
        got += [f["properties"]["nom"] for f in d["features"]]
    assert got == want
    # A filtered, sorted query: the Loiret by code, descending.
    d = geojson(get(wfs, REQUEST="GetFeature", TYPENAMES=T, SORTBY="code DESC", FILTER=LOIRET_FILTER,
                    COUNT="5", OUTPUTFORMAT="application/json"))
    loiret = sorted((c for c in src if c.startswith("45")), reverse=True)
    assert [f["properties"]["code"] for f in d["features"]] == loiret[:5]
    assert d["numberMatched"] == len(loiret)


def test_sortby_unknown_property_is_an_exception(wfs, tmp_path):
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, SORTBY="exec(1) ASC")
    assert r.status_code == 400 and "InvalidParameterValue" in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "exc.xml")
    assert ok, out
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, SORTBY="nom SIDEWAYS")
    assert r.status_code == 400 and 'locator="SORTBY"' in r.text


# ---------------------------------------------------------------- PROPERTYNAME, hits

def test_propertyname_selects_properties_in_gml_and_json(wfs, tmp_path):
    wrapper = app_schema(wfs, tmp_path)
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, PROPERTYNAME="nom", COUNT="3")
    assert r.status_code == 200
    ok, out = helpers.validate_xml(r.content, tmp_path, "pn.xml", schema=str(wrapper))
    assert ok, out
    assert r.text.count("<gc:nom>") == 3 and "<gc:code>" not in r.text and "<gc:geom>" not in r.text
    d = geojson(get(wfs, REQUEST="GetFeature", TYPENAMES=T, PROPERTYNAME="gc:code,geom", COUNT="3",
                    OUTPUTFORMAT="application/json"))
    assert all(set(f["properties"]) == {"code"} and f["geometry"] for f in d["features"])
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, PROPERTYNAME="nom,../x")
    assert r.status_code == 400 and "InvalidParameterValue" in r.text


def test_resulttype_hits_counts_without_features(wfs, src, tmp_path):
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, RESULTTYPE="hits")
    assert r.status_code == 200
    assert 'numberMatched="1776"' in r.text and 'numberReturned="0"' in r.text and "<wfs:member>" not in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "hits.xml", schema=WFS_XSD)
    assert ok, out
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, RESULTTYPE="hits", FILTER=LOIRET_FILTER)
    n = sum(1 for c in src if c.startswith("45"))
    assert f'numberMatched="{n}"' in r.text


# ---------------------------------------------------------------- CSV

def test_csv_output_matches_the_source(wfs, src):
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=T, OUTPUTFORMAT="text/csv", COUNT="2000")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 1776
    ogr = helpers.gdal().ogr if hasattr(helpers.gdal(), "ogr") else __import__("osgeo.ogr").ogr
    bad = []
    for row in rows:
        s = src[row["code"]]
        g = ogr.CreateGeometryFromWkt(row["geom"])
        if row["nom"] != s["nom"] or g is None or abs(g.GetArea() - s["geom"].GetArea()) > 1e-6 * s["geom"].GetArea():
            bad.append(row["code"])
    assert not bad, bad[:5]
    # Commas and quotes survive: every name read back exactly (checked above), and
    # GDAL's CSV driver reads the same file.
    p = wfs["tmp"] / "communes.csv"
    p.write_bytes(r.content)
    ds = helpers.gdal().OpenEx(str(p), open_options=["GEOM_POSSIBLE_NAMES=geom", "KEEP_GEOM_COLUMNS=NO"])
    assert ds.GetLayer(0).GetFeatureCount() == 1776


# ---------------------------------------------------------------- GetPropertyValue

def test_get_property_value(wfs, src, tmp_path):
    r = get(wfs, REQUEST="GetPropertyValue", TYPENAMES=T, VALUEREFERENCE="nom", FILTER=LOIRET_FILTER,
            COUNT="2000")
    assert r.status_code == 200, r.text[:300]
    ok, out = helpers.validate_xml(r.content, tmp_path, "gpv.xml", schema=WFS_XSD)
    assert ok, out
    got = sorted(re.findall(r"<wfs:member>([^<]*)</wfs:member>", r.text))
    want = sorted(v["nom"] for c, v in src.items() if c.startswith("45"))
    assert [s.replace("&apos;", "'").replace("&amp;", "&") for s in got] == want
    r = get(wfs, REQUEST="GetPropertyValue", TYPENAMES=T, VALUEREFERENCE="geom", COUNT="2")
    assert r.status_code == 200 and r.text.count("<gml:") >= 2
    ok, out = helpers.validate_xml(r.content, tmp_path, "gpv-geom.xml", schema=WFS_XSD)
    assert ok, out
    r = get(wfs, REQUEST="GetPropertyValue", TYPENAMES=T, VALUEREFERENCE="population")
    assert r.status_code == 400 and 'locator="VALUEREFERENCE"' in r.text


# ---------------------------------------------------------------- stored queries

def test_stored_queries_and_get_feature_by_id(wfs, src, tmp_path):
    for req in ("ListStoredQueries", "DescribeStoredQueries"):
        r = get(wfs, REQUEST=req)
        assert r.status_code == 200
        ok, out = helpers.validate_xml(r.content, tmp_path, f"{req}.xml", schema=WFS_XSD)
        assert ok, out
        assert "urn:ogc:def:query:OGC-WFS::GetFeatureById" in r.text and T in r.text
    first = geojson(get(wfs, REQUEST="GetFeature", TYPENAMES=T, COUNT="1", OUTPUTFORMAT="application/json"))
    fid = first["features"][0]["id"]
    code = first["features"][0]["properties"]["code"]
    rid = f"admin.communes_centre_val_de_loire.{fid}"
    r = get(wfs, REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById", ID=rid)
    assert r.status_code == 200
    assert r.text.lstrip().startswith(f'<gc:communes_centre_val_de_loire') or "<gc:admin.communes_centre_val_de_loire" in r.text[:200]
    assert "FeatureCollection" not in r.text and f"<gc:code>{code}</gc:code>" in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "byid.xml", schema=str(app_schema(wfs, tmp_path)))
    assert ok, out
    r = get(wfs, REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
            ID="admin.communes_centre_val_de_loire.999999")
    assert r.status_code == 404 and 'exceptionCode="NotFound"' in r.text
    # RESOURCEID takes several identifiers.
    d = geojson(get(wfs, REQUEST="GetFeature", RESOURCEID=f"{rid},admin.communes_centre_val_de_loire.{fid + 1}",
                    OUTPUTFORMAT="application/json"))
    assert len(d["features"]) == 2


# ---------------------------------------------------------------- POST

def test_xml_post_equals_kvp(wfs):
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<wfs:GetFeature service="WFS" version="2.0.0" count="10" outputFormat="application/json"
  xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="http://www.opengis.net/fes/2.0"
  xmlns:gc="urn:x-geocentre:features">
  <wfs:Query typeNames="{T}">
    <fes:Filter><fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">
      <fes:ValueReference>code</fes:ValueReference><fes:Literal>45*</fes:Literal>
    </fes:PropertyIsLike></fes:Filter>
    <fes:SortBy><fes:SortProperty><fes:ValueReference>nom</fes:ValueReference>
      <fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy>
  </wfs:Query>
</wfs:GetFeature>"""
    r = post(wfs, body)
    assert r.status_code == 200, r.text[:400]
    via_post = [f["properties"]["nom"] for f in r.json()["features"]]
    d = geojson(get(wfs, REQUEST="GetFeature", TYPENAMES=T, FILTER=LOIRET_FILTER, SORTBY="nom DESC", COUNT="10",
                    OUTPUTFORMAT="application/json"))
    assert via_post == [f["properties"]["nom"] for f in d["features"]] and len(via_post) == 10
    r = post(wfs, '<GetCapabilities xmlns="http://www.opengis.net/wfs/2.0" service="WFS"/>')
    assert r.status_code == 200 and "WFS_Capabilities" in r.text


def test_xml_post_refuses_dtds_and_transactions(wfs, tmp_path):
    xxe = ('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<GetFeature service="WFS" version="2.0.0"><Query typeNames="{T}">&x;</Query></GetFeature>')
    r = post(wfs, xxe)
    assert r.status_code == 400 and "root:" not in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "xxe.xml")
    assert ok, out
    r = post(wfs, '<Transaction service="WFS" version="2.0.0"/>')
    assert r.status_code == 501 and "OperationNotSupported" in r.text
    r = post(wfs, "<GetFeature")
    assert r.status_code == 400


# ---------------------------------------------------------------- OWSLib

def test_owslib_wfs20_with_a_filter(wfs, src):
    from owslib.fes2 import PropertyIsLike
    from owslib.wfs import WebFeatureService
    from owslib.etree import etree
    w = WebFeatureService(f"{wfs['base']}/wfs", version="2.0.0")
    flt = PropertyIsLike(propertyname="nom", literal="Saint-*", wildCard="*")
    xml = etree.tostring(flt.toXML()).decode()
    filter_xml = f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">{xml}</fes:Filter>'
    want = sorted(v["nom"] for v in src.values() if v["nom"].startswith("Saint-"))
    assert len(want) > 10
    # Both of OWSLib's encodings: GET (it sends the filter as QUERY) and XML POST.
    for method in ("Get", "Post"):
        r = w.getfeature(typename=[T], filter=filter_xml, outputFormat="application/json", maxfeatures=2000,
                         method=method)
        d = json.loads(r.read())
        assert sorted(f["properties"]["nom"] for f in d["features"]) == want, method
