/**
 * Seeded pseudo-random numbers for the Musterstadt generator (no `Math.random`, so every run
 * with the same seed gives the same city).
 */
import { mulberry32 } from "../../src/random";
export { mulberry32 };

/** A seeded random source: uniform, normal and helper draws. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal draw (Box–Muller), scaled: mean + sd · z. */
  normal(mean?: number, sd?: number): number;
  /** Integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number;
  /** A new independent stream derived from this one (for sub-models that must not shift each other). */
  fork(label: string): Rng;
}


/**
 * 32-bit FNV-1a hash of a string, used to derive sub-seeds from labels.
 *
 * @example
 * hashString("geometry"); // a fixed 32-bit unsigned integer
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Creates a seeded random source.
 *
 * @example
 * const rng = createRng(20241231);
 * rng.normal(0, 1); // deterministic standard normal draw
 * rng.fork("stats").next(); // an independent, equally deterministic stream
 */
export function createRng(seed: number): Rng {
  const u = mulberry32(seed);
  let spare: number | undefined;
  const rng: Rng = {
    next: u,
    uniform: (min, max) => min + (max - min) * u(),
    normal: (mean = 0, sd = 1) => {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + sd * z;
      }
      let a = u();
      while (a <= 1e-12) a = u();
      const b = u();
      const r = Math.sqrt(-2 * Math.log(a));
      spare = r * Math.sin(2 * Math.PI * b);
      return mean + sd * r * Math.cos(2 * Math.PI * b);
    },
    int: (min, maxInclusive) => min + Math.floor(u() * (maxInclusive - min + 1)),
    fork: (label) => createRng((hashString(label) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0),
  };
  return rng;
}
