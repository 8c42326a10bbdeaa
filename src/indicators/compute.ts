/**
 * The indicator engine: counts are summed to the area first, then ratios are formed (never
 * averaged rates). Works on any area system and year on plain typed arrays; danfojs frames are
 * made at the edge (see `frames.ts`).
 */
import { INDICATORS, type IndicatorDefinition } from "./catalogue";
import { bandMidpoint, parseAgeTerm, resolveTerm } from "./terms";
import { parseAgeBand } from "../variables";

/**
 * The shape of a count table the engine reads: `values[((a * years) + y) * variables + v]`,
 * `NaN` where a count is missing. `CountTable` from `load/` has this shape.
 */
export interface CountCube {
  areas: readonly string[];
  years: readonly number[];
  variables: readonly string[];
  values: Float64Array;
  /**
   * Where each cell came from (a `CountTable` from `load/` has it). An area-year without any
   * origin and without any value had no row in any source file: the area did not exist that
   * year (e.g. a planning area created later). See {@link absentAreaYears}.
   */
  origin?: ReadonlyMap<number, unknown>;
  /** `[a * years + y] = 1`: the area did not exist in that year (set by `aggregateCounts`). See {@link absentAreaYears}. */
  absent?: Uint8Array;
}

/**
 * Area-years a table has no row for at all (`[a * years + y] = 1`), or `undefined` when every
 * area-year has a row (or the table cannot tell: no `origin`, no `absent`). Such an area did not
 * exist in that year (Berlin's PLR 09041403 first appears in 2019); it is left out of sums
 * (city reference, parents) instead of making them missing. An area-year with a row whose
 * cells are missing (a symbol such as `.` or `NA`) is not absent: it makes sums missing.
 *
 * @example
 * absentAreaYears(berlinOldLor)?.[berlinOldLor.areas.indexOf("09041403") * 6 + 0]; // 1 (2015)
 */
export function absentAreaYears(c: CountCube): Uint8Array | undefined {
  if (c.absent) return c.absent.some((x) => x === 1) ? c.absent : undefined;
  const origin = c.origin;
  if (!origin || origin.size === 0) return undefined;
  const V = c.variables.length;
  const out = new Uint8Array(c.areas.length * c.years.length);
  let any = false;
  for (let ay = 0; ay < out.length; ay++) {
    let absent = true;
    for (let i = ay * V; i < (ay + 1) * V; i++) {
      if (origin.has(i) || !Number.isNaN(c.values[i]!)) { absent = false; break; }
    }
    if (absent) { out[ay] = 1; any = true; }
  }
  return any ? out : undefined;
}

/** Why a value is missing. */
export enum MissingCause {
  None = 0,
  /** An input count is missing (statistical symbol in the source, or no data for the area). */
  MissingInput = 1,
  /** The denominator is zero (no persons in the base population). */
  ZeroDenominator = 2,
  /** The comparison year is not in the data. */
  NoComparisonYear = 3,
  /** The area did not exist in that year (no row in any source file, see {@link absentAreaYears}). */
  AreaAbsent = 4,
}

/** German text per {@link MissingCause}. */
export const MISSING_CAUSE_TEXT: Record<MissingCause, string> = {
  [MissingCause.None]: "",
  [MissingCause.MissingInput]: "Eingangsdaten fehlen",
  [MissingCause.ZeroDenominator]: "Bezugsgröße ist 0",
  [MissingCause.NoComparisonYear]: "Vergleichsjahr nicht vorhanden",
  [MissingCause.AreaAbsent]: "Gebiet in diesem Jahr nicht vorhanden",
};

/** An indicator definition with its terms resolved against the data. */
export interface ResolvedIndicator extends IndicatorDefinition {
  factor: number;
  digits: number;
  minBase: number;
  /** Variables summed for the numerator (for `mean`: the age bands). */
  numeratorVariables: string[];
  /** Variables summed for the denominator. */
  denominatorVariables: string[];
  /** Name of the alternative definition used, if any. */
  alternative?: string;
  /** Footnote text: definition, unit, notes. */
  footnote: string;
}

