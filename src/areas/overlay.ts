/**
 * Fast overlap areas of two polygon sets in the same projected CRS (metres): for every pair
 * (source i, target j) that overlaps, the area of `source[i] ∩ target[j]` in m², without
 * building the intersection geometries.
 *
 * Method (Green's theorem on edges). The area of P ∩ Q is the boundary integral of
 * ½(x dy − y dx) over ∂(P ∩ Q), and ∂(P ∩ Q) consists of the parts of ∂P inside Q and the parts
 * of ∂Q inside P. So each source edge is split where it crosses target edges, each piece is
 * credited to the targets whose winding number is non-zero along it, and likewise for target
 * edges. Crossing edge pairs come from a uniform grid, the winding number at each ring's first
 * vertex from a point-in-polygon test (targets found with a flatbush index), and then each ring
 * is walked once. More precisely the result is ∫∫ w_P · w_Q dA with w the winding numbers (outer
 * rings counted counter-clockwise, holes clockwise, whatever their stored orientation): the
 * intersection area for valid (OGC) polygons, and for overlapping parts of one multipolygon
 * the same double counting that `geometryArea` does.
 *
 * Degenerate contacts (shared edges, vertices on edges, identical polygons) are resolved by
 * symbolic perturbation: the targets are treated as shifted by an infinitesimal (ε, ε²). The
 * area is continuous in that shift, so the result is the exact limit, and every topological
 * decision is taken by exact orientation predicates (a floating-point filter with an exact
 * BigInt fallback), so the crossing events and point-in-polygon tests never contradict each
 * other. Only the crossing points themselves are rounded.
 */
import Flatbush from "flatbush";
import type { AreaGeometry } from "../load/geom";
import { polygonsOf } from "../load/geom";
import type { AreaSystem } from "../load/geometry";

/** Options of {@link overlapAreas}. */
export interface OverlapOptions {
  /**
   * Pairs whose overlap area is at most `zeroTolerance × min(source area, target area)` count as
   * contacts (rounding noise of touching boundaries) and are left out. Default `1e-12`.
   */
  zeroTolerance?: number;
}

/**
 * Result of {@link overlapAreas}: one entry per overlapping pair, sorted by source, then target
 * (struct of arrays: pair `k` is `source[k]`, `target[k]`, `areaM2[k]`).
 */
export interface OverlapTable {
  /** Number of pairs. */
  length: number;
  /** Source index (position in the source list) of each pair. */
  source: Int32Array;
  /** Target index of each pair. */
  target: Int32Array;
  /** Overlap area of each pair (squared units of the coordinates: m² for projected data). */
  areaM2: Float64Array;
  /** Area of every source geometry (outer rings minus holes, as `geometryArea`). */
  sourceAreaM2: Float64Array;
  /** Area of every target geometry. */
  targetAreaM2: Float64Array;
  /** Pairs left out as contacts by `zeroTolerance`. */
  contacts: number;
}

// ---------------------------------------------------------------------------------------------
// Exact orientation

const EPSILON = 2 ** -53;
const CCW_ERRBOUND = (3 + 16 * EPSILON) * EPSILON;

/**
 * Orientation of point c relative to the directed line a→b: positive when c lies to the left
 * (a, b, c counter-clockwise), negative to the right, 0 exactly when collinear. The sign is
 * exact (Shewchuk's floating-point filter, with an exact BigInt evaluation when the filter
 * cannot decide); the magnitude is twice the triangle's area, rounded.
 *
 * @example
 * orient2d(0, 0, 1, 0, 0, 1); // 1 (left)
 * orient2d(0.1, 0.1, 0.2, 0.2, 0.3, 0.3); // 0 (exactly collinear although 0.1 + 0.2 ≠ 0.3)
 */
export function orient2d(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const detleft = (ax - cx) * (by - cy);
  const detright = (ay - cy) * (bx - cx);
  const det = detleft - detright;
  let detsum: number;
  if (detleft > 0) {
    if (detright <= 0) return det;
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return det;
    detsum = -detleft - detright;
  } else return det;
  if (Math.abs(det) >= CCW_ERRBOUND * detsum) return det;
  return orientExact(ax, ay, bx, by, cx, cy);
}

/** Smallest k ≥ 0 with x·2^k an integer (doubling is exact). */
function binaryScale(x: number): number {
  let k = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  return k;
}

