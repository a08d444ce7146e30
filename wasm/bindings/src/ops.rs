//! Encrypt, decrypt, sign, verify and armor exports.
//!
//! Each operation is a small builder: add keys (borrowed, never consumed)
//! and options, then run it on bytes.

use js_sys::Uint8Array;
use sealpost_core::decrypt::{self, DecryptOptions, SessionKeyData};
use sealpost_core::encrypt::{self, EncryptExtra, EncryptOptions};
use sealpost_core::sign::{self, SignMode, SignOptions};
use sealpost_core::stream::{self as core_stream, EncryptInputs};
use sealpost_core::verify::{self, VerifyOptions};
use sealpost_core::{armor as core_armor, Cert, Password, Policy};
use wasm_bindgen::prelude::*;

use crate::convert::{bytes, object, to_plain};
use crate::error::{invalid, IntoJs};
use crate::keys::Key;

/// Resource limits a caller may set; unset ones keep the core's defaults.
#[derive(Default, Clone)]
struct Limits {
    max_plaintext: Option<u64>,
    max_compression_ratio: Option<u64>,
    max_recipients: Option<u64>,
    max_signatures: Option<u64>,
}

/// The limits a decryption takes.
const DECRYPT_LIMITS: &[&str] = &[
    "maxPlaintext",
    "maxCompressionRatio",
    "maxRecipients",
    "maxSignatures",
];
/// The limits a verification takes (no encrypted session keys to count).
const VERIFY_LIMITS: &[&str] = &["maxPlaintext", "maxCompressionRatio", "maxSignatures"];

fn limit_value(name: &str, n: f64) -> Result<u64, JsValue> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 {
        Ok(n as u64)
    } else {
        Err(js_sys::RangeError::new(&format!("{name} must be a whole number ≥ 0")).into())
    }
}

impl Limits {
    /// Reads an object of limits, each optional, named in `known`; any
    /// other key is a TypeError.
    fn read(&mut self, limits: &JsValue, known: &[&str]) -> Result<(), JsValue> {
        if !limits.is_object() {
            return Err(js_sys::TypeError::new("limits must be an object").into());
        }
        for key in js_sys::Object::keys(limits.unchecked_ref::<js_sys::Object>()).iter() {
            let name = key.as_string().unwrap_or_default();
            if !known.contains(&name.as_str()) {
                return Err(js_sys::TypeError::new(&format!(
                    "unknown limit {name:?} (known: {})",
                    known.join(", ")
                ))
                .into());
            }
            let v = js_sys::Reflect::get(limits, &key)?;
            if v.is_undefined() {
                continue;
            }
            let n = v.as_f64().ok_or_else(|| {
                JsValue::from(js_sys::TypeError::new(&format!("{name} must be a number")))
            })?;
            let n = limit_value(&name, n)?;
            match name.as_str() {
                "maxPlaintext" => self.max_plaintext = Some(n),
                "maxCompressionRatio" => self.max_compression_ratio = Some(n),
                "maxRecipients" => self.max_recipients = Some(n),
                _ => self.max_signatures = Some(n),
            }
        }
        Ok(())
    }

    fn policy(&self) -> Policy {
        let mut p = Policy::new();
        if let Some(n) = self.max_plaintext {
            p = p.with_max_plaintext(n);
        }
        if let Some(n) = self.max_compression_ratio {
            p = p.with_max_compression_ratio(n);
        }
        if let Some(n) = self.max_recipients {
            p = p.with_max_recipients(usize::try_from(n).unwrap_or(usize::MAX));
        }
        if let Some(n) = self.max_signatures {
            p = p.with_max_signatures(usize::try_from(n).unwrap_or(usize::MAX));
        }
        p
    }
}

/// Encryption to keys and/or passwords, optionally signed.
#[wasm_bindgen]
#[derive(Default)]
pub struct Encryption {
    recipients: Vec<Cert>,
    signers: Vec<Cert>,
    signer_passphrases: Vec<Password>,
    passwords: Vec<Password>,
    armor: bool,
    force_aead: bool,
    text: bool,
    extra: EncryptExtra,
}

