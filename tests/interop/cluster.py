"""The scale-out configuration of the suite (docs/deployment.md).

With GEOCENTRE_TEST_STORE=cluster, every data directory a test uses gets its
own PostgreSQL database as registry (a throwaway PostgreSQL + PostGIS server,
scripts/pg-test-cluster.sh), and every server a test starts is
GEOCENTRE_TEST_REPLICAS (3) `geocentre serve` replicas behind nginx, whose
address the test talks to. The default, GEOCENTRE_TEST_STORE=embedded, is the
single process on SQLite and local files.

The tests do not change: helpers.run_cli and helpers.Server add what this
module gives them.
"""
from __future__ import annotations

import hashlib
import os
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


def is_cluster() -> bool:
    return MODE == "cluster"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_PG_ADMIN = None


def pg_admin_url() -> str:
    """The admin URL of the test PostgreSQL server: GEOCENTRE_TEST_POSTGRES,
    or a throwaway server started now and stopped when this process ends."""
    global _PG_ADMIN
    if _PG_ADMIN is None:
        url = os.environ.get("GEOCENTRE_TEST_POSTGRES", "").strip()
        if not url:
            d = tempfile.mkdtemp(prefix="geocentre-pg-")
            r = subprocess.run(["bash", str(REPO_ROOT / "scripts/pg-test-cluster.sh"), "start", d,
                                str(free_port()), str(os.getpid())], capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise RuntimeError(f"scripts/pg-test-cluster.sh failed:\n{r.stderr}")
            url = r.stdout.strip()
        _PG_ADMIN = url
    return _PG_ADMIN


def psql(url: str, sql: str) -> str:
    r = subprocess.run(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"psql: {sql}: {r.stderr}")
    return r.stdout


_CATALOGS: dict = {}


def catalog_url(data_dir) -> str:
    """The PostgreSQL database that stands for `data_dir`'s registry, created
    and migrated on first use."""
    key = str(Path(data_dir).resolve())
    if key not in _CATALOGS:
        from helpers import geocentre_bin, child_env  # late: helpers imports this module
        name = "gc_" + hashlib.sha1(key.encode()).hexdigest()[:20]
        admin = pg_admin_url()
        if not psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip():
            psql(admin, f"CREATE DATABASE {name}")
        url = admin.rsplit("/", 1)[0] + "/" + name
        r = subprocess.run([str(geocentre_bin()), "--data-dir", key, "migrate"], capture_output=True, text=True,
                           timeout=120, env=child_env({"GEOCENTRE_CATALOG": url}), cwd=tempfile.gettempdir())
        if r.returncode != 0:
            raise RuntimeError(f"geocentre migrate on {url} failed:\n{r.stderr}")
        _CATALOGS[key] = url
    return _CATALOGS[key]


def store_env(data_dir) -> dict:
    """What a child process working on `data_dir` needs to find its stores."""
    if not is_cluster() or data_dir is None:
        return {}
    return {"GEOCENTRE_CATALOG": catalog_url(data_dir)}


def catalog_query(data_dir, sql: str) -> list:
    """Rows of a query on `data_dir`'s registry, whichever backend holds it
    (text values, as psql -A and sqlite3 print them)."""
    if is_cluster():
        out = psql(catalog_url(data_dir), sql)
        return [line.split("|") for line in out.splitlines() if line]
    import sqlite3
    con = sqlite3.connect(Path(data_dir) / "catalog.sqlite")
    try:
        return [[("" if v is None else str(v)) for v in row] for row in con.execute(sql).fetchall()]
    finally:
        con.close()


class Balancer:
    """nginx in front of the replicas: round robin, keep-alive to the
    upstreams, a failed connection retried on the next replica (what a load
    balancer in production does), bodies passed through to the replicas'
    own limits."""

    def __init__(self, upstreams, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.upstreams = list(upstreams)
        self.proc = None

    def config(self) -> str:
        d = self.workdir
        servers = "\n".join(f"    server {u} max_fails=0;" for u in self.upstreams)
        return f"""daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  upstream geocentre {{
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{self.port};
    client_max_body_size 0;
    location / {{
      proxy_pass http://geocentre;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout http_502 http_504 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
    }}
  }}
}}
"""

    def start(self):
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config())
        self.proc = subprocess.Popen(["nginx", "-p", str(self.workdir), "-c", str(conf)],
                                     stdout=subprocess.DEVNULL, stderr=open(self.workdir / "stderr.log", "wb"))
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start:\n{(self.workdir / 'stderr.log').read_text()}"
                           f"{(self.workdir / 'error.log').read_text() if (self.workdir / 'error.log').exists() else ''}")

    def reload(self, upstreams):
        """Points nginx at other replicas (a rolling restart), without
        dropping a request: nginx's graceful reload."""
        self.upstreams = list(upstreams)
        (self.workdir / "nginx.conf").write_text(self.config())
        subprocess.run(["nginx", "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf"), "-s", "reload"],
                       check=True, capture_output=True, timeout=30)

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
