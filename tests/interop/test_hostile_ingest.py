"""Hostile deliveries (issue 13 §1 and the ingest side of §2; review
red-team-2026-12-07, findings F1, F2, F3, F7, F8, F9).

An ingest opens only what a delivery holds, with the GDAL driver its
extension names, and sends nothing over the network. Each class of attack is
tried with every carrier the review or the issue names, so that a fix of one
probe does not leave its neighbours open:

  * a GDAL VRT (raster) or OGR VRT (vector) named like data (.geojson, .gml,
    .kml, .tif, .jpg, a member of a .zip or .shp.zip, an .ovr sidecar), reading
    a file outside the delivery, another instance's catalog through SrcSQL,
    or a URL through /vsicurl/ (F1, F2, F8);
  * content that is not what its extension says (a PNG named .tif, a
    GeoPackage named .geojson);
  * a GML whose .xsd beside it includes a schema outside the delivery;
  * network I/O reached from plain data (a GeoJSON `crs` link, a GML
    schemaLocation and srsName), and /vsi paths on the command line (F2);
  * a GeoPackage whose layer is a view, recursive or not (F7);
  * zip archives beyond the size, ratio and entry limits, and one whose
    headers lie about the sizes (F9);
  * symbolic links that lead out of the delivery, as a data file and as the
    sidecar of one;
  * field names that are not XML names, in a GeoJSON, a CSV header and a
    GeoPackage column (F3): the published GML is well-formed and holds no
    script, and the original names are kept as titles and reported.

Everything here is written by the tests in pytest's temporary directories:
secrets are plain files made for the purpose, the "other instance" is a
SQLite file made here, the HTTP listener is a local python http.server on
127.0.0.1 that records every request it gets.
"""
from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from osgeo import gdal, ogr, osr

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

DEPARTEMENTS = helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson"
SECRET = "TOPSECRET-7f3a"
XHTML = "http://www.w3.org/1999/xhtml"
# The review's names (F3): markup in the XHTML namespace, and a name that
# made the WFS 2.0 GML ill-formed.
SCRIPT_NAME = ('b><x:script xmlns:x="http://www.w3.org/1999/xhtml">'
               "document.documentElement.setAttribute('data-pwned','x')</x:script")
IMG_NAME = "<img src=x onerror=alert(3)>"


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

class Listener:
    """An HTTP server on 127.0.0.1 that answers 404 and records every
    request line (method and path) it receives."""

    def __init__(self):
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                seen.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = do_POST = _any

            def log_message(self, *a):  # quiet
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def vingest(data, dataset, paths, config=None, timeout=120, json_out=True):
    args = (["--config", config] if config else []) + ["vector", "ingest", "--dataset", dataset]
    if json_out:
        args.append("--json")
    proc = run_cli(args + [str(p) for p in paths], data_dir=data, timeout=timeout)
    return proc, (parse_single_json(proc) if json_out else None)


def oingest(data, layer, paths, config=None, timeout=120, json_out=True):
    args = (["--config", config] if config else []) + ["ortho", "ingest", "--layer", layer,
                                                        "--vintage", "2024"]
    if json_out:
        args.append("--json")
    proc = run_cli(args + [str(p) for p in paths], data_dir=data, timeout=timeout)
    return proc, (parse_single_json(proc) if json_out else None)


def line(rep, name):
    hits = [f for f in rep["files"] if Path(f["path"]).name == name]
    assert len(hits) == 1, f"{name}: {len(hits)} lines in {json.dumps(rep['files'], indent=1)[:3000]}"
    return hits[0]


def assert_refused(proc, rep, name, code, *words):
    f = line(rep, name)
    assert (f["status"], f["code"]) == ("rejected", code), describe_proc(proc, f"{name}: {f}")
    for w in words:
        assert w in (f["reason"] or ""), f"{name}: reason {f['reason']!r} does not name {w!r}"
    return f


