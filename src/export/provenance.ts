/**
 * Provenance of exports: which source files (with SHA-256), which configuration, which indicator
 * definitions and protection rules, which code version and when. Every export function records
 * the files it writes in the notebook's manifest (`recordExport`, see `./manifest`).
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import type { ResolvedIndicator } from "../indicators/compute";
import { datasetCatalogue } from "../indicators/dataset";
import { activeConfigPath, projectRoot } from "../project/paths";
import { readDatasetConfig, type ResolvedDatasetConfig } from "../project/config";
import type { ProtectedIndicators } from "../protect/apply";
import { describeRules, rulesFromConfig } from "../protect/rules";

export * from "./manifest";

/** One source file of a dataset. */
export interface SourceFile {
  /** Path relative to the project root, with `/` (files outside it start with `../`). */
  path: string;
  sha256: string;
  bytes: number;
}

/** Code version: the git commit of the project, and whether the working tree had changes. */
export interface CodeVersion {
  /** `git rev-parse HEAD`, or `"unbekannt"` outside a git checkout. */
  commit: string;
  /** Uncommitted changes to tracked files (false when unknown). */
  dirty: boolean;
}

/** Provenance of a dataset's exports (see {@link datasetProvenance}). */
export interface DatasetProvenance {
  /** Short id: the first 16 hex digits of the SHA-256 over configuration hash, file hashes, rules and commit. */
  id: string;
  dataset: { id: string; name: string; source: string; referenceDate: string; referenceYear: number };
  /** The configuration file, relative to the project root. */
  configFile: string;
  /** The resolved configuration, paths relative to the project root (machine independent). */
  config: Record<string, unknown>;
  /** SHA-256 of `JSON.stringify(config)`. */
  configHash: string;
  /** Every file the configuration reads (geometry with its sidecars, names tables, statistics), sorted by path. */
  files: SourceFile[];
  /** Indicator definitions used (id, label, definition, unit). */
  indicators: Array<{ id: string; label: string; definition: string; unit: string }>;
  /** Protection rules applied (`describeRules`), or the reason protection was switched off. */
  protection: { rules: string } | { disabled: string };
  code: CodeVersion;
  /** Date the provenance was taken (ISO 8601). */
  date: string;
}

/** Options of {@link datasetProvenance}. */
export interface DatasetProvenanceOptions {
  /** Protected results the export shows: their indicator definitions and rules are recorded (default: the dataset's catalogue and configured rules). */
  results?: ProtectedIndicators | ProtectedIndicators[];
  /** Date to record (default: now). */
  date?: Date | string;
}

const hashCache = new Map<string, { mtimeMs: number; size: number; sha256: string }>();

/**
 * SHA-256 and size of a file, cached per process (by path, modification time and size).
 *
 * @example
 * fileSha256("data/musterstadt/dataset.json").sha256; // "3f1c…"
 */
export function fileSha256(file: string): { sha256: string; bytes: number } {
  const abs = path.resolve(projectRoot(), file);
  const st = statSync(abs);
  const have = hashCache.get(abs);
  if (have && have.mtimeMs === st.mtimeMs && have.size === st.size) return { sha256: have.sha256, bytes: st.size };
  const sha256 = createHash("sha256").update(readFileSync(abs)).digest("hex");
  hashCache.set(abs, { mtimeMs: st.mtimeMs, size: st.size, sha256 });
  return { sha256, bytes: st.size };
}

let codeCache: CodeVersion | undefined;

/**
 * The code version of a folder: git commit (`"unbekannt"` when the folder is no git checkout or
 * git is missing) and whether tracked files have uncommitted changes. Not cached.
 *
 * @example
 * gitCodeVersion("/tmp"); // { commit: "unbekannt", dirty: false }
 */
export function gitCodeVersion(dir: string): CodeVersion {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" });
  if (head.status !== 0 || !/^[0-9a-f]{40}$/.test((head.stdout ?? "").trim())) return { commit: "unbekannt", dirty: false };
  const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: dir, encoding: "utf8" });
  return { commit: head.stdout.trim(), dirty: status.status === 0 && status.stdout.trim().length > 0 };
}

