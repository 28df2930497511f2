"""WFS 2.0 on the points where OGC CITE's ets-wfs20 (1.43) found geocentre wrong, each
checked here against the standard's text (ISO 19142 / OGC 09-025r2, FES 2.0 / ISO 19143,
GML 3.2.1) and the REAL source data read with OGR, on a module server of its own:

  * dataset `admin`  REAL: data/admin départements (WGS84 GeoJSON);
  * dataset `pcrs`   REAL: the PCRS v2 Lyon extract (GML, EPSG:3946, 3D points, curve
                     polygons, feature classes without geometry).

  * §7.5: a WFS 2.0 exception report has version="2.0.0" (was 1.1.0, the OWS version);
  * resource identifiers: one that names no feature (any shape) selects nothing (was a 400),
    GetFeatureById of one is 404 NotFound, one of another type than TYPENAMES is refused;
  * GML's standard properties (gml:name, gml:boundedBy, …) are properties of every feature:
    PropertyIsNull holds on them, comparing gml:boundedBy with an envelope is
    OperationProcessingFailed, GetPropertyValue reads @gml:id; an empty valueReference is
    InvalidParameterValue;
  * paging: `previous` after the first page, `next` on a RESULTTYPE=hits answer;
  * capabilities: `resolve` (local) on GetFeature/GetPropertyValue, served; Standard filter
    (PropertyIsNil, matchAction) and Minimum XPath, as a Basic WFS requires;
  * GML: a curve polygon's boundary is a gml:Ring (was a bare CompositeCurve, schema-invalid),
    3D coordinates declare srsDimension="3" on the geometry (a point's `pos` had nothing);
  * a spatial operator's ValueReference must name the geometry (a BBOX on gml:description was
    read as a BBOX on the geometry).
"""
from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import Server

DEPTS_SRC = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
DEPTS = "admin.departements_centre_val_de_loire"
OWS11 = "http://www.opengis.net/ows/1.1"
WFS_NS = "http://www.opengis.net/wfs/2.0"
GML_NS = "http://www.opengis.net/gml/3.2"
FES_NS = "http://www.opengis.net/fes/2.0"


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    s = helpers.admin_pcrs_server(tmp_path_factory, "conformance-wfs")
    yield s
    s.stop()


# ----------------------------------------------------------------- sources, with OGR


def source_count(path, layer=None):
    ds = helpers.ogr().Open(str(path))
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


# ----------------------------------------------------------------- resource identifiers

def members(root, type_local):
    """gml:id of the members of type `type_local` (gc namespace) in a collection."""
    ns = "urn:x-geocentre:features"
    return [e.get(f"{{{GML_NS}}}id") for e in root.iter(f"{{{ns}}}{type_local}")]


def first_id(srv, type_name):
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=type_name, COUNT="1")
    ids = members(collection(r), type_name.split(":")[-1])
    assert len(ids) == 1, r.text[:600]
    return ids[0]


def resource_id_query(type_name, rids, xmlns=""):
    filt = "".join(f'<fes:ResourceId rid="{rid}"/>' for rid in rids)
    return (f'<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="{WFS_NS}" xmlns:fes="{FES_NS}" {xmlns}>'
            f'<wfs:Query typeNames="{type_name}"><fes:Filter>{filt}</fes:Filter></wfs:Query></wfs:GetFeature>')


