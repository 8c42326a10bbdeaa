/**
 * Spatial autocorrelation: global Moran's I with analytical (normality, randomisation) and
 * permutation inference, and local Moran (LISA) with conditional-permutation pseudo p-values and
 * HH/LL/HL/LH cluster labels, following PySAL esda (`Moran`, `Moran_Local`).
 *
 * Missing values and islands: areas with a non-finite value are dropped first (links to them
 * removed); areas without neighbours after that (islands) are excluded by default
 * (`islands: "exclude"`): they have no spatial lag, and keeping them (as esda does, with a zero
 * lag) pulls I towards 0. With `islands: "keep"` they stay in n, the mean and the variance, with
 * a zero lag, as in esda. Either way local results flag them (`cluster: "island"`), and
 * `excluded` lists what was left out and why.
 *
 * Randomness: permutations use a seeded generator ({@link mulberry32}); the same seed gives the
 * same p-values on every machine. The numbers are not those of numpy's generator, so pseudo
 * p-values agree with esda's in distribution only, not digit for digit.
 */
import { rowStandardise, SpatialWeights, subsetWeights } from "./weights";
import { mulberry32 } from "../random";
export { mulberry32 };


/**
 * Standard normal cumulative distribution Φ(x), from erfc (power series for |x| < 2.5, continued
 * fraction beyond; relative error about 1e-14).
 *
 * @example
 * normalCdf(1.959963984540054); // 0.975
 */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    // erf series: erf(x) = 2/sqrt(pi) * sum_{n} (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = ax, term = ax, n = 0;
    const x2 = ax * ax;
    while (Math.abs(term) > 1e-17 * Math.abs(sum)) {
      n++;
      term *= -x2 / n;
      sum += term / (2 * n + 1);
      if (n > 200) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Lentz continued fraction for erfc
    const x2 = ax * ax;
    let f = ax, C = ax, D = 0;
    for (let i = 1; i < 300; i++) {
      const an = i / 2;
      D = ax + an * D; D = D === 0 ? 1e-300 : 1 / D;
      C = ax + an / C; if (C === 0) C = 1e-300;
      const delta = C * D;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = Math.exp(-x2) / (f * Math.sqrt(Math.PI));
  }
  return x >= 0 ? r : 2 - r;
}

/** What happens to areas without neighbours. */
export type IslandRule = "exclude" | "keep";

/** Options of {@link moran}. */
export interface MoranOptions {
  /** Weight transformation applied after dropping missing values and islands: `"row"` (row-standardise), `"binary"` (all 1), `"none"` (weights as given). Default `"row"`. */
  transform?: "row" | "binary" | "none";
  /** Number of random permutations for the pseudo p-value; 0 for none. Default 999. */
  permutations?: number;
  /** Seed of the permutation generator. Default 12345. */
  seed?: number;
  /** Islands excluded (default) or kept with a zero lag. Default `"exclude"`. */
  islands?: IslandRule;
  /** Two-sided analytical p-values (esda default) or one-sided in the direction of the observed z. Default `true`. */
  twoTailed?: boolean;
}

/** Result of {@link moran}. */
export interface MoranResult {
  /** Moran's I. */
  I: number;
  /** Expected I under no autocorrelation, −1/(n − 1). */
  EI: number;
  /** Number of areas used. */
  n: number;
  /** Variance, z-value and p-value of I under normality. */
  VI_norm: number; z_norm: number; p_norm: number;
  /** Variance, z-value and p-value of I under randomisation. */
  VI_rand: number; z_rand: number; p_rand: number;
  /** Permutation results (NaN when `permutations` is 0): pseudo p-value (one-sided in the direction of I, (extremes + 1)/(permutations + 1)), mean, SD and z of the simulated Is. */
  p_sim: number; EI_sim: number; seI_sim: number; z_sim: number;
  /** Sums of weights S0, S1, S2 (after transformation). */
  S0: number; S1: number; S2: number;
  /** Areas left out, with the reason. */
  excluded: { id: string; reason: "missing" | "island" }[];
  /** Ids of islands kept (only with `islands: "keep"`). */
  keptIslands: string[];
}

interface Prepared {
  ids: string[];
  y: number[];
  w: SpatialWeights;
  excluded: { id: string; reason: "missing" | "island" }[];
  keptIslands: string[];
  /** index in the input of each used area */
  inputIndex: number[];
}

