"""Every file of a delivery is accounted for (issue 12, section 2).

A contractor's delivery folder, DERIVED from the REAL IGN tile of data/ortho
(written by GDAL in pytest's temporary directory):

  dalle.tif + dalle.tif.aux.xml   the real tile and its real statistics sidecar
  geo.jpg + geo.jgw + geo.prj     the tile as JPEG, georeferenced by a world
                                  file and an ESRI .prj (GDAL itself does not
                                  read the .prj: geocentre does)
  plain.png                       the tile as PNG without any georeferencing
  rapport.pdf, sous/lisezmoi.txt  a report and notes
  orphan.tfw                      a world file whose image is missing

`geocentre ortho ingest DIR` must give every one of them a line with its
status (ingested, rejected with a reason, sidecar of its image, ignored with
its type), totals that add up to the files found, the exit status of a partial
delivery (3), and leave the delivery folder exactly as it was. The same rule
for vector deliveries, folders and zip archives.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from osgeo import gdal, ogr, osr

import helpers
from helpers import describe_proc, parse_single_json, run_cli

gdal.UseExceptions()


def _listing(root: Path) -> dict:
    """Every file under root with its SHA-256: the delivery as delivered."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _esri_prj(epsg: int) -> str:
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.MorphToESRI()
    return s.ExportToWkt()


@pytest.fixture(scope="module")
def delivery(tmp_path_factory, rvb):
    d = tmp_path_factory.mktemp("delivery") / "livraison"
    (d / "sous").mkdir(parents=True)
    src = str(rvb["path"])
    # The real tile and its real .aux.xml, unchanged.
    (d / "dalle.tif").write_bytes(Path(src).read_bytes())
    (d / "dalle.tif.aux.xml").write_bytes(Path(src + ".aux.xml").read_bytes())
    # DERIVED: JPEG with a world file; the CRS only in an ESRI .prj.
    gdal.Translate(str(d / "geo.jpg"), src, format="JPEG", creationOptions=["WORLDFILE=YES"])
    (d / "geo.wld").rename(d / "geo.jgw")
    for aux in d.glob("*.aux.xml"):
        if aux.name != "dalle.tif.aux.xml":
            aux.unlink()
    (d / "geo.prj").write_text(_esri_prj(2154))
    # DERIVED: PNG without georeferencing (GDAL's PAM sidecar removed).
    gdal.Translate(str(d / "plain.png"), src, format="PNG")
    for aux in d.glob("plain.png.aux.xml"):
        aux.unlink()
    (d / "rapport.pdf").write_bytes(b"%PDF-1.4\n% rapport de livraison (test)\n%%EOF\n")
    (d / "sous" / "lisezmoi.txt").write_text("Livraison de test : notes du prestataire.\n")
    (d / "orphan.tfw").write_text("0.2\n0\n0\n-0.2\n770000\n6278000\n")
    return d


@pytest.fixture(scope="module")
def ingested(delivery, tmp_path_factory):
    before = _listing(delivery)
    data = tmp_path_factory.mktemp("delivery-data")
    proc = run_cli(["ortho", "ingest", "--layer", "livraison", "--vintage", "2024", "--json", delivery],
                   data_dir=data)
    report = parse_single_json(proc)
    text = run_cli(["ortho", "ingest", "--layer", "livraison-texte", "--vintage", "2024", delivery],
                   data_dir=data)
    return {"proc": proc, "report": report, "text": text, "before": before, "data": data}


def _line(report, name):
    hits = [f for f in report["files"] if Path(f["path"]).name == name]
    assert len(hits) == 1, f"{name}: {len(hits)} lines in {[f['path'] for f in report['files']]}"
    return hits[0]


def test_partial_delivery_exit_status(ingested):
    assert ingested["proc"].returncode == 3, describe_proc(ingested["proc"], "a rejected image means 3")
    assert ingested["report"]["status"] == "partial"


def test_every_file_has_its_line_and_the_totals_add_up(ingested, delivery):
    r = ingested["report"]
    found = sorted(ingested["before"])
    listed = sorted(str(Path(f["path"]).relative_to(delivery)) for f in r["files"])
    assert listed == found, "the report must list exactly the files of the delivery"
    t = r["totals"]
    counts = {s: sum(1 for f in r["files"] if f["status"] == s) for s in ("ingested", "rejected", "sidecar", "ignored")}
    assert {k: t[k] for k in counts} == counts
    assert t["files"] == len(found) == sum(counts.values()) == 9
    assert counts == {"ingested": 2, "rejected": 1, "sidecar": 3, "ignored": 3}


def test_images_are_tried(ingested):
    r = ingested["report"]
    tif = _line(r, "dalle.tif")
    assert tif["status"] == "ingested", tif
    jpg = _line(r, "geo.jpg")
    assert jpg["status"] == "ingested", jpg
    assert jpg["format"] == "JPEG" and jpg["crs"] == "EPSG:2154", jpg
    assert ".prj" in (jpg["crs_note"] or ""), jpg
    png = _line(r, "plain.png")
    assert png["status"] == "rejected" and png["code"] == "not-georeferenced", png
    assert png["reason"], png


def test_sidecars_name_their_image(ingested, delivery):
    r = ingested["report"]
    for name, image, kind in [("dalle.tif.aux.xml", "dalle.tif", ".aux.xml"),
                              ("geo.jgw", "geo.jpg", "world file"),
                              ("geo.prj", "geo.jpg", ".prj")]:
        f = _line(r, name)
        assert f["status"] == "sidecar", f
        assert Path(f["sidecar_of"]) == delivery / image, f
        assert kind in f["kind"], f


