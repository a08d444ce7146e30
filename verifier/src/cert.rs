//! The pinned release certificate's life: refreshing it from the site and
//! honouring its revocation.
//!
//! A site serves its release certificate (`release-cert.asc`); the guard
//! pinned one copy at enrollment.  [`refresh`] merges what the site serves
//! now into the pinned copy, keeping only what the pinned primary key
//! itself signed: its direct-key signatures and revocations, and user IDs,
//! user attributes and subkeys with a valid binding signature by it (and
//! their revocations by it).  Everything else a server could add — a user
//! ID or subkey certified by another key, a signature that does not verify,
//! a "revocation" made by another key, a third-party certification — is
//! dropped, so it can neither add a component nor revoke the key.
//! Unhashed subpackets (which no signature covers) are reduced to at most
//! one issuer and one issuer fingerprint naming the primary key and one
//! verifying embedded back-signature, so a server cannot grow the pin with
//! them; `changed` ignores unhashed areas, and a merged result over
//! [`MAX_PIN_BYTES`] is refused (`CERT_TOO_LARGE`) unless it revokes.

use std::time::{Duration, SystemTime};

use sealpost_core::keys;
use sealpost_core::Cert;
use sequoia_openpgp as openpgp;

use openpgp::packet::key::{PrimaryRole, PublicParts, SubordinateRole};
use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
use openpgp::packet::{Key, Signature};
use openpgp::policy::StandardPolicy;
use openpgp::serialize::SerializeInto;
use openpgp::types::{ReasonForRevocation, RevocationStatus, SignatureType};
use openpgp::Packet;

use crate::error::{Error, ErrorCode, Result};

/// The largest certificate (either input) [`refresh`] reads: a release
/// certificate is a few KiB; every signature in it costs a verification.
pub const MAX_CERT_BYTES: usize = 256 << 10;

/// The largest merged certificate (binary) [`refresh`] offers to pin: half
/// of [`MAX_CERT_BYTES`], so a pin always stays readable, armor included.
pub const MAX_PIN_BYTES: usize = MAX_CERT_BYTES / 2;

/// The longest revocation reason text kept, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// The outcome of [`refresh`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertRefresh {
    /// The merged public certificate, armored: what to pin from now on.
    pub cert: String,
    /// The primary key's fingerprint (upper-case hex, as `certInfo`).
    pub fingerprint: String,
    /// Whether the merged certificate differs from the pinned one (both
    /// reduced to what the primary key signed).
    pub changed: bool,
    /// Whether the primary key revoked the certificate, as judged by
    /// sequoia's `StandardPolicy` at the given time.
    pub revoked: bool,
    /// For a revoked certificate: the reason code and its message,
    /// printable and at most [`MAX_REASON_CHARS`] characters
    /// (e.g. `"compromised: key leaked"`).
    pub reason: Option<String>,
}

fn read(what: &str, data: &[u8], too_large: ErrorCode) -> Result<Cert> {
    if data.len() > MAX_CERT_BYTES {
        return Err(Error::new(
            too_large,
            format!(
                "{what} certificate: {} bytes is more than the {MAX_CERT_BYTES} allowed",
                data.len()
            ),
        ));
    }
    let cert = keys::read_cert_without_lacking_subkeys(data).map_err(|e| {
        Error::new(
            ErrorCode::InvalidCert,
            format!("{what} certificate: {}", e.message()),
        )
    })?;
    Ok(keys::public_cert(&cert))
}

/// A signature with its unhashed area (which no signature covers, and
/// which sequoia unions when it merges two copies of one signature)
/// reduced to what is needed and bounded: at most one Issuer and one
/// Issuer Fingerprint subpacket, each only if it names `primary`, and, on
/// a subkey binding signature, at most one embedded primary-key binding
/// signature (a signing subkey's back-signature may sit there) that
/// verifies for `primary` and `subkey`, itself with an empty unhashed
/// area.  Anything a server adds there is dropped, so it can neither grow
/// the pinned certificate nor make it differ.
fn reduced(
    sig: &Signature,
    primary: &Key<PublicParts, PrimaryRole>,
    subkey: Option<&Key<PublicParts, SubordinateRole>>,
) -> Signature {
    let mut sig = sig.clone();
    let fpr = primary.fingerprint();
    let keyid = primary.keyid();
    let mut issuer = None;
    let mut issuer_fpr = None;
    let mut backsig = None;
    for s in sig.unhashed_area().iter() {
        match s.value() {
            SubpacketValue::Issuer(id) if issuer.is_none() && *id == keyid => {
                issuer = Some(s.clone());
            }
            SubpacketValue::IssuerFingerprint(f) if issuer_fpr.is_none() && *f == fpr => {
                issuer_fpr = Some(s.clone());
            }
            SubpacketValue::EmbeddedSignature(e) if backsig.is_none() => {
                if let Some(sub) = subkey {
                    if sig.typ() == SignatureType::SubkeyBinding
                        && e.typ() == SignatureType::PrimaryKeyBinding
                        && e.verify_primary_key_binding(primary, sub).is_ok()
                    {
                        let mut e = e.clone();
                        e.unhashed_area_mut().clear();
                        backsig = Some(e);
                    }
                }
            }
            _ => {}
        }
    }
    let area = sig.unhashed_area_mut();
    area.clear();
    for s in [issuer_fpr, issuer].into_iter().flatten() {
        // Re-adding what fitted before cannot overflow the area.
        let _ = area.add(s);
    }
    if let Some(e) = backsig {
        if let Ok(s) = Subpacket::new(SubpacketValue::EmbeddedSignature(e), false) {
            let _ = area.add(s);
        }
    }
    sig
}

