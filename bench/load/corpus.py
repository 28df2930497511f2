#!/usr/bin/python3
"""Fixed, seeded, mixed request corpus of the load benchmark (bench/load.sh).

Usage: corpus.py ORTHO_INGEST_JSON VECTOR_LIST_JSON OUTDIR
                 [--seed S] [--n N] [--shares tiles=50,getmap=20,wfs=15,ogcapi=15]
                 [--layer ortho] [--dataset admin]

ORTHO_INGEST_JSON is the report of `geocentre ortho ingest --json` (native level,
footprints of the dalles), VECTOR_LIST_JSON the output of `geocentre vector list
--json` (layer names and extents).  Writes, in OUTDIR:

  corpus.txt    one request per line, "CLASS<TAB>PATH", in the order the load
                generator replays them (bench/load/load.lua); CLASS is the index of
                the line's sub-class in corpus.json "subclasses";
  corpus.jsonl  the same requests with their class, sub-class and parameters;
  corpus.json   seed, shares, counts per class and sub-class, distinct paths.

The N requests are split by SHARES among four classes (exact counts, rounded),
each class among fixed sub-classes (below), then shuffled with the seed:

  tiles   wmts  60 %  WMTS REST, native grid LAMB93_5cm_EPSG, levels native-5..native,
                      .jpg (a level uniformly, then a tile whose centre is in the data)
          xyz   40 %  /tiles/{layer}/WebMercatorQuad/{z}/{x}/{y}.jpg, z 15-19, same rule
  getmap  ortho  35 % WMS 1.3.0 GetMap of the orthophoto, JPEG, 256x256..1024x768,
                      ground resolution log-uniform in 0.025-0.8 m/px (capped so the
                      box fits in the data), box inside the data, EPSG:2154 or 3857
          vector 35 % GetMap of one admin layer (communes 60 %, cantons 25 %,
                      departements 15 %), PNG, same sizes, 20-800 m/px, box inside
                      the layer's extent
          mixed  20 % ortho + communes in one map, JPEG, box inside the orthophoto
          large  10 % 2048x2048, 3072x2304, 4096x3072 or 4096x4096 (WMS MaxWidth is
                      4096): ortho JPEG or communes PNG (1/2 each); what makes the
                      render pool and its queue fill up
  wfs     geojson 40 % WFS 2.0.0 GetFeature, OUTPUTFORMAT=application/json
          gml32   40 % WFS 2.0.0 GetFeature, GML 3.2 (the default)
          gml311  20 % WFS 1.1.0 GetFeature, GML 3.1.1
                  layer communes 60 % / cantons 25 % / arrondissements 15 %,
                  COUNT (MAXFEATURES) in {1, 5, 10, 20, 50}, BBOX side log-uniform
                  2-60 km inside the layer's extent, centred inside the region's
                  polygon (data/admin/region-*.geojson, as ingested), in EPSG:2154
                  or EPSG:4326 (1/2)
  ogcapi  items 100 % /ogcapi/collections/{id}/items?limit=L&bbox=... (CRS84),
                  same layers and boxes as WFS, limit in {1, 5, 10, 50, 100}

Only the Debian python3-gdal (osr) is used for the transforms.
"""
import argparse
import json
import math
import os
import random

from osgeo import ogr, osr

ORIGIN_Y = 12_000_000.0  # LAMB93_5cm_EPSG: origin (0, 12 000 000), 256 px, 209 715.2 m/px at level 0
RES0 = 209_715.2
WM_HALF = 20037508.342789244
SIZES = [(256, 256), (512, 512), (640, 480), (800, 600), (1024, 768)]
LARGE = [(2048, 2048), (3072, 2304), (4096, 3072), (4096, 4096)]
COUNTS = [1, 5, 10, 20, 50]
LIMITS = [1, 5, 10, 50, 100]

SUBCLASSES = [  # (class, sub-class, share within the class)
    ("tiles", "wmts", 0.60), ("tiles", "xyz", 0.40),
    ("getmap", "ortho", 0.35), ("getmap", "vector", 0.35), ("getmap", "mixed", 0.20), ("getmap", "large", 0.10),
    ("wfs", "geojson", 0.40), ("wfs", "gml32", 0.40), ("wfs", "gml311", 0.20),
    ("ogcapi", "items", 1.00),
]


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


L93, WM, GEO = srs(2154), srs(3857), srs(4326)
T = {(a, b): osr.CoordinateTransformation(srs(a), srs(b)) for a, b in
     [(2154, 3857), (3857, 2154), (2154, 4326), (4326, 2154)]}


def tr(a, b, x, y):
    return T[(a, b)].TransformPoint(x, y)[:2]


