/**
 * Comparing boundary choices: counts and indicators for any area system (also life-situation
 * areas that do not nest in the statistical hierarchy) by crosswalk from the finest system with
 * counts, and the comparison of a territory's values built from block groups, from the
 * statistical districts it overlaps (what an analyst says with district figures), and as its
 * own area, with classes, ranks and maps of where the picture changes.
 *
 * Every value shown or exported goes through small-number protection (`protectIndicators`
 * with the dataset's rules; the delivered systems through `protectedIndicatorsFor`): values
 * built from a hidden value are hidden too.
 */
import type { DatasetConfig } from "../project/config-types";
import { classify, type Classification } from "../explore/classify";
import { computeIndicators, resultIndex, type CountCube, type IndicatorResult, type ResolvedIndicator } from "../indicators/compute";
import { datasetCatalogue } from "../indicators/dataset";
import type { AreaSystem } from "../load/geometry";
import { polygonsOf } from "../load/geom";
import { PROTECTION_REASON_SYMBOL, ProtectionReason, protectIndicators, type ProtectedIndicators } from "../protect/apply";
import { jointCountProtection, protectedIndicatorsFor } from "../protect/dataset";
import { describeRules, rulesFromConfig } from "../protect/rules";
import { displayValue, symbolFootnotes, type TableSymbol } from "../protect/symbols";
import type { PublishedTable } from "../protect/tables";
import { escapeHtml } from "../present/format";
import { svgChoropleth, type MapArea } from "../present/svg-map";
import { areaCrosswalk, coverage, interpolate, nestedCrosswalk, type Crosswalk } from "./crosswalk";
import { countsFor, nestingPath, type DatasetLike } from "./hierarchy";
import { contiguityWeights } from "../explore/weights";
import { checkZonings, randomZonings, zoningDistribution, zoningGraph, zoningSummary, type ZoningCheck, type ZoningDistribution, type Zonings, type ZoningSummary } from "./zoning";

type DatasetWithConfig = DatasetLike & { config: Pick<DatasetConfig, "rules"> & { source?: string } };

// ---------------------------------------------------------------------------------------------
// Counts and indicators for any system

/** Options of {@link countsVia}. */
export interface CountsViaOptions {
  /** System whose counts are carried over (default: the delivered system with the most areas). */
  from?: string;
  /** A ready crosswalk from `from` to the system (default: nested by geometric containment, children split across targets shared by area). */
  crosswalk?: Crosswalk;
}

/** Result of {@link countsVia}. */
export interface CountsVia {
  system: string;
  /** System the counts come from. */
  from: string;
  /** `"delivered"` (own statistics), `"aggregated"` (summed along the hierarchy) or the crosswalk method. */
  method: "delivered" | "aggregated" | "nested" | "nested+area" | "area" | "population";
  /** Counts on the system's areas (feature order); NaN where nothing could be placed. */
  counts: CountCube;
  crosswalk?: Crosswalk;
  /** Source areas not (fully) placed in any target: share placed and residents not placed (last year). */
  notPlaced: { area: string; placedShare: number; residents: number }[];
  /** Source areas split across several targets (shared by area). */
  split: string[];
  /** Target areas that receive nothing. */
  empty: string[];
  /** What was done, in German, for footnotes. */
  notes: string[];
}

function finestDelivered(ds: DatasetLike): string {
  const s = [...ds.counts.keys()].sort((a, b) => (ds.areaSystems.get(b)?.features.length ?? 0) - (ds.areaSystems.get(a)?.features.length ?? 0))[0];
  if (!s) throw new Error("dataset has no statistics");
  return s;
}

function label(ds: DatasetLike, system: string): string {
  return ds.areaSystems.get(system)?.label ?? system;
}

/**
 * Counts for any area system: as delivered, summed along the hierarchy where the system nests,
 * otherwise carried over from the finest system with counts by a crosswalk — nested where
 * geometric containment holds (Musterstadt's quarters are unions of block groups), area-weighted
 * for source areas split across targets, or any crosswalk passed in (e.g. population-weighted).
 * What could not be placed is reported with its residents.
 *
 * @example
 * const q = countsVia(ds, "quartier");
 * q.method;      // "nested"
 * q.notPlaced;   // block groups outside every quarter
 */
