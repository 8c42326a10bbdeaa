/**
 * The funding-bid bundle (e.g. NRW/ESF "Starke Quartiere – starke Menschen"): the target area
 * chosen from notebook parameters (a life-situation quarter, with sensible fallbacks on other
 * datasets), and one folder `outputs/<notebook>/<area name>/` with the area profile (PDF and
 * HTML), an XLSX of all indicators, the figures (PNG and SVG) and the key findings
 * (`kernaussagen.txt`). Everything comes from the protected profile data.
 */
import { territorySystem } from "../areas/compare";
import { resultIndex } from "../indicators/compute";
import { indicatorChoropleth, withOutline } from "../present/plotly/choropleth";
import { spineFigure, timeSeriesFigure } from "../present/plotly/charts";
import type { PlotlySpec } from "../present/render";
import type { Dataset } from "../project/config";
import { Significance } from "../protect/intervals";
import { symbolFootnotes, type TableSymbol } from "../protect/symbols";
import { columnLabel } from "../indicators/tables";
import type { PublishedTable } from "../protect/tables";
import { exportFigures } from "./figures";
import { keyFindings, type KeyFindings } from "./findings";
import { safeFileName, writeOutput } from "./files";
import { recordExport } from "./manifest";
import { areaProfileHtml, areaProfilePdf, profileTable, type AreaProfileOptions } from "./profile";
import { profileContext, publishedCell, type ProfileContext, type ProfileDataset } from "./profile-data";
import { writeTableXlsx } from "./xlsx";

/** Indicators that mark disadvantage, in order of preference, for choosing an area and the lead figure. */
export const FUNDING_LEAD_INDICATORS: readonly string[] = ["child_poverty", "minsec_rate", "unemployment_rate", "sgb2_household_share", "old_age_poverty", "single_parent_share", "share_u18"];

/** Parameters of {@link fundingArea}. */
export interface FundingAreaInput {
  /** Area system id (default or when absent: the first system without own statistics that does not nest, e.g. quarters; else the first life-situation system; else the main system). */
  system?: string;
  /** Area id (default or when absent: the area with the highest published value of the lead indicator that is significantly above the city). */
  area?: string;
}

/** The chosen target area. */
export interface FundingArea {
  system: string;
  area: string;
  name: string;
  /** The indicator the area was judged by (first of {@link FUNDING_LEAD_INDICATORS} the data has). */
  lead?: string;
  /** What was replaced and why, in German (for the notebook). */
  notes: string[];
}

/**
 * The target area of a funding bid from the notebook's parameters: kept where the dataset has
 * them, otherwise chosen sensibly and said so in `notes`.
 *
 * @example
 * fundingArea(ds, { system: "quartier", area: "Q04" });   // Musterstadt: { system: "quartier", area: "Q04", name: "Lindenhöhe-Südwest", notes: [] }
 * fundingArea(berlin, { system: "quartier", area: "Q04" }); // Berlin: the first life-situation system, the area with the highest published lead value
 */
export function fundingArea(ds: ProfileDataset & Pick<Dataset, "areaSystems">, input: FundingAreaInput = {}): FundingArea {
  const notes: string[] = [];
  let system = input.system && ds.areaSystems.has(input.system) ? input.system : undefined;
  if (!system) {
    const lifeSituation = [...ds.areaSystems.values()].find((s) => s.kind === "life-situation")?.id;
    system = territorySystem(ds) ?? lifeSituation ?? [...ds.areaSystems.keys()][0]!;
    const label = ds.areaSystems.get(system)!.label;
    notes.push(input.system
      ? `Das Gebietssystem „${input.system}“ gibt es in diesem Datensatz nicht; verwendet wird „${label}“ (${system}), das erste lebensweltlich orientierte Gebietssystem.`
      : `Gebietssystem: „${label}“ (${system}).`);
  }
  const ctx = profileContext(ds, system);
  const r = ctx.p.result;
  const lead = FUNDING_LEAD_INDICATORS.find((id) => r.definitions.some((d) => d.id === id));
  let area = input.area && r.areas.includes(input.area) ? input.area : undefined;
  if (!area) {
    const i = lead ? r.definitions.findIndex((d) => d.id === lead) : -1;
    const candidates = r.areas.map((id, a) => ({ id, k: i >= 0 ? resultIndex(r, i, a, ctx.y) : -1 }))
      .filter(({ k }) => k >= 0 && !publishedCell(ctx.p, k, 0).hidden);
    const above = candidates.filter(({ k }) => ctx.p.significance[k] === Significance.Above);
    const pool = above.length ? above : candidates;
    pool.sort((x, z) => r.value[z.k]! - r.value[x.k]! || x.id.localeCompare(z.id));
    area = pool[0]?.id ?? r.areas[0]!;
    const def = lead ? r.definitions.find((d) => d.id === lead)! : undefined;
    notes.push(`${input.area ? `Das Gebiet „${input.area}“ gibt es im Gebietssystem „${ctx.sys.label}“ nicht; gewählt` : "Gewählt"} ist ${ctx.names.get(area) || area} (${area})` +
      (def ? `, das Gebiet mit dem höchsten veröffentlichten Wert „${def.label}“${above.length ? " unter den Gebieten signifikant über dem Stadtwert" : ""}.` : "."));
  }
  return { system, area, name: ctx.names.get(area) || "", ...(lead ? { lead } : {}), notes };
}

