/**
 * The scale side of the MAUP: the same building blocks zoned into few large or many small
 * regions. For each number of regions, many seeded contiguous zonings (see `randomZonings`);
 * per zoning the indicator from summed counts per region, its spread across the regions
 * (SD, interquartile range, min–max) and its spatial autocorrelation (Moran's I over the
 * regions' contiguity). Plus plotly figures for the zoning experiment of `maupExperiment`:
 * the range chart per block sorted by median, and the scale chart.
 *
 * Only region values are used (each region has at least `minPopulation` inhabitants); the
 * blocks' own values are drawn from their protection (hidden ones are not drawn).
 */
import { contiguityWeights } from "../explore/weights";
import type { ResolvedIndicator } from "../indicators/compute";
import type { Dataset } from "../project/config";
import { describeRules } from "../protect/rules";
import type { PublishedTable } from "../protect/tables";
import { formatNumber } from "../present/format";
import { indicatorCells } from "../present/plotly/protection";
import { baseLayout, escapeText, figureStyle, mergeLayout, spec, type FigureStyle } from "../present/plotly/style";
import type { PlotlySpec } from "../present/render";
import { zoningInputs, type MaupExperiment } from "./compare";
import { randomZonings, zoningGraph, type ZoningGraph, type Zonings } from "./zoning";

/** Options of {@link zoneSizeExperiment}. */
export interface ZoneSizeOptions {
  /** Building blocks (default: the delivered system with the most areas). */
  system?: string;
  /** Indicator id (a share or ratio). Required. */
  indicator: string;
  /** Numbers of regions to compare (default five from a quarter of the parent system's count to three times it, at most blocks / 3, geometrically spaced, the parent's count in the middle). */
  regionCounts?: number[];
  /** Zonings per number of regions (default 200). */
  zonings?: number;
  /** Seed (default 1; each count uses seed + its position). */
  seed?: number;
  /** Year (default: the last). */
  year?: number;
}

/** Quartiles of one statistic over the zonings. */
export interface Spread { q1: number; median: number; q3: number; min: number; max: number }

/** One row of {@link ZoneSizeExperiment}. */
export interface ZoneSizeRow {
  /** Target number of regions. */
  target: number;
  /** Regions actually made (mean over zonings). */
  regions: number;
  /** Mean inhabitants per region. */
  meanPopulation: number;
  /** Moran's I of the region values (row-standardised region contiguity), over the zonings. */
  moran: Spread;
  /** Standard deviation (population SD) of the region values across regions, over the zonings. */
  sd: Spread;
  /** Highest minus lowest region value, over the zonings. */
  range: Spread;
  /** Share of zonings in which the region values have a positive Moran's I. */
  positiveMoran: number;
}

/** Result of {@link zoneSizeExperiment}. */
export interface ZoneSizeExperiment {
  system: string;
  indicator: ResolvedIndicator;
  year: number;
  /** City value (from the blocks' summed counts). */
  city: number;
  zoningsPerCount: number;
  rows: ZoneSizeRow[];
  /** The dataset's protection rules (as described under tables). */
  rules: string;
  ms: number;
}

function spread(xs: number[]): Spread {
  const a = xs.filter(Number.isFinite).sort((p, q) => p - q);
  const q = (p: number) => {
    if (!a.length) return NaN;
    const h = (a.length - 1) * p, lo = Math.floor(h);
    return lo + 1 < a.length ? a[lo]! + (h - lo) * (a[lo + 1]! - a[lo]!) : a[lo]!;
  };
  return { min: q(0), q1: q(0.25), median: q(0.5), q3: q(0.75), max: q(1) };
}

/**
 * Moran's I of region values for one zoning: regions are neighbours when two of their blocks
 * are; row-standardised weights; regions without a value or without neighbours are left out.
 */
