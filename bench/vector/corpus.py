#!/usr/bin/python3
"""Fixed, seeded request corpora of the vector benchmark (bench/vector.sh).

Usage: corpus.py GPKG OUTDIR --dataset D [--seed S] [--n N] [--mvt-n N] [--wms-n N]
                 [--classes "1 1000 10000"] [--small-layer communes] [--big-layer communes_grid]
                 [--mvt-layer communes] [--wms-layer communes] [--wms-crs "2154 3857"]
                 [--margin 1.05]

Reads the benchmark GeoPackage (the very file geocentre stores, EPSG:2154) with
Debian's python3-gdal and writes, in OUTDIR, one file of URL paths per (part, server)
— the load corpus replayed by bench/lib/corpus.lua — and corpus.jsonl (every request
with its parameters and the paths of every server, for the response check):

  wfs{N}_ours.txt = wfs{N}_mapserver.txt      WFS 2.0.0 GetFeature, GeoJSON,
      TYPENAMES={D}.{layer}, COUNT=N, BBOX=x0,y0,x1,y1,EPSG:2154, SRSNAME=EPSG:2154
  oapif{N}_ours.txt / oapif{N}_pygeoapi.txt   OGC API Features items, GeoJSON (CRS84,
      the default output CRS), limit=N, the same boxes given in Lambert-93 with
      bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154
  oapif{N}_tipg.txt / oapif{N}_mapserver.txt  (--oapif-peers, PostGIS mode) the same
      requests for tipg and MapServer's OGC API, which take no bbox-crs: the CRS84
      box whose Lambert-93 envelope (PROJ's densified bounds, what they compute) is
      the same box, so the same N features
  mvt_ours.txt / mvt_martin.txt               WebMercatorQuad tiles z 8-14
  wms_ours.txt = wms_mapserver.txt            WMS 1.3.0 GetMap, PNG

Rules.  Feature requests of class N (1, 1,000, 10,000): layer --small-layer for
N < 5,000, --big-layer (DERIVED, >= 10,000 features) otherwise.  A box centre is
drawn uniformly in the layer extent and an aspect ratio in [3/4, 4/3]; the box is
then sized so that it meets EXACTLY N features (geometry against the rectangle, as
OGR's spatial filter, GEOS and PostGIS test it), with at least 1 m of slack before
the (N+1)-th and after the N-th (the L-infinity distance from the centre to every
feature's boundary is computed with numpy; centres where N is skipped are redrawn;
the final box is checked with OGR).  COUNT/limit = N, so every server must return
the same N features whatever order it reads them in — the response check compares
the sets.  The same boxes serve WFS and OGC API Features.

Tiles: a zoom level is drawn uniformly in 8-14, then a tile uniformly among the
tiles of that level whose footprint (taken to Lambert-93) meets a feature of the
layer (rejection sampling in the tile range of the layer's extent).

GetMap: CRS drawn among --wms-crs, size among 256x256, 512x512, 640x480, 800x600,
1024x768, ground resolution log-uniform in 10-400 m/px (capped so the box fits in
the layer extent), centre uniform so the box lies in the extent; EPSG:3857 boxes
are sized by the Web Mercator scale factor at their centre.
"""
import argparse
import json
import math
import os
import random

import numpy as np
from osgeo import ogr, osr

ogr.UseExceptions()
SIZES = [(256, 256), (512, 512), (640, 480), (800, 600), (1024, 768)]
WMS_RES = (10.0, 400.0)
MVT_Z = (8, 14)
WM_HALF = 20037508.342789244
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/2154"


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


L93, WM, GEO = srs(2154), srs(3857), srs(4326)
TO_WM = osr.CoordinateTransformation(L93, WM)
WM_TO_L93 = osr.CoordinateTransformation(WM, L93)
TO_GEO = osr.CoordinateTransformation(L93, GEO)


