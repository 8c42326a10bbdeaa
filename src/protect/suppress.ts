/**
 * Primary and secondary suppression on tables of counts with explicit linear relations
 * (each total = sum of its parts), and an audit that tries to recover suppressed cells.
 *
 * Cells are positions in a flat array of values (for a {@link CountCube}:
 * `(area · years + year) · variables + variable`). A {@link Relation} says
 * `values[total] = Σ values[parts]`: a parent area and its children for one variable and year,
 * or a total variable and its parts (age bands summing to the population) for one area and year.
 *
 * Secondary suppression (a practical heuristic in the spirit of the "singleton" rule of
 * τ-ARGUS/GaussSuppression): as long as some relation has exactly one hidden member, hide one
 * more member of it — the smallest non-zero part, else the total, else a zero part — and repeat
 * over all relations (areas and variable sums) to a fixed point. Then {@link auditTable} attacks
 * the published table (linear algebra and bounds from non-negativity); every cell it still
 * recovers gets one more complement, and the whole repeats until the audit finds nothing.
 * Nothing is deleted: the result is flags beside the values.
 */
import type { CountCube } from "../indicators/compute";

/** `values[total] = Σ values[parts]` (cell positions). */
export interface Relation {
  total: number;
  parts: readonly number[];
  /** What the relation is, for messages (e.g. `"0101 = Σ Kinder · pop_total · 2024"`). */
  label?: string;
}

/** Options of {@link suppressCells}. */
export interface SuppressOptions {
  /** Add secondary suppressions (default true; false keeps only the primary ones, e.g. to show the risk). */
  secondary?: boolean;
  /** Audit after the fixed point and add complements until no cell is recoverable (default true). */
  audit?: boolean;
  /** Most audit rounds (default 200). */
  maxRounds?: number;
  /** Cells that must not be chosen as complements (e.g. the city total); default none. */
  keep?: ArrayLike<number>;
}

/** Result of {@link suppressCells}. */
export interface SuppressionResult {
  /** 1 where a cell is a primary suppression (rule violated). */
  primary: Uint8Array;
  /** 1 where a cell is suppressed (primary or secondary). */
  suppressed: Uint8Array;
  /** For secondary suppressions: index of the relation that required it; −1 otherwise. */
  forcedBy: Int32Array;
  /** Suppressed cells the audit could still recover when the round limit was reached (empty on success). */
  unresolved: number[];
  /** Audit rounds used. */
  rounds: number;
}

/** Cell → relations it belongs to (compressed rows). */
function relationIndex(n: number, relations: readonly Relation[]): { start: Int32Array; list: Int32Array } {
  const count = new Int32Array(n + 1);
  for (const r of relations) {
    count[r.total]!++;
    for (const p of r.parts) count[p]!++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]!);
  relations.forEach((r, ri) => {
    list[fill[r.total]!++] = ri;
    for (const p of r.parts) list[fill[p]!++] = ri;
  });
  return { start, list };
}

function checkRelations(n: number, relations: readonly Relation[]): void {
  relations.forEach((r, i) => {
    const bad = [r.total, ...r.parts].find((c) => !Number.isInteger(c) || c < 0 || c >= n);
    if (bad !== undefined) throw new Error(`invalid relation ${i}${r.label ? ` (${r.label})` : ""}: cell ${bad} (expected an index between 0 and ${n - 1})`);
    if (r.parts.length === 0) throw new Error(`invalid relation ${i}${r.label ? ` (${r.label})` : ""}: no parts (expected at least one part)`);
  });
}

/**
 * Best complement among the visible members of a relation: the smallest non-zero part, else
 * the total (if non-zero), else a zero part, else a zero total; `-1` when none is allowed.
 */
function pickComplement(r: Relation, values: ArrayLike<number>, hidden: (c: number) => boolean, keep: Uint8Array): number {
  let best = -1, bestKey = Infinity;
  const consider = (c: number, isTotal: boolean) => {
    if (hidden(c) || keep[c]) return;
    const v = values[c]!;
    const cls = v !== 0 ? (isTotal ? 1 : 0) : isTotal ? 3 : 2;
    // Class first, then the smallest value, then the lowest index (deterministic).
    const key = cls * 1e15 + Math.min(Math.abs(v), 1e14);
    if (key < bestKey || (key === bestKey && c < best)) { best = c; bestKey = key; }
  };
  for (const p of r.parts) consider(p, false);
  consider(r.total, true);
  return best;
}

