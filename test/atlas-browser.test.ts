/**
 * The public atlas (`buildAtlas`) in a real headless Chromium (Debian chromium + playwright-core,
 * offline, loaded from file://): map, legend, switching indicator, year and area system,
 * selection by click and keyboard, profile page and back link, table download, phone layout,
 * escaping of area names, Berlin's 542 PLR; and at node level that the atlas data holds no
 * value for any hidden cell. Screenshots go to outputs/atlas-test/.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { buildAtlas, type AtlasBuildResult } from "../src/atlas/build";
import { atlasUrl, launchAtlasBrowser, measureAtlasLoad } from "../src/atlas/browser";
import { readAtlasData } from "../src/atlas/data";
import { indicatorsVia } from "../src/areas/compare";
import { loadDataset, type Dataset } from "../src/project/config";
import { reportingSystems } from "../src/project/overview";
import { projectRoot } from "../src/project/paths";
import { protectedIndicatorsFor } from "../src/protect/dataset";
import { protectionMark } from "../src/export/files";

const ROOT = projectRoot();
const SHOTS = path.join(ROOT, "outputs", "atlas-test");
const MUSTERSTADT = path.join(ROOT, "data", "musterstadt", "dataset.json");
const BERLIN = path.join(ROOT, "data", "berlin", "dataset.json");
const SHARED = path.resolve(ROOT, "..", "shared", "data");

let browser: Browser;
let ds: Dataset;
let atlas: AtlasBuildResult;
const temp: string[] = [];

function tempDir(name: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `kr-atlas-${name}-`));
  temp.push(d);
  return d;
}

async function openAtlas(dir: string, options: { width?: number; height?: number; state?: string } = {}): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, acceptDownloads: true, offline: true });
  const page = await context.newPage();
  const dialogs: string[] = [], errors: string[] = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(atlasUrl(dir, options.state));
  await page.waitForSelector("html[data-kr-ready]", { timeout: 30000 });
  return { page, dialogs, errors };
}

/** A viewport point inside the map path of an area (checked with elementFromPoint). */
async function pointInArea(page: Page, id: string): Promise<{ x: number; y: number }> {
  const p = await page.evaluate((areaId) => {
    const el = document.querySelector(`#kr-areas path[data-area="${areaId}"]`) as SVGPathElement;
    el.scrollIntoView({ block: "center" });
    const b = el.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
      const x = b.left + (b.width * i) / 12, y = b.top + (b.height * j) / 12;
      if (document.elementFromPoint(x, y) === el) return { x, y };
    }
    return null;
  }, id);
  assert.ok(p, `no visible point inside area ${id}`);
  return p;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchAtlasBrowser();
  ds = await loadDataset(MUSTERSTADT, { validate: false });
  atlas = await buildAtlas(ds, { outDir: tempDir("ms"), profiles: 20 }); // profiles for statbez, quartier, stbz
  assert.equal(atlas.profiles, 17 + 8 + 3);
});

