"""Results of the conformance suites: counts, the known-failure gate, and
docs/conformance.md.

A result is one JSON file per suite (format in conformance/README.md). A
failure is explained when an entry of conformance/known-failures.toml names
its suite and matches its test (an exact name or an fnmatch pattern, matched
against the test's name); every other failure fails the run. An entry that
matches nothing any more is reported as stale, so that the list shrinks as
the server gets fixed.
"""
from __future__ import annotations

import collections
import fnmatch
import glob
import json
import os
import tomllib
from datetime import datetime, timezone

STATUSES = ["passed", "failed", "inherited", "skipped", "manual", "not_applicable"]


def load(results_dir: str) -> list[dict]:
    out = []
    for p in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
        with open(p, encoding="utf-8") as f:
            out.append(json.load(f))
    order = {"OGC CITE": 0, "INSPIRE": 1}
    return sorted(out, key=lambda r: (order.get(r.get("family"), 2), r["id"]))


def load_known(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        data = tomllib.load(f)
    known = data.get("failure", [])
    for k in known:
        for key in ("suite", "test", "reason"):
            if not k.get(key):
                raise ValueError(f"{path}: an entry lacks '{key}': {k}")
    return known


def matches(k: dict, suite_id: str, test: dict) -> bool:
    return k["suite"] == suite_id and (k["test"] == test["name"] or fnmatch.fnmatchcase(test["name"], k["test"]))


def counts(r: dict) -> collections.Counter:
    # Set-up (configuration) methods are not tests: one that failed counts
    # as a failure like any other, one skipped with its class is not counted.
    c = collections.Counter(t["status"] for t in r["tests"] if not t.get("config") or t["status"] == "failed")
    c["config_failed"] = sum(1 for t in r["tests"] if t.get("config") and t["status"] == "failed")
    return c


def evaluate(results: list[dict], known: list[dict]) -> tuple[str, list[str], list[str]]:
    unexplained, used = [], set()
    rows = []
    for r in results:
        c = counts(r)
        explained = 0
        for t in r["tests"]:
            if t["status"] != "failed":
                continue
            hit = [i for i, k in enumerate(known) if matches(k, r["id"], t)]
            if hit:
                used.update(hit)
                explained += 1
            else:
                unexplained.append(f"{r['id']}: {t['name']}: {t.get('message', '')[:200]}")
        run = sum(c[s] for s in STATUSES)
        rows.append((r["id"], r["version"], run, c["passed"], c["failed"], explained, c["skipped"],
                     c["manual"], c["not_applicable"]))
    stale = [f"{k['suite']}: {k['test']}" for i, k in enumerate(known)
             if i not in used and any(r["id"] == k["suite"] for r in results)]
    head = ("suite", "version", "run", "passed", "failed", "explained", "skipped", "manual", "n/a")
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)] if rows else [len(h) for h in head]
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths))
    table = "\n".join([fmt.format(*head)] + [fmt.format(*row) for row in rows])
    return table, unexplained, stale


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


INTRO = """# Conformance: OGC CITE and INSPIRE test suites

This file is written by `make conformance` (conformance/run.py): do not edit
it by hand. The reasons for known failures live in
`conformance/known-failures.toml`; how the suites are obtained, built and run
is in `conformance/README.md`.

`make conformance` builds the official suites from the sources vendored in
`conformance/` (Maven, cached in `~/.m2`), loads the demo region, the CITE
WMS data set and the CITE CSW records through the normal CLI, serves them,
runs every suite and
fails when a suite has a failure that is not explained below. `make test`
runs it too.

Counting: *run* is every test the suite executed or skipped; *failed* counts
the tests that failed themselves (TEAM Engine also marks their parents
"Failed - Inherited": those are not counted twice); *explained* is the part
of *failed* covered by a known-failure entry; *skipped* tests are those a
suite skips for its own reasons (an optional feature we do not offer, or a
prerequisite), each group listed with the suite's reason; *manual* are
assertions the suite itself leaves to a person.
"""


def write_docs(results: list[dict], known: list[dict], path: str, duration: float) -> None:
    lines = [INTRO]
    lines.append(f"Last run: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, "
                 f"{duration / 60:.1f} min in all (`make conformance`).\n")
    lines.append("## Summary\n")
    lines.append("| Family | Suite | Version | Run | Passed | Failed | Explained | Skipped | Manual | N/A | Time |")
    lines.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        c = counts(r)
        run = sum(c[s] for s in STATUSES)
        expl = sum(1 for t in r["tests"] if t["status"] == "failed" and any(matches(k, r["id"], t) for k in known))
        lines.append(
            f"| {r['family']} | {_md(r['suite'])} | {_md(r['version'])} | {run} | {c['passed']} | {c['failed']} | "
            f"{expl} | {c['skipped']} | {c['manual']} | {c['not_applicable']} | "
            f"{str(r['seconds']) + ' s' if r.get('seconds') is not None else '—'} |"
        )
    lines.append("")
    for r in results:
        lines.append(f"## {r['family']}: {r['suite']}\n")
        lines.append(f"- Suite: {r['version']} (id `{r['id']}`)")
        lines.append(f"- Against: {r['target']}")
        lines.append(f"- Conformance classes run: {', '.join(r.get('classes', [])) or '—'}")
        c = counts(r)
        lines.append(f"- Results: {', '.join(f'{c[s]} {s}' for s in STATUSES if c[s])}"
                     + (f" (of which {c['config_failed']} set-up methods failed)" if c["config_failed"] else ""))
        fails = [t for t in r["tests"] if t["status"] == "failed"]
        if fails:
            lines.append("\n**Failures and why** (test, suite message, reason):\n")
            groups = collections.OrderedDict()
            for t in fails:
                k = next((k for k in known if matches(k, r["id"], t)), None)
                key = (k["test"] if k else t["name"])
                groups.setdefault(key, (k, []))[1].append(t)
            lines.append("| Test | Count | Suite's message (first) | Reason |")
            lines.append("|---|---:|---|---|")
            for key, (k, ts) in groups.items():
                reason = (k["reason"] + (f" ([upstream]({k['link']}))" if k.get("link") else "")) if k else "**unexplained**"
                lines.append(f"| `{_md(key)}` | {len(ts)} | {_md(ts[0].get('message', ''))[:300]} | {_md(reason)} |")
        others = [t for t in r["tests"]
                  if t["status"] in ("skipped", "manual", "not_applicable") and not t.get("config")]
        if others:
            lines.append("\n**Skipped, manual and not applicable**, grouped by class and the suite's reason "
                         "(a skip without a message is TestNG's: a test whose class or prerequisite "
                         "did not run):\n")
            groups = collections.Counter(
                (t["status"], t.get("class") or "—", (t.get("message") or "no message")[:200]) for t in others)
            lines.append("| Status | Class | Count | Reason |")
            lines.append("|---|---|---:|---|")
            for (st, cls, msg), n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"| {st} | {_md(cls)} | {n} | {_md(msg)} |")
        lines.append("")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)