function toBig(x: number, k: number): bigint {
  // x·2^k in steps that cannot overflow for coordinates (|x| < 1e15).
  let y = x;
  let r = k;
  while (r > 0) {
    const step = Math.min(r, 512);
    y *= 2 ** step;
    r -= step;
  }
  return BigInt(y);
}

function orientExact(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const k = Math.max(binaryScale(ax), binaryScale(ay), binaryScale(bx), binaryScale(by), binaryScale(cx), binaryScale(cy));
  const AX = toBig(ax, k), AY = toBig(ay, k), BX = toBig(bx, k), BY = toBig(by, k), CX = toBig(cx, k), CY = toBig(cy, k);
  const det = (AX - CX) * (BY - CY) - (AY - CY) * (BX - CX);
  if (det === 0n) return 0;
  const v = Number(det) * 2 ** (-2 * k);
  return v !== 0 && Number.isFinite(v) ? v : det > 0n ? Number.MIN_VALUE : -Number.MIN_VALUE;
}

// ---------------------------------------------------------------------------------------------
// Perturbed sides. The targets are shifted by s·(ε, ε²) relative to the sources (s = +1 when the
// walked set is the sources, −1 when it is the targets).

/** Side (+1 left, −1 right) of an own point c relative to the other set's edge a→b shifted by s·δ. */
function sideOfPoint(cx: number, cy: number, ax: number, ay: number, bx: number, by: number, s: number): number {
  const o = orient2d(ax, ay, bx, by, cx, cy);
  if (o > 0) return 1;
  if (o < 0) return -1;
  const dy = by - ay;
  if (dy !== 0) return dy > 0 ? s : -s;
  return bx - ax > 0 ? -s : s;
}

/** Side of the other set's point a (shifted by s·δ) relative to an own edge p→q. */
function sideOfShifted(ax: number, ay: number, px: number, py: number, qx: number, qy: number, s: number): number {
  const o = orient2d(px, py, qx, qy, ax, ay);
  if (o > 0) return 1;
  if (o < 0) return -1;
  const ey = qy - py;
  if (ey !== 0) return ey > 0 ? -s : s;
  return qx - px > 0 ? s : -s;
}

// ---------------------------------------------------------------------------------------------
// Flat polygon sets

interface FlatSet {
  n: number;
  xs: Float64Array;
  ys: Float64Array;
  /** Next vertex of the ring (edge v runs from v to next[v]). */
  next: Int32Array;
  /** Polygon of each vertex/edge. */
  poly: Int32Array;
  /** Ring sign of each edge: +1/−1 (see `ringSign`), 0 for edges to skip (zero length, degenerate ring). */
  sign: Int8Array;
  ringStart: Int32Array;
  ringEnd: Int32Array;
  ringSign: Int8Array;
  /** Rings of polygon p: polyRing[p] … polyRing[p + 1] − 1. */
  polyRing: Int32Array;
  /** Bounding boxes, 4 per polygon (empty polygons: +Inf/−Inf). */
  bbox: Float64Array;
  area: Float64Array;
  /** Origin of each polygon for the pair integrals (its bbox centre). */
  ox: Float64Array;
  oy: Float64Array;
  edgeLength: number;
}