/**
 * Primary plus secondary suppression over explicit linear relations. Missing values (`NaN`)
 * count as hidden (nobody knows them) but are never chosen as complements.
 *
 * @param values the counts (NaN = missing)
 * @param primary 1/true where a rule suppresses the cell
 * @param relations totals and their parts
 * @example
 * // total 10 = 2 + 3 + 5; the 2 is primary, the 3 becomes a secondary suppression
 * const s = suppressCells([10, 2, 3, 5], [0, 1, 0, 0], [{ total: 0, parts: [1, 2, 3] }]);
 * Array.from(s.suppressed); // [0, 1, 1, 0]
 */
export function suppressCells(
  values: ArrayLike<number>,
  primary: ArrayLike<number | boolean>,
  relations: readonly Relation[],
  options: SuppressOptions = {},
): SuppressionResult {
  const n = values.length;
  if (primary.length !== n) throw new Error(`invalid primary flags: length ${primary.length} (expected ${n}, one per value)`);
  checkRelations(n, relations);
  const prim = new Uint8Array(n);
  for (let i = 0; i < n; i++) prim[i] = primary[i] && Number.isFinite(values[i]!) ? 1 : 0;
  const suppressed = prim.slice();
  const forcedBy = new Int32Array(n).fill(-1);
  const keep = new Uint8Array(n);
  for (const c of Array.from(options.keep ?? [])) keep[c] = 1;
  const result: SuppressionResult = { primary: prim, suppressed, forcedBy, unresolved: [], rounds: 0 };
  if (!(options.secondary ?? true)) return result;

  const hidden = (c: number) => suppressed[c] === 1 || Number.isNaN(values[c]!);
  const idx = relationIndex(n, relations);
  const queued = new Uint8Array(relations.length);
  const queue: number[] = [];
  const enqueueCell = (c: number) => {
    for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
      const ri = idx.list[k]!;
      if (!queued[ri]) { queued[ri] = 1; queue.push(ri); }
    }
  };
  const hide = (c: number, ri: number) => {
    suppressed[c] = 1;
    forcedBy[c] = ri;
    enqueueCell(c);
  };
  const fixedPoint = () => {
    while (queue.length) {
      const ri = queue.pop()!;
      queued[ri] = 0;
      const r = relations[ri]!;
      let hiddenCount = 0, lone = -1;
      for (const c of [r.total, ...r.parts]) if (hidden(c)) { hiddenCount++; lone = c; }
      if (hiddenCount !== 1 || !suppressed[lone]) continue;
      const c = pickComplement(r, values, hidden, keep);
      if (c >= 0) hide(c, ri);
    }
  };
  for (let ri = relations.length - 1; ri >= 0; ri--) { queued[ri] = 1; queue.push(ri); }
  fixedPoint();
  if (!(options.audit ?? true)) return result;

  const maxRounds = options.maxRounds ?? 200;
  for (;;) {
    const published = Float64Array.from({ length: n }, (_, i) => (suppressed[i] ? NaN : values[i]!));
    const audit = auditTable(published, relations);
    const leaks = audit.recoverable.filter((a) => suppressed[a.cell]);
    if (!leaks.length) { result.unresolved = []; return result; }
    if (result.rounds >= maxRounds) { result.unresolved = leaks.map((a) => a.cell); return result; }
    result.rounds++;
    let added = 0;
    for (const leak of leaks) {
      // The relation of the leaking cell whose best complement is cheapest.
      let bestCell = -1, bestRel = -1, bestValue = Infinity;
      for (let k = idx.start[leak.cell]!; k < idx.start[leak.cell + 1]!; k++) {
        const ri = idx.list[k]!;
        const c = pickComplement(relations[ri]!, values, hidden, keep);
        if (c >= 0 && Math.abs(values[c]!) < bestValue) { bestCell = c; bestRel = ri; bestValue = Math.abs(values[c]!); }
      }
      if (bestCell >= 0 && !suppressed[bestCell]) { hide(bestCell, bestRel); added++; }
    }
    if (!added) { result.unresolved = leaks.map((a) => a.cell); return result; }
    fixedPoint();
  }
}

