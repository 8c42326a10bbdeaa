import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { localMoran, moran, mulberry32, normalCdf } from "../src/explore/moran";
import { contiguityWeights, lattice, parseGal, weightsFromNeighbours } from "../src/explore/weights";
import { loadAreaSystem } from "../src/load/geometry";
import { readCsv } from "../src/load/table";

const F = path.join(__dirname, "fixtures/spatial");
const near = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("normalCdf and mulberry32 are exact and reproducible", () => {
  near(normalCdf(1.959963984540054), 0.975, 1e-12);
  near(normalCdf(0), 0.5, 1e-15);
  near(1 - normalCdf(3.6410971835457375), 0.00013573931385468807, 1e-9);
  const a = mulberry32(42), b = mulberry32(42);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
});

// esda tests/test_moran.py::TestMoran::test_moran — St Louis region homicide rates 1988–93 (HR8893),
// 78 counties: I = 0.24365582621771659, one-tailed p_norm = 0.00013573931385468807.
// esda uses stl.gal (queen); the rook file shipped beside it gives the identical I (no county pair
// touches at a point only).
test("global Moran's I on St Louis homicides equals esda's reference (I, EI, p_norm)", () => {
  const w = parseGal(readFileSync(path.join(F, "stl_hom_rook.gal"), "utf8"));
  const y = readFileSync(path.join(F, "stl_hom.txt"), "utf8").trim().split("\n").slice(2).map((l) => Number(l.split(",")[2]));
  const m = moran(y, w, { twoTailed: false, permutations: 999, seed: 1 });
  near(m.I, 0.24365582621771659, 1e-12);
  near(m.EI, -1 / 77, 1e-15);
  near(m.p_norm, 0.00013573931385468807, 1e-9);
  assert.equal(m.n, 78);
  assert.ok(m.p_sim <= 0.002, `p_sim ${m.p_sim}`);
  const again = moran(y, w, { twoTailed: false, permutations: 999, seed: 1 });
  assert.equal(again.p_sim, m.p_sim);
  assert.equal(again.z_sim, m.z_sim);
  // two-tailed (esda default) doubles p
  near(moran(y, w, { permutations: 0 }).p_norm, 2 * 0.00013573931385468807, 1e-9);
});

// esda tests/test_moran.py::TestMoran::test_variance — y = 1..9 on lat2W(3, 3), binary weights.
test("variance of I under randomisation and normality on a 3×3 lattice equals esda's", () => {
  const m = moran([1, 2, 3, 4, 5, 6, 7, 8, 9], lattice(3, 3, "rook"), { transform: "binary", permutations: 0 });
  near(m.VI_rand, 0.059687500000000004, 1e-12);
  near(m.VI_norm, 0.053125000000000006, 1e-12);
  near(m.EI, -0.125, 1e-15);
});

// PySAL desmith example (de Smith, Goodchild, Longley: Geospatial Analysis): 10 areas.
// Quadrants q = [4,4,4,2,3,3,1,4,3,3] (esda Moran_Local docstring; 1 HH, 2 LH, 3 LL, 4 HL) and
// local Is from the PySAL 1.x Moran_Local docstring.
test("local Moran on desmith: Is and quadrants equal PySAL's", () => {
  const w = parseGal(readFileSync(path.join(F, "desmith.gal"), "utf8"));
  const y = readFileSync(path.join(F, "desmith.txt"), "utf8").trim().split("\n").slice(2).map((l) => Number(l.split(",")[1]));
  const lm = localMoran(y, w, { permutations: 99, seed: 10 });
  const Is = [-0.11409277, -0.19940543, -0.13351408, -0.51770383, 0.48095009, 0.12208113, 1.19148298, -0.58144305, 0.07101383, 0.34314301];
  lm.areas.forEach((a, i) => near(a.I, Is[i]!, 1e-7));
  assert.deepEqual(lm.areas.map((a) => a.quadrant), ["HL", "HL", "HL", "LH", "LL", "LL", "HH", "HL", "LL", "LL"]);
  // sum of local Is = global I × (n − 1)/n ·n… : Σ I_i = (n − 1) · Σ z_i·lag_i / Σ z² = (n − 1)/n · n · I (row weights)
  const g = moran(y, w, { permutations: 0 });
  near(lm.areas.reduce((s, a) => s + a.I, 0), (g.n - 1) * g.I, 1e-12);
  // pseudo p-values: valid range, reproducible per seed
  for (const a of lm.areas) assert.ok(a.pSim >= 0.01 && a.pSim <= 0.5, `${a.id} ${a.pSim}`);
  assert.deepEqual(localMoran(y, w, { permutations: 99, seed: 10 }).areas.map((a) => a.pSim), lm.areas.map((a) => a.pSim));
});

