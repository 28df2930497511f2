#!/usr/bin/python3
"""Open-loop (constant arrival rate) HTTP client for the INSPIRE floor of the WMS
benchmark.  Standard library only (asyncio).

Usage: openloop.py BASE CORPUS.txt OUT.json [--rate 20] [--duration 30] [--timeout 30]

Request i is due at t0 + i/rate, whatever happened to the earlier ones (no
coordinated omission): each goes on its own new TCP connection ("Connection:
close"), as independent INSPIRE clients do.  Times are measured from the *due*
time: time to first byte (first byte of the status line) and time to the last
byte.  A request not answered within --timeout counts as failed (its TTFB is the
timeout).  Writes counts, HTTP codes, and p50/p90/p95/p99/max of TTFB and total
time, plus the share of requests whose first byte came in under 5 s.
"""
import argparse
import asyncio
import json
import time
import urllib.parse


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def dechunk(b):
    out, i = bytearray(), 0
    while i < len(b):
        j = b.find(b"\r\n", i)
        if j < 0:
            break
        size = int(b[i:j].split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += b[j + 2:j + 2 + size]
        i = j + 2 + size + 2
    return bytes(out)


async def one(host, port, path, due, timeout, res):
    now = time.perf_counter()
    if due > now:
        await asyncio.sleep(due - now)
    lag = time.perf_counter() - due
    rec = {"lag_s": lag, "sent_at": time.perf_counter()}
    writer = None
    try:
        async def go():
            nonlocal writer
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
                         f"User-Agent: geocentre-bench-openloop\r\n\r\n".encode())
            await writer.drain()
            first = await reader.read(1)
            rec["ttfb_s"] = time.perf_counter() - due
            rest = await reader.read()
            rec["total_s"] = time.perf_counter() - due
            data = first + rest
            head, _, body = data.partition(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].split()
            rec["status"] = int(line[1]) if len(line) > 1 else 0
            if b"transfer-encoding: chunked" in head.lower():
                body = dechunk(body)
            rec["jpeg"] = body.startswith(b"\xff\xd8")
            rec["bytes"] = len(body)
        await asyncio.wait_for(go(), timeout)
    except asyncio.TimeoutError:
        rec.setdefault("ttfb_s", timeout)
        rec["total_s"] = timeout
        rec["status"] = "timeout"
    except OSError as e:
        rec["status"] = f"error: {e.__class__.__name__}"
        rec.setdefault("ttfb_s", time.perf_counter() - due)
        rec["total_s"] = time.perf_counter() - due
    finally:
        if writer is not None:
            writer.close()
    res.append(rec)


async def run(a):
    u = urllib.parse.urlparse(a.base)
    host, port = u.hostname, u.port or 80
    paths = [x.strip() for x in open(a.corpus) if x.strip()]
    n = int(a.rate * a.duration)
    res = []
    t0 = time.perf_counter() + 0.2
    tasks = [asyncio.create_task(one(host, port, paths[i % len(paths)], t0 + i / a.rate, a.timeout, res))
             for i in range(n)]
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    codes = {}
    for r in res:
        codes[str(r["status"])] = codes.get(str(r["status"]), 0) + 1
    ok = [r for r in res if r["status"] == 200 and r.get("jpeg")]
    ttfb = [r["ttfb_s"] for r in res]
    tot = [r["total_s"] for r in res]
    f = lambda xs, p: None if pct(xs, p) is None else round(pct(xs, p) * 1000, 1)
    out = {
        "base": a.base, "rate": a.rate, "duration_s": a.duration, "timeout_s": a.timeout,
        "sent": n, "ok": len(ok), "codes": codes, "wall_s": round(wall, 2),
        "achieved_rate": round((n - 1) / max(1e-9, max(r["sent_at"] for r in res) - min(r["sent_at"] for r in res)), 2),
        "client_lag_max_ms": round(max((r["lag_s"] for r in res), default=0) * 1000, 1),
        "ttfb_ms": {p: f(ttfb, q) for p, q in (("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("max", 100))},
        "total_ms": {p: f(tot, q) for p, q in (("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("max", 100))},
        "share_ttfb_under_5s": round(sum(1 for r in res if r["status"] == 200 and r["ttfb_s"] < 5.0) / max(1, n), 4),
        "mean_bytes": round(sum(r.get("bytes", 0) for r in ok) / max(1, len(ok))),
    }
    json.dump(out, open(a.out, "w"), indent=1)
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()
    asyncio.run(run(a))


if __name__ == "__main__":
    main()
