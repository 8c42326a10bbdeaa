/**
 * Protection applied to the project's results: count tables (`protectCounts`) and indicator
 * results (`protectIndicators`). Values stay as they are; flags are added beside them
 * (primary, suppressed, reason, symbol, interval, significance class), so analysts see what
 * was hidden and why, and exports show symbols instead of hidden values.
 *
 * Protection is on by default (the `standard` preset, see `rules.ts`); switching it off needs
 * `{ disable: true, reason: "…" }`, and the reason travels with the result.
 */
import { MissingCause, type CountCube, type IndicatorResult, type ResolvedIndicator } from "../indicators/compute";
import { compareWithReference, rateInterval, shareInterval, Significance, SIGNIFICANCE_TEXT } from "./intervals";
import {
  countRuleFor, describeRules, indicatorCountRule, isSmallCount, rateRuleFor, resolveRules,
  type PresetName, type ProtectionInput, type ProtectionRules,
} from "./rules";
import { ageBandSums, hierarchyRelations, suppressCells, variableSumRelations, type Relation, type VariableSum } from "./suppress";
import { displayValue, symbolFootnotes, type TableSymbol } from "./symbols";

/** Why a cell is flagged. */
export enum ProtectionReason {
  None = 0,
  /** Count below the threshold (primary). */
  SmallCount = 1,
  /** Zero, and zeros are suppressed (primary). */
  Zero = 2,
  /** Would be recomputable from published totals (secondary). */
  Secondary = 3,
  /** Rate whose numerator is below the minimum (primary). */
  SmallNumerator = 4,
  /** Rate whose denominator is below the minimum (not reliable enough). */
  SmallDenominator = 5,
  /** Rate or index of an area below the minimum population (not reliable enough). */
  SmallPopulation = 6,
  /** An input count of the value is suppressed in the count table. */
  InputSuppressed = 7,
  /** Input data missing. */
  Missing = 8,
  /** Denominator 0: a rate is not meaningful. */
  NotMeaningful = 9,
  /** Published with limited reliability (small base). */
  Limited = 10,
}

/** German text per {@link ProtectionReason} (numbers of the rules are in {@link describeRules}). */
export const PROTECTION_REASON_TEXT: Record<ProtectionReason, string> = {
  [ProtectionReason.None]: "",
  [ProtectionReason.SmallCount]: "Fallzahl unter dem Schwellenwert (Geheimhaltung)",
  [ProtectionReason.Zero]: "Nullwert gesperrt (Geheimhaltung)",
  [ProtectionReason.Secondary]: "Sekundärsperrung: sonst aus Summen errechenbar",
  [ProtectionReason.SmallNumerator]: "Zähler unter dem Mindestwert (Geheimhaltung)",
  [ProtectionReason.SmallDenominator]: "Nenner unter dem Mindestwert (nicht sicher genug)",
  [ProtectionReason.SmallPopulation]: "Gebiet unter der Mindesteinwohnerzahl (nicht sicher genug)",
  [ProtectionReason.InputSuppressed]: "Eingangswert gesperrt (Geheimhaltung)",
  [ProtectionReason.Missing]: "Eingangsdaten fehlen",
  [ProtectionReason.NotMeaningful]: "Bezugsgröße ist 0",
  [ProtectionReason.Limited]: "kleine Basis, eingeschränkte Aussagekraft",
};

/** Symbol per reason (suppressed cells show it instead of the value; `()` keeps the value). */
export const PROTECTION_REASON_SYMBOL: Record<ProtectionReason, TableSymbol | ""> = {
  [ProtectionReason.None]: "",
  [ProtectionReason.SmallCount]: ".",
  [ProtectionReason.Zero]: ".",
  [ProtectionReason.Secondary]: ".",
  [ProtectionReason.SmallNumerator]: ".",
  [ProtectionReason.SmallDenominator]: "/",
  [ProtectionReason.SmallPopulation]: "/",
  [ProtectionReason.InputSuppressed]: ".",
  [ProtectionReason.Missing]: ".",
  [ProtectionReason.NotMeaningful]: "x",
  [ProtectionReason.Limited]: "()",
};

