// The README's quick start, run as written (only the import path is pointed
// at the build under test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const module = process.env.SEALPOST_WASM_NODE || `${repo}build/node-dev/sealpost_wasm.js`;

test('README quick start runs and prints what it says', () => {
  const readme = readFileSync(`${repo}README.md`, 'utf8');
  const block = readme.match(/<!-- quickstart:start -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/);
  assert.ok(block, 'README has no quick start block');
  const code = block[1];
  assert.ok(code.split('\n').filter((l) => l.trim()).length <= 15, 'the quick start should stay short');
  const expected = code.match(/\/\/ (.*)\s*$/)[1];
  const runnable = code.replace("'./build/node/sealpost_wasm.js'", JSON.stringify(module));
  assert.notEqual(runnable, code, 'the import path in the README changed; update this test');
  mkdirSync(`${repo}build`, { recursive: true });
  const file = `${repo}build/readme-quickstart.mjs`;
  writeFileSync(file, runnable);
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  assert.equal(out.trim(), expected.trim());
});
