//! Keys, in signed-note "vkey" form (`<name>+<hex key ID>+<base64(type || public key)>`):
//!
//! - the **log key**: Ed25519, signature type 0x01, signs checkpoints
//!   (`signed_note::StandardSigner` / `StandardVerifier`);
//! - **witness keys**: Ed25519 `cosignature/v1`, type 0x04 (C2SP tlog-cosignature). `signed_note`
//!   knows only type 0x01, so [`CosignatureVerifier`] and [`CosignatureSigner`] plug type 0x04
//!   into its `Verifier` / `Signer` traits: the signed message is `cosignature/v1\ntime <t>\n`
//!   followed by the checkpoint text, and the signature bytes are the big-endian `u64`
//!   timestamp followed by the 64-byte Ed25519 signature.
//!
//! Private keys are written like Go's `note` package does, `PRIVATE+KEY+<name>+<id>+<base64(type
//! || 32-byte seed)>`, for both types.

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use signed_note::key_id;
pub use signed_note::Signature;

use crate::{b64, unb64, Error, Result};

/// Signed-note signature type of an Ed25519 log (checkpoint) key.
pub const ALG_ED25519: u8 = 0x01;
/// Signed-note signature type of an Ed25519 `cosignature/v1` witness key.
pub const ALG_COSIGNATURE_V1: u8 = 0x04;
const MAX_KEY_TEXT: usize = 1024;

/// A parsed verifier key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VKey {
    pub name: String,
    pub id: u32,
    pub alg: u8,
    pub public: [u8; 32],
}

impl VKey {
    /// Parses `name+id+base64`; the ID must be the one the name and key imply.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim_end_matches(['\n', '\r']);
        if text.len() > MAX_KEY_TEXT {
            return Err(Error::malformed("verifier key: too long"));
        }
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id16), Some(k64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::malformed(format!(
                "verifier key {text:?}: expected name+id+key"
            )));
        };
        if !signed_note::is_key_name_valid(name) {
            return Err(Error::malformed(format!(
                "verifier key {text:?}: invalid key name {name:?}"
            )));
        }
        let id = parse_id(id16).ok_or_else(|| {
            Error::malformed(format!(
                "verifier key {text:?}: key ID {id16:?} is not 8 hex digits"
            ))
        })?;
        let key = unb64(k64)
            .ok_or_else(|| Error::malformed(format!("verifier key {text:?}: key is not base64")))?;
        let (&alg, public) = key
            .split_first()
            .ok_or_else(|| Error::malformed(format!("verifier key {text:?}: empty key")))?;
        if alg != ALG_ED25519 && alg != ALG_COSIGNATURE_V1 {
            return Err(Error::malformed(format!(
                "verifier key {text:?}: signature type 0x{alg:02x} is not supported (0x01 Ed25519, 0x04 cosignature/v1)"
            )));
        }
        let public: [u8; 32] = public.try_into().map_err(|_| {
            Error::malformed(format!(
                "verifier key {text:?}: an Ed25519 public key is 32 bytes"
            ))
        })?;
        VerifyingKey::from_bytes(&public).map_err(|_| {
            Error::malformed(format!(
                "verifier key {text:?}: not a valid Ed25519 public key"
            ))
        })?;
        if key_id(name, &key) != id {
            return Err(Error::malformed(format!(
                "verifier key {text:?}: key ID {id16} does not match the name and key"
            )));
        }
        Ok(VKey {
            name: name.to_string(),
            id,
            alg,
            public,
        })
    }

    /// The vkey text.
    pub fn encode(&self) -> String {
        let mut key = vec![self.alg];
        key.extend_from_slice(&self.public);
        format!("{}+{:08x}+{}", self.name, self.id, b64(&key))
    }

    fn verifying_key(&self) -> Result<VerifyingKey> {
        VerifyingKey::from_bytes(&self.public)
            .map_err(|_| Error::malformed("not a valid Ed25519 public key"))
    }

    /// A `signed_note` verifier for this key (either type).
    pub fn verifier(&self) -> Result<Box<dyn signed_note::Verifier>> {
        match self.alg {
            ALG_ED25519 => Ok(Box::new(
                signed_note::StandardVerifier::new(&self.encode())
                    .map_err(|e| Error::malformed(format!("log key: {e}")))?,
            )),
            _ => Ok(Box::new(CosignatureVerifier {
                name: self.name.clone(),
                id: self.id,
                key: self.verifying_key()?,
            })),
        }
    }
}

