/**
 * The social-report indicator set (DOMAIN.md, from the seed) defined as data: every indicator
 * is a ratio of two sums of count terms times a factor, or a count, or a mean age. A city's
 * configuration may add or override definitions (`rules.indicators` in the dataset JSON)
 * without touching code.
 *
 * A *term* is either a count variable id (`"pop_total"`, `"sgb2_children_u15"`) or an age
 * range `"age:FROM-TO"` (`"age:0-18"` = 0 to under 18, `"age:65-"` = 65 and older) that is
 * summed from whatever age bands the data has, as long as they tile the range exactly.
 */

/** How an indicator is formed. */
export type IndicatorKind = "count" | "share" | "ratio" | "mean";

/** One indicator definition. */
export interface IndicatorDefinition {
  /** Stable id, e.g. `"child_poverty"`. */
  id: string;
  /** German label, e.g. `"Kinder in Bedarfsgemeinschaften"`. */
  label: string;
  /** Short German definition shown in every footnote. */
  definition: string;
  /** Topic for grouping in notebooks and the atlas. */
  topic: "Demografie" | "Soziale Lage";
  /** `count`: sum of `numerator`; `share`/`ratio`: numerator / denominator × factor; `mean`: mean age. */
  kind: IndicatorKind;
  /** Terms summed for the numerator (for `mean`: the age range the mean is taken over, default all ages). */
  numerator: string[];
  /** Terms summed for the denominator (shares and ratios). */
  denominator?: string[];
  /** Multiplier, 100 for per-cent and per-100 values (default 100 for share/ratio, 1 otherwise). */
  factor?: number;
  /** Unit for labels: `"%"`, `"je 100"`, `"Personen"`, `"Haushalte"`, `"Jahre"`. */
  unit: string;
  /** Smallest denominator (or count base) for which the value is considered reliable (default 0). */
  minBase?: number;
  /** True when a higher value means a worse situation (for ranks and colour direction). */
  higherIsWorse?: boolean;
  /** Digits shown (default 1, counts 0). */
  digits?: number;
  /** Named alternative definitions a city may choose (e.g. the greying index). */
  alternatives?: Record<string, Partial<Pick<IndicatorDefinition, "numerator" | "denominator" | "definition" | "label">>>;
  /** Further note for footnotes (e.g. why the unemployment rate is not the official one). */
  note?: string;
}

