/**
 * Map classification (choropleth class breaks) after PySAL's mapclassify: one classifier per
 * scheme, each returning `bins` (upper bounds; the last is the maximum unless manual/standard
 * deviation breaks lie above it), `counts` per class and `classOf(value)`; a dispatcher
 * {@link classify} that rejects unknown schemes by name; and {@link classifyPooled} for one set of
 * breaks across several years.
 *
 * Missing-data rule: every non-finite value (`NaN`, `±Infinity`, `null`/`undefined` read as
 * numbers) is never classed; it is counted in `missing` and gets class `null`.
 *
 * Boundary rule: by default a value equal to a bin belongs to the class that bin closes
 * (`closed: "right"`, mapclassify's `x <= bin`). With `closed: "left"` a value equal to a break
 * opens the next class (German "von … bis unter …").
 */

/** Scheme names understood by {@link classify}. */
export type Scheme = "quantiles" | "equal_interval" | "std_mean" | "fisher_jenks" | "manual";

/** All scheme names, in the order they are documented. */
export const SCHEMES: readonly Scheme[] = ["quantiles", "equal_interval", "std_mean", "fisher_jenks", "manual"];

/** Which side of a class interval is closed. */
export type Closed = "right" | "left";

/** Result of a classifier. */
export interface Classification {
  /** Scheme that made the breaks. */
  scheme: Scheme;
  /** Number of classes (`bins.length`). */
  k: number;
  /** Upper bound of each class, ascending. Class 0 also takes everything below `bins[0]`, the last class everything above its bound. */
  bins: number[];
  /** Number of classed values per class. */
  counts: number[];
  /** Number of values not classed (non-finite). */
  missing: number;
  /** Class of each input value, in input order; `null` for missing values. */
  classes: (number | null)[];
  /** Boundary rule used by `classOf`. */
  closed: Closed;
  /** Class index (0-based) of any value under these breaks; `null` for a non-finite value. */
  classOf(value: number | null | undefined): number | null;
}

/** Options shared by all classifiers. */
export interface ClassifyBaseOptions {
  /** Which side of each interval is closed. Default `"right"` (a value equal to a bin is in that bin's class, as in mapclassify). */
  closed?: Closed;
}

/** Options of {@link classify}. */
export interface ClassifyOptions extends ClassifyBaseOptions {
  /** Scheme. Default `"quantiles"`. mapclassify class names (`"Quantiles"`, `"EqualInterval"`, `"StdMean"`, `"FisherJenks"`, `"UserDefined"`) are accepted too. */
  scheme?: Scheme | string;
  /** Number of classes for quantiles, equal interval and Fisher-Jenks. Default 5. */
  k?: number;
  /** Upper bounds for `"manual"` (required there, ignored elsewhere). */
  breaks?: number[];
  /** Multiples of the standard deviation for `"std_mean"`. Default `[-2, -1, 1, 2]`. */
  multiples?: number[];
}

/** Finite values of the input, as a new array. */
function finiteValues(values: ArrayLike<number | null | undefined>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) out.push(v);
  }
  return out;
}

