/**
 * Charts as plotly specs: time series of areas against the city, ranking bars with the city line
 * and confidence intervals, population pyramid, scatter of two indicators, spine chart of an
 * area profile, and the MSS status × dynamics matrix. German labels; hidden values are gaps or
 * symbols, never drawn with their value.
 */
import { linearRegression, linearRegressionLine, rSquared } from "simple-statistics";
import type { MssResult } from "../../explore/mss";
import type { CountCube, IndicatorResult } from "../../indicators/compute";
import { ageBands } from "../../indicators/terms";
import { formatNumber } from "../format";
import type { PlotlySpec } from "../render";
import {
  checkProtection, indicatorCells, indicatorIndex, protectionNotes, protectionState, yearIndex,
  type HiddenCell, type IndicatorCells, type IndicatorProtection, type ValueProtection,
} from "./protection";
import { baseLayout, escapeText, figureStyle, labelMargin, mergeLayout, spec, type FigureStyle } from "./style";

/** Options every chart accepts. */
export interface ChartOptions {
  title?: string;
  /** Extra lines under the chart (definitions), before the source. */
  notes?: string[];
  /** Source line (default `style.source`). */
  source?: string;
  style?: FigureStyle;
  width?: number;
  height?: number;
}

/** Options of indicator-level charts. */
export interface IndicatorChartOptions extends ChartOptions {
  /** `protectIndicators(result, …)` or `{ unprotected: "<reason>" }`. Required. */
  protection: IndicatorProtection;
  /** Area names by id (default: ids). */
  names?: ReadonlyMap<string, string>;
  /** Year (default: the last year of the result). */
  year?: number;
}

const axis = (style: FigureStyle, title?: string, extra: Record<string, unknown> = {}) => ({
  ...(title ? { title: { text: escapeText(title) } } : {}), gridcolor: style.grid, zerolinecolor: "#bdbdbd", linecolor: "#bdbdbd", automargin: false, ...extra,
});

function unitText(def: { unit: string; kind: string }): string {
  return def.unit ? (def.unit === "%" ? "%" : def.unit) : "";
}

/** Unique display labels: the name, with the id added where names repeat or are empty. */
export function areaLabels(ids: readonly string[], names?: ReadonlyMap<string, string>): Map<string, string> {
  const count = new Map<string, number>();
  for (const id of ids) { const n = names?.get(id) || ""; count.set(n, (count.get(n) ?? 0) + 1); }
  return new Map(ids.map((id) => {
    const n = names?.get(id) || "";
    return [id, !n ? id : count.get(n)! > 1 ? `${n} (${id})` : n];
  }));
}

/** Area names: the option, else those a dataset protection (`protectedIndicatorsFor`) carries. */
function namesFrom(o: { names?: ReadonlyMap<string, string>; protection?: unknown }): ReadonlyMap<string, string> | undefined {
  if (o.names) return o.names;
  const n = (o.protection as { names?: unknown } | undefined)?.names;
  return n instanceof Map ? (n as Map<string, string>) : undefined;
}

function hiddenNote(label: string, h: HiddenCell): string {
  return `${label}: ${h.symbol} (${h.reason})`;
}

function listNote(prefix: string, items: string[], max = 6): string[] {
  if (!items.length) return [];
  return [`${prefix} ${items.slice(0, max).join("; ")}${items.length > max ? ` und ${items.length - max} weitere` : ""}.`];
}

// --- time series ----------------------------------------------------------------------------

/** Options of {@link timeSeriesFigure}. */
export interface TimeSeriesOptions extends Omit<IndicatorChartOptions, "year"> {
  /** Draw the city line (default true). */
  city?: boolean;
  /** Draw confidence intervals as error bars where the protection has them (default true). */
  intervals?: boolean;
}

/**
 * An indicator over the years for one or more areas against the city. Hidden years are gaps
 * (listed under the chart with symbol and reason).
 *
 * @example
 * await showFigure(timeSeriesFigure(result, "child_poverty", ["0101"], { protection: p, names: names }));
 */
