"""OGC API Features Part 3 with CQL2 text, and `datetime`, on a module server.

Data:
  * dataset `admin`: REAL communes of the repository's data/ (GeoJSON);
  * dataset `pcrs`:  REAL PCRS v2 Lyon extract (GML; `dateLeve` is an ISO date typed as text);
  * dataset `maj`:   DERIVED, written here: 40 communes of the Loiret (geometry and
                     names from the real file) with a synthetic `date_maj` (Date) spread
                     over 2020–2023, to test datetime on a Date field.

Expected values come from the sources read with OGR or from the list written here.
CQL2 text results are checked against the same filters in CQL2-JSON and in Python.
"""
from __future__ import annotations

import datetime as dt
import json
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc

COMMUNES = helpers.DATA / "admin/communes-centre-val-de-loire.geojson"
PCRS = helpers.DATA / "pcrs/pcrs-v2-lyon-extract-cc46.gml"
C = "admin.communes_centre_val_de_loire"


def read(path):
    from osgeo import ogr
    ds = ogr.Open(str(path))
    lyr = ds.GetLayer(0)
    return [(f.GetField("code"), f.GetField("nom"), f.GetGeometryRef().ExportToJson()) for f in lyr]


@pytest.fixture(scope="module")
def srv(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ogcapi-more")
    data = tmp / "data"
    rows = [r for r in read(COMMUNES) if r[0].startswith("45")][:40]
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=37 * i) for i in range(len(rows))]
    maj = tmp / "maj.geojson"
    maj.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "nom": n, "date_maj": d.isoformat()},
         "geometry": json.loads(g)} for (c, n, g), d in zip(rows, days)]}, ensure_ascii=False))
    for ds, f in (("admin", COMMUNES), ("pcrs", PCRS), ("maj", maj)):
        p = helpers.run_cli(["vector", "ingest", "--dataset", ds, str(f)], data_dir=data)
        assert p.returncode == 0, describe_proc(p, "vector ingest")
    s = Server(data_dir=data, log_path=tmp / "server.log").start()
    s.maj = dict(zip((r[0] for r in rows), days))
    yield s
    s.stop()


def items(srv, cid, **q):
    q.setdefault("limit", "10000")
    return srv.get(f"/ogcapi/collections/{cid}/items?" + urllib.parse.urlencode(q))


def codes(r):
    assert r.status_code == 200, r.text[:400]
    return sorted(f["properties"]["code"] for f in r.json()["features"])


@pytest.fixture(scope="module")
def communes():
    return {c: n for c, n, _ in read(COMMUNES)}


@pytest.mark.parametrize("text,json_filter,pred", [
    ("code LIKE '45%' AND nom LIKE 'Saint%'",
     {"op": "and", "args": [{"op": "like", "args": [{"property": "code"}, "45%"]},
                            {"op": "like", "args": [{"property": "nom"}, "Saint%"]}]},
     lambda c, n: c.startswith("45") and n.startswith("Saint")),
    ("nom IN ('Orléans', 'Olivet', 'Tours') OR code = '18033'",
     {"op": "or", "args": [{"op": "in", "args": [{"property": "nom"}, ["Orléans", "Olivet", "Tours"]]},
                           {"op": "=", "args": [{"property": "code"}, "18033"]}]},
     lambda c, n: n in ("Orléans", "Olivet", "Tours") or c == "18033"),
    ("NOT (code < '45000') AND code BETWEEN '45000' AND '45100'",
     {"op": "and", "args": [{"op": "not", "args": [{"op": "<", "args": [{"property": "code"}, "45000"]}]},
                            {"op": "between", "args": [{"property": "code"}, "45000", "45100"]}]},
     lambda c, n: not c < "45000" and "45000" <= c <= "45100"),
    ("CASEI(nom) LIKE CASEI('saint-%')", None, lambda c, n: n.lower().startswith("saint-")),
    ("nom = 'Chaussée-d''Ivry'", None, lambda c, n: n == "Chaussée-d'Ivry"),
])
def test_cql2_text_equals_json_and_python(srv, communes, text, json_filter, pred):
    want = sorted(c for c, n in communes.items() if pred(c, n))
    assert want, "the case must select something"
    assert codes(items(srv, C, filter=text, **{"filter-lang": "cql2-text"})) == want
    # The default language is text.
    assert codes(items(srv, C, filter=text)) == want
    if json_filter:
        assert codes(items(srv, C, filter=json.dumps(json_filter), **{"filter-lang": "cql2-json"})) == want


def test_cql2_text_spatial(srv):
    # Orléans' neighbours meet a small box around the centre of Orléans.
    r = items(srv, C, filter="S_INTERSECTS(geometry, BBOX(1.90, 47.89, 1.91, 47.90))")
    got = {f["properties"]["nom"] for f in r.json()["features"]}
    assert "Orléans" in got and len(got) <= 3
    r = items(srv, C, filter="S_INTERSECTS(geometry, POINT(1.9093 47.9025))")
    assert [f["properties"]["nom"] for f in r.json()["features"]] == ["Orléans"]


