"""The catalogue's CSW 2.0.2 (`/csw`) with real clients: OWSLib's
CatalogueServiceWeb (GET and POST, Dublin Core and ISO), GDAL's CSW driver,
and every document validated against the official schemas.

The module's server holds the REAL IGN tile as layer `ign` (its generated
records: the composite, the 2021 vintage, the WMS, WMTS and CSW services),
the 12 CITE CSW 2.0.2 test records (Dublin Core, tests/fixtures/csw-cite) and
two ISO 19139 records WRITTEN FOR THE TESTS (tests/fixtures/catalog).
"""
from __future__ import annotations

import json
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from owslib.csw import CatalogueServiceWeb
from owslib.fes import BBox, PropertyIsEqualTo, PropertyIsLike

import helpers
from helpers import Server, ingest, run_cli

NS = {
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "dc": "http://purl.org/dc/elements/1.1/",
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "ows": "http://www.opengis.net/ows",
}
FIXTURES = helpers.REPO_ROOT / "tests" / "fixtures"
CITE = sorted((FIXTURES / "csw-cite").glob("Record_*.xml"))
ISO = [FIXTURES / "catalog" / "routes-loiret.xml", FIXTURES / "catalog" / "ecoles-cher.xml"]
GENERATED = {"geocentre-ortho-ign", "geocentre-ortho-ign-2021", "geocentre-wms", "geocentre-wmts", "geocentre-csw"}
INSPIRE_DS = helpers.REPO_ROOT / "conformance" / "inspire" / "ets" / "schemas" / "inspire_ds" / "1.0" / "inspire_ds.xsd"


@pytest.fixture(scope="module")
def csw(rvb, tmp_path_factory):
    root = tmp_path_factory.mktemp("csw")
    data = root / "data"
    data.mkdir()
    proc, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert proc.returncode == 0, helpers.describe_proc(proc, "ingest")
    proc = run_cli(["catalog", "import", "--json", *map(str, CITE + ISO)], data_dir=data)
    assert proc.returncode == 0, helpers.describe_proc(proc, "catalog import")
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"added": 14, "updated": 0, "unchanged": 0}
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield srv
    srv.stop()


HTTP = helpers.new_http()


def fetch(url):
    r = HTTP.get(url, timeout=60)
    return r.status_code, r.headers.get("Content-Type", ""), r.content


def get(srv, **params):
    q = urllib.parse.urlencode({"service": "CSW", "version": "2.0.2", **params})
    return fetch(f"{srv.base_url}/csw?{q}")


def post(srv, body: str):
    r = HTTP.post(f"{srv.base_url}/csw", data=body.encode(), timeout=60,
                  headers={"Content-Type": "application/xml"})
    return r.status_code, r.headers.get("Content-Type", ""), r.content


def ids_of(doc: bytes):
    root = ET.fromstring(doc)
    return [e.text for e in root.iter(f"{{{NS['dc']}}}identifier")] + [
        e.text for e in root.iterfind(".//gmd:MD_Metadata/gmd:fileIdentifier/gco:CharacterString", NS)
    ]


def valid(doc: bytes, tmp, name, schema=None):
    ok, out = helpers.validate_xml(doc, tmp, name, schema=schema)
    assert ok, out


def valid_with_iso(doc: bytes, tmp, name):
    """A CSW answer holding ISO records: each gmd:MD_Metadata against the
    official ISO 19139 schemas (gco, gmd, gmx, srv), and the envelope, with
    the records taken out, against CSW 2.0.2's. One schema set cannot do
    both: CSW 2.0.2 imports GML 3.1.1 and ISO 19139 (2007) GML 3.2.0, in
    the same namespace. Returns the number of records checked."""
    root = ET.fromstring(doc)
    n = 0
    for parent in list(root.iter()):
        for md in parent.findall("gmd:MD_Metadata", NS):
            ok, out = helpers.validate_iso19139(ET.tostring(md), tmp, f"{name}-{n}.xml")
            assert ok, out
            parent.remove(md)
            n += 1
    valid(ET.tostring(root), tmp, name)
    return n


