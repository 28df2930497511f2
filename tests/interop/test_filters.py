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


def test_deep_nesting_is_refused_quickly(srv):
    # Built as text: Python's own JSON encoder would not nest that deep.
    cql = '{"op":"=","args":[{"property":"nom"},"plain"]}'
    for _ in range(2000):
        cql = '{"op":"not","args":[' + cql + "]}"
    t = time.monotonic()
    q = {"filter": cql, "filter-lang": "cql2-json"}
    r = srv.get("/ogcapi/collections/t.noms/items?" + urllib.parse.urlencode(q))
    assert r.status_code in (400, 414, 431), r.status_code
    fes = "<fes:PropertyIsNull><fes:ValueReference>nom</fes:ValueReference></fes:PropertyIsNull>"
    for _ in range(2000):
        fes = f"<fes:Not>{fes}</fes:Not>"
    r = wfs(srv, "gc:t.noms", fes)
    assert r.status_code in (400, 414, 431), r.status_code
    assert time.monotonic() - t < 5


def test_unsupported_parameters_are_refused_not_ignored(srv):
    for p, v in (("RESOLVE", "all"), ("RESOLVEDEPTH", "2"), ("RESULTTYPE", "some"),
                 ("SORTBY", "nope"), ("PROPERTYNAME", "nope")):
        q = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "gc:t.noms", p: v}
        r = srv.get("/wfs?" + urllib.parse.urlencode(q))
        assert r.status_code in (400, 501) and p in r.text, (p, r.status_code)
