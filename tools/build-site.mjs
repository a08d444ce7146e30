#!/usr/bin/env node
// Assembles the demo site: www/ with the page's code as ONE file, app.js —
// www/app.js and everything it imports (the sealpost package's browser
// entry, js-shim/src/browser.js, and its modules) bundled by esbuild
// (pinned in package.json) — plus the two files the package fetches at
// run time, each with the SHA-384 built into the bundle:
//   sealpost/wasm/worker.bundle.js       the crypto worker (one file, started from blob:)
//   sealpost/wasm/sealpost_wasm_bg.wasm  the wasm (fetched while the worker starts)
//   sealpost/wasm/sealpost_wasm_full_bg.wasm  the full module, where the package has the default
//                                        one (fetched only when a key or message needs it)
// One page script: a document can run no other genuine module in its place
// (a modulepreload carrying another release file's hash at app.js's URL
// finds no second hash to borrow; issue 18, "module substitution").
// Every %%SRI:<path>%% placeholder is then replaced by the SHA-384
// integrity of that file *as served*; files are resolved depth-first, so a
// file's hash covers the hashes it embeds.  Output is deterministic: same
// sources, same bytes (no absolute paths, no dates, sorted walks).
//   node tools/build-site.mjs --www www --shim js-shim/src --out build/site
import { build } from 'esbuild';
import { BUNDLE } from './esbuild-settings.mjs';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) {
    console.error(`usage: build-site.mjs --www DIR --shim DIR --out DIR (missing --${name})`);
    process.exit(2);
  }
  return process.argv[i + 1];
}

const www = arg('www');
const shim = arg('shim');
const out = arg('out');
/**
 * What the site serves of the package: fetched by the bundle, not run as page scripts.  A package
 * staged with the default module (tools/build-shim.mjs --default-wasm) also has the full module,
 * fetched only when a key or message needs it.
 */
const FULL_WASM = 'wasm/sealpost_wasm_full_bg.wasm';
const SHIM_FILES = ['wasm/worker.bundle.js', 'wasm/sealpost_wasm_bg.wasm', ...(existsSync(join(shim, FULL_WASM)) ? [FULL_WASM] : [])];
for (const f of SHIM_FILES) {
  if (!existsSync(join(shim, f))) {
    console.error(`build-site: ${shim} has no ${f} (run tools/build-shim.mjs first)`);
    process.exit(2);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(www, out, { recursive: true });
// The sources of the bundle, where app.js imports them from (./sealpost/):
// esbuild runs in `out`, so the comments naming each module's origin are
// paths relative to the site (`// sealpost/api.js`), whatever the checkout.
cpSync(shim, join(out, 'sealpost'), { recursive: true, filter: (src) => !src.endsWith('.d.ts') });
// A module names a file beside it as new URL('<relative>', import.meta.url)
// (the shim's default worker and wasm locations, the wasm glue's own); in
// one bundle import.meta.url is app.js's, so each such literal is rewritten
// relative to app.js (what Vite does with these URLs).  Each must name a
// file the site serves.
const ASSET_URL = /new URL\((['"])([^'"\n]+)\1,\s*import\.meta\.url\)/g;
const site = resolve(out);
const assetUrls = {
  name: 'asset-urls',
  setup(b) {
    b.onLoad({ filter: /\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const from = relative(site, dirname(args.path)).split(sep).join('/');
      const contents = text.replace(ASSET_URL, (_, q, url) => {
        const path = posix.normalize(posix.join(from, url));
        if (!path.startsWith('sealpost/') || !SHIM_FILES.includes(path.slice('sealpost/'.length))) {
          throw new Error(`${relative(site, args.path)} names ${url} (${path}), which the site does not serve`);
        }
        return `new URL(${q}./${path}${q}, import.meta.url)`;
      });
      return { contents, loader: 'js' };
    });
  },
};
const bundled = await build({
  entryPoints: ['app.js'],
  absWorkingDir: resolve(out),
  outfile: 'app.js',
  allowOverwrite: true,
  write: false,
  metafile: true,
  // The worker bundle's settings; no code splitting, so direct mode's dynamic
  // import of the wasm glue is inlined.
  ...BUNDLE,
  plugins: [assetUrls],
});
const [output] = bundled.outputFiles;
const app = Buffer.from(output.contents);
// One file: nothing in it loads code (the worker and the wasm are fetched as data).
const imports = Object.values(bundled.metafile.outputs).flatMap((o) => o.imports);
if (imports.length || /^\s*import[\s{*'"]|\bimport\s*\(|importScripts/m.test(app.toString('utf8'))) {
  throw new Error(`the page bundle still loads a module: ${JSON.stringify(imports)}`);
}
rmSync(join(out, 'sealpost'), { recursive: true });
for (const f of SHIM_FILES) {
  mkdirSync(dirname(join(out, 'sealpost', f)), { recursive: true });
  cpSync(join(shim, f), join(out, 'sealpost', f));
}
writeFileSync(join(out, 'app.js'), app);

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

// The page's scripts: exactly app.js, with its integrity, and no module preloads.
const scripts = [...done.keys()].filter((p) => /\.m?js$/.test(p)).sort();
const expected = ['app.js', ...SHIM_FILES.filter((f) => f.endsWith('.js')).map((f) => `sealpost/${f}`)];
if (scripts.join() !== expected.sort().join()) throw new Error(`the site's scripts are ${scripts}, expected ${expected}`);
const html = readFileSync(join(out, 'index.html'), 'utf8');
const tags = html.match(/<script\b[^>]*>|<link\b[^>]*\brel="?modulepreload[^>]*>/g) || [];
if (tags.length !== 1 || !tags[0].includes('src="app.js"') || !tags[0].includes(`integrity="${done.get('app.js')}"`)) {
  throw new Error(`index.html must load app.js alone, with its integrity: ${tags}`);
}
for (const [path, sri] of [...done].sort()) console.log(`${sri}  ${path}`);
