import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import type { MultiPolygon, Polygon, Position } from "geojson";
import { orient2d, overlapAreas, OverlapTable } from "../src/areas/overlay";
import { geometryArea } from "../src/load/geom";
import { mulberry32, voronoiTessellation } from "./fixtures/overlay/voronoi";

const ring = (x: number, y: number, w: number, h = w): Position[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]];
const sq = (x: number, y: number, w: number, h = w): Polygon => ({ type: "Polygon", coordinates: [ring(x, y, w, h)] });
const cw = (p: Polygon): Polygon => ({ type: "Polygon", coordinates: p.coordinates.map((r) => r.slice().reverse()) });
const shift = (p: Polygon, dx: number, dy: number): Polygon => ({ type: "Polygon", coordinates: p.coordinates.map((r) => r.map(([x, y]) => [x! + dx, y! + dy])) });

/** Pairs as `"i/j" → area`. */
function pairs(o: OverlapTable): Map<string, number> {
  const m = new Map<string, number>();
  for (let k = 0; k < o.length; k++) m.set(`${o.source[k]}/${o.target[k]}`, o.areaM2[k]!);
  return m;
}

function assertPairs(o: OverlapTable, expected: Record<string, number>, tol = 1e-12): void {
  const got = pairs(o);
  assert.deepEqual([...got.keys()].sort(), Object.keys(expected).sort(), `pairs ${JSON.stringify([...got])}`);
  for (const [k, v] of Object.entries(expected)) {
    assert.ok(Math.abs(got.get(k)! - v) <= tol * Math.max(1, Math.abs(v)), `pair ${k}: ${got.get(k)} ≠ ${v}`);
  }
}

test("orient2d(a, b, c) has the exact sign, also for nearly collinear points", () => {
  assert.equal(Math.sign(orient2d(0, 0, 1, 0, 0, 1)), 1);
  assert.equal(Math.sign(orient2d(0, 0, 1, 0, 0, -1)), -1);
  assert.equal(orient2d(0.1, 0.1, 0.2, 0.2, 0.3, 0.3), 0);
  assert.equal(orient2d(400000, 5800000, 400000.5, 5800000.25, 400001, 5800000.5), 0);
  // 400000.1 etc. are not exactly collinear as doubles: the sign follows the stored values.
  assert.equal(Math.sign(orient2d(400000.1, 5800000.3, 400000.7, 5800000.9, 400001.3, 5800001.5)), -1);
  // 2^-50 above the line through (0,0) and (1,1): the naive formula rounds it to 0 at this scale.
  const y = 0.5 + 2 ** -50;
  assert.equal(Math.sign(orient2d(12345.5, 12345.5, 12346.5, 12346.5, 12346, 12346 + 2 ** -39)), 1); // one ulp above
  assert.equal(Math.sign(orient2d(0, 0, 1, 1, 0.5, y)), 1);
});

test("overlapAreas: partial overlap, disjoint and far polygons", () => {
  assertPairs(overlapAreas([sq(0, 0, 2)], [sq(1, 1, 2), sq(5, 5, 1)]), { "0/0": 1 });
  // A diamond |x| + |y| ≤ 1 against the unit square: a quarter of its area 2.
  const diamond: Polygon = { type: "Polygon", coordinates: [[[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]]] };
  assertPairs(overlapAreas([diamond], [sq(0, 0, 1), sq(-1, -1, 1)]), { "0/0": 0.5, "0/1": 0.5 });
});

test("overlapAreas: identical polygons overlap fully, whatever the ring orientation and closing vertex", () => {
  const p = sq(390000.25, 5810000.75, 123.5, 77.25);
  const a = p.coordinates[0]!.length;
  const open: Polygon = { type: "Polygon", coordinates: [p.coordinates[0]!.slice(0, a - 1)] };
  for (const q of [p, cw(p), open]) {
    const o = overlapAreas([p], [q]);
    assertPairs(o, { "0/0": 123.5 * 77.25 });
    assert.equal(o.sourceAreaM2[0], o.targetAreaM2[0]);
  }
  // Identical irregular polygons with many collinear and shared vertices.
  const cells = voronoiTessellation(50, { seed: 5 });
  const o = overlapAreas(cells, cells);
  assert.equal(o.length, 50);
  for (let k = 0; k < o.length; k++) {
    assert.equal(o.source[k], o.target[k]);
    assert.ok(Math.abs(o.areaM2[k]! / geometryArea(cells[o.source[k]!]) - 1) < 1e-12);
  }
});