export function countsVia(ds: DatasetLike, system: string, options: CountsViaOptions = {}): CountsVia {
  const target = ds.areaSystems.get(system);
  if (!target) throw new Error(`invalid area system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  if (!options.crosswalk && !options.from) {
    if (ds.counts.has(system)) return { system, from: system, method: "delivered", counts: countsFor(ds, system), notPlaced: [], split: [], empty: [], notes: [] };
    const nests = [...ds.counts.keys()].find((s) => nestingPath(ds, s, system));
    if (nests) return { system, from: nests, method: "aggregated", counts: countsFor(ds, system), notPlaced: [], split: [], empty: [], notes: [`${target.label}: Anzahlen aus ${label(ds, nests)} exakt summiert.`] };
  }
  const from = options.from ?? options.crosswalk?.from.id ?? finestDelivered(ds);
  const source = ds.areaSystems.get(from);
  if (!source) throw new Error(`invalid from: ${JSON.stringify(from)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  if (!ds.counts.has(from) && ![...ds.counts.keys()].some((s) => nestingPath(ds, s, from))) throw new Error(`invalid from: ${JSON.stringify(from)} has no counts (expected a system with statistics)`);
  const cw = options.crosswalk ?? nestedCrosswalk(source, target, { by: "geometry" });
  if (cw.from.id !== from || cw.to.id !== system) throw new Error(`invalid crosswalk: ${cw.from.id} → ${cw.to.id} (expected ${from} → ${system})`);
  const counts = countsFor(ds, from);
  const r = interpolate(counts, cw, { extensive: counts.variables, missingSources: "propagate" });
  // Areas in feature order of the target (crosswalk keys are ids unless duplicated).
  const cov = coverage(cw);
  const Y = counts.years.length, V = counts.variables.length, y = Y - 1;
  const pv = counts.variables.indexOf("pop_total");
  const row = new Map(counts.areas.map((a, i) => [a, i]));
  const notPlaced: CountsVia["notPlaced"] = [];
  for (const [area, share] of cov) {
    if (share >= 1 - 1e-9) continue;
    const i = row.get(area);
    const pop = i === undefined || pv < 0 ? NaN : counts.values[(i * Y + y) * V + pv]!;
    notPlaced.push({ area, placedShare: share, residents: pop * (1 - share) });
  }
  const split = cw.split.map((s) => s.child);
  const method: CountsVia["method"] = cw.method === "nested" ? (split.length ? "nested+area" : "nested") : cw.method;
  const notes: string[] = [];
  const how = method === "nested" ? "vollständig enthaltene Gebiete summiert (Verschneidung der Geometrien)"
    : method === "nested+area" ? `enthaltene Gebiete summiert, ${split.length} geteilte Gebiete nach Flächenanteil aufgeteilt`
    : method === "area" ? "nach Flächenanteilen aufgeteilt" : "nach Einwohneranteilen aufgeteilt";
  notes.push(`${target.label}: Anzahlen aus ${source.label} übertragen, ${how}; Stadtwerte aus allen ${source.label}.`);
  const lost = notPlaced.reduce((s, x) => s + (Number.isFinite(x.residents) ? x.residents : 0), 0);
  if (notPlaced.length) notes.push(`${notPlaced.length} ${source.label} mit zusammen ${Math.round(lost).toLocaleString("de-DE")} Einwohnern (${counts.years[y]}) liegen ganz oder teilweise in keinem Gebiet der ${target.label}.`);
  if (r.targetsWithoutSources.length) notes.push(`Ohne Daten: ${r.targetsWithoutSources.join(", ")}.`);
  return { system, from, method, counts: r.counts, crosswalk: cw, notPlaced, split, empty: r.targetsWithoutSources, notes };
}

/** Options of {@link indicatorsVia}. */
export interface IndicatorsViaOptions extends CountsViaOptions {
  /** Indicator ids (default all the data supports). */
  indicators?: string[];
}

/**
 * Indicators on any area system (see {@link countsVia}) with the same city reference as every
 * other system (the finest delivered counts) and protected with the dataset's rules
 * (minimum population from the carried-over residents).
 *
 * @example
 * const { protected: p, via } = indicatorsVia(ds, "quartier", { indicators: ["child_poverty"] });
 */
export function indicatorsVia(ds: DatasetWithConfig, system: string, options: IndicatorsViaOptions = {}): { result: IndicatorResult; protected: ProtectedIndicators; via: CountsVia } {
  const via = countsVia(ds, system, options);
  const { catalogue, alternatives } = datasetCatalogue(ds.config);
  const reference = countsFor(ds, finestDelivered(ds));
  const result = computeIndicators(via.counts, { indicators: options.indicators, catalogue, alternatives, reference });
  const pv = via.counts.variables.indexOf("pop_total");
  const Y = via.counts.years.length, V = via.counts.variables.length;
  const population = pv < 0 ? undefined : Float64Array.from({ length: result.areas.length * Y }, (_, k) => via.counts.values[k * V + pv]!);
  const rules = rulesFromConfig(ds.config);
  // Quarters made of whole finest areas are rows of the dataset's joint count protection (with
  // the block groups, districts and city), so their tables cannot be subtracted from the others.
  const joint = !options.crosswalk && via.method === "nested" ? jointCountProtection(ds, via.from, rules) : undefined;
  const counts = joint?.overlays.has(system) ? joint.counts : undefined;
  const p = protectIndicators(result, { rules, ...(counts ? { counts } : {}), ...(population ? { population } : {}) });
  if (!counts) p.notes.push(`${label(ds, system)}: nicht gemeinsam mit der Gebietshierarchie geschützt (Gebiete sind keine exakten Summen der ${label(ds, via.from)}).`);
  return { result, protected: p, via };
}

// ---------------------------------------------------------------------------------------------
// Territory comparison

/** Options of {@link compareSystems}. */
export interface CompareOptions {
  /** System of the territories (default: the first system without own counts that does not nest, e.g. life-situation quarters). */
  territories?: string;
  /** Building blocks with counts (default: the delivered system with the most areas). */
  fine?: string;
  /** The statistical districts an analyst would use (default: the parent system of `fine`). */
  districts?: string;
  /** Indicator ids (default: every share and ratio the data supports). */
  indicators?: string[];
  /** Year (default: the last). */
  year?: number;
  /** Crosswalk fine → territories (default: nested by containment, see {@link countsVia}). */
  crosswalk?: Crosswalk;
}

/** One territory and indicator. All values are published values (NaN where hidden). */
export interface ComparisonRow {
  territory: string;
  name: string;
  indicator: string;
  /** (a) from the block groups it consists of / overlaps. */
  fromBlocks: number;
  /** (b) area-weighted mean of the values of the districts it overlaps. */
  fromDistricts: number;
  /** District holding most of the territory's residents, and its value. */
  mainDistrict: string;
  mainDistrictValue: number;
  /** Share of the territory's residents in the main district. */
  mainDistrictShare: number;
  /** (c) its own value: delivered statistics of its own system where there are any, else (a). */
  own: number;
  ownSource: "delivered" | "crosswalk";
  city: number;
  /** (a) − (b). */
  difference: number;
  /** Range of the published block values inside the territory; number of blocks and of published block values. */
  blocks: number;
  blocksPublished: number;
  blocksMin: number;
  blocksMax: number;
  /** Class (1 = lowest) under the district quintile breaks of (a) and (b). */
  classBlocks: number;
  classDistricts: number;
  /** Rank among the territories (1 = highest) of (a) and (b). */
  rankBlocks: number;
  rankDistricts: number;
  /** Display texts with symbols where hidden. */
  display: { fromBlocks: string; fromDistricts: string; mainDistrictValue: string; own: string; difference: string };
}

/** Result of {@link compareSystems}. */
export interface SystemComparison {
  territories: string;
  fine: string;
  districts: string;
  /** German labels of the three systems. */
  labels: { territories: string; fine: string; districts: string };
  year: number;
  indicators: ResolvedIndicator[];
  /** Protected results on the three systems. */
  territory: ProtectedIndicators;
  blocks: ProtectedIndicators;
  district: ProtectedIndicators;
  via: CountsVia;
  /** Per territory: districts it overlaps with share of its area and of its residents. */
  overlaps: Map<string, { district: string; areaShare: number; residentShare: number }[]>;
  /** Per block: its district. */
  districtOf: Map<string, string>;
  /** Per indicator: quintile classification of the published district values. */
  classes: Map<string, Classification | undefined>;
  rows: ComparisonRow[];
  notes: string[];
  rulesText: string;
  source?: string;
}

/**
 * The first system of a dataset that has no counts of its own and does not nest in the
 * hierarchy (life-situation quarters, funding areas), or undefined when there is none.
 *
 * @example
 * territorySystem(ds); // "quartier" (Musterstadt), undefined (Berlin: every system has counts)
 */
export function territorySystem(ds: DatasetLike): string | undefined {
  for (const [id] of ds.areaSystems) {
    if (ds.counts.has(id)) continue;
    if ([...ds.counts.keys()].some((s) => nestingPath(ds, s, id))) continue;
    return id;
  }
  return undefined;
}

function published(p: ProtectedIndicators, k: number): number {
  return p.suppressed[k] ? NaN : p.result.value[k]!;
}

function symbolOf(p: ProtectedIndicators, k: number): TableSymbol {
  if (p.suppressed[k]) return (p.symbol[k] || PROTECTION_REASON_SYMBOL[p.reason[k] as ProtectionReason] || ".") as TableSymbol;
  return (p.symbol[k] || ".") as TableSymbol;
}

function text(p: ProtectedIndicators, k: number, digits: number): string {
  return displayValue(p.result.value[k]!, { suppressed: !!p.suppressed[k], symbol: p.symbol[k] }, { digits }).text;
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? displayValue(v, {}, { digits }).text : ".");

function ranksOf(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v)).sort((a, b) => b[0] - a[0]);
  const out = values.map(() => NaN);
  order.forEach(([v, i], pos) => { out[i] = pos > 0 && order[pos - 1]![0] === v ? out[order[pos - 1]![1]]! : pos + 1; });
  return out;
}

