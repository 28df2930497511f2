"""Imagery on S3-compatible object storage, against a real server.

The S3 server is SeaweedFS, started here by scripts/s3-server.sh (installed by
scripts/install-deps.sh --test) on a free block of loopback ports from 18800,
with the script's fixed test credentials. The catalog stays on SQLite in the
data directory; `[store] blobs = "s3://…"` comes from a geocentre.toml given
with --config. The ingests get their keys from AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY, the servers from an AWS_PROFILE of a credentials
file (both ways of docs/configuration.md are used).

Inputs (DERIVED from the REAL IGN RVB tile): vintage 2021, four dalles (the
tile upsampled to 1000 px, declared at 20 cm, 2×2, derived.crash_dalles);
vintage 2024, the real tile itself moved 60 m east and 60 m south: it covers
part of the 2021 area, so the layer's composite has chunks *built* by GDAL's
warper from stored chunks of both vintages (read through /vsis3/ during the
ingest's network lock-down). The same two ingests run on local files in
another data directory: the reference.

What is checked:
  1. both ingests publish on S3, the composite has built chunks, the chunk
     COGs went by multipart upload (multipart_threshold_mb = 0: their ETags
     say so), no upload is left pending, and the bucket holds objects only
     under the prefix;
  2. native tiles (JPEG and PNG, composite and vintages, several levels),
     Web Mercator tiles and WMS GetMap answers are byte-identical to those of
     the same ingests on local files;
  3. once a chunk's header is cached, a native tile costs one GET and no
     HEAD (/metrics, geocentre_object_store_requests_total), a PNG (tile and
     mask) one GET too;
  4. `ortho gc` after a re-ingest leaves exactly the objects the catalog
     references (list the bucket, read the catalog);
  5. an ingest to S3 killed with SIGKILL once a chunk is in the bucket and
     recorded in the catalog is not published; re-running it resumes, publishes, and the
     bucket then holds exactly the referenced objects (no orphans).
"""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time

import numpy as np
import pytest

import cluster
import derived
import helpers
import s3_server
from helpers import L93_TMS, Server, child_cwd, child_env, describe_proc, run_cli

SCRIPT = s3_server.SCRIPT
ACCESS_KEY, SECRET_KEY, REGION = s3_server.ACCESS_KEY, s3_server.SECRET_KEY, s3_server.REGION
BUCKET = "geocentre-interop"
LAYER = "s3t"


# --------------------------------------------------------------------------
# The S3 server, and a small signed client to look into the bucket
# --------------------------------------------------------------------------

class S3(s3_server.S3):
    """The module's server, and a signed client of BUCKET."""

    def __init__(self, port, dir_):
        super().__init__(port, dir_, BUCKET)


ports_free = s3_server.ports_free


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    d = tmp_path_factory.mktemp("seaweedfs")
    # GEOCENTRE_TEST_S3_PORTS (lo-hi) where ports are shared between runs.
    lo, hi = (int(p) for p in os.environ.get("GEOCENTRE_TEST_S3_PORTS", "18800-18999").split("-"))
    try:
        server = s3_server.start(d, BUCKET, lo, hi - 8)
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    server = S3(server.port, d)
    yield server
    s3_server.stop(d)


def s3_config(tmp, s3, prefix, threshold_mb):
    cfg = tmp / f"geocentre-{prefix}.toml"
    cfg.write_text(f"""[store]
blobs = "s3://{BUCKET}/{prefix}"

[store.s3]
endpoint = "{s3.endpoint}"
region = "{REGION}"
path_style = true
allow_http = true
multipart_threshold_mb = {threshold_mb}
""")
    return cfg


def own_stores(*data_dirs):
    """This module checks its own stores in both configurations of the
    suite (the scale-out one, tests/interop/cluster.py, puts every other
    test's imagery on S3): the registry is the data dir's SQLite, the
    object store the one its configuration file names, every server one
    process."""
    for d in data_dirs:
        cluster.pin_embedded(d)


def key_env():
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}


def profile_env(tmp):
    cred = tmp / "aws-credentials"
    cred.write_text(f"[geocentre-tests]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n")
    return {"AWS_PROFILE": "geocentre-tests", "AWS_SHARED_CREDENTIALS_FILE": str(cred)}


