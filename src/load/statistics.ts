/**
 * Loading statistics files (CSV/XLSX, wide or long layout, German print layouts included) into
 * {@link CountTable}s: area × year × count variable on typed arrays, with the reason of every
 * missing value and the origin (file, row) of every value.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import type { StatisticsFileConfig } from "../project/config-types";
import type { Finding } from "../validate/report";
import { countVariable } from "../variables";
import { DataError } from "./errors";
import { Cell, MissingReason, parseStatNumber, RawTable, readCsv, readXlsx } from "./table";

export type { MissingReason } from "./table";

/** Where a value came from. */
export interface CellOrigin {
  /** Index into {@link CountTable.sources}. */
  source: number;
  /** 1-based row in that file. */
  row: number;
  /** Source column (wide) or variable name (long). */
  column: string;
}

/**
 * Counts of one area system: `values[(a * years.length + y) * variables.length + v]` for area
 * `areas[a]`, year `years[y]`, variable `variables[v]` (see {@link cellIndex}); `NaN` is missing
 * and every `NaN` has an entry in `missing` saying why (a statistical symbol from the file, an
 * unreadable value, or `"nicht geliefert"` when no file gave the cell).
 */
export interface CountTable {
  /** Id of the area system the areas belong to. */
  areaSystem: string;
  /** Area ids in order of first appearance. */
  areas: string[];
  /** Years, ascending. */
  years: number[];
  /** Count variable ids (see `src/variables.ts`). */
  variables: string[];
  /** Values, area-major, then year, then variable. NaN = missing. */
  values: Float64Array;
  /** Index → why the value is missing. */
  missing: Map<number, MissingReason>;
  /** Index → origin of values written in parentheses, "(123)": limited reliability, value kept. */
  limited: Map<number, CellOrigin>;
  /** Index → origin of each value or symbol read from a file. */
  origin: Map<number, CellOrigin>;
  /** Files read, with SHA-256. */
  sources: { file: string; sha256: string }[];
  /** Findings made while reading (skipped rows, padded ids, unreadable numbers, …). */
  findings: Finding[];
}

/**
 * Index of a cell in {@link CountTable.values}.
 *
 * @example
 * table.values[cellIndex(table, 0, 0, 0)]; // first area, first year, first variable
 */
export function cellIndex(table: Pick<CountTable, "years" | "variables">, area: number, year: number, variable: number): number {
  return (area * table.years.length + year) * table.variables.length + variable;
}

/**
 * One value by ids: the count, or `NaN` when missing or not in the table.
 *
 * @example
 * getCount(table, "01100101", 2024, "pop_total"); // 3580
 */
export function getCount(table: CountTable, areaId: string, year: number, variable: string): number {
  const a = table.areas.indexOf(areaId);
  const y = table.years.indexOf(year);
  const v = table.variables.indexOf(variable);
  if (a < 0 || y < 0 || v < 0) return NaN;
  return table.values[cellIndex(table, a, y, v)];
}

/** Options of {@link loadStatistics}. */
export interface LoadStatisticsOptions {
  /** Years for a `{year}` placeholder in `file` when the entry gives no `years`. Default: none (then a placeholder is an error). */
  years?: number[];
  /** Folder relative paths are resolved against. Default: the working directory. */
  baseDir?: string;
}

