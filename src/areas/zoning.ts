/**
 * MAUP experiments: many alternative zonings of the same building blocks (block groups,
 * planning areas), and for every block the distribution of the indicator values and ranks it
 * receives across the zonings.
 *
 * Zonings are made in the spirit of AZP / max-p regionalisation, as seeded region growing over
 * the contiguity graph (queen weights from `contiguityWeights`):
 *
 * 1. `regions` seed blocks are drawn at random (seeded, reproducible).
 * 2. Growth: the region with the smallest population takes a random unassigned neighbour
 *    block, as long as its population stays at or below `maxPopulation`; a region that cannot
 *    grow any more is closed.
 * 3. Repair: blocks left over (enclosed by closed regions, or in parts of the graph without a
 *    seed) form new regions where their connected group reaches `minPopulation`, otherwise they
 *    join the neighbouring region with the smallest population.
 * 4. Floor: regions below `minPopulation` are merged into their neighbouring region with the
 *    smallest population until none is left (or a region has no neighbour: reported).
 *
 * Every zoning is a partition of the blocks into contiguous regions (merging two adjacent
 * contiguous regions keeps contiguity); population bounds that cannot be met are counted and
 * reported, never hidden. Everything runs on typed arrays (CSR graph, `Int32Array` labels).
 */
import { mulberry32 } from "../random";
import type { SpatialWeights } from "../explore/weights";

/** The contiguity graph as compressed rows: neighbours of block `i` are `neighbours[offsets[i] … offsets[i+1])`. */
export interface ZoningGraph {
  ids: string[];
  offsets: Int32Array;
  neighbours: Int32Array;
}

/**
 * The contiguity graph of spatial weights in compressed form (symmetrised: a link in either
 * direction counts both ways).
 *
 * @example
 * const g = zoningGraph(contiguityWeights(bbg.features)); // queen contiguity
 */
export function zoningGraph(w: Pick<SpatialWeights, "ids" | "neighbours">): ZoningGraph {
  const n = w.ids.length;
  if (w.neighbours.length !== n) throw new Error(`invalid weights: ${w.neighbours.length} neighbour lists (expected one per id: ${n})`);
  const sets = Array.from({ length: n }, () => new Set<number>());
  w.neighbours.forEach((ns, i) => {
    for (const j of ns) {
      if (!(Number.isInteger(j) && j >= 0 && j < n)) throw new Error(`invalid weights: neighbour ${j} of ${JSON.stringify(w.ids[i])} (expected an index < ${n})`);
      if (j === i) continue;
      sets[i]!.add(j);
      sets[j]!.add(i);
    }
  });
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + sets[i]!.size;
  const neighbours = new Int32Array(offsets[n]!);
  sets.forEach((s, i) => neighbours.set([...s].sort((a, b) => a - b), offsets[i]!));
  return { ids: [...w.ids], offsets, neighbours };
}

/** Options of {@link randomZonings}. */
export interface ZoningOptions {
  /** Number of seed regions per zoning (the result has about this many). Required. */
  regions: number;
  /** Number of zonings. Default 1000. */
  zonings?: number;
  /** Smallest population of a region. Default: 40 % of the mean (total / regions). */
  minPopulation?: number;
  /** Largest population a region grows to. Default: 250 % of the mean. */
  maxPopulation?: number;
  /** Seed of the random generator. Default 1. */
  seed?: number;
}

/** A population bound a region misses after repair. */
export interface ZoningViolation {
  zoning: number;
  region: number;
  population: number;
  kind: "floor" | "ceiling";
}

/** Result of {@link randomZonings}. */
export interface Zonings {
  ids: string[];
  /** Number of zonings. */
  count: number;
  /** Region of every block in every zoning: `labels[z * n + i]`, regions numbered 0 … regionCounts[z] − 1. */
  labels: Int32Array;
  /** Number of regions per zoning. */
  regionCounts: Int32Array;
  /** Population per block (as given). */
  population: Float64Array;
  /** Options after defaults. */
  options: Required<ZoningOptions>;
  /** Regions below `minPopulation` or above `maxPopulation` (first 1000 listed; counts in `floorViolations`/`ceilingViolations`). */
  violations: ZoningViolation[];
  floorViolations: number;
  ceilingViolations: number;
}

