/**
 * A map of one indicator on one area system, with title, legend, source and definition.
 *
 * Maps are drawn from a protected result (`protectedIndicatorsFor` / `protectIndicators`):
 * suppressed areas are hatched like missing ones, with their own legend entry
 * ("gesperrt (.)", "nicht sicher genug (/)"), and their value appears nowhere — not in the
 * fill, the classes, the legend range, the hover text or the labels. A plain
 * `IndicatorResult` is drawn only with an explicit `{ unprotected: { reason } }`, and the
 * reason is printed under the map.
 */
import type { AreaSystem } from "../load/geometry";
import { resultIndex, type IndicatorResult } from "../indicators/compute";
import { PROTECTION_REASON_SYMBOL, ProtectionReason, type ProtectedIndicators } from "../protect/apply";
import { describeRules } from "../protect/rules";
import { displayValue, symbolFootnotes, type TableSymbol } from "../protect/symbols";
import { escapeHtml } from "./format";
import { svgChoropleth, type SvgChoroplethOptions } from "./svg-map";

/** Options of {@link indicatorMap}. */
export interface IndicatorMapOptions extends Omit<SvgChoroplethOptions, "legendTitle" | "digits" | "hiddenLabels" | "valueTexts" | "attributes"> {
  /** Year (default: the last year of the result). */
  year?: number;
  /** Map the change over `changeYears` instead of the status quo (default false). */
  change?: boolean;
  /** Draw a plain (unprotected) `IndicatorResult`: required for one, with the reason, which is printed under the map. */
  unprotected?: { reason: string };
}

/** Legend label of hidden areas per symbol. */
export const HIDDEN_MAP_LABELS: Readonly<Record<string, string>> = {
  ".": "gesperrt (.)",
  "/": "nicht sicher genug (/)",
  x: "nicht sinnvoll (x)",
};

function isProtectedResult(x: IndicatorResult | ProtectedIndicators): x is ProtectedIndicators {
  return "result" in x && "suppressed" in x;
}

/**
 * Draws an indicator on the areas of a system as a standalone SVG (for export with
 * `writeOutput`, which accepts protected maps and maps with a stated reason only).
 *
 * @example
 * writeOutput("02-demografie", "karte.svg", indicatorMapSvg(system, protectedIndicatorsFor(ds, "statbez"), "share_65plus"));
 */
export function indicatorMapSvg(system: AreaSystem, r: IndicatorResult | ProtectedIndicators, indicator: string, options: IndicatorMapOptions = {}): string {
  return drawIndicator(system, r, indicator, options, true).svg;
}

/**
 * Draws an indicator on the areas of a system as SVG wrapped in a `<figure>` with the
 * definition and the protection footnotes as caption (HTML, ready for `tslab.display.html`).
 *
 * @example
 * tslab.display.html(indicatorMap(ds.areaSystems.get("statbez")!, p, "child_poverty", { source: p.source }));
 * tslab.display.html(indicatorMap(system, rawResult, "child_poverty", { unprotected: { reason: "interne Plausibilitätsprüfung" } }));
 */
export function indicatorMap(system: AreaSystem, r: IndicatorResult | ProtectedIndicators, indicator: string | undefined, options: IndicatorMapOptions = {}): string {
  if (indicator === undefined) return `<p><em>Keine Karte: Für diesen Datensatz ist kein passender Indikator berechenbar.</em></p>`;
  const { svg, footnotes } = drawIndicator(system, r, indicator, options, false);
  return `<figure style="margin:0">${svg}<figcaption style="font-size:85%;color:#444;max-width:640px">${footnotes.map((f) => `<div>${escapeHtml(f)}</div>`).join("")}</figcaption></figure>`;
}

function drawIndicator(system: AreaSystem, input: IndicatorResult | ProtectedIndicators, indicator: string, options: IndicatorMapOptions, standalone: boolean): { svg: string; footnotes: string[] } {
  const p = isProtectedResult(input) ? input : undefined;
  const r = p ? p.result : (input as IndicatorResult);
  if (!p) {
    const reason = options.unprotected?.reason?.trim();
    if (!reason) {
      throw new Error(`indicatorMap: ${indicator} would be drawn without small-number protection; pass a protected result (kr.protectedIndicatorsFor(ds, system)) or { unprotected: { reason: "…" } }`);
    }
  }
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  const def = r.definitions[i]!;
  const year = options.year ?? r.years[r.years.length - 1]!;
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  const values = new Map<string, number>();
  const hidden = new Map<string, string>();
  const texts = new Map<string, string>();
  const field = options.change ? r.change : r.value;
  const back = r.years.indexOf(year - r.changeYears);
  r.areas.forEach((id, a) => {
    const k = resultIndex(r, i, a, y);
    if (p) {
      const hide = options.change ? p.changeSuppressed[k] : p.suppressed[k];
      if (hide) {
        // The symbol of the hidden year (status quo first, else the comparison year).
        const kk = p.suppressed[k] || back < 0 ? k : resultIndex(r, i, a, back);
        const sym = p.symbol[kk] || PROTECTION_REASON_SYMBOL[p.reason[kk] as ProtectionReason] || ".";
        hidden.set(id, HIDDEN_MAP_LABELS[sym] ?? HIDDEN_MAP_LABELS["."]!);
        return;
      }
      if (!options.change && p.limited[k]) texts.set(id, displayValue(r.value[k]!, { symbol: "()" }, { digits: def.digits }).text);
    }
    values.set(id, field[k]!);
  });
  const unit = options.change ? (def.kind === "count" ? "absolut" : def.unit === "%" ? "Prozentpunkte" : def.unit) : def.unit;
  const title = options.title ?? `${def.label}${options.change ? `, Veränderung ${year - r.changeYears}–${year}` : ""}, ${system.label} ${year}`;
  const usedSymbols = [...hidden.values()].map((l) => Object.keys(HIDDEN_MAP_LABELS).find((s) => HIDDEN_MAP_LABELS[s] === l) as TableSymbol);
  if (texts.size) usedSymbols.push("()");
  const protectionNotes = p
    ? [...symbolFootnotes(usedSymbols), describeRules(p.rules), ...p.notes]
    : [`Ohne Geheimhaltungsschutz: ${options.unprotected!.reason.trim()}`];
  const svg = svgChoropleth(
    system.features.map((f) => ({ id: f.id, name: f.name, geometry: f.projected })),
    values,
    {
      ...options, title, legendTitle: `${def.label} (${unit})`, digits: def.digits,
      hiddenLabels: hidden, valueTexts: texts,
      // A standalone SVG carries its symbols and rules; inline, they stand in the caption.
      notes: [...(options.notes ?? []), ...(standalone ? protectionNotes : [])],
      attributes: {
        "data-kr-protection": p ? (p.disabled ? "ohne-schutz" : "geschuetzt") : "ohne-schutz",
        "data-kr-indicator": def.id, "data-kr-year": String(year), "data-kr-measure": options.change ? "change" : "value",
        "data-kr-system": system.id,
      },
    },
  );
  return { svg, footnotes: [def.footnote, ...protectionNotes] };
}
