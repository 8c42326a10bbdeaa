/**
 * Indicators for a loaded dataset: the catalogue with the city's own additions and overrides
 * from its configuration, and the city reference taken from the finest delivered counts, so
 * that every area system is compared with the same city values.
 *
 * Configuration (`rules` in the dataset JSON):
 * ```json
 * "rules": {
 *   "indicators": [
 *     { "id": "greying_index", "alternative": "60-80" },
 *     { "id": "share_u6", "label": "Anteil unter 6-Jährige", "definition": "Einwohner unter 6 Jahren je 100 Einwohner",
 *       "topic": "Demografie", "kind": "share", "numerator": ["age:0-6"], "denominator": ["pop_total"], "unit": "%" }
 *   ]
 * }
 * ```
 * An entry with the id of a catalogue indicator overrides the given fields (and may pick an
 * `alternative`); an entry with a new id adds an indicator and must be complete.
 */
import type { DatasetConfig } from "../project/config-types";
import { countsFor, type DatasetLike } from "../areas/hierarchy";
import { INDICATORS, type IndicatorDefinition } from "./catalogue";
import { computeIndicators, type ComputeOptions, type IndicatorResult } from "./compute";

interface IndicatorRule extends Partial<IndicatorDefinition> {
  id: string;
  alternative?: string;
}

const REQUIRED: (keyof IndicatorDefinition)[] = ["label", "definition", "topic", "kind", "numerator", "unit"];

/**
 * The catalogue and alternative choices for a dataset configuration.
 *
 * @example
 * const { catalogue, alternatives } = datasetCatalogue(ds.config);
 */
export function datasetCatalogue(config: Pick<DatasetConfig, "rules">): { catalogue: IndicatorDefinition[]; alternatives: Record<string, string> } {
  const rules = (config.rules?.indicators ?? []) as unknown;
  if (!Array.isArray(rules)) throw new Error(`invalid rules.indicators: expected an array of indicator definitions or overrides`);
  const catalogue = INDICATORS.map((d) => ({ ...d }));
  const alternatives: Record<string, string> = {};
  (rules as IndicatorRule[]).forEach((rule, n) => {
    if (!rule || typeof rule.id !== "string") throw new Error(`invalid rules.indicators[${n}]: expected an object with an "id"`);
    const { alternative, ...fields } = rule;
    const at = catalogue.findIndex((d) => d.id === rule.id);
    if (at >= 0) {
      catalogue[at] = { ...catalogue[at]!, ...fields } as IndicatorDefinition;
      if (alternative) {
        if (!catalogue[at]!.alternatives?.[alternative]) {
          throw new Error(`invalid rules.indicators[${n}].alternative: ${JSON.stringify(alternative)} (expected one of ${Object.keys(catalogue[at]!.alternatives ?? {}).join(", ") || "none"})`);
        }
        alternatives[rule.id] = alternative;
      }
    } else {
      const missing = REQUIRED.filter((k) => fields[k] === undefined);
      if (missing.length) throw new Error(`invalid rules.indicators[${n}] (${rule.id}): a new indicator needs ${missing.join(", ")}`);
      if (!["count", "share", "ratio", "mean"].includes(String(fields.kind))) throw new Error(`invalid rules.indicators[${n}].kind: ${JSON.stringify(fields.kind)} (expected count, share, ratio or mean)`);
      catalogue.push(fields as IndicatorDefinition);
    }
  });
  return { catalogue, alternatives };
}

/**
 * Computes the indicators of a dataset on one area system: counts as delivered or summed along
 * the hierarchy, the dataset's catalogue, and the city reference from the finest delivered
 * counts.
 *
 * @example
 * const result = indicatorsFor(ds, "statbez", { indicators: ["child_poverty"] });
 */
export function indicatorsFor(ds: DatasetLike & { config: Pick<DatasetConfig, "rules"> }, system: string, options: ComputeOptions = {}): IndicatorResult {
  const { catalogue, alternatives } = datasetCatalogue(ds.config);
  const counts = countsFor(ds, system);
  // The city: the delivered table with the most areas whose years match.
  const candidates = [...ds.counts.keys()].map((s) => countsFor(ds, s)).filter((t) => t.years.join() === counts.years.join());
  const reference = candidates.sort((a, b) => b.areas.length - a.areas.length)[0] ?? counts;
  return computeIndicators(counts, {
    ...options,
    catalogue: options.catalogue ?? catalogue,
    alternatives: { ...alternatives, ...options.alternatives },
    reference: options.reference ?? reference,
  });
}