/// An AEAD algorithm from its OpenPGP number (1 EAX, 2 OCB, 3 GCM).
fn aead_from(id: Option<u8>) -> Result<Option<sequoia_openpgp::types::AEADAlgorithm>, JsValue> {
    match id {
        None => Ok(None),
        Some(n @ 1..=3) => Ok(Some(n.into())),
        Some(n) => Err(js_sys::RangeError::new(&format!(
            "unknown AEAD algorithm {n} (1 EAX, 2 OCB, 3 GCM)"
        ))
        .into()),
    }
}

#[wasm_bindgen]
impl Encryption {
    /// A new encryption; armored output by default.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Encryption {
        Encryption {
            armor: true,
            ..Default::default()
        }
    }
    /// Encrypts to every valid encryption subkey of `key`.
    #[wasm_bindgen(js_name = addRecipient)]
    pub fn add_recipient(&mut self, key: &Key) {
        self.recipients.push(key.cert.clone());
    }
    /// Signs with `key` (unlocked, or locked plus `addSignerPassphrase`).
    #[wasm_bindgen(js_name = addSigner)]
    pub fn add_signer(&mut self, key: &Key) {
        self.signers.push(key.cert.clone());
    }
    /// A passphrase to try on locked signing keys.
    #[wasm_bindgen(js_name = addSignerPassphrase)]
    pub fn add_signer_passphrase(&mut self, passphrase: String) {
        self.signer_passphrases.push(Password::from(passphrase));
    }
    /// A password that can also decrypt the message.
    #[wasm_bindgen(js_name = addPassword)]
    pub fn add_password(&mut self, password: String) {
        self.passwords.push(Password::from(password));
    }
    /// ASCII armor (default) or binary output.
    #[wasm_bindgen(js_name = setArmor)]
    pub fn set_armor(&mut self, armor: bool) {
        self.armor = armor;
    }
    /// The plaintext is UTF-8 text: a text literal packet and text signatures.
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: bool) {
        self.text = text;
    }
    /// Use SEIPDv2 even if not all recipients advertise it.
    #[wasm_bindgen(js_name = setForceAead)]
    pub fn set_force_aead(&mut self, force: bool) {
        self.force_aead = force;
    }
    /// Encrypts with this session key (`ALGO:HEX`) instead of a fresh one;
    /// `aead` (1 EAX, 2 OCB, 3 GCM) makes the container SEIPDv2.
    #[wasm_bindgen(js_name = setSessionKey)]
    pub fn set_session_key(&mut self, session_key: &str, aead: Option<u8>) -> Result<(), JsValue> {
        let aead = aead_from(aead)?;
        self.extra.session_key = Some(SessionKeyData::parse(session_key).js()?);
        self.extra.session_aead = aead;
        Ok(())
    }
    /// The literal packet's file name (at most 255 bytes of UTF-8).
    #[wasm_bindgen(js_name = setFilename)]
    pub fn set_filename(&mut self, filename: String) -> Result<(), JsValue> {
        if filename.len() > encrypt::MAX_FILENAME {
            return Err(invalid(format!(
                "a file name is at most {} bytes (UTF-8)",
                encrypt::MAX_FILENAME
            )));
        }
        self.extra.filename = Some(filename.into_bytes());
        Ok(())
    }
    /// A fresh session key for this encryption's recipients:
    /// `{ sessionKey: 'ALGO:HEX', aead: 1 | 2 | 3 | null }`.
    #[wasm_bindgen(js_name = generateSessionKey)]
    pub fn generate_session_key(&self) -> Result<JsValue, JsValue> {
        let p = Policy::new();
        let (sk, aead) =
            encrypt::generate_session_key(&self.recipients, &p, self.force_aead).js()?;
        object(&[
            ("sessionKey", JsValue::from_str(&sk.to_text())),
            (
                "aead",
                aead.map_or(JsValue::NULL, |a| JsValue::from(u8::from(a))),
            ),
        ])
    }
    /// The session key packets that give `setSessionKey`'s key to the
    /// recipients and passwords (armored as a message unless `setArmor(false)`).
    #[wasm_bindgen(js_name = encryptSessionKey)]
    pub fn encrypt_session_key(&self) -> Result<Vec<u8>, JsValue> {
        let sk = self
            .extra
            .session_key
            .as_ref()
            .ok_or_else(|| invalid("encryptSessionKey needs a session key (setSessionKey)"))?;
        let p = Policy::new();
        encrypt::encrypt_session_key(
            sk,
            self.extra.session_aead,
            &self.recipients,
            &self.passwords,
            &p,
            self.armor,
        )
        .js()
    }
    /// Starts a streaming encryption with these settings.
    #[wasm_bindgen(js_name = startStream)]
    pub fn start_stream(&self) -> Result<EncryptStream, JsValue> {
        let inner = core_stream::EncryptStream::new(EncryptInputs {
            recipients: self.recipients.clone(),
            passwords: self.passwords.clone(),
            signers: self.signers.clone(),
            signer_passphrases: self.signer_passphrases.clone(),
            armor: self.armor,
            force_aead: self.force_aead,
            text: self.text,
            policy: Policy::new(),
            extra: self.extra.clone(),
        })
        .js()?;
        Ok(EncryptStream { inner: Some(inner) })
    }

    /// Encrypts `plaintext`; returns the message bytes (armored text as UTF-8
    /// bytes if armored).
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let p = Policy::new();
        encrypt::encrypt_with(plaintext, &self.options(&p), &self.extra).js()
    }

    /// `encrypt` with the last steps left to the caller, for a message that
    /// would be SEIPDv1 with AES-128 or AES-256 (core's
    /// `encrypt_cfb_pending`): `{ message, bodyStart, algo, key }`, the
    /// binary message whose MDC (the last 20 octets) and CFB encryption from
    /// `bodyStart` on are still to be done with `key` (the session key's
    /// octets; algo 7 AES-128, 9 AES-256); `undefined` when the message would
    /// be SEIPDv2 or use another cipher.  Never armored (armor the finished
    /// message with `armorMessage`).  The shim's `cfb.js` finishes it.
    #[wasm_bindgen(js_name = encryptCfbPending)]
    pub fn encrypt_cfb_pending(&self, plaintext: &[u8]) -> Result<JsValue, JsValue> {
        let p = Policy::new();
        let Some(pending) =
            encrypt::encrypt_cfb_pending(plaintext, &self.options(&p), &self.extra).js()?
        else {
            return Ok(JsValue::UNDEFINED);
        };
        object(&[
            (
                "message",
                js_sys::Uint8Array::from(&pending.message[..]).into(),
            ),
            ("bodyStart", JsValue::from(pending.body_start as u32)),
            ("algo", JsValue::from(pending.session_key.algo)),
            (
                "key",
                js_sys::Uint8Array::from(&pending.session_key.key[..]).into(),
            ),
        ])
    }
}

