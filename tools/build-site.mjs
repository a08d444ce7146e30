#!/usr/bin/env node
// Assembles the demo site: www/ plus the sealpost package's browser
// modules and wasm in sealpost/, with every %%SRI:<path>%% placeholder
// replaced by the SHA-384 integrity of that file *as served*.  Files are
// resolved depth-first, so a file's hash covers the hashes it embeds.
// %%MODULEPRELOADS%% becomes one integrity-pinned <link rel=modulepreload>
// per module of the page's import graph (a static import cannot carry an
// integrity attribute itself).  Output is deterministic: sorted, no dates.
//   node tools/build-site.mjs --www www --shim js-shim/src --out build/site
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) {
    console.error(`usage: build-site.mjs --www DIR --pkg DIR --out DIR (missing --${name})`);
    process.exit(2);
  }
  return process.argv[i + 1];
}

const www = arg('www');
const shim = arg('shim');
const out = arg('out');
if (!existsSync(join(shim, 'wasm', 'sealpost_wasm_bg.wasm'))) {
  console.error(`build-site: ${shim}/wasm has no sealpost_wasm_bg.wasm (run tools/build-shim.mjs first)`);
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(www, out, { recursive: true });
// The browser half of the package: no Node entry point, no type files.
cpSync(shim, join(out, 'sealpost'), {
  recursive: true,
  filter: (src) => !src.endsWith('.d.ts') && !src.endsWith('/node.js') && !src.endsWith('/testing.js'),
});
// Modules the page imports.  Not the worker: the page fetches its one file
// (wasm/worker.bundle.js) with the SHA-384 built into wasm/worker-integrity.js
// and starts it from a blob: URL (worker-src blob:); worker.js and the glue
// are only its sources (the glue is imported by direct mode on demand).
const modules = [];
(function collect(dir, rel) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) collect(join(dir, e.name), r);
    else if (e.name.endsWith('.js') && !['worker.js', 'wasm/worker.bundle.js'].includes(r)) modules.push(`sealpost/${r}`);
  }
})(join(out, 'sealpost'), '');
const index = join(out, 'index.html');
writeFileSync(index, readFileSync(index, 'utf8').replace('%%MODULEPRELOADS%%',
  modules.map((m) => `  <link rel="modulepreload" href="${m}" integrity="%%SRI:${m}%%">`).join('\n')));

const PLACEHOLDER = /%%SRI:([A-Za-z0-9_./-]+)%%/g;
const textual = /\.(html|js|mjs|css|json)$/;
const done = new Map();   // path → integrity
const active = new Set(); // cycle detection

function integrity(path) {
  if (done.has(path)) return done.get(path);
  if (active.has(path)) throw new Error(`SRI placeholders form a cycle at ${path}`);
  const file = join(out, path);
  if (!existsSync(file)) throw new Error(`SRI placeholder names a missing file: ${path}`);
  active.add(path);
  let bytes = readFileSync(file);
  if (textual.test(path)) {
    const text = bytes.toString('utf8');
    const filled = text.replace(PLACEHOLDER, (_, ref) => integrity(ref));
    if (filled !== text) {
      writeFileSync(file, filled);
      bytes = Buffer.from(filled, 'utf8');
    }
  }
  active.delete(path);
  const sri = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  done.set(path, sri);
  return sri;
}

function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else integrity(relative(out, p));
  }
}
walk(out);
for (const [path, sri] of [...done].sort()) console.log(`${sri}  ${path}`);
