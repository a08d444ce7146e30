// Compiled with tsc --noEmit by test/types.test.mjs: the declarations must
// accept real usage and reject misuse (the @ts-expect-error lines).
import * as sp from 'sealpost';
import { SealpostError, type Key, type ErrorCode } from 'sealpost';

async function main(): Promise<void> {
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: [{ name: 'A', email: 'a@example.org' }], format: 'object' });
  const k: Key = privateKey;
  const armoredPair = await sp.generateKey({ userIDs: 'B <b@example.org>' });
  const s: string = armoredPair.privateKey;
  const ct: string = await sp.encrypt({ message: await sp.createMessage({ text: 'x' }), encryptionKeys: publicKey, signingKeys: k });
  const bin: Uint8Array = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array(1) }), passwords: 'pw', format: 'binary' });
  const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: ct }), decryptionKeys: privateKey, expectSigned: true });
  const text: string = r.data;
  const ok: true = await r.signatures[0].verified;
  const rb = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: bin }), passwords: ['pw'], format: 'binary' });
  const bytes: Uint8Array = rb.data;
  const clear: string = await sp.sign({ message: await sp.createCleartextMessage({ text: 'hi' }), signingKeys: privateKey });
  await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: clear }), verificationKeys: publicKey });
  try {
    await sp.readKey({ armoredKey: s });
  } catch (e) {
    if (e instanceof SealpostError) {
      const code: ErrorCode = e.code;
      void code;
    }
  }
  // @ts-expect-error: userIDs must be strings or {name, email}
  await sp.generateKey({ userIDs: [42] });
  // @ts-expect-error: format 'binary' does not return a string
  const wrong: string = await sp.encrypt({ message: await sp.createMessage({ text: 'x' }), passwords: 'p', format: 'binary' });
  // @ts-expect-error: unknown key type
  await sp.generateKey({ type: 'dsa' });
  void [text, ok, bytes, wrong];
}
void main;

async function streams(key: Key): Promise<void> {
  const input = new ReadableStream<Uint8Array>();
  const out = await sp.encrypt({ message: await sp.createMessage({ binary: input }), encryptionKeys: key, format: 'binary', stream: true });
  const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: out as ReadableStream<Uint8Array> }), decryptionKeys: key, format: 'binary', stream: true });
  const chunks: ReadableStream<Uint8Array> = r.data;
  const sigs: sp.VerificationResult[] = await r.signatures;
  void [chunks, sigs];
}
void streams;

async function mail(me: Key, bob: Key): Promise<void> {
  const bytes: Uint8Array = await sp.encryptMail(
    { from: 'Me <me@example.org>', to: ['bob@example.org'], subject: 's', text: 't', attachments: [{ filename: 'a.txt', data: 'x' }], date: new Date() },
    { encryptionKeys: [bob, me], signingKeys: me, autocrypt: { preferEncrypt: 'mutual' } },
  );
  const r: sp.ReadMail = await sp.decryptMail(bytes, { decryptionKeys: me, verificationKeys: bob });
  const state: sp.SignatureState = r.signatureState;
  const first: Uint8Array | undefined = r.attachments[0]?.data;
  const keys: Key[] = await sp.wkdLookup('bob@example.org');
  const header: string = await sp.autocryptHeader(me, 'me@example.org');
  // @ts-expect-error: the date is a Date, not a string
  await sp.encryptMail({ from: 'a@b.c', to: 'd@e.f', date: 'today' }, { encryptionKeys: bob });
  // Reply fields, custom fields; with Bcc, one message per Bcc address.
  const copies: sp.EncryptedMailCopies = await sp.encryptMail(
    { from: 'a@b.c', to: 'd@e.f', bcc: ['g@h.i'], replyTo: 'r@b.c', inReplyTo: r.messageId ?? undefined, references: [...r.references], headers: { 'X-Ticket': '1' } },
    { encryptionKeys: [bob, me] },
  );
  const firstCopy: Uint8Array | undefined = copies.bcc[0]?.message;
  const plain: Uint8Array = await sp.encryptMail({ from: 'a@b.c', to: 'd@e.f', headers: [['X-A', '1'], ['X-A', '2']] }, { encryptionKeys: bob });
  // @ts-expect-error: a header value is a string
  await sp.signMail({ from: 'a@b.c', to: 'd@e.f', headers: { 'X-A': 1 } }, { signingKeys: me });
  const replyTo: sp.MailAddress[] = r.replyTo;
  const custom: string | undefined = r.customHeaders[0]?.value;
  const unknown: boolean = r.charsetUnknown;
  void [state, first, keys, header, copies.message, firstCopy, plain, replyTo, custom, unknown, r.inReplyTo, r.unknownCharsets];
}
void mail;

