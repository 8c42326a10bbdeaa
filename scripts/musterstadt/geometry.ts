/**
 * Geometry of Musterstadt: a seeded irregular city outline, a Voronoi tessellation of block
 * groups clipped to it, coordinate rounding to 0.01 m with snapping (so neighbours keep
 * bit-identical shared edges), edge adjacency, and unions for the coarser area systems.
 *
 * Coordinates are EPSG:25832 (ETRS89 / UTM 32N) metres throughout.
 */
import { Delaunay } from "d3-delaunay";
import polygonClipping from "polygon-clipping";
import type { Rng } from "./prng";

/** `[x, y]` in metres. */
export type Pt = [number, number];
/** Closed ring (first point repeated at the end). */
export type Ring = Pt[];
/** Outer ring first, then holes. */
export type Polygon = Ring[];
/** A list of polygons. */
export type MultiPolygon = Polygon[];

/** Local origin subtracted before shoelace sums so that UTM magnitudes do not cost precision. */
const ORIGIN: Pt = [350000, 5700000];

/**
 * Signed shoelace area in m² (positive = counter-clockwise, y up), computed relative to a
 * local origin for precision.
 *
 * @example
 * ringArea([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]); // 4
 */
export function ringArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const x1 = ring[i][0] - ORIGIN[0], y1 = ring[i][1] - ORIGIN[1];
    const j = (i + 1) % n;
    const x2 = ring[j][0] - ORIGIN[0], y2 = ring[j][1] - ORIGIN[1];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/**
 * Area of a multipolygon in m² (outer rings minus holes, whatever their orientation).
 *
 * @example
 * multiPolygonArea([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]]); // 4
 */
export function multiPolygonArea(mp: MultiPolygon): number {
  let a = 0;
  for (const poly of mp) poly.forEach((ring, k) => (a += k === 0 ? Math.abs(ringArea(ring)) : -Math.abs(ringArea(ring))));
  return a;
}

/**
 * Area-weighted centroid of a multipolygon.
 *
 * @example
 * multiPolygonCentroid([[[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]]); // [1, 1]
 */
export function multiPolygonCentroid(mp: MultiPolygon): Pt {
  let a = 0, cx = 0, cy = 0;
  for (const poly of mp) for (const ring of poly) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const x1 = ring[i][0] - ORIGIN[0], y1 = ring[i][1] - ORIGIN[1];
      const x2 = ring[i + 1][0] - ORIGIN[0], y2 = ring[i + 1][1] - ORIGIN[1];
      const f = x1 * y2 - x2 * y1;
      a += f;
      cx += (x1 + x2) * f;
      cy += (y1 + y2) * f;
    }
  }
  return [cx / (3 * a) + ORIGIN[0], cy / (3 * a) + ORIGIN[1]];
}

/**
 * Even-odd point-in-ring test.
 *
 * @example
 * pointInRing([1, 1], [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]); // true
 */