/** Reasons that are about confidentiality (and so need secondary suppression). */
const CONFIDENTIAL = new Set<ProtectionReason>([ProtectionReason.SmallCount, ProtectionReason.Zero, ProtectionReason.SmallNumerator, ProtectionReason.InputSuppressed, ProtectionReason.Secondary]);

type RulesArg = ProtectionInput | PresetName | ProtectionRules;

// --- Count tables ---------------------------------------------------------------------------

/** The structure of a count table that protection needs: how cells add up. */
export interface CountHierarchy {
  /** Parent id of each area that has one in the same table (all levels in one table, see `stackHierarchy`). Default: no hierarchy. */
  parentOf?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Variables that add up to a total; default `"auto"`: age bands that tile all ages → `pop_total`. */
  variableSums?: readonly VariableSum[] | "auto";
  /** Further relations (cell positions), e.g. between tables joined into one. Default none. */
  relations?: readonly Relation[];
}

/** Result of {@link protectCounts}. */
export interface ProtectedCounts {
  /** The table, unchanged. */
  table: CountCube;
  rules: ProtectionRules;
  /** Set when protection was switched off, with the reason. */
  disabled?: { reason: string };
  /** The relations used (hierarchy and variable sums). */
  relations: Relation[];
  /** 1 = primary suppression, per cell of `table.values`. */
  primary: Uint8Array;
  /** 1 = suppressed (primary or secondary). */
  suppressed: Uint8Array;
  /** {@link ProtectionReason} per cell. */
  reason: Uint8Array;
  /** Relations that do not add up in the data (count; checked with a tolerance of 0.5). */
  inconsistentRelations: number;
  /** Cells the audit could still recover (empty when protection succeeded). */
  unresolved: number[];
}

/**
 * Protects a count table: primary suppression by the count rules (per variable), secondary
 * suppression over the hierarchy of areas and the variable sums until the audit recovers
 * nothing. The values are kept; see {@link publishedCounts} for the table to hand on.
 *
 * @param table counts, all levels of the hierarchy in one table (see `stackHierarchy`)
 * @example
 * const s = stackHierarchy(blockGroups, [(id) => id.slice(0, 4)]);
 * const p = protectCounts(s.table, { parentOf: s.parentOf });          // standard rules
 * const q = protectCounts(s.table, { parentOf: s.parentOf }, { preset: "ba", zeros: "suppress" });
 */
export function protectCounts(table: CountCube, hierarchy: CountHierarchy = {}, rules?: RulesArg): ProtectedCounts {
  const r = resolveRules(rules);
  const n = table.values.length;
  const expected = table.areas.length * table.years.length * table.variables.length;
  if (n !== expected) throw new Error(`invalid count table: ${n} values (expected areas × years × variables = ${expected})`);
  const parentOf = hierarchy.parentOf instanceof Map ? hierarchy.parentOf : new Map(Object.entries(hierarchy.parentOf ?? {}));
  const sums = hierarchy.variableSums === undefined || hierarchy.variableSums === "auto" ? ageBandSums(table.variables) : hierarchy.variableSums;
  const relations = [...hierarchyRelations(table, parentOf as ReadonlyMap<string, string>), ...variableSumRelations(table, sums), ...(hierarchy.relations ?? [])];
  let inconsistent = 0;
  for (const rel of relations) {
    const t = table.values[rel.total]!;
    let s = 0;
    for (const p of rel.parts) s += table.values[p]!;
    if (Number.isFinite(t) && Number.isFinite(s) && Math.abs(t - s) > 0.5) inconsistent++;
  }
  const primary = new Uint8Array(n);
  const reason = new Uint8Array(n);
  const V = table.variables.length;
  for (let i = 0; i < n; i++) {
    const v = table.values[i]!;
    if (!Number.isFinite(v)) { reason[i] = ProtectionReason.Missing; continue; }
    if (r.disabled) continue;
    const rule = countRuleFor(r, table.variables[i % V]!);
    if (isSmallCount(v, rule)) {
      primary[i] = 1;
      reason[i] = v === 0 ? ProtectionReason.Zero : ProtectionReason.SmallCount;
    }
  }
  if (r.disabled) {
    return { table, rules: r, disabled: r.disabled, relations, primary, suppressed: new Uint8Array(n), reason, inconsistentRelations: inconsistent, unresolved: [] };
  }
  const s = suppressCells(table.values, primary, relations, { secondary: r.secondary });
  for (let i = 0; i < n; i++) if (s.suppressed[i] && !primary[i]) reason[i] = ProtectionReason.Secondary;
  return { table, rules: r, relations, primary, suppressed: s.suppressed, reason, inconsistentRelations: inconsistent, unresolved: s.unresolved };
}

