/**
 * Reading and checking a dataset configuration (`data/<city>/dataset.json`, format in
 * `config-types.ts`) and loading everything it names.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { DataError } from "../load/errors";
import { AreaSystem, loadAreaSystem } from "../load/geometry";
import { joinAreaNames, readAreaNames } from "../load/names";
import { CountTable, loadStatistics, mergeCountTables } from "../load/statistics";
import type { RawTable } from "../load/table";
import type { ValidationReport } from "../validate/report";
import { validateDataset, ValidateOptions } from "../validate/validate";
import { countVariable } from "../variables";
import type { AreaSystemConfig, DatasetConfig, StatisticsFileConfig } from "./config-types";

/** A configuration read by {@link readDatasetConfig}: paths are absolute. */
export interface ResolvedDatasetConfig extends DatasetConfig {
  /** Absolute path of the configuration file. */
  configFile: string;
}

type FieldType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "string-map" | "int-array";
type Spec = Record<string, { type: FieldType; required?: boolean; values?: readonly string[] }>;

const DATASET_SPEC: Spec = {
  id: { type: "string", required: true },
  name: { type: "string", required: true },
  source: { type: "string", required: true },
  referenceDate: { type: "string" },
  years: { type: "int-array", required: true },
  referenceYear: { type: "integer" },
  crs: { type: "string" },
  areaSystems: { type: "array", required: true },
  statistics: { type: "array", required: true },
  rules: { type: "object" },
};
const KINDS = ["administrative", "statistical", "building-block", "life-situation", "other"] as const;
const AREA_SPEC: Spec = {
  id: { type: "string", required: true },
  label: { type: "string", required: true },
  kind: { type: "string", required: true, values: KINDS },
  file: { type: "string", required: true },
  idField: { type: "string", required: true },
  nameField: { type: "string" },
  vintage: { type: "string", required: true },
  encoding: { type: "string" },
  crs: { type: "string" },
  metricCrs: { type: "string" },
  parent: { type: "object" },
  names: { type: "object" },
};
const NAMES_SPEC: Spec = {
  file: { type: "string", required: true },
  idField: { type: "string", required: true },
  nameField: { type: "string", required: true },
  attributes: { type: "string-map" },
  sheet: { type: "string" },
  skipRows: { type: "integer" },
  headerRows: { type: "integer" },
  separator: { type: "string" },
  encoding: { type: "string" },
  idWidth: { type: "integer" },
};
const PARENT_SPEC: Spec = {
  system: { type: "string", required: true },
  field: { type: "string" },
  idPrefixLength: { type: "integer" },
  idPattern: { type: "string" },
  idReplacement: { type: "string" },
};
const STAT_SPEC: Spec = {
  file: { type: "string", required: true },
  years: { type: "int-array" },
  areaSystem: { type: "string", required: true },
  layout: { type: "string", required: true, values: ["wide", "long"] },
  areaField: { type: "string", required: true },
  yearField: { type: "string" },
  year: { type: "integer" },
  columns: { type: "string-map" },
  variableField: { type: "string" },
  valueField: { type: "string" },
  variables: { type: "string-map" },
  sheet: { type: "string" },
  skipRows: { type: "integer" },
  headerRows: { type: "integer" },
  skipAreaPattern: { type: "string" },
  separator: { type: "string" },
  encoding: { type: "string" },
  decimal: { type: "string", values: [",", "."] },
  idWidth: { type: "integer" },
};

function checkObject(obj: unknown, spec: Spec, where: string, problems: string[]): obj is Record<string, unknown> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    problems.push(`${where}: expected an object, got ${JSON.stringify(obj)}`);
    return false;
  }
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k === "$comment") continue;
    if (!(k in spec)) problems.push(`${where}.${k}: unknown field (expected one of ${Object.keys(spec).join(", ")})`);
  }
  for (const [k, s] of Object.entries(spec)) {
    const v = o[k];
    const at = `${where}.${k}`;
    if (v === undefined) {
      if (s.required) problems.push(`${at}: missing required field (${s.type})`);
      continue;
    }
    const bad = (exp: string) => problems.push(`${at}: invalid value ${JSON.stringify(v)} (expected ${exp})`);
    switch (s.type) {
      case "string":
        if (typeof v !== "string" || v === "") bad("a non-empty string");
        else if (s.values && !s.values.includes(v)) bad(`one of ${s.values.map((x) => JSON.stringify(x)).join(", ")}`);
        break;
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) bad("a number");
        break;
      case "integer":
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0) bad("a non-negative integer");
        break;
      case "boolean":
        if (typeof v !== "boolean") bad("true or false");
        break;
      case "object":
        if (typeof v !== "object" || v === null || Array.isArray(v)) bad("an object");
        break;
      case "array":
        if (!Array.isArray(v)) bad("an array");
        break;
      case "int-array":
        if (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isInteger(x))) bad("a non-empty array of integers (years)");
        break;
      case "string-map":
        if (typeof v !== "object" || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) bad("an object of strings");
        break;
    }
  }
  return true;
}