export function timeSeriesFigure(r: IndicatorResult, indicator: string, areas: readonly string[], options: TimeSeriesOptions): PlotlySpec {
  checkProtection(options?.protection, "timeSeriesFigure");
  const style = options.style ?? figureStyle();
  const i = indicatorIndex(r, indicator);
  const def = r.definitions[i]!;
  for (const a of areas) if (!r.areas.includes(a)) throw new Error(`invalid area: ${JSON.stringify(a)} (not in the result)`);
  const labels = areaLabels(areas, namesFrom(options));
  const perYear = r.years.map((y) => indicatorCells(r, indicator, y, options.protection, "timeSeriesFigure"));
  const unit = unitText(def);
  const fmt = (v: number) => formatNumber(v, { digits: def.digits, unit: unit || undefined });
  const gaps: string[] = [];
  const data: Record<string, unknown>[] = areas.map((id, n) => {
    const ys = perYear.map((c) => { const v = c.values.get(id)!; return Number.isFinite(v) ? v : null; });
    perYear.forEach((c, y) => { const h = c.hidden.get(id); if (h) gaps.push(hiddenNote(`${labels.get(id)} ${r.years[y]}`, h)); });
    const withCi = (options.intervals ?? true) && perYear.some((c) => c.lo.has(id));
    return {
      type: "scatter", mode: "lines+markers", name: escapeText(labels.get(id)!), x: [...r.years], y: ys,
      line: { color: style.categorical[n % style.categorical.length], width: 2.5 }, marker: { size: 7 },
      text: perYear.map((c, y) => {
        const h = c.hidden.get(id);
        if (h) return `${r.years[y]}: ${escapeText(h.symbol)} (${escapeText(h.reason)})`;
        const ci = c.lo.has(id) ? ` (KI ${formatNumber(c.lo.get(id), { digits: def.digits })} bis ${formatNumber(c.hi.get(id), { digits: def.digits })})` : "";
        return `${r.years[y]}: ${fmt(c.values.get(id)!)}${ci}`;
      }),
      hovertemplate: `${escapeText(labels.get(id)!)}<br>%{text}<extra></extra>`,
      connectgaps: false,
      ...(withCi ? { error_y: {
        type: "data", symmetric: false, thickness: 1, width: 4, color: style.categorical[n % style.categorical.length],
        array: perYear.map((c) => (c.hi.has(id) ? c.hi.get(id)! - c.values.get(id)! : null)),
        arrayminus: perYear.map((c) => (c.lo.has(id) ? c.values.get(id)! - c.lo.get(id)! : null)),
      } } : {}),
    };
  });
  if (options.city ?? true) {
    const Y = r.years.length;
    const cityVals = r.years.map((_, y) => { const v = r.reference.value[i * Y + y]!; return Number.isFinite(v) ? v : null; });
    data.push({
      type: "scatter", mode: "lines+markers", name: "Stadt", x: [...r.years], y: cityVals,
      line: { color: style.city, width: 2, dash: "dash" }, marker: { size: 5, color: style.city },
      text: cityVals.map((v, y) => `${r.years[y]}: ${v === null ? "–" : fmt(v)}`), hovertemplate: "Stadt<br>%{text}<extra></extra>",
    });
  }
  const base = baseLayout(style, {
    title: options.title ?? `${def.label} ${r.years[0]}–${r.years[r.years.length - 1]}`,
    notes: [def.footnote, ...(options.notes ?? []), ...listNote("Lücken:", gaps), ...protectionNotes(options.protection, 0)], source: options.source,
  }, { width: options.width, height: options.height ?? 440, left: 76, axisBottom: 52, top: 80 });
  return spec(data, mergeLayout(base, {
    xaxis: axis(style, "Jahr", { tickmode: "array", tickvals: [...r.years], ticktext: r.years.map(String) }),
    yaxis: axis(style, `${def.label}${unit ? ` (${unit})` : ""}`, { rangemode: def.kind === "count" || def.unit === "%" ? "tozero" : "normal" }),
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    hovermode: "closest",
  }), protectionState(options.protection));
}

// --- ranking --------------------------------------------------------------------------------

/** Options of {@link rankingFigure}. */
export interface RankingOptions extends IndicatorChartOptions {
  /** Only the `top` highest areas (default all). */
  top?: number;
  /** Areas to highlight (outlined bars). */
  highlight?: readonly string[];
}

const SIG_COLOURS: Record<string, string> = {
  "signifikant über dem Stadtwert": "#D55E00",
  "signifikant unter dem Stadtwert": "#0072B2",
  "nicht signifikant verschieden": "#A6A6A6",
};

/**
 * Ranking bars: areas sorted by value (rank 1 at the top), the city value as a vertical line,
 * confidence intervals as error bars, bars coloured by significance against the city (where
 * the protection gives intervals). Hidden areas are listed at the bottom with their symbol.
 *
 * @example
 * await showFigure(rankingFigure(result, "child_poverty", { protection: p, names: names }));
 */
