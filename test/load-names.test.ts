import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "fs";
import * as path from "path";
import { loadDataset, readDatasetConfig } from "../src/project/config";
import { DataError } from "../src/load/errors";
import { loadAreaSystem } from "../src/load/geometry";
import { joinAreaNames, readAreaNames } from "../src/load/names";
import { tempDir } from "./fixtures/load/make";

/** A GeoJSON file (EPSG:25832) with one 100 m square per id, side by side. */
function squares(dir: string, ids: string[], props: Record<string, unknown> = {}): string {
  const f = path.join(dir, "areas.geojson");
  writeFileSync(f, JSON.stringify({
    type: "FeatureCollection",
    crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::25832" } },
    features: ids.map((id, i) => {
      const x = 400000 + 100 * i, y = 5700000;
      return { type: "Feature", properties: { ID: id, ...props }, geometry: { type: "Polygon", coordinates: [[[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]] } };
    }),
  }));
  return f;
}

test("names from a German CSV join by id: leading zeros kept, missing and extra ids reported, repeated names are not keys", async () => {
  const dir = tempDir("kr-names-");
  const geo = squares(dir, ["001", "002", "003", "004"]);
  const csv = path.join(dir, "namen.csv");
  // 003 has no row, 009 has no area, 001 is repeated with the same name (a hierarchy overview),
  // 002 and 004 share a name (as Berlin's two "Schloßstraße").
  writeFileSync(csv, "\uFEFFNr;Name;Bezirk\n001;Altstadt;Mitte\n001;Altstadt;Mitte\n002;Schloßstraße;Nord\n004;Schloßstraße;Süd\n009;Nirgendwo;West\n");
  const sys = await loadAreaSystem(geo, { idField: "ID", id: "q" });
  const table = await readAreaNames({ file: csv, idField: "Nr", nameField: "Name", attributes: { Bezirk: "bezirk" } });
  assert.equal(table.entries.size, 4);
  const findings = joinAreaNames(sys, table);
  assert.deepEqual(sys.features.map((f) => f.name), ["Altstadt", "Schloßstraße", "", "Schloßstraße"]);
  assert.equal(sys.features[3].properties.bezirk, "Süd");
  assert.equal(sys.names?.file, csv);
  const by = (check: string) => findings.filter((f) => f.check === check);
  assert.deepEqual(by("name-missing").map((f) => [f.severity, f.areaId, f.areaSystem]), [["warning", "003", "q"]]);
  assert.deepEqual(by("name-id-not-in-geometry").map((f) => [f.severity, f.areaId, f.row]), [["warning", "009", 6]]);
  assert.deepEqual(by("name-not-unique").map((f) => [f.severity, f.areaId]), [["info", "002 / 004"]]);
  assert.equal(by("name-conflict").length, 0);
});

test("names: one id with two names is an error finding (first kept); numeric XLSX-style ids padded; attribute clash throws", async () => {
  const dir = tempDir("kr-names-");
  const geo = squares(dir, ["0101", "0102"], { bezirk: "x" });
  const csv = path.join(dir, "namen.csv");
  writeFileSync(csv, "id,name,bezirk\n101,Eins,A\n0101,Uno,A\n102,Zwei,B\n");
  const sys = await loadAreaSystem(geo, { idField: "ID", id: "q" });
  const table = await readAreaNames({ file: csv, idField: "id", nameField: "name", idWidth: 4 });
  const findings = joinAreaNames(sys, table);
  assert.deepEqual(sys.features.map((f) => f.name), ["Eins", "Zwei"]);
  const conflict = findings.find((f) => f.check === "name-conflict")!;
  assert.equal(conflict.severity, "error");
  assert.equal(conflict.areaId, "0101");
  assert.equal(conflict.row, 3);
  assert.ok(findings.some((f) => f.check === "id-padded" && f.value === 2));
  const clash = await readAreaNames({ file: csv, idField: "id", nameField: "name", idWidth: 4, attributes: { bezirk: "bezirk" } });
  assert.throws(() => joinAreaNames(sys, clash), (e: unknown) => e instanceof DataError && /attribute "bezirk" already exists/.test(e.message));
  assert.equal(sys.features[0].properties.bezirk, "x", "nothing changed by a failed join");
  await assert.rejects(readAreaNames({ file: csv, idField: "Nummer", nameField: "name" }), (e: unknown) =>
    e instanceof DataError && /column "Nummer" does not exist/.test(e.message) && /names\.idField/.test(e.expected ?? ""));
});

test("names in a dataset configuration: paths relative to the configuration, checked fields, findings in the report", async () => {
  const dir = tempDir("kr-names-");
  squares(dir, ["1", "2"]);
  writeFileSync(path.join(dir, "namen.csv"), "ID;NAME\n1;Nord\n2;Süd\n");
  writeFileSync(path.join(dir, "s.csv"), "id;pop\n1;10\n2;20\n");
  const cfg = {
    id: "t", name: "T", source: "Test", years: [2024],
    areaSystems: [{ id: "q", label: "Q", kind: "statistical", file: "areas.geojson", idField: "ID", vintage: "2024", names: { file: "namen.csv", idField: "ID", nameField: "NAME" } }],
    statistics: [{ file: "s.csv", areaSystem: "q", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } }],
  };
  const f = path.join(dir, "dataset.json");
  writeFileSync(f, JSON.stringify(cfg));
  assert.equal(readDatasetConfig(f).areaSystems[0].names!.file, path.join(dir, "namen.csv"));
  const ds = await loadDataset(f);
  assert.deepEqual(ds.areaSystems.get("q")!.features.map((x) => x.name), ["Nord", "Süd"]);
  assert.deepEqual(ds.report.findings.filter((x) => x.check.startsWith("name")), []);
  const bad = path.join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ ...cfg, areaSystems: [{ ...cfg.areaSystems[0], names: { file: "namen.csv", idField: "ID", label: "NAME" } }] }));
  assert.throws(() => readDatasetConfig(bad), /names\.label: unknown field[\s\S]*names\.nameField: missing required field/);
});
