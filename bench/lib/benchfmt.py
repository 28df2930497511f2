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
