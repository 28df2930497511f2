"""The scale-out configuration of the suite (docs/deployment.md).

With GEOCENTRE_TEST_STORE=cluster, every data directory a test uses gets its
own PostgreSQL database as registry (a throwaway PostgreSQL + PostGIS server,
scripts/pg-test-cluster.sh), and every server a test starts is
GEOCENTRE_TEST_REPLICAS (3) `geocentre serve` replicas behind HAProxy, whose
address the test talks to. The default, GEOCENTRE_TEST_STORE=embedded, is the
single process on SQLite and local files.

The tests do not change: helpers.run_cli and helpers.Server add what this
module gives them.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

MODE = os.environ.get("GEOCENTRE_TEST_STORE", "embedded")
if MODE not in ("embedded", "cluster"):
    raise RuntimeError(f"GEOCENTRE_TEST_STORE={MODE!r}: use embedded or cluster")
REPLICAS = int(os.environ.get("GEOCENTRE_TEST_REPLICAS", "3"))
# Where the imagery goes in the scale-out configuration: s3 (the default: a
# prefix of one bucket per data dir on a SeaweedFS started for the session)
# or local (the data dir's objects/, as embedded).
BLOBS = os.environ.get("GEOCENTRE_TEST_BLOBS", "s3")
if BLOBS not in ("s3", "local"):
    raise RuntimeError(f"GEOCENTRE_TEST_BLOBS={BLOBS!r}: use s3 or local")
SUITE_BUCKET = "geocentre-suite"


def is_cluster() -> bool:
    return MODE == "cluster"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_script(*args) -> str:
    r = subprocess.run(["bash", str(REPO_ROOT / "scripts/pg-test-cluster.sh"), *args], capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"scripts/pg-test-cluster.sh {' '.join(args)} failed:\n{r.stderr}")
    return r.stdout.strip()


class PgServer:
    """A throwaway PostgreSQL + PostGIS server (scripts/pg-test-cluster.sh)
    in a folder of its own, stopped when this process ends. It can be
    stopped and started again on the same folder and port (its databases
    and URLs unchanged): test_replicas restarts one under load."""

    def __init__(self):
        self.dir, self.port = tempfile.mkdtemp(prefix="geocentre-pg-"), free_port()
        self.admin_url = _pg_script("start", self.dir, str(self.port), str(os.getpid()))
        atexit.register(self._remove)

    def _remove(self):
        """At exit: the server stopped, its folder (about 25 MB a database,
        PostGIS included: gigabytes after a cluster run) removed by a
        detached `rm`, which takes a minute that the run need not wait."""
        try:
            self.stop()
        finally:
            subprocess.Popen(["rm", "-rf", "--", self.dir], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        """A fast shutdown: sessions are cut, as in a restart."""
        _pg_script("stop", self.dir)

    def start(self):
        _pg_script("start", self.dir, str(self.port))

    def catalog(self, name) -> str:
        """The URL of database `name`, created and migrated (`geocentre
        migrate`) if it does not exist yet."""
        from helpers import geocentre_bin, child_env  # late: helpers imports this module
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), name
        if not psql(self.admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip():
            # FILE_COPY: a quarter faster than PostgreSQL 15's default
            # (WAL_LOG) for the PostGIS template, with far less WAL.
            psql(self.admin_url, f"CREATE DATABASE {name} STRATEGY FILE_COPY")
        url = self.admin_url.rsplit("/", 1)[0] + "/" + name
        # Migrated with a scratch data dir: `migrate` creates its data dir,
        # and a test's data dir must not exist before the test makes it
        # (test_cli: a refused command creates no data directory).
        with tempfile.TemporaryDirectory(prefix="geocentre-migrate-") as scratch:
            r = subprocess.run([str(geocentre_bin()), "--data-dir", scratch, "migrate"], capture_output=True,
                               text=True, timeout=120, env=child_env({"GEOCENTRE_CATALOG": url}), cwd=scratch)
        if r.returncode != 0:
            raise RuntimeError(f"geocentre migrate on {url} failed:\n{r.stderr}")
        return url


class _External(PgServer):
    """The server GEOCENTRE_TEST_POSTGRES names: used, never stopped."""

    def __init__(self, url):  # noqa: super().__init__ would start a server
        self.dir, self.port, self.admin_url = None, None, url

    def stop(self):
        raise RuntimeError("GEOCENTRE_TEST_POSTGRES names a server this run did not start")

    start = stop


_PG = None


def pg_server() -> PgServer:
    """The suite's PostgreSQL server: GEOCENTRE_TEST_POSTGRES (an admin
    URL), or a throwaway one started on first use."""
    global _PG
    if _PG is None:
        url = os.environ.get("GEOCENTRE_TEST_POSTGRES", "").strip()
        _PG = _External(url) if url else PgServer()
    return _PG


def pg_admin_url() -> str:
    return pg_server().admin_url


def psql(url: str, sql: str) -> str:
    r = subprocess.run(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"psql: {sql}: {r.stderr}")
    return r.stdout


_CATALOGS: dict = {}


def catalog_url(data_dir) -> str:
    """The PostgreSQL database that stands for `data_dir`'s registry, on the
    suite's server, created and migrated on first use."""
    key = str(Path(data_dir).resolve())
    if key not in _CATALOGS:
        _CATALOGS[key] = pg_server().catalog("gc_" + hashlib.sha1(key.encode()).hexdigest()[:20])
    return _CATALOGS[key]