interface Entry {
  area: string;
  year: number;
  variable: string;
  value: number;
  missing?: MissingReason;
  limited?: boolean;
  origin: CellOrigin;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * Loads one statistics entry of a dataset configuration (one file, or one file per year with a
 * `{year}` placeholder) into a {@link CountTable}. Structural problems (missing file, missing
 * id/year/mapped column, duplicate area–year–variable) throw {@link DataError}; unreadable
 * numbers become missing values with reason "unlesbarer Wert" and an error finding; skipped
 * subtotal rows, padded ids and unmapped variables are reported as findings.
 *
 * @example
 * const t = await loadStatistics({
 *   file: "../shared/data/berlin-lor-population-2015-2024/berlin-lor-population-{year}-02-csv/berlin-lor-population-{year}-02-t1-planning-areas.csv",
 *   areaSystem: "plr", layout: "wide", areaField: "id",
 *   columns: { inhabitants: "pop_total" }, years: [2021, 2022, 2023, 2024],
 * });
 * getCount(t, "01100101", 2024, "pop_total"); // 3580
 */
export async function loadStatistics(config: StatisticsFileConfig, options: LoadStatisticsOptions = {}): Promise<CountTable> {
  const entries: Entry[] = [];
  const sources: CountTable["sources"] = [];
  const findings: Finding[] = [];
  const files: { file: string; year?: number }[] = [];
  const base = options.baseDir ?? process.cwd();
  if (config.file.includes("{year}")) {
    const years = config.years ?? options.years;
    if (!years || years.length === 0) {
      throw new DataError(path.resolve(base, config.file), "file name has a {year} placeholder but no years are given", { field: "years", expected: "years in the entry or the dataset" });
    }
    for (const y of years) files.push({ file: path.resolve(base, config.file.split("{year}").join(String(y))), year: y });
  } else files.push({ file: path.resolve(base, config.file), year: config.year });
  for (const f of files) {
    if (!existsSync(f.file)) throw new DataError(f.file, "file does not exist", { expected: `a statistics file for area system ${JSON.stringify(config.areaSystem)}` });
    const srcIdx = sources.length;
    sources.push({ file: f.file, sha256: sha256(readFileSync(f.file)) });
    const table = /\.xlsx$/i.test(f.file) ? await readXlsx(f.file, { sheet: config.sheet }) : readCsv(f.file, { separator: config.separator, encoding: config.encoding });
    readEntries(f.file, srcIdx, table, config, f.year, entries, findings);
  }
  for (const x of findings) x.areaSystem = config.areaSystem;
  return buildTable(config.areaSystem, entries, sources, findings);
}

/**
 * Column names and the index of the first data row of a table read by `readCsv`/`readXlsx`:
 * `skipRows` rows of the file are skipped, then `headerRows` rows (default 1) are joined into
 * one name per column with " " (upper header cells merged across columns carry to the right).
 * Throws {@link DataError} when no header is left.
 *
 * @example
 * const { names, dataStart } = tableHeader(readCsv("names.csv"), {}, "names.csv");
 * names; // ["Nr", "Name"]; rows from table.rows[dataStart]
 */
export function tableHeader(table: RawTable, config: Pick<StatisticsFileConfig, "skipRows" | "headerRows">, file: string): { names: string[]; dataStart: number } {
  const skip = config.skipRows ?? 0;
  const hr = config.headerRows ?? 1;
  // skipRows counts rows of the file (blank rows included), so compare row numbers.
  let first = table.rowNumbers.findIndex((n) => n > skip);
  if (first < 0 || first + hr > table.rows.length) {
    throw new DataError(file, `no header after skipping ${skip} rows`, { field: "skipRows", expected: `${hr} header row(s) and data rows` });
  }
  const width = Math.max(...table.rows.slice(first, first + hr).map((r) => r.length), ...table.rows.slice(first + hr, first + hr + 50).map((r) => r.length));
  const parts: string[][] = Array.from({ length: width }, () => []);
  for (let h = 0; h < hr; h++) {
    const row = table.rows[first + h];
    let carry = "";
    for (let c = 0; c < width; c++) {
      const v = row[c];
      const s = v === null || v === undefined ? "" : String(v).replace(/\s+/g, " ").trim();
      // Print layouts merge upper header cells across columns: carry them to the right.
      const text = s || (h < hr - 1 ? carry : "");
      if (s) carry = s;
      if (text) parts[c].push(text);
    }
  }
  return { names: parts.map((p) => p.join(" ").trim()), dataStart: first + hr };
}

function readEntries(file: string, srcIdx: number, table: RawTable, config: StatisticsFileConfig, fileYear: number | undefined, entries: Entry[], findings: Finding[]): void {
  const { names, dataStart } = tableHeader(table, config, file);
  const headerRow = table.rowNumbers[dataStart - 1];
  const col = (name: string, what: string, key: string): number => {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new DataError(file, `${what} column ${JSON.stringify(name)} does not exist in header row ${headerRow}`, {
        row: headerRow, field: name, expected: `one of ${names.filter(Boolean).map((n) => JSON.stringify(n)).join(", ")} (configuration key ${key})`,
      });
    }
    return i;
  };
  const areaCol = col(config.areaField, "area id", "areaField");
  const yearCol = config.yearField ? col(config.yearField, "year", "yearField") : -1;
  if (yearCol < 0 && fileYear === undefined) {
    throw new DataError(file, "no year: neither yearField nor year is given", { field: "year", expected: "yearField, year or a {year} placeholder in file" });
  }
  const decimal = (config.decimal ?? (table.format.separator === "," ? "." : table.format.separator ? "," : ",")) as "," | ".";
  let valueCols: { idx: number; column: string; variable: string }[] = [];
  let varCol = -1, valCol = -1;
  if (config.layout === "wide") {
    if (!config.columns || Object.keys(config.columns).length === 0) throw new DataError(file, "wide layout without columns mapping", { field: "columns", expected: "a mapping source column → count variable" });
    valueCols = Object.entries(config.columns).map(([c, v]) => ({ idx: col(c, "mapped", `columns.${c}`), column: c, variable: v }));
  } else {
    if (!config.variableField || !config.valueField || !config.variables) {
      throw new DataError(file, "long layout needs variableField, valueField and variables", { field: "variableField", expected: "all three keys" });
    }
    varCol = col(config.variableField, "variable", "variableField");
    valCol = col(config.valueField, "value", "valueField");
  }
  const skipRe = config.skipAreaPattern ? new RegExp(config.skipAreaPattern) : undefined;
  let padded = 0, paddedExample = "", limitedCount = 0;
  const unmapped = new Map<string, number>();
  for (let r = dataStart; r < table.rows.length; r++) {
    const row = table.rows[r];
    const rowNo = table.rowNumbers[r];
    const rawId = row[areaCol] ?? null;
    let id: string;
    if (rawId === null) {
      const rest = row.some((c, i) => i !== areaCol && c !== null);
      if (!rest) continue;
      findings.push({ severity: "warning", check: "row-without-id", file, row: rowNo, rowKind: "row", field: config.areaField, message: `Zeile ${rowNo} hat Werte, aber keine Gebiets-ID; übersprungen`, expected: "eine Gebiets-ID oder ein Muster in skipAreaPattern" });
      continue;
    }
    if (typeof rawId === "number") {
      id = Number.isInteger(rawId) ? String(rawId) : String(rawId);
    } else id = rawId.trim();
    if (skipRe && skipRe.test(id)) {
      findings.push({ severity: "info", check: "skipped-row", file, row: rowNo, rowKind: "row", areaId: id, field: config.areaField, message: `Zeile ${rowNo} (${JSON.stringify(id)}) passt auf skipAreaPattern und wird übersprungen (Summen-/Fußzeile)` });
      continue;
    }
    if (config.idWidth && /^\d+$/.test(id) && id.length < config.idWidth) {
      const p = id.padStart(config.idWidth, "0");
      if (!paddedExample) paddedExample = `${id} → ${p}`;
      id = p;
      padded++;
    }
    let year = fileYear;
    if (yearCol >= 0) {
      const yc = row[yearCol];
      const y = typeof yc === "number" ? yc : yc === null ? NaN : Number(String(yc).trim().slice(0, 4));
      if (!Number.isInteger(y)) {
        findings.push({ severity: "error", check: "invalid-year", file, row: rowNo, rowKind: "row", areaId: id, field: config.yearField, message: `Jahr ${JSON.stringify(yc)} ist nicht lesbar; Zeile übersprungen`, expected: "eine Jahreszahl, z. B. 2024" });
        continue;
      }
      year = y;
    }
    const push = (cell: Cell, column: string, variable: string) => {
      const origin: CellOrigin = { source: srcIdx, row: rowNo, column };
      const p = parseStatNumber(cell, decimal);
      if (p.kind === "value") {
        if (p.limited) limitedCount++;
        entries.push({ area: id, year: year!, variable, value: p.value, limited: p.limited, origin });
      } else if (p.kind === "missing") {
        entries.push({ area: id, year: year!, variable, value: NaN, missing: p.missing, origin });
      } else {
        findings.push({ severity: "error", check: "invalid-number", file, row: rowNo, rowKind: "row", areaId: id, field: column, year, message: `Wert ${JSON.stringify(p.text)} in Spalte ${JSON.stringify(column)} ist keine Zahl; als fehlend übernommen`, expected: `eine Zahl (Dezimaltrennzeichen ${JSON.stringify(decimal)}) oder ein Tabellenzeichen wie "." oder "–"` });
        entries.push({ area: id, year: year!, variable, value: NaN, missing: { symbol: p.text, reason: "unlesbarer Wert" }, origin });
      }
    };
    if (config.layout === "wide") {
      for (const vc of valueCols) push(row[vc.idx] ?? null, vc.column, vc.variable);
    } else {
      const name = row[varCol] === null ? "" : String(row[varCol]).trim();
      const variable = config.variables![name];
      if (!variable) {
        unmapped.set(name, (unmapped.get(name) ?? 0) + 1);
        continue;
      }
      push(row[valCol] ?? null, name, variable);
    }
  }
  if (padded) findings.push({ severity: "info", check: "id-padded", file, field: config.areaField, value: padded, message: `${padded} Gebiets-IDs mit führenden Nullen auf ${config.idWidth} Stellen aufgefüllt (z. B. ${paddedExample})` });
  if (limitedCount) findings.push({ severity: "info", check: "limited-reliability", file, value: limitedCount, message: `${limitedCount} Werte in Klammern: Aussagewert eingeschränkt, Wert übernommen und markiert` });
  for (const [name, n] of unmapped) {
    findings.push({ severity: "info", check: "unmapped-variable", file, field: config.variableField, value: n, message: `Variable ${JSON.stringify(name)} ist in variables nicht zugeordnet; ${n} Zeilen nicht gelesen` });
  }
}

