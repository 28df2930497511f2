"""Bounds on key-value-pair requests (WMTS, WMS, WFS): at most 100 parameters
and 8,192 characters per value. Past either bound the request is refused
with the service's exception report (code InvalidParameterValue, validated
against the official schema; HTTP 400, but 200 for WMS, whose reports are
answered so: docs/conformance-choices.md), whatever the request would have been;
at the bound it is served.

Each request is a GetCapabilities, which ignores parameters it does not know:
without the bounds the padded request would be answered with capabilities, so
a refusal can only come from the bounds. The padding names and values are
plain letters (no URL escaping, no case folding between them).
"""
from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

import pytest

import helpers

MAX_PARAMS = 100
MAX_VALUE = 8192

SERVICES = {
    "WMTS": ("/wmts", [("SERVICE", "WMTS"), ("REQUEST", "GetCapabilities")]),
    "WMS": ("/wms", [("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetCapabilities")]),
    "WFS": ("/wfs", [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetCapabilities")]),
}
CAPS_ROOT = {
    "WMTS": "{http://www.opengis.net/wmts/1.0}Capabilities",
    "WMS": "{http://www.opengis.net/wms}WMS_Capabilities",
    "WFS": "{http://www.opengis.net/wfs/2.0}WFS_Capabilities",
}


def request(env, service, extra):
    path, base = SERVICES[service]
    return env.server.get(path + "?" + urllib.parse.urlencode(base + extra))


def padding(service, total):
    """Distinct extra parameters bringing the request to `total` parameters."""
    n = total - len(SERVICES[service][1])
    return [(f"PAD{i:03d}", "x") for i in range(n)]


def assert_capabilities(r, service):
    assert r.status_code == 200, (service, r.status_code, r.text[:500])
    assert ET.fromstring(r.content).tag == CAPS_ROOT[service], r.text[:300]


def exceptions(r, service, tmp_path):
    """(code, locator) pairs of a validated exception report (HTTP 400, but
    200 for WMS, whose reports are answered as MapServer and GeoServer do)."""
    assert r.status_code == (200 if service == "WMS" else 400), (service, r.status_code, r.text[:500])
    ok, out = helpers.validate_xml(r.content, tmp_path, f"{service}-kvp-exc.xml")
    assert ok, f"{service}: exception report invalid:\n{out}\n{r.text[:1000]}"
    root = ET.fromstring(r.content)
    if service == "WMS":
        assert root.tag == "{http://www.opengis.net/ogc}ServiceExceptionReport", root.tag
        return [(e.get("code"), e.get("locator")) for e in root.findall("{http://www.opengis.net/ogc}ServiceException")]
    _, excs = helpers.parse_exception_report(r.content)
    return [(e["code"], e["locator"]) for e in excs]


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_one_hundred_parameters_are_served(env, service):
    extra = padding(service, MAX_PARAMS)
    assert len(SERVICES[service][1]) + len(extra) == MAX_PARAMS
    assert_capabilities(request(env, service, extra), service)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_more_than_one_hundred_parameters_are_refused(env, service, tmp_path):
    for total in (MAX_PARAMS + 1, 300):
        got = exceptions(request(env, service, padding(service, total)), service, tmp_path)
        assert got == [("InvalidParameterValue", "request")], (service, total, got)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_value_of_8192_characters_is_served(env, service):
    assert_capabilities(request(env, service, [("PAD", "v" * MAX_VALUE)]), service)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_value_over_8192_characters_is_refused(env, service, tmp_path):
    for n in (MAX_VALUE + 1, 3 * MAX_VALUE):
        got = exceptions(request(env, service, [("PAD", "v" * n)]), service, tmp_path)
        # The locator names the parameter, as the client sent it.
        assert got == [("InvalidParameterValue", "PAD")], (service, n, got)
