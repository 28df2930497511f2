"""Hostile inputs on every route the router lists (issue 13 §5; the
red-team review of 2026-12-07, summarised in docs/security.md).

The routes come from `geocentre routes --json`, read when this module is
collected (a failure to read them fails the run: nothing is skipped), so a
new endpoint is probed without anyone writing a test for it. For each route:

- every path parameter in turn gets hostile values (encoded traversal,
  `%2e%2e`, backslashes, NUL, overlong UTF-8, invalid UTF-8, double
  encoding, 5000 characters, `<script>`, `' OR 1=1--`) while the others keep
  plausible values taken from the data loaded here;
- hostile query strings are added (150 parameters, duplicated parameters,
  injected `f`, `bbox`, `datetime`, `limit`, `crs`, `filter`, `SERVICE` /
  `REQUEST`, `SLD=` to a loopback listener, long values, invalid UTF-8...);
- routes that accept POST get hostile bodies (XXE on file:///etc/passwd,
  external DTD and parameter entities on the loopback listener, billion
  laughs, 10 000-deep nesting, 3 MB, non-UTF-8);
- methods it does not list answer 405 with `Allow`.

Every answer is checked the same way (`check`): never a 5xx but 503 (and
501 OperationNotSupported, which OWS prescribes for an operation the server
does not offer), `X-Content-Type-Options: nosniff`, an error body in the
endpoint's format (OGC exception XML for /wms, /wfs and /wmts; problem+json
elsewhere), XML that parses without a DTD (but WMS 1.1.1's standard DTD
line), JSON that parses, HTML with no reflected script and a CSP, and no
/etc/passwd content, data-dir path, SQL or Rust panic text. Two kinds of
refusal are let through the format rule here and held by tests of their
own: hyper's bodiless 400/414/431 for what does not parse as HTTP (no body,
nothing to sniff), and axum's text/plain refusals (non-UTF-8 path
parameter, body over the limit: test_framework_refusals_use_the_endpoint_format).
The server log never says `panicked`, no request reaches the loopback
listener, and the server answers /healthz at the end.

Then one test per class of the review: XML entities, expression and
property-name injection, SQL injection, path traversal, SSRF, resource
limits, output escaping of hostile data, information leaks, HTTP methods,
robustness; and the findings of issue 13 (§1 VRT ingest, §2 names and
control characters, §4 strict answers) as the issue requires them.

Data, ingested into one data dir served by one server for the module:
- REAL: the IGN RVB tile (helpers.rvb_tif()) as ortho layer `ortho`,
  vintage 2021, and the départements of Centre-Val de Loire
  (data/admin) as dataset `admin`;
- DERIVED, written here: the layer title of `ortho` (`Ortho <b>&"'`);
  dataset `hostile`, one GeoJSON point whose values are hostile (`<script>`,
  `]]><x/>&amp;`, a `=1+1` formula), with a date (so that `datetime`
  applies), a field whose NAME is an XHTML script element (review F3) and a
  hostile `--title`; dataset `ctrl`, one point whose value holds C0 control
  characters; and, for the ingest tests, a secret CSV outside the delivery
  and VRTs (named .geojson, .gml, .kml, .csv, zipped, /vsicurl/ to the
  listener, and a raster VRT named .tif) that point at it.
"""
from __future__ import annotations

import csv
import html.parser
import http.client
import http.server
import io
import json
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

import pytest

import cluster
import helpers
from helpers import Server, describe_proc, run_cli


# --------------------------------------------------------------------------
# The route list, read at collection time
# --------------------------------------------------------------------------

def _listed_routes():
    """`geocentre routes --json`: [{path, methods, group}]. Any failure is a
    collection error (the run fails), never a skip."""
    b = helpers.geocentre_bin()
    if not b.is_file():
        raise RuntimeError(f"cannot list the routes: no binary at {b} (cargo build -p geocentre)")
    proc = run_cli(["routes", "--json"], timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(describe_proc(proc, "`geocentre routes --json` failed"))
    try:
        routes = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise RuntimeError(describe_proc(proc, f"`routes --json` is not JSON ({e})")) from e
    if not (isinstance(routes, list) and routes and all(
            isinstance(r, dict) and isinstance(r.get("path"), str) and r["path"].startswith("/")
            and isinstance(r.get("methods"), list) and r["methods"] for r in routes)):
        raise RuntimeError(f"`routes --json` is not a non-empty list of {{path, methods, group}}: {proc.stdout[:500]}")
    return routes


ROUTES = _listed_routes()
POST_ROUTES = [r for r in ROUTES if "POST" in r["methods"]]
PARAM = re.compile(r"\{(\*?)(\w+)\}")
RID = [r["path"] for r in ROUTES]

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

WM = helpers.WM_TMS
SCRIPT = "<script>alert(1)</script>"
SQLI = "' OR 1=1--"
ORTHO_TITLE = "Ortho <b>&\"'"
HOSTILE_TITLE = "Hostile <b>&\"' <script>alert(1)</script>"
BAD_FIELD = 'b><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(2)</x:script'
HOSTILE_VALUES = {"nom": SCRIPT, "note": "]]><x/>&amp;", "formule": "=1+1", "quand": "2021-06-01"}
HOSTILE_GEOJSON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "geometry": {"type": "Point", "coordinates": [1.9, 47.9]},
    "properties": {**HOSTILE_VALUES, BAD_FIELD: "v"}}]}
