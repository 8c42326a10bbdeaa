/**
 * Indicator results as rows for display and export: long (area × year × indicator), wide (one
 * row per area, one column per indicator) and the detail of one indicator (value, change,
 * difference to the city, rank). German column names; definitions travel as footnotes.
 */
import { INDICATORS } from "./catalogue";
import { MISSING_CAUSE_TEXT, MissingCause, resultIndex, type IndicatorResult, type ResolvedIndicator } from "./compute";

/** Options shared by the row builders. */
export interface RowOptions {
  /** Year of the status quo (default: the last year). */
  year?: number;
  /** Indicator ids to include, in order (default: all computed). */
  indicators?: string[];
  /** Area names by id, for a name column (default: none). */
  names?: ReadonlyMap<string, string>;
  /** Put the city reference as first row (default true). */
  reference?: boolean;
  /** Label of the reference row (default `"Stadt insgesamt"`). */
  referenceLabel?: string;
}

/** What {@link wideRows} puts in the indicator columns. */
export type Measure = "value" | "change" | "difference" | "rank";

/**
 * The ids of the computed indicators of one topic, in catalogue order.
 *
 * @example
 * wideRows(result, { indicators: topicIndicators(result, "Soziale Lage") });
 */
export function topicIndicators(r: IndicatorResult, topic: string, kinds?: string[]): string[] {
  return r.definitions.filter((d) => d.topic === topic && (!kinds || kinds.includes(d.kind))).map((d) => d.id);
}

function yearIndex(r: IndicatorResult, year?: number): number {
  const y = year ?? r.years[r.years.length - 1]!;
  const i = r.years.indexOf(y);
  if (i < 0) throw new Error(`invalid year: ${y} (expected one of ${r.years.join(", ")})`);
  return i;
}