fn sigs<'a>(
    out: &mut Vec<Packet>,
    it: impl Iterator<Item = &'a Signature>,
    primary: &Key<PublicParts, PrimaryRole>,
    subkey: Option<&Key<PublicParts, SubordinateRole>>,
) {
    out.extend(it.map(|s| Packet::from(reduced(s, primary, subkey))));
}

/// The certificate reduced to what its primary key signed (see the module
/// documentation).  `self_signatures()` and `self_revocations()` are the
/// signatures sequoia verified against the primary key (and, for signing
/// subkeys, their back-signatures); third-party certifications and
/// revocations, bad signatures and components without a valid binding are
/// left out.
pub fn self_certified(cert: &Cert) -> Result<Cert> {
    let cert = keys::public_cert(cert);
    let mut p: Vec<Packet> = Vec::new();
    let pa = cert.primary_key();
    let primary = pa.key();
    p.push(primary.clone().into());
    sigs(&mut p, pa.bundle().self_signatures(), primary, None);
    sigs(&mut p, pa.bundle().self_revocations(), primary, None);
    for ua in cert.userids() {
        let b = ua.bundle();
        if b.self_signatures().next().is_some() {
            p.push(ua.userid().clone().into());
            sigs(&mut p, b.self_signatures(), primary, None);
            sigs(&mut p, b.self_revocations(), primary, None);
        }
    }
    for ua in cert.user_attributes() {
        let b = ua.bundle();
        if b.self_signatures().next().is_some() {
            p.push(ua.user_attribute().clone().into());
            sigs(&mut p, b.self_signatures(), primary, None);
            sigs(&mut p, b.self_revocations(), primary, None);
        }
    }
    for ka in cert.keys().subkeys() {
        let b = ka.bundle();
        if b.self_signatures().next().is_some() {
            let sub = ka.key();
            p.push(sub.clone().into());
            sigs(&mut p, b.self_signatures(), primary, Some(sub));
            sigs(&mut p, b.self_revocations(), primary, None);
        }
    }
    Cert::from_packets(p.into_iter()).map_err(|e| {
        Error::new(
            ErrorCode::InvalidCert,
            format!("rebuilding the certificate: {e}"),
        )
    })
}

fn serialize(cert: &Cert, armored: bool) -> Result<Vec<u8>> {
    let r = if armored {
        cert.armored().to_vec()
    } else {
        cert.to_vec()
    };
    r.map_err(|e| {
        Error::new(
            ErrorCode::InvalidCert,
            format!("writing the certificate: {e}"),
        )
    })
}

/// Invisible or direction-changing characters: a reason text shown to the
/// user must read as what it is.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Text from a signature for display: lossy UTF-8, whitespace runs as
/// one space, control and format characters removed, at most `max`
/// characters (then `…`).
pub fn sanitize(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut n = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_format(c) {
            continue;
        }
        if n + usize::from(pending_space) >= max {
            out.push('…');
            break;
        }
        if pending_space {
            out.push(' ');
            n += 1;
            pending_space = false;
        }
        out.push(c);
        n += 1;
    }
    out
}

fn reason_name(r: ReasonForRevocation) -> String {
    match r {
        ReasonForRevocation::Unspecified => "unspecified".into(),
        ReasonForRevocation::KeySuperseded => "superseded".into(),
        ReasonForRevocation::KeyCompromised => "compromised".into(),
        ReasonForRevocation::KeyRetired => "retired".into(),
        ReasonForRevocation::UIDRetired => "user ID retired".into(),
        ReasonForRevocation::Private(n) => format!("private reason {n}"),
        ReasonForRevocation::Unknown(n) => format!("unknown reason {n}"),
        _ => "unknown reason".into(),
    }
}

/// The reason of the first of `sigs` that gives one: `"code"` or
/// `"code: message"`.
fn reason_of(sigs: &[&Signature]) -> String {
    let Some((code, msg)) = sigs.iter().find_map(|s| s.reason_for_revocation()) else {
        return "unspecified".into();
    };
    let name = reason_name(code);
    let msg = sanitize(msg, MAX_REASON_CHARS.saturating_sub(name.len() + 2));
    if msg.is_empty() {
        name
    } else {
        format!("{name}: {msg}")
    }
}

