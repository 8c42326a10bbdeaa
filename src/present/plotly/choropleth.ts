/**
 * Choropleth maps as plotly specs, drawn offline from the project's own geometries: trace
 * `choropleth` with the areas as `geojson` (`featureidkey: "properties.id"`), `geo.fitbounds:
 * "locations"`, `geo.visible: false`, mercator. Classes come from `classify`/`classifyPooled`
 * and are drawn as a discrete colour scale: one trace per class, whose legend entry gives the
 * class range in German number format and the number of areas. Suppressed and missing areas are
 * two distinct greys with their own legend entries (missing never looks like zero).
 */
import { classify, classifyPooled, type Classification, type Closed, type Scheme } from "../../explore/classify";
import type { IndicatorResult } from "../../indicators/compute";
import type { AreaSystem } from "../../load/geometry";
import { formatNumber } from "../format";
import type { PlotlySpec } from "../render";
import { displayTolerance, featuresOf, labelPoint, mapGeoJson, outlineLines, type MapAreas, type MapFeature } from "./geo";
import {
  checkProtection, indicatorCells, indicatorIndex, isProtectedIndicators, protectionNotes, protectionState, valueCells,
  hiddenLabel, type HiddenCell, type IndicatorProtection, type ValueProtection,
} from "./protection";
import { baseLayout, escapeText, figureStyle, mergeLayout, spec, spreadPalette, wrapText, type FigureStyle } from "./style";

/** German names of the classification schemes. */
export const SCHEME_LABELS: Record<Scheme, string> = {
  quantiles: "Quantile",
  equal_interval: "gleiche Intervalle",
  std_mean: "Standardabweichung um den Mittelwert",
  fisher_jenks: "natürliche Brüche (Fisher-Jenks)",
  manual: "feste Grenzen",
};

/** Options shared by the choropleth builders. */
export interface ChoroplethOptions {
  /** Title (default none for plain values; indicator, system and year for indicators). */
  title?: string;
  /** Legend heading, e.g. `"Kinder in BG (%)"` (default `"Wert"`). */
  legendTitle?: string;
  /** Unit appended in hover texts, e.g. `"%"` (default none). */
  unit?: string;
  /** Digits of values and class bounds (default 1; more where two bounds would read alike). */
  digits?: number;
  /** Scheme: quantiles, equal_interval, std_mean, fisher_jenks, manual (default quantiles). */
  scheme?: Scheme | string;
  /** Number of classes (default 5, at most the number of distinct values). */
  k?: number;
  /** Upper bounds for `scheme: "manual"`. */
  breaks?: number[];
  /** Which side of a class is closed (default `"right"`: "über a bis b"; `"left"`: "a bis unter b"). */
  closed?: Closed;
  /** A ready classification (e.g. pooled); its bins are applied to the visible values. */
  classification?: Classification;
  /** Fill colours low → high (default `style.sequential`). */
  palette?: string[];
  /** Write area names (`true`/`"names"`) or ids (`"ids"`) at the areas (default none). */
  labels?: boolean | "names" | "ids";
  /** Confidence intervals per area id (shown in hover texts). */
  intervals?: ReadonlyMap<string, [number, number]>;
  /** Extra lines under the map (definitions), before the source. */
  notes?: string[];
  /** Source line (default `style.source`). */
  source?: string;
  /** Style (default {@link figureStyle}()). */
  style?: FigureStyle;
  /** Size in px (default from the style). */
  width?: number;
  height?: number;
  /** Simplify boundaries for display: `"auto"` (default, below a pixel), a tolerance in degrees, or `false`. */
  simplify?: number | false | "auto";
}

/** Options of {@link choroplethFigure}: the protection of the values is required. */
export interface ValueChoroplethOptions extends ChoroplethOptions {
  /** `{ hidden: Map<id, HiddenCell> }` or `{ unprotected: "<reason>" }`. Required. */
  protection: ValueProtection;
}

