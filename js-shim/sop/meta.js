// The subcommands about sealpost-sop itself: version and list-profiles.
import { readFileSync } from 'node:fs';
import * as sp from '../src/node.js';
import { PROFILES } from './args.js';
import { EXIT, fail } from './exit.js';
import { stdout } from './io.js';

/** The package's own version: one source, package.json (shipped in the tarball). */
const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/**
 * The SOP draft this CLI follows.  `version --sop-spec` prints it with the spec's `~` prefix:
 * a partial implementation (the subcommands and options in README.md; others exit 69 / 37).
 */
export const SOP_SPEC = 'draft-dkg-openpgp-stateless-cli-11';
const BACKEND = 'sequoia-openpgp 2.4.2 (WebAssembly, pure-Rust crypto)';

export default {
  async version({ opts }) {
    if (opts['sop-spec']) return stdout(`~${SOP_SPEC}\nsealpost-sop implements the subcommands and options listed in its README (js-shim/README.md).\n`);
    if (opts.backend) return stdout(`${BACKEND}\n`);
    stdout(`sealpost-sop ${VERSION}\n`);
    if (opts.extended) stdout(`${BACKEND}\nSOP: ~${SOP_SPEC} (partial)\nnode ${process.version}\nkey types: ${(await sp.supportedKeyTypes()).join(', ')}\n`);
  },

  async 'list-profiles'({ positional }) {
    const [sub] = positional;
    if (sub === undefined) fail(EXIT.MISSING_ARG, 'list-profiles: which subcommand?');
    const list = PROFILES[sub];
    if (!list) fail(EXIT.UNSUPPORTED_PROFILE, `list-profiles: ${sub} has no profiles`);
    stdout(list.map(([n, d]) => `${n}: ${d}\n`).join(''));
  },
};