# DERIVED: control characters in a value (XML 1.0 cannot carry them, not even
# as character references); a separate dataset so that the other outputs
# are checked apart from this finding.
CTRL_GEOJSON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "geometry": {"type": "Point", "coordinates": [1.95, 47.95]},
    "properties": {"ctl": "a\u0001b\u001bc\u0008d", "tab": "x\ty"}}]}
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
ADMIN = "admin.departements_centre_val_de_loire"
HOSTILE = "hostile.hostile"
# Raw (unescaped) forms of hostile data that must never reach an HTML or XML
# body as markup.
RAW_MARKUP = [SCRIPT, "<b>&\"'", "]]><x/>", "<x:script"]
XHTML = "http://www.w3.org/1999/xhtml"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class Listener:
    """A loopback HTTP server: no request may ever reach it."""

    def __init__(self):
        hits = self.hits = []

        class H(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append(f"{self.command} {self.path}")
                body = b"LISTENER-SECRET <!ENTITY leak 'LISTENER-SECRET'>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _answer

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


WMS_REPORT_TYPES = ("text/xml", "application/vnd.ogc.se_xml")


class Resp:
    """One answer. `status` is the status the answer stands for: a WMS
    service exception report goes out with HTTP 200 (as MapServer and
    GeoServer answer; docs/conformance-choices.md) and is read here as the
    client error (400) it reports, so that every rule below holds for /wms
    as for the other services; `http_status` is what the wire said.
    test_conformance_views holds the 200 itself."""

    def __init__(self, method, target, status, headers, body):
        self.method, self.target, self.headers, self.body = method, target, headers, body
        self.http_status = status
        ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
        wms_report = (status == 200 and target.startswith("/wms?") and ctype in WMS_REPORT_TYPES
                      and b"<ServiceExceptionReport" in body[:2000])
        self.status = 400 if wms_report else status

    def header(self, name):
        return self.headers.get(name)

    @property
    def ctype(self):
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def desc(self, n=600):
        t = self.target if len(self.target) < 300 else self.target[:200] + f"...({len(self.target)} chars)"
        return f"{self.method} {t} -> {self.http_status} [{self.header('content-type')}] {self.text[:n]!r}"


class Client:
    """Raw HTTP/1.1 over one keep-alive connection: the request target is
    sent byte for byte (requests/urllib3 would decode %2e and drop dot
    segments, which is not what an attacker sends)."""

    def __init__(self, base):
        m = re.match(r"http://([\d.]+):(\d+)$", base)
        self.host, self.port = m.group(1), int(m.group(2))
        self.conn = None
        self.count = 0

    def request(self, method, target, body=None, headers=()):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                # A Host the test gives replaces http.client's own (two Host
                # headers are refused before any route: RFC 9112 section 3.2).
                self.conn.putrequest(method, target, skip_accept_encoding=True,
                                     skip_host=any(k.lower() == "host" for k, _ in headers))
                for k, v in headers:
                    self.conn.putheader(k, v)
                if body is not None:
                    self.conn.putheader("Content-Length", str(len(body)))
                try:
                    self.conn.endheaders(body)
                except (BrokenPipeError, ConnectionResetError):
                    # The server answered (e.g. 413) and closed before
                    # reading the whole body: its answer is still there.
                    if body is None:
                        raise
                resp = self.conn.getresponse()
                data = resp.read()
                r = Resp(method, target, resp.status, resp.headers, data)
                if resp.will_close:
                    self.close()
                self.count += 1
                return r
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest,
                    http.client.ResponseNotReady, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise

    def get(self, target, **kw):
        return self.request("GET", target, **kw)

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def raw_exchange(host, port, data, timeout=10, half_close=True):
    """Sends bytes on a fresh socket, half-closes, reads to the end. Returns
    the raw answer (for request lines no HTTP library would write). Without
    the half-close (`half_close=False`), the answer is read to the end of a
    `Connection: close` exchange: hyper drops a connection whose client shut
    its side before the answer was ready (a capabilities document)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    return got


def raw_to_resp(target, got):
    """The first answer of a raw exchange as a Resp."""
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.1 (\d{3})", lines[0]) if lines else None
    msg = http.client.parse_headers(io.BytesIO(("\r\n".join(lines[1:]) + "\r\n\r\n").encode("latin-1")))
    n = int(msg.get("content-length") or 0)
    return Resp("GET", target, int(m.group(1)) if m else 0, msg, body[:n])


def enc(v):
    return quote(str(v), safe="")


class Raw(str):
    """A query value sent as is (already percent-encoded, or deliberately not)."""


def qs(pairs):
    return "&".join(f"{k if isinstance(k, Raw) else enc(k)}={v if isinstance(v, Raw) else enc(v)}"
                    for k, v in pairs)


def with_query(path, pairs):
    return path + ("&" if "?" in path else "?") + qs(pairs) if pairs else path


@pytest.fixture(scope="module")
def hx(geocentre_bin, rvb, tmp_path_factory):
    """The module's server over REAL and DERIVED data (see the docstring)."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    proc, _ = helpers.ingest(data, "ortho", 2021, [rvb["path"]], extra=["--title", ORTHO_TITLE])
    assert proc.returncode == 0, describe_proc(proc, "ortho ingest of the real RVB tile")
    proc = run_cli(["vector", "ingest", "--dataset", "admin", DEPARTEMENTS], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the real départements")
    src = tmp / "src"
    src.mkdir()
    (src / "hostile.geojson").write_text(json.dumps(HOSTILE_GEOJSON))
    proc = run_cli(["vector", "ingest", "--dataset", "hostile", "--title", HOSTILE_TITLE, "--json",
                    src / "hostile.geojson"], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the derived hostile dataset")
    report = json.loads(proc.stdout)
    (src / "ctrl.geojson").write_text(json.dumps(CTRL_GEOJSON))
    proc = run_cli(["vector", "ingest", "--dataset", "ctrl", src / "ctrl.geojson"], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the derived ctrl dataset")
    listener = Listener()
    try:
        srv = Server(data_dir=data, log_path=tmp / "server.log").start()
        try:
            bx = rvb["bbox"]
            box = f"{bx[0]:.1f},{bx[1]:.1f},{bx[2]:.1f},{bx[3]:.1f}"
            ctx = Ctx(srv, Client(srv.base_url), listener, tmp, data, box, ingest_report=report)
            yield ctx
            ctx.c.close()
        finally:
            srv.stop()
    finally:
        listener.stop()


class Ctx:
    def __init__(self, srv, client, listener, tmp, data, box, ingest_report):
        self.srv, self.c, self.listener, self.tmp, self.data, self.box = srv, client, listener, tmp, data, box
        self.ingest_report = ingest_report
        self._log_at = 0
        self.probes = 0
        # The base query of each KVP endpoint: a request that reaches deep
        # into it (a map of the real tile, features of the hostile layer).
        self.kvp_base = {
            "/wms": [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetMap"), ("LAYERS", "ortho"),
                     ("STYLES", ""), ("CRS", "EPSG:2154"), ("BBOX", box), ("WIDTH", "64"), ("HEIGHT", "64"),
                     ("FORMAT", "image/png")],
            "/wfs": [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetFeature"),
                     ("TYPENAMES", HOSTILE), ("COUNT", "5")],
            "/wmts": [("SERVICE", "WMTS"), ("REQUEST", "GetTile"), ("VERSION", "1.0.0"), ("LAYER", "ortho"),
                      ("STYLE", "default"), ("TILEMATRIXSET", WM), ("TILEMATRIX", "0"), ("TILEROW", "0"),
                      ("TILECOL", "0"), ("FORMAT", "image/png")],
        }

    def new_log(self):
        text = Path(self.srv.log_path).read_text(errors="replace")
        new, self._log_at = text[self._log_at:], len(text)
        return new

    def get(self, target, **kw):
        return self.c.get(target, **kw)

    def kvp(self, path, overrides=(), extra=()):
        """The base query of `path` with keys replaced (case-insensitively) by `overrides`."""
        base = self.kvp_base.get(path, [])
        keys = {k.lower() for k, _ in overrides}
        pairs = [(k, v) for k, v in base if k.lower() not in keys] + list(overrides) + list(extra)
        return with_query(path, pairs)


# --------------------------------------------------------------------------
# The check every answer goes through
# --------------------------------------------------------------------------

WMS111_DTD = re.compile(rb'<!DOCTYPE \w+ SYSTEM "http://schemas\.opengis\.net/wms/1\.1\.1/[\w.]+\.dtd">')
PANIC = re.compile(rb"panicked at|stack backtrace|RUST_BACKTRACE|\bsrc/[\w/]+\.rs:\d+|called `(Option|Result)::unwrap")
SQL_LEAK = re.compile(rb"(?i)sqlite\w*|no such (?:table|column)|near \"[^\"]*\": syntax error"
                      rb"|\bselect\b[^\n]{0,200}?\bfrom\b")


def family(route_path):
    """The error format of a route: OGC exception XML for the OGC KVP/REST
    services, problem+json for everything else (what the server does today,
    asserted as the rule)."""
    if route_path in ("/wms", "/wfs", "/csw") or route_path.startswith("/wmts"):
        return "ogc"
    return "problem"


class HtmlScan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if ":" in tag:
            self.bad.append(f"element <{tag}>")
        self._in_script = tag == "script"
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"event handler attribute {k}={v!r}")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.bad.append(f"inline script {data[:80]!r}")


def xml_root(r):
    """Parses an XML body with no DTD but WMS 1.1.1's standard one (never
    loaded). Returns (root, error)."""
    body = r.body
    if b"<!DOCTYPE" in body or b"<!doctype" in body:
        stripped = WMS111_DTD.sub(b"", body, count=1)
        if b"<!DOCTYPE" in stripped or b"<!ENTITY" in stripped or b"<!doctype" in stripped:
            return None, "XML body carries a DOCTYPE other than WMS 1.1.1's standard DTD line"
        body = stripped
    try:
        return ET.fromstring(body), None
    except ET.ParseError as e:
        return None, f"XML body is not well-formed ({e})"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def ok_501(r):
    root, _ = xml_root(r) if "xml" in r.ctype else (None, None)
    if root is None:
        return False
    return any(e.get("exceptionCode") == "OperationNotSupported" or e.get("code") == "OperationNotSupported"
               for e in root.iter())


def framework_rejection(r):
    """axum's own refusals, which do not go through the endpoint's error
    writer: a path parameter that is not UTF-8 (400 text/plain `Invalid URL`)
    and a body over the limit (413 text/plain). They are refused, and with
    nosniff, but not in the endpoint's format: see
    test_framework_refusals_use_the_endpoint_format, which holds that rule."""
    return (r.ctype == "text/plain" and ((r.status == 400 and r.body.startswith(b"Invalid URL:"))
                                         or r.status == 413))


def bodiless_transport(r):
    """hyper's refusals of what does not parse as HTTP: 400 (e.g. raw
    non-UTF-8 bytes in the request line), 414 (URI too long) and 431
    (headers too large), written before any route runs: no body, no content
    type (nothing to sniff), connection closed."""
    return r.status in (400, 414, 431) and not r.body and r.header("content-type") is None


def check(ctx, r, route_path, fmt=True):
    """Problems (a list of strings) with one answer; see the module docstring."""
    ctx.probes += 1
    p = []
    s, ct = r.status, r.ctype
    if s >= 500 and not (s == 503 or (s == 501 and family(route_path) == "ogc" and ok_501(r))):
        p.append(f"HTTP {s} (a 5xx other than 503 admission / 501 OperationNotSupported)")
    if r.header("x-content-type-options") != "nosniff" and not bodiless_transport(r):
        p.append("no X-Content-Type-Options: nosniff")
    body = r.body
    if r.method == "HEAD":
        fmt, body = False, b""
    if b"root:x:0:0" in body:
        p.append("body carries /etc/passwd")
    if b"LISTENER-SECRET" in body:
        p.append("body carries what the loopback listener serves (the server fetched it)")
    for path in {str(ctx.data), str(ctx.tmp), str(helpers.REPO_ROOT)}:
        if path.encode() in body:
            p.append(f"body carries a file-system path ({path})")
    if PANIC.search(body):
        p.append(f"body carries Rust panic/backtrace text ({PANIC.search(body).group(0)!r})")
    if s >= 400:
        # SQL or store text that the request did not carry itself (an
        # injected value reflected in the report is not a leak).
        sent = unquote_to_bytes(r.target).lower()
        for m in SQL_LEAK.finditer(body):
            if m.group(0).lower() not in sent:
                p.append(f"error body carries SQL/store text ({m.group(0)[:80]!r})")
                break
    # The error format of the endpoint.
    if fmt and s >= 400 and not (bodiless_transport(r) or framework_rejection(r) or (s == 405 and not body)):
        if family(route_path) == "ogc":
            root, err = xml_root(r) if "xml" in ct else (None, f"error is {ct or 'untyped'}, not OGC exception XML")
            if root is None:
                p.append(err)
            elif local(root.tag) not in ("ServiceExceptionReport", "ExceptionReport"):
                p.append(f"error XML root is {local(root.tag)}, not an OGC exception report")
        else:
            if ct != "application/problem+json":
                p.append(f"error is {ct or 'untyped'}, not application/problem+json")
            else:
                try:
                    doc = r.json()
                    if doc.get("status") != s:
                        p.append(f"problem+json status {doc.get('status')} != HTTP {s}")
                except ValueError as e:
                    p.append(f"problem+json does not parse ({e})")
    # Well-formed bodies of every kind.
    if body and ("xml" in ct or "gml" in ct):
        root, err = xml_root(r)
        if err:
            p.append(err)
        else:
            for e in root.iter():
                if not isinstance(e.tag, str):
                    continue
                if e.tag.startswith("{" + XHTML + "}") or local(e.tag) == "script":
                    p.append(f"XML carries a script/XHTML element {e.tag}")
                    break
    elif body and "json" in ct:
        try:
            json.loads(body)
        except ValueError as e:
            p.append(f"{ct} body does not parse ({e})")
    elif "html" in ct and body:
        text = r.text
        for raw in RAW_MARKUP:
            if raw in text:
                p.append(f"HTML carries raw {raw!r}")
        scan = HtmlScan()
        scan.feed(text)
        p += [f"HTML: {b}" for b in scan.bad[:3]]
        csp = r.header("content-security-policy") or ""
        if "frame-ancestors" not in csp:
            p.append("HTML without a Content-Security-Policy naming frame-ancestors")
    return [f"{x}\n    {r.desc(300)}" for x in dict.fromkeys(p)]


def assert_clean(ctx, problems, what=""):
    panics = [l for l in ctx.new_log().splitlines() if "panicked" in l]
    if panics:
        problems.append(f"server log says panicked: {panics[:3]}")
    assert not problems, (f"{what}: {len(problems)} problem(s)\n" + "\n".join(problems[:25])
                          + (f"\n... and {len(problems) - 25} more" if len(problems) > 25 else ""))


# --------------------------------------------------------------------------
# Plausible values for path parameters
# --------------------------------------------------------------------------

SPECIFIC = [
    (r"^/wmts/", {"layer": "ortho", "style": "default", "time": "2021", "tms": WM, "z": "0", "row": "0",
                  "col_ext": "0.png"}),
    (r"^/tiles/", {"layer": "hostile", "tms": WM, "z": "0", "x": "0", "y_ext": "0.mvt"}),
    (r"^/tms/", {"layer": "ortho", "tms": WM, "z": "0", "x": "0", "y_ext": "0.png"}),
    (r"^/styles/\{file\}$", {"file": "hostile.json"}),
    (r"^/styles/\{name\}/", {"name": "hostile", "file": "sprite.json"}),
    (r"^/fonts/", {"stack": "DejaVu%20Sans", "range": "0-255.pbf"}),
    (r"^/ogcapi/", {"id": HOSTILE, "fid": "1"}),
    (r"^/api/ortho/", {"id": "ortho"}),
    (r"^/api/vector/", {"name": "hostile"}),
    (r"^/assets/", {"path": "viewer.js"}),
]
GENERIC = {"layer": "ortho", "tms": WM, "z": "0", "x": "0", "y": "0", "row": "0", "col": "0",
           "id": HOSTILE, "fid": "1", "name": "hostile", "dataset": "hostile", "style": "default",
           "time": "2021", "vintage": "2021"}


def plausible(route_path, name):
    """(value, known): a real value for a path parameter, from the data loaded
    here; an unknown parameter of a new route gets `x` (still probed)."""
    for pat, vals in SPECIFIC:
        if re.search(pat, route_path) and name in vals:
            return vals[name], True
    if name in GENERIC:
        return GENERIC[name], True
    if name.endswith("_ext"):
        return "0.png", True
    return "x", False


def fill(route_path, override=None):
    """The route's path with plausible values, one parameter replaced by `override=(name, raw)`."""
    def sub(m):
        name = m.group(2)
        if override and override[0] == name:
            return override[1]
        return plausible(route_path, name)[0]
    return PARAM.sub(sub, route_path)


HOSTILE_SEGMENTS = [
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%5c..%5c..%5cetc%5cpasswd",  # ..\..\..\etc\passwd
    "x%00y",
    "%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",  # overlong UTF-8 (invalid)
    "%252e%252e%252fetc%252fpasswd",  # double encoding
    "A" * 5000,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "'%20OR%201=1--",
]


def segment_variants(route_path, name):
    vals = list(HOSTILE_SEGMENTS)
    if name.startswith("*"):  # a catch-all takes slashes as they come
        vals += ["../../../../etc/passwd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", "a/../../x"]
    plain, _ = plausible(route_path, name.lstrip("*"))
    if "." in plain:  # keep the extension the handler expects
        ext = plain[plain.rindex("."):]
        vals += ["..%2f..%2f..%2fetc%2fpasswd" + ext, "%3Cscript%3Ealert(1)%3C%2Fscript%3E" + ext, "%00" + ext]
    return vals


# --------------------------------------------------------------------------
# Every route: path parameters, query strings, methods, bodies
# --------------------------------------------------------------------------

UNMATCHED = b"nothing is published at"


def test_route_list_is_what_the_router_answers(hx):
    """The list is not empty or truncated, and every listed route (with
    plausible values) reaches a handler, not the fallback for unknown paths."""
    paths = {r["path"] for r in ROUTES}
    for must in ("/wms", "/wfs", "/wmts", "/ogcapi/collections/{id}/items", "/healthz"):
        assert must in paths, f"{must} missing from `routes --json`: {sorted(paths)}"
    problems = []
    for r in ROUTES:
        a = hx.get(fill(r["path"]))
        if a.status == 404 and UNMATCHED in a.body:
            problems.append(f"{r['path']} is listed but the router does not answer it: {a.desc()}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("route", ROUTES, ids=RID)
def test_hostile_path_parameters(hx, route):
    """Each path parameter in turn gets each hostile value, the others
    plausible ones; the plausible request itself must reach the handler."""
    path = route["path"]
    params = [("*" if star else "") + name for star, name in PARAM.findall(path)]
    problems = []
    base = hx.get(fill(path))
    problems += check(hx, base, path)
    if params and all(plausible(path, n.lstrip("*"))[1] for n in params):
        if not (200 <= base.status < 300):
            problems.append(f"the plausible request does not answer 2xx, so hostile values would not "
                            f"reach the handler: {base.desc()}")
    for name in params:
        for v in segment_variants(path, name):
            r = hx.get(fill(path, (name.lstrip("*"), v)))
            problems += check(hx, r, path)
            if r.status == 200 and b"root:x:" in r.body:
                problems.append(f"traversal served a system file: {r.desc()}")
    assert_clean(hx, problems, path)


def hostile_queries(hx):
    L = hx.listener.url
    sld_body = ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
                'xmlns:xlink="http://www.w3.org/1999/xlink"><NamedLayer><Name>hostile</Name><UserStyle>'
                '<FeatureTypeStyle><Rule><PointSymbolizer><Graphic><ExternalGraphic>'
                f'<OnlineResource xlink:href="{L}/graphic.png"/><Format>image/png</Format></ExternalGraphic>'
                '</Graphic></PointSymbolizer></Rule></FeatureTypeStyle></UserStyle></NamedLayer>'
                '</StyledLayerDescriptor>')
    return [
        ("many-params", [(f"p{i}", "1") for i in range(150)]),
        ("duplicated", [("f", "json"), ("f", "html"), ("f", SCRIPT), ("SERVICE", "WMS"), ("service", "WFS")]
         + [("bbox", "0,0,1,1")] * 50),
        ("f-script", [("f", SCRIPT)]),
        ("f-traversal", [("f", "../../../../etc/passwd")]),
        ("bbox-nan", [("bbox", "NaN,NaN,NaN,NaN"), ("BBOX", "nan,nan,nan,nan")]),
        ("bbox-inf-inverted", [("bbox", "inf,-inf,-1e400,1e400")]),
        ("bbox-script", [("bbox", SCRIPT)]),
        ("datetime-impossible", [("datetime", "2019-13-45T99:99:99Z/..")]),
        ("datetime-sql", [("datetime", SQLI), ("TIME", SQLI)]),
        ("limit-huge", [("limit", "99999999999999999999999"), ("offset", "-1"), ("COUNT", "1e99")]),
        ("crs", [("crs", SCRIPT), ("bbox-crs", "EPSG:999999"), ("CRS", "EPSG:999999")]),
        ("filter-sql", [("filter", "nom = '' OR 1=1--"), ("filter-lang", "cql2-text")]),
        ("filter-xml-dtd", [("FILTER", f'<!DOCTYPE r SYSTEM "{L}/filter.dtd"><r>&x;</r>')]),
        ("service-request", [("SERVICE", "WFS"), ("REQUEST", "GetFeature"), ("TYPENAMES", "../../etc/passwd"),
                             ("VERSION", "9.9.9")]),
        ("request-traversal", [("REQUEST", "../../../../etc/passwd"), ("SERVICE", SCRIPT)]),
        ("sld-ssrf", [("SLD", f"{L}/sld.xml"), ("SLD_BODY", sld_body)]),
        ("long-value", [("q", "A" * 9000)]),
        ("invalid-utf8", [(Raw("nom"), Raw("%FF%FE")), (Raw("f"), Raw("%C0%AF")), (Raw("%FF"), Raw("1"))]),
        ("nul", [(Raw("x"), Raw("a%00b")), (Raw("LAYERS"), Raw("ortho%00"))]),
        ("properties-injection", [("properties", "nom) OR 1=1--"), ("sortby", "nom;DROP TABLE x"),
                                  ("PROPERTYNAME", "nom) or (1=1")]),
        ("callback", [("callback", "alert(1)"), ("f", "jsonp")]),
        ("script-key", [(SCRIPT, SCRIPT)]),
        ("bad-escapes", [(Raw("a"), Raw("%ZZ%E")), (Raw("b"), Raw("%"))]),
    ]


@pytest.mark.parametrize("route", ROUTES, ids=RID)
def test_hostile_query_strings(hx, route):
    """Hostile query strings on the route (with its plausible path; for the
    KVP services, over a request that reaches deep into them)."""
    path = route["path"]
    target = fill(path)
    problems = []
    for label, pairs in hostile_queries(hx):
        if target in hx.kvp_base:
            t = hx.kvp(target, overrides=[(k, v) for k, v in pairs if not label.startswith(("many", "dup"))],
                       extra=pairs if label.startswith(("many", "dup")) else ())
        else:
            t = with_query(target, pairs)
        r = hx.get(t)
        problems += [f"[{label}] {x}" for x in check(hx, r, path)]
    assert_clean(hx, problems, path)


@pytest.mark.parametrize("route", ROUTES, ids=RID)
def test_unlisted_methods_answer_405_with_allow(hx, route):
    """Methods the route does not list: 405 with an Allow that names what it
    lists; HEAD works wherever GET does."""
    path = route["path"]
    target = fill(path)
    listed = set(route["methods"])
    problems = []
    for m in ("PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "FOO", "POST"):
        if m in listed:
            continue
        r = hx.c.request(m, target, body=b"x=1" if m in ("PUT", "PATCH", "POST") else None)
        problems += check(hx, r, path)
        allow = {a.strip().upper() for a in (r.header("allow") or "").split(",") if a.strip()}
        if r.status != 405:
            problems.append(f"{m}: HTTP {r.status}, not 405: {r.desc()}")
        elif not listed <= allow or m in allow:
            problems.append(f"{m}: Allow {sorted(allow)} does not match the listed methods {sorted(listed)}")
    if "GET" in listed:
        r = hx.c.request("HEAD", target)
        problems += check(hx, r, path)
        if r.status == 405 or r.body:
            problems.append(f"HEAD on a GET route: {r.desc()}")
    assert_clean(hx, problems, path)


def hostile_bodies(L):
    wfs = ('<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
           'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="hostile.hostile">{}</wfs:Query>'
           '</wfs:GetFeature>')
    eq = '<fes:Filter><fes:PropertyIsEqualTo><fes:ValueReference>nom</fes:ValueReference>' \
         '<fes:Literal>{}</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>'
    lol = ('<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + ']>')
    deep = "<fes:Filter>" + "<fes:Not>" * 10000 + "</fes:Not>" * 10000 + "</fes:Filter>"
    return [
        # (label, body, content type, must be refused (4xx))
        ("xxe-file", f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         + wfs.format(eq.format("&x;")), "application/xml", True),
        ("xxe-listener", f'<!DOCTYPE r [<!ENTITY x SYSTEM "{L}/xxe">]>' + wfs.format(eq.format("&x;")),
         "application/xml", True),
        ("external-dtd", f'<!DOCTYPE wfs:GetFeature SYSTEM "{L}/ext.dtd">' + wfs.format(""), "text/xml", True),
        ("parameter-entity", f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{L}/p.dtd"> %p;]>' + wfs.format(""),
         "application/xml", True),
        ("billion-laughs", lol + wfs.format(eq.format("&j;")), "application/xml", True),
        ("undeclared-entity", wfs.format(eq.format("&nope;&#0;")), "application/xml", True),
        ("deep-nesting", wfs.format(deep), "application/xml", True),
        ("huge-3MB", wfs.format(eq.format("A" * 3_000_000)), "application/xml", True),
        ("latin1-declared-utf8", ('<?xml version="1.0" encoding="UTF-8"?>' + wfs.format(eq.format("é")))
         .encode("latin-1"), "application/xml", True),
        ("utf16", wfs.format("").encode("utf-16"), "application/xml", None),
        ("garbage", b"\xff\xfe\x00<\x00?\x80\x81" * 100, "application/xml", True),
        ("empty", b"", "application/xml", True),
        ("xinclude", wfs.format(f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{L}/xi"/>'
                                '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
                                'parse="text"/>'), "application/xml", None),
        ("stylesheet-schema", f'<?xml-stylesheet type="text/xsl" href="{L}/x.xsl"?>'
         + wfs.format("").replace('version="2.0.0"', f'version="2.0.0" xmlns:xsi="http://www.w3.org/2001/'
                                  f'XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/wfs/2.0 {L}/s.xsd"'),
         "application/xml", None),
        ("json-deep", "[" * 10000 + "]" * 10000, "application/json", True),
        ("form", "SERVICE=WFS&REQUEST=GetFeature&TYPENAMES=../../etc/passwd", "application/x-www-form-urlencoded",
         None),
    ]


@pytest.mark.parametrize("route", POST_ROUTES, ids=[r["path"] for r in POST_ROUTES])
def test_hostile_post_bodies(hx, route):
    """Hostile bodies on every route that takes POST: refused fast, no file
    read, no request to the loopback listener."""
    path = route["path"]
    target = fill(path)
    problems = []
    for label, body, ctype, refused in hostile_bodies(hx.listener.url):
        data = body if isinstance(body, bytes) else body.encode()
        t0 = time.monotonic()
        r = hx.c.request("POST", target, body=data, headers=[("Content-Type", ctype)])
        took = time.monotonic() - t0
        problems += [f"[{label}] {x}" for x in check(hx, r, path)]
        if refused and not 400 <= r.status < 500:
            problems.append(f"[{label}] not refused with a 4xx: {r.desc()}")
        if took > 5:
            problems.append(f"[{label}] took {took:.1f} s")
    time.sleep(0.3)
    if hx.listener.hits:
        problems.append(f"requests reached the loopback listener: {hx.listener.hits}")
    assert_clean(hx, problems, path)


# --------------------------------------------------------------------------
# One test per class of the review
# --------------------------------------------------------------------------

def wfs_kvp(version="2.0.0", **kv):
    """A WFS GetFeature on the hostile layer; `kv` adds or replaces keys."""
    tn = "TYPENAMES" if version.startswith("2") else "TYPENAME"
    pairs = [(k, v) for k, v in (("SERVICE", "WFS"), ("VERSION", version), ("REQUEST", "GetFeature"),
                                 (tn, HOSTILE)) if k not in kv]
    pairs += list(kv.items())
    return with_query("/wfs", pairs)


def exception_text(r):
    root, err = xml_root(r)
    assert root is not None, f"{err}: {r.desc()}"
    return " ".join(t for t in root.itertext()), root


def test_xml_entities_and_dtds_are_refused(hx):
    """Class 1: DTDs, external and parameter entities, billion laughs in
    WFS POST bodies (2.0 and 1.1) and in KVP FILTER (2.0 and 1.1)."""
    L = hx.listener.url
    f = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>nom'
         '</fes:ValueReference><fes:Literal>{}</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>')
    f11 = ('<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo><ogc:PropertyName>nom'
           '</ogc:PropertyName><ogc:Literal>{}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>')
    lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + ']>'
    dtds = {
        "file": '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "listener": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{L}/filter-xxe">]>',
        "external": f'<!DOCTYPE r SYSTEM "{L}/filter.dtd">',
        "param": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{L}/p.dtd"> %p;]>',
        "lol": lol.replace("]>", '<!ENTITY x "&j;">]>'),
    }
    problems = []
    for version, tmpl in (("2.0.0", f), ("1.1.0", f11)):
        for name, dtd in dtds.items():
            r = hx.get(wfs_kvp(version, FILTER=dtd + tmpl.format("&x;")))
            problems += [f"[FILTER {version} {name}] {x}" for x in check(hx, r, "/wfs")]
            if r.status != 400:
                problems.append(f"[FILTER {version} {name}] not 400: {r.desc()}")
            elif "DOCTYPE" not in r.text and "entit" not in r.text.lower():
                problems.append(f"[FILTER {version} {name}] the report does not say why: {r.desc()}")
        body = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><wfs:GetFeature service="WFS" '
                f'version="{version}" xmlns:wfs="http://www.opengis.net/wfs{"/2.0" if version[0] == "2" else ""}">'
                f'<wfs:Query typeName{"s" if version[0] == "2" else ""}="{HOSTILE}">{tmpl.format("&x;")}'
                f'</wfs:Query></wfs:GetFeature>')
        r = hx.c.request("POST", "/wfs", body=body.encode(), headers=[("Content-Type", "text/xml")])
        problems += [f"[POST {version}] {x}" for x in check(hx, r, "/wfs")]
        if r.status != 400 or "DOCTYPE" not in r.text:
            problems.append(f"[POST {version}] DOCTYPE not refused: {r.desc()}")
    time.sleep(0.3)
    if hx.listener.hits:
        problems.append(f"requests reached the loopback listener: {hx.listener.hits}")
    assert_clean(hx, problems, "XML")


def numbers(r):
    """(numberMatched, ids) of a GeoJSON answer."""
    doc = r.json()
    return doc.get("numberMatched"), [f.get("id") for f in doc.get("features", [])]


def test_expression_and_property_name_injection(hx):
    """Class 2: property names, sort keys, value references and functions
    are checked against the schema: refused, never evaluated."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    cases = [
        ("/wfs", wfs_kvp(PROPERTYNAME="nom) or (1=1")),
        ("/wfs", wfs_kvp(PROPERTYNAME="../../etc/passwd")),
        ("/wfs", wfs_kvp(SORTBY="nom;DROP TABLE x")),
        ("/wfs", wfs_kvp(SORTBY="(SELECT 1) ASC")),
        ("/wfs", with_query("/wfs", [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetPropertyValue"),
                                     ("TYPENAMES", HOSTILE), ("VALUEREFERENCE", "nom | //*")])),
        ("/wfs", wfs_kvp(FILTER='<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
                                '<fes:Function name="exec"><fes:Literal>id</fes:Literal></fes:Function>'
                                '<fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>')),
        ("/wfs", wfs_kvp(FILTER='<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
                                '<fes:ValueReference>nom or 1=1</fes:ValueReference><fes:Literal>1</fes:Literal>'
                                '</fes:PropertyIsEqualTo></fes:Filter>')),
        (items, with_query(items, [("properties", "nom,../../etc/passwd")])),
        (items, with_query(items, [("sortby", "nom;DROP TABLE x")])),
        (items, with_query(items, [("filter", "exec('id') = 1"), ("filter-lang", "cql2-text")])),
        (items, with_query(items, [("filter", "\"nom\" = 1 OR system = 1"), ("filter-lang", "cql2-text")])),
        (items, with_query(items, [("filter", json.dumps({"op": "=", "args": [{"property": "nom' OR '1'='1"}, 1]})),
                                   ("filter-lang", "cql2-json")])),
        (items, with_query(items, [("filter", json.dumps({"op": "=", "args": [
            {"function": {"name": "exec", "args": ["id"]}}, 1]})), ("filter-lang", "cql2-json")])),
        ("/wms", with_query("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetLegendGraphic"),
                                     ("LAYER", "hostile"), ("FORMAT", "image/png"), ("RULE", "nom') or ('1'='1")])),
    ]
    problems = []
    for route, target in cases:
        r = hx.get(target)
        problems += check(hx, r, route)
        if not 400 <= r.status < 500:
            problems.append(f"not refused: {r.desc()}")
    assert_clean(hx, problems, "expression injection")


def test_sql_injection_changes_nothing(hx):
    """Class 3: quotes, comments, UNION and sqlite functions in equality
    filters, CQL2 literals, FES literals, datetime and identifiers match
    nothing (or are refused): they are data, never SQL."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    inj = [SQLI, "Loiret' OR '1'='1", "x' UNION SELECT name FROM sqlite_master--", "'||sqlite_version()||'",
           "\\'; DROP TABLE t; --", "%' OR 1=1 OR nom LIKE '%"]
    problems = []
    r = hx.get(with_query(items, [("limit", "100")]))
    total = r.json()["numberMatched"]
    assert total == 6, f"the real départements: 6 features, got {r.desc()}"

    def expect_nothing(route, r, what):
        nonlocal problems
        problems += [f"[{what}] {x}" for x in check(hx, r, route)]
        if r.status == 200:
            if "json" in r.ctype:
                n, _ = numbers(r)
                if n not in (0, None) or r.json().get("features"):
                    problems.append(f"[{what}] matched {n}: {r.desc()}")
            elif b"numberMatched=\"0\"" not in r.body and b"numberOfFeatures=\"0\"" not in r.body:
                problems.append(f"[{what}] matched something: {r.desc()}")
        elif not 400 <= r.status < 500:
            problems.append(f"[{what}] {r.desc()}")

    for v in inj:
        expect_nothing(items, hx.get(with_query(items, [("nom", v)])), f"nom={v}")
        expect_nothing(items, hx.get(with_query(items, [("filter", f"nom = '{v}'"), ("filter-lang", "cql2-text")])),
                       f"cql2 {v}")
        expect_nothing(items, hx.get(with_query(items, [("filter", json.dumps({"op": "=", "args": [
            {"property": "nom"}, v]})), ("filter-lang", "cql2-json")])), f"cql2-json {v}")
        lit = v.replace("&", "&amp;").replace("<", "&lt;")
        expect_nothing("/wfs", hx.get(with_query("/wfs", [
            ("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetFeature"), ("TYPENAMES", ADMIN),
            ("FILTER", '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
                       f'<fes:ValueReference>nom</fes:ValueReference><fes:Literal>{lit}</fes:Literal>'
                       '</fes:PropertyIsEqualTo></fes:Filter>')])), f"FES {v}")
        expect_nothing(items, hx.get(with_query(f"/ogcapi/collections/{HOSTILE}/items", [("datetime", v)])),
                       f"datetime {v}")
    for v in ["1 OR 1=1", "1;DROP TABLE x", "1' OR '1'='1", "0x1", "-1", "99999999999999999999999"]:
        r = hx.get(f"/ogcapi/collections/{ADMIN}/items/{enc(v)}")
        problems += check(hx, r, "/ogcapi/collections/{id}/items/{fid}")
        if r.status not in (400, 404):
            problems.append(f"[items/{v}] {r.desc()}")
        for key in ("RESOURCEID", "FEATUREID"):
            r = hx.get(with_query("/wfs", [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetFeature"),
                                           (key, f"{ADMIN}.{v}"), ("OUTPUTFORMAT", "application/json")]))
            expect_nothing("/wfs", r, f"{key}={v}")
    assert_clean(hx, problems, "SQL injection")


def test_path_traversal_reads_no_file(hx):
    """Class 4: traversal in assets, metadata ids, tiles, styles, WMTS
    REST, WMS STYLES/FORMAT, GetLegendGraphic STYLE: 4xx, never a file."""
    t = "..%2f..%2f..%2f..%2f..%2fetc%2fpasswd"
    targets = [
        ("/assets/{*path}", "/assets/../../../../etc/passwd"),
        ("/assets/{*path}", f"/assets/{t}"),
        ("/assets/{*path}", "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
        ("/assets/{*path}", "/assets//etc/passwd"),
        ("/assets/{*path}", "/assets/..%5c..%5c..%5cetc%5cpasswd"),
        ("/api/ortho/layers/{id}/metadata.xml", f"/api/ortho/layers/{t}/metadata.xml"),
        ("/api/vector/datasets/{name}/metadata.xml", f"/api/vector/datasets/{t}/metadata.xml"),
        ("/styles/{file}", f"/styles/{t}"),
        ("/styles/{name}/{file}", f"/styles/{t}/sprite.png"),
        ("/fonts/{stack}/{range}", f"/fonts/x/{t}"),
        ("/tiles/{layer}/{tms}/{z}/{x}/{y_ext}", f"/tiles/hostile/{t}/0/0/0.mvt"),
        ("/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}", f"/wmts/1.0.0/ortho/{t}/{WM}/0/0/0.png"),
        ("/wmts/1.0.0/{layer}/{style}/{time}/{tms}/{z}/{row}/{col_ext}",
         f"/wmts/1.0.0/ortho/default/{t}/{WM}/0/0/0.png"),
        ("/tms/1.0.0/{layer}/{tms}", f"/tms/1.0.0/{t}/{WM}"),
        ("/wms", hx.kvp("/wms", [("STYLES", "../../../../etc/passwd")])),
        ("/wms", hx.kvp("/wms", [("FORMAT", "../../../../etc/passwd")])),
        ("/wms", hx.kvp("/wms", [("FORMAT", "image/../../../../etc/passwd")])),
        ("/wms", with_query("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetLegendGraphic"),
                                     ("LAYER", "hostile"), ("STYLE", "../../../../etc/passwd"),
                                     ("FORMAT", "image/png")])),
        ("/wmts", hx.kvp("/wmts", [("STYLE", "../../../../etc/passwd")])),
        ("/wmts", hx.kvp("/wmts", [("TILEMATRIXSET", "/etc/passwd")])),
    ]
    problems = []
    for route, target in targets:
        r = hx.get(target)
        problems += check(hx, r, route)
        if not 400 <= r.status < 500:
            problems.append(f"traversal not refused: {r.desc()}")
    assert_clean(hx, problems, "path traversal")


