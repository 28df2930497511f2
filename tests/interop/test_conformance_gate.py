"""The gate of `make conformance` (conformance/report.py): a failure that
conformance/known-failures.toml does not explain fails the run, an entry
that explains nothing any more is reported, and the result parsers read the
suites' real output formats. The suites themselves run in `make conformance`."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "conformance"))

import cite  # noqa: E402
import report  # noqa: E402


def _result(*tests):
    return {"id": "wms13", "family": "OGC CITE", "suite": "WMS 1.3.0", "version": "v", "target": "t",
            "tests": [{"name": n, "status": s, "message": "m"} for n, s in tests]}


def test_an_unexplained_failure_fails_and_an_explained_one_does_not():
    r = _result(("getmap:a", "passed"), ("getmap:b", "failed"), ("getmap:c", "failed"))
    known = [{"suite": "wms13", "test": "getmap:b", "reason": "x"}]
    table, unexplained, stale = report.evaluate([r], known)
    assert unexplained == ["wms13: getmap:c: m"]
    assert stale == []
    assert " 2 " in table.splitlines()[1] and " 1 " in table.splitlines()[1]


def test_patterns_apply_to_their_suite_only():
    r = _result(("getmap:b", "failed"))
    _, unexplained, _ = report.evaluate([r], [{"suite": "wms11", "test": "getmap:*", "reason": "x"}])
    assert unexplained, "an entry of another suite must not explain a failure"
    _, unexplained, _ = report.evaluate([r], [{"suite": "wms13", "test": "getmap:*", "reason": "x"}])
    assert not unexplained


def test_an_entry_that_explains_nothing_is_stale():
    r = _result(("getmap:b", "passed"))
    _, unexplained, stale = report.evaluate([r], [{"suite": "wms13", "test": "getmap:b", "reason": "x"}])
    assert not unexplained and stale == ["wms13: getmap:b"]


def test_every_known_failure_has_suite_test_and_reason():
    known = report.load_known(str(ROOT / "conformance" / "known-failures.toml"))
    assert known, "the list is read"
    ids = {s.id for s in cite.SUITES}
    for k in known:
        assert k["suite"] in ids or k["suite"].startswith("inspire-"), k
        assert len(k["reason"]) > 40, k


def test_ctl_console_is_read_as_teamengine_prints_it():
    console = textwrap.dedent("""\
        Testing main:getcapabilities type Mandatory in Test Mode with defaultResult Pass (s1)...
           Assertion: x
           Error: The Style default is redefined in Layer a
        Test getcapabilities:style-unique Failed
        Test main:getcapabilities Failed - Inherited
        Test getmap:bgcolor Passed
        Test recommendations:x Skipped - Prerequisites not satisfied
        """)
    tests = {t["name"]: t for t in cite.parse_ctl(console)}
    assert tests["getcapabilities:style-unique"]["status"] == "failed"
    assert "redefined" in tests["getcapabilities:style-unique"]["message"]
    assert tests["main:getcapabilities"]["status"] == "inherited"
    assert tests["getmap:bgcolor"]["status"] == "passed"
    assert tests["recommendations:x"]["status"] == "skipped"


def test_testng_results_are_read_with_their_class_and_parameters(tmp_path):
    f = tmp_path / "testng-results.xml"
    f.write_text(textwrap.dedent("""\
        <testng-results total="2" passed="1" failed="1" skipped="0">
         <suite name="s"><test name="Core"><class name="org.x.FeaturesBBox">
          <test-method is-config="true" name="init" status="PASS"/>
          <test-method name="bbox" status="FAIL">
           <params><param index="0"><value><![CDATA[Server URL: u, Path: p, Replacements: {collectionId=admin.region}]]></value></param></params>
           <exception class="java.lang.AssertionError"><message><![CDATA[expected [true]]]></message></exception>
          </test-method>
          <test-method is-config="true" name="setUp" status="FAIL"/>
         </class></test></suite></testng-results>"""))
    tests = cite.parse_testng(str(f))
    assert [(t["name"], t["status"], t["class"]) for t in tests] == [
        ("FeaturesBBox.bbox[collectionId=admin.region]", "failed", "Core"),
        ("FeaturesBBox.setUp", "failed", "Core"),
    ]
    assert tests[0]["message"] == "expected [true]"
    c = report.counts({"tests": tests})
    assert c["failed"] == 2 and c["config_failed"] == 1