/** Options of {@link computeIndicators}. */
export interface ComputeOptions {
  /** Indicators to compute, by id or definition (default: every catalogue indicator the data supports; unsupported ones are listed in `skipped`). */
  indicators?: Array<string | IndicatorDefinition>;
  /** The catalogue to take ids from (default {@link INDICATORS}). */
  catalogue?: readonly IndicatorDefinition[];
  /** Alternative definitions to use, e.g. `{ greying_index: "60-80" }` (default none). */
  alternatives?: Record<string, string>;
  /** Counts the reference values (the city) are summed from (default: the same table, all areas). */
  reference?: CountCube;
  /** Years back for the change columns (default 4). */
  changeYears?: number;
}

/** Result of {@link computeIndicators}; arrays are indexed `[indicator][area][year]` (reference: `[indicator][year]`). */
export interface IndicatorResult {
  definitions: ResolvedIndicator[];
  /** Catalogue indicators left out because the data cannot support them, with the reason. */
  skipped: { id: string; reason: string }[];
  areas: string[];
  years: number[];
  changeYears: number;
  value: Float64Array;
  numerator: Float64Array;
  denominator: Float64Array;
  reason: Uint8Array;
  /** Change against `changeYears` earlier: percentage points for shares/ratios, absolute for counts and means. */
  change: Float64Array;
  /** Relative change in % (counts only; NaN otherwise). */
  changePct: Float64Array;
  changeReason: Uint8Array;
  /** Rank among the areas with a value in that year, 1 = highest value. */
  rank: Float64Array;
  /** Denominator (or count) below the indicator's minimum base. */
  smallBase: Uint8Array;
  reference: { value: Float64Array; numerator: Float64Array; denominator: Float64Array; change: Float64Array; changePct: Float64Array };
}

function resolveDefinition(def: IndicatorDefinition, variables: readonly string[], alternative?: string): ResolvedIndicator {
  let d = def;
  if (alternative) {
    const alt = def.alternatives?.[alternative];
    if (!alt) throw new Error(`invalid alternative for ${def.id}: ${JSON.stringify(alternative)} (expected one of ${Object.keys(def.alternatives ?? {}).join(", ") || "none"})`);
    d = { ...def, ...alt };
  }
  const isRatio = d.kind === "share" || d.kind === "ratio";
  if (isRatio && !d.denominator?.length) throw new Error(`indicator ${d.id}: a ${d.kind} needs a denominator`);
  const numeratorVariables = d.numerator.flatMap((t) => resolveTerm(t, variables));
  const denominatorVariables = isRatio ? d.denominator!.flatMap((t) => resolveTerm(t, variables)) : [];
  const factor = d.factor ?? (isRatio ? 100 : 1);
  const digits = d.digits ?? (d.kind === "count" ? 0 : 1);
  const definition = d.definition.replace(/\.$/, "");
  const footnote = [`${d.label}: ${definition}${d.unit && d.kind !== "count" ? ` (${d.unit})` : ""}.`, d.note ?? ""].filter(Boolean).join(" ");
  return { ...d, factor, digits, minBase: d.minBase ?? 0, numeratorVariables, denominatorVariables, alternative, footnote };
}

/** Sums the given variables of one area and year; NaN when any is missing. */
function sumAt(c: CountCube, vIdx: Int32Array, a: number, y: number): number {
  const base = (a * c.years.length + y) * c.variables.length;
  let s = 0;
  for (let i = 0; i < vIdx.length; i++) s += c.values[base + vIdx[i]!]!;
  return s;
}

function weightedAt(c: CountCube, vIdx: Int32Array, w: Float64Array, a: number, y: number): number {
  const base = (a * c.years.length + y) * c.variables.length;
  let s = 0;
  for (let i = 0; i < vIdx.length; i++) s += w[i]! * c.values[base + vIdx[i]!]!;
  return s;
}

function indices(c: CountCube, vars: string[]): Int32Array {
  return Int32Array.from(vars.map((v) => c.variables.indexOf(v)));
}