def ingest(data, vintage, paths, config=None, env=None, layer=LAYER, timeout=900):
    args = (["--config", str(config)] if config else []) + [
        "ortho", "ingest", "--layer", layer, "--vintage", str(vintage), "--json", *map(str, paths)]
    p = run_cli(args, data_dir=data, env_extra=env, timeout=timeout)
    assert p.returncode == 0, describe_proc(p, f"ingest of {layer}/{vintage}")
    rep = helpers.parse_single_json(p)
    assert rep["status"] == "published", rep
    return rep


def store_counts(srv):
    """{operation: requests} of the S3 backend from /metrics."""
    text = srv.get("/metrics").text
    out = {}
    for m in re.finditer(r'^geocentre_object_store_requests_total\{backend="s3",operation="(\w+)"\} (\d+)',
                         text, re.M):
        out[m.group(1)] = int(m.group(2))
    m = re.search(r'^geocentre_object_store_read_bytes_total\{backend="s3"\} (\d+)', text, re.M)
    out["read_bytes"] = int(m.group(1)) if m else 0
    return out


def stored_hits(srv):
    m = re.search(r'^geocentre_cache_hits_total\{cache="stored_tiles"\} (\d+)', srv.get("/metrics").text, re.M)
    assert m, "no stored_tiles cache in /metrics"
    return int(m.group(1))


def decoded_misses(srv):
    m = re.search(r'^geocentre_cache_misses_total\{cache="decoded_tiles"\} (\d+)', srv.get("/metrics").text, re.M)
    return int(m.group(1)) if m else 0


def referenced_objects(data, prefix):
    """The bucket keys the catalog references: every chunk of a published
    ingest (its tiers give the L{lo}-{hi} folders) and every path of a
    published composite version."""
    db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        keys = set()
        for iid, layer, vintage, tiers in db.execute(
                "SELECT id, layer, vintage, tiers FROM ortho_ingests WHERE state = 'published'"):
            tiers = json.loads(tiers)
            for tier, cx, cy in db.execute("SELECT tier, cx, cy FROM ortho_chunks WHERE ingest_id = ?", (iid,)):
                lo, hi = tiers[tier]
                keys.add(f"{prefix}/ortho/{layer}/{vintage}/g{iid}/L{lo}-{hi}/{cx}-{cy}.tif")
        for (path,) in db.execute(
                "SELECT c.path FROM ortho_composite_chunks c JOIN ortho_composites k ON k.id = c.composite_id "
                "WHERE k.state = 'published' AND c.path IS NOT NULL"):
            keys.add(f"{prefix}/{path}")
        return keys
    finally:
        db.close()


def recorded_chunks(data):
    """Chunks the catalog records (0 while it cannot be read)."""
    try:
        db = sqlite3.connect(f"file:{data / 'catalog.sqlite'}?mode=ro", uri=True, timeout=0.5)
        try:
            return db.execute("SELECT count(*) FROM ortho_chunks").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def assert_no_orphans(s3, data, prefix):
    listed = set(s3.list(prefix + "/"))
    expected = referenced_objects(data, prefix)
    assert listed == expected, (
        f"bucket vs catalog under {prefix}/:\n  not referenced (orphans): {sorted(listed - expected)[:20]}\n"
        f"  referenced but missing: {sorted(expected - listed)[:20]}")


# --------------------------------------------------------------------------
# The two ingests, on S3 and on local files
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inputs(rvb, tmp_path_factory):
    root = tmp_path_factory.mktemp("s3-inputs")
    a = [p for p, _ in derived.crash_dalles(rvb["path"], root / "a", 4, 1000)]
    b = root / "b" / "moved.tif"
    b.parent.mkdir()
    derived.shifted_copy(rvb["path"], b, 60.0, -60.0)
    minx, miny, maxx, maxy = rvb["bbox"]
    span = 1000 * 0.2
    return {"a": a, "b": [b], "bbox": (minx, maxy - 2 * span, minx + 2 * span, maxy), "root": root}


