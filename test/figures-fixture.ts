/**
 * A small synthetic city for the figure tests: 3 × 3 square areas in WGS84 near Bottrop, counts
 * for 2021–2024 with one area of tiny counts (suppressed by the standard rules) and one area
 * without data in 2024 (missing), age bands, and an MSS-style index over the nine areas.
 */
import type { Polygon } from "geojson";
import { mssIndex, type MssArea } from "../src/explore/mss";
import { computeIndicators, type CountCube } from "../src/indicators/compute";
import type { IndicatorDefinition } from "../src/indicators/catalogue";
import { protectIndicators } from "../src/protect/apply";
import type { MapFeature } from "../src/present/plotly";

const NAMES = ["Altstadt", "Batenbrock", "Boy", "Eigen", "Fuhlenbrock", "Grafenwald", "Kirchhellen", "Lehmkuhle", "Welheim"];
export const IDS = NAMES.map((_, i) => `0${i + 1}`);

function square(col: number, row: number): Polygon {
  const x = 6.9 + col * 0.02, y = 51.5 + row * 0.0125, dx = 0.02, dy = 0.0125;
  return { type: "Polygon", coordinates: [[[x, y], [x, y + dy], [x + dx, y + dy], [x + dx, y], [x, y]]] };
}

export const FEATURES: MapFeature[] = IDS.map((id, i) => ({ id, name: NAMES[i]!, wgs84: square(i % 3, 2 - Math.floor(i / 3)) }));
/** A coarser system (3 columns) for the overlay. */
export const COLUMNS: MapFeature[] = [0, 1, 2].map((c) => ({
  id: `S${c + 1}`, name: `Bezirk ${c + 1}`,
  wgs84: { type: "Polygon", coordinates: [[[6.9 + c * 0.02, 51.5], [6.9 + c * 0.02, 51.5375], [6.92 + c * 0.02, 51.5375], [6.92 + c * 0.02, 51.5], [6.9 + c * 0.02, 51.5]]] },
}));

export const YEARS = [2021, 2022, 2023, 2024];
const BANDS = ["age_00_06", "age_06_15", "age_15_18", "age_18_65", "age_65_plus"];
export const VARIABLES = ["pop_total", "unemployed", "sgb2_children_u15", ...BANDS];

