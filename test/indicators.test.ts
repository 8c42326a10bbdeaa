/**
 * Indicator formulas on hand-computed fixtures: every ratio from summed counts, missing and
 * zero denominators, change over four years, ranks, the city reference, mean age.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { aggregateCounts } from "../src/areas/aggregate";
import { INDICATORS } from "../src/indicators/catalogue";
import { MissingCause, computeIndicators, resultIndex, type CountCube, type IndicatorResult } from "../src/indicators/compute";
import { AGE_BANDS, COUNT_VARIABLES, ageBandId } from "../src/variables";

const VARS = COUNT_VARIABLES.map((v) => v.id);

/** A cube from per-area, per-year partial records; unspecified counts are 0. */
function cube(years: number[], data: Record<string, Record<number, Record<string, number>>>): CountCube {
  const areas = Object.keys(data);
  const values = new Float64Array(areas.length * years.length * VARS.length);
  areas.forEach((a, ai) => years.forEach((y, yi) => {
    for (const [k, v] of Object.entries(data[a]![y] ?? {})) {
      const vi = VARS.indexOf(k);
      assert.ok(vi >= 0, `unknown variable ${k}`);
      values[(ai * years.length + yi) * VARS.length + vi] = v;
    }
  }));
  return { areas, years, variables: VARS, values };
}

function get(r: IndicatorResult, id: string, area: string, year: number, field: keyof IndicatorResult = "value"): number {
  const i = r.definitions.findIndex((d) => d.id === id);
  assert.ok(i >= 0, `indicator ${id} not computed`);
  return (r[field] as Float64Array | Uint8Array)[resultIndex(r, i, r.areas.indexOf(area), r.years.indexOf(year))]!;
}

// Area "A": 1,000 inhabitants: 100 aged 0–<3, 100 aged 10–<15, 50 aged 15–<18, 500 aged 30–<35,
// 100 aged 60–<65, 100 aged 70–<75, 50 aged 85–<90.
const A2024 = {
  pop_total: 1000, age_00_03: 100, age_10_15: 100, age_15_18: 50, age_30_35: 500, age_60_65: 100, age_70_75: 100, age_85_90: 50,
  migback_total: 250, migback_18_65: 150, foreign_total: 120, foreign_15_65: 80, unemployed: 39, unemployed_foreign: 12,
  households: 500, households_children: 120, single_parent_households: 30, single_parent_sgb2: 15,
  sgb2_households: 60, sgb2_households_children: 25, sgb2_persons: 140, sgb2_children_u15: 50, sgb12_65plus: 6, minsec_recipients: 160,
};
// Area "B": tiny, with a zero denominator for children and foreigners.
const B2024 = { pop_total: 10, age_30_35: 8, age_65_70: 2, households: 6, sgb2_households: 1 };

test("shares and ratios are numerator/denominator × 100 over summed age bands", () => {
  const r = computeIndicators(cube([2024], { A: { 2024: A2024 } }));
  assert.equal(get(r, "share_u18", "A", 2024), 25); // (100+100+50)/1000
  assert.equal(get(r, "share_18_65", "A", 2024), 60); // (500+100)/1000
  assert.equal(get(r, "share_65plus", "A", 2024), 15); // (100+50)/1000
  assert.equal(get(r, "youth_ratio", "A", 2024), (250 / 600) * 100);
  assert.equal(get(r, "old_age_ratio", "A", 2024), 25); // 150/600
  assert.equal(get(r, "greying_index", "A", 2024), 20); // 80+ = 50 / 60+ = 250
  assert.equal(get(r, "migback_share", "A", 2024), 25);
  assert.equal(get(r, "migback_18_65_share", "A", 2024), 25); // 150/600
  assert.equal(get(r, "unemployment_rate", "A", 2024), 6); // 39 / 15–<65 (50+500+100 = 650)
  assert.equal(get(r, "unemployment_rate_foreign", "A", 2024), 15); // 12/80
  assert.equal(get(r, "sgb2_household_share", "A", 2024), 12); // 60/500
  assert.equal(get(r, "child_poverty", "A", 2024), 25); // 50 / <15 (100+100)
  assert.equal(get(r, "old_age_poverty", "A", 2024), 4); // 6/150
  assert.equal(get(r, "minsec_rate", "A", 2024), 16);
  assert.equal(get(r, "single_parent_share", "A", 2024), 25); // 30/120
  assert.equal(get(r, "single_parent_sgb2_share", "A", 2024), 50);
  assert.equal(get(r, "population", "A", 2024), 1000);
  assert.equal(get(r, "pop_65plus", "A", 2024), 150);
  assert.equal(r.skipped.length, 0);
  assert.equal(r.definitions.length, INDICATORS.length);
});

