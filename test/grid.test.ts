/**
 * The Zensus 2011 grid as building blocks: reader (sentinels, cell ids, coordinates), point vs
 * square assignment conserving totals, and the Bottrop estimate against the grid cells inside
 * the city (real data from ../shared/data; skipped where absent).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { gridCellId, gridEstimate, gridSentinels, gridSquares, parseGridCellId, parseZensusGridCsv, readZensusGridParquet } from "../src/areas/grid";
import type { AreaSystem } from "../src/load/geometry";
import { resolveCrs, transformer } from "../src/load/crs";
import { bottropZensusStudy, missingBottropCaseStudyFiles } from "../src/casestudies/bottrop-zensus";

const CSV = [
  "Gitter_ID_1km;x_mp_1km;y_mp_1km;Einwohner;Frauen_A;Alter_D;unter18_A;ab65_A",
  "CRS3035RES1000mN3160000E4100000;4100500;3160500;1000;50;40;20;10",
  "CRS3035RES1000mN3160000E4101000;4101500;3160500;-1;-1;-1;-1;-1",
  "CRS3035RES1000mN3161000E4100000;4100500;3161500;7;-9;52;-9;-9",
  "CRS3035RES1000mN3161000E4101000;4101500;3161500;3000;51;30.5;25;5",
].join("\n");

test("grid reader: ids, coordinates and sentinels", () => {
  assert.equal(gridCellId(4096500, 3153500), "CRS3035RES1000mN3153000E4096000");
  assert.deepEqual(parseGridCellId("CRS3035RES1000mN3153000E4096000"), { x: 4096500, y: 3153500, size: 1000 });
  assert.throws(() => parseGridCellId("1kmN3153E4096"), /invalid grid cell id/);
  const g = parseZensusGridCsv(CSV, "fixture");
  assert.deepEqual(Array.from(g.population), [1000, 0, 7, 3000]);
  assert.deepEqual(Array.from(g.status.Einwohner!), [0, -1, 0, 0]);
  assert.ok(Number.isNaN(g.values.unter18_A![1]!) && Number.isNaN(g.values.unter18_A![2]!), "sentinels are never values");
  assert.deepEqual(Array.from(g.status.unter18_A!), [0, -1, -9, 0]);
  assert.equal(g.values.Alter_D![3], 30.5);
  const u18 = gridSentinels(g).find((r) => r.attribute === "unter18_A")!;
  assert.deepEqual([u18.cells, u18.none, u18.suppressed, u18.inhabitedUnknown, u18.inhabitantsUnknown], [2, 1, 1, 1, 7]);
  // An id that does not name its coordinates, and an unknown negative value, are refused.
  assert.throws(() => parseZensusGridCsv(CSV.replace("4101500;3160500", "4102500;3160500"), "bad"), /names centre/);
  assert.throws(() => parseZensusGridCsv(CSV.replace(";-9;52;", ";-3;52;"), "bad"), /expected ≥ 0 or a sentinel/);
});

/** A rectangle in EPSG:25832 as a one-feature system. */
function box(id: string, x0: number, y0: number, x1: number, y1: number): AreaSystem["features"][number] {
  const ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
  return { id, name: id, properties: {}, projected: { type: "Polygon", coordinates: [ring] }, wgs84: { type: "Polygon", coordinates: [ring] }, areaM2: (x1 - x0) * (y1 - y0), index: 0 };
}

