// sealpost's wasm build in Node: key generation, 16 MiB encrypt+sign /
// decrypt+verify (v4 SEIPDv1, v6 SEIPDv2-OCB), and module size and
// import time.  The same figures as wasm/core/examples/throughput.rs.
//   node tests/bench/throughput.mjs build/node/sealpost_wasm.js
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modPath = resolve(process.argv[2] || 'build/node/sealpost_wasm.js');
const t0 = performance.now();
const sp = await import(pathToFileURL(modPath).href);
const importMs = performance.now() - t0;
const wasm = readFileSync(join(dirname(modPath), 'sealpost_wasm_bg.wasm'));
const emit = (o) => console.log(JSON.stringify({ impl: 'wasm-node', ...o }));
emit({
  op: 'size',
  wasm_raw: wasm.length,
  wasm_gzip: gzipSync(wasm, { level: 9 }).length,
  wasm_brotli: brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
emit({ op: 'import+instantiate', ms: +importMs.toFixed(1) });

const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
const runs = 3;
const kg = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  sp.generateKey({ userIDs: ['Bench <bench@example.org>'] });
  kg.push(performance.now() - t);
}
emit({ op: 'keygen-curve25519-v4', ms: +median(kg).toFixed(2) });

const MIB = 1 << 20;
const size = 16 * MIB;
const data = new Uint8Array(size);
for (let i = 0; i < size; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
for (const version of [4, 6]) {
  const key = sp.generateKey({ userIDs: ['Bench <bench@example.org>'], version }).privateKey;
  const cert = key.toPublic();
  const encT = [], decT = [];
  for (let i = 0; i < runs; i++) {
    const e = new sp.Encryption();
    e.addRecipient(cert); e.addSigner(key); e.setArmor(false);
    let t = performance.now();
    const ct = e.encrypt(data);
    encT.push(performance.now() - t);
    const d = new sp.Decryption();
    d.addKey(key); d.addVerificationKey(cert); d.setRequireSignature(true);
    t = performance.now();
    const out = d.decrypt(ct);
    decT.push(performance.now() - t);
    if (out.data.length !== size || out.data[12345] !== data[12345]) throw new Error('round trip mismatch');
  }
  const label = version === 4 ? 'v4-seipdv1' : 'v6-seipdv2-ocb';
  const mibs = (ms) => +(16 / (ms / 1000)).toFixed(1);
  emit({ op: `encrypt+sign-16MiB-${label}`, mib_s: mibs(median(encT)) });
  emit({ op: `decrypt+verify-16MiB-${label}`, mib_s: mibs(median(decT)) });
}
