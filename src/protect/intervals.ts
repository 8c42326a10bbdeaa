/**
 * Confidence intervals for shares and rates on small bases, and the classification of an area
 * against the city value.
 *
 * Everything here is plain arithmetic on numbers (no dependencies): the normal quantile is
 * Wichura's AS 241 (PPND16, relative accuracy about 1e-16), the regularised incomplete beta and
 * gamma functions use the continued fractions and series of Numerical Recipes (Lentz's method),
 * and their inverses a Newton iteration safeguarded by bisection, so they never leave their
 * bracket. Reference values in `test/protect-intervals.test.ts` come from SciPy
 * (`scipy.stats.beta.ppf`, `chi2.ppf`) and were checked with mpmath at 30 digits; they agree with
 * R's `binom.test` and `poisson.test`.
 */

/** A confidence interval. `lo`/`hi` are `NaN` when the input does not allow one. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Options shared by the interval functions. */
export interface IntervalOptions {
  /** Confidence level, `0 < confidence < 1` (default 0.95). */
  confidence?: number;
}

function checkConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new Error(`invalid confidence: ${confidence} (expected a number between 0 and 1, e.g. 0.95)`);
  return confidence;
}

/**
 * Quantile of the standard normal distribution (Wichura 1988, algorithm AS 241, PPND16).
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -val : val;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Natural logarithm of the gamma function (Lanczos approximation, g = 7; relative error about
 * 1e-15 for `x > 0`).
 *
 * @example
 * logGamma(5); // Math.log(24)
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const TINY = 1e-300;

/** Continued fraction for the incomplete beta function (Numerical Recipes `betacf`, Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Regularised incomplete beta function `I_x(a, b)` (the beta distribution function), for
 * `a, b > 0`, `0 ≤ x ≤ 1`.
 *
 * @example
 * regularizedBeta(0.5, 2, 2); // 0.5
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Solves `F(x) = p` for an increasing distribution function on `[lo, hi]`: Newton steps with the
 * density, replaced by bisection whenever a step leaves the current bracket.
 */
function invertMonotone(p: number, F: (x: number) => number, density: (x: number) => number, lo: number, hi: number, start: number): number {
  let x = Math.min(Math.max(start, lo), hi);
  for (let it = 0; it < 300; it++) {
    const f = F(x) - p;
    if (f === 0) return x;
    if (f < 0) lo = x; else hi = x;
    const dens = density(x);
    let next = dens > 0 && Number.isFinite(dens) ? x - f / dens : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || hi - lo <= 1e-16 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/**
 * Inverse of the regularised incomplete beta function: the `p`-quantile of Beta(a, b).
 *
 * @example
 * inverseRegularizedBeta(0.025, 3, 98); // 0.0062299715… (lower Clopper-Pearson bound for 3 of 100)
 */
export function inverseRegularizedBeta(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lb = logBeta(a, b);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lb);
  // Start at the normal approximation of the beta quantile, clamped into (0, 1).
  const mean = a / (a + b), sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  const start = Math.min(1 - 1e-12, Math.max(1e-12, mean + normalQuantile(p) * sd));
  return invertMonotone(p, (x) => regularizedBeta(x, a, b), density, 0, 1, start);
}

/**
 * Regularised lower incomplete gamma function `P(a, x)` (the gamma distribution function with
 * shape `a` and scale 1): series for `x < a + 1`, continued fraction otherwise.
 *
 * @example
 * regularizedGammaP(1, 1); // 1 - Math.exp(-1)
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  const lg = logGamma(a);
  if (x < a + 1) {
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < 100000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - lg);
  }
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - lg) * h;
}

/**
 * Inverse of {@link regularizedGammaP} in `x`: the `p`-quantile of Gamma(a, 1).
 *
 * @example
 * inverseRegularizedGammaP(0.5, 1); // Math.log(2)
 */
export function inverseRegularizedGammaP(p: number, a: number): number {
  if (!(a > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  let hi = Math.max(1, a + 10 * Math.sqrt(a) + 10);
  while (regularizedGammaP(a, hi) < p) hi *= 2;
  const lg = logGamma(a);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) - x - lg);
  // Wilson–Hilferty start.
  const z = normalQuantile(p);
  const wh = a * (1 - 1 / (9 * a) + z / (3 * Math.sqrt(a))) ** 3;
  const start = wh > 0 && wh < hi ? wh : hi / 2;
  return invertMonotone(p, (x) => regularizedGammaP(a, x), density, 0, hi, start);
}

/**
 * Quantile of the chi-square distribution with `df` degrees of freedom
 * (`2 · inverseRegularizedGammaP(p, df / 2)`).
 *
 * @example
 * chiSquareQuantile(0.975, 1); // 5.023886…
 */
export function chiSquareQuantile(p: number, df: number): number {
  return 2 * inverseRegularizedGammaP(p, df / 2);
}

function checkCounts(x: number, n: number): boolean {
  return Number.isFinite(x) && Number.isFinite(n) && n > 0 && x >= 0 && x <= n;
}

/**
 * Wilson score interval for a share `x / n` (no continuity correction), as
 * `proportion_confint(x, n, method="wilson")` in statsmodels:
 *
 * `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`, `z = Φ⁻¹(1 − α/2)`.
 *
 * Returns NaNs for `n ≤ 0`, missing input or `x` outside `[0, n]`.
 *
 * @example
 * wilsonInterval(3, 100); // { lo: 0.0102545…, hi: 0.0845194… }
 */
export function wilsonInterval(x: number, n: number, options: IntervalOptions = {}): Interval {
  const confidence = checkConfidence(options.confidence ?? 0.95);
  if (!checkCounts(x, n)) return { lo: NaN, hi: NaN };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = x / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lo: x === 0 ? 0 : Math.max(0, centre - half), hi: x === n ? 1 : Math.min(1, centre + half) };
}

