// Type declarations for the `sealpost` package.

/** Stable error codes: `err.code` of every SealpostError. */
export type ErrorCode =
  | 'BAD_PASSPHRASE'
  | 'KEY_LOCKED'
  | 'NO_MATCHING_KEY'
  | 'DECRYPTION_FAILED'
  | 'MALFORMED_INPUT'
  | 'POLICY_REJECTED'
  | 'UNSUPPORTED'
  | 'INVALID_ARGUMENT'
  | 'NO_USABLE_KEY'
  | 'NO_VALID_SIGNATURE'
  | 'LIMIT_EXCEEDED'
  | 'DECOMPRESSION_BOMB'
  | 'NOT_ENCRYPTED'
  | 'INTERNAL'
  | 'WASM_TRAPPED'
  | 'KEY_DISPOSED'
  | 'INTEGRITY_FAILED'
  | 'NOT_SUPPORTED'
  | 'NOT_INITIALIZED'
  | 'EXPORT_REFUSED'
  | 'KEY_PROTECTED'
  | 'NETWORK_ERROR'
  | 'CONFIG_REFUSED'
  | 'WORKER_FAILED'
  | 'ABORTED'
  | 'STREAM_NOT_SUPPORTED'
  | 'WORKER_TIMEOUT';

/**
 * The `signal` option of the long calls: when it aborts, the call rejects at once with
 * ABORTED (the signal's reason as `cause`) and is forgotten; in worker mode what the worker
 * still answers for it is released.  A stream started with it errors (ABORTED) and cancels its
 * source.  In direct mode the wasm runs on the calling thread: only a signal aborted before the
 * call (or between stream chunks) can stop it.  `AbortSignal.timeout(ms)` bounds a call on a
 * hung worker.
 */
export interface Abortable { signal?: AbortSignal }

/** Every rejection of a sealpost call (argument mistakes are TypeError / RangeError). */
export class SealpostError extends Error {
  constructor(code: ErrorCode, message: string, missing?: 'algorithm');
  readonly name: 'SealpostError';
  readonly code: ErrorCode;
  /**
   * 'algorithm' on an UNSUPPORTED error that only the wasm module in use lacks (the default
   * module leaves out NIST curves, Curve448, DSA, post-quantum, legacy ciphers and hashes, BZip2);
   * the full module has it. Absent for what no sealpost build supports.
   */
  readonly missing?: 'algorithm';
}

export interface ConfigureOptions {
  /** 'worker' (browser default): wasm and keys in a dedicated Web Worker; 'direct': same thread. */
  mode?: 'worker' | 'direct';
  /** Where the wasm is served, if not beside the package's modules. Integrity is still enforced. */
  wasmUrl?: string | URL;
  /**
   * Where the worker file (src/wasm/worker.bundle.js, copied as is) is served, for bundlers
   * and CDNs.  It is fetched with the SHA-384 built into the package: other bytes never run.
   */
  workerUrl?: string | URL;
  /**
   * A package built with the default module (no NIST curves, Curve448, DSA, post-quantum, legacy
   * ciphers, BZip2): where the full module is served, if not where the package is (beside its default module).  It is
   * fetched once, with the SHA-384 built into the package, when a call fails with
   * `missing: 'algorithm'`; the keys move into it inside the worker and the call is run again.
   * Ignored by a package built with the full module only.
   */
  fullWasmUrl?: string | URL;
  /**
   * Worker mode: how long (ms, default 300000) a call may wait for the worker's answer.  A
   * worker that has not answered by then (dead or hung) is replaced: the call and every other
   * pending call fail with WORKER_TIMEOUT, and keys loaded in it are gone (KEY_DISPOSED).
   */
  callTimeout?: number;
}

/**
 * The `onProgress` option of encrypt and decrypt: called with the input bytes processed so far
 * (`total`: the input's size, for in-memory input).  In-memory input of 4 MiB or more is
 * processed in 1 MiB steps, each reported; smaller input reports 0 and the total; a stream
 * reports after each chunk.  A callback that throws is ignored.
 */
export interface Progress { processed: number; total?: number }
export interface WithProgress { onProgress?: (progress: Progress) => void }

/** Chooses the mode before first use (or switches; existing keys become invalid). */
export function configure(options?: ConfigureOptions): Promise<{ mode: 'worker' | 'direct' }>;
/** Stops the worker, if any; every Key becomes invalid (KEY_DISPOSED). */
export function terminate(): Promise<void>;
export function getMode(): 'worker' | 'direct';

export interface UserIDInfo {
  userId: string;
  email: string | null;
  primary: boolean;
  valid: boolean;
  revoked: boolean;
}

export interface KeyFlags {
  certify: boolean;
  sign: boolean;
  encryptCommunications: boolean;
  encryptStorage: boolean;
  authenticate: boolean;
}