/**
 * The count table as it may be handed on: suppressed cells are `NaN` (shown as `.`).
 *
 * @example
 * const safe = publishedCounts(protectCounts(table, { parentOf }));
 */
export function publishedCounts(p: ProtectedCounts): CountCube {
  const values = Float64Array.from(p.table.values, (v, i) => (p.suppressed[i] ? NaN : v));
  return { areas: p.table.areas, years: p.table.years, variables: p.table.variables, values };
}

/** Options of {@link countRows}. */
export interface CountRowOptions {
  /** Area names by id (default none). */
  names?: ReadonlyMap<string, string>;
  /** Keep the true value in a column `wert` (default true; false for tables that leave the office). */
  withValues?: boolean;
}

/**
 * Long rows of a protected count table: one per area, year and variable, with the flags as
 * columns (`primaer`, `gesperrt`, `grund`, `zeichen`) and the display text (`anzeige`).
 *
 * @example
 * rowsToDataFrame(countRows(protectCounts(table, { parentOf }), { names }));
 */
export function countRows(p: ProtectedCounts, options: CountRowOptions = {}): Record<string, string | number>[] {
  const t = p.table;
  const rows: Record<string, string | number>[] = [];
  const withValues = options.withValues ?? true;
  t.areas.forEach((id, a) => t.years.forEach((year, y) => t.variables.forEach((v, vi) => {
    const k = (a * t.years.length + y) * t.variables.length + vi;
    const reason = p.reason[k] as ProtectionReason;
    const symbol = PROTECTION_REASON_SYMBOL[reason];
    const shown = displayValue(t.values[k]!, { suppressed: !!p.suppressed[k], symbol });
    rows.push({
      gebiet_id: id, gebiet: options.names?.get(id) ?? "", jahr: year, merkmal: v,
      ...(withValues ? { wert: t.values[k]! } : {}),
      anzeige: shown.text, primaer: p.primary[k]!, gesperrt: p.suppressed[k]!, grund: PROTECTION_REASON_TEXT[reason], zeichen: shown.symbol ?? "",
    });
  })));
  return rows;
}

// --- Indicator results ----------------------------------------------------------------------

/** Options of {@link protectIndicators}. */
export interface ProtectIndicatorsOptions {
  /** Rules (default: the `standard` preset). */
  rules?: RulesArg;
  /**
   * Protection of the count table the result was computed from (its areas must include the
   * result's areas): a value whose input count is suppressed there is suppressed too, and
   * `pop_total` serves the minimum-population rule. Default: none.
   */
  counts?: ProtectedCounts;
  /** Parent id of each result area whose parent is also a result area (several levels in one result). Default: one level. */
  parentOf?: ReadonlyMap<string, string>;
  /** Residents per `[area][year]` of the result for the minimum-population rule (default: `pop_total` of `counts`, else the `population` indicator). */
  population?: ArrayLike<number>;
  /** Suppress values whose input counts are suppressed in `counts` (default true). */
  inputSuppression?: boolean;
}

/** Result of {@link protectIndicators}: flags per cell of `result`'s `[indicator][area][year]` arrays. */
export interface ProtectedIndicators {
  /** The result, unchanged. */
  result: IndicatorResult;
  rules: ProtectionRules;
  /** Set when protection was switched off, with the reason (for provenance). */
  disabled?: { reason: string };
  primary: Uint8Array;
  suppressed: Uint8Array;
  /** {@link ProtectionReason} per cell. */
  reason: Uint8Array;
  /** Table symbol per cell (`""` when the value is shown plainly). */
  symbol: Array<TableSymbol | "">;
  /** 1 = published with limited reliability, shown in parentheses. */
  limited: Uint8Array;
  /** Confidence interval per cell, in the indicator's unit (NaN for counts, means and hidden values). */
  lo: Float64Array;
  hi: Float64Array;
  /** {@link Significance} of the area against the city value. */
  significance: Uint8Array;
  /** 1 where the change over `changeYears` is hidden (either year suppressed). */
  changeSuppressed: Uint8Array;
  /** Intervals of the city reference, `[indicator][year]`. */
  reference: { lo: Float64Array; hi: Float64Array };
  /** What could not be checked, in German (e.g. no population for the minimum-population rule). */
  notes: string[];
  /** Cells the audit could still recover (empty when protection succeeded). */
  unresolved: number[];
}