/** The default catalogue. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  // --- Demografie ---------------------------------------------------------------------------
  { id: "population", label: "Einwohner", definition: "Einwohner mit Hauptwohnsitz am 31.12.", topic: "Demografie", kind: "count", numerator: ["pop_total"], unit: "Personen", digits: 0 },
  {
    id: "mean_age", label: "Durchschnittsalter", definition: "Mittleres Alter der Einwohner in Jahren", topic: "Demografie", kind: "mean",
    numerator: ["age:0-"], unit: "Jahre", digits: 1, minBase: 50,
    note: "Aus Altersgruppen berechnet (Klassenmitten; offene Gruppe: Untergrenze + 5 Jahre), nicht aus Einzeljahren.",
  },
  { id: "pop_u18", label: "Einwohner unter 18 Jahren", definition: "Einwohner 0 bis unter 18 Jahre", topic: "Demografie", kind: "count", numerator: ["age:0-18"], unit: "Personen", digits: 0 },
  { id: "pop_18_65", label: "Einwohner 18 bis unter 65 Jahren", definition: "Einwohner 18 bis unter 65 Jahre", topic: "Demografie", kind: "count", numerator: ["age:18-65"], unit: "Personen", digits: 0 },
  { id: "pop_65plus", label: "Einwohner 65 Jahre und älter", definition: "Einwohner 65 Jahre und älter", topic: "Demografie", kind: "count", numerator: ["age:65-"], unit: "Personen", digits: 0 },
  { id: "share_u18", label: "Anteil unter 18-Jährige", definition: "Einwohner unter 18 Jahren je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["age:0-18"], denominator: ["pop_total"], unit: "%", minBase: 100 },
  { id: "share_18_65", label: "Anteil 18- bis unter 65-Jährige", definition: "Einwohner 18 bis unter 65 Jahre je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["age:18-65"], denominator: ["pop_total"], unit: "%", minBase: 100 },
  { id: "share_65plus", label: "Anteil ab 65-Jährige", definition: "Einwohner 65 Jahre und älter je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["age:65-"], denominator: ["pop_total"], unit: "%", minBase: 100 },
  { id: "youth_ratio", label: "Jugendquotient", definition: "Einwohner unter 18 Jahren je 100 Einwohner von 18 bis unter 65 Jahren", topic: "Demografie", kind: "ratio", numerator: ["age:0-18"], denominator: ["age:18-65"], unit: "je 100", minBase: 100 },
  { id: "old_age_ratio", label: "Altenquotient", definition: "Einwohner ab 65 Jahren je 100 Einwohner von 18 bis unter 65 Jahren", topic: "Demografie", kind: "ratio", numerator: ["age:65-"], denominator: ["age:18-65"], unit: "je 100", minBase: 100 },
  {
    id: "greying_index", label: "Greying-Index", definition: "Einwohner ab 80 Jahren je 100 Einwohner ab 60 Jahren", topic: "Demografie", kind: "ratio",
    numerator: ["age:80-"], denominator: ["age:60-"], unit: "je 100", minBase: 50,
    alternatives: { "60-80": { denominator: ["age:60-80"], definition: "Einwohner ab 80 Jahren je 100 Einwohner von 60 bis unter 80 Jahren" } },
  },
  { id: "migback_share", label: "Anteil mit Migrationshintergrund", definition: "Einwohner mit Migrationshintergrund je 100 Einwohner", topic: "Demografie", kind: "share", numerator: ["migback_total"], denominator: ["pop_total"], unit: "%", minBase: 100 },
  { id: "migback_18_65_share", label: "Migrationshintergrund 18 bis unter 65 Jahre", definition: "Einwohner von 18 bis unter 65 Jahren mit Migrationshintergrund je 100 Einwohner dieses Alters", topic: "Demografie", kind: "share", numerator: ["migback_18_65"], denominator: ["age:18-65"], unit: "%", minBase: 100 },
  // --- Soziale Lage -------------------------------------------------------------------------
  { id: "unemployed", label: "Arbeitslose", definition: "Arbeitslose (SGB II und SGB III) am 31.12.", topic: "Soziale Lage", kind: "count", numerator: ["unemployed"], unit: "Personen", digits: 0, higherIsWorse: true },
  {
    id: "unemployment_rate", label: "Arbeitslosenquote (kleinräumig)", definition: "Arbeitslose je 100 Einwohner von 15 bis unter 65 Jahren", topic: "Soziale Lage", kind: "share",
    numerator: ["unemployed"], denominator: ["age:15-65"], unit: "%", minBase: 100, higherIsWorse: true,
    note: "Unterhalb der Stadtebene ist die Zahl der zivilen Erwerbspersonen nicht bekannt; die Quote bezieht sich daher auf die Einwohner im erwerbsfähigen Alter und ist nicht mit der amtlichen Arbeitslosenquote der Bundesagentur für Arbeit vergleichbar.",
  },
  {
    id: "unemployment_rate_foreign", label: "Arbeitslosenquote Ausländer (kleinräumig)", definition: "Arbeitslose Ausländer je 100 Ausländer von 15 bis unter 65 Jahren", topic: "Soziale Lage", kind: "share",
    numerator: ["unemployed_foreign"], denominator: ["foreign_15_65"], unit: "%", minBase: 100, higherIsWorse: true,
    note: "Bezug: Ausländer im erwerbsfähigen Alter, nicht zivile Erwerbspersonen.",
  },
  { id: "sgb2_households", label: "Bedarfsgemeinschaften", definition: "Bedarfsgemeinschaften nach SGB II", topic: "Soziale Lage", kind: "count", numerator: ["sgb2_households"], unit: "Haushalte", digits: 0, higherIsWorse: true },
  { id: "sgb2_household_share", label: "Anteil Bedarfsgemeinschaften an den Haushalten", definition: "Bedarfsgemeinschaften nach SGB II je 100 Haushalte", topic: "Soziale Lage", kind: "share", numerator: ["sgb2_households"], denominator: ["households"], unit: "%", minBase: 100, higherIsWorse: true },
  { id: "sgb2_households_children", label: "Bedarfsgemeinschaften mit Kindern", definition: "Bedarfsgemeinschaften nach SGB II mit Kindern unter 18 Jahren", topic: "Soziale Lage", kind: "count", numerator: ["sgb2_households_children"], unit: "Haushalte", digits: 0, higherIsWorse: true },
  { id: "sgb2_persons", label: "Personen in Bedarfsgemeinschaften", definition: "Personen in Bedarfsgemeinschaften nach SGB II", topic: "Soziale Lage", kind: "count", numerator: ["sgb2_persons"], unit: "Personen", digits: 0, higherIsWorse: true },
  { id: "child_poverty", label: "Kinder in Bedarfsgemeinschaften", definition: "Kinder unter 15 Jahren in Bedarfsgemeinschaften je 100 Kinder unter 15 Jahren", topic: "Soziale Lage", kind: "share", numerator: ["sgb2_children_u15"], denominator: ["age:0-15"], unit: "%", minBase: 100, higherIsWorse: true },
  { id: "old_age_poverty", label: "Grundsicherung im Alter", definition: "Empfänger von Grundsicherung im Alter (SGB XII) ab 65 Jahren je 100 Einwohner ab 65 Jahren", topic: "Soziale Lage", kind: "share", numerator: ["sgb12_65plus"], denominator: ["age:65-"], unit: "%", minBase: 100, higherIsWorse: true },
  { id: "minsec_rate", label: "Mindestsicherungsquote", definition: "Empfänger von Leistungen nach SGB II, SGB XII und AsylbLG je 100 Einwohner", topic: "Soziale Lage", kind: "share", numerator: ["minsec_recipients"], denominator: ["pop_total"], unit: "%", minBase: 100, higherIsWorse: true },
  { id: "single_parent_share", label: "Alleinerziehende Haushalte", definition: "Alleinerziehendenhaushalte je 100 Haushalte mit Kindern", topic: "Soziale Lage", kind: "share", numerator: ["single_parent_households"], denominator: ["households_children"], unit: "%", minBase: 50, higherIsWorse: true },
  { id: "single_parent_sgb2_share", label: "Alleinerziehende in Bedarfsgemeinschaften", definition: "Alleinerziehendenhaushalte in Bedarfsgemeinschaften je 100 Alleinerziehendenhaushalte", topic: "Soziale Lage", kind: "share", numerator: ["single_parent_sgb2"], denominator: ["single_parent_households"], unit: "%", minBase: 30, higherIsWorse: true },
];
