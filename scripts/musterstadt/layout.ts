/**
 * The area hierarchy of Musterstadt: outline → block groups (Voronoi) → statistical districts
 * (contiguous unions of block groups) → Stadtbezirke (unions of statistical districts).
 */
import {
  edgeAdjacency, makeOutline, multiPolygonArea, multiPolygonCentroid, samplePoints, unionAll, voronoiCells,
  type MultiPolygon, type Pt, type Ring,
} from "./geometry";
import { STADTBEZIRKE, STATBEZ_NAMES } from "./names";
import type { Rng } from "./prng";

/** Bounding box of the outline. */
export interface Frame { x0: number; y0: number; x1: number; y1: number }

/** A block group (Baublockgruppe). */
export interface BlockGroupGeo {
  id: string;
  name: string;
  statbezId: string;
  stbzId: string;
  geometry: MultiPolygon;
  centroid: Pt;
  /** Area in m². */
  area: number;
  /** Relative north position of the centroid in the city frame (0 = south edge, 1 = north edge). */
  north: number;
}

/** A statistical district or Stadtbezirk. */
export interface DistrictGeo {
  id: string;
  name: string;
  parentId?: string;
  geometry: MultiPolygon;
  /** Indices into the block group list. */
  members: number[];
}

/** The geography of the city. */
export interface Geography {
  frame: Frame;
  outline: Ring;
  blockGroups: BlockGroupGeo[];
  statbez: DistrictGeo[];
  stadtbezirke: DistrictGeo[];
  /** Block group adjacency: neighbour index → shared boundary length (m). */
  adjacency: Array<Map<number, number>>;
  /** Expected residents per km² at a point (before scaling to the city total). */
  density: (x: number, y: number) => number;
}

/** Options of the geography. */
export interface GeographyOptions {
  blockGroups: number;
  /** City area in m². */
  area: number;
  center: Pt;
  semiAxes: Pt;
}

function gauss(x: number, y: number, c: Pt, sigma: number): number {
  const dx = x - c[0], dy = y - c[1];
  return Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
}

/**
 * The cells reachable from `start` over `adjacency` through cells that pass `include`
 * (depth-first; `seen` is shared so callers can sweep all components), in visiting order.
 *
 * @example
 * const seen = new Set<number>();
 * connectedComponent(0, adjacency, (j) => labels[j] === 3, seen); // [0, 4, 5]
 */
export function connectedComponent(start: number, adjacency: ReadonlyArray<ReadonlyMap<number, number>>, include: (j: number) => boolean, seen: Set<number>): number[] {
  const comp: number[] = [];
  const stack = [start];
  seen.add(start);
  while (stack.length) {
    const i = stack.pop()!;
    comp.push(i);
    for (const j of adjacency[i].keys()) if (include(j) && !seen.has(j)) { seen.add(j); stack.push(j); }
  }
  return comp;
}

/**
 * A seeded population density surface: a dense urban south (old mining areas) and centre, a
 * thin rural north with two village cores, and some empty patches (industry, forest).
 *
 * @example
 * const dens = makeDensity(createRng(5), { x0: 352000, y0: 5707000, x1: 362000, y1: 5725000 });
 * dens(357000, 5709000) > dens(357000, 5722000); // true: the south is denser
 */
export function makeDensity(rng: Rng, f: Frame): (x: number, y: number) => number {
  const w = f.x1 - f.x0, h = f.y1 - f.y0;
  const cx = (f.x0 + f.x1) / 2;
  const centre: Pt = [cx + rng.uniform(-600, 600), f.y0 + 0.36 * h];
  const villages: Array<{ c: Pt; a: number; s: number }> = [
    { c: [cx + rng.uniform(-500, 500), f.y0 + 0.74 * h], a: 2300, s: 650 },
    { c: [cx + rng.uniform(-2200, -1200), f.y0 + 0.87 * h], a: 1300, s: 450 },
    { c: [cx + rng.uniform(1200, 2000), f.y0 + 0.6 * h], a: 900, s: 420 },
  ];
  const holes: Array<{ c: Pt; s: number }> = Array.from({ length: 5 }, () => ({
    c: [f.x0 + rng.uniform(0.2, 0.8) * w, f.y0 + rng.uniform(0.05, 0.45) * h] as Pt,
    s: rng.uniform(250, 450),
  }));
  return (x, y) => {
    const v = (y - f.y0) / h;
    const urban = 1 / (1 + Math.exp((v - 0.49) / 0.035));
    let d = 190 + 2350 * urban + 2300 * gauss(x, y, centre, 1300);
    for (const vi of villages) d += vi.a * gauss(x, y, vi.c, vi.s);
    for (const ho of holes) d *= 1 - 0.75 * gauss(x, y, ho.c, ho.s);
    return d;
  };
}

