# sealpost — the two commands a newcomer needs:
#   make demo   build the signed release bundle and serve the demo webmail on http://127.0.0.1:$(PORT)/
#   make test   run every test: native, wasm in Node / Chromium / a Web Worker, GnuPG interop, page e2e
# Both install what they need first (scripts/setup.sh), idempotently.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8080
WASM := wasm32-unknown-unknown
WASM_DEV := target/$(WASM)/debug/sealpost_wasm.wasm
WASM_REL := target/$(WASM)/release/sealpost_wasm.wasm

# Reproducible release builds: no absolute path of this checkout or of the
# cargo home ends up in the wasm, and the build time is the last commit's.
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
REMAP := --remap-path-prefix=$(CURDIR)=/sealpost --remap-path-prefix=$(CARGO_HOME_DIR)=/cargo
# Release wasm: the remapping plus wasm SIMD (wasm/aes-simd's AES; dev builds
# get it from .cargo/config.toml, which this variable overrides).
WASM_RUSTFLAGS := $(REMAP) -C target-feature=+simd128
# The library's release modules build Rust's std themselves, for size (issue 23, docs/size.md):
# std from the pinned toolchain's own source (rust-src, rust-toolchain.toml) with
# optimize_for_size, and panics that abort at once (no message formatting: a panic was already a
# trap, WASM_TRAPPED).  -Z flags on the pinned stable toolchain need RUSTC_BOOTSTRAP=1 (it also
# reaches build scripts that probe for unstable features: the same on every machine with this
# toolchain).  std's source is remapped to where Rust's prebuilt std names it, /rustc/<commit>,
# from the sysroot rustc itself reports (symlinks resolved, as rustc resolves them): neither
# where rustup lives nor how the toolchain directory is named reaches the bytes.  Last, so that
# it wins over the checkout's and the cargo home's remaps.
RUST_SYSROOT = $(shell rustc --print sysroot)
RUST_COMMIT = $(shell rustc -vV | sed -n 's/commit-hash: //p')
RELEASE_WASM_CARGO = RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(WASM_RUSTFLAGS) -Zunstable-options -Cpanic=immediate-abort --remap-path-prefix=$(RUST_SYSROOT)/lib/rustlib/src/rust=/rustc/$(RUST_COMMIT)" cargo
RELEASE_WASM_STD := -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
RELEASE_KEY ?= keys/demo-release.key
RELEASE_CERT ?= keys/demo-release.cert
RELEASE_PASSPHRASE_FILE ?=
# A release's version is distinct per source commit, reproducibly: MAJOR.MINOR from Cargo.toml,
# PATCH the commit's time (SOURCE_DATE_EPOCH), e.g. 0.1.1764550000. Two commits are two
# versions (the guard's ratchet moves forward with commit time), so the log's monitor reports
# two manifests for one version only when one commit was released twice with different bytes.
RELEASE_VERSION ?= $(shell sed -n 's/^version = "\([0-9]*\.[0-9]*\)\..*"/\1/p' Cargo.toml | head -n 1).$(SOURCE_DATE_EPOCH)

.PHONY: all demo demo-mail test test-firefox setup setup-test build-dev build-release dist extension bench bench-first fuzz clean

all: test

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --browser

## Dev build of the wasm (what the tests load): fast to rebuild, dependencies optimised.
build-dev: setup
	cargo build -p sealpost-verify -p sealpost-demo-server -p sealpost-witness --locked
	@# The package is staged as a release is (wasm_modules below), so every suite that loads the
	@# package runs the switch to the full module; the Node tests of the raw bindings load
	@# build/node-dev (full) and build/node-dev-default.
	$(call wasm_modules,cargo,,$(WASM_DEV),,-dev) > /dev/null
	node tools/build-site.mjs --www www --shim js-shim/src --out build/site-dev > /dev/null
	cargo build -p sealpost-verifier-wasm --target $(WASM) --locked
	$(call extension,build/extension,target/$(WASM)/debug/sealpost_verifier_wasm.wasm,,--witnesses keys/demo-log-policy.txt --cool-down $(TEST_COOL_DOWN_SECS) --label test)

