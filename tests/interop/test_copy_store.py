"""`geocentre copy-store` moves an installation from the embedded stores to
PostgreSQL + S3 and back without losing anything: every service answers the
same before and after (issue 15).

Source: an embedded data directory with the REAL RVB tile (layer `ign`), the
REAL communes of Centre-Val de Loire (dataset `admin`) and a layer group.
Target: a new PostgreSQL database (the suite's throwaway server) and a prefix
of a real S3 server (SeaweedFS, test_s3_store's fixture). Then back into a
new embedded directory. The same fixed set of requests goes to the three
servers; answers are compared byte for byte once each server's own address
is replaced by one placeholder.
"""
from __future__ import annotations

import json
import re

import pytest

import cluster
import helpers
from helpers import Server, run_cli
from test_s3_store import BUCKET, key_env, s3, s3_config  # noqa: F401  (s3 is a fixture)

# Forces the embedded stores whatever the suite's mode (GEOCENTRE_TEST_STORE).
EMBEDDED = {"GEOCENTRE_CATALOG": "", "GEOCENTRE_BLOBS": ""}


@pytest.fixture(scope="module")
def installs(rvb, s3, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("copy-store")
    src, mid, back = root / "src", root / "mid", root / "back"
    # The stores are the test's own (named in every command's environment),
    # in the scale-out configuration too: nothing of the suite's is added.
    for d in (src, mid, back):
        cluster.pin_embedded(d)
    proc = run_cli(["ortho", "ingest", "--layer", "ign", "--vintage", "2021", "--json", rvb["path"]],
                   data_dir=src, env_extra=EMBEDDED, timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc)
    proc = run_cli(["vector", "ingest", "--dataset", "admin", "--json",
                    helpers.DATA / "admin" / "communes-centre-val-de-loire.geojson"],
                   data_dir=src, env_extra=EMBEDDED, timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc)
    proc = run_cli(["group", "set", "plan", "--title", "Plan", "ign", "admin.communes_centre_val_de_loire"], data_dir=src,
                   env_extra=EMBEDDED)
    assert proc.returncode == 0, helpers.describe_proc(proc)

    admin = cluster.pg_admin_url()
    name = "copy_store_" + str(abs(hash(str(root))) % 10**9)
    cluster.psql(admin, f"CREATE DATABASE {name}")
    pg = admin.rsplit("/", 1)[0] + "/" + name
    cfg = s3_config(root, s3, "copy", 0)
    # The coverage indicator's territory, for every server.
    region = f'\n[indicators]\nregion = "{helpers.DATA / "admin" / "region-centre-val-de-loire.geojson"}"\n'
    cfg.write_text(cfg.read_text() + region)
    plain = root / "plain.toml"
    plain.write_text(region)
    bucket = f"s3://{BUCKET}/copy"
    remote = {**key_env(), "GEOCENTRE_CATALOG": pg, "GEOCENTRE_BLOBS": bucket}

    # Embedded → PostgreSQL + S3.
    proc = run_cli(["--config", cfg, "copy-store", "--to-catalog", pg, "--to-blobs", bucket,
                    "--to-data-dir", mid, "--json"], data_dir=src, env_extra={**EMBEDDED, **key_env()},
                   timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc)
    there = json.loads(proc.stdout)
    # Again: the target registry holds data now, so it is refused.
    again = run_cli(["--config", cfg, "copy-store", "--to-catalog", pg, "--to-blobs", bucket,
                     "--to-data-dir", mid], data_dir=src, env_extra={**EMBEDDED, **key_env()})
    assert again.returncode != 0 and "already holds data" in again.stderr, helpers.describe_proc(again)

    # PostgreSQL + S3 → a new embedded directory.
    proc = run_cli(["--config", cfg, "copy-store", "--to-catalog", "sqlite:catalog.sqlite", "--to-blobs", "objects",
                    "--to-data-dir", back, "--json"], data_dir=mid, env_extra=remote, timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc)
    back_report = json.loads(proc.stdout)

    # PostgreSQL + S3 → another database and prefix: bucket to bucket. The
    # configuration's multipart threshold is 0, so every object goes
    # through a temporary file of the data directory (what keeps a large
    # GeoPackage out of memory), sent by multipart upload.
    name2 = name + "_b"
    cluster.psql(admin, f"CREATE DATABASE {name2}")
    pg2 = admin.rsplit("/", 1)[0] + "/" + name2
    bucket2 = f"s3://{BUCKET}/copy2"
    mid2 = root / "mid2"
    cluster.pin_embedded(mid2)
    proc = run_cli(["--config", cfg, "copy-store", "--to-catalog", pg2, "--to-blobs", bucket2,
                    "--to-data-dir", mid2, "--json"], data_dir=mid, env_extra=remote, timeout=600)
    assert proc.returncode == 0, helpers.describe_proc(proc)
    bucket_report = json.loads(proc.stdout)
    remote2 = {**key_env(), "GEOCENTRE_CATALOG": pg2, "GEOCENTRE_BLOBS": bucket2}

    servers = {
        "embedded": Server(data_dir=src, log_path=root / "src.log", args=["--config", plain], env_extra=EMBEDDED,
                           single=True),
        "postgres+s3": Server(data_dir=mid, log_path=root / "mid.log", args=["--config", cfg], env_extra=remote),
        "back": Server(data_dir=back, log_path=root / "back.log", args=["--config", plain], env_extra=EMBEDDED,
                       single=True),
        "bucket-to-bucket": Server(data_dir=mid2, log_path=root / "mid2.log", args=["--config", cfg],
                                   env_extra=remote2),
    }
    for s in servers.values():
        s.start(timeout=120)
    yield {"servers": servers, "there": there, "back": back_report, "bucket": bucket_report, "s3": s3, "rvb": rvb,
           "mid": mid, "back_dir": back}
    for s in servers.values():
        s.stop()


def corpus(rvb):
    cx = (rvb["bbox"][0] + rvb["bbox"][2]) / 2
    cy = (rvb["bbox"][1] + rvb["bbox"][3]) / 2
    row, col = helpers.l93_tile_of(20, cx, cy)
    b = f"{cx - 150},{cy - 150},{cx + 150},{cy + 150}"
    wide = "1.3,47.6,1.8,48.0"
    return [
        "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
        "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities",
        f"/wmts/1.0.0/ign/default/{helpers.L93_TMS}/20/{row}/{col}.jpg",
        f"/wmts/1.0.0/ign/default/{helpers.L93_TMS}/18/{row // 4}/{col // 4}.png",
        f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=ign&STYLES=&CRS=EPSG:2154&BBOX={b}"
        "&WIDTH=300&HEIGHT=300&FORMAT=image/png",
        f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=plan&STYLES=&CRS=EPSG:2154&BBOX={b}"
        "&WIDTH=300&HEIGHT=300&FORMAT=image/png",
        f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=admin.communes_centre_val_de_loire&STYLES=&CRS=CRS:84&BBOX={wide}"
        "&WIDTH=400&HEIGHT=300&FORMAT=image/png",
        f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=ign-dalles&QUERY_LAYERS=ign-dalles&STYLES="
        f"&CRS=EPSG:2154&BBOX={b}&WIDTH=300&HEIGHT=300&I=150&J=150&INFO_FORMAT=application/json&FORMAT=image/png",
        "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=gc:admin.communes_centre_val_de_loire&COUNT=20"
        "&OUTPUTFORMAT=application/json",
        "/ogcapi/collections/admin.communes_centre_val_de_loire/items?limit=15&f=json",
        "/ogcapi/collections",
        "/api/ortho/layers/ign/dalles.geojson",
        "/api/indicators/coverage",
    ]


def normalised(server, r):
    body = r.content.replace(server.base_url.encode(), b"BASE")
    # Where the body says which generation of the registry it reflects: a
    # copy is one generation ahead of its source, on purpose (servers that
    # knew the source reload).
    body = re.sub(rb'updateSequence="\d+"', b'updateSequence="N"', body)
    body = re.sub(rb'"generation":\s*\d+', b'"generation":N', body)
    body = re.sub(rb'"computed_ms":\s*\d+', b'"computed_ms":N', body)
    body = re.sub(rb'"timeStamp":\s*"[^"]*"', b'"timeStamp":"T"', body)
    body = re.sub(rb'timeStamp="[^"]*"', b'timeStamp="T"', body)
    return r.status_code, r.headers.get("content-type"), body


def test_the_copies_hold_everything_the_source_had(installs):
    there, back = installs["there"], installs["back"]
    assert there["objects"]["copied"] > 0 and there["objects"]["copied"] == there["objects"]["listed"]
    assert back["objects"]["copied"] == there["objects"]["listed"]
    assert there["vector_files_copied"] > 0 and back["vector_files_copied"] == there["vector_files_copied"]
    assert [r for r in there["registry_rows"]] == [r for r in back["registry_rows"]]
    # Every object is in the bucket, under the prefix, and the GeoPackages
    # too (vector/, the same paths as in the source's data directory),
    # with the checksums the replicas' caches check them against.
    listed = [k for k in installs["s3"].list("copy/")]
    gpkgs = [k for k in listed if k.startswith("copy/vector/")]
    assert len(gpkgs) == there["vector_files_copied"] > 0, gpkgs
    assert all(re.fullmatch(r"copy/vector/admin/g\d+/f\d+\.gpkg", k) for k in gpkgs), gpkgs
    assert len(listed) - len(gpkgs) == there["objects"]["listed"], listed[:5]
    # Bucket to bucket: the same objects under the other prefix, and no
    # temporary file left in the source's data directory.
    b2b = installs["bucket"]
    assert b2b["objects"]["copied"] == there["objects"]["listed"], b2b
    assert b2b["vector_files_copied"] == there["vector_files_copied"], b2b
    listed2 = installs["s3"].list("copy2/")
    assert [k.removeprefix("copy2/") for k in listed2] == [k.removeprefix("copy/") for k in listed]
    assert not [p for p in installs["mid"].iterdir() if p.name.startswith(".geocentre-copy")]
    # The scale-out data directory keeps none: its servers read the bucket.
    assert not list((installs["mid"] / "vector").rglob("*.gpkg"))
    assert list(installs["back_dir"].glob("vector/admin/g*/f*.gpkg"))


@pytest.mark.parametrize("target", ["postgres+s3", "back", "bucket-to-bucket"])
def test_every_service_answers_the_same_after_the_copy(installs, target):
    servers = installs["servers"]
    diffs = []
    for path in corpus(installs["rvb"]):
        a = normalised(servers["embedded"], servers["embedded"].get(path))
        b = normalised(servers[target], servers[target].get(path))
        assert a[0] == 200, (path, a[0], a[2][:300])
        if a != b:
            diffs.append((path, a[0], b[0], a[1], b[1], a[2][:200], b[2][:200]))
    assert not diffs, diffs
