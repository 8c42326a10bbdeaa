/**
 * Small-number rules (disclosure control and reliability) as data: presets from German practice
 * and a schema a dataset configuration can carry under `rules.protection`.
 *
 * ```json
 * "rules": {
 *   "protection": {
 *     "preset": "standard",
 *     "zeros": "publish",
 *     "counts": { "threshold": 3 },
 *     "rates": { "minDenominator": 100, "minNumerator": 3, "minPopulation": 300 },
 *     "variables": { "sgb2_children_u15": { "threshold": 5 } },
 *     "indicators": { "single_parent_sgb2_share": { "minDenominator": 30 } }
 *   }
 * }
 * ```
 *
 * Protection is on by default (preset `"standard"`). Switching it off needs a reason, which is
 * kept for provenance: `{ "disable": true, "reason": "interne Auswertung, nicht zur Weitergabe" }`.
 */
import type { ShareMethod } from "./intervals";

/** How true zeros are treated: shown (`"publish"`, the BA default) or suppressed like small counts. */
export type ZeroHandling = "publish" | "suppress";

/** Rule for counts (absolute numbers). */
export interface CountRule {
  /** Counts `1 … threshold − 1` are suppressed (primary); `3` suppresses 1 and 2. `0` or `1`: no count suppression. */
  threshold: number;
  /** Whether a count of 0 is published or suppressed. */
  zeros: ZeroHandling;
}

/** Rule for rates, shares and ratios (and, for `minPopulation`, means and indices). */
export interface RateRule {
  /** A rate is published only where its denominator is at least this (Destatis SGB II: 100). */
  minDenominator: number;
  /** A rate is published only where its numerator is at least this (Destatis SGB II: 3); 0 follows `zeros`. */
  minNumerator: number;
  /** Areas with fewer residents are left out of rates and indices (Berlin/Hamburg monitoring: 300). */
  minPopulation: number;
  /** Rates with a denominator below this are shown in parentheses, limited reliability (0 = off). */
  limitedBelow: number;
  /** Whether a numerator of 0 is published (`"publish"`) or treated like a small numerator. */
  zeros: ZeroHandling;
}

/** Fully resolved protection rules (every field set). */
export interface ProtectionRules {
  /** Name of the preset the rules start from. */
  preset: PresetName;
  /** Default rule for counts. */
  counts: CountRule;
  /** Default rule for rates. */
  rates: RateRule;
  /** Secondary suppression over hierarchies and variable sums (default true). */
  secondary: boolean;
  /** Per count variable overrides (variable id → rule). */
  variables: Record<string, CountRule>;
  /** Per indicator overrides (indicator id → rules; counts for count indicators, rates otherwise). */
  indicators: Record<string, { counts: CountRule; rates: RateRule }>;
  /** Interval method for shares (default `"wilson"`). */
  intervalMethod: ShareMethod;
  /** Confidence level of intervals and significance classes (default 0.95). */
  confidence: number;
  /** Present when protection was switched off, with the reason given. */
  disabled?: { reason: string };
}

/** Rule input as written in a configuration: every field optional. */
export interface ProtectionInput {
  /** Preset to start from (default `"standard"`). */
  preset?: PresetName;
  /** Zero handling for counts and numerators (overrides the preset's). */
  zeros?: ZeroHandling;
  counts?: Partial<Omit<CountRule, "zeros">> & { zeros?: ZeroHandling };
  rates?: Partial<RateRule>;
  secondary?: boolean;
  variables?: Record<string, Partial<CountRule>>;
  indicators?: Record<string, Partial<CountRule> & Partial<RateRule>>;
  intervalMethod?: ShareMethod;
  confidence?: number;
  /** Switch protection off; needs `reason`. */
  disable?: boolean;
  /** Why protection is switched off (required with `disable: true`). */
  reason?: string;
}

/** Names of the presets. */
export type PresetName = "standard" | "ba" | "destatis-sgb2" | "monitoring" | "none";

/** A preset: rules and where they come from. */
export interface Preset {
  name: PresetName;
  /** German description for footnotes and provenance. */
  description: string;
  counts: CountRule;
  rates: RateRule;
}

const NO_RATE_RULE: RateRule = { minDenominator: 0, minNumerator: 0, minPopulation: 0, limitedBelow: 0, zeros: "publish" };

