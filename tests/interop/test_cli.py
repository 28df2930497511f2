"""CLI contract: --help, the ingest --json report of the REAL RVB tile, ortho list,
GEOCENTRE_DATA_DIR, the human report."""
from __future__ import annotations

import json
import os
import subprocess
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


# --------------------------------------------------------------------------
# Bad input: a path that does not exist, a malformed --crs, an invalid name.
# Each: the exit status, a message naming what is wrong, and nothing published.
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["file", "directory"])
def test_ortho_ingest_of_a_path_that_does_not_exist(geocentre_bin, tmp_path, kind):
    missing = tmp_path / "nulle-part" / ("dalle-absente.tif" if kind == "file" else "livraison")
    assert not missing.exists()
    data = tmp_path / "data"
    # --json: the report's file entry is the path, rejected.
    p, rep = ingest(data, "absent", 2021, [missing])
    assert p.returncode == 1, describe_proc(p, "nothing ingested: exit 1")
    assert rep["status"] == "failed", rep
    assert [(f["path"], f["status"]) for f in rep["files"]] == [(str(missing), "rejected")], rep["files"]
    assert rep["files"][0]["code"] and rep["files"][0]["reason"], rep["files"][0]
    # Human report: the line of the rejected file names the path.
    p, _ = ingest(data, "absent", 2021, [missing], json_out=False)
    assert p.returncode == 1, describe_proc(p, "nothing ingested: exit 1")
    assert [l for l in p.stdout.splitlines() if str(missing) in l and "REJET" in l], \
        describe_proc(p, f"the report does not name {missing}")
    listing = ortho_list(data)
    assert list_vintage(listing, "absent", 2021) is None and listing["pending"] == [], listing


def test_vector_ingest_of_a_path_that_does_not_exist(geocentre_bin, tmp_path):
    missing = tmp_path / "nulle-part" / "communes-absentes.geojson"
    data = tmp_path / "data"
    p = run_cli(["vector", "ingest", "--dataset", "absent", "--json", missing], data_dir=data)
    assert p.returncode == 1, describe_proc(p, "nothing ingested: exit 1")
    rep = helpers.parse_single_json(p)
    assert rep["status"] == "failed" and rep["layers"] == [], rep
    assert [(f["path"], f["status"]) for f in rep["files"]] == [(str(missing), "rejected")], rep["files"]
    assert "no such file" in rep["files"][0]["reason"], rep["files"][0]
    p = run_cli(["vector", "ingest", "--dataset", "absent", missing], data_dir=data)
    assert p.returncode == 1, describe_proc(p, "nothing ingested: exit 1")
    assert [l for l in p.stdout.splitlines() if str(missing) in l and "REJET" in l], \
        describe_proc(p, f"the report does not name {missing}")
    p = run_cli(["vector", "list", "--json"], data_dir=data, check_rc=0)
    assert json.loads(p.stdout) == [], p.stdout


MALFORMED_CRS = ["EPSG:abc", "2154x", "EPSG:", "EPSG:2154.5", "EPSG:-2154", "EPSG:12", "EPSG:99999999",
                 "IGNF:LAMB93", "EPSG 2154"]


@pytest.mark.parametrize("command", ["ortho", "vector"])
def test_malformed_crs_is_a_usage_error(geocentre_bin, rvb, tmp_path, command):
    src = rvb["path"] if command == "ortho" else helpers.DATA / "admin" / "region-centre-val-de-loire.geojson"
    for crs in MALFORMED_CRS:
        data = tmp_path / f"data-{MALFORMED_CRS.index(crs)}"
        args = (["ortho", "ingest", "--layer", "crs", "--vintage", "2021"] if command == "ortho"
                else ["vector", "ingest", "--dataset", "crs"])
        p = run_cli(args + ["--crs", crs, "--json", src], data_dir=data)
        # Refused by the argument parser (exit 2) before anything is opened.
        assert p.returncode == 2, describe_proc(p, f"--crs {crs!r}: expected a usage error")
        assert f"'{crs}'" in p.stderr and "--crs" in p.stderr, describe_proc(p, "the error does not name the value")
        assert "EPSG:2154" in p.stderr, describe_proc(p, "the error does not show the expected form")
        assert p.stdout == "", describe_proc(p, "a usage error printed a report")
        assert not data.exists(), f"--crs {crs!r}: the data directory was created"
    # Control: the same command with a well-formed code is accepted.
    data = tmp_path / "data-ok"
    args = (["ortho", "ingest", "--layer", "crs", "--vintage", "2021"] if command == "ortho"
            else ["vector", "ingest", "--dataset", "crs"])
    p = run_cli(args + ["--crs", "EPSG:2154" if command == "ortho" else "EPSG:4326", "--json", src], data_dir=data)
    assert p.returncode == 0, describe_proc(p, "a well-formed --crs was refused")


