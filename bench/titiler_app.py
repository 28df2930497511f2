"""TiTiler peer for the geocentre benchmark (MosaicJSON-free).

Serves  GET /tiles/{tms}/{z}/{x}/{y}.jpg  for tms in {LAMB93_5cm_EPSG, WebMercatorQuad}
from a directory of COGs (geocentre's chunk COGs under objects/, or per-dalle COGs
made by gdal_translate -of COG).  This is TiTiler's own tile path: rio-tiler's
Reader.tile() (one COG) or rio_tiler.mosaic.mosaic_reader() (several COGs, as
titiler.mosaic does), rendered with titiler.core.utils.render_image, served by
FastAPI/uvicorn.  It skips TilerFactory's query-parameter machinery, so it is, if
anything, a little faster than a stock TiTiler endpoint.

Chunk choice: at start-up every worker indexes the COGs under $BENCH_COG_ROOT
(bounds, resolution, grouped by parent directory, e.g. geocentre's L{lo}-{hi}/).
For a request it takes the coarsest group whose finest resolution is still <= the
tile's resolution, then the COGs of that group that intersect the tile.

Env: BENCH_COG_ROOT (a directory, searched recursively for *.tif), or
BENCH_COG_LIST (a file with one COG path per line, e.g. /vsis3/bucket/key.tif
from a bucket listing: bench/scaleout.sh serves the COGs from S3 this way; the
directory of each path is its group, as above).
"""
import glob
import math
import os
from functools import lru_cache

import morecantile
import rasterio
from fastapi import FastAPI, Response
from pyproj import CRS, Transformer
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader
from rio_tiler.mosaic import mosaic_reader
from titiler.core.resources.enums import ImageType
from titiler.core.utils import render_image

# --- LAMB93_5cm_EPSG: EPSG:2154, top-left (0, 12000000), 256 px, res(n) = 209715.2 / 2^n
ORIGIN_X, ORIGIN_Y = 0.0, 12_000_000.0
RES0 = 209_715.2


def lamb93_tms() -> morecantile.TileMatrixSet:
    matrices = []
    for n in range(0, 23):
        res = RES0 / 2**n
        span = 256 * res
        matrices.append({
            "id": str(n),
            "scaleDenominator": res / 0.28e-3,
            "cellSize": res,
            "cornerOfOrigin": "topLeft",
            "pointOfOrigin": [ORIGIN_X, ORIGIN_Y],
            "tileWidth": 256,
            "tileHeight": 256,
            # metropolitan France: x in [0, 1.4e6], y in [5e6, 12e6]
            "matrixWidth": max(1, math.ceil(1_400_000 / span)),
            "matrixHeight": max(1, math.ceil(7_000_000 / span)),
        })
    return morecantile.TileMatrixSet.model_validate({
        "id": "LAMB93_5cm_EPSG",
        "title": "Lambert-93, 5 cm at level 22",
        "crs": {"uri": "http://www.opengis.net/def/crs/EPSG/0/2154"},
        "orderedAxes": ["E", "N"],
        "tileMatrices": matrices,
    })


TMS = {
    "LAMB93_5cm_EPSG": lamb93_tms(),
    "WebMercatorQuad": morecantile.tms.get("WebMercatorQuad"),
}
L93 = CRS.from_epsg(2154)


def build_index(root, listing=None):
    groups = {}
    if listing:
        with open(listing) as f:
            paths = sorted(line.strip() for line in f if line.strip())
    else:
        paths = sorted(glob.glob(os.path.join(root, "**", "*.tif"), recursive=True))
    for path in paths:
        with rasterio.open(path) as ds:
            b = ds.bounds
            res = ds.res[0]
        groups.setdefault(os.path.dirname(path), []).append((path, (b.left, b.bottom, b.right, b.top), res))
    # (finest resolution of the group, list of (path, bounds))
    out = []
    for d, items in groups.items():
        out.append((min(r for _, _, r in items), [(p, bb) for p, bb, _ in items]))
    out.sort(key=lambda g: g[0])
    if not out:
        raise SystemExit(f"no COG under {listing or root}")
    return out


INDEX = build_index(os.environ.get("BENCH_COG_ROOT", ""), os.environ.get("BENCH_COG_LIST"))


@lru_cache(maxsize=8)
def to_l93(tms_id):
    crs = TMS[tms_id].crs._pyproj_crs
    if crs.equals(L93):
        return None
    return Transformer.from_crs(crs, L93, always_xy=True)


def pick_assets(tms_id, z, x, y):
    tms = TMS[tms_id]
    bb = tms.xy_bounds(x, y, z)
    t = to_l93(tms_id)
    if t is None:
        l, b, r, top = bb.left, bb.bottom, bb.right, bb.top
    else:
        l, b, r, top = t.transform_bounds(bb.left, bb.bottom, bb.right, bb.top, densify_pts=5)
    target_res = (r - l) / 256
    group = INDEX[0]
    for g in INDEX:  # sorted finest first
        if g[0] <= target_res * 1.0001:
            group = g
    return [p for p, (gl, gb, gr, gt) in group[1] if gl < r and gr > l and gb < top and gt > b]


def _read(path, x, y, z, tms=None):
    with Reader(path, tms=tms) as src:
        return src.tile(x, y, z)


app = FastAPI(title="titiler bench peer", openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/health")
def health():
    return {"groups": len(INDEX), "cogs": sum(len(g[1]) for g in INDEX)}


@app.get("/tiles/{tms_id}/{z}/{x}/{y}.jpg")
def tile(tms_id: str, z: int, x: int, y: int):
    if tms_id not in TMS:
        return Response(status_code=404)
    tms = TMS[tms_id]
    assets = pick_assets(tms_id, z, x, y)
    if not assets:
        return Response(status_code=204)
    try:
        if len(assets) == 1:
            img = _read(assets[0], x, y, z, tms=tms)
        else:
            img, _ = mosaic_reader(assets, _read, x, y, z, tms=tms)
    except TileOutsideBounds:
        return Response(status_code=204)
    content, media = render_image(img, output_format=ImageType.jpeg)
    return Response(content, media_type=media)
