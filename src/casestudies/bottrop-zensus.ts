/**
 * Case study: Bottrop's 27 municipal electoral districts estimated from the Zensus 2011 1 km
 * grid (the project's derived CSV of the Bottrop box): inhabitants, under-18 and 65+ counts
 * and shares, and mean age, with cells as points (centres) and as 1 km squares (area shares);
 * sentinels reported; the total compared with Bottrop's census 2011 population.
 */
import { existsSync } from "fs";
import { gridEstimate, gridSquares, readZensusGridCsv, type GridEstimate, type ZensusGrid } from "../areas/grid";
import { overlapAreas } from "../areas/overlay";
import { choroplethFigure, withOutline } from "../present/plotly/choropleth";
import type { FigureStyle } from "../present/plotly/style";
import type { PlotlySpec } from "../present/render";
import { loadAreaSystem, type AreaSystem } from "../load/geometry";
import { unprotectedTable, type PublishedTable } from "../protect/tables";
import { formatNumber } from "../present/format";

/** Bottrop's municipal electoral districts (CRS84 GeoJSON, derived, see SOURCES.md §12). */
export const BOTTROP_DISTRICTS_GEOJSON = "../shared/data/bottrop/bottrop-kommunalwahlbezirke-2025.geojson";
/** Zensus 2011 1 km grid cells of the Bottrop box (derived CSV, see SOURCES.md §11). */
export const ZENSUS_BOTTROP_CSV = "../shared/data/zensus2011-1km/derived/ruhr-bottrop-bbox_zensus2011_1km.csv";
/**
 * Bottrop's official census 2011 population (Zensus, 9 May 2011, first results published
 * 31 May 2013, as the city reported them). Later revisions and the register-based figures for
 * 31.12.2011 lie between about 116,000 and 117,500.
 */
export const BOTTROP_CENSUS_2011 = { population: 117311, date: "09.05.2011", source: "Zensus 2011, erste Ergebnisse vom 31.05.2013 (Angabe der Stadt Bottrop)" } as const;

/** Files of the Bottrop case study that are absent (empty when all are there). */
export function missingBottropCaseStudyFiles(): string[] {
  return [BOTTROP_DISTRICTS_GEOJSON, ZENSUS_BOTTROP_CSV].filter((f) => !existsSync(f));
}

/** Result of {@link bottropZensusStudy}. */
export interface BottropStudy {
  districts: AreaSystem;
  grid: ZensusGrid;
  points: GridEstimate;
  squares: GridEstimate;
  official: typeof BOTTROP_CENSUS_2011;
  ms: number;
}

/**
 * Loads the districts (projected to EPSG:25832) and the grid CSV, and estimates both ways.
 *
 * @example
 * const b = await bottropZensusStudy();
 * b.squares.totals.population; // ≈ 116,700
 */
export async function bottropZensusStudy(): Promise<BottropStudy> {
  const t0 = performance.now();
  const districts = await loadAreaSystem(BOTTROP_DISTRICTS_GEOJSON, { idField: "Bezirk_Nr", nameField: "Bezirk", id: "kommunalwahlbezirke", label: "Kommunalwahlbezirke Bottrop", kind: "other", vintage: "2023-12-14", metricCrs: "EPSG:25832" });
  const grid = readZensusGridCsv(ZENSUS_BOTTROP_CSV);
  const points = gridEstimate(grid, districts, { method: "points" });
  const squares = gridEstimate(grid, districts, { method: "squares" });
  return { districts, grid, points, squares, official: BOTTROP_CENSUS_2011, ms: performance.now() - t0 };
}