def test_capabilities_validate_with_the_inspire_extension(csw, tmp_path):
    status, _, body = get(csw, request="GetCapabilities")
    assert status == 200
    wrapper = helpers._wrapper_schema(tmp_path, "csw+inspire_ds.xsd", [
        ("http://www.opengis.net/cat/csw/2.0.2", helpers.SCHEMAS / "csw-tree/ogc/csw/2.0.2/CSW-discovery.xsd"),
        ("http://inspire.ec.europa.eu/schemas/inspire_ds/1.0", INSPIRE_DS),
    ])
    valid(body, tmp_path, "caps.xml", schema=wrapper)
    root = ET.fromstring(body)
    url = root.find(".//{http://inspire.ec.europa.eu/schemas/common/1.0}URL").text
    # The MetadataUrl is the CSW's own record, in ISO, inside a GetRecordByIdResponse.
    status, _, rec = fetch(url)
    assert status == 200 and ids_of(rec) == ["geocentre-csw"], rec[:500]
    assert valid_with_iso(rec, tmp_path, "csw-record.xml") == 1


def test_owslib_full_text_bbox_and_paging_by_post(csw):
    c = CatalogueServiceWeb(f"{csw.base_url}/csw", timeout=60)
    c.getrecords2(constraints=[PropertyIsLike("csw:AnyText", "%lorem%")], esn="full", maxrecords=50)
    # The five CITE records with 'lorem' in a title or abstract, whatever the case.
    assert c.results["matches"] == 5, c.results
    c.getrecords2(constraints=[BBox([46.0, 1.0, 48.0, 3.5])], esn="brief", maxrecords=50)
    got = set(c.records)
    assert {"test-ecoles-cher", "test-routes-loiret"} <= got, got
    assert not {r for r in got if r.startswith("urn:uuid:")} - {"urn:uuid:94bc9c83-97f6-4b40-9eb8-a8e8787a5c63"}, got
    # Paging: 3 pages of 7 cover the 19 records once each, in a stable order.
    seen = []
    for start in (1, 8, 15):
        c.getrecords2(esn="brief", startposition=start, maxrecords=7)
        assert c.results["matches"] == 19, c.results
        seen += list(c.records)
    assert len(seen) == 19 == len(set(seen)), seen
    assert c.results["nextrecord"] == 0


def test_owslib_iso_records_by_post(csw):
    c = CatalogueServiceWeb(f"{csw.base_url}/csw", timeout=60)
    c.getrecords2(constraints=[PropertyIsEqualTo("apiso:Title", "Routes départementales du Loiret")],
                  outputschema="http://www.isotc211.org/2005/gmd", esn="full")
    assert list(c.records) == ["test-routes-loiret"], c.records
    md = c.records["test-routes-loiret"]
    assert md.identification[0].title == "Routes départementales du Loiret"


def test_owslib_getrecordbyid_dc_and_iso(csw):
    c = CatalogueServiceWeb(f"{csw.base_url}/csw", timeout=60)
    c.getrecordbyid(["geocentre-ortho-ign-2021"])
    r = c.records["geocentre-ortho-ign-2021"]
    assert r.type == "dataset" and "ign" in r.title, (r.type, r.title)
    c.getrecordbyid(["geocentre-ortho-ign-2021"], outputschema="http://www.isotc211.org/2005/gmd")
    md = c.records["geocentre-ortho-ign-2021"]
    assert md.hierarchy == "dataset"


def test_get_kvp_cql_full_text_bbox_and_paging(csw, tmp_path):
    status, _, body = get(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                          constraintLanguage="CQL_TEXT", constraint="AnyText like '%écoles%'",
                          elementSetName="summary")
    assert status == 200 and ids_of(body) == ["test-ecoles-cher"], body[:800]
    valid(body, tmp_path, "summary.xml")
    status, _, body = get(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                          constraintLanguage="CQL_TEXT",
                          constraint="BBOX(ows:BoundingBox, 1.5, 47.9, 3.2, 48.3) AND type = 'dataset'",
                          maxRecords="50")
    assert set(ids_of(body)) == {"test-routes-loiret"}, ids_of(body)
    status, _, body = get(csw, request="GetRecords", typeNames="csw:Record", resultType="hits")
    sr = ET.fromstring(body).find("csw:SearchResults", NS)
    assert sr.get("numberOfRecordsMatched") == "19" and sr.get("numberOfRecordsReturned") == "0"
    # Our own data's records are there, and point at the services.
    status, _, body = get(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                          constraintLanguage="CQL_TEXT", constraint="dc:type = 'service'",
                          elementSetName="full", maxRecords="50")
    assert GENERATED - {"geocentre-ortho-ign", "geocentre-ortho-ign-2021"} <= set(ids_of(body)), ids_of(body)
    valid(body, tmp_path, "full.xml")


