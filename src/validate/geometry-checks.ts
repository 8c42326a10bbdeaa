/**
 * Geometry checks of the validator: duplicate ids, empty/degenerate/unclosed/self-intersecting
 * geometry, gaps and overlaps in a tessellation, and nesting in a parent system.
 */
import Flatbush from "flatbush";
import polygonClipping from "polygon-clipping";
import type { Position } from "geojson";
import type { AreaFeature, AreaSystem } from "../load/geometry";
import { AreaGeometry, BBox, geometryArea, geometryBBox, polygonsOf, ringSignedArea } from "../load/geom";
import type { Finding } from "./report";

type PcGeom = polygonClipping.Geom;
const asPc = (g: AreaGeometry): PcGeom => polygonsOf(g) as unknown as PcGeom;
const pcArea = (mp: polygonClipping.MultiPolygon): number => geometryArea({ type: "MultiPolygon", coordinates: mp as unknown as Position[][][] });

/** Options of the geometry checks; see `ValidateOptions`. */
export interface GeometryCheckOptions {
  /** Overlaps and gaps smaller than this (m²) are ignored. Default 1. */
  areaToleranceM2: number;
  /** Share of a child's area allowed outside its parent (digitising slivers). Default 0.005 (0.5 %). */
  nestingTolerance: number;
  /** Findings of one check and system listed one by one before a summary takes over. Default 50. */
  maxFindingsPerCheck: number;
}

class Limited {
  private n = new Map<string, number>();
  constructor(private out: Finding[], private max: number) {}
  push(f: Finding): void {
    const k = `${f.areaSystem}|${f.check}`;
    const c = (this.n.get(k) ?? 0) + 1;
    this.n.set(k, c);
    if (c <= this.max) this.out.push(f);
  }
  flush(): void {
    for (const [k, c] of this.n) {
      if (c > this.max) {
        const [areaSystem, check] = k.split("|");
        const sample = this.out.find((f) => f.areaSystem === areaSystem && f.check === check)!;
        this.out.push({ severity: sample.severity, check, areaSystem, file: sample.file, value: c, message: `… insgesamt ${c} Befunde der Prüfung ${check}; nur die ersten ${this.max} sind einzeln aufgeführt` });
      }
    }
  }
}

/**
 * Checks ids and geometry validity of one area system.
 *
 * @example
 * const findings: Finding[] = [];
 * checkIdsAndValidity(plr, findings, defaults);
 */
export function checkIdsAndValidity(sys: AreaSystem, out: Finding[], opt: GeometryCheckOptions): void {
  const lim = new Limited(out, opt.maxFindingsPerCheck);
  const file = sys.source.file;
  const byId = new Map<string, AreaFeature[]>();
  for (const f of sys.features) {
    const l = byId.get(f.id);
    if (l) l.push(f);
    else byId.set(f.id, [f]);
  }
  for (const [id, fs] of byId) {
    if (fs.length > 1) {
      lim.push({
        severity: "error", check: "duplicate-id", file, areaSystem: sys.id, areaId: id, row: fs[1].index, rowKind: "feature", field: sys.idField, value: fs.length,
        message: `Gebiets-ID ${JSON.stringify(id)} kommt ${fs.length}-mal vor (Objekte ${fs.map((f) => f.index).join(", ")}${fs.some((f) => f.name) ? `; Namen ${fs.map((f) => JSON.stringify(f.name)).join(", ")}` : ""})`,
        expected: "eindeutige Gebiets-IDs",
      });
    }
  }
  for (const f of sys.features) {
    const base = { file, areaSystem: sys.id, areaId: f.id, row: f.index, rowKind: "feature" as const };
    const polys = polygonsOf(f.projected);
    if (polys.length === 0) {
      lim.push({ ...base, severity: "error", check: "empty-geometry", message: "Geometrie ist leer", expected: "ein Polygon mit Fläche" });
      continue;
    }
    let bad = false; // short or unclosed rings: the segment test would be meaningless
    polys.forEach((poly, p) =>
      poly.forEach((ring, r) => {
        const where = `Polygon ${p}, Ring ${r}`;
        if (ring.length < 4) {
          bad = true;
          lim.push({ ...base, severity: "error", check: "degenerate-ring", value: ring.length, message: `${where} hat nur ${ring.length} Punkte`, expected: "mindestens 4 Punkte (geschlossener Ring)" });
          return;
        }
        const a = ring[0], b = ring[ring.length - 1];
        if (a[0] !== b[0] || a[1] !== b[1]) {
          bad = true;
          lim.push({ ...base, severity: "error", check: "unclosed-ring", message: `${where} ist nicht geschlossen (erster ≠ letzter Punkt)`, expected: "erster Punkt = letzter Punkt" });
        }
        if (Math.abs(ringSignedArea(ring)) < 1e-6) {
          lim.push({ ...base, severity: "error", check: "degenerate-ring", value: 0, message: `${where} hat die Fläche 0`, expected: "eine Fläche > 0" });
        }
      }),
    );
    if (!bad) {
      const x = selfIntersection(f.projected);
      if (x) {
        lim.push({ ...base, severity: "error", check: "self-intersection", message: `Geometrie schneidet sich selbst bei (${x[0].toFixed(1)}, ${x[1].toFixed(1)})`, expected: "eine gültige Geometrie ohne Selbstüberschneidung" });
      }
    }
  }
  lim.flush();
}

