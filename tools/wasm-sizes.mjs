#!/usr/bin/env node
// Where the bytes of a wasm module go: code bytes per crate (from the
// function names of a module that still has its name section, e.g. cargo's
// output before wasm-bindgen --remove-name-section), the data segments, and
// the largest functions.  Generic code is counted under the crate of its
// first named type (`<sequoia_openpgp::…>`).
//   node tools/wasm-sizes.mjs target/wasm32-unknown-unknown/release/sealpost_wasm.wasm [--top N]
// With --table, the bytes a browser downloads instead: raw, gzip -9 and
// brotli (quality 11) of each file given (any file, e.g. the modules
// wasm-bindgen wrote), as a Markdown table.
//   node tools/wasm-sizes.mjs --table build/pkg/sealpost_wasm_bg.wasm build/extension-release/pkg/*.wasm
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const files = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--top');
const [file] = files;
const ti = process.argv.indexOf('--top');
const top = ti > 0 ? Number(process.argv[ti + 1]) : 30;
if (!file) {
  console.error('usage: wasm-sizes.mjs MODULE.wasm [--top N] | --table FILE...');
  process.exit(2);
}
if (process.argv.includes('--table')) {
  console.log('| file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|');
  for (const f of files) {
    const d = readFileSync(f);
    const gz = gzipSync(d, { level: 9 }).length;
    const br = brotliCompressSync(d, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`| ${f} | ${d.length} | ${gz} | ${br} |`);
  }
  process.exit(0);
}
const b = readFileSync(file);
let pos = 8;
const leb = () => {
  let r = 0n;
  let shift = 0n;
  for (;;) {
    const x = b[pos++];
    r |= BigInt(x & 0x7f) << shift;
    shift += 7n;
    if (x < 0x80) return Number(r);
  }
};
const str = () => {
  const n = leb();
  const s = b.subarray(pos, pos + n).toString('utf8');
  pos += n;
  return s;
};

let imported = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (pos < b.length) {
  const id = b[pos++];
  const size = leb();
  const end = pos + size;
  sections.push({ id, size });
  if (id === 2) {
    // imports: count the functions (they come first in the index space)
    for (let n = leb(); n > 0; n--) {
      str();
      str();
      const kind = b[pos++];
      if (kind === 0) {
        leb();
        imported++;
      } else if (kind === 1) {
        pos++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        pos += 2;
      } else if (kind === 4) {
        pos++;
        leb();
      }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const start = pos;
      const len = leb();
      pos += len;
      bodies.push(pos - start);
    }
  } else if (id === 0 && str() === 'name') {
    while (pos < end) {
      const kind = b[pos++];
      const len = leb();
      const subEnd = pos + len;
      if (kind === 1) for (let n = leb(); n > 0; n--) names.set(leb(), str());
      pos = subEnd;
    }
  }
  pos = end;
}
if (!names.size) {
  console.error(`${file} has no name section: use the module cargo wrote, before wasm-bindgen --remove-name-section`);
  process.exit(1);
}

function crate(name) {
  const generic = /^_ZN\d+_\$LT\$/.test(name) && name.match(/([a-z][a-z0-9_]*)\.\./);
  if (generic) return `<${generic[1]}>`;
  const mangled = name.match(/^_ZN(\d+)(.*)$/);
  if (mangled) return mangled[2].slice(0, Number(mangled[1]));
  // v0 mangling (std is built with it): the first crate root, `C<disambiguator>_<len><name>`.
  const v0 = name.startsWith('_R') && name.match(/C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)/);
  if (v0) return v0[2].slice(0, Number(v0[1]));
  const path = name.match(/^<?([a-z][a-z0-9_]*)(\[[0-9a-f]+\])?::/);
  return path ? path[1] : '(other)';
}
const perCrate = new Map();
const fns = bodies.map((size, i) => {
  const name = names.get(i + imported) ?? '?';
  const c = crate(name);
  perCrate.set(c, (perCrate.get(c) ?? 0) + size);
  return { size, name };
});
const code = bodies.reduce((a, x) => a + x, 0);
const data = sections.filter((s) => s.id === 11).reduce((a, s) => a + s.size, 0);
console.log(`${file}: ${b.length} bytes; code ${code} in ${bodies.length} functions; data ${data}`);
console.log('\ncode bytes per crate:');
for (const [c, size] of [...perCrate].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  console.log(`${String(size).padStart(9)}  ${(100 * size / code).toFixed(1).padStart(5)}%  ${c}`);
}
console.log('\nlargest functions:');
for (const { size, name } of fns.sort((x, y) => y.size - x.size).slice(0, top)) {
  console.log(`${String(size).padStart(9)}  ${name.replace(/17h[0-9a-f]{16}E$/, '').slice(0, 120)}`);
}
