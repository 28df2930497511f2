#!/usr/bin/python3
"""Response check of the vector benchmark (bench/vector.sh), before any measurement.

  check.py CORPUS_JSONL PART OUT_JSON NAME=URL [NAME=URL ...] [--k K] [--timeout S]

PART is a part of the corpus (wfs1, wfs1000, wfs10000, oapif1, ..., mvt, wms).  K
requests spread evenly over the part (all of them with --k 0) are sent to every
server, sequentially, one keep-alive connection per server; the same request index
means the same request (each server has its own path in corpus.jsonl).

- features (wfs*, oapif*): HTTP 200, JSON, a FeatureCollection with exactly the
  requested number of features; the multiset of the features' `code` property must
  be the same on every server (same file, same rectangle, same order: same features).
  Exit status 2 when any of this fails.
- mvt: HTTP 200 (204 counts as an empty tile), the tile decoded (protobuf, stdlib
  only): features per tile on each server; the counts are compared (informative:
  buffer and clipping rules differ), exit 2 only on an HTTP error.
- wms: HTTP 200, PNG signature, decoded with GDAL (size checked) and the share of
  "inked" pixels (not the white/transparent background) measured; the shares are
  compared between servers (same extent drawn?): within 0.02 counts as the same,
  more than 0.25 apart as a failure (another extent, axis order, layer), exit 2 on
  that or on HTTP/format errors.

The pass is also the servers' warm-up.  Times are c = 1, informative.
"""
import argparse
import hashlib
import http.client
import json
import statistics as st
import sys
import time
import urllib.parse


def get(conns, name, base, path, timeout):
    u = urllib.parse.urlsplit(base)
    for attempt in (1, 2):
        c = conns.get(name)
        if c is None:
            c = conns[name] = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
        try:
            t0 = time.perf_counter()
            c.request("GET", path, headers={"Accept-Encoding": "identity"})
            r = c.getresponse()
            body = r.read()
            dt = time.perf_counter() - t0
            if r.getheader("Connection", "").lower() == "close":
                c.close()
                conns.pop(name, None)
            return r.status, (r.getheader("Content-Type") or ""), body, dt
        except (http.client.HTTPException, OSError):
            c.close()
            conns.pop(name, None)
            if attempt == 2:
                raise


# ------------------------------------------------------------------ MVT (protobuf)
def varint(b, i):
    s = v = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7F) << s
        if x < 0x80:
            return v, i
        s += 7


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wt}")
        yield f, v


def mvt_layers(body):
    """{layer name: number of features} of a Mapbox Vector Tile."""
    out = {}
    for f, v in fields(body):
        if f == 3:  # Layer
            name, n = "?", 0
            for lf, lv in fields(v):
                if lf == 1:
                    name = bytes(lv).decode("utf-8", "replace")
                elif lf == 2:
                    n += 1
            out[name] = out.get(name, 0) + n
    return out


