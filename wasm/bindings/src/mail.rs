//! Mail exports: PGP/MIME compose and read, Autocrypt and WKD helpers.

use js_sys::{Array, Reflect, Uint8Array};
use sealpost_core::mail::{
    self, autocrypt, wkd, Attachment, OutgoingMail, ReadOptions, SendOptions,
};
use sealpost_core::{Cert, Password, Policy};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{bytes, field, number_field, string_field, strings_field, to_plain};
use crate::error::{invalid, IntoJs};
use crate::keys::Key;

/// Composes (encrypt/sign) and reads mail; add keys, then run.
#[wasm_bindgen(js_name = MailOperation)]
#[derive(Default)]
pub struct MailOperation {
    recipients: Vec<Cert>,
    signers: Vec<Cert>,
    signer_passphrases: Vec<Password>,
    keys: Vec<Cert>,
    key_passphrases: Vec<Password>,
    verification: Vec<Cert>,
    autocrypt: bool,
    prefer_mutual: bool,
}

fn mail_from_js(v: &JsValue) -> Result<OutgoingMail, JsValue> {
    if !v.is_object() {
        return Err(js_sys::TypeError::new("mail must be an object").into());
    }
    let from = string_field(v, "from")?.ok_or_else(|| invalid("mail.from is required"))?;
    let date = match number_field(v, "date")? {
        None => None,
        Some(n) if n.is_finite() && n >= 0.0 => Some(n as u64),
        Some(_) => return Err(invalid("mail.date must be seconds since the epoch")),
    };
    let mut attachments = Vec::new();
    if let Some(list) = field(v, "attachments")? {
        let list = list
            .dyn_into::<Array>()
            .map_err(|_| js_sys::TypeError::new("mail.attachments must be an array"))?;
        for a in list.iter() {
            attachments.push(Attachment {
                filename: string_field(&a, "filename")?
                    .ok_or_else(|| invalid("attachment.filename is required"))?,
                content_type: string_field(&a, "contentType")?
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                data: bytes(
                    "attachment.data",
                    &field(&a, "data")?.ok_or_else(|| invalid("attachment.data is required"))?,
                )?,
            });
        }
    }
    let mut headers = Vec::new();
    if let Some(list) = field(v, "headers")? {
        let list = list
            .dyn_into::<Array>()
            .map_err(|_| js_sys::TypeError::new("mail.headers must be an array of pairs"))?;
        for pair in list.iter() {
            let pair = pair
                .dyn_into::<Array>()
                .ok()
                .filter(|p| p.length() == 2)
                .and_then(|p| Some((p.get(0).as_string()?, p.get(1).as_string()?)))
                .ok_or_else(|| {
                    js_sys::TypeError::new("mail.headers must be [name, value] string pairs")
                })?;
            headers.push(pair);
        }
    }
    Ok(OutgoingMail {
        from,
        to: strings_field(v, "to")?,
        cc: strings_field(v, "cc")?,
        reply_to: strings_field(v, "replyTo")?,
        in_reply_to: strings_field(v, "inReplyTo")?,
        references: strings_field(v, "references")?,
        bcc: strings_field(v, "bcc")?,
        headers,
        subject: string_field(v, "subject")?.unwrap_or_default(),
        text: string_field(v, "text")?,
        html: string_field(v, "html")?,
        attachments,
        date,
        message_id: string_field(v, "messageId")?,
    })
}

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `TextDecoder` (in the page, the worker or Node).
    #[wasm_bindgen(js_name = TextDecoder)]
    type PlatformDecoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    fn new(label: &str) -> Result<PlatformDecoder, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn encoding(this: &PlatformDecoder) -> String;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &PlatformDecoder, bytes: &[u8]) -> Result<String, JsValue>;
}

/// Decodes the charsets the core has no table for with the platform's
/// `TextDecoder`, so the module carries none.  A label it does not know
/// (a `RangeError`), or one it maps to the `replacement` encoding, is
/// unknown.  Labels it maps to windows-1252 or UTF-8 are decoded by the
/// core (Node 20's windows-1252 is Latin-1).
fn platform_decode(label: &str, bytes: &[u8]) -> Option<String> {
    let decoder = PlatformDecoder::new(label).ok()?;
    match decoder.encoding().as_str() {
        "replacement" => None,
        "windows-1252" => Some(mail::mime::decode_charset(bytes, "windows-1252")),
        "utf-8" => Some(String::from_utf8_lossy(bytes).into_owned()),
        _ => decoder.decode(bytes).ok(),
    }
}

/// A plain object with binary fields set on it after serialization.
fn with_bytes<T: Serialize>(value: &T, binary: &[(&str, &[u8])]) -> Result<JsValue, JsValue> {
    let o = to_plain(value)?;
    for (name, data) in binary {
        Reflect::set(&o, &JsValue::from_str(name), &Uint8Array::from(*data))?;
    }
    Ok(o)
}

fn autocrypt_js(a: &autocrypt::Autocrypt) -> Result<JsValue, JsValue> {
    let data = sealpost_core::keys::write_cert(&a.cert, false, false).js()?;
    with_bytes(a, &[("keyData", &data)])
}