export function regionMoran(z: Zonings, zoning: number, graph: ZoningGraph, values: ArrayLike<number>): number {
  const n = z.ids.length, m = z.regionCounts[zoning]!;
  const lab = z.labels.subarray(zoning * n, (zoning + 1) * n);
  const nb = Array.from({ length: m }, () => new Set<number>());
  for (let i = 0; i < n; i++) for (let e = graph.offsets[i]!; e < graph.offsets[i + 1]!; e++) {
    const a = lab[i]!, b = lab[graph.neighbours[e]!]!;
    if (a !== b) { nb[a]!.add(b); nb[b]!.add(a); }
  }
  const ok = (r: number) => Number.isFinite(values[r]!);
  const used: number[] = [];
  for (let r = 0; r < m; r++) if (ok(r) && [...nb[r]!].some(ok)) used.push(r);
  if (used.length < 3) return NaN;
  let mean = 0;
  for (const r of used) mean += values[r]!;
  mean /= used.length;
  let num = 0, den = 0;
  for (const r of used) {
    const zi = values[r]! - mean;
    const ns = [...nb[r]!].filter(ok);
    let lag = 0;
    for (const s of ns) lag += values[s]! - mean;
    num += zi * (lag / ns.length);
    den += zi * zi;
  }
  return den > 0 ? num / den : NaN;
}

function defaultCounts(parentCount: number | undefined, blocks: number): number[] {
  const hiCap = Math.max(3, Math.floor(blocks / 3));
  const base = Math.min(hiCap, parentCount ?? Math.max(3, Math.round(blocks / 15)));
  const lo = Math.max(3, Math.round(base / 4)), hi = Math.min(hiCap, base * 3);
  return [...new Set([lo, Math.sqrt(lo * base), base, Math.sqrt(base * hi), hi].map((v) => Math.max(2, Math.round(v))))].sort((a, b) => a - b);
}

/**
 * Moran's I and the spread of the indicator across regions as the number of regions changes:
 * for each count, `zonings` seeded contiguous zonings of the blocks (population bounds as in
 * `randomZonings`), the indicator per region from summed counts.
 *
 * @example
 * const s = zoneSizeExperiment(ds, { indicator: "child_poverty", regionCounts: [4, 8, 17, 34, 51] });
 * s.rows.map((r) => [r.target, r.moran.median, r.sd.median]);
 */
export function zoneSizeExperiment(ds: Dataset, options: ZoneSizeOptions): ZoneSizeExperiment {
  const t0 = performance.now();
  const systems = [...ds.counts.keys()].flatMap((k) => { const s = ds.areaSystems.get(k); return s ? [s] : []; });
  const system = options.system ?? systems.sort((a, b) => b.features.length - a.features.length)[0]?.id;
  const sys = system ? ds.areaSystems.get(system) : undefined;
  if (!sys || !system) throw new Error(`invalid system: ${JSON.stringify(options.system)} (expected one of ${[...ds.areaSystems.keys()].join(", ")})`);
  const { P, r, def, year, y, ids, pop, num, den } = zoningInputs(ds, sys, options.indicator, options.year);
  let N = 0, D = 0;
  num.forEach((v, i) => { if (Number.isFinite(v) && Number.isFinite(den[i]!)) { N += v; D += den[i]!; } });
  const graph = zoningGraph(contiguityWeights(sys.features));
  const parent = sys.parent?.system ? ds.areaSystems.get(sys.parent.system) : undefined;
  const list = options.regionCounts ?? defaultCounts(parent?.features.length, ids.length);
  for (const k of list) if (!(Number.isInteger(k) && k >= 2 && k <= ids.length)) throw new Error(`invalid regionCounts: ${k} (expected integers from 2 to ${ids.length})`);
  const Z = options.zonings ?? 200;
  const rows = list.map((k, ki): ZoneSizeRow => {
    const z = randomZonings(graph, pop, { regions: k, zonings: Z, seed: (options.seed ?? 1) + ki });
    const moranI: number[] = [], sds: number[] = [], ranges: number[] = [];
    let regions = 0, popSum = 0;
    for (let zi = 0; zi < Z; zi++) {
      const m = z.regionCounts[zi]!;
      regions += m;
      const rn = new Float64Array(m), rd = new Float64Array(m), rp = new Float64Array(m);
      for (let i = 0; i < ids.length; i++) { const g = z.labels[zi * ids.length + i]!; rn[g]! += num[i]!; rd[g]! += den[i]!; rp[g]! += pop[i]!; }
      const vals = Array.from(rn, (v, g) => (rd[g]! > 0 && Number.isFinite(v) ? (def.factor * v) / rd[g]! : NaN));
      rp.forEach((p) => { popSum += p; });
      const fin = vals.filter(Number.isFinite);
      const mean = fin.reduce((a, b) => a + b, 0) / fin.length;
      sds.push(Math.sqrt(fin.reduce((a, b) => a + (b - mean) ** 2, 0) / fin.length));
      ranges.push(Math.max(...fin) - Math.min(...fin));
      moranI.push(regionMoran(z, zi, graph, vals));
    }
    return {
      target: k, regions: regions / Z, meanPopulation: popSum / regions,
      moran: spread(moranI), sd: spread(sds), range: spread(ranges),
      positiveMoran: moranI.filter((v) => v > 0).length / moranI.filter(Number.isFinite).length,
    };
  });
  return { system, indicator: def, year, city: D > 0 ? (def.factor * N) / D : NaN, zoningsPerCount: Z, rows, rules: describeRules(P.rules), ms: performance.now() - t0 };
}

