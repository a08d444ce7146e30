// Shared e2e plumbing: serve a directory with tools/serve.mjs on a free
// loopback port, and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export async function serve(dir) {
  const child = spawn(process.execPath, [`${repo}tools/serve.mjs`, dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) {
      const exited = once(child, 'exit');
      const close = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        // A server that does not stop within 5 s is killed: a test must never hang on it.
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      };
      return { url: m[1], close };
    }
  }
  throw new Error(`server did not start: ${buffered}`);
}

/**
 * Starts the Rust demo server (target/debug/sealpost-demo, built by make build-dev)
 * on a free port, serving `dist` with a fresh SQLite file.  Same shape as serve().
 */
export async function serveDemo(dist, db = join(mkdtempSync(join(tmpdir(), 'sealpost-demo-db-')), 'mail.sqlite')) {
  const child = spawn(`${repo}target/debug/sealpost-demo`, ['--dist', dist, '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) {
      return {
        url: m[1],
        db,
        close: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
  }
  throw new Error(`the demo server did not start: ${buffered}`);
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export { repo };
