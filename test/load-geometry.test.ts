import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, truncateSync, unlinkSync, writeFileSync, mkdirSync, statSync } from "fs";
import * as path from "path";
import JSZip from "jszip";
import { loadAreaSystem, areaSystemToFeatureCollection } from "../src/load/geometry";
import { DataError } from "../src/load/errors";
import { resolveCrs } from "../src/load/crs";
import { validateDataset } from "../src/validate/validate";
import { PRJ_25832, PRJ_UTM32_FE2500000, square, tempDir, writeShapefile } from "./fixtures/load/make";

const DATA = path.resolve(__dirname, "../../shared/data");
const LOR = path.join(DATA, "berlin-lor-2021-shapes");
const lor = (lvl: string) => path.join(LOR, `LOR_2023-01-01_${lvl}_EPSG_25833_nur_ID.shp`);

async function rejectsWith(p: Promise<unknown>, check: (e: DataError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    check(e);
    return true;
  });
}

test("Berlin LOR 2021 shapefiles load with EPSG:25833 and 8/6/4-character string ids", async () => {
  for (const [lvl, n, width] of [["PLR", 542, 8], ["BZR", 143, 6], ["PGR", 58, 4]] as const) {
    const s = await loadAreaSystem(lor(lvl), { idField: `${lvl}_ID`, id: lvl.toLowerCase(), vintage: "2021-01-01" });
    assert.equal(s.features.length, n);
    assert.equal(s.epsg, 25833);
    assert.equal(s.crsSource, "prj");
    for (const f of s.features) {
      assert.equal(typeof f.id, "string");
      assert.equal(f.id.length, width, `id ${f.id}`);
    }
    assert.ok(s.source.sha256.match(/^[0-9a-f]{64}$/));
  }
});

test("PLR total area ≈ Berlin's 891.1 km² (within 0.5 %), computed on projected coordinates", async () => {
  const s = await loadAreaSystem(lor("PLR"), { idField: "PLR_ID" });
  const total = s.features.reduce((a, f) => a + f.areaM2, 0) / 1e6;
  assert.ok(Math.abs(total - 891.1) / 891.1 < 0.005, `total ${total} km²`);
  // WGS84 coordinates sit beside the projected ones, in Berlin
  const [lon, lat] = (s.features[0].wgs84.coordinates.flat(3) as number[]).slice(0, 2);
  assert.ok(lon > 13 && lon < 14 && lat > 52.3 && lat < 52.7, `${lon}, ${lat}`);
});

test("PLR areas match the official lor-flaechen.json within 0.1 % for a sample", async () => {
  const s = await loadAreaSystem(lor("PLR"), { idField: "PLR_ID" });
  const official = JSON.parse(readFileSync(path.join(DATA, "berlin-ewr-matrix/lor-flaechen.json"), "utf8")).flaechen as Record<string, number>;
  const sample = s.features.filter((_, i) => i % 20 === 0);
  assert.ok(sample.length >= 25);
  for (const f of sample) {
    const want = official[f.id];
    assert.ok(want, `no official area for ${f.id}`);
    assert.ok(Math.abs(f.areaM2 - want) / want < 0.001, `${f.id}: ${f.areaM2} vs ${want}`);
  }
});

test("Darmstadt GeoJSON with legacy crs member (EPSG:25832): 37 districts nest in 9 Stadtteile", async () => {
  const st = await loadAreaSystem(path.join(DATA, "darmstadt/da-stadtteile.geojson"), { id: "st", idField: "Stadtteil", nameField: "DAStadttei" });
  const bez = await loadAreaSystem(path.join(DATA, "darmstadt/da-bezirke.geojson"), {
    id: "bez", idField: "StatBez", nameField: "stat_Bez_1", parent: { system: "st", idPattern: "^(\\d)\\d\\d$", idReplacement: "$100" },
  });
  assert.equal(bez.epsg, 25832);
  assert.equal(bez.crsSource, "geojson-crs");
  assert.equal(bez.features.length, 37);
  assert.equal(st.features.length, 9);
  assert.equal(bez.features[0].id, "810");
  assert.equal(bez.features[0].parentId, "800");
  const report = validateDataset({ areaSystems: new Map([["st", st], ["bez", bez]]), counts: new Map() });
  const errors = report.findings.filter((f) => f.severity === "error");
  // The only error is real: districts 240 and 540 overlap on about 1 m² in the city's file.
  // (District 510 lies 0.14 % = 656 m² outside Stadtteil 500: within the default 0.5 % tolerance.)
  assert.deepEqual(errors.map((f) => [f.check, f.areaId, Math.round(f.value!)]), [["overlap", "240 / 540", 1]]);
  assert.equal(report.findings.filter((f) => f.check === "not-nested" || f.check === "parent-unknown" || f.check === "parent-missing").length, 0);
});

