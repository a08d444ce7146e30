//! sealpost-witness over real HTTP on 127.0.0.1: cosigns a growing log, refuses a rewind
//! (409 with its size) and a fork (422), unknown logs (404), forged signatures (403), garbage
//! (400), and still refuses after a restart (the SQLite state persists).
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use sealpost_tlog::checkpoint::SignedCheckpoint;
use sealpost_tlog::keys::{SecretKey, ALG_ED25519};
use sealpost_tlog::logdir::LogDir;
use sealpost_tlog::policy::Policy;
use sealpost_tlog::witness::{origin_hash, AddCheckpoint};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, key: &Path, logs: &[String]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sealpost-witness"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--key"])
        .arg(key)
        .arg("--db")
        .arg(dir.join("witness.sqlite"));
    for l in logs {
        cmd.args(["--log", l]);
    }
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// POSTs add-checkpoint: (status, content type, body).
fn add(s: &Server, old: u64, proof: Vec<sealpost_tlog::Hash>, cp: &[u8]) -> (u16, String, String) {
    let body = AddCheckpoint {
        old_size: old,
        proof,
        checkpoint: cp.to_vec(),
    }
    .to_bytes();
    post(s, &body)
}

fn post(s: &Server, body: &[u8]) -> (u16, String, String) {
    let mut r = agent()
        .post(&format!("{}/add-checkpoint", s.url))
        .send(body)
        .unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        r.status().as_u16(),
        ct,
        r.body_mut().read_to_string().unwrap(),
    )
}

fn entries(range: std::ops::Range<usize>, tag: &str) -> Vec<Vec<u8>> {
    range.map(|i| format!("{tag} {i}\n").into_bytes()).collect()
}

#[test]
fn witness_cosigns_growth_and_refuses_rewinds_and_forks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sealpost-witness"))
        .args(["keygen", "--name", "witness.test/w1", "--out"])
        .arg(tmp.path().join("w1.key"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let w_vkey = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let log_key = SecretKey::from_seed("log.test/releases", ALG_ED25519, [1; 32]).unwrap();
    let l_vkey = log_key.vkey().encode();
    let policy = Policy::parse(&format!("log {l_vkey}\nwitness w1 {w_vkey}\nquorum w1\n")).unwrap();
    let server = start(
        tmp.path(),
        &tmp.path().join("w1.key"),
        std::slice::from_ref(&l_vkey),
    );

    // A log of 5, then 300 entries (past a full tile).
    let mut log = LogDir::open(&tmp.path().join("log"), None).unwrap();
    log.append_raw(&entries(0..5, "release"), &log_key).unwrap();
    let cp5 = log.checkpoint().unwrap().to_bytes();
    let (st, _, body) = add(&server, 0, vec![], &cp5);
    assert_eq!(st, 200, "{body}");
    assert!(
        body.starts_with("— witness.test/w1 ") && body.ends_with('\n'),
        "{body:?}"
    );
    // The answer, appended to the checkpoint, verifies under the policy.
    let mut cosigned = cp5.clone();
    cosigned.extend_from_slice(body.as_bytes());
    let v = SignedCheckpoint::parse(&cosigned)
        .unwrap()
        .verify(&policy)
        .unwrap();
    assert_eq!(v.witnesses.len(), 1);
    // Same checkpoint again: old size 5, no proof: cosigned again.
    assert_eq!(add(&server, 5, vec![], &cp5).0, 200);

    log.append_raw(&entries(5..300, "release"), &log_key)
        .unwrap();
    let cp300 = log.checkpoint().unwrap().to_bytes();
    // Without the right old size: 409 and the size held.
    let (st, ct, body) = add(&server, 0, vec![], &cp300);
    assert_eq!(
        (st, ct.as_str(), body.as_str()),
        (409, "text/x.tlog.size", "5\n")
    );
    // With a wrong proof: 422.
    let mut bad = log.prove_consistency(5).unwrap();
    bad[0].0[0] ^= 1;
    assert_eq!(add(&server, 5, bad, &cp300).0, 422);
    // With the proof: 200.
    let (st, _, body) = add(&server, 5, log.prove_consistency(5).unwrap(), &cp300);
    assert_eq!(st, 200, "{body}");

    // Rewind: the old checkpoint of 5 again.
    let (st, _, body) = add(&server, 5, vec![], &cp5);
    assert_eq!(
        (st, body.as_str()),
        (409, "300\n"),
        "rewind claiming the old size"
    );
    let (st, _, _) = add(&server, 300, vec![], &cp5);
    assert_eq!(st, 400, "rewind: old size above the checkpoint's");

    // Fork: the same log key signs another history of 301 entries (first 300 the same but one).
    let mut fork_entries = entries(0..300, "release");
    fork_entries[7] = b"the special release\n".to_vec();
    fork_entries.push(b"release 300\n".to_vec());
    let mut fork = LogDir::open(&tmp.path().join("fork"), None).unwrap();
    fork.append_raw(&fork_entries, &log_key).unwrap();
    let fork_cp = fork.checkpoint().unwrap().to_bytes();
    let (st, _, body) = add(&server, 300, fork.prove_consistency(300).unwrap(), &fork_cp);
    assert_eq!(st, 422, "fork: {body}");
    assert!(body.contains("not consistent"), "{body}");
    // A fork of the same size: other root, old size = size.
    let mut fork300 = LogDir::open(&tmp.path().join("fork300"), None).unwrap();
    fork300.append_raw(&fork_entries[..300], &log_key).unwrap();
    let (st, _, _) = add(
        &server,
        300,
        vec![],
        &fork300.checkpoint().unwrap().to_bytes(),
    );
    assert_eq!(st, 422, "same-size fork");

    // Unknown log: 404. Forged log signature (another key, same origin): 403. Garbage: 400.
    let other = SecretKey::from_seed("other.test/log", ALG_ED25519, [2; 32]).unwrap();
    let cp_other = SignedCheckpoint::sign(
        &other,
        0,
        sealpost_tlog::logdir::Hashes::default().root(0).unwrap(),
    )
    .unwrap();
    assert_eq!(add(&server, 0, vec![], &cp_other.to_bytes()).0, 404);
    let impostor = SecretKey::from_seed("log.test/releases", ALG_ED25519, [3; 32]).unwrap();
    let forged = SignedCheckpoint::sign(&impostor, 400, log.checkpoint().unwrap().root()).unwrap();
    let (st, _, body) = add(&server, 300, vec![], &forged.to_bytes());
    assert_eq!(st, 403, "{body}");
    for garbage in [
        &b""[..],
        b"old 01\n\nx",
        b"old 5\nnot base64!\n\nx",
        b"hello",
        b"old 0\n\n\xff\xfe",
    ] {
        let (st, _, body) = post(&server, garbage);
        assert_eq!(st, 400, "{garbage:?}: {body}");
    }

    // The latest cosigned checkpoint is served for monitors.
    let mut r = agent()
        .get(&format!(
            "{}/{}/checkpoint",
            server.url,
            origin_hash("log.test/releases")
        ))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let held = SignedCheckpoint::parse(&r.body_mut().read_to_vec().unwrap()).unwrap();
    assert_eq!(held.size(), 300);
    held.verify(&policy).unwrap();

    // Restart on the same database: the rewind is still refused.
    drop(server);
    let server = start(tmp.path(), &tmp.path().join("w1.key"), &[l_vkey]);
    let (st, _, body) = add(&server, 0, vec![], &cp5);
    assert_eq!((st, body.as_str()), (409, "300\n"));
}