/** First proper crossing of two non-adjacent segments of a geometry, or undefined. */
function selfIntersection(g: AreaGeometry): [number, number] | undefined {
  const xs: number[] = [], ys: number[] = [], xe: number[] = [], ye: number[] = [], ringOf: number[] = [], posOf: number[] = [], ringLen: number[] = [];
  let ringNo = 0;
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      const n = ring.length - 1;
      for (let i = 0; i < n; i++) {
        xs.push(ring[i][0]); ys.push(ring[i][1]); xe.push(ring[i + 1][0]); ye.push(ring[i + 1][1]);
        ringOf.push(ringNo); posOf.push(i);
      }
      ringLen.push(n);
      ringNo++;
    }
  }
  const m = xs.length;
  if (m < 4) return undefined;
  const index = new Flatbush(m);
  for (let i = 0; i < m; i++) index.add(Math.min(xs[i], xe[i]), Math.min(ys[i], ye[i]), Math.max(xs[i], xe[i]), Math.max(ys[i], ye[i]));
  index.finish();
  const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  for (let i = 0; i < m; i++) {
    const hits = index.search(Math.min(xs[i], xe[i]), Math.min(ys[i], ye[i]), Math.max(xs[i], xe[i]), Math.max(ys[i], ye[i]));
    for (const j of hits) {
      if (j <= i) continue;
      if (ringOf[i] === ringOf[j]) {
        const d = Math.abs(posOf[i] - posOf[j]);
        if (d === 1 || d === ringLen[ringOf[i]] - 1) continue;
      }
      const o1 = orient(xs[i], ys[i], xe[i], ye[i], xs[j], ys[j]);
      const o2 = orient(xs[i], ys[i], xe[i], ye[i], xe[j], ye[j]);
      const o3 = orient(xs[j], ys[j], xe[j], ye[j], xs[i], ys[i]);
      const o4 = orient(xs[j], ys[j], xe[j], ye[j], xe[i], ye[i]);
      if (o1 * o2 < 0 && o3 * o4 < 0) {
        const t = ((xs[j] - xs[i]) * (ye[j] - ys[j]) - (ys[j] - ys[i]) * (xe[j] - xs[j])) / ((xe[i] - xs[i]) * (ye[j] - ys[j]) - (ye[i] - ys[i]) * (xe[j] - xs[j]));
        return [xs[i] + t * (xe[i] - xs[i]), ys[i] + t * (ye[i] - ys[i])];
      }
    }
  }
  return undefined;
}