BAD_LAYER_NAMES = ["Bad/Name", "deux mots", "-tiret", "_souligne", "", "x" * 65, "ortho-2024", "ortho-",
                   "ortho-dalles", "été", "a;b"]
BAD_DATASET_NAMES = ["a.b", "bad/name", "ville-2024", "", "été", "-x", "x" * 65, "communes-dalles"]


def test_invalid_layer_names_are_refused(geocentre_bin, rvb, tmp_path):
    data = tmp_path / "data"
    for name in BAD_LAYER_NAMES:
        # --layer=NAME: a name starting with '-' is still the option's value.
        p = run_cli(["ortho", "ingest", f"--layer={name}", "--vintage", "2021", "--json", rvb["path"]], data_dir=data)
        assert p.returncode == 1, describe_proc(p, f"layer name {name!r} accepted")
        assert f"layer name '{name}'" in p.stderr, describe_proc(p, "the error does not name the layer name")
        assert "letters, digits" in p.stderr, describe_proc(p, "the error does not give the rule")
    listing = ortho_list(data)
    assert listing == {"layers": [], "pending": []}, listing
    # Control: a valid name is accepted.
    p = run_cli(["ortho", "ingest", "--layer", "ortho_hr.2", "--vintage", "2021", "--json", rvb["path"]],
                data_dir=data)
    assert p.returncode == 0, describe_proc(p, "a valid layer name was refused")


def test_invalid_dataset_names_are_refused(geocentre_bin, tmp_path):
    src = helpers.DATA / "admin" / "region-centre-val-de-loire.geojson"
    data = tmp_path / "data"
    for name in BAD_DATASET_NAMES:
        p = run_cli(["vector", "ingest", f"--dataset={name}", "--json", src], data_dir=data)
        assert p.returncode == 1, describe_proc(p, f"dataset name {name!r} accepted")
        assert f"dataset name '{name}'" in p.stderr, describe_proc(p, "the error does not name the dataset name")
        assert "letters, digits" in p.stderr, describe_proc(p, "the error does not give the rule")
    p = run_cli(["vector", "list", "--json"], data_dir=data, check_rc=0)
    assert json.loads(p.stdout) == [], p.stdout
    p = run_cli(["vector", "ingest", "--dataset", "region_2", "--json", src], data_dir=data)
    assert p.returncode == 0, describe_proc(p, "a valid dataset name was refused")


# --------------------------------------------------------------------------
# The suite's own isolation (helpers.child_env / child_cwd): a developer's
# GEOCENTRE_CONFIG or ./geocentre.toml does not reach the binary under test.
# --------------------------------------------------------------------------

def test_children_do_not_inherit_config_from_the_caller(geocentre_bin, tmp_path):
    bad = tmp_path / "cwd"
    bad.mkdir()
    (bad / "geocentre.toml").write_text("[server]\nbindd = 'cassé'\n")  # unknown key: refused
    data = tmp_path / "data"
    old_cwd, old_env = os.getcwd(), os.environ.get("GEOCENTRE_CONFIG")
    try:
        os.chdir(bad)
        os.environ["GEOCENTRE_CONFIG"] = str(bad / "geocentre.toml")
        # Control: run as a plain child of this process, the binary does read them.
        for env in (dict(os.environ), {k: v for k, v in os.environ.items() if k != "GEOCENTRE_CONFIG"}):
            p = subprocess.run([str(geocentre_bin), "--data-dir", str(data), "ortho", "list", "--json"],
                               capture_output=True, text=True, timeout=60, env=env)
            assert p.returncode == 1 and "bindd" in p.stderr, describe_proc(p, "control: the bad config was not read")
        # Through the suite's helpers, neither reaches it.
        p = run_cli(["ortho", "list", "--json"], data_dir=data)
        assert p.returncode == 0, describe_proc(p, "the caller's config leaked into run_cli")
        srv = helpers.Server(data_dir=data, log_path=tmp_path / "server.log").start()
        srv.stop()
    finally:
        os.chdir(old_cwd)
        if old_env is None:
            os.environ.pop("GEOCENTRE_CONFIG", None)
        else:
            os.environ["GEOCENTRE_CONFIG"] = old_env
