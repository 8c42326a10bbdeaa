/**
 * Tables that may leave the office: built from a protected result, with table symbols instead
 * of hidden values, blank (symbol) ranks, changes and differences for hidden cells, ranks
 * recomputed over the published values only (a rank among all areas would place a hidden value
 * between its neighbours), and the symbol footnotes and rules under the table.
 *
 * A {@link PublishedTable} is the only thing {@link writeTable} writes and {@link tableHtml}
 * shows; a table of plain rows needs {@link unprotectedTable} with a reason, which is written
 * under the table.
 */
import { MISSING_CAUSE_TEXT, MissingCause, resultIndex, type ResolvedIndicator } from "../indicators/compute";
import { columnLabel, footnotes, measureLabel, type Measure } from "../indicators/tables";
import { germanCsv } from "../export/files";
import { writeOutput } from "../export/files";
import { escapeHtml } from "../present/format";
import { htmlTable } from "../present/html-table";
import { PROTECTION_REASON_SYMBOL, ProtectionReason, type ProtectedIndicators } from "./apply";
import { publicReason, type ProtectedResult } from "./dataset";
import { Significance, SIGNIFICANCE_TEXT } from "./intervals";
import { describeRules } from "./rules";
import { displayValue, symbolFootnotes, type TableSymbol } from "./symbols";

/** How a table was protected: the rules applied, or the reason it is published without. */
export type TableProtection = { rules: string } | { unprotected: { reason: string } };

/** A table ready for display and export (see {@link protectedTable}, {@link unprotectedTable}). */
export interface PublishedTable {
  /** Rows: numbers are published values; strings are text or table symbols (`.`, `/`, `x`, `(12,3)`). */
  rows: Record<string, string | number>[];
  columns: string[];
  /** Digits per numeric column. */
  digits: Record<string, number>;
  caption?: string;
  /** Footnotes: definitions, symbols used, rules (or the reason protection was off), source. */
  notes: string[];
  protection: TableProtection;
  /** Area system and year of the table, when it has one (for the preamble and for checks). */
  system?: string;
  year?: number;
}

/** Options of {@link protectedTable}. */
export interface ProtectedTableOptions {
  /** Indicator ids, in order (default all computed). */
  indicators?: string[];
  /** Value, change, difference to the city or rank (default `"value"`). */
  measure?: Measure;
  /** Year (default the last). */
  year?: number;
  /** Area names (default: those of a `protectedIndicatorsFor` result). */
  names?: ReadonlyMap<string, string>;
  /** City row first (default true). */
  reference?: boolean;
  referenceLabel?: string;
  caption?: string;
  /** Further notes (e.g. unavailable indicators); the source of the result is appended. */
  notes?: string[];
}

function yearIndex(p: ProtectedIndicators, year?: number): number {
  const r = p.result;
  const y = r.years.indexOf(year ?? r.years[r.years.length - 1]!);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  return y;
}

function defsOf(p: ProtectedIndicators, ids?: string[]): { def: ResolvedIndicator; i: number }[] {
  const r = p.result;
  if (!ids) return r.definitions.map((def, i) => ({ def, i }));
  return ids.map((id) => {
    const i = r.definitions.findIndex((d) => d.id === id);
    if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(id)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
    return { def: r.definitions[i]!, i };
  });
}

/**
 * A value rounded to `digits` decimals, as published tables (and the atlas) carry it.
 *
 * @example
 * roundTo(22.449, 1); // 22.4
 */
export function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
const round = roundTo;

/**
 * The table symbol of a hidden cell of a protected result (`.` when none is recorded; never `( )`).
 *
 * @example
 * symbolAt(p, resultIndex(p.result, i, a, y)); // "." or "/"
 */
export function symbolAt(p: ProtectedIndicators, k: number): TableSymbol {
  const s = p.symbol[k] || PROTECTION_REASON_SYMBOL[p.reason[k] as ProtectionReason];
  return (s && s !== "()" ? s : ".") as TableSymbol;
}

/** Display of a value cell: number, or symbol/limited text; collects the symbols used. */
function valueCell(p: ProtectedIndicators, k: number, digits: number, used: Set<TableSymbol>): string | number {
  const v = p.result.value[k]!;
  if (p.suppressed[k] || !Number.isFinite(v) || (p.symbol[k] && p.symbol[k] !== "()")) {
    const s = p.suppressed[k] || p.symbol[k] ? symbolAt(p, k) : ".";
    used.add(s);
    return s;
  }
  if (p.symbol[k] === "()") { used.add("()"); return displayValue(v, { symbol: "()" }, { digits }).text; }
  return round(v, digits);
}

