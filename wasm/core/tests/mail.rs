//! The mail layer: PGP/MIME round trips, header protection, the binding of
//! signatures to the From address, Autocrypt, and interoperability with
//! GnuPG and Python's `email` package in both directions.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::gpg::Gpg;
use common::*;

use std::path::Path;
use std::process::{Command, Stdio};

use openpgp::parse::Parse;
use sealpost_core::keys::{self, KeyType};
use sealpost_core::mail::{
    self, autocrypt, Attachment, MailKind, OutgoingMail, ReadOptions, SendOptions, SignatureState,
};
use sealpost_core::{Cert, ErrorCode, Policy};
use sequoia_openpgp as openpgp;

const SUBJECT: &str = "Quarterly figures — vertraulich, Grüße";
const TEXT: &str = "Hi Bob,\n\nthe numbers are attached.\nFrom here on, = signs and trailing spaces   \n.and a leading dot\n\nAlice\n";

fn blob() -> Vec<u8> {
    (0..5000u32).map(|i| (i * 7 + i / 256) as u8).collect()
}

fn mail() -> OutgoingMail {
    OutgoingMail {
        from: "Alice <alice@example.org>".into(),
        to: vec!["Bob <bob@example.org>".into()],
        cc: vec![],
        subject: SUBJECT.into(),
        text: Some(TEXT.into()),
        html: Some("<p>Hi <b>Bob</b></p>".into()),
        attachments: vec![
            Attachment {
                filename: "figures.bin".into(),
                content_type: "application/octet-stream".into(),
                data: blob(),
            },
            Attachment {
                filename: "Übersicht \"Q3\".txt".into(),
                content_type: "text/plain".into(),
                data: b"line one\r\nline two\n".to_vec(),
            },
        ],
        date: Some(1_795_892_005),
        message_id: Some("<test-1@example.org>".into()),
        ..Default::default()
    }
}

fn send<'a>(recipients: &'a [Cert], signers: &'a [Cert], p: &'a Policy) -> SendOptions<'a> {
    SendOptions {
        recipients,
        signers,
        signer_passphrases: &[],
        autocrypt: false,
        prefer_encrypt_mutual: false,
        policy: p,
    }
}

fn read<'a>(keys: &'a [Cert], certs: &'a [Cert], p: &'a Policy) -> ReadOptions<'a> {
    ReadOptions {
        keys,
        key_passphrases: &[],
        verification_certs: certs,
        policy: p,
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

struct People {
    alice: Cert,
    bob: Cert,
    alice_pub: Cert,
    bob_pub: Cert,
}

fn people() -> People {
    let alice = key("Alice", KeyType::Curve25519, None);
    let bob = key("Bob", KeyType::Curve25519, None);
    People {
        alice_pub: keys::public_cert(&alice),
        bob_pub: keys::public_cert(&bob),
        alice,
        bob,
    }
}

#[test]
fn encrypted_mail_round_trip_protects_headers_and_keeps_attachments_exact() {
    let p = policy();
    let x = people();
    let m = mail();
    let out = mail::encrypt_mail(
        &m,
        &send(
            &[x.bob_pub.clone(), x.alice_pub.clone()],
            std::slice::from_ref(&x.alice),
            &p,
        ),
    )
    .unwrap();
    // What the server stores: no subject, no body, no attachment.
    assert!(contains(&out, b"Subject: [...]\r\n"));
    assert!(contains(&out, b"multipart/encrypted"));
    for secret in [
        SUBJECT.as_bytes(),
        b"numbers are attached",
        &blob()[..64],
        b"figures.bin",
    ] {
        assert!(!contains(&out, secret));
    }
    let r = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&x.bob),
            std::slice::from_ref(&x.alice_pub),
            &p,
        ),
    )
    .unwrap();
    assert_eq!(r.kind, MailKind::PgpMimeEncrypted);
    assert!(r.encrypted && r.protected_headers);
    assert_eq!(r.subject.as_deref(), Some(SUBJECT));
    assert_eq!(r.from.as_ref().unwrap().address, "alice@example.org");
    assert_eq!(r.to[0].name, "Bob");
    assert_eq!(r.message_id.as_deref(), Some("<test-1@example.org>"));
    assert_eq!(r.date.as_deref(), Some("Sat, 28 Nov 2026 18:53:25 +0000"));
    assert_eq!(r.text.as_deref(), Some(TEXT));
    assert_eq!(r.html.as_deref(), Some("<p>Hi <b>Bob</b></p>"));
    assert_eq!(r.attachments.len(), 2);
    assert_eq!(r.attachments[0].data, blob());
    assert_eq!(r.attachments[1].filename, "Übersicht \"Q3\".txt");
    assert_eq!(r.attachments[1].data, b"line one\r\nline two\n");
    assert_eq!(r.signature_state, SignatureState::Verified);
    assert!(r.signatures[0].matches_from);
    assert!(r
        .outer_headers
        .iter()
        .any(|h| h.name == "Subject" && h.value == "[...]"));
    // Alice reads her Sent copy with her own key.
    let r = mail::read_mail(&out, &read(std::slice::from_ref(&x.alice), &[], &p)).unwrap();
    assert_eq!(r.subject.as_deref(), Some(SUBJECT));
    assert_eq!(
        r.signature_state,
        SignatureState::Invalid,
        "signer not in the address book"
    );
    // Mallory has no key for it.
    let mallory = key("Mallory", KeyType::Curve25519, None);
    let e = mail::read_mail(&out, &read(&[mallory], &[], &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoMatchingKey);
}

