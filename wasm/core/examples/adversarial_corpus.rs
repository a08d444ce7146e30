//! Writes the adversarial corpus (`tests/adversarial/`): one crafted input
//! per known attack, the keys it needs, and `cases.json` with the outcome
//! each must have.  The same files are run natively
//! (`wasm/core/tests/corpus.rs`) and through the wasm build in Node
//! (`tests/node/adversarial.test.mjs`), so both builds answer the same
//! bytes.  The corpus is committed; regenerate it with
//!   cargo run -p sealpost-core --example adversarial_corpus -- tests/adversarial
//! (new keys and new bytes each time; the outcomes must not change).

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
#[path = "../tests/common/craft.rs"]
#[allow(dead_code)] // shared with the tests; not every piece is used here
mod craft;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use craft::{compressed, encrypt_to, key, packet_bytes, signed, signing_pair, with_ecdh_point};
use sealpost_core::keys::{self, GenerateOptions, KeyType};
use sealpost_core::sign::SignMode;
use sealpost_core::{Cert, Policy};
use sequoia_openpgp as openpgp;

use openpgp::crypto::{Password, SessionKey};
use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::skesk::SKESK4;
use openpgp::packet::{Literal, SKESK};
use openpgp::parse::Parse;
use openpgp::serialize::Serialize;
use openpgp::types::{DataFormat, HashAlgorithm, SignatureType, SymmetricAlgorithm};
use openpgp::{Packet, PacketPile};

/// Every plaintext carries this; it must never appear in an error or in
/// data returned from a case that must fail.
const SECRET: &str = "SECRET-7c1f: the plaintext nobody may see";

struct Corpus {
    dir: PathBuf,
    cases: Vec<serde_json::Value>,
    p: Policy,
}

impl Corpus {
    fn file(&self, name: &str, bytes: &[u8]) -> String {
        std::fs::write(self.dir.join(name), bytes).unwrap();
        name.to_owned()
    }

    fn key(&self, name: &str, cert: &Cert) -> String {
        self.file(
            &format!("{name}.key"),
            &keys::write_cert(cert, true, true).unwrap(),
        )
    }

    fn case(&mut self, case: serde_json::Value) {
        self.cases.push(case);
    }
}

fn flip(mut b: Vec<u8>, at: usize) -> Vec<u8> {
    b[at] ^= 0x40;
    b
}

/// A SEIPDv1 container whose plaintext has no MDC packet, with the session
/// key behind a password (SKESK).  Built by hand: sequoia's writer always
/// adds the MDC.
fn seipdv1_without_mdc(password: &str, body: &[u8]) -> Vec<u8> {
    use openpgp::crypto::symmetric::{BlockCipherMode, Encryptor as Cfb, PaddingMode};
    let algo = SymmetricAlgorithm::AES256;
    let sk = SessionKey::new(32).unwrap();
    let skesk = SKESK4::with_password(
        algo,
        algo,
        Default::default(),
        &sk,
        &Password::from(password),
    )
    .unwrap();
    let mut lit = Literal::new(DataFormat::Binary);
    lit.set_body(body.to_vec());
    let mut plain = vec![0x42u8; 16];
    plain.extend_from_slice(&[0x42, 0x42]); // the quick check repeats the prefix's last two bytes
    plain.extend_from_slice(&packet_bytes(lit));
    let mut ct = Vec::new();
    let mut w = Cfb::new(
        algo,
        BlockCipherMode::CFB,
        PaddingMode::None,
        &sk,
        None,
        &mut ct,
    )
    .unwrap();
    std::io::Write::write_all(&mut w, &plain).unwrap();
    w.finalize().unwrap();
    let mut out = packet_bytes(SKESK::from(skesk));
    // Tag 18 (SEIPD), new format, one-octet or two-octet length.
    let body_len = ct.len() + 1;
    out.push(0xc0 | 18);
    if body_len < 192 {
        out.push(body_len as u8);
    } else {
        let l = body_len - 192;
        out.push((l >> 8) as u8 + 192);
        out.push((l & 0xff) as u8);
    }
    out.push(1);
    out.extend_from_slice(&ct);
    out
}