/** Options of {@link auditTable}. */
export interface AuditOptions {
  /** Cells are counts: never negative (default true). */
  nonNegative?: boolean;
  /** Cells are whole numbers: a cell is recoverable when its interval holds one integer (default true). */
  integer?: boolean;
}

/** What the attacker learns about one unpublished cell. */
export interface AuditCell {
  cell: number;
  /** Bounds derived from the published cells (`hi` may be `Infinity`). */
  lo: number;
  hi: number;
  /** True when the cell's value is determined. */
  recoverable: boolean;
  /** The recovered value (NaN unless recoverable). */
  value: number;
  /** How it was recovered: `"linear"` (by solving the relations) or `"bounds"` (interval collapsed). */
  method: "linear" | "bounds" | "";
}

/** Result of {@link auditTable}. */
export interface AuditResult {
  /** Every unpublished cell that appears in a relation. */
  cells: AuditCell[];
  /** The recoverable ones. */
  recoverable: AuditCell[];
}

const TOL = 1e-9;

/**
 * Attacks a published table: tries to recover every unpublished cell (`NaN`) from the
 * published ones and the relations, as someone with the table and a spreadsheet would.
 *
 * 1. Linear algebra: the relations restricted to the unknown cells are brought to reduced row
 *    echelon form (sparse Gauss–Jordan); a cell is determined when its row has no free unknown.
 *    This covers repeated single-unknown substitution and any combination of relations.
 * 2. Bounds: every cell starts in `[0, ∞)` (non-negativity); each relation narrows each member
 *    to what the others allow (interval propagation, rounded inwards to integers). A cell whose
 *    interval holds a single integer is recoverable.
 * 3. Cells fixed by 2 become known and 1 runs again, until nothing changes.
 *
 * The bounds are valid but not always the tightest possible (an LP per cell would be); a cell
 * reported as protected by this audit may in rare multi-dimensional patterns still be narrower
 * than reported, never recoverable by the methods above.
 *
 * @param published values as published; `NaN` for suppressed (or missing) cells
 * @example
 * auditTable([10, NaN, 3, 5], [{ total: 0, parts: [1, 2, 3] }]).recoverable[0]; // { cell: 1, value: 2, method: "linear", … }
 */