/**
 * The presets. `standard` (the default) combines the three German rules: counts 1–2 suppressed
 * (Bundesagentur für Arbeit), rates only where denominator ≥ 100 and numerator ≥ 3 (Destatis,
 * small-area SGB II rates), no rates for areas under 300 residents (Berlin/Hamburg monitoring).
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  standard: {
    name: "standard",
    description: "Fallzahlen 1 und 2 gesperrt (Bundesagentur für Arbeit); Quoten nur bei Nenner ≥ 100 und Zähler ≥ 3 (Destatis, kleinräumige SGB-II-Quoten); keine Quoten für Gebiete unter 300 Einwohnern (Monitoring Berlin/Hamburg)",
    counts: { threshold: 3, zeros: "publish" },
    rates: { minDenominator: 100, minNumerator: 3, minPopulation: 300, limitedBelow: 0, zeros: "publish" },
  },
  ba: {
    name: "ba",
    description: "Fallzahlen 1 und 2 gesperrt (Geheimhaltung der Statistik der Bundesagentur für Arbeit); Quoten, deren Zähler gesperrt ist, gesperrt",
    counts: { threshold: 3, zeros: "publish" },
    rates: { ...NO_RATE_RULE, minNumerator: 3 },
  },
  "destatis-sgb2": {
    name: "destatis-sgb2",
    description: "Quoten nur bei Nenner ≥ 100 und Zähler ≥ 3 (Destatis, kleinräumige SGB-II-Quoten); Fallzahlen unter 3 gesperrt",
    counts: { threshold: 3, zeros: "publish" },
    rates: { ...NO_RATE_RULE, minDenominator: 100, minNumerator: 3 },
  },
  monitoring: {
    name: "monitoring",
    description: "Gebiete unter 300 Einwohnern ohne Quoten und Indexwerte (Monitoring Soziale Stadtentwicklung Berlin, Sozialmonitoring Hamburg)",
    counts: { threshold: 0, zeros: "publish" },
    rates: { ...NO_RATE_RULE, minPopulation: 300 },
  },
  none: {
    name: "none",
    description: "keine Regeln (nur mit Begründung zu verwenden)",
    counts: { threshold: 0, zeros: "publish" },
    rates: NO_RATE_RULE,
  },
};

function fail(path: string, expected: string, got: unknown): never {
  throw new Error(`invalid rule ${path}: expected ${expected}, got ${JSON.stringify(got)}`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (k === "$comment") continue;
    if (!allowed.includes(k)) throw new Error(`invalid rule ${path}.${k}: expected one of the keys ${allowed.join(", ")}, got unknown key ${JSON.stringify(k)}`);
  }
}

function nonNegInt(x: unknown, path: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0) fail(path, "a non-negative integer", x);
  return x;
}

function zeros(x: unknown, path: string): ZeroHandling {
  if (x !== "publish" && x !== "suppress") fail(path, `"publish" or "suppress"`, x);
  return x;
}

function countRule(raw: unknown, base: CountRule, path: string): CountRule {
  if (!isObject(raw)) fail(path, "an object like { \"threshold\": 3 }", raw);
  checkKeys(raw, ["threshold", "zeros"], path);
  return {
    threshold: raw.threshold === undefined ? base.threshold : nonNegInt(raw.threshold, `${path}.threshold`),
    zeros: raw.zeros === undefined ? base.zeros : zeros(raw.zeros, `${path}.zeros`),
  };
}

const RATE_KEYS = ["minDenominator", "minNumerator", "minPopulation", "limitedBelow", "zeros"] as const;

function rateRule(raw: unknown, base: RateRule, path: string): RateRule {
  if (!isObject(raw)) fail(path, "an object like { \"minDenominator\": 100 }", raw);
  checkKeys(raw, RATE_KEYS, path);
  const out = { ...base };
  for (const k of RATE_KEYS) {
    if (raw[k] === undefined) continue;
    if (k === "zeros") out.zeros = zeros(raw.zeros, `${path}.zeros`);
    else out[k] = nonNegInt(raw[k], `${path}.${k}`);
  }
  return out;
}

/**
 * Validates and resolves protection rules: a preset name, an input object (as under
 * `rules.protection` in a dataset configuration) or nothing (the `standard` preset). Throws
 * `invalid rule <path>: expected …, got …` for every malformed field, unknown keys included.
 *
 * Precedence: preset → top-level `zeros` → `counts` / `rates` → per-variable / per-indicator
 * overrides (each override starts from the resolved defaults).
 *
 * @param path where the rules sit, for error messages (default `"rules.protection"`)
 * @example
 * resolveRules().counts.threshold; // 3
 * resolveRules({ preset: "ba", zeros: "suppress" }).counts; // { threshold: 3, zeros: "suppress" }
 * resolveRules({ disable: true, reason: "interne Prüfung" }).disabled; // { reason: "interne Prüfung" }
 */
