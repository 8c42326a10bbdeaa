/**
 * Reading tables as rows of cells: CSV (German or international conventions, detected) and
 * XLSX (print layouts included), plus the German number and statistical-symbol parser.
 */
import { readFileSync } from "fs";
import { DataError } from "./errors";
import { decodeText } from "./encoding";

/** A cell as read: text from CSV, text or number from XLSX, `null` when empty. */
export type Cell = string | number | null;

/** A table read from a file, before header handling. */
export interface RawTable {
  /** Rows of cells; `rowNumbers[i]` is the 1-based line/row number of `rows[i]` in the file. */
  rows: Cell[][];
  rowNumbers: number[];
  /** How the file was read, for the report (e.g. `{ separator: ";", encoding: "windows-1252" }`). */
  format: { separator?: string; encoding?: string; bom?: boolean; sheet?: string };
}

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Field separator. Default: detected from the first non-empty line (`;`, tab, else `,`). */
  separator?: string;
  /** Text encoding. Default: detect UTF-8 (with/without BOM) vs Windows-1252. */
  encoding?: string;
}

/**
 * Reads a CSV file into rows of text cells (quoted fields with `""` escapes and line breaks
 * inside quotes are handled; the separator and encoding are detected unless given).
 * Throws {@link DataError} for an empty file or an unterminated quote.
 *
 * @example
 * const t = readCsv("bestand.csv"); // t.format.separator === ";"
 */
export function readCsv(file: string, options: ReadCsvOptions = {}): RawTable {
  const bytes = readFileSync(file);
  if (bytes.byteLength === 0) throw new DataError(file, "file is empty", { expected: "a header row and data rows" });
  const { text, encoding, bom } = decodeText(bytes, options.encoding);
  const sep = options.separator ?? detectSeparator(text);
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const row: Cell[] = [];
    let field = "";
    let quotedField = false;
    for (;;) {
      if (i >= n) {
        row.push(field);
        break;
      }
      const c = text[i];
      if (c === '"' && field.trim() === "" && !quotedField) {
        // quoted field
        quotedField = true;
        field = "";
        i++;
        for (;;) {
          if (i >= n) throw new DataError(file, "a quoted field is not closed", { row: startLine, expected: 'a closing "' });
          const d = text[i];
          if (d === '"') {
            if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (d === "\n") line++;
          field += d;
          i++;
        }
        continue;
      }
      if (c === sep) {
        row.push(field);
        field = "";
        quotedField = false;
        i++;
        continue;
      }
      if (c === "\r" || c === "\n") {
        row.push(field);
        if (c === "\r" && text[i + 1] === "\n") i++;
        i++;
        line++;
        break;
      }
      field += c;
      i++;
    }
    if (row.length === 1 && (row[0] === "" || row[0] === null)) continue; // blank line
    rows.push(row.map((x) => (x === "" ? null : x)));
    rowNumbers.push(startLine);
  }
  if (rows.length === 0) throw new DataError(file, "file holds no rows", { expected: "a header row and data rows" });
  return { rows, rowNumbers, format: { separator: sep, encoding, bom } };
}

function detectSeparator(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const count = (ch: string) => {
    let k = 0, q = false;
    for (const c of first) {
      if (c === '"') q = !q;
      else if (!q && c === ch) k++;
    }
    return k;
  };
  if (count(";") > 0) return ";";
  if (count("\t") > 0) return "\t";
  return ",";
}

/** Options of {@link readXlsx}. */
export interface ReadXlsxOptions {
  /** Sheet name. Default: the first sheet. */
  sheet?: string;
}

/**
 * Reads one sheet of an XLSX workbook into rows of cells (numbers stay numbers, formulas give
 * their cached result, rich text is flattened, dates become ISO strings). Merged cells give
 * their value in the top-left cell only.
 *
 * @example
 * const t = await readXlsx("bestand.xlsx", { sheet: "Tabelle 1" });
 */
export async function readXlsx(file: string, options: ReadXlsxOptions = {}): Promise<RawTable> {
  // exceljs is loaded on demand: it is large.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ExcelJS: typeof import("exceljs") = require("exceljs");
  const bytes = readFileSync(file);
  if (bytes.byteLength === 0) throw new DataError(file, "file is empty", { expected: "an XLSX workbook" });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new DataError(file, `cannot read the workbook: ${(e as Error).message}`, { expected: "an XLSX workbook" });
  }
  const ws = options.sheet ? wb.getWorksheet(options.sheet) : wb.worksheets[0];
  if (!ws) {
    throw new DataError(file, options.sheet ? `sheet ${JSON.stringify(options.sheet)} does not exist` : "workbook has no sheet", {
      field: "sheet", expected: `one of ${wb.worksheets.map((w) => JSON.stringify(w.name)).join(", ")}`,
    });
  }
  const rows: Cell[][] = [];
  const rowNumbers: number[] = [];
  const width = ws.columnCount;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      if (cell.isMerged && cell.master !== cell) {
        cells.push(null);
        continue;
      }
      cells.push(cellValue(cell.value));
    }
    if (cells.every((x) => x === null)) return;
    rows.push(cells);
    rowNumbers.push(rowNumber);
  });
  if (rows.length === 0) throw new DataError(file, `sheet ${JSON.stringify(ws.name)} holds no rows`, { expected: "a header row and data rows" });
  return { rows, rowNumbers, format: { sheet: ws.name } };
}

