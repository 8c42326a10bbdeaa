/**
 * Figure export (src/export/figures.ts) on real data: Musterstadt choropleths and a bar chart,
 * Berlin's 143 Bezirksregionen when ../shared/data is present. PNG pixel size exact for mm/dpi,
 * PNG text chunks, SVG/PDF size and text (pdfinfo/pdftotext of poppler-utils), offline HTML in
 * Chromium, refusal of unprotected specs, batch export. Files go to a temporary outputs folder;
 * the last run's files stay in `$TMPDIR/kleinraum-export-figures/` for looking at.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";

const OUT = path.join(os.tmpdir(), "kleinraum-export-figures");
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
process.env.KLEINRAUM_OUTPUTS = OUT;

import { exportFigure, exportFigures, figureText } from "../src/export/figures";
import { pngInfo, pngText } from "../src/export/embed";
import { protectionProblem, writeOutput } from "../src/export/files";
import { codeVersion } from "../src/export/provenance";
import { loadDataset, type Dataset } from "../src/project/config";
import { protectedIndicatorsFor, type ProtectedResult } from "../src/protect/dataset";
import { indicatorChoropleth } from "../src/present/plotly/choropleth";
import { rankingFigure } from "../src/present/plotly/charts";
import { chromiumPath, CHROMIUM_ARGS, closeRenderer, renderPng, type PlotlySpec } from "../src/present/render";
import { resultIndex } from "../src/indicators/compute";

const ROOT = path.resolve(__dirname, "..");
const NB = "export-figures";
let ds: Dataset;
let p: ProtectedResult;
let map: PlotlySpec;

before(async () => {
  ds = await loadDataset(path.join(ROOT, "data/musterstadt/dataset.json"), { validate: false });
  p = protectedIndicatorsFor(ds, "statbez");
  map = indicatorChoropleth(ds.areaSystems.get("statbez")!, p.result, "child_poverty", { protection: p, source: p.source });
});
after(() => closeRenderer());

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) throw new Error(`${cmd} not found: install poppler-utils (apt-get install poppler-utils)`);
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("exportFigure writes PNG, SVG, PDF and HTML of a choropleth at the given size", async () => {
  const files = await exportFigure(NB, "kinderarmut", map);
  assert.deepEqual(files.map((f) => path.basename(f)), ["kinderarmut.png", "kinderarmut.svg", "kinderarmut.pdf", "kinderarmut.html"]);
  const { title, source } = figureText(map);
  assert.match(title, /^Kinder in Bedarfsgemeinschaften 2024/);
  assert.ok(source?.startsWith("Quelle: Musterstadt"));

  // PNG: 160 × 100 mm at 300 dpi = round(160/25.4*300) × round(100/25.4*300)
  const png = readFileSync(files[0]!);
  assert.deepEqual(pngInfo(png), { width: 1890, height: 1181, dpi: 300 });
  const text = pngText(png);
  assert.equal(text["kr-protection"], "geschuetzt");
  assert.equal(text.Title, title);
  assert.equal(text.Source, source);
  const prov = JSON.parse(text["kr-provenance"]!) as { commit: string; config: string; date: string };
  assert.equal(prov.commit, codeVersion().commit);
  assert.match(prov.config, /^[0-9a-f]{16}$/);
  assert.ok(!Number.isNaN(Date.parse(prov.date)));

  // SVG: size in mm, title, metadata, protection mark
  const svg = readFileSync(files[1]!, "utf8");
  assert.match(svg, /<svg[^>]*width="160mm"[^>]*height="100mm"/);
  assert.match(svg, /<svg[^>]*data-kr-protection="geschuetzt"/);
  assert.ok(svg.includes(`<title>${title}</title>`));
  assert.ok(svg.includes("<metadata>") && svg.includes('name="kr-provenance"'));
  assert.ok(svg.includes("Quelle: Musterstadt"), "source line in the drawing");

  // PDF: one page of exactly 160 × 100 mm (453.543 × 283.465 pt), text and metadata
  const info = tool("pdfinfo", [files[2]!]);
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+453\.54\d? x 283\.46\d? pts/);
  assert.match(info, new RegExp(`Title:\\s+${title}`));
  assert.match(info, /Keywords:\s+kr-protection=geschuetzt/);
  assert.match(info, /Producer:\s+kleinraum/);
  const pdfText = tool("pdftotext", ["-layout", files[2]!, "-"]).replace(/\s+/g, " ");
  assert.ok(pdfText.includes(title), "title in the PDF text");
  assert.ok(pdfText.includes("Quelle: Musterstadt"), "source in the PDF text");
  assert.ok(pdfText.includes("über 25,5"), "legend with German numbers (vector text)");

  // manifest: every file with its hash and protection
  const manifest = JSON.parse(readFileSync(path.join(OUT, NB, "manifest.json"), "utf8")) as { files: Array<{ file: string; sha256: string; kind: string; protection: { state: string }; title?: string; dataset?: string }>; datasets: Record<string, unknown> };
  for (const f of files) {
    const e = manifest.files.find((x) => x.file === `${NB}/${path.basename(f)}`);
    assert.ok(e, `manifest entry for ${f}`);
    assert.equal(e.sha256, tool("sha256sum", [f]).split(" ")[0]);
    assert.equal(e.kind, "figure");
    assert.equal(e.protection.state, "geschuetzt");
    assert.equal(e.title, title);
    assert.ok(e.dataset && manifest.datasets[e.dataset], "dataset provenance recorded");
  }
});

test("PNG pixel size is exactly round(mm / 25.4 × dpi) for other sizes", async () => {
  for (const [w, h, dpi] of [[85, 60, 150], [174, 120, 600], [100, 100, 72]] as const) {
    const [file] = await exportFigure(NB, `groesse-${w}x${h}-${dpi}`, map, { widthMm: w, heightMm: h, dpi, formats: ["png"] });
    const info = pngInfo(readFileSync(file!));
    assert.deepEqual([info.width, info.height], [Math.round((w / 25.4) * dpi), Math.round((h / 25.4) * dpi)], `${w}×${h} mm at ${dpi} dpi`);
    assert.equal(info.dpi, dpi);
  }
});

test("no suppressed value is drawn into the SVG of a block-group map", async () => {
  const pb = protectedIndicatorsFor(ds, "bbg");
  const r = pb.result;
  const i = r.definitions.findIndex((d) => d.id === "child_poverty");
  const y = r.years.length - 1;
  const digits = r.definitions[i]!.digits;
  const hidden = new Set<string>();
  const shown = new Set<string>();
  r.areas.forEach((_, a) => {
    const k = resultIndex(r, i, a, y);
    const v = r.value[k]!;
    if (!Number.isFinite(v)) return;
    const s = v.toFixed(digits).replace(".", ",");
    (pb.suppressed[k] ? hidden : shown).add(s);
  });
  assert.ok(hidden.size > 5, `suppressed block groups: ${hidden.size}`);
  const spec = indicatorChoropleth(ds.areaSystems.get("bbg")!, r, "child_poverty", { protection: pb, source: pb.source, labels: true });
  const [file] = await exportFigure(NB, "kinderarmut-bbg", spec, { formats: ["svg"] });
  const all = [...readFileSync(file!, "utf8").matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  // class labels ("über 14,6 bis 18,8 (8)") are quantiles of the published values: a break may equal a hidden value by chance
  const texts = all.filter((t) => !/^(bis|über) [\d.,]+/.test(t));
  assert.ok(all.some((t) => /Kinder in Bedarfsgemeinschaften/.test(t)), "title drawn");
  for (const s of hidden) {
    if (shown.has(s)) continue; // the same number published for another area
    assert.ok(!texts.some((t) => new RegExp(`(^|[^\\d,])${s.replace(",", "\\,")}([^\\d]|$)`).test(t)), `hidden value ${s} drawn`);
  }
});

test("the HTML file is self-contained and draws offline in Chromium", async () => {
  const [file] = await exportFigure(NB, "kinderarmut-interaktiv", map, { formats: ["html"] });
  const html = readFileSync(file!, "utf8");
  assert.match(html, /<meta name="kr-protection" content="geschuetzt">/);
  assert.match(html, /<meta name="kr-provenance" content="\{/);
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "");
  assert.doesNotMatch(markup, /\s(src|href)\s*=\s*["']?(https?:)?\/\//i, "no external src/href");
  assert.doesNotMatch(html, /<script[^>]+src=/i, "no external scripts");
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") ? route.continue() : route.abort();
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file!).href);
    await page.waitForSelector("#kr-figure .main-svg", { timeout: 30_000 });
    const title = await page.locator("#kr-figure .gtitle").first().textContent();
    assert.match(title ?? "", /Kinder in Bedarfsgemeinschaften 2024/);
    assert.equal(await page.locator("#kr-figure path.choroplethlocation").count(), 17, "17 districts drawn");
    assert.deepEqual(requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:") && !u.startsWith("blob:")), [], "no network requests");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("exports refuse figures without protection, naming the figure", async () => {
  const bare: PlotlySpec = { data: map.data, layout: { ...map.layout, meta: {} } };
  await assert.rejects(exportFigure(NB, "ohne-meta", bare), /exportFigure "ohne-meta": refusing to export a figure without small-number protection/);
  const noReason: PlotlySpec = { data: map.data, layout: { ...map.layout, meta: { krProtection: "ohne-schutz" } } };
  await assert.rejects(exportFigure(NB, "ohne-grund", noReason), /"ohne-grund".*krProtectionReason/);
  await assert.rejects(exportFigures(NB, [{ name: "gut", spec: map }, { name: "schlecht", spec: bare }]), /"schlecht"/);
  assert.ok(!existsSync(path.join(OUT, NB, "gut.png")), "nothing written when one spec of a batch is refused");
  await assert.rejects(exportFigure(NB, "karte.png", map), /without extension/);
  // unprotected with a reason: exported, the reason travels with the files
  const internal: PlotlySpec = { data: map.data, layout: { ...map.layout, meta: { krProtection: "ohne-schutz", krProtectionReason: "interne Prüfung" } } };
  const [png, svg] = await exportFigure(NB, "intern", internal, { formats: ["png", "svg"] });
  assert.equal(pngText(readFileSync(png!))["kr-protection-reason"], "interne Prüfung");
  assert.match(readFileSync(svg!, "utf8"), /data-kr-protection-reason="interne Prüfung"/);
  // writeOutput: a PNG without protection text is refused, a rendered figure passes
  const raw = await renderPng(bare, { scale: 1 });
  assert.match(protectionProblem("x.png", raw) ?? "", /refusing to write x\.png without small-number protection/);
  assert.throws(() => writeOutput(NB, "roh.png", raw), /refusing to write roh\.png/);
  writeOutput(NB, "gerendert.png", await renderPng(map, { scale: 1 }));
  assert.throws(() => writeOutput(NB, "roh.pdf", Buffer.from("%PDF-1.7\n")), /refusing to write roh\.pdf/);
  assert.throws(() => writeOutput(NB, "roh.html", "<!doctype html><h1>x</h1>"), /refusing to write roh\.html/);
  assert.throws(() => writeOutput(NB, "roh.json", JSON.stringify({ a: 1 })), /refusing to write roh\.json/);
  writeOutput(NB, "daten.json", JSON.stringify({ krProtection: "geschuetzt", werte: [] }));
  assert.throws(() => writeOutput(NB, "manifest.json", JSON.stringify({ krProtection: "geschuetzt" })), /manifest/);
});

test("a bar chart exports with its notes", async () => {
  const bar = rankingFigure(p.result, "child_poverty", { protection: p, names: p.names, source: p.source });
  const files = await exportFigure(NB, "rangfolge", bar, { widthMm: 160, heightMm: 120, formats: ["png", "pdf"] });
  const pdfText = tool("pdftotext", [files[1]!, "-"]).replace(/\s+/g, " ");
  assert.ok(pdfText.includes(figureText(bar).title));
  assert.deepEqual(pngInfo(readFileSync(files[0]!)).width, 1890);
});

test("exportFigures renders a batch: every indicator of Musterstadt's 17 districts as PNG", async () => {
  const ids = p.result.definitions.map((d) => d.id);
  const items = ids.map((id) => ({ name: `batch/${id}`, spec: indicatorChoropleth(ds.areaSystems.get("statbez")!, p.result, id, { protection: p, source: p.source }), options: { formats: ["png" as const] } }));
  const t = performance.now();
  const out = await exportFigures(NB, items);
  const s = (performance.now() - t) / 1000;
  console.log(`# ${items.length} choropleths (17 areas) as PNG 1890 × 1181 in ${s.toFixed(2)} s: ${(items.length / s).toFixed(1)} figures/s`);
  assert.equal(out.length, ids.length);
  for (const [f] of out) {
    const png = readFileSync(f!);
    assert.deepEqual([pngInfo(png).width, pngInfo(png).height], [1890, 1181]);
    assert.equal(pngText(png)["kr-protection"], "geschuetzt");
  }
  const manifest = JSON.parse(readFileSync(path.join(OUT, NB, "manifest.json"), "utf8")) as { files: Array<{ file: string }> };
  for (const id of ids) assert.ok(manifest.files.some((e) => e.file === `${NB}/batch/${id}.png`), id);
});

test("exportFigures prints PDFs of the same size together, one file per figure with its own text and metadata", async () => {
  const ids = ["child_poverty", "population", "unemployment_rate"];
  const specs = ids.map((id) => indicatorChoropleth(ds.areaSystems.get("statbez")!, p.result, id, { protection: p, source: p.source }));
  const out = await exportFigures(NB, ids.map((id, i) => ({ name: `pdf/${id}`, spec: specs[i]!, options: { formats: ["pdf" as const] } })));
  out.forEach(([file], i) => {
    const info = tool("pdfinfo", [file!]);
    assert.match(info, /Pages:\s+1\n/);
    assert.match(info, /Page size:\s+453\.54\d? x 283\.46\d? pts/);
    const title = figureText(specs[i]!).title;
    assert.match(info, new RegExp(`Title:\\s+${title.replace(/[()]/g, ".")}`));
    const text = tool("pdftotext", [file!, "-"]).replace(/\s+/g, " ");
    assert.ok(text.includes(title), `${ids[i]}: own title`);
    for (const [j, other] of specs.entries()) if (j !== i) assert.ok(!text.includes(figureText(other).title), `${ids[i]}: no other figure's title`);
    assert.equal(protectionProblem(file!, readFileSync(file!)), undefined);
  });
});

const BERLIN = path.join(ROOT, "data/berlin/dataset.json");
const SHARED = path.resolve(ROOT, "../shared/data/berlin-lor-2021-shapes");
test("Berlin: 143 Bezirksregionen choropleths in a batch", { skip: existsSync(SHARED) ? false : "../shared/data absent (Berlin data not available)" }, async () => {
  const berlin = await loadDataset(BERLIN, { validate: false });
  const pb = protectedIndicatorsFor(berlin, "bzr");
  const sys = berlin.areaSystems.get("bzr")!;
  assert.equal(sys.features.length, 143);
  const ids = pb.result.definitions.map((d) => d.id).filter((id) => {
    const i = pb.result.definitions.findIndex((d) => d.id === id);
    return pb.result.areas.some((_, a) => Number.isFinite(pb.result.value[resultIndex(pb.result, i, a, pb.result.years.length - 1)]!));
  });
  assert.ok(ids.length >= 3, `computable indicators: ${ids.join(", ")}`);
  const items = ids.map((id) => ({ name: `berlin/${id}`, spec: indicatorChoropleth(sys, pb.result, id, { protection: pb, source: pb.source }), options: { formats: ["png" as const], dataset: berlin } }));
  const t = performance.now();
  const out = await exportFigures(NB, items);
  const s = (performance.now() - t) / 1000;
  console.log(`# ${items.length} Berlin choropleths (143 areas) as PNG in ${s.toFixed(2)} s: ${(items.length / s).toFixed(1)} figures/s`);
  for (const [f] of out) assert.deepEqual([pngInfo(readFileSync(f!)).width, pngInfo(readFileSync(f!)).height], [1890, 1181]);
});
