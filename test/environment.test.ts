/**
 * The notebook environment: project-local kernel, runner behaviour on failing cells, edits in
 * src/ picked up without a kernel restart, and `npm run jupyter` serving with the project kernel.
 * These run real Jupyter (nbclient) and the real tslab kernel.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { KERNEL_DIR, KERNEL_NAME, ROOT, jupyterEnv, jupyterPython } from "../scripts/lib/jupyter-env";
import { runNotebooks } from "../scripts/lib/runner";

const FIXTURES = path.join(ROOT, "test", "fixtures");
const FIXTURE_CONFIG = path.join(FIXTURES, "notebooks", "dataset.json");
const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");

test("the kernelspec is registered inside the project and found through JUPYTER_PATH", () => {
  const spec = JSON.parse(readFileSync(path.join(KERNEL_DIR, "kernel.json"), "utf8"));
  assert.ok(KERNEL_DIR.startsWith(ROOT + path.sep), "kernelspec must live inside the project");
  assert.equal(spec.argv[1], path.join(ROOT, "scripts", "kernel.cjs"));
  const out = execFileSync(jupyterPython(), ["-m", "jupyter", "kernelspec", "list", "--json"], { env: jupyterEnv(), encoding: "utf8" });
  const specs = JSON.parse(out).kernelspecs as Record<string, { resource_dir: string }>;
  assert.equal(path.resolve(specs[KERNEL_NAME]!.resource_dir), KERNEL_DIR);
});

test("setup is idempotent and keeps the kernelspec", () => {
  const r = spawnSync(tsx, [path.join(ROOT, "scripts", "setup.ts")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /kernel "kleinraum" registered/);
  assert.ok(existsSync(path.join(KERNEL_DIR, "kernel.json")));
});

test("npm start exits non-zero and names the notebook and cell of a failing cell", () => {
  const out = mkdtempSync(path.join(tmpdir(), "kr-run-"));
  try {
    const r = spawnSync(tsx, ["scripts/run-notebooks.ts", "--notebooks-dir", path.join(FIXTURES, "notebooks"), "--config", FIXTURE_CONFIG, "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.notEqual(r.status, 0, "a failing cell must fail the run");
    assert.match(r.stdout, /01-ok\s+[\d.]+ s\s+ok/);
    assert.match(r.stdout, /02-fails.ipynb failed in cell 4 \(code cell 2\): Error: deliberate failure for the runner test/);
    assert.match(r.stdout, /2 notebook\(s\) run: 1 ok, 1 failed/);
    // Both notebooks are written as HTML (the failed one shows its error) and linked from the index.
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    assert.match(index, /href="01-ok.html"/);
    assert.match(index, /href="02-fails.html"/);
    assert.match(index, /Fehler in Zelle 4/);
    assert.match(readFileSync(path.join(out, "02-fails.html"), "utf8"), /deliberate failure for the runner test/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("an edit in src/ is picked up when the import cell runs again", async () => {
  const probe = path.join(ROOT, "src", "_reload_probe.ts");
  const out = mkdtempSync(path.join(tmpdir(), "kr-reload-"));
  writeFileSync(probe, "export const VALUE: number = 1;\n");
  try {
    const run = await runNotebooks({ notebooksDir: path.join(FIXTURES, "reload"), config: FIXTURE_CONFIG, outDir: out, log: () => {}, hotReload: true });
    assert.ok(run.ok, JSON.stringify(run.results));
  } finally {
    rmSync(probe, { force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test("watch mode re-runs only what changed", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "kr-watch-"));
  const dir = mkdtempSync(path.join(tmpdir(), "kr-watch-nb-"));
  try {
    const ok = readFileSync(path.join(FIXTURES, "notebooks", "01-ok.ipynb"), "utf8");
    writeFileSync(path.join(dir, "01-a.ipynb"), ok);
    writeFileSync(path.join(dir, "02-b.ipynb"), ok);
    const first = await runNotebooks({ notebooksDir: dir, config: FIXTURE_CONFIG, outDir: out, changedOnly: true, log: () => {} });
    assert.deepEqual(first.results.map((r) => path.basename(r.notebook)), ["01-a.ipynb", "02-b.ipynb"]);
    const nb = JSON.parse(ok);
    nb.cells.push({ cell_type: "code", metadata: {}, source: "const y = 1;", outputs: [], execution_count: null });
    writeFileSync(path.join(dir, "02-b.ipynb"), JSON.stringify(nb));
    const second = await runNotebooks({ notebooksDir: dir, config: FIXTURE_CONFIG, outDir: out, changedOnly: true, log: () => {} });
    assert.deepEqual(second.results.map((r) => path.basename(r.notebook)), ["02-b.ipynb"]);
    assert.deepEqual(second.skipped.map((n) => path.basename(n)), ["01-a.ipynb"]);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm run jupyter serves notebooks/ with the project kernel as default", async () => {
  const port = 18000 + (process.pid % 1000);
  const child = spawn(tsx, ["scripts/jupyter.ts", "--no-browser", `--port=${port}`, "--NotebookApp.token=test-token"], {
    cwd: ROOT,
    stdio: "ignore",
    detached: true,
  });
  try {
    let body: { default?: string; kernelspecs?: Record<string, unknown> } | undefined;
    for (let i = 0; i < 60 && !body; i++) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=test-token`);
        if (res.ok) body = (await res.json()) as typeof body;
      } catch {
        /* not up yet */
      }
    }
    assert.ok(body, "Jupyter did not answer within 30 s");
    assert.equal(body.default, KERNEL_NAME);
    const contents = (await (await fetch(`http://127.0.0.1:${port}/api/contents?token=test-token`)).json()) as { content: { name: string }[] };
    assert.ok(Array.isArray(contents.content));
  } finally {
    process.kill(-child.pid!, "SIGTERM");
  }
});