#[wasm_bindgen(js_class = MailOperation)]
impl MailOperation {
    /// A new mail operation.
    #[wasm_bindgen(constructor)]
    pub fn new() -> MailOperation {
        MailOperation::default()
    }
    /// Encrypts to `key` (composing).
    #[wasm_bindgen(js_name = addRecipient)]
    pub fn add_recipient(&mut self, key: &Key) {
        self.recipients.push(key.cert.clone());
    }
    /// Signs with `key` (composing).
    #[wasm_bindgen(js_name = addSigner)]
    pub fn add_signer(&mut self, key: &Key) {
        self.signers.push(key.cert.clone());
    }
    /// A passphrase for locked signing keys.
    #[wasm_bindgen(js_name = addSignerPassphrase)]
    pub fn add_signer_passphrase(&mut self, passphrase: String) {
        self.signer_passphrases.push(Password::from(passphrase));
    }
    /// A key that may decrypt (reading).
    #[wasm_bindgen(js_name = addKey)]
    pub fn add_key(&mut self, key: &Key) {
        self.keys.push(key.cert.clone());
    }
    /// A passphrase for locked decryption keys.
    #[wasm_bindgen(js_name = addKeyPassphrase)]
    pub fn add_key_passphrase(&mut self, passphrase: String) {
        self.key_passphrases.push(Password::from(passphrase));
    }
    /// A certificate whose signatures are checked (reading).
    #[wasm_bindgen(js_name = addVerificationKey)]
    pub fn add_verification_key(&mut self, key: &Key) {
        self.verification.push(key.cert.clone());
    }
    /// Adds Autocrypt headers when composing.
    #[wasm_bindgen(js_name = setAutocrypt)]
    pub fn set_autocrypt(&mut self, on: bool, prefer_encrypt_mutual: bool) {
        self.autocrypt = on;
        self.prefer_mutual = prefer_encrypt_mutual;
    }

    fn send_options<'a>(&'a self, p: &'a Policy) -> SendOptions<'a> {
        SendOptions {
            recipients: &self.recipients,
            signers: &self.signers,
            signer_passphrases: &self.signer_passphrases,
            autocrypt: self.autocrypt,
            prefer_encrypt_mutual: self.prefer_mutual,
            policy: p,
        }
    }

    /// A PGP/MIME encrypted (and signed, with signers) RFC 5322 message;
    /// with Bcc recipients `{ message, bcc: [{ address, message }] }`.
    pub fn encrypt(&self, message: JsValue) -> Result<JsValue, JsValue> {
        let m = mail_from_js(&message)?;
        let p = Policy::new();
        let out = mail::encrypt_mail_copies(&m, &self.send_options(&p)).js()?;
        let main = Uint8Array::from(&out.message[..]);
        if m.bcc.is_empty() {
            return Ok(main.into());
        }
        let copies = Array::new();
        for c in &out.bcc {
            copies.push(&crate::convert::object(&[
                ("address", JsValue::from_str(&c.address)),
                ("message", Uint8Array::from(&c.message[..]).into()),
            ])?);
        }
        crate::convert::object(&[("message", main.into()), ("bcc", copies.into())])
    }

    /// A PGP/MIME signed (multipart/signed) RFC 5322 message.
    pub fn sign(&self, message: JsValue) -> Result<Uint8Array, JsValue> {
        let m = mail_from_js(&message)?;
        let p = Policy::new();
        let out = mail::sign_mail(&m, &self.send_options(&p)).js()?;
        Ok(Uint8Array::from(&out[..]))
    }

    /// Reads any message: PGP/MIME, inline PGP or plain.
    pub fn read(&self, message: JsValue) -> Result<JsValue, JsValue> {
        let msg = bytes("message", &message)?;
        let p = Policy::new();
        mail::mime::set_charset_decoder(platform_decode);
        let r = mail::read_mail(
            &msg,
            &ReadOptions {
                keys: &self.keys,
                key_passphrases: &self.key_passphrases,
                verification_certs: &self.verification,
                policy: &p,
            },
        )
        .js()?;
        let o = to_plain(&r)?;
        let attachments = Array::new();
        for a in &r.attachments {
            attachments.push(&with_bytes(a, &[("data", &a.data)])?);
        }
        Reflect::set(&o, &"attachments".into(), &attachments)?;
        let autocrypt = match &r.autocrypt {
            Some(a) => autocrypt_js(a)?,
            None => JsValue::NULL,
        };
        Reflect::set(&o, &"autocrypt".into(), &autocrypt)?;
        let gossip = Array::new();
        for g in &r.gossip {
            gossip.push(&autocrypt_js(g)?);
        }
        Reflect::set(&o, &"gossip".into(), &gossip)?;
        Ok(o)
    }
}

/// The WKD lookup URLs for an address: `{ hash, advanced, direct }`.
#[wasm_bindgen(js_name = wkdUrls)]
pub fn wkd_urls(address: &str) -> Result<JsValue, JsValue> {
    to_plain(&wkd::urls(address).js()?)
}

/// The keys of a WKD answer that are valid and carry the address.
#[wasm_bindgen(js_name = wkdSelect)]
pub fn wkd_select(response: JsValue, address: &str) -> Result<Vec<Key>, JsValue> {
    let data = bytes("response", &response)?;
    let certs = wkd::select(&data, address, &Policy::new()).js()?;
    Ok(certs.into_iter().map(|cert| Key { cert }).collect())
}

/// An `Autocrypt:` header value for `key` and `address` (folded).
#[wasm_bindgen(js_name = autocryptHeader)]
pub fn autocrypt_header(
    key: &Key,
    address: &str,
    prefer_encrypt_mutual: bool,
) -> Result<String, JsValue> {
    autocrypt::header_value(
        &address.to_lowercase(),
        &key.cert,
        prefer_encrypt_mutual,
        &Policy::new(),
    )
    .js()
}
