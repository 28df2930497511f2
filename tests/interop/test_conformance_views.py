"""View services against what the official conformance suites check: the
OGC CITE WMS 1.3.0 (ets-wms13), WMS 1.1.1 (ets-wms11) and WMTS 1.0.0
(ets-wmts10) suites and the INSPIRE view-service ETS. Each test holds one
requirement those suites found us failing, generically (nothing here knows
the suites' data).

Data: REAL communes and départements of Centre-Val de Loire (dataset
`admin`, the repository's data/) and the REAL IGN RVB tile (layer `ortho`,
vintage 2021); groups set here: `communes` (one member, titled like its
member's own entry would not be, as the CITE WMS data instance does) and
`limites` (two members).
"""
from __future__ import annotations

import re
import socket
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import Server, describe_proc, ingest, run_cli

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
COMMUNES_L = "admin.communes_centre_val_de_loire"
DEPS_L = "admin.departements_centre_val_de_loire"
WMS = "http://www.opengis.net/wms"
OGC = "http://www.opengis.net/ogc"
XLINK = "{http://www.w3.org/1999/xlink}href"
NSX = {"wms": WMS, "ogc": OGC, "inspire_common": "http://inspire.ec.europa.eu/schemas/common/1.0",
       "ows": "http://www.opengis.net/ows/1.1", "wmts": "http://www.opengis.net/wmts/1.0",
       "xlink": "http://www.w3.org/1999/xlink"}
BBOX_L93 = (604000.0, 6744000.0, 634000.0, 6764000.0)