/**
 * Compares the values of every territory (e.g. life-situation quarters) built three ways:
 * (a) from the block groups it consists of (crosswalk), (b) from the statistical districts it
 * overlaps (area-weighted district values: what an analyst would say with district figures;
 * also the main district's value), (c) as its own area (own statistics where delivered, else
 * (a)) — with the differences, the quintile class under the district breaks and the rank among
 * the territories for (a) and (b). Values are published values: hidden inputs hide the results.
 *
 * @example
 * const c = compareSystems(ds, { indicators: ["child_poverty"] });
 * c.rows.find((r) => r.territory === "Q04"); // { fromBlocks: 29.0, fromDistricts: 23.1, mainDistrictValue: 22.6, … }
 */
export function compareSystems(ds: DatasetWithConfig, options: CompareOptions = {}): SystemComparison {
  const territories = options.territories ?? territorySystem(ds);
  if (!territories) throw new Error("invalid territories: the dataset has no area system without own statistics (expected e.g. life-situation quarters); pass { territories }");
  const fine = options.fine ?? finestDelivered(ds);
  const districts = options.districts ?? ds.areaSystems.get(fine)?.parent?.system;
  if (!districts || !ds.areaSystems.has(districts)) throw new Error(`invalid districts: ${JSON.stringify(districts)} (expected an area system above ${fine})`);
  const tSys = ds.areaSystems.get(territories)!, fSys = ds.areaSystems.get(fine)!, dSys = ds.areaSystems.get(districts)!;
  // Indicators: shares and ratios the data supports.
  const probe = indicatorsVia(ds, territories, { from: fine, crosswalk: options.crosswalk, indicators: options.indicators });
  const ids = options.indicators ?? probe.result.definitions.filter((d) => d.kind === "share" || d.kind === "ratio").map((d) => d.id);
  const T = probe.protected;
  const B = protectedIndicatorsFor(ds, fine, { indicators: ids });
  const D = protectedIndicatorsFor(ds, districts, { indicators: ids });
  const own = ds.counts.has(territories) || [...ds.counts.keys()].some((s) => s !== fine && nestingPath(ds, s, territories)) ? protectedIndicatorsFor(ds, territories, { indicators: ids }) : undefined;
  const r = T.result;
  const year = options.year ?? r.years[r.years.length - 1]!;
  const yT = r.years.indexOf(year), yB = B.result.years.indexOf(year), yD = D.result.years.indexOf(year);
  if (yT < 0 || yB < 0 || yD < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  // Which district each block lies in (ids, else the largest overlap).
  const districtOf = new Map<string, string>();
  const nestedFD = nestedCrosswalk(fSys, dSys, { checkGeometry: false });
  for (const pr of nestedFD.pairs) if (!districtOf.has(pr.source) || pr.weight > 0.5) districtOf.set(pr.source, pr.target);
  // Overlaps territory × district: area shares, and resident shares via the blocks.
  const tdArea = areaCrosswalk(tSys, dSys);
  const overlaps = new Map<string, { district: string; areaShare: number; residentShare: number }[]>();
  for (const pr of tdArea.pairs) {
    const l = overlaps.get(pr.source) ?? [];
    l.push({ district: pr.target, areaShare: pr.weight, residentShare: 0 });
    overlaps.set(pr.source, l);
  }
  const fc = countsFor(ds, fine);
  const FY = fc.years.length, FV = fc.variables.length, fy = fc.years.indexOf(year), pv = fc.variables.indexOf("pop_total");
  const fRow = new Map(fc.areas.map((a, i) => [a, i]));
  const tPop = new Map<string, Map<string, number>>();
  for (const pr of probe.via.crosswalk?.pairs ?? []) {
    const i = fRow.get(pr.source);
    const pop = i === undefined || pv < 0 ? 0 : pr.weight * fc.values[(i * FY + fy) * FV + pv]!;
    const d = districtOf.get(pr.source);
    if (!d) continue;
    const m = tPop.get(pr.target) ?? new Map<string, number>();
    m.set(d, (m.get(d) ?? 0) + pop);
    tPop.set(pr.target, m);
  }
  for (const [t, m] of tPop) {
    const total = [...m.values()].reduce((s, x) => s + x, 0);
    const l = overlaps.get(t) ?? [];
    for (const [d, p] of m) {
      const e = l.find((x) => x.district === d);
      if (e) e.residentShare = total > 0 ? p / total : 0;
      else l.push({ district: d, areaShare: 0, residentShare: total > 0 ? p / total : 0 });
    }
    l.sort((a, b) => b.residentShare - a.residentShare || b.areaShare - a.areaShare);
    overlaps.set(t, l);
  }
  const blocksIn = new Map<string, string[]>();
  for (const pr of probe.via.crosswalk?.pairs ?? []) if (pr.weight > 0) { const l = blocksIn.get(pr.target) ?? []; l.push(pr.source); blocksIn.set(pr.target, l); }
  const names = new Map(tSys.features.map((f) => [f.id, f.name]));
  const rows: ComparisonRow[] = [];
  const classes = new Map<string, Classification | undefined>();
  const defs: ResolvedIndicator[] = [];
  for (const id of ids) {
    const i = r.definitions.findIndex((d) => d.id === id), bi = B.result.definitions.findIndex((d) => d.id === id), di = D.result.definitions.findIndex((d) => d.id === id);
    if (i < 0 || bi < 0 || di < 0) continue;
    const def = r.definitions[i]!;
    defs.push(def);
    const dVal = new Map(D.result.areas.map((a, j) => [a, published(D, resultIndex(D.result, di, j, yD))]));
    const dText = new Map(D.result.areas.map((a, j) => [a, text(D, resultIndex(D.result, di, j, yD), def.digits)]));
    const bVal = new Map(B.result.areas.map((a, j) => [a, published(B, resultIndex(B.result, bi, j, yB))]));
    const finiteD = [...dVal.values()].filter(Number.isFinite);
    const cls = finiteD.length >= 5 ? classify(finiteD, { scheme: "quantiles", k: 5 }) : undefined;
    classes.set(id, cls);
    const part: ComparisonRow[] = r.areas.map((t, a) => {
      const k = resultIndex(r, i, a, yT);
      const fromBlocks = published(T, k);
      const ov = overlaps.get(t) ?? [];
      let fromDistricts = 0, wsum = 0, hidden = false;
      for (const o of ov) {
        if (o.areaShare <= 0) continue;
        const v = dVal.get(o.district);
        if (!Number.isFinite(v)) { hidden = true; continue; }
        fromDistricts += o.areaShare * v!;
        wsum += o.areaShare;
      }
      fromDistricts = hidden || wsum === 0 ? NaN : fromDistricts / wsum;
      const main = ov[0]?.district ?? "";
      const mainDistrictValue = dVal.get(main) ?? NaN;
      let ownV = fromBlocks, ownText = text(T, k, def.digits), ownSource: ComparisonRow["ownSource"] = "crosswalk";
      if (own) {
        const oi = own.result.definitions.findIndex((d) => d.id === id), oa = own.result.areas.indexOf(t), oy = own.result.years.indexOf(year);
        if (oi >= 0 && oa >= 0 && oy >= 0) { const ok = resultIndex(own.result, oi, oa, oy); ownV = published(own, ok); ownText = text(own, ok, def.digits); ownSource = "delivered"; }
      }
      const inside = (blocksIn.get(t) ?? []).map((b) => bVal.get(b)).filter((v): v is number => Number.isFinite(v));
      const difference = fromBlocks - fromDistricts;
      return {
        territory: t, name: names.get(t) ?? "", indicator: id, fromBlocks, fromDistricts, mainDistrict: main, mainDistrictValue,
        mainDistrictShare: ov[0]?.residentShare ?? NaN, own: ownV, ownSource, city: r.reference.value[i * r.years.length + yT]!, difference,
        blocks: (blocksIn.get(t) ?? []).length, blocksPublished: inside.length,
        blocksMin: inside.length ? Math.min(...inside) : NaN, blocksMax: inside.length ? Math.max(...inside) : NaN,
        classBlocks: cls && Number.isFinite(fromBlocks) ? cls.classOf(fromBlocks)! + 1 : NaN,
        classDistricts: cls && Number.isFinite(fromDistricts) ? cls.classOf(fromDistricts)! + 1 : NaN,
        rankBlocks: NaN, rankDistricts: NaN,
        display: {
          fromBlocks: text(T, k, def.digits), fromDistricts: Number.isFinite(fromDistricts) ? fmt(fromDistricts, def.digits) : ".",
          mainDistrictValue: dText.get(main) ?? ".", own: ownText, difference: Number.isFinite(difference) ? fmt(difference, def.digits) : ".",
        },
      };
    });
    const ra = ranksOf(part.map((x) => x.fromBlocks)), rb = ranksOf(part.map((x) => x.fromDistricts));
    part.forEach((x, j) => { x.rankBlocks = ra[j]!; x.rankDistricts = rb[j]!; });
    rows.push(...part);
  }
  const rules = T.rules;
  return {
    territories, fine, districts, labels: { territories: tSys.label, fine: fSys.label, districts: dSys.label }, year, indicators: defs, territory: T, blocks: B, district: D, via: probe.via, overlaps, districtOf, classes, rows,
    notes: [...probe.via.notes, ...T.notes], rulesText: describeRules(rules), ...(ds.config.source ? { source: `Quelle: ${ds.config.source}` } : {}),
  };
}

/**
 * The territory with the largest absolute difference between (a) its value from block groups
 * and (b) its value from district figures, for one indicator (published values only).
 *
 * @example
 * largestDifference(c, "child_poverty"); // "Q04"
 */
export function largestDifference(c: SystemComparison, indicator: string): string | undefined {
  let best: ComparisonRow | undefined;
  for (const x of c.rows) if (x.indicator === indicator && Number.isFinite(x.difference) && (!best || Math.abs(x.difference) > Math.abs(best.difference))) best = x;
  return best?.territory;
}

function usedSymbols(texts: string[]): TableSymbol[] {
  const out: TableSymbol[] = [];
  for (const t of texts) {
    if (t === "." || t === "/" || t === "x") out.push(t);
    else if (t.startsWith("(")) out.push("()");
  }
  return out;
}

function defOf(c: SystemComparison, indicator: string): ResolvedIndicator {
  const d = c.indicators.find((x) => x.id === indicator);
  if (!d) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (compared: ${c.indicators.map((x) => x.id).join(", ")})`);
  return d;
}

const cell = (v: number, digits: number): string | number => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : ".");

/**
 * One territory, every compared indicator: (a) from block groups, (b) from district figures
 * (area-weighted and the main district), (c) own value, the city, differences, the range of
 * the block values inside, quintile classes — as a published table (symbols where hidden,
 * rules in the notes).
 *
 * @example
 * tslab.display.html(kr.tableHtml(kr.territoryTable(c, "Q04")));
 */
export function territoryTable(c: SystemComparison, territory: string): PublishedTable {
  const rows = c.rows.filter((x) => x.territory === territory);
  if (!rows.length) throw new Error(`invalid territory: ${JSON.stringify(territory)} (expected one of ${[...new Set(c.rows.map((x) => x.territory))].join(", ")})`);
  const texts: string[] = [];
  const out = rows.map((x) => {
    const def = defOf(c, x.indicator);
    texts.push(x.display.fromBlocks, x.display.fromDistricts, x.display.mainDistrictValue, x.display.own);
    return {
      Indikator: `${def.label} (${def.unit})`,
      "(a) aus Baublöcken": x.display.fromBlocks,
      "(b) aus Bezirkswerten (flächengewichtet)": x.display.fromDistricts,
      [`Hauptbezirk`]: `${x.mainDistrict} (${Math.round(x.mainDistrictShare * 100)} % der Einw.)`,
      "Wert Hauptbezirk": x.display.mainDistrictValue,
      "(c) eigenes Gebiet": x.display.own,
      Stadt: cell(x.city, def.digits),
      "Differenz (a) − (b)": x.display.difference,
      "Differenz (a) − Stadt": Number.isFinite(x.fromBlocks) ? cell(x.fromBlocks - x.city, def.digits) : ".",
      "Spanne der Baublöcke": Number.isFinite(x.blocksMin) ? `${fmt(x.blocksMin, def.digits)} – ${fmt(x.blocksMax, def.digits)} (${x.blocksPublished} von ${x.blocks} veröffentlicht)` : `. (0 von ${x.blocks} veröffentlicht)`,
      "Quintil (a)": Number.isFinite(x.classBlocks) ? x.classBlocks : ".",
      "Quintil (b)": Number.isFinite(x.classDistricts) ? x.classDistricts : ".",
    };
  });
  const name = rows[0]!.name;
  return publishedTable(c, out, `${name} (${territory}) ${c.year}: Werte nach Gebietszuschnitt`, texts, [
    `(a) aus den Anzahlen der ${c.labels.fine}, die das Gebiet bilden (Zähler und Nenner summiert); (b) Werte der überlappenden ${c.labels.districts}, nach Flächenanteil gemittelt — so, wie es mit Bezirkszahlen gesagt würde; Hauptbezirk: Bezirk mit den meisten Einwohnern des Gebiets; (c) eigene Statistik des Gebiets, sonst (a).`,
    "Quintil: Klasse (1 = niedrigste … 5 = höchste) nach den Quintilsgrenzen der Bezirkswerte.",
  ]);
}

/**
 * Every territory for one indicator: (a) from block groups vs (b) from district figures, with
 * difference, classes and ranks among the territories, and whether class or rank changes.
 *
 * @example
 * tslab.display.html(kr.tableHtml(kr.comparisonTable(c, "child_poverty")));
 */
export function comparisonTable(c: SystemComparison, indicator: string): PublishedTable {
  const def = defOf(c, indicator);
  const texts: string[] = [];
  const out = c.rows.filter((x) => x.indicator === indicator).map((x) => {
    texts.push(x.display.fromBlocks, x.display.fromDistricts, x.display.mainDistrictValue);
    return {
      "Gebiet-ID": x.territory, Gebiet: x.name,
      "(a) aus Baublöcken": x.display.fromBlocks,
      "(b) aus Bezirkswerten": x.display.fromDistricts,
      "Differenz (a) − (b)": x.display.difference,
      "Hauptbezirk": x.mainDistrict, "Wert Hauptbezirk": x.display.mainDistrictValue,
      "Rang (a)": Number.isFinite(x.rankBlocks) ? x.rankBlocks : ".", "Rang (b)": Number.isFinite(x.rankDistricts) ? x.rankDistricts : ".",
      "Quintil (a)": Number.isFinite(x.classBlocks) ? x.classBlocks : ".", "Quintil (b)": Number.isFinite(x.classDistricts) ? x.classDistricts : ".",
      "Bild ändert sich": [x.classBlocks !== x.classDistricts ? "Quintil" : "", x.rankBlocks !== x.rankDistricts ? "Rang" : ""].filter(Boolean).join(" und "),
    };
  });
  const city = c.rows.find((x) => x.indicator === indicator)?.city ?? NaN;
  return publishedTable(c, out, `${def.label} ${c.year}: Gebiete aus Baublöcken und aus Bezirkswerten (Stadt: ${fmt(city, def.digits)} ${def.unit})`, texts, [
    `${def.footnote}`,
    "(a) aus den Anzahlen der Baublöcke (Zähler und Nenner summiert); (b) Werte der überlappenden Bezirke, nach Flächenanteil gemittelt. Rang unter den Gebieten (1 = höchster Wert); Quintil nach den Quintilsgrenzen der Bezirkswerte.",
  ]);
}

/** Per block: its value, its district's value, the difference and the quintile class of both. */
export interface BlockDistrictRow {
  block: string;
  district: string;
  value: number;
  districtValue: number;
  difference: number;
  classBlock: number;
  classDistrict: number;
}

/**
 * Block values against the value of the district they lie in (published values; NaN where
 * either is hidden), with the quintile class of both under the district breaks.
 *
 * @example
 * blockDistrictRows(c, "child_poverty").filter((x) => x.classBlock !== x.classDistrict).length;
 */
export function blockDistrictRows(c: SystemComparison, indicator: string): BlockDistrictRow[] {
  defOf(c, indicator);
  const B = c.blocks, D = c.district;
  const bi = B.result.definitions.findIndex((d) => d.id === indicator), di = D.result.definitions.findIndex((d) => d.id === indicator);
  const yB = B.result.years.indexOf(c.year), yD = D.result.years.indexOf(c.year);
  const dVal = new Map(D.result.areas.map((a, j) => [a, published(D, resultIndex(D.result, di, j, yD))]));
  const cls = c.classes.get(indicator);
  return B.result.areas.map((b, j) => {
    const value = published(B, resultIndex(B.result, bi, j, yB));
    const district = c.districtOf.get(b) ?? "";
    const districtValue = dVal.get(district) ?? NaN;
    return {
      block: b, district, value, districtValue, difference: value - districtValue,
      classBlock: cls && Number.isFinite(value) ? cls.classOf(value)! + 1 : NaN,
      classDistrict: cls && Number.isFinite(districtValue) ? cls.classOf(districtValue)! + 1 : NaN,
    };
  });
}

function publishedTable(c: SystemComparison, rows: Record<string, string | number>[], caption: string, texts: string[], notes: string[]): PublishedTable {
  const columns = Object.keys(rows[0] ?? {});
  return {
    rows, columns, digits: {}, caption, system: c.territories, year: c.year,
    notes: [...notes, ...symbolFootnotes(usedSymbols(texts)), c.rulesText, ...c.notes, ...(c.source ? [c.source] : [])],
    protection: { rules: c.rulesText },
  };
}

// ---------------------------------------------------------------------------------------------
// Maps

/** Options of the comparison maps. */
export interface ComparisonMapOptions {
  /** Territory outlined in black (default none). */
  territory?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Title (default: generated). */
  title?: string;
}

/**
 * Outlines of other area systems drawn over an {@link svgChoropleth} map of `areas`, in the
 * same projection (the choropleth's layout: 8 px padding, 190 px legend, title band 34 px).
 */
function withOutlines(svg: string, areas: MapArea[], width: number, titled: boolean, layers: { geometries: MapArea["geometry"][]; stroke: string; strokeWidth: number; dash?: string }[]): string {
  let minX = Infinity, minY = Infinity, maxX = -Infinity;
  let maxY = -Infinity;
  for (const a of areas) for (const poly of polygonsOf(a.geometry)) for (const ring of poly) for (const [x, y] of ring) {
    if (x! < minX) minX = x!; if (x! > maxX) maxX = x!; if (y! < minY) minY = y!; if (y! > maxY) maxY = y!;
  }
  const pad = 8, mapW = width - 190 - 2 * pad;
  const scale = mapW / Math.max(maxX - minX, 1e-9);
  const top = titled ? 34 : pad;
  const px = (x: number) => (pad + (x - minX) * scale).toFixed(1), py = (y: number) => (top + (maxY - y) * scale).toFixed(1);
  const g = layers.map((l) => `<g fill="none" stroke="${l.stroke}" stroke-width="${l.strokeWidth}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ""} pointer-events="none">` +
    l.geometries.map((geom) => `<path d="${polygonsOf(geom).flat().map((r) => "M" + r.map(([x, y]) => `${px(x!)},${py(y!)}`).join("L") + "Z").join("")}"/>`).join("") + `</g>`).join("");
  // After the fills (first </g> closes the area paths).
  const at = svg.indexOf("</g>");
  return at < 0 ? svg : svg.slice(0, at + 4) + g + svg.slice(at + 4);
}