function populationFor(r: IndicatorResult, options: ProtectIndicatorsOptions, notes: string[]): ArrayLike<number> | undefined {
  const A = r.areas.length, Y = r.years.length;
  if (options.population) {
    if (options.population.length !== A * Y) throw new Error(`invalid population: ${options.population.length} values (expected areas × years = ${A * Y})`);
    return options.population;
  }
  const c = options.counts?.table;
  if (c && c.variables.includes("pop_total")) {
    const v = c.variables.indexOf("pop_total");
    const ai = new Map(c.areas.map((id, i) => [id, i]));
    return Float64Array.from({ length: A * Y }, (_, k) => {
      const a = ai.get(r.areas[Math.floor(k / Y)]!), y = c.years.indexOf(r.years[k % Y]!);
      return a === undefined || y < 0 ? NaN : c.values[(a * c.years.length + y) * c.variables.length + v]!;
    });
  }
  const i = r.definitions.findIndex((d) => d.id === "population");
  if (i >= 0) return r.value.subarray(i * A * Y, (i + 1) * A * Y);
  notes.push("Mindesteinwohnerzahl nicht geprüft: keine Einwohnerzahlen (Indikator „population“ oder Zähltabelle mit pop_total übergeben)");
  return undefined;
}

/**
 * Applies the protection rules to an indicator result: primary suppression (small counts,
 * small numerators, small denominators, small areas, suppressed inputs), secondary suppression
 * of numerators over the areas and the city total (and the hierarchy, when the result holds
 * several levels), table symbols, confidence intervals and the significance class against the
 * city value. Values are not changed.
 *
 * Secondary suppression protects confidential cells (reasons with symbol `.`); cells hidden
 * only for reliability (`/`) are not protected from recomputation but do not count as
 * published either. Rates are treated as revealing their numerator (denominators are
 * published as bases).
 *
 * @example
 * const p = protectIndicators(computeIndicators(counts), { counts: protectCounts(counts) });
 * p.symbol[resultIndex(p.result, 0, 3, 5)]; // "." when suppressed
 * protectIndicators(result, { rules: { disable: true, reason: "interne Prüfung" } }).disabled; // { reason: "interne Prüfung" }
 */
