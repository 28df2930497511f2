"""WFS 2.0.0 (KVP) at /wfs over vector datasets ingested from the REAL admin
GeoJSON of the repository's data/ (communes, départements): capabilities and exception
reports validate against the official schemas; GetFeature GML validates
against wfs.xsd plus the server's own DescribeFeatureType; GDAL's WFS driver
and OWSLib read the features back and they match the source read by OGR."""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc, ingest

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"


@pytest.fixture(scope="module")
def wfs(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wfs")
    data = tmp / "data"
    proc = helpers.run_cli(["vector", "ingest", "--dataset", "admin", "--json", str(COMMUNES),
                            str(DEPARTEMENTS)], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "base": srv.url(""), "tmp": tmp}
    srv.stop()


def get(w, **params):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    return w["srv"].get("/wfs?" + urllib.parse.urlencode(q))


def local_schema(w, typename, tmp):
    """The served DescribeFeatureType beside the official wfs.xsd."""
    r = get(w, REQUEST="DescribeFeatureType", TYPENAMES=typename)
    assert r.status_code == 200, r.text[:300]
    return helpers.wfs_app_schema(r.text, tmp)


def source_by_code(path):
    ds = helpers.gdal().OpenEx(str(path))
    lyr = ds.GetLayer(0)
    return {f.GetField("code"): (f.GetField("nom"), f.GetGeometryRef().Clone()) for f in lyr}


def test_capabilities_validate_and_list_the_types(wfs, tmp_path):
    r = get(wfs, REQUEST="GetCapabilities")
    assert r.status_code == 200
    ok, out = helpers.validate_xml(r.content, tmp_path, "wfs-caps.xml")
    assert ok, out
    for t in ("gc:admin.communes_centre_val_de_loire", "gc:admin.departements_centre_val_de_loire"):
        assert f"<wfs:Name>{t}</wfs:Name>" in r.text
    assert "urn:ogc:def:crs:EPSG::4326" in r.text and "ImplementsResultPaging" in r.text


def test_getfeature_gml_validates_against_the_described_schema(wfs, tmp_path):
    t = "gc:admin.departements_centre_val_de_loire"
    wrapper = local_schema(wfs, t, tmp_path)
    r = get(wfs, REQUEST="GetFeature", TYPENAMES=t, COUNT="2")
    assert r.status_code == 200 and "numberMatched=\"6\"" in r.text and "numberReturned=\"2\"" in r.text
    ok, out = helpers.validate_xml(r.content, tmp_path, "gf.xml", schema=str(wrapper))
    assert ok, out
    # A document that breaks the described schema must fail (the check can fail).
    broken = r.content.replace(b"<gc:nom>", b"<gc:nomm>").replace(b"</gc:nom>", b"</gc:nomm>")
    ok, _ = helpers.validate_xml(broken, tmp_path, "gf-broken.xml", schema=str(wrapper))
    assert not ok


def test_gdal_wfs_driver_reads_every_commune_back(wfs, tmp_path):
    g = helpers.gdal()
    src = source_by_code(COMMUNES)
    ds = g.OpenEx(f"WFS:{wfs['base']}/wfs?SERVICE=WFS&VERSION=2.0.0")
    assert ds is not None
    lyr = ds.GetLayerByName("gc:admin.communes_centre_val_de_loire")
    got = {f.GetField("code"): (f.GetField("nom"), f.GetGeometryRef().Clone()) for f in lyr}
    assert len(got) == len(src) == 1776
    bad = []
    for code, (nom, geom) in src.items():
        n2, g2 = got[code]
        if n2 != nom:
            bad.append((code, nom, n2))
            continue
        # Served in the stored CRS (WGS 84 here, latitude first in GML):
        # compare areas and centroids, axis order aside.
        c1, c2 = geom.Centroid(), g2.Centroid()
        same = abs(geom.GetArea() - g2.GetArea()) <= 1e-6 * geom.GetArea() and (
            (abs(c1.GetX() - c2.GetX()) < 1e-6 and abs(c1.GetY() - c2.GetY()) < 1e-6)
            or (abs(c1.GetX() - c2.GetY()) < 1e-6 and abs(c1.GetY() - c2.GetX()) < 1e-6))
        if not same:
            bad.append((code, "geometry"))
    assert not bad, bad[:10]


def test_owslib_bbox_and_paging(wfs):
    from owslib.wfs import WebFeatureService
    w = WebFeatureService(f"{wfs['base']}/wfs", version="2.0.0")
    t = "gc:admin.communes_centre_val_de_loire"
    assert t in w.contents
    # Orléans and its neighbour Olivet, by a Lambert-93 box reprojected server-side.
    r = w.getfeature(typename=[t], bbox=(617000, 6752000, 619000, 6754000, "urn:ogc:def:crs:EPSG::2154"),
                     outputFormat="application/json")
    d = json.loads(r.read())
    assert sorted(f["properties"]["nom"] for f in d["features"]) == ["Olivet", "Orléans"], d["numberMatched"]
    # next links chain through every feature exactly once.
    seen, url, pages = [], f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES={t}&COUNT=400", 0
    while url and pages < 10:
        r = wfs["srv"].get(url.replace(wfs["base"], ""))
        assert r.status_code == 200
        seen += re.findall(r'gml:id="(admin\.communes_centre_val_de_loire\.\d+)"', r.text)
        m = re.search(r'next="([^"]+)"', r.text)
        url = m.group(1).replace("&amp;", "&") if m else None
        pages += 1
    assert len(seen) == 1776 and len(set(seen)) == 1776 and pages == 5


@pytest.mark.parametrize("params,code,locator", [
    ({"REQUEST": "GetFeature"}, "MissingParameterValue", "TYPENAMES"),
    ({"REQUEST": "GetFeature", "TYPENAMES": "gc:nope.nothing"}, "InvalidParameterValue", "TYPENAMES"),
    ({"REQUEST": "GetFeature", "TYPENAMES": "gc:admin.communes_centre_val_de_loire", "COUNT": "0"},
     "InvalidParameterValue", "COUNT"),
    ({"REQUEST": "GetFeature", "TYPENAMES": "gc:admin.communes_centre_val_de_loire",
      "SRSNAME": "EPSG:27700"}, "InvalidParameterValue", "SRSNAME"),
    ({"REQUEST": "GetFeature", "TYPENAMES": "gc:admin.communes_centre_val_de_loire", "BBOX": "1,2,3"},
     "InvalidParameterValue", "BBOX"),
    ({"REQUEST": "GetFeature", "TYPENAMES": "gc:admin.communes_centre_val_de_loire",
      "OUTPUTFORMAT": "image/png"}, "InvalidParameterValue", "OUTPUTFORMAT"),
    ({"REQUEST": "Transaction"}, "OperationNotSupported", "REQUEST"),
])
def test_errors_are_ows_exception_reports(wfs, tmp_path, params, code, locator):
    r = get(wfs, **params)
    # OGC 06-121r9 table 28: OperationNotSupported is HTTP 501, the others 400.
    assert r.status_code == (501 if code == "OperationNotSupported" else 400), (code, r.status_code)
    assert f'exceptionCode="{code}"' in r.text and f'locator="{locator}"' in r.text, r.text[:400]
    ok, out = helpers.validate_xml(r.content, tmp_path, "wfs-exc.xml")
    assert ok, out