/**
 * The code version of the project ({@link gitCodeVersion} of the project root), cached per process.
 *
 * @example
 * codeVersion(); // { commit: "6dd06c2…", dirty: false }
 */
export function codeVersion(): CodeVersion {
  return (codeCache ??= gitCodeVersion(projectRoot()));
}

function rel(abs: string): string {
  return path.relative(projectRoot(), abs).split(path.sep).join("/");
}

const SHP_SIDECARS = [".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qpj"];

/** The files behind one configured geometry path: a shapefile with its sidecars, a folder's files, a zip or GeoJSON. */
function geometryFiles(file: string): string[] {
  if (!existsSync(file)) return [];
  if (statSync(file).isDirectory()) return readdirSync(file).filter((f) => !f.startsWith(".")).map((f) => path.join(file, f)).filter((f) => statSync(f).isFile());
  if (path.extname(file).toLowerCase() === ".shp") {
    const stem = file.slice(0, -4);
    const dir = path.dirname(file);
    const base = path.basename(stem).toLowerCase();
    // sidecars in any letter case (.DBF, .Prj)
    return readdirSync(dir).filter((f) => {
      const ext = path.extname(f).toLowerCase();
      return SHP_SIDECARS.includes(ext) && f.slice(0, -ext.length).toLowerCase() === base;
    }).map((f) => path.join(dir, f));
  }
  return [file];
}

/**
 * Every file a dataset configuration reads: the configuration itself, each area system's geometry
 * (shapefile parts, folder contents, zip or GeoJSON), names tables and statistics files
 * (`{year}` placeholders expanded). Files that do not exist are left out (loading reports them).
 *
 * @example
 * datasetSourceFiles(readDatasetConfig("data/musterstadt/dataset.json")).length; // 27
 */
export function datasetSourceFiles(config: ResolvedDatasetConfig): string[] {
  const out = new Set<string>([config.configFile]);
  for (const s of config.areaSystems) {
    for (const f of geometryFiles(s.file)) out.add(f);
    if (s.names?.file) out.add(path.resolve(path.dirname(config.configFile), s.names.file));
  }
  for (const st of config.statistics) {
    const files = st.file.includes("{year}") ? (st.years ?? config.years).map((y) => st.file.split("{year}").join(String(y))) : [st.file];
    for (const f of files) out.add(path.resolve(path.dirname(config.configFile), f));
  }
  return [...out].filter((f) => existsSync(f) && statSync(f).isFile()).sort();
}

function relativeConfig(config: ResolvedDatasetConfig): Record<string, unknown> {
  const { configFile: _omit, ...rest } = config;
  void _omit;
  const dir = path.dirname(config.configFile);
  const r = (p: string) => rel(path.resolve(dir, p));
  return JSON.parse(JSON.stringify({
    ...rest,
    areaSystems: rest.areaSystems.map((s) => ({ ...s, file: r(s.file), ...(s.names ? { names: { ...s.names, file: r(s.names.file) } } : {}) })),
    statistics: rest.statistics.map((s) => ({ ...s, file: r(s.file) })),
  })) as Record<string, unknown>;
}

function isoDate(d: Date | string | undefined): string {
  if (d === undefined) return new Date().toISOString();
  const date = typeof d === "string" ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) throw new Error(`datasetProvenance: invalid date ${JSON.stringify(d)} (expected a Date or an ISO 8601 string)`);
  return date.toISOString();
}

/**
 * Provenance of a dataset: its source files with SHA-256 and size, the resolved configuration
 * (paths relative to the project root) and its hash, the indicator definitions and protection
 * rules used, the code version and the date. File hashes are cached per process. Accepts a
 * loaded dataset, a resolved configuration or a configuration path.
 *
 * @example
 * const ds = await loadDataset("data/musterstadt/dataset.json");
 * const prov = datasetProvenance(ds, { results: protectedIndicatorsFor(ds, "statbez") });
 * prov.files.map((f) => f.path); // ["data/musterstadt/dataset.json", "data/musterstadt/geometrie/…", …]
 */
