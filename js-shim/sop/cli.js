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
import { SPEC, parseArgs } from './args.js';
import { EXIT, SopError, fail } from './exit.js';
import { stdout } from './io.js';
import meta, { SOP_SPEC } from './meta.js';
import keys from './keys.js';
import sign from './sign.js';
import encrypt from './encrypt.js';
import armor from './armor.js';

// In the order the usage lists them.
const subcommands = { ...meta, ...keys, ...sign, ...encrypt, ...armor };

const USAGE = `Usage: sealpost-sop SUBCOMMAND [OPTIONS] [--] [ARGS]
       sealpost-sop --help | --version | SUBCOMMAND --help
Stateless OpenPGP (${SOP_SPEC}) over sealpost's wasm.
Subcommands: ${Object.keys(subcommands).join(', ')}
Data on stdin/stdout; KEYS, CERTS, SIGNATURES and passwords are files, @ENV:NAME or @FD:N.
`;

function subcommandUsage(sub) {
  const opts = Object.entries(SPEC[sub]).map(([name, kind]) => `  --${name}${kind === 'flag' ? '' : `=VALUE${kind === 'values' ? ' (repeatable)' : ''}`}\n`);
  return `Usage: sealpost-sop ${sub} [OPTIONS] [--] [ARGS]\n${opts.length ? `Options:\n${opts.join('')}` : 'No options.\n'}`;
}

async function main(argv) {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    process.stderr.write(USAGE);
    return EXIT.GENERIC;
  }
  // --help and --version are answers, not errors: exit 0, on stdout.
  if (sub === '--help' || sub === 'help') {
    stdout(USAGE);
    return 0;
  }
  const name = sub === '--version' ? 'version' : sub;
  const run = Object.hasOwn(subcommands, name) ? subcommands[name] : null;
  if (!run) fail(EXIT.UNSUPPORTED_SUBCOMMAND, `unsupported subcommand: ${sub}`);
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).includes('--help')) {
    stdout(subcommandUsage(name));
    return 0;
  }
  await run(parseArgs(name, rest));
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