/** Ranks over the published values of one indicator and year (1 = highest); hidden cells get none. */
function publishedRanks(p: ProtectedIndicators, i: number, y: number): Map<number, number> {
  const r = p.result;
  const order: number[] = [];
  r.areas.forEach((_, a) => {
    const k = resultIndex(r, i, a, y);
    if (!p.suppressed[k] && Number.isFinite(r.value[k]!)) order.push(a);
  });
  order.sort((x, z) => r.value[resultIndex(r, i, z, y)]! - r.value[resultIndex(r, i, x, y)]!);
  const out = new Map<number, number>();
  let prev = NaN, prevRank = 0;
  order.forEach((a, pos) => {
    const v = r.value[resultIndex(r, i, a, y)]!;
    const rank = v === prev ? prevRank : pos + 1;
    out.set(a, rank);
    prev = v; prevRank = rank;
  });
  return out;
}

function rulesNote(p: ProtectedIndicators): string {
  return describeRules(p.rules);
}

function protectionOf(p: ProtectedIndicators): TableProtection {
  return p.disabled ? { unprotected: { reason: p.disabled.reason } } : { rules: rulesNote(p) };
}

function definitionNotes(p: ProtectedIndicators, ids: string[]): string[] {
  // The last line of `footnotes` explains "–" as missing; protected tables use the symbols instead.
  return footnotes(p.result, ids).filter((n) => !n.startsWith("– = kein Wert"));
}

function sourceOf(p: ProtectedIndicators): string[] {
  const s = (p as Partial<ProtectedResult>).source;
  return s ? [s] : [];
}

function namesOf(p: ProtectedIndicators, names?: ReadonlyMap<string, string>): ReadonlyMap<string, string> | undefined {
  return names ?? (p as Partial<ProtectedResult>).names;
}

function closingNotes(p: ProtectedIndicators, used: Set<TableSymbol>, extra: string[] = []): string[] {
  return [...symbolFootnotes(used), rulesNote(p), ...p.notes, ...extra, ...sourceOf(p)];
}

/**
 * One row per area (the city first), one column per indicator: the value, the change over
 * `changeYears`, the difference to the city or the rank, as it may be published.
 *
 * @example
 * const t = protectedTable(p, { indicators: kr.topicIndicators(p.result, "Soziale Lage"), caption: "Soziale Lage 2024" });
 * tslab.display.html(tableHtml(t));
 * writeTable("03-soziale-lage", "status-quo.csv", t);
 */
