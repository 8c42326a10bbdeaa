/**
 * Protection in figures: every builder takes either the protection of the values
 * (`protectIndicators(...)`, or a map of hidden areas for plain values) or an explicit reason why
 * the values need none (`{ unprotected: "veröffentlichte Daten" }`). Hidden values are never
 * drawn, classed, ranked or written into a figure (not even in hover texts); they appear as
 * grey areas or gaps with their table symbol and reason.
 */
import { resultIndex, MISSING_CAUSE_TEXT, type IndicatorResult, type MissingCause } from "../../indicators/compute";
import { ProtectionReason, PROTECTION_REASON_TEXT, type ProtectedIndicators } from "../../protect/apply";
import { SIGNIFICANCE_TEXT, type Significance } from "../../protect/intervals";
import type { ProtectionState } from "./style";

/**
 * An explicit statement that values need no protection, with the reason (shown in the figure's
 * notes): `{ unprotected: "…" }`, or `{ unprotected: { reason: "…" } }` as the protected tables
 * write it.
 */
export interface Unprotected {
  /** Why no protection applies, e.g. `"veröffentlichte Daten des Amts für Statistik"`. Must not be empty. */
  unprotected: string | { reason: string };
}

/** The reason text of an {@link Unprotected}. */
export function unprotectedReason(p: Unprotected): string {
  return typeof p.unprotected === "string" ? p.unprotected : p.unprotected?.reason;
}

/** Confidential reasons all read alike in figures, so a reader cannot tell a small cell from its complement. */
const CONFIDENTIAL = new Set<ProtectionReason>([ProtectionReason.SmallCount, ProtectionReason.Zero, ProtectionReason.Secondary, ProtectionReason.SmallNumerator, ProtectionReason.InputSuppressed]);

/** The reason of a hidden cell as a figure may show it: "Geheimhaltung" for every confidential reason, the rule for reliability reasons. */
export function figureReason(reason: ProtectionReason): string {
  return CONFIDENTIAL.has(reason) ? "gesperrt (Geheimhaltung)" : PROTECTION_REASON_TEXT[reason] || "gesperrt";
}

/** Why a value is not drawn. */
export interface HiddenCell {
  /** `"suppressed"`: withheld (confidentiality or reliability); `"missing"`: no value exists. */
  kind: "suppressed" | "missing";
  /** Table symbol shown instead (`"."`, `"/"`, `"x"`, `"–"`). */
  symbol: string;
  /** German reason. */
  reason: string;
  /** Legend text for such areas in maps (default "gesperrt" / "keine Angabe"), e.g. "ohne Index". */
  label?: string;
}

/** The legend text of hidden areas: their common `label`, else `fallback`. */
export function hiddenLabel(cells: readonly HiddenCell[], fallback: string): string {
  const labels = new Set(cells.map((c) => c.label ?? ""));
  return labels.size === 1 && [...labels][0] ? [...labels][0]! : fallback;
}

/** Protection of plain values by area id: the hidden areas (their values are ignored). */
export interface HiddenValues {
  hidden: ReadonlyMap<string, HiddenCell>;
  /** Notes for the figure (e.g. the rules applied). */
  notes?: string[];
}

/** Protection argument of indicator-level builders. */
export type IndicatorProtection = ProtectedIndicators | Unprotected;
/** Protection argument of value-level builders. */
export type ValueProtection = HiddenValues | Unprotected;

/** Throws unless `p` is a protection or an explicit non-empty unprotected reason. */
export function checkProtection(p: unknown, where: string): asserts p is IndicatorProtection | ValueProtection {
  if (p && typeof p === "object") {
    if ("unprotected" in p) {
      const reason = unprotectedReason(p as Unprotected);
      if (typeof reason === "string" && reason.trim()) return;
      throw new Error(`${where}: invalid protection: unprotected needs a reason (a non-empty string)`);
    }
    if ("hidden" in p && (p as HiddenValues).hidden instanceof Map) return;
    if ("suppressed" in p && "result" in p) return;
  }
  throw new Error(`${where}: protection required: pass protectIndicators(result, …), { hidden: Map<id, HiddenCell> } or { unprotected: "<reason>" }`);
}

/** Is `p` the protection of an indicator result? */
export function isProtectedIndicators(p: unknown): p is ProtectedIndicators {
  return !!p && typeof p === "object" && "suppressed" in p && "result" in p;
}

/** The {@link ProtectionState} of a protection argument. */
export function protectionState(p: IndicatorProtection | ValueProtection): ProtectionState {
  if ("unprotected" in p) return { state: "ohne-schutz", reason: unprotectedReason(p) };
  if (isProtectedIndicators(p) && p.disabled) return { state: "ohne-schutz", reason: p.disabled.reason };
  return { state: "geschuetzt" };
}

