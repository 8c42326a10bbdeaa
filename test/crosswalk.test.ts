import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import type { Polygon, Position } from "geojson";
import { areaCrosswalk, areaKeys, coverage, Crosswalk, interpolate, loadCrosswalk, nestedCrosswalk, populationCrosswalk, saveCrosswalk } from "../src/areas/crosswalk";
import type { CountCube } from "../src/indicators/compute";
import { geometryArea, type AreaGeometry } from "../src/load/geom";
import type { AreaSystem } from "../src/load/geometry";
import { mulberry32, voronoiTessellation } from "./fixtures/overlay/voronoi";

const ring = (x: number, y: number, w: number, h = w): Position[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]];
const sq = (x: number, y: number, w: number, h = w): Polygon => ({ type: "Polygon", coordinates: [ring(x, y, w, h)] });

/** A minimal in-memory area system (EPSG:25833) for tests. */
function system(id: string, geoms: AreaGeometry[], ids?: string[], parentIds?: string[], crs = 25833): AreaSystem {
  return {
    id, label: id, kind: "other", vintage: `${id}-v1`, crs: `+proj=utm +zone=${crs - 25800}`, epsg: crs, crsName: `EPSG:${crs}`, crsSource: "option", idField: "id",
    features: geoms.map((g, i) => ({ id: ids?.[i] ?? `${id}${i}`, name: "", parentId: parentIds?.[i], properties: {}, projected: g, wgs84: g, areaM2: geometryArea(g), index: i })),
    source: { file: `/virtual/${id}.geojson`, sha256: `hash-of-${id}` }, findings: [],
  };
}

