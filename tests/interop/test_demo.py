"""`geocentre demo --no-serve`: one run into a fresh data dir (module scope; a
minute or two), then what it published, checked through the CLI listings
(`ortho list --json`, `vector list --json`, `group list --json`) and one HTTP
request each to `geocentre serve` on 127.0.0.1:0.

What README.md says the demo publishes:
  * layer `ortho-hr`: vintage 2021 (64 DERIVED IRC dalles) and vintage 2024 (40
    DERIVED RVB dalles over the western part), and its composite;
  * layer `ign_echantillon`, vintage 2021: the REAL IGN tile;
  * dataset `admin`: the region's communes, départements, region and cantons
    (REAL, stored in Lambert-93);
  * dataset `epci`: 82 EPCI, DERIVED (unions of member communes by the
    membership of @etalab/decoupage-administratif 6.0.0, fetched by
    scripts/install-deps.sh into .cache/);
  * dataset `pcrs-lyon`: the Lyon PCRS sample, 11 feature classes;
  * the WMS layer group `plan-de-situation` (ortho-hr + admin.communes).

The demo reads the repository's data from `data` relative to its working
directory (`--source`, default `data`) and the EPCI membership from `.cache/`
likewise: it runs in an empty temporary directory holding only the links
`data` -> the repository's data/ and `.cache` -> the repository's .cache/ (no
geocentre.toml there). Expected counts of REAL features come from OGR on the
files under data/.
"""
from __future__ import annotations

import json

import pytest

import helpers
from helpers import Server, describe_proc, parse_single_json, run_cli

DECOUPAGE = helpers.REPO_ROOT / ".cache" / "decoupage-administratif-6.0.0" / "package" / "data"
ADMIN = helpers.DATA / "admin"


def ogr_count(path):
    from osgeo import ogr
    ogr.UseExceptions()
    ds = ogr.Open(str(path))  # kept alive while its layer is used
    return ds.GetLayer(0).GetFeatureCount()


def source_flag(geocentre_bin):
    """The demo's data-folder option is `--source`; the default, `data` in
    the working directory, is what is tested."""
    p = run_cli(["demo", "--help"])
    assert p.returncode == 0, describe_proc(p, "demo --help")
    assert "--source" in p.stdout and "--shared" not in p.stdout, describe_proc(p, "demo options")
    return []


@pytest.fixture(scope="module")
def demo(geocentre_bin, tmp_path_factory):
    assert (DECOUPAGE / "epci.json").is_file(), (
        f"EPCI membership not found at {DECOUPAGE}: `scripts/install-deps.sh` fetches it "
        "(@etalab/decoupage-administratif 6.0.0)")
    root = tmp_path_factory.mktemp("demo")
    cwd = root / "cwd"
    cwd.mkdir()
    (cwd / "data").symlink_to(helpers.DATA)
    (cwd / ".cache").symlink_to(helpers.REPO_ROOT / ".cache")
    data = root / "data"
    assert not data.exists()
    p = run_cli(["demo", "--no-serve", *source_flag(geocentre_bin)], data_dir=data, cwd=cwd, timeout=1500)
    assert p.returncode == 0, describe_proc(p, "demo --no-serve failed")
    assert "listening on" not in p.stdout, describe_proc(p, "--no-serve served")
    ortho = parse_single_json(run_cli(["ortho", "list", "--json"], data_dir=data, check_rc=0))
    vector = {d["name"]: d for d in json.loads(
        run_cli(["vector", "list", "--json"], data_dir=data, check_rc=0).stdout)}
    groups = {g["name"]: g for g in json.loads(
        run_cli(["group", "list", "--json"], data_dir=data, check_rc=0).stdout)}
    srv = Server(data_dir=data, log_path=root / "server.log").start()
    yield {"data": data, "ortho": ortho, "vector": vector, "groups": groups, "srv": srv, "log": p}
    srv.stop()


def vintages(listing, layer):
    for l in listing["layers"]:
        if l["name"] == layer:
            return {v["vintage"]: v for v in l["vintages"]}
    raise AssertionError(f"no layer {layer} in {[l['name'] for l in listing['layers']]}")


def test_ortho_layers_published(demo):
    o = demo["ortho"]
    assert sorted(l["name"] for l in o["layers"]) == ["ign_echantillon", "ortho-hr"], o["layers"]
    assert o["pending"] == [], o["pending"]
    hr = vintages(o, "ortho-hr")
    assert sorted(hr) == [2021, 2024], hr
    for year, n in ((2021, 64), (2024, 40)):
        v = hr[year]
        assert v["state"] == "published" and v["files"] == n and v["rejected"] == 0, v
    ign = vintages(o, "ign_echantillon")
    assert list(ign) == [2021] and ign[2021]["state"] == "published" and ign[2021]["files"] == 1, ign


