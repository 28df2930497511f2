"""ISO 19139 records against the INSPIRE Technical Guidance for metadata 2.0, on
the points where the INSPIRE reference validator (ets-repository v2024.0.1, run
offline with BaseX: common requirements C.17-C.22, data sets 1.10 and 2.6,
interoperability a.3, services 3.1 and 3.8) found geocentre's records wrong:

  * C.17 / C.18: limitations on public access and conditions applying to access and
    use, each its own MD_LegalConstraints whose otherConstraints is a gmx:Anchor to
    the INSPIRE register (was a free text);
  * C.20-C.22, data sets 1.10: a conformity report citing Regulation 1089/2010 by the
    exact title the validator expects in the metadata language (French);
  * data sets 2.6 / a.3: the distribution formats, which are what the services deliver;
  * services 3.1 / 3.8: hierarchyLevelName, and one data quality element with scope
    service and the conformity to the network services regulation;
  * a record for the WMTS too, and MetadataUrl media types that say how records are
    served (the WFS announced a CSW GetRecordById response for a bare MD_Metadata);
  * every record names its official schemas in xsi:schemaLocation (the INSPIRE download
    service tests refuse the WFS service record without one) and validates against them;
  * CC8: data set records locate the services that offer them, protocol and application
    profile as register anchors (orthophotos: WMS and WMTS, no download service; vector
    data sets: WFS and WMS).

Records are fetched from real servers: the session server (`env`: the REAL IGN tile and
a DERIVED layer, WMS and WMTS) and a module server over the REAL départements GeoJSON
and PCRS GML (WFS); every record also validates against the official gco + gmd + gmx +
srv schemas.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

NS = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "srv": "http://www.isotc211.org/2005/srv",
    "xlink": "http://www.w3.org/1999/xlink",
}
HREF = "{http://www.w3.org/1999/xlink}href"
NIL = "{http://www.isotc211.org/2005/gco}nilReason"
# The titles the validator compares with, in French, the records' language. 1089/2010:
# copied from its enumeration (schemas/common/1.0/enums/enum_fre.xsd, `N o` included).
REG_1089 = ("RÈGLEMENT (UE) N o 1089/2010 DE LA COMMISSION du 23 novembre 2010 portant modalités "
            "d'application de la directive 2007/2/CE du Parlement européen et du Conseil en ce qui "
            "concerne l'interopérabilité des séries et des services de données géographiques")
REG_976_PREFIX = "Règlement (CE) n o 976/2009"
LIMITATIONS = "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
CONDITIONS = "http://inspire.ec.europa.eu/metadata-codelist/ConditionsApplyingToAccessAndUse/"
DEPTS_SRC = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
PCRS_SRC = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"


@pytest.fixture(scope="module")
def vec(geocentre_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("conformance-metadata")
    data = root / "data"
    data.mkdir()
    for name, src in (("admin", DEPTS_SRC), ("pcrs", PCRS_SRC)):
        proc = run_cli(["vector", "ingest", "--dataset", name, "--json", str(src)], data_dir=data, timeout=300)
        assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {name}")
        assert parse_single_json(proc).get("status") == "published"
    s = Server(data_dir=data, log_path=root / "server.log").start()
    yield s
    s.stop()


# The official ISO 19139 schemas, as the records' xsi:schemaLocation must name them (the
# addresses the OGC schema repository serves them at; schemas/ holds the same files).
OFFICIAL = "http://schemas.opengis.net/"
SCHEMA_LOCATIONS = {
    "http://www.isotc211.org/2005/gmd": OFFICIAL + "iso/19139/20070417/gmd/gmd.xsd",
    "http://www.isotc211.org/2005/gmx": OFFICIAL + "iso/19139/20070417/gmx/gmx.xsd",
    "http://www.isotc211.org/2005/srv": OFFICIAL + "iso/19139/20070417/srv/1.0/srv.xsd",
}


def schema_location_checks(content, tmp_path, name):
    """The record names the schemas it validates against (xsi:schemaLocation on its root: the
    INSPIRE download service tests refuse a service record without one, TR.missingSchemaLocation):
    gmd first, gmx (the register anchors), srv for service records only, each at its official
    address; and the record validates against exactly those schemas (their local copies)."""
    root = ET.fromstring(content)
    loc = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert loc, f"{name}: no xsi:schemaLocation on the root"
    toks = loc.split()
    assert len(toks) % 2 == 0, loc
    pairs = list(zip(toks[::2], toks[1::2]))
    service = root.find("gmd:identificationInfo/srv:SV_ServiceIdentification", NS) is not None
    want = ["http://www.isotc211.org/2005/gmd", "http://www.isotc211.org/2005/gmx"]
    if service:
        want.append("http://www.isotc211.org/2005/srv")
    assert [ns for ns, _ in pairs] == want, (name, pairs)
    for ns, url in pairs:
        assert url == SCHEMA_LOCATIONS[ns], (name, ns, url)
    local = [(ns, helpers.SCHEMAS / "ogc" / url[len(OFFICIAL):]) for ns, url in pairs]
    wrapper = helpers._wrapper_schema(tmp_path, f"by-location-{name}.xsd", local)
    ok, out = helpers.validate_xml(content, tmp_path, f"by-location-{name}", schema=wrapper)
    assert ok, f"{name} against its own xsi:schemaLocation:\n{out}"


def fetch(url, tmp_path, name):
    r = helpers.new_http().get(url, timeout=60)
    assert r.status_code == 200, f"{url}: HTTP {r.status_code}"
    assert r.headers["content-type"].split(";")[0].strip() == "application/xml", (url, r.headers["content-type"])
    ok, out = helpers.validate_iso19139(r.content, tmp_path, name)
    assert ok, f"{url}:\n{out}"
    schema_location_checks(r.content, tmp_path, name)
    return ET.fromstring(r.content)


def text(el, path):
    found = el.find(path, NS)
    return None if found is None else (found.text or "")


def legal_constraints(md):
    """(access anchors, use anchors) of the identification's MD_LegalConstraints."""
    access, use = [], []
    for lc in md.findall("gmd:identificationInfo/*/gmd:resourceConstraints/gmd:MD_LegalConstraints", NS):
        anchors = [a.get(HREF) for a in lc.findall("gmd:otherConstraints/gmx:Anchor", NS)]
        free = lc.findall("gmd:otherConstraints/gco:CharacterString", NS)
        assert not free, "free-text otherConstraints: the validator reads it as neither (C.17/C.18)"
        codes = lambda tag: [c.get("codeListValue") for c in lc.findall(f"gmd:{tag}/gmd:MD_RestrictionCode", NS)]
        if codes("accessConstraints"):
            assert codes("accessConstraints") == ["otherRestrictions"]
            access.append(anchors)
        if codes("useConstraints"):
            assert codes("useConstraints") == ["otherRestrictions"]
            use.append(anchors)
    return access, use