/// A key whose encryption subkey's secret gpg exported as a GNU-dummy stub.
fn gnu_dummy_stub() -> Cert {
    let home = tempfile::tempdir().unwrap();
    let gpg = |args: &[&str]| {
        let out = std::process::Command::new("gpg")
            .arg("--homedir")
            .arg(home.path())
            .args([
                "--batch",
                "--yes",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    gpg(&[
        "--quick-gen-key",
        "Stub <stub@example.org>",
        "ed25519",
        "sign,cert",
        "never",
    ]);
    let fprs = |listing: String| -> Vec<String> {
        listing
            .lines()
            .filter(|l| l.starts_with("fpr:"))
            .map(|l| l.split(':').nth(9).unwrap().to_owned())
            .collect()
    };
    let primary = fprs(gpg(&["--with-colons", "--list-secret-keys"]))[0].clone();
    gpg(&["--quick-add-key", &primary, "cv25519", "encr", "never"]);
    let subkey = fprs(gpg(&["--with-colons", "--list-secret-keys"]))[1].clone();
    gpg(&["--delete-secret-keys", &format!("{subkey}!")]);
    keys::read_cert(gpg(&["--armor", "--export-secret-keys", &primary]).as_bytes()).unwrap()
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "tests/adversarial".into()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.file_name().is_some_and(|n| n != "README.md") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let mut c = Corpus {
        dir: dir.clone(),
        cases: Vec::new(),
        p: Policy::new(),
    };
    let secret = SECRET.as_bytes();

    let bob = key("Bob", KeyType::Curve25519, None);
    let bob6 = key("Bob6", KeyType::Curve25519, Some(6));
    let alice = key("Alice", KeyType::Curve25519, None);
    let bob_key = c.key("bob", &bob);
    let bob6_key = c.key("bob6", &bob6);
    let alice_key = c.key("alice", &alice);

    // --- encryption without (intact) integrity protection
    let sed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fail_sed_no_mdc.pgp"),
    )
    .unwrap();
    let sed_key = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fail_sed_no_mdc.key"),
    )
    .unwrap();
    c.case(serde_json::json!({"name": "sed-no-integrity", "attack": "symmetrically encrypted data without integrity protection (SED)",
        "op": "decrypt", "message": c.file("sed.pgp", &sed), "keys": [c.file("sed.key", &sed_key)], "expect": {"error": "POLICY_REJECTED"}}));
    c.case(serde_json::json!({"name": "seipdv1-missing-mdc", "attack": "SEIPDv1 whose plaintext has no MDC packet",
        "op": "decrypt", "message": c.file("seipdv1-missing-mdc.pgp", &seipdv1_without_mdc("pw", secret)), "passwords": ["pw"],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    let v1 = encrypt_to(secret, &[keys::public_cert(&bob)], false, &c.p);
    let v1_len = v1.len();
    c.case(serde_json::json!({"name": "seipdv1-bad-mdc", "attack": "SEIPDv1 with its MDC damaged (last byte flipped)",
        "op": "decrypt", "message": c.file("seipdv1-bad-mdc.pgp", &flip(v1.clone(), v1_len - 1)), "keys": [bob_key],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    c.case(serde_json::json!({"name": "seipdv1-bit-flip", "attack": "one bit flipped in the middle of SEIPDv1 ciphertext",
        "op": "decrypt", "message": c.file("seipdv1-bit-flip.pgp", &flip(v1.clone(), v1_len - 30)), "keys": [bob_key],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    c.case(serde_json::json!({"name": "seipdv1-truncated", "attack": "SEIPDv1 message cut short by 10 bytes",
        "op": "decrypt", "message": c.file("seipdv1-truncated.pgp", &v1[..v1_len - 10]), "keys": [bob_key],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    let v2 = encrypt_to(secret, &[keys::public_cert(&bob6)], false, &c.p);
    let v2_len = v2.len();
    c.case(serde_json::json!({"name": "seipdv2-bit-flip", "attack": "one bit flipped in SEIPDv2 (AEAD) ciphertext",
        "op": "decrypt", "message": c.file("seipdv2-bit-flip.pgp", &flip(v2.clone(), v2_len - 40)), "keys": [bob6_key],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    c.case(serde_json::json!({"name": "seipdv2-truncated", "attack": "SEIPDv2 with its final authentication tag cut off",
        "op": "decrypt", "message": c.file("seipdv2-truncated.pgp", &v2[..v2_len - 16]), "keys": [bob6_key],
        "expect": {"error": "DECRYPTION_FAILED"}}));

    // --- armor checksum (RFC 9580 §6.1: ignore it)
    let armored =
        String::from_utf8(encrypt_to(secret, &[keys::public_cert(&bob)], true, &c.p)).unwrap();
    let damaged_crc = match armored.lines().find(|l| l.starts_with('=') && l.len() == 5) {
        Some(line) => armored.replace(line, "=AAAA"),
        None => armored.replace("\n-----END", "\n=AAAA\n-----END"),
    };
    c.case(serde_json::json!({"name": "armor-crc-damaged", "attack": "armored message with a wrong CRC24 line",
        "op": "decrypt", "message": c.file("armor-crc-damaged.asc", damaged_crc.as_bytes()), "keys": [bob_key],
        "expect": {"data": SECRET}}));

    // --- signatures
    let mut msg = signed(b"the signed text", &alice, SignMode::Inline, &c.p);
    let mut lit = Literal::new(DataFormat::Binary);
    lit.set_body(secret.to_vec());
    Packet::from(lit).serialize(&mut msg).unwrap();
    c.case(serde_json::json!({"name": "cve-2025-47934-extra-literal", "attack": "an unsigned literal packet appended after a signed message",
        "op": "verify", "message": c.file("extra-literal.pgp", &msg), "verification": [alice_key],
        "expect": {"error": "MALFORMED_INPUT"}}));
    let clear =
        String::from_utf8(signed(b"pay Bob 10\n", &alice, SignMode::Cleartext, &c.p)).unwrap();
    let forged = clear.replacen(
        "-----BEGIN PGP SIGNED MESSAGE-----\n",
        &format!("-----BEGIN PGP SIGNED MESSAGE-----\n{SECRET}\n"),
        1,
    );
    c.case(serde_json::json!({"name": "cve-2023-41037-text-before-hash", "attack": "text slipped in before a cleartext message's Hash: header",
        "op": "verify", "message": c.file("text-before-hash.asc", forged.as_bytes()), "verification": [alice_key],
        "expect": {"valid": true, "data": "pay Bob 10\n"}}));
    let mut pair = signing_pair(&alice, &c.p);
    let standalone = SignatureBuilder::new(SignatureType::Standalone)
        .sign_standalone(&mut pair)
        .unwrap();
    c.case(serde_json::json!({"name": "cve-2019-9153-standalone-signature", "attack": "a standalone signature offered as a signature over data",
        "op": "verifyDetached", "data": c.file("any.data", b"any data at all"), "signature": c.file("standalone.sig", &packet_bytes(standalone)),
        "verification": [alice_key], "expect": {"valid": false}}));
    let sha1 = SignatureBuilder::new(SignatureType::Binary)
        .set_hash_algo(HashAlgorithm::SHA1)
        .sign_message(&mut pair, b"data")
        .unwrap();
    c.case(serde_json::json!({"name": "sha1-data-signature", "attack": "a data signature over SHA-1",
        "op": "verifyDetached", "data": c.file("data.data", b"data"), "signature": c.file("sha1.sig", &packet_bytes(sha1)),
        "verification": [alice_key], "expect": {"valid": false}}));
    let good = signed(b"data", &alice, SignMode::Detached, &c.p);
    let created = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let Packet::Signature(mut forged_sig) = Packet::from_bytes(&good).unwrap() else {
        panic!()
    };
    forged_sig
        .unhashed_area_mut()
        .add(
            Subpacket::new(
                SubpacketValue::SignatureCreationTime(created.try_into().unwrap()),
                false,
            )
            .unwrap(),
        )
        .unwrap();
    forged_sig
        .unhashed_area_mut()
        .add(
            Subpacket::new(
                SubpacketValue::SignatureExpirationTime(Duration::from_secs(1).try_into().unwrap()),
                false,
            )
            .unwrap(),
        )
        .unwrap();
    let real_created = forged_sig
        .signature_creation_time()
        .unwrap()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    c.case(serde_json::json!({"name": "cve-2019-9154-unhashed-subpackets", "attack": "an unhashed creation time and a one-second expiry added to a good signature",
        "op": "verifyDetached", "data": "data.data", "signature": c.file("unhashed.sig", &packet_bytes(forged_sig)),
        "verification": [alice_key], "expect": {"valid": true, "created": real_created}}));
    let revoked = keys::revoke(
        &alice,
        keys::RevocationReason::Compromised,
        "lost",
        &[],
        &c.p,
    )
    .unwrap();
    c.case(serde_json::json!({"name": "revoked-signer", "attack": "a signature by a key revoked as compromised",
        "op": "verifyDetached", "data": "data.data", "signature": c.file("good.sig", &good),
        "verification": [c.key("alice-revoked", &keys::public_cert(&revoked))], "expect": {"valid": false}}));
    let expiring = keys::generate(&GenerateOptions {
        user_ids: vec!["Exp <exp@example.org>".into()],
        expires_in: Some(Duration::from_secs(3600)),
        ..Default::default()
    })
    .unwrap()
    .cert;
    let mut epair = signing_pair(&expiring, &c.p);
    let late = SignatureBuilder::new(SignatureType::Binary)
        .set_signature_creation_time(SystemTime::now() + Duration::from_secs(7200))
        .unwrap()
        .sign_message(&mut epair, b"data")
        .unwrap();
    c.case(serde_json::json!({"name": "expired-signer", "attack": "a signature made after the signing key expired",
        "op": "verifyDetached", "data": "data.data", "signature": c.file("expired.sig", &packet_bytes(late)),
        "verification": [c.key("expired", &keys::public_cert(&expiring))], "expect": {"valid": false}}));

    // --- key material attacks
    let p256 = key("P256", KeyType::P256, None);
    let ct = encrypt_to(secret, &[keys::public_cert(&p256)], false, &c.p);
    let out = with_ecdh_point(&ct, |point| {
        let last = point.len() - 1;
        point[last] ^= 1;
    });
    c.case(serde_json::json!({"name": "cve-2019-9155-ecdh-point-off-curve", "attack": "an ECDH ephemeral point that is not on P-256",
        "op": "decrypt", "message": c.file("ecdh-off-curve.pgp", &out), "keys": [c.key("p256", &p256)],
        "expect": {"error": "DECRYPTION_FAILED"}}));
    let stub = gnu_dummy_stub();
    let stub_ct = encrypt_to(secret, &[keys::public_cert(&stub)], false, &c.p);
    c.case(serde_json::json!({"name": "cve-2015-8013-gnu-dummy-stub", "attack": "a GNU-dummy stub (gpg's placeholder for a secret it does not hold) offered to decrypt",
        "op": "decrypt", "message": c.file("stub.pgp", &stub_ct), "keys": [c.key("stub", &stub)],
        "expect": {"error": "UNSUPPORTED"}}));

    // --- resources
    c.case(serde_json::json!({"name": "compression-64-deep", "attack": "compressed packets nested 64 deep",
        "op": "verify", "message": c.file("nested-64.pgp", &compressed(64, 16, None, None)), "verification": [],
        "expect": {"error": "MALFORMED_INPUT"}}));
    c.case(serde_json::json!({"name": "decompression-bomb", "attack": "64 MiB of zeros compressed and encrypted into a few KiB",
        "op": "decrypt", "message": c.file("bomb.pgp", &compressed(1, 64 << 20, Some("pw"), None)), "passwords": ["pw"],
        "expect": {"error": "DECOMPRESSION_BOMB"}}));
    let one = encrypt_to(secret, &[keys::public_cert(&bob)], false, &c.p);
    let pkesk = PacketPile::from_bytes(&one)
        .unwrap()
        .into_children()
        .next()
        .unwrap();
    let mut crowded = Vec::new();
    for _ in 0..299 {
        pkesk.serialize(&mut crowded).unwrap();
    }
    crowded.extend_from_slice(&one);
    c.case(serde_json::json!({"name": "too-many-recipients", "attack": "300 encrypted session keys in one message (work amplification)",
        "op": "decrypt", "message": c.file("300-pkesks.pgp", &crowded), "keys": [bob_key],
        "expect": {"error": "LIMIT_EXCEEDED"}}));
    c.case(serde_json::json!({"name": "too-many-signatures", "attack": "65 signatures in one detached signature block",
        "op": "verifyDetached", "data": "data.data", "signature": c.file("65.sig", &good.repeat(65)),
        "verification": [alice_key], "expect": {"error": "LIMIT_EXCEEDED"}}));

    let doc = serde_json::json!({"secret": SECRET, "cases": c.cases});
    std::fs::write(
        dir.join("cases.json"),
        serde_json::to_string_pretty(&doc).unwrap() + "\n",
    )
    .unwrap();
    println!("{} cases in {}", c.cases.len(), dir.display());
}