export function protectedTable(p: ProtectedIndicators, options: ProtectedTableOptions = {}): PublishedTable {
  const r = p.result;
  const y = yearIndex(p, options.year);
  const Y = r.years.length;
  const measure = options.measure ?? "value";
  const defs = defsOf(p, options.indicators);
  const names = namesOf(p, options.names);
  const used = new Set<TableSymbol>();
  const rows: Record<string, string | number>[] = [];
  const digits: Record<string, number> = {};
  const back = r.years.indexOf(r.years[y]! - r.changeYears);
  for (const { def } of defs) digits[measureLabel(def, measure)] = measure === "rank" ? 0 : def.digits;
  if (options.reference ?? true) {
    const row: Record<string, string | number> = { "Gebiet-ID": "", Gebiet: options.referenceLabel ?? "Stadt insgesamt" };
    for (const { def, i } of defs) {
      const v = measure === "value" ? r.reference.value[i * Y + y]! : measure === "change" ? r.reference.change[i * Y + y]! : NaN;
      let cell: string | number;
      if (measure === "rank" || measure === "difference") cell = "";
      else if (Number.isFinite(v)) cell = round(v, def.digits);
      else { cell = "."; used.add("."); }
      row[measureLabel(def, measure)] = cell;
    }
    rows.push(row);
  }
  const ranks = new Map(defs.map(({ i }) => [i, measure === "rank" ? publishedRanks(p, i, y) : new Map<number, number>()]));
  r.areas.forEach((id, a) => {
    const row: Record<string, string | number> = { "Gebiet-ID": id, Gebiet: names?.get(id) ?? "" };
    for (const { def, i } of defs) {
      const k = resultIndex(r, i, a, y);
      const col = measureLabel(def, measure);
      if (measure === "value") { row[col] = valueCell(p, k, def.digits, used); continue; }
      if (measure === "change") {
        const hiddenK = p.suppressed[k] ? k : back >= 0 && p.suppressed[resultIndex(r, i, a, back)] ? resultIndex(r, i, a, back) : -1;
        const v = r.change[k]!;
        if (p.changeSuppressed[k] || hiddenK >= 0) { const s = hiddenK >= 0 ? symbolAt(p, hiddenK) : "."; used.add(s); row[col] = s; }
        else if (!Number.isFinite(v)) { const s: TableSymbol = r.changeReason[k] === MissingCause.ZeroDenominator || p.symbol[k] === "x" ? "x" : "."; used.add(s); row[col] = s; }
        else row[col] = round(v, def.digits);
        continue;
      }
      if (p.suppressed[k] || !Number.isFinite(r.value[k]!)) { const s = p.suppressed[k] ? symbolAt(p, k) : "."; used.add(s); row[col] = s; continue; }
      if (measure === "difference") row[col] = round(r.value[k]! - r.reference.value[i * Y + y]!, def.digits);
      else row[col] = ranks.get(i)!.get(a) ?? ".";
    }
    rows.push(row);
  });
  const ids = defs.map((d) => d.def.id);
  return {
    rows, columns: ["Gebiet-ID", "Gebiet", ...defs.map(({ def }) => measureLabel(def, measure))], digits,
    caption: options.caption, system: (p as Partial<ProtectedResult>).system, year: r.years[y],
    notes: [...definitionNotes(p, ids), ...(measure === "rank" ? ["Rang unter den Gebieten mit veröffentlichtem Wert (1 = höchster Wert); gesperrte Werte haben keinen Rang."] : []), ...closingNotes(p, used, options.notes)],
    protection: protectionOf(p),
  };
}

/** Options of {@link protectedDetailTable}. */
export interface ProtectedDetailOptions extends Omit<ProtectedTableOptions, "indicators" | "measure"> {}

/**
 * The detail of one indicator per area, as it may be published: value (symbol when hidden),
 * confidence interval and significance against the city (shares and ratios), change over
 * `changeYears`, difference to the city, rank among the published values, base (the
 * denominator, hidden where one of its counts is suppressed) and a public note. Sorted by the
 * published rank; hidden areas follow by id (their order would reveal their size).
 *
 * @example
 * tslab.display.html(tableHtml(protectedDetailTable(p, "child_poverty", { caption: "Kinder in BG 2024" }), { maxRows: 16 }));
 */