/// Whether the primary key revoked `cert` at `now` (Unix seconds) under
/// `StandardPolicy`, with the reason.  Only self-revocations count (cert
/// is expected to be [`self_certified`]; sequoia reports a third-party
/// revocation as "could be", never as revoked).
pub fn revocation(cert: &Cert, now: u64) -> (bool, Option<String>) {
    let policy = StandardPolicy::new();
    let t = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(now.min(u64::from(u32::MAX))));
    match cert.revocation_status(&policy, t) {
        RevocationStatus::Revoked(sigs) => (true, Some(reason_of(&sigs))),
        _ => (false, None),
    }
}

/// Merges the certificate the site serves now (`fetched`) into the pinned
/// one and judges the result at `now` (Unix seconds).  Both may be armored
/// or binary; secret key material is dropped.
///
/// Errors: `INVALID_CERT` when either is not one readable certificate (or
/// `fetched` is larger than [`MAX_CERT_BYTES`]); `CERT_TOO_LARGE` when
/// `pinned` is larger than [`MAX_CERT_BYTES`] (a pin that can no longer be
/// read: the caller must not treat it as "keep"), or when the merged
/// result differs and is larger than [`MAX_PIN_BYTES`] without revoking the
/// key; `CERT_MISMATCH` when `fetched` has another primary key.  Never
/// panics on any input.
pub fn refresh(pinned: &[u8], fetched: &[u8], now: u64) -> Result<CertRefresh> {
    let pinned = read("pinned", pinned, ErrorCode::CertTooLarge)?;
    let fetched = read("fetched", fetched, ErrorCode::InvalidCert)?;
    if pinned.fingerprint() != fetched.fingerprint() {
        return Err(Error::new(
            ErrorCode::CertMismatch,
            format!(
                "the site's certificate is for {}, not the pinned key {}",
                fetched.fingerprint().to_hex(),
                pinned.fingerprint().to_hex()
            ),
        ));
    }
    let before = self_certified(&pinned)?;
    let merged = pinned.merge_public(fetched).map_err(|e| {
        Error::new(
            ErrorCode::InvalidCert,
            format!("merging the certificates: {e}"),
        )
    })?;
    let after = self_certified(&merged)?;
    let changed = !same(&before, &after);
    let (revoked, reason) = revocation(&after, now);
    let size = serialize(&after, false)?.len();
    // A result too large to pin is refused, unless it revokes the key: then
    // the revocation is reported and the pin stays as it was (`changed`
    // false), so a revocation gets through whatever else came with it.
    let (pin, changed) = if changed && size > MAX_PIN_BYTES {
        if !revoked {
            return Err(Error::new(
                ErrorCode::CertTooLarge,
                format!(
                    "the merged certificate ({size} bytes) is more than the {MAX_PIN_BYTES} allowed to pin"
                ),
            ));
        }
        (&before, false)
    } else {
        (&after, changed)
    };
    let cert = String::from_utf8(serialize(pin, true)?)
        .map_err(|e| Error::new(ErrorCode::InvalidCert, e.to_string()))?;
    Ok(CertRefresh {
        cert,
        fingerprint: after.fingerprint().to_hex(),
        changed,
        revoked,
        reason,
    })
}

/// Whether two reduced certificates hold the same packets, signatures
/// compared without their unhashed areas.
fn same(a: &Cert, b: &Cert) -> bool {
    let a: Vec<Packet> = a.clone().into_packets().collect();
    let b: Vec<Packet> = b.clone().into_packets().collect();
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| match (x, y) {
            (Packet::Signature(x), Packet::Signature(y)) => x.normalized_eq(y),
            _ => x == y,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_text_readable_and_short() {
        assert_eq!(sanitize(b"  key \n\t leaked  ", 50), "key leaked");
        assert_eq!(
            sanitize("a\u{202E}b\u{0007}c\u{200B}d\u{E0041}".as_bytes(), 50),
            "abcd"
        );
        assert_eq!(sanitize(b"\xff\xfeok", 50), "\u{FFFD}\u{FFFD}ok");
        assert_eq!(sanitize(b"abcdef", 3), "abc…");
        assert_eq!(sanitize(b"ab cdef", 3), "ab…");
        assert_eq!(
            sanitize(&[b'x'; 10_000], MAX_REASON_CHARS).chars().count(),
            201
        );
        assert_eq!(sanitize(b"", 10), "");
    }

    #[test]
    fn garbage_is_invalid_cert_never_a_panic() {
        for junk in [
            &b""[..],
            b"hello",
            b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n",
            &[0x99, 0x00, 0x01, 0x04][..],
            &[0xc6; 300][..],
        ] {
            let e = refresh(junk, junk, 0).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCert, "{junk:?}");
        }
        let big = vec![b'a'; MAX_CERT_BYTES + 1];
        let e = refresh(&big, &big, 0).unwrap_err();
        assert_eq!(e.code, ErrorCode::CertTooLarge);
        assert!(e.message.contains("more than"), "{e}");
        let e = refresh(b"hello", &big, 0).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidCert);
    }
}