/** Binary min-heap of region indices by key (population, random tie-break). */
class RegionHeap {
  heap: Int32Array;
  size = 0;
  constructor(cap: number, private key: Float64Array, private tie: Float64Array) { this.heap = new Int32Array(cap); }
  private less(a: number, b: number): boolean {
    const ka = this.key[a]!, kb = this.key[b]!;
    return ka < kb || (ka === kb && this.tie[a]! < this.tie[b]!);
  }
  push(r: number): void {
    const h = this.heap;
    let i = this.size++;
    h[i] = r;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      const t = h[i]!; h[i] = h[p]!; h[p] = t; i = p;
    }
  }
  pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h[--this.size]!;
    if (this.size > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.size && this.less(h[l]!, h[m]!)) m = l;
        if (r < this.size && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!; h[i] = h[m]!; h[m] = t; i = m;
      }
    }
    return top;
  }
}

/**
 * Makes `zonings` random contiguous zonings of the blocks of `graph` into about `regions`
 * regions with population bounds (seeded region growing with repair, see the module comment).
 *
 * @param population population per block, in graph order (≥ 0)
 * @throws `invalid regions: …`, `invalid population: …`, `invalid minPopulation: …` on bad input
 * @example
 * const z = randomZonings(zoningGraph(contiguityWeights(plr.features)), pop, { regions: 140, zonings: 10000, seed: 7 });
 * z.regionCounts[0]; // ≈ 140
 */
