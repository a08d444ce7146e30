//! Mail: PGP/MIME (RFC 3156) with header protection (RFC 9788), inline PGP,
//! Autocrypt Level 1 and Web Key Directory.
//!
//! [`encrypt_mail`] and [`sign_mail`] build complete RFC 5322 messages;
//! [`read_mail`] takes any message (PGP/MIME encrypted or signed, inline
//! PGP, or plain) and returns what a mail client shows, with the signature
//! state bound to the `From` address.  Only the content inside the
//! encrypted or signed tree is returned as that message's content: parts
//! outside it are never mixed in.
//!
//! The types are here; building is in `compose.rs`, reading in `read.rs`,
//! header protection in `protect.rs` and the `From` binding in `binding.rs`.

pub mod autocrypt;
pub mod mime;
pub mod wkd;

mod binding;
mod compose;
mod protect;
mod read;

use openpgp::Cert;
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::policy::Policy;
use crate::report::{Layers, SignatureResult};
use crate::Password;

pub use compose::{encrypt_mail, encrypt_mail_copies, sign_mail};
pub use read::read_mail;

/// The largest message [`read_mail`] accepts, and the largest that
/// [`encrypt_mail`] / [`sign_mail`] build.
pub const MAX_MAIL_BYTES: usize = 64 * 1024 * 1024;

/// What outer `Subject` an encrypted message carries (RFC 9788's
/// `hcp_baseline`): the real one is inside, encrypted.
pub const OBSCURED_SUBJECT: &str = "[...]";

/// A file attached to a mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The file name (no directory part).
    pub filename: String,
    /// Its media type, e.g. `application/pdf`.
    pub content_type: String,
    /// Its bytes (not serialized: the bindings pass them as binary).
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// A mail to send.  Addresses are `addr@example.org` or
/// `Display Name <addr@example.org>`.
#[derive(Clone, Debug, Default)]
pub struct OutgoingMail {
    /// The author.
    pub from: String,
    /// Primary recipients (at least one).
    pub to: Vec<String>,
    /// Carbon-copy recipients.
    pub cc: Vec<String>,
    /// The subject (protected: encrypted mail shows `[...]` outside).
    pub subject: String,
    /// The plain-text body.
    pub text: Option<String>,
    /// An HTML body (sent as multipart/alternative with the text).
    pub html: Option<String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Seconds since the epoch; now if absent.
    pub date: Option<u64>,
    /// `<id@domain>`; a random one if absent.
    pub message_id: Option<String>,
    /// `Reply-To` addresses.
    pub reply_to: Vec<String>,
    /// `In-Reply-To`: the message IDs (`<id@domain>`) this one answers.
    pub in_reply_to: Vec<String>,
    /// `References`: the thread's message IDs, oldest first.
    pub references: Vec<String>,
    /// Blind-copy recipients: never written into any message.  Encrypted,
    /// each gets a copy of its own ([`encrypt_mail_copies`]); signed, the
    /// same bytes go to every recipient (the addresses belong in the SMTP
    /// envelope only).
    pub bcc: Vec<String>,
    /// Further header fields (`X-Mailer`, `Keywords`, ...), in order.  Names
    /// that the other fields, MIME or header protection own are refused.
    /// Encrypted mail carries them inside only (confidential).
    pub headers: Vec<(String, String)>,
}

/// An encrypted mail and its blind copies.
#[derive(Clone, Debug, Default)]
pub struct MailCopies {
    /// The message for the `To` and `Cc` recipients (and the sender's
    /// Sent folder): encrypted to every key but the Bcc recipients' own.
    pub message: Vec<u8>,
    /// One message per Bcc address: the same header fields and content,
    /// encrypted to the same keys plus that address's keys.  Send each to
    /// its address alone.
    pub bcc: Vec<BccCopy>,
}

/// The message for one Bcc recipient.
#[derive(Clone, Debug)]
pub struct BccCopy {
    /// The Bcc address (as given, without a display name).
    pub address: String,
    /// The message to send to it.
    pub message: Vec<u8>,
}

