"""Strict answers to bad values (issue 13 §4; review red-team-2026-12-07,
findings F10, F11, F12, F15, F16, F17).

Each value below was once answered 200 (or 500) where a client error was due.
Every refusal is checked as a client sees it: HTTP 400 and the exception
format of the service and version asked (WMS ServiceExceptionReport with its
code, WFS 2.0 OWS 1.1 / WFS 1.1.0 OWS 1.0.0 ExceptionReport with
exceptionCode and locator, validated against the OFFICIAL schemas; OGC API
problem+json). Each refusal has a control beside it: the same request with a
good value is served, so a refusal can only come from the value.

Data: the REAL communes of data/admin (GeoJSON, EPSG:4326), the REAL RVB
tile (ortho layer `ign`, 2021), and a DERIVED GeoJSON of three dated points
(a Date field, so that `datetime` applies).
"""
from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import requests

import cluster
import helpers
from helpers import Server, describe_proc, ingest

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
T = "admin.communes_centre_val_de_loire"
DATED = "t.dates"
OWS11 = "http://www.opengis.net/ows/1.1"
OWS10 = "http://www.opengis.net/ows"
OGC = "http://www.opengis.net/ogc"
# Every pair of a query counts toward the cap (F17), distinct or not.
MAX_PARAMS = 100


@pytest.fixture(scope="module")
def srv(geocentre_bin, rvb, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("strict")
    data = tmp / "data"
    dated = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": n, "date_leve": d},
         "geometry": {"type": "Point", "coordinates": [1.9 + i * 0.01, 47.9]}}
        for i, (n, d) in enumerate([("a", "2019-03-01"), ("b", "2020-02-29"), ("c", "2021-06-15")])]}
    (tmp / "dates.geojson").write_text(json.dumps(dated))  # DERIVED test data
    for args in (["--dataset", "admin", str(COMMUNES)], ["--dataset", "t", str(tmp / "dates.geojson")]):
        proc = helpers.run_cli(["vector", "ingest", *args], data_dir=data)
        assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    proc, _ = ingest(data, "ign", 2021, [rvb["path"]])
    assert proc.returncode == 0, describe_proc(proc, "ortho ingest of the real tile")
    config = tmp / "geocentre.toml"
    # JSON log lines: each has its level, which the 501 test reads.
    config.write_text('[log]\nformat = "json"\n')
    s = Server(data_dir=data, log_path=tmp / "server.log").start(config=config)
    yield {"srv": s, "tmp": tmp, "log": tmp / "server.log", "rvb": rvb}
    s.stop()


def get(srv, path, params):
    """GET with the query written exactly as given (a list of pairs, or a raw string)."""
    q = params if isinstance(params, str) else urllib.parse.urlencode(params)
    return srv["srv"].get(f"{path}?{q}")


def wfs(srv, version, **params):
    return get(srv, "/wfs", {"SERVICE": "WFS", "VERSION": version, **params})


def wfs_post(srv, body):
    return requests.post(srv["srv"].url("/wfs"), data=body.encode(), timeout=60,
                         headers={"Content-Type": "text/xml"})


def type_key(version):
    return "TYPENAMES" if version == "2.0.0" else "TYPENAME"


def ows_exception(r, version, tmp_path, name="exc.xml"):
    """[(exceptionCode, locator)] of a WFS exception report in the format of
    `version`, validated against the official OWS schema; HTTP 400."""
    assert r.status_code == 400, (version, r.status_code, r.text[:500])
    if version == "2.0.0":
        ok, out = helpers.validate_xml(r.content, tmp_path, name)
        ns = OWS11
    else:
        ok, out = helpers.validate_ows10_exception(r.content, tmp_path, name)
        ns = OWS10
    assert ok, f"{version} exception report invalid:\n{out}\n{r.text[:800]}"
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{ns}}}ExceptionReport", (version, root.tag)
    return [(e.get("exceptionCode"), e.get("locator")) for e in root.findall(f"{{{ns}}}Exception")]