function hiddenLabels(p: ProtectedIndicators, i: number, y: number): Map<string, string> {
  const out = new Map<string, string>();
  const labels: Record<string, string> = { ".": "gesperrt (.)", "/": "nicht sicher genug (/)", x: "nicht sinnvoll (x)" };
  p.result.areas.forEach((id, a) => {
    const k = resultIndex(p.result, i, a, y);
    if (p.suppressed[k]) out.set(id, labels[symbolOf(p, k)] ?? labels["."]!);
  });
  return out;
}

function systemAreas(s: AreaSystem): MapArea[] {
  return s.features.map((f) => ({ id: f.id, name: f.name, geometry: f.projected }));
}

/** Options of the comparison maps. */
export interface ComparisonLevelOptions extends ComparisonMapOptions {
  /**
   * What is coloured: `"territories"` (value (a) of each territory, drawn on its blocks),
   * `"districts"` (the district figures) or `"blocks"` (the block values). Default `"territories"`.
   */
  level?: "territories" | "districts" | "blocks";
}

/** Territory of each block (largest share), from the comparison's crosswalk. */
function territoryOfBlocks(c: SystemComparison): Map<string, string> {
  const best = new Map<string, { t: string; w: number }>();
  for (const p of c.via.crosswalk?.pairs ?? []) if (!best.has(p.source) || p.weight > best.get(p.source)!.w) best.set(p.source, { t: p.target, w: p.weight });
  return new Map([...best].filter(([, v]) => v.w >= 0.5).map(([k, v]) => [k, v.t]));
}