@pytest.mark.parametrize("bad", [
    "exec(1) = 1", "\"../x\" = 1", "nope = 'a'", "nom = ", "nom LIKE", "((((nom = 'a')",
    "nom = 'a' ; DROP TABLE x", "T_AFTER(date, TIMESTAMP('2020-01-01T00:00:00Z'))",
])
def test_cql2_text_errors_are_400_problems(srv, bad):
    r = items(srv, C, filter=bad, **{"filter-lang": "cql2-text"})
    assert r.status_code == 400, (bad, r.status_code)
    assert r.headers["content-type"].startswith("application/problem+json")


GUARD = "nested deeper than 32 levels"  # the filter's nesting guard (FilterError::TooDeep)


def nested_text(kind, depth):
    if kind == "not":
        return "NOT " * depth + "nom IS NULL"
    return "(" * depth + "nom IS NULL" + ")" * depth


@pytest.mark.parametrize("kind", ["not", "parens"])
def test_cql2_text_nesting_boundary(srv, kind):
    """32 levels are evaluated (and right: no commune has a null name, so an
    odd number of NOTs matches all 1,776, an even one none; parentheses change
    nothing); 33 are refused by the nesting guard, with its message."""
    for depth in (31, 32):
        r = items(srv, C, filter=nested_text(kind, depth), limit="1")
        assert r.status_code == 200, (depth, r.text[:300])
        want = 1776 if (kind == "not" and depth % 2) else 0
        assert r.json()["numberMatched"] == want, (kind, depth, r.json()["numberMatched"])
    r = items(srv, C, filter=nested_text(kind, 33))
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), \
        (r.status_code, r.text[:300])
    assert GUARD in r.json()["detail"], r.json()


def test_cql2_text_deep_nesting_is_refused_quickly(srv):
    """2,000 levels (8 KB and 12 KB of URL, under the HTTP layer's limit: the
    request reaches the filter parser) are refused by the nesting guard,
    with its message, within 5 s."""
    import time
    t = time.monotonic()
    for kind in ("not", "parens"):
        r = items(srv, C, filter=nested_text(kind, 2000))
        assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json"), \
            (kind, r.status_code, r.text[:300])
        assert GUARD in r.json()["detail"], (kind, r.json())
    assert time.monotonic() - t < 5


@pytest.mark.parametrize("q,pred", [
    ("2021-03-01/2022-02-28", lambda d: dt.date(2021, 3, 1) <= d <= dt.date(2022, 2, 28)),
    ("../2020-06-30", lambda d: d <= dt.date(2020, 6, 30)),
    ("2023-01-01/..", lambda d: d >= dt.date(2023, 1, 1)),
    ("2021-12-23T10:00:00Z/2022-12-31T00:00:00Z", lambda d: dt.date(2021, 12, 23) <= d <= dt.date(2022, 12, 31)),
])
def test_datetime_on_a_date_field(srv, q, pred):
    want = sorted(c for c, d in srv.maj.items() if pred(d))
    assert want and len(want) < len(srv.maj)
    assert codes(items(srv, "maj.maj", datetime=q)) == want
    # Combined with a filter.
    sub = [c for c in want if c < "45100"]
    assert codes(items(srv, "maj.maj", datetime=q, filter="code < '45100'")) == sub


def test_datetime_instant_and_pcrs_dates(srv):
    day = sorted(srv.maj.values())[3]
    want = sorted(c for c, d in srv.maj.items() if d == day)
    assert codes(items(srv, "maj.maj", datetime=day.isoformat())) == want
    # PCRS: every surveyed feature of the extract is dated 2019-12-31 (read from the source).
    from osgeo import ogr
    ds = ogr.Open(str(PCRS))  # kept alive while its layer is read
    n = sum(1 for f in ds.GetLayerByName("SeuilPCRS") if f.GetField("dateLeve") == "2019-12-31")
    assert n > 0
    r = items(srv, "pcrs.SeuilPCRS", datetime="2019-12-31")
    assert r.status_code == 200 and len(r.json()["features"]) == n
    r = items(srv, "pcrs.SeuilPCRS", datetime="2020-01-01/..")
    assert r.status_code == 200 and r.json()["features"] == []


@pytest.mark.parametrize("bad", ["yesterday", "2021-13", "../..", "2021-01-01/2021-02-30x"])
def test_bad_datetime_is_400(srv, bad):
    r = items(srv, "maj.maj", datetime=bad)
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")


def test_datetime_without_temporal_property_keeps_every_feature(srv):
    """/req/core/fc-time-response filters on time "if the collection includes
    temporal information": the communes have none, so every one is kept (this
    was a 400; CITE's ets-ogcapi-features10 sends datetime to every collection).
    The value is still checked."""
    every = codes(items(srv, C))
    assert codes(items(srv, C, datetime="2020-01-01")) == every
    assert codes(items(srv, C, datetime="../2000-01-01")) == every
    r = items(srv, C, datetime="2021-13-01")
    assert r.status_code == 400 and "datetime" in r.text


def test_conformance_declares_cql2_text(srv):
    c = srv.get("/ogcapi/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in c
