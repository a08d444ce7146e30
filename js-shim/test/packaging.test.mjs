// The packed tarball, installed the way users install it: into a fresh
// Node ESM project, Vite, esbuild and Rollup projects that are built, and a
// plain HTML page.  The browser cases run in headless Chromium behind
// sealpost's strict CSP (tools/serve.mjs: worker-src blob:), in worker mode
// (the worker file fetched with its SHA-384, started from a Blob URL),
// encrypt and decrypt, and report back.  esbuild and Rollup leave
// new URL(…, import.meta.url) alone: those pages copy the worker and the wasm
// next to the bundle and say where with configure({ workerUrl, wasmUrl }).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, repo, serve } from '../../tests/e2e/helpers.mjs';

const VITE = '8.4.0';
const ESBUILD = '0.28.2';
const ROLLUP = '4.68.5';
const NODE_RESOLVE = '16.0.3';
const npm = (cwd, ...args) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
let tarball;
let chrome;

// What every consumer runs: a full round trip, with the result on stdout or window.
const ROUNDTRIP = `
const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'Pack <pack@example.org>', format: 'object' });
const encrypted = await sp.encrypt({ message: await sp.createMessage({ text: 'packed ✓' }), encryptionKeys: publicKey, signingKeys: privateKey });
const { data, signatures } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: encrypted }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true });
const result = data + ' ' + sp.getMode() + ' ' + (await signatures[0].verified);
`;

before(async () => {
  const out = mkdtempSync(join(tmpdir(), 'sealpost-pack-'));
  // --ignore-scripts: the tests run on the dev build of the wasm, which the package's prepack
  // refuses to pack (test/prepack.test.mjs); everything else is packed as for a release.
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out, '--loglevel=error'], { cwd: join(repo, 'js-shim'), encoding: 'utf8' }).trim().split('\n').pop();
  tarball = join(out, name);
  chrome = await browser();
});

after(async () => { await chrome?.close(); });

function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-consumer-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function runPage(dir, path = '') {
  // Their modules carry no integrity attribute: no Integrity-Policy here.
  const server = await serve(dir, { integrityPolicy: false });
  const page = await chrome.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The browser asks for /favicon.ico on its own; these pages have none.
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text()); });
  try {
    await page.goto(server.url + path);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120_000 });
    return { result: await page.evaluate(() => window.__result), errors };
  } finally {
    await page.close();
    await server.close();
  }
}

test('the tarball holds the wasm, the modules and the types, nothing else', () => {
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of ['package/package.json', 'package/index.d.ts', 'package/README.md', 'package/LICENSE', 'package/src/wasm/sealpost_wasm_bg.wasm', 'package/src/wasm/index.js', 'package/bin/sealpost-sop']) {
    assert.ok(listing.includes(f), `${f} missing from the tarball`);
  }
  // Every module of the library and of the SOP CLI, but the test entry.
  for (const dir of ['src', 'sop']) {
    for (const f of readdirSync(join(repo, 'js-shim', dir)).filter((n) => n.endsWith('.js') && n !== 'testing.js')) {
      assert.ok(listing.includes(`package/${dir}/${f}`), `${dir}/${f} missing from the tarball`);
    }
  }
  assert.ok(!listing.some((f) => f.includes('/test/')), 'tests are not shipped');
  assert.ok(!listing.includes('package/src/testing.js'), 'the test entry is not shipped');
  assert.ok(!listing.some((f) => f.startsWith('package/tools/')), 'the prepack guard is not shipped');
});

test('a fresh Node ESM project', () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    'main.js': `import * as sp from 'sealpost';\n${ROUNDTRIP}\nconsole.log(result);\n`,
  });
  npm(dir, 'install', tarball);
  assert.equal(execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }).trim(), 'packed ✓ direct true');
  // The package's bin: npm links it, and it runs the packed wasm.
  const sop = join(dir, 'node_modules/.bin/sealpost-sop');
  assert.match(execFileSync(sop, ['version'], { encoding: 'utf8' }), /^sealpost-sop /);
  const key = execFileSync(sop, ['generate-key', 'P <p@example.org>']);
  assert.match(key.toString(), /BEGIN PGP PRIVATE KEY BLOCK/);
});

