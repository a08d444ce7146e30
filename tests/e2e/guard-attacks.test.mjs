// sealpost guard v2 under attack.  A hostile proxy stands in front of the
// genuine demo server on the enrolled origin; it is honest during
// enrollment and then turns hostile, one attack per test.  Every hostile
// payload calls a same-origin beacon (/__beacon?<attack>), which the proxy
// counts.  For each attack two things are asserted: the attacker's code ran
// 0 times, and the load ended blocked with the expected reason (or, where
// nothing hostile could run, the genuine release).
//   SEALPOST_EXTENSION=dir runs the same attacks against another build
//   (e.g. the guard before v2) to fill the "before" column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { bareChromium, newBlockedPage, openPopup, repo, serveDemo, stopExtensionWorker, visitSite } from './helpers.mjs';

const extension = process.env.SEALPOST_EXTENSION || join(repo, 'build/extension');
const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const releaseCert = join(repo, 'keys/demo-release.cert');

let dir, upstream, proxy, origin, context, extId, page, tabId;
/** The attack the proxy plays now (null: honest), and the beacon hits per attack. */
let attack = null;
const beacons = new Map();
/** Per beacon name, when each hit was sent (for beacons that say). */
const beaconTimes = new Map();
/** Requests the proxies answered with a payload, per path (whether or not it then ran). */
const payloadFetches = new Map();
/** Requests the proxies saw with Sec-Purpose: prefetch;prerender. */
const prerenderRequests = [];
/** The pre-enrollment pages already served (each URL once). */
const preEnrollServed = new Set();
/** One line per attack, printed at the end (the attack table). */
const results = [];
const beacon = (name) => `navigator.sendBeacon('/__beacon?${name}')`;
const sri = (text) => 'sha384-' + createHash('sha384').update(text).digest('base64');

/**
 * Hostile changes to the page the browser navigates to (Sec-Fetch-Dest:
 * document; the extension's own fetch gets the genuine one).  The attacker
 * is the server, so it also drops its CSP header (csp: null) where that
 * helps it.
 */
const ATTACKS = {
  'stalled-manifest': { stallManifest: true, csp: null, page: (h) => inject(h, `<script>${beacon('stalled-manifest')}</script>`) },
  'redirect-without-location': { status: 302, csp: null, page: (h) => inject(h, `<script>${beacon('redirect-without-location')}</script>`) },
  'svg-noscript-script': { csp: null, page: (h) => inject(h, `<svg><noscript><script>${beacon('svg-noscript-script')}</script><script href="/__payload/svg.js"></script></noscript></svg>`, 'body') },
  'declarative-shadow-root': { csp: null, page: (h) => inject(h, `<div><template shadowrootmode="open"><script>${beacon('declarative-shadow-root')}</script><iframe src="/__payload/frame.html"></iframe></template></div>`, 'body') },
  'payload-under-well-known': { csp: null, page: (h) => inject(h, `<script type="module" src="/.well-known/sealpost/p.js" integrity="${sri(PAYLOAD('payload-under-well-known'))}"></script>`) },
  'unlisted-module-with-integrity': { csp: null, page: (h) => inject(h, `<script type="module" src="/__payload/m.js" integrity="${sri(PAYLOAD('unlisted-module-with-integrity'))}"></script>`) },
  'csp-extra-host': { csp: "default-src 'none'; script-src 'self' https://cdn.example 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'" },
  'no-csp-header': { csp: null, page: (h) => inject(h, `<script>${beacon('no-csp-header')}</script>`) },
  // The same with the server's CSP left in place: only the DOM check can tell.
  'svg-noscript-split-view': { page: (h) => inject(h, `<svg><noscript><script href="/__payload/svg.js"></script></noscript></svg>`, 'body') },
  'declarative-shadow-root-split-view': { page: (h) => inject(h, `<div><template shadowrootmode="closed"><script type="module" src="/__payload/m.js"></script></template></div>`, 'body') },
  // A forged page with no code at all: the genuine scripts, plus a phishing link.
  'forged-page-link': { page: (h) => inject(h, '<p><a id="phish" href="/__beacon?forged-page-link">Your mailbox is full: click here</a></p>', 'body') },
  // The worker bundle, altered for the page's own fetch only (Sec-Fetch-Site:
  // same-origin; the guard's re-fetch says none): the split view that a
  // worker loaded by URL could not resist.
  'worker-split': { worker: (js) => `fetch('/__beacon?worker-split');\n${js}` },
  // Finding 1: the server redirects / to the same origin with user info in the URL.
  'userinfo-redirect': { userInfo: 'user' },
  'userinfo-password-redirect': { userInfo: 'user:pw' },
  'refresh-and-link-headers': { extraHeaders: { refresh: '0; url=/__payload/frame.html', link: '</__payload/m.js>; rel=preload; as=script' } },
  // A page prerendered from another origin of the same site (which needs the
  // target's opt-in header, the server's to give): hostile, and genuine.
  prerender: {
    csp: null, extraHeaders: { 'supports-loading-mode': 'credentialed-prerender' },
    page: (h) => inject(h, `<script>${beacon('prerender')}</script>`),
  },
  'prerender-genuine': { extraHeaders: { 'supports-loading-mode': 'credentialed-prerender' } },
  // 103 Early Hints (HTTP/2): preloads of code the release does not contain, before the genuine page…
  'early-hints': { earlyHints: ['</__payload/eh.js>; rel=preload; as=script', '</__payload/eh.mjs>; rel=modulepreload'] },
  // …and before a page that also uses them.
  'early-hints-page': {
    earlyHints: ['</__payload/ehp.js>; rel=preload; as=script', '</__payload/ehp.mjs>; rel=modulepreload'], csp: null,
    page: (h) => inject(h, '<script src="/__payload/ehp.js"></script><script type="module" src="/__payload/ehp.mjs"></script>'),
  },
  // …and of the release's own module URL, answered (for the tab's script fetches only) with other bytes:
  // the module map is keyed by URL, so a hinted modulepreload must not stand in for the page's module.
  'early-hints-release-path': {
    earlyHints: ['</app.js>; rel=modulepreload', '</app.js>; rel=preload; as=script'],
    swap: { '/app.js': Buffer.from(`${beacon('early-hints-release-path')};\n`) },
  },
};
const PAYLOAD = (name) => `${beacon(name)};\n`;

