//! Key handles and key management exports.

use std::time::Duration;

use sealpost_core::keys::{self as core_keys, GenerateOptions, KeyType, RevocationReason};
use sealpost_core::{Cert, Password, Policy};
use wasm_bindgen::prelude::*;

use crate::convert::{
    bool_field, bytes, number_field, object, string_field, strings_field, to_plain,
};
use crate::error::{invalid, IntoJs};

/// An OpenPGP key or certificate held in wasm memory.  Secret material
/// never leaves wasm unless `toArmored(true)`/`toBytes(true)` is called.
#[wasm_bindgen]
#[derive(Clone)]
pub struct Key {
    pub(crate) cert: Cert,
}

#[wasm_bindgen]
impl Key {
    /// Primary key fingerprint (upper-case hex).
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.cert.fingerprint().to_hex()
    }

    /// Primary key ID (upper-case hex).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.cert.keyid().to_hex()
    }

    /// Whether this key has secret key material.
    #[wasm_bindgen(js_name = isPrivate)]
    pub fn is_private(&self) -> bool {
        core_keys::is_secret(&self.cert)
    }

    /// Whether any secret key material is locked (passphrase-encrypted).
    #[wasm_bindgen(js_name = isLocked)]
    pub fn is_locked(&self) -> bool {
        core_keys::is_locked(&self.cert)
    }

    /// Everything about the key as a plain object: user IDs, subkeys with
    /// algorithms and flags, creation, expiry, revocation, validity.
    pub fn info(&self) -> Result<JsValue, JsValue> {
        to_plain(&core_keys::inspect(&self.cert, &Policy::new()))
    }

    /// Armored text.  `secret` includes secret key material (as stored:
    /// locked stays locked).
    #[wasm_bindgen(js_name = toArmored)]
    pub fn to_armored(&self, secret: Option<bool>) -> Result<String, JsValue> {
        let b = core_keys::write_cert(&self.cert, secret.unwrap_or(false), true).js()?;
        String::from_utf8(b).map_err(|_| invalid("armor is not UTF-8"))
    }

    /// Binary (unarmored) bytes.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self, secret: Option<bool>) -> Result<Vec<u8>, JsValue> {
        core_keys::write_cert(&self.cert, secret.unwrap_or(false), false).js()
    }

    /// The public certificate.
    #[wasm_bindgen(js_name = toPublic)]
    pub fn to_public(&self) -> Key {
        Key {
            cert: core_keys::public_cert(&self.cert),
        }
    }

    /// A copy of this key object.
    #[wasm_bindgen(js_name = clone)]
    pub fn clone_key(&self) -> Key {
        self.clone()
    }
}

/// Generates a key.  Options: `userIDs` (string or array), `type`
/// (`"curve25519"` default, `"curve448"`, `"rsa3072"`, `"rsa4096"`,
/// `"p256"`, `"p384"`, `"p521"`, `"pqc-mldsa65-ed25519"`,
/// `"pqc-mldsa87-ed448"`), `version` (4 or 6), `passphrase`,
/// `keyExpirationTime` (seconds, 0 = never), `aead` (v4 keys advertise
/// SEIPDv2).  Returns `{ privateKey: Key, revocationCertificate: string }`.
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(options: JsValue) -> Result<JsValue, JsValue> {
    let key_type = match string_field(&options, "type")? {
        Some(t) => KeyType::from_name(&t).js()?,
        None => KeyType::Curve25519,
    };
    let version = match number_field(&options, "version")? {
        None => None,
        Some(v) if v == 4.0 || v == 6.0 => Some(v as u8),
        Some(_) => return Err(js_sys::RangeError::new("version must be 4 or 6").into()),
    };
    let expires_in = match number_field(&options, "keyExpirationTime")? {
        None => None,
        Some(0.0) => None,
        Some(s) if s.is_finite() && s > 0.0 && s < 2f64.powi(32) => {
            Some(Duration::from_secs(s as u64))
        }
        Some(_) => {
            return Err(js_sys::RangeError::new(
                "keyExpirationTime must be a positive number of seconds below 2^32",
            )
            .into())
        }
    };
    let opts = GenerateOptions {
        user_ids: strings_field(&options, "userIDs")?,
        key_type,
        version,
        expires_in,
        passphrase: string_field(&options, "passphrase")?.map(Password::from),
        creation_time: None,
        v4_aead: bool_field(&options, "aead")?.unwrap_or(false),
    };
    let g = core_keys::generate(&opts).js()?;
    let rev =
        String::from_utf8(g.revocation_certificate).map_err(|_| invalid("armor is not UTF-8"))?;
    object(&[
        ("privateKey", Key { cert: g.cert }.into()),
        ("revocationCertificate", rev.into()),
    ])
}

