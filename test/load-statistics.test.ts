import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import ExcelJS from "exceljs";
import { cellIndex, getCount, loadStatistics, mergeCountTables, toDataFrame } from "../src/load/statistics";
import { parseStatNumber } from "../src/load/table";
import { DataError } from "../src/load/errors";
import { tempDir } from "./fixtures/load/make";

const DATA = path.resolve(__dirname, "../../shared/data");
const POP = path.join(DATA, "berlin-lor-population-2015-2024");
const YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

async function rejectsWith(p: Promise<unknown>, check: (e: DataError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    check(e);
    return true;
  });
}

test("Berlin population CSVs 2015–2024 load via a {year} placeholder; PLR sums equal the city rows", async () => {
  const t = await loadStatistics(
    {
      file: "berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t1-planning-areas.csv",
      areaSystem: "plr", layout: "wide", areaField: "id",
      columns: { inhabitants: "pop_total", inhabitants_with_migration_background: "migback_total", inhabitants_foreigners: "foreign_total" },
    },
    { years: YEARS, baseDir: POP },
  );
  assert.deepEqual(t.years, YEARS);
  assert.equal(t.sources.length, 10);
  assert.ok(t.areas.every((a) => /^\d{8}$/.test(a)));
  const v = t.variables.indexOf("pop_total");
  YEARS.forEach((year, y) => {
    const city = readFileSync(path.join(POP, `berlin-lor-population-${year}-02-csv/berlin-lor-population-${year}-02-t1-city.csv`), "utf8").split("\n")[1].split(",");
    let sum = 0, n = 0;
    for (let a = 0; a < t.areas.length; a++) {
      const x = t.values[cellIndex(t, a, y, v)];
      if (!Number.isNaN(x)) { sum += x; n++; }
    }
    assert.equal(sum, Number(city[1]), `${year}`);
    assert.equal(n, year <= 2018 ? 447 : year <= 2020 ? 448 : 542, `${year} rows`);
  });
  assert.equal(getCount(t, "01100101", 2024, "pop_total"), 3580);
  // cells of areas that do not exist in a year are missing "nicht geliefert", never 0
  const i = cellIndex(t, t.areas.indexOf("01100101"), 0, v);
  assert.ok(Number.isNaN(t.values[i]));
  assert.equal(t.missing.get(i)?.reason, "nicht geliefert");
});

test("t2 and t3 merge with t1; the age bands sum to the inhabitants", async () => {
  const base = { areaSystem: "plr", layout: "wide" as const, areaField: "id", years: [2024] };
  const t1 = await loadStatistics({ ...base, file: "berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t1-planning-areas.csv", columns: { inhabitants: "pop_total" } }, { baseDir: POP });
  const t2 = await loadStatistics({
    ...base, file: "berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t2-planning-areas.csv",
    columns: { inhabitants_age_below_6: "age_00_06", inhabitants_age_6_15: "age_06_15", inhabitants_age_15_18: "age_15_18", inhabitants_age_18_27: "age_18_27", inhabitants_age_27_45: "age_27_45", inhabitants_age_45_55: "age_45_55", inhabitants_age_55_65: "age_55_65", inhabitants_age_above_65: "age_65_plus" },
  }, { baseDir: POP });
  const t3 = await loadStatistics({ ...base, file: "berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t3-planning-areas.csv", columns: { inhabitants: "migback_total" } }, { baseDir: POP });
  const m = mergeCountTables([t1, t2, t3]);
  assert.equal(m.variables.length, 10);
  assert.equal(m.areas.length, 542);
  for (const id of m.areas.slice(0, 50)) {
    const bands = m.variables.filter((v) => v.startsWith("age_")).reduce((s, v) => s + getCount(m, id, 2024, v), 0);
    assert.equal(bands, getCount(m, id, 2024, "pop_total"), id);
    assert.ok(getCount(m, id, 2024, "migback_total") <= getCount(m, id, 2024, "pop_total"));
  }
  await assert.rejects(async () => mergeCountTables([t1, t1]), (e: unknown) => e instanceof DataError && /duplicate value for area "\d{8}", year 2024, variable "pop_total"/.test((e as Error).message));
});

