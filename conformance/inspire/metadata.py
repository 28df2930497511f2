#!/usr/bin/env python3
"""INSPIRE metadata ETS (Technical Guidelines 2.0) against a running geocentre, offline.

usage: metadata.py --base-url http://127.0.0.1:PORT --out RESULTS_DIR [--work BUILD_DIR]

Runs the BaseX/XQuery executable test suites of the INSPIRE reference validator
(inspire-eu-validation/ets-repository v2024.0.1, vendored under ets/) the way the
validator's ETF BaseX test driver does, without the validator:
  1. BaseX 9.7.3 from Maven Central (cached in ~/.m2), with a BaseX home inside the build
     directory and the FunctX functions the ETS import (functx.xqm) installed into it;
  2. a project directory (ETF's "projDir") built in the build directory from the vendored files,
     with the remote addresses the ETS read rewritten to local files (the schemas, the derived
     registry snapshot under registry/, the ISO code lists of the repository's schemas/);
     the vendored files themselves are not edited (README.md lists every rewrite);
  3. every ISO 19139 record the server publishes, fetched over HTTP: data sets (the ortho layers
     and their vintages, the vector data sets) into the BaseX database "datasets-0", services
     (/api/services/{wms,wfs,wmts}/metadata.xml) into "services-0", each tested with its own ETS;
     when the server has a CSW (/csw does not answer 404), also every record its GetRecords returns
     (outputSchema gmd, full, paged) that these did not already give;
  4. inspire-md-bsxets.xq evaluated per ETS with the external variables ETF binds; its
     TestTaskResult turned into one JSON file per ETS (the shared format, README.md).
Exit status 0 when the suites ran, whatever their results (known failures are the lead's gate);
2 when the harness itself cannot run (no Java, no BaseX, server unreachable, ...).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.dom.minidom
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (DEFAULT_WORK, ETF, ETS_DIR, HERE, REGISTRY_DIR, SCHEMAS_DIR, Bundle, HarnessError,  # noqa: E402
                    summary_line, write_result)

BASEX_VERSION = "9.7.3"
GMD = "{http://www.isotc211.org/2005/gmd}"
GMD_NS = "http://www.isotc211.org/2005/gmd"
CSW = "{http://www.opengis.net/cat/csw/2.0.2}"
CSW_PAGE = 50  # maxRecords of each GetRecords page of the CSW harvest
CSW_MAX_RECORDS = 10000  # a guard against a server whose nextRecord never ends
MD_BUNDLE = "EID70a263c0-0ad7-42f2-9d4d-0d8a4ca71b52"

# (suite id suffix, ETS file under ets/, short title, reason it is not run or None)
DATASET_ETS = [
    ("common", "metadata/2.0/common/ets-md-common-bsxets.xml", "Common requirements", None),
    ("cc1", "metadata/2.0/datasets-and-series/ets-md-datasets-and-series-bsxets.xml",
     "Conformance Class 1: data sets and series baseline", None),
    ("cc2", "metadata/2.0/datasets-and-series/ets-md-isdss-bsxets.xml",
     "Conformance Class 2: data sets and series interoperability", None),
    ("cc2b", "metadata/2.0/datasets-and-series/ets-md-monitoring-bsxets.xml",
     "Conformance Class 2b: data sets and series for monitoring",
     "CC2b is for data sets reported in the INSPIRE monitoring (spatial scope and priority data set keywords); "
     "the demo data sets are not reported there, and the SpatialScope and PriorityDataset registers the ETS read "
     "in the 23 official languages cannot be reproduced faithfully offline (registry/README.md)"),
    ("cc8", "metadata/2.0/datasets-and-series/ets-md-mrl-bsxets.xml",
     "Conformance Class 8: linked service metadata (resource locators)", None),  # run record by record, see below
    ("iop", "data/interoperability-metadata/ets-md-iop-bsxets.xml",
     "Metadata for interoperability (data specification TGs)", None),
]
SERVICE_ETS = [
    ("common", "metadata/2.0/common/ets-md-common-bsxets.xml", "Common requirements", None),
    ("cc3", "metadata/2.0/sds/ets-md-sds-bsxets.xml", "Conformance Class 3: spatial data service baseline", None),
    ("cc4", "metadata/2.0/sds/ets-md-ns-bsxets.xml", "Conformance Class 4: network services", None),
    ("cc5", "metadata/2.0/sds/ets-md-sdsinvocable-bsxets.xml", "Conformance Class 5: invocable spatial data services",
     "CC5-CC7 are for 'other' spatial data services (md sds-invocable 5.1 requires srv:serviceType 'other'); "
     "geocentre's WMS, WMTS and WFS are network services (view, download), whose class is CC4"),
    ("cc6", "metadata/2.0/sds/ets-md-sdsinteroperable-bsxets.xml",
     "Conformance Class 6: interoperable spatial data services",
     "CC6 builds on CC5 (invocable spatial data services), which does not apply to network services: "
     "geocentre's services are view and download services (CC4)"),
    ("cc7", "metadata/2.0/sds/ets-md-sdsharmonised-bsxets.xml", "Conformance Class 7: harmonised spatial data services",
     "CC7 builds on CC6/CC5 (invocable spatial data services), which do not apply to network services: "
     "geocentre's services are view and download services (CC4)"),
]
SERVICES = ("wms", "wfs", "wmts")  # /api/services/{name}/metadata.xml
# ETS run once per record (ETF's files_to_test parameter) instead of once on all records: ets-md-mrl reports
# "no resource locator" with local:filename($records), a type error (XPTY0004, "Cannot promote element()+ to
# node()") as soon as the test object holds more than one record without a matching locator. One record at a
# time is what the validator does for a single uploaded record; the results are merged per assertion.
PER_RECORD = {"metadata/2.0/datasets-and-series/ets-md-mrl-bsxets.xml"}

ETF_STATUS = {"PASSED": "passed", "FAILED": "failed", "PASSED_MANUAL": "manual", "NOT_APPLICABLE": "not_applicable",
              "SKIPPED": "skipped", "WARNING": "passed", "INFO": "passed", "UNDEFINED": "failed"}


# ---------------------------------------------------------------- BaseX
def basex_jar():
    """BaseX from Maven Central through Maven (cached in ~/.m2)."""
    m2 = os.path.expanduser(f"~/.m2/repository/org/basex/basex/{BASEX_VERSION}/basex-{BASEX_VERSION}.jar")
    if os.path.isfile(m2):
        return m2
    if not shutil.which("mvn"):
        raise HarnessError("BaseX is not in ~/.m2 and Maven (mvn) is missing: install the Debian package maven")
    cmd = ["mvn", "-B", "-q", "dependency:get", f"-Dartifact=org.basex:basex:{BASEX_VERSION}", "-Dtransitive=false"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.isfile(m2):
        raise HarnessError(f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return m2


class BaseX:
    def __init__(self, work):
        if not shutil.which("java"):
            raise HarnessError("java is missing: install the Debian package default-jre-headless")
        self.home = os.path.join(work, "basex-home")
        os.makedirs(self.home, exist_ok=True)
        self.prefix = ["java", f"-Dorg.basex.path={self.home}", "-cp", basex_jar(), "org.basex.BaseX"]
        # the FunctX module the ETS import (testquery-md.xq), into this BaseX home only; installed on every
        # run (it overwrites, and costs one JVM start) so that an edited functx.xqm is always the one used
        self.run(["-c", f"REPO INSTALL {os.path.join(HERE, 'functx.xqm')}"], "install functx")

    def run(self, args, what, timeout=600):
        r = subprocess.run(self.prefix + args, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise HarnessError(f"BaseX ({what}) failed with exit status {r.returncode}:\n{r.stderr[-3000:]}")
        return r


# ---------------------------------------------------------------- project directory (ETF projDir)
def file_url(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def prepare_project(work):
    """Copy the vendored ETS into <work>/proj and rewrite the remote addresses they read (README.md)."""
    proj = os.path.join(work, "proj")
    if os.path.isdir(proj):
        shutil.rmtree(proj)
    shutil.copytree(ETS_DIR, proj, ignore=shutil.ignore_patterns("README.md"))
    os.makedirs(os.path.join(proj, "tmp"))
    S = os.path.join(proj, "schemas")
    iso_cl = os.path.join(SCHEMAS_DIR, "ogc", "iso", "19139", "20070417", "resources", "codelist")
    # Schemas C.1 validates against (it tries them in turn, passing if one accepts the record) and documents
    # the ETS read with fn:doc: the addresses are replaced by the local copies. The fourth C.1 schema, the
    # INSPIRE "iso_19139_20060504_wrapper.xsd" (a draft kept on inspire.ec.europa.eu, not in the ETS repository),
    # is replaced by a stand-in importing gmd, gmx and srv of ISO 19139 2006-05-04 (written below).
    literal = {
        "http://schemas.opengis.net/csw/2.0.2/profiles/apiso/1.0.0/apiso.xsd": f"{S}/ogc/apiso/1.0.0/apiso.xsd",
        "http://www.isotc211.org/2005/gmd/gmd.xsd": f"{S}/iso/19139/20060504/gmd/gmd.xsd",
        "http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd": f"{S}/iso/19139/20060504/gmd/gmd.xsd",
        "https://inspire.ec.europa.eu/draft-schemas/inspire-md-schemas-temp/iso_19139_20060504/"
        "iso_19139_20060504_wrapper.xsd": f"{S}/iso_19139_20060504_wrapper.xsd",
        "https://standards.iso.org/ittf/PubliclyAvailableStandards/ISO_19139_Schemas/resources/codelist/"
        "ML_gmxCodelists.xml": file_url(os.path.join(iso_cl, "ML_gmxCodelists.xml")),
        "https://standards.iso.org/ittf/PubliclyAvailableStandards/ISO_19139_Schemas/resources/codelist/"
        "gmxCodelists.xml": file_url(os.path.join(iso_cl, "gmxCodelists.xml")),
        "http://inspire.ec.europa.eu/schemas/common/1.0/enums/": file_url(os.path.join(S, "common", "1.0", "enums")) + "/",
        "'http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceCategory/SpatialDataServiceCategory.en.xml'":
            "local:offline('http://inspire.ec.europa.eu/metadata-codelist/SpatialDataServiceCategory/"
            "SpatialDataServiceCategory.en.xml')",
        # registry documents read per language (ets-md-mrl, ets-md-monitoring): resolved in the snapshot;
        # a language the snapshot lacks is skipped and logged instead of failing the assertion
        "fn:doc($url)": "fn:doc(local:offline($url))",
        "error((), $url || ' cannot be accessed.')": "local:offline-missing($url)",
    }
    for root, _, files in os.walk(proj):
        for name in files:
            if not name.endswith("-bsxets.xml"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                s = f.read()
            for a, b in literal.items():
                s = s.replace(a, b)
            with open(path, "w", encoding="utf-8") as f:
                f.write(s)
    # Stand-in for the INSPIRE wrapper schema. The import order matters for Xerces (BaseX's validator):
    # gmd before gmx and srv, else "src-resolve: gmd:AbstractDS_Aggregate_Type" or srv substitution errors.
    with open(os.path.join(S, "iso_19139_20060504_wrapper.xsd"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'targetNamespace="http://www.isotc211.org/2005/wrapper" elementFormDefault="qualified">\n'
                '  <xs:import namespace="http://www.isotc211.org/2005/gmd" schemaLocation="iso/19139/20060504/gmd/gmd.xsd"/>\n'
                '  <xs:import namespace="http://www.isotc211.org/2005/gmx" schemaLocation="iso/19139/20060504/gmx/gmx.xsd"/>\n'
                '  <xs:import namespace="http://www.isotc211.org/2005/srv" schemaLocation="iso/19139/20060504/srv/srv.xsd"/>\n'
                '</xs:schema>\n')
    patch_testquery(os.path.join(proj, "testquery-md.xq"))
    return proj


def _replace_once(s, old, new, what):
    n = s.count(old)
    if n != 1:
        raise HarnessError(f"testquery-md.xq: expected one '{what}', found {n} (vendored file changed?)")
    return s.replace(old, new)


def patch_testquery(path):
    """Offline access for the helper library the ETS use (applied to the copy in the build directory)."""
    reg = file_url(REGISTRY_DIR) + "/"
    sch = file_url(os.path.join(os.path.dirname(path), "schemas")) + "/"
    with open(path, encoding="utf-8") as f:
        q = f.read()
    offline = f"""
