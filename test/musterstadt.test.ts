/**
 * Tests of the Musterstadt generator (scripts/generate-musterstadt.ts, scripts/musterstadt/):
 * determinism against the committed files, count invariants, calibration targets, and
 * exactness of the tessellations.
 *
 * Run: npx tsx --test test/musterstadt.test.ts
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import Flatbush from "flatbush";
import polygonClipping from "polygon-clipping";
import { AGE_BANDS, COUNT_VARIABLES, ageBandId } from "../src/variables";
import type { DatasetConfig } from "../src/project/config-types";
import { buildMusterstadt, indicators, sumCounts, writeMusterstadt, type MusterstadtModel } from "../scripts/musterstadt";
import { multiPolygonArea, ringArea, type MultiPolygon } from "../scripts/musterstadt/geometry";
import { decodeWindows1252 } from "../scripts/musterstadt/encoding";

const DATA = path.resolve(__dirname, "..", "data", "musterstadt");
const AGE_IDS = AGE_BANDS.map(([a, b]) => ageBandId(a, b));
const band = (from: number, to: number | null) =>
  AGE_BANDS.map(([a, b], k) => (a >= from && (b ?? Infinity) <= (to ?? Infinity) ? AGE_IDS[k] : "")).filter(Boolean);
const U15 = band(0, 15), A15_65 = band(15, 65), A18_65 = band(18, 65), A65 = band(65, null);

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(p).isDirectory() ? listFiles(p, rel) : [rel];
  });
}

let city: MusterstadtModel;
before(() => {
  city = buildMusterstadt();
});

describe("determinism", () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), "musterstadt-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("regenerating gives byte-identical files to the committed data/musterstadt/", async () => {
    const { files } = await writeMusterstadt(tmp);
    const committed = listFiles(DATA);
    assert.deepEqual([...files].sort(), committed, "same set of files");
    for (const f of committed) {
      const a = readFileSync(path.join(DATA, f));
      const b = readFileSync(path.join(tmp, f));
      assert.ok(a.equals(b), `${f} differs from the committed file (rerun: npx tsx scripts/generate-musterstadt.ts)`);
    }
  });

  test("the model is a pure function of the seed", () => {
    const again = buildMusterstadt();
    assert.deepEqual(again.statistics.counts, city.statistics.counts);
    assert.deepEqual(again.geography.blockGroups.map((b) => b.geometry), city.geography.blockGroups.map((b) => b.geometry));
    const other = buildMusterstadt(7);
    assert.notDeepEqual(other.statistics.counts[2024].map((r) => r.pop_total), city.statistics.counts[2024].map((r) => r.pop_total));
  });
});

describe("count invariants", () => {
  test("every count variable is a non-negative integer, and parts never exceed wholes", () => {
    for (const year of city.years) {
      city.statistics.counts[year].forEach((r, i) => {
        const where = `${city.geography.blockGroups[i].id} ${year}`;
        const s = (ids: string[]) => ids.reduce((a, id) => a + r[id], 0);
        for (const v of COUNT_VARIABLES) {
          assert.ok(Number.isInteger(r[v.id]) && r[v.id] >= 0, `${where}: ${v.id} = ${r[v.id]}`);
          if (v.partOf) assert.ok(r[v.id] <= r[v.partOf], `${where}: ${v.id} ${r[v.id]} > ${v.partOf} ${r[v.partOf]}`);
        }
        assert.equal(Object.keys(r).length, COUNT_VARIABLES.length, `${where}: only the project's variables`);
        assert.equal(s(AGE_IDS), r.pop_total, `${where}: age bands sum to pop_total`);
        assert.ok(r.single_parent_households <= r.households_children && r.households_children <= r.households, `${where}: households`);
        assert.ok(r.sgb2_children_u15 <= s(U15), `${where}: sgb2_children_u15`);
        assert.ok(r.migback_18_65 <= s(A18_65), `${where}: migback_18_65`);
        assert.ok(r.foreign_15_65 <= s(A15_65), `${where}: foreign_15_65`);
        assert.ok(r.unemployed <= s(A15_65), `${where}: unemployed`);
        assert.ok(r.unemployed_foreign <= r.foreign_15_65, `${where}: unemployed_foreign`);
        assert.ok(r.sgb12_65plus <= s(A65), `${where}: sgb12_65plus`);
        assert.ok(r.minsec_recipients >= r.sgb2_persons + r.sgb12_65plus, `${where}: minsec`);
        assert.ok(r.sgb2_persons >= r.sgb2_households + r.sgb2_children_u15, `${where}: persons in BG`);
        assert.ok(r.sgb2_households_children <= r.households_children, `${where}: BG with children`);
        assert.ok(r.single_parent_sgb2 <= r.sgb2_households_children, `${where}: single parents in BG`);
        assert.ok(r.foreign_total <= r.migback_total, `${where}: foreigners have a migration background`);
        if (r.pop_total > 0) assert.ok(r.households >= 1, `${where}: residents without a household`);
      });
      const c = sumCounts(city.statistics.counts[year]);
      const pph = c.pop_total / c.households;
      assert.ok(pph > 1.8 && pph < 2.0, `${year}: ${pph.toFixed(2)} persons per household`);
    }
  });

  test("year-to-year change is smooth", () => {
    const { newHousing } = city.statistics.special;
    for (let t = 1; t < city.years.length; t++) {
      const prev = city.statistics.counts[city.years[t - 1]], cur = city.statistics.counts[city.years[t]];
      cur.forEach((r, i) => {
        if (newHousing.includes(i) || prev[i].pop_total < 200) return;
        const ch = r.pop_total / prev[i].pop_total - 1;
        assert.ok(Math.abs(ch) < 0.03, `${city.geography.blockGroups[i].id} ${city.years[t]}: population change ${(100 * ch).toFixed(1)} %`);
      });
      const a = indicators(sumCounts(prev)), b = indicators(sumCounts(cur));
      assert.ok(Math.abs(a.childPoverty - b.childPoverty) < 0.015, "citywide child poverty changes by < 1.5 pp a year");
      assert.ok(Math.abs(a.unemployment - b.unemployment) < 0.015, "citywide unemployment changes by < 1.5 pp a year");
    }
  });

  test("some block groups have no or very few residents", () => {
    const pop = city.statistics.counts[2024].map((r) => r.pop_total);
    const zero = pop.filter((p) => p === 0).length, small = pop.filter((p) => p > 0 && p < 50).length;
    assert.ok(zero >= 2 && zero <= 6, `${zero} empty block groups`);
    assert.ok(small >= 3 && small <= 8, `${small} block groups with 1–49 residents`);
  });
});

describe("targets", () => {
  test("citywide 2024 values near Bottrop's", () => {
    const c = indicators(sumCounts(city.statistics.counts[2024]));
    assert.ok(c.population >= 115_000 && c.population <= 119_000, `population ${c.population}`);
    const near = (x: number, target: number, what: string) => assert.ok(Math.abs(x - target) <= 0.005, `${what}: ${(100 * x).toFixed(2)} % vs ${100 * target} %`);
    near(c.share65plus, 0.221, "65+");
    near(c.migrationBackground, 0.213, "migration background");
    near(c.unemployment, 0.065, "unemployed per 15–<65");
    near(c.sgb2Households, 0.11, "SGB II households");
    near(c.childPoverty, 0.224, "children in SGB II households");
  });

  test("north–south gradient: the south is poorer, younger and more migrant", () => {
    const recs = city.statistics.counts[2024];
    const by = (stbz: string) => indicators(sumCounts(recs, city.geography.stadtbezirke.find((s) => s.id === stbz)!.members));
    const south = by("02"), north = by("03");
    assert.ok(south.childPoverty > north.childPoverty + 0.1);
    assert.ok(south.share65plus < north.share65plus);
    assert.ok(south.migrationBackground > north.migrationBackground);
  });

  test("area systems: counts, ids and names", () => {
    const g = city.geography;
    assert.equal(g.stadtbezirke.length, 3);
    assert.equal(g.statbez.length, 17);
    assert.ok(g.blockGroups.length >= 230 && g.blockGroups.length <= 270, `${g.blockGroups.length} block groups`);
    assert.equal(city.statistics.quarters.length, 8);
    for (const s of g.stadtbezirke) assert.match(s.id, /^0[1-3]$/);
    for (const d of g.statbez) {
      assert.match(d.id, /^\d{4}$/);
      assert.equal(d.id.slice(0, 2), d.parentId);
    }
    for (const b of g.blockGroups) {
      assert.match(b.id, /^\d{7}$/);
      assert.equal(b.id.slice(0, 4), b.statbezId);
      assert.equal(b.statbezId.slice(0, 2), b.stbzId);
    }
    const ids = [...g.stadtbezirke, ...g.statbez, ...g.blockGroups, ...city.statistics.quarters].map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length, "unique ids");
    const names = g.statbez.map((d) => d.name).join(" ");
    assert.match(names, /[äöüß]/, "names carry umlauts or ß");
  });

  test("quarters cross district borders; the poverty pocket is hidden by its district", () => {
    const { quarters, pocket, counts } = city.statistics;
    assert.ok(quarters.filter((q) => q.statbezIds.length >= 2).length >= 5);
    const seen = new Set<number>();
    for (const q of quarters) for (const m of q.members) {
      assert.ok(!seen.has(m), "quarters do not overlap");
      seen.add(m);
    }
    const q = quarters[pocket.quarterIndex];
    const d = city.geography.statbez.find((x) => x.id === pocket.statbezId)!;
    const inD = q.members.filter((m) => city.geography.blockGroups[m].statbezId === d.id).length;
    assert.ok(inD > q.members.length / 2, "the district contains most of the pocket");
    const pq = indicators(sumCounts(counts[2024], q.members)).childPoverty;
    const pd = indicators(sumCounts(counts[2024], d.members)).childPoverty;
    assert.ok(pq >= 0.27, `pocket ${(100 * pq).toFixed(1)} %`);
    assert.ok(pd <= 0.24, `district ${(100 * pd).toFixed(1)} %`);
  });
});

describe("tessellation", () => {
  test("block groups, districts, Stadtbezirke and the outline have the same area", () => {
    const g = city.geography;
    const sum = (xs: MultiPolygon[]) => xs.reduce((a, x) => a + multiPolygonArea(x), 0);
    const outline = Math.abs(ringArea(g.outline));
    const bbg = sum(g.blockGroups.map((b) => b.geometry));
    const sb = sum(g.statbez.map((d) => d.geometry));
    const stbz = sum(g.stadtbezirke.map((d) => d.geometry));
    assert.ok(outline > 95e6 && outline < 106e6, `city area ${(outline / 1e6).toFixed(1)} km²`);
    for (const [what, a] of [["block groups", bbg], ["statistical districts", sb], ["Stadtbezirke", stbz]] as const) {
      assert.ok(Math.abs(a - outline) / outline < 1e-6, `${what}: ${a} m² vs outline ${outline} m²`);
    }
    for (const d of g.statbez) {
      const parts = sum(d.members.map((i) => g.blockGroups[i].geometry));
      assert.ok(Math.abs(parts - multiPolygonArea(d.geometry)) < 1e-9 * parts, `${d.id}: union area == sum of its block groups`);
      assert.equal(d.geometry.length, 1, `${d.id} is contiguous`);
    }
  });

  test("block groups do not overlap and each lies in its own statistical district", () => {
    const g = city.geography;
    const boxes = g.blockGroups.map((b) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const p of b.geometry) for (const [x, y] of p[0]) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
      return [x0, y0, x1, y1] as const;
    });
    const index = new Flatbush(boxes.length);
    for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
    index.finish();
    let overlap = 0, pairs = 0;
    boxes.forEach((b, i) => {
      for (const j of index.search(b[0], b[1], b[2], b[3])) {
        if (j <= i) continue;
        pairs++;
        const inter = polygonClipping.intersection(g.blockGroups[i].geometry as polygonClipping.MultiPolygon, g.blockGroups[j].geometry as polygonClipping.MultiPolygon);
        overlap += multiPolygonArea(inter as MultiPolygon);
      }
    });
    assert.ok(pairs > 500, `${pairs} candidate pairs checked`);
    assert.ok(overlap < 1, `total overlap ${overlap} m²`);
    for (const b of g.blockGroups) {
      const d = g.statbez.find((x) => x.id === b.statbezId)!;
      const inter = multiPolygonArea(polygonClipping.intersection(b.geometry as polygonClipping.MultiPolygon, d.geometry as polygonClipping.MultiPolygon) as MultiPolygon);
      assert.ok(Math.abs(inter - b.area) < 0.01, `${b.id} lies inside ${d.id}`);
    }
  });
});

describe("committed files", () => {
  const cfg = JSON.parse(readFileSync(path.join(DATA, "dataset.json"), "utf8")) as DatasetConfig;
  const ids = new Set(COUNT_VARIABLES.map((v) => v.id));

  test("dataset.json maps every column onto a count variable and names existing files", () => {
    assert.deepEqual(cfg.areaSystems.map((a) => [a.id, a.kind]), [["stbz", "administrative"], ["statbez", "statistical"], ["bbg", "building-block"], ["quartier", "life-situation"]]);
    assert.deepEqual(cfg.years, [2019, 2020, 2021, 2022, 2023, 2024]);
    assert.equal(cfg.crs, "EPSG:25832");
    const mapped = new Set<string>();
    for (const s of cfg.statistics) {
      statSync(path.join(DATA, s.file));
      for (const id of Object.values(s.columns ?? s.variables ?? {})) {
        assert.ok(ids.has(id), `unknown variable ${id}`);
        mapped.add(id);
      }
    }
    assert.deepEqual([...mapped].sort(), [...ids].sort(), "every count variable is delivered");
    for (const a of cfg.areaSystems) for (const ext of ["shp", "shx", "dbf", "prj"]) statSync(path.join(DATA, a.file.replace(/shp$/, ext)));
  });

  test("CSV files: BOM + thousands separators, Windows-1252 long table with '-' for empty block groups", () => {
    const pop = readFileSync(path.join(DATA, "statistik/bevoelkerung_2019-2024.csv"));
    assert.deepEqual([...pop.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = pop.subarray(3).toString("utf8").trim().split("\r\n").map((l) => l.split(";"));
    const header = lines[0];
    const popCfg = cfg.statistics[0];
    assert.ok(lines.some((l) => /^\d{1,3}(\.\d{3})+$/.test(l[2])), "a thousands separator occurs");
    const col = Object.fromEntries(Object.entries(popCfg.columns!).map(([h, id]) => [id, header.indexOf(h)]));
    for (const l of lines.slice(1)) {
      const i = city.geography.blockGroups.findIndex((b) => b.id === l[0]);
      const rec = city.statistics.counts[Number(l[1])][i];
      for (const [id, k] of Object.entries(col)) assert.equal(Number(l[k].replace(/\./g, "")), rec[id], `${l[0]} ${l[1]} ${id}`);
    }
    const soc = readFileSync(path.join(DATA, "statistik/soziales_2019-2024.csv"));
    assert.ok(soc.includes(Buffer.from([0xe4])), "ä as the single byte 0xE4");
    const rows = decodeWindows1252(soc).trim().split("\r\n").slice(1).map((l) => l.split(";"));
    const socCfg = cfg.statistics[1];
    let dashes = 0;
    for (const [bbg, year, merkmal, value] of rows) {
      const i = city.geography.blockGroups.findIndex((b) => b.id === bbg);
      const rec = city.statistics.counts[Number(year)][i];
      const id = socCfg.variables![merkmal];
      assert.ok(id, `unknown Merkmal ${merkmal}`);
      if (value === "-") {
        dashes++;
        assert.equal(rec.pop_total, 0);
      } else assert.equal(Number(value), rec[id]);
    }
    assert.ok(dashes > 0);
  });

  test("XLSX print layout: title, two-row header, text ids, subtotal rows", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(DATA, "statistik/arbeitsmarkt_2019-2024.xlsx"));
    assert.deepEqual(wb.worksheets.map((w) => w.name), ["2019", "2020", "2021", "2022", "2023", "2024"]);
    const entry = cfg.statistics.find((s) => s.sheet === "2024")!;
    const ws = wb.getWorksheet("2024")!;
    const h = [1, 2, 3].map((c) => `${ws.getRow(entry.skipRows! + 1).getCell(c).text} ${ws.getRow(entry.skipRows! + 2).getCell(c).text}`);
    assert.equal(h[0], entry.areaField);
    assert.deepEqual(h.slice(1).map((x) => entry.columns![x]), ["unemployed", "unemployed_foreign"]);
    const skip = new RegExp(entry.skipAreaPattern!);
    let rows = 0, subtotals = 0;
    for (let r = entry.skipRows! + 3; r <= ws.rowCount; r++) {
      const id = ws.getRow(r).getCell(1).value;
      if (id === null || id === undefined) continue;
      assert.equal(typeof id, "string", `row ${r}: id stored as text`);
      if (skip.test(id as string)) {
        if (/^Summe/.test(id as string)) subtotals++;
        continue;
      }
      const i = city.geography.blockGroups.findIndex((b) => b.id === id);
      assert.ok(i >= 0, `row ${r}: unknown id ${String(id)}`);
      assert.equal(ws.getRow(r).getCell(2).value, city.statistics.counts[2024][i].unemployed);
      rows++;
    }
    assert.equal(rows, city.geography.blockGroups.length);
    assert.equal(subtotals, 17);
  });

  test("shapefiles: outer rings clockwise, areas as in the model, Windows-1252 .dbf, .cpg only where stated", () => {
    const g = city.geography;
    const read = (stem: string) => {
      const buf = readFileSync(path.join(DATA, "geometrie", `${stem}.shp`));
      const out: number[][] = [];
      let o = 100;
      while (o < buf.length) {
        const len = buf.readInt32BE(o + 4) * 2;
        const c = o + 8;
        assert.equal(buf.readInt32LE(c), 5);
        const nParts = buf.readInt32LE(c + 36), nPts = buf.readInt32LE(c + 40);
        const starts = Array.from({ length: nParts }, (_, k) => buf.readInt32LE(c + 44 + 4 * k));
        const pts = Array.from({ length: nPts }, (_, k) => [buf.readDoubleLE(c + 44 + 4 * nParts + 16 * k), buf.readDoubleLE(c + 52 + 4 * nParts + 16 * k)] as [number, number]);
        const ringAreas = starts.map((s, k) => ringArea(pts.slice(s, k + 1 < nParts ? starts[k + 1] : nPts)));
        out.push(ringAreas);
        o = c + len;
      }
      return out;
    };
    const bbg = read("baublockgruppen_2024");
    assert.equal(bbg.length, g.blockGroups.length);
    bbg.forEach((rings, i) => {
      assert.ok(rings[0] < 0, "outer ring clockwise");
      const a = -rings.reduce((s, x) => s + x, 0);
      assert.ok(Math.abs(a - g.blockGroups[i].area) < 1e-3, `${g.blockGroups[i].id} area`);
    });
    const sb = read("statistische_bezirke_2024");
    assert.ok(sb.every((rings) => rings[0] < 0 && rings.slice(1).every((h) => h > 0)));
    const files = readdirSync(path.join(DATA, "geometrie"));
    assert.ok(files.includes("baublockgruppen_2024.cpg") && files.includes("statistische_bezirke_2024.cpg"));
    assert.ok(!files.includes("stadtbezirke_2024.cpg") && !files.includes("quartiere_2024.cpg"));
    const prj = readFileSync(path.join(DATA, "geometrie", "stadtbezirke_2024.prj"), "utf8");
    assert.match(prj, /ETRS_1989_UTM_Zone_32N/);
    const dbf = readFileSync(path.join(DATA, "geometrie", "stadtbezirke_2024.dbf"));
    assert.ok(dbf.includes(Buffer.from("Musterstadt-S\xfcd", "latin1")), "ü as the single byte 0xFC");
  });
});