export function rankingFigure(r: IndicatorResult, indicator: string, options: RankingOptions): PlotlySpec {
  checkProtection(options?.protection, "rankingFigure");
  const style = options.style ?? figureStyle();
  const i = indicatorIndex(r, indicator);
  const def = r.definitions[i]!;
  const year = options.year ?? r.years[r.years.length - 1]!;
  const y = yearIndex(r, year);
  const cells = indicatorCells(r, indicator, year, options.protection, "rankingFigure");
  const labels = areaLabels(r.areas, namesFrom(options));
  const shown = r.areas.filter((a) => Number.isFinite(cells.values.get(a)!)).sort((a, b) => cells.values.get(b)! - cells.values.get(a)!);
  const top = options.top ? shown.slice(0, options.top) : shown;
  const hidden = options.top ? [] : r.areas.filter((a) => cells.hidden.has(a));
  const order = [...top, ...hidden];
  const unit = unitText(def);
  const fmt = (v: number) => formatNumber(v, { digits: def.digits, unit: unit || undefined });
  const groups = new Map<string, string[]>();
  for (const a of top) {
    const g = cells.significance.get(a) ?? "Wert";
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(a);
  }
  const sigOrder = ["signifikant über dem Stadtwert", "nicht signifikant verschieden", "signifikant unter dem Stadtwert", "Wert"];
  const highlight = new Set(options.highlight ?? []);
  const data: Record<string, unknown>[] = sigOrder.filter((g) => groups.has(g)).map((g) => {
    const ids = groups.get(g)!;
    const withCi = ids.some((a) => cells.lo.has(a));
    return {
      type: "bar", orientation: "h", name: g === "Wert" ? escapeText(def.label) : g, y: ids.map((a) => escapeText(labels.get(a)!)), x: ids.map((a) => cells.values.get(a)!),
      marker: { color: SIG_COLOURS[g] ?? style.categorical[0], line: { color: ids.map((a) => (highlight.has(a) ? style.text : "rgba(0,0,0,0)")), width: 2 } },
      text: ids.map((a) => {
        const rank = shown.indexOf(a) + 1;
        const ci = cells.lo.has(a) ? `<br>KI: ${formatNumber(cells.lo.get(a), { digits: def.digits })} bis ${formatNumber(cells.hi.get(a), { digits: def.digits })}` : "";
        const v = fmt(cells.values.get(a)!);
        return `Rang ${rank} von ${shown.length}: ${cells.limited.has(a) ? `(${v})` : v}${ci}`;
      }),
      hovertemplate: "<b>%{y}</b><br>%{text}<extra></extra>", textposition: "none",
      ...(withCi ? { error_x: {
        type: "data", symmetric: false, thickness: 1.2, width: 3, color: "#444444",
        array: ids.map((a) => (cells.hi.has(a) ? cells.hi.get(a)! - cells.values.get(a)! : null)),
        arrayminus: ids.map((a) => (cells.lo.has(a) ? cells.values.get(a)! - cells.lo.get(a)! : null)),
      } } : {}),
    };
  });
  if (hidden.length) data.push({
    type: "scatter", mode: "text", name: "gesperrt / keine Angabe", showlegend: false, y: hidden.map((a) => escapeText(labels.get(a)!)), x: hidden.map(() => 0),
    text: hidden.map((a) => escapeText(cells.hidden.get(a)!.symbol)), textposition: "middle right", textfont: { color: style.muted, size: style.fontSize + 2 },
    hovertext: hidden.map((a) => escapeText(cells.hidden.get(a)!.reason)), hovertemplate: "<b>%{y}</b><br>%{text} %{hovertext}<extra></extra>",
  });
  const Y = r.years.length;
  const city = r.reference.value[i * Y + y]!;
  const height = options.height ?? Math.max(320, 150 + 20 * order.length);
  const base = baseLayout(style, {
    title: options.title ?? `${def.label} ${year}: Rangfolge${options.top ? ` (die ${options.top} höchsten Werte)` : ""}`,
    notes: [def.footnote, ...(options.notes ?? []), ...listNote("Ohne Balken:", hidden.map((a) => hiddenNote(labels.get(a)!, cells.hidden.get(a)!))), ...protectionNotes(options.protection, 0)], source: options.source,
  }, { width: options.width, height, left: labelMargin(order.map((a) => labels.get(a)!), style), axisBottom: 52, top: 84 });
  const layout = mergeLayout(base, {
    barmode: "overlay",
    xaxis: axis(style, `${def.label}${unit ? ` (${unit})` : ""}`, { rangemode: "tozero" }),
    yaxis: axis(style, undefined, { categoryorder: "array", categoryarray: order.map((a) => escapeText(labels.get(a)!)), autorange: "reversed", tickfont: { size: style.fontSize - 1 } }),
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
    shapes: Number.isFinite(city) ? [{ type: "line", xref: "x", yref: "paper", x0: city, x1: city, y0: 0, y1: 1, line: { color: style.city, width: 2, dash: "dash" } }] : [],
    annotations: Number.isFinite(city) ? [{ xref: "x", yref: "paper", x: city, y: 1, yanchor: "bottom", xanchor: "left", text: `Stadt: ${fmt(city)}`, showarrow: false, font: { size: style.fontSize - 1 } }] : [],
  });
  return spec(data, layout, protectionState(options.protection));
}

// --- population pyramid ---------------------------------------------------------------------

/** One side of a pyramid. */
export interface PyramidSide {
  /** Legend name, e.g. `"Männer"` or `"Gebiet"`. */
  name: string;
  /** Value per band (counts or percentages), in `bands` order. */
  values: readonly number[];
}

/** Input of {@link pyramidFigure}. */
export interface PyramidOptions extends ChartOptions {
  /** Band labels, youngest first, e.g. `["0–2", "3–5", …, "90+"]`. */
  bands: readonly string[];
  left: PyramidSide;
  right: PyramidSide;
  /** Reference outlines (e.g. the city), same bands; drawn as step lines over the bars. */
  leftReference?: PyramidSide;
  rightReference?: PyramidSide;
  /** Values are percentages (axis "Anteil in %", default false: counts "Personen"). */
  percent?: boolean;
  /**
   * `{ hidden: Map<key, HiddenCell> }` with keys `"<band>"` (both sides) or `"left:<band>"` /
   * `"right:<band>"`, or `{ unprotected: "<reason>" }`. Required.
   */
  protection: ValueProtection;
}

