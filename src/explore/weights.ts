/**
 * Spatial weights: which areas are neighbours. Queen and rook contiguity from polygons in a
 * projected CRS (metres), robust to floating-point noise by a distance tolerance; islands
 * (areas without neighbours) reported; row standardisation; GAL files (PySAL/GeoDa) read.
 *
 * Contiguity rules (as in GeoDa/PySAL, but by geometry rather than by identical vertices only):
 * - **queen**: the boundaries touch: a vertex of one area lies within `tolerance` of the
 *   boundary (a vertex or an edge) of the other. This also finds neighbours whose shared
 *   boundary was digitised with different vertices (T-junctions), which PySAL's vertex matching
 *   misses.
 * - **rook**: the boundaries share a line: collinear edges (within `tolerance`) overlap by more
 *   than `minSharedLength` in total. Areas touching only at a point are queen, not rook.
 * Candidates come from a flatbush index over all boundary edges.
 */
import Flatbush from "flatbush";
import type { Position } from "geojson";
import type { AreaGeometry } from "../load/geom";
import { polygonsOf } from "../load/geom";

/** Neighbour structure with weights. */
export interface SpatialWeights {
  /** Area ids, in the order of the input. */
  ids: string[];
  /** Neighbour indices of each area (ascending). */
  neighbours: number[][];
  /** Weight of each neighbour, parallel to `neighbours`. */
  weights: number[][];
  /** `"binary"` (all 1), `"row"` (each row sums to 1), or `"custom"`. */
  transform: "binary" | "row" | "custom";
  /** Indices of areas without neighbours. */
  islands: number[];
  /** For contiguity weights: shared boundary length (CRS units, m) with each neighbour, parallel to `neighbours` (0 for point contacts). */
  sharedLength?: number[][];
}

/** An area as needed for contiguity: an id and its projected geometry. {@link AreaFeature} fits. */
export interface ContiguityArea {
  id: string;
  projected: AreaGeometry;
}

/** Options of {@link contiguityWeights}. */
export interface ContiguityOptions {
  /** `"queen"` (shared point) or `"rook"` (shared edge). Default `"queen"`. */
  rule?: "queen" | "rook";
  /** Distance (CRS units, metres for projected area systems) within which boundaries count as touching. Default 0.01 (1 cm). */
  tolerance?: number;
  /** Rook only: total shared boundary length needed (CRS units). Default: `tolerance`. */
  minSharedLength?: number;
  /** Return row-standardised weights instead of binary ones. Default `false`. */
  rowStandardise?: boolean;
}

interface Seg { area: number; x1: number; y1: number; x2: number; y2: number }

function segmentsOf(g: AreaGeometry): [Position, Position][] {
  const out: [Position, Position][] = [];
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) out.push([ring[i]!, ring[i + 1]!]);
      // close rings given open
      const a = ring[0], b = ring[ring.length - 1];
      if (a && b && (a[0] !== b[0] || a[1] !== b[1])) out.push([b, a]);
    }
  }
  return out;
}

/** Squared distance from point (px, py) to segment s. */
function pointSegDist2(px: number, py: number, s: Seg): number {
  const dx = s.x2 - s.x1, dy = s.y2 - s.y1;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - s.x1) * dx + (py - s.y1) * dy) / l2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = s.x1 + t * dx - px, ey = s.y1 + t * dy - py;
  return ex * ex + ey * ey;
}

/** Length of the collinear overlap of t on s (0 when not collinear within tol). */
function collinearOverlap(s: Seg, t: Seg, tol: number): number {
  const dx = s.x2 - s.x1, dy = s.y2 - s.y1;
  const len = Math.hypot(dx, dy);
  if (len === 0) return 0;
  const ux = dx / len, uy = dy / len;
  // perpendicular distances of t's endpoints to the line through s
  const d1 = Math.abs((t.x1 - s.x1) * uy - (t.y1 - s.y1) * ux);
  const d2 = Math.abs((t.x2 - s.x1) * uy - (t.y2 - s.y1) * ux);
  if (d1 > tol || d2 > tol) return 0;
  const p1 = (t.x1 - s.x1) * ux + (t.y1 - s.y1) * uy;
  const p2 = (t.x2 - s.x1) * ux + (t.y2 - s.y1) * uy;
  const lo = Math.max(0, Math.min(p1, p2));
  const hi = Math.min(len, Math.max(p1, p2));
  return hi > lo ? hi - lo : 0;
}