test("GeoJSON in WGS84 is projected to ETRS89/UTM 33 for Berlin; areas match the file's own area property", async () => {
  const s = await loadAreaSystem(path.join(DATA, "berlin-lor-pre2021-geojson/berlin-lor-planning-areas-until-2020.geojson"), { idField: "id", nameField: "name" });
  assert.equal(s.epsg, 25833);
  assert.equal(s.crsSource, "metric-from-wgs84");
  const f = s.features[0];
  assert.ok(Math.abs(f.areaM2 - (f.properties.area as number)) / f.areaM2 < 0.002);
  assert.equal(s.features.filter((x) => x.name === "Schloßstraße").length, 2); // umlauts and ß intact
});

test("validator finds the real duplicate id 06010102 in the pre-2021 planning areas", async () => {
  const s = await loadAreaSystem(path.join(DATA, "berlin-lor-pre2021-geojson/berlin-lor-planning-areas-until-2020.geojson"), { id: "plr2006", idField: "id", nameField: "name" });
  const report = validateDataset({ areaSystems: new Map([["plr2006", s]]), counts: new Map() }, { tessellation: false });
  const dup = report.findings.filter((f) => f.check === "duplicate-id");
  assert.equal(dup.length, 1);
  assert.equal(dup[0].areaId, "06010102");
  assert.equal(dup[0].severity, "error");
});

test("areaSystemToFeatureCollection gives WGS84 or projected features with id, name and area", async () => {
  const s = await loadAreaSystem(lor("PGR"), { idField: "PGR_ID" });
  const wgs = areaSystemToFeatureCollection(s, "wgs84");
  const proj = areaSystemToFeatureCollection(s, "projected");
  assert.equal(wgs.features.length, 58);
  assert.equal(wgs.features[0].properties!.id, s.features[0].id);
  assert.ok((proj.features[0].geometry.coordinates.flat(3)[0] as number) > 100000);
  assert.ok((wgs.features[0].geometry.coordinates.flat(3)[0] as number) < 20);
});

test("a .zip or a folder with one shapefile loads like the .shp", async () => {
  const dir = tempDir();
  const zip = new JSZip();
  for (const ext of ["shp", "shx", "dbf", "prj", "cpg"]) zip.file(`pgr/PGR.${ext}`, readFileSync(lor("PGR").replace(/shp$/, ext)));
  const zipFile = path.join(dir, "pgr.zip");
  writeFileSync(zipFile, await zip.generateAsync({ type: "nodebuffer" }));
  const z = await loadAreaSystem(zipFile, { idField: "PGR_ID" });
  assert.equal(z.features.length, 58);
  assert.equal(z.epsg, 25833);
  const folder = path.join(dir, "folder");
  mkdirSync(folder);
  for (const ext of ["shp", "shx", "dbf", "prj", "cpg"]) copyFileSync(lor("PGR").replace(/shp$/, ext), path.join(folder, `x.${ext}`));
  const f = await loadAreaSystem(folder, { idField: "PGR_ID" });
  assert.deepEqual(f.features.map((x) => x.id), z.features.map((x) => x.id));
});