export function randomZonings(graph: ZoningGraph, population: ArrayLike<number>, options: ZoningOptions): Zonings {
  const n = graph.ids.length;
  if (population.length !== n) throw new Error(`invalid population: ${population.length} values (expected one per block: ${n})`);
  const pop = Float64Array.from(population);
  pop.forEach((v, i) => { if (!(Number.isFinite(v) && v >= 0)) throw new Error(`invalid population of block ${JSON.stringify(graph.ids[i])}: ${v} (expected a finite number ≥ 0)`); });
  const k = options?.regions;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new Error(`invalid regions: ${k} (expected an integer from 1 to the number of blocks, ${n})`);
  const Z = options.zonings ?? 1000;
  if (!(Number.isInteger(Z) && Z >= 1)) throw new Error(`invalid zonings: ${Z} (expected a positive integer)`);
  let total = 0;
  for (let i = 0; i < n; i++) total += pop[i]!;
  const mean = total / k;
  const minPop = options.minPopulation ?? 0.4 * mean;
  const maxPop = options.maxPopulation ?? 2.5 * mean;
  if (!(minPop >= 0)) throw new Error(`invalid minPopulation: ${options.minPopulation} (expected a number ≥ 0)`);
  if (!(maxPop >= minPop)) throw new Error(`invalid maxPopulation: ${options.maxPopulation} (expected a number ≥ minPopulation ${minPop})`);
  const seed = options.seed ?? 1;
  const rand = mulberry32(seed);
  const { offsets, neighbours } = graph;

  const labels = new Int32Array(Z * n);
  const regionCounts = new Int32Array(Z);
  const violations: ZoningViolation[] = [];
  let floorViolations = 0, ceilingViolations = 0;

  // Work arrays, reused per zoning.
  const lab = new Int32Array(n);
  const cap = n + 1;
  const rPop = new Float64Array(cap), tie = new Float64Array(cap);
  const heap = new RegionHeap(cap, rPop, tie);
  // Frontier lists per region: singly linked entries in a pool (a block enters once per assigned
  // neighbour, so the pool never holds more than the number of directed edges).
  const poolCap = neighbours.length + 8;
  const entUnit = new Int32Array(poolCap), entNext = new Int32Array(poolCap);
  const head = new Int32Array(cap);
  const order = new Int32Array(n);
  const stack = new Int32Array(n);
  const comp = new Int32Array(n);
  const cand = new Int32Array(n);
  const parent = new Int32Array(cap), bestNbr = new Int32Array(cap), bestPop = new Float64Array(cap);
  const find = (r: number): number => { while (parent[r] !== r) { parent[r] = parent[parent[r]!]!; r = parent[r]!; } return r; };

  for (let z = 0; z < Z; z++) {
    lab.fill(-1);
    head.fill(-1);
    let used = 0;
    // 1. Seeds: a partial Fisher–Yates shuffle.
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rand() * (n - i));
      const t = order[i]!; order[i] = order[j]!; order[j] = t;
    }
    let R = 0;
    heap.size = 0;
    const addFrontier = (r: number, u: number) => {
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        const v = neighbours[e]!;
        if (lab[v] !== -1) continue;
        entUnit[used] = v; entNext[used] = head[r]!; head[r] = used++;
      }
    };
    for (let i = 0; i < k; i++) {
      const u = order[i]!;
      lab[u] = R;
      rPop[R] = pop[u]!;
      tie[R] = rand();
      R++;
    }
    for (let r = 0; r < R; r++) { addFrontier(r, order[r]!); heap.push(r); }
    // 2. Growth: the smallest region takes a random admissible neighbour.
    while (heap.size > 0) {
      const r = heap.pop();
      // Prune the region's frontier to admissible candidates.
      let c = 0, prev = -1;
      for (let e = head[r]!; e !== -1; e = entNext[e]!) {
        const u = entUnit[e]!;
        if (lab[u] !== -1 || rPop[r]! + pop[u]! > maxPop) {
          if (prev === -1) head[r] = entNext[e]!; else entNext[prev] = entNext[e]!;
          continue;
        }
        cand[c++] = u;
        prev = e;
      }
      if (c === 0) continue; // closed
      const u = cand[Math.floor(rand() * c)]!;
      lab[u] = r;
      rPop[r]! += pop[u]!;
      addFrontier(r, u);
      tie[r] = rand();
      heap.push(r);
    }
    // 3. Repair: connected groups of unassigned blocks.
    for (let s = 0; s < n; s++) {
      if (lab[s] !== -1) continue;
      let top = 0, size = 0, p = 0;
      stack[top++] = s;
      lab[s] = -2;
      while (top > 0) {
        const u = stack[--top]!;
        comp[size++] = u;
        p += pop[u]!;
        for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
          const v = neighbours[e]!;
          if (lab[v] === -1) { lab[v] = -2; stack[top++] = v; }
        }
      }
      let target = -1;
      if (p < minPop) {
        let best = Infinity;
        for (let i = 0; i < size; i++) {
          const u = comp[i]!;
          for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
            const r = lab[neighbours[e]!]!;
            if (r >= 0 && rPop[r]! < best) { best = rPop[r]!; target = r; }
          }
        }
      }
      if (target === -1) { target = R; rPop[R] = 0; R++; }
      for (let i = 0; i < size; i++) lab[comp[i]!] = target;
      rPop[target]! += p;
    }
    // 4. Floor: merge small regions into their smallest neighbour (union-find over regions),
    // in rounds: one pass over the edges finds every small region's smallest neighbour.
    for (let r = 0; r < R; r++) parent[r] = r;
    for (;;) {
      let small = 0;
      for (let r = 0; r < R; r++) { bestNbr[r] = -1; bestPop[r] = Infinity; if (parent[r] === r && rPop[r]! < minPop) small++; }
      if (small === 0) break;
      for (let i = 0; i < n; i++) {
        const r = find(lab[i]!);
        if (rPop[r]! >= minPop) continue;
        for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
          const q = find(lab[neighbours[e]!]!);
          if (q !== r && rPop[q]! < bestPop[r]!) { bestPop[r] = rPop[q]!; bestNbr[r] = q; }
        }
      }
      let merged = 0;
      for (let r = 0; r < R; r++) {
        if (bestNbr[r]! < 0 || find(r) !== r || rPop[r]! >= minPop) continue;
        const q = find(bestNbr[r]!);
        if (q === r) continue;
        parent[r] = q;
        rPop[q]! += rPop[r]!;
        merged++;
      }
      if (merged === 0) break; // small regions without neighbours (islands): reported below
    }
    // Renumber 0 … m−1 in order of first block.
    const renum = new Int32Array(R).fill(-1);
    let m = 0;
    const out = z * n;
    for (let i = 0; i < n; i++) {
      const r = find(lab[i]!);
      if (renum[r] === -1) renum[r] = m++;
      labels[out + i] = renum[r]!;
    }
    regionCounts[z] = m;
    for (let r = 0; r < R; r++) {
      if (find(r) !== r) continue;
      const kind = rPop[r]! < minPop ? "floor" : rPop[r]! > maxPop ? "ceiling" : undefined;
      if (!kind) continue;
      if (kind === "floor") floorViolations++; else ceilingViolations++;
      if (violations.length < 1000) violations.push({ zoning: z, region: renum[r]!, population: rPop[r]!, kind });
    }
  }
  return {
    ids: [...graph.ids], count: Z, labels, regionCounts, population: pop,
    options: { regions: k, zonings: Z, minPopulation: minPop, maxPopulation: maxPop, seed },
    violations, floorViolations, ceilingViolations,
  };

}

