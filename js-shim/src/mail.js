// Mail: PGP/MIME composing (encryptMail, signMail) and reading (decryptMail), and Autocrypt
// headers.  The MIME work happens in the wasm; this checks arguments and shapes results.
import { current } from './backend.js';
import { OPTIONS } from './options.js';
import { checkBytes, checkOptions, checkString, optionalStrings } from './args.js';
import { holding, keyList } from './keys.js';
import { signatureResults } from './signatures.js';
import { checkSignal, runCall } from './abort.js';

const enc = new TextEncoder();

/** Message IDs: a string of `<id@domain>` separated by white space, or an array of them. */
function messageIds(name, v) {
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  return optionalStrings(name, v);
}

/**
 * Custom header fields: `{ 'X-Foo': 'bar' }` or `[['X-Foo', 'bar'], ...]` (a field may repeat in the
 * list form).  Only the shape is checked here; names and values are checked in the wasm
 * (INVALID_ARGUMENT: line breaks, control characters, names that an option, MIME or header
 * protection owns).
 */
function customHeaders(v) {
  if (v === undefined) return [];
  const pairs = Array.isArray(v) ? v : (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype ? Object.entries(v) : null);
  if (pairs === null) throw new TypeError("mail.headers must be an object { name: value } or an array of [name, value] pairs");
  return pairs.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') throw new TypeError(`mail.headers[${i}] must be a [name, value] pair of strings`);
    return [p[0], p[1]];
  });
}

function mailArgs(call, mail) {
  checkOptions(call, mail, OPTIONS.mail, 'mail');
  const { from, to, cc, bcc, replyTo, inReplyTo, references, headers, subject = '', text, html, attachments = [], date, messageId } = mail;
  checkString('mail.from', from);
  checkString('mail.subject', subject);
  if (text !== undefined) checkString('mail.text', text);
  if (html !== undefined) checkString('mail.html', html);
  if (messageId !== undefined) checkString('mail.messageId', messageId);
  if (date !== undefined && !(date instanceof Date && Number.isFinite(date.getTime()))) throw new TypeError('mail.date must be a valid Date');
  if (!Array.isArray(attachments)) throw new TypeError('mail.attachments must be an array');
  return {
    from,
    to: optionalStrings('mail.to', to),
    cc: optionalStrings('mail.cc', cc),
    bcc: optionalStrings('mail.bcc', bcc),
    replyTo: optionalStrings('mail.replyTo', replyTo),
    inReplyTo: messageIds('mail.inReplyTo', inReplyTo),
    references: messageIds('mail.references', references),
    headers: customHeaders(headers),
    subject,
    text,
    html,
    messageId,
    date: date === undefined ? undefined : Math.floor(date.getTime() / 1000),
    attachments: attachments.map((a, i) => {
      checkOptions(call, a, OPTIONS.attachment, `mail.attachments[${i}]`);
      checkString(`mail.attachments[${i}].filename`, a.filename);
      if (a.contentType !== undefined) checkString(`mail.attachments[${i}].contentType`, a.contentType);
      const data = typeof a.data === 'string' ? enc.encode(a.data) : a.data;
      checkBytes(`mail.attachments[${i}].data`, data);
      return { filename: a.filename, contentType: a.contentType ?? 'application/octet-stream', data };
    }),
  };
}

function autocryptOptions(call, autocrypt, name = 'autocrypt') {
  if (autocrypt === undefined || autocrypt === false) return { autocrypt: false, preferMutual: false };
  if (autocrypt === true) return { autocrypt: true, preferMutual: false };
  checkOptions(call, autocrypt, OPTIONS.autocrypt, name);
  const { preferEncrypt = 'nopreference' } = autocrypt;
  if (!['mutual', 'nopreference'].includes(preferEncrypt)) throw new RangeError("autocrypt.preferEncrypt must be 'mutual' or 'nopreference'");
  return { autocrypt: true, preferMutual: preferEncrypt === 'mutual' };
}

/**
 * Composes an encrypted PGP/MIME mail (RFC 3156, headers protected per RFC 9788):
 * encryptMail(mail, { encryptionKeys, signingKeys, autocrypt }) → the RFC 5322 message bytes.
 * Include your own key in encryptionKeys to read the Sent copy.
 * With mail.bcc: { message, bcc: [{ address, message }] }: `message` (encrypted to every key but the
 * Bcc recipients' own) goes to the To and Cc addresses, each Bcc copy to its address alone; no
 * message names a Bcc address.
 */
export async function encryptMail(mail, options = {}) {
  checkOptions('encryptMail', options, OPTIONS.encryptMail);
  const recipients = keyList('encryptionKeys', options.encryptionKeys);
  if (recipients.length === 0) throw new TypeError('encryptionKeys is required');
  const signal = checkSignal(options.signal);
  return holding([options.encryptionKeys, options.signingKeys], runCall(current(), 'encryptMail', [{
    mail: mailArgs('encryptMail', mail),
    recipients,
    signers: keyList('signingKeys', options.signingKeys, { privateOnly: true }),
    ...autocryptOptions('encryptMail', options.autocrypt),
  }], signal));
}

/** Composes a signed, unencrypted PGP/MIME mail (multipart/signed): signMail(mail, { signingKeys, autocrypt }). */
export async function signMail(mail, options = {}) {
  checkOptions('signMail', options, OPTIONS.signMail);
  const signers = keyList('signingKeys', options.signingKeys, { privateOnly: true });
  if (signers.length === 0) throw new TypeError('signingKeys is required');
  const signal = checkSignal(options.signal);
  return holding(options.signingKeys, runCall(current(), 'signMail', [{ mail: mailArgs('signMail', mail), signers, ...autocryptOptions('signMail', options.autocrypt) }], signal));
}

/**
 * Reads a mail: PGP/MIME encrypted or signed, inline PGP, or plain.
 * decryptMail(bytes, { decryptionKeys, verificationKeys }) → { from, to, cc, subject, date, text, html,
 * attachments, signatureState, signatures, protectedHeaders, headers, outerHeaders, autocrypt, gossip, ... }.
 * signatureState is 'verified' only for a valid signature by a verificationKeys key whose user ID is
 * the From address; 'signer-mismatch' must be shown as a warning.
 */
export async function decryptMail(message, options = {}) {
  const data = typeof message === 'string' ? enc.encode(message) : message;
  checkBytes('message', data);
  checkOptions('decryptMail', options, OPTIONS.decryptMail);
  const signal = checkSignal(options.signal);
  const r = await holding([options.decryptionKeys, options.verificationKeys], runCall(current(), 'readMail', [{
    data,
    keys: keyList('decryptionKeys', options.decryptionKeys, { privateOnly: true }),
    verification: keyList('verificationKeys', options.verificationKeys),
  }], signal));
  const results = signatureResults(r.signatures);
  // Fingerprints are lower-case hex everywhere in the JS API.
  const lower = (a) => a && { ...a, fingerprint: a.fingerprint.toLowerCase() };
  r.autocrypt = lower(r.autocrypt);
  r.gossip = (r.gossip ?? []).map(lower);
  r.signatures.forEach((s, i) => {
    results[i].signerAddresses = s.signerAddresses;
    results[i].matchesFrom = s.matchesFrom;
  });
  return { ...r, signatures: results };
}

/** An Autocrypt header value (folded, without "Autocrypt: ") for key and address. */
export async function autocryptHeader(key, address, options = {}) {
  const [handle] = keyList('key', key);
  checkString('address', address);
  const { preferMutual } = autocryptOptions('autocryptHeader', options, 'options');
  return holding(key, current().call('autocryptHeader', handle, address, preferMutual));
}
