// The root README's quick start (the npm package), run as written: only the import specifier
// 'sealpost' is pointed at the package's Node entry in this checkout (js-shim/src/node.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repo, runQuickstart } from './quickstart.mjs';

test('README quick start runs and prints what it says', () => {
  const { expected, output } = runQuickstart(`${repo}README.md`, 'sealpost', `${repo}js-shim/src/node.js`);
  assert.equal(output, expected);
});