impl Encryption {
    fn options<'a>(&'a self, policy: &'a Policy) -> EncryptOptions<'a> {
        EncryptOptions {
            recipients: &self.recipients,
            passwords: &self.passwords,
            signers: &self.signers,
            signer_passphrases: &self.signer_passphrases,
            armor: self.armor,
            force_aead: self.force_aead,
            text: self.text,
            policy,
        }
    }
}

/// Decryption with secret keys or passwords, verifying signatures.
#[wasm_bindgen]
#[derive(Default)]
pub struct Decryption {
    keys: Vec<Cert>,
    key_passphrases: Vec<Password>,
    passwords: Vec<Password>,
    verification: Vec<Cert>,
    require_signature: bool,
    limits: Limits,
    session_keys: Vec<SessionKeyData>,
    return_session_key: bool,
}

#[wasm_bindgen]
impl Decryption {
    /// A new decryption.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Decryption {
        Decryption::default()
    }
    /// A secret key to decrypt with.
    #[wasm_bindgen(js_name = addKey)]
    pub fn add_key(&mut self, key: &Key) {
        self.keys.push(key.cert.clone());
    }
    /// A passphrase to try on locked secret keys.
    #[wasm_bindgen(js_name = addKeyPassphrase)]
    pub fn add_key_passphrase(&mut self, passphrase: String) {
        self.key_passphrases.push(Password::from(passphrase));
    }
    /// A message password.
    #[wasm_bindgen(js_name = addPassword)]
    pub fn add_password(&mut self, password: String) {
        self.passwords.push(Password::from(password));
    }
    /// A certificate whose signatures count.
    #[wasm_bindgen(js_name = addVerificationKey)]
    pub fn add_verification_key(&mut self, key: &Key) {
        self.verification.push(key.cert.clone());
    }
    /// Fail with `NO_VALID_SIGNATURE` unless a signature is valid.
    #[wasm_bindgen(js_name = setRequireSignature)]
    pub fn set_require_signature(&mut self, require: bool) {
        self.require_signature = require;
    }
    /// A session key (`ALGO:HEX`) to try before keys and passwords.
    #[wasm_bindgen(js_name = addSessionKey)]
    pub fn add_session_key(&mut self, session_key: &str) -> Result<(), JsValue> {
        self.session_keys
            .push(SessionKeyData::parse(session_key).js()?);
        Ok(())
    }
    /// Include the session key (`ALGO:HEX`) in the result as `sessionKey`.
    #[wasm_bindgen(js_name = setReturnSessionKey)]
    pub fn set_return_session_key(&mut self, on: bool) {
        self.return_session_key = on;
    }
    /// Caps the plaintext size (bytes); default 256 MiB.
    #[wasm_bindgen(js_name = setMaxPlaintext)]
    pub fn set_max_plaintext(&mut self, bytes: f64) -> Result<(), JsValue> {
        self.limits.max_plaintext = Some(limit_value("maxPlaintext", bytes)?);
        Ok(())
    }
    /// Sets resource limits: `{ maxPlaintext, maxCompressionRatio,
    /// maxRecipients, maxSignatures }`, each optional.
    #[wasm_bindgen(js_name = setLimits)]
    pub fn set_limits(&mut self, limits: JsValue) -> Result<(), JsValue> {
        self.limits.read(&limits, DECRYPT_LIMITS)
    }
    /// Starts a streaming decryption with these settings.
    #[wasm_bindgen(js_name = startStream)]
    pub fn start_stream(&self) -> Result<DecryptStream, JsValue> {
        let p = self.limits.policy();
        let inner = core_stream::DecryptStream::new(&DecryptOptions {
            keys: &self.keys,
            key_passphrases: &self.key_passphrases,
            passwords: &self.passwords,
            verification_certs: &self.verification,
            session_keys: &self.session_keys,
            require_signature: self.require_signature,
            policy: &p,
        })
        .js()?;
        Ok(DecryptStream { inner: Some(inner) })
    }

    /// Decrypts a message (armored or binary); returns `{ data: Uint8Array,
    /// signatures: [...], layers: {...} }`.  No plaintext on any error.
    pub fn decrypt(&self, message: JsValue) -> Result<JsValue, JsValue> {
        let msg = bytes("message", &message)?;
        let p = self.limits.policy();
        let d = decrypt::decrypt(
            &msg,
            &DecryptOptions {
                keys: &self.keys,
                key_passphrases: &self.key_passphrases,
                passwords: &self.passwords,
                verification_certs: &self.verification,
                session_keys: &self.session_keys,
                require_signature: self.require_signature,
                policy: &p,
            },
        )
        .js()?;
        let session_key = match (&d.session_key, self.return_session_key) {
            (Some(k), true) => JsValue::from_str(&k.to_text()),
            _ => JsValue::NULL,
        };
        object(&[
            ("data", Uint8Array::from(&d.data[..]).into()),
            ("signatures", to_plain(&d.signatures)?),
            ("layers", to_plain(&d.layers)?),
            ("sessionKey", session_key),
        ])
    }
}