def leaked(data: Path, needle: str = SECRET) -> list:
    """Files under a data directory that hold `needle` (the secret must not
    be published anywhere: GeoPackage, registry, report)."""
    out = []
    for dirpath, _, names in os.walk(data):
        for n in names:
            p = Path(dirpath) / n
            try:
                if needle.encode() in p.read_bytes():
                    out.append(str(p))
            except OSError:
                pass
    return out


def secret_csv(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    p = d / "secret.csv"
    p.write_text(f'id,secret,wkt\n1,{SECRET},"POINT (600000 6700000)"\n')
    return p


def ogr_vrt(src: str, layer="secret", extra="") -> str:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="leak"><SrcDataSource>{src}</SrcDataSource>'
            f'<SrcLayer>{layer}</SrcLayer>{extra}<GeometryField encoding="WKT" field="wkt"/>'
            f'<LayerSRS>EPSG:2154</LayerSRS></OGRVRTLayer></OGRVRTDataSource>')


def raster_vrt(src: str, size=252) -> str:
    bands = "".join(
        f'<VRTRasterBand dataType="Byte" band="{b}"><SimpleSource><SourceFilename relativeToVRT="0">{src}'
        f'</SourceFilename><SourceBand>{b}</SourceBand></SimpleSource></VRTRasterBand>' for b in (1, 2, 3))
    return (f'<VRTDataset rasterXSize="{size}" rasterYSize="{size}"><SRS>EPSG:2154</SRS>'
            f'<GeoTransform>770000, 0.2, 0, 6278000, 0, -0.2</GeoTransform>{bands}</VRTDataset>')


# --------------------------------------------------------------------------
# F1: an OGR VRT under a data name reads a file outside the delivery
# --------------------------------------------------------------------------

@pytest.mark.parametrize("ext", ["geojson", "json", "gml", "kml", "csv"])
def test_ogr_vrt_named_as_vector_data_is_refused(tmp_path, ext):
    secret = secret_csv(tmp_path / "elsewhere")
    d = tmp_path / "livraison"
    d.mkdir()
    (d / f"delivery.{ext}").write_text(ogr_vrt(str(secret)))
    data = tmp_path / "data"
    proc, rep = vingest(data, "leak", [d])
    assert proc.returncode == 1, describe_proc(proc, "nothing may be published")
    assert_refused(proc, rep, f"delivery.{ext}", "indirect-source", "VRT", str(secret))
    assert not leaked(data), leaked(data)


@pytest.mark.parametrize("archive,member", [("livraison.zip", "delivery.geojson"),
                                            ("communes.shp.zip", "communes.shp")])
def test_ogr_vrt_inside_a_zip_is_refused(tmp_path, archive, member):
    secret = secret_csv(tmp_path / "elsewhere")
    z = tmp_path / archive
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(member, ogr_vrt(str(secret)))
    data = tmp_path / "data"
    proc, rep = vingest(data, "leakzip", [z])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, member, "indirect-source", str(secret))
    assert not leaked(data), leaked(data)


def test_kml_network_link_is_refused(tmp_path):
    """KML is read by LIBKML (the KML driver drops ExtendedData): a KML that
    links other documents is refused, wherever the link is in the file."""
    secret = tmp_path / "elsewhere" / "other.kml"
    secret.parent.mkdir()
    secret.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>{SECRET}'
                      '</name><Point><coordinates>1.9,47.9</coordinates></Point></Placemark></Document></kml>')
    d = tmp_path / "livraison"
    d.mkdir()
    filler = "".join(f'<Placemark><name>p{i}</name><Point><coordinates>1.9,47.9</coordinates></Point>'
                     f'</Placemark>' for i in range(20000))
    (d / "lien.kml").write_text(
        f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{filler}'
        f'<NetworkLink><Link><href>{secret}</href></Link></NetworkLink></Document></kml>')
    data = tmp_path / "data"
    proc, rep = vingest(data, "kmllink", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "lien.kml", "indirect-source", "NetworkLink", str(secret))
    assert not leaked(data), leaked(data)