async function sessionKeysAndObjects(me: Key, bob: Key): Promise<void> {
  const sk = await sp.generateSessionKey({ encryptionKeys: bob });
  const m: sp.Message = await sp.encrypt({ message: await sp.createMessage({ text: 't', filename: 'a.txt' }), encryptionKeys: bob, sessionKey: sk, format: 'object', onProgress: (p) => void p.processed });
  const esk: string = await sp.encryptSessionKey({ ...sk, encryptionKeys: bob, passwords: 'pw' });
  const eskBytes: Uint8Array = await sp.encryptSessionKey({ ...sk, passwords: 'pw', format: 'binary' });
  const found = await sp.decryptSessionKeys({ message: m, decryptionKeys: me });
  const r = await sp.decrypt({ message: m, sessionKeys: found.map((k) => ({ data: k.data, algorithm: k.algorithm ?? 'aes256' })) });
  const name: string | null = r.filename;
  const ids: sp.KeyID[] = await m.getEncryptionKeyIDs();
  const sig: sp.Signature = await sp.sign({ message: await sp.createMessage({ text: 't' }), signingKeys: me, detached: true, format: 'object' });
  const clear: sp.CleartextMessage = await sp.sign({ message: await sp.createCleartextMessage({ text: 't' }), signingKeys: me, format: 'object' });
  const keys: Key[] = await sp.readPrivateKeys({ armoredKeys: '' });
  const updated: Key = await bob.update(me);
  const certified: Key = await bob.signAllUsers([me]);
  const renamed: Key = await (await me.addUserID({ name: 'Me', email: 'me@work.example' })).setExpirationTime(0);
  // @ts-expect-error: the expiration time is seconds, not a Date
  await me.setExpirationTime(new Date());
  void [certified, renamed];
  await sp.configure({ callTimeout: 60_000 });
  // @ts-expect-error: an AEAD mode OpenPGP.js has no name for
  await sp.encrypt({ message: m, passwords: 'pw', sessionKey: { data: sk.data, algorithm: 'aes256', aeadAlgorithm: 'siv' } });
  // @ts-expect-error: readPrivateKeys takes armoredKeys / binaryKeys
  await sp.readPrivateKeys({ armoredKey: '' });
  void [esk, eskBytes, name, ids, sig, clear, keys, updated];
  // reformatKey, addSubkey, key servers.
  const re: { privateKey: Key; publicKey: Key; revocationCertificate: string } = await sp.reformatKey({ privateKey: me, userIDs: [{ email: 'me@example.org' }], keyExpirationTime: 86400, format: 'object', config: { aeadProtect: true } });
  const reArmored: string = (await sp.reformatKey({ privateKey: me, userIDs: 'Me <me@example.org>', passphrase: 'pw' })).privateKey;
  // @ts-expect-error: OpenPGP.js's date is not supported
  await sp.reformatKey({ privateKey: me, userIDs: 'Me <me@example.org>', date: new Date() });
  const grown: Key = await (await me.addSubkey()).addSubkey({ sign: true, type: 'rsa', rsaBits: 3072, keyExpirationTime: 0 });
  // @ts-expect-error: a subkey is not locked on its own (lock the whole key)
  await me.addSubkey({ passphrase: 'pw' });
  const found2: Key[] = await sp.vksLookup('alice@example.org', { url: 'https://keys.openpgp.org', maxBytes: 65536 });
  const found3: Key[] = await sp.hkpLookup('0123456789ABCDEF0123456789ABCDEF01234567', { url: new URL('https://keys.example'), signal: AbortSignal.timeout(1000) });
  // @ts-expect-error: the server is required
  await sp.vksLookup('alice@example.org', {});
  void [re, reArmored, grown, found2, found3];
}
void sessionKeysAndObjects;