function pick(r: IndicatorResult, ids?: string[]): { def: ResolvedIndicator; i: number }[] {
  const all = r.definitions.map((def, i) => ({ def, i }));
  if (!ids) return all;
  return ids.map((id) => {
    const hit = all.find((x) => x.def.id === id);
    if (!hit) throw new Error(`invalid indicator: ${JSON.stringify(id)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
    return hit;
  });
}

/** Column heading for an indicator: label and unit, e.g. `"Anteil ab 65-Jährige (%)"`. */
export function columnLabel(def: ResolvedIndicator): string {
  return def.kind === "count" ? def.label : `${def.label} (${def.unit})`;
}

/** Rounds for display tables (full precision stays in the result arrays). */
function round(v: number, digits: number): number {
  if (!Number.isFinite(v)) return NaN;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * The first of `preferred` that was computed, else the first computed indicator of `topic`,
 * else undefined (the data cannot support any): lets a notebook run on every city.
 *
 * @example
 * const focus = pickIndicator(result, "Soziale Lage", ["child_poverty", "sgb2_household_share"]);
 */
export function pickIndicator(r: IndicatorResult, topic: string, preferred: string[] = []): string | undefined {
  const computed = new Set(r.definitions.map((d) => d.id));
  return preferred.find((id) => computed.has(id)) ?? topicIndicators(r, topic)[0];
}

/**
 * German notes on the catalogue indicators of a topic that the data cannot support, with the
 * reason (e.g. "age range 80+ cannot be built from the age bands in the data").
 *
 * @example
 * unavailableNotes(result, "Soziale Lage"); // ["Arbeitslose: nicht berechenbar (count variable \"unemployed\" is not in the data …)"]
 */
export function unavailableNotes(r: IndicatorResult, topic?: string, catalogue = INDICATORS): string[] {
  return r.skipped
    .map((s) => ({ s, def: catalogue.find((d) => d.id === s.id) }))
    .filter(({ def }) => !topic || def?.topic === topic)
    .map(({ s, def }) => `${def?.label ?? s.id}: nicht berechenbar (${s.reason})`);
}

/** Column heading of an indicator for a measure, e.g. `"Anteil ab 65-Jährige: Veränderung (Prozentpunkte)"`. */
export function measureLabel(def: ResolvedIndicator, measure: Measure): string {
  if (measure === "value") return columnLabel(def);
  if (measure === "rank") return `${def.label}: Rang`;
  const unit = def.kind === "count" ? "absolut" : def.unit === "%" ? "Prozentpunkte" : def.unit;
  return `${def.label}: ${measure === "change" ? "Veränderung" : "Abstand zur Stadt"} (${unit})`;
}

/**
 * One row per area (the city first), one column per indicator, for the status quo year:
 * the values, or their change over `changeYears`, their difference to the city, or their rank.
 *
 * @example
 * htmlTable(wideRows(result, { year: 2024, names }), { notes: footnotes(result) });
 * htmlTable(wideRows(result, { measure: "change" }));
 */
export function wideRows(r: IndicatorResult, options: RowOptions & { measure?: Measure } = {}): Record<string, string | number>[] {
  const y = yearIndex(r, options.year);
  const Y = r.years.length;
  const measure = options.measure ?? "value";
  const defs = pick(r, options.indicators);
  const rows: Record<string, string | number>[] = [];
  if (options.reference ?? true) {
    const row: Record<string, string | number> = { "Gebiet-ID": "", Gebiet: options.referenceLabel ?? "Stadt insgesamt" };
    for (const { def, i } of defs) {
      const v = measure === "value" ? r.reference.value[i * Y + y]! : measure === "change" ? r.reference.change[i * Y + y]! : NaN;
      row[measureLabel(def, measure)] = round(v, def.digits);
    }
    rows.push(row);
  }
  r.areas.forEach((id, a) => {
    const row: Record<string, string | number> = { "Gebiet-ID": id, Gebiet: options.names?.get(id) ?? "" };
    for (const { def, i } of defs) {
      const k = resultIndex(r, i, a, y);
      const v = measure === "value" ? r.value[k]! : measure === "change" ? r.change[k]! : measure === "rank" ? r.rank[k]! : r.value[k]! - r.reference.value[i * Y + y]!;
      row[measureLabel(def, measure)] = measure === "rank" ? v : round(v, def.digits);
    }
    rows.push(row);
  });
  return rows;
}

/**
 * The detail of one indicator per area: value, change over `changeYears`, difference to the
 * city, rank, base and a reliability note, sorted by rank.
 *
 * @example
 * htmlTable(detailRows(result, "child_poverty", { names }), { caption: "Kinder in Bedarfsgemeinschaften 2024" });
 */
export function detailRows(r: IndicatorResult, indicator: string | undefined, options: Omit<RowOptions, "indicators"> = {}): Record<string, string | number>[] {
  if (indicator === undefined) return [];
  const y = yearIndex(r, options.year);
  const [{ def, i }] = pick(r, [indicator]) as [{ def: ResolvedIndicator; i: number }];
  const Y = r.years.length;
  const isCount = def.kind === "count";
  const changeHead = `Veränderung ${r.years[y]! - r.changeYears}–${r.years[y]} ${isCount ? "(absolut)" : def.unit === "%" ? "(Prozentpunkte)" : `(${def.unit})`}`;
  const refValue = r.reference.value[i * Y + y]!;
  const rows: Record<string, string | number>[] = [];
  if (options.reference ?? true) {
    rows.push({
      "Gebiet-ID": "", Gebiet: options.referenceLabel ?? "Stadt insgesamt", [columnLabel(def)]: round(refValue, def.digits),
      [changeHead]: round(r.reference.change[i * Y + y]!, def.digits),
      ...(isCount ? { "Veränderung (%)": round(r.reference.changePct[i * Y + y]!, 1) } : {}),
      "Abstand zur Stadt": NaN, Rang: NaN, Basis: isCount ? NaN : r.reference.denominator[i * Y + y]!, Hinweis: "",
    });
  }
  const order = r.areas.map((_, a) => a).sort((p, q) => {
    const rp = r.rank[resultIndex(r, i, p, y)]!, rq = r.rank[resultIndex(r, i, q, y)]!;
    return (Number.isNaN(rp) ? Infinity : rp) - (Number.isNaN(rq) ? Infinity : rq) || r.areas[p]!.localeCompare(r.areas[q]!);
  });
  for (const a of order) {
    const k = resultIndex(r, i, a, y);
    const v = r.value[k]!;
    const notes: string[] = [];
    if (r.reason[k]) notes.push(MISSING_CAUSE_TEXT[r.reason[k] as MissingCause]);
    else if (r.smallBase[k]) notes.push(`kleine Basis (< ${def.minBase})`);
    if (r.changeReason[k] && !r.reason[k]) notes.push(`Veränderung: ${MISSING_CAUSE_TEXT[r.changeReason[k] as MissingCause]}`);
    rows.push({
      "Gebiet-ID": r.areas[a]!, Gebiet: options.names?.get(r.areas[a]!) ?? "", [columnLabel(def)]: round(v, def.digits),
      [changeHead]: round(r.change[k]!, def.digits),
      ...(isCount ? { "Veränderung (%)": round(r.changePct[k]!, 1) } : {}),
      "Abstand zur Stadt": round(v - refValue, def.digits), Rang: r.rank[k]!, Basis: isCount ? NaN : r.denominator[k]!, Hinweis: notes.join("; "),
    });
  }
  return rows;
}

/**
 * Long rows: one per area, year and indicator, with every measure.
 *
 * @example
 * rowsToDataFrame(longRows(result)).print();
 */
export function longRows(r: IndicatorResult, options: Pick<RowOptions, "indicators" | "names"> = {}): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const { def, i } of pick(r, options.indicators)) {
    r.areas.forEach((id, a) => r.years.forEach((year, y) => {
      const k = resultIndex(r, i, a, y);
      rows.push({
        gebiet_id: id, gebiet: options.names?.get(id) ?? "", jahr: year, indikator: def.id, wert: r.value[k]!, zaehler: r.numerator[k]!,
        nenner: r.denominator[k]!, veraenderung: r.change[k]!, veraenderung_prozent: r.changePct[k]!, stadt: r.reference.value[i * r.years.length + y]!,
        rang: r.rank[k]!, kleine_basis: r.smallBase[k]!, fehlgrund: MISSING_CAUSE_TEXT[r.reason[k] as MissingCause],
      });
    }));
  }
  return rows;
}

/**
 * Footnotes for a table or figure: each indicator's definition, how change is measured, and
 * how missing values are shown.
 *
 * @example
 * footnotes(result, ["child_poverty"]); // ["Kinder in Bedarfsgemeinschaften: Kinder unter 15 Jahren …", …]
 */
export function footnotes(r: IndicatorResult, indicators?: string[]): string[] {
  const defs = pick(r, indicators).map((x) => x.def);
  return [
    ...defs.map((d) => d.footnote),
    `Veränderung über ${r.changeYears} Jahre: Anteile und Quoten in Prozentpunkten, Anzahlen absolut und in %. Stadtwerte aus summierten Anzahlen berechnet.`,
    "– = kein Wert (Eingangsdaten fehlen oder Bezugsgröße 0).",
  ];
}
