//! `sealpost-verify rebuild --attest` end to end on a small git source tree: the real rebuild
//! (the commit the manifest names, exported and built in a clean directory), the byte
//! comparison, the signed attestation appended to a log directory, the proofs the site serves
//! (`log prove --attestations`), the guard's check of them (sealpost_tlog::client), and
//! `log monitor`. A release changed by one byte after the build, re-signed with the release
//! key, gets no attestation.
#![allow(clippy::unwrap_used)] // tests may panic on failure

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use sealpost_core::keys::{self, GenerateOptions};
use sealpost_tlog::checkpoint::SignedCheckpoint;
use sealpost_tlog::client::{check_rebuilt, check_release, Outcome};
use sealpost_tlog::keys::{SecretKey, ALG_COSIGNATURE_V1};
use sealpost_tlog::logdir::LogDir;
use sealpost_tlog::policy::Policy;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sealpost-verify"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// A signed manifest of `dist` (source `src`, SOURCE_DATE_EPOCH fixed) at `out`.
fn manifest(dist: &Path, src: &Path, key: &Path, out: &Path) {
    let o = bin()
        .args([
            "manifest",
            s(dist),
            "--out",
            s(out),
            "--source",
            s(src),
            "--app",
            "fixture",
            "--release-version",
            "1.0.0",
            "--sign-with",
            s(key),
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

const BUILD: &str =
    "mkdir -p dist && cp www/* dist/ && echo \"$SOURCE_DATE_EPOCH\" > dist/epoch.txt";

#[test]
fn a_rebuild_that_matches_is_attested_logged_and_counted_one_that_differs_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // The source: a committed tree whose "build" copies www/ and stamps the epoch.
    let src = t.join("src");
    std::fs::create_dir_all(src.join("www")).unwrap();
    std::fs::write(src.join("www/index.html"), "<!doctype html><p>hi</p>\n").unwrap();
    std::fs::write(src.join("www/app.js"), "console.log('genuine');\n").unwrap();
    git(&src, &["init", "-q"]);
    git(&src, &["add", "."]);
    git(&src, &["commit", "-qm", "release"]);
    let commit = git(&src, &["rev-parse", "HEAD"]);
    // The release as published: built once, signed with the release key.
    let dist = t.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for f in ["index.html", "app.js"] {
        std::fs::copy(src.join("www").join(f), dist.join(f)).unwrap();
    }
    std::fs::write(dist.join("epoch.txt"), "1700000000\n").unwrap();
    let release = keys::generate(&GenerateOptions {
        user_ids: vec!["Release <release@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let rkey = t.join("release.key");
    let rcert = t.join("release.cert");
    std::fs::write(&rkey, keys::write_cert(&release, true, true).unwrap()).unwrap();
    std::fs::write(&rcert, keys::write_cert(&release, false, true).unwrap()).unwrap();
    let genuine = t.join("genuine.json");
    manifest(&dist, &src, &rkey, &genuine);
    // The same release with one byte of app.js changed after the build, re-signed.
    let bad_dist = t.join("bad-dist");
    std::fs::create_dir_all(&bad_dist).unwrap();
    for f in ["index.html", "app.js", "epoch.txt"] {
        std::fs::copy(dist.join(f), bad_dist.join(f)).unwrap();
    }
    let mut js = std::fs::read(bad_dist.join("app.js")).unwrap();
    js[13] = b'G';
    std::fs::write(bad_dist.join("app.js"), js).unwrap();
    let bad = t.join("bad.json");
    manifest(&bad_dist, &src, &rkey, &bad);
    // Later work in the source tree (committed and not) is not part of the release.
    std::fs::write(src.join("www/app.js"), "console.log('next');\n").unwrap();
    git(&src, &["commit", "-qam", "next"]);
    std::fs::write(src.join("www/index.html"), "uncommitted").unwrap();

    // The log (both releases logged), a rebuilder key.
    let log = t.join("log");
    let lkey = t.join("log.key");
    let o = run(&["log", "keygen", "--origin", "log.test/r", "--out", s(&lkey)]);
    assert!(o.status.success(), "{}", text(&o));
    let log_vkey = String::from_utf8_lossy(&o.stdout).trim().to_string();
    for m in [&genuine, &bad] {
        let o = run(&[
            "log",
            "append",
            s(&log),
            "--key",
            s(&lkey),
            "--manifest",
            s(m),
            "--cert",
            s(&rcert),
        ]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let rb = t.join("rebuilder.key");
    let o = run(&[
        "log",
        "keygen",
        "--origin",
        "ci.test/rebuilder",
        "--out",
        s(&rb),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let rb_vkey = String::from_utf8_lossy(&o.stdout).trim().to_string();

    // The altered release: NOT REPRODUCED, nothing signed, nothing logged.
    let att_bad = t.join("bad.att");
    let o = run(&[
        "rebuild",
        "--source",
        s(&src),
        "--manifest",
        s(&bad),
        "--build-cmd",
        BUILD,
        "--attest",
        s(&rb),
        "--attestation-out",
        s(&att_bad),
        "--log",
        s(&log),
        "--log-key",
        s(&lkey),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MISMATCH   app.js"), "{}", text(&o));
    assert!(text(&o).contains("no attestation signed"), "{}", text(&o));
    assert!(!att_bad.exists());
    assert_eq!(LogDir::open(&log, None).unwrap().size(), 2);

    // The genuine release: rebuilt from the commit it names (not the later ones), REPRODUCED,
    // attested and logged.
    let att = t.join("genuine.att");
    let o = run(&[
        "rebuild",
        "--source",
        s(&src),
        "--manifest",
        s(&genuine),
        "--build-cmd",
        BUILD,
        "--attest",
        s(&rb),
        "--attestation-out",
        s(&att),
        "--log",
        s(&log),
        "--log-key",
        s(&lkey),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["logged"]["index"], 2, "{j}");
    let note = std::fs::read(&att).unwrap();
    assert_eq!(j["bytes"].as_u64(), Some(note.len() as u64));
    let a = sealpost_tlog::attest::Attestation::parse(&note).unwrap();
    let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(&std::fs::read(&genuine).unwrap()));
    assert_eq!(a.statement.manifest_sha256, sha);
    assert_eq!(a.statement.source_commit.as_deref(), Some(commit.as_str()));
    assert_eq!(
        (a.statement.app.as_str(), a.statement.version.as_str()),
        ("fixture", "1.0.0")
    );
    assert!(
        a.statement.toolchain.contains("rustc"),
        "{}",
        a.statement.toolchain
    );
    println!(
        "attestation: {} bytes, toolchain {:?}, rebuild {} s",
        note.len(),
        a.statement.toolchain,
        j["build_seconds"]
    );
    // Logging it again (log append --attestation, as a log operator would) adds nothing.
    let o = run(&[
        "log",
        "append",
        s(&log),
        "--key",
        s(&lkey),
        "--attestation",
        s(&att),
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (j["added"].as_bool(), j["index"].as_u64()),
        (Some(false), Some(2)),
        "{j}"
    );

    // A witness cosigns; the policy names the rebuilder, quorum 1.
    let w = SecretKey::from_seed("w.test", ALG_COSIGNATURE_V1, [5; 32]).unwrap();
    let mut l = LogDir::open(&log, None).unwrap();
    let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
    cp.add_signatures(&[w.cosign(&cp.text, 1_800_000_000).unwrap()]);
    let log_key = sealpost_tlog::keys::VKey::parse(&log_vkey).unwrap();
    l.set_checkpoint(cp, &log_key).unwrap();
    let policy_text = format!(
        "log {log_vkey}\nwitness w {}\nquorum w\nrebuilder ci {rb_vkey}\nrebuild-quorum 1\n",
        w.vkey().encode()
    );
    let policy_file = t.join("policy");
    std::fs::write(&policy_file, &policy_text).unwrap();
    let policy = Policy::parse(&policy_text).unwrap();

    // What the site serves: the release's proof and its attestations' proofs.
    let prove = |m: &Path, extra: &[&str]| {
        let mut args = vec!["log", "prove", s(&log), "--manifest", s(m)];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", text(&o));
        o.stdout
    };
    let release_proof = prove(&genuine, &[]);
    let proofs: Vec<String> =
        serde_json::from_slice(&prove(&genuine, &["--attestations"])).unwrap();
    assert_eq!(proofs.len(), 1);
    let proofs: Vec<Vec<u8>> = proofs.into_iter().map(String::into_bytes).collect();
    let entry = sealpost_tlog::entry::Entry::for_manifest(
        "fixture",
        "1.0.0",
        &std::fs::read(&genuine).unwrap(),
        &release.fingerprint().to_hex(),
        Some(&commit),
        Some(1_700_000_000),
    )
    .unwrap()
    .to_bytes();
    assert!(matches!(
        check_release(&policy, &release_proof, &entry, None, &HashMap::new()),
        Ok(Outcome::Logged(_))
    ));
    let ok = check_rebuilt(&policy, &release_proof, "fixture", "1.0.0", &sha, &proofs).unwrap();
    assert_eq!(ok.rebuilders, ["ci"]);
    // The altered release has none: NOT_REBUILT, naming the rebuilder missing.
    let bad_sha = sealpost_tlog::hex(&sealpost_tlog::sha256(&std::fs::read(&bad).unwrap()));
    let none: Vec<String> = serde_json::from_slice(&prove(&bad, &["--attestations"])).unwrap();
    assert!(none.is_empty());
    let bad_proof = prove(&bad, &[]);
    let e = check_rebuilt(&policy, &bad_proof, "fixture", "1.0.0", &bad_sha, &proofs).unwrap_err();
    assert_eq!(e.code(), "NOT_REBUILT");
    assert!(e.message().contains("missing: ci"), "{e}");

    // The monitor lists who rebuilt what (two manifests for 1.0.0 are reported, exit 1).
    let o = run(&[
        "log",
        "monitor",
        s(&log),
        "--app",
        "fixture",
        "--policy",
        s(&policy_file),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let by: Vec<&serde_json::Value> = j["releases"].as_array().unwrap().iter().collect();
    assert_eq!(by[0]["attested_by"][0].as_str().unwrap(), a.signer);
    assert_eq!(by[1]["attested_by"].as_array().unwrap().len(), 0);
    assert_eq!(j["attestations"][0]["index"], 2);
    assert!(j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p.as_str().unwrap().contains("malformed")));

    // A manifest naming a commit the source does not have: BUILD_FAILED, nothing signed.
    let other = t.join("other-src");
    std::fs::create_dir_all(&other).unwrap();
    git(&other, &["init", "-q"]);
    let o = run(&[
        "rebuild",
        "--source",
        s(&other),
        "--manifest",
        s(&genuine),
        "--build-cmd",
        BUILD,
        "--attest",
        s(&rb),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("BUILD_FAILED") && text(&o).contains("is not in"),
        "{}",
        text(&o)
    );
    // A manifest that names no source commit (made without --source) is not attested: its
    // rebuild would be of the rebuilder's working tree, not of public source. Refused before
    // any build, nothing written.
    let no_commit = t.join("no-commit.json");
    let o = bin()
        .args([
            "manifest",
            s(&dist),
            "--out",
            s(&no_commit),
            "--app",
            "fixture",
            "--release-version",
            "1.0.0",
            "--sign-with",
            s(&rkey),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let none_out = t.join("none.att");
    let o = run(&[
        "rebuild",
        "--source",
        s(&src),
        "--manifest",
        s(&no_commit),
        "--build-cmd",
        BUILD,
        "--attest",
        s(&rb),
        "--attestation-out",
        s(&none_out),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("names no source commit"), "{}", text(&o));
    assert!(!none_out.exists(), "no attestation written");
    // A witness key is not a rebuilder key.
    let wk = t.join("w.key");
    std::fs::write(&wk, w.encode()).unwrap();
    let o = run(&[
        "rebuild",
        "--source",
        s(&src),
        "--manifest",
        s(&genuine),
        "--build-cmd",
        BUILD,
        "--attest",
        s(&wk),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not an Ed25519 note key"), "{}", text(&o));
}

/// Enrollment records (issue 21): `log bind` logs origin → release key; a key change is a second
/// binding, reported by `log monitor`; the cool-down counts from when a quorum of witnesses
/// cosigned a checkpoint holding the binding (sealpost_tlog::binding).
#[test]
fn bindings_are_logged_key_changes_are_reported_and_cool_down_from_the_witnesses_time() {
    use sealpost_tlog::binding::{bound_since, cooled_down, Binding, COOL_DOWN_SECS};
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let certs: Vec<_> = (0..2)
        .map(|i| {
            let c = keys::generate(&GenerateOptions {
                user_ids: vec![format!("Release {i} <r{i}@example.org>")],
                ..Default::default()
            })
            .unwrap()
            .cert;
            let p = t.join(format!("release{i}.cert"));
            std::fs::write(&p, keys::write_cert(&c, false, true).unwrap()).unwrap();
            (c.fingerprint().to_hex(), p)
        })
        .collect();
    let log = t.join("log");
    let lkey = t.join("log.key");
    let o = run(&["log", "keygen", "--origin", "log.test/b", "--out", s(&lkey)]);
    assert!(o.status.success(), "{}", text(&o));
    let log_vkey = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let log_key = sealpost_tlog::keys::VKey::parse(&log_vkey).unwrap();
    let w = SecretKey::from_seed("w.test", ALG_COSIGNATURE_V1, [6; 32]).unwrap();
    let policy_text = format!(
        "log {log_vkey}\nwitness w {}\nquorum w\n",
        w.vkey().encode()
    );
    let policy = Policy::parse(&policy_text).unwrap();
    let policy_file = t.join("policy");
    std::fs::write(&policy_file, &policy_text).unwrap();
    let day = 24 * 3600;
    let t1 = 1_800_000_000;
    // Binds, then the witness cosigns at `at`; returns (index, bound since).
    let bind = |cert: &Path, at: u64| {
        let o = run(&[
            "log",
            "bind",
            s(&log),
            "--key",
            s(&lkey),
            "--origin",
            "https://Mail.example",
            "--cert",
            s(cert),
            "--json",
        ]);
        assert!(o.status.success(), "{}", text(&o));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut l = LogDir::open(&log, None).unwrap();
        let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
        cp.add_signatures(&[w.cosign(&cp.text, at).unwrap()]);
        let since = bound_since(&cp, &policy);
        l.set_checkpoint(cp, &log_key).unwrap();
        (j["index"].as_u64().unwrap(), since.unwrap())
    };
    let (i0, since0) = bind(&certs[0].1, t1);
    assert_eq!((i0, since0), (0, t1));
    let entry = LogDir::open(&log, None).unwrap().entries()[0].clone();
    assert_eq!(
        Binding::from_bytes(&entry).unwrap(),
        Binding::new("https://mail.example", &certs[0].0).unwrap()
    );
    // The key changes six days later: not yet enrollable a day after, enrollable 7 days after.
    let (i1, since1) = bind(&certs[1].1, t1 + 6 * day);
    assert_eq!(i1, 1);
    assert!(cooled_down(since0, t1 + 7 * day, COOL_DOWN_SECS));
    assert!(
        !cooled_down(since1, t1 + 7 * day, COOL_DOWN_SECS),
        "the new key within its cool-down"
    );
    assert!(
        cooled_down(since1, t1 + 13 * day, COOL_DOWN_SECS),
        "and after it"
    );
    // The monitor shows both bindings and reports the key change (not an error).
    let o = run(&[
        "log",
        "monitor",
        s(&log),
        "--app",
        "none",
        "--policy",
        s(&policy_file),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["bindings"].as_array().unwrap().len(), 2, "{j}");
    let kc = &j["key_changes"][0];
    assert_eq!(
        (kc["from"].as_str(), kc["to"].as_str()),
        (Some(certs[0].0.as_str()), Some(certs[1].0.as_str()))
    );
    let o = run(&[
        "log",
        "monitor",
        s(&log),
        "--app",
        "none",
        "--policy",
        s(&policy_file),
    ]);
    assert!(
        text(&o).contains("KEY CHANGE: https://mail.example bound to"),
        "{}",
        text(&o)
    );
}

/// The binding the guard enrolls with (issue 21): `log bind --policy-file` names the signed
/// policy's SHA-256 (sealpost-binding/2); `log prove --binding ORIGIN` proves the origin's newest
/// binding, and with `--keep` keeps a proof file that already proves it under an older checkpoint
/// (the cool-down counts from that one's cosigning); client::check_binding accepts it only with
/// the guard's witnesses, this key and this policy, after the cool-down.
#[test]
fn a_binding_names_its_policy_and_its_proof_is_kept_from_the_first_cosigning() {
    use sealpost_tlog::binding::Binding;
    use sealpost_tlog::client::check_binding;
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let c = keys::generate(&GenerateOptions {
        user_ids: vec!["Release <r@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let fpr = c.fingerprint().to_hex();
    let cert = t.join("release.cert");
    std::fs::write(&cert, keys::write_cert(&c, false, true).unwrap()).unwrap();
    let log = t.join("log");
    let lkey = t.join("log.key");
    let o = run(&[
        "log",
        "keygen",
        "--origin",
        "log.test/b2",
        "--out",
        s(&lkey),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let log_vkey = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let log_key = sealpost_tlog::keys::VKey::parse(&log_vkey).unwrap();
    let w = SecretKey::from_seed("w.test", ALG_COSIGNATURE_V1, [8; 32]).unwrap();
    let policy_text = format!(
        "log {log_vkey}\nwitness w {}\nquorum w\n",
        w.vkey().encode()
    );
    let policy = Policy::parse(&policy_text).unwrap();
    let guard = Policy::parse(&format!("witness g {}\nquorum g\n", w.vkey().encode())).unwrap();
    let policy_file = t.join("policy");
    std::fs::write(&policy_file, &policy_text).unwrap();
    let bind = |origin: &str, with_policy: bool| {
        let mut args = vec![
            "log",
            "bind",
            s(&log),
            "--key",
            s(&lkey),
            "--origin",
            origin,
            "--cert",
            s(&cert),
        ];
        if with_policy {
            args.extend(["--policy-file", s(&policy_file)]);
        }
        let o = run(&args);
        assert!(o.status.success(), "{}", text(&o));
    };
    let cosign = |at: u64| {
        let mut l = LogDir::open(&log, None).unwrap();
        let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
        cp.add_signatures(&[w.cosign(&cp.text, at).unwrap()]);
        l.set_checkpoint(cp, &log_key).unwrap();
    };
    let prove = |origin: &str, out: &Path, keep: bool| {
        let mut args = vec![
            "log",
            "prove",
            s(&log),
            "--binding",
            origin,
            "--out",
            s(out),
        ];
        if keep {
            args.push("--keep");
        }
        run(&args)
    };
    let t1 = 1_800_000_000;
    bind("https://mail.example", true);
    let out = t.join("binding-proof");
    // A proof made before any witness cosigned is not kept: it could never count.
    assert!(prove("https://mail.example", &out, true).status.success());
    let uncosigned = std::fs::read(&out).unwrap();
    cosign(t1);
    let entry = LogDir::open(&log, None).unwrap().entries()[0].clone();
    let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(policy_text.as_bytes()));
    assert_eq!(
        Binding::from_bytes(&entry).unwrap(),
        Binding::new("https://mail.example", &fpr)
            .unwrap()
            .with_policy(&sha)
            .unwrap()
    );
    assert!(String::from_utf8_lossy(&entry).starts_with("sealpost-binding/2\n"));
    let o = prove("https://mail.example", &out, true);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("kept"), "{}", text(&o));
    let first = std::fs::read(&out).unwrap();
    assert_ne!(first, uncosigned);
    let cool = 7 * 24 * 3600;
    let check = |proof: &[u8], now: u64| {
        check_binding(
            &policy,
            &guard,
            proof,
            "https://mail.example",
            &fpr,
            &policy_text,
            now,
            cool,
        )
    };
    assert_eq!(
        check(&first, t1 + 60).unwrap_err().code(),
        "BINDING_COOLING_DOWN"
    );
    assert_eq!(check(&first, t1 + cool).unwrap().since, t1);
    // The log grows and is cosigned again a week later: --keep keeps the first proof (since t1).
    bind("https://other.example", false);
    cosign(t1 + cool);
    let o = prove("https://mail.example", &out, true);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("kept"), "{}", text(&o));
    assert_eq!(std::fs::read(&out).unwrap(), first);
    // Without --keep the proof is under the new checkpoint: the cool-down starts again.
    let fresh = t.join("fresh");
    assert!(prove("https://mail.example", &fresh, false)
        .status
        .success());
    assert_eq!(
        check(&std::fs::read(&fresh).unwrap(), t1 + cool + 60)
            .unwrap_err()
            .code(),
        "BINDING_COOLING_DOWN"
    );
    // A version 1 binding (no --policy-file) does not count for the guard; no binding: NOT_BOUND.
    let o = prove("https://other.example", &fresh, false);
    assert!(o.status.success(), "{}", text(&o));
    let e = check_binding(
        &policy,
        &guard,
        &std::fs::read(&fresh).unwrap(),
        "https://other.example",
        &fpr,
        &policy_text,
        t1 + 100 * cool,
        cool,
    );
    assert_eq!(e.unwrap_err().code(), "NOT_BOUND");
    let o = prove("https://nobody.example", &fresh, false);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("NOT_BOUND"), "{}", text(&o));
}