/** Numerator, denominator and value of one indicator over one cube (all areas × years). */
function evaluate(def: ResolvedIndicator, c: CountCube) {
  const A = c.areas.length, Y = c.years.length;
  const absent = absentAreaYears(c);
  const num = new Float64Array(A * Y), den = new Float64Array(A * Y), val = new Float64Array(A * Y);
  const reason = new Uint8Array(A * Y);
  const ni = indices(c, def.numeratorVariables);
  const di = indices(c, def.kind === "mean" ? def.numeratorVariables : def.denominatorVariables);
  const weights = def.kind === "mean" ? Float64Array.from(def.numeratorVariables.map((v) => { const b = parseAgeBand(v)!; return bandMidpoint(b[0], b[1]); })) : undefined;
  for (let a = 0; a < A; a++) {
    for (let y = 0; y < Y; y++) {
      const k = a * Y + y;
      const n = weights ? weightedAt(c, ni, weights, a, y) : sumAt(c, ni, a, y);
      const d = def.kind === "count" ? NaN : sumAt(c, di, a, y);
      num[k] = n;
      den[k] = d;
      if (absent?.[k]) {
        val[k] = NaN;
        reason[k] = MissingCause.AreaAbsent;
      } else if (def.kind === "count") {
        val[k] = n;
        if (Number.isNaN(n)) reason[k] = MissingCause.MissingInput;
      } else if (Number.isNaN(n) || Number.isNaN(d)) {
        val[k] = NaN;
        reason[k] = MissingCause.MissingInput;
      } else if (d === 0) {
        val[k] = NaN;
        reason[k] = MissingCause.ZeroDenominator;
      } else {
        val[k] = (n / d) * def.factor;
      }
    }
  }
  return { num, den, val, reason };
}

/**
 * One area holding the sum of all areas (the city), per year and variable. A missing count of
 * an existing area makes the sum missing; areas that did not exist in a year (no row, see
 * {@link absentAreaYears}) are left out of that year's sum.
 */
export function totalCube(c: CountCube, id = "Stadt"): CountCube {
  const Y = c.years.length, V = c.variables.length;
  const out = new Float64Array(Y * V);
  const absent = absentAreaYears(c);
  const present = new Uint8Array(Y);
  for (let a = 0; a < c.areas.length; a++) {
    for (let y = 0; y < Y; y++) {
      if (absent?.[a * Y + y]) continue;
      present[y] = 1;
      const base = (a * Y + y) * V;
      for (let v = 0; v < V; v++) out[y * V + v]! += c.values[base + v]!;
    }
  }
  present.forEach((p, y) => { if (!p) out.fill(NaN, y * V, (y + 1) * V); });
  return { areas: [id], years: c.years, variables: c.variables, values: out };
}

/**
 * Computes indicators for every area and year of a count table, with the city reference
 * computed the same way from summed counts, changes over `changeYears` and ranks.
 *
 * @example
 * const r = computeIndicators(counts, { indicators: ["child_poverty", "share_65plus"] });
 * r.value[(0 * r.areas.length + 3) * r.years.length + 5]; // indicator 0, area 3, year index 5
 */
