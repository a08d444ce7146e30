//! `sealpost-verify log …` end to end: signed releases logged by the CLI, the log directory
//! served by a plain static file server (Python's http.server: no sealpost code on the serving
//! side), two tlog-witnesses cosigning over HTTP, and verification, proofs, monitoring, a split
//! view (two manifests for one version), a fork the witnesses refuse, and tampering.
#![allow(clippy::unwrap_used)] // tests may panic on failure

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use sealpost_core::keys::{self, GenerateOptions};
use sealpost_tlog::keys::{SecretKey, ALG_COSIGNATURE_V1};
use sealpost_tlog::witness::{MemoryStore, Witness};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sealpost-verify"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A static file server for `root`: `python3 -m http.server`, killed on drop.
struct Static {
    child: Child,
    url: String,
}

impl Drop for Static {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_static(root: &Path) -> Static {
    let mut child = Command::new("python3")
        .args([
            "-u",
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 serves the log directory");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    let port = line
        .split(" port ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("python3 http.server said {line:?}"));
    Static {
        child,
        url: format!("http://127.0.0.1:{port}/"),
    }
}

/// A tlog-witness on 127.0.0.1 (sealpost-tlog's witness logic, in memory), returning its URL.
/// The sealpost-witness binary (SQLite, axum) has its own test.
fn serve_witness(witness: Witness) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let store = Arc::new(Mutex::new(MemoryStore::default()));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let r = if first.starts_with("POST /add-checkpoint ") {
                witness.add_checkpoint(&mut *store.lock().unwrap(), &body, 1_800_000_000)
            } else {
                sealpost_tlog::witness::Response {
                    status: 404,
                    content_type: "text/plain",
                    body: b"not found\n".to_vec(),
                }
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                r.status,
                r.content_type,
                r.body.len()
            );
            let _ = stream.write_all(&r.body);
        }
    });
    url
}