@pytest.fixture(scope="module")
def views(geocentre_bin, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("views")
    data = tmp / "data"
    proc, _ = ingest(data, "ortho", 2021, [rvb["path"]])
    assert proc.returncode == 0, describe_proc(proc, "ortho ingest of the real RVB tile")
    proc = run_cli(["vector", "ingest", "--dataset", "admin", "--json", COMMUNES, DEPARTEMENTS], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the real admin layers")
    for name, title, members in (("communes", "Communes (groupe)", [COMMUNES_L]),
                                 ("limites", "Limites", [COMMUNES_L, DEPS_L])):
        proc = run_cli(["group", "set", name, "--title", title, *members], data_dir=data)
        assert proc.returncode == 0, describe_proc(proc, f"group set {name}")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "tmp": tmp, "rvb": rvb}
    srv.stop()


def wms(v, version="1.3.0", **params):
    q = {"SERVICE": "WMS", **({"VERSION": version} if version else {}), **params}
    return v["srv"].get("/wms?" + urllib.parse.urlencode(q))


def getmap(v, layers, styles="", version="1.3.0", bbox=BBOX_L93, **extra):
    crs = {"CRS": "EPSG:2154"} if version == "1.3.0" else {"SRS": "EPSG:2154"}
    return wms(v, version, REQUEST="GetMap", LAYERS=layers, STYLES=styles, **crs,
               BBOX=",".join(repr(c) for c in bbox), WIDTH="300", HEIGHT="200",
               FORMAT=extra.pop("FORMAT", "image/png"), **extra)


def gfi(v, layers, query, info_format, version="1.3.0", **extra):
    crs = {"CRS": "EPSG:2154"} if version == "1.3.0" else {"SRS": "EPSG:2154"}
    ij = {"I": "150", "J": "100"} if version == "1.3.0" else {"X": "150", "Y": "100"}
    return wms(v, version, REQUEST="GetFeatureInfo", LAYERS=layers, QUERY_LAYERS=query, STYLES="", **crs,
               BBOX=",".join(repr(c) for c in BBOX_L93), WIDTH="300", HEIGHT="200", **ij,
               INFO_FORMAT=info_format, FEATURE_COUNT="5", **extra)


def is_image(r, fmt="image/png"):
    return r.status_code == 200 and r.headers.get("Content-Type", "").split(";")[0] == fmt


def wms_exception(r, version="1.3.0"):
    """(code, locator) of a WMS service exception report, checking what
    both versions demand of it: HTTP 200 (as MapServer and GeoServer answer;
    the INSPIRE ETS requires it), the version's MIME type, never cached."""
    want = "text/xml" if version == "1.3.0" else "application/vnd.ogc.se_xml"
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"].split(";")[0] == want, r.headers["Content-Type"]
    assert r.headers.get("Cache-Control") == "no-store", r.headers.get("Cache-Control")
    body = re.sub(rb"<!DOCTYPE[^>]*>", b"", r.content, count=1)
    root = ET.fromstring(body)
    assert root.tag in ("{%s}ServiceExceptionReport" % OGC, "ServiceExceptionReport"), root.tag
    e = root.find("ogc:ServiceException", NSX)
    if e is None:
        e = root.find("ServiceException")
    return e.get("code"), e.get("locator")


def caps(v, version="1.3.0"):
    r = wms(v, version, REQUEST="GetCapabilities")
    assert r.status_code == 200, r.text[:300]
    return ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", r.content, count=1))


def layers_of(root, ns):
    return list(root.iter("{%s}Layer" % WMS if ns else "Layer"))


def name_of(L, ns):
    n = L.find("wms:Name", NSX) if ns else L.find("Name")
    return None if n is None else n.text


# ==========================================================================
# WMS capabilities: unique Names, styles not redeclared
# ==========================================================================

@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_every_layer_name_is_listed_once(views, version):
    """WMS 1.3.0 §7.2.4.6.3 (1.1.1 §7.1.4.5.3): a Name is unique. A layer in
    a group is listed where it belongs, not again under the group, which is
    one named layer standing for its members."""
    ns = version == "1.3.0"
    root = caps(views, version)
    names = [n for n in (name_of(L, ns) for L in layers_of(root, ns)) if n]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    assert {"communes", "limites", COMMUNES_L, DEPS_L, "admin", "ortho"} <= set(names), names
    group = next(L for L in layers_of(root, ns) if name_of(L, ns) == "communes")
    assert group.find("wms:Layer" if ns else "Layer", NSX) is None, "the group lists its members again"
    assert (group.find("wms:Title", NSX) if ns else group.find("Title")).text == "Communes (groupe)"
    assert group.get("queryable") == "1"


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_no_layer_redeclares_an_inherited_style(views, version):
    """WMS 1.3.0 §7.2.4.6.5: styles are inherited; a child may not declare
    a style of the same name as one its parent declares."""
    ns = version == "1.3.0"
    root = caps(views, version)
    cap = root.find("wms:Capability/wms:Layer", NSX) if ns else root.find("Capability/Layer")
    found = []

    def walk(L, inherited):
        own = [s.text for s in (L.findall("wms:Style/wms:Name", NSX) if ns else L.findall("Style/Name"))]
        if set(own) & inherited:
            found.append((name_of(L, ns), sorted(set(own) & inherited)))
        for c in (L.findall("wms:Layer", NSX) if ns else L.findall("Layer")):
            walk(c, inherited | set(own))

    walk(cap, set())
    assert not found, found
    # Each vector layer still carries its own style and legend.
    communes = next(L for L in layers_of(root, ns) if name_of(L, ns) == COMMUNES_L)
    st = communes.find("wms:Style", NSX) if ns else communes.find("Style")
    assert st is not None and (st.find("wms:LegendURL", NSX) if ns else st.find("LegendURL")) is not None


def test_a_group_is_requestable_and_queryable_by_its_name(views):
    """The group's own Name draws and queries its members."""
    a, b = getmap(views, "communes"), getmap(views, COMMUNES_L)
    assert is_image(a) and a.content == b.content
    r = gfi(views, "communes", "communes", "application/json")
    assert r.status_code == 200, r.text[:300]
    got = r.json()["features"]
    assert got and all(f["id"].startswith(COMMUNES_L + ".") for f in got), got
    assert r.json() == gfi(views, COMMUNES_L, COMMUNES_L, "application/json").json()


# ==========================================================================
# STYLES
# ==========================================================================

def test_styles_name_one_style_per_layer(views):
    """STYLES is positional; an empty entry is the layer's default, and a
    style the layer does not have is StyleNotDefined, whichever position."""
    two = f"{COMMUNES_L},{DEPS_L}"
    base = getmap(views, two, ",")
    assert is_image(base)
    for styles in ("default,default", ",default", "default,", ""):
        r = getmap(views, two, styles)
        assert is_image(r) and r.content == base.content, (styles, r.status_code, r.text[:200])
    three = f"ortho,{COMMUNES_L},{DEPS_L}"
    r = getmap(views, three, "default,default,default")
    assert is_image(r) and r.content == getmap(views, three, ",,").content
    # The same layer twice, each with its style.
    assert is_image(getmap(views, f"{COMMUNES_L},{COMMUNES_L}", "default,default"))
    for styles, where in (("nope,default", 1), ("default,nope", 2), (",nope", 2)):
        r = getmap(views, two, styles)
        assert wms_exception(r) == ("StyleNotDefined", "STYLES"), (styles, where)
    # A group has its default style; the same rule applies to it.
    assert is_image(getmap(views, "limites,communes", "default,"))
    assert wms_exception(getmap(views, "limites,communes", ",nope")) == ("StyleNotDefined", "STYLES")


# ==========================================================================
# VERSION and exception reports
# ==========================================================================

@pytest.mark.parametrize("request_", ["GetMap", "GetFeatureInfo"])
def test_version_is_mandatory_outside_getcapabilities(views, request_):
    """WMS 1.3.0 §6.9.2: VERSION is mandatory in GetMap and GetFeatureInfo
    (only GetCapabilities negotiates); an unknown one is refused too."""
    def ask(version):
        if request_ == "GetMap":
            return getmap(views, COMMUNES_L, version=version)
        return gfi(views, COMMUNES_L, COMMUNES_L, "text/plain", version=version)
    assert ask("1.3.0").status_code == 200 and "ServiceException" not in ask("1.3.0").text
    assert wms_exception(ask(None)) == ("MissingParameterValue", "VERSION")
    # Reported in the version negotiation gives (below 1.3.0: 1.1.1).
    for bad, report in (("zzzz", "1.3.0"), ("2.0.0", "1.3.0"), ("1.0.0", "1.1.1")):
        assert wms_exception(ask(bad), report)[0] == "InvalidParameterValue", bad
    # 1.1.0 is read as its corrigendum 1.1.1.
    r = getmap(views, COMMUNES_L, version="1.1.0")
    assert is_image(r), r.text[:300]
    # GetCapabilities without VERSION still negotiates (1.3.0).
    r = wms(views, None, REQUEST="GetCapabilities")
    assert r.status_code == 200 and b"<WMS_Capabilities" in r.content


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_exception_reports_are_http_200_in_the_version_format(views, version, tmp_path):
    r = getmap(views, "nope", version=version)
    code, locator = wms_exception(r, version)
    assert code == "LayerNotDefined"
    if version == "1.3.0":
        assert locator == "LAYERS"
        ok, out = helpers.validate_xml(r.content, tmp_path, "exc130.xml")
        assert ok, out
    # Other mistakes too: a missing REQUEST, an unknown operation, bad KVP.
    for q in ({"REQUEST": "GetNothing"}, {}, {"REQUEST": "GetMap", "WIDTH": "-1"}):
        r = wms(views, version, **q)
        wms_exception(r, version)
    r = views["srv"].get("/wms?SERVICE=WMS&VERSION=" + version + "&REQUEST=GetMap&X=%ZZ")
    wms_exception(r, version)


# ==========================================================================
# Metadata links: the advertised format is the served one
# ==========================================================================

def base_type(ct):
    return (ct or "").split(";")[0].strip().lower()


def test_metadata_url_format_is_the_served_content_type(views):
    """Every MetadataURL's Format (WMS 1.3.0, 1.1.1), the INSPIRE MetadataUrl
    MediaType (WMS, WFS) is the Content-Type its document is served with."""
    srv = views["srv"]
    links = []
    root = caps(views)
    for m in root.iter("{%s}MetadataURL" % WMS):
        links.append(("wms130", m.find("wms:Format", NSX).text, m.find("wms:OnlineResource", NSX).get(XLINK)))
    root = caps(views, "1.1.1")
    for m in root.iter("MetadataURL"):
        links.append(("wms111", m.find("Format").text, m.find("OnlineResource").get(XLINK)))
    wfs = ET.fromstring(srv.get("/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0").content)
    for where, doc in (("wms-inspire", caps(views)), ("wfs-inspire", wfs)):
        for m in doc.iter("{%s}MetadataUrl" % NSX["inspire_common"]):
            links.append((where, m.find("inspire_common:MediaType", NSX).text,
                          m.find("inspire_common:URL", NSX).text))
    kinds = {k for k, _, _ in links}
    assert {"wms130", "wms111", "wms-inspire", "wfs-inspire"} <= kinds, links
    for kind, fmt, href in links:
        r = helpers.new_http().get(href, timeout=60)
        assert r.status_code == 200, (kind, href, r.status_code)
        assert base_type(r.headers.get("Content-Type")) == fmt, (kind, href, fmt, r.headers.get("Content-Type"))


# ==========================================================================
# GetFeatureInfo formats
# ==========================================================================

@pytest.mark.parametrize("asked,served", [
    ("application/json", "application/json"),
    ("application/geo+json", "application/geo+json"),
    ("text/plain", "text/plain"),
    ("text/html", "text/html"),
    ("application/vnd.ogc.gml", "application/vnd.ogc.gml"),
])
def test_featureinfo_is_labelled_with_the_format_asked(views, asked, served):
    r = gfi(views, COMMUNES_L, COMMUNES_L, asked)
    assert r.status_code == 200 and base_type(r.headers["Content-Type"]) == served, \
        (asked, r.headers["Content-Type"])
    if served.startswith("text/"):
        assert "charset=utf-8" in r.headers["Content-Type"]


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_featureinfo_gml_validates_against_the_schema_it_names(views, version, tmp_path):
    """WMS 1.1.1 asks for GML that validates: the answer names its schema
    (served by the server), which validates it, GML parts included."""
    r = gfi(views, COMMUNES_L, COMMUNES_L, "application/vnd.ogc.gml", version=version)
    assert r.status_code == 200, r.text[:300]
    root = ET.fromstring(r.content)
    assert root.tag == "msGMLOutput"
    loc = root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation")
    assert loc and loc.startswith(views["srv"].base_url), loc
    s = helpers.new_http().get(loc, timeout=30)
    assert s.status_code == 200 and base_type(s.headers["Content-Type"]) == "application/xml"
    xsd = tmp_path / "featureinfo.xsd"
    xsd.write_bytes(s.content)
    assert root.find(f"{COMMUNES_L}_layer/{COMMUNES_L}_feature") is not None, r.text[:500]
    ok, out = helpers.validate_xml(r.content, tmp_path, "gfi.xml", schema=xsd)
    assert ok, out
    # The schema does check the GML it holds (a control).
    bad = r.content.replace(b"<gml:coordinates>", b"<gml:bogus/><gml:coordinates>", 1)
    ok, out = helpers.validate_xml(bad, tmp_path, "gfi-bad.xml", schema=xsd)
    assert not ok and "bogus" in out, out


def test_header_names_go_out_in_title_case(views):
    """Some OGC clients (the CITE WMS 1.1.1 suite among them) look headers
    up case-sensitively as `Content-Type`; the server sends title case."""
    host, port = views["srv"].base_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"GET /wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
    lines = head.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]
    assert b"Content-Type: text/xml; charset=utf-8" in lines, lines
    assert all(re.match(rb"^([A-Z][a-z0-9]*)(-[A-Z][a-z0-9]*)*: ", l) for l in lines), lines