def test_ogr_vrt_with_srcsql_against_another_catalog_is_refused(tmp_path):
    """The review read 16 rows of another instance's catalog.sqlite through
    SrcSQL; here the other catalog is a SQLite file made for the test."""
    other = tmp_path / "other-instance" / "catalog.sqlite"
    other.parent.mkdir()
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE users (name TEXT, token TEXT)")
    con.execute("INSERT INTO users VALUES ('admin', ?)", (SECRET,))
    con.commit()
    con.close()
    sql = ("<SrcSQL dialect=\"SQLITE\">SELECT name, token, 'POINT (600000 6700000)' AS wkt "
           "FROM users</SrcSQL>")
    d = tmp_path / "livraison"
    d.mkdir()
    body = (f'<OGRVRTDataSource><OGRVRTLayer name="leak"><SrcDataSource>{other}</SrcDataSource>{sql}'
            f'<GeometryField encoding="WKT" field="wkt"/><LayerSRS>EPSG:2154</LayerSRS>'
            f'</OGRVRTLayer></OGRVRTDataSource>')
    (d / "catalog_leak.gml").write_text(body)
    data = tmp_path / "data"
    proc, rep = vingest(data, "catleak", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "catalog_leak.gml", "indirect-source", "catalog.sqlite")
    assert not leaked(data), leaked(data)


# --------------------------------------------------------------------------
# F1 / F8: a GDAL VRT under an image name
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["dalle_is_vrt.tif", "dalle_is_vrt.jpg", "dalle_is_vrt.png"])
def test_raster_vrt_named_as_an_image_is_refused(tmp_path, rvb, name):
    """F1 raster and F8 (the PNG bomb was reached through such a VRT): the
    VRT is refused before any pixel is read."""
    d = tmp_path / "livraison"
    d.mkdir()
    (d / name).write_text(raster_vrt(str(rvb["path"])))
    proc, rep = oingest(tmp_path / "data", "vrtleak", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, name, "indirect-source", "VRT", rvb["path"].name)


def test_overview_sidecar_that_is_a_vrt_refuses_its_image(tmp_path, rvb):
    """A `.ovr` beside an image is opened by GDAL with any driver: a VRT there
    would read outside the delivery. Its image is refused."""
    d = tmp_path / "livraison"
    d.mkdir()
    (d / "dalle.tif").write_bytes(rvb["path"].read_bytes())
    (d / "dalle.tif.ovr").write_text(raster_vrt(str(rvb["path"]), size=126))
    proc, rep = oingest(tmp_path / "data", "ovrleak", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "dalle.tif", "indirect-source", "dalle.tif.ovr")


# --------------------------------------------------------------------------
# Content that does not match its extension
# --------------------------------------------------------------------------

def test_png_named_tif_is_a_format_mismatch(tmp_path, rvb):
    d = tmp_path / "livraison"
    d.mkdir()
    gdal.Translate(str(d / "dalle.tif"), str(rvb["path"]), format="PNG")
    for aux in d.glob("*.aux.xml"):
        aux.unlink()
    proc, rep = oingest(tmp_path / "data", "mismatch", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "dalle.tif", "format-mismatch", "PNG")


def test_geopackage_named_geojson_is_a_format_mismatch(tmp_path):
    d = tmp_path / "livraison"
    d.mkdir()
    gdal.VectorTranslate(str(d / "departements.geojson"), str(DEPARTEMENTS), format="GPKG")
    proc, rep = vingest(tmp_path / "data", "mismatch", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "departements.geojson", "format-mismatch", "GeoPackage")


# --------------------------------------------------------------------------
# GML: a schema beside the file that includes one outside the delivery
# --------------------------------------------------------------------------

GML_NS = "http://example.com/livraison"


def _gml(schema_location=""):
    loc = f' xsi:schemaLocation="{GML_NS} {schema_location}"' if schema_location else ""
    return (f'<?xml version="1.0"?>\n<l:FeatureCollection xmlns:l="{GML_NS}" '
            f'xmlns:gml="http://www.opengis.net/gml" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{loc}>'
            f'<gml:featureMember><l:t><l:geom><gml:Point srsName="EPSG:2154">'
            f'<gml:coordinates>600000,6700000</gml:coordinates></gml:Point></l:geom>'
            f'<l:a>1</l:a></l:t></gml:featureMember></l:FeatureCollection>\n')