function buildTable(areaSystem: string, entries: Entry[], sources: CountTable["sources"], findings: Finding[]): CountTable {
  const areaIdx = new Map<string, number>();
  const yearSet = new Set<number>();
  const varIdx = new Map<string, number>();
  for (const e of entries) {
    if (!areaIdx.has(e.area)) areaIdx.set(e.area, areaIdx.size);
    yearSet.add(e.year);
    if (!varIdx.has(e.variable)) {
      countVariable(e.variable); // throws for an unknown variable id
      varIdx.set(e.variable, varIdx.size);
    }
  }
  const years = [...yearSet].sort((a, b) => a - b);
  const yIdx = new Map(years.map((y, i) => [y, i]));
  const t: CountTable = {
    areaSystem,
    areas: [...areaIdx.keys()],
    years,
    variables: [...varIdx.keys()],
    values: new Float64Array(areaIdx.size * years.length * varIdx.size).fill(NaN),
    missing: new Map(),
    limited: new Map(),
    origin: new Map(),
    sources,
    findings,
  };
  for (const e of entries) {
    const i = cellIndex(t, areaIdx.get(e.area)!, yIdx.get(e.year)!, varIdx.get(e.variable)!);
    const prev = t.origin.get(i);
    if (prev) {
      const pf = sources[prev.source].file;
      throw new DataError(sources[e.origin.source].file, `duplicate value for area ${JSON.stringify(e.area)}, year ${e.year}, variable ${JSON.stringify(e.variable)}; first given in ${path.basename(pf)} row ${prev.row} column ${JSON.stringify(prev.column)}`, {
        row: e.origin.row, areaId: e.area, field: e.origin.column, expected: "one value per area, year and count variable",
      });
    }
    t.origin.set(i, e.origin);
    t.values[i] = e.value;
    if (e.missing) t.missing.set(i, e.missing);
    if (e.limited) t.limited.set(i, e.origin);
  }
  fillNotDelivered(t);
  return t;
}