def wms_exception(r, version, tmp_path, name="wms-exc.xml"):
    """[(code, locator)] of a WMS ServiceExceptionReport (1.3.0: its XSD,
    1.1.1: its DTD), HTTP 200 (WMS reports, as MapServer and GeoServer
    answer them; docs/conformance-choices.md)."""
    assert r.status_code == 200, (version, r.status_code, r.text[:500])
    if version == "1.3.0":
        ok, out = helpers.validate_xml(r.content, tmp_path, name)
        ns = f"{{{OGC}}}"
    else:
        p = tmp_path / name
        p.write_bytes(r.content)
        dtd = helpers.SCHEMAS / "ogc/wms/1.1.1/exception_1_1_1.dtd"
        v = subprocess.run(["xmllint", "--noout", "--nonet", "--dtdvalid", str(dtd), str(p)],
                           capture_output=True, text=True, timeout=60)
        ok, out = v.returncode == 0, v.stderr
        ns = ""
    assert ok, f"WMS {version} exception report invalid:\n{out}\n{r.text[:800]}"
    root = ET.fromstring(r.content)
    assert root.tag == f"{ns}ServiceExceptionReport", root.tag
    return [(e.get("code"), e.get("locator")) for e in root.findall(f"{ns}ServiceException")]


def wms_expect(version, code, locator):
    """What a WMS report says: 1.1.1's DTD declares no locator attribute."""
    return [(code, locator if version == "1.3.0" else None)]


def problem(r):
    """The detail of an OGC API problem+json 400."""
    assert r.status_code == 400, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    body = r.json()
    assert body["status"] == 400 and body["detail"], body
    return body["detail"]


def names(r):
    assert r.status_code == 200, r.text[:500]
    return sorted(f["properties"]["nom"] for f in r.json()["features"])


# --------------------------------------------------------------- F10: OGC API parameter cap

def test_ogcapi_items_caps_query_parameters(srv):
    path = f"/ogcapi/collections/{T}/items"
    # At the cap (limit + 99 equal filters) the answer is right: one Tours.
    r = get(srv, path, "limit=1&" + "&".join(["nom=Tours"] * (MAX_PARAMS - 1)))
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["numberMatched"] == 1 and [f["properties"]["nom"] for f in body["features"]] == ["Tours"], \
        {k: body[k] for k in ("numberMatched", "numberReturned")}
    # Past it, a problem+json 400, never a count (u64::MAX was -1 from OGR).
    for n in (MAX_PARAMS, 1001, 3000):
        r = get(srv, path, "limit=1&" + "&".join(["nom=Tours"] * n))
        assert "parameters" in problem(r), n
    # Every OGC API resource counts its query the same way.
    for p in ("/ogcapi", "/ogcapi/collections", f"/ogcapi/collections/{T}", f"{path}/1"):
        r = get(srv, p, "&".join(["f=json"] * (MAX_PARAMS + 1)))
        problem(r)
        assert get(srv, p, "f=json").status_code == 200, p


# --------------------------------------------------------------- F11: BBOX in an unknown CRS

@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
@pytest.mark.parametrize("crs", ["EPSG:999999", "urn:ogc:def:crs:EPSG::999999"])
def test_wfs_bbox_in_an_unknown_crs_is_invalid(srv, tmp_path, version, crs):
    # Control: the same box in a known CRS is served.
    ok = wfs(srv, version, REQUEST="GetFeature", COUNT="2", MAXFEATURES="2", OUTPUTFORMAT="application/json",
             BBOX="1.8,47.8,2.0,48.0,EPSG:4326", **{type_key(version): T})
    assert ok.status_code == 200, ok.text[:300]
    r = wfs(srv, version, REQUEST="GetFeature", COUNT="2", BBOX=f"1,2,3,4,{crs}", **{type_key(version): T})
    assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", "BBOX")]