def test_resource_ids_that_name_no_feature_select_nothing(srv):
    """FES 2.0 §7.11: a rid is opaque to the client; one that names no feature — whatever
    its shape (ets-wfs20 ResourceIdFilterTests.unknownFeatureIdentifier sends `test-{uuid}`),
    of an unknown type, or a fid that is not a number — selects nothing: 200 and an empty
    wfs:FeatureCollection, in GET and POST; the well-formed ones beside them still select."""
    tn = f"gc:{DEPTS}"
    known = first_id(srv, tn)
    for rids in (["test-1b4e28ba-2fa1-11d2-883f-0016d3cca427"], [f"{DEPTS}.x"], ["nope.layer.1"],
                 [f"{DEPTS}.999999"]):
        for with_type in (True, False):
            extra = {"TYPENAMES": tn} if with_type else {}
            root = collection(wfs(srv, REQUEST="GetFeature", RESOURCEID=",".join(rids), **extra))
            assert root.get("numberMatched") == "0" and root.get("numberReturned") == "0", (rids, extra)
            assert not members(root, DEPTS)
        root = collection(post(srv, resource_id_query(tn, rids)))
        assert root.get("numberReturned") == "0" and not members(root, DEPTS), rids
        # GeoJSON and CSV say the same.
        r = wfs(srv, REQUEST="GetFeature", RESOURCEID=",".join(rids), OUTPUTFORMAT="application/json")
        assert r.status_code == 200 and r.json()["features"] == [], r.text[:300]
    # Beside a malformed one, the real identifier is still found.
    for r in (wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, RESOURCEID=f"test-1234,{known}"),
              post(srv, resource_id_query(tn, ["test-1234", known]))):
        assert members(collection(r), DEPTS) == [known], r.text[:600]


def test_resource_ids_of_another_type_than_typenames_are_refused(srv):
    """ISO 19142 §7.9.2.4.1 (ets-wfs20 ResourceIdFilterTests.inconsistentFeatureIdentifierAndType):
    TYPENAMES=A with the identifier of a feature of type B is InvalidParameterValue on
    RESOURCEID (400); without TYPENAMES the identifier picks its own type."""
    other = first_id(srv, "gc:pcrs.ArbrePCRS")
    v, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{DEPTS}", RESOURCEID=other))
    assert v == "2.0.0" and exc == [("InvalidParameterValue", "RESOURCEID")], exc
    assert members(collection(wfs(srv, REQUEST="GetFeature", RESOURCEID=other)), "pcrs.ArbrePCRS") == [other]
    # The same with a FILTER of identifiers (its own locator) and in an XML POST.
    filt = f'<fes:Filter xmlns:fes="{FES_NS}"><fes:ResourceId rid="{other}"/></fes:Filter>'
    _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{DEPTS}", FILTER=filt))
    assert exc == [("InvalidParameterValue", "FILTER")], exc
    _, exc = report(post(srv, resource_id_query(f"gc:{DEPTS}", [other])))
    assert exc == [("InvalidParameterValue", "RESOURCEID")], exc


def test_get_feature_by_id_of_no_feature_is_not_found(srv):
    """WFS 2.0.2 §7.9.3.6 (ets-wfs20 StoredQueryTests.invokeGetFeatureByIdWithUnknownID sends
    `uuid-{uuid}`): an ID that names no feature, whatever its shape, is 404 NotFound."""
    q = {"REQUEST": "GetFeature", "STOREDQUERY_ID": "urn:ogc:def:query:OGC-WFS::GetFeatureById"}
    known = first_id(srv, f"gc:{DEPTS}")
    r = wfs(srv, **q, ID=known)
    assert r.status_code == 200 and f'gml:id="{known}"' in r.text[:1500], r.text[:600]
    for bad in ("uuid-1b4e28ba-2fa1-11d2-883f-0016d3cca427", f"{DEPTS}.999999", f"{DEPTS}.abc", "nope.x.1"):
        v, exc = report(wfs(srv, **q, ID=bad), status=404)
        assert v == "2.0.0" and exc == [("NotFound", "ID")], (bad, exc)


# ----------------------------------------------------------------- GML's standard properties

def fes(body, xmlns=f'xmlns:fes="{FES_NS}" xmlns:gml="{GML_NS}"'):
    return f'<fes:Filter {xmlns}>{body}</fes:Filter>'


def is_null(ref, **decl):
    attrs = "".join(f' xmlns:{p}="{u}"' for p, u in decl.items())
    return f'<fes:PropertyIsNull><fes:ValueReference{attrs}>{ref}</fes:ValueReference></fes:PropertyIsNull>'


