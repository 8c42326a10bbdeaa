/**
 * Berlin's population series across the LOR change of 1.1.2021: old Planungsräume (447 ids in
 * 448 features, WGS84 GeoJSON) → new 542 PLR (shapefile, EPSG:25833), area-weighted.
 * Real data from ../shared/data (see its SOURCES.md); nothing is copied into the repository.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { sampleCorrelation } from "simple-statistics";
import { areaCrosswalk, areaKeys, interpolate, loadCrosswalk, nestedCrosswalk, saveCrosswalk } from "../src/areas/crosswalk";
import { loadAreaSystem } from "../src/load/geometry";
import { loadStatistics } from "../src/load/statistics";

const DATA = path.resolve(__dirname, "../../shared/data");
const OLD = path.join(DATA, "berlin-lor-pre2021-geojson/berlin-lor-planning-areas-until-2020.geojson");
const NEW = path.join(DATA, "berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp");
const POP = path.join(DATA, "berlin-lor-population-2015-2024/berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t1-planning-areas.csv");

const load = async () => {
  const oldPlr = await loadAreaSystem(OLD, { idField: "id", nameField: "name", id: "plr-2006", vintage: "until 2020-12-31", metricCrs: "EPSG:25833" });
  const plr = await loadAreaSystem(NEW, { idField: "PLR_ID", id: "plr", vintage: "2021-01-01" });
  const pop = (year: number) => loadStatistics({ file: POP, areaSystem: year < 2021 ? "plr-2006" : "plr", layout: "wide", areaField: "id", columns: { inhabitants: "pop_total" }, years: [year] });
  return { oldPlr, plr, pop2020: await pop(2020), pop2021: await pop(2021) };
};
const data = load();

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("Berlin old → new PLR: the duplicate id 06010102 stays two features; its counts and 04030417's are reported as unplaced", async () => {
  const { oldPlr, plr, pop2020 } = await data;
  assert.equal(oldPlr.features.length, 448);
  const cw = areaCrosswalk(oldPlr, plr);
  assert.deepEqual(cw.from.areas.filter((k) => k.includes("#")), ["06010102#123", "06010102#204"]);
  assert.equal(cw.from.vintage, "until 2020-12-31");
  assert.equal(cw.to.source?.sha256.length, 64);
  assert.deepEqual(cw.unmatchedSources, []);
  assert.deepEqual(cw.unmatchedTargets, []);
  const r = interpolate(pop2020, cw, { extensive: ["pop_total"], missingSources: "skip" });
  assert.equal(r.totals.input[0], 3769962);
  assert.deepEqual(r.unplaced.map((u) => [u.area, u.amounts[0]]), [["04030417", 10786], ["06010102", 8808]]);
  assert.deepEqual(r.sourcesWithoutCounts, ["06010102#123", "06010102#204"]);
  const sum = r.counts.values.reduce((a, b) => a + b, 0);
  // Conservation: total = placed + unplaced (no geometry) + outside all new PLR (boundary slivers).
  assert.ok(rel(sum + r.totals.unplaced[0]! + r.totals.outsideTargets[0]!, 3769962) < 1e-9);
  assert.ok(r.totals.outsideTargets[0]! < 100, `outside: ${r.totals.outsideTargets[0]}`);
});

test("Berlin old → new PLR: 2020 population carried onto the 2021 PLR conserves the city total and matches 2021 closely", async () => {
  const { oldPlr, plr, pop2020, pop2021 } = await data;
  // Known data error: one of the two features with id 06010102 is Charlottenburg's
  // Schloßstraße, 04030417 in the register. Tell them apart by where they lie (district 04).
  const probe = areaCrosswalk(oldPlr, plr);
  const keys = areaKeys(oldPlr).map((k) => {
    if (!k.startsWith("06010102#")) return k;
    const main = probe.pairs.filter((p) => p.source === k).sort((a, b) => b.weight - a.weight)[0]!;
    return main.target.startsWith("04") ? "04030417" : "06010102";
  });
  assert.deepEqual(keys.filter((k, i) => k !== oldPlr.features[i]!.id), ["04030417"]);
  const cw = areaCrosswalk(oldPlr, plr, { sourceKeys: keys });
  const dir = mkdtempSync(path.join(tmpdir(), "cw-berlin-"));
  try {
    saveCrosswalk(cw, path.join(dir, "crosswalk_plr-2006_plr-2021.json"));
    const back = loadCrosswalk(path.join(dir, "crosswalk_plr-2006_plr-2021.json"), { from: oldPlr, to: plr });
    assert.equal(back.pairs.length, cw.pairs.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const r = interpolate(pop2020, cw, { extensive: ["pop_total"] });
  assert.deepEqual(r.unplaced, []);
  assert.deepEqual(r.sourcesWithoutCounts, []);
  const sum = r.counts.values.reduce((a, b) => a + b, 0);
  const outside = r.totals.outsideTargets[0]!;
  assert.ok(rel(sum + outside, 3769962) < 1e-9, `${sum} + ${outside}`);
  assert.ok(outside > 0 && outside < 100); // reported: inhabitants of old-PLR slivers outside every new PLR
  // Against the real 2021 counts on the new PLR (a different year: loose bounds). Most new PLR
  // agree within a few per cent; the outliers are old PLR split into new ones whose population
  // is not spread like their area (e.g. 09020502 → 09200511/09200512), the known limit of area
  // weighting (observed: r ≈ 0.87, median ≈ 2.4 %).
  const x: number[] = [], y: number[] = [], pct: number[] = [];
  r.counts.areas.forEach((id, t) => {
    const a = pop2021.areas.indexOf(id);
    const real = a >= 0 ? pop2021.values[a]! : NaN;
    if (!Number.isFinite(real)) return;
    x.push(r.counts.values[t]!);
    y.push(real);
    if (real >= 300) pct.push(Math.abs(r.counts.values[t]! - real) / real * 100);
  });
  pct.sort((a, b) => a - b);
  const pearson = sampleCorrelation(x, y);
  const medianPct = pct[pct.length >> 1]!;
  console.log(`# Berlin 2020 (old PLR → new PLR, area-weighted) vs 2021: n = ${x.length}, Pearson r = ${pearson.toFixed(4)}, median |diff| = ${medianPct.toFixed(2)} % (PLR ≥ 300 inhabitants, n = ${pct.length}); slivers ${cw.slivers.length} of ${cw.pairs.length} pairs; outside new PLR: ${outside.toFixed(1)} inhabitants`);
  assert.equal(x.length, 542);
  assert.ok(pearson > 0.8, `r = ${pearson}`);
  assert.ok(medianPct < 5, `median = ${medianPct}`);
});

test("Berlin PLR → BZR nest: by parent ids and by geometry the same 542 links, no child split", async () => {
  const { plr: plain } = await data;
  const plr = await loadAreaSystem(NEW, { idField: "PLR_ID", id: "plr", vintage: "2021-01-01", parent: { system: "bzr", idPrefixLength: 6 } });
  const bzr = await loadAreaSystem(NEW.replace("_PLR_", "_BZR_"), { idField: "BZR_ID", id: "bzr", vintage: "2021-01-01" });
  const byIds = nestedCrosswalk(plr, bzr);
  assert.equal(byIds.options.by, "ids");
  assert.equal(byIds.pairs.length, 542);
  assert.deepEqual(byIds.split, []);
  const byGeom = nestedCrosswalk(plain, bzr, { by: "geometry" });
  assert.deepEqual(byGeom.split, []);
  assert.deepEqual(byGeom.pairs.map((p) => [p.source, p.target, p.weight]), byIds.pairs.map((p) => [p.source, p.target, p.weight]));
});