def assert_open_data_constraints(md):
    access, use = legal_constraints(md)
    assert len(access) == 1 and len(access[0]) == 1 and access[0][0].startswith(LIMITATIONS), access
    assert len(use) == 1 and len(use[0]) == 1 and use[0][0].startswith(CONDITIONS), use


def conformance_results(md, scope):
    dq = md.findall("gmd:dataQualityInfo/gmd:DQ_DataQuality", NS)
    assert len(dq) == 1, f"{len(dq)} DQ_DataQuality (one is required)"
    assert dq[0].find("gmd:scope/gmd:DQ_Scope/gmd:level/gmd:MD_ScopeCode", NS).get("codeListValue") == scope
    out = []
    for cr in dq[0].findall("gmd:report/gmd:DQ_DomainConsistency/gmd:result/gmd:DQ_ConformanceResult", NS):
        cit = cr.find("gmd:specification/gmd:CI_Citation", NS)
        title = text(cit, "gmd:title/gco:CharacterString")
        date = text(cit, "gmd:date/gmd:CI_Date/gmd:date/gco:Date")
        dtype = cit.find("gmd:date/gmd:CI_Date/gmd:dateType/gmd:CI_DateTypeCode", NS).get("codeListValue")
        p = cr.find("gmd:pass", NS)
        assert p is not None and (p.get(NIL) == "unknown" or text(p, "gco:Boolean") in ("true", "false")), \
            "pass: true, false, or nil 'unknown' (not evaluated)"
        assert text(cr, "gmd:explanation/gco:CharacterString"), "empty explanation"
        out.append((title, date, dtype))
    return out


