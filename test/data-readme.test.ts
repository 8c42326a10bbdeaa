/**
 * The worked example of data/README.md ("Beispielheim"), run as written: the CSV and the
 * dataset.json are taken from the README's code blocks marked `<!-- example: PATH -->`, the
 * shapefile is built with the attribute table the README shows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { loadDataset } from "../src/project/config";
import { cellIndex, getCount } from "../src/load/statistics";
import { PRJ_25832, square, tempDir, writeShapefile } from "./fixtures/load/make";

const README = path.resolve(__dirname, "../data/README.md");

function examples(): Map<string, string> {
  const text = readFileSync(README, "utf8");
  const out = new Map<string, string>();
  const re = /<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(m[1], m[2]);
  return out;
}

test("data/README.md: the Beispielheim example loads as described, without errors or warnings", async () => {
  const ex = examples();
  assert.deepEqual([...ex.keys()].sort(), ["dataset.json", "statistik/einwohner_2023-2024.csv"]);
  const dir = path.join(tempDir("kr-readme-"), "beispielheim");
  mkdirSync(path.join(dir, "geometrie"), { recursive: true });
  mkdirSync(path.join(dir, "statistik"), { recursive: true });
  for (const [file, content] of ex) writeFileSync(path.join(dir, file), file.endsWith(".csv") ? "\uFEFF" + content : content);
  // The README's attribute table, as a 2 × 2 tessellation of 1 km squares.
  const rows: [string, string, string][] = [["01", "Altstadt", "1"], ["02", "Schlossviertel", "1"], ["03", "Am Hafen", "2"], ["04", "Neue Heide", "2"]];
  writeShapefile(path.join(dir, "geometrie"), "stadtteile_2024", rows.map(([nr, name, bez], i) => ({
    ring: square(350000 + 1000 * (i % 2), 5710000 + 1000 * Math.floor(i / 2), 1000), attrs: { ST_NR: nr, ST_NAME: name, BEZIRK: bez },
  })), { prj: PRJ_25832, cpg: "UTF-8" });

  const ds = await loadDataset(path.join(dir, "dataset.json"));
  const sev = (s: string) => ds.report.findings.filter((f) => f.severity === s);
  assert.deepEqual(sev("error"), []);
  assert.deepEqual(sev("warning"), []);
  const st = ds.areaSystems.get("stadtteile")!;
  assert.deepEqual(st.features.map((f) => [f.id, f.name]), rows.map(([nr, name]) => [nr, name]));
  assert.equal(st.epsg, 25832);
  const t = ds.counts.get("stadtteile")!;
  assert.deepEqual(t.areas, ["01", "02", "03", "04"]);
  assert.equal(getCount(t, "01", 2023, "pop_total"), 4812);
  assert.equal(getCount(t, "02", 2024, "households"), 1710);
  // "." and "–" are missing with their meaning, never 0; "(12)" is 12 with limited reliability.
  const cell = (area: string, year: number, v: string) => cellIndex(t, t.areas.indexOf(area), t.years.indexOf(year), t.variables.indexOf(v));
  assert.ok(Number.isNaN(getCount(t, "03", 2023, "unemployed")));
  assert.equal(t.missing.get(cell("03", 2023, "unemployed"))?.symbol, ".");
  assert.equal(t.missing.get(cell("04", 2024, "sgb2_households"))?.reason, "nichts vorhanden");
  assert.equal(getCount(t, "03", 2024, "unemployed"), 12);
  assert.ok(t.limited.has(cell("03", 2024, "unemployed")));
  const checks = new Set(ds.report.findings.map((f) => f.check));
  assert.ok(checks.has("skipped-row") && checks.has("limited-reliability"));
});
