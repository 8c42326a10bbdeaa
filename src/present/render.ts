/**
 * Renders plotly specs (`{ data, layout }`, plain JSON) to PNG and SVG in one reused headless
 * Chromium (playwright-core), offline.
 *
 * - The browser starts lazily on the first render, once per process, with its own temporary
 *   user-data-dir (removed on close) and the flags of STACK.md; every request leaves nothing:
 *   the page is built from strings and any network request is aborted.
 * - The plotly bundle (`plotly.js-dist-min`) is loaded once into one page on the first plotly
 *   render (printing HTML documents does not load it), after the
 *   `window.PlotlyGeoAssets` stub that stops `geo` traces from fetching `world_110m.json`.
 * - The browser is closed by {@link closeRenderer}, and at the latest when the process exits.
 *   A script that renders must call `closeRenderer()` at its end (an open browser keeps Node's
 *   event loop alive); notebooks need not (the kernel ends it).
 *
 * Chromium: `/usr/bin/chromium`, or the path in `KLEINRAUM_CHROMIUM`.
 */
import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";
import type { BrowserContext, Page } from "playwright-core";
import { pngWithText } from "../export/embed";

/** A plotly figure as plain JSON. */
export interface PlotlySpec {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Size of a rendered figure. */
export interface RenderOptions {
  /** Width in CSS pixels (default: `layout.width`, else 800). */
  width?: number;
  /** Height in CSS pixels (default: `layout.height`, else 500). */
  height?: number;
  /** Pixel ratio of PNGs (default 2; print at 300 dpi: scale ≈ 300/96 ≈ 3.1). */
  scale?: number;
}

/** Chromium flags that work on this kind of machine (STACK.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Path of the Chromium executable (`KLEINRAUM_CHROMIUM` or `/usr/bin/chromium`). */
export function chromiumPath(): string {
  return process.env.KLEINRAUM_CHROMIUM || "/usr/bin/chromium";
}

/** The offline stub for plotly's geo assets: an empty world topology, defined before plotly loads. */
export const PLOTLY_GEO_STUB =
  "window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: { world_110m: { type: 'Topology', arcs: [], objects: {} } } };";

let bundle: string | undefined;
/** The plotly browser bundle (read once per process). */
export function plotlyBundle(): string {
  if (bundle === undefined) bundle = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  return bundle;
}

interface BrowserState { context: BrowserContext; dir: string }
interface RendererState extends BrowserState { page: Page }
let state: Promise<BrowserState> | undefined;
// The first plotly page, loaded on the first plotly render only (HTML documents need no plotly).
let mainPage: Promise<Page> | undefined;
let exitHookSet = false;
let liveDir: string | undefined;

async function start(): Promise<BrowserState> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium }: typeof import("playwright-core") = require("playwright-core");
  const dir = mkdtempSync(path.join(os.tmpdir(), "kleinraum-chromium-"));
  liveDir = dir;
  if (!exitHookSet) {
    exitHookSet = true;
    // Playwright kills the browser it launched on exit; the profile folder is ours to remove.
    process.once("exit", () => { if (liveDir) rmSync(liveDir, { recursive: true, force: true }); });
  }
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true, offline: true });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    liveDir = undefined;
    throw new Error(`cannot start Chromium at ${chromiumPath()} (set KLEINRAUM_CHROMIUM): ${(e as Error).message.split("\n")[0]}`);
  }
  return { context, dir };
}

/** Prepares a page for plotly: no network, an empty document, the geo stub and the bundle. */
async function plotlyPage(page: Page): Promise<Page> {
  await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
  await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
  await page.addScriptTag({ content: PLOTLY_GEO_STUB });
  await page.addScriptTag({ content: plotlyBundle() });
  await page.waitForFunction(() => typeof (window as unknown as { Plotly?: unknown }).Plotly === "object");
  return page;
}