def test_ignored_files_have_their_type(ingested):
    r = ingested["report"]
    assert _line(r, "rapport.pdf")["kind"] == "PDF document"
    assert _line(r, "lisezmoi.txt")["kind"] == "text file"
    orphan = _line(r, "orphan.tfw")
    assert orphan["status"] == "ignored" and "without its file" in orphan["kind"], orphan


def test_text_report_lists_every_file_and_the_totals(ingested, delivery):
    out = ingested["text"].stdout
    for name in ingested["before"]:
        assert Path(name).name in out, f"{name} missing from the text report:\n{out}"
    assert "ANNEXE" in out and "IGNORÉ" in out and "REJETÉ" in out
    assert "Fichiers : 9 au total — 2 intégré(s), 1 rejeté(s), 3 fichier(s) annexe(s), 3 ignoré(s)" in out, out


def test_the_delivery_is_not_written_to(ingested, delivery):
    assert _listing(delivery) == ingested["before"]


def test_world_file_places_the_jpeg(ingested, delivery):
    """The JPEG's footprint is the one GDAL reads from its world file."""
    ds = gdal.Open(str(delivery / "geo.jpg"))
    gt = ds.GetGeoTransform()
    want = (gt[0], gt[3] + gt[5] * ds.RasterYSize, gt[0] + gt[1] * ds.RasterXSize, gt[3])
    got = _line(ingested["report"], "geo.jpg")["footprint_l93"]
    assert got == pytest.approx(want, abs=1e-6)


def test_without_its_prj_the_jpeg_has_no_crs(delivery, tmp_path):
    """Control: the .prj is what gives the JPEG its CRS."""
    d = tmp_path / "sans-prj"
    d.mkdir()
    for n in ("geo.jpg", "geo.jgw"):
        (d / n).write_bytes((delivery / n).read_bytes())
    proc = run_cli(["ortho", "ingest", "--layer", "sansprj", "--vintage", "2024", "--json", d],
                   data_dir=tmp_path / "data")
    r = parse_single_json(proc)
    assert proc.returncode == 1, describe_proc(proc)
    assert _line(r, "geo.jpg")["code"] == "no-crs"
    assert _line(r, "geo.jgw")["status"] == "sidecar"


def test_a_folder_without_images_is_refused_by_name(tmp_path):
    d = tmp_path / "vide"
    d.mkdir()
    (d / "rapport.pdf").write_bytes(b"%PDF-1.4\n")
    proc = run_cli(["ortho", "ingest", "--layer", "vide", "--vintage", "2024", d], data_dir=tmp_path / "data")
    assert proc.returncode == 1
    assert "no image found" in proc.stderr and "1 other file" in proc.stderr, describe_proc(proc)


# ------------------------------------------------------------------ vector


@pytest.fixture(scope="module")
def vector_delivery(tmp_path_factory):
    """DERIVED from the REAL départements GeoJSON: a Shapefile (with its
    .shx/.dbf/.prj/.cpg), the GeoJSON itself, a zip holding a Shapefile and
    a note, a PDF and a stray .prj."""
    src = str(helpers.DATA / "admin" / "departements-centre-val-de-loire.geojson")
    d = tmp_path_factory.mktemp("vdelivery") / "livraison"
    d.mkdir()
    gdal.VectorTranslate(str(d / "deps.shp"), src, format="ESRI Shapefile")
    (d / "deps.geojson").write_bytes(Path(src).read_bytes())
    z = d.parent / "zipped"
    z.mkdir()
    gdal.VectorTranslate(str(z / "zdeps.shp"), src, format="ESRI Shapefile")
    with zipfile.ZipFile(d / "archive.zip", "w") as zf:
        for p in sorted(z.iterdir()):
            zf.write(p, f"dossier/{p.name}")
        zf.writestr("dossier/note.txt", "note dans l'archive\n")
    (d / "rapport.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "seul.prj").write_text(_esri_prj(2154))
    return d


def test_vector_folder_and_archive_are_accounted_for(vector_delivery, tmp_path):
    d = vector_delivery
    proc = run_cli(["vector", "ingest", "--dataset", "livraison", "--json", d], data_dir=tmp_path / "data")
    assert proc.returncode == 0, describe_proc(proc)
    r = parse_single_json(proc)
    by_name = {Path(f["path"]).name: f for f in r["files"]}
    for n in ("deps.shp", "deps.geojson", "zdeps.shp"):
        assert by_name[n]["status"] == "ingested", by_name[n]
    # The archive's Shapefile is read through the archive.
    assert str(d / "archive.zip") in by_name["zdeps.shp"]["path"]
    for n in ("deps.shx", "deps.dbf", "deps.prj", "zdeps.dbf", "zdeps.shx"):
        assert by_name[n]["status"] == "sidecar", by_name[n]
    assert by_name["zdeps.dbf"]["sidecar_of"] == by_name["zdeps.shp"]["path"]
    assert by_name["note.txt"]["status"] == "ignored" and by_name["note.txt"]["kind"] == "text file"
    assert by_name["rapport.pdf"]["kind"] == "PDF document"
    assert by_name["seul.prj"]["status"] == "ignored" and "without its file" in by_name["seul.prj"]["kind"]
    # Totals: every file of the folder, and every member of the archive
    # instead of the archive itself.
    with zipfile.ZipFile(d / "archive.zip") as zf:
        members = [m for m in zf.namelist() if not m.endswith("/")]
    on_disk = [p for p in d.rglob("*") if p.is_file() and p.name != "archive.zip"]
    t = r["totals"]
    assert t["files"] == len(on_disk) + len(members) == len(r["files"])
    assert t["files"] == t["ingested"] + t["rejected"] + t["sidecar"] + t["ignored"]
    # Three layers of 6 départements each.
    assert sorted(l["feature_count"] for l in r["layers"]) == [6, 6, 6]