def filtered_post(type_name, filter_body, root_xmlns=f'xmlns:gml="{GML_NS}"'):
    return (f'<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="{WFS_NS}" xmlns:fes="{FES_NS}" {root_xmlns}>'
            f'<wfs:Query typeNames="{type_name}"><fes:Filter>{filter_body}</fes:Filter></wfs:Query></wfs:GetFeature>')


def test_gml_standard_properties_are_properties_of_every_feature(srv):
    """GML 3.2.1 gives every feature gml:metaDataProperty, description, descriptionReference,
    identifier, name, boundedBy (AbstractGMLType / AbstractFeatureType): a filter may name them
    (ets-wfs20 PropertyIsNullOperatorTests.gmlNameIsNull). We write none, so PropertyIsNull holds
    for every feature (the source's count, read with OGR) and comparisons hold for none. The
    prefix is resolved: declared in the filter, around a POST's filter, by NAMESPACES, or the
    conventional undeclared `gml`; a GML name that is no standard property is refused."""
    n = source_count(DEPTS_SRC)
    tn = f"gc:{DEPTS}"
    every = [
        wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(is_null("gml:name"))),
        wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(is_null("g:name", g=GML_NS), f'xmlns:fes="{FES_NS}"')),
        wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(is_null("gml:description"), f'xmlns:fes="{FES_NS}"')),
        wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, NAMESPACES=f"xmlns(h,{GML_NS})",
            FILTER=fes(is_null("h:identifier"), f'xmlns:fes="{FES_NS}"')),
        wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(is_null("gml:boundedBy"))),
        post(srv, filtered_post(tn, is_null("gml:name"))),
    ]
    for r in every:
        root = collection(r)
        assert root.get("numberMatched") == str(n), r.text[:400]
        assert len(members(root, DEPTS)) == n
        assert f"{{{GML_NS}}}name" not in {e.tag for e in root.iter()}
    none = [
        f'<fes:Not>{is_null("gml:name")}</fes:Not>',
        '<fes:PropertyIsEqualTo><fes:ValueReference>gml:name</fes:ValueReference>'
        '<fes:Literal>Loiret</fes:Literal></fes:PropertyIsEqualTo>',
        '<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!"><fes:ValueReference>gml:description'
        '</fes:ValueReference><fes:Literal>*</fes:Literal></fes:PropertyIsLike>',
    ]
    for body in none:
        root = collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(body)))
        assert root.get("numberMatched") == "0", body
    # The control: a real property of the type still filters.
    root = collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(
        '<fes:PropertyIsEqualTo><fes:ValueReference>gc:nom</fes:ValueReference><fes:Literal>Loiret'
        '</fes:Literal></fes:PropertyIsEqualTo>')))
    assert root.get("numberMatched") == "1"
    # Names that are no property: refused, naming FILTER.
    for ref, decl in (("gml:nom", {}), ("x:nom", {"x": "http://example.org/other"}), ("nom/x", {}),
                      ("@gml:id", {})):
        _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(is_null(ref, **decl))))
        assert exc == [("InvalidParameterValue", "FILTER")], (ref, exc)
    # PROPERTYNAME may name them (never written); the type's own properties are then left out.
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, PROPERTYNAME="gml:name", COUNT="1")
    assert len(members(collection(r), DEPTS)) == 1 and "<gc:nom>" not in r.text and "<gc:geom>" not in r.text, \
        r.text[:600]