/**
 * One indicator on one of the three levels, all with the same classes (quintile breaks of the
 * district figures), the district outlines (grey, dashed) and the territory outlines (black;
 * the chosen territory thicker): drawn side by side, the district map and the territory map
 * show where the picture changes. Hidden values are hatched with their own legend entry. A
 * standalone SVG marked as protected (`data-kr-protection`), ready for `writeOutput`.
 *
 * @example
 * writeOutput("04-gebietsvergleich", "quartiere.svg", comparisonMapSvg(ds, c, "child_poverty", { territory: "Q04" }));
 */
export function comparisonMapSvg(ds: DatasetLike, c: SystemComparison, indicator: string, options: ComparisonLevelOptions = {}): string {
  const def = defOf(c, indicator);
  const level = options.level ?? "territories";
  if (!["territories", "districts", "blocks"].includes(level)) throw new Error(`invalid level: ${JSON.stringify(level)} (expected "territories", "districts" or "blocks")`);
  const fSys = ds.areaSystems.get(c.fine)!, dSys = ds.areaSystems.get(c.districts)!, tSys = ds.areaSystems.get(c.territories)!;
  const t = options.territory ? tSys.features.find((f) => f.id === options.territory) : undefined;
  if (options.territory && !t) throw new Error(`invalid territory: ${JSON.stringify(options.territory)} (not in ${c.territories})`);
  const width = options.width ?? 640;
  let areas: MapArea[], values: Map<string, number>, hidden: Map<string, string>, what: string;
  if (level === "districts") {
    const D = c.district, di = D.result.definitions.findIndex((d) => d.id === indicator), y = D.result.years.indexOf(c.year);
    areas = systemAreas(dSys);
    values = new Map(D.result.areas.map((a, j) => [a, published(D, resultIndex(D.result, di, j, y))]));
    hidden = hiddenLabels(D, di, y);
    what = dSys.label;
  } else if (level === "blocks") {
    const B = c.blocks, bi = B.result.definitions.findIndex((d) => d.id === indicator), y = B.result.years.indexOf(c.year);
    areas = systemAreas(fSys);
    values = new Map(B.result.areas.map((a, j) => [a, published(B, resultIndex(B.result, bi, j, y))]));
    hidden = hiddenLabels(B, bi, y);
    what = fSys.label;
  } else {
    const T = c.territory, ti = T.result.definitions.findIndex((d) => d.id === indicator), y = T.result.years.indexOf(c.year);
    const tv = new Map(T.result.areas.map((a, j) => [a, published(T, resultIndex(T.result, ti, j, y))]));
    const th = hiddenLabels(T, ti, y);
    const of = territoryOfBlocks(c);
    areas = systemAreas(fSys);
    values = new Map();
    hidden = new Map();
    for (const a of areas) {
      const tt = of.get(a.id);
      if (tt === undefined) { hidden.set(a.id, "in keinem Gebiet"); continue; }
      a.name = `${tSys.features.find((f) => f.id === tt)?.name ?? tt} (${tt})`;
      if (th.has(tt)) hidden.set(a.id, th.get(tt)!); else values.set(a.id, tv.get(tt)!);
    }
    what = `${tSys.label} (aus ${fSys.label})`;
  }
  const title = options.title ?? `${def.label} ${c.year}: ${what}`;
  const svg = svgChoropleth(areas, values, {
    title, width, legendTitle: `${def.label} (${def.unit})`, digits: def.digits, classification: c.classes.get(indicator),
    hiddenLabels: hidden, source: c.source,
    notes: [`Klassen: Quintilsgrenzen der ${dSys.label}. Gestrichelt: ${dSys.label}; schwarz: ${tSys.label}${t ? `, dick: ${t.name || t.id}` : ""}.`, c.rulesText],
    attributes: { "data-kr-protection": "geschuetzt", "data-kr-indicator": def.id, "data-kr-year": String(c.year), "data-kr-system": level === "districts" ? c.districts : level === "blocks" ? c.fine : c.territories },
  });
  return withOutlines(svg, areas, width, true, [
    { geometries: dSys.features.map((f) => f.projected), stroke: "#555", strokeWidth: 1.2, dash: "4 3" },
    { geometries: tSys.features.map((f) => f.projected), stroke: "#000", strokeWidth: 1.4 },
    ...(t ? [{ geometries: [t.projected], stroke: "#000", strokeWidth: 3.2 }] : []),
  ]);
}

