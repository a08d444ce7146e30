// Writes the seed corpus of every fuzz target (fuzz/corpus/TARGET/), made
// with the real library: valid messages, keys, signatures, mail, pages and
// manifests are where a mutating fuzzer finds the deep paths.  Deterministic
// in structure, not in bytes (keys and salts are random); `make fuzz` runs it
// when a corpus is empty.  Needs the dev build (make build-dev).
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sp from '../js-shim/src/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const enc = new TextEncoder();
let n = 0;
function put(target, data) {
  const dir = join(here, 'corpus', target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `seed-${String(n++).padStart(4, '0')}`), typeof data === 'string' ? enc.encode(data) : data);
}

// The fuzz targets decrypt with this key (fuzz/key.asc, test-only, unprotected).
const key = await sp.readKey({ armoredKey: readFileSync(join(here, 'key.asc'), 'utf8') });
const cert = await key.toPublic();
const v6 = (await sp.generateKey({ userIDs: 'Six <six@example.org>', type: 'curve25519', format: 'object' })).privateKey;
const text = await sp.createMessage({ text: 'fuzz seed\nsecond line\n' });
const binary = await sp.createMessage({ binary: new Uint8Array(300).map((_, i) => i) });

for (const message of [text, binary]) {
  put('decrypt', await sp.encrypt({ message, encryptionKeys: cert, format: 'binary' }));
  put('decrypt', await sp.encrypt({ message, encryptionKeys: cert, signingKeys: key }));
  put('decrypt', await sp.encrypt({ message, encryptionKeys: cert, signingKeys: key, format: 'binary', config: { aeadProtect: true } }));
  put('decrypt', await sp.encrypt({ message, passwords: 'fuzz', format: 'binary' }));
  put('verify', await sp.sign({ message, signingKeys: key, format: 'binary' }));
  put('verify', await sp.sign({ message, signingKeys: [key, v6] }));
  const sig = await sp.sign({ message, signingKeys: key, detached: true, format: 'binary' });
  // verify_detached: first byte = data length (≤ 255), then signature, then data.
  const data = message.data.subarray(0, 200);
  const sigOverPrefix = await sp.sign({ message: await sp.createMessage({ binary: data }), signingKeys: key, detached: true, format: 'binary' });
  put('verify_detached', new Uint8Array([data.length, ...sigOverPrefix, ...data]));
  void sig;
}
put('verify', await sp.sign({ message: await sp.createCleartextMessage({ text: 'clear\n- dash\n' }), signingKeys: key }));
put('decrypt', await sp.encrypt({ message: text, encryptionKeys: await v6.toPublic(), format: 'binary' }));

for (const k of [key, cert, v6, await v6.toPublic()]) {
  put('cert', await k.write());
  put('armor', await k.armor());
}
put('armor', await sp.encrypt({ message: text, passwords: 'x' }));
// Sizes next to a fixed-width field sequoia converts with an `as`/`expect`
// (issue 26): a v4 key's public part is hashed for its fingerprint with a
// two-octet length, so sequoia-openpgp 2.4.2 panics past 65535 bytes.  Just
// under, at and over the limit, as a subkey of the fuzz key and as a primary
// key, with the private-use algorithm 100 whose key material sequoia keeps
// as it is; a mutator then moves the lengths around.
const v4KeyPacket = (tag, bodyLen) => {
  const p = new Uint8Array(6 + bodyLen).fill(0x42);
  const view = new DataView(p.buffer);
  p[0] = 0xc0 | tag;
  p[1] = 0xff;
  view.setUint32(2, bodyLen);
  p.set([4, 0x65, 0x53, 0xf1, 0x00, 100], 6);
  return p;
};
const certBytes = await cert.write();
for (const n of [0xfffe, 0xffff, 0x10000, 0x10001]) put('cert', Buffer.concat([certBytes, v4KeyPacket(14, n)]));
put('cert', v4KeyPacket(6, 0x10000));
// The same packet where a message is expected, and inside a keyring.
put('verify', Buffer.concat([v4KeyPacket(14, 0x10000), await sp.sign({ message: text, signingKeys: key, format: 'binary' })]));
put('cert', Buffer.concat([certBytes, certBytes, v4KeyPacket(14, 0x10000)]));

put('cert', await sp.autocryptHeader(key, 'fuzz@example.org'));

const mail = { from: 'Fuzz <fuzz@example.org>', to: 'fuzz@example.org', subject: 'Grüße', text: 'body\n', html: '<p>x</p>', attachments: [{ filename: 'a.bin', data: new Uint8Array([1, 2, 3]) }] };
put('mime', await sp.encryptMail(mail, { encryptionKeys: cert, signingKeys: key, autocrypt: true }));
put('mime', await sp.signMail(mail, { signingKeys: key }));
put('mime', 'From: a@example.org\r\nSubject: =?utf-8?q?hall=C3=B6?=\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n--b--\r\n');
put('mime', `From: fuzz@example.org\r\nContent-Type: text/plain\r\n\r\n${await sp.encrypt({ message: text, encryptionKeys: cert, signingKeys: key })}`);

for (const f of readdirSync(join(repo, 'www'))) {
  if (f.endsWith('.html')) put('html', readFileSync(join(repo, 'www', f)));
  if (f.endsWith('.js')) put('html', readFileSync(join(repo, 'www', f)));
}
put('html', '<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src \'self\'"><script type="module" src="a.js" integrity="sha384-abc"></script><link rel="modulepreload" href="b.js"><link rel="stylesheet" href="s.css">');
put('sri', 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC sha256-abc?opt');
put('sri', "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'");
const manifest = join(repo, 'dist', 'manifest.json');
if (existsSync(manifest)) put('manifest', Buffer.concat([readFileSync(manifest), readFileSync(`${manifest}.sig`)]));
put('manifest', '{"format":"sealpost-manifest/1","version":"1.2.3","files":{}}');
console.log(`seeded ${n} inputs under fuzz/corpus/`);
