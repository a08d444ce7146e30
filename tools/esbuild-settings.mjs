// The one set of esbuild settings for every bundle sealpost ships (the worker
// bundle in tools/build-shim.mjs, the page bundle in tools/build-site.mjs):
// ESM, no code splitting, not minified (the release stays readable), no legal
// comments (the sources have none; the licence is the repository's).
export const BUNDLE = Object.freeze({
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
});
