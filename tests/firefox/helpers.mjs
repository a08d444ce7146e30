// Firefox plumbing for the guard's tests: Debian's firefox-esr, headless,
// driven by geckodriver (WebDriver classic, selenium-webdriver), each run
// with a fresh profile (geckodriver makes one) and the built extension
// installed as a temporary add-on.  The demo server is started with the
// e2e suites' helper (tests/e2e/helpers.mjs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Builder, By, until } from 'selenium-webdriver';
import * as firefox from 'selenium-webdriver/firefox.js';
import { repo, serveDemo } from '../e2e/helpers.mjs';

export { repo, serveDemo, By, until };

/** The add-on id (manifest.json browser_specific_settings.gecko.id). */
export const ADDON_ID = 'guard@sealpost.invalid';
/** The add-on's internal UUID, fixed by a profile preference: its pages are moz-extension://UUID/…. */
export const ADDON_UUID = '5ea1905a-9a4d-4c6e-8f0b-6a2e3b1c0d17';
export const EXT = `moz-extension://${ADDON_UUID}/`;

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** geckodriver: $GECKODRIVER, else on PATH, else cargo's bin directory (scripts/setup.sh --browser installs it there). */
function geckodriver() {
  const candidates = [process.env.GECKODRIVER, which('geckodriver'), join(process.env.CARGO_HOME || join(process.env.HOME || '/root', '.cargo'), 'bin/geckodriver')];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error('geckodriver not found: run scripts/setup.sh --browser');
  return found;
}

/**
 * Headless Firefox ESR with a fresh profile; with `extension` (a directory,
 * default $SEALPOST_FF_EXTENSION or build/extension) installed as a temporary add-on.  Returns
 * { driver, close() }.  Never Selenium Manager (no download): the driver and
 * the browser are given by path.
 */
