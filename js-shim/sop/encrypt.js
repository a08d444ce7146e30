// The message subcommands: encrypt and decrypt.
import * as sp from '../src/node.js';
import { profile } from './args.js';
import { EXIT, fail } from './exit.js';
import { checkOutputs, isArmored, password, passwordsFor, readInputArg, readStdin, stdout, utf8, writeOutputArg } from './io.js';
import { certs, secretKeys, unlocked } from './keyring.js';
import { byFingerprint, verificationLines, window } from './verifications.js';

export default {
  async encrypt({ opts, positional }) {
    const as = opts.as ?? 'binary';
    if (!['binary', 'text'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `encrypt: --as=${as} (binary or text)`);
    const p = profile('encrypt', opts.profile);
    const passwords = (opts['with-password'] ?? []).map((a) => password(a, { forEncryption: true }).trimmed);
    if (positional.length === 0 && passwords.length === 0) fail(EXIT.MISSING_ARG, 'encrypt: CERTS or --with-password are required');
    const recipients = await certs(positional);
    const signers = await unlocked(await secretKeys(opts['sign-with'] ?? [], '--sign-with'), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    let out;
    try {
      out = await sp.encrypt({
        message,
        encryptionKeys: recipients.length ? recipients : undefined,
        signingKeys: signers.length ? signers : undefined,
        passwords: passwords.length ? passwords : undefined,
        format: opts['no-armor'] ? 'binary' : 'armored',
        config: p,
      });
    } catch (e) {
      if (e instanceof sp.SealpostError) {
        // The spec's encrypt failures (draft-dkg-openpgp-stateless-cli, "encrypt" and "Failure Modes"):
        // a certificate that cannot encrypt (none usable, or refused by the policy), a signing key that
        // cannot sign or is locked, bad key data, an asymmetric algorithm this build lacks.
        const exit = {
          NO_USABLE_KEY: /sign/i.test(e.message) ? EXIT.KEY_CANNOT_SIGN : EXIT.CERT_CANNOT_ENCRYPT,
          POLICY_REJECTED: EXIT.CERT_CANNOT_ENCRYPT,
          MALFORMED_INPUT: EXIT.BAD_DATA,
          UNSUPPORTED: EXIT.UNSUPPORTED_ASYMMETRIC_ALGO,
          KEY_LOCKED: EXIT.KEY_IS_PROTECTED,
          BAD_PASSPHRASE: EXIT.KEY_IS_PROTECTED,
        }[e.code];
        if (exit !== undefined) fail(exit, `encrypt: ${e.message}`);
      }
      throw e;
    }
    stdout(out);
  },

  async decrypt({ opts, positional }) {
    const verifyOut = opts['verifications-out'] ?? opts['verify-out'];
    // The spec's INCOMPLETE_VERIFICATION (23): "incomplete verification instructions".
    if ((opts['verify-with'] === undefined) !== (verifyOut === undefined)) {
      fail(EXIT.INCOMPLETE_VERIFICATION, 'decrypt: --verify-with and --verifications-out go together');
    }
    checkOutputs(opts['session-key-out'], verifyOut);
    const sessionKeys = (opts['with-session-key'] ?? []).map((a) => new TextDecoder().decode(readInputArg(a)).trim());
    const passwords = passwordsFor(opts['with-password']);
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    if (keys.length === 0 && passwords.length === 0 && sessionKeys.length === 0) {
      fail(EXIT.MISSING_ARG, 'decrypt: KEYS, --with-password or --with-session-key are required');
    }
    const verification = await certs(opts['verify-with'] ?? [], '--verify-with');
    const input = readStdin();
    let r;
    try {
      const message = isArmored(input) ? await sp.readMessage({ armoredMessage: new TextDecoder().decode(input) }) : await sp.readMessage({ binaryMessage: input });
      r = await sp.decrypt({
        message,
        decryptionKeys: keys.length ? keys : undefined,
        passwords: passwords.length ? passwords : undefined,
        sessionKeys: sessionKeys.length ? sessionKeys : undefined,
        verificationKeys: verification.length ? verification : undefined,
        returnSessionKey: opts['session-key-out'] !== undefined,
        format: 'binary',
      });
    } catch (e) {
      if (e instanceof sp.SealpostError) {
        if (e.code === 'INVALID_ARGUMENT' && /session key/.test(e.message)) fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
        if (['NO_MATCHING_KEY', 'DECRYPTION_FAILED', 'BAD_PASSPHRASE', 'POLICY_REJECTED'].includes(e.code)) fail(EXIT.CANNOT_DECRYPT, `decrypt: ${e.message}`);
        if (e.code === 'KEY_LOCKED') fail(EXIT.KEY_IS_PROTECTED, `decrypt: ${e.message}`);
        fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
      }
      throw e;
    }
    if (opts['session-key-out'] !== undefined) writeOutputArg(opts['session-key-out'], `${r.sessionKey}\n`);
    if (verifyOut !== undefined) {
      const inWindow = window(opts, 'verify-not-before', 'verify-not-after');
      writeOutputArg(verifyOut, verificationLines(r.signatures, inWindow, byFingerprint(verification)));
    }
    stdout(r.data);
  },
};