export function protectIndicators(result: IndicatorResult, options: ProtectIndicatorsOptions = {}): ProtectedIndicators {
  const rules = resolveRules(options.rules);
  const r = result;
  const I = r.definitions.length, A = r.areas.length, Y = r.years.length;
  const size = I * A * Y;
  const notes: string[] = [];
  const out: ProtectedIndicators = {
    result: r, rules, ...(rules.disabled ? { disabled: rules.disabled } : {}),
    primary: new Uint8Array(size), suppressed: new Uint8Array(size), reason: new Uint8Array(size), symbol: new Array(size).fill(""),
    limited: new Uint8Array(size), lo: new Float64Array(size).fill(NaN), hi: new Float64Array(size).fill(NaN), significance: new Uint8Array(size),
    changeSuppressed: new Uint8Array(size), reference: { lo: new Float64Array(I * Y).fill(NaN), hi: new Float64Array(I * Y).fill(NaN) }, notes, unresolved: [],
  };
  const population = rules.disabled ? undefined : populationFor(r, options, notes);
  const counts = options.counts;
  const countArea = counts ? new Map(counts.table.areas.map((id, i) => [id, i])) : undefined;
  const inputSuppressed = (def: ResolvedIndicator, a: number, y: number): boolean => {
    if (!counts || !countArea || !(options.inputSuppression ?? true) || def.kind === "mean") return false;
    const ca = countArea.get(r.areas[a]!);
    const cy = counts.table.years.indexOf(r.years[y]!);
    if (ca === undefined || cy < 0) return false;
    const vars = def.kind === "count" ? def.numeratorVariables : [...def.numeratorVariables, ...def.denominatorVariables];
    const V = counts.table.variables.length;
    return vars.some((v) => {
      const vi = counts.table.variables.indexOf(v);
      return vi >= 0 && counts.suppressed[(ca * counts.table.years.length + cy) * V + vi] === 1;
    });
  };
  if (counts && !counts.table.areas.some((id) => r.areas.includes(id))) notes.push("Zähltabelle enthält keine Gebiete des Ergebnisses: gesperrte Eingangswerte nicht geprüft");

  r.definitions.forEach((def, i) => {
    const isRate = def.kind === "share" || def.kind === "ratio";
    const rate = rateRuleFor(rules, def.id);
    const countRule = indicatorCountRule(rules, def.id);
    for (let a = 0; a < A; a++) {
      for (let y = 0; y < Y; y++) {
        const k = (i * A + a) * Y + y;
        const num = r.numerator[k]!, den = r.denominator[k]!, val = r.value[k]!;
        let reason = ProtectionReason.None;
        if (r.reason[k] === MissingCause.ZeroDenominator) reason = ProtectionReason.NotMeaningful;
        else if (r.reason[k] || !Number.isFinite(val)) reason = ProtectionReason.Missing;
        else if (!rules.disabled) {
          if (def.kind === "count") {
            if (isSmallCount(val, countRule)) reason = val === 0 ? ProtectionReason.Zero : ProtectionReason.SmallCount;
            else if (inputSuppressed(def, a, y)) reason = ProtectionReason.InputSuppressed;
          } else {
            const pop = population ? population[a * Y + y]! : NaN;
            if (isRate && (num === 0 ? rate.zeros === "suppress" : num < rate.minNumerator)) reason = num === 0 ? ProtectionReason.Zero : ProtectionReason.SmallNumerator;
            else if (inputSuppressed(def, a, y)) reason = ProtectionReason.InputSuppressed;
            else if (isRate && den < rate.minDenominator) reason = ProtectionReason.SmallDenominator;
            else if (rate.minPopulation > 0 && Number.isFinite(pop) && pop < rate.minPopulation) reason = ProtectionReason.SmallPopulation;
            else if ((r.smallBase[k] || (isRate && den < rate.limitedBelow))) reason = ProtectionReason.Limited;
          }
        }
        out.reason[k] = reason;
        if (reason === ProtectionReason.Limited) out.limited[k] = 1;
        else if (reason !== ProtectionReason.None && reason !== ProtectionReason.Missing && reason !== ProtectionReason.NotMeaningful) {
          out.primary[k] = 1;
          out.suppressed[k] = 1;
        }
      }
    }
  });

  // Secondary suppression on numerators, per indicator and year.
  if (!rules.disabled && rules.secondary) {
    r.definitions.forEach((def, i) => {
      if (def.kind === "mean") return;
      for (let y = 0; y < Y; y++) {
        // Cells 0..A-1: areas; A: the city reference (kept published).
        const values = new Float64Array(A + 1);
        const prim = new Uint8Array(A + 1);
        let any = false;
        for (let a = 0; a < A; a++) {
          const k = (i * A + a) * Y + y;
          const reason = out.reason[k] as ProtectionReason;
          // Hidden for reliability only, or missing: unknown to everybody, needs no protection.
          const hiddenOnly = out.suppressed[k] && !CONFIDENTIAL.has(reason);
          values[a] = hiddenOnly || reason === ProtectionReason.Missing || reason === ProtectionReason.NotMeaningful ? NaN : r.numerator[k]!;
          if (out.suppressed[k] && CONFIDENTIAL.has(reason)) { prim[a] = 1; any = true; }
        }
        if (!any) continue;
        values[A] = r.reference.numerator[i * Y + y]!;
        const relations: Relation[] = [];
        const index = new Map(r.areas.map((id, a) => [id, a]));
        const children = new Map<number, number[]>();
        const roots: number[] = [];
        r.areas.forEach((id, a) => {
          const p = options.parentOf?.get(id);
          const pa = p === undefined ? undefined : index.get(p);
          if (pa === undefined) roots.push(a);
          else { let l = children.get(pa); if (!l) children.set(pa, (l = [])); l.push(a); }
        });
        for (const [pa, kids] of children) relations.push({ total: pa, parts: kids });
        let rootSum = 0;
        for (const a of roots) rootSum += r.numerator[(i * A + a) * Y + y]!;
        const refNum = r.reference.numerator[i * Y + y]!;
        if (Number.isFinite(refNum) && Math.abs(rootSum - refNum) <= 1e-6 * Math.max(1, Math.abs(refNum))) relations.push({ total: A, parts: roots });
        if (!relations.length) continue;
        const s = suppressCells(values, prim, relations, { keep: [A] });
        for (let a = 0; a < A; a++) {
          const k = (i * A + a) * Y + y;
          if (s.suppressed[a] && !out.suppressed[k]) {
            out.suppressed[k] = 1;
            out.reason[k] = ProtectionReason.Secondary;
            out.limited[k] = 0;
          }
        }
        for (const c of s.unresolved) if (c < A) out.unresolved.push((i * A + c) * Y + y);
      }
    });
  }

  // Symbols, intervals, significance, changes.
  r.definitions.forEach((def, i) => {
    const isRate = def.kind === "share" || def.kind === "ratio";
    const interval = (num: number, den: number) =>
      def.kind === "share" && num <= den
        ? shareInterval(num, den, { method: rules.intervalMethod, confidence: rules.confidence, factor: def.factor })
        : rateInterval(num, den, { confidence: rules.confidence, factor: def.factor });
    for (let y = 0; y < Y; y++) {
      const ref = r.reference.value[i * Y + y]!;
      if (isRate) {
        const ri = interval(r.reference.numerator[i * Y + y]!, r.reference.denominator[i * Y + y]!);
        out.reference.lo[i * Y + y] = ri.lo;
        out.reference.hi[i * Y + y] = ri.hi;
      }
      for (let a = 0; a < A; a++) {
        const k = (i * A + a) * Y + y;
        out.symbol[k] = PROTECTION_REASON_SYMBOL[out.reason[k] as ProtectionReason];
        if (!isRate || out.suppressed[k] || !Number.isFinite(r.value[k]!)) continue;
        const iv = interval(r.numerator[k]!, r.denominator[k]!);
        out.lo[k] = iv.lo;
        out.hi[k] = iv.hi;
        out.significance[k] = compareWithReference(iv, ref);
      }
    }
    const back = r.years.map((yr) => r.years.indexOf(yr - r.changeYears));
    for (let a = 0; a < A; a++) {
      for (let y = 0; y < Y; y++) {
        const k = (i * A + a) * Y + y;
        const b = back[y]!;
        out.changeSuppressed[k] = out.suppressed[k] || (b >= 0 && out.suppressed[(i * A + a) * Y + b]) ? 1 : 0;
      }
    }
  });
  return out;
}