# ==========================================================================
# WMTS
# ==========================================================================

OWS_EXC = "{http://www.opengis.net/ows/1.1}Exception"


def wmts_caps(v):
    r = v["srv"].get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0")
    assert r.status_code == 200, r.text[:300]
    return r


def ows_exception(r, status=400):
    assert r.status_code == status, (r.status_code, r.text[:300])
    e = ET.fromstring(r.content).find(OWS_EXC)
    return e.get("exceptionCode"), (e.get("locator") or "").lower()


def test_wmts_kvp_is_answered_at_every_advertised_address(views):
    """Each operation's Gets say their encoding, KVP first (QGIS takes the
    first). A client that ignores GetEncoding and sends KVP to the RESTful
    href (the CITE suite takes the last) is answered as KVP there too."""
    root = ET.fromstring(wmts_caps(views).content)
    srv = views["srv"]
    for op in ("GetCapabilities", "GetTile"):
        gets = root.findall(f"ows:OperationsMetadata/ows:Operation[@name='{op}']/ows:DCP/ows:HTTP/ows:Get", NSX)
        enc = [g.find("ows:Constraint[@name='GetEncoding']/ows:AllowedValues/ows:Value", NSX).text for g in gets]
        assert enc == ["KVP", "RESTful"], (op, enc)
        for g in gets:
            href = g.get(XLINK)
            sep = "" if href.endswith("?") else ("&" if "?" in href else "?")
            r = helpers.new_http().get(href + sep + "service=WMTS&request=GetCapabilities&version=1.0.0", timeout=60)
            assert r.status_code == 200 and b"<Capabilities" in r.content, (op, href, r.status_code)
            r = helpers.new_http().get(href + sep + "service=BOGUS&request=GetCapabilities", timeout=60)
            assert ows_exception(r) == ("InvalidParameterValue", "service"), (op, href)
    # Without KVP, the RESTful capabilities stay themselves.
    r = srv.get("/wmts/1.0.0/WMTSCapabilities.xml")
    assert r.status_code == 200 and b"<Capabilities" in r.content


