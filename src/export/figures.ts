/**
 * Print-ready figure files from plotly specs: PNG at a given resolution, SVG and PDF at an exact
 * size in millimetres, and a self-contained interactive HTML file that works offline — each with
 * title, source, definitions and protection notes as the figure builders put them into the
 * layout, provenance inside the file where the format allows, and an entry in the notebook's
 * export manifest.
 *
 * Rendering uses the one shared headless Chromium of `present/render` ({@link exportFigures}
 * renders many figures per round trip).
 */
import * as path from "path";
import type { Dataset } from "../project/config";
import { plotlyBundleHtml, figureHtml } from "../present/display";
import { renderFigureImages, renderHtmlPdf, type FigureImages, type PlotlySpec } from "../present/render";
import { pdfWithInfo, pngWithText, splitPdfPages, svgWithMetadata, type PdfInfo } from "./embed";
import { writeOutput } from "./files";
import { activeProvenance, datasetProvenance, embeddedProvenance, recordExport, type DatasetProvenance, type ExportProtection } from "./provenance";

/** Formats {@link exportFigure} writes. */
export type FigureFormat = "png" | "svg" | "pdf" | "html";

/** All formats, in the order written. */
export const FIGURE_FORMATS: readonly FigureFormat[] = ["png", "svg", "pdf", "html"];

/** Options of {@link exportFigure}; every field has a default. */
export interface FigureExportOptions {
  /** Formats to write (default all four: png, svg, pdf, html). */
  formats?: FigureFormat[];
  /** Printed width in mm (default 160). */
  widthMm?: number;
  /** Printed height in mm (default 100). */
  heightMm?: number;
  /** PNG resolution in dots per inch (default 300): the PNG has exactly round(mm / 25.4 × dpi) pixels each way. */
  dpi?: number;
  /**
   * Width in CSS pixels at which the figure is laid out (default: the spec's `layout.width`, else
   * 820); the layout height follows the mm aspect ratio. The drawing is then scaled to the
   * printed size, so fonts print at `fontSize × widthMm / (layoutWidth × 0.2646)` mm.
   */
  layoutWidth?: number;
  /** Dataset (or its provenance) the figure shows; recorded in the manifest and the files (default: the active configuration's provenance). */
  dataset?: Dataset | DatasetProvenance;
  /** Kind recorded in the manifest (default `"figure"`). */
  kind?: string;
  /** Title for file metadata (default: the figure's title). */
  title?: string;
}

/** One figure for {@link exportFigures}. */
export interface FigureExportItem {
  /** File name without extension (may contain sub-folders). */
  name: string;
  spec: PlotlySpec;
  options?: FigureExportOptions;
}

interface Resolved {
  name: string;
  spec: PlotlySpec;
  formats: FigureFormat[];
  widthMm: number;
  heightMm: number;
  dpi: number;
  cssW: number;
  cssH: number;
  pw: number;
  ph: number;
  title: string;
  notes: string[];
  protection: { state: "geschuetzt" } | { state: "ohne-schutz"; reason: string };
  provenance?: DatasetProvenance;
  kind: string;
}

function unescapeText(s: string): string {
  return s.replace(/<br\s*\/?>/gi, "\n").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/**
 * Title and footnote lines of a figure spec, as text (plotly's HTML subset removed).
 *
 * @example
 * figureText(spec); // { title: "Kinder in Bedarfsgemeinschaften 2024, …", notes: ["…", "Quelle: …"] }
 */
export function figureText(spec: PlotlySpec): { title: string; notes: string[]; source?: string } {
  const t = spec.layout.title as { text?: unknown } | string | undefined;
  const title = unescapeText(typeof t === "string" ? t : typeof t?.text === "string" ? t.text : "").replace(/\n/g, " ").trim();
  const anns = (spec.layout.annotations as Array<{ name?: string; text?: unknown }> | undefined) ?? [];
  const noteText = anns.filter((a) => a.name === "notes" && typeof a.text === "string").map((a) => unescapeText(a.text as string)).join("\n");
  // wrapped lines are joined back into sentences: a new line starts where the previous one ended a sentence
  const lines: string[] = [];
  for (const l of noteText.split("\n").map((x) => x.trim()).filter(Boolean)) {
    const prev = lines[lines.length - 1];
    if (prev !== undefined && !/[.!?:)]$/.test(prev) && !/^(Quelle|Stand|Stichtag)\b/.test(l)) lines[lines.length - 1] = `${prev} ${l}`;
    else lines.push(l);
  }
  const source = lines.find((l) => l.startsWith("Quelle:"));
  return { title, notes: lines, ...(source ? { source } : {}) };
}

