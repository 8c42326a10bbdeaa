/**
 * XLSX export (src/export/xlsx.ts) on Musterstadt: read back with exceljs and checked for title,
 * headers, number formats, frozen pane, autofilter, footnotes, the provenance sheet, nothing
 * hidden, symbols instead of suppressed values, formula injection neutralised, deterministic
 * bytes; and the German CSV of the same table (`;`, decimal comma, BOM, formula safety).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, test } from "node:test";

const OUT = mkdtempSync(path.join(os.tmpdir(), "kleinraum-export-xlsx-"));
process.env.KLEINRAUM_OUTPUTS = OUT;

import ExcelJS from "exceljs";
import { excelNumberFormat, tableXlsx, writeTableXlsx } from "../src/export/xlsx";
import { germanCsv, protectionProblem, writeOutput } from "../src/export/files";
import { zipEntry } from "../src/export/embed";
import { datasetProvenance, type DatasetProvenance } from "../src/export/provenance";
import { resultIndex } from "../src/indicators/compute";
import { loadDataset, type Dataset } from "../src/project/config";
import { protectedIndicatorsFor, type ProtectedResult } from "../src/protect/dataset";
import { protectedTable, tableCsv, unprotectedTable, type PublishedTable } from "../src/protect/tables";

const ROOT = path.resolve(__dirname, "..");
let ds: Dataset;
let p: ProtectedResult;
let pb: ProtectedResult;
let prov: DatasetProvenance;
let table: PublishedTable;
let fine: PublishedTable;

before(async () => {
  ds = await loadDataset(path.join(ROOT, "data/musterstadt/dataset.json"), { validate: false });
  p = protectedIndicatorsFor(ds, "statbez");
  pb = protectedIndicatorsFor(ds, "bbg");
  prov = datasetProvenance(ds, { results: [p, pb], date: "2025-01-15T08:00:00Z" });
  table = protectedTable(p, { indicators: ["population", "child_poverty", "unemployment_rate", "sgb2_households"], caption: "Soziale Lage 2024, Statistische Bezirke" });
  fine = protectedTable(pb, { indicators: ["population", "child_poverty", "sgb2_households"], caption: "Soziale Lage 2024, Baublockgruppen" });
});

async function read(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function findRow(ws: ExcelJS.Worksheet, first: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === first) return r;
  return -1;
}

test("one sheet per table with title, reference date, headers, formats, frozen header and filter; footnotes below", async () => {
  const buf = await tableXlsx([table, fine], { dataset: prov });
  const wb = await read(buf);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ["Soziale Lage 2024, Statistische", "Soziale Lage 2024, Baublockgrup", "Herkunft"]);
  const ws = wb.worksheets[0]!;
  assert.equal(ws.getCell("A1").value, "Soziale Lage 2024, Statistische Bezirke");
  assert.equal(ws.getCell("A2").value, "Stichtag: 31.12.2024");
  const header = findRow(ws, "Gebiet-ID");
  assert.ok(header > 2);
  assert.deepEqual(table.columns.map((_, j) => ws.getCell(header, j + 1).value), table.columns);
  assert.ok(table.columns.some((c) => /\(%\)/.test(c)), "headers carry units");
  // city row first, then the districts; numbers are numbers with formats by digits
  assert.equal(ws.getCell(header + 1, 2).value, "Stadt insgesamt");
  const popCol = table.columns.indexOf("Einwohner") + 1 || table.columns.findIndex((c) => c.startsWith("Einwohner")) + 1;
  assert.ok(popCol > 0);
  assert.equal(typeof ws.getCell(header + 1, popCol).value, "number");
  assert.equal(ws.getCell(header + 1, popCol).numFmt, "#,##0");
  const cpCol = table.columns.findIndex((c) => c.startsWith("Kinder in Bedarfsgemeinschaften")) + 1;
  assert.equal(ws.getCell(header + 1, cpCol).numFmt, "#,##0.0");
  assert.equal(excelNumberFormat(2), "#,##0.00");
  // frozen pane under the header (and the id/name columns), autofilter on the header row
  const view = ws.views[0] as { state: string; ySplit: number; xSplit: number };
  assert.equal(view.state, "frozen");
  assert.equal(view.ySplit, header);
  assert.equal(view.xSplit, 2);
  assert.ok(ws.autoFilter, "autofilter");
  // column widths set
  for (let j = 1; j <= table.columns.length; j++) assert.ok((ws.getColumn(j).width ?? 0) >= 8, `width of column ${j}`);
  // footnotes: every note of the table below it
  const last = header + table.rows.length;
  const notes: string[] = [];
  for (let r = last + 1; r <= ws.rowCount; r++) { const v = ws.getCell(r, 1).value; if (typeof v === "string") notes.push(v); }
  assert.deepEqual(notes, table.notes);
  assert.ok(notes.some((n) => n.startsWith("Geheimhaltung")), "rules under the table");
  assert.ok(notes.some((n) => n.startsWith("Quelle:")), "source under the table");
  // provenance sheet
  const h = wb.getWorksheet("Herkunft")!;
  const text = h.getSheetValues().flat().filter((v) => typeof v === "string").join("\n");
  assert.ok(text.includes(prov.configHash));
  assert.ok(text.includes(prov.code.commit));
  assert.ok(text.includes("data/musterstadt/dataset.json"));
  for (const f of prov.files) assert.ok(text.includes(f.sha256), f.path);
  // document properties carry the protection mark
  assert.match(zipEntry(buf, "docProps/core.xml")!.toString("utf8"), /kr-protection=geschuetzt/);
  assert.equal(protectionProblem("t.xlsx", buf), undefined);
});

test("nothing hidden: no hidden sheets, rows, columns, no comments", async () => {
  const buf = await tableXlsx([table, fine], { dataset: prov });
  const wb = await read(buf);
  for (const ws of wb.worksheets) {
    assert.equal(ws.state, "visible", ws.name);
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      assert.ok(!row.hidden, `${ws.name} row ${r} hidden`);
      row.eachCell({ includeEmpty: true }, (cell) => assert.equal(cell.note, undefined, `${ws.name} ${cell.address} has a comment`));
    });
    for (let c = 1; c <= ws.columnCount; c++) assert.ok(!ws.getColumn(c).hidden, `${ws.name} column ${c} hidden`);
  }
  // raw XML: no hidden state anywhere, no comments part
  for (const part of ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"]) {
    const xml = zipEntry(buf, part)!.toString("utf8");
    assert.doesNotMatch(xml, /hidden="(1|true)"|state="(hidden|veryHidden)"/, part);
  }
  assert.equal(zipEntry(buf, "xl/comments1.xml"), undefined);
  assert.doesNotMatch(zipEntry(buf, "xl/workbook.xml")!.toString("utf8"), /<definedName\b/, "no defined names");
});

test("suppressed cells show their symbols, never the value", async () => {
  const wb = await read(await tableXlsx(fine, { dataset: prov }));
  const ws = wb.worksheets[0]!;
  const header = findRow(ws, "Gebiet-ID");
  const r = pb.result;
  const i = r.definitions.findIndex((d) => d.id === "child_poverty");
  const col = fine.columns.findIndex((c) => c.startsWith("Kinder in Bedarfsgemeinschaften")) + 1;
  const y = r.years.length - 1;
  let hidden = 0;
  for (let row = header + 2; row <= header + fine.rows.length; row++) {
    const id = ws.getCell(row, 1).value as string;
    const a = r.areas.indexOf(id);
    assert.ok(a >= 0, id);
    const k = resultIndex(r, i, a, y);
    const cell = ws.getCell(row, col);
    if (pb.suppressed[k]) {
      hidden++;
      assert.equal(typeof cell.value, "string", `${id}: suppressed, got ${cell.value}`);
      assert.match(cell.value as string, /^[./x–-]$/);
    }
  }
  assert.ok(hidden > 20, `suppressed block groups: ${hidden}`);
  // limited values "(12,3)" become numbers with a bracket format
  const limited = fine.rows.flatMap((row, n) => fine.columns.map((c, j) => ({ v: row[c], n, j }))).filter((x) => typeof x.v === "string" && /^\(/.test(x.v as string));
  for (const x of limited.slice(0, 5)) {
    const cell = ws.getCell(header + 1 + x.n, x.j + 1);
    assert.equal(typeof cell.value, "number");
    assert.match(cell.numFmt, /^\(#,##0/);
  }
});

test("text that looks like a formula stays text", async () => {
  const evil = unprotectedTable([
    { Gebiet: '=HYPERLINK("http://x")', Wert: 1 },
    { Gebiet: "+49 Kreis", Wert: 2 },
    { Gebiet: "-Süd", Wert: 3 },
    { Gebiet: "@home", Wert: 4 },
  ], { unprotected: { reason: "Test der Formel-Neutralisierung" }, caption: "=1+1" });
  const buf = await tableXlsx(evil, { dataset: false });
  const xml = zipEntry(buf, "xl/worksheets/sheet1.xml")!.toString("utf8");
  assert.doesNotMatch(xml, /<f>/, "no formula elements");
  const wb = await read(buf);
  const ws = wb.worksheets[0]!;
  assert.equal(ws.getCell("A1").value, "'=1+1");
  const values: unknown[] = [];
  ws.eachRow((row) => row.eachCell((c) => values.push(c.value)));
  for (const v of ['=HYPERLINK("http://x")', "+49 Kreis", "-Süd", "@home"]) {
    assert.ok(values.includes(`'${v}`), `${v} neutralised`);
    assert.ok(!values.includes(v), `${v} raw`);
  }
  for (const v of values) assert.ok(typeof v === "string" || typeof v === "number", `cell value ${JSON.stringify(v)} is no formula`);
  assert.match(zipEntry(buf, "docProps/core.xml")!.toString("utf8"), /kr-protection=ohne-schutz; kr-protection-reason=Test der Formel-Neutralisierung/);
  // the CSV of the same table
  const csv = germanCsv(evil.rows, { columns: evil.columns });
  for (const v of ["'=HYPERLINK", "'+49 Kreis", "'-Süd", "'@home"]) assert.ok(csv.includes(v), v);
});

test("identical inputs give identical bytes", async () => {
  const a = await tableXlsx([table, fine], { dataset: prov });
  await new Promise((r) => setTimeout(r, 1100)); // a second later: ZIP timestamps would differ
  const b = await tableXlsx([table, fine], { dataset: prov });
  assert.ok(a.equals(b), "same bytes");
  const c = await tableXlsx([table, fine], { dataset: prov, date: new Date(2030, 0, 1) });
  assert.ok(!a.equals(c), "the date is part of the input");
});

test("writeTableXlsx writes through writeOutput and records the file in the manifest", async () => {
  const file = await writeTableXlsx("export-xlsx", "soziale-lage", [table, fine], { dataset: prov });
  assert.equal(file, path.join(OUT, "export-xlsx", "soziale-lage.xlsx"));
  const m = JSON.parse(readFileSync(path.join(OUT, "export-xlsx", "manifest.json"), "utf8")) as { files: Array<{ file: string; kind: string; title: string; protection: { state: string }; dataset: string; sha256: string }> };
  const e = m.files.find((f) => f.file === "export-xlsx/soziale-lage.xlsx")!;
  assert.equal(e.kind, "table");
  assert.equal(e.title, "Soziale Lage 2024, Statistische Bezirke");
  assert.equal(e.protection.state, "geschuetzt");
  assert.equal(e.dataset, prov.id);
  // an XLSX without the mark is refused by writeOutput
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("x").getCell("A1").value = 1;
  const plain = Buffer.from(await wb.xlsx.writeBuffer());
  assert.throws(() => writeOutput("export-xlsx", "roh.xlsx", plain), /refusing to write roh\.xlsx without small-number protection/);
  await assert.rejects(tableXlsx({ rows: [{ a: 1 }] } as unknown as PublishedTable), /table 1 is not a published table/);
});

test("German CSV of a published table: ';', decimal comma, BOM, CRLF", () => {
  const csv = tableCsv(table);
  assert.ok(csv.startsWith("\uFEFF"));
  const lines = csv.slice(1).split("\r\n");
  assert.equal(lines[0], "Soziale Lage 2024, Statistische Bezirke");
  assert.equal(lines[1], "Stichtag: 31.12.2024");
  assert.equal(lines[2], table.columns.join(";"));
  assert.match(lines[3]!, /^;Stadt insgesamt;\d+;\d+,\d;/);
  mkdirSync(path.join(OUT, "csv"), { recursive: true });
});