def test_comparing_bounded_by_with_an_envelope_is_operation_processing_failed(srv, tmp_path):
    """ets-wfs20 ComparisonOperatorTests.invalidOperand_boundedBy: PropertyIsLessThanOrEqualTo
    gml:boundedBy against a Literal holding a gml:Envelope is well formed but cannot be
    carried out: OperationProcessingFailed (ISO 19142 Table 3), HTTP 403 (WFS 2.0 Table D.2)."""
    body = ('<fes:PropertyIsLessThanOrEqualTo matchCase="true" matchAction="Any"><fes:Literal>'
            '<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>-90 -180</gml:lowerCorner>'
            '<gml:upperCorner>90 180</gml:upperCorner></gml:Envelope></fes:Literal>'
            '<fes:ValueReference>gml:boundedBy</fes:ValueReference></fes:PropertyIsLessThanOrEqualTo>')
    tn = "gc:pcrs.ArbrePCRS"
    for i, r in enumerate((wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(body)),
                           post(srv, filtered_post(tn, body)))):
        v, exc = report(r, status=403)
        assert v == "2.0.0" and exc == [("OperationProcessingFailed", "FILTER")], exc
        ok, out = helpers.validate_xml(r.content, tmp_path, f"opf{i}.xml")
        assert ok, out
    # A simple property compared with an element is no better; with text it works.
    elem = body.replace("gml:boundedBy", "gc:nom")
    _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=f"gc:{DEPTS}", FILTER=fes(elem)), status=403)
    assert exc == [("OperationProcessingFailed", "FILTER")]


def value_collection(r):
    assert r.status_code == 200, r.text[:600]
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{WFS_NS}}}ValueCollection", r.text[:600]
    return [m.text for m in root.findall(f"{{{WFS_NS}}}member")]


def test_get_property_value_of_gml_id_and_standard_properties(srv, tmp_path):
    """ets-wfs20 GetPropertyValueTests.getProperty_gmlId: valueReference=@gml:id answers the
    identifiers the features are written with, none empty; a GML standard property (never
    written) has no value; `./name[1]` (FES 2.0 Minimum XPath) is the property itself."""
    tn = f"gc:{DEPTS}"
    ids = members(collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn)), DEPTS)
    assert len(ids) == source_count(DEPTS_SRC)
    gpv = ('<wfs:GetPropertyValue service="WFS" version="2.0.0" xmlns:wfs="{w}" xmlns:gml="{g}" '
           'valueReference="{ref}"><wfs:Query typeNames="{tn}"/></wfs:GetPropertyValue>')
    for r in (wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="@gml:id"),
              wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="@g:id",
                  NAMESPACES=f"xmlns(g,{GML_NS})"),
              post(srv, gpv.format(w=WFS_NS, g=GML_NS, ref="@gml:id", tn=tn))):
        assert value_collection(r) == ids
        ok, out = helpers.validate_xml(r.content, tmp_path, "gmlid.xml")
        assert ok, out
    assert value_collection(wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="gml:name")) == []
    noms = value_collection(wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="nom"))
    ds = helpers.ogr().Open(str(DEPTS_SRC))  # held: its layer dies with it
    assert sorted(noms) == sorted(f.GetField("nom") for f in ds.GetLayer(0))
    assert value_collection(wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="./gc:nom[1]")) == noms
    for bad in ("nom/x", "@gml:nope", "gml:nom", "nom[2]"):
        _, exc = report(wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE=bad))
        assert exc == [("InvalidParameterValue", "VALUEREFERENCE")], (bad, exc)


def test_empty_value_reference_is_an_invalid_value(srv):
    """ets-wfs20 GetPropertyValueTests.getProperty_emptyValueRef: an empty valueReference is
    InvalidParameterValue (GET and POST); a missing one stays MissingParameterValue."""
    tn = f"gc:{DEPTS}"
    body = (f'<wfs:GetPropertyValue service="WFS" version="2.0.0" xmlns:wfs="{WFS_NS}" valueReference="">'
            f'<wfs:Query typeNames="{tn}"/></wfs:GetPropertyValue>')
    for r in (srv.get(f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetPropertyValue&TYPENAMES={tn}&VALUEREFERENCE="),
              wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="  "),
              post(srv, body)):
        v, exc = report(r)
        assert v == "2.0.0" and exc == [("InvalidParameterValue", "VALUEREFERENCE")], (exc, r.text[:300])
    _, exc = report(wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn))
    assert exc == [("MissingParameterValue", "VALUEREFERENCE")]


