"""Vector data ingest: `geocentre vector ingest` and `geocentre vector list`.

Contract (README "Command line", issue "Vector data: ingest"): every usable
layer of the given files goes into one GeoPackage per delivered file, in one
directory per ingest, D/vector/<dataset>/g<ingest_id>/f<n>.gpkg (a table per
layer, R-tree, FID column `fid` — `gc_fid` when the source has an attribute
named fid —, geometry column `geom`, attribute types and Z kept, CRS detected or
given with --crs), published atomically; bad files are rejected with a code
(corrupt, no-geometry, unknown-crs, encoding), exit 0 / 3 / 1.

Every check reads the produced GeoPackage back with osgeo.ogr and compares it
with the SOURCE read by OGR (nothing expected is stored here).

Data:
  * REAL (data/): the Centre-Val de Loire communes, départements and
    cantons (GeoJSON, WGS84); the PCRS v2.0 deliveries of Lyon (GML, 11
    feature classes, 3D, EPSG:3946) and GéoVendée (GML, EPSG:3947).
  * DERIVED at test time in pytest's tmp dirs (never committed), all with
    osgeo.ogr/gdal from the real admin GeoJSON (see `make_derived`): the
    communes and départements with two computed attributes (`dep` Integer,
    `surf_ha` Real = area in Lambert-93) as Shapefile (plain, with a UTF-8
    .cpg, and zipped), GeoPackage (two layers), KML, CSV with lon/lat columns
    (commune centroids) and CSV with a WKT column (départements), both with a
    .csvt; CSV in Lambert-93 metres without CRS; GeoJSON in Lambert-93 without
    a `crs` member; a GeoJSON with a self-intersecting (bow-tie) polygon; bad
    files (truncated GeoJSON, truncated .shp, CSV without coordinates,
    Shapefile whose .cpg says UTF-8 but whose DBF holds Latin-1 bytes).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from osgeo import gdal, ogr, osr

import cluster
import helpers
from helpers import describe_proc, parse_single_json, run_cli

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

# REAL DATA
DATA = helpers.DATA
COMMUNES = DATA / "admin" / "communes-centre-val-de-loire.geojson"
DEPARTEMENTS = DATA / "admin" / "departements-centre-val-de-loire.geojson"
CANTONS = DATA / "admin" / "cantons-centre-val-de-loire.geojson"
LYON = DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"
VENDEE = DATA / "pcrs" / "pcrs-v2-geovendee-mur-cc47.gml"

LYON_CLASSES = 11
NAME_RE = re.compile(r"^[A-Za-z0-9_]+$")
# Rough WGS84 box of Centre-Val de Loire (the region's extent is 0.05..3.13 E, 46.35..48.94 N).
CVL_WGS84 = (-0.5, 46.0, 3.5, 49.3)


# --------------------------------------------------------------------------
# CLI helpers
# --------------------------------------------------------------------------

def vector_ingest(data_dir, dataset, paths, extra=(), json_out=True, timeout=120):
    args = ["vector", "ingest", "--dataset", dataset, *extra]
    if json_out:
        args.append("--json")
    args += [str(p) for p in paths]
    proc = run_cli(args, data_dir=data_dir, timeout=timeout)
    return proc, (parse_single_json(proc) if json_out else None)


def vector_list(data_dir):
    """`vector list --json` as {dataset name: dataset}. The output is one JSON
    document: an array of datasets (or an object holding them under `datasets`)."""
    proc = run_cli(["vector", "list", "--json"], data_dir=data_dir, timeout=60)
    assert proc.returncode == 0, describe_proc(proc, "vector list --json failed")
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise AssertionError(describe_proc(proc, f"vector list --json: stdout is not one JSON document ({e})"))
    sets = doc.get("datasets") if isinstance(doc, dict) else doc
    assert isinstance(sets, list), describe_proc(proc, "vector list --json: no list of datasets")
    return {d["name"]: d for d in sets}


def files_by_name(rep):
    return {Path(f["path"]).name: f for f in rep["files"]}


def report_layers(rep):
    return {l["name"]: l for l in rep["layers"]}


def gpkg_path(data_dir, dataset, ingest_id, layer=None):
    """The GeoPackage of an ingest: one per delivered file, under
    vector/<dataset>/g<ingest_id>/. Without `layer`, the ingest must have
    exactly one; with it, the one holding that layer."""
    d = Path(data_dir) / "vector" / dataset / f"g{ingest_id}"
    cluster.fetch_published(data_dir, f"vector/{dataset}/g{ingest_id}")
    files = sorted(d.glob("*.gpkg"))
    if layer is not None:
        for f in files:
            ds = open_vector(f)
            if ds is not None and ds.GetLayerByName(layer) is not None:
                return f
    if len(files) > 1 and layer is None:
        # Several files: one OGR VRT over all their layers, to read them
        # as one dataset.
        parts = []
        for f in files:
            ds = open_vector(f)
            for i in range(ds.GetLayerCount()):
                name = ds.GetLayer(i).GetName()
                parts.append(f'<OGRVRTLayer name="{name}"><SrcDataSource relativeToVRT="1">{f.name}</SrcDataSource>'
                             f'<SrcLayer>{name}</SrcLayer></OGRVRTLayer>')
        vrt = d / "all-layers.vrt"
        vrt.write_text("<OGRVRTDataSource>" + "".join(parts) + "</OGRVRTDataSource>")
        return vrt
    return files[0] if files else d / "missing.gpkg"


def dump(rep):
    return json.dumps(rep, indent=1, ensure_ascii=False)[:6000]


# --------------------------------------------------------------------------
# OGR helpers
# --------------------------------------------------------------------------

def open_vector(path, open_options=()):
    path = str(path)
    if path.lower().endswith(".zip"):
        path = "/vsizip/" + path
    if path.lower().endswith(".gml"):
        # GDAL's GML driver otherwise writes a .gfs beside the file: into the
        # repository's data/, which holds the real files unchanged.
        open_options = ["WRITE_GFS=NO", *open_options]
    return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=list(open_options))


def open_layer(path, name=None, open_options=()):
    """A layer that keeps its dataset alive (a bare GetLayer() of a dropped
    dataset crashes the interpreter)."""
    ds = open_vector(path, open_options)
    lyr = ds.GetLayer(0) if name is None else ds.GetLayerByName(name)
    assert lyr is not None, f"no layer {name!r} in {path}"
    lyr._dataset = ds
    return lyr


def field_defs(layer):
    d = layer.GetLayerDefn()
    return [(d.GetFieldDefn(i).GetName(), d.GetFieldDefn(i).GetTypeName()) for i in range(d.GetFieldCount())]


def epsg_of(layer):
    srs = layer.GetSpatialRef()
    if srs is None:
        return None
    if srs.GetAuthorityName(None) == "EPSG":
        return int(srs.GetAuthorityCode(None))
    srs = srs.Clone()
    srs.AutoIdentifyEPSG()
    code = srs.GetAuthorityCode(None)
    return int(code) if code else None


def points_of(g):
    """Every vertex (x, y, z) of a geometry, in order (curves included)."""
    out = []

    def rec(h):
        n = h.GetGeometryCount()
        if n:
            for i in range(n):
                rec(h.GetGeometryRef(i))
        else:
            for i in range(h.GetPointCount()):
                out.append(h.GetPoint(i))

    rec(g)
    return out


def geometry_problem(src, dst, tol):
    """None when dst is src within tol (vertex by vertex, Z included), else why not."""
    if src is None or dst is None:
        return None if src is None and dst is None else f"geometry {src is None and 'absent' or 'present'} in the " \
                                                         f"source, {dst is None and 'absent' or 'present'} stored"
    if src.ExportToIsoWkb() == dst.ExportToIsoWkb():
        return None
    # A layer mixing single and multi geometries is stored as multi (one
    # type per GeoPackage column): a single part promoted to a one-part
    # multi is the same geometry, compared as such.
    if ("MULTI" + src.GetGeometryName() == dst.GetGeometryName()
            and dst.GetGeometryCount() == 1):
        dst = dst.GetGeometryRef(0)
    if src.GetGeometryName() != dst.GetGeometryName():
        return f"type {src.GetGeometryName()} became {dst.GetGeometryName()}"
    if src.Is3D() != dst.Is3D():
        return f"3D {src.Is3D()} became {dst.Is3D()}"
    ps, pd = points_of(src), points_of(dst)
    if len(ps) != len(pd):
        return f"{len(ps)} vertices became {len(pd)}"
    worst = max((max(abs(a - b) for a, b in zip(p, q)) for p, q in zip(ps, pd)), default=0.0)
    if worst > tol:
        return f"vertices moved by up to {worst:g} (tolerance {tol:g})"
    area_s, area_d = src.GetArea(), dst.GetArea()
    if abs(area_s - area_d) > 1e-6 * max(abs(area_s), 1e-12):
        return f"area {area_s!r} became {area_d!r}"
    return None


def values_equal(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def compare_layer(src_layer, dst_layer, key, tol, what):
    """Feature count, field names and types, every attribute value (matched by
    `key`), every geometry: the GeoPackage layer against the source layer."""
    problems = []
    sf, df = field_defs(src_layer), dict(field_defs(dst_layer))
    for name, typ in sf:
        if name not in df:
            problems.append(f"{what}: field {name!r} missing (stored fields: {sorted(df)})")
        elif df[name] != typ:
            problems.append(f"{what}: field {name!r} is {typ} in the source, {df[name]} stored")
    if src_layer.GetFeatureCount() != dst_layer.GetFeatureCount():
        problems.append(f"{what}: {src_layer.GetFeatureCount()} features in the source, "
                        f"{dst_layer.GetFeatureCount()} stored")

    def by_key(layer):
        out = {}
        layer.ResetReading()
        for f in layer:
            g = f.GetGeometryRef()
            out.setdefault(f.GetField(key), []).append((f.items(), g.Clone() if g is not None else None))
        layer.ResetReading()
        return out

    src, dst = by_key(src_layer), by_key(dst_layer)
    assert all(len(v) == 1 for v in src.values()), f"{what}: key {key!r} is not unique in the source"
    missing = sorted(map(str, set(src) - set(dst)))[:5]
    if missing:
        problems.append(f"{what}: features with {key} {missing} missing")
    shown = 0
    for k, [(sitems, sgeom)] in src.items():
        if k not in dst or shown >= 10:
            continue
        ditems, dgeom = dst[k][0]
        for name, _ in sf:
            if name in ditems and not values_equal(sitems[name], ditems[name]):
                problems.append(f"{what}: {key}={k}: {name} = {sitems[name]!r} in the source, {ditems[name]!r} stored")
                shown += 1
        why = geometry_problem(sgeom, dgeom, tol)
        if why:
            problems.append(f"{what}: {key}={k}: {why}")
            shown += 1
    return problems


def gpkg_structure_problems(gpkg, table, spatial):
    """FID column `fid`, geometry column `geom` and an R-tree (GeoPackage rtree
    extension) holding one entry per non-empty geometry."""
    problems = []
    ds = open_vector(gpkg)
    lyr = ds.GetLayerByName(table)
    if lyr is None:
        return [f"no table {table!r} in {gpkg}"]
    if lyr.GetFIDColumn() != "fid":
        problems.append(f"{table}: FID column is {lyr.GetFIDColumn()!r}, expected 'fid'")
    if spatial:
        if lyr.GetGeometryColumn() != "geom":
            problems.append(f"{table}: geometry column is {lyr.GetGeometryColumn()!r}, expected 'geom'")
        con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
        try:
            ext = con.execute("SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND "
                              "extension_name = 'gpkg_rtree_index'", (table,)).fetchone()[0]
            if not ext:
                problems.append(f"{table}: no gpkg_rtree_index extension row")
            try:
                n_rtree = con.execute(f'SELECT count(*) FROM "rtree_{table}_geom"').fetchone()[0]
                n_geom = con.execute(f'SELECT count(*) FROM "{table}" WHERE geom IS NOT NULL').fetchone()[0]
                if n_rtree != n_geom:
                    problems.append(f"{table}: R-tree holds {n_rtree} entries for {n_geom} geometries")
            except sqlite3.Error as e:
                problems.append(f"{table}: no R-tree table rtree_{table}_geom ({e})")
        finally:
            con.close()
    return problems


# GeoPackage 1.2 geometry type hierarchy: a column of type K accepts K and its subtypes.
GPKG_SUBTYPES = {
    "GEOMETRY": None,  # anything
    "CURVE": {"LINESTRING", "CIRCULARSTRING", "COMPOUNDCURVE"},
    "SURFACE": {"CURVEPOLYGON", "POLYGON"},
    "CURVEPOLYGON": {"POLYGON"},
    "GEOMETRYCOLLECTION": {"MULTIPOINT", "MULTICURVE", "MULTILINESTRING", "MULTISURFACE", "MULTIPOLYGON"},
    "MULTICURVE": {"MULTILINESTRING"},
    "MULTISURFACE": {"MULTIPOLYGON"},
}


def geometry_type_conformance(gpkg):
    """Features whose geometry type the table's declared geometry_type_name
    does not allow (GeoPackage 1.2, requirement 32 and Annex G)."""
    problems = []
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        cols = con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns").fetchall()
    finally:
        con.close()
    ds = open_vector(gpkg)
    for table, declared in cols:
        declared = declared.upper()
        allowed = GPKG_SUBTYPES.get(declared, set())
        found = {}
        for f in ds.GetLayerByName(table):
            g = f.GetGeometryRef()
            if g is None:
                continue
            t = g.GetGeometryName().upper()
            if allowed is not None and t != declared and t not in allowed:
                found[t] = found.get(t, 0) + 1
        for t, n in found.items():
            problems.append(f"{Path(gpkg).name}/{table}: {n} {t} geometries in a column declared {declared}")
    return problems


def feature_extent(layer):
    """[minx, miny, maxx, maxy] of the layer's geometries, computed feature by
    feature (GML's stored extent is rounded)."""
    e = None
    layer.ResetReading()
    for f in layer:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        x0, x1, y0, y1 = g.GetEnvelope()
        e = [x0, y0, x1, y1] if e is None else [min(e[0], x0), min(e[1], y0), max(e[2], x1), max(e[3], y1)]
    layer.ResetReading()
    return e


def wgs84_bbox(bbox, epsg):
    """bbox (in EPSG:epsg) transformed to WGS84 lon/lat (densified edges)."""
    src = osr.SpatialReference()
    src.ImportFromEPSG(epsg)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, _wgs84())
    return list(ct.TransformBounds(bbox[0], bbox[1], bbox[2], bbox[3], 21))


