// Compiled with tsc --noEmit by test/types.test.mjs (allowJs): the runtime (src/, read as
// JavaScript) and the declarations (index.d.ts) must agree, or this file does not compile:
//   - the same exported names, both ways (a runtime export missing from the types, or a
//     declared one the runtime lacks);
//   - for every call, the options it takes (src/options.js, the table the calls check their
//     arguments against) are exactly the option names its declared type has, both ways;
//   - the config keys it honours (src/options.js CONFIG) are the declared config's keys.
// A mismatch reads as: Type 'true' is not assignable to type '{ runtimeOnly: "x" }'.
import type * as D from 'sealpost';
import * as node from '../../src/node.js';
import * as browser from '../../src/browser.js';
import { CONFIG, OPTIONS } from '../../src/options.js';

type KeysOf<T> = T extends unknown ? keyof T : never;
type Same<R, Dk> = [Exclude<R, Dk>] extends [never]
  ? [Exclude<Dk, R>] extends [never]
    ? true
    : { declaredOnly: Exclude<Dk, R> }
  : { runtimeOnly: Exclude<R, Dk> };
type Opt<K extends keyof typeof OPTIONS> = (typeof OPTIONS)[K][number];
type ConfigOf<T> = T extends { config?: infer C } ? KeysOf<NonNullable<C>> : never;

// Exported names: both entry points, against the declarations.
export const nodeNames: Same<keyof typeof node, keyof typeof D> = true;
export const browserNames: Same<keyof typeof browser, keyof typeof D> = true;

// Options per call.  createWorker: the test entry's only (CONFIG_REFUSED otherwise), not declared.
export const options: { [K in keyof typeof OPTIONS]: true } = {
  configure: true as Same<Exclude<Opt<'configure'>, 'createWorker'>, KeysOf<D.ConfigureOptions>>,
  generateKey: true as Same<Opt<'generateKey'>, KeysOf<D.GenerateKeyOptions>>,
  reformatKey: true as Same<Opt<'reformatKey'>, KeysOf<D.ReformatKeyOptions>>,
  addSubkey: true as Same<Opt<'addSubkey'>, KeysOf<D.SubkeyOptions>>,
  userID: true as Same<Opt<'userID'>, KeysOf<D.UserIDObject>>,
  readKey: true as Same<Opt<'readKey'>, KeysOf<D.ReadKeyOptions>>,
  readKeys: true as Same<Opt<'readKeys'>, KeysOf<D.ReadKeysOptions>>,
  readPrivateKeys: true as Same<Opt<'readPrivateKeys'>, KeysOf<D.ReadPrivateKeysOptions>>,
  decryptKey: true as Same<Opt<'decryptKey'>, KeysOf<D.DecryptKeyOptions>>,
  encryptKey: true as Same<Opt<'encryptKey'>, KeysOf<D.EncryptKeyOptions>>,
  changeKeyPassphrase: true as Same<Opt<'changeKeyPassphrase'>, KeysOf<D.ChangeKeyPassphraseOptions>>,
  revokeKey: true as Same<Opt<'revokeKey'>, KeysOf<D.RevokeKeyOptions>>,
  reasonForRevocation: true as Same<Opt<'reasonForRevocation'>, KeysOf<D.ReasonForRevocation>>,
  createMessage: true as Same<Opt<'createMessage'>, KeysOf<D.CreateMessageOptions>>,
  readMessage: true as Same<Opt<'readMessage'>, KeysOf<D.ReadMessageOptions>>,
  createCleartextMessage: true as Same<Opt<'createCleartextMessage'>, KeysOf<D.CreateCleartextMessageOptions>>,
  readCleartextMessage: true as Same<Opt<'readCleartextMessage'>, KeysOf<D.ReadCleartextMessageOptions>>,
  readSignature: true as Same<Opt<'readSignature'>, KeysOf<D.ReadSignatureOptions>>,
  encrypt: true as Same<Opt<'encrypt'>, KeysOf<D.EncryptOptions>>,
  decrypt: true as Same<Opt<'decrypt'>, KeysOf<D.DecryptOptions>>,
  sessionKey: true as Same<Opt<'sessionKey'>, KeysOf<Exclude<D.SessionKey, string>>>,
  generateSessionKey: true as Same<Opt<'generateSessionKey'>, KeysOf<D.GenerateSessionKeyOptions>>,
  encryptSessionKey: true as Same<Opt<'encryptSessionKey'>, KeysOf<D.EncryptSessionKeyOptions>>,
  decryptSessionKeys: true as Same<Opt<'decryptSessionKeys'>, KeysOf<D.DecryptSessionKeysOptions>>,
  sign: true as Same<Opt<'sign'>, KeysOf<D.SignOptions>>,
  verify: true as Same<Opt<'verify'>, KeysOf<D.VerifyOptions>>,
  mail: true as Same<Opt<'mail'>, KeysOf<D.OutgoingMail>>,
  attachment: true as Same<Opt<'attachment'>, KeysOf<D.Attachment>>,
  autocrypt: true as Same<Opt<'autocrypt'>, KeysOf<D.AutocryptOptions>>,
  encryptMail: true as Same<Opt<'encryptMail'>, KeysOf<D.EncryptMailOptions>>,
  signMail: true as Same<Opt<'signMail'>, KeysOf<D.SignMailOptions>>,
  decryptMail: true as Same<Opt<'decryptMail'>, KeysOf<D.DecryptMailOptions>>,
  wkdLookup: true as Same<Opt<'wkdLookup'>, KeysOf<D.WkdLookupOptions>>,
  vksLookup: true as Same<Opt<'vksLookup'>, KeysOf<D.KeyServerLookupOptions>>,
  hkpLookup: true as Same<Opt<'hkpLookup'>, KeysOf<D.KeyServerLookupOptions>>,
};

// Config keys honoured, per call (every other call takes an empty config only).
export const config = {
  generateKey: true as Same<(typeof CONFIG)['generateKey'][number], ConfigOf<D.GenerateKeyOptions>>,
  reformatKey: true as Same<(typeof CONFIG)['reformatKey'][number], ConfigOf<D.ReformatKeyOptions>>,
  encrypt: true as Same<(typeof CONFIG)['encrypt'][number], ConfigOf<D.EncryptOptions>>,
  generateSessionKey: true as Same<(typeof CONFIG)['generateSessionKey'][number], ConfigOf<D.GenerateSessionKeyOptions>>,
};
// The calls that take OpenPGP.js's config but honour none of its keys: declared as empty.
type Empty<T> = T extends { config?: infer C } ? (NonNullable<C> extends Record<string, never> ? true : { configNotEmpty: C }) : { noConfig: T };
export const emptyConfig: true[] = [
  true as Empty<D.ReadKeyOptions>, true as Empty<D.ReadKeysOptions>, true as Empty<D.DecryptKeyOptions>, true as Empty<D.EncryptKeyOptions>,
  true as Empty<D.RevokeKeyOptions>, true as Empty<D.ReadMessageOptions>, true as Empty<D.ReadCleartextMessageOptions>,
  true as Empty<D.ReadSignatureOptions>, true as Empty<D.DecryptOptions>, true as Empty<D.SignOptions>, true as Empty<D.VerifyOptions>,
  true as Empty<D.ReadPrivateKeysOptions>, true as Empty<D.SubkeyOptions>, true as Empty<D.EncryptSessionKeyOptions>, true as Empty<D.DecryptSessionKeysOptions>,
];
