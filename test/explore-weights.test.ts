import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import type { Polygon } from "geojson";
import { contiguityWeights, lattice, neighbourStats, parseGal, rowStandardise, subsetWeights, weightsFromNeighbours } from "../src/explore/weights";
import { loadAreaSystem } from "../src/load/geometry";

const sq = (x: number, y: number, s: number): Polygon => ({ type: "Polygon", coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });
function grid(rows: number, cols: number, size = 100, jitter = 0) {
  const out = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const g = sq(c * size, r * size, size);
    // floating-point noise on every vertex (deterministic)
    if (jitter) g.coordinates[0] = g.coordinates[0]!.map(([x, y], i) => [x! + jitter * Math.sin(7 * r + 3 * c + i), y! + jitter * Math.cos(5 * r + 11 * c + i)]);
    out.push({ id: `${r},${c}`, projected: g });
  }
  return out;
}

test("3×3 grid: rook counts 2/3/4 (corner/edge/centre), queen 3/5/8, as lat2W", () => {
  const rook = contiguityWeights(grid(3, 3), { rule: "rook" });
  const queen = contiguityWeights(grid(3, 3), { rule: "queen" });
  assert.deepEqual(rook.neighbours.map((l) => l.length), [2, 3, 2, 3, 4, 3, 2, 3, 2]);
  assert.deepEqual(queen.neighbours.map((l) => l.length), [3, 5, 3, 5, 8, 5, 3, 5, 3]);
  assert.deepEqual(rook.neighbours, lattice(3, 3, "rook").neighbours);
  assert.deepEqual(queen.neighbours, lattice(3, 3, "queen").neighbours);
  assert.deepEqual(rook.sharedLength![4], [100, 100, 100, 100]);
  assert.deepEqual(rook.islands, []);
});

test("contiguity is robust to floating-point noise below the tolerance (vertices off by up to 1 mm)", () => {
  const noisy = grid(4, 5, 250, 0.001);
  assert.deepEqual(contiguityWeights(noisy, { rule: "rook", tolerance: 0.01 }).neighbours, lattice(4, 5, "rook").neighbours);
  assert.deepEqual(contiguityWeights(noisy, { rule: "queen", tolerance: 0.01 }).neighbours, lattice(4, 5, "queen").neighbours);
  // without tolerance the noisy corners no longer meet
  assert.notDeepEqual(contiguityWeights(noisy, { rule: "queen", tolerance: 0 }).neighbours, lattice(4, 5, "queen").neighbours);
});

test("shared edge without shared vertices (T-junction) is found; distant areas are islands", () => {
  const areas = [
    { id: "big", projected: sq(0, 0, 200) },
    { id: "a", projected: sq(200, 0, 100) },  // its left edge lies on big's right edge, vertex (200,100) only on a's side
    { id: "b", projected: sq(200, 100, 100) },
    { id: "far", projected: sq(1000, 1000, 10) },
    { id: "empty", projected: { type: "MultiPolygon" as const, coordinates: [] } },
  ];
  const w = contiguityWeights(areas, { rule: "rook" });
  assert.deepEqual(w.neighbours[0], [1, 2]);
  assert.deepEqual(w.sharedLength![0], [100, 100]);
  assert.deepEqual(w.islands, [3, 4]);
  assert.deepEqual(neighbourStats(w).islands, ["far", "empty"]);
});

test("row standardisation: rows sum to 1, islands stay empty", () => {
  const w = rowStandardise(weightsFromNeighbours(["a", "b", "c", "d"], { a: ["b", "c"], b: ["a"], c: ["a"] }));
  assert.deepEqual(w.weights, [[0.5, 0.5], [1], [1], []]);
  assert.equal(w.transform, "row");
  assert.deepEqual(w.islands, [3]);
});

test("GAL reader: PySAL desmith.gal (10 areas) and stl_hom_rook.gal (78 counties)", () => {
  const d = parseGal(readFileSync(path.join(__dirname, "fixtures/spatial/desmith.gal"), "utf8"));
  assert.equal(d.ids.length, 10);
  assert.deepEqual(d.neighbours[3]!.map((j) => d.ids[j]), ["1", "3", "5", "8"]);
  const s = neighbourStats(parseGal(readFileSync(path.join(__dirname, "fixtures/spatial/stl_hom_rook.gal"), "utf8")));
  assert.equal(s.n, 78);
  assert.equal(s.symmetric, true);
  assert.deepEqual([s.min, s.max], [3, 9]);
  assert.throws(() => parseGal("2\n1 1\n2\n2 2\n1"), /declares 2 neighbours, lists 1/);
});

test("subsetWeights drops links to removed areas and finds new islands", () => {
  const w = subsetWeights(lattice(1, 3, "rook"), [true, false, true]);
  assert.deepEqual(w.neighbours, [[], []]);
  assert.deepEqual(w.islands, [0, 1]);
});

const PLR = path.resolve(__dirname, "../../shared/data/berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp");

test("Berlin PLR 2021 (542): queen and rook contiguity — neighbour counts, no islands, symmetric, stable in tolerance", async () => {
  const plr = await loadAreaSystem(PLR, { idField: "PLR_ID" });
  const queen = neighbourStats(contiguityWeights(plr.features, { rule: "queen" }));
  const rook = neighbourStats(contiguityWeights(plr.features, { rule: "rook" }));
  // Reported figures (tolerance 1 cm): queen min 2 / mean 5.974 / max 14; rook 2 / 5.435 / 14; no islands.
  assert.deepEqual([queen.n, queen.min, queen.max, queen.islands.length, queen.symmetric], [542, 2, 14, 0, true]);
  assert.equal(queen.mean.toFixed(3), "5.974");
  assert.deepEqual([rook.min, rook.max, rook.islands.length, rook.symmetric], [2, 14, 0, true]);
  assert.equal(rook.mean.toFixed(3), "5.435");
  // the same structure for tolerances from 1 mm to 10 cm
  for (const tolerance of [0.001, 0.1]) {
    assert.equal(neighbourStats(contiguityWeights(plr.features, { rule: "queen", tolerance })).mean.toFixed(3), "5.974");
    assert.equal(neighbourStats(contiguityWeights(plr.features, { rule: "rook", tolerance })).mean.toFixed(3), "5.435");
  }
  // every pair sharing an identical vertex (PySAL's vertex-based queen) is a queen neighbour here
  const w = contiguityWeights(plr.features, { rule: "queen" });
  const byVertex = new Map<string, Set<number>>();
  plr.features.forEach((f, i) => {
    const polys = f.projected.type === "Polygon" ? [f.projected.coordinates] : f.projected.coordinates;
    for (const ring of polys.flat()) for (const [x, y] of ring) {
      const k = `${x},${y}`;
      if (!byVertex.has(k)) byVertex.set(k, new Set());
      byVertex.get(k)!.add(i);
    }
  });
  const vertexPairs = new Set<string>();
  for (const s of byVertex.values()) for (const a of s) for (const b of s) if (a < b) vertexPairs.add(`${a},${b}`);
  for (const p of vertexPairs) {
    const [a, b] = p.split(",").map(Number) as [number, number];
    assert.ok(w.neighbours[a]!.includes(b), `vertex-sharing pair ${plr.features[a]!.id}/${plr.features[b]!.id} missing`);
  }
  const queenPairs = w.neighbours.reduce((s, l) => s + l.length, 0) / 2;
  assert.equal(queenPairs, 1619);
  assert.ok(vertexPairs.size <= queenPairs);
});
