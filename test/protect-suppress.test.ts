/**
 * Secondary suppression and the audit on hand-made tables: a suppressed cell must never be
 * recoverable from what is published, and it must be recoverable when secondary suppression
 * is switched off (otherwise the fixture would prove nothing).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import type { CountCube } from "../src/indicators/compute";
import { protectCounts, publishedCounts } from "../src/protect/apply";
import { ageBandSums, auditTable, hierarchyRelations, stackHierarchy, suppressCells, variableSumRelations, type Relation } from "../src/protect/suppress";

const FIX = path.join(__dirname, "fixtures", "protect");
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIX, name), "utf8"));

function oneVariableCube(areas: Record<string, number>, variable: string, year: number): CountCube {
  const ids = Object.keys(areas);
  return { areas: ids, years: [year], variables: [variable], values: Float64Array.from(ids.map((id) => areas[id]!)) };
}

function hiddenIds(table: CountCube, flags: Uint8Array): string[] {
  return table.areas.filter((_, a) => flags[a]);
}

function published(values: ArrayLike<number>, suppressed: Uint8Array): Float64Array {
  return Float64Array.from(values as ArrayLike<number>, (v, i) => (suppressed[i] ? NaN : v));
}

test("suppressCells: a total with one suppressed part hides the smallest other non-zero part", () => {
  const s = suppressCells([10, 2, 3, 5], [0, 1, 0, 0], [{ total: 0, parts: [1, 2, 3] }]);
  assert.deepEqual(Array.from(s.primary), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(s.suppressed), [0, 1, 1, 0]);
  assert.equal(s.forcedBy[2], 0);
  assert.deepEqual(s.unresolved, []);
});

test("suppressCells: zero parts are not chosen while a non-zero part or the total is available", () => {
  // total 9 = 2 (primary) + 0 + 7: the complement is 7, not the 0
  const s = suppressCells([9, 2, 0, 7], [0, 1, 0, 0], [{ total: 0, parts: [1, 2, 3] }]);
  assert.deepEqual(Array.from(s.suppressed), [0, 1, 0, 1]);
});

test("sibling-complement fixture: primary block group forces its smallest sibling; audit finds nothing", () => {
  const f = fixture("sibling-complement.json");
  const s = stackHierarchy(oneVariableCube(f.blockGroups, f.variable, f.year), [new Map(Object.entries(f.parentOf))]);
  const p = protectCounts(s.table, { parentOf: s.parentOf });
  assert.deepEqual(hiddenIds(s.table, p.primary), f.expectedPrimary);
  assert.deepEqual(hiddenIds(s.table, p.suppressed), f.expectedSuppressed);
  const audit = auditTable(published(s.table.values, p.suppressed), p.relations);
  assert.deepEqual(audit.recoverable, []);
  // 0101 ∈ [0, 9]: district 01 (24) − 0103 (15) = 0101 + 0102
  const c = audit.cells.find((x) => s.table.areas[x.cell] === "0101")!;
  assert.deepEqual([c.lo, c.hi], [0, 9]);
});

test("zero-sibling fixture: the complement cascades up to the district and down into a sibling district", () => {
  const f = fixture("zero-sibling-forces-parent.json");
  const s = stackHierarchy(oneVariableCube(f.blockGroups, f.variable, f.year), [new Map(Object.entries(f.parentOf))]);
  assert.deepEqual(s.table.areas, ["0101", "0102", "0201", "0202", "0301", "0302", "01", "02", "03", "Stadt"]);
  const p = protectCounts(s.table, { parentOf: s.parentOf });
  assert.deepEqual(hiddenIds(s.table, p.primary), f.expectedPrimary);
  assert.deepEqual(hiddenIds(s.table, p.suppressed).sort(), [...f.expectedSuppressed].sort());
  assert.deepEqual(auditTable(published(s.table.values, p.suppressed), p.relations).recoverable, []);
  assert.deepEqual(p.unresolved, []);
});

test("zero-sibling fixture without secondary suppression: the audit recovers both primary cells", () => {
  const f = fixture("zero-sibling-forces-parent.json");
  const s = stackHierarchy(oneVariableCube(f.blockGroups, f.variable, f.year), [new Map(Object.entries(f.parentOf))]);
  const p = protectCounts(s.table, { parentOf: s.parentOf }, { secondary: false });
  assert.deepEqual(hiddenIds(s.table, p.suppressed), ["0101", "01"]);
  const audit = auditTable(published(s.table.values, p.suppressed), p.relations);
  assert.deepEqual(audit.recoverable.map((c) => [s.table.areas[c.cell], c.value, c.method]), [["0101", 2, "linear"], ["01", 2, "linear"]]);
});

function ageTable(): CountCube {
  const f = fixture("age-bands-total.json");
  const areas = Object.keys(f.areas);
  const V = f.variables as string[];
  const values = Float64Array.from(areas.flatMap((a) => V.map((v) => f.areas[a][v] as number)));
  return { areas, years: [f.year], variables: V, values };
}

test("age-bands fixture: suppression across variable sums and areas hides a rectangle", () => {
  const f = fixture("age-bands-total.json");
  const s = stackHierarchy(ageTable(), [], { cityId: "Stadt" });
  assert.deepEqual(s.table.areas, ["A", "B", "Stadt"]);
  assert.deepEqual(ageBandSums(s.table.variables), [{ total: "pop_total", parts: ["age_00_18", "age_18_65", "age_65_plus"] }]);
  const p = protectCounts(s.table, { parentOf: s.parentOf }); // variable sums detected from the age bands
  const V = s.table.variables.length;
  const hidden = [...p.suppressed.keys()].filter((k) => p.suppressed[k]).map((k) => [s.table.areas[Math.floor(k / V)], s.table.variables[k % V]]);
  assert.deepEqual(hidden, f.expectedSuppressed);
  const audit = auditTable(published(s.table.values, p.suppressed), p.relations);
  assert.deepEqual(audit.recoverable, []);
  // the attacker's interval for A's under-18s: [0, 32] (city under-18s)
  const a = audit.cells.find((c) => c.cell === 1)!;
  assert.deepEqual([a.lo, a.hi], [0, 32]);
});

test("age-bands fixture without secondary suppression: the area total minus the other bands gives the cell away", () => {
  const s = stackHierarchy(ageTable(), []);
  const p = protectCounts(s.table, { parentOf: s.parentOf }, { secondary: false });
  const audit = auditTable(published(s.table.values, p.suppressed), p.relations);
  assert.deepEqual(audit.recoverable.map((c) => [c.cell, c.value]), [[1, 2]]);
});

test("age-bands fixture, variable sums only (no hierarchy): the sibling band is enough", () => {
  const t = ageTable();
  const relations = variableSumRelations(t, ageBandSums(t.variables));
  assert.equal(relations.length, 2);
  const p = protectCounts(t, { variableSums: "auto" });
  assert.deepEqual([...p.suppressed], [0, 1, 1, 0, 0, 0, 0, 0]);
});

test("suppressCells: the audit catches a leak the singleton rule misses (three cells, three relations)", () => {
  // x=2, y=1, z=2 all primary; every relation holds two of them, so the singleton rule is
  // satisfied, but x+y=3, y+z=3, x+z=4 solve to x=2, y=1, z=2.
  const values = [2, 1, 2, 10, 11, 12, 13, 14, 16];
  const relations: Relation[] = [{ total: 6, parts: [0, 1, 3] }, { total: 7, parts: [1, 2, 4] }, { total: 8, parts: [0, 2, 5] }];
  const primary = [1, 1, 1, 0, 0, 0, 0, 0, 0];
  const naive = suppressCells(values, primary, relations, { audit: false });
  assert.deepEqual(Array.from(naive.suppressed), primary);
  assert.deepEqual(auditTable(published(values, naive.suppressed), relations).recoverable.map((c) => [c.cell, c.value]), [[0, 2], [1, 1], [2, 2]]);
  const safe = suppressCells(values, primary, relations);
  assert.ok(safe.rounds >= 1);
  assert.deepEqual(safe.unresolved, []);
  assert.deepEqual(auditTable(published(values, safe.suppressed), relations).recoverable, []);
});

test("auditTable: bounds from non-negativity recover cells the linear system leaves open", () => {
  // 0 = x + y: both are 0
  const a = auditTable([0, NaN, NaN], [{ total: 0, parts: [1, 2] }]);
  assert.deepEqual(a.recoverable.map((c) => [c.cell, c.value, c.method]), [[1, 0, "bounds"], [2, 0, "bounds"]]);
  // 10 = x + y with y ≤ 0 from another relation (3 = y + 3) … linear; a pure bounds case:
  // 1 = x + y and 1 = x + z with z, y ≥ 0 leaves x ∈ [0, 1]: not recoverable
  const b = auditTable([1, NaN, NaN, 1, NaN], [{ total: 0, parts: [1, 2] }, { total: 3, parts: [1, 4] }]);
  assert.deepEqual(b.recoverable, []);
  assert.deepEqual(b.cells.map((c) => [c.lo, c.hi]), [[0, 1], [0, 1], [0, 1]]);
});

test("auditTable: a 2 × 2 table with margins and one published inner cell is fully recoverable", () => {
  // a b | 10 ; c d | 6 ; columns 8 8 ; total 16; d = 4 published
  const rel: Relation[] = [{ total: 4, parts: [0, 1] }, { total: 5, parts: [2, 3] }, { total: 6, parts: [0, 2] }, { total: 7, parts: [1, 3] }, { total: 8, parts: [4, 5] }, { total: 8, parts: [6, 7] }];
  const leaks = auditTable([NaN, NaN, NaN, 4, 10, 6, 8, 8, 16], rel).recoverable.map((c) => [c.cell, c.value]);
  assert.deepEqual(leaks, [[0, 6], [1, 4], [2, 2]]);
  // all four inner cells hidden: nothing recoverable, bounds as the Fréchet bounds
  const safe = auditTable([NaN, NaN, NaN, NaN, 10, 6, 8, 8, 16], rel);
  assert.deepEqual(safe.cells.map((c) => [c.lo, c.hi]), [[2, 8], [2, 8], [0, 6], [0, 6]]);
});

test("hierarchyRelations and stackHierarchy: three levels, every parent equals the sum of its children", () => {
  const bg: CountCube = { areas: ["010101", "010102", "010201", "020101"], years: [2023, 2024], variables: ["pop_total"], values: Float64Array.from([10, 11, 20, 21, 30, 31, 40, 41]) };
  const s = stackHierarchy(bg, [(id) => id.slice(0, 4), (id) => id.slice(0, 2)]);
  assert.deepEqual(s.table.areas, ["010101", "010102", "010201", "020101", "0101", "0102", "0201", "01", "02", "Stadt"]);
  assert.equal(s.level.get("Stadt"), 3);
  const rel = hierarchyRelations(s.table, s.parentOf);
  assert.equal(rel.length, 6 * 2); // parents 0101, 0102, 0201, 01, 02, Stadt × 2 years
  for (const r of rel) assert.equal(s.table.values[r.total], r.parts.reduce((t, p) => t + s.table.values[p]!, 0));
  assert.deepEqual(Array.from(s.table.values.slice(-2)), [100, 104]);
});

test("protectCounts on a larger random hierarchy: audit always clean, never deletes values", () => {
  // Seeded LCG, 3 districts × 4 block groups × 2 variables (an age split) × 2 years.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const areas = Array.from({ length: 12 }, (_, i) => `0${Math.floor(i / 4) + 1}0${(i % 4) + 1}`);
  const V = ["pop_total", "age_00_65", "age_65_plus"];
  const values: number[] = [];
  for (let a = 0; a < 12; a++) for (let y = 0; y < 2; y++) {
    const young = Math.floor(rnd() * 8), old = Math.floor(rnd() * 6);
    values.push(young + old, young, old);
  }
  const s = stackHierarchy({ areas, years: [2023, 2024], variables: V, values: Float64Array.from(values) }, [(id) => id.slice(0, 2)]);
  const p = protectCounts(s.table, { parentOf: s.parentOf });
  assert.ok(p.primary.some((x) => x));
  assert.deepEqual(p.unresolved, []);
  assert.equal(p.inconsistentRelations, 0);
  assert.deepEqual(auditTable(publishedCounts(p).values, p.relations).recoverable, []);
  assert.deepEqual(Array.from(p.table.values), Array.from(s.table.values));
});
