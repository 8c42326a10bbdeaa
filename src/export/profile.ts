/**
 * Area profiles ("Stadtteilsteckbriefe"): one A4 portrait print page per area as a
 * self-contained HTML document (inline CSS and SVG, no scripts, no external resources) —
 * title, locator map, key indicators against the city and the parent district with intervals
 * and significance, a spine chart, the four-year trend, reliability notes, table symbols,
 * definitions, protection rules and source — and the batch that writes HTML and PDF for every
 * area of a system.
 *
 * Everything shown is protected: values come from `protectedIndicatorsFor` (nested systems)
 * or `indicatorsVia(...).protected` (life-situation areas); a hidden cell shows its symbol,
 * never a value, and nothing derived from it (difference, interval, significance, position in
 * a chart) is shown either. The indicator table is a published table (`tableHtml`, marked
 * `class="kr-published"` with `data-kr-system`/`data-kr-year`), the drawings carry the
 * protection attributes of the project's maps.
 */
import * as path from "path";
import { resultIndex } from "../indicators/compute";
import { escapeHtml, formatNumber } from "../present/format";
import { renderHtmlPdf } from "../present/render";
import { ProtectionReason } from "../protect/apply";
import { publicReason } from "../protect/dataset";
import { Significance } from "../protect/intervals";
import { reliabilitySentence } from "../protect/sentence";
import { symbolFootnotes, type TableSymbol } from "../protect/symbols";
import { tableHtml, type PublishedTable } from "../protect/tables";
import { notebookOutputDir } from "../project/paths";
import { pdfWithInfo, splitPdfPages, type PdfInfo } from "./embed";
import { protectionProblem, safeFileName, writeFileAtomic } from "./files";
import { recordExport } from "./manifest";
import { datasetProvenance } from "./provenance";
import { profileContext, publishedCell, type ProfileContext, type ProfileDataOptions, type ProfileDataset } from "./profile-data";
import { locatorSvg, spineSvg, trendSvg } from "./profile-svg";

export { profileContext, publishedCell, locatorGeometry, PROFILE_INDICATORS, PROFILE_TREND_INDICATORS } from "./profile-data";
export type { ProfileContext, ProfileDataOptions, ProfileDataset, CellText, ProfileParent, ProfileIndicator, SpineRange, LocatorGeometry } from "./profile-data";
export { locatorSvg, spineSvg, trendSvg, PROFILE_COLOURS } from "./profile-svg";

/** Options of {@link areaProfileHtml}. */
export interface AreaProfileOptions extends ProfileDataOptions {
  /** A link back (e.g. to the atlas) shown above the title on screen, not in print (default none). */
  backLink?: { href: string; label: string };
  /** Heading above the area name (default `"Stadtteilsteckbrief"`). */
  heading?: string;
  /** Further footnotes (default none). */
  notes?: string[];
  /** Indicator of the reliability sentence (default: the first shown of child_poverty, minsec_rate, unemployment_rate, then the first share). */
  focusIndicator?: string;
}

/** Symbols explained on every profile (used or not): `–`, `.`, `/`, `( )`, `x`. */
export const PROFILE_SYMBOLS: readonly TableSymbol[] = ["–", ".", "/", "()", "x"];

/** Significance texts of the profile. */
export const PROFILE_SIGNIFICANCE_TEXT: Readonly<Record<number, string>> = {
  [Significance.None]: "",
  [Significance.Above]: "signifikant über dem Stadtwert",
  [Significance.Below]: "signifikant unter dem Stadtwert",
  [Significance.NotDifferent]: "kein signifikanter Unterschied",
};

