// Chromium's real SRI behaviour, case by case: the table
// verifier/tests/sri-chromium.json says for each integrity value whether
// Chromium runs a script carrying it.  This test re-checks every row in
// headless Chromium (a page with one <script integrity=…> per case; each
// script that runs calls a beacon), and verifier/tests/sri_chromium.rs checks
// the verifier's parser against the same rows: together a differential test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browser, repo } from './helpers.mjs';

const { body, cases } = JSON.parse(readFileSync(join(repo, 'verifier/tests/sri-chromium.json'), 'utf8'));

function placeholders() {
  const b64 = (alg, data) => createHash(alg).update(data).digest('base64');
  const v = {};
  for (const n of ['256', '384', '512']) {
    v[`sha${n}.b64`] = b64(`sha${n}`, body);
    v[`sha${n}`] = `sha${n}-${v[`sha${n}.b64`]}`;
    v[`bad${n}.b64`] = b64(`sha${n}`, 'other');
    v[`bad${n}`] = `sha${n}-${v[`bad${n}.b64`]}`;
  }
  const url = (s) => s.replace(/\+/g, '-').replace(/\//g, '_');
  v['sha384.b64url'] = url(v['sha384.b64']);
  v['bad384.b64url'] = url(v['bad384.b64']);
  v['sha256.b64nopad'] = v['sha256.b64'].replace(/=+$/, '');
  v['bad256.b64nopad'] = v['bad256.b64'].replace(/=+$/, '');
  return v;
}

test(`Chromium runs or refuses each of the ${cases.length} integrity values as the table says`, async () => {
  const v = placeholders();
  const fill = (t) => t.replace(/\{([\w.]+)\}/g, (_, k) => {
    assert.ok(k in v, `unknown placeholder ${k}`);
    return v[k];
  });
  const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const ran = new Set();
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/beacon') {
      ran.add(Number(u.search.slice(1)));
      res.end();
    } else if (u.pathname === '/s.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset=utf-8>\n' + cases.map((c, i) =>
        `<script src="/s.js?${i}" data-n="${i}" integrity="${attr(fill(c.integrity))}"></script>`).join('\n')
        + '\n<script src="/s.js?done" data-n="-1"></script>');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const b = await browser();
  try {
    const page = await b.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    // Classic scripts run in order; the last one (no integrity) marks the end.
    for (let i = 0; i < 100 && !ran.has(-1); i++) await page.waitForTimeout(50);
    assert.ok(ran.has(-1), 'the page ran to its end');
    const differ = cases.map((c, i) => ({ ...c, chromium: ran.has(i) })).filter((c) => c.chromium !== c.runs);
    assert.deepEqual(differ, [], 'Chromium disagrees with the table');
  } finally {
    await b.close();
    server.close();
  }
});