test("overlapAreas: touching edges and corners give no pair (zero-area contacts)", () => {
  const neighbours = [sq(1, 0, 1), sq(-1, 0, 1), sq(0, 1, 1), sq(0, -1, 1), sq(1, 1, 1), sq(-1, -1, 1), sq(1, -1, 1), sq(-1, 1, 1), sq(1, 0.25, 1, 0.5), sq(0.25, 1, 0.5, 1)];
  for (const orient of [(p: Polygon) => p, cw]) {
    const o = overlapAreas([sq(0, 0, 1)], neighbours.map(orient));
    assert.equal(o.length, 0, JSON.stringify([...pairs(o)]));
    const r = overlapAreas(neighbours.map(orient), [sq(0, 0, 1)]);
    assert.equal(r.length, 0, JSON.stringify([...pairs(r)]));
  }
  // A triangle touching the square only in one vertex lying on the square's edge.
  const tri: Polygon = { type: "Polygon", coordinates: [[[0.5, 1], [1, 2], [0, 2], [0.5, 1]]] };
  assert.equal(overlapAreas([sq(0, 0, 1)], [tri]).length, 0);
});

test("overlapAreas: shared edges, T-junctions and one polygon inside another", () => {
  // Half-shared edges: [0,2]² ∩ [1,3]×[0,2] = 2.
  assertPairs(overlapAreas([sq(0, 0, 2)], [sq(1, 0, 2, 2)]), { "0/0": 2 });
  // Target inside the source (sharing two edges with it) and fully inside.
  assertPairs(overlapAreas([sq(0, 0, 4)], [sq(0, 0, 1), sq(1, 1, 1), sq(3, 3, 1)]), { "0/0": 1, "0/1": 1, "0/2": 1 });
  // Source inside the target.
  assertPairs(overlapAreas([sq(1, 1, 1), sq(0, 0, 4)], [sq(0, 0, 4)]), { "0/0": 1, "1/0": 16 });
  // A fine grid nested in a coarse one: every cell lies in exactly one coarse cell with shared edges.
  const fine: Polygon[] = [], coarse: Polygon[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) fine.push(sq(i, j, 1));
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) coarse.push(sq(i * 5, j * 5, 5));
  const o = overlapAreas(fine, coarse);
  assert.equal(o.length, 100);
  for (let k = 0; k < o.length; k++) {
    const i = Math.floor(o.source[k]! / 10), j = o.source[k]! % 10;
    assert.equal(o.target[k], Math.floor(i / 5) * 2 + Math.floor(j / 5));
    assert.equal(o.areaM2[k], 1);
  }
});

test("overlapAreas: holes subtract and polygons inside a hole do not overlap", () => {
  const holed: Polygon = { type: "Polygon", coordinates: [ring(0, 0, 4), ring(1, 1, 2)] };
  const holedCw: Polygon = { type: "Polygon", coordinates: [ring(0, 0, 4).reverse(), ring(1, 1, 2)] }; // hole with the "wrong" orientation
  for (const h of [holed, holedCw]) {
    const o = overlapAreas([h], [sq(0, 0, 4), sq(1, 1, 2), sq(0, 0, 2), sq(1.5, 1.5, 1), sq(-1, -1, 2)]);
    assertPairs(o, { "0/0": 12, "0/2": 3, "0/4": 1 });
    assert.equal(o.sourceAreaM2[0], 12);
  }
  // Hole against hole: the ring parts overlap, the holes do not count.
  assertPairs(overlapAreas([holed], [{ type: "Polygon", coordinates: [ring(1, 0, 4), ring(2, 1, 2)] }]), { "0/0": 6 } /* [1,4]×[0,4] minus the union [1,4]×[1,3] of both holes */);
});