function prepare(values: ArrayLike<number | null | undefined>, w: SpatialWeights, transform: "row" | "binary" | "none", islands: IslandRule): Prepared {
  if (values.length !== w.ids.length) throw new RangeError(`invalid values: length ${values.length} (expected ${w.ids.length}, one per area of the weights)`);
  if (islands !== "exclude" && islands !== "keep") throw new RangeError(`invalid islands: ${JSON.stringify(islands)} (expected "exclude" or "keep")`);
  if (!["row", "binary", "none"].includes(transform)) throw new RangeError(`invalid transform: ${JSON.stringify(transform)} (expected "row", "binary" or "none")`);
  const ok = Array.from({ length: values.length }, (_, i) => typeof values[i] === "number" && Number.isFinite(values[i] as number));
  const excluded: Prepared["excluded"] = [];
  ok.forEach((k, i) => { if (!k) excluded.push({ id: w.ids[i]!, reason: "missing" }); });
  let inputIndex = ok.flatMap((k, i) => (k ? [i] : []));
  let sub = subsetWeights(w, ok);
  let keptIslands: string[] = [];
  if (islands === "exclude" && sub.islands.length) {
    const isl = new Set(sub.islands);
    for (const i of sub.islands) excluded.push({ id: sub.ids[i]!, reason: "island" });
    const keep = sub.ids.map((_, i) => !isl.has(i));
    inputIndex = inputIndex.filter((_, i) => keep[i]);
    sub = subsetWeights(sub, keep);
  } else keptIslands = sub.islands.map((i) => sub.ids[i]!);
  if (transform === "binary") sub = { ...sub, weights: sub.neighbours.map((l) => l.map(() => 1)), transform: "binary" };
  else if (transform === "row") sub = rowStandardise(sub);
  const y = inputIndex.map((i) => values[i] as number);
  return { ids: sub.ids, y, w: sub, excluded, keptIslands, inputIndex };
}

function lag(w: SpatialWeights, z: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < w.neighbours.length; i++) {
    const nb = w.neighbours[i]!, wt = w.weights[i]!;
    let s = 0;
    for (let t = 0; t < nb.length; t++) s += wt[t]! * z[nb[t]!]!;
    out[i] = s;
  }
  return out;
}

function shuffle(a: Float64Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!; a[i] = a[j]!; a[j] = t;
  }
}

/** Folded one-sided pseudo p-value as esda: extremes in the direction of the observed value. */
function pseudoP(observed: number, sims: Float64Array): number {
  let larger = 0;
  for (const s of sims) if (s >= observed) larger++;
  const m = sims.length;
  if (m - larger < larger) larger = m - larger;
  return (larger + 1) / (m + 1);
}

function meanSdOf(a: ArrayLike<number>): [number, number] {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const mean = s / a.length;
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (a[i]! - mean) ** 2;
  return [mean, Math.sqrt(ss / a.length)];
}

/**
 * Global Moran's I with inference under normality, randomisation and permutation (esda.Moran).
 *
 * @param values one value per area of `w` (non-finite = missing, dropped)
 * @param w spatial weights (binary or any; re-transformed per `options.transform`)
 * @param options `transform` (default `"row"`), `permutations` (default 999), `seed` (default 12345), `islands` (default `"exclude"`), `twoTailed` (default true)
 * @example
 * const w = contiguityWeights(plr.features, { rule: "queen" });
 * const m = moran(shareS4, w, { permutations: 999, seed: 1 });
 * m.I;      // e.g. 0.62
 * m.EI;     // -1 / (n - 1)
 * m.p_sim;  // 0.001
 */
