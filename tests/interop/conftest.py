"""Fixtures of the geocentre interoperability suite.

Run from the repository root:
    .venv/bin/python -m pytest -q tests/interop

Environment:
    GEOCENTRE_BIN      the binary (default target/debug/geocentre, relative to the repo root)
    GEOCENTRE_TEST_CRASH_DALLES / GEOCENTRE_TEST_CRASH_SIZE   size of the kill -9 batch
    GEOCENTRE_TEST_VECTOR=postgis   every ingested vector dataset is copied into PostGIS and
                       connected in place (helpers.postgis_mirror; `make test-postgis-vector`)
    GEOCENTRE_TEST_POSTGRES   an admin URL of a PostgreSQL + PostGIS server to use (else one is started)
    GEOCENTRE_TEST_PORTS      lo-hi: where helpers._free_port picks (the PostgreSQL it starts itself)
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))

import derived  # noqa: E402
import helpers  # noqa: E402
from helpers import Server, ingest, raster_info  # noqa: E402

# In-process HTTP clients (requests, OWSLib) must reach 127.0.0.1 directly.
for _k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_k, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


# --------------------------------------------------------------------------
# No silent skips: in this suite a skipped test is a failed run. A test that
# needs a tool gets it from `scripts/install-deps.sh --test`, never a skip.
# Non-strict xfail (a marker without strict=True, or pytest.xfail()) is
# refused the same way: it passes whatever happens. A strict xfail is allowed
# (it fails the run when the test starts to pass).
# --------------------------------------------------------------------------

_NOT_RUN = []  # (nodeid, what, reason)


def _skip_reason(rep):
    lr = rep.longrepr
    if isinstance(lr, tuple) and len(lr) == 3:
        return f"{lr[2]} ({lr[0]}:{lr[1]})"
    return str(lr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    if hasattr(rep, "wasxfail"):
        marks = list(item.iter_markers(name="xfail"))
        default = item.config.getini("xfail_strict")
        strict = bool(marks) and all(m.kwargs.get("strict", default) for m in marks)
        imperative = call.excinfo is not None and call.excinfo.errisinstance(pytest.xfail.Exception)
        never_run = any(not m.kwargs.get("run", True) for m in marks)  # xfail(run=False) is a skip
        if imperative or never_run or not strict:
            what = "xfail(run=False)" if never_run else "non-strict xfail"
            _NOT_RUN.append((item.nodeid, what, rep.wasxfail or "(no reason)"))
    elif rep.skipped:
        _NOT_RUN.append((item.nodeid, f"skipped ({rep.when})", _skip_reason(rep)))
    return rep


def pytest_collectreport(report):
    if report.skipped:
        _NOT_RUN.append((report.nodeid, "skipped at collection", _skip_reason(report)))


def pytest_sessionfinish(session, exitstatus):
    if _NOT_RUN and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _NOT_RUN:
        return
    tr = terminalreporter
    tr.section("tests that did not run: the run FAILS (no skip or non-strict xfail allowed)",
               sep="=", red=True, bold=True)
    for nodeid, what, reason in _NOT_RUN:
        tr.line(f"{what}: {nodeid}: {reason}", red=True)
    tr.line(f"{len(_NOT_RUN)} test(s) or module(s) did not run. A missing tool is an install step "
            "(scripts/install-deps.sh --test), not a skip.", red=True)


def pytest_report_header(config):
    import cluster
    store = ("embedded (SQLite, local files, one process)" if not cluster.is_cluster() else
             f"cluster (PostgreSQL registry, {cluster.REPLICAS} replicas behind HAProxy)")
    return [f"geocentre binary: {helpers.geocentre_bin()}", f"data: {helpers.DATA}",
            f"stores: {store} (GEOCENTRE_TEST_STORE)"]


@pytest.fixture(scope="session")
def geocentre_bin():
    b = helpers.geocentre_bin()
    if not (b.is_file() and os.access(b, os.X_OK)):
        pytest.fail(f"geocentre binary not found at {b} (build it, or set GEOCENTRE_BIN)", pytrace=False)
    return b


@pytest.fixture(scope="session")
def rvb():
    """REAL DATA: path, geotransform and bbox of the IGN RVB tile."""
    p = helpers.rvb_tif()
    if not p.is_file():
        pytest.fail(f"real data not found at {p} (the repository carries it under data/)", pytrace=False)
    ds, gt, bbox = raster_info(p)
    return {"path": p, "gt": gt, "bbox": bbox, "width": ds.RasterXSize, "height": ds.RasterYSize}


@dataclass
class Env:
    data_dir: Path
    server: Server
    ign_report: dict           # --json report of the `ign` 2021 ingest (REAL tile)
    gaps_report: dict          # --json report of the `gaps` 2021 ingest (DERIVED)
    gaps_bboxes: list          # footprints of the two `gaps` dalles
    tmp: Path

    @property
    def base(self):
        return self.server.base_url


from helpers import GAPS_SHIFT, GAPS_TITLE  # noqa: E402


@pytest.fixture(scope="session")
def env(geocentre_bin, rvb, tmp_path_factory):
    """Session server.

    Data dir with:
      * layer `ign`, vintage 2021: the REAL RVB tile, ingested alone;
      * layer `gaps`, vintage 2021: DERIVED, a directory tree holding a copy of
        the real tile and a copy shifted by GAPS_SHIFT (so the layer's
        TileMatrixSetLimits contain tiles without data; also exercises the
        recursive directory walk).
    Torn down with SIGTERM.
    """
    root = tmp_path_factory.mktemp("session")
    data = root / "data"
    data.mkdir()
    proc, rep = ingest(data, "ign", 2021, [rvb["path"]])
    assert proc.returncode == 0, helpers.describe_proc(proc, "ingest of the real RVB tile failed")

    gdir = root / "gaps-src"
    (gdir / "a").mkdir(parents=True)
    (gdir / "b" / "c").mkdir(parents=True)
    derived.shifted_copy(rvb["path"], gdir / "a" / "west.tif", 0.0, 0.0)
    derived.shifted_copy(rvb["path"], gdir / "b" / "c" / "east.tif", *GAPS_SHIFT)
    proc, grep_ = ingest(data, "gaps", 2021, [gdir], extra=["--title", GAPS_TITLE, "--producer", "geocentre tests"])
    assert proc.returncode == 0, helpers.describe_proc(proc, "ingest of the derived `gaps` layer failed")
    bx = rvb["bbox"]
    gaps_bboxes = [bx, (bx[0] + GAPS_SHIFT[0], bx[1] + GAPS_SHIFT[1], bx[2] + GAPS_SHIFT[0], bx[3] + GAPS_SHIFT[1])]

    srv = Server(data_dir=data, log_path=root / "server.log").start()
    e = Env(data_dir=data, server=srv, ign_report=rep, gaps_report=grep_, gaps_bboxes=gaps_bboxes, tmp=root)
    yield e
    srv.stop()


@pytest.fixture(scope="session")
def caps_kvp(env):
    r = env.server.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities")
    assert r.status_code == 200, f"KVP GetCapabilities: HTTP {r.status_code}\n{r.text[:2000]}"
    return r


@pytest.fixture(scope="session")
def caps_rest(env):
    r = env.server.get("/wmts/1.0.0/WMTSCapabilities.xml")
    assert r.status_code == 200, f"REST capabilities: HTTP {r.status_code}\n{r.text[:2000]}"
    return r


@pytest.fixture(scope="session")
def caps(caps_kvp):
    return helpers.parse_caps(caps_kvp.content)


@pytest.fixture(scope="session")
def native_tile(env, rvb, caps):
    """The level-20 LAMB93 tile holding the largest part of the real tile, computed from
    the source geotransform (not from the server)."""
    level = 20
    r0, r1, c0, c1 = helpers.l93_tile_range(level, rvb["bbox"])
    best, best_area = None, -1.0
    for row in range(r0, r1 + 1):
        for col in range(c0, c1 + 1):
            tb = helpers.l93_tile_bounds(level, row, col)
            sb = rvb["bbox"]
            w = min(tb[2], sb[2]) - max(tb[0], sb[0])
            h = min(tb[3], sb[3]) - max(tb[1], sb[1])
            if w > 0 and h > 0 and w * h > best_area:
                best, best_area = (row, col), w * h
    tm = helpers.matrix_for_level(caps, helpers.L93_TMS, level)
    return {"level": level, "tm": tm.identifier, "row": best[0], "col": best[1],
            "bounds": helpers.l93_tile_bounds(level, *best)}

