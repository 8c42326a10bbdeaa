/**
 * What every area profile ("Stadtteilsteckbrief") of one area system needs, computed once per
 * system: the protected indicators (nested systems through `protectedIndicatorsFor`,
 * life-situation areas through `indicatorsVia(...).protected`), the parent district of every
 * area and its protected values, the spine ranges over the published values of all areas, and
 * the simplified locator-map geometry. Building one profile then only formats strings.
 */
import { ancestorMap, countsFor, nestingPath, type DatasetLike } from "../areas/hierarchy";
import { indicatorsVia } from "../areas/compare";
import { resultIndex, type ResolvedIndicator } from "../indicators/compute";
import type { AreaSystem } from "../load/geometry";
import type { DatasetConfig } from "../project/config-types";
import { PROTECTION_REASON_SYMBOL, ProtectionReason, type ProtectedIndicators } from "../protect/apply";
import { jointCountProtection, protectedIndicatorsFor, type ProtectedResult } from "../protect/dataset";
import { describeRules, rulesFromConfig } from "../protect/rules";
import type { ProtectedCounts } from "../protect/apply";
import type { IndicatorResult } from "../indicators/compute";
import { displayValue, type TableSymbol } from "../protect/symbols";

/** A loaded dataset as the profile needs it (`Dataset` from `loadDataset`). */
export type ProfileDataset = DatasetLike & { config: Pick<DatasetConfig, "rules"> & { source?: string; name?: string } };

/** Indicators a profile shows by default, in order (those the data cannot support are left out). */
export const PROFILE_INDICATORS: readonly string[] = [
  "population", "mean_age", "share_u18", "share_65plus", "youth_ratio", "old_age_ratio", "migback_share",
  "unemployment_rate", "sgb2_household_share", "child_poverty", "old_age_poverty", "minsec_rate", "single_parent_share",
];

/** Indicators drawn as trend panels by default: the first four the data supports. */
export const PROFILE_TREND_INDICATORS: readonly string[] = [
  "child_poverty", "minsec_rate", "unemployment_rate", "share_65plus", "share_u18", "migback_share", "old_age_ratio", "population",
];

/** Options that change what is precomputed for a system (see {@link profileContext}). */
export interface ProfileDataOptions {
  /** Reference year (default: the last year of the data). */
  year?: number;
  /** Indicator ids shown in table and spine (default {@link PROFILE_INDICATORS}, as far as computable). */
  indicators?: string[];
  /** Indicator ids of the trend panels (default: the first four of {@link PROFILE_TREND_INDICATORS} the data supports). */
  trendIndicators?: string[];
}

/** Text of one published cell. */
export interface CellText {
  /** German number, `(12,3)` for limited reliability, or the table symbol when hidden. */
  text: string;
  /** Table symbol used (for the footnotes). */
  symbol?: TableSymbol;
  /** The value may not be shown (suppressed or missing): never draw or state it. */
  hidden: boolean;
}

/** Spine range of one indicator over the published values of all areas of the system. */
export interface SpineRange {
  min: number;
  q1: number;
  q3: number;
  max: number;
  /** Number of areas with a published value. */
  n: number;
}

/** Per indicator: definition and where it sits in the results. */
export interface ProfileIndicator {
  def: ResolvedIndicator;
  /** Index in the system's result. */
  i: number;
  /** Index in the parent result (-1 when the parent has no such indicator). */
  pi: number;
  spine?: SpineRange;
}

/** The parent district of the areas. */
export interface ProfileParent {
  system: string;
  /** German label of the parent system. */
  label: string;
  p: ProtectedIndicators;
  names: Map<string, string>;
  /** Parent id per area, with the share of the area's residents living in it (1 for nested systems). */
  of: Map<string, { id: string; share: number }>;
  /** `"nested"`: the parent area of the hierarchy; `"residents"`: the district holding most residents. */
  how: "nested" | "residents";
}