# ----------------------------------------------------------------- paging

def follow(srv, url):
    """GET a paging link (absolute, on our server)."""
    assert url.startswith(srv.url("/wfs?")), url
    return srv.http.get(url, timeout=60)


def test_paging_links_both_ways_and_from_hits(srv):
    """ISO 19142 §7.7.4.4 (ets-wfs20 PagingTests): `next` until the last page, `previous` on
    every page after the first, each page holding what the unpaged answer holds at its place;
    RESULTTYPE=hits&COUNT=1 has a `next` (the features it counted, from the same start) and no
    `previous`."""
    tn = f"gc:{DEPTS}"
    every = members(collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, SORTBY="code")), DEPTS)
    n = len(every)
    assert n == source_count(DEPTS_SRC) and n >= 3
    pages, roots = [], []
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, SORTBY="code", COUNT="2")
    while True:
        root = collection(r)
        roots.append(root)
        pages.append(members(root, DEPTS))
        assert (root.get("previous") is None) == (len(pages) == 1), (len(pages), root.attrib)
        if root.get("next") is None:
            break
        assert len(pages) <= n, "next never ends"
        r = follow(srv, root.get("next"))
    assert [i for p in pages for i in p] == every
    assert all(len(p) == 2 for p in pages[:-1])
    # Back from the last page, through `previous`, to the first.
    back = []
    root = roots[-1]
    while root.get("previous") is not None:
        root = collection(follow(srv, root.get("previous")))
        back.append(members(root, DEPTS))
    assert back == pages[-2::-1]
    # previous of STARTINDEX=1 with COUNT=2 starts at 0, not below.
    root = collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, SORTBY="code", COUNT="2", STARTINDEX="1"))
    assert members(collection(follow(srv, root.get("previous"))), DEPTS) == every[:2]
    # hits: nothing returned, `next` fetches the first page counted.
    root = collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, SORTBY="code", COUNT="1", RESULTTYPE="hits"))
    assert (root.get("numberMatched"), root.get("numberReturned")) == (str(n), "0")
    assert root.get("previous") is None and root.get("next"), root.attrib
    page = collection(follow(srv, root.get("next")))
    assert page.get("numberReturned") == "1" and members(page, DEPTS) == every[:1]
    # ...and none past the end.
    root = collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, COUNT="1", RESULTTYPE="hits", STARTINDEX=str(n)))
    assert root.get("next") is None
    # An XML POST pages the same way (the link is its KVP form).
    body = (f'<wfs:GetFeature service="WFS" version="2.0.0" count="2" xmlns:wfs="{WFS_NS}" xmlns:fes="{FES_NS}">'
            f'<wfs:Query typeNames="{tn}"><fes:SortBy><fes:SortProperty><fes:ValueReference>code</fes:ValueReference>'
            f'</fes:SortProperty></fes:SortBy></wfs:Query></wfs:GetFeature>')
    root = collection(post(srv, body))
    assert members(root, DEPTS) == every[:2]
    assert members(collection(follow(srv, root.get("next"))), DEPTS) == every[2:4]


# ----------------------------------------------------------------- capabilities: resolve, Basic WFS

OWS_P = f"{{{OWS11}}}"


