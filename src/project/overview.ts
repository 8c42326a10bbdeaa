/**
 * What a loaded dataset holds, for the first notebook and for choosing the area systems the
 * report notebooks work on without naming them (so every notebook runs on any city).
 */
import * as path from "path";
import type { Dataset } from "./config";
import { nestingPath } from "../areas/hierarchy";
import type { Severity, ValidationReport } from "../validate/report";

/**
 * The area systems indicators can be computed on: those with statistics and those a system
 * with statistics nests in, coarse to fine (by number of areas).
 *
 * @example
 * reportingSystems(ds); // ["stbz", "statbez", "bbg"]
 */
export function reportingSystems(ds: Pick<Dataset, "areaSystems" | "counts">): string[] {
  const withCounts = [...ds.counts.keys()];
  return [...ds.areaSystems.keys()]
    .filter((s) => withCounts.some((c) => nestingPath(ds, c, s)))
    .sort((a, b) => ds.areaSystems.get(a)!.features.length - ds.areaSystems.get(b)!.features.length);
}

/**
 * The system a report shows first: the coarsest reporting system with at least `minAreas` areas.
 *
 * @example
 * mainSystem(ds); // "statbez"
 */
export function mainSystem(ds: Pick<Dataset, "areaSystems" | "counts">, minAreas = 10): string {
  const systems = reportingSystems(ds);
  if (!systems.length) throw new Error("the dataset has no area system with statistics");
  return systems.find((s) => ds.areaSystems.get(s)!.features.length >= minAreas) ?? systems[systems.length - 1]!;
}

/**
 * One row per area system: label, kind, number of areas, vintage, CRS, total area, years
 * with statistics, file.
 *
 * @example
 * htmlTable(areaSystemRows(ds));
 */
export function areaSystemRows(ds: Pick<Dataset, "areaSystems" | "counts">): Record<string, string | number>[] {
  const kinds: Record<string, string> = {
    administrative: "administrativ", statistical: "statistisch", "building-block": "Baustein (Blockebene)", "life-situation": "lebensweltlich", other: "sonstig",
  };
  const reporting = reportingSystems(ds);
  return [...ds.areaSystems.values()].map((s) => {
    const counts = ds.counts.get(s.id);
    return {
      Kennung: s.id,
      Gebietssystem: s.label,
      Art: kinds[s.kind] ?? s.kind,
      Gebiete: s.features.length,
      Stand: s.vintage,
      Koordinatensystem: s.crsName,
      "Fläche (km²)": s.features.reduce((a, f) => a + f.areaM2, 0) / 1e6,
      Statistik: counts ? `${counts.years[0]}–${counts.years[counts.years.length - 1]}, ${counts.variables.length} Merkmale` : reporting.includes(s.id) ? "summiert aus feinerer Ebene" : "keine (Zuordnung nötig)",
      Datei: path.basename(s.source.file),
    };
  });
}

const SEVERITY_LABEL: Record<Severity, string> = { error: "Fehler", warning: "Warnung", info: "Hinweis" };

/**
 * The validation report condensed: one row per severity and check, with the number of
 * findings and the first message as an example; errors first.
 *
 * @example
 * htmlTable(reportSummaryRows(ds.report), { caption: "Prüfbericht" });
 */
export function reportSummaryRows(report: ValidationReport): Record<string, string | number>[] {
  const groups = new Map<string, { severity: Severity; check: string; n: number; example: string }>();
  for (const f of report.findings) {
    const key = `${f.severity}|${f.check}`;
    const g = groups.get(key) ?? { severity: f.severity, check: f.check, n: 0, example: f.message };
    g.n++;
    groups.set(key, g);
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...groups.values()]
    .sort((a, b) => order[a.severity] - order[b.severity] || b.n - a.n)
    .map((g) => ({ Schwere: SEVERITY_LABEL[g.severity], "Prüfung": g.check, Befunde: g.n, Beispiel: g.example }));
}