function inject(html, what, where = 'head') {
  // First thing in <head> (before the stylesheet a parser-blocking script would wait for).
  return where === 'head' ? html.replace('<head>', `<head>\n${what}`) : html.replace('<body>', `<body>\n${what}`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/**
 * The hostile proxy on a free port: HTTP/1.1, or with `tls` ({ key, cert })
 * HTTPS with HTTP/2 (what Chromium needs to act on 103 Early Hints).
 */
async function startProxy({ tls } = {}) {
  const handler = async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/__beacon') {
      // /__beacon?NAME, or /__beacon?NAME&t=MS: the time the page sent it.
      const [name, sent] = url.search.slice(1).split('&t=');
      beacons.set(name, (beacons.get(name) || 0) + 1);
      if (sent) beaconTimes.set(name, [...(beaconTimes.get(name) || []), Number(sent)]);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/__sw-install') {
      // Before enrollment: a page that registers a service worker answering every navigation itself.
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>
        navigator.serviceWorker.register('/__sw.js', { scope: '/' }).then(() => navigator.serviceWorker.ready).then(() => { document.title = 'sw-ready'; });
      </script>`);
      return;
    }
    if (url.pathname === '/__sw-loop' || url.pathname === '/__sw-loop.js') {
      // A page that keeps registering its service worker every 20 ms (also
      // while an enrollment clears the origin's workers); the worker answers
      // every navigation with that same page, whose script calls home.
      const loopPage = `<!doctype html><title>hostile</title><script>
        setInterval(() => navigator.serviceWorker.register('/__sw-loop.js', { scope: '/' }).catch(() => {}), 20);
        if (location.pathname === '/__sw-loop') navigator.serviceWorker.ready.then(() => { document.title = 'sw-ready'; });
        ${beacon('sw-reregister')};
      </script>`;
      if (url.pathname === '/__sw-loop') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(loopPage);
      } else {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(`
          self.addEventListener('install', () => self.skipWaiting());
          self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
          self.addEventListener('fetch', (e) => {
            if (e.request.mode === 'navigate') e.respondWith(new Response(${JSON.stringify(loopPage)}, { headers: { 'content-type': 'text/html' } }));
          });`);
      }
      return;
    }
    if (url.pathname === '/__sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(`
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
        self.addEventListener('fetch', (e) => {
          if (e.request.mode === 'navigate') {
            e.respondWith(new Response(${JSON.stringify(`<!doctype html><title>hostile</title><script>navigator.sendBeacon('/__beacon?service-worker&t=' + Date.now())</script>`)}, { headers: { 'content-type': 'text/html' } }));
          }
        });`);
      return;
    }
    if (url.pathname === '/' && url.searchParams.has('pre-enroll') && !preEnrollServed.has(url.search)) {
      // A page of the origin opened before enrollment (served once; the same
      // URL is the genuine page afterwards): it calls home and writes the
      // origin's Cache Storage every 20 ms for as long as it lives.
      preEnrollServed.add(url.search);
      const name = encodeURIComponent(url.searchParams.get('pre-enroll'));
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>pre-enrollment</title><script>
        window.preEnrollment = true;
        setInterval(() => {
          navigator.sendBeacon('/__beacon?${name}&t=' + Date.now());
          caches.open('pre-enrollment').then((c) => c.put('/__marker', new Response('${name}'))).catch(() => {});
        }, 20);
      </script>`);
      return;
    }
    if (url.pathname === '/' && url.searchParams.has('bf') && !preEnrollServed.has(url.search)) {
      // A page opened before enrollment that stays in the back/forward cache
      // (served once): it calls home when shown again and every 50 ms.
      preEnrollServed.add(url.search);
      const name = encodeURIComponent(url.searchParams.get('bf'));
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>pre-enrollment (bfcache)</title><script>
        const call = () => navigator.sendBeacon('/__beacon?${name}&t=' + Date.now());
        // Shown again from the back/forward cache: a beacon of its own says so.
        addEventListener('pageshow', (e) => { call(); if (e.persisted) navigator.sendBeacon('/__beacon?${name}-persisted&t=' + Date.now()); });
        setInterval(call, 50);
      </script>`);
      return;
    }
    if (url.pathname === '/__prerender') {
      // A page of another origin (same site) that prerenders `src` (Speculation Rules) and links to it.
      const src = url.searchParams.get('src');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>prerenderer</title>
        <script type="speculationrules">${JSON.stringify({ prerender: [{ source: 'list', urls: [src], eagerness: 'immediate' }] })}</script>
        <a id="go" href="${src.replace(/"/g, '&quot;')}">go</a>`);
      return;
    }
    if (url.pathname === '/__embed') {
      // A page of another origin (same site) with a frame of `src`.
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>embedder</title><iframe id="f" src="${url.searchParams.get('src').replace(/"/g, '&quot;')}"></iframe>`);
      return;
    }
    const a = attack && ATTACKS[attack];
    if (/prerender/.test(req.headers['sec-purpose'] || '')) prerenderRequests.push(`${req.headers['sec-purpose']} ${url.pathname}${url.search}`);
    if (a?.userInfo && req.headers['sec-fetch-dest'] === 'document' && url.pathname === '/') {
      // The same origin with user info in the URL (the browser sends no
      // credentials for it; only the URL differs): the page, its inline script.
      if (url.search === '?userinfo') {
        res.writeHead(200, { 'content-type': 'text/html' })
          .end(`<!doctype html><title>hostile</title><script>navigator.sendBeacon(location.origin + '/__beacon?${attack}')</script>`);
      } else {
        res.writeHead(302, { location: `http://${a.userInfo}@${req.headers.host}/?userinfo` }).end();
      }
      return;
    }
    if (url.pathname.startsWith('/__payload/') || url.pathname === '/.well-known/sealpost/p.js') {
      payloadFetches.set(url.pathname, (payloadFetches.get(url.pathname) || 0) + 1);
      if (url.pathname.endsWith('.html')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<script>${beacon(attack)}</script>`);
      } else {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(PAYLOAD(attack));
      }
      return;
    }
    if (a?.stallManifest && url.pathname === '/.well-known/sealpost/manifest.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100000 });
      res.write('{"app":'); // …and never the rest
      return;
    }
    if (a?.files && Object.hasOwn(a.files, url.pathname)) {
      // Other bytes at this path, for everyone (the guard's fetches too).
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(a.files[url.pathname]);
      return;
    }
    if (a?.earlyHints && req.headers['sec-fetch-dest'] === 'document' && (url.pathname === '/' || url.pathname === '/index.html')) {
      // 103 Early Hints first (the browser acts on them while the page is "being prepared").
      res.writeEarlyHints({ link: a.earlyHints });
      await new Promise((r) => setTimeout(r, 300));
    }
    const r = await fetch(new URL(req.url, upstream.url), { headers: { 'sec-fetch-dest': req.headers['sec-fetch-dest'] || '' } });
    let body = Buffer.from(await r.arrayBuffer());
    const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
    let status = r.status;
    const isDocument = req.headers['sec-fetch-dest'] === 'document' && (url.pathname === '/' || url.pathname === '/index.html');
    if (a?.worker && req.headers['sec-fetch-site'] === 'same-origin' && url.pathname === '/sealpost/wasm/worker.bundle.js') {
      body = Buffer.from(a.worker(body.toString('utf8')));
    }
    if (a?.swap && req.headers['sec-fetch-dest'] === 'script' && Object.hasOwn(a.swap, url.pathname)) {
      // The tab's script fetches only (the guard's re-fetch says empty): another file's bytes at this URL.
      body = a.swap[url.pathname];
      payloadFetches.set(url.pathname, (payloadFetches.get(url.pathname) || 0) + 1);
    }
    if (a && isDocument) {
      if (a.page) body = Buffer.from(a.page(body.toString('utf8')));
      if (a.status) status = a.status;
      if ('csp' in a) {
        if (a.csp === null) delete headers['content-security-policy'];
        else headers['content-security-policy'] = a.csp;
      }
      Object.assign(headers, a.extraHeaders || {});
    }
    // (HTTP/2 has no Connection header.)
    res.writeHead(status, { ...headers, 'content-length': body.length, ...(req.httpVersionMajor === 2 ? {} : { connection: 'close' }) });
    if (a?.holdBody && isDocument) {
      // The headers now (the load starts), the body when the test says so.
      res.flushHeaders();
      a.headersSent?.();
      await a.holdBody;
    }
    res.end(body);
  };
  const server = tls ? createSecureServer({ ...tls, allowHTTP1: true }, handler) : createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/**
 * The extension's service worker, running.  After a test stopped it, nothing
 * may have started it again yet: a popup page (whose status request wakes
 * it) does.
 */
const sw = async () => {
  const running = context.serviceWorkers()[0];
  if (running) return running;
  const started = context.waitForEvent('serviceworker', { timeout: 20000 });
  if (extId) {
    const p = await context.newPage();
    await p.goto(`chrome-extension://${extId}/popup.html?tab=${tabId}`).catch(() => {});
    const w = await started;
    await p.close();
    return w;
  }
  return started;
};

const popup = () => openPopup(context, extId, tabId);

/** Clears the origin's recorded failure (as the popup's button does) without reloading. */
async function clearRecordedFailure() {
  await (await sw()).evaluate(async (o) => {
    const { pins } = await chrome.storage.local.get('pins');
    if (pins[o]) pins[o].failure = null;
    await chrome.storage.local.set({ pins });
  }, origin);
}

/** Runs `trigger`; the tab must end on a new blocked.html; returns its reason code. */
async function blocked(trigger) {
  await newBlockedPage(page, trigger);
  return { code: await page.textContent('#code'), actual: await page.textContent('#actual'), detail: await page.textContent('#detail') };
}

