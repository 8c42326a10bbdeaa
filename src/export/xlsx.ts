/**
 * Published tables as formatted Excel workbooks (exceljs): one sheet per table with title,
 * reference date, German headers with units, number formats per column, frozen header row,
 * autofilter, column widths and the footnotes under the table, plus a sheet "Herkunft" with the
 * provenance (dataset, source files with SHA-256, configuration hash, rules, code version).
 *
 * Decisions:
 * - Numbers are real numbers with an Excel number format (`#,##0`, `#,##0.0`, …), which German
 *   Excel shows as `1.234,5`.
 * - Table symbols (`.`, `/`, `–`, `x`, …) are text, right-aligned like the numbers.
 * - Values of limited reliability (`(12,3)` in the table) are written as numbers with the format
 *   `(#,##0.0)`: they show in brackets, as published, and still sort and filter with the other
 *   numbers; the footnote "( ) = Aussagewert eingeschränkt…" of the table explains the brackets.
 * - Nothing is hidden: no hidden sheets, rows or columns, no comments; a suppressed value is
 *   never in the file (the table holds only its symbol).
 * - Text from data that starts with `=`, `+`, `-`, `@`, tab or CR is written as text with a
 *   leading `'` (as `germanCsv` does), so it can never become a formula, not even after editing.
 * - Deterministic: the same tables, options and provenance give the same bytes (document dates
 *   and ZIP timestamps are fixed to `options.date`, default the 31.12. of the table year).
 */
import type { Dataset } from "../project/config";
import type { PublishedTable } from "../protect/tables";
import { neutralizeFormula, writeOutput } from "./files";
import { activeProvenance, datasetProvenance, recordExport, type DatasetProvenance } from "./provenance";

/** Options of {@link tableXlsx}; every field has a default. */
export interface XlsxOptions {
  /** Sheet names, one per table (default: from the caption, else "Tabelle 1", …; cut to 31 characters, made unique). */
  sheetNames?: string[];
  /** Dataset (or its provenance) for the sheet "Herkunft" (default: the active configuration's provenance; `false`: no such sheet). */
  dataset?: Dataset | DatasetProvenance | false;
  /** Date written as document creation/modification date and ZIP timestamps (default: 31.12. of the first table's year, else 2000-01-01). */
  date?: Date;
  /** Reference date text before the year in the title block (default: from the dataset's `referenceDate`, else `"31.12."`). */
  referenceDate?: string;
}

const SHEET_BAD = /[\\/?*[\]:]/g;