/**
 * Difference to the district figure on a diverging scale: per territory (a) − (b)
 * (`level: "territories"`, default), or per block its value minus its district's value
 * (`level: "blocks"`). Red: the district figure understates; blue: it overstates. Hidden
 * where either value is hidden. Standalone SVG, marked as protected.
 *
 * @example
 * tslab.display.html(kr.differenceMapSvg(ds, c, "child_poverty", { territory: "Q04" }));
 */
export function differenceMapSvg(ds: DatasetLike, c: SystemComparison, indicator: string, options: ComparisonLevelOptions = {}): string {
  const def = defOf(c, indicator);
  const level = options.level ?? "territories";
  if (level !== "territories" && level !== "blocks") throw new Error(`invalid level: ${JSON.stringify(level)} (expected "territories" or "blocks")`);
  const fSys = ds.areaSystems.get(c.fine)!, dSys = ds.areaSystems.get(c.districts)!, tSys = ds.areaSystems.get(c.territories)!;
  const values = new Map<string, number>();
  const hidden = new Map<string, string>();
  const areas = systemAreas(fSys);
  if (level === "blocks") {
    for (const x of blockDistrictRows(c, indicator)) {
      if (Number.isFinite(x.difference)) values.set(x.block, x.difference); else hidden.set(x.block, "Wert gesperrt oder fehlend");
    }
  } else {
    const of = territoryOfBlocks(c);
    const diff = new Map(c.rows.filter((x) => x.indicator === indicator).map((x) => [x.territory, x.difference]));
    for (const a of areas) {
      const tt = of.get(a.id);
      if (tt === undefined) { hidden.set(a.id, "in keinem Gebiet"); continue; }
      a.name = `${tSys.features.find((f) => f.id === tt)?.name ?? tt} (${tt})`;
      const d = diff.get(tt);
      if (Number.isFinite(d)) values.set(a.id, d!); else hidden.set(a.id, "Wert gesperrt oder fehlend");
    }
  }
  const m = Math.max(1, ...[...values.values()].map(Math.abs));
  const step = Math.max(0.5, Math.ceil(m / 3));
  const breaks = [-1.5 * step, -0.5 * step, 0.5 * step, 1.5 * step, Math.max(m, 1.5 * step) + 1e-9];
  const width = options.width ?? 640;
  const t = options.territory ? tSys.features.find((f) => f.id === options.territory) : undefined;
  const unit = def.unit === "%" ? "Prozentpunkte" : def.unit;
  const svg = svgChoropleth(areas, values, {
    title: options.title ?? `${def.label} ${c.year}: ${level === "blocks" ? `${fSys.label} minus ihr Bezirk` : `${tSys.label} (a) minus Bezirkswerte (b)`}`,
    width, legendTitle: `Differenz (${unit})`, digits: def.digits,
    scheme: "manual", breaks, palette: ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"], hiddenLabels: hidden, source: c.source,
    notes: [`Rot: höher, als der Bezirkswert sagt; blau: niedriger. Gestrichelt: ${dSys.label}; schwarz: ${tSys.label}${t ? `, dick: ${t.name || t.id}` : ""}.`, c.rulesText],
    attributes: { "data-kr-protection": "geschuetzt", "data-kr-indicator": def.id, "data-kr-year": String(c.year), "data-kr-system": level === "blocks" ? c.fine : c.territories, "data-kr-measure": "difference-to-district" },
  });
  return withOutlines(svg, areas, width, true, [
    { geometries: dSys.features.map((f) => f.projected), stroke: "#555", strokeWidth: 1.2, dash: "4 3" },
    { geometries: tSys.features.map((f) => f.projected), stroke: "#000", strokeWidth: 1.4 },
    ...(t ? [{ geometries: [t.projected], stroke: "#000", strokeWidth: 3.2 }] : []),
  ]);
}