/** Reassigns every non-largest connected piece of a label to its best-connected neighbouring label. */
function repairContiguity(labels: number[], adj: Array<Map<number, number>>, allowed: (i: number, label: number) => boolean): void {
  for (let round = 0; round < 50; round++) {
    let changed = false;
    const labelSet = [...new Set(labels)].sort((a, b) => a - b);
    for (const L of labelSet) {
      const members = labels.map((l, i) => (l === L ? i : -1)).filter((i) => i >= 0);
      const seen = new Set<number>();
      const comps: number[][] = [];
      for (const s of members) {
        if (seen.has(s)) continue;
        comps.push(connectedComponent(s, adj, (j) => labels[j] === L, seen).sort((a, b) => a - b));
      }
      if (comps.length < 2) continue;
      comps.sort((a, b) => b.length - a.length || a[0] - b[0]);
      for (const comp of comps.slice(1)) {
        const score = new Map<number, number>();
        for (const i of comp) for (const [j, len] of adj[i]) {
          const M = labels[j];
          if (M !== L && allowed(i, M)) score.set(M, (score.get(M) ?? 0) + len);
        }
        const best = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
        if (!best) continue;
        for (const i of comp) labels[i] = best[0];
        changed = true;
      }
    }
    if (!changed) return;
  }
}

/** Deterministic k-means on points (farthest-point initialisation from the northernmost point). */
function kMeans(points: Pt[], k: number): number[] {
  const start = points.reduce((bi, p, i) => (p[1] > points[bi][1] ? i : bi), 0);
  const centres: Pt[] = [points[start]];
  while (centres.length < k) {
    let best = 0, bestD = -1;
    points.forEach((p, i) => {
      const d = Math.min(...centres.map((c) => Math.hypot(c[0] - p[0], c[1] - p[1])));
      if (d > bestD) { bestD = d; best = i; }
    });
    centres.push(points[best]);
  }
  let labels = points.map(() => 0);
  for (let it = 0; it < 40; it++) {
    labels = points.map((p) => {
      let best = 0, bestD = Infinity;
      centres.forEach((c, j) => {
        const d = Math.hypot(c[0] - p[0], c[1] - p[1]);
        if (d < bestD) { bestD = d; best = j; }
      });
      return best;
    });
    for (let j = 0; j < k; j++) {
      const mine = points.filter((_, i) => labels[i] === j);
      if (mine.length) centres[j] = [mine.reduce((s, p) => s + p[0], 0) / mine.length, mine.reduce((s, p) => s + p[1], 0) / mine.length];
    }
  }
  return labels;
}

/** Sort key: north to south in 600 m bands, west to east within a band. */
function readingOrder(a: Pt, b: Pt): number {
  const ba = Math.floor(-a[1] / 600), bb = Math.floor(-b[1] / 600);
  return ba - bb || a[0] - b[0];
}

/**
 * Builds the outline, block groups, statistical districts and Stadtbezirke with ids and names.
 *
 * @example
 * const geo = buildGeography(createRng(7).fork("geometry"), { blockGroups: 250, area: 100.6e6, center: [356800, 5715700], semiAxes: [4300, 8300] });
 * geo.statbez.length; // 17
 */