const CSS = `
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: Arial, Helvetica, sans-serif; color: #111; font-size: 8.6pt; line-height: 1.25; background: #fff; }
.kr-page { width: 210mm; min-height: 296mm; padding: 8mm 10mm 4mm 10mm; position: relative; page-break-after: always; break-after: page; }
.kr-page:last-child { page-break-after: auto; break-after: auto; }
.kr-back { font-size: 9pt; margin: 0 0 2mm 0; }
.kr-back a { color: #0b5394; }
@media print { .kr-back { display: none; } }
header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #d55e00; padding-bottom: 1.5mm; margin-bottom: 2mm; }
header .kr-kicker { font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.06em; color: #555; }
header h1 { font-size: 16pt; margin: 0.3mm 0 0.5mm 0; }
header .kr-sub { font-size: 9pt; color: #333; }
.kr-top { display: flex; gap: 5mm; align-items: flex-start; margin-bottom: 2mm; }
.kr-facts { flex: 1; font-size: 8.6pt; }
.kr-facts table { border-collapse: collapse; width: 100%; }
.kr-facts td { padding: 0.6mm 1.5mm 0.6mm 0; vertical-align: top; border-bottom: 0.5px solid #e2e2e2; }
.kr-facts td:first-child { color: #444; width: 33%; }
.kr-legend { font-size: 7.6pt; color: #333; margin-top: 1.5mm; }
.kr-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; vertical-align: middle; margin: 0 2px 0 6px; }
h2 { font-size: 9.5pt; margin: 1.8mm 0 0.8mm 0; color: #222; }
.kr-published table { width: 100%; font-size: 7.6pt !important; }
.kr-published caption { display: none; }
.kr-published th { border-bottom: 1px solid #777; padding: 0.6mm 1mm; font-weight: bold; vertical-align: bottom; }
.kr-published td { padding: 0.25mm 1mm; border-bottom: 0.5px solid #e6e6e6; }
.kr-published tbody tr:nth-child(even) td { background: #f7f7f7; }
.kr-published td { white-space: nowrap; }
.kr-published td:nth-child(2) { white-space: normal; min-width: 50mm; }
.kr-published td:nth-child(n+3), .kr-published th:nth-child(n+3) { text-align: right !important; }
.kr-published td:nth-child(1), .kr-published th:nth-child(1) { color: #666; }
.kr-published td:last-child, .kr-published th:last-child { text-align: left !important; }
.kr-published .kr-table > div { display: none; }
.kr-notes { font-size: 6.2pt; color: #333; line-height: 1.15; margin-top: 1.5mm; border-top: 0.5px solid #999; padding-top: 1mm; column-count: 2; column-gap: 5mm; }
.kr-notes p { margin: 0 0 0.6mm 0; }
.kr-reliability { font-size: 8pt; background: #f3f3f3; border-left: 3px solid #d55e00; padding: 1mm 2mm; margin: 1.5mm 0 0 0; }
svg { display: block; }
`;

function cellIndex(ctx: ProfileContext, i: number, area: string, y = ctx.y): number {
  return resultIndex(ctx.p.result, i, ctx.p.result.areas.indexOf(area), y);
}

function focusOf(ctx: ProfileContext, wanted?: string): string | undefined {
  const shown = ctx.indicators.map((x) => x.def);
  if (wanted) {
    if (!shown.some((d) => d.id === wanted)) throw new Error(`invalid focusIndicator: ${JSON.stringify(wanted)} (shown: ${shown.map((d) => d.id).join(", ")})`);
    return wanted;
  }
  return ["child_poverty", "minsec_rate", "unemployment_rate"].find((id) => shown.some((d) => d.id === id)) ?? shown.find((d) => d.kind === "share" || d.kind === "ratio")?.id;
}

/**
 * The key indicators of one area as a published table: one row per indicator with the value
 * as published (symbol when hidden), the confidence interval, the city, the parent district,
 * the difference to the city and the significance class. Hidden cells show their symbol; their
 * interval, difference and significance stay empty.
 *
 * @example
 * tslab.display.html(tableHtml(profileTable(profileContext(ds, "statbez"), "0101")));
 */
