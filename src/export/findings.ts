/**
 * Key findings of an area in German ("Kernaussagen"), ready to paste into a funding bid: the
 * area's residents, child poverty and the other social-situation indicators against the city
 * (with the significance class), the four-year change, the parent district's figure and the
 * reliability sentence. Built from the protected profile data only: a hidden value, change or
 * base is never stated (the text says that it is not shown and why).
 */
import { resultIndex, type ResolvedIndicator } from "../indicators/compute";
import { formatNumber } from "../present/format";
import { ProtectionReason } from "../protect/apply";
import { publicReason } from "../protect/dataset";
import { Significance } from "../protect/intervals";
import { reliabilitySentence } from "../protect/sentence";
import { profileContext, publishedCell, type ProfileContext, type ProfileDataOptions, type ProfileDataset } from "./profile-data";

/** Indicators the key findings mention by default, in order (those the data supports). */
export const FINDINGS_INDICATORS: readonly string[] = [
  "child_poverty", "minsec_rate", "unemployment_rate", "sgb2_household_share", "old_age_poverty", "single_parent_share",
  "share_u18", "share_65plus", "migback_share", "old_age_ratio",
];

/** Options of {@link keyFindings}. */
export interface KeyFindingsOptions extends ProfileDataOptions {
  /** Indicators mentioned (default {@link FINDINGS_INDICATORS}, as far as computed; at most `maxIndicators`). */
  findings?: string[];
  /** At most this many indicators besides the population (default 5). */
  maxIndicators?: number;
}

/** One indicator as stated in the findings (published values only; NaN where hidden). */
export interface FindingFact {
  indicator: string;
  label: string;
  /** The published value (NaN when hidden) and its text (symbol when hidden). */
  value: number;
  text: string;
  city: number;
  cityText: string;
  significance: "höher" | "niedriger" | "kein Unterschied" | "";
  /** Change over `changeYears` in percentage points / absolute (NaN when hidden or missing). */
  change: number;
  hidden: boolean;
}

/** Result of {@link keyFindings}. */
export interface KeyFindings {
  system: string;
  area: string;
  name: string;
  year: number;
  /** The indicator the reliability sentence is about. */
  focus?: string;
  facts: FindingFact[];
  /** The findings as sentences (German). */
  sentences: string[];
  /** Title line, sentences, source and rules, as a text block (for `kernaussagen.txt`). */
  text: string;
}

/** "Im Quartier", "In der Bezirksregion", … from the system label (plural) — "Im Gebiet" when unknown. */
function where(label: string): string {
  const known: [RegExp, string][] = [
    [/quartier/i, "Im Quartier"], [/sozialr[aä]um/i, "Im Sozialraum"], [/statistische bezirk/i, "Im Statistischen Bezirk"],
    [/stadtbezirk/i, "Im Stadtbezirk"], [/stadtteil/i, "Im Stadtteil"], [/bezirksregion/i, "In der Bezirksregion"],
    [/planungsr[aä]um/i, "Im Planungsraum"], [/prognoser[aä]um/i, "Im Prognoseraum"], [/baublockgruppe/i, "In der Baublockgruppe"],
    [/bezirk/i, "Im Bezirk"], [/f[oö]rdergebiet/i, "Im Fördergebiet"],
  ];
  return known.find(([re]) => re.test(label))?.[1] ?? "Im Gebiet";
}

function unitText(def: ResolvedIndicator, v: number): string {
  // A plain space before the unit: the text is pasted into other documents as is.
  return formatNumber(v, { digits: def.digits }) + (def.unit === "%" ? " %" : def.unit === "je 100" ? " je 100" : "");
}

function sigWord(s: Significance): FindingFact["significance"] {
  return s === Significance.Above ? "höher" : s === Significance.Below ? "niedriger" : s === Significance.NotDifferent ? "kein Unterschied" : "";
}

function sigText(f: FindingFact): string {
  return f.significance === "höher" ? "signifikant höher" : f.significance === "niedriger" ? "signifikant niedriger" : f.significance === "kein Unterschied" ? "kein signifikanter Unterschied" : "";
}

