"""The OGC CITE suites: what each runs against, how it is started, and how
its results are read into the shared result format (conformance/README.md).

The suites are built by conformance/cite/build.sh. TestNG suites
(ets-ogcapi-features10, ets-wfs20) write testng-results.xml; CTL suites (ets-wms13,
ets-wms11, ets-wmts10, ets-csw202, run by TEAM Engine's CtlExecutor without the web
application) print one line per test on the console, which is what TEAM
Engine's own console runner reports. Every suite exits 0 whatever its
results, so the verdict is always read from the results.
"""
from __future__ import annotations

import glob
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Suite:
    id: str
    name: str
    version: str
    kind: str  # "testng" | "ctl"
    src: str  # directory under target/conformance/cite/src
    main: str  # main class
    instance: str  # "demo" | "cite" | "csw": which server it runs against (run.py, LOADERS)
    target: str  # what it tests, for the report
    props: dict[str, str] = field(default_factory=dict)  # {base} is the server's URL
    classes: list[str] = field(default_factory=list)  # conformance classes claimed


SUITES = [
    Suite(
        id="ogcapi-features10",
        name="OGC API – Features 1.0 (Part 1 Core, Part 2 CRS by reference)",
        version="ets-ogcapi-features10 1.9",
        kind="testng",
        src="ets-ogcapi-features10-1.9",
        main="org.opengis.cite.ogcapifeatures10.TestNGController",
        instance="demo",
        target="/ogcapi, every collection of the demo",
        # -1: every collection, not the default first three.
        props={"iut": "{base}/ogcapi", "noofcollections": "-1"},
        classes=["Core", "GeoJSON", "Coordinate Reference Systems by Reference"],
    ),
    Suite(
        id="wms13",
        name="WMS 1.3.0",
        version="ets-wms13 1.34",
        kind="ctl",
        src="ets-wms13-1.34",
        main="org.opengis.cite.wms13.CtlController",
        instance="cite",
        target="/wms?VERSION=1.3.0, CITE WMS data set instance",
        # Option values are the option's name when claimed, "false" when not
        # (the suite's main form): no elevation or time dimension is claimed.
        props={
            "capabilities-url": "{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0",
            "updatesequence": "auto",
            "basic": "basic",
            "queryable": "queryable",
            "raster_elevation": "false",
            "vector_elevation": "false",
            "time": "false",
            "recommended": "recommended",
        },
        classes=["Data independent", "Data preconditions", "Basic (GetMap)", "Queryable (GetFeatureInfo)", "Recommendations"],
    ),
    Suite(
        id="wms11",
        name="WMS 1.1.1",
        version="ets-wms11 1.23",
        kind="ctl",
        src="ets-wms11-1.23",
        main="org.opengis.cite.etswms11.rest.CtlController",
        instance="cite",
        target="/wms?VERSION=1.1.1, CITE WMS data set instance",
        props={
            "capabilities-url": "{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1",
            "updatesequence": "auto",
            "profile": "queryable",
            "recommended": "true",
            "getfeatureinfo": "true",
            "feesconstraints": "true",
            "bboxconstraints": "either",
        },
        classes=["Basic", "Queryable (GetFeatureInfo)", "Recommendations"],
    ),
    Suite(
        id="wmts10",
        name="WMTS 1.0.0",
        version="ets-wmts10 1.11",
        kind="ctl",
        src="ets-wmts10-1.11",
        main="org.opengis.cite.wmts10.CtlController",
        instance="demo",
        target="/wmts, KVP and RESTful, the demo's imagery",
        props={"capabilities-url": "{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"},
        classes=["GetCapabilities (KVP)", "GetTile (KVP)", "RESTful GetCapabilities/GetTile (if implemented)"],
    ),
    Suite(
        id="wfs20",
        name="WFS 2.0 (ISO 19142:2010)",
        # Built from tag 1.43 with Geotk replaced (Apache SIS + JTS) and the
        # Temporal filter tests left out: conformance/README.md, "ets-wfs20".
        version="ets-wfs20 1.43 (patched, see conformance/README.md)",
        kind="testng",
        src="ets-wfs20-1.43",
        main="org.opengis.cite.iso19142.TestNGController",
        instance="demo",
        target="/wfs?VERSION=2.0.0, every feature type of the demo",
        # `wfs` is the only argument the suite reads (`iut` is a synonym; `fid`
        # and `ics` are declared but unused in 1.43). The suite picks the
        # conformance classes from the capabilities' constraints itself.
        props={"wfs": "{base}/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0"},
        classes=["Preconditions", "All GML application schemas", "GML application schemas defining features",
                 "Simple WFS", "Basic WFS", "Spatial filter (minimum)", "Response paging"],
    ),
    Suite(
        id="csw202",
        name="CSW 2.0.2 (OGC 07-006r1, clause 10)",
        version="ets-csw202 1.19",
        kind="ctl",
        src="ets-csw202-1.19",
        main="org.opengis.cite.csw20.CtlController",
        # Its own instance: the suite's counts and sort orders assume that the
        # catalogue holds its twelve reference records and nothing else
        # (conformance/README.md, "ets-csw202").
        instance="csw",
        target="/csw, the suite's 12 reference records (tests/fixtures/csw-cite)",
        # The only argument (main-auto.xml). The suite takes every other URL
        # from the capabilities: GetCapabilities and GetRecordById GET,
        # DescribeRecord and GetRecords POST.
        props={"capabilities.url": "{base}/csw?service=CSW&request=GetCapabilities&version=2.0.2"},
        classes=["Preconditions", "GetCapabilities (GET)", "DescribeRecord (POST)", "GetRecordById (GET)",
                 "GetRecords (POST)"],
    ),
]