def test_no_request_leaves_the_server(hx):
    """Class 5 (SSRF): SLD=, SLD_BODY with an ExternalGraphic, CRS and
    schema URIs, JSON references and XInclude pointing at a loopback
    listener: the server fetches none of them."""
    L = hx.listener.url
    sld = ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
           'xmlns:xlink="http://www.w3.org/1999/xlink"><NamedLayer><Name>hostile</Name><UserStyle><FeatureTypeStyle>'
           '<Rule><PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:href="' + L + '/graphic.png"/>'
           '<Format>image/png</Format></ExternalGraphic><Size>16</Size></Graphic></PointSymbolizer></Rule>'
           '</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>')
    getmap = [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetMap"), ("LAYERS", "hostile"),
              ("STYLES", ""), ("CRS", "EPSG:4326"), ("BBOX", "47.8,1.8,48.0,2.0"), ("WIDTH", "64"),
              ("HEIGHT", "64"), ("FORMAT", "image/png")]
    legend = [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetLegendGraphic"), ("LAYER", "hostile"),
              ("FORMAT", "image/png")]
    targets = [
        ("/wms", with_query("/wms", getmap + [("SLD", f"{L}/sld.xml")])),
        ("/wms", with_query("/wms", getmap + [("SLD_BODY", sld)])),
        ("/wms", with_query("/wms", [(k, v) for k, v in getmap if k != "LAYERS"] + [("SLD", f"{L}/sld.xml")])),
        ("/wms", with_query("/wms", legend + [("SLD", f"{L}/sld.xml")])),
        ("/wms", with_query("/wms", legend + [("SLD_BODY", sld)])),
        ("/wms", with_query("/wms", getmap[:5] + [("CRS", f"{L}/crs")] + getmap[6:])),
        ("/wfs", wfs_kvp(SRSNAME=f"{L}/crs")),
        ("/wfs", wfs_kvp(BBOX=f"1,2,3,4,{L}/crs")),
        ("/ogcapi/collections/{id}/items", with_query(f"/ogcapi/collections/{HOSTILE}/items",
                                                      [("crs", f"{L}/crs"), ("bbox-crs", f"{L}/crs")])),
        ("/ogcapi/collections/{id}/items", with_query(f"/ogcapi/collections/{HOSTILE}/items", [
            ("filter", json.dumps({"$ref": f"{L}/ref.json"})), ("filter-lang", "cql2-json")])),
        ("/ogcapi/collections/{id}/items", with_query(f"/ogcapi/collections/{HOSTILE}/items", [
            ("filter-crs", f"{L}/crs"), ("filter", "S_INTERSECTS(geom, POINT(1 2))")])),
    ]
    problems = []
    for route, target in targets:
        r = hx.get(target)
        problems += check(hx, r, route)
    # The Host header is not a URL the server fetches either.
    r = hx.c.request("GET", "/wms?SERVICE=WMS&REQUEST=GetCapabilities",
                     headers=[("Host", L.removeprefix("http://"))])
    problems += check(hx, r, "/wms")
    time.sleep(0.5)
    if hx.listener.hits:
        problems.append(f"requests reached the loopback listener: {hx.listener.hits}")
    assert_clean(hx, problems, "SSRF")