export function profileTable(ctx: ProfileContext, area: string): PublishedTable & { symbols: Set<TableSymbol> } {
  const r = ctx.p.result;
  if (!r.areas.includes(area)) throw new Error(`invalid area: ${JSON.stringify(area)} (expected one of ${r.areas.slice(0, 8).join(", ")}${r.areas.length > 8 ? ", …" : ""})`);
  const Y = r.years.length;
  const used = new Set<TableSymbol>();
  const par = ctx.parent?.of.get(area);
  const pp = ctx.parent?.p;
  const py = pp ? pp.result.years.indexOf(ctx.year) : -1;
  const pa = pp && par ? pp.result.areas.indexOf(par.id) : -1;
  const parentCol = ctx.parent && par ? `${ctx.parent.names.get(par.id) || par.id}${ctx.parent.how === "residents" ? "¹" : ""}` : undefined;
  const conf = Math.round(ctx.p.rules.confidence * 100);
  const kiCol = `${conf}-%-KI`;
  const columns = ["Gebiet-ID", "Indikator", "Wert", kiCol, "Stadt", ...(parentCol ? [parentCol] : []), "Abstand zur Stadt", "Vergleich mit der Stadt"];
  const rows: Record<string, string | number>[] = [];
  for (const ind of ctx.indicators) {
    const { def, i } = ind;
    const k = cellIndex(ctx, i, area);
    const c = publishedCell(ctx.p, k, def.digits);
    if (c.symbol) used.add(c.symbol);
    const isRate = def.kind === "share" || def.kind === "ratio";
    const city = r.reference.value[i * Y + ctx.y]!;
    const f = (v: number) => (Number.isFinite(v) ? formatNumber(v, { digits: def.digits }) : (used.add("."), "."));
    let parentText = "";
    if (parentCol) {
      if (pp && ind.pi >= 0 && pa >= 0 && py >= 0) {
        const pc = publishedCell(pp, resultIndex(pp.result, ind.pi, pa, py), def.digits);
        if (pc.symbol) used.add(pc.symbol);
        parentText = pc.text;
      } else { parentText = "."; used.add("."); }
    }
    const lo = ctx.p.lo[k]!, hi = ctx.p.hi[k]!;
    rows.push({
      "Gebiet-ID": area,
      Indikator: def.kind === "count" ? def.label : `${def.label} (${def.unit})`,
      Wert: c.text,
      [kiCol]: !c.hidden && isRate && Number.isFinite(lo) && Number.isFinite(hi) ? `${formatNumber(lo, { digits: def.digits })} – ${formatNumber(hi, { digits: def.digits })}` : "",
      Stadt: f(city),
      ...(parentCol ? { [parentCol]: parentText } : {}),
      "Abstand zur Stadt": c.hidden || def.kind === "count" || !Number.isFinite(city) ? "" : signed(r.value[k]! - city, def.digits),
      "Vergleich mit der Stadt": c.hidden || !isRate ? "" : PROFILE_SIGNIFICANCE_TEXT[ctx.p.significance[k] ?? 0] ?? "",
    });
  }
  return {
    rows, columns, digits: {}, caption: `Kennzahlen ${ctx.names.get(area) || area} (${area}), ${ctx.year}`,
    // Shown under the table in notebooks and written into exports; the profile page prints its own notes.
    notes: [
      ...ctx.indicators.map((x) => x.def.footnote), ...symbolFootnotes(used),
      `${conf}-%-KI: Konfidenzintervall (${ctx.p.rules.intervalMethod === "wilson" ? "Wilson" : "Clopper-Pearson"}); „signifikant über/unter dem Stadtwert“, wenn das Intervall den Stadtwert nicht enthält; Abstand zur Stadt bei Anteilen in Prozentpunkten.`,
      ...(parentCol && ctx.parent?.how === "residents" && par ? [`¹ Gebiet der Ebene „${ctx.parent.label}“, in dem die meisten Einwohner des Gebiets leben (${formatNumber(par.share * 100, { digits: 0 })} %); die Gebiete der Ebene „${ctx.sys.label}“ liegen quer zu den Bezirksgrenzen.`] : []),
      ...(!ctx.parent && ctx.noParentNote ? [ctx.noParentNote] : []),
      ctx.rulesText, ...ctx.p.notes, ...ctx.methodNotes, ...(ctx.source ? [ctx.source] : []),
    ],
    protection: ctx.p.disabled ? { unprotected: { reason: ctx.p.disabled.reason } } : { rules: ctx.rulesText },
    system: ctx.system, year: ctx.year, symbols: used,
  };
}

function signed(v: number, digits: number): string {
  const s = formatNumber(Math.abs(v), { digits });
  const zero = formatNumber(0, { digits });
  return s === zero ? s : `${v > 0 ? "+" : "−"}${s}`;
}

function km2(m2: number): string {
  return formatNumber(m2 / 1e6, { digits: m2 < 1e7 ? 2 : 1 });
}

