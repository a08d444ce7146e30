// The armor subcommands: armor and dearmor.
import * as sp from '../src/node.js';
import { EXIT, fail } from './exit.js';
import { isArmored, readStdin, stdout } from './io.js';

export default {
  async armor({ opts }) {
    if (opts.label !== undefined) fail(EXIT.UNSUPPORTED_OPTION, 'armor: --label is not supported (the label is detected)');
    const input = readStdin();
    if (isArmored(input)) return stdout(input);
    try {
      stdout(await sp.armor(input));
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `armor: ${e.message}`);
      throw e;
    }
  },

  async dearmor() {
    const input = readStdin();
    if (!isArmored(input)) return stdout(input);
    try {
      stdout((await sp.unarmor(new TextDecoder().decode(input))).data);
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `dearmor: ${e.message}`);
      throw e;
    }
  },
};