# Data dirs whose registry a test chose itself, in either configuration.
_PINNED: dict = {}


def pin_catalog(data_dir, url):
    """Makes `url` the registry of `data_dir` for every command and server
    the helpers start, in both configurations (test_replicas: replicas on
    one PostgreSQL catalog even in the embedded run). Its objects are then
    where its configuration says, never in the suite's bucket."""
    _PINNED[str(Path(data_dir).resolve())] = url


# Data dirs kept on the embedded stores (and their own configuration
# files) in either configuration: a test of the stores themselves.
_EMBEDDED: set = set()


def pin_embedded(data_dir):
    """Keeps `data_dir` on SQLite and on the blob store its configuration
    file names (test_s3_store: its own S3 server), in either configuration:
    the helpers add nothing to its commands and servers."""
    _EMBEDDED.add(str(Path(data_dir).resolve()))


# Data dirs whose objects are where their configuration file says (a test
# with its own S3 server), on the suite's registry.
_OWN_BLOBS: set = set()


def pin_own_blobs(data_dir):
    """Keeps `data_dir`'s objects out of the suite's bucket: its commands
    and servers get the registry of the configuration, not the object
    store (test_faults_s3 stops an S3 server of its own)."""
    _OWN_BLOBS.add(str(Path(data_dir).resolve()))


def _pinned_embedded(data_dir) -> bool:
    return data_dir is not None and str(Path(data_dir).resolve()) in _EMBEDDED


def _catalog_of(data_dir):
    """The PostgreSQL URL of `data_dir`'s registry, or None for SQLite."""
    if data_dir is None or _pinned_embedded(data_dir):
        return None
    pinned = _PINNED.get(str(Path(data_dir).resolve()))
    if pinned or not is_cluster():
        return pinned
    return catalog_url(data_dir)


_S3 = None