function flatten(geoms: readonly (AreaGeometry | null | undefined)[], x0: number, y0: number, what: string): FlatSet {
  let nv = 0, nr = 0;
  const polys = geoms.map((g, i) => {
    if (g !== null && g !== undefined && (typeof g !== "object" || (g.type !== "Polygon" && g.type !== "MultiPolygon"))) {
      throw new Error(`invalid ${what}[${i}]: ${JSON.stringify((g as { type?: unknown })?.type ?? g)} (expected a GeoJSON Polygon or MultiPolygon)`);
    }
    const ps = polygonsOf(g);
    for (const p of ps) for (const r of p) { nv += r.length; nr++; }
    return ps;
  });
  const n = geoms.length;
  const xs = new Float64Array(nv), ys = new Float64Array(nv);
  const next = new Int32Array(nv), poly = new Int32Array(nv), sign = new Int8Array(nv);
  const ringStart = new Int32Array(nr), ringEnd = new Int32Array(nr), ringSign = new Int8Array(nr);
  const polyRing = new Int32Array(n + 1);
  const bbox = new Float64Array(4 * n);
  const area = new Float64Array(n);
  const ox = new Float64Array(n), oy = new Float64Array(n);
  let v = 0, r = 0;
  let lenSum = 0, lenN = 0;
  for (let p = 0; p < n; p++) {
    polyRing[p] = r;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    let a = 0;
    for (const rings of polys[p]!) {
      for (let k = 0; k < rings.length; k++) {
        const ring = rings[k]!;
        let m = ring.length;
        while (m > 1 && ring[m - 1]![0] === ring[0]![0] && ring[m - 1]![1] === ring[0]![1]) m--;
        const start = v;
        for (let t = 0; t < m; t++) {
          const pt = ring[t]!;
          const px = pt[0]!, py = pt[1]!;
          if (!Number.isFinite(px) || !Number.isFinite(py)) {
            throw new Error(`invalid ${what}[${p}]: coordinate ${JSON.stringify(pt)} (expected finite numbers)`);
          }
          xs[v] = px - x0;
          ys[v] = py - y0;
          if (px < minX) minX = px;
          if (px > maxX) maxX = px;
          if (py < minY) minY = py;
          if (py > maxY) maxY = py;
          poly[v] = p;
          next[v] = t === m - 1 ? start : v + 1;
          v++;
        }
        // Signed area on the shifted coordinates, relative to the first vertex (shoelace).
        let twice = 0;
        if (m >= 3) {
          const sx = xs[start]!, sy = ys[start]!;
          for (let e = start + 1; e < v - 1; e++) twice += (xs[e]! - sx) * (ys[e + 1]! - sy) - (xs[e + 1]! - sx) * (ys[e]! - sy);
        }
        const signed = twice / 2;
        const s = signed === 0 ? 0 : (k === 0 ? 1 : -1) * (signed > 0 ? 1 : -1);
        a += s * signed;
        for (let e = start; e < v; e++) {
          const q = next[e]!;
          const zero = xs[e] === xs[q] && ys[e] === ys[q];
          sign[e] = zero ? 0 : s;
          if (!zero && s !== 0) {
            lenSum += Math.abs(xs[q]! - xs[e]!) + Math.abs(ys[q]! - ys[e]!);
            lenN++;
          }
        }
        ringStart[r] = start;
        ringEnd[r] = v;
        ringSign[r] = s;
        r++;
      }
    }
    bbox[4 * p] = minX - x0;
    bbox[4 * p + 1] = minY - y0;
    bbox[4 * p + 2] = maxX - x0;
    bbox[4 * p + 3] = maxY - y0;
    area[p] = a;
    ox[p] = minX <= maxX ? (minX + maxX) / 2 - x0 : 0;
    oy[p] = minY <= maxY ? (minY + maxY) / 2 - y0 : 0;
  }
  polyRing[n] = r;
  return { n, xs, ys, next, poly, sign, ringStart, ringEnd, ringSign, polyRing, bbox, area, ox, oy, edgeLength: lenN ? lenSum / lenN : 0 };
}

// ---------------------------------------------------------------------------------------------
// Crossing events

/** Crossing events per edge (CSR): for edge e, events off[e] … off[e + 1] − 1, sorted by t. */
interface Events {
  off: Int32Array;
  t: Float64Array;
  poly: Int32Array;
  dw: Int8Array;
}

class EventList {
  edge: number[] = [];
  t: number[] = [];
  poly: number[] = [];
  dw: number[] = [];
  push(edge: number, t: number, poly: number, dw: number): void {
    this.edge.push(edge);
    this.t.push(t);
    this.poly.push(poly);
    this.dw.push(dw);
  }
  build(nEdges: number): Events {
    const m = this.edge.length;
    const off = new Int32Array(nEdges + 1);
    for (let k = 0; k < m; k++) off[this.edge[k]! + 1]!++;
    for (let e = 0; e < nEdges; e++) off[e + 1]! += off[e]!;
    const fill = off.slice(0, nEdges);
    const t = new Float64Array(m), poly = new Int32Array(m), dw = new Int8Array(m);
    for (let k = 0; k < m; k++) {
      const at = fill[this.edge[k]!]!++;
      t[at] = this.t[k]!;
      poly[at] = this.poly[k]!;
      dw[at] = this.dw[k]!;
    }
    // Insertion sort by t within each edge (few events per edge).
    for (let e = 0; e < nEdges; e++) {
      for (let i = off[e]! + 1; i < off[e + 1]!; i++) {
        const ti = t[i]!, pi = poly[i]!, di = dw[i]!;
        let j = i - 1;
        while (j >= off[e]! && t[j]! > ti) {
          t[j + 1] = t[j]!;
          poly[j + 1] = poly[j]!;
          dw[j + 1] = dw[j]!;
          j--;
        }
        t[j + 1] = ti;
        poly[j + 1] = pi;
        dw[j + 1] = di;
      }
    }
    return { off, t, poly, dw };
  }
}