#[test]
fn signature_is_bound_to_the_from_address() {
    let p = policy();
    let x = people();
    let mallory = key("Mallory", KeyType::Curve25519, None);
    let mallory_pub = keys::public_cert(&mallory);
    // Mallory signs a mail that claims to be from Alice.
    let out = mail::encrypt_mail(
        &mail(),
        &send(std::slice::from_ref(&x.bob_pub), &[mallory], &p),
    )
    .unwrap();
    let r = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&x.bob),
            &[x.alice_pub.clone(), mallory_pub.clone()],
            &p,
        ),
    )
    .unwrap();
    assert_eq!(r.signature_state, SignatureState::SignerMismatch);
    assert!(r.signatures[0].result.valid && !r.signatures[0].matches_from);
    assert_eq!(
        r.signatures[0].signer_addresses,
        vec!["mallory@example.org"]
    );
    // Unsigned mail is unsigned, not an error.
    let out =
        mail::encrypt_mail(&mail(), &send(std::slice::from_ref(&x.bob_pub), &[], &p)).unwrap();
    let r = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&x.bob),
            std::slice::from_ref(&x.alice_pub),
            &p,
        ),
    )
    .unwrap();
    assert_eq!(r.signature_state, SignatureState::Unsigned);
}

#[test]
fn signed_mail_verifies_and_detects_tampering_and_wrapping() {
    let p = policy();
    let x = people();
    let mut m = mail();
    m.html = None;
    let out = mail::sign_mail(&m, &send(&[], std::slice::from_ref(&x.alice), &p)).unwrap();
    assert!(contains(&out, b"multipart/signed"));
    assert!(contains(&out, b"micalg=\"pgp-sha"));
    let certs = [x.alice_pub.clone()];
    let r = mail::read_mail(&out, &read(&[], &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::PgpMimeSigned);
    assert!(!r.encrypted && r.protected_headers);
    assert_eq!(r.signature_state, SignatureState::Verified);
    assert_eq!(r.text.as_deref(), Some(TEXT));
    assert_eq!(r.attachments[0].data, blob());

    // One changed character in the signed text.
    let i = out.windows(7).position(|w| w == b"numbers").unwrap();
    let mut bad = out.clone();
    bad[i] = b'N';
    let r = mail::read_mail(&bad, &read(&[], &certs, &p)).unwrap();
    assert_eq!(r.signature_state, SignatureState::Invalid);

    // The signed message wrapped inside a multipart/mixed with an added
    // part: nothing of it may be shown as signed.
    let mut wrapped = b"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: wrapped\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"w\"\r\n\r\n--w\r\nContent-Type: text/plain\r\n\r\nPlease wire the money.\r\n--w\r\nContent-Type: message/rfc822\r\n\r\n".to_vec();
    wrapped.extend_from_slice(&out);
    wrapped.extend_from_slice(b"\r\n--w--\r\n");
    let r = mail::read_mail(&wrapped, &read(&[], &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::Plain);
    assert_eq!(r.signature_state, SignatureState::Unsigned);
    assert!(r.signatures.is_empty());
}

#[test]
fn bad_input_gets_clear_errors() {
    let p = policy();
    let x = people();
    let opts = send(std::slice::from_ref(&x.bob_pub), &[], &p);
    let mut m = mail();
    m.subject = "hi\r\nBcc: eve@example.org".into();
    assert_eq!(
        mail::encrypt_mail(&m, &opts).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    let mut m = mail();
    m.to = vec!["not an address".into()];
    assert_eq!(
        mail::encrypt_mail(&m, &opts).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    let mut m = mail();
    m.attachments[0].filename = "x\n.txt".into();
    assert_eq!(
        mail::encrypt_mail(&m, &opts).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );

    let r = |b: &[u8]| mail::read_mail(b, &read(std::slice::from_ref(&x.bob), &[], &p));
    let cases: &[(&[u8], ErrorCode)] = &[
        (b"Content-Type: multipart/mixed\r\n\r\nno boundary", ErrorCode::MalformedInput),
        (b"Content-Type: multipart/mixed; boundary=b\r\n\r\nno delimiter", ErrorCode::MalformedInput),
        (b"not a header line\r\n\r\nbody", ErrorCode::MalformedInput),
        (b"Content-Type: multipart/encrypted; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n", ErrorCode::MalformedInput),
        (b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n!!!!", ErrorCode::MalformedInput),
    ];
    for (input, code) in cases {
        assert_eq!(
            r(input).unwrap_err().code(),
            *code,
            "{}",
            String::from_utf8_lossy(input)
        );
    }
    // Deep nesting is a limit, not a stack overflow.
    let mut deep = Vec::new();
    for i in 0..100 {
        deep.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    assert_eq!(r(&deep).unwrap_err().code(), ErrorCode::LimitExceeded);
    // A plain message is read as plain.
    let plain =
        r(b"From: a@example.org\r\nSubject: =?utf-8?q?hall=C3=B6?=\r\n\r\nhello\r\n").unwrap();
    assert_eq!(plain.kind, MailKind::Plain);
    assert_eq!(plain.subject.as_deref(), Some("hallö"));
    assert_eq!(plain.text.as_deref(), Some("hello\n"));
}

#[test]
fn autocrypt_headers_round_trip_and_gossip() {
    let p = policy();
    let x = people();
    let carol = key("Carol", KeyType::Curve25519, Some(6));
    let carol_pub = keys::public_cert(&carol);
    let mut m = mail();
    m.cc = vec!["carol@example.org".into()];
    let mut opts = send(&[], std::slice::from_ref(&x.alice), &p);
    let recipients = [x.bob_pub.clone(), carol_pub.clone()];
    opts.recipients = &recipients;
    opts.autocrypt = true;
    opts.prefer_encrypt_mutual = true;
    let out = mail::encrypt_mail(&m, &opts).unwrap();
    assert!(contains(
        &out,
        b"\r\nAutocrypt: addr=alice@example.org; prefer-encrypt=mutual; keydata=\r\n "
    ));
    let r = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&carol),
            std::slice::from_ref(&x.alice_pub),
            &p,
        ),
    )
    .unwrap();
    let ac = r.autocrypt.unwrap();
    assert_eq!(ac.addr, "alice@example.org");
    assert_eq!(ac.prefer_encrypt, "mutual");
    assert_eq!(ac.fingerprint, x.alice.fingerprint().to_hex());
    assert!(ac.user_id_matches);
    // Minimal: one user ID, the encryption subkey and (sealpost's primary
    // key only certifies) the signing subkey, no secrets.
    assert_eq!(ac.cert.userids().count(), 1);
    assert_eq!(ac.cert.keys().subkeys().count(), 2);
    assert!(!ac.cert.is_tsk());
    let vc = ac
        .cert
        .with_policy(p.standard(), p.time())
        .expect("the header's key is valid");
    assert_eq!(vc.keys().subkeys().for_transport_encryption().count(), 1);
    assert_eq!(vc.keys().subkeys().for_signing().count(), 1);
    // The header's key alone checks the mail's signature.
    let again = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&carol),
            std::slice::from_ref(&ac.cert),
            &p,
        ),
    )
    .unwrap();
    assert_eq!(again.signature_state, SignatureState::Verified);
    let gossip: Vec<_> = r.gossip.iter().map(|g| g.addr.as_str()).collect();
    assert_eq!(gossip, ["bob@example.org", "carol@example.org"]);
    assert_eq!(r.gossip[1].fingerprint, carol_pub.fingerprint().to_hex());

    // The spec's own example header (Autocrypt Level 1, appendix "Example
    // Autocrypt headers"): an RSA 3072 key whose user ID is not the address.
    let example = fixture("autocrypt_level1_example.eml");
    let r = mail::read_mail(&example, &read(&[], &[], &p)).unwrap();
    let ac = r.autocrypt.unwrap();
    assert_eq!(ac.addr, "alice@autocrypt.example");
    assert_eq!(ac.prefer_encrypt, "nopreference");
    assert_eq!(ac.fingerprint, "E60468CE44D77C3FCE9FD07271DBC5657FDE65A7");
    assert!(!ac.user_id_matches);

    // The spec's rules on which header counts.
    let value = autocrypt::header_value("alice@example.org", &x.alice, false, &p).unwrap();
    let unfolded = value.replace("\r\n", "");
    assert!(autocrypt::parse(&unfolded, &p).is_ok());
    assert!(autocrypt::parse(&format!("_ignored=1; {unfolded}"), &p).is_ok());
    assert_eq!(
        autocrypt::parse(&format!("critical=1; {unfolded}"), &p)
            .unwrap_err()
            .code(),
        ErrorCode::MalformedInput
    );
    assert!(autocrypt::from_headers(&[&unfolded], "ALICE@example.org", &p).is_some());
    assert!(autocrypt::from_headers(&[&unfolded, &unfolded], "alice@example.org", &p).is_none());
    assert!(autocrypt::from_headers(&[&unfolded], "bob@example.org", &p).is_none());
}