/**
 * A population pyramid: bands on the vertical axis (youngest at the bottom), the left side to
 * the left, the right side to the right, optional reference outlines. Hidden bands are gaps
 * listed under the chart.
 *
 * @example
 * await showFigure(pyramidFigure({ ...agePyramidData(counts, "0101", 2024), protection: { unprotected: "Anteile, keine Fallzahlen unter 3" } }));
 */
export function pyramidFigure(options: PyramidOptions): PlotlySpec {
  checkProtection(options?.protection, "pyramidFigure");
  const style = options.style ?? figureStyle();
  const { bands } = options;
  for (const s of [options.left, options.right, options.leftReference, options.rightReference]) {
    if (s && s.values.length !== bands.length) throw new Error(`invalid pyramid side ${JSON.stringify(s.name)}: ${s.values.length} values for ${bands.length} bands`);
  }
  const hiddenIn = "hidden" in options.protection ? options.protection.hidden : new Map<string, HiddenCell>();
  const gaps: string[] = [];
  const visible = (side: "left" | "right", s: PyramidSide) => s.values.map((v, b) => {
    const h = hiddenIn.get(`${side}:${bands[b]}`) ?? hiddenIn.get(bands[b]!);
    if (h) { gaps.push(hiddenNote(`${s.name} ${bands[b]}`, h)); return null; }
    return Number.isFinite(v) ? v : null;
  });
  const digits = options.percent ? 1 : 0;
  const fmt = (v: number | null) => (v === null ? "–" : formatNumber(Math.abs(v), { digits, unit: options.percent ? "%" : undefined }));
  const lv = visible("left", options.left), rv = visible("right", options.right);
  const pos = bands.map((_, b) => b);
  const bar = (s: PyramidSide, vals: (number | null)[], sign: number, colour: string) => ({
    type: "bar", orientation: "h", name: escapeText(s.name), y: pos, x: vals.map((v) => (v === null ? null : sign * v)), width: 0.92,
    marker: { color: colour }, text: vals.map(fmt), customdata: [...bands], textposition: "none", hovertemplate: `${escapeText(s.name)} %{customdata}: %{text}<extra></extra>`,
  });
  const data: Record<string, unknown>[] = [bar(options.left, lv, -1, style.categorical[0]!), bar(options.right, rv, 1, style.categorical[1]!)];
  const ref = (s: PyramidSide | undefined, sign: number) => {
    if (!s) return;
    // a step outline: a vertical segment per band at its value, joined by horizontal segments
    const xs: (number | null)[] = [], ys: number[] = [], texts: string[] = [];
    s.values.forEach((v, b) => {
      const x = Number.isFinite(v) ? sign * v : null;
      xs.push(x, x); ys.push(b - 0.46, b + 0.46); texts.push(`${bands[b]}: ${fmt(v)}`, `${bands[b]}: ${fmt(v)}`);
    });
    data.push({
      type: "scatter", mode: "lines", name: escapeText(s.name), y: ys, x: xs, line: { color: style.city, width: 1.6 }, connectgaps: false,
      text: texts, hovertemplate: `${escapeText(s.name)} %{text}<extra></extra>`,
    });
  };
  ref(options.leftReference, -1);
  ref(options.rightReference, 1);
  const max = Math.max(1e-9, ...[...lv, ...rv].map((v) => Math.abs(v ?? 0)), ...[options.leftReference, options.rightReference].flatMap((s) => s?.values.map(Math.abs) ?? []));
  const step = niceStep(max / 3);
  const ticks: number[] = [];
  for (let t = -Math.floor(max / step) * step; t <= max + 1e-9; t += step) ticks.push(Math.round(t * 1e9) / 1e9);
  const base = baseLayout(style, { title: options.title, notes: [...(options.notes ?? []), ...listNote("Lücken:", gaps), ...protectionNotes(options.protection, 0)], source: options.source }, { width: options.width, height: options.height ?? Math.max(400, 170 + 22 * bands.length), left: 80, axisBottom: 52, top: 80 });
  return spec(data, mergeLayout(base, {
    barmode: "overlay", bargap: 0.08,
    xaxis: axis(style, options.percent ? "Anteil in %" : "Personen", { tickmode: "array", tickvals: ticks, ticktext: ticks.map((t) => formatNumber(Math.abs(t), { digits: step < 1 ? 1 : 0 })), range: [-max * 1.05, max * 1.05] }),
    yaxis: axis(style, "Alter (Jahre)", { tickmode: "array", tickvals: pos, ticktext: [...bands], range: [-0.6, bands.length - 0.4], showgrid: false }),
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
  }), protectionState(options.protection));
}