function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: string; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join("") || null;
    if ("result" in o) return cellValue(o.result);
    if (o.text !== undefined) return o.text;
    if (o.error) return o.error;
  }
  return String(v);
}

/** Why a value is missing: the symbol as written and its meaning (German). */
export interface MissingReason {
  /** Symbol as written in the source, e.g. `"."`, `"–"`, `""` (empty cell). */
  symbol: string;
  /** Meaning, German, e.g. `"unbekannt oder geheim zu halten"`. */
  reason: string;
}

/** Result of {@link parseStatNumber}. */
export type ParsedNumber =
  | { kind: "value"; value: number; limited?: boolean }
  | { kind: "missing"; missing: MissingReason }
  | { kind: "invalid"; text: string };

/** Statistical symbols of German official statistics and what they mean. */
export const STAT_SYMBOLS: Readonly<Record<string, string>> = {
  "": "leer (keine Angabe)",
  ".": "Zahlenwert unbekannt oder geheim zu halten",
  "-": "nichts vorhanden",
  "–": "nichts vorhanden",
  "—": "nichts vorhanden",
  x: "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
  X: "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
  "/": "keine Angabe, da Zahlenwert nicht sicher genug",
  "( )": "Aussagewert eingeschränkt, Zahlenwert fehlt",
  "()": "Aussagewert eingeschränkt, Zahlenwert fehlt",
  "*": "geheim zu halten",
  "…": "Angabe fällt später an",
  "...": "Angabe fällt später an",
  NA: "nicht verfügbar (NA)",
  "#NV": "nicht verfügbar (#NV)",
};

/**
 * Parses a statistics cell: numbers in German or international notation (decimal comma or
 * point, thousands separators `.`/`,` in groups of three or spaces, `-  23` negative), the
 * symbols of {@link STAT_SYMBOLS} as missing with their meaning (never 0), and `(123)` as 123
 * flagged `limited` (limited reliability). Anything else is `invalid`.
 *
 * @example
 * parseStatNumber(" 1 675 ", ",");  // { kind: "value", value: 1675 }
 * parseStatNumber("-  23", ",");    // { kind: "value", value: -23 }
 * parseStatNumber("(123)", ",");    // { kind: "value", value: 123, limited: true }
 * parseStatNumber(".", ",");        // { kind: "missing", missing: { symbol: ".", reason: "Zahlenwert unbekannt …" } }
 * parseStatNumber("12,3,4", ",");   // { kind: "invalid", text: "12,3,4" }
 */
export function parseStatNumber(cell: Cell, decimal: "," | "."): ParsedNumber {
  if (cell === null) return { kind: "missing", missing: { symbol: "", reason: STAT_SYMBOLS[""] } };
  if (typeof cell === "number") return Number.isFinite(cell) ? { kind: "value", value: cell } : { kind: "invalid", text: String(cell) };
  const t = cell.replace(/[\u00a0\u202f\u2009]/g, " ").trim();
  if (t in STAT_SYMBOLS) return { kind: "missing", missing: { symbol: t, reason: STAT_SYMBOLS[t] } };
  const paren = /^\(\s*(.+?)\s*\)$/.exec(t);
  if (paren) {
    const inner = parseStatNumber(paren[1], decimal);
    return inner.kind === "value" ? { kind: "value", value: inner.value, limited: true } : { kind: "invalid", text: cell };
  }
  let s = t.replace(/^([+\-–−])\s+/, "$1").replace(/^[–−]/, "-");
  const neg = s.startsWith("-");
  if (neg || s.startsWith("+")) s = s.slice(1);
  // spaces as thousands separators: only between groups of three digits
  if (s.includes(" ")) {
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(s)) return { kind: "invalid", text: cell };
    s = s.replace(/ /g, "");
  }
  const thousands = decimal === "," ? "." : ",";
  const re = decimal === ","
    ? /^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/
    : /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
  if (!re.test(s)) {
    if (/^\d+(\.\d+)?[eE][+-]?\d+$/.test(s)) return { kind: "value", value: (neg ? -1 : 1) * Number(s) };
    return { kind: "invalid", text: cell };
  }
  const v = Number(s.split(thousands).join("").replace(decimal, "."));
  return Number.isFinite(v) ? { kind: "value", value: neg ? -v : v } : { kind: "invalid", text: cell };
}
