# The two commands of the README: `make demo` and `make test`.
SHARED ?= ../shared
BIND ?= 127.0.0.1:8080
DATA ?= ./geocentre-data

.PHONY: deps build demo test test-rust test-interop lint bench bench-wms bench-vector clean

deps:
	scripts/install-deps.sh

build: deps
	cargo build --release -p geocentre

demo: build
	./target/release/geocentre --data-dir $(DATA) demo --shared $(SHARED) --bind $(BIND)

test:
	scripts/install-deps.sh --test
	cargo build -p geocentre
	cargo test --workspace
	GEOCENTRE_SHARED=$(SHARED) .venv/bin/python -m pytest -q tests/interop

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

bench: build
	BUILD=0 bash bench/run.sh

bench-wms: build
	bash bench/wms.sh

bench-vector: build
	bash bench/vector.sh

clean:
	cargo clean
	rm -rf .venv
