// The options every public call takes (and the config keys it honours): the one table the
// calls check their arguments against (args.js checkOptions / checkConfig), and that
// test/types/runtime.ts compares with index.d.ts, so that the declarations and the runtime
// cannot drift apart.
export const OPTIONS = /** @type {const} */ ({
  configure: ['mode', 'wasmUrl', 'workerUrl', 'fullWasmUrl', 'createWorker', 'callTimeout'],
  generateKey: ['userIDs', 'type', 'curve', 'rsaBits', 'passphrase', 'keyExpirationTime', 'format', 'config', 'signal'],
  reformatKey: ['privateKey', 'userIDs', 'passphrase', 'keyExpirationTime', 'format', 'config', 'signal'],
  addSubkey: ['type', 'curve', 'rsaBits', 'keyExpirationTime', 'sign', 'config'],
  userID: ['name', 'email', 'comment'],
  readKey: ['armoredKey', 'binaryKey', 'config'],
  readKeys: ['armoredKeys', 'binaryKeys', 'armoredKey', 'binaryKey', 'config'],
  readPrivateKeys: ['armoredKeys', 'binaryKeys', 'config'],
  decryptKey: ['privateKey', 'passphrase', 'lockAfter', 'config', 'signal'],
  encryptKey: ['privateKey', 'passphrase', 'config', 'signal'],
  changeKeyPassphrase: ['privateKey', 'oldPassphrase', 'newPassphrase', 'signal'],
  revokeKey: ['key', 'reasonForRevocation', 'revocationCertificate', 'format', 'config'],
  reasonForRevocation: ['flag', 'string'],
  createMessage: ['text', 'binary', 'filename'],
  readMessage: ['armoredMessage', 'binaryMessage', 'config'],
  createCleartextMessage: ['text'],
  readCleartextMessage: ['cleartextMessage', 'config'],
  readSignature: ['armoredSignature', 'binarySignature', 'config'],
  encrypt: ['message', 'encryptionKeys', 'signingKeys', 'passwords', 'sessionKey', 'format', 'config', 'stream', 'signal', 'onProgress'],
  decrypt: ['message', 'decryptionKeys', 'passwords', 'sessionKeys', 'verificationKeys', 'expectSigned', 'format', 'config', 'maxPlaintext', 'limits', 'stream', 'returnSessionKey', 'signal', 'onProgress'],
  sessionKey: ['data', 'algorithm', 'aeadAlgorithm'],
  generateSessionKey: ['encryptionKeys', 'config'],
  encryptSessionKey: ['data', 'algorithm', 'aeadAlgorithm', 'encryptionKeys', 'passwords', 'format', 'config', 'signal'],
  decryptSessionKeys: ['message', 'decryptionKeys', 'passwords', 'config', 'signal'],
  sign: ['message', 'signingKeys', 'detached', 'format', 'config', 'signal'],
  verify: ['message', 'signature', 'verificationKeys', 'expectSigned', 'format', 'config', 'maxPlaintext', 'limits', 'signal'],
  mail: ['from', 'to', 'cc', 'bcc', 'replyTo', 'inReplyTo', 'references', 'headers', 'subject', 'text', 'html', 'attachments', 'date', 'messageId'],
  attachment: ['filename', 'contentType', 'data'],
  autocrypt: ['preferEncrypt'],
  encryptMail: ['encryptionKeys', 'signingKeys', 'autocrypt', 'signal'],
  signMail: ['signingKeys', 'autocrypt', 'signal'],
  decryptMail: ['decryptionKeys', 'verificationKeys', 'signal'],
  wkdLookup: ['fetch', 'signal'],
  vksLookup: ['url', 'fetch', 'signal', 'maxBytes'],
  hkpLookup: ['url', 'fetch', 'signal', 'maxBytes'],
});

/** The OpenPGP.js config keys a call honours; every other key is a TypeError. */
export const CONFIG = /** @type {const} */ ({
  generateKey: ['v6Keys', 'aeadProtect'],
  reformatKey: ['aeadProtect'],
  encrypt: ['aeadProtect'],
  generateSessionKey: ['aeadProtect'],
});
