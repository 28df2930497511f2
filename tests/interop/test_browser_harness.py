"""The browser-test harness (tests/browser/) draws real pixels in Debian's chromium.

Runs `node tests/browser/selftest.mjs --json` once, against a Python http.server started here
on 127.0.0.1:0 that serves tests/browser/fixtures/selftest/ (style.json + shapes.geojson), and
asserts on its one JSON result: WebGL is available (SwiftShader, no GPU), MapLibre GL JS draws
an inline GeoJSON polygon/line/circle in the expected colours over a white background, fetches
the style and its GeoJSON from the 127.0.0.1 server (seen in that server's own log), and the
browser reaches nothing but 127.0.0.1. Screenshots go to $GEOCENTRE_ARTIFACTS (default
target/test-artifacts/browser).

Needs chromium, node and tests/browser/node_modules: scripts/install-deps.sh --test. A missing
one FAILS these tests (never skips them).
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

import pytest

from helpers import REPO_ROOT, child_env, describe_proc, parse_single_json

BROWSER = REPO_ROOT / "tests" / "browser"
FIXTURES = BROWSER / "fixtures" / "selftest"
CHROMIUM = os.environ.get("GEOCENTRE_CHROMIUM", "/usr/bin/chromium")
INSTALL = "run scripts/install-deps.sh --test"
CASES = ["inline", "http", "network"]


def _require_tools():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"chromium not found at {CHROMIUM} (Debian package `chromium`): {INSTALL}", pytrace=False)
    if shutil.which("node") is None:
        pytest.fail(f"node not found on PATH (Debian packages `nodejs npm`): {INSTALL}", pytrace=False)
    for pkg in ("playwright-core", "maplibre-gl"):
        if not (BROWSER / "node_modules" / pkg / "package.json").is_file():
            pytest.fail(f"tests/browser/node_modules/{pkg} missing (npm ci --prefix tests/browser): {INSTALL}",
                        pytrace=False)


class _LoggingHandler(http.server.SimpleHTTPRequestHandler):
    log = None  # set per server: list of {"path", "status", "user_agent"}

    def log_request(self, code="-", size="-"):
        self.log.append({"path": self.path, "status": int(code) if str(code).isdigit() else code,
                         "user_agent": self.headers.get("User-Agent", "")})

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def selftest(tmp_path_factory):
    """(proc, result, server_log, base) of one selftest.mjs run against a server started here."""
    _require_tools()
    log = []
    handler = type("Handler", (_LoggingHandler,), {"log": log})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(FIXTURES)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        proc = subprocess.run(["node", str(BROWSER / "selftest.mjs"), "--json", "--http-base", base, "--timeout", "150"],
                              capture_output=True, text=True, timeout=180, cwd=REPO_ROOT, env=child_env())
    finally:
        httpd.shutdown()
        httpd.server_close()
    result = parse_single_json(proc)
    return proc, result, log, base


def _case(result, name):
    for c in result.get("cases", []):
        if c["name"] == name:
            return c
    raise AssertionError(f"no case {name!r} in the self-test result (error: {result.get('error')})")


def _failed(case):
    return [c for c in case["checks"] if not c["ok"]]


def test_selftest_passes(selftest):
    proc, result, _, _ = selftest
    assert "error" not in result, describe_proc(proc, f"self-test raised: {result.get('error')}")
    assert result["ok"] is True and proc.returncode == 0, describe_proc(proc, "self-test not ok")


def test_webgl_is_swiftshader(selftest):
    _, result, _, _ = selftest
    webgl = result.get("webgl") or {}
    assert webgl.get("webgl") and webgl.get("webgl2"), f"no WebGL context in chromium: {webgl}"
    assert "SwiftShader" in webgl["webgl"], f"WebGL is not on SwiftShader (flags {result.get('flags')}): {webgl}"


def test_installed_versions_are_the_locked_ones(selftest):
    _, result, _, _ = selftest
    lock = json.loads((BROWSER / "package-lock.json").read_text())
    for pkg in ("playwright-core", "maplibre-gl"):
        locked = lock["packages"][f"node_modules/{pkg}"]["version"]
        assert result["versions"][pkg] == locked, \
            f"{pkg} {result['versions'][pkg]} installed, {locked} locked: {INSTALL}"


@pytest.mark.parametrize("name", CASES)
def test_case(selftest, name):
    _, result, _, _ = selftest
    case = _case(result, name)
    assert "error" not in case, f"case {name} raised: {case['error']}\nscreenshots: {case.get('failure_screenshots')}"
    bad = _failed(case)
    assert case["ok"] and not bad, f"case {name}: failed checks:\n" + "\n".join(
        f"- {c['name']}: {json.dumps(c['detail'])[:1500]}" for c in bad)


def _check(case, prefix):
    found = [c for c in case["checks"] if c["name"].startswith(prefix)]
    assert found, f"no check starting with {prefix!r} in case {case['name']}"
    return found[0]


def test_http_polygon_has_the_served_fill_colour(selftest):
    """The colour comes from the style this test served, not from what selftest.mjs expects."""
    _, result, _, _ = selftest
    style = json.loads((FIXTURES / "style.json").read_text())
    paint = {l["id"]: l.get("paint", {}) for l in style["layers"]}
    case = _case(result, "http")
    poly = _check(case, "polygon interior")["detail"]
    assert poly["count"] > 1000, f"polygon region too small: {poly}"
    assert poly["top"][0]["colour"] == paint["polygon"]["fill-color"].lower() and poly["top"][0]["fraction"] >= 0.98, \
        f"polygon pixels {poly['top']}, style fill-color {paint['polygon']['fill-color']}"
    outside = _check(case, "left of the polygon")["detail"]
    assert outside["top"][0]["colour"] == paint["background"]["background-color"].lower(), \
        f"outside pixels {outside['top']}, background {paint['background']['background-color']}"


def test_inline_pixels(selftest):
    """Red inside the inline polygon, white outside, from the measured statistics."""
    _, result, _, _ = selftest
    case = _case(result, "inline")
    poly = _check(case, "polygon interior")["detail"]
    outside = _check(case, "left of the polygon")["detail"]
    assert poly["count"] > 1000 and poly["top"][0]["colour"] == "#ff0000" and poly["top"][0]["fraction"] >= 0.98, \
        f"inline polygon is not red: {poly}"
    assert outside["top"][0]["colour"] == "#ffffff" and outside["top"][0]["fraction"] >= 0.98, \
        f"outside the inline polygon is not white: {outside}"


def test_chromium_fetched_from_the_local_server(selftest):
    _, result, log, base = selftest
    got = {e["path"]: e for e in log}
    for p in ("/style.json", "/shapes.geojson"):
        assert p in got, f"{base}{p} never requested; server saw {[e['path'] for e in log]}"
        assert got[p]["status"] == 200, f"{p}: HTTP {got[p]['status']}"
        assert "Chrome" in got[p]["user_agent"], f"{p} requested by {got[p]['user_agent']!r}, not chromium"
    assert _case(result, "http")["origin"] == base


def test_screenshots_are_png_artefacts(selftest):
    """The PNG artefacts exist and, decoded with Pillow (not the harness's own decoder), show the
    same colours as the harness measured."""
    from PIL import Image

    _, result, _, _ = selftest
    for name in ("inline", "http"):
        case = _case(result, name)
        shot = case.get("screenshot")
        assert shot, f"case {name}: no screenshot path"
        assert Path(shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG"
        with Image.open(shot) as im:
            im = im.convert("RGB")
            assert im.size == (512, 512), f"{shot}: {im.size}"
            for check in ("polygon interior", "left of the polygon"):
                d = _check(case, check)["detail"]
                r = d["rect"]
                centre = (r["x"] + r["width"] // 2, r["y"] + r["height"] // 2)
                want = d["top"][0]["colour"]
                got = "#%02x%02x%02x" % im.getpixel(centre)
                assert got == want, f"{shot} at {centre} ({check}): Pillow reads {got}, the harness {want}"