def split(n, shares):
    """Exact counts summing to n (largest remainders)."""
    tot = sum(shares)
    raw = [n * s / tot for s in shares]
    out = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:n - sum(out)]:
        out[i] += 1
    return out


def weighted(rng, items):
    r = rng.uniform(0, sum(w for _, w in items))
    for v, w in items:
        r -= w
        if r <= 0:
            return v
    return items[-1][0]


# ---------------------------------------------------------------- tiles
def wmts_candidates(ext, native):
    xmin, ymin, xmax, ymax = ext
    cand = {}
    for z in range(native - 5, native + 1):
        span = 256 * RES0 / 2**z
        cols = [c for c in range(math.floor(xmin / span), math.floor(xmax / span) + 1)
                if xmin <= (c + 0.5) * span <= xmax] or [math.floor((xmin + xmax) / 2 / span)]
        rows = [r for r in range(math.floor((ORIGIN_Y - ymax) / span), math.floor((ORIGIN_Y - ymin) / span) + 1)
                if ymin <= ORIGIN_Y - (r + 0.5) * span <= ymax] or [math.floor((ORIGIN_Y - (ymin + ymax) / 2) / span)]
        cand[z] = [(c, r) for r in rows for c in cols]
    return cand


def xyz_candidates(ext, zmin=15, zmax=19):
    xmin, ymin, xmax, ymax = ext
    corners = [tr(2154, 3857, x, y) for x in (xmin, xmax) for y in (ymin, ymax)]
    mx0, mx1 = min(c[0] for c in corners), max(c[0] for c in corners)
    my0, my1 = min(c[1] for c in corners), max(c[1] for c in corners)
    cand = {}
    for z in range(zmin, zmax + 1):
        span = 2 * WM_HALF / 2**z
        tiles = []
        for x in range(math.floor((mx0 + WM_HALF) / span), math.floor((mx1 + WM_HALF) / span) + 1):
            for y in range(math.floor((WM_HALF - my1) / span), math.floor((WM_HALF - my0) / span) + 1):
                cx, cy = tr(3857, 2154, -WM_HALF + (x + 0.5) * span, WM_HALF - (y + 0.5) * span)
                if xmin <= cx <= xmax and ymin <= cy <= ymax:
                    tiles.append((x, y))
        if not tiles:  # keep the level: the tile over the centre of the data
            mx, my = tr(2154, 3857, (xmin + xmax) / 2, (ymin + ymax) / 2)
            tiles = [(math.floor((mx + WM_HALF) / span), math.floor((WM_HALF - my) / span))]
        cand[z] = tiles
    return cand


# ---------------------------------------------------------------- GetMap
def draw_box(rng, ext, size, crs, res_min, res_max):
    """A box of the given pixel size at a log-uniform ground resolution, inside ext
    (Lambert-93), expressed in crs (2154 or 3857; in 3857 sized by the Web Mercator
    scale factor and redrawn until its corners fall back inside ext)."""
    xmin, ymin, xmax, ymax = ext
    w, h = size
    fit = min((xmax - xmin) / w, (ymax - ymin) / h) * 0.98
    res = min(math.exp(rng.uniform(math.log(res_min), math.log(res_max))), fit)
    gw, gh = w * res, h * res
    box = None
    for _ in range(20):
        cx = rng.uniform(xmin + gw / 2, xmax - gw / 2)
        cy = rng.uniform(ymin + gh / 2, ymax - gh / 2)
        if crs == 2154:
            return res, (cx - gw / 2, cy - gh / 2, cx + gw / 2, cy + gh / 2)
        mx, my = tr(2154, 3857, cx, cy)
        lat = tr(2154, 4326, cx, cy)[1]
        k = 1 / math.cos(math.radians(lat))
        box = (mx - gw * k / 2, my - gh * k / 2, mx + gw * k / 2, my + gh * k / 2)
        corners = [tr(3857, 2154, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
        if all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in corners):
            break
    return res, box


def getmap_path(layers, crs, size, box, fmt):
    b = ",".join(f"{v:.2f}" for v in box)
    extra = "&TRANSPARENT=TRUE" if fmt == "image/png" else ""
    return (f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layers}&STYLES=&CRS=EPSG:{crs}"
            f"&BBOX={b}&WIDTH={size[0]}&HEIGHT={size[1]}&FORMAT={fmt}{extra}")


# ---------------------------------------------------------------- WFS / OGC API
def region_geometry(path):
    """The union of a vector file's features, in Lambert-93 (None if unreadable)."""
    ds = ogr.Open(path) if path else None
    if ds is None:
        return None
    lyr = ds.GetLayer(0)
    geom = None
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        geom = g if geom is None else geom.Union(g)
    src = lyr.GetSpatialRef() or GEO
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    geom.Transform(osr.CoordinateTransformation(src, L93))
    return geom


