import { test } from "node:test";
import assert from "node:assert/strict";
import type { Position } from "geojson";
import type { AreaFeature, AreaSystem } from "../src/load/geometry";
import type { CountTable } from "../src/load/statistics";
import { geometryArea } from "../src/load/geom";
import { validateDataset } from "../src/validate/validate";
import { hasErrors } from "../src/validate/report";
import { square } from "./fixtures/load/make";

function sys(id: string, rings: [string, Position[]][], parent?: AreaSystem["parent"], parentIds?: string[]): AreaSystem {
  const features: AreaFeature[] = rings.map(([fid, ring], i) => {
    const g = { type: "Polygon" as const, coordinates: ring.length ? [ring] : [] };
    return { id: fid, name: "", parentId: parentIds?.[i], properties: {}, projected: g, wgs84: g, areaM2: geometryArea(g), index: i };
  });
  return { id, label: id, kind: "statistical", vintage: "2024", crs: "", crsName: "test", crsSource: "option", idField: "ID", parent, features, source: { file: `/tmp/${id}.shp`, sha256: "" }, findings: [] };
}

function table(areaSystem: string, areas: string[], variables: string[], rows: number[][]): CountTable {
  const values = new Float64Array(rows.flat());
  const origin = new Map<number, { source: number; row: number; column: string }>();
  values.forEach((_, i) => origin.set(i, { source: 0, row: 2 + Math.floor(i / variables.length), column: variables[i % variables.length] }));
  return { areaSystem, areas, years: [2024], variables, values, missing: new Map(), limited: new Map(), origin, sources: [{ file: "/tmp/s.csv", sha256: "" }], findings: [] };
}

const checks = (r: ReturnType<typeof validateDataset>) => r.findings.filter((f) => f.severity !== "info").map((f) => `${f.check}:${f.areaId ?? ""}`).sort();

test("a clean 2×2 tessellation nested in one parent gives no errors or warnings", () => {
  const child = sys("c", [["11", square(0, 0, 10)], ["12", square(10, 0, 10)], ["13", square(0, 10, 10)], ["14", square(10, 10, 10)]], { system: "p", idPrefixLength: 1 }, ["1", "1", "1", "1"]);
  const parent = sys("p", [["1", square(0, 0, 20)]]);
  const r = validateDataset({ areaSystems: new Map([["c", child], ["p", parent]]), counts: new Map() });
  assert.deepEqual(checks(r), []);
  assert.equal(hasErrors(r), false);
});

test("overlaps are reported as pairs with m², gaps with their area", () => {
  const s = sys("s", [["a", square(0, 0, 10)], ["b", square(8, 0, 10)]]); // overlap 2 × 10 = 20 m²
  const r = validateDataset({ areaSystems: new Map([["s", s]]), counts: new Map() });
  const o = r.findings.find((f) => f.check === "overlap")!;
  assert.equal(o.areaId, "a / b");
  assert.ok(Math.abs(o.value! - 20) < 1e-9);
  // four areas around a 10 × 10 hole
  const ring = sys("g", [
    ["n", [[0, 20], [30, 20], [30, 30], [0, 30], [0, 20]]],
    ["s", [[0, 0], [30, 0], [30, 10], [0, 10], [0, 0]]],
    ["w", [[0, 10], [10, 10], [10, 20], [0, 20], [0, 10]]],
    ["e", [[20, 10], [30, 10], [30, 20], [20, 20], [20, 10]]],
  ]);
  const g = validateDataset({ areaSystems: new Map([["g", ring]]), counts: new Map() }).findings.filter((f) => f.check === "gap");
  assert.equal(g.length, 1);
  assert.ok(Math.abs(g[0].value! - 100) < 1e-9);
});

test("empty, degenerate, unclosed and self-intersecting geometries are errors naming the feature", () => {
  const s = sys("s", [
    ["empty", []],
    ["short", [[0, 0], [1, 0], [0, 0]]],
    ["open", [[0, 0], [1, 0], [1, 1], [0, 1]]],
    ["bowtie", [[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]],
    ["ok", square(100, 100, 10)],
  ]);
  const r = validateDataset({ areaSystems: new Map([["s", s]]), counts: new Map() }, { tessellation: false });
  // the symmetric bow tie also has zero signed area
  assert.deepEqual(checks(r), ["degenerate-ring:bowtie", "degenerate-ring:short", "empty-geometry:empty", "self-intersection:bowtie", "unclosed-ring:open"]);
  assert.equal(r.findings.find((f) => f.check === "self-intersection")!.row, 3);
});

test("non-nesting: unknown parent id and a child sticking out of its parent", () => {
  const child = sys("c", [["11", square(0, 0, 10)], ["12", square(15, 0, 10)], ["21", square(30, 0, 10)]], { system: "p", idPrefixLength: 1 }, ["1", "1", "2"]);
  const parent = sys("p", [["1", square(0, 0, 20)]]);
  const r = validateDataset({ areaSystems: new Map([["c", child], ["p", parent]]), counts: new Map() }, { tessellation: false });
  assert.deepEqual(checks(r), ["not-nested:12", "parent-unknown:21"]);
  assert.ok(Math.abs(r.findings.find((f) => f.check === "not-nested")!.value! - 50) < 1e-9);
});

test("statistics: ids both ways, negative and non-integer counts, parts larger than the whole, SGB II children above children <15", () => {
  const s = sys("s", [["01", square(0, 0, 10)], ["02", square(10, 0, 10)], ["03", square(20, 0, 10)]]);
  const t = table("s", ["01", "02", "99"], ["pop_total", "age_00_06", "age_06_15", "sgb2_persons", "sgb2_children_u15", "unemployed"], [
    [100, 10, 10, 30, 25, 5],
    [100, 10, 10, 30, 5, -1],
    [100, 200, 10, 30, 5, 2.5],
  ]);
  const r = validateDataset({ config: { years: [2023, 2024] }, areaSystems: new Map([["s", s]]), counts: new Map([["s", t]]) }, { tessellation: false });
  const got = checks(r);
  assert.ok(got.includes("id-not-in-geometry:99"));
  assert.ok(got.includes("id-without-statistics:03"));
  assert.ok(got.includes("negative-count:02"));
  assert.ok(got.includes("non-integer-count:99"));
  assert.ok(got.includes("part-exceeds-whole:99")); // age_00_06 200 > pop_total 100
  assert.ok(got.includes("part-exceeds-whole:01")); // sgb2_children_u15 25 > age_00_06 + age_06_15 = 20
  assert.ok(got.includes("year-missing:"));
  const neg = r.findings.find((f) => f.check === "negative-count")!;
  assert.deepEqual([neg.file, neg.row, neg.field, neg.year], ["/tmp/s.csv", 3, "unemployed", 2024]);
});