@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
def test_filter_geometry_in_an_unknown_crs_is_invalid(srv, tmp_path, version):
    """The same class through another carrier: a filter's envelope."""
    if version == "2.0.0":
        f = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">'
             '<fes:BBOX><gml:Envelope srsName="{srs}"><gml:lowerCorner>47.8 1.8</gml:lowerCorner>'
             '<gml:upperCorner>48.0 2.0</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>')
    else:
        f = ('<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml">'
             '<ogc:BBOX><gml:Envelope srsName="{srs}"><gml:lowerCorner>47.8 1.8</gml:lowerCorner>'
             '<gml:upperCorner>48.0 2.0</gml:upperCorner></gml:Envelope></ogc:BBOX></ogc:Filter>')
    good = wfs(srv, version, REQUEST="GetFeature", OUTPUTFORMAT="application/json",
               FILTER=f.format(srs="urn:ogc:def:crs:EPSG::4326"), **{type_key(version): T})
    assert good.status_code == 200 and good.json()["features"], good.text[:300]
    r = wfs(srv, version, REQUEST="GetFeature", FILTER=f.format(srs="urn:ogc:def:crs:EPSG::999999"),
            **{type_key(version): T})
    assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", "FILTER")]


# --------------------------------------------------------------- F12: bad BBOX values

BAD_BOXES = ["700000,6800000,600000,6700000",  # inverted
             "2.0,48.0,1.8,47.8",
             "NaN,NaN,NaN,NaN",
             "-inf,-inf,inf,inf",
             "-1e400,-1e400,1e400,1e400",
             "1.8,47.8,inf,48.0"]


@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
@pytest.mark.parametrize("box", BAD_BOXES)
def test_wfs_bbox_must_be_finite_and_ordered(srv, tmp_path, version, box):
    for suffix in ("", ",EPSG:4326"):
        r = wfs(srv, version, REQUEST="GetFeature", COUNT="2", MAXFEATURES="2",
                OUTPUTFORMAT="application/json", BBOX=box + suffix, **{type_key(version): T})
        assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", "BBOX")], (box, suffix)


@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
def test_wfs_good_bbox_is_served(srv, version):
    # 2.0's EPSG:4326 is latitude first; 1.1's short form is x/y.
    box = "47.8,1.8,48.0,2.0,EPSG:4326" if version == "2.0.0" else "1.8,47.8,2.0,48.0,EPSG:4326"
    r = wfs(srv, version, REQUEST="GetFeature", OUTPUTFORMAT="application/json", BBOX=box,
            **{type_key(version): T})
    assert r.status_code == 200 and 0 < len(r.json()["features"]) < 1776, r.text[:300]


@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
@pytest.mark.parametrize("corners", [("48.0 2.0", "47.8 1.8"), ("NaN NaN", "NaN NaN"), ("-inf -inf", "inf inf"),
                                     ("-1e400 -1e400", "1e400 1e400")])
def test_post_filter_envelope_must_be_finite_and_ordered(srv, tmp_path, version, corners):
    lo, hi = corners
    if version == "2.0.0":
        body = ('<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
                'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">'
                f'<wfs:Query typeNames="{T}"><fes:Filter><fes:BBOX><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">'
                '<gml:lowerCorner>{lo}</gml:lowerCorner><gml:upperCorner>{hi}</gml:upperCorner>'
                '</gml:Envelope></fes:BBOX></fes:Filter></wfs:Query></wfs:GetFeature>')
    else:
        body = ('<wfs:GetFeature service="WFS" version="1.1.0" outputFormat="application/json" '
                'xmlns:wfs="http://www.opengis.net/wfs" '
                'xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml">'
                f'<wfs:Query typeName="{T}"><ogc:Filter><ogc:BBOX><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">'
                '<gml:lowerCorner>{lo}</gml:lowerCorner><gml:upperCorner>{hi}</gml:upperCorner>'
                '</gml:Envelope></ogc:BBOX></ogc:Filter></wfs:Query></wfs:GetFeature>')
    good = wfs_post(srv, body.format(lo="47.8 1.8", hi="48.0 2.0"))
    assert good.status_code == 200, good.text[:300]
    r = wfs_post(srv, body.format(lo=lo, hi=hi))
    assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", "FILTER")], corners


