// sealpost-sop: the Stateless OpenPGP command-line interface
// (draft-dkg-openpgp-stateless-cli) over the very wasm that browsers run.
//
// Input on stdin, output on stdout, keys / certificates / passwords as file
// arguments (or @ENV:NAME, @FD:N), errors on stderr with the spec's exit codes.
// It never overwrites a file: outputs are only ever created new (EXIT.OUTPUT_EXISTS).
//
//   cli.js            the subcommand table, usage, main and the process's exit code
//   args.js           each subcommand's options, parsing them; the profiles
//   exit.js           the spec's exit codes; fail()
//   io.js             stdin/stdout, file arguments and @ENV:/@FD:, text, passwords
//   keyring.js        keys and certificates read from inputs, unlocked, written out
//   verifications.js  the VERIFICATIONS lines
//   meta.js, keys.js, sign.js, encrypt.js, armor.js: the subcommands, by group
import { parseArgs } from './args.js';
import { EXIT, SopError, fail } from './exit.js';
import meta from './meta.js';
import keys from './keys.js';
import sign from './sign.js';
import encrypt from './encrypt.js';
import armor from './armor.js';

// In the order the usage lists them.
const subcommands = { ...meta, ...keys, ...sign, ...encrypt, ...armor };

const USAGE = `Usage: sealpost-sop SUBCOMMAND [OPTIONS] [--] [ARGS]
Stateless OpenPGP (draft-dkg-openpgp-stateless-cli) over sealpost's wasm.
Subcommands: ${Object.keys(subcommands).join(', ')}
Data on stdin/stdout; KEYS, CERTS, SIGNATURES and passwords are files, @ENV:NAME or @FD:N.
`;

async function main(argv) {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    process.stderr.write(USAGE);
    return sub === undefined ? EXIT.GENERIC : 0;
  }
  const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : null;
  if (!run) fail(EXIT.UNSUPPORTED_SUBCOMMAND, `unsupported subcommand: ${sub}`);
  await run(parseArgs(sub, rest));
  return 0;
}

/** Runs one command line (the arguments after the program's name) and exits with its code. */
export function run(argv) {
  main(argv).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof SopError) {
        process.stderr.write(`sealpost-sop: ${e.message}\n`);
        process.exit(e.exit);
      }
      process.stderr.write(`sealpost-sop: ${e && e.code ? `${e.code}: ` : ''}${e && e.message ? e.message : e}\n`);
      process.exit(EXIT.GENERIC);
    },
  );
}