/**
 * One area profile as a self-contained A4 HTML document (see the module text). The system's
 * data are prepared once and cached (see `profileContext`); every further area of the same
 * system only builds strings.
 *
 * @example
 * const html = areaProfileHtml(ds, "statbez", "0101");
 * writeOutput("06-foerderantrag", "steckbrief-0101.html", html);
 * areaProfileHtml(ds, "quartier", "Q04", { backLink: { href: "../index.html", label: "Zurück zum Atlas" } });
 */
export function areaProfileHtml(ds: ProfileDataset, system: string, area: string, options: AreaProfileOptions = {}): string {
  const ctx = profileContext(ds, system, options);
  return profileDocument(ctx, [area], options);
}

/** The `<body>` content of one profile page (used for single and combined documents). */
function profilePage(ctx: ProfileContext, area: string, options: AreaProfileOptions): string {
  const r = ctx.p.result;
  if (!r.areas.includes(area)) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${ctx.system})`);
  const name = ctx.names.get(area) || "";
  const feature = ctx.sys.features.find((f) => f.id === area);
  const table = profileTable(ctx, area);
  const used = new Set(table.symbols);
  const par = ctx.parent?.of.get(area);
  const Y = r.years.length;
  // Facts.
  const popInd = ctx.indicators.find((x) => x.def.id === "population") ?? (() => {
    const i = r.definitions.findIndex((d) => d.id === "population");
    return i >= 0 ? { def: r.definitions[i]!, i, pi: -1 } : undefined;
  })();
  const facts: [string, string][] = [];
  if (popInd) {
    const c = publishedCell(ctx.p, cellIndex(ctx, popInd.i, area), 0);
    if (c.symbol) used.add(c.symbol);
    const city = r.reference.value[popInd.i * Y + ctx.y]!;
    const share = !c.hidden && city > 0 ? ` (${formatNumber((100 * r.value[cellIndex(ctx, popInd.i, area)]!) / city, { digits: 1 })} % der Stadt)` : "";
    facts.push(["Einwohner", `${c.text}${share}`]);
  }
  if (feature) facts.push(["Fläche", `${km2(feature.areaM2)} km²`]);
  if (ctx.parent && par) {
    const pn = ctx.parent.names.get(par.id) || "";
    facts.push([ctx.parent.how === "nested" ? "Liegt in" : "Bezirk¹", `${escapeHtml(pn)} (${escapeHtml(par.id)})${ctx.parent.how === "residents" ? `, ${formatNumber(par.share * 100, { digits: 0 })} % der Einwohner` : `, ${escapeHtml(ctx.parent.label)}`}`]);
  }
  // Reliability.
  const focus = focusOf(ctx, options.focusIndicator);
  const sentence = focus ? reliabilitySentence(ctx.p, focus, area, { year: ctx.year, names: ctx.names }) : "";
  const hiddenBy = new Map<string, string[]>();
  const smallRows: string[] = [];
  for (const ind of ctx.indicators) {
    const k = cellIndex(ctx, ind.i, area);
    const c = publishedCell(ctx.p, k, ind.def.digits);
    if (c.hidden) {
      const why = `${publicReason(ctx.p.reason[k] as ProtectionReason) || "keine Angabe"} (${c.text})`;
      hiddenBy.set(why, [...(hiddenBy.get(why) ?? []), ind.def.label]);
    }
    else if ((ind.def.kind === "share" || ind.def.kind === "ratio") && (ctx.p.limited[k] || r.numerator[k]! < 20)) smallRows.push(ind.def.label);
  }
  for (const yy of ctx.trendYears) for (const ind of ctx.trend) { const c = publishedCell(ctx.p, cellIndex(ctx, ind.i, area, yy), ind.def.digits); if (c.symbol) used.add(c.symbol); }
  // Notes.
  const notes: string[] = [];
  // The full legend of the symbols a profile can show (as in official publications), whether used on this page or not.
  notes.push(`<b>Zeichen:</b> ${escapeHtml(symbolFootnotes([...PROFILE_SYMBOLS, ...used]).join("; "))}. Der Stadtwert ist aus den Summen aller Gebiete berechnet; Abstand zur Stadt bei Anteilen in Prozentpunkten.`);
  notes.push(`<b>Belastbarkeit:</b> ${conf(ctx)}-%-Konfidenzintervall (${ctx.p.rules.intervalMethod === "wilson" ? "Wilson" : "Clopper-Pearson"}); „signifikant über/unter dem Stadtwert“, wenn das Intervall den Stadtwert nicht enthält.${hiddenBy.size ? ` Nicht ausgewiesen – ${escapeHtml([...hiddenBy].map(([why, l]) => `${why}: ${l.join(", ")}`).join("; "))}.` : ""}${smallRows.length ? ` Kleine Fallzahlen (unter 20 Fälle), nur mit Vorsicht zu interpretieren: ${escapeHtml(smallRows.join(", "))}.` : ""}`);
  if (ctx.parent?.how === "residents" && par) notes.push(`¹ Die Gebiete der Ebene „${escapeHtml(ctx.sys.label)}“ liegen quer zu den Bezirksgrenzen; verglichen wird mit ${escapeHtml(ctx.parent.names.get(par.id) || par.id)} (${escapeHtml(par.id)}) der Ebene „${escapeHtml(ctx.parent.label)}“, in dem ${formatNumber(par.share * 100, { digits: 0 })} % der Einwohner des Gebiets leben (${ctx.year}).`);
  if (!ctx.parent && ctx.noParentNote) notes.push(escapeHtml(ctx.noParentNote));
  if (ctx.methodNotes.length) notes.push(`<b>Datengrundlage:</b> ${escapeHtml(ctx.methodNotes.join(" "))}`);
  notes.push(`<b>Definitionen:</b> ${escapeHtml(ctx.indicators.map((x) => x.def.footnote).join(" "))}`);
  notes.push(`<b>Geheimhaltung:</b> ${escapeHtml(ctx.rulesText)}${ctx.p.notes.length ? ` ${escapeHtml(ctx.p.notes.join(" "))}` : ""} Gesperrte Werte erscheinen weder in der Tabelle noch in den Grafiken; Ränge und Intervalle gesperrter Werte entfallen.`);
  if (ctx.source) notes.push(`<b>${escapeHtml(ctx.source)}</b>${ctx.datasetName ? ` · ${escapeHtml(ctx.datasetName)}` : ""} · Stichtag 31.12.${ctx.year} · Gebietsstand ${escapeHtml(ctx.sys.vintage)}`);
  for (const n of options.notes ?? []) notes.push(escapeHtml(n));
  const trend = trendSvg(ctx, area);
  const first = r.years[ctx.trendYears[0] ?? ctx.y]!;
  const back = options.backLink ? `<p class="kr-back"><a href="${escapeHtml(options.backLink.href)}">← ${escapeHtml(options.backLink.label)}</a></p>` : "";
  const legend = `<div class="kr-legend"><span class="kr-dot" style="background:#d55e00;margin-left:0"></span>Gebiet <span class="kr-dot" style="background:#d9d9d9"></span>übrige Gebiete</div>`;
  return `<section class="kr-page" data-kr-area="${escapeHtml(area)}">${back}` +
    `<header><div><div class="kr-kicker">${escapeHtml(options.heading ?? "Stadtteilsteckbrief")} · ${escapeHtml(ctx.sys.label)}</div>` +
    `<h1>${escapeHtml(name || area)} <span style="font-weight:normal;color:#555">(${escapeHtml(area)})</span></h1>` +
    `<div class="kr-sub">Stichtag 31.12.${ctx.year} · ${escapeHtml(ctx.datasetName)}</div></div></header>` +
    `<div class="kr-top"><div>${locatorSvg(ctx, area, 160, 128)}${legend}</div>` +
    `<div class="kr-facts"><table>${facts.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${k === "Liegt in" || k === "Bezirk¹" ? v : escapeHtml(v)}</td></tr>`).join("")}</table>` +
    (sentence ? `<p class="kr-reliability">${escapeHtml(sentence)}</p>` : "") + `</div></div>` +
    `<h2>Kennzahlen ${ctx.year} im Vergleich mit der Stadt${ctx.parent && par ? ` und dem ${ctx.parent.how === "nested" ? "übergeordneten Gebiet" : "Bezirk¹"}` : ""}</h2>` +
    tableHtml(table, { maxRows: 100 }) +
    `<h2>Spinnenprofil ${ctx.year}: Lage unter allen ${r.areas.length} Gebieten der Ebene „${escapeHtml(ctx.sys.label)}“</h2><div class="kr-legend" style="margin:0 0 0.8mm 0">Balken: Spanne der veröffentlichten Werte, dunkler die mittleren 50 % · Strich: Stadt · Punkt: Gebiet${hiddenBy.size ? " (kein Punkt: Gebietswert nicht ausgewiesen)" : ""} <span class="kr-dot" style="background:#d55e00"></span>signifikant über, <span class="kr-dot" style="background:#0072b2"></span>unter dem Stadtwert, <span class="kr-dot" style="background:#7a7a7a"></span>kein signifikanter Unterschied, <span class="kr-dot" style="background:#fff;border:1.5px solid #333"></span>ohne Intervall</div>${spineSvg(ctx, area)}` +
    (trend ? `<h2>Entwicklung ${first}–${ctx.year}: Gebiet (durchgezogen) und Stadt (gestrichelt)</h2>${trend}` : "") +
    `<div class="kr-notes"${notesStyle(notes)}>${notes.map((n) => `<p>${n}</p>`).join("")}</div></section>`;
}

