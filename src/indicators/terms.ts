/**
 * Resolving indicator terms (`"pop_total"`, `"age:0-18"`, `"age:65-"`) into the count
 * variables a table actually has.
 */
import { parseAgeBand } from "../variables";

const AGE_TERM = /^age:(\d+)-(\d*)$/;

/** An age range `[from, toExclusive]`, `null` = open. */
export type AgeRange = [number, number | null];

/**
 * Parses an age-range term, or returns undefined for a plain variable id.
 *
 * @example
 * parseAgeTerm("age:0-18"); // [0, 18]
 * parseAgeTerm("age:65-");  // [65, null]
 */
export function parseAgeTerm(term: string): AgeRange | undefined {
  const m = AGE_TERM.exec(term);
  if (!m) return undefined;
  return [Number(m[1]), m[2] === "" ? null : Number(m[2])];
}

/** The age-band variables among `variables`, sorted by lower bound. */
export function ageBands(variables: readonly string[]): { id: string; from: number; to: number | null }[] {
  return variables
    .map((id) => ({ id, band: parseAgeBand(id) }))
    .filter((x): x is { id: string; band: [number, number | null] } => !!x.band)
    .map(({ id, band }) => ({ id, from: band[0], to: band[1] }))
    .sort((a, b) => a.from - b.from);
}

/**
 * The variables to sum for one term. An age range is built from the table's age bands, which
 * must tile it exactly (no overlap, no gap, no band crossing its limits); otherwise the term
 * cannot be computed from this table and an error says which bands exist.
 *
 * @example
 * resolveTerm("age:0-15", ["age_00_06", "age_06_15", "age_15_18"]); // ["age_00_06", "age_06_15"]
 * resolveTerm("sgb2_persons", ["sgb2_persons"]);                     // ["sgb2_persons"]
 */
export function resolveTerm(term: string, variables: readonly string[]): string[] {
  const range = parseAgeTerm(term);
  if (!range) {
    if (!variables.includes(term)) throw new Error(`count variable ${JSON.stringify(term)} is not in the data (have: ${variables.join(", ")})`);
    return [term];
  }
  const [from, to] = range;
  const bands = ageBands(variables);
  const picked: string[] = [];
  let at = from;
  for (const b of bands) {
    if (b.from < at) continue;
    if (b.from > at) break;
    if (to !== null && (b.to === null || b.to > to)) break;
    picked.push(b.id);
    if (b.to === null) { at = Infinity; break; }
    at = b.to;
    if (to !== null && at === to) break;
  }
  const complete = to === null ? at === Infinity : at === to;
  if (!complete || !picked.length) {
    const have = bands.map((b) => (b.to === null ? `${b.from}+` : `${b.from}–<${b.to}`)).join(", ") || "none";
    throw new Error(`age range ${to === null ? `${from}+` : `${from}–<${to}`} cannot be built from the age bands in the data (have: ${have})`);
  }
  return picked;
}

/**
 * Representative age of a band for mean ages: the middle of a closed band, the lower bound
 * plus 5 years for the open top band.
 *
 * @example
 * bandMidpoint(0, 3);     // 1.5
 * bandMidpoint(90, null); // 95
 */
export function bandMidpoint(from: number, to: number | null): number {
  return to === null ? from + 5 : (from + to) / 2;
}