def _xsd_secret():
    return (f'<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            f'xmlns:l="{GML_NS}" xmlns:gml="http://www.opengis.net/gml" targetNamespace="{GML_NS}" '
            f'elementFormDefault="qualified">'
            f'<xs:import namespace="http://www.opengis.net/gml" '
            f'schemaLocation="http://schemas.opengis.net/gml/3.1.1/base/gml.xsd"/>'
            f'<xs:element name="t" type="l:t_Type" substitutionGroup="gml:_Feature"/>'
            f'<xs:complexType name="t_Type"><xs:complexContent><xs:extension base="gml:AbstractFeatureType">'
            f'<xs:sequence><xs:element name="geom" type="gml:PointPropertyType" minOccurs="0"/>'
            f'<xs:element name="{SECRET.replace("-", "_")}" type="xs:string" minOccurs="0"/>'
            f'</xs:sequence></xs:extension></xs:complexContent></xs:complexType></xs:schema>\n')


def test_gml_schema_including_a_file_outside_the_delivery_is_refused(tmp_path):
    outside = tmp_path / "elsewhere" / "secret.xsd"
    outside.parent.mkdir()
    outside.write_text(_xsd_secret())
    d = tmp_path / "livraison"
    d.mkdir()
    (d / "t.gml").write_text(_gml())
    (d / "t.xsd").write_text(
        f'<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="{GML_NS}"><xs:include schemaLocation="{outside}"/></xs:schema>\n')
    data = tmp_path / "data"
    proc, rep = vingest(data, "xsdleak", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "t.gml", "indirect-source", "t.xsd", str(outside))
    assert not leaked(data, SECRET.replace("-", "_")), leaked(data, SECRET.replace("-", "_"))


def test_gml_schema_location_outside_the_delivery_is_not_read(tmp_path):
    """The GML's own xsi:schemaLocation naming a local schema outside the
    delivery is not read (GDAL 3.6 reads only the .xsd beside the file):
    the secret field does not appear."""
    outside = tmp_path / "elsewhere" / "secret.xsd"
    outside.parent.mkdir()
    outside.write_text(_xsd_secret())
    d = tmp_path / "livraison"
    d.mkdir()
    (d / "t.gml").write_text(_gml(str(outside)))
    data = tmp_path / "data"
    proc, rep = vingest(data, "xsdloc", [d])
    assert proc.returncode == 0, describe_proc(proc)
    names = [f["name"] for l in line(rep, "t.gml")["layers"] for f in l["fields"]]
    assert SECRET.replace("-", "_") not in names, names
    assert not leaked(data, SECRET.replace("-", "_"))


# --------------------------------------------------------------------------
# F2: no network I/O from an ingest
# --------------------------------------------------------------------------

def test_vsicurl_in_a_vector_vrt_sends_no_request(tmp_path):
    with Listener() as srv:
        d = tmp_path / "livraison"
        d.mkdir()
        (d / "ssrf.geojson").write_text(ogr_vrt(f"/vsicurl/{srv.url}/ssrf-ogr-vrt.geojson", layer="x"))
        proc, rep = vingest(tmp_path / "data", "ssrf", [d])
        time.sleep(0.3)
        assert srv.seen == [], f"the ingest sent HTTP requests: {srv.seen}"
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "ssrf.geojson", "indirect-source", "/vsicurl/")


def test_vsicurl_in_a_raster_vrt_sends_no_request(tmp_path):
    with Listener() as srv:
        d = tmp_path / "livraison"
        d.mkdir()
        (d / "ssrf_raster.tif").write_text(raster_vrt(f"/vsicurl/{srv.url}/ssrf-raster.tif"))
        proc, rep = oingest(tmp_path / "data", "ssrf", [d])
        time.sleep(0.3)
        assert srv.seen == [], f"the ingest sent HTTP requests: {srv.seen}"
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "ssrf_raster.tif", "indirect-source", "/vsicurl/")


