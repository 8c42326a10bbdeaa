import { test } from "node:test";
import assert from "node:assert/strict";
import { loadDataset } from "../src/project/config";
import { countsVia, compareSystems, comparisonMapSvg, comparisonTable, differenceMapSvg, largestDifference, maupExperiment, territorySystem, territoryTable } from "../src/areas/compare";
import { computeIndicators } from "../src/indicators/compute";
import { protectionProblem } from "../src/export/files";

const ds = loadDataset("data/musterstadt/dataset.json", { validate: false });

test("countsVia: Musterstadt quarters are unions of block groups, counts carried over exactly (nested), the rest reported", async () => {
  const d = await ds;
  assert.equal(territorySystem(d), "quartier");
  const v = countsVia(d, "quartier");
  assert.equal(v.method, "nested");
  assert.deepEqual(v.split, []);
  assert.equal(v.counts.areas.length, 8);
  // Totals: placed + outside the quarters = city.
  const bbg = countsVia(d, "bbg");
  assert.equal(bbg.method, "delivered");
  const Y = v.counts.years.length, V = v.counts.variables.length, y = Y - 1, pv = v.counts.variables.indexOf("pop_total");
  let inQuarters = 0;
  for (let a = 0; a < 8; a++) inQuarters += v.counts.values[(a * Y + y) * V + pv]!;
  const city = computeIndicators(bbg.counts, { indicators: ["population"] }).reference.value[y]!;
  const outside = v.notPlaced.reduce((s, x) => s + x.residents, 0);
  assert.ok(Math.abs(inQuarters + outside - city) < 1e-6, `${inQuarters} + ${outside} vs ${city}`);
  assert.equal(countsVia(d, "statbez").method, "aggregated");
});

test("compareSystems on Musterstadt: Q04 shows the pocket (≈29 %) against its district's figure (≈22.6 %)", async () => {
  const d = await ds;
  const c = compareSystems(d, { indicators: ["child_poverty", "share_65plus"] });
  assert.equal(largestDifference(c, "child_poverty"), "Q04");
  const q4 = c.rows.find((x) => x.territory === "Q04" && x.indicator === "child_poverty")!;
  assert.ok(q4.fromBlocks > 28.5 && q4.fromBlocks < 29.5, String(q4.fromBlocks));
  assert.equal(q4.mainDistrict, "0101");
  assert.ok(Math.abs(q4.mainDistrictValue - 22.6) < 0.05, String(q4.mainDistrictValue));
  assert.ok(q4.fromDistricts > 21 && q4.fromDistricts < 23.5);
  assert.ok(Math.abs(q4.city - 22.4) < 0.05);
  assert.ok(q4.classBlocks > q4.classDistricts, "the pocket climbs classes");
  assert.equal(q4.own, q4.fromBlocks, "no own statistics: (c) equals (a)");
  const t = territoryTable(c, "Q04");
  assert.match(t.notes.join("\n"), /^Geheimhaltung/m);
  assert.ok(comparisonTable(c, "child_poverty").rows.length === 8);
});

test("comparison maps are marked protected and hide suppressed block values", async () => {
  const d = await ds;
  const c = compareSystems(d, { indicators: ["child_poverty"] });
  for (const svg of [
    comparisonMapSvg(d, c, "child_poverty", { territory: "Q04" }),
    comparisonMapSvg(d, c, "child_poverty", { level: "districts" }),
    comparisonMapSvg(d, c, "child_poverty", { level: "blocks" }),
    differenceMapSvg(d, c, "child_poverty", { territory: "Q04" }),
  ]) assert.equal(protectionProblem("karte.svg", svg), undefined);
  const blocks = comparisonMapSvg(d, c, "child_poverty", { level: "blocks" });
  const hidden = c.blocks.result.areas.filter((_, a) => c.blocks.suppressed[(0 * c.blocks.result.areas.length + a) * c.blocks.result.years.length + c.blocks.result.years.length - 1]);
  assert.ok(hidden.length > 0);
  const v = c.blocks.result.value[(c.blocks.result.areas.indexOf(hidden[0]!)) * c.blocks.result.years.length + c.blocks.result.years.length - 1]!;
  const title = blocks.match(new RegExp(`\\(${hidden[0]}\\): ([^<]*)<`))?.[1];
  assert.ok(title && !title.includes(v.toFixed(1).replace(".", ",")), `hidden value must not appear: ${title}`);
});

test("maupExperiment: 200 zonings of the block groups, contiguous partitions, table protected", async () => {
  const d = await ds;
  const m = maupExperiment(d, { indicator: "child_poverty", regions: 17, zonings: 200, seed: 1 });
  assert.equal(m.check.notContiguous.length, 0);
  assert.equal(m.check.notPartition.length, 0);
  assert.equal(m.table.rows.length, 250);
  assert.match(m.table.notes.join("\n"), /^Geheimhaltung/m);
  const again = maupExperiment(d, { indicator: "child_poverty", regions: 17, zonings: 200, seed: 1 });
  assert.deepEqual(again.distribution.median, m.distribution.median);
});
