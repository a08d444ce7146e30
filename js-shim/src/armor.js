// ASCII armor: armor binary OpenPGP data, remove armor from text.
import { current } from './backend.js';
import { checkBytes, checkString } from './args.js';

const ARMOR_KINDS = { message: 'message', publicKey: 'public-key', privateKey: 'secret-key', signature: 'signature' };

/** Armors binary OpenPGP data; type ('message', 'publicKey', 'privateKey', 'signature') is guessed if omitted. */
export async function armor(data, type) {
  checkBytes('data', data);
  if (type !== undefined && !(type in ARMOR_KINDS)) throw new RangeError(`type must be one of ${Object.keys(ARMOR_KINDS).join(', ')}`);
  return current().call('armor', data, type && ARMOR_KINDS[type]);
}

/** Removes ASCII armor: { data }. */
export async function unarmor(text) {
  checkString('text', text);
  return { data: await current().call('dearmor', text) };
}
