/**
 * The project's count variables: the raw counts every indicator is built from.
 *
 * A city's statistics files name their columns as they like; the dataset configuration maps
 * those columns onto these ids (see README, "Dataset configuration"). Everything downstream
 * (indicators, aggregation, crosswalks, suppression) speaks only these ids.
 *
 * All variables are counts of persons or households on the reference date (31.12.) with main
 * residence in the area, so they may be summed over areas.
 */
export interface CountVariable {
  /** Stable identifier used in code and configurations, e.g. `"pop_total"`. */
  id: string;
  /** German label for tables and figures. */
  label: string;
  /** What is counted: persons or households. */
  unit: "Personen" | "Haushalte";
  /** Id of the variable this one is a part of (parts never exceed their whole). */
  partOf?: string;
}

/** Fine age bands `[from, toExclusive]` (years); the last band is open (`90+`). */
export const AGE_BANDS: ReadonlyArray<readonly [number, number | null]> = [
  [0, 3], [3, 6], [6, 10], [10, 15], [15, 18], [18, 25], [25, 30], [30, 35], [35, 40],
  [40, 45], [45, 50], [50, 55], [55, 60], [60, 65], [65, 70], [70, 75], [75, 80],
  [80, 85], [85, 90], [90, null],
];

/**
 * Id of the count variable for an age band, e.g. `ageBandId(0, 3) === "age_00_03"`,
 * `ageBandId(90, null) === "age_90_plus"`.
 *
 * @example
 * ageBandId(15, 18); // "age_15_18"
 */
export function ageBandId(from: number, to: number | null): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return to === null ? `age_${pad(from)}_plus` : `age_${pad(from)}_${pad(to)}`;
}

function ageBandVariable(from: number, to: number | null): CountVariable {
  return {
    id: ageBandId(from, to),
    label: to === null ? `Einwohner ${from} Jahre und älter` : `Einwohner ${from} bis unter ${to} Jahre`,
    unit: "Personen",
    partOf: "pop_total",
  };
}

/** Every count variable the indicator set of DOMAIN.md needs. */
export const COUNT_VARIABLES: readonly CountVariable[] = [
  { id: "pop_total", label: "Einwohner (Hauptwohnsitz)", unit: "Personen" },
  ...AGE_BANDS.map(([from, to]) => ageBandVariable(from, to)),
  { id: "migback_total", label: "Einwohner mit Migrationshintergrund", unit: "Personen", partOf: "pop_total" },
  { id: "migback_18_65", label: "Einwohner 18 bis unter 65 Jahre mit Migrationshintergrund", unit: "Personen", partOf: "migback_total" },
  { id: "foreign_total", label: "Ausländerinnen und Ausländer", unit: "Personen", partOf: "pop_total" },
  { id: "foreign_15_65", label: "Ausländer 15 bis unter 65 Jahre", unit: "Personen", partOf: "foreign_total" },
  { id: "unemployed", label: "Arbeitslose", unit: "Personen", partOf: "pop_total" },
  { id: "unemployed_foreign", label: "Arbeitslose Ausländer", unit: "Personen", partOf: "unemployed" },
  { id: "sgb2_households", label: "Bedarfsgemeinschaften (SGB II)", unit: "Haushalte", partOf: "households" },
  { id: "sgb2_households_children", label: "Bedarfsgemeinschaften mit Kindern", unit: "Haushalte", partOf: "sgb2_households" },
  { id: "sgb2_persons", label: "Personen in Bedarfsgemeinschaften", unit: "Personen", partOf: "pop_total" },
  { id: "sgb2_children_u15", label: "Kinder unter 15 Jahren in Bedarfsgemeinschaften", unit: "Personen", partOf: "sgb2_persons" },
  { id: "sgb12_65plus", label: "Empfänger von Grundsicherung im Alter (SGB XII), 65 Jahre und älter", unit: "Personen", partOf: "pop_total" },
  { id: "minsec_recipients", label: "Empfänger von Mindestsicherungsleistungen (SGB II, SGB XII, AsylbLG)", unit: "Personen", partOf: "pop_total" },
  { id: "households", label: "Haushalte", unit: "Haushalte" },
  { id: "households_children", label: "Haushalte mit Kindern", unit: "Haushalte", partOf: "households" },
  { id: "single_parent_households", label: "Alleinerziehendenhaushalte", unit: "Haushalte", partOf: "households_children" },
  { id: "single_parent_sgb2", label: "Alleinerziehendenhaushalte in Bedarfsgemeinschaften", unit: "Haushalte", partOf: "single_parent_households" },
];

const AGE_BAND_RE = /^age_(\d{2,3})_(\d{2,3}|plus)$/;

/**
 * Parses an age-band variable id into `[from, toExclusive]` (`null` for an open band), or
 * returns `undefined` when the id is not an age band. Any band is allowed, so cities that
 * deliver coarser or finer bands than {@link AGE_BANDS} (Berlin: `age_00_06`, `age_06_15`, …)
 * map them directly.
 *
 * @example
 * parseAgeBand("age_65_plus"); // [65, null]
 * parseAgeBand("pop_total");   // undefined
 */
export function parseAgeBand(id: string): [number, number | null] | undefined {
  const m = AGE_BAND_RE.exec(id);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === "plus" ? null : Number(m[2]);
  if (to !== null && to <= from) return undefined;
  return [from, to];
}

/**
 * Looks up a count variable by id; any well-formed age band (`age_FROM_TO`, `age_FROM_plus`)
 * is accepted. Throws, listing the known ids, when the id is unknown.
 *
 * @example
 * countVariable("sgb2_children_u15").label; // "Kinder unter 15 Jahren in Bedarfsgemeinschaften"
 * countVariable("age_00_06").label;         // "Einwohner 0 bis unter 6 Jahre"
 */
export function countVariable(id: string): CountVariable {
  const v = COUNT_VARIABLES.find((x) => x.id === id);
  if (v) return v;
  const band = parseAgeBand(id);
  if (band) return ageBandVariable(band[0], band[1]);
  throw new Error(
    `invalid count variable: ${JSON.stringify(id)} (expected an age band like "age_00_06" / "age_65_plus" or one of ${COUNT_VARIABLES.filter((x) => !parseAgeBand(x.id)).map((x) => x.id).join(", ")})`,
  );
}