def test_capabilities_declare_resolve_and_the_basic_wfs_filter_classes(srv, tmp_path):
    """ets-wfs20 wfs-capabilities-2.0.sch: GetFeature and GetPropertyValue list the `resolve`
    parameter with `local` among its allowed values (ISO 19142 Table 12); a Basic WFS declares
    ImplementsStandardFilter and ImplementsMinimumXPath (ISO 19142 A.1.2), which the server
    implements: PropertyIsNil is among the comparison operators. Valid against the official
    WFS 2.0 schema (with its INSPIRE extension)."""
    r = wfs(srv, REQUEST="GetCapabilities")
    assert r.status_code == 200
    ok, out = helpers.validate_wfs_capabilities_inspire(r.content, tmp_path)
    assert ok, out
    root = ET.fromstring(r.content)
    for op in ("GetFeature", "GetPropertyValue"):
        el = root.find(f".//{OWS_P}Operation[@name='{op}']")
        values = [v.text for v in el.findall(f"{OWS_P}Parameter[@name='resolve']/{OWS_P}AllowedValues/{OWS_P}Value")]
        assert "local" in values and "remote" not in values and "all" not in values, (op, values)
    fes_p = f"{{{FES_NS}}}"
    conf = {c.get("name"): c.find(f"{OWS_P}DefaultValue").text
            for c in root.findall(f".//{fes_p}Conformance/{fes_p}Constraint")}
    for name in ("ImplementsStandardFilter", "ImplementsMinimumXPath", "ImplementsMinStandardFilter",
                 "ImplementsAdHocQuery", "ImplementsResourceId", "ImplementsMinSpatialFilter", "ImplementsSorting"):
        assert conf[name] == "TRUE", (name, conf)
    ops = [o.get("name") for o in root.findall(f".//{fes_p}ComparisonOperator")]
    assert "PropertyIsNil" in ops, ops
    remote = {c.get("name"): c.find(f"{OWS_P}DefaultValue").text
              for c in root.findall(f"{OWS_P}OperationsMetadata/{OWS_P}Constraint")}
    assert remote["ImplementsRemoteResolve"] == "FALSE" and remote["ImplementsBasicWFS"] == "TRUE"


def test_resolve_local_is_served_and_remote_refused(srv):
    """RESOLVE=local|none (and RESOLVEDEPTH, RESOLVETIMEOUT) are accepted, KVP and XML; our
    features hold no references, so the answer is the one without them. remote/all are
    not among the allowed values: InvalidParameterValue (was OperationNotSupported, 501)."""
    tn = f"gc:{DEPTS}"
    plain = members(collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn)), DEPTS)
    for extra in ({"RESOLVE": "local"}, {"RESOLVE": "none"}, {"RESOLVE": "local", "RESOLVEDEPTH": "*"},
                  {"RESOLVE": "local", "RESOLVEDEPTH": "2", "RESOLVETIMEOUT": "30"}):
        assert members(collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, **extra)), DEPTS) == plain, extra
    r = wfs(srv, REQUEST="GetPropertyValue", TYPENAMES=tn, VALUEREFERENCE="nom", RESOLVE="local")
    assert len(value_collection(r)) == len(plain)
    body = (f'<wfs:GetFeature service="WFS" version="2.0.0" resolve="local" resolveDepth="*" xmlns:wfs="{WFS_NS}">'
            f'<wfs:Query typeNames="{tn}"/></wfs:GetFeature>')
    assert members(collection(post(srv, body)), DEPTS) == plain
    for key, value in (("RESOLVE", "remote"), ("RESOLVE", "all"), ("RESOLVE", "sometimes"),
                       ("RESOLVEDEPTH", "deep"), ("RESOLVETIMEOUT", "0")):
        _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, **{key: value}))
        assert exc == [("InvalidParameterValue", key)], (key, value, exc)
    _, exc = report(post(srv, body.replace('resolve="local"', 'resolve="remote"')))
    assert exc == [("InvalidParameterValue", "RESOLVE")], exc


