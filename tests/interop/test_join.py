"""Joining sources into one layer: a 5 cm acquisition in a CC zone (EPSG:3946),
delivered as JPEG 2000, beside the regional 20 cm Lambert-93 GeoTIFF.

Sources: the REAL IGN RVB tile (20 cm, vintage 2021) and a part of the REAL IGN
IRC tile, DERIVED here: cropped, upsampled to 5 cm (cubic), reprojected to
CC46 and encoded as JPEG 2000 (vintage 2023). Checks, over WMS and
GetFeatureInfo, that the composite shows the 5 cm source inside its footprint
and the 20 cm one around it, at the finest level of the two; that each
vintage stays available; and that a higher priority puts the older source
back on top (the order is configurable)."""
from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import Server, describe_proc, ingest

# Inner part of the B footprint, away from its reprojected edges (metres).
INSET = 1.0


@pytest.fixture(scope="module")
def joined(geocentre_bin, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("join")
    g = helpers.gdal()
    irc = str(helpers.irc_tif())
    # DERIVED: 24 m × 24 m of the IRC tile, 5 cm, CC46, JPEG 2000.
    l93 = str(tmp / "b_l93.tif")
    g.Translate(l93, irc, srcWin=[60, 60, 120, 120], xRes=0.05, yRes=0.05, resampleAlg="cubic")
    cc46 = str(tmp / "b_cc46.tif")
    g.Warp(cc46, l93, dstSRS="EPSG:3946", resampleAlg="bilinear")
    jp2 = tmp / "DERIVED-irc-5cm-cc46.jp2"
    g.Translate(str(jp2), cc46, format="JP2OpenJPEG", creationOptions=["QUALITY=90"])
    ds = g.Open(l93)
    gt = ds.GetGeoTransform()
    b_bbox = [gt[0], gt[3] + gt[5] * ds.RasterYSize, gt[0] + gt[1] * ds.RasterXSize, gt[3]]
    data = tmp / "data"
    pa, ra = ingest(data, "joined", 2021, [rvb["path"]])
    assert pa.returncode == 0, describe_proc(pa, "ingest 20 cm")
    pb, rb = ingest(data, "joined", 2023, [str(jp2)], extra=["--producer", "Département (dérivé)"])
    assert pb.returncode == 0, describe_proc(pb, "ingest 5 cm CC46 JP2")
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "data": data, "b_bbox": b_bbox, "b_l93": l93, "jp2": jp2, "ra": ra, "rb": rb}
    srv.stop()


def getmap(srv, layer, bbox, w, h, **extra):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layer, "STYLES": "",
         "CRS": "EPSG:2154", "BBOX": ",".join(repr(v) for v in bbox), "WIDTH": str(w),
         "HEIGHT": str(h), "FORMAT": "image/png", **extra}
    r = srv.get("/wms", params=q)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/png"), r.text[:300]
    # (bands, rows, cols), as GDAL reads the sources.
    return helpers.decode(r.content)[1].transpose(2, 0, 1)


def info(srv, layer, bbox, w, h, i, j):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetFeatureInfo", "LAYERS": layer,
         "QUERY_LAYERS": layer, "STYLES": "", "CRS": "EPSG:2154",
         "BBOX": ",".join(repr(v) for v in bbox), "WIDTH": str(w), "HEIGHT": str(h),
         "I": str(i), "J": str(j), "INFO_FORMAT": "application/json"}
    r = srv.get("/wms", params=q)
    assert r.status_code == 200, r.text[:300]
    return [f["properties"] for f in r.json()["features"]]


def mad(a, b):
    return float(np.abs(a[:3].astype(float) - b[:3].astype(float)).mean())


def test_composite_is_planned_at_the_finest_level(joined):
    a, b = joined["ra"], joined["rb"]
    assert a["native_level"] == 20 and b["native_level"] == 22, (a["native_level"], b["native_level"])
    assert a["composite"]["full_rebuild"] is True
    # A finer source re-plans the composite: a full rebuild, reported as such.
    assert b["composite"]["full_rebuild"] is True and b["composite"]["painting_order"] == [2021, 2023]
    assert b["composite"]["tiles_rewritten"] > 0