function niceStep(x: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * Pyramid data from a count table: the age bands of the table (`age_00_03`, …) of one area as
 * shares of all its banded residents (%), on the left, and the same for the sum of all areas
 * (the city) on the right, with the city as outline on both sides for comparison. Bands come
 * from the table's variables, so coarser city bands work unchanged.
 *
 * @example
 * pyramidFigure({ ...agePyramidData(ds.counts.get("statbez")!, "0101", 2024, names.get("0101")), protection: p });
 */
export function agePyramidData(counts: CountCube, area: string, year: number, areaName?: string): Pick<PyramidOptions, "bands" | "left" | "right" | "leftReference" | "percent" | "title"> {
  const bands = ageBands(counts.variables);
  if (!bands.length) throw new Error("invalid counts: no age-band variables (age_00_03, …)");
  const a = counts.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not in the counts)`);
  const y = counts.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${counts.years.join(", ")})`);
  const V = counts.variables.length, Y = counts.years.length;
  const vi = bands.map((b) => counts.variables.indexOf(b.id));
  const at = (ai: number) => vi.map((v) => counts.values[(ai * Y + y) * V + v]!);
  const own = at(a);
  const city = vi.map(() => 0);
  counts.areas.forEach((_, ai) => at(ai).forEach((x, b) => { if (Number.isFinite(x)) city[b] += x; }));
  const pct = (xs: number[]) => { const s = xs.reduce((p, q) => p + (Number.isFinite(q) ? q : 0), 0); return xs.map((x) => (s > 0 && Number.isFinite(x) ? (100 * x) / s : NaN)); };
  const label = (b: { from: number; to: number | null }) => (b.to === null ? `${b.from}+` : `${b.from}–${b.to - 1}`);
  const name = areaName || area;
  const cityPct = pct(city);
  return {
    bands: bands.map(label),
    left: { name, values: pct(own) },
    right: { name: "Stadt", values: cityPct },
    leftReference: { name: "Stadt (Umriss)", values: cityPct },
    percent: true,
    title: `Altersaufbau ${year}: ${name} und Stadt`,
  };
}

// --- scatter --------------------------------------------------------------------------------

/** One point of {@link scatterFigure}. */
export interface ScatterPoint { id: string; name?: string; x: number; y: number }

/** Options of {@link scatterFigure}. */
export interface ScatterOptions extends ChartOptions {
  /** `{ hidden: Map<id, HiddenCell> }` or `{ unprotected: "<reason>" }`. Required. */
  protection: ValueProtection;
  xTitle: string;
  yTitle: string;
  /** Reference point (the city), drawn as a cross with dashed lines. */
  reference?: { x: number; y: number; label?: string };
  /** Areas to highlight (coloured and labelled). */
  highlight?: readonly string[];
  /** Label every point with its name (default false: only highlighted ones). */
  labels?: boolean;
  /** Least-squares line with R² (default false). */
  trend?: boolean;
  /** Digits in hover texts (default 1). */
  digits?: number;
}

/**
 * A scatter of two values per area (hidden areas and areas without both values are left out and
 * counted under the chart), with the city as reference cross and an optional trend line.
 *
 * @example
 * scatterFigure(points, { protection: { unprotected: "veröffentlichte Indikatoren" }, xTitle: "S1 (%)", yTitle: "S4 (%)", trend: true });
 */
