/**
 * Provenance (src/export/provenance.ts) and the export manifest (src/export/manifest.ts): source
 * files and hashes against `sha256sum`, git commit, per-notebook manifests and their merge by the
 * runner (`writeRunManifest`), and the refusal to write under data/.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

const OUT = mkdtempSync(path.join(os.tmpdir(), "kleinraum-export-provenance-"));
process.env.KLEINRAUM_OUTPUTS = OUT;

import { writeFileAtomic, writeOutput } from "../src/export/files";
import { codeVersion, datasetProvenance, gitCodeVersion, datasetSourceFiles, fileSha256, mergeManifests, recordExport, resetManifestCache } from "../src/export/provenance";
import { loadDataset, readDatasetConfig } from "../src/project/config";
import { protectedIndicatorsFor } from "../src/protect/dataset";
import { protectedTable, unprotectedTable, writeTable } from "../src/protect/tables";
import { writeRunManifest } from "../scripts/lib/runner";

const ROOT = path.resolve(__dirname, "..");
const CONFIG = path.join(ROOT, "data/musterstadt/dataset.json");

function sha256sum(file: string): string {
  return spawnSync("sha256sum", [file], { encoding: "utf8" }).stdout.split(" ")[0]!;
}

test("datasetProvenance lists every file the configuration reads, with sha256sum's hashes", () => {
  const prov = datasetProvenance(CONFIG);
  const paths = prov.files.map((f) => f.path);
  // every file of the dataset folder but its README: configuration, all shapefile parts, statistics
  const expected = readdirSync(path.join(ROOT, "data/musterstadt"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== "README.md")
    .map((e) => path.relative(ROOT, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join("/")).sort();
  assert.deepEqual(paths, expected);
  for (const f of prov.files) {
    assert.equal(f.sha256, sha256sum(path.join(ROOT, f.path)), f.path);
    assert.equal(f.bytes, readFileSync(path.join(ROOT, f.path)).length);
  }
  assert.ok(paths.includes("data/musterstadt/geometrie/statistische_bezirke_2024.cpg"), "sidecars");
  assert.ok(paths.includes("data/musterstadt/statistik/arbeitsmarkt_2019-2024.xlsx"), "statistics");
  // configuration: paths relative to the project root, hash of its JSON
  const sys = (prov.config.areaSystems as Array<{ file: string }>)[0]!;
  assert.ok(sys.file.startsWith("data/musterstadt/"), sys.file);
  assert.match(prov.configHash, /^[0-9a-f]{64}$/);
  assert.match(prov.id, /^[0-9a-f]{16}$/);
  assert.ok(prov.indicators.some((d) => d.id === "child_poverty" && /Kinder unter 15/.test(d.definition)));
  assert.ok("rules" in prov.protection && prov.protection.rules.startsWith("Geheimhaltung (standard)"));
  assert.ok(!Number.isNaN(Date.parse(prov.date)));
  // the same inputs: the same id; another date does not change the id
  assert.equal(datasetProvenance(CONFIG, { date: "2020-01-01" }).id, prov.id);
  assert.equal(datasetProvenance(CONFIG, { date: "2020-01-01" }).date, "2020-01-01T00:00:00.000Z");
  assert.throws(() => datasetProvenance(CONFIG, { date: "gestern" }), /invalid date "gestern"/);
});

test("the code version is git's HEAD with a dirty flag", () => {
  const v = codeVersion();
  assert.match(v.commit, /^[0-9a-f]{40}$/);
  // cached per process: HEAD may have moved on since (other commits in a shared checkout), never away
  const r = spawnSync("git", ["merge-base", "--is-ancestor", v.commit, "HEAD"], { cwd: ROOT });
  assert.equal(r.status, 0, `${v.commit} is HEAD or an ancestor of it`);
  assert.equal(typeof v.dirty, "boolean");
  assert.deepEqual(gitCodeVersion(mkdtempSync(path.join(os.tmpdir(), "kleinraum-no-git-"))), { commit: "unbekannt", dirty: false });
});

test("provenance of protected results records their indicators and rules; disabled protection its reason", async () => {
  const ds = await loadDataset(CONFIG, { validate: false });
  const p = protectedIndicatorsFor(ds, "statbez", { indicators: ["child_poverty", "population"] });
  const prov = datasetProvenance(ds, { results: p });
  assert.deepEqual(prov.indicators.map((d) => d.id).sort(), p.result.definitions.map((d) => d.id).sort());
  const off = protectedIndicatorsFor(ds, "statbez", { rules: { disable: true, reason: "interne Prüfung" } });
  const provOff = datasetProvenance(ds, { results: off });
  assert.deepEqual(provOff.protection, { disabled: "interne Prüfung" });
  assert.notEqual(provOff.id, prov.id);
  // file hashes are cached per process and follow changes
  const tmp = path.join(OUT, "hash.txt");
  writeFileSync(tmp, "a");
  assert.equal(fileSha256(tmp).sha256, sha256sum(tmp));
  writeFileSync(tmp, "bb");
  assert.equal(fileSha256(tmp).sha256, sha256sum(tmp));
});

test("Berlin: the files read from ../shared/data are listed", { skip: existsSync(path.resolve(ROOT, "../shared/data/berlin-lor-2021-shapes")) ? false : "../shared/data absent" }, () => {
  const cfg = readDatasetConfig(path.join(ROOT, "data/berlin/dataset.json"));
  const files = datasetSourceFiles(cfg);
  assert.ok(files.some((f) => f.endsWith(".shp")) && files.some((f) => f.endsWith(".dbf")));
  assert.ok(files.every((f) => existsSync(f)));
  const prov = datasetProvenance(cfg);
  assert.ok(prov.files.some((f) => f.path.startsWith("../shared/data/")), "paths relative to the project root");
});

test("per-notebook manifests: writeOutput/writeTable record every file; the runner merges them", async () => {
  resetManifestCache();
  const ds = await loadDataset(CONFIG, { validate: false });
  const p = protectedIndicatorsFor(ds, "statbez");
  const prov = datasetProvenance(ds, { results: p });
  const csv = writeTable("01-a", "tabelle.csv", protectedTable(p, { indicators: ["child_poverty"] }));
  const txt = writeOutput("01-a", "satz.txt", "Ein Satz.\n");
  writeTable("02-b", "intern.csv", unprotectedTable([{ a: 1 }], { unprotected: { reason: "Test" } }));
  const svg = writeOutput("02-b", "bild.svg", `<svg data-kr-protection="geschuetzt"></svg>`);
  recordExport("02-b", { file: svg, kind: "figure", title: "Bild", protection: { state: "geschuetzt" }, dataset: prov });
  const a = JSON.parse(readFileSync(path.join(OUT, "01-a", "manifest.json"), "utf8")) as { files: Array<{ file: string; sha256: string; kind: string; protection: { state: string; reason?: string } }> };
  assert.deepEqual(a.files.map((f) => f.file), ["01-a/satz.txt", "01-a/tabelle.csv"]);
  assert.equal(a.files[1]!.sha256, sha256sum(csv));
  assert.equal(a.files[1]!.kind, "table");
  assert.equal(a.files[1]!.protection.state, "geschuetzt");
  assert.equal(a.files[0]!.sha256, sha256sum(txt));
  assert.equal(a.files[0]!.protection.state, "keine-angabe");
  const b = JSON.parse(readFileSync(path.join(OUT, "02-b", "manifest.json"), "utf8")) as { files: Array<{ file: string; title?: string; protection: { state: string; reason?: string }; dataset?: string }> };
  assert.deepEqual(b.files.find((f) => f.file === "02-b/intern.csv")!.protection, { state: "ohne-schutz", reason: "Test" });
  assert.equal(b.files.find((f) => f.file === "02-b/bild.svg")!.title, "Bild", "the richer record completes writeOutput's");
  assert.equal(b.files.find((f) => f.file === "02-b/bild.svg")!.dataset, prov.id);

  // a file deleted after recording is left out of the merged manifest
  const gone = writeOutput("02-b", "weg.txt", "x");
  rmSync(gone);
  const path1 = writeRunManifest(OUT, CONFIG);
  assert.equal(path1, path.join(OUT, "manifest.json"));
  const m = JSON.parse(readFileSync(path1!, "utf8")) as ReturnType<typeof mergeManifests>;
  assert.deepEqual(m.notebooks, ["01-a", "02-b"]);
  assert.deepEqual(m.files.map((f) => f.file), ["01-a/satz.txt", "01-a/tabelle.csv", "02-b/bild.svg", "02-b/intern.csv"]);
  assert.equal(m.code?.commit, codeVersion().commit);
  const dsProv = m.dataset as ReturnType<typeof datasetProvenance>;
  assert.equal(dsProv.configFile, "data/musterstadt/dataset.json");
  assert.ok(dsProv.files.length > 10 && "rules" in dsProv.protection);
  assert.ok(m.datasets[prov.id], "the notebooks' dataset records");
  assert.ok(m.datasets[dsProv.id]);
  // a broken per-notebook manifest is named
  writeFileSync(path.join(OUT, "02-b", "manifest.json"), "{");
  assert.throws(() => mergeManifests(OUT), /invalid manifest .*02-b.manifest\.json/);
});

test("nothing under data/ is ever written", () => {
  const target = path.join(ROOT, "data", "musterstadt", "x.txt");
  assert.throws(() => writeFileAtomic(target, "x"), /refusing to write .*nothing under data\/ is ever written/);
  assert.ok(!existsSync(target));
});
