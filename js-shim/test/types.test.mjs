// The TypeScript declarations compile against real usage, and reject misuse; and they match
// the runtime (types/runtime.ts: src/ read as JavaScript, the same exports, and per call the
// same option names as src/options.js, the table the calls check their arguments against).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('index.d.ts type-checks real usage and matches the runtime in src/ (tsc --strict, allowJs)', () => {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
