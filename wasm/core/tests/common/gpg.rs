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

    /// The "offline primary key" setup: a sign+certify primary with a
    /// signing and an encryption subkey, exported with
    /// `gpg --export-secret-subkeys` (binary), so the primary's secret is a
    /// GNU-dummy stub (S2K 101, mode 1001).  `passphrase` "" leaves the
    /// subkeys unprotected.  Returns (export, primary fingerprint).
    pub fn offline_primary(&self, uid: &str, passphrase: &str) -> (Vec<u8>, String) {
        self.run_with(
            passphrase,
            &["--quick-gen-key", uid, "ed25519", "sign,cert", "never"],
            b"",
        );
        let fpr = self.fingerprint(uid);
        for (algo, usage) in [("ed25519", "sign"), ("cv25519", "encr")] {
            self.run_with(
                passphrase,
                &["--quick-add-key", &fpr, algo, usage, "never"],
                b"",
            );
        }
        let (sec, _) = self.run_with(passphrase, &["--export-secret-subkeys", &fpr], b"");
        (sec, fpr)
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

/// Rewrites the GNU-dummy stub of the first packet of a binary
/// `gpg --export-secret-subkeys` export (S2K 101, "GNU", mode 1001) into the
/// divert-to-card kind (mode 1002 followed by a card serial number), which
/// gpg writes only for keys on a smartcard.  gpg cannot make one without a
/// card, so the tests craft it this way.  Expects gpg's old-format header
/// with a one-octet length (a small ed25519 primary key).
pub fn divert_to_card(export: &[u8]) -> Vec<u8> {
    assert_eq!(
        export[0], 0x94,
        "old-format secret key packet, 1-octet length"
    );
    let len = export[1] as usize;
    let body = &export[2..2 + len];
    let at = body
        .windows(4)
        .position(|w| w == b"GNU\x01")
        .expect("a GNU-dummy S2K");
    let serial: [u8; 16] = *b"\xd2\x76\x00\x01\x24\x01\x03\x04\x00\x05\x12\x34\x56\x78\x00\x00";
    let mut new_body = body[..at].to_vec();
    new_body.extend_from_slice(b"GNU\x02");
    new_body.push(serial.len() as u8);
    new_body.extend_from_slice(&serial);
    new_body.extend_from_slice(&body[at + 4..]);
    assert!(new_body.len() < 256);
    let mut out = vec![0x94, new_body.len() as u8];
    out.extend_from_slice(&new_body);
    out.extend_from_slice(&export[2 + len..]);
    out
}