# ------------------------------------------------------------------ PNG
def png_ink(body):
    """(width, height, share of pixels that are not background) or raises."""
    from osgeo import gdal
    import numpy as np
    gdal.UseExceptions()
    name = f"/vsimem/check_{id(body)}.png"
    gdal.FileFromMemBuffer(name, body)
    try:
        ds = gdal.Open(name)
        a = ds.ReadAsArray()
        w, h = ds.RasterXSize, ds.RasterYSize
    finally:
        gdal.Unlink(name)
    if a.ndim == 2:
        a = a[None]
    bands = a.shape[0]
    if bands in (2, 4):  # alpha last
        alpha = a[-1]
        rgb = a[:-1]
        bg = (alpha == 0) | np.all(rgb >= 250, axis=0)
    else:
        bg = np.all(a >= 250, axis=0)
    return w, h, float(1.0 - bg.mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("part")
    ap.add_argument("out")
    ap.add_argument("servers", nargs="+")
    ap.add_argument("--k", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    servers = dict(s.split("=", 1) for s in a.servers)
    rows = [json.loads(l) for l in open(a.corpus) if l.strip()]
    rows = [r for r in rows if r["part"] == a.part]
    if a.part == "mvt":  # distinct tiles only
        seen, uniq = set(), []
        for r in rows:
            k = (r["z"], r["x"], r["y"])
            if k not in seen:
                seen.add(k)
                uniq.append(r)
        rows = uniq
    n = len(rows)
    if a.k and a.k < n:
        idx = sorted({round(i * (n - 1) / max(1, a.k - 1)) for i in range(a.k)})
        rows = [rows[i] for i in idx]
    kind = "features" if a.part.startswith(("wfs", "oapif")) else a.part
    conns = {}
    res = {s: {"codes": {}, "ms": [], "bytes": [], "items": []} for s in servers}
    failures = []
    for r in rows:
        for s, base in servers.items():
            path = r["paths"][s]
            R = res[s]
            try:
                code, ctype, body, dt = get(conns, s, base, path, a.timeout)
            except Exception as e:  # noqa: BLE001 — any failure is reported
                code, ctype, body, dt = 0, "", str(e).encode(), 0.0
            R["codes"][str(code)] = R["codes"].get(str(code), 0) + 1
            item = {"i": r["i"], "code": code}
            if code in (200, 204):
                R["ms"].append(dt * 1000)
                R["bytes"].append(len(body))
            if kind == "features":
                if code == 200:
                    try:
                        fc = json.loads(body)
                        feats = fc.get("features") or []
                        codes = sorted(str((f.get("properties") or {}).get("code")) for f in feats)
                        item["n"] = len(feats)
                        item["codes_sha"] = hashlib.sha256("\n".join(codes).encode()).hexdigest()[:16]
                        item["first"] = codes[:3]
                        item["geom_types"] = sorted({(f.get("geometry") or {}).get("type", "null") for f in feats})
                    except ValueError as e:
                        item["error"] = f"not JSON: {e}"
                else:
                    item["error"] = body[:300].decode("utf-8", "replace")
            elif kind == "mvt":
                if code == 204:
                    item["n"], item["layers"] = 0, {}
                elif code == 200:
                    try:
                        lay = mvt_layers(body)
                        item["n"], item["layers"] = sum(lay.values()), lay
                    except (ValueError, IndexError) as e:
                        item["error"] = f"not a vector tile: {e}"
                else:
                    item["error"] = body[:300].decode("utf-8", "replace")
            elif kind == "wms":
                if code == 200 and body[:8] == b"\x89PNG\r\n\x1a\n":
                    try:
                        w, h, ink = png_ink(body)
                        item["size_ok"] = (w, h) == (r["width"], r["height"])
                        item["ink"] = round(ink, 4)
                    except Exception as e:  # noqa: BLE001
                        item["error"] = f"PNG not decoded: {e}"
                    item["ctype"] = ctype
                else:
                    item["error"] = f"{ctype}: " + body[:300].decode("utf-8", "replace")
            R["items"].append(item)

    # ---------------------------------------------------------- compare
    names = list(servers)
    checked = len(rows)
    agree = 0
    diffs = []
    for j, r in enumerate(rows):
        its = {s: res[s]["items"][j] for s in names}
        bad = [s for s in names if "error" in its[s] or its[s]["code"] not in (200, 204)]
        if kind == "features":
            bad += [s for s in names if s not in bad and its[s].get("n") != r["count"]]
            same = not bad and len({its[s]["codes_sha"] for s in names}) == 1
        elif kind == "mvt":
            same = not bad and len({its[s]["n"] for s in names}) == 1
        else:
            bad += [s for s in names if s not in bad and not its[s].get("size_ok")]
            spread = None if bad else max(its[s]["ink"] for s in names) - min(its[s]["ink"] for s in names)
            if spread is not None and spread > 0.25:  # not the same extent / features drawn
                bad += names
            same = not bad and spread < 0.02
        if bad:
            failures.append({"i": r["i"], "bad": bad, "items": its})
        agree += bool(same)
        if not same and len(diffs) < 8:
            diffs.append({"i": r["i"], "items": its})
    out = {"part": a.part, "kind": kind, "checked": checked, "agree": agree, "failures": failures[:8],
           "n_failures": len(failures), "differences": diffs, "servers": {}}
    for s in names:
        R = res[s]
        x = {"codes": R["codes"], "median_ms": round(st.median(R["ms"]), 2) if R["ms"] else None,
             "mean_bytes": round(st.mean(R["bytes"])) if R["bytes"] else None}
        if kind in ("features", "mvt"):
            ns = [it.get("n") for it in R["items"] if it.get("n") is not None]
            x["features_total"] = sum(ns)
            x["features_per_response"] = round(st.mean(ns), 1) if ns else None
        if kind == "features":
            x["geom_types"] = sorted({t for it in R["items"] for t in it.get("geom_types", [])})
        if kind == "mvt":
            x["layers"] = sorted({k for it in R["items"] for k in it.get("layers", {})})
        if kind == "wms":
            inks = [it["ink"] for it in R["items"] if "ink" in it]
            x["mean_ink"] = round(st.mean(inks), 4) if inks else None
        out["servers"][s] = x
    if kind == "mvt":
        # features whose geometry meets the tile itself (corpus.py, exact, no buffer)
        out["reference_features_per_tile"] = round(st.mean(r["intersecting"] for r in rows), 1) if rows else None
    if kind == "mvt" and len(names) == 2:
        a0, a1 = names
        pairs = [(res[a0]["items"][j].get("n"), res[a1]["items"][j].get("n")) for j in range(checked)]
        pairs = [(p, q) for p, q in pairs if p is not None and q is not None]
        if pairs:
            out["mvt_count_ratio"] = round(sum(p for p, _ in pairs) / max(1, sum(q for _, q in pairs)), 4)
            out["mvt_mean_abs_diff"] = round(st.mean(abs(p - q) for p, q in pairs), 2)
    if kind == "wms" and len(names) == 2:
        a0, a1 = names
        d = [abs(res[a0]["items"][j]["ink"] - res[a1]["items"][j]["ink"]) for j in range(checked)
             if "ink" in res[a0]["items"][j] and "ink" in res[a1]["items"][j]]
        out["ink_mean_abs_diff"] = round(st.mean(d), 4) if d else None
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)
    summary = ", ".join(f"{s}: {out['servers'][s]['codes']}" for s in names)
    extra = ""
    if kind == "features":
        extra = " | features/response " + ", ".join(f"{s} {out['servers'][s]['features_per_response']}" for s in names)
    elif kind == "mvt":
        extra = " | features/tile " + ", ".join(f"{s} {out['servers'][s]['features_per_response']}" for s in names) \
            + f" (meeting the tile itself: {out['reference_features_per_tile']})"
    elif kind == "wms":
        extra = " | ink " + ", ".join(f"{s} {out['servers'][s]['mean_ink']}" for s in names)
    print(f"check {a.part}: {checked} requests, identical on every server: {agree}/{checked}, "
          f"failures: {len(failures)} | {summary}{extra}", file=sys.stderr)
    if failures:
        sys.exit(2)


if __name__ == "__main__":
    main()
