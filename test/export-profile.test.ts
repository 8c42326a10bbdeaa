/**
 * Area profiles (Stadtteilsteckbriefe) and key findings on real data: Musterstadt (statistical
 * districts, block groups, life-situation quarters) and Berlin's Bezirksregionen when
 * ../shared/data is there. Checks protection (no hidden value, no count 1–2, symbols),
 * escaping of area names, the A4 one-page PDF (pdfinfo/pdftotext from poppler-utils), the
 * batch and the key findings of Q04 against the computed values.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { ROOT } from "../scripts/lib/jupyter-env";
import { indicatorsVia } from "../src/areas/compare";
import { keyFindings } from "../src/export/findings";
import { fundingArea, fundingIndicatorTable, writeFundingBundle } from "../src/export/funding";
import { columnLabel } from "../src/indicators/tables";
import { protectionMark } from "../src/export/files";
import { areaProfileHtml, areaProfilePdf, profileContext, profileTable, publishedCell, writeAreaProfiles } from "../src/export/profile";
import { resultIndex } from "../src/indicators/compute";
import { formatNumber } from "../src/present/format";
import { closeRenderer } from "../src/present/render";
import { loadDataset, type Dataset } from "../src/project/config";

const MUSTER = path.join(ROOT, "data", "musterstadt", "dataset.json");
const BERLIN = path.join(ROOT, "data", "berlin", "dataset.json");
const HAVE_BERLIN = existsSync(path.join(ROOT, "..", "shared", "data", "berlin-lor-2021-shapes"));
const dsP = loadDataset(MUSTER, { validate: false });
const SYMBOLS = new Set([".", "/", "x", "–"]);

after(async () => { await closeRenderer(); });

function hasTool(name: string): boolean {
  try { execFileSync(name, ["-v"], { stdio: "ignore" }); return true; } catch (e) { return (e as { code?: string }).code !== "ENOENT"; }
}
const POPPLER = hasTool("pdftotext") && hasTool("pdfinfo");

/** The published indicator table of a profile, parsed like test/outputs-attack.test.ts does. */
function publishedTable(html: string): { attrs: string; header: string[]; rows: string[][] } {
  const m = /<div class="kr-published" ([^>]*)>([\s\S]*?<\/table>)/.exec(html);
  assert.ok(m, "profile has a kr-published table");
  const unescape = (s: string) => s.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();
  const header = [...m[2]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((x) => unescape(x[1]!));
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[2]!)?.[1] ?? "";
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => unescape(x[1]!)));
  return { attrs: m[1]!, header, rows };
}

/** Hidden cells of an area's profile must not show their value anywhere in its table. */
function assertNoHiddenValue(ds: Dataset, system: string, area: string): number {
  const ctx = profileContext(ds, system);
  const html = areaProfileHtml(ds, system, area);
  const t = publishedTable(html);
  const r = ctx.p.result;
  const a = r.areas.indexOf(area);
  const valueCol = t.header.indexOf("Wert");
  let hidden = 0;
  for (const [n, ind] of ctx.indicators.entries()) {
    const k = resultIndex(r, ind.i, a, ctx.y);
    const row = t.rows[n]!;
    if (ctx.p.suppressed[k]) {
      hidden++;
      assert.ok(SYMBOLS.has(row[valueCol]!), `${system} ${area} ${ind.def.id}: hidden cell shows ${JSON.stringify(row[valueCol])}`);
      const shown = formatNumber(r.value[k]!, { digits: ind.def.digits });
      // The value may coincide with a published city or parent figure; never in the area's own cells.
      for (const col of ["Wert", "95-%-KI", "Abstand zur Stadt", "Vergleich mit der Stadt"]) {
        const c = t.header.indexOf(col);
        assert.ok(!row[c]!.includes(shown) || row[c] === "", `${system} ${area} ${ind.def.id}: hidden value ${shown} in ${col}: ${row[c]}`);
      }
      assert.equal(row[t.header.indexOf("Vergleich mit der Stadt")], "", "no significance for a hidden cell");
      assert.equal(row[t.header.indexOf("95-%-KI")], "", "no interval for a hidden cell");
    }
    if (ind.def.kind === "count" && !ctx.p.suppressed[k]) {
      const v = Number(row[valueCol]!.replace(/\./g, "").replace(",", "."));
      assert.ok(!(v >= 1 && v < ctx.p.rules.counts.threshold), `${system} ${area} ${ind.def.id}: small count ${row[valueCol]}`);
    }
  }
  // Hidden cells draw no point in the spine chart: its row says the value is not shown.
  if (hidden) assert.match(html, /kein Punkt: Gebietswert nicht ausgewiesen/);
  return hidden;
}