function bboxOverlap(a: BBox, b: BBox): BBox | undefined {
  const r: BBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] < r[2] && r[1] < r[3] ? r : undefined;
}

/** Sutherland–Hodgman clip of a geometry to a rectangle: fewer vertices, same area inside it. */
function clipToBox(g: AreaGeometry, bb: BBox): PcGeom {
  const out: Position[][][] = [];
  for (const poly of polygonsOf(g)) {
    const rings: Position[][] = [];
    for (const ring of poly) {
      let pts: Position[] = ring.slice(0, ring.length - 1);
      for (let edge = 0; edge < 4 && pts.length; edge++) {
        const inside = (p: Position) => (edge === 0 ? p[0] >= bb[0] : edge === 1 ? p[0] <= bb[2] : edge === 2 ? p[1] >= bb[1] : p[1] <= bb[3]);
        const cut = (p: Position, q: Position): Position => {
          if (edge < 2) {
            const x = edge === 0 ? bb[0] : bb[2];
            return [x, p[1] + ((q[1] - p[1]) * (x - p[0])) / (q[0] - p[0])];
          }
          const y = edge === 2 ? bb[1] : bb[3];
          return [p[0] + ((q[0] - p[0]) * (y - p[1])) / (q[1] - p[1]), y];
        };
        const next: Position[] = [];
        for (let i = 0; i < pts.length; i++) {
          const p = pts[i], q = pts[(i + 1) % pts.length];
          const pi = inside(p), qi = inside(q);
          if (pi) next.push(p);
          if (pi !== qi) next.push(cut(p, q));
        }
        pts = next;
      }
      if (pts.length >= 3) rings.push([...pts, pts[0]]);
      else if (rings.length === 0) break; // outer ring vanished
    }
    if (rings.length) out.push(rings);
  }
  return out as unknown as PcGeom;
}

/**
 * Intersection area (m²) of two geometries, computed on their parts inside the common bounding
 * box (polygon-clipping). Returns 0 when the boxes do not overlap.
 *
 * @example
 * intersectionArea(a.projected, b.projected); // 0 for neighbours in a clean tessellation
 */
export function intersectionArea(a: AreaGeometry, b: AreaGeometry): number {
  const ba = geometryBBox(a), bb = geometryBBox(b);
  if (!ba || !bb) return 0;
  const box = bboxOverlap(ba, bb);
  if (!box) return 0;
  const ca = clipToBox(a, box), cb = clipToBox(b, box);
  if ((ca as unknown[]).length === 0 || (cb as unknown[]).length === 0) return 0;
  return pcArea(polygonClipping.intersection(ca, cb));
}

/**
 * Checks a system meant to cover its territory without gaps or overlaps: pairwise overlaps
 * (flatbush candidates, polygon-clipping intersection) listed as pairs with m², gaps as holes
 * in the union, and the sum of areas against the area of the union.
 *
 * @example
 * checkTessellation(plr, findings, defaults);
 */