def write_props(suite: Suite, base: str, path: str) -> None:
    # No DOCTYPE: java.util.Properties would fetch its DTD from java.sun.com.
    entries = "\n".join(
        f'  <entry key="{escape(k)}">{escape(v.format(base=base))}</entry>' for k, v in suite.props.items()
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<properties version="1.0">\n{entries}\n</properties>\n')


def command(suite: Suite, build: str, props: str, out: str, proxy_port: int, work: str) -> list[str]:
    src = os.path.join(build, "src", suite.src)
    cp = [os.path.join(src, "target", "classes"), os.path.join(src, "target", "deps", "*"),
          os.path.join(build, "extras", "jars", "*")]
    if suite.kind == "ctl":
        # TEAM Engine's CTL parser definitions must be files: unpacked resources first.
        cp.insert(0, os.path.join(build, "te-resources"))
    java = [
        "java",
        f"-Dhttp.proxyHost=127.0.0.1",
        f"-Dhttp.proxyPort={proxy_port}",
        "-Dhttp.nonProxyHosts=localhost|127.*",
        f"-DTE_BASE={os.path.join(work, 'te_base')}",
        f"-Djava.io.tmpdir={os.path.join(work, 'tmp')}",
        "-Djava.awt.headless=true",
        "-cp", os.pathsep.join(cp), suite.main,
    ]
    if suite.kind == "testng":
        return java + ["-o", out, props]
    return java + [props]


def run(suite: Suite, build: str, base: str, work: str, proxy_port: int, timeout: int = 900) -> dict:
    d = os.path.join(work, suite.id)
    os.makedirs(os.path.join(d, "out"), exist_ok=True)
    os.makedirs(os.path.join(d, "te_base"), exist_ok=True)
    os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
    props = os.path.join(d, "test-run-props.xml")
    write_props(suite, base, props)
    cmd = command(suite, build, props, os.path.join(d, "out"), proxy_port, d)
    with open(os.path.join(d, "console.log"), "w") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, cwd=d)
    result = {
        "id": suite.id,
        "family": "OGC CITE",
        "suite": suite.name,
        "version": suite.version,
        "target": suite.target,
        "classes": suite.classes,
        "tests": [],
    }
    if suite.kind == "testng":
        files = glob.glob(os.path.join(d, "out", "**", "testng-results.xml"), recursive=True)
        if not files:
            raise RuntimeError(f"{suite.id}: no testng-results.xml (exit {proc.returncode}, see {d}/console.log)")
        result["tests"] = parse_testng(max(files, key=os.path.getmtime))
    else:
        with open(os.path.join(d, "console.log"), errors="replace") as f:
            result["tests"] = parse_ctl(f.read())
        if not result["tests"]:
            raise RuntimeError(f"{suite.id}: no test result in the console (exit {proc.returncode}, see {d}/console.log)")
    return result