const fmt = (v: number, digits: number) => formatNumber(v, { digits });

/**
 * The scale experiment as a published table (region statistics only: no area values).
 *
 * @example
 * tslab.display.html(kr.tableHtml(kr.zoneSizeTable(s, ds.config.source)));
 */
export function zoneSizeTable(s: ZoneSizeExperiment, source?: string): PublishedTable {
  const d = s.indicator.digits;
  const rows = s.rows.map((r) => ({
    "Regionen (Ziel)": r.target, "Regionen (Mittel)": fmt(r.regions, 1), "Einwohner je Region": fmt(r.meanPopulation, 0),
    "Moran's I (Median)": fmt(r.moran.median, 2), "Moran's I (1.–3. Quartil)": `${fmt(r.moran.q1, 2)} bis ${fmt(r.moran.q3, 2)}`,
    "Zuschnitte mit I > 0 (%)": fmt(100 * r.positiveMoran, 0),
    "Streuung (SD, Median)": fmt(r.sd.median, d), "Spanne höchste − niedrigste Region (Median)": fmt(r.range.median, d),
  }));
  return {
    rows, columns: Object.keys(rows[0] ?? {}), digits: {}, system: s.system, year: s.year,
    caption: `${s.indicator.label} ${s.year}: Streuung und räumliche Autokorrelation nach Zahl der Regionen (je ${s.zoningsPerCount.toLocaleString("de-DE")} Zuschnitte)`,
    notes: [
      s.indicator.footnote,
      `Regionswerte aus summierten Anzahlen der Bausteine (Regionen mit mindestens 40 % der mittleren Regionsgröße); die Tabelle enthält keine Werte einzelner Gebiete. Moran's I mit zeilenstandardisierter Nachbarschaft der Regionen (gemeinsame Grenze). Stadtwert: ${fmt(s.city, d)}.`,
      s.rules,
      ...(source ? [`Quelle: ${source}`] : []),
    ],
    protection: { rules: s.rules },
  };
}

/** Options of the MAUP figures. */
export interface MaupFigureOptions {
  style?: FigureStyle;
  title?: string;
  width?: number;
  height?: number;
  source?: string;
}

/**
 * Range chart of the zoning experiment: one column per block, sorted by the median of its
 * region values; thin line min–max, thick line 1st–3rd quartile, dot the median, and the block's
 * own value where its protection publishes it (hidden values are not drawn). City value dashed.
 *
 * @example
 * await kr.showFigure(kr.maupRangeFigure(maup, { style: style }));
 */
