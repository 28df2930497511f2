#!/usr/bin/env python3
"""The region at full size (issue 15): a SYNTHETIC full-region catalog
against the demo-sized one, on both registries, side by side in one run.

For each catalog — the demo (embedded), the synthetic region on SQLite, the
synthetic region on PostgreSQL — it measures:
  * start-up: process start to /readyz (the first snapshot loaded);
  * resident memory after loading, and its peak (VmRSS, VmHWM);
  * the time to apply a catalog change (a layer group set by the CLI, seen
    on /readyz), three times;
  * latency of a native tile, a GetFeatureInfo and a GetMap over a fixed
    random corpus (wrk, keep-alive, corpus.lua), at each concurrency.
The synthetic catalog (geocentre synth-region: 2 vintages x side^2 dalles)
points every composite chunk at real chunk COGs copied from the demo, so
tiles and maps read real files; what is measured is the catalog, the
snapshot, memory and lookups. Results: bench/results/<stamp>-scale/.

  bench/scale.py [--side 1000] [--bin target/release/geocentre] [--duration 10s] [--rounds 3]

Every catalog runs once per round, in an order rotated each round; the
report gives the median of each cell over the rounds.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RES0 = 209_715.2
TOP = 12_000_000.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env=None, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, **kw)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{r.stderr[-4000:]}")
    return r


def proc_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def tile_of(level, x, y):
    span = 256 * RES0 / 2 ** level
    return int((TOP - y) // span), int(x // span)


def corpora(area, level, n, seed):
    """Fixed random requests inside `area` (Lambert-93): tiles at the
    layer's native `level`, GetFeatureInfo, 512 px GetMaps at 1:5000."""
    rnd = random.Random(seed)
    tiles, gfi, maps = [], [], []
    mx = min(500.0, (area[2] - area[0]) / 4)
    my = min(500.0, (area[3] - area[1]) / 4)
    for _ in range(n):
        x = rnd.uniform(area[0] + mx, area[2] - mx)
        y = rnd.uniform(area[1] + my, area[3] - my)
        row, col = tile_of(level, x, y)
        tiles.append(f"/wmts/1.0.0/ortho-hr/default/LAMB93_5cm_EPSG/{level}/{row}/{col}.jpg")
        h = 25.0
        gfi.append("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=ortho-hr&QUERY_LAYERS=ortho-hr"
                   f"&STYLES=&CRS=EPSG:2154&BBOX={x - h},{y - h},{x + h},{y + h}&WIDTH=51&HEIGHT=51&I=25&J=25"
                   "&INFO_FORMAT=application/json&FORMAT=image/png")
        m = 512 * 0.28e-3 * 5000 / 2  # half a 512 px map at 1:5000
        maps.append("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=ortho-hr&STYLES=&CRS=EPSG:2154"
                    f"&BBOX={x - m},{y - m},{x + m},{y + m}&WIDTH=512&HEIGHT=512&FORMAT=image/jpeg")
    return {"native tile": tiles, "GetFeatureInfo": gfi, "GetMap 512 px": maps}


def wrk(port, paths, conns, duration, out_dir, name):
    corpus = out_dir / f"{name}.txt"
    corpus.write_text("\n".join(paths) + "\n")
    out = out_dir / f"{name}.json"
    env = {**os.environ, "CORPUS": str(corpus), "WRK_OUT": str(out), "WRK_THREADS": "1"}
    run(["wrk", "-t1", f"-c{conns}", f"-d{duration}", "-s", BENCH / "lib/corpus.lua",
         f"http://127.0.0.1:{port}"], env=env)
    return json.loads(out.read_text())


# The synthetic catalog points every chunk of a tier at one file: the
# decoded and rendered tile caches would serve its maps from memory. Both
# catalogs run without them, so that every map decodes what it draws.
CONFIG = "[tiles]\ndecoded_cache_mb = 0\nrendered_cache_mb = 0\n"


