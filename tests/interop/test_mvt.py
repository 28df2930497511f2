"""Mapbox Vector Tiles at /tiles/{dataset}.{layer}/{tms}/{z}/{x}/{y}.mvt and
their TileJSON, over the REAL communes of Centre-Val de Loire (the repository's data/, WGS 84).

Tiles are read back with GDAL's MVT driver (in raw tile units, CLIP=NO, and
for Web Mercator also georeferenced by GDAL itself from X/Y/Z) and compared
with the source read by OGR and reprojected by OSR: the set of communes
(by `code`), their names, and each geometry's area and centroid against the
source clipped to the buffered tile. Expected tiles and bounds are computed
here from the grid definitions, never asked of the server. Controls show
that each comparison can fail (a tile one column off, y read upwards).

DERIVED data, written in pytest's tmp dir: `typed-points.geojson` and
`typed-lines.geojson` (a few features near Orléans with Integer, negative
Integer, Real and String attributes), ingested as dataset `typed`; the same
points as dataset `secret`, made private in the catalog before the server
starts (a hidden layer must answer exactly like an unknown one)."""
from __future__ import annotations

import json
import math

import pytest

import cluster
import helpers
from helpers import Server, describe_proc

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
LAYER = "admin.communes_centre_val_de_loire"
MVT_LAYER = "communes_centre_val_de_loire"
EXTENT = 4096
BUFFER = 64
ORLEANS = (1.9093, 47.9029)  # lon, lat
WM, L93 = helpers.WM_TMS, helpers.L93_TMS


def ogr():
    from osgeo import ogr as _o
    _o.UseExceptions()
    return _o


def osr():
    from osgeo import osr as _s
    _s.UseExceptions()
    return _s


TYPED_POINTS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.90 + i * 0.002, 47.90]},
         "properties": {"n": 40 + i, "neg": -7 - i, "r": 2.5 + i, "s": f"point é{i}"}}
        for i in range(3)
    ],
}
TYPED_LINES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature",
         "geometry": {"type": "LineString", "coordinates": [[1.89, 47.89 + i * 0.003], [1.93, 47.91 + i * 0.003]]},
         "properties": {"n": i, "s": f"ligne {i}"}}
        for i in range(2)
    ],
}