/** Result of {@link checkZonings}. */
export interface ZoningCheck {
  /** Zonings checked. */
  checked: number;
  /** Regions checked. */
  regions: number;
  /** Zonings where a block has no region or region numbers are not 0 … m−1 (should be none). */
  notPartition: number[];
  /** Regions that are not connected in the graph, as `{ zoning, region }` (should be none). */
  notContiguous: { zoning: number; region: number }[];
  /** Regions below `minPopulation` / above `maxPopulation`. */
  belowFloor: number;
  aboveCeiling: number;
  /** Total population per zoning equals the blocks' total (largest absolute difference). */
  maxTotalDifference: number;
}

/**
 * Verifies zonings independently of how they were made: every block in exactly one region
 * (numbers 0 … m−1, none empty), every region connected in the graph (breadth-first search
 * within the region), population bounds, totals conserved.
 *
 * @param zonings which zonings to check (default all)
 * @example
 * const c = checkZonings(z, graph, [0, 1, 2]);
 * c.notContiguous.length; // 0
 */
export function checkZonings(z: Zonings, graph: ZoningGraph, zonings?: readonly number[]): ZoningCheck {
  const n = z.ids.length;
  if (graph.ids.length !== n) throw new Error(`invalid graph: ${graph.ids.length} blocks (expected ${n})`);
  const which = zonings ?? Array.from({ length: z.count }, (_, i) => i);
  const out: ZoningCheck = { checked: 0, regions: 0, notPartition: [], notContiguous: [], belowFloor: 0, aboveCeiling: 0, maxTotalDifference: 0 };
  let total = 0;
  for (let i = 0; i < n; i++) total += z.population[i]!;
  const seen = new Uint8Array(n), queue = new Int32Array(n);
  for (const zi of which) {
    if (!(Number.isInteger(zi) && zi >= 0 && zi < z.count)) throw new Error(`invalid zoning: ${zi} (expected 0 … ${z.count - 1})`);
    out.checked++;
    const m = z.regionCounts[zi]!;
    const lab = z.labels.subarray(zi * n, (zi + 1) * n);
    const size = new Int32Array(m), pop = new Float64Array(m), first = new Int32Array(m).fill(-1);
    let bad = false;
    for (let i = 0; i < n; i++) {
      const r = lab[i]!;
      if (!(r >= 0 && r < m)) { bad = true; continue; }
      size[r]!++;
      pop[r]! += z.population[i]!;
      if (first[r] === -1) first[r] = i;
    }
    if (bad || size.some((s) => s === 0)) out.notPartition.push(zi);
    let sum = 0;
    pop.forEach((p) => { sum += p; });
    out.maxTotalDifference = Math.max(out.maxTotalDifference, Math.abs(sum - total));
    seen.fill(0);
    for (let r = 0; r < m; r++) {
      out.regions++;
      if (pop[r]! < z.options.minPopulation) out.belowFloor++;
      if (pop[r]! > z.options.maxPopulation) out.aboveCeiling++;
      if (first[r] === -1) continue;
      let h = 0, t = 0, reached = 0;
      queue[t++] = first[r]!;
      seen[first[r]!] = 1;
      while (h < t) {
        const u = queue[h++]!;
        reached++;
        for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
          const v = graph.neighbours[e]!;
          if (!seen[v] && lab[v] === r) { seen[v] = 1; queue[t++] = v; }
        }
      }
      if (reached !== size[r]) out.notContiguous.push({ zoning: zi, region: r });
    }
  }
  return out;
}