export function protectedDetailTable(p: ProtectedIndicators, indicator: string | undefined, options: ProtectedDetailOptions = {}): PublishedTable {
  const r = p.result;
  if (indicator === undefined) {
    return { rows: [], columns: [], digits: {}, caption: options.caption, notes: ["Kein passender Indikator berechenbar."], protection: protectionOf(p) };
  }
  const [{ def, i }] = defsOf(p, [indicator]) as [{ def: ResolvedIndicator; i: number }];
  const y = yearIndex(p, options.year);
  const Y = r.years.length;
  const names = namesOf(p, options.names);
  const isCount = def.kind === "count";
  const isRate = def.kind === "share" || def.kind === "ratio";
  const inputHidden = (p as Partial<ProtectedResult>).inputHidden;
  const used = new Set<TableSymbol>();
  const valueCol = columnLabel(def);
  const changeCol = `Veränderung ${r.years[y]! - r.changeYears}–${r.years[y]} ${isCount ? "(absolut)" : def.unit === "%" ? "(Prozentpunkte)" : `(${def.unit})`}`;
  const columns = [
    "Gebiet-ID", "Gebiet", valueCol, ...(isRate ? ["KI unten", "KI oben", "Vergleich mit der Stadt"] : []), changeCol,
    ...(isCount ? ["Veränderung (%)"] : []), "Abstand zur Stadt", "Rang", ...(isRate ? ["Basis"] : []), "Hinweis",
  ];
  const digits: Record<string, number> = { [valueCol]: def.digits, "KI unten": def.digits, "KI oben": def.digits, [changeCol]: def.digits, "Veränderung (%)": 1, "Abstand zur Stadt": def.digits, Rang: 0, Basis: 0 };
  const rows: Record<string, string | number>[] = [];
  const refValue = r.reference.value[i * Y + y]!;
  if (options.reference ?? true) {
    rows.push({
      "Gebiet-ID": "", Gebiet: options.referenceLabel ?? "Stadt insgesamt", [valueCol]: round(refValue, def.digits),
      ...(isRate ? { "KI unten": round(p.reference.lo[i * Y + y]!, def.digits), "KI oben": round(p.reference.hi[i * Y + y]!, def.digits), "Vergleich mit der Stadt": "" } : {}),
      [changeCol]: Number.isFinite(r.reference.change[i * Y + y]!) ? round(r.reference.change[i * Y + y]!, def.digits) : ".",
      ...(isCount ? { "Veränderung (%)": Number.isFinite(r.reference.changePct[i * Y + y]!) ? round(r.reference.changePct[i * Y + y]!, 1) : "." } : {}),
      "Abstand zur Stadt": "", Rang: "", ...(isRate ? { Basis: r.reference.denominator[i * Y + y]! } : {}), Hinweis: "",
    });
  }
  const ranks = publishedRanks(p, i, y);
  const order = r.areas.map((_, a) => a).sort((x, z) => (ranks.get(x) ?? Infinity) - (ranks.get(z) ?? Infinity) || r.areas[x]!.localeCompare(r.areas[z]!));
  const back = r.years.indexOf(r.years[y]! - r.changeYears);
  for (const a of order) {
    const k = resultIndex(r, i, a, y);
    const hidden = !!p.suppressed[k] || !Number.isFinite(r.value[k]!);
    const sym = (): TableSymbol => { const s = p.suppressed[k] ? symbolAt(p, k) : r.reason[k] === MissingCause.ZeroDenominator ? "x" : "."; used.add(s); return s; };
    const notes: string[] = [];
    if (p.reason[k]) notes.push(publicReason(p.reason[k] as ProtectionReason) || MISSING_CAUSE_TEXT[r.reason[k] as MissingCause]);
    const kb = back >= 0 ? resultIndex(r, i, a, back) : -1;
    let change: string | number;
    if (p.changeSuppressed[k]) { const s = p.suppressed[k] ? symbolAt(p, k) : kb >= 0 ? symbolAt(p, kb) : "."; used.add(s); change = s; if (!hidden) notes.push(`Veränderung: ${publicReason(p.reason[kb] as ProtectionReason)}`); }
    else if (!Number.isFinite(r.change[k]!)) { used.add("."); change = "."; }
    else change = round(r.change[k]!, def.digits);
    const value = valueCell(p, k, def.digits, used);
    rows.push({
      "Gebiet-ID": r.areas[a]!, Gebiet: names?.get(r.areas[a]!) ?? "", [valueCol]: value,
      ...(isRate ? {
        "KI unten": hidden || !Number.isFinite(p.lo[k]!) ? "" : round(p.lo[k]!, def.digits),
        "KI oben": hidden || !Number.isFinite(p.hi[k]!) ? "" : round(p.hi[k]!, def.digits),
        "Vergleich mit der Stadt": hidden ? "" : SIGNIFICANCE_TEXT[p.significance[k] as Significance],
      } : {}),
      [changeCol]: change,
      ...(isCount ? { "Veränderung (%)": p.changeSuppressed[k] || !Number.isFinite(r.changePct[k]!) ? (typeof change === "string" ? change : ".") : round(r.changePct[k]!, 1) } : {}),
      "Abstand zur Stadt": hidden ? sym() : round(r.value[k]! - refValue, def.digits),
      Rang: ranks.get(a) ?? (hidden ? sym() : "."),
      ...(isRate ? { Basis: inputHidden?.[k] || (p.suppressed[k] && !inputHidden) ? (used.add("."), ".") : r.denominator[k]! } : {}),
      Hinweis: notes.join("; "),
    });
  }
  return {
    rows, columns, digits, caption: options.caption, system: (p as Partial<ProtectedResult>).system, year: r.years[y],
    notes: [
      ...definitionNotes(p, [indicator]),
      "Rang unter den Gebieten mit veröffentlichtem Wert (1 = höchster Wert); gesperrte Werte haben keinen Rang und stehen am Ende.",
      ...(isRate ? [`KI: ${Math.round(p.rules.confidence * 100)}-%-Konfidenzintervall (${p.rules.intervalMethod === "wilson" ? "Wilson" : "Clopper-Pearson"}); Vergleich mit der Stadt: signifikant, wenn das Intervall den Stadtwert nicht enthält. Basis: Nenner des Anteils.`] : []),
      ...closingNotes(p, used, options.notes),
    ],
    protection: protectionOf(p),
  };
}