const NOT_DELIVERED: MissingReason = { symbol: "", reason: "nicht geliefert" };

function fillNotDelivered(t: CountTable): void {
  for (let i = 0; i < t.values.length; i++) if (!t.origin.has(i)) t.missing.set(i, NOT_DELIVERED);
}

/**
 * Merges count tables of the same area system (e.g. one per statistics file) into one; a cell
 * given by two tables throws {@link DataError} naming both origins.
 *
 * @example
 * const all = mergeCountTables([t1, t2, t3]);
 */
export function mergeCountTables(tables: CountTable[]): CountTable {
  if (tables.length === 0) throw new Error("invalid tables: [] (expected at least one CountTable)");
  const sys = tables[0].areaSystem;
  const entries: Entry[] = [];
  const sources: CountTable["sources"] = [];
  const findings: Finding[] = [];
  for (const t of tables) {
    if (t.areaSystem !== sys) throw new Error(`invalid tables: area systems ${JSON.stringify(sys)} and ${JSON.stringify(t.areaSystem)} differ (expected one area system)`);
    const offset = sources.length;
    sources.push(...t.sources);
    findings.push(...t.findings);
    for (const [i, o] of t.origin) {
      const v = i % t.variables.length;
      const y = Math.floor(i / t.variables.length) % t.years.length;
      const a = Math.floor(i / (t.variables.length * t.years.length));
      entries.push({ area: t.areas[a], year: t.years[y], variable: t.variables[v], value: t.values[i], missing: t.missing.get(i), limited: t.limited.has(i), origin: { ...o, source: o.source + offset } });
    }
  }
  return buildTable(sys, entries, sources, findings);
}