/** Options of {@link zoningDistribution}. */
export interface ZoningDistributionOptions {
  /** Factor of the ratio (100 for per cent). Default 100. */
  factor?: number;
  /** Share of regions counted as the top group (0.2 = top quintile). Default 0.2. */
  top?: number;
}

/** Per block: the values its region takes across zonings (NaN when no zoning gave a value). */
export interface ZoningDistribution {
  ids: string[];
  zonings: number;
  min: Float64Array;
  q1: Float64Array;
  median: Float64Array;
  q3: Float64Array;
  max: Float64Array;
  /** Share of zonings (with a value) in which the block's region is in the top group (`top`, default the top quintile) of the regions by value. */
  topShare: Float64Array;
  /** Median over zonings of the share of regions with a higher value than the block's region (0 = highest region). */
  medianRankShare: Float64Array;
  /** The region value per block and zoning, block-major: `values[i * zonings + z]` (NaN where the region has no value). */
  values: Float32Array;
  /** Sum of the numerator over all regions, per zoning (equal to the blocks' total: conserved). */
  numeratorTotals: Float64Array;
  options: Required<ZoningDistributionOptions>;
}

/** Rearranges `a[lo..hi]` so that `a[k]` is the value a sort would put there (Hoare's selection). */
function select(a: Float32Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) { const t = a[i]!; a[i] = a[j]!; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Quantiles of the first `n` entries of `a` (no NaN among them), by selection in place:
 * linear time instead of a sort.
 */
function quantilesInPlace(a: Float32Array, n: number, ps: readonly number[]): number[] {
  if (n === 0) return ps.map(() => NaN);
  return ps.map((p) => {
    const h = (n - 1) * p, lo = Math.floor(h);
    select(a, 0, n - 1, lo);
    const x = a[lo]!;
    if (h === lo || lo + 1 >= n) return x;
    let next = Infinity;
    for (let i = lo + 1; i < n; i++) if (a[i]! < next) next = a[i]!;
    return x + (h - lo) * (next - x);
  });
}

/**
 * The indicator on every zoning, from summed counts per region (`factor × Σ numerator /
 * Σ denominator`, never averaged rates), and for every block the distribution of the value of
 * the region it falls in: min, quartiles, max, the share of zonings in which its region
 * is in the top quintile, and the median rank share. Blocks with a missing count make their
 * region's value missing in that zoning; a region with denominator 0 has no value.
 *
 * @param numerator numerator counts per block (graph order)
 * @param denominator denominator counts per block
 * @example
 * const d = zoningDistribution(z, kids_in_bg, kids_u15);
 * d.min[i], d.median[i], d.max[i], d.topShare[i];
 */
export function zoningDistribution(z: Zonings, numerator: ArrayLike<number>, denominator: ArrayLike<number>, options: ZoningDistributionOptions = {}): ZoningDistribution {
  const n = z.ids.length, Z = z.count;
  if (numerator.length !== n) throw new Error(`invalid numerator: ${numerator.length} values (expected one per block: ${n})`);
  if (denominator.length !== n) throw new Error(`invalid denominator: ${denominator.length} values (expected one per block: ${n})`);
  const factor = options.factor ?? 100, top = options.top ?? 0.2;
  if (!(top > 0 && top <= 1)) throw new Error(`invalid top: ${options.top} (expected a share in (0, 1])`);
  const num = Float64Array.from(numerator), den = Float64Array.from(denominator);
  let maxM = 0;
  for (let zi = 0; zi < Z; zi++) maxM = Math.max(maxM, z.regionCounts[zi]!);
  const rNum = new Float64Array(maxM), rDen = new Float64Array(maxM), rVal = new Float64Array(maxM), sorted = new Float64Array(maxM);
  const above = new Float64Array(maxM);
  const values = new Float32Array(n * Z), ranks = new Float32Array(n * Z);
  const topCount = new Int32Array(n), valid = new Int32Array(n);
  const numeratorTotals = new Float64Array(Z);
  for (let zi = 0; zi < Z; zi++) {
    const m = z.regionCounts[zi]!;
    const off = zi * n;
    rNum.fill(0, 0, m); rDen.fill(0, 0, m);
    for (let i = 0; i < n; i++) { const r = z.labels[off + i]!; rNum[r]! += num[i]!; rDen[r]! += den[i]!; }
    let f = 0, tot = 0;
    for (let r = 0; r < m; r++) {
      tot += rNum[r]!;
      const v = rDen[r]! > 0 && Number.isFinite(rNum[r]!) ? (factor * rNum[r]!) / rDen[r]! : NaN;
      rVal[r] = v;
      if (v === v) sorted[f++] = v;
    }
    numeratorTotals[zi] = tot;
    const s = sorted.subarray(0, f).sort();
    // Regions with a higher value: f − (index of the first value > v).
    for (let r = 0; r < m; r++) {
      const v = rVal[r]!;
      if (v !== v) { above[r] = NaN; continue; }
      let lo = 0, hi = f;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (s[mid]! <= v) lo = mid + 1; else hi = mid; }
      above[r] = f - lo;
    }
    const topN = top * f;
    for (let i = 0; i < n; i++) {
      const r = z.labels[off + i]!;
      const v = rVal[r]!;
      values[i * Z + zi] = v;
      if (v === v) {
        valid[i]!++;
        ranks[i * Z + zi] = f > 1 ? above[r]! / (f - 1) : 0;
        if (above[r]! < topN) topCount[i]!++;
      } else ranks[i * Z + zi] = NaN;
    }
  }
  const min = new Float64Array(n), q1 = new Float64Array(n), median = new Float64Array(n), q3 = new Float64Array(n), max = new Float64Array(n);
  const topShare = new Float64Array(n), medianRankShare = new Float64Array(n);
  const scratch = new Float32Array(Z);
  const quantilesOf = (from: Float32Array, k: number, ps: readonly number[]) => {
    let c = 0;
    for (let zi = 0; zi < Z; zi++) { const v = from[zi]!; if (v === v) scratch[c++] = v; }
    return quantilesInPlace(scratch, c < k ? c : k, ps);
  };
  for (let i = 0; i < n; i++) {
    const k = valid[i]!;
    const [a, b, c, d, e] = quantilesOf(values.subarray(i * Z, (i + 1) * Z), k, [0, 0.25, 0.5, 0.75, 1]);
    min[i] = a!; q1[i] = b!; median[i] = c!; q3[i] = d!; max[i] = e!;
    topShare[i] = k ? topCount[i]! / k : NaN;
    medianRankShare[i] = quantilesOf(ranks.subarray(i * Z, (i + 1) * Z), k, [0.5])[0]!;
  }
  return { ids: [...z.ids], zonings: Z, min, q1, median, q3, max, topShare, medianRankShare, values, numeratorTotals, options: { factor, top } };
}

