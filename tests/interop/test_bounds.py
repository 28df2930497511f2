"""Bounded work per request and per server (issue 13 §3, review findings
F4, F5, F6) and the headers every answer carries (F13, F14).

Data: the REAL départements and communes of Centre-Val de Loire (data/admin),
ingested as dataset `admin` (2 layers) and, to build a group of twenty
datasets, as twenty datasets `d01`…`d20` of the REAL départements layer.
DERIVED, made here and labelled so: a small GeoJSON whose values are
spreadsheet formulas (for the CSV guard).

What is checked, each against a server started for the case:
- LAYERS is capped after datasets and groups are expanded: 40 copies of a
  dataset, and one group of twenty datasets, are refused with
  InvalidParameterValue (locator LAYERS) before any pixel is drawn;
- map renders are admitted by a bounded pool: with one slot and a queue
  of one, a burst gets 503 + Retry-After + a WMS exception report for
  the excess while the admitted maps answer 200, and capabilities and
  /healthz answer meanwhile;
- a map that exceeds its rendering budget stops with a 503 report;
- a connection that sends its headers too slowly, or stays idle, is
  closed; connections beyond the per-client cap get a bare 503;
- every answer says `nosniff`; HTML pages carry a CSP that runs only our
  scripts and `frame-ancestors`; data answers carry a CSP that runs
  nothing;
- CSV cells that a spreadsheet would run are prefixed with `'`.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import socket
import time
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import Server, describe_proc, run_cli

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
BBOX = "480000,6570000,740000,6880000"
OGC = "{http://www.opengis.net/ogc}"


def getmap(layers, size=256, fmt="image/png", extra=""):
    return (f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&CRS=EPSG:2154"
            f"&FORMAT={fmt}&LAYERS={layers}&BBOX={BBOX}&WIDTH={size}&HEIGHT={size}{extra}")


@pytest.fixture(scope="module")
def data(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bounds")
    d = tmp / "data"
    proc = run_cli(["vector", "ingest", "--dataset", "admin", COMMUNES, DEPARTEMENTS], data_dir=d)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the real admin layers")
    names = []
    for i in range(1, 21):
        name = f"d{i:02d}"
        proc = run_cli(["vector", "ingest", "--dataset", name, DEPARTEMENTS], data_dir=d)
        assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {name}")
        names.append(name)
    proc = run_cli(["group", "set", "vingt", "--title", "Vingt jeux", *names], data_dir=d)
    assert proc.returncode == 0, describe_proc(proc, "group set vingt")
    # DERIVED: formulas as values.
    formulas = tmp / "formules.geojson"
    formulas.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"lien": '=HYPERLINK("http://127.0.0.1:1/","x")', "somme": "@SUM(1+1)",
                       "tel": "+33 2 38", "ecart": -3.5},
        "geometry": {"type": "Point", "coordinates": [1.9, 47.9]}}]}))
    proc = run_cli(["vector", "ingest", "--dataset", "formules", formulas], data_dir=d)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest of the derived formulas")
    return {"dir": d, "tmp": tmp}


def start(data, name, limits: dict, single=False):
    """A server with these [limits]. `single`: one process even in the
    scale-out configuration, for a bound that each process keeps on its
    own (its render pool, its connections): what is tested is the process,
    and a balancer in front would spread or hold what it counts."""
    cfg = data["tmp"] / f"{name}.toml"
    cfg.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()))
    return Server(data_dir=data["dir"], log_path=data["tmp"] / f"{name}.log", single=single).start(config=cfg)


@pytest.fixture(scope="module")
def default_server(data):
    s = Server(data_dir=data["dir"], log_path=data["tmp"] / "default.log").start()
    yield s
    s.stop()


def wms_exception(r):
    root = ET.fromstring(r.content)
    assert root.tag == f"{OGC}ServiceExceptionReport", r.text[:300]
    return root.find(f"{OGC}ServiceException")


def test_layers_are_capped_after_expansion(default_server):
    # F4: forty copies of a two-layer dataset (80 layers > 32).
    t0 = time.monotonic()
    r = default_server.get(getmap(",".join(["admin"] * 40), size=2048))
    assert r.status_code == 200, r.text[:300]  # WMS exception reports are HTTP 200
    e = wms_exception(r)
    assert e.get("code") == "InvalidParameterValue" and e.get("locator") == "LAYERS", r.text
    assert "32" in e.text
    assert time.monotonic() - t0 < 2, "refused before drawing"
    # Within the cap, a dataset draws.
    r = default_server.get(getmap("admin"))
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"


def test_a_group_of_twenty_datasets_is_capped_too(data):
    s = start(data, "cap16", {"max_map_layers": 16})
    try:
        r = s.get(getmap("vingt"))
        assert r.status_code == 200, r.text[:300]  # WMS exception reports are HTTP 200
        e = wms_exception(r)
        assert e.get("locator") == "LAYERS" and "16" in e.text, r.text
        # Sixteen of them are allowed.
        r = s.get(getmap(",".join(f"d{i:02d}" for i in range(1, 17))))
        assert r.status_code == 200, r.text[:300]
    finally:
        s.stop()


def test_renders_are_admitted_by_a_bounded_pool(data):
    s = start(data, "pool", {"render_concurrency": 1, "render_queue": 1, "render_queue_wait_ms": 60000},
              single=True)
    try:
        big = getmap("admin", size=4096)
        with cf.ThreadPoolExecutor(max_workers=8) as ex:
            futs = [ex.submit(lambda: helpers.new_http().get(s.url(big), timeout=120)) for _ in range(6)]
            time.sleep(0.3)
            # Capabilities and health are not held behind the maps.
            t0 = time.monotonic()
            caps = helpers.new_http().get(s.url("/wms?SERVICE=WMS&REQUEST=GetCapabilities"), timeout=30)
            health = helpers.new_http().get(s.url("/healthz"), timeout=30)
            waited = time.monotonic() - t0
            answers = [f.result() for f in futs]
        assert caps.status_code == 200 and health.status_code == 200
        assert waited < 5, f"capabilities waited {waited:.1f} s behind maps"
        codes = sorted(r.status_code for r in answers)
        assert codes.count(200) >= 2 and codes.count(503) >= 1, codes
        for r in answers:
            if r.status_code == 503:
                assert r.headers.get("Retry-After", "").isdigit(), r.headers
                e = wms_exception(r)
                assert e.get("code") is None and "retry" in e.text.lower(), r.text
        metrics = s.get("/metrics").text
        assert 'geocentre_refused_total{reason="render_busy"}' in metrics, metrics[-2000:]
    finally:
        s.stop()


def test_a_map_over_its_budget_stops(data):
    s = start(data, "budget", {"render_budget_ms": 1})
    try:
        r = s.get(getmap("admin,d01,d02", size=2048))
        assert r.status_code == 503, r.text[:300]
        assert "Retry-After" not in r.headers
        assert "budget" in wms_exception(r).text
    finally:
        s.stop()


def connect(server):
    host, port = server.base_url.removeprefix("http://").split(":")
    c = socket.create_connection((host, int(port)), timeout=10)
    return c


def closed_within(sock, seconds):
    """Whether the server closes the socket within `seconds` (reads to EOF)."""
    sock.settimeout(seconds)
    try:
        while True:
            b = sock.recv(65536)
            if not b:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def test_slow_headers_and_idle_connections_are_closed(data):
    s = start(data, "conn", {"header_read_timeout_ms": 1000, "keepalive_idle_s": 2}, single=True)
    try:
        # Headers that never end (slow loris): closed after the header timeout,
        # although a byte arrives every 300 ms.
        c = connect(s)
        t0 = time.monotonic()
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for _ in range(20):
            try:
                c.sendall(b"X")
            except OSError:
                closed = True
                break
            c.settimeout(0.3)
            try:
                if c.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except OSError:
                closed = True
                break
        assert closed, "a trickled header kept the connection open for 6 s"
        assert time.monotonic() - t0 < 4
        # Idle keep-alive: one request, then nothing: closed after ~2 s, not before 1.5 s.
        c = connect(s)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        c.settimeout(5)
        assert c.recv(4096).startswith(b"HTTP/1.1 200")
        t0 = time.monotonic()
        assert closed_within(c, 6), "idle connection never closed"
        assert 1.5 < time.monotonic() - t0 < 5
        # A patient client that sends its request at once is served.
        c = connect(s)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        c.settimeout(5)
        assert c.recv(4096).startswith(b"HTTP/1.1 200")
    finally:
        s.stop()


def test_connections_per_client_are_capped(data):
    s = start(data, "percap", {"max_connections_per_client": 4}, single=True)
    try:
        s.http.close()  # the start-up probe's keep-alive connection
        time.sleep(0.3)
        held = [connect(s) for _ in range(4)]
        time.sleep(0.3)
        extra = connect(s)
        extra.settimeout(5)
        got = b""
        try:
            got = extra.recv(4096)
        except OSError:
            pass
        assert got.startswith(b"HTTP/1.1 503") or got == b"", got
        assert closed_within(extra, 5)
        # Once one closes, a new connection is served.
        held.pop().close()
        time.sleep(0.5)
        c = connect(s)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        c.settimeout(5)
        assert c.recv(4096).startswith(b"HTTP/1.1 200")
        for h in held:
            h.close()
        metrics = s.get("/metrics").text
        assert 'geocentre_refused_total{reason="connection_cap"}' in metrics
        assert "geocentre_connections_open" in metrics
    finally:
        s.stop()


@pytest.mark.parametrize("path", [
    "/", "/wms?SERVICE=WMS&REQUEST=GetCapabilities", "/ogcapi?f=html", "/ogcapi/collections?f=json",
    "/ogcapi/collections/admin.departements_centre_val_de_loire/items?f=html&limit=2",
    "/nothing-here", "/wms?SERVICE=WMS&REQUEST=Nope", "/healthz", "/metrics",
])
def test_every_answer_says_nosniff_and_html_has_a_csp(default_server, path):
    r = default_server.get(path)
    assert r.headers.get("X-Content-Type-Options") == "nosniff", (path, r.headers)
    csp = r.headers.get("Content-Security-Policy", "")
    if r.headers.get("content-type", "").startswith("text/html"):
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp, csp
        assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
        assert r.headers.get("X-Frame-Options") == "SAMEORIGIN"
    else:
        assert csp.startswith("default-src 'none'"), (path, csp)


def test_csv_cells_that_spreadsheets_run_are_defused(default_server):
    r = default_server.get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature"
                           "&TYPENAMES=formules.formules&OUTPUTFORMAT=csv")
    assert r.status_code == 200, r.text[:300]
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows, r.text
    row = rows[0]
    assert row["lien"] == '\'=HYPERLINK("http://127.0.0.1:1/","x")', row
    assert row["somme"] == "'@SUM(1+1)" and row["tel"] == "'+33 2 38", row
    assert float(row["ecart"]) == -3.5, "a negative number stays a number"