## The browser extension (verifier/extension/) with the verifier wasm, ready for --load-extension.
## $(4): tools/guard-config.mjs's arguments — the witnesses whose cosignatures date an origin's
## binding to its key, and the cool-down (issue 21), constants of the build.
define extension
	rm -rf $(1) && mkdir -p $(1)
	cp verifier/extension/manifest.json verifier/extension/*.js verifier/extension/*.html verifier/extension/*.css $(1)/
	node tools/guard-config.mjs $(4) --out $(1)/guard-config.js
	wasm-bindgen --target web --no-typescript $(3) --out-dir $(1)/pkg $(2)
endef
## The dev/test build's cool-down (seconds); the release build's is 7 days. Its witnesses are the
## demo witnesses (keys/demo-witness-*.key, TEST ONLY). GUARD_WITNESSES: the release build's list
## (a tlog-policy file's witness/group/quorum lines); there is no public witness list yet, so it
## defaults to the demo's, whose secret keys are public: a release build for real users must name one.
TEST_COOL_DOWN_SECS ?= 8
GUARD_WITNESSES ?= keys/demo-log-policy.txt

## The extension, release build (size-tuned wasm: Cargo.toml's release-verifier profile, std built for size):
## build/extension-release/, load it unpacked.
extension: setup
	$(RELEASE_WASM_CARGO) build -p sealpost-verifier-wasm --target $(WASM) --profile release-verifier --locked $(RELEASE_WASM_STD)
	$(call extension,build/extension-release,target/$(WASM)/release-verifier/sealpost_verifier_wasm.wasm,--remove-name-section,--witnesses $(GUARD_WITNESSES) --cool-down 604800 --label $(if $(filter keys/demo-log-policy.txt,$(GUARD_WITNESSES)),release-demo-witnesses,release))
	@echo "load build/extension-release/ as an unpacked extension (chrome://extensions, developer mode)"

## The package's two modules from one source (issue 23), staged into js-shim/src/wasm: the default
## module (sealpost-wasm without its `full` feature: no NIST curves, Curve448, DSA, post-quantum,
## legacy ciphers and hashes, BZip2), which a page loads, as sealpost_wasm_bg.wasm, and the full
## one beside it (sealpost_wasm_full_bg.wasm), which the shim fetches with its SHA-384 only when a
## key or message needs what the default lacks.  One glue serves both (tools/build-shim.mjs checks
## that the two wasm-bindgen outputs agree).  The default module is built first: the full build
## then leaves the wasm as the full module.  Outputs: build/pkg$(5)[-default] (web) and
## build/node$(5)[-default] (Node).
## $(1) the cargo command, $(2) its build flags, $(3) the wasm cargo writes, $(4) wasm-bindgen's
## flags, $(5) the suffix of the output directories.
define wasm_modules
	$(1) build -p sealpost-wasm --target $(WASM) --locked --no-default-features $(2)
	rm -rf build/pkg$(5)-default build/node$(5)-default
	wasm-bindgen --target web --experimental-reset-state-function $(4) --out-dir build/pkg$(5)-default $(3)
	wasm-bindgen --target experimental-nodejs-module $(4) --out-dir build/node$(5)-default $(3)
	$(1) build -p sealpost-wasm --target $(WASM) --locked $(2)
	rm -rf build/pkg$(5) build/node$(5)
	wasm-bindgen --target web --experimental-reset-state-function $(4) --out-dir build/pkg$(5) $(3)
	wasm-bindgen --target experimental-nodejs-module $(4) --out-dir build/node$(5) $(3)
	node tools/build-shim.mjs --pkg build/pkg$(5) --default-wasm build/pkg$(5)-default/sealpost_wasm_bg.wasm
endef

## Release build: size-tuned, LTO, no name section.
build-release: setup
	$(call wasm_modules,$(RELEASE_WASM_CARGO),--release $(RELEASE_WASM_STD),$(WASM_REL),--remove-name-section,)
	node tools/build-site.mjs --www www --shim js-shim/src --out build/site

## The release transparency log (verifier/README.md): a tlog-tiles directory, demo keys.
LOG_DIR ?= build/log
LOG_KEY ?= keys/demo-log.key
LOG_POLICY ?= keys/demo-log-policy.txt

## The deployable bundle: the demo page, the sealpost modules and the wasm, with SRI,
## plus dist/manifest.json and its OpenPGP signature.  Same bytes from any checkout.
SEALPOST_VERIFY ?=
dist: build-release
	$(if $(SEALPOST_VERIFY),,cargo build -p sealpost-verify --locked)
	rm -rf dist
	node tools/build-site.mjs --www www --shim js-shim/src --out dist > /dev/null
	$(or $(SEALPOST_VERIFY),target/debug/sealpost-verify) manifest dist --out dist/manifest.json --app sealpost-demo \
	  --release-version $(RELEASE_VERSION) --source . --sign-with $(RELEASE_KEY) \
	  $(if $(RELEASE_PASSPHRASE_FILE),--passphrase-file $(RELEASE_PASSPHRASE_FILE))
	@# The release goes into the transparency log, which lives outside dist/: the log grows
	@# with every build and witnesses timestamp it, while dist/ must stay byte-reproducible.
	$(or $(SEALPOST_VERIFY),target/debug/sealpost-verify) log append $(LOG_DIR) --key $(LOG_KEY) \
	  --manifest dist/manifest.json --cert $(RELEASE_CERT)
	@# The log policy (log key, witnesses, quorum), signed by the release key: the guard pins it
	@# at enrollment (served at .well-known/sealpost/log/policy and policy.sig).
	cp $(LOG_POLICY) $(LOG_DIR)/policy
	$(or $(SEALPOST_VERIFY),target/debug/sealpost-verify) log sign-policy $(LOG_DIR)/policy --sign-with $(RELEASE_KEY) \
	  $(if $(RELEASE_PASSPHRASE_FILE),--passphrase-file $(RELEASE_PASSPHRASE_FILE)) > /dev/null

## The demo webmail: the signed release bundle (make dist) served by the Rust demo server,
## mail stored in SQLite at DEMO_DB (ciphertext only).
DEMO_DB ?= build/demo-mail.sqlite
## Two local tlog-witnesses (ports 7101, 7102, state in build/witness-N.sqlite) cosign the
## release log's checkpoint; the server publishes the log at /.well-known/sealpost/log/.
## The demo's rebuilder (issue 21): it rebuilds the release from the commit dist/manifest.json
## names and, on a byte-for-byte match, logs its attestation; only then does the signed log policy
## name it (rebuild-quorum 1), so the guard runs the demo release once it is attested. To keep
## startup quick it rebuilds the page and the sealpost modules from that commit and takes the
## release wasm as `make dist` just placed it (js-shim/src/wasm, generated, not in git); the full
## independent rebuild is `sealpost-verify rebuild --source . --manifest dist/manifest.json`.
## The witnesses cosign the log's checkpoint again every DEMO_RECOSIGN_SECS: the guard checks
## that the binding it enrolls to is still the origin's newest in a view of the log its
## witnesses cosigned within a day (VIEW_MAX_AGE_SECS), so a log must be cosigned more often.
DEMO_RECOSIGN_SECS ?= 3600
DEMO_REBUILDER_KEY ?= build/demo-rebuilder.key
DEMO_REBUILD_CMD ?= ln -s $(CURDIR)/node_modules node_modules && cp -r $(CURDIR)/js-shim/src/wasm js-shim/src/wasm && node tools/build-site.mjs --www www --shim js-shim/src --out dist > /dev/null
demo: dist
	cargo build -p sealpost-demo-server -p sealpost-witness --locked
	@[ -f $(DEMO_REBUILDER_KEY) ] && [ -f $(DEMO_REBUILDER_KEY).vkey ] || \
	  { rm -f $(DEMO_REBUILDER_KEY); target/debug/sealpost-verify log keygen --origin rebuilder.sealpost.demo/ci \
	    --out $(DEMO_REBUILDER_KEY) > $(DEMO_REBUILDER_KEY).vkey; }
	@start=$$SECONDS; \
	if target/debug/sealpost-verify rebuild --source . --manifest dist/manifest.json --build-cmd '$(DEMO_REBUILD_CMD)' \
	  --attest $(DEMO_REBUILDER_KEY) --log $(LOG_DIR) --log-key $(LOG_KEY) > build/demo-rebuild.log 2>&1; then \
	  printf 'rebuilder demo-ci %s\nrebuild-quorum 1\n' "$$(cat $(DEMO_REBUILDER_KEY).vkey)" >> $(LOG_DIR)/policy; \
	  target/debug/sealpost-verify log sign-policy $(LOG_DIR)/policy --sign-with $(RELEASE_KEY) \
	    $(if $(RELEASE_PASSPHRASE_FILE),--passphrase-file $(RELEASE_PASSPHRASE_FILE)) > /dev/null; \
	  echo "rebuilder demo-ci: REPRODUCED in $$((SECONDS - start)) s, attestation logged; the log policy requires it"; \
	else \
	  echo "rebuilder demo-ci: the rebuild did not reproduce dist/ (uncommitted changes?), see build/demo-rebuild.log; the log policy names no rebuilder"; \
	fi
	@# The enrollment record (issue 21): the demo origin bound to the release key and this signed
	@# policy (logged once; its binding-proof, made at the first cosigning, is kept: the guard's
	@# cool-down counts from then — 8 s in the make build-dev guard, 7 days in make extension's).
	target/debug/sealpost-verify log bind $(LOG_DIR) --key $(LOG_KEY) --origin http://127.0.0.1:$(PORT) \
	  --cert $(RELEASE_CERT) --policy-file $(LOG_DIR)/policy > /dev/null
	@pids=""; trap 'kill $$pids 2>/dev/null' EXIT; \
	for n in 1 2; do \
	  target/debug/sealpost-witness serve --key keys/demo-witness-$$n.key --db build/witness-$$n.sqlite \
	    --listen 127.0.0.1:710$$n --log "$$(cat keys/demo-log.vkey)" & pids="$$pids $$!"; \
	done; \
	for n in 1 2; do for i in $$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/710$$n) 2>/dev/null && break; sleep 0.1; done; done; \
	target/debug/sealpost-verify log checkpoint $(LOG_DIR) --policy $(LOG_POLICY) || echo "the witnesses did not both cosign (see above)"; \
	target/debug/sealpost-verify log prove $(LOG_DIR) --manifest dist/manifest.json --out $(LOG_DIR)/release-proof; \
	target/debug/sealpost-verify log prove $(LOG_DIR) --manifest dist/manifest.json --attestations --out $(LOG_DIR)/rebuild-proofs; \
	target/debug/sealpost-verify log prove $(LOG_DIR) --binding http://127.0.0.1:$(PORT) --keep --out $(LOG_DIR)/binding-proof; \
	( while sleep $(DEMO_RECOSIGN_SECS); do target/debug/sealpost-verify log checkpoint $(LOG_DIR) --policy $(LOG_POLICY) > /dev/null 2>&1; done ) & pids="$$pids $$!"; \
	echo "sealpost mail: open the URL below in two browser profiles (one per user). Ctrl-C stops it."; \
	target/debug/sealpost-demo --dist dist --db $(DEMO_DB) --port $(PORT) --release-cert $(RELEASE_CERT) --log $(LOG_DIR)

## The demo webmail on real mail servers: Debian's Postfix and Dovecot (scripts/mail-servers.sh,
## state in MAIL_DIR, loopback, ports 1143 IMAP / 1587 submission / 1025 inbound SMTP) with two
## users, alice@example.org and bob@example.org (mail passwords "alice mail password" and
## "bob mail password"); the demo server keeps no mail itself (--imap, --smtp), and keeps the
## keys published in its WKD in MAIL_DIR/demo-state.  MAIL_TLS=1: IMAPS on 1993 and STARTTLS
## on submission, with a CA made for the run that the demo server trusts (--ca).
MAIL_DIR ?= build/mail-servers
MAIL_TLS ?= 0
demo-mail: dist
	@scripts/setup.sh --browser
	cargo build -p sealpost-demo-server --locked
	@trap 'scripts/mail-servers.sh stop $(MAIL_DIR)' EXIT; \
	TLS=$(MAIL_TLS) scripts/mail-servers.sh start $(MAIL_DIR); \
	echo "sealpost mail on Postfix + Dovecot: open the URL below in two browser profiles (one per user). Ctrl-C stops it."; \
	target/debug/sealpost-demo --dist dist --port $(PORT) --release-cert $(RELEASE_CERT) --log $(LOG_DIR) \
	  --state $(MAIL_DIR)/demo-state \
	  $(if $(filter 1,$(MAIL_TLS)),--imap imaps://127.0.0.1:1993 --smtp 'smtp://127.0.0.1:1587?tls=required' --ca $(MAIL_DIR)/tls/ca.pem,--imap imap://127.0.0.1:1143 --smtp smtp://127.0.0.1:1587)

test: setup-test
	@scripts/test.sh

## The guard in a real Firefox ESR (geckodriver + selenium-webdriver; setup.sh --browser installs them):
## the genuine release, the attack suite, the back/forward cache, the log checks, genuine loads in
## a row.  Also part of `make test`; this target runs it alone.
test-firefox: setup-test build-dev
	node --test tests/firefox/

## Benchmarks: sealpost vs OpenPGP.js (Node, Chromium), native and gpg, one run, one table;
## figures in target/bench/.  BENCH_ARGS=--quick skips 64 MiB and shortens repeats.
BENCH_ARGS ?=
bench: build-release setup-test
	node tests/bench/run.mjs $(BENCH_ARGS)

## Time to first result (issue 23): a fresh page in Chromium imports the library and makes its first
## key, sealpost (worker mode, the release build) against OpenPGP.js, cold and warm, loopback and 20 Mbit/s.
bench-first: build-release setup-test
	node tests/bench/first-result.mjs $(BENCH_ARGS)

## Fuzzing (long): every target for FUZZ_SECONDS each (default 600); see fuzz/README.md.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= decrypt verify verify_detached cert armor mime sri html manifest tlog_entry tlog_checkpoint tlog_tile
CARGO_FUZZ_VERSION := 0.13.1
fuzz: build-dev
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@cargo fuzz --version 2>/dev/null | grep -q '$(CARGO_FUZZ_VERSION)' || cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION)
	@[ -d fuzz/corpus ] || node fuzz/seed.mjs
	@mkdir -p build; failed=""; cd fuzz && for t in $(FUZZ_TARGETS); do \
	  echo "=== fuzz $$t for $(FUZZ_SECONDS)s"; \
	  cargo +nightly fuzz run --release $$t -- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 > ../build/fuzz-$$t.log 2>&1 || true; \
	  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|^#[0-9]+ *DONE|panicked|SUMMARY' ../build/fuzz-$$t.log | tail -6; \
	  grep -q 'Done [0-9]* runs' ../build/fuzz-$$t.log || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed (fuzz/artifacts/; logs in build/fuzz-*.log)"; exit 1; fi

clean:
	rm -rf build dist target/$(WASM)
