/**
 * The export manifest: every file a notebook exports is recorded (path, SHA-256, kind, title,
 * protection state, dataset provenance id) in `outputs/<notebook>/manifest.json`. Notebooks run
 * in parallel kernels, so each writes only its own manifest; the runner merges them into
 * `outputs/manifest.json` at the end of a run ({@link mergeManifests}).
 *
 * This module depends on nothing but `fs` and the project paths, so `writeOutput` can record
 * every file it writes.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import { notebookOutputDir, outputRoot, projectRoot } from "../project/paths";

/** Protection state of an exported file: protected, explicitly unprotected (with reason), or not applicable/unknown. */
export type ExportProtection =
  | { state: "geschuetzt"; rules?: string }
  | { state: "ohne-schutz"; reason: string }
  | { state: "keine-angabe" };

/** One exported file as recorded in a manifest. */
export interface ExportEntry {
  /** Path relative to the outputs root, with `/` (e.g. `"06-foerderantrag/karte.png"`). */
  file: string;
  /** SHA-256 (hex) of the written bytes. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** What the file is: `"figure"`, `"table"`, `"profile"`, `"atlas"`, `"text"`, `"file"` (default for plain `writeOutput`). */
  kind: string;
  /** File format (extension without dot, lower case). */
  format: string;
  /** Title (figure title, table caption), when known. */
  title?: string;
  protection: ExportProtection;
  /** Id of the dataset provenance (see `datasetProvenance`) the file was made from, when known. */
  dataset?: string;
}

/** The manifest of one notebook (`outputs/<notebook>/manifest.json`). */
export interface NotebookManifest {
  notebook: string;
  /** Dataset provenance records by id (see `datasetProvenance`), as recorded by the exports. */
  datasets: Record<string, unknown>;
  /** Exported files, sorted by path. */
  files: ExportEntry[];
}

/** What {@link recordExport} needs: the written file and what is known about it. */
export interface RecordExportInput {
  /** Absolute path of the written file, or a path relative to the outputs root. */
  file: string;
  /** The written bytes (hashed); default: read back from `file`. */
  content?: string | Uint8Array;
  kind?: string;
  title?: string;
  protection?: ExportProtection;
  /** Dataset provenance (an object with `id`, from `datasetProvenance`) or just its id. */
  dataset?: { id: string } | string;
}

const manifests = new Map<string, NotebookManifest>();

/**
 * SHA-256 (hex) of bytes or text (UTF-8).
 *
 * @example
 * sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

function writeAtomic(file: string, text: string): void {
  const data = path.join(projectRoot(), "data") + path.sep;
  if (path.resolve(file).startsWith(data)) throw new Error(`refusing to write ${file}: nothing under data/ is ever written`);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function relOut(file: string): string {
  const abs = path.resolve(outputRoot(), file);
  return path.relative(outputRoot(), abs).split(path.sep).join("/");
}

function load(notebook: string): NotebookManifest {
  const file = path.join(notebookOutputDir(notebook), "manifest.json");
  const have = manifests.get(file);
  if (have && existsSync(file)) return have;
  let m: NotebookManifest = { notebook, datasets: {}, files: [] };
  if (existsSync(file)) {
    try {
      const read = JSON.parse(readFileSync(file, "utf8")) as NotebookManifest;
      if (read && Array.isArray(read.files)) m = { notebook, datasets: read.datasets ?? {}, files: read.files };
    } catch { /* a broken manifest is replaced */ }
  }
  manifests.set(file, m);
  return m;
}

/**
 * Records an exported file in the notebook's manifest `outputs/<notebook>/manifest.json`
 * (written atomically at once). A second record of the same file replaces the first, keeping
 * fields the new record does not give (so `writeOutput`'s minimal record is completed by the
 * richer one of `exportFigure`/`writeTableXlsx`). Returns the entry.
 *
 * @example
 * const pdf = await pdfWithInfo(await renderHtmlPdf(html), { title: "Gebietsprofil Q04", protection: "geschuetzt" });
 * const file = writeOutput("06-foerderantrag", "profil.pdf", pdf);
 * recordExport("06-foerderantrag", { file, content: pdf, kind: "profile", title: "Gebietsprofil Q04",
 *   protection: { state: "geschuetzt" }, dataset: datasetProvenance(ds) });
 */