function signedChange(def: ResolvedIndicator, v: number): string {
  const unit = def.kind === "count" ? "" : def.unit === "%" ? " Prozentpunkte" : ` ${def.unit}`;
  const abs = formatNumber(Math.abs(v), { digits: def.digits });
  return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${abs}${unit}`;
}

/**
 * The key findings of one area (see the module text), from the same protected data as its
 * profile (`profileContext`).
 *
 * @example
 * keyFindings(ds, "quartier", "Q04").sentences[0];
 * // "Im Quartier Lindenhöhe-Südwest (Q04) lebten am 31.12.2024 4.010 Einwohner, darunter 580 Kinder unter 15 Jahren; 29,1 % von ihnen lebten in SGB-II-Bedarfsgemeinschaften, gegenüber 22,4 % in der Stadt (signifikant höher)."
 */
export function keyFindings(ds: ProfileDataset, system: string, area: string, options: KeyFindingsOptions = {}): KeyFindings {
  const ctx: ProfileContext = profileContext(ds, system, options);
  const p = ctx.p, r = p.result;
  const a = r.areas.indexOf(area);
  if (a < 0) throw new Error(`invalid area: ${JSON.stringify(area)} (not an area of ${system})`);
  const Y = r.years.length, y = ctx.y, year = ctx.year;
  const name = ctx.names.get(area) || area;
  const first = r.years[ctx.trendYears[0] ?? y]!;
  const idx = (id: string) => r.definitions.findIndex((d) => d.id === id);
  const fact = (id: string): FindingFact | undefined => {
    const i = idx(id);
    if (i < 0) return undefined;
    const def = r.definitions[i]!;
    const k = resultIndex(r, i, a, y);
    const c = publishedCell(p, k, def.digits);
    const city = r.reference.value[i * Y + y]!;
    const change = p.changeSuppressed[k] || c.hidden ? NaN : r.change[k]!;
    return {
      indicator: id, label: def.label, value: c.hidden ? NaN : r.value[k]!, text: c.text, city, cityText: Number.isFinite(city) ? unitText(def, city) : ".",
      significance: c.hidden ? "" : sigWord(p.significance[k] as Significance), change, hidden: c.hidden,
    };
  };
  const wanted = (options.findings ?? FINDINGS_INDICATORS).filter((id) => idx(id) >= 0).slice(0, options.findings ? undefined : options.maxIndicators ?? 5);
  const facts = wanted.map(fact).filter((f): f is FindingFact => !!f);
  const sentences: string[] = [];
  // 1. Residents (and children under 15 where the base may be stated) and child poverty.
  const pop = fact("population");
  const residents = pop ? (pop.hidden ? "" : `${formatNumber(pop.value, { digits: 0 })} Einwohnerinnen und Einwohner`) : "";
  const cp = facts.find((f) => f.indicator === "child_poverty");
  const cpi = idx("child_poverty");
  let children = "";
  if (cp && !cp.hidden && ctx.inputHidden) {
    const k = resultIndex(r, cpi, a, y);
    const base = r.denominator[k]!;
    if (!ctx.inputHidden[k] && Number.isFinite(base) && base >= p.rules.counts.threshold) children = `${formatNumber(base, { digits: 0 })} Kinder unter 15 Jahren`;
  }
  const intro = `${where(ctx.sys.label)} ${name} (${area}) lebten am 31.12.${year}`;
  if (cp && !cp.hidden) {
    const who = children ? `${residents ? `${residents}, darunter ` : ""}${children}; ${cp.text} % von ihnen lebten in SGB-II-Bedarfsgemeinschaften`
      : `${residents ? `${residents}; ` : ""}${cp.text} % der Kinder unter 15 Jahren lebten in SGB-II-Bedarfsgemeinschaften`;
    sentences.push(`${intro} ${who}, gegenüber ${cp.cityText} in der Stadt${sigText(cp) ? ` (${sigText(cp)})` : ""}.`);
  } else {
    sentences.push(residents ? `${intro} ${residents}${pop && Number.isFinite(pop.city) && pop.city > 0 ? ` (${formatNumber((100 * pop.value) / pop.city, { digits: 1 })} % der Stadtbevölkerung)` : ""}.`
      : `${where(ctx.sys.label)} ${name} (${area}): Die Einwohnerzahl zum 31.12.${year} wird aus Gründen der Geheimhaltung nicht ausgewiesen.`);
    if (cp) sentences.push(`Der Anteil der Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften wird nicht ausgewiesen (${publicReason(p.reason[resultIndex(r, cpi, a, y)] as ProtectionReason) || "keine Angabe"}); in der Stadt liegt er bei ${cp.cityText}.`);
  }
  // 2. The other indicators against the city.
  const others = facts.filter((f) => f.indicator !== "child_poverty");
  const shown = others.filter((f) => !f.hidden);
  if (shown.length) {
    sentences.push(`Weitere Kennzahlen ${year} (Gebiet gegenüber Stadt): ${shown.map((f) => {
      const def = r.definitions[idx(f.indicator)]!;
      return `${f.label} ${unitText(def, f.value)} gegenüber ${f.cityText}${sigText(f) ? ` (${sigText(f)})` : ""}`;
    }).join("; ")}.`);
  }
  const hidden = others.filter((f) => f.hidden);
  if (hidden.length) sentences.push(`Nicht ausgewiesen (kleine Fallzahlen, Geheimhaltung): ${hidden.map((f) => f.label).join(", ")}.`);
  // 3. Change over the last years (published changes only), against the city's change.
  const changes = facts.filter((f) => Number.isFinite(f.change)).slice(0, 3);
  if (changes.length && first < year) {
    sentences.push(`Entwicklung ${first}–${year}: ${changes.map((f) => {
      const i = idx(f.indicator), def = r.definitions[i]!;
      const cityChange = r.reference.change[i * Y + y]!;
      return `${f.label} ${signedChange(def, f.change)}${Number.isFinite(cityChange) ? ` (Stadt: ${signedChange(def, cityChange)})` : ""}`;
    }).join("; ")}.`);
  }
  // 4. The parent district's figure for the first indicator (published only).
  const par = ctx.parent?.of.get(area);
  const lead = facts.find((f) => !f.hidden);
  if (ctx.parent && par && lead) {
    const pp = ctx.parent.p, pi = pp.result.definitions.findIndex((d) => d.id === lead.indicator);
    const pa = pp.result.areas.indexOf(par.id), py = pp.result.years.indexOf(year);
    if (pi >= 0 && pa >= 0 && py >= 0) {
      const def = pp.result.definitions[pi]!;
      const pc = publishedCell(pp, resultIndex(pp.result, pi, pa, py), def.digits);
      if (!pc.hidden) {
        const pn = ctx.parent.names.get(par.id) || par.id;
        const pv = pp.result.value[resultIndex(pp.result, pi, pa, py)]!;
        const how = ctx.parent.how === "residents" ? `, in dem ${formatNumber(par.share * 100, { digits: 0 })} % der Einwohner des Gebiets leben,` : ", zu dem das Gebiet gehört,";
        const hides = lead.significance === "höher" && Math.abs(pv - lead.city) < Math.abs(lead.value - lead.city) / 2;
        sentences.push(`Der Wert „${lead.label}“ des übergeordneten Gebiets ${pn} (${par.id})${how} liegt bei ${unitText(def, pv)}${hides ? " – die Zahl des größeren Gebiets verdeckt die Lage im Gebiet" : ""}.`);
      }
    }
  }
  // 5. Reliability of the lead indicator.
  const focus = facts.find((f) => f.indicator === "child_poverty")?.indicator ?? lead?.indicator;
  if (focus) sentences.push(reliabilitySentence(p, focus, area, { year, names: ctx.names }));
  const title = `Kernaussagen: ${name} (${area}), ${ctx.sys.label}, Stichtag 31.12.${year}`;
  const footer = [
    "Signifikanz: 95-%-Konfidenzintervall des Gebietswerts enthält den Stadtwert nicht (Anteile nach Wilson).",
    ...(ctx.parent?.how === "residents" && par ? [`Die Gebiete der Ebene „${ctx.sys.label}“ liegen quer zu den Bezirksgrenzen; als übergeordnetes Gebiet gilt das Gebiet der Ebene „${ctx.parent!.label}“ mit den meisten Einwohnern des Gebiets.`] : []),
    ctx.rulesText,
    ...(ctx.source ? [ctx.source] : []),
  ];
  return { system, area, name, year, ...(focus ? { focus } : {}), facts, sentences, text: [title, "", ...sentences.flatMap((s) => [s, ""]), ...footer].join("\n") + "\n" };
}
