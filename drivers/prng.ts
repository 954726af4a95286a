/**
 * Role (shared by the simulators): Deterministic PRNG (mulberry32): the same seed gives the
 * same sequence on every machine, so simulated fingers, made-up citizens and test fixtures are
 * repeatable. Not for anything secret.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
