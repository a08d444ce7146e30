//! A throwaway GnuPG home for interoperability tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sealpost_core::keys;
use sealpost_core::Cert;

/// The passphrase of the keys gpg generates here.
pub const PASS: &str = "gpg test passphrase";

pub struct Gpg {
    home: tempfile::TempDir,
}

impl Gpg {
    pub fn new() -> Gpg {
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

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs gpg; returns (stdout, status-fd output).  Panics with stderr on failure.
    pub fn run(&self, args: &[&str], stdin: &[u8]) -> (Vec<u8>, String) {
        self.run_with(PASS, args, stdin)
    }

    pub fn run_with(&self, passphrase: &str, args: &[&str], stdin: &[u8]) -> (Vec<u8>, String) {
        let (out, status, ok, err) = self.try_run(passphrase, args, stdin);
        assert!(ok, "gpg {args:?} failed:\n{err}\n{status}");
        (out, status)
    }

    pub fn try_run(
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

    pub fn file(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.home().join(name);
        std::fs::write(&p, data).unwrap();
        p
    }

    /// Generates a key in gpg and returns (secret key as sealpost reads it, fingerprint).
    pub fn generate(&self, uid: &str, algo: &str) -> (Cert, String) {
        self.run(&["--quick-gen-key", uid, algo, "sign,cert", "never"], b"");
        let fpr = self.fingerprint(uid);
        let enc_algo = if algo == "ed25519" { "cv25519" } else { algo };
        self.run(&["--quick-add-key", &fpr, enc_algo, "encr", "never"], b"");
        let (sec, _) = self.run(&["--export-secret-keys", "--armor", &fpr], b"");
        (keys::read_cert(&sec).unwrap(), fpr)
    }

    pub fn fingerprint(&self, uid: &str) -> String {
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
