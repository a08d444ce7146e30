// Argument checks shared by every call: each throws a TypeError or RangeError naming the
// argument, before anything reaches the crypto instance.

export function checkObject(name, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${name} must be an object`);
}

/**
 * Strict options, as OpenPGP.js v6 has them: every own key of `options` must be one the call
 * takes, or it throws a TypeError naming it (an option sealpost does not implement, such as
 * OpenPGP.js's `date`, is never silently dropped).  `options` must be an object.
 */
export function checkOptions(call, options, known, name = 'options') {
  checkObject(name, options);
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) {
    const list = unknown.map((k) => `'${k}'`).join(', ');
    throw new TypeError(`${call}: unknown option${unknown.length > 1 ? 's' : ''} ${list} in ${name} (it takes: ${known.join(', ')})`);
  }
  return options;
}

/**
 * The `config` option: undefined, or an object whose keys are among `known` (each call names
 * the OpenPGP.js config keys sealpost honours for it; any other key throws a TypeError naming
 * it rather than being ignored).
 */
export function checkConfig(call, config, known = []) {
  if (config === undefined) return {};
  checkObject('config', config);
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length) {
    const list = unknown.map((k) => `'${k}'`).join(', ');
    const takes = known.length ? `here it honours ${known.join(', ')} only` : 'here it honours none';
    throw new TypeError(`${call}: unsupported config key${unknown.length > 1 ? 's' : ''} ${list} (sealpost's policy is sequoia's StandardPolicy; ${takes})`);
  }
  return config;
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
