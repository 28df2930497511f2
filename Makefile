# The two commands of the README: `make demo` and `make test`. Everything
# they need is in the repository (data/, schemas/) or installed by
# scripts/install-deps.sh.
BIND ?= 127.0.0.1:8080
DATA ?= ./geocentre-data

.PHONY: deps build demo demo-cluster test test-cluster conformance-cluster test-cluster-subset test-postgis-vector conformance lint bench bench-wms bench-vector bench-vector-postgis bench-load bench-scale bench-scaleout clean fuzz-short fuzz

deps:
	scripts/install-deps.sh

build: deps
	cargo build --release -p geocentre

demo: build
	./target/release/geocentre --data-dir $(DATA) demo --source data --bind $(BIND)

# The scale-out deployment on one machine (docs/deployment.md): PostgreSQL +
# PostGIS, the object store, 3 replicas behind HAProxy on $(BIND), the demo loaded.
demo-cluster: build
	scripts/install-deps.sh --cluster
	BIND=$(BIND) scripts/demo-cluster.sh

test:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	cargo test --workspace
	.venv/bin/python -m pytest -q tests/interop
	$(MAKE) test-postgis-vector
	.venv/bin/python conformance/run.py

# The interop suite in the scale-out configuration (tests/interop/README.md,
# "Scale-out mode"): every registry a database on a throwaway PostgreSQL,
# every server 3 replicas behind HAProxy.
test-cluster:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	GEOCENTRE_TEST_STORE=cluster .venv/bin/python -m pytest -q tests/interop

# The official suites (make conformance) against the scale-out
# configuration: PostgreSQL registry, imagery on S3 (SeaweedFS), 3 replicas
# behind HAProxy (conformance/run.py --cluster).
conformance-cluster:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	.venv/bin/python conformance/run.py --cluster

# What CI runs in the scale-out configuration beside `make test` (the whole
# suite there is `make test-cluster`, ~10 min): every kind of service through
# the balancer, its transparency to hostile requests, composites on the
# shared registry (~1.5 min). test_replicas.py, test_copy_store.py,
# test_faults_s3.py and test_restore.py run in `make test` already, on
# replicas and PostgreSQL + S3 of their own.
CLUSTER_SUBSET = tests/interop/test_tiles.py tests/interop/test_wms.py tests/interop/test_wfs.py \
	tests/interop/test_ogcapi.py tests/interop/test_capabilities.py tests/interop/test_mvt.py \
	tests/interop/test_hostile_inputs.py tests/interop/test_composite.py \
	tests/interop/test_csw.py
test-cluster-subset:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	GEOCENTRE_TEST_STORE=cluster .venv/bin/python -m pytest -q $(CLUSTER_SUBSET)

# The vector services again, on the PostGIS backend: each dataset a test
# ingests is copied into a throwaway PostGIS database and connected in place
# (`vector connect`; tests/interop/helpers.py, GEOCENTRE_TEST_VECTOR=postgis),
# so the same tests check the same answers. Two tests are of GeoPackage
# matters only: a 70-character field name (PostgreSQL identifiers stop at
# 63 bytes, so the copy cannot keep it) and a GeoPackage damaged on disk.
POSTGIS_VECTOR_TESTS = test_wfs test_wfs11 test_wfs_more test_ogcapi test_ogcapi_more test_mvt \
	test_wms_vector test_wms_groups test_filters test_queryables test_hostile_inputs test_strict_values \
	test_roundtrip test_bounds test_qgis_vector test_postgis_vector
test-postgis-vector:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	GEOCENTRE_TEST_VECTOR=postgis .venv/bin/python -m pytest -q \
	  $(patsubst %,tests/interop/%.py,$(POSTGIS_VECTOR_TESTS)) \
	  --deselect tests/interop/test_hostile_inputs.py::test_names_from_data_are_mapped_to_ncnames_at_ingest \
	  --deselect tests/interop/test_strict_values.py::test_a_fault_is_logged_at_error

# The official OGC CITE and INSPIRE suites against the demo and the CITE data
# set; rewrites docs/conformance.md and fails on an unexplained failure
# (conformance/README.md). `make test` runs it after the other tests.
conformance:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	.venv/bin/python conformance/run.py

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

bench: build
	BUILD=0 bash bench/run.sh

bench-wms: build
	bash bench/wms.sh

bench-vector: build
	bash bench/vector.sh

# The same vector benchmark on one PostGIS table (issue 15): ours through
# `vector connect`, MapServer (POSTGIS), tipg and Martin (bench/README.md).
bench-vector-postgis: build
	SOURCE=postgis bash bench/vector.sh

bench-load: build
	bash bench/load.sh

# Tiles from object storage and from replicas: ours on local files vs on S3
# (SeaweedFS), vs TiTiler on the same bucket, N replicas behind HAProxy vs one
# (docs/benchmarks.md, "Scale-out"). SeaweedFS and PostgreSQL come from
# install-deps.sh --test.
bench-scaleout: build
	scripts/install-deps.sh --test
	bash bench/scaleout.sh

# The region at full size: a SYNTHETIC catalog of 2 x 10^6 dalles against a
# demo-sized one, on SQLite and PostgreSQL (docs/benchmarks.md).
bench-scale: build
	scripts/install-deps.sh --test
	python3 bench/scale.py

clean:
	cargo clean
	rm -rf .venv

# cargo-fuzz over every parser a client or a delivered file reaches
# (fuzz/README.md): a short pass for CI, and the long one (10^6 runs each).
fuzz-short:
	scripts/fuzz.sh short

fuzz:
	scripts/fuzz.sh long
