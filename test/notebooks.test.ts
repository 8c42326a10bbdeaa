/**
 * Every notebook in notebooks/ executed by Jupyter with the project kernel on the bundled
 * default dataset: a notebook whose cell throws fails the suite, naming notebook and cell.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { describeFailure, listNotebooks, runNotebooks } from "../scripts/lib/runner";
import { ROOT } from "../scripts/lib/jupyter-env";

test("every notebook runs on the default dataset", async (t) => {
  const out = mkdtempSync(path.join(tmpdir(), "kr-notebooks-"));
  try {
    const run = await runNotebooks({ outDir: out, log: () => {} });
    const expected = listNotebooks(path.join(ROOT, "notebooks")).map((n) => path.basename(n));
    assert.ok(expected.length > 0, "notebooks/ holds no numbered notebooks");
    assert.deepEqual(run.results.map((r) => path.basename(r.notebook)), expected);
    for (const r of run.results) {
      await t.test(path.basename(r.notebook), () => {
        assert.ok(r.ok, describeFailure(r));
        const html = readFileSync(path.join(out, `${path.basename(r.notebook, ".ipynb")}.html`), "utf8");
        assert.ok(html.length > 1000, "executed notebook HTML is missing or empty");
      });
    }
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    for (const n of expected) assert.ok(index.includes(`href="${n.replace(".ipynb", ".html")}"`), `index.html does not link ${n}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
