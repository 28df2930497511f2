#!/usr/bin/env python3
"""INSPIRE view, download and discovery service ETS, ported from SoapUI to Python, against a running geocentre.

usage: services.py --base-url http://127.0.0.1:PORT --out RESULTS_DIR [--work BUILD_DIR] [--only PROJECT,...]

Projects (one JSON each, shared format, README.md): vs-wms (WMS 1.3.0 at /wms), ds-wfs-direct and
ds-wfs-pre-defined (WFS 2.0.0 at /wfs), vs-wmts (WMTS 1.0.0 at /wmts), dis-csw (CSW 2.0.2 at /csw), ported from
the SoapUI projects service/*-soapui-project.xml (dis-csw: dis-csw-core-soapui-project.xml) of
inspire-eu-validation/ets-repository v2024.0.1 (soapui.py says how SoapUI and the ETF plugin are emulated; each
project module lists its deviations). Needs lxml (Debian python3-lxml) and xmllint (libxml2-utils).
Exit status 0 when the suites ran, 2 when the harness itself cannot run.
"""
import argparse
import os
import sys
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_WORK, ETS_COMMIT, REGISTRY_DIR, Bundle, HarnessError, summary_line, write_result  # noqa: E402

try:
    from lxml import etree
except ImportError:  # pragma: no cover - reported as a harness error
    etree = None

PROJECTS = ["vs-wms", "ds-wfs-direct", "ds-wfs-pre-defined", "vs-wmts", "dis-csw"]
SOURCES = {"dis-csw": "dis-csw-core"}  # the SoapUI project file name when it is not the project id
TITLES = {
    "vs-wms": ("INSPIRE view service – WMS 1.3.0 (TG View Services 3.11, ISO 19128 profile)", "/wms"),
    "vs-wmts": ("INSPIRE view service – WMTS 1.0.0 (TG View Services 3.11, WMTS profile)", "/wmts"),
    "ds-wfs-direct": ("INSPIRE download service – direct access WFS 2.0 (TG Download Services 3.1)", "/wfs"),
    "ds-wfs-pre-defined": ("INSPIRE download service – pre-defined data set WFS 2.0 (TG Download Services 3.1)",
                           "/wfs"),
    "dis-csw": ("INSPIRE discovery service – CSW 2.0.2 ISO AP (TG Discovery Services 3.1, CSW Core)", "/csw"),
}


def layer_register_names():
    root = etree.parse(os.path.join(REGISTRY_DIR, "layer", "layer.en.xml")).getroot()
    return [e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "layerName"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", required=True, help="the geocentre server (demo region loaded)")
    p.add_argument("--out", required=True, help="results directory (one JSON per project)")
    p.add_argument("--work", default=DEFAULT_WORK, help=f"build directory (default {DEFAULT_WORK})")
    p.add_argument("--only", default=",".join(PROJECTS), help="comma-separated projects (default: all)")
    a = p.parse_args(argv)
    base = a.base_url.rstrip("/")
    t0 = time.time()
    try:
        if etree is None:
            raise HarnessError("lxml is missing: install the Debian package python3-lxml (or pip install lxml)")
        import dis_csw
        import ds_wfs
        import soapui
        import vs_wms
        import vs_wmts
        modules = {"vs-wms": vs_wms, "vs-wmts": vs_wmts, "ds-wfs-direct": ds_wfs, "ds-wfs-pre-defined": ds_wfs,
                   "dis-csw": dis_csw}
        work = os.path.abspath(a.work)
        os.makedirs(work, exist_ok=True)
        http = soapui.Http()
        probe = http.get(base + "/wms", [("SERVICE", "WMS"), ("REQUEST", "GetCapabilities")])
        if probe.status == 0:
            raise HarnessError(f"the server at {base} does not answer ({probe.error})")
        validator = soapui.Validator(work, http)
        names = layer_register_names()
        for pid in [x.strip() for x in a.only.split(",") if x.strip()]:
            if pid not in modules:
                raise HarnessError(f"unknown project {pid!r} (known: {', '.join(PROJECTS)})")
            mod = modules[pid]
            project = soapui.Project(Bundle(mod.BUNDLE))
            ctx = SimpleNamespace(http=http, validator=validator, base=base, registry_layer_names=names,
                                  project=project, project_id=pid)
            t1, n1 = time.time(), http.count
            if mod is ds_wfs:
                ds_wfs.run(ctx, pid)
            else:
                mod.run(ctx)
            title, ep = TITLES[pid]
            sid = f"inspire-{pid}"
            write_result(a.out, sid, title, f"{base}{ep} (demo)",
                         sorted({t["class"] for t in project.tests}, key=[t["class"] for t in project.tests].index),
                         project.tests,
                         extra={"ets": f"service/{SOURCES.get(pid, pid)}-soapui-project.xml @ {ETS_COMMIT[:12]} "
                                       f"(ported to Python: conformance/inspire/{mod.__name__}.py)",
                                "requests": http.count - n1, "seconds": round(time.time() - t1, 1)})
            print(summary_line(sid, project.tests) + f"  ({http.count - n1} requests, {time.time() - t1:.0f} s)")
    except HarnessError as e:
        print(f"services.py: harness error: {e}", file=sys.stderr)
        return 2
    except Exception:  # a bug of the ports is a harness error (exit 2), never a test result
        import traceback
        traceback.print_exc()
        print("services.py: harness error (see the traceback above)", file=sys.stderr)
        return 2
    print(f"services.py: done in {time.time() - t0:.0f} s, results in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