class Server:
    def __init__(self, binary, data, env, log):
        self.port = free_port()
        conf = Path(log).with_suffix(".toml")
        conf.write_text(CONFIG)
        self.t0 = time.time()
        self.proc = subprocess.Popen([binary, "--data-dir", data, "--config", conf, "serve",
                                      "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=open(log, "wb"), env=env, cwd=ROOT)
        while True:
            try:
                if get(f"http://127.0.0.1:{self.port}/readyz", 2)[0] == 200:
                    break
            except Exception:  # noqa: BLE001
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited; see {log}")
            time.sleep(0.05)
        self.ready_s = time.time() - self.t0

    def generation(self):
        return get(f"http://127.0.0.1:{self.port}/readyz")[1].decode()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/geocentre"))
    ap.add_argument("--side", type=int, default=1000)
    ap.add_argument("--duration", default="10s")
    ap.add_argument("--concurrency", default="1 8")
    ap.add_argument("--work", default=str(BENCH / "work/scale"))
    ap.add_argument("--corpus", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    binary = a.bin
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%MZ", time.gmtime())
    res = BENCH / "results" / f"{stamp}-scale"
    res.mkdir(parents=True, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("GEOCENTRE_")}

    demo = work / "demo"
    if not (demo / "catalog.sqlite").exists():
        print("building the demo catalog", file=sys.stderr)
        run([binary, "--data-dir", demo, "demo", "--no-serve", "--source", ROOT / "data"], env=base_env, cwd=ROOT)
    pg_dir = Path(tempfile.mkdtemp(prefix="geocentre-scale-pg-"))
    admin = run(["bash", ROOT / "scripts/pg-test-cluster.sh", "start", pg_dir, free_port(), os.getpid()]).stdout.strip()
    x0, y0 = 520_000.0, 6_590_000.0
    configs = []
    # The same borrowed chunk files behind a demo-sized grid (10 x 10
    # dalles) and a region-sized one: only the catalog's size differs, so
    # their ratio is the cost of the catalog, not of the pixels.
    for side, backend in ((10, "sqlite"), (a.side, "sqlite"), (a.side, "postgres")):
        data = work / f"region-{side}-{backend}"
        env = dict(base_env)
        if backend == "postgres":
            run(["psql", admin, "-qc", f"CREATE DATABASE region_{side}"])
            env["GEOCENTRE_CATALOG"] = admin.rsplit("/", 1)[0] + f"/region_{side}"
            run([binary, "--data-dir", data, "migrate"], env=env)
        if backend == "postgres" or not (data / "catalog.sqlite").exists():
            print(f"writing the synthetic region on {backend}", file=sys.stderr)
            t = time.time()
            run([binary, "--data-dir", data, "synth-region", "--from-data-dir", demo, "--side", side,
                 "--x0", x0, "--y0", y0], env=env)
            print(f"  {time.time() - t:.0f} s", file=sys.stderr)
        area = [x0, y0, x0 + 200.0 * side, y0 + 200.0 * side]
        configs.append((f"SYNTHETIC {2 * side ** 2} dalles, {backend}", data, env, area))
    configs.insert(0, ("demo (embedded)", demo, base_env, None))

    # Rounds: every catalog measured once per round, in a rotated order, so
    # that a noisy minute of the machine falls on each in turn; the cells
    # are the medians over rounds (a 0.1 ms tile is ±20 % from one run of
    # a server to the next on these shared cores).
    rows = {name: {"catalog": name, "ready_s": [], "rss_mb": [], "hwm_mb": [], "rss_after_mb": [],
                   "change_ms": []} for name, *_ in configs}
    cells = {name: {} for name, *_ in configs}
    areas = {name: area for name, _, _, area in configs}
    for rnd in range(a.rounds):
        order = configs[rnd % len(configs):] + configs[:rnd % len(configs)]
        for i, (name, data, env, _) in enumerate(order):
            row = rows[name]
            srv = Server(binary, data, env, res / f"{name.split()[0]}-{configs.index(order[i])}-r{rnd}.log")
            row["ready_s"].append(round(srv.ready_s, 2))
            row["rss_mb"].append(round(proc_kb(srv.proc.pid, "VmRSS") / 1024))
            for k in range(3):
                before = srv.generation()
                t = time.time()
                run([binary, "--data-dir", data, "group", "set", f"bench{k}", "--title", "Bench", "ortho-hr"],
                    env=env)
                while srv.generation() == before:
                    time.sleep(0.002)
                row["change_ms"].append(round((time.time() - t) * 1000))
            if areas[name] is None:
                areas[name] = dalle_extent(srv.port)
            level = native_level(binary, data, env)
            row["native_level"] = level
            idx = configs.index(order[i])
            for label, paths in corpora(areas[name], level, a.corpus, a.seed).items():
                for c in a.concurrency.split():
                    r = wrk(srv.port, paths, int(c), a.duration, res, f"{idx}-{label.split()[0]}-{c}-r{rnd}")
                    lat = r["latency_us"]
                    cells[name].setdefault(f"{label} c{c}", []).append(
                        {"requests_per_s": r["rps"], "p50_ms": lat["p50"] / 1000, "p99_ms": lat["p99"] / 1000,
                         "errors": r["errors"]})
            row["hwm_mb"].append(round(proc_kb(srv.proc.pid, "VmHWM") / 1024))
            row["rss_after_mb"].append(round(proc_kb(srv.proc.pid, "VmRSS") / 1024))
            srv.stop()
            print(f"round {rnd + 1}/{a.rounds}: {name} done", file=sys.stderr)
    results = []
    for name, *_ in configs:
        row = rows[name]
        out = {"catalog": name, "rounds": a.rounds, "ready_s": median(row["ready_s"]),
               "rss_mb": max(row["rss_mb"]), "hwm_mb": max(row["hwm_mb"]),
               "rss_after_mb": max(row["rss_after_mb"]), "change_ms": row["change_ms"],
               "native_level": row.get("native_level")}
        for key, runs in cells[name].items():
            out[key] = {"requests_per_s": median([x["requests_per_s"] for x in runs]),
                        "p50_ms": median([x["p50_ms"] for x in runs]),
                        "p99_ms": median([x["p99_ms"] for x in runs]),
                        "p50_ms_rounds": [x["p50_ms"] for x in runs],
                        "errors": [x["errors"] for x in runs]}
        results.append(out)
        print(json.dumps(out), file=sys.stderr)
    run(["bash", ROOT / "scripts/pg-test-cluster.sh", "stop", pg_dir])
    # summary.* are what is kept in git (bench/.gitignore).
    (res / "summary.json").write_text(json.dumps(results, indent=1))
    text = report(results, a)
    (res / "summary.md").write_text(text + "\n")
    print(text)


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def native_level(binary, data, env):
    out = json.loads(run([binary, "--data-dir", data, "ortho", "list", "--json"], env=env).stdout)
    levels = [v["native_level"] for layer in out["layers"] if layer["name"] == "ortho-hr"
              for v in layer["vintages"] if v.get("native_level") is not None]
    return max(levels)


def dalle_extent(port):
    """The extent of the demo composite's dalles (Lambert-93), from its
    dalle index."""
    doc = json.loads(get(f"http://127.0.0.1:{port}/api/ortho/layers/ortho-hr/dalles.geojson")[1])
    boxes = [f["properties"]["bbox_l93"] for f in doc["features"]]
    if not boxes:
        raise SystemExit("the demo's ortho-hr has no dalles")
    return [min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes)]


def report(results, a):
    lines = [f"Command: `bench/scale.py --side {a.side} --duration {a.duration} --rounds {a.rounds}` (release "
             "build). Each cell is the median over the rounds (each round runs every catalog once, the "
             "order rotated); RSS and peak RSS are the largest seen; every change time is listed.", "",
             "| catalog | ready (s) | RSS after load (MB) | peak RSS (MB) | change applied (ms) |",
             "|---|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['catalog']} | {r['ready_s']} | {r['rss_mb']} | {r['hwm_mb']} | {r['change_ms']} |")
    lines += ["", "| catalog | request | conc. | req/s | p50 (ms) | p99 (ms) | p50 vs the same files, demo-sized "
              "catalog | p50 per round (ms) |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    # The reference of the synthetic catalogs: the demo-sized synthetic one.
    demo = results[1] if len(results) > 1 else results[0]
    for r in results:
        for k, v in r.items():
            if not isinstance(v, dict) or "p50_ms" not in v:
                continue
            label, c = k.rsplit(" c", 1)
            d = demo.get(k) or {}
            ratio = (v["p50_ms"] / d["p50_ms"]) if d.get("p50_ms") else math.nan
            per_round = ", ".join(f"{x:.3f}" for x in v.get("p50_ms_rounds", []))
            lines.append(f"| {r['catalog']} | {label} | {c} | {v['requests_per_s']:.0f} | {v['p50_ms']:.3f} | "
                         f"{v['p99_ms']:.2f} | {ratio:.2f}x | {per_round} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
