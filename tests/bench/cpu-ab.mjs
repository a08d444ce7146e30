// A/B of sealpost builds by CPU time, for a busy machine where wall-clock
// figures swing with other load: in Node (direct mode, one thread), v4/v6
// encrypt+sign and decrypt+verify of 16 MiB (--size=BYTES), the median over
// --reps=N (5) of this process's user+system CPU time, for each snapshot
// (made by `node tests/bench/bulk.mjs --snapshot=DIR` after make build-release)
// and for OpenPGP.js, interleaved run by run.  Each cell: the median, and in
// brackets the spread (MiB per CPU-second of the slowest and fastest run).
//   node tests/bench/cpu-ab.mjs --reps=5 DIR_A DIR_B
const opt = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const size = Number(opt('size') ?? 16 * 1024 * 1024);
const reps = Number(opt('reps') ?? 5);
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const data = new Uint8Array(size);
let x = 2463534242;
for (let i = 0; i < size; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; data[i] = x & 0xff; }

const libs = [];
for (const d of dirs) libs.push([d, await import(`${d.replace(/\/$/, '')}/js-shim/src/node.js`)]);
libs.push(['OpenPGP.js', await import('openpgp')]);

const cpu = async (fn) => {
  const s = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(s);
  return (d.user + d.system) / 1000;
};
const work = [];
for (const [name, lib] of libs) {
  for (const variant of ['v4', 'v6']) {
    const { privateKey, publicKey } = await lib.generateKey({
      userIDs: [{ name: 'Bench', email: 'bench@example.org' }], format: 'object',
      ...(variant === 'v4' ? { type: 'ecc', curve: 'curve25519Legacy' } : { type: 'curve25519', config: { v6Keys: true } }),
    });
    const config = variant === 'v6' ? { aeadProtect: true } : {};
    const enc = async () => lib.encrypt({ message: await lib.createMessage({ binary: data }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary', config });
    const ct = await enc();
    const dec = async () => {
      const { data: out, signatures } = await lib.decrypt({ message: await lib.readMessage({ binaryMessage: ct }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true, format: 'binary' });
      await signatures[0].verified;
      if (out.length !== size) throw new Error('round trip');
    };
    work.push({ name, row: `encrypt+sign ${variant}`, fn: enc, t: [] }, { name, row: `decrypt+verify ${variant}`, fn: dec, t: [] });
  }
}
for (const w of work) await w.fn(); // warm-up
for (let i = 0; i < reps; i++) for (const w of work) w.t.push(await cpu(w.fn));
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const mibs = (w) => size / 1048576 / (med(w.t) / 1000);
const spread = (w) => `[${(size / 1048576 / (Math.max(...w.t) / 1000)).toFixed(1)}–${(size / 1048576 / (Math.min(...w.t) / 1000)).toFixed(1)}]`;
const names = libs.map(([n]) => n);
console.log(`| ${size / 1048576} MiB, MiB per CPU-second (median of ${reps}), Node | ${names.join(' | ')} | ${names.slice(0, -1).map((n) => `${n} ÷ OpenPGP.js`).join(' | ')} |`);
console.log(`|---|${names.map(() => '---').join('|')}|${names.slice(0, -1).map(() => '---').join('|')}|`);
for (const row of [...new Set(work.map((w) => w.row))]) {
  const ws = names.map((n) => work.find((w) => w.name === n && w.row === row));
  const v = ws.map(mibs);
  console.log(`| ${row} | ${v.map((m, i) => `${m.toFixed(1)} ${spread(ws[i])}`).join(' | ')} | ${v.slice(0, -1).map((m) => `${(m / v.at(-1)).toFixed(2)}×`).join(' | ')} |`);
}
