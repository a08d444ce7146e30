// Every test named in SECURITY.md's claims table exists: a Rust `fn name(`
// in the named file, or a JS test with that name (a template literal name
// matches with its ${…} parts as wildcards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function claims() {
  const doc = readFileSync(`${repo}SECURITY.md`, 'utf8');
  const section = doc.split('## Claims and their tests')[1]?.split('\n## ')[0];
  assert.ok(section, 'SECURITY.md has no claims table');
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| claim') && !l.startsWith('|---'));
  // A claim names one test or several (`file::name`, comma-separated); a Rust
  // name may carry its module path (`tests::name`): the function is its last part.
  return rows.flatMap((row) => {
    const cells = row.split('|').map((c) => c.trim());
    assert.ok(/^`[^`]+::[^`]+`(, `[^`]+::[^`]+`)*$/.test(cells[2]), `claim without a test reference: ${row}`);
    return [...cells[2].matchAll(/`([^`]+?)::([^`]+)`/g)].map(([, file, name]) => ({
      claim: cells[1],
      file,
      name: file.endsWith('.rs') ? name.split('::').pop() : name,
    }));
  });
}

function defines(source, file, name) {
  if (file.endsWith('.rs')) return new RegExp(`\\bfn ${name}\\(`).test(source);
  const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``].some((q) => source.includes(q));
  if (quoted) return true;
  const templates = source.match(/`[^`]*\$\{[^`]*`/g) || [];
  return templates.some((t) => {
    const pattern = t.slice(1, -1).split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`).test(name);
  });
}

test('SECURITY.md: every claim names a test that exists', () => {
  const list = claims();
  assert.ok(list.length >= 10, `only ${list.length} claims found`);
  for (const { claim, file, name } of list) {
    assert.ok(existsSync(`${repo}${file}`), `${claim}: ${file} does not exist`);
    assert.ok(defines(readFileSync(`${repo}${file}`, 'utf8'), file, name), `${claim}: no test "${name}" in ${file}`);
  }
});