/** Several SVG maps side by side (wrapping), with a caption, as HTML for notebooks. */
export function mapRowHtml(svgs: string[], caption = ""): string {
  return `<figure style="margin:0"><div style="display:flex;flex-wrap:wrap;gap:8px">${svgs.map((s) => `<div style="flex:0 0 auto;max-width:100%">${s}</div>`).join("")}</div>` +
    (caption ? `<figcaption style="font-size:85%;color:#444;max-width:960px">${escapeHtml(caption)}</figcaption>` : "") + `</figure>`;
}

// ---------------------------------------------------------------------------------------------
// MAUP experiment on a dataset

/** Options of {@link maupExperiment}. */
export interface MaupOptions {
  /** Building blocks (default: the delivered system with the most areas). */
  system?: string;
  /** Indicator id (a share or ratio). Required. */
  indicator: string;
  /** Regions per zoning (default: the number of areas of the blocks' parent system, else blocks / 15). */
  regions?: number;
  /** Number of zonings (default 1000). */
  zonings?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Year (default: the last). */
  year?: number;
  /** Population bounds (defaults of `randomZonings`: 40 % and 250 % of the mean region). */
  minPopulation?: number;
  maxPopulation?: number;
  /** Zonings checked for partition and contiguity (default 100, spread evenly). */
  checkSample?: number;
}

/** Result of {@link maupExperiment}. */
export interface MaupExperiment {
  system: string;
  indicator: ResolvedIndicator;
  year: number;
  zonings: Zonings;
  distribution: ZoningDistribution;
  summary: ZoningSummary;
  check: ZoningCheck;
  /** The blocks' own values, protected. */
  blocks: ProtectedIndicators;
  /** Published table per block: own value (symbol where hidden), region values min/quartiles/max, share top quintile. */
  table: PublishedTable;
  /** Milliseconds for zonings and distribution. */
  ms: { zonings: number; distribution: number };
}

/**
 * The MAUP experiment for a dataset: `zonings` random contiguous zonings of the blocks (queen
 * contiguity, population bounds, see `randomZonings`) and per block the distribution of the
 * indicator value of the region it falls in (summed counts per region), next to its own
 * (protected) value. Region values are aggregates of at least `minPopulation` residents.
 *
 * @example
 * const m = maupExperiment(ds, { indicator: "child_poverty", regions: 17, zonings: 1000 });
 * tslab.display.html(kr.tableHtml(m.table));
 */
/**
 * What a zoning experiment needs per building block of `sys`, in feature order: the protected
 * indicator (a share or ratio), residents, numerator and denominator in `year` (default: last).
 *
 * @example
 * const { ids, pop, num, den } = zoningInputs(ds, ds.areaSystems.get("bbg")!, "child_poverty");
 */