/** Smaller type for long footnotes, so the profile stays on one page (the text is never cut). */
function notesStyle(notes: string[]): string {
  const chars = notes.reduce((s, n) => s + n.replace(/<[^>]+>/g, "").length, 0);
  return chars > 4400 ? ` style="font-size:5.3pt"` : chars > 3600 ? ` style="font-size:5.8pt"` : "";
}

function conf(ctx: ProfileContext): number {
  return Math.round(ctx.p.rules.confidence * 100);
}

function protectionMeta(ctx: ProfileContext): string {
  return ctx.p.disabled
    ? `<meta name="kr-protection" content="ohne-schutz"><meta name="kr-protection-reason" content="${escapeHtml(ctx.p.disabled.reason)}">`
    : `<meta name="kr-protection" content="geschuetzt">`;
}

function documentTitle(ctx: ProfileContext, areas: readonly string[], options: AreaProfileOptions): string {
  return areas.length === 1
    ? `${options.heading ?? "Stadtteilsteckbrief"} ${ctx.names.get(areas[0]!) || areas[0]} (${areas[0]}) – ${ctx.sys.label} ${ctx.year}`
    : `${options.heading ?? "Stadtteilsteckbriefe"} – ${ctx.sys.label} ${ctx.year}`;
}

function profileDocument(ctx: ProfileContext, areas: readonly string[], options: AreaProfileOptions, pages?: readonly string[]): string {
  const body = (pages ?? areas.map((a) => profilePage(ctx, a, options))).join("");
  return `<!doctype html><html lang="de"><head><meta charset="utf-8">${protectionMeta(ctx)}<title>${escapeHtml(documentTitle(ctx, areas, options))}</title><style>${CSS}</style></head><body>${body}</body></html>`;
}

