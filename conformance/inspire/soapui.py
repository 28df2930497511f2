"""The parts of SoapUI and of the validator's ETF SoapUI plugin that the INSPIRE service ETS rely on,
re-done in Python for the ports in vs_wms.py, vs_wmts.py and ds_wfs.py.

What is emulated, and how (the ETS are SoapUI 5 projects whose Groovy imports ETF's plugin classes,
de.interactive_instruments.etf.suim.* and de.interactive_instruments.xtf.*):
- an HTTP test step: a GET with the step's parameters (a parameter whose value is empty is left out,
  as SoapUI does for non-required parameters), or a POST of the step's XML body, and its assertions, each
  checked on its own:
  "Valid HTTP Status Codes", "Response SLA" (30 s), "Fail if service returns OWS Exception Report"
  (ETF: exists(/*:ServiceExceptionReport) or exists(/*:ExceptionReport) or exists(/*:Exception)),
  "Simple Schema Validator" (xmllint against the document's xsi:schemaLocation, offline through the
  repository's schemas/catalog.xml plus the vendored INSPIRE schemas), and Groovy/XPath script assertions;
- a Groovy test step: a Python function; `Fail(tr, **args)` is ETF's TranslatableAssertionError (the first
  one ends the step, like a Groovy throw);
- ETF's `Assert` helper (suim/Assert.groovy): XPath 2.0 on the response with the INSPIRE download service
  namespaces; the XPaths of the ETS are kept verbatim and translated to XPath 1.0 for lxml by `xp1()`
  (`*:name` wildcards, exists()/empty(), top-level sequences), see the comment there;
- XmlSlurper GPath navigation (namespace-agnostic local names) used by the view service Groovy: `kids()`,
  `desc()`, `gtext()`;
- a "manual-check" step (an `Assert.exists('//zzzz', 'TR.manual.…')` that always fails): ETF reports a
  failed assertion whose message id starts with TR.manual. as PASSED_MANUAL -> status "manual".
Each executed test step that carries checks becomes one test named "<test case> / <test step>", class
the SoapUI test suite, so that every result traces back to the ETS.
"""
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

from lxml import etree

from common import ETS_DIR, SCHEMAS_DIR, HarnessError

SLA_S = 30.0
XLINK = "http://www.w3.org/1999/xlink"
# Assert.INSPIRE_DS_NS of the ETF plugin
INSPIRE_DS_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "fes": "http://www.opengis.net/fes/2.0",
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gml": "http://www.opengis.net/gml/3.2",
    "georss": "http://www.georss.org/georss",
    "inspire_common": "http://inspire.ec.europa.eu/schemas/common/1.0",
    "inspire_dls": "http://inspire.ec.europa.eu/schemas/inspire_dls/1.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "wfs": "http://www.opengis.net/wfs/2.0",
    "srv": "http://www.isotc211.org/2005/srv",
    "xlink": XLINK,
    "xml": "http://www.w3.org/XML/1998/namespace",
}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)


class Fail(Exception):
    """ETF's TranslatableAssertionError: a message id (TR.…) and its arguments."""

    def __init__(self, tr, **args):
        super().__init__(tr)
        self.tr = tr
        self.args_ = args


class ScriptError(Exception):
    """What makes a Groovy step fail without a TranslatableAssertionError (e.g. XmlSlurper on non-XML)."""


# ---------------------------------------------------------------- HTTP
class Resp:
    def __init__(self, url, status, headers, body, elapsed, error=None, method="GET"):
        self.url, self.status, self.headers, self.body, self.elapsed, self.error = \
            url, status, headers, body, elapsed, error
        self.method = method
        self._xml = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def content_type(self):
        return self.header("Content-Type") or ""

    def text(self):
        return self.body.decode("utf-8", "replace")

    def xml(self):
        """The root element (XmlSlurper.parseText); ScriptError when the body is not XML."""
        if self._xml is None:
            if not self.body:
                raise ScriptError(f"empty response from {self.url}")
            try:
                self._xml = etree.fromstring(self.body, PARSER)
            except etree.XMLSyntaxError as e:
                raise ScriptError(f"response of {self.url} is not XML ({e})") from None
        return self._xml

    def is_xml(self):
        try:
            self.xml()
            return True
        except ScriptError:
            return False