# --------------------------------------------------------------- F16: 1.1.0 POST that fails to parse

BROKEN_11 = [
    f'<wfs:GetFeature service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"><wfs:Query typeName="nope">',
    f'<?xml version="1.0"?>\n<!-- a comment -->\n<GetFeature version="1.1.0"><Query typeName="{T}"></Quer></GetFeature>',
    "<wfs:GetFeature version='1.1.0' service='WFS' xmlns:wfs='http://www.opengis.net/wfs'><wfs:Query typeName='a'/>"
    "</wfs:GetFeature><wfs:GetFeature/>",
]


@pytest.mark.parametrize("body", BROKEN_11)
def test_wfs11_post_that_fails_to_parse_gets_the_ows10_report(srv, tmp_path, body):
    r = wfs_post(srv, body)
    got = ows_exception(r, "1.1.0", tmp_path)
    assert got and got[0][0] == "InvalidParameterValue", got


def test_wfs20_post_that_fails_to_parse_keeps_the_ows11_report(srv, tmp_path):
    """Control: the same broken body declaring 2.0.0 (or nothing) is answered in OWS 1.1."""
    for body in (BROKEN_11[0].replace('version="1.1.0"', 'version="2.0.0"'),
                 BROKEN_11[0].replace(' version="1.1.0"', "")):
        got = ows_exception(wfs_post(srv, body), "2.0.0", tmp_path)
        assert got and got[0][0] == "InvalidParameterValue", got


def test_wfs11_post_with_a_doctype_is_still_refused(srv, tmp_path):
    """The version sniffing reads no DTD: a DOCTYPE before the root is refused as before."""
    body = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<wfs:GetFeature service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs">'
            '<wfs:Query typeName="&e;"/></wfs:GetFeature>')
    r = wfs_post(srv, body)
    assert r.status_code == 400 and "root:" not in r.text, r.text[:400]
    assert "ExceptionReport" in r.text


# --------------------------------------------------------------- F17: impossible dates, inverted intervals

def test_ogcapi_datetime_valid_values_are_served(srv):
    path = f"/ogcapi/collections/{DATED}/items"
    assert names(get(srv, path, {"datetime": "2020-02-29"})) == ["b"]
    assert names(get(srv, path, {"datetime": "2019-01-01/2020-12-31"})) == ["a", "b"]
    assert names(get(srv, path, {"datetime": "2020-02-29/2020-02-29"})) == ["b"]
    assert names(get(srv, path, {"datetime": "../2019-12-31"})) == ["a"]
    assert names(get(srv, path, {"datetime": "2021-01-01T00:00:00Z/.."})) == ["c"]


@pytest.mark.parametrize("dt", ["2019-13-45", "0000-00-00", "2019-02-29", "2021-04-31", "2019-00-10",
                                "2021-01-01/2019-01-01", "2021-01-01T00:00:00Z/2020-12-31T23:59:59Z",
                                "2020-01-01T25:00:00Z", "2020-01-01T12:60:00Z", "2020-01-01T12:00:00+24:00",
                                "2019-13-45/..", "../2019-02-30"])
