"""`serve`: first stdout line, empty data dir, noticing a newly published vintage
within 3 s (the latest-vintage layer switches to it), graceful SIGTERM.

Uses the REAL RVB tile (vintage 2020) and the REAL IRC tile (vintage 2023)."""
from __future__ import annotations

import time

import numpy as np

import helpers
from helpers import L93_TMS, Server, describe_proc, ingest, wmts_kvp

NOTICE_S = 3.0
SLACK_S = 0.5  # polling granularity and HTTP round trips


def test_serve_on_empty_data_dir_and_sigterm(geocentre_bin, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
    try:
        r = srv.get("/api/ortho/layers")
        assert r.status_code == 200 and r.json().get("layers") == [], (r.status_code, r.text[:300])
    finally:
        rc, secs = srv.stop()
    assert rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s (graceful shutdown exits 0)\n{srv.log()}"
    assert secs < 10


def test_new_vintage_noticed_within_3s(geocentre_bin, rvb, tmp_path):
    data = tmp_path / "data"
    p, _ = ingest(data, "late", 2020, [rvb["path"]])
    assert p.returncode == 0, describe_proc(p, "ingest late/2020")
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
    try:
        caps = helpers.parse_caps(srv.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities").content)
        tm = helpers.matrix_for_level(caps, L93_TMS, 20).identifier
        row, col = helpers.l93_tile_of(20, *[(rvb["bbox"][0] + rvb["bbox"][2]) / 2,
                                              (rvb["bbox"][1] + rvb["bbox"][3]) / 2])
        before = srv.get(wmts_kvp("late", L93_TMS, tm, row, col))
        assert before.status_code == 200

        p, rep = ingest(data, "late", 2023, [helpers.irc_tif()])
        t_published = time.monotonic()
        assert p.returncode == 0, describe_proc(p, "ingest late/2023 (REAL IRC tile)")
        seen = None
        while time.monotonic() - t_published < NOTICE_S + SLACK_S:
            doc = srv.get("/api/ortho/layers").json()
            late = [l for l in doc["layers"] if l["name"] == "late"]
            if late and late[0].get("latest") == 2023:
                seen = time.monotonic() - t_published
                break
            time.sleep(0.1)
        assert seen is not None, f"vintage 2023 not visible in /api/ortho/layers {NOTICE_S}s after publication"

        caps = helpers.parse_caps(srv.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities").content)
        assert {"late", "late-2020", "late-2023"} <= set(caps.layers), sorted(caps.layers)
        after = srv.get(wmts_kvp("late", L93_TMS, tm, row, col))
        old = srv.get(wmts_kvp("late-2020", L93_TMS, tm, row, col))
        new = srv.get(wmts_kvp("late-2023", L93_TMS, tm, row, col))
        assert after.status_code == old.status_code == new.status_code == 200
        a, o, n = (helpers.decode(x.content)[1] for x in (after, old, new))
        # `late` is the composite: 2023 painted over 2020. Where the newer
        # vintage does not cover a whole chunk, the chunk is re-encoded (JPEG),
        # so compare within that loss, and far from 2020.
        mad_new = np.abs(a.astype(int) - n.astype(int)).mean()
        mad_old = np.abs(a.astype(int) - o.astype(int)).mean()
        assert mad_new < 3 and mad_old > 10 * mad_new, \
            f"`late` does not show the latest vintage (2023) after publication: MAD vs 2023 {mad_new:.2f}, vs 2020 {mad_old:.2f}"
        assert not np.array_equal(o, n), "RVB 2020 and IRC 2023 tiles are identical"
        assert np.array_equal(o, helpers.decode(before.content)[1]), "`late-2020` changed"
    finally:
        rc, secs = srv.stop()
    assert rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s\n{srv.log()}"