test("overlapAreas: multipolygons sum over their parts", () => {
  const multi: MultiPolygon = { type: "MultiPolygon", coordinates: [[ring(3, 3, 2)], [ring(-1, -1, 1.5)], [ring(10, 10, 1)]] };
  const o = overlapAreas([sq(0, 0, 4), sq(4, 0, 4), { type: "MultiPolygon", coordinates: [[ring(9, 9, 3)], [ring(-2, -2, 2)]] }], [multi]);
  assertPairs(o, { "0/0": 1 + 0.25, "1/0": 1, "2/0": 1 + 1 });
  assert.equal(o.targetAreaM2[0], 4 + 2.25 + 1);
});

test("overlapAreas: null geometries overlap nothing; bad input names the item", () => {
  const o = overlapAreas([null, sq(0, 0, 1)], [undefined, sq(0, 0, 1)]);
  assertPairs(o, { "1/1": 1 });
  assert.equal(o.sourceAreaM2[0], 0);
  assert.throws(() => overlapAreas([{ type: "Point", coordinates: [0, 0] } as never], []), /invalid sources\[0\]: "Point" \(expected a GeoJSON Polygon or MultiPolygon\)/);
  assert.throws(() => overlapAreas([], [sq(0, NaN, 1)]), /invalid targets\[0\]: coordinate/);
  assert.throws(() => overlapAreas([], [], { zeroTolerance: -1 }), /invalid zeroTolerance: -1/);
});

test("overlapAreas: per-source and per-target sums equal the areas for tessellations (to 1e-9 relative)", () => {
  for (const [n, m, seed] of [[3000, 60, 1], [400, 400, 7], [200, 3, 9]] as const) {
    const A = voronoiTessellation(n, { seed }), B = voronoiTessellation(m, { seed: seed + 100 });
    const o = overlapAreas(A, B);
    const sa = new Float64Array(n), sb = new Float64Array(m);
    for (let k = 0; k < o.length; k++) {
      sa[o.source[k]!]! += o.areaM2[k]!;
      sb[o.target[k]!]! += o.areaM2[k]!;
      assert.ok(o.areaM2[k]! > 0);
    }
    A.forEach((g, i) => assert.ok(Math.abs(sa[i]! / geometryArea(g) - 1) < 1e-9, `source ${i}: ${sa[i]} vs ${geometryArea(g)}`));
    B.forEach((g, j) => assert.ok(Math.abs(sb[j]! / geometryArea(g) - 1) < 1e-9, `target ${j}`));
  }
});

test("overlapAreas: invariant under swapping sources and targets and under translation", () => {
  const rnd = mulberry32(3);
  const A = voronoiTessellation(150, { seed: 21 }), B = voronoiTessellation(40, { seed: 22 });
  const o = pairs(overlapAreas(A, B));
  const swapped = overlapAreas(B, A);
  assert.equal(swapped.length, o.size);
  for (let k = 0; k < swapped.length; k++) {
    const v = o.get(`${swapped.target[k]}/${swapped.source[k]}`)!;
    assert.ok(Math.abs(swapped.areaM2[k]! / v - 1) < 1e-9);
  }
  const dx = Math.round(rnd() * 1000), dy = Math.round(rnd() * 1000);
  const moved = pairs(overlapAreas(A.map((p) => shift(p, dx, dy)), B.map((p) => shift(p, dx, dy))));
  assert.equal(moved.size, o.size);
  for (const [k, v] of o) assert.ok(Math.abs(moved.get(k)! / v - 1) < 1e-6, k);
});

test("overlapAreas agrees with GEOS (geopandas.overlay) on a seeded Voronoi pair to 1e-9 (fixture)", () => {
  const ref = JSON.parse(readFileSync(path.join(__dirname, "fixtures/overlay/voronoi-300x20-geos.json"), "utf8")) as { pairs: [number, number, number][] };
  const o = pairs(overlapAreas(voronoiTessellation(300, { seed: 11 }), voronoiTessellation(20, { seed: 12 })));
  const big = ref.pairs.filter((p) => p[2] > 1);
  for (const [i, j, a] of big) assert.ok(Math.abs(o.get(`${i}/${j}`)! / a - 1) < 1e-9, `${i}/${j}: ${o.get(`${i}/${j}`)} vs GEOS ${a}`);
  const ours = [...o.values()].filter((a) => a > 1).length;
  assert.equal(ours, big.length);
});