// Further plotly pages for large batches (renderFigureImages), created on first need.
let extraPages: Array<Promise<Page>> = [];

/** Number of plotly pages a large batch is spread over: `KLEINRAUM_RENDER_PAGES`, default min(2, cores). */
export function renderPageCount(): number {
  const env = Number(process.env.KLEINRAUM_RENDER_PAGES);
  if (Number.isInteger(env) && env >= 1 && env <= 8) return env;
  return Math.max(1, Math.min(2, os.cpus().length));
}

async function batchPages(n: number): Promise<Page[]> {
  const { context, page } = await renderer();
  while (extraPages.length < n - 1) {
    const p = context.newPage().then(plotlyPage);
    p.catch(() => { extraPages = extraPages.filter((x) => x !== p); });
    extraPages.push(p);
  }
  return [page, ...(await Promise.all(extraPages.slice(0, n - 1)))];
}

function browser(): Promise<BrowserState> {
  if (!state) {
    state = start();
    state.catch(() => { state = undefined; });
  }
  return state;
}

/** The browser with its first plotly page (the bundle is loaded on first use, ≈ 1.5–5 s). */
async function renderer(): Promise<RendererState> {
  const b = await browser();
  if (!mainPage) {
    mainPage = (async () => plotlyPage(b.context.pages()[0] ?? (await b.context.newPage())))();
    mainPage.catch(() => { mainPage = undefined; });
  }
  return { ...b, page: await mainPage };
}

function sizeOf(spec: PlotlySpec, options: RenderOptions): { width: number; height: number } {
  const width = options.width ?? (typeof spec.layout.width === "number" ? spec.layout.width : 800);
  const height = options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 500);
  return { width, height };
}