function positive(x: number | undefined, def: number, what: string, fig: string): number {
  const v = x ?? def;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Error(`exportFigure ${JSON.stringify(fig)}: invalid ${what} ${JSON.stringify(x)} (expected a positive number)`);
  return v;
}

function resolve(name: string, spec: PlotlySpec, options: FigureExportOptions = {}): Resolved {
  if (typeof name !== "string" || !name.trim()) throw new Error(`exportFigure: invalid name ${JSON.stringify(name)} (expected a file name without extension)`);
  if (/\.(png|svg|pdf|html?)$/i.test(name)) throw new Error(`exportFigure ${JSON.stringify(name)}: give the name without extension (formats are chosen with options.formats)`);
  if (!spec || typeof spec !== "object" || !Array.isArray(spec.data) || typeof spec.layout !== "object" || spec.layout === null) {
    throw new Error(`exportFigure ${JSON.stringify(name)}: expected a plotly spec { data: [...], layout: {...} } from a kr figure builder`);
  }
  const meta = (spec.layout.meta ?? {}) as { krProtection?: unknown; krProtectionReason?: unknown };
  let protection: Resolved["protection"];
  if (meta.krProtection === "geschuetzt") protection = { state: "geschuetzt" };
  else if (meta.krProtection === "ohne-schutz" && typeof meta.krProtectionReason === "string" && meta.krProtectionReason.trim()) protection = { state: "ohne-schutz", reason: meta.krProtectionReason.trim() };
  else {
    throw new Error(`exportFigure ${JSON.stringify(name)}: refusing to export a figure without small-number protection: layout.meta.krProtection is ${JSON.stringify(meta.krProtection)} (expected "geschuetzt", or "ohne-schutz" with layout.meta.krProtectionReason); build it with a kr figure builder and protection: kr.protectedIndicatorsFor(ds, system), or { unprotected: "why" }`);
  }
  const formats = options.formats ?? [...FIGURE_FORMATS];
  if (!Array.isArray(formats) || !formats.length || formats.some((f) => !FIGURE_FORMATS.includes(f))) {
    throw new Error(`exportFigure ${JSON.stringify(name)}: invalid formats ${JSON.stringify(options.formats)} (expected some of ${FIGURE_FORMATS.join(", ")})`);
  }
  const widthMm = positive(options.widthMm, 160, "widthMm", name);
  const heightMm = positive(options.heightMm, 100, "heightMm", name);
  const dpi = positive(options.dpi, 300, "dpi", name);
  const cssW = Math.round(positive(options.layoutWidth, typeof spec.layout.width === "number" ? spec.layout.width : 820, "layoutWidth", name));
  const cssH = Math.round((cssW * heightMm) / widthMm);
  const text = figureText(spec);
  const ds = options.dataset;
  const provenance = ds === undefined ? activeProvenance() : "configHash" in ds ? ds : datasetProvenance(ds);
  return {
    name, spec, formats: [...new Set(formats)], widthMm, heightMm, dpi, cssW, cssH,
    pw: Math.round((widthMm / 25.4) * dpi), ph: Math.round((heightMm / 25.4) * dpi),
    title: options.title ?? text.title, notes: text.notes, protection, provenance, kind: options.kind ?? "figure",
  };
}

function protectionLine(r: Resolved): string {
  return r.protection.state === "geschuetzt" ? "geschuetzt" : `ohne-schutz: ${r.protection.reason}`;
}

