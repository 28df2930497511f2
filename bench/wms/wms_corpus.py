#!/usr/bin/python3
"""Fixed, seeded corpus of WMS 1.3.0 GetMap requests over the dalle set.

Usage: wms_corpus.py MANIFEST OUTDIR [--seed S] [--n N] [--inspire-n N] [--layer L]

Writes, in OUTDIR:
  getmap.txt     N request paths (/wms?SERVICE=WMS&...), the load corpus: every
                 server gets the same lines (all three answer at /wms);
  getmap.jsonl   the same requests with their parameters (crs, size, bbox,
                 ground resolution) for the per-class tables;
  inspire.txt    INSPIRE-floor corpus: 800x600 GetMaps (same rules, own stream),
  inspire.jsonl  and its parameters;
  corpus.json    parameters and class counts.

Rules (one request): CRS EPSG:2154 or EPSG:3857 (1/2 each); size drawn uniformly
among 256x256, 512x512, 640x480, 800x600, 1024x768; ground resolution drawn
log-uniformly in [0.025, 0.8] m/px (5 cm data: from 2x oversampling to 16x
undersampling), capped so the box fits in the data extent; centre drawn uniformly so
the box lies inside the extent.  In EPSG:3857 the box is sized by the Web Mercator
scale factor at its centre (same ground resolution), and redrawn (up to 20 times)
until its corners, taken back to Lambert-93, lie inside the extent: boxes stay
inside the data ("mostly": a box that never fits is kept as drawn).
Uses only the Debian python3-gdal (osr) for the transforms.
"""
import argparse
import json
import math
import os
import random

from osgeo import osr

SIZES = [(256, 256), (512, 512), (640, 480), (800, 600), (1024, 768)]
RES_MIN, RES_MAX = 0.025, 0.8


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


L93, WM = srs(2154), srs(3857)
TO_WM = osr.CoordinateTransformation(L93, WM)
TO_L93 = osr.CoordinateTransformation(WM, L93)
TO_GEO = osr.CoordinateTransformation(L93, srs(4326))


def draw(rng, ext, size=None, crs=None):
    xmin, ymin, xmax, ymax = ext
    w, h = size or rng.choice(SIZES)
    crs = crs or rng.choice([2154, 3857])
    fit = min((xmax - xmin) / w, (ymax - ymin) / h) * 0.98
    res = math.exp(rng.uniform(math.log(RES_MIN), math.log(RES_MAX)))
    res = min(res, fit)
    gw, gh = w * res, h * res  # ground size, metres
    for _ in range(20):
        cx = rng.uniform(xmin + gw / 2, xmax - gw / 2)
        cy = rng.uniform(ymin + gh / 2, ymax - gh / 2)
        if crs == 2154:
            box = (cx - gw / 2, cy - gh / 2, cx + gw / 2, cy + gh / 2)
            return crs, (w, h), res, box
        mx, my, _ = TO_WM.TransformPoint(cx, cy)
        lat = TO_GEO.TransformPoint(cx, cy)[1]
        k = 1 / math.cos(math.radians(lat))  # Web Mercator scale factor
        box = (mx - gw * k / 2, my - gh * k / 2, mx + gw * k / 2, my + gh * k / 2)
        corners = [TO_L93.TransformPoint(x, y)[:2] for x in (box[0], box[2]) for y in (box[1], box[3])]
        if all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in corners):
            return crs, (w, h), res, box
    return crs, (w, h), res, box


def path(layer, crs, size, box):
    b = ",".join(f"{v:.2f}" for v in box)
    return (f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layer}&STYLES=&CRS=EPSG:{crs}"
            f"&BBOX={b}&WIDTH={size[0]}&HEIGHT={size[1]}&FORMAT=image/jpeg")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--inspire-n", type=int, default=600)
    ap.add_argument("--layer", default="ortho")
    a = ap.parse_args()
    ext = json.load(open(a.manifest))["extent"]
    os.makedirs(a.outdir, exist_ok=True)

    rng = random.Random(a.seed)
    reqs = [draw(rng, ext) for _ in range(a.n)]
    irng = random.Random(a.seed + 1)
    insp = [draw(irng, ext, size=(800, 600)) for _ in range(a.inspire_n)]

    with open(os.path.join(a.outdir, "getmap.txt"), "w") as f:
        f.write("".join(path(a.layer, c, s, b) + "\n" for c, s, r, b in reqs))
    with open(os.path.join(a.outdir, "getmap.jsonl"), "w") as f:
        for i, (c, s, r, b) in enumerate(reqs):
            f.write(json.dumps({"i": i, "crs": c, "width": s[0], "height": s[1], "res_m": round(r, 4),
                                "bbox": [round(v, 2) for v in b], "path": path(a.layer, c, s, b)}) + "\n")
    with open(os.path.join(a.outdir, "inspire.txt"), "w") as f:
        f.write("".join(path(a.layer, c, s, b) + "\n" for c, s, r, b in insp))
    with open(os.path.join(a.outdir, "inspire.jsonl"), "w") as f:
        for i, (c, s, r, b) in enumerate(insp):
            f.write(json.dumps({"i": i, "crs": c, "width": s[0], "height": s[1], "res_m": round(r, 4),
                                "bbox": [round(v, 2) for v in b], "path": path(a.layer, c, s, b)}) + "\n")
    classes = {}
    for c, s, r, b in reqs:
        k = f"EPSG:{c} {s[0]}x{s[1]}"
        classes[k] = classes.get(k, 0) + 1
    info = {
        "seed": a.seed, "n": a.n, "inspire_n": a.inspire_n, "extent": ext, "layer": a.layer,
        "sizes": [f"{w}x{h}" for w, h in SIZES], "res_m": [RES_MIN, RES_MAX],
        "classes": dict(sorted(classes.items())),
        "distinct": len({path(a.layer, c, s, b) for c, s, r, b in reqs}),
        "mean_pixels": round(sum(s[0] * s[1] for _, s, _, _ in reqs) / max(1, len(reqs))),
    }
    json.dump(info, open(os.path.join(a.outdir, "corpus.json"), "w"), indent=1)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
