/**
 * Synthetic small-area statistics for Musterstadt: integer counts of every count variable of
 * `src/variables.ts` per block group and year, internally consistent (parts never exceed their
 * wholes), calibrated in a closed loop to Bottrop-like citywide targets for the reference year,
 * with a north–south gradient and one poverty pocket hidden inside an average statistical
 * district.
 */
import { AGE_BANDS, COUNT_VARIABLES, ageBandId } from "../../src/variables";
import { multiPolygonCentroid, unionAll, type MultiPolygon, type Pt } from "./geometry";
import { connectedComponent, type Geography } from "./layout";
import { QUARTER_NAMES } from "./names";
import type { Rng } from "./prng";

/** Counts of one block group in one year, keyed by count variable id. */
export type CountRecord = Record<string, number>;

/** Citywide targets for the reference year. */
export interface Targets {
  population: number;
  /** Share of residents aged 65+ (0–1). */
  share65plus: number;
  /** Share of residents with migration background. */
  migrationBackground: number;
  /** Unemployed per resident aged 15–<65. */
  unemployment: number;
  /** SGB II households (Bedarfsgemeinschaften) per household. */
  sgb2Households: number;
  /** Children <15 in SGB II households per child <15. */
  childPoverty: number;
  /** Residents per household. */
  householdSize: number;
  /** Poverty pocket quarter: children <15 in SGB II households per child <15. */
  pocketChildPoverty: number;
  /** The statistical district that contains most of the pocket. */
  pocketDistrictChildPoverty: number;
}

/** Bottrop-like defaults (Bottrop 2024: 116,845 residents, 22.1 % 65+, 21.3 % migration background). */
export const DEFAULT_TARGETS: Targets = {
  population: 117_000,
  share65plus: 0.221,
  migrationBackground: 0.213,
  unemployment: 0.065,
  sgb2Households: 0.11,
  childPoverty: 0.224,
  householdSize: 1.9,
  pocketChildPoverty: 0.29,
  pocketDistrictChildPoverty: 0.226,
};

/** A life-situation-based quarter: a union of block groups across district borders. */
export interface QuarterGeo {
  id: string;
  name: string;
  /** Indices into the block group list. */
  members: number[];
  geometry: MultiPolygon;
  /** Ids of the statistical districts the quarter intersects. */
  statbezIds: string[];
}

/** What the statistics model returns. */
export interface StatisticsModel {
  years: number[];
  /** `counts[year][blockGroupIndex][variableId]`. */
  counts: Record<number, CountRecord[]>;
  quarters: QuarterGeo[];
  /** Index of the poverty-pocket quarter in `quarters`, and the id of its main statistical district. */
  pocket: { quarterIndex: number; statbezId: string };
  /** Special block groups: no residents (industry, forest), very few residents, refugee housing, new housing. */
  special: { empty: number[]; tiny: number[]; shelters: number[]; newHousing: number[] };
}

const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];
const REF = YEARS.length - 1;

// Age profiles (shares in %, AGE_BANDS order): a young, poorer profile and an old, suburban one.
const YOUNG = [3.7, 3.6, 4.5, 5.4, 3.3, 9.0, 7.8, 8.2, 7.4, 6.6, 5.8, 6.0, 6.5, 5.8, 4.5, 3.4, 2.6, 2.5, 1.3, 0.6];
const OLD = [1.9, 2.1, 3.0, 4.1, 2.9, 5.6, 3.8, 4.1, 4.6, 5.3, 5.7, 7.6, 9.3, 9.4, 8.3, 6.9, 5.6, 5.5, 2.8, 1.2];

// Logit shifts per year relative to the reference year (2019 … 2024).
const TREND = {
  unemployment: [-0.1, 0.1, 0.06, -0.04, -0.02, 0],
  sgb2: [0.06, 0.07, 0.03, 0.05, 0.03, 0],
  migration: [-0.2, -0.16, -0.12, -0.05, -0.02, 0],
  foreign: [-0.08, -0.06, -0.05, 0, 0, 0],
  sgb12: [-0.15, -0.12, -0.09, -0.06, -0.03, 0],
  ageing: [-0.175, -0.14, -0.105, -0.07, -0.035, 0],
};
/** Citywide population level per year relative to the reference year (Bottrop-like: flat, a 2022 bump). */
const CITY_LEVEL = [1.006, 1.0045, 1.004, 1.0085, 1.005, 1];
const ASYL_LEVEL = [0.9, 0.7, 0.75, 1.25, 1.15, 1];