export interface SubkeyInfo {
  /** Lower-case hex, as every fingerprint and key ID in the JS API. */
  fingerprint: string;
  keyId: string;
  algorithm: string;
  curve: string | null;
  bits: number | null;
  primary: boolean;
  flags: KeyFlags;
  /** Seconds since the Unix epoch. */
  created: number;
  expires: number | null;
  revoked: boolean;
  valid: boolean;
  hasSecret: boolean;
  secretLocked: boolean;
}

export interface KeyInfo {
  /** Lower-case hex, as every fingerprint and key ID in the JS API. */
  fingerprint: string;
  keyId: string;
  version: 4 | 6;
  isSecret: boolean;
  isLocked: boolean;
  created: number;
  expires: number | null;
  revocation: 'not_revoked' | 'revoked' | 'maybe_revoked';
  valid: boolean;
  invalidReason: string | null;
  userIds: UserIDInfo[];
  keys: SubkeyInfo[];
}

export class KeyID {
  toHex(): string;
  equals(other: KeyID): boolean;
}

/** A key held by the crypto instance (in worker mode, inside the worker). */
export class Key {
  private constructor();
  readonly info: KeyInfo;
  getFingerprint(): string;
  getKeyID(): KeyID;
  /** OpenPGP.js's shape: { algorithm } plus bits (RSA, DSA, ElGamal) or curve (ECDH, ECDSA, EdDSA legacy). */
  getAlgorithmInfo(): AlgorithmInfo;
  /** The primary key (this Key) and the subkeys; with a keyID, those with that key ID. */
  getKeys(keyID?: KeyID | null): (Key | Subkey)[];
  getSubkeys(keyID?: KeyID | null): Subkey[];
  getKeyIDs(): KeyID[];
  /** Rejects (NO_USABLE_KEY) if the primary key is revoked, expired or invalid now. Current time only: a date is a TypeError. */
  verifyPrimaryKey(date?: undefined, userID?: UserIDObject, config?: Record<string, never>): Promise<void>;
  /** The valid, unrevoked user ID flagged primary (else the first), optionally matching userID; selfCertification is always null. */
  getPrimaryUser(date?: undefined, userID?: UserIDObject, config?: Record<string, never>): Promise<PrimaryUser>;
  /** The newest valid subkey flagged for encryption (or with keyID), else the primary key if it is; NO_USABLE_KEY otherwise. */
  getEncryptionKey(keyID?: KeyID | null, date?: undefined, userID?: UserIDObject, config?: Record<string, never>): Promise<Key | Subkey>;
  /** As getEncryptionKey, for signing. */
  getSigningKey(keyID?: KeyID | null, date?: undefined, userID?: UserIDObject, config?: Record<string, never>): Promise<Key | Subkey>;
  getUserIDs(): string[];
  getCreationTime(): Date;
  /** Infinity if the key does not expire. */
  getExpirationTime(): Date | typeof Infinity;
  isPrivate(): boolean;
  /** For private keys: whether the secret material is unlocked; null for public keys. */
  isDecrypted(): boolean | null;
  isRevoked(): boolean;
  /**
   * Armored text; for private keys the private key.  In browsers a key that was ever
   * passphrase-protected is exported as its locked form (the bytes its owner locked,
   * whether this handle is locked or unlocked); an unlocked key never protected is
   * refused (EXPORT_REFUSED): lock it first with encryptKey.
   */
  armor(): Promise<string>;
  write(): Promise<Uint8Array>;
  toPublic(): Promise<Key>;
  /**
   * This key updated with sourceKey (the same primary key: INVALID_ARGUMENT otherwise): a new
   * Key with what verifies of the source's signatures, user IDs and subkeys merged in.  A public
   * key updated with its private key gives that private key, updated.  Current time only.
   */
  update(sourceKey: Key, date?: undefined, config?: Record<string, never>): Promise<Key>;
  /** This key with its valid user IDs certified by each (unlocked) private key: a new Key. Current time only. */
  signAllUsers(privateKeys: Key | Key[], date?: undefined, config?: Record<string, never>): Promise<Key>;
  /** sealpost: a new Key with the user ID added, bound by this (unlocked) key's primary key, not primary. */
  addUserID(userID: UserID): Promise<Key>;
  /**
   * sealpost: a new Key expiring keyExpirationTime seconds after its creation (0: never), signed by
   * this (unlocked) key.  Leave a second after the key's newest self-signature (whole seconds: a
   * change in the same second ties with it).
   */
  setExpirationTime(keyExpirationTime: number): Promise<Key>;
  /**
   * OpenPGP.js's addSubkey: a new Key with a fresh subkey (unlocked) bound by this (unlocked)
   * private key's primary key; the primary key's kind and version unless `type` (`curve`,
   * `rsaBits`) says otherwise.  On a passphrase-protected key (browsers) the new subkey is exported
   * only once locked: encryptKey with the key's own passphrase.
   */
  addSubkey(options?: SubkeyOptions): Promise<Key>;
  /** Releases the key in the crypto instance. */
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface UserIDObject { name?: string; email?: string; comment?: string }

export interface AlgorithmInfo {
  /** OpenPGP.js's enums.publicKey names ('eddsaLegacy', 'ecdh', 'ed25519', 'x25519', 'rsaEncryptSign', …); sequoia's name for others. */
  algorithm: string;
  bits?: number;
  curve?: string;
}

/** getPrimaryUser's result: OpenPGP.js's shape, without the signature packet. */
export interface PrimaryUser {
  index: number;
  user: { userID: { userID: string; name: string; email: string; comment: string } };
  selfCertification: null;
}

/** A subkey, read from its Key's info (OpenPGP.js's Subkey getters). */
export class Subkey {
  private constructor();
  readonly mainKey: Key;
  readonly info: SubkeyInfo;
  getFingerprint(): string;
  getKeyID(): KeyID;
  getAlgorithmInfo(): AlgorithmInfo;
  getCreationTime(): Date;
  /** Infinity if the subkey does not expire. */
  getExpirationTime(): Date | typeof Infinity;
  isRevoked(): boolean;
  /** null for a public subkey (or one without its secret). */
  isDecrypted(): boolean | null;
  /** Rejects (NO_USABLE_KEY) unless the subkey is valid now. */
  verify(date?: undefined, config?: Record<string, never>): Promise<void>;
}
/** A user ID: 'Name <email>' (sealpost also takes the string form; OpenPGP.js only objects) or its parts. */
export type UserID = string | UserIDObject;

export interface GenerateKeyOptions<F extends 'armored' | 'binary' | 'object' = 'armored'> extends Abortable {
  userIDs?: UserID | UserID[];
  /** 'ecc' (default, v4 Curve25519 or NIST with `curve`), 'curve25519' (v6), 'curve448' (v6), 'rsa', 'pqc' (v6 ML-DSA-65+Ed25519). */
  type?: 'ecc' | 'curve25519' | 'curve448' | 'rsa' | 'pqc';
  curve?: 'curve25519Legacy' | 'ed25519Legacy' | 'curve25519' | 'nistP256' | 'nistP384' | 'nistP521';
  rsaBits?: 3072 | 4096;
  passphrase?: string;
  /** Seconds from creation; 0 (default) for no expiry. */
  keyExpirationTime?: number;
  format?: F;
  config?: { v6Keys?: boolean; aeadProtect?: boolean };
}

type KeyOutput<F> = F extends 'object' ? Key : F extends 'binary' ? Uint8Array : string;

export interface SubkeyOptions extends NoConfig {
  /** A signing subkey (default false: encryption). */
  sign?: boolean;
  type?: GenerateKeyOptions['type'];
  curve?: GenerateKeyOptions['curve'];
  rsaBits?: 3072 | 4096;
  /** Seconds from the subkey's creation; 0 (default) for none. */
  keyExpirationTime?: number;
}

export interface ReformatKeyOptions<F extends 'armored' | 'binary' | 'object' = 'armored'> extends Abortable {
  /** An unlocked private key (every secret: KEY_LOCKED otherwise). */
  privateKey: Key;
  /** The user IDs to bind, the first primary; a v4 key needs one (INVALID_ARGUMENT). */
  userIDs?: UserID | UserID[];
  /** Locks the result (a passphrase-protected key, in browsers: only its own passphrase, KEY_PROTECTED otherwise). */
  passphrase?: string;
  /** Seconds from each key's creation; 0 (default) for no expiry. */
  keyExpirationTime?: number;
  format?: F;
  config?: { aeadProtect?: boolean };
}

/** OpenPGP.js's reformatKey: the key's own key material bound anew (old user IDs, certifications and revocations dropped). */
export function reformatKey<F extends 'armored' | 'binary' | 'object' = 'armored'>(
  options: ReformatKeyOptions<F>,
): Promise<{ privateKey: KeyOutput<F>; publicKey: KeyOutput<F>; revocationCertificate: string }>;

export function generateKey<F extends 'armored' | 'binary' | 'object' = 'armored'>(
  options: GenerateKeyOptions<F>,
): Promise<{ privateKey: KeyOutput<F>; publicKey: KeyOutput<F>; revocationCertificate: string }>;

/** OpenPGP.js config objects are accepted where OpenPGP.js takes them, but must be empty here. */
export interface NoConfig { config?: Record<string, never> }
export type ReadKeyOptions = ({ armoredKey: string } | { binaryKey: Uint8Array }) & NoConfig;
export type ReadKeysOptions = ({ armoredKeys: string } | { binaryKeys: Uint8Array } | { armoredKey: string } | { binaryKey: Uint8Array }) & NoConfig;
/** The first key of the input, as OpenPGP.js (readKeys returns them all). */
export function readKey(options: ReadKeyOptions): Promise<Key>;
export function readKeys(options: ReadKeysOptions): Promise<Key[]>;
/** The first private key of the input (INVALID_ARGUMENT if it has none). */
export function readPrivateKey(options: ReadKeyOptions): Promise<Key>;
export type ReadPrivateKeysOptions = ({ armoredKeys: string } | { binaryKeys: Uint8Array }) & NoConfig;
/** The private keys of a keyring (public ones skipped); none: INVALID_ARGUMENT. */
export function readPrivateKeys(options: ReadPrivateKeysOptions): Promise<Key[]>;
/** lockAfter (ms): the unlocked copy, the unlocked copies made from it and their streams are dropped after that long unused (their calls then fail with KEY_LOCKED). On an unlocked key of a protected lineage the passphrase is checked against its locked form. */
export interface DecryptKeyOptions extends NoConfig, Abortable { privateKey: Key; passphrase: string | string[]; lockAfter?: number }
export function decryptKey(options: DecryptKeyOptions): Promise<Key>;
/** In browsers only for a key never passphrase-protected, once (KEY_PROTECTED otherwise: use changeKeyPassphrase). */
export interface EncryptKeyOptions extends NoConfig, Abortable { privateKey: Key; passphrase: string }
export function encryptKey(options: EncryptKeyOptions): Promise<Key>;
export interface ChangeKeyPassphraseOptions extends Abortable { privateKey: Key; oldPassphrase: string; newPassphrase: string }
export function changeKeyPassphrase(options: ChangeKeyPassphraseOptions): Promise<Key>;
export interface ReasonForRevocation { flag?: 0 | 1 | 2 | 3; string?: string }
export interface RevokeKeyOptions<F extends 'armored' | 'binary' | 'object' = 'armored'> extends NoConfig {
  key: Key;
  reasonForRevocation?: ReasonForRevocation;
  revocationCertificate?: string;
  format?: F;
}
export function revokeKey<F extends 'armored' | 'binary' | 'object' = 'armored'>(options: RevokeKeyOptions<F>): Promise<{ privateKey: KeyOutput<F> | null; publicKey: KeyOutput<F> }>;

export class Message {
  private constructor();
  readonly kind: 'literal' | 'encoded';
  /** createMessage(): the text as given (a text stream: that stream), or the binary data as UTF-8. readMessage(): UNSUPPORTED (verify or decrypt it). */
  getText(): string | ReadableStream<string>;
  /** readMessage(): the message re-armored. createMessage() (literal data, not yet an OpenPGP message): UNSUPPORTED; stream-backed: STREAM_NOT_SUPPORTED. */
  armor(): Promise<string>;
  /** readMessage(): the message's binary encoding (the same refusals as armor()). */
  write(): Promise<Uint8Array>;
  /** createMessage({ filename }): that name; otherwise null. */
  getFilename(): string | null;
  /**
   * The key IDs of the public-key encrypted session keys (wildcard: 0000000000000000), read from
   * the packets, nothing decrypted.  A Promise (OpenPGP.js: synchronous).  createMessage(): [].
   */
  getEncryptionKeyIDs(): Promise<KeyID[]>;
  /** The signers' key IDs of a signed, not encrypted message (one-pass signatures, else signatures); else []. A Promise. */
  getSigningKeyIDs(): Promise<KeyID[]>;
}
export class CleartextMessage {
  private constructor();
  getText(): string | null;
}
export class Signature {
  private constructor();
}

/** Pass ReadableStreams to encrypt or decrypt in bounded memory. */
export type CreateMessageOptions = ({ text: string | ReadableStream<string> } | { binary: Uint8Array | ReadableStream<Uint8Array> }) & {
  /** The literal data's file name (at most 255 bytes of UTF-8), written by encrypt/sign; decrypt returns it. */
  filename?: string;
};
export function createMessage(options: CreateMessageOptions): Promise<Message>;
export type ReadMessageOptions = ({ armoredMessage: string | ReadableStream<string> } | { binaryMessage: Uint8Array | ReadableStream<Uint8Array> }) & NoConfig;
export function readMessage(options: ReadMessageOptions): Promise<Message>;
export interface CreateCleartextMessageOptions { text: string }
export function createCleartextMessage(options: CreateCleartextMessageOptions): Promise<CleartextMessage>;
export interface ReadCleartextMessageOptions extends NoConfig { cleartextMessage: string }
export function readCleartextMessage(options: ReadCleartextMessageOptions): Promise<CleartextMessage>;
export type ReadSignatureOptions = ({ armoredSignature: string } | { binarySignature: Uint8Array }) & NoConfig;
export function readSignature(options: ReadSignatureOptions): Promise<Signature>;

export interface VerificationResult {
  keyID: KeyID;
  signerFingerprint: string | null;
  status: 'valid' | 'unknown_key' | 'bad_key' | 'bad_signature' | 'malformed' | 'unsupported';
  valid: boolean;
  /** The (sub)key that made the signature. */
  signingKeyFingerprint: string | null;
  created: Date | null;
  /** 'binary' or 'text': the signature's type. */
  mode: 'binary' | 'text' | null;
  reason: string | null;
  /** Resolves to true, or rejects with a SealpostError (NO_VALID_SIGNATURE). Created on first access. */
  readonly verified: Promise<true>;
}

export interface Layers {
  encrypted: boolean;
  cipher: string | null;
  /** 'OCB', 'EAX' or 'GCM' for SEIPDv2; null for SEIPDv1. */
  aead: string | null;
  compressed: boolean;
  /** The literal data's file name; null when empty. */
  filename: string | null;
}

export interface EncryptOptions extends Abortable, WithProgress {
  message: Message;
  encryptionKeys?: Key | Key[];
  signingKeys?: Key | Key[];
  passwords?: string | string[];
  /** Encrypt with this session key (from generateSessionKey, or OpenPGP.js's); with aeadAlgorithm, SEIPDv2. */
  sessionKey?: SessionKeyObject;
  /** 'object': a Message (as readMessage() of the binary output). */
  format?: 'armored' | 'binary' | 'object';
  /** SEIPDv2 (AEAD) whatever the recipients advertise. */
  config?: { aeadProtect?: boolean };
  /** Only `true`, for a message made from a ReadableStream (the types then give a stream). */
  stream?: boolean;
}
export function encrypt(options: EncryptOptions & { format?: 'armored'; stream?: false }): Promise<string>;
/** With a streamed message (`stream: true` for the types): a stream of armored text (armored) or bytes (binary). */
export function encrypt(options: EncryptOptions & { format?: 'armored'; stream: true }): Promise<ReadableStream<string>>;
export function encrypt(options: EncryptOptions & { format: 'binary'; stream: true }): Promise<ReadableStream<Uint8Array>>;
export function encrypt(options: EncryptOptions & { format: 'binary'; stream?: false }): Promise<Uint8Array>;
export function encrypt(options: EncryptOptions & { format: 'object' }): Promise<Message>;

/**
 * A streamed decryption (the message was read from a ReadableStream).
 * SEIPDv2 plaintext arrives chunk by chunk, each authenticated; SEIPDv1
 * plaintext arrives only after the whole message authenticated.  If `data`
 * errors, discard everything read from it.  `signatures` and `layers`
 * settle when the stream ends.
 */
export interface StreamedDecryption<D> {
  data: ReadableStream<D>;
  signatures: Promise<VerificationResult[]>;
  layers: Promise<Layers>;
  /** The literal data's file name (null when empty), once the stream ends. */
  filename: Promise<string | null>;
}

/**
 * Resource limits of one decryption or verification (whole numbers ≥ 0).
 * A value outside them fails with LIMIT_EXCEEDED, or DECOMPRESSION_BOMB.
 */
export interface Limits {
  /** Plaintext held in memory: buffered calls, and SEIPDv1 streams (default 256 MiB). */
  maxPlaintext?: number;
  /** Output ÷ input beyond the first MiB of output (default 256; 0 = off). */
  maxCompressionRatio?: number;
  /** Encrypted session keys (recipients + passwords) in one message (default 256). */
  maxRecipients?: number;
  /** Signatures in one message or signature block (default 64). */
  maxSignatures?: number;
}

export interface DecryptOptions extends NoConfig, Abortable, WithProgress {
  message: Message;
  /** 'utf8' (default): text, CRLF normalized to LF; 'binary': the exact bytes. */
  format?: 'utf8' | 'binary';
  /** Only `true`, for a message read from a ReadableStream. */
  stream?: boolean;
  decryptionKeys?: Key | Key[];
  passwords?: string | string[];
  verificationKeys?: Key | Key[];
  /** Reject (NO_VALID_SIGNATURE) unless a signature by verificationKeys is valid. */
  expectSigned?: boolean;
  /** Plaintext cap in bytes (default 256 MiB); the same as limits.maxPlaintext. */
  maxPlaintext?: number;
  /** Resource limits; each unset one keeps its strict default. */
  limits?: Limits;
  /** Session keys to try: 'ALGO:HEX' (SOP's form, e.g. '9:AB…') or OpenPGP.js's { data, algorithm }. */
  sessionKeys?: SessionKey | SessionKey[];
  /** Add `sessionKey` ('ALGO:HEX') to the result: a secret, handle with care. */
  returnSessionKey?: boolean;
}
/** OpenPGP.js's session key object (to decrypt, aeadAlgorithm is not needed: SEIPDv2 names its own). */
export interface SessionKeyObject {
  data: Uint8Array;
  algorithm: 'idea' | 'tripledes' | 'cast5' | 'blowfish' | 'aes128' | 'aes192' | 'aes256' | 'twofish';
  aeadAlgorithm?: 'eax' | 'ocb' | 'gcm' | null;
}
/** A session key: 'ALGO:HEX' (SOP's form) or OpenPGP.js's form. */
export type SessionKey = string | SessionKeyObject;

/** With a streamed message: a StreamedDecryption.  The overloads below cover in-memory messages. */
export function decrypt(options: DecryptOptions & { format?: 'utf8'; stream: true }): Promise<StreamedDecryption<string>>;
export function decrypt(options: DecryptOptions & { format: 'binary'; stream: true }): Promise<StreamedDecryption<Uint8Array>>;
export function decrypt(options: DecryptOptions & { format?: 'utf8' }): Promise<{ data: string; signatures: VerificationResult[]; filename: string | null; layers: Layers; sessionKey?: string | null }>;
export function decrypt(options: DecryptOptions & { format: 'binary' }): Promise<{ data: Uint8Array; signatures: VerificationResult[]; filename: string | null; layers: Layers; sessionKey?: string | null }>;

export interface GenerateSessionKeyOptions {
  encryptionKeys?: Key | Key[];
  /** aeadProtect: a key for a SEIPDv2 message whatever the keys advertise. */
  config?: { aeadProtect?: boolean };
}
/** A fresh session key with the cipher (and AEAD mode, for SEIPDv2) encrypt would choose for the keys. */
export function generateSessionKey(options?: GenerateSessionKeyOptions): Promise<{ data: Uint8Array; algorithm: SessionKeyObject['algorithm']; aeadAlgorithm: 'eax' | 'ocb' | 'gcm' | undefined }>;
export interface EncryptSessionKeyOptions<F extends 'armored' | 'binary' | 'object' = 'armored'> extends NoConfig, Abortable {
  data: Uint8Array;
  algorithm: SessionKeyObject['algorithm'];
  aeadAlgorithm?: 'eax' | 'ocb' | 'gcm' | null;
  encryptionKeys?: Key | Key[];
  passwords?: string | string[];
  format?: F;
}
/** The session key packets (PKESK/SKESK) giving the key to encryptionKeys and passwords. */
export function encryptSessionKey<F extends 'armored' | 'binary' | 'object' = 'armored'>(options: EncryptSessionKeyOptions<F>): Promise<F extends 'object' ? Message : F extends 'binary' ? Uint8Array : string>;
export interface DecryptSessionKeysOptions extends NoConfig, Abortable {
  message: Message;
  decryptionKeys?: Key | Key[];
  passwords?: string | string[];
}
/** The session key that opens the message (found by decrypting it whole): one element, or the decrypt() error. */
export function decryptSessionKeys(options: DecryptSessionKeysOptions): Promise<{ data: Uint8Array; algorithm: SessionKeyObject['algorithm'] | null }[]>;

export interface SignOptions extends NoConfig, Abortable {
  /** Bytes or text: a message made from a ReadableStream is STREAM_NOT_SUPPORTED. */
  message: Message | CleartextMessage;
  signingKeys: Key | Key[];
  /** Not for a CleartextMessage (TypeError). */
  detached?: boolean;
  /** A CleartextMessage is always armored ('binary': TypeError). 'object': a CleartextMessage, Signature (detached) or Message. */
  format?: 'armored' | 'binary' | 'object';
}
export function sign(options: SignOptions & { message: CleartextMessage; detached?: false; format?: 'armored' }): Promise<string>;
export function sign(options: SignOptions & { message: Message; format?: 'armored' }): Promise<string>;
export function sign(options: SignOptions & { message: Message; format: 'binary' }): Promise<Uint8Array>;
export function sign(options: SignOptions & { message: CleartextMessage; detached?: false; format: 'object' }): Promise<CleartextMessage>;
export function sign(options: SignOptions & { message: Message; detached: true; format: 'object' }): Promise<Signature>;
export function sign(options: SignOptions & { message: Message; detached?: false; format: 'object' }): Promise<Message>;

export interface VerifyOptions extends NoConfig, Abortable {
  /** Bytes or text: a message made from a ReadableStream is STREAM_NOT_SUPPORTED. */
  message: Message | CleartextMessage;
  /** 'utf8' (default): text, CRLF normalized to LF; 'binary': the exact bytes. */
  format?: 'utf8' | 'binary';
  signature?: Signature;
  verificationKeys?: Key | Key[];
  expectSigned?: boolean;
  maxPlaintext?: number;
  limits?: Omit<Limits, 'maxRecipients'>;
}
export function verify(options: VerifyOptions & { format?: 'utf8' }): Promise<{ data: string; signatures: VerificationResult[] }>;
export function verify(options: VerifyOptions & { format: 'binary' }): Promise<{ data: Uint8Array; signatures: VerificationResult[] }>;

// ---------------------------------------------------------------- mail

export interface Attachment {
  filename: string;
  /** application/octet-stream if omitted. */
  contentType?: string;
  data: Uint8Array | string;
}

/** A mail to compose.  Addresses: `addr@example.org` or `Name <addr@example.org>`. */
export interface OutgoingMail {
  from: string;
  to: string | string[];
  cc?: string | string[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: Attachment[];
  /** Now if omitted. */
  date?: Date;
  /** `<id@domain>`; random if omitted. */
  messageId?: string;
  /** Reply-To addresses (copied outside encrypted mail, as RFC 9788's baseline does). */
  replyTo?: string | string[];
  /** The message ID(s) this one answers: `<id@domain>` (a string may hold several, space-separated). */
  inReplyTo?: string | string[];
  /** The thread's message IDs, oldest first. */
  references?: string | string[];
  /**
   * Blind copies: no message names them.  encryptMail then returns one message per Bcc address
   * ({@link EncryptedMailCopies}); signMail returns the one message, to be sent to them too.
   */
  bcc?: string | string[];
  /**
   * Further header fields, `{ 'X-Foo': 'bar' }` or `[['X-Foo', 'bar']]`.  Encrypted mail carries them
   * inside only (confidential).  Names an option, MIME or header protection owns, and values with
   * line breaks or control characters, fail with INVALID_ARGUMENT.
   */
  headers?: Record<string, string> | [string, string][];
}

/** encryptMail's result for a mail with Bcc recipients. */
export interface EncryptedMailCopies {
  /** For the To and Cc addresses (and your Sent folder): not encrypted to the Bcc recipients' keys. */
  message: Uint8Array;
  /** One message per Bcc address, encrypted to the same keys plus that address's: send it to that address alone. */
  bcc: { address: string; message: Uint8Array }[];
}

export interface AutocryptOptions {
  preferEncrypt?: 'mutual' | 'nopreference';
}

/** One Autocrypt or Autocrypt-Gossip header that was read. */
export interface AutocryptInfo {
  addr: string;
  preferEncrypt: 'mutual' | 'nopreference';
  fingerprint: string;
  /** Whether the key has a user ID for addr (Autocrypt does not require it). */
  userIdMatches: boolean;
  /** The minimal certificate: readKey({ binaryKey: keyData }). */
  keyData: Uint8Array;
}

export interface MailAddress {
  name: string;
  address: string;
}

export type SignatureState = 'verified' | 'signer-mismatch' | 'invalid' | 'unsigned';

export interface MailSignature extends VerificationResult {
  /** The signer's addresses (valid user IDs). */
  signerAddresses: string[];
  /** Whether one of them is the From address. */
  matchesFrom: boolean;
}

export interface ReadMail {
  kind: 'pgp-mime-encrypted' | 'pgp-mime-signed' | 'inline-encrypted' | 'inline-signed' | 'plain';
  encrypted: boolean;
  /** Header fields to show: the protected ones (RFC 9788) when present, else the outer ones. */
  headers: { name: string; value: string }[];
  /** Header fields as transported. */
  outerHeaders: { name: string; value: string }[];
  protectedHeaders: boolean;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string | null;
  /** The Date field as written. */
  date: string | null;
  messageId: string | null;
  replyTo: MailAddress[];
  /** The message IDs (`<id@domain>`) In-Reply-To names. */
  inReplyTo: string[];
  /** The message IDs References names, oldest first. */
  references: string[];
  /** The fields of `headers` no other field here reads: custom fields (and, for unprotected mail, the transport's). */
  customHeaders: { name: string; value: string }[];
  text: string | null;
  /** Render only in a sandboxed iframe without scripts or remote content. */
  html: string | null;
  attachments: { filename: string; contentType: string; data: Uint8Array }[];
  signatures: MailSignature[];
  /** 'verified' only when a valid signature's signer has the From address; show 'signer-mismatch' as a warning. */
  signatureState: SignatureState;
  /** Text outside an inline-PGP block was not shown (it is not protected). */
  unprotectedTextDropped: boolean;
  autocrypt: AutocryptInfo | null;
  gossip: AutocryptInfo[];
  layers: Layers;
  /** Some text was in a charset the platform's TextDecoder does not know: read as UTF-8 with replacement characters. */
  charsetUnknown: boolean;
  /** Those charset labels. */
  unknownCharsets: string[];
}

/** A PGP/MIME encrypted (and, with signingKeys, signed) RFC 5322 message. */
export interface EncryptMailOptions extends Abortable { encryptionKeys: Key | Key[]; signingKeys?: Key | Key[]; autocrypt?: boolean | AutocryptOptions }
export function encryptMail(mail: OutgoingMail & { bcc: string | string[] }, options: EncryptMailOptions): Promise<EncryptedMailCopies>;
export function encryptMail(mail: OutgoingMail & { bcc?: undefined }, options: EncryptMailOptions): Promise<Uint8Array>;
export function encryptMail(mail: OutgoingMail, options: EncryptMailOptions): Promise<Uint8Array | EncryptedMailCopies>;
/** A PGP/MIME signed (multipart/signed) RFC 5322 message. */
export interface SignMailOptions extends Abortable { signingKeys: Key | Key[]; autocrypt?: boolean | AutocryptOptions }
export function signMail(mail: OutgoingMail, options: SignMailOptions): Promise<Uint8Array>;
/** Reads PGP/MIME, inline PGP or plain mail. */
export interface DecryptMailOptions extends Abortable { decryptionKeys?: Key | Key[]; verificationKeys?: Key | Key[] }
export function decryptMail(message: Uint8Array | string, options?: DecryptMailOptions): Promise<ReadMail>;
/** Web Key Directory URLs for an address. */
export function wkdUrls(address: string): Promise<{ hash: string; advanced: string; direct: string }>;
/** Looks up an address in its Web Key Directory (advanced, then direct). */
export interface WkdLookupOptions extends Abortable { fetch?: (url: string, init?: RequestInit) => Promise<Response> }
export function wkdLookup(address: string, options?: WkdLookupOptions): Promise<Key[]>;
export interface KeyServerLookupOptions extends Abortable {
  /** The server, e.g. 'https://keys.openpgp.org' (required: sealpost has no default server and asks nothing else). */
  url: string | URL;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** The largest answer read, in bytes (default and at most 1 MiB): LIMIT_EXCEEDED beyond. */
  maxBytes?: number;
}
/**
 * VKS (keys.openpgp.org's API): `query` a fingerprint (40 or 64 hex digits) or an e-mail address.
 * Only the public keys matching it (fingerprint of the primary key or a subkey; a valid user ID with
 * the address); none: NO_USABLE_KEY; not keys: MALFORMED_INPUT; too large: LIMIT_EXCEEDED.
 */
export function vksLookup(query: string, options: KeyServerLookupOptions): Promise<Key[]>;
/** HKP (/pks/lookup?op=get): as vksLookup. */
export function hkpLookup(query: string, options: KeyServerLookupOptions): Promise<Key[]>;
/** An Autocrypt header value (folded) for key and address. */
export function autocryptHeader(key: Key, address: string, options?: AutocryptOptions): Promise<string>;

/** Splits an inline- or cleartext-signed message into data and a binary detached signature (unverified). */
export function inlineDetach(message: Uint8Array | string): Promise<{ data: Uint8Array; signature: Uint8Array }>;

export function armor(data: Uint8Array, type?: 'message' | 'publicKey' | 'privateKey' | 'signature'): Promise<string>;
export function unarmor(text: string): Promise<{ data: Uint8Array }>;
/**
 * The key types generateKey accepts.  A package built with the default module lists the full
 * module's types too: generating one of those fetches the full module first (one request).
 */
export function supportedKeyTypes(): Promise<string[]>;
export function errorCodes(): Promise<ErrorCode[]>;

/**
 * A key store: passphrase-locked private keys and public keys in an IndexedDB database, by
 * fingerprint (lower-case hex; either case accepted). Browsers only: Node has no IndexedDB
 * (NOT_SUPPORTED unless `options.indexedDB` is given).
 */
export interface KeyStore {
  /** Stores the key (replacing the one under its fingerprint; a public key never replaces a private one): its fingerprint. An unlocked private key: EXPORT_REFUSED. */
  put(key: Key): Promise<string>;
  /** The stored key, or null. */
  get(fingerprint: string): Promise<Key | null>;
  /** Every stored key, in fingerprint order. */
  list(): Promise<Key[]>;
  /** Deletes the stored key: whether there was one. */
  delete(fingerprint: string): Promise<boolean>;
  close(): void;
}
export interface KeyStoreOptions { indexedDB?: IDBFactory }
/** Opens (creating on first use) the key store in the IndexedDB database `name`. */
export function openKeyStore(name: string, options?: KeyStoreOptions): Promise<KeyStore>;