/** All proper crossings (under the perturbation) between source edges and target edges. */
function crossings(A: FlatSet, B: FlatSet): { a: Events; b: Events } {
  const evA = new EventList();
  const evB = new EventList();
  // Common extent of the two sets.
  let ax0 = Infinity, ay0 = Infinity, ax1 = -Infinity, ay1 = -Infinity;
  for (let p = 0; p < A.n; p++) {
    ax0 = Math.min(ax0, A.bbox[4 * p]!); ay0 = Math.min(ay0, A.bbox[4 * p + 1]!);
    ax1 = Math.max(ax1, A.bbox[4 * p + 2]!); ay1 = Math.max(ay1, A.bbox[4 * p + 3]!);
  }
  let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
  for (let p = 0; p < B.n; p++) {
    bx0 = Math.min(bx0, B.bbox[4 * p]!); by0 = Math.min(by0, B.bbox[4 * p + 1]!);
    bx1 = Math.max(bx1, B.bbox[4 * p + 2]!); by1 = Math.max(by1, B.bbox[4 * p + 3]!);
  }
  const gx0 = Math.max(ax0, bx0), gy0 = Math.max(ay0, by0), gx1 = Math.min(ax1, bx1), gy1 = Math.min(ay1, by1);
  const nA = A.xs.length, nB = B.xs.length;
  if (!(gx0 <= gx1 && gy0 <= gy1)) return { a: evA.build(nA), b: evB.build(nB) };
  const W = gx1 - gx0, H = gy1 - gy0;
  // Cell size: about twice the longer mean edge, with at most ~4 cells per edge overall.
  let cs = 2 * Math.max(A.edgeLength, B.edgeLength);
  const cap = 4 * (nA + nB) + 16;
  if (!(cs > 0) || ((W / cs) + 1) * ((H / cs) + 1) > cap) cs = Math.max(Math.sqrt((W * H) / cap), (W + H) / cap, 1e-9);
  const nx = Math.max(1, Math.min(Math.ceil(W / cs), 1 << 15)), ny = Math.max(1, Math.min(Math.ceil(H / cs), 1 << 15));
  const fx = nx / (W || 1), fy = ny / (H || 1);
  const cellX = (x: number) => { const c = Math.floor((x - gx0) * fx); return c < 0 ? 0 : c >= nx ? nx - 1 : c; };
  const cellY = (y: number) => { const c = Math.floor((y - gy0) * fy); return c < 0 ? 0 : c >= ny ? ny - 1 : c; };
  // Target edges into the grid (CSR by cell).
  const { xs: bxs, ys: bys, next: bnext, sign: bsign } = B;
  const count = new Int32Array(nx * ny + 1);
  const inGrid = (x0: number, y0: number, x1: number, y1: number) => x1 >= gx0 && x0 <= gx1 && y1 >= gy0 && y0 <= gy1;
  for (let f = 0; f < nB; f++) {
    if (bsign[f] === 0) continue;
    const g = bnext[f]!;
    const x0 = Math.min(bxs[f]!, bxs[g]!), x1 = Math.max(bxs[f]!, bxs[g]!), y0 = Math.min(bys[f]!, bys[g]!), y1 = Math.max(bys[f]!, bys[g]!);
    if (!inGrid(x0, y0, x1, y1)) continue;
    const cx0 = cellX(x0), cx1 = cellX(x1), cy0 = cellY(y0), cy1 = cellY(y1);
    for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) count[cy * nx + cx + 1]!++;
  }
  for (let c = 0; c < nx * ny; c++) count[c + 1]! += count[c]!;
  const items = new Int32Array(count[nx * ny]!);
  const fill = count.slice(0, nx * ny);
  for (let f = 0; f < nB; f++) {
    if (bsign[f] === 0) continue;
    const g = bnext[f]!;
    const x0 = Math.min(bxs[f]!, bxs[g]!), x1 = Math.max(bxs[f]!, bxs[g]!), y0 = Math.min(bys[f]!, bys[g]!), y1 = Math.max(bys[f]!, bys[g]!);
    if (!inGrid(x0, y0, x1, y1)) continue;
    const cx0 = cellX(x0), cx1 = cellX(x1), cy0 = cellY(y0), cy1 = cellY(y1);
    for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) items[fill[cy * nx + cx]!++] = f;
  }
  const stamp = new Int32Array(nB).fill(-1);
  const { xs: axs, ys: ays, next: anext, sign: asign, poly: apoly } = A;
  const bpoly = B.poly;
  for (let e = 0; e < nA; e++) {
    const se = asign[e]!;
    if (se === 0) continue;
    const e1 = anext[e]!;
    const px = axs[e]!, py = ays[e]!, qx = axs[e1]!, qy = ays[e1]!;
    const x0 = px < qx ? px : qx, x1 = px < qx ? qx : px, y0 = py < qy ? py : qy, y1 = py < qy ? qy : py;
    if (!inGrid(x0, y0, x1, y1)) continue;
    const cx0 = cellX(x0), cx1 = cellX(x1), cy0 = cellY(y0), cy1 = cellY(y1);
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * nx + cx;
        for (let k = count[c]!, kEnd = count[c + 1]!; k < kEnd; k++) {
          const f = items[k]!;
          if (stamp[f] === e) continue;
          stamp[f] = e;
          const f1 = bnext[f]!;
          const ax = bxs[f]!, ay = bys[f]!, bx = bxs[f1]!, by = bys[f1]!;
          if ((ax < x0 && bx < x0) || (ax > x1 && bx > x1) || (ay < y0 && by < y0) || (ay > y1 && by > y1)) continue;
          const sp = sideOfPoint(px, py, ax, ay, bx, by, 1);
          const sq = sideOfPoint(qx, qy, ax, ay, bx, by, 1);
          if (sp === sq) continue;
          const sa = sideOfShifted(ax, ay, px, py, qx, qy, 1);
          const sb = sideOfShifted(bx, by, px, py, qx, qy, 1);
          if (sa === sb) continue;
          // Parameters along both edges (rounded; topology is already decided).
          const o0 = orient2d(ax, ay, bx, by, px, py), o1 = orient2d(ax, ay, bx, by, qx, qy);
          let t = o0 / (o0 - o1);
          t = t > 0 ? (t < 1 ? t : 1) : 0;
          const u0 = orient2d(px, py, qx, qy, ax, ay), u1 = orient2d(px, py, qx, qy, bx, by);
          let u = u0 / (u0 - u1);
          u = u > 0 ? (u < 1 ? u : 1) : 0;
          const sf = bsign[f]!;
          evA.push(e, t, bpoly[f]!, sp < 0 ? sf : -sf);
          evB.push(f, u, apoly[e]!, sa < 0 ? se : -se);
        }
      }
    }
  }
  return { a: evA.build(nA), b: evB.build(nB) };
}