export function scatterFigure(points: readonly ScatterPoint[], options: ScatterOptions): PlotlySpec {
  checkProtection(options?.protection, "scatterFigure");
  const style = options.style ?? figureStyle();
  const hiddenIn = "hidden" in options.protection ? options.protection.hidden : new Map<string, HiddenCell>();
  const ok = points.filter((p) => !hiddenIn.has(p.id) && Number.isFinite(p.x) && Number.isFinite(p.y));
  const left = points.length - ok.length;
  const labels = areaLabels(points.map((p) => p.id), new Map(points.map((p) => [p.id, p.name ?? ""])));
  const hl = new Set(options.highlight ?? []);
  const d = options.digits ?? 1;
  const hover = (p: ScatterPoint) => `<b>${escapeText(labels.get(p.id)!)}</b><br>${escapeText(options.xTitle)}: ${formatNumber(p.x, { digits: d })}<br>${escapeText(options.yTitle)}: ${formatNumber(p.y, { digits: d })}`;
  const normal = ok.filter((p) => !hl.has(p.id)), high = ok.filter((p) => hl.has(p.id));
  const data: Record<string, unknown>[] = [{
    type: "scatter", mode: options.labels ? "markers+text" : "markers", name: "Gebiete", x: normal.map((p) => p.x), y: normal.map((p) => p.y),
    marker: { color: style.categorical[0], size: 8, opacity: 0.75, line: { color: "#ffffff", width: 0.5 } },
    text: normal.map((p) => (options.labels ? escapeText(labels.get(p.id)!) : "")), textposition: "top center", textfont: { size: style.fontSize - 3 },
    hovertext: normal.map(hover), hovertemplate: "%{hovertext}<extra></extra>",
  }];
  if (high.length) data.push({
    type: "scatter", mode: "markers+text", name: "hervorgehoben", x: high.map((p) => p.x), y: high.map((p) => p.y),
    marker: { color: style.highlight, size: 11, line: { color: "#ffffff", width: 1 } }, text: high.map((p) => escapeText(labels.get(p.id)!)), textposition: "top center",
    hovertext: high.map(hover), hovertemplate: "%{hovertext}<extra></extra>",
  });
  const notes: string[] = [];
  if (options.trend && ok.length >= 3) {
    const pairs = ok.map((p) => [p.x, p.y]);
    const lr = linearRegression(pairs);
    const line = linearRegressionLine(lr);
    const r2 = rSquared(pairs, line);
    const xs = [Math.min(...ok.map((p) => p.x)), Math.max(...ok.map((p) => p.x))];
    data.push({ type: "scatter", mode: "lines", name: `Trend (R² = ${formatNumber(r2, { digits: 2 })})`, x: xs, y: xs.map(line), line: { color: style.muted, width: 1.5, dash: "dot" }, hoverinfo: "skip" });
  }
  const shapes: Record<string, unknown>[] = [];
  if (options.reference && Number.isFinite(options.reference.x) && Number.isFinite(options.reference.y)) {
    const ref = options.reference;
    data.push({ type: "scatter", mode: "markers", name: escapeText(ref.label ?? "Stadt"), x: [ref.x], y: [ref.y], marker: { symbol: "x-thin-open", size: 14, color: style.city, line: { width: 2.5, color: style.city } },
      hovertemplate: `${escapeText(ref.label ?? "Stadt")}<br>${formatNumber(ref.x, { digits: d })} / ${formatNumber(ref.y, { digits: d })}<extra></extra>` });
    shapes.push({ type: "line", xref: "x", yref: "paper", x0: ref.x, x1: ref.x, y0: 0, y1: 1, line: { color: style.city, width: 1, dash: "dash" } });
    shapes.push({ type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: ref.y, y1: ref.y, line: { color: style.city, width: 1, dash: "dash" } });
  }
  if (left) notes.push(`${left} ${left === 1 ? "Gebiet" : "Gebiete"} ohne Punkt (gesperrt oder ohne Wert).`);
  const base = baseLayout(style, { title: options.title, notes: [...(options.notes ?? []), ...notes, ...protectionNotes(options.protection, 0)], source: options.source }, { width: options.width, height: options.height ?? 540, left: 76, axisBottom: 52, top: 80 });
  return spec(data, mergeLayout(base, {
    xaxis: axis(style, options.xTitle), yaxis: axis(style, options.yTitle), shapes,
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" }, hovermode: "closest",
  }), protectionState(options.protection));
}

/**
 * A scatter of two indicators of a result in one year (city as reference); an area hidden in
 * either indicator is left out.
 *
 * @example
 * await showFigure(indicatorScatter(result, "unemployment_rate", "child_poverty", { protection: p, names: names, trend: true }));
 */
export function indicatorScatter(r: IndicatorResult, xIndicator: string, yIndicator: string, options: IndicatorChartOptions & Omit<ScatterOptions, "protection" | "xTitle" | "yTitle" | "reference"> & { xTitle?: string; yTitle?: string }): PlotlySpec {
  checkProtection(options?.protection, "indicatorScatter");
  const year = options.year ?? r.years[r.years.length - 1]!;
  const xi = indicatorIndex(r, xIndicator), yi = indicatorIndex(r, yIndicator);
  const cx = indicatorCells(r, xIndicator, year, options.protection, "indicatorScatter");
  const cy = indicatorCells(r, yIndicator, year, options.protection, "indicatorScatter");
  const hidden = new Map<string, HiddenCell>([...cx.hidden, ...cy.hidden]);
  const dx = r.definitions[xi]!, dy = r.definitions[yi]!;
  const Y = r.years.length, y = yearIndex(r, year);
  const t = (d: typeof dx) => `${d.label}${d.unit ? ` (${d.unit})` : ""}`;
  return scatterFigure(r.areas.map((id) => ({ id, name: namesFrom(options)?.get(id), x: cx.values.get(id)!, y: cy.values.get(id)! })), {
    ...options,
    protection: { hidden, notes: protectionNotes(options.protection, hidden.size) },
    xTitle: options.xTitle ?? t(dx), yTitle: options.yTitle ?? t(dy),
    reference: { x: r.reference.value[xi * Y + y]!, y: r.reference.value[yi * Y + y]!, label: "Stadt" },
    title: options.title ?? `${dx.label} und ${dy.label} ${year}`,
    notes: [...(options.notes ?? []), dx.footnote, dy.footnote],
  });
}

// --- spine chart ----------------------------------------------------------------------------

function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/**
 * A spine chart for an area profile ("Steckbrief"), as atlas tools draw them: one row per
 * indicator, the range of all areas (light: minimum–maximum, dark: middle 50 %), the city as a
 * black tick and the area as a dot, each row scaled from its minimum (left) to its maximum
 * (right); the values themselves stand in columns on the right.
 *
 * @example
 * await showFigure(spineFigure(result, "0101", ["child_poverty", "unemployment_rate", "share_65plus"], { protection: p, names: names }));
 */
