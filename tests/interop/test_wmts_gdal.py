"""GDAL's WMTS driver reads the `ign` layer back and gets the REAL source pixels
at the same Lambert-93 coordinates (within JPEG tolerance).

Thresholds (helpers.MAD_MAX / CORR_MIN): per band, mean absolute difference < 6
and Pearson correlation > 0.98.  Measured on this tile: re-encoding it as JPEG
at quality 50..90 gives MAD 1.6..4.1 and correlation >= 0.993, while a 1-pixel
(20 cm) shift of an otherwise perfect copy gives MAD ~9 and correlation
0.95..0.97.  The test also checks this itself (helpers.check_alignment):
against the server's pixels, every 1-pixel shift of the source window must FAIL
the thresholds (control), and the best match over shifts of up to 2 pixels must
be at zero shift.
"""
from __future__ import annotations

import helpers

MARGIN = 10  # source pixels kept out of the window on each side (room for the shift controls)


def test_gdal_wmts_readback_matches_source(env, rvb, tmp_path):
    window = helpers.inner_bbox(rvb, MARGIN)
    got = helpers.gdal_wmts_readback(env.base, "ign", window, tmp_path)
    assert got.ndim == 3 and got.shape[0] in (3, 4), f"unexpected band layout {got.shape}"
    if got.shape[0] == 4:  # alpha, if the driver picked a format with one: opaque over the data
        assert (got[3] == 255).mean() > 0.99, "alpha band not opaque over the data"
    got = got[:3]
    assert got.shape[1:] == (rvb["height"] - 2 * MARGIN, rvb["width"] - 2 * MARGIN), got.shape
    src = helpers.gdal().Open(str(rvb["path"])).ReadAsArray()
    problems, report = helpers.check_alignment(got, src, MARGIN)
    assert not problems, "\n".join(problems) + "\n" + report