/** Notes a figure carries for its protection argument. */
export function protectionNotes(p: IndicatorProtection | ValueProtection, hiddenCount: number): string[] {
  if ("unprotected" in p) return [`Ohne Geheimhaltungsprüfung: ${unprotectedReason(p).replace(/\.$/, "")}.`];
  if (isProtectedIndicators(p)) {
    if (p.disabled) return [`Geheimhaltung abgeschaltet: ${p.disabled.reason}.`];
    return hiddenCount ? ["Grau: Wert gesperrt (Geheimhaltung oder nicht sicher genug) bzw. nicht vorhanden."] : [];
  }
  return p.notes ?? [];
}

/** What an indicator-level figure reads from a result for one indicator and year. */
export interface IndicatorCells {
  /** Value per area (NaN where hidden or missing). Hidden values are NOT in here. */
  values: Map<string, number>;
  hidden: Map<string, HiddenCell>;
  lo: Map<string, number>;
  hi: Map<string, number>;
  significance: Map<string, string>;
  /** "( )" areas: published with limited reliability. */
  limited: Set<string>;
}

function checkSameResult(p: ProtectedIndicators, r: IndicatorResult, where: string): void {
  if (p.result === r) return;
  const same = p.result.areas.length === r.areas.length && p.result.years.join() === r.years.join()
    && p.result.definitions.map((d) => d.id).join() === r.definitions.map((d) => d.id).join()
    && p.result.areas.every((a, i) => a === r.areas[i]);
  if (!same) throw new Error(`${where}: invalid protection: it was computed for another result (areas, years or indicators differ)`);
}

/** Index of an indicator in a result, or a clear error. */
export function indicatorIndex(r: IndicatorResult, indicator: string): number {
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  return i;
}

/** Index of a year in a result, or a clear error. */
export function yearIndex(r: IndicatorResult, year: number): number {
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  return y;
}

/**
 * The cells of one indicator and year that a figure may draw: values of visible areas, hidden
 * areas with symbol and reason, intervals and significance (when protected).
 *
 * @param measure `"value"` (default) or `"change"` (change over `changeYears`; hidden when either year is)
 */
export function indicatorCells(r: IndicatorResult, indicator: string, year: number, protection: IndicatorProtection, where: string, measure: "value" | "change" = "value"): IndicatorCells {
  checkProtection(protection, where);
  const i = indicatorIndex(r, indicator);
  const y = yearIndex(r, year);
  const p = isProtectedIndicators(protection) ? protection : undefined;
  if (p) checkSameResult(p, r, where);
  const out: IndicatorCells = { values: new Map(), hidden: new Map(), lo: new Map(), hi: new Map(), significance: new Map(), limited: new Set() };
  r.areas.forEach((id, a) => {
    const k = resultIndex(r, i, a, y);
    const v = measure === "change" ? r.change[k]! : r.value[k]!;
    const cause = (measure === "change" ? r.changeReason[k] : r.reason[k]) as MissingCause;
    const active = p && !p.disabled;
    if (active && (measure === "change" ? p.changeSuppressed[k] : p.suppressed[k])) {
      const reason = p.reason[k] as ProtectionReason;
      const isMissing = reason === ProtectionReason.Missing || reason === ProtectionReason.NotMeaningful || !Number.isFinite(v);
      out.hidden.set(id, {
        kind: isMissing ? "missing" : "suppressed",
        symbol: p.symbol[k] || (isMissing ? "–" : "."),
        reason: isMissing ? PROTECTION_REASON_TEXT[reason] || "kein Wert" : reason === ProtectionReason.None && measure === "change" ? "Veränderung gesperrt (ein Jahr gesperrt)" : figureReason(reason),
      });
      out.values.set(id, NaN);
      return;
    }
    if (!Number.isFinite(v)) {
      out.hidden.set(id, { kind: "missing", symbol: "–", reason: MISSING_CAUSE_TEXT[cause] || "kein Wert" });
      out.values.set(id, NaN);
      return;
    }
    out.values.set(id, v);
    if (p && measure === "value") {
      if (Number.isFinite(p.lo[k]!)) { out.lo.set(id, p.lo[k]!); out.hi.set(id, p.hi[k]!); }
      const s = SIGNIFICANCE_TEXT[p.significance[k] as Significance];
      if (s) out.significance.set(id, s);
      if (p.limited[k]) out.limited.add(id);
    }
  });
  return out;
}

/** Hidden cells of plain values: hidden areas from the protection plus areas without a finite value. */
export function valueCells(values: ReadonlyMap<string, number | null | undefined>, ids: readonly string[], protection: ValueProtection, where: string): { values: Map<string, number>; hidden: Map<string, HiddenCell> } {
  checkProtection(protection, where);
  const hiddenIn = "hidden" in protection ? protection.hidden : new Map<string, HiddenCell>();
  const out = { values: new Map<string, number>(), hidden: new Map<string, HiddenCell>() };
  for (const id of ids) {
    const h = hiddenIn.get(id);
    const v = values.get(id);
    if (h) { out.hidden.set(id, h); out.values.set(id, NaN); continue; }
    if (v === null || v === undefined || !Number.isFinite(v)) { out.hidden.set(id, { kind: "missing", symbol: "–", reason: "kein Wert" }); out.values.set(id, NaN); continue; }
    out.values.set(id, v);
  }
  return out;
}