/// Signing: inline, detached or cleartext.
#[wasm_bindgen]
pub struct Signing {
    signers: Vec<Cert>,
    passphrases: Vec<Password>,
    mode: SignMode,
    text: bool,
    armor: bool,
}

impl Default for Signing {
    fn default() -> Self {
        Signing {
            signers: Vec::new(),
            passphrases: Vec::new(),
            mode: SignMode::Inline,
            text: false,
            armor: true,
        }
    }
}

#[wasm_bindgen]
impl Signing {
    /// A new inline, binary, armored signing.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Signing {
        Signing::default()
    }
    /// A key to sign with.
    #[wasm_bindgen(js_name = addSigner)]
    pub fn add_signer(&mut self, key: &Key) {
        self.signers.push(key.cert.clone());
    }
    /// A passphrase to try on locked keys.
    #[wasm_bindgen(js_name = addPassphrase)]
    pub fn add_passphrase(&mut self, passphrase: String) {
        self.passphrases.push(Password::from(passphrase));
    }
    /// `"inline"` (default), `"detached"` or `"cleartext"`.
    #[wasm_bindgen(js_name = setMode)]
    pub fn set_mode(&mut self, mode: &str) -> Result<(), JsValue> {
        self.mode = match mode {
            "inline" => SignMode::Inline,
            "detached" => SignMode::Detached,
            "cleartext" => SignMode::Cleartext,
            _ => {
                return Err(js_sys::RangeError::new(
                    "mode must be \"inline\", \"detached\" or \"cleartext\"",
                )
                .into())
            }
        };
        Ok(())
    }
    /// Text signature (canonical line endings) instead of binary.
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: bool) {
        self.text = text;
    }
    /// ASCII armor (default) or binary output.
    #[wasm_bindgen(js_name = setArmor)]
    pub fn set_armor(&mut self, armor: bool) {
        self.armor = armor;
    }
    /// Signs `data`.
    pub fn sign(&self, data: JsValue) -> Result<Vec<u8>, JsValue> {
        let data = bytes("data", &data)?;
        let p = Policy::new();
        sign::sign(
            &data,
            &SignOptions {
                signers: &self.signers,
                passphrases: &self.passphrases,
                mode: self.mode,
                text: self.text,
                armor: self.armor,
                policy: &p,
            },
        )
        .js()
    }
}

