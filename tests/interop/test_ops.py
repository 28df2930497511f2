"""Operations basics (issue 12, section 6): /metrics in the Prometheus text
format, read by the `prometheus_client` parsers (PyPI); counters that move
with the requests made; structured JSON logs, one line per request, without
secrets; /readyz apart from /healthz, not ready until the first snapshot is
loaded.

Data: the REAL IGN RVB tile (layer `ign`).
"""
from __future__ import annotations

import json
import time

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_families
from prometheus_client.parser import text_string_to_metric_families as prom_families

from osgeo import osr

import cluster
import helpers
from helpers import Server, describe_proc, ingest

CAPS = "/wms?SERVICE=WMS&REQUEST=GetCapabilities"


def _srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def samples(text):
    """{(sample name, frozenset(labels)): value} from the Prometheus text parser."""
    out = {}
    for fam in prom_families(text):
        for s in fam.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(text, name, **labels):
    """The sum of the samples `name` whose labels include `labels`, over one
    /metrics text or a list of them (the replicas of a server)."""
    if isinstance(text, list):
        return sum(value(t, name, **labels) for t in text)
    want = frozenset((k, str(v)) for k, v in labels.items())
    got = [v for (n, ls), v in samples(text).items() if n == name and want <= ls]
    return sum(got)


@pytest.fixture(scope="module")
def ops(tmp_path_factory, rvb):
    root = tmp_path_factory.mktemp("ops")
    data = root / "data"
    p, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert p.returncode == 0, describe_proc(p)
    config = root / "geocentre.toml"
    config.write_text('[log]\nformat = "json"\n')
    srv = Server(data_dir=data, log_path=root / "server.log").start(config=config)
    yield {"srv": srv, "data": data, "root": root, "log": root / "server.log"}
    srv.stop()


def scrape(srv):
    r = srv.get("/metrics")
    assert r.status_code == 200, r.text[:500]
    return r


def scrape_all(srv):
    """The /metrics texts of every process serving `srv`, read from each
    directly (behind a balancer, each replica counts what it served)."""
    return [scrape(p).text for p in srv.processes()]


def test_metrics_parse_with_both_prometheus_parsers(ops):
    r = scrape(ops["srv"])
    assert r.headers["content-type"].startswith("application/openmetrics-text")
    names = {f.name for f in prom_families(r.text)}
    assert {"geocentre_http_requests", "geocentre_http_request_duration_seconds",
            "geocentre_http_response_bytes", "geocentre_cache_hits", "geocentre_cache_misses",
            "geocentre_registry_generation", "geocentre_snapshot_load_seconds", "geocentre_ready"} <= names, names
    # The stricter OpenMetrics parser reads it too (it requires the # EOF).
    om = {f.name: f for f in om_families(r.text)}
    assert om["geocentre_http_request_duration_seconds"].type == "histogram"
    assert om["geocentre_http_requests"].type == "counter"


def test_request_counters_latency_and_bytes_move(ops):
    srv = ops["srv"]
    before = scrape_all(srv)
    bodies = [srv.get(CAPS) for _ in range(3)]
    assert all(b.status_code == 200 for b in bodies)
    after = scrape_all(srv)
    key = dict(service="wms", operation="GetCapabilities", status="200")
    assert value(after, "geocentre_http_requests_total", **key) - \
        value(before, "geocentre_http_requests_total", **key) == 3
    op = dict(service="wms", operation="GetCapabilities")
    assert value(after, "geocentre_http_request_duration_seconds_count", **op) - \
        value(before, "geocentre_http_request_duration_seconds_count", **op) == 3
    assert value(after, "geocentre_http_request_duration_seconds_sum", **op) > \
        value(before, "geocentre_http_request_duration_seconds_sum", **op)
    # Bytes: exactly the bodies sent (no other WMS request in between).
    sent = sum(len(b.content) for b in bodies)
    assert value(after, "geocentre_http_response_bytes_total", service="wms") - \
        value(before, "geocentre_http_response_bytes_total", service="wms") == sent


def test_errors_are_counted_by_status_with_bounded_labels(ops):
    srv = ops["srv"]
    before = scrape_all(srv)
    assert srv.get("/wmts?SERVICE=WMTS&REQUEST=DropAllTables").status_code == 400
    # A WMS exception report is HTTP 200 (docs/conformance-choices.md): it
    # is counted under that status, its operation bounded all the same.
    r = srv.get("/wms?SERVICE=WMS&REQUEST=DropAllTables")
    assert r.status_code == 200 and b"OperationNotSupported" in r.content
    assert srv.get("/no/such/thing").status_code == 404
    after = scrape_all(srv)
    for service, status in (("wmts", "400"), ("wms", "200")):
        assert value(after, "geocentre_http_requests_total", service=service, operation="other", status=status) - \
            value(before, "geocentre_http_requests_total", service=service, operation="other", status=status) == 1
    assert not any("DropAllTables" in t for t in after), "a client's value became a label"
    assert value(after, "geocentre_http_requests_total", operation="unmatched", status="404") - \
        value(before, "geocentre_http_requests_total", operation="unmatched", status="404") == 1


