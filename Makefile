# sealpost — the two commands a newcomer needs:
#   make demo   build the wasm (release) and serve the demo on http://127.0.0.1:$(PORT)/
#   make test   run every test: native, wasm in Node / Chromium / a Web Worker, GnuPG interop, page e2e
# Both install what they need first (scripts/setup.sh), idempotently.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8080
WASM := wasm32-unknown-unknown
WASM_DEV := target/$(WASM)/debug/sealpost_wasm.wasm
WASM_REL := target/$(WASM)/release/sealpost_wasm.wasm

.PHONY: all demo test setup setup-test build-dev build-release bench clean

all: test

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --browser

## Dev build of the wasm (what the tests load): fast to rebuild, dependencies optimised.
build-dev: setup
	cargo build -p sealpost-verify --locked
	cargo build -p sealpost-wasm --target $(WASM) --locked
	rm -rf build/pkg-dev build/node-dev
	wasm-bindgen --target web --experimental-reset-state-function --out-dir build/pkg-dev $(WASM_DEV)
	wasm-bindgen --target experimental-nodejs-module --out-dir build/node-dev $(WASM_DEV)
	node tools/build-shim.mjs --pkg build/pkg-dev > /dev/null
	node tools/build-site.mjs --www www --shim js-shim/src --out build/site-dev > /dev/null

## Release build: size-tuned, LTO, no name section.
build-release: setup
	cargo build -p sealpost-wasm --target $(WASM) --release --locked
	rm -rf build/pkg build/node
	wasm-bindgen --target web --experimental-reset-state-function --remove-name-section --out-dir build/pkg $(WASM_REL)
	wasm-bindgen --target experimental-nodejs-module --remove-name-section --out-dir build/node $(WASM_REL)
	node tools/build-shim.mjs --pkg build/pkg
	node tools/build-site.mjs --www www --shim js-shim/src --out build/site

demo: build-release
	@echo "Serving the demo; open the URL below. Ctrl-C stops it."
	node tools/serve.mjs build/site --port $(PORT)

test: setup-test
	@scripts/test.sh

## Throughput and size figures (sealpost in Node vs native); see tests/bench/.
bench: build-release
	cargo run -p sealpost-core --release --locked --example throughput
	node tests/bench/throughput.mjs build/node/sealpost_wasm.js
	node tests/bench/shim.mjs

clean:
	rm -rf build target/$(WASM)
