/**
 * The atlas in a real headless Chromium (playwright-core, the project's Chromium and flags
 * from `render.ts`, offline): a PNG screenshot for notebooks and reports, and the load
 * measurement (transfer size, time to first map) for the benchmark.
 */
import { statSync } from "fs";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../present/render";

/** Options of {@link atlasScreenshot}. */
export interface AtlasScreenshotOptions {
  /** Viewport width in CSS pixels (default 1280). */
  width?: number;
  /** Viewport height (default 900). */
  height?: number;
  /** Pixel ratio (default 1). */
  scale?: number;
  /** Hash of the state to show, e.g. `"system=statbez&indicator=child_poverty&year=2024&area=0206"` (default: the atlas's defaults). */
  state?: string;
  /** Whole page instead of the viewport (default false). */
  fullPage?: boolean;
}

/**
 * Starts the project's Chromium (`chromiumPath()`, `CHROMIUM_ARGS`, headless). The caller closes it.
 *
 * @example
 * const browser = await launchAtlasBrowser();
 * const m = await measureAtlasLoad("outputs/atlas", { browser, runs: 5 });
 * await browser.close();
 */
export async function launchAtlasBrowser(): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium }: typeof import("playwright-core") = require("playwright-core");
  try {
    return await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true });
  } catch (e) {
    throw new Error(`cannot start Chromium at ${chromiumPath()} (set KLEINRAUM_CHROMIUM): ${(e as Error).message.split("\n")[0]}`);
  }
}

/**
 * `file://` URL of an atlas's index page, with an optional state hash.
 *
 * @example
 * atlasUrl("outputs/atlas", "system=statbez&area=0101"); // "file:///…/outputs/atlas/index.html#system=statbez&area=0101"
 */
export function atlasUrl(dir: string, state?: string): string {
  return pathToFileURL(path.join(path.resolve(dir), "index.html")).href + (state ? `#${state.replace(/^#/, "")}` : "");
}

/**
 * A PNG screenshot of an atlas (opened from `file://` in headless Chromium, after the first
 * map is painted). The atlas must exist (see `buildAtlas`).
 *
 * @example
 * const png = await kr.atlasScreenshot(atlas.dir, { width: 1200, height: 900 });
 * tslab.display.png(png);
 */
export async function atlasScreenshot(dir: string, options: AtlasScreenshotOptions = {}): Promise<Buffer> {
  const browser = await launchAtlasBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, deviceScaleFactor: options.scale ?? 1, offline: true });
    const page = await context.newPage();
    await page.goto(atlasUrl(dir, options.state));
    await page.waitForSelector("html[data-kr-ready]", { timeout: 30000 });
    return await page.screenshot({ fullPage: options.fullPage ?? false, type: "png" });
  } finally {
    await browser.close();
  }
}

/** Result of {@link measureAtlasLoad}. */
export interface AtlasLoadMeasurement {
  /** Files the page loaded up to the first map, with their size in bytes. */
  files: { file: string; bytes: number }[];
  /** Total bytes of those files (the transfer size from a web server without compression). */
  bytes: number;
  /** Navigation start → first map drawn (performance mark `kr-map-drawn`), ms. */
  mapDrawnMs: number;
  /** Navigation start → first map painted (two animation frames later, `kr-map-painted`), ms. */
  mapPaintedMs: number;
  /** Navigation start → atlas.js starts (HTML and CSS parsed; browser overhead), ms. */
  scriptStartMs: number;
  /** Navigation start → the shown system's data file loaded, ms. */
  dataMs: number;
  /** Number of areas drawn. */
  areas: number;
}

/**
 * Loads an atlas from `file://` in a fresh headless Chromium page and measures what the first
 * map needs: the files loaded (index.html, CSS, JS, the default system's data) with their
 * sizes, and the time from navigation start to the first map drawn and painted (performance
 * marks set by `atlas.js`). `runs` loads give the median time.
 *
 * @example
 * const m = await kr.measureAtlasLoad("outputs/atlas");
 * `${(m.bytes / 1024).toFixed(0)} KiB, first map after ${m.mapPaintedMs.toFixed(0)} ms`;
 */
export async function measureAtlasLoad(dir: string, options: { runs?: number; state?: string; browser?: Browser } = {}): Promise<AtlasLoadMeasurement> {
  const browser = options.browser ?? (await launchAtlasBrowser());
  const runs = options.runs ?? 1;
  try {
    const drawn: number[] = [], painted: number[] = [], started: number[] = [], loaded: number[] = [];
    let files: { file: string; bytes: number }[] = [];
    let areas = 0;
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
      const page = await context.newPage();
      const urls: string[] = [];
      page.on("request", (q) => urls.push(q.url()));
      await page.goto(atlasUrl(dir, options.state));
      await page.waitForSelector("html[data-kr-ready]", { timeout: 60000 });
      const t = await page.evaluate(() => ({
        drawn: performance.getEntriesByName("kr-map-drawn")[0]?.startTime ?? NaN,
        painted: performance.getEntriesByName("kr-map-painted")[0]?.startTime ?? NaN,
        started: performance.getEntriesByName("kr-start")[0]?.startTime ?? NaN,
        loaded: performance.getEntriesByName("kr-data")[0]?.startTime ?? NaN,
        areas: document.querySelectorAll("#kr-areas path").length,
      }));
      drawn.push(t.drawn); painted.push(t.painted); started.push(t.started); loaded.push(t.loaded); areas = t.areas;
      files = [...new Set(urls.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u.split("#")[0]!)))].map((f) => ({ file: path.relative(path.resolve(dir), f), bytes: statSync(f).size }));
      await context.close();
    }
    const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { files, bytes: files.reduce((a, f) => a + f.bytes, 0), mapDrawnMs: med(drawn), mapPaintedMs: med(painted), scriptStartMs: med(started), dataMs: med(loaded), areas };
  } finally {
    if (!options.browser) await browser.close();
  }
}