/** Class labels in German: "bis 10,0", "über 10,0 bis 15,0", "über 25,0" (right-closed) or "unter 10,0", "10,0 bis unter 15,0", "25,0 und mehr" (left-closed). */
export function classLabels(bins: readonly number[], closed: Closed = "right", digits = 1): string[] {
  // more digits where two bounds would otherwise print alike
  let d = digits;
  while (d < digits + 3 && new Set(bins.map((b) => formatNumber(b, { digits: d }))).size < bins.length) d++;
  const f = (x: number) => formatNumber(x, { digits: d });
  const k = bins.length;
  if (k === 1) return ["alle Werte"];
  return bins.map((b, i) => {
    if (closed === "right") {
      if (i === 0) return `bis ${f(b)}`;
      if (i === k - 1) return `über ${f(bins[i - 1]!)}`;
      return `über ${f(bins[i - 1]!)} bis ${f(b)}`;
    }
    if (i === 0) return `unter ${f(b)}`;
    if (i === k - 1) return `${f(bins[i - 1]!)} und mehr`;
    return `${f(bins[i - 1]!)} bis unter ${f(b)}`;
  });
}

function areaTitle(f: MapFeature): string {
  return f.name ? `<b>${escapeText(f.name)}</b> (${escapeText(f.id)})` : `<b>${escapeText(f.id)}</b>`;
}

function hiddenText(h: HiddenCell): string {
  return `${escapeText(h.symbol)} (${escapeText(h.reason)})`;
}

/** Internal: what the class map draws. */
interface ClassMap {
  features: readonly MapFeature[];
  values: Map<string, number>;
  hidden: Map<string, HiddenCell>;
  classification?: Classification;
  extraHover?: (id: string) => string[];
  limited?: Set<string>;
  notes: string[];
}

function classTraces(m: ClassMap, options: ChoroplethOptions, style: FigureStyle): Record<string, unknown>[] {
  const digits = options.digits ?? 1;
  const unit = options.unit ? `\u202f${options.unit}` : "";
  const cls = m.classification;
  const bins = cls?.bins ?? [];
  const labels = classLabels(bins, cls?.closed ?? "right", digits);
  const colours = spreadPalette(options.palette ?? style.sequential, bins.length);
  const byClass: MapFeature[][] = bins.map(() => []);
  const suppressed: MapFeature[] = [], missing: MapFeature[] = [];
  for (const f of m.features) {
    const h = m.hidden.get(f.id);
    if (h) { (h.kind === "suppressed" ? suppressed : missing).push(f); continue; }
    const v = m.values.get(f.id)!;
    byClass[Math.min(cls!.classOf(v) ?? 0, bins.length - 1)]!.push(f);
  }
  const line = { color: style.border, width: 0.6 };
  const tol = displayTolerance(m.features, options.simplify);
  const trace = (fs: MapFeature[], colour: string, name: string, hover: (f: MapFeature) => string) => ({
    type: "choropleth",
    geojson: mapGeoJson(fs, tol),
    featureidkey: "properties.id",
    locations: fs.map((f) => f.id),
    z: fs.map(() => 1),
    zmin: 0, zmax: 1,
    colorscale: [[0, colour], [1, colour]],
    showscale: false,
    showlegend: true,
    name,
    marker: { line },
    text: fs.map(hover),
    hovertemplate: "%{text}<extra></extra>",
  });
  const traces: Record<string, unknown>[] = byClass.map((fs, c) => trace(fs, colours[c]!, `${labels[c]} (${fs.length})`, (f) => {
    const v = m.values.get(f.id)!;
    const shown = formatNumber(v, { digits }) + unit;
    return [areaTitle(f), `Wert: ${m.limited?.has(f.id) ? `(${shown}) eingeschränkte Aussagekraft` : shown}`, `Klasse: ${labels[c]}`, ...(m.extraHover?.(f.id) ?? [])].join("<br>");
  }));
  if (suppressed.length) {
    const symbols = [...new Set(suppressed.map((f) => m.hidden.get(f.id)!.symbol))].join(" ");
    traces.push(trace(suppressed, style.suppressed, `${hiddenLabel(suppressed.map((f) => m.hidden.get(f.id)!), `gesperrt ${symbols}`)} (${suppressed.length})`, (f) => `${areaTitle(f)}<br>Wert: ${hiddenText(m.hidden.get(f.id)!)}`));
  }
  if (missing.length) traces.push(trace(missing, style.missing, `${hiddenLabel(missing.map((f) => m.hidden.get(f.id)!), "keine Angabe")} (${missing.length})`, (f) => `${areaTitle(f)}<br>Wert: ${hiddenText(m.hidden.get(f.id)!)}`));
  if (options.labels) {
    const pts = m.features.map((f) => ({ f, p: labelPoint(f) })).filter((x) => x.p);
    traces.push({
      type: "scattergeo", mode: "text", showlegend: false, hoverinfo: "skip", name: "Beschriftung",
      lon: pts.map((x) => x.p![0]), lat: pts.map((x) => x.p![1]),
      text: pts.map((x) => escapeText(options.labels === "ids" ? x.f.id : x.f.name || x.f.id)),
      textfont: { size: Math.max(8, style.fontSize - 3), color: style.text, shadow: "auto" },
    });
  }
  return traces;
}