# --------------------------------------------------------------------------
# DERIVED inputs
# --------------------------------------------------------------------------

def _wgs84():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def _l93():
    s = osr.SpatialReference()
    s.ImportFromEPSG(2154)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def enriched(path):
    """DERIVED: features of a REAL admin GeoJSON as (attrs, geometry) with two
    computed attributes: `dep` (Integer, the département number) and `surf_ha`
    (Real, the area in hectares computed in Lambert-93)."""
    ct = osr.CoordinateTransformation(_wgs84(), _l93())
    ds = open_vector(path)
    out = []
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef().Clone()
        g93 = g.Clone()
        g93.Transform(ct)
        code = f.GetField("code")
        out.append(({"code": code, "nom": f.GetField("nom"), "dep": int(code[:2]),
                     "surf_ha": round(g93.GetArea() / 1e4, 6)}, g))
    return out


FIELDS = [("code", ogr.OFTString), ("nom", ogr.OFTString), ("dep", ogr.OFTInteger), ("surf_ha", ogr.OFTReal)]


def write_layer(ds, name, srs, gtype, fields, features, lco=()):
    lyr = ds.CreateLayer(name, srs=srs, geom_type=gtype, options=list(lco))
    for fname, ftype in fields:
        fd = ogr.FieldDefn(fname, ftype)
        if fname == "surf_ha":
            fd.SetWidth(18)
            fd.SetPrecision(6)
        lyr.CreateField(fd)
    for attrs, geom in features:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in attrs.items():
            f.SetField(k, v)
        if geom is not None:
            f.SetGeometry(geom)
        lyr.CreateFeature(f)
    return lyr


