/**
 * Small planar geometry helpers on projected coordinates (metres): ring and polygon areas,
 * bounding boxes, point-in-ring. Used by the loaders and the validator.
 */
import type { MultiPolygon, Polygon, Position } from "geojson";

/** Polygon or MultiPolygon: the geometry of an area. An empty geometry is a MultiPolygon with no parts. */
export type AreaGeometry = Polygon | MultiPolygon;

/** Bounding box `[minX, minY, maxX, maxY]`. */
export type BBox = [number, number, number, number];

/**
 * Signed area of a ring by the shoelace formula (counter-clockwise positive). Works on open or
 * closed rings.
 *
 * @example
 * ringSignedArea([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]); // 1
 */
export function ringSignedArea(ring: Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let s = 0;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    s += (ring[j][0] - x0) * (ring[i][1] - y0) - (ring[i][0] - x0) * (ring[j][1] - y0);
  }
  return s / 2;
}

/**
 * The polygons of a Polygon or MultiPolygon as a list of ring lists (polygons without rings
 * left out, so an empty geometry gives `[]`).
 *
 * @example
 * polygonsOf({ type: "Polygon", coordinates: [ring] }).length; // 1
 */
export function polygonsOf(g: AreaGeometry | null | undefined): Position[][][] {
  if (!g) return [];
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  return polys.some((p) => p.length === 0) ? polys.filter((p) => p.length > 0) : polys;
}

/**
 * Area of a Polygon/MultiPolygon in squared units of its coordinates (m² on projected data):
 * outer rings count positive, holes negative, whatever the ring orientation.
 *
 * @example
 * geometryArea({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }); // 4
 */
export function geometryArea(g: AreaGeometry | null | undefined): number {
  let a = 0;
  for (const poly of polygonsOf(g)) {
    poly.forEach((ring, i) => {
      const r = Math.abs(ringSignedArea(ring));
      a += i === 0 ? r : -r;
    });
  }
  return a;
}

/**
 * Bounding box of a geometry, or `undefined` when it is empty.
 *
 * @example
 * geometryBBox({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 3], [0, 0]]] }); // [0, 0, 2, 3]
 */
export function geometryBBox(g: AreaGeometry | null | undefined): BBox | undefined {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (const p of ring) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : undefined;
}

/**
 * Whether a point lies inside a ring (even-odd rule; points on the boundary are undefined).
 *
 * @example
 * pointInRing([0.5, 0.5], [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]); // true
 */
export function pointInRing(pt: Position, ring: Position[]): boolean {
  let inside = false;
  const x = pt[0], y = pt[1];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Applies a point transform to every position of a geometry (returns a new geometry; `f` must
 * return a new array and not modify its argument).
 *
 * @example
 * mapGeometry(g, ([x, y]) => [x / 1000, y / 1000]);
 */
export function mapGeometry<G extends AreaGeometry>(g: G, f: (p: [number, number]) => [number, number]): G {
  // The transform gets the position itself (no temporary copy per point); it must not modify it.
  const ring = (r: Position[]) => {
    const out: Position[] = new Array(r.length);
    for (let i = 0; i < r.length; i++) out[i] = f(r[i] as [number, number]);
    return out;
  };
  if (g.type === "Polygon") return { type: "Polygon", coordinates: g.coordinates.map(ring) } as G;
  return { type: "MultiPolygon", coordinates: g.coordinates.map((poly) => poly.map(ring)) } as G;
}

/**
 * Polygon rings stored flat: the coordinates of every ring of a Polygon/MultiPolygon in one
 * `Float64Array` (x0, y0, x1, y1, …, rings one after another, polygon by polygon, outer ring
 * first), with the ring and polygon boundaries as index arrays. The loaders keep geometries in
 * this form (one allocation per feature instead of one array per point) and build the GeoJSON
 * nesting only when asked ({@link flatToGeometry}). Two layouts with the same `ringStart` and
 * `polyStart` can share them (projected and WGS84 coordinates of one feature).
 */
export interface FlatPolygons {
  /** GeoJSON type the rings stand for. An empty geometry is a `"MultiPolygon"` without rings. */
  type: "Polygon" | "MultiPolygon";
  /** Interleaved x, y of every ring. */
  xy: Float64Array;
  /** Point index at which each ring starts, then the number of points (length: rings + 1). */
  ringStart: Uint32Array;
  /** Ring index at which each polygon starts, then the number of rings (length: polygons + 1). */
  polyStart: Uint32Array;
}

/** The empty geometry in flat form. */
export const EMPTY_FLAT: Readonly<FlatPolygons> = Object.freeze({
  type: "MultiPolygon", xy: new Float64Array(0), ringStart: new Uint32Array(1), polyStart: new Uint32Array(1),
});

/**
 * Signed area of the ring `r` of a flat geometry (shoelace, counter-clockwise positive; the
 * same arithmetic as {@link ringSignedArea}).
 *
 * @example
 * const f = flattenGeometry({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] });
 * flatRingSignedArea(f.xy, f.ringStart[0], f.ringStart[1]); // 1
 */
export function flatRingSignedArea(xy: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n < 3) return 0;
  let s = 0;
  const x0 = xy[2 * from], y0 = xy[2 * from + 1];
  for (let i = from, j = to - 1; i < to; j = i++) {
    s += (xy[2 * j] - x0) * (xy[2 * i + 1] - y0) - (xy[2 * i] - x0) * (xy[2 * j + 1] - y0);
  }
  return s / 2;
}