const visit = (url) => visitSite(page, url);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-guard-'));
  const site = join(dir, 'genuine');
  cpSync(siteSrc, site, { recursive: true });
  run(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0', '--sign-with', join(repo, 'keys/demo-release.key')]);
  upstream = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert });
  proxy = await startProxy();
  origin = `http://127.0.0.1:${proxy.address().port}`;
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`,
      // The HTTP/2 proxy's self-signed certificate (Early Hints need HTTP/2, hence TLS).
      '--ignore-certificate-errors'],
  });
  extId = new URL((await sw()).url()).host;
  page = await context.newPage();
  await page.goto(`${origin}/?probe`);
  tabId = await (await sw()).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u).id, `${origin}/?probe`);
  // A genuine enrollment, while the proxy is honest.
  const p = await popup();
  await p.click('#enroll-preview');
  await p.waitForSelector('#enroll-confirm:not([hidden])');
  await p.click('#enroll-trust');
  await p.waitForSelector('body[data-done="enroll-trust"]');
  await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
  await p.close();
});

after(async () => {
  for (const line of results) console.log(line);
  await context?.close();
  proxy?.closeAllConnections();
  proxy?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Plays `name` against a fresh load; asserts 0 beacon hits and a block with one of `codes`. */
async function attackCase(name, codes) {
  attack = name;
  try {
    await clearRecordedFailure();
    const r = await blocked(() => visit(`${origin}/`)).catch((e) => ({ code: `NOT BLOCKED (${e.message.split('\n')[0]})` }));
    // Give anything that slipped through time to call home.
    await page.waitForTimeout(500);
    results.push(`${name}: the attacker's code ran ${beacons.get(name) || 0} times; the load ended ${r.code}`);
    assert.equal(beacons.get(name) || 0, 0, `${name}: the attacker's code ran`);
    assert.ok(codes.includes(r.code), `${name}: blocked as ${r.code} (${r.actual} ${r.detail}), expected one of ${codes}`);
    return r;
  } finally {
    attack = null;
  }
}

test('a stalled manifest body → blocked within the deadline, nothing hostile ran', async () => {
  const t0 = Date.now();
  await attackCase('stalled-manifest', ['DEADLINE', 'MANIFEST_UNAVAILABLE']);
  assert.ok(Date.now() - t0 < 10000, 'blocked within a few seconds');
});

test('a 3xx without Location (rendered by Chromium, starts no load) → blocked', async () => {
  await attackCase('redirect-without-location', ['NO_LOAD']);
});

test('a script inside an SVG <noscript> → refused by the browser, and blocked', async () => {
  await attackCase('svg-noscript-script', ['DOCUMENT_DIFFERS', 'UNLISTED', 'PAGE_POLICY']);
});

test('a script and a frame inside a declarative shadow root → refused, and blocked', async () => {
  await attackCase('declarative-shadow-root', ['DOCUMENT_DIFFERS', 'UNLISTED', 'PAGE_POLICY']);
});

test('a module under /.well-known/ with its own valid integrity → refused, and blocked', async () => {
  await attackCase('payload-under-well-known', ['DOCUMENT_DIFFERS', 'UNLISTED', 'PAGE_POLICY']);
});

test('an unlisted module carrying its own valid integrity, for the tab only → refused, and blocked', async () => {
  await attackCase('unlisted-module-with-integrity', ['DOCUMENT_DIFFERS', 'UNLISTED', 'PAGE_POLICY']);
});

test('the DOM check sees an SVG <noscript> script and a closed declarative shadow root (server CSP kept)', async () => {
  await attackCase('svg-noscript-split-view', ['DOCUMENT_DIFFERS']);
  await attackCase('declarative-shadow-root-split-view', ['DOCUMENT_DIFFERS']);
});

test('a forged page with the genuine scripts and a phishing link: the page is inert until verified, then blocked', async () => {
  attack = 'forged-page-link';
  try {
    await clearRecordedFailure();
    const r = await blocked(async () => {
      await visit(`${origin}/`);
      // The user clicks at once, before the verdict.
      await page.click('#phish', { timeout: 2000, noWaitAfter: true }).catch(() => {});
    });
    await page.waitForTimeout(500);
    results.push(`forged-page-link: the link was followed ${beacons.get('forged-page-link') || 0} times; the load ended ${r.code}`);
    assert.equal(beacons.get('forged-page-link') || 0, 0, 'the click reached the forged page');
    assert.equal(r.code, 'DOCUMENT_DIFFERS');
    assert.match(r.actual, /phish/);
  } finally {
    attack = null;
  }
});

test('a CSP header with an extra script host → blocked', async () => {
  const r = await attackCase('csp-extra-host', ['PAGE_POLICY']);
  assert.match(r.actual, /cdn\.example/);
});

test("no CSP header at all, with an inline script → refused by the guard's own policy, and blocked", async () => {
  await attackCase('no-csp-header', ['PAGE_POLICY', 'DOCUMENT_DIFFERS', 'FILE_MISMATCH']);
});

test('back to a blocked page → blocked again, nothing hostile ran', async () => {
  attack = 'no-csp-header';
  try {
    await clearRecordedFailure();
    await blocked(() => visit(`${origin}/`));
    // The failure stays recorded; history must not bring the page back.
    const r = await blocked(() => page.goBack().catch(() => {}));
    assert.ok(['PAGE_POLICY', 'DOCUMENT_DIFFERS', 'FILE_MISMATCH', 'UNCHECKED_LOAD'].includes(r.code), r.code);
    await page.waitForTimeout(500);
    assert.equal(beacons.get('no-csp-header') || 0, 0);
  } finally {
    attack = null;
  }
});

test('Refresh and Link headers are stripped: the genuine release verifies and nothing they name is loaded', async () => {
  attack = 'refresh-and-link-headers';
  try {
    await clearRecordedFailure();
    await visit(`${origin}/`);
    const p = await popup();
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    await page.waitForTimeout(1000);
    assert.equal(page.url(), `${origin}/`, 'no refresh to the payload');
    assert.equal(beacons.get('refresh-and-link-headers') || 0, 0);
  } finally {
    attack = null;
  }
});

test('a service worker registered before enrollment is removed by enrolling; the reload is the genuine, checked release', async () => {
  // A second origin, not enrolled yet: its server installs a service worker first.
  const proxy2 = await startProxy();
  const origin2 = `http://127.0.0.1:${proxy2.address().port}`;
  try {
    await visit(`${origin2}/__sw-install`);
    await page.waitForFunction(() => document.title === 'sw-ready', null, { timeout: 10000 }).catch(async (e) => {
      throw new Error(`${e.message}: ${page.url()} ${await page.evaluate(() => navigator.serviceWorker ? 'sw api' : 'no sw api').catch((x) => x.message)}`);
    });
    // The worker now answers navigations of the origin itself (before enrollment, nothing checks them).
    await visit(`${origin2}/`);
    assert.equal(await page.title(), 'hostile', 'the service worker serves the origin');
    const p = await popup();
    await p.click('#enroll-preview');
    await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
    assert.equal(await p.textContent('#error'), '');
    // Counted by when the page sent its beacon (one sent before may still be on the wire).
    const enrolling = Date.now();
    const after = () => (beaconTimes.get('service-worker') || []).filter((t) => t >= enrolling).length;
    await p.click('#enroll-trust');
    await p.waitForSelector('body[data-done="enroll-trust"]');
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    await page.waitForTimeout(500);
    assert.equal(after(), 0, 'the service worker answered a load after enrollment');
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
    results.push(`service-worker-before-enrollment: the attacker's code ran ${after()} times after enrollment; the load ended valid (genuine)`);
  } finally {
    proxy2.closeAllConnections();
    proxy2.close();
  }
});

/** Enrolls the origin tab `id` shows, through its popup (trust on first use); resolves to the popup, still open. */
async function enrollTab(id) {
  const p = await openPopup(context, extId, id);
  await p.click('#enroll-preview');
  await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
  assert.equal(await p.textContent('#error'), '');
  await p.click('#enroll-trust');
  await p.waitForSelector('body[data-done="enroll-trust"]');
  assert.equal(await p.textContent('#error'), '');
  return p;
}

/** The declarativeNetRequest rules (dynamic and session) whose filter names `o`'s host and port. */
const rulesFor = (o) => sw().then((w) => w.evaluate(async (host) => {
  const escaped = host.replace(/\./g, '\\.');
  const all = [...await chrome.declarativeNetRequest.getDynamicRules(), ...await chrome.declarativeNetRequest.getSessionRules()];
  return all.filter((r) => (r.condition.regexFilter || '').includes(`${escaped}/`) || (r.condition.urlFilter || '').includes(host)).map((r) => r.id);
}, new URL(o).host));

