"""Builders for DERIVED test rasters.

Everything written here is derived from the real IGN tile
`data/ortho/ign-ortho-rvb-0m20-lamb93.tif` (pixels and/or
georeferencing) and is generated at test time in a temporary directory.
None of it is real data: a shifted copy shows the same ground at another
place, an upsampled copy shows invented detail.  Never commit the outputs.
"""
from __future__ import annotations

import os
import subprocess

from helpers import child_env, gdal, raster_info


def shifted_copy(src, out, dx, dy, compress="DEFLATE"):
    """DERIVED: the real tile's pixels, georeferenced dx/dy metres away."""
    g = gdal()
    _, gt, (minx, miny, maxx, maxy) = raster_info(src)
    g.Translate(str(out), str(src), format="GTiff",
                outputBounds=[minx + dx, maxy + dy, maxx + dx, miny + dy],
                creationOptions=[f"COMPRESS={compress}"])
    return out


def srcwin_crop(src, out, xoff, yoff, xsize, ysize):
    """DERIVED: a window of a real tile (gdal_translate -srcwin, same pixels, same
    ground, georeferenced accordingly), e.g. the IRC tile cropped to a part of the
    RVB tile's footprint to act as a newer vintage over part of it."""
    cmd = ["gdal_translate", "-q", "-of", "GTiff", "-co", "COMPRESS=DEFLATE",
           "-srcwin", str(xoff), str(yoff), str(xsize), str(ysize), str(src), str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=child_env())
    assert r.returncode == 0, f"$ {' '.join(cmd)}\nexit {r.returncode}\n{r.stdout}{r.stderr}"
    aux = str(out) + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)
    return out


def jp2_copy(src, out):
    """DERIVED: a lossless JPEG 2000 copy of the real tile (same georeferencing)."""
    g = gdal()
    g.Translate(str(out), str(src), format="JP2OpenJPEG",
                creationOptions=["REVERSIBLE=YES", "QUALITY=100"])
    aux = str(out) + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)
    return out


def cc46_copy(src, out):
    """DERIVED: the real tile warped to Lambert CC46 (EPSG:3946), 20 cm, bilinear.

    The source CRS is stated explicitly as EPSG:2154 (the file's own datum
    description is incomplete)."""
    g = gdal()
    g.Warp(str(out), str(src), srcSRS="EPSG:2154", dstSRS="EPSG:3946", xRes=0.2, yRes=0.2,
           resampleAlg="bilinear", format="GTiff", creationOptions=["COMPRESS=DEFLATE"])
    return out


def crash_dalles(src, out_dir, count, size):
    """DERIVED: `count` dalles of size x size px, each the real tile upsampled
    (bilinear) to size x size and declared at 20 cm, laid edge to edge on a
    grid (so each dalle covers size*0.2 m); compressed with DEFLATE.

    Returns [(path, bbox)] in file-name order."""
    g = gdal()
    os.makedirs(out_dir, exist_ok=True)
    _, gt, (minx, miny, maxx, maxy) = raster_info(src)
    up = g.Translate("/vsimem/up.tif", str(src), format="GTiff", width=size, height=size,
                     resampleAlg="bilinear")
    span = size * 0.2
    cols = max(1, int(round(count ** 0.5)))
    out = []
    drv = g.GetDriverByName("GTiff")
    for i in range(count):
        r, c = divmod(i, cols)
        ulx, uly = minx + c * span, maxy - r * span
        path = os.path.join(out_dir, f"dalle-{i:03d}.tif")
        ds = drv.CreateCopy(path, up, options=["COMPRESS=DEFLATE", "TILED=YES"])
        ds.SetGeoTransform((ulx, 0.2, 0.0, uly, 0.0, -0.2))
        ds = None
        aux = path + ".aux.xml"
        if os.path.exists(aux):
            os.remove(aux)
        out.append((path, (ulx, uly - span, ulx + span, uly)))
    up = None
    g.Unlink("/vsimem/up.tif")
    return out


def relocated_copy(src, out, ulx, uly, pixel):
    """DERIVED: the real tile's pixels georeferenced at another place and
    another pixel size (upper-left corner ulx/uly, square pixels of `pixel`
    metres, EPSG:2154): e.g. a 252 px dalle of 20 m pixels covers 5,040 m,
    large enough for the coverage indicator's km². Not a real acquisition."""
    g = gdal()
    ds = g.Open(str(src))
    w, h = ds.RasterXSize, ds.RasterYSize
    ds = None
    g.Translate(str(out), str(src), format="GTiff", outputSRS="EPSG:2154",
                outputBounds=[ulx, uly, ulx + w * pixel, uly - h * pixel],
                creationOptions=["COMPRESS=DEFLATE"])
    aux = str(out) + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)
    return out
