// The spec's exit codes, and the error that carries one to the command line's exit.
export const EXIT = {
  GENERIC: 1,
  NO_SIGNATURE: 3,
  UNSUPPORTED_ASYMMETRIC_ALGO: 13,
  CERT_CANNOT_ENCRYPT: 17,
  MISSING_ARG: 19,
  INCOMPLETE_VERIFICATION: 23,
  CANNOT_DECRYPT: 29,
  PASSWORD_NOT_HUMAN_READABLE: 31,
  UNSUPPORTED_OPTION: 37,
  BAD_DATA: 41,
  EXPECTED_TEXT: 53,
  OUTPUT_EXISTS: 59,
  MISSING_INPUT: 61,
  KEY_IS_PROTECTED: 67,
  UNSUPPORTED_SUBCOMMAND: 69,
  UNSUPPORTED_SPECIAL_PREFIX: 71,
  AMBIGUOUS_INPUT: 73,
  KEY_CANNOT_SIGN: 79,
  INCOMPATIBLE_OPTIONS: 83,
  UNSUPPORTED_PROFILE: 89,
};

export class SopError extends Error {
  constructor(exit, message) {
    super(message);
    this.exit = exit;
  }
}
export const fail = (exit, message) => {
  throw new SopError(exit, message);
};
