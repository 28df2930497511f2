#!/usr/bin/python3
"""Response check of the load corpus, before the load (bench/load.sh).

Usage: check.py CORPUS_JSONL BASE_URL OUT_JSON [--k 2] [--timeout 300]

Fetches the first K requests of every sub-class, one at a time, and checks what
a client would: HTTP 200, the content type of the class, the body (JPEG/PNG
magic; GeoJSON parsed, a FeatureCollection with no more features than asked;
GML: a wfs:FeatureCollection).  Writes OUT_JSON (per sub-class: requests, ok,
mean ms, mean bytes, failures) and exits 1 if any request failed: the load run
would otherwise measure error answers.  Standard library only.
"""
import argparse
import json
import time
import urllib.error
import urllib.request


def expect(req):
    """(content-type prefix, body check) for a corpus request."""
    cls, sub = req["class"], req["sub"]
    if cls == "tiles":
        return "image/jpeg", "jpeg"
    if cls == "getmap":
        return req["format"], "jpeg" if req["format"] == "image/jpeg" else "png"
    if cls == "wfs" and sub == "geojson":
        return "application/", "geojson"
    if cls == "wfs":
        return "", "gml"  # application/gml+xml (2.0) or text/xml; subtype=gml/3.1.1 (1.1)
    return "application/geo+json", "geojson"


def check_body(kind, body, req):
    if kind == "jpeg":
        return body[:3] == b"\xff\xd8\xff" or "not a JPEG"
    if kind == "png":
        return body[:8] == b"\x89PNG\r\n\x1a\n" or "not a PNG"
    if kind == "gml":
        head = body[:2000].decode("utf-8", "replace")
        return "FeatureCollection" in head or "no wfs:FeatureCollection"
    try:
        fc = json.loads(body)
    except ValueError as e:
        return f"bad JSON: {e}"
    if fc.get("type") != "FeatureCollection":
        return "not a FeatureCollection"
    cap = req.get("count") or req.get("limit")
    if cap is not None and len(fc.get("features", [])) > cap:
        return f"{len(fc['features'])} features > {cap}"
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    reqs = [json.loads(line) for line in open(a.corpus)]
    picked, seen = [], {}
    for r in reqs:
        key = f"{r['class']}.{r['sub']}"
        if seen.get(key, 0) < a.k:
            seen[key] = seen.get(key, 0) + 1
            picked.append(r)
    res, bad = {}, 0
    for r in picked:
        key = f"{r['class']}.{r['sub']}"
        s = res.setdefault(key, {"requests": 0, "ok": 0, "ms": [], "bytes": [], "failures": []})
        ctype, kind = expect(r)
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(a.base + r["path"], timeout=a.timeout) as resp:
                code, ct, body = resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            code, ct, body = e.code, e.headers.get("Content-Type", ""), e.read()
        except Exception as e:  # socket error, timeout
            code, ct, body = 0, "", str(e).encode()
        ms = 1000 * (time.monotonic() - t0)
        s["requests"] += 1
        why = True
        if code != 200:
            why = f"HTTP {code}: {body[:300].decode('utf-8', 'replace')}"
        elif not ct.startswith(ctype):
            why = f"content type {ct!r}, expected {ctype!r}"
        else:
            why = check_body(kind, body, r)
        if why is True:
            s["ok"] += 1
        else:
            bad += 1
            s["failures"].append({"i": r["i"], "path": r["path"], "why": why})
        s["ms"].append(round(ms, 1))
        s["bytes"].append(len(body))
    out = {k: {"requests": v["requests"], "ok": v["ok"], "mean_ms": round(sum(v["ms"]) / len(v["ms"]), 1),
               "max_ms": max(v["ms"]), "mean_bytes": round(sum(v["bytes"]) / len(v["bytes"])),
               "failures": v["failures"]} for k, v in res.items()}
    json.dump(out, open(a.out, "w"), indent=1)
    for k, v in out.items():
        print(f"  {k:16s} {v['ok']}/{v['requests']} ok, mean {v['mean_ms']:8.1f} ms, {v['mean_bytes']:9d} B"
              + ("" if not v["failures"] else f"  FAIL: {v['failures'][0]['why'][:160]}"))
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