function sheetNames(tables: PublishedTable[], given?: string[]): string[] {
  const used = new Set<string>(["herkunft"]);
  return tables.map((t, i) => {
    let base = (given?.[i] ?? t.caption ?? `Tabelle ${i + 1}`).replace(SHEET_BAD, " ").replace(/\s+/g, " ").replace(/^'+|'+$/g, "").trim() || `Tabelle ${i + 1}`;
    base = base.slice(0, 31).trim();
    let name = base, n = 2;
    while (used.has(name.toLowerCase())) {
      const suffix = ` (${n++})`;
      name = base.slice(0, 31 - suffix.length).trim() + suffix;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

/**
 * Excel number format for `digits` decimals (`#,##0`, `#,##0.0`, …); German Excel shows it as
 * `1.234,5`.
 *
 * @example
 * excelNumberFormat(1); // "#,##0.0"
 */
export function excelNumberFormat(digits: number | undefined): string {
  const d = Math.max(0, Math.min(10, Math.round(digits ?? 0)));
  return d === 0 ? "#,##0" : `#,##0.${"0".repeat(d)}`;
}

/** `"(12,3)"` / `"(1.234)"` → 12.3 / 1234 (German display of a limited value), else undefined. */
function limitedNumber(text: string): number | undefined {
  const m = /^\((-?[\d.]+(?:,\d+)?)\)$/.exec(text.trim());
  if (!m) return undefined;
  const v = Number(m[1]!.replace(/\./g, "").replace(",", "."));
  return Number.isFinite(v) ? v : undefined;
}

function textWidth(s: string): number {
  return [...s].length;
}

function dateOf(tables: PublishedTable[], date?: Date): Date {
  if (date !== undefined) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new Error(`tableXlsx: invalid options.date ${String(date)} (expected a valid Date)`);
    return date;
  }
  const year = tables.find((t) => t.year)?.year;
  // local midnight: ZIP timestamps are local DOS times
  return year ? new Date(year, 11, 31, 0, 0, 0) : new Date(2000, 0, 1, 0, 0, 0);
}

function requireTables(tables: PublishedTable | PublishedTable[]): PublishedTable[] {
  const list = Array.isArray(tables) ? tables : [tables];
  if (!list.length) throw new Error("tableXlsx: expected at least one published table");
  list.forEach((t, i) => {
    if (!t || typeof t !== "object" || !Array.isArray(t.rows) || !Array.isArray(t.columns) || typeof t.protection !== "object" || t.protection === null) {
      throw new Error(`tableXlsx: table ${i + 1} is not a published table (expected protectedTable/protectedDetailTable/answerTable, or unprotectedTable(rows, { unprotected: { reason } }))`);
    }
    if ("unprotected" in t.protection && !t.protection.unprotected?.reason?.trim()) throw new Error(`tableXlsx: table ${i + 1} is unprotected without a reason`);
  });
  return list;
}

type TablesProtection = { state: "geschuetzt"; rules: string } | { state: "ohne-schutz"; reason: string };

function protectionOf(tables: PublishedTable[]): TablesProtection {
  const reasons = tables.flatMap((t) => ("unprotected" in t.protection ? [t.protection.unprotected.reason] : []));
  if (reasons.length) return { state: "ohne-schutz", reason: [...new Set(reasons)].join(" | ") };
  return { state: "geschuetzt", rules: [...new Set(tables.map((t) => ("rules" in t.protection ? t.protection.rules : "")))].filter(Boolean).join(" | ") };
}

function provenanceOf(ds: XlsxOptions["dataset"]): DatasetProvenance | undefined {
  if (ds === false) return undefined;
  if (ds === undefined) return activeProvenance();
  return "configHash" in ds ? ds : datasetProvenance(ds);
}

/**
 * Re-packs a ZIP (e.g. an XLSX from exceljs, which stamps every entry with the current time)
 * with every entry's timestamp set to `date`, keeping entry order and content, so identical
 * inputs give identical bytes.
 *
 * @example
 * const stable = await normalizeZip(await workbook.xlsx.writeBuffer() as Buffer, new Date(Date.UTC(2024, 11, 31)));
 */
export async function normalizeZip(buf: Buffer, date: Date): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const JSZip = require("jszip") as typeof import("jszip");
  const src = await JSZip.loadAsync(buf);
  const out = new JSZip();
  const names: string[] = [];
  src.forEach((p, f) => { if (!f.dir) names.push(p); });
  for (const n of names) out.file(n, await src.file(n)!.async("uint8array"), { date, createFolders: false });
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 }, platform: "DOS" });
}

/**
 * Published tables as one XLSX workbook (see the module notes for the decisions): one sheet per
 * table, a sheet "Herkunft" with the provenance. Deterministic bytes for identical inputs.
 *
 * @example
 * const p = kr.protectedIndicatorsFor(ds, "statbez");
 * const xlsx = await kr.tableXlsx(kr.protectedTable(p, { caption: "Soziale Lage 2024" }), { dataset: ds });
 */