/**
 * Queen or rook contiguity weights from polygons (projected coordinates), binary by default.
 * Islands (areas without any neighbour, including empty geometries) are listed in `islands`.
 * Multipart areas are neighbours of everything any part touches.
 *
 * @param areas areas with `id` and `projected` geometry (e.g. `system.features`)
 * @param options `rule` (default queen), `tolerance` (default 0.01 m), `minSharedLength` (rook; default = tolerance), `rowStandardise` (default false)
 * @example
 * const plr = await loadAreaSystem(".../LOR_2023-01-01_PLR_EPSG_25833_nur_ID.shp", { idField: "PLR_ID" });
 * const w = contiguityWeights(plr.features, { rule: "queen" });
 * neighbourStats(w); // { n: 542, min: …, mean: …, max: …, islands: [] … }
 */
export function contiguityWeights(areas: readonly ContiguityArea[], options: ContiguityOptions = {}): SpatialWeights {
  const rule = options.rule ?? "queen";
  if (rule !== "queen" && rule !== "rook") throw new RangeError(`invalid rule: ${JSON.stringify(rule)} (expected "queen" or "rook")`);
  const tol = options.tolerance ?? 0.01;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`invalid tolerance: ${tol} (expected a finite number ≥ 0)`);
  const minShared = options.minSharedLength ?? tol;

  const segs: Seg[] = [];
  areas.forEach((a, i) => {
    for (const [p, q] of segmentsOf(a.projected)) {
      if (p[0] === q[0] && p[1] === q[1]) continue;
      segs.push({ area: i, x1: p[0]!, y1: p[1]!, x2: q[0]!, y2: q[1]! });
    }
  });
  const n = areas.length;
  // pair key -> shared length (a<b), or -1 when only a point contact
  const shared = new Map<number, number>();
  const key = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  if (segs.length) {
    const index = new Flatbush(segs.length);
    for (const s of segs) index.add(Math.min(s.x1, s.x2), Math.min(s.y1, s.y2), Math.max(s.x1, s.x2), Math.max(s.y1, s.y2));
    index.finish();
    const tol2 = tol * tol;
    for (const s of segs) {
      const hits = index.search(Math.min(s.x1, s.x2) - tol, Math.min(s.y1, s.y2) - tol, Math.max(s.x1, s.x2) + tol, Math.max(s.y1, s.y2) + tol);
      for (const h of hits) {
        const t = segs[h]!;
        if (t.area === s.area) continue;
        const k = key(s.area, t.area);
        // collinear overlap (rook); counted from the lower-numbered area's edges only
        if (s.area < t.area) {
          const ov = collinearOverlap(s, t, tol);
          if (ov > 0) { shared.set(k, Math.max(0, shared.get(k) ?? 0) + ov); continue; }
        }
        if (!shared.has(k)) {
          // point contact (queen): an endpoint of one within tol of the other
          if (pointSegDist2(s.x1, s.y1, t) <= tol2 || pointSegDist2(s.x2, s.y2, t) <= tol2 ||
              pointSegDist2(t.x1, t.y1, s) <= tol2 || pointSegDist2(t.x2, t.y2, s) <= tol2) shared.set(k, -1);
        }
      }
    }
  }
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  const lengths: number[][] = Array.from({ length: n }, () => []);
  const pairs = [...shared].sort((a, b) => a[0] - b[0]);
  for (const [k, len] of pairs) {
    const a = Math.floor(k / n), b = k % n;
    const l = Math.max(0, len);
    if (rule === "rook" && !(l > minShared)) continue;
    neighbours[a]!.push(b); lengths[a]!.push(l);
    neighbours[b]!.push(a); lengths[b]!.push(l);
  }
  for (let i = 0; i < n; i++) {
    const order = neighbours[i]!.map((_, j) => j).sort((x, y) => neighbours[i]![x]! - neighbours[i]![y]!);
    neighbours[i] = order.map((j) => neighbours[i]![j]!);
    lengths[i] = order.map((j) => lengths[i]![j]!);
  }
  const w: SpatialWeights = {
    ids: areas.map((a) => a.id),
    neighbours,
    weights: neighbours.map((nb) => nb.map(() => 1)),
    transform: "binary",
    islands: neighbours.flatMap((nb, i) => (nb.length ? [] : [i])),
    sharedLength: lengths,
  };
  return options.rowStandardise ? rowStandardise(w) : w;
}