/** Options of {@link writeAreaProfiles}. */
export interface WriteAreaProfilesOptions extends AreaProfileOptions {
  /** Areas to write (default: every area of the system). */
  areas?: string[];
  /** Write PDFs (default true). */
  pdf?: boolean;
  /** Also write all profiles as one PDF, `steckbriefe.pdf` (default false). */
  combinedPdf?: boolean;
  /** Sub-folder of the notebook's output folder (default `"steckbriefe"`). */
  folder?: string;
  /** Profiles printed per Chromium call; the PDF is split into one file per area (default 40). */
  pagesPerRender?: number;
}

/** Result of {@link writeAreaProfiles}. */
export interface WrittenProfiles {
  system: string;
  /** Per area: id, name and the files written. */
  areas: { id: string; name: string; html: string; pdf?: string }[];
  /** The index page linking every profile. */
  index: string;
  combinedPdf?: string;
  /** Milliseconds: preparing the system, building and writing the HTML, rendering and writing PDFs, all. */
  timings: { prepareMs: number; htmlMs: number; pdfMs: number; totalMs: number };
}

/**
 * The file name of an area's profile (without extension): `safeFileName("<id>-<name>")`.
 *
 * @example
 * profileFileName("0101", "Lindenhöhe"); // "0101-lindenhoehe"
 */
export function profileFileName(id: string, name: string): string {
  return safeFileName(name ? `${id}-${name}` : id);
}