/// Verification of inline, cleartext and detached signatures.
#[wasm_bindgen]
#[derive(Default)]
pub struct Verification {
    certs: Vec<Cert>,
    require_signature: bool,
    limits: Limits,
}

#[wasm_bindgen]
impl Verification {
    /// A new verification.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Verification {
        Verification::default()
    }
    /// A certificate whose signatures count.
    #[wasm_bindgen(js_name = addKey)]
    pub fn add_key(&mut self, key: &Key) {
        self.certs.push(key.cert.clone());
    }
    /// Fail with `NO_VALID_SIGNATURE` unless a signature is valid.
    #[wasm_bindgen(js_name = setRequireSignature)]
    pub fn set_require_signature(&mut self, require: bool) {
        self.require_signature = require;
    }
    /// Caps the data size (bytes) of inline messages; default 256 MiB.
    #[wasm_bindgen(js_name = setMaxPlaintext)]
    pub fn set_max_plaintext(&mut self, bytes: f64) -> Result<(), JsValue> {
        self.limits.max_plaintext = Some(limit_value("maxPlaintext", bytes)?);
        Ok(())
    }
    /// Sets resource limits: `{ maxPlaintext, maxCompressionRatio,
    /// maxSignatures }`, each optional.
    #[wasm_bindgen(js_name = setLimits)]
    pub fn set_limits(&mut self, limits: JsValue) -> Result<(), JsValue> {
        self.limits.read(&limits, VERIFY_LIMITS)
    }
    /// Verifies an inline or cleartext signed message: `{ data, signatures }`.
    pub fn verify(&self, message: JsValue) -> Result<JsValue, JsValue> {
        let msg = bytes("message", &message)?;
        let p = self.limits.policy();
        let v = verify::verify(
            &msg,
            &VerifyOptions {
                certs: &self.certs,
                require_signature: self.require_signature,
                policy: &p,
            },
        )
        .js()?;
        object(&[
            ("data", Uint8Array::from(&v.data[..]).into()),
            ("signatures", to_plain(&v.signatures)?),
        ])
    }
    /// Verifies a detached signature over `data`: `{ signatures }`.
    #[wasm_bindgen(js_name = verifyDetached)]
    pub fn verify_detached(&self, data: JsValue, signature: JsValue) -> Result<JsValue, JsValue> {
        let data = bytes("data", &data)?;
        let sig = bytes("signature", &signature)?;
        let p = self.limits.policy();
        let v = verify::verify_detached(
            &data,
            &sig,
            &VerifyOptions {
                certs: &self.certs,
                require_signature: self.require_signature,
                policy: &p,
            },
        )
        .js()?;
        object(&[("signatures", to_plain(&v.signatures)?)])
    }
}