// ---------------------------------------------------------------------------------------------
// Winding numbers and ring walks

/** Winding number of polygon q of `other` (shifted by s·δ) around the point (cx, cy). */
function winding(other: FlatSet, q: number, cx: number, cy: number, s: number): number {
  const { xs, ys, next, sign, ringStart, ringEnd, ringSign, polyRing } = other;
  let w = 0;
  for (let r = polyRing[q]!; r < polyRing[q + 1]!; r++) {
    const rs = ringSign[r]!;
    if (rs === 0) continue;
    for (let e = ringStart[r]!; e < ringEnd[r]!; e++) {
      if (sign[e] === 0) continue;
      const f = next[e]!;
      const ax = xs[e]!, ay = ys[e]!, bx = xs[f]!, by = ys[f]!;
      const aAbove = ay > cy || (ay === cy && s > 0);
      const bAbove = by > cy || (by === cy && s > 0);
      if (aAbove === bAbove) continue;
      if (ax < cx && bx < cx) continue;
      const side = sideOfPoint(cx, cy, ax, ay, bx, by, s);
      if (!aAbove && side > 0) w += rs;
      else if (aAbove && side < 0) w -= rs;
    }
  }
  return w;
}

/**
 * Walks every ring of `own`, crediting the boundary integral of each piece to the polygons of
 * `other` with non-zero winding number there. `ownIsSource` selects whose origin the pair
 * integrals use (always the source polygon's) and how pairs are emitted.
 */