test("parseStatNumber reads German numbers and statistical symbols", () => {
  assert.deepEqual(parseStatNumber(" 1 675 ", ","), { kind: "value", value: 1675 });
  assert.deepEqual(parseStatNumber("1.675", ","), { kind: "value", value: 1675 });
  assert.deepEqual(parseStatNumber("1.234,5", ","), { kind: "value", value: 1234.5 });
  assert.deepEqual(parseStatNumber("12,5", ","), { kind: "value", value: 12.5 });
  assert.deepEqual(parseStatNumber("1,234.5", "."), { kind: "value", value: 1234.5 });
  assert.deepEqual(parseStatNumber("-  23", ","), { kind: "value", value: -23 });
  assert.deepEqual(parseStatNumber("(123)", ","), { kind: "value", value: 123, limited: true });
  for (const s of [".", "-", "–", "x", "/", "( )", "*", "…", ""]) {
    const p = parseStatNumber(s === "" ? null : s, ",");
    assert.equal(p.kind, "missing", s);
  }
  assert.equal((parseStatNumber(".", ",") as { missing: { reason: string } }).missing.reason, "Zahlenwert unbekannt oder geheim zu halten");
  assert.deepEqual(parseStatNumber("12,3,4", ","), { kind: "invalid", text: "12,3,4" });
  assert.deepEqual(parseStatNumber("abc", ","), { kind: "invalid", text: "abc" });
  assert.deepEqual(parseStatNumber("3.5", ","), { kind: "invalid", text: "3.5" });
  assert.deepEqual(parseStatNumber(42, ","), { kind: "value", value: 42 });
});

test("a German CSV (;, decimal comma, Windows-1252, quoted, symbols, (123)) reads with reasons kept", async () => {
  const dir = tempDir();
  const f = path.join(dir, "bestand.csv");
  const text = 'Bezirk;Name;Jahr;Einwohner;Arbeitslose\r\n"0101";"Dünnwald";2024;" 1 675 ";(12)\r\n0102;"Altstadt; Nord";2024;2.001;.\r\n0103;Mitte;2024;–;x\r\nSumme;;2024;3.676;12\r\n';
  const cp1252: Record<string, number> = { "–": 0x96 };
  writeFileSync(f, Buffer.from([...text].map((c) => cp1252[c] ?? c.charCodeAt(0)))); // Windows-1252 bytes
  const t = await loadStatistics({ file: f, areaSystem: "bez", layout: "wide", areaField: "Bezirk", yearField: "Jahr", columns: { Einwohner: "pop_total", Arbeitslose: "unemployed" }, skipAreaPattern: "^Summe" });
  assert.deepEqual(t.areas, ["0101", "0102", "0103"]);
  assert.equal(getCount(t, "0101", 2024, "pop_total"), 1675);
  assert.equal(getCount(t, "0101", 2024, "unemployed"), 12);
  assert.equal(t.limited.size, 1);
  assert.equal(getCount(t, "0102", 2024, "pop_total"), 2001);
  const i = cellIndex(t, 1, 0, t.variables.indexOf("unemployed"));
  assert.ok(Number.isNaN(t.values[i]));
  assert.deepEqual(t.missing.get(i), { symbol: ".", reason: "Zahlenwert unbekannt oder geheim zu halten" });
  assert.equal(t.missing.get(cellIndex(t, 2, 0, 0))?.symbol, "–");
  const skipped = t.findings.filter((x) => x.check === "skipped-row");
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0].row, 5);
});

test("UTF-8 with BOM and comma separator are detected", async () => {
  const dir = tempDir();
  const f = path.join(dir, "bom.csv");
  writeFileSync(f, "\uFEFFid,pop\n001,5\n002,7\n");
  const t = await loadStatistics({ file: f, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } });
  assert.deepEqual(t.areas, ["001", "002"]);
  assert.equal(getCount(t, "002", 2024, "pop_total"), 7);
});

test("bad input: malformed numbers become missing with an error finding naming file, row, field", async () => {
  const dir = tempDir();
  const f = path.join(dir, "bad.csv");
  writeFileSync(f, "id;pop;alo\n01;12,3,4;5\n02;7;abc\n");
  const t = await loadStatistics({ file: f, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total", alo: "unemployed" } });
  const bad = t.findings.filter((x) => x.check === "invalid-number");
  assert.deepEqual(bad.map((b) => [b.severity, path.basename(b.file!), b.row, b.field, b.areaId]), [
    ["error", "bad.csv", 2, "pop", "01"],
    ["error", "bad.csv", 3, "alo", "02"],
  ]);
  assert.match(bad[0].message, /"12,3,4"/);
  assert.equal(t.missing.get(cellIndex(t, 0, 0, 0))?.reason, "unlesbarer Wert");
});

test("bad input: an empty file, a missing id column, a duplicate row", async () => {
  const dir = tempDir();
  const empty = path.join(dir, "empty.csv");
  writeFileSync(empty, "");
  await rejectsWith(loadStatistics({ file: empty, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } }), (e) => {
    assert.equal(e.file, empty);
    assert.match(e.message, /empty\.csv: file is empty/);
  });
  const noId = path.join(dir, "noid.csv");
  writeFileSync(noId, "ID;pop\n1;2\n");
  await rejectsWith(loadStatistics({ file: noId, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } }), (e) => {
    assert.equal(e.field, "id");
    assert.equal(e.row, 1);
    assert.match(e.message, /area id column "id" does not exist in header row 1; expected one of "ID", "pop"/);
  });
  const dup = path.join(dir, "dup.csv");
  writeFileSync(dup, "id;pop\n1;2\n1;3\n");
  await rejectsWith(loadStatistics({ file: dup, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } }), (e) => {
    assert.equal(e.row, 3);
    assert.equal(e.areaId, "1");
    assert.equal(e.field, "pop");
    assert.match(e.message, /first given in dup\.csv row 2/);
  });
});