test("mean age is taken from band midpoints (open band: lower bound + 5)", () => {
  const r = computeIndicators(cube([2024], { A: { 2024: { pop_total: 4, age_00_03: 1, age_30_35: 2, age_90_plus: 1 } } }), { indicators: ["mean_age"] });
  assert.equal(get(r, "mean_age", "A", 2024), (1.5 + 2 * 32.5 + 95) / 4);
  assert.match(r.definitions[0]!.footnote, /Altersgruppen/);
});

test("the greying index alternative 80+/60–<80 is configuration", () => {
  const r = computeIndicators(cube([2024], { A: { 2024: A2024 } }), { indicators: ["greying_index"], alternatives: { greying_index: "60-80" } });
  assert.equal(get(r, "greying_index", "A", 2024), 25); // 50 / (100+100)
  assert.match(r.definitions[0]!.footnote, /60 bis unter 80/);
  assert.throws(() => computeIndicators(cube([2024], { A: { 2024: A2024 } }), { indicators: ["greying_index"], alternatives: { greying_index: "x" } }), /invalid alternative/);
});

test("a zero denominator gives missing with its reason, never Infinity or NaN without reason", () => {
  const r = computeIndicators(cube([2024], { B: { 2024: B2024 } }));
  assert.ok(Number.isNaN(get(r, "child_poverty", "B", 2024)));
  assert.equal(get(r, "child_poverty", "B", 2024, "reason"), MissingCause.ZeroDenominator);
  for (const v of r.value) assert.ok(!Number.isFinite(v) ? Number.isNaN(v) : true, "no Infinity");
  assert.equal(get(r, "share_65plus", "B", 2024), 20);
  assert.equal(get(r, "share_65plus", "B", 2024, "smallBase"), 1, "10 inhabitants is below the minimum base");
});

test("a missing input count propagates as missing with its reason, never as 0", () => {
  const c = cube([2024], { A: { 2024: A2024 } });
  c.values[c.variables.indexOf("sgb2_children_u15")] = NaN;
  const r = computeIndicators(c);
  assert.ok(Number.isNaN(get(r, "child_poverty", "A", 2024)));
  assert.equal(get(r, "child_poverty", "A", 2024, "reason"), MissingCause.MissingInput);
  assert.ok(Number.isNaN(r.reference.value[r.definitions.findIndex((d) => d.id === "child_poverty")]!), "the city total is missing too");
  assert.equal(get(r, "share_65plus", "A", 2024), 15, "other indicators are unaffected");
});

test("the city reference is formed from summed counts, not by averaging area rates", () => {
  const r = computeIndicators(cube([2024], {
    A: { 2024: { pop_total: 10, age_65_70: 1, age_30_35: 9 } },
    B: { 2024: { pop_total: 100, age_65_70: 50, age_30_35: 50 } },
  }), { indicators: ["share_65plus"] });
  assert.equal(r.reference.value[0], (51 / 110) * 100); // not (10 % + 50 %) / 2 = 30 %
});

test("change over four years: percentage points for shares, absolute and % for counts", () => {
  const r = computeIndicators(cube([2020, 2021, 2024], {
    A: { 2020: { pop_total: 800, age_65_70: 80, age_30_35: 720 }, 2021: { pop_total: 900 }, 2024: { pop_total: 1000, age_65_70: 150, age_30_35: 850 } },
  }), { indicators: ["share_65plus", "population"] });
  assert.ok(Math.abs(get(r, "share_65plus", "A", 2024, "change") - 5) < 1e-12); // 15 % − 10 %
  assert.equal(get(r, "population", "A", 2024, "change"), 200);
  assert.equal(get(r, "population", "A", 2024, "changePct"), 25);
  assert.ok(Number.isNaN(get(r, "share_65plus", "A", 2024, "changePct")), "no relative change for shares");
  assert.equal(get(r, "population", "A", 2021, "changeReason"), MissingCause.NoComparisonYear);
});

test("rank 1 is the highest value; ties share a rank; missing values get no rank", () => {
  const r = computeIndicators(cube([2024], {
    A: { 2024: { pop_total: 10, age_65_70: 5, age_30_35: 5 } },
    B: { 2024: { pop_total: 10, age_65_70: 2, age_30_35: 8 } },
    C: { 2024: { pop_total: 10, age_65_70: 5, age_30_35: 5 } },
    D: { 2024: { pop_total: 0 } },
  }), { indicators: ["share_65plus"] });
  assert.deepEqual(["A", "B", "C"].map((a) => get(r, "share_65plus", a, 2024, "rank")), [1, 3, 1]);
  assert.ok(Number.isNaN(get(r, "share_65plus", "D", 2024, "rank")));
});

