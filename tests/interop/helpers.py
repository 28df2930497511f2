"""Shared helpers for the geocentre interoperability suite (tests/interop).

Nothing here knows what the server *should* return for a given tile: expected
pixels always come from the real source raster (read with GDAL) or from another
endpoint of the same server, so that every check can fail.
"""
from __future__ import annotations

import atexit
import io
import json
import math
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests

import cluster

# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]


# The repository carries everything the suite needs: the REAL data under
# data/ and the OFFICIAL schemas under schemas/ (each with its README giving
# source and licence). Nothing here reads anything outside the repository.
DATA = REPO_ROOT / "data"
SCHEMAS = REPO_ROOT / "schemas"


def geocentre_bin() -> Path:
    env = os.environ.get("GEOCENTRE_BIN")
    if env:
        p = Path(env)
        return p if p.is_absolute() else (REPO_ROOT / p)
    return REPO_ROOT / "target" / "debug" / "geocentre"


def rvb_tif() -> Path:
    """REAL DATA: the IGN RVB tile (252x252, 20 cm, EPSG:2154 with incomplete datum)."""
    return DATA / "ortho" / "ign-ortho-rvb-0m20-lamb93.tif"


def irc_tif() -> Path:
    """REAL DATA: the same IGN tile in infrared colour."""
    return DATA / "ortho" / "ign-ortho-irc-0m20-lamb93.tif"


def validate_xml_tool() -> Path:
    return REPO_ROOT / "tests" / "tools" / "validate-xml"


