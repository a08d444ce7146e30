// The signature subcommands: sign and verify (detached), inline-sign, inline-verify and
// inline-detach.
import * as sp from '../src/node.js';
import { EXIT, fail } from './exit.js';
import { checkOutputs, isArmored, passwordsFor, readInputArg, readStdin, stdout, utf8, writeOutputArg } from './io.js';
import { certs, secretKeys, unlocked } from './keyring.js';
import { byFingerprint, verificationLines, window } from './verifications.js';

const HASH_NAMES = { 8: 'sha256', 9: 'sha384', 10: 'sha512', 11: 'sha224', 12: 'sha3-256', 14: 'sha3-512' };

/** The hash algorithm of the first signature packet in binary OpenPGP data. */
function firstSignatureHash(bytes) {
  const tag = bytes[0];
  let at;
  if (tag & 0x40) {
    const l = bytes[1];
    at = l < 192 ? 2 : l < 224 ? 3 : 6;
  } else {
    at = 1 + [1, 2, 4, 0][tag & 3];
  }
  return HASH_NAMES[bytes[at + 3]];
}

/** Signing failures as SOP exit codes. */
async function signing(fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof sp.SealpostError) {
      if (e.code === 'NO_USABLE_KEY') fail(EXIT.KEY_CANNOT_SIGN, e.message);
      if (e.code === 'KEY_LOCKED' || e.code === 'BAD_PASSPHRASE') fail(EXIT.KEY_IS_PROTECTED, e.message);
    }
    throw e;
  }
}

export default {
  async sign({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'sign: KEYS are required');
    const as = opts.as ?? 'binary';
    if (!['binary', 'text'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `sign: --as=${as} (binary or text)`);
    checkOutputs(opts['micalg-out']);
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    const sig = await signing(() => sp.sign({ message, signingKeys: keys, detached: true, format: 'binary' }));
    if (opts['micalg-out'] !== undefined) {
      const h = firstSignatureHash(sig);
      writeOutputArg(opts['micalg-out'], h ? `pgp-${h}` : '');
    }
    stdout(opts['no-armor'] ? sig : await sp.armor(sig, 'signature'));
  },

  async verify({ opts, positional }) {
    const [sigArg, ...certArgs] = positional;
    if (sigArg === undefined || certArgs.length === 0) fail(EXIT.MISSING_ARG, 'verify: SIGNATURES and CERTS are required');
    const sigBytes = readInputArg(sigArg);
    const keys = await certs(certArgs);
    const inWindow = window(opts);
    let signature;
    try {
      signature = isArmored(sigBytes) ? await sp.readSignature({ armoredSignature: new TextDecoder().decode(sigBytes) }) : await sp.readSignature({ binarySignature: sigBytes });
    } catch (e) {
      fail(EXIT.BAD_DATA, `SIGNATURES: ${e.message}`);
    }
    const message = await sp.createMessage({ binary: readStdin() });
    let r;
    try {
      r = await sp.verify({ message, signature, verificationKeys: keys });
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `verify: ${e.message}`);
      throw e;
    }
    const lines = verificationLines(r.signatures, inWindow, byFingerprint(keys));
    if (!lines) fail(EXIT.NO_SIGNATURE, 'verify: no valid signature by the given certificates');
    stdout(lines);
  },

  async 'inline-sign'({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'inline-sign: KEYS are required');
    const as = opts.as ?? 'binary';
    if (!['binary', 'text', 'clearsigned'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `inline-sign: --as=${as} (binary, text or clearsigned)`);
    if (as === 'clearsigned' && opts['no-armor']) fail(EXIT.INCOMPATIBLE_OPTIONS, 'inline-sign: --as=clearsigned is always armored; --no-armor contradicts it');
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    if (as === 'clearsigned') {
      const text = utf8(data, EXIT.EXPECTED_TEXT, 'the input');
      return stdout(await signing(async () => sp.sign({ message: await sp.createCleartextMessage({ text }), signingKeys: keys })));
    }
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    stdout(await signing(() => sp.sign({ message, signingKeys: keys, format: opts['no-armor'] ? 'binary' : 'armored' })));
  },

  async 'inline-verify'({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'inline-verify: CERTS are required');
    checkOutputs(opts['verifications-out']);
    const keys = await certs(positional);
    const inWindow = window(opts);
    const input = readStdin();
    const text = new TextDecoder().decode(input.subarray(0, 64));
    let r;
    try {
      if (/^\s*-----BEGIN PGP SIGNED MESSAGE-----/.test(text)) {
        r = await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: new TextDecoder().decode(input) }), verificationKeys: keys, format: 'binary' });
      } else {
        const message = isArmored(input) ? await sp.readMessage({ armoredMessage: new TextDecoder().decode(input) }) : await sp.readMessage({ binaryMessage: input });
        r = await sp.verify({ message, verificationKeys: keys, format: 'binary' });
      }
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `inline-verify: ${e.message}`);
      throw e;
    }
    const lines = verificationLines(r.signatures, inWindow, byFingerprint(keys));
    if (!lines) fail(EXIT.NO_SIGNATURE, 'inline-verify: no valid signature by the given certificates');
    if (opts['verifications-out'] !== undefined) writeOutputArg(opts['verifications-out'], lines);
    stdout(r.data);
  },

  async 'inline-detach'({ opts }) {
    if (opts['signatures-out'] === undefined) fail(EXIT.MISSING_ARG, 'inline-detach: --signatures-out is required');
    checkOutputs(opts['signatures-out']);
    let d;
    try {
      d = await sp.inlineDetach(readStdin());
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `inline-detach: ${e.message}`);
      throw e;
    }
    writeOutputArg(opts['signatures-out'], opts['no-armor'] ? d.signature : await sp.armor(d.signature, 'signature'));
    stdout(d.data);
  },
};
