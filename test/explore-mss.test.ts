import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { mssIndex, MSS_DYNAMICS, MSS_STATUS, MssArea, MssIndicator } from "../src/explore/mss";
import { readCsv } from "../src/load/table";

const CSV = path.resolve(__dirname, "../../shared/data/berlin-mss-2021/fisbroker-wfs/mss_2021_index_indikatoren.csv");

function load() {
  const [h, ...rows] = readCsv(CSV).rows;
  const col = (n: string) => { const i = h!.indexOf(n); assert.ok(i >= 0, `column ${n}`); return i; };
  const num = (c: unknown) => (Number(c) === -9999 || c === null || c === "" ? NaN : Number(c));
  const areas: MssArea[] = rows.map((r) => ({
    id: String(r[col("PLR_ID")]), valid: r[col("KOM")] === "gültig",
    S1: num(r[col("S1")]), S3: num(r[col("S3")]), S4: num(r[col("S4")]),
    D1: num(r[col("D1")]), D3: num(r[col("D3")]), D4: num(r[col("D4")]),
  }));
  const published = (k: MssIndicator) => rows.map((r) => Number(r[col(`${k}_SD_GR`)]));
  return { areas, rows, published, kom: rows.map((r) => String(r[col("KOM")])) };
}

test("MSS 2021 table: 542 PLR, 536 gültig, 5 under 300 residents, 1 outlier; S2/D2 empty", () => {
  const { areas, kom } = load();
  assert.equal(areas.length, 542);
  assert.equal(kom.filter((k) => k === "gültig").length, 536);
  assert.equal(kom.filter((k) => k === "ungültig (EW unter 300)").length, 5);
  assert.equal(kom.filter((k) => k === "ungültig (Ausreißer)").length, 1);
});

// Published per-indicator classes: <indicator>_SD_GR are the z-score classes (status 1: z < −1,
// 2: −1…1, 3: 1…1.5, 4: > 1.5; dynamics 1: z < −1, 2: −1…1, 3: > 1), with mean and population SD
// over the 536 valid PLR. (<indicator>_AG_GR are classes of the raw value in fixed steps, e.g. S1
// in steps of 2 %, S3 of 5 %, S4 of 10 %, D1/D3 of 1 pp, D4 of 2 pp — not recomputed here.)
test("per-indicator z classes agree with the published _SD_GR columns (S1, S3, S4, D4: 536/536; D1, D3: 535/536)", () => {
  const { areas, published } = load();
  const r = mssIndex(areas);
  assert.equal(r.nValid, 536);
  const expectedDisagreements: Record<string, string[]> = {
    S1: [], S3: [], S4: [], D4: [],
    // z = −0.99568: we say stabil (2), published positiv (1)
    D1: ["11501339"],
    // z = +1.00082: we say negativ (3), published stabil (2)
    D3: ["10300734"],
  };
  for (const k of [...MSS_STATUS, ...MSS_DYNAMICS]) {
    const pub = published(k);
    const dis = r.areas.filter((a, i) => a.valid && a.indicatorClass[k] !== pub[i]).map((a) => a.id);
    assert.deepEqual(dis, expectedDisagreements[k], k);
    for (const a of r.areas.filter((x) => !x.valid)) assert.equal(a.indicatorClass[k], null);
    // the two disagreements lie within 0.005 of a class boundary
    for (const id of dis) {
      const z = r.areas.find((a) => a.id === id)!.z[k];
      assert.ok(Math.abs(Math.abs(z) - 1) < 0.005, `${k} ${id} z=${z}`);
    }
  }
});

// Published composite classes: FIS-Broker layer s_Indizes_MSS2021_homogen, column SDI_N (extract in
// test/fixtures/spatial/mss2021-indizes-sdi.txt: PLR with a class other than 23, and invalid PLR).
test("composite status × dynamics groups agree with the published index table for all 536 valid PLR", () => {
  const { areas } = load();
  const r = mssIndex(areas);
  const pub = new Map<string, string>();
  for (const line of readFileSync(path.join(__dirname, "fixtures/spatial/mss2021-indizes-sdi.txt"), "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [id, code] = line.split(/\s+/);
    pub.set(id!, code!);
  }
  let agree = 0;
  for (const a of r.areas) {
    const p = pub.get(a.id) ?? "23";
    if (!a.valid) { assert.equal(p, "x", a.id); assert.equal(a.groupCode, null); continue; }
    assert.equal(a.groupCode, Number(p), `${a.id}: status index ${a.statusIndex}, dynamics index ${a.dynamicsIndex}`);
    agree++;
  }
  assert.equal(agree, 536);
  assert.deepEqual(r.counts.status, { hoch: 75, mittel: 366, niedrig: 46, "sehr niedrig": 49 });
  assert.deepEqual(r.counts.dynamics, { positiv: 48, stabil: 436, negativ: 52 });
  assert.deepEqual(r.counts.groups, { 11: 1, 13: 73, 15: 1, 21: 36, 23: 296, 25: 34, 31: 8, 33: 31, 35: 7, 41: 3, 43: 36, 45: 10 });
  const a = r.areas.find((x) => x.id === "01100101")!;
  assert.equal(a.groupLabel, "Status mittel, Dynamik negativ");
});

test("indices are standardised over valid areas (mean 0, population SD 1); invalid areas get nothing", () => {
  const r = mssIndex(load().areas);
  const v = r.areas.filter((a) => a.valid);
  const mean = (x: number[]) => x.reduce((s, y) => s + y, 0) / x.length;
  for (const key of ["statusIndex", "dynamicsIndex"] as const) {
    const x = v.map((a) => a[key]);
    assert.ok(Math.abs(mean(x)) < 1e-12);
    assert.ok(Math.abs(Math.sqrt(mean(x.map((y) => y * y))) - 1) < 1e-12);
  }
  const inv = r.areas.filter((a) => !a.valid);
  assert.equal(inv.length, 6);
  for (const a of inv) assert.equal(a.statusClass, null);
});

test("small hand example: classes at the stated thresholds; errors name the field", () => {
  // z of a symmetric 4-point set [-a, -b, b, a] with population SD: values chosen so that z = ±1.5, ±0.5… 
  const mk = (id: string, s: number, d: number): MssArea => ({ id, valid: true, S1: s, S3: s, S4: s, D1: d, D3: d, D4: d });
  const r = mssIndex([mk("a", -3, -3), mk("b", -1, -1), mk("c", 1, 1), mk("d", 3, 3), { ...mk("x", NaN, NaN), valid: false }]);
  // x = ±3, ±1 → SD √5, z = ±1.342, ±0.447
  assert.deepEqual(r.areas.map((a) => a.statusClass), ["hoch", "mittel", "mittel", "niedrig", null]);
  assert.deepEqual(r.areas.map((a) => a.dynamicsClass), ["positiv", "stabil", "stabil", "negativ", null]);
  assert.deepEqual(r.areas.map((a) => a.groupCode), [11, 23, 23, 35, null]);
  assert.throws(() => mssIndex([mk("a", 1, 1), { ...mk("b", 2, 2), S3: NaN }]), /invalid S3: NaN for valid area "b"/);
  assert.throws(() => mssIndex([mk("a", 1, 1)]), /1 valid areas/);
});
