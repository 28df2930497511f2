"""Replicas (issue 15, "Replicas" and "What must be shown"): several
`geocentre serve` processes on one PostgreSQL catalog behind the load
balancer of the scale-out configuration (cluster.Balancer: HAProxy).

This module starts its own replicas in both configurations of the suite
(GEOCENTRE_TEST_STORE=embedded or cluster), so the replicas are always
tested: three processes on one data dir whose registry is a database on a
PostgreSQL server of the module's own (cluster.PgServer), which test 4
stops and starts without disturbing the rest of the suite.

1. A publication by a CLI on the shared catalog (`group set`, a vector
   ingest) is answered by every replica, each polled directly, within 1 s
   (LISTEN/NOTIFY; the generation poll is the fallback).
2. SIGKILL of one replica during a load run through the balancer: no
   request fails (the balancer retries what the dead replica dropped).
3. A rolling restart of every replica under load (SIGTERM, which drains;
   a new replica; /readyz; the balancer reloaded with the new list): no
   request fails, every old replica exits 0.
4. PostgreSQL stopped for a few seconds under load, then started again:
   every request either succeeds or fails cleanly (503 with
   application/problem+json or an OGC exception report), none hangs, none
   is cut; the data routes keep serving the snapshot in memory (only
   /healthz reads the database at request time); afterwards everything
   recovers by itself, and a new publication reaches every replica again.

Data: the REAL IGN RVB tile (layer `ign`) and the REAL départements of
Centre-Val de Loire (dataset `admin`); the publications are groups and a
second ingest of the same départements.
"""
from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

import cluster
import helpers
from helpers import Server, describe_proc, ingest, run_cli

DEPARTEMENTS = helpers.DATA / "admin/departements-centre-val-de-loire.geojson"
ADMIN = "admin.departements_centre_val_de_loire"
CAPS = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities"
REPLICAS = 3
VISIBLE_WITHIN_S = 1.0


class Replicas:
    """REPLICAS single `serve` processes on one data dir, and the balancer."""

    def __init__(self, data, tmp):
        self.data, self.tmp, self.started = data, tmp, 0
        self.procs = [self.start_one() for _ in range(REPLICAS)]
        self.balancer = cluster.Balancer(self.addresses(), tmp / "balancer").start()

    def start_one(self):
        self.started += 1
        # single=True: one process each (in the cluster configuration too);
        # the registry is the pinned catalog (cluster.pin_catalog).
        return Server(data_dir=self.data, log_path=self.tmp / f"replica-{self.started}.log", single=True).start()

    def addresses(self):
        return [p.base_url.removeprefix("http://") for p in self.procs]

    @property
    def url(self):
        return self.balancer.url

    def replace(self, i, stop=True):
        """A new replica instead of the i-th, the balancer pointed at it."""
        old = self.procs[i]
        if stop:
            old.stop()
        self.procs[i] = self.start_one()
        self.balancer.reload(self.addresses())
        return old

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
def rc(pg, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replicas")
    data = tmp / "data"
    cluster.pin_catalog(data, pg.catalog("replicas"))
    p, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert p.returncode == 0, describe_proc(p, "ortho ingest of the real RVB tile")
    helpers.ingest_vector(data, "admin", [DEPARTEMENTS])
    bx = rvb["bbox"]
    box = f"{bx[0]:.1f},{bx[1]:.1f},{bx[2]:.1f},{bx[3]:.1f}"
    r = Replicas(data, tmp)
    r.targets = [
        CAPS,
        f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=ign&STYLES=&CRS=EPSG:2154&BBOX={box}"
        f"&WIDTH=256&HEIGHT=256&FORMAT=image/png",
        "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=" + ADMIN + "&STYLES=&CRS=EPSG:2154"
        "&BBOX=480000,6570000,740000,6880000&WIDTH=512&HEIGHT=512&FORMAT=image/png",
        f"/ogcapi/collections/{ADMIN}/items?limit=3",
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=" + ADMIN + "&COUNT=2",
    ]
    yield r
    r.stop()


# --------------------------------------------------------------------------
# Load through the balancer
# --------------------------------------------------------------------------

@dataclass
class Outcome:
    t: float  # monotonic, when the request was sent
    secs: float
    target: str
    status: int = 0
    ctype: str = ""
    body: bytes = b""
    error: str = ""

    def desc(self):
        what = self.error or f"HTTP {self.status} [{self.ctype}] {self.body[:300]!r}"
        return f"GET {self.target[:120]} at t={self.t:.2f} after {self.secs:.2f} s: {what}"


class Load:
    """`workers` threads, each on its own keep-alive session, sending the
    targets in turn through the balancer until stopped."""

    def __init__(self, base, targets, workers=6, timeout=15):
        self.base, self.targets, self.timeout = base, targets, timeout
        self.outcomes, self._stop = [], threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(workers)]

    def _run(self, i):
        http = helpers.new_http()
        n = i
        while not self._stop.is_set():
            target = self.targets[n % len(self.targets)]
            n += 1
            t0 = time.monotonic()
            o = Outcome(t=t0, secs=0.0, target=target)
            try:
                r = http.get(self.base + target, timeout=self.timeout)
                o.status, o.ctype, o.body = r.status_code, r.headers.get("content-type", ""), r.content
            except Exception as e:  # noqa: BLE001 - every failure is an outcome
                o.error = f"{type(e).__name__}: {e}"
            o.secs = time.monotonic() - t0
            self.outcomes.append(o)

    def __enter__(self):
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=self.timeout + 5)

    def after(self, t):
        return [o for o in self.outcomes if o.t >= t]


