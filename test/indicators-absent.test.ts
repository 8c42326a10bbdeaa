/**
 * Regression: an area that did not exist in some years (no row in any source file, like
 * Berlin's PLR 09041403 before 2019) must not make the city reference and its parents missing
 * in those years; a row with a missing symbol (`NA`, `.`) still must.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { aggregateCounts } from "../src/areas/aggregate";
import { MissingCause, absentAreaYears, computeIndicators, resultIndex, totalCube, type CountCube } from "../src/indicators/compute";

const VARS = ["pop_total", "age_00_65", "age_65_plus"];

/** Areas × years [2018, 2019] × VARS; `null` = no row that year, `NaN` in a row = a symbol such as NA. */
function table(rows: Record<string, [number[] | null, number[] | null]>): CountCube & { origin: Map<number, unknown> } {
  const areas = Object.keys(rows);
  const values = new Float64Array(areas.length * 2 * VARS.length).fill(NaN);
  const origin = new Map<number, unknown>();
  areas.forEach((a, ai) => rows[a]!.forEach((row, y) => {
    if (!row) return;
    row.forEach((v, vi) => {
      const i = (ai * 2 + y) * VARS.length + vi;
      values[i] = v;
      origin.set(i, { row: ai + 2 });
    });
  }));
  return { areas, years: [2018, 2019], variables: VARS, values, origin };
}

test("an area without a row in a year is absent: left out of the city sum and its parent, missing with reason AreaAbsent", () => {
  const t = table({
    "010101": [[100, 80, 20], [110, 85, 25]],
    "010102": [null, [50, 40, 10]], // created in 2019
    "010201": [[30, 20, 10], [30, 20, 10]],
  });
  assert.deepEqual([...absentAreaYears(t)!], [0, 0, 1, 0, 0, 0]);
  assert.deepEqual([...totalCube(t).values], [130, 100, 30, 190, 145, 45]);
  const r = computeIndicators(t, { indicators: ["population", "share_65plus"], changeYears: 1 });
  assert.deepEqual([...r.reference.value], [130, 190, (30 / 130) * 100, (45 / 190) * 100]);
  const k = resultIndex(r, 0, 1, 0);
  assert.ok(Number.isNaN(r.value[k]!));
  assert.equal(r.reason[k], MissingCause.AreaAbsent);
  assert.equal(r.changeReason[resultIndex(r, 0, 1, 1)], MissingCause.AreaAbsent, "no change against a year the area did not exist");
  assert.equal(r.rank[resultIndex(r, 0, 0, 0)], 1);
  assert.ok(Number.isNaN(r.rank[k]!));
  const parents = aggregateCounts(t, (id) => id.slice(0, 4));
  assert.deepEqual([...parents.values], [100, 80, 20, 160, 125, 35, 30, 20, 10, 30, 20, 10]);
  assert.equal(parents.absent, undefined, "no parent is absent");
});

test("a parent whose children all did not exist in a year is absent too, and stays out of the city sum", () => {
  const t = table({ "0101": [[100, 80, 20], [100, 80, 20]], "0201": [null, [40, 30, 10]], "0202": [null, [2, 2, 0]] });
  const p = aggregateCounts(t, (id) => id.slice(0, 2));
  assert.ok(Number.isNaN(p.values[VARS.length * 2]!), "02 in 2018: no value");
  assert.deepEqual([...p.absent!], [0, 0, 1, 0]);
  assert.deepEqual([...totalCube(p).values], [100, 80, 20, 142, 112, 30]);
  const r = computeIndicators(p, { indicators: ["population"] });
  assert.equal(r.reason[resultIndex(r, 0, 1, 0)], MissingCause.AreaAbsent);
});

test("a row with missing values (NA) still makes the city sum and the parent missing, never smaller", () => {
  const t = table({ "0101": [[100, 80, 20], [100, 80, 20]], "0102": [[NaN, NaN, NaN], [5, 5, 0]] });
  assert.equal(absentAreaYears(t), undefined);
  const r = computeIndicators(t, { indicators: ["population"] });
  assert.ok(Number.isNaN(r.reference.value[0]!));
  assert.equal(r.reference.value[1], 105);
  assert.equal(r.reason[resultIndex(r, 0, 1, 0)], MissingCause.MissingInput);
  assert.ok(Number.isNaN(aggregateCounts(t, () => "01").values[0]!));
  // Without origins (a plain cube) nothing can be told apart: NaN stays missing.
  const plain: CountCube = { areas: t.areas, years: t.years, variables: t.variables, values: t.values };
  assert.ok(Number.isNaN(totalCube(plain).values[0]!));
});

test("a year in which no area has a row gives a missing city sum, not 0", () => {
  const t = table({ A: [null, [10, 10, 0]], B: [null, [5, 5, 0]] });
  const c = totalCube(t);
  assert.ok(Number.isNaN(c.values[0]!));
  assert.equal(c.values[3], 15);
});