export function spineFigure(r: IndicatorResult, area: string, indicators: readonly string[], options: IndicatorChartOptions): PlotlySpec {
  checkProtection(options?.protection, "spineFigure");
  const style = options.style ?? figureStyle();
  if (!r.areas.includes(area)) throw new Error(`invalid area: ${JSON.stringify(area)} (not in the result)`);
  const year = options.year ?? r.years[r.years.length - 1]!;
  const y = yearIndex(r, year), Y = r.years.length;
  const name = namesFrom(options)?.get(area) || area;
  type Row = { label: string; min: number; q1: number; q3: number; max: number; city: number; value: number; hidden?: HiddenCell; digits: number; unit: string; rank: number; n: number; sig?: string; limited: boolean };
  const rows: Row[] = indicators.map((id) => {
    const i = indicatorIndex(r, id);
    const def = r.definitions[i]!;
    const c: IndicatorCells = indicatorCells(r, id, year, options.protection, "spineFigure");
    const vals = [...c.values.values()].filter(Number.isFinite).sort((a, b) => a - b);
    const value = c.values.get(area)!;
    return {
      label: `${def.label}${def.unit ? ` (${def.unit})` : ""}`, digits: def.digits, unit: def.unit,
      min: vals[0] ?? NaN, q1: vals.length ? quantile(vals, 0.25) : NaN, q3: vals.length ? quantile(vals, 0.75) : NaN, max: vals[vals.length - 1] ?? NaN,
      city: r.reference.value[i * Y + y]!, value, hidden: c.hidden.get(area), n: vals.length,
      rank: Number.isFinite(value) ? vals.filter((v) => v > value).length + 1 : NaN, sig: c.significance.get(area), limited: c.limited.has(area),
    };
  });
  const t = (row: Row, v: number) => (row.max > row.min ? (v - row.min) / (row.max - row.min) : 0.5);
  const labels = rows.map((row) => escapeText(row.label));
  const f = (row: Row, v: number) => formatNumber(v, { digits: row.digits });
  const data: Record<string, unknown>[] = [
    { type: "bar", orientation: "h", name: "Spanne aller Gebiete", y: labels, base: rows.map(() => 0), x: rows.map((row) => (Number.isFinite(row.min) ? 1 : 0)),
      marker: { color: "#e3e3e3" }, width: 0.55, textposition: "none", hovertemplate: "%{y}<br>%{text}<extra></extra>", text: rows.map((row) => `Spanne: ${f(row, row.min)} bis ${f(row, row.max)} (${row.n} Gebiete)`) },
    { type: "bar", orientation: "h", name: "mittlere 50 % der Gebiete", y: labels, base: rows.map((row) => t(row, row.q1)), x: rows.map((row) => t(row, row.q3) - t(row, row.q1)),
      marker: { color: "#a9a9a9" }, width: 0.55, textposition: "none", hovertemplate: "%{y}<br>%{text}<extra></extra>", text: rows.map((row) => `mittlere 50 %: ${f(row, row.q1)} bis ${f(row, row.q3)}`) },
    { type: "scatter", mode: "markers", name: "Stadt", y: labels, x: rows.map((row) => (Number.isFinite(row.city) ? t(row, row.city) : null)),
      marker: { symbol: "line-ns-open", size: 22, color: style.city, line: { width: 3, color: style.city } }, text: rows.map((row) => `Stadt: ${f(row, row.city)}`), hovertemplate: "%{y}<br>%{text}<extra></extra>" },
    { type: "scatter", mode: "markers", name: escapeText(name), y: labels, x: rows.map((row) => (Number.isFinite(row.value) ? t(row, row.value) : null)),
      marker: { symbol: "circle", size: 14, color: rows.map((row) => SIG_COLOURS[row.sig ?? ""] ?? style.highlight), line: { color: "#ffffff", width: 1.5 } },
      text: rows.map((row) => `${escapeText(name)}: ${f(row, row.value)}, Rang ${row.rank} von ${row.n}${row.sig ? `<br>${row.sig}` : ""}`), hovertemplate: "%{y}<br>%{text}<extra></extra>" },
  ];
  const cols: { head: string; x: number; cell: (row: Row) => string }[] = [
    { head: escapeText(name.length > 18 ? name.slice(0, 17) + "…" : name), x: 0.66, cell: (row) => (row.hidden ? escapeText(row.hidden.symbol) : row.limited ? `(${f(row, row.value)})` : f(row, row.value)) },
    { head: "Stadt", x: 0.76, cell: (row) => f(row, row.city) },
    { head: "Min.", x: 0.86, cell: (row) => f(row, row.min) },
    { head: "Max.", x: 0.96, cell: (row) => f(row, row.max) },
  ];
  const annotations: Record<string, unknown>[] = [];
  for (const c of cols) {
    annotations.push({ xref: "paper", yref: "paper", x: c.x, y: 1, yanchor: "bottom", xanchor: "right", text: `<b>${c.head}</b>`, showarrow: false });
    rows.forEach((row, k) => annotations.push({ xref: "paper", yref: "y", x: c.x, y: labels[k], xanchor: "right", text: c.cell(row), showarrow: false }));
  }
  const hidden = rows.filter((row) => row.hidden).map((row) => hiddenNote(row.label, row.hidden!));
  const sig = rows.some((row) => row.sig);
  const base = baseLayout(style, {
    title: options.title ?? `Gebietsprofil ${name} ${year}`,
    notes: [
      "Jede Zeile reicht vom niedrigsten (links) bis zum höchsten Wert (rechts) aller Gebiete: hellgrau die ganze Spanne, dunkelgrau die mittleren 50 %, Strich = Stadt, Punkt = Gebiet.",
      ...(sig ? ["Punktfarbe: signifikant über (rot) / unter (blau) dem Stadtwert, grau: nicht signifikant verschieden."] : []),
      ...(options.notes ?? []), ...listNote("Ohne Punkt:", hidden), ...protectionNotes(options.protection, 0),
    ], source: options.source,
  }, { width: options.width ?? 900, height: options.height ?? Math.max(300, 190 + 40 * rows.length), left: labelMargin(labels, style), axisBottom: 8, top: 76 });
  return spec(data, mergeLayout(base, {
    barmode: "overlay",
    xaxis: { domain: [0, 0.56], range: [-0.03, 1.03], showticklabels: false, showgrid: false, zeroline: false, fixedrange: true },
    yaxis: axis(style, undefined, { categoryorder: "array", categoryarray: labels, autorange: "reversed", showgrid: false }),
    showlegend: false,
    annotations,
  }), protectionState(options.protection));
}

