//! aes-simd-crosscheck: wasm/aes-simd tested against crates.io's aes 0.8.4
//! and the published vectors (the tests are in tests/).  Never a dependency
//! of anything: a workspace of its own, run by `scripts/test.sh`.