(: geocentre offline harness: INSPIRE registry and schema addresses -> local files (conformance/inspire/README.md) :)
declare function local:offline($uri as xs:string) as xs:string
{{
  if (matches($uri, '^https?://inspire\\.ec\\.europa\\.eu/schemas/')) then
    replace($uri, '^https?://inspire\\.ec\\.europa\\.eu/schemas/', '{sch}')
  else if (matches($uri, '^https?://inspire\\.ec\\.europa\\.eu/')) then
    replace($uri, '^https?://inspire\\.ec\\.europa\\.eu/', '{reg}')
  else $uri
}};
declare function local:offline-missing($uri as xs:string) as empty-sequence()
{{
  if (starts-with(local:offline($uri), 'file:')) then
    local:log('offline registry snapshot: no ' || $uri || ' (skipped, see conformance/inspire/registry/README.md)')
  else error((), $uri || ' cannot be accessed.')
}};
"""
    check = """
(: geocentre offline harness: registry addresses answer from the snapshot like HTTP 200 / 404 :)
declare function local:check-resource-uri($uri as xs:string, $timeoutInS as xs:integer, $redirect as xs:boolean) as xs:string
{
  let $u := local:offline($uri)
  return if (starts-with($u, 'file:')) then
    (if (file:exists(file:path-to-native($u))) then 'application/xml' else '404')
  else local:check-resource-uri-online($uri, $timeoutInS, $redirect)
};
"""
    q = _replace_once(q, "declare function local:check-resource-uri(",
                      offline + "declare function local:check-resource-uri-online(", "check-resource-uri declaration")
    q = _replace_once(q, "local:check-resource-uri($response/http:header[@name='Location']/@value",
                      "local:check-resource-uri-online($response/http:header[@name='Location']/@value", "redirect")
    q = _replace_once(q, "declare function local:check-http-uris(", check + "declare function local:check-http-uris(",
                      "check-http-uris declaration")
    if q.count("fn:doc($clurl)") != 2:
        raise HarnessError("testquery-md.xq: expected two fn:doc($clurl) (vendored file changed?)")
    q = q.replace("fn:doc($clurl)", "fn:doc(local:offline($clurl))")
    # the snapshot has some languages of a register only: skip the others (logged) instead of failing
    q = _replace_once(q, "      local:get-codes-in-atom-format($url,$lang)",
                      "      try { local:get-codes-in-atom-format($url,$lang) } catch * "
                      "{ local:offline-missing($url || '/' || $lang) }", "get-codes-in-atom-format call")
    with open(path, "w", encoding="utf-8") as f:
        f.write(q)


# ---------------------------------------------------------------- records
def http_get(url, timeout=60):
    req = urllib.request.Request(url, headers={"User-Agent": "geocentre-conformance/inspire-metadata"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def http_json(url):
    status, body = http_get(url)
    if status != 200:
        raise HarnessError(f"{url}: HTTP {status} (is the demo server running at --base-url?)")
    return json.loads(body)


def discover(base):
    """Every ISO 19139 record the server publishes: (kind, file name, URL).

    Data sets: the ortho layers and their vintages (the "metadata" links of /api/ortho/layers) and the vector
    data sets (/api/vector/datasets/{name}/metadata.xml). Services: /api/services/{wms,wfs,wmts}/metadata.xml
    (a record that answers 404 is reported as a failed test of inspire-md-records, not left out).
    Records linked from the capabilities (WMS MetadataURL, WFS MetadataURL) are added when not yet listed."""
    found = []
    seen = set()

    def add(kind, name, url):
        if url not in seen:
            seen.add(url)
            found.append((kind, name, url))

    for layer in http_json(base + "/api/ortho/layers").get("layers", []):
        for item in [layer] + list(layer.get("vintages", [])):
            link = item.get("metadata")
            if link:
                name = item.get("wmts_layer") or layer["name"]
                add("datasets", f"ortho-{name}", urllib.parse.urljoin(base + "/", link))
    for ds in http_json(base + "/api/vector/datasets").get("datasets", []):
        add("datasets", f"vector-{ds['name']}", f"{base}/api/vector/datasets/{urllib.parse.quote(ds['name'])}/metadata.xml")
    for s in SERVICES:
        add("services", f"service-{s}", f"{base}/api/services/{s}/metadata.xml")
    for cap, pat in ((f"{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0", r"MetadataU[Rr][Ll]"),
                     (f"{base}/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0", r"MetadataU[Rr][Ll]")):
        status, body = http_get(cap)
        if status != 200:
            continue
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            continue
        for el in root.iter():
            if re.fullmatch(r"\{[^}]*\}" + pat, el.tag or ""):
                href = el.get("{http://www.w3.org/1999/xlink}href")
                for sub in el.iter():
                    href = href or sub.get("{http://www.w3.org/1999/xlink}href") or (
                        sub.text.strip() if sub.tag.endswith("}URL") and sub.text else None)
                if href and href.startswith(base) and href not in seen and (
                        "metadata" in href or "getrecordbyid" in href.lower()):
                    kind = "services" if "/api/services/" in href else "datasets"  # linked-*: from the record too
                    tail = re.sub(r"[^A-Za-z0-9_.-]+", "-", urllib.parse.urlparse(href).path.strip("/"))
                    add(kind, f"linked-{tail}", href)
    return found


def md_xml(md_elem):
    """An MD_Metadata element of a larger document (minidom) as a standalone document: its prefixes kept, the
    namespace declarations of its ancestors copied onto it (QName values such as xsi:type keep resolving)."""
    decl = {}
    node = md_elem.parentNode
    while node is not None and node.nodeType == node.ELEMENT_NODE:
        for i in range(node.attributes.length):
            a = node.attributes.item(i)
            if (a.name == "xmlns" or a.name.startswith("xmlns:")) and a.name not in decl:
                decl[a.name] = a.value
        node = node.parentNode
    for name, value in decl.items():
        if not md_elem.hasAttribute(name):
            md_elem.setAttribute(name, value)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + md_elem.toxml()).encode("utf-8")


def md_children(body, container):
    """The gmd:MD_Metadata children of the `container` elements (csw local name) of a CSW answer, each as a
    standalone document, and the local names of the other children."""
    dom = xml.dom.minidom.parseString(body)
    out, others = [], []
    for c in dom.getElementsByTagNameNS("http://www.opengis.net/cat/csw/2.0.2", container):
        for ch in c.childNodes:
            if ch.nodeType != ch.ELEMENT_NODE:
                continue
            if ch.namespaceURI == GMD_NS and ch.localName == "MD_Metadata":
                out.append(md_xml(ch))
            else:
                others.append(ch.tagName)
    return out, others


def record_info(body):
    """(fileIdentifier, kind from hierarchyLevel) of a standalone gmd:MD_Metadata document."""
    root = ET.fromstring(body)
    ident = (root.findtext(f"{GMD}fileIdentifier/{{http://www.isotc211.org/2005/gco}}CharacterString") or "").strip()
    levels = [e.get("codeListValue") for e in root.findall(f"{GMD}hierarchyLevel/{GMD}MD_ScopeCode")]
    return ident, ("services" if "service" in levels else "datasets")


def csw_harvest(base):
    """Every record of the server's CSW: GetRecords (typeNames csw:Record, outputSchema gmd, elementSetName full),
    page by page from nextRecord. None when /csw answers 404 (no CSW: the other discovery is the only one);
    else ([gmd record bytes], [problems], pages, url of the first page)."""
    caps = f"{base}/csw?service=CSW&request=GetCapabilities&version=2.0.2"
    try:
        status, _ = http_get(caps)
    except (urllib.error.URLError, OSError) as e:
        return [], [f"{caps}: {e}"], 0, caps
    if status == 404:
        return None
    if status != 200:
        return [], [f"{caps}: HTTP {status}"], 0, caps
    records, problems, pages, start, first = [], [], 0, 1, None
    while start and len(records) < CSW_MAX_RECORDS:
        url = (f"{base}/csw?" + urllib.parse.urlencode([
            ("service", "CSW"), ("version", "2.0.2"), ("request", "GetRecords"), ("typeNames", "csw:Record"),
            ("resultType", "results"), ("outputSchema", GMD_NS), ("elementSetName", "full"),
            ("startPosition", str(start)), ("maxRecords", str(CSW_PAGE))]))
        first = first or url
        try:
            status, body = http_get(url)
        except (urllib.error.URLError, OSError) as e:
            problems.append(f"{url}: {e}")
            break
        pages += 1
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            break
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            problems.append(f"{url}: not well-formed XML ({e})")
            break
        sr = root.find(f"{CSW}SearchResults")
        if root.tag != f"{CSW}GetRecordsResponse" or sr is None:
            text = " ".join(t.strip() for t in root.itertext() if t.strip())[:300]
            problems.append(f"{url}: root element {root.tag}, not csw:GetRecordsResponse with SearchResults ({text})")
            break
        page, others = md_children(body, "SearchResults")
        if others:
            problems.append(f"{url}: SearchResults children that are not gmd:MD_Metadata: {', '.join(sorted(set(others)))}")
        records += page
        try:
            nxt = int(sr.get("nextRecord") or 0)
            matched = int(sr.get("numberOfRecordsMatched") or 0)
        except ValueError:
            problems.append(f"{url}: nextRecord / numberOfRecordsMatched are not integers")
            break
        returned = len(page) + len(others)
        if not returned or nxt <= start or nxt > matched:
            break
        start = nxt
    return records, problems, pages, first


def fetch_records(base, work):
    """Fetch every record; returns ({kind: dir}, record tests for inspire-md-records).

    A record is tested once: a CSW record (or a GetRecordById link) whose fileIdentifier is already among the
    fetched records is not stored again. A csw:GetRecordByIdResponse (a MetadataURL pointing to the CSW) is
    unwrapped: its gmd:MD_Metadata is the record."""
    dirs = {k: os.path.join(work, "records", k) for k in ("datasets", "services")}
    for d in dirs.values():
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    tests = []
    idents = {}  # fileIdentifier -> file name of the record that holds it

    def store(kind, name, body, test, by_content):
        try:
            ident, content_kind = record_info(body)
        except ET.ParseError:
            ident, content_kind = "", kind
        if by_content:
            kind = content_kind
            test["name"] = f"{kind[:-1]} record {name}"
        if ident and ident in idents:
            test["message"] += f" (fileIdentifier {ident} already fetched as {idents[ident]}: tested once)"
            return
        if ident:
            idents[ident] = name
        with open(os.path.join(dirs[kind], name + ".xml"), "wb") as f:
            f.write(body)

    for kind, name, url in discover(base):
        status, body = http_get(url)
        test = {"name": f"{kind[:-1]} record {name}", "class": "Record discovery", "status": "passed",
                "message": url}
        if status != 200:
            test.update(status="failed", message=f"{url}: HTTP {status} (no ISO 19139 record published)")
        else:
            try:
                root = ET.fromstring(body)
            except ET.ParseError as e:
                root = None
                test.update(status="failed", message=f"{url}: not well-formed XML ({e})")
            if root is not None and root.tag == CSW + "GetRecordByIdResponse":
                mds, _ = md_children(body, "GetRecordByIdResponse")
                if len(mds) != 1:
                    test.update(status="failed", message=f"{url}: csw:GetRecordByIdResponse with {len(mds)} "
                                                         "gmd:MD_Metadata (one expected)")
                else:
                    test["message"] = f"{url} (gmd:MD_Metadata of a csw:GetRecordByIdResponse)"
                    store(kind, name, mds[0], test, by_content=True)
            elif root is not None and root.tag != GMD + "MD_Metadata":
                test.update(status="failed", message=f"{url}: root element {root.tag}, not gmd:MD_Metadata")
            elif root is not None:
                store(kind, name, body, test, by_content=name.startswith("linked-"))
        tests.append(test)

    harvest = csw_harvest(base)
    if harvest is not None:
        records, problems, pages, first = harvest
        new = 0
        for body in records:
            try:
                ident, kind = record_info(body)
            except ET.ParseError as e:  # not expected: minidom wrote it
                problems.append(f"a record of the CSW answers cannot be re-read ({e})")
                continue
            if ident and ident in idents:
                continue
            new += 1
            name = "csw-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", ident).strip("-") or f"record-{new}")
            while os.path.exists(os.path.join(dirs["datasets"], name + ".xml")) or \
                    os.path.exists(os.path.join(dirs["services"], name + ".xml")):
                name += "-1"
            test = {"name": f"{kind[:-1]} record {name}", "class": "Record discovery", "status": "passed",
                    "message": f"CSW GetRecords (fileIdentifier {ident or 'none'})"}
            store(kind, name, body, test, by_content=True)
            tests.append(test)
        test = {"name": "CSW GetRecords harvest", "class": "Record discovery",
                "status": "failed" if problems else "passed",
                "message": f"{len(records)} gmd:MD_Metadata records in {pages} page(s) of {CSW_PAGE} from {first}; "
                           f"{new} not already fetched from the other links" +
                           ("; " + " | ".join(problems[:5]) if problems else "")}
        tests.append(test)
    return dirs, tests


# ---------------------------------------------------------------- running an ETS
def ets_assertions(ets_path):
    """[(assertion id, label, test case label, description text)] in ETS order."""
    out = []
    root = ET.parse(ets_path).getroot()
    for case in root.iter(f"{ETF}TestCase"):
        clabel = case.findtext(f"{ETF}label")
        for a in case.iter(f"{ETF}TestAssertion"):
            desc = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", a.findtext(f"{ETF}description") or "")).strip()
            out.append((a.get("id"), a.findtext(f"{ETF}label"), clabel, desc))
    return out


def ets_args(proj, ets_rel, db, run_id, files_to_test=".*"):
    """BaseX arguments for one ETS run (the external variables ETF binds, then the query); several runs go to
    one BaseX process (one JVM start), each rebinding every variable. Returns (arguments, result file)."""
    out = os.path.join(proj, "tmp", f"{run_id}-result.xml")
    if os.path.exists(out):
        os.remove(out)
    args = []
    for k, v in (("projDir", proj), ("etsFile", os.path.join(proj, ets_rel)), ("dbBaseName", db), ("dbCount", "1"),
                 ("dbDir", "none"), ("testRunId", run_id), ("testObjectTypeIds", "geocentre"),
                 ("executableTestSuiteId", run_id), ("testTaskResultId", run_id), ("outputFile", out),
                 ("files_to_test", files_to_test)):
        args += ["-b", f"{k}={v.replace(',', ',,')}"]  # BaseX splits -b on commas; a doubled one is literal
    return args + [os.path.join(proj, "inspire-md-bsxets.xq")], out


def result_tests(ets_path, result_path, bundle, statistics=True):
    labels = {aid: (label, case, desc) for aid, label, case, desc in ets_assertions(ets_path)}
    tests = []
    res = ET.parse(result_path).getroot()
    for r in res.iter(f"{ETF}TestAssertionResult"):
        aid = r.find(f"{ETF}resultedFrom").get("ref")
        label, case, desc = labels.get(aid, (aid, "", ""))
        etf_status = r.findtext(f"{ETF}status")
        status = ETF_STATUS.get(etf_status, "failed")
        msgs = []
        for m in r.iter(f"{ETF}message"):
            args = {a.get("token"): (a.text or "") for a in m.iter(f"{ETF}argument")}
            if m.get("ref") in ("TR.recordsWithErrors", "TR.featuresWithErrors") and (
                    not statistics or args.get("count", "0") == "0"):
                continue  # the statistics line ("0 records with errors" of a passing assertion, or of one record)
            msgs.append(bundle.render(m.get("ref"), args))
        message = " | ".join(msgs)
        if etf_status in ("WARNING", "INFO", "UNDEFINED"):
            message = f"ETF status {etf_status}" + (": " + message if message else "")
        if status == "manual" and not message:
            message = "PASSED_MANUAL, to check by hand: " + desc
        if len(message) > 6000:
            message = message[:6000] + " …(truncated)"
        test = {"name": label, "class": case, "status": status}
        if message:
            test["message"] = message
        tests.append(test)
    if len(tests) != len(labels):
        raise HarnessError(f"{result_path}: {len(tests)} assertion results for {len(labels)} assertions")
    return tests


def not_applicable_tests(ets_path, reason):
    return [{"name": label, "class": case, "status": "not_applicable", "message": reason}
            for _, label, case, _ in ets_assertions(ets_path)]


WORST_FIRST = ("failed", "manual", "passed", "skipped", "not_applicable")


def merge_per_record(runs):
    """One test list from the per-record runs of an ETS: the worst status, the messages of every record."""
    merged = []
    for parts in zip(*runs):
        status = min((t["status"] for t in parts), key=WORST_FIRST.index)
        msgs = []
        for t in parts:
            if t.get("message") and t["message"] not in msgs and (t["status"] == status or status == "failed"):
                msgs.append(t["message"])
        test = {"name": parts[0]["name"], "class": parts[0]["class"], "status": status}
        if msgs:
            test["message"] = " | ".join(msgs)
        merged.append(test)
    return merged


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", required=True, help="the geocentre server (demo region loaded), e.g. http://127.0.0.1:8080")
    p.add_argument("--out", required=True, help="results directory (one JSON per ETS)")
    p.add_argument("--work", default=DEFAULT_WORK, help=f"build directory (default {DEFAULT_WORK})")
    a = p.parse_args(argv)
    base = a.base_url.rstrip("/")
    work = os.path.abspath(a.work)
    t0 = time.time()
    try:
        os.makedirs(work, exist_ok=True)
        bx = BaseX(work)
        proj = prepare_project(work)
        bundle = Bundle(MD_BUNDLE)
        dirs, record_tests = fetch_records(base, work)
        n = {k: len(os.listdir(d)) for k, d in dirs.items()}
        write_result(a.out, "inspire-md-records", "INSPIRE metadata – records published by the server",
                     f"the ISO 19139 records of the demo at {base}", ["Record discovery"], record_tests,
                     version="geocentre harness")
        print(summary_line("inspire-md-records", record_tests))
        for kind, matrix in (("datasets", DATASET_ETS), ("services", SERVICE_ETS)):
            db = kind
            records = sorted(os.listdir(dirs[kind]))
            target = (f"{n[kind]} ISO 19139 {'data set' if kind == 'datasets' else 'service'} records of the demo "
                      f"at {base} ({', '.join(r[:-4] for r in records)})")
            # every run of this kind in one BaseX process: load the records, then each ETS (per record for
            # PER_RECORD), results read afterwards
            args, outputs = [], {}
            if n[kind]:
                args = ["-c", f"DROP DB {db}-0", "-c", f"CREATE DB {db}-0 {dirs[kind]}"]
                for suffix, rel, _, reason in matrix:
                    if reason:
                        continue
                    sid = f"inspire-md-{kind}-{suffix}"
                    runs = [(f"{sid}-{r[:-4]}", "^" + re.escape(r) + "$") for r in records] \
                        if rel in PER_RECORD else [(sid, ".*")]
                    for run_id, files in runs:
                        more, out = ets_args(proj, rel, db, run_id, files)
                        args += more
                        outputs.setdefault(sid, []).append(out)
                bx.run(args, f"{kind} ETS")
            for suffix, rel, title, reason in matrix:
                sid = f"inspire-md-{kind}-{suffix}"
                ets_path = os.path.join(proj, rel)
                suite = f"INSPIRE metadata TG 2.0 – {title} ({'data sets' if kind == 'datasets' else 'services'})"
                if reason:
                    tests = not_applicable_tests(ets_path, reason)
                elif not n[kind]:
                    tests = [{"name": label, "class": case, "status": "failed",
                              "message": f"no {kind[:-1]} metadata record could be fetched from {base}"}
                             for _, label, case, _ in ets_assertions(ets_path)]
                else:
                    for out in outputs[sid]:
                        if not os.path.isfile(out):
                            raise HarnessError(f"ETS {rel}: BaseX wrote no result file {out}")
                    if rel in PER_RECORD:
                        tests = merge_per_record([result_tests(ets_path, out, bundle, statistics=False)
                                                  for out in outputs[sid]])
                    else:
                        tests = result_tests(ets_path, outputs[sid][0], bundle)
                write_result(a.out, sid, suite, target, [title], tests,
                             extra={"ets": f"{rel} ({'not run: ' + reason if reason else 'run'})"})
                print(summary_line(sid, tests))
    except HarnessError as e:
        print(f"metadata.py: harness error: {e}", file=sys.stderr)
        return 2
    except (OSError, subprocess.SubprocessError) as e:
        print(f"metadata.py: harness error: {e}", file=sys.stderr)
        return 2
    except Exception:  # a bug of the harness is a harness error (exit 2), never a test result
        import traceback
        traceback.print_exc()
        print("metadata.py: harness error (see the traceback above)", file=sys.stderr)
        return 2
    print(f"metadata.py: done in {time.time() - t0:.0f} s, results in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