/**
 * Reads and checks a dataset configuration; relative paths (of `areaSystems[].file`,
 * `areaSystems[].names.file` and `statistics[].file`) become absolute, resolved against the configuration's folder. Every
 * problem is collected and thrown together as one {@link DataError} (its `field` is the JSON
 * path of the first): unknown fields, missing required fields, wrong types, unknown count
 * variables (see `countVariable`), duplicate system ids, statistics or parents naming systems
 * that do not exist, layout keys that do not fit the layout. `"$comment"` keys are ignored.
 * Files are not opened here (see {@link loadDataset}).
 *
 * @example
 * const cfg = readDatasetConfig("data/berlin/dataset.json");
 * cfg.areaSystems.map((s) => s.id); // ["plr", "bzr", "pgr", "plr2006"]
 */
export function readDatasetConfig(file: string): ResolvedDatasetConfig {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new DataError(abs, "configuration file does not exist", { expected: "a dataset JSON file" });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(abs, "utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new DataError(abs, `not valid JSON: ${(e as Error).message}`, { expected: "a dataset configuration (JSON)" });
  }
  const problems: string[] = [];
  if (!checkObject(data, DATASET_SPEC, "$", problems)) throw configError(abs, problems);
  const cfg = data as unknown as DatasetConfig;
  const dir = path.dirname(abs);
  const systemIds = new Set<string>();
  const areaSystems: AreaSystemConfig[] = [];
  (Array.isArray(cfg.areaSystems) ? cfg.areaSystems : []).forEach((s, i) => {
    const where = `$.areaSystems[${i}]`;
    if (!checkObject(s, AREA_SPEC, where, problems)) return;
    if (s.id) {
      if (systemIds.has(s.id)) problems.push(`${where}.id: duplicate area system id ${JSON.stringify(s.id)}`);
      systemIds.add(s.id);
    }
    if (s.parent !== undefined && checkObject(s.parent, PARENT_SPEC, `${where}.parent`, problems)) {
      const ways = [s.parent.field, s.parent.idPrefixLength, s.parent.idPattern].filter((x) => x !== undefined).length;
      if (ways !== 1) problems.push(`${where}.parent: expected exactly one of field, idPrefixLength, idPattern (got ${ways})`);
      if (s.parent.idPattern !== undefined) {
        try {
          new RegExp(s.parent.idPattern);
        } catch (e) {
          problems.push(`${where}.parent.idPattern: invalid regular expression (${(e as Error).message})`);
        }
      }
    }
    let names = s.names;
    if (names !== undefined && checkObject(names, NAMES_SPEC, `${where}.names`, problems)) {
      const props = Object.values(names.attributes ?? {});
      const dup = props.find((p, k) => props.indexOf(p) !== k);
      if (dup !== undefined) problems.push(`${where}.names.attributes: property name ${JSON.stringify(dup)} is given twice`);
      if (typeof names.file === "string") names = { ...names, file: path.resolve(dir, names.file) };
    }
    areaSystems.push({ ...s, file: typeof s.file === "string" ? path.resolve(dir, s.file) : s.file, ...(names !== undefined ? { names } : {}) });
  });
  areaSystems.forEach((s, i) => {
    if (s.parent?.system !== undefined && !systemIds.has(s.parent.system)) {
      problems.push(`$.areaSystems[${i}].parent.system: area system ${JSON.stringify(s.parent.system)} does not exist (expected one of ${[...systemIds].join(", ")})`);
    }
    if (s.parent?.system === s.id) problems.push(`$.areaSystems[${i}].parent.system: a system cannot be its own parent`);
  });
  const statistics: StatisticsFileConfig[] = [];
  (Array.isArray(cfg.statistics) ? cfg.statistics : []).forEach((st, i) => {
    const where = `$.statistics[${i}]`;
    if (!checkObject(st, STAT_SPEC, where, problems)) return;
    if (st.areaSystem && !systemIds.has(st.areaSystem)) problems.push(`${where}.areaSystem: area system ${JSON.stringify(st.areaSystem)} does not exist (expected one of ${[...systemIds].join(", ")})`);
    const mapping = st.layout === "wide" ? st.columns : st.variables;
    if (st.layout === "wide") {
      if (!st.columns) problems.push(`${where}.columns: missing (required for layout "wide")`);
      for (const k of ["variableField", "valueField", "variables"] as const) if (st[k] !== undefined) problems.push(`${where}.${k}: only for layout "long"`);
    } else if (st.layout === "long") {
      for (const k of ["variableField", "valueField", "variables"] as const) if (st[k] === undefined) problems.push(`${where}.${k}: missing (required for layout "long")`);
      if (st.columns !== undefined) problems.push(`${where}.columns: only for layout "wide"`);
    }
    for (const [col, v] of Object.entries(mapping ?? {})) {
      try {
        countVariable(v);
      } catch (e) {
        problems.push(`${where}.${st.layout === "wide" ? "columns" : "variables"}[${JSON.stringify(col)}]: ${(e as Error).message}`);
      }
    }
    const placeholder = typeof st.file === "string" && st.file.includes("{year}");
    if (st.yearField === undefined && st.year === undefined && !placeholder) problems.push(`${where}: no year (expected yearField, year or a {year} placeholder in file)`);
    if (placeholder && (st.year !== undefined || st.yearField !== undefined)) problems.push(`${where}: a {year} placeholder in file excludes year and yearField`);
    if (!placeholder && st.years !== undefined) problems.push(`${where}.years: only with a {year} placeholder in file`);
    if (st.year !== undefined && st.yearField !== undefined) problems.push(`${where}: give either year or yearField, not both`);
    if (st.skipAreaPattern !== undefined) {
      try {
        new RegExp(st.skipAreaPattern);
      } catch (e) {
        problems.push(`${where}.skipAreaPattern: invalid regular expression (${(e as Error).message})`);
      }
    }
    statistics.push({ ...st, file: typeof st.file === "string" ? path.resolve(dir, st.file) : st.file });
  });
  if (cfg.referenceYear !== undefined && Array.isArray(cfg.years) && !cfg.years.includes(cfg.referenceYear)) {
    problems.push(`$.referenceYear: ${cfg.referenceYear} is not one of years (${cfg.years.join(", ")})`);
  }
  if (problems.length) throw configError(abs, problems);
  return { ...cfg, areaSystems, statistics, configFile: abs };
}