// ---------------------------------------------------------------------------
// GnuPG and Python's email package

fn tool() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/mail/mime_tool.py")
        .to_string_lossy()
        .into_owned()
}

fn python(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .arg(tool())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 must be installed (make test installs it)");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn describe(message: &[u8]) -> serde_json::Value {
    serde_json::from_slice(&python(&["describe"], message)).unwrap()
}

fn sha256_hex(data: &[u8]) -> String {
    let mut ctx = sequoia_openpgp::types::HashAlgorithm::SHA256
        .context()
        .unwrap()
        .for_digest();
    ctx.update(data);
    ctx.into_digest()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn gpg_with(x: &People) -> Gpg {
    let g = Gpg::new();
    for k in [&x.alice, &x.bob] {
        g.run(&["--import"], &keys::write_cert(k, true, true).unwrap());
    }
    g
}

#[test]
fn sealpost_mail_reads_in_gpg_and_python() {
    let p = policy();
    let x = people();
    let g = gpg_with(&x);
    let out = mail::encrypt_mail(
        &mail(),
        &send(
            std::slice::from_ref(&x.bob_pub),
            std::slice::from_ref(&x.alice),
            &p,
        ),
    )
    .unwrap();

    let outer = describe(&out);
    assert_eq!(outer["contentType"], "multipart/encrypted");
    assert_eq!(outer["params"]["protocol"], "application/pgp-encrypted");
    assert_eq!(outer["headers"]["Subject"], "[...]");
    assert_eq!(
        outer["parts"][0]["contentType"],
        "application/pgp-encrypted"
    );
    assert_eq!(outer["parts"][1]["contentType"], "application/octet-stream");

    let armored = python(&["encrypted-payload"], &out);
    let (inner, status) = g.run(&["--decrypt"], &armored);
    assert!(
        status.contains("GOODSIG") && status.contains("DECRYPTION_OKAY"),
        "{status}"
    );
    let inner = describe(&inner);
    assert_eq!(inner["contentType"], "multipart/mixed");
    assert_eq!(inner["params"]["hp"], "cipher");
    assert_eq!(inner["headers"]["Subject"], SUBJECT);
    assert_eq!(inner["headers"]["From"], "Alice <alice@example.org>");
    let hp_outer: Vec<String> = inner["headerList"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0] == "HP-Outer")
        .map(|h| h[1].as_str().unwrap().to_owned())
        .collect();
    assert!(
        hp_outer.contains(&"Subject: [...]".to_owned()),
        "{hp_outer:?}"
    );
    let alt = &inner["parts"][0];
    assert_eq!(alt["contentType"], "multipart/alternative");
    assert_eq!(
        alt["parts"][0]["text"]
            .as_str()
            .unwrap()
            .replace("\r\n", "\n"),
        TEXT
    );
    assert_eq!(inner["parts"][1]["filename"], "figures.bin");
    assert_eq!(inner["parts"][1]["sha256"], sha256_hex(&blob()));
    assert_eq!(inner["parts"][2]["filename"], "Übersicht \"Q3\".txt");

    // multipart/signed: gpg verifies the first part's exact bytes.
    let signed = mail::sign_mail(&mail(), &send(&[], std::slice::from_ref(&x.alice), &p)).unwrap();
    let d = describe(&signed);
    assert_eq!(d["contentType"], "multipart/signed");
    assert_eq!(d["params"]["protocol"], "application/pgp-signature");
    let part = g.file("part", &python(&["signed-part"], &signed));
    let sig = g.file("sig.asc", &python(&["signature"], &signed));
    let (_, status) = g.run(
        &["--verify", sig.to_str().unwrap(), part.to_str().unwrap()],
        b"",
    );
    assert!(status.contains("GOODSIG"), "{status}");
}

