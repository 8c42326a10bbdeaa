/**
 * Composite index of Berlin's "Monitoring Soziale Stadtentwicklung" (MSS 2021 method): status
 * index from S1, S3, S4, dynamics index from D1, D3, D4, their classes and the 12 status ×
 * dynamics groups. See DOMAIN.md ("Composite index").
 */

/** Status indicators: S1 unemployed under SGB II (%), S3 transfer recipients SGB II/XII (%), S4 children < 15 in SGB II households (%). */
export const MSS_STATUS = ["S1", "S3", "S4"] as const;
/** Dynamics indicators: D1, D3, D4 = change of S1, S3, S4 in percentage points over two years. */
export const MSS_DYNAMICS = ["D1", "D3", "D4"] as const;
/** One of the six index indicators. */
export type MssIndicator = (typeof MSS_STATUS)[number] | (typeof MSS_DYNAMICS)[number];

/** Status classes (low values of the indicators = high social status). */
export type MssStatusClass = "hoch" | "mittel" | "niedrig" | "sehr niedrig";
/** Dynamics classes (falling shares = positive dynamics). */
export type MssDynamicsClass = "positiv" | "stabil" | "negativ";

/** Input row: one area. Indicator values of invalid areas are ignored (may be NaN). */
export interface MssArea {
  id: string;
  /** Whether the area counts (MSS: ≥ 300 residents and not flagged as outlier). */
  valid: boolean;
  S1: number; S3: number; S4: number;
  D1: number; D3: number; D4: number;
}

/** Options of {@link mssIndex}. */
export interface MssOptions {
  /** Standard deviation over valid areas: population (÷ n, the MSS method) or sample (÷ n − 1). Default `"population"`. */
  sd?: "population" | "sample";
  /** z thresholds of the status classes hoch | mittel | niedrig | sehr niedrig. Default `[-1, 1, 1.5]`. */
  statusBreaks?: [number, number, number];
  /** z thresholds of the dynamics classes positiv | stabil | negativ. Default `[-1, 1]`. */
  dynamicsBreaks?: [number, number];
}

/** Result for one area. */
export interface MssAreaResult {
  id: string;
  valid: boolean;
  /** z-value of each indicator (NaN for invalid areas). */
  z: Record<MssIndicator, number>;
  /**
   * Class code of each indicator on its own, as the published `<indicator>_SD_GR` columns:
   * status indicators 1 (z < −1) … 4 (z > 1.5), dynamics indicators 1 (z < −1), 2, 3 (z > 1);
   * null for invalid areas.
   */
  indicatorClass: Record<MssIndicator, number | null>;
  /** zS1 + zS3 + zS4, and that sum standardised again over valid areas (the status index). */
  statusSum: number;
  statusIndex: number;
  /** Status class and its published code SI_N (1 hoch, 2 mittel, 3 niedrig, 4 sehr niedrig). */
  statusClass: MssStatusClass | null;
  statusCode: number | null;
  /** zD1 + zD3 + zD4, and that sum standardised again (the dynamics index). */
  dynamicsSum: number;
  dynamicsIndex: number;
  /** Dynamics class and its published code DI_N (1 positiv, 3 stabil, 5 negativ). */
  dynamicsClass: MssDynamicsClass | null;
  dynamicsCode: number | null;
  /** Status × dynamics group code as published SDI_N (10·SI_N + DI_N, e.g. 23), and its label. */
  groupCode: number | null;
  groupLabel: string | null;
}

/** Result of {@link mssIndex}. */
export interface MssResult {
  areas: MssAreaResult[];
  /** Number of valid areas (those the means and SDs are taken over). */
  nValid: number;
  /** Mean and SD of each indicator and of the two sums, over valid areas. */
  moments: Record<MssIndicator | "statusSum" | "dynamicsSum", { mean: number; sd: number }>;
  /** Valid areas per status class, dynamics class and group code. */
  counts: { status: Record<MssStatusClass, number>; dynamics: Record<MssDynamicsClass, number>; groups: Record<number, number> };
}

const STATUS_CLASSES: MssStatusClass[] = ["hoch", "mittel", "niedrig", "sehr niedrig"];
const DYN_CLASSES: MssDynamicsClass[] = ["positiv", "stabil", "negativ"];

/**
 * Status class index (0-based) of a z-value: hoch z < b0; mittel b0 ≤ z ≤ b1; niedrig b1 < z ≤ b2;
 * sehr niedrig z > b2. The method text says "< −1", "−1 bis +1", "+1 bis +1.5", "> +1.5"; which
 * class takes a value exactly at +1 or +1.5 is not stated (no published value lies there).
 */
function statusIdx(z: number, b: readonly number[]): number {
  return z < b[0]! ? 0 : z <= b[1]! ? 1 : z <= b[2]! ? 2 : 3;
}
function dynIdx(z: number, b: readonly number[]): number {
  return z < b[0]! ? 0 : z <= b[1]! ? 1 : 2;
}

function moments(x: number[], sd: "population" | "sample"): { mean: number; sd: number } {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const ss = x.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (sd === "sample" ? n - 1 : n)) };
}

