/**
 * Seeded randomness for everything that must be reproducible (synthetic data, permutation
 * tests, zonings, benchmarks): no Math.random anywhere in the project.
 */

/**
 * mulberry32: a small, fast, seeded 32-bit generator returning floats in [0, 1).
 *
 * @example
 * const rand = mulberry32(42);
 * rand(); // 0.6011037519201636 (always, for seed 42)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