def test_wmts_kvp_refusals(views):
    srv = views["srv"]
    # An unknown REQUEST is an invalid value of the parameter.
    assert ows_exception(srv.get("/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetBOGUS")) == \
        ("InvalidParameterValue", "request")
    # A WMTS operation this server does not offer stays OperationNotSupported.
    assert ows_exception(srv.get("/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetFeatureInfo"), 501) == \
        ("OperationNotSupported", "request")
    # FORMAT is mandatory in GetTile.
    caps = helpers.parse_caps(wmts_caps(views).content)
    tm = caps.tms[helpers.L93_TMS]["matrices"][0].identifier
    r = srv.get(f"/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetTile&LAYER=ortho&STYLE=default"
                f"&TILEMATRIXSET={helpers.L93_TMS}&TILEMATRIX={tm}&TILEROW=0&TILECOL=0")
    assert ows_exception(r) == ("MissingParameterValue", "format")


def test_wmts_dimension_value_default_is_the_declared_default(views):
    """Time=default means the Dimension's <Default> (WMTS 1.0 §7.2.4.7)."""
    root = ET.fromstring(wmts_caps(views).content)
    layer = next(L for L in root.iter("{%s}Layer" % NSX["wmts"])
                 if L.find("ows:Identifier", NSX).text == "ortho")
    dim = layer.find("wmts:Dimension", NSX)
    assert dim.find("ows:Identifier", NSX).text == "Time"
    default = dim.find("wmts:Default", NSX).text
    caps = helpers.parse_caps(ET.tostring(root))
    lim = caps.layers["ortho"].links[helpers.L93_TMS]
    tm = max(lim, key=int)
    r0, _, c0, _ = lim[tm]
    q = (f"/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetTile&LAYER=ortho&STYLE=default&FORMAT=image/png"
         f"&TILEMATRIXSET={helpers.L93_TMS}&TILEMATRIX={tm}&TILEROW={r0}&TILECOL={c0}")
    srv = views["srv"]
    want = srv.get(q + f"&Time={default}")
    assert is_image(want), want.text[:300]
    for t in ("default", "DEFAULT"):
        got = srv.get(q + f"&Time={t}")
        assert is_image(got) and got.content == want.content, (t, got.status_code, got.text[:300])
    assert ows_exception(srv.get(q + "&Time=someday"))[0] == "InvalidParameterValue"