def test_vector_datasets_published(demo):
    v = demo["vector"]
    assert {"admin", "epci", "pcrs-lyon"} <= set(v), sorted(v)
    admin = {l["name"]: l for l in v["admin"]["layers"]}
    for name, src in (("communes", "communes-centre-val-de-loire.geojson"),
                      ("departements", "departements-centre-val-de-loire.geojson"),
                      ("region", "region-centre-val-de-loire.geojson"),
                      ("cantons", "cantons-centre-val-de-loire.geojson")):
        assert name in admin, sorted(admin)
        assert admin[name]["feature_count"] == ogr_count(ADMIN / src), (name, admin[name]["feature_count"])
        assert admin[name]["srid"] == 2154, admin[name]  # stored in Lambert-93
    epci = v["epci"]["layers"]
    assert len(epci) == 1 and epci[0]["feature_count"] == 82, epci
    assert len(v["pcrs-lyon"]["layers"]) == 11, [l["name"] for l in v["pcrs-lyon"]["layers"]]


def test_group_published(demo):
    g = demo["groups"]
    assert "plan-de-situation" in g, sorted(g)
    assert [m["layer"] for m in g["plan-de-situation"]["members"]] == ["ortho-hr", "admin.communes"], g


def getmap(srv, layers, bbox, crs="EPSG:2154", size=256):
    r = srv.get("/wms", params={"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layers,
                                "STYLES": "", "CRS": crs, "BBOX": ",".join(repr(v) for v in bbox),
                                "WIDTH": str(size), "HEIGHT": str(size), "FORMAT": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png", (layers, r.status_code, r.text[:300])
    return helpers.decode(r.content)[1]


def orleans_l93():
    """Centre of Orléans (INSEE 45234) in Lambert-93, from the REAL communes with OGR."""
    from osgeo import ogr, osr
    ogr.UseExceptions()
    ds = ogr.Open(str(ADMIN / "communes-centre-val-de-loire.geojson"))
    lyr = ds.GetLayer(0)
    lyr.SetAttributeFilter("code = '45234'")
    f = lyr.GetNextFeature()
    assert f is not None, "Orléans not in the communes"
    e = f.GetGeometryRef().GetEnvelope()
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(2154)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint((e[0] + e[1]) / 2, (e[2] + e[3]) / 2)
    return x, y


@pytest.mark.parametrize("layer", ["ortho-hr", "ortho-hr-2021", "ortho-hr-2024", "plan-de-situation"])
def test_imagery_and_group_are_drawn_over_orleans(demo, layer):
    """The derived dalles are centred on Orléans (README): a 400 m map there
    is drawn, not blank. The grid is 1.6 km wide; 2024 covers its western
    1 km only, so its map is taken 300 m west of the centre."""
    x, y = orleans_l93()
    if layer == "ortho-hr-2024":
        x -= 300
    img = getmap(demo["srv"], layer, (x - 200, y - 200, x + 200, y + 200))
    rgb = img[..., :3].astype(float)
    assert rgb.std() > 10, f"{layer}: blank map over Orléans (std {rgb.std():.1f})"
    if img.shape[2] == 4:
        assert (img[..., 3] > 0).mean() > 0.9, f"{layer}: mostly transparent"


def test_real_sample_is_drawn(demo, rvb):
    img = getmap(demo["srv"], "ign_echantillon", helpers.inner_bbox(rvb, 10))
    assert img[..., :3].astype(float).std() > 10, "ign_echantillon: blank map"


@pytest.mark.parametrize("cid,source", [
    ("admin.communes", ADMIN / "communes-centre-val-de-loire.geojson"),
    ("epci.epci", None),
])
def test_vector_collections_are_served(demo, cid, source):
    r = demo["srv"].get(f"/ogcapi/collections/{cid}/items", params={"limit": "1"},
                        headers={"Accept": "application/geo+json"})
    assert r.status_code == 200, (cid, r.status_code, r.text[:300])
    want = ogr_count(source) if source else 82
    assert r.json()["numberMatched"] == want, (cid, r.json()["numberMatched"], want)


def test_pcrs_collections_are_served(demo):
    r = demo["srv"].get("/ogcapi/collections", headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text[:300]
    pcrs = [c["id"] for c in r.json()["collections"] if c["id"].startswith("pcrs-lyon.")]
    assert len(pcrs) == 11, pcrs