test("a WKT with non-EPSG parameters (UTM 32N, false easting 2,500,000) is read and projects correctly", async () => {
  const dir = tempDir();
  const a = writeShapefile(dir, "fe", [{ ring: square(2475000, 5530000, 1000), attrs: { ID: "001" } }], { prj: PRJ_UTM32_FE2500000, cpg: "UTF-8" });
  const b = writeShapefile(dir, "std", [{ ring: square(475000, 5530000, 1000), attrs: { ID: "001" } }], { prj: PRJ_25832, cpg: "UTF-8" });
  const sa = await loadAreaSystem(a, { idField: "ID" });
  const sb = await loadAreaSystem(b, { idField: "ID" });
  assert.equal(sa.epsg, undefined);
  assert.equal(sb.epsg, 25832);
  assert.equal(sa.features[0].id, "001");
  assert.ok(Math.abs(sa.features[0].areaM2 - 1e6) < 1e-6);
  const pa = sa.features[0].wgs84.coordinates.flat(3) as number[];
  const pb = sb.features[0].wgs84.coordinates.flat(3) as number[];
  pa.forEach((v, i) => assert.ok(Math.abs(v - pb[i]) < 1e-9));
  assert.equal(resolveCrs("urn:ogc:def:crs:EPSG::25832").epsg, 25832);
});

test("encoding: Windows-1252 dbf without .cpg is detected; UTF-8 without .cpg too; names come out as Dünnwald", async () => {
  const dir = tempDir();
  for (const encoding of ["windows-1252", "utf-8"] as const) {
    const f = writeShapefile(dir, `enc-${encoding}`, [{ ring: square(0, 0, 10), attrs: { ID: "05", NAME: "Dünnwald" } }], { prj: PRJ_25832, encoding });
    const s = await loadAreaSystem(f, { idField: "ID", nameField: "NAME" });
    assert.equal(s.features[0].name, "Dünnwald", encoding);
    assert.equal(s.features[0].id, "05");
    assert.deepEqual(s.findings, []);
  }
});

test("encoding: a Windows-1252 dbf declared UTF-8 by its .cpg is read as 1252 with a warning naming file, feature and field", async () => {
  const dir = tempDir();
  const f = writeShapefile(dir, "lying", [
    { ring: square(0, 0, 10), attrs: { ID: "1", NAME: "Mitte" } },
    { ring: square(10, 0, 10), attrs: { ID: "2", NAME: "Dünnwald" } },
  ], { prj: PRJ_25832, cpg: "UTF-8", encoding: "windows-1252" });
  const s = await loadAreaSystem(f, { idField: "ID", nameField: "NAME" });
  assert.equal(s.features[1].name, "Dünnwald");
  assert.equal(s.findings.length, 1);
  assert.equal(s.findings[0].check, "encoding");
  assert.equal(s.findings[0].row, 1);
  assert.equal(s.findings[0].field, "NAME");
  assert.match(s.findings[0].file!, /lying\.dbf$/);
});

test("encoding: UTF-8 names forced to Windows-1252 by option are flagged as mojibake", async () => {
  const dir = tempDir();
  const f = writeShapefile(dir, "moji", [{ ring: square(0, 0, 10), attrs: { ID: "1", NAME: "Dünnwald" } }], { prj: PRJ_25832, encoding: "utf-8" });
  const s = await loadAreaSystem(f, { idField: "ID", nameField: "NAME", encoding: "windows-1252" });
  assert.equal(s.features[0].name, "DÃ¼nnwald");
  assert.equal(s.findings[0].check, "encoding");
});

test("numeric dbf id fields come out as their digits", async () => {
  const dir = tempDir();
  const f = writeShapefile(dir, "num", [{ ring: square(0, 0, 10), attrs: { NR: "810" } }], { prj: PRJ_25832, numericFields: ["NR"] });
  const s = await loadAreaSystem(f, { idField: "NR" });
  assert.equal(s.features[0].id, "810");
  assert.equal(s.features[0].properties.NR, 810);
});

// ---- bad input -------------------------------------------------------------------------------

function copyLor(lvl: string, exts = ["shp", "shx", "dbf", "prj", "cpg"]): string {
  const dir = tempDir();
  for (const ext of exts) copyFileSync(lor(lvl).replace(/shp$/, ext), path.join(dir, `x.${ext}`));
  return path.join(dir, "x.shp");
}

