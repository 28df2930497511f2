"""PostGIS-connected datasets answer as GeoPackage ones (issue 15).

Two servers hold the same data: one as `vector ingest` publishes it (a
GeoPackage per delivered file), the other with the same datasets connected
in place to PostGIS tables (`vector connect`) holding a copy of those
GeoPackages made with ogr2ogr (`helpers.postgis_mirror`). The same requests
go to both — WFS 2.0 and 1.1 (GML, GeoJSON, CSV, filters, sorting, paging,
hits, by id, property values), OGC API Features (boxes in two CRSs, output
CRSs, CQL2 filters, datetime, equality, single items), vector tiles in both
grids, WMS maps and GetFeatureInfo — and must come back byte for byte the
same, once the server's own address is replaced and the query strings of
links are put in one order (they are built from a hash map).

One difference is legitimate and compared with a tolerance instead: the
extents that capabilities, collections and TileJSON give. PostGIS's is the
box of the geometries; a GeoPackage's is what GDAL wrote when the ingest
made it, which for a GML delivery is the file's own `gml:boundedBy`
(rounded). They agree to nine significant digits.

Then the fault: the database of a connected dataset stops; its requests
are answered 503 with `Retry-After` in each service's own error format
(never a hang or a 500), and they recover by themselves when it is back.

REAL data: the repository's communes and départements of Centre-Val de
Loire, the Lyon PCRS extract (3D, curve polygons, layers without
geometry). DERIVED: a few typed points (integers, reals, booleans, dates,
texts with quotes and accents) written in pytest's tmp dir.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

import helpers
from helpers import DATA, Server, describe_proc

COMMUNES = DATA / "admin/communes-centre-val-de-loire.geojson"
DEPARTEMENTS = DATA / "admin/departements-centre-val-de-loire.geojson"
PCRS = DATA / "pcrs/pcrs-v2-lyon-extract-cc46.gml"
C = "admin.communes_centre_val_de_loire"
D = "admin.departements_centre_val_de_loire"

TYPED = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.90 + i * 0.01, 47.90 - i * 0.007]},
         "properties": {"n": [40, 7, None, 100, -3][i], "r": [2.5, 1e-7, 100.0, None, -0.125][i],
                        "ok": [True, False, None, True, False][i],
                        "jour": ["2021-05-03", "2021-05-01", None, "2021-06-01", "1999-12-31"][i],
                        "s": ["Orléans", "O'Brien", "50%_off\\", None, "'; DROP TABLE x; --"][i]}}
        for i in range(5)
    ],
}


def ingest_raw(data, args):
    """`vector ingest` without the PostGIS mode's mirror (this module makes
    its own GeoPackage and PostGIS servers whatever the mode)."""
    import cluster
    proc = subprocess.run([str(helpers.geocentre_bin()), "--data-dir", str(data), "vector", "ingest", *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env=helpers.child_env(cluster.store_env(data)), cwd=str(helpers.child_cwd()))
    assert proc.returncode == 0, describe_proc(proc, "vector ingest")


@pytest.fixture(scope="module")
def pair(geocentre_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("postgis-vector")
    typed = tmp / "typed.geojson"
    typed.write_text(json.dumps(TYPED, ensure_ascii=False))
    sets = [("admin", [COMMUNES, DEPARTEMENTS]), ("pcrs", [PCRS]), ("typed", [typed])]
    servers = {}
    for kind in ("gpkg", "postgis"):
        data = tmp / kind
        for name, paths in sets:
            ingest_raw(data, ["--dataset", name, *paths])
            if kind == "postgis":
                helpers.postgis_mirror(data, name)
        servers[kind] = Server(data_dir=data, log_path=tmp / f"{kind}.log").start()
    listing = helpers.run_cli(["vector", "list", "--json"], data_dir=tmp / "postgis")
    connected = [l for d in json.loads(listing.stdout) for l in d["layers"]]
    assert connected and all(l.get("postgis") for l in connected), "every layer of the second server is in PostGIS"
    yield servers
    for s in servers.values():
        s.stop()


URL = re.compile(r"http://127\.0\.0\.1:\d+(/[^\"'<>\s]*)?")


def canonical(text, base):
    """The server's address out, and every link's query in one order."""
    def one(m):
        raw = (m.group(1) or "").replace("&amp;", "&")
        path, _, query = raw.partition("?")
        pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
        q = urllib.parse.urlencode(pairs)
        return "BASE" + path + ("?" + q if q else "")
    text = URL.sub(one, text)
    # Pages carry the time they were made.
    text = re.sub(r'timeStamp="[^"]*"', 'timeStamp=""', text)
    return re.sub(r'"timeStamp":"[^"]*"', '"timeStamp":""', text)


NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def rounded(text):
    return NUMBER.sub(lambda m: f"{float(m.group(0)):.9g}", text)


def both(pair, path):
    out = []
    for kind in ("gpkg", "postgis"):
        r = pair[kind].get(path)
        out.append((r.status_code, r.headers.get("content-type"), r.content))
    return out


def same(pair, path, tolerant=False):
    (sa, ta, a), (sb, tb, b) = both(pair, path)
    assert (sa, ta) == (sb, tb), f"{path}: GeoPackage {sa} {ta}, PostGIS {sb} {tb}\n{b[:1500]!r}"
    assert sa in (200, 204, 404), f"{path}: {sa}\n{a[:1500]!r}"
    if ta and (ta.startswith("image/") or "protobuf" in ta or "mapbox" in ta):
        assert a == b, f"{path}: {len(a)} and {len(b)} bytes differ"
        return a
    ca = canonical(a.decode("utf-8"), None)
    cb = canonical(b.decode("utf-8"), None)
    if tolerant:
        ca, cb = rounded(ca), rounded(cb)
    if ca != cb:
        i = next((k for k in range(min(len(ca), len(cb))) if ca[k] != cb[k]), min(len(ca), len(cb)))
        raise AssertionError(f"{path}: answers differ at {i}:\nGeoPackage …{ca[max(0, i - 300):i + 300]}\n"
                             f"PostGIS    …{cb[max(0, i - 300):i + 300]}")
    return a


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def wfs(**params):
    return q("/wfs", SERVICE="WFS", VERSION=params.pop("VERSION", "2.0.0"), **params)


FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'


def fes(body):
    return f"<fes:Filter {FES}>{body}</fes:Filter>"


FEATURES = [
    # OGC API Features
    q(f"/ogcapi/collections/{C}/items", limit=5),
    q(f"/ogcapi/collections/{C}/items", limit=7, offset=1000),
    q(f"/ogcapi/collections/{C}/items", limit=50, bbox="1.8,47.8,2.0,48.0"),
    q(f"/ogcapi/collections/{C}/items", limit=50, bbox="600000,6740000,640000,6770000",
      **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}),
    q(f"/ogcapi/collections/{C}/items", limit=3, crs="http://www.opengis.net/def/crs/EPSG/0/2154"),
    q(f"/ogcapi/collections/{C}/items", limit=3, crs="http://www.opengis.net/def/crs/EPSG/0/4326"),
    q(f"/ogcapi/collections/{C}/items", limit=20, properties="nom"),
    q(f"/ogcapi/collections/{C}/items", nom="Orléans"),
    q(f"/ogcapi/collections/{C}/items", code="45234"),
    q(f"/ogcapi/collections/{C}/items", limit=100, filter="nom LIKE 'Saint%' AND code > '41000'"),
    q(f"/ogcapi/collections/{C}/items", limit=100, filter="CASEI(nom) LIKE CASEI('%sur-loire')"),
    q(f"/ogcapi/collections/{C}/items", limit=100, filter="CASEI(nom) LIKE CASEI('%ÉCOLE%') OR code IN ('45234', '37261')"),
    q(f"/ogcapi/collections/{C}/items", filter="S_INTERSECTS(geom, POINT(1.9093 47.9029))"),
    q(f"/ogcapi/collections/{C}/items", limit=100,
      filter='{"op":"s_within","args":[{"property":"geom"},{"bbox":[1.5,47.5,2.5,48.2]}]}',
      **{"filter-lang": "cql2-json"}),
    q(f"/ogcapi/collections/{C}/items", limit=100, filter="code = 45234"),
    q(f"/ogcapi/collections/{C}/items", limit=100, filter="NOT (code < '45') AND nom <> 'Orléans'"),
    q(f"/ogcapi/collections/{C}/items/1"),
    q(f"/ogcapi/collections/{C}/items/99999"),
    q(f"/ogcapi/collections/{C}/items", limit=2, f="html"),
    q(f"/ogcapi/collections/{D}/items"),
    q("/ogcapi/collections/typed.typed/items"),
    q("/ogcapi/collections/typed.typed/items", datetime="2021-05-01/2021-05-31"),
    q("/ogcapi/collections/typed.typed/items", datetime="../2021-05-02"),
    q("/ogcapi/collections/typed.typed/items", filter="n > 10 OR r < 1"),
    q("/ogcapi/collections/typed.typed/items", filter="ok = TRUE"),
    q("/ogcapi/collections/typed.typed/items", filter="s = '''; DROP TABLE x; --'"),
    q("/ogcapi/collections/typed.typed/items", filter="n IS NULL OR s LIKE '50\\%%'"),
    q("/ogcapi/collections/typed.typed/items", filter="s = 7"),
    q("/ogcapi/collections/typed.typed/items", n="7"),
    q("/ogcapi/collections/typed.typed/items", ok="1"),
    q("/ogcapi/collections/pcrs.AffleurantEnveloppePCRS/items", limit=100),
    q("/ogcapi/collections/pcrs.AffleurantEnveloppePCRS/items", bbox="4.88410,45.81860,4.88440,45.81880"),
    q("/ogcapi/collections/pcrs.AffleurantEnveloppePCRS/items", filter="S_INTERSECTS(geom, POINT(4.8843 45.8187))"),
    q("/ogcapi/collections/pcrs.AffleurantPCRS/items", limit=5),
    q("/ogcapi/collections/pcrs.SeuilPCRS/items", datetime="2019-12-31"),
    q("/ogcapi/collections/pcrs.HabillageLignesPCRS/items", crs="http://www.opengis.net/def/crs/EPSG/0/3946"),
    # WFS 2.0
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=10, STARTINDEX=20),
    wfs(REQUEST="GetFeature", TYPENAMES=C, BBOX="47.8,1.8,48.0,2.0,urn:ogc:def:crs:EPSG::4326"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, BBOX="600000,6740000,640000,6770000,urn:ogc:def:crs:EPSG::2154",
        SRSNAME="urn:ogc:def:crs:EPSG::2154"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=15, SORTBY="nom DESC"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=15, STARTINDEX=30, SORTBY="code ASC,nom DESC"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=5, PROPERTYNAME="nom"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, RESULTTYPE="hits"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=5, OUTPUTFORMAT="application/json"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, COUNT=5, OUTPUTFORMAT="text/csv"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, FILTER=fes(
        "<fes:PropertyIsLike wildCard='*' singleChar='?' escapeChar='!'>"
        "<fes:ValueReference>nom</fes:ValueReference><fes:Literal>Saint-?*</fes:Literal></fes:PropertyIsLike>")),
    wfs(REQUEST="GetFeature", TYPENAMES=C, FILTER=fes(
        "<fes:PropertyIsBetween><fes:ValueReference>code</fes:ValueReference>"
        "<fes:LowerBoundary><fes:Literal>45000</fes:Literal></fes:LowerBoundary>"
        "<fes:UpperBoundary><fes:Literal>45100</fes:Literal></fes:UpperBoundary></fes:PropertyIsBetween>")),
    wfs(REQUEST="GetFeature", TYPENAMES=C, FILTER=fes(
        "<fes:Intersects><fes:ValueReference>geom</fes:ValueReference>"
        "<gml:Polygon srsName='urn:ogc:def:crs:EPSG::4326'><gml:exterior><gml:LinearRing>"
        "<gml:posList>47.85 1.85 47.85 1.95 47.95 1.95 47.95 1.85 47.85 1.85</gml:posList>"
        "</gml:LinearRing></gml:exterior></gml:Polygon></fes:Intersects>")),
    wfs(REQUEST="GetFeature", TYPENAMES=C, FILTER=fes(
        "<fes:DWithin><fes:ValueReference>geom</fes:ValueReference>"
        "<gml:Point srsName='urn:ogc:def:crs:EPSG::4326'><gml:pos>47.9029 1.9093</gml:pos></gml:Point>"
        "<fes:Distance uom='deg'>0.05</fes:Distance></fes:DWithin>")),
    wfs(REQUEST="GetFeature", TYPENAMES="typed.typed", FILTER=fes(
        "<fes:During><fes:ValueReference>jour</fes:ValueReference><gml:TimePeriod gml:id='p'>"
        "<gml:beginPosition>2021-05-01</gml:beginPosition><gml:endPosition>2021-06-30</gml:endPosition>"
        "</gml:TimePeriod></fes:During>")),
    wfs(REQUEST="GetFeature", TYPENAMES="pcrs.SeuilPCRS", FILTER=fes(
        "<fes:After><fes:ValueReference>dateLeve</fes:ValueReference><gml:TimeInstant gml:id='t'>"
        "<gml:timePosition>2019-01-01</gml:timePosition></gml:TimeInstant></fes:After>")),
    wfs(REQUEST="GetFeature", TYPENAMES="pcrs.AffleurantEnveloppePCRS", COUNT=4),
    wfs(REQUEST="GetFeature", TYPENAMES="pcrs.AffleurantEnveloppePCRS",
        BBOX="1846410,5181580,1846420,5181590,urn:ogc:def:crs:EPSG::3946"),
    wfs(REQUEST="GetFeature", RESOURCEID=f"{C}.3,{C}.10"),
    wfs(REQUEST="GetFeature", TYPENAMES=C, RESOURCEID=f"{C}.123456"),
    wfs(REQUEST="GetPropertyValue", TYPENAMES=C, VALUEREFERENCE="nom", COUNT=10, SORTBY="nom"),
    wfs(REQUEST="DescribeFeatureType", TYPENAMES="pcrs.AffleurantEnveloppePCRS,typed.typed"),
    # WFS 1.1
    wfs(VERSION="1.1.0", REQUEST="GetFeature", TYPENAME=C, MAXFEATURES=5),
    wfs(VERSION="1.1.0", REQUEST="GetFeature", TYPENAME="pcrs.AffleurantEnveloppePCRS", MAXFEATURES=3,
        SRSNAME="EPSG:4326"),
    # WMS
    q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS=f"{D},{C}", STYLES="", CRS="EPSG:2154",
      BBOX="560000,6690000,680000,6800000", WIDTH=512, HEIGHT=470, FORMAT="image/png"),
    q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS="admin", STYLES="", CRS="EPSG:3857",
      BBOX="150000,5980000,260000,6120000", WIDTH=300, HEIGHT=380, FORMAT="image/png"),
    q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS="pcrs", STYLES="", CRS="EPSG:3946",
      BBOX="1846385,5181565,1846445,5181620", WIDTH=600, HEIGHT=550, FORMAT="image/png"),
    q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetFeatureInfo", LAYERS=C, QUERY_LAYERS=C, STYLES="",
      CRS="EPSG:4326", BBOX="47.8,1.8,48.0,2.0", WIDTH=200, HEIGHT=200, I=100, J=100, INFO_FORMAT="application/json"),
    q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetFeatureInfo", LAYERS="pcrs", QUERY_LAYERS="pcrs",
      STYLES="", CRS="EPSG:3946", BBOX="1846385,5181565,1846445,5181620", WIDTH=600, HEIGHT=550, I=300, J=280,
      INFO_FORMAT="text/xml", FEATURE_COUNT=10),
]


def tiles():
    out = []
    for z in (6, 9, 12):
        x, y = helpers.wm_tile_of(z, 1.9093, 47.9029)
        out += [f"/tiles/{C}/WebMercatorQuad/{z}/{x}/{y}.mvt", f"/tiles/admin/WebMercatorQuad/{z}/{x}/{y}.mvt"]
    for level in (8, 11):
        # LAMB93_5cm_EPSG rows from the top.
        x, y = 619000.0, 6750000.0
        row, col = helpers.l93_tile_of(level, x, y)
        out.append(f"/tiles/{C}/LAMB93_5cm_EPSG/{level}/{col}/{row}.mvt")
    x, y = helpers.wm_tile_of(20, 4.8843, 45.8187)
    out.append(f"/tiles/pcrs/WebMercatorQuad/20/{x}/{y}.mvt")
    return out


@pytest.mark.parametrize("path", FEATURES + tiles())
def test_same_answer(pair, path):
    same(pair, path)


@pytest.mark.parametrize("path", [
    "/ogcapi/collections",
    f"/ogcapi/collections/{C}",
    "/ogcapi/collections/pcrs.AffleurantEnveloppePCRS",
    f"/ogcapi/collections/{C}/queryables",
    "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
    "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0",
    f"/tiles/{C}/WebMercatorQuad/tilejson.json",
    "/tiles/pcrs/WebMercatorQuad/tilejson.json",
])
def test_same_description_extents_within_nine_digits(pair, path):
    same(pair, path, tolerant=True)


def test_the_comparison_can_fail(pair):
    """Control: different requests differ after the normalisation."""
    a = canonical(pair["gpkg"].get(q(f"/ogcapi/collections/{C}/items", limit=2)).text, None)
    b = canonical(pair["postgis"].get(q(f"/ogcapi/collections/{C}/items", limit=2, offset=1)).text, None)
    assert a != b
    a = pair["gpkg"].get(tiles()[0]).content
    b = pair["postgis"].get(tiles()[2]).content
    assert a != b


# --------------------------------------------------------------------------
# Read in place: a row changed in PostGIS is served at once.
# --------------------------------------------------------------------------

def test_rows_changed_in_place_are_served_at_once(geocentre_bin, tmp_path):
    url = helpers.new_postgis_database()
    data = tmp_path / "data"
    ingest_raw(data, ["--dataset", "admin", DEPARTEMENTS])
    helpers.psql(url, "CREATE SCHEMA live")
    layer = json.loads(helpers.run_cli(["vector", "list", "--json"], data_dir=data).stdout)[0]["layers"][0]
    helpers.cluster.fetch_published(data, str(Path(layer["file"]).parent))
    helpers.copy_to_postgis(url, "live", data / layer["file"], layer)
    proc = helpers.run_cli(["vector", "connect", "--dataset", "admin", "--postgres", url,
                            "--table", f"live.{layer['table_name']}"], data_dir=data)
    assert proc.returncode == 0, describe_proc(proc, "vector connect")
    srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
    try:
        item = f"/ogcapi/collections/{D}/items/1"
        x, y = helpers.wm_tile_of(7, 1.9093, 47.9029)
        tile = f"/tiles/{D}/WebMercatorQuad/7/{x}/{y}.mvt"
        before = srv.get(item).json()["properties"]["nom"]
        t0 = srv.get(tile)
        assert t0.status_code == 200 and t0.headers.get("etag"), t0.status_code
        assert srv.get(tile, headers={"If-None-Match": t0.headers["etag"]}).status_code == 304
        t = f"{helpers.sql_ident('live')}.{helpers.sql_ident(layer['table_name'])}"
        helpers.psql(url, f"UPDATE {t} SET nom = 'Renommé' || nom")
        assert srv.get(item).json()["properties"]["nom"] == "Renommé" + before
        r = srv.get(q("/wfs", SERVICE="WFS", VERSION="2.0.0", REQUEST="GetFeature", TYPENAMES=D,
                      RESOURCEID=f"{D}.1"))
        assert "Renommé" + before in r.content.decode("utf-8")
        # The tile's tag follows its bytes, not the publication: the old
        # tag no longer revalidates.
        t1 = srv.get(tile, headers={"If-None-Match": t0.headers["etag"]})
        assert t1.status_code == 200 and t1.headers["etag"] != t0.headers["etag"]
        assert t1.content != t0.content
        assert srv.get(tile, headers={"If-None-Match": t1.headers["etag"]}).status_code == 304
        # A row added beyond the extent read at `connect` (Rennes, far west
        # of the region) is found by a box, also one in another CRS.
        helpers.psql(url, f"INSERT INTO {t} (fid, code, nom, geom) VALUES (1000, '35', 'Ille-et-Vilaine', "
                          "ST_GeomFromText('POLYGON((-1.7 48.1,-1.6 48.1,-1.6 48.2,-1.7 48.1))', 4326))")
        for box in ({"bbox": "-1.8,48.0,-1.5,48.3"},
                    {"bbox": "340000,6780000,370000,6800000",
                     "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}):
            r = srv.get(q(f"/ogcapi/collections/{D}/items", **box))
            assert r.status_code == 200, r.text[:300]
            assert [f["id"] for f in r.json()["features"]] == [1000], (box, r.text[:500])
    finally:
        srv.stop()


# --------------------------------------------------------------------------
# The database of a connected dataset goes away, then comes back.
# --------------------------------------------------------------------------

def test_database_down_is_503_then_recovers(geocentre_bin, tmp_path):
    import os
    import tempfile
    from pathlib import Path
    # Under /tmp itself: the server runs as `postgres` when the tests run as
    # root, and could not traverse pytest's private directory.
    cluster = Path(tempfile.mkdtemp(prefix="geocentre-fault-pg-"))
    port = helpers._free_port()
    script = str(helpers.REPO_ROOT / "scripts" / "pg-test-cluster.sh")

    def pg(*args):
        proc = subprocess.run(["bash", script, *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, describe_proc(proc, f"pg-test-cluster.sh {args[0]}")
        return proc.stdout.strip()

    admin = pg("start", str(cluster), str(port), str(os.getpid()))
    try:
        helpers.psql(admin, "CREATE DATABASE fault")
        url = admin.rsplit("/", 1)[0] + "/fault"
        data = tmp_path / "data"
        ingest_raw(data, ["--dataset", "admin", DEPARTEMENTS])
        helpers.psql(url, "CREATE SCHEMA s")
        listing = json.loads(helpers.run_cli(["vector", "list", "--json"], data_dir=data).stdout)
        layer = listing[0]["layers"][0]
        helpers.cluster.fetch_published(data, str(Path(layer["file"]).parent))
        helpers.copy_to_postgis(url, "s", data / layer["file"], layer)
        proc = helpers.run_cli(["vector", "connect", "--dataset", "admin", "--postgres", url,
                                "--table", f"s.{layer['table_name']}"], data_dir=data)
        assert proc.returncode == 0, describe_proc(proc, "vector connect")
        srv = Server(data_dir=data, log_path=tmp_path / "server.log").start()
        x, y = helpers.wm_tile_of(7, 1.9093, 47.9029)
        probes = {
            "ogcapi": (f"/ogcapi/collections/{D}/items", "application/problem+json"),
            "wfs": (wfs(REQUEST="GetFeature", TYPENAMES=D, COUNT=1), "xml"),
            "wfs11": (wfs(VERSION="1.1.0", REQUEST="GetFeature", TYPENAME=D, MAXFEATURES=1), "xml"),
            "wms": (q("/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS=D, STYLES="",
                      CRS="EPSG:4326", BBOX="46,0,49,3.5", WIDTH=64, HEIGHT=64, FORMAT="image/png"), "xml"),
            "mvt": (f"/tiles/{D}/WebMercatorQuad/7/{x}/{y}.mvt", "application/problem+json"),
        }
        try:
            for name, (path, _) in probes.items():
                assert srv.get(path).status_code == 200, f"{name} before the database stops"
            pg("stop", str(cluster))
            for name, (path, ctype) in probes.items():
                t0 = time.time()
                r = srv.get(path, timeout=30)
                took = time.time() - t0
                assert r.status_code == 503, f"{name}: {r.status_code} {r.text[:500]}"
                assert r.headers.get("retry-after"), f"{name}: no Retry-After"
                assert ctype in r.headers.get("content-type", ""), f"{name}: {r.headers.get('content-type')}"
                assert took < 15, f"{name} took {took:.1f} s"
                # The database's address is not the public's business.
                assert str(port) not in r.text and "fault" not in r.text, r.text
            pg("start", str(cluster), str(port), str(os.getpid()))
            deadline = time.time() + 30
            for name, (path, _) in probes.items():
                while True:
                    r = srv.get(path)
                    if r.status_code == 200 or time.time() > deadline:
                        break
                    time.sleep(0.5)
                assert r.status_code == 200, f"{name} after the database is back: {r.status_code} {r.text[:300]}"
        finally:
            srv.stop()
    finally:
        subprocess.run(["bash", script, "stop", str(cluster)], capture_output=True, timeout=120)
        shutil.rmtree(cluster, ignore_errors=True)
