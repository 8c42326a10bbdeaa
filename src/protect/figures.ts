/**
 * Protected inputs for the charts that draw counts rather than indicator values: the age
 * pyramid of an area against the city from the protected count table, and the areas to show
 * in a time series (the highest published values).
 */
import { ageBands } from "../indicators/terms";
import { resultIndex } from "../indicators/compute";
import type { HiddenCell } from "../present/plotly/protection";
import { protectedCountsFor, type ProtectedResult } from "./dataset";
import type { PyramidOptions } from "../present/plotly/charts";
import { areaNames, type DatasetLike } from "../areas/hierarchy";
import type { DatasetConfig } from "../project/config-types";

/**
 * The age pyramid of one area against the city: the share of residents per single year of age
 * within each band (band share ÷ band width, the open top band counted as 10 years), so bands
 * of different widths compare; in %.
 * from the dataset's protected count table: a band whose count is suppressed is a gap listed
 * under the chart (with symbol and reason), never drawn. Pass the result to `pyramidFigure`.
 *
 * @example
 * await showFigure(pyramidFigure({ ...protectedPyramid(ds, "statbez", "0206", 2024), style: style }));
 */
export function protectedPyramid(
  ds: DatasetLike & { config: Pick<DatasetConfig, "rules"> },
  system: string,
  area: string,
  year: number,
): Pick<PyramidOptions, "bands" | "left" | "right" | "percent" | "title" | "protection"> {
  const c = protectedCountsFor(ds, system);
  const t = c.counts.table;
  const bands = ageBands(t.variables);
  if (!bands.length) throw new Error("invalid counts: no age-band variables (age_00_03, …)");
  const a = t.areas.indexOf(area), city = t.areas.indexOf("Stadt"), y = t.years.indexOf(year);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not in the protected counts of ${system})`);
  if (y < 0) throw new Error(`invalid year: ${year} (expected one of ${t.years.join(", ")})`);
  const V = t.variables.length, Y = t.years.length;
  const label = (b: { from: number; to: number | null }) => (b.to === null ? `${b.from}+` : `${b.from}–${b.to - 1}`);
  const hidden = new Map<string, HiddenCell>();
  const shares = (ai: number, guard: boolean) => {
    const cells = bands.map((b) => (ai * Y + y) * V + t.variables.indexOf(b.id));
    const total = cells.reduce((s, k) => s + t.values[k]!, 0);
    return cells.map((k, i) => {
      if (guard && c.counts.suppressed[k]) {
        hidden.set(`left:${label(bands[i]!)}`, { kind: "suppressed", symbol: ".", reason: "gesperrt (Geheimhaltung)" });
        return NaN;
      }
      const b = bands[i]!;
      const width = b.to === null ? 10 : b.to - b.from;
      return total > 0 ? (100 * t.values[k]!) / total / width : NaN;
    });
  };
  const name = areaNames(ds, system).get(area) || area;
  return {
    bands: bands.map(label),
    left: { name, values: shares(a, true) },
    right: { name: "Stadt", values: shares(city, false) },
    percent: true,
    title: `Altersaufbau ${year}: ${name} und Stadt (Anteil je Altersjahr in %)`,
    protection: { hidden },
  };
}

/**
 * The `n` areas with the highest published value of an indicator in a year (suppressed cells
 * are never chosen, so the choice reveals nothing).
 *
 * @example
 * await showFigure(timeSeriesFigure(p.result, "child_poverty", topAreas(p, "child_poverty", 3), { protection: p }));
 */
export function topAreas(p: ProtectedResult, indicator: string | undefined, n = 3, year?: number): string[] {
  if (indicator === undefined) return [];
  const r = p.result;
  const i = r.definitions.findIndex((d) => d.id === indicator);
  if (i < 0) throw new Error(`invalid indicator: ${JSON.stringify(indicator)} (computed: ${r.definitions.map((d) => d.id).join(", ")})`);
  const y = r.years.indexOf(year ?? r.years[r.years.length - 1]!);
  return r.areas
    .map((id, a) => ({ id, k: resultIndex(r, i, a, y) }))
    .filter(({ k }) => !p.suppressed[k] && Number.isFinite(r.value[k]!))
    .sort((x, z) => r.value[z.k]! - r.value[x.k]! || x.id.localeCompare(z.id))
    .slice(0, n)
    .map(({ id }) => id);
}