export async function tableXlsx(tables: PublishedTable | PublishedTable[], options: XlsxOptions = {}): Promise<Buffer> {
  const list = requireTables(tables);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ExcelJS = require("exceljs") as typeof import("exceljs");
  const date = dateOf(list, options.date);
  const prov = provenanceOf(options.dataset);
  const refDate = options.referenceDate ?? (prov ? prov.dataset.referenceDate.split("-").reverse().join(".") + "." : "31.12.");
  const protection = protectionOf(list);
  const wb = new ExcelJS.Workbook();
  wb.creator = "kleinraum";
  wb.lastModifiedBy = "kleinraum";
  wb.created = date;
  wb.modified = date;
  wb.title = list[0]!.caption ?? "Tabelle";
  if (prov) wb.subject = `Quelle: ${prov.dataset.source}`;
  wb.keywords = protection.state === "geschuetzt" ? "kr-protection=geschuetzt" : `kr-protection=ohne-schutz; kr-protection-reason=${protection.reason.replace(/[;<>&]/g, " ")}`;
  wb.description = protection.state === "geschuetzt" ? `Geheimhaltung angewandt. ${protection.rules ?? ""}`.trim() : `Ohne Geheimhaltungsschutz: ${protection.reason}`;
  const names = sheetNames(list, options.sheetNames);
  list.forEach((t, ti) => {
    const ws = wb.addWorksheet(names[ti]!, { properties: { defaultRowHeight: 15 }, pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
    const cols = t.columns;
    const numeric = cols.map((c) => t.rows.some((r) => typeof r[c] === "number" || (typeof r[c] === "string" && limitedNumber(r[c] as string) !== undefined)));
    const text = (v: string) => neutralizeFormula(v);
    let row = 1;
    ws.getCell(row, 1).value = text(t.caption ?? names[ti]!);
    ws.getCell(row, 1).font = { bold: true, size: 13 };
    row++;
    if (t.year) { ws.getCell(row, 1).value = `Stichtag: ${refDate}${t.year}`; row++; }
    if ("unprotected" in t.protection) {
      ws.getCell(row, 1).value = text(`Ohne Geheimhaltungsschutz: ${t.protection.unprotected.reason} – nicht zur Weitergabe.`);
      ws.getCell(row, 1).font = { bold: true, color: { argb: "FFB3261E" } };
      row++;
    }
    row++;
    const headerRow = row;
    cols.forEach((c, j) => {
      const cell = ws.getCell(headerRow, j + 1);
      cell.value = text(c);
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: "bottom", horizontal: numeric[j] ? "right" : "left" };
      cell.border = { bottom: { style: "thin" } };
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    });
    const widths = cols.map((c) => Math.min(28, Math.max(10, ...c.split(/\s+/).map(textWidth))));
    t.rows.forEach((r, i) => {
      const rr = headerRow + 1 + i;
      cols.forEach((c, j) => {
        const v = r[c];
        const cell = ws.getCell(rr, j + 1);
        const fmt = excelNumberFormat(t.digits[c]);
        if (typeof v === "number") {
          if (!Number.isFinite(v)) { cell.value = "."; cell.alignment = { horizontal: "right" }; return; }
          cell.value = v;
          cell.numFmt = fmt;
          widths[j] = Math.max(widths[j]!, textWidth(v.toFixed(Math.max(0, t.digits[c] ?? 0))) + 3);
        } else if (typeof v === "string" && v !== "") {
          const limited = limitedNumber(v);
          if (limited !== undefined && numeric[j]) {
            cell.value = limited;
            cell.numFmt = `(${fmt})`;
          } else {
            cell.value = text(v);
            if (numeric[j]) cell.alignment = { horizontal: "right" };
          }
          widths[j] = Math.max(widths[j]!, Math.min(60, textWidth(v) + 2));
        }
      });
    });
    cols.forEach((_, j) => { ws.getColumn(j + 1).width = widths[j]!; });
    const lastRow = headerRow + t.rows.length;
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: Math.max(headerRow, lastRow), column: Math.max(1, cols.length) } };
    const freezeCols = cols[0] === "Gebiet-ID" && cols[1] === "Gebiet" ? 2 : 0;
    ws.views = [{ state: "frozen", xSplit: freezeCols, ySplit: headerRow, topLeftCell: ws.getCell(headerRow + 1, freezeCols + 1).address, activeCell: ws.getCell(headerRow + 1, freezeCols + 1).address }];
    let nr = lastRow + 2;
    for (const note of t.notes) {
      const cell = ws.getCell(nr++, 1);
      cell.value = text(note);
      cell.font = { size: 9, color: { argb: "FF555555" } };
    }
  });
  if (prov) addProvenanceSheet(wb, prov, protection);
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return normalizeZip(raw, date);
}

