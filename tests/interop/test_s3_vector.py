"""Published GeoPackages in S3-compatible object storage, and each replica's
bounded local cache of them (issue 15, "Vector data"), against a real server.

The S3 server is SeaweedFS (test_s3_store's fixture). Four REAL datasets
(data/admin: départements, arrondissements, cantons, région of
Centre-Val de Loire, GeoJSON) are ingested twice: into a data directory
with local blobs (the reference), and into one whose blobs are in the
bucket, with a GeoPackage cache bound (`gpkg_cache_mb = 1`) smaller than
the four files together.

What is checked:
  1. the ingest to S3 uploads each GeoPackage under
     `prefix/vector/{dataset}/g{ingest}/f{n}.gpkg` and records its SHA-256
     and size (they match the object's bytes); the data directory holds no
     GeoPackage;
  2. WFS 2.0 (GML and GeoJSON), OGC API items and MVT answers of the S3
     server are byte-identical to those of the local one, the WFS paging
     links included (parameters in the request's order in every process);
  3. the cache fills on first use (one GET per file, a miss), and serves
     the next uses from disk (hits, no GET);
  4. with all four datasets in use, the cache stays within its bound
     (evictions counted) and answers stay identical (evicted files are
     fetched again);
  5. a cached file damaged on disk (one byte flipped, server restarted) is
     refused (counted in /metrics), fetched again, and answers stay
     identical;
  6. an object damaged in the bucket fails its checksum when fetched: 503
     with Retry-After, counted, nothing cached; once sound again, served;
  7. the store down: a dataset not cached answers 503 with Retry-After,
     and answers again once the store is back;
  8. a re-ingest supersedes the old GeoPackage; `vector gc --grace-s 0`
     removes its object and the bucket then holds exactly the objects the
     catalog references.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import time

import pytest

import helpers
from helpers import Server, describe_proc, run_cli
from test_s3_store import BUCKET, SCRIPT, key_env, own_stores, profile_env, s3, s3_config  # noqa: F401

PREFIX = "vec"
DATASETS = {
    "dep": helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson",
    "arr": helpers.DATA / "admin" / "arrondissements-centre-val-de-loire.geojson",
    "can": helpers.DATA / "admin" / "cantons-centre-val-de-loire.geojson",
    "reg": helpers.DATA / "admin" / "region-centre-val-de-loire.geojson",
}
BOUND = 1 << 20  # gpkg_cache_mb = 1
# Whatever the suite's mode (GEOCENTRE_TEST_STORE): the catalog on SQLite,
# the blobs local or in the bucket.
EMBEDDED = {"GEOCENTRE_CATALOG": "", "GEOCENTRE_BLOBS": ""}
BUCKETED = {"GEOCENTRE_CATALOG": "", "GEOCENTRE_BLOBS": f"s3://{BUCKET}/{PREFIX}"}


def vingest(data, dataset, path, config=None, env=None):
    args = (["--config", str(config)] if config else []) + [
        "vector", "ingest", "--dataset", dataset, "--json", str(path)]
    p = run_cli(args, data_dir=data, env_extra={**(BUCKETED if config else EMBEDDED), **(env or {})},
                timeout=300)
    assert p.returncode == 0, describe_proc(p, f"vector ingest of {dataset}")
    rep = helpers.parse_single_json(p)
    assert rep["status"] == "published", rep
    return rep


def get_object(s3, key):
    path = f"/{BUCKET}/{key}"
    r = s3.http.get(s3.endpoint + path, headers=s3._signed("GET", path, {}), timeout=30)
    assert r.status_code == 200, f"GET {key}: HTTP {r.status_code}"
    return r.content


def gpkg_metrics(srv):
    text = srv.get("/metrics").text

    def one(pattern):
        m = re.search(pattern, text, re.M)
        return int(float(m.group(1))) if m else 0

    return {
        "hits": one(r'^geocentre_cache_hits_total\{cache="gpkg"\} (\S+)'),
        "misses": one(r'^geocentre_cache_misses_total\{cache="gpkg"\} (\S+)'),
        "bytes": one(r'^geocentre_cache_bytes\{cache="gpkg"\} (\S+)'),
        "checksum_failures": one(r"^geocentre_gpkg_cache_checksum_failures_total (\S+)"),
        "evictions": one(r"^geocentre_gpkg_cache_evictions_total (\S+)"),
        "gets": one(r'^geocentre_object_store_requests_total\{backend="s3",operation="get"\} (\S+)'),
    }


def cache_files(cache):
    return {p.name: p.stat().st_size for p in cache.iterdir() if p.name.endswith(".gpkg")}


def catalog_files(data):
    """{file: (sha256, size)} of the published layers, and every file any
    ingest still references (not yet removed)."""
    db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        published = {f: (s, n) for f, s, n in db.execute(
            "SELECT l.file, l.sha256, l.size FROM vector_layers l JOIN vector_datasets d "
            "ON d.current_ingest = l.ingest_id")}
        live = {f for (f,) in db.execute(
            "SELECT l.file FROM vector_layers l JOIN vector_ingests i ON i.id = l.ingest_id "
            "WHERE i.files_removed = 0")}
        return published, live
    finally:
        db.close()


def corpus(reps):
    out = []
    for ds, rep in reps.items():
        layer = f"{ds}.{rep['layers'][0]['name']}"
        out += [
            f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:{layer}&COUNT=5",
            f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:{layer}&COUNT=5"
            "&OUTPUTFORMAT=application/json",
            f"/ogcapi/collections/{layer}/items?limit=7&f=json",
            f"/tiles/{layer}/WebMercatorQuad/6/32/22.mvt",
        ]
    return out


def normalised(server, r):
    body = r.content.replace(server.base_url.encode(), b"BASE")
    body = re.sub(rb'"timeStamp":\s*"[^"]*"', b'"timeStamp":"T"', body)
    body = re.sub(rb'timeStamp="[^"]*"', b'timeStamp="T"', body)
    return r.status_code, r.headers.get("content-type"), body


def assert_same(local, remote, paths):
    for p in paths:
        a, b = normalised(local, local.get(p)), normalised(remote, remote.get(p))
        assert a[0] == 200 or (p.endswith(".mvt") and a[0] == 204), (p, a[0], a[2][:300])
        at = next((i for i, (x, y) in enumerate(zip(a[2], b[2])) if x != y), min(len(a[2]), len(b[2])))
        assert a == b, (f"{p}: local {a[0]} {a[1]} {len(a[2])} B, s3 {b[0]} {b[1]} {len(b[2])} B, first "
                        f"difference at {at}: {a[2][at - 80:at + 80]!r} vs {b[2][at - 80:at + 80]!r}")


@pytest.fixture(scope="module")
def setup(s3, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("s3-vector")
    local, remote = root / "local", root / "s3"
    own_stores(local, remote)  # this module's S3 server, in the scale-out run too
    cfg = s3_config(root, s3, PREFIX, 0)  # 0: every GeoPackage by multipart upload
    cfg.write_text(cfg.read_text().replace("[store.s3]", "gpkg_cache_mb = 1\n\n[store.s3]"))
    reps = {}
    for ds, path in DATASETS.items():
        vingest(local, ds, path)
        reps[ds] = vingest(remote, ds, path, config=cfg, env=key_env())
    srv_local = Server(data_dir=local, log_path=root / "local.log", env_extra=EMBEDDED, single=True).start()
    srv = Server(data_dir=remote, log_path=root / "s3.log", args=["--config", str(cfg)],
                 env_extra={**BUCKETED, **profile_env(root)}, single=True)
    srv.start()
    yield {"local": srv_local, "s3": srv, "reps": reps, "cfg": cfg, "data": remote, "root": root,
           "cache": remote / "cache" / "gpkg", "client": s3}
    srv_local.stop()
    srv.stop()


def test_ingest_uploads_the_geopackages_with_their_checksums(setup):
    data, s3c = setup["data"], setup["client"]
    assert not [p for p in data.rglob("*.gpkg") if "cache" not in p.parts], sorted(data.rglob("*.gpkg"))
    assert not (data / "vector").exists()
    published, _ = catalog_files(data)
    assert len(published) == len(DATASETS)
    keys = set(s3c.list(PREFIX + "/vector/"))
    assert keys == {f"{PREFIX}/{f}" for f in published}, keys
    for f, (sha, size) in published.items():
        assert re.fullmatch(r"vector/\w+/g\d+/f0\.gpkg", f), f
        body = get_object(s3c, f"{PREFIX}/{f}")
        assert (hashlib.sha256(body).hexdigest(), len(body)) == (sha, size), f
        assert body[:16] == b"SQLite format 3\x00"
    # No multipart upload left pending.
    assert s3c.pending_uploads() == 0
    # Four files together are more than the cache may hold.
    assert sum(n for _, n in published.values()) > BOUND


def test_the_cache_fills_on_first_use_then_serves_from_disk(setup):
    srv, cache, reps = setup["s3"], setup["cache"], setup["reps"]
    published, _ = catalog_files(setup["data"])
    before = gpkg_metrics(srv)
    assert before["misses"] == 0 and not cache_files(cache)
    layer = f"dep.{reps['dep']['layers'][0]['name']}"
    r = srv.get(f"/ogcapi/collections/{layer}/items?limit=3&f=json")
    assert r.status_code == 200, r.text[:300]
    first = gpkg_metrics(srv)
    assert first["misses"] == 1 and first["gets"] == before["gets"] + 1, (before, first)
    sha, size = next(v for f, v in published.items() if f.startswith("vector/dep/"))
    assert cache_files(cache) == {f"{sha}.gpkg": size}
    for _ in range(3):
        assert srv.get(f"/ogcapi/collections/{layer}/items?limit=3&offset=1&f=json").status_code == 200
    again = gpkg_metrics(srv)
    assert again["misses"] == 1 and again["gets"] == first["gets"] and again["hits"] >= 3, again
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_answers_match_local_files_within_the_bound(setup):
    srv, cache = setup["s3"], setup["cache"]
    paths = corpus(setup["reps"])
    for _ in range(2):
        assert_same(setup["local"], srv, paths)
        assert sum(cache_files(cache).values()) <= BOUND, cache_files(cache)
    m = gpkg_metrics(srv)
    assert m["evictions"] > 0 and m["bytes"] <= BOUND, m
    assert m["checksum_failures"] == 0, m


def test_a_damaged_cached_file_is_refused_and_fetched_again(setup):
    srv, cache, reps = setup["s3"], setup["cache"], setup["reps"]
    layer = f"reg.{reps['reg']['layers'][0]['name']}"
    path = f"/ogcapi/collections/{layer}/items?limit=2&f=json"
    assert srv.get(path).status_code == 200
    published, _ = catalog_files(setup["data"])
    sha, size = next(v for f, v in published.items() if f.startswith("vector/reg/"))
    f = cache / f"{sha}.gpkg"
    assert f.exists()
    srv.stop()
    body = bytearray(f.read_bytes())
    body[len(body) // 2] ^= 0x01
    f.write_bytes(bytes(body))
    srv.start()
    assert_same(setup["local"], srv, [path])
    m = gpkg_metrics(srv)
    assert m["checksum_failures"] == 1 and m["misses"] == 1, m
    assert hashlib.sha256(f.read_bytes()).hexdigest() == sha


def test_an_object_damaged_in_the_bucket_is_a_503_never_served(setup):
    """A GeoPackage that fails its checksum when fetched (damaged in the
    bucket, or on the way) is not served: 503 with Retry-After, counted in
    /metrics; once the object is sound again, the next request serves it."""
    srv, cache, s3c, reps = setup["s3"], setup["cache"], setup["client"], setup["reps"]
    layer = f"reg.{reps['reg']['layers'][0]['name']}"
    path = f"/ogcapi/collections/{layer}/items?limit=2&f=json"
    published, _ = catalog_files(setup["data"])
    key = f"{PREFIX}/" + next(f for f in published if f.startswith("vector/reg/"))
    sound = get_object(s3c, key)
    srv.stop()
    for p in cache.iterdir():
        p.unlink()
    damaged = bytearray(sound)
    damaged[len(damaged) // 3] ^= 0x01
    s3c.put(key, bytes(damaged))
    try:
        srv.start()
        r = srv.get(path)
        assert r.status_code == 503 and r.headers.get("retry-after"), (r.status_code, r.text[:300])
        assert "application/problem+json" in r.headers.get("content-type", "")
        assert gpkg_metrics(srv)["checksum_failures"] == 1
        assert not cache_files(cache), cache_files(cache)
    finally:
        s3c.put(key, sound)
    assert_same(setup["local"], srv, [path])


def test_the_store_down_is_a_503_then_service_resumes(setup):
    srv, cache, s3c, reps = setup["s3"], setup["cache"], setup["client"], setup["reps"]
    layer = f"can.{reps['can']['layers'][0]['name']}"
    path = f"/ogcapi/collections/{layer}/items?limit=2&f=json"
    srv.stop()
    for p in cache.iterdir():
        p.unlink()
    subprocess.run(["bash", str(SCRIPT), "stop", str(s3c.dir)], timeout=60, check=True)
    try:
        srv.start()
        r = srv.get(path)
        assert r.status_code == 503 and r.headers.get("retry-after"), (r.status_code, r.text[:300])
        assert "application/problem+json" in r.headers.get("content-type", "")
        wfs = srv.get(f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:{layer}&COUNT=2")
        assert wfs.status_code == 503 and b"ExceptionReport" in wfs.content, wfs.text[:300]
        assert not [p for p in cache.iterdir()], list(cache.iterdir())
    finally:
        subprocess.run(["bash", str(SCRIPT), "start", str(s3c.dir), str(s3c.port)], timeout=180, check=True)
    assert_same(setup["local"], srv, [path])


def test_gc_removes_superseded_geopackage_objects(setup):
    data, s3c, cfg = setup["data"], setup["client"], setup["cfg"]
    old, _ = catalog_files(data)
    old_dep = next(f for f in old if f.startswith("vector/dep/"))
    vingest(data, "dep", DATASETS["dep"], config=cfg, env=key_env())
    published, live = catalog_files(data)
    new_dep = next(f for f in published if f.startswith("vector/dep/"))
    assert new_dep != old_dep
    # Within the grace period, the superseded file stays for servers still reading it.
    assert f"{PREFIX}/{old_dep}" in s3c.list(PREFIX + "/vector/")
    p = run_cli(["--config", str(cfg), "vector", "gc", "--grace-s", "0"], data_dir=data,
                env_extra={**BUCKETED, **key_env()})
    assert p.returncode == 0, describe_proc(p)
    report = json.loads(p.stdout)
    assert report["objects_removed"] == 1, report
    _, live = catalog_files(data)
    assert set(s3c.list(PREFIX + "/vector/")) == {f"{PREFIX}/{f}" for f in live}
    assert f"{PREFIX}/{old_dep}" not in s3c.list(PREFIX + "/vector/")
    # The server reloads and serves the new ingest.
    srv = setup["s3"]
    layer = f"dep.{setup['reps']['dep']['layers'][0]['name']}"
    # Once it has reloaded (the registry's generation moved), the new file
    # is fetched: the answers stay those of the same data on local files.
    deadline = time.monotonic() + 30
    while srv.get("/metrics").text.count("geocentre_registry_generation") and time.monotonic() < deadline:
        if gpkg_metrics(srv)["misses"] and cache_has(setup["cache"], published[new_dep][0]):
            break
        srv.get(f"/ogcapi/collections/{layer}/items?limit=4&f=json")
        time.sleep(0.5)
    assert cache_has(setup["cache"], published[new_dep][0])
    assert_same(setup["local"], srv, [f"/ogcapi/collections/{layer}/items?limit=4&f=json"])


def cache_has(cache, sha):
    return (cache / f"{sha}.gpkg").exists()