// --- MSS status × dynamics matrix -----------------------------------------------------------

/** Options of {@link mssMatrixFigure}. */
export interface MssMatrixOptions extends ChartOptions {
  /** Label of the areas counted (default `"Planungsräume"`). */
  areaLabel?: string;
  /** Published counts per group code (e.g. `{ 23: 296, … }`): shown beside ours where they differ. */
  published?: Record<number, number>;
}

/**
 * The MSS status × dynamics matrix: number (and share) of valid areas per group, status from
 * hoch (top) to sehr niedrig, dynamics from positiv (left) to negativ, with row and column sums.
 *
 * @example
 * await showFigure(mssMatrixFigure(kr.mssIndex(areas)));
 */
export function mssMatrixFigure(mss: MssResult, options: MssMatrixOptions = {}): PlotlySpec {
  const style = options.style ?? figureStyle();
  const status = ["hoch", "mittel", "niedrig", "sehr niedrig"];
  const dyn = ["positiv", "stabil", "negativ"];
  const n = mss.nValid;
  const z = status.map((_, s) => dyn.map((__, d) => mss.counts.groups[10 * (s + 1) + (2 * d + 1)] ?? 0));
  const text = z.map((row, s) => row.map((c, d) => {
    const code = 10 * (s + 1) + (2 * d + 1);
    const pub = options.published?.[code];
    return `<b>${c}</b><br>${formatNumber((100 * c) / n, { digits: 1 })}\u202f%${pub !== undefined && pub !== c ? `<br>(veröff.: ${pub})` : ""}`;
  }));
  const max = Math.max(...z.flat());
  const data: Record<string, unknown>[] = [{
    type: "heatmap", x: dyn.map((d) => `Dynamik ${d}`), y: status.map((s) => `Status ${s}`), z, text, texttemplate: "%{text}", textfont: { size: style.fontSize + 1 },
    colorscale: style.sequential.map((c, i) => [i / (style.sequential.length - 1), c]), zmin: 0, zmax: max, showscale: false, xgap: 3, ygap: 3,
    hovertemplate: "%{y}, %{x}: %{z} Gebiete<extra></extra>",
  }];
  const annotations: Record<string, unknown>[] = [];
  status.forEach((s, i) => annotations.push({ xref: "paper", yref: "y", x: 1.01, xanchor: "left", y: `Status ${s}`, showarrow: false, text: `Σ ${z[i]!.reduce((a, b) => a + b, 0)}` }));
  dyn.forEach((d, j) => annotations.push({ xref: "x", yref: "paper", x: `Dynamik ${d}`, y: -0.02, yanchor: "top", showarrow: false, text: `Σ ${z.reduce((a, row) => a + row[j]!, 0)}` }));
  const invalid = mss.areas.length - n;
  const base = baseLayout(style, {
    title: options.title ?? "Status-Dynamik-Matrix",
    notes: [
      `${n} gültige ${options.areaLabel ?? "Planungsräume"}${invalid ? `, ${invalid} ohne Index (unter 300 Einwohner oder Ausreißer)` : ""}. Anteile an den gültigen Gebieten.`,
      "Status: hoch z < −1, mittel −1 bis +1, niedrig +1 bis +1,5, sehr niedrig > +1,5; Dynamik: positiv z < −1, stabil −1 bis +1, negativ > +1 (MSS 2021).",
      ...(options.notes ?? []),
    ], source: options.source,
  }, { width: options.width ?? 640, height: options.height ?? 500, left: 130, axisBottom: 30, top: 96 });
  return spec(data, mergeLayout(base, {
    xaxis: { side: "top", showgrid: false, fixedrange: true },
    yaxis: { autorange: "reversed", showgrid: false, fixedrange: true },
    annotations, margin: { r: 60 },
  }), { state: "ohne-schutz", reason: "Anzahlen von Gebieten je Gruppe, keine Personenzahlen" });
}