/**
 * MSS 2021 composite index. Over the valid areas only: each indicator is z-standardised
 * (z = (x − mean)/SD, population SD); status sum = zS1 + zS3 + zS4, standardised again = status
 * index; likewise the dynamics index from D1, D3, D4. Classes: status hoch < −1, mittel −1…+1,
 * niedrig +1…+1.5, sehr niedrig > +1.5; dynamics positiv < −1, stabil −1…+1, negativ > +1;
 * status × dynamics gives 12 groups (codes as the published SDI_N, e.g. 23 = "Status mittel,
 * Dynamik stabil"). Invalid areas get no z-values and no classes. Throws when a valid area has a
 * non-finite indicator or fewer than two areas are valid.
 *
 * @param areas one row per area
 * @param options `sd` (default `"population"`), `statusBreaks` (default `[-1, 1, 1.5]`), `dynamicsBreaks` (default `[-1, 1]`)
 * @example
 * const r = mssIndex([
 *   { id: "01100101", valid: true, S1: 4.2, S3: 8.0, S4: 19.4, D1: 1.46, D3: 0.39, D4: 3.96 },
 *   // … all PLR
 * ]);
 * r.areas[0].statusClass;  // "mittel"
 * r.areas[0].groupCode;    // 25  ("Status mittel, Dynamik negativ")
 */
export function mssIndex(areas: readonly MssArea[], options: MssOptions = {}): MssResult {
  const sdKind = options.sd ?? "population";
  if (sdKind !== "population" && sdKind !== "sample") throw new RangeError(`invalid sd: ${JSON.stringify(sdKind)} (expected "population" or "sample")`);
  const sb = options.statusBreaks ?? [-1, 1, 1.5];
  const db = options.dynamicsBreaks ?? [-1, 1];
  if (!(sb[0] < sb[1] && sb[1] < sb[2])) throw new RangeError(`invalid statusBreaks: ${JSON.stringify(sb)} (expected ascending)`);
  if (!(db[0] < db[1])) throw new RangeError(`invalid dynamicsBreaks: ${JSON.stringify(db)} (expected ascending)`);
  const valid = areas.filter((a) => a.valid);
  if (valid.length < 2) throw new RangeError(`invalid areas: ${valid.length} valid areas (need at least 2)`);
  const all = [...MSS_STATUS, ...MSS_DYNAMICS];
  for (const a of valid) {
    for (const k of all) if (!Number.isFinite(a[k])) throw new RangeError(`invalid ${k}: ${a[k]} for valid area ${JSON.stringify(a.id)} (expected a finite number)`);
  }
  const m = {} as MssResult["moments"];
  for (const k of all) m[k] = moments(valid.map((a) => a[k]), sdKind);
  const zOf = (a: MssArea, k: MssIndicator) => (a[k] - m[k].mean) / m[k].sd;
  const sSum = valid.map((a) => MSS_STATUS.reduce((s, k) => s + zOf(a, k), 0));
  const dSum = valid.map((a) => MSS_DYNAMICS.reduce((s, k) => s + zOf(a, k), 0));
  m.statusSum = moments(sSum, sdKind);
  m.dynamicsSum = moments(dSum, sdKind);

  const counts: MssResult["counts"] = {
    status: { hoch: 0, mittel: 0, niedrig: 0, "sehr niedrig": 0 },
    dynamics: { positiv: 0, stabil: 0, negativ: 0 },
    groups: {},
  };
  const results = areas.map((a): MssAreaResult => {
    const z = {} as Record<MssIndicator, number>;
    const ic = {} as Record<MssIndicator, number | null>;
    if (!a.valid) {
      for (const k of all) { z[k] = NaN; ic[k] = null; }
      return {
        id: a.id, valid: false, z, indicatorClass: ic, statusSum: NaN, statusIndex: NaN, statusClass: null, statusCode: null,
        dynamicsSum: NaN, dynamicsIndex: NaN, dynamicsClass: null, dynamicsCode: null, groupCode: null, groupLabel: null,
      };
    }
    for (const k of MSS_STATUS) { z[k] = zOf(a, k); ic[k] = statusIdx(z[k], sb) + 1; }
    for (const k of MSS_DYNAMICS) { z[k] = zOf(a, k); ic[k] = dynIdx(z[k], db) + 1; }
    const statusSum = z.S1 + z.S3 + z.S4;
    const dynamicsSum = z.D1 + z.D3 + z.D4;
    const statusIndex = (statusSum - m.statusSum.mean) / m.statusSum.sd;
    const dynamicsIndex = (dynamicsSum - m.dynamicsSum.mean) / m.dynamicsSum.sd;
    const si = statusIdx(statusIndex, sb);
    const di = dynIdx(dynamicsIndex, db);
    const statusClass = STATUS_CLASSES[si]!;
    const dynamicsClass = DYN_CLASSES[di]!;
    const groupCode = 10 * (si + 1) + (2 * di + 1);
    counts.status[statusClass]++;
    counts.dynamics[dynamicsClass]++;
    counts.groups[groupCode] = (counts.groups[groupCode] ?? 0) + 1;
    return {
      id: a.id, valid: true, z, indicatorClass: ic, statusSum, statusIndex, statusClass, statusCode: si + 1,
      dynamicsSum, dynamicsIndex, dynamicsClass, dynamicsCode: 2 * di + 1, groupCode,
      groupLabel: `Status ${statusClass}, Dynamik ${dynamicsClass}`,
    };
  });
  return { areas: results, nValid: valid.length, moments: m, counts };
}
