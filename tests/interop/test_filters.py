"""Filters: FES 2.0 on WFS GetFeature (KVP FILTER) and CQL2-JSON on OGC API
Features, over the REAL admin communes of the repository's data/, plus a DERIVED GeoJSON
of points whose names carry SQL and pattern metacharacters. Expected results
come from the source read by OGR and evaluated here in Python."""
from __future__ import annotations

import json
import time
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
TRICKY = ["O'Brien", "' OR 1=1 --", "50% off", "a_b", "a*b", "x\"y", "<b>", "Orl*", "plain"]
FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("filters")
    pts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": n, "n": i},
         "geometry": {"type": "Point", "coordinates": [1.9 + i * 0.001, 47.9]}}
        for i, n in enumerate(TRICKY)]}
    (tmp / "noms.geojson").write_text(json.dumps(pts))  # DERIVED test data
    data = tmp / "data"
    for ds, f in (("admin", COMMUNES), ("t", tmp / "noms.geojson")):
        p = helpers.run_cli(["vector", "ingest", "--dataset", ds, "--json", str(f)], data_dir=data)
        assert p.returncode == 0, describe_proc(p)
    s = Server(data_dir=data, log_path=tmp / "server.log").start()
    yield s
    s.stop()


def communes():
    ds = helpers.gdal().OpenEx(str(COMMUNES))
    return [(f.GetField("code"), f.GetField("nom")) for f in ds.GetLayer(0)]


def wfs(srv, typename, fes_body):
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": typename,
         "OUTPUTFORMAT": "application/json", "COUNT": "10000",
         "FILTER": f"<fes:Filter {FES}>{fes_body}</fes:Filter>"}
    return srv.get("/wfs?" + urllib.parse.urlencode(q))


def oapif(srv, coll, cql2):
    q = {"filter": json.dumps(cql2), "filter-lang": "cql2-json", "limit": "10000"}
    return srv.get(f"/ogcapi/collections/{coll}/items?" + urllib.parse.urlencode(q))


def names(r):
    assert r.status_code == 200, r.text[:400]
    d = r.json()
    assert d["numberMatched"] == len(d["features"])
    return sorted(f["properties"]["nom"] for f in d["features"])


def test_like_with_custom_marks_matches_python(srv):
    want = sorted(n for _, n in communes() if n.startswith("Saint-") and len(n) >= 11)
    body = ('<fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">'
            "<fes:ValueReference>nom</fes:ValueReference><fes:Literal>Saint-.....*</fes:Literal>"
            "</fes:PropertyIsLike>")
    assert names(wfs(srv, "gc:admin.communes_centre_val_de_loire", body)) == want
    cql = {"op": "like", "args": [{"property": "nom"}, "Saint-_____%"]}
    assert names(oapif(srv, "admin.communes_centre_val_de_loire", cql)) == want


def test_logic_and_comparison(srv):
    cs = communes()
    want = sorted(n for c, n in cs if c.startswith("45") and not n.startswith("S"))
    body = ("<fes:And><fes:PropertyIsGreaterThanOrEqualTo><fes:ValueReference>code</fes:ValueReference>"
            "<fes:Literal>45000</fes:Literal></fes:PropertyIsGreaterThanOrEqualTo>"
            "<fes:PropertyIsLessThan><fes:ValueReference>code</fes:ValueReference><fes:Literal>46000</fes:Literal>"
            "</fes:PropertyIsLessThan><fes:Not><fes:PropertyIsLike wildCard=\"*\" singleChar=\".\" escapeChar=\"!\">"
            "<fes:ValueReference>nom</fes:ValueReference><fes:Literal>S*</fes:Literal></fes:PropertyIsLike></fes:Not>"
            "</fes:And>")
    assert names(wfs(srv, "gc:admin.communes_centre_val_de_loire", body)) == want
    cql = {"op": "and", "args": [
        {"op": "between", "args": [{"property": "code"}, "45000", "45999"]},
        {"op": "not", "args": [{"op": "like", "args": [{"property": "nom"}, "S%"]}]}]}
    assert names(oapif(srv, "admin.communes_centre_val_de_loire", cql)) == want