function geoLayout(): Record<string, unknown> {
  return { fitbounds: "locations", visible: false, projection: { type: "mercator" }, bgcolor: "rgba(0,0,0,0)", domain: { x: [0, 0.64], y: [0, 1] } };
}

function mapSpec(m: ClassMap, options: ChoroplethOptions & { protection: IndicatorProtection | ValueProtection }, style: FigureStyle, title: string | undefined, legendTitle: string): PlotlySpec {
  const data = classTraces(m, options, style);
  const base = baseLayout(style, { title, notes: [...(options.notes ?? []), ...m.notes], source: options.source }, { width: options.width, height: options.height, left: 10 });
  const layout = mergeLayout(base, {
    geo: geoLayout(),
    showlegend: true,
    legend: { title: { text: wrapText(legendTitle, 30).map(escapeText).join("<br>") }, x: 0.66, xanchor: "left", y: 1, yanchor: "top", traceorder: "normal", itemclick: false, itemdoubleclick: false },
    margin: { r: 10 },
  });
  return spec(data, layout, protectionState(options.protection));
}

function classifyVisible(visible: number[], options: ChoroplethOptions): Classification | undefined {
  if (options.classification) return classifyWith(visible, options.classification);
  if (!visible.length) return undefined;
  const scheme = options.breaks && !options.scheme ? "manual" : options.scheme ?? "quantiles";
  const distinct = new Set(visible).size;
  return classify(visible, { scheme, k: Math.max(1, Math.min(options.k ?? 5, distinct)), breaks: options.breaks, closed: options.closed });
}

function classifyWith(visible: number[], c: Classification): Classification {
  return classify(visible, { scheme: "manual", breaks: c.bins, closed: c.closed });
}

function classNote(c: Classification | undefined, pooledYears?: readonly number[]): string[] {
  if (!c) return [];
  const base = `Klassen: ${SCHEME_LABELS[c.scheme]}, ${c.k} ${c.k === 1 ? "Klasse" : "Klassen"}`;
  return [pooledYears ? `${base}, Grenzen gemeinsam für ${pooledYears[0]}–${pooledYears[pooledYears.length - 1]} (vergleichbar über die Jahre).` : `${base}.`];
}

/**
 * A choropleth of plain values per area (e.g. an index computed outside the indicator engine).
 * Hidden areas (from `protection.hidden`) and areas without a finite value are grey, never
 * classed; the legend gives class ranges with counts.
 *
 * @param areas an area system or its features (WGS84 geometry is used)
 * @param values value per area id
 * @example
 * const fig = choroplethFigure(plr, statusIndex, { protection: { unprotected: "veröffentlichter MSS-Index" }, scheme: "manual", breaks: [-1, 1, 1.5], legendTitle: "Statusindex (z)" });
 * await showFigure(fig);
 */
