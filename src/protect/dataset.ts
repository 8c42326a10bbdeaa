/**
 * Protection for a loaded dataset in one call: the indicators of an area system (as
 * `indicatorsFor`) with the dataset's rules (`rules.protection` of the configuration, default
 * the `standard` preset) and count protection over the whole nested hierarchy the system lies
 * in — from the finest delivered area system up through every parent system to the city.
 *
 * The count protection is computed once per dataset and rules and shared by every area system
 * of the chain, so that a table of statistical districts and a table of block groups published
 * side by side cannot be subtracted from each other to recover a hidden cell.
 */
import type { DatasetConfig } from "../project/config-types";
import { ancestorMap, areaNames, countsFor, nestingPath, type DatasetLike } from "../areas/hierarchy";
import type { ComputeOptions, CountCube, IndicatorResult } from "../indicators/compute";
import { indicatorsFor } from "../indicators/dataset";
import { protectCounts, protectIndicators, ProtectionReason, type ProtectedCounts, type ProtectedIndicators } from "./apply";
import { resolveRules, rulesFromConfig, type CountRule, type PresetName, type ProtectionInput, type ProtectionRules } from "./rules";
import { stackHierarchy, type Relation } from "./suppress";
import { nestedCrosswalk } from "../areas/crosswalk";

type DatasetWithConfig = DatasetLike & { config: Pick<DatasetConfig, "rules"> & { source?: string; name?: string } };

/** Count protection of a dataset's nested hierarchy (see {@link protectedCountsFor}). */
export interface DatasetCountProtection {
  /** The protected table: every level of the chain in one table, the finest first, then the overlay areas (quarters), the city (`"Stadt"`) last. */
  counts: ProtectedCounts;
  /** The systems of the chain, finest first (e.g. `["bbg", "statbez", "stbz"]`). */
  systems: string[];
  /** Area system of every area of the stacked table (`"Stadt"` for the city). */
  systemOf: Map<string, string>;
  /** Parent of every area (the top level's parent is `"Stadt"`). */
  parentOf: Map<string, string>;
  /**
   * Area systems outside the chain whose areas are exact unions of the finest areas (e.g.
   * Musterstadt's life-situation quarters made of block groups): their areas are rows of the
   * same protected table (`systemOf` names their system), with the relation area = Σ its finest
   * areas, so a quarter table published beside the block-group table cannot be subtracted
   * from it. Per system: area → its finest areas.
   */
  overlays: Map<string, Map<string, string[]>>;
}

/** Options of {@link protectedIndicatorsFor}. */
export interface ProtectedIndicatorsForOptions extends ComputeOptions {
  /** Rules (default: `rules.protection` of the dataset configuration, else the `standard` preset). */
  rules?: ProtectionInput | PresetName | ProtectionRules;
}

/**
 * A protected indicator result of one area system of a dataset: the flags of
 * `protectIndicators`, plus what tables, maps and exports need.
 */
export interface ProtectedResult extends ProtectedIndicators {
  /** Area system id of the result's areas. */
  system: string;
  /** Area names by id. */
  names: Map<string, string>;
  /** Count protection the indicator protection rests on. */
  countProtection: DatasetCountProtection;
  /** `[indicator][area][year]`: 1 where an input count (numerator or denominator variable) is suppressed in the count table. */
  inputHidden: Uint8Array;
  /** Source line of the dataset (`Quelle: …`), if the configuration has one. */
  source?: string;
}

/** Whether an object is a protected indicator result (from `protectIndicators` or {@link protectedIndicatorsFor}). */
export function isProtected(x: unknown): x is ProtectedIndicators {
  return typeof x === "object" && x !== null && "result" in x && "suppressed" in x && "symbol" in x && "rules" in x;
}

const cache = new WeakMap<object, Map<string, DatasetCountProtection>>();

/** The delivered system with the most areas that nests in `system` (or is it). */
function finestFor(ds: DatasetLike, system: string): string {
  const candidates = [...ds.counts.keys()].filter((s) => nestingPath(ds, s, system));
  if (!candidates.length) throw new Error(`no statistics for area system ${JSON.stringify(system)} and none from a system that nests in it; use a crosswalk for life-situation areas`);
  return candidates.sort((a, b) => ds.areaSystems.get(b)!.features.length - ds.areaSystems.get(a)!.features.length)[0]!;
}

