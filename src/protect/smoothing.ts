/**
 * Empirical-Bayes smoothing of rates for maps, as GeoDa defines it ("Empirical Bayes" and
 * "Spatial Empirical Bayes" rate smoothers; GeoDa source `GdaAlgs::RateSmoother_EBS` /
 * `RateSmoother_SEBS`, after Marshall 1991, "Mapping disease and mortality rates using
 * empirical Bayes estimators").
 *
 * With events `Oᵢ`, base (population at risk) `Pᵢ` and raw rate `rᵢ = Oᵢ / Pᵢ`:
 *
 * - **Global** (Marshall's method of moments): prior mean `β = ΣO / ΣP`; prior variance
 *   `α = Σ Pᵢ (rᵢ − β)² / ΣP − β / P̄` with `P̄ = ΣP / n`, set to 0 when negative; weight
 *   `wᵢ = α / (α + β / Pᵢ)`; smoothed rate `wᵢ · rᵢ + (1 − wᵢ) · β`.
 * - **Spatial (local)**: the same with `β`, `α` and `P̄` computed over the neighbourhood of `i`
 *   *including `i` itself* (`P̄ᵢ = Σ_{N(i)} P / |N(i)|`). Areas without neighbours have no value
 *   (GeoDa: undefined).
 *
 * Smoothed rates are for maps only: they borrow strength from other areas, so they are not
 * the area's own value and never go into tables as such. Areas with a missing or non-positive
 * base (GeoDa refuses them) get `NaN` and are left out of all neighbourhoods and sums.
 */

import type { IndicatorResult } from "../indicators/compute";

/** Options of the smoothers. */
export interface SmoothingOptions {
  /** Multiplier of the result, e.g. 100 for per cent (default 1, a proportion like GeoDa). */
  factor?: number;
}

/** Result of a smoother: the smoothed rates and what was estimated. */
export interface SmoothingResult {
  /** Smoothed rate per area (× factor); NaN where undefined. */
  rate: Float64Array;
  /** Raw rate per area (× factor). */
  raw: Float64Array;
  /** Weight of the area's own rate, `wᵢ` (0 = fully shrunk to the prior mean). */
  weight: Float64Array;
  /** Prior mean per area (global: the same everywhere), × factor. */
  priorMean: Float64Array;
  /** Prior variance per area (of the unscaled rate). */
  priorVariance: Float64Array;
}

function valid(events: ArrayLike<number>, base: ArrayLike<number>, i: number): boolean {
  return Number.isFinite(events[i]!) && Number.isFinite(base[i]!) && base[i]! > 0;
}

function checkLengths(events: ArrayLike<number>, base: ArrayLike<number>): number {
  if (events.length !== base.length) throw new Error(`invalid base: length ${base.length} (expected ${events.length}, one per area like the events)`);
  return events.length;
}

/** Marshall's estimate over a set of areas; returns [β, α, P̄]. */
function moments(events: ArrayLike<number>, base: ArrayLike<number>, members: readonly number[]): [number, number] {
  let sp = 0, se = 0;
  for (const j of members) { sp += base[j]!; se += events[j]!; }
  const beta = sp > 0 ? se / sp : 1;
  const pbar = sp / members.length;
  let q = 0;
  for (const j of members) { const r = events[j]! / base[j]!; q += base[j]! * (r - beta) * (r - beta); }
  let alpha = q / sp - beta / pbar;
  if (alpha < 0) alpha = 0;
  return [beta, alpha];
}

function shrink(events: ArrayLike<number>, base: ArrayLike<number>, i: number, beta: number, alpha: number, f: number, out: SmoothingResult): void {
  const r = events[i]! / base[i]!;
  const q = alpha + beta / base[i]!;
  const w = q > 0 ? alpha / q : 1;
  out.weight[i] = w;
  out.rate[i] = (w * r + (1 - w) * beta) * f;
  out.priorMean[i] = beta * f;
  out.priorVariance[i] = alpha;
}

function emptyResult(n: number, events: ArrayLike<number>, base: ArrayLike<number>, f: number): SmoothingResult {
  const raw = Float64Array.from({ length: n }, (_, i) => (valid(events, base, i) ? (events[i]! / base[i]!) * f : NaN));
  const nan = () => new Float64Array(n).fill(NaN);
  return { rate: nan(), raw, weight: nan(), priorMean: nan(), priorVariance: nan() };
}

/**
 * Global empirical-Bayes smoothing (GeoDa "Empirical Bayes"): every rate is shrunk towards the
 * overall rate, the more the smaller its base.
 *
 * @example
 * const s = empiricalBayes([2, 10, 30], [20, 100, 200], { factor: 100 });
 * s.rate; // smoothed per-cent values, the first pulled most towards 42/320
 */