export const DEFINITIONS: IndicatorDefinition[] = [
  { id: "unemployment", label: "Arbeitslosenquote", definition: "Arbeitslose je 100 Einwohner 18 bis unter 65 Jahre", topic: "Soziale Lage", kind: "share", numerator: ["unemployed"], denominator: ["age:18-65"], unit: "%", minBase: 100 },
  { id: "child_poverty", label: "Kinder in Bedarfsgemeinschaften", definition: "Kinder unter 15 Jahren in BG je 100 Kinder unter 15 Jahren", topic: "Soziale Lage", kind: "share", numerator: ["sgb2_children_u15"], denominator: ["age:0-15"], unit: "%", minBase: 50 },
  { id: "share_65plus", label: "Anteil ab 65-Jährige", definition: "Einwohner ab 65 Jahren je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["age:65-"], denominator: ["pop_total"], unit: "%" },
];

/** Deterministic counts: area a, year y. Area 03 is tiny (suppressed); area 07 has no data in 2024 (missing). */
export function counts(): CountCube {
  const values = new Float64Array(IDS.length * YEARS.length * VARIABLES.length);
  IDS.forEach((_, a) => YEARS.forEach((_, y) => {
    const tiny = a === 2;
    const pop = tiny ? 40 : 2000 + 350 * a + 20 * y;
    const kids06 = Math.round(pop * (0.05 + 0.004 * a)), kids615 = Math.round(pop * (0.08 + 0.003 * a)), teen = Math.round(pop * 0.03);
    const old = Math.round(pop * (0.12 + 0.015 * ((a * 5) % 9)));
    const adults = pop - kids06 - kids615 - teen - old;
    const unemployed = tiny ? 2 : Math.round(adults * (0.03 + 0.007 * ((a * 4) % 9) + 0.002 * y));
    const sgb2 = tiny ? 1 : Math.round((kids06 + kids615) * (0.05 + 0.03 * ((a * 7) % 9) - 0.004 * y));
    const row = [pop, unemployed, sgb2, kids06, kids615, teen, adults, old];
    const base = (a * YEARS.length + y) * VARIABLES.length;
    row.forEach((v, k) => { values[base + k] = a === 6 && y === 3 ? NaN : v; });
  }));
  return { areas: IDS, years: YEARS, variables: VARIABLES, values };
}

export function fixture() {
  const cube = counts();
  const result = computeIndicators(cube, { indicators: DEFINITIONS, changeYears: 2 });
  const protection = protectIndicators(result);
  const names = new Map(FEATURES.map((f) => [f.id, f.name]));
  const mssAreas: MssArea[] = IDS.map((id, a) => ({
    id, valid: a !== 2,
    S1: 3 + ((a * 4) % 9), S3: 8 + ((a * 5) % 9) * 1.5, S4: 10 + ((a * 7) % 9) * 3,
    D1: ((a * 2) % 5) - 2, D3: ((a * 3) % 7) / 2 - 1.5, D4: ((a * 5) % 9) / 3 - 1.3,
  }));
  return { cube, result, protection, names, mss: mssIndex(mssAreas) };
}

import * as F from "../src/present/plotly";
import type { PlotlySpec } from "../src/present/render";

/** One figure of each type, built from the fixture (the same for the snapshot and the render tests). */
export function figures(): Record<string, PlotlySpec> {
  const { cube, result, protection, names, mss } = fixture();
  const style = F.figureStyle({ source: "Synthetische Testdaten", rules: { style: { logo: "Teststadt · Sozialplanung" } } });
  const unprotected = { unprotected: "synthetische Testdaten" };
  return {
    "choropleth-quantiles": F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, style, labels: true }),
    "choropleth-fisher-jenks": F.indicatorChoropleth(FEATURES, result, "unemployment", { protection, style, scheme: "fisher_jenks", k: 3 }),
    "choropleth-std-mean": F.indicatorChoropleth(FEATURES, result, "share_65plus", { protection, style, scheme: "std_mean" }),
    "choropleth-equal-interval-change": F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, style, scheme: "equal_interval", k: 4, change: true }),
    "choropleth-manual": F.choroplethFigure(FEATURES, new Map(IDS.map((id, i) => [id, i * 2.5])), { protection: { hidden: new Map([["05", { kind: "suppressed", symbol: ".", reason: "gesperrt (Geheimhaltung)" }]]) }, style, breaks: [5, 10, 15], legendTitle: "Testwert", title: "Feste Grenzen" }),
    "choropleth-pooled": F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, style, year: 2021, pooledYears: YEARS, k: 4 }),
    categories: F.categoryChoropleth(FEATURES, new Map(mss.areas.map((a) => [a.id, a.statusClass])), { protection: { hidden: new Map([["03", { kind: "suppressed", symbol: "/", reason: "unter 300 Einwohner", label: "ohne Index" }]]) }, style, order: ["hoch", "mittel", "niedrig", "sehr niedrig"], title: "Status", legendTitle: "Status" }),
    overlay: F.withOutline(F.indicatorChoropleth(FEATURES, result, "child_poverty", { protection, style }), COLUMNS, { style, labels: true, name: "Grenzen: Bezirke" }),
    "time-series": F.timeSeriesFigure(result, "child_poverty", ["01", "02"], { protection, names, style }),
    ranking: F.rankingFigure(result, "child_poverty", { protection, names, style, year: 2023, highlight: ["06"] }),
    pyramid: F.pyramidFigure({ ...F.agePyramidData(cube, "02", 2024, names.get("02")), protection: unprotected, style }),
    scatter: F.indicatorScatter(result, "unemployment", "child_poverty", { protection, names, style, year: 2023, trend: true, highlight: ["06"] }),
    spine: F.spineFigure(result, "02", ["unemployment", "child_poverty", "share_65plus"], { protection, names, style, year: 2023 }),
    "mss-matrix": F.mssMatrixFigure(mss, { style, areaLabel: "Gebiete" }),
  };
}