export function zoningInputs(ds: DatasetWithConfig, sys: AreaSystem, indicator: string, year?: number) {
  const P = protectedIndicatorsFor(ds, sys.id, { indicators: [indicator] });
  const r = P.result;
  const def = r.definitions[0]!;
  if (def.kind !== "share" && def.kind !== "ratio") throw new Error(`invalid indicator: ${def.id} is a ${def.kind} (expected a share or ratio)`);
  const yr = year ?? r.years[r.years.length - 1]!;
  const y = r.years.indexOf(yr);
  if (y < 0) throw new Error(`invalid year: ${yr} (expected one of ${r.years.join(", ")})`);
  const counts = countsFor(ds, sys.id);
  const cy = counts.years.indexOf(yr), pv = counts.variables.indexOf("pop_total");
  const row = new Map(counts.areas.map((a, i) => [a, i]));
  const rRow = new Map(r.areas.map((a, i) => [a, i]));
  const ids = sys.features.map((f) => f.id);
  const pop = ids.map((id) => { const i = row.get(id); const v = i === undefined || pv < 0 ? 0 : counts.values[(i * counts.years.length + cy) * counts.variables.length + pv]!; return Number.isFinite(v) ? v : 0; });
  const num = ids.map((id) => { const a = rRow.get(id); return a === undefined ? NaN : r.numerator[resultIndex(r, 0, a, y)]!; });
  const den = ids.map((id) => { const a = rRow.get(id); return a === undefined ? NaN : r.denominator[resultIndex(r, 0, a, y)]!; });
  return { P, r, def, year: yr, y, ids, pop, num, den };
}

export function maupExperiment(ds: DatasetWithConfig, options: MaupOptions): MaupExperiment {
  const system = options.system ?? finestDelivered(ds);
  const sys = ds.areaSystems.get(system);
  if (!sys) throw new Error(`invalid system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  const { P, r, def, year, y, ids, pop, num, den } = zoningInputs(ds, sys, options.indicator, options.year);
  const rRow = new Map(r.areas.map((a, i) => [a, i]));
  const parent = sys.parent?.system ? ds.areaSystems.get(sys.parent.system) : undefined;
  const regions = options.regions ?? (parent ? parent.features.length : Math.max(1, Math.round(ids.length / 15)));
  const graph = zoningGraph(contiguityWeights(sys.features));
  let t = performance.now();
  const z = randomZonings(graph, pop, { regions, zonings: options.zonings ?? 1000, seed: options.seed ?? 1, minPopulation: options.minPopulation, maxPopulation: options.maxPopulation });
  const msZ = performance.now() - t;
  t = performance.now();
  const d = zoningDistribution(z, num, den, { factor: def.factor });
  const msD = performance.now() - t;
  const sample = Math.min(z.count, options.checkSample ?? 100);
  const check = checkZonings(z, graph, Array.from({ length: sample }, (_, i) => Math.floor((i * z.count) / sample)));
  const summary = zoningSummary(z);
  const texts: string[] = [];
  const rowsOut = ids.map((id, i) => {
    const a = rRow.get(id);
    const own = a === undefined ? "." : text(P, resultIndex(r, 0, a, y), def.digits);
    texts.push(own);
    return {
      "Gebiet-ID": id, Gebiet: sys.features[i]!.name,
      "eigener Wert": own,
      "Region: Minimum": cell(d.min[i]!, def.digits), "1. Quartil": cell(d.q1[i]!, def.digits), Median: cell(d.median[i]!, def.digits),
      "3. Quartil": cell(d.q3[i]!, def.digits), Maximum: cell(d.max[i]!, def.digits),
      "Spanne": cell(d.max[i]! - d.min[i]!, def.digits),
      "Anteil Zuschnitte im obersten Quintil (%)": cell(100 * d.topShare[i]!, 0),
    };
  });
  const table: PublishedTable = {
    rows: rowsOut, columns: Object.keys(rowsOut[0] ?? {}), digits: {}, system, year,
    caption: `${def.label} ${year}: Werte der Region, der ein Gebiet in ${z.count.toLocaleString("de-DE")} zufälligen Zuschnitten angehört`,
    notes: [
      def.footnote,
      `${z.count.toLocaleString("de-DE")} zufällige zusammenhängende Zuschnitte der ${sys.label} in je ${summary.regions.min}–${summary.regions.max} Regionen (Ziel ${regions}; Einwohner je Region mindestens ${Math.round(summary.minPopulation).toLocaleString("de-DE")}, höchstens ${Math.round(summary.maxPopulation).toLocaleString("de-DE")}; Startwert ${z.options.seed}). Regionswerte aus summierten Anzahlen; oberstes Quintil: die 20 % der Regionen eines Zuschnitts mit den höchsten Werten.`,
      ...symbolFootnotes(usedSymbols(texts)), describeRules(P.rules), ...(ds.config.source ? [`Quelle: ${ds.config.source}`] : []),
    ],
    protection: { rules: describeRules(P.rules) },
  };
  return { system, indicator: def, year, zonings: z, distribution: d, summary, check, blocks: P, table, ms: { zonings: msZ, distribution: msD } };
}

/**
 * A map of the MAUP experiment: per block the spread of its region values (`"range"`: max − min,
 * default), the `"median"`, or the share of zonings in which it lies in the top quintile
 * (`"topShare"`, %). Standalone SVG, marked as protected (region values only).
 *
 * @example
 * tslab.display.html(kr.maupMapSvg(ds, m, "range"));
 */
export function maupMapSvg(ds: DatasetLike & { config?: { source?: string } }, m: MaupExperiment, measure: "range" | "median" | "topShare" = "range", options: { width?: number } = {}): string {
  const sys = ds.areaSystems.get(m.system)!;
  const d = m.distribution;
  const values = new Map(d.ids.map((id, i) => [id, measure === "range" ? d.max[i]! - d.min[i]! : measure === "median" ? d.median[i]! : 100 * d.topShare[i]!]));
  const def = m.indicator;
  const what = measure === "range" ? `Spanne der Regionswerte (${def.unit === "%" ? "Prozentpunkte" : def.unit})` : measure === "median" ? `Median der Regionswerte (${def.unit})` : "Zuschnitte im obersten Quintil (%)";
  return svgChoropleth(systemAreas(sys), values, {
    title: `${def.label} ${m.year}: ${what.replace(/ \(.*\)$/, "")}`, width: options.width ?? 640, legendTitle: what, digits: measure === "topShare" ? 0 : def.digits,
    scheme: measure === "topShare" ? "manual" : "quantiles", ...(measure === "topShare" ? { breaks: [0, 25, 50, 75, 100] } : {}),
    source: ds.config?.source ? `Quelle: ${ds.config.source}` : undefined,
    notes: [`${m.zonings.count.toLocaleString("de-DE")} zufällige zusammenhängende Zuschnitte in ${m.summary.regions.min}–${m.summary.regions.max} Regionen; Regionswerte aus summierten Anzahlen von mindestens ${Math.round(m.summary.minPopulation).toLocaleString("de-DE")} Einwohnern je Region.`],
    attributes: { "data-kr-protection": "geschuetzt", "data-kr-indicator": def.id, "data-kr-year": String(m.year), "data-kr-system": m.system, "data-kr-measure": `maup-${measure}` },
  });
}