/** Options of {@link answerTable}. */
export interface AnswerTableOptions {
  /** Years (default: the last and the one `changeYears` before, where present). */
  years?: number[];
  names?: ReadonlyMap<string, string>;
  caption?: string;
  notes?: string[];
}

/**
 * The answer to an inquiry: one indicator for some areas and years, one row per area and year
 * (the city first per year), with the value as published, the confidence interval, the city
 * value and the significance class against it.
 *
 * @example
 * answerTable(p, "child_poverty", ["0101"], { years: [2020, 2024] });
 */
export function answerTable(p: ProtectedIndicators, indicator: string, areas: readonly string[], options: AnswerTableOptions = {}): PublishedTable {
  const r = p.result;
  const [{ def, i }] = defsOf(p, [indicator]) as [{ def: ResolvedIndicator; i: number }];
  const last = r.years[r.years.length - 1]!;
  const years = (options.years ?? [last - r.changeYears, last]).filter((y) => r.years.includes(y));
  if (!years.length) throw new Error(`invalid years: ${JSON.stringify(options.years)} (expected some of ${r.years.join(", ")})`);
  for (const a of areas) if (!r.areas.includes(a)) throw new Error(`invalid area: ${JSON.stringify(a)} (not an area of the result)`);
  const names = namesOf(p, options.names);
  const isRate = def.kind === "share" || def.kind === "ratio";
  const Y = r.years.length;
  const valueCol = columnLabel(def);
  const columns = ["Gebiet-ID", "Gebiet", "Jahr", valueCol, ...(isRate ? ["KI unten", "KI oben"] : []), "Stadt", ...(isRate ? ["Vergleich mit der Stadt"] : []), "Hinweis"];
  const digits: Record<string, number> = { [valueCol]: def.digits, "KI unten": def.digits, "KI oben": def.digits, Stadt: def.digits, Jahr: 0 };
  const used = new Set<TableSymbol>();
  const rows: Record<string, string | number>[] = [];
  for (const year of years) {
    const y = r.years.indexOf(year);
    const ref = r.reference.value[i * Y + y]!;
    for (const id of areas) {
      const a = r.areas.indexOf(id);
      const k = resultIndex(r, i, a, y);
      const hidden = !!p.suppressed[k] || !Number.isFinite(r.value[k]!);
      rows.push({
        "Gebiet-ID": id, Gebiet: names?.get(id) ?? "", Jahr: String(year), [valueCol]: valueCell(p, k, def.digits, used),
        ...(isRate ? { "KI unten": hidden || !Number.isFinite(p.lo[k]!) ? "" : round(p.lo[k]!, def.digits), "KI oben": hidden || !Number.isFinite(p.hi[k]!) ? "" : round(p.hi[k]!, def.digits) } : {}),
        Stadt: Number.isFinite(ref) ? round(ref, def.digits) : ".",
        ...(isRate ? { "Vergleich mit der Stadt": hidden ? "" : SIGNIFICANCE_TEXT[p.significance[k] as Significance] } : {}),
        Hinweis: publicReason(p.reason[k] as ProtectionReason),
      });
    }
  }
  return {
    rows, columns, digits, caption: options.caption, system: (p as Partial<ProtectedResult>).system,
    notes: [
      ...definitionNotes(p, [indicator]),
      ...(isRate ? [`KI: ${Math.round(p.rules.confidence * 100)}-%-Konfidenzintervall (${p.rules.intervalMethod === "wilson" ? "Wilson" : "Clopper-Pearson"}); Vergleich mit der Stadt: signifikant, wenn das Intervall den Stadtwert nicht enthält.`] : []),
      ...closingNotes(p, used, options.notes),
    ],
    protection: protectionOf(p),
  };
}

/** Options of {@link unprotectedTable}. */
export interface UnprotectedTableOptions {
  /** Why the table is shown or written without small-number protection (required; written under the table). */
  unprotected: { reason: string };
  caption?: string;
  notes?: string[];
  columns?: string[];
  digits?: Record<string, number>;
}

/**
 * Plain rows as a table for display or export without small-number protection — only with a
 * reason, which is printed under the table ("Ohne Geheimhaltungsschutz: …"). For internal
 * checks or tables without case numbers (e.g. area systems, validation findings).
 *
 * @example
 * tableHtml(unprotectedTable(kr.wideRows(result), { unprotected: { reason: "interne Plausibilitätsprüfung" } }));
 */
