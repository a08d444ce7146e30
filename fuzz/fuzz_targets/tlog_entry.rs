#![no_main]
//! Release-log entries (sealpost-release/1) and entry bundles: parse, and re-encode what parsed.
use libfuzzer_sys::fuzz_target;
use sealpost_tlog::entry::Entry;
use sealpost_tlog::tiles::{decode_bundle, encode_bundle};

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = Entry::from_bytes(data) {
        assert_eq!(e.to_bytes(), data, "a parsed entry re-encodes to its bytes");
    }
    let count = data.first().map_or(0, |&b| usize::from(b));
    let bundle = data.get(1..).unwrap_or_default();
    if let Ok(entries) = decode_bundle(bundle, count) {
        assert_eq!(entries.len(), count);
        assert_eq!(encode_bundle(&entries).ok().as_deref(), Some(bundle));
    }
});