test("bad input: a truncated .shp names the file, the feature and says it is truncated", async () => {
  const shp = copyLor("PGR");
  truncateSync(shp, Math.floor(statSync(shp).size / 2));
  await rejectsWith(loadAreaSystem(shp, { idField: "PGR_ID" }), (e) => {
    assert.equal(e.file, shp);
    assert.match(e.message, /x\.shp: .*truncated/);
    assert.match(e.expected!, /complete \.shp/);
  });
});

test("bad input: a .shp whose records are cut (header patched) names the feature index", async () => {
  const shp = copyLor("PGR");
  const b = readFileSync(shp);
  const cut = b.subarray(0, 100 + 8 + 1000);
  cut.writeInt32BE(cut.length / 2, 24);
  writeFileSync(shp, cut);
  await rejectsWith(loadAreaSystem(shp, { idField: "PGR_ID" }), (e) => {
    assert.equal(e.row, 0);
    assert.equal(e.rowKind, "feature");
    assert.match(e.message, /feature 0: record is cut off/);
  });
});

test("bad input: a missing .dbf is an error naming the .dbf and the id field", async () => {
  const shp = copyLor("PGR");
  unlinkSync(shp.replace(/shp$/, "dbf"));
  await rejectsWith(loadAreaSystem(shp, { idField: "PGR_ID" }), (e) => {
    assert.match(e.file, /x\.dbf$/);
    assert.equal(e.field, "PGR_ID");
    assert.match(e.message, /attribute table \(\.dbf\) is missing/);
  });
});

test("bad input: a missing .prj without a crs option is an error; with the option it loads", async () => {
  const shp = copyLor("PGR");
  unlinkSync(shp.replace(/shp$/, "prj"));
  await rejectsWith(loadAreaSystem(shp, { idField: "PGR_ID" }), (e) => {
    assert.equal(e.file, shp);
    assert.equal(e.field, "crs");
    assert.match(e.message, /no CRS: no \.prj file and no crs option; expected a \.prj beside the \.shp or the option crs/);
  });
  const s = await loadAreaSystem(shp, { idField: "PGR_ID", crs: "EPSG:25833" });
  assert.equal(s.features.length, 58);
  assert.equal(s.crsSource, "option");
});

test("bad input: an id field that does not exist lists the attributes", async () => {
  await rejectsWith(loadAreaSystem(lor("PGR"), { idField: "PLR_ID" }), (e) => {
    assert.equal(e.field, "PLR_ID");
    assert.match(e.message, /id field "PLR_ID" does not exist; expected one of the attributes "PGR_ID"/);
  });
});

test("bad input: an empty id names file, feature index and field", async () => {
  const dir = tempDir();
  const f = writeShapefile(dir, "empty-id", [
    { ring: square(0, 0, 10), attrs: { ID: "0001" } },
    { ring: square(10, 0, 10), attrs: { ID: "" } },
  ], { prj: PRJ_25832 });
  await rejectsWith(loadAreaSystem(f, { idField: "ID" }), (e) => {
    assert.equal(e.message.split(" [")[0], 'empty-id.shp: feature 1: field "ID" is empty; expected a non-empty area id');
    assert.equal(e.row, 1);
    assert.equal(e.field, "ID");
  });
});

test("bad input: an empty file and a zip with two shapefiles", async () => {
  const dir = tempDir();
  const empty = path.join(dir, "empty.geojson");
  writeFileSync(empty, "");
  await rejectsWith(loadAreaSystem(empty, { idField: "id" }), (e) => assert.match(e.message, /empty\.geojson: file is empty/));
  const emptyShp = path.join(dir, "empty.shp");
  writeFileSync(emptyShp, "");
  await rejectsWith(loadAreaSystem(emptyShp, { idField: "id" }), (e) => assert.match(e.message, /empty\.shp: file is 0 bytes long; expected a shapefile header/));
  const zip = new JSZip();
  for (const lvl of ["PGR", "BZR"]) for (const ext of ["shp", "shx", "dbf", "prj"]) zip.file(`${lvl}.${ext}`, readFileSync(lor(lvl).replace(/shp$/, ext)));
  const zf = path.join(dir, "two.zip");
  writeFileSync(zf, await zip.generateAsync({ type: "nodebuffer" }));
  await rejectsWith(loadAreaSystem(zf, { idField: "PGR_ID" }), (e) => {
    assert.match(e.message, /two\.zip: archive holds 2 shapefiles: (PGR\.shp, BZR\.shp|BZR\.shp, PGR\.shp); expected exactly one shapefile per archive/);
  });
});