def test_urls_inside_plain_data_are_not_fetched(tmp_path):
    """Not a VRT: a GeoJSON whose `crs` is a link (GDAL fetches it through
    OSR), a GML whose schemaLocation and srsName are URLs. Whatever the
    ingest decides about them, the listener gets no request. The child
    environment says NO_PROXY=127.0.0.1, so a proxy setting alone would not
    stop a request to the listener."""
    with Listener() as srv:
        d = tmp_path / "livraison"
        d.mkdir()
        (d / "lien.geojson").write_text(json.dumps({
            "type": "FeatureCollection",
            "crs": {"type": "link", "properties": {"href": f"{srv.url}/crs.wkt", "type": "ogcwkt"}},
            "features": [{"type": "Feature", "properties": {"a": 1},
                          "geometry": {"type": "Point", "coordinates": [600000, 6700000]}}]}))
        (d / "urls.gml").write_text(_gml(f"{srv.url}/schema.xsd").replace(
            'srsName="EPSG:2154"', f'srsName="{srv.url}/srs"'))
        proc, rep = vingest(tmp_path / "data", "urls", [d])
        time.sleep(0.3)
        assert srv.seen == [], f"the ingest sent HTTP requests: {srv.seen}\n" + describe_proc(proc)
    assert {f["status"] for f in rep["files"]} <= {"ingested", "rejected"}, rep


@pytest.mark.parametrize("command", ["vector", "ortho"])
def test_vsi_paths_on_the_command_line_are_refused(tmp_path, command):
    with Listener() as srv:
        path = f"/vsicurl/{srv.url}/remote.{'geojson' if command == 'vector' else 'tif'}"
        if command == "vector":
            proc, rep = vingest(tmp_path / "data", "vsi", [path])
        else:
            proc, rep = oingest(tmp_path / "data", "vsi", [path])
        time.sleep(0.3)
        assert srv.seen == [], f"the ingest sent HTTP requests: {srv.seen}"
    assert proc.returncode == 1, describe_proc(proc)
    f = rep["files"][0]
    assert (f["path"], f["status"], f["code"]) == (path, "rejected", "virtual-path"), f


# --------------------------------------------------------------------------
# F7: GeoPackage views
# --------------------------------------------------------------------------

def _gpkg_with_view(path: Path, view_sql: str, view="bomb"):
    gdal.VectorTranslate(str(path), str(DEPARTEMENTS), format="GPKG", layerName="base")
    con = sqlite3.connect(path)
    con.execute(f"CREATE VIEW {view} AS {view_sql}")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                f"VALUES ('{view}', 'features', '{view}', 4326)")
    con.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                f"VALUES ('{view}', 'geom', 'GEOMETRY', 4326, 0, 0)")
    con.commit()
    con.close()


RECURSIVE = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 2000000000) "


@pytest.mark.parametrize("kind", ["recursive", "plain", "zipped", "gpkg_contents"])
def test_geopackage_view_is_refused_quickly(tmp_path, kind):
    """F7 and its carriers: a layer that is a recursive view, a plain view,
    the same inside a zip archive, and a GeoPackage whose gpkg_contents
    (read by GDAL as it opens the file) is itself a recursive view."""
    d = tmp_path / "livraison"
    d.mkdir()
    g = d / "evil.gpkg"
    if kind == "gpkg_contents":
        gdal.VectorTranslate(str(g), str(DEPARTEMENTS), format="GPKG", layerName="base")
        con = sqlite3.connect(g)
        con.execute("ALTER TABLE gpkg_contents RENAME TO contents_t")
        con.execute(f"CREATE VIEW gpkg_contents AS {RECURSIVE}SELECT t.* FROM contents_t t, c")
        con.commit()
        con.close()
        view = "gpkg_contents"
    else:
        body = ("SELECT fid, geom, nom FROM base" if kind == "plain" else
                f"{RECURSIVE}SELECT x AS fid, (SELECT geom FROM base LIMIT 1) AS geom, x AS v FROM c")
        _gpkg_with_view(g, body)
        view = "bomb"
    target = g
    if kind == "zipped":
        target = tmp_path / "livraison.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(g, "evil.gpkg")
        g.unlink()
        d = tmp_path
    before = target.read_bytes()
    t0 = time.time()
    try:
        proc, rep = vingest(tmp_path / "data", "evil", [target], timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the ingest of a GeoPackage holding a view ({kind}) ran for more than 60 s")
    took = time.time() - t0
    assert took < 30, f"{took:.1f} s"
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "evil.gpkg", "view-refused", view)
    assert target.read_bytes() == before, "the delivery was written to"
    if kind != "zipped":
        assert sorted(p.name for p in d.iterdir()) == ["evil.gpkg"], "files appeared beside the delivery"
    left = [p.name for p in (tmp_path / "data").rglob("*.source.gpkg")]
    assert not left, left