def test_every_iso_answer_validates(csw, tmp_path):
    status, _, body = get(csw, request="GetRecords", typeNames="csw:Record", resultType="results",
                          outputSchema="http://www.isotc211.org/2005/gmd", elementSetName="full",
                          maxRecords="50")
    assert status == 200
    root = ET.fromstring(body)
    mds = root.findall(".//csw:SearchResults/gmd:MD_Metadata", NS)
    assert len(mds) == 19 == len(list(root.find("csw:SearchResults", NS))), len(mds)
    assert valid_with_iso(body, tmp_path, "records.xml") == 19
    # An imported ISO record comes back as it was written: what geocentre
    # does not model (gmd:purpose, gmd:graphicOverview) is kept.
    status, _, body = get(csw, request="GetRecordById", id="test-routes-loiret",
                          outputSchema="http://www.isotc211.org/2005/gmd")
    assert b"Gestion du r\xc3\xa9seau routier." in body and b"routes.png" in body
    assert valid_with_iso(body, tmp_path, "byid.xml") == 1


def test_describe_record_and_get_domain(csw, tmp_path):
    status, _, body = get(csw, request="DescribeRecord", typeName="csw:Record")
    assert status == 200 and b'name="Record"' in body
    valid(body, tmp_path, "describe.xml")
    status, _, body = get(csw, request="GetDomain", propertyName="dc:type")
    assert status == 200
    values = {v.text: v.get("count") for v in ET.fromstring(body).iter(f"{{{NS['csw']}}}Value")}
    assert values.get("service") == "3" and values.get("http://purl.org/dc/dcmitype/Image") == "3", values
    status, _, body = get(csw, request="GetDomain", parameterName="GetRecords.resultType")
    assert b"validate" in body


@pytest.mark.parametrize("params,code,locator", [
    ({"request": "GetRecords", "typeNames": "csw:Record", "constraintLanguage": "CQL_TEXT",
      "constraint": "nope = 1"}, "InvalidParameterValue", "constraint"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "constraintLanguage": "CQL_TEXT",
      "constraint": "title = = 'x'"}, "InvalidParameterValue", "constraint"),
    ({"request": "GetRecords", "typeNames": "csw:Record", "constraintLanguage": "CQL_TEXT",
      "constraint": "(" * 200 + "title = 'x'" + ")" * 200}, "InvalidParameterValue", "constraint"),
    ({"request": "GetRecords", "typeNames": "csw:SummaryRecord"}, "InvalidParameterValue", "typenames"),
    ({"request": "GetRecordById"}, "MissingParameterValue", "id"),
    ({"request": "GetRecordById", "id": "x", "outputSchema": "http://example.org"}, "InvalidParameterValue",
     "outputschema"),
    ({"request": "Harvest"}, "OperationNotSupported", "request"),
])
def test_bad_requests_get_an_exception_report(csw, tmp_path, params, code, locator):
    status, ctype, body = get(csw, **params)
    assert status in (400, 501), (status, body[:300])
    assert "xml" in ctype
    exc = ET.fromstring(body).find("ows:Exception", NS)
    assert (exc.get("exceptionCode"), exc.get("locator")) == (code, locator), body
    valid(body, tmp_path, "exc.xml", schema=helpers.SCHEMAS / "csw-tree/ogc/ows/1.0.0/owsExceptionReport.xsd")


def test_a_post_with_a_dtd_is_refused(csw):
    body = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2">'
            '<csw:Query typeNames="csw:Record"><csw:ElementSetName>&e;</csw:ElementSetName></csw:Query></csw:GetRecords>')
    status, _, out = post(csw, body)
    assert status == 400 and b"DOCTYPE" in out and b"root:" not in out, out


def test_gdal_csw_driver_lists_the_records(csw):
    r = subprocess.run(["ogrinfo", "-ro", "-so", "-al", f"CSW:{csw.base_url}/csw"],
                       capture_output=True, text=True, timeout=120, env=helpers.child_env())
    assert r.returncode == 0, r.stderr
    assert "Feature Count: 19" in r.stdout, r.stdout[-2000:]


def test_import_of_a_bad_file_names_it_and_stores_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    bad = tmp_path / "bad.xml"
    bad.write_text("<gmd:MD_Metadata xmlns:gmd='http://www.isotc211.org/2005/gmd'><oops></gmd:MD_Metadata>")
    proc = run_cli(["catalog", "import", str(ISO[0]), str(bad)], data_dir=data)
    assert proc.returncode != 0 and "bad.xml" in proc.stderr, helpers.describe_proc(proc, "import")
    proc = run_cli(["catalog", "import", "--json", str(ISO[0])], data_dir=data)
    # Nothing of the failed load was stored: the good record is new.
    assert json.loads(proc.stdout.strip().splitlines()[-1])["added"] == 1, proc.stdout
