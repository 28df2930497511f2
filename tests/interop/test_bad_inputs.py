"""Ingest of bad inputs, JPEG 2000 and a CC46 (EPSG:3946) delivery.

Bad inputs come from tests/fixtures/make_bad_inputs.py (generated here, in a
tmp dir). The JP2 and CC46 files are DERIVED from the REAL RVB tile
(tests/interop/derived.py).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import derived
import helpers
from helpers import Server, describe_proc, ingest, list_pending, list_vintage, ortho_list
from make_bad_inputs import make_bad_inputs


@pytest.fixture(scope="module")
def bad(rvb, tmp_path_factory):
    d = tmp_path_factory.mktemp("bad-inputs")
    return d, make_bad_inputs(str(rvb["path"]), str(d))


def _by_name(rep):
    return {Path(f["path"]).name: f for f in rep["files"]}


def test_mixed_batch_exit_3_and_report_lines(geocentre_bin, rvb, bad, tmp_path):
    bad_dir, items = bad
    data = tmp_path / "data"
    proc, rep = ingest(data, "mixed", 2022, [bad_dir, rvb["path"]])
    assert proc.returncode == 3, describe_proc(proc, "some files rejected, the rest published: exit 3")
    assert rep["status"] == "partial", rep
    files = _by_name(rep)
    assert set(files) == set(items) | {rvb["path"].name}, f"report files: {sorted(files)}"

    problems = []
    for name, b in items.items():
        f = files[name]
        if f["status"] != "rejected" or f["code"] != b.code:
            problems.append(f"{name} ({b.what}): expected rejected/{b.code}, got "
                            f"{f['status']}/{f['code']} reason={f.get('reason')!r}")
        elif not (isinstance(f["reason"], str) and f["reason"].strip()):
            problems.append(f"{name}: rejected without a human reason: {f!r}")
    assert not problems, "\n".join(problems) + "\n\nfull report:\n" + json.dumps(rep, indent=1)

    good = files[rvb["path"].name]
    assert good["status"] == "ingested" and good["code"] is None, good

    # Scan fields must describe what is actually in the readable rejected files.
    assert files["uint16.tif"]["data_type"] == "UInt16", files["uint16.tif"]
    assert files["two-bands.tif"]["bands"] == 2, files["two-bands.tif"]
    a = files["absurd-dimensions.tif"]
    assert (a["width"], a["height"]) == (100000, 100000), a

    listing = ortho_list(data)
    v = list_vintage(listing, "mixed", 2022)
    assert v is not None and v["state"] == "published", json.dumps(listing, indent=1)
    assert v["rejected"] == len(items), v
    # `files` is read as the number of ingested files; the total is tolerated.
    assert v["files"] in (1, 1 + len(items)), v


def test_mixed_batch_human_report(geocentre_bin, rvb, bad, tmp_path):
    bad_dir, items = bad
    proc, _ = ingest(tmp_path / "data", "mixed", 2022, [bad_dir, rvb["path"]], json_out=False)
    assert proc.returncode == 3, describe_proc(proc, "exit status without --json")
    text = proc.stdout + proc.stderr
    missing = [n for n in items if n not in text]
    assert not missing, describe_proc(proc, f"human report does not mention rejected files {missing}")


def test_only_bad_files_exit_1(geocentre_bin, bad, tmp_path):
    bad_dir, items = bad
    data = tmp_path / "data"
    proc, rep = ingest(data, "allbad", 2022, [bad_dir])
    assert proc.returncode == 1, describe_proc(proc, "nothing published: exit 1")
    assert rep["status"] == "failed", rep
    assert all(f["status"] == "rejected" for f in rep["files"]), rep
    assert len(rep["files"]) == len(items), rep
    listing = ortho_list(data)
    assert list_vintage(listing, "allbad", 2022) is None, "a failed ingest was published"
    assert list_pending(listing, "allbad", 2022) == [], f"a failed ingest left pending: {listing['pending']}"


def test_no_crs_file_accepted_with_crs_option(geocentre_bin, rvb, bad, tmp_path):
    bad_dir, items = bad
    p = bad_dir / "no-crs.tif"
    proc, rep = ingest(tmp_path / "data", "nocrs", 2022, [p], extra=["--crs", "EPSG:2154"])
    assert proc.returncode == 0, describe_proc(proc, "no-CRS file with --crs EPSG:2154 should ingest")
    f = rep["files"][0]
    assert f["status"] == "ingested" and f["code"] is None, f
    assert f["crs"] == "EPSG:2154", f
    assert list(f["footprint_l93"]) == pytest.approx(list(rvb["bbox"]), abs=1e-3), f


# ---------------------------------------------------------------------------
# JPEG 2000 and CC46 (both DERIVED from the real tile), with a server on top
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reproj(geocentre_bin, rvb, tmp_path_factory):
    root = tmp_path_factory.mktemp("jp2-cc46")
    data = root / "data"
    jp2 = derived.jp2_copy(rvb["path"], root / "ign-rvb-copy.jp2")
    cc46 = derived.cc46_copy(rvb["path"], root / "ign-rvb-cc46.tif")
    pj, rj = ingest(data, "jp2", 2021, [jp2])
    pc, rc = ingest(data, "cc46", 2021, [cc46])
    srv = None
    if pj.returncode == 0 or pc.returncode == 0:
        srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield {"root": root, "jp2": (pj, rj), "cc46": (pc, rc), "server": srv}
    if srv:
        srv.stop()


def test_jp2_copy_ingests(reproj, rvb):
    proc, rep = reproj["jp2"]
    assert proc.returncode == 0, describe_proc(proc, "JPEG 2000 copy of the real tile should ingest")
    assert rep["status"] == "published" and rep["native_level"] == 20, rep
    f = rep["files"][0]
    assert f["format"] == "JP2OpenJPEG", f
    assert f["crs"] == "EPSG:2154", f
    assert list(f["footprint_l93"]) == pytest.approx(list(rvb["bbox"]), abs=1e-3), f


def test_cc46_copy_ingests_and_is_reprojected(reproj, rvb):
    proc, rep = reproj["cc46"]
    assert proc.returncode == 0, describe_proc(proc, "CC46 copy of the real tile should ingest")
    assert rep["status"] == "published", rep
    f = rep["files"][0]
    assert f["crs"] == "EPSG:3946", f
    fp = list(f["footprint_l93"])
    # Back in Lambert-93: within 2 m of the original footprint (the CC46 grid is
    # slightly rotated with respect to Lambert-93, so the warped bbox grows a little).
    assert fp == pytest.approx(list(rvb["bbox"]), abs=2.0), (fp, rvb["bbox"])


def test_cc46_copy_keeps_native_level_20(reproj):
    """The CC46 copy has 20 cm pixels; CC46 and Lambert-93 are both conformal and
    their scale factors differ by well under 1 % here, so the layer stays at level
    20 (20 cm), as the real tile does, rather than being upsampled to level 21."""
    proc, rep = reproj["cc46"]
    assert proc.returncode == 0, describe_proc(proc, "CC46 copy of the real tile should ingest")
    assert rep["native_level"] == 20, {k: v for k, v in rep.items() if k != "files"}


@pytest.mark.parametrize("layer", ["jp2", "cc46"])
def test_served_pixels_match_source(reproj, rvb, layer, tmp_path):
    """Read the layer back with GDAL's WMTS driver over the interior of the real tile
    and compare with the REAL source, with the same thresholds and 1-pixel-shift
    controls as test_wmts_gdal.py (warping the CC46 copy back to Lambert-93 with
    GDAL gives MAD < 1 against the source, so the JPEG tolerance still applies)."""
    proc, _ = reproj[layer]
    if proc.returncode != 0:
        pytest.fail(f"layer {layer} was not ingested (see the ingest test)")
    srv = reproj["server"]
    margin = 10
    got = helpers.gdal_wmts_readback(srv.base_url, layer, helpers.inner_bbox(rvb, margin), tmp_path)
    src = helpers.gdal().Open(str(rvb["path"])).ReadAsArray()
    problems, report = helpers.check_alignment(got[:3], src, margin)
    assert not problems, f"layer {layer}: " + "\n".join(problems) + "\n" + report
