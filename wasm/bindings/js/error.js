// The error class every sealpost wasm export throws.  `code` is stable API
// (see sealpost-core's ErrorCode); `message` is for humans and never holds
// secrets or plaintext.
// `missing` is 'algorithm' on an UNSUPPORTED error whose algorithm this
// module left out and the full module has (the shim then loads the full one).
export class SealpostError extends Error {
  constructor(code, message, missing) {
    super(message);
    this.name = 'SealpostError';
    this.code = code;
    if (missing === 'algorithm') this.missing = 'algorithm';
  }
}

export function makeSealpostError(code, message, missingAlgorithm) {
  return new SealpostError(code, message, missingAlgorithm ? 'algorithm' : undefined);
}
