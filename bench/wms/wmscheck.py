#!/usr/bin/python3
"""Response checks of the WMS benchmark (Debian python3-gdal + numpy only).

validate BASE CORPUS.jsonl OUT.json [--passes 2] [--sample 40] [--save DIR]
    Fetch every request of the corpus from BASE (one keep-alive connection, in
    order), PASSES times: pass 1 warms the server (and is the check), the last pass
    times each request (c=1, sequential).  Records HTTP status, Content-Type, JPEG
    magic, size; decodes SAMPLE responses spread over the corpus (GDAL) and checks
    they are not blank (std dev of the pixels > 4, not all white/black).  OUT.json
    holds the counts and, per class (CRS x size), the median and mean latency of the
    timed pass.

compare OUT.json CORPUS.jsonl NAME=BASE... [--k 10] [--save DIR]
    Fetch K requests spread over the classes from every server and report the mean
    absolute difference per pixel and channel (0-255) between every pair.
"""
import argparse
import http.client
import json
import os
import statistics as st
import sys
import time
import urllib.parse

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def conn_for(base):
    u = urllib.parse.urlparse(base)
    return lambda: http.client.HTTPConnection(u.hostname, u.port or 80, timeout=120)


def fetch(state, base, path):
    """GET on a kept-alive connection (reopened after an error)."""
    for attempt in (0, 1):
        if state.get("c") is None:
            state["c"] = conn_for(base)()
        c = state["c"]
        try:
            t0 = time.perf_counter()
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
            dt = time.perf_counter() - t0
            return r.status, r.getheader("Content-Type", ""), body, dt
        except (http.client.HTTPException, OSError):
            c.close()
            state["c"] = None
            if attempt:
                raise


def decode(body):
    name = f"/vsimem/wmscheck_{id(body)}.jpg"
    gdal.FileFromMemBuffer(name, body)
    try:
        ds = gdal.Open(name)
        a = ds.ReadAsArray()
    finally:
        gdal.Unlink(name)
    return a.astype(np.int16)


def klass(r):
    return f"EPSG:{r['crs']} {r['width']}x{r['height']}"


def load(corpus):
    return [json.loads(x) for x in open(corpus) if x.strip()]


