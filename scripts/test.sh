#!/usr/bin/env bash
# Runs every test suite of `make test` in order and prints a summary.
# Each suite's own output is shown as it runs; the last line totals them.
set -uo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-900}
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
log_dir=build/test-logs
mkdir -p "$log_dir"

# A fresh Chromium profile for every run (Chromium refuses a profile that
# another instance holds, and state must not leak between runs).
profile=$(mktemp -d "${TMPDIR:-/tmp}/sealpost-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
cat > build/webdriver.json <<JSON
{"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=$profile"]}}
JSON
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/build/webdriver.json

passed=0 failed=0 broken=()
run() {
  local name=$1; shift
  printf '\n=== %s: %s\n' "$name" "$*"
  local log="$log_dir/$name.log" start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  # cargo: "test result: ok. 13 passed; 0 failed"; node --test: "# pass 5" / "# fail 0"
  local p f
  p=$(grep -oE '([0-9]+) passed; ([0-9]+) failed' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '([0-9]+) passed; ([0-9]+) failed' "$log" | awk '{s+=$3} END {print s+0}')
  p=$((p + $(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  f=$((f + $(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$rc" -ne 0 ]; then
    broken+=("$name")
    # A suite that failed before reporting counts (e.g. a compile error) still fails the run.
    [ "$f" -gt 0 ] || failed=$((failed + 1))
  fi
  printf '=== %s: exit %s, %s passed, %s failed, %ss\n' "$name" "$rc" "$p" "$f" $((SECONDS - start))
}

run lint        bash -c 'cargo fmt --all --check && cargo clippy --workspace --all-targets --locked -- -D warnings && cargo clippy -p sealpost-wasm -p sealpost-verifier-wasm -p sealpost-tlog --target wasm32-unknown-unknown --all-targets --locked -- -D warnings'
run native      cargo test --workspace --locked
# sequoia's own armor tests on the vendored tree, with our filter's differential test against the
# published one (third_party/PATCH.md).
run sequoia-armor cargo test --manifest-path third_party/sequoia-openpgp/Cargo.toml --locked --target-dir target --lib --no-default-features --features crypto-rust,allow-experimental-crypto,allow-variable-time-crypto,compression-deflate armor::
run ocb3-crosscheck cargo test --manifest-path wasm/ocb3/crosscheck/Cargo.toml --locked --target-dir target
run aes-simd    bash -c 'cargo test --manifest-path wasm/aes-simd/crosscheck/Cargo.toml --locked --target-dir target && cargo test --manifest-path wasm/aes-simd/crosscheck/Cargo.toml --locked --target-dir target --target wasm32-unknown-unknown'
run wasm-node   cargo test -p sealpost-wasm --target wasm32-unknown-unknown --locked
run wasm-chromium env WASM_BINDGEN_USE_BROWSER=1 cargo test -p sealpost-wasm --target wasm32-unknown-unknown --locked --test web
run wasm-worker env WASM_BINDGEN_USE_DEDICATED_WORKER=1 cargo test -p sealpost-wasm --target wasm32-unknown-unknown --locked --test web
run verifier-wasm cargo test -p sealpost-verifier-wasm --target wasm32-unknown-unknown --locked
run wasm-package make --no-print-directory build-dev
run js-node     node --test tests/node/
run js-shim     node --test js-shim/test/*.test.mjs
run extension   node --test verifier/extension/test/
run e2e         node --test tests/e2e/
# The guard in a real Firefox ESR (the genuine release, the attack suite, the back/forward cache,
# the log checks, genuine loads in a row) and its hold against a stand-in of the webRequest API.
run firefox     node --test tests/firefox/
run repro       node --test tests/repro/

echo
if [ ${#broken[@]} -gt 0 ]; then
  echo "make test: failing suites: ${broken[*]} (logs in $log_dir/)"
fi
echo "make test: $passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ]
