/**
 * Runs notebooks headless with Jupyter's own executor (nbclient, via
 * scripts/execute_notebooks.py) and the project kernel, and writes `<out>/index.html`.
 * Used by `npm start`, `npm run watch` and the notebook tests.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureFresh } from "./build.cjs";
import { codeVersion, datasetProvenance, mergeManifests } from "../../src/export/provenance";
import { KERNEL_NAME, ROOT, jupyterEnv, jupyterPython } from "./jupyter-env";

export interface RunOptions {
  /** Folder of the notebooks (default `notebooks/`). */
  notebooksDir?: string;
  /** Run only notebooks whose file name starts with one of these (e.g. `"01"`, `"02-demografie"`). Default: all. */
  only?: string[];
  /** Dataset configuration file (default: the bundled Musterstadt). */
  config?: string;
  /** Output folder (default `outputs/`, or `outputs/<config id>/` for another configuration). */
  outDir?: string;
  /** Only notebooks whose inputs changed since the last successful run in `outDir` (watch mode). Default false. */
  changedOnly?: boolean;
  /** Per-cell timeout in seconds (default 600). */
  timeout?: number;
  /** Notebooks run at the same time, each in its own kernel (default: 2, or 1 on a single core). */
  jobs?: number;
  /** Progress lines go here (default: console.log). */
  log?: (line: string) => void;
  /** Kernels rebuild dist/ before each cell when src/ changed, as in interactive Jupyter (default false: one build for the whole run). */
  hotReload?: boolean;
}

export interface NotebookResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  /** Index of the failing cell in the notebook (0-based, all cells). */
  cell?: number;
  /** Number of the failing cell among code cells (1-based). */
  cellNumber?: number;
  source?: string;
  ename?: string;
  evalue?: string;
}

export interface RunResult {
  outDir: string;
  results: NotebookResult[];
  skipped: string[];
  seconds: number;
  ok: boolean;
}

const NOTEBOOK_RE = /^\d{2}-[\w.-]+\.ipynb$/;
const STATE_FILE = ".run-state.json";

/** The numbered notebooks (`01-…`, `02-…`) of a folder, in order. */
export function listNotebooks(dir: string): string[] {
  return readdirSync(dir).filter((f) => NOTEBOOK_RE.test(f)).sort().map((f) => path.join(dir, f));
}

