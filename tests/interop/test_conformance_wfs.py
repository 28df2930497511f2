"""WFS 2.0 on the points where OGC CITE's ets-wfs20 (1.43) found geocentre wrong, each
checked here against the standard's text (ISO 19142 / OGC 09-025r2, FES 2.0 / ISO 19143,
GML 3.2.1) and the REAL source data read with OGR, on a module server of its own:

  * dataset `admin`  REAL: data/admin départements (WGS84 GeoJSON);
  * dataset `pcrs`   REAL: the PCRS v2 Lyon extract (GML, EPSG:3946, 3D points, curve
                     polygons, feature classes without geometry).

  * §7.5: a WFS 2.0 exception report has version="2.0.0" (was 1.1.0, the OWS version).
"""
from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

DEPTS_SRC = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
DEPTS = "admin.departements_centre_val_de_loire"
OWS11 = "http://www.opengis.net/ows/1.1"
WFS_NS = "http://www.opengis.net/wfs/2.0"
GML_NS = "http://www.opengis.net/gml/3.2"
FES_NS = "http://www.opengis.net/fes/2.0"


def ingest(data_dir, dataset, paths):
    proc = run_cli(["vector", "ingest", "--dataset", dataset, "--json", *map(str, paths)],
                   data_dir=data_dir, timeout=300)
    assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {dataset}")
    rep = parse_single_json(proc)
    assert rep.get("status") == "published", describe_proc(proc, "dataset not published")


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("conformance-wfs")
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


def source_count(path, layer=None):
    ds = ogr().Open(str(path))
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return lyr.GetFeatureCount()


# ----------------------------------------------------------------- HTTP helpers

def wfs(srv, **params):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", **params}
    return srv.get("/wfs?" + urllib.parse.urlencode(q))


def post(srv, body: str):
    return srv.http.post(srv.url("/wfs"), data=body.encode(), timeout=60,
                         headers={"Content-Type": "application/xml"})


def report(r, status=400):
    """(version, [(code, locator)]) of an OWS 1.1 exception report, checked against
    the OFFICIAL owsExceptionReport.xsd."""
    assert r.status_code == status, (r.status_code, r.text[:600])
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{OWS11}}}ExceptionReport", r.text[:600]
    return root.get("version"), [(e.get("exceptionCode"), e.get("locator"))
                                 for e in root.findall(f"{{{OWS11}}}Exception")]


def collection(r):
    """The root of a wfs:FeatureCollection answer (HTTP 200)."""
    assert r.status_code == 200, r.text[:600]
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{WFS_NS}}}FeatureCollection", r.text[:600]
    return root


# ----------------------------------------------------------------- §7.5 exception reports

def test_exception_reports_are_version_2_0_0(srv, tmp_path):
    """ISO 19142 §7.5: "The mandatory version attribute … shall be 2.0.0" — every refusal
    of a 2.0 request (or of one naming no version: 2.0 is the default), KVP or XML, valid
    against the official OWS 1.1 schema; WFS 1.1.0 keeps its OWS 1.0.0 report."""
    cases = [
        # ets-wfs20 SimpleCapabilitiesTests.getCapabilities_missingServiceParam
        (srv.get("/wfs?REQUEST=GetCapabilities"), ("MissingParameterValue", "SERVICE")),
        # DescribeFeatureTypeTests.describeUnknownFeatureType
        (wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES="gc:nope.nothing"),
         ("InvalidParameterValue", "TYPENAMES")),
        (srv.get("/wfs?SERVICE=WFS&VERSION=7.0.0&REQUEST=GetFeature&TYPENAMES=x"),
         ("InvalidParameterValue", "VERSION")),
        # StoredQueryTests.unknownStoredQuery, XML POST
        (post(srv, '<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0">'
                   '<wfs:StoredQuery id="http://docbook.org/ns/docbook"/></wfs:GetFeature>'),
         ("InvalidParameterValue", "STOREDQUERY_ID")),
        # a body that does not parse
        (post(srv, '<wfs:GetFeature service="WFS" version="2.0.0"'), ("InvalidParameterValue", "request")),
    ]
    for i, (r, expected) in enumerate(cases):
        version, exceptions = report(r)
        assert version == "2.0.0", (expected, r.text[:400])
        assert exceptions == [expected], (expected, r.text[:400])
        ok, out = helpers.validate_xml(r.content, tmp_path, f"exc{i}.xml")
        assert ok, out
    # 1.1.0 keeps OWS 1.0.0's report.
    r = srv.get("/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=DescribeFeatureType&TYPENAME=gc:nope.nothing")
    assert r.status_code == 400 and 'xmlns:ows="http://www.opengis.net/ows"' in r.text, r.text[:400]
    assert 'version="1.0.0"' in r.text, r.text[:400]