export function choroplethFigure(areas: MapAreas, values: ReadonlyMap<string, number | null | undefined> | Record<string, number | null | undefined>, options: ValueChoroplethOptions): PlotlySpec {
  checkProtection(options?.protection, "choroplethFigure");
  const style = options.style ?? figureStyle();
  const features = featuresOf(areas);
  const map = values instanceof Map ? values : new Map(Object.entries(values));
  const cells = valueCells(map, features.map((f) => f.id), options.protection, "choroplethFigure");
  const visible = [...cells.values.values()].filter((v) => Number.isFinite(v));
  const classification = classifyVisible(visible, options);
  const digits = options.digits ?? 1;
  const extraHover = options.intervals ? (id: string) => {
    const iv = options.intervals!.get(id);
    return iv ? [`Konfidenzintervall: ${formatNumber(iv[0], { digits })} bis ${formatNumber(iv[1], { digits })}`] : [];
  } : undefined;
  return mapSpec(
    { features, values: cells.values, hidden: cells.hidden, classification, extraHover, notes: [...classNote(classification), ...protectionNotes(options.protection, cells.hidden.size)] },
    options, style, options.title, options.legendTitle ?? "Wert",
  );
}

/** Options of {@link indicatorChoropleth}. */
export interface IndicatorChoroplethOptions extends ChoroplethOptions {
  /** `protectIndicators(result, …)` or `{ unprotected: "<reason>" }`. Required. */
  protection: IndicatorProtection;
  /** Year (default: the last year of the result). */
  year?: number;
  /** Map the change over `changeYears` instead of the status quo (default false). */
  change?: boolean;
  /** Classes pooled over these years (one set of breaks for all of them, `classifyPooled`), so maps of different years compare. Default: this year alone. */
  pooledYears?: number[];
}

/**
 * A choropleth of one indicator of a result on an area system: values of the year (or their
 * change), suppressed cells grey with their symbol and reason, confidence interval and
 * significance against the city in the hover text, the definition and protection notes under
 * the map.
 *
 * @example
 * const p = kr.protectIndicators(result, { counts: kr.protectCounts(ds.counts.get("statbez")!) });
 * await kr.showFigure(kr.indicatorChoropleth(ds.areaSystems.get("statbez")!, result, "child_poverty", { protection: p, scheme: "fisher_jenks", labels: true }));
 */
export function indicatorChoropleth(system: AreaSystem | readonly MapFeature[], r: IndicatorResult, indicator: string, options: IndicatorChoroplethOptions): PlotlySpec {
  checkProtection(options?.protection, "indicatorChoropleth");
  const style = options.style ?? figureStyle();
  const def = r.definitions[indicatorIndex(r, indicator)]!;
  const year = options.year ?? r.years[r.years.length - 1]!;
  const measure = options.change ? "change" : "value";
  const cells = indicatorCells(r, indicator, year, options.protection, "indicatorChoropleth", measure);
  const features = featuresOf(system);
  const known = new Set(features.map((f) => f.id));
  const visible = [...cells.values].filter(([id, v]) => known.has(id) && Number.isFinite(v)).map(([, v]) => v);
  let classification: Classification | undefined;
  if (options.pooledYears && !options.classification) {
    const byYear = new Map<string, number[]>();
    for (const y of options.pooledYears) {
      const c = indicatorCells(r, indicator, y, options.protection, "indicatorChoropleth", measure);
      byYear.set(String(y), [...c.values].filter(([id, v]) => known.has(id) && Number.isFinite(v)).map(([, v]) => v));
    }
    const all = [...byYear.values()].flat();
    const k = Math.max(1, Math.min(options.k ?? 5, new Set(all).size));
    const scheme = options.breaks && !options.scheme ? "manual" : options.scheme ?? "quantiles";
    const pooled = classifyPooled(byYear, { scheme, k, breaks: options.breaks, closed: options.closed }).pooled;
    classification = classifyWith(visible, pooled);
    classification = { ...classification, scheme: pooled.scheme };
  } else classification = classifyVisible(visible, options);
  const unitWord = options.change ? (def.kind === "count" ? "absolut" : def.unit === "%" ? "Prozentpunkte" : def.unit) : def.unit;
  const digits = options.digits ?? def.digits;
  const extraHover = (id: string) => {
    const out: string[] = [];
    if (cells.lo.has(id)) out.push(`${Math.round((isProtectedIndicators(options.protection) ? options.protection.rules.confidence : 0.95) * 100)}-%-Konfidenzintervall: ${formatNumber(cells.lo.get(id), { digits })} bis ${formatNumber(cells.hi.get(id), { digits })}`);
    const s = cells.significance.get(id);
    if (s) out.push(s);
    return out;
  };
  const title = options.title ?? `${def.label}${options.change ? `, Veränderung ${year - r.changeYears}–${year}` : ` ${year}`}${"label" in system ? `, ${(system as AreaSystem).label}` : ""}`;
  return mapSpec(
    {
      features, values: cells.values, hidden: cells.hidden, classification, extraHover, limited: cells.limited,
      notes: [def.footnote, ...classNote(classification, options.pooledYears), ...protectionNotes(options.protection, [...cells.hidden.keys()].filter((id) => known.has(id)).length)],
    },
    { ...options, digits, unit: options.unit ?? (unitWord && unitWord !== "absolut" ? unitWord : undefined) },
    style, title, options.legendTitle ?? `${def.label} (${unitWord || "Anzahl"})`,
  );
}

