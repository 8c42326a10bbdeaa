/**
 * Names for area systems whose boundary files carry ids only: a CSV/XLSX table joined by id
 * (configuration key `names` of an area system, see `AreaNamesConfig`). Never joined on names:
 * names repeat (Berlin has two planning areas "Schloßstraße").
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import type { AreaNamesConfig } from "../project/config-types";
import type { Finding } from "../validate/report";
import { DataError } from "./errors";
import type { AreaSystem } from "./geometry";
import { tableHeader } from "./statistics";
import { Cell, RawTable, readCsv, readXlsx } from "./table";

/** One id of an {@link AreaNameTable}. */
export interface AreaNameEntry {
  /** The name as written (trimmed); `""` when the cell is empty. */
  name: string;
  /** The configured `attributes`, by property name. */
  attributes: Record<string, Cell>;
  /** 1-based row of the first occurrence in the file. */
  row: number;
}

/** A names table read by {@link readAreaNames}. */
export interface AreaNameTable {
  /** Absolute path and SHA-256 of the table file. */
  file: string;
  sha256: string;
  /** Entries by area id (first occurrence of each id). */
  entries: Map<string, AreaNameEntry>;
  /** Findings of reading (different names for one id, padded ids, rows without id). */
  findings: Finding[];
}

/** Options of {@link readAreaNames}. */
export interface ReadAreaNamesOptions {
  /** Folder a relative `file` is resolved against. Default: the working directory. */
  baseDir?: string;
  /**
   * Tables already read, by `file|sheet|separator|encoding`: several area systems naming the
   * same workbook sheet read it once (`loadDataset` passes one cache per call).
   */
  cache?: Map<string, Promise<RawTable>>;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * Reads a names table: the id column, the name column and the configured attribute columns.
 * Ids are strings (numeric XLSX cells become their digits, then padded to `idWidth` if given).
 * A missing file or column throws {@link DataError}; the same id with two different names is an
 * `error` finding (`"name-conflict"`; the first name is kept), repeated identical rows are fine.
 *
 * @example
 * const t = await readAreaNames({
 *   file: "../shared/data/berlin-lor-2021-shapes/lor_2021-01-01_k3_uebersicht_id_namen.xlsx",
 *   sheet: "LOR_2023_Übersicht", idField: "PLR_ID", nameField: "PLR",
 * });
 * t.entries.get("01100101")!.name; // "Stülerstraße"
 */
export async function readAreaNames(config: AreaNamesConfig, options: ReadAreaNamesOptions = {}): Promise<AreaNameTable> {
  const file = path.resolve(options.baseDir ?? process.cwd(), config.file);
  if (!existsSync(file)) throw new DataError(file, "names file does not exist", { field: "names.file", expected: "a CSV or XLSX table with area ids and names" });
  const isXlsx = /\.xlsx$/i.test(file);
  const key = [file, isXlsx ? config.sheet ?? "" : "", config.separator ?? "", config.encoding ?? ""].join("|");
  let pending = options.cache?.get(key);
  if (!pending) {
    pending = isXlsx ? readXlsx(file, { sheet: config.sheet }) : Promise.resolve(readCsv(file, { separator: config.separator, encoding: config.encoding }));
    options.cache?.set(key, pending);
  }
  const table = await pending;
  const { names, dataStart } = tableHeader(table, config, file);
  const headerRow = table.rowNumbers[dataStart - 1];
  const col = (name: string, key: string): number => {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new DataError(file, `column ${JSON.stringify(name)} does not exist in header row ${headerRow}`, {
        row: headerRow, field: name, expected: `one of ${names.filter(Boolean).map((n) => JSON.stringify(n)).join(", ")} (configuration key names.${key})`,
      });
    }
    return i;
  };
  const idCol = col(config.idField, "idField");
  const nameCol = col(config.nameField, "nameField");
  const attrCols = Object.entries(config.attributes ?? {}).map(([column, prop]) => ({ idx: col(column, `attributes.${column}`), prop }));
  const entries = new Map<string, AreaNameEntry>();
  const findings: Finding[] = [];
  let padded = 0, paddedExample = "", conflicts = 0, withoutId = 0;
  for (let r = dataStart; r < table.rows.length; r++) {
    const row = table.rows[r];
    const rowNo = table.rowNumbers[r];
    const raw = row[idCol] ?? null;
    if (raw === null || String(raw).trim() === "") {
      if (row.some((c) => c !== null)) withoutId++;
      continue;
    }
    let id = typeof raw === "number" ? String(raw) : raw.trim();
    if (config.idWidth && /^\d+$/.test(id) && id.length < config.idWidth) {
      const p = id.padStart(config.idWidth, "0");
      if (!paddedExample) paddedExample = `${id} → ${p}`;
      id = p;
      padded++;
    }
    const nameCell = row[nameCol] ?? null;
    const name = nameCell === null ? "" : String(nameCell).replace(/\s+/g, " ").trim();
    const prev = entries.get(id);
    if (prev) {
      if (prev.name !== name) {
        conflicts++;
        if (conflicts <= 50) {
          findings.push({
            severity: "error", check: "name-conflict", file, row: rowNo, rowKind: "row", areaId: id, field: config.nameField,
            message: `ID ${JSON.stringify(id)} hat in Zeile ${prev.row} den Namen ${JSON.stringify(prev.name)}, in Zeile ${rowNo} ${JSON.stringify(name)}; der erste wird verwendet`,
            expected: "ein Name je ID",
          });
        }
      }
      continue;
    }
    const attributes: Record<string, Cell> = {};
    for (const a of attrCols) attributes[a.prop] = row[a.idx] ?? null;
    entries.set(id, { name, attributes, row: rowNo });
  }
  if (conflicts > 50) findings.push({ severity: "error", check: "name-conflict", file, value: conflicts, message: `… insgesamt ${conflicts} IDs mit widersprüchlichen Namen; nur die ersten 50 sind einzeln aufgeführt` });
  if (padded) findings.push({ severity: "info", check: "id-padded", file, field: config.idField, value: padded, message: `${padded} IDs der Namenstabelle mit führenden Nullen auf ${config.idWidth} Stellen aufgefüllt (z. B. ${paddedExample})` });
  if (withoutId) findings.push({ severity: "warning", check: "row-without-id", file, field: config.idField, value: withoutId, message: `${withoutId} Zeilen der Namenstabelle haben keine ID; übersprungen`, expected: "eine ID in jeder Zeile" });
  if (entries.size === 0) throw new DataError(file, `names table has no rows with an id in column ${JSON.stringify(config.idField)}`, { field: config.idField, expected: "rows with area ids and names" });
  return { file, sha256: sha256(readFileSync(file)), entries, findings };
}

