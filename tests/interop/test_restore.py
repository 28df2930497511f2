"""A tested restore (issue 15, "Operations: backups (pg_dump and bucket
versioning), and a restore that is tested"): scripts/backup.sh, the commands
docs/deployment.md ("Backups and restore") gives, against real servers:
PostgreSQL + PostGIS (cluster.PgServer) as the registry and SeaweedFS
(scripts/s3-server.sh, ports from 19400) with versioning as the object
store.

1. Published on PostgreSQL + S3: the REAL IGN RVB tile (layer `ign`, 2021),
   a DERIVED copy of it moved 60 m (2024: the composite has chunks built
   from both vintages), the REAL communes of Centre-Val de Loire (dataset
   `admin`), a layer group. The answers of every service (test_copy_store's
   corpus: capabilities, WMTS tiles, GetMap, GetFeatureInfo, WFS, OGC API
   items, dalles, coverage) are recorded.
2. `scripts/backup.sh backup`: pg_dump (custom format), the manifest of the
   object versions at the dump's time (the GeoPackages among them: with
   blobs in a bucket they are objects, and the data directory has no
   vector/ for vector.tar).
3. Damage: a re-ingest of 2021 and `ortho gc --grace-s 0` delete objects
   the backup references; the database is dropped; one object is
   overwritten with other bytes, another deleted; the data directory is
   removed.
4. `scripts/backup.sh restore` into a new database and a new data
   directory: `geocentre migrate` accepts the restored registry at the same
   schema version, `ortho list` is the same, the bucket holds exactly the
   objects the registry references, and a server started on the restored
   stores answers every request of the corpus byte for byte as before the
   damage (its own address and the generation normalised).

Seen failing: with the object half of the restore left out (`versions
restore` commented out in scripts/backup.sh), 4 of the 14 answers differ:
the WMTS tiles and the GetMaps of `ign` and `plan` answer 500 (objects
deleted by GC or by hand, one overwritten).
"""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import cluster
import derived
import helpers
from helpers import REPO_ROOT, Server, child_env, describe_proc, run_cli
from test_copy_store import corpus, normalised
from test_faults_s3 import SCRIPT, assert_no_orphans, start_store
from test_s3_store import BUCKET, ingest, key_env, s3_config

BACKUP = REPO_ROOT / "scripts" / "backup.sh"
PREFIX = "restore"
COMMUNES = helpers.DATA / "admin" / "communes-centre-val-de-loire.geojson"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("seaweedfs-restore")
    s = start_store(d)
    yield s
    subprocess.run(["bash", str(SCRIPT), "stop", str(d)], timeout=60)


def backup_env(store, catalog, data_dir):
    return child_env({**key_env(), "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": store.endpoint,
                      "GEOCENTRE_CATALOG": catalog, "GEOCENTRE_BLOBS": f"s3://{BUCKET}/{PREFIX}",
                      "GEOCENTRE_DATA_DIR": str(data_dir)})