def test_spatial_intersects_finds_the_commune_under_a_point(srv):
    body = ('<fes:Intersects><fes:ValueReference>geom</fes:ValueReference>'
            '<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>47.9029 1.9086</gml:pos></gml:Point>'
            "</fes:Intersects>")
    assert names(wfs(srv, "gc:admin.communes_centre_val_de_loire", body)) == ["Orléans"]
    cql = {"op": "s_intersects", "args": [{"property": "geom"},
                                           {"type": "Point", "coordinates": [1.9086, 47.9029]}]}
    assert names(oapif(srv, "admin.communes_centre_val_de_loire", cql)) == ["Orléans"]


@pytest.mark.parametrize("value", TRICKY)
def test_metacharacters_in_literals_match_exactly_one(srv, value):
    esc = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    body = (f"<fes:PropertyIsEqualTo><fes:ValueReference>nom</fes:ValueReference>"
            f"<fes:Literal>{esc}</fes:Literal></fes:PropertyIsEqualTo>")
    assert names(wfs(srv, "gc:t.noms", body)) == [value]
    assert names(oapif(srv, "t.noms", {"op": "=", "args": [{"property": "nom"}, value]})) == [value]


@pytest.mark.parametrize("prop", ["exec(x)", "../x", "nom/a", "@id", "inconnu", "nom; DROP TABLE x"])
def test_bad_property_names_are_errors_never_no_filter(srv, prop, tmp_path):
    body = (f"<fes:PropertyIsEqualTo><fes:ValueReference>{prop}</fes:ValueReference>"
            "<fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo>")
    r = wfs(srv, "gc:t.noms", body)
    assert r.status_code == 400 and 'exceptionCode="InvalidParameterValue"' in r.text, r.text[:300]
    ok, out = helpers.validate_xml(r.content, tmp_path, "exc.xml")
    assert ok, out
    r = oapif(srv, "t.noms", {"op": "=", "args": [{"property": prop}, "1"]})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")


def test_dtd_and_external_entities_are_refused(srv):
    xxe = ('<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<fes:Filter {FES}><fes:PropertyIsEqualTo><fes:ValueReference>nom</fes:ValueReference>'
           "<fes:Literal>&x;</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>")
    q = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "gc:t.noms",
         "FILTER": xxe}
    r = srv.get("/wfs?" + urllib.parse.urlencode(q))
    assert r.status_code == 400 and "root:" not in r.text, r.text[:300]


# Nesting. The filter guard refuses more than 32 levels (FilterError::TooDeep,
# "filter nested deeper than 32 levels"). Depths that fit in a URL reach it
# through KVP; a 2,000-level filter only fits in an XML POST (as a GET URL it
# is refused by the HTTP layer with 414 before any filter code runs, which
# would prove nothing about the guard).

def fes_nots(depth):
    """PropertyIsNull(nom) under `depth` fes:Not (the depth of the expression)."""
    f = "<fes:PropertyIsNull><fes:ValueReference>nom</fes:ValueReference></fes:PropertyIsNull>"
    for _ in range(depth):
        f = f"<fes:Not>{f}</fes:Not>"
    return f


def cql2_nots(depth):
    # Built as text: Python's own JSON encoder would not nest that deep.
    c = '{"op":"isNull","args":[{"property":"nom"}]}'
    for _ in range(depth):
        c = '{"op":"not","args":[' + c + "]}"
    return c


def wfs_post(srv, typename, fes_body):
    body = (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<wfs:GetFeature service="WFS" version="2.0.0" count="10000" outputFormat="application/json" '
            f'xmlns:wfs="http://www.opengis.net/wfs/2.0" {FES} xmlns:gc="urn:x-geocentre:features">'
            f'<wfs:Query typeNames="{typename}"><fes:Filter>{fes_body}</fes:Filter></wfs:Query>'
            f"</wfs:GetFeature>")
    return srv.http.post(srv.url("/wfs"), data=body.encode(), timeout=60,
                         headers={"Content-Type": "application/xml"})


def oapif_text(srv, coll, cql2_json_text):
    q = {"filter": cql2_json_text, "filter-lang": "cql2-json", "limit": "10000"}
    return srv.get(f"/ogcapi/collections/{coll}/items?" + urllib.parse.urlencode(q))