def test_ogcapi_datetime_impossible_or_inverted_is_refused(srv, dt):
    r = get(srv, f"/ogcapi/collections/{DATED}/items", {"datetime": dt})
    assert "datetime" in problem(r), dt


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_wms_time_must_be_a_real_date(srv, tmp_path, version):
    b = srv["rvb"]["bbox"]
    base = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetMap", "LAYERS": "ign", "STYLES": "",
            ("CRS" if version == "1.3.0" else "SRS"): "EPSG:2154", "BBOX": ",".join(map(repr, b)),
            "WIDTH": "64", "HEIGHT": "64", "FORMAT": "image/png"}
    for t in ("2021", "2021-06-01", "2021-06-01T10:00:00Z", "current"):
        r = get(srv, "/wms", {**base, "TIME": t})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/png"), (t, r.text[:300])
    for t in ("2021-13-45", "0000-00-00", "2021-02-29", "2021-01-01/2019-01-01", "2021-06-01T24:30:00Z", "2021-xx"):
        got = wms_exception(get(srv, "/wms", {**base, "TIME": t}), version, tmp_path)
        assert got == wms_expect(version, "InvalidDimensionValue", "TIME"), (t, got)


def test_wmts_time_must_be_a_real_date(srv, tmp_path):
    x = (srv["rvb"]["bbox"][0] + srv["rvb"]["bbox"][2]) / 2
    y = (srv["rvb"]["bbox"][1] + srv["rvb"]["bbox"][3]) / 2
    row, col = helpers.l93_tile_of(20, x, y)
    q = {"SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0", "LAYER": "ign", "STYLE": "default",
         "FORMAT": "image/jpeg", "TILEMATRIXSET": helpers.L93_TMS, "TILEMATRIX": "20",
         "TILEROW": str(row), "TILECOL": str(col)}
    assert get(srv, "/wmts", {**q, "TIME": "2021"}).status_code == 200
    assert get(srv, "/wmts", {**q, "TIME": "2021-06-01"}).status_code == 200
    for t in ("2021-13-45", "0000-00-00", "2021-02-30", "2021-01-01/2019-01-01"):
        got = ows_exception(get(srv, "/wmts", {**q, "TIME": t}), "2.0.0", tmp_path, "wmts-exc.xml")
        assert got == [("InvalidParameterValue", "Time")], (t, got)
    rest = f"/wmts/1.0.0/ign/default/{{t}}/{helpers.L93_TMS}/20/{row}/{col}.jpg"
    assert srv["srv"].get(rest.format(t="2021")).status_code == 200
    r = srv["srv"].get(rest.format(t="2021-13-45"))
    assert ows_exception(r, "2.0.0", tmp_path, "wmts-rest-exc.xml") == [("InvalidParameterValue", "Time")]


# --------------------------------------------------------------- F17: invalid UTF-8 after percent-decoding

BAD_UTF8 = ["%FF", "%C0%AF", "Orl%E9ans", "%ED%A0%80"]


@pytest.mark.parametrize("raw", BAD_UTF8)
def test_ogcapi_invalid_utf8_is_refused(srv, raw):
    path = f"/ogcapi/collections/{T}/items"
    assert names(get(srv, path, "nom=Orl%C3%A9ans")) == ["Orléans"]  # control: UTF-8 is read
    assert "UTF-8" in problem(get(srv, path, f"nom={raw}")), raw
    # A name is a value too.
    problem(get(srv, path, f"{raw}=1"))


