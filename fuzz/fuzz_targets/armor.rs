#![no_main]
//! ASCII armor: detection, dearmoring, and re-armoring what dearmored.
use libfuzzer_sys::fuzz_target;
use sealpost_core::armor;

fuzz_target!(|data: &[u8]| {
    let _ = armor::is_armored(data);
    let _ = armor::detect_kind(data);
    if let Ok(binary) = armor::dearmor(data) {
        let _ = armor::armor(&binary, None);
    }
});