test("invariants: perfect checkerboard gives I = −1 (rook), a smooth gradient I > 0 with small pseudo p", () => {
  const w = lattice(8, 8, "rook");
  const board = w.ids.map((id) => { const [r, c] = id.split(",").map(Number) as [number, number]; return (r + c) % 2; });
  near(moran(board, w, { permutations: 99 }).I, -1, 1e-12);
  const grad = w.ids.map((id) => { const [r, c] = id.split(",").map(Number) as [number, number]; return r + c; });
  const m = moran(grad, w, { permutations: 999, seed: 3 });
  assert.ok(m.I > 0.8, `I ${m.I}`);
  assert.equal(m.p_sim, 0.001);
  const lm = localMoran(grad, w, { permutations: 199, seed: 3 });
  assert.equal(lm.areas[0]!.cluster, "LL");
  assert.equal(lm.areas[63]!.cluster, "HH");
  assert.equal(lm.counts.HL + lm.counts.LH, 0);
});

test("missing values and islands: excluded and flagged, or kept with a zero lag", () => {
  const w = weightsFromNeighbours(["a", "b", "c", "d", "e", "f"], { a: ["b"], b: ["a", "c"], c: ["b", "d"], d: ["c"], e: [], f: ["d"] });
  const y = [1, 2, 3, 4, 10, NaN];
  const ex = moran(y, w, { permutations: 0 });
  assert.equal(ex.n, 4);
  assert.deepEqual(ex.excluded, [{ id: "f", reason: "missing" }, { id: "e", reason: "island" }]);
  const kept = moran(y, w, { permutations: 0, islands: "keep" });
  assert.equal(kept.n, 5);
  assert.deepEqual(kept.keptIslands, ["e"]);
  const lm = localMoran(y, w, { permutations: 9 });
  assert.deepEqual(lm.areas.map((a) => a.cluster).slice(4), ["island", "missing"]);
  assert.ok(Number.isNaN(lm.areas[4]!.I));
  assert.throws(() => moran([1, 2], w), /invalid values: length 2 \(expected 6/);
  assert.throws(() => moran(y, w, { islands: "drop" as never }), /invalid islands/);
});

test("Berlin PLR: MSS 2021 status indicator S4 is strongly clustered (queen, row-standardised)", async () => {
  const plr = await loadAreaSystem(path.resolve(__dirname, "../../shared/data/berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp"), { idField: "PLR_ID" });
  const t = readCsv(path.resolve(__dirname, "../../shared/data/berlin-mss-2021/fisbroker-wfs/mss_2021_index_indikatoren.csv"));
  const [h, ...rows] = t.rows;
  const s4 = new Map(rows.map((r) => [String(r[h!.indexOf("PLR_ID")]), r[h!.indexOf("KOM")] === "gültig" ? Number(r[h!.indexOf("S4")]) : NaN]));
  const w = contiguityWeights(plr.features, { rule: "queen" });
  const y = plr.features.map((f) => s4.get(f.id) ?? NaN);
  const m = moran(y, w, { permutations: 999, seed: 2021 });
  assert.equal(m.n, 536);
  assert.equal(m.excluded.length, 6);
  assert.ok(m.I > 0.5 && m.p_sim === 0.001, `I ${m.I} p ${m.p_sim}`);
  const lm = localMoran(y, w, { permutations: 999, seed: 2021 });
  assert.equal(lm.counts.missing, 6);
  assert.ok(lm.counts.HH > 30 && lm.counts.LL > 30, JSON.stringify(lm.counts));
});