def test_cache_misses_then_hits(ops, rvb):
    """A Web Mercator tile is rendered once (a miss of the rendered-tile cache)
    and then served from it (a hit). The cache is each process's own: with
    replicas, each is asked twice directly."""
    ct = osr.CoordinateTransformation(_srs(2154), _srs(4326))
    lon, lat, _ = ct.TransformPoint((rvb["bbox"][0] + rvb["bbox"][2]) / 2, (rvb["bbox"][1] + rvb["bbox"][3]) / 2)
    x, y = helpers.wm_tile_of(19, lon, lat)
    path = f"/tiles/ign/WebMercatorQuad/19/{x}/{y}.png"
    for srv in ops["srv"].processes():
        before = scrape(srv).text
        first = srv.get(path)
        mid = scrape(srv).text
        second = srv.get(path)
        after = scrape(srv).text
        assert first.status_code == 200 and second.status_code == 200, (first.status_code, first.text[:200])
        c = dict(cache="rendered_tiles")
        assert value(mid, "geocentre_cache_misses_total", **c) - value(before, "geocentre_cache_misses_total", **c) == 1
        assert value(after, "geocentre_cache_hits_total", **c) - value(mid, "geocentre_cache_hits_total", **c) == 1
        assert value(after, "geocentre_cache_bytes", **c) > 0


def test_generation_and_snapshot_reload_follow_a_publication(ops, rvb):
    """Every process (each replica) follows the registry's generation and
    loads the new snapshot once."""
    procs = ops["srv"].processes()
    before = [scrape(p).text for p in procs]
    g_db = int(cluster.catalog_query(ops["data"], "SELECT generation FROM catalog_state WHERE id = 1")[0][0])
    for b in before:
        assert value(b, "geocentre_registry_generation") == g_db, "the gauge is the generation the registry holds"
    p, _ = ingest(ops["data"], "ign", 2022, [rvb["path"]])
    assert p.returncode == 0, describe_proc(p)
    for srv, b in zip(procs, before):
        deadline = time.time() + 5
        while time.time() < deadline:
            now = scrape(srv).text
            if value(now, "geocentre_registry_generation") > g_db:
                break
            time.sleep(0.2)
        assert value(now, "geocentre_registry_generation") > g_db
        assert value(now, "geocentre_snapshot_load_seconds_count") == \
            value(b, "geocentre_snapshot_load_seconds_count") + 1
        assert value(now, "geocentre_snapshot_load_seconds_sum") > value(b, "geocentre_snapshot_load_seconds_sum")


def test_json_log_has_one_line_per_request_without_secrets(ops):
    srv = ops["srv"]
    marker = f"/wms?SERVICE=WMS&REQUEST=GetCapabilities&access_token=s3cr3t-{time.time_ns()}"
    r = srv.get(marker)
    assert r.status_code == 200
    time.sleep(0.3)
    lines = [l for l in ops["log"].read_text().splitlines() if l.strip()]
    records = [json.loads(l) for l in lines]  # every line is one JSON object
    mine = [x for x in records if x.get("target") == "geocentre::access" and "access_token=REDACTED" in x.get("query", "")
            and x.get("path") == "/wms"]
    assert len(mine) >= 1, lines[-5:]
    rec = mine[-1]
    assert rec["method"] == "GET" and rec["status"] == 200
    assert rec["bytes"] == len(r.content)
    assert isinstance(rec["duration_ms"], (int, float)) and rec["duration_ms"] >= 0
    assert "s3cr3t" not in ops["log"].read_text(), "a secret reached the log"


def test_not_ready_until_the_first_snapshot_loads(tmp_path, rvb):
    """A registry whose published data cannot be read yet (a damaged row):
    the process is alive (/healthz 200) but not ready (/readyz and every data
    route 503, Retry-After); once the row is repaired it becomes ready by
    itself, without a restart."""
    data = tmp_path / "data"
    p, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert p.returncode == 0, describe_proc(p)
    [good] = cluster.catalog_query(data, "SELECT id, bbox FROM ortho_ingests WHERE state = 'published'")
    assert good[0].isdigit() and "'" not in good[1], good
    cluster.catalog_query(data, f"UPDATE ortho_ingests SET bbox = 'not json' WHERE id = {good[0]}")
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start(ready=False)
    try:
        assert srv.get("/healthz").status_code == 200
        time.sleep(1.5)  # a retry or two
        r = srv.get("/readyz")
        assert r.status_code == 503 and r.headers.get("retry-after") == "1", (r.status_code, r.text)
        caps = srv.get(CAPS)
        assert caps.status_code == 503 and caps.headers["content-type"] == "application/problem+json"
        for m in scrape_all(srv):
            assert value(m, "geocentre_ready") == 0
            assert value(m, "geocentre_snapshot_load_failures_total") >= 1
        cluster.catalog_query(data, f"UPDATE ortho_ingests SET bbox = '{good[1]}' WHERE id = {good[0]}")
        deadline = time.time() + 5
        for p in srv.processes():
            while p.get("/readyz").status_code != 200:
                assert time.time() < deadline, "not ready 5 s after the registry became readable"
                time.sleep(0.1)
        assert all(value(m, "geocentre_ready") == 1 for m in scrape_all(srv))
        caps = srv.get(CAPS)
        assert caps.status_code == 200 and "<Name>ign</Name>" in caps.text
    finally:
        srv.stop()