export function unprotectedTable(rows: ReadonlyArray<Record<string, string | number>>, options: UnprotectedTableOptions): PublishedTable {
  const reason = options?.unprotected?.reason?.trim();
  if (!reason) throw new Error(`unprotectedTable: a reason is required ({ unprotected: { reason: "…" } }); for indicator tables use protectedTable(protectedIndicatorsFor(ds, system))`);
  return {
    rows: rows.map((r) => ({ ...r })), columns: options.columns ?? Object.keys(rows[0] ?? {}), digits: options.digits ?? {},
    caption: options.caption, notes: [...(options.notes ?? []), `Ohne Geheimhaltungsschutz: ${reason}`], protection: { unprotected: { reason } },
  };
}

/** Whether a value is a published table (from {@link protectedTable} and friends, or {@link unprotectedTable}). */
export function isPublishedTable(x: unknown): x is PublishedTable {
  return typeof x === "object" && x !== null && Array.isArray((x as PublishedTable).rows) && typeof (x as PublishedTable).protection === "object";
}

function requireTable(t: unknown, where: string): PublishedTable {
  if (!isPublishedTable(t)) {
    throw new Error(`${where}: expected a published table from protectedTable/protectedDetailTable/answerTable (small-number protection) or unprotectedTable(rows, { unprotected: { reason } }); got plain rows`);
  }
  return t;
}

/** Options of {@link tableHtml}. */
export interface TableHtmlOptions {
  /** Caption (default the table's). */
  caption?: string;
  /** Show at most this many rows (default 50). */
  maxRows?: number;
}

/**
 * A published table as HTML for notebooks: symbols right-aligned in number columns, footnotes
 * (symbols, rules, source) under it; an unprotected table carries a red banner with its reason.
 *
 * @example
 * tslab.display.html(tableHtml(protectedTable(p), { caption: "Soziale Lage 2024" }));
 */
export function tableHtml(table: PublishedTable, options: TableHtmlOptions = {}): string {
  const t = requireTable(table, "tableHtml");
  const unprotected = "unprotected" in t.protection;
  const attrs = `data-kr-protection="${unprotected ? "ohne-schutz" : "geschuetzt"}"${t.system ? ` data-kr-system="${escapeHtml(t.system)}"` : ""}${t.year ? ` data-kr-year="${t.year}"` : ""}`;
  const banner = "unprotected" in t.protection
    ? `<div style="color:#b3261e;font-weight:600;font-size:90%;margin:2px 0">Ohne Geheimhaltungsschutz: ${escapeHtml(t.protection.unprotected.reason)} – nicht zur Weitergabe.</div>`
    : "";
  return `<div class="kr-published" ${attrs}>${banner}` +
    htmlTable(t.rows, { columns: t.columns, digits: t.digits, caption: options.caption ?? t.caption, notes: t.notes, maxRows: options.maxRows }) + `</div>`;
}

/** Options of {@link tableCsv}. */
export interface TableCsvOptions {
  /** Lines before the header (default: the caption, and the reference date when the table has a year). */
  preamble?: string[];
}

/**
 * A published table as CSV for German Excel (see `germanCsv`): title and reference date
 * before the header, symbols in hidden cells, the footnotes after the table.
 *
 * @example
 * writeOutput("03-soziale-lage", "status-quo.csv", tableCsv(protectedTable(p)));
 */
export function tableCsv(table: PublishedTable, options: TableCsvOptions = {}): string {
  const t = requireTable(table, "tableCsv");
  const preamble = options.preamble ?? [...(t.caption ? [t.caption] : []), ...(t.year ? [`Stichtag: 31.12.${t.year}`] : [])];
  return germanCsv(t.rows, { columns: t.columns, digits: t.digits, preamble, notes: t.notes });
}

/**
 * Writes a published table as CSV to `outputs/<notebook>/<name>` (see {@link tableCsv}) and
 * returns the path. Plain rows are refused: build the table with `protectedTable` (or
 * `unprotectedTable` with a reason).
 *
 * @example
 * writeTable("03-soziale-lage", "status-quo.csv", protectedTable(p, { caption: "Soziale Lage 2024" }));
 */
export function writeTable(notebook: string, name: string, table: PublishedTable, options: TableCsvOptions = {}): string {
  return writeOutput(notebook, name, tableCsv(requireTable(table, "writeTable"), options));
}
