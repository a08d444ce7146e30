// The switch to the full module (issue 23 step 4), timed in Node: the page's direct mode on a shim
// staged with the default dev module first (tests/node/on-demand-stage.mjs), served from a local
// HTTP server; 10 keys (half passphrase-protected) made first, then a P-256 key from GnuPG read and
// its message decrypted (the switch: fetch, compile, keys moved, the call run again) and the same
// again on the full module.  Dev modules (not size-tuned), so only the order of magnitude counts.
//   node tests/bench/on-demand-switch.mjs [RUNS]     (after make build-dev)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stageOnDemand, onDemandFixtures, copyStaged } from '../node/on-demand-stage.mjs';
const st = stageOnDemand();
const f = await onDemandFixtures('x');
const full = readFileSync(join(st.dir, 'src/wasm/sealpost_wasm_full_bg.wasm'));
const def = readFileSync(join(st.dir, 'src/wasm/sealpost_wasm_bg.wasm'));
const srv = createServer((q, r) => r.writeHead(200, { 'content-type': 'application/wasm' }).end(q.url === '/full.wasm' ? full : def)).listen(0, '127.0.0.1');
await new Promise((r) => srv.on('listening', r));
const base = `http://127.0.0.1:${srv.address().port}`;
const runs = Number(process.argv[2] ?? 3);
for (let i = 0; i < runs; i++) {
  const sp = await import(pathToFileURL(join(copyStaged(st.dir), 'src/browser.js')).href);
  await sp.configure({ mode: 'direct', wasmUrl: `${base}/d.wasm`, fullWasmUrl: `${base}/full.wasm` });
  const keys = [];
  for (let k = 0; k < 10; k++) keys.push((await sp.generateKey({ userIDs: 'a <a@example.org>', format: 'object', passphrase: k % 2 ? 'p' : undefined })).privateKey);
  const run = async () => { const k = await sp.readPrivateKey({ armoredKey: f.p256Key }); return (await sp.decrypt({ message: await sp.readMessage({ armoredMessage: f.p256Message }), decryptionKeys: k })).data; };
  let t = performance.now(); await run(); const first = performance.now() - t;
  t = performance.now(); await run(); const second = performance.now() - t;
  console.log(`run ${i}: P-256 read+decrypt with the switch (10 keys moved) ${first.toFixed(0)} ms, the same afterwards ${second.toFixed(0)} ms`);
  await sp.terminate();
}
srv.close();