/** Flags of one indicator cell, for exports and notebooks. */
export interface CellProtection {
  value: number;
  /** Display text (German number format, symbol when hidden, parentheses when limited). */
  display: string;
  primary: boolean;
  suppressed: boolean;
  reason: string;
  symbol: TableSymbol | "";
  lo: number;
  hi: number;
  significance: string;
}

function indexOf(p: ProtectedIndicators, indicator: string, area: string, year: number): number {
  const r = p.result;
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not in the result)`);
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  return (i * r.areas.length + a) * r.years.length + y;
}

/**
 * The flags of one cell by ids.
 *
 * @example
 * cellProtection(p, "child_poverty", "0101", 2024); // { value: 28.7, display: "28,7", suppressed: false, lo: 22.3, … }
 */
export function cellProtection(p: ProtectedIndicators, indicator: string, area: string, year: number): CellProtection {
  const k = indexOf(p, indicator, area, year);
  const def = p.result.definitions.find((d) => d.id === indicator)!;
  const value = p.result.value[k]!;
  return {
    value,
    display: displayValue(value, { suppressed: !!p.suppressed[k], symbol: p.symbol[k] }, { digits: def.digits }).text,
    primary: !!p.primary[k], suppressed: !!p.suppressed[k], reason: PROTECTION_REASON_TEXT[p.reason[k] as ProtectionReason], symbol: p.symbol[k]!,
    lo: p.lo[k]!, hi: p.hi[k]!, significance: SIGNIFICANCE_TEXT[p.significance[k] as Significance],
  };
}

/** Options of {@link protectedRows}. */
export interface ProtectedRowOptions {
  /** Indicator ids (default all). */
  indicators?: string[];
  /** Area names by id (default none). */
  names?: ReadonlyMap<string, string>;
  /** Keep the true values in `wert` (default true; false for tables that leave the office). */
  withValues?: boolean;
}

/**
 * Long rows (area × year × indicator) with the protection flags as columns: `anzeige`
 * (display text), `primaer`, `gesperrt`, `grund`, `zeichen`, `ki_unten`/`ki_oben` (confidence
 * interval), `signifikanz`, `veraenderung_gesperrt`.
 *
 * @example
 * rowsToDataFrame(protectedRows(p, { indicators: ["child_poverty"], names }));
 */
export function protectedRows(p: ProtectedIndicators, options: ProtectedRowOptions = {}): Record<string, string | number>[] {
  const r = p.result;
  const ids = options.indicators ?? r.definitions.map((d) => d.id);
  const rows: Record<string, string | number>[] = [];
  for (const id of ids) {
    const i = r.definitions.findIndex((d) => d.id === id);
    if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(id)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
    const def = r.definitions[i]!;
    r.areas.forEach((area, a) => r.years.forEach((year, y) => {
      const k = (i * r.areas.length + a) * r.years.length + y;
      const hidden = !!p.suppressed[k];
      rows.push({
        gebiet_id: area, gebiet: options.names?.get(area) ?? "", jahr: year, indikator: id,
        ...((options.withValues ?? true) ? { wert: r.value[k]! } : {}),
        anzeige: displayValue(r.value[k]!, { suppressed: hidden, symbol: p.symbol[k] }, { digits: def.digits }).text,
        primaer: p.primary[k]!, gesperrt: p.suppressed[k]!, grund: PROTECTION_REASON_TEXT[p.reason[k] as ProtectionReason], zeichen: p.symbol[k] === "()" ? "( )" : p.symbol[k]!,
        ki_unten: p.lo[k]!, ki_oben: p.hi[k]!, signifikanz: SIGNIFICANCE_TEXT[p.significance[k] as Significance], veraenderung_gesperrt: p.changeSuppressed[k]!,
      });
    }));
  }
  return rows;
}

/**
 * Footnotes for a protected table: the symbols used, the rules applied (or why protection was
 * off) and how intervals are computed.
 *
 * @example
 * protectionFootnotes(p); // [". = Zahlenwert unbekannt oder geheim zu halten", "Geheimhaltung (standard): …", …]
 */
export function protectionFootnotes(p: ProtectedIndicators | ProtectedCounts, indicators?: string[]): string[] {
  const used: Array<TableSymbol | ""> = [];
  if ("result" in p) {
    const r = p.result;
    const wanted = indicators ? new Set(indicators) : undefined;
    r.definitions.forEach((d, i) => {
      if (wanted && !wanted.has(d.id)) return;
      for (let k = i * r.areas.length * r.years.length; k < (i + 1) * r.areas.length * r.years.length; k++) used.push(p.symbol[k]!);
    });
  } else {
    p.reason.forEach((reason, k) => used.push(p.suppressed[k] ? PROTECTION_REASON_SYMBOL[reason as ProtectionReason] || "." : PROTECTION_REASON_SYMBOL[reason as ProtectionReason]));
    if (p.table.values.some((v) => v === 0)) used.push("–");
  }
  const notes = [...symbolFootnotes(used), describeRules(p.rules)];
  if ("result" in p) {
    const method = p.rules.intervalMethod === "wilson" ? "Wilson" : "Clopper-Pearson (exakt)";
    notes.push(`Konfidenzintervalle ${Math.round(p.rules.confidence * 100)} %: Anteile nach ${method}, Quoten mit nicht enthaltenem Zähler exakt nach Poisson; „signifikant über/unter dem Stadtwert“, wenn das Intervall den Stadtwert nicht enthält.`);
    notes.push(...p.notes);
  }
  return notes;
}
