"""CSV ingest keeps codes as written: `geocentre vector ingest` of a CSV.

Contract (README "Command line", `vector ingest`): GDAL guesses CSV column
types (AUTODETECT_TYPE) from the first AUTODETECT_SIZE_LIMIT bytes only, and
reads `01001` as the integer 1001. The ingest reads the whole file once more
and stores as text (String) every column GDAL guessed numeric where a value is
written with a leading zero (`0` then another digit, after an optional sign;
not `0`, not `0.5`), is an integer no 64-bit integer holds, or has more digits
than a double holds; a column whose later values are wider numbers
(Integer -> Real) is widened. Other columns keep GDAL's types; geometry
columns (lon/lat, WKT) are read as before. The --json report lists the changed
columns per layer under `column_notes` (column, detected, stored, reason,
example, row).

Every expected value comes from the SOURCE rows written here; the control
(`test_control_gdal_alone_loses_the_zeros`) shows what GDAL alone (ogr2ogr
with AUTODETECT_TYPE=YES, the ingest's former options) makes of the same file,
so the checks can fail.

Data:
  * REAL (data//admin): the 1,776 Centre-Val de Loire communes
    (INSEE `code`, `nom`, polygons in WGS84).
  * DERIVED at test time, in pytest's tmp dirs:
      - communes-codes.csv, one row per commune, WKT polygon: `code` (INSEE,
        no leading zero in this region: stays a number), `nom`, `dep` (its
        first two digits, a number), `dep3` (the département on three digits
        as some national files write it, `045`: leading zeros from row 1),
        `num` (the commune's number in its département, the last three digits
        of the code: `001`..`099` have leading zeros), `surf_ha` (area in
        Lambert-93, Real), `rang` (row number, Integer), `ident` (a 20-digit
        identifier, code + rang on 15 digits: beyond 64-bit integers), `WKT`.
        Rows are ordered so that every `num` below 100 comes after the first
        AUTODETECT_SIZE_LIMIT bytes GDAL samples (checked below).
      - communes-points.csv: the same attributes with the communes' centroids
        as lon/lat columns, in INSEE order.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from osgeo import gdal, ogr, osr

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

# REAL DATA
COMMUNES = helpers.DATA / "admin" / "communes-centre-val-de-loire.geojson"

DATASET = "csvtypes"
WKT_LAYER = "communes_codes"
POINTS_LAYER = "communes_points"
TEXT_COLUMNS = {"dep3": "leading-zero", "num": "leading-zero", "ident": "beyond-int64"}
# The ingest's CSV open options before the fix: GDAL's guess alone.
GDAL_GUESS = ["AUTODETECT_TYPE=YES", "EMPTY_STRING_AS_NULL=YES", "KEEP_GEOM_COLUMNS=NO"]
HEADER = ["code", "nom", "dep", "dep3", "num", "surf_ha", "rang", "ident"]


def _srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def gdal_sample_limit():
    """AUTODETECT_SIZE_LIMIT's default, as the CSV driver declares it."""
    opts = ogr.GetDriverByName("CSV").GetMetadataItem("DMD_OPENOPTIONLIST") or ""
    m = re.search(r"name=['\"]AUTODETECT_SIZE_LIMIT['\"][^>]*default=['\"](\d+)['\"]", opts)
    return int(m.group(1)) if m else 1_000_000


def source_rows():
    """DERIVED rows (dicts of the strings written) from the REAL communes,
    with their WGS84 geometry."""
    ct = osr.CoordinateTransformation(_srs(4326), _srs(2154))
    ds = gdal.OpenEx(str(COMMUNES), gdal.OF_VECTOR)
    out = []
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef().Clone()
        g93 = g.Clone()
        g93.Transform(ct)
        code = f.GetField("code")
        out.append(({"code": code, "nom": f.GetField("nom"), "dep": code[:2], "dep3": "0" + code[:2],
                     "num": code[2:], "surf_ha": repr(round(g93.GetArea() / 1e4, 4))}, g))
    return out