/**
 * Row-standardised copy: each area's weights divided by their sum (rows of islands stay empty).
 *
 * @example
 * rowStandardise(w).weights[0]; // e.g. [0.25, 0.25, 0.25, 0.25]
 */
export function rowStandardise(w: SpatialWeights): SpatialWeights {
  return {
    ...w,
    weights: w.weights.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return s ? row.map((x) => x / s) : row.slice();
    }),
    transform: "row",
  };
}

/**
 * Weights from neighbour lists given by id (binary, or with given weights), checked for unknown
 * ids. Neighbour lists need not be symmetric.
 *
 * @param ids area ids in order
 * @param neighbours neighbour ids per area id
 * @example
 * const w = weightsFromNeighbours(["a", "b", "c"], { a: ["b"], b: ["a", "c"], c: ["b"] });
 * w.neighbours; // [[1], [0, 2], [1]]
 */
export function weightsFromNeighbours(ids: readonly string[], neighbours: Record<string, readonly string[]> | Map<string, readonly string[]>): SpatialWeights {
  const pos = new Map(ids.map((id, i) => [id, i] as const));
  if (pos.size !== ids.length) throw new RangeError("invalid ids: duplicates");
  const get = (id: string) => (neighbours instanceof Map ? neighbours.get(id) : neighbours[id]) ?? [];
  const nb = ids.map((id) => {
    const list = get(id).map((o) => {
      const j = pos.get(o);
      if (j === undefined) throw new RangeError(`invalid neighbour: ${JSON.stringify(o)} of ${JSON.stringify(id)} (not among the ids)`);
      return j;
    });
    return [...new Set(list)].sort((a, b) => a - b);
  });
  return { ids: ids.slice(), neighbours: nb, weights: nb.map((r) => r.map(() => 1)), transform: "binary", islands: nb.flatMap((r, i) => (r.length ? [] : [i])) };
}

/**
 * Reads a GAL file (GeoDa/PySAL neighbour list: a header with the number of areas, then per area
 * a line "id count" and a line of neighbour ids). Area order is the order in the file.
 *
 * @example
 * const w = parseGal(readFileSync("test/fixtures/spatial/desmith.gal", "utf8"));
 * w.ids.length; // 10
 */