# Environment for child processes: never go through a proxy for the local
# server, and nothing of the caller's shell that the binary reads: every
# GEOCENTRE_* variable (GEOCENTRE_CONFIG, GEOCENTRE_DATA_DIR,
# and the suite's own GEOCENTRE_BIN / GEOCENTRE_TEST_*) is dropped; a test
# that wants one passes it in `extra`.
def child_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOCENTRE_")}
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(k, None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    if extra:
        env.update(extra)
    return env


_CHILD_ROOT = None


def child_cwd() -> Path:
    """A new empty working directory for one child process. The binary reads
    ./geocentre.toml from its working directory (and writes ./geocentre-data
    when no --data-dir is given): a child never runs in the caller's cwd, so
    a developer's geocentre.toml cannot change the program under test. A test
    that wants a working directory of its own passes `cwd`."""
    global _CHILD_ROOT
    if _CHILD_ROOT is None:
        _CHILD_ROOT = Path(tempfile.mkdtemp(prefix="geocentre-interop-cwd-"))
        atexit.register(shutil.rmtree, _CHILD_ROOT, True)
    return Path(tempfile.mkdtemp(dir=_CHILD_ROOT))


# The session's DERIVED `gaps` layer: the real tile plus a copy shifted by GAPS_SHIFT metres.
GAPS_SHIFT = (512.0, -512.0)
GAPS_TITLE = "Gaps test layer (derived from IGN ortho)"


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def run_cli(args, data_dir=None, timeout=300, env_extra=None, check_rc=None, cwd=None):
    """Runs the binary with a clean environment (child_env) in an empty
    working directory (child_cwd) unless `cwd` is given.

    In PostGIS mode (GEOCENTRE_TEST_VECTOR=postgis) a `vector ingest` that
    published is followed by `postgis_mirror`: the dataset is then read in
    place from PostGIS tables holding the same data, and every test that
    ingests vector data runs on the PostGIS backend unchanged."""
    cmd = [str(geocentre_bin())]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    cmd += [str(a) for a in args]
    cwd = cwd or child_cwd()
    # The data dir the stores are found for: --data-dir, or the
    # GEOCENTRE_DATA_DIR a test passes instead.
    store_dir = data_dir if data_dir is not None else (env_extra or {}).get("GEOCENTRE_DATA_DIR")
    extra = {**cluster.store_env(store_dir), **(env_extra or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=child_env(extra),
                          cwd=str(cwd))
    if VECTOR_BACKEND == "postgis" and data_dir is not None and proc.returncode in (0, 3):
        args = [str(a) for a in args]
        at = next((i for i in range(len(args) - 1) if args[i:i + 2] == ["vector", "ingest"]), None)
        if at is not None:
            postgis_mirror(data_dir, _option(args[at:], "--dataset"), args[:at], env_extra, cwd, timeout)
    cluster.settle(store_dir)
    if check_rc is not None:
        assert proc.returncode == check_rc, describe_proc(proc, f"expected exit status {check_rc}")
    return proc


def _option(args, name):
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    raise AssertionError(f"{name} not found in {args}")


# --------------------------------------------------------------------------
# PostGIS mode: GEOCENTRE_TEST_VECTOR=postgis
# --------------------------------------------------------------------------
#
# The vector tests run on the PostGIS backend (`geocentre vector connect`)
# without a change: after each `vector ingest`, the GeoPackages the ingest
# published are copied into a throwaway PostGIS database with ogr2ogr (the
# way an operator loads data) and the dataset is connected to those tables,
# replacing the GeoPackages. The copy is made from the published
# GeoPackages rather than from the delivered files so that both backends
# serve the same data: the ingest's work (CSV types, fields renamed to XML
# names, single and multi geometries stored as multi, identified CRSs) is
# not what is under test here. The tables carry the layer's title and the
# fields' titles as comments, as `connect` reads them.
#
# The server is Debian's PostgreSQL + PostGIS started by
# scripts/pg-test-cluster.sh for the session (stopped when pytest exits), or
# the one GEOCENTRE_TEST_POSTGRES names (an admin URL).

VECTOR_BACKEND = os.environ.get("GEOCENTRE_TEST_VECTOR", "gpkg")
assert VECTOR_BACKEND in ("gpkg", "postgis"), f"GEOCENTRE_TEST_VECTOR={VECTOR_BACKEND!r}: gpkg or postgis"
_PG = {"dbs": {}}


def _free_port():
    """A free TCP port on 127.0.0.1: one the system picks, or one of the
    range GEOCENTRE_TEST_PORTS names (`19000-19999`) where ports are shared."""
    import random
    import socket
    span = os.environ.get("GEOCENTRE_TEST_PORTS", "").strip()
    ports = [0]
    if span:
        lo, hi = (int(p) for p in span.split("-"))
        ports = random.sample(range(lo, hi + 1), hi - lo + 1)
    for port in ports:
        with socket.socket() as so:
            try:
                so.bind(("127.0.0.1", port))
            except OSError:
                continue
            return so.getsockname()[1]
    raise AssertionError(f"no free port in {span}")


def postgres_admin_url():
    """The admin URL of the session's PostgreSQL + PostGIS server (the one
    the scale-out configuration uses too: cluster.py)."""
    return cluster.pg_admin_url()


def psql(url, sql):
    proc = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                          capture_output=True, text=True, timeout=120, env=child_env())
    assert proc.returncode == 0, describe_proc(proc, "psql")
    return proc.stdout


def new_postgis_database():
    """A new, empty database (with PostGIS) on the session's server: its URL."""
    admin = postgres_admin_url()
    name = f"gc_interop_{os.getpid()}_{len(_PG['dbs'])}_{int(time.time() * 1000) % 100000}"
    psql(admin, f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    _PG["dbs"][name] = True
    return admin.rsplit("/", 1)[0] + "/" + name


def _pg_database(data_dir):
    key = ("dir", str(Path(data_dir).resolve()))
    if key not in _PG["dbs"]:
        _PG["dbs"][key] = new_postgis_database()
    return _PG["dbs"][key]


def sql_ident(name):
    return '"' + name.replace('"', '""') + '"'


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def ogr_pg(url):
    """A postgres:// URL as GDAL's PG: connection string."""
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    return (f"PG:host={u.hostname} port={u.port or 5432} user={urllib.parse.unquote(u.username or '')} "
            f"dbname={u.path.lstrip('/')}")


def copy_to_postgis(url, schema, gpkg, layer):
    """One layer of a GeoPackage into `schema`.`layer` with ogr2ogr, as an
    operator loads data: FID kept as the primary key, geometry `geom`,
    names as they are, the geometry column declared with the layer's type
    as recorded (`connect` advertises the declared type). A PostGIS column
    declared with a curve type accepts no plain polygon: the plain ones of a
    curve layer are stored as curve polygons with straight rings, which
    every service writes as it writes the polygons (WKT, in CSV, would
    name them CURVEPOLYGON)."""
    o = ogr().Open(str(gpkg))
    lyr = o.GetLayerByName(layer["table_name"])
    assert lyr is not None, f"{layer['table_name']} not in {gpkg}"
    fid = lyr.GetFIDColumn() or "fid"
    o = None
    args = ["ogr2ogr", "-f", "PostgreSQL", ogr_pg(url), str(gpkg), layer["table_name"],
            "-lco", f"SCHEMA={schema}", "-lco", "LAUNDER=NO", "-lco", "GEOMETRY_NAME=geom",
            "-lco", f"FID={fid}", "-preserve_fid", "-lco", "SPATIAL_INDEX=GIST", "-lco", "PRECISION=NO"]
    gt = layer["geometry_type"]
    curved = any(k in gt for k in ("Curve", "Circular", "Compound", "Surface"))
    if curved or "Unknown" in gt:
        args += ["-nlt", "GEOMETRY", "-dim", "XYZ" if layer["has_z"] else "XY"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, env=child_env())
    assert proc.returncode == 0 and "ERROR" not in proc.stderr, describe_proc(proc, "ogr2ogr into PostGIS")
    t = f"{sql_ident(schema)}.{sql_ident(layer['table_name'])}"
    comments = [f"COMMENT ON TABLE {t} IS {sql_text(layer['title'])}"]
    if curved:
        # "3D Curve Polygon" → geometry(CurvePolygonZ, srid). ogr2ogr's own
        # conversion (-nlt CURVEPOLYGON) loses the Z of compound curves.
        typ = gt.replace("3D ", "").replace(" ", "") + ("Z" if layer["has_z"] else "")
        comments.insert(0, f"ALTER TABLE {t} ALTER COLUMN geom TYPE geometry({typ}, {layer['srid']}) "
                           f"USING ST_ForceCurve(geom)")
    for f in layer["fields"]:
        if f.get("title"):
            comments.append(f"COMMENT ON COLUMN {t}.{sql_ident(f['name'])} IS {sql_text(f['title'])}")
    psql(url, "; ".join(comments))


def postgis_mirror(data_dir, dataset, global_args=(), env_extra=None, cwd=None, timeout=300):
    """Copies the published GeoPackages of `dataset` into PostGIS (one
    schema per ingest) and connects the dataset to those tables."""
    env = {**cluster.store_env(data_dir), **(env_extra or {})}

    def cli(args):
        return subprocess.run([str(geocentre_bin()), "--data-dir", str(data_dir), *global_args, *args],
                              capture_output=True, text=True, timeout=timeout, env=child_env(env),
                              cwd=str(cwd or child_cwd()))
    proc = cli(["vector", "list", "--json"])
    assert proc.returncode == 0, describe_proc(proc, "vector list (PostGIS mode)")
    sets = [d for d in json.loads(proc.stdout) if d["name"] == dataset]
    if not sets or not sets[0]["layers"] or any(l.get("postgis") for l in sets[0]["layers"]):
        return
    ds = sets[0]
    url = _pg_database(data_dir)
    schema = f"{dataset}_g{ds['ingest_id']}"
    psql(url, f"CREATE SCHEMA {sql_ident(schema)}")
    tables = []
    cluster.fetch_published(data_dir, ds["file"])
    for layer in ds["layers"]:
        copy_to_postgis(url, schema, Path(data_dir) / layer["file"], layer)
        tables += ["--table", f"{schema}.{layer['table_name']}"]
    proc = cli(["vector", "connect", "--dataset", dataset, "--postgres", url, *tables, "--json"])
    assert proc.returncode == 0, describe_proc(proc, f"vector connect of {dataset} (PostGIS mode)")


def describe_proc(proc, why=""):
    args = proc.args if isinstance(proc.args, str) else " ".join(map(str, proc.args))
    return (f"{why}\n$ {args}\nexit status: {proc.returncode}\n"
            f"--- stdout ---\n{_clip(proc.stdout)}\n--- stderr ---\n{_clip(proc.stderr)}")


def _clip(s, n=4000):
    s = s or ""
    return s if len(s) <= n else s[:n // 2] + "\n[...]\n" + s[-n // 2:]


def parse_single_json(proc):
    """Contract: with --json, stdout is exactly one JSON object."""
    out = proc.stdout.strip()
    try:
        obj = json.loads(out)
    except json.JSONDecodeError as e:
        raise AssertionError(describe_proc(proc, f"stdout is not exactly one JSON object ({e})"))
    assert isinstance(obj, dict), describe_proc(proc, "stdout JSON is not an object")
    return obj


def ingest(data_dir, layer, vintage, paths, extra=(), json_out=True, timeout=600):
    args = ["ortho", "ingest", "--layer", layer, "--vintage", str(vintage), *extra]
    if json_out:
        args.append("--json")
    args += [str(p) for p in paths]
    proc = run_cli(args, data_dir=data_dir, timeout=timeout)
    report = parse_single_json(proc) if json_out else None
    return proc, report


def ingest_vector(data_dir, dataset, paths, timeout=300):
    """`vector ingest --json` of `paths` as `dataset`, which must be published."""
    proc = run_cli(["vector", "ingest", "--dataset", dataset, "--json", *map(str, paths)],
                   data_dir=data_dir, timeout=timeout)
    assert proc.returncode == 0, describe_proc(proc, f"vector ingest of {dataset}")
    rep = parse_single_json(proc)
    assert rep.get("status") == "published", describe_proc(proc, "dataset not published")
    return rep


def admin_pcrs_server(tmp_path_factory, name):
    """A started server holding the Centre-Val de Loire départements (admin)
    and the Lyon PCRS sample (pcrs), ingested in a fresh data directory."""
    root = tmp_path_factory.mktemp(name)
    data = root / "data"
    data.mkdir()
    ingest_vector(data, "admin", [DATA / "admin" / "departements-centre-val-de-loire.geojson"])
    ingest_vector(data, "pcrs", [DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"])
    return Server(data_dir=data, log_path=root / "server.log").start()


def ortho_list(data_dir):
    proc = run_cli(["ortho", "list", "--json"], data_dir=data_dir, timeout=60)
    assert proc.returncode == 0, describe_proc(proc, "ortho list --json failed")
    return parse_single_json(proc)


def list_vintage(listing, layer, vintage):
    for l in listing.get("layers", []):
        if l.get("name") == layer:
            for v in l.get("vintages", []):
                if v.get("vintage") == vintage:
                    return v
    return None


def list_pending(listing, layer, vintage):
    return [p for p in listing.get("pending", []) if p.get("layer") == layer and p.get("vintage") == vintage]


TEMP_NAME = re.compile(r"(\.tmp|\.temp|\.part|\.partial|\.incomplete|\.building|\.swp|~|-journal)$|^\.?tmp"
                       r"|#\d*$",  # object_store's local staging file beside its target: `name#N`
                       re.IGNORECASE)

# The on-disk layout of an ortho ingest's build, as the catalog names it
# (ingest_base): objects/ortho/<layer>/<vintage>/g<ingest_id>/L<a>-<b>/<row>-<col>.tif
BUILD_DIR = re.compile(r"g(\d+)")


def ingest_builds(root, layer, vintage):
    """{ingest_id: [files, relative to root]} of the build folders of
    layer/vintage, in the data dir's objects/ or, in the scale-out
    configuration, its prefix of the bucket (cluster.stored_objects)."""
    under = f"ortho/{layer}/{vintage}"
    out = {}
    for rel in cluster.stored_objects(root, under):
        parts = rel.split("/")
        m = BUILD_DIR.fullmatch(parts[4]) if len(parts) > 5 else None
        assert m, f"unexpected object under objects/{under}: {rel} (layout changed?)"
        out.setdefault(int(m.group(1)), []).append(rel)
    return out


def leftovers(root, killed_id=None, final_id=None):
    """Temporary-looking names under a data dir, and, when the killed ingest
    `killed_id` is not the one published (`final_id`), any build folder of it
    (`g<killed_id>`, an exact match: ids are small integers)."""
    bad = []
    killed = (re.compile(rf"g0*{int(killed_id)}")
              if killed_id is not None and killed_id != final_id else None)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            if TEMP_NAME.search(name):
                bad.append(f"temporary-looking name: {rel}")
            elif killed is not None and killed.fullmatch(name):
                bad.append(f"left over from killed ingest {killed_id}: {rel}")
    if cluster.blobs_prefix(root):
        # The objects are in the bucket: the same names. (Parts of a
        # multipart upload cut by a kill are no object: `ortho gc` and the
        # bucket's lifecycle deal with them, test_s3_store / test_faults_s3.)
        for rel in cluster.stored_objects(root):
            parts = rel.split("/")
            if TEMP_NAME.search(parts[-1]):
                bad.append(f"temporary-looking object: {rel}")
            elif killed is not None and any(killed.fullmatch(p) for p in parts):
                bad.append(f"left over from killed ingest {killed_id}: {rel}")
    return bad


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------

LISTEN_RE = re.compile(r"^listening on (http://127\.0\.0\.1:(\d+))\s*$")


@dataclass
class Server:
    data_dir: Path
    log_path: Path
    proc: subprocess.Popen = None
    base_url: str = ""
    first_line: str = ""
    stdout_lines: list = field(default_factory=list)
    http: requests.Session = None
    # Global options before `serve` (e.g. ["--config", path]), variables added
    # to the clean child environment, and the working directory (default: a
    # new empty one, see child_cwd).
    args: list = field(default_factory=list)
    env_extra: dict = None
    cwd: Path = None

    # Set by the scale-out configuration (cluster.py): the replicas behind
    # the balancer this server's address is; `proc` is the first replica's.
    replicas: list = None
    balancer: object = None
    # One process even in the scale-out configuration (a test of the
    # process itself: signals, its own connection limits).
    single: bool = False
    # A replica appends to the log file it shares with the other replicas
    # (the service's log, as a log collector would gather it) instead of
    # starting it afresh.
    shared_log: bool = False

    def start(self, timeout=60, ready=True, config=None):
        """Starts `serve` and waits until /readyz answers 200 (the first
        snapshot is loaded), or only /healthz with ready=False. In the
        scale-out configuration, starts cluster.REPLICAS replicas and the
        balancer in front of them, and answers with the balancer's address."""
        if cluster.is_cluster() and not self.single:
            return self._start_cluster(timeout, ready, config)
        self._log = open(self.log_path, "ab" if self.shared_log else "wb")
        cmd = [str(geocentre_bin()), "--data-dir", str(self.data_dir), *map(str, self.args)]
        if config is not None:
            cmd += ["--config", str(config)]
        cmd += ["serve", "--bind", "127.0.0.1:0"]
        extra = {**cluster.store_env(self.data_dir), **(self.env_extra or {})}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log,
                                     env=child_env(extra), cwd=str(self.cwd or child_cwd()))
        q = queue.Queue()

        def pump():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                q.put(line)
            q.put(None)

        threading.Thread(target=pump, daemon=True).start()
        try:
            line = q.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise AssertionError(f"server printed nothing on stdout within {timeout}s; log:\n{self.log()}")
        if line is None:
            self.proc.wait(timeout=10)
            raise AssertionError(f"server exited (status {self.proc.returncode}) before printing its "
                                 f"address; log:\n{self.log()}")
        self.first_line = line
        m = LISTEN_RE.match(line)
        if not m:
            self.stop()
            raise AssertionError(f"first stdout line is {line!r}, expected 'listening on http://127.0.0.1:PORT'")
        self.base_url = m.group(1)
        assert int(m.group(2)) != 0, "server reports port 0"
        self.http = new_http()
        probe = "/readyz" if ready else "/healthz"
        deadline = time.time() + 30
        while True:
            try:
                if self.http.get(self.base_url + probe, timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                log = self.log()
                self.stop()
                raise AssertionError(f"{probe} never answered 200; log:\n{log}")
            time.sleep(0.1)
        return self

    def _start_cluster(self, timeout, ready, config):
        log = Path(self.log_path)
        log.write_bytes(b"")
        self.replicas = []
        for _ in range(cluster.REPLICAS):
            r = Server(data_dir=self.data_dir, log_path=log, args=self.args, env_extra=self.env_extra,
                       cwd=self.cwd, single=True, shared_log=True)
            self.replicas.append(r.start(timeout=timeout, ready=ready, config=config))
        first = self.replicas[0]
        self.proc, self.first_line, self.stdout_lines = first.proc, first.first_line, first.stdout_lines
        self.balancer = cluster.Balancer([r.base_url.removeprefix("http://") for r in self.replicas],
                                         log.with_name(f"{log.stem}-balancer")).start()
        self.base_url = self.balancer.url
        cluster.serving(self)
        self.http = new_http()
        probe = "/readyz" if ready else "/healthz"
        deadline = time.time() + 30
        while self.http.get(self.base_url + probe, timeout=5).status_code != 200:
            if time.time() > deadline:
                raise AssertionError(f"{probe} through the balancer never answered 200")
            time.sleep(0.1)
        return self

    def url(self, path):
        return self.base_url + path

    def processes(self):
        """The `serve` processes behind this server's address: its replicas
        in the scale-out configuration, else itself (for what each process
        keeps: /metrics, caches)."""
        return self.replicas or [self]

    def get(self, path, **kw):
        kw.setdefault("timeout", 60)
        return self.http.get(self.url(path), **kw)

    def head(self, path, **kw):
        kw.setdefault("timeout", 60)
        return self.http.head(self.url(path), **kw)

    def log(self):
        try:
            for r in self.replicas or [self]:
                r._log.flush()
            return _clip(Path(self.log_path).read_text(errors="replace"))
        except Exception:  # noqa: BLE001
            return "(no log)"

    def stop(self, timeout=15):
        """SIGTERM, wait; returns (returncode, seconds). Kills -9 if it hangs.
        Replicas: all of them, then the balancer; the first replica's result."""
        if self.replicas:
            cluster.stopped(self)
            results = [r.stop(timeout) for r in self.replicas]
            if self.balancer:
                self.balancer.stop()
            return results[0]
        if self.proc is None or self.proc.poll() is not None:
            return (self.proc.returncode if self.proc else None), 0.0
        t0 = time.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "hung (killed with SIGKILL)"
        return rc, time.time() - t0


def new_http():
    s = requests.Session()
    s.trust_env = False  # no proxies for 127.0.0.1
    return s


# --------------------------------------------------------------------------
# Tile matrix sets
# --------------------------------------------------------------------------

L93_TMS = "LAMB93_5cm_EPSG"
WM_TMS = "WebMercatorQuad"
L93_TOP_LEFT = (0.0, 12000000.0)
L93_RES0 = 209715.2
TILE = 256
OGC_PIXEL = 0.00028  # m, standardized rendering pixel size
WM_HALF = 20037508.342789244


def l93_res(level):
    return L93_RES0 / 2 ** level


def l93_tile_bounds(level, row, col):
    span = TILE * l93_res(level)
    minx = L93_TOP_LEFT[0] + col * span
    maxy = L93_TOP_LEFT[1] - row * span
    return (minx, maxy - span, minx + span, maxy)


def l93_tile_of(level, x, y):
    span = TILE * l93_res(level)
    return (int(math.floor((L93_TOP_LEFT[1] - y) / span)), int(math.floor((x - L93_TOP_LEFT[0]) / span)))


def l93_tile_range(level, bbox, eps=1e-6):
    """(minrow, maxrow, mincol, maxcol) of the tiles a bbox (minx,miny,maxx,maxy) touches."""
    minx, miny, maxx, maxy = bbox
    r0, c0 = l93_tile_of(level, minx + eps, maxy - eps)
    r1, c1 = l93_tile_of(level, maxx - eps, miny + eps)
    return r0, r1, c0, c1


def wm_res(z):
    return 2 * WM_HALF / (TILE * 2 ** z)


def wm_tile_bounds(z, x, y):
    span = 2 * WM_HALF / 2 ** z
    minx = -WM_HALF + x * span
    maxy = WM_HALF - y * span
    return (minx, maxy - span, minx + span, maxy)


def lonlat_to_wm(lon, lat):
    x = math.radians(lon) * 6378137.0
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137.0
    return x, y


def wm_tile_of(z, lon, lat):
    x, y = lonlat_to_wm(lon, lat)
    span = 2 * WM_HALF / 2 ** z
    return int((x + WM_HALF) // span), int((WM_HALF - y) // span)


# --------------------------------------------------------------------------
# Rasters (GDAL)
# --------------------------------------------------------------------------

def gdal():
    from osgeo import gdal as _g
    _g.UseExceptions()
    return _g


def ogr():
    from osgeo import ogr as _o
    _o.UseExceptions()
    return _o


def raster_info(path):
    g = gdal()
    ds = g.Open(str(path))
    gt = ds.GetGeoTransform()
    w, h = ds.RasterXSize, ds.RasterYSize
    bbox = (gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3])
    return ds, gt, bbox


def bbox_to_wgs84(bbox, epsg=2154):
    from osgeo import osr
    src = osr.SpatialReference()
    src.ImportFromEPSG(epsg)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    minx, miny, maxx, maxy = bbox
    pts = [ct.TransformPoint(x, y)[:2] for x in (minx, maxx) for y in (miny, maxy)]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def read_window(path, bbox, res):
    """Pixels of `path` over bbox at res (nearest), as (bands, h, w) uint8 via gdal.Translate."""
    g = gdal()
    minx, miny, maxx, maxy = bbox
    ds = g.Translate("/vsimem/window.tif", str(path), projWin=[minx, maxy, maxx, miny],
                     xRes=res, yRes=res, resampleAlg="nearest")
    arr = ds.ReadAsArray()
    ds = None
    g.Unlink("/vsimem/window.tif")
    return arr


def inner_bbox(rvb, margin_px):
    """The real tile's bbox shrunk by margin_px source pixels on every side."""
    px = abs(rvb["gt"][1])
    minx, miny, maxx, maxy = rvb["bbox"]
    m = margin_px * px
    return (round(minx + m, 6), round(miny + m, 6), round(maxx - m, 6), round(maxy - m, 6))


def gdal_wmts_readback(base_url, layer, bbox, tmp_dir, tms=L93_TMS, res=0.2):
    """gdal_translate through GDAL's WMTS driver (KVP GetCapabilities URL) -> (bands, h, w)."""
    conn = (f"WMTS:{base_url}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities,"
            f"layer={layer},tilematrixset={tms}")
    out = Path(tmp_dir) / f"readback-{layer}-{tms}.tif"
    minx, miny, maxx, maxy = bbox
    cmd = ["gdal_translate", "-q", "-projwin", repr(minx), repr(maxy), repr(maxx), repr(miny),
           "-tr", repr(res), repr(res), conn, str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180,
                       env=child_env({"GDAL_HTTP_TIMEOUT": "60", "CPL_CURL_VERBOSE": "NO",
                                      # GDAL's WMTS driver caches tiles (default ./gdalwmscache):
                                      # keep that in the test's tmp dir, never shared between runs.
                                      "GDAL_DEFAULT_WMS_CACHE_PATH": str(Path(tmp_dir) / "gdalwmscache")}))
    assert r.returncode == 0 and out.exists(), (
        f"GDAL WMTS read failed\n$ {' '.join(cmd)}\nexit {r.returncode}\n{_clip(r.stdout + r.stderr)}")
    g = gdal()
    ds = g.Open(str(out))
    arr = ds.ReadAsArray()
    gt = ds.GetGeoTransform()
    ds = None
    assert abs(gt[0] - minx) < 1e-3 and abs(gt[3] - maxy) < 1e-3 and abs(gt[1] - res) < 1e-9, \
        f"GDAL output grid {gt} is not the requested window {bbox} at {res} m"
    return arr


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def is_webp(b):
    return len(b) > 12 and b[:4] == b"RIFF" and b[8:12] == b"WEBP"


def decode(data):
    """Decode image bytes -> (PIL mode, np.ndarray HxWxC uint8)."""
    from PIL import Image
    im = Image.open(io.BytesIO(data))
    im.load()
    mode = im.mode
    if mode not in ("RGB", "RGBA"):
        im = im.convert("RGBA" if "A" in mode or "transparency" in im.info else "RGB")
    arr = np.asarray(im)
    return mode, arr


MAD_MAX, CORR_MIN = 6.0, 0.98  # per band; see test_wmts_gdal.py for how they were chosen


def passes(mads, corrs):
    return max(mads) < MAD_MAX and min(corrs) > CORR_MIN


def check_alignment(got, src, margin):
    """Compare `got` (bands, h, w) with the REAL source array `src` cropped by
    `margin` px on each side, at zero shift and at 1-px shifts (controls).
    Returns a list of problems (empty = aligned) and a report text."""
    h, w = got.shape[1:]

    def window_at(dx, dy):
        return src[:, margin + dy: margin + dy + h, margin + dx: margin + dx + w]

    mads, corrs = band_metrics(window_at(0, 0), got)
    lines = [f"shift (0,0): MAD {np.round(mads, 2)} corr {np.round(corrs, 4)}"]
    weak = []
    for dx, dy in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        m, c = band_metrics(window_at(dx, dy), got)
        lines.append(f"shift ({dx},{dy}): MAD {np.round(m, 2)} corr {np.round(c, 4)}")
        if passes(m, c):
            weak.append((dx, dy))
    problems = []
    if not passes(mads, corrs):
        problems.append("pixels do not match the source at the same coordinates")
    if weak:
        problems.append(f"thresholds do not reject a 1-pixel shift {weak}: test not discriminating")
    best = min(((dx, dy) for dx in range(-2, 3) for dy in range(-2, 3)),
               key=lambda d: float(np.mean(band_metrics(window_at(*d), got)[0])))
    if best != (0, 0):
        problems.append(f"best alignment is at a shift of {best} source pixels")
    return problems, "\n".join(lines)


def band_metrics(a, b, mask=None):
    """Per band mean abs diff and Pearson correlation of two (bands, h, w) arrays."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    mads, corrs = [], []
    for i in range(a.shape[0]):
        x, y = a[i], b[i]
        if mask is not None:
            x, y = x[mask], y[mask]
        x, y = x.ravel(), y.ravel()
        mads.append(float(np.abs(x - y).mean()))
        if x.std() == 0 or y.std() == 0:
            corrs.append(0.0)
        else:
            corrs.append(float(np.corrcoef(x, y)[0, 1]))
    return mads, corrs


# --------------------------------------------------------------------------
# WMTS capabilities
# --------------------------------------------------------------------------

NS = {
    "wmts": "http://www.opengis.net/wmts/1.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "xlink": "http://www.w3.org/1999/xlink",
}


def _t(el, path):
    x = el.find(path, NS)
    return x.text.strip() if x is not None and x.text else None


@dataclass
class TileMatrix:
    identifier: str
    scale: float
    top_left: tuple
    tile_w: int
    tile_h: int
    matrix_w: int
    matrix_h: int

    @property
    def res(self):
        return self.scale * OGC_PIXEL


@dataclass
class CapsLayer:
    identifier: str
    title: str
    formats: list
    styles: list
    wgs84_bbox: tuple
    links: dict          # tms id -> {tilematrix id: (minrow, maxrow, mincol, maxcol)} (may be empty)
    resource_urls: list  # (format, resourceType, template)


@dataclass
class Caps:
    root: ET.Element
    layers: dict
    tms: dict            # id -> {"crs": str, "matrices": [TileMatrix], "wellknown": str}
    gettile_kvp: list    # hrefs of the GetTile Gets whose GetEncoding constraint says KVP


def parse_caps(xml_bytes):
    root = ET.fromstring(xml_bytes)
    assert root.tag == "{http://www.opengis.net/wmts/1.0}Capabilities", f"root element is {root.tag}"
    contents = root.find("wmts:Contents", NS)
    assert contents is not None, "no wmts:Contents"
    layers = {}
    for L in contents.findall("wmts:Layer", NS):
        ident = _t(L, "ows:Identifier")
        bb = L.find("ows:WGS84BoundingBox", NS)
        wgs = None
        if bb is not None:
            lc = [float(v) for v in _t(bb, "ows:LowerCorner").split()]
            uc = [float(v) for v in _t(bb, "ows:UpperCorner").split()]
            wgs = (lc[0], lc[1], uc[0], uc[1])
        links = {}
        for lk in L.findall("wmts:TileMatrixSetLink", NS):
            tms_id = _t(lk, "wmts:TileMatrixSet")
            lim = {}
            for tml in lk.findall("wmts:TileMatrixSetLimits/wmts:TileMatrixLimits", NS):
                lim[_t(tml, "wmts:TileMatrix")] = (
                    int(_t(tml, "wmts:MinTileRow")), int(_t(tml, "wmts:MaxTileRow")),
                    int(_t(tml, "wmts:MinTileCol")), int(_t(tml, "wmts:MaxTileCol")))
            links[tms_id] = lim
        layers[ident] = CapsLayer(
            identifier=ident,
            title=_t(L, "ows:Title"),
            formats=[f.text.strip() for f in L.findall("wmts:Format", NS)],
            styles=[_t(s, "ows:Identifier") for s in L.findall("wmts:Style", NS)],
            wgs84_bbox=wgs,
            links=links,
            resource_urls=[(r.get("format"), r.get("resourceType"), r.get("template"))
                           for r in L.findall("wmts:ResourceURL", NS)],
        )
    tms = {}
    for S in contents.findall("wmts:TileMatrixSet", NS):
        mats = []
        for M in S.findall("wmts:TileMatrix", NS):
            tl = [float(v) for v in _t(M, "wmts:TopLeftCorner").split()]
            mats.append(TileMatrix(
                identifier=_t(M, "ows:Identifier"), scale=float(_t(M, "wmts:ScaleDenominator")),
                top_left=tuple(tl), tile_w=int(_t(M, "wmts:TileWidth")), tile_h=int(_t(M, "wmts:TileHeight")),
                matrix_w=int(_t(M, "wmts:MatrixWidth")), matrix_h=int(_t(M, "wmts:MatrixHeight"))))
        tms[_t(S, "ows:Identifier")] = {"crs": _t(S, "ows:SupportedCRS"), "matrices": mats,
                                        "wellknown": _t(S, "wmts:WellKnownScaleSet")}
    hrefs = []
    for op in root.findall("ows:OperationsMetadata/ows:Operation", NS):
        if op.get("name") == "GetTile":
            for g in op.findall("ows:DCP/ows:HTTP/ows:Get", NS):
                encodings = [v.text for v in g.findall("ows:Constraint[@name='GetEncoding']/ows:AllowedValues/ows:Value",
                                                       NS)]
                if not encodings or "KVP" in encodings:
                    hrefs.append(g.get("{http://www.w3.org/1999/xlink}href"))
    return Caps(root=root, layers=layers, tms=tms, gettile_kvp=hrefs)


def l93_level_of(tm: TileMatrix):
    """Level n such that res == 209715.2 / 2^n (asserts it is one)."""
    n = round(math.log2(L93_RES0 / tm.res))
    assert abs(tm.res - l93_res(n)) <= 1e-6 * l93_res(n), \
        f"TileMatrix {tm.identifier}: resolution {tm.res} m is not 209715.2/2^n"
    return n


def matrix_for_level(caps, tms_id, level):
    for tm in caps.tms[tms_id]["matrices"]:
        if tms_id == L93_TMS:
            if l93_level_of(tm) == level:
                return tm
        elif abs(tm.res - wm_res(level)) <= 1e-6 * wm_res(level):
            return tm
    raise AssertionError(f"{tms_id} has no TileMatrix for level {level}")


def fill_template(template, tms, tm, row, col, style="default", time="current"):
    out = template
    for k, v in (("{TileMatrixSet}", tms), ("{TileMatrix}", tm), ("{TileRow}", row),
                 ("{TileCol}", col), ("{Style}", style), ("{style}", style), ("{Time}", time)):
        out = out.replace(k, str(v))
    assert "{" not in out, f"unfilled placeholder in ResourceURL template {template!r} -> {out!r}"
    return out


def wmts_kvp(layer, tms, tm, row, col, fmt="image/jpeg", style="default"):
    q = (f"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE={style}"
         f"&TILEMATRIXSET={tms}&TILEMATRIX={tm}&TILEROW={row}&TILECOL={col}")
    if fmt is not None:
        q += f"&FORMAT={fmt}"
    return q


# --------------------------------------------------------------------------
# OWS exception reports
# --------------------------------------------------------------------------

def parse_exception_report(body):
    root = ET.fromstring(body)
    assert root.tag == "{http://www.opengis.net/ows/1.1}ExceptionReport", \
        f"root element is {root.tag}, expected ows 1.1 ExceptionReport"
    out = []
    for e in root.findall("ows:Exception", NS):
        out.append({"code": e.get("exceptionCode"), "locator": e.get("locator"),
                    "texts": [t.text for t in e.findall("ows:ExceptionText", NS)]})
    return root, out


def validate_xml(data: bytes, tmp_dir: Path, name: str, schema=None):
    """Run tests/tools/validate-xml on data (with --schema when given); returns (ok, output)."""
    p = Path(tmp_dir) / name
    p.write_bytes(data)
    cmd = [str(validate_xml_tool())]
    if schema is not None:
        cmd += ["--schema", str(schema)]
    r = subprocess.run(cmd + [str(p)], capture_output=True, text=True, timeout=120)
    lines, seen = [], set()
    for line in (r.stdout + r.stderr).splitlines():
        if "Schemas parser warning" in line:
            continue  # schema-import noise from the schemas' catalog, not about the document
        key = re.sub(r"^\S+:\d+: ", "", line)
        if key not in seen:
            seen.add(key)
            lines.append(line)
    if len(lines) > 25:
        lines = lines[:25] + [f"[... {len(lines) - 25} more distinct messages]"]
    return r.returncode == 0, "\n".join(lines)


# --------------------------------------------------------------------------
# Wrapper schemas (validate-xml picks one schema from the root element; some
# documents need several namespaces' schemas at once)
# --------------------------------------------------------------------------

INSPIRE_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "inspire"
WMS_130_XSD = "ogc/wms/1.3.0/capabilities_1_3_0.xsd"
ISO19139 = "ogc/iso/19139/20070417"


def _wrapper_schema(tmp_dir, name, imports):
    """A schema without target namespace that only imports (namespace, absolute path) pairs."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">']
    for ns, loc in imports:
        assert Path(loc).is_file(), f"schema not found: {loc}"
        lines.append(f'  <xs:import namespace="{ns}" schemaLocation="{Path(loc).resolve()}"/>')
    lines.append("</xs:schema>")
    p = Path(tmp_dir).resolve() / name
    p.write_text("\n".join(lines) + "\n")
    return p


def wfs_app_schema(describe_xml: str, tmp_dir: Path) -> Path:
    """A schema for validating WFS 2.0 documents holding our features: the
    served DescribeFeatureType (its GML import pointed at the local copy of
    the official GML 3.2.1) beside the OFFICIAL wfs.xsd."""
    schemas = SCHEMAS / "ogc"
    app = Path(tmp_dir).resolve() / "app.xsd"
    app.write_text(describe_xml.replace("http://schemas.opengis.net/gml/3.2.1/gml.xsd",
                                        str(schemas / "gml/3.2.1/gml.xsd")))
    return _wrapper_schema(tmp_dir, "wfs-app.xsd", [
        ("http://www.opengis.net/wfs/2.0", schemas / "wfs/2.0/wfs.xsd"),
        ("urn:x-geocentre:features", app),
    ])


def validate_wms_capabilities_inspire(data: bytes, tmp_dir: Path, name: str = "wms-caps-inspire.xml"):
    """Validate WMS 1.3.0 capabilities that carry inspire_vs:ExtendedCapabilities.

    The OFFICIAL WMS 1.3.0 schema (schemas/) validates the whole
    document; the INSPIRE element in wms:_ExtendedCapabilities is checked
    against tests/fixtures/inspire/inspire_vs.xsd + inspire_common.xsd, a LOCAL
    TRANSCRIPTION of the scenario-1 part of the official INSPIRE schemas (not
    reachable offline; see the comments in those files). Returns (ok, output)."""
    wrapper = _wrapper_schema(tmp_dir, "wms130+inspire_vs.xsd", [
        ("http://www.opengis.net/wms", SCHEMAS / WMS_130_XSD),
        ("http://inspire.ec.europa.eu/schemas/inspire_vs/1.0", INSPIRE_FIXTURES / "inspire_vs.xsd"),
    ])
    return validate_xml(data, tmp_dir, name, schema=wrapper)


def validate_wmts_capabilities_inspire(data: bytes, tmp_dir: Path, name: str = "wmts-caps-inspire.xml"):
    """Validate WMTS 1.0 capabilities carrying inspire_vs_ows11:ExtendedCapabilities
    (in the substitution group of ows:ExtendedCapabilities): the OFFICIAL WMTS 1.0
    schema validates the document, the INSPIRE element is checked against
    tests/fixtures/inspire/inspire_vs_ows11.xsd, a LOCAL TRANSCRIPTION of the
    official schema (not reachable offline). Returns (ok, output)."""
    wrapper = _wrapper_schema(tmp_dir, "wmts10+inspire_vs_ows11.xsd", [
        ("http://www.opengis.net/wmts/1.0", SCHEMAS / "ogc/wmts/1.0/wmtsGetCapabilities_response.xsd"),
        ("http://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0", INSPIRE_FIXTURES / "inspire_vs_ows11.xsd"),
    ])
    return validate_xml(data, tmp_dir, name, schema=wrapper)


def validate_wfs_capabilities_inspire(data: bytes, tmp_dir: Path, name: str = "wfs-caps-inspire.xml"):
    """Validate WFS 2.0 capabilities carrying inspire_dls:ExtendedCapabilities in
    ows:ExtendedCapabilities: the OFFICIAL wfs.xsd validates the document, and the
    INSPIRE element (laxly processed there) is checked against
    tests/fixtures/inspire/inspire_dls.xsd, a LOCAL TRANSCRIPTION of the official
    schema (not reachable offline). Returns (ok, output)."""
    wrapper = _wrapper_schema(tmp_dir, "wfs20+inspire_dls.xsd", [
        ("http://www.opengis.net/wfs/2.0", SCHEMAS / "ogc/wfs/2.0/wfs.xsd"),
        ("http://inspire.ec.europa.eu/schemas/inspire_dls/1.0", INSPIRE_FIXTURES / "inspire_dls.xsd"),
    ])
    return validate_xml(data, tmp_dir, name, schema=wrapper)


def validate_iso19139(data: bytes, tmp_dir: Path, name: str = "iso19139.xml"):
    """Validate an ISO 19139 gmd:MD_Metadata record, service records (srv:) and
    INSPIRE register anchors (gmx:Anchor) included, against the official gco +
    gmd + gmx + srv schemas of schemas/ (validate-xml alone loads gmd.xsd, which
    declares neither srv:SV_ServiceIdentification nor gmx:Anchor; the INSPIRE
    validator's own wrapper imports the same three).
    Returns (ok, output)."""
    base = SCHEMAS / ISO19139
    wrapper = _wrapper_schema(tmp_dir, "iso19139-gco-gmd-gmx-srv.xsd", [
        ("http://www.isotc211.org/2005/gco", base / "gco" / "gco.xsd"),
        ("http://www.isotc211.org/2005/gmd", base / "gmd" / "gmd.xsd"),
        ("http://www.isotc211.org/2005/gmx", base / "gmx" / "gmx.xsd"),
        ("http://www.isotc211.org/2005/srv", base / "srv" / "1.0" / "srv.xsd"),
    ])
    return validate_xml(data, tmp_dir, name, schema=wrapper)


def wfs11_schema(tmp_dir: Path, describe_xml: str = None, inspire: bool = False) -> Path:
    """A schema for validating WFS 1.1.0 documents: the OFFICIAL wfs 1.1.0, filter
    1.1.0, OWS 1.0.0 and GML 3.1.1 schemas of schemas/. GML is imported
    first, by its local path: the filter 1.1.0 files include each other in a cycle
    and import a part of GML by URL, which libxml2 otherwise loads twice and refuses
    ("already exists"). With describe_xml, the served DescribeFeatureType is added
    (its GML import pointed at the same local GML 3.1.1); with inspire, the local
    transcription of inspire_dls.xsd (see validate_wfs_capabilities_inspire)."""
    schemas = SCHEMAS / "ogc"
    gml = (schemas / "gml/3.1.1/base/gml.xsd").resolve()
    imports = [
        ("http://www.opengis.net/gml", gml),
        ("http://www.opengis.net/ogc", schemas / "filter/1.1.0/filter.xsd"),
        ("http://www.opengis.net/ows", schemas / "ows/1.0.0/owsAll.xsd"),
        ("http://www.opengis.net/wfs", schemas / "wfs/1.1.0/wfs.xsd"),
    ]
    name = "wfs11"
    if describe_xml is not None:
        app = Path(tmp_dir).resolve() / "app11.xsd"
        app.write_text(describe_xml.replace("http://schemas.opengis.net/gml/3.1.1/base/gml.xsd", str(gml)))
        imports.append(("urn:x-geocentre:features", app))
        name += "-app"
    if inspire:
        imports.append(("http://inspire.ec.europa.eu/schemas/inspire_dls/1.0", INSPIRE_FIXTURES / "inspire_dls.xsd"))
        name += "-inspire"
    return _wrapper_schema(tmp_dir, name + ".xsd", imports)


def validate_ows10_exception(data: bytes, tmp_dir: Path, name: str = "ows10-exc.xml"):
    """Validate an OWS 1.0.0 ows:ExceptionReport (WFS 1.1.0) against the OFFICIAL
    owsExceptionReport.xsd 1.0.0. Returns (ok, output)."""
    return validate_xml(data, tmp_dir, name, schema="ogc/ows/1.0.0/owsExceptionReport.xsd")