export function maupRangeFigure(m: MaupExperiment, options: MaupFigureOptions = {}): PlotlySpec {
  const style = options.style ?? figureStyle();
  const d = m.distribution, def = m.indicator;
  const order = d.ids.map((_, i) => i).filter((i) => Number.isFinite(d.median[i]!)).sort((a, b) => d.median[a]! - d.median[b]!);
  const x = order.map((_, k) => k + 1);
  const names = (m.blocks as { names?: ReadonlyMap<string, string> }).names;
  const label = (i: number) => { const id = d.ids[i]!; const n = names?.get(id); return escapeText(n ? `${n} (${id})` : id); };
  const seg = (lo: Float64Array, hi: Float64Array) => {
    const xs: (number | null)[] = [], ys: (number | null)[] = [];
    order.forEach((i, k) => { xs.push(k + 1, k + 1, null); ys.push(lo[i]!, hi[i]!, null); });
    return { xs, ys };
  };
  const full = seg(d.min, d.max), iqr = seg(d.q1, d.q3);
  const thin = Math.max(1, Math.min(3, 500 / order.length)), thick = Math.max(2, Math.min(8, 1400 / order.length));
  const cells = indicatorCells(m.blocks.result, def.id, m.year, m.blocks, "maupRangeFigure");
  const own = order.map((i) => cells.values.get(d.ids[i]!) ?? NaN);
  const hidden = order.filter((i) => cells.hidden.has(d.ids[i]!)).length;
  const unit = def.unit === "%" ? " %" : def.unit ? ` ${def.unit}` : "";
  const f = (v: number) => `${fmt(v, def.digits)}${unit}`;
  const r = m.blocks.result;
  const city = r.reference.value[r.years.indexOf(m.year)]!;
  const data: Record<string, unknown>[] = [
    { type: "scatter", mode: "lines", name: "Minimum bis Maximum", x: full.xs, y: full.ys, line: { color: "#bdbdbd", width: thin }, hoverinfo: "skip" },
    { type: "scatter", mode: "lines", name: "1. bis 3. Quartil", x: iqr.xs, y: iqr.ys, line: { color: style.categorical[0], width: thick }, hoverinfo: "skip" },
    {
      type: "scatter", mode: "markers", name: "Median", x, y: order.map((i) => d.median[i]!), marker: { color: style.text, size: Math.max(3, Math.min(6, thick)) },
      text: order.map((i) => `${label(i)}<br>Median ${f(d.median[i]!)}; Quartile ${f(d.q1[i]!)} bis ${f(d.q3[i]!)}; Spanne ${f(d.min[i]!)} bis ${f(d.max[i]!)}<br>oberstes Quintil in ${fmt(100 * d.topShare[i]!, 0)} % der Zuschnitte; mittlerer Rangplatz ${fmt(100 * d.medianRankShare[i]!, 0)} % (0 = höchste Region)`),
      hovertemplate: "%{text}<extra></extra>",
    },
    {
      type: "scatter", mode: "markers", name: "eigener Wert (wo veröffentlicht)", x: x.filter((_, k) => Number.isFinite(own[k]!)), y: own.filter(Number.isFinite),
      marker: { color: style.categorical[1] ?? "#D55E00", size: Math.max(3, Math.min(6, thick)), symbol: "diamond" },
      text: order.filter((_, k) => Number.isFinite(own[k]!)).map((i) => `${label(i)}: eigener Wert ${f(cells.values.get(d.ids[i]!)!)}`), hovertemplate: "%{text}<extra></extra>",
    },
  ];
  const base = baseLayout(style, {
    title: options.title ?? `${def.label} ${m.year}: Wert der Region je ${m.zonings.count.toLocaleString("de-DE")} Zuschnitte, Gebiete nach Median geordnet`,
    notes: [
      def.footnote,
      `${m.zonings.count.toLocaleString("de-DE")} zufällige zusammenhängende Zuschnitte in ${m.summary.regions.min}–${m.summary.regions.max} Regionen (mindestens ${Math.round(m.summary.minPopulation).toLocaleString("de-DE")} Einwohner je Region). Eigene Werte nur, wo veröffentlicht (${hidden} von ${order.length} gesperrt oder ohne Wert, nicht gezeigt).`,
      describeRules(m.blocks.rules),
    ],
    source: options.source,
  }, { width: options.width ?? 960, height: options.height ?? 520, left: 70, axisBottom: 52, top: 84 });
  return spec(data, mergeLayout(base, {
    xaxis: { title: { text: `Gebiete (${order.length}), nach Median der Regionswerte geordnet` }, showticklabels: false, gridcolor: style.grid, zeroline: false },
    yaxis: { title: { text: `${escapeText(def.label)}${unit ? ` (${unit.trim()})` : ""}` }, gridcolor: style.grid, rangemode: "tozero" },
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
    shapes: Number.isFinite(city) ? [{ type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: city, y1: city, line: { color: style.city, width: 1.5, dash: "dash" } }] : [],
    annotations: Number.isFinite(city) ? [{ xref: "paper", yref: "y", x: 1, y: city, xanchor: "right", yanchor: "bottom", text: `Stadt: ${f(city)}`, showarrow: false, font: { size: style.fontSize - 1 } }] : [],
    hovermode: "closest",
  }), { state: "geschuetzt" });
}