# --------------------------------------------------------------------------
# F9: zip archives
# --------------------------------------------------------------------------

def _geojson_chunks(n_features: int, per_chunk=20000):
    head = b'{"type":"FeatureCollection","features":['
    feat = b'{"type":"Feature","properties":{"v":1},"geometry":{"type":"Point","coordinates":[1.9,47.9]}}'
    yield head
    done = 0
    while done < n_features:
        k = min(per_chunk, n_features - done)
        body = b",".join([feat] * k)
        yield (b"," if done else b"") + body
        done += k
    yield b"]}"


def _zip_bomb(path: Path, n_features: int):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("bomb.geojson", "w", force_zip64=True) as f:
            for c in _geojson_chunks(n_features):
                f.write(c)


def test_zip_bomb_is_refused_with_the_default_limits(tmp_path):
    """About 100 MB of GeoJSON in a zip of well under 1 MB: beyond the
    default ratio (max_archive_ratio = 100). Refused as a whole, quickly."""
    z = tmp_path / "zipbomb.zip"
    _zip_bomb(z, 1_100_000)
    assert z.stat().st_size < 1_500_000
    t0 = time.time()
    proc, rep = vingest(tmp_path / "data", "zb", [z], timeout=120)
    assert time.time() - t0 < 30, describe_proc(proc, "the refusal took too long")
    assert proc.returncode == 1, describe_proc(proc)
    f = assert_refused(proc, rep, "zipbomb.zip", "archive-limit", "max_archive_ratio")
    assert not any(Path(x["path"]).name == "bomb.geojson" for x in rep["files"]), rep["files"]
    assert f["reason"]


@pytest.mark.parametrize("limit,value", [("max_archive_bytes", 100_000), ("max_archive_entries", 10)])
def test_zip_beyond_a_configured_limit_is_refused(tmp_path, limit, value):
    cfg = tmp_path / "geocentre.toml"
    cfg.write_text(f"[ingest]\n{limit} = {value}\n")
    z = tmp_path / "livraison.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        if limit == "max_archive_bytes":
            zf.write(DEPARTEMENTS, "departements.geojson")  # honest headers, beyond 100 kB
        else:
            for i in range(11):
                zf.writestr(f"notes/n{i}.txt", "x")
            zf.write(DEPARTEMENTS, "departements.geojson")
    proc, rep = vingest(tmp_path / "data", "lim", [z], config=cfg)
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "livraison.zip", "archive-limit", limit)
    # Control: the same archive under the defaults is ingested.
    proc, rep = vingest(tmp_path / "data2", "lim", [z])
    assert proc.returncode == 0, describe_proc(proc)


def test_zip_whose_headers_lie_about_sizes_is_refused(tmp_path):
    """The local header and the central directory declare 1000 bytes for a
    member that inflates to ~20 MB: GDAL's /vsizip/ reads the whole stream
    whatever the header says, so the ingest counts what it inflates."""
    import struct
    cfg = tmp_path / "geocentre.toml"
    cfg.write_text("[ingest]\nmax_archive_bytes = 5000000\n")
    z = tmp_path / "menteur.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.geojson", b"".join(_geojson_chunks(200_000)))
    b = bytearray(z.read_bytes())
    i = b.find(b"PK\x03\x04")
    j = b.find(b"PK\x01\x02")
    struct.pack_into("<I", b, i + 22, 1000)
    struct.pack_into("<I", b, j + 24, 1000)
    z.write_bytes(bytes(b))
    assert gdal.VSIStatL(f"/vsizip/{z}/bomb.geojson").size == 1000
    proc, rep = vingest(tmp_path / "data", "liar", [z], config=cfg, timeout=120)
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "menteur.zip", "archive-limit", "max_archive_bytes")