@pytest.mark.parametrize("raw", BAD_UTF8)
def test_kvp_invalid_utf8_is_refused(srv, tmp_path, raw):
    r = get(srv, "/wms", f"SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities&LAYERS={raw}")
    assert wms_exception(r, "1.3.0", tmp_path) == [("InvalidParameterValue", "LAYERS")]
    r = get(srv, "/wms", f"SERVICE=WMS&VERSION=1.1.1&REQUEST=GetCapabilities&LAYERS={raw}")
    assert wms_exception(r, "1.1.1", tmp_path) == wms_expect("1.1.1", "InvalidParameterValue", "LAYERS")
    r = get(srv, "/wmts", f"SERVICE=WMTS&REQUEST=GetCapabilities&LAYER={raw}")
    assert ows_exception(r, "2.0.0", tmp_path) == [("InvalidParameterValue", "LAYER")]
    for version in ("2.0.0", "1.1.0"):
        r = get(srv, "/wfs", f"SERVICE=WFS&VERSION={version}&REQUEST=GetFeature&{type_key(version)}={raw}")
        assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", type_key(version))], version
    # Control: the same requests with good UTF-8.
    ok = get(srv, "/wfs", f"SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES={T}&COUNT=1"
                          f"&OUTPUTFORMAT=application/json&FILTER=" + urllib.parse.quote(
                              '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
                              '<fes:ValueReference>nom</fes:ValueReference><fes:Literal>Orléans</fes:Literal>'
                              '</fes:PropertyIsEqualTo></fes:Filter>'))
    assert names(ok) == ["Orléans"]


# --------------------------------------------------------------- F17: SORTBY

@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
@pytest.mark.parametrize("sortby", ["nom DESC NULLS FIRST", "nom ASC x", "nom DESC,code ASC extra", "nom  DESC  DESC"])
def test_sortby_with_trailing_words_is_refused(srv, tmp_path, version, sortby):
    r = wfs(srv, version, REQUEST="GetFeature", COUNT="2", MAXFEATURES="2", SORTBY=sortby, **{type_key(version): T})
    assert ows_exception(r, version, tmp_path) == [("InvalidParameterValue", "SORTBY")], sortby


@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
def test_sortby_good_keys_are_served(srv, version):
    desc = "D" if version == "1.1.0" else "DESC"
    r = wfs(srv, version, REQUEST="GetFeature", COUNT="2", MAXFEATURES="2", OUTPUTFORMAT="application/json",
            SORTBY=f"nom {desc},code", **{type_key(version): T})
    got = [f["properties"]["nom"] for f in r.json()["features"]]
    assert r.status_code == 200 and got == sorted(got, reverse=True), got


def test_post_sort_order_with_trailing_words_is_refused(srv, tmp_path):
    body = ('<wfs:GetFeature service="WFS" version="2.0.0" count="2" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            'xmlns:fes="http://www.opengis.net/fes/2.0">'
            f'<wfs:Query typeNames="{T}"><fes:SortBy><fes:SortProperty><fes:ValueReference>nom</fes:ValueReference>'
            '<fes:SortOrder>{order}</fes:SortOrder></fes:SortProperty></fes:SortBy></wfs:Query></wfs:GetFeature>')
    assert wfs_post(srv, body.format(order="DESC")).status_code == 200
    r = wfs_post(srv, body.format(order="DESC NULLS FIRST"))
    assert ows_exception(r, "2.0.0", tmp_path) == [("InvalidParameterValue", "SORTBY")]


# --------------------------------------------------------------- F17: TRANSPARENT

@pytest.mark.parametrize("key", ["TRANSPARENT", "TILED"])
@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_wms_booleans_are_true_or_false(srv, tmp_path, version, key):
    b = srv["rvb"]["bbox"]
    base = {"SERVICE": "WMS", "VERSION": version, "REQUEST": "GetMap", "LAYERS": "ign", "STYLES": "",
            ("CRS" if version == "1.3.0" else "SRS"): "EPSG:2154", "BBOX": ",".join(map(repr, b)),
            "WIDTH": "32", "HEIGHT": "32", "FORMAT": "image/png"}
    for t in ("TRUE", "false", "True", "FALSE"):
        r = get(srv, "/wms", {**base, key: t})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/png"), (t, r.text[:300])
    for t in ("maybe", "1", "yes", "truee"):
        got = wms_exception(get(srv, "/wms", {**base, key: t}), version, tmp_path)
        assert got == wms_expect(version, "InvalidParameterValue", key), (t, got)


# --------------------------------------------------------------- F17: the cap counts every pair