/**
 * Joins a names table to an area system by id, in place: each feature with an entry gets the
 * table's name (over a name from the geometry's `nameField`) and the configured attributes in
 * its `properties`; `system.names` records the source. Returns the findings (German), with the
 * system id set: areas without a name in the table (`"name-missing"`, warning), table ids
 * without an area (`"name-id-not-in-geometry"`, warning), names the table gives to more than
 * one area (`"name-not-unique"`, info: names are labels, not keys), names that differ from
 * the geometry's `nameField` (`"name-differs"`, info) and the reading findings. An attribute
 * whose property name the geometry already has throws {@link DataError}.
 *
 * @example
 * const plr = await loadAreaSystem(shp, { idField: "PLR_ID", id: "plr" });
 * joinAreaNames(plr, await readAreaNames(namesConfig));
 * plr.features.find((f) => f.id === "01100101")!.name; // "Stülerstraße"
 */
export function joinAreaNames(system: AreaSystem, table: AreaNameTable, maxFindingsPerCheck = 50): Finding[] {
  const findings: Finding[] = table.findings.map((f) => ({ ...f, areaSystem: system.id }));
  const counts = new Map<string, number>();
  const push = (f: Finding) => {
    const c = (counts.get(f.check) ?? 0) + 1;
    counts.set(f.check, c);
    if (c <= maxFindingsPerCheck) findings.push({ ...f, areaSystem: system.id });
  };
  const attrProps = Object.keys(table.entries.values().next().value?.attributes ?? {});
  for (const f of system.features) {
    const clash = attrProps.find((p) => p in f.properties);
    if (clash !== undefined) {
      throw new DataError(table.file, `attribute ${JSON.stringify(clash)} already exists in the geometry of area system ${JSON.stringify(system.id)}`, {
        field: "names.attributes", expected: "a property name the geometry file does not have",
      });
    }
  }
  const ids = new Set<string>();
  const byName = new Map<string, string[]>();
  let differs = 0, differsExample = "";
  for (const f of system.features) {
    ids.add(f.id);
    const e = table.entries.get(f.id);
    if (!e || e.name === "") {
      push({
        severity: "warning", check: "name-missing", file: table.file, areaId: f.id,
        message: `Gebiet ${JSON.stringify(f.id)} hat ${e ? "einen leeren Namen" : "keinen Eintrag"} in der Namenstabelle${f.name ? `; Name aus der Geometrie (${JSON.stringify(f.name)}) bleibt` : ""}`,
        expected: "einen Namen je Gebiets-ID",
      });
      if (!e) continue;
    }
    if (e.name !== "") {
      if (f.name && f.name !== e.name) {
        differs++;
        if (!differsExample) differsExample = `${f.id}: ${JSON.stringify(f.name)} → ${JSON.stringify(e.name)}`;
      }
      f.name = e.name;
    }
    for (const [prop, v] of Object.entries(e.attributes)) f.properties[prop] = v;
  }
  for (const f of system.features) {
    if (!f.name) continue;
    const list = byName.get(f.name);
    if (list) list.push(f.id);
    else byName.set(f.name, [f.id]);
  }
  for (const [id, e] of table.entries) {
    if (!ids.has(id)) {
      push({
        severity: "warning", check: "name-id-not-in-geometry", file: table.file, areaId: id, row: e.row, rowKind: "row",
        message: `ID ${JSON.stringify(id)} (${JSON.stringify(e.name)}) der Namenstabelle fehlt in der Geometrie (${system.id}, ${system.features.length} Gebiete)`,
        expected: "eine ID der Geometrie (gleicher Gebietsstand?)",
      });
    }
  }
  for (const [name, list] of byName) {
    if (list.length > 1) {
      push({
        severity: "info", check: "name-not-unique", areaId: list.join(" / "), value: list.length,
        message: `Name ${JSON.stringify(name)} tragen ${list.length} Gebiete (${list.join(", ")}): Namen sind Beschriftungen, keine Schlüssel`,
      });
    }
  }
  if (differs) {
    findings.push({
      severity: "info", check: "name-differs", areaSystem: system.id, file: table.file, value: differs,
      message: `${differs} Namen der Namenstabelle weichen vom Namensfeld der Geometrie ab und ersetzen es (z. B. ${differsExample})`,
    });
  }
  for (const [check, c] of counts) {
    if (c > maxFindingsPerCheck) {
      const sample = findings.find((f) => f.check === check)!;
      findings.push({ severity: sample.severity, check, areaSystem: system.id, file: sample.file, value: c, message: `… insgesamt ${c} Befunde der Prüfung ${check}; nur die ersten ${maxFindingsPerCheck} sind einzeln aufgeführt` });
    }
  }
  system.names = { file: table.file, sha256: table.sha256 };
  return findings;
}