function walk(own: FlatSet, other: FlatSet, ev: Events, s: number, ownIsSource: boolean, emit: (i: number, j: number, a: number) => void): void {
  const index = new Flatbush(Math.max(other.n, 1));
  for (let q = 0; q < other.n; q++) {
    const b = other.bbox;
    if (b[4 * q]! <= b[4 * q + 2]!) index.add(b[4 * q]!, b[4 * q + 1]!, b[4 * q + 2]!, b[4 * q + 3]!);
    else index.add(Infinity, Infinity, Infinity, Infinity);
  }
  if (other.n === 0) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  const wind = new Int32Array(other.n);
  const acc = new Float64Array(other.n);
  const touched = new Uint8Array(other.n);
  const touchedList: number[] = [];
  const active: number[] = [];
  const { xs, ys, next, ringStart, ringEnd, ringSign, polyRing } = own;
  const { off, t: evT, poly: evPoly, dw: evDw } = ev;
  const oox = own.ox, ooy = own.oy, tox = other.ox, toy = other.oy;
  for (let p = 0; p < own.n; p++) {
    for (let r = polyRing[p]!; r < polyRing[p + 1]!; r++) {
      const rs = ringSign[r]!;
      if (rs === 0) continue;
      const v0 = ringStart[r]!;
      const sx = xs[v0]!, sy = ys[v0]!;
      for (const q of index.search(sx, sy, sx, sy)) {
        const w = winding(other, q, sx, sy, s);
        if (w !== 0) {
          wind[q] = w;
          active.push(q);
        }
      }
      const half = 0.5 * rs;
      for (let e = v0; e < ringEnd[r]!; e++) {
        const f = next[e]!;
        const x0 = xs[e]!, y0 = ys[e]!, x1 = xs[f]!, y1 = ys[f]!;
        let cx = x0, cy = y0;
        const k1 = off[e + 1]!;
        for (let k = off[e]!; k <= k1; k++) {
          let X: number, Y: number;
          if (k < k1) {
            const t = evT[k]!;
            X = t === 0 ? x0 : t === 1 ? x1 : x0 + t * (x1 - x0);
            Y = t === 0 ? y0 : t === 1 ? y1 : y0 + t * (y1 - y0);
          } else {
            X = x1;
            Y = y1;
          }
          for (let a = 0; a < active.length; a++) {
            const q = active[a]!;
            const ox = ownIsSource ? oox[p]! : tox[q]!, oy = ownIsSource ? ooy[p]! : toy[q]!;
            acc[q]! += wind[q]! * half * ((cx - ox) * (Y - oy) - (X - ox) * (cy - oy));
            if (!touched[q]) {
              touched[q] = 1;
              touchedList.push(q);
            }
          }
          if (k < k1) {
            const q = evPoly[k]!;
            const before = wind[q]!;
            const after = before + evDw[k]!;
            wind[q] = after;
            if (before === 0) active.push(q);
            else if (after === 0) {
              const at = active.indexOf(q);
              active[at] = active[active.length - 1]!;
              active.pop();
            }
            cx = X;
            cy = Y;
          }
        }
      }
      for (const q of active) wind[q] = 0;
      active.length = 0;
    }
    for (const q of touchedList) {
      if (ownIsSource) emit(p, q, acc[q]!);
      else emit(q, p, acc[q]!);
      acc[q] = 0;
      touched[q] = 0;
    }
    touchedList.length = 0;
  }
}

/**
 * Intersection areas of every overlapping pair of a source and a target polygon set (both in
 * the same projected CRS; areas come out in squared coordinate units, m² for metres).
 * `null` geometries are allowed and overlap nothing. Exact up to the rounding of crossing
 * points, also for holes, multipolygons, shared edges and identical polygons (see the module
 * comment); zero-area contacts give no pair.
 *
 * @param sources source geometries (e.g. `system.features.map((f) => f.projected)`)
 * @param targets target geometries
 * @throws `invalid sources[i]: …` for a geometry that is not a Polygon/MultiPolygon or has non-finite coordinates
 * @example
 * const square = (x: number, y: number, s: number): Polygon => ({ type: "Polygon", coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });
 * const o = overlapAreas([square(0, 0, 2)], [square(1, 1, 2), square(5, 5, 1)]);
 * o.length;    // 1
 * o.target[0]; // 0
 * o.areaM2[0]; // 1
 */
