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

/** Symbols that mean "nothing there" (a true zero) in German official statistics. */
export const NOTHING_SYMBOLS: readonly string[] = ["-", "–", "—"];

/**
 * The table with cells marked `–` ("nichts vorhanden", a true zero in German official
 * statistics) counted as 0, so that an empty block group does not make its district and city
 * totals missing. Every other symbol (`.`, `x`, `/`, …) stays missing. The loader keeps `–` as
 * missing with its reason; this step is explicit, counted, and reported as a finding.
 *
 * @example
 * const usable = withKnownZeros(ds.counts.get("bbg")!);
 */
export function withKnownZeros(table: CountTable): CountTable {
  const values = new Float64Array(table.values);
  const missing = new Map(table.missing);
  let n = 0;
  for (const [i, m] of table.missing) {
    if (NOTHING_SYMBOLS.includes(m.symbol)) {
      values[i] = 0;
      missing.delete(i);
      n++;
    }
  }
  if (!n) return table;
  return {
    ...table, values, missing,
    findings: [...table.findings, { severity: "info", check: "known-zero", areaSystem: table.areaSystem, value: n, message: `${n} Felder mit „–“ (nichts vorhanden) als 0 gezählt` }],
  };
}

/** Options of {@link countsFor}. */
export interface CountsForOptions {
  /** Count cells marked `–` ("nichts vorhanden") as 0 (default true; see {@link withKnownZeros}). */
  nothingAsZero?: boolean;
}

/**
 * Counts for one area system: as delivered, or summed from the finest system with statistics
 * that nests in it. The result's areas follow the system's features; areas with no data
 * have missing counts (NaN), never zeros.
 *
 * @example
 * const districts = countsFor(ds, "statbez"); // summed from block groups
 */
export function countsFor(ds: DatasetLike, system: string, options: CountsForOptions = {}): CountTable {
  const target = ds.areaSystems.get(system);
  if (!target) throw new Error(`invalid area system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  const prepare = (t: CountTable) => ((options.nothingAsZero ?? true) ? withKnownZeros(t) : t);
  const own = ds.counts.get(system);
  if (own) return prepare(own);
  for (const [sys, delivered] of ds.counts) {
    if (!nestingPath(ds, sys, system)) continue;
    const table = prepare(delivered);
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

/**
 * Area names of a system by id (labels for tables and maps; never keys).
 *
 * @example
 * const names = areaNames(ds, "statbez"); // Map { "0101" => "Lindenhöhe", … }
 */
export function areaNames(ds: DatasetLike, system: string): Map<string, string> {
  const sys = ds.areaSystems.get(system);
  if (!sys) throw new Error(`invalid area system: ${JSON.stringify(system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  return new Map(sys.features.map((f) => [f.id, f.name]));
}
