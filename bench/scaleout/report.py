#!/usr/bin/python3
"""Summarise one scale-out run (bench/results/<stamp>-scaleout/) into summary.md +
summary.json, and optionally regenerate the bench-scaleout section of
docs/benchmarks.md.

Usage: report.py RESULTS_DIR [--docs docs/benchmarks.md]
Standard library only.
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from benchfmt import agg_runs, fmt, fr, load, med, met, ratio, targets_table, write_docs_section  # noqa: E402

BEGIN = "<!-- bench-scaleout:begin -->"
END = "<!-- bench-scaleout:end -->"

TARGETS = {
    "s3_vs_local": 0.5,    # ours on S3 >= 0.5 x ours on local files (native tiles)
    "s3_vs_titiler": 20.0,  # ours on S3 >= 20 x TiTiler on the same bucket
    "cluster_vs_single": 0.9,  # N replicas behind HAProxy >= 0.9 x 1 replica, same cores
}
LABEL = {
    "ours_local": "ours, local files",
    "ours_s3": "ours, S3",
    "ours_s3_nc": "ours, S3, tile caches off",
    "titiler": "TiTiler, S3 (/vsis3/)",
    "cluster": "replicas + HAProxy",
    "single": "1 replica",
    "single_lb": "1 replica + HAProxy",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("res")
    ap.add_argument("--docs")
    a = ap.parse_args()
    R = a.res
    m = load(os.path.join(R, "machine.json"))
    corpus = load(os.path.join(R, "corpus.json"))
    dalles = load(os.path.join(R, "dalles.json"))
    setup = load(os.path.join(R, "setup.json"))
    rss = load(os.path.join(R, "server_rss.json")) if os.path.exists(os.path.join(R, "server_rss.json")) else {}
    checks = {k: load(os.path.join(R, "runs", f"check_{k}.json")) for k in ("native", "webmerc")
              if os.path.exists(os.path.join(R, "runs", f"check_{k}.json"))}
    knobs = dict(kv.split("=", 1) for kv in m["knobs"].replace("'", "").split(" ") if "=" in kv)
    replicas = int(knobs.get("REPLICAS", 3))

    runs = {}
    for p in glob.glob(os.path.join(R, "runs", "load_*.json")):
        d = load(p)
        runs.setdefault((d["corpus"], d["server"], d["concurrency"]), []).append(d)
    concs = sorted({k[2] for k in runs})
    A = {}
    for k, rs in runs.items():
        x = agg_runs(rs)
        dur = [r["wrk"]["duration_s"] for r in rs]
        done = [r for r in rs if r["wrk"]["requests"]]
        x["lb_cores"] = med([r["lb_cpu_s"] / d for r, d in zip(rs, dur)])
        x["s3_cores"] = med([r["s3_cpu_s"] / d for r, d in zip(rs, dur)])
        x["s3_ms_per_req"] = med([1000 * r["s3_cpu_s"] / r["wrk"]["requests"] for r in done])
        x["lb_ms_per_req"] = med([1000 * r["lb_cpu_s"] / r["wrk"]["requests"] for r in done])
        A[f"{k[0]}/{k[1]}/c{k[2]}"] = x

    def g(corp, srv, c):
        return A.get(f"{corp}/{srv}/c{c}")

    def ratios(corp, a_, b_):
        return {c: ratio(g(corp, a_, c) and g(corp, a_, c)["rps"], g(corp, b_, c) and g(corp, b_, c)["rps"])
                for c in concs}

    # ---------------------------------------------------------- targets
    targets = []

    def add(name, corp, a_, b_, tgt):
        for c, rt in ratios(corp, a_, b_).items():
            targets.append((f"{name}, c={c}: ≥ {tgt:g}×", fr(rt), None if rt is None else rt >= tgt))

    add("1. native tiles: ours on S3 / ours on local files", "native", "ours_s3", "ours_local", TARGETS["s3_vs_local"])
    if any(k[0] == "native" and k[1] == "ours_s3_nc" for k in runs):
        add("1. native tiles: ours on S3 **with tile caches off** (a range GET per tile) / ours on local files",
            "native", "ours_s3_nc", "ours_local", TARGETS["s3_vs_local"])
    add("2. native tiles: ours on S3 / TiTiler on S3", "native", "ours_s3", "titiler", TARGETS["s3_vs_titiler"])
    if any(k[0] == "native" and k[1] == "ours_s3_nc" for k in runs):
        add("2. native tiles: ours on S3 **with tile caches off** / TiTiler on S3", "native", "ours_s3_nc",
            "titiler", TARGETS["s3_vs_titiler"])
    add("2. Web Mercator tiles: ours on S3 / TiTiler on S3", "webmerc", "ours_s3", "titiler", TARGETS["s3_vs_titiler"])
    if any(k[1] == "ours_s3_nc" for k in runs):
        add("2. Web Mercator tiles: ours on S3 **with tile caches off** / TiTiler on S3", "webmerc", "ours_s3_nc",
            "titiler", TARGETS["s3_vs_titiler"])
    add(f"3. native tiles: {replicas} replicas + HAProxy / 1 replica, same CPU", "native", "cluster", "single",
        TARGETS["cluster_vs_single"])
    add(f"3. Web Mercator tiles: {replicas} replicas + HAProxy / 1 replica, same CPU", "webmerc", "cluster", "single",
        TARGETS["cluster_vs_single"])
    if any(k[1] == "single_lb" for k in runs):
        # Being a cluster, apart from the balancer's hop: both behind the
        # same HAProxy configuration on the same CPU.
        for corp, what in (("native", "native"), ("webmerc", "Web Mercator")):
            add(f"3. {what} tiles: {replicas} replicas + HAProxy / 1 replica + HAProxy, same CPU", corp, "cluster",
                "single_lb", TARGETS["cluster_vs_single"])

    other = med([x["other_cores"] for x in A.values()])
    other_max = max((x["other_cores_max"] or 0 for x in A.values()), default=None)

    # ---------------------------------------------------------- markdown
    L = []
    w = L.append
    w(f"Run `{m['stamp']}` — {m['knobs']}")
    w("")
    w(f"Command: `bash bench/scaleout.sh` (from the repository root; `make bench-scaleout` runs the defaults). "
      f"Binary built {m['geocentre_built']}, sha256 `{m['geocentre_sha']}…`; repository at run time `{m['geocentre_git']}`.")
    w("")
    w(f"Machine: {m['cpu']}, **{m['nproc']} cores shared by everything** (servers, SeaweedFS, PostgreSQL, wrk, and "
      f"other sessions), {m['mem_gib']} GiB, {m['os']}; load average {m['loadavg_start']} at start"
      + (f", {m['loadavg_end']} at end" if "loadavg_end" in m else "") +
      f". HAProxy {m['haproxy']}, SeaweedFS {m['seaweedfs']}, PostgreSQL {m['postgresql']}, wrk {m['wrk']}; "
      f"TiTiler stack {m['python_peer']} (rasterio's GDAL {m['rasterio_gdal']}). "
      "**Compare the ratios, not the absolute numbers.**" + (
          f" During the load runs the rest of the machine (other sessions, compilers) took a median "
          f"{other:.2f} cores (max {other_max:.2f}) of the {m['nproc']}." if other is not None else ""))
    w("")
    it = setup.get("ingest_time", "cached")
    it = "cached from an earlier run" if it == "cached" else f"{it.split()[0]} s"
    w(f"Data (DERIVED): {len(dalles['dalles'])} dalles of {dalles['dalle_px']}×{dalles['dalle_px']} px at "
      f"{dalles['resolution_m'] * 100:.0f} cm ({dalles['total_bytes'] / 1e9:.2f} GB), ingested once on local files "
      f"(`geocentre ortho ingest`: {setup['objects']} chunk COGs, {setup['object_bytes'] / 1e6:.0f} MB; ingest {it}), "
      f"then copied by `geocentre copy-store` to a PostgreSQL registry and the bucket `s3://bench/scaleout` "
      f"({setup['copy_store_s']} s). TiTiler indexes the {setup['listed_cogs']} COGs of the bucket listing. "
      f"Corpora (`bench/lib/corpus.py`, seed {corpus['seed']}, {corpus['n']} requests each): native "
      f"LAMB93_5cm_EPSG levels {corpus['native']['levels']} ({corpus['native']['unique']} distinct tiles), "
      f"WebMercatorQuad z {corpus['webmerc']['levels']} ({corpus['webmerc']['unique']} distinct tiles).")
    w("")
    targets_table(w, targets)

    def table(title, corp, a_, b_, tgt, note=None):
        w(f"### {title}")
        w("")
        if note:
            w(note)
            w("")
        A_, B_ = LABEL[a_], LABEL[b_]
        w(f"| c | {A_} / {B_} | target | req/s {A_} (min–max) | req/s {B_} (min–max) | p50 / p99 ms {A_} | "
          f"p50 / p99 ms {B_} | CPU ms per response {A_} | {B_} |")
        w("|---|---|---|---|---|---|---|---|---|")
        for c in concs:
            x, y = g(corp, a_, c), g(corp, b_, c)
            rt = ratio(x and x["rps"], y and y["rps"])
            rng = lambda v: "—" if not v else f"{v['rps']:,.0f} ({v['rps_min']:,.0f}–{v['rps_max']:,.0f})"
            lat = lambda v: "—" if not v else f"{fmt(v['p50_ms'], 2)} / {fmt(v['p99_ms'], 1)}"
            cpu = lambda v: "—" if not v else (f"{v['cpu_ms_per_req']:.3f}" + (
                f" (+ S3 {v['s3_ms_per_req']:.3f})" if v["s3_ms_per_req"] and v["s3_ms_per_req"] > 0.005 else ""))
            w(f"| {c} | {fr(rt)} | ≥ {tgt:g}× {met(None if rt is None else rt >= tgt)} | {rng(x)} | {rng(y)} | "
              f"{lat(x)} | {lat(y)} | {cpu(x)} | {cpu(y)} |")
        w("")

    table("1. Native tiles: ours on S3 vs ours on local files (same ingest, same binary, TOKIO_WORKER_THREADS=2)",
          "native", "ours_s3", "ours_local", TARGETS["s3_vs_local"])
    table("2a. Native tiles: ours on S3 vs TiTiler on the same bucket (2 workers each)",
          "native", "ours_s3", "titiler", TARGETS["s3_vs_titiler"])
    table("2b. Web Mercator tiles: ours on S3 vs TiTiler on the same bucket", "webmerc", "ours_s3", "titiler",
          TARGETS["s3_vs_titiler"],
          "Our server keeps reprojected tiles in its rendered-tile cache (default configuration); the corpus has "
          f"{corpus['webmerc']['unique']} distinct tiles, so after the warm-up most answers come from it. "
          "2c is the like-for-like comparison: every tile read from the bucket and reprojected per request.")
    if any(k[1] == "ours_s3_nc" for k in runs):
        table("2c. Web Mercator tiles: ours on S3 with tile caches off vs TiTiler", "webmerc", "ours_s3_nc",
              "titiler", TARGETS["s3_vs_titiler"])
    if any(k[0] == "native" and k[1] == "ours_s3_nc" for k in runs):
        table("2d. Native tiles: ours on S3 with tile caches off (one range GET per tile) vs TiTiler", "native",
              "ours_s3_nc", "titiler", TARGETS["s3_vs_titiler"])
    cpus, rt_ = knobs.get("CLUSTER_CPUS", "?"), knobs.get("REPLICA_THREADS", "?")
    lb_cpus = knobs.get("LB_CPUS", cpus)
    where_lb = ("**and HAProxy**" if lb_cpus == cpus else
                f"(HAProxy on CPU(s) {lb_cpus}, beside wrk: the balancer's own cores, as deployed)")
    note = (f"Both sides on the same CPU set (`taskset -c {cpus}`): {replicas} replicas with "
            f"`TOKIO_WORKER_THREADS={rt_}` each {where_lb} (`nbthread 1`, the configuration of "
            f"tests/interop/cluster.py) against one replica with `TOKIO_WORKER_THREADS={rt_}`, reached directly; "
            f"wrk on CPU(s) {knobs.get('WRK_CPUS') or 'any'}, SeaweedFS and PostgreSQL on CPU(s) "
            f"{knobs.get('S3_CPUS') or 'any'}. The CPU column of the replicas includes HAProxy's.")
    table(f"3a. Native tiles: {replicas} replicas + HAProxy vs 1 replica, same cores", "native", "cluster", "single",
          TARGETS["cluster_vs_single"], note)
    table(f"3b. Web Mercator tiles: {replicas} replicas + HAProxy vs 1 replica, same cores", "webmerc", "cluster",
          "single", TARGETS["cluster_vs_single"])
    if any(k[1] == "single_lb" for k in runs):
        for corp, name in (("native", "native"), ("webmerc", "Web Mercator")):
            table(f"3c. {name} tiles, informative: 1 replica behind HAProxy vs 1 replica (the balancer alone)",
                  corp, "single_lb", "single", TARGETS["cluster_vs_single"],
                  "`LB1=1`: the single replica also reached through an HAProxy of its own (same configuration, "
                  "same CPU): what the balancer costs, apart from the number of replicas." if corp == "native" else None)

    w("### CPU split during the load runs (cores busy, median over rounds)")
    w("")
    w("| corpus | server | c | server cores | of which HAProxy | SeaweedFS cores | wrk cores | rest of the machine | errors | bytes/response |")
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for corp in ("native", "webmerc"):
        for srv in LABEL:
            for c in concs:
                x = g(corp, srv, c)
                if x:
                    lb = f"{x['lb_cores']:.2f}" if srv in ("cluster", "single_lb") else "—"
                    w(f"| {corp} | {LABEL[srv]} | {c} | {x['server_cores']:.2f} | {lb} | {x['s3_cores']:.2f} | "
                      f"{x['wrk_cores']:.2f} | {fmt(x['other_cores'], 2)} | {x['errors']} | {x['bytes_per_req']:,.0f} |")
    w("")

    w("### Peak RSS (VmHWM, whole run), per process")
    w("")
    w("| process | peak RSS |")
    w("|---|---:|")
    for name, v in rss.items():
        label = LABEL.get(name, name)
        if name.startswith("replica"):
            label = f"replica {name[7:]} (behind HAProxy)"
        elif name == "haproxy1":
            label = "HAProxy in front of the single replica (LB1=1)"
        if v["processes"] > 1:
            label += f" ({v['processes']} processes)"
        w(f"| {label} | {v['vmhwm_kb'] / 1024:,.0f} MiB |")
    w("")

    w("### Response check (before the load: every distinct tile of each corpus from every server)")
    w("")
    w("| corpus | server | 200 image/jpeg | mean bytes | same bytes as ours on local files |")
    w("|---|---|---|---:|---|")
    for corp, ck in checks.items():
        for srv, v in ck["servers"].items():
            same = "(reference)" if srv == "ours_local" else "—"
            s = ck.get("same_bytes", {}).get(f"{srv} vs ours_local")
            if s:
                same = f"{s['identical']} / {ck['distinct_tiles']}"
            w(f"| {corp} | {LABEL.get(srv, srv)} | {v['jpeg_ok']} / {ck['distinct_tiles']} | {v['mean_bytes']:,} | {same} |")
    w("")
    md = "\n".join(L)

    with open(os.path.join(R, "summary.md"), "w") as f:
        f.write(f"# Scale-out benchmark run {m['stamp']}\n\n{md}\n")
    with open(os.path.join(R, "summary.json"), "w") as f:
        json.dump({"machine": m, "setup": setup, "serve": A, "server_rss": rss,
                   "checks": {k: {"ok": v["ok"], "distinct_tiles": v["distinct_tiles"],
                                  "same_bytes": v.get("same_bytes")} for k, v in checks.items()},
                   "targets": [{"target": n, "measured": v, "met": ok} for n, v, ok in targets]}, f, indent=1)
    if a.docs:
        block = (f"{BEGIN}\n\n<!-- generated by bench/scaleout/report.py; edit outside these markers -->\n\n"
                 f"Reproduce: `make bench-scaleout` (= `bash bench/scaleout.sh`; knobs in "
                 f"[bench/README.md](../bench/README.md#scale-out-benchscaleoutsh)); raw results of this run: "
                 f"`bench/results/{os.path.basename(os.path.normpath(R))}/`.\n\n{md}\n{END}")
        write_docs_section(a.docs, BEGIN, END, block, "## Scale-out: object storage and replicas (issue 15)")
    print(md)


if __name__ == "__main__":
    main()