export function pointInRing(p: Pt, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Rounds to 0.01 m (centimetres).
 *
 * @example
 * round2(357123.4567); // 357123.46
 */
export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Parameters of the city outline. */
export interface OutlineOptions {
  center: Pt;
  /** Target area in m². */
  area: number;
  /** Half extent east–west and north–south before noise (m). */
  semiAxes: Pt;
  vertices: number;
}

/**
 * A seeded, irregular, north–south elongated city outline (star-shaped around `center`, so it
 * is always a simple polygon), wider in the north, scaled to the target area and rounded to
 * 0.01 m. Returned closed and counter-clockwise.
 *
 * @example
 * const ring = makeOutline(createRng(1), { center: [356800, 5715600], area: 100.6e6, semiAxes: [4300, 8300], vertices: 160 });
 * Math.round(ringArea(ring) / 1e6); // 101
 */
export function makeOutline(rng: Rng, o: OutlineOptions): Ring {
  const harmonics = Array.from({ length: 10 }, (_, k) => ({
    k: k + 2,
    amp: (0.085 / Math.pow(k + 2, 0.8)) * rng.uniform(0.4, 1.2),
    phase: rng.uniform(0, 2 * Math.PI),
  }));
  const raw: Pt[] = [];
  for (let i = 0; i < o.vertices; i++) {
    const t = (2 * Math.PI * i) / o.vertices;
    const c = Math.cos(t), s = Math.sin(t);
    // wider in the north (s > 0), a slight waist in the middle
    const ax = o.semiAxes[0] * (1 + 0.16 * s) * (1 - 0.1 * Math.exp(-((s * s) / 0.05)));
    const by = o.semiAxes[1];
    let r = 1 / Math.sqrt((c / ax) ** 2 + (s / by) ** 2);
    let f = 1;
    for (const h of harmonics) f += h.amp * Math.sin(h.k * t + h.phase);
    f += 0.015 * Math.sin(23 * t + harmonics[0].phase) + 0.01 * Math.sin(37 * t + harmonics[1].phase) + rng.uniform(-0.01, 0.01);
    r *= f;
    raw.push([c * r, s * r]);
  }
  const a0 = Math.abs(ringArea(raw.map(([x, y]) => [x + ORIGIN[0], y + ORIGIN[1]] as Pt)));
  const k = Math.sqrt(o.area / a0);
  const ring: Ring = raw.map(([x, y]) => [round2(o.center[0] + k * x), round2(o.center[1] + k * y)]);
  ring.push([ring[0][0], ring[0][1]]);
  if (ringArea(ring) < 0) ring.reverse();
  return ring;
}

/**
 * Seeded dart throwing inside `outline` with a local point density proportional to
 * `weight(x, y)` and a minimum spacing that scales with the local density (a blue-noise
 * pattern: denser where the weight is higher, never clumped).
 *
 * @example
 * const pts = samplePoints(createRng(3), outline, 250, (x, y) => 1);
 * pts.length; // 250
 */
export function samplePoints(rng: Rng, outline: Ring, n: number, weight: (x: number, y: number) => number): Pt[] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of outline) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  // integral of the weight over the outline (grid estimate) and its maximum
  const G = 120;
  let wsum = 0, wmax = 0, cellsIn = 0;
  for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) {
    const p: Pt = [x0 + ((i + 0.5) / G) * (x1 - x0), y0 + ((j + 0.5) / G) * (y1 - y0)];
    if (!pointInRing(p, outline)) continue;
    const w = weight(p[0], p[1]);
    wsum += w; wmax = Math.max(wmax, w); cellsIn++;
  }
  const cellArea = ((x1 - x0) * (y1 - y0)) / (G * G);
  const integral = wsum * cellArea;
  const pts: Pt[] = [];
  const minDist = (x: number, y: number) => 0.72 * Math.sqrt(integral / (n * weight(x, y)));
  let tries = 0;
  while (pts.length < n) {
    if (++tries > 2_000_000) throw new Error(`samplePoints: could only place ${pts.length} of ${n} points`);
    const p: Pt = [rng.uniform(x0, x1), rng.uniform(y0, y1)];
    if (!pointInRing(p, outline)) continue;
    const w = weight(p[0], p[1]);
    if (rng.next() * wmax > w) continue;
    const d = minDist(p[0], p[1]) * (tries > 400_000 ? 0.8 : 1);
    let ok = true;
    for (const q of pts) {
      const dx = q[0] - p[0], dy = q[1] - p[1];
      if (dx * dx + dy * dy < d * d) { ok = false; break; }
    }
    if (ok) pts.push(p);
  }
  void cellsIn;
  return pts;
}

function key(p: Pt): string {
  return `${p[0].toFixed(2)},${p[1].toFixed(2)}`;
}

/**
 * Rounds every vertex of every multipolygon to 0.01 m and snaps vertices that end up within
 * 3 cm of each other onto one representative, so that an edge shared by two areas is written
 * with bit-identical coordinates on both sides. Drops repeated vertices, spikes and
 * degenerate rings. Rings come back closed.
 *
 * @example
 * const [a] = roundAndSnap([[[[[0.004, 0], [10, 0], [10, 10], [0, 0.001]]]]]);
 * a[0][0][0]; // [0, 0]
 */