def test_composite_shows_each_source_where_it_wins(joined, rvb):
    srv, bb = joined["srv"], joined["b_bbox"]
    inner = [bb[0] + INSET, bb[1] + INSET, bb[2] - INSET, bb[3] - INSET]
    n = int(round((inner[2] - inner[0]) / 0.05))
    comp = getmap(srv, "joined", inner, n, n)
    irc = helpers.read_window(joined["b_l93"], inner, 0.05)
    rvb_up = helpers.read_window(rvb["path"], inner, 0.05)
    # Inside B: the 5 cm IRC pixels (JPEG 2000 and JPEG losses aside), not the RVB.
    m_irc, m_rvb = mad(comp, irc), mad(comp, rvb_up)
    assert m_irc < 8 and m_rvb > 3 * m_irc, (m_irc, m_rvb)
    # Outside B (the tile's south-west corner): the 20 cm RVB.
    src = rvb["bbox"]
    corner = [src[0] + 1, src[1] + 1, src[0] + 9, src[1] + 9]
    out = getmap(srv, "joined", corner, 40, 40)
    ref = helpers.read_window(rvb["path"], corner, 0.2)
    assert mad(out, ref) < 8, mad(out, ref)
    # Each vintage stays available on its own.
    only_a = getmap(srv, "joined-2021", inner, n, n)
    assert mad(only_a, rvb_up) < 8 and mad(only_a, irc) > 3 * mad(only_a, rvb_up)
    timed = getmap(srv, "joined", inner, n, n, TIME="2021")
    assert mad(timed, only_a) < 1


def test_feature_info_names_the_source_of_each_pixel(joined, rvb):
    srv, bb = joined["srv"], joined["b_bbox"]
    src = rvb["bbox"]
    w = h = 252
    cx = (bb[0] + bb[2]) / 2
    cy = (bb[1] + bb[3]) / 2
    i = int((cx - src[0]) / (src[2] - src[0]) * w)
    j = int((src[3] - cy) / (src[3] - src[1]) * h)
    inside = info(srv, "joined", src, w, h, i, j)
    assert len(inside) == 1 and inside[0]["dalle"] == joined["jp2"].name, inside
    assert inside[0]["vintage"] == "2023" and inside[0]["resolution_m"] == "0.050", inside
    assert inside[0]["format"] == "JP2OpenJPEG" and inside[0]["producer"] == "Département (dérivé)"
    corner = info(srv, "joined", src, w, h, 2, h - 3)
    assert corner and corner[0]["vintage"] == "2021" and corner[0]["resolution_m"] == "0.200", corner


def test_priority_puts_an_older_source_on_top(joined, rvb, tmp_path):
    """Same inputs, but the 20 cm vintage ingested with a higher priority."""
    data = tmp_path / "data"
    pa, _ = ingest(data, "joined", 2021, [rvb["path"]], extra=["--priority", "1"])
    assert pa.returncode == 0, describe_proc(pa)
    pb, rb = ingest(data, "joined", 2023, [str(joined["jp2"])])
    assert pb.returncode == 0, describe_proc(pb)
    assert rb["composite"]["painting_order"] == [2023, 2021], rb["composite"]
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
    try:
        bb = joined["b_bbox"]
        inner = [bb[0] + INSET, bb[1] + INSET, bb[2] - INSET, bb[3] - INSET]
        n = int(round((inner[2] - inner[0]) / 0.05))
        comp = getmap(srv, "joined", inner, n, n)
        rvb_up = helpers.read_window(rvb["path"], inner, 0.05)
        irc = helpers.read_window(joined["b_l93"], inner, 0.05)
        assert mad(comp, rvb_up) < 8 and mad(comp, irc) > 3 * mad(comp, rvb_up)
    finally:
        srv.stop()