/** `system` and every parent system above it. */
function upwards(ds: DatasetLike, system: string): string[] {
  const out = [system];
  let at = ds.areaSystems.get(system);
  while (at?.parent?.system && !out.includes(at.parent.system) && ds.areaSystems.has(at.parent.system)) {
    out.push(at.parent.system);
    at = ds.areaSystems.get(at.parent.system);
  }
  return out;
}

/**
 * Count rules where a count indicator's own threshold is stricter than its variable's: the
 * variable gets the stricter rule, so the count table and the indicator agree on every level.
 */
function countRulesForIndicators(rules: ProtectionRules, result?: IndicatorResult): ProtectionRules {
  if (!result || rules.disabled) return rules;
  const variables: Record<string, CountRule> = { ...rules.variables };
  let changed = false;
  for (const def of result.definitions) {
    const own = rules.indicators[def.id]?.counts;
    if (def.kind !== "count" || !own || def.numeratorVariables.length !== 1) continue;
    const v = def.numeratorVariables[0]!;
    const cur = variables[v] ?? rules.counts;
    if (own.threshold > cur.threshold || (own.zeros === "suppress" && cur.zeros !== "suppress")) {
      variables[v] = { threshold: Math.max(own.threshold, cur.threshold), zeros: own.zeros === "suppress" ? "suppress" : cur.zeros };
      changed = true;
    }
  }
  return changed ? { ...rules, variables } : rules;
}

/**
 * Count protection of the nested hierarchy `system` belongs to: the finest delivered counts
 * that nest in it, stacked with every system above (parents up to the top of the chain) and
 * the city, protected with `protectCounts` (primary by the count rules, secondary over the
 * hierarchy and the age-band sums until the audit recovers nothing). Cached per dataset and rules.
 *
 * @example
 * const c = protectedCountsFor(ds, "statbez");
 * c.systems; // ["bbg", "statbez", "stbz"]
 * publishedCounts(c.counts); // every level, suppressed cells NaN
 */
export function protectedCountsFor(ds: DatasetWithConfig, system: string, rules?: ProtectionInput | PresetName | ProtectionRules): DatasetCountProtection {
  const r = rules === undefined ? rulesFromConfig(ds.config) : resolveRules(rules);
  const finest = finestFor(ds, system);
  const systems = upwards(ds, finest);
  const key = JSON.stringify([systems, r]);
  let perDs = cache.get(ds);
  if (!perDs) cache.set(ds, (perDs = new Map()));
  const hit = perDs.get(key);
  if (hit) return hit;
  const base: CountCube = countsFor(ds, finest);
  const levels = systems.slice(0, -1).map((s, i) => ancestorMap(ds, s, systems[i + 1]!));
  const stacked = stackHierarchy({ areas: base.areas, years: base.years, variables: base.variables, values: base.values }, levels);
  const systemOf = new Map<string, string>();
  for (const [id, level] of stacked.level) systemOf.set(id, systems[level] ?? "Stadt");
  // Systems made of the finest areas (quarters): rows appended to the same table, with their relations.
  const overlays = overlaySystems(ds, finest, systems, systemOf);
  const t = stacked.table;
  const YV = t.years.length * t.variables.length;
  const row = new Map(t.areas.map((id, i) => [id, i]));
  const extra: string[] = [];
  const extraValues: number[] = [];
  const relations: Relation[] = [];
  // Overlay rows go before the city row, which stays last.
  const cityLast = t.areas[t.areas.length - 1] === "Stadt" ? 1 : 0;
  const before = t.areas.length - cityLast;
  for (const [sys, areas] of overlays) {
    for (const [id, parts] of areas) {
      const at = before + extra.length;
      extra.push(id);
      systemOf.set(id, sys);
      const partRows = parts.map((p) => row.get(p)!);
      for (let j = 0; j < YV; j++) {
        let sum = 0;
        for (const pr of partRows) sum += t.values[pr * YV + j]!;
        extraValues.push(sum);
        relations.push({ total: at * YV + j, parts: partRows.map((pr) => pr * YV + j), label: `${id} = Σ ${finest}` });
      }
    }
  }
  const table: CountCube = extra.length
    ? {
      areas: [...t.areas.slice(0, before), ...extra, ...t.areas.slice(before)], years: t.years, variables: t.variables,
      values: Float64Array.from([...t.values.subarray(0, before * YV), ...extraValues, ...t.values.subarray(before * YV)]),
    }
    : t;
  const counts = protectCounts(table, { parentOf: stacked.parentOf, relations }, r);
  const out: DatasetCountProtection = { counts, systems, systemOf, parentOf: stacked.parentOf, overlays };
  perDs.set(key, out);
  return out;
}