export function recordExport(notebook: string, input: RecordExportInput): ExportEntry {
  const abs = path.resolve(outputRoot(), input.file);
  const content = input.content ?? readFileSync(abs);
  const rel = relOut(abs);
  if (rel.startsWith("..")) throw new Error(`recordExport: ${abs} is not under the outputs folder ${outputRoot()}`);
  const m = load(notebook);
  const datasetId = typeof input.dataset === "string" ? input.dataset : input.dataset?.id;
  if (input.dataset && typeof input.dataset === "object") m.datasets[input.dataset.id] = input.dataset;
  const old = m.files.find((f) => f.file === rel);
  const entry: ExportEntry = {
    file: rel,
    sha256: sha256Hex(content),
    bytes: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength,
    kind: input.kind ?? old?.kind ?? "file",
    format: path.extname(abs).slice(1).toLowerCase(),
    ...(input.title ?? old?.title ? { title: input.title ?? old?.title } : {}),
    protection: input.protection ?? old?.protection ?? { state: "keine-angabe" },
    ...(datasetId ?? old?.dataset ? { dataset: datasetId ?? old?.dataset } : {}),
  };
  m.files = [...m.files.filter((f) => f.file !== rel), entry].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  writeAtomic(path.join(notebookOutputDir(notebook), "manifest.json"), JSON.stringify(m, null, 2) + "\n");
  return entry;
}

/** The merged manifest of a run (`outputs/manifest.json`). */
export interface RunManifest {
  /** Date of the merge (ISO). */
  date: string;
  /** Code version of the run. */
  code?: { commit: string; dirty: boolean };
  /** Provenance of the run's dataset (sources, configuration, rules), when the runner gives it. */
  dataset?: unknown;
  /** Every dataset provenance recorded by any notebook, by id. */
  datasets: Record<string, unknown>;
  /** Notebooks whose manifests were merged. */
  notebooks: string[];
  /** Every exported file (paths relative to the outputs folder), sorted. */
  files: ExportEntry[];
}

/**
 * Merges every per-notebook manifest (`<outDir>/<notebook>/manifest.json`) into one and writes it
 * to `<outDir>/manifest.json` (atomically). Entries whose file no longer exists are dropped.
 * Called by the notebook runner after every run.
 *
 * @example
 * mergeManifests("outputs", { dataset: datasetProvenance(readDatasetConfig("data/musterstadt/dataset.json")) });
 */
export function mergeManifests(outDir: string, extra: { dataset?: { id: string }; code?: { commit: string; dirty: boolean }; date?: string } = {}): RunManifest {
  const dir = path.resolve(outDir);
  const notebooks: string[] = [];
  const datasets: Record<string, unknown> = {};
  const files: ExportEntry[] = [];
  const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort() : [];
  for (const nb of entries) {
    const f = path.join(dir, nb, "manifest.json");
    if (!existsSync(f)) continue;
    let m: NotebookManifest;
    try {
      m = JSON.parse(readFileSync(f, "utf8")) as NotebookManifest;
    } catch (e) {
      throw new Error(`invalid manifest ${f}: ${(e as Error).message} (expected JSON written by recordExport)`);
    }
    if (!m || !Array.isArray(m.files)) throw new Error(`invalid manifest ${f}: no "files" array (expected JSON written by recordExport)`);
    notebooks.push(nb);
    Object.assign(datasets, m.datasets ?? {});
    for (const e of m.files) if (existsSync(path.join(dir, ...e.file.split("/")))) files.push(e);
  }
  if (extra.dataset) datasets[extra.dataset.id] = extra.dataset;
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const out: RunManifest = {
    date: extra.date ?? new Date().toISOString(),
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.dataset ? { dataset: extra.dataset } : {}),
    datasets, notebooks, files,
  };
  writeAtomic(path.join(dir, "manifest.json"), JSON.stringify(out, null, 2) + "\n");
  return out;
}

/**
 * Forgets the manifests held in memory (tests; a new run of a notebook in the same process):
 * the next {@link recordExport} reads the manifest file again.
 *
 * @example
 * resetManifestCache();
 */
export function resetManifestCache(): void {
  manifests.clear();
}
