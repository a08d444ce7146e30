//! Binds signature results to the `From` address: which signer's user IDs
//! carry it, and the one state a mail client shows.

use super::{autocrypt, Address, MailSignature, ReadOptions, SignatureState};
use crate::report::SignatureResult;

pub(super) fn bind_signatures(
    results: Vec<SignatureResult>,
    from: Option<&Address>,
    opts: &ReadOptions<'_>,
) -> (Vec<MailSignature>, SignatureState) {
    let from = from.map(|a| a.address.to_lowercase());
    let sigs: Vec<MailSignature> = results
        .into_iter()
        .map(|result| {
            let cert = result.signer_fingerprint.as_ref().and_then(|fp| {
                opts.verification_certs
                    .iter()
                    .find(|c| c.fingerprint().to_hex() == *fp)
            });
            let signer_addresses = cert
                .map(|c| autocrypt::addresses(c, opts.policy))
                .unwrap_or_default();
            let matches_from = result.valid
                && from
                    .as_ref()
                    .is_some_and(|f| signer_addresses.iter().any(|a| a == f));
            MailSignature {
                result,
                signer_addresses,
                matches_from,
            }
        })
        .collect();
    let state = if sigs.iter().any(|s| s.matches_from) {
        SignatureState::Verified
    } else if sigs.iter().any(|s| s.result.valid) {
        SignatureState::SignerMismatch
    } else if !sigs.is_empty() {
        SignatureState::Invalid
    } else {
        SignatureState::Unsigned
    };
    (sigs, state)
}
