"""Fixed, seeded request corpora of tile URLs over the dalle set.

Usage: corpus.py MANIFEST OUTDIR [--seed S] [--n N] [--layer L]
Writes OUTDIR/{native_ours,native_titiler,webmerc_ours,webmerc_titiler}.txt
(one URL path per line, same tiles in the same order for ours and the peers)
and OUTDIR/corpus.json.

native : LAMB93_5cm_EPSG levels 17-22 (level drawn uniformly, then a tile drawn
         uniformly among the tiles whose centre lies in the data extent).
webmerc: WebMercatorQuad z 15-19, same rule (centre tested in Lambert-93).
"""
import argparse
import json
import math
import os
import random

import morecantile
from pyproj import Transformer

ORIGIN_Y = 12_000_000.0
RES0 = 209_715.2


def native_tiles(rng, ext, n, zmin=17, zmax=22):
    xmin, ymin, xmax, ymax = ext
    cand = {}
    for z in range(zmin, zmax + 1):
        span = 256 * RES0 / 2**z
        cols = [c for c in range(math.floor(xmin / span), math.floor(xmax / span) + 1)
                if xmin <= (c + 0.5) * span <= xmax]
        rows = [r for r in range(math.floor((ORIGIN_Y - ymax) / span), math.floor((ORIGIN_Y - ymin) / span) + 1)
                if ymin <= ORIGIN_Y - (r + 0.5) * span <= ymax]
        if not cols:
            cols = [math.floor((xmin + xmax) / 2 / span)]
        if not rows:
            rows = [math.floor((ORIGIN_Y - (ymin + ymax) / 2) / span)]
        cand[z] = (cols, rows)
    out = []
    for _ in range(n):
        z = rng.randint(zmin, zmax)
        cols, rows = cand[z]
        out.append((z, rng.choice(cols), rng.choice(rows)))
    return out, {z: len(c) * len(r) for z, (c, r) in cand.items()}


def webmerc_tiles(rng, ext, n, zmin=15, zmax=19):
    xmin, ymin, xmax, ymax = ext
    wm = morecantile.tms.get("WebMercatorQuad")
    to_geo = Transformer.from_crs(2154, 4326, always_xy=True)
    to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)
    w, s, e, nn = to_geo.transform_bounds(xmin, ymin, xmax, ymax, densify_pts=21)
    cand = {}
    for z in range(zmin, zmax + 1):
        tiles = []
        for t in wm.tiles(w, s, e, nn, [z]):
            b = wm.bounds(t)
            cx, cy = to_l93.transform((b.left + b.right) / 2, (b.bottom + b.top) / 2)
            if xmin <= cx <= xmax and ymin <= cy <= ymax:
                tiles.append((t.x, t.y))
        if not tiles:  # keep the level: take the tile over the centre of the data
            cx, cy = to_geo.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
            t = wm.tile(cx, cy, z)
            tiles = [(t.x, t.y)]
        cand[z] = tiles
    out = []
    for _ in range(n):
        z = rng.randint(zmin, zmax)
        x, y = rng.choice(cand[z])
        out.append((z, x, y))
    return out, {z: len(t) for z, t in cand.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--layer", default="ortho")
    a = ap.parse_args()
    ext = json.load(open(a.manifest))["extent"]
    rng = random.Random(a.seed)
    nat, nat_c = native_tiles(rng, ext, a.n)
    wmt, wm_c = webmerc_tiles(rng, ext, a.n)
    os.makedirs(a.outdir, exist_ok=True)

    def write(name, lines):
        with open(os.path.join(a.outdir, name), "w") as f:
            f.write("\n".join(lines) + "\n")

    write("native_ours.txt", [f"/wmts/1.0.0/{a.layer}/default/LAMB93_5cm_EPSG/{z}/{r}/{c}.jpg" for z, c, r in nat])
    write("native_titiler.txt", [f"/tiles/LAMB93_5cm_EPSG/{z}/{c}/{r}.jpg" for z, c, r in nat])
    write("webmerc_ours.txt", [f"/tiles/{a.layer}/WebMercatorQuad/{z}/{x}/{y}.jpg" for z, x, y in wmt])
    write("webmerc_titiler.txt", [f"/tiles/WebMercatorQuad/{z}/{x}/{y}.jpg" for z, x, y in wmt])
    info = {
        "seed": a.seed, "n": a.n, "extent": ext,
        "native": {"levels": "17-22", "unique": len(set(nat)), "candidates_per_level": nat_c},
        "webmerc": {"levels": "15-19", "unique": len(set(wmt)), "candidates_per_level": wm_c},
    }
    json.dump(info, open(os.path.join(a.outdir, "corpus.json"), "w"), indent=1)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