/// Options for [`encrypt_mail`] and [`sign_mail`].
#[derive(Clone, Copy)]
pub struct SendOptions<'a> {
    /// Recipients' certificates (include your own to read Sent mail).
    /// Ignored by [`sign_mail`].
    pub recipients: &'a [Cert],
    /// Signing keys (required for [`sign_mail`]).
    pub signers: &'a [Cert],
    /// Passphrases for locked signing keys.
    pub signer_passphrases: &'a [Password],
    /// Add an `Autocrypt:` header with the sender's key (the signer whose
    /// user ID is the `From` address), and gossip headers inside encrypted
    /// mail to several recipients.
    pub autocrypt: bool,
    /// Autocrypt's `prefer-encrypt=mutual`.
    pub prefer_encrypt_mutual: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// Options for [`read_mail`].
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Secret keys that may decrypt.
    pub keys: &'a [Cert],
    /// Passphrases for locked keys.
    pub key_passphrases: &'a [Password],
    /// Certificates whose signatures are checked (the address book).
    pub verification_certs: &'a [Cert],
    /// The policy.
    pub policy: &'a Policy,
}

/// How a message was protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    /// `multipart/encrypted` (RFC 3156 §4).
    PgpMimeEncrypted,
    /// `multipart/signed` (RFC 3156 §5).
    PgpMimeSigned,
    /// An armored OpenPGP message in a text body.
    InlineEncrypted,
    /// A cleartext-signed text body.
    InlineSigned,
    /// No OpenPGP protection.
    Plain,
}

/// The signature state to show, bound to the `From` address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureState {
    /// A valid signature by a known key that has a user ID for the `From`
    /// address.
    Verified,
    /// A valid signature, but no valid signer has the `From` address: show
    /// a warning, the mail may be forged.
    SignerMismatch,
    /// Signed, but no signature is valid (unknown key, bad signature, ...).
    Invalid,
    /// Not signed.
    Unsigned,
}

/// One signature with its binding to the sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSignature {
    /// The cryptographic result.
    #[serde(flatten)]
    pub result: SignatureResult,
    /// The signer's email addresses (from valid user IDs).
    pub signer_addresses: Vec<String>,
    /// Whether one of them is the `From` address.
    pub matches_from: bool,
}

/// A header field, decoded for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderField {
    /// The name as written.
    pub name: String,
    /// The value, RFC 2047 words decoded.
    pub value: String,
}

/// A mailbox for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Address {
    /// The display name (may be empty).
    pub name: String,
    /// The address.
    pub address: String,
}

/// A read message.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadMail {
    /// How it was protected.
    pub kind: MailKind,
    /// Whether it was encrypted.
    pub encrypted: bool,
    /// The header fields to show: the protected ones when the message
    /// carries them, else the outer ones.
    pub headers: Vec<HeaderField>,
    /// The header fields as transported (outside any protection).
    pub outer_headers: Vec<HeaderField>,
    /// Whether `headers` came from inside the protection (RFC 9788).
    pub protected_headers: bool,
    /// The author (from `headers`).
    pub from: Option<Address>,
    /// Primary recipients.
    pub to: Vec<Address>,
    /// Carbon-copy recipients.
    pub cc: Vec<Address>,
    /// The subject.
    pub subject: Option<String>,
    /// The `Date` field as written.
    pub date: Option<String>,
    /// The `Message-ID` field.
    pub message_id: Option<String>,
    /// `Reply-To` addresses.
    pub reply_to: Vec<Address>,
    /// The message IDs `In-Reply-To` names.
    pub in_reply_to: Vec<String>,
    /// The message IDs `References` names, oldest first.
    pub references: Vec<String>,
    /// The fields of `headers` that no other result field reads (not
    /// From, To, Cc, Subject, Date, Message-ID, Reply-To, In-Reply-To,
    /// References, MIME or header-protection fields): custom fields, and
    /// for unprotected mail the transport's fields too.
    pub custom_headers: Vec<HeaderField>,
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML body: render only in a sandbox without scripts or remote
    /// content.
    pub html: Option<String>,
    /// Attachments, byte-exact.
    pub attachments: Vec<Attachment>,
    /// Every signature found over the content.
    pub signatures: Vec<MailSignature>,
    /// The verdict to show.
    pub signature_state: SignatureState,
    /// Text outside an inline-PGP block was dropped (it is not protected).
    pub unprotected_text_dropped: bool,
    /// The sender's `Autocrypt:` header, if valid and for the `From` address.
    pub autocrypt: Option<autocrypt::Autocrypt>,
    /// `Autocrypt-Gossip` headers from inside an encrypted message.
    pub gossip: Vec<autocrypt::Autocrypt>,
    /// The encryption layers.
    pub layers: Layers,
    /// Some text (a body part, an encoded word, a file name) was in a
    /// charset no decoder knows: it was read as UTF-8, with replacement
    /// characters where it is not.
    pub charset_unknown: bool,
    /// Those charset labels (at most 8, each at most 40 characters).
    pub unknown_charsets: Vec<String>,
}