test('a CommonJS project: require(\'sealpost\') (require(esm), Node ≥ 20.19 as engines says)', () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'cjs-consumer', private: true }),
    'main.cjs': `const sp = require('sealpost');\n(async () => {\n${ROUNDTRIP}\nconsole.log(result);\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
  });
  npm(dir, 'install', tarball);
  const r = execFileSync(process.execPath, ['--no-warnings', 'main.cjs'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.trim(), 'packed ✓ direct true');
});

test('a Vite project, built, in Chromium (worker mode)', async () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'vite-consumer', private: true, type: 'module', scripts: { build: 'vite build' } }),
    'index.html': '<!doctype html><html><head><script type="module" src="/main.js"></script></head><body>vite</body></html>\n',
    'main.js': `import * as sp from 'sealpost';\ntry {\n${ROUNDTRIP}\nwindow.__result = result;\n} catch (e) { window.__result = 'error: ' + e.code + ' ' + e.message; }\n`,
    'vite.config.js': "export default { worker: { format: 'es' }, build: { target: 'es2022' } };\n",
  });
  npm(dir, 'install', tarball, `vite@${VITE}`);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: dir, encoding: 'utf8' });
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no wasm asset in ${assets}`);
  const { result, errors } = await runPage(join(dir, 'dist'));
  assert.equal(result, 'packed ✓ worker true');
  assert.deepEqual(errors, []);
});

test('a plain HTML page importing the package, in Chromium (worker mode)', async () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'plain-consumer', private: true }),
    'index.html': '<!doctype html><html><head><script type="module" src="main.js"></script></head><body>plain</body></html>\n',
    // A page script's own Worker factory is refused, before and after the first call.
    'main.js': `import * as sp from './node_modules/sealpost/src/browser.js';
const refused = (p) => p.then(() => 'accepted', (e) => e.code);
const evil = (url) => new Worker(url, { type: 'module' });
try {
const early = await refused(sp.configure({ createWorker: evil }));
${ROUNDTRIP}
window.__result = result + ' ' + early + ' ' + (await refused(sp.configure({ createWorker: evil })));
} catch (e) { window.__result = 'error: ' + e.code + ' ' + e.message; }
`,
  });
  npm(dir, 'install', tarball);
  const { result, errors } = await runPage(dir);
  assert.equal(result, 'packed ✓ worker true CONFIG_REFUSED CONFIG_REFUSED');
  assert.deepEqual(errors, []);
});

// A bundled page: the worker file and the wasm copied beside the bundle, configure() says where.
const BUNDLED_MAIN = `import * as sp from 'sealpost';
try {
  await sp.configure({ workerUrl: new URL('./worker.bundle.js', import.meta.url), wasmUrl: new URL('./sealpost_wasm_bg.wasm', import.meta.url) });
${ROUNDTRIP}
  window.__result = result;
} catch (e) { window.__result = 'error: ' + e.code + ' ' + e.message; }
`;

function copyAssets(dir) {
  for (const f of ['worker.bundle.js', 'sealpost_wasm_bg.wasm']) {
    cpSync(join(dir, 'node_modules/sealpost/src/wasm', f), join(dir, 'dist', f));
  }
  writeFileSync(join(dir, 'dist/index.html'), '<!doctype html><html><head><script type="module" src="main.js"></script></head><body>bundled</body></html>\n');
}

/** The bundle's own JS files (not the copied worker): no wasm glue in the entry chunk. */
function entryHasNoGlue(dir) {
  const main = readFileSync(join(dir, 'dist/main.js'), 'utf8');
  assert.ok(!main.includes('__wbindgen'), 'the page entry carries the wasm glue');
}

test('an esbuild bundle (ESM, code splitting), in Chromium (worker mode)', async () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'esbuild-consumer', private: true, type: 'module' }),
    'main.js': BUNDLED_MAIN,
  });
  npm(dir, 'install', tarball, `esbuild@${ESBUILD}`);
  execFileSync('npx', ['esbuild', 'main.js', '--bundle', '--format=esm', '--splitting', '--outdir=dist', '--log-level=error'], { cwd: dir, encoding: 'utf8' });
  copyAssets(dir);
  entryHasNoGlue(dir);
  const { result, errors } = await runPage(join(dir, 'dist'));
  assert.equal(result, 'packed ✓ worker true');
  assert.deepEqual(errors, []);
});

test('a Rollup bundle, in Chromium (worker mode)', async () => {
  const dir = project({
    'package.json': JSON.stringify({ name: 'rollup-consumer', private: true, type: 'module' }),
    'main.js': BUNDLED_MAIN,
    'rollup.config.js': "import { nodeResolve } from '@rollup/plugin-node-resolve';\nexport default { input: 'main.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve({ browser: true })] };\n",
  });
  npm(dir, 'install', tarball, `rollup@${ROLLUP}`, `@rollup/plugin-node-resolve@${NODE_RESOLVE}`);
  execFileSync('npx', ['rollup', '-c', '--silent'], { cwd: dir, encoding: 'utf8' });
  copyAssets(dir);
  entryHasNoGlue(dir);
  const { result, errors } = await runPage(join(dir, 'dist'));
  assert.equal(result, 'packed ✓ worker true');
  assert.deepEqual(errors, []);
});
