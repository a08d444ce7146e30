//! sealpost-verifier: checks that a served web app is exactly a signed, reproducible release.
//! Never does I/O: no network, files or printing; every function takes bytes and returns data.
//!
//! Synchronous.  Fetching, rebuilding and printing live in the
//! `sealpost-verify` CLI; the browser extension uses this same crate
//! compiled to wasm, so the two cannot disagree.
//!
//! - [`sri`]: Subresource Integrity per the W3C spec (parse, strongest-hash
//!   rule, match).
//! - [`html`]: what a page loads or runs (scripts, styles, preloads, import
//!   maps, inline code, `<meta>` CSP).
//! - [`csp`]: Content Security Policy checks.
//! - [`manifest`]: the signed release manifest (canonical JSON).
//! - [`date`]: the manifest's one timestamp form.
//! - [`cert`]: refreshing the pinned release certificate (self-signed updates only) and its revocation.
//! - [`compare`]: served files vs manifest → [`compare::Report`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cert;
pub mod compare;
pub mod csp;
pub mod date;
pub mod error;
pub mod html;
pub mod manifest;
pub mod sri;

pub use error::{Error, ErrorCode, Result};
