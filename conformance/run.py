#!/usr/bin/env python3
"""`make conformance`: the official OGC CITE and INSPIRE test suites against
a running geocentre, and docs/conformance.md written from the run.

    conformance/run.py [--bin target/debug/geocentre] [--only ID,...] [--no-docs] [--cluster]

1. builds the CITE suites (conformance/cite/build.sh; Maven, cached in ~/.m2);
2. loads three instances through the normal CLI, each in its own data
   directory: the demo region (`geocentre demo --no-serve`), the CITE WMS
   data set (the shapefiles the WMS suites ship, `vector ingest` and one
   `group set` per layer so that the names and titles are the ones the suites
   look for: see load_cite_instance) and the CITE CSW records (the twelve
   csw:Record files of ets-csw202, `catalog import` into an otherwise empty
   data directory: see load_csw_instance);
3. serves them on free loopback ports, with an offline schema proxy for the
   suites' JVM;
4. runs every suite, writes one JSON result per suite in
   target/conformance/results, the table on stdout and docs/conformance.md;
5. exits 1 if a suite has a failure that conformance/known-failures.toml does
   not explain (or if a suite did not run): the gate `make test` applies.

With --cluster (`make conformance-cluster`), the same suites run against the
scale-out configuration of tests/interop/cluster.py: each instance's registry
is a PostgreSQL database, its imagery a prefix of a bucket on a real S3
server (SeaweedFS), and it is served by cluster.REPLICAS replicas behind
HAProxy, whose address the suites are given. The same known failures apply;
docs/conformance.md is written from the embedded run only.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import cite  # noqa: E402
import report  # noqa: E402
import schema_proxy  # noqa: E402

# The suites talk to 127.0.0.1 directly; a proxy from the environment would
# capture the JVM's and urllib's requests.
for _k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_k, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

CITE_DATA = os.path.join(HERE, "cite", "vendor", "ets-wms13-1.34", "src", "main", "resources", "data", "shapefile")
# The reference records of ets-csw202 (copied from the suite's
# src/main/resources/data, tests/fixtures/csw-cite/README.md).
CSW_RECORDS = os.path.join(ROOT, "tests", "fixtures", "csw-cite")
# The CITE WMS data set's layers (ets-wms13 main:data-preconditions wants them
# titled cite:<Name>; queryable tests name BasicPolygons, Forests, Lakes, NamedPlaces).
CITE_LAYERS = [
    "Autos", "BasicPolygons", "Bridges", "Buildings", "DividedRoutes", "Forests", "Lakes",
    "MapNeatline", "NamedPlaces", "Ponds", "RoadSegments", "Streams",
]


def log(msg: str) -> None:
    print(f"conformance: {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# tests/interop/cluster.py, imported by main() with --cluster: the stores
# and the balancer of the scale-out configuration.
CLUSTER = None


def store_env(data: str) -> dict:
    """The environment of a command or replica on `data`: its stores in the
    scale-out configuration, nothing added otherwise."""
    return {**os.environ, **(CLUSTER.store_env(data) if CLUSTER else {})}


def cli(binary: str, data: str, *args: str, logf) -> None:
    cmd = [binary, "--data-dir", data, *args]
    p = subprocess.run(cmd, stdout=logf, stderr=subprocess.STDOUT, cwd=ROOT, env=store_env(data))
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {p.returncode} (log: {logf.name})")


def load_demo(binary: str, data: str, logf) -> None:
    cli(binary, data, "demo", "--source", "data", "--no-serve", logf=logf)


def load_cite_instance(binary: str, data: str, logf) -> None:
    """The CITE WMS data set, through the normal ingest: the suite's own
    shapefiles (WGS 84, with .prj) as one dataset `cite`, and one single-layer
    group per layer, named <Name> and titled cite:<Name>, which is how the
    suites find them. Nothing in the server knows about this data set."""
    shps = [os.path.join(CITE_DATA, f"{n}.shp") for n in CITE_LAYERS]
    cli(binary, data, "vector", "ingest", "--dataset", "cite", "--title", "CITE WMS data set (OGC, ets-wms13)",
        *shps, logf=logf)
    for n in CITE_LAYERS:
        cli(binary, data, "group", "set", "--title", f"cite:{n}", n, f"cite.{n}", logf=logf)
    # Imagery too, so that the WMS suites' per-layer tests (GetMap of each
    # layer, CRS and bbox handling, GetFeatureInfo on a raster) cover an ortho
    # layer as the platform serves it: the demo's real IGN dalle (data/ortho).
    cli(binary, data, "ortho", "ingest", "--layer", "ortho-ign", "--vintage", "2021", "--title",
        "Orthophotographie IGN (extrait)", "--producer", "IGN", os.path.join(ROOT, "data", "ortho", "ign-ortho-rvb-0m20-lamb93.tif"),
        logf=logf)


def load_csw_instance(binary: str, data: str, logf) -> None:
    """The catalogue ets-csw202 expects: its twelve Dublin Core csw:Record
    files, imported through the normal CLI into a data directory where nothing
    else is published. The suite's counts, sort orders and bounding-box checks
    assume these records and no others (conformance/README.md, "ets-csw202"),
    which is why they are not added to the demo or cite instance."""
    records = sorted(os.path.join(CSW_RECORDS, f) for f in os.listdir(CSW_RECORDS)
                     if f.startswith("Record_") and f.endswith(".xml"))
    if len(records) != 12:
        raise RuntimeError(f"expected the 12 ets-csw202 records in {CSW_RECORDS}, found {len(records)}")
    cli(binary, data, "catalog", "import", *records, logf=logf)


# How each instance (cite.Suite.instance) is loaded into its data directory.
LOADERS = {"demo": load_demo, "cite": load_cite_instance, "csw": load_csw_instance}


class Replica:
    def __init__(self, binary: str, data: str, logpath: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(logpath, "w")
        self.proc = subprocess.Popen(
            [binary, "--data-dir", data, "serve", "--bind", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True, env=store_env(data),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode} (log: {logpath})")
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not answer /readyz in 60 s (log: {logpath})")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


class Server:
    """One replica, or with --cluster CLUSTER.REPLICAS of them behind
    HAProxy (the suites then talk to the balancer only)."""

    def __init__(self, binary: str, data: str, logpath: str):
        n = CLUSTER.REPLICAS if CLUSTER else 1
        stem = logpath.removesuffix(".log")
        self.replicas = [Replica(binary, data, logpath if n == 1 else f"{stem}-r{i}.log") for i in range(n)]
        self.balancer = None
        self.base = self.replicas[0].base
        if CLUSTER:
            self.balancer = CLUSTER.Balancer([r.base.removeprefix("http://") for r in self.replicas],
                                             CLUSTER.Path(stem + "-haproxy")).start()
            self.base = self.balancer.url

    def stop(self) -> None:
        if self.balancer:
            self.balancer.stop()
        for r in self.replicas:
            r.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("GEOCENTRE_BIN", "target/debug/geocentre"))
    ap.add_argument("--work", default="target/conformance")
    ap.add_argument("--only", default="", help="comma-separated suite ids (default: all)")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/conformance.md")
    ap.add_argument("--no-build", action="store_true", help="use the suites already built")
    ap.add_argument("--cluster", action="store_true",
                    help="PostgreSQL + S3 stores, replicas behind HAProxy (tests/interop/cluster.py)")
    a = ap.parse_args()
    if a.cluster:
        global CLUSTER
        os.environ["GEOCENTRE_TEST_STORE"] = "cluster"
        os.environ.setdefault("GEOCENTRE_BIN", os.path.abspath(os.path.join(ROOT, a.bin)))
        sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
        import cluster  # noqa: E402 (its mode is read from the environment at import)
        CLUSTER = cluster
        if a.work == "target/conformance":
            a.work = "target/conformance-cluster"
        a.no_docs = True
    binary = os.path.abspath(os.path.join(ROOT, a.bin))
    work = os.path.abspath(os.path.join(ROOT, a.work))
    only = {s for s in a.only.split(",") if s}
    t0 = time.time()
    # The suites' build is shared by both configurations' runs.
    cite_build = os.path.join(ROOT, "target", "conformance", "cite")

    if not a.no_build:
        log("building the CITE suites")
        subprocess.run(["bash", os.path.join(HERE, "cite", "build.sh")], check=True,
                       env={**os.environ, "CITE_BUILD": cite_build})
    results_dir = os.path.join(work, "results")
    shutil.rmtree(results_dir, ignore_errors=True)
    os.makedirs(results_dir)

    suites = [s for s in cite.SUITES if not only or s.id in only]
    inspire = [m for m in ("metadata", "services") if not only or f"inspire-{m}" in only]
    inspire = [m for m in inspire if os.path.exists(os.path.join(HERE, "inspire", f"{m}.py"))]
    instances = {s.instance for s in suites} | ({"demo"} if inspire else set())

    servers: dict[str, Server] = {}
    errors: list[str] = []
    proxy, misses = schema_proxy.start(os.path.join(ROOT, "schemas"))
    try:
        for inst in sorted(instances):
            data = os.path.join(work, f"data-{inst}")
            shutil.rmtree(data, ignore_errors=True)
            log(f"loading the {inst} instance")
            try:
                with open(os.path.join(work, f"load-{inst}.log"), "w") as lf:
                    LOADERS[inst](binary, data, lf)
                servers[inst] = Server(binary, data, os.path.join(work, f"server-{inst}.log"))
            except RuntimeError as e:
                # The suites on the other instances still run; these count as not run.
                errors.append(f"instance {inst}: {e}")
                log(f"the {inst} instance could not be loaded or served: {e}")
                continue
            log(f"{inst} instance on {servers[inst].base}")
        for s in suites:
            if s.instance not in servers:
                errors.append(f"{s.id}: not run, its instance ({s.instance}) is not up")
                continue
            log(f"running {s.version} against {s.target}")
            t = time.time()
            try:
                res = cite.run(s, cite_build, servers[s.instance].base, os.path.join(work, "runs"),
                               proxy.server_address[1])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                errors.append(f"{s.id}: {e}")
                log(f"{s.id} did not run: {e}")
                continue
            res["seconds"] = round(time.time() - t, 1)
            with open(os.path.join(results_dir, f"{s.id}.json"), "w") as f:
                json.dump(res, f, indent=1, ensure_ascii=False)
        for m in inspire:
            if "demo" not in servers:
                errors.append(f"inspire-{m}: not run, the demo instance is not up")
                continue
            log(f"running the INSPIRE {m} suites")
            p = subprocess.run([sys.executable, os.path.join(HERE, "inspire", f"{m}.py"), "--base-url",
                                servers["demo"].base, "--out", results_dir, "--work", os.path.join(work, "inspire")])
            if p.returncode != 0:
                errors.append(f"inspire-{m}: harness exited {p.returncode}")
    finally:
        for srv in servers.values():
            srv.stop()
        proxy.shutdown()
    if misses:
        with open(os.path.join(work, "proxy-misses.log"), "w") as f:
            f.write("\n".join(misses) + "\n")
        log(f"{len(misses)} documents the suites asked for are not available offline (see {work}/proxy-misses.log)")

    results = report.load(results_dir)
    known = report.load_known(os.path.join(HERE, "known-failures.toml"))
    table, unexplained, stale = report.evaluate(results, known)
    print(table)
    if not a.no_docs and not only:
        report.write_docs(results, known, os.path.join(ROOT, "docs", "conformance.md"),
                          duration=time.time() - t0)
        log("docs/conformance.md written")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    for u in unexplained:
        print(f"unexplained failure: {u}", file=sys.stderr)
    for s in stale:
        print(f"note: known failure no longer fails (remove it from known-failures.toml): {s}", file=sys.stderr)
    log(f"done in {time.time() - t0:.0f} s")
    return 1 if errors or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