export function auditTable(published: ArrayLike<number>, relations: readonly Relation[], options: AuditOptions = {}): AuditResult {
  const n = published.length;
  checkRelations(n, relations);
  const nonNeg = options.nonNegative ?? true;
  const integer = options.integer ?? true;
  const known = new Uint8Array(n);
  const lo = new Float64Array(n), hi = new Float64Array(n), val = new Float64Array(n).fill(NaN);
  const method: AuditCell["method"][] = new Array(n).fill("");
  const inRelation = new Uint8Array(n);
  for (const r of relations) { inRelation[r.total] = 1; for (const p of r.parts) inRelation[p] = 1; }
  for (let i = 0; i < n; i++) {
    const v = published[i]!;
    if (Number.isFinite(v)) { known[i] = 1; lo[i] = hi[i] = val[i] = v; }
    else { lo[i] = nonNeg ? 0 : -Infinity; hi[i] = Infinity; }
  }
  const idx = relationIndex(n, relations);
  const fix = (c: number, v: number, how: "linear" | "bounds") => {
    if (integer) v = Math.round(v);
    known[c] = 1; val[c] = v; lo[c] = v; hi[c] = v; method[c] = how;
  };

  const linearPass = (): number => {
    // Sparse Gauss–Jordan over the unknowns; rows kept fully reduced.
    const rows: { coef: Map<number, number>; rhs: number; pivot: number }[] = [];
    const pivotRow = new Map<number, number>();
    const colRows = new Map<number, Set<number>>();
    const addCol = (c: number, ri: number) => { let s = colRows.get(c); if (!s) colRows.set(c, (s = new Set())); s.add(ri); };
    for (const r of relations) {
      const coef = new Map<number, number>();
      let rhs = 0;
      const add = (c: number, s: number) => {
        if (known[c]) rhs -= s * val[c]!;
        else coef.set(c, (coef.get(c) ?? 0) + s);
      };
      add(r.total, 1);
      for (const p of r.parts) add(p, -1);
      if (coef.size === 0) continue;
      // Reduce by existing pivots.
      for (const c of [...coef.keys()]) {
        const pr = pivotRow.get(c);
        const f = coef.get(c);
        if (pr === undefined || f === undefined) continue;
        const row = rows[pr]!;
        for (const [k, v] of row.coef) {
          const nv = (coef.get(k) ?? 0) - f * v;
          if (Math.abs(nv) < TOL) coef.delete(k); else coef.set(k, nv);
        }
        rhs -= f * row.rhs;
      }
      if (coef.size === 0) continue;
      // New pivot: the unknown with the fewest rows (less fill-in).
      let pivot = -1, pc = Infinity;
      for (const c of coef.keys()) { const m = colRows.get(c)?.size ?? 0; if (m < pc) { pc = m; pivot = c; } }
      const pv = coef.get(pivot)!;
      for (const [k, v] of coef) coef.set(k, v / pv);
      rhs /= pv;
      coef.set(pivot, 1);
      const ri = rows.length;
      rows.push({ coef, rhs, pivot });
      pivotRow.set(pivot, ri);
      // Eliminate the pivot column from the other rows.
      for (const oi of [...(colRows.get(pivot) ?? [])]) {
        const o = rows[oi]!;
        const f = o.coef.get(pivot);
        if (f === undefined) continue;
        for (const [k, v] of coef) {
          const nv = (o.coef.get(k) ?? 0) - f * v;
          if (Math.abs(nv) < TOL) { o.coef.delete(k); colRows.get(k)?.delete(oi); } else { o.coef.set(k, nv); addCol(k, oi); }
        }
        o.rhs -= f * rhs;
      }
      for (const k of coef.keys()) addCol(k, ri);
    }
    let found = 0;
    for (const row of rows) {
      if (row.coef.size === 1 && !known[row.pivot]) { fix(row.pivot, row.rhs, "linear"); found++; }
    }
    return found;
  };

  const boundsPass = (): number => {
    let found = 0;
    const queued = new Uint8Array(relations.length);
    const queue: number[] = [];
    relations.forEach((r, ri) => {
      if (!known[r.total] || r.parts.some((p) => !known[p])) { queued[ri] = 1; queue.push(ri); }
    });
    let budget = 200 * relations.length + 1000;
    while (queue.length && budget-- > 0) {
      const ri = queue.shift()!;
      queued[ri] = 0;
      const r = relations[ri]!;
      const members = [r.total, ...r.parts];
      const sign = (j: number) => (j === 0 ? 1 : -1);
      // Σ sign·x = 0. Range of each term sign·x: [tmin, tmax].
      let sumMin = 0, sumMax = 0, infMin = 0, infMax = 0;
      const tmin = members.map((c, j) => (sign(j) > 0 ? lo[c]! : -hi[c]!));
      const tmax = members.map((c, j) => (sign(j) > 0 ? hi[c]! : -lo[c]!));
      for (let j = 0; j < members.length; j++) {
        if (Number.isFinite(tmin[j]!)) sumMin += tmin[j]!; else infMin++;
        if (Number.isFinite(tmax[j]!)) sumMax += tmax[j]!; else infMax++;
      }
      members.forEach((c, j) => {
        if (known[c]) return;
        const oMin = infMin - (Number.isFinite(tmin[j]!) ? 0 : 1) > 0 ? -Infinity : sumMin - (Number.isFinite(tmin[j]!) ? tmin[j]! : 0);
        const oMax = infMax - (Number.isFinite(tmax[j]!) ? 0 : 1) > 0 ? Infinity : sumMax - (Number.isFinite(tmax[j]!) ? tmax[j]! : 0);
        // sign·x = −(others) ∈ [−oMax, −oMin]
        let nlo = sign(j) > 0 ? -oMax : oMin;
        let nhi = sign(j) > 0 ? -oMin : oMax;
        if (integer) { nlo = Math.ceil(nlo - TOL); nhi = Math.floor(nhi + TOL); }
        let changed = false;
        if (nlo > lo[c]! + TOL) { lo[c] = nlo; changed = true; }
        if (nhi < hi[c]! - TOL) { hi[c] = nhi; changed = true; }
        if (!changed) return;
        if (hi[c]! - lo[c]! <= TOL) { fix(c, lo[c]!, "bounds"); found++; }
        for (let k = idx.start[c]!; k < idx.start[c + 1]!; k++) {
          const o = idx.list[k]!;
          if (!queued[o]) { queued[o] = 1; queue.push(o); }
        }
      });
    }
    return found;
  };

  for (let guard = 0; guard < 1000; guard++) {
    const a = linearPass();
    const b = boundsPass();
    if (a + b === 0) break;
  }
  const cells: AuditCell[] = [];
  for (let i = 0; i < n; i++) {
    if (!inRelation[i] || Number.isFinite(published[i]!)) continue;
    cells.push({ cell: i, lo: lo[i]!, hi: hi[i]!, recoverable: !!known[i], value: known[i] ? val[i]! : NaN, method: method[i]! });
  }
  return { cells, recoverable: cells.filter((c) => c.recoverable) };
}