/**
 * Area systems without own statistics that are not in the chain but whose every area is an
 * exact union of finest areas (nested by geometric containment, no finest area split), with
 * ids distinct from the chain's. Systems with split areas are estimates (area shares), not
 * sums, and are left out.
 */
const overlayCache = new WeakMap<object, Map<string, Map<string, Map<string, string[]>>>>();

function overlaySystems(ds: DatasetLike, finest: string, chain: readonly string[], taken: ReadonlyMap<string, string>): Map<string, Map<string, string[]>> {
  // The geometry is the same whatever the rules: one crosswalk per dataset and finest system.
  let perDs = overlayCache.get(ds);
  if (!perDs) overlayCache.set(ds, (perDs = new Map()));
  const hit = perDs.get(finest);
  if (hit) return hit;
  const out = new Map<string, Map<string, string[]>>();
  perDs.set(finest, out);
  const source = ds.areaSystems.get(finest);
  if (!source) return out;
  for (const [id, sys] of ds.areaSystems) {
    if (chain.includes(id) || ds.counts.has(id) || [...ds.counts.keys()].some((c) => nestingPath(ds, c, id))) continue;
    if (sys.features.some((f) => taken.has(f.id)) || new Set(sys.features.map((f) => f.id)).size !== sys.features.length) continue;
    let cw;
    try { cw = nestedCrosswalk(source, sys, { by: "geometry" }); } catch { continue; }
    if (cw.split.length) continue;
    const areas = new Map<string, string[]>();
    const known = new Set(source.features.map((f) => f.id));
    if (cw.pairs.some((pair) => !known.has(pair.source) || pair.weight < 1 - 1e-6)) continue;
    for (const pair of cw.pairs) {
      let l = areas.get(pair.target);
      if (!l) areas.set(pair.target, (l = []));
      l.push(pair.source);
    }
    if (areas.size) out.set(id, areas);
  }
  return out;
}

const fullResults = new WeakMap<object, Map<string, IndicatorResult>>();

/**
 * The count protection every published table of `system`'s hierarchy shares: {@link
 * protectedCountsFor} with the rules made stricter where a count indicator of the dataset's
 * whole catalogue has its own threshold — the same whatever subset of indicators a caller
 * computes, so that all tables (and the quarters joined to the hierarchy) rest on one pattern.
 *
 * @example
 * const c = jointCountProtection(ds, "bbg", rulesFromConfig(ds.config));
 * c.overlays.get("quartier"); // quarter → its block groups, protected in the same table
 */
export function jointCountProtection(ds: DatasetWithConfig, system: string, rules: ProtectionRules): DatasetCountProtection {
  const finest = finestFor(ds, system);
  let perDs = fullResults.get(ds);
  if (!perDs) fullResults.set(ds, (perDs = new Map()));
  let full = perDs.get(finest);
  if (!full) perDs.set(finest, (full = indicatorsFor(ds, finest)));
  return protectedCountsFor(ds, system, countRulesForIndicators(rules, full));
}