function cube(areas: string[], variables: string[], rows: number[][], years = [2020]): CountCube {
  return { areas, years, variables, values: Float64Array.from(rows.flat()) };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test("areaCrosswalk: weights are area shares of the source; targetWeight shares of the target", () => {
  // Source: two 2×2 squares side by side; target: one 4×1 strip over both and one 2×1 at the top left.
  const src = system("s", [sq(0, 0, 2), sq(2, 0, 2)]);
  const tgt = system("t", [sq(0, 0, 4, 1), sq(0, 1, 2, 1)]);
  const cw = areaCrosswalk(src, tgt);
  assert.equal(cw.method, "area");
  assert.deepEqual(cw.pairs.map((p) => [p.source, p.target, p.weight, p.targetWeight, p.areaM2]), [
    ["s0", "t0", 0.5, 0.5, 2], ["s0", "t1", 0.5, 1, 2], ["s1", "t0", 0.5, 0.5, 2],
  ]);
  // s1's upper half lies in no target: a gap with its area, and coverage 0.5.
  assert.deepEqual(cw.gaps, [{ source: "s1", share: 0.5, amount: 2, unit: "m2" }]);
  assert.equal(coverage(cw).get("s1"), 0.5);
  assert.deepEqual(cw.unmatchedSources, []);
  assert.deepEqual(cw.unmatchedTargets, []);
  assert.equal(cw.from.source?.sha256, "hash-of-s");
});

test("interpolate: extensive totals are conserved to 1e-9 on a Voronoi tessellation; mass outside targets is reported", () => {
  const A = voronoiTessellation(300, { seed: 31 }), B = voronoiTessellation(25, { seed: 32 });
  const src = system("a", A), tgt = system("b", B);
  const cw = areaCrosswalk(src, tgt);
  const rnd = mulberry32(5);
  const c = cube(src.features.map((f) => f.id), ["pop", "kids"], A.map(() => [Math.round(rnd() * 5000), Math.round(rnd() * 900)]), [2020]);
  const r = interpolate(c, cw, { extensive: ["pop", "kids"] });
  for (let v = 0; v < 2; v++) {
    let inSum = 0, outSum = 0;
    for (let a = 0; a < A.length; a++) inSum += c.values[a * 2 + v]!;
    for (let t = 0; t < B.length; t++) outSum += r.counts.values[t * 2 + v]!;
    assert.ok(rel(outSum, inSum) < 1e-9, `${outSum} vs ${inSum}`);
    assert.ok(rel(r.totals.placed[v]!, inSum) < 1e-9);
    assert.ok(Math.abs(r.totals.outsideTargets[v]!) < 1e-6 * inSum);
  }
  // Targets covering only the left half: the right half's mass is reported as outside targets.
  const half = system("h", [sq(390000, 5810000, 5000, 10000)]);
  const r2 = interpolate(c, areaCrosswalk(src, half), { extensive: ["pop"] });
  assert.ok(rel(r2.counts.values[0]! + r2.totals.outsideTargets[0]!, r2.totals.input[0]!) < 1e-9);
  assert.ok(r2.totals.outsideTargets[0]! > 0.3 * r2.totals.input[0]!);
});

test("interpolate: intensive variables are weighted means over each target; missing stays missing", () => {
  const src = system("s", [sq(0, 0, 2), sq(2, 0, 2)]);
  const tgt = system("t", [sq(1, 0, 2, 2), sq(0, 0, 1, 2), sq(10, 10, 1)]);
  const cw = areaCrosswalk(src, tgt);
  const c = cube(["s0", "s1"], ["pop", "rate"], [[100, 10], [300, 30]]);
  const r = interpolate(c, cw, { extensive: ["pop"], intensive: ["rate"] });
  assert.deepEqual(r.counts.variables, ["pop", "rate"]);
  assert.deepEqual(Array.from(r.counts.values.slice(0, 4)), [50 + 150, 20, 50, 10]); // t0: half of each source, mean rate 20; t1: half of s0
  assert.ok(Number.isNaN(r.counts.values[4]!) && Number.isNaN(r.counts.values[5]!)); // t2 receives nothing
  assert.deepEqual(r.targetsWithoutSources, ["t2"]);
  // A missing source count makes the targets it feeds missing (propagate), or is left out (skip).
  const m = cube(["s0", "s1"], ["pop", "rate"], [[NaN, 10], [300, 30]]);
  const p = interpolate(m, cw, { extensive: ["pop"], intensive: ["rate"] });
  assert.ok(Number.isNaN(p.counts.values[0]!));
  const only = interpolate(cube(["s1"], ["pop"], [[300]]), cw, { extensive: ["pop"], missingSources: "skip" });
  assert.deepEqual(only.sourcesWithoutCounts, ["s0"]);
  assert.equal(only.counts.values[0], 150);
  assert.ok(Number.isNaN(only.counts.values[1]!)); // t1 only had s0
  // Count areas that are not crosswalk sources are unplaced, with their amounts.
  const extra = interpolate(cube(["s0", "s1", "zz"], ["pop"], [[100], [300], [7]]), cw, { extensive: ["pop"] });
  assert.deepEqual(extra.unplaced.map((u) => [u.area, u.amounts[0]]), [["zz", 7]]);
  assert.equal(extra.totals.input[0], 407);
  assert.ok(rel(extra.totals.placed[0]! + extra.totals.unplaced[0]! + extra.totals.outsideTargets[0]!, 407) < 1e-12);
  assert.throws(() => interpolate(c, cw, { extensive: ["nope"] }), /invalid extensive: "nope" \(expected one of pop, rate\)/);
  assert.throws(() => interpolate(c, cw, { extensive: ["pop"], intensive: ["pop"] }), /invalid intensive: "pop"/);
});

test("areaCrosswalk: slivers are listed; dropSlivers gives their weight to the source's other targets", () => {
  const src = system("s", [sq(0, 0, 100)]);
  const tgt = system("t", [sq(0, 0, 99.999, 100), sq(99.999, 0, 50, 100)]);
  const kept = areaCrosswalk(src, tgt);
  assert.equal(kept.slivers.length, 1);
  assert.equal(kept.slivers[0]!.target, "t1");
  assert.equal(kept.slivers[0]!.dropped, false);
  assert.equal(kept.pairs.length, 2);
  const dropped = areaCrosswalk(src, tgt, { dropSlivers: true });
  assert.equal(dropped.pairs.length, 1);
  assert.ok(rel(dropped.pairs[0]!.weight, 1) < 1e-12);
  assert.equal(dropped.slivers[0]!.dropped, true);
  assert.throws(() => areaCrosswalk(src, tgt, { sliverShare: 2 }), /invalid sliverShare: 2 \(expected a number in \[0, 1\)\)/);
});

test("areaCrosswalk: duplicate ids stay distinct features (id#index); sourceKeys override keys; CRS must match", () => {
  const src = system("s", [sq(0, 0, 1), sq(1, 0, 1), sq(2, 0, 1)], ["a", "a", "b"]);
  assert.deepEqual(areaKeys(src), ["a#0", "a#1", "b"]);
  const tgt = system("t", [sq(0, 0, 3)]);
  const cw = areaCrosswalk(src, tgt);
  assert.deepEqual(cw.from.areas, ["a#0", "a#1", "b"]);
  assert.match(cw.notes.join(" "), /a occur more than once/);
  const r = interpolate(cube(["a", "b"], ["pop"], [[10], [5]]), cw, { extensive: ["pop"], missingSources: "skip" });
  assert.deepEqual(r.unplaced.map((u) => [u.area, u.amounts[0]]), [["a", 10]]);
  const fixed = areaCrosswalk(src, tgt, { sourceKeys: ["a", "c", "b"] });
  assert.deepEqual(fixed.from.areas, ["a", "c", "b"]);
  assert.throws(() => areaCrosswalk(src, tgt, { sourceKeys: ["a", "a", "b"] }), /invalid sourceKeys: key "a" occurs twice/);
  assert.throws(() => areaCrosswalk(src, system("u", [sq(0, 0, 3)], undefined, undefined, 25832)), /invalid target CRS: EPSG:25832 of "u" \(expected the source's CRS EPSG:25833/);
});

test("nestedCrosswalk: by parent ids and by geometry; children split across parents are reported", () => {
  const kids = [sq(0, 0, 1), sq(1, 0, 1), sq(2, 0, 1), sq(3, 0, 1)];
  const parents = system("p", [sq(0, 0, 2, 1), sq(2, 0, 2, 1)], ["P1", "P2"]);
  const byIds = nestedCrosswalk(system("c", kids, undefined, ["P1", "P1", "P2", "P2"]), parents);
  assert.equal(byIds.method, "nested");
  assert.deepEqual(byIds.pairs.map((p) => [p.source, p.target, p.weight, p.targetWeight]), [["c0", "P1", 1, 0.5], ["c1", "P1", 1, 0.5], ["c2", "P2", 1, 0.5], ["c3", "P2", 1, 0.5]]);
  assert.deepEqual(byIds.split, []);
  // A declared parent that the geometry contradicts is reported (kept with the declared parent).
  const wrong = nestedCrosswalk(system("c", kids, undefined, ["P1", "P1", "P1", "P2"]), parents);
  assert.deepEqual(wrong.split.map((s) => [s.child, s.declaredParent, s.parents[0]!.parent]), [["c2", "P1", "P2"]]);
  // By geometry: a child straddling two parents is shared by area and listed.
  const straddle = system("c", [sq(0, 0, 1), sq(1.5, 0, 1), sq(3, 0, 1)]);
  const g = nestedCrosswalk(straddle, parents);
  assert.equal(g.options.by, "geometry");
  assert.deepEqual(g.split.map((s) => [s.child, s.parents.map((p) => [p.parent, p.share])]), [["c1", [["P1", 0.5], ["P2", 0.5]]]]);
  assert.deepEqual(g.pairs.filter((p) => p.source === "c1").map((p) => p.weight), [0.5, 0.5]);
  const r = interpolate(cube(["c0", "c1", "c2"], ["pop"], [[1], [10], [100]]), g, { extensive: ["pop"] });
  assert.deepEqual(Array.from(r.counts.values), [6, 105]);
  // Nearly nested (a 0.1 % overhang) counts as nested.
  const near = nestedCrosswalk(system("c", [sq(0, 0, 2.001, 1)]), parents);
  assert.deepEqual(near.pairs.map((p) => [p.target, p.weight]), [["P1", 1]]);
  assert.deepEqual(near.split, []);
});

test("populationCrosswalk: weights by block population, blocks as points or polygons", () => {
  const src = system("s", [sq(0, 0, 4)]);
  const tgt = system("t", [sq(0, 0, 2, 4), sq(2, 0, 2, 4)]);
  // Points: 30 people left, 10 right, 5 outside every source.
  const pts = [{ id: "b1", x: 1, y: 1 }, { id: "b2", x: 3, y: 3 }, { id: "b3", x: 9, y: 9 }];
  const cw = populationCrosswalk(src, tgt, pts, { b1: 30, b2: 10, b3: 5 });
  assert.equal(cw.method, "population");
  assert.deepEqual(cw.pairs.map((p) => [p.target, p.weight, p.population]), [["t0", 0.75, 30], ["t1", 0.25, 10]]);
  assert.match(cw.notes.join(" "), /Population 5 of 45 lies in no source area/);
  // Polygons: block [1,3]×[0,1] (population 20, split 50/50 by the target boundary) and
  // [0,1]×[3,4] (population 20, all in t0).
  const blocks = system("blk", [sq(1, 0, 2, 1), sq(0, 3, 1)], ["k1", "k2"]);
  const pw = populationCrosswalk(src, tgt, blocks, [20, 20]);
  assert.deepEqual(pw.pairs.map((p) => [p.target, p.weight]), [["t0", 0.75], ["t1", 0.25]]);
  // A block split both by sources and targets is cut exactly: sources left/right halves, targets bottom/top.
  const src2 = system("s", [sq(0, 0, 2, 4), sq(2, 0, 2, 4)]);
  const tgt2 = system("t", [sq(0, 0, 4, 1), sq(0, 1, 4, 3)]);
  const blk2 = system("blk", [sq(1, 0, 2, 2)], ["k"]); // quarter pieces: (s0,t0), (s0,t1), (s1,t0), (s1,t1)
  const cut = populationCrosswalk(src2, tgt2, blk2, [40]);
  assert.deepEqual(cut.pairs.map((p) => [p.source, p.target, p.weight, p.population]), [["s0", "t0", 0.5, 10], ["s0", "t1", 0.5, 10], ["s1", "t0", 0.5, 10], ["s1", "t1", 0.5, 10]]);
  // Sources without population fall back to area weights (noted).
  const empty = populationCrosswalk(src2, tgt2, blk2, [0]);
  assert.match(empty.notes.join(" "), /weighted by area instead: s0, s1/);
  assert.deepEqual(empty.pairs.map((p) => p.weight), [0.25, 0.75, 0.25, 0.75]);
  assert.throws(() => populationCrosswalk(src, tgt, pts, [1, 2]), /invalid blockPopulation: 2 values \(expected one per block: 3\)/);
});

test("saveCrosswalk/loadCrosswalk round-trip; a changed boundary file or version is refused", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cw-"));
  try {
    const src = system("s", [sq(0, 0, 2), sq(2, 0, 2)]), tgt = system("t", [sq(0, 0, 4, 1), sq(0, 1, 2, 1)]);
    const cw = areaCrosswalk(src, tgt);
    const file = path.join(dir, "cw.json");
    saveCrosswalk(cw, file);
    const back = loadCrosswalk(file, { from: src, to: tgt });
    assert.deepEqual(back, JSON.parse(JSON.stringify(cw)));
    assert.equal(back.version, 1);
    assert.equal(back.from.vintage, "s-v1");
    const changed = { ...src, source: { file: "/virtual/s.geojson", sha256: "other" } };
    assert.throws(() => loadCrosswalk(file, { from: changed }), /invalid crosswalk .*: from boundary file hash hash-of-s… \(expected other… of \/virtual\/s.geojson: the boundaries changed, rebuild the crosswalk\)/);
    const j = JSON.parse(readFileSync(file, "utf8")) as Crosswalk;
    writeFileSync(file, JSON.stringify({ ...j, version: 99 }));
    assert.throws(() => loadCrosswalk(file), /invalid crosswalk .*: version 99 \(expected 1\)/);
    writeFileSync(file, JSON.stringify({ ...j, pairs: [{ ...j.pairs[0], source: "x" }] }));
    assert.throws(() => loadCrosswalk(file), /pairs\[0\].source "x" \(expected a key of from.areas\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