def test_standard_filter_nil_and_match_action(srv):
    """FES 2.0 Standard filter: PropertyIsNil (no property of ours is nillable: never nil, but the
    property must exist), matchAction Any/All/One on comparisons (single-valued properties:
    the same answer), Minimum XPath steps `./name[1]`."""
    n = source_count(DEPTS_SRC)
    tn = f"gc:{DEPTS}"

    def matched(body):
        return int(collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(body))).get("numberMatched"))

    nil = '<fes:PropertyIsNil><fes:ValueReference>nom</fes:ValueReference></fes:PropertyIsNil>'
    assert matched(nil) == 0
    assert matched(f"<fes:Not>{nil}</fes:Not>") == n
    _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(nil.replace("nom", "nope"))))
    assert exc == [("InvalidParameterValue", "FILTER")]
    eq = ('<fes:PropertyIsEqualTo matchAction="{a}"><fes:ValueReference>{r}</fes:ValueReference>'
          '<fes:Literal>Loiret</fes:Literal></fes:PropertyIsEqualTo>')
    for action in ("Any", "All", "One"):
        assert matched(eq.format(a=action, r="nom")) == 1, action
    assert matched(eq.format(a="Any", r="./gc:nom[1]")) == 1
    _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(eq.format(a="Some", r="nom"))))
    assert exc == [("InvalidParameterValue", "FILTER")]


# ----------------------------------------------------------------- GML geometries

PCRS_CURVES = "AffleurantEnveloppePCRS"   # curve polygons (arcs), 3D
PCRS_POINTS = "AffleurantPointPCRS"       # 3D points in EPSG:3946 (a 2D CRS)


def source_geometries(layer):
    ds = helpers.ogr().Open(str(PCRS_SRC))
    lyr = ds.GetLayerByName(layer)
    out = [(f.GetGeometryRef().GetGeometryName(), f.GetGeometryRef().CoordinateDimension()) for f in lyr]
    return out


def test_curve_polygons_and_3d_points_are_schema_valid_gml(srv, tmp_path):
    """ets-wfs20 BasicGetFeatureTests.getFeaturesByType validates every feature against the
    application schema: a curve polygon's boundary was written as gml:CompositeCurve directly
    under gml:exterior, where GML 3.2 wants a ring (gml:AbstractRing): it is now the one
    curveMember of a gml:Ring. 3D coordinates in a 2D CRS (EPSG:3946) say srsDimension="3"
    on the geometry (the `pos` of a point had nothing saying so). GML 3.2 (WFS 2.0) and
    3.1.1 (WFS 1.1), validated against the OFFICIAL schemas with the served application
    schema; the counts come from the source read with OGR."""
    src = source_geometries(PCRS_CURVES)
    curved = sum(1 for name, _ in src if name in ("CURVEPOLYGON", "MULTISURFACE"))
    assert curved > 0 and all(dim == 3 for _, dim in src), src
    tn = f"gc:pcrs.{PCRS_CURVES}"
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn)
    root = collection(r)
    assert len(members(root, f"pcrs.{PCRS_CURVES}")) == len(src)
    d = wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES=tn)
    ok, out = helpers.validate_xml(r.content, tmp_path, "curves.xml", schema=helpers.wfs_app_schema(d.text, tmp_path))
    assert ok, out
    rings = root.findall(f".//{{{GML_NS}}}exterior/{{{GML_NS}}}Ring")
    assert len(rings) >= curved, (len(rings), curved)
    for ring in rings:
        assert [c.tag for c in ring] == [f"{{{GML_NS}}}curveMember"] * len(ring) and len(ring) >= 1
    for ext in root.iter(f"{{{GML_NS}}}exterior"):
        assert ext[0].tag in (f"{{{GML_NS}}}Ring", f"{{{GML_NS}}}LinearRing"), ext[0].tag
    # 3D points: srsDimension="3" on each point (or its collection), three numbers in `pos`.
    pts = source_geometries(PCRS_POINTS)
    tn = f"gc:pcrs.{PCRS_POINTS}"
    r = wfs(srv, REQUEST="GetFeature", TYPENAMES=tn)
    root = collection(r)
    d = wfs(srv, REQUEST="DescribeFeatureType", TYPENAMES=tn)
    ok, out = helpers.validate_xml(r.content, tmp_path, "points.xml", schema=helpers.wfs_app_schema(d.text, tmp_path))
    assert ok, out
    geoms = [g[0] for g in root.iter("{urn:x-geocentre:features}geom")]
    assert len(geoms) == len(pts) and all(dim == 3 for _, dim in pts)
    for g in geoms:
        pos = g.find(f".//{{{GML_NS}}}pos")
        assert len(pos.text.split()) == 3 and g.get("srsDimension") == "3", ET.tostring(g)[:300]
    # WFS 1.1: GML 3.1.1, the same two fixes.
    for layer in (PCRS_CURVES, PCRS_POINTS):
        q = f"SERVICE=WFS&VERSION=1.1.0&TYPENAME=gc:pcrs.{layer}"
        r = srv.get(f"/wfs?{q}&REQUEST=GetFeature")
        d = srv.get(f"/wfs?{q}&REQUEST=DescribeFeatureType")
        assert r.status_code == 200 and d.status_code == 200
        ok, out = helpers.validate_xml(r.content, tmp_path, f"{layer}11.xml",
                                       schema=helpers.wfs11_schema(tmp_path, describe_xml=d.text))
        assert ok, out
        assert 'srsDimension="3"' in r.text


