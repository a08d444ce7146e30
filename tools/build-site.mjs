#!/usr/bin/env node
// Assembles the demo site: www/ plus the wasm-bindgen output in pkg/, with
// every %%SRI:<path>%% placeholder replaced by the SHA-384 integrity of that
// file *as served*.  Files are resolved depth-first, so a file's hash covers
// the hashes it embeds (index.html → app.js → the wasm).
//   node tools/build-site.mjs --www www --pkg build/pkg --out build/site
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
const pkg = arg('pkg');
const out = arg('out');
if (!existsSync(join(pkg, 'sealpost_wasm_bg.wasm'))) {
  console.error(`build-site: ${pkg} has no sealpost_wasm_bg.wasm (run wasm-bindgen --target web first)`);
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(www, out, { recursive: true });
cpSync(pkg, join(out, 'pkg'), { recursive: true });

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
