# The two commands of the README: `make demo` and `make test`. Everything
# they need is in the repository (data/, schemas/) or installed by
# scripts/install-deps.sh.
BIND ?= 127.0.0.1:8080
DATA ?= ./geocentre-data

.PHONY: deps build demo test test-cluster conformance lint bench bench-wms bench-vector bench-load clean fuzz-short fuzz

deps:
	scripts/install-deps.sh

build: deps
	cargo build --release -p geocentre

demo: build
	./target/release/geocentre --data-dir $(DATA) demo --source data --bind $(BIND)

test:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	cargo test --workspace
	.venv/bin/python -m pytest -q tests/interop
	.venv/bin/python conformance/run.py

# The interop suite in the scale-out configuration (tests/interop/README.md,
# "Scale-out mode"): every registry a database on a throwaway PostgreSQL,
# every server 3 replicas behind HAProxy.
test-cluster:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	GEOCENTRE_TEST_STORE=cluster .venv/bin/python -m pytest -q tests/interop

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

bench-load: build
	bash bench/load.sh

clean:
	cargo clean
	rm -rf .venv

# cargo-fuzz over every parser a client or a delivered file reaches
# (fuzz/README.md): a short pass for CI, and the long one (10^6 runs each).
fuzz-short:
	scripts/fuzz.sh short

fuzz:
	scripts/fuzz.sh long