export function overlapAreas(
  sources: readonly (AreaGeometry | null | undefined)[],
  targets: readonly (AreaGeometry | null | undefined)[],
  options: OverlapOptions = {},
): OverlapTable {
  const tol = options.zeroTolerance ?? 1e-12;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new Error(`invalid zeroTolerance: ${tol} (expected a finite number ≥ 0)`);
  if (!Array.isArray(sources)) throw new Error(`invalid sources: ${typeof sources} (expected an array of Polygon/MultiPolygon geometries)`);
  if (!Array.isArray(targets)) throw new Error(`invalid targets: ${typeof targets} (expected an array of Polygon/MultiPolygon geometries)`);
  // A common integer origin: subtracting it is exact and keeps products small.
  let mx = Infinity, my = Infinity;
  for (const list of [sources, targets]) {
    for (const g of list) {
      for (const poly of polygonsOf(g ?? null)) {
        const p = poly[0]?.[0];
        if (p && Number.isFinite(p[0]) && Number.isFinite(p[1])) {
          if (p[0]! < mx) mx = p[0]!;
          if (p[1]! < my) my = p[1]!;
        }
      }
    }
  }
  const x0 = Number.isFinite(mx) ? Math.floor(mx) : 0, y0 = Number.isFinite(my) ? Math.floor(my) : 0;
  const A = flatten(sources, x0, y0, "sources");
  const B = flatten(targets, x0, y0, "targets");
  const ev = crossings(A, B);
  const key = new Map<number, number>();
  const pi: number[] = [], pj: number[] = [], pa: number[] = [];
  const emit = (i: number, j: number, a: number) => {
    const k = i * B.n + j;
    const at = key.get(k);
    if (at === undefined) {
      key.set(k, pa.length);
      pi.push(i);
      pj.push(j);
      pa.push(a);
    } else pa[at]! += a;
  };
  walk(A, B, ev.a, 1, true, emit);
  walk(B, A, ev.b, -1, false, emit);
  const order: number[] = [];
  let contacts = 0;
  for (let k = 0; k < pa.length; k++) {
    const limit = tol * Math.min(Math.abs(A.area[pi[k]!]!), Math.abs(B.area[pj[k]!]!));
    if (pa[k]! > limit) order.push(k);
    else contacts++;
  }
  order.sort((a, b) => pi[a]! - pi[b]! || pj[a]! - pj[b]!);
  const m = order.length;
  const out: OverlapTable = {
    length: m, source: new Int32Array(m), target: new Int32Array(m), areaM2: new Float64Array(m),
    sourceAreaM2: A.area, targetAreaM2: B.area, contacts,
  };
  order.forEach((k, n) => {
    out.source[n] = pi[k]!;
    out.target[n] = pj[k]!;
    out.areaM2[n] = pa[k]!;
  });
  return out;
}

/**
 * {@link overlapAreas} of two loaded area systems, on their projected geometries; throws when
 * the systems are not in the same projected CRS (load the second with `metricCrs` set to the
 * first's CRS).
 *
 * @example
 * const o = overlapSystems(plr, wahlbezirke);
 * plr.features[o.source[0]].id; // "01100101"
 */
export function overlapSystems(source: AreaSystem, target: AreaSystem, options: OverlapOptions = {}): OverlapTable {
  assertSameCrs(source, target);
  return overlapAreas(source.features.map((f) => f.projected), target.features.map((f) => f.projected), options);
}

/**
 * Throws `invalid target CRS: …` unless both systems use the same projected CRS.
 *
 * @example
 * assertSameCrs(plr, wahlbezirke); // ok when both are EPSG:25833
 */
export function assertSameCrs(source: Pick<AreaSystem, "id" | "crs" | "crsName" | "epsg">, target: Pick<AreaSystem, "id" | "crs" | "crsName" | "epsg">): void {
  const same = source.epsg !== undefined && target.epsg !== undefined ? source.epsg === target.epsg : source.crs === target.crs;
  if (!same) {
    throw new Error(`invalid target CRS: ${target.crsName} of ${JSON.stringify(target.id)} (expected the source's CRS ${source.crsName} of ${JSON.stringify(source.id)}; load it with metricCrs: ${JSON.stringify(source.crsName)})`);
  }
}
