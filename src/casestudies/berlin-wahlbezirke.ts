/**
 * Case study: Berlin's 1,709 polling districts (Europawahl 2014) have no population. Estimate
 * inhabitants, under-18s and 65+ per polling district from the planning areas (PLR, LOR 2021,
 * year-end counts of the Berlin dataset) through an area crosswalk, and — for comparison — a
 * population-weighted crosswalk through the Zensus 2011 1 km grid squares (each PLR's
 * inhabitants distributed like the 2011 grid population inside it). Reports conservation,
 * gaps and slivers; the data stay in ../shared/data.
 */
import { existsSync } from "fs";
import { areaCrosswalk, coverage, interpolate, populationCrosswalk, type Crosswalk, type InterpolationResult } from "../areas/crosswalk";
import { gridBBoxFor, gridPoints, gridSquares, readZensusGridParquet, type ZensusGrid } from "../areas/grid";
import { countsFor } from "../areas/hierarchy";
import type { CountCube } from "../indicators/compute";
import { loadAreaSystem, type AreaSystem } from "../load/geometry";
import { loadDataset } from "../project/config";
import { unprotectedTable, type PublishedTable } from "../protect/tables";
import { formatNumber } from "../present/format";
import { classify } from "../explore/classify";
import { choroplethFigure } from "../present/plotly/choropleth";
import type { FigureStyle } from "../present/plotly/style";
import type { PlotlySpec } from "../present/render";

/** Polling districts of the European election 2014 (WGS84 GeoJSON), relative to the project root. */
export const BERLIN_WAHLBEZIRKE_GEOJSON = "../shared/data/berlin-wahlbezirke-2014/berlin-electoral-districts-european-election-2014.geojson";
/** The Berlin dataset configuration (PLR counts). */
export const BERLIN_CONFIG = "data/berlin/dataset.json";
/** Folder of the Zensus 2011 1 km grid parquet files. */
export const ZENSUS_GRID_DIR = "../shared/data/zensus2011-1km";
/** Variables the study carries (extensive). */
export const AGE_GROUP_VARIABLES = ["pop_total", "age_under18", "age_65plus"] as const;

/** Files of the Berlin case study that are absent (empty when all are there). */
export function missingBerlinCaseStudyFiles(): string[] {
  return [
    BERLIN_WAHLBEZIRKE_GEOJSON,
    "../shared/data/berlin-lor-2021-shapes/LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp",
    "../shared/data/berlin-lor-population-2015-2024/berlin-lor-population-2024-02-csv/berlin-lor-population-2024-02-t2-planning-areas.csv",
    `${ZENSUS_GRID_DIR}/continuous_Einwohner.parquet`,
  ].filter((f) => !existsSync(f));
}

/**
 * Inhabitants, under 18 and 65+ per area and year from a count cube with age bands named
 * `age_<from>_<to>` / `age_<from>_plus` (bands ending at or below 18 → under 18; bands from 65).
 * Missing cells (NaN) stay missing.
 *
 * @throws when the bands do not split at 18 and 65
 */
export function ageGroupCounts(c: CountCube): CountCube {
  const Y = c.years.length, V = c.variables.length;
  const bands = c.variables.map((v, i) => ({ i, m: /^age_(\d+)_(\d+|plus)$/.exec(v) })).filter((b) => b.m).map((b) => ({ i: b.i, from: Number(b.m![1]), to: b.m![2] === "plus" ? Infinity : Number(b.m![2]) }));
  const u18 = bands.filter((b) => b.to <= 18), o65 = bands.filter((b) => b.from >= 65);
  if (!bands.some((b) => b.to === 18) || !bands.some((b) => b.from === 65)) throw new Error(`invalid age bands: ${c.variables.join(", ")} (expected bands ending at 18 and starting at 65)`);
  const pv = c.variables.indexOf("pop_total");
  if (pv < 0) throw new Error("invalid counts: pop_total missing");
  const values = new Float64Array(c.areas.length * Y * 3);
  for (let a = 0; a < c.areas.length; a++) for (let y = 0; y < Y; y++) {
    const at = (a * Y + y) * V, out = (a * Y + y) * 3;
    values[out] = c.values[at + pv]!;
    values[out + 1] = u18.reduce((s, b) => s + c.values[at + b.i]!, 0);
    values[out + 2] = o65.reduce((s, b) => s + c.values[at + b.i]!, 0);
  }
  return { areas: [...c.areas], years: [...c.years], variables: [...AGE_GROUP_VARIABLES], values };
}

