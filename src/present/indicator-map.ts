/**
 * A map of one indicator on one area system, with title, legend, source and definition.
 */
import type { AreaSystem } from "../load/geometry";
import { resultIndex, type IndicatorResult } from "../indicators/compute";
import { escapeHtml } from "./format";
import { svgChoropleth, type SvgChoroplethOptions } from "./svg-map";

/** Options of {@link indicatorMap}. */
export interface IndicatorMapOptions extends Omit<SvgChoroplethOptions, "legendTitle" | "digits"> {
  /** Year (default: the last year of the result). */
  year?: number;
  /** Map the change over `changeYears` instead of the status quo (default false). */
  change?: boolean;
}

/**
 * Draws an indicator on the areas of a system as a standalone SVG (for export).
 *
 * @example
 * writeOutput("02-demografie", "karte.svg", indicatorMapSvg(system, result, "share_65plus"));
 */
export function indicatorMapSvg(system: AreaSystem, r: IndicatorResult, indicator: string, options: IndicatorMapOptions = {}): string {
  return drawIndicator(system, r, indicator, options).svg;
}

/**
 * Draws an indicator on the areas of a system as SVG wrapped in a `<figure>` with the
 * definition as caption (HTML, ready for `tslab.display.html`).
 *
 * @example
 * tslab.display.html(indicatorMap(ds.areaSystems.get("statbez")!, result, "child_poverty", { source: ds.config.source }));
 */
export function indicatorMap(system: AreaSystem, r: IndicatorResult, indicator: string | undefined, options: IndicatorMapOptions = {}): string {
  if (indicator === undefined) return `<p><em>Keine Karte: Für diesen Datensatz ist kein passender Indikator berechenbar.</em></p>`;
  const { svg, footnote } = drawIndicator(system, r, indicator, options);
  return `<figure style="margin:0">${svg}<figcaption style="font-size:85%;color:#444;max-width:640px">${escapeHtml(footnote)}</figcaption></figure>`;
}

function drawIndicator(system: AreaSystem, r: IndicatorResult, indicator: string, options: IndicatorMapOptions): { svg: string; footnote: string } {
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  const def = r.definitions[i]!;
  const year = options.year ?? r.years[r.years.length - 1]!;
  const y = r.years.indexOf(year);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${r.years.join(", ")})`);
  const values = new Map<string, number>();
  const field = options.change ? r.change : r.value;
  r.areas.forEach((id, a) => values.set(id, field[resultIndex(r, i, a, y)]!));
  const unit = options.change ? (def.kind === "count" ? "absolut" : def.unit === "%" ? "Prozentpunkte" : def.unit) : def.unit;
  const title = options.title ?? `${def.label}${options.change ? `, Veränderung ${year - r.changeYears}–${year}` : ""}, ${system.label} ${year}`;
  const svg = svgChoropleth(
    system.features.map((f) => ({ id: f.id, name: f.name, geometry: f.projected })),
    values,
    { ...options, title, legendTitle: `${def.label} (${unit})`, digits: def.digits },
  );
  return { svg, footnote: def.footnote };
}
