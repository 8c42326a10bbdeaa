/**
 * Indicator values of a generated Musterstadt, computed from summed counts (never by
 * averaging rates), as printed by the generator and written into the dataset README.
 */
import { AGE_BANDS, ageBandId } from "../../src/variables";
import type { Geography } from "./layout";
import type { CountRecord, StatisticsModel } from "./stats";

const AGE_IDS = AGE_BANDS.map(([a, b]) => ageBandId(a, b));
const ids = (from: number, to: number | null) =>
  AGE_BANDS.map(([a, b], k) => ((b === null ? Infinity : b) <= (to ?? Infinity) && a >= from ? AGE_IDS[k] : "")).filter(Boolean);

/** Citywide (or area) indicator values of one year, as fractions. */
export interface Indicators {
  population: number;
  households: number;
  share65plus: number;
  migrationBackground: number;
  /** Unemployed per resident 15–<65. */
  unemployment: number;
  sgb2Households: number;
  childPoverty: number;
  personsPerHousehold: number;
  foreigners: number;
  minimumSecurity: number;
}

/**
 * Sums counts over the given block group indices (all when omitted).
 *
 * @example
 * sumCounts(stats.counts[2024], [0, 1]).pop_total; // residents of the first two block groups
 */
export function sumCounts(recs: CountRecord[], members?: number[]): CountRecord {
  const out: CountRecord = {};
  for (const i of members ?? recs.map((_, k) => k)) for (const [k, v] of Object.entries(recs[i])) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Indicator values from summed counts.
 *
 * @example
 * indicators(sumCounts(stats.counts[2024])).childPoverty; // ≈ 0.224
 */
export function indicators(c: CountRecord): Indicators {
  const s = (list: string[]) => list.reduce((a, id) => a + (c[id] ?? 0), 0);
  const P = c.pop_total;
  return {
    population: P,
    households: c.households,
    share65plus: s(ids(65, null)) / P,
    migrationBackground: c.migback_total / P,
    unemployment: c.unemployed / s(ids(15, 65)),
    sgb2Households: c.sgb2_households / c.households,
    childPoverty: c.sgb2_children_u15 / s(ids(0, 15)),
    personsPerHousehold: P / c.households,
    foreigners: c.foreign_total / P,
    minimumSecurity: c.minsec_recipients / P,
  };
}

/** The values the README and the console report. */
export interface Summary {
  year: number;
  city: Indicators;
  pocket: { id: string; name: string; childPoverty: number; children: number };
  pocketDistrict: { id: string; name: string; childPoverty: number; children: number };
  populationByYear: Array<[number, number]>;
}

/**
 * Summarises a generated city: citywide indicators of the reference year and the poverty
 * pocket against its statistical district.
 *
 * @example
 * const s = summarize(geo, stats);
 * s.pocket.childPoverty > s.pocketDistrict.childPoverty; // true
 */
export function summarize(geo: Geography, stats: StatisticsModel): Summary {
  const year = stats.years[stats.years.length - 1];
  const recs = stats.counts[year];
  const q = stats.quarters[stats.pocket.quarterIndex];
  const d = geo.statbez.find((x) => x.id === stats.pocket.statbezId)!;
  const pc = sumCounts(recs, q.members), dc = sumCounts(recs, d.members);
  const kids = (c: CountRecord) => ids(0, 15).reduce((a, id) => a + c[id], 0);
  return {
    year,
    city: indicators(sumCounts(recs)),
    pocket: { id: q.id, name: q.name, childPoverty: indicators(pc).childPoverty, children: kids(pc) },
    pocketDistrict: { id: d.id, name: d.name, childPoverty: indicators(dc).childPoverty, children: kids(dc) },
    populationByYear: stats.years.map((y) => [y, sumCounts(stats.counts[y]).pop_total]),
  };
}
