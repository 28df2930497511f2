#!/usr/bin/python3
"""Summarise one WMS benchmark run (bench/results/<stamp>-wms/) into summary.md +
summary.json, and optionally regenerate the bench-wms section of docs/benchmarks.md
(between the bench-wms:begin / bench-wms:end markers; nothing else is touched).

Usage: report.py RESULTS_DIR [--docs docs/benchmarks.md]
Standard library only.
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from benchfmt import agg_runs, fmt, fr, load, met, ratio, targets_table, write_docs_section  # noqa: E402

BEGIN = "<!-- bench-wms:begin -->"
END = "<!-- bench-wms:end -->"
SECTION = "## WMS GetMap: geocentre vs MapServer and QGIS Server"
ALL_SERVERS = ("ours", "ours_alt", "mapserver", "qgis")
LABEL = {"ours": "ours", "ours_alt": "ours (alt. config)", "mapserver": "MapServer", "qgis": "QGIS Server"}
TARGET_VS_MS = 2.0     # ours >= 2x MapServer throughput at every concurrency
INSPIRE_TTFB_S = 5.0   # INSPIRE view service: initial response of an 800x600 GetMap within 5 s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("res")
    ap.add_argument("--docs")
    a = ap.parse_args()
    R = a.res
    m = load(os.path.join(R, "machine.json"))
    corpus = load(os.path.join(R, "corpus.json"))
    dalles = load(os.path.join(R, "dalles.json"))
    p = os.path.join(R, "server_rss.json")
    rss = load(p) if os.path.exists(p) else {}

    runs = {}
    for p in glob.glob(os.path.join(R, "runs", "load_*.json")):
        d = load(p)
        runs.setdefault((d["server"], d["concurrency"]), []).append(d)
    concs = sorted({k[1] for k in runs})
    SERVERS = [s for s in ALL_SERVERS if any(k[0] == s for k in runs)] or ["ours", "mapserver", "qgis"]
    alt = "ours_alt" in SERVERS
    p = os.path.join(R, "logs", "ours_alt.toml")
    alt_cfg = open(p).read().strip() if os.path.exists(p) else None

    def agg(srv, c):
        return agg_runs(runs.get((srv, c)))

    A = {f"{s}/c{c}": agg(s, c) for s, c in runs}
    g = lambda s, c: A.get(f"{s}/c{c}")
    val = {s: load(p) for s in ALL_SERVERS
           for p in [os.path.join(R, "runs", f"validate_{s}.json")] if os.path.exists(p)}
    vinsp = {s: load(p) for s in ALL_SERVERS
             for p in [os.path.join(R, "runs", f"validate_inspire_{s}.json")] if os.path.exists(p)}
    insp = {s: load(p) for s in ALL_SERVERS
            for p in [os.path.join(R, "runs", f"inspire_{s}.json")] if os.path.exists(p)}
    p = os.path.join(R, "runs", "compare.json")
    cmp_ = load(p) if os.path.exists(p) else {"samples": [], "summary": {}}

    # ---------------------------------------------------------- targets
    targets = []
    for c in concs:
        o, ms = g("ours", c), g("mapserver", c)
        rt = ratio(o and o["rps"], ms and ms["rps"])
        errs = (o["errors"] if o else 0) + (ms["errors"] if ms else 0)
        ok = None if rt is None else (rt >= TARGET_VS_MS and errs == 0)
        targets.append((f"WMS GetMap, c={c}: ours ≥ {TARGET_VS_MS:g}× MapServer req/s",
                        fr(rt) + (f" ({errs} socket/HTTP errors!)" if errs else ""), ok))
    io = insp.get("ours")
    if io:
        ok = io["ok"] == io["sent"] and io["ttfb_ms"]["max"] is not None and io["ttfb_ms"]["max"] < INSPIRE_TTFB_S * 1000
        targets.append((f"INSPIRE floor: 800×600 GetMap at {io['rate']:g} req/s (open loop, {io['duration_s']:g} s), "
                        f"ours: every first byte < {INSPIRE_TTFB_S:g} s, no error",
                        f"max {fmt(io['ttfb_ms']['max'], 0, ' ms')}, p99 {fmt(io['ttfb_ms']['p99'], 0, ' ms')}, "
                        f"{io['ok']}/{io['sent']} OK", ok))
    else:
        targets.append(("INSPIRE floor (ours)", "—", None))

    # ---------------------------------------------------------- markdown
    L = []
    w = L.append
    w(f"Run `{m['stamp']}` — {m['knobs']}")
    w("")
    comp = f"compiler processes running at start/end: {m.get('compilers_start', '?')}/{m.get('compilers_end', '?')}"
    w(f"Machine: {m['cpu']}, {m['nproc']} cores (shared), {m['mem_gib']} GiB, {m['os']}, kernel {m['kernel']}; "
      f"load average at start {m['loadavg_start']}" + (f", at end {m['loadavg_end']}" if "loadavg_end" in m else "") +
      f"; {comp}. Peers: MapServer {m['mapserver']} (`mapserv` FastCGI), QGIS Server {m['qgis_server']} "
      f"(`qgis_mapserv.fcgi`), spawn-fcgi {m['spawn_fcgi']}, nginx {m['nginx']}, GDAL {m['gdal']}, wrk {m['wrk']}. "
      f"geocentre: `{m['geocentre_git']}`, binary sha256 `{m['geocentre_sha256']}…`.")
    w("")
    kn = m["knobs"]
    cog = "JPEG (QUALITY=85, YCbCr, 256 px blocks)" if "COG_COMPRESS=JPEG" in kn else "DEFLATE (PREDICTOR=2, 256 px blocks)"
    src = "a VRT over the COGs" if "MS_SOURCE=vrt" in kn else "a gdaltindex tile index of the COGs"
    w(f"Data (DERIVED): {len(dalles['dalles'])} dalles of {dalles['dalle_px']}×{dalles['dalle_px']} px RGB at "
      f"{dalles['resolution_m'] * 100:.0f} cm ({dalles['total_bytes'] / 1e9:.2f} GB uncompressed), EPSG:2154 extent "
      f"{dalles['extent']}, upsampled ×4 and mirror-tiled from the real IGN 20 cm tile. Peers read one COG per "
      f"dalle made by `gdal_translate -of COG`, compression {cog}, with its overviews; MapServer through {src}, "
      f"QGIS Server through the VRT. geocentre ingested the same dalles (`ortho ingest`, its JPEG q85 chunk COGs): "
      f"every server is one lossy JPEG generation away from the same pixels. Output JPEG quality 85 everywhere; "
      f"resampling bilinear everywhere.")
    w("")
    cl = ", ".join(f"{k}: {n}" for k, n in corpus["classes"].items())
    w(f"Corpus (`bench/wms/wms_corpus.py`, seed {corpus['seed']}): {corpus['n']} GetMap requests, "
      f"{corpus['distinct']} distinct, mean {corpus['mean_pixels'] / 1e6:.2f} Mpx per image; ground resolution "
      f"log-uniform in {corpus['res_m'][0]}–{corpus['res_m'][1]} m/px, boxes inside the data. Classes: {cl}. "
      f"INSPIRE corpus: {corpus['inspire_n']} requests of 800×600 (same rules, own stream).")
    w("")
    targets_table(w, targets)

    w("### Throughput (closed loop, keep-alive, median over rounds; min–max in brackets)")
    w("")
    w("| c | " + " | ".join(f"{LABEL[s]} req/s" for s in SERVERS) + " | **ours / MapServer** | "
      + ("ours (alt.) / MapServer | " if alt else "") + "QGIS / MapServer | ours / QGIS |")
    w("|---|" + "---|" * len(SERVERS) + "---|---|---|" + ("---|" if alt else ""))
    rng = lambda x: "—" if not x else f"{x['rps']:,.1f} ({x['rps_min']:,.1f}–{x['rps_max']:,.1f})"
    for c in concs:
        o, ms, q, oa = g("ours", c), g("mapserver", c), g("qgis", c), g("ours_alt", c)
        r_oms = ratio(o and o["rps"], ms and ms["rps"])
        w(f"| {c} | " + " | ".join(rng(g(s, c)) for s in SERVERS) +
          f" | **{fr(r_oms)}** (target ≥ {TARGET_VS_MS:g}×) | " +
          (f"{fr(ratio(oa and oa['rps'], ms and ms['rps']))} | " if alt else "") +
          f"{fr(ratio(q and q['rps'], ms and ms['rps']))} | {fr(ratio(o and o['rps'], q and q['rps']))} |")
    w("")
    if alt:
        w("`ours (alt. config)` is the same binary and data with `--config` = `" +
          (alt_cfg or "?").replace("\n", "; ") + "` (informative, no target).")
        w("")
    w("### CPU per response (server processes' CPU time ÷ responses, median over rounds)")
    w("")
    w("The machine is shared, so req/s also measures what else ran. CPU time per response is less "
      "sensitive to that (not immune: caches and SMT are shared); `MapServer / ours` > 1 means ours "
      "spends less CPU per GetMap.")
    w("")
    w("| c | " + " | ".join(f"{LABEL[s]}" for s in SERVERS) + " | MapServer / ours | QGIS / ours |")
    w("|---|" + "---|" * len(SERVERS) + "---|---|")
    for c in concs:
        cp = {s: (g(s, c) or {}).get("cpu_ms_per_req") for s in SERVERS}
        w(f"| {c} | " + " | ".join(fmt(cp[s], 1, " ms") for s in SERVERS) +
          f" | {fr(ratio(cp.get('mapserver'), cp.get('ours')))} | {fr(ratio(cp.get('qgis'), cp.get('ours')))} |")
    w("")
    w("### Latency (wrk, median over rounds)")
    w("")
    w("| c | " + " | ".join(f"p50 {LABEL[s]}" for s in SERVERS) + " | "
      + " | ".join(f"p99 {LABEL[s]}" for s in SERVERS) + " |")
    w("|---|" + "---|" * (2 * len(SERVERS)))
    for c in concs:
        x = [g(s, c) for s in SERVERS]
        w(f"| {c} | " + " | ".join(fmt(v and v["p50_ms"], 1, " ms") for v in x) + " | "
          + " | ".join(fmt(v and v["p99_ms"], 1, " ms") for v in x) + " |")
    w("")

    if val and all(s in val for s in ("ours", "mapserver", "qgis")):
        w("### Per class, c = 1 (every corpus request once, sequential, after a warm-up pass; median ms)")
        w("")
        w("Time per request of the timed validation pass, by CRS and image size. "
          "`MapServer / ours` > 1 means ours is faster; the throughput target asks for ≥ 2.")
        w("")
        altv = val.get("ours_alt")
        w("| class | n | ours | MapServer | QGIS Server | MapServer / ours | QGIS / ours |"
          + (" ours (alt.) | MapServer / ours (alt.) |" if altv else ""))
        w("|---|---|---|---|---|---|---|" + ("---|---|" if altv else ""))
        for k in sorted(val["ours"]["per_class"], key=lambda k: (k.split()[0], int(k.split()[1].split("x")[0]))):
            o = val["ours"]["per_class"][k]["median_ms"]
            ms = val["mapserver"]["per_class"].get(k, {}).get("median_ms")
            q = val["qgis"]["per_class"].get(k, {}).get("median_ms")
            oa = altv and altv["per_class"].get(k, {}).get("median_ms")
            w(f"| {k} | {val['ours']['per_class'][k]['n']} | {fmt(o, 1)} | {fmt(ms, 1)} | {fmt(q, 1)} | "
              f"{fr(ratio(ms, o))} | {fr(ratio(q, o))} |" + (f" {fmt(oa, 1)} | {fr(ratio(ms, oa))} |" if altv else ""))
        tp = {s: val[s]["timed_pass"]["mean_ms"] for s in val}
        w(f"| all (mean) | {val['ours']['requests']} | {fmt(tp['ours'], 1)} | {fmt(tp['mapserver'], 1)} | "
          f"{fmt(tp['qgis'], 1)} | {fr(ratio(tp['mapserver'], tp['ours']))} | {fr(ratio(tp['qgis'], tp['ours']))} |"
          + (f" {fmt(tp['ours_alt'], 1)} | {fr(ratio(tp['mapserver'], tp['ours_alt']))} |" if altv else ""))
        w("")

    if insp:
        w(f"### INSPIRE floor: 800×600 GetMap, open loop at {next(iter(insp.values()))['rate']:g} req/s "
          f"(new connection per request, times from the scheduled send)")
        w("")
        w("| server | sent | OK (200, JPEG) | TTFB p50 | p95 | p99 | max | first byte < 5 s | achieved rate | server cores | other processes, cores | status |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for s in SERVERS:
            d = insp.get(s)
            if not d:
                continue
            ok = d["ok"] == d["sent"] and d["ttfb_ms"]["max"] < INSPIRE_TTFB_S * 1000
            st_ = met(ok) if s == "ours" else ("within the floor (info)" if ok else "outside the floor (info)")
            cores = d.get("server_cpu_s")
            cores = None if cores is None else cores / max(1e-9, d["wall_s"])
            other = d.get("machine_cpu_s")
            other = None if other is None or cores is None else max(0.0, other / max(1e-9, d["wall_s"]) - cores)
            t = d["ttfb_ms"]
            w(f"| {LABEL[s]} | {d['sent']} | {d['ok']} | {fmt(t['p50'], 0, ' ms')} | {fmt(t['p95'], 0, ' ms')} | "
              f"{fmt(t['p99'], 0, ' ms')} | {fmt(t['max'], 0, ' ms')} | {d['share_ttfb_under_5s'] * 100:.1f} % | "
              f"{d['achieved_rate']:.1f}/s | {fmt(cores, 2)} | {fmt(other, 2)} | {st_} |")
        w("")

    w("### CPU split during the load runs (cores busy, median over rounds)")
    w("")
    w("| server | c | server cores | wrk cores | other processes, cores (median, max) | errors | bytes/response | load avg (1 min) at start | compilers running (max) |")
    w("|---|---|---|---|---|---|---|---|---|")
    for s in SERVERS:
        for c in concs:
            x = g(s, c)
            if x:
                oc = "—" if x["other_cores"] is None else f"{x['other_cores']:.2f} ({x['other_cores_max']:.2f})"
                w(f"| {LABEL[s]} | {c} | {x['server_cores']:.2f} | {x['wrk_cores']:.2f} | {oc} | {x['errors']} | "
                  f"{x['bytes_per_req']:,.0f} | {x['loadavg1']:.2f} | {x['compilers_max']} |")
    w("")
    w("Server cores of the peers include their nginx front (FastCGI workers + nginx master and worker). "
      "\"Other processes\" is the machine's busy CPU (/proc/stat) minus server and wrk: work outside the "
      "benchmark (compilation, other sessions) competing for the 2 cores during that run.")
    w("")

    if rss:
        w("### Peak RSS (VmHWM summed over the server's processes, whole run)")
        w("")
        w("| server | processes | workers | nginx front | total |")
        w("|---|---|---|---|---|")
        for s in SERVERS:
            if s in rss:
                x = rss[s]
                front = "—" if s.startswith("ours") else fmt(x["front_kb"] / 1024, 0, " MiB")
                w(f"| {LABEL[s]} | {x['processes']} | {fmt(x['workers_kb'] / 1024, 0, ' MiB')} | {front} | "
                  f"**{fmt(x['vmhwm_kb'] / 1024, 0, ' MiB')}** |")
        w("")
        w("The sum of per-process peaks is an upper bound of what was resident at once. GDAL's block cache "
          "(default 5 % of RAM per process) and geocentre's decoded-tile cache (`tiles.decoded_cache_mb`, "
          "default 256) are left at their defaults.")
        w("")

    w("### Response check (before any measurement)")
    w("")
    w("| server | corpus | HTTP codes | non-JPEG 200 | decoded (sample) | blank / wrong size | mean JPEG bytes |")
    w("|---|---|---|---|---|---|---|")
    for name, V in (("load", val), ("INSPIRE", vinsp)):
        for s in SERVERS:
            v = V.get(s)
            if not v:
                continue
            codes = ", ".join(f"{k}: {n}" for k, n in sorted(v["codes"].items()))
            w(f"| {LABEL[s]} | {name} ({v['requests']}) | {codes} | {v['non_jpeg_200']} | {v['decoded_sample']} | "
              f"{len(v['blank'])} / {v['wrong_size']} | {v['mean_bytes_200']:,} |")
    w("")
    if cmp_["samples"]:
        w("### Do the images look alike? (mean absolute difference per pixel and channel, 0–255)")
        w("")
        pairs = sorted(cmp_["summary"])
        w("| request | class | ground res. | " + " | ".join(p.replace("~", " vs ") for p in pairs) + " |")
        w("|---|---|---|" + "---|" * len(pairs))
        for r in cmp_["samples"]:
            w(f"| #{r['i']} | {r['class']} | {r['res_m']:.3f} m | " +
              " | ".join(fmt(r["mad"].get(p), 1) for p in pairs) + " |")
        w("| **mean** | | | " + " | ".join(fmt(cmp_["summary"][p]["mean"], 1) for p in pairs) + " |")
        w("")
        w("Same requests, decoded with GDAL. Differences come from JPEG re-encoding, overview "
          "resampling and half-pixel conventions; a wrong bbox, axis order or colour handling would give "
          "tens of units.")
        w("")
    md = "\n".join(L)

    with open(os.path.join(R, "summary.md"), "w") as f:
        f.write(f"# WMS benchmark run {m['stamp']}\n\nCommand: `bash bench/wms.sh`\n\n{md}\n")
    with open(os.path.join(R, "summary.json"), "w") as f:
        json.dump({"machine": m, "corpus": corpus, "load": A, "per_class_c1": {s: val[s]["per_class"] for s in val},
                   "timed_pass_c1": {s: val[s]["timed_pass"] for s in val},
                   "inspire": insp, "server_rss": rss, "image_diff": cmp_,
                   "validate": {s: {k: v for k, v in val[s].items() if k != "per_class"} for s in val},
                   "targets": [{"target": n, "measured": v, "met": ok} for n, v, ok in targets]}, f, indent=1)

    if a.docs:
        block = (f"{BEGIN}\n\n<!-- generated by bench/wms/report.py; edit outside these markers -->\n\n"
                 f"Reproduce: `make bench-wms` (= `bash bench/wms.sh`; knobs in "
                 f"[bench/README.md](../bench/README.md#wms-getmap-benchmark-benchwmssh)); raw results of this run: "
                 f"`bench/results/{os.path.basename(os.path.normpath(R))}/`.\n\n"
                 f"**Read the ratios, not the absolute numbers**: 2 shared cores, the load generator on the same "
                 f"cores, other work (compilation, tests, other sessions) possibly running — see the load average and the “other processes” column of the CPU-split table; the CPU time per response is the steadier comparison.\n\n"
                 f"{md}\n{END}")
        write_docs_section(a.docs, BEGIN, END, block, SECTION)
    print(md)


if __name__ == "__main__":
    main()
