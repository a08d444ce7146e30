// The subcommands about sealpost-sop itself: version and list-profiles.
import * as sp from '../src/node.js';
import { PROFILES } from './args.js';
import { EXIT, fail } from './exit.js';
import { stdout } from './io.js';

const VERSION = '0.1.0';

export default {
  async version({ opts }) {
    if (opts['sop-spec']) return stdout('~draft-dkg-openpgp-stateless-cli-11\nsealpost-sop implements the subcommands and options listed in js-shim/README.md.\n');
    if (opts.backend) return stdout('sequoia-openpgp 2.4.2 (WebAssembly, pure-Rust crypto)\n');
    stdout(`sealpost-sop ${VERSION}\n`);
    if (opts.extended) stdout(`sequoia-openpgp 2.4.2 (WebAssembly, pure-Rust crypto)\nnode ${process.version}\nkey types: ${(await sp.supportedKeyTypes()).join(', ')}\n`);
  },

  async 'list-profiles'({ positional }) {
    const [sub] = positional;
    if (sub === undefined) fail(EXIT.MISSING_ARG, 'list-profiles: which subcommand?');
    const list = PROFILES[sub];
    if (!list) fail(EXIT.UNSUPPORTED_PROFILE, `list-profiles: ${sub} has no profiles`);
    stdout(list.map(([n, d]) => `${n}: ${d}\n`).join(''));
  },
};