after(async () => {
  await browser?.close();
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe("Musterstadt atlas in headless Chromium", () => {
  test("map, legend, switching indicator, year and area system", async () => {
    const { page, errors } = await openAtlas(atlas.dir);
    assert.equal(await page.locator("#kr-areas path").count(), 17);
    assert.equal(await page.locator("#rang-body tr").count(), 17);
    assert.match(await page.locator("#legend-title").textContent() ?? "", /Kinder in Bedarfsgemeinschaften \(%\), 2024/);
    assert.ok(await page.locator(".legend li").count() >= 3);
    const fills = await page.locator("#kr-areas path").evaluateAll((ps) => ps.map((p) => p.getAttribute("fill")));
    assert.ok(fills.every((f) => f && f !== "none"), "every area is filled");
    assert.equal(await page.locator("#steuerung").evaluate(() => location.hash), "#system=statbez&indicator=child_poverty&year=2024");

    const firstRow = await page.locator("#rang-body tr").first().textContent();
    await page.selectOption("#sel-indicator", "share_65plus");
    assert.match(await page.locator("#legend-title").textContent() ?? "", /Anteil .*65/);
    assert.notEqual(await page.locator("#rang-body tr").first().textContent(), firstRow, "ranking follows the indicator");
    assert.match(await page.locator("#rang-titel").textContent() ?? "", /65/);

    await page.selectOption("#sel-year", "2020");
    assert.match(await page.locator("#legend-title").textContent() ?? "", /2020/);
    assert.match(await page.locator("#karte-titel").textContent() ?? "", /2020/);
    assert.match(await page.evaluate(() => location.hash), /indicator=share_65plus&year=2020/);

    let year = "2020";
    for (const [system, n] of [["bbg", 250], ["quartier", 8], ["stbz", 3], ["statbez", 17]] as const) {
      await page.selectOption("#sel-system", system);
      await page.waitForFunction((k) => document.querySelectorAll("#kr-areas path").length === k, n);
      assert.equal(await page.locator("#rang-body tr").count(), n, `${system}: ranking rows`);
      assert.match(await page.locator("#karte-titel").textContent() ?? "", new RegExp(year), `${system}: year kept`);
      assert.equal(await page.locator("#sel-year").inputValue(), year);
      if (system === "bbg") {
        // Hidden cells show their symbol in the ranking and a symbol entry in the legend.
        await page.selectOption("#sel-indicator", "child_poverty");
        await page.selectOption("#sel-year", "2024");
        year = "2024";
        const cells = await page.locator("#rang-body tr td:nth-child(3)").allTextContents();
        assert.ok(cells.some((c) => c === "." || c === "/"), "block groups have hidden cells");
        assert.match(await page.locator(".legend").textContent() ?? "", /gesperrt|nicht sicher genug/);
        assert.equal(await page.locator("#rang-body a").count(), 0, "no profile pages for block groups in this build (profiles: 20)");
        await page.screenshot({ path: path.join(SHOTS, "musterstadt-bbg.png") });
      }
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("click an area: detail and time series, profile page, back link restores the state", async () => {
    const { page, errors } = await openAtlas(atlas.dir, { state: "system=statbez&indicator=unemployment_rate&year=2023" });
    assert.equal(await page.locator("#sel-indicator").inputValue(), "unemployment_rate");
    assert.equal(await page.locator("#sel-year").inputValue(), "2023");
    const name = ds.areaSystems.get("statbez")!.features.find((f) => f.id === "0101")!.name;
    const pt = await pointInArea(page, "0101");
    await page.mouse.click(pt.x, pt.y);
    assert.equal(await page.locator("#detail-name").textContent(), name);
    assert.equal(await page.locator("#detail-body svg.ts path.ts-area").count(), 1, "time series of the area");
    assert.equal(await page.locator("#detail-body svg.ts path.ts-city").count(), 1, "time series of the city");
    assert.equal(await page.locator('#rang-body tr[aria-selected="true"]').getAttribute("data-area"), "0101");
    await page.screenshot({ path: path.join(SHOTS, "musterstadt-desktop.png"), fullPage: true });

    await page.locator("#profil-link").click();
    await page.waitForURL(/profile\/statbez\/0101\.html/);
    assert.match(await page.locator("h1").first().textContent() ?? "", new RegExp(name));
    await page.screenshot({ path: path.join(SHOTS, "musterstadt-profile.png"), fullPage: false });
    const back = page.locator('a[href^="../../index.html"]').first();
    assert.match(await back.getAttribute("href") ?? "", /#system=statbez&indicator=unemployment_rate&year=2023&area=0101$/);
    await back.click();
    await page.waitForSelector("html[data-kr-ready]");
    assert.equal(await page.locator("#sel-system").inputValue(), "statbez");
    assert.equal(await page.locator("#sel-indicator").inputValue(), "unemployment_rate");
    assert.equal(await page.locator("#sel-year").inputValue(), "2023");
    assert.equal(await page.locator("#detail-name").textContent(), name);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("keyboard: Tab to a ranking row and Enter selects the area", async () => {
    const { page } = await openAtlas(atlas.dir);
    await page.focus("#sel-year");
    let onRow = false;
    for (let i = 0; i < 30 && !onRow; i++) {
      await page.keyboard.press("Tab");
      onRow = await page.evaluate(() => document.activeElement?.classList.contains("area-btn") ?? false);
    }
    assert.ok(onRow, "a ranking row is reachable with Tab");
    const label = await page.evaluate(() => document.activeElement!.textContent);
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("#detail-name").textContent(), label);
    assert.equal(await page.locator('#rang-body tr[aria-selected="true"] .area-btn').textContent(), label);
    assert.match(await page.evaluate(() => location.hash), /&area=/);
    await page.context().close();
  });

  test("download: the shown system × indicator as German CSV, hidden cells as symbols", async () => {
    const { page } = await openAtlas(atlas.dir, { state: "system=bbg&indicator=child_poverty&year=2024" });
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#dl-csv").click()]);
    assert.equal(download.suggestedFilename(), "bbg-child_poverty.csv");
    const file = path.join(tempDir("dl"), "t.csv");
    await download.saveAs(file);
    const text = readFileSync(file, "utf8");
    assert.ok(text.startsWith("\uFEFF"), "BOM");
    const lines = text.slice(1).split("\r\n");
    const header = lines.find((l) => l.startsWith("Gebiet-ID;"))!;
    assert.equal(header, "Gebiet-ID;Gebiet;2019;2020;2021;2022;2023;2024");
    const rows = lines.slice(lines.indexOf(header) + 1).filter((l) => /^\d{7};/.test(l)).map((l) => l.split(";"));
    assert.equal(rows.length, 250);
    assert.ok(rows.some((r) => /^\d+,\d$/.test(r[7]!)), "decimal comma");
    assert.ok(rows.some((r) => r[7] === "." || r[7] === "/"), "hidden cells as symbols");
    // The CSV agrees with the atlas data cell by cell.
    const data = readAtlasData(atlas.dir);
    for (const r of rows) {
      const c = data.cells.find((x) => x.system === "bbg" && x.indicator === "child_poverty" && x.year === 2024 && x.area === r[0])!;
      if (c.value === undefined) assert.equal(r[7], c.symbol, `area ${r[0]}`);
      else assert.equal(Number(r[7]!.replace(/[()]/g, "").replace(",", ".")), c.value, `area ${r[0]}`);
    }
    assert.match(text, /Geheimhaltung/);
    const [x] = await Promise.all([page.waitForEvent("download"), page.locator("#dl-xlsx").click()]);
    assert.equal(x.suggestedFilename(), "bbg-child_poverty.xlsx");
    const xf = path.join(tempDir("dlx"), "t.xlsx");
    await x.saveAs(xf);
    const xb = readFileSync(xf);
    assert.equal(xb.subarray(0, 2).toString(), "PK", "an XLSX (zip) file");
    assert.deepEqual(protectionMark("t.xlsx", xb), { state: "geschuetzt" });
    await page.context().close();
  });

  test("phone viewport 390×844: no horizontal scrolling", async () => {
    const { page } = await openAtlas(atlas.dir, { width: 390, height: 844, state: "system=statbez&indicator=child_poverty&year=2024&area=0206" });
    const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(w.scroll <= w.client, `page scrolls horizontally: ${w.scroll} > ${w.client}`);
    await page.selectOption("#sel-system", "bbg");
    await page.waitForFunction(() => document.querySelectorAll("#kr-areas path").length === 250);
    const w2 = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(w2, "no horizontal scrolling on block groups either");
    await page.selectOption("#sel-system", "statbez");
    await page.waitForFunction(() => document.querySelectorAll("#kr-areas path").length === 17);
    await page.screenshot({ path: path.join(SHOTS, "musterstadt-phone.png"), fullPage: true });
    await page.context().close();
  });
});

test("area names are escaped: <img src=x onerror=alert(1)> is shown as text and runs nothing", async () => {
  const evil = "<img src=x onerror=alert(1)>";
  const x = await loadDataset(MUSTERSTADT, { validate: false });
  const f = x.areaSystems.get("statbez")!.features.find((a) => a.id === "0206")!;
  f.name = evil; // in memory only; nothing under data/ changes
  const cityName = "Musterstadt</script><script>alert(2)</script>";
  (x.config as { name?: string }).name = cityName; // lands in the title, the heading and the inline manifest
  const dir = tempDir("xss");
  await buildAtlas(x, { outDir: dir, systems: ["statbez"] });
  const { page, dialogs, errors } = await openAtlas(dir, { state: "system=statbez&indicator=child_poverty&year=2024&area=0206" });
  // Second line of defence: the index page allows only its own scripts (no inline script runs).
  assert.match(readFileSync(path.join(dir, "index.html"), "utf8"), /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
  assert.equal(await page.locator("#detail-name").textContent(), evil);
  assert.match(await page.locator("h1").textContent() ?? "", /Musterstadt<\/script><script>alert\(2\)<\/script>/);
  assert.equal(await page.locator("script").count(), 3, "manifest, atlas.js and the data file: nothing injected");
  assert.ok(await page.locator("#rang-body").getByText(evil, { exact: true }).isVisible());
  assert.equal(await page.locator("img").count(), 0);
  assert.equal(await page.locator("[onerror]").count(), 0);
  await page.locator("#kr-areas path[data-area='0206']").hover();
  assert.equal(await page.locator("#hover").textContent().then((t) => t?.startsWith(evil)), true);
  await page.screenshot({ path: path.join(SHOTS, "xss.png") });
  await page.locator("#profil-link").click();
  await page.waitForURL(/profile\/statbez\/0206\.html/);
  assert.match(await page.locator("body").textContent() ?? "", /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator("img[onerror], [onerror]").count(), 0);
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, [], "no dialog");
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("buildAtlas never replaces a non-empty folder that is not an atlas", async () => {
  const dir = tempDir("guard");
  writeFileSync(path.join(dir, "wichtig.txt"), "nicht löschen");
  await assert.rejects(buildAtlas(ds, { outDir: dir, systems: ["stbz"], profiles: "none" }), /refusing to replace/);
  assert.equal(readFileSync(path.join(dir, "wichtig.txt"), "utf8"), "nicht löschen");
  // An earlier atlas is replaced.
  const again = await buildAtlas(ds, { outDir: tempDir("again"), systems: ["stbz"], profiles: "none" });
  const twice = await buildAtlas(ds, { outDir: again.dir, systems: ["stbz"], profiles: "none" });
  assert.equal(twice.systems.length, 1);
});

test("node: the atlas data holds no value for any hidden cell (all systems, against the protection)", () => {
  const data = readAtlasData(atlas.dir);
  assert.equal(data.krProtection, "geschuetzt");
  assert.deepEqual([...data.systems.keys()].sort(), ["bbg", "quartier", "statbez", "stbz"]);
  const rep = reportingSystems(ds);
  let hidden = 0, published = 0;
  for (const [system, sd] of data.systems) {
    const p = rep.includes(system) ? protectedIndicatorsFor(ds, system) : indicatorsVia(ds, system).protected;
    const r = p.result, A = r.areas.length, Y = r.years.length;
    const cells = data.cells.filter((c) => c.system === system);
    assert.equal(cells.length, sd.indicators.length * sd.years.length * sd.areas.length);
    for (const c of cells) {
      const i = r.definitions.findIndex((d) => d.id === c.indicator), a = r.areas.indexOf(c.area), y = r.years.indexOf(c.year);
      const k = (i * A + a) * Y + y;
      const sym = p.symbol[k];
      if (p.suppressed[k] || !Number.isFinite(r.value[k]!) || (sym && sym !== "()")) {
        hidden++;
        assert.equal(c.value, undefined, `${system} ${c.indicator} ${c.year} ${c.area}: hidden cell has a value`);
        assert.equal(c.lo, undefined);
        assert.ok(c.symbol && c.symbol !== "()", `${system} ${c.indicator} ${c.year} ${c.area}: hidden cell without symbol`);
      } else {
        published++;
        const digits = r.definitions[i]!.digits;
        assert.ok(Math.abs(c.value! - r.value[k]!) <= 0.5 * 10 ** -digits + 1e-9, `${system} ${c.indicator} ${c.year} ${c.area}`);
        assert.equal(c.symbol === "()", sym === "()");
      }
    }
  }
  assert.ok(hidden > 100 && published > 1000, `hidden ${hidden}, published ${published}`);
  // No raw value of a hidden cell anywhere in a data file's text either (spot check: 2 decimals are never written).
  for (const s of data.manifest.systems) assert.doesNotMatch(readFileSync(path.join(atlas.dir, s.file), "utf8"), /\d\.\d{5,}/);
});

test("Berlin: 542 PLR drawn, size and time to first map", async (t) => {
  if (!existsSync(SHARED)) { t.skip(`../shared/data not found (${SHARED}): Berlin atlas not tested`); return; }
  const b = await loadDataset(BERLIN, { validate: false });
  const dir = tempDir("berlin");
  const res = await buildAtlas(b, { outDir: dir, profiles: "none", defaultSystem: "plr" });
  const { page, errors } = await openAtlas(dir);
  assert.equal(await page.locator("#kr-areas path").count(), 542);
  assert.equal(await page.locator("#rang-body tr").count(), 542);
  await page.screenshot({ path: path.join(SHOTS, "berlin-plr.png") });
  await page.selectOption("#sel-system", "bzr");
  await page.waitForFunction(() => document.querySelectorAll("#kr-areas path").length === 143);
  assert.deepEqual(errors, []);
  await page.context().close();
  const m = await measureAtlasLoad(dir, { browser, runs: 3 });
  assert.equal(m.areas, 542);
  t.diagnostic(`Berlin PLR: build ${res.ms} ms, first load ${(m.bytes / 1024).toFixed(0)} KiB in ${m.files.length} files, atlas.js starts ${m.scriptStartMs.toFixed(0)} ms, map painted after ${m.mapPaintedMs.toFixed(0)} ms`);
  assert.ok(m.bytes < 1_000_000, `first load ${m.bytes} bytes`);
});
