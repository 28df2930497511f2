"""OGC API - Features Part 3 queryables (/ogcapi/collections/{id}/queryables)
against the sources' own fields read with OGR, on a module server.

Data:
  * dataset `admin`: REAL communes of Centre-Val de Loire (data/admin, GeoJSON);
  * dataset `pcrs`:  REAL PCRS v2 Lyon extract (data/pcrs, GML with its .gfs),
                     feature classes with and without geometry;
  * dataset `types`: DERIVED, written here: a GeoPackage of 30 of the real
                     communes (geometry, code, nom) with computed fields of every
                     OGR type the server maps: Integer (`lettres`, the length of
                     the name), Integer64 (`code64`, the INSEE code times 10^9),
                     Real (`surf_km2`, the OGR area in EPSG:3035), Date (`maj`)
                     and DateTime (`maj_ts`), synthetic dates.

Expected: one property per source field with the JSON Schema type of its OGR
type (Integer/Integer64 -> integer, Real -> number, String -> string; Date
and DateTime -> string with format date / date-time), plus `geometry` for
layers with one; nothing else. Each queryable is accepted in a filter, a name
that is not one is refused.
"""
from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

import helpers
from helpers import Server, describe_proc, run_cli

COMMUNES = helpers.DATA / "admin" / "communes-centre-val-de-loire.geojson"  # REAL
PCRS = helpers.DATA / "pcrs" / "pcrs-v2-lyon-extract-cc46.gml"  # REAL


def ogr():
    from osgeo import ogr as _o
    _o.UseExceptions()
    return _o


def osr():
    from osgeo import osr as _s
    _s.UseExceptions()
    return _s


def write_types(path):
    """DERIVED GeoPackage (see the module docstring)."""
    o, s = ogr(), osr()
    src = o.Open(str(COMMUNES))
    sl = src.GetLayer(0)
    wgs, laea = s.SpatialReference(), s.SpatialReference()
    wgs.ImportFromEPSG(4326)
    laea.ImportFromEPSG(3035)
    for r in (wgs, laea):
        r.SetAxisMappingStrategy(s.OAMS_TRADITIONAL_GIS_ORDER)
    ct = s.CoordinateTransformation(wgs, laea)
    ds = o.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("communes_typees", wgs, o.wkbMultiPolygon)
    for name, t in (("code", o.OFTString), ("nom", o.OFTString), ("lettres", o.OFTInteger),
                    ("code64", o.OFTInteger64), ("surf_km2", o.OFTReal), ("maj", o.OFTDate),
                    ("maj_ts", o.OFTDateTime)):
        lyr.CreateField(o.FieldDefn(name, t))
    day0 = dt.datetime(2021, 3, 1, 8, 30)
    for i, f in enumerate(sl):
        if i == 30:
            break
        g = f.GetGeometryRef().Clone()
        out = o.Feature(lyr.GetLayerDefn())
        out.SetGeometry(o.ForceToMultiPolygon(g.Clone()))
        out.SetField("code", f.GetField("code"))
        out.SetField("nom", f.GetField("nom"))
        out.SetField("lettres", len(f.GetField("nom")))
        out.SetField("code64", int(f.GetField("code")) * 10 ** 9)
        g.Transform(ct)
        out.SetField("surf_km2", g.GetArea() / 1e6)
        t = day0 + dt.timedelta(days=11 * i, hours=i)
        out.SetField("maj", t.year, t.month, t.day, 0, 0, 0, 0)
        out.SetField("maj_ts", t.year, t.month, t.day, t.hour, t.minute, 0, 100)
        lyr.CreateFeature(out)
    ds = None
    return path


def source_fields(path, layer=None):
    """{layer name: (has geometry, {field: OGR type name})} read with OGR."""
    o = ogr()
    ds = o.Open(str(path))
    out = {}
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        defn = lyr.GetLayerDefn()
        fields = {defn.GetFieldDefn(k).GetName(): o.GetFieldTypeName(defn.GetFieldDefn(k).GetType())
                  for k in range(defn.GetFieldCount())}
        out[lyr.GetName()] = (lyr.GetGeomType() != o.wkbNone, fields)
    return out


JSON_TYPE = {"Integer": ("integer", None), "Integer64": ("integer", None), "Real": ("number", None),
             "String": ("string", None), "Date": ("string", "date"), "DateTime": ("string", "date-time")}