export function checkTessellation(sys: AreaSystem, out: Finding[], opt: GeometryCheckOptions): void {
  const lim = new Limited(out, opt.maxFindingsPerCheck);
  const file = sys.source.file;
  const feats = sys.features.filter((f) => polygonsOf(f.projected).length > 0);
  if (feats.length < 2) return;
  const boxes = feats.map((f) => geometryBBox(f.projected)!);
  const index = new Flatbush(feats.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  let overlapSum = 0;
  for (let i = 0; i < feats.length; i++) {
    for (const j of index.search(...boxes[i])) {
      if (j <= i) continue;
      let a: number;
      try {
        a = intersectionArea(feats[i].projected, feats[j].projected);
      } catch (e) {
        lim.push({ severity: "warning", check: "geometry-check-failed", file, areaSystem: sys.id, areaId: `${feats[i].id} / ${feats[j].id}`, message: `Überlappung nicht prüfbar: ${(e as Error).message}` });
        continue;
      }
      overlapSum += a;
      if (a > opt.areaToleranceM2) {
        lim.push({
          severity: "error", check: "overlap", file, areaSystem: sys.id, areaId: `${feats[i].id} / ${feats[j].id}`, row: feats[i].index, rowKind: "feature", value: a,
          message: `Gebiete ${JSON.stringify(feats[i].id)} (Objekt ${feats[i].index}) und ${JSON.stringify(feats[j].id)} (Objekt ${feats[j].index}) überlappen sich auf ${formatM2(a)}`,
          expected: `keine Überlappung (Toleranz ${opt.areaToleranceM2} m²)`,
        });
      }
    }
  }
  // Coverage: the boundary of the union from edges not shared with a neighbour (fast, exact
  // where neighbours share vertices, as in every topologically built boundary file); falls back
  // to a polygon-clipping union when most edges are unshared.
  let loops = boundaryLoops(feats.map((f) => f.projected));
  let method = "Kantenabgleich";
  if (!loops) {
    method = "Vereinigung (polygon-clipping)";
    try {
      const parts = feats.map((f) => asPc(f.projected));
      const union = polygonClipping.union(parts[0], ...parts.slice(1));
      loops = union.flatMap((poly) => poly.map((ring, r) => {
        const a = Math.abs(ringSignedArea(ring as unknown as Position[]));
        return { area: r === 0 ? a : -a, at: ring[0] as unknown as Position };
      }));
    } catch (e) {
      lim.push({ severity: "warning", check: "geometry-check-failed", file, areaSystem: sys.id, message: `Vereinigung nicht berechenbar, Lücken nicht geprüft: ${(e as Error).message}` });
    }
  }
  if (loops) {
    const unionArea = loops.reduce((s, l) => s + l.area, 0);
    const sum = feats.reduce((s, f) => s + f.areaM2, 0);
    out.push({
      severity: "info", check: "tessellation-area", file, areaSystem: sys.id, value: sum - unionArea,
      message: `Summe der Flächen ${formatM2(sum)}, Fläche der Vereinigung ${formatM2(unionArea)} (${method}), Differenz ${formatM2(sum - unionArea)}; paarweise Überlappungen zusammen ${formatM2(overlapSum)}`,
    });
    for (const l of loops) {
      if (l.area < -opt.areaToleranceM2) {
        lim.push({
          severity: "warning", check: "gap", file, areaSystem: sys.id, value: -l.area,
          message: `Lücke von ${formatM2(-l.area)} zwischen den Gebieten bei (${l.at[0].toFixed(0)}, ${l.at[1].toFixed(0)}), von keinem Gebiet abgedeckt`,
          expected: `lückenlose Abdeckung (Toleranz ${opt.areaToleranceM2} m²); echte Enklaven außerhalb des Gebiets sind erlaubt`,
        });
      }
    }
  }
  lim.flush();
}

/**
 * Loops of the edges no neighbour shares (each ring oriented outer-counter-clockwise), with
 * signed area: positive = outer boundary of the union, negative = a hole in it (a gap).
 * Returns undefined when more than half of the edges are unshared (vertices not shared between
 * neighbours), where this method says nothing.
 */
function boundaryLoops(geoms: AreaGeometry[]): { area: number; at: Position }[] | undefined {
  const key = (p: Position) => `${p[0]},${p[1]}`;
  const edges = new Map<string, number>(); // "a|b" -> count
  let total = 0;
  const rings: Position[][] = [];
  for (const g of geoms) {
    for (const poly of polygonsOf(g)) {
      poly.forEach((ring, r) => {
        const ccw = ringSignedArea(ring) > 0;
        const oriented = (r === 0) === ccw ? ring : ring.slice().reverse();
        rings.push(oriented);
      });
    }
  }
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const k = `${key(ring[i])}|${key(ring[i + 1])}`;
      if (k.split("|")[0] === k.split("|")[1]) continue;
      edges.set(k, (edges.get(k) ?? 0) + 1);
      total++;
    }
  }
  const unmatched: [Position, Position][] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = key(ring[i]), b = key(ring[i + 1]);
      if (a === b) continue;
      const back = edges.get(`${b}|${a}`) ?? 0;
      if (back > 0) edges.set(`${b}|${a}`, back - 1); // consume one partner
      else unmatched.push([ring[i], ring[i + 1]]);
    }
  }
  if (unmatched.length > total / 2) return undefined;
  const out = new Map<string, [Position, Position][]>();
  for (const e of unmatched) {
    const k = key(e[0]);
    const l = out.get(k);
    if (l) l.push(e);
    else out.set(k, [e]);
  }
  const loops: { area: number; at: Position }[] = [];
  for (const start of unmatched) {
    const l = out.get(key(start[0]));
    if (!l || !l.includes(start)) continue;
    let area = 0;
    let e: [Position, Position] | undefined = start;
    const x0 = start[0][0], y0 = start[0][1];
    let guard = unmatched.length + 1;
    while (e && guard-- > 0) {
      const list = out.get(key(e[0]))!;
      list.splice(list.indexOf(e), 1);
      area += ((e[0][0] - x0) * (e[1][1] - y0) - (e[1][0] - x0) * (e[0][1] - y0)) / 2;
      const nextList = out.get(key(e[1]));
      e = nextList && nextList.length ? nextList[0] : undefined;
    }
    loops.push({ area, at: start[0] });
  }
  return loops;
}