const REASON = "Schätzung aus dem veröffentlichten Zensusgitter 2011 (Destatis, bereits geheimhaltet: gesperrte Zellen −9 bleiben unbekannt)";
export const BOTTROP_CASE_SOURCE = "Quelle: Zensus 2011, 1-km-Gitter „Spitze Werte“ (Statistische Ämter des Bundes und der Länder, dl-de/by-2-0); Kommunalwahlbezirke der Stadt Bottrop (dl-de/zero-2-0, Stand 14.12.2023); eigene Berechnung";
const de = (v: number, d = 0) => formatNumber(v, { digits: d });
/** The protection line of the exported tables: the grid is published and already protected by Destatis (−9); no own rules apply. */
export const BOTTROP_CASE_PROTECTION = "Geheimhaltung (durch die Quelle): Das Zensusgitter ist veröffentlicht und von den Statistischen Ämtern geheimgehalten (gesperrte Werte −9); eigene Sperrregeln werden nicht angewandt.";

/** Estimates per district: squares (main) with the point estimate beside it. */
export function bottropDistrictTable(b: BottropStudy): PublishedTable {
  const pt = new Map(b.points.rows.map((r) => [r.id, r]));
  const rows = b.squares.rows.map((r) => ({
    "Nr.": Number(r.id), Wahlbezirk: r.name, Einwohner: de(r.population), "unter 18": de(r.under18), "unter 18 (%)": de(r.share18, 1), "65 und älter": de(r.age65), "65 und älter (%)": de(r.share65, 1),
    "Durchschnittsalter": de(r.meanAge, 1), "Zellen (Anteile)": r.cells, "Einwohner (Mittelpunkte)": de(pt.get(r.id)!.population), "Zellen (Mittelpunkte)": pt.get(r.id)!.cells,
  })).sort((a, b2) => a["Nr."] - b2["Nr."]);
  return unprotectedTable(rows, {
    unprotected: { reason: REASON },
    caption: `Bottrop, 27 Kommunalwahlbezirke: Einwohner und Altersstruktur aus dem Zensusgitter 2011 (Stichtag ${b.official.date})`,
    notes: [
      BOTTROP_CASE_PROTECTION,
      "Einwohner bis Durchschnittsalter: Zellen als 1-km-Quadrate, Einwohner gleichmäßig über die Zelle verteilt und nach Flächenanteil zugeordnet. Mittelpunkte: jede Zelle ganz zu dem Wahlbezirk, in dem ihr Mittelpunkt liegt (kleine Wahlbezirke erhalten so oft keine oder eine ganze Zelle).",
      "Anteile: Σ(Einwohner × Zellanteil) / Σ Einwohner der Zellen mit bekanntem Anteil; Anzahlen = Anteil × Einwohner (Zellen mit gesperrtem Anteil erhalten den Anteil ihres Wahlbezirks). Durchschnittsalter: einwohnergewichtetes Mittel von Alter_D.",
      BOTTROP_CASE_SOURCE,
    ],
  });
}

/** Totals of both methods against the grid cells inside the city and the official figure. */
export function bottropTotalsTable(b: BottropStudy): PublishedTable {
  const off = b.official.population;
  const row = (what: string, v: number) => ({ Größe: what, Einwohner: de(v), "Abweichung zur amtlichen Zahl": `${v - off >= 0 ? "+" : ""}${de(v - off)} (${de((100 * (v - off)) / off, 2)} %)` });
  const rows = [
    row(`Amtliche Einwohnerzahl (${b.official.source})`, off),
    row("Gitterzellen mit Mittelpunkt in Bottrop (= Verfahren Mittelpunkte)", b.points.totals.population),
    row("Verfahren Quadrate (Flächenanteile der Zellen)", b.squares.totals.population),
    row("alle Zellen, die Bottrop berühren (ganz gezählt)", b.squares.totals.touching),
  ];
  return unprotectedTable(rows, { unprotected: { reason: REASON }, caption: "Bottrop insgesamt: Zensusgitter 2011 und amtliche Einwohnerzahl", notes: [BOTTROP_CASE_PROTECTION, BOTTROP_CASE_SOURCE] });
}

