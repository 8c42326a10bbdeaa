/**
 * Figures in notebooks (tslab): {@link showFigure} shows a plotly spec twice over —
 *
 * 1. a static PNG rendered in headless Chromium (`image/png` output), which every view shows:
 *    untrusted notebooks, classic Notebook, JupyterLab, nbconvert HTML, GitHub;
 * 2. the interactive plotly figure (`text/html` output: a `<div>` and a small script), which
 *    runs where scripts run (trusted notebooks, nbconvert HTML). Once it has drawn, the script
 *    hides the static PNG just above it, so a view shows one figure, not two.
 *
 * The plotly bundle (with the offline `PlotlyGeoAssets` stub) goes into the notebook once per
 * kernel, inline in the first figure's output (no CDN, no network). Where the bundle is not on
 * the page (a later cell re-run after reloading the page), the interactive part stays empty
 * and the static PNG stays visible; `showPlotlyBundle()` puts the bundle on the page again.
 */
import { randomBytes } from "crypto";
import { plotlyBundle, PLOTLY_GEO_STUB, renderPng, type PlotlySpec } from "./render";

/** Options of {@link showFigure}. */
export interface ShowFigureOptions {
  /** Size in CSS pixels (default: the spec's layout, else 800 × 500). */
  width?: number;
  height?: number;
  /** Pixel ratio of the static PNG (default 2; it is shown at CSS size). */
  scale?: number;
  /** `"fallback"` (default): the PNG is hidden once the interactive figure has drawn; `"both"`: keep both; `"static"`: PNG only; `"interactive"`: no PNG. */
  mode?: "fallback" | "both" | "static" | "interactive";
}

type DisplayWriter = (msg: { data: Record<string, string>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function writer(): DisplayWriter {
  // tslab's public `display` cannot attach metadata (the PNG's display size); its writer can.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: DisplayWriter | null };
  if (!jupyter.lastWriteDisplayData) throw new Error("showFigure: not running in a tslab kernel (use renderPng/renderSvg outside notebooks)");
  return jupyter.lastWriteDisplayData;
}

function sizeOf(spec: PlotlySpec, options: ShowFigureOptions): { width: number; height: number } {
  return {
    width: options.width ?? (typeof spec.layout.width === "number" ? spec.layout.width : 800),
    height: options.height ?? (typeof spec.layout.height === "number" ? spec.layout.height : 500),
  };
}

/** JSON safe inside an inline `<script>` (no `</script>`, no line separators). */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The plotly bundle as inline HTML: the geo-assets stub, then plotly.js in a function scope
 * where `module`, `exports` and `define` are undefined (so it sets `window.Plotly` also on pages
 * with require.js, such as classic Notebook). Loads only once per page.
 */
export function plotlyBundleHtml(): string {
  const code = plotlyBundle().replace(/<\/(script)/gi, "<\\/$1");
  return `<script>${PLOTLY_GEO_STUB}</script><script>if (!window.Plotly) { (function (module, exports, define) {\n${code}\n}).call(window); }</script>`;
}

/**
 * HTML of the interactive figure: an empty `<div>` (no size until plotly draws, so a view
 * without scripts shows nothing there) and a script that draws into it and then hides the
 * static PNG output right above (classic Notebook `.output_area`, JupyterLab / nbconvert
 * `.jp-OutputArea-child`).
 */
export function figureHtml(spec: PlotlySpec, options: { id?: string; width?: number; height?: number; hideStatic?: boolean } = {}): string {
  const id = options.id ?? `kr-fig-${randomBytes(6).toString("hex")}`;
  const { width, height } = sizeOf(spec, options);
  const fig = { data: spec.data, layout: { ...spec.layout, width, height }, config: spec.config ?? {} };
  return `<div id="${id}" class="kr-plotly"></div>
<script>(function () {
  var id = ${JSON.stringify(id)}, fig = ${scriptJson(fig)}, hide = ${options.hideStatic === false ? "false" : "true"}, tries = 0;
  function hideStatic(el) {
    if (!hide || !el.closest) return;
    var area = el.closest(".output_area, .jp-OutputArea-child");
    var prev = area && area.previousElementSibling;
    if (prev && prev.querySelector("img") && !prev.querySelector(".kr-plotly")) prev.style.display = "none";
  }
  function draw() {
    var el = document.getElementById(id);
    if (!el) return;
    if (!window.Plotly) { if (tries++ < 50) setTimeout(draw, 100); return; }
    el.style.width = fig.layout.width + "px"; el.style.height = fig.layout.height + "px";
    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () { hideStatic(el); }, function (e) { el.style.display = "none"; console.error(e); });
  }
  draw();
})();</script>`;
}

function injected(): boolean {
  return !!(globalThis as { __kleinraumPlotlyInjected?: boolean }).__kleinraumPlotlyInjected;
}
function markInjected(v: boolean): void {
  (globalThis as { __kleinraumPlotlyInjected?: boolean }).__kleinraumPlotlyInjected = v;
}

/** Puts the plotly bundle on the notebook page again (after reloading the page, before re-running single figure cells). */
export function showPlotlyBundle(): void {
  writer()({ data: { "text/html": plotlyBundleHtml(), "text/plain": "" }, metadata: {}, transient: {} }, false);
  markInjected(true);
}

/**
 * Shows a plotly figure in a tslab notebook: a static PNG (visible everywhere, also untrusted
 * and in nbconvert HTML) and the interactive figure (where scripts run), see the module notes.
 * Await it: `await kr.showFigure(fig);`.
 *
 * @example
 * await kr.showFigure(kr.indicatorChoropleth(system, result, "child_poverty", { protection: p }));
 */
export async function showFigure(spec: PlotlySpec, options: ShowFigureOptions = {}): Promise<void> {
  const write = writer();
  const mode = options.mode ?? "fallback";
  const { width, height } = sizeOf(spec, options);
  if (mode !== "interactive") {
    const png = await renderPng(spec, { width, height, scale: options.scale ?? 2 });
    write({ data: { "image/png": png.toString("base64"), "text/plain": `<Abbildung ${width} × ${height}>` }, metadata: { "image/png": { width, height } }, transient: {} }, false);
  }
  if (mode === "static") return;
  const bundle = injected() ? "" : plotlyBundleHtml();
  write({ data: { "text/html": bundle + figureHtml(spec, { width, height, hideStatic: mode === "fallback" }), "text/plain": "" }, metadata: {}, transient: {} }, false);
  markInjected(true);
}
