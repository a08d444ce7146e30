//! Interoperability with the real GnuPG binary, both directions.
//!
//! gpg-made keys (Curve25519 and RSA) and messages (encrypted, signed,
//! encrypted+signed, password) are read by sealpost; sealpost's output is
//! decrypted and verified by gpg.  Each test uses its own GNUPGHOME.

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
mod common;
use common::*;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys::{self, KeyType};
use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::{verify, verify_detached, VerifyOptions};
use sealpost_core::Cert;

const PASS: &str = "gpg test passphrase";
const MSG: &[u8] = b"Interop test message\nwith two lines and UTF-8: \xc3\xa9t\xc3\xa9\n";

struct Gpg {
    home: tempfile::TempDir,
}

impl Gpg {
    fn new() -> Gpg {
        let home = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir_in("/tmp")
            .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let g = Gpg { home };
        std::fs::write(
            g.home.path().join("gpg-agent.conf"),
            "allow-loopback-pinentry\n",
        )
        .unwrap();
        g
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs gpg; returns (stdout, status-fd output).  Panics with stderr on failure.
    fn run(&self, args: &[&str], stdin: &[u8]) -> (Vec<u8>, String) {
        self.run_with(PASS, args, stdin)
    }

    fn run_with(&self, passphrase: &str, args: &[&str], stdin: &[u8]) -> (Vec<u8>, String) {
        let (out, status, ok, err) = self.try_run(passphrase, args, stdin);
        assert!(ok, "gpg {args:?} failed:\n{err}\n{status}");
        (out, status)
    }

    fn try_run(
        &self,
        passphrase: &str,
        args: &[&str],
        stdin: &[u8],
    ) -> (Vec<u8>, String, bool, String) {
        let mut child = Command::new("gpg")
            .env("GNUPGHOME", self.home())
            .args([
                "--batch",
                "--yes",
                "--no-tty",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                passphrase,
                "--trust-model",
                "always",
            ])
            .args(["--status-fd", "2"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg must be installed (make test installs gnupg)");
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let status = err
            .lines()
            .filter(|l| l.starts_with("[GNUPG:]"))
            .collect::<Vec<_>>()
            .join("\n");
        (out.stdout, status, out.status.success(), err)
    }

    fn file(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.home().join(name);
        std::fs::write(&p, data).unwrap();
        p
    }

    /// Generates a key in gpg and returns (secret key as sealpost reads it, fingerprint).
    fn generate(&self, uid: &str, algo: &str) -> (Cert, String) {
        self.run(&["--quick-gen-key", uid, algo, "sign,cert", "never"], b"");
        let fpr = self.fingerprint(uid);
        let enc_algo = if algo == "ed25519" { "cv25519" } else { algo };
        self.run(&["--quick-add-key", &fpr, enc_algo, "encr", "never"], b"");
        let (sec, _) = self.run(&["--export-secret-keys", "--armor", &fpr], b"");
        (keys::read_cert(&sec).unwrap(), fpr)
    }

    fn fingerprint(&self, uid: &str) -> String {
        let (out, _) = self.run(&["--with-colons", "--list-keys", uid], b"");
        let text = String::from_utf8(out).unwrap();
        let line = text.lines().find(|l| l.starts_with("fpr:")).unwrap();
        line.split(':').nth(9).unwrap().to_string()
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .env("GNUPGHOME", self.home())
            .args(["--kill", "all"])
            .status();
    }
}

fn dec<'a>(
    keys: &'a [Cert],
    verify: &'a [Cert],
    passphrases: &'a [sealpost_core::Password],
    p: &'a sealpost_core::Policy,
) -> DecryptOptions<'a> {
    DecryptOptions {
        keys,
        key_passphrases: passphrases,
        passwords: &[],
        verification_certs: verify,
        require_signature: false,
        policy: p,
    }
}

#[test]
fn gpg_keys_and_messages_are_read_by_sealpost() {
    let p = policy();
    let g = Gpg::new();
    for (uid, algo) in [
        ("Gnu Curve <curve@example.org>", "ed25519"),
        ("Gnu Rsa <rsa@example.org>", "rsa3072"),
    ] {
        let (key, fpr) = g.generate(uid, algo);
        assert_eq!(key.fingerprint().to_hex(), fpr, "{algo}");
        assert!(keys::is_locked(&key), "gpg exports locked keys");
        let info = keys::inspect(&key, &p);
        assert!(info.valid, "{algo}: {:?}", info.invalid_reason);
        let cert = keys::public_cert(&key);
        let pass = [pw(PASS)];
        let plain = g.file("plain.txt", MSG);
        let plain = plain.to_str().unwrap();

        // Encrypted only.
        let (ct, _) = g.run(&["--encrypt", "--armor", "-r", &fpr, "-o", "-", plain], b"");
        let out = decrypt(&ct, &dec(std::slice::from_ref(&key), &[], &pass, &p))
            .unwrap_or_else(|e| panic!("{algo} encrypt: {e}"));
        assert_eq!(out.data, MSG, "{algo}");
        assert!(out.signatures.is_empty());

        // Encrypted and signed.
        let (ct, _) = g.run(
            &[
                "--encrypt",
                "--sign",
                "-u",
                &fpr,
                "-r",
                &fpr,
                "-o",
                "-",
                plain,
            ],
            b"",
        );
        let out = decrypt(
            &ct,
            &dec(
                std::slice::from_ref(&key),
                std::slice::from_ref(&cert),
                &pass,
                &p,
            ),
        )
        .unwrap();
        assert_eq!(out.data, MSG);
        assert!(
            out.signatures.len() == 1 && out.signatures[0].valid,
            "{algo}: {:?}",
            out.signatures
        );
        assert_eq!(
            out.signatures[0].signer_fingerprint.as_deref(),
            Some(fpr.as_str())
        );

        // Inline-signed, cleartext-signed, detached.
        let vopts = VerifyOptions {
            certs: std::slice::from_ref(&cert),
            require_signature: true,
            policy: &p,
        };
        let (signed, _) = g.run(&["--sign", "-u", &fpr, "-o", "-", plain], b"");
        assert_eq!(verify(&signed, &vopts).unwrap().data, MSG);
        let (clear, _) = g.run(&["--clearsign", "-u", &fpr, "-o", "-", plain], b"");
        let v = verify(&clear, &vopts).unwrap();
        assert!(v.signatures[0].valid);
        // The cleartext framework strips trailing whitespace; the lines survive.
        assert_eq!(
            String::from_utf8(v.data).unwrap().trim_end(),
            String::from_utf8_lossy(MSG).trim_end()
        );
        let (det, _) = g.run(
            &["--detach-sign", "--armor", "-u", &fpr, "-o", "-", plain],
            b"",
        );
        assert!(verify_detached(MSG, &det, &vopts).unwrap().signatures[0].valid);
        assert!(
            !verify_detached(
                b"other data",
                &det,
                &VerifyOptions {
                    require_signature: false,
                    ..vopts
                }
            )
            .unwrap()
            .signatures[0]
                .valid
        );
    }

    // Password-encrypted by gpg (SEIPDv1 with MDC, AES256).
    let plain = g.file("plain.txt", MSG);
    let (ct, _) = g.run(
        &[
            "--symmetric",
            "--cipher-algo",
            "AES256",
            "-o",
            "-",
            plain.to_str().unwrap(),
        ],
        b"",
    );
    let pws = [pw(PASS)];
    let out = decrypt(
        &ct,
        &DecryptOptions {
            keys: &[],
            key_passphrases: &[],
            passwords: &pws,
            verification_certs: &[],
            require_signature: false,
            policy: &p,
        },
    )
    .unwrap();
    assert_eq!(out.data, MSG);
}

#[test]
fn sealpost_output_is_read_by_gpg() {
    let p = policy();
    let g = Gpg::new();
    let (gpg_key, gpg_fpr) = g.generate("Gnu Reader <reader@example.org>", "ed25519");
    let gpg_cert = keys::public_cert(&gpg_key);
    for kt in [KeyType::Curve25519, KeyType::Rsa3072] {
        let alice = keys::generate(&keys::GenerateOptions {
            user_ids: vec![format!(
                "Sealpost {} <sp-{}@example.org>",
                kt.name(),
                kt.name()
            )],
            key_type: kt,
            passphrase: Some(pw(PASS)),
            ..Default::default()
        })
        .unwrap()
        .cert;
        let afpr = alice.fingerprint().to_hex();
        // gpg imports sealpost's secret key (locked, as stored) and public cert.
        g.run(
            &["--import"],
            &keys::write_cert(&alice, true, true).unwrap(),
        );
        let pass = [pw(PASS)];

        // Encrypted + signed by sealpost to gpg's key and to itself.
        let ct = encrypt(
            MSG,
            &EncryptOptions {
                recipients: &[gpg_cert.clone(), keys::public_cert(&alice)],
                passwords: &[],
                signers: std::slice::from_ref(&alice),
                signer_passphrases: &pass,
                armor: true,
                force_aead: false,
                policy: &p,
            },
        )
        .unwrap();
        let (out, status) = g.run(&["--decrypt"], &ct);
        assert_eq!(out, MSG, "{}", kt.name());
        assert!(
            status.contains("DECRYPTION_OKAY") && status.contains("GOODMDC"),
            "{status}"
        );
        assert!(
            status.contains("VALIDSIG") && status.contains(&afpr),
            "{}: {status}",
            kt.name()
        );

        // Signed: inline, cleartext, detached (binary and text).
        for (mode, text) in [
            (SignMode::Inline, false),
            (SignMode::Cleartext, true),
            (SignMode::Detached, false),
            (SignMode::Detached, true),
        ] {
            let sig = sign(
                MSG,
                &SignOptions {
                    signers: std::slice::from_ref(&alice),
                    passphrases: &pass,
                    mode,
                    text,
                    armor: true,
                    policy: &p,
                },
            )
            .unwrap();
            let status = if mode == SignMode::Detached {
                let s = g.file("sig.asc", &sig);
                let d = g.file("data.txt", MSG);
                g.run(&["--verify", s.to_str().unwrap(), d.to_str().unwrap()], b"")
                    .1
            } else {
                let (out, status) = g.run(&["--decrypt"], &sig);
                assert_eq!(
                    String::from_utf8_lossy(&out).trim_end(),
                    String::from_utf8_lossy(MSG).trim_end()
                );
                status
            };
            assert!(
                status.contains("GOODSIG") && status.contains(&afpr),
                "{mode:?} text={text}: {status}"
            );
        }
    }

    // Password-encrypted by sealpost.
    let pws = [pw("a password for gpg")];
    let ct = encrypt(
        MSG,
        &EncryptOptions {
            recipients: &[],
            passwords: &pws,
            signers: &[],
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            policy: &p,
        },
    )
    .unwrap();
    let (out, status) = g.run_with("a password for gpg", &["--decrypt"], &ct);
    assert_eq!(out, MSG);
    assert!(status.contains("GOODMDC"), "{status}");
    let _ = gpg_fpr;
}
