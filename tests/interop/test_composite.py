"""Composite of all vintages of a layer, and its differential update.

Layer naming: `{name}` is the composite (at each point the dalle painted last
wins; painting order = priority asc, then vintage asc, then ingest),
`{name}-{YEAR}` one vintage.

Data (own data dir and server, module scope):
  * layer `ortho-hr` (a name with '-'), vintage A = 2020, priority 0:
      - REAL: the IGN RVB tile, at its place;
      - DERIVED: a copy of it shifted EAST_SHIFT m east, into the next level-16
        tile, i.e. into another native-tier chunk of the stored pyramid;
  * vintage B = 2021 over a part of A: DERIVED, the REAL IGN IRC tile (same
    ground, infrared colours) cropped with `gdal_translate -srcwin B_SRCWIN`.
    IRC and RVB differ strongly (band 1 is near infrared vs red: MAD ~45), so
    "shows B" and "shows A" cannot both pass the same comparison: every
    comparison is paired with that control, which must fail (the uncropped IRC
    tile stands for B outside B's footprint).
  * layer `prio`: the REAL RVB tile as A with --priority 1 (plain ingest: the
    human report is checked), the IRC crop as B with --priority 0.

Expected pixels come from the source rasters read with GDAL, compared within
JPEG tolerance (helpers.passes: MAD < 6 and r > 0.98 per band).

The ETag check relies on the documented storage layout (plan.rs): a stored
chunk of tier (lo, hi) is one tile of level lo; with the default
chunk_tiles_log2 = 4 and native level 20 the tiers are (16,20), (11,15),
(6,10), (1,5), (0,0). A native tile's chunk is its ancestor at level lo.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import derived
import helpers
from helpers import L93_TMS, Server, describe_proc, ingest, raster_info, wmts_kvp

LAYER = "ortho-hr"
VA, VB = 2020, 2021
EAST_SHIFT = 320.0                 # m; puts the copy in the next level-16 tile (chunk)
B_SRCWIN = (60, 40, 120, 100)      # xoff yoff xsize ysize, in pixels of the IRC tile
ERODE = 3                          # px kept away from B's edge (JPEG ringing, resampling)
NATIVE_LEVEL = 20
CHUNK_TILES_LOG2 = 4               # geocentre's default ([ingest] chunk_tiles_log2)
NOTICE_S = 5.0                     # a new vintage is served within 3 s (+ slack)


def tiers(native=NATIVE_LEVEL, log2=CHUNK_TILES_LOG2):
    out, hi = [], native
    while hi >= 0:
        lo = max(hi - log2, 0)
        out.append((lo, hi))
        hi = lo - 1
    return out


def chunk_bounds_of_tile(level, row, col):
    lo = next(lo for lo, hi in tiers() if lo <= level <= hi)
    d = level - lo
    return helpers.l93_tile_bounds(lo, row >> d, col >> d)


def overlap(a, b):
    """Positive-area intersection of two (minx, miny, maxx, maxy) boxes."""
    return min(a[2], b[2]) - max(a[0], b[0]) > 1e-6 and min(a[3], b[3]) - max(a[1], b[1]) > 1e-6


@dataclass
class Comp:
    server: Server
    data: Path
    root: Path
    rep_a: dict
    rep_b: dict
    a_dalles: list      # [(path, bbox)]
    b_path: Path
    b_bbox: tuple
    limits: dict        # tile matrix id -> (minrow, maxrow, mincol, maxcol), from the capabilities
    levels: dict        # tile matrix id -> level
    before: dict        # (level, row, col) -> ETag or None (204)
    after: dict

    @property
    def base(self):
        return self.server.base_url


def served_vintages(srv, layer):
    doc = srv.get("/api/ortho/layers").json()
    for l in doc.get("layers", []):
        if l.get("name") == layer:
            return sorted(v.get("vintage") for v in l.get("vintages", []))
    return []


def wait_for_vintage(srv, layer, vintage):
    t0 = time.monotonic()
    while time.monotonic() - t0 < NOTICE_S:
        if vintage in served_vintages(srv, layer):
            return
        time.sleep(0.1)
    raise AssertionError(f"server does not serve {layer}/{vintage} {NOTICE_S}s after its ingest; "
                         f"/api/ortho/layers: {srv.get('/api/ortho/layers').text[:1500]}")


def native_etags(srv, limits, levels):
    """ETag of every native tile within the TileMatrixSetLimits (KVP GetTile, JPEG), None for a tile
    without data (WMTS answers it with a blank tile, ETag `blank-…`)."""
    out = {}
    for tm, (r0, r1, c0, c1) in limits.items():
        for row in range(r0, r1 + 1):
            for col in range(c0, c1 + 1):
                r = srv.get(wmts_kvp(LAYER, L93_TMS, tm, row, col))
                if r.status_code == 204:
                    out[(levels[tm], row, col)] = None
                    continue
                assert r.status_code == 200, f"GetTile {LAYER} {tm}/{row}/{col}: HTTP {r.status_code} {r.text[:300]}"
                et = r.headers.get("ETag")
                assert et, f"GetTile {LAYER} {tm}/{row}/{col}: no ETag"
                out[(levels[tm], row, col)] = None if et.startswith('"blank-') else et
    return out


@pytest.fixture(scope="module")
def comp(geocentre_bin, rvb, tmp_path_factory):
    root = tmp_path_factory.mktemp("composite")
    src = root / "src"
    src.mkdir()
    east = derived.shifted_copy(rvb["path"], src / "rvb-east-derived.tif", EAST_SHIFT, 0.0)
    b_path = derived.srcwin_crop(helpers.irc_tif(), src / "irc-crop-derived.tif", *B_SRCWIN)
    _, _, b_bbox = raster_info(b_path)
    _, _, east_bbox = raster_info(east)
    data = root / "data"
    data.mkdir()

    p, rep_a = ingest(data, LAYER, VA, [rvb["path"], east],
                      extra=["--acquired", "2020-06-15", "--producer", "IGN (vintage A)"])
    assert p.returncode == 0, describe_proc(p, "ingest of vintage A")
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    try:
        caps = helpers.parse_caps(srv.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities").content)
        assert LAYER in caps.layers, sorted(caps.layers)
        limits = caps.layers[LAYER].links.get(L93_TMS)
        assert limits, f"{LAYER}: no TileMatrixSetLimits for {L93_TMS}"
        tms = {tm.identifier: tm for tm in caps.tms[L93_TMS]["matrices"]}
        # The native levels: those past it are advertised too, served upsampled.
        limits = {tm: lim for tm, lim in limits.items() if helpers.l93_level_of(tms[tm]) <= NATIVE_LEVEL}
        levels = {tm: helpers.l93_level_of(tms[tm]) for tm in limits}
        before = native_etags(srv, limits, levels)

        p, rep_b = ingest(data, LAYER, VB, [b_path],
                          extra=["--acquired", "2021-07-01", "--producer", "IGN (vintage B, derived)"])
        assert p.returncode == 0, describe_proc(p, "ingest of vintage B")
        wait_for_vintage(srv, LAYER, VB)
        after = native_etags(srv, limits, levels)
        yield Comp(server=srv, data=data, root=root, rep_a=rep_a, rep_b=rep_b,
                   a_dalles=[(rvb["path"], rvb["bbox"]), (east, east_bbox)], b_path=b_path,
                   b_bbox=b_bbox, limits=limits, levels=levels, before=before, after=after)
    finally:
        srv.stop()


# --------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------

def wms(comp, **q):
    base = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "STYLES": "", "CRS": "EPSG:2154",
            "FORMAT": "image/png"}
    base.update({k: str(v) for k, v in q.items()})
    return comp.server.http.get(comp.base + "/wms", params=base, timeout=60)


def getmap(comp, layer, bbox, w, h, **extra):
    r = wms(comp, LAYERS=layer, BBOX=",".join(repr(round(v, 6)) for v in bbox), WIDTH=w, HEIGHT=h, **extra)
    assert r.status_code == 200 and r.headers.get("Content-Type", "").startswith("image/png"), \
        f"GetMap {layer}: HTTP {r.status_code} {r.headers.get('Content-Type')} {r.text[:300]}"
    return gdal_decode(r.content)


def gdal_decode(content):
    g = helpers.gdal()
    g.FileFromMemBuffer("/vsimem/composite-test", content)
    arr = g.Open("/vsimem/composite-test").ReadAsArray()
    g.Unlink("/vsimem/composite-test")
    return arr


def on_grid(path, bbox, res=0.2):
    """Pixels of `path` on the res grid of bbox: (bands, h, w) float with NaN where the
    file has no pixel. Everything here is on the 0.2 m grid (no resampling)."""
    _, gt, sb = raster_info(path)
    src = helpers.gdal().Open(str(path)).ReadAsArray().astype(float)
    w = int(round((bbox[2] - bbox[0]) / res))
    h = int(round((bbox[3] - bbox[1]) / res))
    out = np.full((src.shape[0], h, w), np.nan)
    dx = int(round((sb[0] - bbox[0]) / res))
    dy = int(round((bbox[3] - sb[3]) / res))
    sh, sw = src.shape[1:]
    x0, y0 = max(dx, 0), max(dy, 0)
    x1, y1 = min(dx + sw, w), min(dy + sh, h)
    if x1 > x0 and y1 > y0:
        out[:, y0:y1, x0:x1] = src[:, y0 - dy:y1 - dy, x0 - dx:x1 - dx]
    return out


def box_mask(bbox, frame, res, erode=0, shape=None):
    """Pixels of the grid of `frame` (bbox at res) lying inside `bbox` shrunk by erode px
    (negative: grown)."""
    w = int(round((frame[2] - frame[0]) / res))
    h = int(round((frame[3] - frame[1]) / res))
    m = np.zeros((h, w), bool)
    c0 = int(round((bbox[0] - frame[0]) / res)) + erode
    c1 = int(round((bbox[2] - frame[0]) / res)) - erode
    r0 = int(round((frame[3] - bbox[3]) / res)) + erode
    r1 = int(round((frame[3] - bbox[1]) / res)) - erode
    m[max(r0, 0):max(min(r1, h), 0), max(c0, 0):max(min(c1, w), 0)] = True
    return m


def compare(got, ref, mask, what):
    """(passes, text) for got vs ref (bands, h, w) on mask."""
    assert mask.sum() > 200, f"{what}: only {mask.sum()} pixels to compare"
    ref = ref[:3]
    assert not np.isnan(ref[:, mask]).any(), f"{what}: reference has no pixel somewhere in the mask"
    mads, corrs = helpers.band_metrics(ref, got[:3], mask)
    return helpers.passes(mads, corrs), f"{what}: MAD {np.round(mads, 2)} r {np.round(corrs, 4)} ({mask.sum()} px)"


def expect_shows(got, mask, want, other, what):
    """got shows `want` (pass) and not `other` (the control must fail) on mask."""
    ok, t1 = compare(got, want[1], mask, f"{what} vs {want[0]}")
    bad, t2 = compare(got, other[1], mask, f"{what} vs {other[0]} (control)")
    assert ok, f"{t1}\n{t2}"
    assert not bad, f"control passes, the test cannot tell {want[0]} from {other[0]}:\n{t1}\n{t2}"


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["foo-2020", "foo-dalles"])
def test_layer_names_naming_a_view_are_refused(geocentre_bin, rvb, tmp_path, bad):
    """`{name}-{YEAR}` names a vintage of `name` and `{name}-dalles` its dalle index
    (WMS LAYERS=foo-dalles is the index of `foo`): neither may be a layer name."""
    data = tmp_path / "data"
    p, _ = ingest(data, bad, VA, [rvb["path"]], json_out=False)
    assert p.returncode == 1, describe_proc(p, f"layer name {bad!r} accepted (it names a view of `foo`)")
    # The message names the refused name and the rule it breaks.
    assert f"'{bad}'" in p.stderr, describe_proc(p, "the error does not name the refused layer name")
    rule = "vintage" if bad.endswith("-2020") else "-dalles"
    assert rule in p.stderr, describe_proc(p, f"the error does not give the rule ({rule})")
    listing = helpers.ortho_list(data)
    assert not [l for l in listing["layers"] if l["name"] == bad], listing
    assert listing.get("pending") == [], listing


def test_layer_name_ending_in_a_digit_is_accepted(geocentre_bin, rvb, tmp_path):
    # Ends in a digit, but not in '-' and digits: a layer name ('ortho-hr' itself is
    # the composite fixture's layer).
    data = tmp_path / "data"
    p, _ = ingest(data, "ortho-hr2", VA, [rvb["path"]], json_out=False)
    assert p.returncode == 0, describe_proc(p, "layer name 'ortho-hr2' refused")
    assert [l["name"] for l in helpers.ortho_list(data)["layers"]] == ["ortho-hr2"]


def test_ingest_reports(comp):
    a, b = comp.rep_a.get("composite"), comp.rep_b.get("composite")
    assert isinstance(a, dict) and isinstance(b, dict), (comp.rep_a, comp.rep_b)
    keys = {"composite_id", "full_rebuild", "painting_order", "changed_area_km2", "chunks_written",
            "chunks_shared", "chunks_emptied", "tiles_rewritten"}
    assert keys <= set(a) and keys <= set(b), (a, b)
    assert a["full_rebuild"] is True, a
    assert b["full_rebuild"] is False, b
    assert a["painting_order"] == [VA], a
    assert b["painting_order"] == [VA, VB], b
    assert b["composite_id"] != a["composite_id"], (a, b)
    area_a = sum((bb[2] - bb[0]) * (bb[3] - bb[1]) for _, bb in comp.a_dalles) / 1e6
    bb = comp.b_bbox
    area_b = (bb[2] - bb[0]) * (bb[3] - bb[1]) / 1e6
    assert a["changed_area_km2"] == pytest.approx(area_a, rel=1e-3), (a, area_a)
    assert b["changed_area_km2"] == pytest.approx(area_b, rel=1e-3), (b, area_b)
    for r in (a, b):
        for k in ("chunks_written", "chunks_shared", "chunks_emptied", "tiles_rewritten"):
            assert isinstance(r[k], int) and r[k] >= 0, (k, r)
        assert r["chunks_written"] + r["chunks_shared"] >= 1, r
    assert b["tiles_rewritten"] > 0, b
    # Differential: the chunk holding only the east copy is not rewritten for B.
    assert b["tiles_rewritten"] < a["tiles_rewritten"], (a, b)


def test_getmap_composite_shows_b_inside_a_outside(comp, rvb):
    frame = rvb["bbox"]  # the REAL tile's footprint, on its own 0.2 m grid
    w = h = 252
    rgb_a = ("A (RVB)", on_grid(rvb["path"], frame))
    rgb_b = ("IRC (B's source)", on_grid(helpers.irc_tif(), frame))
    inside = box_mask(comp.b_bbox, frame, 0.2, ERODE)
    outside = box_mask(frame, frame, 0.2, 2) & ~box_mask(comp.b_bbox, frame, 0.2, -ERODE)

    got = getmap(comp, LAYER, frame, w, h)
    expect_shows(got, inside, rgb_b, rgb_a, f"{LAYER} inside B")
    expect_shows(got, outside, rgb_a, rgb_b, f"{LAYER} outside B")

    # The vintage A alone, by name and by TIME: A everywhere.
    for label, layer, extra in ((f"{LAYER}-{VA}", f"{LAYER}-{VA}", {}),
                                (f"{LAYER}&TIME={VA}", LAYER, {"TIME": str(VA)})):
        got = getmap(comp, layer, frame, w, h, **extra)
        expect_shows(got, inside, rgb_a, rgb_b, f"{label} inside B")
        expect_shows(got, outside, rgb_a, rgb_b, f"{label} outside B")

    # The vintage B alone: B inside its footprint, nothing around it.
    got = getmap(comp, f"{LAYER}-{VB}", frame, w, h, TRANSPARENT="TRUE")
    expect_shows(got, inside, rgb_b, rgb_a, f"{LAYER}-{VB} inside B")
    assert got.shape[0] == 4 and (got[3][outside] == 0).all(), \
        f"{LAYER}-{VB}: {(got[3][outside] != 0).sum()} opaque pixels outside B's footprint"


def test_wmts_tiles_composite(comp, rvb):
    r0, r1, c0, c1 = helpers.l93_tile_range(NATIVE_LEVEL, comp.b_bbox)
    caps_tm = {lvl: tm for tm, lvl in comp.levels.items()}
    tm = caps_tm[NATIVE_LEVEL]
    checked = 0
    for row in range(r0, r1 + 1):
        for col in range(c0, c1 + 1):
            tb = helpers.l93_tile_bounds(NATIVE_LEVEL, row, col)
            a_ref = ("A (RVB)", on_grid(rvb["path"], tb))
            b_ref = ("IRC (B's source)", on_grid(helpers.irc_tif(), tb))
            inside = box_mask(comp.b_bbox, tb, 0.2, ERODE)
            outside = box_mask(rvb["bbox"], tb, 0.2, 2) & ~box_mask(comp.b_bbox, tb, 0.2, -ERODE)
            tiles = {}
            for layer in (LAYER, f"{LAYER}-{VA}"):
                r = comp.server.get(wmts_kvp(layer, L93_TMS, tm, row, col))
                assert r.status_code == 200, f"{layer} {tm}/{row}/{col}: HTTP {r.status_code}"
                tiles[layer] = np.moveaxis(helpers.decode(r.content)[1][:, :, :3], 2, 0)
            where = f"tile {tm}/{row}/{col}"
            if inside.sum() > 200:
                expect_shows(tiles[LAYER], inside, b_ref, a_ref, f"{LAYER} {where} inside B")
                expect_shows(tiles[f"{LAYER}-{VA}"], inside, a_ref, b_ref, f"{LAYER}-{VA} {where} inside B")
                checked += 1
            if outside.sum() > 200:
                expect_shows(tiles[LAYER], outside, a_ref, b_ref, f"{LAYER} {where} outside B")
                checked += 1
    assert checked >= 2, "no native tile had enough pixels inside and outside B to compare"


def test_only_tiles_of_changed_chunks_get_new_etags(comp):
    assert set(comp.before) == set(comp.after)
    kept_far, changed_in_b, changed = [], [], 0
    problems = []
    for key in sorted(comp.before):
        level, row, col = key
        e0, e1 = comp.before[key], comp.after[key]
        tb = helpers.l93_tile_bounds(level, row, col)
        chunk = chunk_bounds_of_tile(level, row, col)
        if e0 is not None and e1 is not None and e0 != e1:
            changed += 1
        if overlap(tb, comp.b_bbox):
            if e1 is None:
                problems.append(f"{key}: tile over B has no data after B")
            elif e0 == e1:
                problems.append(f"{key}: tile over B kept its ETag {e0}")
            else:
                changed_in_b.append(key)
        elif not overlap(chunk, comp.b_bbox):
            if e0 != e1:
                problems.append(f"{key}: tile of a chunk that B does not touch: ETag {e0} -> {e1}")
            elif e0 is not None:
                kept_far.append(key)
    print(f"{len(comp.before)} native tiles; {len(changed_in_b)} over B changed; "
          f"{len(kept_far)} in chunks B does not touch kept their ETag; {changed} changed in all")
    assert not problems, "\n".join(problems[:40])
    # The check must have had something to check on both sides.
    assert {k[0] for k in changed_in_b} >= set(comp.levels.values()), \
        f"levels without a tile over B: {sorted(set(comp.levels.values()) - {k[0] for k in changed_in_b})}"
    assert len(kept_far) >= 5 and {k[0] for k in kept_far} >= {16, 20}, \
        f"too few tiles outside B's chunks to check: {kept_far}"
    tr = comp.rep_b["composite"]["tiles_rewritten"]
    assert changed <= tr, f"{changed} tiles changed ETag but the report says {tr} tiles rewritten"


def gfi(comp, layer, bbox, w, h, i, j, **extra):
    q = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetFeatureInfo", "LAYERS": layer,
         "QUERY_LAYERS": layer, "STYLES": "", "CRS": "EPSG:2154",
         "BBOX": ",".join(repr(round(v, 6)) for v in bbox), "WIDTH": str(w), "HEIGHT": str(h),
         "I": str(i), "J": str(j), "INFO_FORMAT": "application/json", **extra}
    r = comp.server.http.get(comp.base + "/wms", params=q, timeout=60)
    assert r.status_code == 200, f"GetFeatureInfo {layer}: HTTP {r.status_code} {r.text[:300]}"
    feats = r.json()["features"]
    return [f["properties"] for f in feats]


def test_featureinfo_names_the_winning_dalle(comp, rvb):
    frame = rvb["bbox"]
    ib = (B_SRCWIN[0] + B_SRCWIN[2] // 2, B_SRCWIN[1] + B_SRCWIN[3] // 2)   # centre of B
    ia = (10, 240)                                                          # in A, far from B
    props = gfi(comp, LAYER, frame, 252, 252, *ib)
    assert [p["dalle"] for p in props] == [comp.b_path.name], props
    assert props[0]["vintage"] in (VB, str(VB)) and props[0]["acquired"] == "2021-07-01", props
    props = gfi(comp, LAYER, frame, 252, 252, *ia)
    assert [p["dalle"] for p in props] == [rvb["path"].name], props
    assert props[0]["vintage"] in (VA, str(VA)) and props[0]["acquired"] == "2020-06-15", props
    props = gfi(comp, f"{LAYER}-{VA}", frame, 252, 252, *ib)
    assert [p["dalle"] for p in props] == [rvb["path"].name], props


@pytest.fixture(scope="module")
def prio(comp, rvb):
    """Layer `prio`: A (REAL RVB tile) with --priority 1, then B (the DERIVED IRC crop)
    with --priority 0, served by the module's server."""
    # A without --json: its human report is checked in test_human_report_mentions_area_and_tiles.
    pa, _ = ingest(comp.data, "prio", VA, [rvb["path"]], extra=["--priority", "1"], json_out=False)
    assert pa.returncode == 0, describe_proc(pa, "prio: ingest of A (priority 1)")
    p, rep_b = ingest(comp.data, "prio", VB, [comp.b_path], extra=["--priority", "0"])
    assert p.returncode == 0, describe_proc(p, "prio: ingest of B (priority 0)")
    wait_for_vintage(comp.server, "prio", VB)
    return pa, rep_b