@pytest.mark.parametrize("tms", [helpers.L93_TMS, helpers.WM_TMS])
def test_wmts_every_tile_within_the_advertised_limits_is_an_image(views, tms):
    """Nothing is enforced that is not advertised: for every TileMatrix of
    the set, the corner tiles of its TileMatrixLimits (of the whole matrix
    where it has none) answer an image, blank where there is no data, and
    one step outside them TileOutOfRange."""
    caps = helpers.parse_caps(wmts_caps(views).content)
    lim = caps.layers["ortho"].links[tms]
    assert lim, "no TileMatrixSetLimits"
    srv = views["srv"]
    base = (f"/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetTile&LAYER=ortho&STYLE=default&FORMAT=image/png"
            f"&TILEMATRIXSET={tms}")
    for tm in caps.tms[tms]["matrices"]:
        r0, r1, c0, c1 = lim.get(tm.identifier, (0, tm.matrix_h - 1, 0, tm.matrix_w - 1))
        for row, col in {(r0, c0), (r1, c1)}:
            r = srv.get(f"{base}&TILEMATRIX={tm.identifier}&TILEROW={row}&TILECOL={col}")
            assert is_image(r), (tm.identifier, row, col, r.status_code, r.text[:200])
        if r1 + 1 < tm.matrix_h or tm.identifier not in lim:
            r = srv.get(f"{base}&TILEMATRIX={tm.identifier}&TILEROW={r1 + 1}&TILECOL={c0}")
            assert ows_exception(r) == ("TileOutOfRange", "tilerow"), (tm.identifier, r1 + 1)