export function empiricalBayes(events: ArrayLike<number>, base: ArrayLike<number>, options: SmoothingOptions = {}): SmoothingResult {
  const n = checkLengths(events, base);
  const f = options.factor ?? 1;
  const out = emptyResult(n, events, base, f);
  const members = Array.from({ length: n }, (_, i) => i).filter((i) => valid(events, base, i));
  if (!members.length) return out;
  const [beta, alpha] = moments(events, base, members);
  for (const i of members) shrink(events, base, i, beta, alpha, f, out);
  return out;
}

/**
 * Spatial (local) empirical-Bayes smoothing (GeoDa "Spatial Empirical Bayes"): the prior of
 * each area is estimated from its neighbourhood, the area itself included.
 *
 * @param neighbourLists for each area, the indices of its neighbours (without itself), e.g. queen
 *   contiguity; symmetric lists are usual but not required. A weights object with a
 *   `neighbours` member (as from `contiguityWeights`) is accepted too.
 * @example
 * // three areas in a row: 0–1–2
 * spatialEmpiricalBayes([2, 10, 30], [20, 100, 200], [[1], [0, 2], [1]]).rate;
 */
export function spatialEmpiricalBayes(
  events: ArrayLike<number>,
  base: ArrayLike<number>,
  neighbourLists: ReadonlyArray<readonly number[]> | { neighbours: ReadonlyArray<readonly number[]> },
  options: SmoothingOptions = {},
): SmoothingResult {
  const n = checkLengths(events, base);
  const neighbours: ReadonlyArray<readonly number[]> = "neighbours" in neighbourLists ? neighbourLists.neighbours : neighbourLists;
  if (neighbours.length !== n) throw new Error(`invalid neighbours: ${neighbours.length} lists (expected ${n}, one per area)`);
  const f = options.factor ?? 1;
  const out = emptyResult(n, events, base, f);
  for (let i = 0; i < n; i++) {
    if (!valid(events, base, i)) continue;
    const nb = neighbours[i]!;
    for (const j of nb) if (!Number.isInteger(j) || j < 0 || j >= n) throw new Error(`invalid neighbour of area ${i}: ${j} (expected an index between 0 and ${n - 1})`);
    const members = [i, ...new Set(nb.filter((j) => j !== i && valid(events, base, j)))];
    if (members.length < 2) continue; // no (valid) neighbours: undefined, as in GeoDa
    const [beta, alpha] = moments(events, base, members);
    shrink(events, base, i, beta, alpha, f, out);
  }
  return out;
}

/** Options of {@link smoothIndicator}. */
export interface SmoothIndicatorOptions {
  /** Year (default: the last year of the result). */
  year?: number;
  /** Neighbours per area of the result (then spatial EB; default: global EB). */
  neighbours?: ReadonlyArray<readonly number[]> | { neighbours: ReadonlyArray<readonly number[]> };
  /** Per-cell suppression flags of the result (`ProtectedIndicators.suppressed`): those areas get NaN (default none). */
  suppressed?: ArrayLike<number>;
}

/**
 * Empirical-Bayes smoothed values of one share/ratio indicator in one year, per area of the
 * result, in the indicator's unit (× its factor) — for maps. Areas whose value is suppressed get
 * `NaN`, since a smoothed value together with its weight and prior would give the raw value back.
 *
 * @example
 * const eb = smoothIndicator(result, "child_poverty", { neighbours: weights, suppressed: p.suppressed });
 * eb.rate; // per area, per cent
 */
export function smoothIndicator(result: IndicatorResult, indicator: string, options: SmoothIndicatorOptions = {}): SmoothingResult {
  const i = result.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${result.definitions.map((d) => d.id).join(", ")})`);
  const def = result.definitions[i]!;
  if (def.kind !== "share" && def.kind !== "ratio") throw new Error(`invalid indicator for smoothing: ${indicator} is a ${def.kind} (expected a share or ratio)`);
  const year = options.year ?? result.years[result.years.length - 1]!;
  const y = result.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${result.years.join(", ")})`);
  const A = result.areas.length, Y = result.years.length;
  const k = (a: number) => (i * A + a) * Y + y;
  const events = Float64Array.from({ length: A }, (_, a) => result.numerator[k(a)]!);
  const base = Float64Array.from({ length: A }, (_, a) => result.denominator[k(a)]!);
  const out = options.neighbours ? spatialEmpiricalBayes(events, base, options.neighbours, { factor: def.factor }) : empiricalBayes(events, base, { factor: def.factor });
  if (options.suppressed) {
    for (let a = 0; a < A; a++) {
      if (options.suppressed[k(a)]) { out.rate[a] = NaN; out.raw[a] = NaN; out.weight[a] = NaN; }
    }
  }
  return out;
}
