// The message subcommands: encrypt and decrypt.
import * as sp from '../src/node.js';
import { profile } from './args.js';
import { EXIT, fail } from './exit.js';
import { checkOutputs, isArmored, password, passwordsFor, readInputArg, readStdin, stdinStream, stdout, streamToStdout, utf8Checked, writeOutputArg } from './io.js';
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
    // stdin is streamed through the wasm and the ciphertext written as it is produced: memory
    // stays bounded whatever the input's size.  --as=text checks UTF-8 as the input passes.
    const input = as === 'text' ? utf8Checked(stdinStream(), 'the input') : stdinStream();
    const message = as === 'text' ? await sp.createMessage({ text: input }) : await sp.createMessage({ binary: input });
    try {
      await streamToStdout(
        await sp.encrypt({
          message,
          encryptionKeys: recipients.length ? recipients : undefined,
          signingKeys: signers.length ? signers : undefined,
          passwords: passwords.length ? passwords : undefined,
          format: opts['no-armor'] ? 'binary' : 'armored',
          config: p,
        }),
      );
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
    const options = {
      decryptionKeys: keys.length ? keys : undefined,
      passwords: passwords.length ? passwords : undefined,
      sessionKeys: sessionKeys.length ? sessionKeys : undefined,
      verificationKeys: verification.length ? verification : undefined,
      format: 'binary',
    };
    const failed = (e) => {
      if (e instanceof sp.SealpostError) {
        if (e.code === 'INVALID_ARGUMENT' && /session key/.test(e.message)) fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
        if (['NO_MATCHING_KEY', 'DECRYPTION_FAILED', 'BAD_PASSPHRASE', 'POLICY_REJECTED'].includes(e.code)) fail(EXIT.CANNOT_DECRYPT, `decrypt: ${e.message}`);
        if (e.code === 'KEY_LOCKED') fail(EXIT.KEY_IS_PROTECTED, `decrypt: ${e.message}`);
        fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
      }
      throw e;
    };
    const inWindow = verifyOut === undefined ? null : window(opts, 'verify-not-before', 'verify-not-after');
    const verifications = (signatures) => {
      if (verifyOut === undefined) return;
      writeOutputArg(verifyOut, verificationLines(signatures, inWindow, byFingerprint(verification)));
    };
    if (opts['session-key-out'] !== undefined) {
      // The stream calls do not return the session key: this one case reads stdin whole.
      const input = readStdin();
      let r;
      try {
        const message = isArmored(input) ? await sp.readMessage({ armoredMessage: new TextDecoder().decode(input) }) : await sp.readMessage({ binaryMessage: input });
        r = await sp.decrypt({ ...options, message, returnSessionKey: true });
      } catch (e) {
        failed(e);
      }
      writeOutputArg(opts['session-key-out'], `${r.sessionKey}\n`);
      verifications(r.signatures);
      return stdout(r.data);
    }
    // Streamed (armored or binary input alike): SEIPDv2 plaintext is written chunk by chunk, each
    // chunk after its authentication tag verified; SEIPDv1 plaintext only once the whole message
    // authenticated (held until then, up to 256 MiB).  A message that fails part way (a changed
    // or cut tail) exits non-zero, and stdout, if it is a regular file, is cut back to what it
    // held before: on a pipe, what was written before the failure must be discarded.
    try {
      const r = await sp.decrypt({ ...options, message: await sp.readMessage({ binaryMessage: stdinStream() }) });
      await streamToStdout(r.data);
      verifications(await r.signatures);
    } catch (e) {
      failed(e);
    }
  },
};