/** Options of {@link categoryChoropleth}. */
export interface CategoryChoroplethOptions extends Omit<ChoroplethOptions, "scheme" | "k" | "breaks" | "closed" | "classification" | "digits" | "intervals"> {
  /** `{ hidden: Map<id, HiddenCell> }` or `{ unprotected: "<reason>" }`. Required. */
  protection: ValueProtection;
  /** Categories in legend order (default: order of first appearance). */
  order?: string[];
  /** Colour per category (default: `palette` or `style.categorical` in `order`). */
  colors?: Record<string, string>;
  /** Extra hover lines per area id. */
  hover?: ReadonlyMap<string, string[]>;
}

/**
 * A map of categories per area (e.g. MSS status classes or LISA clusters): one colour and one
 * legend entry (with count) per category; hidden areas and areas without a category grey.
 *
 * @example
 * categoryChoropleth(plr, new Map([["01100101", "mittel"]]), { protection: { unprotected: "veröffentlichte Klassen" }, order: ["hoch", "mittel", "niedrig", "sehr niedrig"] });
 */
export function categoryChoropleth(areas: MapAreas, categories: ReadonlyMap<string, string | null | undefined>, options: CategoryChoroplethOptions): PlotlySpec {
  checkProtection(options?.protection, "categoryChoropleth");
  const style = options.style ?? figureStyle();
  const features = featuresOf(areas);
  const hiddenIn = "hidden" in options.protection ? options.protection.hidden : new Map<string, HiddenCell>();
  const order = [...(options.order ?? [])];
  for (const f of features) { const c = categories.get(f.id); if (c && !hiddenIn.has(f.id) && !order.includes(c)) order.push(c); }
  const palette = options.palette ?? style.categorical;
  const colour = (c: string, i: number) => options.colors?.[c] ?? palette[i % palette.length]!;
  const groups = new Map<string, MapFeature[]>(order.map((c) => [c, []]));
  const suppressed: MapFeature[] = [], missing: MapFeature[] = [];
  for (const f of features) {
    const h = hiddenIn.get(f.id);
    const c = categories.get(f.id);
    if (h?.kind === "suppressed") suppressed.push(f);
    else if (h || !c) missing.push(f);
    else groups.get(c)!.push(f);
  }
  const tol = displayTolerance(features, options.simplify);
  const hoverOf = (f: MapFeature, line: string) => [areaTitle(f), line, ...(options.hover?.get(f.id) ?? [])].join("<br>");
  const trace = (fs: MapFeature[], col: string, name: string, line: (f: MapFeature) => string) => ({
    type: "choropleth", geojson: mapGeoJson(fs, tol), featureidkey: "properties.id", locations: fs.map((f) => f.id), z: fs.map(() => 1),
    zmin: 0, zmax: 1, colorscale: [[0, col], [1, col]], showscale: false, showlegend: true, name, marker: { line: { color: style.border, width: 0.6 } },
    text: fs.map((f) => hoverOf(f, line(f))), hovertemplate: "%{text}<extra></extra>",
  });
  const data: Record<string, unknown>[] = order.map((c, i) => trace(groups.get(c)!, colour(c, i), `${escapeText(c)} (${groups.get(c)!.length})`, () => escapeText(c)));
  if (suppressed.length) data.push(trace(suppressed, style.suppressed, `${hiddenLabel(suppressed.map((f) => hiddenIn.get(f.id)!), "gesperrt")} (${suppressed.length})`, (f) => hiddenText(hiddenIn.get(f.id)!)));
  if (missing.length) data.push(trace(missing, style.missing, `keine Angabe (${missing.length})`, (f) => (hiddenIn.get(f.id) ? hiddenText(hiddenIn.get(f.id)!) : "keine Angabe")));
  if (options.labels) {
    const pts = features.map((f) => ({ f, p: labelPoint(f) })).filter((x) => x.p);
    data.push({ type: "scattergeo", mode: "text", showlegend: false, hoverinfo: "skip", lon: pts.map((x) => x.p![0]), lat: pts.map((x) => x.p![1]), text: pts.map((x) => escapeText(options.labels === "ids" ? x.f.id : x.f.name || x.f.id)), textfont: { size: Math.max(8, style.fontSize - 3), shadow: "auto" } });
  }
  const base = baseLayout(style, { title: options.title, notes: [...(options.notes ?? []), ...protectionNotes(options.protection, suppressed.length + missing.length)], source: options.source }, { width: options.width, height: options.height, left: 10 });
  return spec(data, mergeLayout(base, {
    geo: geoLayout(), showlegend: true, margin: { r: 10 },
    legend: { title: { text: wrapText(options.legendTitle ?? "Kategorie", 30).map(escapeText).join("<br>") }, x: 0.66, xanchor: "left", y: 1, yanchor: "top", traceorder: "normal", itemclick: false, itemdoubleclick: false },
  }), protectionState(options.protection));
}