@pytest.mark.parametrize("service,path,base,report", [
    ("WMS", "/wms", "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities", "1.3.0"),
    ("WMTS", "/wmts", "SERVICE=WMTS&REQUEST=GetCapabilities", "2.0.0"),
    ("WFS", "/wfs", "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities", "2.0.0"),
    ("WFS11", "/wfs", "SERVICE=WFS&VERSION=1.1.0&REQUEST=GetCapabilities", "1.1.0"),
])
def test_kvp_cap_counts_repeated_parameters(srv, tmp_path, service, path, base, report):
    n_base = base.count("&") + 1
    at_cap = get(srv, path, base + "&P=1" * (MAX_PARAMS - n_base))
    assert at_cap.status_code == 200, (service, at_cap.text[:300])
    for n in (MAX_PARAMS - n_base + 1, 5000):
        r = get(srv, path, base + "&P=1" * n)
        got = (wms_exception(r, report, tmp_path) if service == "WMS" else ows_exception(r, report, tmp_path))
        assert got == [("InvalidParameterValue", "request")], (service, n, got)


# --------------------------------------------------------------- F17: 501 is not an ERROR

def log_records(path):
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()]


def test_501_is_logged_below_error(srv):
    before = len(log_records(srv["log"]))
    asks = [
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=Transaction",
        "/wfs?SERVICE=WFS&VERSION=1.1.0&REQUEST=LockFeature",
        "/wmts?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetFeatureInfo",
        f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID={T}.1,{DATED}.1",
        f"/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES={T},{DATED}",
    ]
    for a in asks:
        r = srv["srv"].get(a)
        assert r.status_code == 501, (a, r.status_code, r.text[:300])
    time.sleep(0.5)
    new = log_records(srv["log"])[before:]
    statuses = [x.get("status") for x in new if x.get("target") == "geocentre::access"]
    assert statuses.count(501) == len(asks), new  # control: the requests were logged
    loud = [x for x in new if x.get("level") in ("ERROR", "WARN")]
    assert not loud, loud
    # A client's mistake is not an error either.
    r = srv["srv"].get("/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=nope.nothing")
    assert r.status_code == 400
    time.sleep(0.3)
    last = [x for x in log_records(srv["log"]) if x.get("target") == "geocentre::access"][-1]
    assert last["status"] == 400 and last["level"] == "INFO", last


