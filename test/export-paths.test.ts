/**
 * File names derived from data cannot leave outputs/: safe file names from hostile area names,
 * writeOutput refuses names that climb out of the notebook's folder, profiles of areas with such
 * names land inside their folder, and nothing under data/ is written.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { safeFileName, writeFileAtomic, writeOutput } from "../src/export/files";
import { profileFileName, writeAreaProfiles } from "../src/export/profile";
import { closeRenderer } from "../src/present/render";
import { loadDataset } from "../src/project/config";
import { projectRoot } from "../src/project/paths";

const HOSTILE = ["../../etc/passwd", "..\\..\\Windows\\win.ini", "/abs/path", "a/../../b", "C:\\x", "Süd/../../..", "..", ".", "", "CON", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"x\")"];

test("safeFileName: hostile names become one harmless path segment", () => {
  for (const name of HOSTILE) {
    const s = safeFileName(name);
    assert.match(s, /^[a-z0-9_-]+$/, `${JSON.stringify(name)} → ${JSON.stringify(s)}`);
    assert.ok(!s.startsWith("-") && s.length > 0);
    assert.equal(path.basename(s), s);
  }
  assert.equal(safeFileName("Lindenhöhe-Südwest / Q04"), "lindenhoehe-suedwest-q04");
  for (const name of HOSTILE) {
    const f = profileFileName("0101", name);
    assert.equal(path.basename(f), f, `profile file name of ${JSON.stringify(name)} is one segment`);
  }
});

test("writeOutput refuses names that leave the notebook's folder; writeFileAtomic refuses data/", () => {
  const out = mkdtempSync(path.join(tmpdir(), "kr-paths-"));
  const before = process.env.KLEINRAUM_OUTPUTS;
  process.env.KLEINRAUM_OUTPUTS = out;
  try {
    for (const name of ["../x.txt", "../../x.txt", "/etc/x.txt", "a/../../x.txt"]) {
      assert.throws(() => writeOutput("05-anfrage", name, "x\n"), /invalid output name/, name);
    }
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith(".txt")), [], "nothing written outside");
    const ok = writeOutput("05-anfrage", "unter/satz.txt", "x\n");
    assert.ok(ok.startsWith(path.join(out, "05-anfrage") + path.sep));
    assert.throws(() => writeFileAtomic(path.join(projectRoot(), "data", "musterstadt", "x.txt"), "x"), /nothing under data\/ is ever written/);
    assert.ok(!existsSync(path.join(projectRoot(), "data", "musterstadt", "x.txt")));
  } finally {
    if (before === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = before;
    rmSync(out, { recursive: true, force: true });
  }
});

test("profiles of areas named like paths stay inside their folder", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "kr-paths-"));
  const before = process.env.KLEINRAUM_OUTPUTS;
  process.env.KLEINRAUM_OUTPUTS = out;
  try {
    const ds = await loadDataset(path.join(projectRoot(), "data", "musterstadt", "dataset.json"), { validate: false });
    // Hostile names in memory only (files under data/ are never modified).
    const sys = ds.areaSystems.get("stbz")!;
    sys.features.forEach((f, i) => { f.name = HOSTILE[i]!; });
    const w = await writeAreaProfiles(ds, "stbz", "06-foerderantrag", { pdf: false });
    const files = w.areas.flatMap((a) => [a.html]).filter(Boolean) as string[];
    assert.equal(files.length, sys.features.length);
    for (const f of files) assert.ok(path.resolve(f).startsWith(path.join(out, "06-foerderantrag") + path.sep), f);
    await assert.rejects(writeAreaProfiles(ds, "stbz", "06-foerderantrag", { pdf: false, folder: "../../raus" }), /invalid folder/);
    const all = readdirSync(out, { recursive: true }) as string[];
    assert.ok(all.every((f) => f.startsWith("06-foerderantrag")), all.join(", "));
  } finally {
    await closeRenderer();
    if (before === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = before;
    rmSync(out, { recursive: true, force: true });
  }
});