/**
 * The scale experiment as a figure: Moran's I (left) and the SD of the region values (right)
 * against the number of regions, median with the interquartile range of the zonings.
 *
 * @example
 * await kr.showFigure(kr.zoneSizeFigure(s, { style: style }));
 */
export function zoneSizeFigure(s: ZoneSizeExperiment, options: MaupFigureOptions = {}): PlotlySpec {
  const style = options.style ?? figureStyle();
  const x = s.rows.map((r) => r.target);
  const band = (get: (r: ZoneSizeRow) => Spread, axis: string, colour: string, name: string, digits: number) => [
    { type: "scatter", mode: "lines", x, y: s.rows.map((r) => get(r).q3), line: { width: 0 }, xaxis: `x${axis}`, yaxis: `y${axis}`, showlegend: false, hoverinfo: "skip" },
    { type: "scatter", mode: "lines", x, y: s.rows.map((r) => get(r).q1), line: { width: 0 }, fill: "tonexty", fillcolor: "rgba(0,114,178,0.18)", xaxis: `x${axis}`, yaxis: `y${axis}`, name: "1. bis 3. Quartil der Zuschnitte", showlegend: axis === "", hoverinfo: "skip" },
    {
      type: "scatter", mode: "lines+markers", x, y: s.rows.map((r) => get(r).median), line: { color: colour, width: 2.5 }, marker: { size: 7 }, xaxis: `x${axis}`, yaxis: `y${axis}`, name, showlegend: true,
      text: s.rows.map((r) => `${r.target} Regionen (Ø ${fmt(r.meanPopulation, 0)} Einwohner): Median ${fmt(get(r).median, digits)}, Quartile ${fmt(get(r).q1, digits)} bis ${fmt(get(r).q3, digits)}`), hovertemplate: "%{text}<extra></extra>",
    },
  ];
  const data = [...band((r) => r.moran, "", style.categorical[0]!, "Moran's I (Median)", 2), ...band((r) => r.sd, "2", style.categorical[1] ?? "#D55E00", "Streuung SD (Median)", s.indicator.digits)];
  const base = baseLayout(style, {
    title: options.title ?? `${s.indicator.label} ${s.year}: Autokorrelation und Streuung nach Zahl der Regionen`,
    notes: [`Je ${s.zoningsPerCount.toLocaleString("de-DE")} zufällige zusammenhängende Zuschnitte je Regionszahl; Regionswerte aus summierten Anzahlen. Moran's I: zeilenstandardisierte Nachbarschaft der Regionen.`],
    source: options.source,
  }, { width: options.width ?? 960, height: options.height ?? 440, left: 64, axisBottom: 52, top: 84 });
  const unit = s.indicator.unit === "%" ? "Prozentpunkte" : s.indicator.unit;
  return spec(data, mergeLayout(base, {
    xaxis: { domain: [0, 0.44], title: { text: "Zahl der Regionen" }, type: "log", tickvals: x, ticktext: x.map(String), gridcolor: style.grid },
    yaxis: { title: { text: "Moran's I" }, gridcolor: style.grid, zerolinecolor: "#888" },
    xaxis2: { domain: [0.56, 1], anchor: "y2", title: { text: "Zahl der Regionen" }, type: "log", tickvals: x, ticktext: x.map(String), gridcolor: style.grid },
    yaxis2: { anchor: "x2", title: { text: `SD der Regionswerte${unit ? ` (${unit})` : ""}` }, gridcolor: style.grid, rangemode: "tozero" },
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
    hovermode: "closest",
  }), { state: "geschuetzt" });
}