def failed(outcomes):
    return [o for o in outcomes if o.error or o.status != 200]


def failures_text(bad, n=10):
    return "\n".join(o.desc() for o in bad[:n]) + (f"\n... and {len(bad) - n} more" if len(bad) > n else "")


# --------------------------------------------------------------------------
# 1. A publication reaches every replica within a second
# --------------------------------------------------------------------------

def shows_layer(name):
    def check(http, base):
        r = http.get(base + CAPS, timeout=5)
        return r.status_code == 200 and f"<Name>{name}</Name>" in r.text
    return check


def shows_collection(cid):
    def check(http, base):
        return http.get(f"{base}/ogcapi/collections/{cid}", timeout=5).status_code == 200
    return check


def seen_after(procs, check, t0, timeout):
    """Polls every process directly, each in its own thread, until `check`
    holds; returns the seconds after t0 at which each first did (None:
    never within `timeout`)."""
    seen = [None] * len(procs)

    def poll(i, base):
        http = helpers.new_http()
        while time.monotonic() - t0 < timeout:
            try:
                if check(http, base):
                    seen[i] = time.monotonic() - t0
                    return
            except Exception:  # noqa: BLE001 - not yet (a replica reconnecting)
                pass
            time.sleep(0.01)

    threads = [threading.Thread(target=poll, args=(i, p.base_url)) for i, p in enumerate(procs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def publish_group(rc, name, *members):
    p = run_cli(["group", "set", name, "--title", f"Groupe {name}", *members], data_dir=rc.data, timeout=60)
    assert p.returncode == 0, describe_proc(p, f"group set {name}")


def test_a_publication_is_answered_by_every_replica_within_a_second(rc):
    for p in rc.procs:
        assert not shows_layer("vu-partout")(helpers.new_http(), p.base_url)
    timings = {}
    # A group of the imagery, then one of the départements, then a new
    # dataset ingested from the same REAL file.
    for what, publish, check in (
            ("group set vu-partout", lambda: publish_group(rc, "vu-partout", "ign"), shows_layer("vu-partout")),
            ("group set vu-encore", lambda: publish_group(rc, "vu-encore", ADMIN), shows_layer("vu-encore")),
            ("vector ingest admin2", lambda: helpers.ingest_vector(rc.data, "admin2", [DEPARTEMENTS]),
             shows_collection("admin2.departements_centre_val_de_loire"))):
        publish()
        # The CLI has committed and returned: the publication is made.
        t0 = time.monotonic()
        seen = seen_after(rc.procs, check, t0, timeout=10)
        timings[what] = seen
        assert all(s is not None for s in seen), f"{what}: not seen by every replica within 10 s: {seen}\n{rc.log()}"
    print("\nseconds from the CLI's return to each replica's first answer with the new data:",
          {k: [round(s, 3) for s in v] for k, v in timings.items()})
    late = {k: v for k, v in timings.items() if max(v) > VISIBLE_WITHIN_S}
    assert not late, f"seen later than {VISIBLE_WITHIN_S} s by some replica: {late} (all: {timings})"


# --------------------------------------------------------------------------
# 2. SIGKILL of one replica under load
# --------------------------------------------------------------------------

def requests_served(proc):
    """The requests a process has answered, from its own /metrics."""
    r = helpers.new_http().get(proc.base_url + "/metrics", timeout=10)
    assert r.status_code == 200
    total = 0.0
    for line in r.text.splitlines():
        if line.startswith("geocentre_http_requests_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_sigkill_of_a_replica_under_load_fails_no_request(rc):
    victim = rc.procs[1]
    with Load(rc.url, rc.targets) as load:
        time.sleep(2.0)
        served = requests_served(victim)
        t_kill = time.monotonic()
        victim.proc.kill()
        victim.proc.wait(timeout=10)
        time.sleep(3.0)
    assert served > 10, f"the victim had served {served} requests: the load did not reach it"
    after = load.after(t_kill)
    assert len(after) > 20, f"only {len(after)} requests after the kill"
    bad = failed(load.outcomes)
    assert not bad, (f"{len(bad)} of {len(load.outcomes)} requests failed around the SIGKILL "
                     f"(t_kill={t_kill:.2f}):\n{failures_text(bad)}")
    # The next tests get three live replicas again.
    rc.replace(1, stop=False)


# --------------------------------------------------------------------------
# 3. Rolling restart under load
# --------------------------------------------------------------------------

def test_a_rolling_restart_under_load_fails_no_request(rc):
    exits = []
    with Load(rc.url, rc.targets) as load:
        time.sleep(1.0)
        for i in range(len(rc.procs)):
            # SIGTERM: the replica stops accepting and drains what it serves;
            # the balancer, still listing it, retries on the others; then a
            # new replica, ready, takes its place in the list.
            old = rc.procs[i]
            rc.replace(i)
            exits.append(old.proc.returncode)
            time.sleep(1.0)
    assert exits == [0] * len(rc.procs), f"exit status of the stopped replicas: {exits}"
    assert len(load.outcomes) > 30, f"only {len(load.outcomes)} requests during the restart"
    bad = failed(load.outcomes)
    assert not bad, f"{len(bad)} of {len(load.outcomes)} requests failed during the rolling restart:\n" \
                    f"{failures_text(bad)}"
    # Every replica now is a new process that serves.
    for p in rc.procs:
        assert p.get(CAPS).status_code == 200


# --------------------------------------------------------------------------
# 4. PostgreSQL restarted under load
# --------------------------------------------------------------------------

def clean_failure(o):
    """A 503 whose body is a problem+json or an OGC exception report."""
    if o.error or o.status != 503:
        return False
    if o.ctype.startswith("application/problem+json"):
        try:
            return json.loads(o.body).get("status") == 503
        except ValueError:
            return False
    if "xml" in o.ctype:
        try:
            root = ET.fromstring(o.body)
        except ET.ParseError:
            return False
        return root.tag.endswith("ExceptionReport")
    return False


def test_postgresql_restart_under_load_fails_cleanly_and_recovers(rc, pg):
    targets = rc.targets + ["/healthz"]
    outage = 5.0
    with Load(rc.url, targets, timeout=20) as load:
        time.sleep(1.0)
        t_stop = time.monotonic()
        pg.stop()
        time.sleep(1.0)
        # During the outage every replica is still ready: the snapshot in
        # memory is served (/healthz, which asks the registry, is in the load).
        for p in rc.procs:
            assert p.get("/readyz", timeout=10).status_code == 200
        time.sleep(outage - 1.0)
        t_start = time.monotonic()
        pg.start()
        time.sleep(2.0)
    during = [o for o in load.outcomes if t_stop <= o.t < t_start]
    assert len(during) > 20, f"only {len(during)} requests during the outage"
    bad = [o for o in load.outcomes if not (o.status == 200 or clean_failure(o))]
    assert not bad, f"{len(bad)} of {len(load.outcomes)} requests neither succeeded nor failed cleanly:\n" \
                    f"{failures_text(bad)}"
    slow = [o for o in load.outcomes if o.secs > 10]
    assert not slow, f"requests that hung:\n{failures_text(slow)}"
    # The data routes never needed the database: only /healthz failed.
    assert {o.target for o in failed(load.outcomes)} <= {"/healthz"}, failures_text(failed(load.outcomes))
    assert any(o.target == "/healthz" and o.status == 503 for o in during), "the outage was never seen"

    # Recovery, by itself: every replica healthy again, and a publication
    # made now reaches all of them (the notification connection is back,
    # or the poll sees the generation).
    t0 = time.monotonic()
    healthy = seen_after(rc.procs, lambda http, base: http.get(base + "/healthz", timeout=5).status_code == 200,
                         t0, timeout=30)
    assert all(h is not None for h in healthy), f"not healthy 30 s after PostgreSQL restarted: {healthy}"
    publish_group(rc, "apres-panne", "ign")
    t1 = time.monotonic()
    seen = seen_after(rc.procs, shows_layer("apres-panne"), t1, timeout=30)
    print(f"\nhealthy again after {[round(h, 2) for h in healthy]} s; publication after the restart seen after "
          f"{[None if s is None else round(s, 3) for s in seen]} s")
    assert all(s is not None for s in seen), f"a publication after the restart was not seen by every replica: {seen}"
    # The notification connection may still be reconnecting (every second):
    # the generation poll (server.catalog_poll_ms, 1 s) is the fallback.
    assert max(seen) <= 1.0 + VISIBLE_WITHIN_S, f"after the restart, a publication took {seen} s to reach every replica"