function hashFiles(files: string[]): string {
  const h = createHash("sha256");
  for (const f of files.sort()) {
    h.update(path.relative(ROOT, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  return h.digest("hex");
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Everything a notebook depends on besides its own file: src/, data/, and the configuration's folder. */
function dependencyHash(configPath: string): string {
  const files = new Set([...walk(path.join(ROOT, "src")), ...walk(path.join(ROOT, "data")), ...walk(path.dirname(configPath))]);
  return hashFiles([...files]);
}

/** Human-readable one-liner for a failed notebook: where it failed and why. */
export function describeFailure(r: NotebookResult): string {
  const where = r.cell === undefined || r.cell === null ? "before the first cell" : `cell ${r.cell + 1} (code cell ${r.cellNumber})`;
  const first = (r.source ?? "").split("\n").find((l) => l.trim()) ?? "";
  return `${path.basename(r.notebook)} failed in ${where}: ${r.ename}: ${r.evalue}${first ? `\n      > ${first.trim()}` : ""}`;
}

function configId(configPath: string): string {
  try {
    return (JSON.parse(readFileSync(configPath, "utf8")) as { id?: string }).id ?? path.basename(configPath, ".json");
  } catch {
    return path.basename(configPath, ".json");
  }
}

/**
 * Runs the notebooks and writes their HTML, their exports and `index.html` under the output folder.
 *
 * @example
 * const run = await runNotebooks({ only: ["01"] });
 * if (!run.ok) process.exitCode = 1;
 */
export async function runNotebooks(options: RunOptions = {}): Promise<RunResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const t0 = performance.now();
  const notebooksDir = path.resolve(options.notebooksDir ?? path.join(ROOT, "notebooks"));
  const defaultConfig = path.join(ROOT, "data", "musterstadt", "dataset.json");
  const config = path.resolve(options.config ?? defaultConfig);
  if (!existsSync(config)) throw new Error(`dataset configuration not found: ${config}`);
  const outDir = path.resolve(
    options.outDir ?? (config === defaultConfig ? path.join(ROOT, "outputs") : path.join(ROOT, "outputs", configId(config))),
  );
  mkdirSync(outDir, { recursive: true });

  let notebooks = listNotebooks(notebooksDir);
  if (options.only?.length) {
    const wanted = options.only;
    notebooks = notebooks.filter((n) => wanted.some((w) => path.basename(n).startsWith(w)));
    if (!notebooks.length) throw new Error(`no notebook in ${notebooksDir} matches ${wanted.join(", ")}`);
  }
  if (!notebooks.length) throw new Error(`no numbered notebooks (01-….ipynb) in ${notebooksDir}`);

  const statePath = path.join(outDir, STATE_FILE);
  const state: { deps?: string; notebooks?: Record<string, { hash: string; ok: boolean }> } = existsSync(statePath)
    ? JSON.parse(readFileSync(statePath, "utf8"))
    : {};
  const deps = dependencyHash(config);
  const skipped: string[] = [];
  if (options.changedOnly && state.deps === deps) {
    notebooks = notebooks.filter((n) => {
      const prev = state.notebooks?.[path.basename(n)];
      const same = prev?.ok && prev.hash === hashFiles([n]);
      if (same) skipped.push(n);
      return !same;
    });
  }

  for (const n of notebooks) {
    // Exports of a previous run of this notebook must not linger.
    rmSync(path.join(outDir, path.basename(n, ".ipynb")), { recursive: true, force: true });
  }

  const results: NotebookResult[] = [];
  if (notebooks.length) {
    // Compile src/ once for all kernels (they would each rebuild it otherwise).
    if (ensureFresh((m) => log(m))) log("Compiled src/ → dist/.");
    log(`Running ${notebooks.length} notebook(s) on ${path.relative(ROOT, config)} → ${path.relative(ROOT, outDir) || "."}/`);
    const python = jupyterPython();
    const jobs = Math.max(1, Math.min(options.jobs ?? Math.min(2, os.cpus().length), notebooks.length));
    // Round-robin over the ordered list; every executor handles its share in order.
    const shares = Array.from({ length: jobs }, (_, j) => notebooks.filter((_, i) => i % jobs === j));
    const runShare = (share: string[]) => new Promise<void>((resolve) => {
      const child = spawn(python, [path.join(ROOT, "scripts", "execute_notebooks.py")], {
        cwd: ROOT,
        // One build for the whole run: kernels do not rebuild dist/ before each cell (that is for
        // interactive work), so an edit in src/ during a run cannot change a notebook half-way.
        env: jupyterEnv({ KLEINRAUM_CONFIG: config, KLEINRAUM_OUTPUTS: outDir, KLEINRAUM_FROZEN_DIST: options.hotReload ? "0" : "1" }),
        stdio: ["pipe", "pipe", "pipe"],
      });
      child.stdin.end(JSON.stringify({ notebooks: share, outDir, kernel: KERNEL_NAME, timeout: options.timeout ?? 600 }));
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      let buf = "";
      const done = new Set<string>();
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (!line.startsWith("{")) continue;
          const r = JSON.parse(line) as NotebookResult;
          results.push(r);
          done.add(r.notebook);
          const name = path.basename(r.notebook, ".ipynb").padEnd(28);
          log(`  ${name} ${r.seconds.toFixed(1).padStart(6)} s  ${r.ok ? "ok" : "FAILED"}`);
          if (!r.ok) log(`    ${describeFailure(r)}`);
        }
      });
      child.on("close", (code) => {
        for (const n of share.filter((x) => !done.has(x))) {
          results.push({ notebook: n, ok: false, seconds: 0, ename: "ExecutorError", evalue: lastLine(stderr) || `executor exited with code ${code}` });
          log(`  ${path.basename(n, ".ipynb").padEnd(28)}      –    FAILED (executor: ${lastLine(stderr)})`);
        }
        resolve();
      });
    });
    await Promise.all(shares.map(runShare));
    // Report in notebook order, whatever order they finished in.
    results.sort((a, b) => notebooks.indexOf(a.notebook) - notebooks.indexOf(b.notebook));
  } else {
    log(`Nothing changed since the last run (${skipped.length} notebook(s) up to date).`);
  }

  const newState = { deps, notebooks: { ...(state.deps === deps ? state.notebooks : {}) } };
  for (const r of results) newState.notebooks[path.basename(r.notebook)] = { hash: hashFiles([r.notebook]), ok: r.ok };
  writeFileSync(statePath, JSON.stringify(newState, null, 2));

  const seconds = (performance.now() - t0) / 1000;
  writeRunManifest(outDir, config, log);
  writeIndex(outDir, config, listNotebooks(notebooksDir), results, newState.notebooks);
  const failed = results.filter((r) => !r.ok);
  log(
    `${results.length} notebook(s) run: ${results.length - failed.length} ok, ${failed.length} failed` +
      `${skipped.length ? `, ${skipped.length} up to date` : ""} in ${seconds.toFixed(1)} s.`,
  );
  for (const f of failed) log(`  ✗ ${describeFailure(f)}`);
  log(`Outputs: ${path.join(outDir, "index.html")}`);
  return { outDir, results, skipped, seconds, ok: failed.length === 0 };
}