# ----------------------------------------------------------------- spatial operators' operand

def test_bbox_tests_the_geometry_property_only(srv):
    """FES 2.0 §7.8 (ets-wfs20 BBOXTests.invalidGeometryOperand): a BBOX whose ValueReference is
    not geometry-valued (gml:description, gc:nom) is InvalidParameterValue (it was ignored, and
    the box tested against the geometry); on `geom`, or without a ValueReference, the box selects
    the features whose geometry meets it, as OGR counts them in the source."""
    tn = f"gc:{DEPTS}"
    lo, hi = (1.8, 47.8), (2.0, 48.0)   # lon/lat, around Orléans
    ds = helpers.ogr().Open(str(DEPTS_SRC))
    box = helpers.ogr().CreateGeometryFromWkt(
        f"POLYGON(({lo[0]} {lo[1]},{hi[0]} {lo[1]},{hi[0]} {hi[1]},{lo[0]} {hi[1]},{lo[0]} {lo[1]}))")
    expected = sorted(f.GetField("nom") for f in ds.GetLayer(0) if f.GetGeometryRef().Intersects(box))
    assert expected, "the control box meets no département"

    def bbox(ref):
        vr = f"<fes:ValueReference>{ref}</fes:ValueReference>" if ref else ""
        # urn EPSG::4326 is latitude first.
        return (f'<fes:BBOX>{vr}<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">'
                f'<gml:lowerCorner>{lo[1]} {lo[0]}</gml:lowerCorner><gml:upperCorner>{hi[1]} {hi[0]}</gml:upperCorner>'
                '</gml:Envelope></fes:BBOX>')

    for ref in (None, "geom", "gc:geom"):
        for r in (wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(bbox(ref))),
                  post(srv, filtered_post(tn, bbox(ref)))):
            root = collection(r)
            noms = sorted(e.text for e in root.iter("{urn:x-geocentre:features}nom"))
            assert noms == expected, (ref, noms)
    for ref in ("gml:description", "gc:nom", "nom", "gml:boundedBy"):
        for r in (wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(bbox(ref))),
                  post(srv, filtered_post(tn, bbox(ref)))):
            v, exc = report(r)
            assert v == "2.0.0" and exc == [("InvalidParameterValue", "FILTER")], (ref, exc)
    # The other spatial operators read their operand the same way.
    inter = ('<fes:Intersects><fes:ValueReference>{r}</fes:ValueReference><gml:Point srsName="urn:ogc:def:crs:EPSG::4326">'
             '<gml:pos>47.9 1.9</gml:pos></gml:Point></fes:Intersects>')
    _, exc = report(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn, FILTER=fes(inter.format(r="nom"))))
    assert exc == [("InvalidParameterValue", "FILTER")]
    assert collection(wfs(srv, REQUEST="GetFeature", TYPENAMES=tn,
                          FILTER=fes(inter.format(r="geom")))).get("numberMatched") == "1"