export function moran(values: ArrayLike<number | null | undefined>, w: SpatialWeights, options: MoranOptions = {}): MoranResult {
  const permutations = options.permutations ?? 999;
  if (!Number.isInteger(permutations) || permutations < 0) throw new RangeError(`invalid permutations: ${permutations} (expected an integer ≥ 0)`);
  const p = prepare(values, w, options.transform ?? "row", options.islands ?? "exclude");
  const n = p.y.length;
  if (n < 4) throw new RangeError(`invalid values: ${n} usable areas (need at least 4)`);
  const [mean] = meanSdOf(p.y);
  const z = Float64Array.from(p.y, (v) => v - mean);
  let m2 = 0, m4 = 0;
  for (const v of z) { m2 += v * v; m4 += v ** 4; }
  if (m2 === 0) throw new RangeError("invalid values: all equal (Moran's I undefined)");
  // weight sums
  let S0 = 0;
  const rowSum = new Float64Array(n), colSum = new Float64Array(n);
  const wmap = new Map<number, number>();
  p.w.neighbours.forEach((nb, i) => nb.forEach((j, t) => {
    const v = p.w.weights[i]![t]!;
    S0 += v; rowSum[i] += v; colSum[j] += v;
    wmap.set(i * n + j, (wmap.get(i * n + j) ?? 0) + v);
  }));
  let S1 = 0;
  for (const [k, v] of wmap) {
    const i = Math.floor(k / n), j = k % n;
    const back = wmap.get(j * n + i) ?? 0;
    if (back === 0) S1 += 2 * v * v; // (w_ij + 0)^2 counted for ij and ji
    else if (i !== j) S1 += (v + back) ** 2; // each unordered pair met twice: (v+back)^2 twice, halved below
    else S1 += 4 * v * v;
  }
  S1 /= 2;
  let S2 = 0;
  for (let i = 0; i < n; i++) S2 += (rowSum[i]! + colSum[i]!) ** 2;

  const zl = lag(p.w, z, new Float64Array(n));
  let num = 0;
  for (let i = 0; i < n; i++) num += z[i]! * zl[i]!;
  const I = (n / S0) * (num / m2);
  const EI = -1 / (n - 1);
  const n2 = n * n, S02 = S0 * S0;
  const VI_norm = (n2 * S1 - n * S2 + 3 * S02) / ((n2 - 1) * S02) - EI * EI;
  const kurt = (n * m4) / (m2 * m2);
  const A = n * ((n2 - 3 * n + 3) * S1 - n * S2 + 3 * S02);
  const B = kurt * ((n2 - n) * S1 - 2 * n * S2 + 6 * S02);
  const VI_rand = (A - B) / ((n - 1) * (n - 2) * (n - 3) * S02) - EI * EI;
  const z_norm = (I - EI) / Math.sqrt(VI_norm);
  const z_rand = (I - EI) / Math.sqrt(VI_rand);
  const tails = options.twoTailed ?? true ? 2 : 1;
  const pOf = (zz: number) => Math.min(1, tails * (1 - normalCdf(Math.abs(zz))));

  let p_sim = NaN, EI_sim = NaN, seI_sim = NaN, z_sim = NaN;
  if (permutations > 0) {
    const rand = mulberry32(options.seed ?? 12345);
    const zs = Float64Array.from(z);
    const sims = new Float64Array(permutations);
    const buf = new Float64Array(n);
    for (let r = 0; r < permutations; r++) {
      shuffle(zs, rand);
      lag(p.w, zs, buf);
      let s = 0;
      for (let i = 0; i < n; i++) s += zs[i]! * buf[i]!;
      sims[r] = (n / S0) * (s / m2);
    }
    p_sim = pseudoP(I, sims);
    const [mu, sd] = meanSdOf(sims);
    EI_sim = mu;
    seI_sim = sd;
    z_sim = (I - mu) / sd;
  }
  return {
    I, EI, n, VI_norm, z_norm, p_norm: pOf(z_norm), VI_rand, z_rand, p_rand: pOf(z_rand),
    p_sim, EI_sim, seI_sim, z_sim, S0, S1, S2, excluded: p.excluded, keptIslands: p.keptIslands,
  };
}

/** Moran scatterplot quadrant of an area: value above/below the mean × lag above/below 0. */
export type Quadrant = "HH" | "LH" | "LL" | "HL";

/** Cluster label of a LISA: a quadrant when significant, otherwise why not. */
export type LisaCluster = Quadrant | "ns" | "island" | "missing";

/** Options of {@link localMoran}. */
export interface LocalMoranOptions {
  /** Weight transformation (as {@link MoranOptions.transform}). Default `"row"`. */
  transform?: "row" | "binary" | "none";
  /** Conditional permutations per area. Default 999. */
  permutations?: number;
  /** Seed. Default 12345. */
  seed?: number;
  /** Significance level for cluster labels (pseudo p ≤ alpha). Default 0.05. */
  alpha?: number;
  /** Islands excluded from the statistic (default) or kept with a zero lag; always labelled `"island"`. Default `"exclude"`. */
  islands?: IslandRule;
}

/** LISA of one area. */
export interface LocalMoranArea {
  id: string;
  /** Local I (esda scaling: (n − 1)·z_i·lag_i / Σz²; NaN for missing/excluded areas). */
  I: number;
  /** Standardised value z_i (population SD) and its spatial lag. */
  z: number;
  lag: number;
  /** Scatterplot quadrant (null for missing/excluded). */
  quadrant: Quadrant | null;
  /** Conditional-permutation pseudo p-value (folded one-sided, as esda `p_sim`); NaN when not computed. */
  pSim: number;
  /** z of I_i against its permutation distribution. */
  zSim: number;
  /** Quadrant when pSim ≤ alpha, `"ns"` otherwise; `"island"`/`"missing"` for areas left out. */
  cluster: LisaCluster;
}

/** Result of {@link localMoran}. */
export interface LocalMoranResult {
  /** One entry per area of the weights, in their order. */
  areas: LocalMoranArea[];
  /** Number of areas in the statistic. */
  n: number;
  /** Count per cluster label. */
  counts: Record<LisaCluster, number>;
  alpha: number;
}

const QUAD: Quadrant[] = ["HH", "LH", "LL", "HL"];