def dataset_checks(md, served_formats):
    assert_open_data_constraints(md)
    reports = conformance_results(md, "dataset")
    assert (REG_1089, "2010-12-08", "publication") in reports, reports
    formats = [(text(f, "gmd:name/gco:CharacterString"), text(f, "gmd:version/gco:CharacterString"))
               for f in md.findall("gmd:distributionInfo/gmd:MD_Distribution/gmd:distributionFormat/gmd:MD_Format", NS)]
    assert formats and all(n and v for n, v in formats), formats
    # Each format is one the services deliver.
    for name, _ in formats:
        assert name in served_formats, (name, served_formats)
    return formats


def service_checks(md):
    assert md.find("gmd:hierarchyLevel/gmd:MD_ScopeCode", NS).get("codeListValue") == "service"
    assert [e.text for e in md.findall("gmd:hierarchyLevelName/gco:CharacterString", NS)] == ["service"]
    assert_open_data_constraints(md)
    reports = conformance_results(md, "service")
    assert any(t.startswith(REG_976_PREFIX) and d == "2009-10-20" for t, d, _ in reports), reports
    assert (REG_1089, "2010-12-08", "publication") in reports, reports


def test_ortho_dataset_records(env, tmp_path):
    wmts = env.server.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities").text
    wms = env.server.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities").text
    delivered = set(re.findall(r"<Format>image/(\w+)", wmts + wms))
    served = {{"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}[f] for f in delivered if f in ("jpeg", "png", "webp")}
    layers = env.server.get("/api/ortho/layers").json()["layers"]
    assert layers
    for lyr in layers:
        md = fetch(env.base + lyr["metadata"], tmp_path, f"{lyr['name']}.xml")
        dataset_checks(md, served)
        code = text(md, "gmd:referenceSystemInfo/gmd:MD_ReferenceSystem/gmd:referenceSystemIdentifier/"
                        "gmd:RS_Identifier/gmd:code/gco:CharacterString")
        assert code.endswith("/EPSG/0/2154"), code


def test_vector_dataset_records(vec, tmp_path):
    caps = vec.get("/wfs?SERVICE=WFS&REQUEST=GetCapabilities").text
    served = set()
    if "application/gml+xml; version=3.2" in caps:
        served.add("GML")
    if "application/json" in caps:
        served.add("GeoJSON")
    if "text/csv" in caps:
        served.add("CSV")
    for name, epsg in (("admin", 4326), ("pcrs", 3946)):
        md = fetch(f"{vec.base_url}/api/vector/datasets/{name}/metadata.xml", tmp_path, f"{name}.xml")
        formats = dataset_checks(md, served)
        assert ("GML", "3.2.1") in formats, formats
        code = text(md, "gmd:referenceSystemInfo/gmd:MD_ReferenceSystem/gmd:referenceSystemIdentifier/"
                        "gmd:RS_Identifier/gmd:code/gco:CharacterString")
        assert code.endswith(f"/EPSG/0/{epsg}"), (name, code)


@pytest.mark.parametrize("service,version,caps", [
    ("wms", "1.3.0", "/wms?SERVICE=WMS&REQUEST=GetCapabilities"),
    ("wmts", "1.0.0", "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"),
])
def test_view_service_records(env, tmp_path, service, version, caps):
    md = fetch(f"{env.base}/api/services/{service}/metadata.xml", tmp_path, f"{service}.xml")
    service_checks(md)
    ident = md.find("gmd:identificationInfo/srv:SV_ServiceIdentification", NS)
    assert text(ident, "srv:serviceType/gco:LocalName") == "view"
    assert text(ident, "srv:serviceTypeVersion/gco:CharacterString") == version
    url = text(ident, "srv:containsOperations/srv:SV_OperationMetadata/srv:connectPoint/gmd:CI_OnlineResource/"
                      "gmd:linkage/gmd:URL")
    assert url == env.base + caps, url
    r = helpers.new_http().get(url, timeout=60)
    assert r.status_code == 200 and "Capabilities" in r.text[:2000], url
    hrefs = [e.get(HREF) for e in ident.findall("srv:operatesOn", NS)]
    layers = env.server.get("/api/ortho/layers").json()["layers"]
    assert {f"{env.base}{lyr['metadata']}" for lyr in layers} <= set(hrefs), hrefs
    for h in hrefs:
        fetch(h, tmp_path, "operates-on.xml")


def test_download_service_record_and_its_media_type(vec, tmp_path):
    md = fetch(f"{vec.base_url}/api/services/wfs/metadata.xml", tmp_path, "wfs.xml")
    service_checks(md)
    ident = md.find("gmd:identificationInfo/srv:SV_ServiceIdentification", NS)
    assert text(ident, "srv:serviceType/gco:LocalName") == "download"
    # The capabilities announce the record as what it is: a bare MD_Metadata in
    # application/xml, the type it is served with (both versions).
    for version in ("2.0.0", "1.1.0"):
        caps = vec.get(f"/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION={version}").text
        m = re.search(r"<inspire_common:MetadataUrl[^>]*>\s*<inspire_common:URL>([^<]+)</inspire_common:URL>\s*"
                      r"<inspire_common:MediaType>([^<]+)</inspire_common:MediaType>", caps)
        assert m, (version, caps[:1500])
        r = helpers.new_http().get(m.group(1), timeout=60)
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0].strip() == m.group(2), (version, m.group(2),
                                                                              r.headers["content-type"])
        assert ET.fromstring(r.content).tag == "{http://www.isotc211.org/2005/gmd}MD_Metadata"


# ----------------------------------------------------------------- CC8: resource locators of the linked services

PROTOCOL = {
    "wms": "http://www.opengis.net/def/serviceType/ogc/wms",
    "wmts": "http://www.opengis.net/def/serviceType/ogc/wmts",
    "wfs": "http://www.opengis.net/def/serviceType/ogc/wfs",
    "ogcapi-features": "http://www.opengis.net/def/docs/17-069r3",
}
SERVICE_TYPE = "http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceType/"


def locators(md):
    """[(url, protocol href, application profile href or None, name)] of the record's
    transfer options. Protocol and application profile are register values, so anchors:
    the validator's CC8 (ets-md-mrl) counts a locator only with both, as anchors to
    ProtocolValue and SpatialDataServiceType (or literals it knows)."""
    out = []
    for r in md.findall("gmd:distributionInfo/gmd:MD_Distribution/gmd:transferOptions/"
                        "gmd:MD_DigitalTransferOptions/gmd:onLine/gmd:CI_OnlineResource", NS):
        assert r.find("gmd:protocol/gco:CharacterString", NS) is None, "free-text protocol"
        proto = r.find("gmd:protocol/gmx:Anchor", NS)
        assert proto is not None and proto.text, "no protocol anchor"
        prof = r.find("gmd:applicationProfile/gmx:Anchor", NS)
        assert r.find("gmd:applicationProfile/gco:CharacterString", NS) is None
        out.append((text(r, "gmd:linkage/gmd:URL"), proto.get(HREF), None if prof is None else prof.get(HREF),
                    text(r, "gmd:name/gco:CharacterString")))
    return out


def capabilities_of(url, service):
    r = helpers.new_http().get(url, timeout=60)
    assert r.status_code == 200, (url, r.status_code)
    root = ET.fromstring(r.content)
    assert root.tag.endswith("Capabilities"), (url, root.tag)
    assert service in root.tag or service.upper() in r.text[:3000], (url, root.tag)
    return r.text


def test_ortho_records_locate_their_view_services(env):
    """TG Metadata 2.0 CC8: a data set's record gives the GetCapabilities of each INSPIRE view
    service showing it (WMS, WMTS), protocol and application profile as register anchors, and
    the capabilities name the layer. No download service locator: the imagery is served for
    viewing only (no WCS, no Atom feed of the dalles), the design decision docs/conformance.md
    states for ets-md-mrl's 'Resource locator for Download service linking'."""
    layers = env.server.get("/api/ortho/layers").json()["layers"]
    assert layers
    for lyr in layers:
        md = ET.fromstring(env.server.get(lyr["metadata"]).content)
        locs = locators(md)
        view = [(u, p, n) for u, p, prof, n in locs if prof == SERVICE_TYPE + "view"]
        assert sorted(p for _, p, _ in view) == [PROTOCOL["wms"], PROTOCOL["wmts"]], locs
        assert not [x for x in locs if x[2] == SERVICE_TYPE + "download"], locs
        for url, proto, name in view:
            svc = "wms" if proto == PROTOCOL["wms"] else "wmts"
            assert url == f"{env.base}/{svc}?SERVICE={svc.upper()}&REQUEST=GetCapabilities", url
            caps = capabilities_of(url, svc.upper())
            tag = "Name" if svc == "wms" else "ows:Identifier"
            assert f"<{tag}>{name}</{tag}>" in caps, (url, name)


def test_vector_records_locate_their_download_and_view_services(vec):
    """TG Metadata 2.0 CC8 for the vector data sets: the WFS (the INSPIRE download service, which
    lists the data set's identifier in its extended capabilities) with application profile
    download, the WMS that draws the data set with application profile view; the OGC API
    Features collections are plain links (protocol anchor, no application profile: that API has
    no INSPIRE service record)."""
    for name in ("admin", "pcrs"):
        md = ET.fromstring(vec.get(f"/api/vector/datasets/{name}/metadata.xml").content)
        locs = locators(md)
        by_profile = {}
        for url, proto, prof, lname in locs:
            by_profile.setdefault(prof, []).append((url, proto, lname))
        assert by_profile.get(SERVICE_TYPE + "download") == [
            (f"{vec.base_url}/wfs?SERVICE=WFS&REQUEST=GetCapabilities", PROTOCOL["wfs"], name)], locs
        assert by_profile.get(SERVICE_TYPE + "view") == [
            (f"{vec.base_url}/wms?SERVICE=WMS&REQUEST=GetCapabilities", PROTOCOL["wms"], name)], locs
        assert set(by_profile) == {SERVICE_TYPE + "download", SERVICE_TYPE + "view", None}, locs
        wfs = capabilities_of(by_profile[SERVICE_TYPE + "download"][0][0], "WFS")
        assert f"<inspire_common:Code>{name}</inspire_common:Code>" in wfs, name
        wms = capabilities_of(by_profile[SERVICE_TYPE + "view"][0][0], "WMS")
        assert f"<Name>{name}</Name>" in wms, name
        plain = by_profile[None]
        assert plain and all(p == PROTOCOL["ogcapi-features"] for _, p, _ in plain), plain
        for url, _, _ in plain:
            r = helpers.new_http().get(url, headers={"Accept": "application/json"}, timeout=60)
            assert r.status_code == 200 and r.json()["id"].startswith(f"{name}."), url