function checkK(k: number, name = "k"): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid ${name}: ${k} (expected an integer ≥ 1)`);
}

function uniqueCount(sorted: number[]): number {
  let u = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) u++;
  return u;
}

/** Class of `v` under `bins` (binary search). */
function binOf(v: number, bins: number[], closed: Closed): number {
  let lo = 0;
  let hi = bins.length - 1;
  // first index with v <= bins[i] (right-closed) or v < bins[i] (left-closed)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const inside = closed === "right" ? v <= bins[mid]! : v < bins[mid]!;
    if (inside) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Builds a {@link Classification} from given upper bounds: classes, counts and `classOf`.
 * Used by every scheme; exported for callers that already have breaks.
 *
 * @param values values to class (non-finite ones count as missing)
 * @param bins ascending upper bounds (at least one)
 * @param scheme scheme name to record
 * @example
 * const c = fromBins([1, 2, 3, 4, NaN], [2, 4], "manual");
 * c.counts;      // [2, 2]
 * c.missing;     // 1
 * c.classOf(3);  // 1
 */
export function fromBins(values: ArrayLike<number | null | undefined>, bins: number[], scheme: Scheme, options: ClassifyBaseOptions = {}): Classification {
  const closed = options.closed ?? "right";
  if (closed !== "right" && closed !== "left") throw new RangeError(`invalid closed: ${JSON.stringify(closed)} (expected "right" or "left")`);
  if (!bins.length) throw new RangeError("invalid bins: [] (expected at least one upper bound)");
  for (let i = 0; i < bins.length; i++) {
    if (!Number.isFinite(bins[i]!)) throw new RangeError(`invalid bins: ${JSON.stringify(bins)} (not finite)`);
    if (i > 0 && !(bins[i]! > bins[i - 1]!)) throw new RangeError(`invalid bins: ${JSON.stringify(bins)} (not strictly ascending)`);
  }
  const b = bins.slice();
  const counts = new Array<number>(b.length).fill(0);
  const classes: (number | null)[] = new Array(values.length);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "number" && Number.isFinite(v)) {
      const c = binOf(v, b, closed);
      counts[c]!++;
      classes[i] = c;
    } else {
      classes[i] = null;
      missing++;
    }
  }
  return {
    scheme, k: b.length, bins: b, counts, missing, classes, closed,
    classOf: (v) => (typeof v === "number" && Number.isFinite(v) ? binOf(v, b, closed) : null),
  };
}

/** Linear-interpolation percentile (numpy default, R type 7) of sorted values. */
function percentileSorted(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function emptyError(scheme: string): RangeError {
  return new RangeError(`invalid values: no finite value to classify with ${scheme}`);
}

/** Options of {@link quantiles}. */
export interface QuantilesOptions extends ClassifyBaseOptions {
  /** Number of classes. Default 5. */
  k?: number;
}

/**
 * Quantile classes as mapclassify.Quantiles: bins are the percentiles at 100·i/k (linear
 * interpolation, numpy's default), duplicates dropped, so ties can give fewer than `k` classes.
 *
 * @example
 * quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { k: 2 }).bins; // [5.5, 10]
 */
export function quantiles(values: ArrayLike<number | null | undefined>, options: QuantilesOptions = {}): Classification {
  const k = options.k ?? 5;
  checkK(k);
  const v = finiteValues(values).sort((a, b) => a - b);
  if (!v.length) throw emptyError("quantiles");
  const bins: number[] = [];
  for (let i = 1; i <= k; i++) {
    const q = i === k ? v[v.length - 1]! : percentileSorted(v, i / k);
    if (!bins.length || q > bins[bins.length - 1]!) bins.push(q);
  }
  return fromBins(values, bins, "quantiles", options);
}

/** Options of {@link equalInterval}. */
export interface EqualIntervalOptions extends ClassifyBaseOptions {
  /** Number of classes. Default 5. */
  k?: number;
}

/**
 * Equal-interval classes as mapclassify.EqualInterval: `k` classes of width (max − min)/k; the
 * last bin is the maximum. Throws when there are fewer distinct values than classes.
 *
 * @example
 * equalInterval([0, 1, 2, 3, 10], { k: 2 }).bins; // [5, 10]
 */
export function equalInterval(values: ArrayLike<number | null | undefined>, options: EqualIntervalOptions = {}): Classification {
  const k = options.k ?? 5;
  checkK(k);
  const v = finiteValues(values).sort((a, b) => a - b);
  if (!v.length) throw emptyError("equal_interval");
  if (uniqueCount(v) < k) throw new RangeError(`invalid k: ${k} (only ${uniqueCount(v)} distinct values)`);
  const min = v[0]!;
  const max = v[v.length - 1]!;
  const width = (max - min) / k;
  const bins = Array.from({ length: k }, (_, i) => (i === k - 1 ? max : min + width * (i + 1)));
  return fromBins(values, bins, "equal_interval", options);
}

/** Options of {@link stdMean}. */
export interface StdMeanOptions extends ClassifyBaseOptions {
  /** Multiples of the standard deviation that close classes. Default `[-2, -1, 1, 2]`. */
  multiples?: number[];
  /** Standard deviation of a sample (divide by n − 1, as mapclassify.StdMean) or of the population (divide by n). Default `"sample"`. */
  sd?: "population" | "sample";
}

/**
 * Standard-deviation classes as mapclassify.StdMean: bins at mean + m·SD for each multiple m, and
 * the maximum appended when it lies above the last of them. The SD is the sample SD (n − 1) by
 * default, as mapclassify (`y.std(ddof=1)`); the MSS method uses the population SD instead
 * (`sd: "population"`, see `mssIndex`).
 *
 * @example
 * stdMean([1, 2, 3, 4, 5], { multiples: [-1, 1] }).bins; // [1.418…, 4.581…, 5]
 */
export function stdMean(values: ArrayLike<number | null | undefined>, options: StdMeanOptions = {}): Classification {
  const multiples = options.multiples ?? [-2, -1, 1, 2];
  if (!multiples.length) throw new RangeError("invalid multiples: [] (expected at least one)");
  const v = finiteValues(values);
  if (!v.length) throw emptyError("std_mean");
  const { mean, sd } = meanSd(v, options.sd ?? "sample");
  const bins = multiples.map((m) => mean + m * sd);
  const max = Math.max(...v);
  if (max > bins[bins.length - 1]!) bins.push(max);
  return fromBins(values, bins, "std_mean", options);
}

/**
 * Mean and standard deviation of finite numbers (population: divide by n; sample: by n − 1).
 *
 * @example
 * meanSd([1, 2, 3, 4]); // { mean: 2.5, sd: 1.118… }
 */
export function meanSd(values: ArrayLike<number>, sd: "population" | "sample" = "population"): { mean: number; sd: number; n: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) { s += values[i]!; n++; }
  const mean = n ? s / n : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) ss += (values[i]! - mean) ** 2;
  const d = sd === "sample" ? n - 1 : n;
  return { mean, sd: d > 0 ? Math.sqrt(ss / d) : NaN, n };
}

/** Options of {@link fisherJenks}. */
export interface FisherJenksOptions extends ClassifyBaseOptions {
  /** Number of classes. Default 5. */
  k?: number;
}

/**
 * Fisher-Jenks natural breaks, exact (dynamic programming over the sorted values, minimising the
 * within-class sum of squared deviations), as mapclassify.FisherJenks. Each bin is the largest
 * value of its class. O(k·n²) time: fine for a few thousand areas. Throws when there are fewer
 * distinct values than classes.
 *
 * mapclassify runs the same recursion in float32; this runs in float64, which can only matter
 * where two partitions have (nearly) equal cost.
 *
 * @example
 * fisherJenks([1, 2, 3, 10, 11, 12, 30], { k: 3 }).bins; // [3, 12, 30]
 */
export function fisherJenks(values: ArrayLike<number | null | undefined>, options: FisherJenksOptions = {}): Classification {
  const k = options.k ?? 5;
  checkK(k);
  const x = finiteValues(values).sort((a, b) => a - b);
  if (!x.length) throw emptyError("fisher_jenks");
  if (uniqueCount(x) < k) throw new RangeError(`invalid k: ${k} (only ${uniqueCount(x)} distinct values)`);
  const n = x.length;
  // lower[l*(k+1)+j]: 1-based index of the first value of the last class when the first l values form j classes
  const lower = new Int32Array((n + 1) * (k + 1));
  const cost = new Float64Array((n + 1) * (k + 1)).fill(Infinity);
  for (let j = 1; j <= k; j++) { lower[1 * (k + 1) + j] = 1; cost[1 * (k + 1) + j] = 0; }
  for (let j = 0; j <= k; j++) cost[0 * (k + 1) + j] = 0;
  for (let l = 2; l <= n; l++) {
    let s1 = 0, s2 = 0, w = 0, v = 0;
    const row = l * (k + 1);
    for (let m = 1; m <= l; m++) {
      const i3 = l - m + 1; // first value (1-based) of the candidate last class
      const val = x[i3 - 1]!;
      s1 += val; s2 += val * val; w += 1;
      v = s2 - (s1 * s1) / w;
      const i4 = i3 - 1;
      if (i4 !== 0) {
        const prev = i4 * (k + 1);
        for (let j = 2; j <= k; j++) {
          const c = v + cost[prev + j - 1]!;
          if (cost[row + j]! >= c) { lower[row + j] = i3; cost[row + j] = c; }
        }
      }
    }
    lower[row + 1] = 1;
    cost[row + 1] = v;
  }
  const bins = new Array<number>(k);
  bins[k - 1] = x[n - 1]!;
  let last = n;
  for (let j = k; j >= 2; j--) {
    const pivot = lower[last * (k + 1) + j]!;
    bins[j - 2] = x[pivot - 2]!;
    last = pivot - 1;
  }
  return fromBins(values, bins, "fisher_jenks", options);
}

/** Options of {@link manual}. */
export interface ManualOptions extends ClassifyBaseOptions {
  /** Append the maximum as a last bin when it lies above the last break (mapclassify.UserDefined). Default `true`. */
  appendMax?: boolean;
}

/**
 * Manual (user-defined) breaks as mapclassify.UserDefined: the breaks are upper bounds; the
 * maximum is appended when it lies above the last break (unless `appendMax: false`, then the last
 * class is open upwards).
 *
 * @example
 * manual([5, 15, 25, 35], [10, 20]).counts; // [1, 1, 2]  (bins [10, 20, 35])
 */
export function manual(values: ArrayLike<number | null | undefined>, breaks: number[], options: ManualOptions = {}): Classification {
  if (!Array.isArray(breaks) || !breaks.length) throw new RangeError(`invalid breaks: ${JSON.stringify(breaks)} (expected at least one number)`);
  const bins = breaks.slice();
  if (options.appendMax ?? true) {
    const v = finiteValues(values);
    const max = v.length ? Math.max(...v) : -Infinity;
    if (max > bins[bins.length - 1]!) bins.push(max);
  }
  return fromBins(values, bins, "manual", options);
}

const ALIASES: Record<string, Scheme> = {
  quantiles: "quantiles", quantile: "quantiles",
  equalinterval: "equal_interval",
  stdmean: "std_mean", standarddeviation: "std_mean",
  fisherjenks: "fisher_jenks", naturalbreaks: "fisher_jenks", jenks: "fisher_jenks",
  manual: "manual", userdefined: "manual",
};

/**
 * Resolves a scheme name (canonical or a mapclassify class name, case- and `_`/space-insensitive);
 * throws `invalid scheme: …` naming the known schemes otherwise.
 *
 * @example
 * resolveScheme("FisherJenks"); // "fisher_jenks"
 * resolveScheme("headtail");    // throws RangeError: invalid scheme: "headtail" …
 */
export function resolveScheme(name: string): Scheme {
  const key = String(name).toLowerCase().replace(/[\s_-]/g, "");
  const s = ALIASES[key];
  if (!s) throw new RangeError(`invalid scheme: ${JSON.stringify(name)} (expected one of ${SCHEMES.map((x) => JSON.stringify(x)).join(", ")})`);
  return s;
}

/**
 * Classifies values with the named scheme. Unknown schemes are rejected by name.
 *
 * @param values values (non-finite ones are missing: never classed, counted in `missing`)
 * @param options `scheme` (default `"quantiles"`), `k` (default 5), `breaks` (manual), `multiples` (std_mean), `closed`
 * @example
 * const c = classify(rates, { scheme: "fisher_jenks", k: 5 });
 * c.bins;          // upper bounds
 * c.counts;        // areas per class
 * c.classOf(12.5); // class of a value
 */
export function classify(values: ArrayLike<number | null | undefined>, options: ClassifyOptions = {}): Classification {
  const scheme = resolveScheme(options.scheme ?? "quantiles");
  const base: ClassifyBaseOptions = { closed: options.closed };
  switch (scheme) {
    case "quantiles": return quantiles(values, { ...base, k: options.k });
    case "equal_interval": return equalInterval(values, { ...base, k: options.k });
    case "std_mean": return stdMean(values, { ...base, multiples: options.multiples });
    case "fisher_jenks": return fisherJenks(values, { ...base, k: options.k });
    case "manual":
      if (!options.breaks) throw new RangeError('invalid breaks: undefined (scheme "manual" needs breaks)');
      return manual(values, options.breaks, base);
  }
}

/** Result of {@link classifyPooled}. */
export interface PooledClassification {
  /** Classification of all years' values together (the breaks every year uses). */
  pooled: Classification;
  /** Per year: the same bins applied to that year's values (counts and classes of that year). */
  byYear: Map<string, Classification>;
}

/**
 * Pooled classes (mapclassify.Pooled): one set of breaks computed from the values of all years
 * together, then applied to each year, so that maps of different years are comparable. Each
 * year's values may be of different length; missing values are counted per year.
 *
 * @param valuesByYear values per year (a Map or a plain object keyed by year)
 * @param options as {@link classify}
 * @example
 * const p = classifyPooled({ 2020: rates2020, 2024: rates2024 }, { scheme: "quantiles", k: 5 });
 * p.pooled.bins;                // one set of breaks
 * p.byYear.get("2024")!.counts; // areas per class in 2024
 */
export function classifyPooled(
  valuesByYear: Map<string | number, ArrayLike<number | null | undefined>> | Record<string, ArrayLike<number | null | undefined>>,
  options: ClassifyOptions = {},
): PooledClassification {
  const entries: [string, ArrayLike<number | null | undefined>][] = valuesByYear instanceof Map
    ? [...valuesByYear].map(([y, v]) => [String(y), v])
    : Object.entries(valuesByYear);
  if (!entries.length) throw new RangeError("invalid valuesByYear: no year given");
  const all: (number | null | undefined)[] = [];
  for (const [, v] of entries) for (let i = 0; i < v.length; i++) all.push(v[i]);
  const pooled = classify(all, options);
  const byYear = new Map<string, Classification>();
  for (const [y, v] of entries) byYear.set(y, fromBins(v, pooled.bins, pooled.scheme, { closed: pooled.closed }));
  return { pooled, byYear };
}