def ows_exception_texts(r, tmp_path, name):
    assert r.status_code == 400, (r.status_code, r.text[:400])
    ok, out = helpers.validate_xml(r.content, tmp_path, name)
    assert ok, out
    _, excs = helpers.parse_exception_report(r.content)
    return [(e["code"], e["locator"], " ".join(t or "" for t in e["texts"])) for e in excs]


@pytest.mark.parametrize("depth", [31, 32])
def test_nesting_up_to_32_levels_is_evaluated(srv, depth):
    """Control for the guard: 31 and 32 levels of Not are evaluated, and right
    (no name is null: an odd number of Nots matches every point, an even none)."""
    want = sorted(TRICKY) if depth % 2 else []
    assert names(wfs(srv, "gc:t.noms", fes_nots(depth))) == want
    assert names(wfs_post(srv, "gc:t.noms", fes_nots(depth))) == want
    assert names(oapif_text(srv, "t.noms", cql2_nots(depth))) == want


@pytest.mark.parametrize("depth", [33, 40, 60])
def test_nesting_beyond_32_levels_reaches_the_filter_guard(srv, depth, tmp_path):
    """33 to 60 levels fit in a URL (and in the XML body's own bound of 80
    levels): the answer must come from the filter's nesting guard, with its
    message, in FES by GET and POST and in CQL2-JSON (CQL2 text:
    test_ogcapi_more.py)."""
    guard = "nested deeper than 32 levels"
    for how, r in (("KVP", wfs(srv, "gc:t.noms", fes_nots(depth))),
                   ("POST", wfs_post(srv, "gc:t.noms", fes_nots(depth)))):
        excs = ows_exception_texts(r, tmp_path, f"deep-{how}.xml")
        assert any(c == "InvalidParameterValue" and (loc or "").upper() == "FILTER" and guard in t
                   for c, loc, t in excs), (how, depth, excs)
    r = oapif_text(srv, "t.noms", cql2_nots(depth))
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), \
        (depth, r.status_code, r.text[:300])
    assert guard in r.json()["detail"], r.json()


def test_deep_nesting_is_refused_quickly(srv, tmp_path):
    """2,000 levels of fes:Not in an XML POST (no URL limit in the way): refused
    by a nesting guard (the request body's or the filter's), with an OWS
    exception report, within 5 s, and the server still answers. CQL2-JSON at
    100 levels (4.9 KB of URL): refused by the JSON reader's nesting limit or
    the filter guard."""
    t = time.monotonic()
    r = wfs_post(srv, "gc:t.noms", fes_nots(2000))
    excs = ows_exception_texts(r, tmp_path, "deep-2000.xml")
    assert any(c == "InvalidParameterValue" and "nested deeper than" in t for c, _, t in excs), excs
    r = oapif_text(srv, "t.noms", cql2_nots(100))
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), \
        (r.status_code, r.text[:300])
    detail = r.json()["detail"]
    assert "nested deeper than" in detail or "recursion limit" in detail, detail
    assert time.monotonic() - t < 5
    assert names(wfs(srv, "gc:t.noms", fes_nots(1))) == sorted(TRICKY)


def test_unsupported_parameters_are_refused_not_ignored(srv):
    # OGC 06-121r9 table 28: OperationNotSupported is HTTP 501, InvalidParameterValue 400.
    # RESOLVE: local and none are served (no references to resolve), remote/all are not
    # among the allowed values the capabilities list.
    for p, v, code, status in (("RESOLVE", "all", "InvalidParameterValue", 400),
                               ("RESOLVEDEPTH", "deep", "InvalidParameterValue", 400),
                               ("RESULTTYPE", "some", "InvalidParameterValue", 400),
                               ("SORTBY", "nope", "InvalidParameterValue", 400),
                               ("PROPERTYNAME", "nope", "InvalidParameterValue", 400)):
        q = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "gc:t.noms", p: v}
        r = srv.get("/wfs?" + urllib.parse.urlencode(q))
        assert r.status_code == status, (p, r.status_code, r.text[:300])
        _, excs = helpers.parse_exception_report(r.content)
        assert [(e["code"], (e["locator"] or "").upper()) for e in excs] == [(code, p)], (p, excs)
