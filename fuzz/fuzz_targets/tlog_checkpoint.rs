#![no_main]
//! Signed notes, checkpoints, tlog-proof files, tlog-policy files and tlog-witness
//! add-checkpoint requests (through a witness's whole check, with a fixed log key).
use libfuzzer_sys::fuzz_target;
use sealpost_tlog::checkpoint::SignedCheckpoint;
use sealpost_tlog::keys::{SecretKey, VKey, ALG_COSIGNATURE_V1, ALG_ED25519};
use sealpost_tlog::policy::Policy;
use sealpost_tlog::proof::TlogProof;
use sealpost_tlog::witness::{AddCheckpoint, MemoryStore, Witness};

fuzz_target!(|data: &[u8]| {
    let Ok(log) = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]) else {
        return;
    };
    let Ok(w) = SecretKey::from_seed("witness.example", ALG_COSIGNATURE_V1, [2; 32]) else {
        return;
    };
    if let Ok(c) = SignedCheckpoint::parse(data) {
        assert_eq!(c.to_bytes(), data, "a parsed note re-encodes to its bytes");
        let _ = c.verify_log(&log.vkey());
        let _ = c.verify_cosignature(&w.vkey());
    }
    let _ = SignedCheckpoint::parse_signature_lines(data);
    if let Ok(p) = TlogProof::parse(data) {
        let _ = p.verify_entry(b"entry\n");
    }
    let _ = AddCheckpoint::parse(data);
    let witness = Witness {
        key: w,
        logs: vec![log.vkey()],
    };
    let r = witness.add_checkpoint(&mut MemoryStore::default(), data, 1);
    assert!([200, 400, 403, 404, 409, 422].contains(&r.status), "status {}", r.status);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = Policy::parse(text) {
            let _ = p.quorum_met(&Default::default());
        }
        let _ = VKey::parse(text);
        let _ = SecretKey::parse(text);
    }
});