/**
 * Computes the indicators of an area system (as `indicatorsFor`) and protects them with the
 * dataset's rules: count protection over the hierarchy (finest delivered system → the system →
 * its parents → city, see {@link protectedCountsFor}), then `protectIndicators` with those
 * counts (suppressed inputs suppress the values built from them) and the system's residents
 * for the minimum-population rule. The result feeds `protectedTable`, `indicatorMap`,
 * `writeTable`, `writeMap` and `reliabilitySentence`.
 *
 * Switching protection off needs `rules: { disable: true, reason: "…" }` (or the same under
 * `rules.protection` in the configuration); the reason travels into every output's notes.
 *
 * @example
 * const p = kr.protectedIndicatorsFor(ds, kr.mainSystem(ds));
 * tslab.display.html(kr.tableHtml(kr.protectedTable(p, { indicators: ["child_poverty"] })));
 */
export function protectedIndicatorsFor(ds: DatasetWithConfig, system: string, options: ProtectedIndicatorsForOptions = {}): ProtectedResult {
  const { rules: rulesInput, ...compute } = options;
  const rules = rulesInput === undefined ? rulesFromConfig(ds.config) : resolveRules(rulesInput);
  const result = indicatorsFor(ds, system, compute);
  const countProtection = jointCountProtection(ds, system, rules);
  // Residents of the result's own areas (summed as the indicators are) for the 300-residents rule.
  const own = countsFor(ds, system);
  const pv = own.variables.indexOf("pop_total");
  const A = result.areas.length, Y = result.years.length;
  const ownArea = new Map(own.areas.map((id, i) => [id, i]));
  const population = pv < 0 ? undefined : Float64Array.from({ length: A * Y }, (_, k) => {
    const a = ownArea.get(result.areas[Math.floor(k / Y)]!), y = own.years.indexOf(result.years[k % Y]!);
    return a === undefined || y < 0 ? NaN : own.values[(a * own.years.length + y) * own.variables.length + pv]!;
  });
  const p = protectIndicators(result, { rules, counts: countProtection.counts, ...(population ? { population } : {}) });
  // Which cells have a suppressed input (numerator or denominator variable).
  const c = countProtection.counts;
  const cArea = new Map(c.table.areas.map((id, i) => [id, i]));
  const V = c.table.variables.length, CY = c.table.years.length;
  const inputHidden = new Uint8Array(p.suppressed.length);
  result.definitions.forEach((def, i) => {
    const vars = [...def.numeratorVariables, ...def.denominatorVariables].map((v) => c.table.variables.indexOf(v)).filter((v) => v >= 0);
    result.areas.forEach((id, a) => {
      const ca = cArea.get(id);
      result.years.forEach((yr, y) => {
        const cy = c.table.years.indexOf(yr);
        if (ca === undefined || cy < 0) return;
        if (vars.some((v) => c.suppressed[(ca * CY + cy) * V + v])) inputHidden[(i * A + a) * Y + y] = 1;
      });
    });
  });
  const cfg = ds.config as { source?: string };
  return { ...p, system, names: areaNames(ds, system), countProtection, inputHidden, ...(cfg.source ? { source: `Quelle: ${cfg.source}` } : {}) };
}

/**
 * The reason of a hidden cell as it may be published: confidential reasons (small count,
 * secondary suppression, suppressed input) all read "Geheimhaltung", so a reader cannot tell a
 * small cell from its complement; reliability reasons name the rule.
 *
 * @example
 * publicReason(ProtectionReason.Secondary); // "gesperrt (Geheimhaltung)"
 */
export function publicReason(reason: ProtectionReason): string {
  switch (reason) {
    case ProtectionReason.SmallCount: case ProtectionReason.Zero: case ProtectionReason.Secondary:
    case ProtectionReason.SmallNumerator: case ProtectionReason.InputSuppressed:
      return "gesperrt (Geheimhaltung)";
    case ProtectionReason.SmallDenominator: return "nicht sicher genug (Bezugsgröße zu klein)";
    case ProtectionReason.SmallPopulation: return "nicht sicher genug (Gebiet mit zu wenigen Einwohnern)";
    case ProtectionReason.Missing: return "keine Angabe (Eingangsdaten fehlen)";
    case ProtectionReason.NotMeaningful: return "nicht sinnvoll (Bezugsgröße 0)";
    case ProtectionReason.Limited: return "eingeschränkte Aussagekraft (kleine Basis)";
    default: return "";
  }
}