test("indicators the age bands cannot support are skipped by default and refused when asked for", () => {
  const variables = ["pop_total", "age_00_06", "age_06_15", "age_15_18", "age_18_27", "age_27_45", "age_45_55", "age_55_65", "age_65_plus"];
  const c: CountCube = { areas: ["X"], years: [2024], variables, values: new Float64Array(variables.length).fill(1) };
  const r = computeIndicators(c, { indicators: undefined, catalogue: INDICATORS.filter((d) => d.numerator.concat(d.denominator ?? []).every((t) => t.startsWith("age:") || t === "pop_total")) });
  assert.ok(r.skipped.some((s) => s.id === "greying_index" && /80\+ cannot be built/.test(s.reason)));
  assert.ok(r.definitions.some((d) => d.id === "child_poverty") === false);
  assert.ok(r.definitions.some((d) => d.id === "share_u18"));
  assert.throws(() => computeIndicators(c, { indicators: ["greying_index"] }), /greying_index cannot be computed: age range 80\+/);
});

test("aggregateCounts sums exactly along the hierarchy and keeps missing children visible", () => {
  const c = cube([2024], { "0101001": { 2024: { pop_total: 5 } }, "0101002": { 2024: { pop_total: 7 } }, "0102001": { 2024: { pop_total: 11 } } });
  const d = aggregateCounts(c, (id) => id.slice(0, 4));
  assert.deepEqual(d.areas, ["0101", "0102"]);
  assert.equal(d.values[0], 12);
  assert.equal(d.values[VARS.length], 11);
  c.values[0] = NaN;
  assert.ok(Number.isNaN(aggregateCounts(c, (id) => id.slice(0, 4)).values[0]));
  assert.throws(() => aggregateCounts(c, new Map([["0101001", "0101"]])), /area "0101002" has no parent/);
  const withEmpty = aggregateCounts(cube([2024], { "0101001": { 2024: { pop_total: 5 } } }), (id) => id.slice(0, 4), { parents: ["0101", "0199"] });
  assert.ok(Number.isNaN(withEmpty.values[VARS.length]), "a parent without children has missing, not zero, counts");
});

test("AGE_BANDS tile 0 to open-ended without gaps", () => {
  let at = 0;
  for (const [from, to] of AGE_BANDS) { assert.equal(from, at); at = to ?? Infinity; }
  assert.equal(ageBandId(90, null), "age_90_plus");
});

test("a dataset configuration adds indicators and picks alternatives without code changes", async () => {
  const { datasetCatalogue } = await import("../src/indicators/dataset");
  const { catalogue, alternatives } = datasetCatalogue({
    rules: {
      indicators: [
        { id: "greying_index", alternative: "60-80" },
        { id: "share_u6", label: "Anteil unter 6-Jährige", definition: "Einwohner unter 6 Jahren je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["age:0-6"], denominator: ["pop_total"], unit: "%" },
      ],
    },
  });
  assert.deepEqual(alternatives, { greying_index: "60-80" });
  const r = computeIndicators(cube([2024], { A: { 2024: A2024 } }), { catalogue, alternatives, indicators: ["share_u6", "greying_index"] });
  assert.equal(get(r, "share_u6", "A", 2024), 10); // age_00_03 = 100 of 1000
  assert.equal(get(r, "greying_index", "A", 2024), 25);
  assert.throws(() => datasetCatalogue({ rules: { indicators: [{ id: "new_one", label: "x" }] } }), /needs definition, topic, kind, numerator, unit/);
  assert.throws(() => datasetCatalogue({ rules: { indicators: [{ id: "greying_index", alternative: "nope" }] } }), /invalid rules.indicators\[0\].alternative/);
});

test("indicatorFrame gives wide and long DataFrames with ids as strings and the definitions attached", async () => {
  const { indicatorFrame } = await import("../src/present/frame");
  const r = computeIndicators(cube([2020, 2024], { "0101": { 2020: A2024, 2024: A2024 }, "0102": { 2020: B2024, 2024: B2024 } }), { indicators: ["share_65plus", "population"] });
  const wide = indicatorFrame(r);
  assert.deepEqual(wide.shape, [3, 4]); // city + 2 areas; id, name, 2 indicators
  assert.deepEqual(wide["Gebiet-ID"].values, ["", "0101", "0102"]);
  const long = indicatorFrame(r, { form: "long" });
  assert.equal(long.shape[0], 2 * 2 * 2);
  assert.ok(long.definitions.some((d) => d.startsWith("Anteil ab 65-Jährige: Einwohner 65 Jahre und älter je 100 Einwohner (%).")));
});
