// Every code the guard blocks a tab with has its own sentence on blocked.html:
// a block the user cannot read is one they will click past.  The codes are
// read from the extension's sources (failure('CODE', …), blockedAs('CODE', …)
// and the codes thrown as { code: 'CODE' } to become one), the sentences from blocked.js's SUMMARY table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'blocked.js');

test('every code the guard blocks with has a summary on the blocked page', () => {
  const blocked = readFileSync(join(dir, 'blocked.js'), 'utf8');
  const table = blocked.slice(blocked.indexOf('const SUMMARY = {'), blocked.indexOf('};'));
  const summarized = new Set([...table.matchAll(/^\s+([A-Z_]+):/gm)].map((m) => m[1]));
  const codes = new Set();
  for (const f of sources) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:failure|blockedAs)\(\s*'([A-Z_]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\{ code: '([A-Z_]+)' \}/g)) codes.add(m[1]);
    for (const m of text.matchAll(/failure\(\s*e\.code === '([A-Z_]+)' \? '([A-Z_]+)' : '([A-Z_]+)'/g)) [m[2], m[3]].forEach((c) => codes.add(c));
  }
  assert.ok(codes.size >= 20, `only ${codes.size} codes found: the scan no longer matches the sources`);
  const missing = [...codes].filter((c) => !summarized.has(c)).sort();
  assert.deepEqual(missing, [], `codes with no sentence on blocked.html: ${missing.join(', ')}`);
});
