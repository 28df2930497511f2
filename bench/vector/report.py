#!/usr/bin/python3
"""Summarise one vector benchmark run (bench/results/<stamp>-vector/) into summary.md +
summary.json, and optionally regenerate the bench-vector section of docs/benchmarks.md
(between the bench-vector:begin / bench-vector:end markers; nothing else is touched).
A run of the PostGIS mode (SOURCE=postgis, bench/results/<stamp>-vector-postgis/) has
its own section (bench-vector-postgis markers), peers (tipg and MapServer's OGC API for
OGC API Features) and targets (issue 15).

Usage: report.py RESULTS_DIR [--docs docs/benchmarks.md]
Standard library only (helpers shared with bench/lib/report.py).
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from benchfmt import agg_runs, fmt, fr, load, ratio, targets_table, write_docs_section  # noqa: E402


MODES = {
    "gpkg": {
        "begin": "<!-- bench-vector:begin -->", "end": "<!-- bench-vector:end -->",
        "section": "## Vector: geocentre vs MapServer, pygeoapi and Martin",
        "make": "bench-vector", "command": "bash bench/vector.sh",
        "peers": {"wfs": ["mapserver"], "oapif": ["pygeoapi"], "mvt": ["martin"], "wms": ["mapserver"]},
        "target": {("wfs", "mapserver"): 2.0, ("oapif", "pygeoapi"): 10.0, ("mvt", "martin"): 1.0,
                   ("wms", "mapserver"): 2.0},
    },
    "postgis": {
        "begin": "<!-- bench-vector-postgis:begin -->", "end": "<!-- bench-vector-postgis:end -->",
        "section": "## Vector on a PostGIS table: geocentre vs MapServer, tipg and Martin",
        "make": "bench-vector-postgis", "command": "SOURCE=postgis bash bench/vector.sh",
        "peers": {"wfs": ["mapserver"], "oapif": ["tipg", "mapserver"], "mvt": ["martin"], "wms": ["mapserver"]},
        # issue 15: "WFS / OGC API on a PostGIS-connected table: >= 2x MapServer, >= 5x tipg";
        # "MVT from a PostGIS-connected table: >= 1.5x Martin"; GetMap keeps issue 4's 2x
        "target": {("wfs", "mapserver"): 2.0, ("oapif", "tipg"): 5.0, ("oapif", "mapserver"): 2.0,
                   ("mvt", "martin"): 1.5, ("wms", "mapserver"): 2.0},
    },
}
LABEL = {"ours": "ours", "mapserver": "MapServer", "pygeoapi": "pygeoapi", "martin": "Martin", "tipg": "tipg",
         "postgres": "PostgreSQL"}
PEERS = MODES["gpkg"]["peers"]
TARGET = MODES["gpkg"]["target"]


def label(part, peer):
    """MapServer answers OGC API Features too in the PostGIS mode: say which service."""
    if peer == "mapserver" and kind(part) == "oapif":
        return "MapServer (OGC API)"
    return LABEL[peer]
WHAT = {"wfs": "WFS 2.0 GetFeature (GeoJSON)", "oapif": "OGC API Features items (GeoJSON)",
        "mvt": "MVT tiles", "wms": "WMS GetMap of the communes (PNG)"}


def kind(part):
    for k in ("wfs", "oapif", "mvt", "wms"):
        if part.startswith(k):
            return k
    return part


def nfeat(part):
    d = part.lstrip("abcdefghijklmnopqrstuvwxyz")
    return int(d) if d else None


def part_name(part):
    n = nfeat(part)
    return WHAT[kind(part)] + (f", {n:,} feature{'s' if n != 1 else ''}" if n else "")


def part_order(part):
    return (list(WHAT).index(kind(part)), nfeat(part) or 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("res")
    ap.add_argument("--docs")
    a = ap.parse_args()
    R = a.res
    m = load(os.path.join(R, "machine.json"))
    source = m.get("source", "gpkg")
    mode = MODES[source]
    global PEERS, TARGET
    PEERS, TARGET = mode["peers"], mode["target"]
    corpus = load(os.path.join(R, "corpus.json"))
    gp = load(os.path.join(R, "gpkg.json"))
    data = load(os.path.join(R, "data.json"))
    p = os.path.join(R, "server_rss.json")
    rss = load(p) if os.path.exists(p) else {}
    skipped = []
    p = os.path.join(R, "skipped.jsonl")
    if os.path.exists(p):
        skipped = [json.loads(l) for l in open(p) if l.strip()]
    checks = {}  # (part, peer) -> check
    for p in glob.glob(os.path.join(R, "runs", "check_*.json")):
        d = load(p)
        for peer in d["servers"]:
            if peer != "ours":
                checks[(d["part"], peer)] = d

    runs = {}
    for p in glob.glob(os.path.join(R, "runs", "load_*.json")):
        d = load(p)
        runs.setdefault((d["part"], d["server"], d["concurrency"]), []).append(d)
    parts = sorted({k[0] for k in runs}, key=part_order)
    concs = sorted({k[2] for k in runs})

    def agg(part, srv, c):
        return agg_runs(runs.get((part, srv, c)))

    A = {f"{pt}/{s}/c{c}": agg(pt, s, c) for pt, s, c in runs}
    for x in A.values():
        # A server's CPU below zero is an accounting error, not a measure: before bench/lib/common.sh
        # counted reaped children (cutime), a process ending during a run (a PostgreSQL backend
        # whose client closed its connection) took its ticks out of the sum.
        if x and x["server_cores"] is not None and x["server_cores"] < 0:
            x["server_cores"] = x["cpu_ms_per_req"] = None
    g = lambda pt, s, c: A.get(f"{pt}/{s}/c{c}")

    def peers(pt):  # the peers measured in this part, in the mode's order
        return [q for q in PEERS[kind(pt)] if any(k[0] == pt and k[1] == q for k in runs)]

    # ---------------------------------------------------------- targets
    targets = []
    for pt in parts:
        k = kind(pt)
        for peer in peers(pt):
            for c in concs:
                o, q = g(pt, "ours", c), g(pt, peer, c)
                rt = ratio(o and o["rps"], q and q["rps"])
                errs = (o["errors"] if o else 0) + (q["errors"] if q else 0)
                ok = None if rt is None else (rt >= TARGET[(k, peer)] and errs == 0)
                shown = fr(rt)
                if rt is None and q and o and q["requests"] == 0 and o["requests"]:
                    # a closed loop of c slow requests: none finished within the run
                    shown = (f"not measured: {label(pt, peer)} completed no response within the run "
                             f"(ours {o['rps']:.2f} req/s; a longer DURATION_BIG would measure it)")
                targets.append((f"{part_name(pt)}, c={c}: ours ≥ {TARGET[(k, peer)]:g}× {label(pt, peer)} req/s",
                                shown + (f" ({errs} socket/HTTP errors)" if errs else ""), ok))
    for s in skipped:
        targets.append((f"{part_name(s['part'])}", f"skipped: {s['reason']}", None))

    # ---------------------------------------------------------- markdown
    L = []
    w = L.append
    w(f"Run `{m['stamp']}` — {m['knobs']}")
    w("")
    comp = f"compiler processes running at start/end: {m.get('compilers_start', '?')}/{m.get('compilers_end', '?')}"
    if source == "postgis":
        peers_txt = (f"MapServer {m['mapserver']} (`mapserv` FastCGI via spawn-fcgi {m['spawn_fcgi']}, behind nginx "
                     f"{m['nginx']}; `CONNECTIONTYPE POSTGIS`, WFS and its OGC API Features), tipg {m['tipg']} "
                     f"(asyncpg {m['asyncpg']}, uvicorn {m['uvicorn']} with uvloop/httptools, Python {m['python_tipg']}), "
                     f"Martin {m['martin']} (`cargo install --locked`); PostgreSQL {m['postgresql']}, PostGIS "
                     f"{m['postgis']}")
    else:
        peers_txt = (f"MapServer {m['mapserver']} (`mapserv` FastCGI via spawn-fcgi {m['spawn_fcgi']}, behind "
                     f"nginx {m['nginx']}), pygeoapi {m['pygeoapi']} (OGR provider, gunicorn {m['gunicorn']} gthread, "
                     f"Python {m['python_pygeoapi']}), Martin {m['martin']} (`cargo install --locked`, PostgreSQL "
                     f"{m['postgresql']}, PostGIS {m['postgis']})")
    w(f"Machine: {m['cpu']}, {m['nproc']} cores (shared), {m['mem_gib']} GiB, {m['os']}, kernel {m['kernel']}; "
      f"load average at start {m['loadavg_start']}" + (f", at end {m['loadavg_end']}" if "loadavg_end" in m else "") +
      f"; {comp}. Peers: {peers_txt}; GDAL {m['gdal']}, wrk {m['wrk']}. "
      f"geocentre: `{m['geocentre_git']}`, binary sha256 `{m['geocentre_sha256']}…`.")
    w("")
    lay = ", ".join(f"`{n}` ({v['features']:,} {v['geometry']})" for n, v in gp["layers"].items())
    derived = (f"`communes`: the 1,776 real communes of Centre-Val de Loire (data/admin, EPSG:4326 GeoJSON → "
               f"Lambert-93). `communes_grid` is **DERIVED** ({data['derived']['communes_grid'].split(': ', 1)[-1]}), "
               f"made only to have ≥ 10,000 features for the 10,000-feature requests.")
    if source == "postgis":
        w(f"Data: **one PostGIS table per layer**, read in place by every server — loaded with `ogr2ogr` "
          f"(GiST index, `VACUUM ANALYZE`) into a private PostgreSQL cluster from the GeoPackage geocentre stores "
          f"after `geocentre vector ingest --dataset {corpus['dataset']}` (`{m['gpkg']}`, sha256 "
          f"`{m['gpkg_sha256']}…`), EPSG:2154, tables {lay}. Ours: `geocentre vector connect --dataset "
          f"{corpus['dataset']} --postgres … --table public.communes --table public.communes_grid` (the PostGIS "
          f"`FeatureStore`: SQL with bound parameters, rows as WKB); MapServer: `CONNECTIONTYPE POSTGIS`; tipg and "
          f"Martin: their PostGIS sources. {derived}")
    else:
        w(f"Data: **one GeoPackage** for every server — the file geocentre stores after `geocentre vector ingest "
          f"--dataset {corpus['dataset']}` (`{m['gpkg']}`, {gp['bytes'] / 1e6:.1f} MB, sha256 `{m['gpkg_sha256']}…`, "
          f"unchanged during the run), EPSG:2154, layers {lay}. MapServer and pygeoapi read that file through OGR; "
          f"Martin reads a PostGIS copy loaded from it with `ogr2ogr` (Martin has no GeoPackage source). {derived}")
    w("")
    cp = corpus["parts"]
    feat = [f"{n}: `{cp[n]['layer']}`" for n in sorted(cp, key=part_order) if n.startswith("wfs")]
    w(f"Corpus (`bench/vector/corpus.py`, seed {corpus['seed']}): per feature class, {cp[next(iter(cp))]['n']} "
      f"boxes that meet **exactly** N features (N = COUNT = limit, so every server returns the same N features; "
      f"{', '.join(feat)}), used by WFS (`BBOX=…,EPSG:2154`, `SRSNAME=EPSG:2154`: no reprojection) and by OGC API "
      f"Features (`bbox-crs` EPSG:2154, output in CRS84: every feature reprojected); "
      + (f"{cp['mvt']['n']} tiles WebMercatorQuad z 8–14 that meet a commune ({cp['mvt']['distinct']} distinct); "
         if "mvt" in cp else "")
      + ("tipg and MapServer 8.0 take no `bbox-crs`: they get the CRS84 box whose Lambert-93 envelope, as they "
         "compute it (PROJ's densified bounds), is that same rectangle — the same N features, checked below; "
         if source == "postgis" else "")
      + (f"{cp['wms']['n']} GetMaps of `communes` (PNG, {', '.join(sorted({k.split()[0] for k in cp['wms']['classes']}))}, "
         f"256×256 to 1024×768, {cp['wms']['res_m'][0]:g}–{cp['wms']['res_m'][1]:g} m/px)." if "wms" in cp else ""))
    w("")
    targets_table(w, targets)

    w("### Throughput (closed loop, keep-alive, median over rounds; min–max in brackets)")
    w("")
    w("| request | c | ours req/s | peer | peer req/s | **ours / peer** | target |")
    w("|---|---|---|---|---|---|---|")
    def rng(x):
        if not x:
            return "—"
        if x["requests"] == 0:
            return "0 (no response completed within the run)"
        return f"{x['rps']:,.1f} ({x['rps_min']:,.1f}–{x['rps_max']:,.1f})"
    for pt in parts:
        for peer in peers(pt):
            for c in concs:
                o, q = g(pt, "ours", c), g(pt, peer, c)
                w(f"| {part_name(pt)} | {c} | {rng(o)} | {label(pt, peer)} | {rng(q)} | "
                  f"**{fr(ratio(o and o['rps'], q and q['rps']))}** | ≥ {TARGET[(kind(pt), peer)]:g}× |")
    w("")
    w("### CPU per response (server processes' CPU time ÷ responses, median over rounds)")
    w("")
    w("Steadier than req/s on a shared machine; `peer / ours` > 1 means ours spends less CPU per response. "
      + ("Every server's CPU includes the PostgreSQL cluster's (its queries run there; one server is loaded at a "
         "time); MapServer's its nginx front." if source == "postgis" else
         "Martin's CPU includes its PostgreSQL backends (where `ST_AsMVT` runs); MapServer's its nginx front."))
    w("")
    w("| request | c | ours | peer | peer CPU | peer / ours |")
    w("|---|---|---|---|---|---|")
    for pt in parts:
        for peer in peers(pt):
            for c in concs:
                o, q = g(pt, "ours", c) or {}, g(pt, peer, c) or {}
                w(f"| {part_name(pt)} | {c} | {fmt(o.get('cpu_ms_per_req'), 2, ' ms')} | {label(pt, peer)} | "
                  f"{fmt(q.get('cpu_ms_per_req'), 2, ' ms')} | "
                  f"{fr(ratio(q.get('cpu_ms_per_req'), o.get('cpu_ms_per_req')))} |")
    w("")
    w("### Latency (wrk, median over rounds)")
    w("")
    w("| request | c | p50 ours | p50 peer | p99 ours | p99 peer |")
    w("|---|---|---|---|---|---|")
    for pt in parts:
        for peer in peers(pt):
            for c in concs:
                o, q = g(pt, "ours", c) or {}, g(pt, peer, c) or {}
                w(f"| {part_name(pt)} | {c} | {fmt(o.get('p50_ms'), 1, ' ms')} | {fmt(q.get('p50_ms'), 1, ' ms')} "
                  f"({label(pt, peer)}) | {fmt(o.get('p99_ms'), 1, ' ms')} | {fmt(q.get('p99_ms'), 1, ' ms')} |")
    w("")
    w("### CPU split during the load runs (cores busy, median over rounds)")
    w("")
    w("| request | server | c | server cores | wrk cores | other processes, cores | errors | bytes/response | load avg (1 min) | compilers (max) |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for pt in parts:
        for s in ["ours"] + peers(pt):
            for c in concs:
                x = g(pt, s, c)
                if x:
                    w(f"| {part_name(pt)} | {label(pt, s)} | {c} | {fmt(x['server_cores'], 2)} | {x['wrk_cores']:.2f} | "
                      f"{fmt(x['other_cores'], 2)} | {x['errors']} | {x['bytes_per_req']:,.0f} | {x['loadavg1']:.2f} | "
                      f"{x['compilers_max']} |")
    w("")
    w("\"Other processes\" is the machine's busy CPU (/proc/stat) minus server and wrk: work outside the "
      "benchmark competing for the 2 cores during that run.")
    w("")
    if rss:
        w("### Peak RSS (VmHWM summed over the server's processes, whole run)")
        w("")
        w("| server | processes | what | peak RSS |")
        w("|---|---|---|---|")
        for s in ("ours", "mapserver", "pygeoapi", "tipg", "martin", "postgres"):
            if s in rss:
                x = rss[s]
                extra = ""
                if s == "martin" and source != "postgis":
                    extra = f" (martin {fmt(x['martin_kb'] / 1024, 0, ' MiB')}, PostgreSQL {fmt(x['postgres_kb'] / 1024, 0, ' MiB')})"
                if s == "mapserver":
                    extra = f" (mapserv {fmt(x['workers_kb'] / 1024, 0, ' MiB')}, nginx {fmt(x['front_kb'] / 1024, 0, ' MiB')})"
                w(f"| {LABEL[s]} | {x['processes']} | {x['detail']} | **{fmt(x['vmhwm_kb'] / 1024, 0, ' MiB')}**{extra} |")
        w("")
        w("The sum of per-process peaks is an upper bound of what was resident at once (PostgreSQL's shared "
          "buffers are counted in every backend that touched them)."
          + (" In the PostGIS mode every server's line is its own processes; the PostgreSQL cluster, shared by "
             "all of them (each keeps its own pool of connections: ours `[postgis] max_connections` = 8, tipg 1–10 "
             "per worker, Martin 20, MapServer one per FastCGI process), is on its own line." if source == "postgis"
             else ""))
        w("")
    w("### Response check (before any measurement: same work on both sides?)")
    w("")
    w("| request | checked | identical | ours: codes | peer: codes | per response, ours / peer | mean bytes, ours / peer | c = 1 median, ours / peer |")
    w("|---|---|---|---|---|---|---|---|")
    for pt, peer in sorted(checks, key=lambda k: (part_order(k[0]), PEERS[kind(k[0])].index(k[1])
                                                     if k[1] in PEERS[kind(k[0])] else 9)):
        d = checks[(pt, peer)]
        so, sp = d["servers"].get("ours", {}), d["servers"].get(peer, {})
        codes = lambda x: ", ".join(f"{k}: {n}" for k, n in sorted(x.get("codes", {}).items()))
        if d["kind"] == "features":
            per = f"{fmt(so.get('features_per_response'), 0)} / {fmt(sp.get('features_per_response'), 0)} features"
            same = f"{d['agree']}/{d['checked']} same feature set"
        elif d["kind"] == "mvt":
            per = (f"{fmt(so.get('features_per_response'), 1)} / {fmt(sp.get('features_per_response'), 1)} features "
                   f"per tile (meeting the tile itself: {fmt(d.get('reference_features_per_tile'), 1)})")
            same = f"{d['agree']}/{d['checked']} same feature count"
        else:
            per = f"{fmt(so.get('mean_ink'), 3)} / {fmt(sp.get('mean_ink'), 3)} inked share"
            same = f"{d['agree']}/{d['checked']} same inked share (±0.02)"
        w(f"| {part_name(pt)} | {d['checked']} | {same} | {codes(so)} | {label(pt, peer)} {codes(sp)} | {per} | "
          f"{fmt(so.get('mean_bytes'), 0)} / {fmt(sp.get('mean_bytes'), 0)} | "
          f"{fmt(so.get('median_ms'), 1, ' ms')} / {fmt(sp.get('median_ms'), 1, ' ms')} |")
    w("")
    w("Features: HTTP 200, exactly N features, and the same set of features (by `code`) on both servers — "
      "required, or the part is not measured. Tiles: features per tile decoded from the MVT (informative: "
      "buffer and clipping rules may differ). GetMap: PNG decoded, share of non-background pixels compared "
      "(same extent and features drawn; the styles are not pixel-identical).")
    w("")
    if skipped:
        w("### Skipped")
        w("")
        for s in skipped:
            w(f"- {part_name(s['part'])}: {s['reason']}")
        w("")
    md = "\n".join(L)

    with open(os.path.join(R, "summary.md"), "w") as f:
        f.write(f"# Vector benchmark run {m['stamp']}\n\nCommand: `{mode['command']}`\n\n{md}\n")
    with open(os.path.join(R, "summary.json"), "w") as f:
        json.dump({"machine": m, "corpus": corpus, "gpkg": gp, "load": A, "server_rss": rss,
                   # one check per part in the GeoPackage mode (keyed by part, as before), per part and peer
                   # in the PostGIS mode
                   "checks": {(pt if source == "gpkg" else f"{pt}/{peer}"): d for (pt, peer), d in checks.items()},
                   "skipped": skipped,
                   "targets": [{"target": n, "measured": v, "met": ok} for n, v, ok in targets]}, f, indent=1)

    if a.docs:
        block = (f"{mode['begin']}\n\n<!-- generated by bench/vector/report.py; edit outside these markers -->\n\n"
                 f"Reproduce: `make {mode['make']}` (= `{mode['command']}`; knobs in "
                 f"[bench/README.md](../bench/README.md#vector-benchmark-benchvectorsh)); raw results of this run: "
                 f"`bench/results/{os.path.basename(os.path.normpath(R))}/`.\n\n"
                 f"**Read the ratios, not the absolute numbers**: 2 shared cores, the load generator on the same "
                 f"cores, other work possibly running — see the load average and the “other processes” column; "
                 f"the CPU time per response is the steadier comparison.\n\n"
                 f"{md}\n{mode['end']}")
        write_docs_section(a.docs, mode["begin"], mode["end"], block, mode["section"])
    print(md)


if __name__ == "__main__":
    main()