# --------------------------------------------------------------------------
# Symbolic links out of the delivery
# --------------------------------------------------------------------------

def test_symlink_out_of_the_delivery_is_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"s": SECRET},
                      "geometry": {"type": "Point", "coordinates": [1.9, 47.9]}}]}))
    d = tmp_path / "livraison"
    d.mkdir()
    (d / "secret.geojson").symlink_to(outside / "secret.geojson")
    (d / "departements.geojson").write_bytes(DEPARTEMENTS.read_bytes())
    # A link inside the delivery is read as the file it names.
    (d / "sous").mkdir()
    (d / "sous" / "copie.geojson").symlink_to(d / "departements.geojson")
    data = tmp_path / "data"
    proc, rep = vingest(data, "links", [d])
    assert proc.returncode == 0, describe_proc(proc)
    f = line(rep, "secret.geojson")
    assert f["status"] == "ignored" and "outside" in (f["kind"] or ""), f
    assert line(rep, "departements.geojson")["status"] == "ingested"
    assert line(rep, "copie.geojson")["status"] == "ingested"
    assert not leaked(data), leaked(data)


def test_sidecar_linked_out_of_the_delivery_refuses_its_file(tmp_path):
    """GDAL opens a Shapefile's .dbf by name, whatever the inventory says:
    a .dbf that is a link out of the delivery refuses its .shp."""
    src = tmp_path / "src"
    src.mkdir()
    gdal.VectorTranslate(str(src / "deps.shp"), str(DEPARTEMENTS), format="ESRI Shapefile")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    d = tmp_path / "livraison"
    d.mkdir()
    for p in src.iterdir():
        if p.suffix == ".dbf":
            (outside / p.name).write_bytes(p.read_bytes())
            (d / p.name).symlink_to(outside / p.name)
        else:
            (d / p.name).write_bytes(p.read_bytes())
    proc, rep = vingest(tmp_path / "data", "dbflink", [d])
    assert proc.returncode == 1, describe_proc(proc)
    assert_refused(proc, rep, "deps.shp", "outside-delivery", "deps.dbf")
    assert "outside" in (line(rep, "deps.dbf")["kind"] or "")


# --------------------------------------------------------------------------
# F3 (ingest side): names that are not XML names
# --------------------------------------------------------------------------

HOSTILE = [SCRIPT_NAME, IMG_NAME, "2024 surface (m²)"]


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    d = root / "livraison"
    d.mkdir()
    # GeoJSON
    props = {n: f"v{i}" for i, n in enumerate(HOSTILE)}
    props["nom"] = "ok"
    (d / "injection.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props,
                      "geometry": {"type": "Point", "coordinates": [1.9, 47.9]}}]}))
    # CSV header
    def q(s):
        return '"' + s.replace('"', '""') + '"'
    (d / "entetes.csv").write_text(",".join([*map(q, HOSTILE), "lon", "lat"]) + "\n"
                                   + ",".join(["a", "b", "c", "1.9", "47.9"]) + "\n")
    # GeoPackage column
    g = d / "colonnes.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(g))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("colonnes", srs, ogr.wkbPoint)
    for n in HOSTILE:
        lyr.CreateField(ogr.FieldDefn(n, ogr.OFTString))
    f = ogr.Feature(lyr.GetLayerDefn())
    for i, n in enumerate(HOSTILE):
        f.SetField(n, f"g{i}")
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (1.9 47.9)"))
    lyr.CreateFeature(f)
    ds = None
    data = root / "data"
    proc, rep = vingest(data, "noms", [d])
    text = run_cli(["vector", "ingest", "--dataset", "noms-texte", d], data_dir=data)
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield {"proc": proc, "rep": rep, "text": text, "srv": srv, "data": data}
    srv.stop()