export async function startFirefox({ extension = process.env.SEALPOST_FF_EXTENSION || join(repo, 'build/extension'), prefs = {} } = {}) {
  const options = new firefox.Options()
    .setBinary(process.env.FIREFOX || '/usr/bin/firefox-esr')
    .addArguments('-headless')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [ADDON_ID]: ADDON_UUID }))
    .setPreference('browser.shell.checkDefaultBrowser', false)
    .setPreference('browser.startup.homepage_override.mstone', 'ignore')
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('app.update.enabled', false)
    .setPreference('network.captive-portal-service.enabled', false)
    .setPreference('network.connectivity-service.enabled', false);
  // SEALPOST_FF_PREFS: more preferences as JSON (for experiments, e.g. the stall of the guard's fetches).
  for (const [k, v] of Object.entries({ ...JSON.parse(process.env.SEALPOST_FF_PREFS || '{}'), ...prefs })) options.setPreference(k, v);
  // System access: the chrome context opens the guard's own pages (a web page may not navigate to them).
  const service = new firefox.ServiceBuilder(geckodriver()).addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  const close = async () => {
    await driver.quit().catch(() => {});
  };
  try {
    await driver.manage().setTimeouts({ script: 30000, pageLoad: 60000 });
    if (extension) await driver.installAddon(extension, true);
    return { driver, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Polls `fn` (async, truthy ends) every 100 ms until `ms` passed; returns its value or throws `what`. */
export async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The element matching `css` once present (and, unless `hidden` is allowed, displayed). */
export async function waitCss(driver, css, ms = 20000) {
  return driver.wait(until.elementLocated(By.css(css)), ms, `no ${css} within ${ms} ms`);
}

/** Sets an input's value as a user typing it would (clears first). */
export async function fill(driver, css, text) {
  const el = await waitCss(driver, css);
  await el.clear();
  await el.sendKeys(text);
}

/** Clicks `css` once it is shown. */
export async function click(driver, css, ms = 20000) {
  const el = await waitCss(driver, css, ms);
  await driver.wait(until.elementIsVisible(el), ms, `${css} not shown within ${ms} ms`);
  await el.click();
}

/**
 * Runs `script` (a function body; `arguments` are `args`) in the browser's
 * chrome context (its own window: `gBrowser`, every tab whatever its state),
 * then switches back to content.
 */
export async function inChrome(driver, script, ...args) {
  await driver.setContext(firefox.Context.CHROME);
  try {
    return await driver.executeScript(script, ...args);
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
}

/**
 * Opens the guard's page `path` (e.g. 'popup.html?tab=3') in a new tab and
 * switches to it; returns the handle of the window to go back to.  Through
 * the chrome context: WebDriver refuses to navigate content to moz-extension:.
 * `newWindow`: in a browser window of its own, so that the current tab stays
 * the one selected in its window (as it is under a real toolbar popup).
 */
export async function openExtensionPage(driver, path, { newWindow = false } = {}) {
  const back = await driver.getWindowHandle();
  const before = new Set(await driver.getAllWindowHandles());
  if (newWindow) await inExtension(driver, 'await browser.windows.create({ url: arguments[0] });', `${EXT}${path}`);
  else await inChrome(driver, `gBrowser.selectedTab = gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`, `${EXT}${path}`);
  const handle = await waitFor(`a tab for ${path}`, async () => (await driver.getAllWindowHandles()).find((h) => !before.has(h)), 10000);
  await driver.switchTo().window(handle);
  await waitFor(`${path} loaded`, async () => (await driver.getCurrentUrl()).startsWith(EXT) && (await driver.executeScript('return document.readyState')) === 'complete', 10000);
  return back;
}

/** Closes the current (extension) tab and goes back to `back`. */
async function closeTo(driver, back) {
  await driver.close().catch(() => {});
  await driver.switchTo().window(back);
}

/**
 * Runs `body` (the text of an async function body, which may `return`) in
 * an extension page of the guard (its privileged `browser.*` API), in a
 * window of its own, and switches back.  `args` are its `arguments`.
 */
export async function inExtension(driver, body, ...args) {
  const back = await openExtensionPage(driver, 'enrolling.html#probe');
  try {
    return await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
      (async (...args) => { ${body} })(...Array.prototype.slice.call(arguments, 0, -1)).then((v) => done({ v }), (e) => done({ e: String(e && e.stack || e) }));`, ...args)
      .then((r) => {
        if (r && r.e) throw new Error(r.e);
        return r && r.v;
      });
  } finally {
    await closeTo(driver, back);
  }
}

/** The guard's tab id of the tab showing `url` (exactly). */
export function tabIdOf(driver, url) {
  return inExtension(driver, 'return (await browser.tabs.query({})).find((t) => t.url === arguments[0])?.id ?? null;', url);
}

/**
 * Enrolls `origin` through the guard's popup page (as a user does: preview,
 * then trust), for the tab `tabId` that shows it; resolves once the popup
 * says the enrolled load is valid.  The current window is kept.  `newWindow`:
 * the popup in a window of its own (openExtensionPage).
 */
export async function enrollViaPopup(driver, tabId, { ms = 30000, newWindow = false } = {}) {
  const back = await openExtensionPage(driver, `popup.html?tab=${tabId}`, { newWindow });
  try {
    await waitCss(driver, 'body[data-ready]');
    // What the popup says when it offers no enrollment (an error, or a state it should not be in).
    const said = await driver.executeScript("return { error: document.getElementById('error').textContent, state: document.getElementById('state').textContent, offered: !document.getElementById('enroll').hidden }");
    if (!said.offered) throw new Error(`the popup offers no enrollment for tab ${tabId}: ${JSON.stringify(said)}`);
    await click(driver, '#enroll-preview');
    await waitCss(driver, '#enroll-confirm:not([hidden]), #error:not(:empty)');
    const error = await driver.findElement(By.css('#error')).getText();
    if (error) throw new Error(`enrollment preview: ${error}`);
    const fingerprint = (await driver.executeScript("return document.getElementById('preview-fingerprint').textContent")).replace(/\s/g, '');
    await click(driver, '#enroll-trust');
    await waitCss(driver, 'body[data-done="enroll-trust"], #error:not(:empty)', ms);
    const error2 = await driver.findElement(By.css('#error')).getText();
    if (error2) throw new Error(`enrollment: ${error2}`);
    return fingerprint;
  } finally {
    await closeTo(driver, back);
  }
}

/**
 * Opens `origin` in the current window, enrolls it through the popup and waits
 * for the enrolled load's verdict, which must be valid.  Resolves to the tab's
 * id and the guard's status of it.
 */
export async function enrollOrigin(driver, origin) {
  await driver.get(`${origin}/?probe`);
  const tabId = await tabIdOf(driver, `${origin}/?probe`);
  await enrollViaPopup(driver, tabId);
  const status = await waitFor('the enrolled load', async () => {
    const st = await guardStatus(driver, tabId);
    return (st.load?.state === 'valid' || st.load?.state === 'blocked') && st;
  }, 30000);
  assert.equal(status.load.state, 'valid', `enrollment's load: ${JSON.stringify(status.load)}`);
  return { tabId, status };
}

/** The guard's state for tab `tabId` ({ origin, pin, load }), as the popup asks for it. */
export function guardStatus(driver, tabId) {
  return inExtension(driver, `const r = await browser.runtime.sendMessage({ type: 'status', tabId: arguments[0] });
    if (!r.ok) throw new Error(r.error);
    return { origin: r.origin, pin: r.pin && { failure: r.pin.failure, version: r.pin.version }, load: r.load };`, tabId);
}

/** The reason shown by the guard's blocked.html in the current window, once it shows one; null if the window is not there within `ms`. */
export async function blockedReason(driver, ms = 20000) {
  const ok = await waitFor('blocked.html', async () => (await driver.getCurrentUrl()).startsWith(`${EXT}blocked.html`), ms).catch(() => false);
  if (!ok) return null;
  await waitCss(driver, 'body[data-code]:not([data-code=""])', ms);
  const text = async (css) => driver.findElement(By.css(css)).getText().catch(() => '');
  return { code: await text('#code'), file: await text('#file'), expected: await text('#expected'), actual: await text('#actual'), detail: await text('#detail'), url: await driver.getCurrentUrl() };
}