/// A signed release of `site` content `tag`, version `version`: (manifest, its signature).
fn release(dir: &Path, key: &Path, name: &str, version: &str, tag: &str) -> PathBuf {
    let site = dir.join(format!("site-{name}"));
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        format!("<!doctype html><p>{tag}</p>\n"),
    )
    .unwrap();
    let manifest = dir.join(format!("{name}.json"));
    let o = run(&[
        "manifest",
        s(&site),
        "--out",
        s(&manifest),
        "--sign-with",
        s(key),
        "--app",
        "testsite",
        "--release-version",
        version,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    manifest
}

#[test]
fn log_append_checkpoint_prove_verify_monitor_over_a_static_server() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let key = keys::generate(&GenerateOptions {
        user_ids: vec!["Release <release@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let key_path = t.join("release.key");
    let cert = t.join("release.cert");
    std::fs::write(&key_path, keys::write_cert(&key, true, true).unwrap()).unwrap();
    std::fs::write(&cert, keys::write_cert(&key, false, true).unwrap()).unwrap();
    let a = release(t, &key_path, "a", "1.0.0", "first");
    let b = release(t, &key_path, "b", "1.1.0", "second");
    let evil = release(t, &key_path, "evil", "1.0.0", "special build for one user");
    let unlogged = release(t, &key_path, "c", "1.2.0", "never logged");

    // The log key, two witnesses and a policy that needs both.
    let o = run(&[
        "log",
        "keygen",
        "--origin",
        "log.test/releases",
        "--out",
        s(&t.join("log.key")),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let log_vkey = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let log_pub = sealpost_tlog::keys::VKey::parse(&log_vkey).unwrap();
    let mut wl = Vec::new();
    for (i, name) in ["w1.test", "w2.test"].iter().enumerate() {
        let k = SecretKey::from_seed(name, ALG_COSIGNATURE_V1, [i as u8 + 10; 32]).unwrap();
        let vkey = k.vkey().encode();
        let url = serve_witness(Witness {
            key: k,
            logs: vec![log_pub.clone()],
        });
        wl.push((vkey, url));
    }
    let policy = t.join("policy");
    std::fs::write(
        &policy,
        format!(
            "# the demo's release log\nlog {log_vkey}\nwitness w1 {} {}\nwitness w2 {} {}\ngroup both all w1 w2\nquorum both\n",
            wl[0].0, wl[0].1, wl[1].0, wl[1].1
        ),
    )
    .unwrap();
    let logdir = t.join("log");
    let lk = t.join("log.key");
    let append = |m: &Path, dir: &Path| {
        run(&[
            "log",
            "append",
            s(dir),
            "--key",
            s(&lk),
            "--manifest",
            s(m),
            "--cert",
            s(&cert),
            "--json",
        ])
    };
    let cosign = |dir: &Path| {
        run(&[
            "log",
            "checkpoint",
            s(dir),
            "--policy",
            s(&policy),
            "--json",
        ])
    };

    // Release 1.0.0: logged, cosigned by both witnesses.
    let o = append(&a, &logdir);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (j["index"].as_u64(), j["size"].as_u64()),
        (Some(0), Some(1)),
        "{j}"
    );
    assert_eq!(j["entry"]["release_key"], key.fingerprint().to_hex());
    // Appending it again logs nothing new.
    let j: serde_json::Value = serde_json::from_slice(&append(&a, &logdir).stdout).unwrap();
    assert_eq!(
        (j["added"].as_bool(), j["size"].as_u64()),
        (Some(false), Some(1))
    );
    let o = cosign(&logdir);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["quorum"],
        true
    );
    // The directory is tlog-tiles.
    for f in ["checkpoint", "tile/0/000.p/1", "tile/entries/000.p/1"] {
        assert!(logdir.join(f).is_file(), "{f}");
    }
    let first_checkpoint = t.join("checkpoint-1");
    std::fs::copy(logdir.join("checkpoint"), &first_checkpoint).unwrap();

    let web = serve_static(&logdir);
    let verify = |m: &Path, extra: &[&str]| {
        let mut args = vec![
            "log",
            "verify",
            "--policy",
            s(&policy),
            "--manifest",
            s(m),
            "--cert",
            s(&cert),
            "--json",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let o = verify(&a, &["--log", &web.url]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        j["checkpoint"]["witnesses"].as_array().unwrap().len(),
        2,
        "{j}"
    );

    // An offline tlog-proof, fetched over HTTP.
    let proof_a = t.join("a.tlog-proof");
    let o = run(&[
        "log",
        "prove",
        &web.url,
        "--manifest",
        s(&a),
        "--out",
        s(&proof_a),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&proof_a)
        .unwrap()
        .starts_with("c2sp.org/tlog-proof@v1\nindex 0\n\n"));
    assert_eq!(code(&verify(&a, &["--proof", s(&proof_a)])), 0);

    // Release 1.1.0, cosigned again (the witnesses check consistency from size 1).
    assert!(append(&b, &logdir).status.success());
    let o = cosign(&logdir);
    assert!(o.status.success(), "{}", text(&o));
    let o = verify(&b, &["--log", &web.url, "--since", s(&first_checkpoint)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["consistent_with_size"],
        1
    );
    // The old proof still verifies (offline, under its own cosigned checkpoint).
    assert_eq!(code(&verify(&a, &["--proof", s(&proof_a)])), 0);
    // A proof for another leaf, and a release not in the log.
    let o = verify(&b, &["--proof", s(&proof_a)]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("NOT_LOGGED"), "{}", text(&o));
    let o = verify(&unlogged, &["--log", &web.url]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("NOT_LOGGED"), "{}", text(&o));
    let o = run(&["log", "prove", &web.url, "--manifest", s(&unlogged)]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    // A consistency proof from size 1, in the tlog-witness request form.
    let o = run(&["log", "prove", &web.url, "--from-size", "1"]);
    assert!(
        o.status.success() && text(&o).starts_with("old 1\n"),
        "{}",
        text(&o)
    );

    // The monitor lists both releases.
    let monitor = |extra: &[&str]| {
        let mut args = vec![
            "log",
            "monitor",
            &web.url,
            "--app",
            "testsite",
            "--policy",
            s(&policy),
            "--json",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let state = t.join("monitor-state.json");
    let o = monitor(&["--state", s(&state), "--checkpoint", s(&first_checkpoint)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["releases"].as_array().unwrap().len(), 2, "{j}");
    assert_eq!(j["releases"][1]["version"], "1.1.0");

    // A split view that is logged: a second, validly signed 1.0.0. The monitor sees it.
    assert!(append(&evil, &logdir).status.success());
    assert!(cosign(&logdir).status.success());
    let o = monitor(&["--state", s(&state)]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["conflicts"][0]["version"], "1.0.0", "{j}");
    assert_eq!(j["conflicts"][0]["entries"].as_array().unwrap().len(), 2);
    let o = run(&[
        "log",
        "monitor",
        &web.url,
        "--app",
        "testsite",
        "--policy",
        s(&policy),
    ]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("testsite 1.0.0 is logged with 2 different manifests"),
        "{}",
        text(&o)
    );

    // A fork: the log key signs another history of size 1 (the special build at index 0).
    // The witnesses refuse to cosign it, and the monitor, shown its checkpoint, reports it.
    let forkdir = t.join("fork");
    assert!(append(&evil, &forkdir).status.success());
    let o = cosign(&forkdir);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for w in j["witnesses"].as_array().unwrap() {
        assert_eq!(w["cosigned"], false, "{j}");
        assert!(w["error"].as_str().unwrap().contains("409"), "{j}");
    }
    // A fork of the size the witnesses hold (3), with another third release: 422.
    let fork3 = t.join("fork3");
    for m in [&a, &b, &unlogged] {
        assert!(append(m, &fork3).status.success());
    }
    let o = cosign(&fork3);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for w in j["witnesses"].as_array().unwrap() {
        assert_eq!(w["cosigned"], false, "{j}");
        assert!(w["error"].as_str().unwrap().contains("HTTP 422"), "{j}");
    }
    let o = monitor(&["--checkpoint", s(&forkdir.join("checkpoint"))]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().starts_with("FORK")),
        "{j}"
    );
    // Two checkpoints of one size with different roots.
    let o = monitor(&[
        "--checkpoint",
        s(&forkdir.join("checkpoint")),
        "--checkpoint",
        s(&first_checkpoint),
    ]);
    assert!(
        text(&o).contains("both have size 1 but different roots"),
        "{}",
        text(&o)
    );
    // A client holding the fork's checkpoint and shown the real log: SPLIT_VIEW.
    let o = verify(
        &a,
        &["--log", &web.url, "--since", s(&forkdir.join("checkpoint"))],
    );
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("SPLIT_VIEW"), "{}", text(&o));

    // A policy whose quorum the checkpoint lacks.
    let strict = t.join("strict-policy");
    let w3 = SecretKey::from_seed("w3.test", ALG_COSIGNATURE_V1, [33; 32])
        .unwrap()
        .vkey()
        .encode();
    std::fs::write(
        &strict,
        format!("log {log_vkey}\nwitness w3 {w3}\nquorum w3\n"),
    )
    .unwrap();
    let o = run(&[
        "log",
        "verify",
        "--policy",
        s(&strict),
        "--manifest",
        s(&a),
        "--cert",
        s(&cert),
        "--log",
        &web.url,
    ]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(text(&o).contains("not a quorum"), "{}", text(&o));

    // Tampering with what the static server serves.
    let tile = logdir.join("tile/0/000.p/3");
    let mut bytes = std::fs::read(&tile).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&tile, &bytes).unwrap();
    let o = verify(&a, &["--log", &web.url]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("does not match the checkpoint"),
        "{}",
        text(&o)
    );
    bytes[0] ^= 1;
    std::fs::write(&tile, &bytes).unwrap();
    let bundle = logdir.join("tile/entries/000.p/3");
    let good = std::fs::read(&bundle).unwrap();
    std::fs::write(&bundle, &good[..good.len() - 1]).unwrap();
    let o = verify(&a, &["--log", &web.url]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("entry bundle"), "{}", text(&o));
    std::fs::write(&bundle, &good).unwrap();
    std::fs::write(
        logdir.join("checkpoint"),
        "log.test/releases\n3\nnot a hash\n\n— x AAAA\n",
    )
    .unwrap();
    let o = verify(&a, &["--log", &web.url]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("checkpoint"), "{}", text(&o));
}

#[test]
fn sign_policy_signs_a_policy_that_names_a_log() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let key = keys::generate(&GenerateOptions {
        user_ids: vec!["Release <release@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let key_path = t.join("release.key");
    std::fs::write(&key_path, keys::write_cert(&key, true, true).unwrap()).unwrap();
    let policy = t.join("policy");
    std::fs::write(
        &policy,
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../keys/demo-log-policy.txt"))
            .unwrap(),
    )
    .unwrap();
    let o = run(&[
        "log",
        "sign-policy",
        s(&policy),
        "--sign-with",
        s(&key_path),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let sig = std::fs::read_to_string(t.join("policy.sig")).unwrap();
    assert!(sig.starts_with("-----BEGIN PGP SIGNATURE-----"), "{sig}");
    assert!(text(&o).contains(&key.fingerprint().to_hex()));
    // A policy without a log, or not a policy at all, is not signed; nor one that names a log
    // but whose quorum needs no witness (the guard would refuse to pin it).
    let demo = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../keys/demo-log-policy.txt"),
    )
    .unwrap();
    let no_witness = demo.replace("quorum both", "quorum none");
    assert_ne!(no_witness, demo);
    for bad in ["quorum none\n", "hello\n", no_witness.as_str()] {
        std::fs::write(&policy, bad).unwrap();
        let out = t.join("bad.sig");
        let o = run(&[
            "log",
            "sign-policy",
            s(&policy),
            "--sign-with",
            s(&key_path),
            "--out",
            s(&out),
        ]);
        assert_eq!(code(&o), 2, "{}", text(&o));
        assert!(!out.exists());
    }
}