/**
 * Local Moran's I (LISA, Anselin 1995) per area with conditional-permutation pseudo p-values and
 * HH/LL/HL/LH cluster labels (esda.Moran_Local). For each area the values of all *other* areas are
 * permuted and as many as it has neighbours drawn as its lag (conditional randomisation).
 *
 * Quadrants follow esda's `q`: HH (z > 0, lag > 0), LH (z ≤ 0, lag > 0), LL (z ≤ 0, lag ≤ 0),
 * HL (z > 0, lag ≤ 0). Labels are not corrected for multiple testing: use a smaller `alpha`
 * (e.g. 0.01 or a Bonferroni/FDR level) when reading many areas at once.
 *
 * @example
 * const lisa = localMoran(shareS4, rowStandardise(w), { permutations: 999, seed: 7 });
 * lisa.areas.filter((a) => a.cluster === "HH").map((a) => a.id);
 * lisa.counts; // { HH: …, LL: …, HL: …, LH: …, ns: …, island: 0, missing: 0 }
 */
export function localMoran(values: ArrayLike<number | null | undefined>, w: SpatialWeights, options: LocalMoranOptions = {}): LocalMoranResult {
  const permutations = options.permutations ?? 999;
  if (!Number.isInteger(permutations) || permutations < 0) throw new RangeError(`invalid permutations: ${permutations} (expected an integer ≥ 0)`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha} (expected 0 < alpha < 1)`);
  const p = prepare(values, w, options.transform ?? "row", options.islands ?? "exclude");
  const n = p.y.length;
  if (n < 3) throw new RangeError(`invalid values: ${n} usable areas (need at least 3)`);
  const [mean, sd] = meanSdOf(p.y);
  if (sd === 0) throw new RangeError("invalid values: all equal (local Moran undefined)");
  const z = Float64Array.from(p.y, (v) => (v - mean) / sd);
  let den = 0;
  for (const v of z) den += v * v;
  const zl = lag(p.w, z, new Float64Array(n));
  const Is = Float64Array.from(z, (v, i) => ((n - 1) * v * zl[i]!) / den);

  const pSim = new Float64Array(n).fill(NaN);
  const zSim = new Float64Array(n).fill(NaN);
  if (permutations > 0) {
    const rand = mulberry32(options.seed ?? 12345);
    const others = new Int32Array(n - 1);
    const sims = new Float64Array(permutations);
    for (let i = 0; i < n; i++) {
      const nb = p.w.neighbours[i]!, wt = p.w.weights[i]!;
      const k = nb.length;
      if (!k) continue;
      for (let r = 0; r < permutations; r++) {
        // partial Fisher–Yates over the other n − 1 areas
        for (let t = 0, u = 0; t < n; t++) if (t !== i) others[u++] = t;
        let s = 0;
        for (let t = 0; t < k; t++) {
          const j = t + Math.floor(rand() * (n - 1 - t));
          const tmp = others[t]!; others[t] = others[j]!; others[j] = tmp;
          s += wt[t]! * z[others[t]!]!;
        }
        sims[r] = ((n - 1) * z[i]! * s) / den;
      }
      pSim[i] = pseudoP(Is[i]!, sims);
      const [mu, sdv] = meanSdOf(sims);
      zSim[i] = (Is[i]! - mu) / sdv;
    }
  }

  const used = new Map<number, number>();
  p.inputIndex.forEach((inp, i) => used.set(inp, i));
  const islandSet = new Set([...p.excluded.filter((e) => e.reason === "island").map((e) => e.id), ...p.keptIslands]);
  const counts: Record<LisaCluster, number> = { HH: 0, LH: 0, LL: 0, HL: 0, ns: 0, island: 0, missing: 0 };
  const areas: LocalMoranArea[] = w.ids.map((id, inp) => {
    const i = used.get(inp);
    let out: LocalMoranArea;
    if (i === undefined) {
      const cluster: LisaCluster = islandSet.has(id) ? "island" : "missing";
      out = { id, I: NaN, z: NaN, lag: NaN, quadrant: null, pSim: NaN, zSim: NaN, cluster };
    } else {
      const q = QUAD[z[i]! > 0 ? (zl[i]! > 0 ? 0 : 3) : zl[i]! > 0 ? 1 : 2]!;
      const isl = islandSet.has(id);
      const cluster: LisaCluster = isl ? "island" : pSim[i]! <= alpha ? q : "ns";
      out = { id, I: Is[i]!, z: z[i]!, lag: zl[i]!, quadrant: isl ? null : q, pSim: pSim[i]!, zSim: zSim[i]!, cluster };
    }
    counts[out.cluster]++;
    return out;
  });
  return { areas, n, counts, alpha };
}
