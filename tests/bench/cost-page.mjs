// tests/bench/cost.mjs's page: where a worker-mode call's time goes, layer by layer.  cost.mjs
// runs one phase at a time (window.__phase(name, n) → wall µs per call) and reads the CPU time of
// the page's and the worker's threads from /proc around it.
import * as sealpost from '../../js-shim/src/browser.js';
import { current } from '../../js-shim/src/backend.js';
import { pattern } from './cost-ops.mjs';

const KIB = 1024;
const data = pattern(KIB);
const keyOptions = { userIDs: [{ name: 'Bench', email: 'bench@example.org' }], format: 'object', type: 'ecc', curve: 'curve25519Legacy' };
const engineKeygen = { userIDs: ['Bench <bench@example.org>'], type: 'curve25519', keyExpirationTime: 0, aead: false };

/** A module worker from a Blob URL (the page's CSP allows workers from blob: only) running `code`. */
function blobWorker(code) {
  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
}

async function per(count, fn) {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return ((performance.now() - t0) * 1000) / count;
}

/** How many messages the page posts to the crypto worker during fn (counted at Worker.prototype.postMessage). */
async function messagesOf(fn) {
  const post = Worker.prototype.postMessage;
  let count = 0;
  Worker.prototype.postMessage = function (...a) {
    count++;
    return post.apply(this, a);
  };
  try {
    await fn();
  } finally {
    Worker.prototype.postMessage = post;
  }
  return count;
}

/** A call to a worker that answers { id, result }. */
function asker(w) {
  let next = 1;
  const waiting = new Map();
  w.onmessage = ({ data: d }) => {
    waiting.get(d.id)?.(d);
    waiting.delete(d.id);
  };
  return (msg) => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    w.postMessage({ ...msg, id });
  });
}

const state = {};

async function setup() {
  // The platform: a worker that answers each message at once.
  state.echo = asker(blobWorker('self.onmessage = ({ data }) => self.postMessage(data);'));
  // The engine on a worker's own thread (cost-engine.mjs, bundled by cost.mjs).
  const w = blobWorker(window.__costEngineCode);
  state.engine = asker(w);
  await state.engine({ op: 'init', wasmUrl: new URL('../../js-shim/src/wasm/sealpost_wasm_bg.wasm', import.meta.url).href });
  // Worker mode (the default), then a direct-mode instance of the same package on this thread.
  state.worker = await keysFor(current());
  state.api = await apiKeys();
  state.messages = {
    'generateKey object': await messagesOf(async () => sealpost.generateKey(keyOptions)),
    'generateKey armored, passphrase': await messagesOf(async () => sealpost.generateKey({ ...keyOptions, passphrase: 'p', format: 'armored' })),
    sign: await messagesOf(async () => apiSign(state.api)),
    verify: await messagesOf(async () => apiVerify(state.api)),
  };
}

async function keysFor(be) {
  const call = (op, args) => be.run(op, args);
  const { key } = await call('generateKey', [engineKeygen]);
  const pub = await call('publicKey', [key.handle]);
  const sig = await call('sign', [{ data, signers: [key.handle], mode: 'detached', text: false, armor: false }]);
  return { call, key: key.handle, pub: pub.handle, sig };
}

async function apiKeys() {
  const { privateKey, publicKey } = await sealpost.generateKey(keyOptions);
  const k = { privateKey, publicKey };
  k.sig = await apiSign(k);
  return k;
}

const apiSign = async (k) => sealpost.sign({ message: await sealpost.createMessage({ binary: data }), signingKeys: k.privateKey, detached: true, format: 'binary' });
async function apiVerify(k) {
  const r = await sealpost.verify({ message: await sealpost.createMessage({ binary: data }), signature: await sealpost.readSignature({ binarySignature: k.sig }), verificationKeys: k.publicKey, expectSigned: true });
  await r.signatures[0].verified;
}
async function apiKeygen() {
  const k = await sealpost.generateKey(keyOptions);
  k.privateKey.dispose();
  k.publicKey.dispose();
}

const engineOps = (s) => ({
  noop: () => s.call('release', [[]]),
  sign: () => s.call('sign', [{ data, signers: [s.key], mode: 'detached', text: false, armor: false }]),
  verify: () => s.call('verify', [{ data, signature: s.sig, keys: [s.pub], requireSignature: true }]),
  keygen: async () => {
    const r = await s.call('generateKey', [engineKeygen]);
    const p = await s.call('publicKey', [r.key.handle]);
    await s.call('release', [[r.key.handle, p.handle]]);
  },
});

const phases = {
  echo: (n) => per(n, () => state.echo({ op: 'verify', args: [{ data, signature: state.worker.sig, keys: [state.worker.pub], requireSignature: true }] })),
  'engine-in-worker': async (n, op) => (await state.engine({ op: 'time', what: op, n })).us,
  'engine-in-worker-sleeps': async (n, op) => (await state.engine({ op: 'time', what: op, n, sleep: 0.2 })).us,
  'backend-worker': (n, op) => per(n, engineOps(state.worker)[op]),
  'api-worker': (n, op) => per(n, { sign: () => apiSign(state.api), verify: () => apiVerify(state.api), keygen: apiKeygen }[op]),
  async 'to-direct'() {
    await sealpost.configure({ mode: 'direct' });
    state.direct = await keysFor(current());
    state.api = await apiKeys();
    return 0;
  },
  'backend-direct': (n, op) => per(n, engineOps(state.direct)[op]),
  'api-direct': (n, op) => per(n, { sign: () => apiSign(state.api), verify: () => apiVerify(state.api), keygen: apiKeygen }[op]),
};

window.__phase = (name, n, op) => phases[name](n, op);
window.__ready = setup().then(() => ({ crossOriginIsolated: self.crossOriginIsolated, messages: state.messages }), (e) => ({ error: `${e && e.name}: ${e && e.message}` }));