def backup_sh(*args, env):
    p = subprocess.run(["bash", str(BACKUP), *map(str, args)], capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode == 0, describe_proc(p, f"scripts/backup.sh {args[0]}")
    return p


def schema_version(data, cfg):
    p = run_cli(["--config", cfg, "migrate"], data_dir=data, env_extra=key_env(), timeout=120)
    assert p.returncode == 0, describe_proc(p, "geocentre migrate")
    return p.stdout.strip().rsplit(" ", 1)[-1]


def ortho_listing(data, cfg):
    p = run_cli(["--config", cfg, "ortho", "list", "--json"], data_dir=data, env_extra=key_env(), timeout=120)
    assert p.returncode == 0, describe_proc(p, "ortho list")
    return json.loads(p.stdout)


def answers(server, rvb):
    out = {}
    for path in corpus(rvb):
        r = server.get(path)
        out[path] = normalised(server, r)
    return out


def test_backup_damage_restore_answers_identically(store, rvb, tmp_path):
    pg = cluster.PgServer()
    data = tmp_path / "data"
    url = pg.catalog("restore_src")
    cluster.pin_catalog(data, url)
    cfg = s3_config(tmp_path, store, PREFIX, 1)
    region = helpers.DATA / "admin" / "region-centre-val-de-loire.geojson"
    cfg.write_text(cfg.read_text() + f'\n[indicators]\nregion = "{region}"\n')
    env = backup_env(store, url, data)

    # Versioning first: every object the registry will reference has versions.
    backup_sh("versioning", env=env)
    moved = tmp_path / "moved.tif"
    derived.shifted_copy(rvb["path"], moved, 60.0, -60.0)
    ingest(data, 2021, [rvb["path"]], config=cfg, env=key_env(), layer="ign")
    ingest(data, 2024, [moved], config=cfg, env=key_env(), layer="ign")
    p = run_cli(["--config", cfg, "vector", "ingest", "--dataset", "admin", "--json", COMMUNES], data_dir=data,
                env_extra=key_env(), timeout=600)
    assert p.returncode == 0, describe_proc(p, "vector ingest")
    p = run_cli(["--config", cfg, "group", "set", "plan", "--title", "Plan", "ign",
                 "admin.communes_centre_val_de_loire"], data_dir=data, env_extra=key_env())
    assert p.returncode == 0, describe_proc(p, "group set")
    version = schema_version(data, cfg)
    listing = ortho_listing(data, cfg)

    srv = Server(data_dir=data, log_path=tmp_path / "before.log", args=["--config", cfg], env_extra=key_env(),
                 single=True).start(timeout=120)
    try:
        before = answers(srv, rvb)
    finally:
        srv.stop()
    bad = {p: a[:2] for p, a in before.items() if a[0] != 200}
    assert not bad, f"the corpus does not answer 200 before the backup: {bad}"
    objects_before = store.list(PREFIX + "/")

    out = tmp_path / "backup"
    backup_sh("backup", out, env=env)
    manifest = json.loads((out / "objects.json").read_text())
    assert sorted(f"{PREFIX}/{o['key']}" for o in manifest["objects"]) == objects_before
    assert (out / "registry.dump").stat().st_size > 0
    # The GeoPackages are objects of the bucket (blobs in a bucket): in the
    # manifest, and none is left in the data directory for vector.tar.
    assert any(o["key"].startswith("vector/admin/") for o in manifest["objects"]), manifest["objects"][-3:]
    assert not (out / "vector.tar").exists()

    # Damage. A re-ingest supersedes 2021 and GC deletes its objects (which
    # the backup's registry references); then the registry is dropped, an
    # object overwritten, another deleted, the data directory removed.
    ingest(data, 2021, [moved], config=cfg, env=key_env(), layer="ign")
    p = run_cli(["--config", cfg, "ortho", "gc", "--grace-s", "0"], data_dir=data, env_extra=key_env(), timeout=300)
    assert p.returncode == 0, describe_proc(p, "ortho gc")
    assert json.loads(p.stdout)["objects_removed"] > 0
    gone = set(objects_before) - set(store.list(PREFIX + "/"))
    assert gone, "GC deleted none of the backed-up objects: the damage is not what it should be"
    cluster.psql(pg.admin_url, "DROP DATABASE restore_src WITH (FORCE)")
    left = sorted(set(objects_before) - gone)
    store.put(left[0], b"not the chunk any more")
    store.delete(left[-1])
    shutil.rmtree(data)

    # Restore into a new database and a new data directory.
    new_data = tmp_path / "restored"
    new_url = url.rsplit("/", 1)[0] + "/restore_back"
    cluster.pin_catalog(new_data, new_url)
    p = backup_sh("restore", out, new_url, env=backup_env(store, "", new_data))
    print("\n" + p.stdout.strip())

    # `ortho list` opens the registry as every command but `migrate` does
    # (Migrate::Check: refused unless at the binary's schema version).
    assert ortho_listing(new_data, cfg) == listing
    assert schema_version(new_data, cfg) == version
    srv = Server(data_dir=new_data, log_path=tmp_path / "after.log", args=["--config", cfg], env_extra=key_env(),
                 single=True).start(timeout=120)
    try:
        after = answers(srv, rvb)
    finally:
        srv.stop()
    diffs = [(p, before[p][:2], after[p][:2], before[p][2][:150], after[p][2][:150])
             for p in before if before[p] != after[p]]
    assert not diffs, f"{len(diffs)} of {len(before)} answers differ after the restore:\n" + \
        "\n".join(map(str, diffs))
    # The bucket holds exactly what the restored registry references (no
    # object written after the backup left behind, none missing).
    assert_no_orphans(store, new_data, PREFIX)
    assert sorted(store.list(PREFIX + "/")) == objects_before