def rect(x0, y0, x1, y1, n=1):
    """Polygon of a rectangle, each edge cut in n segments (for reprojection)."""
    ring = ogr.Geometry(ogr.wkbLinearRing)
    pts = []
    for i in range(n):
        pts.append((x0 + (x1 - x0) * i / n, y0))
    for i in range(n):
        pts.append((x1, y0 + (y1 - y0) * i / n))
    for i in range(n):
        pts.append((x1 - (x1 - x0) * i / n, y1))
    for i in range(n):
        pts.append((x0, y1 - (y1 - y0) * i / n))
    pts.append((x0, y0))
    for x, y in pts:
        ring.AddPoint_2D(x, y)
    p = ogr.Geometry(ogr.wkbPolygon)
    p.AddGeometry(ring)
    return p


class Layer:
    def __init__(self, ds, name):
        self.name = name
        self.lyr = ds.GetLayerByName(name)
        if self.lyr is None:
            raise SystemExit(f"no layer {name} in the GeoPackage")
        x0, x1, y0, y1 = self.lyr.GetExtent()
        self.extent = (x0, y0, x1, y1)
        self.count = self.lyr.GetFeatureCount()
        self.lyr.ResetReading()
        self.index = {f.GetFID(): k for k, f in enumerate(self.lyr)}  # fid -> order of load_segments

    def exact_count(self, b):
        """Features whose geometry meets the rectangle b (OGR's spatial filter)."""
        self.lyr.SetSpatialFilterRect(*b)
        self.lyr.ResetReading()
        n = sum(1 for _ in self.lyr)
        self.lyr.SetSpatialFilter(None)
        return n

    def meets(self, geom):
        self.lyr.SetSpatialFilter(geom)
        self.lyr.ResetReading()
        n = 0
        for f in self.lyr:
            if f.GetGeometryRef().Intersects(geom):
                n += 1
        self.lyr.SetSpatialFilter(None)
        return n