test("profile HTML (Musterstadt statbez): self-contained, name, city values, parent, marked table and drawings", async () => {
  const ds = await dsP;
  const html = areaProfileHtml(ds, "statbez", "0101");
  assert.match(html, /^<!doctype html>/);
  assert.ok(!/<script/i.test(html), "no scripts");
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "no external resources");
  assert.match(html, /<meta name="kr-protection" content="geschuetzt">/);
  assert.match(html, /Lindenhöhe/);
  assert.match(html, /Stichtag 31\.12\.2024/);
  const t = publishedTable(html);
  assert.match(t.attrs, /data-kr-system="statbez"/);
  assert.match(t.attrs, /data-kr-year="2024"/);
  assert.ok(t.header.includes("Gebiet-ID"));
  assert.ok(t.header.includes("Stadt"));
  assert.ok(t.header.includes("Musterstadt-Mitte"), `parent column: ${t.header.join(" | ")}`);
  // City values as computed.
  const ctx = profileContext(ds, "statbez");
  const r = ctx.p.result;
  const i = r.definitions.findIndex((d) => d.id === "child_poverty");
  const city = formatNumber(r.reference.value[i * r.years.length + ctx.y]!, { digits: 1 });
  const row = t.rows.find((x) => x[1]!.startsWith("Kinder in Bedarfsgemeinschaften"))!;
  assert.equal(row[t.header.indexOf("Stadt")], city);
  assert.equal(row[0], "0101");
  // Drawings carry the protection attributes.
  const svgs = [...html.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
  assert.equal(svgs.length, 3, "locator map, spine chart, trend");
  for (const s of svgs) {
    for (const a of ["data-kr-protection=\"geschuetzt\"", "data-kr-indicator=", "data-kr-year=\"2024\"", "data-kr-system=\"statbez\"", "data-kr-measure="]) assert.ok(s.includes(a), `${a} on ${s.slice(0, 80)}`);
  }
  assert.equal(assertNoHiddenValue(ds, "statbez", "0101"), 0);
});

test("profile: suppressed cells show symbols, never values or counts 1–2 (block groups and quarters)", async () => {
  const ds = await dsP;
  let checked = 0;
  for (const system of ["bbg", "quartier"]) {
    const ctx = profileContext(ds, system);
    const r = ctx.p.result;
    // The areas with the most hidden profile cells.
    const order = r.areas.map((id, a) => ({ id, n: ctx.indicators.filter((x) => ctx.p.suppressed[resultIndex(r, x.i, a, ctx.y)]).length })).sort((x, z) => z.n - x.n);
    for (const { id } of order.slice(0, system === "bbg" ? 6 : 8)) checked += assertNoHiddenValue(ds, system, id);
  }
  assert.ok(checked > 10, `hidden cells checked: ${checked}`);
});

test("profile of a quarter: crosswalk data, district with most residents (footnote), Q04 against city and Lindenhöhe", async () => {
  const ds = await dsP;
  const html = areaProfileHtml(ds, "quartier", "Q04", { backLink: { href: "../index.html?a=1&b=<x>", label: "Zurück zum Atlas" } });
  assert.match(html, /Lindenhöhe-Südwest/);
  assert.match(html, /Lindenhöhe \(0101\), 85 % der Einwohner/);
  assert.match(html, /¹ Die Gebiete der Ebene „Lebenslagenorientierte Quartiere“ liegen quer zu den Bezirksgrenzen/);
  assert.match(html, /href="\.\.\/index\.html\?a=1&amp;b=&lt;x&gt;"/, "back link escaped");
  const t = publishedTable(html);
  const row = t.rows.find((x) => x[1]!.startsWith("Kinder in Bedarfsgemeinschaften"))!;
  const v = indicatorsVia(ds, "quartier");
  const r = v.result, i = r.definitions.findIndex((d) => d.id === "child_poverty"), a = r.areas.indexOf("Q04"), Y = r.years.length;
  assert.equal(row[t.header.indexOf("Wert")], formatNumber(r.value[resultIndex(r, i, a, Y - 1)]!, { digits: 1 }));
  assert.equal(row[t.header.indexOf("Stadt")], formatNumber(r.reference.value[i * Y + Y - 1]!, { digits: 1 }));
  assert.equal(row[t.header.indexOf("Vergleich mit der Stadt")], "signifikant über dem Stadtwert");
  assert.equal(row[t.header.indexOf("Lindenhöhe¹")], "22,6");
});

