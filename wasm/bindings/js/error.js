// The error class every sealpost wasm export throws.  `code` is stable API
// (see sealpost-core's ErrorCode); `message` is for humans and never holds
// secrets or plaintext.
export class SealpostError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SealpostError';
    this.code = code;
  }
}

export function makeSealpostError(code, message) {
  return new SealpostError(code, message);
}
