"""Round trips, one per source format, read back with GDAL/OGR's WFS driver and
with its OAPIF driver, compared with the source read by OGR: same feature count,
same attribute values, geometries within tolerance (beyond the rounding of
reprojected coordinates to 1e-9°, 0.1 mm).

Sources:
  * REAL: the communes GeoJSON of the repository's data/ (WGS 84) and the PCRS v2 Lyon GML
    (EPSG:3946, 3D, several feature classes);
  * DERIVED here from the real communes with ogr2ogr's library calls: a Shapefile
    in Lambert-93 (the Loiret, 326 communes) and a CSV with WKT geometries (the
    Cher, WGS 84).
Each is ingested as its own dataset. Geometries are compared in EPSG:4326
(the source reprojected by OGR, the served geometry from its layer CRS): areas or
lengths to 1e-5 relative, centroids to 1e-7° (~1 cm); the PCRS arcs, linearised
by the server and by OGR with different steps, to 2e-3 and 5e-7°."""
from __future__ import annotations

import re

import pytest

import helpers
from helpers import Server, describe_proc

SHARED = helpers.DATA
COMMUNES = SHARED / "admin/communes-centre-val-de-loire.geojson"
PCRS = SHARED / "pcrs/pcrs-v2-lyon-extract-cc46.gml"


def gdal():
    from osgeo import gdal as g
    g.UseExceptions()
    return g


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """name -> (path, {layer: source layer name}, epsg)."""
    tmp = tmp_path_factory.mktemp("roundtrip-src")
    g = gdal()
    shp = tmp / "communes_loiret.shp"
    g.VectorTranslate(str(shp), str(COMMUNES), format="ESRI Shapefile", dstSRS="EPSG:2154",
                      where="code LIKE '45%'", layerName="communes_loiret")
    csv = tmp / "communes_cher.csv"
    g.VectorTranslate(str(csv), str(COMMUNES), format="CSV", where="code LIKE '18%'",
                      layerCreationOptions=["GEOMETRY=AS_WKT"], layerName="communes_cher")
    return {
        "geojson": (COMMUNES, 4326),
        "gml": (PCRS, 3946),
        "shp": (shp, 2154),
        "csv": (csv, 4326),
    }