def write_file(driver, path, name, srs, gtype, fields, features, lco=()):
    ds = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    write_layer(ds, name, srs, gtype, fields, features, lco)
    ds = None
    return Path(path)


def write_csv(path, header, rows, types):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    Path(path).with_suffix(".csvt").write_text(",".join(types) + "\n")
    return Path(path)


def make_derived(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    d = {}
    communes = enriched(COMMUNES)
    depts = enriched(DEPARTEMENTS)
    wgs = _wgs84()

    # Shapefile, plain (UTF-8 .cpg: accented commune names).
    d["shp"] = write_file("ESRI Shapefile", root / "communes-enrichies.shp", "communes-enrichies", wgs,
                          ogr.wkbPolygon, FIELDS, communes, lco=["ENCODING=UTF-8"])
    # Shapefile, zipped (the four files at the root of the archive).
    zdir = root / "zsrc"
    zdir.mkdir()
    write_file("ESRI Shapefile", zdir / "communes.shp", "communes", wgs, ogr.wkbPolygon, FIELDS, communes,
               lco=["ENCODING=UTF-8"])
    d["zip"] = root / "communes-shp.zip"
    with zipfile.ZipFile(d["zip"], "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(zdir.iterdir()):
            z.write(p, p.name)
    # GeoPackage with two layers.
    d["gpkg"] = root / "admin-cvl.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(d["gpkg"]))
    write_layer(ds, "communes", wgs, ogr.wkbUnknown, FIELDS, communes)
    write_layer(ds, "departements", wgs, ogr.wkbPolygon, FIELDS, depts)
    ds = None
    # KML (OGR's KML writer; attributes as ExtendedData).
    d["kml"] = write_file("KML", root / "departements.kml", "departements", wgs, ogr.wkbPolygon, FIELDS, depts)
    # CSV with lon/lat columns: the communes' centroids (17 significant digits).
    rows = []
    for a, g in communes:
        c = g.Centroid()
        rows.append([a["code"], a["nom"], a["dep"], repr(a["surf_ha"]), repr(c.GetX()), repr(c.GetY())])
    d["csv_lonlat"] = write_csv(root / "communes-centroides.csv", ["code", "nom", "dep", "surf_ha", "lon", "lat"],
                                rows, ["String", "String", "Integer", "Real", "Real", "Real"])
    # CSV with a WKT column: the départements.
    rows = [[a["code"], a["nom"], a["dep"], repr(a["surf_ha"]), g.ExportToIsoWkt()] for a, g in depts]
    d["csv_wkt"] = write_csv(root / "departements-wkt.csv", ["code", "nom", "dep", "surf_ha", "WKT"], rows,
                             ["String", "String", "Integer", "Real", "String"])
    # CSV in Lambert-93 metres (x/y), no CRS anywhere.
    ct = osr.CoordinateTransformation(wgs, _l93())
    rows = []
    for a, g in communes:
        c = g.Centroid()
        c.Transform(ct)
        rows.append([a["code"], a["nom"], repr(round(c.GetX(), 3)), repr(round(c.GetY(), 3))])
    d["csv_l93"] = write_csv(root / "communes-l93.csv", ["code", "nom", "x", "y"], rows,
                             ["String", "String", "Real", "Real"])
    # GeoJSON whose coordinates are Lambert-93 but without a `crs` member
    # (readers then take it as WGS84: the file is wrong, --crs fixes it).
    feats = []
    for a, g in depts:
        g = g.Clone()
        g.Transform(ct)
        feats.append({"type": "Feature", "properties": {"code": a["code"], "nom": a["nom"]},
                      "geometry": json.loads(g.ExportToJson(["COORDINATE_PRECISION=3"]))})
    d["geojson_l93"] = root / "departements-l93.geojson"
    d["geojson_l93"].write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    # GeoJSON with a self-intersecting polygon (bow-tie over a commune's bbox) and two valid communes.
    (a1, g1), (a2, g2) = communes[0], communes[1]
    minx, maxx, miny, maxy = g1.GetEnvelope()
    bowtie = {"type": "Polygon", "coordinates": [[[minx, miny], [maxx, maxy], [maxx, miny], [minx, maxy],
                                                  [minx, miny]]]}
    feats = [{"type": "Feature", "properties": {"code": "noeud", "nom": "noeud papillon"}, "geometry": bowtie}]
    for a, g in ((a1, g1), (a2, g2)):
        feats.append({"type": "Feature", "properties": {"code": a["code"], "nom": a["nom"]},
                      "geometry": json.loads(g.ExportToJson())})
    d["bowtie"] = root / "noeud-papillon.geojson"
    d["bowtie"].write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    d["bowtie_area"] = (maxx - minx) * (maxy - miny) / 2.0

    # ---- bad files
    bad = root / "bad"
    bad.mkdir()
    raw = DEPARTEMENTS.read_bytes()
    d["truncated_geojson"] = bad / "tronque.geojson"
    d["truncated_geojson"].write_bytes(raw[: len(raw) // 2])
    d["nogeom_csv"] = write_csv(bad / "sans-geometrie.csv", ["code", "nom", "dep"],
                                [[a["code"], a["nom"], a["dep"]] for a, _ in depts],
                                ["String", "String", "Integer"])
    d["l93_nocrs"] = bad / "communes-metres.csv"
    shutil.copy(d["csv_l93"], d["l93_nocrs"])
    shutil.copy(d["csv_l93"].with_suffix(".csvt"), d["l93_nocrs"].with_suffix(".csvt"))
    # A Shapefile whose .shp is cut in the middle (.shx and .dbf intact).
    tdir = bad / "shp-tronque"
    tdir.mkdir()
    d["truncated_shp"] = write_file("ESRI Shapefile", tdir / "communes-tronque.shp", "communes-tronque", wgs,
                                    ogr.wkbPolygon, FIELDS, communes, lco=["ENCODING=UTF-8"])
    os.truncate(d["truncated_shp"], d["truncated_shp"].stat().st_size // 2)
    # A Shapefile whose .cpg says UTF-8 but whose DBF holds Latin-1 bytes.
    ldir = bad / "latin1"
    ldir.mkdir()
    indre = [(a, g) for a, g in communes if a["dep"] == 36]
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # a few names hold characters Latin-1 lacks (œ)
    try:
        d["latin1_shp"] = write_file("ESRI Shapefile", ldir / "communes-latin1.shp", "communes-latin1", wgs,
                                     ogr.wkbPolygon, FIELDS, indre, lco=["ENCODING=ISO-8859-1"])
    finally:
        gdal.PopErrorHandler()
    d["latin1_shp"].with_suffix(".cpg").write_text("UTF-8")
    d["latin1_names"] = sum(1 for a, _ in indre if not a["nom"].isascii())
    assert d["latin1_names"] > 10
    return d


@pytest.fixture(scope="module")
def vfiles(tmp_path_factory):
    for p in (COMMUNES, DEPARTEMENTS, CANTONS, LYON, VENDEE):
        if not p.is_file():
            pytest.fail(f"real data not found at {p} (the repository carries it under data/)", pytrace=False)
    return make_derived(tmp_path_factory.mktemp("vector-derived"))


@pytest.fixture(scope="module")
def vdata(tmp_path_factory):
    """One data dir for the per-format ingests (a dataset each)."""
    return tmp_path_factory.mktemp("vector-data") / "data"


# --------------------------------------------------------------------------
# Per format: read back and compare with the source
# --------------------------------------------------------------------------

CSV_XY = ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", "KEEP_GEOM_COLUMNS=NO"]
CSV_WKT = ["GEOM_POSSIBLE_NAMES=WKT", "KEEP_GEOM_COLUMNS=NO"]

# name: (path key or REAL path, source open options, {source layer: expected dataset layer}, key, EPSG, 3D, tol)
FORMATS = {
    "geojson": (COMMUNES, [], {"communes-centre-val-de-loire": "communes_centre_val_de_loire"}, "code", 4326,
                False, 1e-9),
    "shapefile": ("shp", [], {"communes-enrichies": "communes_enrichies"}, "code", 4326, False, 1e-9),
    # An archive is walked like a folder: its Shapefile is a delivered file
    # of its own, named after itself (communes.shp), its sidecars listed.
    "shapefile-zip": ("zip", [], {"communes": "communes"}, "code", 4326, False, 1e-9),
    "geopackage": ("gpkg", [], {"communes": "communes", "departements": "departements"}, "code", 4326, False,
                   1e-9),
    "kml": ("kml", [], {"departements": "departements"}, "code", 4326, False, 1e-9),
    "csv-lonlat": ("csv_lonlat", CSV_XY, {"communes-centroides": "communes_centroides"}, "code", 4326, False,
                   1e-12),
    "csv-wkt": ("csv_wkt", CSV_WKT, {"departements-wkt": "departements_wkt"}, "code", 4326, False, 1e-9),
    "pcrs-lyon": (LYON, [], None, "gml_id", 3946, True, 1e-6),
    "pcrs-geovendee": (VENDEE, [], {"MurPCRS": "pcrs_v2_geovendee_mur_cc47"}, "gml_id", 3947, True, 1e-6),
}

_ingested = {}


def ingest_format(fmt, vfiles, vdata):
    """Ingests a format's file once per data dir (dataset `f-<fmt>`), returns (path, proc, report)."""
    key = (str(vdata), fmt)
    if key not in _ingested:
        src = FORMATS[fmt][0]
        path = src if isinstance(src, Path) else vfiles[src]
        proc, rep = vector_ingest(vdata, f"f-{fmt}", [path])
        _ingested[key] = (path, proc, rep)
    return _ingested[key]


def expected_layers(fmt, path):
    mapping = FORMATS[fmt][2]
    if mapping is None:  # every source layer keeps its name
        ds = open_vector(path)
        mapping = {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    return mapping


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_format_ingest_report(fmt, vfiles, vdata):
    path, proc, rep = ingest_format(fmt, vfiles, vdata)
    assert proc.returncode == 0, describe_proc(proc, f"{fmt}: a clean file must be ingested (exit 0)")
    mapping = expected_layers(fmt, path)
    epsg, is3d = FORMATS[fmt][4], FORMATS[fmt][5]
    assert rep["dataset"] == f"f-{fmt}" and rep["status"] == "published", dump(rep)
    assert isinstance(rep["ingest_id"], int), dump(rep)
    assert isinstance(rep["elapsed_s"], (int, float)) and rep["elapsed_s"] >= 0, dump(rep)
    data = [f for f in rep["files"] if f["status"] in ("ingested", "rejected")]
    assert len(data) == 1, dump(rep)
    f = data[0]
    assert f["status"] == "ingested" and f["code"] is None and f["reason"] is None, dump(f)
    if fmt == "shapefile-zip":
        # The member inside the archive, and the Shapefile's sidecars.
        assert f["path"] == f"{path}/communes.shp", f
        assert sorted(Path(x["path"]).name for x in rep["files"] if x["sidecar_of"] == f["path"]) == \
            ["communes.cpg", "communes.dbf", "communes.prj", "communes.shx"], dump(rep)
    else:
        assert Path(f["path"]).name == path.name, f
    assert isinstance(f["driver"], str) and f["driver"], f
    assert {l["source_layer"]: l["name"] for l in f["layers"]} == mapping, dump(f)
    layers = report_layers(rep)
    assert set(layers) == set(mapping.values()), dump(rep)
    assert all(NAME_RE.match(n) for n in layers), sorted(layers)
    assert rep["features"] == sum(l["feature_count"] for l in rep["layers"]), dump(rep)
    assert any(l["has_z"] for l in rep["layers"]) is is3d, dump(rep)
    src = open_vector(path, FORMATS[fmt][1])
    for fl in f["layers"]:
        sl = src.GetLayerByName(fl["source_layer"])
        spatial = sl.GetGeomType() != ogr.wkbNone
        assert fl["features"] == sl.GetFeatureCount(), fl
        assert fl["invalid_geometries"] == 0 and fl["repaired"] is False, fl
        assert [(x["name"], x["type"]) for x in fl["fields"]] == field_defs(sl), fl
        L = layers[fl["name"]]
        assert L["feature_count"] == sl.GetFeatureCount(), L
        assert [(x["name"], x["type"]) for x in L["fields"]] == field_defs(sl), L
        assert L["source"] == f["path"], L
        if spatial:
            assert fl["epsg"] == epsg and L["srid"] == epsg, (fl, L)
            src_z = bool(ogr.GT_HasZ(sl.GetGeomType()))
            assert L["has_z"] is src_z and fl["has_z"] is src_z, (fl, L)
            ext = feature_extent(sl)
            assert L["bbox"] == pytest.approx(ext, abs=1e-6), L
            assert L["bbox_wgs84"] == pytest.approx(wgs84_bbox(ext, epsg), abs=1e-7), L


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_format_read_back(fmt, vfiles, vdata):
    """The GeoPackage, read with OGR, holds what OGR reads in the source."""
    path, proc, rep = ingest_format(fmt, vfiles, vdata)
    assert rep["status"] == "published", describe_proc(proc, "ingest failed")
    _, oo, _, key, epsg, _, tol = FORMATS[fmt]
    gpkg = gpkg_path(vdata, f"f-{fmt}", rep["ingest_id"])
    assert gpkg.is_file(), f"{gpkg} does not exist: {sorted(p.name for p in gpkg.parent.glob('*'))}"
    out = open_vector(gpkg)
    assert out.GetDriver().ShortName == "GPKG"
    src = open_vector(path, oo)
    problems = []
    mapping = expected_layers(fmt, path)
    assert out.GetLayerCount() == len(mapping), \
        f"{out.GetLayerCount()} tables in the GeoPackage for {len(mapping)} source layers"
    for sname, dname in mapping.items():
        sl, dl = src.GetLayerByName(sname), out.GetLayerByName(dname)
        if dl is None:
            problems.append(f"no layer {dname!r} in {gpkg}")
            continue
        spatial = sl.GetGeomType() != ogr.wkbNone
        problems += compare_layer(sl, dl, key, tol, f"{fmt}/{dname}")
        problems += gpkg_structure_problems(gpkg, dname, spatial)
        if spatial:
            if epsg_of(dl) != epsg:
                problems.append(f"{dname}: EPSG {epsg_of(dl)} in the GeoPackage, expected {epsg}")
            if ogr.GT_HasZ(dl.GetGeomType()) != ogr.GT_HasZ(sl.GetGeomType()):
                problems.append(f"{dname}: stored layer type {ogr.GeometryTypeToName(dl.GetGeomType())}, "
                                f"source {ogr.GeometryTypeToName(sl.GetGeomType())}")
        elif dl.GetGeomType() != ogr.wkbNone:
            problems.append(f"{dname}: attribute-only class stored with geometry type "
                            f"{ogr.GeometryTypeToName(dl.GetGeomType())}")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_format_geometry_types_conform(fmt, vfiles, vdata):
    """The stored geometries are of the type each table declares (a Shapefile
    'Polygon' layer holds MultiPolygons too: the table must say so)."""
    path, proc, rep = ingest_format(fmt, vfiles, vdata)
    assert rep["status"] == "published", describe_proc(proc, "ingest failed")
    problems = geometry_type_conformance(gpkg_path(vdata, f"f-{fmt}", rep["ingest_id"]))
    assert not problems, "\n".join(problems)


def test_pcrs_lyon_every_feature_class_is_a_layer(vfiles, vdata):
    path, proc, rep = ingest_format("pcrs-lyon", vfiles, vdata)
    assert proc.returncode == 0, describe_proc(proc, "PCRS Lyon")
    src = open_vector(LYON)
    names = [src.GetLayer(i).GetName() for i in range(src.GetLayerCount())]
    assert len(names) == LYON_CLASSES, names
    layers = report_layers(rep)
    assert sorted(layers) == sorted(names), dump(rep)
    # The attribute-only classes (AffleurantPCRS, AffleurantGeometriquePCRS) are layers too.
    no_geom = [n for n in names if src.GetLayerByName(n).GetGeomType() == ogr.wkbNone]
    assert len(no_geom) >= 1, names
    for n in no_geom:
        assert layers[n]["feature_count"] == src.GetLayerByName(n).GetFeatureCount() > 0, layers[n]
        assert str(layers[n]["geometry_type"]).lower() in ("none", "", "null") or layers[n]["geometry_type"] is None, \
            layers[n]
    listed = vector_list(vdata)["f-pcrs-lyon"]
    assert sorted(l["name"] for l in listed["layers"]) == sorted(names), listed


def test_pcrs_z_values_kept(vfiles, vdata):
    """Z of the stored vertices equal the source's, class by class (3946) and for GéoVendée (3947)."""
    for fmt, gml in (("pcrs-lyon", LYON), ("pcrs-geovendee", VENDEE)):
        path, proc, rep = ingest_format(fmt, vfiles, vdata)
        assert rep["status"] == "published", describe_proc(proc, fmt)
        out = open_vector(gpkg_path(vdata, f"f-{fmt}", rep["ingest_id"]))
        src = open_vector(gml)
        checked = 0
        for sname, dname in expected_layers(fmt, path).items():
            sl = src.GetLayerByName(sname)
            if not ogr.GT_HasZ(sl.GetGeomType()):
                continue
            dl = out.GetLayerByName(dname)
            sz = {f.GetField("gml_id"): [p[2] for p in points_of(f.GetGeometryRef())] for f in sl}
            dz = {f.GetField("gml_id"): [p[2] for p in points_of(f.GetGeometryRef())] for f in dl}
            for k, zs in sz.items():
                assert k in dz, f"{fmt}/{dname}: feature {k} missing"
                assert dz[k] == pytest.approx(zs, abs=1e-6), f"{fmt}/{dname}/{k}: Z {zs[:5]} -> {dz[k][:5]}"
                checked += len(zs)
            assert any(z != 0 for zs in sz.values() for z in zs), f"{fmt}/{sname}: source Z all 0?"
        assert checked > 0, f"{fmt}: no 3D vertex compared"


def test_csv_in_degrees_taken_as_wgs84_with_note(vfiles, vdata):
    for fmt in ("csv-lonlat", "csv-wkt"):
        _, proc, rep = ingest_format(fmt, vfiles, vdata)
        assert proc.returncode == 0, describe_proc(proc, fmt)
        fl = rep["files"][0]["layers"][0]
        assert fl["epsg"] == 4326, fl
        note = fl["crs_note"] or ""
        assert "4326" in note, f"{fmt}: crs_note should say the CSV's degrees were taken as EPSG:4326: {fl}"


def test_vector_list_matches_reports(vfiles, vdata):
    reports = {fmt: ingest_format(fmt, vfiles, vdata)[2] for fmt in FORMATS}
    listing = vector_list(vdata)
    for fmt, rep in reports.items():
        if rep["status"] != "published":
            continue
        d = listing.get(f"f-{fmt}")
        assert d is not None, f"dataset f-{fmt} not listed: {sorted(listing)}"
        assert d["ingest_id"] == rep["ingest_id"], d
        # One directory per ingest, one GeoPackage per delivered file.
        assert d["file"] == f"vector/f-{fmt}/g{rep['ingest_id']}", d
        cluster.fetch_published(vdata, d["file"])
        assert (vdata / d["file"]).is_dir(), d
        for l in d["layers"]:
            assert (vdata / l["file"]).is_file(), l
        got = {l["name"]: (l["feature_count"], l["srid"], l["geometry_type"]) for l in d["layers"]}
        exp = {l["name"]: (l["feature_count"], l["srid"], l["geometry_type"]) for l in rep["layers"]}
        assert got == exp, (fmt, got, exp)


def test_vector_list_text(vfiles, vdata):
    _, _, rep = ingest_format("geojson", vfiles, vdata)
    p = run_cli(["vector", "list"], data_dir=vdata, timeout=60)
    assert p.returncode == 0, describe_proc(p, "vector list failed")
    assert "f-geojson" in p.stdout and "communes_centre_val_de_loire" in p.stdout, describe_proc(p, "text list")


# --------------------------------------------------------------------------
# Layer naming
# --------------------------------------------------------------------------

def test_layer_names_sanitized_and_unique(vfiles, tmp_path):
    """Two single-layer files whose stems sanitize to the same name (and a stem
    differing only in case) get distinct [A-Za-z0-9_] names; the GeoPackage holds them."""
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    p1 = a / "limites admin.geojson"
    p2 = b / "limites-admin.geojson"
    p3 = b / "LIMITES_ADMIN.kml"
    shutil.copy(DEPARTEMENTS, p1)
    shutil.copy(CANTONS, p2)
    shutil.copy(vfiles["kml"], p3)
    data = tmp_path / "data"
    proc, rep = vector_ingest(data, "noms", [p1, p2, p3])
    assert proc.returncode == 0, describe_proc(proc, "three good files")
    names = [l["name"] for f in rep["files"] for l in f["layers"]]
    assert len(names) == 3, dump(rep)
    assert all(NAME_RE.match(n) for n in names), names
    assert len({n.lower() for n in names}) == 3, f"names not unique (case-insensitively): {names}"
    assert names[0] == "limites_admin", names
    out = open_vector(gpkg_path(data, "noms", rep["ingest_id"]))
    counts = {out.GetLayer(i).GetName(): out.GetLayer(i).GetFeatureCount() for i in range(out.GetLayerCount())}
    assert counts == {names[0]: 6, names[1]: 102, names[2]: 6}, counts


# --------------------------------------------------------------------------
# --crs
# --------------------------------------------------------------------------

def test_crs_given_for_csv_in_lambert93(vfiles, tmp_path):
    data = tmp_path / "data"
    src_path = vfiles["csv_l93"]
    proc, rep = vector_ingest(data, "l93", [src_path], extra=["--crs", "EPSG:2154"])
    assert proc.returncode == 0, describe_proc(proc, "CSV in metres with --crs EPSG:2154")
    fl = rep["files"][0]["layers"][0]
    assert fl["epsg"] == 2154 and "2154" in (fl["crs_note"] or ""), fl
    L = rep["layers"][0]
    assert L["srid"] == 2154, L
    # The coordinates are the CSV's (assigned, not reprojected), and they are in the region.
    b = L["bbox_wgs84"]
    assert CVL_WGS84[0] <= b[0] < b[2] <= CVL_WGS84[2] and CVL_WGS84[1] <= b[1] < b[3] <= CVL_WGS84[3], L
    out = open_vector(gpkg_path(data, "l93", rep["ingest_id"]))
    dl = out.GetLayerByName(L["name"])
    assert epsg_of(dl) == 2154
    src = open_vector(src_path, ["X_POSSIBLE_NAMES=x", "Y_POSSIBLE_NAMES=y", "KEEP_GEOM_COLUMNS=NO"])
    problems = compare_layer(src.GetLayer(0), dl, "code", 1e-6, "l93")
    assert not problems, "\n".join(problems[:20])


def test_crs_overrides_the_files_crs(vfiles, tmp_path):
    """A GeoJSON in Lambert-93 metres without a `crs` member (GDAL reads it as
    WGS84): with --crs EPSG:2154 it is stored as EPSG:2154, coordinates unchanged."""
    data = tmp_path / "data"
    path = vfiles["geojson_l93"]
    proc, rep = vector_ingest(data, "force", [path], extra=["--crs", "EPSG:2154"])
    assert proc.returncode == 0, describe_proc(proc, "--crs EPSG:2154")
    fl = rep["files"][0]["layers"][0]
    assert fl["epsg"] == 2154, fl
    assert "2154" in (fl["crs_note"] or ""), fl
    L = rep["layers"][0]
    assert L["srid"] == 2154, L
    b = L["bbox_wgs84"]
    assert CVL_WGS84[0] <= b[0] < b[2] <= CVL_WGS84[2] and CVL_WGS84[1] <= b[1] < b[3] <= CVL_WGS84[3], L
    dl = open_layer(gpkg_path(data, "force", rep["ingest_id"]), L["name"])
    assert epsg_of(dl) == 2154
    problems = compare_layer(open_layer(path), dl, "code", 1e-6, "force")
    assert not problems, "\n".join(problems[:20])
    # A real WGS84 GeoJSON forced to RGF93 geographic (EPSG:4171) gets that CRS.
    proc, rep = vector_ingest(data, "force2", [DEPARTEMENTS], extra=["--crs", "EPSG:4171"])
    assert proc.returncode == 0, describe_proc(proc, "--crs EPSG:4171")
    assert rep["layers"][0]["srid"] == 4171, dump(rep)
    dl = open_layer(gpkg_path(data, "force2", rep["ingest_id"]))
    assert epsg_of(dl) == 4171


# --------------------------------------------------------------------------
# Invalid geometries
# --------------------------------------------------------------------------

def _bowtie_feature(layer):
    for f in layer:
        if f.GetField("code") == "noeud":
            return f.GetGeometryRef().Clone()
    raise AssertionError("bow-tie feature not stored")


def test_invalid_geometry_reported_and_kept_without_repair(vfiles, tmp_path):
    data = tmp_path / "data"
    path = vfiles["bowtie"]
    src = open_layer(path)
    n_invalid = sum(1 for f in src if not f.GetGeometryRef().IsValid())
    assert n_invalid == 1
    proc, rep = vector_ingest(data, "invalide", [path])
    assert proc.returncode == 0, describe_proc(proc, "invalid geometries are reported, not rejected")
    fl = rep["files"][0]["layers"][0]
    assert fl["invalid_geometries"] == n_invalid, fl
    assert len(fl["invalid_examples"]) >= 1, fl
    assert fl["repaired"] is False, fl
    dl = open_layer(gpkg_path(data, "invalide", rep["ingest_id"]))
    g = _bowtie_feature(dl)
    assert not g.IsValid(), "without --repair the bow-tie must be stored as is"
    problems = compare_layer(open_layer(path), dl, "code", 1e-12, "invalide")
    assert not problems, "\n".join(problems)


def test_invalid_geometry_repaired_with_repair(vfiles, tmp_path):
    data = tmp_path / "data"
    path = vfiles["bowtie"]
    proc, rep = vector_ingest(data, "repare", [path], extra=["--repair"])
    assert proc.returncode == 0, describe_proc(proc, "--repair")
    fl = rep["files"][0]["layers"][0]
    assert fl["invalid_geometries"] >= 1, fl
    assert fl["repaired"] is True, fl
    dl = open_layer(gpkg_path(data, "repare", rep["ingest_id"]))
    assert dl.GetFeatureCount() == 3
    bad = [f.GetField("code") for f in dl if f.GetGeometryRef() is None or not f.GetGeometryRef().IsValid()]
    dl.ResetReading()
    assert not bad, f"still invalid after --repair: {bad}"
    g = _bowtie_feature(dl)
    assert g.GetArea() == pytest.approx(vfiles["bowtie_area"], rel=1e-9), \
        f"repaired bow-tie: {g.ExportToWkt()[:300]}"
    conformance = geometry_type_conformance(gpkg_path(data, "repare", rep["ingest_id"]))
    # The valid features are not changed by the repair.
    src = open_layer(path)
    dl.ResetReading()
    sv = {f.GetField("code"): f.GetGeometryRef().Clone() for f in src}
    dv = {f.GetField("code"): f.GetGeometryRef().Clone() for f in dl}
    for k in sv:
        if k != "noeud":
            assert geometry_problem(sv[k], dv[k], 1e-12) is None, (k, geometry_problem(sv[k], dv[k], 1e-12))
            # Promoted to a one-part multipolygon (the repaired layer is
            # declared MULTIPOLYGON): the same polygon.
            d = dv[k].GetGeometryRef(0) if dv[k].GetGeometryCount() == 1 and \
                dv[k].GetGeometryName() == "MULTI" + sv[k].GetGeometryName() else dv[k]
            assert sv[k].Equals(d), k
    # The repaired bow-tie is a MultiPolygon: the table must not declare POLYGON.
    assert not conformance, "\n".join(conformance)


# --------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------

def test_mixed_batch_rejects_bad_files_and_publishes_the_rest(vfiles, tmp_path):
    data = tmp_path / "data"
    bad = {
        vfiles["truncated_geojson"]: "corrupt",
        vfiles["nogeom_csv"]: "no-geometry",
        vfiles["l93_nocrs"]: "unknown-crs",
    }
    good = [DEPARTEMENTS, vfiles["csv_lonlat"]]
    proc, rep = vector_ingest(data, "mixte", [*good, *bad])
    assert proc.returncode == 3, describe_proc(proc, "some files rejected, the rest published: exit 3")
    assert rep["status"] == "partial", dump(rep)
    files = files_by_name(rep)
    problems = []
    for p, code in bad.items():
        f = files[p.name]
        if f["status"] != "rejected" or f["code"] != code:
            problems.append(f"{p.name}: expected rejected/{code}, got {f['status']}/{f['code']} ({f['reason']!r})")
        elif not (isinstance(f["reason"], str) and f["reason"].strip()):
            problems.append(f"{p.name}: rejected without a reason")
        elif f["layers"]:
            problems.append(f"{p.name}: rejected but has layers {f['layers']}")
    for p in good:
        if files[p.name]["status"] != "ingested":
            problems.append(f"{p.name}: good file not ingested: {files[p.name]}")
    assert not problems, "\n".join(problems) + "\n" + dump(rep)
    listed = vector_list(data)["mixte"]
    assert sorted(l["name"] for l in listed["layers"]) == \
        sorted(["departements_centre_val_de_loire", "communes_centroides"]), listed
    out = open_vector(gpkg_path(data, "mixte", rep["ingest_id"]))
    assert out.GetLayerCount() == 2
    assert out.GetLayerByName("departements_centre_val_de_loire").GetFeatureCount() == 6


@pytest.mark.parametrize("which,code", [("truncated_shp", "corrupt"), ("latin1_shp", "encoding")])
def test_damaged_shapefile_rejected(which, code, vfiles, tmp_path):
    """A .shp cut in the middle (GDAL: "Error in fread() ..." while reading) is
    corrupt; a DBF holding Latin-1 bytes under a .cpg saying UTF-8 (GDAL 3.6
    reads it silently, then "Value of field 'nom' is not a valid UTF-8 string"
    when it is written) is an encoding problem. Neither may be published as is."""
    data = tmp_path / "data"
    path = vfiles[which]
    proc, rep = vector_ingest(data, "shp", [path, DEPARTEMENTS])
    f = files_by_name(rep)[path.name]
    if f["status"] == "ingested":
        stored = open_layer(gpkg_path(data, "shp", rep["ingest_id"]), f["layers"][0]["name"])
        null_geom = sum(1 for x in stored if x.GetGeometryRef() is None)
        con = sqlite3.connect(f"file:{gpkg_path(data, 'shp', rep['ingest_id'])}?mode=ro", uri=True)
        con.text_factory = bytes
        bad_utf8 = 0
        for (raw,) in con.execute(f'SELECT nom FROM "{f["layers"][0]["name"]}"'):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_utf8 += 1
        con.close()
        raise AssertionError(
            f"{path.name}: expected rejected/{code}, got ingested (exit {proc.returncode}); the published "
            f"layer has {stored.GetFeatureCount()} features, {null_geom} without geometry, {bad_utf8} whose "
            f"`nom` is not valid UTF-8; file report warnings: {f['warnings'][:4]}")
    assert (f["status"], f["code"]) == ("rejected", code), dump(f)
    assert proc.returncode == 3, describe_proc(proc, "the good file is published: exit 3")


def test_only_bad_files_exit_1_and_publish_nothing(vfiles, tmp_path):
    data = tmp_path / "data"
    proc, rep = vector_ingest(data, "avant", [DEPARTEMENTS])
    assert proc.returncode == 0, describe_proc(proc, "first dataset")
    before = vector_list(data)
    bad = [vfiles["truncated_geojson"], vfiles["nogeom_csv"], vfiles["l93_nocrs"]]
    proc, rep = vector_ingest(data, "rien", bad)
    assert proc.returncode == 1, describe_proc(proc, "nothing published: exit 1")
    assert rep["status"] == "failed", dump(rep)
    assert all(f["status"] == "rejected" for f in rep["files"]), dump(rep)
    assert rep["layers"] == [], dump(rep)
    assert vector_list(data) == before, "vector list changed after a batch of bad files only"
    d = data / "vector" / "rien"
    left = sorted(p.name for p in d.rglob("*")) if d.exists() else []
    assert not left, f"files left for a dataset that was not published: {left}"


def test_geojson_in_metres_without_crs_member_not_published_as_wgs84(vfiles, tmp_path):
    """A GeoJSON without `crs` member is read as WGS84 by GDAL; with Lambert-93
    metres in it (coordinates far outside lon/lat ranges) it is a file without
    a usable CRS: rejected unknown-crs (--crs fixes it, see above), not
    published as EPSG:4326 with a 'WGS84 bbox' in the millions."""
    data = tmp_path / "data"
    proc, rep = vector_ingest(data, "metres", [vfiles["geojson_l93"]])
    f = rep["files"][0]
    published = [(l["name"], l["srid"], l["bbox_wgs84"]) for l in rep["layers"]]
    assert (f["status"], f["code"]) == ("rejected", "unknown-crs"), \
        f"exit {proc.returncode}, file {f['status']}/{f['code']}, published layers {published}"
    assert proc.returncode == 1, describe_proc(proc, "nothing published: exit 1")


@pytest.mark.parametrize("variant", ["text", "duplicate-integers"])
def test_source_attribute_named_fid(variant, tmp_path):
    """DERIVED: the départements with an attribute `fid` (common in files
    exported from a GeoPackage), text values or the same integer everywhere.
    The stored FID column is also `fid`: the file must still be ingested, with
    its `fid` values kept (under that name or another), and the other file of
    the batch with it (exit 0)."""
    src = json.loads(DEPARTEMENTS.read_text())
    for i, ft in enumerate(src["features"]):
        ft["properties"]["fid"] = f"D{i}" if variant == "text" else 1
    path = tmp_path / f"fid-{variant}.geojson"
    path.write_text(json.dumps(src))
    expected = {ft["properties"]["code"]: ft["properties"]["fid"] for ft in src["features"]}
    data = tmp_path / "data"
    proc, rep = vector_ingest(data, "fid", [path, CANTONS])
    files = files_by_name(rep)
    f = files[path.name]
    other = files.get(CANTONS.name, {}).get("status", "absent from the report")
    assert other == "ingested" and f["status"] == "ingested" and proc.returncode == 0, \
        f"a file with a `fid` attribute must be ingested with the rest of the batch: exit {proc.returncode}, " \
        f"status {rep['status']}, {CANTONS.name}: {other}; {path.name}: {f['status']}/{f['code']} {f['reason']!r}"
    lyr = open_layer(gpkg_path(data, "fid", rep["ingest_id"]), f["layers"][0]["name"])
    stored = {}
    for ft in lyr:
        stored[ft.GetField("code")] = {k: v for k, v in ft.items().items() if k not in ("code", "nom")}
    kept = [k for k in next(iter(stored.values()))
            if all(str(stored[c].get(k)) == str(v) for c, v in expected.items())]
    assert kept, f"the source `fid` values {expected} are not in any stored field: {stored}; " \
                 f"warnings: {f['warnings'][:3]}"


# --------------------------------------------------------------------------
# Re-ingest
# --------------------------------------------------------------------------

def test_reingest_replaces_atomically(vfiles, tmp_path):
    data = tmp_path / "data"
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    v2.mkdir()
    shutil.copy(DEPARTEMENTS, v1 / "limites.geojson")   # REAL content, DERIVED name
    shutil.copy(CANTONS, v2 / "limites.geojson")
    proc, r1 = vector_ingest(data, "limites", [v1 / "limites.geojson", VENDEE], extra=["--title", "Limites"])
    assert proc.returncode == 0, describe_proc(proc, "first ingest")
    l1 = vector_list(data)["limites"]
    assert l1["title"] == "Limites", l1
    names1 = sorted(l["name"] for l in l1["layers"])
    assert names1 == ["limites", "pcrs_v2_geovendee_mur_cc47"], l1
    # One directory per ingest, one GeoPackage per delivered file.
    cluster.fetch_published(data, l1["file"])
    f1 = data / l1["file"] / "f0.gpkg"
    assert f1.is_file()

    proc, r2 = vector_ingest(data, "limites", [v2 / "limites.geojson", VENDEE], extra=["--title", "Limites"])
    assert proc.returncode == 0, describe_proc(proc, "re-ingest")
    l2 = vector_list(data)["limites"]
    assert l2["ingest_id"] == r2["ingest_id"] != l1["ingest_id"], (l1["ingest_id"], l2)
    assert sorted(l["name"] for l in l2["layers"]) == names1, l2
    counts = {l["name"]: l["feature_count"] for l in l2["layers"]}
    assert counts == {"limites": 102, "pcrs_v2_geovendee_mur_cc47": 1}, counts
    cluster.fetch_published(data, l2["file"])
    f2 = data / l2["file"] / "f0.gpkg"
    assert f2 != f1 and f2.is_file(), (f1, f2)
    assert f1.is_file(), "the previous GeoPackage must stay during the grace period"
    assert open_layer(f2, "limites").GetFeatureCount() == 102
    assert open_layer(f1, "limites").GetFeatureCount() == 6

    # A failed re-ingest (only bad files) leaves the previous content published.
    proc, r3 = vector_ingest(data, "limites", [vfiles["truncated_geojson"], vfiles["nogeom_csv"]])
    assert proc.returncode == 1, describe_proc(proc, "nothing published: exit 1")
    l3 = vector_list(data)["limites"]
    for k in ("ingest_id", "file", "layers", "published_at"):
        assert l3[k] == l2[k], f"a failed re-ingest changed the published {k}:\n{l2[k]}\n->\n{l3[k]}"
    assert f2.is_file()
    assert not helpers.leftovers(data), helpers.leftovers(data)
    changed = {k: (l2.get(k), l3.get(k)) for k in set(l2) | set(l3) if l2.get(k) != l3.get(k)}
    assert not changed, f"a failed re-ingest (without --title) changed the published dataset: {changed}"


# --------------------------------------------------------------------------
# Text report, progress, report hygiene
# --------------------------------------------------------------------------

def test_text_report_and_progress(vfiles, tmp_path):
    data = tmp_path / "data"
    good, bad = DEPARTEMENTS, vfiles["truncated_geojson"]
    proc, _ = vector_ingest(data, "texte", [good, bad], json_out=False)
    assert proc.returncode == 3, describe_proc(proc, "exit status without --json")
    try:
        json.loads(proc.stdout)
    except json.JSONDecodeError:
        pass
    else:
        raise AssertionError(describe_proc(proc, "without --json the report should be text"))
    lines = proc.stdout.splitlines()
    ok = [l for l in lines if good.name in l]
    ko = [l for l in lines if bad.name in l]
    assert ok and "OK" in ok[0], describe_proc(proc, f"no OK line naming {good.name}")
    assert ko and "REJETÉ" in ko[0], describe_proc(proc, f"no REJETÉ line naming {bad.name}")
    assert "corrupt" in ko[0], describe_proc(proc, "the rejection line should give the code")
    assert re.search(r"\b2/2\b|100 ?%", proc.stderr), describe_proc(proc, "no progress line on stderr")


def test_file_warnings_are_about_the_file(vfiles, vdata):
    """`warnings` are GDAL's messages about the delivered file, not about the
    server's own output (e.g. its temporary GeoPackage's name)."""
    _, _, rep = ingest_format("geojson", vfiles, vdata)
    w = rep["files"][0]["warnings"]
    own = [m for m in w if ".part" in m or "'part'" in m or "gpkg" in m.lower()]
    assert not own, f"warnings about the server's own output file: {own}"


def test_no_temporary_files_left(vfiles, vdata):
    for fmt in FORMATS:
        ingest_format(fmt, vfiles, vdata)
    bad = helpers.leftovers(vdata)
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------------
# A feature without geometry ("geometry": null) is data, not corruption
# --------------------------------------------------------------------------

def test_null_geometry_feature_is_ingested_and_served(tmp_path):
    """GeoJSON allows `"geometry": null` (RFC 7946 §3.2). Such a feature used
    to make the whole file rejected as corrupt (GDAL: "Pointer 'hGeom' is NULL
    in 'OGR_G_IsEmpty'"): the gdal crate hands out a geometry around a null
    handle. It is kept, counted, and served with a null geometry; a bbox or a
    spatial filter never selects it; maps and vector tiles skip it.
    Data DERIVED from the REAL communes: three features, the second one's
    geometry set to null."""
    src = json.loads(COMMUNES.read_text())
    feats = src["features"][:3]
    feats[1] = dict(feats[1], geometry=None)
    path = tmp_path / "sans-geom.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    data = tmp_path / "data"
    proc, rep = vector_ingest(data, "sg", [path])
    assert proc.returncode == 0, describe_proc(proc)
    assert [(n, l["feature_count"]) for n, l in report_layers(rep).items()] == [("sans_geom", 3)], dump(rep)
    null_code = feats[1]["properties"]["code"]
    srv = helpers.Server(data_dir=data, log_path=tmp_path / "server.log").start()
    try:
        coll = "sg.sans_geom"
        r = srv.get(f"/ogcapi/collections/{coll}/items?limit=10")
        assert r.status_code == 200, r.text[:400]
        got = {f["properties"]["code"]: f["geometry"] for f in r.json()["features"]}
        assert len(got) == 3 and got[null_code] is None, got.keys()
        assert all(g is not None for c, g in got.items() if c != null_code)
        r = srv.get(f"/ogcapi/collections/{coll}/items?bbox=-5,40,10,52&limit=10")
        assert r.status_code == 200, r.text[:400]
        assert null_code not in {f["properties"]["code"] for f in r.json()["features"]}
        assert r.json()["numberMatched"] == 2
        r = srv.get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:sg.sans_geom"
                    "&OUTPUTFORMAT=application/json")
        assert r.status_code == 200 and len(r.json()["features"]) == 3, r.text[:400]
        r = srv.get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:sg.sans_geom")
        assert r.status_code == 200 and r.text.count("<wfs:member>") == 3, r.text[:400]
        r = srv.get("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=sg.sans_geom&STYLES=&CRS=EPSG:4326"
                    "&BBOX=46,0,49,3.5&WIDTH=256&HEIGHT=256&FORMAT=image/png")
        assert r.status_code == 200 and r.headers["content-type"] == "image/png", r.text[:400]
        r = srv.get("/tiles/sg.sans_geom/WebMercatorQuad/6/32/22.mvt")
        assert r.status_code in (200, 204), r.text[:400]
    finally:
        srv.stop()
