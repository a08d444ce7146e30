//! ocb3-crosscheck: wasm/ocb3 tested against crates.io's ocb3 0.1.0 (the tests are in tests/).
//! Never a dependency of anything: a workspace of its own, run by `scripts/test.sh`.
