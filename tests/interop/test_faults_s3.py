"""Faults of the object store (issue 15, "Fault tests"), against real servers:
SeaweedFS (scripts/s3-server.sh, on a block of loopback ports from 19400),
PostgreSQL + PostGIS (cluster.PgServer) as the registry, three `geocentre
serve` replicas behind HAProxy (cluster.Balancer), in both configurations
of the suite (the module starts its own).

Inputs: DERIVED from the REAL IGN RVB tile (derived.crash_dalles: four
dalles, the tile upsampled to 1000 px and declared at 20 cm; a copy of the
real tile moved 60 m east and south as a second vintage), and the REAL
départements of Centre-Val de Loire (dataset `admin`: its GeoPackage is an
object of the bucket, fetched once into the replicas' cache, which they
share with their data directory, and then read from there: its items stay
200 while the store is out).

1. The object store stopped for 10 s under load, two ways: SIGSTOP of every
   SeaweedFS process (a hung store: connections are accepted by the kernel
   and never answered, the nastier case), and SIGKILL then a restart (a
   crashed store: connections refused). Load: native JPEG tiles (each one a
   range GET: no tile is cached), Web Mercator PNG tiles, WMS GetMap, and
   metadata (WMS/WMTS capabilities, OGC API landing page and collections,
   vector items from the GeoPackage), 8 workers, client timeout 10 s.
   During the outage every answer is a 200, or a 503 with Retry-After whose
   body is an OGC ExceptionReport (WMS, WMTS) or application/problem+json
   (the REST tiles); no request hangs past the client's 10 s, nothing else
   fails, metadata stays 200 throughout, every replica stays alive and
   healthy. Once the store is back, every request succeeds again within
   5 s, with nothing restarted.

   Seen failing: with the binary of before `store.s3.read_timeout_s` (the
   S3 client then waited up to 120 s for an answer), the SIGSTOP case
   fails: every worker's tile request hangs to the client's 10 s timeout
   (ReadTimeout); the SIGKILL case passed already (connections refused
   fail at once). Now a data request during a SIGSTOP waits the read bound
   (5 s) and answers 503; during a SIGKILL at once.

2. An ingest killed after a COMPOSITE chunk is in the bucket and before the
   catalog records it, whose composite version is then abandoned (another
   vintage published meanwhile: the resumed ingest plans a new version):
   after the resume and `ortho gc --grace-s 0` the bucket holds exactly the
   objects the catalog references. The window between the PUT and the
   INSERT is a few milliseconds: the ingest is frozen (SIGSTOP) as soon as
   the first composite chunk is listed in the bucket, then killed; if its
   row was already written, the row is removed: the state a kill inside
   the window leaves (object stored, row absent), made certain.

   Seen failing: with the GC of before (the rows of the dead version only,
   no listing of its folder), the unrecorded chunk
   (`composite/c2/L16-20/940-6985.tif`) stays in the bucket after GC.

3. An ingest killed the same way and never resumed: its ingest and its
   composite version stay `building`, and plain `ortho gc` leaves them (a
   building run may be running); `ortho gc --abandon-building` (the
   operator says none is) marks both failed and removes every object of
   the run: the bucket then holds exactly what the catalog references, and
   the published vintage is untouched.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest

import cluster
import derived
import helpers
from helpers import L93_TMS, REPO_ROOT, Server, child_cwd, child_env, describe_proc, run_cli
from test_s3_store import S3, ingest, key_env, ports_free, profile_env, s3_config

SCRIPT = REPO_ROOT / "scripts" / "s3-server.sh"
ADMIN = "admin.departements_centre_val_de_loire"
LAYER = "flt"
CLIENT_TIMEOUT = 10.0
OUTAGE_S = 10.0
RECOVERY_S = 5.0
REPLICAS = 3


# --------------------------------------------------------------------------
# The S3 server (its own block of ports: 19400-19499)
# --------------------------------------------------------------------------

class Store(S3):
    """test_s3_store's client, and the server's process to stop."""

    def pid(self):
        return int((self.dir / "server.pid").read_text())

    def freeze(self):
        # `weed mini` runs in a session and process group of its own
        # (setsid): the whole group is stopped.
        os.killpg(self.pid(), signal.SIGSTOP)

    def thaw(self):
        os.killpg(self.pid(), signal.SIGCONT)

    def kill(self):
        subprocess.run(["bash", str(SCRIPT), "kill", str(self.dir)], check=True, timeout=60)

    def start(self):
        p = subprocess.run(["bash", str(SCRIPT), "start", str(self.dir), str(self.port)], capture_output=True,
                           text=True, timeout=180)
        assert p.returncode == 0, p.stderr


def start_store(d, first=19400, last=19500):
    # GEOCENTRE_TEST_FAULT_S3_PORTS (lo-hi) where ports are shared between runs.
    span = os.environ.get("GEOCENTRE_TEST_FAULT_S3_PORTS")
    if span:
        first, last = (int(p) for p in span.split("-"))
        last -= 8
    last_err = ""
    for port in range(first, last, 10):
        if not ports_free(port):
            continue
        p = subprocess.run(["bash", str(SCRIPT), "start", str(d), str(port)], capture_output=True, text=True,
                           timeout=180)
        if p.returncode == 0:
            return Store(port, d)
        last_err = p.stderr
        subprocess.run(["bash", str(SCRIPT), "kill", str(d)], timeout=60)
    pytest.fail(f"no S3 server could be started on ports {first}-{last - 1}: {last_err}", pytrace=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("seaweedfs-faults")
    s = start_store(d)
    yield s
    try:
        s.thaw()
    except (ProcessLookupError, FileNotFoundError, ValueError):
        pass
    subprocess.run(["bash", str(SCRIPT), "stop", str(d)], timeout=60)


# --------------------------------------------------------------------------
# Three replicas on PostgreSQL + S3 behind the balancer
# --------------------------------------------------------------------------

class Replicas:
    def __init__(self, data, tmp, cfg, env):
        self.data, self.tmp, self.cfg, self.env = data, tmp, cfg, env
        self.procs = [Server(data_dir=data, log_path=tmp / f"replica-{i}.log", args=["--config", str(cfg)],
                             env_extra=env, single=True).start(timeout=120) for i in range(REPLICAS)]
        self.balancer = cluster.Balancer([p.base_url.removeprefix("http://") for p in self.procs],
                                         tmp / "balancer").start()

    @property
    def url(self):
        return self.balancer.url

    def log(self):
        return "\n".join(f"--- {p.log_path.name} ---\n{p.log()}" for p in self.procs)

    def stop(self):
        for p in self.procs:
            p.stop()
        self.balancer.stop()


@pytest.fixture(scope="module")
def pg():
    return cluster.PgServer()


@pytest.fixture(scope="module")
def farm(store, pg, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults-s3")
    data = tmp / "data"
    cluster.pin_catalog(data, pg.catalog("faults_s3"))
    cfg = s3_config(tmp, store, "faults", 1)
    # Native tiles read the store on every request (the stored-tile cache
    # off), so that the load meets the outage whatever it asked before.
    cfg.write_text(cfg.read_text() + "\n[tiles]\nstored_cache_mb = 0\n")
    dalles = [p for p, _ in derived.crash_dalles(rvb["path"], tmp / "a", 4, 1000)]
    moved = tmp / "b" / "moved.tif"
    moved.parent.mkdir()
    derived.shifted_copy(rvb["path"], moved, 60.0, -60.0)
    ingest(data, 2021, dalles, config=cfg, env=key_env(), layer=LAYER)
    ingest(data, 2024, [moved], config=cfg, env=key_env(), layer=LAYER)
    p = run_cli(["--config", cfg, "vector", "ingest", "--dataset", "admin", "--json",
                 helpers.DATA / "admin/departements-centre-val-de-loire.geojson"], data_dir=data, env_extra=key_env())
    assert p.returncode == 0, describe_proc(p, "vector ingest")
    # The four dalles' extent (2 x 2 of 200 m from the tile's top left
    # corner), 1 m in: no tile of the load is outside the data.
    minx, _, _, maxy = rvb["bbox"]
    bbox = (minx + 1.0, maxy - 399.0, minx + 399.0, maxy - 1.0)
    r = Replicas(data, tmp, cfg, profile_env(tmp))
    r.bbox = bbox
    yield r
    r.stop()


def data_targets(bbox):
    """Requests that read the object store: native JPEG tiles (one range
    GET each: the farm's stored-tile cache is off), Web Mercator PNG
    tiles, GetMaps."""
    out = []
    for z in (20, 19, 18):
        r0, r1, c0, c1 = helpers.l93_tile_range(z, bbox)
        for row in range(r0, r1 + 1):
            for col in range(c0, c1 + 1):
                out.append(f"/tiles/{LAYER}/{L93_TMS}/{z}/{col}/{row}.jpg")
                out.append(f"/wmts/1.0.0/{LAYER}/default/{L93_TMS}/{z}/{row}/{col}.jpg")
    lon0, lat0, lon1, lat1 = helpers.bbox_to_wgs84(bbox)
    for z in (18, 17):
        x, y = helpers.wm_tile_of(z, (lon0 + lon1) / 2, (lat0 + lat1) / 2)
        out.append(f"/tiles/{LAYER}/WebMercatorQuad/{z}/{x}/{y}.png")
    minx, miny, maxx, maxy = bbox
    for i in range(6):
        d = 20.0 * i
        box = f"{minx + d},{miny + d},{maxx - d},{maxy - d}"
        out.append(f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={LAYER}&STYLES=&CRS=EPSG:2154"
                   f"&BBOX={box}&WIDTH={200 + i}&HEIGHT=200&FORMAT=image/png")
    return out


METADATA = [
    "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
    "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
    "/ogcapi",
    "/ogcapi/collections",
    f"/ogcapi/collections/{ADMIN}/items?limit=3",
]


# --------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------

@dataclass
class Outcome:
    t: float
    secs: float
    target: str
    status: int = 0
    ctype: str = ""
    retry_after: str = ""
    body: bytes = b""
    error: str = ""

    def desc(self):
        what = self.error or f"HTTP {self.status} [{self.ctype}] Retry-After={self.retry_after!r} {self.body[:200]!r}"
        return f"GET {self.target[:110]} at t={self.t:.2f} after {self.secs:.2f} s: {what}"


@dataclass
class Load:
    base: str
    targets: list
    workers: int = 8
    outcomes: list = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.workers)]

    def _run(self, i):
        http = helpers.new_http()
        n = i * 7
        while not self._stop.is_set():
            target = self.targets[n % len(self.targets)]
            n += 1
            t0 = time.monotonic()
            o = Outcome(t=t0, secs=0.0, target=target)
            try:
                r = http.get(self.base + target, timeout=CLIENT_TIMEOUT)
                o.status, o.ctype, o.body = r.status_code, r.headers.get("content-type", ""), r.content
                o.retry_after = r.headers.get("retry-after", "")
            except Exception as e:  # noqa: BLE001 - every failure is an outcome
                o.error = f"{type(e).__name__}: {e}"
                http = helpers.new_http()
            o.secs = time.monotonic() - t0
            self.outcomes.append(o)

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=CLIENT_TIMEOUT + 5)


def is_ogc(target):
    return target.startswith("/wms") or target.startswith("/wmts")


def clean_503(o):
    """A 503 with Retry-After and the endpoint's error format: an OGC
    ExceptionReport for WMS/WMTS, application/problem+json for REST."""
    if o.error or o.status != 503 or not o.retry_after.strip().isdigit():
        return False
    if is_ogc(o.target):
        if "xml" not in o.ctype:
            return False
        try:
            return ET.fromstring(o.body).tag.endswith("ExceptionReport")
        except ET.ParseError:
            return False
    if not o.ctype.startswith("application/problem+json"):
        return False
    try:
        return json.loads(o.body).get("status") == 503
    except ValueError:
        return False


def text(bad, n=12):
    return "\n".join(o.desc() for o in bad[:n]) + (f"\n... and {len(bad) - n} more" if len(bad) > n else "")


@pytest.mark.parametrize("how", ["sigstop", "sigkill"])
def test_object_store_outage_under_load_fails_cleanly_and_recovers(farm, store, how):
    data = data_targets(farm.bbox)
    targets = data + METADATA
    # Every target answers 200 before the outage (and warms the chunk headers).
    http = helpers.new_http()
    for t in targets:
        r = http.get(farm.url + t, timeout=30)
        assert r.status_code == 200, f"before the outage: {t}: HTTP {r.status_code} {r.text[:300]}"
    with Load(farm.url, targets) as load:
        time.sleep(2.0)
        t_down = time.monotonic()
        if how == "sigstop":
            store.freeze()
        else:
            store.kill()
        time.sleep(OUTAGE_S / 2)
        # Mid-outage: every replica alive and healthy (the registry is up).
        for p in farm.procs:
            assert p.proc.poll() is None, f"a replica exited during the outage\n{farm.log()}"
            assert p.get("/healthz", timeout=CLIENT_TIMEOUT).status_code == 200
        time.sleep(OUTAGE_S / 2)
        if how == "sigstop":
            store.thaw()
        else:
            store.start()
        t_up = time.monotonic()
        time.sleep(RECOVERY_S + 4.0)
    outcomes = load.outcomes
    during = [o for o in outcomes if t_down <= o.t < t_up]
    print(f"\n{how}: {len(outcomes)} requests, {len(during)} during the outage "
          f"({sum(o.status == 503 for o in during)} answered 503), store back after {t_up - t_down:.1f} s")
    slow = [o for o in outcomes if o.secs >= CLIENT_TIMEOUT]
    assert not slow, f"{len(slow)} requests hung (no answer within {CLIENT_TIMEOUT} s):\n{text(slow)}"
    bad = [o for o in outcomes if not (o.status == 200 or clean_503(o))]
    assert not bad, f"{len(bad)} of {len(outcomes)} answers neither 200 nor a clean 503:\n{text(bad)}\n{farm.log()}"
    # A hung store holds each data request for store.s3.read_timeout_s
    # (5 s): every worker meets the outage, a few times each.
    assert len(during) >= load.workers, f"only {len(during)} requests during the outage"
    meta = [o for o in outcomes if o.target in METADATA and o.status != 200]
    assert not meta, f"metadata requests failed during the outage:\n{text(meta)}"
    assert any(o.status == 503 for o in during), "no request met the outage (all answered from caches?)"
    late = [o for o in outcomes if o.t >= t_up + RECOVERY_S and o.status != 200]
    assert not late, f"still failing {RECOVERY_S} s after the store came back:\n{text(late)}"
    assert [o for o in outcomes if o.t >= t_up + RECOVERY_S], "no request after the recovery"
    for p in farm.procs:
        assert p.proc.poll() is None, f"a replica exited\n{farm.log()}"
        assert p.get("/healthz", timeout=CLIENT_TIMEOUT).status_code == 200
    # Every data target answers again, directly on each replica.
    for p in farm.procs:
        for t in data[:: max(1, len(data) // 10)]:
            r = p.get(t, timeout=CLIENT_TIMEOUT)
            assert r.status_code == 200, f"{p.base_url}{t} after the outage: HTTP {r.status_code}"


# --------------------------------------------------------------------------
# 2. An unrecorded composite chunk of an abandoned version
# --------------------------------------------------------------------------

def recorded(data, path):
    rows = cluster.catalog_query(data, f"SELECT count(*) FROM ortho_composite_chunks WHERE path = '{path}'")
    return rows[0][0] != "0"


def referenced_objects(data, prefix):
    """The keys the catalog references (test_s3_store's rule, read through
    cluster.catalog_query: SQLite or PostgreSQL, whichever the suite uses)."""
    keys = set()
    for iid, layer, vintage, tiers in cluster.catalog_query(
            data, "SELECT id, layer, vintage, tiers FROM ortho_ingests WHERE state = 'published'"):
        tiers = json.loads(tiers)
        for tier, cx, cy in cluster.catalog_query(
                data, f"SELECT tier, cx, cy FROM ortho_chunks WHERE ingest_id = {int(iid)}"):
            lo, hi = tiers[int(tier)]
            keys.add(f"{prefix}/ortho/{layer}/{vintage}/g{iid}/L{lo}-{hi}/{cx}-{cy}.tif")
    for (path,) in cluster.catalog_query(
            data, "SELECT c.path FROM ortho_composite_chunks c JOIN ortho_composites k ON k.id = c.composite_id "
                  "WHERE k.state = 'published' AND c.path IS NOT NULL"):
        keys.add(f"{prefix}/{path}")
    # With blobs in a bucket, the GeoPackages of the published vector
    # ingests are objects too (their path is the key).
    for (path,) in cluster.catalog_query(
            data, "SELECT DISTINCT l.file FROM vector_layers l JOIN vector_ingests i ON i.id = l.ingest_id "
                  "WHERE i.state = 'published' AND l.file <> ''"):
        keys.add(f"{prefix}/{path}")
    return keys


def assert_no_orphans(store, data, prefix):
    listed = set(store.list(prefix + "/"))
    expected = referenced_objects(data, prefix)
    assert listed == expected, (
        f"bucket vs catalog under {prefix}/:\n  not referenced (orphans): {sorted(listed - expected)[:20]}\n"
        f"  referenced but missing: {sorted(expected - listed)[:20]}")


def killed_at_first_composite_chunk(data, cfg, store, comp_prefix, before, dalle, tmp_path):
    """Runs `ortho ingest --vintage 2024` of `dalle`, freezes it (SIGSTOP) as
    soon as a composite chunk of its new version is listed under
    `comp_prefix`, then kills it. Returns the command, its environment, and
    the composite objects it stored."""
    cmd = [str(helpers.geocentre_bin()), "--data-dir", str(data), "--config", str(cfg), "ortho", "ingest",
           "--layer", LAYER, "--vintage", "2024", "--json", str(dalle)]
    # The registry the suite's configuration gives `data` (SQLite, or
    # PostgreSQL with GEOCENTRE_TEST_STORE=cluster), as run_cli's commands.
    env = child_env({**cluster.store_env(data), **key_env()})
    log_path = tmp_path / "killed.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                cwd=str(child_cwd()), start_new_session=True)
        try:
            deadline = time.monotonic() + 600
            while True:
                new = sorted(set(store.list(comp_prefix)) - before)
                if new and proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGSTOP)
                    break
                assert proc.poll() is None, (
                    f"the ingest ended (status {proc.returncode}) before a composite chunk was in the bucket"
                    f"\n{log_path.read_text(errors='replace')[-3000:]}")
                assert time.monotonic() < deadline, "no composite chunk in the bucket after 600 s"
                time.sleep(0.01)
            new = sorted(set(store.list(comp_prefix)) - before)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    listing = helpers.ortho_list(data)
    assert helpers.list_vintage(listing, LAYER, 2024) is None, f"half-published after kill -9: {listing}"
    return cmd, env, new


def test_unrecorded_composite_chunk_of_an_abandoned_version_is_collected(store, rvb, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    cluster.pin_own_blobs(data)
    cfg = s3_config(tmp_path, store, "orphan", 1)
    prefix = "orphan"
    dalles = [p for p, _ in derived.crash_dalles(rvb["path"], tmp_path / "a", 4, 1000)]
    moved = tmp_path / "b" / "moved.tif"
    moved.parent.mkdir()
    derived.shifted_copy(rvb["path"], moved, 60.0, -60.0)
    other = tmp_path / "c" / "other.tif"
    other.parent.mkdir()
    derived.shifted_copy(rvb["path"], other, 120.0, -120.0)
    ingest(data, 2021, dalles, config=cfg, env=key_env(), layer=LAYER)
    comp_prefix = f"{prefix}/ortho/{LAYER}/composite/"
    # (One vintage: its composite shares the vintage's chunks, and writes
    # none of its own; listed anyway.)
    before = set(store.list(comp_prefix))

    # The 2024 ingest builds composite chunks from both vintages: frozen as
    # soon as the first one of its new version is in the bucket.
    cmd, env, new = killed_at_first_composite_chunk(data, cfg, store, comp_prefix, before, moved, tmp_path)
    # The state a kill between the PUT and the INSERT leaves: the object
    # stored, its row absent. Caught in the window: a stored chunk without
    # a row; else the row of the one stored is removed (the INSERT made it
    # in time; when several were stored, the catalog cannot tell their
    # order, and which one lost its row does not matter to GC).
    free = [k for k in new if not recorded(data, k.removeprefix(prefix + "/"))]
    unrecorded = (free or new)[-1]
    rel = unrecorded.removeprefix(prefix + "/")
    caught = bool(free)
    if not caught:
        cluster.catalog_query(data, f"DELETE FROM ortho_composite_chunks WHERE path = '{rel}'")
    print(f"\ncomposite chunks stored when frozen: {len(new)}; caught between PUT and INSERT: {caught}")
    state = cluster.catalog_query(
        data, "SELECT id, state FROM ortho_composites WHERE state = 'building'")
    assert len(state) == 1, state
    abandoned = int(state[0][0])
    assert rel.startswith(f"ortho/{LAYER}/composite/c{abandoned}/"), (rel, abandoned)

    # Another vintage published meanwhile: the building version's plan is
    # no longer the layer's, it is abandoned (failed).
    ingest(data, 2019, [other], config=cfg, env=key_env(), layer=LAYER)
    rows = cluster.catalog_query(data, f"SELECT state FROM ortho_composites WHERE id = {abandoned}")
    assert rows == [["failed"]], rows
    # The killed ingest resumed: it publishes with a new composite version.
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env,
                       cwd=str(child_cwd()))
    assert p.returncode == 0, describe_proc(p, "re-running the interrupted ingest")
    rep = helpers.parse_single_json(p)
    assert rep["status"] == "published" and rep["resumed"] is True, rep
    assert rep["composite"]["composite_id"] != abandoned, rep["composite"]
    assert unrecorded in store.list(comp_prefix), "the unrecorded chunk is gone before GC: nothing tested"

    gc = run_cli(["--config", str(cfg), "ortho", "gc", "--grace-s", "0"], data_dir=data, env_extra=key_env(),
                 timeout=300)
    assert gc.returncode == 0, describe_proc(gc, "ortho gc")
    removed = json.loads(gc.stdout)
    assert abandoned in removed["composite_versions"], removed
    assert unrecorded not in store.list(comp_prefix), f"the unrecorded chunk {unrecorded} survived GC: {removed}"
    assert_no_orphans(store, data, prefix)
    assert store.pending_uploads() == 0


# 3. A run killed and never resumed


def test_a_run_killed_and_never_resumed_is_collected_once_abandoned(store, rvb, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    cluster.pin_own_blobs(data)
    prefix = "never"
    cfg = s3_config(tmp_path, store, prefix, 1)
    dalles = [p for p, _ in derived.crash_dalles(rvb["path"], tmp_path / "a", 4, 1000)]
    moved = tmp_path / "b" / "moved.tif"
    moved.parent.mkdir()
    derived.shifted_copy(rvb["path"], moved, 60.0, -60.0)
    ingest(data, 2021, dalles, config=cfg, env=key_env(), layer=LAYER)
    comp_prefix = f"{prefix}/ortho/{LAYER}/composite/"
    _, _, new = killed_at_first_composite_chunk(data, cfg, store, comp_prefix, set(store.list(comp_prefix)),
                                                moved, tmp_path)
    building = cluster.catalog_query(data, "SELECT id FROM ortho_ingests WHERE state = 'building'")
    composites = cluster.catalog_query(data, "SELECT id FROM ortho_composites WHERE state = 'building'")
    assert len(building) == 1 and len(composites) == 1, (building, composites)
    ingest_id, composite_id = int(building[0][0]), int(composites[0][0])

    def gc(*extra):
        return run_cli(["--config", str(cfg), "ortho", "gc", "--grace-s", "0", *extra],
                       data_dir=data, env_extra=key_env(), timeout=300)

    # A building run may be running: plain GC leaves it alone.
    p = gc()
    assert p.returncode == 0, describe_proc(p, "ortho gc")
    removed = json.loads(p.stdout)
    assert ingest_id not in removed["ingests"] and composite_id not in removed["composite_versions"], removed
    assert set(new) <= set(store.list(comp_prefix))
    # The operator abandons it: every object of the killed run goes.
    p = gc("--abandon-building")
    assert p.returncode == 0, describe_proc(p, "ortho gc --abandon-building")
    removed = json.loads(p.stdout)
    assert removed["abandoned"] == {"ingests": [ingest_id], "composite_versions": [composite_id]}, removed
    assert ingest_id in removed["ingests"] and composite_id in removed["composite_versions"], removed
    assert not set(new) & set(store.list(comp_prefix)), removed
    assert_no_orphans(store, data, prefix)
    rows = cluster.catalog_query(data, "SELECT count(*) FROM ortho_ingests WHERE state = 'building'")
    assert int(rows[0][0]) == 0, rows
    # The published vintage is untouched.
    assert helpers.list_vintage(helpers.ortho_list(data), LAYER, 2021) is not None