/// The key types this build can generate; with `withFullModule`, also those
/// only the full module has (what a package that fetches it on demand can do).
#[wasm_bindgen(js_name = supportedKeyTypes)]
pub fn supported_key_types(with_full_module: Option<bool>) -> Vec<String> {
    let with_full = with_full_module.unwrap_or(false);
    KeyType::ALL
        .iter()
        .filter(|k| {
            if with_full {
                k.is_supported_by_full_build()
            } else {
                k.is_supported()
            }
        })
        .map(|k| k.name().to_string())
        .collect()
}

/// Reads one key (armored string or binary `Uint8Array`).
#[wasm_bindgen(js_name = readKey)]
pub fn read_key(data: JsValue) -> Result<Key, JsValue> {
    // Zeroed once read: the input may be an unlocked secret key (the shim moves keys between
    // modules this way, inside the worker).
    let b = sealpost_core::Zeroizing::new(bytes("key", &data)?);
    Ok(Key {
        cert: core_keys::read_cert(&b).js()?,
    })
}

/// Reads any number of keys (a keyring).
#[wasm_bindgen(js_name = readKeys)]
pub fn read_keys(data: JsValue) -> Result<Vec<Key>, JsValue> {
    let b = sealpost_core::Zeroizing::new(bytes("keys", &data)?);
    Ok(core_keys::read_certs(&b)
        .js()?
        .into_iter()
        .map(|cert| Key { cert })
        .collect())
}

/// Returns an unlocked copy of `key` (the original stays as it is).
#[wasm_bindgen(js_name = unlockKey)]
pub fn unlock_key(key: &Key, passphrase: String) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::unlock(&key.cert, &Password::from(passphrase), &Policy::new()).js()?,
    })
}

/// Returns a copy of `key` with all secret material locked.
#[wasm_bindgen(js_name = lockKey)]
pub fn lock_key(key: &Key, passphrase: String) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::lock(&key.cert, &Password::from(passphrase)).js()?,
    })
}

/// Re-locks `key` under a new passphrase.
#[wasm_bindgen(js_name = changePassphrase)]
pub fn change_passphrase(key: &Key, old: String, new: String) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::change_passphrase(
            &key.cert,
            &Password::from(old),
            &Password::from(new),
            &Policy::new(),
        )
        .js()?,
    })
}

fn reason(r: Option<String>) -> Result<RevocationReason, JsValue> {
    RevocationReason::from_name(r.as_deref().unwrap_or("unspecified")).js()
}

/// Returns `key` revoked.  `reason`: `"unspecified"`, `"superseded"`,
/// `"compromised"` or `"retired"`.
#[wasm_bindgen(js_name = revokeKey)]
pub fn revoke_key(
    key: &Key,
    reason_name: Option<String>,
    message: Option<String>,
    passphrase: Option<String>,
) -> Result<Key, JsValue> {
    let pp: Vec<Password> = passphrase.into_iter().map(Password::from).collect();
    Ok(Key {
        cert: core_keys::revoke(
            &key.cert,
            reason(reason_name)?,
            message.as_deref().unwrap_or(""),
            &pp,
            &Policy::new(),
        )
        .js()?,
    })
}

/// An armored revocation certificate for `key`.
#[wasm_bindgen(js_name = revocationCertificate)]
pub fn revocation_certificate(
    key: &Key,
    reason_name: Option<String>,
    message: Option<String>,
    passphrase: Option<String>,
) -> Result<String, JsValue> {
    let pp: Vec<Password> = passphrase.into_iter().map(Password::from).collect();
    let b = core_keys::revocation_certificate(
        &key.cert,
        reason(reason_name)?,
        message.as_deref().unwrap_or(""),
        &pp,
        &Policy::new(),
    )
    .js()?;
    String::from_utf8(b).map_err(|_| invalid("armor is not UTF-8"))
}

/// Merges an update of the same key (e.g. a revocation certificate).
#[wasm_bindgen(js_name = mergeKey)]
pub fn merge_key(key: &Key, update: &Key) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::merge(&key.cert, &update.cert).js()?,
    })
}