test("bad input: a GeoJSON without crs whose coordinates are metres asks for a CRS", async () => {
  const dir = tempDir();
  const f = path.join(dir, "metres.geojson");
  writeFileSync(f, JSON.stringify({ type: "FeatureCollection", features: [{ type: "Feature", properties: { id: "1" }, geometry: { type: "Polygon", coordinates: [square(475000, 5530000, 100)] } }] }));
  await rejectsWith(loadAreaSystem(f, { idField: "id" }), (e) => {
    assert.equal(e.row, 0);
    assert.equal(e.areaId, "1");
    assert.match(e.message, /not longitude\/latitude/);
  });
  const s = await loadAreaSystem(f, { idField: "id", crs: "EPSG:25832" });
  assert.equal(s.epsg, 25832);
  assert.equal(s.features[0].areaM2, 10000);
});

test("WGS84 coordinates equal proj4's exact transform to 1e-9° (≈ 0.1 mm) for every PLR vertex", async () => {
  const proj4 = (await import("proj4")).default;
  const { KNOWN_CRS } = await import("../src/load/crs");
  const { polygonsOf } = await import("../src/load/geom");
  const s = await loadAreaSystem(lor("PLR"), { idField: "PLR_ID" });
  const conv = proj4(KNOWN_CRS[25833], KNOWN_CRS[4326]);
  let worst = 0, n = 0;
  for (const f of s.features) {
    const P = polygonsOf(f.projected).flat(2), W = polygonsOf(f.wgs84).flat(2);
    P.forEach((p, i) => {
      const e = conv.forward([p[0], p[1]]);
      worst = Math.max(worst, Math.abs(e[0] - W[i][0]), Math.abs(e[1] - W[i][1]));
      n++;
    });
  }
  assert.equal(n, 200280);
  assert.ok(worst < 1e-9, `max deviation ${worst}°`);
});

test("features build their GeoJSON geometries on first access, once, and behave as plain properties", async () => {
  const { geometryArea, flattenGeometry, flatToGeometry, flatArea } = await import("../src/load/geom");
  const { parseShp, parseShpFlat } = await import("../src/load/shapefile");
  const s = await loadAreaSystem(lor("BZR"), { idField: "BZR_ID" });
  const f = s.features[3];
  assert.deepEqual(Object.keys(f), ["id", "name", "parentId", "properties", "projected", "wgs84", "areaM2", "index"]);
  const p = f.projected;
  assert.equal(f.projected, p, "cached after the first access");
  assert.ok(p.type === "Polygon" || p.type === "MultiPolygon");
  assert.equal(f.areaM2, geometryArea(p), "areaM2 from the flat arrays equals the area of the GeoJSON geometry");
  const copy = { ...f };
  assert.deepEqual(copy.wgs84, f.wgs84);
  assert.deepEqual(JSON.parse(JSON.stringify(f)).projected, JSON.parse(JSON.stringify(p)));
  const g = s.features[4];
  const replacement = { type: "MultiPolygon" as const, coordinates: [] };
  g.wgs84 = replacement; // assignment before the first read replaces the lazy value
  assert.equal(g.wgs84, replacement);
  // parseShp (GeoJSON) and parseShpFlat agree; flatten ∘ build is the identity
  const shp = readFileSync(lor("PGR"));
  const flat = parseShpFlat(shp, "pgr.shp");
  const geo = parseShp(shp, "pgr.shp");
  flat.forEach((fl, i) => {
    assert.deepEqual(flatToGeometry(fl), geo[i]);
    assert.deepEqual(flatToGeometry(flattenGeometry(geo[i])), geo[i]);
    assert.equal(flatArea(fl), geometryArea(geo[i]));
  });
});
