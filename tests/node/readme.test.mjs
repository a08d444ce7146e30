// The root README's quick start, run as written (only the import path is
// pointed at the build under test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repo, runQuickstart } from './quickstart.mjs';

test('README quick start runs and prints what it says', () => {
  const module = process.env.SEALPOST_WASM_NODE || `${repo}build/node-dev/sealpost_wasm.js`;
  const { expected, output } = runQuickstart(`${repo}README.md`, './build/node/sealpost_wasm.js', module);
  assert.equal(output, expected);
});
