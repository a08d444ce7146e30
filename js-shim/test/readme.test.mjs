// The package README's quick start, run in Node against this package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repo, runQuickstart } from '../../tests/node/quickstart.mjs';

test('js-shim README quick start runs and prints what it says', () => {
  const { expected, output } = runQuickstart(`${repo}js-shim/README.md`, 'sealpost', `${repo}js-shim/src/node.js`);
  assert.equal(output, expected);
});