test("long layout: unmapped variable names are reported, not dropped silently", async () => {
  const dir = tempDir();
  const f = path.join(dir, "long.csv");
  writeFileSync(f, "Gebiet;Jahr;Merkmal;Wert\n01;2023;EW;100\n01;2024;EW;110\n01;2024;ALO;5\n01;2024;XYZ;9\n");
  const t = await loadStatistics({ file: f, areaSystem: "a", layout: "long", areaField: "Gebiet", yearField: "Jahr", variableField: "Merkmal", valueField: "Wert", variables: { EW: "pop_total", ALO: "unemployed" } });
  assert.deepEqual(t.years, [2023, 2024]);
  assert.equal(getCount(t, "01", 2024, "unemployed"), 5);
  assert.equal(t.missing.get(cellIndex(t, 0, 0, 1))?.reason, "nicht geliefert");
  const u = t.findings.find((x) => x.check === "unmapped-variable");
  assert.match(u!.message, /"XYZ"/);
});

test("print-layout XLSX: skipRows, two header rows joined, subtotal rows skipped, numeric ids padded (and reported)", async () => {
  const dir = tempDir();
  const f = path.join(dir, "druck.xlsx");
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Tabelle 1");
  ws.addRow(["Bevölkerung in Musterstadt am 31.12.2024"]);
  ws.addRow(["Quelle: Einwohnerregister"]);
  ws.addRow([]);
  ws.addRow(["Statistischer", "Name", "Einwohner", null, "Arbeitslose"]);
  ws.addRow(["Bezirk", null, "insgesamt", "unter 18", null]);
  ws.mergeCells("C4:D4");
  ws.addRow([101, "Altstadt", 1234, 200, "(7)"]);
  ws.addRow(["0102", "Neustadt", 2000, ".", 13]);
  ws.addRow(["Stadtteil 01 zusammen", null, 3234, null, null]);
  ws.addRow([201, "Südfeld", 999, "-", 3]);
  ws.addRow(["Stadt insgesamt", null, 4233, null, null]);
  await wb.xlsx.writeFile(f);
  const t = await loadStatistics({
    file: f, sheet: "Tabelle 1", areaSystem: "bez", layout: "wide", skipRows: 3, headerRows: 2,
    areaField: "Statistischer Bezirk", year: 2024, idWidth: 4, skipAreaPattern: "zusammen|insgesamt",
    columns: { "Einwohner insgesamt": "pop_total", "Einwohner unter 18": "age_00_18", Arbeitslose: "unemployed" },
  });
  assert.deepEqual(t.areas, ["0101", "0102", "0201"]);
  assert.equal(getCount(t, "0101", 2024, "pop_total"), 1234);
  assert.equal(getCount(t, "0201", 2024, "unemployed"), 3);
  assert.ok(Number.isNaN(getCount(t, "0102", 2024, "age_00_18")));
  assert.equal(t.limited.size, 1);
  const padded = t.findings.find((x) => x.check === "id-padded");
  assert.equal(padded?.value, 2);
  assert.match(padded!.message, /101 → 0101/);
  assert.deepEqual(t.findings.filter((x) => x.check === "skipped-row").map((x) => x.row), [8, 10]);
});

test("toDataFrame gives typed columns, for one year or all", async () => {
  const dir = tempDir();
  const f = path.join(dir, "df.csv");
  writeFileSync(f, "id;pop\n001;5\n002;.\n");
  const t = await loadStatistics({ file: f, areaSystem: "a", layout: "wide", areaField: "id", year: 2024, columns: { pop: "pop_total" } });
  const df = toDataFrame(t, { year: 2024 });
  assert.deepEqual(df.columns, ["gebiet_id", "pop_total"]);
  assert.deepEqual(df.dtypes, ["string", "float32"]);
  assert.deepEqual(df["gebiet_id"].values, ["001", "002"]);
  const all = toDataFrame(t, { columnNames: "label" });
  assert.deepEqual(all.columns, ["gebiet_id", "jahr", "Einwohner (Hauptwohnsitz)"]);
});