@pytest.fixture(scope="module")
def mvt(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mvt")
    data = tmp / "data"
    pts, lines = tmp / "typed-points.geojson", tmp / "typed-lines.geojson"
    pts.write_text(json.dumps(TYPED_POINTS))
    lines.write_text(json.dumps(TYPED_LINES))
    for args in (["--dataset", "admin", str(COMMUNES)],
                 ["--dataset", "typed", str(pts), str(lines)],
                 ["--dataset", "secret", str(pts)]):
        proc = helpers.run_cli(["vector", "ingest", "--json", *args], data_dir=data)
        assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    n = len(cluster.catalog_query(data, "UPDATE vector_datasets SET access = 'private' WHERE name = 'secret' "
                                        "RETURNING name"))
    assert n == 1
    srv = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield {"srv": srv, "tmp": tmp}
    srv.stop()


@pytest.fixture(scope="module")
def source():
    """code -> (nom, geometry in WGS 84 lon/lat) of every commune, read by OGR."""
    ds = ogr().Open(str(COMMUNES))
    lyr = ds.GetLayer(0)
    out = {}
    for f in lyr:
        out[f.GetField("code")] = (f.GetField("nom"), f.GetGeometryRef().Clone())
    assert len(out) == 1776
    return out


def projected(source, epsg):
    s = osr()
    src, dst = s.SpatialReference(), s.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(epsg)
    for r in (src, dst):
        r.SetAxisMappingStrategy(s.OAMS_TRADITIONAL_GIS_ORDER)
    ct = s.CoordinateTransformation(src, dst)
    out = {}
    for code, (nom, g) in source.items():
        g = g.Clone()
        g.Transform(ct)
        out[code] = (nom, g)
    return out


@pytest.fixture(scope="module")
def src_wm(source):
    return projected(source, 3857)


@pytest.fixture(scope="module")
def src_l93(source):
    return projected(source, 2154)


def tile_bounds(tms, z, x, y):
    return helpers.wm_tile_bounds(z, x, y) if tms == WM else helpers.l93_tile_bounds(z, y, x)


def tile_of(tms, z, lon, lat):
    if tms == WM:
        return helpers.wm_tile_of(z, lon, lat)
    s = osr()
    src, dst = s.SpatialReference(), s.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(2154)
    for r in (src, dst):
        r.SetAxisMappingStrategy(s.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = s.CoordinateTransformation(src, dst).TransformPoint(lon, lat)
    row, col = helpers.l93_tile_of(z, x, y)
    return col, row


def url(tms, z, x, y, layer=LAYER, ext="mvt"):
    return f"/tiles/{layer}/{tms}/{z}/{x}/{y}.{ext}"


def rect(b):
    o = ogr()
    ring = o.Geometry(o.wkbLinearRing)
    for px, py in ((b[0], b[1]), (b[2], b[1]), (b[2], b[3]), (b[0], b[3]), (b[0], b[1])):
        ring.AddPoint_2D(px, py)
    poly = o.Geometry(o.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def read_tile(data, tmp, name, open_options=()):
    """GDAL's MVT driver on the bytes: (layer names, {code: (nom, geometry, fields)})."""
    p = tmp / f"{name}.mvt"
    p.write_bytes(data)
    ds = helpers.gdal().OpenEx(str(p), helpers.gdal().OF_VECTOR, open_options=["CLIP=NO", *open_options])
    assert ds is not None
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    out, dup = {}, []
    for lyr in (ds.GetLayer(i) for i in range(ds.GetLayerCount())):
        for f in lyr:
            code = f.GetField("code") if f.GetFieldIndex("code") >= 0 else f.GetFID()
            if code in out:
                dup.append(code)
            out[code] = (f.GetField("nom") if f.GetFieldIndex("nom") >= 0 else None,
                         f.GetGeometryRef().Clone(), f.items())
    assert not dup, f"features repeated in one tile: {dup[:10]}"
    return names, out


def to_crs(g, bounds, y_up=True):
    """GDAL's raw tile units -> the grid's CRS, in place. Without X/Y/Z,
    GDAL reports x and extent - row (y upwards), so with y_up=False the
    tile is read upside down (a control)."""
    span_x, span_y = bounds[2] - bounds[0], bounds[3] - bounds[1]
    for i in range(g.GetGeometryCount()):
        to_crs(g.GetGeometryRef(i), bounds, y_up)
    for i in range(g.GetPointCount()):
        px, py = g.GetX(i), g.GetY(i)
        y = bounds[1] + py * span_y / EXTENT if y_up else bounds[3] - py * span_y / EXTENT
        g.SetPoint_2D(i, bounds[0] + px * span_x / EXTENT, y)
    return g


def compare(got, src, bounds):
    """Problems found comparing decoded communes (CRS coordinates) with the
    source (CRS coordinates) for a tile: empty when the tile is right."""
    unit = (bounds[2] - bounds[0]) / EXTENT
    pad = BUFFER * unit
    tile = rect(bounds)
    buffered = rect((bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad))
    benv = buffered.GetEnvelope()
    must, allowed = set(), {}
    for code, (nom, g) in src.items():
        e = g.GetEnvelope()
        if e[0] > benv[1] or e[1] < benv[0] or e[2] > benv[3] or e[3] < benv[2]:
            continue
        if not g.Intersects(buffered):
            continue
        allowed[code] = (nom, g.Intersection(buffered))
        # Clearly in the tile: at least a pixel (16 × 16 units) of it.
        if g.Intersection(tile).GetArea() >= 256 * unit * unit:
            must.add(code)
    problems = []
    missing, extra = must - got.keys(), got.keys() - allowed.keys()
    if missing:
        problems.append(f"{len(missing)} communes missing, e.g. {sorted(missing)[:5]}")
    if extra:
        problems.append(f"{len(extra)} communes not in the buffered tile, e.g. {sorted(extra)[:5]}")
    for code in sorted(got.keys() & allowed.keys()):
        nom, exp = allowed[code]
        gnom, g, _ = got[code]
        if gnom != nom:
            problems.append(f"{code}: name {gnom!r}, source {nom!r}")
        a_exp, a_got = exp.GetArea(), g.GetArea()
        # Quantization (½ unit) and simplification (1 unit) move the
        # boundary by 1.5 unit at most; rings under ¼ px may be dropped.
        tol = 1.5 * unit * exp.Boundary().Length() + 256 * unit * unit
        if abs(a_got - a_exp) > tol:
            problems.append(f"{code}: area {a_got:.0f}, source clipped {a_exp:.0f} (±{tol:.0f})")
            continue
        if a_exp >= 4096 * unit * unit:
            c1, c2 = exp.Centroid(), g.Centroid()
            d = math.hypot(c1.GetX() - c2.GetX(), c1.GetY() - c2.GetY())
            dtol = 2 * unit + 2 * tol / math.sqrt(a_exp)
            if d > dtol:
                problems.append(f"{code}: centroid {d / unit:.1f} units off (±{dtol / unit:.1f})")
    return problems, must, allowed


def fetch(mvt, path, **kw):
    r = mvt["srv"].get(path, **kw)
    return r


def check(mvt, src, tms, z, x, y, name, y_up=True):
    r = fetch(mvt, url(tms, z, x, y))
    assert r.status_code == 200, f"{url(tms, z, x, y)}: HTTP {r.status_code} {r.text[:300]}"
    assert r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert len(r.content) <= 512 * 1024
    names, got = read_tile(r.content, mvt["tmp"], name)
    assert names == [MVT_LAYER]
    b = tile_bounds(tms, z, x, y)
    got = {code: (nom, to_crs(g, b, y_up), items) for code, (nom, g, items) in got.items()}
    return compare(got, src, b), got


CASES = [(WM, 7), (WM, 10), (WM, 12), (L93, 8), (L93, 10), (L93, 12)]


@pytest.mark.parametrize("tms,z", CASES, ids=[f"{t}-{z}" for t, z in CASES])
def test_tile_matches_the_source(mvt, src_wm, src_l93, tms, z):
    src = src_wm if tms == WM else src_l93
    x, y = tile_of(tms, z, *ORLEANS)
    (problems, must, allowed), got = check(mvt, src, tms, z, x, y, f"{tms}-{z}")
    assert not problems, f"{tms} {z}/{x}/{y}: " + "\n".join(problems[:20])
    assert "45234" in got, "Orléans is in its own tile"
    assert len(must) >= 1 and len(got) >= len(must)


def test_a_tile_one_column_off_fails_the_comparison(mvt, src_wm):
    x, y = tile_of(WM, 10, *ORLEANS)
    b = tile_bounds(WM, 10, x, y)
    r = fetch(mvt, url(WM, 10, x + 1, y))
    assert r.status_code == 200
    _, got = read_tile(r.content, mvt["tmp"], "off")
    got = {c: (n, to_crs(g, b), i) for c, (n, g, i) in got.items()}
    problems, must, _ = compare(got, src_wm, b)
    assert problems, "the comparison accepts the neighbouring tile"
    assert set(got) != must


def test_a_tile_read_upside_down_fails_the_comparison(mvt, src_l93):
    x, y = tile_of(L93, 12, *ORLEANS)
    (problems, _, _), _ = check(mvt, src_l93, L93, 12, x, y, "flip", y_up=False)
    assert problems, "the comparison accepts a tile read upside down"


def test_gdal_georeferences_web_mercator_tiles_the_same_way(mvt, src_wm):
    x, y = tile_of(WM, 10, *ORLEANS)
    r = fetch(mvt, url(WM, 10, x, y))
    _, raw = read_tile(r.content, mvt["tmp"], "raw")
    _, geo = read_tile(r.content, mvt["tmp"], "geo", [f"X={x}", f"Y={y}", "Z=10"])
    b = tile_bounds(WM, 10, x, y)
    unit = (b[2] - b[0]) / EXTENT
    assert raw.keys() == geo.keys()
    for code, (_, g, _) in raw.items():
        mine = to_crs(g, b).GetEnvelope()
        theirs = geo[code][1].GetEnvelope()
        assert all(abs(p - q) < 1e-3 * unit for p, q in zip(mine, theirs)), (code, mine, theirs)
    (problems, _, _) = compare(geo, src_wm, b)
    assert not problems, problems[:10]


def test_attribute_types_and_geometry_kinds(mvt):
    o = ogr()
    x, y = tile_of(WM, 12, 1.91, 47.90)
    r = fetch(mvt, url(WM, 12, x, y, layer="typed.typed_points"))
    assert r.status_code == 200, r.text[:300]
    p = mvt["tmp"] / "typed.mvt"
    p.write_bytes(r.content)
    ds = helpers.gdal().OpenEx(str(p), helpers.gdal().OF_VECTOR,
                               open_options=["CLIP=NO", f"X={x}", f"Y={y}", "Z=12"])
    lyr = ds.GetLayer(0)
    assert lyr.GetName() == "typed_points"
    d = lyr.GetLayerDefn()
    types = {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetType() for i in range(d.GetFieldCount())}
    assert types["n"] in (o.OFTInteger, o.OFTInteger64), types
    assert types["neg"] in (o.OFTInteger, o.OFTInteger64), types
    assert types["r"] == o.OFTReal, types
    assert types["s"] == o.OFTString, types
    got = sorted((f.GetField("n"), f.GetField("neg"), f.GetField("r"), f.GetField("s"),
                  f.GetGeometryRef().GetGeometryType()) for f in lyr)
    exp = sorted((p["properties"]["n"], p["properties"]["neg"], p["properties"]["r"], p["properties"]["s"],
                  o.wkbPoint) for p in TYPED_POINTS["features"])
    assert got == exp
    # Each point is where the source puts it, to a tile unit.
    wm = [helpers.lonlat_to_wm(*f["geometry"]["coordinates"]) for f in TYPED_POINTS["features"]]
    b = tile_bounds(WM, 12, x, y)
    unit = (b[2] - b[0]) / EXTENT
    lyr.ResetReading()
    for f in lyr:
        g = f.GetGeometryRef()
        assert min(math.hypot(g.GetX() - a, g.GetY() - c) for a, c in wm) <= unit
    r = fetch(mvt, url(WM, 12, x, y, layer="typed.typed_lines"))
    assert r.status_code == 200
    _, lines = read_tile(r.content, mvt["tmp"], "lines")
    kinds = {o.GT_Flatten(g.GetGeometryType()) for _, g, _ in lines.values()}
    assert kinds <= {o.wkbLineString, o.wkbMultiLineString} and len(lines) == 2, kinds


def test_pbf_extension_etag_and_revalidation(mvt):
    x, y = tile_of(WM, 10, *ORLEANS)
    a = fetch(mvt, url(WM, 10, x, y))
    b = fetch(mvt, url(WM, 10, x, y, ext="pbf"))
    assert a.status_code == b.status_code == 200 and a.content == b.content
    etag = a.headers.get("etag")
    assert etag and etag.startswith('"') and "max-age" in a.headers.get("cache-control", "")
    c = fetch(mvt, url(WM, 10, x, y), headers={"If-None-Match": etag})
    assert c.status_code == 304 and c.headers.get("etag") == etag
    other = fetch(mvt, url(WM, 10, x + 1, y))
    assert other.headers.get("etag") != etag
    d = fetch(mvt, url(WM, 10, x + 1, y), headers={"If-None-Match": etag})
    assert d.status_code == 200


def test_empty_tiles_answer_204(mvt):
    # The Atlantic, and Lambert-93's corner: in their grids, without communes.
    for tms, z, x, y in [(WM, 10, *helpers.wm_tile_of(10, -20.0, 45.0)), (L93, 10, 0, 0)]:
        r = fetch(mvt, url(tms, z, x, y))
        assert r.status_code == 204, (tms, r.status_code, r.text[:200])
        assert r.content == b"" and "max-age" in r.headers.get("cache-control", "")


def test_low_zoom_tiles_are_bounded_and_still_full(mvt, src_wm, src_l93):
    for tms, z in ((WM, 5), (WM, 6), (L93, 6)):
        src = src_wm if tms == WM else src_l93
        x, y = tile_of(tms, z, *ORLEANS)
        (problems, must, allowed), got = check(mvt, src, tms, z, x, y, f"low-{tms}-{z}")
        assert not problems, f"{tms} {z}/{x}/{y}: " + "\n".join(problems[:20])
        # Simplified, not emptied: only communes under a pixel may go.
        assert len(got) >= 0.95 * len(allowed) and len(allowed) > 1000, (len(got), len(allowed))


def test_tilejson(mvt, source):
    for tms in (WM, L93):
        r = fetch(mvt, f"/tiles/{LAYER}/{tms}/tilejson.json")
        assert r.status_code == 200, r.text[:300]
        assert r.headers["content-type"].startswith("application/json")
        tj = r.json()
        assert tj["tilejson"] == "3.0.0" and len(tj["tiles"]) == 1
        assert 0 <= tj["minzoom"] <= tj["maxzoom"] <= 23
        vl = {v["id"]: v for v in tj["vector_layers"]}
        assert set(vl) == {MVT_LAYER} and set(vl[MVT_LAYER]["fields"]) == {"code", "nom"}
        env = [g.GetEnvelope() for _, g in source.values()]
        exp = (min(e[0] for e in env), min(e[2] for e in env), max(e[1] for e in env), max(e[3] for e in env))
        assert all(abs(a - b) < 1e-4 for a, b in zip(tj["bounds"], exp)), (tj["bounds"], exp)
        assert tj["bounds"][0] <= tj["center"][0] <= tj["bounds"][2]
        # The template, filled for the tile holding Orléans, is that tile.
        x, y = tile_of(tms, 10, *ORLEANS)
        t = tj["tiles"][0].replace("{z}", "10").replace("{x}", str(x)).replace("{y}", str(y))
        assert t.startswith(mvt["srv"].base_url)
        r2 = mvt["srv"].http.get(t, timeout=60)
        assert r2.status_code == 200 and r2.content == fetch(mvt, url(tms, 10, x, y)).content
        names, _ = read_tile(r2.content, mvt["tmp"], f"tj-{tms}")
        assert names == list(vl)


def problem(r, status):
    assert r.status_code == status, (r.url, r.status_code, r.text[:300])
    assert r.headers["content-type"] == "application/problem+json", r.headers
    body = r.json()
    assert body["status"] == status and body.get("detail"), body
    return body


def test_bad_inputs(mvt):
    x, y = tile_of(WM, 10, *ORLEANS)
    g = lambda p: fetch(mvt, p)  # noqa: E731
    problem(g(url(WM, 10, x, y, layer="admin.nope")), 404)
    problem(g(url(WM, 10, x, y, layer="nodot")), 404)
    problem(g(f"/tiles/admin.nope/{WM}/tilejson.json"), 404)
    problem(g(url("EPSG:4326", 10, x, y)), 404)
    problem(g(url("NoSuchGrid", 10, x, y)), 404)
    problem(g(f"/tiles/{LAYER}/NoSuchGrid/tilejson.json"), 404)
    for z, xx, yy in [(24, 0, 0), (10, 1024, 0), (10, 0, 1024), (300, 0, 0),
                      (10, 10 ** 30, 0), (10, 0, 10 ** 30)]:
        problem(g(url(WM, z, xx, yy)), 404)
    for z, xx, yy in [(23, 0, 0), (10, 10 ** 6, 0), (10, 0, 10 ** 6)]:
        problem(g(url(L93, z, xx, yy)), 404)
    for z, xx, yy in [("a", x, y), (10, "1.5", y), (10, x, "abc"), (10, "-1", y), ("1e3", x, y), (10, x, "")]:
        problem(g(url(WM, z, xx, yy)), 400)


def test_a_hidden_layer_answers_like_an_unknown_one(mvt):
    x, y = tile_of(WM, 12, 1.91, 47.90)
    # The same points, public, do have a tile there.
    assert fetch(mvt, url(WM, 12, x, y, layer="typed.typed_points")).status_code == 200
    for path in (lambda l: url(WM, 12, x, y, layer=l),
                 lambda l: url(WM, 99, 0, 0, layer=l),
                 lambda l: url(WM, "a", 0, 0, layer=l),
                 lambda l: f"/tiles/{l}/{WM}/tilejson.json"):
        hidden = fetch(mvt, path("secret.typed_points"))
        unknown = fetch(mvt, path("nosuch.typed_points"))
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.headers["content-type"] == unknown.headers["content-type"]
        assert hidden.text.replace("secret", "nosuch") == unknown.text
