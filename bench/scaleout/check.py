"""Response check (and warm-up) of bench/scaleout.sh, before any measurement.

Usage: check.py OUT.json --server NAME=BASE=CORPUS [--server ...] [--same A,B,...] [--threads 4]

The corpora of the servers are aligned line by line (line i is the same tile
for every server: bench/lib/corpus.py).  Every distinct tile (distinct path of
the first server's corpus) is fetched once from every server, over THREADS
keep-alive connections per server, and checked: HTTP 200, Content-Type
image/jpeg, a JPEG signature (FF D8 FF) and end marker (FF D9).  The servers of
--same (those given with --server) must answer every tile with the same bytes
(sha256): the same ingest on local files, on S3, through the balancer.
Exits 1 when a check fails; OUT.json records counts, mean sizes and mismatches.
Standard library only.
"""
import argparse
import hashlib
import http.client
import json
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def fetch_all(base, paths, threads):
    u = urllib.parse.urlsplit(base)
    local = threading.local()

    def conn():
        if getattr(local, "c", None) is None:
            local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        return local.c

    def one(path):
        for attempt in (0, 1):
            try:
                c = conn()
                c.request("GET", path)
                r = c.getresponse()
                body = r.read()
                return r.status, r.getheader("Content-Type", ""), body
            except (http.client.HTTPException, OSError):
                local.c = None  # a keep-alive connection closed by the server: once more on a new one
                if attempt:
                    return 0, "", b""
        return 0, "", b""

    with ThreadPoolExecutor(threads) as ex:
        return list(ex.map(one, paths))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--server", action="append", required=True)
    ap.add_argument("--same", default="")
    ap.add_argument("--threads", type=int, default=4)
    a = ap.parse_args()
    servers = {}
    for s in a.server:
        name, base, corpus = s.split("=", 2)
        with open(corpus) as f:
            servers[name] = (base, [line.strip() for line in f if line.strip()])
    first = next(iter(servers.values()))[1]
    idx, seen = [], set()
    for i, p in enumerate(first):
        if p not in seen:
            seen.add(p)
            idx.append(i)
    report, hashes, ok = {"distinct_tiles": len(idx), "servers": {}}, {}, True
    for name, (base, lines) in servers.items():
        t0 = time.time()
        res = fetch_all(base, [lines[i] for i in idx], a.threads)
        codes, bad = {}, []
        sizes = []
        hs = []
        for i, (st, ct, body) in zip(idx, res):
            codes[str(st)] = codes.get(str(st), 0) + 1
            good = st == 200 and ct.startswith("image/jpeg") and body[:3] == b"\xff\xd8\xff" and body[-2:] == b"\xff\xd9"
            if good:
                sizes.append(len(body))
            elif len(bad) < 5:
                bad.append({"path": lines[i], "status": st, "content_type": ct, "bytes": len(body)})
            hs.append(hashlib.sha256(body).hexdigest() if good else None)
        hashes[name] = hs
        nbad = len(idx) - len(sizes)
        ok &= nbad == 0
        report["servers"][name] = {
            "base": base, "codes": codes, "jpeg_ok": len(sizes), "failed": nbad, "examples": bad,
            "mean_bytes": round(sum(sizes) / len(sizes)) if sizes else 0, "seconds": round(time.time() - t0, 2)}
        print(f"  {name}: {len(sizes)}/{len(idx)} tiles 200 image/jpeg, codes {codes}, "
              f"mean {report['servers'][name]['mean_bytes']} B, {time.time() - t0:.1f} s", file=sys.stderr)
    same = [s for s in a.same.split(",") if s in servers]
    if len(same) > 1:
        ref = same[0]
        cmp = {}
        for s in same[1:]:
            diff = [first[i] for i, x, y in zip(idx, hashes[ref], hashes[s]) if x is None or x != y]
            cmp[f"{s} vs {ref}"] = {"identical": len(idx) - len(diff), "different": len(diff), "examples": diff[:5]}
            ok &= not diff
            print(f"  bytes {s} vs {ref}: {len(idx) - len(diff)} identical, {len(diff)} different", file=sys.stderr)
        report["same_bytes"] = cmp
    report["ok"] = ok
    with open(a.out, "w") as f:
        json.dump(report, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