/** Sentinels of the grid cells that contribute to Bottrop (cells and inhabitants affected). */
export function bottropSentinelTable(b: BottropStudy): PublishedTable {
  const pt = new Map(b.points.sentinels.map((r) => [r.attribute, r]));
  const rows = b.squares.sentinels.filter((r) => ["Einwohner", "unter18_A", "ab65_A", "Alter_D"].includes(r.attribute)).map((r) => ({
    Merkmal: r.attribute, "Zellen mit Wert": r.cells, "Zellen −1 (keine Einwohner)": r.none, "Zellen −9 (gesperrt)": r.suppressed,
    "bewohnte Zellen ohne Wert": r.inhabitedUnknown, "Einwohner darin": de(r.inhabitantsUnknown),
    "… nur Zellen mit Mittelpunkt in Bottrop": `${pt.get(r.attribute)!.inhabitedUnknown} Zellen, ${de(pt.get(r.attribute)!.inhabitantsUnknown)} Einwohner`,
  }));
  return unprotectedTable(rows, {
    unprotected: { reason: REASON }, caption: "Sonderwerte im Zensusgitter: Zellen, die Bottrop berühren",
    notes: [BOTTROP_CASE_PROTECTION, "−1: keine Einwohner bzw. Merkmal nicht zutreffend (Einwohner als 0 gezählt); −9: gesperrt (Geheimhaltung). Sonderwerte gehen nie als Werte ein: Zellen mit gesperrtem Anteil fehlen in der Basis des Anteils.", BOTTROP_CASE_SOURCE],
  });
}

/**
 * Maps of the Bottrop case: the grid cells (inhabitants per km², cells touching the city) with
 * the district boundaries, and per district the share 65+ and the mean age (squares method).
 */
export function bottropMaps(b: BottropStudy, options: { style?: FigureStyle; width?: number; height?: number } = {}): { cells: PlotlySpec; share65: PlotlySpec; share18: PlotlySpec; meanAge: PlotlySpec } {
  const size = { width: options.width ?? 520, height: options.height ?? 620 };
  const squares = gridSquares(b.grid, "EPSG:25832");
  const touching = new Set(b.squares.rows.length ? squaresTouching(b) : []);
  const cellFeatures = squares.features.filter((f) => touching.has(f.id));
  const cellValues = new Map(cellFeatures.map((f) => [f.id, b.grid.population[f.index]!] as [string, number]));
  const cells = withOutline(choroplethFigure(cellFeatures, cellValues, {
    protection: { unprotected: REASON }, style: options.style, ...size, scheme: "manual", breaks: [0, 250, 1000, 2500, 5000, 1e9], digits: 0,
    title: "Zensus 2011: Einwohner je 1-km-Zelle", legendTitle: "Einwohner je Zelle", notes: ["Zellen, die Bottrop berühren; schwarz: Kommunalwahlbezirke."],
  }), b.districts, { name: "Kommunalwahlbezirke", width: 1.2, style: options.style });
  const byDistrict = (get: (r: GridEstimate["rows"][number]) => number) => new Map(b.squares.rows.map((r) => [r.id, get(r)] as [string, number]));
  const common = { protection: { unprotected: REASON }, style: options.style, ...size, scheme: "quantiles", k: 5, notes: ["Aus den Gitterzellen nach Flächenanteil (Quadrate), Zensus 2011."] };
  return {
    cells,
    share65: choroplethFigure(b.districts, byDistrict((r) => r.share65), { ...common, digits: 1, unit: "%", title: "Anteil 65 Jahre und älter (%)", legendTitle: "65+ (%)" }),
    share18: choroplethFigure(b.districts, byDistrict((r) => r.share18), { ...common, digits: 1, unit: "%", title: "Anteil unter 18 Jahren (%)", legendTitle: "unter 18 (%)" }),
    meanAge: choroplethFigure(b.districts, byDistrict((r) => r.meanAge), { ...common, digits: 1, title: "Durchschnittsalter (Jahre)", legendTitle: "Jahre" }),
  };
}

function squaresTouching(b: BottropStudy): string[] {
  const sq = gridSquares(b.grid, "EPSG:25832");
  const ov = overlapAreas(sq.features.map((f) => f.projected), b.districts.features.map((f) => f.projected));
  return [...new Set(Array.from(ov.source.subarray(0, ov.length)))].map((i) => sq.features[i]!.id);
}