function provenanceJson(r: Resolved): string {
  return JSON.stringify(embeddedProvenance(r.provenance));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The SVG at its printed size (width/height in mm, viewBox in layout pixels) with metadata. */
function printSvg(svg: string, r: Resolved): string {
  const sized = svg.replace(/<svg\b[^>]*>/, (tag) => {
    let t = tag.replace(/\swidth="[^"]*"/, "").replace(/\sheight="[^"]*"/, "").replace(/\sviewBox="[^"]*"/, "");
    t = t.replace(/^<svg\b/, `<svg width="${r.widthMm}mm" height="${r.heightMm}mm" viewBox="0 0 ${r.cssW} ${r.cssH}" preserveAspectRatio="xMidYMid meet"`);
    return t;
  });
  return svgWithMetadata(sized, {
    title: r.title,
    description: r.notes.join(" "),
    fields: {
      "kr-protection": r.protection.state,
      ...(r.protection.state === "ohne-schutz" ? { "kr-protection-reason": r.protection.reason } : {}),
      "kr-provenance": provenanceJson(r),
    },
  });
}

/** One page per SVG, all of the same size (`r` gives it), for one Chromium print. */
function pdfHtml(svgs: string[], r: Resolved): string {
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>@page{size:${r.widthMm}mm ${r.heightMm}mm;margin:0}html,body{margin:0;padding:0}
.p{width:${r.widthMm}mm;height:${r.heightMm}mm;overflow:hidden;break-after:page}.p:last-child{break-after:auto}svg{display:block}</style></head>
<body>${svgs.map((svg) => `<div class="p">${svg}</div>`).join("")}</body></html>`;
}

function pdfInfo(r: Resolved): PdfInfo {
  return {
    title: r.title, subject: r.notes.join(" "), creator: "kleinraum (Chromium)", protection: r.protection.state,
    pageSizeMm: { width: r.widthMm, height: r.heightMm },
    keywords: [`kr-protection=${protectionLine(r)}`, `kr-provenance=${provenanceJson(r)}`],
  };
}

/** Figures per Chromium print when PDFs are made in a batch. */
const PDF_BATCH = 32;

/**
 * PDFs of the items that want one: figures of the same size are printed together (one page
 * each, up to {@link PDF_BATCH} per print) and split with pdf-lib; a print that does not give
 * one page per figure falls back to one print per figure.
 */
async function makePdfs(items: Resolved[], svgs: Array<string | undefined>): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  const groups = new Map<string, number[]>();
  items.forEach((r, i) => {
    if (!r.formats.includes("pdf")) return;
    const key = `${r.widthMm}x${r.heightMm}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  for (const idx of groups.values()) {
    for (let at = 0; at < idx.length; at += PDF_BATCH) {
      const part = idx.slice(at, at + PDF_BATCH);
      const first = items[part[0]!]!;
      const raw = await renderHtmlPdf(pdfHtml(part.map((i) => svgs[i]!), first), { widthMm: first.widthMm, heightMm: first.heightMm, marginMm: 0 });
      let pdfs: Buffer[];
      try {
        pdfs = await splitPdfPages(raw, part.map((i) => pdfInfo(items[i]!)));
      } catch {
        pdfs = [];
        for (const i of part) {
          const one = await renderHtmlPdf(pdfHtml([svgs[i]!], items[i]!), { widthMm: items[i]!.widthMm, heightMm: items[i]!.heightMm, marginMm: 0, pageRanges: "1" });
          pdfs.push(await pdfWithInfo(one, pdfInfo(items[i]!)));
        }
      }
      part.forEach((i, n) => out.set(i, pdfs[n]!));
    }
  }
  return out;
}

/**
 * The interactive figure as one self-contained HTML file: the plotly bundle inline (with the
 * offline geo-assets stub, no CDN, no network), title, notes and protection/provenance as
 * `<meta>` tags, the figure at its layout size.
 *
 * @example
 * writeOutput("06-foerderantrag", "karte.html", figureDocument(spec));
 */
export function figureDocument(spec: PlotlySpec, options: Pick<FigureExportOptions, "layoutWidth" | "widthMm" | "heightMm" | "dataset" | "title"> = {}): string {
  return htmlDocument(resolve("abbildung", spec, { ...options, formats: ["html"] }));
}

function htmlDocument(r: Resolved): string {
  const metas = [
    ["description", r.notes.join(" ")],
    ["kr-protection", r.protection.state],
    ...(r.protection.state === "ohne-schutz" ? [["kr-protection-reason", r.protection.reason]] : []),
    ["kr-provenance", provenanceJson(r)],
    ["generator", "kleinraum"],
  ];
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8">
${metas.map(([k, v]) => `<meta name="${k}" content="${escapeHtml(v!)}">`).join("\n")}
<title>${escapeHtml(r.title || r.name)}</title>
<style>body{margin:16px;font-family:Arial,Helvetica,sans-serif;background:#fff}</style>
</head><body>
${plotlyBundleHtml()}
${figureHtml(r.spec, { id: "kr-figure", width: r.cssW, height: r.cssH, hideStatic: false })}
<noscript><p>${escapeHtml(r.title)} – die interaktive Abbildung braucht JavaScript.</p></noscript>
</body></html>
`;
}

function exportProtection(r: Resolved): ExportProtection {
  return r.protection.state === "geschuetzt" ? { state: "geschuetzt" } : { state: "ohne-schutz", reason: r.protection.reason };
}

async function writeAll(notebook: string, items: Resolved[]): Promise<string[][]> {
  // Only figures that need a PNG or an SVG (also for the PDF) are drawn in Chromium.
  const wants = items.map((r) => [...(r.formats.includes("png") ? ["png" as const] : []), ...(r.formats.some((f) => f === "svg" || f === "pdf") ? ["svg" as const] : [])]);
  const drawn = items.map((_, i) => i).filter((i) => wants[i]!.length);
  const images = await renderFigureImages(drawn.map((i) => ({ spec: items[i]!.spec, width: items[i]!.cssW, height: items[i]!.cssH, pixelWidth: items[i]!.pw, pixelHeight: items[i]!.ph, formats: wants[i]! })));
  const raster: FigureImages[] = items.map(() => ({}));
  drawn.forEach((i, n) => { raster[i] = images[n]!; });
  const svgs = items.map((r, i) => (raster[i]!.svg !== undefined ? printSvg(raster[i]!.svg!, r) : undefined));
  const pdfs = await makePdfs(items, svgs);
  const out: string[][] = [];
  for (let i = 0; i < items.length; i++) {
    const r = items[i]!;
    const img = raster[i]!;
    const written: string[] = [];
    const record = (file: string, content: string | Uint8Array) => {
      recordExport(notebook, { file, content, kind: r.kind, title: r.title, protection: exportProtection(r), dataset: r.provenance });
      written.push(file);
    };
    const svg = svgs[i];
    for (const format of r.formats) {
      const file = `${r.name}.${format}`;
      if (format === "png") {
        const png = pngWithText(img.png!, {
          Title: r.title, ...(figureText(r.spec).source ? { Source: figureText(r.spec).source! } : {}), Description: r.notes.join(" "),
          Software: "kleinraum", "kr-protection": r.protection.state,
          ...(r.protection.state === "ohne-schutz" ? { "kr-protection-reason": r.protection.reason } : {}),
          "kr-provenance": provenanceJson(r),
        }, { dpi: r.dpi });
        record(writeOutput(notebook, file, png), png);
      } else if (format === "svg") {
        record(writeOutput(notebook, file, svg!), svg!);
      } else if (format === "pdf") {
        const pdf = pdfs.get(i)!;
        record(writeOutput(notebook, file, pdf), pdf);
      } else {
        const html = htmlDocument(r);
        record(writeOutput(notebook, file, html), html);
      }
    }
    out.push(written);
  }
  return out;
}

/**
 * Writes a figure as `outputs/<notebook>/<name>.{png,svg,pdf,html}` (see {@link FigureExportOptions}
 * for size, resolution and formats) and records each file in the notebook's manifest. Refuses
 * specs without a protection state (`layout.meta.krProtection` "geschuetzt", or "ohne-schutz"
 * with a reason). Returns the written paths in format order.
 *
 * - PNG: exactly round(mm / 25.4 × dpi) pixels, `pHYs` resolution, text chunks Title, Source,
 *   Description, kr-protection, kr-provenance (commit, config hash, dataset id, date).
 * - SVG: width/height in mm, `<title>` and `<metadata>` with the same fields.
 * - PDF: one page of exactly the figure size, vector (Chromium prints the SVG), document
 *   information Title, Subject (notes), Keywords (protection, provenance), Producer.
 * - HTML: interactive, self-contained, offline (inline plotly bundle), `<meta>` tags.
 *
 * @example
 * const p = kr.protectedIndicatorsFor(ds, "statbez");
 * await kr.exportFigure("06-foerderantrag", "kinderarmut", kr.indicatorChoropleth(ds.areaSystems.get("statbez")!, p.result, "child_poverty", { protection: p, source: p.source }), { widthMm: 160, heightMm: 110 });
 */
export async function exportFigure(notebook: string, name: string, spec: PlotlySpec, options: FigureExportOptions = {}): Promise<string[]> {
  return (await writeAll(notebook, [resolve(name, spec, options)]))[0]!;
}

/**
 * Writes many figures like {@link exportFigure}, rendering their PNGs and SVGs together on the
 * shared Chromium page (one round trip per 16 figures). Every spec is checked before anything
 * is written. Returns the written paths per item.
 *
 * @example
 * await kr.exportFigures("07-atlas", ids.map((id) => ({ name: `karte-${id}`, spec: kr.indicatorChoropleth(sys, p.result, id, { protection: p }), options: { formats: ["png"] } })));
 */
export async function exportFigures(notebook: string, items: readonly FigureExportItem[]): Promise<string[][]> {
  if (!Array.isArray(items)) throw new Error(`exportFigures: expected an array of { name, spec, options }`);
  const resolved = items.map((it, i) => {
    if (!it || typeof it !== "object") throw new Error(`exportFigures: item ${i} is not an object (expected { name, spec, options })`);
    return resolve(it.name, it.spec, it.options);
  });
  const names = new Set<string>();
  for (const r of resolved) {
    const key = path.normalize(r.name);
    if (names.has(key)) throw new Error(`exportFigures: the name ${JSON.stringify(r.name)} is given twice`);
    names.add(key);
  }
  return writeAll(notebook, resolved);
}