/** Options of {@link withOutline}. */
export interface OutlineOptions {
  /** Legend entry (default: the system's label, else "Grenzen"). */
  name?: string;
  /** Line colour (default `style.outline`) and width (default 1.6). */
  color?: string;
  width?: number;
  /** Write the outlined areas' names (`true`/`"names"`) or ids (`"ids"`) at their centres. */
  labels?: boolean | "names" | "ids";
  /** Simplify for display (as {@link ChoroplethOptions.simplify}). */
  simplify?: number | false | "auto";
  style?: FigureStyle;
}

/**
 * Two boundary systems overlaid: the outlines of `outline` drawn over a map (the fill of
 * another system), e.g. statistical districts over life-situation quarters.
 *
 * @example
 * const fill = indicatorChoropleth(quartiere, result, "child_poverty", { protection: p });
 * await showFigure(withOutline(fill, ds.areaSystems.get("statbez")!));
 */
export function withOutline(base: PlotlySpec, outline: MapAreas, options: OutlineOptions = {}): PlotlySpec {
  const style = options.style ?? figureStyle();
  const features = featuresOf(outline);
  const { lon, lat } = outlineLines(features, displayTolerance(features, options.simplify));
  const name = options.name ?? (!Array.isArray(outline) ? `Grenzen: ${(outline as AreaSystem).label}` : "Grenzen");
  const data = [...base.data, {
    type: "scattergeo", mode: "lines", lon, lat, name: escapeText(name), showlegend: true, hoverinfo: "skip",
    line: { color: options.color ?? style.outline, width: options.width ?? 1.6 },
  }];
  if (options.labels) {
    const pts = features.map((f) => ({ f, p: labelPoint(f) })).filter((x) => x.p);
    data.push({
      type: "scattergeo", mode: "text", showlegend: false, hoverinfo: "skip", lon: pts.map((x) => x.p![0]), lat: pts.map((x) => x.p![1]),
      text: pts.map((x) => `<b>${escapeText(options.labels === "ids" ? x.f.id : x.f.name || x.f.id)}</b>`), textfont: { size: style.fontSize - 1, color: options.color ?? style.outline, shadow: "auto" },
    } as never);
  }
  return { ...base, data };
}

/** Hidden cells of an indicator as a map for value-level builders (helper for notebooks). */
export function hiddenOf(r: IndicatorResult, indicator: string, year: number, protection: IndicatorProtection): Map<string, HiddenCell> {
  return indicatorCells(r, indicator, year, protection, "hiddenOf").hidden;
}
