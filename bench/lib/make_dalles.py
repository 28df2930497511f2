#!/usr/bin/python3
"""Derive a set of synthetic 5 cm "dalles" from the real 20 cm IGN tile.

DERIVED DATA: every pixel comes from data/ortho/ign-ortho-rvb-0m20-lamb93.tif
(252x252 px, 20 cm, IGN, near Montpellier), upsampled x4 (cubic) to 5 cm and
mirror-tiled seamlessly over a grid of 200 m squares placed in Centre-Val de Loire
(Lambert-93).  The imagery does not show the place it is georeferenced at.

Output: COLS x ROWS uncompressed GeoTIFFs of 4000x4000 px RGB (48 MB each), named
like IGN deliveries: 2024-06190-67442-LA93-0M05-RVB.tif (x_min/100, y_max/100 m).

Usage: make_dalles.py SRC OUTDIR [--cols 6] [--rows 4] [--x0 619000] [--y0 6744000]
Writes OUTDIR/manifest.json (extent, names) and is idempotent (skips done files).
"""
import argparse
import json
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

PX = 4000          # pixels per dalle side
RES = 0.05         # metres
SIDE = PX * RES    # 200 m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("outdir")
    ap.add_argument("--cols", type=int, default=6)
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--x0", type=float, default=619000.0, help="x_min of the set (m, EPSG:2154)")
    ap.add_argument("--y0", type=float, default=6744000.0, help="y_min of the set (m, EPSG:2154)")
    ap.add_argument("--vintage", default="2024")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)

    # 1. upsample the real 20 cm tile to 5 cm (x4), cubic.
    src = gdal.Open(a.src)
    w, h = src.RasterXSize * 4, src.RasterYSize * 4
    up = gdal.Translate("", src, format="MEM", width=w, height=h, resampleAlg="cubic")
    img = up.ReadAsArray()  # (3, h, w) uint8
    if img.shape[0] != 3:
        sys.exit(f"expected 3 bands, got {img.shape}")
    # 2. one mirror period (2h x 2w): original, flipped horizontally / vertically.
    top = np.concatenate([img, img[:, :, ::-1]], axis=2)
    period = np.concatenate([top, top[:, ::-1, :]], axis=1)
    ph, pw = period.shape[1], period.shape[2]

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    drv = gdal.GetDriverByName("GTiff")
    names = []
    for r in range(a.rows):
        for c in range(a.cols):
            xmin = a.x0 + c * SIDE
            ymax = a.y0 + (a.rows - r) * SIDE
            name = f"{a.vintage}-{int(round(xmin / 100)):05d}-{int(round(ymax / 100)):05d}-LA93-0M05-RVB.tif"
            names.append(name)
            path = os.path.join(a.outdir, name)
            if os.path.exists(path) and os.path.getsize(path) >= PX * PX * 3:
                continue
            # global pixel offsets => seamless mirror tiling across dalles
            gx0 = c * PX
            gy0 = r * PX
            xs = (np.arange(PX) + gx0) % pw
            ys = (np.arange(PX) + gy0) % ph
            block = period[:, ys[:, None], xs[None, :]]
            tmp = path + ".part"
            ds = drv.Create(tmp, PX, PX, 3, gdal.GDT_Byte, options=["COMPRESS=NONE", "PHOTOMETRIC=RGB"])
            ds.SetGeoTransform((xmin, RES, 0.0, ymax, 0.0, -RES))
            ds.SetProjection(srs.ExportToWkt())
            ds.SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION",
                               "DERIVED synthetic 5 cm dalle: IGN ortho 20 cm tile (ign-pdal-tools test data, "
                               "near Montpellier) upsampled x4 and mirror-tiled; georeferencing is fictitious")
            for b in range(3):
                ds.GetRasterBand(b + 1).WriteArray(block[b])
                ds.GetRasterBand(b + 1).SetColorInterpretation(gdal.GCI_RedBand + b)
            ds = None
            os.replace(tmp, path)
            print(f"  wrote {name}", flush=True)

    manifest = {
        "derived_from": os.path.abspath(a.src),
        "note": "DERIVED: upsampled x4 (cubic) and mirror-tiled from a real 20 cm IGN tile; fictitious location",
        "crs": "EPSG:2154",
        "resolution_m": RES,
        "dalle_px": PX,
        "cols": a.cols, "rows": a.rows,
        "extent": [a.x0, a.y0, a.x0 + a.cols * SIDE, a.y0 + a.rows * SIDE],
        "dalles": names,
        "total_bytes": sum(os.path.getsize(os.path.join(a.outdir, n)) for n in names),
    }
    with open(os.path.join(a.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"  {len(names)} dalles, {manifest['total_bytes'] / 1e9:.2f} GB, extent {manifest['extent']}")


if __name__ == "__main__":
    main()