def test_resource_limits(hx):
    """Class 6: sizes, counts, depth, parameter counts and value lengths are
    bounded; refusals come fast and in the endpoint's format."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    problems = []

    def refused(route, target, status=400, locator=None, within=5.0, **kw):
        t0 = time.monotonic()
        r = hx.c.request("GET", target, **kw) if not kw.get("body") else hx.c.request("POST", target, **kw)
        took = time.monotonic() - t0
        problems.extend(check(hx, r, route))
        if r.status != status:
            problems.append(f"expected {status}: {r.desc()}")
        elif locator and f'locator="{locator}"' not in r.text:
            problems.append(f"expected locator {locator}: {r.desc()}")
        if took > within:
            problems.append(f"took {took:.1f} s (> {within}): {r.desc(100)}")
        return r

    for v in ("0", "-1", "4097", "18446744073709551616", "1.5", "0x10", "1e3", ""):
        refused("/wms", hx.kvp("/wms", [("WIDTH", v)]), locator=None)
        refused("/wms", hx.kvp("/wms", [("HEIGHT", v)]))
    refused("/wms", hx.kvp("/wms", [("LAYERS", ",".join(["admin"] * 40))]), locator="LAYERS")
    for v in ("0", "-1", "10001", "99999999999999999999999", "abc"):
        refused("/wfs", wfs_kvp(COUNT=v), locator="COUNT")
        refused(items, with_query(items, [("limit", v)]))
    r = hx.get(with_query(items, [("offset", "18446744073709551615"), ("limit", "1")]))
    problems += check(hx, r, items)
    if r.status not in (200, 400) or (r.status == 200 and r.json().get("features")):
        problems.append(f"huge offset: {r.desc()}")
    r = hx.get(wfs_kvp(STARTINDEX="18446744073709551615"))
    problems += check(hx, r, "/wfs")
    if r.status not in (200, 400):
        problems.append(f"huge STARTINDEX: {r.desc()}")
    # Depth: CQL2 text and JSON, FES through POST.
    refused(items, with_query(items, [("filter", "(" * 4000 + "nom = 'a'" + ")" * 4000)]))
    refused(items, with_query(items, [("filter", "NOT " * 1500 + "nom = 'a'")]))
    deep = '{"op":"not","args":[' * 1000 + '{"op":"=","args":[{"property":"nom"},"a"]}' + "]}" * 1000
    refused(items, with_query(items, [("filter", deep), ("filter-lang", "cql2-json")]))
    fes = ('<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
           f'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="{ADMIN}"><fes:Filter>'
           + "<fes:Not>" * 10000 + "</fes:Not>" * 10000 + "</fes:Filter></wfs:Query></wfs:GetFeature>")
    refused("/wfs", "/wfs", body=fes.encode(), headers=[("Content-Type", "application/xml")])
    wide = ('<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            f'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="{ADMIN}"><fes:Filter><fes:Or>'
            + '<fes:PropertyIsEqualTo><fes:ValueReference>nom</fes:ValueReference><fes:Literal>a</fes:Literal>'
              '</fes:PropertyIsEqualTo>' * 4000 + "</fes:Or></fes:Filter></wfs:Query></wfs:GetFeature>")
    refused("/wfs", "/wfs", body=wide.encode(), headers=[("Content-Type", "application/xml")])
    # Sizes: 3 MB body, 100 KB URI, 300 headers, 9000-character KVP value, 150 KVP parameters.
    refused("/wfs", "/wfs", status=413, body=b"<a>" + b"x" * 3_000_000 + b"</a>",
            headers=[("Content-Type", "application/xml")])
    refused("/healthz", "/healthz?x=" + "a" * 110_000, status=414)
    refused("/healthz", "/healthz", status=431, headers=[(f"X-H{i}", "v") for i in range(300)])
    refused("/wms", hx.kvp("/wms", [("STYLES", "A" * 9000)]))
    refused("/wfs", wfs_kvp(**{f"P{i}": "1" for i in range(150)}))
    refused(items, with_query(items, [(f"p{i}", "1") for i in range(150)]))
    # GetFeatureInfo FEATURE_COUNT and legend sizes are capped, not honoured blindly.
    r = hx.get(with_query("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetLegendGraphic"),
                                   ("LAYER", "hostile"), ("FORMAT", "image/png"), ("WIDTH", "100000"),
                                   ("HEIGHT", "100000")]))
    problems += check(hx, r, "/wms")
    if r.status == 200 and len(r.body) > 5_000_000:
        problems.append(f"a 100000² legend was drawn ({len(r.body)} bytes)")
    hx.c.close()  # the 414/431 refusals closed the connection
    assert_clean(hx, problems, "resource limits")


def gfi(fmt):
    return with_query("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetFeatureInfo"),
                               ("LAYERS", "hostile"), ("QUERY_LAYERS", "hostile"), ("STYLES", ""),
                               ("CRS", "EPSG:4326"), ("BBOX", "47.8,1.8,48.0,2.0"), ("WIDTH", "101"),
                               ("HEIGHT", "101"), ("I", "50"), ("J", "50"), ("INFO_FORMAT", fmt)])


def texts(root):
    return {(e.text or "") for e in root.iter()} | {v for e in root.iter() for v in e.attrib.values()}


def xml_values(hx, r, route, want_values=(), want_title=None):
    """Checks an XML answer of hostile data: well-formed, no script element,
    every hostile value back exactly once escaped (not double-escaped)."""
    p = check(hx, r, route)
    if r.status != 200:
        return p + [f"HTTP {r.status}: {r.desc()}"]
    root, err = xml_root(r)
    if root is None:
        return p
    got = texts(root)
    for v in want_values:
        if v not in got:
            p.append(f"value {v!r} does not come back as text (escaping wrong?): {r.desc(1500)}")
    if want_title and not any(want_title in t for t in got):
        p.append(f"title {want_title!r} does not come back as text: {r.desc(1500)}")
    for e in root.iter():
        if isinstance(e.tag, str) and not NCNAME.match(local(e.tag)):
            p.append(f"element name {e.tag!r} is not an NCName")
    return p


def html_escaped(hx, r, route, want=()):
    p = check(hx, r, route)
    if r.status != 200 or r.ctype != "text/html":
        return p + [f"not a 200 HTML page: {r.desc()}"]
    for v in want:
        esc = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if esc not in r.text and esc.replace('"', "&quot;") not in r.text:
            p.append(f"HTML does not show {v!r} escaped: {r.desc(1500)}")
    return p


def json_values(hx, r, route, get):
    p = check(hx, r, route)
    if r.status != 200:
        return p + [f"HTTP {r.status}: {r.desc()}"]
    try:
        props = get(r.json())
    except (ValueError, KeyError, IndexError, TypeError) as e:
        return p + [f"JSON shape ({e!r}): {r.desc()}"]
    for k, v in HOSTILE_VALUES.items():
        if props.get(k) != v:
            p.append(f"{k}: {props.get(k)!r} != {v!r}")
    return p


OUTPUTS = ["wfs20-gml", "wfs11-gml", "wfs20-dft", "wfs11-dft", "wfs-csv", "wfs-geojson", "ogcapi-html",
           "ogcapi-json", "ogcapi-queryables", "gfi-html", "gfi-gml", "gfi-text", "gfi-json", "wms130-caps",
           "wms111-caps", "wmts-caps", "wmts-rest-caps", "wfs-caps", "tms-caps", "metadata-vector",
           "metadata-ortho", "style-and-tilejson", "api-json", "mvt", "reflected-exceptions", "reflected-html"]


@pytest.mark.parametrize("out", OUTPUTS)
def test_hostile_data_is_escaped_in_every_output(hx, out):
    """Class 7: hostile values, titles and field names (DERIVED dataset
    `hostile`, ortho title) and reflected input come back escaped in every
    output format."""
    vals = [HOSTILE_VALUES["nom"], HOSTILE_VALUES["note"]]
    p = []
    if out in ("wfs20-gml", "wfs11-gml"):
        v = "2.0.0" if out == "wfs20-gml" else "1.1.0"
        p += xml_values(hx, hx.get(wfs_kvp(v)), "/wfs", vals)
    elif out in ("wfs20-dft", "wfs11-dft"):
        v, tn = ("2.0.0", "TYPENAMES") if out == "wfs20-dft" else ("1.1.0", "TYPENAME")
        r = hx.get(with_query("/wfs", [("SERVICE", "WFS"), ("VERSION", v), ("REQUEST", "DescribeFeatureType"),
                                       (tn, HOSTILE)]))
        p += xml_values(hx, r, "/wfs")
        root, _ = xml_root(r)
        if root is not None:
            names = [e.get("name") for e in root.iter() if local(e.tag) == "element" and e.get("name")]
            p += [f"xsd:element name {n!r} is not an NCName" for n in names if not NCNAME.match(n)]
            if not {"nom", "note", "formule"} <= set(names):
                p.append(f"DescribeFeatureType lost fields: {names}")
    elif out == "wfs-csv":
        r = hx.get(wfs_kvp(OUTPUTFORMAT="csv"))
        p += check(hx, r, "/wfs")
        rows = list(csv.reader(io.StringIO(r.text)))
        head, row = rows[0], dict(zip(rows[0], rows[1]))
        if row.get("formule") != "'=1+1":
            p.append(f"formula cell not prefixed with ': {row.get('formule')!r}")
        if row.get("nom") != SCRIPT:
            p.append(f"nom cell changed: {row.get('nom')!r}")
        p += [f"header cell {h!r} would run in a spreadsheet" for h in head if h[:1] in "=+-@"]
    elif out == "wfs-geojson":
        p += json_values(hx, hx.get(wfs_kvp(OUTPUTFORMAT="application/json")), "/wfs",
                         lambda d: d["features"][0]["properties"])
    elif out == "ogcapi-html":
        for path in (f"/ogcapi/collections/{HOSTILE}/items?f=html", f"/ogcapi/collections/{HOSTILE}/items/1?f=html"):
            p += html_escaped(hx, hx.get(path), "/ogcapi/collections/{id}/items", [SCRIPT, "]]><x/>&amp;"])
        for path in (f"/ogcapi/collections/{HOSTILE}?f=html", "/ogcapi/collections?f=html", "/ogcapi?f=html"):
            p += html_escaped(hx, hx.get(path), "/ogcapi/collections/{id}")
    elif out == "ogcapi-json":
        p += json_values(hx, hx.get(f"/ogcapi/collections/{HOSTILE}/items"), "/ogcapi/collections/{id}/items",
                         lambda d: d["features"][0]["properties"])
        p += json_values(hx, hx.get(f"/ogcapi/collections/{HOSTILE}/items/1"),
                         "/ogcapi/collections/{id}/items/{fid}", lambda d: d["properties"])
    elif out == "ogcapi-queryables":
        r = hx.get(f"/ogcapi/collections/{HOSTILE}/queryables")
        p += check(hx, r, "/ogcapi/collections/{id}/queryables")
        if r.status != 200 or "nom" not in r.json().get("properties", {}):
            p.append(f"queryables: {r.desc()}")
    elif out in ("gfi-html",):
        p += html_escaped(hx, hx.get(gfi("text/html")), "/wms", [SCRIPT, "]]><x/>&amp;"])
    elif out == "gfi-gml":
        for fmt in ("application/vnd.ogc.gml", "text/xml"):
            p += xml_values(hx, hx.get(gfi(fmt)), "/wms", vals)
    elif out == "gfi-text":
        r = hx.get(gfi("text/plain"))
        p += check(hx, r, "/wms")
        if r.status != 200 or r.ctype != "text/plain" or SCRIPT not in r.text:
            p.append(f"text/plain GetFeatureInfo: {r.desc()}")
    elif out == "gfi-json":
        p += json_values(hx, hx.get(gfi("application/json")), "/wms", lambda d: d["features"][0]["properties"])
    elif out in ("wms130-caps", "wms111-caps"):
        v = "1.3.0" if out == "wms130-caps" else "1.1.1"
        p += xml_values(hx, hx.get(f"/wms?SERVICE=WMS&VERSION={v}&REQUEST=GetCapabilities"), "/wms",
                        want_title=ORTHO_TITLE)
    elif out == "wmts-caps":
        p += xml_values(hx, hx.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"), "/wmts", want_title=ORTHO_TITLE)
    elif out == "wmts-rest-caps":
        p += xml_values(hx, hx.get("/wmts/1.0.0/WMTSCapabilities.xml"), "/wmts/1.0.0/WMTSCapabilities.xml",
                        want_title=ORTHO_TITLE)
    elif out == "wfs-caps":
        for v in ("2.0.0", "1.1.0"):
            r = hx.get(f"/wfs?SERVICE=WFS&VERSION={v}&REQUEST=GetCapabilities")
            p += xml_values(hx, r, "/wfs")
            if HOSTILE.encode() not in r.body:
                p.append(f"WFS {v} capabilities do not list {HOSTILE}")
    elif out == "tms-caps":
        p += xml_values(hx, hx.get("/tms/1.0.0"), "/tms/1.0.0", want_title=ORTHO_TITLE)
        p += xml_values(hx, hx.get(f"/tms/1.0.0/ortho/{WM}"), "/tms/1.0.0/{layer}/{tms}", want_title=ORTHO_TITLE)
    elif out == "metadata-vector":
        p += xml_values(hx, hx.get("/api/vector/datasets/hostile/metadata.xml"),
                        "/api/vector/datasets/{name}/metadata.xml", want_title=HOSTILE_TITLE)
    elif out == "metadata-ortho":
        for path in ("/api/ortho/layers/ortho/metadata.xml", "/api/ortho/layers/ortho-2021/metadata.xml"):
            p += xml_values(hx, hx.get(path), "/api/ortho/layers/{id}/metadata.xml", want_title=ORTHO_TITLE)
        p += xml_values(hx, hx.get("/api/services/wms/metadata.xml"), "/api/services/wms/metadata.xml")
        p += xml_values(hx, hx.get("/api/services/wfs/metadata.xml"), "/api/services/wfs/metadata.xml")
    elif out == "style-and-tilejson":
        r = hx.get("/styles/hostile.json")
        p += check(hx, r, "/styles/{file}")
        if r.status != 200 or r.json().get("name") != HOSTILE_TITLE:
            p.append(f"style name is not the title as given: {r.desc()}")
        r = hx.get(f"/tiles/hostile/{WM}/tilejson.json")
        p += check(hx, r, "/tiles/{layer}/{tms}/tilejson.json")
        if r.status != 200:
            p.append(f"tilejson: {r.desc()}")
    elif out == "api-json":
        r = hx.get("/api/vector/datasets")
        p += check(hx, r, "/api/vector/datasets")
        if not any(d.get("title") == HOSTILE_TITLE for d in r.json().get("datasets", [])):
            p.append(f"dataset title not as given: {r.desc()}")
        r = hx.get("/api/ortho/layers")
        p += check(hx, r, "/api/ortho/layers")
        if not any(l.get("title") == ORTHO_TITLE for l in r.json().get("layers", [])):
            p.append(f"layer title not as given: {r.desc()}")
    elif out == "mvt":
        r = hx.get(f"/tiles/{HOSTILE}/{WM}/0/0/0.mvt")
        p += check(hx, r, "/tiles/{layer}/{tms}/{z}/{x}/{y_ext}")
        if r.status != 200 or r.ctype not in ("application/vnd.mapbox-vector-tile", "application/x-protobuf"):
            p.append(f"MVT: {r.desc(100)}")
        else:
            f = hx.tmp / "hostile.mvt"
            f.write_bytes(r.body)
            g = helpers.gdal()
            ds = g.OpenEx(str(f), g.OF_VECTOR, open_options=["CLIP=NO"])
            feats = [ft.items() for lyr in (ds.GetLayer(i) for i in range(ds.GetLayerCount())) for ft in lyr]
            if len(feats) != 1:
                p.append(f"MVT holds {len(feats)} features")
            else:
                for k in ("nom", "note", "formule"):
                    if feats[0].get(k) != HOSTILE_VALUES[k]:
                        p.append(f"MVT {k}: {feats[0].get(k)!r}")
    elif out == "reflected-exceptions":
        for route, target in (("/wms", hx.kvp("/wms", [("LAYERS", SCRIPT)])),
                              ("/wms", hx.kvp("/wms", [("VERSION", "1.1.1"), ("SRS", "EPSG:2154"),
                                                       ("LAYERS", SCRIPT)])),
                              ("/wfs", wfs_kvp(TYPENAMES=SCRIPT)), ("/wfs", wfs_kvp("1.1.0", TYPENAME=SCRIPT)),
                              ("/wmts", hx.kvp("/wmts", [("LAYER", SCRIPT)])),
                              ("/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}",
                               f"/wmts/1.0.0/{enc(SCRIPT)}/default/{WM}/0/0/0.png")):
            r = hx.get(target)
            p += check(hx, r, route)
            if r.status < 400:
                p.append(f"unknown layer accepted: {r.desc()}")
            else:
                txt, _ = exception_text(r)
                if SCRIPT not in txt:
                    p.append(f"report does not name the value (as text): {r.desc()}")
        for target in (f"/ogcapi/collections/{enc(SCRIPT)}", f"/tiles/{enc(SCRIPT)}/{WM}/0/0/0.mvt"):
            r = hx.get(target)
            p += check(hx, r, "/ogcapi/collections/{id}")
    elif out == "reflected-html":
        for q in ([("f", "html"), ("nom", SCRIPT)], [("f", "html"), ("limit", "1"), (SCRIPT, "1")],
                  [("f", "html"), ("bbox", SCRIPT)], [("f", "html"), ("filter", f"nom = '{SCRIPT}'")]):
            r = hx.get(with_query(f"/ogcapi/collections/{HOSTILE}/items", q))
            p += check(hx, r, "/ogcapi/collections/{id}/items")
    assert_clean(hx, p, out)


def test_errors_leak_nothing(hx):
    """Class 8: error bodies carry no path, SQL, stack or version; CORS never
    allows credentials; no Server header names a version."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    targets = [
        ("/wfs", wfs_kvp(FILTER="<not xml")),
        ("/wfs", wfs_kvp(TYPENAMES="nope.nope")),
        ("/wfs", wfs_kvp(SORTBY="nope")),
        ("/wfs", with_query("/wfs", [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "Transaction")])),
        ("/wms", hx.kvp("/wms", [("CRS", "EPSG:999999")])),
        ("/wms", hx.kvp("/wms", [("FORMAT", "image/x-nope")])),
        ("/wmts", hx.kvp("/wmts", [("REQUEST", "GetFeatureInfo")])),
        (items, with_query(items, [("filter", "nom = ")])),
        (items, with_query(items, [("filter", "{"), ("filter-lang", "cql2-json")])),
        (items, with_query(items, [("crs", "EPSG:999999")])),
        (items, with_query(items, [("nope", "1")])),
        ("/ogcapi/collections/{id}/items/{fid}", f"/ogcapi/collections/{ADMIN}/items/999999"),
        ("/api/ortho/layers/{id}/metadata.xml", "/api/ortho/layers/nope/metadata.xml"),
        ("/assets/{*path}", "/assets/nope.js"),
    ]
    problems = []
    for route, target in targets:
        r = hx.get(target)
        problems += check(hx, r, route)
        if r.status < 400:
            problems.append(f"not an error: {r.desc()}")
        if r.header("access-control-allow-credentials"):
            problems.append(f"CORS allows credentials: {r.desc()}")
        server = r.header("server") or ""
        if re.search(r"\d", server):
            problems.append(f"Server header names a version: {server!r}")
    r = hx.c.request("GET", "/ogcapi/collections", headers=[("Origin", "http://evil.example")])
    if r.header("access-control-allow-credentials") or r.header("access-control-allow-origin") == "http://evil.example":
        problems.append(f"CORS reflects the origin or allows credentials: {dict(r.headers)}")
    # A hostile Host header never reaches a link unfiltered.
    r = hx.c.request("GET", "/wms?SERVICE=WMS&REQUEST=GetCapabilities", headers=[("Host", 'x"><script>a</script>')])
    problems += check(hx, r, "/wms")
    hx.c.close()
    assert_clean(hx, problems, "information leaks")