def test_a_fault_is_logged_at_error(tmp_path):
    """Control of the above: a 5xx other than 501 (a published file that no
    longer reads) is an ERROR, its access line included."""
    data = tmp_path / "data"
    # The GeoPackage damaged is the data directory's: with blobs in a bucket
    # (scale-out test mode) it would be an object, checked by its SHA-256
    # (test_s3_vector), so this data directory keeps local blobs.
    data.mkdir()
    cluster.pin_own_blobs(data)
    proc = helpers.run_cli(["vector", "ingest", "--dataset", "admin", str(COMMUNES)], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector ingest")
    config = tmp_path / "geocentre.toml"
    config.write_text('[log]\nformat = "json"\n')
    s = Server(data_dir=data, log_path=tmp_path / "server.log").start(config=config)
    try:
        (gpkg,) = list((data / "vector").rglob("*.gpkg"))
        gpkg.write_bytes(b"not a GeoPackage")  # DERIVED damage, after the server has started
        r = s.get(f"/ogcapi/collections/{T}/items?limit=1")
        assert r.status_code == 500, (r.status_code, r.text[:300])
        time.sleep(0.3)
        access = [x for x in log_records(tmp_path / "server.log")
                  if x.get("target") == "geocentre::access" and x.get("status") == 500]
        assert access and all(x["level"] == "ERROR" for x in access), access
    finally:
        s.stop()


# --------------------------------------------------------------- F15: Host allow-list, start-up warning

def hrefs(r):
    return set(re.findall(r'xlink:href="([^"]*)"', r.text))


def caps_hosts(s, host):
    r = s.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities", headers={"Host": host})
    assert r.status_code == 200, r.text[:300]
    # The operations' addresses (the provider's site is configured apart).
    got = {urllib.parse.urlsplit(h).netloc for h in hrefs(r) if "/wms?" in h}
    assert got, r.text[:500]
    r = s.get("/ogcapi/collections", headers={"Host": host})
    assert r.status_code == 200, r.text[:300]
    got |= {urllib.parse.urlsplit(l["href"]).netloc for l in r.json()["links"]}
    return got


def test_host_allow_list(srv, tmp_path):
    data = srv["srv"].data_dir
    # Control: without the list, the Host is taken (the demo's behaviour).
    assert caps_hosts(srv["srv"], "evil.example:80") == {"evil.example:80"}
    config = tmp_path / "hosts.toml"
    config.write_text('[server]\nallowed_hosts = ["geo.example.org", "maps.example.org:8443"]\n')
    s = Server(data_dir=data, log_path=tmp_path / "hosts.log").start(config=config)
    try:
        assert caps_hosts(s, "maps.example.org:8443") == {"maps.example.org:8443"}
        assert caps_hosts(s, "geo.example.org") == {"geo.example.org"}
        assert caps_hosts(s, "GEO.example.org:8080") == {"GEO.example.org:8080"}  # no port: any port
        for bad in ("evil.example:80", "maps.example.org:9999", "evil.example", "geo.example.org.evil.example"):
            got = caps_hosts(s, bad)
            assert got == {"geo.example.org"}, (bad, got)
    finally:
        s.stop()


def test_bad_allowed_hosts_entry_is_a_configuration_error(srv, tmp_path):
    for entry in ("http://geo.example.org/", "geo.example.org/wms", "", "a b"):
        config = tmp_path / "bad.toml"
        config.write_text(f'[server]\nallowed_hosts = ["{entry}"]\n')
        proc = helpers.run_cli(["--config", config, "serve", "--bind", "127.0.0.1:0"],
                               data_dir=srv["srv"].data_dir, timeout=60)
        assert proc.returncode != 0 and "allowed_hosts" in proc.stderr, describe_proc(proc, entry)
        assert "unknown field" not in proc.stderr, describe_proc(proc, "the key itself must be known")


def start_and_read_stderr(data, bind, config=None, wait=1.5):
    """Starts `serve --bind BIND`, waits for its address, stops it; its stderr."""
    cmd = [str(helpers.geocentre_bin()), "--data-dir", str(data)]
    if config:
        cmd += ["--config", str(config)]
    cmd += ["serve", "--bind", bind]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=helpers.child_env(cluster.store_env(data)),
                         cwd=str(helpers.child_cwd()))
    q = queue.Queue()
    threading.Thread(target=lambda: q.put(p.stdout.readline()), daemon=True).start()
    try:
        line = q.get(timeout=60)
        assert line.startswith(b"listening on "), line
        time.sleep(wait)
    finally:
        p.terminate()
        _, err = p.communicate(timeout=30)
    return err.decode("utf-8", "replace")


def warning_lines(err):
    return [l for l in err.splitlines() if "WARN" in l and ("public_url" in l or "allowed_hosts" in l)]


def test_startup_warning_on_a_public_address_without_host_settings(srv, tmp_path):
    data = srv["srv"].data_dir
    err = start_and_read_stderr(data, "0.0.0.0:0")
    assert warning_lines(err), err
    # Controls: loopback, or either setting, and no warning.
    assert not warning_lines(start_and_read_stderr(data, "127.0.0.1:0"))
    for cfg in ('[server]\nallowed_hosts = ["geo.example.org"]\n', '[server]\npublic_url = "https://geo.example.org"\n'):
        c = tmp_path / "c.toml"
        c.write_text(cfg)
        err = start_and_read_stderr(data, "0.0.0.0:0", config=c)
        assert not warning_lines(err), (cfg, err)