/** Options of {@link toDataFrame}. */
export interface ToDataFrameOptions {
  /** Only this year (rows = areas). Default: all years (rows = area × year, with a `Jahr` column). */
  year?: number;
  /** Column names: count variable ids (`"id"`, default) or German labels (`"label"`). */
  columnNames?: "id" | "label";
}

/**
 * The table as a danfojs DataFrame for display: a string column `gebiet_id`, an int32 column
 * `jahr` (unless one year is chosen), and one float64 column per count variable (missing
 * values NaN; the reasons stay in `table.missing`). danfojs-node is loaded only when this is
 * called; keep computations on the typed arrays.
 *
 * @example
 * toDataFrame(counts, { year: 2024 }).head().print();
 */
export function toDataFrame(table: CountTable, options: ToDataFrameOptions = {}): import("danfojs-node").DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dfd: typeof import("danfojs-node") = require("danfojs-node");
  const ys = options.year === undefined ? table.years.map((_, i) => i) : [table.years.indexOf(options.year)];
  if (ys[0] === -1) throw new Error(`invalid year: ${options.year} (expected one of ${table.years.join(", ")})`);
  const ids: string[] = [];
  const years: number[] = [];
  const cols: number[][] = table.variables.map(() => []);
  for (let a = 0; a < table.areas.length; a++) {
    for (const y of ys) {
      ids.push(table.areas[a]);
      years.push(table.years[y]);
      for (let v = 0; v < table.variables.length; v++) cols[v].push(table.values[cellIndex(table, a, y, v)]);
    }
  }
  const data: Record<string, unknown[]> = { gebiet_id: ids };
  const dtypes = ["string"];
  if (options.year === undefined) {
    data.jahr = years;
    dtypes.push("int32");
  }
  table.variables.forEach((v, i) => {
    data[options.columnNames === "label" ? countVariable(v).label : v] = cols[i];
    dtypes.push("float32");
  });
  return new dfd.DataFrame(data, { dtypes });
}