def validate(a):
    reqs = load(a.corpus)
    step = max(1, len(reqs) // max(1, a.sample))
    sample_idx = set(range(0, len(reqs), step))
    state = {}
    codes, ctypes = {}, {}
    non_jpeg = bad_size = 0
    nbytes = []
    blank, decoded, errors = [], 0, []
    times = {}
    t_start = time.time()
    for p in range(a.passes):
        last = p == a.passes - 1
        for i, r in enumerate(reqs):
            status, ctype, body, dt = fetch(state, a.base, r["path"])
            if p == 0:
                codes[str(status)] = codes.get(str(status), 0) + 1
                ctypes[ctype] = ctypes.get(ctype, 0) + 1
                if status != 200:
                    if len(errors) < 5:
                        errors.append({"i": i, "status": status, "body": body[:300].decode("utf-8", "replace")})
                    continue
                if not body.startswith(b"\xff\xd8") or "image/jpeg" not in ctype:
                    non_jpeg += 1
                    if len(errors) < 5:
                        errors.append({"i": i, "ctype": ctype, "body": body[:300].decode("utf-8", "replace")})
                    continue
                nbytes.append(len(body))
                if i in sample_idx:
                    img = decode(body)
                    decoded += 1
                    if img.shape[1:] != (r["height"], r["width"]):
                        bad_size += 1
                    sd, mean = float(img.std()), float(img.mean())
                    if sd <= 4 or mean >= 250 or mean <= 5:
                        blank.append({"i": i, "std": round(sd, 2), "mean": round(mean, 2)})
                    if a.save and len(os.listdir(a.save)) < 12:
                        open(os.path.join(a.save, f"{i:04d}.jpg"), "wb").write(body)
            if last and status == 200:
                times.setdefault(klass(r), []).append(dt)
    per_class = {k: {"n": len(v), "median_ms": round(st.median(v) * 1000, 2), "mean_ms": round(st.mean(v) * 1000, 2)}
                 for k, v in sorted(times.items())}
    allt = [t for v in times.values() for t in v]
    out = {
        "base": a.base, "requests": len(reqs), "passes": a.passes, "codes": codes, "content_types": ctypes,
        "non_jpeg_200": non_jpeg, "mean_bytes_200": round(st.mean(nbytes)) if nbytes else 0,
        "decoded_sample": decoded, "wrong_size": bad_size, "blank": blank, "errors": errors,
        "timed_pass": {"median_ms": round(st.median(allt) * 1000, 2) if allt else None,
                       "mean_ms": round(st.mean(allt) * 1000, 2) if allt else None},
        "per_class": per_class, "wall_s": round(time.time() - t_start, 1),
    }
    ok = codes.get("200", 0) == len(reqs) and non_jpeg == 0 and not blank and bad_size == 0
    out["ok"] = ok
    json.dump(out, open(a.out, "w"), indent=1)
    print(json.dumps({k: out[k] for k in ("base", "ok", "codes", "non_jpeg_200", "blank", "mean_bytes_200", "timed_pass", "wall_s")}))
    return 0 if ok else 1


def compare(a):
    reqs = load(a.corpus)
    servers = [s.split("=", 1) for s in a.servers]
    # K requests spread over the classes: the first request of each class in turn
    by_class = {}
    for r in reqs:
        by_class.setdefault(klass(r), []).append(r)
    picks, j = [], 0
    while len(picks) < a.k and any(len(v) > j for v in by_class.values()):
        for k in sorted(by_class):
            if len(by_class[k]) > j and len(picks) < a.k:
                picks.append(by_class[k][j])
        j += 1
    rows = []
    for r in picks:
        imgs = {}
        for name, base in servers:
            status, ctype, body, _ = fetch({}, base, r["path"])
            if status == 200 and body.startswith(b"\xff\xd8"):
                imgs[name] = decode(body)
                if a.save:
                    open(os.path.join(a.save, f"cmp_{r['i']:04d}_{name}.jpg"), "wb").write(body)
        row = {"i": r["i"], "class": klass(r), "res_m": r["res_m"], "mad": {}}
        names = [n for n, _ in servers]
        for x in range(len(names)):
            for y in range(x + 1, len(names)):
                p, q = names[x], names[y]
                if p in imgs and q in imgs and imgs[p].shape == imgs[q].shape:
                    row["mad"][f"{p}~{q}"] = round(float(np.abs(imgs[p] - imgs[q]).mean()), 2)
                else:
                    row["mad"][f"{p}~{q}"] = None
        rows.append(row)
    pairs = sorted({k for r in rows for k in r["mad"]})
    summary = {}
    for p in pairs:
        v = [r["mad"][p] for r in rows if r["mad"].get(p) is not None]
        summary[p] = {"mean": round(st.mean(v), 2) if v else None, "max": max(v) if v else None, "n": len(v)}
    json.dump({"samples": rows, "summary": summary}, open(a.out, "w"), indent=1)
    print(json.dumps(summary))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate")
    v.add_argument("base")
    v.add_argument("corpus")
    v.add_argument("out")
    v.add_argument("--passes", type=int, default=2)
    v.add_argument("--sample", type=int, default=40)
    v.add_argument("--save")
    c = sub.add_parser("compare")
    c.add_argument("out")
    c.add_argument("corpus")
    c.add_argument("servers", nargs="+")
    c.add_argument("--k", type=int, default=10)
    c.add_argument("--save")
    a = ap.parse_args()
    if getattr(a, "save", None):
        os.makedirs(a.save, exist_ok=True)
    sys.exit(validate(a) if a.cmd == "validate" else compare(a))


if __name__ == "__main__":
    main()