function addProvenanceSheet(wb: import("exceljs").Workbook, prov: DatasetProvenance, protection: TablesProtection): void {
  const ws = wb.addWorksheet("Herkunft");
  const t = (s: string) => neutralizeFormula(s);
  ws.getCell(1, 1).value = "Herkunft der Tabellen";
  ws.getCell(1, 1).font = { bold: true, size: 13 };
  const pairs: Array<[string, string]> = [
    ["Datensatz", `${prov.dataset.name} (${prov.dataset.id})`],
    ["Quelle", prov.dataset.source],
    ["Stichtag", `${prov.dataset.referenceDate.split("-").reverse().join(".")}.${prov.dataset.referenceYear}`],
    ["Konfiguration", prov.configFile],
    ["Konfiguration SHA-256", prov.configHash],
    ["Geheimhaltung", protection.state === "geschuetzt" ? ("rules" in prov.protection ? prov.protection.rules : "angewandt") : `ohne Geheimhaltungsschutz: ${protection.reason}`],
    ["Programmstand (git)", `${prov.code.commit}${prov.code.dirty ? " (mit nicht eingecheckten Änderungen)" : ""}`],
    ["Herkunfts-ID", prov.id],
    ["Erstellt", prov.date],
  ];
  let r = 3;
  for (const [k, v] of pairs) {
    ws.getCell(r, 1).value = k;
    ws.getCell(r, 1).font = { bold: true };
    ws.getCell(r, 2).value = t(v);
    r++;
  }
  r++;
  ws.getCell(r, 1).value = "Quelldateien";
  ws.getCell(r, 1).font = { bold: true };
  r++;
  ["Datei", "SHA-256", "Bytes"].forEach((h, j) => { ws.getCell(r, j + 1).value = h; ws.getCell(r, j + 1).font = { bold: true }; });
  r++;
  for (const f of prov.files) {
    ws.getCell(r, 1).value = t(f.path);
    ws.getCell(r, 2).value = f.sha256;
    ws.getCell(r, 3).value = f.bytes;
    ws.getCell(r, 3).numFmt = "#,##0";
    r++;
  }
  r++;
  ws.getCell(r, 1).value = "Indikatoren";
  ws.getCell(r, 1).font = { bold: true };
  r++;
  ["Kennung", "Bezeichnung", "Definition"].forEach((h, j) => { ws.getCell(r, j + 1).value = h; ws.getCell(r, j + 1).font = { bold: true }; });
  r++;
  for (const d of prov.indicators) {
    ws.getCell(r, 1).value = t(d.id);
    ws.getCell(r, 2).value = t(d.label);
    ws.getCell(r, 3).value = t(d.definition);
    r++;
  }
  ws.getColumn(1).width = 44;
  ws.getColumn(2).width = 66;
  ws.getColumn(3).width = 80;
}

/**
 * Writes published tables as `outputs/<notebook>/<name>` (`.xlsx` is appended when missing) via
 * `writeOutput` and records the file in the notebook's manifest. Returns the path.
 *
 * @example
 * await kr.writeTableXlsx("03-soziale-lage", "status-quo", [status, change], { dataset: ds });
 */
export async function writeTableXlsx(notebook: string, name: string, tables: PublishedTable | PublishedTable[], options: XlsxOptions = {}): Promise<string> {
  const file = /\.xlsx$/i.test(name) ? name : `${name}.xlsx`;
  const list = requireTables(tables);
  const xlsx = await tableXlsx(list, options);
  const written = writeOutput(notebook, file, xlsx);
  const prov = provenanceOf(options.dataset);
  recordExport(notebook, { file: written, content: xlsx, kind: "table", title: list[0]!.caption, protection: protectionOf(list), ...(prov ? { dataset: prov } : {}) });
  return written;
}