/**
 * A copy of a crosswalk in which each partly covered source's weights are scaled to sum to 1
 * (its mass in gaps goes to its targets in proportion): totals are conserved where a source
 * touches any target. Sources without any target stay unmatched.
 *
 * @example
 * closeGaps(areaCrosswalk(plr, wahlbezirke)); // Σ weights per PLR = 1
 */
export function closeGaps(cw: Crosswalk): Crosswalk {
  const cov = coverage(cw);
  const pairs = cw.pairs.map((p) => { const c = cov.get(p.source) ?? 0; return c > 0 ? { ...p, weight: p.weight / c } : { ...p }; });
  return { ...cw, pairs, gaps: [], notes: [...cw.notes, `Gaps closed: the weights of ${cw.gaps.length} partly covered source(s) were scaled to sum to 1.`] };
}

/** Estimate for one polling district. */
export interface PollingDistrictEstimate {
  id: string;
  /** Berlin district (Bezirk) id, two digits. */
  bezirk: string;
  population: number;
  under18: number;
  age65: number;
  share18: number;
  share65: number;
}

/** Conservation of one crosswalk's interpolation. */
export interface Conservation {
  method: string;
  /** City total of the PLR counts. */
  input: number;
  /** Σ polling districts. */
  placed: number;
  /** Mass in gaps (PLR parts no polling district covers). */
  outsideTargets: number;
  /** PLR counts not in the crosswalk. */
  unplaced: number;
  /** |input − placed − outside − unplaced| / input. */
  balanceError: number;
  /** |input − placed| / input. */
  totalError: number;
}

/** Result of {@link berlinPollingDistrictStudy}. */
export interface BerlinPollingStudy {
  year: number;
  plr: AreaSystem;
  wahlbezirke: AreaSystem;
  /** PLR counts (pop_total, age_under18, age_65plus) for the year. */
  plrCounts: CountCube;
  /** PLR without inhabitants in the source (NaN): counted as 0. */
  plrMissing: string[];
  area: { crosswalk: Crosswalk; closed: Crosswalk; raw: InterpolationResult; result: InterpolationResult; estimates: PollingDistrictEstimate[] };
  grid?: { cells: ZensusGrid; crosswalk: Crosswalk; result: InterpolationResult; estimates: PollingDistrictEstimate[]; plrWithoutCentre: number; plrWithoutPopulation: string[] };
  conservation: Conservation[];
  ms: number;
}

function estimatesOf(r: InterpolationResult, wb: AreaSystem): PollingDistrictEstimate[] {
  const byKey = new Map(wb.features.map((f) => [f.id, f]));
  return r.counts.areas.map((id, t) => {
    const [pop, u18, o65] = [0, 1, 2].map((v) => r.counts.values[t * 3 + v]!);
    return {
      id, bezirk: String(byKey.get(id)?.properties.district_id ?? id.slice(0, 2)), population: pop!, under18: u18!, age65: o65!,
      share18: pop! > 0 ? (100 * u18!) / pop! : NaN, share65: pop! > 0 ? (100 * o65!) / pop! : NaN,
    };
  });
}

function conservationOf(method: string, r: InterpolationResult): Conservation {
  const input = r.totals.input[0]!, placed = r.totals.placed[0]!, out = r.totals.outsideTargets[0]!, un = r.totals.unplaced[0]!;
  return { method, input, placed, outsideTargets: out, unplaced: un, balanceError: Math.abs(input - placed - out - un) / input, totalError: Math.abs(input - placed) / input };
}

/**
 * Runs the case study: loads the Berlin dataset (PLR counts of `year`, default the dataset's
 * reference year), the polling districts (projected to EPSG:25833), the area crosswalk PLR →
 * polling districts (raw and with gaps closed), and with `grid` (default true) the
 * population-weighted crosswalk through the Zensus 2011 grid squares.
 *
 * @example
 * const s = await berlinPollingDistrictStudy();
 * s.conservation; // [{ method: "Fläche", input: 3897145, placed: …, totalError: 3e-16 }, …]
 */