@pytest.fixture(scope="module")
def stores(s3, inputs, geocentre_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("s3-store")
    local, remote = root / "local", root / "s3"
    local.mkdir()
    remote.mkdir()
    own_stores(local, remote)
    # 0: every chunk goes by multipart upload (the demo's chunks are small).
    cfg = s3_config(root, s3, "main", 0)
    reps = {}
    for vintage, paths in ((2021, inputs["a"]), (2024, inputs["b"])):
        reps[("local", vintage)] = ingest(local, vintage, paths)
        reps[("s3", vintage)] = ingest(remote, vintage, paths, config=cfg, env=key_env())
    s_local = Server(data_dir=local, log_path=root / "local.log", single=True).start()
    s_s3 = Server(data_dir=remote, log_path=root / "s3.log", args=["--config", str(cfg)],
                  env_extra=profile_env(root), single=True).start()
    yield {"local": s_local, "s3": s_s3, "reps": reps, "cfg": cfg, "data": remote, "root": root, "s3_client": s3}
    s_local.stop()
    s_s3.stop()


def test_ingests_publish_to_the_bucket(stores, s3):
    reps = stores["reps"]
    for v in (2021, 2024):
        a, b = reps[("local", v)], reps[("s3", v)]
        assert (b["chunks"], b["native_level"]) == (a["chunks"], a["native_level"]), (a, b)
    comp = reps[("s3", 2024)]["composite"]
    assert comp["chunks_written"] >= 1, f"no composite chunk was built (read back through /vsis3/): {comp}"
    keys = s3.list("")
    assert keys and all(k.startswith("main/") for k in keys if not k.startswith("crash/")), keys[:10]
    assert any(k.startswith(f"main/ortho/{LAYER}/composite/") for k in keys), keys
    # With multipart_threshold_mb = 0 every chunk went by multipart upload:
    # S3 gives such an object the ETag "<md5 of the parts' md5s>-<parts>"
    # (a plain PUT: the object's MD5).
    objects = s3.objects("main/")
    assert objects and all(re.fullmatch(r"[0-9a-f]{32}-\d+", etag) for _, _, etag in objects), \
        [o for o in objects if not re.fullmatch(r"[0-9a-f]{32}-\d+", o[2])][:5]
    assert s3.pending_uploads() == 0
    # Nothing was written under the local data directory's objects/ by the S3 run.
    assert not (stores["data"] / "objects").exists() or not any((stores["data"] / "objects").rglob("*.tif"))


def native_tiles(bbox, levels=(20, 18, 16, 14, 11), per_level=6):
    out = []
    for z in levels:
        r0, r1, c0, c1 = helpers.l93_tile_range(z, bbox)
        cells = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        step = max(1, len(cells) // per_level)
        out += [(z, r, c) for r, c in cells[::step][:per_level]]
    return out


@pytest.mark.parametrize("layer", [LAYER, f"{LAYER}-2021", f"{LAYER}-2024"])
def test_native_tiles_are_byte_identical_to_local_files(stores, inputs, layer):
    bbox = helpers.raster_info(inputs["b"][0])[2] if layer.endswith("-2024") else inputs["bbox"]
    compared = 0
    for z, row, col in native_tiles(bbox):
        for ext in ("jpg", "png"):
            path = f"/tiles/{layer}/{L93_TMS}/{z}/{col}/{row}.{ext}"
            a, b = stores["local"].get(path), stores["s3"].get(path)
            assert a.status_code == b.status_code, f"{path}: local {a.status_code}, s3 {b.status_code}"
            assert a.content == b.content, f"{path}: the S3 store answers other bytes"
            compared += a.status_code == 200
    assert compared >= 10, f"only {compared} tiles with data compared"


def test_web_mercator_tiles_and_getmap_match_local_files(stores, inputs):
    lons, lats = zip(*[helpers.bbox_to_wgs84(inputs["bbox"])[i:i + 2] for i in (0, 2)])
    lon, lat = sum(lons) / 2, sum(lats) / 2
    compared = 0
    for z in (18, 16, 14):
        x, y = helpers.wm_tile_of(z, lon, lat)
        for dx in (0, 1):
            path = f"/tiles/{LAYER}/WebMercatorQuad/{z}/{x + dx}/{y}.png"
            a, b = stores["local"].get(path), stores["s3"].get(path)
            assert a.status_code == b.status_code, f"{path}: local {a.status_code}, s3 {b.status_code}"
            assert a.content == b.content, f"{path}: the S3 store answers other bytes"
            compared += a.status_code == 200
    assert compared >= 3
    minx, miny, maxx, maxy = inputs["bbox"]
    for crs, box in (("EPSG:2154", (minx, miny, maxx, maxy)),
                     ("EPSG:3857", None)):
        if box is None:
            (x0, y0), (x1, y1) = helpers.lonlat_to_wm(min(lons), min(lats)), helpers.lonlat_to_wm(max(lons), max(lats))
            box = (x0, y0, x1, y1)
        q = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": LAYER, "STYLES": "",
             "CRS": crs, "BBOX": ",".join(map(str, box)), "WIDTH": "300", "HEIGHT": "300", "FORMAT": "image/png"}
        a, b = stores["local"].get("/wms", params=q), stores["s3"].get("/wms", params=q)
        assert b.status_code == 200 and b.headers["content-type"].startswith("image/png"), (b.status_code, b.text[:300])
        assert a.content == b.content, f"GetMap {crs}: the S3 store draws another map"
        arr = helpers.decode(b.content)[1]
        assert arr[..., :3].std() > 5, f"GetMap {crs} is blank"


def s3_objects_of(stores, layer):
    """(key, size, ETag) of the objects of `layer`'s (vintage) builds."""
    name, vintage = layer.rsplit("-", 1)
    return stores["s3_client"].objects(f"main/ortho/{name}/{vintage}/")


def test_one_get_per_native_tile_once_the_header_is_cached(stores, inputs):
    srv = stores["s3"]
    # Two tiles of the same level-20 chunk (tier 0 chunks are 16 tiles wide).
    r0, r1, c0, c1 = helpers.l93_tile_range(20, inputs["bbox"])
    row, col = r0 + 2, c0 + 2
    same = (row, col + 1) if (col + 1) // 16 == col // 16 else (row, col - 1)
    layer = f"{LAYER}-2021"
    t1 = srv.get(f"/tiles/{layer}/{L93_TMS}/20/{col}/{row}.jpg")
    assert t1.status_code == 200, t1.status_code
    before = store_counts(srv)
    t2 = srv.get(f"/tiles/{layer}/{L93_TMS}/20/{same[1]}/{same[0]}.jpg")
    assert t2.status_code == 200, t2.status_code
    after = store_counts(srv)
    assert after.get("get", 0) - before.get("get", 0) == 1, (before, after)
    assert after.get("head", 0) == before.get("head", 0), (before, after)
    # That GET is the tile's bytes (the response adds the JPEG tables the
    # COG shares between tiles), not its chunk: no whole-object download.
    read = after["read_bytes"] - before["read_bytes"]
    chunk = max(size for k, size, _ in s3_objects_of(stores, layer))
    assert 0 < read <= len(t2.content) and read * 4 < chunk, (read, len(t2.content), chunk)
    # The same tile again: no GET, the stored tile is kept ([tiles]
    # stored_cache_mb), and the cache says so.
    hits = stored_hits(srv)
    t3 = srv.get(f"/tiles/{layer}/{L93_TMS}/20/{same[1]}/{same[0]}.jpg")
    assert t3.status_code == 200 and t3.content == t2.content
    again = store_counts(srv)
    assert again.get("get", 0) == after.get("get", 0), (after, again)
    assert stored_hits(srv) == hits + 1
    # The 2024 vintage covers its chunks in part: they have a mask. A PNG
    # decodes the tile with its mask, both read in one GET; a PNG found in
    # the decoded-tile cache costs none.
    # Levels no other test of this module asks for (their PNGs are not cached).
    bx = helpers.raster_info(inputs["b"][0])[2]
    misses = 0
    for z in (19, 17):
        r0, r1, c0, c1 = helpers.l93_tile_range(z, bx)
        for prow, pcol in [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]:
            path = f"/tiles/{LAYER}-2024/{L93_TMS}/{z}/{pcol}/{prow}"
            assert srv.get(path + ".jpg").status_code == 200  # the chunk's header, cached
            b0, m0 = store_counts(srv), decoded_misses(srv)
            png = srv.get(path + ".png")
            assert png.status_code == 200 and helpers.decode(png.content)[0] == "RGBA", png.status_code
            b1, m1 = store_counts(srv), decoded_misses(srv)
            assert b1.get("get", 0) - b0.get("get", 0) == m1 - m0 <= 1, (path, b0, b1, m0, m1)
            assert b1.get("head", 0) == b0.get("head", 0), (b0, b1)
            misses += m1 - m0
    assert misses >= 1, "every PNG came from the cache: nothing measured"
    m = srv.get("/metrics").text
    assert 'geocentre_object_store_requests_total{backend="s3",operation="get"}' in m


def test_gc_leaves_exactly_the_referenced_objects(stores, s3, inputs):
    """A re-ingest of 2021 (one dalle less) supersedes the first ingest and
    composite version; `ortho gc --grace-s 0` deletes their objects."""
    data, cfg = stores["data"], stores["cfg"]
    old = stores["reps"][("s3", 2021)]["ingest_id"]
    ingest(data, 2021, inputs["a"][:3], config=cfg, env=key_env())
    assert any(k.startswith(f"main/ortho/{LAYER}/2021/g{old}/") for k in s3.list("main/")), \
        "the superseded ingest's objects are already gone (grace period not honoured)"
    p = run_cli(["--config", str(cfg), "ortho", "gc", "--grace-s", "0"], data_dir=data, env_extra=key_env(),
                timeout=300)
    assert p.returncode == 0, describe_proc(p, "ortho gc")
    removed = json.loads(p.stdout)
    assert old in removed["ingests"] and removed["objects_removed"] > 0, removed
    assert not [k for k in s3.list("main/") if k.startswith(f"main/ortho/{LAYER}/2021/g{old}/")]
    assert_no_orphans(s3, data, "main")
    # The server still answers from the bucket after the GC.
    srv = stores["s3"]
    r0, _, c0, _ = helpers.l93_tile_range(20, inputs["bbox"])
    deadline = time.monotonic() + 5
    while True:
        r = srv.get(f"/tiles/{LAYER}-2021/{L93_TMS}/20/{c0 + 1}/{r0 + 1}.jpg")
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.status_code == 200, r.status_code


def test_kill9_during_an_s3_ingest_then_resume(s3, rvb, geocentre_bin, tmp_path):
    src = tmp_path / "dalles"
    n, size = 16, 2000
    dalles = derived.crash_dalles(rvb["path"], src, n, size)
    data = tmp_path / "data"
    data.mkdir()
    own_stores(data)
    cfg = s3_config(tmp_path, s3, "crash", 1)
    cmd = [str(geocentre_bin), "--data-dir", str(data), "--config", str(cfg), "ortho", "ingest", "--layer",
           "crash", "--vintage", "2022", "--json", str(src)]
    log_path = tmp_path / "killed.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=child_env(key_env()),
                                cwd=str(child_cwd()), start_new_session=True)
        try:
            deadline = time.monotonic() + 600
            while True:
                # Killed once a chunk is in the bucket *and* recorded in the
                # catalog (so that the re-run has something to keep).
                written = s3.list("crash/ortho/crash/2022/")
                if written and recorded_chunks(data) and proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    break
                assert proc.poll() is None, (
                    f"the ingest ended (status {proc.returncode}) before a chunk was in the bucket: nothing "
                    f"to interrupt\n{log_path.read_text(errors='replace')[-3000:]}")
                assert time.monotonic() < deadline, "no chunk in the bucket after 600 s"
                time.sleep(0.05)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    listing = helpers.ortho_list(data)
    assert helpers.list_vintage(listing, "crash", 2022) is None, f"half-published after kill -9: {listing}"
    pend = helpers.list_pending(listing, "crash", 2022)
    assert len(pend) == 1 and pend[0]["state"] == "building", listing
    killed = pend[0]["ingest_id"]
    assert all(k.startswith(f"crash/ortho/crash/2022/g{killed}/") for k in written), written

    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=child_env(key_env()),
                       cwd=str(child_cwd()))
    assert p.returncode == 0, describe_proc(p, "re-running the interrupted ingest")
    rep = helpers.parse_single_json(p)
    assert rep["status"] == "published" and len(rep["files"]) == n, rep["status"]
    assert rep["ingest_id"] == killed and rep["resumed"] is True, (killed, rep["ingest_id"], rep["resumed"])
    assert rep["chunks_built"] < rep["chunks"], "nothing of the killed build was kept"
    assert s3.pending_uploads() == 0
    assert_no_orphans(s3, data, "crash")

    srv = Server(data_dir=data, log_path=tmp_path / "server.log", args=["--config", str(cfg)],
                 env_extra=profile_env(tmp_path), single=True).start()
    try:
        for i in (0, n - 1):
            path, b = dalles[i]
            row, col = helpers.l93_tile_of(20, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
            r = srv.get(f"/tiles/crash-2022/{L93_TMS}/20/{col}/{row}.jpg")
            assert r.status_code == 200, f"dalle {i}: HTTP {r.status_code}"
            arr = helpers.decode(r.content)[1]
            ref = helpers.read_window(path, helpers.l93_tile_bounds(20, row, col), 0.2)
            mads, corrs = helpers.band_metrics(ref, np.moveaxis(arr[:, :, :3], 2, 0))
            assert helpers.passes(mads, corrs), f"dalle {i}: MAD {np.round(mads, 2)} corr {np.round(corrs, 4)}"
    finally:
        srv.stop()