def _no_script(root):
    bad = [el.tag for el in root.iter()
           if el.tag.startswith("{" + XHTML + "}") or el.tag.rsplit("}", 1)[-1].lower() == "script"]
    return bad


@pytest.mark.parametrize("layer", ["injection", "entetes", "colonnes"])
@pytest.mark.parametrize("version", ["2.0.0", "1.1.0"])
def test_published_gml_is_well_formed_without_script(names, layer, version):
    assert names["proc"].returncode == 0, describe_proc(names["proc"])
    key = "TYPENAMES" if version == "2.0.0" else "TYPENAME"
    r = names["srv"].get("/wfs", params={"SERVICE": "WFS", "VERSION": version, "REQUEST": "GetFeature",
                                        key: f"noms.{layer}"})
    assert r.status_code == 200, r.text[:500]
    try:
        root = ET.fromstring(r.content)
    except ET.ParseError as e:
        pytest.fail(f"WFS {version} GML of {layer} is not well-formed XML ({e}):\n{r.text[:1500]}")
    assert not _no_script(root), _no_script(root)
    assert b"<x:script" not in r.content and b"<img" not in r.content, r.text[:1500]


def _source_names(path: Path):
    """The field names of a delivered file as OGR reads them (the CSV
    driver reads a header's doubled quotes its own way)."""
    oo = ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", "KEEP_GEOM_COLUMNS=NO"] if path.suffix == ".csv" else []
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, open_options=oo)
    d = ds.GetLayer(0).GetLayerDefn()
    return [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]


@pytest.mark.parametrize("layer,file", [("injection", "injection.geojson"), ("entetes", "entetes.csv"),
                                        ("colonnes", "colonnes.gpkg")])
def test_original_names_are_kept_as_titles_and_reported(names, layer, file):
    rep = names["rep"]
    f = line(rep, file)
    assert f["status"] == "ingested", f
    (lr,) = [l for l in f["layers"] if l["name"] == layer]
    src = _source_names(Path(f["path"]))
    hostile = [n for n in src if not helpers_ncname(n)]
    assert len(hostile) == len(HOSTILE), (src, "the test's names must reach the source as names")
    titles = {fd.get("title"): fd["name"] for fd in lr["fields"]}
    for n in hostile:
        assert n in titles, f"{n!r} not kept as a title: {lr['fields']}"
        assert helpers_ncname(titles[n]), titles[n]
    renamed = {r["from"]: r["to"] for r in lr["renamed"]}
    assert {n: titles[n] for n in hostile} == renamed, lr["renamed"]
    # A valid name stays as it is, without a title.
    if layer == "injection":
        (nom,) = [fd for fd in lr["fields"] if fd["name"] == "nom"]
        assert "title" not in nom, nom
    # The published layer keeps the titles (vector list --json).
    p = run_cli(["vector", "list", "--json"], data_dir=names["data"], check_rc=0)
    (ds,) = [x for x in json.loads(p.stdout) if x["name"] == "noms"]
    (pub,) = [l for l in ds["layers"] if l["name"] == layer]
    assert {fd.get("title") for fd in pub["fields"]} >= set(hostile), pub["fields"]
    assert {fd["name"] for fd in pub["fields"]} >= set(renamed.values()), pub["fields"]
    # OGC API queryables: the safe name as the key, the delivered one as its title.
    r = names["srv"].get(f"/ogcapi/collections/noms.{layer}/queryables")
    assert r.status_code == 200, r.text[:300]
    props = r.json()["properties"]
    for n in hostile:
        assert props[renamed[n]]["title"] == n, props


def test_renamed_fields_are_in_the_text_report(names):
    out = names["text"].stdout
    assert names["text"].returncode == 0, describe_proc(names["text"])
    lines = [l for l in out.splitlines() if "renommé" in l]
    assert len(lines) >= 3 * len(HOSTILE), describe_proc(names["text"], "renamed fields not reported")
    assert any(IMG_NAME in l for l in lines), lines


def helpers_ncname(s: str) -> bool:
    import re
    return re.fullmatch(r"[A-Za-z_\u00C0-\uFFFD][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFD]*", s) is not None