def write_rows(path, rows, geometry):
    """Writes the rows (rang and ident numbered in this order); returns the
    written rows and the byte offset of each row."""
    offsets, written = [], []
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER + (["WKT"] if geometry == "wkt" else ["lon", "lat"]))
        for i, (a, g) in enumerate(rows, start=1):
            a = dict(a, rang=str(i), ident=f"{a['code']}{i:015d}")
            fh.flush()
            offsets.append(fh.tell())
            if geometry == "wkt":
                geo = [g.ExportToIsoWkt()]
            else:
                c = g.Centroid()
                geo = [repr(c.GetX()), repr(c.GetY())]
            w.writerow([a[k] for k in HEADER] + geo)
            written.append((a, g))
    return written, offsets


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not COMMUNES.is_file():
        pytest.fail(f"real data not found at {COMMUNES} (the repository carries it under data/)", pytrace=False)
    root = tmp_path_factory.mktemp("csv-types-src")
    rows = source_rows()
    assert len(rows) > 1700
    # Communes numbered 100 and above first: the leading zeros of `num` come
    # after what GDAL samples.
    ordered = sorted(rows, key=lambda r: (r[0]["num"] < "100", r[0]["code"]))
    wkt_rows, offsets = write_rows(root / "communes-codes.csv", ordered, "wkt")
    first_zero = next(i for i, (a, _) in enumerate(wkt_rows) if a["num"].startswith("0"))
    pts_rows, _ = write_rows(root / "communes-points.csv", sorted(rows, key=lambda r: r[0]["code"]), "lonlat")
    return {"wkt": root / "communes-codes.csv", "wkt_rows": wkt_rows, "first_zero_row": first_zero + 1,
            "first_zero_offset": offsets[first_zero],
            "points": root / "communes-points.csv", "points_rows": pts_rows}


@pytest.fixture(scope="module")
def ingested(geocentre_bin, files, tmp_path_factory):
    root = tmp_path_factory.mktemp("csv-types")
    data = root / "data"
    proc = run_cli(["vector", "ingest", "--dataset", DATASET, "--json", files["wkt"], files["points"]],
                   data_dir=data, timeout=300)
    assert proc.returncode == 0, describe_proc(proc, "ingest of the two derived CSV files")
    rep = parse_single_json(proc)
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield {"data": data, "report": rep, "server": srv, "root": root}
    srv.stop()


def report_layer(rep, name):
    for f in rep["files"]:
        for l in f["layers"]:
            if l["name"] == name:
                return l
    raise AssertionError(f"no layer {name} in the report: {[l['name'] for f in rep['files'] for l in f['layers']]}")


def items(srv, layer):
    r = srv.get(f"/ogcapi/collections/{DATASET}.{layer}/items", params={"f": "json", "limit": 10000})
    assert r.status_code == 200, f"items of {layer}: HTTP {r.status_code}\n{r.text[:2000]}"
    doc = r.json()
    feats = doc["features"]
    return {f["properties"]["rang"]: f for f in feats}


def test_leading_zeros_come_after_gdal_sample(files):
    limit = gdal_sample_limit()
    assert files["first_zero_offset"] > limit, (
        f"the first `num` with a leading zero is at byte {files['first_zero_offset']}, inside GDAL's "
        f"{limit}-byte sample: the file does not test values past the sample")