def test_priority_keeps_a_on_top(comp, prio, rvb):
    _, rep_b = prio
    assert rep_b["composite"]["painting_order"] == [VB, VA], rep_b["composite"]
    assert rep_b["composite"]["full_rebuild"] is False, rep_b["composite"]
    frame = rvb["bbox"]
    rgb_a = ("A (RVB, priority 1)", on_grid(rvb["path"], frame))
    rgb_b = ("IRC (B's source, priority 0)", on_grid(helpers.irc_tif(), frame))
    inside = box_mask(comp.b_bbox, frame, 0.2, ERODE)
    got = getmap(comp, "prio", frame, 252, 252)
    expect_shows(got, inside, rgb_a, rgb_b, "prio inside B")
    # B is still there, under A.
    got = getmap(comp, f"prio-{VB}", frame, 252, 252)
    expect_shows(got, inside, rgb_b, rgb_a, f"prio-{VB} inside B")
    ib = (B_SRCWIN[0] + B_SRCWIN[2] // 2, B_SRCWIN[1] + B_SRCWIN[3] // 2)
    props = gfi(comp, "prio", frame, 252, 252, *ib)
    assert [p["dalle"] for p in props] == [rvb["path"].name], props


def test_human_report_mentions_area_and_tiles(prio, rvb):
    p = prio[0]  # plain ingest of the REAL tile as prio/2020
    with pytest.raises(json.JSONDecodeError):
        json.loads(p.stdout)
    assert "zone modifiée" in p.stdout, describe_proc(p, "no 'zone modifiée' in the human report")
    m = re.search(r"(\d+) tuile\(s\) réécrite\(s\)", p.stdout)
    assert m and int(m.group(1)) > 0, describe_proc(p, "no 'N tuile(s) réécrite(s)' with N > 0")
    m = re.search(r"zone modifiée\D*?(\d+[.,]?\d*)\s*km²", p.stdout)
    bx = rvb["bbox"]
    area = (bx[2] - bx[0]) * (bx[3] - bx[1]) / 1e6
    assert m, describe_proc(p, "the area of the changed zone (km²) is not given")
    assert abs(float(m.group(1).replace(",", ".")) - area) < 0.0006, \
        describe_proc(p, f"changed area should be {area:.5f} km² (the dalle's footprint)")