/**
 * `<out>/manifest.json`: every notebook's export manifest (`<out>/<notebook>/manifest.json`,
 * written by the kernels) merged, with the provenance of the run's dataset (source files with
 * SHA-256, configuration and its hash, rules), the code version and the date. A problem here is
 * reported, not fatal: the notebooks' own outputs stand.
 *
 * @example
 * writeRunManifest("outputs", "data/musterstadt/dataset.json", console.log); // "outputs/manifest.json"
 */
export function writeRunManifest(outDir: string, config: string, log: (line: string) => void = () => undefined): string | undefined {
  try {
    const dataset = datasetProvenance(config);
    const m = mergeManifests(outDir, { dataset, code: codeVersion() });
    log(`Manifest: ${path.join(outDir, "manifest.json")} (${m.files.length} exported file(s))`);
    return path.join(outDir, "manifest.json");
  } catch (e) {
    log(`Manifest not written: ${(e as Error).message}`);
    return undefined;
  }
}

function lastLine(s: string): string {
  return s.trim().split("\n").filter(Boolean).pop() ?? "";
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function href(rel: string): string {
  return rel.split(path.sep).map(encodeURIComponent).join("/");
}

/** `<out>/index.html`: every notebook's executed HTML with its status and the files it exported. */
function writeIndex(
  outDir: string,
  config: string,
  all: string[],
  results: NotebookResult[],
  state: Record<string, { hash: string; ok: boolean }>,
): void {
  const byName = new Map(results.map((r) => [path.basename(r.notebook), r]));
  const rows = all
    .map((n) => {
      const base = path.basename(n);
      const stem = path.basename(n, ".ipynb");
      const html = path.join(outDir, `${stem}.html`);
      if (!existsSync(html)) return "";
      const r = byName.get(base);
      const ok = r ? r.ok : state[base]?.ok;
      const status = ok ? `<span class="ok">ok</span>` : `<span class="fail">Fehler${r && !r.ok ? ` in Zelle ${(r.cell ?? -1) + 1}` : ""}</span>`;
      const files = walk(path.join(outDir, stem)).sort();
      const list = files.length
        ? `<ul>${files.map((f) => `<li><a href="${href(path.relative(outDir, f))}">${esc(path.relative(path.join(outDir, stem), f))}</a> <small>${(statSync(f).size / 1024).toFixed(1)} KB</small></li>`).join("")}</ul>`
        : `<small>keine exportierten Dateien</small>`;
      const secs = r ? `${r.seconds.toFixed(1)} s` : "";
      return `<tr><td><a href="${href(`${stem}.html`)}">${esc(stem)}</a></td><td>${status}</td><td>${secs}</td><td>${list}</td></tr>`;
    })
    .join("\n");
  const page = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Ergebnisse – ${esc(configId(config))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}ul{margin:0;padding-left:1.1rem}
.ok{color:#1a7f37;font-weight:600}.fail{color:#b3261e;font-weight:600}small{color:#666}</style></head>
<body><h1>Ergebnisse der Notebooks</h1>
<p>Datensatz: <code>${esc(path.relative(ROOT, config))}</code> (${esc(configId(config))}) · erzeugt mit <code>npm start</code></p>
${existsSync(path.join(outDir, "atlas", "index.html")) ? `<p><b><a href="atlas/index.html">Demografie- und Sozialatlas</a></b> (statische Website, offline lesbar)</p>` : ""}
${existsSync(path.join(outDir, "manifest.json")) ? `<p><a href="manifest.json">manifest.json</a>: jede exportierte Datei mit SHA-256, Quelldateien, Regeln und Code-Version</p>` : ""}
<table><thead><tr><th>Notebook</th><th>Status</th><th>Dauer</th><th>Exportierte Dateien</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
  writeFileSync(path.join(outDir, "index.html"), page);
}
