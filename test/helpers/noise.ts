/**
 * Test helper: reproducible line noise (xorshift32), for the tests that feed drivers garbage
 * (issue #13: nothing from a wire may grow memory without limit or throw past a driver).
 */
export function noise(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const TEN_MB = 10 * 2 ** 20;