/**
 * The protected profile PDF of some areas, one page per area (see {@link areaProfileHtml}),
 * printed in the shared Chromium and marked `/KrProtection` (so `writeOutput` accepts it).
 *
 * @example
 * writeOutput("06-foerderantrag", "steckbrief.pdf", await areaProfilePdf(ds, "quartier", ["Q04"]));
 */
export async function areaProfilePdf(ds: ProfileDataset, system: string, areas: readonly string[], options: AreaProfileOptions = {}): Promise<Buffer> {
  const ctx = profileContext(ds, system, options);
  return markPdf(ctx, await renderHtmlPdf(profileDocument(ctx, areas, options)), documentTitle(ctx, areas, options));
}

function pdfInfo(ctx: ProfileContext, title: string): PdfInfo {
  return {
    title, subject: `${ctx.sys.label}, Stichtag 31.12.${ctx.year}`, ...(ctx.source ? { author: ctx.source.replace(/^Quelle: /, "") } : {}),
    keywords: ["Stadtteilsteckbrief", `kr-protection=${ctx.p.disabled ? "ohne-schutz" : "geschuetzt"}`, `kr-system=${ctx.system}`, `kr-year=${ctx.year}`],
    protection: ctx.p.disabled ? "ohne-schutz" : "geschuetzt",
  };
}

function markPdf(ctx: ProfileContext, pdf: Uint8Array, title: string): Promise<Buffer> {
  return pdfWithInfo(pdf, pdfInfo(ctx, title));
}

/** Joins PDFs into one (pdf-lib). */
async function joinPdfs(pdfs: readonly Uint8Array[]): Promise<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { PDFDocument } = require("pdf-lib") as typeof import("pdf-lib");
  const d = await PDFDocument.create({ updateMetadata: false });
  for (const pdf of pdfs) {
    const src = await PDFDocument.load(pdf, { updateMetadata: false });
    for (const page of await d.copyPages(src, src.getPageIndices())) d.addPage(page);
  }
  return d.save();
}

/**
 * Writes the profile of every area of a system to `outputs/<notebook>/steckbriefe/` as
 * `<id-name>.html` and `.pdf`, an `index.html` linking them and, on request, one combined PDF;
 * every file carries its protection mark and is recorded in the notebook's manifest
 * (kind `"profile"`). The system is prepared once (see `profileContext`); per area only strings
 * are built. PDFs: up to `pagesPerRender` profiles are printed in one call of the shared
 * Chromium and split into one file per area (a profile that does not fit on one page is
 * printed on its own instead).
 *
 * @example
 * const w = await writeAreaProfiles(ds, "statbez", "06-foerderantrag");
 * w.areas.length;        // 17
 * w.timings.totalMs;     // e.g. 3500
 */