fn parse_id(id16: &str) -> Option<u32> {
    if id16.len() != 8 || !id16.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(id16, 16).ok()
}

/// A private key of either type: `PRIVATE+KEY+name+id+base64(type || seed)`.
pub struct SecretKey {
    pub name: String,
    pub id: u32,
    pub alg: u8,
    key: SigningKey,
}

impl SecretKey {
    /// A fresh key of type `alg` named `name` (the log's origin, or the witness's name).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn generate(name: &str, alg: u8) -> Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| Error::io(format!("random: {e}")))?;
        Self::from_seed(name, alg, seed)
    }

    /// The key of type `alg` with this seed.
    pub fn from_seed(name: &str, alg: u8, seed: [u8; 32]) -> Result<Self> {
        if !signed_note::is_key_name_valid(name) {
            return Err(Error::malformed(format!("invalid key name {name:?}")));
        }
        if alg != ALG_ED25519 && alg != ALG_COSIGNATURE_V1 {
            return Err(Error::malformed(format!(
                "signature type 0x{alg:02x} is not supported"
            )));
        }
        let key = SigningKey::from_bytes(&seed);
        let mut public = vec![alg];
        public.extend_from_slice(key.verifying_key().as_bytes());
        Ok(SecretKey {
            name: name.to_string(),
            id: key_id(name, &public),
            alg,
            key,
        })
    }

    /// Parses the private key text (errors never echo the key).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim_end_matches(['\n', '\r']);
        let err = |what: &str| Error::malformed(format!("private key: {what}"));
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| err("does not start with PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id16), Some(k64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("expected PRIVATE+KEY+name+id+key"));
        };
        let id = parse_id(id16).ok_or_else(|| err("key ID is not 8 hex digits"))?;
        let key = unb64(k64).ok_or_else(|| err("key is not base64"))?;
        let (&alg, seed) = key.split_first().ok_or_else(|| err("empty key"))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| err("an Ed25519 seed is 32 bytes"))?;
        let k = Self::from_seed(name, alg, seed)?;
        if k.id != id {
            return Err(err("key ID does not match the name and key"));
        }
        Ok(k)
    }

    /// The private key text (keep it secret).
    pub fn encode(&self) -> String {
        let mut k = vec![self.alg];
        k.extend_from_slice(&self.key.to_bytes());
        format!("PRIVATE+KEY+{}+{:08x}+{}", self.name, self.id, b64(&k))
    }

    /// The public verifier key.
    pub fn vkey(&self) -> VKey {
        VKey {
            name: self.name.clone(),
            id: self.id,
            alg: self.alg,
            public: self.key.verifying_key().to_bytes(),
        }
    }

    /// Signs a note text as a log (type 0x01) key.
    pub fn sign_note(&self, text: &[u8]) -> Result<Signature> {
        if self.alg != ALG_ED25519 {
            return Err(Error::invalid(format!(
                "{} is a cosignature key, not a log key",
                self.name
            )));
        }
        let sig = self.key.sign(text).to_bytes().to_vec();
        Signature::new(self.name.clone(), self.id, sig)
            .map_err(|e| Error::malformed(format!("signature: {e}")))
    }

    /// A `cosignature/v1` over a checkpoint text, at `timestamp` (POSIX seconds, not zero).
    pub fn cosign(&self, checkpoint_text: &[u8], timestamp: u64) -> Result<Signature> {
        if self.alg != ALG_COSIGNATURE_V1 {
            return Err(Error::invalid(format!(
                "{} is a log key, not a cosignature key",
                self.name
            )));
        }
        if timestamp == 0 || timestamp > i64::MAX as u64 {
            return Err(Error::invalid("cosignature timestamp out of range"));
        }
        let sig = self.key.sign(&cosigned_message(checkpoint_text, timestamp));
        let mut bytes = timestamp.to_be_bytes().to_vec();
        bytes.extend_from_slice(&sig.to_bytes());
        Signature::new(self.name.clone(), self.id, bytes)
            .map_err(|e| Error::malformed(format!("cosignature: {e}")))
    }
}