def test_wmts_inspire_extended_capabilities_and_layer_metadata(views, tmp_path):
    """INSPIRE TG view services (WMTS, scenario 1): inspire_vs_ows11
    ExtendedCapabilities last in OperationsMetadata (link to the service
    record, languages), and one ows:Metadata per Layer resolving to its
    ISO 19139 record, served with the media type the capabilities say."""
    r = wmts_caps(views)
    ok, out = helpers.validate_wmts_capabilities_inspire(r.content, tmp_path)
    assert ok, out
    root = ET.fromstring(r.content)
    assert "inspire_vs_ows11/1.0/inspire_vs_ows_11.xsd" in root.get(
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    om = root.find("ows:OperationsMetadata", NSX)
    ext = om[-1]
    assert ext.tag == "{http://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0}ExtendedCapabilities", ext.tag
    ic = NSX["inspire_common"]
    url = ext.find(f"{{{ic}}}MetadataUrl/{{{ic}}}URL").text
    # The WMTS service record (served beside the WMS and WFS ones).
    assert url == views["srv"].base_url + "/api/services/wmts/metadata.xml", url
    assert ext.find(f"{{{ic}}}MetadataUrl/{{{ic}}}MediaType").text == "application/xml"
    assert ext.find(f"{{{ic}}}SupportedLanguages/{{{ic}}}DefaultLanguage/{{{ic}}}Language").text == "fre"
    assert ext.find(f"{{{ic}}}ResponseLanguage/{{{ic}}}Language").text == "fre"
    layers = list(root.find("wmts:Contents", NSX).findall("wmts:Layer", NSX))
    assert layers
    for L in layers:
        md = L.findall("ows:Metadata", NSX)
        assert len(md) == 1, (L.find("ows:Identifier", NSX).text, len(md))
        href = md[0].get(XLINK)
        got = helpers.new_http().get(href, timeout=60)
        assert got.status_code == 200 and base_type(got.headers["Content-Type"]) == "application/xml", \
            (href, got.status_code, got.headers.get("Content-Type"))
        # The layer's record through the catalogue (INSPIRE at79 reads the
        # record as a child of the answer's root): a GetRecordByIdResponse
        # holding exactly that layer's gmd:MD_Metadata.
        root_el = ET.fromstring(got.content)
        assert root_el.tag == "{http://www.opengis.net/cat/csw/2.0.2}GetRecordByIdResponse", root_el.tag
        kids = list(root_el)
        assert [k.tag for k in kids] == ["{http://www.isotc211.org/2005/gmd}MD_Metadata"], href
        fid = kids[0].find("{http://www.isotc211.org/2005/gmd}fileIdentifier/{http://www.isotc211.org/2005/gco}CharacterString").text
        assert fid == "geocentre-ortho-" + L.find("ows:Identifier", NSX).text, (href, fid)


# ==========================================================================
# LANGUAGE (INSPIRE view services)
# ==========================================================================

@pytest.mark.parametrize("service", ["WMS", "WMTS"])
def test_language_parameter(views, service):
    """LANGUAGE=eng (a supported language) answers in English: the
    ResponseLanguage and the service's title and abstract; an unsupported
    or absent LANGUAGE answers in the default language, French, with the
    default title and abstract (INSPIRE TG view services; ETS at68-at70)."""
    ic = NSX["inspire_common"]

    def ask(lang):
        q = {"SERVICE": service, "REQUEST": "GetCapabilities",
             "VERSION": "1.3.0" if service == "WMS" else "1.0.0", **({"LANGUAGE": lang} if lang else {})}
        r = views["srv"].get(f"/{service.lower()}?" + urllib.parse.urlencode(q))
        assert r.status_code == 200, r.text[:300]
        root = ET.fromstring(r.content)
        if service == "WMS":
            title = root.find("wms:Service/wms:Title", NSX).text
            abstract = root.find("wms:Service/wms:Abstract", NSX).text
        else:
            title = root.find("ows:ServiceIdentification/ows:Title", NSX).text
            abstract = root.find("ows:ServiceIdentification/ows:Abstract", NSX).text
        langs = {e.text for e in root.iter(f"{{{ic}}}Language")}
        resp = next(root.iter(f"{{{ic}}}ResponseLanguage")).find(f"{{{ic}}}Language").text
        return title, abstract, resp, langs

    default = ask(None)
    assert default[2] == "fre" and default[3] == {"fre", "eng"}, default
    for lang in ("fre", "zzz", "ger", ""):
        assert ask(lang) == default, lang
    title, abstract, resp, _ = ask("eng")
    assert resp == "eng" and title != default[0] and abstract != default[1], (title, abstract)
    assert "regional orthophotography" in title, title
    assert ask("ENG")[2] == "eng"


def test_styles_is_mandatory_in_getmap(views):
    """WMS 1.3.0 Table 8 (INSPIRE ETS at53): GetMap without STYLES is
    refused; `STYLES=` (empty) is each layer's default."""
    q = {"REQUEST": "GetMap", "LAYERS": COMMUNES_L, "CRS": "EPSG:2154", "WIDTH": "300", "HEIGHT": "200",
         "BBOX": ",".join(repr(c) for c in BBOX_L93), "FORMAT": "image/png"}
    assert wms_exception(wms(views, **q)) == ("MissingParameterValue", "STYLES")
    assert is_image(wms(views, **q, STYLES=""))
    r = wms(views, "1.1.1", **{**{k: v for k, v in q.items() if k != "CRS"}, "SRS": "EPSG:2154"})
    assert wms_exception(r, "1.1.1")[0] == "MissingParameterValue"


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_recommended_metadata(views, version):
    """WMS 1.3.0 recommendations (ets-wms13 class `recommendations`): the
    service has keywords and an e-mail contact; every named layer has
    keywords and a MetadataURL (a group: its members' records, each once)."""
    ns = version == "1.3.0"
    root = caps(views, version)
    f = (lambda el, p: el.find("/".join(f"wms:{s}" for s in p.split("/")), NSX)) if ns else \
        (lambda el, p: el.find(p))
    svc = f(root, "Service")
    assert "infoMapAccessService" in [k.text for k in (svc.iter("{%s}Keyword" % WMS) if ns else svc.iter("Keyword"))]
    assert f(svc, "ContactInformation/ContactElectronicMailAddress").text
    for L in layers_of(root, ns):
        name = name_of(L, ns)
        if not name:
            continue
        assert f(L, "KeywordList/Keyword") is not None, name
        urls = [m.find("wms:OnlineResource", NSX).get(XLINK) if ns else m.find("OnlineResource").get(XLINK)
                for m in (L.findall("wms:MetadataURL", NSX) if ns else L.findall("MetadataURL"))]
        assert urls and len(urls) == len(set(urls)), (name, urls)
    limites = next(L for L in layers_of(root, ns) if name_of(L, ns) == "limites")
    assert [m.find("wms:OnlineResource", NSX).get(XLINK) if ns else m.find("OnlineResource").get(XLINK)
            for m in (limites.findall("wms:MetadataURL", NSX) if ns else limites.findall("MetadataURL"))] == \
        [views["srv"].base_url + "/api/vector/datasets/admin/metadata.xml"]
