/** Protected chart inputs on the real default dataset: the age pyramid and the top areas. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { loadDataset } from "../src/project/config";
import { protectedIndicatorsFor } from "../src/protect/dataset";
import { protectedPyramid, topAreas } from "../src/protect/figures";
import { resultIndex } from "../src/indicators/compute";

const MUSTERSTADT = path.resolve(__dirname, "../data/musterstadt/dataset.json");

test("protectedPyramid: per-year shares sum to 100 % over the bands; suppressed bands are gaps, not values", async () => {
  const ds = await loadDataset(MUSTERSTADT, { validate: false });
  const py = protectedPyramid(ds, "statbez", "0101", 2024);
  const widths = py.bands.map((b) => (b.endsWith("+") ? 10 : Number(b.split("–")[1]) - Number(b.split("–")[0]) + 1));
  const cityTotal = py.right.values.reduce((s, v, i) => s + v * widths[i]!, 0);
  assert.ok(Math.abs(cityTotal - 100) < 1e-9, `city shares sum to ${cityTotal}`);
  assert.ok("hidden" in py.protection);
  const hidden = (py.protection as { hidden: Map<string, unknown> }).hidden;
  py.left.values.forEach((v, i) => assert.equal(Number.isNaN(v), hidden.has(`left:${py.bands[i]}`), `band ${py.bands[i]}`));
  // On the finest level small bands exist: find a block group with a suppressed band and check it is a gap.
  const fine = ds.areaSystems.get("bbg")!.features.map((f) => f.id);
  const withGap = fine.map((id) => protectedPyramid(ds, "bbg", id, 2024)).find((x) => (x.protection as { hidden: Map<string, unknown> }).hidden.size > 0);
  assert.ok(withGap, "some block group has a suppressed age band");
  assert.ok(withGap.left.values.some(Number.isNaN));
});

test("topAreas picks the highest published values and never a suppressed cell", async () => {
  const ds = await loadDataset(MUSTERSTADT, { validate: false });
  const p = protectedIndicatorsFor(ds, "bbg", { indicators: ["child_poverty"] });
  const top = topAreas(p, "child_poverty", 5);
  assert.equal(top.length, 5);
  const r = p.result;
  const v = (id: string) => r.value[resultIndex(r, 0, r.areas.indexOf(id), r.years.length - 1)]!;
  for (const id of top) assert.equal(p.suppressed[resultIndex(r, 0, r.areas.indexOf(id), r.years.length - 1)], 0);
  for (let i = 1; i < top.length; i++) assert.ok(v(top[i - 1]!) >= v(top[i]!));
  assert.deepEqual(topAreas(p, undefined), []);
});