/// The message a `cosignature/v1` signs.
pub fn cosigned_message(checkpoint_text: &[u8], timestamp: u64) -> Vec<u8> {
    let mut m = format!("cosignature/v1\ntime {timestamp}\n").into_bytes();
    m.extend_from_slice(checkpoint_text);
    m
}

/// The timestamp of a `cosignature/v1` signature (its first 8 bytes), if it is one.
pub fn cosignature_time(sig: &Signature) -> Option<u64> {
    let bytes: [u8; 8] = sig.signature().get(..8)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// Verifies `cosignature/v1` (type 0x04) signatures for `signed_note::Note::verify`.
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl signed_note::Verifier for CosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        if sig.len() != 8 + 64 {
            return false;
        }
        let (ts, sig) = sig.split_at(8);
        let Ok(ts) = <[u8; 8]>::try_from(ts) else {
            return false;
        };
        let ts = u64::from_be_bytes(ts);
        if ts > i64::MAX as u64 {
            return false;
        }
        let Ok(sig) = ed25519_dalek::Signature::from_slice(sig) else {
            return false;
        };
        self.key
            .verify_strict(&cosigned_message(msg, ts), &sig)
            .is_ok()
    }
}

/// Writes a private key file readable by its owner only (0600 on Unix),
/// refusing to overwrite an existing one. Errors name the path.
pub fn write_private_key_file(
    path: &std::path::Path,
    text: &str,
) -> std::result::Result<(), String> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    let mut f = o
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(format!("{text}\n").as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip_and_ids_match_the_spec() {
        for alg in [ALG_ED25519, ALG_COSIGNATURE_V1] {
            let k = SecretKey::from_seed("example.com/log", alg, [7; 32]).unwrap();
            let again = SecretKey::parse(&k.encode()).unwrap();
            assert_eq!(again.encode(), k.encode());
            let v = VKey::parse(&k.vkey().encode()).unwrap();
            assert_eq!(v, k.vkey());
            // key ID = SHA-256(name || 0x0A || type || public key)[:4]
            let mut pre = b"example.com/log\n".to_vec();
            pre.push(alg);
            pre.extend_from_slice(&v.public);
            let want = u32::from_be_bytes(crate::sha256(&pre)[..4].try_into().unwrap());
            assert_eq!(v.id, want);
        }
        // signed_note's own key format agrees for type 0x01.
        let k = SecretKey::from_seed("PeterNeumann", ALG_ED25519, [1; 32]).unwrap();
        assert!(signed_note::StandardSigner::new(&k.encode()).is_ok());
        assert!(signed_note::StandardVerifier::new(&k.vkey().encode()).is_ok());
    }

    #[test]
    fn bad_keys_say_why() {
        let v = SecretKey::from_seed("w", ALG_COSIGNATURE_V1, [2; 32])
            .unwrap()
            .vkey()
            .encode();
        for (text, want) in [
            ("nothing".to_string(), "expected name+id+key"),
            (v.replacen("+", "+0", 1), "8 hex digits"),
            (v.replacen("w+", "x+", 1), "does not match"),
            ("w+00000000+AQ==".to_string(), "32 bytes"),
            ("w+00000000+Bw==".to_string(), "not supported"),
            ("w+00000000+***".to_string(), "not base64"),
            ("a b+00000000+AQ==".to_string(), "invalid key name"),
        ] {
            let e = VKey::parse(&text).unwrap_err();
            assert!(e.message.contains(want), "{text}: {e}");
        }
        assert!(SecretKey::parse("PRIVATE+KEY+x").is_err());
        assert!(SecretKey::parse(&v).is_err());
    }

    #[test]
    fn cosignature_verifies_and_binds_time() {
        let k = SecretKey::from_seed("witness.example/w1", ALG_COSIGNATURE_V1, [3; 32]).unwrap();
        let text = b"example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        let sig = k.cosign(text, 1_700_000_000).unwrap();
        assert_eq!(cosignature_time(&sig), Some(1_700_000_000));
        let v = k.vkey().verifier().unwrap();
        assert!(v.verify(text, sig.signature()));
        let mut other_time = sig.signature().to_vec();
        other_time[7] ^= 1;
        assert!(!v.verify(text, &other_time));
        assert!(!v.verify(b"other\n", sig.signature()));
        assert!(k.sign_note(text).is_err());
    }
}