def box_around(cx, cy, w, h):
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def load_segments(layer):
    """Every ring segment of the layer as numpy arrays (x0, y0, x1, y1, feature index)."""
    xs0, ys0, xs1, ys1, owner, fids = [], [], [], [], [], []
    layer.lyr.SetSpatialFilter(None)
    layer.lyr.ResetReading()
    for k, f in enumerate(layer.lyr):
        fids.append(f.GetFID())
        g = f.GetGeometryRef()
        polys = [g] if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbPolygon else \
            [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
        for p in polys:
            for r in range(p.GetGeometryCount()):
                pts = p.GetGeometryRef(r).GetPoints() or []
                for (x0, y0, *_), (x1, y1, *_) in zip(pts, pts[1:]):
                    xs0.append(x0); ys0.append(y0); xs1.append(x1); ys1.append(y1); owner.append(k)
    return (np.array(xs0), np.array(ys0), np.array(xs1), np.array(ys1), np.array(owner, dtype=np.int64),
            len(fids))


def linf_dist(seg, cx, cy, hx, hy):
    """Per feature: the smallest s such that the box centre (cx, cy), half-sides
    (s*hx, s*hy), meets the feature's boundary (L-infinity distance in box units)."""
    x0, y0, x1, y1, owner, nf = seg
    u0, v0 = (x0 - cx) / hx, (y0 - cy) / hy
    du, dv = (x1 - x0) / hx, (y1 - y0) / hy
    best = np.maximum(np.abs(u0), np.abs(v0))
    best = np.minimum(best, np.maximum(np.abs(u0 + du), np.abs(v0 + dv)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for t in (-u0 / du, -v0 / dv, (v0 - u0) / (du - dv), -(u0 + v0) / (du + dv)):
            t = np.where(np.isfinite(t), np.clip(t, 0.0, 1.0), 0.0)
            best = np.minimum(best, np.maximum(np.abs(u0 + t * du), np.abs(v0 + t * dv)))
    d = np.full(nf, np.inf)
    np.minimum.at(d, owner, best)
    return d


def draw_feature_box(rng, layer, n, seg, min_gap_m=1.0):
    """A box that meets exactly n features of the layer (geometry against the
    rectangle), with at least min_gap_m metres of slack on every side before the
    (n+1)-th feature or after the n-th: same answer whatever the server's order."""
    x0, y0, x1, y1 = layer.extent
    while True:
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        aspect = math.exp(rng.uniform(math.log(0.75), math.log(4 / 3)))
        hx, hy = math.sqrt(aspect), 1 / math.sqrt(aspect)
        d = linf_dist(seg, cx, cy, hx, hy)
        # features containing the centre are at distance 0
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(cx, cy)
        layer.lyr.SetSpatialFilter(pt)
        layer.lyr.ResetReading()
        for f in layer.lyr:
            if f.GetGeometryRef().Contains(pt):
                d[layer.index[f.GetFID()]] = 0.0
        layer.lyr.SetSpatialFilter(None)
        if n >= len(d):
            continue
        s = np.sort(d)
        lo, hi = s[n - 1], s[n]
        if not np.isfinite(hi) or (hi - lo) * min(hx, hy) < 2 * min_gap_m:
            continue
        k = (lo + hi) / 2
        b = box_around(cx, cy, 2 * k * hx, 2 * k * hy)
        b = tuple(round(v, 2) for v in b)
        m = layer.exact_count(b)
        if m == n:
            return b, m


GEO_TO_L93 = osr.CoordinateTransformation(GEO, L93)
DENSIFY = 21  # pyproj's transform_bounds default (tipg), PROJ's proj_trans_bounds


def envelope_l93(c):
    """Envelope in Lambert-93 of a CRS84 box, as PROJ's proj_trans_bounds computes it."""
    x0, y0, x1, y1 = GEO_TO_L93.TransformBounds(c[0], c[1], c[2], c[3], DENSIFY)
    return np.array([x0, y0, x1, y1])


def crs84_box_for(b, tol_m=1e-4):
    """The CRS84 box whose Lambert-93 envelope (envelope_l93) is the box b, found by
    Newton's method on the four sides (numeric Jacobian)."""
    x0, y0, x1, y1 = TO_GEO.TransformBounds(b[0], b[1], b[2], b[3], DENSIFY)
    c = np.array([x0, y0, x1, y1])
    target = np.array(b, dtype=float)
    for _ in range(20):
        e = envelope_l93(c) - target
        if np.max(np.abs(e)) < tol_m:
            return [float(v) for v in c]
        J = np.empty((4, 4))
        h = 1e-6
        for k in range(4):
            d = c.copy()
            d[k] += h
            J[:, k] = (envelope_l93(d) - target - e) / h
        c = c - np.linalg.solve(J, e)
    raise SystemExit(f"no CRS84 box has the envelope {b} (residual {e})")


def tile_bounds(z, x, y):
    t = 2 * WM_HALF / 2 ** z
    return (-WM_HALF + x * t, WM_HALF - (y + 1) * t, -WM_HALF + (x + 1) * t, WM_HALF - y * t)


def draw_tile(rng, layer, wm_ext):
    z = rng.randint(*MVT_Z)
    t = 2 * WM_HALF / 2 ** z
    xa = int((wm_ext[0] + WM_HALF) // t)
    xb = int((wm_ext[2] + WM_HALF) // t)
    ya = int((WM_HALF - wm_ext[3]) // t)
    yb = int((WM_HALF - wm_ext[1]) // t)
    while True:
        x, y = rng.randint(xa, xb), rng.randint(ya, yb)
        g = rect(*tile_bounds(z, x, y), n=8)
        g.Transform(WM_TO_L93)
        n = layer.meets(g)
        if n:
            return z, x, y, n


def draw_getmap(rng, ext, crs_choices):
    xmin, ymin, xmax, ymax = ext
    w, h = rng.choice(SIZES)
    crs = rng.choice(crs_choices)
    fit = min((xmax - xmin) / w, (ymax - ymin) / h) * 0.98
    res = min(math.exp(rng.uniform(math.log(WMS_RES[0]), math.log(WMS_RES[1]))), fit)
    gw, gh = w * res, h * res
    cx = rng.uniform(xmin + gw / 2, xmax - gw / 2)
    cy = rng.uniform(ymin + gh / 2, ymax - gh / 2)
    if crs == 2154:
        return crs, (w, h), res, box_around(cx, cy, gw, gh)
    mx, my, _ = TO_WM.TransformPoint(cx, cy)
    lat = TO_GEO.TransformPoint(cx, cy)[1]
    k = 1 / math.cos(math.radians(lat))
    return crs, (w, h), res, box_around(mx, my, gw * k, gh * k)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("out")
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--n", type=int, default=100, help="requests per feature class")
    ap.add_argument("--mvt-n", type=int, default=1000)
    ap.add_argument("--wms-n", type=int, default=400)
    ap.add_argument("--classes", default="1 1000 10000")
    ap.add_argument("--small-layer", default="communes")
    ap.add_argument("--big-layer", default="communes_grid")
    ap.add_argument("--mvt-layer", default="communes")
    ap.add_argument("--wms-layer", default="communes")
    ap.add_argument("--wms-crs", default="2154 3857")
    ap.add_argument("--pygeoapi-ids", default="", help="layer=collection,... (default: the layer name)")
    ap.add_argument("--oapif-peers", default="pygeoapi",
                    help="peers of the OGC API Features parts: pygeoapi (GeoPackage mode); tipg and/or "
                         "mapserver (PostGIS mode, bench/vector.sh SOURCE=postgis)")
    ap.add_argument("--tipg-schema", default="public", help="schema of the PostGIS tables (tipg's collection ids)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ds = ogr.Open(a.gpkg, 0)
    layers = {}

    def L(name):
        if name not in layers:
            layers[name] = Layer(ds, name)
        return layers[name]

    D = a.dataset
    pg_ids = dict(kv.split("=", 1) for kv in a.pygeoapi_ids.split(",") if kv)
    files, rows, segs = {}, [], {}

    def emit(part, rec, paths):
        rec = dict(rec, part=part, i=sum(1 for r in rows if r["part"] == part), paths=paths)
        rows.append(rec)
        for srv, p in paths.items():
            files.setdefault(f"{part}_{srv}.txt", []).append(p)

    summary = {"seed": a.seed, "gpkg": os.path.abspath(a.gpkg), "dataset": D, "parts": {}}
    # ---------------------------------------------------------- features (WFS + OAPIF)
    for cls in [int(c) for c in a.classes.split()]:
        layer = L(a.small_layer if cls < 5000 else a.big_layer)
        if layer.count < cls:
            raise SystemExit(f"layer {layer.name} has {layer.count} features < {cls}")
        rng = random.Random(f"{a.seed}-features-{cls}")
        if layer.name not in segs:
            segs[layer.name] = load_segments(layer)
        seg = segs[layer.name]
        matched = []
        for _ in range(a.n):
            b, m = draw_feature_box(rng, layer, cls, seg)
            matched.append(m)
            bb = ",".join(f"{v:.2f}" for v in b)
            tn = f"{D}.{layer.name}"
            rec = {"class": cls, "layer": layer.name, "bbox": [round(v, 2) for v in b], "count": cls,
                   "matched": m}
            wfs = (f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES={tn}&COUNT={cls}"
                   f"&OUTPUTFORMAT=application/json&SRSNAME=EPSG:2154&BBOX={bb},EPSG:2154")
            emit(f"wfs{cls}", rec, {"ours": wfs, "mapserver": wfs})
            q = f"limit={cls}&bbox={bb}&bbox-crs={EPSG_URI}"
            paths = {"ours": f"/ogcapi/collections/{tn}/items?f=json&{q}"}
            peers = a.oapif_peers.split()
            if "pygeoapi" in peers:
                paths["pygeoapi"] = f"/collections/{pg_ids.get(layer.name, layer.name)}/items?f=json&{q}"
            if "tipg" in peers or "mapserver" in peers:
                # tipg 1.6 and MapServer 8.0 take no bbox-crs: their bbox is CRS84, which they turn
                # into the envelope of its densified image in the layer's CRS (pyproj's
                # transform_bounds / msProjectRect).  Give them the CRS84 box whose envelope IS
                # the Lambert-93 box: the same rectangle, so the same N features.
                c84 = crs84_box_for(b)
                rec["bbox_crs84"] = c84
                cq = f"limit={cls}&bbox={','.join(f'{v:.9f}' for v in c84)}"
                if "tipg" in peers:
                    paths["tipg"] = f"/collections/{a.tipg_schema}.{layer.name}/items?f=geojson&{cq}"
                if "mapserver" in peers:
                    paths["mapserver"] = f"/mapserv/{D}/ogcapi/collections/{tn}/items?f=json&{cq}"
            emit(f"oapif{cls}", rec, paths)
        summary["parts"][f"wfs{cls}"] = summary["parts"][f"oapif{cls}"] = {
            "layer": layer.name, "layer_features": layer.count, "n": a.n, "count": cls,
            "matched_min": min(matched), "matched_median": sorted(matched)[len(matched) // 2],
            "matched_max": max(matched)}
    # ---------------------------------------------------------- MVT tiles
    layer = L(a.mvt_layer)
    x0, y0, x1, y1 = layer.extent
    g = rect(x0, y0, x1, y1, n=16)
    g.Transform(TO_WM)
    e = g.GetEnvelope()
    wm_ext = (e[0], e[2], e[1], e[3])
    rng = random.Random(f"{a.seed}-mvt")
    per_z = {}
    for _ in range(a.mvt_n):
        z, x, y, n = draw_tile(rng, layer, wm_ext)
        per_z.setdefault(z, set()).add((x, y))
        emit("mvt", {"z": z, "x": x, "y": y, "layer": layer.name, "intersecting": n}, {
            "ours": f"/tiles/{D}.{layer.name}/WebMercatorQuad/{z}/{x}/{y}.mvt",
            "martin": f"/{layer.name}/{z}/{x}/{y}"})
    summary["parts"]["mvt"] = {"layer": layer.name, "n": a.mvt_n,
                               "distinct": sum(len(v) for v in per_z.values()),
                               "distinct_per_zoom": {z: len(v) for z, v in sorted(per_z.items())}}
    # ---------------------------------------------------------- WMS GetMap
    layer = L(a.wms_layer)
    rng = random.Random(f"{a.seed}-wms")
    crs_choices = [int(c.replace("EPSG:", "")) for c in a.wms_crs.split()]
    classes = {}
    for _ in range(a.wms_n):
        crs, (w, h), res, b = draw_getmap(rng, layer.extent, crs_choices)
        bb = ",".join(f"{v:.2f}" for v in b)
        p = (f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={D}.{layer.name}&STYLES="
             f"&CRS=EPSG:{crs}&BBOX={bb}&WIDTH={w}&HEIGHT={h}&FORMAT=image/png")
        k = f"EPSG:{crs} {w}x{h}"
        classes[k] = classes.get(k, 0) + 1
        emit("wms", {"crs": crs, "width": w, "height": h, "res_m": round(res, 3), "bbox": [round(v, 2) for v in b],
                     "layer": layer.name, "class": k},
             {"ours": p, "mapserver": p})
    summary["parts"]["wms"] = {"layer": layer.name, "n": a.wms_n, "res_m": list(WMS_RES),
                               "classes": dict(sorted(classes.items()))}
    summary["layers"] = {k: {"features": v.count, "extent": v.extent} for k, v in layers.items()}

    for name, lines in files.items():
        with open(os.path.join(a.out, name), "w") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(a.out, "corpus.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    with open(os.path.join(a.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
