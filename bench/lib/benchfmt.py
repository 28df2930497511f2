"""Helpers shared by the benchmark reports (bench/lib/report.py,
bench/wms/report.py, bench/vector/report.py): reading results, medians,
number formatting, and replacing a report's generated section of
docs/benchmarks.md. Standard library only."""
import json
import os
import statistics as st


def load(path):
    with open(path) as f:
        return json.load(f)


def med(xs):
    xs = [x for x in xs if x is not None]
    return st.median(xs) if xs else None


def fmt(x, nd=0, unit=""):
    return "—" if x is None else f"{x:,.{nd}f}{unit}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fr(x):
    return "—" if x is None else f"{x:.2f}×"


def met(ok):
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def agg_runs(rs):
    """Medians over the rounds of one load run (request, server, concurrency):
    throughput, latency, errors, bytes, CPU of the server, wrk and the rest
    of the machine. None when there is no round."""
    if not rs:
        return None
    dur = [r["wrk"]["duration_s"] for r in rs]
    # a run that completed nothing has no latency (wrk reports 0)
    done = [r for r in rs if r["wrk"]["requests"]]
    other = [max(0.0, (r["machine_cpu_s"] - r["server_cpu_s"] - r["wrk_cpu_s"]) / d)
             for r, d in zip(rs, dur) if "machine_cpu_s" in r]
    return {
        "rounds": len(rs),
        "rps": med([r["wrk"]["rps"] for r in rs]),
        "rps_min": min(r["wrk"]["rps"] for r in rs),
        "rps_max": max(r["wrk"]["rps"] for r in rs),
        "p50_ms": med([r["wrk"]["latency_us"]["p50"] / 1000 for r in done]),
        "p90_ms": med([r["wrk"]["latency_us"]["p90"] / 1000 for r in done if "p90" in r["wrk"]["latency_us"]]),
        "p99_ms": med([r["wrk"]["latency_us"]["p99"] / 1000 for r in done]),
        "errors": sum(sum(r["wrk"]["errors"].values()) for r in rs),
        "requests": sum(r["wrk"]["requests"] for r in rs),
        "bytes_per_req": med([r["wrk"]["bytes"] / max(1, r["wrk"]["requests"]) for r in rs]),
        "server_cores": med([r["server_cpu_s"] / d for r, d in zip(rs, dur)]),
        # CPU time the server spent per response: less sensitive to the other work on the machine
        "cpu_ms_per_req": med([1000 * r["server_cpu_s"] / r["wrk"]["requests"] for r in done]),
        "wrk_cores": med([r["wrk_cpu_s"] / d for r, d in zip(rs, dur)]),
        # everything else the machine did meanwhile (compilers, other sessions): noise indicator
        "other_cores": med(other),
        "other_cores_max": max(other, default=None),
        "loadavg1": med([r["loadavg1"] for r in rs]),
        "compilers_max": max(r.get("compilers", 0) for r in rs),
    }


def targets_table(w, targets):
    """The "### Targets" table of (target, measured, met?) rows."""
    w("### Targets")
    w("")
    w("| target | measured | status |")
    w("|---|---|---|")
    for name, v, ok in targets:
        w(f"| {name} | {v} | {met(ok)} |")
    w("")


def write_docs_section(docs, begin, end, block, heading):
    """Puts `block` (which starts with `begin` and ends with `end`) in place of
    the section between those markers in `docs`, or appends it under
    `heading` when the markers are not there yet."""
    old = open(docs).read() if os.path.exists(docs) else "# Benchmarks\n"
    if begin in old and end in old:
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip() + f"\n\n{heading}\n\n{block}\n"
    os.makedirs(os.path.dirname(os.path.abspath(docs)), exist_ok=True)
    with open(docs, "w") as f:
        f.write(new)
    print(f"updated {docs}")
