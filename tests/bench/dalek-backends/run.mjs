// curve25519-dalek 4.1.3 (the version sealpost's Cargo.lock pins) on wasm32 with each field
// backend: the default on wasm32 (serial u32, FieldElement2625, what the release wasm uses), the
// 64-bit serial backend (--cfg curve25519_dalek_bits="64": u128 products, which wasm has no
// instruction for) and fiat-crypto's (--cfg curve25519_dalek_backend="fiat"; 32-bit on wasm32).
// Release builds (opt-level 3, LTO, +simd128) into target/dalek-backends/, then in Node, CPU µs
// per operation, median of --reps=N (5) interleaved runs [min–max]:
//   mul_base    a fixed-base multiplication (Ed25519 key generation and signing)
//   double_mul  a*A + b*B, variable time (Ed25519 verification)
//   x25519      an X25519 scalar multiplication (ECDH)
//   node tests/bench/dalek-backends/run.mjs [--reps=5]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const target = fileURLToPath(new URL('../../../target/dalek-backends/', import.meta.url));
const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.split('=')[1] ?? 5);
const backends = [['u32 (default)', ''], ['u64', '--cfg curve25519_dalek_bits="64"'], ['fiat', '--cfg curve25519_dalek_backend="fiat"']];
const modules = [];
for (const [name, cfg] of backends) {
  const dir = `${target}${name.split(' ')[0]}`;
  execFileSync('cargo', ['build', '--release', '--locked', '--target', 'wasm32-unknown-unknown', '--target-dir', dir], {
    cwd: here, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUSTFLAGS: `-C target-feature=+simd128 ${cfg}`.trim() },
  });
  const { instance } = await WebAssembly.instantiate(readFileSync(`${dir}/wasm32-unknown-unknown/release/dalek_backends.wasm`), {});
  modules.push({ name, e: instance.exports, t: {} });
}
const ops = [['mul_base', 4000], ['double_mul', 2000], ['x25519', 1000]];
for (const m of modules) for (const [f, n] of ops) m.e[f](n / 4); // warm-up
for (let i = 0; i < reps; i++) {
  for (const m of modules) {
    for (const [f, n] of ops) {
      const c0 = process.cpuUsage();
      m.e[f](n);
      const c = process.cpuUsage(c0);
      (m.t[f] ??= []).push((c.user + c.system) / n);
    }
  }
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`| CPU µs per operation, wasm32 in Node ${process.version} (median of ${reps}) | ${ops.map(([f]) => f).join(' | ')} |`);
console.log(`|---|${ops.map(() => '---').join('|')}|`);
for (const m of modules) console.log(`| ${m.name} | ${ops.map(([f]) => `${med(m.t[f]).toFixed(1)} [${Math.min(...m.t[f]).toFixed(1)}–${Math.max(...m.t[f]).toFixed(1)}]`).join(' | ')} |`);
