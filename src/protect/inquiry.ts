/**
 * Parameters of an ad-hoc inquiry (notebook `05-anfrage`) resolved against the active dataset:
 * what was asked where the data support it, and a sensible fallback with a German note where
 * they do not (another city has other ids, indicators and years).
 */
import type { DatasetConfig } from "../project/config-types";
import type { Dataset } from "../project/config";
import { mainSystem, reportingSystems } from "../project/overview";
import { pickIndicator } from "../indicators/tables";
import { resultIndex } from "../indicators/compute";
import { protectedIndicatorsFor, type ProtectedResult } from "./dataset";

/** What an inquiry asks (every field optional: empty means "choose sensibly"). */
export interface InquiryParameters {
  /** Indicator id (default: child poverty, else the first computable social indicator). */
  indicator?: string;
  /** Area ids (default: the area with the highest published value). */
  areas?: string[];
  /** Years (default: the last year and the one `changeYears` before). */
  years?: number[];
  /** Area system id (default: the dataset's main system). */
  system?: string;
}

/** Result of {@link resolveInquiry}. */
export interface ResolvedInquiry {
  system: string;
  indicator: string;
  areas: string[];
  years: number[];
  /** The protected result of the system (all computable indicators). */
  result: ProtectedResult;
  /** German notes on every parameter that was replaced by a fallback. */
  notes: string[];
}

/**
 * Resolves an inquiry's parameters: unknown systems, indicators, areas and years are replaced
 * by sensible defaults, each with a note, so the inquiry notebook runs on every dataset.
 *
 * @example
 * const q = resolveInquiry(ds, { indicator: "child_poverty", areas: ["0205"], years: [2020, 2024] });
 * q.notes; // [] on Musterstadt; on Berlin: ["Gebiet 0205 gibt es in … nicht; …"]
 */
export function resolveInquiry(ds: Pick<Dataset, "areaSystems" | "counts"> & { config: Pick<DatasetConfig, "rules"> & { source?: string } }, params: InquiryParameters = {}): ResolvedInquiry {
  const notes: string[] = [];
  const systems = reportingSystems(ds);
  let system = params.system || mainSystem(ds);
  if (!systems.includes(system)) {
    notes.push(`Gebietssystem „${system}“ ist in diesem Datensatz nicht auswertbar; verwendet: ${mainSystem(ds)} (${ds.areaSystems.get(mainSystem(ds))!.label}).`);
    system = mainSystem(ds);
  }
  const result = protectedIndicatorsFor(ds, system);
  const r = result.result;
  const wanted = params.indicator;
  const indicator = pickIndicator(r, "Soziale Lage", [...(wanted ? [wanted] : []), "child_poverty", "sgb2_household_share", "minsec_rate", "unemployment_rate"])
    ?? pickIndicator(r, "Demografie", ["share_65plus", "share_u18"]) ?? r.definitions[0]?.id;
  if (!indicator) throw new Error("the dataset supports no indicator for this inquiry");
  if (wanted && wanted !== indicator) notes.push(`Indikator „${wanted}“ ist mit diesen Daten nicht berechenbar; verwendet: ${r.definitions.find((d) => d.id === indicator)!.label}.`);
  const last = r.years[r.years.length - 1]!;
  let years = (params.years ?? []).filter((y) => r.years.includes(y));
  const missingYears = (params.years ?? []).filter((y) => !r.years.includes(y));
  if (missingYears.length) notes.push(`Jahr(e) ${missingYears.join(", ")} nicht in den Daten (vorhanden: ${r.years[0]}–${last}).`);
  if (!years.length) years = [last - r.changeYears, last].filter((y) => r.years.includes(y));
  years = [...new Set(years)].sort((a, b) => a - b);
  let areas = (params.areas ?? []).filter((a) => r.areas.includes(a));
  const missingAreas = (params.areas ?? []).filter((a) => !r.areas.includes(a));
  if (missingAreas.length) notes.push(`Gebiet(e) ${missingAreas.join(", ")} gibt es in ${ds.areaSystems.get(system)!.label} nicht.`);
  if (!areas.length) {
    const i = r.definitions.findIndex((d) => d.id === indicator);
    const y = r.years.indexOf(years[years.length - 1]!);
    let best = -1, bestValue = -Infinity;
    r.areas.forEach((_, a) => {
      const k = resultIndex(r, i, a, y);
      if (!result.suppressed[k] && Number.isFinite(r.value[k]!) && r.value[k]! > bestValue) { best = a; bestValue = r.value[k]!; }
    });
    areas = [r.areas[Math.max(best, 0)]!];
    notes.push(`Kein Gebiet angegeben oder gefunden; verwendet: das Gebiet mit dem höchsten veröffentlichten Wert, ${result.names.get(areas[0]!) ?? ""} (${areas[0]}).`);
  }
  return { system, indicator, areas, years, result, notes };
}