export function computeIndicators(counts: CountCube, options: ComputeOptions = {}): IndicatorResult {
  const catalogue = options.catalogue ?? INDICATORS;
  const changeYears = options.changeYears ?? 4;
  const skipped: { id: string; reason: string }[] = [];
  const definitions: ResolvedIndicator[] = [];
  const explicit = !!options.indicators;
  for (const item of options.indicators ?? catalogue) {
    const def = typeof item === "string" ? catalogue.find((d) => d.id === item) : item;
    if (!def) throw new Error(`invalid indicator: ${JSON.stringify(item)} (expected one of ${catalogue.map((d) => d.id).join(", ")})`);
    try {
      definitions.push(resolveDefinition(def, counts.variables, options.alternatives?.[def.id]));
    } catch (e) {
      if (explicit) throw new Error(`indicator ${def.id} cannot be computed: ${(e as Error).message}`);
      skipped.push({ id: def.id, reason: (e as Error).message });
    }
  }
  const ref = totalCube(options.reference ?? counts);
  if (options.reference && options.reference.years.join() !== counts.years.join()) {
    throw new Error(`reference table years (${options.reference.years.join(", ")}) differ from the table's (${counts.years.join(", ")})`);
  }
  const I = definitions.length, A = counts.areas.length, Y = counts.years.length;
  const size = I * A * Y;
  const r: IndicatorResult = {
    definitions, skipped, areas: [...counts.areas], years: [...counts.years], changeYears,
    value: new Float64Array(size), numerator: new Float64Array(size), denominator: new Float64Array(size), reason: new Uint8Array(size),
    change: new Float64Array(size), changePct: new Float64Array(size), changeReason: new Uint8Array(size),
    rank: new Float64Array(size), smallBase: new Uint8Array(size),
    reference: { value: new Float64Array(I * Y), numerator: new Float64Array(I * Y), denominator: new Float64Array(I * Y), change: new Float64Array(I * Y), changePct: new Float64Array(I * Y) },
  };
  const back = counts.years.map((yr) => counts.years.indexOf(yr - changeYears));
  definitions.forEach((def, i) => {
    const e = evaluate(def, counts);
    r.value.set(e.val, i * A * Y);
    r.numerator.set(e.num, i * A * Y);
    r.denominator.set(e.den, i * A * Y);
    r.reason.set(e.reason, i * A * Y);
    const re = evaluate(def, ref);
    r.reference.value.set(re.val, i * Y);
    r.reference.numerator.set(re.num, i * Y);
    r.reference.denominator.set(re.den, i * Y);
    for (let y = 0; y < Y; y++) {
      const b = back[y]!;
      r.reference.change[i * Y + y] = b < 0 ? NaN : re.val[y]! - re.val[b]!;
      r.reference.changePct[i * Y + y] = b < 0 || def.kind !== "count" || re.val[b] === 0 ? NaN : ((re.val[y]! - re.val[b]!) / re.val[b]!) * 100;
    }
    for (let a = 0; a < A; a++) {
      for (let y = 0; y < Y; y++) {
        const k = (i * A + a) * Y + y;
        const b = back[y]!;
        const base = def.kind === "count" ? r.numerator[k]! : r.denominator[k]!;
        r.smallBase[k] = Number.isFinite(base) && base < def.minBase ? 1 : 0;
        if (b < 0) {
          r.change[k] = NaN;
          r.changePct[k] = NaN;
          r.changeReason[k] = MissingCause.NoComparisonYear;
          continue;
        }
        const now = r.value[k]!, then = r.value[(i * A + a) * Y + b]!;
        r.change[k] = now - then;
        r.changePct[k] = def.kind === "count" && then !== 0 ? ((now - then) / then) * 100 : NaN;
        if (!Number.isFinite(now - then)) r.changeReason[k] = r.reason[k] || r.reason[(i * A + a) * Y + b] || MissingCause.MissingInput;
      }
    }
    // Ranks per year: 1 = highest value; ties share the best rank.
    for (let y = 0; y < Y; y++) {
      const order: number[] = [];
      for (let a = 0; a < A; a++) {
        const k = (i * A + a) * Y + y;
        if (Number.isFinite(r.value[k]!)) order.push(a);
        else r.rank[k] = NaN;
      }
      order.sort((p, q) => r.value[(i * A + q) * Y + y]! - r.value[(i * A + p) * Y + y]!);
      let prev = NaN, prevRank = 0;
      order.forEach((a, pos) => {
        const k = (i * A + a) * Y + y;
        const v = r.value[k]!;
        const rank = v === prev ? prevRank : pos + 1;
        r.rank[k] = rank;
        prev = v;
        prevRank = rank;
      });
    }
  });
  return r;
}

/** Index into the `[indicator][area][year]` arrays of a result. */
export function resultIndex(r: IndicatorResult, indicator: number, area: number, year: number): number {
  return (indicator * r.areas.length + area) * r.years.length + year;
}

/** Whether a term names an age range (re-exported for configuration checks). */
export { parseAgeTerm };