/** Summary of the zonings: regions per zoning and population per region. */
export interface ZoningSummary {
  zonings: number;
  regions: { min: number; mean: number; max: number };
  population: { min: number; mean: number; max: number };
  minPopulation: number;
  maxPopulation: number;
  floorViolations: number;
  ceilingViolations: number;
}

/**
 * Regions per zoning (min/mean/max), population per region (min/mean/max) and bound violations.
 *
 * @example
 * zoningSummary(z).regions; // { min: 131, mean: 139.2, max: 146 }
 */
export function zoningSummary(z: Zonings): ZoningSummary {
  const n = z.ids.length;
  let rMin = Infinity, rMax = 0, rSum = 0, pMin = Infinity, pMax = 0, pSum = 0, pN = 0;
  for (let zi = 0; zi < z.count; zi++) {
    const m = z.regionCounts[zi]!;
    rMin = Math.min(rMin, m); rMax = Math.max(rMax, m); rSum += m;
    const pop = new Float64Array(m);
    for (let i = 0; i < n; i++) pop[z.labels[zi * n + i]!]! += z.population[i]!;
    for (let r = 0; r < m; r++) { pMin = Math.min(pMin, pop[r]!); pMax = Math.max(pMax, pop[r]!); pSum += pop[r]!; pN++; }
  }
  return {
    zonings: z.count,
    regions: { min: rMin, mean: rSum / z.count, max: rMax },
    population: { min: pMin, mean: pSum / pN, max: pMax },
    minPopulation: z.options.minPopulation, maxPopulation: z.options.maxPopulation,
    floorViolations: z.floorViolations, ceilingViolations: z.ceilingViolations,
  };
}