export function resolveRules(input?: ProtectionInput | PresetName | ProtectionRules | unknown, path = "rules.protection"): ProtectionRules {
  if (input === undefined || input === null) input = {};
  if (typeof input === "string") input = { preset: input };
  if (!isObject(input)) fail(path, "an object or a preset name", input);
  const raw = input;
  // Already resolved rules pass through unchanged.
  if (isObject(raw.counts) && isObject(raw.rates) && isObject(raw.variables) && isObject(raw.indicators) && typeof raw.secondary === "boolean" && typeof raw.confidence === "number" && typeof raw.intervalMethod === "string") {
    return raw as unknown as ProtectionRules;
  }
  checkKeys(raw, ["preset", "zeros", "counts", "rates", "secondary", "variables", "indicators", "intervalMethod", "confidence", "disable", "reason"], path);
  const presetName = raw.preset ?? "standard";
  if (typeof presetName !== "string" || !(presetName in PRESETS)) fail(`${path}.preset`, `one of ${Object.keys(PRESETS).map((p) => JSON.stringify(p)).join(", ")}`, presetName);
  if (presetName === "none" && raw.disable !== true) fail(`${path}.preset`, `a preset other than "none" (protection is on by default; switch it off with { "disable": true, "reason": "…" })`, presetName);
  const preset = PRESETS[presetName as PresetName];
  let counts = { ...preset.counts };
  let rates = { ...preset.rates };
  if (raw.zeros !== undefined) {
    const z = zeros(raw.zeros, `${path}.zeros`);
    counts.zeros = z;
    rates.zeros = z;
  }
  if (raw.counts !== undefined) counts = countRule(raw.counts, counts, `${path}.counts`);
  if (raw.rates !== undefined) rates = rateRule(raw.rates, rates, `${path}.rates`);
  const variables: Record<string, CountRule> = {};
  if (raw.variables !== undefined) {
    if (!isObject(raw.variables)) fail(`${path}.variables`, "an object of variable id → { threshold, zeros }", raw.variables);
    for (const [id, r] of Object.entries(raw.variables)) if (id !== "$comment") variables[id] = countRule(r, counts, `${path}.variables.${id}`);
  }
  const indicators: Record<string, { counts: CountRule; rates: RateRule }> = {};
  if (raw.indicators !== undefined) {
    if (!isObject(raw.indicators)) fail(`${path}.indicators`, "an object of indicator id → rule overrides", raw.indicators);
    for (const [id, r] of Object.entries(raw.indicators)) {
      if (id === "$comment") continue;
      const p = `${path}.indicators.${id}`;
      if (!isObject(r)) fail(p, "an object like { \"minDenominator\": 50 }", r);
      checkKeys(r, ["threshold", ...RATE_KEYS], p);
      const { threshold, ...rateOnly } = r;
      indicators[id] = {
        counts: countRule(threshold === undefined ? { zeros: r.zeros } : { threshold, zeros: r.zeros }, counts, p),
        rates: rateRule(rateOnly, rates, p),
      };
    }
  }
  if (raw.secondary !== undefined && typeof raw.secondary !== "boolean") fail(`${path}.secondary`, "true or false", raw.secondary);
  if (raw.intervalMethod !== undefined && raw.intervalMethod !== "wilson" && raw.intervalMethod !== "clopper-pearson") fail(`${path}.intervalMethod`, `"wilson" or "clopper-pearson"`, raw.intervalMethod);
  if (raw.confidence !== undefined && !(typeof raw.confidence === "number" && raw.confidence > 0 && raw.confidence < 1)) fail(`${path}.confidence`, "a number between 0 and 1, e.g. 0.95", raw.confidence);
  const rules: ProtectionRules = {
    preset: presetName as PresetName, counts, rates, secondary: (raw.secondary as boolean | undefined) ?? true, variables, indicators,
    intervalMethod: (raw.intervalMethod as ShareMethod | undefined) ?? "wilson", confidence: (raw.confidence as number | undefined) ?? 0.95,
  };
  if (raw.disable !== undefined) {
    if (typeof raw.disable !== "boolean") fail(`${path}.disable`, "true or false", raw.disable);
    if (raw.disable) {
      if (typeof raw.reason !== "string" || raw.reason.trim() === "") fail(`${path}.reason`, "a non-empty reason when protection is disabled (kept for provenance)", raw.reason);
      rules.disabled = { reason: raw.reason.trim() };
    }
  } else if (raw.reason !== undefined) fail(`${path}.reason`, "no reason unless \"disable\": true", raw.reason);
  return rules;
}