const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Splits `total` into integers proportional to `weights` (largest remainder method, ties by
 * index), so the parts always sum to `total`.
 *
 * @example
 * allocate(10, [1, 1, 1]); // [4, 3, 3]
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const s = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || s <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / s);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) out[order[k % order.length][1]]++;
  return out;
}

interface Params {
  ageing: number;
  household: number;
  migration: number;
  unemployment: number;
  sgb2: number;
  child: number;
  pocketBoost: number;
  districtRelief: number;
}

/** Per-block-group noise drawn once, so that the calibration loop is a deterministic function of its parameters. */
interface Noise {
  base: number[];
  profile: number[][];
  age: number[];
  household: number[];
  perChildHousehold: number[];
  migration: number[];
  foreign: number[];
  unemployment: number[];
  sgb2: number[];
  child: number[];
  persons: number[];
  sgb12: number[];
  singleParent: number[];
  singleParentSgb2: number[];
  growth: number[];
  /** annual[year][i]: small yearly logit noise. */
  annual: number[][];
}

function smoothField(rng: Rng, geo: Geography, bumps: number, amp: number): (p: Pt) => number {
  const f = geo.frame;
  const list = Array.from({ length: bumps }, () => ({
    c: [rng.uniform(f.x0, f.x1), rng.uniform(f.y0, f.y1)] as Pt,
    a: rng.normal(0, amp),
    s: rng.uniform(700, 1700),
  }));
  return ([x, y]) => list.reduce((s, b) => s + b.a * Math.exp(-((x - b.c[0]) ** 2 + (y - b.c[1]) ** 2) / (2 * b.s * b.s)), 0);
}

/** Grows a quarter by adding the frontier block group nearest to the seed until `size` is reached. */
function growQuarter(geo: Geography, start: number[], size: number, usable: (i: number) => boolean): number[] {
  const members = [...start];
  const inQ = new Set(members);
  const seed = geo.blockGroups[start[0]].centroid;
  while (members.length < size) {
    let best = -1, bestD = Infinity;
    for (const m of members) for (const j of geo.adjacency[m].keys()) {
      if (inQ.has(j) || !usable(j)) continue;
      const c = geo.blockGroups[j].centroid;
      const d = Math.hypot(c[0] - seed[0], c[1] - seed[1]);
      if (d < bestD || (d === bestD && j < best)) { bestD = d; best = j; }
    }
    if (best < 0) break;
    members.push(best);
    inQ.add(best);
  }
  return members.sort((a, b) => a - b);
}

/**
 * Block groups that no quarter holds but that are enclosed by quarters (their connected group
 * of non-quarter block groups does not reach the city boundary) join the neighbouring quarter
 * they share most boundary with, so the quarters leave no enclosed gaps.
 */
function fillEnclosedGaps(geo: Geography, quarters: Array<{ members: number[] }>): void {
  const n = geo.blockGroups.length;
  const owner = new Array<number>(n).fill(-1);
  quarters.forEach((q, k) => q.members.forEach((m) => (owner[m] = k)));
  const onBoundary = geo.blockGroups.map((b, i) => {
    let perimeter = 0;
    for (const poly of b.geometry) for (const ring of poly) for (let k = 0; k + 1 < ring.length; k++) perimeter += Math.hypot(ring[k + 1][0] - ring[k][0], ring[k + 1][1] - ring[k][1]);
    const shared = [...geo.adjacency[i].values()].reduce((a, x) => a + x, 0);
    return perimeter - shared > 0.01;
  });
  const seen = new Set<number>();
  for (let s = 0; s < n; s++) {
    if (owner[s] >= 0 || seen.has(s)) continue;
    const comp = connectedComponent(s, geo.adjacency, (j) => owner[j] < 0, seen);
    if (comp.some((i) => onBoundary[i])) continue;
    const score = new Map<number, number>();
    for (const i of comp) for (const [j, len] of geo.adjacency[i]) if (owner[j] >= 0) score.set(owner[j], (score.get(owner[j]) ?? 0) + len);
    const best = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    for (const i of comp) { owner[i] = best; quarters[best].members.push(i); }
    quarters[best].members.sort((a, b) => a - b);
  }
}

