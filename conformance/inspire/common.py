"""Shared pieces of the INSPIRE conformance runners (metadata.py, services.py).

- where things are (the vendored ETS subset, the derived registry snapshot, the repository's schemas/),
- the ETF translation templates of the ETS (to turn a message id such as TR.missingElement and its
  arguments into the English text the INSPIRE validator shows),
- the shared result format of `make conformance` (one JSON file per suite, see README.md).
Standard library only.
"""
import glob
import html
import json
import os
import re
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
ETS_DIR = os.path.join(HERE, "ets")  # vendored subset of inspire-eu-validation/ets-repository
REGISTRY_DIR = os.path.join(HERE, "registry")  # DERIVED, partial registry snapshot (registry/README.md)
SCHEMAS_DIR = os.path.join(REPO, "schemas")  # the repository's official OGC/ISO/W3C schemas + catalog.xml
ETS_VERSION = "ets-repository v2024.0.1"
ETS_COMMIT = "b64a2f2a25a4824d947ccf66afba0414bc8af50a"
ETF = "{http://www.interactive-instruments.de/etf/2.0}"
STATUSES = ("passed", "failed", "skipped", "manual", "not_applicable")
DEFAULT_WORK = os.path.join(REPO, "target", "conformance", "inspire")


class HarnessError(Exception):
    """The harness itself cannot run (as opposed to a test that fails): exit status 2."""


class Bundle:
    """English templates of one or more ETF TranslationTemplateBundle files of the ETS."""

    def __init__(self, *bundle_ids):
        self.templates = {}
        for bid in bundle_ids:
            files = glob.glob(os.path.join(ETS_DIR, "include-metadata", f"TranslationTemplateBundle-{bid}.xml"))
            if not files:
                raise HarnessError(f"translation bundle {bid} is not vendored under {ETS_DIR}/include-metadata")
            for t in ET.parse(files[0]).getroot().iter(f"{ETF}TranslationTemplate"):
                if t.get("language", "en").startswith("en"):
                    self.templates.setdefault(t.get("name"), t.text or "")

    def render(self, ref, args=None):
        """`TR.x: text` with the {token}s replaced; unknown templates keep their id and arguments."""
        args = args or {}
        text = self.templates.get(ref)
        if text is None:
            extra = ", ".join(f"{k}={v}" for k, v in args.items())
            return f"{ref}" + (f" ({extra})" if extra else "")
        for k, v in args.items():
            text = text.replace("{" + k + "}", str(v))
        text = re.sub(r"<[^>]+>", " ", html.unescape(text))
        return f"{ref}: " + re.sub(r"\s+", " ", text).strip()


def write_result(out_dir, suite_id, suite, target, classes, tests, version=ETS_VERSION, family="INSPIRE", extra=None):
    """Write <out_dir>/<suite_id>.json in the shared conformance result format."""
    names = set()
    for t in tests:
        if t["status"] not in STATUSES:
            raise HarnessError(f"{suite_id}: bad status {t['status']!r} for {t['name']!r}")
        if t["name"] in names:
            raise HarnessError(f"{suite_id}: duplicate test name {t['name']!r}")
        names.add(t["name"])
        if t["status"] == "passed" and not t.get("message"):
            t.pop("message", None)
    doc = {"id": suite_id, "family": family, "suite": suite, "version": version, "target": target,
           "classes": classes, "tests": tests}
    if extra:
        doc.update(extra)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, suite_id + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return path


def counts(tests):
    c = {s: 0 for s in STATUSES}
    for t in tests:
        c[t["status"]] += 1
    return c


def summary_line(suite_id, tests):
    c = counts(tests)
    return f"{suite_id:34} " + " ".join(f"{k}={v}" for k, v in c.items() if v)