/** Precomputed data of all profiles of one area system (see {@link profileContext}). */
export interface ProfileContext {
  system: string;
  sys: AreaSystem;
  p: ProtectedIndicators;
  names: Map<string, string>;
  /** `"hierarchy"`: protectedIndicatorsFor; `"crosswalk"`: indicatorsVia (life-situation areas). */
  method: "hierarchy" | "crosswalk";
  /** Notes on how the counts were obtained (crosswalk), in German. */
  methodNotes: string[];
  year: number;
  /** Index of `year` in the result. */
  y: number;
  /** Year indices of the trend (the `changeYears` before `year` up to `year`, as far as present). */
  trendYears: number[];
  indicators: ProfileIndicator[];
  trend: ProfileIndicator[];
  parent?: ProfileParent;
  /** Why there is no parent column (when `parent` is undefined). */
  noParentNote?: string;
  /** Locator map: size, the grey background of all areas, and each area's path. */
  map: LocatorGeometry;
  /**
   * `[indicator][area][year]`: 1 where an input count (numerator or denominator variable) is
   * suppressed in the count protection; undefined when the counts were not protected jointly
   * (then no base may be stated).
   */
  inputHidden?: Uint8Array;
  rulesText: string;
  source?: string;
  datasetName: string;
  /** Milliseconds spent preparing (protection, geometry, ranges). */
  ms: number;
}

/** Simplified geometry of a locator map. */
export interface LocatorGeometry {
  width: number;
  height: number;
  /** SVG path `d` per area id (pixel coordinates, simplified). */
  paths: Map<string, string>;
  /** Pixel bounding box `[minX, minY, maxX, maxY]` per area id (to ring areas too small to see). */
  boxes: Map<string, [number, number, number, number]>;
  /** Paths of a background system drawn under the areas (e.g. the districts, where the areas do not cover the city). */
  background?: Map<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Cells

/**
 * The published text of one indicator cell: the symbol when hidden (suppressed, or missing:
 * `.`/`x`), `(12,3)` for limited reliability, else the German number.
 *
 * @example
 * publishedCell(p, k, 1); // { text: "29,1", hidden: false }
 */
export function publishedCell(p: ProtectedIndicators, k: number, digits: number): CellText {
  const v = p.result.value[k]!;
  const sym = p.symbol[k];
  if (p.suppressed[k]) {
    const s = ((sym && sym !== "()" ? sym : PROTECTION_REASON_SYMBOL[p.reason[k] as ProtectionReason]) || ".") as TableSymbol;
    return { text: s === "()" ? "." : s, symbol: s === "()" ? "." : s, hidden: true };
  }
  if (!Number.isFinite(v)) {
    const s: TableSymbol = sym === "x" || p.reason[k] === ProtectionReason.NotMeaningful ? "x" : sym === "/" ? "/" : ".";
    return { text: s, symbol: s, hidden: true };
  }
  if (sym === "x" || sym === "/" || sym === ".") return { text: sym, symbol: sym, hidden: true };
  const d = displayValue(v, { symbol: sym }, { digits, zeroAsDash: false, markRoundedZero: false });
  return { text: d.text, ...(d.symbol ? { symbol: d.symbol } : {}), hidden: false };
}

/**
 * The published value of a cell (NaN when hidden: suppressed, missing or not meaningful).
 *
 * @example
 * publishedValue(p, resultIndex(p.result, i, a, y)); // 29.137… or NaN
 */
export function publishedValue(p: ProtectedIndicators, k: number): number {
  return publishedCell(p, k, 0).hidden ? NaN : p.result.value[k]!;
}

// ---------------------------------------------------------------------------------------------
// Geometry

/** Douglas–Peucker on a flat list of pixel points (x0, y0, x1, y1, …), keeps first and last. */
function simplify(xy: number[], tolerance: number): number[] {
  const n = xy.length / 2;
  if (n <= 3) return xy;
  const keep = new Uint8Array(n);
  keep[0] = 1; keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  const t2 = tolerance * tolerance;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = xy[2 * a]!, ay = xy[2 * a + 1]!, bx = xy[2 * b]!, by = xy[2 * b + 1]!;
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    let worst = -1, far = 0;
    for (let i = a + 1; i < b; i++) {
      const px = xy[2 * i]! - ax, py = xy[2 * i + 1]! - ay;
      let d2: number;
      if (len2 === 0) d2 = px * px + py * py;
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const ex = px - t * dx, ey = py - t * dy;
        d2 = ex * ex + ey * ey;
      }
      if (d2 > far) { far = d2; worst = i; }
    }
    if (worst >= 0 && far > t2) { keep[worst] = 1; stack.push([a, worst], [worst, b]); }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(xy[2 * i]!, xy[2 * i + 1]!);
  return out;
}