class Http:
    def __init__(self, timeout=60):
        self.timeout = timeout
        self.count = 0

    def get(self, url, params=()):
        """GET url with the (name, value) parameters; empty or None values are left out (SoapUI)."""
        q = [(k, v) for k, v in params if v not in (None, "")]
        if q:
            sep = "" if url.endswith(("?", "&")) else "&" if "?" in url else "?"
            url = url + sep + urllib.parse.urlencode(q)
        return self._send(url, None, None)

    def post(self, url, body, content_type="application/xml"):
        """POST `body` (str) to url with the given media type (a SoapUI HTTP step with method POST)."""
        return self._send(url, body.encode("utf-8"), content_type)

    def _send(self, url, data, content_type):
        method = "GET" if data is None else "POST"
        t0 = time.monotonic()
        self.count += 1
        headers = {"User-Agent": "geocentre-conformance/inspire-services"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
        except ValueError as e:  # e.g. an endpoint the capabilities did not give: SoapUI gets no response either
            return Resp(url, 0, [], b"", 0.0, error=f"invalid URL ({e})", method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                body = r.read()
                return Resp(url, r.status, list(r.headers.items()), body, time.monotonic() - t0, method=method)
        except urllib.error.HTTPError as e:
            return Resp(url, e.code, list(e.headers.items()), e.read(), time.monotonic() - t0, method=method)
        except (urllib.error.URLError, OSError) as e:
            return Resp(url, 0, [], b"", time.monotonic() - t0, error=str(e), method=method)


# ---------------------------------------------------------------- XmlSlurper-like navigation
def ln(e):
    return etree.QName(e).localname if isinstance(e.tag, str) else ""


def kids(nodes, name):
    """GPath `nodes.name`: the children called `name` (any namespace) of every node."""
    if not isinstance(nodes, list):
        nodes = [nodes]
    return [c for n in nodes for c in n if isinstance(c.tag, str) and ln(c) == name]


def path(node, dotted):
    """GPath `node.A.B.C` for dotted = 'A.B.C'."""
    nodes = [node]
    for name in dotted.split("."):
        nodes = kids(nodes, name)
    return nodes


def desc(node, name):
    """GPath `node.depthFirst().findAll{ it.name() == name }` (the node itself included)."""
    return [e for e in node.iter() if isinstance(e.tag, str) and ln(e) == name]


def gtext(nodes):
    """GPath toString(): the text of all the nodes, descendants included, concatenated."""
    if not isinstance(nodes, list):
        nodes = [nodes]
    return "".join("".join(n.itertext()) for n in nodes)


def attr(nodes, name):
    """GPath `nodes.@name` (name may be 'xlink:href'): the attribute values present."""
    if not isinstance(nodes, list):
        nodes = [nodes]
    key = f"{{{XLINK}}}href" if name == "xlink:href" else name
    return [n.get(key) for n in nodes if n.get(key) is not None]


def parent_layers(layer):
    """The Layer ancestors of a Layer, nearest first (`layer.parent()` while name() == 'Layer')."""
    out, p = [], layer.getparent()
    while p is not None and ln(p) == "Layer":
        out.append(p)
        p = p.getparent()
    return out


# ---------------------------------------------------------------- ETF Assert (XPath 2.0 -> lxml XPath 1.0)
def xp1(expr):
    """Translate the XPath 2.0 of the ETS Asserts to XPath 1.0 for lxml.

    Only what the ETS use: `*:name` / `@*:name` (any namespace) become `*[local-name()='name']` /
    `@*[local-name()='name']`; exists(X) -> boolean(X); empty(X) -> not(X); a top-level comma sequence of
    paths -> a union. The original expression is what the test messages show."""
    e = expr.strip()
    e = re.sub(r"@\*:([A-Za-z_][\w.-]*)", r"@*[local-name()='\1']", e)
    e = re.sub(r"\*:([A-Za-z_][\w.-]*)", r"*[local-name()='\1']", e)
    e = re.sub(r"\bexists\(", "boolean(", e)
    e = re.sub(r"\bempty\(", "not(", e)
    depth, parts, cur, quote = 0, [], "", None
    for ch in e:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    parts.append(cur)
    return " | ".join(p.strip() for p in parts)


def node_value(n):
    if isinstance(n, str):  # attribute value or text (lxml smart strings)
        return str(n)
    if isinstance(n, etree._Element):
        return "".join(n.itertext())
    if isinstance(n, bool):
        return "true" if n else "false"
    if isinstance(n, float):
        return str(int(n)) if n.is_integer() else str(n)
    return str(n)


def last_segment(path_):
    seg = re.split(r"/+", path_.strip().rstrip("/"))[-1]
    seg = re.sub(r"\[.*\]$", "", seg)
    return seg.replace("*:", "").lstrip("@")


class Assert:
    """ETF's suim.Assert on one response (its constructor fails like ETF's on no data, non-XML, HTML and
    exception reports)."""

    def __init__(self, resp):
        if not resp.body:
            raise Fail("TR.noDataReturned")
        try:
            self.root = resp.xml()
        except ScriptError:
            raise Fail("TR.xmlExpected") from None
        if ln(self.root) in ("ServiceExceptionReport", "ExceptionReport", "Exception"):
            texts = "; ".join(t.strip() for t in self.root.xpath("//*[local-name()='ExceptionText']/text()"))
            raise Fail("TR.unexpectedException", text=texts or "unknown error")
        if ln(self.root) == "html":
            raise Fail("TR.unexpectedHtml")

    def eval(self, expr):
        try:
            return self.root.xpath(xp1(expr), namespaces=INSPIRE_DS_NS)
        except etree.XPathError as e:
            raise HarnessError(f"XPath not translatable: {expr!r} -> {xp1(expr)!r}: {e}") from None

    def first(self, expr):
        r = self.eval(expr)
        if isinstance(r, list):
            return r[0] if r else None
        return r

    def value(self, expr):
        n = self.first(expr)
        return None if n is None else node_value(n)

    def exists(self, expr, tr="TR.missingElement"):
        n = self.first(expr)
        if n is None or n is False:
            raise Fail(tr, xpath=expr, element=last_segment(expr))
        return n

    def not_exists(self, expr, tr=None):
        r = self.eval(expr)
        nodes = r if isinstance(r, list) else ([r] if r else [])
        if len(nodes) == 1:
            raise Fail(tr or "TR.elementNotExpected", xpath=expr, elementName=getattr(nodes[0], "tag", str(nodes[0])))
        if nodes:
            raise Fail(tr or "TR.elementsNotExpected", xpath=expr,
                       elementNames=", ".join(etree.QName(n).localname if isinstance(n, etree._Element) else str(n)
                                              for n in nodes))

    def is_true(self, expr, tr):
        v = self.value(expr)
        if v is None or v == "false":
            raise Fail(tr)

    def exists_non_empty_text(self, expr, element=None, tr="TR.emptyValue"):
        element = element or last_segment(expr)
        v = self.value(expr)
        if v is None:
            raise Fail("TR.missingElement", element=element, xpath=expr)
        if not v:
            raise Fail(tr, xpath=expr, element=element)
        return v

    def equals(self, expr, element, expected, tr="TR.invalidValue"):
        v = self.exists_non_empty_text(expr)
        if v != expected:
            raise Fail(tr, xpath=expr, element=element, expected=expected, actual=v)

    def equal_path_values(self, expr, expected_expr, tr="TR.invalidValue"):
        v = self.exists_non_empty_text(expr)
        ev = self.exists_non_empty_text(expected_expr)
        if v != ev:
            raise Fail(tr, xpath=expr, element=last_segment(expr), expected=ev, actual=v)

    def equal_path_values_in(self, expr, other, other_expr=None, tr="TR.invalidValue"):
        """equalPathValuesInStep: `other` is the response of the other test step."""
        v = self.exists_non_empty_text(expr)
        if other is None or not other.body:
            raise Fail("TR.preCondition.testStep.noDataReturned")
        try:
            o = Assert(other)
        except Fail as f:
            raise Fail("TR.preCondition.testStep.unexpectedException" if f.tr == "TR.unexpectedException"
                       else "TR.preCondition.testStep.xmlExpected") from None
        ev = o.value(other_expr or expr)
        if not ev:
            raise Fail("TR.preCondition.testStep.missingElement")
        if v != ev:
            raise Fail(tr, xpath=expr, element=last_segment(expr), expected=ev, actual=v)


def is_exception_report(resp):
    """ETF's OwsExceptionReportAssertion XPath."""
    try:
        return ln(resp.xml()) in ("ServiceExceptionReport", "ExceptionReport", "Exception")
    except ScriptError:
        return False


# ---------------------------------------------------------------- schema validation (Simple Schema Validator)
class Validator:
    """xmllint --schema, offline: the repository's schemas/catalog.xml (OGC, ISO, W3C) plus the vendored INSPIRE
    schemas, copied into the build directory with their broken OGC imports pointed at schemas.opengis.net."""

    def __init__(self, work, http):
        self.http = http
        self.dir = os.path.join(work, "schemas")
        os.makedirs(self.dir, exist_ok=True)
        src = os.path.join(ETS_DIR, "schemas")
        for rel in ("common/1.0", "inspire_dls/1.0", "inspire_ds/1.0", "inspire_vs/1.0", "inspire_vs_ows11/1.0"):
            for root, _, files in os.walk(os.path.join(src, rel)):
                for name in files:
                    if not name.endswith(".xsd"):
                        continue
                    s = open(os.path.join(root, name), encoding="utf-8").read()
                    s = s.replace('schemaLocation="../../schemas/ogc/', 'schemaLocation="http://schemas.opengis.net/')
                    dst = os.path.join(self.dir, os.path.relpath(os.path.join(root, name), src))
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    with open(dst, "w", encoding="utf-8") as f:
                        f.write(s)
        self.catalog = os.path.join(self.dir, "catalog.xml")
        with open(self.catalog, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0"?>\n<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
                    f'  <rewriteSystem systemIdStartString="http://inspire.ec.europa.eu/schemas/" rewritePrefix="file://{self.dir}/"/>\n'
                    f'  <rewriteURI uriStartString="http://inspire.ec.europa.eu/schemas/" rewritePrefix="file://{self.dir}/"/>\n'
                    f'  <rewriteSystem systemIdStartString="https://inspire.ec.europa.eu/schemas/" rewritePrefix="file://{self.dir}/"/>\n'
                    f'  <rewriteURI uriStartString="https://inspire.ec.europa.eu/schemas/" rewritePrefix="file://{self.dir}/"/>\n'
                    f'  <nextCatalog catalog="file://{os.path.join(SCHEMAS_DIR, "catalog.xml")}"/>\n</catalog>\n')
        self.tmp = os.path.join(work, "xsd-tmp")  # the documents and schemas of the last validations
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.makedirs(self.tmp)

    # CSW 2.0.2 is not under schemas/ogc/: schemas/csw-tree/ holds it with the imports libxml2 compiles
    CATALOGUED = {"http://schemas.opengis.net/csw/2.0.2/": os.path.join(SCHEMAS_DIR, "csw-tree", "ogc", "csw", "2.0.2") + "/",
                  "http://schemas.opengis.net/": os.path.join(SCHEMAS_DIR, "ogc") + "/",
                  "http://www.w3.org/1999/xlink.xsd": os.path.join(SCHEMAS_DIR, "w3c", "1999", "xlink.xsd"),
                  "http://www.w3.org/2001/xml.xsd": os.path.join(SCHEMAS_DIR, "w3c", "2001", "xml.xsd"),
                  "http://www.isotc211.org/2005/": os.path.join(SCHEMAS_DIR, "ogc", "iso", "19139", "20070417") + "/"}

    def local_path(self, url):
        """The local copy of a schema the catalogs map (official OGC, ISO, W3C, INSPIRE addresses), else None.
        Given to xmllint as a path: through the catalog, libxml2 would see owsExceptionReport.xsd under two
        names (its http address and the file the catalog maps it to) and reject its circular include."""
        u = re.sub(r"^https://", "http://", url)
        for prefix, local in list(self.CATALOGUED.items()) + [
                ("http://inspire.ec.europa.eu/schemas/", self.dir + "/")]:
            if u.startswith(prefix):
                return local + u[len(prefix):] if local.endswith("/") else local
        return None

    def status_of(self, url):
        """HTTP status of a schema address: the official schema sites are unreachable offline, so an address the
        catalogs map is "200" when the local copy exists (404 otherwise); any other address is fetched."""
        p = self.local_path(url)
        if p is not None:
            return 200 if os.path.isfile(p) else 404
        return self.http.get(url).status

    def _local(self, loc, base_url):
        """A schema location xmllint can read offline: catalog-mapped addresses stay; the server's own
        (DescribeFeatureType) is downloaded into the build directory."""
        loc = urllib.parse.urljoin(base_url, loc)
        p = self.local_path(loc)
        if p is not None:
            if not os.path.isfile(p):
                raise Fail("TR.schemaNotAccessible", url=loc, code="404 (no local copy)")
            return p
        r = self.http.get(loc)
        if r.status != 200:
            raise Fail("TR.schemaNotAccessible", url=loc, code=str(r.status))
        p = os.path.join(self.tmp, f"s{abs(hash(loc))}.xsd")
        with open(p, "wb") as f:
            f.write(r.body)
        return "file://" + p

    def validate(self, resp, xsd=None):
        """Errors (list of str, empty when valid) of the response against `xsd` or its xsi:schemaLocation."""
        root = resp.xml()
        if xsd is None:
            sl = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
            if not sl:
                return ["no xsi:schemaLocation on the root element"]
            toks = sl.split()
            pairs = list(zip(toks[0::2], toks[1::2]))
            wrapper = ('<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                       'targetNamespace="urn:geocentre:validation-wrapper">\n')
            for ns, loc in pairs:
                wrapper += f'  <xs:import namespace="{ns}" schemaLocation="{self._local(loc, resp.url)}"/>\n'
            wrapper += "</xs:schema>\n"
            xsd = os.path.join(self.tmp, "wrapper.xsd")
            with open(xsd, "w", encoding="utf-8") as f:
                f.write(wrapper)
        elif self.local_path(xsd):
            xsd = self.local_path(xsd)
        doc = os.path.join(self.tmp, "doc.xml")
        with open(doc, "wb") as f:
            f.write(resp.body)
        env = dict(os.environ, XML_CATALOG_FILES=self.catalog)
        try:
            r = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", xsd, doc], capture_output=True,
                               text=True, env=env, timeout=300)
        except FileNotFoundError:
            raise HarnessError("xmllint is missing: install the Debian package libxml2-utils") from None
        if r.returncode == 0:
            return []
        errs = [ln_ for ln_ in r.stderr.splitlines() if ln_.strip() and not ln_.endswith(" validates")
                and "fails to validate" not in ln_ and "Schemas parser warning" not in ln_]
        return [e.replace(doc, "response") for e in errs] or [r.stderr.strip()]


# ---------------------------------------------------------------- results
class Project:
    """The results of one SoapUI project port: one test per executed test step with checks."""

    def __init__(self, bundle):
        self.bundle = bundle
        self.tests = []

    def render(self, f):
        """The ETS message; arguments its template does not show are appended (they say which layer, which
        value), so that a failure can be acted on without re-running the ETS. A message id without its "TR."
        prefix gets it, as ETF does."""
        tr = f.tr if f.tr.startswith("TR.") else "TR." + f.tr
        text = self.bundle.render(tr, f.args_)
        tmpl = self.bundle.templates.get(tr, "")
        extra = {k: v for k, v in f.args_.items() if "{" + k + "}" not in tmpl and v not in (None, "")}
        if extra and tr in self.bundle.templates:
            text += " [" + "; ".join(f"{k}: {v}" for k, v in extra.items()) + "]"
        return text

    def add(self, suite, case, step, status, message=None):
        t = {"name": f"{case} / {step}", "class": suite, "status": status}
        if message:
            t["message"] = message[:6000]
        self.tests.append(t)
        return t

    def groovy(self, suite, case, step, fn, *args):
        """Run a ported Groovy test step; its return value, or None when it failed."""
        try:
            out = fn(*args)
        except Fail as f:
            self.add(suite, case, step, "failed", self.render(f))
            return None
        except ScriptError as e:
            self.add(suite, case, step, "failed", f"script error (the Groovy step fails the same way): {e}")
            return None
        self.add(suite, case, step, "passed")
        return out

    def http(self, suite, case, step, resp, checks):
        """An HTTP test step: `checks` = [(assertion name, fn(resp))], each fn raising Fail/ScriptError/
        AssertionError on failure; all are evaluated, like SoapUI assertions."""
        errors, manual = [], []
        if resp.status == 0:
            errors.append(f"no response from {resp.url}: {resp.error}")
        else:
            for name, fn in checks:
                try:
                    fn(resp)
                except Fail as f:
                    # ETF: an assertion failing with a TR.manual.* message is PASSED_MANUAL
                    (manual if f.tr.startswith("TR.manual.") else errors).append(f"[{name}] {self.render(f)}")
                except ScriptError as e:
                    errors.append(f"[{name}] script error: {e}")
                except AssertionError as e:
                    errors.append(f"[{name}] {e}")
        msg = f"{resp.method} {resp.url} -> HTTP {resp.status} {resp.content_type}".strip()
        if errors:
            self.add(suite, case, step, "failed", " | ".join(errors + manual) + f" ({msg})")
        elif manual:
            self.add(suite, case, step, "manual", " | ".join(manual) + f" ({msg})")
        else:
            self.add(suite, case, step, "passed", msg)
        return not errors

    def runs(self, suite, case, step, runs, checks):
        """An HTTP test step that a Groovy loop runs several times (runs = [(label, response)]): one test, failed
        with the runs that failed, passed with their count."""
        if not runs:
            return
        bad = []
        for label, resp in runs:
            errs = []
            if resp.status == 0:
                errs.append(f"no response: {resp.error}")
            else:
                for name, fn in checks:
                    try:
                        fn(resp)
                    except Fail as f:
                        errs.append(f"[{name}] {self.render(f)}")
                    except (ScriptError, AssertionError) as e:
                        errs.append(f"[{name}] {e}")
            if errs:
                bad.append(f"{label}: " + " ".join(errs) + f" ({resp.method} {resp.url} -> HTTP {resp.status} "
                           f"{resp.content_type})")
        if bad:
            self.add(suite, case, step, "failed", f"{len(bad)} of {len(runs)} runs failed: " + " | ".join(bad[:6]) +
                     (f" | … {len(bad) - 6} more" if len(bad) > 6 else ""))
        else:
            self.add(suite, case, step, "passed", f"{len(runs)} runs: " + ", ".join(label for label, _ in runs[:12]) +
                     (" …" if len(runs) > 12 else ""))

    def manual(self, suite, case, step, tr, **args):
        self.add(suite, case, step, "manual", self.bundle.render(tr, args))

    def not_applicable(self, suite, case, step, reason):
        self.add(suite, case, step, "not_applicable", reason)


# standard SoapUI assertions
def status_in(*codes):
    def check(r):
        if r.status not in codes:
            raise AssertionError(f"Response status code: {r.status} is not in acceptable list of status codes "
                                 f"({', '.join(map(str, codes))})")
    return ("Valid HTTP Status Codes", check)


def sla(seconds=SLA_S):
    def check(r):
        if r.elapsed > seconds:
            raise AssertionError(f"Response did not meet SLA {r.elapsed * 1000:.0f} ms > {seconds * 1000:.0f} ms")
    return ("Response SLA", check)


def no_exception(name="Fail if service returns OWS Exception Report"):
    def check(r):
        if is_exception_report(r):
            texts = "; ".join(t.strip() for t in r.xml().xpath(
                "//*[local-name()='ExceptionText' or local-name()='ServiceException']/text()"))
            raise AssertionError(f"the response is an exception report: {texts[:300]}")
    return (name, check)


def schema_valid(validator, name="Simple Schema Validator", xsd=None):
    def check(r):
        errs = validator.validate(r, xsd)
        if errs:
            raise AssertionError("schema validation: " + "; ".join(errs[:8]) +
                                 (f" (+{len(errs) - 8} more)" if len(errs) > 8 else ""))
    return (name, check)