export function buildGeography(rng: Rng, o: GeographyOptions): Geography {
  const outline = makeOutline(rng.fork("outline"), { center: o.center, area: o.area, semiAxes: o.semiAxes, vertices: 180 });
  const frame: Frame = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const [x, y] of outline) {
    frame.x0 = Math.min(frame.x0, x); frame.y0 = Math.min(frame.y0, y);
    frame.x1 = Math.max(frame.x1, x); frame.y1 = Math.max(frame.y1, y);
  }
  const density = makeDensity(rng.fork("density"), frame);
  const points = samplePoints(rng.fork("points"), outline, o.blockGroups, (x, y) => Math.pow(density(x, y), 0.72));
  const cells = voronoiCells(points, outline);
  const adj0 = edgeAdjacency(cells);
  const centroids = cells.map(multiPolygonCentroid);
  const h = frame.y1 - frame.y0, w = frame.x1 - frame.x0;
  const north = centroids.map(([, y]) => (y - frame.y0) / h);
  const wig = rng.fork("wiggle");
  const ph1 = wig.uniform(0, 2 * Math.PI), ph2 = wig.uniform(0, 2 * Math.PI);
  const wiggle = (x: number, ph: number) => 0.035 * Math.sin((2 * Math.PI * 1.3 * (x - frame.x0)) / w + ph);

  // Stadtbezirke: 0 = Mitte, 1 = Süd, 2 = Heidekirchen (north)
  const stbzLabel: number[] = centroids.map(([x], i) => (north[i] + wiggle(x, ph1) > 0.5 ? 2 : -1));
  const rest = centroids.map((c, i) => i).filter((i) => stbzLabel[i] < 0);
  const restKey = (i: number) => north[i] + wiggle(centroids[i][0], ph2);
  const sortedRest = rest.slice().sort((a, b) => restKey(a) - restKey(b) || a - b);
  const nSouth = Math.round(0.44 * rest.length);
  sortedRest.forEach((i, k) => (stbzLabel[i] = k < nSouth ? 1 : 0));
  repairContiguity(stbzLabel, adj0, () => true);

  // statistical districts: k-means within each Stadtbezirk, then contiguity repair
  const counts = [STATBEZ_NAMES["01"].length, STATBEZ_NAMES["02"].length, STATBEZ_NAMES["03"].length];
  const districtLabel = cells.map(() => -1);
  let offset = 0;
  for (let s = 0; s < 3; s++) {
    const idx = cells.map((_, i) => i).filter((i) => stbzLabel[i] === s);
    const lab = kMeans(idx.map((i) => centroids[i]), counts[s]);
    idx.forEach((i, k) => (districtLabel[i] = offset + lab[k]));
    offset += counts[s];
  }
  repairContiguity(districtLabel, adj0, (i, L) => {
    const s = L < counts[0] ? 0 : L < counts[0] + counts[1] ? 1 : 2;
    return s === stbzLabel[i];
  });

  // ids and names: districts in reading order within their Stadtbezirk
  const districtCentroid = new Map<number, Pt>();
  for (const L of new Set(districtLabel)) {
    const mine = cells.map((_, i) => i).filter((i) => districtLabel[i] === L);
    const a = mine.reduce((s, i) => s + multiPolygonArea(cells[i]), 0);
    districtCentroid.set(L, [
      mine.reduce((s, i) => s + centroids[i][0] * multiPolygonArea(cells[i]), 0) / a,
      mine.reduce((s, i) => s + centroids[i][1] * multiPolygonArea(cells[i]), 0) / a,
    ]);
  }
  const statbez: DistrictGeo[] = [];
  const blockGroups: BlockGroupGeo[] = [];
  const order: number[] = [];
  STADTBEZIRKE.forEach((sb, s) => {
    const labels = [...new Set(districtLabel.filter((_, i) => stbzLabel[i] === s))];
    labels.sort((a, b) => readingOrder(districtCentroid.get(a)!, districtCentroid.get(b)!));
    if (labels.length !== counts[s]) throw new Error(`Stadtbezirk ${sb.id}: ${labels.length} districts instead of ${counts[s]}`);
    labels.forEach((L, k) => {
      const id = `${sb.id}${String(k + 1).padStart(2, "0")}`;
      const name = STATBEZ_NAMES[sb.id][k];
      const mine = cells.map((_, i) => i).filter((i) => districtLabel[i] === L);
      mine.sort((a, b) => readingOrder(centroids[a], centroids[b]));
      const members: number[] = [];
      mine.forEach((i, n) => {
        members.push(blockGroups.length);
        order.push(i);
        blockGroups.push({
          id: `${id}${String(n + 1).padStart(3, "0")}`,
          name: `${name} ${n + 1}`,
          statbezId: id,
          stbzId: sb.id,
          geometry: cells[i],
          centroid: centroids[i],
          area: multiPolygonArea(cells[i]),
          north: north[i],
        });
      });
      statbez.push({ id, name, parentId: sb.id, geometry: unionAll(mine.map((i) => cells[i])), members });
    });
  });
  const stadtbezirke: DistrictGeo[] = STADTBEZIRKE.map((sb) => {
    const members = blockGroups.map((b, i) => (b.stbzId === sb.id ? i : -1)).filter((i) => i >= 0);
    return { id: sb.id, name: sb.name, geometry: unionAll(statbez.filter((d) => d.parentId === sb.id).map((d) => d.geometry)), members };
  });
  const inv = new Map(order.map((orig, k) => [orig, k] as [number, number]));
  const adjacency = order.map((orig) => new Map([...adj0[orig]].map(([j, len]) => [inv.get(j)!, len] as [number, number])));
  return { frame, outline, blockGroups, statbez, stadtbezirke, adjacency, density };
}