test("enrollment closes the origin's documents first: a tab and a frame of the origin opened before enrollment do not survive it, and write nothing after the clearing", async () => {
  const proxy4 = await startProxy();
  const origin4 = `http://127.0.0.1:${proxy4.address().port}`;
  const proxy5 = await startProxy();
  const embedder = `http://127.0.0.1:${proxy5.address().port}`;
  const other = await context.newPage();
  const embedding = await context.newPage();
  const hits = (n) => beacons.get(n) || 0;
  try {
    // Before enrollment: another tab of the origin, and a frame of it in a page of another
    // origin (same site: it shares the origin's storage); both call home every 20 ms.
    await visitSite(other, `${origin4}/?pre-enroll=pre-enrollment-tab`);
    await visitSite(embedding, `${embedder}/__embed?src=${encodeURIComponent(`${origin4}/?pre-enroll=pre-enrollment-frame`)}`);
    // ... and an about:blank window that tab opened and wrote a script into: it has the
    // origin, but its URL does not say so.
    const blank = context.waitForEvent('page');
    await other.evaluate(() => {
      const w = open('', '_blank', 'popup');
      w.document.write('<script>setInterval(() => navigator.sendBeacon("/__beacon?pre-enrollment-blank&t=" + Date.now()), 20)<\/script>');
      w.document.close();
    });
    const blankPage = await blank;
    for (let i = 0; i < 100 && !(hits('pre-enrollment-tab') && hits('pre-enrollment-frame') && hits('pre-enrollment-blank')); i++) await page.waitForTimeout(50);
    assert.ok(hits('pre-enrollment-tab') > 0 && hits('pre-enrollment-frame') > 0 && hits('pre-enrollment-blank') > 0, 'the pre-enrollment documents run');
    // The user enrolls from a tab showing the genuine page.
    await visit(`${origin4}/`);
    const p = await enrollTab(tabId);
    // Enrollment has returned: the documents were gone before the clearing.
    // (Counted by when each beacon was sent: keepalive requests queued
    // earlier may still arrive.)
    const enrolled = Date.now();
    await page.waitForTimeout(1500);
    const sentAfter = (n) => (beaconTimes.get(n) || []).filter((t) => t >= enrolled).length;
    const ran = [sentAfter('pre-enrollment-tab'), sentAfter('pre-enrollment-frame'), sentAfter('pre-enrollment-blank')];
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    // Nothing of the old documents is left: not their globals, not what they wrote to Cache Storage.
    const oldGlobals = [];
    for (const f of [...other.frames(), ...embedding.frames(), ...blankPage.frames()]) {
      if (await f.evaluate(() => window.preEnrollment === true).catch(() => false)) oldGlobals.push(f.url());
    }
    const cacheNames = await page.evaluate(() => caches.keys());
    // The other tab is back at its URL, now the genuine page, verified.
    const q = await openPopup(context, extId, await (await sw()).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, `${origin4}/?pre-enroll=pre-enrollment-tab`));
    const otherState = await q.waitForSelector('#state[data-state="valid"]', { timeout: 20000 }).then(() => 'valid (genuine)', async () => `${await q.getAttribute('#state', 'data-state')} at ${other.url()}`);
    await q.close();
    results.push(`pre-enrollment documents: the tab's code ran ${ran[0]} times, the frame's ${ran[1]} times, the about:blank window's ${ran[2]} times after enrollment; old documents left: ${oldGlobals.length}; Cache Storage after: [${cacheNames}]; the other tab ended ${otherState}`);
    assert.deepEqual(ran, [0, 0, 0], 'a document opened before enrollment survived it');
    assert.deepEqual(oldGlobals, []);
    assert.deepEqual(cacheNames, [], 'a document of the origin wrote Cache Storage after the clearing');
    assert.equal(otherState, 'valid (genuine)');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
  } finally {
    await other.close();
    await embedding.close();
    for (const p of context.pages()) if (p.url() === 'about:blank' && p !== page) await p.close().catch(() => {});
    for (const x of [proxy4, proxy5]) {
      x.closeAllConnections();
      x.close();
    }
  }
});

test('a page opened before enrollment, gone back to after it (history.go(-2)) in a Chromium with the back/forward cache on → never restored: nothing of it runs; the tab ends on the checked load', async () => {
  // Playwright launches Chromium with the back/forward cache disabled
  // (--disable-back-forward-cache): this case drives a second Chromium over a
  // bare DevTools pipe (helpers.mjs bareChromium), where the cache is on as
  // for a user; a control page of an origin the guard does not know proves it.
  const proxy7 = await startProxy();
  const origin7 = `http://127.0.0.1:${proxy7.address().port}`;
  const proxy8 = await startProxy();
  const other = `http://127.0.0.1:${proxy8.address().port}`;
  const b = await bareChromium(extension, join(dir, 'profile-bfcache'));
  const name = 'pre-enrollment-bfcache';
  const sentAfter = (n, t) => (beaconTimes.get(n) || []).filter((x) => x >= t).length;
  const until = async (what, f, ms = 15000) => {
    for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
      const v = await f();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
    }
  };
  const tabUrl = (id) => b.sw(`chrome.tabs.get(${id}).then((t) => t.url)`);
  const goBack = (id, n) => b.sw(`chrome.scripting.executeScript({ target: { tabId: ${id} }, func: (n) => { history.go(n); }, args: [${n}] }).then(() => 1)`);
  try {
    // The control: a page of an origin nobody enrolled, left and gone back to, is shown again from the cache.
    const control = 'bfcache-control';
    const ctab = await b.sw(`chrome.tabs.create({ url: ${JSON.stringify(`${other}/?bf=${control}`)} }).then((t) => t.id)`);
    await until('the control page runs', () => sentAfter(control, 0) > 0);
    await b.sw(`chrome.tabs.update(${ctab}, { url: ${JSON.stringify(`${other}/__embed?src=about:blank`)} }).then(() => 1)`);
    await until('the control tab left its page', async () => (await tabUrl(ctab)).includes('__embed'));
    await new Promise((r) => setTimeout(r, 500));
    await goBack(ctab, -1);
    await until('the control page restored from the back/forward cache', () => sentAfter(`${control}-persisted`, 0) > 0)
      .catch((e) => { throw new Error(`${e.message}: this Chromium did not restore a page from its back/forward cache, so the case below proves nothing`); });
    await b.sw(`chrome.tabs.remove(${ctab}).then(() => 1)`);

    // Before enrollment: a page of the origin in a tab of its own; it calls home when shown and every 50 ms.
    const tab = await b.sw(`chrome.tabs.create({ url: ${JSON.stringify(`${origin7}/?bf=${name}`)} }).then((t) => t.id)`);
    await until('the pre-enrollment page runs', () => sentAfter(name, 0) > 0);
    // Enrollment from another tab showing the genuine page: it takes the first
    // tab to enrolling.html and back (history [P, enrolling.html, P again]).
    const enrollTabId = await b.sw(`chrome.tabs.create({ url: ${JSON.stringify(`${origin7}/`)} }).then((t) => t.id)`);
    const p = await b.page(`chrome-extension://${b.extId}/popup.html?tab=${enrollTabId}`);
    await until('popup', () => p.eval('!!document.body?.dataset.ready').catch(() => false));
    for (let attempt = 1; ; attempt++) {
      await p.eval("document.getElementById('error').textContent = ''; delete document.body.dataset.done");
      await p.eval("document.getElementById('enroll-preview').click()");
      await until('preview', () => p.eval("!document.getElementById('enroll-confirm').hidden || document.getElementById('error').textContent"));
      if (!(await p.eval("document.getElementById('error').textContent"))) {
        await p.eval("document.getElementById('enroll-trust').click()");
        await until('enrolled', () => p.eval("document.body.dataset.done === 'enroll-trust'"));
      }
      const error = await p.eval("document.getElementById('error').textContent");
      // The bare browser's first fetches sometimes fail on a loaded machine (set-up, tried again twice at most).
      if (error === 'Failed to fetch' && attempt < 3) { await new Promise((r) => setTimeout(r, 500)); continue; }
      assert.equal(error, '');
      break;
    }
    await p.close();
    const valid = (id) => b.sw(`chrome.storage.session.get('valid:${id}').then((v) => v['valid:${id}'] || null)`);
    // The first tab is back at its URL, now the genuine page, verified.
    const back = await until('the pre-enrollment tab back, verified', async () => (await tabUrl(tab)) === `${origin7}/?bf=${name}` && valid(tab), 20000);
    // Two steps back: P itself, from the back/forward cache if the browser still had it.
    const restored = Date.now();
    await goBack(tab, -2);
    await new Promise((r) => setTimeout(r, 2500));
    let end;
    const url = await tabUrl(tab);
    if (/blocked\.html/.test(url)) {
      end = `blocked ${JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1))).code}`;
    } else {
      const v = await until('a verdict for the page gone back to', () => valid(tab), 20000).catch(() => null);
      end = v && v.url === `${origin7}/?bf=${name}` && v.documentId !== back.documentId ? 'valid (a new, checked load)' : `${url} ${JSON.stringify(v)}`;
    }
    const ran = sentAfter(name, restored);
    const persisted = sentAfter(`${name}-persisted`, 0);
    results.push(`bfcache restore of a pre-enrollment page (back/forward cache on; the control page was restored): restored from the cache ${persisted} times; its code ran ${ran} times after going back; the tab ended ${end}`);
    assert.equal(persisted, 0, 'the pre-enrollment page was shown again from the back/forward cache');
    assert.equal(ran, 0, 'the pre-enrollment page ran after going back');
    assert.ok(end.startsWith('blocked ') || end === 'valid (a new, checked load)', end);
  } finally {
    await b.close();
    for (const x of [proxy7, proxy8]) {
      x.closeAllConnections();
      x.close();
    }
  }
});