function ringsOf(g: AreaSystem["features"][number]["projected"]): number[][][] {
  if (!g) return [];
  return g.type === "Polygon" ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat();
}

/**
 * The areas of a system as simplified SVG paths in a box of `size` pixels (the longer side),
 * north up; rings smaller than a pixel are dropped (their area keeps its other rings, or a dot).
 *
 * @example
 * const g = locatorGeometry(ds.areaSystems.get("statbez")!, 240);
 * g.paths.get("0101"); // "M12.3,45.6L…Z"
 */
export function locatorGeometry(sys: AreaSystem, size = 240, tolerance = 0.6, background?: AreaSystem): LocatorGeometry {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of [...sys.features, ...(background?.features ?? [])]) for (const r of ringsOf(f.projected)) for (const p of r) {
    const x = p[0]!, y = p[1]!;
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX)) return { width: size, height: size, paths: new Map(), boxes: new Map() };
  const pad = 3;
  const scale = (size - 2 * pad) / Math.max(maxX - minX, maxY - minY, 1e-9);
  const width = Math.ceil((maxX - minX) * scale + 2 * pad), height = Math.ceil((maxY - minY) * scale + 2 * pad);
  const boxes = new Map<string, [number, number, number, number]>();
  const draw = (features: AreaSystem["features"], withBoxes: boolean) => {
  const paths = new Map<string, string>();
  for (const f of features) {
    let d = "";
    let bestDot = "";
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const r of ringsOf(f.projected)) {
      const xy: number[] = [];
      for (const p of r) {
        const x = pad + (p[0]! - minX) * scale, y = pad + (maxY - p[1]!) * scale;
        xy.push(x, y);
        if (x < box[0]) box[0] = x; if (y < box[1]) box[1] = y; if (x > box[2]) box[2] = x; if (y > box[3]) box[3] = y;
      }
      const s = simplify(xy, tolerance);
      if (s.length < 8) {
        if (!bestDot && xy.length >= 2) bestDot = `M${xy[0]!.toFixed(1)},${xy[1]!.toFixed(1)}h1v1h-1Z`;
        continue;
      }
      d += "M";
      for (let i = 0; i < s.length; i += 2) d += `${i ? "L" : ""}${s[i]!.toFixed(1)},${s[i + 1]!.toFixed(1)}`;
      d += "Z";
    }
    paths.set(f.id, d || bestDot);
    if (withBoxes && Number.isFinite(box[0])) boxes.set(f.id, box);
  }
  return paths;
  };
  return { width, height, paths: draw(sys.features, true), boxes, ...(background ? { background: draw(background.features, false) } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Context

/** Which cells of a result have a suppressed input count (numerator or denominator variable) in a protected count table. */
function inputHiddenFor(r: IndicatorResult, c: ProtectedCounts): Uint8Array {
  const A = r.areas.length, Y = r.years.length, V = c.table.variables.length, CY = c.table.years.length;
  const cArea = new Map(c.table.areas.map((id, i) => [id, i]));
  const out = new Uint8Array(r.definitions.length * A * Y);
  r.definitions.forEach((def, i) => {
    const vars = [...def.numeratorVariables, ...def.denominatorVariables].map((v) => c.table.variables.indexOf(v));
    r.areas.forEach((id, a) => {
      const ca = cArea.get(id);
      r.years.forEach((yr, y) => {
        const cy = c.table.years.indexOf(yr);
        // Unknown area, year or variable: treat as hidden (never state a base that was not checked).
        if (ca === undefined || cy < 0 || vars.some((v) => v < 0 || c.suppressed[(ca * CY + cy) * V + v])) out[(i * A + a) * Y + y] = 1;
      });
    });
  });
  return out;
}

const cache = new WeakMap<object, Map<string, ProfileContext>>();

function quantileSorted(s: number[], q: number): number {
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function hasOwnCounts(ds: DatasetLike, system: string): boolean {
  return ds.counts.has(system) || [...ds.counts.keys()].some((s) => nestingPath(ds, s, system));
}

function resolveIndicators(p: ProtectedIndicators, wanted: readonly string[], explicit: boolean, pp?: ProtectedIndicators): ProfileIndicator[] {
  const r = p.result;
  const out: ProfileIndicator[] = [];
  for (const id of wanted) {
    const i = r.definitions.findIndex((d) => d.id === id);
    if (i < 0) {
      if (explicit) throw new Error(`invalid indicator: ${JSON.stringify(id)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
      continue;
    }
    out.push({ def: r.definitions[i]!, i, pi: pp ? pp.result.definitions.findIndex((d) => d.id === id) : -1 });
  }
  return out;
}

/**
 * Everything the profiles of one area system need, computed once and cached per dataset,
 * system and options: protection, parent districts, spine ranges, locator geometry.
 *
 * - Systems with statistics (own or summed along the hierarchy) use `protectedIndicatorsFor`
 *   (count protection over the whole hierarchy); the parent is the parent area of the hierarchy.
 * - Systems without (life-situation areas such as Musterstadt's quarters) use
 *   `indicatorsVia(ds, system).protected`; the parent is the district (the parent system of the
 *   building blocks) holding most of the area's residents.
 *
 * @example
 * const ctx = profileContext(ds, "statbez");
 * ctx.parent?.of.get("0101"); // { id: "01", share: 1 }
 */
export function profileContext(ds: ProfileDataset, system: string, options: ProfileDataOptions = {}): ProfileContext {
  const key = JSON.stringify([system, options.year ?? null, options.indicators ?? null, options.trendIndicators ?? null]);
  let perDs = cache.get(ds);
  if (!perDs) cache.set(ds, (perDs = new Map()));
  const hit = perDs.get(key);
  if (hit) return hit;
  const t0 = performance.now();
  const sys = ds.areaSystems.get(system);
  if (!sys) throw new Error(`invalid area system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  const names = new Map(sys.features.map((f) => [f.id, f.name]));
  let p: ProtectedIndicators;
  let method: ProfileContext["method"];
  const methodNotes: string[] = [];
  let parent: ProfileParent | undefined;
  let noParentNote: string | undefined;
  let inputHidden: Uint8Array | undefined;
  const lastYear = (pr: ProtectedIndicators) => pr.result.years[pr.result.years.length - 1]!;
  if (hasOwnCounts(ds, system)) {
    method = "hierarchy";
    p = protectedIndicatorsFor(ds, system);
    inputHidden = (p as ProtectedResult).inputHidden;
    const up = sys.parent?.system;
    if (up && ds.areaSystems.has(up) && hasOwnCounts(ds, up)) {
      const upSys = ds.areaSystems.get(up)!;
      const pp = protectedIndicatorsFor(ds, up);
      const map = ancestorMap(ds, system, up);
      parent = {
        system: up, label: upSys.label, p: pp, names: new Map(upSys.features.map((f) => [f.id, f.name])), how: "nested",
        of: new Map([...map].map(([a, b]) => [a, { id: b, share: 1 }])),
      };
    } else noParentNote = `„${sys.label}“ ist die oberste Gebietsebene unter der Stadt: Vergleich nur mit dem Stadtwert.`;
  } else {
    method = "crosswalk";
    const v = indicatorsVia(ds, system);
    p = v.protected;
    methodNotes.push(...v.via.notes);
    if (v.via.method === "nested") {
      const joint = jointCountProtection(ds, v.via.from, rulesFromConfig(ds.config));
      if (joint.counts.table.areas.includes(p.result.areas[0]!)) inputHidden = inputHiddenFor(p.result, joint.counts);
    }
    const fine = v.via.from;
    const district = ds.areaSystems.get(fine)?.parent?.system;
    if (district && ds.areaSystems.has(district) && v.via.crosswalk) {
      const dSys = ds.areaSystems.get(district)!;
      const up = ancestorMap(ds, fine, district);
      const fc = countsFor(ds, fine);
      const Y = fc.years.length, V = fc.variables.length, pv = fc.variables.indexOf("pop_total");
      const fy = fc.years.indexOf(options.year ?? lastYear(p));
      const row = new Map(fc.areas.map((a, i) => [a, i]));
      const residents = new Map<string, Map<string, number>>();
      for (const pr of v.via.crosswalk.pairs) {
        const i = row.get(pr.source), d = up.get(pr.source);
        if (i === undefined || d === undefined || pv < 0 || fy < 0) continue;
        const pop = pr.weight * fc.values[(i * Y + fy) * V + pv]!;
        if (!Number.isFinite(pop)) continue;
        const m = residents.get(pr.target) ?? new Map<string, number>();
        m.set(d, (m.get(d) ?? 0) + pop);
        residents.set(pr.target, m);
      }
      const of = new Map<string, { id: string; share: number }>();
      for (const [t, m] of residents) {
        const total = [...m.values()].reduce((s, x) => s + x, 0);
        const best = [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
        if (best && total > 0) of.set(t, { id: best[0], share: best[1] / total });
      }
      parent = { system: district, label: dSys.label, p: protectedIndicatorsFor(ds, district), names: new Map(dSys.features.map((f) => [f.id, f.name])), of, how: "residents" };
    } else noParentNote = `Die Gebiete der Ebene „${sys.label}“ liegen quer zu den Bezirksgrenzen, und es gibt keine Bezirksebene über den Bausteinen: Vergleich nur mit dem Stadtwert.`;
  }
  const r = p.result;
  const year = options.year ?? lastYear(p);
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  const trendYears: number[] = [];
  for (let yy = 0; yy <= y; yy++) if (r.years[yy]! >= year - r.changeYears) trendYears.push(yy);
  const indicators = resolveIndicators(p, options.indicators ?? PROFILE_INDICATORS, !!options.indicators, parent?.p);
  const A = r.areas.length;
  for (const ind of indicators) {
    if (ind.def.kind === "count") continue;
    const vals: number[] = [];
    for (let a = 0; a < A; a++) { const v = publishedValue(p, resultIndex(r, ind.i, a, y)); if (Number.isFinite(v)) vals.push(v); }
    vals.sort((a, b) => a - b);
    ind.spine = { min: vals[0] ?? NaN, q1: quantileSorted(vals, 0.25), q3: quantileSorted(vals, 0.75), max: vals[vals.length - 1] ?? NaN, n: vals.length };
  }
  const trend = resolveIndicators(p, options.trendIndicators ?? PROFILE_TREND_INDICATORS, !!options.trendIndicators, parent?.p).slice(0, options.trendIndicators ? undefined : 4);
  const ctx: ProfileContext = {
    system, sys, p, names, method, methodNotes, year, y, trendYears, indicators, trend, ...(parent ? { parent } : {}), ...(noParentNote ? { noParentNote } : {}),
    ...(inputHidden ? { inputHidden } : {}),
    map: locatorGeometry(sys, 170, 0.7, method === "crosswalk" ? (parent ? ds.areaSystems.get(parent.system) : undefined) : undefined), rulesText: describeRules(p.rules), ...(ds.config.source ? { source: `Quelle: ${ds.config.source}` } : {}),
    datasetName: ds.config.name ?? "", ms: 0,
  };
  ctx.ms = performance.now() - t0;
  perDs.set(key, ctx);
  return ctx;
}