def test_control_gdal_alone_loses_the_zeros(files, tmp_path):
    """What the ingest did before: ogr2ogr of the CSV with AUTODETECT_TYPE=YES."""
    out = tmp_path / "guess.gpkg"
    # gdal.VectorTranslate opens a source given by name without open options.
    src_ds = gdal.OpenEx(str(files["wkt"]), gdal.OF_VECTOR, open_options=["GEOM_POSSIBLE_NAMES=WKT", *GDAL_GUESS])
    gdal.VectorTranslate(str(out), src_ds, format="GPKG")
    src_ds = None
    ds = gdal.OpenEx(str(out), gdal.OF_VECTOR)
    lyr = ds.GetLayer(0)
    d = lyr.GetLayerDefn()
    types = {d.GetFieldDefn(i).GetName(): d.GetFieldDefn(i).GetTypeName() for i in range(d.GetFieldCount())}
    assert types["dep3"] in ("Integer", "Integer64") and types["num"] in ("Integer", "Integer64"), types
    assert types["ident"] in ("Integer64", "Real"), types
    src = {a["rang"]: a for a, _ in files["wkt_rows"]}
    lost = {"dep3": 0, "num": 0, "ident": 0}
    for f in lyr:
        a = src[str(f.GetField("rang"))]
        for k in lost:
            if f.GetFieldAsString(k) != a[k]:
                lost[k] += 1
    n = len(src)
    zeros = sum(1 for a in src.values() if a["num"].startswith("0"))
    assert lost["dep3"] == n and lost["ident"] == n and lost["num"] == zeros, (
        f"GDAL alone was expected to change every dep3 and ident and the {zeros} num with leading "
        f"zeros; changed: {lost}")


def test_report_names_the_columns_kept_as_text(ingested, files):
    rep = ingested["report"]
    assert rep["status"] == "published", rep
    l = report_layer(rep, WKT_LAYER)
    notes = {n["column"]: n for n in l["column_notes"]}
    assert set(notes) == set(TEXT_COLUMNS), l["column_notes"]
    for col, reason in TEXT_COLUMNS.items():
        n = notes[col]
        assert n["stored"] == "String" and n["reason"] == reason, n
        assert n["detected"] in ("Integer", "Integer64", "Real"), n
    assert (notes["dep3"]["row"], notes["dep3"]["example"]) == (1, files["wkt_rows"][0][0]["dep3"])
    first = files["wkt_rows"][files["first_zero_row"] - 1][0]
    assert (notes["num"]["row"], notes["num"]["example"]) == (files["first_zero_row"], first["num"]), notes["num"]
    kinds = {f["name"]: f["type"] for f in l["fields"]}
    assert kinds == {"code": "Integer", "nom": "String", "dep": "Integer", "dep3": "String", "num": "String",
                     "surf_ha": "Real", "rang": "Integer", "ident": "String"}, kinds
    assert l["geometry_type"] in ("Polygon", "Multi Polygon", "Unknown (any)"), l["geometry_type"]
    assert l["features"] == len(files["wkt_rows"])


def test_lonlat_file_keeps_its_point_geometry(ingested, files):
    l = report_layer(ingested["report"], POINTS_LAYER)
    assert l["geometry_type"] == "Point" and l["epsg"] == 4326, l
    assert {n["column"] for n in l["column_notes"]} == set(TEXT_COLUMNS), l["column_notes"]
    names = [f["name"] for f in l["fields"]]
    assert "lon" not in names and "lat" not in names, names


@pytest.mark.parametrize("which,layer", [("wkt", WKT_LAYER), ("points", POINTS_LAYER)])
def test_ogcapi_gives_codes_back_as_written(ingested, files, which, layer):
    got = items(ingested["server"], layer)
    rows = files[f"{which}_rows"]
    assert len(got) == len(rows), f"{len(got)} features served, {len(rows)} rows written"
    bad = []
    for a, g in rows:
        p = got[int(a["rang"])]["properties"]
        for k in ("dep3", "num", "ident", "nom"):
            if p[k] != a[k]:
                bad.append(f"rang {a['rang']}: {k} {p[k]!r} != {a[k]!r}")
        for k in ("code", "dep", "rang"):
            if not (isinstance(p[k], int) and p[k] == int(a[k])):
                bad.append(f"rang {a['rang']}: {k} {p[k]!r} is not the number {a[k]}")
        if not (isinstance(p["surf_ha"], (int, float)) and p["surf_ha"] == float(a["surf_ha"])):
            bad.append(f"rang {a['rang']}: surf_ha {p['surf_ha']!r} != {a['surf_ha']}")
    assert not bad, f"{len(bad)} differences, e.g.:\n" + "\n".join(bad[:20])