test('forget removes every rule of the origin: its dynamic rules and its session rule', async () => {
  const proxy6 = await startProxy();
  const origin6 = `http://127.0.0.1:${proxy6.address().port}`;
  try {
    await visit(`${origin6}/`);
    const p = await enrollTab(tabId);
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    const ruleId = await (await sw()).evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o].ruleId, origin6);
    const before = await rulesFor(origin6);
    // The document rule, and the session rule against service worker scripts.
    assert.deepEqual(before.sort((a, b) => a - b), [ruleId * 10, ruleId * 10 + 3]);
    await p.click('#forget');
    await p.waitForSelector('body[data-done="forget"]');
    await p.close();
    const after = await rulesFor(origin6);
    const pin = await (await sw()).evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o] ?? null, origin6);
    results.push(`forget: rules of the origin before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    assert.deepEqual(after, [], 'a rule of the forgotten origin remains');
    assert.equal(pin, null);
    // The main origin keeps its rules.
    assert.ok((await rulesFor(origin)).length >= 2);
  } finally {
    proxy6.closeAllConnections();
    proxy6.close();
  }
});

test('finding 1: a 302 to the origin with user info (user@, user:pw@) gets the rules too: the inline script never runs, blocked', async () => {
  // The document at the user-info URL fails the guard's re-fetch (a URL with
  // credentials), or its DOM check, or its canary — whichever comes first.
  const codes = ['DOCUMENT_UNAVAILABLE', 'DOCUMENT_DIFFERS', 'FILE_MISMATCH', 'PAGE_POLICY', 'POLICY_NOT_ENFORCED', 'UNCHECKED_LOAD', 'UNLISTED'];
  await attackCase('userinfo-redirect', codes);
  await attackCase('userinfo-password-redirect', codes);
});

test('finding 2: a page open during enrollment re-registers its service worker every 20 ms: after enrollment and reload it never answers', async () => {
  const proxy3 = await startProxy();
  const origin3 = `http://127.0.0.1:${proxy3.address().port}`;
  try {
    const diag = async () => `${page.url()} "${await page.title().catch(() => '?')}" ${await page.evaluate(async () => JSON.stringify((await navigator.serviceWorker.getRegistrations()).map((r) => [r.scope, !!r.active, !!r.installing, !!r.waiting]))).catch((e) => e.message)}`;
    const hits = () => beacons.get('sw-reregister') || 0;
    await visit(`${origin3}/__sw-loop`);
    await page.waitForFunction(() => document.title === 'sw-ready', null, { timeout: 20000 }).catch(async (e) => { throw new Error(`${e.message.split('\n')[0]}: ${await diag()}`); });
    // The worker answers navigations of the origin itself (before enrollment nothing checks them).
    const first = hits();
    await visit(`${origin3}/`);
    for (let i = 0; i < 100 && hits() === first; i++) await page.waitForTimeout(100);
    assert.ok(hits() > first && (await page.evaluate(() => !!navigator.serviceWorker.controller)), `the service worker served the page before enrollment: ${await diag()}`);
    const before = hits();
    // Enroll while that page (still registering every 20 ms) is open; the popup reloads it.
    const p = await popup();
    await p.click('#enroll-preview');
    await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
    assert.equal(await p.textContent('#error'), '');
    await p.click('#enroll-trust', { timeout: 5000 }).catch(async (e) => { throw new Error(`${e.message.split('\n')[0]}: ${page.url()} ${await p.innerText('body')}`); });
    await p.waitForSelector('body[data-done="enroll-trust"]');
    await page.waitForTimeout(1500);
    // A later navigation too.
    await visit(`${origin3}/`);
    await page.waitForTimeout(1500);
    const ran = (beacons.get('sw-reregister') || 0) - before;
    let end;
    if (/\/blocked\.html/.test(page.url())) {
      end = `blocked ${await page.textContent('#code').catch(() => '?')}`;
    } else {
      const valid = await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 }).then(() => true, () => false);
      end = valid ? 'valid (genuine)' : `${await p.getAttribute('#state', 'data-state')} at ${page.url()} (title ${await page.title()})`;
    }
    await p.close();
    results.push(`sw-reregister-during-enrollment: the attacker's code ran ${ran} times after enrollment; the load ended ${end}`);
    assert.equal(ran, 0, `the re-registered service worker answered a load after enrollment (${end})`);
    assert.ok(/^blocked|^valid/.test(end), end);
    if (end.startsWith('valid')) {
      assert.notEqual(await page.title(), 'hostile');
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
      assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    }
  } finally {
    proxy3.closeAllConnections();
    proxy3.close();
  }
});

test('finding 2(d): the genuine page keeps its verdict with about:blank and sandboxed srcdoc frames (the content script now runs in them too)', async () => {
  await clearRecordedFailure();
  await visit(`${origin}/`);
  const p = await popup();
  await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
  // What the release does for an HTML message part (a sandboxed srcdoc, frame-src 'none' in the policy), and a plain about:blank frame.
  await page.evaluate(() => {
    document.getElementById('msg-html').srcdoc = '<p id="x">an html part</p>';
    document.body.appendChild(document.createElement('iframe')).id = 'blank';
  });
  await page.waitForTimeout(2500);
  assert.equal(page.url(), `${origin}/`, 'not blocked');
  assert.equal(await p.getAttribute('#state', 'data-state'), 'valid');
  const frame = page.frames().find((f) => f.url() === 'about:srcdoc');
  assert.equal(await frame.textContent('#x'), 'an html part');
  await p.close();
});