/**
 * Reads the protection rules of a dataset configuration (`config.rules.protection`), resolving
 * them with {@link resolveRules}; without the key, the `standard` preset.
 *
 * @example
 * const rules = rulesFromConfig(ds.config); // config.rules?.protection, validated
 */
export function rulesFromConfig(config: { rules?: Record<string, unknown> }): ProtectionRules {
  return resolveRules(config.rules?.protection, "rules.protection");
}

/**
 * The count rule for one count variable (its override, else the default).
 *
 * @example
 * countRuleFor(resolveRules({ variables: { unemployed: { threshold: 5 } } }), "unemployed").threshold; // 5
 */
export function countRuleFor(rules: ProtectionRules, variable: string): CountRule {
  return rules.variables[variable] ?? rules.counts;
}

/**
 * The rules for one indicator (its override, else the defaults).
 *
 * @example
 * rateRuleFor(resolveRules(), "child_poverty").minDenominator; // 100
 */
export function rateRuleFor(rules: ProtectionRules, indicator: string): RateRule {
  return rules.indicators[indicator]?.rates ?? rules.rates;
}

/**
 * The count rule for a count indicator (its override, else the default).
 *
 * @example
 * indicatorCountRule(resolveRules(), "unemployed").threshold; // 3
 */
export function indicatorCountRule(rules: ProtectionRules, indicator: string): CountRule {
  return rules.indicators[indicator]?.counts ?? rules.counts;
}

/**
 * Whether a count is a primary suppression under a rule: `1 … threshold − 1`, and 0 when zeros
 * are suppressed. Missing values (NaN) are never primary.
 *
 * @example
 * isSmallCount(2, { threshold: 3, zeros: "publish" }); // true
 * isSmallCount(0, { threshold: 3, zeros: "publish" }); // false
 */
export function isSmallCount(value: number, rule: CountRule): boolean {
  if (!Number.isFinite(value)) return false;
  if (value === 0) return rule.zeros === "suppress";
  return value > 0 && value < rule.threshold;
}

/**
 * German text describing the rules, for footnotes and provenance.
 *
 * @example
 * describeRules(resolveRules()); // "Geheimhaltung: Fallzahlen 1 und 2 gesperrt …"
 */
export function describeRules(rules: ProtectionRules): string {
  if (rules.disabled) return `Geheimhaltung abgeschaltet: ${rules.disabled.reason}`;
  const parts: string[] = [];
  const c = rules.counts;
  if (c.threshold > 1) parts.push(`Fallzahlen unter ${c.threshold}${c.zeros === "suppress" ? " (einschließlich 0)" : ""} gesperrt`);
  else if (c.zeros === "suppress") parts.push("Nullwerte gesperrt");
  const r = rules.rates;
  if (r.minDenominator > 0 || r.minNumerator > 0) {
    const conds = [r.minDenominator > 0 ? `Nenner mindestens ${r.minDenominator}` : "", r.minNumerator > 0 ? `Zähler mindestens ${r.minNumerator}` : ""].filter(Boolean);
    parts.push(`Quoten nur bei ${conds.join(" und ")}`);
  }
  if (r.minPopulation > 0) parts.push(`keine Quoten für Gebiete unter ${r.minPopulation} Einwohnern`);
  if (r.limitedBelow > 0) parts.push(`Quoten mit Nenner unter ${r.limitedBelow} in Klammern (eingeschränkte Aussagekraft)`);
  if (rules.secondary) parts.push("weitere Werte gesperrt, aus denen gesperrte Werte errechnet werden könnten (Sekundärsperrung)");
  const overrides = Object.keys(rules.variables).length + Object.keys(rules.indicators).length;
  if (overrides) parts.push(`abweichende Regeln für ${[...Object.keys(rules.variables), ...Object.keys(rules.indicators)].join(", ")}`);
  return `Geheimhaltung (${rules.preset}): ${parts.length ? parts.join("; ") : "keine Regeln"}.`;
}