def feature_box(rng, ext, region=None):
    """A box with sides log-uniform in 2-60 km (aspect 3/4..4/3) inside ext (L93),
    its centre redrawn (up to 50 times) until it lies in the region's polygon."""
    xmin, ymin, xmax, ymax = ext
    side = math.exp(rng.uniform(math.log(2000), math.log(60000)))
    asp = rng.uniform(0.75, 4 / 3)
    w, h = side * math.sqrt(asp), side / math.sqrt(asp)
    for _ in range(50):
        cx = rng.uniform(xmin + w / 2, xmax - w / 2)
        cy = rng.uniform(ymin + h / 2, ymax - h / 2)
        if region is None:
            break
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(cx, cy)
        if region.Contains(pt):
            break
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def geo_box(box):
    """Lambert-93 box -> (lon_min, lat_min, lon_max, lat_max) enclosing its corners."""
    pts = [tr(2154, 4326, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ortho_ingest")
    ap.add_argument("vector_list")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--shares", default="tiles=50,getmap=20,wfs=15,ogcapi=15")
    ap.add_argument("--layer", default="ortho")
    ap.add_argument("--dataset", default="admin")
    a = ap.parse_args()

    ing = json.load(open(a.ortho_ingest))
    native = int(ing["native_level"])
    fps = [f["footprint_l93"] for f in ing["files"] if f.get("status") == "ingested" and f.get("footprint_l93")]
    ortho_ext = (min(f[0] for f in fps), min(f[1] for f in fps), max(f[2] for f in fps), max(f[3] for f in fps))

    vl = [d for d in json.load(open(a.vector_list)) if d["name"] == a.dataset]
    assert vl, f"dataset {a.dataset} not in {a.vector_list}"
    layers = {}
    for lyr in vl[0]["layers"]:
        for key in ("communes", "cantons", "arrondissements", "departements", "region"):
            if lyr["name"].startswith(key):
                layers[key] = lyr
    missing = {"communes", "cantons", "arrondissements", "departements"} - set(layers)
    # feature queries are centred in the region (its source file), not just in its bounding box
    region = region_geometry(layers["region"].get("source")) if "region" in layers else None
    assert not missing, f"layers missing from dataset {a.dataset}: {missing}"

    def qname(key):
        return f"{a.dataset}.{layers[key]['name']}"

    def l93_ext(key):
        w, s, e, n = layers[key]["bbox_wgs84"]
        pts = [tr(4326, 2154, x, y) for x in (w, e) for y in (s, n)]
        # the box of the corners' inner hull: boxes drawn inside it stay over the region
        return (max(pts[0][0], pts[1][0]), max(pts[0][1], pts[2][1]),
                min(pts[2][0], pts[3][0]), min(pts[1][1], pts[3][1]))

    shares = {k: float(v) for k, v in (p.split("=") for p in a.shares.split(","))}
    classes = ["tiles", "getmap", "wfs", "ogcapi"]
    assert set(shares) <= set(classes), f"unknown class in --shares: {set(shares) - set(classes)}"
    n_class = dict(zip(classes, split(a.n, [shares.get(c, 0) for c in classes])))
    rng = random.Random(a.seed)
    wmts_c = wmts_candidates(ortho_ext, native)
    xyz_c = xyz_candidates(ortho_ext)
    feat_layers = [("communes", 0.60), ("cantons", 0.25), ("arrondissements", 0.15)]
    map_layers = [("communes", 0.60), ("cantons", 0.25), ("departements", 0.15)]

    reqs = []  # dicts: class, sub, path, params
    for cls in classes:
        subs = [(s, w) for c, s, w in SUBCLASSES if c == cls]
        for (sub, _), k in zip(subs, split(n_class[cls], [w for _, w in subs])):
            for _ in range(k):
                p = {}
                if (cls, sub) == ("tiles", "wmts"):
                    z = rng.randint(native - 5, native)
                    c, r = rng.choice(wmts_c[z])
                    p = {"z": z, "col": c, "row": r}
                    path = f"/wmts/1.0.0/{a.layer}/default/LAMB93_5cm_EPSG/{z}/{r}/{c}.jpg"
                elif (cls, sub) == ("tiles", "xyz"):
                    z = rng.randint(15, 19)
                    x, y = rng.choice(xyz_c[z])
                    p = {"z": z, "x": x, "y": y}
                    path = f"/tiles/{a.layer}/WebMercatorQuad/{z}/{x}/{y}.jpg"
                elif cls == "getmap":
                    crs = rng.choice([2154, 3857])
                    if sub == "large":
                        size = rng.choice(LARGE)
                        what = rng.choice(["ortho", "vector"])
                    else:
                        size = rng.choice(SIZES)
                        what = sub
                    if what in ("ortho", "mixed"):
                        res, box = draw_box(rng, ortho_ext, size, crs, 0.025, 0.8)
                        lay = a.layer if what == "ortho" else f"{a.layer},{qname('communes')}"
                        fmt = "image/jpeg"
                    else:
                        key = "communes" if sub == "large" else weighted(rng, map_layers)
                        res, box = draw_box(rng, l93_ext(key), size, crs, 20, 800)
                        lay, fmt = qname(key), "image/png"
                    p = {"layers": lay, "crs": crs, "width": size[0], "height": size[1], "res_m": round(res, 4),
                         "format": fmt}
                    path = getmap_path(lay, crs, size, box, fmt)
                elif cls == "wfs":
                    key = weighted(rng, feat_layers)
                    box = feature_box(rng, l93_ext(key), region)
                    count = rng.choice(COUNTS)
                    if rng.random() < 0.5:
                        bbox = ",".join(f"{v:.1f}" for v in box) + ",EPSG:2154"
                        bcrs = 2154
                    else:  # EPSG:4326 URN: latitude first
                        w, s, e, n = geo_box(box)
                        bbox = f"{s:.5f},{w:.5f},{n:.5f},{e:.5f}," + (
                            "urn:ogc:def:crs:EPSG::4326" if sub != "gml311" else "urn:x-ogc:def:crs:EPSG:4326")
                        bcrs = 4326
                    if sub == "gml311":
                        path = (f"/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME={qname(key)}"
                                f"&MAXFEATURES={count}&BBOX={bbox}")
                    else:
                        fmt = "&OUTPUTFORMAT=application/json" if sub == "geojson" else ""
                        path = (f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES={qname(key)}"
                                f"&COUNT={count}&BBOX={bbox}{fmt}")
                    p = {"layer": qname(key), "count": count, "bbox_crs": bcrs}
                else:  # ogcapi items
                    key = weighted(rng, feat_layers)
                    w, s, e, n = geo_box(feature_box(rng, l93_ext(key), region))
                    limit = rng.choice(LIMITS)
                    path = (f"/ogcapi/collections/{qname(key)}/items?limit={limit}"
                            f"&bbox={w:.5f},{s:.5f},{e:.5f},{n:.5f}")
                    p = {"collection": qname(key), "limit": limit}
                reqs.append({"class": cls, "sub": sub, "path": path, **p})
    rng.shuffle(reqs)

    os.makedirs(a.outdir, exist_ok=True)
    sub_names = [f"{c}.{s}" for c, s, _ in SUBCLASSES]
    with open(os.path.join(a.outdir, "corpus.txt"), "w") as f:
        for r in reqs:
            f.write(f"{sub_names.index(r['class'] + '.' + r['sub'])}\t{r['path']}\n")
    with open(os.path.join(a.outdir, "corpus.jsonl"), "w") as f:
        for i, r in enumerate(reqs):
            f.write(json.dumps({"i": i, **r}) + "\n")
    counts = {}
    for r in reqs:
        counts[f"{r['class']}.{r['sub']}"] = counts.get(f"{r['class']}.{r['sub']}", 0) + 1
    info = {
        "seed": a.seed, "n": a.n, "shares_pct": {c: round(100 * n_class[c] / a.n, 1) for c in classes},
        "classes": classes, "subclasses": sub_names,
        "subclass_share_within_class": {f"{c}.{s}": w for c, s, w in SUBCLASSES},
        "counts": {c: n_class[c] for c in classes}, "sub_counts": {s: counts.get(s, 0) for s in sub_names},
        "distinct": {c: len({r["path"] for r in reqs if r["class"] == c}) for c in classes},
        "ortho": {"layer": a.layer, "native_level": native, "extent_l93": ortho_ext,
                  "wmts_levels": f"{native - 5}-{native}", "xyz_levels": "15-19",
                  "wmts_tiles_per_level": {z: len(t) for z, t in wmts_c.items()},
                  "xyz_tiles_per_level": {z: len(t) for z, t in xyz_c.items()}},
        "dataset": a.dataset, "layers": {k: qname(k) for k in sorted(layers)},
        "region_centred": region is not None,
        "getmap_mean_mpx": round(sum(r["width"] * r["height"] for r in reqs if r["class"] == "getmap")
                                 / max(1, n_class["getmap"]) / 1e6, 3),
    }
    json.dump(info, open(os.path.join(a.outdir, "corpus.json"), "w"), indent=1)
    print(json.dumps({k: info[k] for k in ("seed", "n", "counts", "sub_counts", "distinct")}))


if __name__ == "__main__":
    main()