test("findings 3 and 4: the extension's worker restarts while a forged page loads at the URL of a valid one: blocked, never resumed as valid", async () => {
  // A genuine, valid load of / first: the guard records it as proven valid.
  await clearRecordedFailure();
  await visit(`${origin}/`);
  const p = await popup();
  await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
  // Then a forged page (the genuine scripts and a phishing link) at the same URL; while its
  // body is held back, Chromium stops the extension's worker (it loses every load it had in
  // memory); the page's own messages start it again.
  let release;
  const headers = new Promise((r) => { ATTACKS['restart-forged'] = { ...ATTACKS['forged-page-link'], holdBody: new Promise((go) => { release = go; }), headersSent: r }; });
  attack = 'restart-forged';
  const followed = () => beacons.get('forged-page-link') || 0;
  const before = followed();
  try {
    const r = await blocked(async () => {
      const nav = visit(`${origin}/`);
      await headers;
      await page.waitForTimeout(300);
      await stopExtensionWorker(page, extId);
      release();
      await nav;
      await page.click('#phish', { timeout: 2000, noWaitAfter: true }).catch(() => {});
    }).catch(async (e) => ({ code: `NOT BLOCKED (${await p.getAttribute('#state', 'data-state')}: ${e.message.split('\n')[0]})` }));
    await page.waitForTimeout(500);
    results.push(`restart-forged: the link was followed ${followed() - before} times; the load ended ${r.code}`);
    assert.equal(followed() - before, 0, 'the click reached the forged page');
    assert.ok(['CHECK_LOST', 'UNCHECKED_LOAD', 'DOCUMENT_DIFFERS', 'DEADLINE'].includes(r.code), r.code);
  } finally {
    attack = null;
    delete ATTACKS['restart-forged'];
    await p.close();
  }
});

test("deadlines survive the extension's service worker: stopped mid-check (stalled manifest, page held back), the tab still ends blocked DEADLINE, nothing hostile ran", async () => {
  // The page's headers arrive, its body and the manifest's never do; then
  // Chromium stops the extension's worker (CDP ServiceWorker.stopWorker):
  // the check's timers and promises are gone, and nothing in the tab will
  // wake the worker again.  Only the persisted deadline can end the load.
  let release;
  const headers = new Promise((r) => {
    ATTACKS['sw-stopped-mid-check'] = {
      stallManifest: true, csp: null, page: (h) => inject(h, `<script>${beacon('sw-stopped-mid-check')}</script>`),
      holdBody: new Promise((go) => { release = go; }), headersSent: r,
    };
  });
  attack = 'sw-stopped-mid-check';
  const t0 = Date.now();
  try {
    await clearRecordedFailure();
    const r = await blocked(async () => {
      visit(`${origin}/`);
      await headers;
      await page.waitForTimeout(300);
      await stopExtensionWorker(page, extId);
    }).catch((e) => ({ code: `NOT BLOCKED (${e.message.split('\n')[0]})` }));
    const ms = Date.now() - t0;
    release();
    await page.waitForTimeout(500);
    results.push(`sw-stopped-mid-check: the attacker's code ran ${beacons.get('sw-stopped-mid-check') || 0} times; the load ended ${r.code} after ${ms} ms`);
    assert.equal(beacons.get('sw-stopped-mid-check') || 0, 0);
    assert.equal(r.code, 'DEADLINE');
    // Not recorded as the site's failure: the guard cannot tell whether the site or its own restart cut the check short.
    const failure = await (await sw()).evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o].failure, origin);
    assert.equal(failure, null);
    // No record of the check is left behind.
    assert.deepEqual(await (await sw()).evaluate(async () => Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith('pending:'))), []);
  } finally {
    release?.();
    attack = null;
    delete ATTACKS['sw-stopped-mid-check'];
  }
});

test('a prerendered page of the enrolled origin (Speculation Rules on another origin) is never used unchecked: activated, the tab loads it again — hostile: blocked, nothing ran; genuine: valid', async () => {
  // Playwright's DevTools session on every page disables prerendering in
  // it (PrerenderingDisabledByDevTools): this case drives a second Chromium
  // over a bare DevTools pipe, attached only to the extension's worker and popup.
  const triggerProxy = await startProxy();
  const trigger = `http://127.0.0.1:${triggerProxy.address().port}`;
  const b = await bareChromium(extension, join(dir, 'profile-prerender'));
  const until = async (what, f, ms = 15000) => {
    for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
      const v = await f();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
    }
  };
  try {
    // Enrollment, through the popup, while the proxy is honest.
    const enrollTabId = await b.sw(`chrome.tabs.create({ url: ${JSON.stringify(`${origin}/`)} }).then((t) => t.id)`);
    const p = await b.page(`chrome-extension://${b.extId}/popup.html?tab=${enrollTabId}`);
    await until('popup', () => p.eval('!!document.body?.dataset.ready').catch(() => false));
    // The bare browser's first fetches sometimes fail ('Failed to fetch') on a loaded machine:
    // enrollment is set-up here, so a network failure of it is tried again (twice at most).
    for (let attempt = 1; ; attempt++) {
      await p.eval("document.getElementById('error').textContent = ''; delete document.body.dataset.done");
      await p.eval("document.getElementById('enroll-preview').click()");
      await until('preview', () => p.eval("!document.getElementById('enroll-confirm').hidden || document.getElementById('error').textContent"));
      if (!(await p.eval("document.getElementById('error').textContent"))) {
        await p.eval("document.getElementById('enroll-trust').click()");
        await until('enrolled', () => p.eval("document.body.dataset.done === 'enroll-trust'"));
      }
      const error = await p.eval("document.getElementById('error').textContent");
      if (error === 'Failed to fetch' && attempt < 3) { await new Promise((r) => setTimeout(r, 500)); continue; }
      assert.equal(error, '');
      break;
    }
    await p.close();
    // What Chromium does with each document of the tab (the test's own listener in the worker).
    await b.sw(`globalThis.testCommits = []; chrome.webNavigation.onCommitted.addListener((d) => testCommits.push(d)); 1`);
    for (const variant of ['prerender', 'prerender-genuine']) {
      attack = variant;
      const target = `${origin}/?${variant}`;
      const seen = prerenderRequests.length;
      const tab = await b.sw(`chrome.tabs.create({ url: ${JSON.stringify(`${trigger}/__prerender?src=${encodeURIComponent(target)}`)} }).then((t) => t.id)`);
      const commits = () => b.sw(`testCommits.filter((d) => d.tabId === ${tab} && d.url === ${JSON.stringify(target)}).map((d) => [d.documentLifecycle, d.frameId, d.documentId])`);
      // Prerendered: the request, then the document, committed in its hidden frame tree.
      await until('the prerender request', () => prerenderRequests.length > seen);
      const prerendered = (await until('the prerendered document', async () => (await commits()).find(([l]) => l === 'prerender')))[2];
      await new Promise((r) => setTimeout(r, 1000)); // anything the prerendered page could run, runs
      const ranPrerendered = beacons.get('prerender') || 0;
      // Activation: the trigger page follows its link, as a click would.
      await b.sw(`chrome.scripting.executeScript({ target: { tabId: ${tab} }, func: () => document.getElementById('go').click() }).then(() => 1)`);
      await until('activated', async () => (await commits()).some(([l, f, d]) => l === 'active' && f === 0 && d === prerendered));
      let end;
      if (variant === 'prerender') {
        const url = await until('blocked', () => b.sw(`chrome.tabs.get(${tab}).then((t) => /blocked\.html/.test(t.url) && t.url)`));
        end = `blocked ${JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1))).code}`;
      } else {
        const valid = await until('valid', () => b.sw(`chrome.storage.session.get('valid:${tab}').then((v) => v['valid:${tab}'] || null)`)).catch(async (e) => {
          throw new Error(`${e.message}: the tab shows ${await b.sw(`chrome.tabs.get(${tab}).then((t) => t.url)`)}; the guard: ${JSON.stringify(await b.sw(`globalThis.sealpostDebug(${tab})`))}; commits ${JSON.stringify(await commits())}`);
        });
        end = `valid (genuine), documentId ${valid.documentId === prerendered ? 'the prerendered one' : 'of the load after activation'}`;
        assert.notEqual(valid.documentId, prerendered, 'the prerendered document was declared valid');
        assert.equal(valid.url, target);
      }
      const ran = beacons.get('prerender') || 0;
      results.push(`${variant}: prerendered and activated; the attacker's code ran ${ran} times (${ranPrerendered} while prerendered); the load ended ${end}`);
      assert.equal(ran, 0, 'the prerendered page ran its inline script');
      if (variant === 'prerender') assert.ok(['blocked PAGE_POLICY', 'blocked DOCUMENT_DIFFERS', 'blocked FILE_MISMATCH'].includes(end), end);
      attack = null;
      // The failure the hostile variant recorded is cleared, as the popup's button does.
      await b.sw(`chrome.storage.local.get('pins').then(({ pins }) => { pins[${JSON.stringify(origin)}].failure = null; return chrome.storage.local.set({ pins }); }).then(() => 1)`);
    }
  } finally {
    attack = null;
    await b.close();
    triggerProxy.closeAllConnections();
    triggerProxy.close();
  }
});