@pytest.fixture(scope="module")
def srv(geocentre_bin, sources, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("roundtrip")
    data = tmp / "data"
    for name, (path, _) in sources.items():
        extra = ["--crs", "EPSG:4326"] if name == "csv" else []
        p = helpers.run_cli(["vector", "ingest", "--dataset", name, *extra, str(path)], data_dir=data)
        assert p.returncode == 0, describe_proc(p, f"ingest {name}")
    s = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield s
    s.stop()


def read_source(path):
    """{layer name: [(attrs, geometry in EPSG:4326 lon/lat)]} of a source file."""
    ds = gdal().OpenEx(str(path), gdal().OF_VECTOR,
                       open_options=["GEOM_POSSIBLE_NAMES=WKT", "KEEP_GEOM_COLUMNS=NO"]
                       if str(path).endswith(".csv") else [])
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        rows = []
        for f in lyr:
            attrs = {lyr.GetLayerDefn().GetFieldDefn(j).GetName(): f.GetField(j) for j in range(f.GetFieldCount())}
            g = f.GetGeometryRef()
            rows.append((attrs, to_wgs84(g, lyr.GetSpatialRef() or default_srs(path))))
        if rows:
            out[lyr.GetName()] = rows
    return out


def default_srs(path):
    from osgeo import osr
    if not str(path).endswith(".csv"):
        return None
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    return s


def measure(g):
    from osgeo import ogr
    if g is None:
        return None
    lin = g.GetLinearGeometry() if g.HasCurveGeometry() else g
    dim = ogr.GT_Flatten(lin.GetGeometryType())
    size = lin.GetArea() if lin.GetArea() > 0 else lin.Length()
    c = lin.Centroid()
    return size, c.GetX(), c.GetY(), dim


def points(g):
    n = g.GetGeometryCount()
    return sum(points(g.GetGeometryRef(i)) for i in range(n)) if n else g.GetPointCount()


def rounding_slack(g):
    """How much a size may change when every coordinate is written to 1e-9°
    (0.1 mm: reprojected output, as PostGIS's ST_AsGeoJSON): each vertex
    moves by at most 5e-10° in x and in y, so a segment's length by
    1.5e-9°, an area by its boundary's length times 7.1e-10°. On a 1.5 m
    PCRS line that is 7e-5 relative, above the 1e-5 below."""
    lin = g.GetLinearGeometry() if g.HasCurveGeometry() else g
    if lin.GetArea() > 0:
        return 1e-9 * lin.Boundary().Length()
    return 1.5e-9 * points(lin)


def same_geometry(a, b, curved):
    """Both in EPSG:4326; b in either axis order (drivers differ)."""
    ma = measure(a)
    if ma is None or b is None:
        return ma is None and b is None
    # Arcs are linearised by the server and by OGR with different steps.
    rel = 2e-3 if curved else 1e-5
    tol = 1e-7 if not curved else 5e-7  # degrees: ~1 cm, ~5 cm
    slack = rounding_slack(a)
    for swap in (False, True):
        g = b.Clone()
        if swap:
            g.SwapXY()
        mb = measure(g)
        if (abs(ma[0] - mb[0]) <= rel * max(ma[0], 1e-12) + slack + 1e-12
                and abs(ma[1] - mb[1]) <= tol and abs(ma[2] - mb[2]) <= tol):
            return True
    return False


def norm(v):
    # As text: a CSV's "18007" is typed Integer by the ingest's type detection.
    # GDAL's OAPIF driver types ISO date strings as Date and prints them YYYY/MM/DD.
    if isinstance(v, float):
        return f"{v:.6f}"
    return None if v is None else re.sub(r"^(\d{4})/(\d{2})/(\d{2})", r"\1-\2-\3", str(v))


def to_wgs84(g, srs):
    """g (in srs, x/y order) in EPSG:4326, longitude first."""
    from osgeo import osr
    if g is None:
        return None
    g = g.GetLinearGeometry() if g.HasCurveGeometry() else g.Clone()
    if srs is None:
        return g
    src = srs.Clone()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if not src.IsSame(dst):
        g.Transform(osr.CoordinateTransformation(src, dst))
    return g


def served_layers(srv, driver, dataset, epsg):
    g = gdal()
    if driver == "WFS":
        url = f"WFS:{srv.url('/wfs')}?SERVICE=WFS&VERSION=2.0.0&SRSNAME=urn:ogc:def:crs:EPSG::{epsg}"
        ds = g.OpenEx(url, g.OF_VECTOR, open_options=["TRUST_CAPABILITIES_BOUNDS=YES"])
        prefix = f"gc:{dataset}."
    else:
        ds = g.OpenEx(f"OAPIF:{srv.url('/ogcapi')}", g.OF_VECTOR,
                      open_options=["PAGE_SIZE=1000", f"CRS=EPSG:{epsg}"] if epsg != 4326 else ["PAGE_SIZE=1000"])
        prefix = f"{dataset}."
    return ds, prefix


@pytest.mark.parametrize("driver", ["WFS", "OAPIF"])
@pytest.mark.parametrize("fmt", ["geojson", "gml", "shp", "csv"])
def test_round_trip(srv, sources, fmt, driver):
    path, epsg = sources[fmt]
    src = read_source(path)
    ds, prefix = served_layers(srv, driver, fmt, epsg)
    names = {ds.GetLayer(i).GetName(): ds.GetLayer(i) for i in range(ds.GetLayerCount())}
    checked = 0
    for lname, rows in src.items():
        served = [n for n in names if n.startswith(prefix) and n[len(prefix):].lower().replace("-", "_")
                  == lname.lower().replace("-", "_")]
        assert served, (lname, sorted(names))
        lyr = names[served[0]]
        got = []
        for f in lyr:
            defn = lyr.GetLayerDefn()
            attrs = {defn.GetFieldDefn(j).GetName(): f.GetField(j) for j in range(f.GetFieldCount())}
            g = f.GetGeometryRef()
            got.append((attrs, to_wgs84(g, lyr.GetSpatialRef()) if g is not None else None))
        assert len(got) == len(rows), (lname, len(got), len(rows))
        # Match by every source attribute value (the services add none we compare).
        keys = [k for k in rows[0][0] if k.lower() not in ("fid", "gml_id", "ogc_fid", "id")]
        index = {}
        for a, g in got:
            index.setdefault(tuple(norm(a.get(k)) for k in keys), []).append(g)
        curved = any(r[1] is not None and r[1].HasCurveGeometry() for r in rows)
        bad = []
        for a, g in rows:
            k = tuple(norm(a.get(kk)) for kk in keys)
            cands = index.get(k)
            if not cands:
                bad.append(("attrs", lname, k))
                continue
            if not any(same_geometry(g, c, curved) for c in cands):
                bad.append(("geometry", lname, k, measure(g), [measure(c) for c in cands]))
        assert not bad, bad[:3]
        checked += len(rows)
    assert checked > 0