def vertices(g):
    """Every vertex (x, y) of a geometry, parts and rings in order."""
    out = []

    def rec(h):
        if h.GetGeometryCount():
            for i in range(h.GetGeometryCount()):
                rec(h.GetGeometryRef(i))
        else:
            out.extend((h.GetX(i), h.GetY(i)) for i in range(h.GetPointCount()))

    rec(g)
    return out


@pytest.mark.parametrize("which,layer", [("wkt", WKT_LAYER), ("points", POINTS_LAYER)])
def test_geometries_read_as_before(ingested, files, which, layer):
    """WKT polygons (a layer mixing polygons and multipolygons is stored as
    multi, as for any format) and lon/lat points come back as written."""
    got = items(ingested["server"], layer)
    worst, bad = 0.0, []
    for a, g in files[f"{which}_rows"]:
        served = ogr.CreateGeometryFromJson(json.dumps(got[int(a["rang"])]["geometry"]))
        want = g if which == "wkt" else g.Centroid()
        sv, wv = vertices(served), vertices(want)
        if ogr.GT_Flatten(want.GetGeometryType()) != ogr.GT_Flatten(served.GetGeometryType()) and not (
                served.GetGeometryCount() == 1 and
                ogr.GT_Flatten(served.GetGeometryType()) == ogr.GT_GetCollection(want.GetGeometryType())):
            bad.append(f"{a['code']}: {want.GetGeometryName()} served as {served.GetGeometryName()}")
        if len(sv) != len(wv):
            bad.append(f"{a['code']}: {len(sv)} vertices served, {len(wv)} written")
            continue
        # Written with 15+ significant digits (WKT) or repr() (lon/lat).
        worst = max([worst] + [max(abs(p[0] - q[0]), abs(p[1] - q[1])) for p, q in zip(sv, wv)])
    assert not bad, "\n".join(bad[:20])
    assert worst <= 1e-9, f"{layer}: geometry differs from the source by up to {worst} degrees"


def test_no_link_left_behind(ingested):
    left = [str(p) for p in Path(ingested["data"]).rglob("*") if p.is_symlink() or p.suffix == ".csvt"
            or p.name.endswith(".csvt.d")]
    assert not left, left


def test_csvt_from_the_producer_wins(geocentre_bin, files, tmp_path):
    """A .csvt delivered with the file is the producer's word on its types."""
    src = tmp_path / "communes-typees.csv"
    src.write_bytes(Path(files["points"]).read_bytes())
    src.with_suffix(".csvt").write_text("String,String,Integer,Integer,Integer,Real,Integer,String,Real,Real\n")
    proc = run_cli(["vector", "ingest", "--dataset", "typed", "--json", src], data_dir=tmp_path / "data",
                   timeout=120)
    assert proc.returncode == 0, describe_proc(proc, "ingest with a .csvt")
    l = parse_single_json(proc)["files"][0]["layers"][0]
    kinds = {f["name"]: f["type"] for f in l["fields"]}
    assert (kinds["code"], kinds["dep3"], kinds["num"]) == ("String", "Integer", "Integer"), kinds
    assert l["column_notes"] == [], l["column_notes"]


def test_text_report_says_which_columns_stay_text(geocentre_bin, files, tmp_path):
    """The French text report (no --json) names each column kept as text and why."""
    proc = run_cli(["vector", "ingest", "--dataset", "texte", files["points"]], data_dir=tmp_path / "data",
                   timeout=120)
    assert proc.returncode == 0, describe_proc(proc, "ingest with the text report")
    lines = [l.strip() for l in proc.stdout.splitlines() if l.strip().startswith("colonne ")]
    said = {l.split()[1]: l for l in lines}
    assert set(said) == set(TEXT_COLUMNS), describe_proc(proc, f"columns named: {sorted(said)}")
    assert "lue comme String (zéro initial" in said["dep3"], said["dep3"]
    assert "entier au-delà de 64 bits" in said["ident"], said["ident"]