/** Options of {@link writeFundingBundle}. */
export interface FundingBundleOptions extends AreaProfileOptions {
  /** Folder name under the notebook's outputs (default `safeFileName(area name)`, else the id). */
  folder?: string;
  /** Figure size in mm (default 160 × 100) and PNG resolution (default 300 dpi). */
  figure?: { widthMm?: number; heightMm?: number; dpi?: number };
}

/** Result of {@link writeFundingBundle}. */
export interface FundingBundle {
  /** The folder, relative to the notebook's outputs (e.g. `"lindenhoehe-suedwest"`). */
  folder: string;
  files: string[];
  findings: KeyFindings;
  /** The figures written (plotly specs), by file name without extension. */
  figures: Record<string, PlotlySpec>;
}

/**
 * Every computed indicator of an area over all years, one row per year for the area and one for
 * the city, one column per indicator (published values; symbols where hidden) — the layout of
 * `protectedTable`, so the output attack reads it like every other published table.
 *
 * @example
 * tableHtml(fundingIndicatorTable(profileContext(ds, "quartier"), "Q04"));
 */
export function fundingIndicatorTable(ctx: ProfileContext, area: string): PublishedTable {
  const r = ctx.p.result;
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${ctx.system})`);
  const Y = r.years.length;
  const used = new Set<TableSymbol>();
  const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  const digits: Record<string, number> = { Jahr: 0 };
  for (const def of r.definitions) digits[columnLabel(def)] = def.digits;
  const rows: Record<string, string | number>[] = [];
  r.years.forEach((yr, y) => {
    const city: Record<string, string | number> = { "Gebiet-ID": "", Gebiet: "Stadt insgesamt", Jahr: String(yr) };
    const own: Record<string, string | number> = { "Gebiet-ID": area, Gebiet: ctx.names.get(area) ?? "", Jahr: String(yr) };
    r.definitions.forEach((def, i) => {
      const cv = r.reference.value[i * Y + y]!;
      city[columnLabel(def)] = Number.isFinite(cv) ? round(cv, def.digits) : (used.add("."), ".");
      const c = publishedCell(ctx.p, resultIndex(r, i, a, y), def.digits);
      if (c.symbol) used.add(c.symbol);
      own[columnLabel(def)] = c.hidden || c.symbol === "()" ? c.text : round(r.value[resultIndex(r, i, a, y)]!, def.digits);
    });
    rows.push(city, own);
  });
  return {
    rows, columns: ["Gebiet-ID", "Gebiet", "Jahr", ...r.definitions.map((d) => columnLabel(d))], digits,
    caption: `Alle Indikatoren ${ctx.names.get(area) || area} (${area}) und Stadt ${r.years[0]}–${ctx.year}`,
    notes: [...r.definitions.map((d) => d.footnote), ...symbolFootnotes(used), ctx.rulesText, ...ctx.p.notes, ...ctx.methodNotes, ...(ctx.source ? [ctx.source] : [])],
    protection: ctx.p.disabled ? { unprotected: { reason: ctx.p.disabled.reason } } : { rules: ctx.rulesText },
    system: ctx.system, year: ctx.year,
  };
}

/**
 * Writes the funding-bid bundle of one area to `outputs/<notebook>/<folder>/`:
 * `steckbrief.pdf` and `.html` (the area profile), `indikatoren.xlsx` (key indicators against
 * city and district, and all indicators over all years), `spinnenprofil`, `entwicklung-<id>`
 * and `karte-<id>` as PNG and SVG, and `kernaussagen.txt` (see `keyFindings`).
 *
 * @example
 * const b = await writeFundingBundle(ds, "quartier", "Q04", "06-foerderantrag");
 * b.folder; // "lindenhoehe-suedwest"
 */
export async function writeFundingBundle(ds: Dataset, system: string, area: string, notebook: string, options: FundingBundleOptions = {}): Promise<FundingBundle> {
  const ctx = profileContext(ds, system, options);
  const r = ctx.p.result;
  if (!r.areas.includes(area)) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${system})`);
  const name = ctx.names.get(area) || area;
  const folder = options.folder ?? safeFileName(name);
  const files: string[] = [];
  const protection = ctx.p.disabled ? { state: "ohne-schutz" as const, reason: ctx.p.disabled.reason } : { state: "geschuetzt" as const, rules: ctx.rulesText };
  // Profile.
  const title = `Stadtteilsteckbrief ${name} (${area})`;
  for (const [file, content] of [[`${folder}/steckbrief.html`, areaProfileHtml(ds, system, area, options)], [`${folder}/steckbrief.pdf`, await areaProfilePdf(ds, system, [area], options)]] as const) {
    const f = writeOutput(notebook, file, content);
    recordExport(notebook, { file: f, content, kind: "profile", title, protection });
    files.push(f);
  }
  // Tables.
  const keyTable: PublishedTable = { ...profileTable(ctx, area), caption: `Kennzahlen ${name} (${area}) ${ctx.year}` };
  files.push(await writeTableXlsx(notebook, `${folder}/indikatoren.xlsx`, [keyTable, fundingIndicatorTable(ctx, area)], { sheetNames: ["Kennzahlen", "Alle Indikatoren"], dataset: ds }));
  // Figures (plotly specs from the protected result; exported as PNG and SVG).
  const figures: Record<string, PlotlySpec> = {};
  const spineIds = ctx.indicators.filter((x) => x.spine).map((x) => x.def.id);
  const common = { protection: ctx.p, names: ctx.names, ...(ctx.source ? { source: ctx.source } : {}) };
  if (spineIds.length) figures["spinnenprofil"] = spineFigure(r, area, spineIds, { ...common, year: ctx.year, title: `Gebietsprofil ${name} (${area}) ${ctx.year}: Lage unter allen Gebieten der Ebene „${ctx.sys.label}“` });
  for (const t of ctx.trend) figures[`entwicklung-${t.def.id}`] = timeSeriesFigure(r, t.def.id, [area], { ...common, title: `${t.def.label}: ${name} und Stadt` });
  const lead = ctx.trend[0]?.def.id ?? ctx.indicators.find((x) => x.spine)?.def.id;
  const feature = ctx.sys.features.find((f) => f.id === area);
  if (lead && feature) {
    const map = indicatorChoropleth(ctx.sys, r, lead, { protection: ctx.p, year: ctx.year, ...(ctx.source ? { source: ctx.source } : {}) });
    figures[`karte-${lead}`] = withOutline(map, [feature], { name: `${name} (${area})`, width: 3, color: "#d55e00" });
  }
  const fig = options.figure ?? {};
  const written = await exportFigures(notebook, Object.entries(figures).map(([n, spec]) => ({
    name: `${folder}/${n}`, spec, options: { formats: ["png", "svg"], widthMm: fig.widthMm ?? 160, heightMm: fig.heightMm ?? 100, dpi: fig.dpi ?? 300, dataset: ds },
  })));
  files.push(...written.flat());
  // Key findings.
  const findings = keyFindings(ds, system, area, options);
  const txt = writeOutput(notebook, `${folder}/kernaussagen.txt`, findings.text);
  recordExport(notebook, { file: txt, content: findings.text, kind: "text", title: `Kernaussagen ${name} (${area})`, protection });
  files.push(txt);
  return { folder, files, findings, figures };
}
