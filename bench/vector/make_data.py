#!/usr/bin/python3
"""Build the one GeoPackage of the vector benchmark (bench/vector.sh), EPSG:2154.

  make_data.py COMMUNES.geojson OUT.gpkg [--cell 2000]

Layers:
  communes       the 1,776 real communes of Centre-Val de Loire (data/admin,
                 EPSG:4326 GeoJSON) reprojected to Lambert-93 (EPSG:2154),
                 MultiPolygon, fields code, nom  (= ogr2ogr -t_srs EPSG:2154
                 -nlt MULTIPOLYGON)
  communes_grid  DERIVED: every commune cut by a square grid of --cell metres
                 (Lambert-93), one MultiPolygon per non-empty (commune, cell) piece,
                 fields code (commune code + cell), nom, commune, cell — made only so
                 that a layer has >= 10,000 features for the 10,000-feature requests;
                 not real data.

Writes OUT.gpkg atomically and OUT.json (manifest: counts, extents, source sha256).
Idempotent: does nothing when the manifest matches the inputs.  Debian python3-gdal only.
"""
import argparse
import hashlib
import json
import math
import os
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
VERSION = 3


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--cell", type=float, default=2000.0)
    a = ap.parse_args()
    man_path = os.path.splitext(a.out)[0] + ".json"
    key = {"version": VERSION, "source_sha256": sha256(a.src), "cell_m": a.cell}
    if os.path.exists(a.out) and os.path.exists(man_path):
        try:
            m = json.load(open(man_path))
            if all(m.get(k) == v for k, v in key.items()):
                print(f"{a.out}: up to date", file=sys.stderr)
                return
        except ValueError:
            pass

    tmp = a.out[:-len(".gpkg")] + ".part.gpkg" if a.out.endswith(".gpkg") else a.out + ".part"
    if os.path.exists(tmp):
        os.remove(tmp)
    # 1. the real communes, reprojected (what `ogr2ogr -f GPKG -t_srs EPSG:2154
    #    -nlt MULTIPOLYGON -nln communes` does)
    gdal.VectorTranslate(tmp, a.src, format="GPKG", dstSRS="EPSG:2154", reproject=True,
                         geometryType="MULTIPOLYGON", layerName="communes",
                         layerCreationOptions=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
    ds = ogr.Open(tmp, 1)
    com = ds.GetLayerByName("communes")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)

    # 2. DERIVED: communes cut by a grid
    grid = ds.CreateLayer("communes_grid", srs, ogr.wkbMultiPolygon,
                          ["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
    for name, w in (("code", 24), ("nom", 80), ("commune", 5), ("cell", 16)):
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(w)
        grid.CreateField(fd)
    c = a.cell
    n = 0
    ds.StartTransaction()
    # deterministic order: communes by code, cells row by row
    feats = sorted(((f.GetField("code"), f.GetField("nom"), f.GetGeometryRef().Clone()) for f in com),
                   key=lambda t: t[0])
    for code, nom, g in feats:
        x0, x1, y0, y1 = g.GetEnvelope()
        for j in range(math.floor(y0 / c), math.ceil(y1 / c)):
            for i in range(math.floor(x0 / c), math.ceil(x1 / c)):
                ring = ogr.Geometry(ogr.wkbLinearRing)
                for x, y in ((i * c, j * c), ((i + 1) * c, j * c), ((i + 1) * c, (j + 1) * c),
                             (i * c, (j + 1) * c), (i * c, j * c)):
                    ring.AddPoint_2D(x, y)
                cell = ogr.Geometry(ogr.wkbPolygon)
                cell.AddGeometry(ring)
                piece = g.Intersection(cell)
                if piece is None or piece.IsEmpty():
                    continue
                # keep the areal part only, as a MultiPolygon
                parts = ogr.Geometry(ogr.wkbMultiPolygon)
                gt = ogr.GT_Flatten(piece.GetGeometryType())
                subs = [piece] if gt == ogr.wkbPolygon else \
                    [piece.GetGeometryRef(k) for k in range(piece.GetGeometryCount())] \
                    if gt in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection) else []
                for s in subs:
                    if ogr.GT_Flatten(s.GetGeometryType()) == ogr.wkbPolygon and s.GetArea() > 1.0:
                        parts.AddGeometry(s)
                if parts.GetGeometryCount() == 0:
                    continue
                f = ogr.Feature(grid.GetLayerDefn())
                cell_id = f"{i}_{j}"
                f.SetField("code", f"{code}-{cell_id}")
                f.SetField("nom", nom)
                f.SetField("commune", code)
                f.SetField("cell", cell_id)
                f.SetGeometry(parts)
                grid.CreateFeature(f)
                n += 1
    ds.CommitTransaction()
    out = {"layers": {}}
    for lyr in (com, grid):
        x0, x1, y0, y1 = lyr.GetExtent()
        out["layers"][lyr.GetName()] = {"features": lyr.GetFeatureCount(), "extent": [x0, y0, x1, y1]}
    ds = None
    os.replace(tmp, a.out)
    m = dict(key)
    m.update(out)
    m["file"] = os.path.basename(a.out)
    m["derived"] = {"communes_grid": f"DERIVED: communes cut by a {c:g} m Lambert-93 grid"}
    with open(man_path, "w") as f:
        json.dump(m, f, indent=1)
    print(json.dumps(out), file=sys.stderr)


if __name__ == "__main__":
    main()
