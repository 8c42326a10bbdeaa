/**
 * Counts for any area system of a dataset: taken as delivered where statistics exist for the
 * system, otherwise summed exactly from a finer system that nests in it (following the
 * `parent` links of the configuration). Systems that do not nest (life-situation areas) need a
 * crosswalk instead.
 */
import type { AreaSystem } from "../load/geometry";
import type { CountTable } from "../load/statistics";
import { aggregateCounts } from "./aggregate";

/** What {@link countsFor} needs of a loaded dataset (`Dataset` from `loadDataset`). */
export interface DatasetLike {
  areaSystems: ReadonlyMap<string, AreaSystem>;
  counts: ReadonlyMap<string, CountTable>;
}

/**
 * The chain of systems from `from` up to `to` along parent links, e.g. `["bbg", "statbez", "stbz"]`,
 * or undefined when `from` does not nest in `to`.
 *
 * @example
 * nestingPath(ds, "bbg", "stbz"); // ["bbg", "statbez", "stbz"]
 */
export function nestingPath(ds: DatasetLike, from: string, to: string): string[] | undefined {
  const path = [from];
  let at = ds.areaSystems.get(from);
  while (at && at.id !== to) {
    const next = at.parent?.system;
    if (!next || path.includes(next)) return undefined;
    path.push(next);
    at = ds.areaSystems.get(next);
  }
  return at ? path : undefined;
}

/**
 * For every area of `from`, the id of the area of `to` it lies in, following parent ids
 * through intermediate systems. Throws naming the area whose parent is missing.
 *
 * @example
 * ancestorMap(ds, "bbg", "stbz").get("0101001"); // "01"
 */
export function ancestorMap(ds: DatasetLike, from: string, to: string): Map<string, string> {
  const path = nestingPath(ds, from, to);
  if (!path) throw new Error(`area system ${JSON.stringify(from)} does not nest in ${JSON.stringify(to)} (no chain of parent links); use a crosswalk`);
  const parentMaps = path.slice(0, -1).map((sys) => {
    const system = ds.areaSystems.get(sys)!;
    return { sys, map: new Map(system.features.map((f) => [f.id, f.parentId])) };
  });
  const out = new Map<string, string>();
  for (const f of ds.areaSystems.get(from)!.features) {
    let id: string | undefined = f.id;
    for (const { sys, map } of parentMaps) {
      const parent: string | undefined = map.get(id!);
      if (!parent) throw new Error(`area ${JSON.stringify(id)} of system ${JSON.stringify(sys)} has no parent id; expected a parent in the next system up`);
      id = parent;
    }
    out.set(f.id, id!);
  }
  return out;
}

/**
 * Counts for one area system: as delivered, or summed from the finest system with statistics
 * that nests in it. The result's areas follow the system's features; areas with no data
 * have missing counts (NaN), never zeros.
 *
 * @example
 * const districts = countsFor(ds, "statbez"); // summed from block groups
 */
export function countsFor(ds: DatasetLike, system: string): CountTable {
  const target = ds.areaSystems.get(system);
  if (!target) throw new Error(`invalid area system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  const own = ds.counts.get(system);
  if (own) return own;
  for (const [sys, table] of ds.counts) {
    if (!nestingPath(ds, sys, system)) continue;
    const up = ancestorMap(ds, sys, system);
    const parents = target.features.map((f) => f.id);
    const cube = aggregateCounts(table, (id) => up.get(id), { parents });
    const missing = new Map();
    cube.values.forEach((v, i) => { if (Number.isNaN(v)) missing.set(i, { symbol: "", reason: `nicht vollständig aus ${table.areaSystem} summierbar` }); });
    return {
      areaSystem: system, areas: parents, years: [...cube.years], variables: [...cube.variables], values: cube.values,
      missing, limited: new Map(), origin: new Map(), sources: table.sources,
      findings: [{ severity: "info", check: "aggregation", areaSystem: system, message: `Anzahlen aus ${table.areaSystem} zu ${system} summiert` }],
    };
  }
  throw new Error(`no statistics for area system ${JSON.stringify(system)} and none from a system that nests in it; use a crosswalk for life-situation areas`);
}
