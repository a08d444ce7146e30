// The test data of tests/bench/cost.mjs: bytes that do not compress, the same on every run.
export function pattern(size) {
  const data = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    data[i] = x & 0xff;
  }
  return data;
}