/// Armors binary OpenPGP data; `kind` is guessed from the first packet
/// unless given (`"message"`, `"public-key"`, `"secret-key"`, `"signature"`).
#[wasm_bindgen]
pub fn armor(data: &[u8], kind: Option<String>) -> Result<String, JsValue> {
    let kind = kind
        .map(|k| core_armor::ArmorKind::from_name(&k))
        .transpose()
        .js()?;
    let b = core_armor::armor(data, kind).js()?;
    String::from_utf8(b).map_err(|_| invalid("armor is not UTF-8"))
}

/// A binary message armored as a `PGP MESSAGE`, as UTF-8 bytes (what
/// `Encryption.encrypt` returns when armored).
#[wasm_bindgen(js_name = armorMessage)]
pub fn armor_message(data: &[u8]) -> Result<Vec<u8>, JsValue> {
    core_armor::armor(data, Some(core_armor::ArmorKind::Message)).js()
}

/// The key IDs a message names before any decryption or verification:
/// `{ encryptionKeyIds, signingKeyIds }` (upper-case hex; hints only,
/// nothing is authenticated).
#[wasm_bindgen(js_name = messageKeyIds)]
pub fn message_key_ids(message: JsValue) -> Result<JsValue, JsValue> {
    let msg = bytes("message", &message)?;
    to_plain(&sealpost_core::packets::message_key_ids(&msg, &Policy::new()).js()?)
}

/// Removes ASCII armor.
#[wasm_bindgen]
pub fn dearmor(text: JsValue) -> Result<Vec<u8>, JsValue> {
    let b = bytes("text", &text)?;
    core_armor::dearmor(&b).js()
}

fn finished() -> JsValue {
    invalid("the stream is finished")
}

/// A streaming encryption: `push(chunk)` returns output so far, `finish()`
/// the rest.  Without `finish()` the message is truncated and will not
/// decrypt.
#[wasm_bindgen]
pub struct EncryptStream {
    inner: Option<core_stream::EncryptStream>,
}

#[wasm_bindgen]
impl EncryptStream {
    /// Output ready before any input (headers, session key packets).
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output(&mut self) -> Result<Vec<u8>, JsValue> {
        Ok(self.inner.as_mut().ok_or_else(finished)?.take_output())
    }
    /// Encrypts a chunk; returns the output produced so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.as_mut().ok_or_else(finished)?.push(chunk).js()
    }
    /// Ends the message; returns the last output.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
        self.inner.take().ok_or_else(finished)?.finish().js()
    }
}

/// A streaming decryption: `push(chunk)` returns plaintext that may be
/// released now (SEIPDv2, chunk by chunk after each tag verifies; SEIPDv1:
/// nothing until the end); `finish()` returns `{ data, signatures, layers }`
/// or throws, in which case everything released must be discarded.
#[wasm_bindgen]
pub struct DecryptStream {
    inner: Option<core_stream::DecryptStream>,
}

#[wasm_bindgen]
impl DecryptStream {
    /// Adds ciphertext; returns releasable plaintext.
    pub fn push(&mut self, chunk: Vec<u8>) -> Result<Vec<u8>, JsValue> {
        let r = self.inner.as_mut().ok_or_else(finished)?.push_vec(chunk);
        if r.is_err() {
            self.inner = None;
        }
        r.js()
    }
    /// Ends the input: `{ data, signatures, layers }`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let s = self.inner.take().ok_or_else(finished)?.finish().js()?;
        object(&[
            ("data", Uint8Array::from(&s.data[..]).into()),
            ("signatures", to_plain(&s.signatures)?),
            ("layers", to_plain(&s.layers)?),
        ])
    }
}

/// Splits an inline- or cleartext-signed message into `{ data, signatures }`
/// (binary detached signatures over `data`).  Nothing is verified.
#[wasm_bindgen(js_name = inlineDetach)]
pub fn inline_detach(message: JsValue) -> Result<JsValue, JsValue> {
    let msg = bytes("message", &message)?;
    let d = verify::detach(&msg, &Policy::new()).js()?;
    object(&[
        ("data", Uint8Array::from(&d.data[..]).into()),
        ("signatures", Uint8Array::from(&d.signatures[..]).into()),
    ])
}
