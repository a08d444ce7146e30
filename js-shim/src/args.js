// Argument checks shared by every call: each throws a TypeError or RangeError naming the
// argument, before anything reaches the crypto instance.

export function checkObject(name, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${name} must be an object`);
}

export function checkString(name, v) {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string`);
}

export function checkBytes(name, v) {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
}

export function optionalStrings(name, v) {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  list.forEach((s, i) => checkString(`${name}[${i}]`, s));
  return list;
}

export function checkFormat(format, allowed) {
  if (!allowed.includes(format)) throw new RangeError(`format must be one of ${allowed.map((f) => `'${f}'`).join(', ')}`);
}

/** The armored (string) or binary (Uint8Array) input named by `names`, whichever is given. */
export async function readInput(options, names) {
  checkObject('options', options);
  const [armoredName, binaryName] = names;
  if (options[armoredName] !== undefined) {
    checkString(armoredName, options[armoredName]);
    return options[armoredName];
  }
  if (options[binaryName] !== undefined) {
    checkBytes(binaryName, options[binaryName]);
    return options[binaryName];
  }
  throw new TypeError(`options.${armoredName} or options.${binaryName} is required`);
}