#[test]
fn gpg_and_python_mail_reads_in_sealpost() {
    let p = policy();
    let x = people();
    let g = gpg_with(&x);
    let alice_fpr = x.alice.fingerprint().to_hex();
    let bob_fpr = x.bob.fingerprint().to_hex();
    let text = g.file("text.txt", "Grüße aus Python\nzweite Zeile\n".as_bytes());
    let data = g.file("data.bin", &blob());
    let inner = python(
        &["inner", text.to_str().unwrap(), data.to_str().unwrap()],
        b"",
    );

    // PGP/MIME encrypted + signed by gpg, structured by Python.
    let (asc, _) = g.run(
        &[
            "--encrypt",
            "--sign",
            "--armor",
            "-u",
            &alice_fpr,
            "-r",
            &bob_fpr,
        ],
        &inner,
    );
    let asc = g.file("msg.asc", &asc);
    let message = python(
        &[
            "encrypted",
            "Alice <alice@example.org>",
            "bob@example.org",
            "from python",
            asc.to_str().unwrap(),
        ],
        b"",
    );
    let certs = [x.alice_pub.clone()];
    let keys_ = [x.bob.clone()];
    let r = mail::read_mail(&message, &read(&keys_, &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::PgpMimeEncrypted);
    assert!(!r.protected_headers);
    assert_eq!(r.subject.as_deref(), Some("from python"));
    assert_eq!(r.text.as_deref(), Some("Grüße aus Python\nzweite Zeile\n"));
    assert_eq!(r.attachments[0].filename, "data.bin");
    assert_eq!(r.attachments[0].data, blob());
    assert_eq!(r.signature_state, SignatureState::Verified);

    // PGP/MIME signed: gpg's detached signature over Python's part.
    let part_file = g.file("part.mime", &inner);
    let (sig, _) = g.run(&["--detach-sign", "--armor", "-u", &alice_fpr], &inner);
    let sig_file = g.file("part.sig", &sig);
    let message = python(
        &[
            "signed",
            "alice@example.org",
            "bob@example.org",
            "signed by gpg",
            part_file.to_str().unwrap(),
            sig_file.to_str().unwrap(),
        ],
        b"",
    );
    let r = mail::read_mail(&message, &read(&[], &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::PgpMimeSigned);
    assert_eq!(r.signature_state, SignatureState::Verified);
    assert_eq!(r.attachments[0].data, blob());

    // Inline PGP, encrypted and signed.
    let body = "Inline from gpg — äöü\nsecond line\n";
    let (asc, _) = g.run(
        &[
            "--encrypt",
            "--sign",
            "--armor",
            "-u",
            &alice_fpr,
            "-r",
            &bob_fpr,
        ],
        body.as_bytes(),
    );
    let mut message = b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: inline\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n".to_vec();
    message.extend_from_slice(&asc);
    let r = mail::read_mail(&message, &read(&keys_, &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::InlineEncrypted);
    assert_eq!(r.text.as_deref(), Some(body));
    assert_eq!(r.signature_state, SignatureState::Verified);
    assert!(!r.unprotected_text_dropped);

    // Inline cleartext signature, with unsigned text around it dropped.
    let (clear, _) = g.run(&["--clearsign", "-u", &alice_fpr], b"Signed line\n");
    let mut message =
        b"From: alice@example.org\r\nSubject: clearsigned\r\n\r\nInjected above.\r\n".to_vec();
    message.extend_from_slice(&clear);
    message.extend_from_slice(b"Injected below.\r\n");
    let r = mail::read_mail(&message, &read(&[], &certs, &p)).unwrap();
    assert_eq!(r.kind, MailKind::InlineSigned);
    assert_eq!(r.signature_state, SignatureState::Verified);
    assert!(r.unprotected_text_dropped);
    assert!(!r.text.unwrap().contains("Injected"));
}

fn outer_section(message: &[u8]) -> &[u8] {
    let end = message.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    &message[..end + 2]
}

#[test]
fn reply_fields_and_custom_fields_travel_as_documented() {
    let p = policy();
    let x = people();
    let mut m = mail();
    m.reply_to = vec!["Team <team@example.org>".into()];
    m.in_reply_to = vec!["<earlier@example.org>".into()];
    m.references = vec!["<first@example.org>".into(), "<earlier@example.org>".into()];
    m.headers = vec![
        ("X-Ticket".into(), "Übernahme Q3".into()),
        ("Keywords".into(), "merger".into()),
    ];
    let out = mail::encrypt_mail(
        &m,
        &send(
            std::slice::from_ref(&x.bob_pub),
            std::slice::from_ref(&x.alice),
            &p,
        ),
    )
    .unwrap();
    // Outside: Reply-To, In-Reply-To and References copied; custom fields not.
    let outer = outer_section(&out);
    assert!(contains(outer, b"Reply-To: Team <team@example.org>\r\n"));
    assert!(contains(outer, b"In-Reply-To: <earlier@example.org>\r\n"));
    assert!(contains(
        outer,
        b"References: <first@example.org>\r\n <earlier@example.org>\r\n"
    ));
    assert!(!contains(&out, b"X-Ticket") && !contains(&out, b"merger"));
    let r = mail::read_mail(
        &out,
        &read(
            std::slice::from_ref(&x.bob),
            std::slice::from_ref(&x.alice_pub),
            &p,
        ),
    )
    .unwrap();
    assert!(r.protected_headers);
    assert_eq!(r.reply_to[0].address, "team@example.org");
    assert_eq!(r.in_reply_to, ["<earlier@example.org>"]);
    assert_eq!(
        r.references,
        ["<first@example.org>", "<earlier@example.org>"]
    );
    let custom: Vec<(&str, &str)> = r
        .custom_headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        custom,
        [("X-Ticket", "Übernahme Q3"), ("Keywords", "merger")]
    );
    // An attacker's outer Reply-To never replaces the protected one.
    let forged = [b"Reply-To: mallory@evil.example\r\n".as_slice(), &out[..]].concat();
    let f = mail::read_mail(
        &forged,
        &read(
            std::slice::from_ref(&x.bob),
            std::slice::from_ref(&x.alice_pub),
            &p,
        ),
    )
    .unwrap();
    assert_eq!(f.reply_to[0].address, "team@example.org");

    // Signed: the custom fields are in the clear, outside and in the signed part.
    let signed = mail::sign_mail(&m, &send(&[], std::slice::from_ref(&x.alice), &p)).unwrap();
    assert!(contains(outer_section(&signed), b"X-Ticket: =?utf-8?B?"));
    let s = mail::read_mail(&signed, &read(&[], std::slice::from_ref(&x.alice_pub), &p)).unwrap();
    assert_eq!(s.signature_state, SignatureState::Verified);
    assert!(s.protected_headers);
    assert_eq!(s.custom_headers[0].value, "Übernahme Q3");
    assert_eq!(s.references.len(), 2);
}

#[test]
fn unsafe_header_input_is_refused_with_a_code() {
    let p = policy();
    let x = people();
    type Change = Box<dyn Fn(&mut OutgoingMail)>;
    let bad: Vec<Change> = vec![
        Box::new(|m| m.headers = vec![("X-A".into(), "v\r\nBcc: eve@example.org".into())]),
        Box::new(|m| m.headers = vec![("X-A".into(), "v\nx".into())]),
        Box::new(|m| m.headers = vec![("X-A\r\nBcc".into(), "v".into())]),
        Box::new(|m| m.headers = vec![("X A".into(), "v".into())]),
        Box::new(|m| m.headers = vec![("X:A".into(), "v".into())]),
        Box::new(|m| m.headers = vec![("Content-Type".into(), "text/html".into())]),
        Box::new(|m| m.headers = vec![("MIME-Version".into(), "1.0".into())]),
        Box::new(|m| m.headers = vec![("from".into(), "eve@example.org".into())]),
        Box::new(|m| m.headers = vec![("Message-ID".into(), "<a@b>".into())]),
        Box::new(|m| m.headers = vec![("HP-Outer".into(), "Subject: x".into())]),
        Box::new(|m| m.headers = vec![("Autocrypt-Gossip".into(), "x".into())]),
        Box::new(|m| m.headers = vec![("Bcc".into(), "eve@example.org".into())]),
        Box::new(|m| m.in_reply_to = vec!["<a@b>\r\nBcc: eve@example.org".into()]),
        Box::new(|m| m.in_reply_to = vec!["no-brackets@example.org".into()]),
        Box::new(|m| m.references = vec!["<a b@example.org>".into()]),
        Box::new(|m| m.reply_to = vec!["a@example.org, b@example.org".into()]),
        Box::new(|m| m.bcc = vec!["eve@example.org\r\nX: y".into()]),
    ];
    for (i, change) in bad.iter().enumerate() {
        let mut m = mail();
        change(&mut m);
        for e in [
            mail::encrypt_mail(&m, &send(std::slice::from_ref(&x.bob_pub), &[], &p)).unwrap_err(),
            mail::sign_mail(&m, &send(&[], std::slice::from_ref(&x.alice), &p)).unwrap_err(),
        ] {
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "case {i}: {e}");
            assert!(!e.to_string().contains("eve@"), "case {i}: {e}");
        }
    }
}

#[test]
fn bcc_addresses_are_in_no_message_and_each_bcc_recipient_gets_its_own() {
    let p = policy();
    let [alice, bob, carol, dave, erin] =
        ["Alice", "Bob", "Carol", "Dave", "Erin"].map(|n| key(n, KeyType::Curve25519, None));
    let public: Vec<Cert> = [&alice, &bob, &carol, &dave, &erin]
        .iter()
        .map(|k| keys::public_cert(k))
        .collect();
    let mut m = mail();
    m.cc = vec!["carol@example.org".into()];
    m.bcc = vec!["Dave <dave@example.org>".into(), "erin@example.org".into()];
    let opts = send(&public, std::slice::from_ref(&alice), &p);
    // One message cannot serve Bcc recipients without naming their keys.
    assert_eq!(
        mail::encrypt_mail(&m, &opts).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    let copies = mail::encrypt_mail_copies(&m, &opts).unwrap();
    assert_eq!(copies.bcc.len(), 2);
    assert_eq!(copies.bcc[0].address, "dave@example.org");
    assert_eq!(copies.bcc[1].address, "erin@example.org");
    let key_ids = |message: &[u8]| -> Vec<String> {
        let armored = python(&["encrypted-payload"], message);
        let pile = openpgp::PacketPile::from_bytes(&armored).unwrap();
        pile.children()
            .filter_map(|p| match p {
                openpgp::Packet::PKESK(k) => k.recipient().map(|r| r.to_hex()),
                _ => None,
            })
            .collect()
    };
    let subkeys = |c: &Cert| -> Vec<String> {
        c.keys()
            .subkeys()
            .map(|k| k.key().keyid().to_hex())
            .collect()
    };
    let messages: Vec<(&str, &[u8])> = std::iter::once(("main", &copies.message[..]))
        .chain(
            copies
                .bcc
                .iter()
                .map(|c| (c.address.as_str(), &c.message[..])),
        )
        .collect();
    for (name, message) in &messages {
        // No Bcc address in the bytes sent (outer header, armored payload);
        // each needle has a character base64 lacks, so armor cannot match it.
        for addr in [&b"dave@"[..], b"erin@", b"Bcc:", b"bcc:"] {
            assert!(!contains(message, addr), "{name}");
        }
        let ids = key_ids(message);
        let readers: Vec<&Cert> = match *name {
            "main" => vec![&alice, &bob, &carol],
            "dave@example.org" => vec![&alice, &bob, &carol, &dave],
            _ => vec![&alice, &bob, &carol, &erin],
        };
        for k in [&alice, &bob, &carol, &dave, &erin] {
            let named = subkeys(k).iter().any(|s| ids.contains(s));
            assert_eq!(named, readers.contains(&k), "{name}: {k}");
        }
        // Decrypted as each reader: the plaintext names no Bcc recipient
        // either, and the signature verifies for every one of them.
        let armored = python(&["encrypted-payload"], message);
        for reader in &readers {
            let d = sealpost_core::decrypt::decrypt(
                &armored,
                &common::craft::decrypt_options(std::slice::from_ref(*reader), &[], &p),
            )
            .unwrap();
            for addr in [&b"dave@"[..], b"erin@", b"Bcc:"] {
                assert!(!contains(&d.data, addr), "{name} read by {reader}");
            }
            let r = mail::read_mail(
                message,
                &read(std::slice::from_ref(*reader), &public[..1], &p),
            )
            .unwrap();
            assert_eq!(r.signature_state, SignatureState::Verified, "{name}");
            assert!(r.headers.iter().all(|h| !h.value.contains("dave@")
                && !h.value.contains("erin@")
                && !h.name.eq_ignore_ascii_case("bcc")));
        }
    }
    // Dave cannot read the main message nor Erin's.
    for message in [&copies.message, &copies.bcc[1].message] {
        let e = mail::read_mail(message, &read(std::slice::from_ref(&dave), &[], &p)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::NoMatchingKey);
    }
    // A Bcc address without a key is an error, not a copy nobody can read.
    let mut m2 = mail();
    m2.bcc = vec!["frank@example.org".into()];
    let e = mail::encrypt_mail_copies(&m2, &opts).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoUsableKey);
    assert!(!e.to_string().contains("frank"), "{e}");
    // Signed mail: the Bcc addresses are nowhere in it.
    let signed = mail::sign_mail(&m, &send(&[], std::slice::from_ref(&alice), &p)).unwrap();
    assert!(!contains(&signed, b"dave@") && !contains(&signed, b"Bcc:"));
}

/// A stand-in for the platform's TextDecoder: one made-up label.
fn test_decoder(label: &str, bytes: &[u8]) -> Option<String> {
    (label == "x-sealpost-upper").then(|| String::from_utf8_lossy(bytes).to_uppercase())
}

#[test]
fn other_charsets_go_to_the_installed_decoder_and_unknown_ones_are_reported() {
    mail::mime::set_charset_decoder(test_decoder);
    let p = policy();
    let message = b"From: =?x-sealpost-upper?Q?ann?= <a@example.org>\r\nTo: b@example.org\r\nSubject: =?x-unknown-cs?Q?caf=C3=A9?= =?x-sealpost-upper?B?b2s=?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=x-sealpost-upper\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=x-sealpost-upper''r%C3%A9sum%C3%A9.txt\r\n\r\ndata\r\n--b--\r\n";
    let r = mail::read_mail(message, &read(&[], &[], &p)).unwrap();
    assert_eq!(r.from.unwrap().name, "ANN");
    assert_eq!(r.subject.as_deref(), Some("caféOK"));
    assert_eq!(r.text.as_deref(), Some("HELLO"));
    assert_eq!(r.attachments[0].filename, "RÉSUMÉ.TXT");
    assert!(r.charset_unknown);
    assert_eq!(r.unknown_charsets, ["x-unknown-cs"]);
    // Known charsets: nothing reported.
    let plain = b"From: a@example.org\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n\x93x\x94\r\n";
    let r = mail::read_mail(plain, &read(&[], &[], &p)).unwrap();
    assert_eq!(r.text.as_deref(), Some("\u{201c}x\u{201d}\n"));
    assert!(!r.charset_unknown && r.unknown_charsets.is_empty());
}