@pytest.fixture(scope="module")
def q(geocentre_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("queryables")
    data = root / "data"
    types = write_types(root / "communes-typees.gpkg")
    reports = {}
    for ds, path in (("admin", COMMUNES), ("pcrs", PCRS), ("types", types)):
        p = run_cli(["vector", "ingest", "--dataset", ds, "--json", path], data_dir=data)
        assert p.returncode == 0, describe_proc(p, f"vector ingest {ds}")
        reports[ds] = helpers.parse_single_json(p)
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    # Collection id -> (has geometry, source fields), from OGR on the source, by
    # the source layer each collection came from (the ingest report says which).
    expected = {}
    for ds, path in (("admin", COMMUNES), ("pcrs", PCRS), ("types", types)):
        src = source_fields(path)
        for f in reports[ds]["files"]:
            for lyr in f["layers"]:
                source_layer = lyr.get("source_layer") or (next(iter(src)) if len(src) == 1 else lyr["name"])
                expected[f"{ds}.{lyr['name']}"] = src[source_layer]
    yield {"srv": srv, "expected": expected}
    srv.stop()


def queryables(srv, cid):
    r = srv.get(f"/ogcapi/collections/{cid}/queryables")
    assert r.status_code == 200, (cid, r.status_code, r.text[:300])
    assert r.headers["content-type"].split(";")[0] == "application/schema+json", r.headers["content-type"]
    return r.json()


def test_every_collection_has_queryables(q):
    r = q["srv"].get("/ogcapi/collections", headers={"Accept": "application/json"})
    served = {c["id"] for c in r.json()["collections"]}
    assert served == set(q["expected"]), (sorted(served ^ set(q["expected"])))
    # All kinds are present: typed fields, a geometry-less class.
    kinds = {t for _, fields in q["expected"].values() for t in fields.values()}
    assert {"Integer", "Integer64", "Real", "String", "Date", "DateTime"} <= kinds, kinds
    assert {g for g, _ in q["expected"].values()} == {True, False}


def test_queryables_are_the_source_fields(q):
    for cid, (has_geom, fields) in sorted(q["expected"].items()):
        doc = queryables(q["srv"], cid)
        assert doc["type"] == "object", doc
        assert doc["$id"].endswith(f"/ogcapi/collections/{cid}/queryables"), doc["$id"]
        assert "2020-12" in doc["$schema"], doc["$schema"]
        props = doc["properties"]
        want = set(fields) | ({"geometry"} if has_geom else set())
        assert set(props) == want, f"{cid}: only served {sorted(set(props) - want)}, missing {sorted(want - set(props))}"
        for name, ogr_type in fields.items():
            jtype, fmt = JSON_TYPE[ogr_type]
            assert props[name].get("type") == jtype, (cid, name, ogr_type, props[name])
            assert props[name].get("format") == fmt, (cid, name, ogr_type, props[name])
        if has_geom:
            assert props["geometry"].get("format", "").startswith("geometry"), props["geometry"]


def items(srv, cid, cql):
    return srv.get(f"/ogcapi/collections/{cid}/items?" + urllib.parse.urlencode(
        {"filter": cql, "filter-lang": "cql2-text", "limit": "1"}))


@pytest.mark.parametrize("cid", ["admin.communes_centre_val_de_loire", "types.communes_typees",
                                 "pcrs.AffleurantPCRS", "pcrs.FacadePCRS"])
def test_queryables_are_what_filters_accept(q, cid):
    props = queryables(q["srv"], cid)["properties"]
    for name in props:
        if name == "geometry":
            # The collection's own extent (a world box cannot be projected to CC46).
            coll = q["srv"].get(f"/ogcapi/collections/{cid}", headers={"Accept": "application/json"}).json()
            bbox = ",".join(repr(v) for v in coll["extent"]["spatial"]["bbox"][0][:4])
            cql = f"S_INTERSECTS(geometry, BBOX({bbox}))"
        else:
            cql = f'"{name}" IS NULL'
        r = items(q["srv"], cid, cql)
        assert r.status_code == 200, (cid, name, r.status_code, r.text[:300])
    r = items(q["srv"], cid, '"pas_une_propriete" IS NULL')
    assert r.status_code == 400, (cid, r.status_code, r.text[:300])


def test_queryables_of_unknown_collection_is_404(q):
    r = q["srv"].get("/ogcapi/collections/admin.nope/queryables")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), \
        (r.status_code, r.text[:200])