export function roundAndSnap(mps: MultiPolygon[]): MultiPolygon[] {
  const uniq = new Map<string, Pt>();
  for (const mp of mps) for (const poly of mp) for (const ring of poly) for (const [x, y] of ring) {
    const p: Pt = [round2(x), round2(y)];
    uniq.set(key(p), p);
  }
  const sorted = [...uniq.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cell = 0.05;
  const grid = new Map<string, Pt[]>();
  const rep = new Map<string, Pt>();
  for (const p of sorted) {
    const gx = Math.floor(p[0] / cell), gy = Math.floor(p[1] / cell);
    let found: Pt | undefined;
    for (let dx = -1; dx <= 1 && !found; dx++) for (let dy = -1; dy <= 1 && !found; dy++) {
      for (const q of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
        if (Math.hypot(q[0] - p[0], q[1] - p[1]) < 0.03) { found = q; break; }
      }
    }
    if (found) rep.set(key(p), found);
    else {
      rep.set(key(p), p);
      const g = `${gx},${gy}`;
      if (!grid.has(g)) grid.set(g, []);
      grid.get(g)!.push(p);
    }
  }
  return mps.map((mp) => {
    const out: MultiPolygon = [];
    for (const poly of mp) {
      const rings: Ring[] = [];
      poly.forEach((ring, k) => {
        let pts: Pt[] = ring.map(([x, y]) => rep.get(key([round2(x), round2(y)]))!);
        // open, drop repeats and spikes (a, b, a) until stable
        if (pts.length && key(pts[0]) === key(pts[pts.length - 1])) pts = pts.slice(0, -1);
        let changed = true;
        while (changed && pts.length >= 3) {
          changed = false;
          const next: Pt[] = [];
          for (const p of pts) if (!next.length || key(next[next.length - 1]) !== key(p)) next.push(p);
          while (next.length > 1 && key(next[0]) === key(next[next.length - 1])) next.pop();
          for (let i = 0; i < next.length && next.length >= 3; i++) {
            const a = next[(i + next.length - 1) % next.length], c = next[(i + 1) % next.length];
            if (key(a) === key(c)) {
              next.splice(i, 1);
              changed = true;
              break;
            }
          }
          if (next.length !== pts.length) changed = true;
          pts = next;
        }
        if (pts.length < 3) {
          if (k === 0) rings.length = 0;
          return;
        }
        const closed: Ring = [...pts.map((p) => [p[0], p[1]] as Pt), [pts[0][0], pts[0][1]]];
        if (Math.abs(ringArea(closed)) < 1e-3) return;
        if (k === 0 || rings.length) rings.push(closed);
      });
      if (rings.length) out.push(rings);
    }
    return out;
  });
}

/** Undirected edge key of two vertices (order-independent). */
function edgeKey(a: Pt, b: Pt): string {
  const ka = key(a), kb = key(b);
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
}

/**
 * Adjacency of areas from shared boundary edges (exact, since shared edges are identical after
 * {@link roundAndSnap}); returns for each area a map neighbour index → shared boundary length.
 *
 * @example
 * const adj = edgeAdjacency(cells);
 * [...adj[0].keys()]; // indices of the areas touching area 0
 */
export function edgeAdjacency(mps: MultiPolygon[]): Array<Map<number, number>> {
  const owner = new Map<string, number[]>();
  mps.forEach((mp, i) => {
    for (const poly of mp) for (const ring of poly) for (let k = 0; k + 1 < ring.length; k++) {
      const e = edgeKey(ring[k], ring[k + 1]);
      const list = owner.get(e);
      if (list) list.push(i);
      else owner.set(e, [i]);
    }
  });
  const adj = mps.map(() => new Map<number, number>());
  for (const [e, list] of owner) {
    if (list.length < 2) continue;
    const [a, b] = e.split("|").map((s) => s.split(",").map(Number));
    const len = Math.hypot(a[0] - b[0], a[1] - b[1]);
    for (const i of list) for (const j of list) if (i !== j) adj[i].set(j, (adj[i].get(j) ?? 0) + len);
  }
  return adj;
}

/**
 * Union of multipolygons (polygon-clipping). With inputs from {@link roundAndSnap} the result
 * reuses the input vertices, so it stays on the 0.01 m grid.
 *
 * @example
 * const district = unionAll([cellA, cellB]);
 */
export function unionAll(mps: MultiPolygon[]): MultiPolygon {
  if (!mps.length) return [];
  const [first, ...rest] = mps;
  return polygonClipping.union(first as polygonClipping.MultiPolygon, ...(rest as polygonClipping.MultiPolygon[])) as MultiPolygon;
}

/**
 * Voronoi cells of `points` clipped to `outline`, rounded and snapped to 0.01 m. Where a convex
 * cell falls into two pieces at a concave bay of the outline, the piece without the seed point
 * is merged into the neighbour it shares the longest edge with, so every cell is one piece.
 *
 * @example
 * const cells = voronoiCells(points, outline);
 * cells.length === points.length; // true
 */
export function voronoiCells(points: Pt[], outline: Ring): MultiPolygon[] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of outline) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  const voronoi = Delaunay.from(points).voronoi([x0 - 1000, y0 - 1000, x1 + 1000, y1 + 1000]);
  const mains: MultiPolygon[] = [];
  const fragments: Polygon[] = [];
  points.forEach((p, i) => {
    const cell = voronoi.cellPolygon(i) as unknown as Pt[];
    const clipped = polygonClipping.intersection([cell], [outline]) as MultiPolygon;
    if (!clipped.length) throw new Error(`Voronoi cell ${i} lies outside the outline`);
    let mainIdx = clipped.findIndex((poly) => pointInRing(p, poly[0]));
    if (mainIdx < 0) mainIdx = clipped.map((poly) => Math.abs(ringArea(poly[0]))).reduce((bi, a, k, arr) => (a > arr[bi] ? k : bi), 0);
    mains.push([clipped[mainIdx]]);
    clipped.forEach((poly, k) => { if (k !== mainIdx) fragments.push(poly); });
  });
  const snapped = roundAndSnap([...mains, ...fragments.map((f) => [f])]);
  const cells = snapped.slice(0, mains.length);
  const frags = snapped.slice(mains.length).filter((f) => f.length);
  if (!frags.length) return cells;
  const adj = edgeAdjacency([...cells, ...frags]);
  const extra: MultiPolygon[][] = cells.map(() => []);
  frags.forEach((f, k) => {
    let best = -1, bestLen = 0;
    for (const [j, len] of adj[cells.length + k]) if (j < cells.length && len > bestLen) { best = j; bestLen = len; }
    if (best < 0) throw new Error("Voronoi fragment without a neighbouring cell");
    extra[best].push(f);
  });
  const merged = cells.map((c, i) => (extra[i].length ? unionAll([c, ...extra[i]]) : c));
  return roundAndSnap(merged);
}
