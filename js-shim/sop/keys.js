// The key subcommands: generate-key, change-key-password, revoke-key, extract-cert.
import * as sp from '../src/node.js';
import { profile } from './args.js';
import { EXIT, fail } from './exit.js';
import { password, passwordsFor, readStdin, stdout } from './io.js';
import { keysOut, readKeyring, unlocked } from './keyring.js';

export default {
  async 'generate-key'({ opts, positional }) {
    if (opts['signing-only']) fail(EXIT.UNSUPPORTED_OPTION, 'generate-key: --signing-only is not supported');
    const p = profile('generate-key', opts.profile);
    const passphrase = opts['with-key-password'] === undefined ? undefined : password(opts['with-key-password'], { forEncryption: true }).trimmed;
    const { privateKey } = await sp.generateKey({ userIDs: positional, passphrase, format: 'object', ...p });
    stdout(await keysOut([privateKey], !opts['no-armor'], 'privateKey'));
  },

  async 'change-key-password'({ opts }) {
    const keys = await readKeyring(readStdin(), 'KEYS');
    const old = passwordsFor(opts['old-key-password']);
    const open = await unlocked(keys, old);
    const next = opts['new-key-password'] === undefined ? undefined : password(opts['new-key-password'], { forEncryption: true }).trimmed;
    const out = [];
    for (const k of open) out.push(next === undefined || !k.isPrivate() ? k : await sp.encryptKey({ privateKey: k, passphrase: next }));
    stdout(await keysOut(out, !opts['no-armor'], 'privateKey'));
  },

  async 'revoke-key'({ opts }) {
    const keys = await unlocked(await readKeyring(readStdin(), 'KEYS'), passwordsFor(opts['with-key-password']));
    const out = [];
    for (const k of keys) {
      const { publicKey } = await sp.revokeKey({ key: k, format: 'object' });
      out.push(publicKey);
    }
    stdout(await keysOut(out, !opts['no-armor'], 'publicKey'));
  },

  async 'extract-cert'({ opts }) {
    const keys = await readKeyring(readStdin(), 'KEYS');
    stdout(await keysOut(await Promise.all(keys.map((k) => k.toPublic())), !opts['no-armor'], 'publicKey'));
  },
};