# ---------------------------------------------------------------- TestNG


_IDENTITY = re.compile(r"^[\w.$]+@[0-9a-f]+$")


def _short_param(text: str) -> str:
    text = " ".join(text.split())
    # ogcapi-features10 data providers print the server URL first: keep what varies.
    m = re.search(r"(?:Replacements|collectionId)[=:]\s*\{?([^}]*)\}?", text)
    if m:
        return m.group(1).strip()
    return text[:120]


def parse_testng(path: str) -> list[dict]:
    tests = []
    root = ET.parse(path).getroot()
    for test in root.iter("test"):
        klass_name = test.get("name", "")
        for cls in test.iter("class"):
            simple = cls.get("name", "").rsplit(".", 1)[-1]
            for m in cls.iter("test-method"):
                config = m.get("is-config") == "true"
                status = m.get("status", "")
                if config and status == "PASS":
                    continue  # set-up methods that worked are not tests
                params = [_short_param("".join(v.itertext())) for v in m.iter("value")]
                # Injected objects (ets-wfs20's ITestContext parameters) print as
                # Class@hash, which changes every run: not part of a stable name.
                params = [v for v in params if not _IDENTITY.match(v)]
                name = f"{simple}.{m.get('name')}"
                if params:
                    name += f"[{', '.join(params)}]"
                msg = ""
                exc = m.find("exception")
                if exc is not None:
                    em = exc.find("message")
                    msg = " ".join(("".join(em.itertext()) if em is not None else exc.get("class", "")).split())
                tests.append(
                    {
                        "name": name,
                        "class": klass_name,
                        "status": {"PASS": "passed", "FAIL": "failed", "SKIP": "skipped"}.get(status, status.lower()),
                        "message": msg[:400],
                        "config": config,
                    }
                )
    return tests


# ---------------------------------------------------------------- CTL

_RESULT = re.compile(
    r"^\s*Test (\S+) (Passed|Failed - Inherited|Failed|Skipped - Prerequisites not satisfied|Skipped.*|Warning.*|"
    r"Not Tested.*|Best Practice.*|Continue.*)\s*$"
)
_NOISE = re.compile(r"^\s*(Assertion:|[A-Z][a-z]{2} \d+, \d{4}|SEVERE|INFO|WARNING|See the detail|\*+$)")


def parse_ctl(console: str) -> list[dict]:
    """One entry per `Test NAME RESULT` line, with the lines the test printed
    before it as the message. TEAM Engine marks a test whose failure comes only
    from a subtest as "Failed - Inherited": kept, as status "inherited", so that
    it is counted once, at the subtest that failed."""
    tests, buf = [], []
    for ln in console.splitlines():
        m = _RESULT.match(ln)
        if m and not ln.lstrip().startswith("Testing"):
            name, res = m.group(1), m.group(2)
            if res == "Passed" or res.startswith("Best Practice") or res.startswith("Continue"):
                status = "passed"
            elif res == "Failed - Inherited":
                status = "inherited"
            elif res.startswith("Failed"):
                status = "failed"
            elif res.startswith("Warning"):
                status = "passed"
            else:
                status = "skipped"
            msgs = [b.strip() for b in buf if b.strip() and not _NOISE.match(b)]
            tests.append(
                {
                    "name": name,
                    "class": name.split(":")[0] if ":" in name else "",
                    "status": status,
                    "message": " | ".join(dict.fromkeys(msgs))[:400] if status != "passed" else "",
                }
            )
            buf = []
        elif ln.lstrip().startswith("Testing "):
            buf = []
        else:
            buf.append(ln)
    return tests
