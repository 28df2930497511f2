"""The configuration file: `--config FILE`, `GEOCENTRE_CONFIG`, ./geocentre.toml
in the working directory, their order, and malformed files.

A configuration is seen through what it changes: the service title in the
WMTS and WMS capabilities ([service] title) and the Cache-Control max-age of
tiles ([tiles] max_age_s). The titles and ages used here are the tests' own,
so that a server on its defaults cannot show them (control: the server
without configuration shows neither).

Data: the REAL RVB tile (layer `ign`, 2021) in a module data dir.
"""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

import helpers
from helpers import L93_TMS, Server, describe_proc, ingest, run_cli

NS = {"ows": "http://www.opengis.net/ows/1.1", "wms": "http://www.opengis.net/wms"}


@pytest.fixture(scope="module")
def data(geocentre_bin, rvb, tmp_path_factory):
    root = tmp_path_factory.mktemp("config")
    d = root / "data"
    proc, _ = ingest(d, "ign", 2021, [rvb["path"]])
    assert proc.returncode == 0, describe_proc(proc, "ingest of the real tile")
    x, y = (rvb["bbox"][0] + rvb["bbox"][2]) / 2, (rvb["bbox"][1] + rvb["bbox"][3]) / 2
    row, col = helpers.l93_tile_of(20, x, y)
    return {"dir": d, "root": root, "tile": f"/tiles/ign/{L93_TMS}/20/{col}/{row}.jpg"}


def write_config(path, title, max_age):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[service]\ntitle = "{title}"\n\n[tiles]\nmax_age_s = {max_age}\n', encoding="utf-8")
    return path


def seen(data, tmp_path, name, **server_kw):
    """(WMTS title, WMS title, tile max-age) of a server started with server_kw."""
    srv = Server(data_dir=data["dir"], log_path=tmp_path / f"{name}.log", **server_kw).start()
    try:
        r = srv.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities")
        assert r.status_code == 200, r.text[:300]
        wmts = ET.fromstring(r.content).find("ows:ServiceIdentification/ows:Title", NS).text
        r = srv.get("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities")
        assert r.status_code == 200, r.text[:300]
        wms = ET.fromstring(r.content).find("wms:Service/wms:Title", NS).text
        r = srv.get(data["tile"])
        assert r.status_code == 200, (data["tile"], r.status_code, r.text[:300])
        m = re.search(r"max-age=(\d+)", r.headers.get("Cache-Control", ""))
        assert m, f"no max-age in Cache-Control: {r.headers.get('Cache-Control')!r}"
        return wmts, wms, int(m.group(1))
    finally:
        srv.stop()


def test_without_configuration_the_tests_settings_are_absent(data, tmp_path):
    """Control: a clean working directory and no variable give the defaults,
    which are none of the values the other tests look for."""
    wmts, wms, age = seen(data, tmp_path, "none")
    assert wmts == wms and "(test" not in wmts, (wmts, wms)
    assert age not in (1234, 2345, 3456), age


def test_config_flag(data, tmp_path):
    cfg = write_config(tmp_path / "conf" / "flag.toml", "Titre de --config (test)", 1234)
    assert seen(data, tmp_path, "flag", args=["--config", cfg]) == \
        ("Titre de --config (test)", "Titre de --config (test)", 1234)


def test_config_environment_variable(data, tmp_path):
    cfg = write_config(tmp_path / "conf" / "env.toml", "Titre de GEOCENTRE_CONFIG (test)", 2345)
    assert seen(data, tmp_path, "env", env_extra={"GEOCENTRE_CONFIG": str(cfg)}) == \
        ("Titre de GEOCENTRE_CONFIG (test)", "Titre de GEOCENTRE_CONFIG (test)", 2345)


def test_config_file_in_working_directory(data, tmp_path):
    cwd = tmp_path / "cwd"
    write_config(cwd / "geocentre.toml", "Titre de ./geocentre.toml (test)", 3456)
    assert seen(data, tmp_path, "cwd", cwd=cwd) == \
        ("Titre de ./geocentre.toml (test)", "Titre de ./geocentre.toml (test)", 3456)


def test_flag_wins_over_variable_and_working_directory(data, tmp_path):
    flag = write_config(tmp_path / "conf" / "flag.toml", "Titre de --config (test)", 1234)
    env = write_config(tmp_path / "conf" / "env.toml", "Titre de GEOCENTRE_CONFIG (test)", 2345)
    cwd = tmp_path / "cwd"
    write_config(cwd / "geocentre.toml", "Titre de ./geocentre.toml (test)", 3456)
    assert seen(data, tmp_path, "all", args=["--config", flag], env_extra={"GEOCENTRE_CONFIG": str(env)},
                cwd=cwd)[2] == 1234
    # The variable names the file: ./geocentre.toml is not read then.
    assert seen(data, tmp_path, "env-cwd", env_extra={"GEOCENTRE_CONFIG": str(env)}, cwd=cwd)[2] == 2345


# --------------------------------------------------------------------------
# Malformed files: exit status 1, the message names the file and the problem,
# for a command and for the server (which must not start).
# --------------------------------------------------------------------------

MALFORMED = {
    "unknown-key": ("[server]\nbindd = '127.0.0.1:0'\n", ["bindd"]),
    "unknown-section": ("[serveur]\nbind = '127.0.0.1:0'\n", ["serveur"]),
    "syntax": ("[service]\ntitle = \"jamais fermé\n", ["line 2"]),
    "wrong-type": ("[tiles]\nmax_age_s = 'une heure'\n", ["max_age_s"]),
    "out-of-range": ("[ingest]\njpeg_quality = 0\n", ["ingest.jpeg_quality must be between 1 and 100"]),
    "bad-choice": ("[ingest]\nresampling = 'magique'\n", ["ingest.resampling must be one of"]),
}


def run_with(how, cfg, args, data_dir, timeout):
    if how == "flag":
        return run_cli(["--config", cfg, *args], data_dir=data_dir, timeout=timeout)
    return run_cli(args, data_dir=data_dir, timeout=timeout, env_extra={"GEOCENTRE_CONFIG": str(cfg)})


@pytest.mark.parametrize("how", ["flag", "env"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_config_is_refused_naming_file_and_problem(data, tmp_path, case, how):
    text, problem = MALFORMED[case]
    cfg = tmp_path / "conf dir" / f"{case}.toml"
    cfg.parent.mkdir()
    cfg.write_text(text, encoding="utf-8")
    for args in (["ortho", "list", "--json"], ["serve", "--bind", "127.0.0.1:0"]):
        try:
            p = run_with(how, cfg, args, data["dir"], timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{args[0]} with the malformed {case} config ({how}) kept running")
        assert p.returncode == 1, describe_proc(p, f"{case} config accepted by {args[0]}")
        assert str(cfg) in p.stderr, describe_proc(p, "the message does not name the file")
        for word in problem:
            assert word in p.stderr, describe_proc(p, f"the message does not say {word!r}")
        assert "listening on" not in p.stdout, describe_proc(p, "the server started")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_missing_config_file_is_refused(data, tmp_path, how):
    cfg = tmp_path / "absent" / "geocentre.toml"
    p = run_with(how, cfg, ["ortho", "list", "--json"], data["dir"], timeout=30)
    assert p.returncode == 1, describe_proc(p, "a missing --config file was ignored")
    assert f"cannot read {cfg}" in p.stderr, describe_proc(p, "the message does not name the missing file")
