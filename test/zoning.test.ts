import { test } from "node:test";
import assert from "node:assert/strict";
import { lattice } from "../src/explore/weights";
import { checkZonings, randomZonings, zoningDistribution, zoningGraph, zoningSummary } from "../src/areas/zoning";

// A 12 × 12 lattice (queen contiguity) with seeded populations: small enough to check everything.
const w = lattice(12, 12, "queen");
const graph = zoningGraph(w);
const n = graph.ids.length;
const pop = Array.from({ length: n }, (_, i) => 50 + ((i * 7919) % 113));
const total = pop.reduce((a, b) => a + b, 0);

test("randomZonings is reproducible: the same seed gives the same labels, another seed others", () => {
  const a = randomZonings(graph, pop, { regions: 12, zonings: 50, seed: 7 });
  const b = randomZonings(graph, pop, { regions: 12, zonings: 50, seed: 7 });
  const c = randomZonings(graph, pop, { regions: 12, zonings: 50, seed: 8 });
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(a.labels, c.labels);
});

test("every zoning is a partition into contiguous regions; totals are conserved", () => {
  const z = randomZonings(graph, pop, { regions: 12, zonings: 300, seed: 1 });
  const c = checkZonings(z, graph);
  assert.equal(c.checked, 300);
  assert.deepEqual(c.notPartition, []);
  assert.deepEqual(c.notContiguous, []);
  assert.equal(c.maxTotalDifference, 0);
  // Every block has a label in 0 … m−1 and every region is used.
  for (let zi = 0; zi < z.count; zi++) {
    const m = z.regionCounts[zi]!;
    const used = new Set(z.labels.subarray(zi * n, (zi + 1) * n));
    assert.equal(used.size, m);
  }
});

test("population bounds are met or counted as violations (the check agrees with the generator)", () => {
  const z = randomZonings(graph, pop, { regions: 12, zonings: 200, seed: 3, minPopulation: 800, maxPopulation: 2500 });
  const c = checkZonings(z, graph);
  assert.equal(c.belowFloor, z.floorViolations);
  assert.equal(c.aboveCeiling, z.ceilingViolations);
  assert.equal(z.floorViolations, 0, "a connected lattice can always merge small regions");
  const s = zoningSummary(z);
  assert.ok(s.population.min >= 800);
  assert.ok(s.regions.min >= 1 && s.regions.max <= 144);
});

test("a floor no region can meet is reported, not hidden (an island block without neighbours)", () => {
  const g2 = zoningGraph({ ids: ["a", "b", "c", "island"], neighbours: [[1], [0, 2], [1], []] });
  const z = randomZonings(g2, [100, 100, 100, 10], { regions: 2, zonings: 20, seed: 1, minPopulation: 50 });
  const c = checkZonings(z, g2);
  assert.deepEqual(c.notContiguous, []);
  assert.ok(z.floorViolations >= 20, "the island is below the floor in every zoning");
  assert.ok(z.violations.every((v) => v.kind === "floor" && v.population === 10));
});

test("zoningDistribution forms region values from summed counts; numerator totals conserved", () => {
  const z = randomZonings(graph, pop, { regions: 10, zonings: 100, seed: 5 });
  const num = pop.map((p, i) => Math.round(p * (0.1 + (i % 12) / 40)));
  const d = zoningDistribution(z, num, pop);
  const totalNum = num.reduce((a, b) => a + b, 0);
  for (const t of d.numeratorTotals) assert.equal(t, totalNum);
  // Recompute zoning 0, block 17 by hand.
  const r = z.labels[17]!;
  let sn = 0, sd = 0;
  for (let i = 0; i < n; i++) if (z.labels[i] === r) { sn += num[i]!; sd += pop[i]!; }
  assert.ok(Math.abs(d.values[17 * z.count + 0]! - (100 * sn) / sd) < 1e-4);
  for (let i = 0; i < n; i++) {
    assert.ok(d.min[i]! <= d.q1[i]! && d.q1[i]! <= d.median[i]! && d.median[i]! <= d.q3[i]! && d.q3[i]! <= d.max[i]!);
    assert.ok(d.topShare[i]! >= 0 && d.topShare[i]! <= 1);
  }
  // Quantiles agree with a sort.
  const s = Array.from(d.values.subarray(17 * z.count, 18 * z.count)).sort((a, b) => a - b);
  const q = (p: number) => { const h = (s.length - 1) * p, lo = Math.floor(h); return s[lo]! + (h - lo) * ((s[lo + 1] ?? s[lo]!) - s[lo]!); };
  assert.ok(Math.abs(d.median[17]! - q(0.5)) < 1e-4);
  assert.ok(Math.abs(d.q1[17]! - q(0.25)) < 1e-4);
  assert.equal(d.max[17], s[s.length - 1]);
});

test("zoningDistribution: a missing count makes its region's value missing, never 0", () => {
  const z = randomZonings(graph, pop, { regions: 10, zonings: 20, seed: 9 });
  const num = pop.map(() => 10);
  num[0] = NaN;
  const d = zoningDistribution(z, num, pop);
  for (let zi = 0; zi < z.count; zi++) assert.ok(Number.isNaN(d.values[0 * z.count + zi]!));
  assert.ok(Number.isNaN(d.median[0]!));
});

test("invalid input is rejected with the name of the option", () => {
  assert.throws(() => randomZonings(graph, pop, { regions: 0 }), /invalid regions/);
  assert.throws(() => randomZonings(graph, pop.slice(1), { regions: 3 }), /invalid population/);
  assert.throws(() => randomZonings(graph, pop, { regions: 3, minPopulation: 10, maxPopulation: 5 }), /invalid maxPopulation/);
  assert.throws(() => zoningDistribution(randomZonings(graph, pop, { regions: 3, zonings: 1 }), pop, pop, { top: 0 }), /invalid top/);
});

test("total population is conserved: sum over regions equals the blocks' total", () => {
  const z = randomZonings(graph, pop, { regions: 15, zonings: 10, seed: 2 });
  for (let zi = 0; zi < z.count; zi++) {
    const m = z.regionCounts[zi]!;
    const p = new Float64Array(m);
    for (let i = 0; i < n; i++) p[z.labels[zi * n + i]!]! += pop[i]!;
    assert.equal(p.reduce((a, b) => a + b, 0), total);
  }
});