// --- Relations of count tables --------------------------------------------------------------

/** A total variable and the variables that add up to it, e.g. age bands → `pop_total`. */
export interface VariableSum {
  total: string;
  parts: string[];
}

/** The layout of a count table (see `CountTable`): areas × years × variables. */
export type CubeLayout = Pick<CountCube, "areas" | "years" | "variables">;

function cell(t: CubeLayout, a: number, y: number, v: number): number {
  return (a * t.years.length + y) * t.variables.length + v;
}

/**
 * Relations "parent = Σ children" for every variable and year of a table that holds several
 * levels of a hierarchy (e.g. block groups, statistical districts, districts and the city, as
 * made by {@link stackHierarchy}). Areas whose parent is not in the table are roots.
 *
 * @example
 * hierarchyRelations(stacked.table, stacked.parentOf); // one relation per parent, variable and year
 */
export function hierarchyRelations(table: CubeLayout, parentOf: ReadonlyMap<string, string>): Relation[] {
  const aIndex = new Map(table.areas.map((id, i) => [id, i]));
  const children = new Map<number, number[]>();
  table.areas.forEach((id, a) => {
    const p = parentOf.get(id);
    if (p === undefined) return;
    const pa = aIndex.get(p);
    if (pa === undefined) return;
    if (pa === a) throw new Error(`invalid hierarchy: area ${JSON.stringify(id)} is its own parent`);
    let list = children.get(pa);
    if (!list) children.set(pa, (list = []));
    list.push(a);
  });
  const out: Relation[] = [];
  for (const [pa, kids] of children) {
    table.years.forEach((year, y) => table.variables.forEach((v, vi) => {
      out.push({ total: cell(table, pa, y, vi), parts: kids.map((k) => cell(table, k, y, vi)), label: `${table.areas[pa]} = Σ Teilgebiete · ${v} · ${year}` });
    }));
  }
  return out;
}

/**
 * Relations "total variable = Σ part variables" for every area and year (only sums whose
 * variables are all in the table).
 *
 * @example
 * variableSumRelations(table, ageBandSums(table.variables)); // pop_total = Σ age bands, per area and year
 */
export function variableSumRelations(table: CubeLayout, sums: readonly VariableSum[]): Relation[] {
  const vIndex = new Map(table.variables.map((v, i) => [v, i]));
  const out: Relation[] = [];
  for (const s of sums) {
    const t = vIndex.get(s.total);
    const ps = s.parts.map((p) => vIndex.get(p));
    if (t === undefined || ps.some((p) => p === undefined) || ps.length === 0) continue;
    table.areas.forEach((id, a) => table.years.forEach((year, y) => {
      out.push({ total: cell(table, a, y, t), parts: ps.map((p) => cell(table, a, y, p!)), label: `${s.total} = Σ ${s.parts.join(" + ")} · ${id} · ${year}` });
    }));
  }
  return out;
}

/**
 * The age bands of a variable list that tile all ages (0 to an open band) without gaps or
 * overlaps, as a sum to `pop_total`; empty when they do not.
 *
 * @example
 * ageBandSums(["pop_total", "age_00_18", "age_18_65", "age_65_plus"]); // [{ total: "pop_total", parts: [...] }]
 */