/// A new key with `userId` added, bound by the (unlocked) primary key.
#[wasm_bindgen(js_name = addUserId)]
pub fn add_user_id(key: &Key, user_id: &str) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::add_user_id(&key.cert, user_id, &[], &Policy::new()).js()?,
    })
}

/// A new key expiring `seconds` after its creation (0: never), signed by
/// the (unlocked) primary key.
#[wasm_bindgen(js_name = setExpiration)]
pub fn set_expiration(key: &Key, seconds: f64) -> Result<Key, JsValue> {
    if !(seconds.is_finite()
        && seconds >= 0.0
        && seconds.fract() == 0.0
        && seconds <= u32::MAX as f64)
    {
        return Err(js_sys::RangeError::new(
            "the expiration time is a whole number of seconds, 0 to 2^32 - 1",
        )
        .into());
    }
    let after = (seconds > 0.0).then(|| Duration::from_secs(seconds as u64));
    Ok(Key {
        cert: core_keys::set_expiration(&key.cert, after, &[], &Policy::new()).js()?,
    })
}

/// A new key whose valid user IDs are certified by `signer`'s (unlocked)
/// primary key.
#[wasm_bindgen(js_name = certifyUserIds)]
pub fn certify_user_ids(key: &Key, signer: &Key) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::certify_user_ids(
            &key.cert,
            std::slice::from_ref(&signer.cert),
            &[],
            &Policy::new(),
        )
        .js()?,
    })
}

/// Seconds of validity from an options field: absent or 0 is none.
fn validity_field(options: &JsValue, name: &str) -> Result<Option<Duration>, JsValue> {
    match number_field(options, name)? {
        None | Some(0.0) => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s.fract() == 0.0 && s < 2f64.powi(32) => {
            Ok(Some(Duration::from_secs(s as u64)))
        }
        Some(_) => Err(js_sys::RangeError::new(&format!(
            "{name} must be a whole number of seconds below 2^32"
        ))
        .into()),
    }
}

/// OpenPGP.js's reformatKey: the key's own key material (every secret
/// unlocked) bound anew.  Options: `userIDs` (strings; the first primary),
/// `keyExpirationTime` (seconds from each key's creation, 0 = never),
/// `aead` (a v4 key advertises SEIPDv2).  Returns `{ privateKey: Key,
/// revocationCertificate: string }`; the secret material stays unlocked.
#[wasm_bindgen(js_name = reformatKey)]
pub fn reformat_key(key: &Key, options: JsValue) -> Result<JsValue, JsValue> {
    let opts = core_keys::ReformatOptions {
        user_ids: strings_field(&options, "userIDs")?,
        expires_in: validity_field(&options, "keyExpirationTime")?,
        v4_aead: bool_field(&options, "aead")?.unwrap_or(false),
    };
    let r = core_keys::reformat(&key.cert, &opts, &Policy::new()).js()?;
    let rev =
        String::from_utf8(r.revocation_certificate).map_err(|_| invalid("armor is not UTF-8"))?;
    object(&[
        ("privateKey", Key { cert: r.cert }.into()),
        ("revocationCertificate", rev.into()),
    ])
}

/// OpenPGP.js's key.addSubkey: a new key with a fresh subkey bound by the
/// (unlocked) primary key.  Options: `type` (a sealpost key type name;
/// absent: the primary key's), `sign` (a signing subkey), `keyExpirationTime`
/// (seconds from the subkey's creation, 0 = never).
#[wasm_bindgen(js_name = addSubkey)]
pub fn add_subkey(key: &Key, options: JsValue) -> Result<Key, JsValue> {
    let opts = core_keys::SubkeyOptions {
        key_type: match string_field(&options, "type")? {
            Some(t) => Some(KeyType::from_name(&t).js()?),
            None => None,
        },
        sign: bool_field(&options, "sign")?.unwrap_or(false),
        expires_in: validity_field(&options, "keyExpirationTime")?,
    };
    Ok(Key {
        cert: core_keys::add_subkey(&key.cert, &opts, &[], &Policy::new()).js()?,
    })
}

/// `key`'s public parts with `from`'s secret packets for the keys `from`
/// holds (e.g. a locked form); other keys keep `key`'s own.
#[wasm_bindgen(js_name = withSecretsOf)]
pub fn with_secrets_of(key: &Key, from: &Key) -> Result<Key, JsValue> {
    Ok(Key {
        cert: core_keys::with_secrets_of(&key.cert, &from.cert).js()?,
    })
}