test("points vs squares: both conserve the total where the areas cover the grid; squares share boundary cells by area", () => {
  const g = parseZensusGridCsv(CSV, "fixture");
  const crs = resolveCrs("EPSG:25832");
  const t = transformer(resolveCrs("EPSG:3035"), crs);
  // Two areas splitting the 2 × 2 cell block (and a margin) along the projected middle line.
  const corners = [[4099000, 3159000], [4103000, 3159000], [4103000, 3163000], [4099000, 3163000]].map((p) => t(p as [number, number]));
  const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mid = t([4101000, 3161000])[0];
  const sys: AreaSystem = { id: "two", label: "two", kind: "other", vintage: "", crs: crs.proj4, epsg: 25832, crsName: "EPSG:25832", crsSource: "option", idField: "id", features: [box("W", x0, y0, mid, y1), box("E", mid, y0, x1, y1)], source: { file: "", sha256: "" }, findings: [] };
  sys.features[1]!.index = 1;
  const total = 4007;
  for (const method of ["points", "squares"] as const) {
    const e = gridEstimate(g, sys, { method });
    assert.ok(Math.abs(e.totals.population - total) < 1e-6, `${method}: ${e.totals.population}`);
    assert.ok(Math.abs(e.rows[0]!.population + e.rows[1]!.population - total) < 1e-6);
  }
  // Points: whole cells by centre.
  const p = gridEstimate(g, sys, { method: "points" });
  assert.deepEqual(p.rows.map((r) => Math.round(r.population)), [1007, 3000]);
  // Shares: known cells only; the suppressed cell (7 inhabitants) is outside the base.
  assert.equal(p.rows[0]!.base18, 1000);
  assert.equal(p.rows[0]!.share18, 20);
  assert.ok(Math.abs(p.rows[0]!.meanAge - (1000 * 40 + 7 * 52) / 1007) < 1e-9);
  // Squares: a half-covering area gets about half of each cell.
  const half: AreaSystem = { ...sys, features: [box("W", x0, y0, mid, y1)] };
  const s = gridEstimate(g, half, { method: "squares" });
  assert.ok(Math.abs(s.rows[0]!.population - 1007) < 15, `squares west ${s.rows[0]!.population}`);
  assert.ok(Math.abs(s.totals.population + s.totals.outside - total) < 1e-6, "population + outside = grid");
  // The projected squares keep their area (LAEA is equal-area; UTM scale ≈ 1 here).
  const sq = gridSquares(g, "EPSG:25832");
  for (const f of sq.features) assert.ok(Math.abs(f.areaM2 / 1e6 - 1) < 2e-3, `${f.id}: ${f.areaM2}`);
});

test("Bottrop from the Zensus 2011 grid: totals within tolerance of the cells inside the city", { skip: missingBottropCaseStudyFiles().length ? "../shared/data missing" : false }, async () => {
  const b = await bottropZensusStudy();
  assert.equal(b.districts.features.length, 27);
  assert.equal(b.grid.ids.length, 594);
  // Points: exactly the cells whose centre is in a district.
  assert.equal(b.points.totals.population, b.points.totals.centresInside);
  // Squares: within 2 % of the cells inside the city (boundary cells shared by area) and of the official census figure.
  const rel = Math.abs(b.squares.totals.population - b.points.totals.centresInside) / b.points.totals.centresInside;
  assert.ok(rel < 0.02, `squares ${b.squares.totals.population} vs cells inside ${b.points.totals.centresInside}: ${rel}`);
  for (const e of [b.points, b.squares]) assert.ok(Math.abs(e.totals.population / b.official.population - 1) < 0.02, `${e.method}: ${e.totals.population}`);
  // Every district gets inhabitants by squares; shares and mean age are plausible.
  for (const r of b.squares.rows) {
    assert.ok(r.population > 1000, `${r.id} ${r.name}: ${r.population}`);
    assert.ok(r.share18 > 5 && r.share18 < 30 && r.share65 > 5 && r.share65 < 40 && r.meanAge > 35 && r.meanAge < 55, JSON.stringify(r));
    assert.ok(Math.abs(r.under18 + 0 - (r.share18 / 100) * r.population) < 1e-6);
  }
  // Sentinels are reported for the cells used.
  const u18 = b.squares.sentinels.find((s) => s.attribute === "unter18_A")!;
  assert.ok(u18.suppressed > 0 && u18.inhabitantsUnknown > 0);
});

test("grid parquet reader agrees with the derived CSV", { skip: existsSync("../shared/data/zensus2011-1km/continuous_Einwohner.parquet") && !missingBottropCaseStudyFiles().length ? false : "../shared/data missing" }, async () => {
  const csv = (await bottropZensusStudy()).grid;
  const pq = await readZensusGridParquet("../shared/data/zensus2011-1km", { bbox: [4096000, 3153000, 4118000, 3180000], attributes: ["unter18_A", "ab65_A", "Alter_D"] });
  assert.equal(pq.ids.length, csv.ids.length);
  const byId = new Map(pq.ids.map((id, i) => [id, i]));
  csv.ids.forEach((id, i) => {
    const j = byId.get(id)!;
    assert.ok(j !== undefined, id);
    assert.equal(pq.population[j], csv.population[i]);
    assert.equal(pq.status.unter18_A![j], csv.status.unter18_A![i]);
  });
  assert.equal(pq.population.reduce((a, b) => a + b, 0), 1018649);
});