/**
 * Checks a system that declares a parent: every child names a parent id, that parent exists,
 * and the child lies within the parent up to `nestingTolerance` of its area.
 *
 * @example
 * checkNesting(plr, bzr, findings, defaults);
 */
export function checkNesting(child: AreaSystem, parent: AreaSystem, out: Finding[], opt: GeometryCheckOptions): void {
  const lim = new Limited(out, opt.maxFindingsPerCheck);
  const file = child.source.file;
  const parents = new Map<string, AreaFeature>();
  for (const p of parent.features) if (!parents.has(p.id)) parents.set(p.id, p);
  for (const f of child.features) {
    const base = { file, areaSystem: child.id, areaId: f.id, row: f.index, rowKind: "feature" as const, field: child.parent?.field };
    if (!f.parentId) {
      lim.push({ ...base, severity: "error", check: "parent-missing", message: `Gebiet hat keine übergeordnete ID`, expected: `eine ID aus ${parent.id}` });
      continue;
    }
    const p = parents.get(f.parentId);
    if (!p) {
      lim.push({ ...base, severity: "error", check: "parent-unknown", message: `übergeordnete ID ${JSON.stringify(f.parentId)} gibt es in ${parent.id} nicht`, expected: `eine ID aus ${parent.id}` });
      continue;
    }
    if (f.areaM2 <= 0) continue;
    let inside: number;
    try {
      inside = intersectionArea(f.projected, p.projected);
    } catch (e) {
      lim.push({ ...base, severity: "warning", check: "geometry-check-failed", message: `Verschachtelung nicht prüfbar: ${(e as Error).message}` });
      continue;
    }
    const outside = f.areaM2 - inside;
    if (outside > opt.nestingTolerance * f.areaM2 && outside > opt.areaToleranceM2) {
      lim.push({
        ...base, severity: "error", check: "not-nested", value: outside,
        message: `Gebiet liegt zu ${((outside / f.areaM2) * 100).toFixed(2)} % (${formatM2(outside)}) außerhalb seines übergeordneten Gebiets ${JSON.stringify(p.id)} (${parent.id})`,
        expected: `vollständig innerhalb (Toleranz ${(opt.nestingTolerance * 100).toFixed(2)} % der Fläche)`,
      });
    }
  }
  lim.flush();
}

function formatM2(a: number): string {
  return Math.abs(a) >= 1e5 ? `${(a / 1e6).toLocaleString("de-DE", { maximumFractionDigits: 3 })} km²` : `${a.toLocaleString("de-DE", { maximumFractionDigits: 1 })} m²`;
}

export { Limited as FindingLimiter };