def s3_server():
    """The session's S3 server (scripts/s3-server.sh), started on first
    use, stopped and removed when this process ends. Its ports are a block
    of their own (18600-18799): test_s3_store and the benchmarks start
    their own servers elsewhere."""
    global _S3
    if _S3 is None:
        import s3_server as s3mod  # late: needs requests
        d = tempfile.mkdtemp(prefix="geocentre-s3-")
        _S3 = s3mod.start(d, SUITE_BUCKET, 18600, 18800)

        def _remove():
            s3mod.stop(d)
            subprocess.Popen(["rm", "-rf", "--", d], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(_remove)
    return _S3


def blobs_prefix(data_dir):
    """The key prefix of `data_dir`'s objects in the suite's bucket, or None
    when its objects are files (embedded, or GEOCENTRE_TEST_BLOBS=local)."""
    if data_dir is None or not is_cluster() or BLOBS != "s3" or _pinned_embedded(data_dir):
        return None
    key = str(Path(data_dir).resolve())
    if key in _PINNED or key in _OWN_BLOBS:
        # A test that chose the registry chose the object store too (its
        # configuration file: test_replicas, test_faults_s3, test_restore).
        return None
    return "d_" + hashlib.sha1(key.encode()).hexdigest()[:20]


def store_env(data_dir) -> dict:
    """What a child process working on `data_dir` needs to find its stores.
    A test that chooses its own stores overrides these in its env_extra
    (an empty GEOCENTRE_CATALOG / GEOCENTRE_BLOBS means the embedded store)
    or keeps its data dir out (pin_embedded, pin_own_blobs, pin_catalog)."""
    url = _catalog_of(data_dir)
    env = {"GEOCENTRE_CATALOG": url} if url else {}
    prefix = blobs_prefix(data_dir)
    if prefix:
        server = s3_server()
        env.update(server.env())
        env["GEOCENTRE_BLOBS"] = f"s3://{SUITE_BUCKET}/{prefix}"
    return env


def fetch_published(data_dir, rel):
    """Where the GeoPackages of `data_dir` are objects of the suite's bucket
    (blobs in a bucket keep none in the data directory): copies those under
    `rel` (`vector/<dataset>/g<ingest>`) to where the embedded store keeps
    them, so that a test reads them alike. Nothing to do otherwise."""
    prefix = blobs_prefix(data_dir)
    if prefix is None:
        return
    s3 = s3_server()
    for key in s3.list(f"{prefix}/{rel.strip('/')}/"):
        dest = Path(data_dir) / key[len(prefix) + 1:]
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(s3.get(key))


def stored_objects(data_dir, under=""):
    """The objects of `data_dir`'s blob store under `under` (a path such as
    `ortho/layer/2022`), as paths relative to the data dir, the way the
    embedded store lays them out (`objects/ortho/…`), whichever store holds
    them."""
    prefix = blobs_prefix(data_dir)
    if prefix is None:
        base = Path(data_dir) / "objects" / under
        if not base.is_dir():
            return []
        return sorted(str(f.relative_to(data_dir)) for f in base.rglob("*") if f.is_file())
    keys = s3_server().list(f"{prefix}/{under.strip('/')}/" if under else f"{prefix}/")
    return sorted("objects/" + k[len(prefix) + 1:] for k in keys)


# The servers of this configuration now running, by data dir (their
# replicas are what `settle` waits for).
_LIVE: dict = {}


def serving(server):
    _LIVE.setdefault(str(Path(server.data_dir).resolve()), []).append(server)


def stopped(server):
    servers = _LIVE.get(str(Path(server.data_dir).resolve()), [])
    if server in servers:
        servers.remove(server)


_GENERATION = re.compile(r"^geocentre_registry_generation(?:\{[^}]*\})? (\d+(?:\.\d+)?)$", re.M)


def settle(data_dir, timeout=5.0):
    """After a command on `data_dir`'s registry: waits until every replica
    serving it has loaded the registry's generation, so that a test written
    for one process (the command returned, so the server shows it) holds
    whichever replica answers next. A publication reaches every replica
    within a second (LISTEN/NOTIFY): test_replicas measures that, without
    this wait. Gives up silently after `timeout` (a test may have broken
    the registry on purpose; it checks what it expects itself)."""
    servers = _LIVE.get(str(Path(data_dir).resolve())) if data_dir is not None else None
    if not servers:
        return
    import requests  # late: the module is imported by tools without it
    rows = catalog_query(data_dir, "SELECT generation FROM catalog_state WHERE id = 1")
    if not rows:
        return
    want = int(rows[0][0])
    deadline = time.time() + timeout
    for server in servers:
        for r in server.replicas or []:
            while time.time() < deadline:
                try:
                    m = _GENERATION.search(requests.get(r.base_url + "/metrics", timeout=5,
                                                        proxies={"http": None}).text)
                    if m and float(m.group(1)) >= want:
                        break
                except requests.RequestException:
                    break  # a replica stopped or killed by the test
                time.sleep(0.02)


def catalog_query(data_dir, sql: str) -> list:
    """Rows of a statement on `data_dir`'s registry, whichever backend holds
    it (text values, as psql -A and sqlite3 print them). Several statements
    separated by `;` run in one transaction, committed at the end. Values
    are written into `sql` (tests quote their own constants): the two
    backends' placeholders differ."""
    url = _catalog_of(data_dir)
    if url:
        out = psql(url, f"BEGIN; {sql}; COMMIT")
        return [line.split("|") for line in out.splitlines() if line]
    import sqlite3
    con = sqlite3.connect(Path(data_dir) / "catalog.sqlite")
    try:
        rows = []
        with con:
            for stmt in (s for s in sql.split(";") if s.strip()):
                rows = con.execute(stmt).fetchall()
        return [[("" if v is None else str(v)) for v in row] for row in rows]
    finally:
        con.close()


# The response headers geocentre sends (its own, axum's, tower-http's CORS
# layer's, hyper's), and the usual ones besides. HAProxy writes header
# names in lower case; the replicas write them in title case (hyper's
# title_case_headers: some OGC clients, the CITE WMS 1.1.1 suite among
# them, look `Content-Type` up case-sensitively), and HAProxy gives these
# names that case back (h1-case-adjust). A header missing here goes out in
# lower case behind the balancer: test_conformance_views checks the
# capabilities' headers in the cluster configuration.
RESPONSE_HEADERS = """
accept-ranges access-control-allow-credentials access-control-allow-headers access-control-allow-methods
access-control-allow-origin access-control-expose-headers access-control-max-age age allow cache-control
connection content-crs content-disposition content-encoding content-language content-length content-location
content-range content-security-policy content-type cross-origin-opener-policy cross-origin-resource-policy date
etag expires keep-alive last-modified link location permissions-policy referrer-policy retry-after server
strict-transport-security trailer transfer-encoding upgrade vary www-authenticate x-content-type-options
x-frame-options
""".split()


def title_case(name: str) -> str:
    """`content-type` → `Content-Type`, as hyper writes a header name."""
    return "-".join(p[:1].upper() + p[1:] for p in name.split("-"))


class Balancer:
    """HAProxy in front of the replicas, configured as a transparent load
    balancer; docs/deployment.md ("Load balancer") gives the same
    configuration for production, and says why HAProxy rather than nginx.

    - Round robin, keep-alive to the replicas.
    - A request that fails on a replica before any answer came (connection
      refused, or closed with nothing answered: a replica killed, or
      restarting) is retried on another one (`retry-on`, `redispatch`).
      Every geocentre request is read-only (publishing is the CLI's), so a
      replay changes nothing.
    - Everything else passes through unchanged, so that the replicas' own
      limits and errors answer: the request line as sent (HAProxy neither
      decodes nor normalises the path), the methods HAProxy does not know,
      bytes RFC 3986 does not allow (`accept-invalid-http-request`: the
      replicas' parser decides), request heads up to 512 KB and 1000
      header lines (above hyper's own limits, ~400 KB and 100, past which a
      replica answers 431), bodies streamed at any size (the replica's body
      limit answers 413), answers streamed back, their header names in
      the replicas' title case (`h1-case-adjust`, RESPONSE_HEADERS).
    - What is not HTTP/1.1 at all HAProxy refuses itself with 400, as a
      replica would: a NUL or a space in the request line, two Host
      headers (RFC 9112 section 3.2).

    nginx was the first choice; it cannot be made transparent: it answers
    TRACE, `OPTIONS *`, a path whose dot segments (or %2e%2e) climb above
    the root, `%00`, duplicate or odd Host headers with its own HTML
    errors, whatever its configuration."""

    def __init__(self, upstreams, workdir: Path, host: str = "127.0.0.1", port: int = 0):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        # `make demo-cluster` gives the address; the tests take a free port.
        self.host = host
        self.port = port or free_port()
        self.upstreams = list(upstreams)
        self.proc = None

    def config(self) -> str:
        servers = "\n".join(f"    server r{i} {u}" for i, u in enumerate(self.upstreams))
        case = "\n".join(f"    h1-case-adjust {h} {title_case(h)}" for h in RESPONSE_HEADERS)
        return f"""global
    maxconn 4096
    # Header names go out in the case the replicas wrote them.
{case}
    # A request head up to 512 KB (less maxrewrite) and 1000 header lines
    # passes: the replicas' own limits (hyper: ~400 KB, 100 headers) answer.
    tune.bufsize 524288
    tune.maxrewrite 1024
    tune.http.maxhdr 1000

defaults
    mode http
    option accept-invalid-http-request
    option h1-case-adjust-bogus-client
    option forwardfor
    option http-keep-alive
    http-reuse safe
    # Retried on another replica: a connection refused, or closed before
    # any answer (a replica killed or restarting).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
    timeout connect 2s
    timeout client 300s
    timeout server 300s
    timeout http-request 10s
    timeout http-keep-alive 60s

frontend geocentre
    bind {self.host}:{self.port}
    default_backend replicas

backend replicas
    balance roundrobin
{servers}
"""

    def start(self):
        conf = self.workdir / "haproxy.cfg"
        conf.write_text(self.config())
        # Master-worker in the foreground: SIGUSR2 to the master reloads the
        # configuration, the old worker finishing what it serves.
        self.proc = subprocess.Popen(["haproxy", "-W", "-db", "-f", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=open(self.workdir / "stderr.log", "ab"))
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"haproxy did not start:\n{(self.workdir / 'stderr.log').read_text()}")

    def reload(self, upstreams):
        """Points the balancer at other replicas (a rolling restart) without
        dropping a request: HAProxy's graceful reload."""
        self.upstreams = list(upstreams)
        conf = self.workdir / "haproxy.cfg"
        conf.write_text(self.config())
        subprocess.run(["haproxy", "-c", "-q", "-f", str(conf)], check=True, capture_output=True, timeout=30)
        self.proc.send_signal(signal.SIGUSR2)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"