/**
 * Area of a flat geometry in squared units of `xy` (pass other coordinates of the same layout
 * to measure them instead): outer rings positive, holes negative, as {@link geometryArea}.
 *
 * @example
 * flatArea(flattenGeometry({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] })); // 4
 */
export function flatArea(g: FlatPolygons, xy: Float64Array = g.xy): number {
  let a = 0;
  const { ringStart, polyStart } = g;
  for (let p = 0; p + 1 < polyStart.length; p++) {
    for (let r = polyStart[p]; r < polyStart[p + 1]; r++) {
      const v = Math.abs(flatRingSignedArea(xy, ringStart[r], ringStart[r + 1]));
      a += r === polyStart[p] ? v : -v;
    }
  }
  return a;
}

/**
 * Bounding box `[minX, minY, maxX, maxY]` of interleaved coordinates, or `undefined` when empty.
 *
 * @example
 * flatBBox(Float64Array.of(0, 0, 2, 3, 1, 1)); // [0, 0, 2, 3]
 */
export function flatBBox(xy: Float64Array): BBox | undefined {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : undefined;
}

/**
 * The GeoJSON Polygon/MultiPolygon of a flat geometry (new arrays on every call; pass `xy` to
 * build it from other coordinates of the same layout, e.g. the WGS84 ones).
 *
 * @example
 * const f = flattenGeometry({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
 * flatToGeometry(f); // { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }
 */
export function flatToGeometry(g: FlatPolygons, xy: Float64Array = g.xy): AreaGeometry {
  const { ringStart, polyStart } = g;
  const polys: Position[][][] = new Array(polyStart.length - 1);
  for (let p = 0; p + 1 < polyStart.length; p++) {
    const rings: Position[][] = new Array(polyStart[p + 1] - polyStart[p]);
    for (let r = polyStart[p], k = 0; r < polyStart[p + 1]; r++, k++) {
      const from = ringStart[r], to = ringStart[r + 1];
      const ring: Position[] = new Array(to - from);
      for (let i = from, o = 0; i < to; i++, o++) ring[o] = [xy[2 * i], xy[2 * i + 1]];
      rings[k] = ring;
    }
    polys[p] = rings;
  }
  if (g.type === "Polygon" && polys.length === 1) return { type: "Polygon", coordinates: polys[0] };
  return { type: "MultiPolygon", coordinates: polys };
}

/**
 * A GeoJSON Polygon/MultiPolygon in flat form (polygons without rings are left out, as in
 * {@link polygonsOf}).
 *
 * @example
 * flattenGeometry({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }).xy.length; // 8
 */
export function flattenGeometry(g: AreaGeometry | null | undefined): FlatPolygons {
  const polys = polygonsOf(g);
  let nRings = 0, nPoints = 0;
  for (const poly of polys) for (const ring of poly) { nRings++; nPoints += ring.length; }
  const xy = new Float64Array(2 * nPoints);
  const ringStart = new Uint32Array(nRings + 1);
  const polyStart = new Uint32Array(polys.length + 1);
  let r = 0, o = 0;
  polys.forEach((poly, p) => {
    polyStart[p] = r;
    for (const ring of poly) {
      ringStart[r++] = o / 2;
      for (const pt of ring) { xy[o++] = pt[0]; xy[o++] = pt[1]; }
    }
  });
  ringStart[nRings] = nPoints;
  polyStart[polys.length] = nRings;
  return { type: g && g.type === "Polygon" && polys.length === 1 ? "Polygon" : "MultiPolygon", xy, ringStart, polyStart };
}