test("profile: an area named <img src=x onerror=alert(1)> appears as text", async () => {
  const ds = await dsP;
  const evil = "<img src=x onerror=alert(1)>";
  const sys = ds.areaSystems.get("statbez")!;
  // A copy of the dataset in memory with one name changed (nothing under data/ is touched).
  const copy: Dataset = { ...ds, areaSystems: new Map(ds.areaSystems) };
  copy.areaSystems.set("statbez", { ...sys, features: sys.features.map((f) => (f.id === "0102" ? { ...f, name: evil } : f)) });
  const html = areaProfileHtml(copy, "statbez", "0102");
  assert.ok(!html.includes("<img"), "no img element");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"), "name shown as text");
  assert.ok(!/onerror=alert\(1\)>/.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, "")), "nowhere unescaped");
  const k = keyFindings(copy, "statbez", "0102");
  assert.ok(k.text.includes(evil), "plain text keeps the name (it is no HTML)");
});

test("profile PDF: one A4 page, text has the area name and the city", { skip: POPPLER ? false : "pdftotext/pdfinfo (poppler-utils) not installed" }, async () => {
  const ds = await dsP;
  const dir = mkdtempSync(path.join(tmpdir(), "kr-profile-"));
  try {
    for (const [system, area, name] of [["statbez", "0205", ""], ["quartier", "Q04", "Lindenhöhe-Südwest"], ["bbg", profileContext(ds, "bbg").p.result.areas[0]!, ""]] as const) {
      const pdf = await areaProfilePdf(ds, system, [area]);
      assert.deepEqual(protectionMark("x.pdf", pdf), { state: "geschuetzt" });
      const file = path.join(dir, `${area}.pdf`);
      writeFileSync(file, pdf);
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      assert.match(info, /Pages:\s+1\n/, `${system} ${area}: one page\n${info}`);
      assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      const expected = name || ds.areaSystems.get(system)!.features.find((f) => f.id === area)!.name;
      assert.ok(text.includes(expected), `${system} ${area}: ${expected} in the PDF text`);
      assert.match(text, /Stadt/);
      assert.match(text, /Quelle: Musterstadt/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("profiles of all quarters and of the block groups with the most hidden cells print one page each", async () => {
  const ds = await dsP;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PDFDocument } = require("pdf-lib") as typeof import("pdf-lib");
  const quarters = profileContext(ds, "quartier").p.result.areas;
  assert.equal((await PDFDocument.load(await areaProfilePdf(ds, "quartier", quarters))).getPageCount(), quarters.length);
  const ctx = profileContext(ds, "bbg");
  const r = ctx.p.result;
  const worst = r.areas.map((id, a) => ({ id, n: ctx.indicators.filter((x) => ctx.p.suppressed[resultIndex(r, x.i, a, ctx.y)]).length }))
    .sort((x, z) => z.n - x.n || x.id.localeCompare(z.id)).slice(0, 12).map((x) => x.id);
  assert.equal((await PDFDocument.load(await areaProfilePdf(ds, "bbg", worst))).getPageCount(), worst.length);
});

test("writeAreaProfiles: 17 statistical districts as HTML and PDF, index, manifest", async () => {
  const ds = await dsP;
  const out = mkdtempSync(path.join(tmpdir(), "kr-profiles-"));
  const previous = process.env.KLEINRAUM_OUTPUTS;
  process.env.KLEINRAUM_OUTPUTS = out;
  try {
    const w = await writeAreaProfiles(ds, "statbez", "test-profile", { combinedPdf: true, pagesPerRender: 7 });
    assert.equal(w.areas.length, 17);
    const files = readdirSync(path.join(out, "test-profile", "steckbriefe"));
    assert.equal(files.filter((f) => f.endsWith(".html") && f !== "index.html").length, 17);
    assert.equal(files.filter((f) => f.endsWith(".pdf") && f !== "steckbriefe.pdf").length, 17);
    assert.ok(files.includes("index.html") && files.includes("steckbriefe.pdf"));
    assert.ok(files.includes("0101-lindenhoehe.pdf"), files.join(", "));
    const index = readFileSync(w.index, "utf8");
    for (const e of w.areas) assert.ok(index.includes(`href="${path.basename(e.html)}"`));
    for (const e of w.areas) {
      const pdf = readFileSync(e.pdf!);
      assert.deepEqual(protectionMark(e.pdf!, pdf), { state: "geschuetzt" }, e.pdf);
      assert.match(pdf.toString("latin1"), /\/Type\s*\/Pages[\s\S]*?\/Count 1\b/, `${e.pdf}: one page`);
    }
    if (POPPLER) {
      // Splitting put each area's page into its own file.
      for (const e of [w.areas[0]!, w.areas[16]!]) assert.ok(execFileSync("pdftotext", [e.pdf!, "-"], { encoding: "utf8" }).includes(e.name), e.pdf);
      assert.match(execFileSync("pdfinfo", [w.combinedPdf!], { encoding: "utf8" }), /Pages:\s+17\n/);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, "test-profile", "manifest.json"), "utf8")) as { files: { file: string; kind: string; protection: { state: string } }[] };
    const profiles = manifest.files.filter((f) => f.kind === "profile");
    assert.equal(profiles.length, 17 * 2 + 2);
    assert.ok(profiles.every((f) => f.protection.state === "geschuetzt"));
    assert.ok(w.timings.totalMs > 0 && w.timings.pdfMs > 0);
  } finally {
    if (previous === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = previous;
    rmSync(out, { recursive: true, force: true });
  }
});

test("keyFindings Q04: 29,1 % vs 22,4 % (computed), significantly higher, children base, no hidden value", async () => {
  const ds = await dsP;
  const k = keyFindings(ds, "quartier", "Q04");
  const v = indicatorsVia(ds, "quartier");
  const r = v.result, i = r.definitions.findIndex((d) => d.id === "child_poverty"), a = r.areas.indexOf("Q04"), Y = r.years.length;
  const value = formatNumber(r.value[resultIndex(r, i, a, Y - 1)]!, { digits: 1 });
  const city = formatNumber(r.reference.value[i * Y + Y - 1]!, { digits: 1 });
  assert.equal(value, "29,1");
  assert.equal(city, "22,4");
  assert.ok(k.sentences[0]!.startsWith("Im Quartier Lindenhöhe-Südwest (Q04) lebten am 31.12.2024"), k.sentences[0]);
  assert.ok(k.text.includes(`${value} % von ihnen lebten in SGB-II-Bedarfsgemeinschaften, gegenüber ${city} % in der Stadt (signifikant höher)`), k.text);
  assert.ok(k.text.includes(`${formatNumber(r.denominator[resultIndex(r, i, a, Y - 1)]!, { digits: 0 })} Kinder unter 15 Jahren`));
  assert.match(k.text, /Konfidenzintervall/, "reliability sentence");
  assert.match(k.text, /Lindenhöhe \(0101\)/, "parent district named");
  // No hidden value of any quarter is stated in its findings.
  const ctx = profileContext(ds, "quartier");
  for (const area of ctx.p.result.areas) {
    const text = keyFindings(ds, "quartier", area).text;
    const aa = ctx.p.result.areas.indexOf(area);
    for (const def of ctx.p.result.definitions) {
      const ii = ctx.p.result.definitions.indexOf(def);
      const kk = resultIndex(ctx.p.result, ii, aa, ctx.y);
      if (!ctx.p.suppressed[kk] || !text.includes(def.label)) continue;
      assert.ok(!text.includes(`${def.label} ${formatNumber(ctx.p.result.value[kk]!, { digits: def.digits })}`), `${area} ${def.id}`);
    }
    assert.ok(publishedCell(ctx.p, resultIndex(ctx.p.result, 0, aa, ctx.y), 0).text.length > 0);
  }
});

test("Berlin Bezirksregionen: profile with parent Prognoseraum, one A4 page", { skip: HAVE_BERLIN ? false : "../shared/data (Berlin LOR) not found: Berlin profile test skipped" }, async () => {
  const ds = await loadDataset(BERLIN, { validate: false });
  const sys = ds.areaSystems.get("bzr")!;
  const f = sys.features[5]!;
  const html = areaProfileHtml(ds, "bzr", f.id);
  assert.ok(html.includes(f.name.replace(/&/g, "&amp;")), f.name);
  const t = publishedTable(html);
  assert.match(t.attrs, /data-kr-system="bzr"/);
  assert.ok(t.rows.length >= 5);
  assert.match(html, /Prognoseräume/);
  assertNoHiddenValue(ds, "bzr", f.id);
  const k = keyFindings(ds, "bzr", f.id);
  assert.ok(k.sentences[0]!.startsWith(`In der Bezirksregion ${f.name} (${f.id})`), k.sentences[0]);
  if (POPPLER) {
    const dir = mkdtempSync(path.join(tmpdir(), "kr-profile-b-"));
    try {
      const file = path.join(dir, "b.pdf");
      writeFileSync(file, await areaProfilePdf(ds, "bzr", [f.id]));
      assert.match(execFileSync("pdfinfo", [file], { encoding: "utf8" }), /Pages:\s+1\n/);
      assert.ok(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).includes(f.name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("funding bundle (Q04): profile PDF/HTML, XLSX, PNG/SVG figures, kernaussagen.txt, all marked; fundingArea falls back sensibly", async () => {
  const ds = await dsP;
  const kept = fundingArea(ds, { system: "quartier", area: "Q04" });
  assert.deepEqual([kept.system, kept.area, kept.name, kept.notes.length], ["quartier", "Q04", "Lindenhöhe-Südwest", 0]);
  const fallback = fundingArea(ds, { system: "gibt-es-nicht", area: "X99" });
  assert.equal(fallback.system, "quartier", "the life-situation system without own statistics");
  assert.equal(fallback.notes.length, 2);
  // The chosen area has the highest published child poverty among the quarters significantly above the city.
  const ctx = profileContext(ds, "quartier");
  const r = ctx.p.result, i = r.definitions.findIndex((d) => d.id === "child_poverty");
  const best = r.areas.filter((_, a) => ctx.p.significance[resultIndex(r, i, a, ctx.y)] === 1 && !ctx.p.suppressed[resultIndex(r, i, a, ctx.y)])
    .sort((x, z) => r.value[resultIndex(r, i, r.areas.indexOf(z), ctx.y)]! - r.value[resultIndex(r, i, r.areas.indexOf(x), ctx.y)]!)[0];
  assert.equal(fallback.area, best);
  const out = mkdtempSync(path.join(tmpdir(), "kr-funding-"));
  const previous = process.env.KLEINRAUM_OUTPUTS;
  process.env.KLEINRAUM_OUTPUTS = out;
  try {
    const b = await writeFundingBundle(ds, "quartier", "Q04", "test-funding");
    assert.equal(b.folder, "lindenhoehe-suedwest");
    const dir = path.join(out, "test-funding", b.folder);
    const files = readdirSync(dir).sort();
    for (const f of ["steckbrief.pdf", "steckbrief.html", "indikatoren.xlsx", "kernaussagen.txt", "spinnenprofil.png", "spinnenprofil.svg", "karte-child_poverty.png", "entwicklung-child_poverty.svg"]) assert.ok(files.includes(f), `${f} in ${files.join(", ")}`);
    for (const f of files.filter((x) => /\.(pdf|html|xlsx|png|svg)$/.test(x))) assert.equal(protectionMark(f, readFileSync(path.join(dir, f)))?.state, "geschuetzt", f);
    const text = readFileSync(path.join(dir, "kernaussagen.txt"), "utf8");
    assert.match(text, /29,1 % von ihnen lebten in SGB-II-Bedarfsgemeinschaften, gegenüber 22,4 % in der Stadt \(signifikant höher\)/);
    assert.equal(text, b.findings.text);
  } finally {
    if (previous === undefined) delete process.env.KLEINRAUM_OUTPUTS; else process.env.KLEINRAUM_OUTPUTS = previous;
    rmSync(out, { recursive: true, force: true });
  }
});

test("fundingIndicatorTable: one row per year for area and city, indicator columns as in protectedTable, hidden cells as symbols", async () => {
  const ds = await dsP;
  let hidden = 0;
  for (const system of ["quartier", "bbg"]) {
    const ctx = profileContext(ds, system);
    const r = ctx.p.result;
    for (const area of r.areas.slice(0, system === "bbg" ? 20 : 8)) {
      const t = fundingIndicatorTable(ctx, area);
      assert.deepEqual(t.columns.slice(0, 3), ["Gebiet-ID", "Gebiet", "Jahr"]);
      const a = r.areas.indexOf(area);
      for (const row of t.rows.filter((x) => x["Gebiet-ID"] === area)) {
        const y = r.years.indexOf(Number(row.Jahr));
        r.definitions.forEach((def, i) => {
          const k = resultIndex(r, i, a, y);
          const cell = row[columnLabel(def)];
          if (ctx.p.suppressed[k]) { hidden++; assert.ok(typeof cell === "string" && SYMBOLS.has(cell), `${area} ${def.id} ${row.Jahr}: ${cell}`); }
          if (def.kind === "count" && typeof cell === "number") assert.ok(!(cell >= 1 && cell < ctx.p.rules.counts.threshold), `${area} ${def.id}: ${cell}`);
        });
      }
    }
  }
  assert.ok(hidden > 20, `hidden cells checked: ${hidden}`);
});