export async function berlinPollingDistrictStudy(options: { year?: number; grid?: boolean; config?: string } = {}): Promise<BerlinPollingStudy> {
  const t0 = performance.now();
  const ds = await loadDataset(options.config ?? BERLIN_CONFIG, { validate: false });
  const plr = ds.areaSystems.get("plr");
  if (!plr) throw new Error(`${options.config ?? BERLIN_CONFIG}: area system plr missing`);
  const all = ageGroupCounts(countsFor(ds, "plr"));
  const year = options.year ?? ds.config.referenceYear ?? all.years[all.years.length - 1]!;
  const y = all.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${all.years.join(", ")})`);
  const Y = all.years.length;
  const values = new Float64Array(all.areas.length * 3);
  const plrMissing: string[] = [];
  all.areas.forEach((a, i) => {
    for (let v = 0; v < 3; v++) {
      const x = all.values[(i * Y + y) * 3 + v]!;
      if (!Number.isFinite(x)) { if (v === 0) plrMissing.push(a); values[i * 3 + v] = 0; } else values[i * 3 + v] = x;
    }
  });
  const plrCounts: CountCube = { areas: all.areas, years: [year], variables: [...AGE_GROUP_VARIABLES], values };
  const wahlbezirke = await loadAreaSystem(BERLIN_WAHLBEZIRKE_GEOJSON, { idField: "id", id: "wahlbezirke2014", label: "Wahlbezirke (Europawahl 2014)", kind: "other", vintage: "2014-05-25", metricCrs: "EPSG:25833" });
  const ext = [...AGE_GROUP_VARIABLES];
  const cw = areaCrosswalk(plr, wahlbezirke);
  const closed = closeGaps(cw);
  const raw = interpolate(plrCounts, cw, { extensive: ext });
  const result = interpolate(plrCounts, closed, { extensive: ext });
  const conservation = [conservationOf("Fläche (ohne Ausgleich der Lücken)", raw), conservationOf("Fläche", result)];
  const study: BerlinPollingStudy = { year, plr, wahlbezirke, plrCounts, plrMissing, area: { crosswalk: cw, closed, raw, result, estimates: estimatesOf(result, wahlbezirke) }, conservation, ms: 0 };
  if (options.grid ?? true) {
    const cells = await readZensusGridParquet(ZENSUS_GRID_DIR, { bbox: gridBBoxFor(plr), attributes: [] });
    const pop = Array.from(cells.population);
    const pcw = closeGaps(populationCrosswalk(plr, wahlbezirke, gridSquares(cells, "EPSG:25833"), pop));
    const pts = populationCrosswalk(plr, wahlbezirke, gridPoints(cells, "EPSG:25833"), pop);
    const fallback = /weighted by area instead: (.*)\.$/.exec(pts.notes.find((n) => n.startsWith("Sources without population")) ?? "")?.[1]?.split(", ") ?? [];
    const gr = interpolate(plrCounts, pcw, { extensive: ext });
    const noPop = /weighted by area instead: (.*)\.$/.exec(pcw.notes.find((n) => n.startsWith("Sources without population")) ?? "")?.[1]?.split(", ") ?? [];
    study.grid = { cells, crosswalk: pcw, result: gr, estimates: estimatesOf(gr, wahlbezirke), plrWithoutCentre: fallback.length, plrWithoutPopulation: noPop };
    conservation.push(conservationOf("Einwohner im Zensusgitter 2011", gr));
  }
  study.ms = performance.now() - t0;
  return study;
}

const REASON = "Schätzung aus veröffentlichten Einwohnerzahlen der Planungsräume (Amt für Statistik Berlin-Brandenburg, CC BY 3.0 DE) und dem veröffentlichten Zensusgitter 2011; keine Einzelangaben";
const SOURCE = "Quelle: Amt für Statistik Berlin-Brandenburg (Einwohnerregister 31.12., LOR 2021; Geometrien der Europawahl 2014); Zensus 2011 (Statistische Ämter des Bundes und der Länder, dl-de/by-2-0); eigene Berechnung";
const de = (v: number, d = 0) => formatNumber(v, { digits: d });
/** The protection line of the exported tables: the inputs are published (and protected by their publisher); no own small-number rules apply. */
export const BERLIN_CASE_PROTECTION = "Geheimhaltung (durch die Quelle): Eingangsdaten sind veröffentlichte Einwohnerzahlen der Planungsräume und das veröffentlichte Zensusgitter; die Schätzungen enthalten keine Einzelangaben, eigene Sperrregeln werden nicht angewandt.";

/** Conservation of the estimates as a table (city totals, gaps, relative errors). */
export function conservationTable(s: BerlinPollingStudy): PublishedTable {
  const rows = s.conservation.map((c) => ({
    Verfahren: c.method, "Einwohner Stadt (PLR)": de(c.input), "Σ Wahlbezirke": de(c.placed, 1), "in Lücken (keinem Wahlbezirk zugeordnet)": de(c.outsideTargets, 1),
    "relative Abweichung Σ Wahlbezirke": c.totalError.toExponential(1).replace(".", ","), "Bilanz (Σ + Lücken) rel. Abweichung": c.balanceError.toExponential(1).replace(".", ","),
  }));
  return unprotectedTable(rows, {
    unprotected: { reason: REASON }, caption: `Erhaltung der Einwohnerzahl ${s.year}: Planungsräume → ${s.wahlbezirke.features.length.toLocaleString("de-DE")} Wahlbezirke`,
    notes: [BERLIN_CASE_PROTECTION, "Ohne Ausgleich bleibt der Teil eines Planungsraums, den kein Wahlbezirk überdeckt (Grenzabweichungen der Geometrien von 2014 und 2021), ohne Ziel; mit Ausgleich werden die Gewichte jedes Planungsraums auf 1 skaliert.", SOURCE],
  });
}

/** Gaps and slivers of the area crosswalk as a table. */
export function crosswalkQualityTable(s: BerlinPollingStudy): PublishedTable {
  const cw = s.area.crosswalk;
  const gapArea = cw.gaps.reduce((a, g) => a + g.amount, 0);
  const big = [...cw.gaps].sort((a, b) => b.share - a.share)[0];
  const slArea = cw.slivers.reduce((a, x) => a + x.areaM2, 0);
  const wbArea = s.wahlbezirke.features.reduce((a, f) => a + f.areaM2, 0), plrArea = s.plr.features.reduce((a, f) => a + f.areaM2, 0);
  const split = new Map<string, number>();
  for (const p of cw.pairs) split.set(p.target, (split.get(p.target) ?? 0) + 1);
  const rows = [
    { Prüfung: "Fläche Planungsräume / Wahlbezirke", Ergebnis: `${de(plrArea / 1e6, 2)} km² / ${de(wbArea / 1e6, 2)} km²` },
    { Prüfung: "Überschneidungen (Paare Planungsraum × Wahlbezirk)", Ergebnis: de(cw.pairs.length) },
    { Prüfung: "Wahlbezirke, die ganz in einem Planungsraum liegen", Ergebnis: `${de([...split.values()].filter((n) => n === 1).length)} von ${de(s.wahlbezirke.features.length)}` },
    { Prüfung: "Lücken: Planungsräume, die nicht ganz überdeckt sind", Ergebnis: `${de(cw.gaps.length)} (zusammen ${de(gapArea)} m²; größter Anteil ${big ? `${de(100 * big.share, 3)} % von ${big.source}` : "–"})` },
    { Prüfung: "Splitter (Überschneidung < 0,01 % der kleineren Fläche)", Ergebnis: `${de(cw.slivers.length)} (zusammen ${de(slArea)} m²), behalten` },
    { Prüfung: "Planungsräume / Wahlbezirke ohne Gegenstück", Ergebnis: `${cw.unmatchedSources.length} / ${cw.unmatchedTargets.length}` },
    { Prüfung: "Planungsräume ohne Einwohnerangabe (als 0 gezählt)", Ergebnis: s.plrMissing.length ? s.plrMissing.join(", ") : "keine" },
    ...(s.grid ? [
      { Prüfung: "Zensusgitter: Zellen im Ausschnitt / Planungsräume ohne Zellmittelpunkt", Ergebnis: `${de(s.grid.cells.ids.length)} / ${de(s.grid.plrWithoutCentre)} von ${s.plr.features.length} (Punkte nicht sinnvoll: Quadrate verwendet)` },
      { Prüfung: "Planungsräume ohne Gitterbevölkerung 2011 (nach Fläche gewichtet)", Ergebnis: s.grid.plrWithoutPopulation.length ? `${s.grid.plrWithoutPopulation.length}: ${s.grid.plrWithoutPopulation.slice(0, 6).join(", ")}${s.grid.plrWithoutPopulation.length > 6 ? ", …" : ""}` : "keine" },
    ] : []),
  ];
  return unprotectedTable(rows, { unprotected: { reason: "Prüfung der Geometrien, keine Fallzahlen" }, caption: "Flächen-Crosswalk Planungsräume → Wahlbezirke: Lücken und Splitter", notes: [SOURCE] });
}

/**
 * Estimates per polling district (sorted by the largest difference between the two methods, or
 * by id), with the area-weighted and grid-weighted inhabitants and shares.
 */
export function pollingDistrictTable(s: BerlinPollingStudy, options: { sort?: "difference" | "id"; rows?: number } = {}): PublishedTable {
  const g = new Map((s.grid?.estimates ?? []).map((e) => [e.id, e]));
  let est = [...s.area.estimates];
  if ((options.sort ?? "difference") === "difference" && s.grid) est.sort((a, b) => Math.abs(g.get(b.id)!.population - b.population) - Math.abs(g.get(a.id)!.population - a.population));
  else est.sort((a, b) => (a.id < b.id ? -1 : 1));
  est = est.slice(0, options.rows ?? est.length);
  const rows = est.map((e) => {
    const o = g.get(e.id);
    return {
      Wahlbezirk: e.id, Bezirk: e.bezirk, "Einwohner (Fläche)": de(e.population), "unter 18 (%)": de(e.share18, 1), "65 und älter (%)": de(e.share65, 1),
      ...(o ? { "Einwohner (Zensusgitter)": de(o.population), "unter 18 (%) Gitter": de(o.share18, 1), "65 und älter (%) Gitter": de(o.share65, 1), "Differenz Einwohner": de(o.population - e.population) } : {}),
    };
  });
  return unprotectedTable(rows, {
    unprotected: { reason: REASON },
    caption: `Geschätzte Einwohner ${s.year} je Wahlbezirk${options.sort === "id" ? "" : s.grid ? " (größte Unterschiede zwischen den Verfahren zuerst)" : ""}`,
    notes: [BERLIN_CASE_PROTECTION, "Fläche: Einwohner eines Planungsraums nach Flächenanteil verteilt (gleichmäßige Verteilung angenommen). Zensusgitter: nach dem Anteil der Gitterbevölkerung 2011 des Planungsraums, der im Wahlbezirk liegt (innerhalb einer 1-km-Zelle gleichmäßig verteilt).", SOURCE],
  });
}

/** Summary numbers of the difference between the two methods. */
export function methodDifference(s: BerlinPollingStudy): { medianAbs: number; p90Abs: number; maxAbs: number; maxId: string; medianRel: number; over25pct: number } | undefined {
  if (!s.grid) return undefined;
  const g = new Map(s.grid.estimates.map((e) => [e.id, e]));
  const d = s.area.estimates.map((e) => ({ id: e.id, abs: Math.abs(g.get(e.id)!.population - e.population), rel: e.population > 0 ? Math.abs(g.get(e.id)!.population - e.population) / e.population : NaN }));
  const q = (xs: number[], p: number) => { const a = xs.filter(Number.isFinite).sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(p * (a.length - 1)))]!; };
  const max = d.reduce((m, x) => (x.abs > m.abs ? x : m), d[0]!);
  return { medianAbs: q(d.map((x) => x.abs), 0.5), p90Abs: q(d.map((x) => x.abs), 0.9), maxAbs: max.abs, maxId: max.id, medianRel: q(d.map((x) => x.rel), 0.5), over25pct: d.filter((x) => x.rel > 0.25).length };
}

export { REASON as BERLIN_CASE_REASON, SOURCE as BERLIN_CASE_SOURCE };

/**
 * Maps of a share (under 18 or 65+): the PLR (source), the polling districts by area weights,
 * and (with the grid) by grid weights — all with the PLR's quintile breaks, so colours compare.
 *
 * @example
 * const maps = kr.berlinShareMaps(s, "share18", { style: style });
 * tslab.display.html(await kr.figureRowHtml([maps.plr, maps.area]));
 */
export function berlinShareMaps(s: BerlinPollingStudy, share: "share18" | "share65", options: { style?: FigureStyle; width?: number; height?: number } = {}): { plr: PlotlySpec; area: PlotlySpec; grid?: PlotlySpec } {
  const v = share === "share18" ? 1 : 2;
  const label = share === "share18" ? "unter 18 Jahren" : "65 Jahre und älter";
  const plrValues = new Map(s.plrCounts.areas.map((a, i) => { const p = s.plrCounts.values[i * 3]!; return [a, p > 0 ? (100 * s.plrCounts.values[i * 3 + v]!) / p : NaN] as [string, number]; }));
  const cls = classify([...plrValues.values()], { scheme: "quantiles", k: 5 });
  const common = { protection: { unprotected: REASON }, style: options.style, width: options.width ?? 560, height: options.height ?? 520, legendTitle: `Anteil ${label} (%)`, unit: "%", digits: 1, classification: cls };
  const est = (e: PollingDistrictEstimate[]) => new Map(e.map((x) => [x.id, x[share]] as [string, number]));
  return {
    plr: choroplethFigure(s.plr, plrValues, { ...common, title: `Planungsräume (${s.plr.features.length}): Anteil ${label}, ${s.year}`, notes: ["Amtliche Einwohnerzahlen der Planungsräume. Klassen: Quintile der Planungsräume."] }),
    area: choroplethFigure(s.wahlbezirke, est(s.area.estimates), { ...common, title: `Wahlbezirke (${s.wahlbezirke.features.length.toLocaleString("de-DE")}), nach Fläche geschätzt`, notes: ["Einwohner der Planungsräume nach Flächenanteil verteilt. Klassen wie links."] }),
    ...(s.grid ? { grid: choroplethFigure(s.wahlbezirke, est(s.grid.estimates), { ...common, title: "Wahlbezirke, nach Zensusgitter 2011 gewichtet", notes: ["Einwohner der Planungsräume nach der Gitterbevölkerung 2011 verteilt. Klassen wie links."] }) } : {}),
  };
}

/**
 * Map of the relative difference of the inhabitants per polling district: grid-weighted minus
 * area-weighted, in % of the area-weighted estimate (blue: areal weighting puts more people
 * there, e.g. into parks, forests and water; red: fewer).
 */
export function berlinDifferenceMap(s: BerlinPollingStudy, options: { style?: FigureStyle; width?: number; height?: number } = {}): PlotlySpec | undefined {
  if (!s.grid) return undefined;
  const g = new Map(s.grid.estimates.map((e) => [e.id, e.population]));
  const values = new Map(s.area.estimates.map((e) => [e.id, e.population > 0 ? (100 * (g.get(e.id)! - e.population)) / e.population : NaN] as [string, number]));
  return choroplethFigure(s.wahlbezirke, values, {
    protection: { unprotected: REASON }, style: options.style, width: options.width ?? 760, height: options.height ?? 600, scheme: "manual", breaks: [-50, -25, -10, 10, 25, 1e9], digits: 0, unit: "%",
    palette: ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#b2182b"],
    title: `Wahlbezirke: Einwohner nach Zensusgitter gegenüber nach Fläche (${s.year})`, legendTitle: "Differenz in % der Flächenschätzung",
    notes: ["Blau: Die Flächengewichtung legt mehr Einwohner hierher (oft Wald, Wasser, Parks, Gewerbe); rot: weniger. Grundlage der Gitterverteilung ist der Zensus 2011."],
  });
}