function configError(file: string, problems: string[]): DataError {
  const first = /^([^:]+):/.exec(problems[0])?.[1];
  return new DataError(file, `${problems.length} problem(s) in the dataset configuration:\n  - ${problems.join("\n  - ")}`, {
    field: first, expected: "a configuration as described in src/project/config-types.ts",
  });
}

/** A loaded dataset: configuration, area systems, counts and the validation report. */
export interface Dataset {
  config: ResolvedDatasetConfig;
  /** Area systems by id. */
  areaSystems: Map<string, AreaSystem>;
  /** Counts by area system id (all statistics files of a system merged). */
  counts: Map<string, CountTable>;
  /** Findings of loading and of {@link validateDataset}. */
  report: ValidationReport;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Run {@link validateDataset} (default `true`); with `false` the report holds the loading findings only. */
  validate?: boolean;
  /** Options for the validator. Default: its defaults. */
  validation?: ValidateOptions;
}

/**
 * Loads every area system and statistics file of a configuration (a path or the result of
 * {@link readDatasetConfig}), joins names tables (`names`, see `joinAreaNames`; a workbook
 * sheet named by several systems is read once) and validates everything. Hard problems throw {@link DataError};
 * data-quality findings are in `report`.
 *
 * @example
 * const ds = await loadDataset("data/berlin/dataset.json");
 * ds.areaSystems.get("plr")!.features.length; // 542
 * reportToDataFrame(ds.report).print();
 */
export async function loadDataset(config: string | ResolvedDatasetConfig, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const cfg = typeof config === "string" ? readDatasetConfig(config) : config;
  const areaSystems = new Map<string, AreaSystem>();
  const tables = new Map<string, Promise<RawTable>>();
  for (const s of cfg.areaSystems) {
    const sys = await loadAreaSystem(s.file, {
      id: s.id, label: s.label, kind: s.kind, vintage: s.vintage, idField: s.idField, nameField: s.nameField,
      encoding: s.encoding, crs: s.crs ?? cfg.crs, metricCrs: s.metricCrs, parent: s.parent,
    });
    if (s.names) sys.findings.push(...joinAreaNames(sys, await readAreaNames(s.names, { baseDir: path.dirname(cfg.configFile), cache: tables })));
    areaSystems.set(s.id, sys);
  }
  const bySystem = new Map<string, CountTable[]>();
  for (const st of cfg.statistics) {
    const t = await loadStatistics(st, { years: cfg.years, baseDir: path.dirname(cfg.configFile) });
    if (!bySystem.has(st.areaSystem)) bySystem.set(st.areaSystem, []);
    bySystem.get(st.areaSystem)!.push(t);
  }
  const counts = new Map<string, CountTable>();
  for (const [sys, tables] of bySystem) counts.set(sys, tables.length === 1 ? tables[0] : mergeCountTables(tables));
  const loading = [...[...areaSystems.values()].flatMap((s) => s.findings), ...[...counts.values()].flatMap((t) => t.findings)];
  const partial: Dataset = { config: cfg, areaSystems, counts, report: { findings: loading } };
  if (options.validate === false) return partial;
  const v = validateDataset(partial, options.validation);
  return { ...partial, report: { findings: [...loading, ...v.findings] } };
}
