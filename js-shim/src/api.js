// sealpost's public API, the one module every entry point (node.js, browser.js) re-exports: it
// only gathers the modules below.  Names and options follow OpenPGP.js v6 where the concept is
// the same; see the README's migration table for where sealpost deliberately differs.
//
// The package must never hand unencrypted secret key material to the page in worker mode (keys
// stay in the worker behind handles; exporting an unlocked key fails), never instantiate a wasm
// that does not match the SHA-384 it was built with, and has no runtime dependencies.
//
//   backend.js     which crypto instance runs the calls (worker or direct); configure, terminate
//   args.js        argument checks shared by every call
//   keys.js        Key, KeyID; generating, reading, locking, unlocking, revoking keys
//   messages.js    Message, CleartextMessage, Signature; encrypt, decrypt, sign, verify
//   streams.js     ReadableStream messages, pumped through the wasm in bounded memory
//   signatures.js  verification results in OpenPGP.js's shape
//   mail.js        PGP/MIME mail and Autocrypt
//   wkd.js         Web Key Directory
//   keyserver.js   VKS and HKP key server lookups
//   armor.js       ASCII armor
export { configure, terminate, getMode, errorCodes } from './backend.js';
export {
  Key,
  KeyID,
  Subkey,
  generateKey,
  readKey,
  readKeys,
  readPrivateKey,
  readPrivateKeys,
  reformatKey,
  decryptKey,
  encryptKey,
  changeKeyPassphrase,
  revokeKey,
  supportedKeyTypes,
} from './keys.js';
export {
  Message,
  CleartextMessage,
  Signature,
  createMessage,
  readMessage,
  createCleartextMessage,
  readCleartextMessage,
  readSignature,
  encrypt,
  decrypt,
  sign,
  verify,
  inlineDetach,
  generateSessionKey,
  encryptSessionKey,
  decryptSessionKeys,
} from './messages.js';
export { encryptMail, signMail, decryptMail, autocryptHeader } from './mail.js';
export { wkdUrls, wkdLookup } from './wkd.js';
export { vksLookup, hkpLookup } from './keyserver.js';
export { armor, unarmor } from './armor.js';