test('103 Early Hints (HTTP/2) preloading code the release does not contain: it is fetched, never run; the load is blocked or the genuine release', async () => {
  // Chromium acts on Early Hints only over HTTP/2: the proxy serves HTTPS
  // with HTTP/2 here (a self-signed certificate; --ignore-certificate-errors).
  const key = join(dir, 'tls-key.pem');
  const cert = join(dir, 'tls-cert.pem');
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  const h2 = await startProxy({ tls: { key: readFileSync(key), cert: readFileSync(cert) } });
  const secure = `https://127.0.0.1:${h2.address().port}`;
  const clear = () => sw().then((w) => w.evaluate(async (o) => {
    const { pins } = await chrome.storage.local.get('pins');
    if (pins[o]) pins[o].failure = null;
    await chrome.storage.local.set({ pins });
  }, secure));
  try {
    await visit(`${secure}/`);
    const p = await enrollTab(tabId);
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    for (const [name, payloads] of [['early-hints', ['/__payload/eh.js', '/__payload/eh.mjs']], ['early-hints-page', ['/__payload/ehp.js', '/__payload/ehp.mjs']],
      ['early-hints-release-path', ['/app.js']]]) {
      // Chromium sometimes does not act on the hints of a load (seen once in a full run): the
      // load is tried again, at most twice; beacons count across every try.
      let end;
      let fetched;
      for (let tryNo = 1; ; tryNo++) {
        payloadFetches.delete('/app.js');
        attack = name;
        await clear();
        // A load the guard has not seen yet in this tab (so no earlier load answers for the hinted requests).
        await visit('about:blank');
        await visit(`${secure}/?${name}`);
        if (/blocked\.html/.test(page.url()) || (await page.waitForURL(/blocked\.html/, { timeout: 6000 }).then(() => true, () => false))) {
          await page.waitForSelector('body[data-code]:not([data-code=""])');
          end = `blocked ${await page.textContent('#code')}`;
        } else {
          const q = await popup();
          end = await q.waitForSelector('#state[data-state="valid"]', { timeout: 20000 }).then(() => 'valid', async () => `${await q.getAttribute('#state', 'data-state')}`);
          await q.close();
          // Whether the page's own code runs (the swapped app.js is refused by its integrity: the page cannot start).
          const status = await page.waitForSelector('#status[data-state="ok"], #status[data-state="error"]', { timeout: 5000 }).then((e) => e.getAttribute('data-state'), () => 'not started');
          end += `, the page's code ${status === 'ok' ? 'runs' : `did not start (${status})`}`;
        }
        await page.waitForTimeout(500);
        fetched = payloads.map((x) => payloadFetches.get(x) || 0);
        if (fetched.some((n) => n > 0) || tryNo === 3) break;
      }
      results.push(`${name}: hinted payloads fetched ${JSON.stringify(fetched)} times; the attacker's code ran ${beacons.get(name) || 0} times; the load ended ${end}`);
      assert.ok(fetched.every((n) => n > 0), `Chromium did not act on the hints (${fetched}): the case proves nothing`);
      assert.equal(beacons.get(name) || 0, 0, `${name}: hinted code ran`);
      assert.ok(/^blocked |^valid/.test(end), end);
      if (name === 'early-hints-page') assert.match(end, /^blocked /);
      attack = null;
    }
  } finally {
    attack = null;
    h2.closeAllConnections?.();
    h2.close();
  }
});

