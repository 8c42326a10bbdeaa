/**
 * One German sentence on the reliability of a value, ready to paste into the reply to a
 * council inquiry: the value as published, its confidence interval, the comparison with the
 * city and whether small numbers limit the statement. Built from a protected result only, so
 * it never states a hidden value.
 */
import { MISSING_CAUSE_TEXT, MissingCause, resultIndex } from "../indicators/compute";
import { formatNumber } from "../present/format";
import { ProtectionReason, type ProtectedIndicators } from "./apply";
import type { ProtectedResult } from "./dataset";
import { Significance } from "./intervals";

/** Options of {@link reliabilitySentence}. */
export interface ReliabilitySentenceOptions {
  /** Year (default the last of the result). */
  year?: number;
  /** Area names (default: those of a `protectedIndicatorsFor` result). */
  names?: ReadonlyMap<string, string>;
  /** Fewer cases than this in the numerator count as "small numbers" (default 20: relative standard error above about 22 %). */
  minCases?: number;
}

function fmt(v: number, digits: number, unit: string): string {
  return formatNumber(v, { digits, unit: unit === "Personen" || unit === "Haushalte" ? undefined : unit });
}

/**
 * The reliability sentence for one indicator, area and year (see the module text).
 *
 * @example
 * reliabilitySentence(p, "child_poverty", "0101");
 * // "Der Wert „Kinder in Bedarfsgemeinschaften“ lag in Lindenhöhe (0101) am 31.12.2024 bei 28,7 % (95-%-Konfidenzintervall 22,3 % bis 35,9 %) und damit signifikant über dem Stadtwert von 20,4 %; kleine Fallzahlen schränken diese Aussage nicht ein."
 */
export function reliabilitySentence(p: ProtectedIndicators, indicator: string, area: string, options: ReliabilitySentenceOptions = {}): string {
  const r = p.result;
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of the result)`);
  const year = options.year ?? r.years[r.years.length - 1]!;
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  const def = r.definitions[i]!;
  const k = resultIndex(r, i, a, y);
  const name = (options.names ?? (p as Partial<ProtectedResult>).names)?.get(area);
  const where = name ? `${name} (${area})` : `Gebiet ${area}`;
  const date = `31.12.${year}`;
  const ref = r.reference.value[i * r.years.length + y]!;
  const refText = Number.isFinite(ref) ? fmt(ref, def.digits, def.unit) : "";
  const city = refText ? `; der Stadtwert liegt bei ${refText}` : "";
  const what = `„${def.label}“`;
  const reason = p.reason[k] as ProtectionReason;
  if (p.suppressed[k]) {
    if (reason === ProtectionReason.SmallDenominator || reason === ProtectionReason.SmallPopulation) {
      return `Für ${where} wird der Wert ${what} zum ${date} nicht ausgewiesen, weil die Bezugsgröße für eine belastbare Aussage zu klein ist (kleine Zahlen)${city}.`;
    }
    return `Für ${where} kann der Wert ${what} zum ${date} aus Gründen der statistischen Geheimhaltung nicht ausgewiesen werden (zu kleine Fallzahlen)${city}.`;
  }
  const v = r.value[k]!;
  if (!Number.isFinite(v)) {
    const cause = MISSING_CAUSE_TEXT[r.reason[k] as MissingCause] || "keine Angabe";
    return `Für ${where} liegt zum ${date} kein Wert ${what} vor (${cause})${city}.`;
  }
  const minCases = options.minCases ?? 20;
  const value = fmt(v, def.digits, def.unit);
  if (def.kind === "share" || def.kind === "ratio") {
    const lo = p.lo[k]!, hi = p.hi[k]!;
    const interval = Number.isFinite(lo) && Number.isFinite(hi)
      ? ` (${Math.round(p.rules.confidence * 100)}-%-Konfidenzintervall ${fmt(lo, def.digits, def.unit)} bis ${fmt(hi, def.digits, def.unit)})`
      : "";
    const sig = p.significance[k] as Significance;
    const comparison = !refText ? "" : sig === Significance.Above ? ` und damit signifikant über dem Stadtwert von ${refText}`
      : sig === Significance.Below ? ` und damit signifikant unter dem Stadtwert von ${refText}`
      : ` und unterscheidet sich damit nicht gesichert vom Stadtwert von ${refText}`;
    const small = !!p.limited[k] || r.numerator[k]! < minCases;
    const limit = small
      ? `; der Wert beruht auf kleinen Fallzahlen (weniger als ${minCases} Fälle${p.limited[k] ? ", eingeschränkte Aussagekraft" : ""}), daher ist er nur mit Vorsicht zu interpretieren`
      : sig === Significance.NotDifferent
        ? "; die Fallzahl reicht für den Wert aus, ein Unterschied zur Stadt ist statistisch aber nicht nachweisbar"
        : "; kleine Fallzahlen schränken diese Aussage nicht ein";
    return `Der Wert ${what} lag in ${where} am ${date} bei ${value}${interval}${comparison}${limit}.`;
  }
  if (def.kind === "count") {
    const limit = v < minCases
      ? `; bei so kleinen Fallzahlen sind Veränderungen zufallsanfällig und nur mit Vorsicht zu interpretieren`
      : "; kleine Fallzahlen schränken diese Aussage nicht ein";
    return `In ${where} lag der Wert ${what} am ${date} bei ${formatNumber(v, { digits: 0 })}${refText ? ` (Stadt insgesamt: ${refText})` : ""}${limit}.`;
  }
  return `Der Wert ${what} lag in ${where} am ${date} bei ${value}${refText ? ` (Stadt insgesamt: ${refText})` : ""}; ein Konfidenzintervall wird für diesen Indikator nicht berechnet${p.limited[k] ? ", die Basis ist klein und die Aussagekraft eingeschränkt" : ""}.`;
}
