/**
 * Case study Berlin PLR → polling districts (real data from ../shared/data; skipped where
 * absent): conservation of the city total (1e-9 relative) for the area- and grid-weighted
 * crosswalks, gaps reported, and the age-group sums.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { berlinPollingDistrictStudy, closeGaps, missingBerlinCaseStudyFiles } from "../src/casestudies/berlin-wahlbezirke";
import { coverage } from "../src/areas/crosswalk";

test("Berlin polling districts: totals conserved, gaps listed, shares plausible", { skip: missingBerlinCaseStudyFiles().length ? "../shared/data missing" : false }, async () => {
  const s = await berlinPollingDistrictStudy();
  assert.equal(s.wahlbezirke.features.length, 1709);
  assert.equal(s.plr.features.length, 542);
  assert.equal(s.year, 2024);
  assert.equal(s.conservation[0]!.input, 3897145);
  for (const c of s.conservation) assert.ok(c.balanceError < 1e-9, `${c.method}: balance ${c.balanceError}`);
  // With gaps closed, the polling districts add up to the city total.
  for (const c of s.conservation.slice(1)) assert.ok(c.totalError < 1e-9, `${c.method}: total ${c.totalError}`);
  // Without, the gap mass is reported, not lost.
  assert.ok(s.conservation[0]!.outsideTargets > 0 && s.area.crosswalk.gaps.length > 0);
  for (const [, v] of coverage(closeGaps(s.area.crosswalk))) assert.ok(Math.abs(v - 1) < 1e-12);
  // Age groups: Σ under 18 and 65+ conserved too.
  const sum = (k: "under18" | "age65") => s.area.estimates.reduce((a, e) => a + e[k], 0);
  let u18 = 0, o65 = 0;
  for (let i = 0; i < s.plrCounts.areas.length; i++) { u18 += s.plrCounts.values[i * 3 + 1]!; o65 += s.plrCounts.values[i * 3 + 2]!; }
  assert.ok(Math.abs(sum("under18") - u18) / u18 < 1e-9 && Math.abs(sum("age65") - o65) / o65 < 1e-9);
  for (const e of s.area.estimates) if (e.population > 100) assert.ok(e.share18 >= 0 && e.share18 <= 100 && e.share65 >= 0 && e.share65 <= 100, JSON.stringify(e));
  assert.ok(s.grid && s.grid.plrWithoutCentre > 100, "cell centres are too coarse for PLR (reported)");
});