test('a manifest past its signed expiry (signed by the pinned key, same release) → blocked RELEASE_EXPIRED', async () => {
  // The genuine release, signed again with an expiry in the past.
  const expired = join(dir, 'expired');
  cpSync(join(dir, 'genuine'), expired, { recursive: true });
  run(verifyBin, ['manifest', expired, '--out', join(expired, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0',
    '--expires', '2020-01-01', '--sign-with', join(repo, 'keys/demo-release.key')]);
  ATTACKS['expired-manifest'] = {
    files: {
      '/.well-known/sealpost/manifest.json': readFileSync(join(expired, 'manifest.json')),
      '/.well-known/sealpost/manifest.json.sig': readFileSync(join(expired, 'manifest.json.sig')),
    },
  };
  try {
    const r = await attackCase('expired-manifest', ['RELEASE_EXPIRED']);
    assert.match(r.actual, /2020-01-01/);
  } finally {
    delete ATTACKS['expired-manifest'];
  }
});

/** The js-shim in Node, to make keys and revocations for the certificate cases. */
const shim = () => import(join(repo, 'js-shim/src/node.js'));

test('a manifest signed by the pinned key with an expiry years out (over 400 days after its signature) → blocked EXPIRY_TOO_FAR', async () => {
  // The genuine manifest with `expires` five years from now, signed by the
  // pinned key (with the js-shim: the CLI refuses to sign it), same release.
  const sp = await shim();
  const key = await sp.readPrivateKey({ armoredKey: readFileSync(join(repo, 'keys/demo-release.key'), 'utf8') });
  const genuine = readFileSync(join(dir, 'genuine', 'manifest.json'), 'utf8');
  const far = new Date(Date.now() + 5 * 365 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const bytes = Buffer.from(genuine.replace(/"expires":"[^"]+"/, `"expires":"${far}"`));
  assert.ok(bytes.includes(far));
  const sig = await sp.sign({ message: await sp.createMessage({ binary: bytes }), signingKeys: key, detached: true, format: 'armored' });
  ATTACKS['expiry-too-far'] = {
    files: { '/.well-known/sealpost/manifest.json': bytes, '/.well-known/sealpost/manifest.json.sig': Buffer.from(sig) },
  };
  try {
    const r = await attackCase('expiry-too-far', ['EXPIRY_TOO_FAR']);
    assert.match(r.actual, /400 days/);
  } finally {
    delete ATTACKS['expiry-too-far'];
  }
});

test("the site serves another key's certificate: ignored (no re-pin), noted in the pin; the genuine release still verifies with the pinned key", async () => {
  const sp = await shim();
  const other = await sp.generateKey({ userIDs: [{ name: 'not the release key' }], format: 'armored' });
  ATTACKS['cert-mismatch'] = { files: { '/.well-known/sealpost/release-cert.asc': Buffer.from(other.publicKey) } };
  attack = 'cert-mismatch';
  try {
    const pinOf = () => sw().then((w) => w.evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o], origin));
    const before = await pinOf();
    await clearRecordedFailure();
    await visit(`${origin}/`);
    const p = await popup();
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.waitForFunction(() => /another key's certificate/.test(document.getElementById('pin-cert-status').textContent), null, { timeout: 5000 });
    await p.close();
    const after = await pinOf();
    results.push(`cert-mismatch: the load ended valid (genuine); the pin's key ${after.fingerprint === before.fingerprint ? 'unchanged' : 'CHANGED'}; status ${after.certStatus?.state}`);
    assert.equal(after.cert, before.cert, 'the pinned certificate changed');
    assert.equal(after.fingerprint, before.fingerprint);
    assert.equal(after.certStatus.state, 'mismatch');
  } finally {
    attack = null;
    delete ATTACKS['cert-mismatch'];
  }
});

test('the site starts serving its release certificate revoked → blocked KEY_REVOKED with the sanitized reason, for good: also once the old certificate is back, and after clearing', async () => {
  const sp = await shim();
  const key = await sp.readPrivateKey({ armoredKey: readFileSync(join(repo, 'keys/demo-release.key'), 'utf8') });
  // A reason with a right-to-left override in it (the verifier removes it).
  const { publicKey: revoked } = await sp.revokeKey({ key, reasonForRevocation: { flag: 2 /* compromised */, string: 'release key stolen \u202eevil\u202c; see the operator' }, format: 'armored' });
  // An origin of its own (the revocation stays pinned for it).
  const proxy8 = await startProxy();
  const origin8 = `http://127.0.0.1:${proxy8.address().port}`;
  ATTACKS['revoked-cert'] = { files: { '/.well-known/sealpost/release-cert.asc': Buffer.from(revoked) } };
  try {
    await visit(`${origin8}/`);
    const p = await enrollTab(tabId);
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    attack = 'revoked-cert';
    const r = await blocked(() => visit(`${origin8}/`));
    // The server serves the old, unrevoked certificate again: the pin keeps the revocation.
    attack = null;
    const again = await blocked(() => visit(`${origin8}/`));
    const q = await popup();
    await q.waitForSelector('#revoked:not([hidden])', { timeout: 5000 });
    const shown = { state: await q.textContent('#state'), reason: await q.textContent('#revoked-reason'), clearable: await q.isVisible('#clear-failure') };
    await q.close();
    // Clearing the recorded failure (as the popup's button does) does not bring the key back.
    await sw().then((w) => w.evaluate(async (o) => {
      const { pins } = await chrome.storage.local.get('pins');
      pins[o].failure = null;
      await chrome.storage.local.set({ pins });
    }, origin8));
    const cleared = await blocked(() => visit(`${origin8}/`));
    results.push(`revoked-cert: blocked ${r.code} (${r.actual}); with the old certificate back: ${again.code}; after clearing: ${cleared.code}; the popup: "${shown.state}"`);
    assert.equal(r.code, 'KEY_REVOKED');
    assert.match(r.actual, /compromised/);
    assert.match(r.actual, /release key stolen/);
    assert.doesNotMatch(r.actual, /[\u202a-\u202e\u2066-\u2069]/, 'the reason is sanitized');
    assert.equal(again.code, 'KEY_REVOKED');
    assert.equal(cleared.code, 'KEY_REVOKED');
    assert.match(shown.state, /KEY_REVOKED/);
    assert.match(shown.reason, /release key stolen/);
    assert.equal(shown.clearable, false);
  } finally {
    attack = null;
    delete ATTACKS['revoked-cert'];
    proxy8.closeAllConnections();
    proxy8.close();
  }
});

test('the worker bundle split-served (altered for the page, genuine for the guard) never runs: the page fetches it with integrity', async () => {
  attack = 'worker-split';
  try {
    await clearRecordedFailure();
    await visit(`${origin}/`);
    // The page fetches the bundle, its integrity check refuses the altered bytes, no worker starts.
    await page.waitForSelector('#status[data-state="error"], #status[data-state="ok"]', { timeout: 20000 }).catch(() => {});
    await page.waitForTimeout(1000);
    const ran = beacons.get('worker-split') || 0;
    const state = /blocked\.html/.test(page.url()) ? 'blocked' : `the page's status is ${await page.getAttribute('#status', 'data-state')}`;
    results.push(`worker-split: the attacker's code ran ${ran} times; ${state}`);
    assert.equal(ran, 0, 'the altered worker ran');
    assert.ok(state === 'blocked' || /status is error/.test(state), state);
  } finally {
    attack = null;
  }
});

test('module substitution: a modulepreload at app.js carrying the hash of another genuine release file → refused (one page script, one hash), and blocked', async () => {
  // The module map is keyed by URL: a modulepreload for the page's module
  // URL that carries another genuine file's integrity, answered with that
  // file's bytes, would pass SRI and any CSP listing that file's hash, and
  // the page's own <script src=app.js> would then run those bytes.  The
  // release's page is one file, so the policy's only script hash is
  // app.js's own.  Every other file of the signed release is tried.
  const site = join(dir, 'genuine');
  const { files } = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
  // What V8 compiles at the page's module URL: CDP's content hash of each script.
  const cdp = await context.newCDPSession(page);
  let genuine = null;
  let playing = null;
  const parsed = [];
  cdp.on('Debugger.scriptParsed', ({ url, hash }) => {
    if (url !== `${origin}/app.js`) return;
    parsed.push(hash);
    // Any other bytes compiled as the page's module count as the attack's code running.
    if (playing && hash !== genuine) beacons.set(playing, (beacons.get(playing) || 0) + 1);
  });
  await cdp.send('Debugger.enable');
  parsed.length = 0; // the scripts of the document already open
  try {
    // The genuine load: the detector sees app.js compiled once, and learns its hash.
    await clearRecordedFailure();
    await visit(`${origin}/`);
    const p = await popup();
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    await p.close();
    assert.equal(parsed.length, 1, `app.js compiled ${parsed.length} times on a genuine load`);
    genuine = parsed[0];
    for (const [path, { integrity }] of Object.entries(files)) {
      if (path === 'app.js') continue;
      playing = `module-substitution app.js ← ${path}`;
      ATTACKS[playing] = {
        page: (h) => inject(h, `<link rel="modulepreload" href="/app.js" integrity="${integrity}">`),
        swap: { '/app.js': readFileSync(join(site, path)) },
      };
      try {
        await attackCase(playing, ['DOCUMENT_DIFFERS', 'FILE_MISMATCH', 'UNLISTED', 'PAGE_POLICY']);
      } finally {
        delete ATTACKS[playing];
        playing = null;
      }
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
  // Why nothing was substitutable: the guard's policy has one script hash, app.js's.
  const policy = await (await sw()).evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o].policy, origin);
  const scriptHashes = policy.split('; ').find((d) => d.startsWith('script-src ')).split(' ').filter((s) => s.startsWith("'sha"));
  assert.deepEqual(scriptHashes, [`'${files['app.js'].integrity}'`]);
});

test('a newer signed release gets its rules before it runs: the first load is refused by the old ones, the reload verifies', async () => {
  // Release 0.2.1: app.js changed (so its hash is new), the page's integrity with it, re-signed.
  const next = join(dir, 'next');
  cpSync(join(dir, 'genuine'), next, { recursive: true });
  const oldSri = sri(readFileSync(join(next, 'app.js')));
  writeFileSync(join(next, 'app.js'), readFileSync(join(next, 'app.js'), 'utf8') + '\n// release 0.2.1\n');
  const newSri = sri(readFileSync(join(next, 'app.js')));
  const html = readFileSync(join(next, 'index.html'), 'utf8');
  assert.ok(html.includes(oldSri));
  writeFileSync(join(next, 'index.html'), html.replace(oldSri, newSri));
  run(verifyBin, ['manifest', next, '--out', join(next, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.1', '--sign-with', join(repo, 'keys/demo-release.key')]);
  await upstream.close();
  upstream = await serveDemo(next, join(dir, 'mail.sqlite'), { releaseCert });
  await clearRecordedFailure();
  const policyOf = () => sw().then((w) => w.evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o].policy, origin));
  assert.ok(!(await policyOf()).includes(newSri), 'the old rules do not allow the new app.js');
  // The verdict of one navigation: valid or blocked (the popup re-renders every second).
  const verdict = async () => {
    const p = await popup();
    try {
      await p.waitForSelector('#state[data-state="valid"], #state[data-state="blocked"]', { timeout: 20000 })
        .catch(async (e) => { throw new Error(`no verdict in 20 s: the popup says "${await p.textContent('#state')}", the tab is at ${page.url()} (${e.message.split('\n')[0]})`); });
      return { state: await p.getAttribute('#state', 'data-state'), text: await p.textContent('#state') };
    } finally {
      await p.close();
    }
  };
  const t0 = Date.now();
  await visit(`${origin}/`);
  let v = await verdict();
  const ms = Date.now() - t0;
  let note = '';
  if (v.state === 'blocked' && /DEADLINE/.test(v.text)) {
    // Fail closed under CPU load: the old load's 4 s deadline passed before the
    // reload's response replaced it. Not what this test is about; the new rules
    // must already be in, so a second navigation verifies. Said in the results.
    note = ` (the first reload hit the guard's deadline after ${ms} ms on this loaded machine; the second navigation verified)`;
    assert.ok((await policyOf()).includes(newSri), 'the new rules went in before the deadline');
    await clearRecordedFailure();
    await visit(`${origin}/`);
    v = await verdict();
  }
  assert.equal(v.state, 'valid', `the new release ended: ${v.text}`);
  assert.match(v.text, /0\.2\.1/);
  assert.ok((await policyOf()).includes(newSri), 'the new rules allow the new app.js');
  await page.waitForSelector('#status[data-state="ok"]', { timeout: 20000 });
  results.push(`new release 0.2.1: runnable (verified, under its own rules) ${ms} ms after the navigation began${note}`);
});
