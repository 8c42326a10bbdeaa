import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { classify, classifyPooled, equalInterval, fisherJenks, manual, quantiles, resolveScheme, stdMean, SCHEMES } from "../src/explore/classify";

// California county employment density (emp/sq km), PySAL's calempdensity.csv, mapclassify's load_example().
const CAL = readFileSync(path.join(__dirname, "fixtures/spatial/calempdensity.csv"), "utf8")
  .trim().split("\n").slice(1).map((l) => Number(l.split(",").pop()));

const close = (a: number[], b: number[], eps = 1e-6) => {
  assert.equal(a.length, b.length, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= eps * Math.max(1, Math.abs(b[i]!)), `[${i}] ${x} vs ${b[i]}`));
};

test("calempdensity fixture has mapclassify's 58 values (min 0.13, max 4111.45)", () => {
  assert.equal(CAL.length, 58);
  assert.equal(Math.min(...CAL), 0.13);
  assert.equal(Math.max(...CAL), 4111.45);
});

// Expected values: pysal/mapclassify mapclassify/tests/test_mapclassify.py (TestQuantiles, TestEqualInterval,
// TestStdMean, TestFisherJenks, TestFindBin, TestUserDefined, TestPooled).
test("quantiles(calemp, k=5) gives mapclassify's bins and counts (numpy linear percentiles)", () => {
  const q = quantiles(CAL, { k: 5 });
  close(q.bins, [1.464, 5.798, 13.278, 54.616, 4111.45]);
  assert.deepEqual(q.counts, [12, 11, 12, 11, 12]);
});

test("equal interval(calemp, k=5) gives mapclassify's bins and counts", () => {
  const e = equalInterval(CAL);
  close(e.bins, [822.394, 1644.658, 2466.922, 3289.186, 4111.45]);
  assert.deepEqual(e.counts, [57, 0, 0, 0, 1]);
  assert.throws(() => equalInterval([1, 1, 1, 1]), /invalid k: 5 \(only 1 distinct values\)/);
});

test("std_mean(calemp) gives mapclassify's StdMean bins (sample SD, multiples -2,-1,1,2, max appended)", () => {
  const s = stdMean(CAL);
  close(s.bins, [-967.36235382, -420.71712519, 672.57333208, 1219.21856072, 4111.45]);
  assert.deepEqual(s.counts, [0, 0, 56, 1, 1]);
});

test("fisher_jenks(calemp, k=5) gives mapclassify's FisherJenks bins and counts", () => {
  const f = fisherJenks(CAL, { k: 5 });
  assert.deepEqual(f.bins, [75.29, 192.05, 370.5, 722.85, 4111.45]);
  assert.deepEqual(f.counts, [49, 3, 4, 1, 1]);
});

test("classOf matches mapclassify find_bin for k=5 and k=9 Fisher-Jenks", () => {
  const toClass = [0, 1, 3, 5, 50, 70, 101, 202, 390, 505, 800, 5000, 5001];
  assert.deepEqual(toClass.map(fisherJenks(CAL, { k: 5 }).classOf), [0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 4, 4, 4]);
  assert.deepEqual(toClass.map(fisherJenks(CAL, { k: 9 }).classOf), [0, 0, 0, 0, 2, 2, 3, 5, 7, 7, 8, 8, 8]);
});

test("manual breaks behave as mapclassify.UserDefined (max appended above the last break)", () => {
  assert.deepEqual(manual(CAL, [20, Math.max(...CAL)]).counts, [37, 21]);
  const m = manual(CAL, [20, 30]);
  assert.deepEqual(m.bins, [20, 30, 4111.45]);
  assert.deepEqual(m.counts, [37, 4, 17]);
  assert.deepEqual(manual([12, 12, 12], [10, 20, 30, 40]).counts, [0, 3, 0, 0]);
  assert.deepEqual(manual([5, 50], [10], { appendMax: false }).bins, [10]);
});

test("classifyPooled: one set of breaks for all years, as mapclassify.Pooled", () => {
  const cols = [1, 2, 3].map((i) => Array.from({ length: 20 }, (_, j) => j + i * 20));
  const p = classifyPooled({ 2019: cols[0]!, 2020: cols[1]!, 2021: cols[2]! }, { k: 4 });
  assert.deepEqual(p.pooled.counts, [15, 15, 15, 15]);
  assert.deepEqual(p.byYear.get("2019")!.counts, [15, 5, 0, 0]);
  assert.deepEqual(p.byYear.get("2021")!.counts, [0, 0, 5, 15]);
  for (const c of p.byYear.values()) assert.deepEqual(c.bins, p.pooled.bins);
  const m = classifyPooled(new Map([[2020, [1, NaN, 3]], [2024, [2, 4, NaN, NaN]]]), { scheme: "equal_interval", k: 2 });
  assert.equal(m.byYear.get("2024")!.missing, 2);
  assert.equal(m.pooled.missing, 3);
});

test("missing values (NaN, Infinity, null) are never classed and counted separately", () => {
  const c = classify([1, NaN, 2, null, 3, Infinity, 4, undefined], { scheme: "quantiles", k: 2 });
  assert.equal(c.missing, 4);
  assert.equal(c.counts.reduce((a, b) => a + b, 0), 4);
  assert.deepEqual(c.classes, [0, null, 0, null, 1, null, 1, null]);
  assert.equal(c.classOf(NaN), null);
});

test("dispatcher: known schemes and mapclassify names; unknown schemes rejected by name", () => {
  for (const s of SCHEMES.filter((x) => x !== "manual")) assert.equal(classify(CAL, { scheme: s }).scheme, s);
  assert.equal(classify(CAL, { scheme: "manual", breaks: [10] }).k, 2);
  assert.equal(resolveScheme("FisherJenks"), "fisher_jenks");
  assert.equal(resolveScheme("UserDefined"), "manual");
  assert.equal(resolveScheme("EqualInterval"), "equal_interval");
  assert.throws(() => classify(CAL, { scheme: "HeadTailBreaks" }), /invalid scheme: "HeadTailBreaks" \(expected one of "quantiles", "equal_interval", "std_mean", "fisher_jenks", "manual"\)/);
  assert.throws(() => classify(CAL, { scheme: "manual" }), /invalid breaks/);
  assert.throws(() => classify(CAL, { k: 0 }), /invalid k: 0/);
});

test("closed: 'left' puts a value equal to a break into the next class ('bis unter')", () => {
  assert.deepEqual(manual([1, 2, 3], [2]).classes, [0, 0, 1]);
  assert.deepEqual(manual([1, 2, 3], [2], { closed: "left" }).classes, [0, 1, 1]);
});

test("Fisher-Jenks is optimal: no other 3-class split of a small set has a lower within-class sum of squares", () => {
  const x = [1, 2, 4, 7, 11, 16, 22, 29, 37, 46];
  const ssw = (parts: number[][]) => parts.reduce((s, p) => { const m = p.reduce((a, b) => a + b, 0) / p.length; return s + p.reduce((a, b) => a + (b - m) ** 2, 0); }, 0);
  const f = fisherJenks(x, { k: 3 });
  const best = ssw([0, 1, 2].map((c) => x.filter((_, i) => f.classes[i] === c)));
  for (let a = 1; a < x.length - 1; a++) for (let b = a + 1; b < x.length; b++) {
    assert.ok(best <= ssw([x.slice(0, a), x.slice(a, b), x.slice(b)]) + 1e-9);
  }
});