def test_methods_on_unknown_paths_and_smuggling(hx):
    """Class 8 (methods) beyond the per-route test: TRACE and CONNECT
    anywhere, and request-smuggling framings, are refused."""
    problems = []
    for m, t in (("TRACE", "/"), ("TRACE", "/nope"), ("OPTIONS", "*"), ("CONNECT", "127.0.0.1:1")):
        r = hx.c.request(m, t)
        problems += check(hx, r, "/")
        if r.status < 400 and m != "OPTIONS":
            problems.append(f"{m} {t} accepted: {r.desc()}")
        hx.c.close()
    # CL + TE, and two Content-Lengths: 400, not a second request.
    for raw in (b"POST /wfs HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"0\r\n\r\nGET /nope-smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
                b"POST /wfs HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd"):
        got = raw_exchange(hx.c.host, hx.c.port, raw)
        heads = re.findall(rb"^HTTP/1\.1 (\d{3})", got, re.M)
        if not heads or heads[0][:1] == b"5" or (len(heads) > 1 and b"404" in heads[1:]):
            problems.append(f"smuggling framing answered {heads}: {got[:300]!r}")
    # Two Host fields (RFC 9112 §3.2): 400 in the endpoint's format, not a
    # page whose links name one of them.
    for route, t in (("/wms", "/wms?SERVICE=WMS&REQUEST=GetCapabilities"),
                     ("/ogcapi", "/ogcapi"), ("/", "/")):
        got = raw_exchange(hx.c.host, hx.c.port, f"GET {t} HTTP/1.1\r\nHost: {hx.c.host}:{hx.c.port}\r\n"
                           f"Host: evil.example\r\nConnection: close\r\n\r\n".encode(), half_close=False)
        r = raw_to_resp(t, got)
        if r.status != 400:
            problems.append(f"two Host headers on {t}: {r.desc()}")
        # Behind the balancer HAProxy refuses it itself (cluster.Balancer),
        # with its own page: the replicas never see it.
        if not cluster.is_cluster():
            problems += check_format(r, route)
    assert_clean(hx, problems, "methods and framing")


