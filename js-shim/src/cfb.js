// SEIPDv1 (CFB) encryption finished with WebCrypto.  CFB encryption is serial, one AES call per
// 16 bytes: wasm's constant-time software AES does that at about 100 MB/s, the browser's (and
// Node's) WebCrypto with the CPU's AES instructions several times faster.  The wasm makes the
// whole message except its last two steps (core's encrypt_cfb_pending: session key packets,
// signatures, literal packet, the SEIPDv1 packet's prefix and MDC packet in plaintext); this file
// writes the MDC's SHA-1 and enciphers.  Only AES-128 and AES-256 (WebCrypto in Chromium has no
// AES-192; other ciphers stay in wasm).

const KEY_BYTES = { 7: 16, 9: 32 };

/** dst[i] ^= src[i] for every i < dst.length (src at least as long). */
function xorInto(dst, src) {
  const n = dst.length;
  let i = 0;
  // Four bytes at a time where both are aligned the same way.
  if ((dst.byteOffset & 3) === (src.byteOffset & 3)) {
    for (; i < n && ((dst.byteOffset + i) & 3) !== 0; i++) dst[i] ^= src[i];
    const words = (n - i) >>> 2;
    const d = new Int32Array(dst.buffer, dst.byteOffset + i, words);
    const s = new Int32Array(src.buffer, src.byteOffset + i, words);
    for (let w = 0; w < words; w++) d[w] ^= s[w];
    i += words << 2;
  }
  for (; i < n; i++) dst[i] ^= src[i];
}

/**
 * Finishes encrypt_cfb_pending's { message, bodyStart, algo, key } in place and returns the
 * message: the MDC's SHA-1 over message[bodyStart, length - 20) into its last 20 bytes, then
 * message[bodyStart..] enciphered with AES in CFB mode under a zero IV (RFC 4880 §5.13).  `key` is
 * zeroed once WebCrypto holds it (as a non-extractable CryptoKey).
 * @param {{ message: Uint8Array, bodyStart: number, algo: number, key: Uint8Array }} pending
 * @param {SubtleCrypto} subtle
 */
export async function finishCfb({ message, bodyStart, algo, key }, subtle) {
  let aes;
  try {
    if (KEY_BYTES[algo] !== key.length) throw new RangeError(`not an AES-128 or AES-256 key (cipher ${algo}, ${key.length} bytes)`);
    // The prefix (18 bytes), the MDC packet (22) at least.
    if (!(bodyStart > 0 && message.length - bodyStart >= 40)) throw new RangeError('not a pending SEIPDv1 body');
    aes = await subtle.importKey('raw', key, { name: 'AES-CBC' }, false, ['encrypt']);
  } finally {
    key.fill(0);
  }
  const body = message.subarray(bodyStart);
  const mdc = body.length - 20;
  body.set(new Uint8Array(await subtle.digest('SHA-1', body.subarray(0, mdc))), mdc);
  // CFB's keystream: block 1 is AES(IV = 0); block i+1 is AES(ciphertext block i) =
  // AES(plaintext block i XOR keystream block i), which is CBC over the plaintext blocks with
  // keystream block 1 as its IV.  Every block but the last (which may be partial) feeds the next.
  const zero = new Uint8Array(16);
  const first = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: zero }, aes, zero), 0, 16);
  const feeding = Math.floor((body.length - 1) / 16) * 16;
  // WebCrypto copies its input when called, before anything below changes the body.
  const rest = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: first }, aes, body.subarray(0, feeding)));
  xorInto(body.subarray(0, 16), first);
  xorInto(body.subarray(16), rest);
  // The keystream XOR the ciphertext is the plaintext: leave neither copy behind.
  rest.fill(0);
  first.fill(0);
  return message;
}