/**
 * Generates the statistics of Musterstadt for 2019–2024 on the block groups of `geo`, chooses
 * the eight life-situation-based quarters (one of them the poverty pocket) and calibrates the
 * reference year to `targets`.
 *
 * @example
 * const stats = buildStatistics(createRng(7).fork("statistics"), geo);
 * stats.counts[2024][0].pop_total; // residents of the first block group in 2024
 */
export function buildStatistics(rng: Rng, geo: Geography, targets: Targets = DEFAULT_TARGETS): StatisticsModel {
  const bg = geo.blockGroups;
  const n = bg.length;
  const r = rng.fork("noise");
  const nrm = (sd: number) => bg.map(() => r.normal(0, sd));

  // --- special block groups ------------------------------------------------------------------
  const byArea = (stbz: string) => bg.map((b, i) => [b.area, i] as const).filter(([, i]) => bg[i].stbzId === stbz).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
  const empty = [byArea("02")[0], byArea("01")[0], byArea("03")[0], byArea("03")[1]].sort((a, b) => a - b);
  const pick = rng.fork("special");
  const free = (i: number, taken: number[]) => !taken.includes(i) && !empty.includes(i);
  const tiny: number[] = [];
  while (tiny.length < 5) {
    const i = pick.int(0, n - 1);
    if (free(i, tiny)) tiny.push(i);
  }
  tiny.sort((a, b) => a - b);
  const density = bg.map((b) => geo.density(b.centroid[0], b.centroid[1]));
  const shelters: number[] = [];
  const urbanBig = bg.map((_, i) => i).filter((i) => free(i, tiny) && bg[i].north < 0.45).sort((a, b) => density[b] * bg[b].area - density[a] * bg[a].area || a - b);
  shelters.push(urbanBig[3], urbanBig[11]);
  const newHousing: number[] = [];
  while (newHousing.length < 3) {
    const i = pick.int(0, n - 1);
    if (free(i, [...tiny, ...shelters, ...newHousing]) && bg[i].north > 0.3 && bg[i].north < 0.75) newHousing.push(i);
  }
  newHousing.sort((a, b) => a - b);

  // --- latent deprivation: north–south gradient + smooth field + noise -----------------------
  const field = smoothField(rng.fork("field"), geo, 16, 0.45);
  const dep0 = bg.map((b, i) => 2.2 * (0.5 - b.north) + field(b.centroid) + 0.25 * r.normal() + (shelters.includes(i) ? 0.4 : 0));

  const noise: Noise = {
    base: nrm(0.3),
    profile: bg.map(() => AGE_BANDS.map(() => Math.exp(r.normal(0, 0.07)))),
    age: nrm(0.35),
    household: nrm(0.05),
    perChildHousehold: nrm(0.05),
    migration: nrm(0.25),
    foreign: nrm(0.15),
    unemployment: nrm(0.18),
    sgb2: nrm(0.15),
    child: nrm(0.1),
    persons: nrm(0.06),
    sgb12: nrm(0.25),
    singleParent: nrm(0.15),
    singleParentSgb2: nrm(0.15),
    growth: nrm(0.005),
    annual: YEARS.map(() => nrm(0.03)),
  };
  // share the SGB II household effect with the child effect (the same households)
  noise.child = noise.child.map((v, i) => v + noise.sgb2[i]);

  // --- population of the reference year -------------------------------------------------------
  const tinyPop = tiny.map(() => pick.int(6, 45));
  const expected = bg.map((b, i) => (empty.includes(i) || tiny.includes(i) ? 0 : (density[i] * b.area) / 1e6 * Math.exp(noise.base[i])));
  const scale = (targets.population - tinyPop.reduce((a, b) => a + b, 0)) / expected.reduce((a, b) => a + b, 0);
  const pop = YEARS.map((_, t) => bg.map((_b, i) => {
    if (empty.includes(i)) return 0;
    const k = tiny.indexOf(i);
    const base = k >= 0 ? tinyPop[k] : expected[i] * scale;
    const dt = YEARS[t] - YEARS[REF];
    const g = newHousing.includes(i) ? 0.06 : noise.growth[i];
    const level = k >= 0 ? 1 : CITY_LEVEL[t];
    return Math.max(0, Math.round(base * level * Math.max(0.5, 1 + g * dt) * (k >= 0 ? 1 + 0.04 * dt : 1)));
  }));

  // --- quarters (need adjacency and deprivation) -------------------------------------------
  const usable = (i: number) => !empty.includes(i) && !tiny.includes(i);
  const childWeight = bg.map((_, i) => pop[REF][i] * (0.2 - 0.05 * bg[i].north));
  const cityDep = dep0.reduce((s, d, i) => s + d * childWeight[i], 0) / childWeight.reduce((a, b) => a + b, 0);
  const candidates = geo.statbez
    .filter((d) => d.parentId !== "03" && d.members.filter(usable).length >= 10)
    .map((d) => ({ d, meanDep: d.members.reduce((s, i) => s + dep0[i] * childWeight[i], 0) / d.members.reduce((s, i) => s + childWeight[i], 0) }))
    .sort((a, b) => Math.abs(a.meanDep - cityDep) - Math.abs(b.meanDep - cityDep) || (a.d.id < b.d.id ? -1 : 1));
  const D = candidates[0].d;
  const dSet = new Set(D.members);
  const borderOf = (i: number) => [...geo.adjacency[i].keys()].some((j) => bg[j].statbezId !== bg[i].statbezId);
  const dBorder = D.members.filter((i) => usable(i) && borderOf(i));
  const pocketSeed = dBorder.reduce((best, i) => (bg[i].centroid[0] + bg[i].centroid[1] < bg[best].centroid[0] + bg[best].centroid[1] ? i : best), dBorder[0]);
  const bestOutside = (i: number, taken: Set<number>) =>
    [...geo.adjacency[i].entries()].filter(([j]) => bg[j].statbezId !== bg[i].statbezId && usable(j) && !taken.has(j)).sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  const pocketOutside = bestOutside(pocketSeed, new Set());
  const pocketInD = growQuarter(geo, [pocketSeed], Math.round(0.45 * D.members.length), (j) => dSet.has(j) && usable(j));
  const pocketMembers = [...pocketInD, ...(pocketOutside !== undefined ? [pocketOutside] : [])].sort((a, b) => a - b);

  const taken = new Set<number>(pocketMembers);
  const quarterDefs: Array<{ members: number[]; name: string }> = [];
  const qr = rng.fork("quarters");
  const pickSeeds = (pool: number[], k: number, away: number[]) => {
    const chosen: number[] = [];
    for (let s = 0; s < k; s++) {
      let best = -1, bestD = -1;
      for (const i of pool) {
        if (taken.has(i) || chosen.includes(i)) continue;
        const ds = [...away, ...chosen].map((j) => Math.hypot(bg[i].centroid[0] - bg[j].centroid[0], bg[i].centroid[1] - bg[j].centroid[1]));
        const d = ds.length ? Math.min(...ds) : 0;
        if (d > bestD) { bestD = d; best = i; }
      }
      if (best >= 0) chosen.push(best);
    }
    return chosen;
  };
  const urbanPool = bg.map((_, i) => i).filter((i) => usable(i) && borderOf(i) && bg[i].stbzId !== "03");
  const northPool = bg.map((_, i) => i).filter((i) => usable(i) && borderOf(i) && bg[i].stbzId === "03").sort((a, b) => density[b] - density[a] || a - b).slice(0, 1);
  const seeds = [...pickSeeds(urbanPool, 6, [pocketSeed]), ...northPool];
  let nameIdx = 0;
  for (const s of seeds) {
    const out = bestOutside(s, taken);
    const start = out === undefined ? [s] : [s, out];
    const size = qr.int(6, 12);
    const members = growQuarter(geo, start, size, (j) => usable(j) && !taken.has(j));
    members.forEach((m) => taken.add(m));
    const name = bg[s].stbzId === "03" ? "Dorfkern Heidekirchen" : QUARTER_NAMES.filter((q) => q !== "Dorfkern Heidekirchen")[nameIdx++];
    quarterDefs.push({ members, name });
  }
  quarterDefs.push({ members: pocketMembers, name: `${D.name}-Südwest` });
  fillEnclosedGaps(geo, quarterDefs);
  const pocketSet = new Set(quarterDefs[quarterDefs.length - 1].members);
  const quarters: QuarterGeo[] = quarterDefs
    .map((q) => ({ ...q, geometry: unionAll(q.members.map((i) => bg[i].geometry)) }))
    .map((q) => ({ ...q, c: multiPolygonCentroid(q.geometry) }))
    .sort((a, b) => b.c[1] - a.c[1] || a.c[0] - b.c[0])
    .map((q, k) => ({
      id: `Q${String(k + 1).padStart(2, "0")}`,
      name: q.name,
      members: q.members,
      geometry: q.geometry,
      statbezIds: [...new Set(q.members.map((i) => bg[i].statbezId))].sort(),
    }));
  const pocketIndex = quarters.findIndex((q) => q.members.length === pocketSet.size && q.members.every((m) => pocketSet.has(m)));

  // --- count generation as a function of the calibration parameters --------------------------
  const youngN = YOUNG.map((v) => v / YOUNG.reduce((a, b) => a + b, 0));
  const oldN = OLD.map((v) => v / OLD.reduce((a, b) => a + b, 0));
  const shelterAsyl = shelters.map(() => pick.int(60, 110));
  const ids = AGE_BANDS.map(([a, b]) => ageBandId(a, b));

  const generate = (p: Params): Record<number, CountRecord[]> => {
    const dep = dep0.map((d, i) => d + (pocketSet.has(i) ? p.pocketBoost : dSet.has(i) ? -p.districtRelief : 0));
    const out: Record<number, CountRecord[]> = {};
    YEARS.forEach((year, t) => {
      const a = noise.annual[t];
      out[year] = bg.map((b, i) => {
        const rec: CountRecord = Object.fromEntries(COUNT_VARIABLES.map((v) => [v.id, 0]));
        const P = pop[t][i];
        if (P === 0) return rec;
        const w = logistic(p.ageing - 0.7 * dep[i] + 0.8 * (b.north - 0.5) + noise.age[i] + TREND.ageing[t]);
        const shares = youngN.map((y, k) => ((1 - w) * y + w * oldN[k]) * noise.profile[i][k]);
        const ages = allocate(P, shares);
        ids.forEach((id, k) => (rec[id] = ages[k]));
        const sum = (from: number, to: number) => ages.slice(from, to).reduce((s, v) => s + v, 0);
        const c15 = sum(0, 4), c18 = sum(0, 5), p15_65 = sum(4, 14), p18_65 = sum(5, 14), p65 = sum(14, 20);
        rec.pop_total = P;

        const hs = Math.exp(p.household + 0.12 * (b.north - 0.5) - 0.04 * dep[i] + noise.household[i]);
        const H = clamp(Math.round(P / hs), 1, P);
        const cph = 1.65 * Math.exp(0.04 * dep[i] + noise.perChildHousehold[i]);
        const HC = c18 > 0 ? clamp(Math.round(c18 / cph), 1, Math.min(H, c18)) : 0;
        const SPH = Math.min(HC, Math.round(HC * logistic(logit(0.2) + 0.45 * dep[i] + noise.singleParent[i])));
        rec.households = H;
        rec.households_children = HC;
        rec.single_parent_households = SPH;

        const M = Math.min(P, Math.round(P * logistic(p.migration + 0.95 * dep[i] + noise.migration[i] + TREND.migration[t] + a[i])));
        const M18 = clamp(Math.round(M * 0.6), Math.max(0, M - (P - p18_65)), Math.min(M, p18_65));
        const F = Math.min(M, Math.round(M * logistic(0.15 + 0.35 * dep[i] + noise.foreign[i] + TREND.foreign[t])));
        const F15 = clamp(Math.round(F * 0.74), Math.max(0, F - (P - p15_65)), Math.min(F, p15_65));
        rec.migback_total = M;
        rec.migback_18_65 = M18;
        rec.foreign_total = F;
        rec.foreign_15_65 = F15;

        const ur = logistic(p.unemployment + 0.9 * dep[i] + noise.unemployment[i] + TREND.unemployment[t] + a[i]);
        const U = Math.min(p15_65, Math.round(p15_65 * ur));
        rec.unemployed = U;
        rec.unemployed_foreign = Math.min(U, F15, Math.round(F15 * Math.min(0.6, 2.2 * ur)));

        const K = Math.min(c15, Math.round(c15 * logistic(p.child + 1.25 * dep[i] + noise.child[i] + TREND.sgb2[t] + a[i])));
        let BG = Math.min(H, Math.round(H * logistic(p.sgb2 + 1.15 * dep[i] + noise.sgb2[i] + TREND.sgb2[t] + a[i])));
        const BGC = K > 0 ? clamp(Math.round(K / 1.8), 1, Math.min(HC, K)) : 0;
        BG = Math.max(BG, BGC);
        const upper = P - p65;
        if (BG + K > upper) BG = Math.max(BGC, upper - K);
        const SP2 = clamp(Math.round(BG * 1.95 * Math.exp(noise.persons[i])), BG + K, upper);
        rec.sgb2_households = BG;
        rec.sgb2_households_children = BGC;
        rec.sgb2_persons = SP2;
        rec.sgb2_children_u15 = K;
        rec.single_parent_sgb2 = Math.min(SPH, BGC, Math.round(SPH * logistic(logit(0.38) + 0.8 * dep[i] + noise.singleParentSgb2[i] + TREND.sgb2[t])));

        const S12 = Math.min(p65, Math.round(p65 * logistic(logit(0.04) + 0.8 * dep[i] + noise.sgb12[i] + TREND.sgb12[t])));
        rec.sgb12_65plus = S12;
        const sgb12Under65 = Math.round(p18_65 * 0.006 * Math.exp(0.5 * dep[i]));
        const sh = shelters.indexOf(i);
        const asyl = sh >= 0 ? Math.round(shelterAsyl[sh] * ASYL_LEVEL[t]) : Math.round(P * 0.0008 * Math.exp(dep[i]));
        rec.minsec_recipients = Math.min(P, SP2 + S12 + sgb12Under65 + asyl);
        return rec;
      });
    });
    return out;
  };

  // --- closed-loop calibration of the reference year ------------------------------------------
  const p: Params = {
    ageing: 0, household: Math.log(targets.householdSize), migration: logit(targets.migrationBackground),
    unemployment: logit(targets.unemployment), sgb2: logit(targets.sgb2Households), child: logit(targets.childPoverty),
    pocketBoost: 0.4, districtRelief: 0.2,
  };
  let counts = generate(p);
  const total = (recs: CountRecord[], id: string, members?: number[]) => (members ?? recs.map((_, i) => i)).reduce((s, i) => s + recs[i][id], 0);
  const childRate = (recs: CountRecord[], members?: number[]) => {
    const c = ["age_00_03", "age_03_06", "age_06_10", "age_10_15"].reduce((s, id) => s + total(recs, id, members), 0);
    return total(recs, "sgb2_children_u15", members) / c;
  };
  const sumOf = (recs: CountRecord[], idsList: string[]) => idsList.reduce((s, id) => s + total(recs, id), 0);
  const ids65 = ids.slice(14), ids15_65 = ids.slice(4, 14);
  for (let it = 0; it < 40; it++) {
    const c = counts[YEARS[REF]];
    const P = total(c, "pop_total");
    const damp = 0.8;
    p.ageing += damp * (logit(targets.share65plus) - logit(sumOf(c, ids65) / P)) * 1.6;
    p.household += damp * Math.log(targets.householdSize / (P / total(c, "households")));
    p.migration += damp * (logit(targets.migrationBackground) - logit(total(c, "migback_total") / P));
    p.unemployment += damp * (logit(targets.unemployment) - logit(total(c, "unemployed") / sumOf(c, ids15_65)));
    p.sgb2 += damp * (logit(targets.sgb2Households) - logit(total(c, "sgb2_households") / total(c, "households")));
    p.child += damp * (logit(targets.childPoverty) - logit(childRate(c)));
    p.pocketBoost += (damp / 1.25) * (logit(targets.pocketChildPoverty) - logit(childRate(c, [...pocketSet])));
    p.districtRelief += (damp / 1.25) * (logit(childRate(c, D.members)) - logit(targets.pocketDistrictChildPoverty));
    counts = generate(p);
  }

  return {
    years: YEARS,
    counts,
    quarters,
    pocket: { quarterIndex: pocketIndex, statbezId: D.id },
    special: { empty, tiny, shelters, newHousing },
  };
}