def test_robustness_held(hx):
    """Class 9, what held in the review: NaN/Inf/inverted boxes in WMS and
    OGC API, unknown CRS, out-of-range TIME, raw non-UTF-8 bytes,
    duplicated and case-varied keys."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    problems = []
    boxes = ["NaN,NaN,NaN,NaN", "-inf,-inf,inf,inf", "1e400,0,1e401,1", "3,48,1,47", "1,2,3", "a,b,c,d",
             "1,2,3,4,5,6,7", ""]
    for b in boxes + ["770549,6277549,770549,6277549"]:
        r = hx.get(hx.kvp("/wms", [("BBOX", b)]))
        problems += check(hx, r, "/wms")
        if r.status != 400:
            problems.append(f"WMS BBOX={b}: {r.desc()}")
    for b in boxes:
        r = hx.get(with_query(items, [("bbox", b)]))
        problems += check(hx, r, items)
        if r.status != 400:
            problems.append(f"OGC API bbox={b}: {r.desc()}")
    for crs in ("EPSG:999999", "AUTO:42001", "", "EPSG:-1", SCRIPT, "EPSG:2154 OR 1=1"):
        r = hx.get(hx.kvp("/wms", [("CRS", crs)]))
        problems += check(hx, r, "/wms")
        if r.status != 400 or "InvalidCRS" not in r.text and "MissingParameterValue" not in r.text:
            problems.append(f"WMS CRS={crs!r}: {r.desc()}")
        r = hx.get(with_query(items, [("crs", crs)]))
        problems += check(hx, r, items)
        if r.status != 400:
            problems.append(f"OGC API crs={crs!r}: {r.desc()}")
    for t in ("1900", "2022", "2021xyz", "2021/2019", "9999-99-99T99:99:99Z", "../..", SQLI):
        r = hx.get(hx.kvp("/wms", [("TIME", t)]))
        problems += check(hx, r, "/wms")
        if r.status != 400:
            problems.append(f"WMS TIME={t!r}: {r.desc()}")
    # Raw non-UTF-8 bytes in the request line (no HTTP library writes them).
    for route, t in (("/ogcapi/collections/{id}", b"/ogcapi/collections/\xff\xfe"),
                     ("/wms", b"/wms?SERVICE=WMS&REQUEST=\xff"),
                     ("/assets/{*path}", b"/assets/\xc0\xaf\xc0\xafetc/passwd")):
        got = raw_exchange(hx.c.host, hx.c.port, b"GET " + t + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        r = raw_to_resp(t.decode("latin-1"), got)
        problems += check(hx, r, route)
        if r.status != 400:
            problems.append(f"raw non-UTF-8 bytes: {r.desc()}")
    # Duplicated keys: the first wins; keys are case-insensitive.
    r = hx.get("/wms?service=WMS&SERVICE=WFS&request=GetCapabilities&REQUEST=GetMap")
    problems += check(hx, r, "/wms")
    if r.status != 200 or b"Capabilities" not in r.body:
        problems.append(f"duplicated keys: {r.desc()}")
    # Malformed percent escapes are decoded leniently, never crash.
    for t in ("/wms?SERVICE=WMS&REQUEST=GetCapabilities&X=%ZZ%E", f"/ogcapi/collections/{ADMIN}/items?nom=%"):
        r = hx.get(t)
        problems += check(hx, r, "/wms" if t.startswith("/wms") else items)
    assert_clean(hx, problems, "robustness")


# --------------------------------------------------------------------------
# Issue 13 findings, asserted as the issue requires (some fail until the
# fixes land: see each case)
# --------------------------------------------------------------------------

STRICT = [
    # (id, route, target builder, expected status, locator or None)
    ("F11-wfs-bbox-unknown-crs", "/wfs", lambda hx: wfs_kvp(BBOX="1,2,3,4,EPSG:999999"), 400, "BBOX"),
    ("F12-wfs20-bbox-inverted", "/wfs", lambda hx: wfs_kvp(BBOX="48,3,47,1,EPSG:4326"), 400, "BBOX"),
    ("F12-wfs20-bbox-nan", "/wfs", lambda hx: wfs_kvp(BBOX="NaN,NaN,NaN,NaN"), 400, "BBOX"),
    ("F12-wfs20-bbox-inf", "/wfs", lambda hx: wfs_kvp(BBOX="-inf,-inf,inf,inf"), 400, "BBOX"),
    ("F12-wfs20-bbox-1e400", "/wfs", lambda hx: wfs_kvp(BBOX="-1e400,-1e400,1e400,1e400"), 400, "BBOX"),
    ("F12-wfs11-bbox-inverted", "/wfs", lambda hx: wfs_kvp("1.1.0", BBOX="48,3,47,1,EPSG:4326"), 400, "BBOX"),
    ("F17-date-impossible", "/ogcapi", lambda hx: with_query(f"/ogcapi/collections/{HOSTILE}/items",
                                                             [("datetime", "2019-13-45")]), 400, None),
    ("F17-date-zero", "/ogcapi", lambda hx: with_query(f"/ogcapi/collections/{HOSTILE}/items",
                                                       [("datetime", "0000-00-00")]), 400, None),
    ("F17-interval-inverted", "/ogcapi", lambda hx: with_query(f"/ogcapi/collections/{HOSTILE}/items",
                                                               [("datetime", "2021-01-01/2019-01-01")]), 400, None),
    ("F17-invalid-utf8-ff", "/ogcapi", lambda hx: f"/ogcapi/collections/{HOSTILE}/items?nom=%FF", 400, None),
    ("F17-invalid-utf8-overlong", "/ogcapi", lambda hx: f"/ogcapi/collections/{HOSTILE}/items?nom=%C0%AF", 400,
     None),
    ("F17-wfs-invalid-utf8-literal", "/wfs", lambda hx: wfs_kvp() + "&FILTER=" + enc(
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>nom'
        '</fes:ValueReference><fes:Literal>') + "%FF" + enc(
        '</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>'), 400, None),
    ("F17-sortby-trailing-words", "/wfs", lambda hx: wfs_kvp(SORTBY="nom DESC NULLS FIRST"), 400, "SORTBY"),
    ("F17-wms-time-impossible-date", "/wms", lambda hx: hx.kvp("/wms", [("TIME", "2021-13-45")]), 400, "TIME"),
    ("F17-wms-time-impossible-time", "/wms", lambda hx: hx.kvp("/wms", [("TIME", "2021-06-01T99:99:99Z")]), 400,
     "TIME"),
    ("F17-transparent-maybe", "/wms", lambda hx: hx.kvp("/wms", [("TRANSPARENT", "maybe")]), 400, "TRANSPARENT"),
]


@pytest.mark.parametrize("case", STRICT, ids=[c[0] for c in STRICT])
def test_strict_answers_to_bad_values(hx, case):
    """Issue 13 §4: each of these answered 200 or 500 where a client error
    was due; each gets the proper 400 and exception."""
    _, route, build, status, locator = case
    r = hx.get(build(hx))
    problems = check(hx, r, route if route != "/ogcapi" else "/ogcapi/collections/{id}/items")
    if r.status != status:
        problems.append(f"expected {status}: {r.desc()}")
    elif locator and f'locator="{locator}"' not in r.text:
        problems.append(f"expected locator {locator}: {r.desc()}")
    assert_clean(hx, problems, case[0])


def test_many_equality_parameters_answer_right_or_400(hx):
    """Issue 13 §4 (F10): a thousand `property=value` pairs gave a wrong
    numberMatched (u64::MAX). Either a 400 or the right count."""
    items = f"/ogcapi/collections/{ADMIN}/items"
    one = hx.get(with_query(items, [("limit", "1"), ("nom", "Loiret")]))
    assert one.status == 200 and one.json()["numberMatched"] == 1, one.desc()
    r = hx.get(with_query(items, [("limit", "1")] + [("nom", "Loiret")] * 1001))
    problems = check(hx, r, items)
    if r.status == 200 and r.json().get("numberMatched") != 1:
        problems.append(f"numberMatched {r.json().get('numberMatched')} for 1001 × nom=Loiret (1 expected)")
    elif r.status not in (200, 400):
        problems.append(r.desc())
    assert_clean(hx, problems, "F10")


def test_wfs11_post_that_fails_to_parse_gets_the_ows10_report(hx):
    """Issue 13 §4 (F16): a WFS 1.1.0 POST that fails to parse gets the
    OWS 1.0 exception report, as every other 1.1.0 error."""
    body = (b'<wfs:GetFeature service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs">'
            b'<wfs:Query typeName="nope">')
    r = hx.c.request("POST", "/wfs", body=body, headers=[("Content-Type", "text/xml")])
    problems = check(hx, r, "/wfs")
    root, err = xml_root(r)
    if r.status != 400 or root is None or root.tag != "{http://www.opengis.net/ows}ExceptionReport" \
            or root.get("version") != "1.0.0":
        problems.append(f"not an OWS 1.0.0 report: {r.desc()}")
    assert_clean(hx, problems, "F16")


def test_a_501_is_not_logged_as_an_error(hx):
    """Issue 13 §4: a 501 is not an error of the server, so clients cannot
    write ERROR lines at will."""
    hx.new_log()
    r = hx.get(with_query("/wfs", [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "Transaction")]))
    assert r.status == 501, r.desc()
    time.sleep(0.2)
    errors = [l for l in hx.new_log().splitlines() if " ERROR " in l]
    assert not errors, f"a client's 501 wrote ERROR lines: {errors[:3]}"


def test_framework_refusals_use_the_endpoint_format(hx):
    """The consistent error rule (OGC exception XML on /wms, /wfs, /wmts;
    problem+json elsewhere) also holds for what the framework refuses before
    the handler runs: a path parameter that is not UTF-8, and a body over
    the size limit."""
    problems = []
    cases = [("/ogcapi/collections/{id}", "/ogcapi/collections/%FF"),
             ("/assets/{*path}", "/assets/%c0%af"),
             ("/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}", f"/wmts/1.0.0/%FF/default/{WM}/0/0/0.png")]
    for route, target in cases:
        r = hx.get(target)
        problems += check(hx, r, route, fmt=False)
        problems += [x for x in check_format(r, route)]
    r = hx.c.request("POST", "/wfs", body=b"<a>" + b"x" * 3_000_000 + b"</a>",
                     headers=[("Content-Type", "application/xml")])
    problems += check_format(r, "/wfs")
    hx.c.close()
    assert_clean(hx, problems, "framework refusals")


def check_format(r, route):
    if family(route) == "ogc":
        root, err = xml_root(r) if "xml" in r.ctype else (None, f"{r.ctype or 'untyped'}, not OGC exception XML")
        if root is None or local(root.tag) not in ("ServiceExceptionReport", "ExceptionReport"):
            return [f"{route}: {err or local(root.tag)}: {r.desc()}"]
        return []
    if r.ctype != "application/problem+json":
        return [f"{route}: {r.ctype or 'untyped'}, not problem+json: {r.desc()}"]
    return []


def test_control_characters_keep_xml_well_formed(hx):
    """Issue 13 §2 ("every output escapes what comes from data") for what
    XML 1.0 cannot carry at all: C0 control characters, from data (DERIVED
    dataset `ctrl`) or reflected from a request (%00, %01, %1B), must be
    dropped or replaced, or the request refused with a well-formed report;
    never written raw, which makes the document ill-formed for every client."""
    problems = []
    for v in ("2.0.0", "1.1.0"):
        r = hx.get(wfs_kvp(v, **{"TYPENAMES" if v[0] == "2" else "TYPENAME": "ctrl.ctrl"}))
        problems += check(hx, r, "/wfs")
    # GetFeatureInfo GML on the ctrl point (1.95, 47.95: the centre pixel).
    r = hx.get(with_query("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetFeatureInfo"),
                                   ("LAYERS", "ctrl"), ("QUERY_LAYERS", "ctrl"), ("STYLES", ""),
                                   ("CRS", "EPSG:4326"), ("BBOX", "47.9,1.9,48.0,2.0"), ("WIDTH", "101"),
                                   ("HEIGHT", "101"), ("I", "50"), ("J", "50"),
                                   ("INFO_FORMAT", "application/vnd.ogc.gml")]))
    problems += check(hx, r, "/wms")
    if r.status != 200 or b"ctrl" not in r.body:
        problems.append(f"GetFeatureInfo does not find the ctrl point: {r.desc()}")
    for route, target in (("/wms", hx.kvp("/wms", [("LAYERS", "ortho\x01\x1b")])),
                          ("/wfs", wfs_kvp(TYPENAMES="x\x01y")),
                          ("/wmts", hx.kvp("/wmts", [("LAYER", "a\x00b")])),
                          ("/wmts/1.0.0/{layer}/{style}/{tms}/{z}/{row}/{col_ext}",
                           f"/wmts/1.0.0/a%00b/default/{WM}/0/0/0.png")):
        r = hx.get(target)
        problems += check(hx, r, route)
    assert_clean(hx, problems, "control characters")


def test_names_from_data_are_mapped_to_ncnames_at_ingest(hx):
    """Issue 13 §2: a field name that is not an XML NCName is mapped to a
    safe name at ingest, the original kept (title or alias) and reported."""
    rep = hx.ingest_report
    fields = [f["name"] for l in rep["layers"] for f in l["fields"]]
    fields += [f["name"] for fl in rep["files"] for l in fl.get("layers", []) for f in l["fields"]]
    bad = sorted({n for n in fields if not NCNAME.match(n)})
    problems = [f"field name {n!r} is published as is" for n in bad]
    if not bad and BAD_FIELD not in strings(rep):
        problems.append("the report does not keep the original name (as a title, alias or note)")
    # What the report says is what WFS serves.
    r = hx.get(wfs_kvp())
    root, _ = xml_root(r)
    served = {local(e.tag) for e in root.iter()} if root is not None else set()
    safe = [n for n in fields if NCNAME.match(n) and n not in ("nom", "note", "formule", "quand")]
    if not bad and not any(n in served for n in safe):
        problems.append(f"the mapped name of the report is not the element WFS serves: {sorted(served)}")
    assert not problems, "\n".join(problems) + "\n" + json.dumps(rep, indent=1, ensure_ascii=False)[:3000]


def strings(obj):
    """Every string in a JSON document (keys and values)."""
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set(obj) | {s for v in obj.values() for s in strings(v)}
    if isinstance(obj, list):
        return {s for v in obj for s in strings(v)}
    return set()


SECRET = "TOPSECRET-NOT-DELIVERED"


def _vrt(secret_csv):
    return ('<OGRVRTDataSource><OGRVRTLayer name="leak"><SrcDataSource>' + str(secret_csv) +
            '</SrcDataSource><SrcLayer>secret</SrcLayer><GeometryField encoding="WKT" field="wkt"/>'
            '<LayerSRS>EPSG:2154</LayerSRS></OGRVRTLayer></OGRVRTDataSource>')


CARRIERS = ["geojson", "gml", "kml", "csv", "zip", "vsicurl", "raster-tif"]


@pytest.mark.parametrize("carrier", CARRIERS)
def test_ingest_opens_only_the_delivered_file(hx, carrier):
    """Issue 13 §1 (F1, F2): a delivered file that is really a GDAL VRT
    (whatever its extension) is refused with a reason; nothing outside the
    delivery is read, and ingest makes no network request."""
    work = hx.tmp / f"vrt-{carrier}"
    work.mkdir()
    secret = work / "secret.csv"
    secret.write_text(f'id,secret,wkt\n1,{SECRET},"POINT (600000 6700000)"\n')
    dl = work / "delivery"
    dl.mkdir()
    data = work / "data"
    listener_url = hx.listener.url
    before = len(hx.listener.hits)
    if carrier == "raster-tif":
        f = dl / "dalle.tif"
        f.write_text(f'<VRTDataset rasterXSize="252" rasterYSize="252"><SRS>EPSG:2154</SRS>'
                     f'<GeoTransform>770549.8,0.2,0,6277600.2,0,-0.2</GeoTransform>'
                     + "".join(f'<VRTRasterBand dataType="Byte" band="{b}"><SimpleSource><SourceFilename>'
                               f'{helpers.rvb_tif()}</SourceFilename><SourceBand>{b}</SourceBand></SimpleSource>'
                               f'</VRTRasterBand>' for b in (1, 2, 3)) + '</VRTDataset>')
        proc = run_cli(["ortho", "ingest", "--layer", "leak", "--vintage", "2021", "--json", f], data_dir=data)
    else:
        if carrier == "zip":
            f = dl / "delivery.zip"
            with zipfile.ZipFile(f, "w") as z:
                z.writestr("delivery.geojson", _vrt(secret))
        elif carrier == "vsicurl":
            f = dl / "delivery.geojson"
            f.write_text('<OGRVRTDataSource><OGRVRTLayer name="r"><SrcDataSource>/vsicurl/'
                         f'{listener_url}/ssrf.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>')
        else:
            f = dl / f"delivery.{carrier}"
            f.write_text(_vrt(secret))
        proc = run_cli(["vector", "ingest", "--dataset", "leak", "--json", f], data_dir=data)
    problems = []
    if proc.returncode == 0:
        problems.append("the VRT was ingested (exit 0)")
    try:
        rep = json.loads(proc.stdout)
        for fl in rep.get("files", []):
            if fl.get("status") != "rejected" or not fl.get("reason"):
                problems.append(f"file {fl.get('path')}: {fl.get('status')} / {fl.get('driver')} / "
                                f"reason {fl.get('reason')!r}")
    except json.JSONDecodeError:
        pass
    leaked = [str(p) for p in data.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()] \
        if data.exists() else []
    if leaked:
        problems.append(f"the secret outside the delivery was copied into {leaked}")
    time.sleep(0.2)
    if len(hx.listener.hits) > before:
        problems.append(f"ingest made network requests: {hx.listener.hits[before:]}")
        del hx.listener.hits[before:]  # so the server-side SSRF checks stay about the server
    assert not problems, "\n".join(problems) + "\n" + describe_proc(proc)


def test_zz_server_survived(hx):
    """Last: the server is alive, never panicked, and nothing it did reached
    the loopback listener."""
    r = hx.get("/healthz")
    assert r.status == 200 and r.header("x-content-type-options") == "nosniff", r.desc()
    assert hx.srv.proc.poll() is None, "the server exited"
    log = Path(hx.srv.log_path).read_text(errors="replace")
    assert "panicked" not in log, [l for l in log.splitlines() if "panicked" in l][:5]
    assert not hx.listener.hits, f"requests reached the loopback listener: {hx.listener.hits}"
    print(f"\n{hx.probes} probes checked, {hx.c.count} requests on the raw client, {len(ROUTES)} routes")