export function ageBandSums(variables: readonly string[], total = "pop_total"): VariableSum[] {
  if (!variables.includes(total)) return [];
  const bands = variables
    .map((v) => { const m = /^age_(\d{2,3})_(\d{2,3}|plus)$/.exec(v); return m ? { v, from: Number(m[1]), to: m[2] === "plus" ? Infinity : Number(m[2]) } : undefined; })
    .filter((b): b is { v: string; from: number; to: number } => !!b)
    .sort((a, b) => a.from - b.from || a.to - b.to);
  // Find one chain 0 → ∞ using the finest bands (greedy on the smallest next band).
  const chain: string[] = [];
  let at = 0;
  while (at !== Infinity) {
    const next = bands.filter((b) => b.from === at).sort((a, b) => a.to - b.to)[0];
    if (!next) return [];
    chain.push(next.v);
    at = next.to;
  }
  return chain.length > 1 ? [{ total, parts: chain }] : [];
}

/** Result of {@link stackHierarchy}. */
export interface StackedHierarchy {
  /** All levels in one table: the finest areas first, then each coarser level, the city last. */
  table: CountCube;
  /** Parent id of every area that has one. */
  parentOf: Map<string, string>;
  /** Level index of every area (0 = finest). */
  level: Map<string, number>;
}

/** Options of {@link stackHierarchy}. */
export interface StackOptions {
  /** Id of the city total appended on top (default `"Stadt"`; `null`: no city row). */
  cityId?: string | null;
}

/**
 * Builds one table of all levels of a nested hierarchy from the finest level, by summing
 * (missing children make the parent missing), with the parent links; the input to
 * {@link hierarchyRelations} and `protectCounts`.
 *
 * @param levels for each coarser level, the parent id of each area of the level below
 * @example
 * const s = stackHierarchy(blockGroups, [(id) => id.slice(0, 4), (id) => id.slice(0, 2)]);
 * s.table.areas; // [...block groups, ...statistical districts, ...districts, "Stadt"]
 */
export function stackHierarchy(
  finest: CountCube,
  levels: ReadonlyArray<ReadonlyMap<string, string> | ((id: string) => string | undefined)>,
  options: StackOptions = {},
): StackedHierarchy {
  const cityId = options.cityId === undefined ? "Stadt" : options.cityId;
  const parentOf = new Map<string, string>();
  const level = new Map<string, number>();
  const cubes: CountCube[] = [finest];
  finest.areas.forEach((a) => level.set(a, 0));
  let current = finest;
  const YV = finest.years.length * finest.variables.length;
  levels.forEach((map, li) => {
    const lookup = typeof map === "function" ? map : (id: string) => map.get(id);
    const parents: string[] = [];
    const pIndex = new Map<string, number>();
    current.areas.forEach((id) => {
      const p = lookup(id);
      if (p === undefined || p === "") throw new Error(`stackHierarchy: area ${JSON.stringify(id)} has no parent at level ${li + 1}; expected every area to map to a parent`);
      parentOf.set(id, p);
      if (!pIndex.has(p)) { pIndex.set(p, parents.length); parents.push(p); }
    });
    const values = new Float64Array(parents.length * YV);
    current.areas.forEach((id, a) => {
      const p = pIndex.get(parentOf.get(id)!)!;
      for (let i = 0; i < YV; i++) values[p * YV + i]! += current.values[a * YV + i]!;
    });
    parents.forEach((p) => {
      if (level.has(p)) throw new Error(`stackHierarchy: id ${JSON.stringify(p)} appears on two levels; expected ids unique across levels`);
      level.set(p, li + 1);
    });
    current = { areas: parents, years: finest.years, variables: finest.variables, values };
    cubes.push(current);
  });
  if (cityId !== null && !(current.areas.length === 1 && current.areas[0] === cityId)) {
    if (level.has(cityId)) throw new Error(`stackHierarchy: city id ${JSON.stringify(cityId)} is already an area id`);
    const values = new Float64Array(YV);
    current.areas.forEach((id, a) => {
      parentOf.set(id, cityId);
      for (let i = 0; i < YV; i++) values[i]! += current.values[a * YV + i]!;
    });
    level.set(cityId, levels.length + 1);
    cubes.push({ areas: [cityId], years: finest.years, variables: finest.variables, values });
  }
  const areas = cubes.flatMap((c) => c.areas);
  const values = new Float64Array(areas.length * YV);
  let off = 0;
  for (const c of cubes) { values.set(c.values, off); off += c.values.length; }
  return { table: { areas, years: finest.years, variables: finest.variables, values }, parentOf, level };
}
