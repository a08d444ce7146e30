// Shared by the fuzz targets: the fixed key, read once per process.
use std::sync::OnceLock;

use sealpost_core::keys;
use sealpost_core::{Cert, Policy};

pub struct Fixture {
    pub key: Cert,
    pub cert: Cert,
    pub policy: Policy,
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        // A fixed, unprotected test key (fuzz/key.asc): the seed corpus
        // holds messages encrypted to it, so the fuzzer starts deep.
        let key = keys::read_cert(include_bytes!("../key.asc")).expect("fuzz/key.asc");
        Fixture {
            cert: keys::public_cert(&key),
            key,
            // A small cap keeps decompression bombs from slowing the fuzzer.
            policy: Policy::new().with_max_plaintext(1 << 20),
        }
    })
}
