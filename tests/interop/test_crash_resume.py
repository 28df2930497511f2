"""kill -9 during an ingest, then resume.

Input: GEOCENTRE_TEST_CRASH_DALLES (default 40) DERIVED dalles, each the REAL
RVB tile upsampled (bilinear) to GEOCENTRE_TEST_CRASH_SIZE (default 2000) px
square and declared at 20 cm, laid edge to edge on a grid (derived.crash_dalles).

When to kill is observed, not timed: the ingest is killed with SIGKILL as soon
as its build folder (objects/ortho/crash/2022/g<ingest_id>/, see
helpers.ingest_builds) holds a finished chunk, while the process still runs.
If the ingest ends before that is seen, the test FAILS (it never skips): raise
GEOCENTRE_TEST_CRASH_DALLES / _SIZE.

What is checked:
  0. at the kill, the ingest had written part of its build (at least one chunk
     in g<killed_id>/): there is something to resume and to clean up;
  1. after kill -9, `ortho list --json` has no published crash/2022 and one
     pending entry (state "building") for it; the same holds 3.5 s later
     (nothing keeps publishing behind our back);
  2. a server running on the data dir all along does not serve it, 3.5 s after the
     kill: no `crash` layer in /api/ortho/layers, no `crash`/`crash-2022` WMTS layer,
     GetTile on crash-2022 -> 400 InvalidParameterValue (locator layer), XYZ -> 404;
  3. re-running the same command exits 0 with status "published" and every file
     ingested; `ortho list` shows it published with all files and nothing pending;
  4. the server serves it within 3 s, and tiles in the first, middle and last
     dalles match those dalles' pixels (so the resumed build is complete);
  5. no leftovers: no file or directory whose name ends in .tmp .temp .part
     .partial .incomplete .building .swp ~ -journal or #N (a staging file), or
     starts with "tmp" / ".tmp"; crash/2022 has one build folder, the published
     ingest's: either the killed build was resumed in place (same ingest id, and
     the report says `resumed`) or it is gone (no `g<killed_id>` anywhere).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

import numpy as np

import cluster
import derived
import helpers
from helpers import (L93_TMS, Server, child_cwd, child_env, describe_proc, list_pending, list_vintage,
                     ortho_list, wmts_kvp)

N = int(os.environ.get("GEOCENTRE_TEST_CRASH_DALLES", "40"))
SIZE = int(os.environ.get("GEOCENTRE_TEST_CRASH_SIZE", "2000"))
RESUME_TIMEOUT = 600
NOTICE_S, SLACK_S = 3.0, 0.5


def finished_chunks(data):
    """{ingest_id: [chunk files]} of crash/2022, staging files (`#N`) left out."""
    return {i: [f for f in files if f.endswith(".tif")]
            for i, files in helpers.ingest_builds(data, "crash", 2022).items()}


def kill_when_building(proc, data, log_path, timeout=RESUME_TIMEOUT):
    """SIGKILL `proc` as soon as a finished chunk of its build is on disk.
    Returns the chunk files seen at the kill (by ingest id)."""
    deadline = time.monotonic() + timeout
    while True:
        seen = {i: f for i, f in finished_chunks(data).items() if f}
        if seen and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return finished_chunks(data)
        if proc.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(
                f"the ingest ended (exit status {proc.returncode}) before a chunk of its build was seen "
                f"on disk: nothing to interrupt. Raise GEOCENTRE_TEST_CRASH_DALLES (now {N}) or "
                f"GEOCENTRE_TEST_CRASH_SIZE (now {SIZE}).\n{log}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no chunk of the build on disk after {timeout}s")
        time.sleep(0.01)


def test_kill9_during_ingest_then_resume(geocentre_bin, rvb, tmp_path):
    src = tmp_path / "dalles"
    dalles = derived.crash_dalles(rvb["path"], src, N, SIZE)
    data = tmp_path / "data"
    data.mkdir()
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
    cmd = [str(geocentre_bin), "--data-dir", str(data), "ortho", "ingest", "--layer", "crash",
           "--vintage", "2022", "--json", str(src)]
    killed_log_path = tmp_path / "killed-ingest.log"
    killed_log = open(killed_log_path, "wb")
    env = child_env(cluster.store_env(data))
    proc = subprocess.Popen(cmd, stdout=killed_log, stderr=subprocess.STDOUT, env=env,
                            cwd=str(child_cwd()), start_new_session=True)
    try:
        at_kill = kill_when_building(proc, data, killed_log_path)
        t_kill = time.monotonic()

        # 1. listed as pending, not published
        listing = ortho_list(data)
        assert list_vintage(listing, "crash", 2022) is None, f"half-published after kill -9: {listing}"
        pend = list_pending(listing, "crash", 2022)
        assert len(pend) == 1 and pend[0].get("state") == "building", f"pending after kill -9: {listing}"
        killed_id = pend[0].get("ingest_id")
        # 0. the killed ingest had written part of its build, under its own id
        assert isinstance(killed_id, int), pend
        assert list(at_kill) == [killed_id] and at_kill[killed_id], \
            f"build folders at the kill: {at_kill}, pending ingest {killed_id}"
        print(f"killed ingest {killed_id} with {len(at_kill[killed_id])} chunk(s) written")

        time.sleep(max(0.0, NOTICE_S + SLACK_S - (time.monotonic() - t_kill)))
        listing = ortho_list(data)
        assert list_vintage(listing, "crash", 2022) is None, f"published by someone after kill -9: {listing}"

        # 2. the running server does not serve it
        doc = srv.get("/api/ortho/layers").json()
        assert not [l for l in doc["layers"] if l["name"] == "crash"], f"server lists unpublished crash: {doc}"
        caps = helpers.parse_caps(srv.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities").content)
        assert not {"crash", "crash-2022"} & set(caps.layers), sorted(caps.layers)
        tm20 = helpers.matrix_for_level(caps, L93_TMS, 20).identifier
        d0 = dalles[0][1]
        row, col = helpers.l93_tile_of(20, (d0[0] + d0[2]) / 2, (d0[1] + d0[3]) / 2)
        r = srv.get(wmts_kvp("crash-2022", L93_TMS, tm20, row, col))
        assert r.status_code == 400, f"GetTile on unpublished crash-2022: HTTP {r.status_code}"
        _, excs = helpers.parse_exception_report(r.content)
        assert any(e["code"] == "InvalidParameterValue" and (e["locator"] or "").lower() == "layer"
                   for e in excs), excs
        r = srv.get(f"/tiles/crash-2022/{L93_TMS}/20/{col}/{row}.jpg")
        assert r.status_code == 404, f"XYZ tile of unpublished crash-2022: HTTP {r.status_code}"

        # 3. resume
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=RESUME_TIMEOUT, env=env,
                           cwd=str(child_cwd()))
        t_pub = time.monotonic()
        assert p.returncode == 0, describe_proc(p, "re-running the interrupted ingest")
        rep = helpers.parse_single_json(p)
        assert rep["status"] == "published", rep
        assert len(rep["files"]) == N and all(f["status"] == "ingested" for f in rep["files"]), \
            [(f["path"], f["status"], f["code"]) for f in rep["files"] if f["status"] != "ingested"]
        listing = ortho_list(data)
        v = list_vintage(listing, "crash", 2022)
        assert v is not None and v["state"] == "published", listing
        assert v["files"] == N and v["rejected"] == 0, v
        assert v["ingest_id"] == rep["ingest_id"], (v, rep["ingest_id"])
        assert listing.get("pending") == [], f"still pending after resume: {listing['pending']}"

        # 4. noticed by the server within 3 s, and complete
        seen = None
        while time.monotonic() - t_pub < NOTICE_S + SLACK_S:
            doc = srv.get("/api/ortho/layers").json()
            if [l for l in doc["layers"] if l["name"] == "crash" and l.get("latest") == 2022]:
                seen = time.monotonic() - t_pub
                break
            time.sleep(0.1)
        assert seen is not None, f"server did not list crash/2022 within {NOTICE_S}s of publication"
        for i in sorted({0, N // 2, N - 1}):
            path, b = dalles[i]
            row, col = helpers.l93_tile_of(20, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
            tb = helpers.l93_tile_bounds(20, row, col)
            r = srv.get(wmts_kvp("crash-2022", L93_TMS, tm20, row, col))
            assert r.status_code == 200, f"dalle {i}: tile {row}/{col}: HTTP {r.status_code}"
            arr = helpers.decode(r.content)[1]
            ref = helpers.read_window(path, tb, 0.2)  # tile lies inside the 400 m dalle
            mads, corrs = helpers.band_metrics(ref, np.moveaxis(arr[:, :, :3], 2, 0))
            assert helpers.passes(mads, corrs), \
                f"dalle {i} tile {row}/{col}: MAD {np.round(mads, 2)} corr {np.round(corrs, 4)}"

        # 5. no leftovers
        final_id = rep["ingest_id"]
        bad = helpers.leftovers(data, killed_id, final_id)
        assert not bad, "\n".join(bad)
        builds = helpers.ingest_builds(data, "crash", 2022)
        assert list(builds) == [final_id], \
            f"crash/2022 build folders after the resume: {sorted(builds)} (published ingest {final_id}, " \
            f"killed ingest {killed_id})"
        if final_id == killed_id:
            assert rep.get("resumed") is True, f"build {killed_id} reused but the report does not say resumed: {rep}"
        print(f"resume took {t_pub - t0:.1f}s; noticed after {seen:.2f}s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any worker the killed ingest left behind
        except ProcessLookupError:
            pass
        srv.stop()
        killed_log.close()