/**
 * Clopper-Pearson ("exact") interval for a share `x / n`, as R's `binom.test`:
 * `lo = B⁻¹(α/2; x, n − x + 1)` (0 for `x = 0`), `hi = B⁻¹(1 − α/2; x + 1, n − x)` (1 for `x = n`),
 * with `B⁻¹` the inverse regularised incomplete beta function.
 *
 * @example
 * clopperPearsonInterval(3, 100); // { lo: 0.0062300…, hi: 0.0851761… }
 */
export function clopperPearsonInterval(x: number, n: number, options: IntervalOptions = {}): Interval {
  const confidence = checkConfidence(options.confidence ?? 0.95);
  if (!checkCounts(x, n)) return { lo: NaN, hi: NaN };
  const alpha = 1 - confidence;
  return {
    lo: x === 0 ? 0 : inverseRegularizedBeta(alpha / 2, x, n - x + 1),
    hi: x === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, x + 1, n - x),
  };
}

/**
 * Exact Poisson interval for a count `x`, as R's `poisson.test`:
 * `lo = χ²(α/2; 2x) / 2` (0 for `x = 0`), `hi = χ²(1 − α/2; 2x + 2) / 2`.
 *
 * @example
 * poissonInterval(5); // { lo: 1.6234864…, hi: 11.6683321… }
 */
export function poissonInterval(x: number, options: IntervalOptions = {}): Interval {
  const confidence = checkConfidence(options.confidence ?? 0.95);
  if (!(Number.isFinite(x) && x >= 0)) return { lo: NaN, hi: NaN };
  const alpha = 1 - confidence;
  return {
    lo: x === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * x) / 2,
    hi: chiSquareQuantile(1 - alpha / 2, 2 * x + 2) / 2,
  };
}

/** How a share's interval is computed. */
export type ShareMethod = "wilson" | "clopper-pearson";

/** Options of {@link shareInterval} and {@link rateInterval}. */
export interface ScaledIntervalOptions extends IntervalOptions {
  /** Multiplier of the result, 100 for per cent (default 100). */
  factor?: number;
  /** Shares only: `"wilson"` (default) or `"clopper-pearson"`. */
  method?: ShareMethod;
}

/**
 * Interval of a share `x / n · factor` (a part of its base, e.g. children in SGB II households
 * per 100 children), Wilson by default.
 *
 * @example
 * shareInterval(3, 100); // { lo: 1.0254…, hi: 8.4519… } (per cent)
 */
export function shareInterval(x: number, n: number, options: ScaledIntervalOptions = {}): Interval {
  const f = options.factor ?? 100;
  const i = (options.method ?? "wilson") === "wilson" ? wilsonInterval(x, n, options) : clopperPearsonInterval(x, n, options);
  return { lo: i.lo * f, hi: i.hi * f };
}

/**
 * Interval of a rate `x / base · factor` whose numerator is not a part of the base (ratios such
 * as the youth ratio, or events per population): exact Poisson interval of `x`, divided by the
 * base, which is taken as fixed.
 *
 * @example
 * rateInterval(5, 1000, { factor: 1000 }); // { lo: 1.6235…, hi: 11.6683… } per 1,000
 */
export function rateInterval(x: number, base: number, options: ScaledIntervalOptions = {}): Interval {
  if (!(Number.isFinite(base) && base > 0)) return { lo: NaN, hi: NaN };
  const f = options.factor ?? 100;
  const i = poissonInterval(x, options);
  return { lo: (i.lo / base) * f, hi: (i.hi / base) * f };
}

/** Result of comparing an area's interval with the city value. */
export enum Significance {
  /** No interval (missing, suppressed, or not a share/ratio). */
  None = 0,
  /** The whole interval lies above the city value. */
  Above = 1,
  /** The whole interval lies below the city value. */
  Below = 2,
  /** The interval contains the city value. */
  NotDifferent = 3,
}

/** German texts per {@link Significance}. */
export const SIGNIFICANCE_TEXT: Record<Significance, string> = {
  [Significance.None]: "",
  [Significance.Above]: "signifikant über dem Stadtwert",
  [Significance.Below]: "signifikant unter dem Stadtwert",
  [Significance.NotDifferent]: "nicht signifikant verschieden",
};

/**
 * Classifies an area against a reference (city) value: significantly above when the interval's
 * lower bound exceeds the reference, below when its upper bound is under it, otherwise not
 * significantly different. The city value is treated as known without error (it rests on far
 * more cases), which is the usual practice of small-area reports; the area's own cases are part
 * of the city value, which makes the test slightly conservative.
 *
 * @example
 * compareWithReference({ lo: 22.1, hi: 35.9 }, 20.4); // Significance.Above
 */
export function compareWithReference(interval: Interval, reference: number): Significance {
  if (!Number.isFinite(interval.lo) || !Number.isFinite(interval.hi) || !Number.isFinite(reference)) return Significance.None;
  if (interval.lo > reference) return Significance.Above;
  if (interval.hi < reference) return Significance.Below;
  return Significance.NotDifferent;
}