export function datasetProvenance(ds: { config: ResolvedDatasetConfig } | ResolvedDatasetConfig | string, options: DatasetProvenanceOptions = {}): DatasetProvenance {
  const config: ResolvedDatasetConfig = typeof ds === "string" ? readDatasetConfig(ds) : "configFile" in ds ? ds : ds.config;
  if (!config || typeof config.configFile !== "string") throw new Error(`datasetProvenance: expected a loaded dataset, a resolved configuration (readDatasetConfig) or a configuration path`);
  const files: SourceFile[] = datasetSourceFiles(config).map((f) => ({ path: rel(f), ...fileSha256(f) }));
  const cfg = relativeConfig(config);
  const configHash = createHash("sha256").update(JSON.stringify(cfg)).digest("hex");
  const results = options.results === undefined ? [] : Array.isArray(options.results) ? options.results : [options.results];
  const defs = new Map<string, { id: string; label: string; definition: string; unit: string }>();
  if (results.length) {
    for (const p of results) for (const d of p.result.definitions as ResolvedIndicator[]) defs.set(d.id, { id: d.id, label: d.label, definition: d.definition, unit: d.unit });
  } else {
    for (const d of datasetCatalogue(config).catalogue) defs.set(d.id, { id: d.id, label: d.label, definition: d.definition, unit: d.unit });
  }
  const rules = results.length ? results[0]!.rules : rulesFromConfig(config);
  const disabled = results.find((p) => p.disabled)?.disabled ?? rules.disabled;
  const protection = disabled ? { disabled: disabled.reason } : { rules: [...new Set(results.length ? results.map((p) => describeRules(p.rules)) : [describeRules(rules)])].join(" | ") };
  const code = codeVersion();
  const date = isoDate(options.date);
  const referenceYear = config.referenceYear ?? config.years[config.years.length - 1]!;
  const id = createHash("sha256")
    .update(JSON.stringify({ configHash, files: files.map((f) => [f.path, f.sha256]), indicators: [...defs.keys()], protection, commit: code.commit, dirty: code.dirty }))
    .digest("hex").slice(0, 16);
  return {
    id,
    dataset: { id: config.id, name: config.name, source: config.source, referenceDate: config.referenceDate ?? "12-31", referenceYear },
    configFile: rel(config.configFile), config: cfg, configHash, files, indicators: [...defs.values()], protection, code, date,
  };
}

const activeCache = new Map<string, DatasetProvenance>();

/**
 * Provenance of the active dataset configuration (`KLEINRAUM_CONFIG`, default Musterstadt),
 * computed once per process: the default of the export functions when no dataset is given.
 * `undefined` when the configuration cannot be read.
 *
 * @example
 * activeProvenance()?.dataset.id; // "musterstadt"
 */
export function activeProvenance(): DatasetProvenance | undefined {
  const file = activeConfigPath();
  const have = activeCache.get(file);
  if (have) return have;
  try {
    const p = datasetProvenance(readDatasetConfig(file));
    activeCache.set(file, p);
    return p;
  } catch {
    return undefined;
  }
}

/** The short provenance line embedded in exported files (PNG text, SVG metadata, PDF keywords, HTML meta). */
export interface EmbeddedProvenance {
  commit: string;
  dirty: boolean;
  /** Configuration hash (first 16 hex digits). */
  config?: string;
  /** Dataset provenance id. */
  dataset?: string;
  date: string;
}

/**
 * The short JSON embedded in exported files (commit, config hash, dataset provenance id, date).
 *
 * @example
 * embeddedProvenance(datasetProvenance(ds)); // { commit: "6dd0…", dirty: false, config: "a1b2…", dataset: "…", date: "2026-…" }
 */
export function embeddedProvenance(p?: DatasetProvenance, date?: string): EmbeddedProvenance {
  const code = p?.code ?? codeVersion();
  return {
    commit: code.commit, dirty: code.dirty,
    ...(p ? { config: p.configHash.slice(0, 16), dataset: p.id } : {}),
    date: date ?? p?.date ?? new Date().toISOString(),
  };
}
