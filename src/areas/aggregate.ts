/**
 * Exact aggregation of counts along a nested hierarchy (block groups → statistical districts →
 * city districts): counts are summed; a missing child count makes the parent's count missing
 * (never silently a smaller number). A child that did not exist in a year (no row in any source
 * file, e.g. a planning area created later; see `absentAreaYears`) is left out of that year.
 */
import { absentAreaYears, type CountCube } from "../indicators/compute";

/** Options of {@link aggregateCounts}. */
export interface AggregateOptions {
  /** Order of the parent areas in the result (default: first appearance). Parents without children get missing counts. */
  parents?: readonly string[];
}

/**
 * Sums a count table to a parent area system.
 *
 * @param parentOf parent id of each child area id (a Map, or a function)
 * @throws when a child has no parent (named), so no area is dropped silently
 * @example
 * const districts = aggregateCounts(blockGroups, (id) => id.slice(0, 4));
 */
export function aggregateCounts(
  counts: CountCube,
  parentOf: ReadonlyMap<string, string> | ((childId: string) => string | undefined),
  options: AggregateOptions = {},
): CountCube {
  const lookup = typeof parentOf === "function" ? parentOf : (id: string) => parentOf.get(id);
  const parentIds = counts.areas.map((id) => {
    const p = lookup(id);
    if (p === undefined || p === "") throw new Error(`aggregateCounts: area ${JSON.stringify(id)} has no parent; expected every child to map to a parent area`);
    return p;
  });
  const parents = options.parents ? [...options.parents] : [...new Set(parentIds)];
  const pIndex = new Map(parents.map((p, i) => [p, i]));
  const unknown = parentIds.filter((p) => !pIndex.has(p));
  if (unknown.length) throw new Error(`aggregateCounts: parent ids not in options.parents: ${[...new Set(unknown)].slice(0, 10).join(", ")}`);
  const Y = counts.years.length, V = counts.variables.length, YV = Y * V;
  const values = new Float64Array(parents.length * YV);
  const hasChild = new Uint8Array(parents.length);
  // Per parent and year: 0 no child, 1 only children that did not exist that year, 2 a child with a row.
  const childState = new Uint8Array(parents.length * Y);
  const absent = absentAreaYears(counts);
  counts.areas.forEach((_, a) => {
    const p = pIndex.get(parentIds[a]!)!;
    hasChild[p] = 1;
    for (let y = 0; y < Y; y++) {
      if (absent?.[a * Y + y]) {
        childState[p * Y + y] ||= 1;
        continue;
      }
      childState[p * Y + y] = 2;
      const src = (a * Y + y) * V, dst = (p * Y + y) * V;
      for (let v = 0; v < V; v++) values[dst + v]! += counts.values[src + v]!;
    }
  });
  hasChild.forEach((h, p) => { if (!h) values.fill(NaN, p * YV, (p + 1) * YV); });
  // A parent whose children all did not exist in a year did not exist either.
  let anyAbsent = false;
  const parentAbsent = new Uint8Array(parents.length * Y);
  childState.forEach((st, py) => {
    if (st !== 1) return;
    values.fill(NaN, py * V, (py + 1) * V);
    parentAbsent[py] = 1;
    anyAbsent = true;
  });
  return { areas: parents, years: counts.years, variables: counts.variables, values, ...(anyAbsent ? { absent: parentAbsent } : {}) };
}
