"""CLI contract: --help, the ingest --json report of the REAL RVB tile, ortho list,
GEOCENTRE_DATA_DIR, the human report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import helpers
from helpers import describe_proc, ingest, list_vintage, ortho_list, run_cli


def test_help_lists_subcommands(geocentre_bin):
    p = run_cli(["--help"])
    assert p.returncode == 0, describe_proc(p, "--help failed")
    for word in ("serve", "demo", "ortho"):
        assert word in p.stdout, describe_proc(p, f"--help does not mention `{word}`")
    p = run_cli(["ortho", "--help"])
    assert p.returncode == 0, describe_proc(p, "ortho --help failed")
    for word in ("ingest", "list"):
        assert word in p.stdout, describe_proc(p, f"ortho --help does not mention `{word}`")


def check_real_tile_scan(f, rvb, *, fmt="GTiff", crs="EPSG:2154", check_block=True):
    """Scan fields of a file carrying the REAL tile's pixels and georeferencing."""
    assert f["status"] == "ingested", f
    assert f["code"] is None and f["reason"] is None, f
    assert f["format"] == fmt, f
    assert (f["width"], f["height"]) == (rvb["width"], rvb["height"]), f
    assert f["bands"] == 3, f
    assert [str(c).lower() for c in f["color_interp"]] == ["red", "green", "blue"], f
    assert f["data_type"] == "Byte", f
    if check_block:
        assert list(f["block_size"]) == [252, 10], f  # what gdalinfo says of the source
    # Contract point: the incomplete datum description ("unknown" datum on the
    # WGS84 ellipsoid) must still be recognised as Lambert-93.
    assert f["crs"] == crs, f
    px = [abs(v) for v in f["pixel_size"]]
    assert px == pytest.approx([0.2, 0.2], abs=1e-6), f
    assert list(f["footprint_l93"]) == pytest.approx(list(rvb["bbox"]), abs=1e-3), f


def test_ingest_report_of_real_tile(env, rvb):
    rep = env.ign_report
    assert rep["layer"] == "ign"
    assert rep["vintage"] == 2021
    assert rep["ingest_id"] not in (None, ""), rep
    assert rep["status"] == "published", rep
    assert rep["native_level"] == 20, rep
    assert isinstance(rep["chunks"], int) and rep["chunks"] >= 1, rep
    assert len(rep["files"]) == 1, rep
    f = rep["files"][0]
    assert Path(f["path"]).name == rvb["path"].name, f
    check_real_tile_scan(f, rvb)
    # The source is uncompressed (no COMPRESSION in its IMAGE_STRUCTURE metadata).
    assert f["compression"] in (None, "None", "NONE", "none"), f


def test_ingest_walks_directories_recursively(env):
    rep = env.gaps_report
    assert rep["status"] == "published", rep
    names = sorted(Path(f["path"]).name for f in rep["files"])
    assert names == ["east.tif", "west.tif"], rep
    assert all(f["status"] == "ingested" for f in rep["files"]), rep


def test_ortho_list_after_ingest(env):
    listing = ortho_list(env.data_dir)
    v = list_vintage(listing, "ign", 2021)
    assert v is not None, json.dumps(listing, indent=1)
    assert v["state"] == "published", v
    assert v["ingest_id"] == env.ign_report["ingest_id"], (v, env.ign_report["ingest_id"])
    assert v["files"] == 1 and v["rejected"] == 0, v
    assert v["native_level"] == 20, v
    g = list_vintage(listing, "gaps", 2021)
    assert g is not None and g["files"] == 2 and g["rejected"] == 0, listing
    assert listing.get("pending") == [], f"nothing should be pending: {listing.get('pending')}"


def test_data_dir_from_environment(env):
    by_flag = ortho_list(env.data_dir)
    p = run_cli(["ortho", "list", "--json"], env_extra={"GEOCENTRE_DATA_DIR": str(env.data_dir)})
    assert p.returncode == 0, describe_proc(p, "ortho list with GEOCENTRE_DATA_DIR failed")
    by_env = helpers.parse_single_json(p)
    assert by_env == by_flag


def test_human_report_without_json(geocentre_bin, rvb, tmp_path):
    data = tmp_path / "data"
    p, _ = ingest(data, "human", 2021, [rvb["path"]], json_out=False)
    assert p.returncode == 0, describe_proc(p, "plain ingest failed")
    assert p.stdout.strip(), describe_proc(p, "no human report on stdout")
    try:
        json.loads(p.stdout)
    except json.JSONDecodeError:
        pass
    else:
        raise AssertionError(describe_proc(p, "without --json the report should be human text, got JSON"))
    assert rvb["path"].name in p.stdout, describe_proc(p, "human report does not name the file")
    v = list_vintage(ortho_list(data), "human", 2021)
    assert v is not None and v["state"] == "published"


def test_no_temporary_files_after_ingest(env):
    bad = helpers.leftovers(env.data_dir)
    assert not bad, "\n".join(bad)