export async function writeAreaProfiles(ds: ProfileDataset, system: string, notebook: string, options: WriteAreaProfilesOptions = {}): Promise<WrittenProfiles> {
  const t0 = performance.now();
  // Start the shared Chromium now (if it is not running), so it launches while the system is prepared.
  const warm = options.pdf ?? true ? renderHtmlPdf("<!doctype html><title>Start</title>").catch(() => undefined) : undefined;
  const ctx = profileContext(ds, system, options);
  const t1 = performance.now();
  const folder = options.folder ?? "steckbriefe";
  const base0 = notebookOutputDir(notebook);
  const dir = path.resolve(base0, folder);
  if (dir !== base0 && !dir.startsWith(base0 + path.sep)) throw new Error(`invalid folder: ${JSON.stringify(folder)} (must stay inside ${base0})`);
  const areas = options.areas ?? ctx.p.result.areas;
  const protection = ctx.p.disabled ? { state: "ohne-schutz" as const, reason: ctx.p.disabled.reason } : { state: "geschuetzt" as const, rules: ctx.rulesText };
  let dataset: { id: string } | undefined;
  try { dataset = "configFile" in (ds.config as object) ? datasetProvenance(ds as unknown as Parameters<typeof datasetProvenance>[0], { results: ctx.p }) : undefined; } catch { dataset = undefined; }
  const write = (file: string, content: string | Uint8Array, title: string) => {
    const problem = protectionProblem(file, content);
    if (problem) throw new Error(problem);
    writeFileAtomic(file, content);
    recordExport(notebook, { file, content, kind: "profile", title, protection, ...(dataset ? { dataset } : {}) });
  };
  const out: WrittenProfiles["areas"] = [];
  const used = new Set<string>();
  const pages: string[] = [];
  for (const a of areas) {
    const name = ctx.names.get(a) || "";
    let base = profileFileName(a, name);
    while (used.has(base)) base += "-x";
    used.add(base);
    const page = profilePage(ctx, a, options);
    pages.push(page);
    const file = path.join(dir, `${base}.html`);
    write(file, profileDocument(ctx, [a], options, [page]), documentTitle(ctx, [a], options));
    out.push({ id: a, name, html: file, ...(options.pdf ?? true ? { pdf: path.join(dir, `${base}.pdf`) } : {}) });
  }
  const rows = out.map((e) => `<tr><td>${escapeHtml(e.id)}</td><td><a href="${escapeHtml(path.basename(e.html))}">${escapeHtml(e.name || e.id)}</a></td><td>${e.pdf ? `<a href="${escapeHtml(path.basename(e.pdf))}">PDF</a>` : ""}</td></tr>`).join("");
  const index = path.join(dir, "index.html");
  write(index, `<!doctype html><html lang="de"><head><meta charset="utf-8">${protectionMeta(ctx)}<title>${escapeHtml(`Stadtteilsteckbriefe – ${ctx.sys.label} ${ctx.year}`)}</title>` +
    `<style>body{font-family:Arial,Helvetica,sans-serif;margin:2em;max-width:50em}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}</style></head><body>` +
    `<h1>Stadtteilsteckbriefe: ${escapeHtml(ctx.sys.label)}</h1><p>${escapeHtml(ctx.datasetName)} · Stichtag 31.12.${ctx.year} · ${out.length} Gebiete</p>` +
    `<table><thead><tr><th>Gebiet-Nr.</th><th>Gebiet</th><th></th></tr></thead><tbody>${rows}</tbody></table>` +
    (options.combinedPdf && (options.pdf ?? true) ? `<p><a href="steckbriefe.pdf">Alle Steckbriefe in einem PDF</a></p>` : "") +
    `<p style="font-size:85%;color:#555">${escapeHtml(ctx.rulesText)}${ctx.source ? ` · ${escapeHtml(ctx.source)}` : ""}</p></body></html>`, `Stadtteilsteckbriefe – ${ctx.sys.label} ${ctx.year}`);
  const t2 = performance.now();
  let combinedPdf: string | undefined;
  if (options.pdf ?? true) {
    const per = Math.max(1, options.pagesPerRender ?? 40);
    const chunks: number[][] = [];
    for (let i = 0; i < out.length; i += per) chunks.push(out.slice(i, i + per).map((_, j) => i + j));
    // All chunks are queued at once: Chromium prints the next while Node splits the last.
    await warm;
    const rendered = chunks.map((c) => renderHtmlPdf(profileDocument(ctx, c.map((j) => out[j]!.id), options, c.map((j) => pages[j]!))));
    const singles: Uint8Array[] = new Array(out.length);
    for (let n = 0; n < chunks.length; n++) {
      const c = chunks[n]!;
      const titles = c.map((j) => documentTitle(ctx, [out[j]!.id], options));
      const printed = await rendered[n]!;
      let split: Buffer[];
      try {
        split = await splitPdfPages(printed, titles.map((t) => pdfInfo(ctx, t)));
      } catch {
        // A profile ran over one page: print each of this chunk on its own, so files match areas.
        split = [];
        for (const [m, j] of c.entries()) split.push(await markPdf(ctx, await renderHtmlPdf(profileDocument(ctx, [out[j]!.id], options, [pages[j]!])), titles[m]!));
      }
      c.forEach((j, m) => {
        singles[j] = split[m]!;
        write(out[j]!.pdf!, split[m]!, titles[m]!);
      });
    }
    if (options.combinedPdf) {
      combinedPdf = path.join(dir, "steckbriefe.pdf");
      const title = documentTitle(ctx, out.map((e) => e.id), options);
      write(combinedPdf, await markPdf(ctx, await joinPdfs(singles), title), title);
    }
  }
  const t3 = performance.now();
  return { system, areas: out, index, ...(combinedPdf ? { combinedPdf } : {}), timings: { prepareMs: t1 - t0, htmlMs: t2 - t1, pdfMs: t3 - t2, totalMs: t3 - t0 } };
}