async function toImage(spec: PlotlySpec, format: "png" | "svg", options: RenderOptions): Promise<string> {
  const { page } = await renderer();
  const { width, height } = sizeOf(spec, options);
  const scale = format === "png" ? options.scale ?? 2 : 1;
  const fig = { data: spec.data, layout: { ...spec.layout, width, height }, config: { ...(spec.config ?? {}), staticPlot: true } };
  // The figure as one JSON string (playwright's argument serialiser is slow for big maps).
  return page.evaluate(
    async ({ json, format, width, height, scale }) => {
      const P = (window as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
      return P.toImage(JSON.parse(json), { format, width, height, scale });
    },
    { json: JSON.stringify(fig), format, width, height, scale },
  );
}

/**
 * Renders a spec to PNG bytes. The figure's protection state (`layout.meta.krProtection`, set
 * by the figure builders) is written as PNG text `kr-protection` (and `kr-protection-reason`),
 * where the export guard (`writeOutput`) looks for it.
 *
 * @example
 * const png = await renderPng(choroplethFigure(...), { width: 800, height: 600, scale: 2 });
 * writeOutput("09-index", "karte.png", png);
 */
export async function renderPng(spec: PlotlySpec, options: RenderOptions = {}): Promise<Buffer> {
  const url = await toImage(spec, "png", options);
  return markRenderedPng(Buffer.from(url.slice(url.indexOf(",") + 1), "base64"), spec);
}

/**
 * Renders a spec to an SVG document (text).
 *
 * @example
 * writeOutput("09-index", "karte.svg", await renderSvg(spec));
 */
export async function renderSvg(spec: PlotlySpec, options: RenderOptions = {}): Promise<string> {
  const url = await toImage(spec, "svg", options);
  const body = url.slice(url.indexOf(",") + 1);
  const svg = url.slice(0, url.indexOf(",")).endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
  // The protection state of the figure (layout.meta, set by the figure builders) on the root
  // element, where the export guard (writeOutput) looks for it.
  return markRenderedSvg(svg, spec);
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One figure for {@link renderFigureImages}. */
export interface FigureImageRequest {
  spec: PlotlySpec;
  /** Layout size in CSS pixels (default: the spec's layout, else 800 × 500). */
  width?: number;
  height?: number;
  /** Formats to produce (default `["png"]`). */
  formats?: Array<"png" | "svg">;
  /** PNG size in pixels, exactly (default: width × height × 2). The figure is drawn at its CSS size and scaled. */
  pixelWidth?: number;
  pixelHeight?: number;
}

/** What {@link renderFigureImages} returns per figure: PNG bytes and/or SVG text. */
export interface FigureImages {
  png?: Buffer;
  svg?: string;
}

/**
 * The in-page batch renderer (plain JavaScript, installed once per page: code passed to
 * `page.evaluate` as a function would carry the transpiler's helpers, e.g. tsx's `__name`).
 */
const BATCH_SCRIPT = `window.__krBatch = async function (figs) {
  var Plotly = window.Plotly;
  var gd = document.getElementById("kr-batch");
  if (!gd) {
    gd = document.createElement("div");
    gd.id = "kr-batch";
    gd.style.position = "absolute"; gd.style.left = "-12000px"; gd.style.top = "0";
    document.body.appendChild(gd);
  }
  function raster(svg, pw, ph) {
    var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
    var img = new Image();
    img.src = url;
    return img.decode().then(function () {
      var canvas = document.createElement("canvas");
      canvas.width = pw; canvas.height = ph;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, pw, ph);
      ctx.drawImage(img, 0, 0, pw, ph);
      URL.revokeObjectURL(url);
      return new Promise(function (ok, fail) { canvas.toBlob(function (b) { b ? ok(b) : fail(new Error("canvas.toBlob failed")); }, "image/png"); });
    }).then(function (blob) {
      return new Promise(function (ok, fail) {
        var r = new FileReader();
        r.onload = function () { ok(String(r.result)); };
        r.onerror = function () { fail(r.error); };
        r.readAsDataURL(blob);
      });
    });
  }
  var results = [];
  for (var i = 0; i < figs.length; i++) {
    var f = figs[i];
    gd.style.width = f.layout.width + "px"; gd.style.height = f.layout.height + "px";
    await Plotly.newPlot(gd, f.data, f.layout, f.config);
    var svg = Plotly.Snapshot.toSVG(gd);
    var png = f.png ? raster(svg, f.pw, f.ph) : undefined;
    if (png) png.catch(function () {});
    results.push({ svg: f.svg ? svg : undefined, png: png });
  }
  Plotly.purge(gd);
  var out = [];
  for (var j = 0; j < results.length; j++) out.push({ svg: results[j].svg, png: results[j].png ? await results[j].png : undefined });
  return out;
};`;

const batchReady = new WeakSet<Page>();
async function ensureBatchScript(page: Page): Promise<void> {
  if (batchReady.has(page)) return;
  await page.addScriptTag({ content: BATCH_SCRIPT });
  batchReady.add(page);
}

/** Figures per `page.evaluate` (bounds the size of one message between Node and Chromium). */
const BATCH = 16;

/**
 * Renders many figures in one go on the shared plotly page: each figure is drawn into one
 * reused `<div>` (`Plotly.newPlot`, static), serialised with `Plotly.Snapshot.toSVG`, and
 * rasterised to PNG on a canvas of exactly `pixelWidth × pixelHeight` pixels with the PNG
 * encoded off the main thread (`canvas.toBlob`) while the next figure is drawn. One
 * `page.evaluate` per chunk of up to 16 figures; batches of 8 or more figures are spread over
 * {@link renderPageCount} pages (separate renderer processes; the second page loads plotly on
 * first use). The protection state of each spec is written as for
 * {@link renderPng} (PNG text) and {@link renderSvg} (`data-kr-protection`).
 *
 * @example
 * const out = await renderFigureImages(specs.map((spec) => ({ spec, formats: ["png"], pixelWidth: 1890, pixelHeight: 1181 })));
 * out[0].png; // Buffer, 1890 × 1181
 */
export async function renderFigureImages(requests: readonly FigureImageRequest[]): Promise<FigureImages[]> {
  const figs = requests.map((r) => {
    const { width, height } = sizeOf(r.spec, { width: r.width, height: r.height });
    const formats = r.formats ?? ["png"];
    return {
      data: r.spec.data, layout: { ...r.spec.layout, width, height }, config: { ...(r.spec.config ?? {}), staticPlot: true },
      svg: formats.includes("svg"), png: formats.includes("png"),
      pw: Math.round(r.pixelWidth ?? width * 2), ph: Math.round(r.pixelHeight ?? height * 2),
    };
  });
  for (const f of figs) if (!(f.pw > 0 && f.ph > 0 && f.pw <= 20000 && f.ph <= 20000)) throw new Error(`invalid PNG size ${f.pw} × ${f.ph} px (expected 1–20000)`);
  if (!figs.length) return [];
  // Large batches are spread over several pages (renderer processes), chunk by chunk.
  const pages = await batchPages(figs.length >= 8 ? renderPageCount() : 1);
  const size = Math.max(1, Math.min(BATCH, Math.ceil(figs.length / pages.length)));
  const chunks: number[] = [];
  for (let at = 0; at < figs.length; at += size) chunks.push(at);
  const raw: Array<{ svg?: string; png?: string }> = new Array(figs.length);
  let next = 0;
  await Promise.all(pages.map(async (page) => {
    await ensureBatchScript(page);
    while (next < chunks.length) {
      const at = chunks[next++]!;
      // One JSON string: playwright's argument serialiser walks every value and is slow for the
      // thousands of coordinates of a map; JSON.parse in the page is not.
      const res = await page.evaluate((json) => (window as unknown as { __krBatch(f: unknown): Promise<Array<{ svg?: string; png?: string }>> }).__krBatch(JSON.parse(json)), JSON.stringify(figs.slice(at, at + size)));
      res.forEach((r, i) => { raw[at + i] = r; });
    }
  }));
  return raw.map((r, i) => {
    const spec = requests[i]!.spec;
    return {
      ...(r.png !== undefined ? { png: markRenderedPng(Buffer.from(r.png.slice(r.png.indexOf(",") + 1), "base64"), spec) } : {}),
      ...(r.svg !== undefined ? { svg: markRenderedSvg(r.svg, spec) } : {}),
    };
  });
}

/** The protection state of a spec (`layout.meta`), if it has a valid one. */
function protectionOfSpec(spec: PlotlySpec): { krProtection: "geschuetzt" | "ohne-schutz"; krProtectionReason?: string } | undefined {
  const meta = (spec.layout.meta ?? {}) as { krProtection?: string; krProtectionReason?: string };
  if (meta.krProtection !== "geschuetzt" && meta.krProtection !== "ohne-schutz") return undefined;
  return { krProtection: meta.krProtection, ...(meta.krProtectionReason ? { krProtectionReason: meta.krProtectionReason } : {}) };
}

function markRenderedPng(png: Buffer, spec: PlotlySpec): Buffer {
  const p = protectionOfSpec(spec);
  if (!p) return png;
  return pngWithText(png, { "kr-protection": p.krProtection, ...(p.krProtectionReason ? { "kr-protection-reason": p.krProtectionReason } : {}) });
}

function markRenderedSvg(svg: string, spec: PlotlySpec): string {
  const p = protectionOfSpec(spec);
  if (!p) return svg;
  const attrs = ` data-kr-protection="${p.krProtection}"${p.krProtectionReason ? ` data-kr-protection-reason="${escapeAttr(p.krProtectionReason)}"` : ""}`;
  return svg.replace(/<svg\b/, `<svg${attrs}`);
}

/** Options of {@link renderHtmlPdf}. */
export interface HtmlPdfOptions {
  /** Page width in mm (default 210, A4). */
  widthMm?: number;
  /** Page height in mm (default 297, A4). */
  heightMm?: number;
  /** Page margins in mm (default 0: the document sets its own with CSS). */
  marginMm?: number;
  /** Pages to print, e.g. `"1"` or `"1-3"` (default: all). */
  pageRanges?: string;
}

/** Options of {@link renderHtmlPng}. */
export interface HtmlPngOptions {
  /** Viewport width in CSS pixels (default 800). */
  width?: number;
  /** Viewport height in CSS pixels (default 600); with `fullPage` the whole document. */
  height?: number;
  /** Pixel ratio (default 2; 300 dpi ≈ 3.125). */
  scale?: number;
  /** Capture the whole scrollable page (default true). */
  fullPage?: boolean;
}

// One page for HTML documents beside the plotly page; calls are queued (one document at a time).
let htmlPage: Promise<Page> | undefined;
let htmlQueue: Promise<unknown> = Promise.resolve();

async function documentPage(): Promise<Page> {
  if (!htmlPage) {
    htmlPage = browser().then(async ({ context }) => {
      const page = await context.newPage();
      await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
      return page;
    });
    htmlPage.catch(() => { htmlPage = undefined; });
  }
  return htmlPage;
}

function queued<T>(task: (page: Page) => Promise<T>): Promise<T> {
  const run = htmlQueue.then(async () => task(await documentPage()));
  htmlQueue = run.catch(() => undefined);
  return run;
}

/**
 * Prints a self-contained HTML document (inline CSS, SVG, images as data: URLs — any network
 * request is aborted) to PDF in the shared Chromium. Reuses one page; concurrent calls are
 * queued.
 *
 * @example
 * const pdf = await renderHtmlPdf("<!doctype html><title>Profil</title><h1>Mitte</h1>");
 * writeFileAtomic("outputs/profil.pdf", pdf);
 */
export function renderHtmlPdf(html: string, options: HtmlPdfOptions = {}): Promise<Buffer> {
  const m = `${options.marginMm ?? 0}mm`;
  return queued(async (page) => {
    await page.setContent(html, { waitUntil: "load" });
    return page.pdf({ width: `${options.widthMm ?? 210}mm`, height: `${options.heightMm ?? 297}mm`, printBackground: true, margin: { top: m, right: m, bottom: m, left: m }, ...(options.pageRanges ? { pageRanges: options.pageRanges } : {}) });
  });
}

/**
 * Screenshots a self-contained HTML document to PNG in the shared Chromium (see {@link renderHtmlPdf}).
 *
 * @example
 * const png = await renderHtmlPng("<!doctype html><h1>Mitte</h1>", { width: 800, scale: 2 });
 */
export function renderHtmlPng(html: string, options: HtmlPngOptions = {}): Promise<Buffer> {
  return queued(async (page) => {
    const scale = options.scale ?? 2;
    // The shared context has device scale 1: scale the viewport and zoom the document instead
    // (vector content, text and SVG stay sharp).
    await page.setViewportSize({ width: Math.round((options.width ?? 800) * scale), height: Math.round((options.height ?? 600) * scale) });
    await page.setContent(html, { waitUntil: "load" });
    await page.evaluate((z) => { document.documentElement.style.setProperty("zoom", String(z)); }, scale);
    return page.screenshot({ fullPage: options.fullPage ?? true, type: "png" });
  });
}

/** Closes the shared browser (if started) and removes its profile folder. Safe to call twice. */
export async function closeRenderer(): Promise<void> {
  const s = state;
  state = undefined;
  htmlPage = undefined;
  mainPage = undefined;
  extraPages = [];
  if (!s) return;
  const r = await s.catch(() => undefined);
  if (!r) return;
  await r.context.close().catch(() => undefined);
  rmSync(r.dir, { recursive: true, force: true });
  if (liveDir === r.dir) liveDir = undefined;
}