export function parseGal(text: string): SpatialWeights {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length);
  const header = lines[0]?.split(/\s+/) ?? [];
  const n = Number(header.length === 1 ? header[0] : header[1]);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid GAL header: ${JSON.stringify(lines[0])}`);
  const ids: string[] = [];
  const lists = new Map<string, string[]>();
  let li = 1;
  for (let i = 0; i < n; i++) {
    const head = lines[li++]?.split(/\s+/);
    if (!head || head.length < 2) throw new RangeError(`invalid GAL: area ${i + 1} of ${n} has no "id count" line`);
    const [id, cnt] = [head[0]!, Number(head[1])];
    const nbs = cnt > 0 ? (lines[li++] ?? "").split(/\s+/) : [];
    if (nbs.length !== cnt) throw new RangeError(`invalid GAL: area ${JSON.stringify(id)} declares ${cnt} neighbours, lists ${nbs.length}`);
    ids.push(id);
    lists.set(id, nbs);
  }
  return weightsFromNeighbours(ids, lists);
}

/**
 * Regular lattice of `rows` × `cols` cells (row-major ids `"r,c"`) with rook or queen neighbours,
 * as PySAL's `lat2W`. Useful for tests and examples.
 *
 * @example
 * lattice(3, 3, "rook").neighbours[4]; // [1, 3, 5, 7]
 */
export function lattice(rows: number, cols: number, rule: "queen" | "rook" = "rook"): SpatialWeights {
  const ids: string[] = [];
  const nb: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ids.push(`${r},${c}`);
      const list: number[] = [];
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if (!dr && !dc) continue;
          if (rule === "rook" && dr && dc) continue;
          const rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) list.push(rr * cols + cc);
        }
      }
      nb.push(list.sort((a, b) => a - b));
    }
  }
  return { ids, neighbours: nb, weights: nb.map((l) => l.map(() => 1)), transform: "binary", islands: nb.flatMap((l, i) => (l.length ? [] : [i])) };
}

/** Summary of a neighbour structure. */
export interface NeighbourStats {
  /** Number of areas. */
  n: number;
  /** Fewest, mean and most neighbours. */
  min: number;
  mean: number;
  max: number;
  /** Number of areas per neighbour count (index = count). */
  histogram: number[];
  /** Ids of areas without neighbours. */
  islands: string[];
  /** Whether every link has its reverse. */
  symmetric: boolean;
  /** Share of non-zero weights, `nonZero / n²`. */
  density: number;
}

/**
 * Neighbour-count statistics of weights (min / mean / max, histogram, islands, symmetry).
 *
 * @example
 * neighbourStats(lattice(3, 3, "rook")); // { n: 9, min: 2, mean: 2.67, max: 4, … }
 */
export function neighbourStats(w: SpatialWeights): NeighbourStats {
  const counts = w.neighbours.map((l) => l.length);
  const n = counts.length;
  const max = n ? Math.max(...counts) : 0;
  const histogram = new Array<number>(max + 1).fill(0);
  for (const c of counts) histogram[c]!++;
  const links = new Set<number>();
  w.neighbours.forEach((l, i) => l.forEach((j) => links.add(i * n + j)));
  let symmetric = true;
  for (const k of links) if (!links.has((k % n) * n + Math.floor(k / n))) { symmetric = false; break; }
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    n, min: n ? Math.min(...counts) : 0, mean: n ? total / n : NaN, max, histogram,
    islands: w.islands.map((i) => w.ids[i]!), symmetric, density: n ? total / (n * n) : 0,
  };
}

/**
 * Weights restricted to a subset of areas (e.g. those with a value): links to dropped areas are
 * removed, islands recomputed; the weights keep their values (re-standardise afterwards if needed).
 *
 * @param keep whether each area stays (parallel to `w.ids`)
 * @example
 * const sub = subsetWeights(w, values.map(Number.isFinite));
 */
export function subsetWeights(w: SpatialWeights, keep: readonly boolean[]): SpatialWeights {
  if (keep.length !== w.ids.length) throw new RangeError(`invalid keep: length ${keep.length} (expected ${w.ids.length})`);
  const newIndex = new Int32Array(keep.length).fill(-1);
  let m = 0;
  keep.forEach((k, i) => { if (k) newIndex[i] = m++; });
  const ids: string[] = [], neighbours: number[][] = [], weights: number[][] = [], lengths: number[][] = [];
  keep.forEach((k, i) => {
    if (!k) return;
    ids.push(w.ids[i]!);
    const nb: number[] = [], wt: number[] = [], ln: number[] = [];
    w.neighbours[i]!.forEach((j, t) => {
      if (newIndex[j]! >= 0) { nb.push(newIndex[j]!); wt.push(w.weights[i]![t]!); ln.push(w.sharedLength?.[i]?.[t] ?? 0); }
    });
    neighbours.push(nb); weights.push(wt); lengths.push(ln);
  });
  return {
    ids, neighbours, weights, transform: w.transform === "binary" ? "binary" : "custom",
    islands: neighbours.flatMap((l, i) => (l.length ? [] : [i])),
    ...(w.sharedLength ? { sharedLength: lengths } : {}),
  };
}
